"""Les listes de confiance de l'UE (ETSI TS 119 612) et la qualification d'un certificat au
moment de la signature (ETSI TS 119 615) : QESig, AdESig-QC, AdES...

mpe ne télécharge rien et ne lit pas l'horloge : l'hôte donne les octets de la liste des
listes (LOTL), les certificats annoncés pour elle par le Journal officiel, les LOTL pivots
qu'elle désigne (``pivots`` : adresse telle que la LOTL la donne -> octets ; la confiance
passe du Journal officiel à la LOTL de pivot en pivot) et les listes nationales, et l'instant. Une liste déjà vue (mêmes octets, mêmes certificats) n'est
pas revérifiée dans le même processus. Le même trio se passe à
:func:`mpe.signature.verifier` (``listes_confiance``) pour que le contrôle « qualifié » de
l'arrêté du 22 mars 2019 vienne des listes.
"""

from __future__ import annotations

import base64
from typing import Any, Mapping, Sequence

from . import _mpe
from ._conversion import Instant, Octets, instant, octets, pem_texte

__all__ = ["charger", "qualifier"]


def _listes(
    lotl: Octets,
    certificats_lotl_pem: Octets | str,
    listes: Sequence[Octets],
    pivots: Mapping[str, Octets] | None = None,
) -> dict[str, Any]:
    # The JSON of the C API carries the list bytes as base64.
    return {
        "lotl": base64.b64encode(octets(lotl, "lotl")).decode("ascii"),
        "certificats_lotl_pem": pem_texte(certificats_lotl_pem, "certificats_lotl_pem") or "",
        "listes": [base64.b64encode(octets(l, f"listes[{i}]")).decode("ascii") for i, l in enumerate(listes)],
        "pivots": [
            {"adresse": str(a), "liste": base64.b64encode(octets(o, f"pivots[{a!r}]")).decode("ascii")}
            for a, o in (pivots or {}).items()
        ],
    }


def charger(
    lotl: Octets,
    *,
    certificats_lotl_pem: Octets | str,
    listes: Sequence[Octets] = (),
    pivots: Mapping[str, Octets] | None = None,
    date: Instant,
) -> dict[str, Any]:
    """Vérifie la LOTL et les listes nationales telles qu'elles sont à ``date`` : les listes
    utilisables (``listes``), le verdict de la LOTL (``lotl``), un verdict par liste
    nationale (``entrees`` : ``territoire``, ``empreinte``, ``rapport`` ou ``erreur``) et la
    chaîne des pivots, du plus ancien au plus récent (``pivots`` : ``adresse``,
    ``chargement``, ``retenu``, ``erreur``)."""
    return _mpe.trust_load(_listes(lotl, certificats_lotl_pem, listes, pivots), instant(date, "date"))


def qualifier(
    certificat: Octets,
    *,
    lotl: Octets,
    certificats_lotl_pem: Octets | str,
    listes: Sequence[Octets] = (),
    pivots: Mapping[str, Octets] | None = None,
    date: Instant,
) -> dict[str, Any]:
    """La qualification du certificat (DER ou PEM) à l'instant de signature ``date`` selon
    les listes : ``qualification`` (``QESig``, ``QESeal``, ``AdESig-QC``, ``AdESeal-QC``,
    ``AdES``, ``INDETERMINEE``), le service retenu et chaque étape."""
    return _mpe.trust_qualify(
        octets(certificat, "certificat"), _listes(lotl, certificats_lotl_pem, listes, pivots), instant(date, "date")
    )
