//! `mpe fusionner`: fill a DOCX template (placeholders `{{ }}`, MERGEFIELDs, content controls)
//! with JSON data, or list the fields a template expects.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use mpe::documents::{Genre, OptionsFusion, Source};
use mpe::{CodeErreur, Erreur};
use serde::Serialize;

use crate::commun::{Sortie, colonne, ecrire, lire, lire_texte};

/// Arguments of `mpe fusionner`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exemples :
  mpe fusionner modele.docx donnees.json -o courrier.docx
  mpe fusionner --lister-champs modele.docx
  mpe fusionner --lister-champs modele.docx --json

Champs reconnus : {{ champ }} (même coupé par Word), MERGEFIELD (simples et complexes) et
contrôles de contenu (par leur balise). Sections : {{#lots}}…{{/lots}} répète ou garde un bloc,
{{^x}}…{{/x}} le garde quand x est faux ou vide. Filtres : | montant, | montant_lettres, | date,
| date_longue, | siret, | nombre 2, | majuscules, | defaut \"—\"...
Par défaut toute donnée manquante est une erreur (DONNEES_MANQUANTES, code de sortie 9) qui
les liste toutes, et rien n'est écrit ; --non-strict les laisse vides.")]
pub struct Fusionner {
    /// Modèle DOCX.
    modele: PathBuf,
    /// Données (objet JSON) ; absent avec --lister-champs.
    #[arg(
        required_unless_present = "lister_champs",
        conflicts_with = "lister_champs"
    )]
    donnees: Option<PathBuf>,
    /// Document à écrire.
    #[arg(
        short = 'o',
        long = "sortie",
        required_unless_present = "lister_champs",
        conflicts_with = "lister_champs"
    )]
    sortie: Option<PathBuf>,
    /// Liste les champs du modèle au lieu de fusionner.
    #[arg(long)]
    lister_champs: bool,
    /// Les données manquantes sont rendues vides au lieu d'être une erreur.
    #[arg(long)]
    non_strict: bool,
    /// Garde les contrôles de contenu autour des valeurs.
    #[arg(long)]
    conserver_controles: bool,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// What `mpe fusionner --json` prints (`schemas/resultat_fusion.schema.json`).
#[derive(Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResultatFusion<'a> {
    fichier: &'a std::path::Path,
    octets: usize,
    champs: usize,
}

pub fn fusionner(a: Fusionner, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let modele = lire(&a.modele)?;
    if a.lister_champs {
        let champs = mpe::documents::lister_champs(&modele)?;
        if a.json {
            sortie.json(&champs)?;
            return Ok(ExitCode::SUCCESS);
        }
        sortie.info(format!(
            "{} : {} champ(s)",
            a.modele.display(),
            champs.len()
        ));
        sortie.info(format!(
            "{} {} {} {}",
            colonne("Champ", 40),
            colonne("Genre", 15),
            colonne("Dans la section", 24),
            "Écrit en"
        ));
        for c in &champs {
            let genre = match c.genre {
                Genre::Valeur if c.optionnel => "valeur (option.)",
                Genre::Valeur => "valeur",
                Genre::Section => "section",
                Genre::SectionInverse => "section inverse",
                Genre::Fin => "fin de section",
            };
            let sources: Vec<&str> = c
                .sources
                .iter()
                .map(|s| match s {
                    Source::Balise => "{{ }}",
                    Source::Mergefield => "MERGEFIELD",
                    Source::Controle => "contrôle",
                })
                .collect();
            sortie.info(format!(
                "{} {} {} {}",
                colonne(&c.nom, 40),
                colonne(genre, 15),
                colonne(&c.sections.join(" › "), 24),
                sources.join(", ")
            ));
        }
        return Ok(ExitCode::SUCCESS);
    }
    // clap guarantees both with a merge; checked again rather than unwrapped.
    let (Some(donnees), Some(cible)) = (a.donnees, a.sortie) else {
        return Err(Erreur::invalid_argument(
            "DATA.json et -o OUT.docx sont requis pour une fusion",
        ));
    };
    let texte = lire_texte(&donnees)?;
    let valeurs: serde_json::Value = serde_json::from_str(&texte).map_err(|e| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{} : JSON invalide : {e}", donnees.display()),
        )
    })?;
    if !valeurs.is_object() {
        return Err(Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{} : un objet JSON est attendu", donnees.display()),
        ));
    }
    let options = OptionsFusion {
        strict: !a.non_strict,
        conserver_controles: a.conserver_controles,
    };
    let m = mpe::documents::ModeleDocx::compiler(&modele[..], &options)?;
    let champs = m.champs().len();
    let docx = m.fusionner(&valeurs)?;
    ecrire(&cible, &docx)?;
    let r = ResultatFusion {
        fichier: &cible,
        octets: docx.len(),
        champs,
    };
    if a.json {
        sortie.json(&r)?;
    } else {
        sortie.info(format!(
            "Fusionné : {} ({} champ(s), {} octets)",
            cible.display(),
            champs,
            docx.len()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
