//! `mpe keygen`: an encryption key pair (bi-clé) with its certificate.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::Args;
use mpe::Error;
use mpe::crypto::keys::{BiCle, GenerationBiCle, export_pkcs8_pem};

use crate::commun::{Sortie, ecrire, lire_mot_de_passe};

/// Arguments of `mpe keygen`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe keygen --name \"Jean DUPONT\" --out cles/\n  mpe keygen --name \"Direction des achats\" --secours --bits 4096 --p12 --password-file mdp.txt --out cles/\n\nÉcrit DIR/NOM.key.pem (PKCS#8, chiffré si un mot de passe est donné), DIR/NOM.cert.pem\net, avec --p12, DIR/NOM.p12 (AES-256, PBKDF2)."
)]
pub struct Keygen {
    /// Titulaire de la clé (le certificat s'appelle « Clé de déchiffrement de NOM »).
    #[arg(long = "name")]
    nom: String,
    /// Taille de la clé RSA : 2048, 3072 ou 4096.
    #[arg(long, default_value_t = 2048)]
    bits: usize,
    /// Durée de validité en jours.
    #[arg(long, default_value_t = 3 * 365)]
    days: u32,
    /// Clé de secours (toujours ajoutée aux destinataires des plis).
    #[arg(long)]
    secours: bool,
    /// Fichier contenant le mot de passe (première ligne) qui protège la clé privée.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Écrit aussi un fichier PKCS#12.
    #[arg(long)]
    p12: bool,
    /// Dossier de sortie.
    #[arg(long)]
    out: PathBuf,
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

pub fn keygen(args: Keygen, sortie: &Sortie) -> Result<ExitCode, Error> {
    let mot_de_passe = args
        .password_file
        .as_deref()
        .map(lire_mot_de_passe)
        .transpose()?;
    if args.p12 && mot_de_passe.is_none() {
        return Err(Error::invalid_argument(
            "--p12 demande un mot de passe (--password-file)",
        ));
    }
    let mut params = GenerationBiCle::new(args.nom.clone());
    params.bits = args.bits;
    params.jours_validite = args.days;
    if args.secours {
        params.nom_complet = Some(format!("Clé de secours de {}", args.nom));
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Error::new(mpe::ErrorCode::Io, format!("{} : {e}", args.out.display())))?;
    let bicle = BiCle::generate(&params, Utc::now())?;
    let base = args.out.join(nom_fichier(&args.nom));
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
