//! `mpe signer` and `mpe verifier`: PAdES, CAdES and XAdES.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, ValueEnum};
use mpe::crypto::bicle::{BiCle, load_certificates};
use mpe::signature::{
    self, FormatSignature, OptionsSignature, OptionsVerification, Signataire, Statut,
};
use mpe::{CodeErreur, Erreur};

use crate::chiffrement::charger_bicle;
use crate::commun::{Sortie, lire, lire_secret};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Pades,
    Cades,
    Xades,
}

/// Arguments of `mpe signer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe signer --format pades --p12 moi.p12 --fichier-mot-de-passe mdp.txt acte.pdf\n  mpe signer --format xades --cle moi.key.pem --certificat moi.cert.pem --chaine ac.pem offre.zip\n  mpe signer --format cades --pkcs11 /usr/lib/softhsm/libsofthsm2.so --jeton \"Ma carte\" --cle \"Signature\" --variable-pin MPE_PIN offre.zip\n\nSans -o, le fichier signé est écrit à côté de l'original, nommé comme sur la plateforme :\n« acte - AAAAMMJJHHMMSS - Signature 1.pdf », « offre.zip - AAAAMMJJHHMMSS - Signature 1.xml »,\n« offre.zip - AAAAMMJJHHMMSS - Signature 1.p7s »."
)]
pub struct ArgumentsSigner {
    /// Format : pades (dans le PDF), cades (.p7s détaché), xades (jeton XML détaché).
    #[arg(long, value_enum)]
    format: Format,
    /// Clé privée (PEM, avec --certificat) ; avec --pkcs11, le libellé de la clé sur le jeton.
    #[arg(long, conflicts_with = "p12", required_unless_present = "p12")]
    cle: Option<PathBuf>,
    /// Certificat du signataire (PEM) ; avec --pkcs11, celui du jeton est pris.
    #[arg(long, conflicts_with = "pkcs11")]
    certificat: Option<PathBuf>,
    /// Certificats de la chaîne (PEM).
    #[arg(long)]
    chaine: Option<PathBuf>,
    /// Fichier PKCS#12 du signataire.
    #[arg(long)]
    p12: Option<PathBuf>,
    /// Fichier contenant le mot de passe (première ligne) ; - pour l'entrée standard.
    #[arg(long, conflicts_with = "variable_mot_de_passe")]
    fichier_mot_de_passe: Option<PathBuf>,
    /// Variable d'environnement contenant le mot de passe.
    #[arg(long, conflicts_with = "pkcs11")]
    variable_mot_de_passe: Option<String>,
    /// Module PKCS#11 du jeton (carte à puce, clé USB) qui garde la clé : elle n'en sort pas.
    #[arg(long, requires_all = ["jeton", "cle"], conflicts_with_all = ["p12", "fichier_mot_de_passe"])]
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
    /// Signe même si le contrôle avant signature refuse (certificat expiré, sans usage de
    /// signature, algorithme refusé) : pour les essais seulement, mpe ne dira pas VALIDE.
    #[arg(long)]
    forcer: bool,
    /// Niveau : b (par défaut), t (horodatage de la signature), lt (et données de
    /// validation dans le fichier), lta (et horodatage du document, ou d'archive en
    /// CAdES) ; t et plus demandent --tsa ; lt et lta : PAdES et CAdES.
    #[arg(long, value_enum, default_value = "b")]
    niveau: crate::long_terme::NiveauCible,
    /// Adresse http:// de l'autorité d'horodatage (RFC 3161).
    #[arg(long)]
    tsa: Option<String>,
    /// Certificat(s) d'autorité de confiance (PEM, DER ou .p7b) pour compléter les chaînes
    /// des niveaux lt et lta ; répéter au besoin.
    #[arg(long = "confiance")]
    ancres: Vec<PathBuf>,
    /// Fichier à signer.
    entree: PathBuf,
    /// Fichier à écrire (par défaut : nommage de la plateforme, à côté de l'original).
    #[arg(short = 'o', long = "sortie")]
    sortie: Option<PathBuf>,
}

