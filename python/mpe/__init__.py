"""mpe — marchés publics électroniques.

The public Python API of the mpe library. Values cross as plain dicts (the same JSON as the
C ABI); binary data as ``bytes``; big files as paths. Errors are the classes of
:mod:`mpe.exceptions`, each with a stable ``.code``.
"""

from __future__ import annotations

from . import _mpe
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
    "error_codes",
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
