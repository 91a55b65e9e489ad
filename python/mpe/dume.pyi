# Généré par python/outils/stubs.py : ne pas modifier.
"""Le DUME (ESPD) : la demande de l'acheteur écrite (ESPD-EDM 2.1.1 ou 4.1.0), tout DUME lu
(1.0.2 à 4.1.0), une réponse comparée à sa demande et à l'entreprise du pli.

>>> import mpe
>>> d = mpe.dume.generer_demande(consultation, organisation, "4.1.0", maintenant="2026-11-03T09:00:00Z")  # doctest: +SKIP
>>> mpe.dume.lire(d["xml"].encode())["nature"]  # doctest: +SKIP
'demande'
"""
from __future__ import annotations
from collections.abc import Mapping
from typing import Any
from . import _mpe
from ._conversion import Instant, instant, octets
__all__ = ['generer_demande', 'lire', 'comparer']

def generer_demande(consultation: Mapping[str, Any] | str, organisation: Mapping[str, Any] | str, version: str, *, maintenant: Instant) -> dict[str, Any]:
    """Le DUME acheteur d'une consultation : ``{version, identifiant, criteres, xml}``.
    ``version`` : ``"2.1.1"`` ou ``"4.1.0"``."""
    ...

def lire(dume: Any) -> dict[str, Any]:
    """Le résumé d'un DUME (demande ou réponse) : nature, version, identifiants, acheteur,
    entreprise, lots, critères."""
    ...

def comparer(reponse: Any, demande: Any, entreprise: Mapping[str, Any] | str) -> list[dict[str, str]]:
    """Les écarts (``sujet``, ``message``) d'une réponse à sa demande et à l'entreprise du pli
    (``{"siret": ...}`` ou ``{"etranger": {"pays", "numero"}}``) ; vide quand tout
    concorde."""
    ...
