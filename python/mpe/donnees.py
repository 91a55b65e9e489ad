"""Contracts and their données essentielles (DECP).

Contracts are plain dicts with the DECP field names (camelCase), the same JSON as the C API.
Dates are ``datetime.date`` or ``"AAAA-MM-JJ"`` strings; "now" is always a parameter.

- :func:`exporter_decp_json` / :func:`exporter_decp_xml`: DECP 2022 export (valid against the
  official schemas, after :func:`verifier_decp`'s stricter checks);
- :func:`lire_decp`: a streamed iterator over a DECP file (2019 or 2022, JSON or XML), one
  repaired contract or rejection at a time;
- :class:`Entrepot`: the searchable store (import, merge, search, file);
- :func:`exporter_ocds`, :func:`exporter_xlsx`, :func:`filtrer_contrats`,
  :func:`contrat_depuis_attribution`, :func:`etat_actuel`.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from . import _mpe

Contrat = dict[str, Any]


def _date(d: _dt.date | str) -> str:
    return d.isoformat() if isinstance(d, _dt.date) else str(d)


def _js(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


def verifier_decp(contrats: Sequence[Mapping[str, Any]], maintenant: _dt.date | str) -> list[dict[str, Any]]:
    """Every failed check: ``[{index, enregistrement, champ, message}]`` (empty when valid)."""
    return json.loads(_mpe.decp_verifier(_js(list(contrats)), _date(maintenant)))


def exporter_decp_json(contrats: Sequence[Mapping[str, Any]], maintenant: _dt.date | str) -> bytes:
    """DECP 2022 JSON; raises :class:`mpe.DecpError` (code 700) naming record and field."""
    return bytes(_mpe.decp_exporter_json(_js(list(contrats)), _date(maintenant)))


def exporter_decp_xml(contrats: Sequence[Mapping[str, Any]], maintenant: _dt.date | str) -> bytes:
    """DECP 2022 XML, same checks as :func:`exporter_decp_json`."""
    return bytes(_mpe.decp_exporter_xml(_js(list(contrats)), _date(maintenant)))


def exporter_ocds(
    contrats: Sequence[Mapping[str, Any]],
    *,
    prefixe_ocid: str,
    uri: str,
    editeur: str,
    publie_le: _dt.datetime | str,
) -> bytes:
    """An OCDS 1.1.5 release package (JSON bytes)."""
    quand = publie_le.isoformat() if isinstance(publie_le, _dt.datetime) else publie_le
    options = {"prefixeOcid": prefixe_ocid, "uri": uri, "editeur": editeur, "publieLe": quand}
    return bytes(_mpe.decp_exporter_ocds(_js(list(contrats)), _js(options)))


def exporter_xlsx(contrats: Sequence[Mapping[str, Any]]) -> bytes:
    """The contracts list as an XLSX workbook."""
    return bytes(_mpe.contrats_exporter_xlsx(_js(list(contrats))))


def filtrer_contrats(
    contrats: Sequence[Mapping[str, Any]],
    *,
    mots_cles: str | None = None,
    type_contrat: str | None = None,
    statut: str | None = None,
) -> list[Contrat]:
    """The contracts matching the register's filters (keywords, type, status)."""
    f = {"motsCles": mots_cles, "typeContrat": type_contrat, "statut": statut}
    return json.loads(_mpe.contrats_filtrer(_js(list(contrats)), _js(f)))


def contrat_depuis_attribution(attribution: Mapping[str, Any]) -> Contrat:
    """A new contract of the register from an attribution decision."""
    return json.loads(_mpe.contrat_depuis_attribution(_js(dict(attribution))))


def etat_actuel(contrat: Mapping[str, Any]) -> dict[str, Any]:
    """The contract with its modifications applied: ``{montant, dureeMois, titulaires, dateFin, nbModifications}``."""
    return json.loads(_mpe.contrat_etat_actuel(_js(dict(contrat))))


def _camel(cle: str) -> str:
    tete, *reste = cle.split("_")
    return tete + "".join(m[:1].upper() + m[1:] for m in reste)


def _criteres(criteres: Mapping[str, Any]) -> str:
    return _js({_camel(k): v for k, v in criteres.items() if v is not None})


