//! The phases of a consultation.

use serde::{Deserialize, Serialize};

use crate::{CodeErreur, Erreur};

/// The phases of a consultation, as buyers see them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Being written.
    Elaboration,
    /// Submitted to a validator.
    EnAttenteValidation,
    /// Validated, waiting for its mise en ligne (fixed date or notice publication).
    Validee,
    /// Online: companies download, ask and bid (from the mise en ligne to the DLRO).
    Consultation,
    /// From the DLRO: opening and analysis of the plis.
    OuvertureAnalyse,
    /// Decisions per lot.
    Decision,
    /// Finished and archived.
    Archivee,
    /// Cancelled.
    Annulee,
}

impl Phase {
    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            Phase::Elaboration => "Élaboration",
            Phase::EnAttenteValidation => "En attente de validation",
            Phase::Validee => "Validée (en attente de mise en ligne)",
            Phase::Consultation => "Consultation",
            Phase::OuvertureAnalyse => "Ouverture et analyse",
            Phase::Decision => "Décision",
            Phase::Archivee => "Archivée",
            Phase::Annulee => "Annulée",
        }
    }
}

/// The refusal of an action in the wrong phase.
pub(crate) fn phase_incorrecte(action: &str, phase: Phase, attendu: &str) -> Erreur {
    Erreur::new(
        CodeErreur::PhaseIncorrecte,
        format!(
            "{action} : impossible en phase « {} » (attendu : {attendu})",
            phase.libelle()
        ),
    )
}
