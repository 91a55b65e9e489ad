//! Fixtures shared by the donnees integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use mpe::donnees::*;

pub fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, j).unwrap()
}

pub fn titulaire(id: &str, nom: &str) -> Titulaire {
    Titulaire {
        type_identifiant: TypeIdentifiant::Siret,
        id: id.into(),
        raison_sociale: Some(nom.into()),
        siege: Some("1 rue de la Paix, 75002 Paris".into()),
        code_ape: Some("42.11Z".into()),
        forme_juridique: Some("SAS".into()),
        pme: Some(true),
    }
}

/// A complete, valid marché.
pub fn marche(id: &str) -> Contrat {
    Contrat {
        id: id.into(),
        categorie: CategorieContrat::Marche,
        type_contrat: TypeContrat::Marche,
        acheteur: Acheteur {
            id: "21350238800019".into(),
            nom: Some("Ville de Rennes".into()),
        },
        objet: "Réfection de la voirie & des trottoirs <rue Émile Zola>".into(),
        nature: "Marché".into(),
        nature_prestations: Some(NaturePrestations::Travaux),
        procedure: "Appel d'offres ouvert".into(),
        code_cpv: Some("45233140-2".into()),
        techniques: vec!["Sans objet".into()],
        modalites_execution: vec!["Tranches".into()],
        ccag: Some("Travaux".into()),
        offres_recues: Some(4),
        marche_innovant: Some(false),
        attribution_avance: Some(true),
        taux_avance: Some(0.05),
        type_groupement_operateurs: Some("Pas de groupement".into()),
        origine_ue: Some(0.2),
        origine_france: Some(0.7),
        lieu_execution: Some(LieuExecution {
            code: "35000".into(),
            type_code: "Code postal".into(),
            nom: None,
        }),
        titulaires: vec![titulaire("55204599900869", "Routes de l'Ouest")],
        contact: Some(Contact {
            nom: "Jeanne Martin".into(),
            email: Some("j.martin@routes.example".into()),
            telephone: None,
        }),
        montant: Some(250_000.5),
        date_notification: Some(jour(2025, 3, 14)),
        date_publication_donnees: Some(jour(2025, 3, 20)),
        duree_mois: Some(12),
        forme_prix: Some("Forfaitaire".into()),
        types_prix: vec!["Définitif révisable".into()],
        considerations_sociales: vec!["Clause sociale".into()],
        considerations_environnementales: vec!["Pas de considération environnementale".into()],
        sous_traitance_declaree: Some(true),
        actes_sous_traitance: vec![ActeSousTraitance {
            id: 1,
            sous_traitant: titulaire("38103128500491", "Marquage SA"),
            duree_mois: 3,
            date_notification: jour(2025, 4, 2),
            date_publication_donnees: jour(2025, 4, 3),
            montant: 12_000.0,
            variation_prix: "Ferme".into(),
        }],
        modifications_actes_sous_traitance: vec![ModificationActeSousTraitance {
            id: 1,
            duree_mois: Some(4),
            date_notification: jour(2025, 5, 2),
            montant: Some(13_000.0),
            date_publication_donnees: jour(2025, 5, 3),
        }],
        modifications: vec![Modification {
            id: 1,
            objet: Some("Avenant n° 1".into()),
            date_notification: Some(jour(2025, 9, 1)),
            date_publication_donnees: Some(jour(2025, 9, 5)),
            duree_mois: Some(14),
            montant: Some(275_000.0),
            titulaires: vec![],
        }],
        agent_gestionnaire: Some("agent.marches@rennes.example".into()),
        statut: StatutContrat::Notifie,
        provenances: vec![Provenance::ProfilAcheteur],
        ..Default::default()
    }
}

/// A complete, valid contrat de concession.
pub fn concession(id: &str) -> Contrat {
    Contrat {
        id: id.into(),
        categorie: CategorieContrat::Concession,
        type_contrat: TypeContrat::Concession,
        acheteur: Acheteur {
            id: "21350238800019".into(),
            nom: Some("Ville de Rennes".into()),
        },
        objet: "Délégation du service public de l'eau".into(),
        nature: "Délégation de service public".into(),
        nature_prestations: Some(NaturePrestations::Services),
        procedure: "Procédure négociée ouverte".into(),
        titulaires: vec![titulaire("81223113200026", "Eaux de Bretagne")],
        montant: Some(12_000_000.0),
        montant_subvention_publique: Some(0.0),
        date_notification: Some(jour(2024, 6, 1)),
        date_debut_execution: Some(jour(2024, 7, 1)),
        date_publication_donnees: Some(jour(2024, 6, 10)),
        duree_mois: Some(120),
        considerations_sociales: vec!["Pas de considération sociale".into()],
        considerations_environnementales: vec!["Clause environnementale".into()],
        donnees_execution: vec![DonneesExecution {
            date_publication: jour(2025, 6, 1),
            depenses_investissement: 150_000.0,
            tarifs: vec![Tarif {
                intitule: "Prix du m³".into(),
                tarif: 3.12,
            }],
        }],
        modifications: vec![Modification {
            id: 1,
            date_notification: Some(jour(2025, 1, 10)),
            date_publication_donnees: Some(jour(2025, 1, 15)),
            montant: Some(12_500_000.0),
            ..Default::default()
        }],
        statut: StatutContrat::Notifie,
        provenances: vec![Provenance::ProfilAcheteur],
        ..Default::default()
    }
}

/// An accord-cadre and one of its marchés subséquents.
pub fn accord_cadre_et_subsequent() -> (Contrat, Contrat) {
    let mut ac = marche("AC-2025-01");
    ac.type_contrat = TypeContrat::AccordCadreMultiAttributaire;
    ac.techniques = vec!["Accord-cadre".into()];
    ac.modalites_execution = vec!["Marchés subséquents".into()];
    ac.titulaires
        .push(titulaire("73282932000074", "Travaux Publics Réunis"));
    ac.type_groupement_operateurs = Some("Pas de groupement".into());
    let mut ms = marche("MS-2025-01");
    ms.type_contrat = TypeContrat::MarcheSubsequent;
    ms.id_accord_cadre = Some("AC-2025-01".into());
    (ac, ms)
}
