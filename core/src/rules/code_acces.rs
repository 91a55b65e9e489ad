//! Access codes of restricted consultations: 8 characters drawn by a CSPRNG from an alphabet
//! without look-alikes (no 0/O, 1/I/L), so that a code read over the phone or copied from
//! paper is not mistyped.

use rand::{CryptoRng, RngExt};

use crate::{CodeErreur, Erreur, Result};

/// The alphabet: capital letters and digits without 0, O, 1, I, L.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Length of a generated code.
pub const LONGUEUR: usize = 8;

/// A new access code from the operating system's CSPRNG.
///
/// ```
/// let code = mpe::rules::code_acces::generer();
/// assert_eq!(code.len(), 8);
/// assert!(mpe::rules::code_acces::valider(&code).is_ok());
/// ```
pub fn generer() -> String {
    // ThreadRng is a ChaCha CSPRNG seeded and periodically reseeded from the OS.
    generer_avec(&mut rand::rng())
}

/// A new access code from the given cryptographic RNG (tests inject a seeded one).
pub fn generer_avec<R: CryptoRng + ?Sized>(rng: &mut R) -> String {
    (0..LONGUEUR)
        .map(|_| {
            let i = rng.random_range(0..ALPHABET.len());
            ALPHABET.get(i).copied().map_or('A', char::from)
        })
        .collect()
}

/// Check an access code chosen by a buyer: 6 to 32 characters, letters and digits only.
/// (Generated codes are stricter; buyers may keep their own.)
pub fn valider(code: &str) -> Result<()> {
    let n = code.chars().count();
    if !(6..=32).contains(&n) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Erreur::new(
            CodeErreur::CodeAccesInvalide,
            "le code d'accès doit compter de 6 à 32 lettres ou chiffres",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_use_the_alphabet() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let c = generer();
            assert_eq!(c.len(), LONGUEUR);
            assert!(c.bytes().all(|b| ALPHABET.contains(&b)), "{c}");
            assert!(!c.contains(['0', 'O', '1', 'I', 'L']));
            seen.insert(c);
        }
        assert!(seen.len() > 195, "codes must not repeat");
    }

    #[test]
    fn check_rejects_bad_codes() {
        assert!(valider("AB3DE7").is_ok());
        for bad in ["", "ABC", "AB CD EF", "ABCDÉ12", &"A".repeat(33)] {
            assert_eq!(
                valider(bad).unwrap_err().code(),
                CodeErreur::CodeAccesInvalide
            );
        }
    }
}
