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
