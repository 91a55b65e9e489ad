//! Référence of a consultation: 5 to 32 characters among letters, digits, `/` and `_`.

use crate::{CodeErreur, Erreur, Result};

/// Minimum length.
pub const MIN: usize = 5;
/// Maximum length.
pub const MAX: usize = 32;

/// Check a référence.
///
/// ```
/// use mpe::rules::reference::valider;
/// assert!(valider("AOO_2026/017").is_ok());
/// assert_eq!(valider("AO 26").unwrap_err().code(), mpe::CodeErreur::ReferenceInvalide);
/// ```
pub fn valider(reference: &str) -> Result<()> {
    let n = reference.chars().count();
    if !(MIN..=MAX).contains(&n) {
        return Err(Erreur::new(
            CodeErreur::ReferenceInvalide,
            format!("la référence doit compter de {MIN} à {MAX} caractères (elle en a {n})"),
        ));
    }
    if let Some(bad) = reference
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '/' || *c == '_'))
    {
        let what = if bad == ' ' {
            "l'espace".to_string()
        } else {
            format!("« {bad} »")
        };
        return Err(Erreur::new(
            CodeErreur::ReferenceInvalide,
            format!(
                "la référence ne peut contenir que des lettres, des chiffres, « / » et « _ » : {what} est interdit"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid() {
        for r in [
            "AOO_2026/017",
            "12345",
            "A_B/C",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
        ] {
            assert!(valider(r).is_ok(), "{r}");
        }
    }

    #[test]
    fn rejects_invalid() {
        for r in [
            "",
            "ABCD",
            "AOO 2026",
            "AOO-2026",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
            "Réf_2026",
            "AOO\t2026",
        ] {
            assert_eq!(
                valider(r).unwrap_err().code(),
                CodeErreur::ReferenceInvalide,
                "{r}"
            );
        }
    }
}
