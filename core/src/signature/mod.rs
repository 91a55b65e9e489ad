//! Electronic signatures: CAdES, XAdES and PAdES (baseline B-B and B-T), signing and
//! verification with one report.
//!
//! French public procurement accepts three formats of advanced signature (arrêté du 22
//! mars 2019): PAdES inside PDFs, CAdES detached (`.p7s`) and XAdES detached (an XML
//! "jeton" beside the signed file).
//!
//! Signing is always split in two ([`preparer`] then [`SignaturePreparee::assembler`]) so
//! that a smartcard, an HSM or a remote service can sign the digest; [`signer`] does both
//! with a local key. B-T: [`requete_horodatage`] builds the RFC 3161 request over a signed
//! output, the host sends it to its timestamp authority (mpe does no network I/O), and
//! [`ajouter_horodatage`] embeds the token.
//!
//! Verification ([`verifier`]) detects the format and returns a [`RapportVerification`]
//! whatever the format; detached signatures take the signed file (bytes or a reader,
//! hashed in streaming); references are never resolved to the network or the file system.
//!
//! ```
//! # fn main() -> mpe::Result<()> {
//! use mpe::signature::{self, DonneesSignees, OptionsSignature, OptionsVerification, Signataire};
//! # let key = include_str!("../../../tests/vectors/signature/signataire.key");
//! # let cert = include_str!("../../../tests/vectors/signature/signataire.pem");
//! # let ca = include_str!("../../../tests/vectors/signature/ca.pem");
//! let signer = Signataire::from_pem(key, cert)?;
//! let date = chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z").unwrap().to_utc();
//! let opts = OptionsSignature::new(date);
//! let p7s = signature::signer(signature::FormatSignature::CAdES, DonneesSignees::Octets(b"offre"), &signer, &opts)?;
//! let verif = OptionsVerification {
//!     ancres: mpe::signature::Signataire::certificats_pem(ca)?,
//!     date_verification: Some(date),
//!     ..Default::default()
//! };
//! let rapport = signature::verifier(&p7s, Some(DonneesSignees::Octets(b"offre")), &verif)?;
//! assert_eq!(rapport.statut, signature::Statut::Valide);
//! # Ok(()) }
//! ```

mod algorithmes;
pub(crate) mod algorithmes_xml;
pub(crate) mod asn1;
mod avant_signature;
mod ber;
pub(crate) mod c14n;
mod cades_long_terme;
pub(crate) mod chaine;
mod cms;
pub(crate) mod document_xml;
pub(crate) mod etsi;
mod long_terme;
pub mod ocsp;
mod pades;
mod rapport;
pub(crate) mod reference_xml;
pub(crate) mod revocation;
pub(crate) mod signer;
mod verification_cms;
mod xades;
mod xades_long_terme;
mod xades_verification;
mod xml;
pub(crate) mod xmldsig;

use std::io::Read;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

pub use etsi::{FonctionnaliteManquante, NonSupporte, SousIndication};
pub use long_terme::{
    DonneesValidation, HorodatageDocumentPrepare, ajouter_donnees_validation,
    collecter_donnees_validation, preparer_horodatage_document,
    preparer_horodatage_document_detache,
};
pub use ocsp::{EtatOcsp, RaisonRevocation, ReponseOcsp};
pub use pades::{
    Apparence, CategorieModification, ChangementPdf, LimitesPdf, OptionsPades, RevisionPdf,
    revisions_pdf,
};
pub use rapport::{
    Controle, DetailsPdf, FormatSignature, Horodatage, InfoCertificat, Niveau, OptionsVerification,
    OptionsVerificationJson, Probleme, RapportSignature, RapportVerification, Statut,
};
pub use revocation::{
    AdressesRevocation, ControleRevocation, DonneeEcartee, DonneesRevocation, RappelRevocation,
    SourceRevocation, adresses as adresses_revocation,
};
pub use signer::{AlgorithmeEmpreinte, SchemaSignature, Signataire, certificat, certificats};

use crate::{CodeErreur, Erreur, Result};

