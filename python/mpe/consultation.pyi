# Généré par python/outils/stubs.py : ne pas modifier.
"""La consultation : validation par toutes les règles et forme canonique.

>>> import mpe
>>> constats = mpe.consultation.valider(consultation, organisation, maintenant="2026-11-02T09:00:00Z")  # doctest: +SKIP
"""
from __future__ import annotations
from typing import Any, Mapping
from . import _mpe
from ._conversion import Instant, depuis_json, instant
__all__ = ['valider', 'normaliser', 'normaliser_json']

def valider(consultation: Mapping[str, Any] | str, organisation: Mapping[str, Any] | str | None=None, *, maintenant: Instant) -> list[dict[str, Any]]:
    """Tous les constats des règles sur une consultation (``code``, ``gravite``,
    ``chemin``, ``message``, ``article``). ``maintenant`` : l'instant de la validation.
    Lève :class:`mpe.exceptions.ErreurEntree` quand le JSON ne suit pas le modèle."""
    ...

def normaliser(consultation: Mapping[str, Any] | str) -> dict[str, Any]:
    """La consultation telle que mpe la comprend : chaque champ, valeurs par défaut comprises."""
    ...

def normaliser_json(consultation: Mapping[str, Any] | str) -> str:
    """Le texte JSON canonique (identique en Rust, C, PHP, Java et Python)."""
    ...
