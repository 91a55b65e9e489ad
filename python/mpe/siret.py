"""Le SIRET (14 chiffres, clé de Luhn, exception de La Poste)."""

from __future__ import annotations

from . import _mpe

__all__ = ["valider"]


def valider(siret: str) -> None:
    """Lève :class:`mpe.exceptions.ErreurValidation` (``SIRET_INVALIDE``) sauf si le SIRET
    est valide."""
    _mpe.valider_siret(siret)
