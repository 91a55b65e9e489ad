//! `mpe chiffrer` and `mpe dechiffrer`: CMS envelopes, streamed with a progress bar.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, ValueEnum};
use mpe::crypto::cles::verifier_pour_chiffrement;
use mpe::crypto::cms::{
    Chiffrement, OptionsChiffrement, TransportCle, decrypt_reader_to_file, encrypt_stream,
};
use mpe::crypto::keys::{BiCle, load_certificates};
use mpe::{Error, ErrorCode};

use crate::commun::{Sortie, avec_progression, barre_octets, lire, lire_mot_de_passe, temporaire};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Algo {
    #[value(name = "aes-256-gcm")]
    Gcm,
    #[value(name = "aes-256-cbc")]
    Cbc,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Transport {
    #[value(name = "oaep")]
    Oaep,
    #[value(name = "pkcs1v15")]
    Pkcs1v15,
}

/// Arguments of `mpe chiffrer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe chiffrer --destinataire acheteur.cert.pem --destinataire secours.cert.pem offre.zip -o offre.zip.p7m\n  mpe chiffrer --destinataire acheteur.cert.pem --chiffrement aes-256-cbc --transport-cle pkcs1v15 offre.zip -o offre.p7m\n\nÉcrit une enveloppe CMS en DER (AuthEnvelopedData AES-256-GCM par défaut, RSA-OAEP SHA-256),\nlisible par « openssl cms -decrypt »."
)]
pub struct Chiffrer {
    /// Certificat d'un destinataire (PEM ou DER) ; répéter pour plusieurs.
    #[arg(long = "destinataire", required = true)]
    destinataires: Vec<PathBuf>,
    /// Chiffrement du contenu.
    #[arg(long = "chiffrement", value_enum, default_value = "aes-256-gcm")]
    algo: Algo,
    /// Transport de la clé de contenu.
    #[arg(long = "transport-cle", value_enum, default_value = "oaep")]
    transport: Transport,
    /// Fichier à chiffrer.
    entree: PathBuf,
    /// Enveloppe à écrire.
    #[arg(short = 'o', long = "sortie")]
    sortie: PathBuf,
}

/// Arguments of `mpe dechiffrer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe dechiffrer --cle acheteur.key.pem offre.zip.p7m -o offre.zip\n  mpe dechiffrer --p12 acheteur.p12 --fichier-mot-de-passe mdp.txt offre.p7m -o offre.zip\n\nAccepte DER, BER (openssl cms -stream) et PEM. Sans --certificat, le certificat est cherché dans\nle fichier de la clé puis à côté (NOM.cert.pem pour NOM.key.pem). En cas d'échec (mauvaise\nclé, données altérées), aucun fichier de sortie n'est laissé."
)]
pub struct Dechiffrer {
    /// Clé privée (PEM : PKCS#1, PKCS#8, PKCS#8 chiffré).
    #[arg(long, conflicts_with = "p12", required_unless_present = "p12")]
    cle: Option<PathBuf>,
    /// Certificat de la clé.
    #[arg(long, requires = "cle")]
    certificat: Option<PathBuf>,
    /// Fichier PKCS#12 (clé et certificat).
    #[arg(long)]
    p12: Option<PathBuf>,
    /// Fichier contenant le mot de passe (première ligne).
    #[arg(long)]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Enveloppe chiffrée.
    entree: PathBuf,
    /// Fichier déchiffré à écrire.
    #[arg(short = 'o', long = "sortie")]
    sortie: PathBuf,
}

fn ouvrir(path: &Path) -> Result<File, Error> {
    File::open(path).map_err(|e| Error::new(ErrorCode::Io, format!("{} : {e}", path.display())))
}

