"""Dépôt sur les octets des enveloppes et ouverture dans la bibliothèque, depuis Python.

Les enveloppes sont faites par ``openssl cms -encrypt`` (tests/c/fabriquer_plis.py, les
mêmes que le test C) ; chaque refus a son code et ne change rien ; l'ouverture lit les
enveloppes depuis un dossier ou une fonction qui rend des octets, des chemins ou des objets
fichiers, et donne le même journal dans tous les cas, aussi après un arrêt et une reprise.
"""

from __future__ import annotations

import io
import json
import pathlib
import subprocess
import sys

import pytest

import mpe
from mpe import procedure
from mpe.exceptions import ErreurMpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
CRYPTO = RACINE / "tests" / "vectors" / "crypto"
N_PLIS = 3
ENVELOPPES = ["candidature", "offre-lot-1", "offre-lot-2"]


@pytest.fixture(scope="module")
def donnees(tmp_path_factory):
    d = tmp_path_factory.mktemp("plis")
    subprocess.run([sys.executable, str(RACINE / "tests" / "c" / "fabriquer_plis.py"), str(d), str(N_PLIS)], check=True)
    return d


def lire(d: pathlib.Path, nom: str):
    return json.loads((d / nom).read_text(encoding="utf-8"))


def cle_alice() -> bytes:
    return (CRYPTO / "alice.cert.pem").read_bytes() + (CRYPTO / "alice.key.pem").read_bytes()


def validee(d):
    p = procedure.Procedure.nouvelle(lire(d, "consultation.json"), lire(d, "ctx_creation.json"))
    p.appliquer(lire(d, "valider.json"), lire(d, "ctx_validation.json"))
    return p


@pytest.fixture(scope="module")
def deposee(donnees):
    """Pli 1 by paths, pli 2 as bytes, pli 3 as file objects."""
    d = donnees
    p = validee(d)
    for i in range(1, N_PLIS + 1):
        chemins = [d / f"pli-{i}" / f"{e}.p7m" for e in ENVELOPPES]
        if i == 1:
            enveloppes = chemins
        elif i == 2:
            enveloppes = [c.read_bytes() for c in chemins]
        else:
            enveloppes = [open(c, "rb") for c in chemins]
        evenements = p.deposer_octets(lire(d, f"depot-{i}.json"), lire(d, f"ctx_depot-{i}.json"), enveloppes)
        if i == 3:
            for f in enveloppes:
                f.close()
        depose = [e for e in evenements if e["type"] == "pli_depose"]
        assert depose, evenements
    return p


@pytest.mark.parametrize(
    "candidature, sha_faux, code, nom",
    [
        ("clair.zip", False, 305, "ENVELOPPE_NON_CHIFFREE"),
        ("autre-cle.p7m", False, 321, "DESTINATAIRES_INCORRECTS"),
        ("seule-alice.p7m", False, 322, "CLE_SECOURS_ABSENTE"),
        ("non-cms.der", False, 323, "ENVELOPPE_NON_CMS"),
        ("pli-1/candidature.p7m", True, 324, "DECLARATION_INCORRECTE"),
    ],
)
def test_refus_chacun_son_code_rien_ne_change(donnees, candidature, sha_faux, code, nom):
    d = donnees
    p = validee(d)
    avant = json.dumps(p.etat, sort_keys=True)
    action = lire(d, "depot-1.json")
    if sha_faux:
        action["enveloppes"][0]["sha256"] = "0" * 64
    enveloppes = [(d / candidature).read_bytes(), d / "pli-1" / "offre-lot-1.p7m", io.BytesIO((d / "pli-1" / "offre-lot-2.p7m").read_bytes())]
    with pytest.raises(ErreurMpe) as e:
        p.deposer_octets(action, lire(d, "ctx_depot-1.json"), enveloppes)
    assert (e.value.code, e.value.nom) == (code, nom)
    assert json.dumps(p.etat, sort_keys=True) == avant


def test_mauvais_type_d_enveloppe(donnees):
    p = validee(donnees)
    with pytest.raises(TypeError):
        p.deposer_octets(lire(donnees, "depot-1.json"), lire(donnees, "ctx_depot-1.json"), [42, 43, 44])


def ouvrir(p, d, sortie, stockage, cle=None, arret_apres=None):
    etapes, enregistres = [], []

    def enregistrer(etat, entrees):
        if arret_apres is not None and len(enregistres) >= arret_apres:
            raise RuntimeError("panne du serveur")
        enregistres.append(entrees)

    etat, journal, bilan = procedure.ouvrir_plis(
        p.etat, cle or cle_alice(), sortie, lire(d, "ctx_ouverture.json"), stockage,
        fils=2, enregistrer=enregistrer, progression=etapes.append,
    )
    assert [e for lot in enregistres for e in lot] == journal
    return etat, journal, bilan, etapes


