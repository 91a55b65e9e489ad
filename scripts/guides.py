#!/usr/bin/env python3
"""Run every code block of the guides (docs/guides/*.md), so that they cannot drift.

One guide per interface; each fenced block is a whole program, run from the repository
root and failing on its own assertions:
- c.md (```c): gcc -std=c11 -Wall -Wextra -Werror against libmpe ($MPE_LIB), then run;
- python.md (```python): the venv's python with the installed wheel;
- php.md (```php): php -d ffi.enable=1 with assertions on, the php/ package;
- java.md (```java): javac against the java/ package jar and JNA, run under LANG=C;
- cli.md (```sh): bash -euo pipefail with the built `mpe` first on the PATH;
- rust.md (```rust): compiled as the doctests of the `mpe` crate (`core/src/lib.rs`,
  `GuideRust`) by `cargo test`; here only checked to be wired in.

Usage: scripts/guides.py [--seulement c,python,...]. Environment: MPE_LIB (libmpe.so,
default target/release/libmpe.so), MPE_CLI (default target/debug/mpe), MPE_PYTHON
(default .venv/bin/python), MPE_JAR (default target/mpe-java.jar), JNA (default
/usr/share/java/jna.jar).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
GUIDES = RACINE / "docs" / "guides"
DELAI = 120  # seconds per block: a hung block fails instead of hanging the test command

# The language tag of each guide's blocks, and what counts as checking an output there.
LANGAGES = {
    "c": ("c", re.compile(r"return 1|abort\(|assert\(")),
    "python": ("python", re.compile(r"\bassert\b|raise AssertionError")),
    "php": ("php", re.compile(r"\bassert\(|throw new")),
    "java": ("java", re.compile(r"throw new AssertionError")),
    "cli": ("sh", re.compile(r"^\s*(test |grep -q|cmp |python3 -c)", re.M)),
    "rust": ("rust", re.compile(r"assert")),
}


@dataclass
class Bloc:
    guide: str
    ligne: int
    code: str

    def __str__(self) -> str:
        return f"docs/guides/{self.guide}.md:{self.ligne}"


def blocs(guide: str) -> list[Bloc]:
    tag = LANGAGES[guide][0]
    lignes = (GUIDES / f"{guide}.md").read_text(encoding="utf-8").split("\n")
    out, courant, debut = [], None, 0
    for i, l in enumerate(lignes, 1):
        if courant is None:
            if l.strip() == f"```{tag}":
                courant, debut = [], i + 1
            elif l.startswith("```") and l.strip() not in ("```", "```text", "```json"):
                raise SystemExit(f"docs/guides/{guide}.md:{i} : bloc « {l.strip()} » : seul ```{tag} est exécuté ici")
        elif l.strip() == "```":
            out.append(Bloc(guide, debut, "\n".join(courant) + "\n"))
            courant = None
        else:
            courant.append(l)
    if courant is not None:
        raise SystemExit(f"docs/guides/{guide}.md:{debut} : bloc non fermé")
    if not out:
        raise SystemExit(f"docs/guides/{guide}.md : aucun bloc ```{tag}")
    for b in out:
        if not LANGAGES[guide][1].search(b.code):
            raise SystemExit(f"{b} : le bloc ne vérifie rien (aucune assertion)")
    return out


def env_de_base() -> dict[str, str]:
    env = dict(os.environ)
    env["MPE_LIB"] = str(Path(env.get("MPE_LIB", RACINE / "target/release/libmpe.so")).resolve())
    return env


def lancer(cmd: list[str], env: dict[str, str], cwd: Path = RACINE) -> subprocess.CompletedProcess:
    # A missing tool or a hung block is a failure of that block, reported like the others.
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=DELAI)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(cmd, 127, "", f"{cmd[0]} : {e}\n")


def echec(b: Bloc, quoi: str, r: subprocess.CompletedProcess) -> str:
    return f"ÉCHEC {b} ({quoi}, code {r.returncode})\n--- stdout\n{r.stdout}--- stderr\n{r.stderr}"


def executer_c(b: Bloc, tmp: Path, env: dict[str, str]) -> str | None:
    lib = Path(env["MPE_LIB"])
    src, exe = tmp / f"c_{b.ligne}.c", tmp / f"c_{b.ligne}"
    src.write_text(b.code, encoding="utf-8")
    r = lancer(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{RACINE / 'include'}", str(src),
                f"-L{lib.parent}", "-lmpe", f"-Wl,-rpath,{lib.parent}", "-o", str(exe)], env)
    if r.returncode != 0:
        return echec(b, "gcc", r)
    r = lancer([str(exe)], env)
    return None if r.returncode == 0 else echec(b, "exécution", r)


def executer_python(b: Bloc, tmp: Path, env: dict[str, str]) -> str | None:
    # The script lives outside the repository: its folder comes first on sys.path, so
    # `import mpe` finds the installed wheel, not python/mpe without its compiled module.
    src = tmp / f"python_{b.ligne}.py"
    src.write_text(b.code, encoding="utf-8")
    py = env.get("MPE_PYTHON", str(RACINE / ".venv/bin/python"))
    r = lancer([py, str(src)], env)
    return None if r.returncode == 0 else echec(b, "python", r)


def executer_php(b: Bloc, tmp: Path, env: dict[str, str]) -> str | None:
    src = tmp / f"php_{b.ligne}.php"
    src.write_text(b.code, encoding="utf-8")
    r = lancer(["php", "-d", "ffi.enable=1", "-d", "zend.assertions=1", "-d", "assert.exception=1",
                str(src)], env)
    return None if r.returncode == 0 else echec(b, "php", r)


def executer_cli(b: Bloc, tmp: Path, env: dict[str, str]) -> str | None:
    # Only `mpe` itself goes first on the PATH (not the whole target folder).
    bin_ = tmp / "bin"
    bin_.mkdir(exist_ok=True)
    lien = bin_ / "mpe"
    if not lien.exists():
        lien.symlink_to(Path(env.get("MPE_CLI", RACINE / "target/debug/mpe")).resolve())
    e = dict(env, PATH=f"{bin_}:{env['PATH']}", TMPDIR=str(tmp))
    src = tmp / f"cli_{b.ligne}.sh"
    src.write_text(b.code, encoding="utf-8")
    r = lancer(["bash", "-xeuo", "pipefail", str(src)], e)  # -x: the failing line in the report
    return None if r.returncode == 0 else echec(b, "bash", r)


def executer_java(bs: list[Bloc], tmp: Path, env: dict[str, str]) -> list[str]:
    jna = env.get("JNA", "/usr/share/java/jna.jar")
    jar = env.get("MPE_JAR", str(RACINE / "target/mpe-java.jar"))
    src_dir, classes = tmp / "java_src", tmp / "java_classes"
    src_dir.mkdir()
    noms = []
    for b in bs:
        m = re.search(r"public class (\w+)", b.code)
        if not m:
            return [f"ÉCHEC {b} : pas de « public class »"]
        noms.append(m.group(1))
        (src_dir / f"{m.group(1)}.java").write_text(b.code, encoding="utf-8")
    cp = f"{jna}:{jar}"
    # One javac for all the blocks: the JVM start is most of the cost.
    r = lancer(["javac", "-encoding", "UTF-8", "-cp", cp, "-d", str(classes),
                *map(str, sorted(src_dir.glob("*.java")))], env)
    if r.returncode != 0:
        return [echec(bs[0], "javac (tous les blocs)", r)]
    e = dict(env, LANG="C", LC_ALL="C")
    erreurs = []
    for b, nom in zip(bs, noms):
        r = lancer(["java", "-ea", f"-Djna.library.path={Path(env['MPE_LIB']).parent}",
                    "-cp", f"{cp}:{classes}", nom], e)
        if r.returncode != 0:
            erreurs.append(echec(b, f"java {nom}", r))
    return erreurs


def verifier_rust() -> list[str]:
    lib = (RACINE / "core/src/lib.rs").read_text(encoding="utf-8")
    if 'include_str!("../../docs/guides/rust.md")' not in lib:
        return ["ÉCHEC docs/guides/rust.md : plus inclus comme doctests dans core/src/lib.rs"]
    blocs("rust")
    return []


EXECUTEURS = {"c": executer_c, "python": executer_python, "php": executer_php, "cli": executer_cli}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seulement", default="c,python,php,java,cli,rust",
                   help="guides à exécuter, séparés par des virgules")
    args = p.parse_args()
    choisis = [g.strip() for g in args.seulement.split(",") if g.strip()]
    for g in choisis:
        if g not in LANGAGES:
            raise SystemExit(f"guide inconnu : {g}")
    manquants = sorted(f.stem for f in GUIDES.glob("*.md") if f.stem not in LANGAGES and f.stem != "README")
    if manquants:
        raise SystemExit(f"guides sans exécuteur : {manquants}")
    env = env_de_base()
    debut = time.monotonic()
    erreurs: list[str] = []
    n = 0
    with tempfile.TemporaryDirectory(prefix="mpe-guides-") as t:
        tmp = Path(t)
        env["TMPDIR"] = str(tmp)  # what the blocks write with mktemp & co. goes with it
        taches = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for g in choisis:
                if g == "rust":
                    erreurs += verifier_rust()
                    continue
                bs = blocs(g)
                n += len(bs)
                dossier = tmp / g
                dossier.mkdir()
                if g == "java":
                    taches.append(pool.submit(executer_java, bs, dossier, env))
                else:
                    for b in bs:
                        taches.append(pool.submit(lambda b=b, d=dossier, g=g: [e] if (e := EXECUTEURS[g](b, d, env)) else []))
            for f in taches:
                erreurs += f.result()
    for e in erreurs:
        print(e, file=sys.stderr)
    duree = time.monotonic() - debut
    if erreurs:
        print(f"guides : {len(erreurs)} bloc(s) en échec sur {n} ({duree:.1f} s)", file=sys.stderr)
        return 1
    print(f"guides : {n} blocs exécutés ({', '.join(choisis)}), tous passent ({duree:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
