//! Long-term signatures in the CLI: `mpe signer --niveau lt|lta` and `mpe signature
//! etendre`. The core prepares; here the network: the RFC 3161 POST to the TSA and the
//! OCSP / CRL fetching of `crate::revocation` (timeouts and size limits).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use mpe::signature::{self, AlgorithmeEmpreinte, DonneesSignees, OptionsVerification};
use mpe::{CodeErreur, Erreur};

use crate::commun::{Sortie, lire};

const DELAI_TSA: Duration = Duration::from_secs(30);
const LIMITE_TSA: usize = 1 << 20;

/// Level to reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NiveauCible {
    /// B-B : signature seule.
    B,
    /// B-T : avec un horodatage de la signature.
    T,
    /// B-LT : B-T et les données de validation (certificats, OCSP, CRL) dans le fichier.
    Lt,
    /// B-LTA : B-LT et un horodatage du document par-dessus.
    Lta,
}

/// `mpe signature …`
#[derive(Debug, Args)]
pub struct CommandeSignature {
    #[command(subcommand)]
    action: ActionSignature,
}

#[derive(Debug, Subcommand)]
enum ActionSignature {
    /// Étend une signature PAdES, CAdES ou XAdES existante (de tout producteur) en B-LT ou
    /// B-LTA.
    Etendre(ArgumentsEtendre),
}

/// Arguments of `mpe signature etendre`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe signature etendre --niveau lta --tsa http://horodatage.example/tsa --confiance ac.pem acte.pdf\n  mpe signature etendre --niveau lta --tsa http://horodatage.example/tsa --confiance ac.pem --fichier-signe offre.pdf offre.pdf.p7s\n  mpe signature etendre --niveau lt --tsa http://horodatage.example/tsa --confiance ac.pem -o acte-lt.pdf acte.pdf\n\nLes réponses OCSP et CRL sont demandées aux adresses des certificats (AIA, points de distribution) ;\nsans horodatage de signature, il en est ajouté un (B-T) avant."
)]
pub struct ArgumentsEtendre {
    /// Niveau visé.
    #[arg(long, value_enum)]
    niveau: NiveauCible,
    /// Adresse http:// de l'autorité d'horodatage (RFC 3161).
    #[arg(long)]
    tsa: String,
    /// Certificat(s) d'autorité de confiance (PEM, DER ou .p7b), pour compléter les chaînes.
    #[arg(long = "confiance")]
    ancres: Vec<PathBuf>,
    /// Certificat(s) intermédiaire(s).
    #[arg(long = "intermediaire")]
    intermediaires: Vec<PathBuf>,
    /// PDF signé, signature CAdES (.p7s, .p7m) ou XAdES (.xml).
    entree: PathBuf,
    /// CAdES ou XAdES détachée : le fichier signé, que l'horodatage d'archive couvre aussi
    /// (par défaut : le fichier que la convention de nommage désigne, s'il existe ; comme
    /// `mpe verifier`).
    #[arg(long)]
    fichier_signe: Option<PathBuf>,
    /// Fichier à écrire (par défaut : l'entrée elle-même, remplacée).
    #[arg(short = 'o', long = "sortie")]
    sortie: Option<PathBuf>,
}

pub fn signature(c: CommandeSignature, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match c.action {
        ActionSignature::Etendre(a) => etendre(a, sortie),
    }
}

