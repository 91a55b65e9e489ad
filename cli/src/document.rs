//! `mpe document generer`: a DAJ form (OUV3 … NOT18) filled from a procedure's stored
//! state and its organisation, by the library (`documents::donnees_documents`).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use mpe::Erreur;
use mpe::documents::{ParametresDocuments, donnees_documents, formulaires};
use mpe::model::Organisation;
use mpe::procedure::Procedure;

use crate::commun::{Sortie, ecrire, lire_texte};

/// Arguments of `mpe document`.
#[derive(Debug, Args)]
pub struct Document {
    #[command(subcommand)]
    commande: CommandeDocument,
}

#[derive(Debug, Subcommand)]
enum CommandeDocument {
    /// Écrit un formulaire de la DAJ (OUV3 … NOT18) rempli depuis l'état de la procédure.
    Generer(Generer),
}

/// Arguments of `mpe document generer`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exemples :
  mpe document generer OUV10 --procedure procedure.json --organisation organisation.json --lot 1 -o OUV10.docx
  mpe document generer NOT13 --procedure procedure.json --organisation organisation.json --lot 1 --pli 2 -o NOT13.docx
  mpe document generer NOT15 --procedure procedure.json --organisation organisation.json --lot 1 --parametres clauses.json -o NOT15.docx

Tout ce que la procédure connaît (consultation, plis, analyse, décisions, courriers) vient de
son état ; --parametres (JSON, documents::ParametresDocuments) donne le reste : commission,
clauses du contrat, garantie, tribunal, critères. Une donnée manquante est une erreur
(DONNEES_MANQUANTES, code de sortie 9) qui les liste toutes, et rien n'est écrit.")]
struct Generer {
    /// Code du formulaire (OUV3, OUV4, … NOT18).
    formulaire: String,
    /// L'état de la procédure (JSON, Procedure::to_json).
    #[arg(long)]
    procedure: PathBuf,
    /// L'organisation de l'acheteur (JSON).
    #[arg(long)]
    organisation: PathBuf,
    /// Le lot (0 quand la consultation n'est pas allotie) ; tous les lots par défaut.
    #[arg(long)]
    lot: Option<u32>,
    /// Le pli de l'entreprise destinataire (lettres : NOT13, OUV6…) ; l'attributaire par
    /// défaut.
    #[arg(long)]
    pli: Option<u32>,
    /// Date du document (AAAA-MM-JJ) ; celle de la dernière entrée du journal par défaut.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// Lieu de signature ; la ville de l'adresse de l'acheteur par défaut.
    #[arg(long)]
    lieu: Option<String>,
    /// Compléments (JSON, documents::ParametresDocuments) ; les options ci-dessus priment.
    #[arg(long)]
    parametres: Option<PathBuf>,
    /// Document à écrire (DOCX).
    #[arg(short = 'o', long = "sortie")]
    sortie: PathBuf,
}

/// Run `mpe document`.
pub fn document(args: Document, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandeDocument::Generer(g) => generer(g, sortie),
    }
}

fn generer(args: Generer, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let f = formulaires::formulaire(&args.formulaire)?;
    let procedure = Procedure::from_json(&lire_texte(&args.procedure)?)?;
    let organisation: Organisation = serde_json::from_str(&lire_texte(&args.organisation)?)
        .map_err(|e| Erreur::new(mpe::CodeErreur::JsonInvalide, format!("organisation : {e}")))?;
    let mut parametres: ParametresDocuments = match &args.parametres {
        Some(chemin) => serde_json::from_str(&lire_texte(chemin)?).map_err(|e| {
            Erreur::new(
                mpe::CodeErreur::JsonInvalide,
                format!("{} : {e}", chemin.display()),
            )
        })?,
        None => ParametresDocuments::default(),
    };
    parametres.lot = args.lot.or(parametres.lot);
    parametres.pli = args.pli.or(parametres.pli);
    parametres.date = args.date.or(parametres.date);
    parametres.lieu = args.lieu.or(parametres.lieu);
    let donnees = donnees_documents(&procedure, &organisation, &parametres)?;
    let docx = formulaires::generer(f.code, &donnees)?;
    ecrire(&args.sortie, &docx)?;
    sortie.info(format!(
        "{} « {} » écrit : {}",
        f.code,
        f.titre,
        args.sortie.display()
    ));
    Ok(ExitCode::SUCCESS)
}
