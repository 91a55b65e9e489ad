//! `mpe signer --pkcs11`: CAdES, XAdES and PAdES signed with a key that stays on a SoftHSM2
//! token (made by `tests/pkcs11/jeton_softhsm.sh` with OpenSC's pkcs11-tool), checked by
//! `openssl cms -verify` and by `mpe verifier` with the token's certificate as anchor; a
//! wrong PIN, an unknown key and a missing PIN give their typed codes and leave no file.
//! softhsm2, opensc and openssl missing are failures.

mod commun;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use commun::{code, ok};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// A fresh token in `dir`; returns the SoftHSM2 configuration to export.
fn jeton(dir: &Path) -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/pkcs11/jeton_softhsm.sh");
    let o = Command::new("bash")
        .arg(&script)
        .arg(dir)
        .output()
        .expect("bash");
    assert!(
        o.status.success(),
        "{} : {}",
        script.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    dir.join("softhsm2.conf")
}

/// `mpe` with the token's configuration and the PIN in `MPE_PIN`.
fn mpe(dir: &Path, conf: &Path, pin: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(dir)
        .env("SOFTHSM2_CONF", conf)
        .env("MPE_PIN", pin)
        .args(args)
        .output()
        .unwrap()
}

fn signer(
    dir: &Path,
    conf: &Path,
    pin: &str,
    format: &str,
    cle: &str,
    entree: &str,
    sortie: &str,
) -> Output {
    mpe(
        dir,
        conf,
        pin,
        &[
            "signer",
            "--format",
            format,
            "--pkcs11",
            MODULE,
            "--jeton",
            "mpe-test",
            "--cle",
            cle,
            "--variable-pin",
            "MPE_PIN",
            entree,
            "-o",
            sortie,
        ],
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn signer_avec_la_cle_du_jeton() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let conf = jeton(d);
    std::fs::write(d.join("offre.txt"), "Offre de l'entreprise, lot 1\n").unwrap();

    // CAdES with the RSA key, checked by openssl against the token's certificate.
    ok(&signer(
        d,
        &conf,
        "123456",
        "cades",
        "cle-rsa",
        "offre.txt",
        "offre.p7s",
    ));
    let v = Command::new("openssl")
        .current_dir(d)
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "offre.p7s",
            "-content",
            "offre.txt",
            "-CAfile",
            "cle-rsa.crt.pem",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ])
        .output()
        .expect("openssl");
    assert!(v.status.success(), "openssl cms -verify : {}", stderr(&v));

    // XAdES with the EC key: VALIDE for mpe with that certificate as anchor.
    ok(&signer(
        d,
        &conf,
        "123456",
        "xades",
        "cle-ec",
        "offre.txt",
        "offre.xml",
    ));
    let v = mpe(
        d,
        &conf,
        "",
        &[
            "verifier",
            "--confiance",
            "cle-ec.crt.pem",
            "offre.xml",
            "--fichier-signe",
            "offre.txt",
        ],
    );
    ok(&v);

    // PAdES with the RSA key, on a PDF of the signature vectors.
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature/simple.pdf");
    std::fs::copy(&pdf, d.join("acte.pdf")).unwrap();
    ok(&signer(
        d,
        &conf,
        "123456",
        "pades",
        "cle-rsa",
        "acte.pdf",
        "acte-signe.pdf",
    ));
    ok(&mpe(
        d,
        &conf,
        "",
        &[
            "verifier",
            "--confiance",
            "cle-rsa.crt.pem",
            "acte-signe.pdf",
        ],
    ));
}

#[test]
fn erreurs_typees_sans_fichier_laisse() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let conf = jeton(d);
    std::fs::write(d.join("offre.txt"), "Offre\n").unwrap();

    let o = signer(
        d,
        &conf,
        "000000",
        "cades",
        "cle-rsa",
        "offre.txt",
        "faux.p7s",
    );
    code(&o, 7);
    assert!(stderr(&o).contains("PIN_INCORRECT"), "{}", stderr(&o));
    assert!(!d.join("faux.p7s").exists());

    let o = signer(
        d,
        &conf,
        "123456",
        "cades",
        "cle-absente",
        "offre.txt",
        "faux.p7s",
    );
    assert!(
        stderr(&o).contains("CLE_ABSENTE_DU_JETON"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("faux.p7s").exists());

    // --pkcs11 without --jeton is a usage error (3).
    let o = mpe(
        d,
        &conf,
        "123456",
        &[
            "signer",
            "--format",
            "cades",
            "--pkcs11",
            MODULE,
            "--cle",
            "cle-rsa",
            "offre.txt",
        ],
    );
    code(&o, 3);
}
