//! The subtype a caller asks for, checked against the notice kind and the buyer: every
//! surface (CLI `--type`, C, Python, PHP, Java) names the subtype it expects, and mpe writes
//! the one the buyer's directive gives, so a mismatch is refused rather than silently
//! rewritten.

use super::correspondance::{avis_de_marche, directive_25};
use crate::model::Organisation;
use crate::{CodeErreur, Erreur, Result};

/// Check that `sous_type` is the subtype mpe writes for `organisation`: `16` (pouvoir
/// adjudicateur) or `17` (entité adjudicatrice) for a contract notice, `29` or `30` for a
/// result notice (`attribution`).
///
/// Errors: [`CodeErreur::AvisNonPrisEnCharge`], at `sous_type` for a subtype mpe does not
/// write or of the other kind, at `$.organisation.entite.type_acheteur` for the subtype of
/// the other directive.
///
/// ```
/// let o: mpe::model::Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
/// assert!(mpe::publication::verifier_sous_type("16", &o, false).is_ok());
/// let e = mpe::publication::verifier_sous_type("18", &o, false).unwrap_err();
/// assert_eq!(e.code(), mpe::CodeErreur::AvisNonPrisEnCharge);
/// ```
pub fn verifier_sous_type(
    sous_type: &str,
    organisation: &Organisation,
    attribution: bool,
) -> Result<()> {
    let connu = matches!(sous_type, "16" | "17" | "29" | "30");
    if !connu || avis_de_marche(sous_type) == attribution {
        let attendus = if attribution { "29 ou 30" } else { "16 ou 17" };
        return Err(Erreur::new(
            CodeErreur::AvisNonPrisEnCharge,
            format!("sous-type « {sous_type} » : mpe écrit ici l'avis {attendus}"),
        )
        .at("sous_type"));
    }
    let ea = directive_25(organisation);
    if matches!(sous_type, "17" | "30") != ea {
        let attendu = match (attribution, ea) {
            (false, true) => "17",
            (false, false) => "16",
            (true, true) => "30",
            (true, false) => "29",
        };
        return Err(Erreur::new(
            CodeErreur::AvisNonPrisEnCharge,
            format!(
                "sous-type {sous_type} : l'organisation est {} ; son avis est de sous-type {attendu}",
                if ea {
                    "une entité adjudicatrice"
                } else {
                    "un pouvoir adjudicateur"
                }
            ),
        )
        .at("$.organisation.entite.type_acheteur"));
    }
    Ok(())
}
