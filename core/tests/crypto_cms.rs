//! CMS encryption/decryption against fixtures made by OpenSSL (see
//! tests/vectors/crypto/README.md) and the bad-input cases of issue 4.

use std::path::PathBuf;

use mpe::CodeErreur;
use mpe::crypto::bicle::{self, BiCle};
use mpe::crypto::cms::{self, Chiffrement, OptionsChiffrement, TransportCle};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/crypto")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(vectors().join(name)).unwrap()
}

fn bicle(n: &str) -> BiCle {
    BiCle::from_pem(
        &read(&format!("{n}.cert.pem")),
        &read(&format!("{n}.key.pem")),
        None,
    )
    .unwrap()
}

const ALL: [OptionsChiffrement; 4] = [
    OptionsChiffrement {
        chiffrement: Chiffrement::Aes256Gcm,
        transport: TransportCle::RsaOaepSha256,
    },
    OptionsChiffrement {
        chiffrement: Chiffrement::Aes256Gcm,
        transport: TransportCle::RsaPkcs1v15,
    },
    OptionsChiffrement {
        chiffrement: Chiffrement::Aes256Cbc,
        transport: TransportCle::RsaOaepSha256,
    },
    OptionsChiffrement {
        chiffrement: Chiffrement::Aes256Cbc,
        transport: TransportCle::RsaPkcs1v15,
    },
];

#[test]
fn opens_openssl_envelopes() {
    let alice = bicle("alice");
    let plain = read("plain.txt");
    for f in [
        "openssl_cbc_v15.der",
        "openssl_gcm_stream_oaep256.der",
        "openssl_cbc_stream_oaep1.pem",
    ] {
        let (out, info) =
            cms::decrypt_with_info(&read(f), &alice).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(out, plain, "{f}");
        assert_eq!(info.taille, plain.len() as u64);
    }
}

#[test]
fn round_trip_every_recipient_and_option() {
    let alice = bicle("alice");
    let bob = bicle("bob");
    let certs = [alice.certificate().clone(), bob.certificate().clone()];
    for opts in ALL {
        for n in [0usize, 1, 16, 1000, 300_000] {
            let data: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
            let env = cms::encrypt(&data, &certs, &opts).unwrap();
            for k in [&alice, &bob] {
                let (out, info) = cms::decrypt_with_info(&env, k).unwrap();
                assert_eq!(out, data);
                let attendu = match opts.chiffrement {
                    Chiffrement::Aes256Gcm => cms::AlgoContenu::Aes256Gcm,
                    Chiffrement::Aes256Cbc => cms::AlgoContenu::Aes256Cbc,
                };
                assert_eq!(info.chiffrement, attendu);
                assert_eq!(info.transport, Some(opts.transport));
                assert_eq!(info.destinataires, 2);
            }
        }
    }
}

#[test]
fn wrong_key_says_no_recipient() {
    let alice = bicle("alice");
    let bob = bicle("bob");
    let env = cms::encrypt(
        b"x",
        &[alice.certificate().clone()],
        &OptionsChiffrement::default(),
    )
    .unwrap();
    let e = cms::decrypt(&env, &bob).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AucunDestinataire);
    assert!(e.message().contains("bob"), "{e}");
}

