# Généré par python/outils/stubs.py : ne pas modifier.
"""mpe — marchés publics électroniques.

L'API Python publique de la bibliothèque mpe. Un module par objet, une fonction par action,
avec les mots de ``docs/glossaire.md`` (``mpe.cms.chiffrer``, ``mpe.journal.verifier``...),
les mêmes que l'ABI C sans le préfixe ``mpe_``. Les valeurs sont des ``dict`` (le même JSON
que l'API C), les données binaires des ``bytes``, les gros fichiers des chemins. Les erreurs
sont les classes de :mod:`mpe.exceptions`, chacune avec un ``.code`` stable.
"""
from __future__ import annotations
from . import _mpe, avis, bicle, cms, code_acces, code_erreur, confiance, consultation, contrat, courrier, cpv, decp, document, dume, entrepot, enveloppe, espace, exceptions, formulaire, horodatage, jeton, journal, ouverture, procedure, reference, signature, siret
__version__: str = _mpe.__version__
__all__ = ['__version__', 'avis', 'bicle', 'cms', 'code_acces', 'code_erreur', 'confiance', 'consultation', 'contrat', 'courrier', 'cpv', 'decp', 'document', 'dume', 'entrepot', 'enveloppe', 'espace', 'exceptions', 'formulaire', 'horodatage', 'jeton', 'journal', 'ouverture', 'procedure', 'reference', 'signature', 'siret']
