//! Every signature algorithm mpe verifies, on CMS files made by OpenSSL
//! (`tests/vectors/signature/algorithmes/make.sh`), each also checked here by
//! `openssl cms -verify` (a missing openssl fails the test).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test helpers panic on broken fixtures

use std::path::PathBuf;
use std::process::Command;

use mpe::CodeErreur;
use mpe::signature::{
    self, AlgorithmeEmpreinte, DonneesSignees, FonctionnaliteManquante, OptionsVerification,
    RapportVerification, SchemaSignature, SousIndication, Statut,
};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature/algorithmes")
}

fn lire(n: &str) -> Vec<u8> {
    std::fs::read(dir().join(n)).unwrap()
}

fn options(ancre: &str) -> OptionsVerification {
    OptionsVerification {
        ancres: signature::certificats(&lire(ancre)).unwrap(),
        date_verification: Some(
            chrono::DateTime::parse_from_rfc3339("2030-06-01T00:00:00Z")
                .unwrap()
                .to_utc(),
        ),
        ..Default::default()
    }
}

fn verifier(fichier: &str, ancre: &str, donnees: Option<&[u8]>) -> RapportVerification {
    signature::verifier(
        &lire(fichier),
        donnees.map(DonneesSignees::Octets),
        &options(ancre),
    )
    .unwrap()
}

/// OpenSSL's own verdict on the same file, same anchor.
fn openssl_accepte(fichier: &str, ancre: &str, detachee: bool) -> bool {
    let mut c = Command::new("openssl");
    c.args([
        "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
    ])
    .arg("-in")
    .arg(dir().join(fichier))
    .arg("-CAfile")
    .arg(dir().join(ancre))
    .args(["-out", "/dev/null"]);
    if detachee {
        c.arg("-content").arg(dir().join("donnees.txt"));
    }
    c.output().expect("openssl introuvable").status.success()
}

#[test]
fn algorithmes_verifies_comme_openssl() {
    let donnees = lire("donnees.txt");
    for (fichier, ancre, schema, empreinte) in [
        (
            "ecdsa-p384-sha384.p7s",
            "P-384.pem",
            SchemaSignature::Ecdsa,
            AlgorithmeEmpreinte::Sha384,
        ),
        (
            "ecdsa-p521-sha512.p7s",
            "P-521.pem",
            SchemaSignature::Ecdsa,
            AlgorithmeEmpreinte::Sha512,
        ),
        (
            "ecdsa-bp256-sha256.p7s",
            "brainpoolP256r1.pem",
            SchemaSignature::Ecdsa,
            AlgorithmeEmpreinte::Sha256,
        ),
        (
            "ecdsa-bp384-sha384.p7s",
            "brainpoolP384r1.pem",
            SchemaSignature::Ecdsa,
            AlgorithmeEmpreinte::Sha384,
        ),
        (
            "rsa-pss-sha384.p7s",
            "rsa.pem",
            SchemaSignature::RsaPss,
            AlgorithmeEmpreinte::Sha384,
        ),
        (
            "rsa-pss-sha512-sel32.p7s",
            "rsa.pem",
            SchemaSignature::RsaPss,
            AlgorithmeEmpreinte::Sha512,
        ),
        (
            "rsa-sha224.p7s",
            "rsa.pem",
            SchemaSignature::RsaPkcs1v15,
            AlgorithmeEmpreinte::Sha224,
        ),
        (
            "rsa-sha3-256.p7s",
            "rsa.pem",
            SchemaSignature::RsaPkcs1v15,
            AlgorithmeEmpreinte::Sha3_256,
        ),
        // Chains through Ed25519 and Ed448 certificate signatures.
        (
            "rsa-sous-ed25519.p7s",
            "ed25519.pem",
            SchemaSignature::RsaPkcs1v15,
            AlgorithmeEmpreinte::Sha256,
        ),
        (
            "rsa-sous-ed448.p7s",
            "ed448.pem",
            SchemaSignature::RsaPkcs1v15,
            AlgorithmeEmpreinte::Sha256,
        ),
        (
            "rsa-keyid.p7s",
            "rsa.pem",
            SchemaSignature::RsaPkcs1v15,
            AlgorithmeEmpreinte::Sha256,
        ),
    ] {
        assert!(openssl_accepte(fichier, ancre, true), "openssl : {fichier}");
        let r = verifier(fichier, ancre, Some(&donnees));
        assert_eq!(r.statut, Statut::Valide, "{fichier}: {r:#?}");
        let s = &r.signatures[0];
        assert_eq!(
            (s.schema, s.algorithme_empreinte),
            (schema, empreinte),
            "{fichier}"
        );
        assert!(s.chaine_approuvee, "{fichier}");
        // The same signature over other data: a proven hash failure.
        let r = verifier(fichier, ancre, Some(b"autre contenu"));
        assert_eq!(r.statut, Statut::Invalide, "{fichier}");
        assert_eq!(
            r.signatures[0].sous_indication,
            Some(SousIndication::HashFailure)
        );
        assert!(!openssl_accepte_autre(fichier, ancre), "{fichier}");
    }
}

