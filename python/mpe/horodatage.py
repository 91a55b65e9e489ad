"""L'horodatage RFC 3161 des signatures : requête pour l'autorité, ajout du jeton (B-B devient B-T) ;
horodatage du document PDF (B-LT devient B-LTA) en deux temps."""

from __future__ import annotations

from . import _mpe
from ._conversion import Octets, octets

from typing import Any, Mapping

__all__ = ["generer_requete", "ajouter", "preparer_document", "finir_document"]


def generer_requete(signe: Octets, nonce: int | None = None) -> bytes:
    """La requête RFC 3161 (DER) sur la valeur de signature, pour l'autorité d'horodatage de l'hôte."""
    return _mpe.signature_timestamp_request(octets(signe, "signe"), nonce)


def ajouter(signe: Octets, jeton: Octets) -> bytes:
    """Intègre le jeton (ou la TimeStampResp) de l'autorité : B-B devient B-T."""
    return _mpe.signature_add_timestamp(octets(signe, "signe"), octets(jeton, "jeton"))


def preparer_document(signe: Octets, nonce: int | None = None, donnees: Octets | None = None) -> dict[str, Any]:
    """Premier temps de l'horodatage d'un PDF signé, d'une CAdES ou d'une XAdES (B-LTA :
    horodatage du document, ou d'archive) : ``requete`` (base64) est la requête RFC 3161
    pour l'autorité de l'hôte. ``donnees`` : le fichier qu'une CAdES ou une XAdES détachée
    signe (l'horodatage d'archive le couvre aussi). Le résultat se sérialise en JSON."""
    d = None if donnees is None else octets(donnees, "donnees")
    return _mpe.document_timestamp_prepare(octets(signe, "signe"), nonce, d)


def finir_document(preparation: Mapping[str, Any], jeton: Octets) -> bytes:
    """Second temps : le PDF avec le jeton (ou la TimeStampResp) de l'autorité ; un jeton
    sur d'autres octets est refusé."""
    return _mpe.document_timestamp_finish(dict(preparation), octets(jeton, "jeton"))
