"""La conversion des arguments Python, en un seul endroit (le côté Rust est
``python/src/conversion.rs``).

- octets : tout objet « bytes-like » (``bytes``, ``bytearray``, ``memoryview``, tableau...) ;
  un autre type lève :class:`TypeError` *avant* toute allocation (``chiffrer(42, ...)`` ne
  chiffre pas 42 octets nuls) ;
- textes PEM : ``str`` ou octets ;
- mots de passe : ``str`` ou octets UTF-8 ;
- instants : :class:`datetime.datetime` avec fuseau, ou texte RFC 3339 ; dates :
  :class:`datetime.date` ou ``"AAAA-MM-JJ"`` ;
- chemins : ``str``, ``bytes`` ou ``os.PathLike`` (tout nom de fichier Linux) ;
- valeurs JSON : ``dict``/``list`` (ou le texte JSON) ; les résultats sont des ``dict``.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os
from typing import Any, Union

from .exceptions import ErreurEntree

Octets = Union[bytes, bytearray, memoryview]
Chemin = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
Instant = Union[_dt.datetime, str]
Date = Union[_dt.date, str]
MotDePasse = Union[str, bytes, bytearray, memoryview]


def octets(valeur: Any, nom: str) -> bytes:
    """Des octets depuis un objet bytes-like ; :class:`TypeError` sinon."""
    if isinstance(valeur, bytes):
        return valeur
    if isinstance(valeur, (str, int, float)) or valeur is None:
        raise TypeError(f"{nom} : octets attendus (bytes, bytearray, memoryview), reçu {type(valeur).__name__}")
    try:
        vue = memoryview(valeur)
    except TypeError:
        raise TypeError(
            f"{nom} : octets attendus (bytes, bytearray, memoryview), reçu {type(valeur).__name__}"
        ) from None
    return vue.tobytes()


def octets_facultatifs(valeur: Any, nom: str) -> bytes | None:
    return None if valeur is None else octets(valeur, nom)


def pem(valeur: Any, nom: str) -> bytes:
    """Un texte PEM : ``str`` (encodé en UTF-8) ou octets."""
    if isinstance(valeur, str):
        return valeur.encode("utf-8")
    return octets(valeur, nom)


def pem_texte(valeur: Any, nom: str) -> str | None:
    if valeur is None:
        return None
    return pem(valeur, nom).decode("utf-8")


def mot_de_passe(valeur: Any, nom: str = "mot_de_passe") -> str | None:
    """Un mot de passe : ``str``, ou octets UTF-8 ; ``None`` pour aucun."""
    if valeur is None or isinstance(valeur, str):
        return valeur
    try:
        return octets(valeur, nom).decode("utf-8")
    except UnicodeDecodeError:
        raise ErreurEntree(f"{nom} : octets non UTF-8", 101, "ARGUMENT_INVALIDE", nom) from None


def instant(valeur: Any, nom: str) -> str:
    """Un instant RFC 3339 depuis un ``datetime`` avec fuseau ou un texte."""
    if isinstance(valeur, _dt.datetime):
        if valeur.tzinfo is None:
            raise ErreurEntree(f"{nom} : une date avec fuseau horaire est attendue", 101, "ARGUMENT_INVALIDE", nom)
        return valeur.isoformat()
    if isinstance(valeur, str):
        return valeur
    raise TypeError(f"{nom} : datetime ou texte RFC 3339 attendu, reçu {type(valeur).__name__}")


def instant_facultatif(valeur: Any, nom: str) -> str | None:
    return None if valeur is None else instant(valeur, nom)


def date(valeur: Any, nom: str) -> str:
    """Une date ``AAAA-MM-JJ`` depuis un ``date`` ou un texte."""
    if isinstance(valeur, _dt.datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, _dt.date):
        return valeur.isoformat()
    if isinstance(valeur, str):
        return valeur
    raise TypeError(f"{nom} : date ou texte AAAA-MM-JJ attendu, reçu {type(valeur).__name__}")


def chemin(valeur: Any, nom: str) -> str:
    """Un chemin : ``str``, ``bytes`` ou ``os.PathLike``. Des octets non UTF-8 passent par
    ``os.fsdecode`` (surrogateescape), que le module Rust ré-encode à l'identique : tout
    nom de fichier Linux fonctionne."""
    try:
        return os.fsdecode(os.fspath(valeur))
    except TypeError:
        raise TypeError(f"{nom} : chemin attendu (str, bytes, os.PathLike), reçu {type(valeur).__name__}") from None


def chemin_facultatif(valeur: Any, nom: str) -> str | None:
    return None if valeur is None else chemin(valeur, nom)


def texte_json(valeur: Any) -> str:
    """Le texte JSON d'une valeur (un texte est supposé déjà JSON)."""
    if isinstance(valeur, str):
        return valeur
    return _json.dumps(valeur, ensure_ascii=False, default=str)


def depuis_json(texte: str | bytes) -> Any:
    return _json.loads(texte)
