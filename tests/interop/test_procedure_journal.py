"""The journal's hash chain, recomputed independently with Python's json and hashlib from
the canonical form documented in mpe::procedure::journal (compact JSON of the entry without
"empreinte", UTF-8 unescaped), and checked with the sha256sum tool for the first entry."""

from __future__ import annotations

import hashlib
import json
import pathlib
import subprocess

RACINE = pathlib.Path(__file__).resolve().parents[2]
VECTEURS = RACINE / "tests" / "vectors" / "procedure"


def canonique(entree: dict) -> bytes:
    d = dict(entree)
    d.pop("empreinte")
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def test_chaine_recalculee_independamment():
    for nom in ("scenario.journal.jsonl",):
        precedent = "0" * 64
        lignes = (VECTEURS / nom).read_text(encoding="utf-8").splitlines()
        assert len(lignes) > 40
        for i, ligne in enumerate(lignes):
            e = json.loads(ligne)
            assert e["index"] == i
            assert e["precedent"] == precedent
            assert hashlib.sha256(canonique(e)).hexdigest() == e["empreinte"], f"entrée {i}"
            precedent = e["empreinte"]


def test_sha256sum_premiere_entree():
    ligne = (VECTEURS / "scenario.journal.jsonl").read_text(encoding="utf-8").splitlines()[0]
    e = json.loads(ligne)
    sortie = subprocess.run(["sha256sum"], input=canonique(e), capture_output=True, check=True).stdout
    assert sortie.split()[0].decode() == e["empreinte"]


def test_mpe_refuse_ce_que_python_altere():
    import mpe

    lignes = (VECTEURS / "scenario.journal.jsonl").read_text(encoding="utf-8").splitlines()
    e = json.loads(lignes[13])
    e["evenement"]["accuse"]["fichiers"][0]["taille"] += 1
    # Re-hash the altered entry as a forger would: the next entry's link breaks.
    e["empreinte"] = hashlib.sha256(canonique(e)).hexdigest()
    lignes[13] = json.dumps(e, ensure_ascii=False, separators=(",", ":"))
    try:
        mpe.journal.verifier("\n".join(lignes) + "\n")
    except mpe.exceptions.ErreurProcedure as err:
        assert err.nom == "JOURNAL_CORROMPU" and err.chemin == "entrée 14"
    else:
        raise AssertionError("altération non détectée")
