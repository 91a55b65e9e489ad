//! The opening in the library: envelopes fetched from the host's storage, decrypted, their
//! ZIP checked, every signature verified, the opening recorded with the verified results.
//! OpenSSL (`cms -verify`) and poppler's `pdfsig` agree with what is recorded; a crash in
//! the middle loses nothing and opens nothing twice.

mod procedure_commun;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use mpe::CodeErreur;
use mpe::crypto::bicle::BiCle;
use mpe::crypto::cle_chiffrement::{CleChiffrement, NatureCle};
use mpe::crypto::cms::{Cle, OptionsChiffrement, encrypt};
use mpe::crypto::enveloppe::construire;
use mpe::procedure::{
    Action, EntreeJournal, Evenement, Fichier, ModeOuvertureEnveloppe, OptionsOuverture,
    OuvertureEnveloppe, Procedure, Rappels, RefEnveloppe, ResultatDechiffrement, ResultatSignature,
    StatutEnveloppe, StockagePlis, nom_enveloppe,
};
use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
};
use procedure_commun::{Banc, agent, etape, scenario, t};
use sha2::{Digest, Sha256};

const VALIDATION: &str = "2026-12-01T09:00:00Z";
const DEPOT: &str = "2026-12-10T14:15:00Z";
const DEPOT2: &str = "2026-12-12T16:00:00Z";
/// After the DLRO (20/01/2027 12:00 Paris = 11:00 UTC).
const OUVERTURE: &str = "2027-01-20T11:00:01Z";

fn vecteur(chemin: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(chemin)
}

fn texte(chemin: &str) -> String {
    std::fs::read_to_string(vecteur(chemin)).unwrap()
}

fn cles() -> Vec<CleChiffrement> {
    vec![
        CleChiffrement {
            id: "alice".into(),
            nature: NatureCle::Personnelle,
            certificat_pem: texte("crypto/alice.cert.pem"),
        },
        CleChiffrement {
            id: "bob".into(),
            nature: NatureCle::Secours,
            certificat_pem: texte("crypto/bob.cert.pem"),
        },
    ]
}

fn bicle(cert: &str, cle: &str) -> BiCle {
    let pem = [texte(cert), texte(cle)].concat();
    BiCle::lire(pem.as_bytes(), None).unwrap()
}

fn signataire() -> Signataire {
    Signataire::from_pem(
        &texte("signature/signataire.key"),
        &texte("signature/signataire.pem"),
    )
    .unwrap()
}

fn date_signature() -> chrono::DateTime<chrono::Utc> {
    t("2026-12-09T10:00:00Z")
}

fn verification() -> OptionsVerification {
    OptionsVerification {
        ancres: Signataire::certificats_pem(&texte("signature/ca.pem")).unwrap(),
        date_verification: Some(t(OUVERTURE)),
        ..Default::default()
    }
}

/// The files of an envelope: for each file the scenario declares, a content of its kind —
/// a PDF signed in PAdES, other files with a detached CAdES `.p7s` beside them. The
/// file named in `altere` is changed after its signature.
fn contenus(declares: &[Fichier], altere: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let s = signataire();
    let opts = OptionsSignature::new(date_signature());
    let mut out = Vec::new();
    for f in declares {
        if f.nom.to_lowercase().ends_with(".pdf") {
            let pdf = std::fs::read(vecteur("signature/simple.pdf")).unwrap();
            let signe = signature::signer(
                FormatSignature::PAdES,
                DonneesSignees::Octets(&pdf),
                &s,
                &opts,
            )
            .unwrap();
            out.push((f.nom.clone(), signe));
        } else {
            let data = format!("contenu de {}", f.nom).into_bytes();
            let p7s = signature::signer(
                FormatSignature::CAdES,
                DonneesSignees::Octets(&data),
                &s,
                &opts,
            )
            .unwrap();
            let data = if altere == Some(f.nom.as_str()) {
                format!("contenu modifié de {}", f.nom).into_bytes()
            } else {
                data
            };
            out.push((f.nom.clone(), data));
            out.push((format!("{}.p7s", f.nom), p7s));
        }
    }
    out
}

