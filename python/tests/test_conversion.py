"""The one conversion of Python arguments (mpe/_conversion.py, python/src/conversion.rs):
bytes-like only where bytes are meant (TypeError otherwise, before any allocation),
passwords as text or bytes, I/O errors as Python's OSError subclasses, any Linux file name,
and an empty journal refused."""

from __future__ import annotations

import array
import errno
import os
import pathlib

import pytest

import mpe
from mpe import exceptions as ex

V = pathlib.Path(__file__).resolve().parents[2] / "tests/vectors/crypto"
CERT = (V / "alice.cert.pem").read_bytes()
P12 = (V / "alice.p12").read_bytes()


@pytest.mark.parametrize("mauvais", [42, 10**10, 3.5, "texte", None, object(), [1, 2]])
def test_octets_attendus_typeerror(mauvais):
    with pytest.raises(TypeError):
        mpe.cms.chiffrer(mauvais, CERT)


def test_objets_bytes_like_acceptes():
    for donnees in (b"pli", bytearray(b"pli"), memoryview(b"xpli")[1:], array.array("B", b"pli")):
        env = mpe.cms.chiffrer(donnees, CERT)
        assert mpe.cms.dechiffrer(env, P12, "secret") == b"pli"


def test_mot_de_passe_texte_ou_octets():
    env = mpe.cms.chiffrer(b"pli", CERT)
    assert mpe.cms.dechiffrer(env, P12, b"secret") == b"pli"
    assert mpe.cms.dechiffrer(env, P12, bytearray(b"secret")) == b"pli"
    assert mpe.bicle.decrire(P12, b"secret")["nom"]
    with pytest.raises(ex.ErreurEntree):
        mpe.cms.dechiffrer(env, P12, b"\xff\xfe")
    with pytest.raises(TypeError):
        mpe.cms.dechiffrer(env, P12, 1234)


def test_erreurs_es_sont_celles_de_python(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        mpe.cms.chiffrer_fichier(tmp_path / "absent.bin", tmp_path / "sortie.p7m", CERT)
    assert isinstance(e.value, ex.ErreurES) and isinstance(e.value, ex.FichierIntrouvable)
    assert e.value.code == 103 and e.value.nom == "ES" and e.value.errno == errno.ENOENT
    with pytest.raises(FileNotFoundError):
        mpe.entrepot.Entrepot.ouvrir(tmp_path / "absent.mpedecp")
    if os.geteuid() != 0:  # root reads everything: no EACCES to observe
        interdit = tmp_path / "interdit.bin"
        interdit.write_bytes(b"x")
        interdit.chmod(0)
        with pytest.raises(PermissionError):
            mpe.cms.chiffrer_fichier(interdit, tmp_path / "s.p7m", CERT)


def test_nom_de_fichier_non_utf8(tmp_path):
    entree = os.fsencode(tmp_path) + b"/offre-\xe9t\xe9.bin"
    sortie = os.fsencode(tmp_path) + b"/offre-\xe9t\xe9.p7m"
    with open(entree, "wb") as f:
        f.write(b"contenu")
    mpe.cms.chiffrer_fichier(entree, sortie, CERT)
    assert os.path.exists(sortie)
    clair = os.fsencode(tmp_path) + b"/clair-\xff.bin"
    mpe.cms.dechiffrer_fichier(sortie, clair, P12, "secret")
    with open(clair, "rb") as f:
        assert f.read() == b"contenu"


def test_entrepot_ecrit_sans_laisser_de_temporaire(tmp_path):
    e = mpe.entrepot.Entrepot()
    with pytest.raises(ex.ErreurES):
        e.ecrire(tmp_path / "absent" / "x.mpedecp")
    e.ecrire(tmp_path / "x.mpedecp")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.mpedecp"]
    assert len(mpe.entrepot.Entrepot.ouvrir(tmp_path / "x.mpedecp")) == 0


@pytest.mark.parametrize("vide", ["", "\n", "  \n", []])
def test_journal_vide_refuse(vide):
    # Judged by the core, not by the binding: an empty journal is a corrupt one.
    with pytest.raises(ex.ErreurProcedure) as e:
        mpe.journal.verifier(vide)
    assert e.value.nom == "JOURNAL_CORROMPU"


def test_chemin_de_mauvais_type():
    with pytest.raises(TypeError):
        mpe.cms.chiffrer_fichier(12, "s.p7m", CERT)
