# Généré par python/outils/stubs.py : ne pas modifier.
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
Chemin = Union[str, bytes, 'os.PathLike[str]', 'os.PathLike[bytes]']
Instant = Union[_dt.datetime, str]
Date = Union[_dt.date, str]
MotDePasse = Union[str, bytes, bytearray, memoryview]

def octets(valeur: Any, nom: str) -> bytes:
    """Des octets depuis un objet bytes-like ; :class:`TypeError` sinon."""
    ...

def octets_facultatifs(valeur: Any, nom: str) -> bytes | None:
    ...

def pem(valeur: Any, nom: str) -> bytes:
    """Un texte PEM : ``str`` (encodé en UTF-8) ou octets."""
    ...

def pem_texte(valeur: Any, nom: str) -> str | None:
    ...

def mot_de_passe(valeur: Any, nom: str='mot_de_passe') -> str | None:
    """Un mot de passe : ``str``, ou octets UTF-8 ; ``None`` pour aucun."""
    ...

def instant(valeur: Any, nom: str) -> str:
    """Un instant RFC 3339 depuis un ``datetime`` avec fuseau ou un texte."""
    ...

def instant_facultatif(valeur: Any, nom: str) -> str | None:
    ...

def date(valeur: Any, nom: str) -> str:
    """Une date ``AAAA-MM-JJ`` depuis un ``date`` ou un texte."""
    ...

def chemin(valeur: Any, nom: str) -> str:
    """Un chemin : ``str``, ``bytes`` ou ``os.PathLike``. Des octets non UTF-8 passent par
    ``os.fsdecode`` (surrogateescape), que le module Rust ré-encode à l'identique : tout
    nom de fichier Linux fonctionne."""
    ...

def chemin_facultatif(valeur: Any, nom: str) -> str | None:
    ...

def texte_json(valeur: Any) -> str:
    """Le texte JSON d'une valeur (un texte est supposé déjà JSON)."""
    ...

def depuis_json(texte: str | bytes) -> Any:
    ...

def flux(valeur: Any, nom: str) -> tuple[str, Any]:
    """Les octets d'une enveloppe tels que l'hôte les donne : ``("octets", bytes)`` pour un
    objet bytes-like, ``("chemin", str)`` pour un chemin, ``("fichier", objet)`` pour un
    objet fichier ouvert en binaire (une méthode ``read(n)`` qui rend des octets)."""
    ...
