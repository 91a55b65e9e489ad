"""Les avis eForms : avis de marché (sous-types 16, 17), avis d'attribution (29, 30), avis
rectificatif, leur pré-contrôle (un constat par terme métier manquant ou invalide, avec le
champ à remplir) et la lecture de tout avis.

>>> import mpe
>>> avis = mpe.avis.generer_marche("16", consultation, organisation, donnees, maintenant="2026-11-03T09:00:00Z")  # doctest: +SKIP
>>> mpe.avis.lire(avis["xml"])["sous_type"]  # doctest: +SKIP
'16'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import _mpe
from ._conversion import Instant, instant

__all__ = [
    "generer_marche",
    "verifier_marche",
    "generer_attribution",
    "verifier_attribution",
    "generer_rectificatif",
    "lire",
]

Json = Mapping[str, Any] | str


def generer_marche(
    sous_type: str,
    consultation: Json,
    organisation: Json,
    donnees: Json,
    *,
    maintenant: Instant,
) -> dict[str, Any]:
    """L'avis de marché d'une consultation, envoyé à ``maintenant`` : ``{sous_type,
    identifiant, identifiant_procedure, xml, avertissements}``. ``sous_type`` : ``"16"``
    (pouvoir adjudicateur) ou ``"17"`` (entité adjudicatrice), selon l'organisation.
    Lève :class:`mpe.exceptions.ErreurPublication` (``AVIS_INCOMPLET`` quand le
    pré-contrôle trouve une erreur, ``AVIS_NON_PRIS_EN_CHARGE``)."""
    return _mpe.avis_generer_marche(sous_type, consultation, organisation, donnees, instant(maintenant, "maintenant"))


def verifier_marche(
    sous_type: str,
    consultation: Json,
    organisation: Json,
    donnees: Json,
    *,
    maintenant: Instant,
) -> list[dict[str, Any]]:
    """Le pré-contrôle de l'avis de marché : les constats (``code``, ``gravite``, ``bt``,
    ``champ``, ``message``)."""
    return _mpe.avis_verifier_marche(sous_type, consultation, organisation, donnees, instant(maintenant, "maintenant"))


def generer_attribution(
    sous_type: str,
    procedure: Json,
    organisation: Json,
    donnees: Json,
    contrats: Sequence[Mapping[str, Any]] = (),
    *,
    maintenant: Instant,
) -> dict[str, Any]:
    """L'avis d'attribution (``"29"`` ou ``"30"``) d'un état de procédure
    (:mod:`mpe.procedure`), avec le contrat de chaque lot attribué (``[{lot, contrat}]``)."""
    return _mpe.avis_generer_attribution(
        sous_type, procedure, organisation, donnees, list(contrats), instant(maintenant, "maintenant")
    )


def verifier_attribution(
    sous_type: str,
    procedure: Json,
    organisation: Json,
    donnees: Json,
    contrats: Sequence[Mapping[str, Any]] = (),
    *,
    maintenant: Instant,
) -> list[dict[str, Any]]:
    """Le pré-contrôle de l'avis d'attribution."""
    return _mpe.avis_verifier_attribution(
        sous_type, procedure, organisation, donnees, list(contrats), instant(maintenant, "maintenant")
    )


def generer_rectificatif(
    procedure: Json,
    organisation: Json,
    donnees: Json,
    avis_initial: str,
    *,
    maintenant: Instant,
) -> dict[str, Any]:
    """L'avis rectificatif de l'avis de marché ``avis_initial`` (son XML tel qu'envoyé),
    pour les modifications de la consultation publiée depuis (versions du DCE de
    ``procedure``)."""
    return _mpe.avis_generer_rectificatif(procedure, organisation, donnees, avis_initial, instant(maintenant, "maintenant"))


def lire(avis: str) -> dict[str, Any]:
    """Le résumé de tout avis eForms (sous-type, identifiants, acheteurs, lots, dates)."""
    return _mpe.avis_lire(avis)
