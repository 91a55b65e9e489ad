"""pytest of the other recipient kinds and of tokens: envelopes ``openssl cms -encrypt``
makes with ``-secretkey/-secretkeyid`` (KEK) and ``-pwri_password`` (password) decrypted
with the key or password; a SoftHSM2 token made by ``tests/pkcs11/jeton_softhsm.sh``
(``pkcs11-tool`` imports the keys) listed, decrypting envelopes openssl made for its
certificates and signing what ``openssl cms -verify`` accepts; the test signing identity
signed with and verified. A missing openssl, softhsm2 or pkcs11-tool is a failure."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import subprocess

import pytest

import mpe
from mpe.exceptions import ErreurChiffrement, ErreurEntree, ErreurMpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
CLAIR = "Offre de prix, lot 2 : 12 345,67 EUR\n".encode()
KEK = bytes(range(32))
MAINTENANT = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def maintenant() -> dt.datetime:
    """Now, after the fixture made its certificates (valid from their making)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(seconds=1)


def openssl(*args: str | pathlib.Path, cwd: pathlib.Path) -> None:
    subprocess.run(["openssl", *map(str, args)], cwd=cwd, check=True, capture_output=True)


@pytest.fixture()
def enveloppes(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "clair.txt").write_bytes(CLAIR)
    openssl("cms", "-encrypt", "-binary", "-aes256", "-secretkey", KEK.hex(), "-secretkeyid", b"kek-01".hex(),
            "-in", "clair.txt", "-outform", "DER", "-out", "kek.der", cwd=tmp_path)
    openssl("cms", "-encrypt", "-binary", "-aes128", "-pwri_password", "mot de passe", "-in", "clair.txt",
            "-outform", "DER", "-out", "pwri.der", cwd=tmp_path)
    return tmp_path


def test_kek(enveloppes: pathlib.Path) -> None:
    env = (enveloppes / "kek.der").read_bytes()
    clair, rapport = mpe.cms.dechiffrer_kek(env, KEK, "kek-01")
    assert clair == CLAIR
    assert rapport["acces"]["type"] == "kekri"
    with pytest.raises(ErreurChiffrement) as e:
        mpe.cms.dechiffrer_kek(env, KEK, b"kek-02")
    assert e.value.code == 401  # AUCUN_DESTINATAIRE
    with pytest.raises(ErreurMpe):
        mpe.cms.dechiffrer_kek(env, bytes(32), "kek-01")
    rapport = mpe.cms.dechiffrer_fichier_kek(enveloppes / "kek.der", enveloppes / "kek.txt", bytearray(KEK), "kek-01")
    assert (enveloppes / "kek.txt").read_bytes() == CLAIR and rapport["taille"] == len(CLAIR)
    with pytest.raises(ErreurMpe):
        mpe.cms.dechiffrer_fichier_kek(enveloppes / "kek.der", enveloppes / "non.txt", bytes(32), "kek-01")
    assert not (enveloppes / "non.txt").exists()


def test_mot_de_passe(enveloppes: pathlib.Path) -> None:
    env = (enveloppes / "pwri.der").read_bytes()
    clair, rapport = mpe.cms.dechiffrer_mot_de_passe(env, "mot de passe")
    assert clair == CLAIR and rapport["acces"]["type"] == "pwri"
    assert mpe.cms.dechiffrer_mot_de_passe(env, b"mot de passe")[0] == CLAIR
    with pytest.raises(ErreurChiffrement) as e:
        mpe.cms.dechiffrer_mot_de_passe(env, "mot de passf")
    assert e.value.code == 405  # MOT_DE_PASSE_INCORRECT
    mpe.cms.dechiffrer_fichier_mot_de_passe(enveloppes / "pwri.der", enveloppes / "p.txt", "mot de passe")
    assert (enveloppes / "p.txt").read_bytes() == CLAIR
    with pytest.raises(ErreurChiffrement):
        mpe.cms.dechiffrer_fichier_mot_de_passe(enveloppes / "pwri.der", enveloppes / "non.txt", "non")
    assert not (enveloppes / "non.txt").exists()


