//! `mpe verifier` with what a host supplies (intermediates, CRLs, the validation time, named
//! detached documents, the full JSON report) and `mpe signer --forcer`, each on real files:
//! the shared corpus (`MPE_CORPUS`, else `../shared/corpus` beside the repository) and the
//! test vectors made by OpenSSL (`tests/vectors/signature`).

mod commun;

use std::path::{Path, PathBuf};

use commun::{code, mpe, ok};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature")
}

fn corpus() -> PathBuf {
    let dir = std::env::var_os("MPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    assert!(dir.is_dir(), "corpus introuvable : {}", dir.display());
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON illisible ({e}) : {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// Sign `fichier` in `dir` as CAdES and return the `.p7s` name.
fn signer_cades(
    dir: &Path,
    cle: &Path,
    cert: &Path,
    fichier: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "signer",
        "--format",
        "cades",
        "--cle",
        s(cle),
        "--certificat",
        s(cert),
        fichier,
        "-o",
        "sig.p7s",
    ];
    args.extend_from_slice(extra);
    mpe(dir, &args)
}

#[test]
fn intermediaire_repetable() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = vectors();
    // The leaf alone (the vector file carries leaf + intermediate).
    let pem = std::fs::read_to_string(v.join("sous-signataire.pem")).unwrap();
    let fin = pem.find("-----END CERTIFICATE-----").unwrap() + "-----END CERTIFICATE-----\n".len();
    std::fs::write(p.join("feuille.pem"), &pem[..fin]).unwrap();
    std::fs::write(p.join("offre.txt"), b"offre").unwrap();
    let ca = v.join("ca.pem");
    let inter_expire = v.join("intermediaire-expire.pem");
    let inter = v.join("intermediaire.pem");
    ok(&signer_cades(
        p,
        &v.join("sous-signataire.key"),
        &p.join("feuille.pem"),
        "offre.txt",
        &[],
    ));
    let base = [
        "verifier",
        "--confiance",
        s(&ca),
        "--fichier-signe",
        "offre.txt",
        "sig.p7s",
        "--json",
    ];
    // Without the intermediate no chain reaches the anchor: INDETERMINE.
    let o = mpe(p, &base);
    code(&o, 2);
    assert_eq!(json(&o)["signatures"][0]["chaine_approuvee"], false);
    let mut args = base.to_vec();
    args.extend(["--intermediaire", s(&inter_expire)]);
    args.extend(["--intermediaire", s(&inter)]);
    let o = mpe(p, &args);
    ok(&o);
    assert_eq!(json(&o)["statut"], "VALIDE");
    // Not a certificate: a typed input error naming the file.
    let o = mpe(
        p,
        &[
            "verifier",
            "--intermediaire",
            "offre.txt",
            "--fichier-signe",
            "offre.txt",
            "sig.p7s",
        ],
    );
    code(&o, 7);
    assert!(String::from_utf8_lossy(&o.stderr).contains("CLE_INVALIDE"));
}

#[test]
fn crl_pem_et_der() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = vectors();
    std::fs::write(p.join("offre.txt"), b"offre").unwrap();
    // Signed now, after the revocation the CRL records (2026-11-28).
    ok(&signer_cades(
        p,
        &v.join("revoque.key"),
        &v.join("revoque.pem"),
        "offre.txt",
        &[],
    ));
    let ca = v.join("ca.pem");
    let o = mpe(
        p,
        &[
            "verifier",
            "--confiance",
            s(&ca),
            "--fichier-signe",
            "offre.txt",
            "sig.p7s",
            "--json",
        ],
    );
    assert_eq!(
        json(&o)["signatures"][0]["revoque"],
        serde_json::Value::Null
    );
    for crl in ["crl.pem", "crl.der"] {
        let o = mpe(
            p,
            &[
                "verifier",
                "--confiance",
                s(&ca),
                "--crl",
                s(&v.join(crl)),
                "--crl",
                s(&v.join("crl-racine.der")),
                "--fichier-signe",
                "offre.txt",
                "sig.p7s",
                "--json",
            ],
        );
        code(&o, 1);
        let r = json(&o);
        assert_eq!(r["signatures"][0]["code"], "CERTIFICAT_REVOQUE", "{crl}");
        assert_eq!(r["signatures"][0]["revoque"], true);
    }
    let o = mpe(
        p,
        &[
            "verifier",
            "--crl",
            "offre.txt",
            "--fichier-signe",
            "offre.txt",
            "sig.p7s",
        ],
    );
    code(&o, 7);
}

