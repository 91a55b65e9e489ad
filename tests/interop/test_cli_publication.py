"""What `mpe avis generer` and `mpe dume generer` write passes the same independent checks
as the library's output: the eForms SDK's XSD (lxml) and Schematron (Saxon) for the
subtype-16, 17 and 29 notices, the ESPD-EDM XSD for the DUME requests.

The result notice is written from the shared procedure scenario replayed by the Python
binding (tests/vectors/procedure/scenario.json up to every lot decided), and the contracts
of its awarded lots (`mpe.contrat.generer_depuis_decision`), as a host stores them.
"""

from __future__ import annotations

import json
import pathlib

import mpe
import pytest
from lxml import etree

from dume_criteres import ESPD
from eforms_validateur import Validateur

ROOT = pathlib.Path(__file__).resolve().parents[2]
DONNEES = ROOT / "tests" / "vectors" / "publication"
EXEMPLES = ROOT / "examples" / "data"
XSD_DUME = {
    "2.1.1": ESPD / "2.1.1" / "xsdrt" / "maindoc" / "UBL-QualificationApplicationRequest-2.2.xsd",
    "4.1.0": ESPD / "4.1.0" / "xsdrt" / "maindoc" / "UBL-QualificationApplicationRequest-2.3.xsd",
}


@pytest.fixture(scope="module")
def validateur() -> Validateur:
    return Validateur()


def _ok(r) -> None:
    assert r.returncode == 0, r.stderr


def _procedure_attribuee(dossier: pathlib.Path) -> None:
    s = json.loads((ROOT / "tests" / "vectors" / "procedure" / "scenario.json").read_text(encoding="utf-8"))

    def ctx(t, a):
        return {"maintenant": t, "acteur": a, "organisation": s["organisation"]}

    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx(s["creation"]["maintenant"], s["creation"]["acteur"]))
    for e in s["etapes"]:
        if e["maintenant"] > "2026-12-18T10:05:00Z" or "action" not in e:
            continue
        try:
            p.appliquer(e["action"], ctx(e["maintenant"], e["acteur"]))
        except mpe.exceptions.ErreurMpe:
            pass  # the steps the scenario expects refused change nothing
    etat = p.etat
    contrats = []
    for lot, d in etat["decisions"].items():
        assert d["decision"]["type"] == "attribution"
        c = mpe.contrat.generer_depuis_decision(
            etat, s["organisation"], {"numero": f"2026-0611-{int(lot):02}", "dateNotification": "2027-01-05"}, int(lot)
        )
        contrats.append({"lot": int(lot), "contrat": json.loads(mpe.contrat.texte_json(c))})
    assert len(contrats) == 3
    (dossier / "procedure.json").write_text(json.dumps(etat), encoding="utf-8")
    (dossier / "contrats.json").write_text(json.dumps(contrats), encoding="utf-8")
    (dossier / "organisation.json").write_text(json.dumps(s["organisation"]), encoding="utf-8")


def test_avis_16_de_la_cli_valide_sdk(mpe_cli, validateur: Validateur, tmp_path: pathlib.Path) -> None:
    _ok(
        mpe_cli(
            tmp_path,
            *("avis", "generer", "--type", "16"),
            *("--consultation", str(EXEMPLES / "consultation.json")),
            *("--organisation", str(EXEMPLES / "organisation.json")),
            *("--donnees", str(DONNEES / "donnees_avis.json")),
            *("--maintenant", "2026-11-03T09:00:00Z", "--sortie", "avis-16.xml"),
        )
    )
    r = validateur.valider(tmp_path / "avis-16.xml", "eforms-16")
    assert r.xsd == [], r.xsd
    assert r.erreurs == set(), sorted(r.echecs)


def test_avis_17_de_la_cli_valide_sdk(mpe_cli, validateur: Validateur, tmp_path: pathlib.Path) -> None:
    """An entité adjudicatrice (a water operator) writes subtype 17; asking 16 is refused."""
    org = json.loads((EXEMPLES / "organisation.json").read_text(encoding="utf-8"))
    org["entite"]["type_acheteur"] = "entite_adjudicatrice"
    (tmp_path / "organisation.json").write_text(json.dumps(org), encoding="utf-8")
    donnees = json.loads((DONNEES / "donnees_avis.json").read_text(encoding="utf-8"))
    donnees["activite"] = "water"
    (tmp_path / "donnees.json").write_text(json.dumps(donnees), encoding="utf-8")
    args = [
        *("--consultation", str(EXEMPLES / "consultation.json")),
        *("--organisation", "organisation.json", "--donnees", "donnees.json"),
        *("--maintenant", "2026-11-03T09:00:00Z"),
    ]
    refuse = mpe_cli(tmp_path, "avis", "generer", "--type", "16", *args, "--sortie", "avis-16.xml")
    assert refuse.returncode != 0 and "sous-type 17" in refuse.stderr, refuse.stderr
    assert not (tmp_path / "avis-16.xml").exists()
    _ok(mpe_cli(tmp_path, "avis", "generer", "--type", "17", *args, "--sortie", "avis-17.xml"))
    r = validateur.valider(tmp_path / "avis-17.xml", "eforms-17")
    assert r.xsd == [], r.xsd
    assert r.erreurs == set(), sorted(r.echecs)


def test_avis_29_de_la_cli_valide_sdk(mpe_cli, validateur: Validateur, tmp_path: pathlib.Path) -> None:
    _procedure_attribuee(tmp_path)
    _ok(
        mpe_cli(
            tmp_path,
            *("avis", "generer", "--type", "29", "--procedure", "procedure.json", "--contrats", "contrats.json"),
            *("--organisation", "organisation.json", "--donnees", str(DONNEES / "donnees_attribution.json")),
            *("--maintenant", "2027-01-10T09:00:00Z", "--sortie", "avis-29.xml"),
        )
    )
    r = validateur.valider(tmp_path / "avis-29.xml", "eforms-29")
    assert r.xsd == [], r.xsd
    assert r.erreurs == set(), sorted(r.echecs)


@pytest.mark.parametrize("version", ["2.1.1", "4.1.0"])
def test_dume_de_la_cli_valide_xsd(mpe_cli, tmp_path: pathlib.Path, version: str) -> None:
    _ok(
        mpe_cli(
            tmp_path,
            *("dume", "generer", "--version", version),
            *("--consultation", str(EXEMPLES / "consultation.json")),
            *("--organisation", str(EXEMPLES / "organisation.json")),
            *("--maintenant", "2026-11-03T09:00:00Z", "--sortie", "dume.xml"),
        )
    )
    schema = etree.XMLSchema(etree.parse(str(XSD_DUME[version])))
    assert schema.validate(etree.parse(str(tmp_path / "dume.xml"))), [f"{e.line}: {e.message}" for e in schema.error_log]
