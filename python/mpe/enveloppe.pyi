# Généré par python/outils/stubs.py : ne pas modifier.
"""Les enveloppes ZIP d'un pli, avec leur manifeste SHA-256."""
from __future__ import annotations
from typing import Any, Iterable
from . import _mpe
from ._conversion import Chemin, Octets, chemin, octets
__all__ = ['generer', 'lister', 'extraire']

def generer(fichiers: Iterable[tuple[str, Chemin]], sortie: Chemin) -> dict[str, Any]:
    """Un ZIP de paires ``(chemin dans l'archive, fichier)`` avec son manifeste ; rend le
    manifeste."""
    ...

def lister(zip: Octets) -> list[dict[str, Any]]:
    """Les entrées d'une enveloppe ZIP, toutes vérifiées sur son manifeste."""
    ...

def extraire(zip: Chemin, dossier: Chemin) -> dict[str, Any]:
    """Extrait une enveloppe ZIP sans risque (pas de traversée de chemin, limites de
    décompression, manifeste vérifié)."""
    ...