/// The data a detached signature covers: in memory, or a reader hashed in streaming.
pub enum DonneesSignees<'a> {
    /// Bytes in memory.
    Octets(&'a [u8]),
    /// A reader (a file of hundreds of MB), read once in 1 MiB chunks.
    Lecteur(&'a mut dyn Read),
    /// Only the digest of the detached file (what a remote validator receives): enough to
    /// verify a detached signature made with that digest algorithm.
    Empreinte {
        /// The algorithm of `valeur`.
        algorithme: AlgorithmeEmpreinte,
        /// The digest.
        valeur: &'a [u8],
    },
}

impl std::fmt::Debug for DonneesSignees<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DonneesSignees::Octets(b) => write!(f, "Octets({} octets)", b.len()),
            DonneesSignees::Lecteur(_) => f.write_str("Lecteur"),
            DonneesSignees::Empreinte { algorithme, .. } => {
                write!(f, "Empreinte({algorithme:?})")
            }
        }
    }
}

impl DonneesSignees<'_> {
    /// Several digests in one pass (a reader is read once).
    pub(crate) fn digests(
        &mut self,
        algs: &[AlgorithmeEmpreinte],
    ) -> Result<Vec<(AlgorithmeEmpreinte, Vec<u8>)>> {
        match self {
            DonneesSignees::Octets(b) => Ok(algs.iter().map(|a| (*a, a.hash(b))).collect()),
            DonneesSignees::Empreinte { algorithme, valeur } => Ok(algs
                .iter()
                .filter(|a| *a == algorithme)
                .map(|a| (*a, valeur.to_vec()))
                .collect()),
            DonneesSignees::Lecteur(r) => {
                let mut hs: Vec<signer::Hasher> =
                    algs.iter().map(|a| signer::Hasher::new(*a)).collect();
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let n = match r.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => {
                            return Err(Erreur::new(
                                CodeErreur::Es,
                                format!("lecture du fichier : {e}"),
                            ));
                        }
                    };
                    let chunk = buf.get(..n).unwrap_or_default();
                    for h in &mut hs {
                        h.update(chunk);
                    }
                }
                Ok(algs
                    .iter()
                    .copied()
                    .zip(hs.into_iter().map(signer::Hasher::finish))
                    .collect())
            }
        }
    }

    pub(crate) fn digest(&mut self, alg: AlgorithmeEmpreinte) -> Result<Vec<u8>> {
        match self {
            DonneesSignees::Empreinte { algorithme, valeur } => {
                if *algorithme == alg {
                    Ok(valeur.to_vec())
                } else {
                    Err(Erreur::new(
                        CodeErreur::FichierSigneManquant,
                        format!(
                            "seule l'empreinte {algorithme:?} du fichier signé est fournie, la signature utilise {alg:?}"
                        ),
                    ))
                }
            }
            DonneesSignees::Octets(b) => Ok(alg.hash(b)),
            DonneesSignees::Lecteur(r) => {
                let mut h = signer::Hasher::new(alg);
                h.read_all(*r)?;
                Ok(h.finish())
            }
        }
    }
}

/// Signing options. The time is a parameter: the core reads no clock.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OptionsSignature {
    /// Signing time (signing-time, SigningTime, PDF /M).
    pub date: DateTime<Utc>,
    /// Name of the signed file (XAdES reference URI); defaults to `document`.
    #[serde(default)]
    pub nom_fichier: Option<String>,
    /// MIME type of the signed file (XAdES DataObjectFormat); guessed from the name.
    #[serde(default)]
    pub type_mime: Option<String>,
    /// PAdES options.
    #[serde(default)]
    pub pades: OptionsPades,
    /// Digest algorithm, overriding the signer's (bindings set it here).
    #[serde(default)]
    pub algorithme_empreinte: Option<AlgorithmeEmpreinte>,
    /// Signature scheme, overriding the signer's.
    #[serde(default)]
    pub schema: Option<SchemaSignature>,
    /// Sign even when the pre-signing check refuses (a certificate without the signature
    /// key usage, out of its validity at [`OptionsSignature::date`], an algorithm mpe
    /// rejects). For tests only: the result is a signature mpe itself will not call VALIDE.
    #[serde(default)]
    pub forcer: bool,
}

impl OptionsSignature {
    /// Options with only the signing time set.
    pub fn new(date: DateTime<Utc>) -> OptionsSignature {
        OptionsSignature {
            date,
            nom_fichier: None,
            type_mime: None,
            pades: OptionsPades::default(),
            algorithme_empreinte: None,
            schema: None,
            forcer: false,
        }
    }
}

