//! The one verification report for PAdES, CAdES and XAdES, and the certificate checks.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

use super::asn1;
use super::signer::{AlgorithmeEmpreinte, SchemaSignature};
use crate::{Error, ErrorCode, Result};

/// Signature format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormatSignature {
    /// PDF signature (ETSI.CAdES.detached or adbe.pkcs7.detached).
    PAdES,
    /// Detached CMS (.p7s).
    CAdES,
    /// Detached XML signature.
    XAdES,
}

/// Baseline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Niveau {
    /// B-B: basic signature.
    #[serde(rename = "B-B")]
    BB,
    /// B-T: with a signature timestamp.
    #[serde(rename = "B-T")]
    BT,
}

/// Overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// PDF-specific findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// One check of the arrêté du 22 mars 2019.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Controle {
    /// What is checked.
    pub nom: String,
    /// Passed.
    pub ok: bool,
    /// Detail.
    pub detail: String,
}

/// The report for one signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub code: Option<ErrorCode>,
    /// The signed data is intact.
    pub integrite: bool,
    /// The signature value verifies with the signer's public key.
    pub signature_valide: bool,
    /// Digest algorithm.
    pub algorithme_empreinte: AlgorithmeEmpreinte,
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
    /// Revocation according to the CRLs supplied: `Some(true)` revoked, `Some(false)` a CRL
    /// of the issuer said not revoked, `None` no CRL of the issuer.
    pub revoque: Option<bool>,
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
}

/// The report of a verification: every signature found in the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The validation time ("now" for the host).
    pub date_verification: Option<DateTime<Utc>>,
    /// Documents a signature references by name (detached XAdES with several references,
    /// manifests): (name or URI as the signature gives it, bytes). Nothing is fetched.
    pub documents_nommes: Vec<(String, Vec<u8>)>,
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
                Error::new(ErrorCode::CleInvalide, format!("ancres de confiance : {e}"))
            })?
        } else {
            vec![super::signer::certificat(ancres_pem)?]
        };
        Ok(OptionsVerification {
            ancres,
            intermediaires: vec![],
            crls,
            date_verification: date,
            documents_nommes: vec![],
        })
    }
}

/// Verification options as JSON (the C and Python bindings): PEM bundles and a date.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
    /// Validation time, RFC 3339.
    #[serde(default)]
    pub date_verification: Option<DateTime<Utc>>,
}

impl TryFrom<OptionsVerificationJson> for OptionsVerification {
    type Error = Error;
    fn try_from(j: OptionsVerificationJson) -> Result<OptionsVerification> {
        let certs = |pem: Option<String>, what: &str| -> Result<Vec<Certificate>> {
            match pem.filter(|p| !p.trim().is_empty()) {
                None => Ok(vec![]),
                Some(p) => Certificate::load_pem_chain(p.as_bytes())
                    .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("{what} : {e}"))),
            }
        };
        let mut crls = vec![];
        if let Some(p) = j.crls_pem {
            let mut rest = p.as_str();
            while let Some(start) = rest.find("-----BEGIN X509 CRL-----") {
                let block = rest.get(start..).unwrap_or_default();
                let end = block
                    .find("-----END X509 CRL-----")
                    .map(|e| e + "-----END X509 CRL-----".len())
                    .ok_or_else(|| Error::new(ErrorCode::CleInvalide, "CRL PEM tronquée"))?;
                let (_, der) = der::pem::decode_vec(
                    block.get(..end).unwrap_or_default().as_bytes(),
                )
                .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("CRL PEM : {e}")))?;
                crls.push(der);
                rest = block.get(end..).unwrap_or_default();
            }
        }
        Ok(OptionsVerification {
            ancres: certs(j.ancres_pem, "ancres de confiance")?,
            intermediaires: certs(j.intermediaires_pem, "certificats intermédiaires")?,
            crls,
            date_verification: j.date_verification,
            documents_nommes: vec![],
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

/// Does `issuer` sign `cert`? (RSA only; other keys: unknown → false.)
fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate().to_der() else {
        return false;
    };
    let Ok(key) = super::signer::public_key(issuer) else {
        return false;
    };
    let sig_alg = spki::AlgorithmIdentifierOwned {
        oid: cert.signature_algorithm().oid,
        parameters: cert.signature_algorithm().parameters.clone(),
    };
    let Ok((scheme, alg)) =
        super::cms::parse_signature_algorithm(&sig_alg, AlgorithmeEmpreinte::Sha256)
    else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else {
        return false;
    };
    super::signer::verify_with_key(&key, scheme, alg, &alg.hash(&tbs), sig).is_ok()
}

/// May `cert` issue certificates? basicConstraints cA and, when key usage is present,
/// keyCertSign (RFC 5280, 4.2.1.9 and 4.2.1.3). Without it any end-entity certificate
/// given beside a signature could vouch for another one.
fn is_ca(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    let ca = tbs
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, b)| b.ca);
    let ku = tbs
        .get_extension::<KeyUsage>()
        .ok()
        .flatten()
        .is_none_or(|(_, k)| k.key_cert_sign());
    ca && ku
}

