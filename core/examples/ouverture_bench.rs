//! Time the opening in the library of N plis (the scenario's consultation, 3 envelopes per
//! pli: candidature and two offers; each envelope a ZIP of a signed PDF (PAdES), a file
//! with its detached CAdES and a filler of the given size) on 1 thread and on 2 threads.
//!
//! `cargo run --release -p mpe --example ouverture_bench -- [plis] [Mo par enveloppe]`
//! (defaults: 20 plis, 1 MB).

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Instant;

use chrono::{DateTime, Utc};
use mpe::crypto::bicle::BiCle;
use mpe::crypto::cle_chiffrement::{CleChiffrement, NatureCle};
use mpe::crypto::cms::{Cle, OptionsChiffrement, encrypt};
use mpe::crypto::enveloppe::construire;
use mpe::model::{Consultation, Organisation};
use mpe::procedure::{
    Acteur, Action, Contexte, EntreeJournal, Entreprise, Fichier, IdentifiantEntreprise,
    OptionsOuverture, Procedure, Rappels, RefEnveloppe, StockagePlis,
};
use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Deserialize)]
struct Etape {
    action: Option<Action>,
    note: String,
}

#[derive(Deserialize)]
struct Scenario {
    organisation: Organisation,
    consultation: Consultation,
    etapes: Vec<Etape>,
}

struct Memoire(BTreeMap<(u32, RefEnveloppe), Vec<u8>>);