/// A signature waiting for its value: [`SignaturePreparee::empreinte`] is what the device
/// signs (with [`SignaturePreparee::algorithme_empreinte`] and `schema`), then
/// [`SignaturePreparee::assembler`] gives the signed output. Serializable (JSON) so that a
/// host can keep it while a remote service signs.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignaturePreparee {
    /// Format being produced.
    pub format: FormatSignature,
    /// Digest algorithm the device must use.
    pub algorithme_empreinte: AlgorithmeEmpreinte,
    /// Signature scheme the device must use.
    pub schema: SchemaSignature,
    /// The bytes to sign (DER signed attributes or canonical SignedInfo), base64.
    #[schemars(with = "String")]
    #[serde(with = "b64")]
    pub donnees_a_signer: Vec<u8>,
    /// Their digest: what a smartcard signs (PKCS#1 v1.5, PSS or ECDSA over this digest; an
    /// ECDSA value may come back as DER or as r‖s), base64.
    #[schemars(with = "String")]
    #[serde(with = "b64")]
    pub empreinte: Vec<u8>,
    /// Signer certificate and chain, DER base64.
    #[schemars(with = "Vec<String>")]
    #[serde(with = "b64_vec")]
    certificats: Vec<Vec<u8>>,
    etat: Etat,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type")]
enum Etat {
    Cades,
    Xades { modele: String },
    Pades(pades::EtatPades),
}

/// Prepare a signature: everything but the signature value.
pub fn preparer(
    format: FormatSignature,
    mut donnees: DonneesSignees<'_>,
    signataire: &Signataire,
    opts: &OptionsSignature,
) -> Result<SignaturePreparee> {
    let mut adjusted = None;
    if opts.algorithme_empreinte.is_some() || opts.schema.is_some() {
        let mut s = signataire.clone();
        if let Some(a) = opts.algorithme_empreinte {
            s = s.avec_empreinte(a);
        }
        if let Some(x) = opts.schema {
            s = s.avec_schema(x);
        }
        adjusted = Some(s);
    }
    let signataire = adjusted.as_ref().unwrap_or(signataire);
    if !opts.forcer {
        avant_signature::controler(format, signataire, opts.date)?;
    } else if format == FormatSignature::XAdES {
        // The XML writer only knows these URIs, whatever the override.
        let ok = matches!(
            signataire.empreinte(),
            AlgorithmeEmpreinte::Sha256 | AlgorithmeEmpreinte::Sha384 | AlgorithmeEmpreinte::Sha512
        ) && !signataire.schema().signe_le_message();
        if !ok {
            return Err(Erreur::new(
                CodeErreur::AlgorithmeRefuse,
                "signature XAdES : SHA-256, SHA-384 ou SHA-512 avec RSA ou ECDSA",
            ));
        }
    }
    let alg = signataire.empreinte();
    let cert = signataire.certificat();
    let certificats = std::iter::once(cert)
        .chain(signataire.chaine())
        .map(|c| der::Encode::to_der(c).map_err(asn1::der_err))
        .collect::<Result<Vec<_>>>()?;
    let (donnees_a_signer, etat) = match format {
        FormatSignature::CAdES => {
            let digest = donnees.digest(alg)?;
            let attrs = cms::signed_attributes(&digest, cert, alg, Some(opts.date))?;
            (
                der::Encode::to_der(&attrs).map_err(asn1::der_err)?,
                Etat::Cades,
            )
        }
        FormatSignature::XAdES => {
            let digest = donnees.digest(alg)?;
            let (signed_info, modele) = xades::preparer(&digest, signataire, opts)?;
            (signed_info, Etat::Xades { modele })
        }
        FormatSignature::PAdES => {
            let pdf = match &mut donnees {
                DonneesSignees::Octets(b) => b.to_vec(),
                DonneesSignees::Lecteur(r) => {
                    let mut v = vec![];
                    r.read_to_end(&mut v).map_err(|e| {
                        Erreur::new(CodeErreur::Es, format!("lecture du PDF : {e}"))
                    })?;
                    v
                }
                DonneesSignees::Empreinte { .. } => {
                    return Err(Erreur::invalid_argument(
                        "PAdES : le PDF lui-même est nécessaire, pas son empreinte",
                    ));
                }
            };
            let (attrs, etat) = pades::preparer(pdf, signataire, opts)?;
            (attrs, Etat::Pades(etat))
        }
    };
    Ok(SignaturePreparee {
        format,
        algorithme_empreinte: alg,
        schema: signataire.schema(),
        empreinte: alg.hash(&donnees_a_signer),
        donnees_a_signer,
        certificats,
        etat,
    })
}

