"""L'ouverture des plis : export des plis chiffrés, déchiffrement hors ligne."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Optional

from . import _conversion as _c
from . import _mpe
from ._conversion import Chemin, MotDePasse, Octets, chemin, octets

__all__ = ["exporter", "dechiffrer_dossier"]


def exporter(enveloppes: Iterable[Mapping[str, Any]], dossier: Chemin) -> dict[str, Any]:
    """« Télécharger les plis chiffrés » : copie les enveloppes ``{"consultation", "id",
    "chemin"}`` dans ``dossier`` avec un ``index.json`` ; rend l'index."""
    liste = [dict(e, chemin=chemin(e["chemin"], "chemin")) for e in enveloppes]
    return _mpe.ouverture_export(liste, chemin(dossier, "dossier"))


def dechiffrer_dossier(
    dossier: Chemin,
    bicle: Octets,
    mot_de_passe: MotDePasse | None,
    sortie: Chemin,
    progression: Optional[Callable[[dict[str, Any]], None]] = None,
) -> dict[str, Any]:
    """« Déchiffrement hors ligne » d'un dossier exporté ; ``progression`` reçoit chaque
    étape (``{"etape": "dechiffrement", "index": 1, "total": 3, "id": ...}``). Rend le
    rapport (aussi écrit dans ``sortie/rapport.json``)."""
    return _mpe.ouverture_decrypt_folder(
        chemin(dossier, "dossier"), octets(bicle, "bicle"), _c.mot_de_passe(mot_de_passe), chemin(sortie, "sortie"),
        progression,
    )
