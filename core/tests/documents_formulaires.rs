//! The DAJ forms: every bundled template merges from a realistic procedure, strictly.

#![allow(clippy::unwrap_used)] // test helpers

use mpe::CodeErreur;
use mpe::documents::formulaires::{self, CATALOGUE, DonneesProcedure};

#[test]
fn every_form_merges_from_the_example_procedure() {
    let p = DonneesProcedure::exemple();
    assert_eq!(CATALOGUE.len(), 15);
    for f in CATALOGUE {
        let docx = formulaires::generer(f.code, &p).unwrap_or_else(|e| panic!("{}: {e}", f.code));
        let texte = mpe::documents::texte_document(&docx).unwrap();
        assert!(!texte.contains("{{"), "{}: {texte}", f.code);
        assert!(texte.contains("Ville de Villeurbanne"), "{}", f.code);
        assert!(!f.champs().unwrap().is_empty());
    }
}

#[test]
fn unknown_form() {
    let e = formulaires::generer("OUV99", &DonneesProcedure::exemple()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::FormulaireInconnu);
}
