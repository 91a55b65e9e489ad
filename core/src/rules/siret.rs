//! SIREN and SIRET checks (Luhn key), with the La Poste exception: its establishments share
//! the SIREN 356 000 000 and their SIRET is checked by the sum of its digits being a
//! multiple of 5.

use crate::{CodeErreur, Erreur, Result};

/// SIREN of La Poste, whose SIRETs follow another rule.
pub const SIREN_LA_POSTE: &str = "356000000";

/// Luhn check of a digit sequence.
pub fn luhn(d: &[u32]) -> bool {
    luhn_somme(d.iter().copied()).is_multiple_of(10)
}

fn luhn_somme(d: impl DoubleEndedIterator<Item = u32>) -> u32 {
    d.rev()
        .enumerate()
        .map(|(i, x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum()
}

fn chiffres(s: &str, n: usize) -> Option<impl DoubleEndedIterator<Item = u32> + Clone + '_> {
    let b = s.as_bytes();
    (b.len() == n && b.iter().all(u8::is_ascii_digit))
        .then(|| b.iter().map(|c| u32::from(c - b'0')))
}

/// Whether a SIREN is valid (no allocation: used on the DECP import hot path).
pub fn siren_valide(siren: &str) -> bool {
    chiffres(siren, 9).is_some_and(|d| luhn_somme(d).is_multiple_of(10))
}

/// Whether a SIRET is valid, La Poste exception included (no allocation).
pub fn siret_valide(siret: &str) -> bool {
    let Some(d) = chiffres(siret, 14) else {
        return false;
    };
    // La Poste's establishments share SIREN 356 000 000; their SIRET is checked by the sum
    // of its digits (the head office also passes Luhn).
    luhn_somme(d.clone()).is_multiple_of(10)
        || (siret.starts_with(SIREN_LA_POSTE) && d.sum::<u32>().is_multiple_of(5))
}

/// Check a SIREN (9 digits, Luhn).
///
/// ```
/// assert!(mpe::rules::siret::valider_siren("217500016").is_ok()); // Ville de Paris
/// ```
pub fn valider_siren(siren: &str) -> Result<()> {
    if chiffres(siren, 9).is_none() {
        return Err(Erreur::new(
            CodeErreur::SirenInvalide,
            "le SIREN doit compter 9 chiffres",
        ));
    }
    if !siren_valide(siren) {
        return Err(Erreur::new(
            CodeErreur::SirenInvalide,
            format!("clé du SIREN {siren} incorrecte"),
        ));
    }
    Ok(())
}

/// Check a SIRET (14 digits, Luhn, La Poste exception).
///
/// ```
/// use mpe::rules::siret::valider;
/// assert!(valider("21750001600019").is_ok());
/// assert!(valider("35600000000048").is_ok()); // La Poste
/// assert!(valider("21750001600018").is_err());
/// ```
pub fn valider(siret: &str) -> Result<()> {
    if chiffres(siret, 14).is_none() {
        return Err(Erreur::new(
            CodeErreur::SiretInvalide,
            "le SIRET doit compter 14 chiffres",
        ));
    }
    if !siret_valide(siret) {
        return Err(Erreur::new(
            CodeErreur::SiretInvalide,
            format!("clé du SIRET {siret} incorrecte"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren() {
        assert!(valider_siren("732829320").is_ok());
        assert!(valider_siren(SIREN_LA_POSTE).is_ok());
        assert_eq!(
            valider_siren("732829321").unwrap_err().code(),
            CodeErreur::SirenInvalide
        );
        assert_eq!(
            valider_siren("73282932").unwrap_err().code(),
            CodeErreur::SirenInvalide
        );
        assert_eq!(
            valider_siren("73282932a").unwrap_err().code(),
            CodeErreur::SirenInvalide
        );
    }

    #[test]
    fn siret() {
        assert!(valider("73282932000074").is_ok());
        assert_eq!(
            valider("73282932000075").unwrap_err().code(),
            CodeErreur::SiretInvalide
        );
        assert_eq!(
            valider("7328293200007").unwrap_err().code(),
            CodeErreur::SiretInvalide
        );
        assert_eq!(
            valider("732 829 320 00074").unwrap_err().code(),
            CodeErreur::SiretInvalide
        );
        assert_eq!(
            valider("７３２８２９３２０００７４").unwrap_err().code(),
            CodeErreur::SiretInvalide
        );
    }

    #[test]
    fn la_poste() {
        // A La Poste establishment: digit sum 30, a multiple of 5, while Luhn fails.
        let s = "35600000012346";
        let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        assert!(d.iter().sum::<u32>() % 5 == 0 && !luhn(&d));
        assert!(valider(s).is_ok());
        assert_eq!(
            valider("35600000012347").unwrap_err().code(),
            CodeErreur::SiretInvalide
        );
    }
}