def test_ouverture_dossier_fonction_et_reprise_meme_journal(donnees, deposee, tmp_path):
    d = donnees
    p = deposee
    # From the folder the generator wrote (pli-<n>/<enveloppe>.p7m).
    etat1, journal1, bilan1, etapes = ouvrir(p, d, tmp_path / "o1", d)
    assert len(bilan1["ouvertes"]) == 9 and bilan1["echecs"] == []
    assert sum(1 for e in journal1 if e["evenement"]["type"] == "enveloppe_ouverte") == 9
    noms = [e["etape"] for e in etapes]
    assert noms[0] == "descripteurs" and noms[1] == "cle_privee" and noms[-1] == "termine"
    dechiffrements = [e for e in etapes if e["etape"] == "dechiffrement"]
    assert [e["index"] for e in dechiffrements] == list(range(1, 10))
    assert all(e["octets"] > 0 for e in dechiffrements)
    extrait = tmp_path / "o1" / "pli-2" / "offre-lot-1" / "DPGF_lot1_Façades.xlsx"
    assert extrait.read_text() == "contenu de DPGF_lot1_Façades.xlsx du pli 2\n"
    mpe.journal.verifier(p.journal + journal1, etat1)

    # From a function returning bytes, paths and file objects by turns.
    ouverts = []

    def stockage(pli, nom):
        chemin = d / f"pli-{pli}" / f"{nom}.p7m"
        ouverts.append((pli, nom))
        if pli == 1:
            return chemin
        if pli == 2:
            return chemin.read_bytes()
        return io.BytesIO(chemin.read_bytes())

    etat2, journal2, _, _ = ouvrir(p, d, tmp_path / "o2", stockage)
    assert journal2 == journal1 and etat2 == etat1
    assert len(ouverts) == len(set(ouverts)) == 9

    # Stopped by the host after 4 envelopes, then started again from the stored state.
    stockee = {"appels": 0, "j": []}

    def enregistrer(etat, entrees):
        if stockee["appels"] >= 4:
            raise RuntimeError("panne")
        stockee["appels"] += 1
        stockee["etat"] = etat
        stockee["j"].extend(entrees)

    with pytest.raises(ErreurMpe) as e:
        procedure.ouvrir_plis(p.etat, cle_alice(), tmp_path / "o3", lire(d, "ctx_ouverture.json"), d, enregistrer=enregistrer)
    assert e.value.nom == "OUVERTURE_INTERROMPUE"
    ouverts.clear()
    etat3, journal3, _, _ = ouvrir(procedure.Procedure(stockee["etat"]), d, tmp_path / "o3", stockage)
    assert stockee["j"] + journal3 == journal1 and etat3 == etat1
    assert len(ouverts) == 5  # nothing opened twice


def test_classe_procedure_suit_chaque_enveloppe(donnees, deposee, tmp_path):
    p = procedure.Procedure(dict(deposee.etat), list(deposee.journal))
    bilan = p.ouvrir_plis(cle_alice(), tmp_path / "o", lire(donnees, "ctx_ouverture.json"), donnees)
    assert len(bilan["ouvertes"]) == 9
    p.verifier()


def test_mauvaise_cle_rien_d_ouvert(donnees, deposee, tmp_path):
    cle = (donnees / "autre.pem").read_bytes() + (donnees / "autre.key").read_bytes()
    etat, journal, bilan, _ = ouvrir(deposee, donnees, tmp_path / "o", donnees, cle=cle)
    assert bilan["ouvertes"] == [] and len(bilan["echecs"]) == 3
    assert not any(e["evenement"]["type"] == "enveloppe_ouverte" for e in journal)


MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture()
def jeton_alice(tmp_path, monkeypatch):
    """A SoftHSM2 token (tests/pkcs11/jeton_softhsm.sh) holding Alice's key and certificate,
    imported by pkcs11-tool. A missing softhsm2, pkcs11-tool or openssl is a failure."""
    hsm = tmp_path / "hsm"
    conf = subprocess.run([str(RACINE / "tests" / "pkcs11" / "jeton_softhsm.sh"), str(hsm)], check=True,
                          capture_output=True, text=True).stdout.strip()
    monkeypatch.setenv("SOFTHSM2_CONF", conf)
    for src, der, genre in [("alice.key.pem", "alice.der", "privkey"), ("alice.cert.pem", "alice.crt.der", "cert")]:
        conv = ["pkcs8", "-topk8", "-nocrypt"] if genre == "privkey" else ["x509"]
        subprocess.run(["openssl", *conv, "-in", str(CRYPTO / src), "-outform", "DER", "-out", str(hsm / der)],
                       check=True, capture_output=True)
        subprocess.run(["pkcs11-tool", "--module", MODULE, "--token-label", "mpe-test", "--login", "--pin", "123456",
                        "--write-object", str(hsm / der), "--type", genre, "--id", "0a", "--label", "alice"],
                       check=True, capture_output=True)
    return hsm


def test_ouverture_cle_sur_jeton_meme_journal(donnees, deposee, jeton_alice, tmp_path):
    d, p = donnees, deposee
    _, attendu, _, _ = ouvrir(p, d, tmp_path / "fichier", d)
    ctx = lire(d, "ctx_ouverture.json")
    with pytest.raises(ErreurMpe) as e:
        procedure.ouvrir_plis_jeton(p.etat, MODULE, "mpe-test", tmp_path / "refus", ctx, d, cle="alice", pin="000000")
    assert e.value.nom == "PIN_INCORRECT"
    assert not (tmp_path / "refus").exists()
    etapes = []
    etat, journal, bilan = procedure.ouvrir_plis_jeton(
        p.etat, MODULE, "mpe-test", tmp_path / "jeton", ctx, d, id="0a", pin="123456", fils=2,
        progression=etapes.append,
    )
    assert journal == attendu and len(bilan["ouvertes"]) == 9 and bilan["echecs"] == []
    assert [e["etape"] for e in etapes][-1] == "termine"
    mpe.journal.verifier(p.journal + journal, etat)
    # The Procedure method follows the journal too.
    q = procedure.Procedure(json.loads(json.dumps(p.etat)), list(p.journal))
    bilan = q.ouvrir_plis_jeton(MODULE, "mpe-test", tmp_path / "jeton2", ctx, d, cle="alice", pin="123456")
    assert q.journal[len(p.journal):] == attendu
