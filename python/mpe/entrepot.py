"""L'entrepôt de contrats DECP (propres et importés, fusionnés sans doublon), interrogeable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import _mpe
from ._conversion import Chemin, Date, chemin, depuis_json, texte_json
from .decp import options_lecture

__all__ = ["Entrepot"]


def _camel(cle: str) -> str:
    tete, *reste = cle.split("_")
    return tete + "".join(m[:1].upper() + m[1:] for m in reste)


def _criteres(criteres: Mapping[str, Any]) -> str:
    return texte_json({_camel(k): v for k, v in criteres.items() if v is not None})


class Entrepot:
    """L'entrepôt de contrats. ``Entrepot()`` en fait un vide ; :meth:`ouvrir` lit un fichier."""

    def __init__(self, _interne: Any = None) -> None:
        self._e = _interne if _interne is not None else _mpe.EntrepotPy()

    @classmethod
    def ouvrir(cls, fichier: Chemin) -> Entrepot:
        """Ouvre un fichier d'entrepôt écrit par :meth:`ecrire` (ou l'API C), lu et indexé
        une fois pour être interrogé souvent en mémoire."""
        return cls(_mpe.EntrepotPy.charger(chemin(fichier, "fichier")))

    def importer(self, fichier: Chemin, aujourd_hui: Date, *, provenance: str = "dataGouv") -> dict[str, Any]:
        """Importe un fichier DECP ; rend le rapport (comptes et chaque réparation, rejet, fusion)."""
        return depuis_json(self._e.importer(chemin(fichier, "fichier"), options_lecture(aujourd_hui, provenance)))

    def ajouter(self, contrat: Mapping[str, Any]) -> int | None:
        """Ajoute un contrat ; rend l'index de la fiche où il a été fusionné s'il était un doublon."""
        return self._e.ajouter(texte_json(dict(contrat)))

    def chercher(self, **criteres: Any) -> dict[str, Any]:
        """Recherche (``acheteur``, ``annee``, ``attributaire``, ``naturePrestations``,
        ``montantMin``, ``montantMax``, ``cpv``, ``dateNotificationDebut``,
        ``dateNotificationFin``, ``motsCles``, ``categorie``, ``provenance``, ``tri``,
        ``decalage``, ``limite`` ; aussi en snake_case comme ``mots_cles`` ; dates en
        ``datetime.date`` ou ``"AAAA-MM-JJ"``) : rend ``{total, parProvenance, fiches}``."""
        return depuis_json(self._e.rechercher(_criteres(criteres)))

    def lister(self, **criteres: Any) -> Iterator[dict[str, Any]]:
        """Chaque fiche qui répond aux critères (comme :meth:`chercher`, sans pagination),
        dans l'ordre du tri, une à la fois."""
        for fiche in self._e.parcourir(_criteres(criteres)):
            yield depuis_json(fiche)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Chaque fiche de l'entrepôt, notification la plus récente d'abord."""
        return self.lister()

    def ecrire(self, fichier: Chemin) -> None:
        """Écrit le fichier de l'entrepôt (entier ou pas du tout)."""
        self._e.enregistrer(chemin(fichier, "fichier"))

    def __len__(self) -> int:
        return len(self._e)
