//! Thresholds of the formal procedures and of the dispense de publicité et de mise en
//! concurrence, as in force at a date, and which procedures an estimated amount allows.
//!
//! European thresholds change every two years (1 January of even years); the French
//! dispense thresholds by decree. Figures are € HT.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{CategoriePrincipale, Montant, TypeAcheteur, TypeContrat, TypeProcedure};

/// The thresholds in force at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seuils {
    /// First day these figures apply.
    pub depuis: NaiveDate,
    /// Supplies and services, central government (État).
    pub fournitures_services_etat: Montant,
    /// Supplies and services, local authorities and other contracting authorities.
    pub fournitures_services_collectivites: Montant,
    /// Supplies and services, entités adjudicatrices (and defence).
    pub fournitures_services_entites_adjudicatrices: Montant,
    /// Works, and concessions.
    pub travaux_concessions: Montant,
    /// Dispense below which supplies and services need neither notice nor competition.
    pub dispense_fournitures_services: Montant,
    /// Same for works.
    pub dispense_travaux: Montant,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

const fn e(v: i64) -> Montant {
    Montant::euros(v)
}

/// Every period, oldest first.
pub fn historique() -> Vec<Seuils> {
    vec![
        Seuils {
            depuis: d(2020, 1, 1),
            fournitures_services_etat: e(139_000),
            fournitures_services_collectivites: e(214_000),
            fournitures_services_entites_adjudicatrices: e(428_000),
            travaux_concessions: e(5_350_000),
            dispense_fournitures_services: e(40_000),
            dispense_travaux: e(40_000),
        },
        Seuils {
            depuis: d(2022, 1, 1),
            fournitures_services_etat: e(140_000),
            fournitures_services_collectivites: e(215_000),
            fournitures_services_entites_adjudicatrices: e(431_000),
            travaux_concessions: e(5_382_000),
            dispense_fournitures_services: e(40_000),
            dispense_travaux: e(40_000),
        },
        // Décret n° 2022-1683: works below 100 000 € HT without notice or competition.
        Seuils {
            depuis: d(2023, 1, 1),
            fournitures_services_etat: e(140_000),
            fournitures_services_collectivites: e(215_000),
            fournitures_services_entites_adjudicatrices: e(431_000),
            travaux_concessions: e(5_382_000),
            dispense_fournitures_services: e(40_000),
            dispense_travaux: e(100_000),
        },
        Seuils {
            depuis: d(2024, 1, 1),
            fournitures_services_etat: e(143_000),
            fournitures_services_collectivites: e(221_000),
            fournitures_services_entites_adjudicatrices: e(443_000),
            travaux_concessions: e(5_538_000),
            dispense_fournitures_services: e(40_000),
            dispense_travaux: e(100_000),
        },
        Seuils {
            depuis: d(2026, 1, 1),
            fournitures_services_etat: e(140_000),
            fournitures_services_collectivites: e(216_000),
            fournitures_services_entites_adjudicatrices: e(432_000),
            travaux_concessions: e(5_404_000),
            dispense_fournitures_services: e(40_000),
            dispense_travaux: e(100_000),
        },
        // From 1 April 2026 the dispense for supplies and services rises to 60 000 € HT.
        Seuils {
            depuis: d(2026, 4, 1),
            fournitures_services_etat: e(140_000),
            fournitures_services_collectivites: e(216_000),
            fournitures_services_entites_adjudicatrices: e(432_000),
            travaux_concessions: e(5_404_000),
            dispense_fournitures_services: e(60_000),
            dispense_travaux: e(100_000),
        },
    ]
}

/// The thresholds in force on `date` (the oldest period for earlier dates; the latest known
/// one for later dates).
///
/// ```
/// use chrono::NaiveDate;
/// let s = mpe::rules::seuils::en_vigueur(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
/// assert_eq!(s.fournitures_services_collectivites.centimes(), 21_600_000);
/// assert_eq!(s.dispense_fournitures_services.centimes(), 6_000_000);
/// ```
pub fn en_vigueur(date: NaiveDate) -> Seuils {
    let all = historique();
    let first = all.first().copied();
    all.into_iter()
        .rev()
        .find(|s| s.depuis <= date)
        .or(first)
        .unwrap_or(Seuils {
            depuis: date,
            fournitures_services_etat: e(0),
            fournitures_services_collectivites: e(0),
            fournitures_services_entites_adjudicatrices: e(0),
            travaux_concessions: e(0),
            dispense_fournitures_services: e(0),
            dispense_travaux: e(0),
        })
}

/// What an estimated amount allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyseSeuils {
    /// Threshold of the formal procedures that applies.
    pub seuil_procedure_formalisee: Montant,
    /// Threshold of the dispense that applies.
    pub seuil_dispense: Montant,
    /// Whether the amount is at or above the formal threshold.
    pub formalisee_obligatoire: bool,
    /// Procedures allowed in every case.
    pub procedures_autorisees: Vec<TypeProcedure>,
    /// Procedures allowed only in the cases the Code lists (urgence impérieuse, exclusivité,
    /// procédure infructueuse…): R. 2122-1 to R. 2122-11.
    pub procedures_sur_justification: Vec<TypeProcedure>,
}

