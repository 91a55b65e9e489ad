# Généré par python/outils/stubs.py : ne pas modifier.
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
from typing import Any, Callable, Iterable, Sequence
from . import _mpe
from . import journal as _journal
from ._conversion import Chemin, Instant, MotDePasse, chemin, flux, instant, octets
from ._conversion import mot_de_passe as _mot_de_passe
Json = dict[str, Any]
__all__ = ['Procedure', 'nouvelle', 'appliquer', 'creer_suite', 'calculer_phase', 'lister_registres', 'lister_destinataires', 'lister_destinataires_courrier', 'chainer', 'deposer_octets', 'ouvrir_plis_jeton', 'generer_donnees_documents', 'generer_courrier_modification', 'ouvrir_plis']

def nouvelle(consultation: Json, contexte: Json) -> tuple[Json, list[Json]]:
    """Create a consultation in Élaboration: ``(etat, journal)``."""
    ...

def appliquer(etat: Json, action: Json, contexte: Json) -> tuple[Json, list[Json]]:
    """Apply an action: ``(nouvel_etat, entrees_du_journal)``. Raises a
    :class:`mpe.ProcedureError` (``HORS_DELAI``, ``NON_HABILITE``...) and leaves nothing
    changed when the action is refused."""
    ...

def creer_suite(etat: Json, parametres: Json, contexte: Json) -> tuple[Json, Json, list[Json], list[Json]]:
    """Create a suite: ``(etat, suite, journal, journal_suite)``."""
    ...

def calculer_phase(etat: Json, maintenant: Instant) -> str:
    """The phase at an instant, e.g. ``"ouverture_analyse"``."""
    ...

def generer_donnees_documents(etat: Json, organisation: Json, parametres: Json | None=None) -> Json:
    """The data of the DAJ forms (OUV3 … NOT18) filled from the state, for
    :func:`mpe.formulaire.generer`; ``parametres`` what the state does not hold (``lot``,
    ``pli``, ``date``, ``lieu``, ``criteres``, ``commission``, ``contrat`` …)."""
    ...

def generer_courrier_modification(etat: Json, version: int, pieces: dict[str, Any] | None=None) -> Json:
    """The letter of modification of DCE version ``version`` to every company of the
    retraits register; ``pieces`` ``{nom: bytes | chemin}`` the pièces added or replacing,
    attached once checked against their recorded hash (``PIECE_NON_FOURNIE``,
    ``PIECE_ALTEREE``)."""
    ...

def lister_registres(etat: Json) -> Json:
    """Retraits, questions and dépôts with the dashboard counts."""
    ...

def lister_destinataires(etat: Json, diffusion: str='tous') -> list[Json]:
    """Who to notify: ``retraits``, ``questions``, ``soumissionnaires`` or ``tous``."""
    ...

def lister_destinataires_courrier(etat: Json, filtre: Json | None=None, **criteres: Any) -> list[Json]:
    """The recipients of a letter from the registers, validated and de-duplicated, ready
    for a letter's ``destinataires``: ``[{"email", "raison_sociale", "origines"}]``.

    Filters (in ``filtre`` or as keywords): ``origines`` (``"retrait"``, ``"question"``,
    ``"depot"``; all by default), ``lot``, ``non_retenus`` (with ``lot``: leave out the
    attributaires) and ``pli`` (the company of one pli, for its rejection letter).
    """
    ...

def chainer(id: str, etats: Iterable[Json]) -> list[Json]:
    """The chain of suites ``id`` belongs to, from the first consultation down."""
    ...

def deposer_octets(etat: Json, action: Json, contexte: Json, enveloppes: Sequence[Any]) -> tuple[Json, list[Json]]:
    """Submit an electronic pli with its envelopes' bytes: ``enveloppes[i]`` (bytes, a path
    or a binary file object) is the envelope ``action["enveloppes"][i]``, as the company
    sent it. mpe computes sizes and SHA-256 and checks the encryption itself (CMS, exactly
    the consultation's keys, secours included, an allowed cipher); refusals
    (``ENVELOPPE_NON_CHIFFREE``, ``ENVELOPPE_NON_CMS``, ``DESTINATAIRES_INCORRECTS``,
    ``CLE_SECOURS_ABSENTE``, ``CHIFFREMENT_NON_AUTORISE``, ``DECLARATION_INCORRECTE`` …)
    raise and change nothing. Returns ``(nouvel_etat, entrees_du_journal)``."""
    ...