#[test]
fn tampered_gcm_leaves_no_file() {
    let alice = bicle("alice");
    let data = vec![7u8; 100_000];
    for opts in ALL {
        let mut env = cms::encrypt(&data, &[alice.certificate().clone()], &opts).unwrap();
        if opts.chiffrement == Chiffrement::Aes256Cbc {
            // CBC has no integrity: only the padding can betray tampering, which is why GCM
            // is the default. Flipping a bit of the next-to-last block breaks the padding.
            let at = env.len() - 17;
            env[at] ^= 0x01;
            let e = cms::decrypt(&env, &alice).map(|_| ()).unwrap_err();
            assert_eq!(e.code(), CodeErreur::IntegriteEchec);
            continue;
        }
        let at = env.len() - 5000;
        env[at] ^= 0x01;
        let e = cms::decrypt(&env, &alice).map(|_| ()).unwrap_err();
        {
            assert_eq!(e.code(), CodeErreur::IntegriteEchec);
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("env.p7m");
            std::fs::write(&input, &env).unwrap();
            let out = dir.path().join("out.bin");
            let e = cms::decrypt_file(&input, &out, &alice).unwrap_err();
            assert_eq!(e.code(), CodeErreur::IntegriteEchec);
            assert!(!out.exists());
            assert_eq!(
                std::fs::read_dir(dir.path()).unwrap().count(),
                1,
                "fichier temporaire laissé"
            );
        }
    }
    // The tag itself.
    let mut env = cms::encrypt(
        &data,
        &[alice.certificate().clone()],
        &OptionsChiffrement::default(),
    )
    .unwrap();
    let n = env.len();
    env[n - 1] ^= 0x80;
    assert_eq!(
        cms::decrypt(&env, &alice).unwrap_err().code(),
        CodeErreur::IntegriteEchec
    );
}

#[test]
fn truncated_garbage_and_absurd() {
    let alice = bicle("alice");
    let env = cms::encrypt(
        &[1u8; 5000],
        &[alice.certificate().clone()],
        &OptionsChiffrement::default(),
    )
    .unwrap();
    for cut in [1usize, 10, 100, 400, 2000, env.len() - 1] {
        let e = cms::decrypt(&env[..cut], &alice).unwrap_err();
        assert!(
            matches!(e.code(), CodeErreur::Tronque | CodeErreur::CmsMalforme),
            "coupure {cut}: {e:?}"
        );
    }
    assert_eq!(
        cms::decrypt(b"", &alice).unwrap_err().code(),
        CodeErreur::Tronque
    );
    assert_eq!(
        cms::decrypt(b"hello world", &alice).unwrap_err().code(),
        CodeErreur::CmsMalforme
    );
    // Absurd length on the outer SEQUENCE, then deep BER nesting inside recipientInfos.
    let absurd = [
        0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x06, 0x01,
    ];
    assert!(cms::decrypt(&absurd, &alice).is_err());
    let mut deep = vec![0x30, 0x80, 0x06, 0x09];
    deep.extend_from_slice(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]);
    deep.extend_from_slice(&[0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x00, 0x31, 0x80]);
    for _ in 0..10_000 {
        deep.extend_from_slice(&[0x30, 0x80]);
    }
    assert_eq!(
        cms::decrypt(&deep, &alice).unwrap_err().code(),
        CodeErreur::LimiteDepassee
    );
    let mut huge_ri = deep[..deep.len() - 20_000].to_vec();
    huge_ri.truncate(huge_ri.len() - 2);
    huge_ri.extend_from_slice(&[0x31, 0x84, 0x7f, 0xff, 0xff, 0xff]);
    assert_eq!(
        cms::decrypt(&huge_ri, &alice).unwrap_err().code(),
        CodeErreur::LimiteDepassee
    );
}

#[test]
fn unsupported_algorithms_are_named() {
    let alice = bicle("alice");
    // Replace the AES-256-GCM OID (…01 2E) by AES-256-CCM (…01 2F), which mpe does not do.
    let mut env = cms::encrypt(
        b"abc",
        &[alice.certificate().clone()],
        &OptionsChiffrement::default(),
    )
    .unwrap();
    let oid = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2e];
    let pos = env.windows(oid.len()).position(|w| w == oid).unwrap();
    env[pos + 8] = 0x2f;
    let e = cms::decrypt(&env, &alice).unwrap_err();
    assert_eq!(e.code(), CodeErreur::NonPrisEnCharge);
    assert!(e.message().contains("2.16.840.1.101.3.4.1.47"), "{e}");
    // AES-128-GCM is read, but the 32-byte content key does not fit it: typed, no output.
    env[pos + 8] = 0x06;
    let e = cms::decrypt(&env, &alice).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DechiffrementEchec, "{e}");
    // A signed-data ContentInfo is not an envelope.
    let signed = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x00,
    ];
    assert_eq!(
        cms::decrypt(&signed, &alice).unwrap_err().code(),
        CodeErreur::NonPrisEnCharge
    );
}

