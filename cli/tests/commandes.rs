//! The crypto and signature subcommands, success and failure paths: exit codes, outputs
//! checked by openssl, and no output file left behind on failure.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use commun::{mpe, ok};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature")
}

#[test]
fn keygen_encrypt_decrypt_and_openssl_agrees() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("mdp.txt"), "s3cret\n").unwrap();
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "Jean DUPONT",
            "--p12",
            "--fichier-mot-de-passe",
            "mdp.txt",
            "--dossier",
            "cles",
        ],
    ));
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "Ville",
            "--secours",
            "--sans-mot-de-passe",
            "--dossier",
            "cles",
            "--json",
        ],
    ));
    let cert = std::fs::read_to_string(p.join("cles/Jean DUPONT.cert.pem")).unwrap();
    assert!(cert.contains("BEGIN CERTIFICATE"));
    assert!(
        std::fs::read_to_string(p.join("cles/Jean DUPONT.key.pem"))
            .unwrap()
            .contains("ENCRYPTED PRIVATE KEY")
    );
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(p.join("offre.zip"), &data).unwrap();
    for (cipher, kt) in [("aes-256-gcm", "oaep"), ("aes-256-cbc", "pkcs1v15")] {
        ok(&mpe(
            p,
            &[
                "chiffrer",
                "--destinataire",
                "cles/Jean DUPONT.cert.pem",
                "--destinataire",
                "cles/Ville.cert.pem",
                "--chiffrement",
                cipher,
                "--transport-cle",
                kt,
                "offre.zip",
                "-o",
                "offre.p7m",
            ],
        ));
        // openssl opens it with the emergency key.
        let o = Command::new("openssl")
            .current_dir(p)
            .args([
                "cms",
                "-decrypt",
                "-inform",
                "DER",
                "-in",
                "offre.p7m",
                "-inkey",
                "cles/Ville.key.pem",
                "-recip",
                "cles/Ville.cert.pem",
                "-out",
                "par-openssl.zip",
            ])
            .output()
            .unwrap();
        ok(&o);
        assert_eq!(std::fs::read(p.join("par-openssl.zip")).unwrap(), data);
        // mpe opens it with the PKCS#12, and with the encrypted PEM key (certificate found beside it).
        ok(&mpe(
            p,
            &[
                "dechiffrer",
                "--p12",
                "cles/Jean DUPONT.p12",
                "--fichier-mot-de-passe",
                "mdp.txt",
                "offre.p7m",
                "-o",
                "a.zip",
            ],
        ));
        assert_eq!(std::fs::read(p.join("a.zip")).unwrap(), data);
        ok(&mpe(
            p,
            &[
                "dechiffrer",
                "--cle",
                "cles/Jean DUPONT.key.pem",
                "--fichier-mot-de-passe",
                "mdp.txt",
                "offre.p7m",
                "-o",
                "b.zip",
            ],
        ));
        assert_eq!(std::fs::read(p.join("b.zip")).unwrap(), data);
    }
}

#[test]
fn decrypt_failures_leave_no_output() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "A",
            "--sans-mot-de-passe",
            "--dossier",
            "k",
        ],
    ));
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "B",
            "--sans-mot-de-passe",
            "--dossier",
            "k",
        ],
    ));
    std::fs::write(p.join("f.bin"), vec![42u8; 5000]).unwrap();
    ok(&mpe(
        p,
        &[
            "chiffrer",
            "--destinataire",
            "k/A.cert.pem",
            "f.bin",
            "-o",
            "f.p7m",
        ],
    ));
    // Wrong key.
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            "k/B.key.pem",
            "f.p7m",
            "-o",
            "out.bin",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("AUCUN_DESTINATAIRE"));
    assert!(!p.join("out.bin").exists());
    // Tampered GCM tag: error, no output.
    let mut env = std::fs::read(p.join("f.p7m")).unwrap();
    let n = env.len();
    env[n - 3] ^= 1;
    std::fs::write(p.join("t.p7m"), &env).unwrap();
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            "k/A.key.pem",
            "t.p7m",
            "-o",
            "out.bin",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!p.join("out.bin").exists());
    assert!(
        std::fs::read_dir(p).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("tmp"))
    );
    // Garbage and missing files.
    std::fs::write(p.join("g.p7m"), b"not a cms").unwrap();
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            "k/A.key.pem",
            "g.p7m",
            "-o",
            "out.bin",
        ],
    );
    assert!(o.status.code().unwrap() >= 3);
    assert!(!p.join("out.bin").exists());
    let o = mpe(
        p,
        &[
            "chiffrer",
            "--destinataire",
            "k/absent.pem",
            "f.bin",
            "-o",
            "x.p7m",
        ],
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(!p.join("x.p7m").exists());
    // Usage: --key and --p12 together.
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            "k/A.key.pem",
            "--p12",
            "x.p12",
            "f.p7m",
            "-o",
            "o",
        ],
    );
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn sign_and_verify_the_three_formats() {
    sign_and_verify("signataire");
}

