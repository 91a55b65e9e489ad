//! `mpe bicle generer`: an encryption key pair (bi-clé) with its certificate.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, Subcommand};
use mpe::Error;
use mpe::crypto::keys::{BiCle, GenerationBiCle, export_pkcs8_pem};

use crate::commun::{Sortie, ecrire, lire_mot_de_passe};

/// `mpe bicle <verbe>`.
#[derive(Debug, Args)]
pub struct Bicle {
    #[command(subcommand)]
    commande: CommandeBicle,
}

#[derive(Debug, Subcommand)]
enum CommandeBicle {
    /// Crée un bi-clé de chiffrement (clé RSA et certificat), personnel ou de secours.
    Generer(Generer),
}

pub fn bicle(args: Bicle, sortie: &Sortie) -> Result<ExitCode, Error> {
    match args.commande {
        CommandeBicle::Generer(a) => generer(a, sortie),
    }
}

/// Arguments of `mpe bicle generer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe bicle generer --titulaire \"Jean DUPONT\" --dossier cles/\n  mpe bicle generer --titulaire \"Direction des achats\" --secours --bits 4096 --p12 --fichier-mot-de-passe mdp.txt --dossier cles/\n\nÉcrit DIR/NOM.key.pem (PKCS#8, chiffré si un mot de passe est donné), DIR/NOM.cert.pem\net, avec --p12, DIR/NOM.p12 (AES-256, PBKDF2)."
)]
pub struct Generer {
    /// Titulaire de la clé (le certificat s'appelle « Clé de déchiffrement de NOM »).
    #[arg(long)]
    titulaire: String,
    /// Taille de la clé RSA : 2048, 3072 ou 4096.
    #[arg(long, default_value_t = 2048)]
    bits: usize,
    /// Durée de validité en jours.
    #[arg(long, default_value_t = 3 * 365)]
    jours: u32,
    /// Clé de secours (toujours ajoutée aux destinataires des plis).
    #[arg(long)]
    secours: bool,
    /// Fichier contenant le mot de passe (première ligne) qui protège la clé privée.
    #[arg(long)]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Écrit aussi un fichier PKCS#12.
    #[arg(long)]
    p12: bool,
    /// Dossier de sortie.
    #[arg(long)]
    dossier: PathBuf,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// A file name from a key name: no path separators or control characters.
fn nom_fichier(nom: &str) -> String {
    nom.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn generer(args: Generer, sortie: &Sortie) -> Result<ExitCode, Error> {
    let mot_de_passe = args
        .fichier_mot_de_passe
        .as_deref()
        .map(lire_mot_de_passe)
        .transpose()?;
    if args.p12 && mot_de_passe.is_none() {
        return Err(Error::invalid_argument(
            "--p12 demande un mot de passe (--fichier-mot-de-passe)",
        ));
    }
    let mut params = GenerationBiCle::new(args.titulaire.clone());
    params.bits = args.bits;
    params.jours_validite = args.jours;
    if args.secours {
        params.nom_complet = Some(format!("Clé de secours de {}", args.titulaire));
    }
    std::fs::create_dir_all(&args.dossier).map_err(|e| {
        Error::new(
            mpe::ErrorCode::Io,
            format!("{} : {e}", args.dossier.display()),
        )
    })?;
    let bicle = BiCle::generate(&params, Utc::now())?;
    let base = args.dossier.join(nom_fichier(&args.titulaire));
    let chemin = |ext: &str| PathBuf::from(format!("{}.{ext}", base.display()));
    let cle = chemin("key.pem");
    let cert = chemin("cert.pem");
    ecrire(
        &cle,
        export_pkcs8_pem(bicle.key(), mot_de_passe.as_deref())?.as_bytes(),
    )?;
    ecrire(&cert, bicle.certificate_pem()?.as_bytes())?;
    let mut fichiers = vec![cle, cert];
    if let Some(mdp) = mot_de_passe.as_deref().filter(|_| args.p12) {
        let p12 = chemin("p12");
        ecrire(&p12, &bicle.to_pkcs12(mdp)?)?;
        fichiers.push(p12);
    }
    let info = bicle.info();
    if args.json {
        sortie.json(&serde_json::json!({ "bicle": info, "fichiers": fichiers }))?;
    } else {
        sortie.info(format!(
            "Bi-clé « {} » ({} bits) créée :",
            info.nom, args.bits
        ));
        for f in &fichiers {
            sortie.info(format!("  {}", f.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}