#[test]
fn date_de_verification_intermediaire_et_json_des_revisions() {
    let c = corpus();
    let pdf = c.join("signatures/pades/pyhanko/pades-lta-dss-indirect-arrs-test.pdf");
    let racine = c.join("signatures/trust/pyhanko/testing-ca-root.cert.pem");
    let interm = c.join("signatures/trust/pyhanko/testing-ca-interm.cert.pem");
    let d = tempfile::tempdir().unwrap();
    let avec = |date: Option<&str>| {
        let mut a = vec![
            "verifier",
            "--confiance",
            s(&racine),
            "--intermediaire",
            s(&interm),
            s(&pdf),
            "--json",
        ];
        if let Some(date) = date {
            a.extend(["--date-verification", date]);
        }
        mpe(d.path(), &a)
    };
    // The source froze its clock at 2020-11-01: VALIDE then.
    let o = avec(Some("2020-11-01T00:00:00Z"));
    ok(&o);
    let r = json(&o);
    assert_eq!(r["statut"], "VALIDE");
    // The full report: the later revisions (DSS, document timestamp) and their changes.
    let revisions = r["signatures"][0]["pdf"]["revisions"].as_array().unwrap();
    assert!(!revisions.is_empty());
    assert!(revisions.iter().all(|rv| {
        rv["changements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["autorise"] == true)
    }));
    // Not an instant: a typed input error.
    code(&avec(Some("hier")), 4);
}

#[test]
fn document_nomme_pour_une_xades_detachee() {
    let c = corpus();
    let xml = c.join("signatures/xades/dss/Signature-X-HU_MIC-1.xml");
    let doc = c.join("signatures/xades/dss/Signature-X-HU_MIC-1.xml.doc.txt");
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("autre.txt"), b"autre").unwrap();
    // No anchor given: intact, INDETERMINE (exit 2).
    let arg = format!("doc.txt={}", s(&doc));
    let o = mpe(
        d.path(),
        &["verifier", "--document", &arg, s(&xml), "--json"],
    );
    code(&o, 2);
    assert_eq!(json(&o)["signatures"][0]["integrite"], true);
    let o = mpe(
        d.path(),
        &["verifier", "--document", "doc.txt=autre.txt", s(&xml)],
    );
    code(&o, 1);
    // Missing: the signature family's exit code, the option named.
    let o = mpe(d.path(), &["verifier", s(&xml)]);
    code(&o, 8);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("FICHIER_SIGNE_MANQUANT") && err.contains("--document"),
        "{err}"
    );
    code(
        &mpe(d.path(), &["verifier", "--document", "doc.txt", s(&xml)]),
        4,
    );
}

#[test]
fn signer_forcer() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = vectors();
    std::fs::write(p.join("offre.txt"), b"offre").unwrap();
    // A certificate expired in 2012: refused before signing, nothing written.
    let o = signer_cades(
        p,
        &v.join("expire.key"),
        &v.join("expire.pem"),
        "offre.txt",
        &[],
    );
    code(&o, 8);
    assert!(String::from_utf8_lossy(&o.stderr).contains("CERTIFICAT_HORS_VALIDITE"));
    assert!(!p.join("sig.p7s").exists());
    // --forcer signs anyway, and mpe does not call the result VALIDE.
    ok(&signer_cades(
        p,
        &v.join("expire.key"),
        &v.join("expire.pem"),
        "offre.txt",
        &["--forcer"],
    ));
    let o = mpe(
        p,
        &[
            "verifier",
            "--confiance",
            s(&v.join("ca.pem")),
            "--fichier-signe",
            "offre.txt",
            "sig.p7s",
            "--json",
        ],
    );
    assert!(matches!(o.status.code(), Some(1) | Some(2)));
    assert_eq!(
        json(&o)["signatures"][0]["certificat_valide_a_la_signature"],
        false
    );
}
