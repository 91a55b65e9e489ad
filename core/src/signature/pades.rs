//! PAdES-B-B / B-T: signing by incremental update (the original bytes stay identical) and
//! verification with the analysis of later revisions.
//!
//! lopdf parses; the update itself is written here because its exact bytes matter (the
//! `/ByteRange` and the `/Contents` placeholder), for files with classic xref tables and
//! with xref streams alike.

use serde::{Deserialize, Serialize};

// The options, limits and report types are always compiled: the signing options and the
// verification report name them. The engine (lopdf and what parses and writes PDF) is
// the `pdf` feature; without it, `absent` answers every PDF call with `NON_PRIS_EN_CHARGE`.
mod limites;
mod modifications;

#[cfg(feature = "pdf")]
mod lecteur;
#[cfg(feature = "pdf")]
mod ltv;
#[cfg(feature = "pdf")]
mod moteur;
#[cfg(feature = "pdf")]
mod pkcs1;
#[cfg(feature = "pdf")]
mod revisions;
#[cfg(feature = "pdf")]
mod syntaxe;
#[cfg(feature = "pdf")]
mod verification;

#[cfg(not(feature = "pdf"))]
#[path = "pades/absent.rs"]
mod moteur;

pub use limites::LimitesPdf;
#[cfg(feature = "pdf")]
pub(crate) use ltv::{ajouter_dss, preparer_horodatage, tous_les_cms};
pub use modifications::{CategorieModification, ChangementPdf, RevisionPdf};
pub use moteur::revisions_pdf;
pub(crate) use moteur::{add_timestamp, assembler, last_cms, preparer, verifier};
#[cfg(not(feature = "pdf"))]
pub(crate) use moteur::{ajouter_dss, preparer_horodatage, tous_les_cms};

/// A visible signature: a rectangle on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Apparence {
    /// Page number, from 1.
    pub page: u32,
    /// Rectangle `[x1, y1, x2, y2]` in PDF points from the bottom-left corner.
    pub rect: [f64; 4],
    /// Extra line of text (e.g. the role of the signer).
    #[serde(default)]
    pub texte: Option<String>,
}

/// PAdES options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OptionsPades {
    /// Visible signature; invisible when `None` (the default).
    #[serde(default)]
    pub apparence: Option<Apparence>,
    /// `/Reason`.
    #[serde(default)]
    pub raison: Option<String>,
    /// `/Location`.
    #[serde(default)]
    pub lieu: Option<String>,
    /// Bytes reserved for the CMS in `/Contents` (default: chain + signature + room for a
    /// timestamp token).
    #[serde(default)]
    pub reserve: Option<usize>,
}

/// The prepared PDF with its zeroed `/Contents`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub(crate) struct EtatPades {
    #[schemars(with = "String")]
    #[serde(with = "super::base64_serde")]
    pdf: Vec<u8>,
    /// Offset of the first hex digit inside `<...>`.
    contents_start: usize,
    /// Number of hex digits.
    contents_len: usize,
}

#[cfg(all(test, feature = "pdf"))]
mod tests;
