"""Writes the `.pyi` stub of every module of the `mpe` package from its annotated source
(bodies replaced by `...`, docstrings kept), and `_mpe.pyi` for the compiled module from
the list of its functions. `--verifier` fails when a committed stub is stale (the Python
tests run it)."""

from __future__ import annotations

import ast
import pathlib
import re
import sys

PAQUET = pathlib.Path(__file__).resolve().parents[1] / "mpe"
RUST = pathlib.Path(__file__).resolve().parents[1] / "src"


def _vider(noeud: ast.AST) -> None:
    for n in ast.walk(noeud):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(n, clean=False)
            n.body = ([ast.Expr(ast.Constant(doc))] if doc else []) + [ast.Expr(ast.Constant(...))]


def stub_module(source: str) -> str:
    arbre = ast.parse(source)
    garde: list[ast.stmt] = []
    for n in arbre.body:
        if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.AnnAssign)):
            garde.append(n)
        elif isinstance(n, ast.Assign):
            garde.append(n)
        elif isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str):
            garde.append(n)
    arbre.body = garde
    _vider(arbre)
    return "# Généré par python/outils/stubs.py : ne pas modifier.\n" + ast.unparse(arbre) + "\n"


def stub_natif() -> str:
    fonctions: set[str] = set()
    classes: set[str] = set()
    for f in sorted(RUST.glob("*.rs")):
        texte = f.read_text(encoding="utf-8")
        fonctions.update(re.findall(r"wrap_pyfunction!\((?:\w+::)?(\w+),", texte))
        classes.update(re.findall(r"add_class::<(\w+)>", texte))
    lignes = [
        "# Généré par python/outils/stubs.py : ne pas modifier.",
        '"""Le module compilé (privé) ; l\'API publique est le paquet `mpe`."""',
        "from typing import Any",
        "",
        "__version__: str",
    ]
    lignes += [f"def {f}(*args: Any, **kwargs: Any) -> Any: ..." for f in sorted(fonctions)]
    for c in sorted(classes):
        lignes += [f"class {c}:", "    def __getattr__(self, nom: str) -> Any: ...",
                   "    def __init__(self, *args: Any, **kwargs: Any) -> None: ..."]
    return "\n".join(lignes) + "\n"


def attendus() -> dict[pathlib.Path, str]:
    sortie = {PAQUET / "_mpe.pyi": stub_natif()}
    for py in sorted(PAQUET.glob("*.py")):
        sortie[py.with_suffix(".pyi")] = stub_module(py.read_text(encoding="utf-8"))
    return sortie


def main() -> int:
    verifier = "--verifier" in sys.argv
    perimes = []
    for chemin, texte in attendus().items():
        if verifier:
            if not chemin.exists() or chemin.read_text(encoding="utf-8") != texte:
                perimes.append(chemin.name)
        else:
            chemin.write_text(texte, encoding="utf-8")
    if perimes:
        print("stubs périmés (python python/outils/stubs.py) :", ", ".join(perimes))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
