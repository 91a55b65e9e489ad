"""DECP export checked by the official schemas with independent validators:
python `jsonschema` (JSON Schema v2.0.3, draft-07) and `lxml` (XSD v2.0.2); OCDS export
checked by `libcoveocds` with the offline OCDS 1.1.5 standard zip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

import mpe

RACINE = Path(__file__).resolve().parents[2]
V = RACINE / "tests" / "vectors" / "donnees"
sys.path.insert(0, str(RACINE / "python" / "tests"))
from fixtures_donnees import accord_cadre_et_subsequent, concession, marche, tous  # noqa: E402

AUJOURDHUI = "2026-01-15"


@pytest.fixture(scope="module")
def schema_json():
    return json.loads((V / "decp-v2" / "schema_decp_v2.0.3.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema_xsd():
    return etree.XMLSchema(etree.parse(str(V / "decp-v2" / "schema_decp_v2.0.2.xsd")))


def _valider_json(schema, data: bytes) -> None:
    jsonschema.Draft7Validator(schema).validate(json.loads(data))


def test_les_validateurs_acceptent_les_exemples_officiels(schema_json, schema_xsd):
    # Sanity: the validators and schemas behave as expected on the official examples.
    for f in (V / "decp-v2" / "exemples" / "json").glob("*.json"):
        jsonschema.Draft7Validator(schema_json).validate(json.loads(f.read_text(encoding="utf-8")))
    assert schema_xsd.validate(etree.parse(str(V / "decp-v2" / "exemples" / "xml" / "Marche.xml")))


def test_export_json_valide_schema_officiel(schema_json):
    data = mpe.decp.exporter_json(tous(), AUJOURDHUI)
    _valider_json(schema_json, data)
    v = json.loads(data)
    assert len(v["marches"]["marche"]) == 3 and len(v["marches"]["contrat-concession"]) == 1


def test_export_xml_valide_xsd_officielle(schema_xsd):
    data = mpe.decp.exporter_xml(tous(), AUJOURDHUI)
    doc = etree.fromstring(data)
    assert schema_xsd.validate(doc), schema_xsd.error_log
    assert doc.findtext("marche/objet") == "Réfection de la voirie & des trottoirs <rue Émile Zola>"


def test_export_minimal_et_variantes(schema_json, schema_xsd):
    # Lists left empty are written with their "Sans objet" values; TVA and HORS-UE holders.
    m = marche("MIN-1")
    for k in ("techniques", "modalitesExecution", "considerationsSociales", "considerationsEnvironnementales",
              "actesSousTraitance", "modificationsActesSousTraitance", "modifications"):
        m.pop(k)
    m["titulaires"] = [{"typeIdentifiant": "TVA", "id": "DE814864138"}, {"typeIdentifiant": "HORS-UE", "id": "US-EIN-12-3456789"}]
    m["typeGroupementOperateurs"] = "Conjoint"
    c = concession("CC-MIN")
    c.pop("donneesExecution")
    c.pop("modifications")
    _valider_json(schema_json, mpe.decp.exporter_json([m, c], AUJOURDHUI))
    assert schema_xsd.validate(etree.fromstring(mpe.decp.exporter_xml([m, c], AUJOURDHUI))), schema_xsd.error_log


def test_plus_strict_que_le_schema(schema_json):
    # A 3-digit SIRET and an amount of 1e17 pass the official JSON Schema (its known gaps)...
    trou = json.loads(mpe.decp.exporter_json([marche("GAP")], AUJOURDHUI))
    trou["marches"]["marche"][0]["titulaires"][0]["titulaire"]["id"] = "123"
    trou["marches"]["marche"][0]["montant"] = 1e17
    trou["marches"]["marche"][0]["dateNotification"] = "xx2024-13-45"
    jsonschema.Draft7Validator(schema_json).validate(trou)
    # ...and mpe refuses them, naming record and field.
    m = marche("GAP")
    m["titulaires"][0]["id"] = "123"
    m["montant"] = 1e17
    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        mpe.decp.exporter_json([m], AUJOURDHUI)
    assert e.value.code == 700 and "GAP" in str(e.value) and "titulaires[0].id" in str(e.value)
    champs = {a["champ"] for a in mpe.decp.valider([m], AUJOURDHUI)}
    assert {"titulaires[0].id", "montant"} <= champs


def test_reimport_de_l_export(schema_json):
    # The store's own round trip: export, re-read streamed, export again: still valid.
    data = mpe.decp.exporter_json(tous(), AUJOURDHUI)
    p = RACINE / "target" / "interop_donnees_export.json"
    p.parent.mkdir(exist_ok=True)
    p.write_bytes(data)
    relus = [x["contrat"] for x in mpe.decp.lire(p, AUJOURDHUI) if x["type"] == "contrat"]
    assert len(relus) == 4
    _valider_json(schema_json, mpe.decp.exporter_json(relus, AUJOURDHUI))


def test_ocds_valide_par_libcoveocds(tmp_path):
    ac, ms = accord_cadre_et_subsequent()
    paquet = mpe.decp.exporter_ocds(
        [marche("2025-001"), concession("DSP-EAU-2024"), ac, ms],
        prefixe_ocid="ocds-mpe001",
        uri="https://marches.example/ocds/2026.json",
        editeur="Ville de Rennes",
        publie_le="2026-01-15T10:00:00Z",
    )
    f = tmp_path / "paquet.json"
    f.write_bytes(paquet)
    cove = Path(sys.executable).parent / "libcoveocds"
    out = subprocess.run(
        [str(cove), "--standard-zip", str(V / "ocds" / "standard-1__1__5.zip"), "-o", str(tmp_path / "out"), str(f)],
        check=True, capture_output=True, text=True,
    )
    r = json.loads(out.stdout)
    assert r["version_used"] == "1.1"
    assert r["validation_errors"] == [], r["validation_errors"]
    assert r["additional_closed_codelist_values"] == {}
    assert r["deprecated_fields"] == []
    assert r.get("additional_fields", []) == []
    assert r["count"] == 4
    rel = json.loads(paquet)["releases"][0]
    assert rel["contracts"][0]["amendments"] and rel["tender"]["items"][0]["classification"]["scheme"] == "CPV"
