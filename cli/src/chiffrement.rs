//! `mpe chiffrer` and `mpe dechiffrer`: CMS envelopes, streamed with a progress bar.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, ValueEnum};
use mpe::crypto::bicle::{BiCle, load_certificate, load_certificates};
use mpe::crypto::cle_chiffrement::verifier_pour_chiffrement;
use mpe::crypto::cms::{
    Chiffrement, Cle, OptionsChiffrement, OptionsDechiffrement, TransportCle, dechiffrer_flux,
    encrypt_stream,
};
use mpe::crypto::dechiffreur::CleDechiffrement;
use mpe::{CodeErreur, Erreur};

use crate::commun::{Sortie, avec_progression, barre_octets, lire, lire_secret};
use mpe::fichier_atomique::{Confidentialite, FichierAtomique};

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
    after_help = "Exemples :\n  mpe dechiffrer --cle acheteur.key.pem --fichier-mot-de-passe mdp.txt offre.zip.p7m -o offre.zip\n  mpe dechiffrer --p12 acheteur.p12 --variable-mot-de-passe MPE_MDP offre.p7m -o offre.zip\n  mpe dechiffrer --pkcs11 /usr/lib/softhsm/libsofthsm2.so --jeton \"Ma carte\" --cle \"Clé de chiffrement\" --variable-pin MPE_PIN offre.p7m -o offre.zip\n\nAccepte DER, BER (openssl cms -stream), PEM et S/MIME. La clé : PEM ou DER (PKCS#8, PKCS#8\nchiffré, PKCS#1, SEC1 EC) ou PKCS#12 ; RSA, P-256/384/521, X25519. Le destinataire est reconnu\npar le certificat (--certificat, dans le fichier de la clé ou NOM.cert.pem à côté de NOM.key.pem)\nou, sans certificat, par la clé elle-même. Mot de passe et PIN : fichier (- pour l'entrée\nstandard) ou variable d'environnement, jamais en argument. En cas d'échec (mauvaise clé,\ndonnées altérées, algorithme obsolète sans --legacy), aucun fichier de sortie n'est laissé."
)]
pub struct Dechiffrer {
    /// Clé privée (PEM ou DER, PKCS#8, PKCS#1, SEC1, PKCS#12) ; avec --pkcs11, le libellé de la
    /// clé sur le jeton.
    #[arg(long, conflicts_with = "p12", required_unless_present = "p12")]
    cle: Option<PathBuf>,
    /// Certificat de la clé.
    #[arg(long, requires = "cle", conflicts_with = "pkcs11")]
    certificat: Option<PathBuf>,
    /// Fichier PKCS#12 (clé et certificat).
    #[arg(long, conflicts_with = "pkcs11")]
    p12: Option<PathBuf>,
    /// Fichier contenant le mot de passe (première ligne) ; - pour l'entrée standard.
    #[arg(long, conflicts_with_all = ["variable_mot_de_passe", "pkcs11"])]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Variable d'environnement contenant le mot de passe.
    #[arg(long, conflicts_with = "pkcs11")]
    variable_mot_de_passe: Option<String>,
    /// Ouvre aussi les algorithmes obsolètes (Triple-DES, DES, RC2).
    #[arg(long)]
    legacy: bool,
    /// Module PKCS#11 du jeton (carte à puce, clé USB) qui garde la clé.
    #[arg(long, requires_all = ["jeton", "cle"])]
    pkcs11: Option<PathBuf>,
    /// Libellé du jeton PKCS#11.
    #[arg(long, requires = "pkcs11")]
    jeton: Option<String>,
    /// Fichier contenant le PIN du jeton (première ligne) ; - pour l'entrée standard.
    #[arg(long, requires = "pkcs11", conflicts_with = "variable_pin")]
    fichier_pin: Option<PathBuf>,
    /// Variable d'environnement contenant le PIN du jeton.
    #[arg(long, requires = "pkcs11")]
    variable_pin: Option<String>,
    /// Enveloppe chiffrée.
    entree: PathBuf,
    /// Fichier déchiffré à écrire.
    #[arg(short = 'o', long = "sortie")]
    sortie: PathBuf,
}

fn ouvrir(path: &Path) -> Result<File, Erreur> {
    File::open(path).map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", path.display())))
}

