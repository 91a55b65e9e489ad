//! A SoftHSM2 token made for the test (its own SOFTHSM2_CONF in a temporary folder), keys
//! and certificates imported with OpenSC's `pkcs11-tool`: mpe lists it, refuses a wrong
//! PIN with a typed error, decrypts envelopes `openssl cms -encrypt` made for the token's
//! RSA and EC certificates with the key staying on the token, and signs a digest there
//! that `openssl dgst -verify` accepts. Missing softhsm2 / opensc / openssl is a failure.
//!
//! SoftHSM reads SOFTHSM2_CONF when the module initialises, so the test runs itself again
//! as a child process with that variable (no `set_var` in a threaded test).
#![cfg(feature = "pkcs11")]

use std::path::Path;
use std::process::Command;

use mpe::CodeErreur;
use mpe::crypto::cms::{self, Cle, OptionsDechiffrement};
use mpe::crypto::dechiffreur::Hachage;
use mpe::crypto::pkcs11::ModulePkcs11;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const JETON: &str = "mpe-test";
const PIN: &str = "123456";

fn outil(prog: &str, args: &[&str], dir: &Path, conf: Option<&Path>) {
    let mut c = Command::new(prog);
    c.args(args).current_dir(dir);
    if let Some(conf) = conf {
        c.env("SOFTHSM2_CONF", conf);
    }
    let out = c.output().unwrap_or_else(|e| {
        panic!("{prog} introuvable ({e}) : paquets Debian softhsm2, opensc, openssl")
    });
    assert!(
        out.status.success(),
        "{prog} {args:?} : {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn plain() -> Vec<u8> {
    (0..50_000u32).map(|i| (i * 13 % 251) as u8).collect()
}

/// Make the token: init, then an RSA and a P-256 key pair with self-signed certificates.
fn preparer(d: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(d.join("jetons")).unwrap();
    let conf = d.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            d.join("jetons").display()
        ),
    )
    .unwrap();
    let c = Some(conf.as_path());
    outil(
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            JETON,
            "--pin",
            PIN,
            "--so-pin",
            "654321",
        ],
        d,
        c,
    );
    for (nom, id, genre) in [("cle-rsa", "01", "rsa"), ("cle-ec", "02", "ec")] {
        let gen_args: Vec<&str> = if genre == "rsa" {
            vec![
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
            ]
        } else {
            vec![
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
            ]
        };
        let k = format!("{nom}.pem");
        let mut a = gen_args.clone();
        a.push(&k);
        outil("openssl", &a, d, None);
        let ku = if genre == "rsa" {
            "keyUsage=critical,digitalSignature,keyEncipherment"
        } else {
            "keyUsage=critical,digitalSignature,keyAgreement"
        };
        let cp = format!("{nom}.crt.pem");
        outil(
            "openssl",
            &[
                "req",
                "-new",
                "-x509",
                "-key",
                &k,
                "-subj",
                &format!("/CN=Jeton {nom}"),
                "-days",
                "30",
                "-addext",
                ku,
                "-out",
                &cp,
            ],
            d,
            None,
        );
        let kd = format!("{nom}.der");
        outil(
            "openssl",
            &[
                "pkcs8", "-topk8", "-nocrypt", "-in", &k, "-outform", "DER", "-out", &kd,
            ],
            d,
            None,
        );
        let cd = format!("{nom}.crt.der");
        outil(
            "openssl",
            &["x509", "-in", &cp, "-outform", "DER", "-out", &cd],
            d,
            None,
        );
        for (fichier, genre_objet) in [(&kd, "privkey"), (&cd, "cert")] {
            let mut a = vec![
                "--module",
                MODULE,
                "--token-label",
                JETON,
                "--login",
                "--pin",
                PIN,
                "--write-object",
                fichier,
                "--type",
                genre_objet,
                "--id",
                id,
                "--label",
                nom,
            ];
            if genre == "ec" && genre_objet == "privkey" {
                // An ECDH key must allow derivation (CKA_DERIVE).
                a.push("--usage-derive");
            }
            outil("pkcs11-tool", &a, d, c);
        }
    }
    conf
}

