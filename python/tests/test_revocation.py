"""pytest of revocation through the Python package: OCSP responses (DER) given to
``mpe.signature.verifier`` as ``reponses_ocsp``, on fixtures openssl made
(``tests/vectors/revocation/make.sh``)."""

from __future__ import annotations

import json
import pathlib

import mpe

F = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "revocation" / "fixe"


def _verifier(reponse: str) -> dict:
    date = json.loads((F / "options_ocsp.json").read_text())["date_verification"]
    rapport = mpe.signature.verifier(
        (F / "avant.p7s").read_bytes(),
        (F / "offre.txt").read_bytes(),
        ancres_pem=(F / "ca.pem").read_text(),
        date=date,
        reponses_ocsp=[(F / reponse).read_bytes()],
    )
    return rapport["signatures"][0]


def test_revoquee_avant_la_signature_selon_le_repondant_delegue() -> None:
    s = _verifier("repondant.ocsp")
    assert s["statut"] == "INVALIDE"
    assert s["sous_indication"] == "REVOKED"
    assert s["revocations"][0]["source"] == "OCSP"
    assert s["revocations"][0]["raison"] == "compromission_cle"


def test_reponse_d_un_repondant_non_autorise_ecartee() -> None:
    s = _verifier("bon.ocsp")
    assert s["statut"] == "VALIDE"
    assert s["revoque"] is None
    assert s["revocations"][0]["ecartees"][0]["code"] == "OCSP_REPONDANT_NON_AUTORISE"
