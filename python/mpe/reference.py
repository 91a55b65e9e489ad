"""La référence d'une consultation."""

from __future__ import annotations

from . import _mpe

__all__ = ["valider"]


def valider(reference: str) -> None:
    """Lève :class:`mpe.exceptions.ErreurValidation` (``REFERENCE_INVALIDE``) sauf si la
    référence est valide."""
    _mpe.check_reference(reference)
