"""Exceptions of mpe: one class per family of stable error codes.

Every exception carries ``code`` (the stable number, e.g. 303), ``name`` (e.g.
``"HORS_DELAI"``), ``message`` (French) and ``path`` (the JSON path or part at fault, or
``None``). The same codes are the C ``mpe_status`` values and the CLI's messages.
"""

from __future__ import annotations


class MpeError(Exception):
    """Base class of every error raised by mpe."""

    def __init__(self, message: str, code: int = 100, name: str = "INTERNAL", path: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.name = name
        self.path = path

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.message}{where} [{self.name}]"


class InvalidInput(MpeError, ValueError):
    """1xx: bad argument, JSON, limit exceeded, unsupported algorithm or format."""


class IoError(MpeError, OSError):
    """103: reading or writing a file failed."""


class InternalError(MpeError):
    """100: a bug in mpe."""


class ValidationError(MpeError, ValueError):
    """2xx: rules of the consultation (référence, CPV, calendrier, SIRET...)."""


class ProcedureError(MpeError):
    """3xx: lifecycle, dépôts, ouverture, décisions, journal."""


class CryptoError(MpeError):
    """4xx: CMS envelopes, bi-clés."""


class SignatureError(MpeError):
    """5xx: signatures (PAdES, CAdES, XAdES)."""


class DocumentError(MpeError):
    """6xx: DOCX templates and DAJ forms."""


class DecpError(MpeError):
    """7xx: contracts and données essentielles."""


class MessagingError(MpeError):
    """8xx: letters to companies."""


__all__ = [
    "MpeError",
    "InvalidInput",
    "IoError",
    "InternalError",
    "ValidationError",
    "ProcedureError",
    "CryptoError",
    "SignatureError",
    "DocumentError",
    "DecpError",
    "MessagingError",
]
