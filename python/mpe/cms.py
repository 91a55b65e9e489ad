"""Le chiffrement CMS des plis : chiffrer pour des certificats, déchiffrer avec un bi-clé.

Les gros fichiers se donnent par chemin et passent en flux, en mémoire constante ; le GIL
est relâché pendant le travail.

>>> import mpe  # doctest: +SKIP
>>> env = mpe.cms.chiffrer(b"offre", certificats_pem)  # AES-256-GCM, RSA-OAEP-SHA256
>>> mpe.cms.dechiffrer(env, p12, "secret")
b'offre'
"""

from __future__ import annotations

from typing import Any, Iterable, Literal, Mapping, Optional, TypedDict

from . import _conversion as _c
from . import _mpe
from ._conversion import Chemin, Instant, MotDePasse, Octets, chemin, instant, octets, pem

__all__ = [
    "Chiffrement",
    "Transport",
    "RapportDechiffrement",
    "chiffrer",
    "dechiffrer",
    "chiffrer_fichier",
    "dechiffrer_fichier",
    "dechiffrer_cle",
    "dechiffrer_fichier_cle",
    "dechiffrer_kek",
    "dechiffrer_fichier_kek",
    "dechiffrer_mot_de_passe",
    "dechiffrer_fichier_mot_de_passe",
    "dechiffrer_jeton",
    "dechiffrer_fichier_jeton",
    "choisir_destinataires",
]

Chiffrement = Literal["AES-256-GCM", "AES-256-CBC"]
Transport = Literal["RSA-OAEP-SHA256", "RSA-OAEP-SHA1", "RSA-PKCS1-v1_5"]


class RapportDechiffrement(TypedDict):
    structure: str
    chiffrement: Chiffrement
    transport: Transport
    destinataires: int
    destinataire: int
    taille: int


def _options(chiffrement: Optional[str], transport: Optional[str]) -> Optional[dict[str, str]]:
    o: dict[str, str] = {}
    if chiffrement:
        o["chiffrement"] = chiffrement
    if transport:
        o["transport"] = transport
    return o or None


def chiffrer(
    donnees: Octets,
    certificats_pem: Octets | str,
    chiffrement: Optional[Chiffrement] = None,
    transport: Optional[Transport] = None,
) -> bytes:
    """Chiffre ``donnees`` pour chaque certificat de ``certificats_pem`` ; rend le CMS DER."""
    return _mpe.crypto_encrypt(
        octets(donnees, "donnees"), pem(certificats_pem, "certificats_pem"), _options(chiffrement, transport)
    )


def dechiffrer(cms: Octets, bicle: Octets, mot_de_passe: MotDePasse | None = None) -> bytes:
    """Déchiffre une enveloppe CMS (DER, BER ou PEM) ; le clair n'est rendu qu'une fois
    authentifié. Lève :class:`mpe.exceptions.ErreurChiffrement` (``AUCUN_DESTINATAIRE``,
    ``INTEGRITE_ECHEC``...)."""
    return _mpe.crypto_decrypt(octets(cms, "cms"), octets(bicle, "bicle"), _c.mot_de_passe(mot_de_passe))


def chiffrer_fichier(
    entree: Chemin,
    sortie: Chemin,
    certificats_pem: Octets | str,
    chiffrement: Optional[Chiffrement] = None,
    transport: Optional[Transport] = None,
) -> int:
    """Chiffre un fichier dans un autre (en flux) ; rend la taille écrite."""
    return _mpe.crypto_encrypt_file(
        chemin(entree, "entree"), chemin(sortie, "sortie"), pem(certificats_pem, "certificats_pem"),
        _options(chiffrement, transport),
    )


def dechiffrer_fichier(
    entree: Chemin, sortie: Chemin, bicle: Octets, mot_de_passe: MotDePasse | None = None
) -> RapportDechiffrement:
    """Déchiffre un fichier dans un autre (en flux) ; ``sortie`` n'apparaît qu'après la
    vérification de l'étiquette d'authentification."""
    return _mpe.crypto_decrypt_file(
        chemin(entree, "entree"), chemin(sortie, "sortie"), octets(bicle, "bicle"), _c.mot_de_passe(mot_de_passe)
    )


def _options_dechiffrement(legacy: bool) -> Optional[dict[str, bool]]:
    return {"legacy": True} if legacy else None


