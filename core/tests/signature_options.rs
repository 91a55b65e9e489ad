//! The verification options as the bindings give them (JSON: named documents, PDF limits,
//! intermediates, CRLs, validation time) and the per-revision list of a PDF in the report,
//! on real files of the shared corpus (`../shared/corpus`, read in place).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test helpers panic on broken fixtures

use std::path::{Path, PathBuf};

use base64::Engine;
use mpe::CodeErreur;
use mpe::signature::{
    self, CategorieModification, DonneesSignees, FormatSignature, LimitesPdf, OptionsSignature,
    OptionsVerification, OptionsVerificationJson, Signataire, Statut,
};

fn corpus() -> PathBuf {
    let dir = std::env::var_os("MPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    assert!(dir.is_dir(), "corpus introuvable : {}", dir.display());
    dir
}

fn vecteur(nom: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/signature")
            .join(nom),
    )
    .unwrap()
}

fn options_json(j: serde_json::Value) -> mpe::Result<OptionsVerification> {
    let o: OptionsVerificationJson = serde_json::from_value(j).unwrap();
    o.try_into()
}

#[test]
fn chaque_champ_des_options_passe_par_json() {
    let ca = vecteur("ca.pem");
    let o = options_json(serde_json::json!({
        "ancres_pem": ca,
        "intermediaires_pem": vecteur("intermediaire.pem"),
        "crls_pem": vecteur("crl.pem"),
        "date_verification": "2027-01-15T12:00:00Z",
        "documents_nommes": {"offre.pdf": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7 offre")},
        "limites_pdf": {"revisions_max": 3},
    }))
    .unwrap();
    assert_eq!(o.ancres.len(), 1);
    assert_eq!(o.intermediaires.len(), 1);
    assert_eq!(o.crls.len(), 1);
    assert_eq!(
        o.date_verification.unwrap().to_rfc3339(),
        "2027-01-15T12:00:00+00:00"
    );
    assert_eq!(
        o.documents_nommes,
        vec![("offre.pdf".to_string(), b"%PDF-1.7 offre".to_vec())]
    );
    // A partial object keeps the other defaults.
    assert_eq!(
        o.limites_pdf,
        LimitesPdf {
            revisions_max: 3,
            ..LimitesPdf::default()
        }
    );
    // Nothing given: the defaults.
    let o = options_json(serde_json::json!({})).unwrap();
    assert_eq!(o.limites_pdf, LimitesPdf::default());
    assert!(o.documents_nommes.is_empty());
    // Bad inputs are typed.
    let e = options_json(serde_json::json!({"documents_nommes": {"a.txt": "pas du base64 !"}}))
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ArgumentInvalide);
    assert_eq!(e.path(), Some("documents_nommes.a.txt"));
    assert!(
        serde_json::from_value::<OptionsVerificationJson>(
            serde_json::json!({"limites_pdf": {"inconnue": 1}})
        )
        .is_err()
    );
}

#[test]
fn les_revisions_d_un_pdf_signe_deux_fois_sont_dans_le_rapport() {
    let pdf = std::fs::read(
        corpus().join("signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf"),
    )
    .unwrap();
    let r = signature::verifier(&pdf, None, &OptionsVerification::default()).unwrap();
    assert_eq!(r.signatures.len(), 2, "{r:#?}");
    let premiere = r.signatures[0].pdf.as_ref().unwrap();
    assert!(premiere.revisions_suivantes >= 1);
    assert_eq!(premiere.revisions.len(), premiere.revisions_suivantes);
    assert_eq!(premiere.revisions[0].numero, 1);
    // Adobe Reader's second signature: legitimate changes, among them a signature.
    let changements: Vec<_> = premiere
        .revisions
        .iter()
        .flat_map(|r| &r.changements)
        .collect();
    assert!(!changements.is_empty());
    assert!(changements.iter().all(|c| c.autorise), "{changements:#?}");
    assert!(
        changements
            .iter()
            .any(|c| c.categorie == CategorieModification::Signature)
    );
    assert!(!premiere.modifie_apres_signature);
    let seconde = r.signatures[1].pdf.as_ref().unwrap();
    assert!(seconde.couvre_tout_le_document);
    assert!(seconde.revisions.is_empty());
    // The report's list is the one `revisions_pdf` gives.
    let seules = signature::revisions_pdf(&pdf, LimitesPdf::default()).unwrap();
    assert_eq!(seules[0].1, premiere.revisions);
    // Through JSON, as the bindings see it.
    let j = serde_json::to_value(&r).unwrap();
    assert!(j["signatures"][0]["pdf"]["revisions"][0]["changements"][0]["categorie"].is_string());
}