fn etendre(a: ArgumentsEtendre, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let signe = lire(&a.entree)?;
    let opts = OptionsVerification {
        ancres: crate::signature::certificats(&a.ancres)?,
        intermediaires: crate::signature::certificats(&a.intermediaires)?,
        ..Default::default()
    };
    let contenu = match (&a.fichier_signe, signature::detecter_format(&signe)?) {
        (Some(p), _) => Some(p.clone()),
        (None, signature::FormatSignature::CAdES | signature::FormatSignature::XAdES) => {
            crate::signature::fichier_signe_par_convention(&a.entree).filter(|p| p.exists())
        }
        (None, _) => None,
    };
    let out = etendre_octets(signe, a.niveau, Some(&a.tsa), opts, contenu.as_deref())?;
    let cible = a.sortie.unwrap_or(a.entree);
    mpe::fichier_atomique::ecrire_atomique(
        &cible,
        &out,
        mpe::fichier_atomique::Confidentialite::Publique,
    )?;
    sortie.info(format!("Étendu ({:?}) : {}", a.niveau, cible.display()));
    Ok(ExitCode::SUCCESS)
}

/// The TSA's answer to `requete` (an HTTP POST, RFC 3161 section 3.4).
fn horodater(tsa: &str, requete: &[u8]) -> Result<Vec<u8>, Erreur> {
    crate::http::demander(
        tsa,
        Some(("application/timestamp-query", requete)),
        LIMITE_TSA,
        DELAI_TSA,
    )
    .map_err(|e| Erreur::new(CodeErreur::HorodatageInjoignable, e.message().to_string()))
}

fn ouvrir(f: &std::path::Path) -> Result<std::io::BufReader<std::fs::File>, Erreur> {
    std::fs::File::open(f)
        .map(std::io::BufReader::new)
        .map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", f.display())))
}

fn nonce() -> u64 {
    let mut n = [0u8; 8];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut n);
    u64::from_be_bytes(n)
}

/// A signed output raised to `niveau`: a signature timestamp when it has none (B-T), the
/// validation data fetched online (B-LT), a document timestamp (B-LTA: for CAdES and
/// XAdES an archive timestamp, which covers `contenu`, the signed file of a detached
/// signature, read as a stream).
pub fn etendre_octets(
    mut signe: Vec<u8>,
    niveau: NiveauCible,
    tsa: Option<&str>,
    mut opts: OptionsVerification,
    contenu: Option<&std::path::Path>,
) -> Result<Vec<u8>, Erreur> {
    if niveau == NiveauCible::B {
        return Ok(signe);
    }
    let tsa =
        tsa.ok_or_else(|| Erreur::invalid_argument("--tsa est nécessaire à partir du niveau B-T"))?;
    // B-T first, if the last signature has no timestamp.
    let rapport = match contenu {
        Some(f) => {
            let mut lecteur = ouvrir(f)?;
            signature::verifier(&signe, Some(DonneesSignees::Lecteur(&mut lecteur)), &opts)
        }
        None => signature::verifier(&signe, None, &opts),
    };
    let sans_horodatage = match &rapport {
        Ok(r) => r.signatures.last().is_some_and(|s| s.horodatage.is_none()),
        Err(_) => true,
    };
    if sans_horodatage {
        let req =
            signature::requete_horodatage(&signe, AlgorithmeEmpreinte::Sha256, Some(nonce()))?;
        signe = signature::ajouter_horodatage(&signe, &horodater(tsa, &req)?)?;
    }
    if niveau == NiveauCible::T {
        return Ok(signe);
    }
    opts.rappel_revocation = Some(crate::revocation::rappel_en_ligne());
    let donnees = signature::collecter_donnees_validation(&signe, &opts)?;
    signe = signature::ajouter_donnees_validation(&signe, &donnees)?;
    if niveau == NiveauCible::Lta {
        let p = match contenu {
            Some(f) => {
                let mut lecteur = ouvrir(f)?;
                signature::preparer_horodatage_document_detache(
                    &signe,
                    DonneesSignees::Lecteur(&mut lecteur),
                    AlgorithmeEmpreinte::Sha256,
                    Some(nonce()),
                )?
            }
            None => signature::preparer_horodatage_document(
                &signe,
                AlgorithmeEmpreinte::Sha256,
                Some(nonce()),
            )?,
        };
        signe = p.finir(&horodater(tsa, &p.requete)?)?;
    }
    Ok(signe)
}
