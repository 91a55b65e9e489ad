//! CMS SignedData for CAdES and PAdES: building (split into "bytes to sign" and
//! "assemble") and checking.

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, OctetString, SetOfVec};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, Attributes};
use x509_cert::ext::pkix::name::GeneralName;

use super::asn1::{self, der_err};
use super::signer::{AlgorithmeEmpreinte, SchemaSignature};
use crate::{CodeErreur, Erreur, Result};

/// The signature algorithm identifier written in SignerInfo.
pub(crate) fn signature_algorithm(
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
) -> Result<AlgorithmIdentifierOwned> {
    super::algorithmes::ecrire(scheme, alg)
}

/// Scheme and digest of a SignerInfo's signature algorithm (see [`super::algorithmes`]).
pub(crate) fn parse_signature_algorithm(
    sig: &AlgorithmIdentifierOwned,
    digest: AlgorithmeEmpreinte,
) -> Result<(SchemaSignature, AlgorithmeEmpreinte)> {
    super::algorithmes::lire(sig, digest)
}

/// The ESS signing-certificate-v2 attribute of `cert`.
pub(crate) fn signing_certificate_v2(
    cert: &Certificate,
    alg: AlgorithmeEmpreinte,
) -> Result<Attribute> {
    let der = cert.to_der().map_err(der_err)?;
    let id = asn1::EssCertIdV2 {
        // DER: the DEFAULT (SHA-256) is omitted.
        hash_algorithm: (alg != AlgorithmeEmpreinte::Sha256).then(|| alg.algorithm_identifier()),
        cert_hash: OctetString::new(alg.hash(&der)).map_err(der_err)?,
        issuer_serial: Some(issuer_serial(cert)),
    };
    asn1::attribute(
        asn1::OID_SIGNING_CERT_V2,
        &asn1::SigningCertificateV2 {
            certs: vec![id],
            policies: None,
        },
    )
}

pub(crate) fn issuer_serial(cert: &Certificate) -> asn1::IssuerSerial {
    asn1::IssuerSerial {
        issuer: vec![GeneralName::DirectoryName(
            cert.tbs_certificate().issuer().clone(),
        )],
        serial_number: cert.tbs_certificate().serial_number().clone(),
    }
}

/// The signed attributes of CAdES-B-B (or PAdES when `signing_time` is `None`).
pub(crate) fn signed_attributes(
    content_digest: &[u8],
    cert: &Certificate,
    alg: AlgorithmeEmpreinte,
    signing_time: Option<DateTime<Utc>>,
) -> Result<Attributes> {
    let mut attrs = SetOfVec::new();
    attrs
        .insert(asn1::attribute(asn1::OID_CONTENT_TYPE, &asn1::OID_DATA)?)
        .map_err(der_err)?;
    attrs
        .insert(asn1::attribute(
            asn1::OID_MESSAGE_DIGEST,
            &OctetString::new(content_digest.to_vec()).map_err(der_err)?,
        )?)
        .map_err(der_err)?;
    if let Some(t) = signing_time {
        attrs
            .insert(asn1::attribute(
                asn1::OID_SIGNING_TIME,
                &asn1::signing_time_value(t)?,
            )?)
            .map_err(der_err)?;
    }
    attrs
        .insert(signing_certificate_v2(cert, alg)?)
        .map_err(der_err)?;
    Ok(attrs)
}

/// Assemble the ContentInfo(SignedData) once the signature value is known. Detached: no
/// eContent.
pub(crate) fn assemble(
    cert: &Certificate,
    chain: &[Certificate],
    alg: AlgorithmeEmpreinte,
    scheme: SchemaSignature,
    signed_attrs: Attributes,
    signature: &[u8],
    unsigned_attrs: Option<Attributes>,
) -> Result<Vec<u8>> {
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate().issuer().clone(),
        serial_number: cert.tbs_certificate().serial_number().clone(),
    });
    let si = SignerInfo {
        version: CmsVersion::V1,
        sid,
        digest_alg: alg.algorithm_identifier(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signature_algorithm(scheme, alg)?,
        signature: OctetString::new(signature.to_vec()).map_err(der_err)?,
        unsigned_attrs,
    };
    let mut certs = SetOfVec::new();
    for c in std::iter::once(cert).chain(chain.iter()) {
        // A chain given twice must not break the SET.
        let choice = CertificateChoices::Certificate(c.clone());
        if !certs.iter().any(|x| x == &choice) {
            certs.insert(choice).map_err(der_err)?;
        }
    }
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms
        .insert(alg.algorithm_identifier())
        .map_err(der_err)?;
    let mut infos = SetOfVec::new();
    infos.insert(si).map_err(der_err)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: asn1::OID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    let ci = ContentInfo {
        content_type: asn1::OID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(der_err)?,
    };
    ci.to_der().map_err(der_err)
}

/// Add (or replace) the signature timestamp of the first SignerInfo: B-B becomes B-T.
pub(crate) fn add_signature_timestamp(cms_der: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let (ci, mut sd) = decode_signed_data(cms_der)?;
    let token = token_from_response(token)?;
    let token_any = Any::from_der(&token)
        .map_err(|e| Erreur::new(CodeErreur::HorodatageInvalide, format!("jeton : {e}")))?;
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let si = infos
        .first_mut()
        .ok_or_else(|| Erreur::new(CodeErreur::SignatureMalformee, "aucun signataire"))?;
    // The token must be over this signature value.
    let imprint_ok = check_token_imprint(&token, si.signature.as_bytes())?;
    if !imprint_ok {
        return Err(Erreur::new(
            CodeErreur::HorodatageInvalide,
            "le jeton d'horodatage ne porte pas sur cette signature",
        ));
    }
    let mut attrs: Vec<Attribute> = si
        .unsigned_attrs
        .take()
        .map(|a| a.into_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a.oid != asn1::OID_SIGNATURE_TIMESTAMP)
        .collect();
    let mut values = SetOfVec::new();
    values.insert(token_any).map_err(der_err)?;
    attrs.push(Attribute {
        oid: asn1::OID_SIGNATURE_TIMESTAMP,
        values,
    });
    si.unsigned_attrs = Some(SetOfVec::try_from(attrs).map_err(der_err)?);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(der_err)?);
    let ci = ContentInfo {
        content_type: ci.content_type,
        content: Any::encode_from(&sd).map_err(der_err)?,
    };
    ci.to_der().map_err(der_err)
}

