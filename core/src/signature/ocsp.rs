//! OCSP (RFC 6960): the request for a certificate and its issuer, and the verification of
//! a response the host fetched (mpe does no network I/O).
//!
//! A response is believed only when it is signed by the issuing CA itself or by a
//! responder the CA delegated (a certificate the CA issued with the id-kp-OCSPSigning
//! extended key usage, RFC 6960 4.2.2.2), names this certificate (CertID), is current at
//! the validation time (thisUpdate ≤ time ≤ nextUpdate) and, when the request carried a
//! nonce, returns it.
//!
//! The ASN.1 types mirror RFC 6960 (module EXPLICIT TAGS). `x509-ocsp` has them but is
//! built on the previous RustCrypto generation (`der 0.7`, `x509-cert 0.2`): taking it
//! would duplicate the whole ASN.1 stack.

use chrono::{DateTime, Utc};
use der::asn1::{Any, BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Choice, Decode, Encode, Enumerated, Sequence};
use serde::{Deserialize, Serialize};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::{CrlReason, ExtendedKeyUsage};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use super::signer::AlgorithmeEmpreinte;
use crate::{CodeErreur, Erreur, Result};

/// id-pkix-ocsp-basic.
const OID_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-pkix-ocsp-nonce.
const OID_OCSP_NONCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");
/// id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1): the responder's certificate needs no
/// revocation check.
const OID_OCSP_NOCHECK: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");
/// id-kp-OCSPSigning.
const OID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");

/// ```text
/// CertID ::= SEQUENCE {
///     hashAlgorithm       AlgorithmIdentifier,
///     issuerNameHash      OCTET STRING, -- Hash of issuer's DN
///     issuerKeyHash       OCTET STRING, -- Hash of issuer's public key
///     serialNumber        CertificateSerialNumber }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct CertId {
    hash_algorithm: AlgorithmIdentifierOwned,
    issuer_name_hash: OctetString,
    issuer_key_hash: OctetString,
    serial_number: SerialNumber,
}

/// ```text
/// Request ::= SEQUENCE {
///     reqCert                     CertID,
///     singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct Request {
    req_cert: CertId,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    single_request_extensions: Option<Extensions>,
}

/// ```text
/// TBSRequest ::= SEQUENCE {
///     version             [0] EXPLICIT Version DEFAULT v1,
///     requestorName       [1] EXPLICIT GeneralName OPTIONAL,
///     requestList             SEQUENCE OF Request,
///     requestExtensions   [2] EXPLICIT Extensions OPTIONAL }
/// ```
/// (No requestor name: mpe does not sign requests.)
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct TbsRequest {
    request_list: Vec<Request>,
    #[asn1(context_specific = "2", optional = "true", tag_mode = "EXPLICIT")]
    request_extensions: Option<Extensions>,
}

/// ```text
/// OCSPRequest ::= SEQUENCE {
///     tbsRequest                  TBSRequest,
///     optionalSignature   [0]     EXPLICIT Signature OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct OcspRequest {
    tbs_request: TbsRequest,
}

/// ```text
/// OCSPResponseStatus ::= ENUMERATED { successful (0), malformedRequest (1),
///     internalError (2), tryLater (3), sigRequired (5), unauthorized (6) }
/// ```
#[derive(Enumerated, Copy, Clone, Debug, Eq, PartialEq)]
#[repr(u32)]
enum OcspResponseStatus {
    Successful = 0,
    MalformedRequest = 1,
    InternalError = 2,
    TryLater = 3,
    SigRequired = 5,
    Unauthorized = 6,
}

/// ```text
/// ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct ResponseBytes {
    response_type: ObjectIdentifier,
    response: OctetString,
}

/// ```text
/// OCSPResponse ::= SEQUENCE {
///    responseStatus         OCSPResponseStatus,
///    responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct OcspResponse {
    response_status: OcspResponseStatus,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    response_bytes: Option<ResponseBytes>,
}

/// ```text
/// BasicOCSPResponse ::= SEQUENCE {
///    tbsResponseData      ResponseData,
///    signatureAlgorithm   AlgorithmIdentifier,
///    signature            BIT STRING,
///    certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
/// ```
/// `tbsResponseData` is kept as received: the signature is over those bytes.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct BasicOcspResponse {
    tbs_response_data: Any,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    certs: Option<Vec<Certificate>>,
}