impl SignaturePreparee {
    /// Assemble the signed output with the signature value made by the device. The value is
    /// checked against the certificate first: a wrong value gives
    /// [`CodeErreur::SignatureInvalide`] and no output.
    pub fn assembler(&self, valeur_signature: &[u8]) -> Result<Vec<u8>> {
        let certs = self
            .certificats
            .iter()
            .map(|d| signer::certificat(d))
            .collect::<Result<Vec<Certificate>>>()?;
        let cert = certs
            .first()
            .ok_or_else(|| Erreur::invalid_argument("certificat absent"))?;
        signer::verify_digest(
            cert,
            self.schema,
            self.algorithme_empreinte,
            &self.empreinte,
            valeur_signature,
        )?;
        let chain = certs.get(1..).unwrap_or_default();
        let xml = matches!(self.etat, Etat::Xades { .. });
        let valeur_signature = &signer::valeur_pour(self.schema, xml, valeur_signature)?;
        match &self.etat {
            Etat::Cades => {
                let attrs = der::Decode::from_der(&self.donnees_a_signer).map_err(asn1::der_err)?;
                cms::assemble(
                    cert,
                    chain,
                    self.algorithme_empreinte,
                    self.schema,
                    attrs,
                    valeur_signature,
                    None,
                )
            }
            Etat::Xades { modele } => {
                xades::assembler(modele, valeur_signature).map(String::into_bytes)
            }
            Etat::Pades(etat) => {
                let attrs = der::Decode::from_der(&self.donnees_a_signer).map_err(asn1::der_err)?;
                let cms = cms::assemble(
                    cert,
                    chain,
                    self.algorithme_empreinte,
                    self.schema,
                    attrs,
                    valeur_signature,
                    None,
                )?;
                pades::assembler(etat, &cms)
            }
        }
    }
}

/// Sign in one step with a local key.
pub fn signer(
    format: FormatSignature,
    donnees: DonneesSignees<'_>,
    signataire: &Signataire,
    opts: &OptionsSignature,
) -> Result<Vec<u8>> {
    let p = preparer(format, donnees, signataire, opts)?;
    let s = signataire
        .clone()
        .avec_empreinte(p.algorithme_empreinte)
        .avec_schema(p.schema);
    let value = s.signer_empreinte(&p.empreinte)?;
    p.assembler(&value)
}

/// Sign a file (streamed for CAdES and XAdES) and write the result to `sortie` through a
/// temporary file renamed at the end: no partial output on error.
pub fn signer_fichier(
    format: FormatSignature,
    fichier: &std::path::Path,
    sortie: &std::path::Path,
    signataire: &Signataire,
    opts: &OptionsSignature,
) -> Result<()> {
    let io =
        |e: std::io::Error| Erreur::new(CodeErreur::Es, format!("{} : {e}", fichier.display()));
    let mut opts = opts.clone();
    if opts.nom_fichier.is_none() {
        opts.nom_fichier = fichier
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
    }
    let mut f = std::io::BufReader::new(std::fs::File::open(fichier).map_err(io)?);
    let out = signer(format, DonneesSignees::Lecteur(&mut f), signataire, &opts)?;
    crate::fichier_atomique::ecrire_atomique(
        sortie,
        &out,
        crate::fichier_atomique::Confidentialite::Publique,
    )
}

