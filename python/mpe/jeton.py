"""Les jetons et cartes à puce (PKCS#11) : lister les jetons d'un module et leurs
certificats (avec la colonne « Conformité »), signer avec une clé qui ne quitte jamais le
jeton. Le déchiffrement est dans :mod:`mpe.cms` (:func:`mpe.cms.dechiffrer_jeton`).

Une clé se désigne par le chemin du module, le libellé du jeton et le libellé de la clé
(``cle``) ou son CKA_ID hexadécimal (``id``) ; le code PIN vient de l'hôte.

>>> import mpe  # doctest: +SKIP
>>> mpe.jeton.lister("/usr/lib/softhsm/libsofthsm2.so", "2026-12-02T00:00:00Z")
"""

from __future__ import annotations

from typing import Any, Literal, Mapping, Optional

from . import _conversion as _c
from . import _mpe
from ._conversion import Chemin, Instant, MotDePasse, Octets, chemin, instant, octets, pem

__all__ = ["Format", "lister", "signer", "signer_fichier"]

Format = Literal["cades", "xades", "pades"]


def lister(module: Chemin, maintenant: Instant) -> list[dict[str, Any]]:
    """Les jetons du module PKCS#11 ``module`` et leurs certificats : ``[{"jeton":
    {"slot", "libelle", "fabricant", "modele", "numero_serie"}, "certificats": [{"libelle",
    "id", "info", "conformite": {"adapte", "raisons"}, "certificat_pem"}]}]``, la conformité
    jugée à ``maintenant``. Sans code PIN : les certificats sont publics."""
    return _mpe.pkcs11_list(chemin(module, "module"), instant(maintenant, "maintenant"))


def _reference(module: Chemin, jeton: str, cle: Optional[str], id: Optional[str]) -> dict[str, Any]:
    return {"module": chemin(module, "module"), "jeton": jeton, "cle": cle, "id": id}


def _options(date: Instant, options: Mapping[str, Any] | None) -> dict[str, Any]:
    o = dict(options or {})
    o["date"] = instant(date, "date")
    return o


def signer(
    format: Format,
    donnees: Octets,
    module: Chemin,
    jeton: str,
    *,
    cle: Optional[str] = None,
    id: Optional[str] = None,
    pin: MotDePasse | None = None,
    chaine_pem: Octets | str | None = None,
    date: Instant,
    options: Mapping[str, Any] | None = None,
) -> bytes:
    """Signe ``donnees`` (le PDF pour ``pades``) avec la clé du jeton : le certificat du
    jeton (même CKA_ID que la clé) est celui du signataire, ``chaine_pem`` le reste de sa
    chaîne. Le jeton signe l'empreinte (RSA PKCS#1 v1.5 ou ECDSA P-256) ; mpe vérifie la
    valeur avant d'assembler. ``options`` comme :func:`mpe.signature.signer`."""
    return _mpe.signature_sign_token(
        format, _reference(module, jeton, cle, id), _c.mot_de_passe(pin, "pin"),
        None if chaine_pem is None else pem(chaine_pem, "chaine_pem"), octets(donnees, "donnees"),
        _options(date, options),
    )


def signer_fichier(
    format: Format,
    fichier: Chemin,
    sortie: Chemin,
    module: Chemin,
    jeton: str,
    *,
    cle: Optional[str] = None,
    id: Optional[str] = None,
    pin: MotDePasse | None = None,
    chaine_pem: Octets | str | None = None,
    date: Instant,
    options: Mapping[str, Any] | None = None,
) -> None:
    """Comme :func:`signer`, pour le fichier ``fichier`` (en flux pour CAdES/XAdES) écrit
    dans ``sortie`` entier ou pas du tout."""
    _mpe.signature_sign_file_token(
        format, _reference(module, jeton, cle, id), _c.mot_de_passe(pin, "pin"),
        None if chaine_pem is None else pem(chaine_pem, "chaine_pem"), chemin(fichier, "fichier"),
        chemin(sortie, "sortie"), _options(date, options),
    )