fn declarer(contenus: &[(String, Vec<u8>)], avant: &[Fichier]) -> Vec<Fichier> {
    contenus
        .iter()
        .map(|(nom, data)| Fichier {
            nom: nom.clone(),
            taille: data.len() as u64,
            sha256: hex::encode(Sha256::digest(data)),
            // The company's tool claims every signature valid.
            signature: None,
            document: avant
                .iter()
                .find(|f| &f.nom == nom)
                .and_then(|f| f.document.clone()),
        })
        .collect()
}

/// The host's storage: the envelopes' bytes in memory.
#[derive(Default, Clone)]
struct Memoire(BTreeMap<(u32, RefEnveloppe), Vec<u8>>);

impl StockagePlis for Memoire {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> mpe::Result<Box<dyn Read + '_>> {
        let v = self
            .0
            .get(&(pli, r))
            .ok_or_else(|| mpe::Erreur::new(CodeErreur::Es, "absente"))?;
        Ok(Box::new(v.as_slice()))
    }
}

/// The files of an envelope: (name, bytes).
type Contenus = Vec<(String, Vec<u8>)>;

struct Monde {
    b: Banc,
    stockage: Memoire,
    /// The plaintext files of each envelope.
    fichiers: BTreeMap<(u32, RefEnveloppe), Contenus>,
}

/// Two plis (the scenario's "pli 1" and "pli 2"), deposited with their bytes; in pli 2 the
/// DPGF of lot 1 is altered after its signature.
fn monde() -> Monde {
    monde_avec(false, false)
}

/// A ZIP with a path that climbs out of its folder.
fn zip_evade() -> Vec<u8> {
    let mut z = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut z);
        w.start_file("../evade.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"x").unwrap();
        w.finish().unwrap();
    }
    z.into_inner()
}

/// With `piege`, the candidature of pli 2 is a ZIP whose path climbs out of its folder
/// (encrypted to the right keys: only the ZIP check stops it).
fn monde_avec(piege: bool, par_reponse: bool) -> Monde {
    let mut b = Banc::valide_avec_cles(
        |c| {
            c.calendrier.dlro = "2027-01-20T12:00:00".parse().unwrap();
            // The scenario deposits in clear; here encryption is required.
            c.modalites.chiffrement = true;
            if par_reponse {
                c.modalites.mode_ouverture = mpe::model::ModeOuverture::ParReponse;
            }
        },
        VALIDATION,
        cles(),
    );
    let certs: Vec<_> = cles().iter().map(|c| c.certificat().unwrap()).collect();
    let mut stockage = Memoire::default();
    let mut fichiers = BTreeMap::new();
    for (numero, (note, quand)) in [("pli 1", DEPOT), ("pli 2 (remplacé ensuite)", DEPOT2)]
        .into_iter()
        .enumerate()
    {
        let numero = numero as u32 + 1;
        let (mut a, qui) = etape(&scenario(), note);
        let mut octets = Vec::new();
        if let Action::Deposer { enveloppes, .. } = &mut a {
            for e in enveloppes.iter_mut() {
                let r = RefEnveloppe {
                    enveloppe: e.enveloppe,
                    lot: e.lot,
                };
                let altere = (numero == 2 && e.lot == 1)
                    .then(|| e.fichiers.iter().find(|f| f.nom.ends_with(".xlsx")))
                    .flatten()
                    .map(|f| f.nom.clone());
                let c = contenus(&e.fichiers, altere.as_deref());
                e.fichiers = declarer(&c, &e.fichiers);
                e.chiffree = true;
                let zip = if piege && numero == 2 && e.lot == 0 {
                    zip_evade()
                } else {
                    construire(&c).unwrap()
                };
                let chiffre = encrypt(&zip, &certs, &OptionsChiffrement::default()).unwrap();
                stockage.0.insert((numero, r), chiffre.clone());
                octets.push(chiffre);
                fichiers.insert((numero, r), c);
            }
        }
        let mut lecteurs: Vec<&[u8]> = octets.iter().map(|v| v.as_slice()).collect();
        let mut flux: Vec<&mut dyn Read> =
            lecteurs.iter_mut().map(|x| x as &mut dyn Read).collect();
        let ctx = b.ctx(quand, &qui);
        let mut p = b.p.clone();
        let j = p.deposer_octets(&a, &mut flux, &ctx).unwrap();
        b.p = p;
        b.journal.extend(j);
    }
    Monde {
        b,
        stockage,
        fichiers,
    }
}

