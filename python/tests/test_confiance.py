"""pytest of the EU trusted lists through the Python package: the corpus's LOTL and every
national list it announces (shared/corpus/tsl, from DSS) loaded by ``mpe.confiance.charger``,
each with the verdict the corpus expects; a certificate qualified; the lists passed to
``mpe.signature.verifier``. The corpus is ``$MPE_CORPUS`` or the first ``shared/corpus`` above
the repository: a missing corpus fails."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

import mpe


def _corpus() -> pathlib.Path:
    if os.environ.get("MPE_CORPUS"):
        return pathlib.Path(os.environ["MPE_CORPUS"])
    for d in pathlib.Path(__file__).resolve().parents:
        if (d / "shared" / "corpus" / "expectations.json").is_file():
            return d / "shared" / "corpus"
    raise AssertionError("corpus introuvable (MPE_CORPUS ou shared/corpus au-dessus du dépôt)")


C = _corpus()
DATE = "2019-09-04T08:00:00Z"
LOTL_PEM = (C / "tsl/anchors/lotl-signer-patrick-kremer.pem").read_text()


def _nationales() -> dict[str, str]:
    """The lists the LOTL announces (anchor taken from its pointer), with their verdict."""
    exp = json.loads((C / "expectations.json").read_text())
    out = {}
    for e in exp["entries"]:
        ancres = e.get("trust_anchors") or []
        if e["kind"] == "tsl" and e["path"].startswith("tsl/dss/lotlCache/") and any(
            a.startswith("tsl/anchors/announced/eu-lotl-") and "pivot" not in a for a in ancres
        ):
            out[e["path"]] = e["expected"]
    return out


def test_lotl_et_toutes_ses_listes_du_corpus() -> None:
    attendus = _nationales()
    assert len(attendus) >= 15
    chemins = sorted(attendus) + ["tsl/dss/lotlCache/CZ_broken-sig.xml"]
    r = mpe.confiance.charger(
        (C / "tsl/dss/eu-lotl.xml").read_bytes(),
        certificats_lotl_pem=LOTL_PEM,
        listes=[(C / p).read_bytes() for p in chemins],
        date=DATE,
    )
    assert r["lotl"]["rapport"]["utilisable"] is True
    assert len(r["entrees"]) == len(chemins)
    for p, e in zip(chemins, r["entrees"]):
        attendu = attendus.get(p, "invalid")
        utilisee = bool(e["rapport"] and e["rapport"]["utilisable"])
        assert utilisee == (attendu == "valid"), (p, e["rapport"] and e["rapport"]["raison"], e["erreur"])
    assert len(r["listes"]) == sum(1 for v in attendus.values() if v == "valid")
    for liste in r["listes"]:
        assert liste["prestataires"], liste["territoire"]


def test_lotl_signee_par_un_autre_certificat() -> None:
    r = mpe.confiance.charger(
        (C / "tsl/dss/eu-lotl.xml").read_bytes(),
        certificats_lotl_pem=(C / "tsl/anchors/pivot-signer-pierre-damas.pem").read_text(),
        listes=[(C / "tsl/dss/lotlCache/FR.xml").read_bytes()],
        date=DATE,
    )
    assert r["lotl"]["rapport"]["utilisable"] is False
    assert r["lotl"]["rapport"]["code"] == "LISTE_CONFIANCE_SIGNATAIRE_NON_ANNONCE"
    assert r["listes"] == []
    assert r["entrees"][0]["erreur"]["code"] == "LISTE_CONFIANCE_SIGNATAIRE_NON_ANNONCE"


def test_chaine_de_pivots() -> None:
    """DSS's OJ test LOTLs: with the OJ 2 keys, pivot 01 is skipped (not signed by them),
    pivot 02 is not given, pivot 03 announces the LOTL's signer. From the OJ 1 keys, pivot 01
    is taken up but the LOTL's signer is announced by pivot 02 only: not usable."""
    piv = "http://18.202.217.18/res/pivot/"
    d = C / "tsl/dss/pivots"
    lotl = (d / "lotl_test_OJ_1_pivot_03.xml").read_bytes()
    pem = (C / "tsl/anchors/oj2-keystore-certs.pem").read_text()
    pivots = {f"{piv}lotl_test_OJ_1_pivot_0{n}.xml": (d / f"lotl_test_OJ_1_pivot_0{n}.xml").read_bytes() for n in (1, 3)}
    r = mpe.confiance.charger(lotl, certificats_lotl_pem=pem, pivots=pivots, date="2023-11-24T07:00:44Z")
    assert r["lotl"]["rapport"]["utilisable"] is True
    assert [p["adresse"].rsplit("/", 1)[1] for p in r["pivots"]] == [
        "lotl_test_OJ_1_pivot_01.xml",
        "lotl_test_OJ_1_pivot_02.xml",
        "lotl_test_OJ_1_pivot_03.xml",
    ]
    assert [p["retenu"] for p in r["pivots"]] == [False, False, True]
    assert r["pivots"][1]["erreur"]["code"] == "LISTE_CONFIANCE_PIVOT_ABSENT"
    oj1 = (C / "tsl/anchors/oj1-keystore-certs.pem").read_text()
    r = mpe.confiance.charger(lotl, certificats_lotl_pem=oj1, pivots=pivots, date="2023-11-24T07:00:44Z")
    assert [p["retenu"] for p in r["pivots"]] == [True, False, False]
    assert r["lotl"]["rapport"]["code"] == "LISTE_CONFIANCE_SIGNATAIRE_NON_ANNONCE"


def test_qualifier_et_verifier_avec_les_listes() -> None:
    lotl = (C / "tsl/dss/eu-lotl.xml").read_bytes()
    sk = (C / "tsl/dss/lotlCache/SK.xml").read_bytes()
    q = mpe.confiance.qualifier(
        (C / "tsl/anchors/sk-subject-certificate.pem").read_bytes(),
        lotl=lotl,
        certificats_lotl_pem=LOTL_PEM,
        listes=[sk],
        date=DATE,
    )
    assert q["qualification"] in {"QESig", "QESeal", "AdESig-QC", "AdESeal-QC", "AdES", "INDETERMINEE"}
    assert q["etapes"]
    rapport = mpe.signature.verifier(
        (C / "signatures/cades/dss/counterSignedLTA.p7s").read_bytes(),
        date=DATE,
        listes_confiance={"lotl": lotl, "certificats_lotl_pem": LOTL_PEM, "listes": [sk]},
    )
    s = rapport["signatures"][0]
    assert "qualification" in s
    ctl = [c for c in s["controles_marches_publics"] if c["nom"].startswith("catégorie du certificat")]
    assert ctl and "selon les listes de confiance" in ctl[0]["detail"]


def test_erreurs_typees() -> None:
    with pytest.raises(mpe.exceptions.ErreurMpe) as e:
        mpe.confiance.charger(b"x", certificats_lotl_pem="", date=DATE)
    assert e.value.code == 540 and e.value.nom == "LISTE_CONFIANCE_ENTREE"
    with pytest.raises(mpe.exceptions.ErreurMpe) as e:
        mpe.signature.verifier(
            b"x", listes_confiance={"lotl": b"x", "certificats_lotl_pem": LOTL_PEM, "listes": []}
        )
    assert e.value.code == 540 and e.value.nom == "LISTE_CONFIANCE_ENTREE"
