"""A 100-pli consultation opened from Python, from PHP through the C callbacks and from Rust
(`mpe ouvrir` on the folder, then on the folder `mpe plis exporter` wrote, offline) gives
the same journal; an opening killed in the middle and started again ends with the same
journal and files, nothing opened twice.

The envelopes are made by `openssl cms -encrypt` (tests/c/fabriquer_plis.py) and deposited
with `mpe.procedure.deposer_octets`."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

import mpe
from mpe import procedure

RACINE = pathlib.Path(__file__).resolve().parents[2]
CRYPTO = RACINE / "tests" / "vectors" / "crypto"
MPE = RACINE / "target" / "debug" / "mpe"
N_PLIS = 100
ENVELOPPES = ["candidature", "offre-lot-1", "offre-lot-2"]


def lire(d: pathlib.Path, nom: str):
    return json.loads((d / nom).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def consultation(tmp_path_factory):
    """The data, the state after 100 dépôts and the journal so far."""
    d = tmp_path_factory.mktemp("plis100")
    subprocess.run([sys.executable, str(RACINE / "tests" / "c" / "fabriquer_plis.py"), str(d), str(N_PLIS)], check=True)
    p = procedure.Procedure.nouvelle(lire(d, "consultation.json"), lire(d, "ctx_creation.json"))
    p.appliquer(lire(d, "valider.json"), lire(d, "ctx_validation.json"))
    for i in range(1, N_PLIS + 1):
        p.deposer_octets(lire(d, f"depot-{i}.json"), lire(d, f"ctx_depot-{i}.json"),
                         [d / f"pli-{i}" / f"{e}.p7m" for e in ENVELOPPES])
    (d / "etat.json").write_text(json.dumps(p.etat), encoding="utf-8")
    (d / "alice.pem").write_bytes((CRYPTO / "alice.cert.pem").read_bytes() + (CRYPTO / "alice.key.pem").read_bytes())
    ctx = lire(d, "ctx_ouverture.json")
    (d / "organisation.json").write_text(json.dumps(ctx["organisation"]), encoding="utf-8")
    return d, p


def jsonl(texte: str) -> list[dict]:
    return [json.loads(l) for l in texte.splitlines() if l.strip()]


def mpe_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    if not MPE.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "mpe-cli"], cwd=RACINE, check=True)
    return subprocess.run([str(MPE), *args], capture_output=True, text=True, timeout=900, **kw)


def ouvrir_cli(d: pathlib.Path, etat: pathlib.Path, journal: pathlib.Path, plis: pathlib.Path, sortie: pathlib.Path,
               *options: str) -> subprocess.CompletedProcess:
    ctx = lire(d, "ctx_ouverture.json")
    return mpe_cli("ouvrir", str(etat), "--journal", str(journal), "--plis", str(plis), "--sortie", str(sortie),
                   "--organisation", str(d / "organisation.json"), "--agent", ctx["acteur"]["id"],
                   "--maintenant", ctx["maintenant"], "--cle", str(d / "alice.pem"), "--fils", "2", *options)


def test_python_php_rust_meme_journal(consultation, tmp_path):
    d, p = consultation
    _, journal_py, bilan = procedure.ouvrir_plis(p.etat, (d / "alice.pem").read_bytes(), tmp_path / "py",
                                                 lire(d, "ctx_ouverture.json"), d, fils=2)
    assert len(bilan["ouvertes"]) == 3 * N_PLIS and bilan["echecs"] == []

    php = subprocess.run(["php", "-d", "ffi.enable=1", str(RACINE / "tests" / "php" / "test_plis.php"),
                          str(d / "etat.json"), str(d), str(tmp_path / "php")],
                         capture_output=True, text=True, timeout=900, env={**os.environ})
    assert php.returncode == 0, php.stderr
    assert jsonl(php.stdout) == journal_py

    etat = tmp_path / "etat-rust.json"
    etat.write_text(json.dumps(p.etat), encoding="utf-8")
    journal = tmp_path / "journal-rust.jsonl"
    journal.write_text(procedure._journal.exporter(p.journal), encoding="utf-8")
    r = ouvrir_cli(d, etat, journal, d, tmp_path / "rust")
    assert r.returncode == 0, r.stderr
    toutes = jsonl(journal.read_text(encoding="utf-8"))
    assert toutes[len(p.journal):] == journal_py
    mpe.journal.verifier(toutes, json.loads(etat.read_text(encoding="utf-8")))
    for (a, b) in [("py", "rust"), ("py", "php")]:
        fa = sorted(f.relative_to(tmp_path / a) for f in (tmp_path / a).rglob("*") if f.is_file())
        fb = sorted(f.relative_to(tmp_path / b) for f in (tmp_path / b).rglob("*") if f.is_file())
        assert fa == fb and len(fa) >= 3 * N_PLIS


def test_export_puis_ouverture_hors_ligne(consultation, tmp_path):
    d, p = consultation
    export = tmp_path / "export"
    r = mpe_cli("plis", "exporter", str(d / "etat.json"), "--plis", str(d), "--sortie", str(export))
    assert r.returncode == 0, r.stderr
    assert sorted(f.name for f in (export / "pli-7").iterdir()) == [f"{e}.p7m" for e in ENVELOPPES]
    assert (export / "pli-7" / "offre-lot-2.p7m").read_bytes() == (d / "pli-7" / "offre-lot-2.p7m").read_bytes()
    # The same events offline from the export as online from the platform's folder.
    journaux = []
    for nom, plis in [("en-ligne", d), ("hors-ligne", export)]:
        etat = tmp_path / f"etat-{nom}.json"
        etat.write_text((export / "procedure.json").read_text(encoding="utf-8"), encoding="utf-8")
        journal = tmp_path / f"journal-{nom}.jsonl"
        journal.write_text(procedure._journal.exporter(p.journal), encoding="utf-8")
        r = ouvrir_cli(d, etat, journal, plis, tmp_path / nom, "--hors-ligne")
        assert r.returncode == 0, r.stderr
        journaux.append(jsonl(journal.read_text(encoding="utf-8")))
    assert journaux[0] == journaux[1]
    assert sum(1 for e in journaux[1] if e["evenement"]["type"] == "enveloppe_ouverte") == 3 * N_PLIS
    # A altered envelope is not exported.
    altere = tmp_path / "altere"
    subprocess.run(["cp", "-r", str(d), str(altere)], check=True)
    with open(altere / "pli-3" / "candidature.p7m", "ab") as f:
        f.write(b"\0")
    r = mpe_cli("plis", "exporter", str(d / "etat.json"), "--plis", str(altere), "--sortie", str(tmp_path / "export2"))
    assert r.returncode != 0 and "INTEGRITE_ECHEC" in r.stderr + r.stdout


def test_tuee_en_plein_milieu_puis_relancee(consultation, tmp_path):
    """kill -9 during `mpe ouvrir`, then again: the same journal and files as one run, and
    no envelope opened twice."""
    d, p = consultation
    reference = tmp_path / "ref"
    etat_ref, journal_ref = tmp_path / "etat-ref.json", tmp_path / "journal-ref.jsonl"
    for f in (etat_ref, tmp_path / "etat.json"):
        f.write_text(json.dumps(p.etat), encoding="utf-8")
    for f in (journal_ref, tmp_path / "journal.jsonl"):
        f.write_text(procedure._journal.exporter(p.journal), encoding="utf-8")
    assert ouvrir_cli(d, etat_ref, journal_ref, d, reference).returncode == 0
    ctx = lire(d, "ctx_ouverture.json")
    commande = [str(MPE), "ouvrir", str(tmp_path / "etat.json"), "--journal", str(tmp_path / "journal.jsonl"),
                "--plis", str(d), "--sortie", str(tmp_path / "sortie"), "--organisation", str(d / "organisation.json"),
                "--agent", ctx["acteur"]["id"], "--maintenant", ctx["maintenant"], "--cle", str(d / "alice.pem")]
    proc = subprocess.Popen(commande, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    debut = len(p.journal)
    # Killed once some envelopes are recorded.
    while proc.poll() is None:
        n = sum(1 for _ in open(tmp_path / "journal.jsonl", encoding="utf-8"))
        if n >= debut + 20:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    avant = jsonl((tmp_path / "journal.jsonl").read_text(encoding="utf-8"))
    assert len(avant) < len(jsonl(journal_ref.read_text(encoding="utf-8"))), "tuée trop tard"
    r = subprocess.run(commande, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "journal.jsonl").read_text(encoding="utf-8") == journal_ref.read_text(encoding="utf-8")
    assert (tmp_path / "etat.json").read_text(encoding="utf-8") == etat_ref.read_text(encoding="utf-8")
    fichiers = lambda r: {f.relative_to(r): f.read_bytes() for f in r.rglob("*") if f.is_file()}
    assert fichiers(tmp_path / "sortie") == fichiers(reference)
    ouvertes = [(e["evenement"]["pli"], json.dumps(e["evenement"]["enveloppe"])) for e in jsonl(journal_ref.read_text())
                if e["evenement"]["type"] == "enveloppe_ouverte"]
    assert len(ouvertes) == len(set(ouvertes)) == 3 * N_PLIS
