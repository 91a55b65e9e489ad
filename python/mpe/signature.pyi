# Généré par python/outils/stubs.py : ne pas modifier.
"""Les signatures électroniques : CAdES, XAdES et PAdES (B-B et B-T), signer et vérifier,
un seul rapport pour les trois formats.

Les données sont des octets, les gros fichiers des chemins (condensés en flux). L'instant de
signature est toujours un paramètre (mpe ne lit pas l'horloge). Les erreurs sont des
:class:`mpe.exceptions.ErreurSignature` (5xx), :class:`mpe.exceptions.ErreurChiffrement`
(clés) ou :class:`mpe.exceptions.ErreurEntree` ; une signature lisible qui échoue à un
contrôle donne un rapport dont le ``statut`` est ``INVALIDE`` ou ``INDETERMINE``.

En deux temps pour les cartes à puce, HSM et services distants : :func:`preparer`
(certificat seul) donne ``empreinte``, à signer avec ``algorithme_empreinte`` et ``schema`` ;
:func:`assembler` contrôle la valeur rendue et construit la sortie.
"""
from __future__ import annotations
import base64
from typing import Any, Literal, Mapping, Sequence
from . import _mpe, confiance
from ._conversion import Chemin, Instant, Octets, chemin, chemin_facultatif, instant, instant_facultatif, octets, octets_facultatifs, pem, pem_texte
__all__ = ['Format', 'signer', 'signer_fichier', 'verifier', 'verifier_fichier', 'preparer', 'lire_empreinte', 'assembler', 'nommer_sortie', 'collecter_donnees_validation', 'ajouter_donnees_validation']
Format = Literal['cades', 'xades', 'pades']

def _options_signature(date: Instant, options: Mapping[str, Any] | None) -> dict[str, Any]:
    ...

def _options_verification(ancres_pem: Octets | str | None, crls_pem: Octets | str | None, intermediaires_pem: Octets | str | None, date: Instant | None, documents_nommes: Mapping[str, Octets] | None, limites_pdf: Mapping[str, int] | None, reponses_ocsp: Sequence[Octets] | None=None, listes_confiance: Mapping[str, Any] | None=None) -> dict[str, Any]:
    ...

def signer(format: Format, donnees: Octets, *, cle_pem: Octets | str, certificats_pem: Octets | str, date: Instant, options: Mapping[str, Any] | None=None) -> bytes:
    """Signe ``donnees`` (le PDF pour ``pades``). ``options`` est le même dict que le JSON
    de l'API C : ``nom_fichier``, ``type_mime``, ``algorithme_empreinte`` (``SHA-256``...),
    ``schema`` (``RSA_PKCS1V15`` / ``RSA_PSS``), ``pades`` (``apparence`` avec ``page`` et
    ``rect`` pour une signature visible, ``raison``, ``lieu``, ``reserve``)."""
    ...

def signer_fichier(format: Format, fichier: Chemin, sortie: Chemin, *, cle_pem: Octets | str, certificats_pem: Octets | str, date: Instant, options: Mapping[str, Any] | None=None) -> None:
    """Signe le fichier ``fichier`` (en flux pour CAdES/XAdES) dans ``sortie`` (écrit entier
    ou pas du tout)."""
    ...

def verifier(signature: Octets, donnees: Octets | None=None, *, ancres_pem: Octets | str | None=None, crls_pem: Octets | str | None=None, intermediaires_pem: Octets | str | None=None, date: Instant | None=None, documents_nommes: Mapping[str, Octets] | None=None, limites_pdf: Mapping[str, int] | None=None, reponses_ocsp: Sequence[Octets] | None=None, listes_confiance: Mapping[str, Any] | None=None) -> dict[str, Any]:
    """Vérifie une signature de tout format ; ``donnees`` est le fichier signé d'une
    signature détachée. Rend le rapport (``statut``, ``signatures``, ``resume`` ; pour un
    PDF, ``pdf.revisions`` liste chaque révision postérieure et ce qu'elle change).

    ``documents_nommes`` : les documents qu'une signature désigne par leur nom (XAdES
    détachée à plusieurs références) ; ``limites_pdf`` : des bornes plus strictes que celles
    par défaut (``taille_max``, ``revisions_max``, ``signatures_max``...) ;
    ``reponses_ocsp`` : des réponses OCSP (DER) pour la révocation, comme ``crls_pem``
    (le rapport dit dans ``revocations`` la source retenue et les réponses écartées) ;
    ``listes_confiance`` : ``{"lotl": octets, "certificats_lotl_pem": ..., "listes": [octets], "pivots": {adresse: octets}}``,
    les listes de confiance de l'UE (vérifiées à ``date``, alors requise) ; le rapport porte
    la ``qualification`` du signataire et le contrôle « qualifié » en découle."""
    ...

def verifier_fichier(fichier_signature: Chemin, fichier_signe: Chemin | None=None, *, ancres_pem: Octets | str | None=None, crls_pem: Octets | str | None=None, intermediaires_pem: Octets | str | None=None, date: Instant | None=None, documents_nommes: Mapping[str, Octets] | None=None, limites_pdf: Mapping[str, int] | None=None, reponses_ocsp: Sequence[Octets] | None=None, listes_confiance: Mapping[str, Any] | None=None) -> dict[str, Any]:
    """Comme :func:`verifier` avec des chemins ; le fichier détaché est condensé en flux."""
    ...

def preparer(format: Format, donnees: Octets, *, certificats_pem: Octets | str, date: Instant, options: Mapping[str, Any] | None=None) -> dict[str, Any]:
    """Premier temps d'une signature externe. Le résultat se sérialise en JSON ; son
    ``empreinte`` (base64, voir :func:`lire_empreinte`) est ce que l'appareil signe."""
    ...

def lire_empreinte(preparation: Mapping[str, Any]) -> bytes:
    """L'empreinte brute d'une signature préparée."""
    ...

def assembler(preparation: Mapping[str, Any], valeur: Octets) -> bytes:
    """Second temps : la sortie signée, une fois ``valeur`` (la signature RSA de
    l'appareil) contrôlée sur le certificat."""
    ...

def collecter_donnees_validation(signe: Octets, *, ancres_pem: Octets | str | None=None, crls_pem: Octets | str | None=None, intermediaires_pem: Octets | str | None=None, reponses_ocsp: Sequence[Octets] | None=None) -> dict[str, Any]:
    """Les données de validation d'un PDF signé (B-LT) : ``certificats`` des chaînes de ses
    signatures et horodatages, ``reponses_ocsp`` et ``crls`` données qui les concernent
    (DER en base64). L'hôte peut y ajouter ce qu'il a cherché lui-même."""
    ...

def ajouter_donnees_validation(signe: Octets, donnees: Mapping[str, Any]) -> bytes:
    """B-LT : les données de validation dans le ``/DSS`` du PDF, par mise à jour
    incrémentale (les signatures sont intactes)."""
    ...

def nommer_sortie(fichier: str, format: Format, date: Instant, n: int=1) -> str:
    """``<fichier> - AAAAMMJJHHMMSS - Signature N.xml`` (XAdES), ``<nom> - ... .pdf``
    (PAdES), ``.p7s`` (CAdES) ; l'heure de Paris."""
    ...
