"""La lettre de modification du DCE et les données des formulaires DAJ, depuis Python : la
procédure du scénario partagé, modifiée après publication (une pièce ajoutée), donne une
lettre aux quatre entreprises identifiées du registre des retraits, la pièce jointe
contrôlée contre son empreinte ; la procédure attribuée donne les données des formulaires
lues dans son état (référence, attributaire, montant), aucune saisie à la main."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import pathlib

import pytest

from mpe import procedure
from mpe.exceptions import ErreurMpe

VECTEURS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"
ADDITIF = b"%PDF-1.7 additif n 1"


def scenario():
    return json.loads((VECTEURS / "procedure" / "scenario.json").read_text(encoding="utf-8"))


def contexte(s, maintenant, acteur):
    return {"maintenant": maintenant, "acteur": acteur, "organisation": s["organisation"]}


def publiee():
    """Validated, with the DCE downloads of the scenario (one anonymous, four companies)."""
    s = scenario()
    p = procedure.Procedure.nouvelle(s["consultation"], contexte(s, s["creation"]["maintenant"], s["creation"]["acteur"]))
    for e in s["etapes"]:
        a = e.get("action")
        if e["attendu"] == "OK" and a and a["type"] in ("demander_validation", "valider", "enregistrer_retrait"):
            p.appliquer(a, contexte(s, e["maintenant"], e["acteur"]))
    return s, p


def test_lettre_de_modification_aux_entreprises_du_registre():
    s, p = publiee()
    c = copy.deepcopy(p.etat["consultation"])
    c["pieces"]["autres_pieces"].append(
        {"nom": "Additif_1.pdf", "taille": len(ADDITIF), "sha256": hashlib.sha256(ADDITIF).hexdigest()})
    p.appliquer({"type": "modifier_consultation_publiee", "consultation": c, "motif": "additif n° 1"},
                contexte(s, "2026-11-25T10:00:00Z", {"type": "agent", "id": "a.martin"}))
    courrier = procedure.generer_courrier_modification(p.etat, 2, {"Additif_1.pdf": ADDITIF})
    assert courrier["type_courrier"] == "modification_dce"
    retraits = {r["entreprise"]["contact"]["email"] for r in p.etat["retraits"] if "entreprise" in r}
    assert len(retraits) == 4
    assert {d["email"] for d in courrier["destinataires"]} == retraits
    # The added pièce is attached with the bytes given (base64 in the JSON).
    [ajout] = courrier["modifications_dce"]
    assert ajout["nature"] == "ajout_piece" and ajout["piece"]["nom"] == "Additif_1.pdf"
    assert base64.b64decode(ajout["piece"]["contenu"]) == ADDITIF
    with pytest.raises(ErreurMpe) as e:
        procedure.generer_courrier_modification(p.etat, 2, {"Additif_1.pdf": b"autre"})
    assert e.value.nom == "PIECE_ALTEREE"
    with pytest.raises(ErreurMpe) as e:
        procedure.generer_courrier_modification(p.etat, 2)
    assert e.value.nom == "PIECE_NON_FOURNIE"


def test_donnees_des_formulaires_lues_dans_l_etat():
    etat = json.loads((VECTEURS / "contrats" / "procedure_attribuee.json").read_text(encoding="utf-8"))
    org = scenario()["organisation"]
    d = procedure.generer_donnees_documents(etat, org, {"lot": 1})
    assert d["consultation"]["reference"] == etat["consultation"]["identification"]["reference"]
    # Lot 1 went to pli 3, for the amount recorded in the decision.
    attribution = etat["decisions"]["1"]["decision"]["attributaires"][0]
    pli = next(x for x in etat["plis"] if x["numero"] == attribution["pli"])
    texte = json.dumps(d, ensure_ascii=False)
    assert pli["entreprise"]["raison_sociale"] in texte
    with pytest.raises(ErreurMpe) as e:
        procedure.generer_donnees_documents(etat, org, {"lot": 9})
    assert e.value.nom == "LOT_INCONNU"
