//! `mpe bicle generer`: an encryption key pair (bi-clé) with its certificate.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, Subcommand, ValueEnum};
use mpe::Erreur;
use mpe::crypto::bicle::{
    BiCle, GenerationBiCle, InfoBiCle, certificate_to_pem, export_pkcs8_pem, generer_cle_ec,
};
use mpe::crypto::dechiffreur::Courbe;

use crate::commun::{Sortie, ecrire, ecrire_prive, lire_secret};

/// The curves of EC key pairs (ECDH envelopes).
#[derive(Debug, Clone, Copy, ValueEnum)]
enum CourbeArg {
    #[value(name = "P-256")]
    P256,
    #[value(name = "P-384")]
    P384,
    #[value(name = "P-521")]
    P521,
    #[value(name = "X25519")]
    X25519,
}

impl From<CourbeArg> for Courbe {
    fn from(c: CourbeArg) -> Courbe {
        match c {
            CourbeArg::P256 => Courbe::P256,
            CourbeArg::P384 => Courbe::P384,
            CourbeArg::P521 => Courbe::P521,
            CourbeArg::X25519 => Courbe::X25519,
        }
    }
}

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
    /// Crée une identité de signature de TEST (AC de test + certificat de signature) pour
    /// essayer « signer puis vérifier » ; jamais adaptée aux marchés publics.
    IdentiteTest(IdentiteTest),
}

pub fn bicle(args: Bicle, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandeBicle::Generer(a) => generer(a, sortie),
        CommandeBicle::IdentiteTest(a) => identite_test(a, sortie),
    }
}

