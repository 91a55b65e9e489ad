# Généré par python/outils/stubs.py : ne pas modifier.
"""L'horodatage RFC 3161 des signatures : requête pour l'autorité, ajout du jeton (B-B devient B-T)."""
from __future__ import annotations
from . import _mpe
from ._conversion import Octets, octets
__all__ = ['generer_requete', 'ajouter']

def generer_requete(signe: Octets, nonce: int | None=None) -> bytes:
    """La requête RFC 3161 (DER) sur la valeur de signature, pour l'autorité d'horodatage de l'hôte."""
    ...

def ajouter(signe: Octets, jeton: Octets) -> bytes:
    """Intègre le jeton (ou la TimeStampResp) de l'autorité : B-B devient B-T."""
    ...
