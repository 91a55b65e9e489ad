//! The French NUTS level-3 codes of the eForms SDK (`nuts_nuts-fra-lvl3.gc`), embedded as a
//! small generated table (`core/data/eforms/nuts-fr.tsv`, made by `scripts/eforms/tables.py`).
//! They give the place of performance (BT-5071) and the buyer's subdivision (BT-507).

use crate::model::LieuExecution;

const TABLE: &str = include_str!("../../data/eforms/nuts-fr.tsv");

fn lignes() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
}

/// Whether `code` is a French NUTS level-3 code of the SDK.
pub fn nuts_connu(code: &str) -> bool {
    lignes().any(|(c, _)| c == code)
}

/// Names compare without case, accents' typographic variants or spacing around hyphens.
fn normaliser(nom: &str) -> String {
    nom.trim()
        .replace(['’', '`'], "'")
        .replace(" - ", "-")
        .to_lowercase()
}

/// The NUTS code of a lieu d'exécution: its code when it already is one, else its label
/// ("(69) Rhône" or "Rhône") matched against the names of the French NUTS-3 areas.
pub fn nuts_du_lieu(lieu: &LieuExecution) -> Option<&'static str> {
    if let Some((c, _)) = lignes().find(|(c, _)| *c == lieu.code) {
        return Some(c);
    }
    let libelle = lieu.libelle.trim();
    // "(69) Rhône": the name follows the closing parenthesis.
    let nom = match libelle.split_once(')') {
        Some((avant, apres)) if avant.starts_with('(') => apres,
        _ => libelle,
    };
    let nom = normaliser(nom);
    lignes().find(|(_, n)| normaliser(n) == nom).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lieu(code: &str, libelle: &str) -> LieuExecution {
        LieuExecution {
            code: code.into(),
            libelle: libelle.into(),
        }
    }

    #[test]
    fn libelles_et_codes() {
        assert_eq!(nuts_du_lieu(&lieu("69", "(69) Rhône")), Some("FRK26"));
        assert_eq!(
            nuts_du_lieu(&lieu("22", "(22) Côtes-d'Armor")),
            Some("FRH01")
        );
        assert_eq!(nuts_du_lieu(&lieu("FR101", "")), Some("FR101"));
        assert_eq!(nuts_du_lieu(&lieu("99", "(99) Atlantide")), None);
        assert!(nuts_connu("FRK26") && !nuts_connu("FRK2"));
    }
}
