"""Interoperability of mpe's CMS envelopes and key pairs with OpenSSL and pyca/cryptography.

- ``openssl cms -decrypt`` opens what mpe writes, for each recipient, CBC and GCM, OAEP and
  PKCS#1 v1.5;
- mpe opens what ``openssl cms -encrypt`` writes, with and without ``-stream`` (BER with
  indefinite lengths and chunked OCTET STRINGs), DER and PEM, CBC and GCM, OAEP SHA-1,
  OAEP SHA-256 and v1.5;
- pyca/cryptography's PKCS#7 decryption opens mpe's CBC EnvelopedData;
- OpenSSL reads mpe's PKCS#12 and encrypted PKCS#8, and mpe reads OpenSSL's.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

import mpe

V = pathlib.Path(__file__).resolve().parents[2] / "tests/vectors/crypto"
OPENSSL = shutil.which("openssl")
RECIPIENTS = ["alice", "bob"]
KEYOPTS = {
    "oaep-sha1": ["-keyopt", "rsa_padding_mode:oaep"],
    "oaep-sha256": ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256"],
    "v1.5": [],
}


def openssl(*args: str, **kw) -> subprocess.CompletedProcess:
    assert OPENSSL, "openssl manquant : il doit être installé par scripts/deps/apt.txt"
    return subprocess.run([OPENSSL, *args], check=True, capture_output=True, **kw)


def bicle(name: str) -> bytes:
    return (V / f"{name}.cert.pem").read_bytes() + (V / f"{name}.key.pem").read_bytes()


def certs() -> bytes:
    return b"".join((V / f"{n}.cert.pem").read_bytes() for n in RECIPIENTS)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> pathlib.Path:
    # Several MB so that streaming goes through many chunks on both sides.
    p = tmp_path_factory.mktemp("plain") / "offre.bin"
    p.write_bytes(os.urandom(1024 * 1024 + 17))
    return p


@pytest.mark.parametrize("chiffrement", ["AES-256-GCM", "AES-256-CBC"])
@pytest.mark.parametrize("transport", ["RSA-OAEP-SHA256", "RSA-OAEP-SHA1", "RSA-PKCS1-v1_5"])
def test_openssl_opens_ours_for_each_recipient(tmp_path, plain, chiffrement, transport):
    env = tmp_path / "env.der"
    mpe.cms.chiffrer_fichier(plain, env, certs(), chiffrement, transport)
    for name in RECIPIENTS:
        out = tmp_path / f"{name}.out"
        openssl("cms", "-decrypt", "-binary", "-inform", "DER", "-in", str(env), "-recip", str(V / f"{name}.cert.pem"),
                "-inkey", str(V / f"{name}.key.pem"), "-out", str(out))
        assert out.read_bytes() == plain.read_bytes(), name
    # The structure is plain DER (definite lengths): openssl asn1parse accepts it strictly.
    parsed = openssl("asn1parse", "-inform", "DER", "-in", str(env), "-i").stdout.decode()
    assert "inf" not in parsed.split("\n")[0]
    assert ("id-smime-ct-authEnvelopedData" in parsed) == (chiffrement == "AES-256-GCM")


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("cipher", ["-aes-256-cbc", "-aes-256-gcm"])
@pytest.mark.parametrize("keyopt", list(KEYOPTS))
@pytest.mark.parametrize("outform", ["DER", "PEM"])
def test_we_open_openssl_envelopes(tmp_path, plain, stream, cipher, keyopt, outform):
    env = tmp_path / "env"
    args = ["cms", "-encrypt", "-binary", cipher, "-in", str(plain), "-outform", outform, "-out", str(env)]
    if stream:
        args.append("-stream")
    for name in RECIPIENTS:
        args += ["-recip", str(V / f"{name}.cert.pem"), *KEYOPTS[keyopt]]
    openssl(*args)
    if stream and outform == "DER":
        assert "l=inf" in openssl("asn1parse", "-inform", "DER", "-in", str(env)).stdout.decode()
    for name in RECIPIENTS:
        out = tmp_path / f"{name}.out"
        info = mpe.cms.dechiffrer_fichier(env, out, bicle(name))
        assert out.read_bytes() == plain.read_bytes()
        assert info["chiffrement"] == ("AES-256-GCM" if "gcm" in cipher else "AES-256-CBC")
    small = tmp_path / "small"
    openssl("cms", "-encrypt", "-binary", cipher, "-in", str(V / "plain.txt"), "-outform", outform, "-out", str(small),
            "-recip", str(V / "alice.cert.pem"), *KEYOPTS[keyopt], *(["-stream"] if stream else []))
    assert mpe.cms.dechiffrer(small.read_bytes(), bicle("alice")) == (V / "plain.txt").read_bytes()


def test_openssl_gcm_tamper_is_refused_without_output(tmp_path):
    env = tmp_path / "env.der"
    openssl("cms", "-encrypt", "-binary", "-aes-256-gcm", "-stream", "-in", str(V / "plain.txt"), "-outform", "DER",
            "-out", str(env), "-recip", str(V / "alice.cert.pem"))
    raw = bytearray(env.read_bytes())
    raw[-30] ^= 1  # inside the last content chunk or the tag
    env.write_bytes(raw)
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.cms.dechiffrer_fichier(env, tmp_path / "out", bicle("alice"))
    assert e.value.nom in ("INTEGRITE_ECHEC", "CMS_MALFORME")
    assert not (tmp_path / "out").exists()


def test_pyca_opens_our_cbc_enveloped_data():
    cert = x509.load_pem_x509_certificate((V / "alice.cert.pem").read_bytes())
    key = serialization.load_pem_private_key((V / "alice.key.pem").read_bytes(), None)
    data = b"Offre de la soci\xc3\xa9t\xc3\xa9 Dupont" * 100
    env = mpe.cms.chiffrer(data, certs(), "AES-256-CBC", "RSA-PKCS1-v1_5")
    assert pkcs7.pkcs7_decrypt_der(env, cert, key, []) == data


def test_key_pairs_with_openssl(tmp_path):
    # Ours → OpenSSL: PKCS#12, encrypted PKCS#8, certificate profile.
    p12 = mpe.bicle.generer("Jean DUPONT", "2026-11-01T00:00:00Z", "pw", bits=2048)
    (tmp_path / "k.p12").write_bytes(p12)
    dump = openssl("pkcs12", "-in", str(tmp_path / "k.p12"), "-passin", "pass:pw", "-nodes", "-info").stderr.decode()
    assert "AES-256-CBC" in dump and "sha256" in dump.lower()
    pem = mpe.bicle.exporter_pem(p12, "pw", "nouveau")
    (tmp_path / "k.pem").write_text(pem)
    openssl("pkey", "-in", str(tmp_path / "k.pem"), "-passin", "pass:nouveau", "-noout")
    text = openssl("x509", "-in", str(tmp_path / "k.pem"), "-noout", "-text").stdout.decode("utf-8", "replace")
    assert "Key Encipherment" in text and "2048 bit" in text
    subject = openssl("x509", "-in", str(tmp_path / "k.pem"), "-noout", "-subject", "-nameopt", "utf8").stdout.decode()
    assert "Clé de déchiffrement de Jean DUPONT" in subject
    # OpenSSL → ours: `openssl pkcs12 -export` with its defaults, and the wrong password.
    openssl("pkcs12", "-export", "-in", str(V / "bob.cert.pem"), "-inkey", str(V / "bob.key.pem"),
            "-passout", "pass:s3cr3t", "-out", str(tmp_path / "bob.p12"))
    bob = (tmp_path / "bob.p12").read_bytes()
    assert mpe.bicle.decrire(bob, "s3cr3t")["nom"] == "Clé de déchiffrement de bob"
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.bicle.decrire(bob, "faux")
    assert e.value.code == 405
    # A legacy (-legacy, 3DES/RC2) file is read as people have them (issue #16).
    legacy = subprocess.run([OPENSSL, "pkcs12", "-export", "-legacy", "-in", str(V / "bob.cert.pem"), "-inkey",
                             str(V / "bob.key.pem"), "-passout", "pass:x", "-out", str(tmp_path / "legacy.p12")],
                            capture_output=True)
    if legacy.returncode == 0:
        assert mpe.bicle.decrire((tmp_path / "legacy.p12").read_bytes(), "x")["nom"] == "Clé de déchiffrement de bob"
    # Encrypt to our generated key; OpenSSL decrypts with its PKCS#8.
    env = mpe.cms.chiffrer(b"pli", pem.encode())
    (tmp_path / "env.der").write_bytes(env)
    out = openssl("cms", "-decrypt", "-binary", "-inform", "DER", "-in", str(tmp_path / "env.der"), "-inkey",
                  str(tmp_path / "k.pem"), "-passin", "pass:nouveau").stdout
    assert out == b"pli"


def test_recipient_by_subject_key_identifier(tmp_path):
    # `-keyid` makes OpenSSL identify the recipient by its subject key identifier.
    env = tmp_path / "env.der"
    openssl("cms", "-encrypt", "-binary", "-aes-256-gcm", "-keyid", "-in", str(V / "plain.txt"), "-outform", "DER",
            "-out", str(env), "-recip", str(V / "alice.cert.pem"), "-recip", str(V / "bob.cert.pem"))
    assert "cont [ 0 ]" in openssl("asn1parse", "-inform", "DER", "-in", str(env)).stdout.decode()
    for name in RECIPIENTS:
        assert mpe.cms.dechiffrer(env.read_bytes(), bicle(name)) == (V / "plain.txt").read_bytes()
