# Généré par python/outils/stubs.py : ne pas modifier.
"""L'entrepôt de contrats DECP (propres et importés, fusionnés sans doublon), interrogeable."""
from __future__ import annotations
from collections.abc import Iterator, Mapping
from typing import Any
from . import _mpe
from ._conversion import Chemin, Date, chemin, depuis_json, texte_json
from .decp import options_lecture
__all__ = ['Entrepot']

def _camel(cle: str) -> str:
    ...

def _criteres(criteres: Mapping[str, Any]) -> str:
    ...

class Entrepot:
    """L'entrepôt de contrats. ``Entrepot()`` en fait un vide ; :meth:`ouvrir` lit un fichier."""

    def __init__(self, _interne: Any=None) -> None:
        ...

    @classmethod
    def ouvrir(cls, fichier: Chemin) -> Entrepot:
        """Ouvre un fichier d'entrepôt écrit par :meth:`ecrire` (ou l'API C), lu et indexé
        une fois pour être interrogé souvent en mémoire."""
        ...

    def importer(self, fichier: Chemin, aujourd_hui: Date, *, provenance: str='dataGouv') -> dict[str, Any]:
        """Importe un fichier DECP ; rend le rapport (comptes et chaque réparation, rejet, fusion)."""
        ...

    def ajouter(self, contrat: Mapping[str, Any]) -> int | None:
        """Ajoute un contrat ; rend l'index de la fiche où il a été fusionné s'il était un doublon."""
        ...

    def chercher(self, **criteres: Any) -> dict[str, Any]:
        """Recherche (``acheteur``, ``annee``, ``attributaire``, ``naturePrestations``,
        ``montantMin``, ``montantMax``, ``cpv``, ``dateNotificationDebut``,
        ``dateNotificationFin``, ``motsCles``, ``categorie``, ``provenance``, ``tri``,
        ``decalage``, ``limite`` ; aussi en snake_case comme ``mots_cles`` ; dates en
        ``datetime.date`` ou ``"AAAA-MM-JJ"``) : rend ``{total, parProvenance, fiches}``."""
        ...

    def lister(self, **criteres: Any) -> Iterator[dict[str, Any]]:
        """Chaque fiche qui répond aux critères (comme :meth:`chercher`, sans pagination),
        dans l'ordre du tri, une à la fois."""
        ...

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Chaque fiche de l'entrepôt, notification la plus récente d'abord."""
        ...

    def ecrire(self, fichier: Chemin) -> None:
        """Écrit le fichier de l'entrepôt (entier ou pas du tout)."""
        ...

    def __len__(self) -> int:
        ...
