//! OpenSSL as the independent oracle of envelopes: `openssl cms -decrypt` opens what mpe
//! encrypts to EC recipients (P-256, P-384, P-521, X25519), and mpe opens what
//! `openssl cms -encrypt` writes — EC recipients, RSA-OAEP with every digest and MGF1
//! digest, AES-128/192 CBC, AES-GCM, Triple-DES (legacy option), passwords (PWRI), KEKs —
//! in DER, BER (`-stream`), PEM and S/MIME, with a key and its certificate or the key
//! alone. A missing `openssl` is a failure.

use std::path::Path;
use std::process::Command;

use mpe::CodeErreur;
use mpe::crypto::bicle::{self, BiCle, GenerationBiCle};
use mpe::crypto::cms::{self, Chiffrement, Cle, OptionsChiffrement, OptionsDechiffrement};
use mpe::crypto::dechiffreur::{CleDechiffrement, Courbe, Dechiffreur};

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::hours(1)
}

fn openssl(args: &[&str], dir: &Path) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl introuvable : installer le paquet Debian openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn plain() -> Vec<u8> {
    (0..70_000u32).map(|i| (i * 7 % 253) as u8).collect()
}

/// An EC key made by mpe, written as PKCS#8 and certificate PEM for openssl.
fn cle_ec(courbe: Courbe, dir: &Path) -> CleDechiffrement {
    let cle = bicle::generer_cle_ec(&GenerationBiCle::new("Acheteur EC"), courbe, now()).unwrap();
    std::fs::write(dir.join("k.pem"), cle.exporter_pkcs8_pem(None).unwrap()).unwrap();
    std::fs::write(
        dir.join("c.pem"),
        bicle::certificate_to_pem(cle.certificat_joint().unwrap()).unwrap(),
    )
    .unwrap();
    cle
}

// OpenSSL 3.0 has no X25519 key agreement in CMS (cms_env.c knows DH, EC and RSA keys
// only): X25519 envelopes are checked against the LAMPS sample (corpus) for reading, and
// by round trip below for writing.
#[test]
fn openssl_opens_what_mpe_encrypts_to_ec_recipients() {
    for courbe in [Courbe::P256, Courbe::P384, Courbe::P521] {
        for chiffrement in [Chiffrement::Aes256Gcm, Chiffrement::Aes256Cbc] {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            let cle = cle_ec(courbe, d);
            let env = cms::encrypt(
                &plain(),
                &[cle.certificat_joint().unwrap().clone()],
                &OptionsChiffrement {
                    chiffrement,
                    ..Default::default()
                },
            )
            .unwrap();
            std::fs::write(d.join("env.der"), &env).unwrap();
            openssl(
                &[
                    "cms", "-decrypt", "-binary", "-inform", "DER", "-in", "env.der", "-inkey",
                    "k.pem", "-recip", "c.pem", "-out", "clair",
                ],
                d,
            );
            assert_eq!(
                std::fs::read(d.join("clair")).unwrap(),
                plain(),
                "{courbe:?} {chiffrement:?}"
            );
            // And mpe itself, with the key alone (recipient found from the key).
            let sans_cert =
                CleDechiffrement::charger(&std::fs::read(d.join("k.pem")).unwrap(), None).unwrap();
            assert!(sans_cert.certificat().is_none());
            let (v, info) = cms::dechiffrer(
                &env,
                &[Cle::Privee(&sans_cert)],
                &OptionsDechiffrement::default(),
            )
            .unwrap();
            assert_eq!(v, plain());
            assert!(matches!(info.acces, cms::Acces::Accord { .. }), "{info:?}");
        }
    }
}

/// `openssl cms -encrypt` with `extra` arguments, to `out` (format from its extension).
fn chiffrer_openssl(d: &Path, extra: &[&str], out: &str) {
    std::fs::write(d.join("plain"), plain()).unwrap();
    let mut args = vec!["cms", "-encrypt", "-binary", "-in", "plain", "-out", out];
    if out.ends_with(".der") {
        args.extend(["-outform", "DER"]);
    } else if out.ends_with(".pem") {
        args.extend(["-outform", "PEM"]);
    }
    args.extend(extra);
    openssl(&args, d);
}

