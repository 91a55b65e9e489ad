//! PKCS#12 files as people have them: written by `openssl pkcs12 -export -legacy` (RC2-40
//! certificates, Triple-DES keys, SHA-1 MAC), with RC4 or 2-key 3DES, by Java 17's
//! `keytool` (modern defaults and `keystore.pkcs12.legacy`), and the ones mpe writes read by
//! openssl. Missing `openssl` or `keytool` is a failure.

use std::path::Path;
use std::process::Command;

use mpe::CodeErreur;
use mpe::crypto::bicle::{self, BiCle, GenerationBiCle, load_pkcs12};
use mpe::crypto::dechiffreur::{CleDechiffrement, Courbe, Dechiffreur};

fn outil(prog: &str, args: &[&str], dir: &Path) {
    let out = Command::new(prog)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{prog} introuvable ({e})"));
    assert!(
        out.status.success(),
        "{prog} {args:?} : {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn paire(dir: &Path) -> BiCle {
    let now = chrono::Utc::now() - chrono::Duration::hours(1);
    let b = BiCle::generer(&GenerationBiCle::new("Entreprise"), now).unwrap();
    std::fs::write(
        dir.join("k.pem"),
        bicle::export_pkcs8_pem(b.cle(), None).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("c.pem"), b.certificat_pem().unwrap()).unwrap();
    b
}

#[test]
fn openssl_legacy_pkcs12_files_load() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = paire(d);
    let variantes: &[&[&str]] = &[
        &["-legacy"],
        &[
            "-legacy",
            "-keypbe",
            "PBE-SHA1-RC4-128",
            "-certpbe",
            "PBE-SHA1-RC4-40",
        ],
        &[
            "-legacy",
            "-keypbe",
            "PBE-SHA1-2DES",
            "-certpbe",
            "PBE-SHA1-RC2-128",
        ],
        &[
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    ];
    for v in variantes {
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            "k.pem",
            "-in",
            "c.pem",
            "-out",
            "x.p12",
            "-passout",
            "pass:secret",
        ];
        args.extend(*v);
        outil("openssl", &args, d);
        let p12 = std::fs::read(d.join("x.p12")).unwrap();
        let lu = load_pkcs12(&p12, "secret").unwrap_or_else(|e| panic!("{v:?} : {e}"));
        assert_eq!(lu.certificate(), b.certificate(), "{v:?}");
        assert_eq!(lu.cle(), b.cle(), "{v:?}");
        assert_eq!(
            load_pkcs12(&p12, "autre").unwrap_err().code(),
            CodeErreur::MotDePasseIncorrect,
            "{v:?}"
        );
    }
}

#[test]
fn java_keytool_pkcs12_files_load() {
    for legacy in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut args = vec![];
        if legacy {
            // Java's switch back to RC2-40 / 3DES / SHA-1 MAC.
            args.push("-J-Dkeystore.pkcs12.legacy");
        }
        args.extend([
            "-genkeypair",
            "-storetype",
            "pkcs12",
            "-keystore",
            "j.p12",
            "-storepass",
            "secret123",
            "-alias",
            "cle",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=Java Keytool,O=Entreprise",
            "-validity",
            "30",
        ]);
        outil("keytool", &args, d);
        let p12 = std::fs::read(d.join("j.p12")).unwrap();
        let lu = load_pkcs12(&p12, "secret123")
            .unwrap_or_else(|e| panic!("keytool legacy={legacy} : {e}"));
        assert_eq!(bicle::nom_sujet(lu.certificate()), "Java Keytool");
        assert!(lu.cle().matches(lu.certificate()));
        assert_eq!(
            load_pkcs12(&p12, "mauvais").unwrap_err().code(),
            CodeErreur::MotDePasseIncorrect
        );
    }
}

#[test]
fn mpe_pkcs12_is_modern_and_openssl_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = paire(d);
    std::fs::write(d.join("m.p12"), b.exporter_pkcs12("secret").unwrap()).unwrap();
    let out = Command::new("openssl")
        .args([
            "pkcs12",
            "-info",
            "-in",
            "m.p12",
            "-passin",
            "pass:secret",
            "-nodes",
        ])
        .current_dir(d)
        .output()
        .expect("openssl introuvable");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        info.contains("PBES2") && info.contains("AES-256-CBC"),
        "{info}"
    );
    assert!(!info.contains("RC2") && !info.contains("3DES"), "{info}");
}

#[test]
fn ec_keys_load_from_openssl_pkcs12() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let now = chrono::Utc::now() - chrono::Duration::hours(1);
    let cle = bicle::generer_cle_ec(&GenerationBiCle::new("EC"), Courbe::P384, now).unwrap();
    std::fs::write(d.join("k.pem"), cle.exporter_pkcs8_pem(None).unwrap()).unwrap();
    std::fs::write(
        d.join("c.pem"),
        bicle::certificate_to_pem(cle.certificat_joint().unwrap()).unwrap(),
    )
    .unwrap();
    outil(
        "openssl",
        &[
            "pkcs12", "-export", "-legacy", "-inkey", "k.pem", "-in", "c.pem", "-out", "e.p12",
            "-passout", "pass:s",
        ],
        d,
    );
    let lu =
        CleDechiffrement::charger(&std::fs::read(d.join("e.p12")).unwrap(), Some("s")).unwrap();
    assert_eq!(lu.courbe(), Some(Courbe::P384));
    assert_eq!(lu.certificat(), cle.certificat_joint());
}
