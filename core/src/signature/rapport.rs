//! The one verification report for PAdES, CAdES and XAdES, and the certificate checks.

use chrono::{DateTime, Utc};
use der::Decode;
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;

use super::asn1;
use super::etsi::{self, NonSupporte, SousIndication};
use super::pades::{LimitesPdf, RevisionPdf};
use super::signer::{AlgorithmeEmpreinte, SchemaSignature};
use crate::{CodeErreur, Erreur, Result};

/// Signature format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum FormatSignature {
    /// PDF signature (ETSI.CAdES.detached or adbe.pkcs7.detached).
    PAdES,
    /// Detached CMS (.p7s).
    CAdES,
    /// Detached XML signature.
    XAdES,
}

/// Baseline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Niveau {
    /// B-B: basic signature.
    #[serde(rename = "B-B")]
    BB,
    /// B-T: with a signature timestamp.
    #[serde(rename = "B-T")]
    BT,
    /// B-LT: B-T with the validation data (certificates, revocation) in the file.
    #[serde(rename = "B-LT")]
    BLT,
    /// B-LTA: B-LT with a document (archive) timestamp over them.
    #[serde(rename = "B-LTA")]
    BLTA,
}

impl Niveau {
    /// ETSI name: `B-B`, `B-T`, `B-LT`, `B-LTA`.
    pub fn libelle(self) -> &'static str {
        match self {
            Niveau::BB => "B-B",
            Niveau::BT => "B-T",
            Niveau::BLT => "B-LT",
            Niveau::BLTA => "B-LTA",
        }
    }
}

/// Overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Statut {
    /// Everything checked out.
    Valide,
    /// Integrity or cryptography failed, or the certificate was not valid / revoked.
    Invalide,
    /// Nothing wrong found, but something could not be established (chain not approved,
    /// unsupported algorithm).
    Indetermine,
}

impl Statut {
    /// French label.
    pub fn libelle(self) -> &'static str {
        match self {
            Statut::Valide => "VALIDE",
            Statut::Invalide => "INVALIDE",
            Statut::Indetermine => "INDÉTERMINÉ",
        }
    }
}

/// What a certificate says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InfoCertificat {
    /// Subject DN (RFC 4514).
    pub sujet: String,
    /// Common name of the subject, when present.
    pub nom_commun: Option<String>,
    /// Issuer DN.
    pub emetteur: String,
    /// Serial number, hexadecimal.
    pub numero_serie: String,
    /// Start of validity.
    pub valide_du: DateTime<Utc>,
    /// End of validity.
    pub valide_au: DateTime<Utc>,
    /// The key usage allows non-repudiation (content commitment).
    pub non_repudiation: bool,
    /// The key usage allows digital signature (or has no key usage extension).
    pub signature_numerique: bool,
    /// QC statements with QcCompliance: qualified certificate (eIDAS).
    pub qualifie_eidas: bool,
}

/// Signature timestamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Horodatage {
    /// Time given by the timestamp authority.
    pub date: Option<DateTime<Utc>>,
    /// The token is valid and covers the signature.
    pub valide: bool,
    /// The TSA's subject.
    pub autorite: Option<String>,
    /// The TSA's chain leads to a trust anchor.
    pub autorite_approuvee: bool,
    /// Why not valid.
    pub raison: Option<String>,
    /// The timestamp's own verdict: an unreadable or unsupported token is INDÉTERMINÉ (and
    /// gives no proof of existence), never a reason to call the signature INVALIDE.
    pub statut: Statut,
    /// ETSI sub-indication of the timestamp when not VALIDE.
    pub sous_indication: Option<SousIndication>,
}

/// PDF-specific findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DetailsPdf {
    /// Name of the signature field.
    pub champ: Option<String>,
    /// The signature covers the whole file.
    pub couvre_tout_le_document: bool,
    /// Revisions added after this signature (0 if it covers the whole file).
    pub revisions_suivantes: usize,
    /// Later revisions change content (not only signatures, timestamps, form fields).
    pub modifie_apres_signature: bool,
    /// What the later revisions changed, when not allowed.
    pub modifications: Vec<String>,
    /// Each revision added after this signature: what it changed, in which category, and
    /// whether the signature allows it (`docs/pades-revisions.md`).
    #[serde(default)]
    pub revisions: Vec<RevisionPdf>,
    /// The document timestamps (B-LTA) covering this signature, each judged.
    #[serde(default)]
    pub horodatages_document: Vec<Horodatage>,
}

/// One check of the arrêté du 22 mars 2019.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Controle {
    /// What is checked.
    pub nom: String,
    /// Passed.
    pub ok: bool,
    /// Detail.
    pub detail: String,
}