fn ouvrir(d: &Path, fichier: &str, cles: &[Cle<'_>], legacy: bool) -> mpe::Result<Vec<u8>> {
    let opts = OptionsDechiffrement { legacy };
    let data = std::fs::read(d.join(fichier)).unwrap();
    let memoire = cms::dechiffrer(&data, cles, &opts).map(|(v, _)| v);
    let sortie = d.join("sortie.bin");
    let fichier_ = cms::dechiffrer_fichier(&d.join(fichier), &sortie, cles, &opts);
    match (&memoire, fichier_) {
        (Ok(v), Ok(_)) => assert_eq!(&std::fs::read(&sortie).unwrap(), v),
        (Err(a), Err(b)) => {
            assert_eq!(a.code(), b.code());
            assert!(!sortie.exists(), "sortie laissée après l'erreur {b}");
        }
        (a, b) => panic!("mémoire {a:?} / fichier {b:?}"),
    }
    let _ = std::fs::remove_file(&sortie);
    memoire
}

#[test]
fn x25519_envelopes_round_trip_with_or_without_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let cle = cle_ec(Courbe::X25519, dir.path());
    let seule =
        CleDechiffrement::charger(&std::fs::read(dir.path().join("k.pem")).unwrap(), None).unwrap();
    for chiffrement in [Chiffrement::Aes256Gcm, Chiffrement::Aes256Cbc] {
        let env = cms::encrypt(
            &plain(),
            &[cle.certificat_joint().unwrap().clone()],
            &OptionsChiffrement {
                chiffrement,
                ..Default::default()
            },
        )
        .unwrap();
        for k in [&cle, &seule] {
            let (v, info) =
                cms::dechiffrer(&env, &[Cle::Privee(k)], &OptionsDechiffrement::default()).unwrap();
            assert_eq!(v, plain());
            assert_eq!(
                info.acces,
                cms::Acces::Accord {
                    courbe: Courbe::X25519,
                    kdf: "X9.63-Sha256".into()
                }
            );
        }
        // Another X25519 key finds no recipient it can open.
        let autre = CleDechiffrement::generer_ec(Courbe::X25519).unwrap();
        assert!(
            cms::dechiffrer(
                &env,
                &[Cle::Privee(&autre)],
                &OptionsDechiffrement::default()
            )
            .is_err()
        );
    }
}

#[test]
fn mpe_opens_openssl_ec_envelopes() {
    for courbe in [Courbe::P256, Courbe::P384, Courbe::P521] {
        for (algo, sortie) in [
            ("-aes256", "e.der"),
            ("-aes-128-gcm", "e.pem"),
            ("-aes192", "e.smime"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            let cle = cle_ec(courbe, d);
            chiffrer_openssl(d, &[algo, "-stream", "-recip", "c.pem"], sortie);
            let v = ouvrir(d, sortie, &[Cle::Privee(&cle)], false)
                .unwrap_or_else(|e| panic!("{courbe:?} {algo} : {e}"));
            assert_eq!(v, plain(), "{courbe:?} {algo}");
        }
    }
}

#[test]
fn mpe_opens_openssl_rsa_oaep_variants_with_or_without_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bicle = BiCle::generer(&GenerationBiCle::new("Acheteur RSA"), now()).unwrap();
    std::fs::write(
        d.join("k.pem"),
        bicle::export_pkcs8_pem(bicle.cle(), None).unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("c.pem"), bicle.certificat_pem().unwrap()).unwrap();
    let seule = CleDechiffrement::charger(&std::fs::read(d.join("k.pem")).unwrap(), None).unwrap();
    for md in ["sha1", "sha256", "sha384", "sha512"] {
        for mgf in ["sha1", "sha256", "sha512"] {
            for algo in ["-aes128", "-aes192", "-aes-256-gcm"] {
                chiffrer_openssl(
                    d,
                    &[
                        algo,
                        "-recip",
                        "c.pem",
                        "-keyopt",
                        "rsa_padding_mode:oaep",
                        "-keyopt",
                        &format!("rsa_oaep_md:{md}"),
                        "-keyopt",
                        &format!("rsa_mgf1_md:{mgf}"),
                    ],
                    "o.der",
                );
                for (qui, k) in [
                    ("bi-clé", Cle::Privee(&bicle as &dyn Dechiffreur)),
                    ("clé seule", Cle::Privee(&seule)),
                ] {
                    let v = ouvrir(d, "o.der", &[k], false)
                        .unwrap_or_else(|e| panic!("{md}/{mgf} {algo} {qui} : {e}"));
                    assert_eq!(v, plain());
                }
            }
        }
    }
    // Triple-DES: refused without the legacy option, with nothing written; opened with it.
    chiffrer_openssl(d, &["-des3", "-stream", "-recip", "c.pem"], "t.pem");
    let e = ouvrir(d, "t.pem", &[Cle::Privee(&bicle)], false).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AlgorithmeObsolete, "{e}");
    assert_eq!(
        ouvrir(d, "t.pem", &[Cle::Privee(&bicle)], true).unwrap(),
        plain()
    );
}

