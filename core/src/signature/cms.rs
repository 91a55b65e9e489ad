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
use crate::{Error, ErrorCode, Result};

/// The signature algorithm identifier written in SignerInfo.
pub(crate) fn signature_algorithm(
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
) -> Result<AlgorithmIdentifierOwned> {
    Ok(match scheme {
        SchemaSignature::RsaPkcs1v15 => AlgorithmIdentifierOwned {
            oid: match alg {
                AlgorithmeEmpreinte::Sha256 => asn1::OID_RSA_SHA256,
                AlgorithmeEmpreinte::Sha384 => asn1::OID_RSA_SHA384,
                AlgorithmeEmpreinte::Sha512 => asn1::OID_RSA_SHA512,
            },
            parameters: Some(Any::null()),
        },
        SchemaSignature::RsaPss => {
            let mgf = AlgorithmIdentifierOwned {
                oid: asn1::OID_MGF1,
                parameters: Some(Any::encode_from(&alg.algorithm_identifier()).map_err(der_err)?),
            };
            let params = asn1::RsaPssParams {
                hash_algorithm: Some(alg.algorithm_identifier()),
                mask_gen_algorithm: Some(mgf),
                salt_length: Some(u32::try_from(alg.taille()).unwrap_or(32)),
            };
            AlgorithmIdentifierOwned {
                oid: asn1::OID_RSA_PSS,
                parameters: Some(Any::encode_from(&params).map_err(der_err)?),
            }
        }
        // RFC 5758, 3.2: the parameters field is absent for ecdsa-with-SHA*.
        SchemaSignature::Ecdsa => AlgorithmIdentifierOwned {
            oid: match alg {
                AlgorithmeEmpreinte::Sha256 => asn1::OID_ECDSA_SHA256,
                AlgorithmeEmpreinte::Sha384 => asn1::OID_ECDSA_SHA384,
                AlgorithmeEmpreinte::Sha512 => asn1::OID_ECDSA_SHA512,
            },
            parameters: None,
        },
    })
}

