"""pytest of mpe.signature: the three formats, paths, two steps with a key held outside
mpe (the ``cryptography`` package plays the smartcard), B-T and bad inputs."""

from __future__ import annotations

import datetime as dt
import pathlib
import subprocess
import threading

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils

import mpe

V = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "signature"
KEY = (V / "signataire.key").read_bytes()
CERT = (V / "signataire.pem").read_bytes()
CA = (V / "ca.pem").read_bytes()
DATE = dt.datetime(2027, 1, 15, 10, 0, tzinfo=dt.timezone.utc)
DATA = b"Offre de prix, lot 4\n"


def check(sig: bytes, data: bytes | None = None) -> dict:
    return mpe.signature.verifier(sig, data, ancres_pem=CA, date=DATE)


@pytest.mark.parametrize("fmt", ["cades", "xades", "pades"])
def test_sign_verify(fmt: str) -> None:
    data = (V / "simple.pdf").read_bytes() if fmt == "pades" else DATA
    sig = mpe.signature.signer(fmt, bytearray(data), cle_pem=KEY, certificats_pem=CERT, date=DATE, options={"nom_fichier": "offre.txt"})
    report = check(sig, None if fmt == "pades" else memoryview(data))
    assert report["statut"] == "VALIDE", report
    one = report["signatures"][0]
    assert one["signataire"]["qualifie_eidas"] and one["adapte_marches_publics"]
    assert "Adapté pour les marchés publics" in report["resume"]
    if fmt != "pades":
        bad = check(sig, b"autre")
        assert bad["statut"] == "INVALIDE" and bad["signatures"][0]["code"] == "SIGNATURE_INTEGRITE"


def test_paths_and_visible_pdf(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "offre finale.txt"
    src.write_bytes(DATA * 1000)
    out = tmp_path / mpe.signature.nommer_sortie(src.name, "xades", DATE)
    assert out.name == "offre finale.txt - 20270115110000 - Signature 1.xml"
    mpe.signature.signer_fichier("xades", src, out, cle_pem=KEY, certificats_pem=CERT, date=DATE)
    assert mpe.signature.verifier_fichier(out, src, ancres_pem=CA, date=DATE)["statut"] == "VALIDE"
    pdf_out = tmp_path / "signe.pdf"
    mpe.signature.signer_fichier(
        "pades", V / "xrefstream.pdf", pdf_out, cle_pem=KEY, certificats_pem=CERT, date=DATE,
        options={"pades": {"apparence": {"page": 1, "rect": [50, 50, 250, 110]}, "raison": "Offre"}},
    )
    assert mpe.signature.verifier_fichier(pdf_out, ancres_pem=CA, date=DATE)["statut"] == "VALIDE"


@pytest.mark.parametrize("fmt", ["cades", "xades", "pades"])
@pytest.mark.parametrize("scheme", ["RSA_PKCS1V15", "RSA_PSS"])
def test_two_steps_with_external_key(fmt: str, scheme: str) -> None:
    data = (V / "simple.pdf").read_bytes() if fmt == "pades" else DATA
    prepared = mpe.signature.preparer(fmt, data, certificats_pem=CERT, date=DATE, options={"schema": scheme, "algorithme_empreinte": "SHA-384"})
    assert prepared["algorithme_empreinte"] == "SHA-384"
    key = serialization.load_pem_private_key(KEY, password=None)
    digest = mpe.signature.lire_empreinte(prepared)
    pad = padding.PKCS1v15() if scheme == "RSA_PKCS1V15" else padding.PSS(padding.MGF1(hashes.SHA384()), 48)
    value = key.sign(digest, pad, utils.Prehashed(hashes.SHA384()))
    signed = mpe.signature.assembler(prepared, value)
    report = check(signed, None if fmt == "pades" else data)
    assert report["statut"] == "VALIDE", report
    assert report["signatures"][0]["schema"] == scheme
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.signature.assembler(prepared, b"\0" * 256)
    assert e.value.code == 503


def test_timestamp(tmp_path: pathlib.Path) -> None:
    sig = mpe.signature.signer("cades", DATA, cle_pem=KEY, certificats_pem=CERT, date=DATE)
    (tmp_path / "req.tsq").write_bytes(mpe.horodatage.generer_requete(sig, nonce=99))
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"]:
        (tmp_path / f).write_bytes((V / f).read_bytes())
    subprocess.run(["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "req.tsq", "-out", "r.tsr"], cwd=tmp_path, check=True, capture_output=True)
    bt = mpe.horodatage.ajouter(sig, (tmp_path / "r.tsr").read_bytes())
    report = check(bt, DATA)
    assert report["signatures"][0]["niveau"] == "B-T" and report["signatures"][0]["horodatage"]["valide"]


def test_bad_inputs() -> None:
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.signature.verifier(b"garbage")
    assert e.value.code == 500
    sig = mpe.signature.signer("xades", DATA, cle_pem=KEY, certificats_pem=CERT, date=DATE)
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.signature.verifier(sig)
    assert e.value.nom == "FICHIER_SIGNE_MANQUANT"
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.signature.verifier(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', DATA)
    assert e.value.nom == "XML_DTD_INTERDITE"
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.signature.signer("pades", b"%PDF-1.4 broken", cle_pem=KEY, certificats_pem=CERT, date=DATE)
    assert e.value.nom == "PDF_MALFORME"
    with pytest.raises(mpe.exceptions.ErreurChiffrement):
        mpe.signature.signer("cades", DATA, cle_pem=b"nope", certificats_pem=CERT, date=DATE)
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.signature.signer("cades", DATA, cle_pem=KEY, certificats_pem=CERT, date=dt.datetime(2027, 1, 1))
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.signature.signer("p7m", DATA, cle_pem=KEY, certificats_pem=CERT, date=DATE)  # type: ignore[arg-type]


def test_gil_released() -> None:
    """Two threads verify at the same time: the GIL is released around the work."""
    big = b"x" * (8 << 20)
    sig = mpe.signature.signer("cades", big, cle_pem=KEY, certificats_pem=CERT, date=DATE)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(check(sig, big)["statut"])) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["VALIDE", "VALIDE"]
