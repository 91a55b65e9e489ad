//! CPV codes (Common Procurement Vocabulary, 2008): lookup in the bundled official list,
//! check digit, and coherence with the catégorie principale.
//!
//! The ninth digit of a CPV code is a check digit, but the 2008 revision's digits follow no
//! formula that can be recomputed (the Publications Office acknowledged the inconsistency):
//! the check is therefore against the digit the official list gives for the 8-digit code.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::CategoriePrincipale;
use crate::{CodeErreur, Erreur, Result};

static LIST_JSON: &str = include_str!("../../data/cpv/cpv-en.json");
/// French labels by 8-digit root, from the eForms SDK (CC BY 4.0, see data/cpv/README.md).
static FR_JSON: &str = include_str!("../../data/cpv/cpv-fr.json");

struct Entry {
    check: u8,
    label: String,
    label_fr: String,
}

fn table() -> &'static HashMap<u32, Entry> {
    static TABLE: OnceLock<HashMap<u32, Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The bundled lists are checked by `whole_list_is_loaded`.
        let parsed: HashMap<String, String> = serde_json::from_str(LIST_JSON).unwrap_or_default();
        let mut fr: HashMap<String, String> = serde_json::from_str(FR_JSON).unwrap_or_default();
        parsed
            .into_iter()
            .filter_map(|(code, label)| {
                let (root, check) = split(&code)?;
                let label_fr = fr.remove(code.get(..8)?).unwrap_or_default();
                Some((
                    root,
                    Entry {
                        check,
                        label,
                        label_fr,
                    },
                ))
            })
            .collect()
    })
}

/// `NNNNNNNN-N` → (root, check digit).
fn split(code: &str) -> Option<(u32, u8)> {
    let b = code.as_bytes();
    if b.len() != 10 || b.get(8) != Some(&b'-') {
        return None;
    }
    let root = code.get(..8)?;
    if !root.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let check = b.get(9).filter(|c| c.is_ascii_digit())? - b'0';
    Some((root.parse().ok()?, check))
}

/// A CPV code of the official list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CodeCpv {
    /// The code, `NNNNNNNN-N`.
    pub code: String,
    /// Its French label, as a French buyer reads it ("Travaux de construction").
    pub libelle: &'static str,
    /// Its English label (the official list in English).
    pub libelle_en: &'static str,
    /// The division (first two digits).
    pub division: u8,
    /// The catégorie this division belongs to.
    pub categorie: CategoriePrincipale,
}

/// The catégorie of a CPV division: Travaux 45, Fournitures 03–44 and 48, Services 49–98.
pub fn categorie_division(division: u8) -> Option<CategoriePrincipale> {
    match division {
        45 => Some(CategoriePrincipale::Travaux),
        3..=44 | 48 => Some(CategoriePrincipale::Fournitures),
        49..=98 => Some(CategoriePrincipale::Services),
        _ => None,
    }
}

/// Number of codes in the bundled list.
pub fn nombre_de_codes() -> usize {
    table().len()
}

/// Look up a code: format, existence, check digit.
///
/// ```
/// let c = mpe::rules::cpv::chercher("45000000-7").unwrap();
/// assert_eq!(c.libelle, "Travaux de construction");
/// assert_eq!(c.libelle_en, "Construction work");
/// assert_eq!(c.categorie, mpe::model::CategoriePrincipale::Travaux);
/// assert_eq!(mpe::rules::cpv::chercher("45000000-8").unwrap_err().code(), mpe::CodeErreur::CpvCleControle);
/// ```
pub fn chercher(code: &str) -> Result<CodeCpv> {
    let (root, check) = split(code).ok_or_else(|| {
        Erreur::new(
            CodeErreur::CpvFormat,
            format!("« {code} » n'est pas un code CPV de la forme NNNNNNNN-N"),
        )
    })?;
    let entry = table().get(&root).ok_or_else(|| {
        Erreur::new(
            CodeErreur::CpvInconnu,
            format!("le code CPV {code} n'existe pas dans la nomenclature"),
        )
    })?;
    if entry.check != check {
        return Err(Erreur::new(
            CodeErreur::CpvCleControle,
            format!(
                "clé de contrôle du code CPV {code} incorrecte (attendu {root:08}-{})",
                entry.check
            ),
        ));
    }
    let division = (root / 1_000_000) as u8;
    let categorie = categorie_division(division).ok_or_else(|| {
        Erreur::new(
            CodeErreur::CpvInconnu,
            format!("division CPV {division:02} inconnue"),
        )
    })?;
    Ok(CodeCpv {
        code: code.to_string(),
        libelle: entry.label_fr.as_str(),
        libelle_en: entry.label.as_str(),
        division,
        categorie,
    })
}

/// Check a code and its coherence with the catégorie principale.
pub fn valider_categorie(code: &str, categorie: CategoriePrincipale) -> Result<CodeCpv> {
    let c = chercher(code)?;
    if c.categorie != categorie {
        return Err(Erreur::new(
            CodeErreur::CpvCategorie,
            format!(
                "le code CPV {code} (division {:02}) relève de la catégorie {:?}, pas {:?}",
                c.division, c.categorie, categorie
            ),
        ));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_list_is_loaded() {
        assert_eq!(nombre_de_codes(), 9454);
        // Every code has its French label.
        assert!(table().values().all(|e| !e.label_fr.is_empty()));
        assert_eq!(
            chercher("03000000-1").unwrap().libelle_en,
            "Agricultural, farming, fishing, forestry and related products"
        );
    }

    #[test]
    fn categories() {
        assert_eq!(
            valider_categorie("45000000-7", CategoriePrincipale::Travaux)
                .unwrap()
                .division,
            45
        );
        assert!(valider_categorie("30213100-6", CategoriePrincipale::Fournitures).is_ok());
        assert!(valider_categorie("48000000-8", CategoriePrincipale::Fournitures).is_ok());
        assert!(valider_categorie("90911200-8", CategoriePrincipale::Services).is_ok());
        assert_eq!(
            valider_categorie("90911200-8", CategoriePrincipale::Travaux)
                .unwrap_err()
                .code(),
            CodeErreur::CpvCategorie
        );
    }

    #[test]
    fn bad_codes() {
        assert_eq!(
            chercher("4500000-7").unwrap_err().code(),
            CodeErreur::CpvFormat
        );
        assert_eq!(
            chercher("45000000_7").unwrap_err().code(),
            CodeErreur::CpvFormat
        );
        assert_eq!(
            chercher("4500000a-7").unwrap_err().code(),
            CodeErreur::CpvFormat
        );
        assert_eq!(
            chercher("45000000-").unwrap_err().code(),
            CodeErreur::CpvFormat
        );
        assert_eq!(
            chercher("99999999-9").unwrap_err().code(),
            CodeErreur::CpvInconnu
        );
        assert_eq!(
            chercher("45000000-1").unwrap_err().code(),
            CodeErreur::CpvCleControle
        );
        assert_eq!(
            chercher("é5000000-1").unwrap_err().code(),
            CodeErreur::CpvFormat
        );
    }
}
