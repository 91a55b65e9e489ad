"""`mpe decp` checked by independent validators: the files `mpe decp exporter` writes (JSON and
XML) are accepted by python `jsonschema` against the official JSON Schema v2.0.3 and by `lxml`
against the official XSD v2.0.2; what it refuses leaves no file; `mpe decp importer` reads
those files back and `mpe decp chercher` finds them. Run from the repository root."""

from __future__ import annotations

import json
import pathlib
import sys

import jsonschema
import pytest

import mpe
from lxml import etree


ROOT = pathlib.Path(__file__).resolve().parents[2]
V = ROOT / "tests" / "vectors"
DECP = V / "donnees" / "decp-v2"
AUJOURDHUI = "2027-01-10"
sys.path.insert(0, str(ROOT / "python" / "tests"))
from fixtures_donnees import tous  # noqa: E402


@pytest.fixture(scope="module")
def contrats() -> list[dict]:
    """The register's fixtures (marchés, accord-cadre and subséquent, concession) and the
    contracts drawn from the attribution decisions of the shared procedure scenario."""
    etat = json.loads((V / "contrats" / "procedure_attribuee.json").read_text(encoding="utf-8"))
    org = json.loads((V / "contrats" / "organisation.json").read_text(encoding="utf-8"))
    k = {"dateNotification": "2027-01-05", "datePublicationDonnees": "2027-01-08", "dureeMois": 8,
         "formePrix": "Forfaitaire", "typesPrix": ["Définitif ferme"]}
    issus = [mpe.contrat.generer_depuis_decision(etat, org, dict(k, numero=f"2026-0611-0{lot}"), lot) for lot in (1, 2, 3)]
    return tous() + issus


def test_export_json_valid_against_the_official_json_schema(mpe_cli, contrats, tmp_path):
    (tmp_path / "contrats.json").write_text(json.dumps(contrats, ensure_ascii=False), encoding="utf-8")
    r = mpe_cli(tmp_path, "decp", "exporter", "contrats.json", "-o", "decp.json", "--aujourd-hui", AUJOURDHUI)
    assert r.returncode == 0, r.stderr
    schema = json.loads((DECP / "schema_decp_v2.0.3.json").read_text(encoding="utf-8"))
    data = json.loads((tmp_path / "decp.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(data)
    ids = {m["id"] for m in data["marches"]["marche"]}
    assert {"2026-0611-01", "2026-0611-02", "2026-0611-03"} <= ids
    assert len(data["marches"]["contrat-concession"]) == 1


def test_export_xml_valid_against_the_official_xsd(mpe_cli, contrats, tmp_path):
    # The object form of the input.
    (tmp_path / "c.json").write_text(json.dumps({"contrats": contrats}, ensure_ascii=False), encoding="utf-8")
    r = mpe_cli(tmp_path, "decp", "exporter", "c.json", "-o", "decp.xml", "--aujourd-hui", AUJOURDHUI, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["format"] == "xml"
    xsd = etree.XMLSchema(etree.parse(str(DECP / "schema_decp_v2.0.2.xsd")))
    doc = etree.parse(str(tmp_path / "decp.xml"))
    assert xsd.validate(doc), xsd.error_log
    assert "2026-0611-02" in doc.xpath("//marche/id/text()")


def test_refused_export_writes_nothing_and_names_the_field(mpe_cli, contrats, tmp_path):
    mauvais = json.loads(json.dumps(contrats))
    mauvais[-1]["titulaires"][0]["id"] = "51802345600025"  # wrong SIRET key
    (tmp_path / "c.json").write_text(json.dumps(mauvais, ensure_ascii=False), encoding="utf-8")
    r = mpe_cli(tmp_path, "decp", "exporter", "c.json", "-o", "decp.json", "--aujourd-hui", AUJOURDHUI)
    assert r.returncode == 10
    assert "DECP_INVALIDE (700)" in r.stderr
    assert "2026-0611-03" in r.stdout and "titulaires[0].id" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json"]


def test_exports_import_back_and_are_found(mpe_cli, contrats, tmp_path):
    (tmp_path / "contrats.json").write_text(json.dumps(contrats, ensure_ascii=False), encoding="utf-8")
    for sortie in ("decp.json", "decp.xml"):
        r = mpe_cli(tmp_path, "decp", "exporter", "contrats.json", "-o", sortie, "--aujourd-hui", AUJOURDHUI)
        assert r.returncode == 0, r.stderr
        v = mpe_cli(tmp_path, "decp", "valider", sortie, "--aujourd-hui", AUJOURDHUI)
        assert v.returncode == 0, v.stdout + v.stderr
    r = mpe_cli(tmp_path, "decp", "importer", "decp.json", "decp.xml", "--rapport", "rapport.json",
            "-o", "s.mpedecp", "--aujourd-hui", AUJOURDHUI, "--json")
    assert r.returncode == 0, r.stderr
    compte = json.loads(r.stdout)
    # The same contracts twice: every second one is merged, none rejected.
    assert compte["rejetes"] == 0
    assert compte["contratsDansEntrepot"] == len(contrats)
    assert compte["doublons"] == len(contrats)
    r = mpe_cli(tmp_path, "decp", "chercher", "s.mpedecp", "--attributaire", "51802345600024", "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert {f["id"] for f in res["fiches"]} >= {"2026-0611-01", "2026-0611-03"}