/// The procedures an estimated amount allows, for a kind of buyer, catégorie and contract.
///
/// ```
/// use chrono::NaiveDate;
/// use mpe::model::{CategoriePrincipale, Montant, TypeAcheteur, TypeContrat, TypeProcedure};
/// let a = mpe::rules::seuils::analyser(
///     Montant::euros(300_000), CategoriePrincipale::Services, TypeAcheteur::CollectiviteTerritoriale,
///     TypeContrat::Marche, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
/// assert!(a.formalisee_obligatoire);
/// assert!(!a.procedures_autorisees.contains(&TypeProcedure::ProcedureAdapteeOuverte));
/// ```
pub fn analyser(
    montant: Montant,
    categorie: CategoriePrincipale,
    acheteur: TypeAcheteur,
    contrat: TypeContrat,
    date: NaiveDate,
) -> AnalyseSeuils {
    use TypeProcedure::*;
    let s = en_vigueur(date);
    let seuil = match (contrat, categorie, acheteur) {
        (TypeContrat::Concession, _, _) | (_, CategoriePrincipale::Travaux, _) => {
            s.travaux_concessions
        }
        (_, _, TypeAcheteur::Etat) => s.fournitures_services_etat,
        (_, _, TypeAcheteur::CollectiviteTerritoriale) => s.fournitures_services_collectivites,
        (_, _, TypeAcheteur::EntiteAdjudicatrice) => s.fournitures_services_entites_adjudicatrices,
    };
    let dispense = match categorie {
        CategoriePrincipale::Travaux => s.dispense_travaux,
        _ => s.dispense_fournitures_services,
    };
    let formelles = [
        AppelOffresOuvert,
        AppelOffresRestreint,
        ProcedureAvecNegociation,
        DialogueCompetitif,
        Concours,
    ];
    let (autorisees, justification): (Vec<_>, Vec<_>) = if contrat == TypeContrat::Concession {
        (vec![ProcedureConcession], vec![MarcheNegocieSansPublicite])
    } else if montant < dispense {
        let mut v = vec![
            MarcheNegocieSansPublicite,
            ProcedureAdapteeOuverte,
            ProcedureAdapteeRestreinte,
        ];
        v.extend(formelles);
        (v, vec![])
    } else if montant < seuil {
        let mut v = vec![ProcedureAdapteeOuverte, ProcedureAdapteeRestreinte];
        v.extend(formelles);
        (v, vec![MarcheNegocieSansPublicite])
    } else {
        (formelles.to_vec(), vec![MarcheNegocieSansPublicite])
    };
    AnalyseSeuils {
        seuil_procedure_formalisee: seuil,
        seuil_dispense: dispense,
        formalisee_obligatoire: contrat != TypeContrat::Concession && montant >= seuil,
        procedures_autorisees: autorisees,
        procedures_sur_justification: justification,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn periods() {
        assert_eq!(
            en_vigueur(day(2025, 12, 31)).fournitures_services_collectivites,
            e(221_000)
        );
        assert_eq!(
            en_vigueur(day(2026, 1, 1)).fournitures_services_collectivites,
            e(216_000)
        );
        assert_eq!(
            en_vigueur(day(2026, 3, 31)).dispense_fournitures_services,
            e(40_000)
        );
        assert_eq!(
            en_vigueur(day(2026, 4, 1)).dispense_fournitures_services,
            e(60_000)
        );
        assert_eq!(
            en_vigueur(day(2027, 12, 31)).travaux_concessions,
            e(5_404_000)
        );
        assert_eq!(en_vigueur(day(2019, 1, 1)).depuis, day(2020, 1, 1));
    }

    #[test]
    fn procedures_by_amount() {
        let at = day(2026, 6, 1);
        let f = |m, c, a| analyser(e(m), c, a, TypeContrat::Marche, at);
        let small = f(
            50_000,
            CategoriePrincipale::Fournitures,
            TypeAcheteur::CollectiviteTerritoriale,
        );
        assert!(
            small
                .procedures_autorisees
                .contains(&TypeProcedure::MarcheNegocieSansPublicite)
        );
        let mid = f(
            150_000,
            CategoriePrincipale::Fournitures,
            TypeAcheteur::CollectiviteTerritoriale,
        );
        assert!(
            mid.procedures_autorisees
                .contains(&TypeProcedure::ProcedureAdapteeOuverte)
        );
        assert!(!mid.formalisee_obligatoire);
        // The same amount is above the État threshold.
        let etat = f(
            150_000,
            CategoriePrincipale::Fournitures,
            TypeAcheteur::Etat,
        );
        assert!(etat.formalisee_obligatoire);
        let works = f(5_000_000, CategoriePrincipale::Travaux, TypeAcheteur::Etat);
        assert!(!works.formalisee_obligatoire);
        assert!(
            f(5_404_000, CategoriePrincipale::Travaux, TypeAcheteur::Etat).formalisee_obligatoire
        );
        assert!(
            f(99_999, CategoriePrincipale::Travaux, TypeAcheteur::Etat)
                .procedures_autorisees
                .contains(&TypeProcedure::MarcheNegocieSansPublicite)
        );
    }
}