/// The CRLs of a file as a host has them: PEM (any number of `X509 CRL` blocks, text
/// around them allowed) or one DER CRL. Each is checked against its issuer's key only
/// when a signature is verified.
pub fn lire_crls(donnees: &[u8]) -> Result<Vec<Vec<u8>>> {
    const DEBUT: &str = "-----BEGIN X509 CRL-----";
    const FIN: &str = "-----END X509 CRL-----";
    if donnees.first() == Some(&0x30) {
        return Ok(vec![donnees.to_vec()]);
    }
    let texte = std::str::from_utf8(donnees)
        .map_err(|_| Erreur::new(CodeErreur::CleInvalide, "CRL : ni DER, ni PEM"))?;
    let mut crls = vec![];
    let mut reste = texte;
    while let Some(start) = reste.find(DEBUT) {
        let bloc = reste.get(start..).unwrap_or_default();
        let end = bloc
            .find(FIN)
            .map(|e| e + FIN.len())
            .ok_or_else(|| Erreur::new(CodeErreur::CleInvalide, "CRL PEM tronquée"))?;
        let (_, der) = der::pem::decode_vec(bloc.get(..end).unwrap_or_default().as_bytes())
            .map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("CRL PEM : {e}")))?;
        crls.push(der);
        reste = bloc.get(end..).unwrap_or_default();
    }
    if crls.is_empty() {
        return Err(Erreur::new(
            CodeErreur::CleInvalide,
            "aucune CRL (bloc « X509 CRL » ou DER) dans ce fichier",
        ));
    }
    Ok(crls)
}

/// Verify a signature file; `fichier_signe` is the detached file (hashed in streaming).
pub fn verifier_fichier(
    signature: &std::path::Path,
    fichier_signe: Option<&std::path::Path>,
    opts: &OptionsVerification,
) -> Result<RapportVerification> {
    let io = |p: &std::path::Path, e: std::io::Error| {
        Erreur::new(CodeErreur::Es, format!("{} : {e}", p.display()))
    };
    let sig = std::fs::read(signature).map_err(|e| io(signature, e))?;
    match fichier_signe {
        Some(p) => {
            let mut f = std::io::BufReader::new(std::fs::File::open(p).map_err(|e| io(p, e))?);
            verifier(&sig, Some(DonneesSignees::Lecteur(&mut f)), opts)
        }
        None => verifier(&sig, None, opts),
    }
}

impl std::str::FromStr for FormatSignature {
    type Err = Erreur;
    /// `cades`, `xades` or `pades` (any case).
    fn from_str(s: &str) -> Result<FormatSignature> {
        match s.to_ascii_lowercase().as_str() {
            "cades" => Ok(FormatSignature::CAdES),
            "xades" => Ok(FormatSignature::XAdES),
            "pades" => Ok(FormatSignature::PAdES),
            _ => Err(Erreur::invalid_argument(format!(
                "format de signature inconnu : {s} (cades, xades, pades)"
            ))),
        }
    }
}

/// Detect the format of a signature (or signed PDF).
pub fn detecter_format(data: &[u8]) -> Result<FormatSignature> {
    let head = data.get(..1024.min(data.len())).unwrap_or_default();
    // A CMS SignedData first: an enveloping .p7m whose content is a PDF is CAdES (its
    // first kilobyte holds "%PDF-" too).
    if data.first() == Some(&0x30) && verification_cms::lire_signed_data(data).is_ok() {
        return Ok(FormatSignature::CAdES);
    }
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(FormatSignature::PAdES);
    }
    let trimmed = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|p| head.get(p..))
        .unwrap_or_default();
    let trimmed = trimmed.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(trimmed);
    if trimmed.first() == Some(&b'<') {
        return Ok(FormatSignature::XAdES);
    }
    if data.first() == Some(&0x30) {
        return Ok(FormatSignature::CAdES);
    }
    if trimmed.starts_with(b"-----BEGIN") {
        return Ok(FormatSignature::CAdES);
    }
    Err(Erreur::new(
        CodeErreur::SignatureFormatInconnu,
        "ni PDF, ni XML, ni CMS",
    ))
}

fn cms_der(data: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    if data.starts_with(b"-----BEGIN") {
        let text = std::str::from_utf8(data)
            .map_err(|_| Erreur::new(CodeErreur::SignatureMalformee, "PEM non UTF-8"))?;
        let (_, der) = der::pem::decode_vec(text.as_bytes())
            .map_err(|e| Erreur::new(CodeErreur::SignatureMalformee, format!("PEM : {e}")))?;
        Ok(std::borrow::Cow::Owned(der))
    } else {
        Ok(std::borrow::Cow::Borrowed(data))
    }
}

