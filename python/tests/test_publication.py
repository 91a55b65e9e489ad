"""mpe.avis and mpe.dume from Python: the contract notice (16) of the example consultation
written, read back and accepted by the eForms SDK's XSD (lxml) and Schematron rules (Saxon,
tests/interop/eforms_validateur.py); a restricted procedure without its minimum number of
candidates (BT-50) found by the pre-check; the buyer's DUME written and read back; the
official ESPD-EDM 4.1.0 response compared with its request; typed refusals; the SDK's
Schematron rules run by mpe itself (mpe.avis.ValidateurAvis), on mpe's notice and on the SDK's
invalid example, with the same failed rules as Saxon."""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time

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


def _sdk() -> pathlib.Path:
    if "MPE_EFORMS_SDK" in os.environ:
        return pathlib.Path(os.environ["MPE_EFORMS_SDK"])
    for d in RACINE.parents:
        if (d / "shared" / "data" / "eforms" / "1.15.1").is_dir():
            return d / "shared" / "data" / "eforms" / "1.15.1"
    raise AssertionError("shared/data/eforms/1.15.1 introuvable (MPE_EFORMS_SDK)")


@pytest.fixture(scope="module")
def validateur() -> mpe.avis.ValidateurAvis:
    return mpe.avis.ValidateurAvis(_sdk())


def test_validateur_avis_comme_saxon(entrees, validateur, tmp_path: pathlib.Path) -> None:
    """mpe's own Schematron run: mpe's notice 16 is valid; the SDK's INVALID_cn_24_multiple
    fails exactly the (id, role) Saxon finds on the SDK's rules."""
    c, o, d = entrees
    avis = mpe.avis.generer_marche("16", c, o, d, maintenant=MAINTENANT)
    r = validateur.valider(avis["xml"], maintenant=MAINTENANT)
    assert r["valide"] and r["echecs"] == [] and r["indetermines"] == [], r["echecs"]
    assert (r["phase"], r["version_sdk"], validateur.version) == ("eforms-16", "1.15.1", "1.15.1")
    assert r["tests_evalues"] > 1000

    sys.path.insert(0, str(RACINE / "tests" / "interop"))
    from eforms_validateur import Validateur

    # Saxon's current-date() is today's: mpe's is given the same day.
    aujourdhui = time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime())
    invalide = _sdk() / "examples" / "invalid-notices" / "INVALID_cn_24_multiple.xml"
    r = validateur.valider(invalide.read_text(encoding="utf-8"), maintenant=aujourdhui)
    assert not r["valide"]
    saxon = Validateur().valider(invalide, "eforms-16").echecs
    assert {(e["id"], e["role"]) for e in r["echecs"]} == saxon


def test_validateur_avis_refus(validateur, tmp_path: pathlib.Path) -> None:
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        validateur.valider("<a/>", maintenant=MAINTENANT)
    assert e.value.nom == "AVIS_NON_EFORMS"
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        validateur.valider("<ContractNotice", maintenant=MAINTENANT)
    assert e.value.nom == "AVIS_ILLISIBLE"
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        validateur.valider((_sdk() / "examples/notices/cn_24_minimal.xml").read_text(encoding="utf-8"),
                           maintenant=MAINTENANT, phase="eforms-99")
    assert e.value.nom == "PHASE_INCONNUE"
    with pytest.raises(mpe.exceptions.ErreurES):
        mpe.avis.ValidateurAvis(tmp_path / "absent")
    regles = tmp_path / "sdk" / "schematrons" / "static"
    regles.mkdir(parents=True)
    (regles / "complete-validation.sch").write_text("<pas-schematron/>", encoding="utf-8")
    with pytest.raises(mpe.exceptions.ErreurPublication) as e:
        mpe.avis.ValidateurAvis(tmp_path / "sdk", version="essai")
    assert e.value.nom == "SCHEMATRON_ILLISIBLE"


def test_validateur_avis_plusieurs_fils(entrees, validateur) -> None:
    """One validator shared by threads (the GIL released while each waits): the same
    reports as from the main thread, errors typed."""
    from concurrent.futures import ThreadPoolExecutor

    c, o, d = entrees
    xml = mpe.avis.generer_marche("16", c, o, d, maintenant=MAINTENANT)["xml"]
    seul = validateur.valider(xml, maintenant=MAINTENANT)
    with ThreadPoolExecutor(4) as pool:
        rapports = list(pool.map(lambda _: validateur.valider(xml, maintenant=MAINTENANT), range(4)))
        refus = pool.submit(validateur.valider, "<a/>", maintenant=MAINTENANT).exception()
    assert rapports == [seul] * 4
    assert isinstance(refus, mpe.exceptions.ErreurPublication) and refus.nom == "AVIS_NON_EFORMS"


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
