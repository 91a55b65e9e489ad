//! `mpe ouvrir` (the opening of a consultation's plis from a folder, resumable) and `mpe plis
//! exporter` (the encrypted plis copied to a folder for an offline opening).
//!
//! The procedure is its state file (JSON) and its journal (JSON Lines). After each envelope
//! the journal lines are appended and synced, then the state is replaced atomically: a
//! crash between the two leaves journal lines the state does not know, dropped at the next
//! start, so the envelope is opened again and the journal stays whole.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use mpe::crypto::bicle::{load_certificate, load_certificates};
use mpe::crypto::cms::Cle;
use mpe::crypto::dechiffreur::CleDechiffrement;
use mpe::model::{ModeDepot, ModeOuvertureEnveloppe, Organisation, StatutEnveloppe};
use mpe::procedure::{
    Acteur, Contexte, EntreeJournal, EtapeOuverture, OptionsOuverture, Procedure, Rappels,
    StockageDossier, StockagePlis,
};
use mpe::signature::OptionsVerification;
use mpe::{CodeErreur, Erreur};
use sha2::{Digest, Sha256};

use crate::commun::{Sortie, barre_octets, ecrire, lire, lire_secret, lire_texte};

/// Arguments of `mpe ouvrir`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemple :\n  mpe ouvrir procedure.json --journal journal.jsonl --plis plis/ --sortie ouverture/ \\\n    --organisation organisation.json --agent a.martin --p12 cle.p12 --fichier-mot-de-passe mdp.txt --confiance ac.pem\n\nLe dossier des plis contient pli-<n>/<enveloppe>.p7m (candidature.p7m, offre-lot-2.p7m…), comme\nl'écrit « mpe plis exporter ». Relancée après une interruption, la commande reprend où le journal\ns'est arrêté : une enveloppe ouverte ne l'est jamais deux fois."
)]
pub struct Ouvrir {
    /// L'état de la procédure (JSON), mis à jour après chaque enveloppe.
    etat: PathBuf,
    /// Le journal (JSON Lines), complété après chaque enveloppe.
    #[arg(long)]
    journal: PathBuf,
    /// Le dossier des enveloppes chiffrées (pli-<n>/<enveloppe>.p7m).
    #[arg(long)]
    plis: PathBuf,
    /// Où extraire les fichiers (pli-<n>/<enveloppe>/…).
    #[arg(short = 'o', long)]
    sortie: PathBuf,
    /// L'organisation de l'acheteur (JSON).
    #[arg(long)]
    organisation: PathBuf,
    /// L'agent qui ouvre (identifiant dans l'organisation).
    #[arg(long)]
    agent: String,
    /// L'instant de l'ouverture (RFC 3339) ; par défaut maintenant.
    #[arg(long)]
    maintenant: Option<String>,
    /// Clé privée (PEM) ; le certificat est joint au PEM, donné par --certificat ou voisin.
    #[arg(long, conflicts_with = "p12", required_unless_present = "p12")]
    cle: Option<PathBuf>,
    /// Certificat de la clé (PEM).
    #[arg(long, requires = "cle")]
    certificat: Option<PathBuf>,
    /// Bi-clé PKCS#12.
    #[arg(long)]
    p12: Option<PathBuf>,
    /// Fichier du mot de passe (`-` : entrée standard).
    #[arg(long, conflicts_with = "variable_mot_de_passe")]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Variable d'environnement du mot de passe.
    #[arg(long)]
    variable_mot_de_passe: Option<String>,
    /// Certificat(s) d'autorité de confiance pour les signatures des fichiers ; répéter au besoin.
    #[arg(long)]
    confiance: Vec<PathBuf>,
    /// N'ouvrir que ce pli ; répéter au besoin (par défaut tous).
    #[arg(long)]
    pli: Vec<u32>,
    /// Ouverture hors ligne (enveloppes exportées).
    #[arg(long)]
    hors_ligne: bool,
    /// Fils pour l'extraction et la vérification (0 : tous les cœurs).
    #[arg(long, default_value_t = 0)]
    fils: usize,
    /// Affiche le bilan en JSON.
    #[arg(long)]
    json: bool,
}

/// `mpe plis …`.
#[derive(Debug, Args)]
pub struct Plis {
    #[command(subcommand)]
    commande: CommandePlis,
}

#[derive(Debug, Subcommand)]
enum CommandePlis {
    /// Copie les enveloppes chiffrées encore fermées vers un dossier, pour une ouverture hors ligne.
    Exporter(Exporter),
}

