# Généré par python/outils/stubs.py : ne pas modifier.
"""Les données essentielles de la commande publique (DECP) : validation, export JSON, XML et
OCDS, lecture en flux des fichiers publiés, import dans un entrepôt.

Les contrats sont des ``dict`` aux noms de champs DECP (camelCase), le même JSON que l'API
C. « Aujourd'hui » est toujours un paramètre (``datetime.date`` ou ``"AAAA-MM-JJ"``).
"""
from __future__ import annotations
import datetime as _dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from . import _mpe
from ._conversion import Chemin, Date, chemin, date, depuis_json, instant, texte_json
__all__ = ['valider', 'exporter_json', 'exporter_xml', 'exporter_ocds', 'lire', 'importer']

def _contrats(contrats: Sequence[Mapping[str, Any]]) -> str:
    ...

def valider(contrats: Sequence[Mapping[str, Any]], aujourd_hui: Date) -> list[dict[str, Any]]:
    """Chaque contrôle en échec : ``[{index, enregistrement, champ, message}]`` (vide si valide)."""
    ...

def exporter_json(contrats: Sequence[Mapping[str, Any]], aujourd_hui: Date) -> bytes:
    """DECP 2022 en JSON ; lève :class:`mpe.exceptions.ErreurDecp` (700) avec
    l'enregistrement et le champ."""
    ...

def exporter_xml(contrats: Sequence[Mapping[str, Any]], aujourd_hui: Date) -> bytes:
    """DECP 2022 en XML, mêmes contrôles que :func:`exporter_json`."""
    ...

def exporter_ocds(contrats: Sequence[Mapping[str, Any]], *, prefixe_ocid: str, uri: str, editeur: str, publie_le: _dt.datetime | str) -> bytes:
    """Un « release package » OCDS 1.1.5 (JSON)."""
    ...

def options_lecture(aujourd_hui: Date, provenance: str) -> str:
    ...

def lire(fichier: Chemin, aujourd_hui: Date, *, provenance: str='dataGouv') -> Iterator[dict[str, Any]]:
    """Lit un fichier DECP en flux (2019 ou 2022, JSON ou XML) : rend ``{"type": "contrat",
    "contrat": {...}, "entrees": [...], "version": 2019|2022}`` ou ``{"type": "rejet", ...}``
    un à la fois (mémoire bornée)."""
    ...

def importer(fichier: Chemin, aujourd_hui: Date, entrepot_sortie: Chemin, *, entrepot_entree: Chemin | None=None, provenance: str='dataGouv') -> dict[str, Any]:
    """Importe un fichier DECP publié dans le fichier d'entrepôt ``entrepot_sortie``, en
    partant de ``entrepot_entree`` (un entrepôt vide sinon) ; rend le rapport. Comme
    ``mpe_decp_importer`` en C ; :class:`mpe.entrepot.Entrepot` garde l'entrepôt ouvert."""
    ...
