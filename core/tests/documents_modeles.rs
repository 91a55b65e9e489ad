//! The bundled DAJ templates are exactly what their generator makes (reproducible), and
//! each declares the fields the mapping fills.

#![allow(clippy::unwrap_used)] // test helpers

#[path = "../src/documents/templates/generer.rs"]
mod generer;

use mpe::documents::formulaires::{self, CATALOGUE, DonneesProcedure};

#[test]
fn bundled_templates_match_the_generator() {
    let formes = generer::formulaires();
    assert_eq!(formes.len(), CATALOGUE.len());
    for (f, c) in formes.iter().zip(CATALOGUE) {
        assert_eq!(f.code, c.code);
        assert_eq!(f.titre, c.titre, "{}", f.code);
        assert!(
            generer::docx(f) == c.modele(),
            "{} : modèle livré différent du générateur ; lancer `cargo run -p mpe --example documents_modeles`",
            f.code
        );
    }
}

#[test]
fn every_declared_field_is_filled_by_the_mapping() {
    let p = DonneesProcedure::exemple();
    for f in CATALOGUE {
        let champs = f.champs().unwrap();
        assert!(champs.len() >= 8, "{} : {} champs", f.code, champs.len());
        let donnees = formulaires::donnees_formulaire(f.code, &p).unwrap();
        // Top-level fields resolve in the data (nested ones are checked by the strict merge).
        for c in champs
            .iter()
            .filter(|c| c.sections.is_empty() && c.genre == mpe::documents::Genre::Valeur)
        {
            let mut v = &donnees;
            for s in c.nom.split('.') {
                v = &v[s];
            }
            assert!(
                !v.is_null() || c.optionnel,
                "{} : {} sans valeur",
                f.code,
                c.nom
            );
        }
    }
}

#[test]
fn a_procedure_missing_data_gets_one_error_with_every_field() {
    let mut p = DonneesProcedure::exemple();
    p.contrat = None;
    let e = formulaires::generer("NOT15", &p).unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::DonneesManquantes);
    for f in ["contrat.numero", "contrat.montant_ht", "contrat.duree"] {
        assert!(e.message().contains(f), "{f}: {}", e.message());
    }
    // A letter needs its addressee.
    let mut p = DonneesProcedure::exemple();
    p.document.destinataire = None;
    assert_eq!(
        formulaires::generer("NOT13", &p).unwrap_err().code(),
        mpe::CodeErreur::DonneesManquantes
    );
    // JSON round trip of the input type.
    let p = DonneesProcedure::exemple();
    let j = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<DonneesProcedure>(&j).unwrap(), p);
}