/// Arguments of `mpe plis exporter`.
#[derive(Debug, Args)]
pub struct Exporter {
    /// L'état de la procédure (JSON).
    etat: PathBuf,
    /// Le dossier des enveloppes de la plateforme (pli-<n>/<enveloppe>.p7m).
    #[arg(long)]
    plis: PathBuf,
    /// Le dossier d'export (créé) : pli-<n>/<enveloppe>.p7m et procedure.json.
    #[arg(short = 'o', long)]
    sortie: PathBuf,
}

fn io(p: &Path, e: impl std::fmt::Display) -> Erreur {
    Erreur::new(CodeErreur::Es, format!("{} : {e}", p.display()))
}

fn etat(p: &Path) -> Result<Procedure, Erreur> {
    serde_json::from_str(&lire_texte(p)?)
        .map_err(|e| Erreur::new(CodeErreur::JsonInvalide, format!("{} : {e}", p.display())))
}

/// The journal lines, cut back to the state's length (lines of an envelope whose state was
/// not written are dropped: it is opened again).
fn aligner_journal(p: &Path, longueur: u64) -> Result<(), Erreur> {
    if !p.exists() {
        if longueur == 0 {
            return Ok(());
        }
        return Err(Erreur::new(
            CodeErreur::JournalCorrompu,
            format!("{} absent : l'état compte {longueur} entrées", p.display()),
        ));
    }
    let f = std::fs::File::open(p).map_err(|e| io(p, e))?;
    let mut garde = Vec::new();
    let mut n = 0u64;
    for l in std::io::BufReader::new(f).lines() {
        let l = l.map_err(|e| io(p, e))?;
        if l.trim().is_empty() {
            continue;
        }
        if n == longueur {
            break;
        }
        garde.extend_from_slice(l.as_bytes());
        garde.push(b'\n');
        n += 1;
    }
    if n < longueur {
        return Err(Erreur::new(
            CodeErreur::JournalCorrompu,
            format!("{} : {n} entrées, l'état en compte {longueur}", p.display()),
        ));
    }
    if garde.len() as u64 != std::fs::metadata(p).map_err(|e| io(p, e))?.len() {
        ecrire(p, &garde)?;
    }
    Ok(())
}

fn charger_cle(args: &Ouvrir) -> Result<CleDechiffrement, Erreur> {
    let mot_de_passe = lire_secret(
        args.fichier_mot_de_passe.as_deref(),
        args.variable_mot_de_passe.as_deref(),
        "mot de passe",
    )?;
    let fichier = args
        .p12
        .as_deref()
        .or(args.cle.as_deref())
        .ok_or_else(|| Erreur::invalid_argument("--cle ou --p12 est requis"))?;
    let mut cle = CleDechiffrement::charger(&lire(fichier)?, mot_de_passe.as_deref())
        .map_err(|e| e.at(fichier.display().to_string()))?;
    if cle.certificat_joint().is_none()
        && let Some(c) = &args.certificat
    {
        cle = cle
            .avec_certificat(load_certificate(&lire(c)?)?)
            .map_err(|e| e.at(c.display().to_string()))?;
    }
    Ok(cle)
}

