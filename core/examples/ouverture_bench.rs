//! Time the opening in the library of N plis (the scenario's consultation, 3 envelopes per
//! pli: candidature and two offers). Each envelope is a ZIP of a signed PDF (PAdES), a
//! filler of the given size with its detached CAdES, and a note with its detached XAdES.
//!
//! Two phases, so that each opening is its own process (its peak memory measured alone) and
//! an independent script can do the same work on the same files
//! (`benches/ouverture_compare.sh`):
//!
//! ```sh
//! cargo run --release -p mpe --example ouverture_bench -- preparer DIR [plis] [Mo par enveloppe]
//! cargo run --release -p mpe --example ouverture_bench -- ouvrir DIR FILS [partagee|appelant]
//! ```
//!
//! `preparer` writes `DIR/procedure.json` (the procedure after the dépôts) and the encrypted
//! envelopes `DIR/plis/<pli>-<enveloppe>-<lot>.p7m` (defaults: 20 plis, 1 MB); `ouvrir`
//! reads them from disk (never all in memory), opens every pli on FILS threads, with the
//! keys on the calling thread (`appelant`, as a token) or shared by the workers
//! (`partagee`, the default), and checks every signature came out VALIDE.

use std::io::Read;
use std::path::{Path, PathBuf};
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

/// The envelopes on disk, one file each: the opening reads them as a platform's storage
/// would.
struct Disque(PathBuf);

impl Disque {
    fn chemin(&self, pli: u32, r: RefEnveloppe) -> PathBuf {
        let e = serde_json::to_value(r.enveloppe).unwrap();
        let nom = format!("{pli}-{}-{}.p7m", e.as_str().unwrap(), r.lot);
        self.0.join("plis").join(nom)
    }
}

impl StockagePlis for Disque {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> mpe::Result<Box<dyn Read + '_>> {
        Ok(Box::new(std::io::BufReader::new(std::fs::File::open(
            self.chemin(pli, r),
        )?)))
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

fn vecteurs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn lire(p: &str) -> String {
    std::fs::read_to_string(vecteurs().join(p)).unwrap()
}

fn scenario() -> Scenario {
    serde_json::from_str(&lire("procedure/scenario.json")).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage =
        "usage : ouverture_bench preparer DIR [plis] [Mo] | ouvrir DIR FILS [partagee|appelant]";
    let dir = PathBuf::from(args.get(2).expect(usage));
    match args.get(1).map(String::as_str) {
        Some("preparer") => preparer(
            &dir,
            args.get(3).and_then(|a| a.parse().ok()).unwrap_or(20),
            args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1),
        ),
        Some("ouvrir") => ouvrir(
            &dir,
            args.get(3).and_then(|a| a.parse().ok()).expect(usage),
            args.get(4).map(String::as_str) != Some("appelant"),
        ),
        _ => panic!("{usage}"),
    }
}

