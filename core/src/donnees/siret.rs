//! SIRET / SIREN check digits: the one implementation of `rules::siret`, re-exported under
//! the names the DECP code uses.

pub use crate::rules::siret::{siren_valide, siret_valide};

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