pub fn chiffrer(args: Chiffrer, sortie: &Sortie) -> Result<ExitCode, Error> {
    let maintenant = Utc::now();
    let mut certificats = Vec::new();
    for p in &args.destinataires {
        for c in load_certificates(&lire(p)?)? {
            verifier_pour_chiffrement(&c, maintenant).map_err(|e| e.at(p.display().to_string()))?;
            certificats.push(c);
        }
    }
    let options = OptionsChiffrement {
        chiffrement: match args.algo {
            Algo::Gcm => Chiffrement::Aes256Gcm,
            Algo::Cbc => Chiffrement::Aes256Cbc,
        },
        transport: match args.transport {
            Transport::Oaep => TransportCle::RsaOaepSha256,
            Transport::Pkcs1v15 => TransportCle::RsaPkcs1v15,
        },
    };
    let entree = ouvrir(&args.entree)?;
    let taille = entree.metadata()?.len();
    let barre = barre_octets(sortie, taille, "Chiffrement");
    let tmp = temporaire(&args.sortie);
    let resultat = (|| {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        let mut r = avec_progression(BufReader::with_capacity(1 << 20, entree), &barre);
        encrypt_stream(&mut r, taille, &mut w, &certificats, &options)?;
        w.flush()?;
        w.get_ref().sync_all()?;
        std::fs::rename(&tmp, &args.sortie)?;
        Ok::<(), Error>(())
    })();
    barre.finish_and_clear();
    if let Err(e) = resultat {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sortie.info(format!(
        "{} chiffré pour {} destinataire(s) : {}",
        args.entree.display(),
        certificats.len(),
        args.sortie.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The certificate that goes with a key file when none is given: inside the key file, or
/// `NOM.cert.pem` beside `NOM.key.pem` (what `mpe bicle generer` writes).
fn certificat_voisin(cle: &Path) -> Option<PathBuf> {
    let name = cle.file_name()?.to_string_lossy();
    let base = name
        .strip_suffix(".key.pem")
        .or_else(|| name.strip_suffix(".pem"))?;
    let voisin = cle.with_file_name(format!("{base}.cert.pem"));
    voisin.exists().then_some(voisin)
}

pub fn charger_bicle(
    key: Option<&Path>,
    cert: Option<&Path>,
    p12: Option<&Path>,
    mdp: Option<&Path>,
) -> Result<BiCle, Error> {
    let mot_de_passe = mdp.map(lire_mot_de_passe).transpose()?;
    if let Some(p12) = p12 {
        return BiCle::load(&lire(p12)?, Some(mot_de_passe.as_deref().unwrap_or("")));
    }
    let key = key.ok_or_else(|| Error::invalid_argument("--cle ou --p12 est requis"))?;
    let key_bytes = lire(key)?;
    let cert_path = cert
        .map(Path::to_path_buf)
        .or_else(|| certificat_voisin(key));
    match cert_path {
        Some(c) => BiCle::from_pem(&lire(&c)?, &key_bytes, mot_de_passe.as_deref()),
        None => BiCle::from_pem(&key_bytes, &key_bytes, mot_de_passe.as_deref()).map_err(|_| {
            Error::invalid_argument(format!(
                "certificat introuvable pour {} : indiquer --certificat",
                key.display()
            ))
        }),
    }
}

pub fn dechiffrer(args: Dechiffrer, sortie: &Sortie) -> Result<ExitCode, Error> {
    let bicle = charger_bicle(
        args.cle.as_deref(),
        args.certificat.as_deref(),
        args.p12.as_deref(),
        args.fichier_mot_de_passe.as_deref(),
    )?;
    let entree = ouvrir(&args.entree)?;
    let barre = barre_octets(sortie, entree.metadata()?.len(), "Déchiffrement");
    let mut r = avec_progression(BufReader::with_capacity(1 << 20, entree), &barre);
    let resultat = decrypt_reader_to_file(&mut r, &args.sortie, &bicle);
    barre.finish_and_clear();
    let info = resultat?;
    sortie.info(format!(
        "{} déchiffré ({} octets, {:?}, destinataire {} sur {}) : {}",
        args.entree.display(),
        info.taille,
        info.chiffrement,
        info.destinataire + 1,
        info.destinataires,
        args.sortie.display()
    ));
    Ok(ExitCode::SUCCESS)
}
