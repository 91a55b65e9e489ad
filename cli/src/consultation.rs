//! `mpe valider`: the rules of a consultation.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Args;
use mpe::Erreur;
use mpe::model::{Consultation, Organisation};
use mpe::rules::Gravite;

use crate::commun::{Sortie, lire_texte};

/// Arguments of `mpe valider`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemple :\n  mpe valider consultation.json --organisation organisation.json --maintenant 2026-11-02T09:00:00Z"
)]
pub struct Valider {
    /// La consultation (JSON, schéma schemas/consultation.schema.json).
    consultation: PathBuf,
    /// L'organisation (JSON), pour vérifier services, agents et type d'acheteur.
    #[arg(long)]
    organisation: Option<PathBuf>,
    /// Instant de la validation (RFC 3339) ; maintenant par défaut.
    #[arg(long)]
    maintenant: Option<DateTime<Utc>>,
    /// Affiche les constats en JSON.
    #[arg(long)]
    json: bool,
}

pub fn valider(args: Valider, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let c = Consultation::from_json(&lire_texte(&args.consultation)?)?;
    let org: Option<Organisation> = match &args.organisation {
        Some(p) => Some(serde_json::from_str(&lire_texte(p)?)?),
        None => None,
    };
    let maintenant = args.maintenant.unwrap_or_else(Utc::now);
    let constats = mpe::rules::valider(&c, org.as_ref(), maintenant);
    let erreurs = constats
        .iter()
        .filter(|f| f.gravite == Gravite::Erreur)
        .count();
    if args.json {
        sortie.json(&constats)?;
    } else {
        sortie.info(format!(
            "{} — {}",
            c.identification.reference, c.identification.intitule
        ));
        for f in &constats {
            let article = f
                .article
                .as_deref()
                .map(|a| format!(" [art. {a}]"))
                .unwrap_or_default();
            sortie.info(format!(
                "  {:<13} {} {} : {}{article}",
                format!("{:?}", f.gravite),
                f.code.name(),
                f.chemin,
                f.message
            ));
        }
        sortie.info(format!(
            "{} constat(s), dont {erreurs} erreur(s)",
            constats.len()
        ));
    }
    Ok(if erreurs == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    })
}

// --- `mpe consultation modifier`: the modification after publication (#18).

/// `mpe consultation …`.
#[derive(Debug, Args)]
pub struct CommandeConsultation {
    #[command(subcommand)]
    commande: SousCommande,
}

#[derive(Debug, clap::Subcommand)]
enum SousCommande {
    /// Modifie une consultation publiée (pièces du DCE, champs permis, report de la DLRO) et écrit la lettre de modification.
    Modifier(Modifier),
}

/// Arguments of `mpe consultation modifier`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemple :\n  mpe consultation modifier --procedure procedure.json --journal journal.jsonl \\\n    --consultation consultation-v2.json --motif \"Additif n° 1\" --pieces dce-v2/ \\\n    --organisation organisation.json --agent a.martin --courrier lettre.json\n\nmpe trouve lui-même les changements (pièces remplacées ou ajoutées avec leur SHA-256, champs\npermis, DLRO reportée), refuse les autres, fait une nouvelle version du DCE et la journalise.\nLa lettre va à chaque entreprise du registre des retraits ; les pièces ajoutées ou remplaçantes\n(lues dans --pieces) y sont jointes après contrôle de leur empreinte."
)]
pub struct Modifier {
    /// L'état de la procédure (JSON), réécrit après la modification.
    #[arg(long)]
    procedure: PathBuf,
    /// Le journal (JSON Lines), complété par la modification.
    #[arg(long)]
    journal: PathBuf,
    /// La consultation telle que modifiée (JSON, même identifiant).
    #[arg(long)]
    consultation: PathBuf,
    /// Le motif de la modification (repris dans la lettre).
    #[arg(long)]
    motif: String,
    /// Le dossier des pièces ajoutées ou remplaçantes, sous leur nom.
    #[arg(long)]
    pieces: Option<PathBuf>,
    /// L'organisation de l'acheteur (JSON).
    #[arg(long)]
    organisation: PathBuf,
    /// L'agent qui modifie (identifiant dans l'organisation).
    #[arg(long)]
    agent: String,
    /// L'instant de la modification (RFC 3339) ; par défaut maintenant.
    #[arg(long)]
    maintenant: Option<String>,
    /// Où écrire la lettre de modification (JSON `Courrier`) ; par défaut la sortie standard.
    #[arg(long)]
    courrier: Option<PathBuf>,
}

