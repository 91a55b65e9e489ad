# Généré par python/outils/stubs.py : ne pas modifier.
"""Le journal chaîné des événements d'une procédure : vérification, export, accusés de réception."""
from __future__ import annotations
from typing import Any
from . import _mpe
__all__ = ['verifier', 'exporter', 'generer_accuse']
Json = dict[str, Any]

def verifier(journal: str | list[Json], etat: Json | None=None) -> None:
    """Vérifie la chaîne d'empreintes (texte JSON Lines ou liste d'entrées) ; avec ``etat``,
    aussi sa tête. Lève :class:`mpe.exceptions.ErreurProcedure` ``JOURNAL_CORROMPU`` avec
    l'entrée en faute. Un journal vide n'est pas un journal (une procédure a toujours sa
    ligne d'ouverture) : ``JOURNAL_CORROMPU`` aussi, sauf si la tête de ``etat`` dit qu'il
    est vide."""
    ...

def exporter(entrees: list[Json]) -> str:
    """Les entrées en JSON Lines."""
    ...

def generer_accuse(journal: str | list[Json], pli: int) -> Json:
    """L'accusé de réception d'un pli électronique, tiré du journal (JSON Lines ou entrées)."""
    ...