#[test]
fn file_round_trip() {
    let alice = bicle("alice");
    let dir = tempfile::tempdir().unwrap();
    // One read buffer, then several (1 MiB each) with a partial last one: the GCM path
    // hands whole buffers from the reader to the hasher to the writer.
    for size in [700_001usize, 3 * 1024 * 1024 + 1] {
        let input = dir.path().join("offre.pdf");
        let data: Vec<u8> = (0..size).map(|i| (i % 249) as u8).collect();
        std::fs::write(&input, &data).unwrap();
        let env = dir.path().join("offre.pdf.p7m");
        cms::encrypt_file(
            &input,
            &env,
            &[alice.certificate().clone()],
            &OptionsChiffrement::default(),
        )
        .unwrap();
        // The file equals what the in-memory path decrypts, and decrypts back.
        assert_eq!(
            cms::decrypt(&std::fs::read(&env).unwrap(), &alice).unwrap(),
            data
        );
        let out = dir.path().join("offre-dechiffree.pdf");
        let info = cms::decrypt_file(&env, &out, &alice).unwrap();
        assert_eq!(info.taille, size as u64);
        assert_eq!(std::fs::read(&out).unwrap(), data);
    }
}

/// GCM protects at most 2^32 - 2 blocks under one key: a longer content is refused before
/// anything is read or written (CBC has no such limit).
#[test]
fn gcm_refuses_more_than_64_gib() {
    let alice = bicle("alice");
    let mut out = Vec::new();
    let e = cms::encrypt_stream(
        &mut std::io::empty(),
        ((1u64 << 32) - 2) * 16 + 1,
        &mut out,
        &[alice.certificate().clone()],
        &OptionsChiffrement::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ArgumentInvalide);
    assert!(out.is_empty());
}

#[test]
fn keys_load_in_every_format() {
    let cert = bicle::load_certificate(&read("alice.cert.pem")).unwrap();
    for (f, pw) in [
        ("alice.key.pem", None),
        ("alice.key.pkcs1.pem", None),
        ("alice.key.enc.pem", Some("secret")),
    ] {
        let k = bicle::load_private_key(&read(f), pw).unwrap();
        assert!(k.matches(&cert), "{f}");
    }
    assert_eq!(
        bicle::load_private_key(&read("alice.key.enc.pem"), Some("faux"))
            .unwrap_err()
            .code(),
        CodeErreur::MotDePasseIncorrect
    );
    assert_eq!(
        bicle::load_private_key(&read("alice.key.enc.pem"), None)
            .unwrap_err()
            .code(),
        CodeErreur::MotDePasseIncorrect
    );
    let p12 = bicle::load_pkcs12(&read("alice.p12"), "secret").unwrap();
    assert_eq!(p12.certificate(), &cert);
    assert_eq!(
        bicle::load_pkcs12(&read("alice.p12"), "mauvais")
            .unwrap_err()
            .code(),
        CodeErreur::MotDePasseIncorrect
    );
    assert_eq!(
        bicle::load_pkcs12(b"garbage", "x").unwrap_err().code(),
        CodeErreur::CleInvalide
    );
    // Export and re-import.
    let again = bicle::load_pkcs12(&p12.exporter_pkcs12("autre").unwrap(), "autre").unwrap();
    assert_eq!(again, p12);
    let pem = bicle::export_pkcs8_pem(p12.cle(), Some("pw")).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert_eq!(
        &bicle::load_private_key(pem.as_bytes(), Some("pw")).unwrap(),
        p12.cle()
    );
}
