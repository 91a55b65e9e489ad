"""Les courriers aux entreprises (rejet, modification du DCE, demande de complément,
réponse à une question, information au titulaire retenu, notification, courrier libre),
rendus en messages RFC 5322 / MIME, et leur registre.

Les valeurs sont les ``dict`` du JSON de l'API C. Le contenu d'une pièce jointe se donne en
octets (tout objet bytes-like) ou en texte base64 ; les messages préparés reviennent en
``bytes``. Les erreurs sont des :class:`mpe.exceptions.ErreurMessagerie`
(``ADRESSE_INVALIDE``, ``SANS_DESTINATAIRE``, ``PIECE_JOINTE_TROP_GRANDE``,
``JETON_INCONNU``, ``COURRIER_INCOMPLET``, ``COURRIER_INCONNU``, ``REPONSE_NON_AUTORISEE``)
ou une autre :class:`mpe.exceptions.ErreurMpe`.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import os
from typing import Any, Iterable, Literal, Optional, TypedDict, Union

from . import _mpe
from ._conversion import Chemin, chemin, instant, octets

TypeCourrier = Literal[
    "rejet",
    "modification_dce",
    "demande_complement",
    "reponse_question",
    "information_titulaire",
    "notification",
    "libre",
]
Origine = Literal["retrait", "question", "depot", "saisie"]
Date = Union[str, dt.datetime]


class Modele(TypedDict):
    objet: str
    corps: str


class Adresse(TypedDict):
    email: str
    ascii: str


class Message(TypedDict):
    destinataire: str
    raison_sociale: Optional[str]
    message_id: str
    jeton: Optional[str]
    url_accuse_reception: Optional[str]
    mime: bytes


class Envoi(TypedDict):
    messages: list[Message]
    evenements: list[dict[str, Any]]


def _date(d: Date) -> str:
    return instant(d, "date")


def _b64(contenu: Any) -> Any:
    if isinstance(contenu, str):
        return contenu
    return base64.b64encode(octets(contenu, "contenu")).decode("ascii")


def _pieces(piece: dict[str, Any]) -> dict[str, Any]:
    p = dict(piece)
    if "contenu" in p:
        p["contenu"] = _b64(p["contenu"])
    return p


def generer_piece_jointe(
    fichier: Chemin,
    contenu: Optional[bytes] = None,
    type_mime: Optional[str] = None,
    origine: Literal["fichier", "espace_documentaire"] = "fichier",
) -> dict[str, Any]:
    """Une pièce jointe : depuis un chemin (lu ici), ou un nom avec ``contenu`` en octets."""
    if contenu is None:
        with open(chemin(fichier, "fichier"), "rb") as f:
            contenu = f.read()
    p: dict[str, Any] = {"nom": os.path.basename(chemin(fichier, "fichier")), "contenu": contenu, "origine": origine}
    if type_mime is not None:
        p["type_mime"] = type_mime
    return p


def generer_modele(type_courrier: TypeCourrier, consultation: Any, lot: Optional[int] = None) -> Modele:
    """The default French subject and body of a kind of letter (the agent edits them)."""
    return _mpe.courrier_modele(type_courrier, consultation, lot)


def nouveau(
    type_courrier: TypeCourrier,
    consultation: Any,
    lot: Optional[int] = None,
    entreprise: Optional[dict[str, Any]] = None,
) -> dict[str, Any]:
    """A new letter (the ``courrier`` of :func:`preparer`) with the default subject and body;
    ``entreprise`` (``{"raison_sociale", "email", "origines"}``) pre-fills the recipient, as
    when notifying the rejection of that company's bid."""
    return _mpe.courrier_nouveau(type_courrier, consultation, lot, entreprise)


def analyser_destinataires(texte: str) -> list[Adresse]:
    """Validate and de-duplicate pasted addresses (spaces, commas, semicolons, new lines).
    Raises ``ADRESSE_INVALIDE`` listing every invalid address."""
    return _mpe.courrier_analyser_destinataires(texte)


