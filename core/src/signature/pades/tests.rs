//! Limits and per-revision report, through the crate-internal entry points (the public
//! ones wait for `signature/mod.rs` to re-export them).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::moteur::verifier_pdf_limites;
use super::revisions::CategorieModification;
use super::{LimitesPdf, revisions_pdf};
use crate::CodeErreur;
use crate::signature::{
    DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
};

const SIMPLE: &[u8] = include_bytes!("../../../../tests/vectors/signature/simple.pdf");
const CLE: &str = include_str!("../../../../tests/vectors/signature/signataire.key");
const CERT: &str = include_str!("../../../../tests/vectors/signature/signataire.pem");

fn signe(pdf: &[u8]) -> Vec<u8> {
    let s = Signataire::from_pem(CLE, CERT).unwrap();
    let date = chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
        .unwrap()
        .to_utc();
    crate::signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(pdf),
        &s,
        &OptionsSignature::new(date),
    )
    .unwrap()
}

fn nom_de_limite(l: LimitesPdf, pdf: &[u8]) -> String {
    let e = verifier_pdf_limites(pdf, &OptionsVerification::default(), l).unwrap_err();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee, "{e:?}");
    e.message().to_string()
}

#[test]
fn chaque_limite_est_nommee() {
    let deux = signe(&signe(SIMPLE));
    let d = LimitesPdf::default();
    assert!(verifier_pdf_limites(&deux, &OptionsVerification::default(), d).is_ok());
    let cas: [(&str, LimitesPdf); 7] = [
        (
            "taille_max",
            LimitesPdf {
                taille_max: 1000,
                ..d
            },
        ),
        ("objets_max", LimitesPdf { objets_max: 5, ..d }),
        (
            "revisions_max",
            LimitesPdf {
                revisions_max: 2,
                ..d
            },
        ),
        (
            "signatures_max",
            LimitesPdf {
                signatures_max: 1,
                ..d
            },
        ),
        (
            "profondeur_max",
            LimitesPdf {
                profondeur_max: 1,
                ..d
            },
        ),
        (
            "lectures_max",
            LimitesPdf {
                lectures_max: 3,
                ..d
            },
        ),
        ("champs_max", LimitesPdf { champs_max: 1, ..d }),
    ];
    for (nom, l) in cas {
        let m = nom_de_limite(l, &deux);
        assert!(m.contains(nom), "{nom} : {m}");
    }
}

#[test]
fn flux_max_borne_les_flux_decodes() {
    // An xref stream whose decoded size passes the limit.
    let pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/signature/xrefstream.pdf"
    ))
    .unwrap();
    let s = signe(&pdf);
    let l = LimitesPdf {
        flux_max: 4,
        ..LimitesPdf::default()
    };
    let m = nom_de_limite(l, &s);
    assert!(m.contains("flux_max"), "{m}");
}

#[test]
fn rapport_par_revision() {
    let deux = signe(&signe(SIMPLE));
    let r = revisions_pdf(&deux, LimitesPdf::default()).unwrap();
    assert_eq!(r.len(), 2);
    let (champ, revs) = &r[0];
    assert_eq!(champ.as_deref(), Some("Signature1"));
    assert_eq!(revs.len(), 1);
    let cats: Vec<_> = revs[0].changements.iter().map(|c| c.categorie).collect();
    assert!(
        cats.contains(&CategorieModification::Signature),
        "{revs:#?}"
    );
    assert!(revs[0].changements.iter().all(|c| c.autorise), "{revs:#?}");
    assert!(r[1].1.is_empty());
}

#[test]
fn verrous_field_mdp() {
    use super::revisions::{Permissions, Verrou};
    let p = |v| Permissions {
        doc_mdp: None,
        verrou: Some(v),
    };
    let inclus = p(Verrou::Inclus(vec!["Nom".into()]));
    assert!(inclus.verrouille("Nom") && inclus.verrouille("Nom.prenom"));
    assert!(!inclus.verrouille("Nomade") && !inclus.verrouille("Prix"));
    let exclus = p(Verrou::Exclus(vec!["Prix".into()]));
    assert!(exclus.verrouille("Nom") && !exclus.verrouille("Prix"));
    assert!(p(Verrou::Tous).verrouille("x"));
    let libre = Permissions {
        doc_mdp: None,
        verrou: None,
    };
    assert!(!libre.verrouille("x"));
}
