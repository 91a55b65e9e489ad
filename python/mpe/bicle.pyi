# Généré par python/outils/stubs.py : ne pas modifier.
"""Les bi-clés de chiffrement (clé RSA et son certificat).

Un bi-clé se donne en octets : un PKCS#12, ou un texte PEM avec le certificat et la clé
privée, avec un mot de passe facultatif (``str`` ou octets UTF-8).
"""
from __future__ import annotations
from typing import Any, Literal, Optional
from . import _conversion as _c
from . import _mpe
from ._conversion import Instant, MotDePasse, Octets, instant, octets
__all__ = ['Courbe', 'generer', 'generer_ec', 'generer_identite_test', 'decrire', 'exporter_pem', 'exporter_pkcs12']
Courbe = Literal['P-256', 'P-384', 'P-521', 'X25519']

def generer(titulaire: str, maintenant: Instant, mot_de_passe: MotDePasse, bits: int=2048, jours_validite: int=3 * 365, organisation: Optional[str]=None) -> bytes:
    """Un nouveau bi-clé RSA et son certificat de chiffrement auto-signé (CN « Clé de
    déchiffrement de <titulaire> »), en PKCS#12 protégé par ``mot_de_passe``."""
    ...

def generer_ec(titulaire: str, maintenant: Instant, courbe: Courbe='P-256', mot_de_passe: MotDePasse | None=None, jours_validite: int=3 * 365, organisation: Optional[str]=None) -> str:
    """Un nouveau bi-clé EC (accord de clé ECDH) et son certificat (keyAgreement), en PEM :
    le certificat puis la clé PKCS#8, chiffrée (AES-256, PBKDF2) par ``mot_de_passe`` sauf
    s'il vaut ``None``. Se lit avec :func:`mpe.cms.dechiffrer_cle`."""
    ...

def generer_identite_test(sujet: str, maintenant: Instant, mot_de_passe: MotDePasse, jours_validite: int=365) -> tuple[bytes, str]:
    """Une identité de signature de TEST pour essayer « signer puis vérifier » : une AC de
    test et un certificat de signature qu'elle émet pour ``sujet`` (RFC 4514, ex.
    ``"CN=Jeanne Essai,O=Exemple SA,C=FR"`` ; la mention « IDENTITE DE TEST » y est
    ajoutée). Rend le PKCS#12 (AES-256, PBKDF2, AC incluse) protégé par ``mot_de_passe`` et
    le certificat PEM de l'AC, l'ancre à donner à :func:`mpe.signature.verifier`. Jamais
    « adaptée pour les marchés publics »."""
    ...

def decrire(bicle: Octets, mot_de_passe: MotDePasse | None=None) -> dict[str, Any]:
    """Décrit un bi-clé (nom, sujet, émetteur, numéro de série, validité, SHA-256, bits)."""
    ...

def exporter_pem(bicle: Octets, mot_de_passe: MotDePasse | None=None, nouveau_mot_de_passe: MotDePasse | None=None) -> str:
    """Le certificat puis la clé PKCS#8 en PEM (clé chiffrée si ``nouveau_mot_de_passe``)."""
    ...

def exporter_pkcs12(bicle: Octets, mot_de_passe: MotDePasse | None, nouveau_mot_de_passe: MotDePasse) -> bytes:
    """PKCS#12 (AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256)."""
    ...
