//! Free texts of the domain: required and bounded.

use crate::{CodeErreur, Erreur, Result};

/// Longest free text accepted (motifs, questions, answers).
pub const TEXTE_MAX: usize = 10_000;

/// A non-empty text of at most `max` characters.
pub(crate) fn texte(v: &str, nom: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() {
        return Err(Erreur::new(
            CodeErreur::ChampObligatoire,
            format!("{nom} est obligatoire"),
        ));
    }
    if v.len() > max * 4 || v.chars().count() > max {
        return Err(Erreur::new(
            CodeErreur::ChampTropLong,
            format!("{nom} dépasse {max} caractères"),
        ));
    }
    Ok(())
}
