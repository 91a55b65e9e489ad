"""mpe.avis and mpe.dume from Python: the contract notice (16) of the example consultation
written, read back and accepted by the eForms SDK's XSD (lxml) and Schematron rules (Saxon,
tests/interop/eforms_validateur.py); a restricted procedure without its minimum number of
candidates (BT-50) found by the pre-check; the buyer's DUME written and read back; the
official ESPD-EDM 4.1.0 response compared with its request; typed refusals."""

from __future__ import annotations

import json
import os
import pathlib
import sys

import pytest

_SOURCE = pathlib.Path(__file__).resolve().parents[1]
sys.path[:] = [d for d in sys.path if pathlib.Path(d or ".").resolve() != _SOURCE]

import mpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
MAINTENANT = "2026-11-03T09:00:00Z"


def _lire(chemin: str) -> dict:
    return json.loads((RACINE / chemin).read_text(encoding="utf-8"))


@pytest.fixture()
def entrees() -> tuple[dict, dict, dict]:
    return (
        _lire("examples/data/consultation.json"),
        _lire("examples/data/organisation.json"),
        _lire("tests/vectors/publication/donnees_avis.json"),
    )


def _espd() -> pathlib.Path:
    if "MPE_ESPD" in os.environ:
        return pathlib.Path(os.environ["MPE_ESPD"])
    for d in RACINE.parents:
        if (d / "shared" / "data" / "espd").is_dir():
            return d / "shared" / "data" / "espd"
    raise AssertionError("shared/data/espd introuvable (MPE_ESPD)")


def test_avis_16_ecrit_relu_et_valide_par_le_sdk(entrees, tmp_path: pathlib.Path) -> None:
    c, o, d = entrees
    avis = mpe.avis.generer_marche("16", c, o, d, maintenant=MAINTENANT)
    assert avis["sous_type"] == "16" and avis["avertissements"] == []
    r = mpe.avis.lire(avis["xml"])
    assert r["sous_type"] == "16"
    assert r["identifiant"] == avis["identifiant"]
    assert [lot["identifiant"] for lot in r["lots"]] == ["LOT-0001", "LOT-0002", "LOT-0003"]
    # The SDK's own XSD and Schematron, run by lxml and Saxon.
    sys.path.insert(0, str(RACINE / "tests" / "interop"))
    from eforms_validateur import Validateur

    f = tmp_path / "avis-16.xml"
    f.write_text(avis["xml"], encoding="utf-8")
    rapport = Validateur().valider(f, "eforms-16")
    assert rapport.xsd == [], rapport.xsd
    assert rapport.erreurs == set(), sorted(rapport.echecs)


def test_precontrole_bt_50(entrees) -> None:
    c, o, d = entrees
    c["identification"]["procedure"] = "appel_offres_restreint"
    constats = mpe.avis.verifier_marche("16", c, o, d, maintenant=MAINTENANT)
    k = [x for x in constats if x["bt"] == "BT-50-Lot"]
    assert k and k[0]["champ"] == "$.consultation.modalites.nombre_minimal_candidats"
    assert k[0]["gravite"] == "erreur"
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        mpe.avis.generer_marche("16", c, o, d, maintenant=MAINTENANT)
    assert e.value.nom == "AVIS_INCOMPLET"
    c["modalites"]["nombre_minimal_candidats"] = 5
    assert "<cbc:MinimumQuantity>5</cbc:MinimumQuantity>" in mpe.avis.generer_marche(
        "16", c, o, d, maintenant=MAINTENANT
    )["xml"]


def test_refus_types(entrees) -> None:
    c, o, d = entrees
    for st in ("18", "29", "17"):
        with pytest.raises(mpe.exceptions.ErreurPublication) as e:
            mpe.avis.generer_marche(st, c, o, d, maintenant=MAINTENANT)
        assert e.value.nom == "AVIS_NON_PRIS_EN_CHARGE", st
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.avis.generer_marche("16", "{", o, d, maintenant=MAINTENANT)
    assert e.value.nom == "JSON_INVALIDE"
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        mpe.avis.lire("<html/>")
    assert e.value.nom == "AVIS_NON_EFORMS"


def test_dume_aller_retour(entrees) -> None:
    c, o, _ = entrees
    for version in ("2.1.1", "4.1.0"):
        dm = mpe.dume.generer_demande(c, o, version, maintenant=MAINTENANT)
        r = mpe.dume.lire(dm["xml"].encode())
        assert r["nature"] == "demande" and r["version"] == version
        # 4.1.0 names the criteria by the codes mpe reports; 2.1.1 by its own codes.
        assert len(r["criteres"]) == len(dm["criteres"])
        if version == "4.1.0":
            assert r["criteres"] == dm["criteres"]
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        mpe.dume.generer_demande(c, o, "3.0.0", maintenant=MAINTENANT)
    assert e.value.nom == "DUME_VERSION_NON_PRISE_EN_CHARGE"
    espd = _espd() / "4.1.0" / "examples"
    demande = (espd / "ESPD-Request.xml").read_bytes()
    reponse = (espd / "ESPD-Response.xml").read_bytes()
    numero = mpe.dume.lire(reponse)["entreprise"]["identifiants"][0]
    ecarts = mpe.dume.comparer(reponse, demande, {"etranger": {"pays": "BE", "numero": numero}})
    assert not [x for x in ecarts if x["sujet"] in ("identite", "nature")], ecarts
    ecarts = mpe.dume.comparer(reponse, demande, {"siret": "51802345600024"})
    assert [x for x in ecarts if x["sujet"] == "identite"]
    # mpe's own request: another procedure.
    notre = mpe.dume.generer_demande(c, o, "4.1.0", maintenant=MAINTENANT)["xml"].encode()
    assert [x for x in mpe.dume.comparer(reponse, notre, {"etranger": {"pays": "BE", "numero": numero}})
            if x["sujet"] == "procedure"]
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        mpe.dume.lire(b"<a/>")
    assert e.value.nom == "DUME_NON_ESPD"
