"""Letters in the procedure from Python: recipients pre-filled from the registers, a letter
prepared by mpe.messagerie recorded in the journal, acknowledged through its token (once:
a second opening records nothing), answered; the courriers register; documents attendus
refused at dépôt with their codes."""

from __future__ import annotations

import copy
import email
import email.policy
import json
import pathlib
import sys

import pytest

_SOURCE = pathlib.Path(__file__).resolve().parents[1]
sys.path[:] = [d for d in sys.path if pathlib.Path(d or ".").resolve() != _SOURCE]

import mpe

VECTEURS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "procedure"
SCENARIO = json.loads((VECTEURS / "scenario.json").read_text(encoding="utf-8"))
ORG = SCENARIO["organisation"]


def ctx(t, acteur):
    return {"maintenant": t, "acteur": acteur, "organisation": ORG}


def jusqu_a(note: str) -> mpe.procedure.Procedure:
    """The scenario played up to (and including) the step with this note."""
    s = SCENARIO
    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx(s["creation"]["maintenant"], s["creation"]["acteur"]))
    for e in s["etapes"]:
        if e["attendu"] == "OK" and "action" in e:
            p.appliquer(e["action"], ctx(e["maintenant"], e["acteur"]))
        if e["note"] == note:
            return p
    raise AssertionError(note)


ALICE = {"type": "agent", "id": "a.martin"}
ANONYME = {"type": "anonyme"}


def test_destinataires_depuis_les_registres():
    p = jusqu_a("pli papier 5 reçu hors délai (registre papier)")
    tous = p.lister_destinataires_courrier()
    assert [d["email"] for d in tous] == [
        "s.girard@facades-ra.fr", "k.benali@menuiseries-lyon.fr", "contact@tve.fr", "a.morel@batir-durable.coop"]
    assert tous[1]["origines"] == ["retrait", "question", "depot"]
    assert [d["email"] for d in mpe.procedure.lister_destinataires_courrier(p.etat, origines=["question"])] == [
        "k.benali@menuiseries-lyon.fr"]
    assert [d["email"] for d in mpe.procedure.lister_destinataires_courrier(p.etat, {"lot": 3})] == [
        "k.benali@menuiseries-lyon.fr", "a.morel@batir-durable.coop"]
    (d,) = p.lister_destinataires_courrier(pli=5)
    assert d == {"email": "a.morel@batir-durable.coop", "raison_sociale": "Bâtir Durable SCOP", "origines": ["depot"]}
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        p.lister_destinataires_courrier(pli=42)
    assert (e.value.nom, e.value.chemin) == ("PLI_INCONNU", "$.pli")
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        p.lister_destinataires_courrier(lot=8)
    assert e.value.nom == "LOT_INCONNU"
    with pytest.raises(mpe.exceptions.ErreurMpe) as e:
        p.lister_destinataires_courrier(origines=["boulangerie"])
    assert e.value.nom == "JSON_INVALIDE"


