//! Limits of PDF verification: checked before the work they bound, each refusal a typed
//! `LIMITE_DEPASSEE` naming the limit. A host may tighten them (never needed to loosen them
//! for real signed files: the defaults are far above what signing tools write).

use serde::{Deserialize, Serialize};

/// Bounds on what verifying one PDF may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LimitesPdf {
    /// Size of the file, bytes.
    pub taille_max: usize,
    /// Entries in the cross-reference sections, all revisions together.
    pub objets_max: usize,
    /// Cross-reference sections (revisions) followed.
    pub revisions_max: usize,
    /// Signatures (and document timestamps) checked.
    pub signatures_max: usize,
    /// Nesting of arrays and dictionaries.
    pub profondeur_max: usize,
    /// Decoded size of one stream (object streams, xref streams, compared contents), bytes.
    pub flux_max: usize,
    /// Objects read in all, for finding signatures and comparing revisions.
    pub lectures_max: usize,
    /// Form fields visited.
    pub champs_max: usize,
}

impl Default for LimitesPdf {
    fn default() -> Self {
        LimitesPdf {
            taille_max: 2 * 1024 * 1024 * 1024,
            objets_max: 5_000_000,
            revisions_max: 1_000,
            signatures_max: 500,
            profondeur_max: 64,
            flux_max: 256 * 1024 * 1024,
            lectures_max: 2_000_000,
            champs_max: 100_000,
        }
    }
}

// What the PDF engine checks with (feature `pdf`).
#[cfg(feature = "pdf")]
impl LimitesPdf {
    /// The error for limit `nom` (its value `valeur`).
    pub(crate) fn depasse(nom: &str, valeur: usize) -> crate::Erreur {
        crate::Erreur::new(
            crate::CodeErreur::LimiteDepassee,
            format!("limite PDF « {nom} » ({valeur}) dépassée"),
        )
    }

    pub(crate) fn verifier(nom: &str, valeur: usize, quantite: usize) -> crate::Result<()> {
        if quantite > valeur {
            Err(Self::depasse(nom, valeur))
        } else {
            Ok(())
        }
    }
}
