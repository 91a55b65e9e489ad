"""Les exceptions de mpe : une classe par famille de codes d'erreur stables.

Chaque exception porte ``code`` (le numéro stable, par ex. 303), ``nom`` (par ex.
``"HORS_DELAI"``), ``message`` (en français) et ``chemin`` (le chemin JSON ou la partie en
faute, ou ``None``). Les mêmes codes sont les ``mpe_statut`` du C et les messages de la
ligne de commande. Les erreurs d'entrée/sortie sont aussi les exceptions de Python
(:class:`FileNotFoundError`, :class:`PermissionError`...), avec ``errno``.
"""

from __future__ import annotations

import errno as _errno


class ErreurMpe(Exception):
    """Classe de base de toute erreur levée par mpe."""

    def __init__(self, message: str, code: int = 100, nom: str = "INTERNE", chemin: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.nom = nom
        self.chemin = chemin

    def __str__(self) -> str:
        ou = f" ({self.chemin})" if self.chemin else ""
        return f"{self.message}{ou} [{self.nom}]"


class ErreurEntree(ErreurMpe, ValueError):
    """1xx : argument, JSON, limite dépassée, algorithme ou format non pris en charge."""


class ErreurES(ErreurMpe, OSError):
    """103 : la lecture ou l'écriture d'un fichier a échoué (``errno`` quand il est connu)."""

    def __init__(self, message: str, code: int = 103, nom: str = "ES", chemin: str | None = None,
                 numero: int | None = None):
        ErreurMpe.__init__(self, message, code, nom, chemin)
        self.errno = numero
        self.strerror = message


class FichierIntrouvable(ErreurES, FileNotFoundError):
    """Le fichier n'existe pas (``ENOENT``)."""


class PermissionRefusee(ErreurES, PermissionError):
    """Accès refusé (``EACCES``, ``EPERM``)."""


class FichierExistant(ErreurES, FileExistsError):
    """Le fichier existe déjà (``EEXIST``)."""


class EstUnDossier(ErreurES, IsADirectoryError):
    """Un fichier était attendu, c'est un dossier (``EISDIR``)."""


class PasUnDossier(ErreurES, NotADirectoryError):
    """Un dossier était attendu (``ENOTDIR``)."""


class ErreurInterne(ErreurMpe):
    """100 : un défaut de mpe."""


class ErreurValidation(ErreurMpe, ValueError):
    """2xx : règles de la consultation (référence, CPV, calendrier, SIRET...)."""


class ErreurProcedure(ErreurMpe):
    """3xx : cycle de vie, dépôts, ouverture, décisions, journal."""


class ErreurChiffrement(ErreurMpe):
    """4xx : enveloppes CMS, bi-clés."""


class ErreurSignature(ErreurMpe):
    """5xx : signatures (PAdES, CAdES, XAdES)."""


class ErreurDocument(ErreurMpe):
    """6xx : modèles DOCX et formulaires de la DAJ."""


class ErreurDecp(ErreurMpe):
    """7xx : contrats et données essentielles."""


class ErreurMessagerie(ErreurMpe):
    """8xx : courriers aux entreprises."""


class ErreurPublication(ErreurMpe):
    """9xx : avis eForms et DUME (termes métier manquants ou invalides, avis illisible)."""


#: La classe d'une erreur d'E/S selon son ``errno`` (les autres : :class:`ErreurES`).
CLASSES_ES: dict[int, type[ErreurES]] = {
    _errno.ENOENT: FichierIntrouvable,
    _errno.EACCES: PermissionRefusee,
    _errno.EPERM: PermissionRefusee,
    _errno.EEXIST: FichierExistant,
    _errno.EISDIR: EstUnDossier,
    _errno.ENOTDIR: PasUnDossier,
}

__all__ = [
    "ErreurMpe",
    "ErreurEntree",
    "ErreurES",
    "FichierIntrouvable",
    "PermissionRefusee",
    "FichierExistant",
    "EstUnDossier",
    "PasUnDossier",
    "ErreurInterne",
    "ErreurValidation",
    "ErreurProcedure",
    "ErreurChiffrement",
    "ErreurSignature",
    "ErreurDocument",
    "ErreurDecp",
    "ErreurMessagerie",
    "ErreurPublication",
    "CLASSES_ES",
]
