# Généré par python/outils/stubs.py : ne pas modifier.
"""Les documents DOCX fusionnés depuis un modèle.

Les modèles utilisent des balises ``{{ champ }}``, des MERGEFIELD de Word et des contrôles
de contenu (``w:sdt`` étiquetés). Les données sont un ``dict`` (le même JSON que l'API C).
Le travail lourd se fait sans le GIL.
"""
from __future__ import annotations
import os
from typing import Any, Literal, Mapping, TypedDict, Union
from . import _mpe
from ._conversion import Chemin, Octets, chemin, octets
__all__ = ['ChampModele', 'Modele', 'fusionner', 'fusionner_fichier', 'lister_champs', 'lire_modele']
Modele = Union[Octets, 'os.PathLike[str]', str]

class ChampModele(TypedDict):
    """Un champ d'un modèle."""
    nom: str
    genre: Literal['valeur', 'section', 'section_inverse', 'fin']
    sections: list[str]
    parties: list[str]
    sources: list[Literal['balise', 'mergefield', 'controle']]
    optionnel: bool

def lire_modele(modele: Modele) -> bytes:
    """Les octets d'un modèle donné en octets ou par son chemin."""
    ...

def fusionner(modele: Modele, donnees: Mapping[str, Any] | str, *, strict: bool=True, conserver_controles: bool=False) -> bytes:
    """Fusionne ``donnees`` dans un modèle DOCX (octets ou chemin) et rend le nouveau DOCX.
    En mode ``strict`` (par défaut), des données manquantes lèvent une seule
    :class:`mpe.exceptions.ErreurDocument` (``DONNEES_MANQUANTES``) qui les liste toutes ;
    sinon les valeurs manquantes restent vides. ``conserver_controles`` garde les contrôles
    de contenu autour de leur nouvelle valeur."""
    ...

def fusionner_fichier(modele: Chemin, donnees: Mapping[str, Any] | str, sortie: Chemin, *, strict: bool=True, conserver_controles: bool=False) -> None:
    """Fusionne un fichier modèle dans ``sortie`` (écrit entier ou pas du tout)."""
    ...

def lister_champs(modele: Modele) -> list[ChampModele]:
    """Les champs qu'un modèle utilise. Un modèle mal formé lève
    :class:`mpe.exceptions.ErreurDocument` avec la partie et le paragraphe."""
    ...
