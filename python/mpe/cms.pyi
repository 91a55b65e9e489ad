# Généré par python/outils/stubs.py : ne pas modifier.
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
__all__ = ['Chiffrement', 'Transport', 'RapportDechiffrement', 'chiffrer', 'dechiffrer', 'chiffrer_fichier', 'dechiffrer_fichier', 'dechiffrer_cle', 'dechiffrer_fichier_cle', 'choisir_destinataires']
Chiffrement = Literal['AES-256-GCM', 'AES-256-CBC']
Transport = Literal['RSA-OAEP-SHA256', 'RSA-OAEP-SHA1', 'RSA-PKCS1-v1_5']

class RapportDechiffrement(TypedDict):
    structure: str
    chiffrement: Chiffrement
    transport: Transport
    destinataires: int
    destinataire: int
    taille: int

def _options(chiffrement: Optional[str], transport: Optional[str]) -> Optional[dict[str, str]]:
    ...

def chiffrer(donnees: Octets, certificats_pem: Octets | str, chiffrement: Optional[Chiffrement]=None, transport: Optional[Transport]=None) -> bytes:
    """Chiffre ``donnees`` pour chaque certificat de ``certificats_pem`` ; rend le CMS DER."""
    ...

def dechiffrer(cms: Octets, bicle: Octets, mot_de_passe: MotDePasse | None=None) -> bytes:
    """Déchiffre une enveloppe CMS (DER, BER ou PEM) ; le clair n'est rendu qu'une fois
    authentifié. Lève :class:`mpe.exceptions.ErreurChiffrement` (``AUCUN_DESTINATAIRE``,
    ``INTEGRITE_ECHEC``...)."""
    ...

def chiffrer_fichier(entree: Chemin, sortie: Chemin, certificats_pem: Octets | str, chiffrement: Optional[Chiffrement]=None, transport: Optional[Transport]=None) -> int:
    """Chiffre un fichier dans un autre (en flux) ; rend la taille écrite."""
    ...

def dechiffrer_fichier(entree: Chemin, sortie: Chemin, bicle: Octets, mot_de_passe: MotDePasse | None=None) -> RapportDechiffrement:
    """Déchiffre un fichier dans un autre (en flux) ; ``sortie`` n'apparaît qu'après la
    vérification de l'étiquette d'authentification."""
    ...

def _options_dechiffrement(legacy: bool) -> Optional[dict[str, bool]]:
    ...

def dechiffrer_cle(cms: Octets, cle: Octets | str, mot_de_passe: MotDePasse | None=None, *, legacy: bool=False) -> tuple[bytes, dict[str, Any]]:
    """Déchiffre une enveloppe CMS avec une clé privée, seule ou avec son certificat : PEM ou
    DER PKCS#8 (chiffré par ``mot_de_passe``), PKCS#1, SEC1, ou un PKCS#12 ; RSA,
    P-256/384/521, X25519. Sans certificat, le destinataire est reconnu par la clé. Avec
    ``legacy``, ouvre aussi Triple-DES, DES et RC2 (sinon ``ALGORITHME_OBSOLETE``). Rend le
    clair (une fois authentifié) et le rapport (``structure``, ``chiffrement``, ``acces``...)."""
    ...

def dechiffrer_fichier_cle(entree: Chemin, sortie: Chemin, cle: Octets | str, mot_de_passe: MotDePasse | None=None, *, legacy: bool=False) -> dict[str, Any]:
    """Comme :func:`dechiffrer_cle`, d'un fichier dans un autre, en flux ; ``sortie``
    n'apparaît qu'une fois le contenu authentifié."""
    ...

def choisir_destinataires(registre: Iterable[Mapping[str, Any]], choisies: Iterable[str], maintenant: Instant) -> str:
    """Les certificats PEM pour qui chiffrer : les clés ``choisies`` du ``registre`` et
    toutes les clés de secours (``"nature": "secours"``), chacune valide à ``maintenant``."""
    ...