/// The report for one signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RapportSignature {
    /// Format.
    pub format: FormatSignature,
    /// Level.
    pub niveau: Niveau,
    /// Overall status.
    pub statut: Statut,
    /// Why the status is not VALIDE.
    pub raison: Option<String>,
    /// Stable code of the first problem found.
    pub code: Option<CodeErreur>,
    /// ETSI EN 319 102-1 sub-indication of the status (none when VALIDE).
    pub sous_indication: Option<SousIndication>,
    /// When INDÉTERMINÉ because mpe lacks a feature: which one.
    pub non_supporte: Option<NonSupporte>,
    /// Every problem found, in the order of the checks (the status comes from them).
    pub problemes: Vec<Probleme>,
    /// The signed data is intact.
    pub integrite: bool,
    /// The signature value verifies with the signer's public key.
    pub signature_valide: bool,
    /// Digest algorithm.
    pub algorithme_empreinte: AlgorithmeEmpreinte,
    /// An algorithm that verifies but is no longer adapted (SHA-1): reported, not adapté.
    pub algorithme_obsolete: bool,
    /// Signature scheme.
    pub schema: SchemaSignature,
    /// Signer certificate.
    pub signataire: Option<InfoCertificat>,
    /// The signed reference to the certificate (signing-certificate-v2 / XAdES) matches.
    pub reference_certificat: Option<bool>,
    /// The chain (subjects, signer first) up to the trust anchor if found.
    pub chaine: Vec<String>,
    /// The chain leads to a trust anchor given by the host.
    pub chaine_approuvee: bool,
    /// The signer certificate was valid at the signing time.
    pub certificat_valide_a_la_signature: bool,
    /// Revocation of the signer's certificate according to the OCSP responses and CRLs
    /// supplied: `Some(true)` revoked, `Some(false)` usable data said not revoked, `None`
    /// no usable data.
    pub revoque: Option<bool>,
    /// The revocation check of each certificate of the chain for which revocation data was
    /// given: the source that decided (OCSP or CRL) and the data set aside, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revocations: Vec<super::revocation::ControleRevocation>,
    /// Signing time claimed by the signer (signing-time, SigningTime or /M).
    pub date_signature: Option<DateTime<Utc>>,
    /// Signature timestamp (B-T).
    pub horodatage: Option<Horodatage>,
    /// PDF details.
    pub pdf: Option<DetailsPdf>,
    /// The arrêté du 22 mars 2019 checks.
    pub controles_marches_publics: Vec<Controle>,
    /// All checks passed: "Adapté pour les marchés publics".
    pub adapte_marches_publics: bool,
    /// Qualification of the signer's certificate under the trusted lists the host gave
    /// ([`OptionsVerification::confiance`]); absent without lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<crate::confiance::RapportQualification>,
    /// Counter-signatures of this signature (CMS countersignature attribute), each judged.
    pub contre_signatures: Vec<RapportSignature>,
    /// The archive timestamps of the signature (CAdES archive-time-stamp-v3, XAdES
    /// `xadesv141:ArchiveTimeStamp`), each judged: its imprint recomputed, its token and its
    /// TSA checked (B-LTA); older forms of TS 101 733 are INDÉTERMINÉ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub horodatages_archive: Vec<Horodatage>,
}

/// One problem found while judging a signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Probleme {
    /// What it makes of the signature.
    pub statut: Statut,
    /// ETSI sub-indication.
    pub sous_indication: SousIndication,
    /// Stable code.
    pub code: CodeErreur,
    /// Detail, in French.
    pub message: String,
}

/// The report of a verification: every signature found in the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RapportVerification {
    /// Format detected.
    pub format: FormatSignature,
    /// Overall status: VALIDE only if every signature is.
    pub statut: Statut,
    /// One entry per signature.
    pub signatures: Vec<RapportSignature>,
    /// Short French summary.
    pub resume: String,
}

/// What the host supplies for verification: trust anchors, extra intermediates, CRLs and
/// the time of validation (used when no signing time is known).
#[derive(Debug, Clone, Default)]
pub struct OptionsVerification {
    /// Trust anchors (root or intermediate certificates the host trusts).
    pub ancres: Vec<Certificate>,
    /// Other certificates to build chains with.
    pub intermediaires: Vec<Certificate>,
    /// CRLs (DER) supplied by the host; nothing is fetched.
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses (DER `OCSPResponse`) supplied by the host, for any certificate of the
    /// chain; each is checked (responder, signature, CertID, dates) before it is believed.
    pub reponses_ocsp: Vec<Vec<u8>>,
    /// A host callback fetching revocation data for each certificate of the chain
    /// (online, in the host's own way); its answers count like the data above.
    pub rappel_revocation: Option<super::revocation::RappelRevocation>,
    /// The validation time ("now" for the host).
    pub date_verification: Option<DateTime<Utc>>,
    /// Documents a signature references by name (detached XAdES with several references,
    /// manifests): (name or URI as the signature gives it, bytes). Nothing is fetched.
    pub documents_nommes: Vec<(String, Vec<u8>)>,
    /// Trusted lists already loaded ([`crate::confiance::charger`]). When given, the
    /// "qualifié eIDAS" check of the arrêté comes from the qualification under these lists
    /// (QESig or AdESig-QC) instead of the certificate's own QcStatement; nothing else changes.
    pub confiance: Option<std::sync::Arc<crate::confiance::Confiance>>,
    /// Bounds on the cost of reading a PDF (the defaults fit every real signed file).
    pub limites_pdf: LimitesPdf,
}

