//! # mpe — marchés publics électroniques
//!
//! The embeddable core of a French public-procurement platform ("profil d'acheteur"):
//! consultations and their lots, the rules a buyer must follow, bids ("plis") with encrypted
//! envelopes, opening, decisions, signatures, DAJ documents, contracts and their essential
//! data (DECP), and the letters sent to companies.
//!
//! The core is pure: no network, no global state, no clock. Whatever depends on time or on
//! who acts takes them as parameters, so a host can replay, test and audit every step. Domain
//! objects are plain serde types; the host stores them.
//!
//! ```

//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod confiance;
pub mod crypto;
pub mod documents;
pub mod donnees;
mod error;
pub mod fichier_atomique;
pub mod format;
pub mod messagerie;
pub mod model;
pub mod procedure;
pub mod publication;
pub mod rules;
pub mod signature;

pub use error::{CodeErreur, Erreur, FamilleErreur, Result};

/// The version of the library (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