/// An ECDSA P-256 key (SEC 1) whose certificate file carries its ECDSA intermediate.
#[test]
fn sign_and_verify_the_three_formats_ecdsa() {
    sign_and_verify("sous-ec");
}

fn sign_and_verify(who: &str) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = vectors();
    let key = v.join(format!("{who}.key"));
    let cert = v.join(format!("{who}.pem"));
    let ca = v.join("ca.pem");
    std::fs::copy(v.join("simple.pdf"), p.join("acte.pdf")).unwrap();
    std::fs::write(p.join("offre.zip"), b"contenu de l'offre").unwrap();
    for (format, file) in [
        ("pades", "acte.pdf"),
        ("cades", "offre.zip"),
        ("xades", "offre.zip"),
    ] {
        ok(&mpe(
            p,
            &[
                "signer",
                "--format",
                format,
                "--cle",
                key.to_str().unwrap(),
                "--certificat",
                cert.to_str().unwrap(),
                file,
            ],
        ));
    }
    let signed: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(" - Signature 1."))
        .collect();
    assert_eq!(signed.len(), 3, "{signed:?}");
    for s in &signed {
        // The signed file of detached signatures is found from the name.
        let o = mpe(
            p,
            &["verifier", "--confiance", ca.to_str().unwrap(), s, "--json"],
        );
        ok(&o);
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(report["statut"], "VALIDE", "{s}");
        // Without the trust anchor: not valid (indeterminate or invalid), never exit 0.
        let o = mpe(p, &["verifier", s]);
        assert!(matches!(o.status.code(), Some(1) | Some(2)), "{s}");
    }
    // openssl verifies the CAdES signature.
    let p7s = signed.iter().find(|n| n.ends_with(".p7s")).unwrap();
    let o = Command::new("openssl")
        .current_dir(p)
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            p7s,
            "-content",
            "offre.zip",
            "-CAfile",
            ca.to_str().unwrap(),
            "-out",
            "/dev/null",
        ])
        .output()
        .unwrap();
    ok(&o);
    // A modified file makes the detached signatures invalid (exit 1).
    std::fs::write(p.join("offre.zip"), b"contenu modifie").unwrap();
    for s in signed.iter().filter(|n| !n.ends_with(".pdf")) {
        let o = mpe(p, &["verifier", "--confiance", ca.to_str().unwrap(), s]);
        assert_eq!(o.status.code(), Some(1), "{s}");
    }
    // A detached signature whose signed file cannot be found: error code, exit 8.
    std::fs::write(
        p.join("jeton.xml"),
        std::fs::read(p.join(signed.iter().find(|n| n.ends_with(".xml")).unwrap())).unwrap(),
    )
    .unwrap();
    let o = mpe(p, &["verifier", "jeton.xml"]);
    assert_eq!(o.status.code(), Some(8));
    assert!(String::from_utf8_lossy(&o.stderr).contains("FICHIER_SIGNE_MANQUANT"));
    // Garbage is not a signature.
    std::fs::write(p.join("rien.bin"), b"\x00\x01garbage").unwrap();
    assert!(mpe(p, &["verifier", "rien.bin"]).status.code().unwrap() >= 3);
}

/// A long-term level whose TSA does not answer, in each format: an error with its code, and
/// no signed file left beside the input (not even the B-B one).
#[test]
fn long_term_level_refused_leaves_no_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = vectors();
    std::fs::copy(v.join("simple.pdf"), p.join("acte.pdf")).unwrap();
    std::fs::write(p.join("offre.zip"), b"contenu de l'offre").unwrap();
    // Port 9 (discard) on loopback: nothing listens, the TSA is unreachable at once.
    for (format, file, niveau, attendu) in [
        ("cades", "offre.zip", "lta", "HORODATAGE_INJOIGNABLE"),
        ("xades", "offre.zip", "lt", "HORODATAGE_INJOIGNABLE"),
        ("pades", "acte.pdf", "lt", "HORODATAGE_INJOIGNABLE"),
    ] {
        let o = mpe(
            p,
            &[
                "signer",
                "--format",
                format,
                "--niveau",
                niveau,
                "--tsa",
                "http://127.0.0.1:9/",
                "--cle",
                v.join("signataire.key").to_str().unwrap(),
                "--certificat",
                v.join("signataire.pem").to_str().unwrap(),
                file,
            ],
        );
        assert_ne!(o.status.code(), Some(0), "{format} {niveau}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(attendu), "{format} {niveau}: {err}");
        let restes: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("Signature"))
            .collect();
        assert!(restes.is_empty(), "{format} {niveau}: {restes:?}");
    }
}