/// Arguments of `mpe verifier`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe verifier --confiance ac.pem \"acte - 20261128103000 - Signature 1.pdf\"\n  mpe verifier --confiance ac.pem \"offre.zip - 20261128103000 - Signature 1.xml\" --json\n  mpe verifier --confiance racine.pem --intermediaire ac.pem --crl ac.crl --date-verification 2026-11-28T10:00:00Z acte.pdf\n  mpe verifier --document offre.pdf=offre.pdf --document \"annexe A.txt=annexe.txt\" jeton.xml\n  mpe verifier --confiance racine.pem --revocation-en-ligne acte.pdf\n  mpe verifier --confiance racine.pem --ocsp signataire.ocsp --crl ac.crl acte.pdf\n\nPour une signature détachée sans --fichier-signe ni --document, le fichier signé est déduit\ndu nom (« offre.zip - … - Signature 1.xml » → « offre.zip »).\n--json affiche le rapport complet (pour un PDF, chaque révision postérieure et ce qu'elle change).\nCodes de sortie : 0 VALIDE, 1 INVALIDE, 2 INDÉTERMINÉ, 3 et plus : erreur."
)]
pub struct ArgumentsVerifier {
    /// Certificat(s) d'autorité de confiance (PEM, DER ou paquet PKCS#7 .p7b) ; répéter au besoin.
    #[arg(long = "confiance")]
    ancres: Vec<PathBuf>,
    /// Certificat(s) intermédiaire(s) pour construire la chaîne (PEM, DER ou paquet PKCS#7 .p7b) ; répéter au besoin.
    #[arg(long = "intermediaire")]
    intermediaires: Vec<PathBuf>,
    /// Liste de révocation (CRL, PEM ou DER) ; répéter au besoin.
    #[arg(long = "crl")]
    crls: Vec<PathBuf>,
    /// Réponse OCSP (DER, telle que le répondeur l'a donnée) ; répéter au besoin.
    #[arg(long = "ocsp")]
    reponses_ocsp: Vec<PathBuf>,
    /// Cherche la révocation de chaque certificat de la chaîne en ligne : le répondeur OCSP
    /// de son AIA (requête avec nonce), sinon ses points de distribution de CRL (http://,
    /// 10 s et 10 Mo au plus par requête).
    #[arg(long)]
    revocation_en_ligne: bool,
    /// Instant de la vérification (RFC 3339, ex. 2026-11-28T10:00:00Z) ; par défaut maintenant.
    #[arg(long)]
    date_verification: Option<String>,
    /// Dossier des listes de confiance de l'UE tenu par `mpe tsl mettre-a-jour` : la
    /// qualification du signataire (QESig, AdESig-QC…) en vient, et le contrôle « qualifié ».
    #[arg(long = "tsl", value_name = "DOSSIER")]
    tsl: Option<PathBuf>,
    /// Document qu'une signature détachée désigne par son nom : NOM=CHEMIN ; répéter au besoin.
    #[arg(long = "document", value_name = "NOM=CHEMIN")]
    documents: Vec<String>,
    /// Signature (.p7s, .xml) ou PDF signé.
    signature: PathBuf,
    /// Fichier signé (signatures détachées).
    #[arg(long)]
    fichier_signe: Option<PathBuf>,
    /// Affiche le rapport complet en JSON.
    #[arg(long)]
    json: bool,
}

fn format_signature(f: Format) -> FormatSignature {
    match f {
        Format::Pades => FormatSignature::PAdES,
        Format::Cades => FormatSignature::CAdES,
        Format::Xades => FormatSignature::XAdES,
    }
}

