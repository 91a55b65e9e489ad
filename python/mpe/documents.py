"""DAJ documents: merge DOCX templates, list their fields, generate the standard forms of
the DAJ catalogue from procedure data, and build a consultation's document space.

Templates may use ``{{ champ }}`` placeholders, Word MERGEFIELDs and content controls
(tagged ``w:sdt``). Data is a plain dict (the same JSON as the C API). Heavy work runs
without the GIL.

>>> import mpe.documents as d
>>> procedure = d.example_procedure()
>>> docx = d.generate_form("NOT13", procedure)
>>> docx[:2]
b'PK'
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Literal, Mapping, Sequence, TypedDict, Union

from . import _mpe

BytesLike = Union[bytes, bytearray, memoryview]
Template = Union[BytesLike, "os.PathLike[str]", str]
Categorie = Literal["dce", "publicite", "depots", "attributaires", "libres", "generees"]


class ChampModele(TypedDict):
    """A field of a template."""

    nom: str
    genre: Literal["valeur", "section", "section_inverse", "fin"]
    sections: list[str]
    parties: list[str]
    sources: list[Literal["balise", "mergefield", "controle"]]
    optionnel: bool


class Formulaire(TypedDict):
    """A form of the DAJ catalogue."""

    code: str
    titre: str
    usage: str
    destinataire: bool


class Piece(TypedDict, total=False):
    """A document of a document space."""

    id: str
    categorie: Categorie
    nom: str
    taille: int
    date_ajout: str
    sha256: str
    modele: str


def _octets(template: Template) -> bytes:
    if isinstance(template, (bytes, bytearray, memoryview)):
        return bytes(template)
    with open(os.fspath(template), "rb") as f:
        return f.read()


def merge(
    template: Template,
    data: Mapping[str, Any] | str,
    *,
    strict: bool = True,
    keep_controls: bool = False,
) -> bytes:
    """Merge ``data`` into a DOCX template (bytes-like or path) and return the new DOCX.

    With ``strict`` (default), missing data raises one :class:`mpe.DocumentError`
    (``DONNEES_MANQUANTES``) listing every missing field; otherwise missing values render
    empty. ``keep_controls`` keeps content controls around their new value.
    """
    return _mpe.document_merge(_octets(template), data, strict, keep_controls)


def merge_file(
    template: "os.PathLike[str] | str",
    data: Mapping[str, Any] | str,
    output: "os.PathLike[str] | str",
    *,
    strict: bool = True,
    keep_controls: bool = False,
) -> None:
    """Merge a template file into ``output`` (written atomically)."""
    _mpe.document_merge_file(os.fspath(template), data, os.fspath(output), strict, keep_controls)


def list_fields(template: Template) -> list[ChampModele]:
    """The fields a template uses (lint). A malformed template raises
    :class:`mpe.DocumentError` naming the part and paragraph."""
    return _mpe.document_fields(_octets(template))


def catalogue() -> list[Formulaire]:
    """The forms of the DAJ catalogue (OUV3 … NOT18)."""
    return _mpe.document_forms()


def form_template(code: str) -> bytes:
    """The bundled DOCX template of a form."""
    return _mpe.document_form_template(code)


def form_data(code: str, procedure: Mapping[str, Any] | str) -> dict[str, Any]:
    """The data a form's template is merged with, built from a ``DonneesProcedure``."""
    return _mpe.document_form_data(code, procedure)


def generate_form(code: str, procedure: Mapping[str, Any] | str) -> bytes:
    """Generate a form (DOCX) from a ``DonneesProcedure`` dict."""
    return _mpe.document_form_generate(code, procedure)


def example_procedure() -> dict[str, Any]:
    """A realistic ``DonneesProcedure`` to start from."""
    return _mpe.document_procedure_example()


def _instant(date: _dt.datetime | str) -> str:
    if isinstance(date, _dt.datetime):
        if date.tzinfo is None:
            raise ValueError("date : un datetime avec fuseau horaire est attendu")
        return date.isoformat()
    return date


def space_new(consultation: str) -> dict[str, Any]:
    """A new, empty document space for a consultation."""
    return _mpe.document_space_new(consultation)


def space_add(
    space: Mapping[str, Any],
    category: Categorie,
    name: str,
    content: BytesLike,
    date: _dt.datetime | str,
    model: str | None = None,
) -> dict[str, Any]:
    """Add a document; returns the updated space (the new piece is last in ``pieces``:
    store ``content`` under its ``id``)."""
    return _mpe.document_space_add(space, category, name, bytes(content), _instant(date), model)


def space_list(space: Mapping[str, Any], category: Categorie | None = None) -> list[Piece]:
    """The documents of a category (all when ``None``), with size, date and SHA-256."""
    return _mpe.document_space_list(space, category)


def space_zip(
    space: Mapping[str, Any],
    selection: Sequence[str],
    contents: Mapping[str, BytesLike | "os.PathLike[str]" | str],
) -> bytes:
    """A ZIP of the selected documents (all when empty), one folder per category.
    ``contents`` maps each id to its bytes or to the path holding them; each is checked
    against its stored SHA-256."""
    octets = {k: _octets(v) for k, v in contents.items()}
    return _mpe.document_space_zip(space, list(selection), octets)


def space_zip_file(
    space: Mapping[str, Any],
    selection: Sequence[str],
    paths: Mapping[str, "os.PathLike[str] | str"],
    output: "os.PathLike[str] | str",
) -> None:
    """Like :func:`space_zip` but streaming files into ``output`` (written atomically)."""
    _mpe.document_space_zip_file(
        space, list(selection), {k: os.fspath(v) for k, v in paths.items()}, os.fspath(output)
    )


__all__ = [
    "ChampModele",
    "Formulaire",
    "Piece",
    "merge",
    "merge_file",
    "list_fields",
    "catalogue",
    "form_template",
    "form_data",
    "generate_form",
    "example_procedure",
    "space_new",
    "space_add",
    "space_list",
    "space_zip",
    "space_zip_file",
]
