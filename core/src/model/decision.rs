//! Decisions on a lot: ranking, attribution, sans suite, infructueux, rejection letters.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Montant;

/// One line of the ranking of offers of a lot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rang {
    /// Pli n°.
    pub pli: u32,
    /// Rank, from 1 (ties allowed).
    pub rang: u32,
    /// Score, if scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<f64>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
    /// Amount HT of the offer, when the analysis records it (the DAJ forms show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub montant: Option<Montant>,
}

/// An attributaire: a pli and its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attributaire {
    /// Pli n°.
    pub pli: u32,
    /// Amount HT of the offer retained.
    pub montant: Montant,
}

/// A decision on a lot (or on the whole consultation when non allotie, lot 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    /// Attribution to one or several attributaires (accord-cadre multi-attributaires).
    Attribution {
        /// Attributaires.
        attributaires: Vec<Attributaire>,
    },
    /// Companies selected for the next phase (candidature phase of a restricted procedure).
    Selection {
        /// Plis selected.
        plis: Vec<u32>,
    },
    /// Déclarée sans suite.
    SansSuite {
        /// Reason.
        motif: String,
    },
    /// Infructueuse (no acceptable offer).
    Infructueuse {
        /// Reason.
        motif: String,
    },
    /// Another decision.
    Autre {
        /// What was decided.
        libelle: String,
    },
}

impl Decision {
    /// The French label.
    pub fn libelle(&self) -> &'static str {
        match self {
            Decision::Attribution { .. } => "Attribution",
            Decision::Selection { .. } => "Entreprises sélectionnées",
            Decision::SansSuite { .. } => "Déclarée sans suite",
            Decision::Infructueuse { .. } => "Infructueuse",
            Decision::Autre { .. } => "Autre décision",
        }
    }
}

/// Rejection letters sent for a lot, and the standstill they start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LettresRejet {
    /// When sent.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Sent electronically (11 days) or by post (16 days).
    pub electronique: bool,
    /// Earliest date the contract may be signed, or `None` when no standstill applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_possible_le: Option<NaiveDate>,
}

/// The decision taken on a lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DecisionLot {
    /// The decision.
    pub decision: Decision,
    /// When.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
    /// Rejection letters, once sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lettres_rejet: Option<LettresRejet>,
}
