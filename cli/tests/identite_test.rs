//! `mpe bicle identite-test`: a new user makes a test signing identity, signs a PDF and an
//! XML with it, and `mpe verifier` with the test CA as anchor says VALIDE and never
//! « adapté pour les marchés publics ». Independent checks: `openssl verify` accepts the
//! chain, `openssl pkcs12` reads the file (AES-256, PBKDF2), pyHanko validates the PDF with
//! the test CA as its only trust root. A missing openssl or pyHanko is a failure.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use commun::{code, mpe, ok};

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn outil(prog: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::new(prog)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{prog} introuvable : {e}"));
    let texte = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{prog} {args:?} : {texte}");
    texte
}

/// pyHanko from the project's virtual environment (`.venv`, as the test command makes it),
/// else from PATH.
fn pyhanko() -> String {
    let venv = racine().join(".venv/bin/pyhanko");
    if venv.exists() {
        return venv.display().to_string();
    }
    "pyhanko".into()
}

#[test]
fn identite_de_test_signer_puis_verifier() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::write(dir.join("mdp.txt"), "essai-mdp\n").unwrap();
    std::fs::copy(
        racine().join("tests/vectors/signature/simple.pdf"),
        dir.join("acte.pdf"),
    )
    .unwrap();
    std::fs::write(dir.join("offre.xml"), "<offre><prix>100</prix></offre>\n").unwrap();

    let o = mpe(
        dir,
        &[
            "bicle",
            "identite-test",
            "--sujet",
            "CN=Jeanne Essai,O=Exemple SA,C=FR",
            "--fichier-mot-de-passe",
            "mdp.txt",
            "--dossier",
            "essai",
            "--json",
        ],
    );
    ok(&o);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["test"], true);
    let p12 = dir.join("essai/identite-test.p12");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p12).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "le PKCS#12 n'est lisible que par son propriétaire"
        );
    }

    // Independent tools: the chain and the PKCS#12.
    outil(
        "openssl",
        &[
            "verify",
            "-CAfile",
            "essai/ac-test.cert.pem",
            "essai/identite-test.cert.pem",
        ],
        dir,
    );
    let sujet = outil(
        "openssl",
        &[
            "x509",
            "-in",
            "essai/identite-test.cert.pem",
            "-noout",
            "-subject",
            "-ext",
            "keyUsage",
        ],
        dir,
    );
    assert!(sujet.contains("IDENTITE DE TEST"), "{sujet}");
    assert!(
        sujet.contains("Digital Signature, Non Repudiation"),
        "{sujet}"
    );
    let info = outil(
        "openssl",
        &[
            "pkcs12",
            "-in",
            "essai/identite-test.p12",
            "-passin",
            "pass:essai-mdp",
            "-noout",
            "-info",
        ],
        dir,
    );
    assert!(
        info.contains("AES-256-CBC") && info.contains("PBKDF2"),
        "{info}"
    );

    // Sign a PDF and an XML with it, verify with the test CA as anchor.
    for (format, entree, signe) in [
        ("pades", "acte.pdf", "acte-signe.pdf"),
        ("xades", "offre.xml", "offre.sig.xml"),
    ] {
        ok(&mpe(
            dir,
            &[
                "signer",
                "--format",
                format,
                "--p12",
                "essai/identite-test.p12",
                "--fichier-mot-de-passe",
                "mdp.txt",
                entree,
                "-o",
                signe,
            ],
        ));
        let mut args = vec![
            "verifier",
            "--confiance",
            "essai/ac-test.cert.pem",
            "--json",
            signe,
        ];
        if format == "xades" {
            args.extend(["--fichier-signe", entree]);
        }
        let v = mpe(dir, &args);
        ok(&v);
        let r: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
        let texte = r.to_string();
        assert!(texte.contains("\"statut\":\"VALIDE\""), "{texte}");
        assert!(
            !texte.contains("\"adapte_marches_publics\":true"),
            "une identité de test n'est jamais adaptée : {texte}"
        );
        // Without the anchor, nothing trusts the test CA.
        let sans = mpe(
            dir,
            &if format == "xades" {
                vec!["verifier", signe, "--fichier-signe", entree]
            } else {
                vec!["verifier", signe]
            },
        );
        code(&sans, 2);
    }

    // pyHanko, with the test CA as its only trust root.
    let p = outil(
        &pyhanko(),
        &[
            "sign",
            "validate",
            "--trust",
            "essai/ac-test.cert.pem",
            "--trust-replace",
            "--no-revocation-check",
            "acte-signe.pdf",
        ],
        dir,
    );
    assert!(p.contains("INTACT:TRUSTED"), "pyHanko : {p}");
}

#[test]
fn identite_de_test_refusee_sans_mot_de_passe_ni_sujet() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let o = mpe(
        dir,
        &[
            "bicle",
            "identite-test",
            "--sujet",
            "CN=X",
            "--dossier",
            "essai",
        ],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(!dir.join("essai/identite-test.p12").exists());
    std::fs::write(dir.join("mdp.txt"), "m\n").unwrap();
    let o = mpe(
        dir,
        &[
            "bicle",
            "identite-test",
            "--sujet",
            "pas un nom",
            "--fichier-mot-de-passe",
            "mdp.txt",
            "--dossier",
            "essai",
        ],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("pas un nom"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.join("essai/identite-test.p12").exists());
}