@pytest.fixture()
def jeton(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    conf = subprocess.run(
        [RACINE / "tests" / "pkcs11" / "jeton_softhsm.sh", tmp_path], check=True, capture_output=True, text=True
    ).stdout.strip()
    # SoftHSM reads it each time mpe loads the module (every call).
    monkeypatch.setenv("SOFTHSM2_CONF", conf)
    (tmp_path / "clair.txt").write_bytes(CLAIR)
    openssl("cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "clair.txt", "-outform", "DER", "-out", "rsa.der",
            "-recip", "cle-rsa.crt.pem", cwd=tmp_path)
    openssl("cms", "-encrypt", "-binary", "-aes256", "-in", "clair.txt", "-outform", "DER", "-out", "ec.der",
            "-recip", "cle-ec.crt.pem", cwd=tmp_path)
    return tmp_path


def test_jeton_lister_et_dechiffrer(jeton: pathlib.Path) -> None:
    l = mpe.jeton.lister(MODULE, MAINTENANT)
    assert [j["jeton"]["libelle"] for j in l] == ["mpe-test"]
    certs = {c["libelle"]: c for c in l[0]["certificats"]}
    assert set(certs) == {"cle-rsa", "cle-ec"}
    assert certs["cle-rsa"]["conformite"]["adapte"] is False  # not qualified
    clair, rapport = mpe.cms.dechiffrer_jeton((jeton / "rsa.der").read_bytes(), MODULE, "mpe-test", cle="cle-rsa",
                                              pin="123456")
    assert clair == CLAIR and rapport["acces"]["type"] == "ktri"
    clair, rapport = mpe.cms.dechiffrer_jeton((jeton / "ec.der").read_bytes(), MODULE, "mpe-test", id="02",
                                              pin=b"123456")
    assert clair == CLAIR and rapport["acces"]["type"] == "kari"
    mpe.cms.dechiffrer_fichier_jeton(jeton / "rsa.der", jeton / "r.txt", MODULE, "mpe-test", cle="cle-rsa",
                                     pin="123456")
    assert (jeton / "r.txt").read_bytes() == CLAIR
    codes = {
        "PIN_INCORRECT": dict(jeton="mpe-test", cle="cle-rsa", pin="000000"),
        "JETON_ABSENT": dict(jeton="autre", cle="cle-rsa", pin="123456"),
        "CLE_ABSENTE_DU_JETON": dict(jeton="mpe-test", cle="non", pin="123456"),
        "ARGUMENT_INVALIDE": dict(jeton="mpe-test", pin="123456"),
    }
    for nom, args in codes.items():
        with pytest.raises(ErreurMpe) as e:
            mpe.cms.dechiffrer_jeton((jeton / "rsa.der").read_bytes(), MODULE, **args)
        assert e.value.nom == nom, (nom, e.value)
    with pytest.raises(ErreurMpe) as e:
        mpe.cms.dechiffrer_fichier_jeton(jeton / "rsa.der", jeton / "non.txt", MODULE, "mpe-test", cle="cle-rsa",
                                         pin="999999")
    assert e.value.nom == "PIN_INCORRECT" and not (jeton / "non.txt").exists()
    with pytest.raises(ErreurMpe) as e:
        mpe.jeton.lister("/nonexistent/module.so", MAINTENANT)
    assert e.value.nom == "MODULE_PKCS11"


@pytest.mark.parametrize("cle, cert", [("cle-rsa", "cle-rsa.crt.pem"), ("cle-ec", "cle-ec.crt.pem")])
def test_jeton_signer(jeton: pathlib.Path, cle: str, cert: str) -> None:
    MAINTENANT = maintenant()
    sig = mpe.jeton.signer("cades", CLAIR, MODULE, "mpe-test", cle=cle, pin="123456", date=MAINTENANT,
                           options={"forcer": True})
    (jeton / "s.p7s").write_bytes(sig)
    openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", "s.p7s", "-content", "clair.txt", "-CAfile", cert,
            "-purpose", "any", "-out", "/dev/null", cwd=jeton)
    r = mpe.signature.verifier(sig, CLAIR, ancres_pem=(jeton / cert).read_bytes(), date=MAINTENANT)
    assert r["statut"] == "VALIDE", r
    mpe.jeton.signer_fichier("xades", jeton / "clair.txt", jeton / "s.xml", MODULE, "mpe-test", cle=cle,
                             pin="123456", date=MAINTENANT, options={"forcer": True})
    r = mpe.signature.verifier((jeton / "s.xml").read_bytes(), CLAIR, ancres_pem=(jeton / cert).read_bytes(),
                               date=MAINTENANT)
    assert r["statut"] == "VALIDE", r
    with pytest.raises(ErreurMpe) as e:
        mpe.jeton.signer("cades", CLAIR, MODULE, "mpe-test", cle=cle, pin="000000", date=MAINTENANT)
    assert e.value.nom == "PIN_INCORRECT"


def test_jeton_pades_pyhanko(jeton: pathlib.Path) -> None:
    """A PDF signed on the token (the key stays there) that pyHanko validates with the
    token's certificate as its only trust root."""
    pdf = (RACINE / "tests" / "vectors" / "signature" / "simple.pdf").read_bytes()
    signe = mpe.jeton.signer("pades", pdf, MODULE, "mpe-test", cle="cle-rsa", pin="123456", date=maintenant(),
                             options={"forcer": True})
    (jeton / "signe.pdf").write_bytes(signe)
    pyhanko = RACINE / ".venv" / "bin" / "pyhanko"
    assert pyhanko.exists(), f"pyHanko manquant : {pyhanko}"
    p = subprocess.run([str(pyhanko), "sign", "validate", "--trust", "cle-rsa.crt.pem", "--trust-replace",
                        "--no-revocation-check", "signe.pdf"], cwd=jeton, capture_output=True, text=True)
    assert "INTACT:TRUSTED" in p.stdout, p.stdout + p.stderr


def test_identite_test(tmp_path: pathlib.Path) -> None:
    p12, ac = mpe.bicle.generer_identite_test("CN=Jeanne Essai,O=Exemple SA,C=FR", MAINTENANT, "essai")
    assert "BEGIN CERTIFICATE" in ac
    pem = mpe.bicle.exporter_pem(p12, "essai")
    debut = pem.index("-----BEGIN PRIVATE KEY-----")
    sig = mpe.signature.signer("cades", CLAIR, cle_pem=pem[debut:], certificats_pem=pem[:debut], date=MAINTENANT)
    r = mpe.signature.verifier(sig, CLAIR, ancres_pem=ac, date=MAINTENANT)
    assert r["statut"] == "VALIDE" and r["signatures"][0]["adapte_marches_publics"] is False, r
    (tmp_path / "ac.pem").write_text(ac)
    (tmp_path / "p.p12").write_bytes(p12)
    subprocess.run(["openssl", "pkcs12", "-in", "p.p12", "-passin", "pass:essai", "-nokeys", "-out", "c.pem"],
                   cwd=tmp_path, check=True, capture_output=True)
    subprocess.run(["openssl", "verify", "-CAfile", "ac.pem", "-untrusted", "c.pem", "c.pem"], cwd=tmp_path,
                   check=True, capture_output=True)
    with pytest.raises(ErreurEntree):
        mpe.bicle.generer_identite_test("pas un nom", MAINTENANT, "essai")
