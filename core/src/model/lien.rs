//! Links between the consultations of a chain (procédure amont, suites).

use serde::{Deserialize, Serialize};

/// A link to another consultation of the same chain (suites).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Lien {
    /// Consultation id.
    pub id: String,
    /// Its référence.
    pub reference: String,
}
