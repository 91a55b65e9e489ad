//! The keys of a consultation (recorded at validation) and the dépôt on the envelopes'
//! bytes: every bad envelope refused with its code, the state unchanged; the receipt
//! written from what mpe computed.

mod procedure_commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use mpe::CodeErreur;
use mpe::crypto::bicle::load_certificate;
use mpe::crypto::cle_chiffrement::{CleChiffrement, NatureCle};
use mpe::crypto::cms::{Chiffrement, OptionsChiffrement, encrypt};
use mpe::crypto::enveloppe::construire;
use mpe::procedure::{Action, Evenement, Procedure};
use procedure_commun::{Banc, agent, etape, scenario, t};
use sha2::{Digest, Sha256};

const VALIDATION: &str = "2026-12-01T09:00:00Z";
const DEPOT: &str = "2026-12-10T14:15:00Z";

fn vecteur(chemin: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(chemin)
}

fn pem(chemin: &str) -> String {
    std::fs::read_to_string(vecteur(chemin)).unwrap()
}

fn cle(id: &str, nature: NatureCle, chemin: &str) -> CleChiffrement {
    CleChiffrement {
        id: id.into(),
        nature,
        certificat_pem: pem(chemin),
    }
}

/// alice (personal key) and bob (secours key).
fn cles() -> Vec<CleChiffrement> {
    vec![
        cle("alice", NatureCle::Personnelle, "crypto/alice.cert.pem"),
        cle("bob", NatureCle::Secours, "crypto/bob.cert.pem"),
    ]
}

fn cert(chemin: &str) -> x509_cert::Certificate {
    load_certificate(pem(chemin).as_bytes()).unwrap()
}

/// The scenario's consultation, DLRO moved so that a validation on 1 December keeps the
/// legal delay (the test keys are valid from 28 November 2026).
fn banc_sans_cles() -> Banc {
    Banc::valide(
        |c| {
            c.calendrier.dlro = "2027-01-20T12:00:00".parse().unwrap();
            // The scenario deposits in clear; here encryption is required.
            c.modalites.chiffrement = true;
        },
        VALIDATION,
    )
}

fn banc() -> Banc {
    Banc::valide_avec_cles(
        |c| {
            c.calendrier.dlro = "2027-01-20T12:00:00".parse().unwrap();
            // The scenario deposits in clear; here encryption is required.
            c.modalites.chiffrement = true;
        },
        VALIDATION,
        cles(),
    )
}

/// The dépôt "pli 1" of the scenario (three envelopes), without declared encryption.
fn depot() -> (Action, mpe::procedure::Acteur) {
    let (mut a, qui) = etape(&scenario(), "pli 1");
    if let Action::Deposer { enveloppes, .. } = &mut a {
        for e in enveloppes {
            e.chiffree = false;
        }
    }
    (a, qui)
}

fn zip() -> Vec<u8> {
    construire(&[("offre.pdf".into(), b"%PDF-1.7 offre".to_vec())]).unwrap()
}

fn chiffre(certs: &[&str], options: &OptionsChiffrement) -> Vec<u8> {
    let certs: Vec<_> = certs.iter().map(|c| cert(c)).collect();
    encrypt(&zip(), &certs, options).unwrap()
}

fn bonne() -> Vec<u8> {
    chiffre(
        &["crypto/alice.cert.pem", "crypto/bob.cert.pem"],
        &OptionsChiffrement::default(),
    )
}

/// Deposit with these bytes for the three envelopes; on error the state must be unchanged.
fn deposer(b: &mut Banc, a: &Action, octets: [&[u8]; 3]) -> mpe::Result<()> {
    let qui = depot().1;
    let avant = b.p.clone();
    let mut r: Vec<&[u8]> = octets.to_vec();
    let mut flux: Vec<&mut dyn std::io::Read> =
        r.iter_mut().map(|x| x as &mut dyn std::io::Read).collect();
    let ctx = b.ctx(DEPOT, &qui);
    match b.p.clone().deposer_octets(a, &mut flux, &ctx) {
        Ok(j) => {
            let mut p = b.p.clone();
            let mut r2: Vec<&[u8]> = octets.to_vec();
            let mut flux2: Vec<&mut dyn std::io::Read> =
                r2.iter_mut().map(|x| x as &mut dyn std::io::Read).collect();
            let j2 = p.deposer_octets(a, &mut flux2, &ctx).unwrap();
            assert_eq!(j, j2, "même dépôt, même journal");
            b.p = p;
            b.journal.extend(j);
            Ok(())
        }
        Err(e) => {
            assert_eq!(b.p, avant, "refus sans effet");
            Err(e)
        }
    }
}

