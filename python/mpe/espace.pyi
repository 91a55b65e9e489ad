# Généré par python/outils/stubs.py : ne pas modifier.
"""L'espace documentaire d'une consultation : ses pièces par catégorie, leur empreinte, leur ZIP."""
from __future__ import annotations
from typing import Any, Literal, Mapping, Sequence, TypedDict
from . import _mpe
from ._conversion import Chemin, Instant, Octets, chemin, instant, octets
from .document import lire_modele as _lire
__all__ = ['Categorie', 'Piece', 'nouveau', 'ajouter', 'lister', 'exporter_zip', 'exporter_zip_fichier']
Categorie = Literal['dce', 'publicite', 'depots', 'attributaires', 'libres', 'generees']

class Piece(TypedDict, total=False):
    """Une pièce d'un espace documentaire."""
    id: str
    categorie: Categorie
    nom: str
    taille: int
    date_ajout: str
    sha256: str
    modele: str

def nouveau(consultation: str) -> dict[str, Any]:
    """Un nouvel espace vide pour une consultation."""
    ...

def ajouter(espace: Mapping[str, Any], categorie: Categorie, nom: str, contenu: Octets, date: Instant, modele: str | None=None) -> dict[str, Any]:
    """Ajoute une pièce ; rend l'espace mis à jour (la nouvelle pièce est la dernière de
    ``pieces`` : rangez ``contenu`` sous son ``id``)."""
    ...

def lister(espace: Mapping[str, Any], categorie: Categorie | None=None) -> list[Piece]:
    """Les pièces d'une catégorie (toutes avec ``None``), avec taille, date et SHA-256."""
    ...

def exporter_zip(espace: Mapping[str, Any], selection: Sequence[str], contenus: Mapping[str, Octets | Chemin]) -> bytes:
    """Un ZIP des pièces choisies (toutes si ``selection`` est vide), un dossier par
    catégorie. ``contenus`` donne pour chaque id ses octets ou le chemin qui les contient ;
    chacun est vérifié sur son SHA-256."""
    ...

def exporter_zip_fichier(espace: Mapping[str, Any], selection: Sequence[str], chemins: Mapping[str, Chemin], sortie: Chemin) -> None:
    """Comme :func:`exporter_zip`, en flux vers ``sortie`` (écrit entier ou pas du tout)."""
    ...
