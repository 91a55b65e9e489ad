//! Personal/emergency keys, the opening workflow with progress, export and offline
//! decryption of a folder.

use chrono::{DateTime, Utc};
use mpe::CodeErreur;
use mpe::crypto::bicle::{BiCle, GenerationBiCle};
use mpe::crypto::cle_chiffrement::{CleChiffrement, NatureCle, destinataires};
use mpe::crypto::cms::{self, OptionsChiffrement};
use mpe::crypto::ouverture::{self, EnveloppeAExporter, EnveloppeChiffree, Etape};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn vecteur(n: &str) -> BiCle {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/crypto");
    BiCle::from_pem(
        &std::fs::read(dir.join(format!("{n}.cert.pem"))).unwrap(),
        &std::fs::read(dir.join(format!("{n}.key.pem"))).unwrap(),
        None,
    )
    .unwrap()
}

#[test]
fn expired_key_refused_for_encryption_but_decrypts() {
    let mut p = GenerationBiCle::new("Jean DUPONT");
    p.jours_validite = 30;
    let perso = BiCle::generer(&p, at("2026-12-01T00:00:00Z")).unwrap();
    assert_eq!(
        mpe::crypto::bicle::nom_sujet(perso.certificate()),
        "Clé de déchiffrement de Jean DUPONT"
    );
    let secours = vecteur("bob");
    let registre = vec![
        CleChiffrement::new("perso", NatureCle::Personnelle, &perso).unwrap(),
        CleChiffrement::new("secours", NatureCle::Secours, &secours).unwrap(),
    ];
    // Valid: personal + emergency key.
    let certs = destinataires(&registre, &["perso"], at("2026-12-15T00:00:00Z")).unwrap();
    assert_eq!(certs.len(), 2);
    // Even without choosing any personal key, the emergency key is there.
    assert_eq!(
        destinataires(&registre, &[], at("2026-12-15T00:00:00Z"))
            .unwrap()
            .len(),
        1
    );
    let env = cms::encrypt(b"pli", &certs, &OptionsChiffrement::default()).unwrap();
    // Expired for encryption, with the date in the message.
    let e = destinataires(&registre, &["perso"], at("2027-02-01T00:00:00Z")).unwrap_err();
    assert_eq!(e.code(), CodeErreur::CleInutilisable);
    assert!(e.message().contains("expiré"), "{e}");
    // ...but decryption still works after expiry, with both keys.
    assert_eq!(cms::decrypt(&env, &perso).unwrap(), b"pli");
    assert_eq!(cms::decrypt(&env, &secours).unwrap(), b"pli");
    assert_eq!(
        destinataires(&registre, &["inconnue"], at("2026-12-15T00:00:00Z"))
            .unwrap_err()
            .code(),
        CodeErreur::ReferenceInconnue
    );
}

#[test]
fn export_then_offline_decryption_with_progress() {
    let alice = vecteur("alice");
    let bob = vecteur("bob");
    let dir = tempfile::tempdir().unwrap();
    let mut list = Vec::new();
    for (i, data) in [b"offre A".to_vec(), vec![9u8; 300_000]].iter().enumerate() {
        let p = dir.path().join(format!("env{i}.p7m"));
        std::fs::write(
            &p,
            cms::encrypt(
                data,
                &[alice.certificate().clone()],
                &OptionsChiffrement::default(),
            )
            .unwrap(),
        )
        .unwrap();
        list.push(EnveloppeAExporter {
            consultation: "2026/AO_001".into(),
            enveloppe: EnveloppeChiffree {
                id: format!("pli{i}-offre"),
                chemin: p,
                sha256: None,
            },
        });
    }
    // One envelope for someone else: reported, the others still open.
    let p = dir.path().join("autre.p7m");
    std::fs::write(
        &p,
        cms::encrypt(
            b"x",
            &[bob.certificate().clone()],
            &OptionsChiffrement::default(),
        )
        .unwrap(),
    )
    .unwrap();
    list.push(EnveloppeAExporter {
        consultation: "2026/AO_001".into(),
        enveloppe: EnveloppeChiffree {
            id: "pli9-offre".into(),
            chemin: p,
            sha256: None,
        },
    });
    let export = dir.path().join("export");
    let index = ouverture::exporter(&list, &export).unwrap();
    assert_eq!(index.enveloppes.len(), 3);
    assert!(export.join("index.json").is_file());

    let mut steps = Vec::new();
    let out = dir.path().join("ouvertes");
    let rapport =
        ouverture::dechiffrer_dossier(&export, &alice, &out, &mut |e| steps.push(e.clone()))
            .unwrap();
    assert_eq!((rapport.ouvertes, rapport.echecs), (2, 1));
    assert_eq!(
        rapport.enveloppes[2].erreur.as_ref().unwrap().code(),
        CodeErreur::AucunDestinataire
    );
    assert_eq!(std::fs::read(out.join("pli0-offre")).unwrap(), b"offre A");
    assert!(out.join("rapport.json").is_file());
    assert_eq!(
        steps.first(),
        Some(&Etape::RecuperationFichiers { nombre: 3 })
    );
    assert_eq!(steps[1], Etape::RecuperationCle);
    assert_eq!(
        steps[2],
        Etape::Dechiffrement {
            index: 1,
            total: 3,
            id: "pli0-offre".into()
        }
    );
    assert_eq!(
        steps.last(),
        Some(&Etape::Termine {
            ouvertes: 2,
            echecs: 1
        })
    );

    // A file modified after export fails its index check.
    let f = export.join(&index.enveloppes[0].fichier);
    let mut bytes = std::fs::read(&f).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&f, bytes).unwrap();
    let rapport =
        ouverture::dechiffrer_dossier(&export, &alice, &dir.path().join("o2"), &mut |_| {})
            .unwrap();
    assert_eq!(
        rapport.enveloppes[0].erreur.as_ref().unwrap().code(),
        CodeErreur::IntegriteEchec
    );
}
