"""The lifecycle of a consultation: validation, dépôts before the DLRO, opening, decisions
(with reset), suites, registers and the hash-chained journal.

Pure functions of (state, action, context): the host stores the state (a dict, the same
JSON as the C ABI) and the journal; the library decides what is allowed and records what
happened. A context is ``{"maintenant": "2026-12-15T10:59:59Z", "acteur": {"type":
"agent", "id": "a.martin"}, "organisation": {...}}``.

>>> p = Procedure.nouvelle(consultation, contexte)          # doctest: +SKIP
>>> p.appliquer({"type": "valider"}, contexte)              # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, Iterable

from . import _mpe
from . import journal as _journal
from ._conversion import Instant, instant

Json = dict[str, Any]

__all__ = [
    "Procedure",
    "nouvelle",
    "appliquer",
    "creer_suite",
    "calculer_phase",
    "lister_registres",
    "lister_destinataires",
    "lister_destinataires_courrier",
    "chainer",
]


def nouvelle(consultation: Json, contexte: Json) -> tuple[Json, list[Json]]:
    """Create a consultation in Élaboration: ``(etat, journal)``."""
    return _mpe.procedure_nouvelle(consultation, contexte)


def appliquer(etat: Json, action: Json, contexte: Json) -> tuple[Json, list[Json]]:
    """Apply an action: ``(nouvel_etat, entrees_du_journal)``. Raises a
    :class:`mpe.ProcedureError` (``HORS_DELAI``, ``NON_HABILITE``...) and leaves nothing
    changed when the action is refused."""
    return _mpe.procedure_appliquer(etat, action, contexte)


def creer_suite(etat: Json, parametres: Json, contexte: Json) -> tuple[Json, Json, list[Json], list[Json]]:
    """Create a suite: ``(etat, suite, journal, journal_suite)``."""
    return _mpe.procedure_creer_suite(etat, parametres, contexte)


def calculer_phase(etat: Json, maintenant: Instant) -> str:
    """The phase at an instant, e.g. ``"ouverture_analyse"``."""
    return _mpe.procedure_phase(etat, instant(maintenant, "maintenant"))


def lister_registres(etat: Json) -> Json:
    """Retraits, questions and dépôts with the dashboard counts."""
    return _mpe.procedure_registres(etat)


def lister_destinataires(etat: Json, diffusion: str = "tous") -> list[Json]:
    """Who to notify: ``retraits``, ``questions``, ``soumissionnaires`` or ``tous``."""
    return _mpe.procedure_destinataires(etat, diffusion)


def lister_destinataires_courrier(etat: Json, filtre: Json | None = None, **criteres: Any) -> list[Json]:
    """The recipients of a letter from the registers, validated and de-duplicated, ready
    for a letter's ``destinataires``: ``[{"email", "raison_sociale", "origines"}]``.

    Filters (in ``filtre`` or as keywords): ``origines`` (``"retrait"``, ``"question"``,
    ``"depot"``; all by default), ``lot``, ``non_retenus`` (with ``lot``: leave out the
    attributaires) and ``pli`` (the company of one pli, for its rejection letter).
    """
    f = dict(filtre or {})
    f.update(criteres)
    return _mpe.procedure_destinataires_courrier(etat, f)


def chainer(id: str, etats: Iterable[Json]) -> list[Json]:
    """The chain of suites ``id`` belongs to, from the first consultation down."""
    return _mpe.procedure_chaine(id, list(etats))


class Procedure:
    """A state and its journal, kept together for scripts.

    The state is a plain dict (``.etat``), the journal a list of entries (``.journal``).
    """

    def __init__(self, etat: Json, journal: list[Json] | None = None):
        self.etat = etat
        self.journal: list[Json] = list(journal or [])

    @classmethod
    def nouvelle(cls, consultation: Json, contexte: Json) -> "Procedure":
        """Create a consultation."""
        etat, journal = nouvelle(consultation, contexte)
        return cls(etat, journal)

    def appliquer(self, action: Json, contexte: Json) -> list[Json]:
        """Apply an action; returns the events produced (the entries are appended to
        ``.journal``)."""
        self.etat, entrees = appliquer(self.etat, action, contexte)
        self.journal.extend(entrees)
        return [e["evenement"] for e in entrees]

    def creer_suite(self, parametres: Json, contexte: Json) -> "Procedure":
        """Create a suite; returns it as a new :class:`Procedure`."""
        self.etat, suite, ja, js = creer_suite(self.etat, parametres, contexte)
        self.journal.extend(ja)
        return Procedure(suite, js)

    def calculer_phase(self, maintenant: Instant) -> str:
        """The phase at an instant."""
        return calculer_phase(self.etat, maintenant)

    def lister_registres(self) -> Json:
        """The registers."""
        return lister_registres(self.etat)

    def enregistrer_courrier(self, envoi: Json, contexte: Json) -> list[Json]:
        """Record the letters of a :func:`mpe.courrier.preparer` result (its ``envoye``
        events) before the host sends them; returns the events."""
        return self.appliquer({"type": "enregistrer_courrier", "evenements": envoi["evenements"]}, contexte)

    def accuser_reception_courrier(self, jeton: str, contexte: Json) -> list[Json]:
        """The acknowledgement link with ``jeton`` was opened. ``JETON_INCONNU`` for an
        unknown token; a second opening returns no event (the first date stands)."""
        return self.appliquer({"type": "accuser_reception_courrier", "jeton": jeton}, contexte)

    def repondre_courrier(self, message_id: str, contexte: Json, message_id_reponse: str | None = None) -> list[Json]:
        """An answer to the letter ``message_id`` arrived."""
        action: Json = {"type": "repondre_courrier", "message_id": message_id}
        if message_id_reponse is not None:
            action["message_id_reponse"] = message_id_reponse
        return self.appliquer(action, contexte)

    def lister_destinataires_courrier(self, **criteres: Any) -> list[Json]:
        """The recipients of a letter from the registers (see :func:`lister_destinataires_courrier`)."""
        return lister_destinataires_courrier(self.etat, criteres)

    def verifier(self) -> None:
        """Verify the journal against the state's head."""
        _journal.verifier(self.journal, self.etat)

    def exporter_journal(self) -> str:
        """The journal as JSON Lines."""
        return _journal.exporter(self.journal)

    def __repr__(self) -> str:
        c = self.etat.get("consultation", {})
        ref = c.get("identification", {}).get("reference", "?")
        return f"<Procedure {ref} phase={self.etat.get('phase')} journal={len(self.journal)}>"

