"""Python tests of the consultation slice: round trip, validation, CPV, référence, errors."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import jsonschema
import pytest

import mpe

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


def load(name: str) -> dict:
    return json.loads((ROOT / "examples" / "data" / name).read_text(encoding="utf-8"))


def test_round_trip_is_identical_to_rust():
    canonical = (ROOT / "tests/vectors/consultation/consultation.canonical.json").read_text(encoding="utf-8")
    assert mpe.normalize_consultation_json(load("consultation.json")) == canonical
    assert mpe.normalize_consultation_json(canonical) == canonical


def test_public_json_matches_the_committed_schema():
    schema = json.loads((ROOT / "schemas/consultation.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(mpe.normalize_consultation(load("consultation.json")), schema)
    org_schema = json.loads((ROOT / "schemas/organisation.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(load("organisation.json"), org_schema)


def test_realistic_consultation_validates_clean():
    findings = mpe.validate_consultation(load("consultation.json"), load("organisation.json"), now=NOW)
    assert [f for f in findings if f["gravite"] == "erreur"] == []
    assert mpe.validate_consultation(load("consultation.json"), now="2026-11-02T09:00:00Z") is not None


def test_findings_carry_code_path_and_article():
    c = load("consultation.json")
    c["lots"][1]["cpv"]["principal"] = "30213100-6"  # supplies code in a works lot
    c["calendrier"]["dlro"] = "2026-11-28T12:00:00"  # 25 days after the notice
    findings = mpe.validate_consultation(c, load("organisation.json"), now=NOW)
    by_code = {f["code"]: f for f in findings}
    assert by_code["CPV_CATEGORIE"]["chemin"] == "$.lots[1].cpv.principal"
    assert by_code["CPV_CATEGORIE"]["gravite"] == "erreur"
    assert by_code["DELAI_INSUFFISANT"]["gravite"] == "avertissement"
    assert by_code["DELAI_INSUFFISANT"]["article"] == "R. 2161-2"


def test_cpv_lookup():
    assert mpe.cpv.lookup("45331000-6")["categorie"] == "travaux"
    with pytest.raises(mpe.ValidationError) as e:
        mpe.cpv.lookup("45331000-7")
    assert e.value.code == 203 and e.value.name == "CPV_CLE_CONTROLE"
    with pytest.raises(mpe.ValidationError) as e:
        mpe.cpv.lookup("nope")
    assert e.value.name == "CPV_FORMAT"


def test_reference_siret_access_code():
    mpe.check_reference("AOO_2026/0611")
    with pytest.raises(mpe.ValidationError) as e:
        mpe.check_reference("AOO 2026")
    assert e.value.code == 201
    mpe.check_siret("21690123100011")
    with pytest.raises(mpe.ValidationError):
        mpe.check_siret("21690123100012")
    codes = {mpe.generate_access_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)


def test_bad_input_is_typed():
    with pytest.raises(mpe.InvalidInput) as e:
        mpe.validate_consultation({"id": 1}, now=NOW)
    assert e.value.code == 102 and e.value.name == "INVALID_JSON"
    with pytest.raises(mpe.InvalidInput):
        mpe.validate_consultation(load("consultation.json"), now=dt.datetime(2026, 1, 1))
    with pytest.raises(mpe.InvalidInput) as e:
        mpe.validate_consultation(load("consultation.json"), now="hier")
    assert e.value.name == "INVALID_ARGUMENT"


def test_error_table_matches_exception_families():
    table = mpe.error_codes()
    assert table[303][0] == "HORS_DELAI" and table[303][1] == "ProcedureError"
    for code, (name, cls, label) in table.items():
        assert hasattr(mpe, cls), cls
        assert issubclass(getattr(mpe, cls), mpe.MpeError)
        assert label