fn code(b: &mut Banc, a: &Action, octets: [&[u8]; 3]) -> CodeErreur {
    deposer(b, a, octets).unwrap_err().code()
}

#[test]
fn validation_enregistre_les_cles() {
    let b = banc();
    assert_eq!(b.p.cles_chiffrement, cles());
    let json = b.p.to_json();
    assert_eq!(Procedure::from_json(&json).unwrap(), b.p);
    assert!(json.contains("\"cles_chiffrement\""));
    let validee = b
        .journal
        .iter()
        .find_map(|e| match &e.evenement {
            Evenement::ConsultationValidee { cles, .. } => Some(cles.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(validee, cles());
}

#[test]
fn validation_refuse_les_mauvaises_cles() {
    let valider = |cles: Vec<CleChiffrement>| {
        let mut b = Banc::cree(
            |c| {
                c.calendrier.dlro = "2027-01-20T12:00:00".parse().unwrap();
                // The scenario deposits in clear; here encryption is required.
                c.modalites.chiffrement = true;
            },
            VALIDATION,
        );
        let a = Action::Valider { cles };
        b.code(VALIDATION, &agent("a.martin"), &a)
    };
    // Encryption required: a personal key and a secours key.
    assert_eq!(
        valider(vec![cle(
            "alice",
            NatureCle::Personnelle,
            "crypto/alice.cert.pem"
        )]),
        CodeErreur::CleChiffrementManquante
    );
    assert_eq!(
        valider(vec![cle("bob", NatureCle::Secours, "crypto/bob.cert.pem")]),
        CodeErreur::CleChiffrementManquante
    );
    // The same key twice, under one id or two.
    let mut deux = cles();
    deux.push(cle("alice", NatureCle::Secours, "crypto/bob.cert.pem"));
    assert_eq!(valider(deux), CodeErreur::ArgumentInvalide);
    let mut deux = cles();
    deux.push(cle("alice2", NatureCle::Secours, "crypto/alice.cert.pem"));
    assert_eq!(valider(deux), CodeErreur::ArgumentInvalide);
    // Not a certificate.
    let mut faux = cles();
    faux[0].certificat_pem =
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into();
    // Refused with the key loader's typed code, the state unchanged (checked by `code`).
    let refus = valider(faux);
    assert_ne!(refus.family(), mpe::FamilleErreur::Interne);
    // A CA certificate cannot encrypt (no keyEncipherment).
    let mut ca = cles();
    ca[0].certificat_pem = pem("signature/ca.pem");
    assert_eq!(valider(ca), CodeErreur::CleInutilisable);
    // An empty id.
    let mut vide = cles();
    vide[0].id = " ".into();
    assert_eq!(valider(vide), CodeErreur::ChampObligatoire);
}

#[test]
fn depot_sur_les_octets() {
    let mut b = banc();
    let (a, _) = depot();
    let (c, o1, o2) = (bonne(), bonne(), bonne());
    deposer(&mut b, &a, [&c, &o1, &o2]).unwrap();
    let pli = b.p.pli(1).unwrap();
    assert!(pli.enveloppes.iter().all(|e| e.chiffree));
    let accuse = b
        .journal
        .iter()
        .find_map(|e| match &e.evenement {
            Evenement::PliDepose { accuse, .. } => Some(accuse.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(accuse.enveloppes.len(), 3);
    for (recue, octets) in accuse.enveloppes.iter().zip([&c, &o1, &o2]) {
        assert_eq!(recue.taille, octets.len() as u64);
        assert_eq!(
            recue.sha256.to_string(),
            hex::encode(Sha256::digest(octets))
        );
        assert_eq!(recue.chiffrement.as_deref(), Some("AES-256-GCM"));
    }
    let env = &pli.enveloppes[0];
    assert_eq!(env.octets.as_ref().unwrap().taille, c.len() as u64);
}

#[test]
fn depot_refuse_chaque_mauvaise_enveloppe() {
    let mut b = banc();
    let (a, qui) = depot();
    let ok = bonne();
    let alice = "crypto/alice.cert.pem";
    let bob = "crypto/bob.cert.pem";
    let carol = "signature/chiffrement.pem";
    let defaut = OptionsChiffrement::default();
    // Declared values without bytes: refused once the consultation has its keys.
    assert_eq!(b.code(DEPOT, &qui, &a), CodeErreur::OctetsRequis);
    // In clear.
    let clair = zip();
    assert_eq!(
        code(&mut b, &a, [&ok, &clair, &ok]),
        CodeErreur::EnveloppeNonChiffree
    );
    assert_eq!(
        code(&mut b, &a, [&ok, b"", &ok]),
        CodeErreur::EnveloppeNonChiffree
    );
    // Encrypted to another key, to one more key, or without the personal key.
    let autre = chiffre(&[carol, bob], &defaut);
    assert_eq!(
        code(&mut b, &a, [&ok, &ok, &autre]),
        CodeErreur::DestinatairesIncorrects
    );
    let plus = chiffre(&[alice, bob, carol], &defaut);
    assert_eq!(
        code(&mut b, &a, [&plus, &ok, &ok]),
        CodeErreur::DestinatairesIncorrects
    );
    let sans_perso = chiffre(&[bob], &defaut);
    assert_eq!(
        code(&mut b, &a, [&sans_perso, &ok, &ok]),
        CodeErreur::DestinatairesIncorrects
    );
    // Without the secours key.
    let sans_secours = chiffre(&[alice], &defaut);
    assert_eq!(
        code(&mut b, &a, [&ok, &sans_secours, &ok]),
        CodeErreur::CleSecoursAbsente
    );
    // Not CMS: a DER SEQUENCE that is no envelope, a CMS SignedData, a truncated envelope.
    assert_eq!(
        code(&mut b, &a, [&ok, &[0x30, 3, 2, 1, 0], &ok]),
        CodeErreur::EnveloppeNonCms
    );
    let signe = openssl_signe();
    assert_eq!(
        code(&mut b, &a, [&ok, &signe, &ok]),
        CodeErreur::EnveloppeNonCms
    );
    let tronquee = &ok[..40];
    assert_eq!(
        code(&mut b, &a, [&ok, tronquee, &ok]),
        CodeErreur::EnveloppeNonCms
    );
    // Declared hash or size that do not match the bytes.
    let mut faux = a.clone();
    if let Action::Deposer { enveloppes, .. } = &mut faux {
        enveloppes[1].sha256 = Some(hex::encode(Sha256::digest(b"autre chose")));
    }
    assert_eq!(
        code(&mut b, &faux, [&ok, &ok, &ok]),
        CodeErreur::DeclarationIncorrecte
    );
    let mut faux = a.clone();
    if let Action::Deposer { enveloppes, .. } = &mut faux {
        enveloppes[2].taille = Some(ok.len() as u64 + 1);
    }
    assert_eq!(
        code(&mut b, &faux, [&ok, &ok, &ok]),
        CodeErreur::DeclarationIncorrecte
    );
    // Declared encrypted, sent in clear: the bytes decide.
    let mut faux = a.clone();
    if let Action::Deposer { enveloppes, .. } = &mut faux {
        enveloppes[0].chiffree = true;
    }
    assert_eq!(
        code(&mut b, &faux, [&clair, &ok, &ok]),
        CodeErreur::EnveloppeNonChiffree
    );
    // One stream too few.
    let avant = b.p.clone();
    let mut x: &[u8] = &ok;
    let mut flux: Vec<&mut dyn std::io::Read> = vec![&mut x];
    let ctx = b.ctx(DEPOT, &qui);
    let e = b.p.clone().deposer_octets(&a, &mut flux, &ctx).unwrap_err();
    assert_eq!(e.code(), CodeErreur::ArgumentInvalide);
    assert_eq!(b.p, avant);
    // Not a dépôt.
    let e =
        b.p.clone()
            .deposer_octets(&Action::Actualiser, &mut [], &ctx)
            .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ArgumentInvalide);
    // Right hashes declared: accepted, AES-256-CBC allowed too.
    let cbc = chiffre(
        &[alice, bob],
        &OptionsChiffrement {
            chiffrement: Chiffrement::Aes256Cbc,
            ..Default::default()
        },
    );
    let mut juste = a.clone();
    if let Action::Deposer { enveloppes, .. } = &mut juste {
        enveloppes[1].sha256 = Some(hex::encode(Sha256::digest(&cbc)));
        enveloppes[1].taille = Some(cbc.len() as u64);
    }
    deposer(&mut b, &juste, [&ok, &cbc, &ok]).unwrap();
    assert_eq!(b.p.plis.len(), 1);
}

#[test]
fn depot_sans_octets_et_sans_cles_reste_declaratif() {
    // A consultation validated without keys keeps the declared dépôt (the scenario's);
    // with bytes, its encrypted envelopes cannot be checked.
    let mut b = banc_sans_cles();
    let (a, _) = depot();
    let ok = bonne();
    assert_eq!(
        code(&mut b, &a, [&ok, &ok, &ok]),
        CodeErreur::CleChiffrementManquante
    );
}

/// A CMS SignedData made by OpenSSL: signed, not encrypted.
fn openssl_signe() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let entree = dir.path().join("enveloppe.zip");
    std::fs::write(&entree, zip()).unwrap();
    let sortie = dir.path().join("signe.p7m");
    let st = Command::new("openssl")
        .args([
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-outform",
            "DER",
            "-in",
        ])
        .arg(&entree)
        .arg("-signer")
        .arg(vecteur("signature/signataire.pem"))
        .arg("-inkey")
        .arg(vecteur("signature/signataire.key"))
        .arg("-out")
        .arg(&sortie)
        .status()
        .expect("openssl");
    assert!(st.success());
    std::fs::read(sortie).unwrap()
}

fn openssl_chiffre(dir: &Path, nom: &str, args: &[&str]) -> Vec<u8> {
    let entree = dir.join("enveloppe.zip");
    std::fs::write(&entree, zip()).unwrap();
    let sortie = dir.join(nom);
    let st = Command::new("openssl")
        .args(["cms", "-encrypt", "-binary", "-outform", "DER", "-in"])
        .arg(&entree)
        .arg("-out")
        .arg(&sortie)
        .args(args)
        .arg(vecteur("crypto/alice.cert.pem"))
        .arg(vecteur("crypto/bob.cert.pem"))
        .status()
        .expect("openssl");
    assert!(st.success(), "openssl cms -encrypt {args:?}");
    std::fs::read(sortie).unwrap()
}

/// Envelopes made by OpenSSL (another writer): BER streamed with indefinite lengths,
/// EnvelopedData AES-256-CBC and AuthEnvelopedData AES-256-GCM accepted; Triple-DES
/// refused.
#[test]
fn depot_enveloppes_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let flux = openssl_chiffre(dir.path(), "flux.p7m", &["-stream", "-aes256"]);
    assert_eq!(flux[1], 0x80, "BER à longueur indéfinie attendu");
    let gcm = openssl_chiffre(dir.path(), "gcm.p7m", &["-aes-256-gcm"]);
    let des3 = openssl_chiffre(dir.path(), "des3.p7m", &["-des3"]);
    let mut b = banc();
    let (a, _) = depot();
    assert_eq!(
        code(&mut b, &a, [&flux, &des3, &gcm]),
        CodeErreur::ChiffrementNonAutorise
    );
    deposer(&mut b, &a, [&flux, &gcm, &flux]).unwrap();
    let accuse = b
        .journal
        .iter()
        .find_map(|e| match &e.evenement {
            Evenement::PliDepose { accuse, .. } => Some(accuse.clone()),
            _ => None,
        })
        .unwrap();
    let algos: Vec<_> = accuse
        .enveloppes
        .iter()
        .map(|e| e.chiffrement.clone().unwrap())
        .collect();
    assert_eq!(algos, ["AES-256-CBC", "AES-256-GCM", "AES-256-CBC"]);
    let _ = t(DEPOT);
}