pub fn signer(args: ArgumentsSigner, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let format = format_signature(args.format);
    if args.niveau != crate::long_terme::NiveauCible::B && args.tsa.is_none() {
        return Err(Erreur::invalid_argument(
            "--niveau t, lt ou lta demande --tsa (l'autorité d'horodatage)",
        ));
    }
    let date = Utc::now();
    let nom = args
        .entree
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Erreur::invalid_argument("fichier à signer sans nom"))?;
    let cible = match args.sortie.clone() {
        Some(p) => p,
        None => {
            // The next free "Signature N" beside the input.
            let mut n = 1;
            loop {
                let p = args
                    .entree
                    .with_file_name(signature::nom_fichier_signe(&nom, format, date, n));
                if !p.exists() || n > 999 {
                    break p;
                }
                n += 1;
            }
        }
    };
    let mut opts = OptionsSignature::new(date);
    opts.nom_fichier = Some(nom);
    opts.forcer = args.forcer;
    match &args.pkcs11 {
        Some(module) => signer_jeton(&args, module, format, &cible, &opts)?,
        None => {
            if args.cle.is_some() && args.certificat.is_none() {
                return Err(Erreur::invalid_argument(
                    "--cle demande --certificat (ou --pkcs11)",
                ));
            }
            let mot_de_passe = lire_secret(
                args.fichier_mot_de_passe.as_deref(),
                args.variable_mot_de_passe.as_deref(),
                "mot de passe",
            )?;
            let mut bicle = charger_bicle(
                args.cle.as_deref(),
                args.certificat.as_deref(),
                args.p12.as_deref(),
                mot_de_passe,
            )?;
            if let Some(chain) = &args.chaine {
                let (k, c, mut ch) = bicle.into_parts();
                ch.extend(load_certificates(&lire(chain)?)?);
                bicle = BiCle::new(k, c, ch)?;
            }
            let signer = Signataire::from_bicle(bicle)?;
            signature::signer_fichier(format, &args.entree, &cible, &signer, &opts)?;
        }
    }
    if args.niveau != crate::long_terme::NiveauCible::B {
        let opts = OptionsVerification {
            ancres: certificats(&args.ancres)?,
            ..Default::default()
        };
        // A failed extension (TSA or revocation unreachable) removes the B-B file just
        // written: the command leaves either the asked level or nothing.
        // A detached CAdES or XAdES: its archive timestamp covers the signed file too.
        let contenu = (format != FormatSignature::PAdES).then_some(args.entree.as_path());
        let etendu = lire(&cible).and_then(|signe| {
            crate::long_terme::etendre_octets(
                signe,
                args.niveau,
                args.tsa.as_deref(),
                opts,
                contenu,
            )
        });
        let ecrit = etendu.and_then(|signe| {
            mpe::fichier_atomique::ecrire_atomique(
                &cible,
                &signe,
                mpe::fichier_atomique::Confidentialite::Publique,
            )
        });
        if let Err(e) = ecrit {
            let _ = std::fs::remove_file(&cible);
            return Err(e);
        }
    }
    sortie.info(format!("Signé ({:?}) : {}", format, cible.display()));
    Ok(ExitCode::SUCCESS)
}

/// Signs with the token's key and certificate (the key never leaves the token).
#[cfg(feature = "pkcs11")]
fn signer_jeton(
    args: &ArgumentsSigner,
    module: &Path,
    format: FormatSignature,
    cible: &Path,
    opts: &OptionsSignature,
) -> Result<(), Erreur> {
    let pin = lire_secret(
        args.fichier_pin.as_deref(),
        args.variable_pin.as_deref(),
        "PIN",
    )?;
    let jeton = args
        .jeton
        .clone()
        .ok_or_else(|| Erreur::invalid_argument("--jeton est requis avec --pkcs11"))?;
    let cle = args.cle.as_deref().and_then(Path::to_str).ok_or_else(|| {
        Erreur::invalid_argument("--cle : le libellé UTF-8 de la clé sur le jeton")
    })?;
    let chaine = match &args.chaine {
        Some(c) => load_certificates(&lire(c)?)?,
        None => vec![],
    };
    let reference = mpe::crypto::jeton::ReferenceJeton {
        module: module.to_path_buf(),
        jeton,
        cle: Some(cle.to_owned()),
        id: None,
    };
    mpe::crypto::jeton::signer_fichier(
        format,
        &args.entree,
        cible,
        &reference,
        pin.as_deref(),
        chaine,
        opts,
    )
}

#[cfg(not(feature = "pkcs11"))]
fn signer_jeton(
    _args: &ArgumentsSigner,
    _module: &Path,
    _format: FormatSignature,
    _cible: &Path,
    _opts: &OptionsSignature,
) -> Result<(), Erreur> {
    Err(Erreur::new(
        CodeErreur::NonPrisEnCharge,
        "mpe construit sans la prise en charge PKCS#11",
    ))
}

/// The signed file of a detached signature named by the platform's convention:
/// `<fichier> - AAAAMMJJHHMMSS - Signature N.xml|.p7s` → `<fichier>`.
pub fn fichier_signe_par_convention(signature: &Path) -> Option<PathBuf> {
    let name = signature.file_name()?.to_string_lossy().into_owned();
    let stem = name
        .strip_suffix(".xml")
        .or_else(|| name.strip_suffix(".p7s"))?;
    let (avant, n) = stem.rsplit_once(" - Signature ")?;
    if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (fichier, horodatage) = avant.rsplit_once(" - ")?;
    if horodatage.len() != 14 || !horodatage.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(signature.with_file_name(fichier))
}