def dechiffrer_cle(
    cms: Octets, cle: Octets | str, mot_de_passe: MotDePasse | None = None, *, legacy: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """Déchiffre une enveloppe CMS avec une clé privée, seule ou avec son certificat : PEM ou
    DER PKCS#8 (chiffré par ``mot_de_passe``), PKCS#1, SEC1, ou un PKCS#12 ; RSA,
    P-256/384/521, X25519. Sans certificat, le destinataire est reconnu par la clé. Avec
    ``legacy``, ouvre aussi Triple-DES, DES et RC2 (sinon ``ALGORITHME_OBSOLETE``). Rend le
    clair (une fois authentifié) et le rapport (``structure``, ``chiffrement``, ``acces``...)."""
    return _mpe.crypto_decrypt_key(
        octets(cms, "cms"), pem(cle, "cle"), _c.mot_de_passe(mot_de_passe), _options_dechiffrement(legacy)
    )


def dechiffrer_fichier_cle(
    entree: Chemin, sortie: Chemin, cle: Octets | str, mot_de_passe: MotDePasse | None = None, *, legacy: bool = False
) -> dict[str, Any]:
    """Comme :func:`dechiffrer_cle`, d'un fichier dans un autre, en flux ; ``sortie``
    n'apparaît qu'une fois le contenu authentifié."""
    return _mpe.crypto_decrypt_file_key(
        chemin(entree, "entree"), chemin(sortie, "sortie"), pem(cle, "cle"), _c.mot_de_passe(mot_de_passe),
        _options_dechiffrement(legacy),
    )


def _secret(valeur: MotDePasse, nom: str) -> bytes:
    """A password or key given as text (UTF-8) or bytes, as bytes."""
    if isinstance(valeur, str):
        return valeur.encode("utf-8")
    return octets(valeur, nom)


def dechiffrer_kek(
    cms: Octets, kek: Octets, kek_id: Octets | str, *, legacy: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """Déchiffre une enveloppe CMS avec une clé de chiffrement de clé que l'hôte détient
    (KEKRecipientInfo, AES key wrap ; ``openssl cms -encrypt -secretkey -secretkeyid``) :
    ``kek`` la clé (16, 24 ou 32 octets), ``kek_id`` son identifiant. Une clé ou un
    identifiant qu'aucun destinataire ne porte lève ``AUCUN_DESTINATAIRE``. Rend le clair
    (une fois authentifié) et le rapport."""
    return _mpe.crypto_decrypt_kek(
        octets(cms, "cms"), octets(kek, "kek"), _secret(kek_id, "kek_id"), _options_dechiffrement(legacy)
    )


def dechiffrer_fichier_kek(
    entree: Chemin, sortie: Chemin, kek: Octets, kek_id: Octets | str, *, legacy: bool = False
) -> dict[str, Any]:
    """Comme :func:`dechiffrer_kek`, d'un fichier dans un autre, en flux ; ``sortie``
    n'apparaît qu'une fois le contenu authentifié."""
    return _mpe.crypto_decrypt_file_kek(
        chemin(entree, "entree"), chemin(sortie, "sortie"), octets(kek, "kek"), _secret(kek_id, "kek_id"),
        _options_dechiffrement(legacy),
    )


def dechiffrer_mot_de_passe(
    cms: Octets, mot_de_passe: MotDePasse, *, legacy: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """Déchiffre une enveloppe CMS avec un mot de passe (PasswordRecipientInfo, PBKDF2,
    RFC 3211 ; ``openssl cms -encrypt -pwri_password``) ; ``mot_de_passe`` en texte (UTF-8)
    ou en octets. Un mauvais mot de passe lève ``MOT_DE_PASSE_INCORRECT``."""
    return _mpe.crypto_decrypt_password(
        octets(cms, "cms"), _secret(mot_de_passe, "mot_de_passe"), _options_dechiffrement(legacy)
    )


def dechiffrer_fichier_mot_de_passe(
    entree: Chemin, sortie: Chemin, mot_de_passe: MotDePasse, *, legacy: bool = False
) -> dict[str, Any]:
    """Comme :func:`dechiffrer_mot_de_passe`, d'un fichier dans un autre, en flux."""
    return _mpe.crypto_decrypt_file_password(
        chemin(entree, "entree"), chemin(sortie, "sortie"), _secret(mot_de_passe, "mot_de_passe"),
        _options_dechiffrement(legacy),
    )


def _reference(module: Chemin, jeton: str, cle: Optional[str], id: Optional[str]) -> dict[str, Any]:
    return {"module": chemin(module, "module"), "jeton": jeton, "cle": cle, "id": id}


def dechiffrer_jeton(
    cms: Octets,
    module: Chemin,
    jeton: str,
    *,
    cle: Optional[str] = None,
    id: Optional[str] = None,
    pin: MotDePasse | None = None,
    legacy: bool = False,
) -> tuple[bytes, dict[str, Any]]:
    """Déchiffre une enveloppe CMS avec une clé d'un jeton ou d'une carte (PKCS#11) qui n'en
    sort jamais : ``module`` le chemin du module PKCS#11, ``jeton`` son libellé, ``cle`` le
    libellé de la clé ou ``id`` son CKA_ID (hexadécimal), ``pin`` le code PIN. Lève
    ``PIN_INCORRECT``, ``JETON_ABSENT``, ``CLE_ABSENTE_DU_JETON`` ou ``MODULE_PKCS11``."""
    return _mpe.crypto_decrypt_token(
        octets(cms, "cms"), _reference(module, jeton, cle, id), _c.mot_de_passe(pin, "pin"),
        _options_dechiffrement(legacy),
    )


def dechiffrer_fichier_jeton(
    entree: Chemin,
    sortie: Chemin,
    module: Chemin,
    jeton: str,
    *,
    cle: Optional[str] = None,
    id: Optional[str] = None,
    pin: MotDePasse | None = None,
    legacy: bool = False,
) -> dict[str, Any]:
    """Comme :func:`dechiffrer_jeton`, d'un fichier dans un autre, en flux."""
    return _mpe.crypto_decrypt_file_token(
        chemin(entree, "entree"), chemin(sortie, "sortie"), _reference(module, jeton, cle, id),
        _c.mot_de_passe(pin, "pin"), _options_dechiffrement(legacy),
    )


def choisir_destinataires(registre: Iterable[Mapping[str, Any]], choisies: Iterable[str], maintenant: Instant) -> str:
    """Les certificats PEM pour qui chiffrer : les clés ``choisies`` du ``registre`` et
    toutes les clés de secours (``"nature": "secours"``), chacune valide à ``maintenant``."""
    return _mpe.crypto_recipients(list(registre), list(choisies), instant(maintenant, "maintenant"))