/// `mpe consultation …`.
pub fn consultation(args: CommandeConsultation, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        SousCommande::Modifier(a) => modifier(a, sortie),
    }
}

fn modifier(args: Modifier, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    use mpe::CodeErreur;
    use mpe::procedure::{Acteur, Action, ChangementConsultation, Contexte, Procedure};
    use std::io::Write;

    let json = |p: &std::path::Path, e: serde_json::Error| {
        Erreur::new(CodeErreur::JsonInvalide, format!("{} : {e}", p.display()))
    };
    let p: Procedure = serde_json::from_str(&lire_texte(&args.procedure)?)
        .map_err(|e| json(&args.procedure, e))?;
    let c = Consultation::from_json(&lire_texte(&args.consultation)?)?;
    let org: Organisation = serde_json::from_str(&lire_texte(&args.organisation)?)
        .map_err(|e| json(&args.organisation, e))?;
    let maintenant = match &args.maintenant {
        Some(t) => mpe::rules::temps::instant_rfc3339(t).map_err(|e| e.at("--maintenant"))?,
        None => Utc::now(),
    };
    let acteur = Acteur::Agent {
        id: args.agent.clone(),
    };
    let ctx = Contexte {
        maintenant,
        acteur: &acteur,
        organisation: &org,
    };
    // The journal on disk must be the state's: a modification applied to another state would
    // chain lines that do not follow.
    let lignes_avant = match std::fs::read_to_string(&args.journal) {
        Ok(t) => t.lines().filter(|l| !l.trim().is_empty()).count() as u64,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => {
            return Err(Erreur::new(
                CodeErreur::Es,
                format!("{} : {e}", args.journal.display()),
            ));
        }
    };
    if lignes_avant != p.journal.longueur {
        return Err(Erreur::new(
            CodeErreur::JournalCorrompu,
            format!(
                "{} : {lignes_avant} ligne(s), l'état en attend {}",
                args.journal.display(),
                p.journal.longueur
            ),
        ));
    }
    let action = Action::ModifierConsultationPubliee {
        consultation: Box::new(c),
        motif: args.motif.clone(),
    };
    let mut q = p.clone();
    let entrees = q.appliquer(&action, &ctx)?;
    let version = q.version_dce();
    // The letter before anything is written: a pièce missing or altered refuses the whole.
    let mut pieces = Vec::new();
    if let Some(v) = q.versions_dce.iter().find(|v| v.numero == version) {
        for ch in &v.changements {
            let piece = match ch {
                ChangementConsultation::AjoutPiece { piece, .. }
                | ChangementConsultation::RemplacementPiece { piece, .. } => piece,
                _ => continue,
            };
            if let Some(d) = &args.pieces {
                let f = d.join(&piece.nom);
                if f.is_file() {
                    pieces.push((piece.nom.clone(), crate::commun::lire(&f)?));
                }
            }
        }
    }
    let courrier = q.courrier_modification(version, &pieces)?;
    let lignes = mpe::procedure::exporter_jsonl(&entrees)?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.journal)
        .and_then(|mut f| {
            f.write_all(lignes.as_bytes())?;
            f.sync_data()?;
            Ok(f)
        })
        .map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", args.journal.display())))?;
    f.flush().ok();
    crate::commun::ecrire(&args.procedure, q.to_json().as_bytes())?;
    let texte = serde_json::to_string_pretty(&courrier)?;
    match &args.courrier {
        Some(c) => crate::commun::ecrire(c, texte.as_bytes())?,
        None => println!("{texte}"),
    }
    sortie.info(format!(
        "version {version} du DCE ; lettre à {} entreprise(s), {} pièce(s) jointe(s)",
        courrier.destinataires.len(),
        courrier.pieces_jointes.len()
    ));
    for e in &entrees {
        if let mpe::procedure::Evenement::ConsultationPublieeModifiee { avertissements, .. } =
            &e.evenement
        {
            for a in avertissements {
                sortie.info(format!("  avertissement {} : {}", a.code.name(), a.message));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