/// A TimeStampResp is accepted too: take its token (status must be granted).
pub(crate) fn token_from_response(data: &[u8]) -> Result<Vec<u8>> {
    let bad = |m: String| Erreur::new(CodeErreur::HorodatageInvalide, m);
    if ContentInfo::from_der(data).is_ok() {
        return Ok(data.to_vec());
    }
    let seq: Vec<Any> = Vec::<Any>::from_der(data)
        .map_err(|e| bad(format!("jeton d'horodatage illisible : {e}")))?;
    let mut it = seq.into_iter();
    let status = it
        .next()
        .ok_or_else(|| bad("réponse d'horodatage vide".into()))?;
    let status: asn1::PkiStatusInfo = status
        .decode_as()
        .map_err(|e| bad(format!("statut : {e}")))?;
    let code = status.status.as_bytes().first().copied().unwrap_or(2);
    if code > 1 {
        return Err(bad(format!(
            "horodatage refusé par l'autorité (statut {code})"
        )));
    }
    let token = it
        .next()
        .ok_or_else(|| bad("réponse d'horodatage sans jeton".into()))?;
    token.to_der().map_err(der_err)
}

fn check_token_imprint(token: &[u8], signature_value: &[u8]) -> Result<bool> {
    let tst = decode_tst_info(token)?;
    let alg = AlgorithmeEmpreinte::from_oid(&tst.message_imprint.hash_algorithm.oid)?;
    Ok(tst.message_imprint.hashed_message.as_bytes() == alg.hash(signature_value).as_slice())
}

pub(crate) fn decode_tst_info(token: &[u8]) -> Result<asn1::TstInfo> {
    let bad = |m: String| Erreur::new(CodeErreur::HorodatageInvalide, m);
    let (_, sd) = decode_signed_data(token).map_err(|e| bad(e.message().to_string()))?;
    if sd.encap_content_info.econtent_type != asn1::OID_TST_INFO {
        return Err(bad("le jeton ne contient pas de TSTInfo".into()));
    }
    let content = sd
        .encap_content_info
        .econtent
        .ok_or_else(|| bad("TSTInfo absent".into()))?;
    let octets: OctetString = content
        .decode_as()
        .map_err(|e| bad(format!("TSTInfo : {e}")))?;
    asn1::TstInfo::from_der(octets.as_bytes()).map_err(|e| bad(format!("TSTInfo : {e}")))
}

pub(crate) fn decode_signed_data(data: &[u8]) -> Result<(ContentInfo, SignedData)> {
    let data = &super::verification_cms::normaliser(data)?;
    let ci = ContentInfo::from_der(data).map_err(|e| {
        Erreur::new(
            CodeErreur::SignatureMalformee,
            format!("CMS illisible : {e}"),
        )
    })?;
    if ci.content_type != asn1::OID_SIGNED_DATA {
        return Err(Erreur::new(
            CodeErreur::SignatureMalformee,
            "le CMS n'est pas un SignedData",
        ));
    }
    let sd: SignedData = ci.content.decode_as().map_err(|e| {
        Erreur::new(
            CodeErreur::SignatureMalformee,
            format!("SignedData illisible : {e}"),
        )
    })?;
    Ok((ci, sd))
}

#[allow(unused_imports)]
pub(crate) use super::verification_cms::{
    CmsCheck, ContentDigest, TimestampCheck, check, check_timestamp,
};

/// Build an RFC 3161 request over `data` (nonce chosen by the host, certReq true).
pub(crate) fn timestamp_request(
    data: &[u8],
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<Vec<u8>> {
    timestamp_request_digest(alg.hash(data), alg, nonce)
}

/// The same request over a digest already computed (a document timestamp hashes the
/// `/ByteRange` of the PDF).
pub(crate) fn timestamp_request_digest(
    digest: Vec<u8>,
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<Vec<u8>> {
    let req = asn1::TimeStampReq {
        version: 1,
        message_imprint: asn1::MessageImprint {
            hash_algorithm: alg.algorithm_identifier(),
            hashed_message: OctetString::new(digest).map_err(der_err)?,
        },
        req_policy: None,
        nonce: nonce
            .map(|n| der::asn1::Int::new(&minimal_unsigned(n)))
            .transpose()
            .map_err(der_err)?,
        cert_req: true,
    };
    req.to_der().map_err(der_err)
}

/// The signature value of the first SignerInfo (what a signature timestamp covers).
pub(crate) fn signature_value(cms_der: &[u8]) -> Result<Vec<u8>> {
    let (_, sd) = decode_signed_data(cms_der)?;
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| Erreur::new(CodeErreur::SignatureMalformee, "aucun signataire"))?;
    Ok(si.signature.as_bytes().to_vec())
}

/// Minimal two's-complement bytes of a positive integer (DER INTEGER content).
fn minimal_unsigned(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let first = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len() - 1);
    let mut v = bytes.get(first..).unwrap_or_default().to_vec();
    if v.first().is_some_and(|b| b & 0x80 != 0) {
        v.insert(0, 0);
    }
    v
}