impl OptionsVerification {
    /// Options from PEM/DER bundles, as the C and Python bindings receive them.
    pub fn depuis_pem(
        ancres_pem: &[u8],
        crls: Vec<Vec<u8>>,
        date: Option<DateTime<Utc>>,
    ) -> Result<Self> {
        let ancres = if ancres_pem.is_empty() {
            vec![]
        } else if ancres_pem.starts_with(b"-----")
            || ancres_pem.iter().take(64).all(|b| b.is_ascii())
        {
            Certificate::load_pem_chain(ancres_pem).map_err(|e| {
                Erreur::new(
                    CodeErreur::CleInvalide,
                    format!("ancres de confiance : {e}"),
                )
            })?
        } else {
            vec![super::signer::certificat(ancres_pem)?]
        };
        Ok(OptionsVerification {
            ancres,
            intermediaires: vec![],
            crls,
            date_verification: date,
            ..Default::default()
        })
    }
}

/// Verification options as JSON (the C and Python bindings): PEM bundles and a date.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OptionsVerificationJson {
    /// Trust anchors, PEM (one or more certificates).
    #[serde(default)]
    pub ancres_pem: Option<String>,
    /// Extra intermediate certificates, PEM.
    #[serde(default)]
    pub intermediaires_pem: Option<String>,
    /// CRLs, PEM (`X509 CRL` blocks).
    #[serde(default)]
    pub crls_pem: Option<String>,
    /// OCSP responses, each a DER `OCSPResponse` in base64.
    #[serde(default)]
    pub reponses_ocsp: Vec<String>,
    /// Validation time, RFC 3339.
    #[serde(default)]
    pub date_verification: Option<DateTime<Utc>>,
    /// Documents a signature references by name: `{"nom ou URI": "contenu en base64"}`.
    #[serde(default)]
    pub documents_nommes: std::collections::BTreeMap<String, String>,
    /// PDF limits; a partial object keeps the defaults of the fields it omits.
    #[serde(default)]
    pub limites_pdf: Option<LimitesPdf>,
    /// EU trusted lists (LOTL and national lists, checked at `date_verification`, which is
    /// then required): the signer's qualification comes from them.
    #[serde(default)]
    pub listes_confiance: Option<crate::confiance::ListesConfianceJson>,
}

