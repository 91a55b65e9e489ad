//! The receipt (accusé de réception) of an electronic pli.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Empreinte, IdentifiantEntreprise, RefEnveloppe};

/// A file as listed on the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FichierRecu {
    /// Envelope it was in.
    pub enveloppe: RefEnveloppe,
    /// File name.
    pub nom: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// The document attendu it answers, as declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// An envelope as received: what mpe computed from its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EnveloppeRecue {
    /// Which envelope.
    pub enveloppe: RefEnveloppe,
    /// Size of the bytes received.
    pub taille: u64,
    /// SHA-256 of the bytes received.
    pub sha256: Empreinte,
    /// Content encryption (`"AES-256-GCM"` ...), `None` for an envelope in clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chiffrement: Option<String>,
}

/// The receipt of an electronic pli: what was received, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccuseReception {
    /// Consultation id.
    pub consultation: String,
    /// Its référence.
    pub reference: String,
    /// Pli n°.
    pub pli: u32,
    /// The company.
    pub entreprise: IdentifiantEntreprise,
    /// Its raison sociale.
    pub raison_sociale: String,
    /// Lots answered.
    pub lots: Vec<u32>,
    /// Time of receipt (horodatage).
    pub horodatage: DateTime<Utc>,
    /// Each envelope as mpe read it (size and SHA-256 of its bytes, encryption), when the
    /// dépôt came with the bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enveloppes: Vec<EnveloppeRecue>,
    /// Every file declared inside (checked at the opening).
    pub fichiers: Vec<FichierRecu>,
}
