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
//! ## Features
//!
//! Complete by default. With `default-features = false`, a host keeps what it names:
//! `pdf` (PAdES, lopdf; without it PAdES calls give [`CodeErreur::NonPrisEnCharge`]), `docx`
//! (the `documents` module), `xlsx` (`donnees::exporter_xlsx`), `mail` (the MIME messages
//! of `messagerie::preparer_envoi`), `pkcs11` (tokens and smart cards).
//!
//! Task-oriented guides for every interface are in `docs/guides/` (this crate's:
//! `docs/guides/rust.md`, whose blocks run as doctests).
//!
//! ```

//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod confiance;
pub mod crypto;
#[cfg(feature = "docx")]
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

/// The Rust guide (`docs/guides/rust.md`): its blocks run as this crate's doctests, so the
/// guide cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../docs/guides/rust.md")]
pub struct GuideRust;