/// Arguments of `mpe bicle generer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe bicle generer --titulaire \"Jean DUPONT\" --fichier-mot-de-passe mdp.txt --dossier cles/\n  mpe bicle generer --titulaire \"Direction des achats\" --secours --bits 4096 --p12 --variable-mot-de-passe MPE_MDP --dossier cles/\n  mpe bicle generer --titulaire \"Jean DUPONT\" --courbe P-256 --fichier-mot-de-passe - --dossier cles/ < mdp.txt\n\nÉcrit DIR/NOM.key.pem (PKCS#8 chiffré AES-256, PBKDF2 ; en clair seulement avec\n--sans-mot-de-passe), lisible par son seul propriétaire (mode 0600), DIR/NOM.cert.pem et,\navec --p12, DIR/NOM.p12 (AES-256, PBKDF2). Le mot de passe ne passe jamais en argument :\nfichier (- pour l'entrée standard) ou variable d'environnement."
)]
pub struct Generer {
    /// Titulaire de la clé (le certificat s'appelle « Clé de déchiffrement de NOM »).
    #[arg(long)]
    titulaire: String,
    /// Taille de la clé RSA : 2048, 3072 ou 4096.
    #[arg(long, default_value_t = 2048, conflicts_with = "courbe")]
    bits: usize,
    /// Clé EC (accord de clé ECDH) sur cette courbe plutôt qu'une clé RSA.
    #[arg(long, value_enum)]
    courbe: Option<CourbeArg>,
    /// Durée de validité en jours.
    #[arg(long, default_value_t = 3 * 365)]
    jours: u32,
    /// Clé de secours (toujours ajoutée aux destinataires des plis).
    #[arg(long)]
    secours: bool,
    /// Fichier contenant le mot de passe (première ligne) qui protège la clé privée ; - pour
    /// l'entrée standard.
    #[arg(long, conflicts_with = "variable_mot_de_passe")]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Variable d'environnement contenant ce mot de passe.
    #[arg(long)]
    variable_mot_de_passe: Option<String>,
    /// Écrit la clé privée en clair (déconseillé : protégée par le seul mode 0600).
    #[arg(long, conflicts_with_all = ["fichier_mot_de_passe", "variable_mot_de_passe", "p12"])]
    sans_mot_de_passe: bool,
    /// Écrit aussi un fichier PKCS#12 (clés RSA).
    #[arg(long, conflicts_with = "courbe")]
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

fn generer(args: Generer, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let mot_de_passe = lire_secret(
        args.fichier_mot_de_passe.as_deref(),
        args.variable_mot_de_passe.as_deref(),
        "mot de passe",
    )?;
    if mot_de_passe.is_none() && !args.sans_mot_de_passe {
        return Err(Erreur::invalid_argument(
            "la clé privée est chiffrée : --fichier-mot-de-passe FICHIER (- pour l'entrée standard) ou --variable-mot-de-passe VARIABLE ; --sans-mot-de-passe pour l'écrire en clair",
        ));
    }
    if mot_de_passe.as_deref() == Some("") {
        return Err(Erreur::invalid_argument("mot de passe vide"));
    }
    let mut params = GenerationBiCle::new(args.titulaire.clone());
    params.bits = args.bits;
    params.jours_validite = args.jours;
    if args.secours {
        params.nom_complet = Some(format!("Clé de secours de {}", args.titulaire));
    }
    std::fs::create_dir_all(&args.dossier).map_err(|e| {
        Erreur::new(
            mpe::CodeErreur::Es,
            format!("{} : {e}", args.dossier.display()),
        )
    })?;
    let base = args.dossier.join(nom_fichier(&args.titulaire));
    let chemin = |ext: &str| PathBuf::from(format!("{}.{ext}", base.display()));
    let cle = chemin("key.pem");
    let cert = chemin("cert.pem");
    let mut fichiers = vec![cle.clone(), cert.clone()];
    let (info, taille) = match args.courbe {
        Some(courbe) => {
            let paire = generer_cle_ec(&params, courbe.into(), Utc::now())?;
            let certificat = paire
                .certificat_joint()
                .ok_or_else(|| Erreur::internal("certificat EC absent"))?;
            ecrire_prive(
                &cle,
                paire
                    .exporter_pkcs8_pem(mot_de_passe.as_deref())?
                    .as_bytes(),
            )?;
            ecrire(&cert, certificate_to_pem(certificat)?.as_bytes())?;
            let nom = match courbe {
                CourbeArg::P256 => "P-256",
                CourbeArg::P384 => "P-384",
                CourbeArg::P521 => "P-521",
                CourbeArg::X25519 => "X25519",
            };
            (InfoBiCle::of(certificat, None), nom.to_string())
        }
        None => {
            let bicle = BiCle::generer(&params, Utc::now())?;
            ecrire_prive(
                &cle,
                export_pkcs8_pem(bicle.cle(), mot_de_passe.as_deref())?.as_bytes(),
            )?;
            ecrire(&cert, bicle.certificat_pem()?.as_bytes())?;
            if let Some(mdp) = mot_de_passe.as_deref().filter(|_| args.p12) {
                let p12 = chemin("p12");
                ecrire_prive(&p12, &bicle.exporter_pkcs12(mdp)?)?;
                fichiers.push(p12);
            }
            (bicle.decrire(), format!("RSA {} bits", args.bits))
        }
    };
    if args.json {
        sortie.json(&serde_json::json!({ "bicle": info, "fichiers": fichiers }))?;
    } else {
        sortie.info(format!("Bi-clé « {} » ({taille}) créée :", info.nom));
        for f in &fichiers {
            sortie.info(format!("  {}", f.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `mpe bicle identite-test`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemple :\n  mpe bicle identite-test --sujet \"CN=Jeanne Essai,O=Exemple SA,C=FR\" --fichier-mot-de-passe mdp.txt --dossier essai/\n  mpe signer --format pades --p12 essai/identite-test.p12 --fichier-mot-de-passe mdp.txt acte.pdf -o acte-signe.pdf\n  mpe verifier --confiance essai/ac-test.cert.pem acte-signe.pdf\n\nÉcrit DIR/identite-test.p12 (clé et certificats, AES-256, PBKDF2 ; mode 0600),\nDIR/identite-test.cert.pem (le certificat de signature) et DIR/ac-test.cert.pem (l'AC de test,\nà donner à --confiance). Une identité de TEST : son AC n'est dans aucune liste de confiance,\nses noms le disent et ses signatures ne sont jamais « adaptées pour les marchés publics »."
)]
pub struct IdentiteTest {
    /// Sujet du certificat de signature (RFC 4514), ex. "CN=Jeanne Essai,O=Exemple SA,C=FR" ;
    /// la mention « IDENTITE DE TEST » y est ajoutée.
    #[arg(long)]
    sujet: String,
    /// Durée de validité du certificat de signature en jours.
    #[arg(long, default_value_t = 365)]
    jours: u32,
    /// Fichier contenant le mot de passe (première ligne) du PKCS#12 ; - pour l'entrée standard.
    #[arg(long, conflicts_with = "variable_mot_de_passe")]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Variable d'environnement contenant ce mot de passe.
    #[arg(long)]
    variable_mot_de_passe: Option<String>,
    /// Dossier de sortie.
    #[arg(long)]
    dossier: PathBuf,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// What `mpe bicle identite-test --json` prints (`schemas/identite_test.schema.json`).
#[derive(serde::Serialize, schemars::JsonSchema)]
pub(crate) struct IdentiteTestCreee {
    /// The signing certificate, described.
    bicle: mpe::crypto::bicle::InfoBiCle,
    /// The PKCS#12, the signing certificate and the test CA's certificate, in that order.
    fichiers: [PathBuf; 3],
    /// Always `true`: a TEST identity, never "adaptée pour les marchés publics".
    test: bool,
}

fn identite_test(args: IdentiteTest, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    use mpe::crypto::identite_test::{ParametresIdentiteTest, generer};
    let mot_de_passe = lire_secret(
        args.fichier_mot_de_passe.as_deref(),
        args.variable_mot_de_passe.as_deref(),
        "mot de passe",
    )?
    .filter(|m| !m.is_empty())
    .ok_or_else(|| {
        Erreur::invalid_argument(
            "le PKCS#12 est chiffré : --fichier-mot-de-passe FICHIER (- pour l'entrée standard) ou --variable-mot-de-passe VARIABLE (non vide)",
        )
    })?;
    let id = generer(
        &ParametresIdentiteTest {
            sujet: args.sujet.clone(),
            jours_validite: args.jours,
        },
        Utc::now(),
    )?;
    std::fs::create_dir_all(&args.dossier).map_err(|e| {
        Erreur::new(
            mpe::CodeErreur::Es,
            format!("{} : {e}", args.dossier.display()),
        )
    })?;
    let p12 = args.dossier.join("identite-test.p12");
    let cert = args.dossier.join("identite-test.cert.pem");
    let ac = args.dossier.join("ac-test.cert.pem");
    ecrire_prive(&p12, &id.pkcs12(&mot_de_passe)?)?;
    ecrire(
        &cert,
        certificate_to_pem(id.signataire.certificate())?.as_bytes(),
    )?;
    ecrire(&ac, id.autorite_pem()?.as_bytes())?;
    let info = id.signataire.decrire();
    let fichiers = [p12, cert, ac];
    if args.json {
        sortie.json(&IdentiteTestCreee {
            bicle: info.clone(),
            fichiers: fichiers.clone(),
            test: true,
        })?;
    } else {
        sortie.info(format!(
            "Identité de signature de TEST « {} » créée (jamais adaptée aux marchés publics) :",
            info.nom
        ));
        for f in &fichiers {
            sortie.info(format!("  {}", f.display()));
        }
        sortie.info(format!(
            "Pour vérifier ses signatures : mpe verifier --confiance {} FICHIER",
            fichiers[2].display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
