//! SIREN and SIRET checks (Luhn key), with the La Poste exception: its establishments share
//! the SIREN 356 000 000 and their SIRET is checked by the sum of its digits being a
//! multiple of 5.

use crate::{Error, ErrorCode, Result};

/// SIREN of La Poste, whose SIRETs follow another rule.
pub const SIREN_LA_POSTE: &str = "356000000";

fn digits(s: &str, n: usize) -> Option<Vec<u32>> {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    (d.len() == n && s.chars().all(|c| c.is_ascii_digit())).then_some(d)
}

/// Luhn check of a digit sequence.
pub fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Check a SIREN (9 digits, Luhn).
///
/// ```
/// assert!(mpe::rules::siret::check_siren("217500016").is_ok()); // Ville de Paris
/// ```
pub fn check_siren(siren: &str) -> Result<()> {
    let d = digits(siren, 9)
        .ok_or_else(|| Error::new(ErrorCode::SirenInvalide, "le SIREN doit compter 9 chiffres"))?;
    if !luhn(&d) {
        return Err(Error::new(
            ErrorCode::SirenInvalide,
            format!("clé du SIREN {siren} incorrecte"),
        ));
    }
    Ok(())
}

/// Check a SIRET (14 digits, Luhn, La Poste exception).
///
/// ```
/// use mpe::rules::siret::check_siret;
/// assert!(check_siret("21750001600019").is_ok());
/// assert!(check_siret("35600000000048").is_ok()); // La Poste
/// assert!(check_siret("21750001600018").is_err());
/// ```
pub fn check_siret(siret: &str) -> Result<()> {
    let d = digits(siret, 14).ok_or_else(|| {
        Error::new(
            ErrorCode::SiretInvalide,
            "le SIRET doit compter 14 chiffres",
        )
    })?;
    let ok = if siret.starts_with(SIREN_LA_POSTE) {
        // The head office (35600000000048) also passes Luhn; other establishments only the
        // sum rule.
        luhn(&d) || d.iter().sum::<u32>().is_multiple_of(5)
    } else {
        luhn(&d)
    };
    if !ok {
        return Err(Error::new(
            ErrorCode::SiretInvalide,
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
        assert!(check_siren("732829320").is_ok());
        assert!(check_siren(SIREN_LA_POSTE).is_ok());
        assert_eq!(
            check_siren("732829321").unwrap_err().code(),
            ErrorCode::SirenInvalide
        );
        assert_eq!(
            check_siren("73282932").unwrap_err().code(),
            ErrorCode::SirenInvalide
        );
        assert_eq!(
            check_siren("73282932a").unwrap_err().code(),
            ErrorCode::SirenInvalide
        );
    }

    #[test]
    fn siret() {
        assert!(check_siret("73282932000074").is_ok());
        assert_eq!(
            check_siret("73282932000075").unwrap_err().code(),
            ErrorCode::SiretInvalide
        );
        assert_eq!(
            check_siret("7328293200007").unwrap_err().code(),
            ErrorCode::SiretInvalide
        );
        assert_eq!(
            check_siret("732 829 320 00074").unwrap_err().code(),
            ErrorCode::SiretInvalide
        );
        assert_eq!(
            check_siret("７３２８２９３２０００７４")
                .unwrap_err()
                .code(),
            ErrorCode::SiretInvalide
        );
    }

    #[test]
    fn la_poste() {
        // A La Poste establishment: digit sum 30, a multiple of 5, while Luhn fails.
        let s = "35600000012346";
        let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        assert!(d.iter().sum::<u32>() % 5 == 0 && !luhn(&d));
        assert!(check_siret(s).is_ok());
        assert_eq!(
            check_siret("35600000012347").unwrap_err().code(),
            ErrorCode::SiretInvalide
        );
    }
}
