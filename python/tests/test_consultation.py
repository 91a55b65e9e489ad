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
    assert mpe.consultation.normaliser_json(load("consultation.json")) == canonical
    assert mpe.consultation.normaliser_json(canonical) == canonical


def test_public_json_matches_the_committed_schema():
    schema = json.loads((ROOT / "schemas/consultation.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(mpe.consultation.normaliser(load("consultation.json")), schema)
    org_schema = json.loads((ROOT / "schemas/organisation.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(load("organisation.json"), org_schema)


def test_realistic_consultation_validates_clean():
    findings = mpe.consultation.valider(load("consultation.json"), load("organisation.json"), maintenant=NOW)
    assert [f for f in findings if f["gravite"] == "erreur"] == []
    assert mpe.consultation.valider(load("consultation.json"), maintenant="2026-11-02T09:00:00Z") is not None


def test_findings_carry_code_path_and_article():
    c = load("consultation.json")
    c["lots"][1]["cpv"]["principal"] = "30213100-6"  # supplies code in a works lot
    c["calendrier"]["dlro"] = "2026-11-28T12:00:00"  # 25 days after the notice
    findings = mpe.consultation.valider(c, load("organisation.json"), maintenant=NOW)
    by_code = {f["code"]: f for f in findings}
    assert by_code["CPV_CATEGORIE"]["chemin"] == "$.lots[1].cpv.principal"
    assert by_code["CPV_CATEGORIE"]["gravite"] == "erreur"
    assert by_code["DELAI_INSUFFISANT"]["gravite"] == "avertissement"
    assert by_code["DELAI_INSUFFISANT"]["article"] == "R. 2161-2"


def test_cpv_lookup():
    assert mpe.cpv.chercher("45331000-6")["categorie"] == "travaux"
    c = mpe.cpv.chercher("45000000-7")
    assert (c["libelle"], c["libelle_en"]) == ("Travaux de construction", "Construction work")
    with pytest.raises(mpe.exceptions.ErreurValidation) as e:
        mpe.cpv.chercher("45331000-7")
    assert e.value.code == 203 and e.value.nom == "CPV_CLE_CONTROLE"
    with pytest.raises(mpe.exceptions.ErreurValidation) as e:
        mpe.cpv.chercher("nope")
    assert e.value.nom == "CPV_FORMAT"


def test_reference_siret_access_code():
    mpe.reference.valider("AOO_2026/0611")
    with pytest.raises(mpe.exceptions.ErreurValidation) as e:
        mpe.reference.valider("AOO 2026")
    assert e.value.code == 201
    mpe.siret.valider("21690123100011")
    with pytest.raises(mpe.exceptions.ErreurValidation):
        mpe.siret.valider("21690123100012")
    codes = {mpe.code_acces.generer() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)


def test_bad_input_is_typed():
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.consultation.valider({"id": 1}, maintenant=NOW)
    assert e.value.code == 102 and e.value.nom == "JSON_INVALIDE"
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.consultation.valider(load("consultation.json"), maintenant=dt.datetime(2026, 1, 1))
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.consultation.valider(load("consultation.json"), maintenant="hier")
    assert e.value.nom == "ARGUMENT_INVALIDE"


def test_error_table_matches_exception_families():
    table = mpe.code_erreur.lister()
    assert table[303][0] == "HORS_DELAI" and table[303][1] == "ErreurProcedure"
    # Every family has its own class (none falls back to the base class).
    assert table[900][1] == "ErreurPublication" and table[530][1] == "ErreurSignature"
    assert all(cls != "ErreurMpe" for _, cls, _ in table.values())
    for code, (name, cls, label) in table.items():
        assert hasattr(mpe.exceptions, cls), cls
        assert issubclass(getattr(mpe.exceptions, cls), mpe.exceptions.ErreurMpe)
        assert label