impl StockagePlis for Memoire {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> mpe::Result<Box<dyn Read + '_>> {
        let v = self
            .0
            .get(&(pli, r))
            .ok_or_else(|| mpe::Erreur::new(mpe::CodeErreur::Es, "absente"))?;
        Ok(Box::new(v.as_slice()))
    }
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A SIRET with a right Luhn key: 13 digits from `n`, then the key.
fn siret(n: u32) -> String {
    let base = format!("4420{n:09}");
    for k in 0..10 {
        let s = format!("{base}{k}");
        let somme: u32 = s
            .chars()
            .rev()
            .enumerate()
            .map(|(i, c)| {
                let d = c.to_digit(10).unwrap();
                if i % 2 == 1 {
                    let x = d * 2;
                    if x > 9 { x - 9 } else { x }
                } else {
                    d
                }
            })
            .sum();
        if somme.is_multiple_of(10) {
            return s;
        }
    }
    unreachable!()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mo: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let lire = |p: &str| std::fs::read_to_string(racine.join(p)).unwrap();
    let s: Scenario = serde_json::from_str(&lire("procedure/scenario.json")).unwrap();
    let mut c = s.consultation.clone();
    c.calendrier.dlro = "2027-01-20T12:00:00".parse().unwrap();
    // The scenario deposits declared envelopes in clear; here they are encrypted.
    c.modalites.chiffrement = true;
    let martin = Acteur::Agent {
        id: "a.martin".into(),
    };
    let ctx = |q: &'static str, a: &'static Acteur| Contexte {
        maintenant: t(q),
        acteur: a,
        organisation: Box::leak(Box::new(s.organisation.clone())),
    };
    let martin: &'static Acteur = Box::leak(Box::new(martin));
    let cles = vec![
        CleChiffrement {
            id: "alice".into(),
            nature: NatureCle::Personnelle,
            certificat_pem: lire("crypto/alice.cert.pem"),
        },
        CleChiffrement {
            id: "bob".into(),
            nature: NatureCle::Secours,
            certificat_pem: lire("crypto/bob.cert.pem"),
        },
    ];
    let certs: Vec<_> = cles.iter().map(|k| k.certificat().unwrap()).collect();
    let (mut p, _) = Procedure::nouvelle(c, &ctx("2026-12-01T09:00:00Z", martin)).unwrap();
    p.appliquer(
        &Action::Valider { cles },
        &ctx("2026-12-01T09:00:00Z", martin),
    )
    .unwrap();
    let modele = s
        .etapes
        .iter()
        .find(|e| e.note == "pli 1")
        .and_then(|e| e.action.clone())
        .unwrap();
    let signer = Signataire::from_pem(
        &lire("signature/signataire.key"),
        &lire("signature/signataire.pem"),
    )
    .unwrap();
    let opts = OptionsSignature::new(t("2026-12-09T10:00:00Z"));
    let pdf = std::fs::read(racine.join("signature/simple.pdf")).unwrap();
    let pades = signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(&pdf),
        &signer,
        &opts,
    )
    .unwrap();
    // Incompressible (xorshift): the ZIP stores it at full size, as scans and PDFs are.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let remplissage: Vec<u8> = (0..mo * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let cades = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(&remplissage),
        &signer,
        &opts,
    )
    .unwrap();
    let mut stockage = Memoire(BTreeMap::new());
    println!("préparation de {n} plis × 3 enveloppes de {mo} Mo…");
    for k in 1..=n {
        let mut a = modele.clone();
        let Action::Deposer {
            entreprise,
            enveloppes,
            ..
        } = &mut a
        else {
            unreachable!()
        };
        *entreprise = Entreprise {
            identifiant: IdentifiantEntreprise::Siret(siret(k)),
            ..entreprise.clone()
        };
        let mut octets = Vec::new();
        for e in enveloppes.iter_mut() {
            let pdf_nom = e
                .fichiers
                .iter()
                .find(|f| f.nom.ends_with(".pdf"))
                .map(|f| f.nom.clone())
                .unwrap_or_else(|| "piece.pdf".into());
            let autres: Vec<(String, Vec<u8>)> = e
                .fichiers
                .iter()
                .filter(|f| f.nom != pdf_nom)
                .map(|f| (f.nom.clone(), b"x".to_vec()))
                .collect();
            let mut contenu = vec![
                (pdf_nom, pades.clone()),
                ("annexe.bin".to_string(), remplissage.clone()),
                ("annexe.bin.p7s".to_string(), cades.clone()),
            ];
            contenu.extend(autres);
            e.fichiers = contenu
                .iter()
                .map(|(nom, d)| Fichier {
                    nom: nom.clone(),
                    taille: d.len() as u64,
                    sha256: hex::encode(Sha256::digest(d)),
                    signature: None,
                    document: e
                        .fichiers
                        .iter()
                        .find(|f| &f.nom == nom)
                        .and_then(|f| f.document.clone()),
                })
                .collect();
            let chiffre = encrypt(
                &construire(&contenu).unwrap(),
                &certs,
                &OptionsChiffrement::default(),
            )
            .unwrap();
            stockage.0.insert(
                (
                    k,
                    RefEnveloppe {
                        enveloppe: e.enveloppe,
                        lot: e.lot,
                    },
                ),
                chiffre.clone(),
            );
            octets.push(chiffre);
        }
        let ent: &'static Acteur = Box::leak(Box::new(Acteur::Entreprise {
            identifiant: IdentifiantEntreprise::Siret(siret(k)),
        }));
        let mut l: Vec<&[u8]> = octets.iter().map(|v| v.as_slice()).collect();
        let mut flux: Vec<&mut dyn Read> = l.iter_mut().map(|x| x as &mut dyn Read).collect();
        p.deposer_octets(&a, &mut flux, &ctx("2026-12-10T14:15:00Z", ent))
            .unwrap();
    }
    let alice = BiCle::lire(
        [lire("crypto/alice.cert.pem"), lire("crypto/alice.key.pem")]
            .concat()
            .as_bytes(),
        None,
    )
    .unwrap();
    let verif = OptionsVerification {
        ancres: Signataire::certificats_pem(&lire("signature/ca.pem")).unwrap(),
        date_verification: Some(t("2027-01-20T11:00:01Z")),
        ..Default::default()
    };
    let total: u64 = stockage.0.values().map(|v| v.len() as u64).sum();
    let mut temps = Vec::new();
    // Keys on the calling thread (a token), then shared by the workers (a key pair).
    for (partage, fils) in [(false, 1), (false, 2), (true, 1), (true, 2)] {
        let dir = tempfile::tempdir().unwrap();
        let mut options = OptionsOuverture::new(dir.path(), verif.clone());
        options.fils = fils;
        let mut q = p.clone();
        let mut journal: Vec<EntreeJournal> = Vec::new();
        let mut progres = |_: &mpe::procedure::EtapeOuverture| {};
        let mut enregistrer = |_: &Procedure, j: &[EntreeJournal]| {
            journal.extend_from_slice(j);
            Ok(())
        };
        let mut rappels = Rappels {
            progres: &mut progres,
            enregistrer: &mut enregistrer,
        };
        let debut = Instant::now();
        let c = ctx("2027-01-20T11:00:01Z", martin);
        let bilan = if partage {
            q.ouvrir_plis_partage(&[], &stockage, &[&alice], &options, &mut rappels, &c)
        } else {
            q.ouvrir_plis(
                &[],
                &stockage,
                &[Cle::Privee(&alice)],
                &options,
                &mut rappels,
                &c,
            )
        }
        .unwrap();
        let d = debut.elapsed().as_secs_f64();
        assert!(bilan.echecs.is_empty(), "{:?}", bilan.echecs);
        println!(
            "{} {fils} fil(s) : {} enveloppes ouvertes, {:.1} Mo en {d:.2} s ({:.1} Mo/s)",
            if partage {
                "clé partagée"
            } else {
                "clé sur l'appelant"
            },
            bilan.ouvertes.len(),
            total as f64 / 1e6,
            total as f64 / 1e6 / d
        );
        temps.push(d);
    }
    println!(
        "accélération 2 fils / 1 fil : clé sur l'appelant {:.2}×, clé partagée {:.2}×",
        temps[0] / temps[1],
        temps[2] / temps[3]
    );
}