#[test]
fn jeton_softhsm() {
    if std::env::var_os("MPE_TEST_JETON").is_none() {
        let dir = tempfile::tempdir().unwrap();
        let conf = preparer(dir.path());
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "jeton_softhsm", "--nocapture"])
            .env("SOFTHSM2_CONF", &conf)
            .env("MPE_TEST_JETON", dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let d = std::path::PathBuf::from(std::env::var_os("MPE_TEST_JETON").unwrap());
    let d = d.as_path();
    let module = ModulePkcs11::charger(Path::new(MODULE)).unwrap();
    let jetons = module.jetons().unwrap();
    assert!(jetons.iter().any(|j| j.libelle == JETON), "{jetons:?}");
    assert_eq!(
        module.ouvrir("absent", Some(PIN)).unwrap_err().code(),
        CodeErreur::JetonAbsent
    );
    assert_eq!(
        module.ouvrir(JETON, Some("000000")).unwrap_err().code(),
        CodeErreur::PinIncorrect
    );
    let session = module.ouvrir(JETON, Some(PIN)).unwrap();
    let certs = session.certificats(chrono::Utc::now()).unwrap();
    assert_eq!(certs.len(), 2, "{certs:?}");
    for c in &certs {
        // Self-signed test certificates are not qualified: the column says why.
        assert!(!c.conformite.adapte);
        assert!(
            c.conformite
                .raisons
                .iter()
                .any(|r| r.contains("non qualifié")),
            "{:?}",
            c.conformite
        );
    }
    assert_eq!(
        session.cle("inconnue").unwrap_err().code(),
        CodeErreur::CleAbsenteDuJeton
    );

    // Envelopes made by openssl for the token's certificates open with the token.
    std::fs::write(d.join("plain"), plain()).unwrap();
    for (nom, extra) in [
        ("cle-rsa", vec![]),
        // SoftHSM 2.6 does RSA-OAEP with SHA-1 only (other hashes: CKR_ARGUMENTS_BAD).
        ("cle-rsa", vec!["-keyopt", "rsa_padding_mode:oaep"]),
        ("cle-ec", vec![]),
    ] {
        let cert = format!("{nom}.crt.pem");
        let mut args = vec![
            "cms",
            "-encrypt",
            "-binary",
            "-aes-256-gcm",
            "-in",
            "plain",
            "-outform",
            "DER",
            "-out",
            "env.der",
            "-recip",
            &cert,
        ];
        args.extend(extra.iter().copied());
        outil("openssl", &args, d, None);
        let cle = session.cle(nom).unwrap();
        let env = std::fs::read(d.join("env.der")).unwrap();
        let (v, _) = cms::dechiffrer(&env, &[Cle::Privee(&cle)], &OptionsDechiffrement::default())
            .unwrap_or_else(|e| panic!("{nom} {extra:?} : {e}"));
        assert_eq!(v, plain(), "{nom}");
    }

    // A digest signed on the token verifies with openssl.
    let cle = session.cle("cle-rsa").unwrap();
    let empreinte = <sha2::Sha256 as sha2::Digest>::digest(plain());
    let sig = cle.signer_empreinte(Hachage::Sha256, &empreinte).unwrap();
    std::fs::write(d.join("sig"), sig).unwrap();
    outil(
        "openssl",
        &[
            "x509",
            "-in",
            "cle-rsa.crt.pem",
            "-pubkey",
            "-noout",
            "-out",
            "pub.pem",
        ],
        d,
        None,
    );
    outil(
        "openssl",
        &[
            "dgst",
            "-sha256",
            "-verify",
            "pub.pem",
            "-signature",
            "sig",
            "plain",
        ],
        d,
        None,
    );

    // CAdES through the split signing API: prepare, the token signs the digest, assemble;
    // openssl checks the result (RSA, and ECDSA whose r||s the assembler takes).
    for nom in ["cle-rsa", "cle-ec"] {
        let cle = session.cle(nom).unwrap();
        let signataire =
            mpe::signature::Signataire::externe(vec![cle.certificat_jeton().clone()]).unwrap();
        let prep = mpe::signature::preparer(
            mpe::signature::FormatSignature::CAdES,
            mpe::signature::DonneesSignees::Octets(&plain()),
            &signataire,
            &mpe::signature::OptionsSignature::new(chrono::Utc::now()),
        )
        .unwrap();
        assert_eq!(
            prep.algorithme_empreinte,
            mpe::signature::AlgorithmeEmpreinte::Sha256
        );
        let valeur = cle
            .signer_empreinte(Hachage::Sha256, &prep.empreinte)
            .unwrap();
        let p7s = prep
            .assembler(&valeur)
            .unwrap_or_else(|e| panic!("{nom} : {e}"));
        std::fs::write(d.join("s.p7s"), p7s).unwrap();
        outil(
            "openssl",
            &[
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                "s.p7s",
                "-content",
                "plain",
                "-noverify",
                "-out",
                "/dev/null",
            ],
            d,
            None,
        );
    }
}
