//! What mpe itself established for an action, which the action's JSON cannot carry.

use crate::Erreur;
use crate::model::OctetsEnveloppe;

/// What mpe itself established for an action, which the action's JSON cannot carry.
pub(crate) enum Faits {
    /// The bytes of each envelope of a dépôt, in the order of the action's envelopes.
    Depot(Vec<(OctetsEnveloppe, Option<Erreur>)>),
    /// An opening done by the library (decrypted, extracted, signatures verified).
    Ouverture,
}
