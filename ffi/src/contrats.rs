//! C ABI of the contract drawn from an attribution decision
//! (`mpe::donnees::contrat_depuis_decision`). Values cross as JSON: the procedure state (as
//! stored by the host, `mpe::procedure::Procedure`), the organisation, the complement
//! (`mpe::donnees::ComplementContrat`) and the resulting `Contrat`.

use mpe::donnees::{ComplementContrat, Contrat};
use mpe::model::Organisation;
use mpe::procedure::Procedure;

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_status, write_out,
};

/// The contract of `lot` (0 for a consultation non allotie) from the attribution decision of
/// a procedure.
///
/// - `procedure`/`procedure_len`: the JSON of the procedure state (UTF-8);
/// - `organisation`/`organisation_len`: the JSON of the buyer's organisation (its entité's
///   SIRET and name become the acheteur);
/// - `complement`/`complement_len`: the JSON of `ComplementContrat` — what the decision does
///   not hold (`numero` required; `dateNotification`, `dureeMois`, `formePrix`, `typesPrix`,
///   `montant`, `ccag`, `lieuExecution`, `decisionDu`, ...);
/// - `contrat_out`: on success, the JSON of the `Contrat` (camelCase DECP names); the caller
///   frees it with `mpe_bytes_free`. Untouched on error.
///
/// Errors: `MPE_LOT_INCONNU`, `MPE_DECISION_ABSENTE`, `MPE_DECISION_NON_ATTRIBUTION`,
/// `MPE_DECISION_REINITIALISEE`, `MPE_PLI_INCONNU`, `MPE_CONTRAT_INCOHERENT`,
/// `MPE_INVALID_JSON`, `MPE_INVALID_ARGUMENT`. Buffers must stay valid during the call; mpe
/// does not keep them.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrat_depuis_decision(
    procedure: *const u8,
    procedure_len: usize,
    organisation: *const u8,
    organisation_len: usize,
    complement: *const u8,
    complement_len: usize,
    lot: u32,
    contrat_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(contrat_out, "contrat_out")?;
        let p: Procedure = json_in(
            bytes_in(procedure, procedure_len, "procedure")?,
            "procedure",
        )?;
        let org: Organisation = json_in(
            bytes_in(organisation, organisation_len, "organisation")?,
            "organisation",
        )?;
        let k: ComplementContrat = json_in(
            bytes_in(complement, complement_len, "complement")?,
            "complement",
        )?;
        let c: Contrat = mpe::donnees::contrat_depuis_decision(&p, &org, &k, lot)?;
        write_out(contrat_out, json_out(&c)?);
        Ok(())
    })
}
