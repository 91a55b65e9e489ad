"""CPV codes (Common Procurement Vocabulary 2008), checked against the official list."""

from __future__ import annotations

from typing import TypedDict

from . import _mpe


class CodeCpv(TypedDict):
    code: str
    libelle: str
    division: int
    categorie: str


def lookup(code: str) -> CodeCpv:
    """Look up ``NNNNNNNN-N``; raises :class:`mpe.ValidationError` (``CPV_FORMAT``,
    ``CPV_INCONNU``, ``CPV_CLE_CONTROLE``)."""
    return _mpe.cpv_lookup(code)


__all__ = ["CodeCpv", "lookup"]