/// OpenSSL on the same file with other content (must refuse, like mpe).
fn openssl_accepte_autre(fichier: &str, ancre: &str) -> bool {
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), b"autre contenu").unwrap();
    Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(dir().join(fichier))
        .arg("-CAfile")
        .arg(dir().join(ancre))
        .arg("-content")
        .arg(tmp.path())
        .args(["-out", "/dev/null"])
        .output()
        .expect("openssl introuvable")
        .status
        .success()
}

#[test]
fn brainpool_p512_non_supporte_indetermine() {
    assert!(openssl_accepte(
        "ecdsa-bp512-sha512.p7s",
        "brainpoolP512r1.pem",
        true
    ));
    let r = verifier(
        "ecdsa-bp512-sha512.p7s",
        "brainpoolP512r1.pem",
        Some(&lire("donnees.txt")),
    );
    // No RustCrypto crate of this generation for brainpoolP512r1: INDÉTERMINÉ, named.
    assert_eq!(r.statut, Statut::Indetermine, "{r:#?}");
    let s = &r.signatures[0];
    assert_eq!(s.code, Some(CodeErreur::AlgorithmeNonSupporte));
    assert_eq!(
        s.sous_indication,
        Some(SousIndication::CryptoConstraintsFailure)
    );
    let ns = s.non_supporte.as_ref().unwrap();
    assert_eq!(ns.fonctionnalite, FonctionnaliteManquante::Algorithme);
    assert!(ns.detail.contains("brainpoolP512r1"), "{ns:?}");
}

#[test]
fn cms_du_monde_ber_sans_attributs_deux_signataires() {
    let donnees = lire("donnees.txt");
    // BER (indefinite lengths, chunked content) and enveloping: no detached data needed.
    assert!(openssl_accepte(
        "rsa-ber-enveloppante.p7m",
        "rsa.pem",
        false
    ));
    let r = verifier("rsa-ber-enveloppante.p7m", "rsa.pem", None);
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    // No signed attributes: the signature is over the content itself.
    assert!(openssl_accepte("rsa-sans-attributs.p7s", "rsa.pem", true));
    let r = verifier("rsa-sans-attributs.p7s", "rsa.pem", Some(&donnees));
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    let r = verifier("rsa-sans-attributs.p7s", "rsa.pem", Some(b"autre"));
    assert_eq!(r.statut, Statut::Invalide);
    assert_eq!(
        r.signatures[0].sous_indication,
        Some(SousIndication::SigCryptoFailure)
    );
    // Two signers, each verified and reported.
    assert!(openssl_accepte(
        "deux-signataires.p7s",
        "deux-ancres.pem",
        true
    ));
    let r = verifier("deux-signataires.p7s", "deux-ancres.pem", Some(&donnees));
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures.len(), 2);
    // One anchor only: the other signer is undetermined (its chain), the file too.
    let r = verifier("deux-signataires.p7s", "rsa.pem", Some(&donnees));
    assert_eq!(r.statut, Statut::Indetermine);
    assert_eq!(
        r.signatures
            .iter()
            .filter(|s| s.sous_indication == Some(SousIndication::NoCertificateChainFound))
            .count(),
        1
    );
    // Detached data missing: a typed error.
    let e = signature::verifier(&lire("rsa-keyid.p7s"), None, &options("rsa.pem")).unwrap_err();
    assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
    // Only the digest of the detached file (a remote validator's input).
    let d = AlgorithmeEmpreinte::Sha256.hash(&donnees);
    let r = signature::verifier(
        &lire("rsa-keyid.p7s"),
        Some(DonneesSignees::Empreinte {
            algorithme: AlgorithmeEmpreinte::Sha256,
            valeur: &d,
        }),
        &options("rsa.pem"),
    )
    .unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
}

#[test]
fn cms_hostiles_sans_panique() {
    let base = lire("rsa-ber-enveloppante.p7m");
    for cut in (0..base.len()).step_by(97) {
        let r = std::panic::catch_unwind(|| {
            signature::verifier(&base[..cut], None, &options("rsa.pem"))
        })
        .expect("panique");
        if let Ok(r) = r {
            assert_ne!(r.statut, Statut::Valide, "tronqué à {cut}");
        }
    }
    // The content changed inside the enveloping file: never VALIDE.
    let pos = base.windows(9).position(|w| w == b"Offre de ").unwrap();
    let mut b = base.clone();
    b[pos] = b'X';
    let r = signature::verifier(&b, None, &options("rsa.pem")).unwrap();
    assert_eq!(r.statut, Statut::Invalide);
    assert_eq!(
        r.signatures[0].sous_indication,
        Some(SousIndication::HashFailure)
    );
}