pub fn chiffrer(args: Chiffrer, sortie: &Sortie) -> Result<ExitCode, Erreur> {
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
    let resultat = (|| {
        let mut f = FichierAtomique::creer(&args.sortie, Confidentialite::Publique)?;
        let mut w = BufWriter::with_capacity(1 << 20, f.fichier());
        let mut r = avec_progression(BufReader::with_capacity(1 << 20, entree), &barre);
        encrypt_stream(&mut r, taille, &mut w, &certificats, &options)?;
        w.flush()?;
        drop(w);
        f.terminer()
    })();
    barre.finish_and_clear();
    resultat?;
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
    mot_de_passe: Option<String>,
) -> Result<BiCle, Erreur> {
    if let Some(p12) = p12 {
        return BiCle::lire(&lire(p12)?, Some(mot_de_passe.as_deref().unwrap_or("")));
    }
    let key = key.ok_or_else(|| Erreur::invalid_argument("--cle ou --p12 est requis"))?;
    let key_bytes = lire(key)?;
    let cert_path = cert
        .map(Path::to_path_buf)
        .or_else(|| certificat_voisin(key));
    match cert_path {
        Some(c) => BiCle::from_pem(&lire(&c)?, &key_bytes, mot_de_passe.as_deref()),
        None => BiCle::from_pem(&key_bytes, &key_bytes, mot_de_passe.as_deref()).map_err(|_| {
            Erreur::invalid_argument(format!(
                "certificat introuvable pour {} : indiquer --certificat",
                key.display()
            ))
        }),
    }
}

/// The decryption key of the arguments: a key file of any format (or a PKCS#12), with the
/// certificate given or found beside it attached when it matches.
fn charger_cle(args: &Dechiffrer) -> Result<CleDechiffrement, Erreur> {
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
    if cle.certificat_joint().is_none() {
        let cert = match &args.certificat {
            Some(c) => Some(c.clone()),
            None => args.cle.as_deref().and_then(certificat_voisin),
        };
        if let Some(c) = cert {
            let certificat = load_certificate(&lire(&c)?)?;
            cle = match cle.clone().avec_certificat(certificat) {
                Ok(avec) => avec,
                // A given certificate must be the key's; one found beside it may be stale.
                Err(e) if args.certificat.is_some() => return Err(e.at(c.display().to_string())),
                Err(_) => cle,
            };
        }
    }
    Ok(cle)
}

fn dechiffrer_avec(
    args: &Dechiffrer,
    cle: &dyn mpe::crypto::dechiffreur::Dechiffreur,
    sortie: &Sortie,
) -> Result<mpe::crypto::cms::InfoDechiffrement, Erreur> {
    let options = OptionsDechiffrement {
        legacy: args.legacy,
    };
    let entree = ouvrir(&args.entree)?;
    let barre = barre_octets(sortie, entree.metadata()?.len(), "Déchiffrement");
    let mut r = avec_progression(BufReader::with_capacity(1 << 20, entree), &barre);
    let resultat = dechiffrer_flux(&mut r, &args.sortie, &[Cle::Privee(cle)], &options);
    barre.finish_and_clear();
    resultat
}

#[cfg(feature = "pkcs11")]
fn dechiffrer_jeton(
    args: &Dechiffrer,
    module: &Path,
    sortie: &Sortie,
) -> Result<mpe::crypto::cms::InfoDechiffrement, Erreur> {
    let pin = lire_secret(
        args.fichier_pin.as_deref(),
        args.variable_pin.as_deref(),
        "PIN",
    )?;
    let jeton = args
        .jeton
        .as_deref()
        .ok_or_else(|| Erreur::invalid_argument("--jeton est requis avec --pkcs11"))?;
    let libelle = args.cle.as_deref().and_then(Path::to_str).ok_or_else(|| {
        Erreur::invalid_argument("--cle : le libellé UTF-8 de la clé sur le jeton")
    })?;
    let m = mpe::crypto::pkcs11::ModulePkcs11::charger(module)?;
    let session = m.ouvrir(jeton, pin.as_deref())?;
    let cle = session.cle(libelle)?;
    dechiffrer_avec(args, &cle, sortie)
}

#[cfg(not(feature = "pkcs11"))]
fn dechiffrer_jeton(
    _args: &Dechiffrer,
    _module: &Path,
    _sortie: &Sortie,
) -> Result<mpe::crypto::cms::InfoDechiffrement, Erreur> {
    Err(Erreur::new(
        CodeErreur::NonPrisEnCharge,
        "mpe construit sans la prise en charge PKCS#11",
    ))
}

pub fn dechiffrer(args: Dechiffrer, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let info = match &args.pkcs11 {
        Some(module) => dechiffrer_jeton(&args, module, sortie)?,
        None => {
            let cle = charger_cle(&args)?;
            dechiffrer_avec(&args, &cle, sortie)?
        }
    };
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
