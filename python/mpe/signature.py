"""Electronic signatures: CAdES, XAdES and PAdES (B-B and B-T), signing and verification
with one report for the three formats.

Data is ``bytes``-like, big files are paths (``str`` or ``os.PathLike``, hashed in
streaming). The signing time is always a parameter (mpe reads no clock). Errors are
:class:`mpe.SignatureError` (5xx), :class:`mpe.CryptoError` (keys) or
:class:`mpe.InvalidInput`; a readable signature that fails a check is a report whose
``statut`` is ``INVALIDE`` or ``INDETERMINE`` with a ``code``.

Two steps for smartcards, HSMs and remote services: :func:`prepare` (certificate only)
gives ``empreinte``, the digest to sign with ``algorithme_empreinte`` and ``schema``;
:func:`assemble` checks the returned value and builds the output.
"""

from __future__ import annotations

import base64
import datetime as _dt
import os
from typing import Any, Literal, Mapping, Union

from . import _mpe
from .exceptions import InvalidInput

Format = Literal["cades", "xades", "pades"]
BytesLike = Union[bytes, bytearray, memoryview]
PathLike = Union[str, "os.PathLike[str]"]


def _bytes(b: BytesLike | str, what: str) -> bytes:
    if isinstance(b, str):
        return b.encode("utf-8")
    if isinstance(b, (bytes, bytearray, memoryview)):
        return bytes(b)
    raise InvalidInput(f"{what} : octets attendus", 101, "INVALID_ARGUMENT")


def _date(d: _dt.datetime | str) -> str:
    if isinstance(d, _dt.datetime):
        if d.tzinfo is None:
            raise InvalidInput("date : une date avec fuseau horaire est attendue", 101, "INVALID_ARGUMENT")
        return d.isoformat()
    return d


def _sign_options(date: _dt.datetime | str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    opts = dict(options or {})
    opts["date"] = _date(date)
    return opts


def _verify_options(
    anchors_pem: BytesLike | str | None,
    crls_pem: BytesLike | str | None,
    intermediates_pem: BytesLike | str | None,
    date: _dt.datetime | str | None,
) -> dict[str, Any]:
    def text(x: BytesLike | str | None) -> str | None:
        return None if x is None else _bytes(x, "PEM").decode("utf-8")

    return {
        "ancres_pem": text(anchors_pem),
        "crls_pem": text(crls_pem),
        "intermediaires_pem": text(intermediates_pem),
        "date_verification": None if date is None else _date(date),
    }


def sign(
    format: Format,
    data: BytesLike,
    *,
    key_pem: BytesLike | str,
    certs_pem: BytesLike | str,
    date: _dt.datetime | str,
    options: Mapping[str, Any] | None = None,
) -> bytes:
    """Sign ``data`` (the PDF for ``pades``). ``options`` is the same dict as the C ABI's
    JSON: ``nom_fichier``, ``type_mime``, ``algorithme_empreinte`` (``SHA-256``...),
    ``schema`` (``RSA_PKCS1V15`` / ``RSA_PSS``), ``pades`` (``apparence`` with ``page``
    and ``rect`` for a visible signature, ``raison``, ``lieu``, ``reserve``)."""
    return _mpe.signature_sign(
        format, _bytes(key_pem, "key_pem"), _bytes(certs_pem, "certs_pem"), _bytes(data, "data"), _sign_options(date, options)
    )


def sign_file(
    format: Format,
    path: PathLike,
    out_path: PathLike,
    *,
    key_pem: BytesLike | str,
    certs_pem: BytesLike | str,
    date: _dt.datetime | str,
    options: Mapping[str, Any] | None = None,
) -> None:
    """Sign the file at ``path`` (streamed for CAdES/XAdES) into ``out_path`` (written
    atomically)."""
    _mpe.signature_sign_file(
        format,
        _bytes(key_pem, "key_pem"),
        _bytes(certs_pem, "certs_pem"),
        os.fspath(path),
        os.fspath(out_path),
        _sign_options(date, options),
    )


def verify(
    signature: BytesLike,
    data: BytesLike | None = None,
    *,
    anchors_pem: BytesLike | str | None = None,
    crls_pem: BytesLike | str | None = None,
    intermediates_pem: BytesLike | str | None = None,
    date: _dt.datetime | str | None = None,
) -> dict[str, Any]:
    """Verify a signature of any format; ``data`` is the signed file of a detached
    signature. Returns the report (``statut``, ``signatures``, ``resume``)."""
    return _mpe.signature_verify(
        _bytes(signature, "signature"),
        None if data is None else _bytes(data, "data"),
        _verify_options(anchors_pem, crls_pem, intermediates_pem, date),
    )


def verify_file(
    signature_path: PathLike,
    data_path: PathLike | None = None,
    *,
    anchors_pem: BytesLike | str | None = None,
    crls_pem: BytesLike | str | None = None,
    intermediates_pem: BytesLike | str | None = None,
    date: _dt.datetime | str | None = None,
) -> dict[str, Any]:
    """Like :func:`verify` with paths; the detached file is hashed in streaming."""
    return _mpe.signature_verify_file(
        os.fspath(signature_path),
        None if data_path is None else os.fspath(data_path),
        _verify_options(anchors_pem, crls_pem, intermediates_pem, date),
    )


def prepare(
    format: Format,
    data: BytesLike,
    *,
    certs_pem: BytesLike | str,
    date: _dt.datetime | str,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """First step of an external signature. The result is JSON-serializable; its
    ``empreinte`` (base64, see :func:`digest_to_sign`) is what the device signs."""
    return _mpe.signature_prepare(format, _bytes(certs_pem, "certs_pem"), _bytes(data, "data"), _sign_options(date, options))


def digest_to_sign(prepared: Mapping[str, Any]) -> bytes:
    """The raw digest of a prepared signature."""
    return base64.b64decode(prepared["empreinte"])


def assemble(prepared: Mapping[str, Any], value: BytesLike) -> bytes:
    """Second step: the signed output, once ``value`` (the device's RSA signature) has been
    checked against the certificate."""
    return _mpe.signature_assemble(dict(prepared), _bytes(value, "value"))


def timestamp_request(signed: BytesLike, nonce: int | None = None) -> bytes:
    """The RFC 3161 request (DER) over the signature value, for the host's TSA."""
    return _mpe.signature_timestamp_request(_bytes(signed, "signed"), nonce)


def add_timestamp(signed: BytesLike, token: BytesLike) -> bytes:
    """Embed the TSA token (or TimeStampResp): B-B becomes B-T."""
    return _mpe.signature_add_timestamp(_bytes(signed, "signed"), _bytes(token, "token"))


def output_name(file: str, format: Format, date: _dt.datetime | str, n: int = 1) -> str:
    """``<file> - AAAAMMJJHHMMSS - Signature N.xml`` (XAdES), ``<name> - ... .pdf``
    (PAdES), ``.p7s`` (CAdES); the time in Europe/Paris."""
    return _mpe.signature_output_name(file, format, _date(date), n)


__all__ = [
    "Format",
    "sign",
    "sign_file",
    "verify",
    "verify_file",
    "prepare",
    "digest_to_sign",
    "assemble",
    "timestamp_request",
    "add_timestamp",
    "output_name",
]