struct Ouverture {
    entrees: Vec<EntreeJournal>,
    etapes: Vec<serde_json::Value>,
    resultat: mpe::Result<mpe::procedure::BilanOuverture>,
    /// The state as the host stored it after its last successful `enregistrer`.
    stockee: Procedure,
}

fn ouvrir(
    p: &mut Procedure,
    org: &mpe::model::Organisation,
    stockage: &(dyn StockagePlis + Sync),
    cle: &BiCle,
    dossier: &Path,
    fils: usize,
    panne_apres: Option<usize>,
) -> Ouverture {
    ouvrir_mode(p, org, stockage, cle, dossier, fils, panne_apres, false)
}

/// `partage`: the key shared by the workers (`ouvrir_plis_partage`) rather than used on
/// the calling thread (`ouvrir_plis`).
#[allow(clippy::too_many_arguments)]
fn ouvrir_mode(
    p: &mut Procedure,
    org: &mpe::model::Organisation,
    stockage: &(dyn StockagePlis + Sync),
    cle: &BiCle,
    dossier: &Path,
    fils: usize,
    panne_apres: Option<usize>,
    partage: bool,
) -> Ouverture {
    let mut options = OptionsOuverture::new(dossier, verification());
    options.fils = fils;
    let mut entrees = Vec::new();
    let mut etapes = Vec::new();
    let mut stockee = p.clone();
    let qui = agent("a.martin");
    let ctx = mpe::procedure::Contexte {
        maintenant: t(OUVERTURE),
        acteur: &qui,
        organisation: org,
    };
    let mut n = 0usize;
    let resultat = {
        let mut progres =
            |e: &mpe::procedure::EtapeOuverture| etapes.push(serde_json::to_value(e).unwrap());
        let mut enregistrer = |etat: &Procedure, j: &[EntreeJournal]| {
            if panne_apres.is_some_and(|k| n >= k) {
                return Err(mpe::Erreur::new(CodeErreur::Es, "panne du serveur"));
            }
            n += 1;
            stockee = etat.clone();
            entrees.extend_from_slice(j);
            Ok(())
        };
        let mut rappels = Rappels {
            progres: &mut progres,
            enregistrer: &mut enregistrer,
        };
        if partage {
            p.ouvrir_plis_partage(&[], stockage, &[cle], &options, &mut rappels, &ctx)
        } else {
            p.ouvrir_plis(
                &[],
                stockage,
                &[Cle::Privee(cle)],
                &options,
                &mut rappels,
                &ctx,
            )
        }
    };
    Ouverture {
        entrees,
        etapes,
        resultat,
        stockee,
    }
}

/// The report of an opening, written to `$MPE_SORTIES_SCHEMAS` as `bilan_ouverture__NOM.json`
/// when set: `tests/interop/test_schemas_sorties.py` validates it against its schema.
fn sortie_schema(nom: &str, bilan: &mpe::procedure::BilanOuverture) {
    if let Some(d) = std::env::var_os("MPE_SORTIES_SCHEMAS") {
        let f = Path::new(&d).join(format!("bilan_ouverture__{nom}.json"));
        std::fs::write(f, serde_json::to_vec(bilan).unwrap()).unwrap();
    }
}

fn ouvertes(j: &[EntreeJournal]) -> Vec<(u32, RefEnveloppe, Vec<Fichier>)> {
    j.iter()
        .filter_map(|e| match &e.evenement {
            Evenement::EnveloppeOuverte {
                pli,
                enveloppe,
                fichiers,
                ..
            } => Some((*pli, *enveloppe, fichiers.clone())),
            _ => None,
        })
        .collect()
}

fn openssl_verifie(p7s: &Path, contenu: &Path) -> bool {
    Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-in",
        ])
        .arg(p7s)
        .arg("-content")
        .arg(contenu)
        .arg("-CAfile")
        .arg(vecteur("signature/ca.pem"))
        .args(["-out", "/dev/null"])
        .output()
        .expect("openssl")
        .status
        .success()
}

fn pdfsig_valide(pdf: &Path) -> bool {
    let out = Command::new("pdfsig").arg(pdf).output().expect("pdfsig");
    String::from_utf8_lossy(&out.stdout).contains("Signature is Valid.")
}