def _options(maintenant: _dt.date | str, provenance: str) -> str:
    return _js({"maintenant": _date(maintenant), "provenance": provenance})


def lire_decp(
    chemin: str | os.PathLike[str], maintenant: _dt.date | str, *, provenance: str = "dataGouv"
) -> Iterator[dict[str, Any]]:
    """Stream a DECP file: yields ``{"type": "contrat", "contrat": {...}, "entrees": [...],
    "version": 2019|2022}`` or ``{"type": "rejet", ...}`` one at a time (bounded memory)."""
    for item in _mpe.LecteurDecpPy(os.fspath(chemin), _options(maintenant, provenance)):
        yield json.loads(item)


class Entrepot:
    """The searchable store of contracts (own and imported, merged without duplicates)."""

    def __init__(self, _inner: Any = None) -> None:
        self._e = _inner if _inner is not None else _mpe.EntrepotPy()

    @classmethod
    def charger(cls, chemin: str | os.PathLike[str]) -> Entrepot:
        """Open a store file written by :meth:`enregistrer` (or the C API)."""
        return cls(_mpe.EntrepotPy.charger(os.fspath(chemin)))

    @classmethod
    def ouvrir(cls, chemin: str | os.PathLike[str]) -> Entrepot:
        """Open a store file once (read and indexed), to search it many times in memory:
        the same as :meth:`charger`."""
        return cls.charger(chemin)

    def importer(
        self, chemin: str | os.PathLike[str], maintenant: _dt.date | str, *, provenance: str = "dataGouv"
    ) -> dict[str, Any]:
        """Import a DECP file; returns the report (counts and every repair, rejection, merge)."""
        return json.loads(self._e.importer(os.fspath(chemin), _options(maintenant, provenance)))

    def ajouter(self, contrat: Mapping[str, Any]) -> int | None:
        """Add a contract; returns the index of the record it was merged into, if a duplicate."""
        return self._e.ajouter(_js(dict(contrat)))

    def rechercher(self, **criteres: Any) -> dict[str, Any]:
        """Search (``acheteur``, ``annee``, ``attributaire``, ``naturePrestations``,
        ``montantMin``, ``montantMax``, ``cpv``, ``dateNotificationDebut``,
        ``dateNotificationFin``, ``motsCles``, ``categorie``, ``provenance``, ``tri``,
        ``decalage``, ``limite``; snake_case spellings such as ``mots_cles`` too; dates as
        ``datetime.date`` or ``"AAAA-MM-JJ"``): returns ``{total, parProvenance, fiches}``."""
        return json.loads(self._e.rechercher(_criteres(criteres)))

    def parcourir(self, **criteres: Any) -> Iterator[dict[str, Any]]:
        """Every card matching the criteria (as :meth:`rechercher`; paging ignored), in sort
        order, one at a time: the search runs once, each card is read when it is asked."""
        for fiche in self._e.parcourir(_criteres(criteres)):
            yield json.loads(fiche)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Every card of the store, most recent notification first."""
        return self.parcourir()

    def enregistrer(self, chemin: str | os.PathLike[str]) -> None:
        """Write the store file (atomically)."""
        self._e.enregistrer(os.fspath(chemin))

    def __len__(self) -> int:
        return len(self._e)


def contrat_depuis_decision(
    procedure: Mapping[str, Any],
    organisation: Mapping[str, Any],
    complement: Mapping[str, Any],
    lot: int,
) -> Contrat:
    """The contract of ``lot`` (0 when non allotie) from the attribution decision of a
    procedure state (``mpe.procedure``), for the buyer ``organisation``, completed by
    ``complement`` (``numero`` required; ``dateNotification``, ``dureeMois``, ``formePrix``,
    ``typesPrix``, ``montant``, ``ccag``, ``lieuExecution``, ``decisionDu``...). Raises
    :class:`mpe.ProcedureError` (``LOT_INCONNU``) or :class:`mpe.DecpError`
    (``DECISION_ABSENTE``, ``DECISION_NON_ATTRIBUTION``, ``DECISION_REINITIALISEE``,
    ``CONTRAT_INCOHERENT``)."""
    return json.loads(
        _mpe.contrat_depuis_decision(_js(dict(procedure)), _js(dict(organisation)), _js(dict(complement)), int(lot))
    )
