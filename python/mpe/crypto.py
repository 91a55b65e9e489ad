"""Encrypted envelopes (CMS), key pairs ("bi-clés"), envelope ZIP and opening workflow.

A key pair is given as ``bytes``: a PKCS#12 file, or a PEM text holding the certificate and
the private key, with an optional password. Big files are given as paths (``str`` or
``os.PathLike``) and streamed in constant memory; the GIL is released while mpe works.

>>> import mpe.crypto as c  # doctest: +SKIP
>>> env = c.encrypt(b"offre", certs_pem)  # AES-256-GCM, RSA-OAEP-SHA256
>>> c.decrypt(env, p12, "secret")
b'offre'
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable, Literal, Mapping, Optional, TypedDict, Union

from . import _mpe

Path = Union[str, "os.PathLike[str]"]
Bytes = Union[bytes, bytearray, memoryview]

Chiffrement = Literal["AES-256-GCM", "AES-256-CBC"]
Transport = Literal["RSA-OAEP-SHA256", "RSA-OAEP-SHA1", "RSA-PKCS1-v1_5"]


class InfoDechiffrement(TypedDict):
    structure: str
    chiffrement: Chiffrement
    transport: Transport
    destinataires: int
    destinataire: int
    taille: int


def _b(data: Bytes) -> bytes:
    return data if isinstance(data, bytes) else bytes(data)


def _opts(chiffrement: Optional[str], transport: Optional[str]) -> Optional[dict]:
    o: dict = {}
    if chiffrement:
        o["chiffrement"] = chiffrement
    if transport:
        o["transport"] = transport
    return o or None


def encrypt(data: Bytes, certs_pem: Bytes, chiffrement: Optional[Chiffrement] = None,
            transport: Optional[Transport] = None) -> bytes:
    """Encrypt ``data`` to every certificate of ``certs_pem``; returns DER CMS."""
    return _mpe.crypto_encrypt(_b(data), _b(certs_pem), _opts(chiffrement, transport))


def decrypt(data: Bytes, bicle: Bytes, password: Optional[str] = None) -> bytes:
    """Decrypt a CMS envelope (DER, BER or PEM); the bytes are returned only once
    authenticated. Raises :class:`mpe.CryptoError` (``AUCUN_DESTINATAIRE``,
    ``INTEGRITE_ECHEC``...)."""
    return _mpe.crypto_decrypt(_b(data), _b(bicle), password)


def encrypt_file(input: Path, output: Path, certs_pem: Bytes, chiffrement: Optional[Chiffrement] = None,
                 transport: Optional[Transport] = None) -> int:
    """Encrypt a file into another (streaming); returns the size written."""
    return _mpe.crypto_encrypt_file(os.fspath(input), os.fspath(output), _b(certs_pem), _opts(chiffrement, transport))


def decrypt_file(input: Path, output: Path, bicle: Bytes, password: Optional[str] = None) -> InfoDechiffrement:
    """Decrypt a file into another (streaming); ``output`` appears only after the
    authentication tag verified."""
    return _mpe.crypto_decrypt_file(os.fspath(input), os.fspath(output), _b(bicle), password)


def recipients(registry: Iterable[Mapping[str, Any]], chosen: Iterable[str], now: str) -> str:
    """PEM certificates to encrypt to: the ``chosen`` keys of ``registry`` plus every
    emergency key (``"nature": "secours"``), each valid at ``now`` (RFC 3339)."""
    return _mpe.crypto_recipients(list(registry), list(chosen), now)


def generate_key_pair(titulaire: str, now: str, password: str, bits: int = 2048,
                      jours_validite: int = 3 * 365, organisation: Optional[str] = None) -> bytes:
    """A new RSA key pair with a self-signed encryption certificate (CN "Clé de
    déchiffrement de <titulaire>"), returned as PKCS#12 protected by ``password``."""
    params = {"titulaire": titulaire, "bits": bits, "jours_validite": jours_validite, "organisation": organisation}
    return _mpe.bicle_generate(params, now, password)


def key_pair_info(bicle: Bytes, password: Optional[str] = None) -> dict:
    """Describe a key pair (name, subject, issuer, serial, validity, SHA-256, bits)."""
    return _mpe.bicle_info(_b(bicle), password)


def export_pem(bicle: Bytes, password: Optional[str] = None, new_password: Optional[str] = None) -> str:
    """Certificate then PKCS#8 key as PEM (key encrypted when ``new_password`` is given)."""
    return _mpe.bicle_export_pem(_b(bicle), password, new_password)


def export_pkcs12(bicle: Bytes, password: Optional[str], new_password: str) -> bytes:
    """PKCS#12 (AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256)."""
    return _mpe.bicle_export_pkcs12(_b(bicle), password, new_password)


def build_envelope(files: Iterable[tuple[str, Path]], output: Path) -> dict:
    """ZIP of ``(path in archive, file)`` pairs with a SHA-256 manifest; returns it."""
    return _mpe.enveloppe_build([(n, os.fspath(p)) for n, p in files], os.fspath(output))


def list_envelope(zip_bytes: Bytes) -> list:
    """Entries of an envelope ZIP, all checked against its manifest."""
    return _mpe.enveloppe_list(_b(zip_bytes))


def extract_envelope(zip_path: Path, directory: Path) -> dict:
    """Safely extract an envelope ZIP (no traversal, zip-bomb limits, manifest checked)."""
    return _mpe.enveloppe_extract(os.fspath(zip_path), os.fspath(directory))


def export_encrypted(envelopes: Iterable[Mapping[str, Any]], directory: Path) -> dict:
    """"Télécharger les plis chiffrés": copy ``{"consultation", "id", "chemin"}`` envelopes
    into ``directory`` with an ``index.json``; returns the index."""
    items = [dict(e, chemin=os.fspath(e["chemin"])) for e in envelopes]
    return _mpe.ouverture_export(items, os.fspath(directory))


def decrypt_folder(directory: Path, bicle: Bytes, password: Optional[str], output: Path,
                   progress: Optional[Callable[[dict], None]] = None) -> dict:
    """"Déchiffrement hors ligne" of an export folder; ``progress`` receives each step
    (``{"etape": "dechiffrement", "index": 1, "total": 3, "id": ...}``). Returns the report
    (also written as ``rapport.json`` in ``output``)."""
    return _mpe.ouverture_decrypt_folder(os.fspath(directory), _b(bicle), password, os.fspath(output), progress)


__all__ = [
    "InfoDechiffrement", "encrypt", "decrypt", "encrypt_file", "decrypt_file", "recipients",
    "generate_key_pair", "key_pair_info", "export_pem", "export_pkcs12", "build_envelope",
    "list_envelope", "extract_envelope", "export_encrypted", "decrypt_folder",
]