#[test]
fn ouverture_verifiee_et_outils_independants() {
    let mut m = monde();
    let dir = tempfile::tempdir().unwrap();
    let alice = bicle("crypto/alice.cert.pem", "crypto/alice.key.pem");
    let o = ouvrir(
        &mut m.b.p,
        &m.b.org,
        &m.stockage,
        &alice,
        dir.path(),
        2,
        None,
    );
    let bilan = o.resultat.unwrap();
    sortie_schema("toutes_ouvertes", &bilan);
    assert_eq!(bilan.echecs.len(), 0, "{:?}", bilan.echecs);
    assert_eq!(bilan.ouvertes.len(), m.fichiers.len());
    assert_eq!(o.stockee, m.b.p);
    // The four steps.
    let noms: Vec<&str> = o
        .etapes
        .iter()
        .map(|e| e["etape"].as_str().unwrap())
        .collect();
    assert_eq!(noms.first(), Some(&"descripteurs"));
    assert_eq!(noms.get(1), Some(&"cle_privee"));
    assert_eq!(noms.last(), Some(&"termine"));
    let dech: Vec<_> = o
        .etapes
        .iter()
        .filter(|e| e["etape"] == "dechiffrement")
        .collect();
    assert_eq!(dech.len(), m.fichiers.len());
    assert_eq!(dech.last().unwrap()["index"], m.fichiers.len());
    assert!(dech.iter().all(|e| e["octets"].as_u64().unwrap() > 0));
    // Candidatures before offers.
    let ordre = ouvertes(&o.entrees);
    let premiere_offre = ordre.iter().position(|(_, r, _)| r.lot != 0).unwrap();
    assert!(ordre[..premiere_offre].iter().all(|(_, r, _)| r.lot == 0));
    assert!(ordre[premiere_offre..].iter().all(|(_, r, _)| r.lot != 0));
    // Every envelope opened once, its files extracted; every recorded signature result
    // agrees with OpenSSL (CAdES) or pdfsig (PAdES).
    let (mut valides, mut invalides) = (0, 0);
    for (pli, r, fichiers) in &ordre {
        let env = m.b.p.pli(*pli).unwrap().enveloppe(*r).unwrap();
        assert!(matches!(env.statut, StatutEnveloppe::Ouverte { .. }));
        let dossier = dir
            .path()
            .join(format!("pli-{pli}"))
            .join(nom_enveloppe(*r));
        let attendus = &m.fichiers[&(*pli, *r)];
        assert_eq!(fichiers.len(), attendus.len());
        for f in fichiers {
            let chemin = dossier.join(&f.nom);
            let data = std::fs::read(&chemin).unwrap();
            assert_eq!(hex::encode(Sha256::digest(&data)), f.sha256);
            if f.nom.ends_with(".p7s") {
                assert!(f.signature.is_none());
                continue;
            }
            let s = f
                .signature
                .as_ref()
                .unwrap_or_else(|| panic!("{} sans signature", f.nom));
            let oracle = if f.nom.to_lowercase().ends_with(".pdf") {
                assert_eq!(s.format, "PAdES");
                pdfsig_valide(&chemin)
            } else {
                assert_eq!(s.format, "CAdES");
                openssl_verifie(&dossier.join(format!("{}.p7s", f.nom)), &chemin)
            };
            assert_eq!(
                s.resultat == ResultatSignature::Valide,
                oracle,
                "{} : mpe {:?}, outil indépendant {oracle}",
                f.nom,
                s.resultat
            );
            match s.resultat {
                ResultatSignature::Valide => valides += 1,
                ResultatSignature::Invalide => invalides += 1,
                ResultatSignature::Indeterminee => {}
            }
            assert_eq!(s.signataire.as_deref(), Some("Jeanne Dupont"));
        }
    }
    assert!(valides >= 6, "{valides}");
    assert_eq!(invalides, 1, "le DPGF altéré du pli 2");
    assert!(!dir.path().join(".en-cours").exists());
    // A second call opens nothing.
    let o2 = ouvrir(
        &mut m.b.p,
        &m.b.org,
        &m.stockage,
        &alice,
        dir.path(),
        2,
        None,
    );
    assert_eq!(o2.resultat.unwrap().ouvertes.len(), 0);
    assert!(o2.entrees.is_empty());
}