/// Verify a signature of any format. `donnees` is the signed file of a detached CAdES or
/// XAdES signature (missing: [`CodeErreur::FichierSigneManquant`]).
///
/// Unreadable input is an error; a readable signature that fails a check is a report
/// whose status says why (with a stable [`CodeErreur`]).
pub fn verifier(
    signature: &[u8],
    donnees: Option<DonneesSignees<'_>>,
    opts: &OptionsVerification,
) -> Result<RapportVerification> {
    let format = detecter_format(signature)?;
    let sigs = match format {
        FormatSignature::PAdES => pades::verifier(signature, opts)?,
        FormatSignature::CAdES => verifier_cades(&cms_der(signature)?, donnees, opts)?,
        // Enveloped and enveloping signatures carry their data; a missing detached one is
        // reported by the reference that needs it.
        FormatSignature::XAdES => xades_verification::verifier(signature, donnees, opts)?,
    };
    Ok(rapport::rapport(format, sigs))
}

/// CAdES / CMS: every SignerInfo judged (with its counter-signatures). The detached file
/// is read once for every digest the signers need; an enveloping signature carries its
/// content and needs none.
fn verifier_cades(
    der: &[u8],
    donnees: Option<DonneesSignees<'_>>,
    opts: &OptionsVerification,
) -> Result<Vec<RapportSignature>> {
    let sd = verification_cms::lire_signed_data(der)?;
    let mut empreintes = vec![];
    if sd.econtent.is_none() {
        let mut algs = verification_cms::empreintes_requises(der)?;
        for a in cades_long_terme::algorithmes_archive(der) {
            if !algs.contains(&a) {
                algs.push(a);
            }
        }
        empreintes = match (donnees, opts.documents_nommes.as_slice()) {
            (Some(mut d), _) => d.digests(&algs)?,
            // A detached CMS names no document: one named document given is its content.
            (None, [(_, contenu)]) => DonneesSignees::Octets(contenu).digests(&algs)?,
            (None, _) => {
                return Err(Erreur::new(
                    CodeErreur::FichierSigneManquant,
                    "signature détachée : fournir le fichier signé",
                ));
            }
        };
    }
    // The detached file's digest in `alg`, read above.
    let mut empreinte_fournie = |alg: AlgorithmeEmpreinte| {
        empreintes
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, d)| d.clone())
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::FichierSigneManquant,
                    "signature détachée : fournir le fichier signé",
                )
            })
    };
    let mut externes = opts.intermediaires.clone();
    externes.extend(opts.ancres.iter().cloned());
    let checks = verification_cms::check_tous(
        der,
        &mut |alg, econtent| match econtent {
            Some(c) => Ok(alg.hash(c)),
            None => empreinte_fournie(alg),
        },
        &externes,
    )?;
    let mut opts = opts.clone();
    // CRLs and OCSP responses carried in the signature count like the host's (each is
    // checked against its issuer's key before it is believed).
    for c in &checks {
        for crl in &c.crls {
            if !opts.crls.contains(crl) {
                opts.crls.push(crl.clone());
            }
        }
    }
    for o in &sd.ocsps {
        if !opts.reponses_ocsp.contains(o) {
            opts.reponses_ocsp.push(o.clone());
        }
    }
    let lt = cades_long_terme::porte_donnees_validation(der);
    let mut out = vec![];
    for (rang, c) in checks.into_iter().enumerate() {
        // An archive timestamp mpe cannot read proves nothing; it never fails the
        // verification of the signature.
        let archives = cades_long_terme::verifier_archives(der, rang, &mut empreinte_fournie)
            .unwrap_or_default();
        let jetons: Vec<_> = archives.iter().map(|a| &a.check).collect();
        let (jugees, preuve) = rapport::juger_archives(&jetons, &opts);
        // Validation at a past time: a valid archive timestamp proves that the signature
        // and its validation data existed then (EN 319 102-1, 5.6).
        let mut o = opts.clone();
        if let Some(t) = preuve {
            o.date_verification = Some(o.date_verification.map_or(t, |v| v.min(t)));
        }
        let mut r = juger_cms(c, FormatSignature::CAdES, None, &o);
        r.horodatages_archive = jugees;
        if r.niveau == Niveau::BT && lt {
            let n = if preuve.is_some() {
                Niveau::BLTA
            } else {
                Niveau::BLT
            };
            rapport::fixer_niveau(&mut r, n);
        }
        out.push(r);
    }
    Ok(out)
}

