"""Delta CRLs (RFC 5280 5.2.4) made by pyca/cryptography (an independent CRL writer), on a
CAdES signature openssl cms makes: a delta applies with its complete CRL; alone, its silence
is never taken for "not revoked" (CRL_DELTA_SANS_BASE), while a revocation it lists is
believed; a hold of the complete CRL that the delta lifts (removeFromCRL) no longer counts."""

from __future__ import annotations

import datetime as dt
import pathlib
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import mpe

MAINTENANT = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _nom(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pki(tmp: pathlib.Path):
    cle_ca = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_nom("AC delta"))
        .issuer_name(_nom("AC delta"))
        .public_key(cle_ca.public_key())
        .serial_number(1)
        .not_valid_before(MAINTENANT - dt.timedelta(days=2))
        .not_valid_after(MAINTENANT + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(cle_ca, hashes.SHA256())
    )
    cle = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_nom("Signataire delta"))
        .issuer_name(ca.subject)
        .public_key(cle.public_key())
        .serial_number(4242)
        .not_valid_before(MAINTENANT - dt.timedelta(days=1))
        .not_valid_after(MAINTENANT + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(cle_ca, hashes.SHA256())
    )
    (tmp / "s.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "s.key").write_bytes(
        cle.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (tmp / "offre.txt").write_bytes(b"Offre de prix\n")
    subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-in", "offre.txt", "-signer", "s.pem",
         "-inkey", "s.key", "-outform", "DER", "-out", "s.p7s"],
        cwd=tmp, check=True, capture_output=True,
    )
    return ca, cle_ca, cert


def _crl(ca, cle_ca, numero: int, base: int | None, entrees: list[tuple[int, x509.ReasonFlags]]) -> str:
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(MAINTENANT - dt.timedelta(hours=1))
        .next_update(MAINTENANT + dt.timedelta(days=1))
        .add_extension(x509.CRLNumber(numero), critical=False)
    )
    if base is not None:
        b = b.add_extension(x509.DeltaCRLIndicator(base), critical=True)
    for serie, raison in entrees:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serie)
            .revocation_date(MAINTENANT - dt.timedelta(hours=2))
            .add_extension(x509.CRLReason(raison), critical=False)
            .build()
        )
    return b.sign(cle_ca, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


def _verifier(tmp: pathlib.Path, ca, crls: list[str]) -> dict:
    r = mpe.signature.verifier(
        (tmp / "s.p7s").read_bytes(),
        (tmp / "offre.txt").read_bytes(),
        ancres_pem=ca.public_bytes(serialization.Encoding.PEM).decode(),
        crls_pem="".join(crls),
        date=(MAINTENANT + dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z"),
    )
    return r["signatures"][0]


def _ecartees(s: dict) -> list[str]:
    return [e["code"] for c in s["revocations"] for e in c["ecartees"]]


def test_delta_avec_et_sans_sa_base(tmp_path: pathlib.Path) -> None:
    ca, cle_ca, cert = _pki(tmp_path)
    serie = cert.serial_number
    base = _crl(ca, cle_ca, 10, None, [])
    delta_vide = _crl(ca, cle_ca, 11, 10, [])
    # Alone, an empty delta proves nothing.
    s = _verifier(tmp_path, ca, [delta_vide])
    assert s["revoque"] is None, s
    assert "CRL_DELTA_SANS_BASE" in _ecartees(s)
    # A delta whose base is older than its BaseCRLNumber does not apply either.
    s = _verifier(tmp_path, ca, [_crl(ca, cle_ca, 9, None, []), delta_vide])
    assert "CRL_DELTA_SANS_BASE" in _ecartees(s)
    # With its base: not revoked.
    s = _verifier(tmp_path, ca, [base, delta_vide])
    assert s["statut"] == "VALIDE", s
    assert s["revoque"] is False
    assert "CRL_DELTA_SANS_BASE" not in _ecartees(s)
    # A revocation a delta lists is believed, base or not.
    delta_revoque = _crl(ca, cle_ca, 11, 10, [(serie, x509.ReasonFlags.key_compromise)])
    s = _verifier(tmp_path, ca, [delta_revoque])
    assert s["statut"] == "INVALIDE", s
    assert s["revocations"][0]["raison"] == "compromission_cle"


def test_suspension_levee_par_la_delta(tmp_path: pathlib.Path) -> None:
    ca, cle_ca, cert = _pki(tmp_path)
    serie = cert.serial_number
    base = _crl(ca, cle_ca, 20, None, [(serie, x509.ReasonFlags.certificate_hold)])
    s = _verifier(tmp_path, ca, [base])
    assert s["revoque"] is True, s
    levee = _crl(ca, cle_ca, 21, 20, [(serie, x509.ReasonFlags.remove_from_crl)])
    s = _verifier(tmp_path, ca, [base, levee])
    assert s["revoque"] is False, s
    assert s["statut"] == "VALIDE"
