//! The revocation of a delegated OCSP responder (RFC 6960 4.2.2.2.1, as EU DSS applies
//! it), on a PKI openssl makes at test time (`tests/vectors/revocation/pki.sh`), OCSP
//! responses from `openssl ocsp`, CRLs from `openssl ca -gencrl`, signatures from
//! `openssl cms`: a responder with id-pkix-ocsp-nocheck is believed as is; one without it
//! only when a CRL (or an OCSP response of the CA itself) says it is not revoked; a revoked
//! one is set aside; with no data about it, its "revoked" never makes the signature
//! INVALIDE (INDÉTERMINÉ, `OCSP_REPONDANT_REVOCATION_INCONNUE`). openssl missing: failure.

use std::path::Path;
use std::process::Command;

use chrono::{TimeDelta, Utc};
use mpe::CodeErreur;
use mpe::signature::{
    self, DonneesSignees, OptionsVerification, RapportSignature, Signataire, SourceRevocation,
    SousIndication, Statut,
};

#[track_caller]
fn sh(dir: &Path, prog: &str, args: &[&str]) {
    let o = Command::new(prog)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{prog} introuvable : {e}"));
    assert!(
        o.status.success(),
        "{prog} {args:?} : {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

struct Pki(tempfile::TempDir);

impl Pki {
    fn new() -> Pki {
        let t = tempfile::tempdir().unwrap();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/revocation/pki.sh");
        sh(
            t.path(),
            "sh",
            &[
                script.to_str().unwrap(),
                "pki",
                "http://127.0.0.1:9/",
                "http://127.0.0.1:9/ca.crl",
            ],
        );
        std::fs::write(t.path().join("pki/offre.txt"), b"Offre de prix, lot 1\n").unwrap();
        Pki(t)
    }

    fn dir(&self) -> std::path::PathBuf {
        self.0.path().join("pki")
    }

    fn lire(&self, f: &str) -> Vec<u8> {
        std::fs::read(self.dir().join(f)).unwrap()
    }

    fn revoquer(&self, qui: &str) {
        sh(
            &self.dir(),
            "openssl",
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-revoke",
                &format!("{qui}.pem"),
                "-crl_reason",
                "keyCompromise",
            ],
        );
    }

    /// CAdES (openssl cms, detached) of offre.txt by `qui`.
    fn signer(&self, qui: &str) -> Vec<u8> {
        let sortie = format!("{qui}.p7s");
        sh(
            &self.dir(),
            "openssl",
            &[
                "cms",
                "-sign",
                "-binary",
                "-md",
                "sha256",
                "-in",
                "offre.txt",
                "-signer",
                &format!("{qui}.pem"),
                "-inkey",
                &format!("{qui}.key"),
                "-outform",
                "DER",
                "-out",
                &sortie,
            ],
        );
        self.lire(&sortie)
    }

    /// The response of `repondant` about `qui` (from the CA's database as it is now).
    fn ocsp(&self, qui: &str, repondant: &str) -> Vec<u8> {
        let d = self.dir();
        sh(
            &d,
            "openssl",
            &[
                "ocsp",
                "-issuer",
                "ca.pem",
                "-cert",
                &format!("{qui}.pem"),
                "-no_nonce",
                "-reqout",
                "req.der",
            ],
        );
        let sortie = format!("{qui}-{repondant}.ocsp");
        sh(
            &d,
            "openssl",
            &[
                "ocsp",
                "-index",
                "index.txt",
                "-CA",
                "ca.pem",
                "-rsigner",
                &format!("{repondant}.pem"),
                "-rkey",
                &format!("{repondant}.key"),
                "-reqin",
                "req.der",
                "-respout",
                &sortie,
                "-ndays",
                "1",
            ],
        );
        self.lire(&sortie)
    }

    /// The CA's CRL as it is now, DER.
    fn crl(&self) -> Vec<u8> {
        let d = self.dir();
        sh(
            &d,
            "openssl",
            &[
                "ca", "-batch", "-config", "ca.cnf", "-gencrl", "-out", "crl.pem",
            ],
        );
        sh(
            &d,
            "openssl",
            &[
                "crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der",
            ],
        );
        self.lire("crl.der")
    }

    fn verifier(&self, p7s: &[u8], ocsp: Vec<Vec<u8>>, crls: Vec<Vec<u8>>) -> RapportSignature {
        let opts = OptionsVerification {
            ancres: Signataire::certificats_pem(&String::from_utf8(self.lire("ca.pem")).unwrap())
                .unwrap(),
            crls,
            reponses_ocsp: ocsp,
            date_verification: Some(Utc::now() + TimeDelta::minutes(2)),
            ..Default::default()
        };
        let offre = self.lire("offre.txt");
        let r = signature::verifier(p7s, Some(DonneesSignees::Octets(&offre)), &opts).unwrap();
        r.signatures.into_iter().next().unwrap()
    }
}

fn codes_ecartes(s: &RapportSignature) -> Vec<CodeErreur> {
    s.revocations
        .iter()
        .flat_map(|c| c.ecartees.iter().map(|e| e.code))
        .collect()
}

#[test]
fn repondant_delegue_et_sa_propre_revocation() {
    let pki = Pki::new();
    pki.revoquer("avant");
    // Signed after the revocation: a believed "revoked" makes it INVALIDE.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let avant = pki.signer("avant");
    let bon = pki.signer("bon");

    // 1. The responder with id-pkix-ocsp-nocheck is believed without more.
    let s = pki.verifier(&avant, vec![pki.ocsp("avant", "repondant")], vec![]);
    assert_eq!(s.statut, Statut::Invalide, "{s:#?}");
    assert_eq!(s.revoque, Some(true));

    // 2. Without nocheck and no data about the responder: its "revoked" is set aside and
    // the signature is INDÉTERMINÉ, never INVALIDE; its "good" is set aside too.
    let s = pki.verifier(
        &avant,
        vec![pki.ocsp("avant", "repondant-controle")],
        vec![],
    );
    assert_eq!(s.statut, Statut::Indetermine, "{s:#?}");
    assert_eq!(s.sous_indication, Some(SousIndication::TryLater));
    assert_eq!(s.code, Some(CodeErreur::OcspRepondantRevocationInconnue));
    assert!(codes_ecartes(&s).contains(&CodeErreur::OcspRepondantRevocationInconnue));
    let s = pki.verifier(&bon, vec![pki.ocsp("bon", "repondant-controle")], vec![]);
    assert_ne!(s.statut, Statut::Invalide);
    assert_eq!(s.revoque, None, "{s:#?}");
    assert!(codes_ecartes(&s).contains(&CodeErreur::OcspRepondantRevocationInconnue));

    // 3. A current CRL that does not list the responder: its answer is used.
    let crl = pki.crl();
    let s = pki.verifier(
        &bon,
        vec![pki.ocsp("bon", "repondant-controle")],
        vec![crl.clone()],
    );
    assert_eq!(s.statut, Statut::Valide, "{s:#?}");
    let c = &s.revocations[0];
    assert_eq!(c.source, Some(SourceRevocation::Ocsp), "{c:#?}");
    assert!(c.ecartees.is_empty(), "{c:#?}");
    let s = pki.verifier(
        &avant,
        vec![pki.ocsp("avant", "repondant-controle")],
        vec![crl],
    );
    assert_eq!(s.statut, Statut::Invalide, "{s:#?}");
    assert!(!codes_ecartes(&s).contains(&CodeErreur::OcspRepondantRevocationInconnue));

    // 4. The responder revoked (the CRL says so): its answers are set aside, the CRL decides.
    let reponse = pki.ocsp("bon", "repondant-controle");
    pki.revoquer("repondant-controle");
    let s = pki.verifier(&bon, vec![reponse], vec![pki.crl()]);
    assert!(
        codes_ecartes(&s).contains(&CodeErreur::OcspRepondantRevoque),
        "{s:#?}"
    );
    assert_eq!(s.revocations[0].source, Some(SourceRevocation::Crl));
    assert_eq!(s.statut, Statut::Valide);
}
