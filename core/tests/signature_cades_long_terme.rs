//! CAdES B-LT and B-LTA (issue #17): validation data in the SignedData, the
//! archive-time-stamp-v3 with its ats-hash-index-v3 (ETSI EN 319 122-1, 5.5), checked on
//! real files of DSS and on files mpe extends (tokens from `openssl ts`, the result
//! checked by `openssl cms -verify`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test helpers panic on broken fixtures

mod corpus_commun;

use std::path::PathBuf;
use std::process::Command;

use chrono::{DateTime, Utc};
use corpus_commun::corpus;
use mpe::CodeErreur;
use mpe::signature::{
    self, AlgorithmeEmpreinte, DonneesSignees, FormatSignature, Niveau, OptionsSignature,
    OptionsVerification, Signataire, Statut,
};

fn vec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature")
}
fn read(name: &str) -> Vec<u8> {
    std::fs::read(vec_dir().join(name)).unwrap()
}
fn text(name: &str) -> String {
    std::fs::read_to_string(vec_dir().join(name)).unwrap()
}
fn date() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
        .unwrap()
        .to_utc()
}
fn verif() -> OptionsVerification {
    OptionsVerification {
        ancres: Signataire::certificats_pem(&text("ca.pem")).unwrap(),
        date_verification: Some(date()),
        ..Default::default()
    }
}
const DATA: &[u8] = b"Offre de l'entreprise Test pour le lot 1\n";

fn openssl_tsa(req: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"] {
        std::fs::copy(vec_dir().join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("req.tsq"), req).unwrap();
    let st = Command::new("openssl")
        .args([
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
        ])
        .args(["-out", "resp.tsr"])
        .current_dir(dir.path())
        .output()
        .expect("openssl ts");
    assert!(st.status.success());
    std::fs::read(dir.path().join("resp.tsr")).unwrap()
}

/// `openssl cms -verify` of a CAdES (detached when `data`), against the test CA.
fn openssl_verifie(sig: &[u8], data: Option<&[u8]>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.p7s"), sig).unwrap();
    let mut c = Command::new("openssl");
    c.args([
        "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.p7s",
    ])
    .arg("-CAfile")
    .arg(vec_dir().join("ca.pem"))
    .args(["-purpose", "any", "-out", "/dev/null"])
    .current_dir(dir.path());
    if let Some(d) = data {
        std::fs::write(dir.path().join("d"), d).unwrap();
        c.args(["-content", "d"]);
    }
    let o = c.output().expect("openssl cms");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// B-T, then B-LT, then B-LTA, each step by the public API.
fn etendre(sig: &[u8], data: Option<&[u8]>) -> (Vec<u8>, Vec<u8>) {
    let req = signature::requete_horodatage(sig, AlgorithmeEmpreinte::Sha256, Some(3)).unwrap();
    let bt = signature::ajouter_horodatage(sig, &openssl_tsa(&req)).unwrap();
    let mut o = verif();
    o.crls = vec![read("crl.der")];
    let d = signature::collecter_donnees_validation(&bt, &o).unwrap();
    // The signer, the TSA and their CA; the CA's CRL.
    assert!(d.certificats.len() >= 3, "{}", d.certificats.len());
    assert_eq!(d.crls, o.crls);
    let lt = signature::ajouter_donnees_validation(&bt, &d).unwrap();
    // Idempotent: the same data is not stored twice.
    assert_eq!(signature::ajouter_donnees_validation(&lt, &d).unwrap(), lt);
    let p = match data {
        Some(x) => signature::preparer_horodatage_document_detache(
            &lt,
            DonneesSignees::Octets(x),
            AlgorithmeEmpreinte::Sha512,
            Some(9),
        ),
        None => signature::preparer_horodatage_document(&lt, AlgorithmeEmpreinte::Sha512, Some(9)),
    }
    .unwrap();
    assert_eq!(p.empreinte.len(), 64);
    // Through JSON, as a host keeps it between the request and the token.
    let p: signature::HorodatageDocumentPrepare =
        serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    let lta = p.finir(&openssl_tsa(&p.requete)).unwrap();
    (lt, lta)
}

#[test]
fn cades_detachee_b_lt_puis_b_lta() {
    let s = Signataire::from_pem(&text("signataire.key"), &text("signataire.pem")).unwrap();
    let sig = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(DATA),
        &s,
        &OptionsSignature::new(date()),
    )
    .unwrap();
    let (lt, lta) = etendre(&sig, Some(DATA));
    for f in [&lt, &lta] {
        openssl_verifie(f, Some(DATA));
    }
    // B-LT: verified with no CRL from the host, the SignedData's is used.
    let r = signature::verifier(&lt, Some(DonneesSignees::Octets(DATA)), &verif()).unwrap();
    let one = &r.signatures[0];
    assert_eq!(r.statut, Statut::Valide, "{:?}", one.raison);
    assert_eq!(one.niveau, Niveau::BLT);
    assert_eq!(
        one.revocations[0].source,
        Some(signature::SourceRevocation::Crl)
    );
    let r = signature::verifier(&lta, Some(DonneesSignees::Octets(DATA)), &verif()).unwrap();
    let one = &r.signatures[0];
    assert_eq!(r.statut, Statut::Valide, "{:?}", one.raison);
    assert_eq!(one.niveau, Niveau::BLTA);
    assert_eq!(one.horodatages_archive.len(), 1);
    let h = &one.horodatages_archive[0];
    assert!(h.valide && h.autorite_approuvee, "{h:?}");
    // Other content: the archive timestamp no longer matches (typed), the signature is
    // INVALIDE for its own message digest.
    let r = signature::verifier(&lta, Some(DonneesSignees::Octets(b"autre")), &verif()).unwrap();
    let one = &r.signatures[0];
    assert_eq!(r.statut, Statut::Invalide);
    assert!(!one.horodatages_archive[0].valide);
    assert_eq!(one.horodatages_archive[0].statut, Statut::Invalide);
    // Without the file: no archive imprint.
    let e = signature::preparer_horodatage_document(&lt, AlgorithmeEmpreinte::Sha256, None)
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
    // Data added after the archive timestamp: allowed (EN 319 122-1, 5.5.2), still B-LTA.
    let plus = signature::ajouter_donnees_validation(
        &lta,
        &signature::DonneesValidation {
            certificats: vec![read("intermediaire.pem")]
                .into_iter()
                .map(|p| der_de_pem(&p))
                .collect(),
            ..Default::default()
        },
    )
    .unwrap();
    let r = signature::verifier(&plus, Some(DonneesSignees::Octets(DATA)), &verif()).unwrap();
    assert_eq!(r.signatures[0].niveau, Niveau::BLTA);
    assert!(r.signatures[0].horodatages_archive[0].valide);
    openssl_verifie(&plus, Some(DATA));
}