def extraire_destinataires(
    contacts: Iterable[dict[str, Any]], origines: Optional[Iterable[Origine]] = None
) -> list[dict[str, Any]]:
    """Recipients from the registers' companies found in one of ``origines`` (all if None)."""
    return _mpe.courrier_destinataires_registres(list(contacts), list(origines or []))


def _demande(demande: dict[str, Any]) -> dict[str, Any]:
    d = copy.copy(demande)
    courrier = dict(d["courrier"])
    courrier["pieces_jointes"] = [_pieces(p) for p in courrier.get("pieces_jointes", [])]
    mods = []
    for m in courrier.get("modifications_dce", []):
        m = dict(m)
        if "piece" in m:
            m["piece"] = _pieces(m["piece"])
        mods.append(m)
    courrier["modifications_dce"] = mods
    d["courrier"] = courrier
    contexte = dict(d["contexte"])
    if isinstance(contexte.get("date"), dt.datetime):
        contexte["date"] = _date(contexte["date"])
    d["contexte"] = contexte
    return d


def preparer(demande: dict[str, Any]) -> Envoi:
    """Prepare a letter (``{"courrier", "consultation", "organisation", "contexte"}``):
    one message per recipient (``mime`` bytes, CRLF) and the ``envoye`` journal events.
    Acknowledgement tokens come from the operating system's CSPRNG. A sending over about
    1 GB in memory raises ``LIMITE_DEPASSEE``: use :func:`preparer_message`."""
    return _mpe.courrier_preparer(_demande(demande))


def preparer_message(demande: dict[str, Any], index: int) -> dict[str, Any]:
    """Only message ``index`` (distinct recipients numbered from 0): the message fields,
    ``mime`` bytes, its ``evenement`` and ``nombre_messages``."""
    return _mpe.courrier_preparer_message(_demande(demande), index)


def generer_message(envoi: Envoi, index: int) -> bytes:
    """Les octets MIME du message ``index`` d'un envoi préparé (comme
    ``mpe_courrier_generer_message`` en C)."""
    messages = envoi["messages"]
    if not 0 <= index < len(messages):
        raise IndexError(f"aucun message n°{index} dans l'envoi")
    return bytes(messages[index]["mime"])


def appliquer_evenements(
    evenements: Iterable[dict[str, Any]], registre: Optional[dict[str, Any]] = None
) -> dict[str, Any]:
    """Apply journal events to a register (a new one when ``registre`` is None)."""
    return _mpe.courrier_registre(registre, list(evenements))


def accuser_reception(registre: dict[str, Any], jeton: str, date: Date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The link with ``jeton`` was opened at ``date``: ``(new register, "ouvert" event)``.
    Raises ``JETON_INCONNU`` for an unknown or already used token."""
    return _mpe.courrier_accuser_reception(registre, jeton, _date(date))


def enregistrer_reponse(
    registre: dict[str, Any], message_id: str, date: Date, message_id_reponse: Optional[str] = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An answer to ``message_id`` (the In-Reply-To) arrived: ``(new register, "repondu" event)``."""
    return _mpe.courrier_enregistrer_reponse(registre, message_id, _date(date), message_id_reponse)


def normaliser_nom_piece(nom: str) -> str:
    """The safe file name of an attachment (accents kept)."""
    return _mpe.courrier_nom_piece(nom)


__all__ = [
    "Adresse",
    "Envoi",
    "Message",
    "Modele",
    "Origine",
    "TypeCourrier",
    "accuser_reception",
    "analyser_destinataires",
    "appliquer_evenements",
    "enregistrer_reponse",
    "extraire_destinataires",
    "generer_message",
    "generer_modele",
    "generer_piece_jointe",
    "normaliser_nom_piece",
    "nouveau",
    "preparer",
    "preparer_message",
]
