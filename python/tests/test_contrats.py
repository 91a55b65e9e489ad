"""mpe.donnees.contrat_depuis_decision from Python: the contract of an attributed lot drawn
from a procedure state, each refusal as its exception with its code, and the DECP export of
the result accepted by the official JSON Schema (python ``jsonschema``) and XSD (``lxml``)."""

from __future__ import annotations

import copy
import json
import pathlib
import sys

import jsonschema
import pytest
from lxml import etree

# `python -m pytest` run from python/ puts the source tree first on sys.path, where the
# compiled mpe._mpe is absent: import the installed wheel instead.
_SOURCE = pathlib.Path(__file__).resolve().parents[1]
sys.path[:] = [d for d in sys.path if pathlib.Path(d or ".").resolve() != _SOURCE]

import mpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
V = RACINE / "tests" / "vectors"
DECP = V / "donnees" / "decp-v2"
AUJOURDHUI = "2027-01-10"
COMPLEMENT = {
    "numero": "2026-0611-01",
    "dateNotification": "2027-01-05",
    "datePublicationDonnees": "2027-01-08",
    "dureeMois": 8,
    "formePrix": "Forfaitaire",
    "typesPrix": ["Définitif ferme"],
}


@pytest.fixture(scope="module")
def etat() -> dict:
    return json.loads((V / "contrats" / "procedure_attribuee.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def organisation() -> dict:
    return json.loads((V / "contrats" / "organisation.json").read_text(encoding="utf-8"))


def _rejouer(jusqu_a: str) -> dict:
    """The scenario replayed with mpe.procedure up to an instant (refused steps change nothing)."""
    s = json.loads((V / "procedure" / "scenario.json").read_text(encoding="utf-8"))
    ctx = lambda t, a: {"maintenant": t, "acteur": a, "organisation": s["organisation"]}
    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx(s["creation"]["maintenant"], s["creation"]["acteur"]))
    for e in s["etapes"]:
        if e["maintenant"] > jusqu_a or "action" not in e:
            continue
        try:
            p.appliquer(e["action"], ctx(e["maintenant"], e["acteur"]))
        except mpe.exceptions.ErreurMpe:
            pass
    return p.etat


def test_contrat_du_lot_attribue(etat, organisation):
    c = mpe.contrat.generer_depuis_decision(etat, organisation, COMPLEMENT, 1)
    assert c["id"] == "2026-0611-01"
    assert c["procedure"] == "Appel d'offres ouvert"
    assert c["offresRecues"] == 2
    assert c["montant"] == 498000.0
    assert c["titulaires"] == [
        {"typeIdentifiant": "SIRET", "id": "51802345600024", "raisonSociale": "Menuiseries Lyonnaises SARL"}
    ]
    assert c["acheteur"] == {"id": "21690123100011", "nom": "Ville de Villeurbanne"}
    assert c["statut"] == "notifie"


def test_export_decp_valide_selon_les_schemas_officiels(etat, organisation):
    # Every attributed lot, one with a foreign (EU) attributaire, as an accord-cadre multi.
    contrats = []
    for lot in (1, 2, 3):
        k = dict(COMPLEMENT, numero=f"2026-0611-0{lot}")
        contrats.append(mpe.contrat.generer_depuis_decision(etat, organisation, k, lot))
    multi = copy.deepcopy(etat)
    multi["consultation"]["identification"]["type_contrat"] = "accord_cadre_multi_attributaires"
    multi["plis"][0]["entreprise"]["identifiant"] = {"etranger": {"pays": "BE", "numero": "0123.456.789"}}
    multi["decisions"]["1"]["decision"]["attributaires"].append({"pli": 1, "montant": 510000})
    ac = mpe.contrat.generer_depuis_decision(multi, organisation, dict(COMPLEMENT, numero="AC-2026-01", montant=1.2e6), 1)
    assert [t["typeIdentifiant"] for t in ac["titulaires"]] == ["SIRET", "TVA"]
    assert ac["titulaires"][1]["id"] == "BE0123456789"
    contrats.append(ac)

    schema = json.loads((DECP / "schema_decp_v2.0.3.json").read_text(encoding="utf-8"))
    data = json.loads(mpe.decp.exporter_json(contrats, AUJOURDHUI))
    jsonschema.Draft7Validator(schema).validate(data)
    assert len(data["marches"]["marche"]) == 4
    xsd = etree.XMLSchema(etree.parse(str(DECP / "schema_decp_v2.0.2.xsd")))
    doc = etree.fromstring(mpe.decp.exporter_xml(contrats, AUJOURDHUI))
    assert xsd.validate(doc), xsd.error_log


def test_chaque_refus_a_son_code(etat, organisation):
    with pytest.raises(mpe.exceptions.ErreurProcedure) as e:
        mpe.contrat.generer_depuis_decision(etat, organisation, COMPLEMENT, 4)
    assert e.value.nom == "LOT_INCONNU"

    sans_suite = copy.deepcopy(etat)
    sans_suite["decisions"]["1"]["decision"] = {"type": "sans_suite", "motif": "abandon du projet"}
    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        mpe.contrat.generer_depuis_decision(sans_suite, organisation, COMPLEMENT, 1)
    assert (e.value.nom, e.value.code) == ("DECISION_NON_ATTRIBUTION", 711)
    assert "sans suite" in e.value.message

    # Lot 3: infructueux at 09:30, reset at 10:00, attributed again at 10:05.
    apres_reset = _rejouer("2026-12-18T10:00:00Z")
    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        mpe.contrat.generer_depuis_decision(apres_reset, organisation, COMPLEMENT, 3)
    assert (e.value.nom, e.value.code) == ("DECISION_ABSENTE", 710)
    vue = dict(COMPLEMENT, decisionDu="2026-12-18T09:30:00Z")
    for p in (apres_reset, etat):
        with pytest.raises(mpe.exceptions.ErreurDecp) as e:
            mpe.contrat.generer_depuis_decision(p, organisation, vue, 3)
        assert (e.value.nom, e.value.code) == ("DECISION_REINITIALISEE", 712)
    c = mpe.contrat.generer_depuis_decision(etat, organisation, dict(COMPLEMENT, decisionDu="2026-12-18T10:05:00Z"), 3)
    assert c["montant"] == 305000.0

    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        mpe.contrat.generer_depuis_decision(etat, organisation, {"dureeMois": 3}, 1)
    assert e.value.nom == "CONTRAT_INCOHERENT"
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.contrat.generer_depuis_decision(etat, organisation, {"numero": "X", "duree": 3}, 1)
    assert e.value.nom == "JSON_INVALIDE"
