# Généré par python/outils/stubs.py : ne pas modifier.
"""Les codes d'accès des consultations restreintes."""
from __future__ import annotations
from . import _mpe
__all__ = ['generer']

def generer() -> str:
    """Un nouveau code d'accès (8 caractères tirés d'un générateur cryptographique, sans
    caractères ambigus)."""
    ...
