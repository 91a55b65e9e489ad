"""pytest of decryption with a key alone (EC, X25519, PKCS#8), the ``legacy`` option and EC
key pairs, on real envelopes of the shared corpus (``MPE_CORPUS``, else ``../shared/corpus``);
openssl opens what mpe encrypts to the EC key pair it generated."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

import mpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
CORPUS = pathlib.Path(os.environ.get("MPE_CORPUS") or RACINE.parent / "shared" / "corpus")


def lire(chemin: str) -> bytes:
    p = CORPUS / chemin
    assert p.is_file(), f"corpus introuvable : {p}"
    return p.read_bytes()


def test_cle_ec_seule() -> None:
    clair, rapport = mpe.cms.dechiffrer_cle(
        lire("cms/bouncycastle/EnvelopedData_ECDH-SHA256KDF_AES256.pem"), lire("cms/bouncycastle/recipient_p256.pem")
    )
    assert clair == lire("cms/bouncycastle/plaintext.txt")
    assert rapport["acces"]["type"] == "kari"


def test_x25519_pkcs8_texte() -> None:
    cle = lire("cms/lamps/keys/lamps-dana.decrypt.p8.pem").decode()
    clair, rapport = mpe.cms.dechiffrer_cle(lire("cms/lamps/encryptedForBobAndDana.p7m"), cle)
    assert clair == lire("cms/lamps/plaintext.txt")
    assert rapport["acces"]["courbe"] == "X25519"


def test_legacy(tmp_path: pathlib.Path) -> None:
    env = lire("cms/heimdal/test-enveloped-des-ede3")
    cle = lire("cms/heimdal/test.key")
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.cms.dechiffrer_cle(env, cle)
    assert e.value.nom == "ALGORITHME_OBSOLETE"
    clair, _ = mpe.cms.dechiffrer_cle(env, cle, legacy=True)
    assert clair == lire("cms/heimdal/static-file")
    (tmp_path / "e.p7m").write_bytes(env)
    with pytest.raises(mpe.exceptions.ErreurChiffrement):
        mpe.cms.dechiffrer_fichier_cle(tmp_path / "e.p7m", tmp_path / "sortie", cle)
    assert not (tmp_path / "sortie").exists()
    rapport = mpe.cms.dechiffrer_fichier_cle(tmp_path / "e.p7m", tmp_path / "sortie", cle, legacy=True)
    assert (tmp_path / "sortie").read_bytes() == lire("cms/heimdal/static-file")
    assert rapport["taille"] == len(lire("cms/heimdal/static-file"))


@pytest.mark.parametrize("courbe", ["P-256", "P-384", "P-521"])
def test_bicle_ec_et_openssl(tmp_path: pathlib.Path, courbe: str) -> None:
    pem = mpe.bicle.generer_ec("Jeanne EC", "2026-11-01T00:00:00Z", courbe, mot_de_passe=b"pw")
    assert "ENCRYPTED PRIVATE KEY" in pem and "BEGIN CERTIFICATE" in pem
    env = mpe.cms.chiffrer(b"offre EC", pem)
    clair, rapport = mpe.cms.dechiffrer_cle(env, pem, "pw")
    assert clair == b"offre EC" and rapport["acces"]["courbe"] == courbe
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.cms.dechiffrer_cle(env, pem, "faux")
    assert e.value.nom == "MOT_DE_PASSE_INCORRECT"
    (tmp_path / "cle.pem").write_text(pem)
    (tmp_path / "env.der").write_bytes(env)
    subprocess.run(
        ["openssl", "cms", "-decrypt", "-inform", "DER", "-in", "env.der", "-inkey", "cle.pem", "-passin", "pass:pw",
         "-out", "clair"], cwd=tmp_path, check=True, capture_output=True,
    )
    assert (tmp_path / "clair").read_bytes() == b"offre EC"


def test_mauvaises_entrees() -> None:
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.bicle.generer_ec("X", "2026-11-01T00:00:00Z", "P-999")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mpe.cms.dechiffrer_cle(42, b"cle")  # type: ignore[arg-type]
    with pytest.raises(mpe.exceptions.ErreurChiffrement):
        mpe.cms.dechiffrer_cle(lire("cms/lamps/encryptedForBobAndDana.p7m"), b"pas une cle")