/// ```text
/// ResponseData ::= SEQUENCE {
///    version              [0] EXPLICIT Version DEFAULT v1,
///    responderID              ResponderID,
///    producedAt               GeneralizedTime,
///    responses                SEQUENCE OF SingleResponse,
///    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct ResponseData {
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    version: Option<u8>,
    responder_id: ResponderId,
    produced_at: GeneralizedTime,
    responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    response_extensions: Option<Extensions>,
}

/// ```text
/// ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
/// KeyHash ::= OCTET STRING -- SHA-1 hash of responder's public key
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
enum ResponderId {
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ParNom(Name),
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ParCle(OctetString),
}

/// ```text
/// SingleResponse ::= SEQUENCE {
///    certID                       CertID,
///    certStatus                   CertStatus,
///    thisUpdate                   GeneralizedTime,
///    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
///    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SingleResponse {
    cert_id: CertId,
    cert_status: CertStatus,
    this_update: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    single_extensions: Option<Extensions>,
}

/// ```text
/// CertStatus ::= CHOICE {
///     good        [0]     IMPLICIT NULL,
///     revoked     [1]     IMPLICIT RevokedInfo,
///     unknown     [2]     IMPLICIT UnknownInfo }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
enum CertStatus {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

/// ```text
/// RevokedInfo ::= SEQUENCE {
///     revocationTime              GeneralizedTime,
///     revocationReason    [0]     EXPLICIT CRLReason OPTIONAL }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct RevokedInfo {
    revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    revocation_reason: Option<CrlReason>,
}

/// The reason of a revocation (RFC 5280 CRLReason), as a CRL entry or an OCSP response
/// gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RaisonRevocation {
    /// unspecified (0).
    NonPrecisee,
    /// keyCompromise (1): the private key was compromised.
    CompromissionCle,
    /// cACompromise (2).
    CompromissionAutorite,
    /// affiliationChanged (3).
    AffiliationModifiee,
    /// superseded (4).
    Remplace,
    /// cessationOfOperation (5).
    CessationActivite,
    /// certificateHold (6): suspended.
    Suspendu,
    /// removeFromCRL (8).
    RetireDeLaCrl,
    /// privilegeWithdrawn (9).
    PrivilegeRetire,
    /// aACompromise (10).
    CompromissionAttributs,
}

impl From<CrlReason> for RaisonRevocation {
    fn from(r: CrlReason) -> Self {
        use RaisonRevocation as R;
        match r {
            CrlReason::Unspecified => R::NonPrecisee,
            CrlReason::KeyCompromise => R::CompromissionCle,
            CrlReason::CaCompromise => R::CompromissionAutorite,
            CrlReason::AffiliationChanged => R::AffiliationModifiee,
            CrlReason::Superseded => R::Remplace,
            CrlReason::CessationOfOperation => R::CessationActivite,
            CrlReason::CertificateHold => R::Suspendu,
            CrlReason::RemoveFromCRL => R::RetireDeLaCrl,
            CrlReason::PrivilegeWithdrawn => R::PrivilegeRetire,
            CrlReason::AaCompromise => R::CompromissionAttributs,
        }
    }
}

/// The status an OCSP responder gives for a certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "statut", rename_all = "snake_case")]
pub enum EtatOcsp {
    /// good: not revoked at thisUpdate.
    Bon,
    /// revoked, since `date`.
    Revoque {
        /// revocationTime.
        date: DateTime<Utc>,
        /// revocationReason, when given.
        raison: Option<RaisonRevocation>,
    },
    /// unknown: the responder does not know the certificate.
    Inconnu,
}

/// A response verified for one certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReponseOcsp {
    /// The certificate's status.
    pub etat: EtatOcsp,
    /// thisUpdate: the status is known to be correct at this time.
    pub mise_a_jour: DateTime<Utc>,
    /// nextUpdate, when given.
    pub prochaine_mise_a_jour: Option<DateTime<Utc>>,
    /// producedAt.
    pub produite_le: DateTime<Utc>,
    /// Subject of the certificate that signed the response.
    pub repondant: String,
    /// Signed by a delegated responder (not by the CA itself).
    pub repondant_delegue: bool,
}

fn gt(t: &GeneralizedTime) -> DateTime<Utc> {
    let d = t.to_unix_duration();
    DateTime::<Utc>::from_timestamp(i64::try_from(d.as_secs()).unwrap_or(i64::MAX), 0)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn der_err(quoi: &str) -> impl Fn(der::Error) -> Erreur + '_ {
    move |e| Erreur::new(CodeErreur::OcspMalformee, format!("{quoi} : {e}"))
}