#[test]
fn reprise_apres_panne_sans_double_ouverture() {
    let mut m = monde();
    let alice = bicle("crypto/alice.cert.pem", "crypto/alice.key.pem");
    // Reference: one uninterrupted opening.
    let ref_dir = tempfile::tempdir().unwrap();
    let mut p_ref = m.b.p.clone();
    let reference = ouvrir(
        &mut p_ref,
        &m.b.org,
        &m.stockage,
        &alice,
        ref_dir.path(),
        1,
        None,
    );
    reference.resultat.unwrap();
    // The host fails to store the third envelope: the opening stops there.
    let dir = tempfile::tempdir().unwrap();
    let o = ouvrir(
        &mut m.b.p,
        &m.b.org,
        &m.stockage,
        &alice,
        dir.path(),
        2,
        Some(2),
    );
    assert_eq!(o.resultat.unwrap_err().code(), CodeErreur::Es);
    assert_eq!(ouvertes(&o.entrees).len(), 2);
    // Started again from what the host stored, the envelopes now read from a folder.
    let plis = tempfile::tempdir().unwrap();
    let dossier = mpe::procedure::StockageDossier {
        dossier: plis.path().to_path_buf(),
    };
    for ((n, r), v) in &m.stockage.0 {
        let chemin = dossier.chemin(*n, *r);
        std::fs::create_dir_all(chemin.parent().unwrap()).unwrap();
        std::fs::write(chemin, v).unwrap();
    }
    let mut p = o.stockee.clone();
    let o2 = ouvrir(&mut p, &m.b.org, &dossier, &alice, dir.path(), 2, None);
    o2.resultat.unwrap();
    let mut tout = o.entrees.clone();
    tout.extend(o2.entrees.clone());
    let mut vues = std::collections::HashSet::new();
    for (pli, r, _) in ouvertes(&tout) {
        assert!(vues.insert((pli, r)), "pli {pli} {r} ouvert deux fois");
    }
    assert_eq!(vues.len(), m.fichiers.len());
    // Same journal as without the failure, same files.
    let evenements =
        |j: &[EntreeJournal]| -> Vec<Evenement> { j.iter().map(|e| e.evenement.clone()).collect() };
    assert_eq!(evenements(&tout), evenements(&reference.entrees));
    assert_eq!(p, p_ref);
    for ((pli, r), fichiers) in &m.fichiers {
        for (nom, data) in fichiers {
            let chemin = dir
                .path()
                .join(format!("pli-{pli}"))
                .join(nom_enveloppe(*r))
                .join(nom);
            assert_eq!(&std::fs::read(chemin).unwrap(), data);
        }
    }
    assert!(!dir.path().join(".en-cours").exists());
}

