# Généré par python/outils/stubs.py : ne pas modifier.
"""Codes CPV (vocabulaire commun pour les marchés publics, 2008), vérifiés sur la liste officielle."""
from __future__ import annotations
from typing import TypedDict
from . import _mpe
__all__ = ['CodeCpv', 'chercher']

class CodeCpv(TypedDict):
    code: str
    libelle: str
    libelle_en: str
    division: int
    categorie: str

def chercher(code: str) -> CodeCpv:
    """Cherche ``NNNNNNNN-N`` : libellé français (``libelle``, par ex. « Travaux de
    construction ») et anglais (``libelle_en``) ; lève :class:`mpe.exceptions.ErreurValidation` (``CPV_FORMAT``,
    ``CPV_INCONNU``, ``CPV_CLE_CONTROLE``)."""
    ...
