//! Legal minimum time between sending the notice and the deadline (Code de la commande
//! publique, procédures formalisées). The figures are minimums: buyers must also leave a
//! time adapted to the complexity of the purchase (R. 2143-1), which no rule can compute.

use serde::Serialize;

use crate::model::{Consultation, Etape, ReponseElectronique, TypeAcheteur, TypeProcedure};

/// A legal minimum delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelaiMinimal {
    /// Number of days.
    pub jours: i64,
    /// Article of the Code de la commande publique.
    pub article: &'static str,
    /// What the delay counts.
    pub objet: &'static str,
}

/// The minimum delay for the consultation, if its procedure has one.
///
/// ```
/// let json = include_str!("../../../examples/data/consultation.json");
/// let c: mpe::model::Consultation = serde_json::from_str(json).unwrap();
/// let d = mpe::rules::delais::minimum(&c, mpe::model::TypeAcheteur::CollectiviteTerritoriale).unwrap();
/// assert_eq!(d.jours, 30); // appel d'offres ouvert, electronic answers
/// ```
pub fn minimum(c: &Consultation, acheteur: TypeAcheteur) -> Option<DelaiMinimal> {
    let electronique = c.modalites.reponse_electronique != ReponseElectronique::Refusee;
    let urgence = c.calendrier.urgence;
    let preinfo = c.calendrier.avis_preinformation;
    let ea = acheteur == TypeAcheteur::EntiteAdjudicatrice;
    let d = |jours, article, objet| {
        Some(DelaiMinimal {
            jours,
            article,
            objet,
        })
    };
    match (c.identification.procedure, c.identification.etape) {
        (TypeProcedure::AppelOffresOuvert, _) => {
            if urgence || preinfo {
                d(
                    15,
                    "R. 2161-3",
                    "réception des offres (urgence ou avis de préinformation)",
                )
            } else if electronique {
                // Electronic transmission is the rule since 2018: the reduced delay applies
                // whenever electronic answers are accepted.
                d(
                    30,
                    "R. 2161-2",
                    "réception des offres, transmission électronique",
                )
            } else {
                d(35, "R. 2161-2", "réception des offres")
            }
        }
        (
            TypeProcedure::AppelOffresRestreint | TypeProcedure::ProcedureAvecNegociation,
            Etape::Offres,
        ) => {
            if ea {
                d(
                    10,
                    "R. 2161-10",
                    "réception des offres (entité adjudicatrice, à défaut d'accord)",
                )
            } else if urgence {
                d(10, "R. 2161-8", "réception des offres (urgence)")
            } else if preinfo {
                d(
                    10,
                    "R. 2161-8",
                    "réception des offres (avis de préinformation)",
                )
            } else if electronique {
                d(
                    25,
                    "R. 2161-7",
                    "réception des offres, transmission électronique",
                )
            } else {
                d(30, "R. 2161-7", "réception des offres")
            }
        }
        (TypeProcedure::AppelOffresRestreint | TypeProcedure::ProcedureAvecNegociation, _) => {
            if ea {
                d(
                    15,
                    "R. 2161-9",
                    "réception des candidatures (entité adjudicatrice)",
                )
            } else if urgence {
                d(15, "R. 2161-6", "réception des candidatures (urgence)")
            } else {
                d(30, "R. 2161-6", "réception des candidatures")
            }
        }
        (TypeProcedure::DialogueCompetitif, Etape::Offres) => None,
        (TypeProcedure::DialogueCompetitif, _) => d(30, "R. 2161-24", "réception des candidatures"),
        _ => None,
    }
}
