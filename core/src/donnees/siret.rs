//! SIRET / SIREN check digits (Luhn), with La Poste's exception.
//!
//! Private to `donnees` for now; `rules::siret` will own the shared version.

/// Luhn sum of the digits (doubling every second digit from the right).
fn luhn_sum(digits: &[u8]) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0');
            if i % 2 == 1 {
                let x = v * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                v
            }
        })
        .sum()
}

/// `true` if `s` is 9 digits with a valid Luhn key.
pub fn siren_valide(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b.iter().all(u8::is_ascii_digit) && luhn_sum(b).is_multiple_of(10)
}

/// `true` if `s` is 14 digits with a valid key: Luhn, or — for La Poste (SIREN 356000000),
/// whose establishments are numbered past the Luhn scheme — a digit sum multiple of 5.
///
/// ```
/// use mpe::donnees::siret_valide;
/// assert!(siret_valide("73282932000074"));
/// assert!(siret_valide("35600000049837")); // La Poste : somme des chiffres multiple de 5
/// assert!(!siret_valide("73282932000075"));
/// ```
pub fn siret_valide(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if luhn_sum(b).is_multiple_of(10) {
        return true;
    }
    s.starts_with("356000000")
        && b.iter()
            .map(|d| u32::from(d - b'0'))
            .sum::<u32>()
            .is_multiple_of(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cles() {
        assert!(siret_valide("21350238800019"));
        assert!(siret_valide("55204599900869"));
        assert!(!siret_valide("5520459990086"));
        assert!(!siret_valide("5520459990086a"));
        assert!(siret_valide("35600000049837"));
        assert!(!siret_valide("35600000049838"));
        assert!(siren_valide("732829320"));
        assert!(!siren_valide("732829321"));
    }
}