/// The subjectPublicKey bits of a certificate: what issuerKeyHash and ResponderID byKey
/// hash (without tag, length and unused-bits byte).
fn cle_publique(cert: &Certificate) -> &[u8] {
    cert.tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes()
}

fn cert_id(cert: &Certificate, emetteur: &Certificate, alg: AlgorithmeEmpreinte) -> Result<CertId> {
    let nom = emetteur
        .tbs_certificate()
        .subject()
        .to_der()
        .map_err(der_err("nom de l'émetteur"))?;
    let oct = |v: Vec<u8>| OctetString::new(v).map_err(der_err("CertID"));
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: alg.oid(),
            // As openssl writes it: the parameters of SHA-1 are NULL.
            parameters: Some(Any::from(Null)),
        },
        issuer_name_hash: oct(alg.hash(&nom))?,
        issuer_key_hash: oct(alg.hash(cle_publique(emetteur)))?,
        serial_number: cert.tbs_certificate().serial_number().clone(),
    })
}

/// Does `id` (with whatever digest the responder chose) name `cert` issued by `emetteur`?
fn designe(id: &CertId, cert: &Certificate, emetteur: &Certificate) -> bool {
    let Ok(alg) = AlgorithmeEmpreinte::from_oid(&id.hash_algorithm.oid) else {
        return false;
    };
    let Ok(attendu) = cert_id(cert, emetteur, alg) else {
        return false;
    };
    id.serial_number == attendu.serial_number
        && id.issuer_name_hash == attendu.issuer_name_hash
        && id.issuer_key_hash == attendu.issuer_key_hash
}

/// The DER OCSPRequest for `certificat` issued by `emetteur` (SHA-1 CertID, as RFC 5019
/// asks and every responder answers), with a nonce extension when `nonce` is given. The
/// host sends it (HTTP POST, `application/ocsp-request`) to the responder of the
/// certificate's AIA; the nonce must be given again to [`verifier_reponse`].
pub fn requete(
    certificat: &Certificate,
    emetteur: &Certificate,
    nonce: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let request_extensions = match nonce {
        None => None,
        Some(n) => {
            if n.is_empty() || n.len() > 32 {
                return Err(Erreur::invalid_argument(
                    "nonce OCSP : de 1 à 32 octets (RFC 8954)",
                ));
            }
            let valeur = OctetString::new(n)
                .and_then(|o| o.to_der())
                .map_err(der_err("nonce"))?;
            Some(vec![x509_cert::ext::Extension {
                extn_id: OID_OCSP_NONCE,
                critical: false,
                extn_value: OctetString::new(valeur).map_err(der_err("nonce"))?,
            }])
        }
    };
    OcspRequest {
        tbs_request: TbsRequest {
            request_list: vec![Request {
                req_cert: cert_id(certificat, emetteur, AlgorithmeEmpreinte::Sha1)?,
                single_request_extensions: None,
            }],
            request_extensions,
        },
    }
    .to_der()
    .map_err(der_err("requête OCSP"))
}

/// Is `c` the responder the ResponderID names?
fn est_repondant(id: &ResponderId, c: &Certificate) -> bool {
    match id {
        ResponderId::ParNom(n) => c.tbs_certificate().subject() == n,
        ResponderId::ParCle(h) => {
            AlgorithmeEmpreinte::Sha1.hash(cle_publique(c)).as_slice() == h.as_bytes()
        }
    }
}

/// Verify an OCSP response (DER `OCSPResponse`) about `certificat` issued by `emetteur`,
/// at the validation time `date`; `nonce` is the one of the request, if any.
///
/// Errors: [`CodeErreur::OcspMalformee`] (unreadable), [`CodeErreur::OcspRefusee`] (the
/// responder answered with an error status), [`CodeErreur::OcspRepondantNonAutorise`]
/// (signed by neither the CA nor a responder it delegated), [`CodeErreur::OcspSignatureInvalide`],
/// [`CodeErreur::RevocationPerimee`] (not current at `date`), [`CodeErreur::OcspNonceIncorrect`],
/// [`CodeErreur::OcspAutreCertificat`] (no answer about this certificate).
pub fn verifier_reponse(
    reponse: &[u8],
    certificat: &Certificate,
    emetteur: &Certificate,
    date: DateTime<Utc>,
    nonce: Option<&[u8]>,
) -> Result<ReponseOcsp> {
    let r = lire_reponse(reponse, certificat, emetteur, nonce)?;
    fraicheur(r.mise_a_jour, r.prochaine_mise_a_jour, date, "réponse OCSP")?;
    Ok(r)
}

