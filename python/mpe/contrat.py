"""Les contrats : filtre du registre, export XLSX, contrat tiré d'une attribution ou d'une
décision, état courant après modifications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import _mpe
from ._conversion import depuis_json, texte_json

__all__ = [
    "Contrat",
    "exporter_xlsx",
    "filtrer",
    "generer_depuis_attribution",
    "generer_depuis_decision",
    "calculer_etat",
]

Contrat = dict[str, Any]


def exporter_xlsx(contrats: Sequence[Mapping[str, Any]]) -> bytes:
    """La liste des contrats en classeur XLSX."""
    return bytes(_mpe.contrats_exporter_xlsx(texte_json(list(contrats))))


def filtrer(
    contrats: Sequence[Mapping[str, Any]],
    *,
    mots_cles: str | None = None,
    type_contrat: str | None = None,
    statut: str | None = None,
) -> list[Contrat]:
    """Les contrats qui répondent aux filtres du registre (mots-clés, type, statut)."""
    f = {"motsCles": mots_cles, "typeContrat": type_contrat, "statut": statut}
    return depuis_json(_mpe.contrats_filtrer(texte_json(list(contrats)), texte_json(f)))


def generer_depuis_attribution(attribution: Mapping[str, Any]) -> Contrat:
    """Un nouveau contrat du registre depuis une attribution."""
    return depuis_json(_mpe.contrat_depuis_attribution(texte_json(dict(attribution))))


def calculer_etat(contrat: Mapping[str, Any]) -> dict[str, Any]:
    """Le contrat avec ses modifications appliquées : ``{montant, dureeMois, titulaires,
    dateFin, nbModifications}``."""
    return depuis_json(_mpe.contrat_etat_actuel(texte_json(dict(contrat))))


def generer_depuis_decision(
    procedure: Mapping[str, Any],
    organisation: Mapping[str, Any],
    complement: Mapping[str, Any],
    lot: int,
) -> Contrat:
    """Le contrat du ``lot`` (0 sans allotissement) tiré de la décision d'attribution d'un
    état de procédure (:mod:`mpe.procedure`), pour l'acheteur ``organisation``, complété par
    ``complement`` (``numero`` requis ; ``dateNotification``, ``dureeMois``, ``formePrix``,
    ``typesPrix``, ``montant``, ``ccag``, ``lieuExecution``, ``decisionDu``...). Lève
    :class:`mpe.exceptions.ErreurProcedure` (``LOT_INCONNU``) ou
    :class:`mpe.exceptions.ErreurDecp` (``DECISION_ABSENTE``, ``DECISION_NON_ATTRIBUTION``,
    ``DECISION_REINITIALISEE``, ``CONTRAT_INCOHERENT``)."""
    return depuis_json(
        _mpe.contrat_depuis_decision(
            texte_json(dict(procedure)), texte_json(dict(organisation)), texte_json(dict(complement)), int(lot)
        )
    )
