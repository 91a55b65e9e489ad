"""mpe — marchés publics électroniques.

The public Python API of the mpe library. Values cross as plain dicts (the same JSON as the
C ABI); binary data as ``bytes``; big files as paths. Errors are the classes of
:mod:`mpe.exceptions`, each with a stable ``.code``.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
from typing import Any, Mapping

from . import _mpe, cpv
from .exceptions import (
    CryptoError,
    DecpError,
    DocumentError,
    InternalError,
    InvalidInput,
    IoError,
    MessagingError,
    MpeError,
    ProcedureError,
    SignatureError,
    ValidationError,
)

__version__: str = _mpe.__version__

__all__ = [
    "__version__",
    "cpv",
    "error_codes",
    "validate_consultation",
    "normalize_consultation",
    "check_reference",
    "check_siret",
    "generate_access_code",
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


def error_codes() -> dict[int, tuple[str, str, str]]:
    """Every stable error code: ``{code: (name, exception class name, French label)}``."""
    return _mpe.error_codes()


def _instant(now: _dt.datetime | str) -> str:
    if isinstance(now, _dt.datetime):
        if now.tzinfo is None:
            raise InvalidInput("now : une date avec fuseau horaire est attendue", 101, "INVALID_ARGUMENT")
        return now.isoformat()
    return now


def validate_consultation(
    consultation: Mapping[str, Any] | str,
    organisation: Mapping[str, Any] | str | None = None,
    *,
    now: _dt.datetime | str,
) -> list[dict[str, Any]]:
    """Every finding of the rules on a consultation (dicts with ``code``, ``gravite``,
    ``chemin``, ``message``, ``article``). ``now`` is the time of validation (aware datetime
    or RFC 3339 text). Raises :class:`InvalidInput` when the JSON does not match the model."""
    return _mpe.validate_consultation(consultation, organisation, _instant(now))


def normalize_consultation(consultation: Mapping[str, Any] | str) -> dict[str, Any]:
    """The consultation as mpe understands it: every field, defaults filled in."""
    return _json.loads(_mpe.normalize_consultation(consultation))


def normalize_consultation_json(consultation: Mapping[str, Any] | str) -> str:
    """The canonical JSON text of the consultation (identical in Rust, C, PHP, Java, Python)."""
    return _mpe.normalize_consultation(consultation)


def check_reference(reference: str) -> None:
    """Raise :class:`ValidationError` (``REFERENCE_INVALIDE``) unless the référence is valid."""
    _mpe.check_reference(reference)


def check_siret(siret: str) -> None:
    """Raise :class:`ValidationError` (``SIRET_INVALIDE``) unless the SIRET is valid."""
    _mpe.check_siret(siret)


def generate_access_code() -> str:
    """A new access code for a restricted consultation (8 characters, CSPRNG)."""
    return _mpe.generate_access_code()