/// The certificates an OCSP response carries (its delegated responder's), DER; none when
/// it does not parse.
pub(crate) fn certificats_reponse(reponse: &[u8]) -> Vec<Vec<u8>> {
    let Ok(r) = OcspResponse::from_der(reponse) else {
        return vec![];
    };
    let Some(rb) = r.response_bytes else {
        return vec![];
    };
    let Ok(basic) = BasicOcspResponse::from_der(rb.response.as_bytes()) else {
        return vec![];
    };
    basic
        .certs
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c.to_der().ok())
        .collect()
}

/// [`verifier_reponse`] without the freshness check (the caller judges it: an old
/// revocation stays a revocation).
pub(crate) fn lire_reponse(
    reponse: &[u8],
    certificat: &Certificate,
    emetteur: &Certificate,
    nonce: Option<&[u8]>,
) -> Result<ReponseOcsp> {
    lire_reponse_repondant(reponse, certificat, emetteur, nonce).map(|(r, _)| r)
}

/// Does the responder's certificate carry id-pkix-ocsp-nocheck?
pub(crate) fn sans_controle(repondant: &Certificate) -> bool {
    repondant
        .tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .any(|e| e.extn_id == OID_OCSP_NOCHECK)
}

/// [`lire_reponse`], and the certificate that signed the response.
pub(crate) fn lire_reponse_repondant(
    reponse: &[u8],
    certificat: &Certificate,
    emetteur: &Certificate,
    nonce: Option<&[u8]>,
) -> Result<(ReponseOcsp, Certificate)> {
    let r = OcspResponse::from_der(reponse).map_err(der_err("réponse OCSP"))?;
    if r.response_status != OcspResponseStatus::Successful {
        return Err(Erreur::new(
            CodeErreur::OcspRefusee,
            format!("le répondeur OCSP a répondu {:?}", r.response_status),
        ));
    }
    let rb = r
        .response_bytes
        .ok_or_else(|| Erreur::new(CodeErreur::OcspMalformee, "réponse OCSP sans responseBytes"))?;
    if rb.response_type != OID_OCSP_BASIC {
        return Err(Erreur::new(
            CodeErreur::OcspMalformee,
            format!("type de réponse OCSP inconnu : {}", rb.response_type),
        ));
    }
    let basic = BasicOcspResponse::from_der(rb.response.as_bytes())
        .map_err(der_err("BasicOCSPResponse"))?;
    let tbs = basic
        .tbs_response_data
        .to_der()
        .map_err(der_err("ResponseData"))?;
    let data = ResponseData::from_der(&tbs).map_err(der_err("ResponseData"))?;
    let produite_le = gt(&data.produced_at);

    // The signer: the CA itself, or a certificate of the response the CA issued for OCSP.
    let certs = basic.certs.unwrap_or_default();
    let repondant = if est_repondant(&data.responder_id, emetteur) {
        emetteur.clone()
    } else {
        let c = certs
            .iter()
            .find(|c| est_repondant(&data.responder_id, c))
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::OcspRepondantNonAutorise,
                    "le certificat du répondeur OCSP n'est ni l'autorité émettrice ni dans la réponse",
                )
            })?;
        autoriser_delegue(c, emetteur, produite_le)?;
        c.clone()
    };
    let delegue = &repondant != emetteur;
    let sig = basic.signature.as_bytes().ok_or_else(|| {
        Erreur::new(
            CodeErreur::OcspMalformee,
            "signature OCSP non alignée sur l'octet",
        )
    })?;
    super::signer::verifier_signature_x509(&repondant, &basic.signature_algorithm, &tbs, sig)
        .map_err(|e| {
            Erreur::new(
                CodeErreur::OcspSignatureInvalide,
                format!("signature de la réponse OCSP : {}", e.message()),
            )
        })?;

    if let Some(n) = nonce {
        let recu = data
            .response_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == OID_OCSP_NONCE)
            .map(|e| e.extn_value.as_bytes().to_vec());
        let attendu = OctetString::new(n)
            .and_then(|o| o.to_der())
            .map_err(der_err("nonce"))?;
        // Some responders put the nonce bare (before RFC 8954 made the wrapping explicit).
        if recu.as_deref() != Some(attendu.as_slice()) && recu.as_deref() != Some(n) {
            return Err(Erreur::new(
                CodeErreur::OcspNonceIncorrect,
                "la réponse OCSP ne renvoie pas le nonce de la requête (réponse rejouée ?)",
            ));
        }
    }

    let single = data
        .responses
        .iter()
        .find(|s| designe(&s.cert_id, certificat, emetteur))
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::OcspAutreCertificat,
                format!(
                    "la réponse OCSP ne porte pas sur le certificat n° {}",
                    hex::encode(certificat.tbs_certificate().serial_number().as_bytes())
                ),
            )
        })?;
    let mise_a_jour = gt(&single.this_update);
    let prochaine = single.next_update.as_ref().map(gt);
    let etat = match &single.cert_status {
        CertStatus::Good(_) => EtatOcsp::Bon,
        CertStatus::Unknown(_) => EtatOcsp::Inconnu,
        CertStatus::Revoked(ri) => EtatOcsp::Revoque {
            date: gt(&ri.revocation_time),
            raison: ri.revocation_reason.map(RaisonRevocation::from),
        },
    };
    let r = ReponseOcsp {
        etat,
        mise_a_jour,
        prochaine_mise_a_jour: prochaine,
        produite_le,
        repondant: repondant.tbs_certificate().subject().to_string(),
        repondant_delegue: delegue,
    };
    Ok((r, repondant))
}