def ouvrir_plis(etat: Json, cle: Any, dossier: Chemin, contexte: Json, stockage: Any, *, mot_de_passe: MotDePasse | None=None, plis: Iterable[int] | None=None, mode: str='en_ligne', fils: int=0, verification: Json | None=None, enregistrer: Callable[[Json, list[Json]], None] | None=None, progression: Callable[[Json], None] | None=None) -> tuple[Json, list[Json], Json]:
    """Open the envelopes still closed (the candidatures, then the offers whose candidature
    is open), in the library: each envelope comes from ``stockage`` — a folder holding
    ``pli-<n>/<enveloppe>.p7m`` (an export), or a callable ``stockage(pli, nom)`` (``nom``:
    ``"candidature"``, ``"offre-lot-2"`` …) returning bytes, a path or a binary file
    object —, is checked against its dépôt, decrypted with the key pair ``cle`` (PKCS#12 or
    PEM bytes), its ZIP checked and extracted under ``dossier``, every signature inside
    verified with ``verification`` (``{"ancres_pem", "date_verification", …}``), and the
    opening recorded with the verified results.

    ``enregistrer(etat, entrees)`` is called after each envelope: store both before it
    returns, so that a crash loses nothing; an exception stops the opening
    (``OUVERTURE_INTERROMPUE``) and a new call goes on where it stopped. ``progression``
    receives the steps (``descripteurs``, ``cle_privee``, ``dechiffrement`` with ``index``,
    ``total``, ``octets``, ``octets_par_seconde``, then ``termine``). Returns ``(etat,
    entrees_du_journal, bilan)``."""
    ...

def ouvrir_plis_jeton(etat: Json, module: Chemin, jeton: str, dossier: Chemin, contexte: Json, stockage: Any, *, cle: str | None=None, id: str | None=None, pin: MotDePasse | None=None, plis: Iterable[int] | None=None, mode: str='en_ligne', fils: int=0, verification: Json | None=None, enregistrer: Callable[[Json, list[Json]], None] | None=None, progression: Callable[[Json], None] | None=None) -> tuple[Json, list[Json], Json]:
    """:func:`ouvrir_plis` with the private key on a PKCS#11 token or smart card, which it
    never leaves: ``module`` the PKCS#11 module's path, ``jeton`` the token's label, ``cle``
    the key's label or ``id`` its CKA_ID (hex), ``pin`` the PIN (as
    :func:`mpe.cms.dechiffrer_jeton`). The decryption runs on the calling thread, the
    extraction and verification on the other cores. ``PIN_INCORRECT``, ``JETON_ABSENT`` or
    ``CLE_ABSENTE_DU_JETON`` are raised before any envelope is read."""
    ...

def _source(stockage: Any) -> tuple[str, Any]:
    ...

def _options_ouverture(plis: Iterable[int] | None, mode: str, fils: int, verification: Json | None) -> Json:
    ...

class Procedure:
    """A state and its journal, kept together for scripts.

    The state is a plain dict (``.etat``), the journal a list of entries (``.journal``).
    """

    def __init__(self, etat: Json, journal: list[Json] | None=None):
        ...

    @classmethod
    def nouvelle(cls, consultation: Json, contexte: Json) -> 'Procedure':
        """Create a consultation."""
        ...

    def appliquer(self, action: Json, contexte: Json) -> list[Json]:
        """Apply an action; returns the events produced (the entries are appended to
        ``.journal``)."""
        ...

    def creer_suite(self, parametres: Json, contexte: Json) -> 'Procedure':
        """Create a suite; returns it as a new :class:`Procedure`."""
        ...

    def calculer_phase(self, maintenant: Instant) -> str:
        """The phase at an instant."""
        ...

    def lister_registres(self) -> Json:
        """The registers."""
        ...

    def enregistrer_courrier(self, envoi: Json, contexte: Json) -> list[Json]:
        """Record the letters of a :func:`mpe.courrier.preparer` result (its ``envoye``
        events) before the host sends them; returns the events."""
        ...

    def accuser_reception_courrier(self, jeton: str, contexte: Json) -> list[Json]:
        """The acknowledgement link with ``jeton`` was opened. ``JETON_INCONNU`` for an
        unknown token; a second opening returns no event (the first date stands)."""
        ...

    def repondre_courrier(self, message_id: str, contexte: Json, message_id_reponse: str | None=None) -> list[Json]:
        """An answer to the letter ``message_id`` arrived."""
        ...

    def lister_destinataires_courrier(self, **criteres: Any) -> list[Json]:
        """The recipients of a letter from the registers (see :func:`lister_destinataires_courrier`)."""
        ...

    def deposer_octets(self, action: Json, contexte: Json, enveloppes: Sequence[Any]) -> list[Json]:
        """Submit a pli with its envelopes' bytes (see :func:`deposer_octets`); returns the
        events."""
        ...

    def ouvrir_plis(self, cle: Any, dossier: Chemin, contexte: Json, stockage: Any, **options: Any) -> Json:
        """Open the plis (see :func:`ouvrir_plis`); the state and the journal follow each
        envelope, also when the opening stops. Returns the bilan."""
        ...

    def ouvrir_plis_jeton(self, module: Chemin, jeton: str, dossier: Chemin, contexte: Json, stockage: Any, **options: Any) -> Json:
        """Open the plis with a key on a token (see :func:`ouvrir_plis_jeton`: ``cle`` or
        ``id``, ``pin`` …); the state and the journal follow each envelope. Returns the
        bilan."""
        ...

    def verifier(self) -> None:
        """Verify the journal against the state's head."""
        ...

    def exporter_journal(self) -> str:
        """The journal as JSON Lines."""
        ...

    def __repr__(self) -> str:
        ...
