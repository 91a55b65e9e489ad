//! Who acts and when: the context every action is applied in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::IdentifiantEntreprise;
use crate::model::Organisation;

/// Who performs an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Acteur {
    /// An agent of the buyer, by id (looked up in the organisation of the context).
    Agent {
        /// Agent id.
        id: String,
    },
    /// A company, identified (retrait, question, dépôt).
    Entreprise {
        /// Its identifier (SIRET or foreign identifier).
        identifiant: IdentifiantEntreprise,
    },
    /// An anonymous visitor (anonymous DCE download).
    Anonyme,
    /// The platform itself (scheduled phase changes recorded by [`super::Action::Actualiser`]).
    Systeme,
}

/// The context of an action: the clock and the actor, given by the host (the core never
/// reads a clock), and the organisation whose agents and habilitations apply.
#[derive(Debug, Clone, Copy)]
pub struct Contexte<'a> {
    /// The time of the action.
    pub maintenant: DateTime<Utc>,
    /// Who acts.
    pub acteur: &'a Acteur,
    /// The buyer's organisation (agents, services, habilitations).
    pub organisation: &'a Organisation,
}

/// The owned, serializable form of [`Contexte`], as the C ABI and Python take it:
/// `{"maintenant": "2026-12-15T10:59:59Z", "acteur": {"type": "agent", "id": "a.martin"},
/// "organisation": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContexteDonnees {
    /// The time of the action.
    pub maintenant: DateTime<Utc>,
    /// Who acts.
    pub acteur: Acteur,
    /// The buyer's organisation.
    pub organisation: Organisation,
}

impl ContexteDonnees {
    /// Borrow as a [`Contexte`].
    pub fn contexte(&self) -> Contexte<'_> {
        Contexte {
            maintenant: self.maintenant,
            acteur: &self.acteur,
            organisation: &self.organisation,
        }
    }
}
