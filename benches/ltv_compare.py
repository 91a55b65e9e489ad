#!/usr/bin/env python3
"""B-LTA validation: mpe side by side with pyHanko's AdES LTA validation, in one run.

A B-LTA PDF is made as tests/interop/test_signature_long_terme.py makes it (test PKI of
tests/vectors/ltv/pki.sh, `openssl ocsp` and `openssl ts` on loopback, `mpe signer
--niveau lta`); the servers are stopped, then the same file is validated with only its
embedded data (DSS, timestamps):

- mpe: `mpe verifier --json` (the whole process: start, read, verify, report), CPU time of
  the child processes (user + system), median of N runs;
- pyHanko: `ades_lta_validation` in-process (revocation data from the file only,
  `LOCAL_ONLY`), CPU time of the process, median of N runs; its import is not counted.

CPU time, not wall time: the machine is shared. Writes benches/results/ltv.md. Run from
the repo root after `cargo build --release -p mpe-cli`:
    .venv/bin/python benches/ltv_compare.py
"""

from __future__ import annotations

import asyncio
import logging
import os
import pathlib
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
MPE = pathlib.Path(os.environ.get("MPE_BIN") or ROOT / "target" / "release" / "mpe")
V = ROOT / "tests" / "vectors"
N = int(os.environ.get("N", "21"))


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demarrer(cmd: list[str], cwd: pathlib.Path, pret: str) -> subprocess.Popen:
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert p.stderr is not None
    debut = time.monotonic()
    while time.monotonic() - debut < 20:
        if pret in p.stderr.readline():
            return p
    p.kill()
    raise SystemExit(f"{cmd} n'a pas démarré")


def fabriquer(d: pathlib.Path) -> pathlib.Path:
    p_ocsp, p_tsa = port_libre(), port_libre()
    pki, tsa = d / "pki", d / "tsa"
    subprocess.run(["sh", str(V / "ltv" / "pki.sh"), str(pki), f"http://127.0.0.1:{p_ocsp}/",
                    f"http://127.0.0.1:{port_libre()}/ca.crl"], check=True, capture_output=True)
    tsa.mkdir()
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"]:
        shutil.copy(V / "signature" / f, tsa / f)
    serveurs = [
        demarrer(["openssl", "ocsp", "-index", "index.txt", "-port", str(p_ocsp), "-rsigner", "repondant.pem",
                  "-rkey", "repondant.key", "-CA", "ca.pem", "-nmin", "60"], pki, "waiting for OCSP"),
        demarrer([sys.executable, str(V / "ltv" / "tsa_http.py"), str(p_tsa), str(tsa)], d, "pret"),
    ]
    try:
        subprocess.run([str(MPE), "-q", "signer", "--format", "pades", "--cle", str(pki / "bon.key"),
                        "--certificat", str(pki / "bon.pem"), "--chaine", str(pki / "ca.pem"),
                        "--niveau", "lta", "--tsa", f"http://127.0.0.1:{p_tsa}/", "--confiance", str(pki / "ca.pem"),
                        str(V / "signature" / "simple.pdf"), "-o", str(d / "lta.pdf")], check=True)
    finally:
        for s in serveurs:
            s.kill()
            s.wait()
    return d / "lta.pdf"


def cpu_enfants() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def mpe_une(d: pathlib.Path, pdf: pathlib.Path) -> float:
    t = cpu_enfants()
    r = subprocess.run([str(MPE), "verifier", "--confiance", str(d / "pki" / "ca.pem"), "--confiance",
                        str(d / "tsa" / "ca.pem"), "--json", str(pdf)], capture_output=True, text=True)
    duree = cpu_enfants() - t
    assert r.returncode == 0 and '"niveau": "B-LTA"' in r.stdout, r.stdout[:500]
    return duree


def pyhanko_une(d: pathlib.Path, pdf: pathlib.Path) -> float:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import ades
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
    from pyhanko_certvalidator.registry import SimpleTrustManager

    t = time.process_time()
    racines = [load_cert_from_pemder(str(d / "pki" / "ca.pem")), load_cert_from_pemder(str(d / "tsa" / "ca.pem"))]
    politique = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=racines),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
            intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED)),
    )
    spec = PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=politique,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY),
    ))
    with pdf.open("rb") as f:
        r = PdfFileReader(f)
        res = asyncio.run(ades.ades_lta_validation(r.embedded_regular_signatures[0], spec))
    duree = time.process_time() - t
    assert res.ades_subindic == ades.AdESPassed.OK, res.ades_subindic
    return duree


def main() -> None:
    assert MPE.is_file(), f"{MPE} absent : cargo build --release -p mpe-cli"
    logging.disable(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as t:
        d = pathlib.Path(t)
        pdf = fabriquer(d)
        pyhanko_une(d, pdf)  # imports and first-use caches, not counted
        m = statistics.median(mpe_une(d, pdf) for _ in range(N))
        p = statistics.median(pyhanko_une(d, pdf) for _ in range(N))
        taille = pdf.stat().st_size
    lignes = [
        "# Validation B-LTA : mpe et pyHanko (ades_lta_validation)",
        "",
        f"Un PDF B-LTA de {taille} octets fait par `mpe signer --niveau lta` (DSS : chaîne, réponse OCSP ; "
        "horodatage de la signature et du document), validé avec ses seules données embarquées.",
        f"Temps CPU (utilisateur + système), médiane de {N} exécutions ; mpe : le processus `mpe verifier --json` entier "
        f"(`{MPE.relative_to(ROOT) if MPE.is_relative_to(ROOT) else MPE}` ; seul un binaire `target/release` mesure l'objectif).",
        "",
        "| outil | CPU par validation |",
        "|---|---|",
        f"| pyHanko {_version()} `ades_lta_validation` (en processus) | {p * 1000:.1f} ms |",
        f"| mpe `verifier` (processus entier) | {m * 1000:.1f} ms |",
        f"| rapport | {p / m:.1f}× |",
        "",
    ]
    sortie = ROOT / "benches" / "results" / "ltv.md"
    sortie.parent.mkdir(exist_ok=True)
    sortie.write_text("\n".join(lignes), encoding="utf-8")
    print("\n".join(lignes))
    assert p / m >= 10, f"mpe n'est que {p / m:.1f}× plus rapide (objectif : 10×)"


def _version() -> str:
    from importlib.metadata import version

    return version("pyHanko")


if __name__ == "__main__":
    main()
