# Généré par python/outils/stubs.py : ne pas modifier.
"""La table des codes d'erreur stables."""
from __future__ import annotations
from . import _mpe
__all__ = ['lister']

def lister() -> dict[int, tuple[str, str, str]]:
    """Chaque code stable : ``{code: (nom, classe d'exception, libellé)}``."""
    ...