/// `mpe ouvrir`.
pub fn ouvrir(args: Ouvrir, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let mut p = etat(&args.etat)?;
    aligner_journal(&args.journal, p.journal.longueur)?;
    let organisation: Organisation = serde_json::from_str(&lire_texte(&args.organisation)?)
        .map_err(|e| Erreur::new(CodeErreur::JsonInvalide, format!("organisation : {e}")))?;
    let maintenant: DateTime<Utc> = match &args.maintenant {
        Some(t) => mpe::rules::temps::instant_rfc3339(t).map_err(|e| e.at("--maintenant"))?,
        None => Utc::now(),
    };
    let acteur = Acteur::Agent {
        id: args.agent.clone(),
    };
    let ctx = Contexte {
        maintenant,
        acteur: &acteur,
        organisation: &organisation,
    };
    let mut ancres = Vec::new();
    for c in &args.confiance {
        ancres.extend(load_certificates(&lire(c)?).map_err(|e| e.at(c.display().to_string()))?);
    }
    let verification = OptionsVerification {
        ancres,
        date_verification: Some(maintenant),
        ..Default::default()
    };
    let mut options = OptionsOuverture::new(&args.sortie, verification);
    options.fils = args.fils;
    if args.hors_ligne {
        options.mode = ModeOuvertureEnveloppe::HorsLigne;
    }
    let cle = charger_cle(&args)?;
    let stockage = StockageDossier {
        dossier: args.plis.clone(),
    };
    let barre = barre_octets(sortie, 0, "Ouverture");
    let mut progres = |e: &EtapeOuverture| match e {
        EtapeOuverture::Descripteurs { enveloppes } => {
            barre.set_length(*enveloppes as u64);
            barre.set_message(format!("Descripteurs : {enveloppes} enveloppe(s)"));
        }
        EtapeOuverture::ClePrivee => barre.set_message("Clé privée"),
        EtapeOuverture::Dechiffrement {
            index,
            total,
            pli,
            enveloppe,
            ..
        } => {
            barre.set_length(*total as u64);
            barre.set_position(*index as u64);
            barre.set_message(format!(
                "Déchiffrement {index} sur {total} (pli {pli}, {enveloppe})"
            ));
        }
        EtapeOuverture::Termine { .. } => barre.finish_and_clear(),
    };
    let (chemin_etat, chemin_journal) = (args.etat.clone(), args.journal.clone());
    let mut enregistrer = |etat: &Procedure, j: &[EntreeJournal]| -> Result<(), Erreur> {
        let lignes = mpe::procedure::exporter_jsonl(j)?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&chemin_journal)
            .map_err(|e| io(&chemin_journal, e))?;
        f.write_all(lignes.as_bytes())
            .and_then(|_| f.sync_data())
            .map_err(|e| io(&chemin_journal, e))?;
        ecrire(&chemin_etat, etat.to_json().as_bytes())
    };
    let bilan = p.ouvrir_plis(
        &args.pli,
        &stockage,
        &[Cle::Privee(&cle)],
        &options,
        &mut Rappels {
            progres: &mut progres,
            enregistrer: &mut enregistrer,
        },
        &ctx,
    )?;
    barre.finish_and_clear();
    if args.json {
        sortie.json(&bilan)?;
    } else {
        sortie.info(format!(
            "{} enveloppe(s) ouverte(s), {} en échec",
            bilan.ouvertes.len(),
            bilan.echecs.len()
        ));
        for (pli, e, err) in &bilan.echecs {
            sortie.info(format!("  pli {pli}, {e} : {err} [{}]", err.code().name()));
        }
    }
    Ok(if bilan.echecs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(7)
    })
}

/// `mpe plis …`.
pub fn plis(args: Plis, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandePlis::Exporter(a) => exporter(a, sortie),
    }
}

/// Copy every electronic envelope still closed of the plis that count, checked against the
/// SHA-256 of its dépôt, each file complete under its name or absent.
fn exporter(args: Exporter, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let p = etat(&args.etat)?;
    let source = StockageDossier {
        dossier: args.plis.clone(),
    };
    let cible = StockageDossier {
        dossier: args.sortie.clone(),
    };
    let mut a_copier = Vec::new();
    for pli in p
        .plis
        .iter()
        .filter(|pli| pli.recevable() && pli.mode == ModeDepot::Electronique)
    {
        for e in &pli.enveloppes {
            if matches!(e.statut, StatutEnveloppe::Fermee)
                && let Some(o) = &e.octets
            {
                a_copier.push((pli.numero, e.reference(), o.taille, o.sha256));
            }
        }
    }
    let total: u64 = a_copier.iter().map(|(_, _, t, _)| *t).sum();
    let barre = barre_octets(sortie, total, "Export des plis");
    for (pli, r, _, attendu) in &a_copier {
        let chemin = cible.chemin(*pli, *r);
        if let Some(d) = chemin.parent() {
            std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
        }
        let mut lecteur = source.lire(*pli, *r)?;
        let mut h = Sha256::new();
        let provisoire = crate::commun::Provisoire::ecrire(&chemin, |w| {
            let mut buf = vec![0u8; 256 * 1024];
            loop {
                let n = lecteur.read(&mut buf).map_err(|e| io(&chemin, e))?;
                if n == 0 {
                    break;
                }
                let b = buf.get(..n).unwrap_or_default();
                h.update(b);
                w.write_all(b).map_err(|e| io(&chemin, e))?;
                barre.inc(n as u64);
            }
            Ok(())
        })?;
        let calcule = hex::encode(h.finalize());
        if calcule != attendu.to_string() {
            barre.finish_and_clear();
            return Err(Erreur::new(
                CodeErreur::IntegriteEchec,
                format!("enveloppe {r} du pli {pli} : SHA-256 {calcule}, {attendu} au dépôt"),
            ));
        }
        provisoire.publier()?;
    }
    barre.finish_and_clear();
    ecrire(&args.sortie.join("procedure.json"), p.to_json().as_bytes())?;
    sortie.info(format!(
        "{} enveloppe(s) exportée(s) dans {} ({total} octets)",
        a_copier.len(),
        args.sortie.display()
    ));
    Ok(ExitCode::SUCCESS)
}
