"""Valid contract dicts shared by the donnees tests (the JSON of mpe::donnees::Contrat)."""

from __future__ import annotations

import copy
from pathlib import Path

VECTEURS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "donnees"


def titulaire(siret: str, nom: str) -> dict:
    return {"typeIdentifiant": "SIRET", "id": siret, "raisonSociale": nom, "pme": True}


_MARCHE = {
    "categorie": "marche",
    "typeContrat": "marche",
    "acheteur": {"id": "21350238800019", "nom": "Ville de Rennes"},
    "objet": "Réfection de la voirie & des trottoirs <rue Émile Zola>",
    "nature": "Marché",
    "naturePrestations": "travaux",
    "procedure": "Appel d'offres ouvert",
    "codeCpv": "45233140-2",
    "techniques": ["Sans objet"],
    "modalitesExecution": ["Tranches"],
    "ccag": "Travaux",
    "offresRecues": 4,
    "marcheInnovant": False,
    "attributionAvance": True,
    "tauxAvance": 0.05,
    "typeGroupementOperateurs": "Pas de groupement",
    "origineUe": 0.2,
    "origineFrance": 0.7,
    "lieuExecution": {"code": "35000", "typeCode": "Code postal"},
    "titulaires": [titulaire("55204599900869", "Routes de l'Ouest")],
    "montant": 250000.5,
    "dateNotification": "2025-03-14",
    "datePublicationDonnees": "2025-03-20",
    "dureeMois": 12,
    "formePrix": "Forfaitaire",
    "typesPrix": ["Définitif révisable"],
    "considerationsSociales": ["Clause sociale"],
    "considerationsEnvironnementales": ["Pas de considération environnementale"],
    "sousTraitanceDeclaree": True,
    "actesSousTraitance": [
        {
            "id": 1,
            "sousTraitant": titulaire("38103128500491", "Marquage SA"),
            "dureeMois": 3,
            "dateNotification": "2025-04-02",
            "datePublicationDonnees": "2025-04-03",
            "montant": 12000.0,
            "variationPrix": "Ferme",
        }
    ],
    "modificationsActesSousTraitance": [
        {"id": 1, "dureeMois": 4, "dateNotification": "2025-05-02", "montant": 13000.0, "datePublicationDonnees": "2025-05-03"}
    ],
    "modifications": [
        {
            "id": 1,
            "objet": "Avenant n° 1",
            "dateNotification": "2025-09-01",
            "datePublicationDonnees": "2025-09-05",
            "dureeMois": 14,
            "montant": 275000.0,
        }
    ],
    "agentGestionnaire": "agent.marches@rennes.example",
    "statut": "notifie",
    "provenances": ["profilAcheteur"],
}

_CONCESSION = {
    "categorie": "concession",
    "typeContrat": "concession",
    "acheteur": {"id": "21350238800019", "nom": "Ville de Rennes"},
    "objet": "Délégation du service public de l'eau",
    "nature": "Délégation de service public",
    "naturePrestations": "services",
    "procedure": "Procédure négociée ouverte",
    "titulaires": [titulaire("81223113200026", "Eaux de Bretagne")],
    "montant": 12000000.0,
    "montantSubventionPublique": 0.0,
    "dateNotification": "2024-06-01",
    "dateDebutExecution": "2024-07-01",
    "datePublicationDonnees": "2024-06-10",
    "dureeMois": 120,
    "considerationsSociales": ["Pas de considération sociale"],
    "considerationsEnvironnementales": ["Clause environnementale"],
    "donneesExecution": [
        {"datePublication": "2025-06-01", "depensesInvestissement": 150000.0, "tarifs": [{"intitule": "Prix du m³", "tarif": 3.12}]}
    ],
    "modifications": [{"id": 1, "dateNotification": "2025-01-10", "datePublicationDonnees": "2025-01-15", "montant": 12500000.0}],
    "statut": "notifie",
    "provenances": ["profilAcheteur"],
}


def marche(id_: str) -> dict:
    m = copy.deepcopy(_MARCHE)
    m["id"] = id_
    return m


def concession(id_: str) -> dict:
    c = copy.deepcopy(_CONCESSION)
    c["id"] = id_
    return c


def accord_cadre_et_subsequent() -> tuple[dict, dict]:
    ac = marche("AC-2025-01")
    ac["typeContrat"] = "accordCadreMultiAttributaire"
    ac["techniques"] = ["Accord-cadre"]
    ac["modalitesExecution"] = ["Marchés subséquents"]
    ac["titulaires"].append(titulaire("73282932000074", "Travaux Publics Réunis"))
    ms = marche("MS-2025-01")
    ms["typeContrat"] = "marcheSubsequent"
    ms["idAccordCadre"] = "AC-2025-01"
    return ac, ms


def tous() -> list[dict]:
    ac, ms = accord_cadre_et_subsequent()
    return [marche("2025-001"), concession("DSP-EAU-2024"), ac, ms]
