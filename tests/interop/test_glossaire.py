"""Every public name against docs/glossaire.md: the C symbols, types and parameters of
include/mpe.h, the Python package's public names and parameters, and the subcommands and
options of the `mpe` command. Each word of a name (split on `_`, `-` and capitals) must be
in the glossary's word list, the status constants included."""

from __future__ import annotations

import inspect
import pathlib
import re
import subprocess

import pytest

import mpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
GLOSSAIRE = (RACINE / "docs" / "glossaire.md").read_text(encoding="utf-8")


def _mots() -> set[str]:
    bloc = re.search(r"```mots\n(.*?)```", GLOSSAIRE, re.S)
    assert bloc, "docs/glossaire.md : bloc ```mots introuvable"
    return set(bloc.group(1).split())


MOTS = _mots()


def decouper(nom: str) -> list[str]:
    """The words of an identifier: snake_case, kebab-case or CamelCase."""
    nom = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", nom)
    return [m.lower() for m in re.split(r"[_\-]+", nom) if m]


def hors_glossaire(noms: dict[str, str]) -> list[str]:
    """`nom (où) : mot` for every word of every name missing from the word list."""
    return sorted(
        f"{nom} ({ou}) : {mot}" for nom, ou in noms.items() for mot in decouper(nom) if mot not in MOTS
    )


def test_les_noms_c_suivent_le_glossaire():
    entete = (RACINE / "include" / "mpe.h").read_text(encoding="utf-8")
    sans_commentaires = re.sub(r"/\*.*?\*/", "", entete, flags=re.S)
    noms: dict[str, str] = {}
    fonctions = re.findall(r"\b(mpe_\w+)\s*\(([^)]*)\)\s*;", sans_commentaires)
    assert len(fonctions) > 80, "mpe.h : trop peu de fonctions lues"
    for fonction, params in fonctions:
        noms[fonction[len("mpe_"):]] = "fonction C"
        for p in params.split(","):
            m = re.search(r"(\w+)\s*$", p.strip())
            if m and m.group(1) != "void":
                noms[m.group(1)] = f"paramètre de {fonction}"
    for t in re.findall(r"\b(?:typedef\s+(?:struct\s+)?\w[\w\s*]*?\b|struct\s+|enum\s+)(mpe_\w+)", sans_commentaires):
        noms[t[len("mpe_"):]] = "type C"
    for champ in re.findall(r"^\s+\w[\w\s*]*\s\*?(\w+);", sans_commentaires, re.M):
        noms[champ] = "champ C"
    assert "mpe_test_panique" not in entete, "le crochet de test n'est pas dans l'en-tête public"
    fautes = hors_glossaire(noms)
    constantes = re.findall(r"\bMPE_([A-Z0-9_]+)\s*=", sans_commentaires)
    assert len(constantes) > 100, "mpe.h : trop peu de constantes de statut lues"
    for constante in constantes:
        fautes += [f"MPE_{constante} (statut) : {m}" for m in decouper(constante) if m not in MOTS]
    assert not fautes, "mots hors de docs/glossaire.md :\n" + "\n".join(fautes)


def _noms_python() -> dict[str, str]:
    noms: dict[str, str] = {}
    for nom_module in mpe.__all__:
        if nom_module.startswith("__"):
            continue
        module = getattr(mpe, nom_module)
        noms[nom_module] = "module"
        for nom in getattr(module, "__all__", []):
            objet = getattr(module, nom)
            noms[nom] = f"mpe.{nom_module}"
            membres = [objet]
            if inspect.isclass(objet) and not issubclass(objet, BaseException) and not _est_typeddict(objet):
                membres += [m for n, m in vars(objet).items() if not n.startswith("_") and callable(m)]
                noms.update({n: f"mpe.{nom_module}.{nom}" for n in vars(objet) if not n.startswith("_")})
            for m in membres:
                fonction = getattr(m, "__func__", m)
                if inspect.isfunction(fonction):
                    for p in inspect.signature(fonction).parameters:
                        if p not in ("self", "cls", "criteres"):
                            noms[p] = f"paramètre de mpe.{nom_module}.{getattr(fonction, '__name__', nom)}"
    return noms


def _est_typeddict(classe: type) -> bool:
    return hasattr(classe, "__total__") and hasattr(classe, "__annotations__")


def test_les_noms_python_suivent_le_glossaire():
    noms = _noms_python()
    assert "chiffrer" in noms and "Entrepot" in noms, "noms Python attendus absents"
    fautes = hors_glossaire(noms)
    assert not fautes, "mots hors de docs/glossaire.md :\n" + "\n".join(fautes)


def test_chaque_fonction_c_a_son_nom_python():
    """`mpe_<objet>_<verbe>` is `mpe.<objet>.<verbe>` (the table of the glossary)."""
    table = re.findall(r"^\| `(mpe_\w+)` \| `mpe\.(\w+)\.(\w+)`", GLOSSAIRE, re.M)
    assert len(table) > 60
    for c, module, fonction in table:
        assert hasattr(getattr(mpe, module), fonction), f"{c} : mpe.{module}.{fonction} absent"


def _aide(mpe_cli, *args: str) -> str:
    r = mpe_cli(RACINE, *args, "--help")
    assert r.returncode == 0, r.stderr
    return r.stdout


def _commandes(aide: str) -> list[str]:
    partie = aide.split("Commands:", 1)
    if len(partie) < 2:
        return []
    bloc = partie[1].split("\n\n", 1)[0]
    return [m for m in re.findall(r"^\s{2}([a-z][\w-]*)", bloc, re.M) if m != "help"]


def test_les_commandes_et_options_suivent_le_glossaire(mpe_cli):
    noms: dict[str, str] = {}
    a_voir: list[tuple[str, ...]] = [()]
    vues = 0
    while a_voir:
        chemin = a_voir.pop()
        aide = _aide(mpe_cli, *chemin)
        vues += 1
        for option in re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*)", aide):
            if option not in ("help", "version"):
                noms[option] = "option de mpe " + " ".join(chemin)
        for sous in _commandes(aide):
            noms[sous] = "sous-commande de mpe " + " ".join(chemin)
            a_voir.append((*chemin, sous))
    assert vues >= 12, f"seulement {vues} aides lues"
    fautes = hors_glossaire(noms)
    assert not fautes, "mots hors de docs/glossaire.md :\n" + "\n".join(fautes)


@pytest.mark.parametrize("nom,mots", [("mpe_cms_chiffrer", ["mpe", "cms", "chiffrer"]),
                                      ("ErreurES", ["erreur", "es"]), ("--transport-cle", ["transport", "cle"])])
def test_decouper(nom, mots):
    assert decouper(nom) == mots