/// Scheme and digest of a SignerInfo's signature algorithm.
pub(crate) fn parse_signature_algorithm(
    sig: &AlgorithmIdentifierOwned,
    digest: AlgorithmeEmpreinte,
) -> Result<(SchemaSignature, AlgorithmeEmpreinte)> {
    let pkcs1 = SchemaSignature::RsaPkcs1v15;
    match sig.oid {
        asn1::OID_RSA_ENCRYPTION => Ok((pkcs1, digest)),
        asn1::OID_RSA_SHA256 => Ok((pkcs1, AlgorithmeEmpreinte::Sha256)),
        asn1::OID_RSA_SHA384 => Ok((pkcs1, AlgorithmeEmpreinte::Sha384)),
        asn1::OID_RSA_SHA512 => Ok((pkcs1, AlgorithmeEmpreinte::Sha512)),
        // Some signers name the key type instead of the signature algorithm.
        asn1::OID_EC_PUBLIC_KEY => Ok((SchemaSignature::Ecdsa, digest)),
        asn1::OID_ECDSA_SHA256 => Ok((SchemaSignature::Ecdsa, AlgorithmeEmpreinte::Sha256)),
        asn1::OID_ECDSA_SHA384 => Ok((SchemaSignature::Ecdsa, AlgorithmeEmpreinte::Sha384)),
        asn1::OID_ECDSA_SHA512 => Ok((SchemaSignature::Ecdsa, AlgorithmeEmpreinte::Sha512)),
        asn1::OID_RSA_PSS => {
            let params: asn1::RsaPssParams = sig
                .parameters
                .as_ref()
                .ok_or_else(|| {
                    Error::new(ErrorCode::SignatureMalformee, "paramètres RSA-PSS absents")
                })?
                .decode_as()
                .map_err(der_err)?;
            let h = params
                .hash_algorithm
                .map(|a| AlgorithmeEmpreinte::from_oid(&a.oid))
                .transpose()?
                .ok_or_else(|| Error::new(ErrorCode::Unsupported, "RSA-PSS avec SHA-1 refusé"))?;
            Ok((SchemaSignature::RsaPss, h))
        }
        other => Err(Error::new(
            ErrorCode::Unsupported,
            format!("algorithme de signature non pris en charge : {other}"),
        )),
    }
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
        .map_err(|e| Error::new(ErrorCode::HorodatageInvalide, format!("jeton : {e}")))?;
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let si = infos
        .first_mut()
        .ok_or_else(|| Error::new(ErrorCode::SignatureMalformee, "aucun signataire"))?;
    // The token must be over this signature value.
    let imprint_ok = check_token_imprint(&token, si.signature.as_bytes())?;
    if !imprint_ok {
        return Err(Error::new(
            ErrorCode::HorodatageInvalide,
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
    let bad = |m: String| Error::new(ErrorCode::HorodatageInvalide, m);
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
    let bad = |m: String| Error::new(ErrorCode::HorodatageInvalide, m);
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
    let ci = ContentInfo::from_der(data).map_err(|e| {
        Error::new(
            ErrorCode::SignatureMalformee,
            format!("CMS illisible : {e}"),
        )
    })?;
    if ci.content_type != asn1::OID_SIGNED_DATA {
        return Err(Error::new(
            ErrorCode::SignatureMalformee,
            "le CMS n'est pas un SignedData",
        ));
    }
    let sd: SignedData = ci.content.decode_as().map_err(|e| {
        Error::new(
            ErrorCode::SignatureMalformee,
            format!("SignedData illisible : {e}"),
        )
    })?;
    Ok((ci, sd))
}

/// Gives the digest of the signed content for an algorithm (the eContent when attached).
pub(crate) type ContentDigest<'a> =
    dyn FnMut(AlgorithmeEmpreinte, Option<&[u8]>) -> Result<Vec<u8>> + 'a;

/// What checking one CMS SignedData found.
#[derive(Debug, Clone)]
pub(crate) struct CmsCheck {
    pub signer: Option<Certificate>,
    pub certs: Vec<Certificate>,
    pub digest_alg: AlgorithmeEmpreinte,
    pub scheme: SchemaSignature,
    pub integrity: Result<()>,
    pub crypto: Result<()>,
    pub signing_time: Option<DateTime<Utc>>,
    pub signing_cert_v2: Option<bool>,
    pub timestamp: Option<TimestampCheck>,
}

/// What checking a signature timestamp found.
#[derive(Debug, Clone)]
pub(crate) struct TimestampCheck {
    pub date: Option<DateTime<Utc>>,
    pub valid: Result<()>,
    pub tsa: Option<Certificate>,
    pub certs: Vec<Certificate>,
}

/// Check a SignedData. `content_digest` gets the digest algorithm and returns the digest of
/// the signed content (detached data, PDF byte ranges, or the eContent when attached).
pub(crate) fn check(data: &[u8], content_digest: &mut ContentDigest<'_>) -> Result<CmsCheck> {
    let (_, sd) = decode_signed_data(data)?;
    let certs: Vec<Certificate> = sd
        .certificates
        .as_ref()
        .map(|cs| {
            cs.0.iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut infos = sd.signer_infos.0.iter();
    let si = infos.next().ok_or_else(|| {
        Error::new(
            ErrorCode::SignatureMalformee,
            "aucun signataire dans le CMS",
        )
    })?;
    if infos.next().is_some() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "CMS à plusieurs signataires non pris en charge",
        ));
    }
    let digest_alg = AlgorithmeEmpreinte::from_oid(&si.digest_alg.oid)?;
    let (scheme, sig_digest) = parse_signature_algorithm(&si.signature_algorithm, digest_alg)?;
    let signer = certs.iter().find(|c| matches_sid(c, &si.sid)).cloned();
    let econtent = match &sd.encap_content_info.econtent {
        Some(any) => Some(
            any.decode_as::<OctetString>()
                .map_err(der_err)?
                .as_bytes()
                .to_vec(),
        ),
        None => None,
    };
    let digest = content_digest(digest_alg, econtent.as_deref())?;

    let attrs = si.signed_attrs.as_ref();
    let find = |oid| {
        attrs
            .and_then(|a| a.iter().find(|x| x.oid == oid))
            .and_then(|a| a.values.get(0))
    };
    let integrity = match (attrs, find(asn1::OID_MESSAGE_DIGEST)) {
        (None, _) => Err(Error::new(
            ErrorCode::Unsupported,
            "CMS sans attributs signés",
        )),
        (Some(_), None) => Err(Error::new(
            ErrorCode::SignatureMalformee,
            "attribut message-digest absent",
        )),
        (Some(_), Some(v)) => match v.decode_as::<OctetString>() {
            Ok(o) if o.as_bytes() == digest.as_slice() => Ok(()),
            Ok(_) => Err(Error::new(
                ErrorCode::SignatureIntegrite,
                "l'empreinte des données signées ne correspond pas",
            )),
            Err(e) => Err(der_err(e)),
        },
    };
    let signing_time = find(asn1::OID_SIGNING_TIME).and_then(asn1::decode_time_any);
    let signing_cert_v2 = match (find(asn1::OID_SIGNING_CERT_V2), &signer) {
        (Some(v), Some(cert)) => Some(check_signing_cert_v2(v, cert)),
        (Some(_), None) => Some(false),
        (None, _) => None,
    };
    let crypto = match (&signer, attrs) {
        (None, _) => Err(Error::new(
            ErrorCode::SignatureMalformee,
            "certificat du signataire absent du CMS",
        )),
        (Some(_), None) => Err(Error::new(
            ErrorCode::Unsupported,
            "CMS sans attributs signés",
        )),
        (Some(cert), Some(a)) => {
            let der = a.to_der().map_err(der_err)?;
            super::signer::verify_digest(
                cert,
                scheme,
                sig_digest,
                &sig_digest.hash(&der),
                si.signature.as_bytes(),
            )
        }
    };
    let timestamp = si
        .unsigned_attrs
        .as_ref()
        .and_then(|u| u.iter().find(|a| a.oid == asn1::OID_SIGNATURE_TIMESTAMP))
        .and_then(|a| a.values.get(0))
        .map(|tok| check_timestamp_any(tok, si.signature.as_bytes()));
    Ok(CmsCheck {
        signer,
        certs,
        digest_alg,
        scheme,
        integrity,
        crypto,
        signing_time,
        signing_cert_v2,
        timestamp,
    })
}

fn check_signing_cert_v2(v: &Any, cert: &Certificate) -> bool {
    let Ok(sc) = v.decode_as::<asn1::SigningCertificateV2>() else {
        return false;
    };
    let Some(first) = sc.certs.first() else {
        return false;
    };
    let alg = match &first.hash_algorithm {
        None => AlgorithmeEmpreinte::Sha256,
        Some(a) => match AlgorithmeEmpreinte::from_oid(&a.oid) {
            Ok(a) => a,
            Err(_) => return false,
        },
    };
    cert.to_der()
        .map(|d| alg.hash(&d) == first.cert_hash.as_bytes())
        .unwrap_or(false)
}

fn check_timestamp_any(tok: &Any, signature_value: &[u8]) -> TimestampCheck {
    match tok.to_der() {
        Ok(der) => check_timestamp(&der, signature_value),
        Err(e) => TimestampCheck {
            date: None,
            valid: Err(der_err(e)),
            tsa: None,
            certs: vec![],
        },
    }
}

/// Check an RFC 3161 token over `imprinted` (the signature value for CAdES/PAdES, the
/// canonical SignatureValue element for XAdES).
pub(crate) fn check_timestamp(token: &[u8], imprinted: &[u8]) -> TimestampCheck {
    let bad = |m: &str| Error::new(ErrorCode::HorodatageInvalide, m.to_string());
    let tst = match decode_tst_info(token) {
        Ok(t) => t,
        Err(e) => {
            return TimestampCheck {
                date: None,
                valid: Err(e),
                tsa: None,
                certs: vec![],
            };
        }
    };
    let date = asn1::parse_generalized_time(tst.gen_time.value()).ok();
    let inner = check(token, &mut |alg, econtent| {
        Ok(alg.hash(econtent.unwrap_or_default()))
    });
    let (tsa, certs, mut valid) = match inner {
        Ok(c) => {
            let v = c
                .integrity
                .and(c.crypto)
                .map_err(|e| bad(&format!("signature du jeton : {}", e.message())));
            (c.signer, c.certs, v)
        }
        Err(e) => (None, vec![], Err(bad(e.message()))),
    };
    if valid.is_ok() {
        valid = match AlgorithmeEmpreinte::from_oid(&tst.message_imprint.hash_algorithm.oid) {
            Ok(alg)
                if tst.message_imprint.hashed_message.as_bytes()
                    == alg.hash(imprinted).as_slice() =>
            {
                Ok(())
            }
            Ok(_) => Err(bad(
                "le jeton d'horodatage ne porte pas sur cette signature",
            )),
            Err(e) => Err(e),
        };
    }
    if date.is_none() && valid.is_ok() {
        valid = Err(bad("date d'horodatage illisible"));
    }
    TimestampCheck {
        date,
        valid,
        tsa,
        certs,
    }
}

fn matches_sid(cert: &Certificate, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            cert.tbs_certificate().issuer() == &isn.issuer
                && cert.tbs_certificate().serial_number() == &isn.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, s)| &s == ski),
    }
}

/// Build an RFC 3161 request over `data` (nonce chosen by the host, certReq true).
pub(crate) fn timestamp_request(
    data: &[u8],
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<Vec<u8>> {
    let req = asn1::TimeStampReq {
        version: 1,
        message_imprint: asn1::MessageImprint {
            hash_algorithm: alg.algorithm_identifier(),
            hashed_message: OctetString::new(alg.hash(data)).map_err(der_err)?,
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
        .ok_or_else(|| Error::new(ErrorCode::SignatureMalformee, "aucun signataire"))?;
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