/// The chain from `cert` to an anchor: (subjects, approved). Intermediates must be CAs;
/// anchors are the host's choice and are trusted as given.
pub(crate) fn build_chain(
    cert: &Certificate,
    pool: &[Certificate],
    anchors: &[Certificate],
) -> (Vec<Certificate>, bool) {
    let mut chain = vec![cert.clone()];
    let mut current = cert.clone();
    for _ in 0..8 {
        if anchors.iter().any(|a| a == &current) {
            return (chain, true);
        }
        if let Some(a) = anchors.iter().find(|a| signed_by(&current, a)) {
            chain.push(a.clone());
            return (chain, true);
        }
        let Some(next) = pool
            .iter()
            .find(|p| *p != &current && is_ca(p) && signed_by(&current, p))
        else {
            return (chain, false);
        };
        if chain.contains(next) {
            return (chain, false);
        }
        chain.push(next.clone());
        current = next.clone();
    }
    (chain, false)
}

/// Revocation status of `cert` in the CRLs of its issuer.
pub(crate) fn revocation(
    cert: &Certificate,
    issuer: Option<&Certificate>,
    crls: &[Vec<u8>],
    at: DateTime<Utc>,
) -> Option<bool> {
    let mut seen = None;
    for der in crls {
        let Ok(crl) = CertificateList::from_der(der) else {
            continue;
        };
        if &crl.tbs_cert_list.issuer != cert.tbs_certificate().issuer() {
            continue;
        }
        // A CRL is only believed if its issuer's key signed it.
        let Some(issuer) = issuer else { continue };
        let Ok(tbs) = crl.tbs_cert_list.to_der() else {
            continue;
        };
        let Ok(key) = super::signer::public_key(issuer) else {
            continue;
        };
        let alg = spki::AlgorithmIdentifierOwned {
            oid: crl.signature_algorithm.oid,
            parameters: crl.signature_algorithm.parameters.clone(),
        };
        let Ok((scheme, h)) =
            super::cms::parse_signature_algorithm(&alg, AlgorithmeEmpreinte::Sha256)
        else {
            continue;
        };
        let Some(sig) = crl.signature.as_bytes() else {
            continue;
        };
        if super::signer::verify_with_key(&key, scheme, h, &h.hash(&tbs), sig).is_err() {
            continue;
        }
        let revoked = crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .any(|r| {
                &r.serial_number == cert.tbs_certificate().serial_number()
                    && asn1::time_to_chrono(&r.revocation_date) <= at
            });
        if revoked {
            return Some(true);
        }
        seen = Some(false);
    }
    seen
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

pub(crate) fn juger(c: Constat, opts: &OptionsVerification) -> RapportSignature {
    let mut problems: Vec<(Statut, Error)> = vec![];
    let mut push = |s: Statut, e: Error| problems.push((s, e));
    if let Err(e) = &c.integrity {
        push(Statut::Invalide, e.clone());
    }
    if let Err(e) = &c.crypto {
        let s = if e.code() == ErrorCode::Unsupported {
            Statut::Indetermine
        } else {
            Statut::Invalide
        };
        push(s, e.clone());
    }
    if let Some(p) = &c.pdf
        && p.modifie_apres_signature
    {
        push(
            Statut::Invalide,
            Error::new(
                ErrorCode::PdfModifieApresSignature,
                format!(
                    "PDF modifié après signature : {}",
                    p.modifications.join(", ")
                ),
            ),
        );
    }
    if c.cert_ref == Some(false) {
        push(
            Statut::Invalide,
            Error::new(
                ErrorCode::SignatureMalformee,
                "la référence signée au certificat ne correspond pas",
            ),
        );
    }
    let horodatage = c.timestamp.as_ref().map(|t| {
        let mut pool = t.certs.clone();
        pool.extend(opts.intermediaires.iter().cloned());
        let approved = t
            .tsa
            .as_ref()
            .is_some_and(|tsa| build_chain(tsa, &pool, &opts.ancres).1);
        Horodatage {
            date: t.date,
            valide: t.valid.is_ok(),
            autorite: t
                .tsa
                .as_ref()
                .map(|x| x.tbs_certificate().subject().to_string()),
            autorite_approuvee: approved,
            raison: t.valid.as_ref().err().map(|e| e.message().to_string()),
        }
    });
    if let Some(Err(e)) = c.timestamp.as_ref().map(|t| &t.valid) {
        push(Statut::Invalide, e.clone());
    }
    // The time to judge the certificate at: the timestamp (proven), else the claimed
    // signing time, else the validation time.
    let ts_date = horodatage
        .as_ref()
        .filter(|h| h.valide)
        .and_then(|h| h.date);
    let at = ts_date
        .or(c.signing_time)
        .or(opts.date_verification)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let signataire = c.signer.as_ref().map(info_certificat);
    let mut chaine = vec![];
    let mut approuvee = false;
    let mut valid_at = false;
    let mut revoque = None;
    if let Some(cert) = &c.signer {
        let mut pool = c.certs.clone();
        pool.extend(opts.intermediaires.iter().cloned());
        let (chain, ok) = build_chain(cert, &pool, &opts.ancres);
        approuvee = ok;
        chaine = chain
            .iter()
            .map(|x| x.tbs_certificate().subject().to_string())
            .collect();
        let info = info_certificat(cert);
        valid_at = info.valide_du <= at && at <= info.valide_au;
        if !valid_at {
            push(
                Statut::Invalide,
                Error::new(
                    ErrorCode::CertificatHorsValidite,
                    format!(
                        "certificat valide du {} au {}, signature du {}",
                        info.valide_du, info.valide_au, at
                    ),
                ),
            );
        }
        if !info.signature_numerique {
            push(
                Statut::Invalide,
                Error::new(
                    ErrorCode::UsageCleIncorrect,
                    "l'usage de la clé du certificat exclut la signature",
                ),
            );
        }
        // Every issuing certificate must be valid at that time too (anchors included: an
        // expired root no longer vouches), and not revoked by its own issuer's CRL.
        for (i, ca) in chain.iter().enumerate().skip(1) {
            let vdu = asn1::time_to_chrono(&ca.tbs_certificate().validity().not_before);
            let vau = asn1::time_to_chrono(&ca.tbs_certificate().validity().not_after);
            if !(vdu <= at && at <= vau) {
                valid_at = false;
                push(
                    Statut::Invalide,
                    Error::new(
                        ErrorCode::CertificatHorsValidite,
                        format!(
                            "certificat de l'autorité « {} » valide du {vdu} au {vau}, signature du {at}",
                            ca.tbs_certificate().subject()
                        ),
                    ),
                );
            }
            if let Some(issuer) = chain.get(i + 1)
                && revocation(ca, Some(issuer), &opts.crls, at) == Some(true)
            {
                push(
                    Statut::Invalide,
                    Error::new(
                        ErrorCode::CertificatRevoque,
                        format!(
                            "certificat de l'autorité « {} » révoqué avant la date de signature",
                            ca.tbs_certificate().subject()
                        ),
                    ),
                );
            }
        }
        revoque = revocation(cert, chain.get(1), &opts.crls, at);
        if revoque == Some(true) {
            push(
                Statut::Invalide,
                Error::new(
                    ErrorCode::CertificatRevoque,
                    "certificat révoqué avant la date de signature",
                ),
            );
        }
        if !ok {
            push(
                Statut::Indetermine,
                Error::new(
                    ErrorCode::ChaineNonApprouvee,
                    "la chaîne ne mène à aucune autorité de confiance fournie",
                ),
            );
        }
    }
    let statut = if problems.iter().any(|(s, _)| *s == Statut::Invalide) {
        Statut::Invalide
    } else if problems.is_empty() {
        Statut::Valide
    } else {
        Statut::Indetermine
    };
    let first = problems
        .iter()
        .find(|(s, _)| *s == statut)
        .or(problems.first());
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
            detail: format!(
                "{:?} {}",
                c.format,
                if niveau == Niveau::BT { "B-T" } else { "B-B" }
            ),
        },
        Controle {
            nom: "validité du certificat à la date de signature".into(),
            ok: valid_at && revoque != Some(true),
            detail: at.to_rfc3339(),
        },
        Controle {
            nom: "intégrité du document signé".into(),
            ok: integre,
            detail: String::new(),
        },
    ];
    let adapte = statut == Statut::Valide && controles.iter().all(|x| x.ok);
    RapportSignature {
        format: c.format,
        niveau,
        statut,
        raison: first.map(|(_, e)| e.message().to_string()),
        code: first.map(|(_, e)| e.code()),
        integrite: integre,
        signature_valide: c.crypto.is_ok(),
        algorithme_empreinte: c.digest_alg,
        schema: c.scheme,
        signataire,
        reference_certificat: c.cert_ref,
        chaine,
        chaine_approuvee: approuvee,
        certificat_valide_a_la_signature: valid_at,
        revoque,
        date_signature: c.signing_time,
        horodatage,
        pdf: c.pdf,
        controles_marches_publics: controles,
        adapte_marches_publics: adapte,
    }
}

pub(crate) fn rapport(
    format: FormatSignature,
    signatures: Vec<RapportSignature>,
) -> RapportVerification {
    let statut = if signatures.is_empty() || signatures.iter().any(|s| s.statut == Statut::Invalide)
    {
        Statut::Invalide
    } else if signatures.iter().all(|s| s.statut == Statut::Valide) {
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
