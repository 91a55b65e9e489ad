"""Les codes d'accès des consultations restreintes."""

from __future__ import annotations

from . import _mpe

__all__ = ["generer"]


def generer() -> str:
    """Un nouveau code d'accès (8 caractères tirés d'un générateur cryptographique, sans
    caractères ambigus)."""
    return _mpe.generate_access_code()