/// Every PDF of the corpus: the per-revision list agrees with the summary lines, and a
/// signature whose later revisions hold a refused change is never VALIDE.
#[test]
fn les_revisions_du_corpus_concordent_avec_le_resume() {
    let mut pdfs = vec![];
    let mut pile = vec![corpus().join("signatures/pades")];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pile.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                pdfs.push(p);
            }
        }
    }
    assert!(pdfs.len() > 20, "{} PDF", pdfs.len());
    let (mut avec_revisions, mut refusees) = (0, 0);
    for p in &pdfs {
        let Ok(r) = signature::verifier(
            &std::fs::read(p).unwrap(),
            None,
            &OptionsVerification::default(),
        ) else {
            continue; // refused whole (malformed, attack): no report to compare
        };
        for s in &r.signatures {
            let Some(d) = &s.pdf else { continue };
            assert_eq!(
                d.modifie_apres_signature,
                !d.modifications.is_empty(),
                "{}",
                p.display()
            );
            if d.revisions.is_empty() {
                continue;
            }
            avec_revisions += 1;
            assert_eq!(d.revisions.len(), d.revisions_suivantes, "{}", p.display());
            for (i, rv) in d.revisions.iter().enumerate() {
                assert_eq!(rv.numero, i + 1);
                for ligne in rv.refus() {
                    assert!(
                        d.modifications.contains(&ligne),
                        "{} : {ligne}",
                        p.display()
                    );
                }
            }
            if d.revisions
                .iter()
                .flat_map(|r| &r.changements)
                .any(|c| !c.autorise)
            {
                refusees += 1;
                assert_ne!(s.statut, Statut::Valide, "{}", p.display());
            }
        }
    }
    assert!(
        avec_revisions >= 5,
        "{avec_revisions} signatures avec révisions"
    );
    eprintln!(
        "{} PDF, {avec_revisions} signatures suivies de révisions, {refusees} avec un changement refusé",
        pdfs.len()
    );
}

#[test]
fn les_limites_pdf_des_options_s_appliquent() {
    let pdf = std::fs::read(
        corpus().join("signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf"),
    )
    .unwrap();
    let o = options_json(serde_json::json!({"limites_pdf": {"revisions_max": 1}})).unwrap();
    let e = signature::verifier(&pdf, None, &o).unwrap_err();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    assert!(e.message().contains("revisions_max"), "{e}");
    let o = options_json(serde_json::json!({"limites_pdf": {"taille_max": 100}})).unwrap();
    let e = signature::verifier(&pdf, None, &o).unwrap_err();
    assert!(e.message().contains("taille_max"), "{e}");
}

#[test]
fn lta_avec_intermediaire_et_date_de_verification() {
    let c = corpus();
    let pdf =
        std::fs::read(c.join("signatures/pades/pyhanko/pades-lta-dss-indirect-arrs-test.pdf"))
            .unwrap();
    let pem = |p: &str| std::fs::read_to_string(c.join(p)).unwrap();
    let o = options_json(serde_json::json!({
        "ancres_pem": pem("signatures/trust/pyhanko/testing-ca-root.cert.pem"),
        "intermediaires_pem": pem("signatures/trust/pyhanko/testing-ca-interm.cert.pem"),
        "date_verification": "2020-11-01T00:00:00Z",
    }))
    .unwrap();
    let r = signature::verifier(&pdf, None, &o).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    // DSS and document timestamp revisions after the signature: listed, all allowed.
    let p = r.signatures[0].pdf.as_ref().unwrap();
    assert!(!p.revisions.is_empty());
    let categories: Vec<_> = p
        .revisions
        .iter()
        .flat_map(|r| &r.changements)
        .map(|c| c.categorie)
        .collect();
    assert!(
        categories.contains(&CategorieModification::Dss)
            || categories.contains(&CategorieModification::HorodatageDocument),
        "{categories:?}"
    );
    assert!(
        p.revisions
            .iter()
            .flat_map(|r| &r.changements)
            .all(|c| c.autorise)
    );
}

#[test]
fn une_cades_detachee_prend_son_document_nomme() {
    let s = Signataire::from_pem(&vecteur("signataire.key"), &vecteur("signataire.pem")).unwrap();
    let date = chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
        .unwrap()
        .to_utc();
    let p7s = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(b"offre"),
        &s,
        &OptionsSignature::new(date),
    )
    .unwrap();
    let mut o = OptionsVerification {
        ancres: Signataire::certificats_pem(&vecteur("ca.pem")).unwrap(),
        date_verification: Some(date),
        documents_nommes: vec![("offre.txt".into(), b"offre".to_vec())],
        ..Default::default()
    };
    assert_eq!(
        signature::verifier(&p7s, None, &o).unwrap().statut,
        Statut::Valide
    );
    o.documents_nommes = vec![("offre.txt".into(), b"autre".to_vec())];
    assert_eq!(
        signature::verifier(&p7s, None, &o).unwrap().statut,
        Statut::Invalide
    );
    // Two documents: which one is meant is unknown, the signed file is missing.
    o.documents_nommes.push(("b.txt".into(), b"offre".to_vec()));
    let e = signature::verifier(&p7s, None, &o).unwrap_err();
    assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
}
