"""Python tests of the crypto area: buffers, paths, key pairs, errors, progress callable."""

from __future__ import annotations

import pathlib
import threading

import pytest

import mpe

V = pathlib.Path(__file__).resolve().parents[2] / "tests/vectors/crypto"
ALICE = (V / "alice.cert.pem").read_bytes() + (V / "alice.key.pem").read_bytes()
BOB = (V / "bob.cert.pem").read_bytes() + (V / "bob.key.pem").read_bytes()
CERTS = (V / "alice.cert.pem").read_bytes() + (V / "bob.cert.pem").read_bytes()
P12 = (V / "alice.p12").read_bytes()


@pytest.mark.parametrize("chiffrement", ["AES-256-GCM", "AES-256-CBC"])
@pytest.mark.parametrize("transport", ["RSA-OAEP-SHA256", "RSA-OAEP-SHA1", "RSA-PKCS1-v1_5"])
def test_round_trip_every_option(chiffrement, transport):
    env = mpe.cms.chiffrer(b"offre", CERTS, chiffrement, transport)
    assert mpe.cms.dechiffrer(env, BOB) == b"offre"
    assert mpe.cms.dechiffrer(memoryview(env), P12, "secret") == b"offre"


def test_errors_have_codes():
    env = mpe.cms.chiffrer(b"x", (V / "alice.cert.pem").read_bytes())
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.cms.dechiffrer(env, BOB)
    assert e.value.code == 401
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.bicle.decrire(P12, "faux")
    assert e.value.code == 405
    tampered = bytearray(env)
    tampered[-1] ^= 1
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.cms.dechiffrer(tampered, ALICE)
    assert e.value.code == 402
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.cms.dechiffrer(env[:20], ALICE)


def test_files_and_no_output_on_tamper(tmp_path):
    data = bytes(range(256)) * 4000
    (tmp_path / "in.bin").write_bytes(data)
    mpe.cms.chiffrer_fichier(tmp_path / "in.bin", tmp_path / "env.p7m", CERTS)
    info = mpe.cms.dechiffrer_fichier(tmp_path / "env.p7m", tmp_path / "out.bin", ALICE)
    assert info["taille"] == len(data) and info["chiffrement"] == "AES-256-GCM"
    assert (tmp_path / "out.bin").read_bytes() == data
    raw = bytearray((tmp_path / "env.p7m").read_bytes())
    raw[-3000] ^= 1
    (tmp_path / "bad.p7m").write_bytes(raw)
    with pytest.raises(mpe.exceptions.ErreurChiffrement):
        mpe.cms.dechiffrer_fichier(tmp_path / "bad.p7m", tmp_path / "bad.out", ALICE)
    assert not (tmp_path / "bad.out").exists()


def test_key_pairs_generate_export_import():
    p12 = mpe.bicle.generer("Jean DUPONT", "2026-11-01T00:00:00Z", "pw")
    info = mpe.bicle.decrire(p12, "pw")
    assert info["nom"] == "Clé de déchiffrement de Jean DUPONT" and info["bits"] == 2048
    pem = mpe.bicle.exporter_pem(p12, "pw", "nouveau")
    assert "ENCRYPTED PRIVATE KEY" in pem
    assert mpe.bicle.decrire(pem.encode(), "nouveau")["empreinte_sha256"] == info["empreinte_sha256"]
    again = mpe.bicle.exporter_pkcs12(pem.encode(), "nouveau", "autre")
    assert mpe.bicle.decrire(again, "autre")["sujet"] == info["sujet"]
    cert = pem.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    registry = [
        {"id": "k", "nature": "personnelle", "certificat_pem": cert},
        {"id": "s", "nature": "secours", "certificat_pem": (V / "bob.cert.pem").read_text()},
    ]
    certs = mpe.cms.choisir_destinataires(registry, ["k"], "2026-12-01T00:00:00Z")
    assert certs.count("BEGIN CERTIFICATE") == 2
    with pytest.raises(mpe.exceptions.ErreurChiffrement) as e:
        mpe.cms.choisir_destinataires(registry, ["k"], "2040-01-01T00:00:00Z")
    assert e.value.code == 403


def test_envelope_zip(tmp_path):
    (tmp_path / "ae.pdf").write_bytes(b"%PDF-1.7 acte")
    manifest = mpe.enveloppe.generer([("offre/ae.pdf", tmp_path / "ae.pdf")], tmp_path / "env.zip")
    assert manifest["fichiers"][0]["chemin"] == "offre/ae.pdf"
    assert mpe.enveloppe.lister((tmp_path / "env.zip").read_bytes())[0]["taille"] == 13
    mpe.enveloppe.extraire(tmp_path / "env.zip", tmp_path / "x")
    assert (tmp_path / "x/offre/ae.pdf").read_bytes() == b"%PDF-1.7 acte"


def test_offline_decryption_with_progress(tmp_path):
    (tmp_path / "p.bin").write_bytes(b"pli" * 1000)
    mpe.cms.chiffrer_fichier(tmp_path / "p.bin", tmp_path / "p.p7m", CERTS)
    mpe.ouverture.exporter([{"consultation": "2026-AO-1", "id": "pli1", "chemin": tmp_path / "p.p7m"}], tmp_path / "exp")
    steps = []
    threads = set()

    def progress(step):
        steps.append(step)
        threads.add(threading.get_ident())

    report = mpe.ouverture.dechiffrer_dossier(tmp_path / "exp", P12, "secret", tmp_path / "out", progress)
    assert report["ouvertes"] == 1
    assert [s["etape"] for s in steps] == ["recuperation_fichiers", "recuperation_cle", "dechiffrement", "termine"]
    assert (tmp_path / "out/pli1").read_bytes() == b"pli" * 1000

    def boom(step):
        raise RuntimeError("arrêt")

    with pytest.raises(RuntimeError):
        mpe.ouverture.dechiffrer_dossier(tmp_path / "exp", P12, "secret", tmp_path / "out2", boom)