fn preparer(dir: &Path, n: u32, mo: usize) {
    let s = scenario();
    let mut c = s.consultation.clone();
    c.calendrier.dlro = "2027-01-20T12:00:00".parse().unwrap();
    // The scenario deposits declared envelopes in clear; here they are encrypted.
    c.modalites.chiffrement = true;
    let organisation: &'static Organisation = Box::leak(Box::new(s.organisation.clone()));
    let ctx = |q: &str, a: &'static Acteur| Contexte {
        maintenant: t(q),
        acteur: a,
        organisation,
    };
    let martin: &'static Acteur = Box::leak(Box::new(Acteur::Agent {
        id: "a.martin".into(),
    }));
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
    let signer_octets = |format, octets: &[u8], nom: Option<&str>| {
        let mut opts = OptionsSignature::new(t("2026-12-09T10:00:00Z"));
        opts.nom_fichier = nom.map(str::to_string);
        signature::signer(format, DonneesSignees::Octets(octets), &signer, &opts).unwrap()
    };
    let pdf = std::fs::read(vecteurs().join("signature/simple.pdf")).unwrap();
    let pades = signer_octets(FormatSignature::PAdES, &pdf, None);
    let note = "Note de présentation de l'offre.\n"
        .repeat(200)
        .into_bytes();
    let xades = signer_octets(FormatSignature::XAdES, &note, Some("note.txt"));
    // Incompressible (xorshift): the ZIP stores it at full size, as scans and PDFs are.
    let reste = (mo * 1024 * 1024).saturating_sub(pdf.len() + note.len() + 20_000);
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let remplissage: Vec<u8> = (0..reste)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let cades = signer_octets(FormatSignature::CAdES, &remplissage, None);
    let disque = Disque(dir.to_path_buf());
    std::fs::create_dir_all(dir.join("plis")).unwrap();
    println!(
        "préparation de {n} plis × 3 enveloppes de {mo} Mo dans {}…",
        dir.display()
    );
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
        let mut chemins = Vec::new();
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
                ("note.txt".to_string(), note.clone()),
                ("note.txt.xml".to_string(), xades.clone()),
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
            let chemin = disque.chemin(
                k,
                RefEnveloppe {
                    enveloppe: e.enveloppe,
                    lot: e.lot,
                },
            );
            std::fs::write(&chemin, chiffre).unwrap();
            chemins.push(chemin);
        }
        let ent: &'static Acteur = Box::leak(Box::new(Acteur::Entreprise {
            identifiant: IdentifiantEntreprise::Siret(siret(k)),
        }));
        let mut fichiers: Vec<std::fs::File> = chemins
            .iter()
            .map(|c| std::fs::File::open(c).unwrap())
            .collect();
        let mut flux: Vec<&mut dyn Read> =
            fichiers.iter_mut().map(|f| f as &mut dyn Read).collect();
        p.deposer_octets(&a, &mut flux, &ctx("2026-12-10T14:15:00Z", ent))
            .unwrap();
    }
    std::fs::write(dir.join("procedure.json"), p.to_json()).unwrap();
}

fn ouvrir(dir: &Path, fils: usize, partagee: bool) {
    let s = scenario();
    let organisation: &'static Organisation = Box::leak(Box::new(s.organisation));
    let martin = Acteur::Agent {
        id: "a.martin".into(),
    };
    let mut p = Procedure::from_json(&std::fs::read_to_string(dir.join("procedure.json")).unwrap())
        .unwrap();
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
    let disque = Disque(dir.to_path_buf());
    let total: u64 = std::fs::read_dir(dir.join("plis"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let sortie = tempfile::tempdir_in(dir).unwrap();
    let mut options = OptionsOuverture::new(sortie.path(), verif);
    options.fils = fils;
    // The signatures' verdicts travel in the journal entries (EnveloppeOuverte.fichiers).
    let mut valides = 0usize;
    let mut progres = |_: &mpe::procedure::EtapeOuverture| {};
    let mut enregistrer = |_: &Procedure, j: &[EntreeJournal]| {
        for e in j {
            let texte = serde_json::to_string(e).unwrap();
            valides += texte.matches("\"resultat\":\"valide\"").count();
        }
        Ok(())
    };
    let mut rappels = Rappels {
        progres: &mut progres,
        enregistrer: &mut enregistrer,
    };
    let c = Contexte {
        maintenant: t("2027-01-20T11:00:01Z"),
        acteur: &martin,
        organisation,
    };
    let debut = Instant::now();
    let bilan = if partagee {
        p.ouvrir_plis_partage(&[], &disque, &[&alice], &options, &mut rappels, &c)
    } else {
        p.ouvrir_plis(
            &[],
            &disque,
            &[Cle::Privee(&alice)],
            &options,
            &mut rappels,
            &c,
        )
    }
    .unwrap();
    let d = debut.elapsed().as_secs_f64();
    assert!(bilan.echecs.is_empty(), "{:?}", bilan.echecs);
    // Every envelope's three signatures (PAdES, CAdES, XAdES) were verified and VALIDE.
    let etat = p.to_json();
    std::fs::write(dir.join("procedure-ouverte.json"), &etat).unwrap();
    assert_eq!(valides, 3 * bilan.ouvertes.len(), "signatures valides");
    println!(
        "{} fil(s), clé {} : {} enveloppes ouvertes, {valides} signatures VALIDE, {:.1} Mo en {d:.2} s ({:.1} Mo/s)",
        fils,
        if partagee {
            "partagée"
        } else {
            "sur l'appelant"
        },
        bilan.ouvertes.len(),
        total as f64 / 1e6,
        total as f64 / 1e6 / d
    );
}