/// Certificates of every file (PEM or DER), the file named in the error.
pub fn certificats(fichiers: &[PathBuf]) -> Result<Vec<x509_cert::Certificate>, Erreur> {
    let mut out = Vec::new();
    for p in fichiers {
        out.extend(load_certificates(&lire(p)?).map_err(|e| e.at(p.display().to_string()))?);
    }
    Ok(out)
}

/// `NOM=CHEMIN`: the name the signature gives the document, and the file to read.
fn document_nomme(arg: &str) -> Result<(String, Vec<u8>), Erreur> {
    let (nom, chemin) = arg
        .split_once('=')
        .filter(|(n, c)| !n.is_empty() && !c.is_empty())
        .ok_or_else(|| {
            Erreur::invalid_argument(format!("--document « {arg} » : NOM=CHEMIN attendu"))
        })?;
    Ok((nom.to_string(), lire(Path::new(chemin))?))
}

pub fn verifier(args: ArgumentsVerifier, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let mut crls = Vec::new();
    for p in &args.crls {
        crls.extend(signature::lire_crls(&lire(p)?).map_err(|e| e.at(p.display().to_string()))?);
    }
    let date = match &args.date_verification {
        Some(d) => {
            mpe::rules::temps::instant_rfc3339(d).map_err(|e| e.at("--date-verification"))?
        }
        None => Utc::now(),
    };
    let reponses_ocsp = args
        .reponses_ocsp
        .iter()
        .map(|p| lire(p))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = OptionsVerification {
        ancres: certificats(&args.ancres)?,
        intermediaires: certificats(&args.intermediaires)?,
        crls,
        reponses_ocsp,
        rappel_revocation: args
            .revocation_en_ligne
            .then(crate::revocation::rappel_en_ligne),
        date_verification: Some(date),
        documents_nommes: args
            .documents
            .iter()
            .map(|d| document_nomme(d))
            .collect::<Result<_, _>>()?,
        confiance: args
            .tsl
            .as_deref()
            .map(|d| crate::tsl::charger_dossier(d, date).map(std::sync::Arc::new))
            .transpose()?,
        ..Default::default()
    };
    let format = signature::detecter_format(&lire(&args.signature)?)?;
    let signe = match (&args.fichier_signe, format) {
        (Some(p), _) => Some(p.clone()),
        (None, FormatSignature::PAdES) => None,
        // Named documents stand for the detached file.
        (None, _) if !opts.documents_nommes.is_empty() => None,
        // Enveloping and enveloped signatures carry their content: without a file named
        // by the platform's convention, the core says whether one was needed.
        (None, _) => fichier_signe_par_convention(&args.signature).filter(|p| p.exists()),
    };
    let rapport =
        signature::verifier_fichier(&args.signature, signe.as_deref(), &opts).map_err(|e| {
            if e.code() == CodeErreur::FichierSigneManquant {
                Erreur::new(
                    CodeErreur::FichierSigneManquant,
                    format!("{} (--fichier-signe ou --document NOM=CHEMIN)", e.message()),
                )
            } else {
                e
            }
        })?;
    if args.json {
        sortie.json(&rapport)?;
    } else {
        sortie.info(&rapport.resume);
    }
    Ok(match rapport.statut {
        Statut::Valide => ExitCode::SUCCESS,
        Statut::Invalide => ExitCode::from(1),
        _ => ExitCode::from(2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_file_from_the_naming_convention() {
        let p = Path::new("/tmp/offre v2.zip - 20261128103000 - Signature 1.xml");
        assert_eq!(
            fichier_signe_par_convention(p),
            Some(PathBuf::from("/tmp/offre v2.zip"))
        );
        let p = Path::new("offre.zip - 20261128103000 - Signature 12.p7s");
        assert_eq!(
            fichier_signe_par_convention(p),
            Some(PathBuf::from("offre.zip"))
        );
        assert_eq!(
            fichier_signe_par_convention(Path::new("offre.zip.p7s")),
            None
        );
        assert_eq!(
            fichier_signe_par_convention(Path::new("a - 2026 - Signature 1.xml")),
            None
        );
    }
}