#[test]
fn cle_partagee_meme_journal_et_reprise() {
    let m = monde();
    let alice = bicle("crypto/alice.cert.pem", "crypto/alice.key.pem");
    let evenements =
        |j: &[EntreeJournal]| -> Vec<Evenement> { j.iter().map(|e| e.evenement.clone()).collect() };
    // Reference: keys on the calling thread.
    let ref_dir = tempfile::tempdir().unwrap();
    let mut p_ref = m.b.p.clone();
    let reference = ouvrir(
        &mut p_ref,
        &m.b.org,
        &m.stockage,
        &alice,
        ref_dir.path(),
        1,
        None,
    );
    let bilan_ref = reference.resultat.unwrap();
    for fils in [1, 2, 3] {
        // Same journal, state, progress steps and files whatever the number of workers.
        let dir = tempfile::tempdir().unwrap();
        let mut p = m.b.p.clone();
        let o = ouvrir_mode(
            &mut p,
            &m.b.org,
            &m.stockage,
            &alice,
            dir.path(),
            fils,
            None,
            true,
        );
        assert_eq!(o.resultat.unwrap(), bilan_ref);
        assert_eq!(evenements(&o.entrees), evenements(&reference.entrees));
        assert_eq!(p, p_ref);
        assert_eq!(o.etapes.len(), reference.etapes.len());
        for ((pli, r), fichiers) in &m.fichiers {
            for (nom, data) in fichiers {
                let chemin = dir
                    .path()
                    .join(format!("pli-{pli}"))
                    .join(nom_enveloppe(*r))
                    .join(nom);
                assert_eq!(&std::fs::read(chemin).unwrap(), data);
            }
        }
        assert!(!dir.path().join(".en-cours").exists());
    }
    // The host fails to store the third envelope: the workers stop, the state is the one
    // stored, and a new call ends with the same journal, nothing opened twice.
    let dir = tempfile::tempdir().unwrap();
    let mut p = m.b.p.clone();
    let o = ouvrir_mode(
        &mut p,
        &m.b.org,
        &m.stockage,
        &alice,
        dir.path(),
        2,
        Some(2),
        true,
    );
    assert_eq!(o.resultat.unwrap_err().code(), CodeErreur::Es);
    assert_eq!(ouvertes(&o.entrees).len(), 2);
    let mut p = o.stockee.clone();
    let o2 = ouvrir_mode(
        &mut p,
        &m.b.org,
        &m.stockage,
        &alice,
        dir.path(),
        2,
        None,
        true,
    );
    o2.resultat.unwrap();
    let mut tout = o.entrees.clone();
    tout.extend(o2.entrees.clone());
    assert_eq!(evenements(&tout), evenements(&reference.entrees));
    assert_eq!(p, p_ref);
    // The secours key alone, shared, opens the same envelopes with the same results.
    let bob = bicle("crypto/bob.cert.pem", "crypto/bob.key.pem");
    let dir = tempfile::tempdir().unwrap();
    let mut p = m.b.p.clone();
    let o = ouvrir_mode(
        &mut p,
        &m.b.org,
        &m.stockage,
        &bob,
        dir.path(),
        2,
        None,
        true,
    );
    assert_eq!(o.resultat.unwrap(), bilan_ref);
    assert_eq!(evenements(&o.entrees), evenements(&reference.entrees));
}

#[test]
fn l_hote_ne_declare_pas_une_ouverture() {
    let mut m = monde();
    let qui = agent("a.martin");
    let a = Action::Ouvrir {
        mode: ModeOuvertureEnveloppe::EnLigne,
        enveloppes: vec![OuvertureEnveloppe {
            pli: 1,
            enveloppe: RefEnveloppe {
                enveloppe: mpe::model::TypeEnveloppe::Candidature,
                lot: 0,
            },
            resultat: ResultatDechiffrement::Ok { fichiers: vec![] },
        }],
    };
    assert_eq!(m.b.code(OUVERTURE, &qui, &a), CodeErreur::OctetsRequis);
}

#[test]
fn echecs_enregistres_enveloppe_fermee() {
    let mut m = monde_avec(true, false);
    let alice = bicle("crypto/alice.cert.pem", "crypto/alice.key.pem");
    let candidature = RefEnveloppe {
        enveloppe: mpe::model::TypeEnveloppe::Candidature,
        lot: 0,
    };
    // Pli 1: its stored bytes changed since the dépôt. Pli 2: the ZIP that climbs out.
    let mut stockage = m.stockage.clone();
    let v = stockage.0.get_mut(&(1, candidature)).unwrap();
    let n = v.len();
    v[n - 20] ^= 1;
    let dir = tempfile::tempdir().unwrap();
    let o = ouvrir(&mut m.b.p, &m.b.org, &stockage, &alice, dir.path(), 2, None);
    let bilan = o.resultat.unwrap();
    sortie_schema("echecs", &bilan);
    let codes: Vec<(u32, CodeErreur)> = bilan
        .echecs
        .iter()
        .map(|(p, _, e)| (*p, e.code()))
        .collect();
    assert_eq!(
        codes,
        [
            (1, CodeErreur::IntegriteEchec),
            (2, CodeErreur::ArchiveInvalide)
        ]
    );
    // Their candidatures stay closed, so do their offers; the failures are journalled.
    for n in [1, 2] {
        let pli = m.b.p.pli(n).unwrap();
        assert!(
            pli.enveloppes
                .iter()
                .all(|e| matches!(e.statut, StatutEnveloppe::Fermee))
        );
        assert_eq!(pli.enveloppe(candidature).unwrap().echecs_dechiffrement, 1);
    }
    let echecs: Vec<CodeErreur> = o
        .entrees
        .iter()
        .filter_map(|e| match &e.evenement {
            Evenement::DechiffrementEchoue { code, .. } => Some(*code),
            _ => None,
        })
        .collect();
    assert_eq!(
        echecs,
        [CodeErreur::IntegriteEchec, CodeErreur::ArchiveInvalide]
    );
    assert!(!dir.path().join("pli-2").join("candidature").exists());
    assert!(!dir.path().join("evade.txt").exists());
    // A key that is no recipient: every envelope fails, none opens.
    let mut m = monde();
    let carol = bicle("signature/chiffrement.pem", "signature/chiffrement.key");
    let o = ouvrir(
        &mut m.b.p,
        &m.b.org,
        &m.stockage,
        &carol,
        dir.path(),
        2,
        None,
    );
    let bilan = o.resultat.unwrap();
    assert!(bilan.ouvertes.is_empty());
    assert!(
        bilan
            .echecs
            .iter()
            .all(|(_, _, e)| e.code() == CodeErreur::AucunDestinataire)
    );
}

