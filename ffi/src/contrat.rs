//! C ABI of the contract drawn from an attribution decision
//! (`mpe::donnees::contrat_depuis_decision`). Values cross as JSON: the procedure state (as
//! stored by the host), the organisation, the complement (`mpe::donnees::ComplementContrat`)
//! and the resulting `Contrat`.

use mpe::donnees::ComplementContrat;
use mpe::model::Organisation;
use mpe::procedure::Procedure;

use crate::frontiere::{appeler, json, json_texte, mpe_octets, mpe_statut, octets_sortie};

/// The contract of `lot` (0 for a consultation non allotie) from the attribution decision of
/// a procedure.
///
/// - `procedure_json`: the procedure state;
/// - `organisation_json`: the buyer's organisation (its entité's SIRET and name become the
///   acheteur);
/// - `complement_json`: what the decision does not hold (`numero` required;
///   `dateNotification`, `dureeMois`, `formePrix`, `typesPrix`, `montant`, `ccag`,
///   `lieuExecution`, `decisionDu`, ...);
/// - `contrat_sortie`: the `Contrat` (camelCase DECP names).
///
/// Errors: `MPE_LOT_INCONNU`, `MPE_DECISION_ABSENTE`, `MPE_DECISION_NON_ATTRIBUTION`,
/// `MPE_DECISION_REINITIALISEE`, `MPE_PLI_INCONNU`, `MPE_CONTRAT_INCOHERENT`,
/// `MPE_JSON_INVALIDE`, `MPE_ARGUMENT_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrat_generer_depuis_decision(
    procedure_json: *const u8,
    procedure_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    complement_json: *const u8,
    complement_longueur: usize,
    lot: u32,
    contrat_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(contrat_sortie, "contrat_sortie"), || {
        let p: Procedure = json(procedure_json, procedure_longueur, "procedure")?;
        let org: Organisation = json(organisation_json, organisation_longueur, "organisation")?;
        let k: ComplementContrat = json(complement_json, complement_longueur, "complement")?;
        json_texte(&mpe::donnees::contrat_depuis_decision(&p, &org, &k, lot)?)
    })
}
