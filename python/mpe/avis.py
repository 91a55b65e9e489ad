"""Les avis eForms : avis de marché (sous-types 16, 17), avis d'attribution (29, 30), avis
rectificatif, leur pré-contrôle (un constat par terme métier manquant ou invalide, avec le
champ à remplir), la lecture de tout avis et sa validation par les règles Schematron du SDK
(:class:`ValidateurAvis`).

>>> import mpe
>>> avis = mpe.avis.generer_marche("16", consultation, organisation, donnees, maintenant="2026-11-03T09:00:00Z")  # doctest: +SKIP
>>> mpe.avis.lire(avis["xml"])["sous_type"]  # doctest: +SKIP
'16'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import _mpe
from ._conversion import Chemin, Instant, chemin, instant

__all__ = [
    "ValidateurAvis",
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


class ValidateurAvis:
    """Valide des avis eForms par les règles Schematron du SDK (celles que TED applique),
    lues d'un dossier du SDK décompressé (``eforms-sdk/1.15.1``, qui contient
    ``schematrons/static/``) ; ``version`` : celle des rapports (par défaut le nom du
    dossier). Les règles d'un sous-type sont compilées à son premier avis (quelques
    secondes), puis gardées : en garder un par version du SDK. Le XSD du SDK n'est pas
    vérifié par mpe. Utilisable depuis plusieurs fils (les validations passent une à la
    fois, le GIL est relâché pendant chacune).

    >>> v = mpe.avis.ValidateurAvis("eforms-sdk/1.15.1")  # doctest: +SKIP
    >>> v.valider(avis["xml"], maintenant="2026-11-03T09:00:00Z")["valide"]  # doctest: +SKIP
    True

    Lève :class:`mpe.exceptions.ErreurES` (un fichier des règles illisible) et
    :class:`mpe.exceptions.ErreurPublication` (``SCHEMATRON_ILLISIBLE``,
    ``SCHEMATRON_NON_PRIS_EN_CHARGE``)."""

    def __init__(self, sdk: Chemin, *, version: str | None = None) -> None:
        self._v = _mpe.ValidateurAvisPy(chemin(sdk, "sdk"), version)

    @property
    def version(self) -> str:
        """La version du SDK nommée dans les rapports."""
        return self._v.version

    def preparer(self, phase: str) -> None:
        """Compile une phase (``"eforms-16"``) tout de suite plutôt qu'au premier avis."""
        self._v.preparer(phase)

    def valider(self, avis: str, *, maintenant: Instant, phase: str | None = None) -> dict[str, Any]:
        """Le rapport de l'avis (son XML) par les règles de son sous-type, ou de ``phase`` :
        ``{valide, echecs: [{id, role, rapport, emplacement, texte}], indetermines,
        version_sdk, sous_type, phase, regles_declenchees, tests_evalues}``. ``maintenant`` :
        la date à laquelle les règles comparent les échéances. Lève
        :class:`mpe.exceptions.ErreurPublication` (``AVIS_ILLISIBLE``, ``AVIS_NON_EFORMS``,
        ``PHASE_INCONNUE``)."""
        return self._v.valider(avis, instant(maintenant, "maintenant"), phase)