def test_lettre_de_rejet_de_bout_en_bout():
    p = jusqu_a("réponse de l'entreprise")
    # Lot 2 was attributed to pli 4: company A (pli 1) is not retained.
    destinataires = p.lister_destinataires_courrier(lot=2, non_retenus=True, origines=["depot"])
    assert [d["email"] for d in destinataires] == ["s.girard@facades-ra.fr"]
    courrier = mpe.courrier.nouveau("rejet", p.etat["consultation"], 2)
    courrier["destinataires"] = destinataires
    courrier["options"] = {"accuse_reception": True, "reponse_autorisee": True}
    quand = "2026-12-21T10:00:00Z"
    envoi = mpe.courrier.preparer({
        "courrier": courrier, "consultation": p.etat["consultation"], "organisation": ORG,
        "contexte": {"courrier_id": "rejet-lot2", "agent": "a.martin", "date": quand,
                     "expediteur": {"nom": "Ville de Villeurbanne", "email": "ne-pas-repondre@marches.example.fr"},
                     "adresse_reponse": "reponses@marches.example.fr",
                     "url_accuse_reception": "https://marches.example.fr/ar/{jeton}",
                     "domaine_message_id": "marches.example.fr"}})
    message = envoi["messages"][0]
    parsed = email.message_from_bytes(message["mime"], policy=email.policy.default)
    assert parsed["To"].addresses[0].addr_spec == "s.girard@facades-ra.fr"
    # Only an agent with the habilitation records it.
    avant = copy.deepcopy(p.etat)
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        p.enregistrer_courrier(envoi, ctx(quand, {"type": "agent", "id": "c.bernard"}))
    assert e.value.nom == "NON_HABILITE" and p.etat == avant
    (ev,) = p.enregistrer_courrier(envoi, ctx(quand, ALICE))
    assert ev["type"] == "courrier" and ev["courrier"]["evenement"] == "envoye"
    assert ev["courrier"]["message_id"] == message["message_id"]
    # Acknowledged through the token; a second opening records nothing.
    with pytest.raises(mpe.exceptions.ErreurMessagerie) as e:
        p.accuser_reception_courrier("pas-le-bon", ctx("2026-12-21T11:00:00Z", ANONYME))
    assert e.value.nom == "JETON_INCONNU"
    (ev,) = p.accuser_reception_courrier(message["jeton"], ctx("2026-12-21T11:00:00Z", ANONYME))
    assert ev["courrier"]["evenement"] == "ouvert" and ev["courrier"]["date"] == "2026-12-21T11:00:00Z"
    assert p.accuser_reception_courrier(message["jeton"], ctx("2026-12-21T12:00:00Z", ANONYME)) == []
    # The company answers.
    entreprise_a = {"type": "entreprise", "identifiant": p.etat["plis"][0]["entreprise"]["identifiant"]}
    (ev,) = p.repondre_courrier(f"<{message['message_id']}>", ctx("2026-12-22T09:00:00Z", entreprise_a), "r@facades-ra.fr")
    assert ev["courrier"]["evenement"] == "repondu"
    # Register, counts, and the chain.
    r = p.lister_registres()
    assert r["compteurs_courriers"] == {"envoyes": 2, "avec_accuse": 2, "accuses": 2, "en_attente_accuse": 0,
                                        "repondus": 2}
    assert r["courriers"][1]["accuse_le"] == "2026-12-21T11:00:00Z"
    assert r["courriers"][1]["statut"] == "repondu"
    assert [c["type_courrier"] for c in r["courriers_par_type"]] == ["rejet"]
    assert message["jeton"] not in json.dumps(p.etat)
    p.verifier()


def test_documents_attendus_refuses_au_depot():
    s = SCENARIO
    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx("2026-11-02T08:00:00Z", ALICE))
    p.appliquer({"type": "valider"}, ctx("2026-11-02T09:00:00Z", ALICE))
    depot = next(e for e in s["etapes"] if e["note"] == "pli 1")
    t = ctx("2026-12-10T10:00:00Z", depot["acteur"])

    def refus(modifier):
        action = copy.deepcopy(depot["action"])
        modifier(action)
        with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
            p.appliquer(action, t)
        return e.value

    e = refus(lambda a: a["enveloppes"][1]["fichiers"].pop(0))
    assert (e.code, e.nom) == (317, "DOCUMENT_MANQUANT")
    assert "Acte d'engagement" in str(e) and e.chemin == "$.enveloppes[1].fichiers"
    e = refus(lambda a: a["enveloppes"][2]["fichiers"][2].update(nom="Memoire.odt"))
    assert (e.code, e.nom) == (318, "FORMAT_DOCUMENT_REFUSE")
    e = refus(lambda a: a["enveloppes"][0]["fichiers"][0].update(document="Acte d'engagement"))
    assert (e.code, e.nom) == (319, "DOCUMENT_INATTENDU")
    assert p.etat["plis"] == []
    (ev,) = p.appliquer(depot["action"], t)
    assert ev["accuse"]["fichiers"][1]["document"] == "Acte d'engagement"