impl TryFrom<OptionsVerificationJson> for OptionsVerification {
    type Error = Erreur;
    fn try_from(j: OptionsVerificationJson) -> Result<OptionsVerification> {
        let certs = |pem: Option<String>, what: &str| -> Result<Vec<Certificate>> {
            match pem.filter(|p| !p.trim().is_empty()) {
                None => Ok(vec![]),
                Some(p) => Certificate::load_pem_chain(p.as_bytes())
                    .map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("{what} : {e}"))),
            }
        };
        let crls = match j.crls_pem {
            Some(p) if !p.trim().is_empty() => super::lire_crls(p.as_bytes())?,
            _ => vec![],
        };
        let documents_nommes = j
            .documents_nommes
            .into_iter()
            .map(|(nom, b64)| {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .map(|contenu| (nom.clone(), contenu))
                    .map_err(|e| {
                        Erreur::invalid_argument(format!(
                            "documents_nommes : « {nom} » n'est pas en base64 : {e}"
                        ))
                        .at(format!("documents_nommes.{nom}"))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        let reponses_ocsp = j
            .reponses_ocsp
            .iter()
            .enumerate()
            .map(|(i, b64)| {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .map_err(|e| {
                        Erreur::invalid_argument(format!(
                            "reponses_ocsp : la réponse {i} n'est pas en base64 : {e}"
                        ))
                        .at(format!("reponses_ocsp.{i}"))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        let confiance = match &j.listes_confiance {
            None => None,
            Some(l) => {
                let date = j.date_verification.ok_or_else(|| {
                    Erreur::new(
                        CodeErreur::ListeConfianceEntree,
                        "listes_confiance : date_verification est requise (mpe ne lit pas l'horloge)",
                    )
                    .at("date_verification")
                })?;
                Some(l.charger_partage(date).map_err(|e| {
                    let chemin = e.path().map(|p| format!("listes_confiance.{p}"));
                    match chemin {
                        Some(c) => e.at(c),
                        None => e,
                    }
                })?)
            }
        };
        Ok(OptionsVerification {
            ancres: certs(j.ancres_pem, "ancres de confiance")?,
            intermediaires: certs(j.intermediaires_pem, "certificats intermédiaires")?,
            crls,
            reponses_ocsp,
            date_verification: j.date_verification,
            documents_nommes,
            rappel_revocation: None,
            confiance,
            limites_pdf: j.limites_pdf.unwrap_or_default(),
        })
    }
}

pub(crate) fn info_certificat(cert: &Certificate) -> InfoCertificat {
    let tbs = cert.tbs_certificate();
    let ku = tbs
        .get_extension::<KeyUsage>()
        .ok()
        .flatten()
        .map(|(_, k)| k);
    InfoCertificat {
        sujet: tbs.subject().to_string(),
        nom_commun: common_name(cert),
        emetteur: tbs.issuer().to_string(),
        numero_serie: hex::encode(tbs.serial_number().as_bytes()),
        valide_du: asn1::time_to_chrono(&tbs.validity().not_before),
        valide_au: asn1::time_to_chrono(&tbs.validity().not_after),
        non_repudiation: ku.as_ref().is_some_and(|k| k.non_repudiation()),
        signature_numerique: ku
            .as_ref()
            .is_none_or(|k| k.digital_signature() || k.non_repudiation()),
        qualifie_eidas: is_qualified(cert),
    }
}

fn common_name(cert: &Certificate) -> Option<String> {
    const CN: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");
    for rdn in cert.tbs_certificate().subject().iter_rdn() {
        for atv in rdn.iter() {
            if atv.oid == CN {
                let v = &atv.value;
                if let Ok(s) = std::str::from_utf8(v.value()) {
                    return Some(s.to_string());
                }
            }
        }
    }
    None
}

fn is_qualified(cert: &Certificate) -> bool {
    let Some(exts) = cert.tbs_certificate().extensions() else {
        return false;
    };
    exts.iter()
        .filter(|e| e.extn_id == asn1::OID_QC_STATEMENTS)
        .any(|e| {
            let Ok(stmts) = Vec::<der::asn1::Any>::from_der(e.extn_value.as_bytes()) else {
                return false;
            };
            stmts.iter().any(|s| {
                s.decode_as::<Vec<der::asn1::Any>>().ok().and_then(|parts| {
                    parts
                        .first()
                        .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                }) == Some(asn1::OID_QCS_COMPLIANCE)
            })
        })
}

/// The chain from `cert` to an anchor: (certificates, approved). See [`super::chaine`].
pub(crate) fn build_chain(
    cert: &Certificate,
    pool: &[Certificate],
    anchors: &[Certificate],
) -> (Vec<Certificate>, bool) {
    let c = super::chaine::construire(cert, pool, anchors);
    (c.certificats, c.approuvee)
}

/// Everything the format-specific checks found, to be judged the same way for all formats.
#[derive(Debug)]
pub(crate) struct Constat {
    pub format: FormatSignature,
    pub signer: Option<Certificate>,
    pub certs: Vec<Certificate>,
    pub digest_alg: AlgorithmeEmpreinte,
    pub scheme: SchemaSignature,
    pub integrity: Result<()>,
    pub crypto: Result<()>,
    pub signing_time: Option<DateTime<Utc>>,
    pub cert_ref: Option<bool>,
    pub timestamp: Option<super::cms::TimestampCheck>,
    pub pdf: Option<DetailsPdf>,
}

/// What CAdES knows beyond the common [`Constat`] (PAdES and XAdES give the defaults).
#[derive(Debug, Default)]
pub(crate) struct Complements {
    /// The counter-signatures, already judged.
    pub contre_signatures: Vec<RapportSignature>,
    /// The certificates as the signature encodes them (`CmsCheck::certs_der`): chains are
    /// verified over these bytes, not over a re-encoding.
    pub certs_der: Vec<Vec<u8>>,
}

/// The time the certificates are judged at, and what proves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Preuve {
    /// A valid timestamp: the signature existed then (ETSI proof of existence).
    Horodatage,
    /// The validation time: the signature exists now.
    Validation,
    /// Only the time the signer claims.
    Declaree,
}

struct Problemes(Vec<Probleme>);

impl Problemes {
    /// A problem whose verdict follows from its code (see [`etsi::verdict`]).
    fn erreur(&mut self, e: &Erreur) {
        let (statut, si) = etsi::verdict(e.code());
        self.avec(statut, si, e);
    }
    fn avec(&mut self, statut: Statut, sous_indication: SousIndication, e: &Erreur) {
        self.0.push(Probleme {
            statut,
            sous_indication,
            code: e.code(),
            message: e.message().to_string(),
        });
    }
}

pub(crate) fn juger_avec(
    c: Constat,
    complements: Complements,
    opts: &OptionsVerification,
) -> RapportSignature {
    let mut p = Problemes(vec![]);
    let mut non_supporte = None;
    if let Err(e) = &c.integrity {
        p.erreur(e);
        non_supporte = non_supporte.or_else(|| etsi::non_supporte(e));
    }
    if let Err(e) = &c.crypto {
        // Nothing is proven without the signer's certificate: not a format failure.
        if c.signer.is_none() && e.code() == CodeErreur::SignatureMalformee {
            p.avec(
                Statut::Indetermine,
                SousIndication::NoSigningCertificateFound,
                e,
            );
        } else {
            p.erreur(e);
        }
        non_supporte = non_supporte.or_else(|| etsi::non_supporte(e));
    }
    if let Some(pdf) = &c.pdf
        && pdf.modifie_apres_signature
    {
        p.erreur(&Erreur::new(
            CodeErreur::PdfModifieApresSignature,
            format!(
                "PDF modifié après signature : {}",
                pdf.modifications.join(", ")
            ),
        ));
    }
    if c.cert_ref == Some(false) {
        p.erreur(&Erreur::new(
            CodeErreur::ReferenceCertificatIncorrecte,
            "la référence signée au certificat ne correspond pas",
        ));
    }
    let horodatage = c.timestamp.as_ref().map(|t| juger_horodatage(t, opts));
    // Proof of existence: a valid timestamp; else the validation time (the signature
    // exists now); else only the signer's claim.
    let ts_date = horodatage
        .as_ref()
        .filter(|h| h.valide)
        .and_then(|h| h.date);
    let (at, preuve) = match (ts_date, opts.date_verification, c.signing_time) {
        (Some(t), _, _) => (Some(t), Preuve::Horodatage),
        (None, Some(v), _) => (Some(v), Preuve::Validation),
        (None, None, Some(s)) => (Some(s), Preuve::Declaree),
        (None, None, None) => (None, Preuve::Declaree),
    };
    let signataire = c.signer.as_ref().map(info_certificat);
    let mut chaine = vec![];
    let mut approuvee = false;
    let mut valid_at = false;
    let mut revoque = None;
    let mut revocations = vec![];
    if let Some(cert) = &c.signer {
        let mut pool = c.certs.clone();
        pool.extend(opts.intermediaires.iter().cloned());
        let bruts = super::chaine::Bruts::new(&complements.certs_der);
        let built = super::chaine::construire_brut(cert, &pool, &opts.ancres, &bruts);
        approuvee = built.approuvee;
        chaine = built
            .certificats
            .iter()
            .map(|x| x.tbs_certificate().subject().to_string())
            .collect();
        let info = info_certificat(cert);
        if !info.signature_numerique {
            p.erreur(&Erreur::new(
                CodeErreur::UsageCleIncorrect,
                "l'usage de la clé du certificat exclut la signature",
            ));
        }
        match &built.erreur {
            Some(e) => p.avec(
                Statut::Indetermine,
                SousIndication::CertificateChainGeneralFailure,
                e,
            ),
            None if !approuvee => p.erreur(&Erreur::new(
                CodeErreur::ChaineNonApprouvee,
                "la chaîne ne mène à aucune autorité de confiance fournie",
            )),
            None => {}
        }
        match at {
            None => p.avec(
                Statut::Indetermine,
                SousIndication::NoPoe,
                &Erreur::new(
                    CodeErreur::CertificatHorsValidite,
                    "aucune date pour juger le certificat (ni horodatage, ni date de signature, ni date de vérification)",
                ),
            ),
            Some(at) => {
                valid_at = true;
                for (i, x) in built.certificats.iter().enumerate() {
                    // Anchors are the host's choice; an expired root still vouches no more.
                    let qui = if i == 0 {
                        "certificat du signataire".to_string()
                    } else {
                        format!(
                            "certificat de l'autorité « {} »",
                            x.tbs_certificate().subject()
                        )
                    };
                    if !periode(x, at, preuve, &qui, &mut p) {
                        valid_at = false;
                    }
                    let Some(issuer) = built.certificats.get(i + 1) else {
                        continue;
                    };
                    let en_ligne = opts.rappel_revocation.as_ref().map(|f| (f.0)(x, issuer));
                    let ctl = super::revocation::controler(
                        x,
                        issuer,
                        &opts.crls,
                        &opts.reponses_ocsp,
                        en_ligne.as_ref(),
                        opts.date_verification.unwrap_or(at),
                    );
                    let r = ctl.revoque.map(|rv| ctl.date_revocation.filter(|_| rv));
                    if let Some(d) = ctl.revocation_non_verifiee {
                        // Claimed by a responder whose own revocation is unknown: neither
                        // proven nor ignored (RFC 6960 4.2.2.2.1; DSS: not acceptable).
                        p.avec(
                            Statut::Indetermine,
                            SousIndication::TryLater,
                            &Erreur::new(
                                CodeErreur::OcspRepondantRevocationInconnue,
                                format!(
                                    "{qui} révoqué le {d} selon un répondeur OCSP dont la révocation n'a pu être vérifiée"
                                ),
                            ),
                        );
                    }
                    if ctl.source.is_some() || !ctl.ecartees.is_empty() {
                        revocations.push(ctl);
                    }
                    if i == 0 {
                        revoque = r.map(|d| d.is_some_and(|d| d <= at));
                    }
                    if let Some(Some(d)) = r {
                        revocation_probleme(d, at, preuve, c.signing_time, &qui, i > 0, &mut p);
                        if i == 0 && revoque == Some(false) {
                            // Revoked now, after the time judged: not proven either way.
                            revoque = Some(true);
                        }
                    }
                }
            }
        }
    }
    let algorithme_obsolete = c.digest_alg.est_obsolete();
    // Qualification at the best known signing time: the timestamp, else the claimed time,
    // else the validation time.
    let qualification = match (&opts.confiance, &c.signer) {
        (Some(cf), Some(cert)) => ts_date
            .or(c.signing_time)
            .or(opts.date_verification)
            .map(|quand| crate::confiance::qualifier(cert, quand, cf)),
        _ => None,
    };
    let mut r = rapport_signature(
        c,
        complements,
        p,
        non_supporte,
        horodatage,
        (signataire, chaine, approuvee, valid_at, revoque, at),
        algorithme_obsolete,
    );
    r.revocations = revocations;
    if opts.confiance.is_some() {
        appliquer_qualification(&mut r, qualification, approuvee);
    }
    r
}

/// With trusted lists, the "qualifié eIDAS" check is the qualification under them.
fn appliquer_qualification(
    r: &mut RapportSignature,
    q: Option<crate::confiance::RapportQualification>,
    approuvee: bool,
) {
    let qualifiee = q
        .as_ref()
        .is_some_and(|q| q.qualification.signature_sur_certificat_qualifie());
    if let Some(ctl) = r
        .controles_marches_publics
        .iter_mut()
        .find(|x| x.nom.starts_with("catégorie du certificat"))
    {
        ctl.ok = qualifiee && approuvee;
        ctl.detail = match &q {
            Some(q) => format!(
                "{} selon les listes de confiance{}",
                serde_json::to_value(q.qualification)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                q.raison
                    .as_ref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            ),
            None => "qualification impossible (signataire ou date inconnus)".into(),
        };
    }
    r.adapte_marches_publics =
        r.statut == Statut::Valide && r.controles_marches_publics.iter().all(|x| x.ok);
    r.qualification = q;
}

/// Is `x` valid at `at`? A problem otherwise: proven (INVALIDE) when a timestamp or the
/// validation time shows the signature existed out of the period, else INDÉTERMINÉ.
fn periode(
    x: &Certificate,
    at: DateTime<Utc>,
    preuve: Preuve,
    qui: &str,
    p: &mut Problemes,
) -> bool {
    let du = asn1::time_to_chrono(&x.tbs_certificate().validity().not_before);
    let au = asn1::time_to_chrono(&x.tbs_certificate().validity().not_after);
    let quand = match preuve {
        Preuve::Horodatage => "horodatage",
        Preuve::Validation => "vérification",
        Preuve::Declaree => "signature déclarée",
    };
    let e = Erreur::new(
        CodeErreur::CertificatHorsValidite,
        format!("{qui} valide du {du} au {au}, date de {quand} : {at}"),
    );
    if at > au {
        match preuve {
            Preuve::Horodatage => p.avec(Statut::Invalide, SousIndication::Expired, &e),
            _ => p.avec(Statut::Indetermine, SousIndication::OutOfBoundsNoPoe, &e),
        }
        false
    } else if at < du {
        match preuve {
            Preuve::Declaree => p.avec(Statut::Indetermine, SousIndication::NotYetValid, &e),
            _ => p.avec(Statut::Invalide, SousIndication::NotYetValid, &e),
        }
        false
    } else {
        true
    }
}

/// A revocation at `d`: proven before the signature when a timestamp shows the signature
/// after it, or when the signer's own claimed time is after it; otherwise no proof of
/// existence before the revocation (REVOKED_NO_POE).
fn revocation_probleme(
    d: DateTime<Utc>,
    at: DateTime<Utc>,
    preuve: Preuve,
    declaree: Option<DateTime<Utc>>,
    qui: &str,
    autorite: bool,
    p: &mut Problemes,
) {
    let e = Erreur::new(
        CodeErreur::CertificatRevoque,
        format!("{qui} révoqué le {d}"),
    );
    let avant_preuve = preuve == Preuve::Horodatage && d <= at;
    let avant_declaree = declaree.is_some_and(|s| d <= s);
    if avant_preuve || avant_declaree {
        p.avec(Statut::Invalide, SousIndication::Revoked, &e);
    } else if preuve != Preuve::Horodatage {
        let si = if autorite {
            SousIndication::RevokedCaNoPoe
        } else {
            SousIndication::RevokedNoPoe
        };
        p.avec(Statut::Indetermine, si, &e);
    }
}

type Certifs = (
    Option<InfoCertificat>,
    Vec<String>,
    bool,
    bool,
    Option<bool>,
    Option<DateTime<Utc>>,
);

fn rapport_signature(
    c: Constat,
    complements: Complements,
    p: Problemes,
    non_supporte: Option<NonSupporte>,
    horodatage: Option<Horodatage>,
    (signataire, chaine, approuvee, valid_at, revoque, at): Certifs,
    algorithme_obsolete: bool,
) -> RapportSignature {
    let problemes = p.0;
    let statut = if problemes.iter().any(|x| x.statut == Statut::Invalide) {
        Statut::Invalide
    } else if problemes.is_empty() {
        Statut::Valide
    } else {
        Statut::Indetermine
    };
    // INVALIDE: the first proven failure; INDÉTERMINÉ: the first step of the ETSI process
    // that could not conclude.
    let first = if statut == Statut::Invalide {
        problemes.iter().find(|x| x.statut == Statut::Invalide)
    } else {
        problemes.iter().min_by_key(|x| x.sous_indication.rang())
    };
    let non_supporte = non_supporte.filter(|_| statut == Statut::Indetermine);
    let niveau = if c.timestamp.is_some() {
        Niveau::BT
    } else {
        Niveau::BB
    };
    let integre = c.integrity.is_ok() && c.pdf.as_ref().is_none_or(|p| !p.modifie_apres_signature);
    let qualifie = signataire.as_ref().is_some_and(|s| s.qualifie_eidas);
    let controles = vec![
        Controle {
            nom: "identité du signataire".into(),
            ok: signataire.is_some() && c.crypto.is_ok(),
            detail: signataire
                .as_ref()
                .map(|s| s.sujet.clone())
                .unwrap_or_else(|| "inconnu".into()),
        },
        Controle {
            nom: "catégorie du certificat (qualifié eIDAS)".into(),
            ok: qualifie && approuvee,
            detail: if qualifie {
                "certificat qualifié eIDAS".into()
            } else {
                "certificat non qualifié".into()
            },
        },
        Controle {
            nom: "format de signature".into(),
            ok: true,
            detail: format!("{:?} {}", c.format, niveau.libelle()),
        },
        Controle {
            nom: "validité du certificat à la date de signature".into(),
            ok: valid_at && revoque != Some(true),
            detail: at.map(|a| a.to_rfc3339()).unwrap_or_default(),
        },
        Controle {
            nom: "intégrité du document signé".into(),
            ok: integre,
            detail: String::new(),
        },
        Controle {
            nom: "algorithmes adaptés".into(),
            ok: !algorithme_obsolete,
            detail: if algorithme_obsolete {
                format!("{:?} : algorithme obsolète", c.digest_alg)
            } else {
                format!("{:?}", c.digest_alg)
            },
        },
    ];
    let adapte = statut == Statut::Valide && controles.iter().all(|x| x.ok);
    RapportSignature {
        format: c.format,
        niveau,
        statut,
        raison: first.map(|x| x.message.clone()),
        code: first.map(|x| x.code),
        sous_indication: first.map(|x| x.sous_indication),
        non_supporte,
        problemes: problemes.clone(),
        integrite: integre,
        signature_valide: c.crypto.is_ok(),
        algorithme_empreinte: c.digest_alg,
        algorithme_obsolete,
        schema: c.scheme,
        signataire,
        reference_certificat: c.cert_ref,
        chaine,
        chaine_approuvee: approuvee,
        certificat_valide_a_la_signature: valid_at,
        revoque,
        revocations: vec![],
        date_signature: c.signing_time,
        horodatage,
        pdf: c.pdf,
        controles_marches_publics: controles,
        adapte_marches_publics: adapte,
        qualification: None,
        contre_signatures: complements.contre_signatures,
        horodatages_archive: vec![],
    }
}

/// Raise the level a format check established (PAdES B-LT / B-LTA from the DSS and the
/// document timestamps, CAdES and XAdES from their validation data and archive
/// timestamps), the control of the format saying it too.
pub(crate) fn fixer_niveau(r: &mut RapportSignature, n: Niveau) {
    r.niveau = n;
    if let Some(c) = r
        .controles_marches_publics
        .iter_mut()
        .find(|c| c.nom == "format de signature")
    {
        c.detail = format!("{:?} {}", r.format, n.libelle());
    }
}

/// The timestamp's TSA certificate is within its validity at `quand` (no time: any).
fn tsa_valide_a(t: &super::cms::TimestampCheck, quand: Option<DateTime<Utc>>) -> bool {
    t.tsa.as_ref().is_some_and(|c| {
        quand.is_none_or(|d| {
            let v = c.tbs_certificate().validity();
            asn1::time_to_chrono(&v.not_before) <= d && d <= asn1::time_to_chrono(&v.not_after)
        })
    })
}

/// The timestamp's own verdict. A token that does not verify is reported and gives no
/// proof of existence; it does not make the signature INVALIDE (ETSI EN 319 102-1, 5.4).
pub(crate) fn juger_horodatage(
    t: &super::cms::TimestampCheck,
    opts: &OptionsVerification,
) -> Horodatage {
    let mut pool = t.certs.clone();
    pool.extend(opts.intermediaires.iter().cloned());
    let approved = t
        .tsa
        .as_ref()
        .is_some_and(|tsa| build_chain(tsa, &pool, &opts.ancres).1);
    let (statut, sous_indication) = match &t.valid {
        Ok(()) => (Statut::Valide, None),
        Err(e) => {
            let (s, si) = match e.code() {
                // A message imprint or a token signature that provably does not match.
                CodeErreur::SignatureIntegrite => (Statut::Invalide, SousIndication::HashFailure),
                CodeErreur::SignatureInvalide => {
                    (Statut::Invalide, SousIndication::SigCryptoFailure)
                }
                CodeErreur::HorodatageInvalide
                    if e.message().contains("ne porte pas sur cette signature") =>
                {
                    (Statut::Invalide, SousIndication::HashFailure)
                }
                _ => etsi::verdict(e.code()),
            };
            (s, Some(si))
        }
    };
    Horodatage {
        date: t.date,
        valide: t.valid.is_ok(),
        autorite: t
            .tsa
            .as_ref()
            .map(|x| x.tbs_certificate().subject().to_string()),
        autorite_approuvee: approved,
        raison: t.valid.as_ref().err().map(|e| e.message().to_string()),
        statut,
        sous_indication,
    }
}

/// Archive timestamps (CAdES, XAdES) judged, and the earliest time they prove: their own
/// order is their time's (each covers the ones before it).
pub(crate) fn juger_archives(
    archives: &[&super::cms::TimestampCheck],
    opts: &OptionsVerification,
) -> (Vec<Horodatage>, Option<DateTime<Utc>>) {
    let dates: Vec<_> = archives.iter().map(|a| a.date).collect();
    let mut ordre: Vec<usize> = (0..archives.len()).collect();
    ordre.sort_by_key(|i| std::cmp::Reverse(dates.get(*i).copied().flatten()));
    let jugees = juger_en_chaine(archives, &ordre, opts);
    let preuve = jugees.iter().filter_map(|(_, p)| *p).min();
    (jugees.into_iter().map(|(h, _)| h).collect(), preuve)
}

/// Timestamps that cover one another, each judged with the time it proves (`None`: it proves
/// nothing). `du_plus_recent` lists their indexes newest first, each covering the ones after
/// it: the newest TSA certificate must be valid at the validation time, each older one at the
/// time the newer ones prove (EN 319 102-1, 5.6.3), so that a timestamp whose TSA has since
/// expired still proves its time once a later one covers it.
pub(crate) fn juger_en_chaine(
    jetons: &[&super::cms::TimestampCheck],
    du_plus_recent: &[usize],
    opts: &OptionsVerification,
) -> Vec<(Horodatage, Option<DateTime<Utc>>)> {
    let mut jugees: Vec<(Horodatage, Option<DateTime<Utc>>)> = jetons
        .iter()
        .map(|t| (juger_horodatage(t, opts), None))
        .collect();
    let mut quand = opts.date_verification;
    for &i in du_plus_recent {
        let (Some((h, preuve)), Some(t)) = (jugees.get_mut(i), jetons.get(i)) else {
            continue;
        };
        if let Some(d) = h
            .date
            .filter(|_| h.valide && h.autorite_approuvee && tsa_valide_a(t, quand))
        {
            quand = Some(d);
            *preuve = Some(d);
        }
    }
    jugees
}

pub(crate) fn rapport(
    format: FormatSignature,
    signatures: Vec<RapportSignature>,
) -> RapportVerification {
    // Counter-signatures count: an invalid one makes the file's verdict INVALIDE.
    fn toutes(s: &RapportSignature) -> Vec<Statut> {
        let mut v = vec![s.statut];
        for c in &s.contre_signatures {
            v.extend(toutes(c));
        }
        v
    }
    let statuts: Vec<Statut> = signatures.iter().flat_map(toutes).collect();
    let statut = if signatures.is_empty() || statuts.contains(&Statut::Invalide) {
        Statut::Invalide
    } else if statuts.iter().all(|s| *s == Statut::Valide) {
        Statut::Valide
    } else {
        Statut::Indetermine
    };
    let mut resume = if signatures.is_empty() {
        format!("{format:?} : aucune signature trouvée.")
    } else {
        format!(
            "{format:?} : {} signature(s), statut {}.",
            signatures.len(),
            statut.libelle()
        )
    };
    for s in &signatures {
        let qui = s
            .signataire
            .as_ref()
            .map(|i| i.nom_commun.clone().unwrap_or_else(|| i.sujet.clone()))
            .unwrap_or_else(|| "signataire inconnu".into());
        let quand = s
            .horodatage
            .as_ref()
            .and_then(|h| h.date)
            .or(s.date_signature)
            .map(|d| {
                d.with_timezone(&chrono_tz::Europe::Paris)
                    .format(" le %d/%m/%Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        resume.push_str(&format!("\n- {qui}{quand} : {}", s.statut.libelle()));
        if let Some(r) = &s.raison {
            resume.push_str(&format!(" ({r})"));
        }
        if s.signataire.as_ref().is_some_and(|i| i.qualifie_eidas) {
            resume.push_str(" ; certificat qualifié eIDAS");
        }
        if s.adapte_marches_publics {
            resume.push_str(" ; Adapté pour les marchés publics");
        }
    }
    RapportVerification {
        format,
        statut,
        signatures,
        resume,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::cms::TimestampCheck;

    fn cert(nom: &str) -> Certificate {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors/signature")
            .join(nom);
        let pem = std::fs::read_to_string(p).unwrap();
        crate::signature::Signataire::certificats_pem(&pem)
            .unwrap()
            .remove(0)
    }

    fn jeton(date: &str, tsa: &str) -> TimestampCheck {
        TimestampCheck {
            date: Some(date.parse().unwrap()),
            valid: Ok(()),
            tsa: Some(cert(tsa)),
            certs: vec![],
        }
    }

    fn options() -> OptionsVerification {
        OptionsVerification {
            ancres: vec![cert("ca.pem")],
            date_verification: Some("2030-01-01T00:00:00Z".parse().unwrap()),
            ..Default::default()
        }
    }

    /// A timestamp whose TSA certificate expired (2012) still proves its time when a
    /// newer one, from a TSA valid at the validation time, was made while it was valid.
    #[test]
    fn un_horodatage_expire_couvert_prouve_sa_date() {
        let ancien = jeton("2011-06-01T00:00:00Z", "expire.pem");
        let recent = jeton("2011-09-01T00:00:00Z", "tsa.pem");
        let j = juger_en_chaine(&[&ancien, &recent], &[1, 0], &options());
        let preuves: Vec<_> = j.iter().map(|(_, p)| p.map(|d| d.to_rfc3339())).collect();
        assert_eq!(
            preuves,
            [
                Some("2011-06-01T00:00:00+00:00".to_string()),
                Some("2011-09-01T00:00:00+00:00".to_string())
            ]
        );
        // Alone, judged at the validation time, it proves nothing.
        let seul = juger_en_chaine(&[&ancien], &[0], &options());
        assert_eq!(seul[0].1, None);
        // Covered by a timestamp made after its TSA expired, it proves nothing either.
        let tard = jeton("2013-01-01T00:00:00Z", "tsa.pem");
        let j = juger_en_chaine(&[&ancien, &tard], &[1, 0], &options());
        assert_eq!(j[0].1, None);
        assert!(j[1].1.is_some());
        // The archive rule of CAdES and XAdES is the same: the earliest proven time.
        let (h, preuve) = juger_archives(&[&recent, &ancien], &options());
        assert_eq!(h.len(), 2);
        assert_eq!(preuve, ancien.date);
    }
}