#[test]
fn mpe_opens_openssl_password_and_kek_envelopes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for algo in ["-aes128", "-aes256"] {
        chiffrer_openssl(d, &[algo, "-pwri_password", "motdepasse"], "p.der");
        let v = ouvrir(d, "p.der", &[Cle::MotDePasse(b"motdepasse")], false).unwrap();
        assert_eq!(v, plain());
        let e = ouvrir(d, "p.der", &[Cle::MotDePasse(b"mauvais")], false).unwrap_err();
        assert_eq!(e.code(), CodeErreur::MotDePasseIncorrect, "{e}");
    }
    let kek = hex::decode("000102030405060708090A0B0C0D0E0F").unwrap();
    let id = hex::decode("C0FEE0").unwrap();
    for algo in ["-aes128", "-aes-128-gcm"] {
        chiffrer_openssl(
            d,
            &[
                algo,
                "-secretkey",
                "000102030405060708090A0B0C0D0E0F",
                "-secretkeyid",
                "C0FEE0",
            ],
            "k.pem",
        );
        let v = ouvrir(d, "k.pem", &[Cle::Kek { cle: &kek, id: &id }], false).unwrap();
        assert_eq!(v, plain(), "{algo}");
        // Another KEK id: no recipient; a wrong KEK: the unwrap fails. Nothing written.
        let e = ouvrir(
            d,
            "k.pem",
            &[Cle::Kek {
                cle: &kek,
                id: b"x",
            }],
            false,
        )
        .unwrap_err();
        assert_eq!(e.code(), CodeErreur::AucunDestinataire, "{e}");
        let mauvaise = [7u8; 16];
        let e = ouvrir(
            d,
            "k.pem",
            &[Cle::Kek {
                cle: &mauvaise,
                id: &id,
            }],
            false,
        )
        .unwrap_err();
        assert_eq!(e.code(), CodeErreur::DechiffrementEchec, "{e}");
    }
}

/// Certificate bundles as CAs and Windows hand them out: `openssl crl2pkcs7 -nocrl` in DER
/// (`.p7b`) and PEM (`-----BEGIN PKCS7-----`) give the same certificates as the PEM files.
#[test]
fn certificats_en_paquet_pkcs7() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let v = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature");
    for f in ["ca.pem", "signataire.pem"] {
        std::fs::copy(v.join(f), d.join(f)).unwrap();
    }
    let attendus: Vec<_> = ["ca.pem", "signataire.pem"]
        .iter()
        .map(|f| bicle::load_certificate(&std::fs::read(d.join(f)).unwrap()).unwrap())
        .collect();
    for (forme, sortie) in [("DER", "paquet.p7b"), ("PEM", "paquet.p7b.pem")] {
        openssl(
            &[
                "crl2pkcs7",
                "-nocrl",
                "-certfile",
                "ca.pem",
                "-certfile",
                "signataire.pem",
                "-outform",
                forme,
                "-out",
                sortie,
            ],
            d,
        );
        let lus = bicle::load_certificates(&std::fs::read(d.join(sortie)).unwrap()).unwrap();
        assert_eq!(lus.len(), 2, "{forme}");
        for c in &attendus {
            assert!(lus.contains(c), "{forme}");
        }
    }
    // Neither a certificate nor a bundle: the certificate's error.
    let e = bicle::load_certificates(b"\x30\x03\x02\x01\x01").unwrap_err();
    assert_eq!(e.code(), CodeErreur::CleInvalide);
}