fn der_de_pem(p: &[u8]) -> Vec<u8> {
    der::pem::decode_vec(p).unwrap().1
}

#[test]
fn cades_attachee_b_lta() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d"), DATA).unwrap();
    // An enveloping CAdES written by OpenSSL.
    let o = Command::new("openssl")
        .args([
            "cms",
            "-sign",
            "-cades",
            "-binary",
            "-nodetach",
            "-outform",
            "DER",
        ])
        .args(["-in", "d", "-out", "s.p7m", "-signer"])
        .arg(vec_dir().join("signataire.pem"))
        .arg("-inkey")
        .arg(vec_dir().join("signataire.key"))
        .current_dir(dir.path())
        .output()
        .expect("openssl cms");
    assert!(o.status.success());
    let sig = std::fs::read(dir.path().join("s.p7m")).unwrap();
    let (_, lta) = etendre(&sig, None);
    openssl_verifie(&lta, None);
    let r = signature::verifier(&lta, None, &verif()).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{:?}", r.signatures[0].raison);
    assert_eq!(r.signatures[0].niveau, Niveau::BLTA);
    // A second archive timestamp over the first (B-LTA renewed).
    let p =
        signature::preparer_horodatage_document(&lta, AlgorithmeEmpreinte::Sha256, None).unwrap();
    let deux = p.finir(&openssl_tsa(&p.requete)).unwrap();
    let r = signature::verifier(&deux, None, &verif()).unwrap();
    let h = &r.signatures[0].horodatages_archive;
    assert_eq!(h.len(), 2);
    assert!(h.iter().all(|x| x.valide), "{h:?}");
    openssl_verifie(&deux, None);
    // A token over other bytes is refused, nothing written.
    let e = p
        .finir(&openssl_tsa(
            &signature::requete_horodatage(&sig, AlgorithmeEmpreinte::Sha256, None).unwrap(),
        ))
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::HorodatageDocumentIncorrect);
}

/// A corpus file; a missing one fails the test (never a skip).
fn corpus_fichier(p: &str) -> Vec<u8> {
    std::fs::read(corpus().join(p)).unwrap_or_else(|e| panic!("{p} : {e}"))
}

/// Real CAdES-LTA of DSS: every archive-time-stamp-v3 has its imprint recomputed from
/// the ats-hash-index (v3 of EN 319 122-1, or the TS 101 733 one of older DSS) and
/// matches; the index names only elements the signature holds.
#[test]
fn archives_v3_des_fichiers_reels() {
    for (f, n) in [
        ("signatures/cades/dss/CAdESDoubleLTA.p7m", 2),
        ("signatures/cades/dss/counterSignedLTA.p7s", 1),
        ("signatures/cades/dss/Signature-C-A-XL-1.p7m", 1),
    ] {
        let sig = corpus_fichier(f);
        let r = signature::verifier(&sig, None, &OptionsVerification::default()).unwrap();
        let h = &r.signatures[0].horodatages_archive;
        assert_eq!(h.len(), n, "{f}");
        for x in h {
            assert!(x.valide, "{f}: {x:?}");
            assert_ne!(x.statut, Statut::Invalide, "{f}");
        }
        assert_ne!(r.statut, Statut::Invalide, "{f}");
    }
    // Detached, data missing: an error, never VALIDE.
    {
        let sig = corpus_fichier("signatures/cades/dss/dss-2011/cades-lta-detached.pkcs7");
        match signature::verifier(&sig, None, &OptionsVerification::default()) {
            Err(e) => assert_eq!(e.code(), CodeErreur::FichierSigneManquant),
            Ok(r) => assert_ne!(r.statut, Statut::Valide),
        }
        // Other data: the archive timestamp does not match, typed, the signature INVALIDE.
        let r = signature::verifier(
            &sig,
            Some(DonneesSignees::Octets(b"pas le contenu")),
            &OptionsVerification::default(),
        )
        .unwrap();
        assert_eq!(r.statut, Statut::Invalide);
        for h in &r.signatures[0].horodatages_archive {
            assert!(!h.valide);
        }
    }
}