/// A CMS check and its counter-signatures, judged (PAdES adds what the PDF showed).
pub(crate) fn juger_cms(
    c: verification_cms::CmsCheck,
    format: FormatSignature,
    pdf: Option<DetailsPdf>,
    opts: &OptionsVerification,
) -> RapportSignature {
    let contre_signatures = c
        .contre_signatures
        .into_iter()
        .map(|mut cs| {
            // A counter-signer's certificate is usually among the signature's.
            cs.certs = c.certs.clone();
            cs.certs_der = c.certs_der.clone();
            juger_cms(cs, format, None, opts)
        })
        .collect();
    rapport::juger_avec(
        rapport::Constat {
            format,
            signer: c.signer,
            certs: c.certs,
            digest_alg: c.digest_alg,
            scheme: c.scheme,
            integrity: c.integrity,
            crypto: c.crypto,
            signing_time: c.signing_time,
            cert_ref: c.signing_cert_v2,
            timestamp: c.timestamp,
            pdf,
        },
        rapport::Complements {
            contre_signatures,
            certs_der: c.certs_der,
        },
        opts,
    )
}

/// The RFC 3161 request for a signature timestamp over a signed output (CAdES `.p7s`,
/// XAdES jeton, or signed PDF: its last signature). The host sends it to its TSA.
pub fn requete_horodatage(
    signe: &[u8],
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<Vec<u8>> {
    let imprinted = match detecter_format(signe)? {
        FormatSignature::CAdES => cms::signature_value(&cms_der(signe)?)?,
        FormatSignature::XAdES => xades::signature_value_c14n(signe)?,
        FormatSignature::PAdES => cms::signature_value(&pades::last_cms(signe)?)?,
    };
    cms::timestamp_request(&imprinted, alg, nonce)
}

/// Embed the token (or the whole TimeStampResp) the TSA returned: B-B becomes B-T. The
/// token must cover this signature ([`CodeErreur::HorodatageInvalide`] otherwise).
pub fn ajouter_horodatage(signe: &[u8], jeton: &[u8]) -> Result<Vec<u8>> {
    match detecter_format(signe)? {
        FormatSignature::CAdES => cms::add_signature_timestamp(&cms_der(signe)?, jeton),
        FormatSignature::XAdES => xades::add_timestamp(signe, jeton),
        FormatSignature::PAdES => pades::add_timestamp(signe, jeton),
    }
}

/// The output name of the reference platform: `<fichier> - AAAAMMJJHHMMSS - Signature N.xml`
/// for XAdES (the date in Europe/Paris), `<nom> - ... - Signature N.pdf` for PAdES (without
/// the `.pdf` of the original), `<fichier> - ... - Signature N.p7s` for CAdES.
///
/// ```
/// use mpe::signature::{nom_fichier_signe, FormatSignature};
/// let d = chrono::DateTime::parse_from_rfc3339("2026-03-01T09:30:05Z").unwrap().to_utc();
/// assert_eq!(nom_fichier_signe("offre.pdf", FormatSignature::PAdES, d, 1), "offre - 20260301103005 - Signature 1.pdf");
/// assert_eq!(nom_fichier_signe("offre.pdf", FormatSignature::XAdES, d, 2), "offre.pdf - 20260301103005 - Signature 2.xml");
/// ```
pub fn nom_fichier_signe(
    fichier: &str,
    format: FormatSignature,
    date: DateTime<Utc>,
    n: u32,
) -> String {
    let stamp = date
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y%m%d%H%M%S");
    match format {
        FormatSignature::XAdES => format!("{fichier} - {stamp} - Signature {n}.xml"),
        FormatSignature::CAdES => format!("{fichier} - {stamp} - Signature {n}.p7s"),
        FormatSignature::PAdES => {
            let base = fichier
                .strip_suffix(".pdf")
                .or_else(|| fichier.strip_suffix(".PDF"))
                .unwrap_or(fichier);
            format!("{base} - {stamp} - Signature {n}.pdf")
        }
    }
}

pub(crate) mod b64 {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};
    pub(super) fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(serde::de::Error::custom)
    }
}

pub(crate) mod b64_vec {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};
    pub(super) fn serialize<S: Serializer>(v: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for x in v {
            seq.serialize_element(&base64::engine::general_purpose::STANDARD.encode(x))?;
        }
        seq.end()
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        v.iter()
            .map(|s| {
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map_err(serde::de::Error::custom)
            })
            .collect()
    }
}

pub(crate) use b64 as base64_serde;
