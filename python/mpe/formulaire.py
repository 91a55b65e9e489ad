"""Les formulaires types de la DAJ (OUV, NOTI, DC...) générés depuis les données d'une procédure.

>>> import mpe
>>> procedure = mpe.formulaire.lire_exemple()
>>> docx = mpe.formulaire.generer("NOT13", procedure)
>>> docx[:2]
b'PK'
"""

from __future__ import annotations

from typing import Any, Mapping, TypedDict

from . import _mpe

__all__ = ["Formulaire", "lister", "lire_modele", "generer_donnees", "generer", "lire_exemple"]


class Formulaire(TypedDict):
    """Un formulaire du catalogue de la DAJ."""

    code: str
    titre: str
    usage: str
    destinataire: bool


def lister() -> list[Formulaire]:
    """Les formulaires du catalogue de la DAJ (OUV3 … NOT18)."""
    return _mpe.document_forms()


def lire_modele(code: str) -> bytes:
    """Le modèle DOCX embarqué d'un formulaire."""
    return _mpe.document_form_template(code)


def generer_donnees(code: str, procedure: Mapping[str, Any] | str) -> dict[str, Any]:
    """Les données avec lesquelles le modèle d'un formulaire est fusionné, tirées d'un
    ``DonneesProcedure``."""
    return _mpe.document_form_data(code, procedure)


def generer(code: str, procedure: Mapping[str, Any] | str) -> bytes:
    """Génère un formulaire (DOCX) depuis un ``DonneesProcedure``."""
    return _mpe.document_form_generate(code, procedure)


def lire_exemple() -> dict[str, Any]:
    """Un ``DonneesProcedure`` réaliste pour commencer."""
    return _mpe.document_procedure_example()