/// Clocks of responders and hosts differ: a response a few minutes "from the future" is a
/// fresh one, not a forged one (RFC 5019, 4).
const TOLERANCE_HORLOGE: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Revocation data is used only within thisUpdate ≤ date ≤ nextUpdate (thisUpdate with
/// a few minutes of clock skew).
pub(crate) fn fraicheur(
    mise_a_jour: DateTime<Utc>,
    prochaine: Option<DateTime<Utc>>,
    date: DateTime<Utc>,
    quoi: &str,
) -> Result<()> {
    if mise_a_jour > date + TOLERANCE_HORLOGE {
        return Err(Erreur::new(
            CodeErreur::RevocationPerimee,
            format!("{quoi} émise le {mise_a_jour}, après la date de vérification {date}"),
        ));
    }
    if let Some(p) = prochaine
        && p < date
    {
        return Err(Erreur::new(
            CodeErreur::RevocationPerimee,
            format!("{quoi} périmée : prochaine mise à jour le {p}, date de vérification {date}"),
        ));
    }
    Ok(())
}

/// RFC 6960 4.2.2.2: a delegated responder's certificate is issued directly by the CA
/// (its key signed it), carries id-kp-OCSPSigning, and was valid when the response was
/// produced.
fn autoriser_delegue(c: &Certificate, ca: &Certificate, quand: DateTime<Utc>) -> Result<()> {
    let refus = |pourquoi: &str| {
        Erreur::new(
            CodeErreur::OcspRepondantNonAutorise,
            format!(
                "répondeur OCSP « {} » non autorisé : {pourquoi}",
                c.tbs_certificate().subject()
            ),
        )
    };
    let tbs = c
        .tbs_certificate()
        .to_der()
        .map_err(der_err("certificat"))?;
    let signe = c.tbs_certificate().issuer() == ca.tbs_certificate().subject()
        && c.signature().as_bytes().is_some_and(|s| {
            super::signer::verifier_signature_x509(ca, c.signature_algorithm(), &tbs, s).is_ok()
        });
    if !signe {
        return Err(refus(&format!(
            "son certificat n'est pas émis par l'autorité « {} »",
            ca.tbs_certificate().subject()
        )));
    }
    let ocsp = c
        .tbs_certificate()
        .get_extension::<ExtendedKeyUsage>()
        .ok()
        .flatten()
        .is_some_and(|(_, eku)| eku.0.contains(&OID_KP_OCSP_SIGNING));
    if !ocsp {
        return Err(refus(
            "son certificat n'a pas l'usage étendu id-kp-OCSPSigning",
        ));
    }
    let v = c.tbs_certificate().validity();
    let (du, au) = (
        super::asn1::time_to_chrono(&v.not_before),
        super::asn1::time_to_chrono(&v.not_after),
    );
    if quand < du || quand > au {
        return Err(refus(&format!(
            "son certificat est valide du {du} au {au}, réponse produite le {quand}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statut_en_erreur() {
        // OCSPResponse { responseStatus tryLater } as openssl writes it.
        let der = [0x30, 0x03, 0x0a, 0x01, 0x03];
        let ca =
            crate::signature::certificat(include_bytes!("../../../tests/vectors/signature/ca.pem"))
                .expect("ca");
        let e = verifier_reponse(&der, &ca, &ca, Utc::now(), None).expect_err("refus");
        assert_eq!(e.code(), CodeErreur::OcspRefusee);
        let e = verifier_reponse(b"pas du DER", &ca, &ca, Utc::now(), None).expect_err("refus");
        assert_eq!(e.code(), CodeErreur::OcspMalformee);
    }
}
