"""mpe.procedure from Python: the shared scenarios give the same journal as Rust and C,
refusals raise the right exception with the state untouched, the journal detects tampering."""

from __future__ import annotations

import copy
import json
import pathlib
import sys

import pytest

# `python -m pytest` run from python/ puts the source tree first on sys.path, where the
# compiled mpe._mpe is absent: import the installed wheel instead.
_SOURCE = pathlib.Path(__file__).resolve().parents[1]
sys.path[:] = [d for d in sys.path if pathlib.Path(d or ".").resolve() != _SOURCE]

import mpe

VECTEURS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "procedure"


def charger(nom: str) -> dict:
    return json.loads((VECTEURS / nom).read_text(encoding="utf-8"))


def jouer(nom: str):
    s = charger(nom)
    ctx = lambda t, a: {"maintenant": t, "acteur": a, "organisation": s["organisation"]}
    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx(s["creation"]["maintenant"], s["creation"]["acteur"]))
    produit = list(p.journal)
    amonts = []
    for i, e in enumerate(s["etapes"]):
        avant = copy.deepcopy(p.etat)
        try:
            if "suite" in e:
                n = len(p.journal)
                suite = p.creer_suite(e["suite"], ctx(e["maintenant"], e["acteur"]))
                produit += p.journal[n:] + suite.journal
                amonts.append(p)
                p = suite
            else:
                n = len(p.journal)
                p.appliquer(e["action"], ctx(e["maintenant"], e["acteur"]))
                produit += p.journal[n:]
            obtenu = "OK"
        except mpe.exceptions.ErreurMpe as err:
            obtenu = err.nom
            assert p.etat == avant, f"étape {i} : état modifié par un refus"
        assert obtenu == e["attendu"], f"étape {i} ({e['note']}) : {obtenu}"
    return p, amonts, produit


def test_scenario_meme_journal_que_rust_et_c():
    p, _, journal = jouer("scenario.json")
    attendu = (VECTEURS / "scenario.journal.jsonl").read_text(encoding="utf-8")
    assert mpe.journal.exporter(journal) == attendu
    p.verifier()
    mpe.journal.verifier(attendu, p.etat)
    r = p.lister_registres()
    assert r["libelle_depots"] == "4 électroniques + 1 papier"
    assert p.calculer_phase("2027-02-01T00:00:00Z") == "archivee"
    assert mpe.journal.generer_accuse(p.journal, 1)["fichiers"][0]["sha256"]
    assert mpe.journal.generer_accuse(attendu, 3)["horodatage"] == "2026-12-14T09:00:00Z"
    emails = {d["email"] for d in mpe.procedure.lister_destinataires(p.etat, "retraits")}
    assert "s.girard@facades-ra.fr" in emails and len(emails) == 4


def test_suite_et_chaine():
    offres, amonts, journal = jouer("suite.json")
    attendu = (VECTEURS / "suite.journal.jsonl").read_text(encoding="utf-8")
    assert mpe.journal.exporter(journal) == attendu
    candidatures = amonts[0]
    etats = [offres.etat, candidatures.etat]
    for depart in ("c-2026-0611-o", "c-2026-0611-c"):
        assert [l["reference"] for l in mpe.procedure.chainer(depart, etats)] == ["AOR_C_0611", "AOR_O_0611"]
    offres.verifier()
    candidatures.verifier()


def _consultation_en_ligne():
    s = charger("scenario.json")
    org = s["organisation"]
    ctx = lambda t, a: {"maintenant": t, "acteur": a, "organisation": org}
    alice = {"type": "agent", "id": "a.martin"}
    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx("2026-11-02T08:00:00Z", alice))
    p.appliquer({"type": "valider"}, ctx("2026-11-02T09:00:00Z", alice))
    depot = next(e for e in s["etapes"] if e["note"] == "pli 1")
    return p, ctx, depot


def test_refus_hors_delai_a_la_seconde():
    p, ctx, depot = _consultation_en_ligne()
    avant = copy.deepcopy(p.etat)
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        p.appliquer(depot["action"], ctx("2026-12-15T11:00:00Z", depot["acteur"]))
    assert (e.value.code, e.value.nom) == (303, "HORS_DELAI")
    assert p.etat == avant
    evenements = p.appliquer(depot["action"], ctx("2026-12-15T10:59:59Z", depot["acteur"]))
    assert evenements[0]["type"] == "pli_depose"
    assert evenements[0]["accuse"]["horodatage"] == "2026-12-15T10:59:59Z"


def test_erreurs_typees():
    p, ctx, depot = _consultation_en_ligne()
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.procedure.appliquer(p.etat, {"type": "voler"}, ctx("2026-12-01T00:00:00Z", depot["acteur"]))
    assert e.value.code == 102
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        mpe.procedure.appliquer(p.etat, depot["action"], ctx("2026-11-01T00:00:00Z", depot["acteur"]))
    assert e.value.nom == "HORLOGE_INCOHERENTE"
    action = copy.deepcopy(depot["action"])
    action["code_acces"] = "FAUX1234"
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        mpe.procedure.appliquer(p.etat, action, ctx("2026-12-01T00:00:00Z", depot["acteur"]))
    assert e.value.nom == "CODE_ACCES_INCORRECT"
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        mpe.journal.generer_accuse(p.journal, 9)
    assert e.value.nom == "PLI_INCONNU"
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.procedure.lister_destinataires(p.etat, "personne")


def test_journal_altere():
    p, _, _ = jouer("scenario.json")
    journal = copy.deepcopy(p.journal)
    journal[20]["horodatage"] = "2026-12-15T14:11:00Z"
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        mpe.journal.verifier(journal, p.etat)
    assert e.value.nom == "JOURNAL_CORROMPU" and e.value.chemin == "entrée 20"
    with pytest.raises(mpe.exceptions.ErreurProcedure):
        mpe.journal.verifier(p.journal[:-2], p.etat)
    del journal[20]
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        mpe.journal.verifier(journal)
    assert e.value.chemin == "entrée 20"
