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
from mpe import signature

V = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "signature"
KEY = (V / "signataire.key").read_bytes()
CERT = (V / "signataire.pem").read_bytes()
CA = (V / "ca.pem").read_bytes()
DATE = dt.datetime(2027, 1, 15, 10, 0, tzinfo=dt.timezone.utc)
DATA = b"Offre de prix, lot 4\n"


def check(sig: bytes, data: bytes | None = None) -> dict:
    return signature.verify(sig, data, anchors_pem=CA, date=DATE)


@pytest.mark.parametrize("fmt", ["cades", "xades", "pades"])
def test_sign_verify(fmt: str) -> None:
    data = (V / "simple.pdf").read_bytes() if fmt == "pades" else DATA
    sig = signature.sign(fmt, bytearray(data), key_pem=KEY, certs_pem=CERT, date=DATE, options={"nom_fichier": "offre.txt"})
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
    out = tmp_path / signature.output_name(src.name, "xades", DATE)
    assert out.name == "offre finale.txt - 20270115110000 - Signature 1.xml"
    signature.sign_file("xades", src, out, key_pem=KEY, certs_pem=CERT, date=DATE)
    assert signature.verify_file(out, src, anchors_pem=CA, date=DATE)["statut"] == "VALIDE"
    pdf_out = tmp_path / "signe.pdf"
    signature.sign_file(
        "pades", V / "xrefstream.pdf", pdf_out, key_pem=KEY, certs_pem=CERT, date=DATE,
        options={"pades": {"apparence": {"page": 1, "rect": [50, 50, 250, 110]}, "raison": "Offre"}},
    )
    assert signature.verify_file(pdf_out, anchors_pem=CA, date=DATE)["statut"] == "VALIDE"


@pytest.mark.parametrize("fmt", ["cades", "xades", "pades"])
@pytest.mark.parametrize("scheme", ["RSA_PKCS1V15", "RSA_PSS"])
def test_two_steps_with_external_key(fmt: str, scheme: str) -> None:
    data = (V / "simple.pdf").read_bytes() if fmt == "pades" else DATA
    prepared = signature.prepare(fmt, data, certs_pem=CERT, date=DATE, options={"schema": scheme, "algorithme_empreinte": "SHA-384"})
    assert prepared["algorithme_empreinte"] == "SHA-384"
    key = serialization.load_pem_private_key(KEY, password=None)
    digest = signature.digest_to_sign(prepared)
    pad = padding.PKCS1v15() if scheme == "RSA_PKCS1V15" else padding.PSS(padding.MGF1(hashes.SHA384()), 48)
    value = key.sign(digest, pad, utils.Prehashed(hashes.SHA384()))
    signed = signature.assemble(prepared, value)
    report = check(signed, None if fmt == "pades" else data)
    assert report["statut"] == "VALIDE", report
    assert report["signatures"][0]["schema"] == scheme
    with pytest.raises(mpe.SignatureError) as e:
        signature.assemble(prepared, b"\0" * 256)
    assert e.value.code == 503


def test_timestamp(tmp_path: pathlib.Path) -> None:
    sig = signature.sign("cades", DATA, key_pem=KEY, certs_pem=CERT, date=DATE)
    (tmp_path / "req.tsq").write_bytes(signature.timestamp_request(sig, nonce=99))
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"]:
        (tmp_path / f).write_bytes((V / f).read_bytes())
    subprocess.run(["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "req.tsq", "-out", "r.tsr"], cwd=tmp_path, check=True, capture_output=True)
    bt = signature.add_timestamp(sig, (tmp_path / "r.tsr").read_bytes())
    report = check(bt, DATA)
    assert report["signatures"][0]["niveau"] == "B-T" and report["signatures"][0]["horodatage"]["valide"]


def test_bad_inputs() -> None:
    with pytest.raises(mpe.SignatureError) as e:
        signature.verify(b"garbage")
    assert e.value.code == 500
    sig = signature.sign("xades", DATA, key_pem=KEY, certs_pem=CERT, date=DATE)
    with pytest.raises(mpe.SignatureError) as e:
        signature.verify(sig)
    assert e.value.name == "FICHIER_SIGNE_MANQUANT"
    with pytest.raises(mpe.SignatureError) as e:
        signature.verify(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', DATA)
    assert e.value.name == "XML_DTD_INTERDITE"
    with pytest.raises(mpe.SignatureError) as e:
        signature.sign("pades", b"%PDF-1.4 broken", key_pem=KEY, certs_pem=CERT, date=DATE)
    assert e.value.name == "PDF_MALFORME"
    with pytest.raises(mpe.CryptoError):
        signature.sign("cades", DATA, key_pem=b"nope", certs_pem=CERT, date=DATE)
    with pytest.raises(mpe.InvalidInput):
        signature.sign("cades", DATA, key_pem=KEY, certs_pem=CERT, date=dt.datetime(2027, 1, 1))
    with pytest.raises(mpe.InvalidInput):
        signature.sign("p7m", DATA, key_pem=KEY, certs_pem=CERT, date=DATE)  # type: ignore[arg-type]


def test_gil_released() -> None:
    """Two threads verify at the same time: the GIL is released around the work."""
    big = b"x" * (8 << 20)
    sig = signature.sign("cades", big, key_pem=KEY, certs_pem=CERT, date=DATE)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(check(sig, big)["statut"])) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["VALIDE", "VALIDE"]