#[test]
fn ouverture_avant_la_dlro_refusee_sans_effet() {
    let mut m = monde();
    let alice = bicle("crypto/alice.cert.pem", "crypto/alice.key.pem");
    let dir = tempfile::tempdir().unwrap();
    let avant = m.b.p.clone();
    let qui = agent("a.martin");
    let ctx = m.b.ctx("2026-12-20T10:00:00Z", &qui);
    let options = OptionsOuverture::new(dir.path(), verification());
    let mut rien = |_: &mpe::procedure::EtapeOuverture| {};
    let mut enr = |_: &Procedure, _: &[EntreeJournal]| Ok(());
    let mut rappels = Rappels {
        progres: &mut rien,
        enregistrer: &mut enr,
    };
    let mut p = m.b.p.clone();
    let e = p
        .ouvrir_plis(
            &[],
            &m.stockage,
            &[Cle::Privee(&alice)],
            &options,
            &mut rappels,
            &ctx,
        )
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::PhaseIncorrecte);
    assert_eq!(p, avant);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // An unknown pli.
    let ctx = m.b.ctx(OUVERTURE, &qui);
    let e = p
        .ouvrir_plis(
            &[9],
            &m.stockage,
            &[Cle::Privee(&alice)],
            &options,
            &mut rappels,
            &ctx,
        )
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::PliInconnu);
    // An agent without the habilitation.
    let dupont = agent("j.dupont");
    let ctx = m.b.ctx(OUVERTURE, &dupont);
    let e = p
        .ouvrir_plis(
            &[],
            &m.stockage,
            &[Cle::Privee(&alice)],
            &options,
            &mut rappels,
            &ctx,
        )
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::NonHabilite);
    assert_eq!(p, avant);
    let _ = &mut m;
}

#[test]
fn par_reponse_les_offres_attendent_toutes_les_candidatures() {
    let mut m = monde_avec(false, true);
    let alice = bicle("crypto/alice.cert.pem", "crypto/alice.key.pem");
    let candidature = RefEnveloppe {
        enveloppe: mpe::model::TypeEnveloppe::Candidature,
        lot: 0,
    };
    let mut abimee = m.stockage.clone();
    let v = abimee.0.get_mut(&(1, candidature)).unwrap();
    v.truncate(v.len() / 2);
    let dir = tempfile::tempdir().unwrap();
    let o = ouvrir(&mut m.b.p, &m.b.org, &abimee, &alice, dir.path(), 2, None);
    let bilan = o.resultat.unwrap();
    assert_eq!(bilan.ouvertes, [(2, candidature)]);
    assert_eq!(bilan.echecs.len(), 1);
    // The storage repaired: the candidature opens, then every offer.
    let o = ouvrir(
        &mut m.b.p,
        &m.b.org,
        &m.stockage,
        &alice,
        dir.path(),
        2,
        None,
    );
    let bilan = o.resultat.unwrap();
    assert_eq!(bilan.ouvertes.first(), Some(&(1, candidature)));
    assert_eq!(bilan.ouvertes.len(), m.fichiers.len() - 1);
    assert!(bilan.echecs.is_empty());
}
