//! Checking CMS SignedData as the world writes it (RFC 5652, CAdES EN 319 122-1): BER with
//! indefinite lengths, several SignerInfos, counter-signatures, no signed attributes,
//! signers named by issuer and serial or by key identifier, certificates in any order,
//! OCSP responses in the `crls` field, timestamps, ESS signing-certificate v1 and v2.
//!
//! The input is first normalised to definite lengths (order kept). The signed attributes
//! are hashed as the DER SET the signer wrote (RFC 5652, 5.4; what OpenSSL does): their
//! own bytes with the [0] tag made a SET. Only if that fails is the sorted DER re-encoding
//! tried (a strict DER signer sorts the SET).

use chrono::{DateTime, Utc};
use cms::signed_data::{SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use super::asn1::{self, der_err};
use super::signer::{AlgorithmeEmpreinte, SchemaSignature};
use crate::{CodeErreur, Erreur, Result};

/// Counter-signatures of counter-signatures: enough for any real file, bounded for hostile
/// ones.
const PROFONDEUR_CONTRE_SIGNATURES: usize = 4;

/// Gives the digest of the signed content for an algorithm (the eContent when attached).
pub(crate) type ContentDigest<'a> =
    dyn FnMut(AlgorithmeEmpreinte, Option<&[u8]>) -> Result<Vec<u8>> + 'a;

/// What checking one SignerInfo found.
#[derive(Debug, Clone)]
pub(crate) struct CmsCheck {
    pub signer: Option<Certificate>,
    pub certs: Vec<Certificate>,
    pub digest_alg: AlgorithmeEmpreinte,
    pub scheme: SchemaSignature,
    pub integrity: Result<()>,
    pub crypto: Result<()>,
    pub signing_time: Option<DateTime<Utc>>,
    /// The ESS signing-certificate (v1 or v2) reference: `Some(false)` names another
    /// certificate, `None` absent or not checkable.
    pub signing_cert_v2: Option<bool>,
    pub timestamp: Option<TimestampCheck>,
    /// Counter-signatures (unsigned attribute countersignature), each checked.
    pub contre_signatures: Vec<CmsCheck>,
    /// CRLs carried in the SignedData (OCSP responses there are tolerated, not used).
    pub crls: Vec<Vec<u8>>,
    /// The certificates as encoded in the file, for [`super::rapport::Complements`].
    pub certs_der: Vec<Vec<u8>>,
}

/// What checking a signature timestamp found.
#[derive(Debug, Clone)]
pub(crate) struct TimestampCheck {
    pub date: Option<DateTime<Utc>>,
    pub valid: Result<()>,
    pub tsa: Option<Certificate>,
    pub certs: Vec<Certificate>,
}

fn malforme(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::SignatureMalformee, m)
}

/// BER (indefinite lengths, chunked OCTET STRINGs) to definite lengths, order kept; bytes
/// after the first element (the zero padding of a PDF /Contents) are dropped.
pub(crate) fn normaliser(data: &[u8]) -> Result<Vec<u8>> {
    super::ber::en_der(data)
}

/// One DER element: its tag, its whole encoding and its content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Brut<'a> {
    pub tag: u8,
    pub tlv: &'a [u8],
    pub contenu: &'a [u8],
}

/// The first element of `data` (definite lengths only: the input is normalised).
pub(crate) fn tlv(data: &[u8]) -> Option<(Brut<'_>, &[u8])> {
    let tag = *data.first()?;
    let first = *data.get(1)?;
    let (len, hl) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for b in data.get(2..2 + n)? {
            len = (len << 8) | usize::from(*b);
        }
        (len, 2 + n)
    };
    let end = hl.checked_add(len)?;
    let tlv = data.get(..end)?;
    Some((
        Brut {
            tag,
            tlv,
            contenu: tlv.get(hl..)?,
        },
        data.get(end..)?,
    ))
}

pub(crate) fn enfants(contenu: &[u8]) -> Result<Vec<Brut<'_>>> {
    let mut out = vec![];
    let mut rest = contenu;
    while !rest.is_empty() {
        let (b, r) = tlv(rest).ok_or_else(|| malforme("structure ASN.1 tronquée"))?;
        out.push(b);
        rest = r;
    }
    Ok(out)
}

/// The parts of a SignedData, read leniently: a certificate that does not decode is
/// skipped (it may not be the signer's), revocation values of other formats (OCSP) are
/// tolerated.
#[derive(Debug)]
pub(crate) struct SignedDataBrut {
    pub econtent_type: ObjectIdentifier,
    pub econtent: Option<Vec<u8>>,
    pub certs: Vec<Certificate>,
    /// The certificates as encoded in the file (a re-encoding may differ from what the
    /// ESS reference hashed: unsorted multi-valued names, BER leftovers).
    pub certs_der: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses carried as `[1] OtherRevocationInfoFormat` with id-ri-ocsp-response
    /// (RFC 5940, 3: the DER `OCSPResponse`).
    pub ocsps: Vec<Vec<u8>>,
    pub signer_infos: Vec<Vec<u8>>,
}

pub(crate) fn lire_signed_data(data: &[u8]) -> Result<SignedDataBrut> {
    let der = normaliser(data)?;
    let (ci, _) = tlv(&der).ok_or_else(|| malforme("CMS illisible"))?;
    let parts = enfants(ci.contenu)?;
    let oid = match parts.first() {
        Some(b) if b.tag == 0x06 => ObjectIdentifier::from_der(b.tlv).map_err(der_err)?,
        _ => return Err(malforme("ContentInfo sans type")),
    };
    if oid != asn1::OID_SIGNED_DATA {
        return Err(malforme("le CMS n'est pas un SignedData"));
    }
    let explicit = parts
        .get(1)
        .filter(|b| b.tag == 0xA0)
        .ok_or_else(|| malforme("SignedData absent"))?;
    let (sd, _) = tlv(explicit.contenu).ok_or_else(|| malforme("SignedData illisible"))?;
    if sd.tag != 0x30 {
        return Err(malforme("SignedData illisible"));
    }
    let champs = enfants(sd.contenu)?;
    let mut it = champs.iter().peekable();
    let version = it.next().filter(|b| b.tag == 0x02);
    if version.is_none() {
        return Err(malforme("version du SignedData absente"));
    }
    it.next()
        .filter(|b| b.tag == 0x31)
        .ok_or_else(|| malforme("digestAlgorithms absent"))?;
    let eci = it
        .next()
        .filter(|b| b.tag == 0x30)
        .ok_or_else(|| malforme("encapContentInfo absent"))?;
    let eci_parts = enfants(eci.contenu)?;
    let econtent_type = match eci_parts.first() {
        Some(b) if b.tag == 0x06 => ObjectIdentifier::from_der(b.tlv).map_err(der_err)?,
        _ => return Err(malforme("eContentType absent")),
    };
    let econtent = match eci_parts.get(1) {
        None => None,
        Some(b) if b.tag == 0xA0 => {
            let (inner, _) = tlv(b.contenu).ok_or_else(|| malforme("eContent illisible"))?;
            // OCTET STRING in CMS; PKCS#7 v1.5 allowed any type: its content octets.
            Some(inner.contenu.to_vec())
        }
        Some(_) => return Err(malforme("eContent mal étiqueté")),
    };
    let mut certs = vec![];
    let mut certs_der = vec![];
    let mut crls = vec![];
    let mut ocsps = vec![];
    if let Some(b) = it.next_if(|b| b.tag == 0xA0) {
        for c in enfants(b.contenu)? {
            if c.tag == 0x30
                && let Ok(cert) = Certificate::from_der(c.tlv)
                && !certs.contains(&cert)
            {
                certs.push(cert);
                certs_der.push(c.tlv.to_vec());
            }
        }
    }
    if let Some(b) = it.next_if(|b| b.tag == 0xA1) {
        for c in enfants(b.contenu)? {
            // CertificateList; [1] OtherRevocationInfoFormat (OCSP, RFC 5940) tolerated.
            if c.tag == 0x30 {
                crls.push(c.tlv.to_vec());
            } else if c.tag == 0xA1
                && let [format, valeur] = enfants(c.contenu)?.as_slice()
                && format.tlv == asn1::OID_RI_OCSP_RESPONSE_DER
            {
                ocsps.push(valeur.tlv.to_vec());
            }
        }
    }
    let sis = it
        .next()
        .filter(|b| b.tag == 0x31)
        .ok_or_else(|| malforme("signerInfos absent"))?;
    let signer_infos = enfants(sis.contenu)?
        .into_iter()
        .map(|b| b.tlv.to_vec())
        .collect();
    Ok(SignedDataBrut {
        econtent_type,
        econtent,
        certs,
        certs_der,
        crls,
        ocsps,
        signer_infos,
    })
}

/// The digests a SignedData's signers need of the content (to hash a detached file once).
pub(crate) fn empreintes_requises(data: &[u8]) -> Result<Vec<AlgorithmeEmpreinte>> {
    let sd = lire_signed_data(data)?;
    let mut out = vec![];
    for raw in &sd.signer_infos {
        let Ok(si) = SignerInfo::from_der(raw) else {
            continue;
        };
        let Ok(d) = AlgorithmeEmpreinte::from_oid(&si.digest_alg.oid) else {
            continue;
        };
        let mut algs = vec![d];
        if si.signed_attrs.is_none()
            && let Ok((_, s)) = super::algorithmes::lire(&si.signature_algorithm, d)
        {
            algs.push(s);
        }
        for a in algs {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    Ok(out)
}

/// Check the first SignerInfo (what PAdES needs: one signer per PDF signature).
pub(crate) fn check(data: &[u8], content_digest: &mut ContentDigest<'_>) -> Result<CmsCheck> {
    check_tous(data, content_digest, &[])?
        .into_iter()
        .next()
        .ok_or_else(|| malforme("aucun signataire dans le CMS"))
}

/// Check every SignerInfo. `externes`: certificates the host gave (a SignedData may carry
/// none: RFC 5652 lets the verifier have them).
pub(crate) fn check_tous(
    data: &[u8],
    content_digest: &mut ContentDigest<'_>,
    externes: &[Certificate],
) -> Result<Vec<CmsCheck>> {
    let sd = lire_signed_data(data)?;
    if sd.signer_infos.is_empty() {
        return Err(malforme("aucun signataire dans le CMS"));
    }
    let mut known = sd.certs.clone();
    for c in externes {
        if !known.contains(c) {
            known.push(c.clone());
        }
    }
    let econtent = sd.econtent.clone();
    let mut out = vec![];
    for raw in &sd.signer_infos {
        let mut content = |alg: AlgorithmeEmpreinte| content_digest(alg, econtent.as_deref());
        let mut c = verifier_signer_info(
            raw,
            &known,
            &sd.certs_der,
            &mut content,
            econtent.as_deref(),
            Some(sd.econtent_type),
            0,
        )?;
        // The report lists the certificates the signature carries, not the host's.
        c.certs = sd.certs.clone();
        c.crls = sd.crls.clone();
        c.certs_der = sd.certs_der.clone();
        out.push(c);
    }
    Ok(out)
}

pub(crate) fn matches_sid(cert: &Certificate, sid: &SignerIdentifier) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            cert.tbs_certificate().issuer() == &isn.issuer
                && cert.tbs_certificate().serial_number() == &isn.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            let ext = cert
                .tbs_certificate()
                .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                .ok()
                .flatten()
                .map(|(_, s)| s);
            match ext {
                Some(s) => &s == ski,
                // No extension: the key identifier is the SHA-1 of the public key bits
                // (RFC 5280, 4.2.1.2, method 1), as signers compute it.
                None => cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .subject_public_key
                    .as_bytes()
                    .is_some_and(|k| AlgorithmeEmpreinte::Sha1.hash(k) == ski.0.as_bytes()),
            }
        }
    }
}

/// The raw signed attributes (`[0] IMPLICIT SET OF Attribute`) of a SignerInfo.
fn signed_attrs_bruts(si_der: &[u8]) -> Option<Vec<u8>> {
    let (si, _) = tlv(si_der)?;
    let parts = enfants(si.contenu).ok()?;
    // version, sid, digestAlgorithm, then [0] signedAttrs when present.
    let b = parts.get(3).filter(|b| b.tag == 0xA0)?;
    let mut v = b.tlv.to_vec();
    if let Some(t) = v.first_mut() {
        *t = 0x31;
    }
    Some(v)
}

fn verifier_signer_info(
    raw: &[u8],
    certs: &[Certificate],
    certs_der: &[Vec<u8>],
    content: &mut dyn FnMut(AlgorithmeEmpreinte) -> Result<Vec<u8>>,
    content_brut: Option<&[u8]>,
    econtent_type: Option<ObjectIdentifier>,
    profondeur: usize,
) -> Result<CmsCheck> {
    let si =
        SignerInfo::from_der(raw).map_err(|e| malforme(format!("SignerInfo illisible : {e}")))?;
    let signer = certs.iter().find(|c| matches_sid(c, &si.sid)).cloned();
    let mut check = CmsCheck {
        signer,
        certs: vec![],
        digest_alg: AlgorithmeEmpreinte::Sha256,
        scheme: SchemaSignature::RsaPkcs1v15,
        integrity: Ok(()),
        crypto: Ok(()),
        signing_time: None,
        signing_cert_v2: None,
        timestamp: None,
        contre_signatures: vec![],
        crls: vec![],
        certs_der: vec![],
    };
    check.timestamp = timestamp_of(&si);
    check.contre_signatures = contre_signatures(&si, certs, certs_der, profondeur)?;
    let digest_alg = match AlgorithmeEmpreinte::from_oid(&si.digest_alg.oid) {
        Ok(a) => a,
        Err(e) => {
            check.integrity = Err(e.clone());
            check.crypto = Err(e);
            return Ok(check);
        }
    };
    check.digest_alg = digest_alg;
    let (scheme, sig_digest) = match super::algorithmes::lire(&si.signature_algorithm, digest_alg) {
        Ok(x) => x,
        Err(e) => {
            check.crypto = Err(e);
            (SchemaSignature::RsaPkcs1v15, digest_alg)
        }
    };
    check.scheme = scheme;
    let digest = content(digest_alg)?;
    let key = match &check.signer {
        None => Err(Erreur::new(
            CodeErreur::CertificatSignataireIntrouvable,
            "certificat du signataire absent du CMS et des certificats fournis",
        )),
        Some(cert) => super::signer::public_key(cert),
    };
    let sig = si.signature.as_bytes();
    match &si.signed_attrs {
        None => {
            // The signature is over the content itself (RFC 5652, 5.4).
            if check.crypto.is_ok() {
                check.crypto = key.and_then(|k| {
                    if scheme.signe_le_message() {
                        let m = content_brut.ok_or_else(|| {
                            Erreur::new(
                                CodeErreur::AlgorithmeNonSupporte,
                                "EdDSA sans attributs signés sur un contenu détaché",
                            )
                        })?;
                        super::signer::verifier_message(&k, scheme, sig_digest, m, sig)
                    } else {
                        let d = if sig_digest == digest_alg {
                            digest.clone()
                        } else {
                            content(sig_digest)?
                        };
                        super::signer::verify_with_key(&k, scheme, sig_digest, &d, sig)
                    }
                });
            }
        }
        Some(attrs) => {
            let attrs: Vec<&Attribute> = attrs.iter().collect();
            check.integrity = attributs_signes(&attrs, &digest, econtent_type);
            check.signing_time =
                one(&attrs, asn1::OID_SIGNING_TIME).and_then(asn1::decode_time_any);
            check.signing_cert_v2 = check
                .signer
                .as_ref()
                .and_then(|c| reference_certificat(&attrs, &der_tel_quel(c, certs_der)));
            if check.crypto.is_ok() {
                check.crypto = key.and_then(|k| {
                    let brut = signed_attrs_bruts(raw)
                        .ok_or_else(|| malforme("attributs signés illisibles"))?;
                    let r = super::signer::verifier_message(&k, scheme, sig_digest, &brut, sig);
                    match r {
                        Err(e) if e.code() == CodeErreur::SignatureInvalide => {
                            let trie = si
                                .signed_attrs
                                .as_ref()
                                .map(|a| a.to_der())
                                .transpose()
                                .map_err(der_err)?
                                .unwrap_or_default();
                            if trie == brut {
                                return Err(e);
                            }
                            super::signer::verifier_message(&k, scheme, sig_digest, &trie, sig)
                        }
                        r => r,
                    }
                });
            }
        }
    }
    Ok(check)
}

fn one<'a>(attrs: &[&'a Attribute], oid: ObjectIdentifier) -> Option<&'a der::asn1::Any> {
    attrs
        .iter()
        .find(|a| a.oid == oid)
        .and_then(|a| a.values.get(0))
}

/// RFC 5652, 11: message-digest, content-type and signing-time have exactly one value and
/// appear once; content-type names the content (absent in a counter-signature); the
/// message-digest matches.
fn attributs_signes(
    attrs: &[&Attribute],
    digest: &[u8],
    econtent_type: Option<ObjectIdentifier>,
) -> Result<()> {
    let unique = [
        asn1::OID_CONTENT_TYPE,
        asn1::OID_MESSAGE_DIGEST,
        asn1::OID_SIGNING_TIME,
    ];
    for (i, a) in attrs.iter().enumerate() {
        // RFC 5652, 11: these three once, with one value. Other attributes given twice
        // (two identical signing-certificate references) are tolerated, as DSS does.
        if unique.contains(&a.oid) && attrs.iter().skip(i + 1).any(|b| b.oid == a.oid) {
            return Err(malforme(format!("attribut signé {} en double", a.oid)));
        }
        if unique.contains(&a.oid) && a.values.len() != 1 {
            return Err(malforme(format!(
                "attribut signé {} avec {} valeurs",
                a.oid,
                a.values.len()
            )));
        }
    }
    match (one(attrs, asn1::OID_CONTENT_TYPE), econtent_type) {
        (Some(v), Some(t)) => {
            let ct: ObjectIdentifier = v
                .decode_as()
                .map_err(|e| malforme(format!("content-type illisible : {e}")))?;
            if ct != t {
                return Err(malforme(format!(
                    "content-type signé {ct} différent du contenu {t}"
                )));
            }
        }
        (Some(_), None) => {
            return Err(malforme(
                "content-type dans une contre-signature (RFC 5652, 11.1)",
            ));
        }
        (None, _) => {}
    }
    if let Some(v) = one(attrs, asn1::OID_SIGNING_TIME)
        && asn1::decode_time_any(v).is_none()
    {
        return Err(malforme("signing-time illisible"));
    }
    match one(attrs, asn1::OID_MESSAGE_DIGEST) {
        None => Err(malforme("attribut message-digest absent")),
        Some(v) => match v.decode_as::<OctetString>() {
            Ok(o) if o.as_bytes() == digest => Ok(()),
            Ok(_) => Err(Erreur::new(
                CodeErreur::SignatureIntegrite,
                "l'empreinte des données signées ne correspond pas",
            )),
            Err(e) => Err(der_err(e)),
        },
    }
}

/// The certificate's bytes as the file has them (else its DER re-encoding).
fn der_tel_quel(cert: &Certificate, certs_der: &[Vec<u8>]) -> Vec<u8> {
    certs_der
        .iter()
        .find(|d| Certificate::from_der(d).is_ok_and(|c| &c == cert))
        .cloned()
        .or_else(|| cert.to_der().ok())
        .unwrap_or_default()
}

/// The ESS signing-certificate references (v2 with its digest, v1 with SHA-1) against the
/// signer's certificate bytes: `Some(true)` they name it, `Some(false)` a checkable one
/// names another certificate, `None` absent or not checkable (unknown digest,
/// undecodable).
fn reference_certificat(attrs: &[&Attribute], der: &[u8]) -> Option<bool> {
    if der.is_empty() {
        return None;
    }
    let mut verdicts = vec![];
    if let Some(v) = one(attrs, asn1::OID_SIGNING_CERT_V2)
        && let Ok(sc) = v.decode_as::<asn1::SigningCertificateV2>()
        && let Some(first) = sc.certs.first()
    {
        // The first ESSCertIDv2 is the signer's (RFC 5035, 3).
        let alg = match &first.hash_algorithm {
            None => Some(AlgorithmeEmpreinte::Sha256),
            Some(a) => AlgorithmeEmpreinte::from_oid(&a.oid).ok(),
        };
        if let Some(alg) = alg {
            verdicts.push(alg.hash(der) == first.cert_hash.as_bytes());
        }
    }
    if let Some(v) = one(attrs, asn1::OID_SIGNING_CERT_V1)
        && let Ok(sc) = v.decode_as::<asn1::SigningCertificateV1>()
        && let Some(first) = sc.certs.first()
    {
        verdicts.push(AlgorithmeEmpreinte::Sha1.hash(der) == first.cert_hash.as_bytes());
    }
    if verdicts.is_empty() {
        None
    } else {
        Some(verdicts.iter().all(|x| *x))
    }
}

fn timestamp_of(si: &SignerInfo) -> Option<TimestampCheck> {
    let tok = si
        .unsigned_attrs
        .as_ref()?
        .iter()
        .find(|a| a.oid == asn1::OID_SIGNATURE_TIMESTAMP)?
        .values
        .get(0)?
        .clone();
    Some(match tok.to_der() {
        Ok(der) => check_timestamp(&der, si.signature.as_bytes()),
        Err(e) => TimestampCheck {
            date: None,
            valid: Err(Erreur::new(
                CodeErreur::HorodatageIndetermine,
                format!("jeton d'horodatage illisible : {e}"),
            )),
            tsa: None,
            certs: vec![],
        },
    })
}

/// The countersignature attribute (RFC 5652, 11.4): each value is a SignerInfo over the
/// signature value of this one.
fn contre_signatures(
    si: &SignerInfo,
    certs: &[Certificate],
    certs_der: &[Vec<u8>],
    profondeur: usize,
) -> Result<Vec<CmsCheck>> {
    let Some(unsigned) = &si.unsigned_attrs else {
        return Ok(vec![]);
    };
    if profondeur >= PROFONDEUR_CONTRE_SIGNATURES {
        return Ok(vec![]);
    }
    let parent = si.signature.as_bytes();
    let mut out = vec![];
    for a in unsigned
        .iter()
        .filter(|a| a.oid == asn1::OID_COUNTER_SIGNATURE)
    {
        for v in a.values.iter() {
            let raw = v.to_der().map_err(der_err)?;
            let mut content = |alg: AlgorithmeEmpreinte| Ok(alg.hash(parent));
            let mut c = verifier_signer_info(
                &raw,
                certs,
                certs_der,
                &mut content,
                Some(parent),
                None,
                profondeur + 1,
            )?;
            c.certs = vec![];
            out.push(c);
        }
    }
    Ok(out)
}

/// Check an RFC 3161 token over `imprinted` (the signature value for CAdES/PAdES, the
/// canonical SignatureValue element for XAdES). A token mpe cannot read is
/// [`CodeErreur::HorodatageIndetermine`]; one that provably does not match or whose
/// signature fails is [`CodeErreur::HorodatageInvalide`].
pub(crate) fn check_timestamp(token: &[u8], imprinted: &[u8]) -> TimestampCheck {
    check_timestamp_digest(token, &mut |alg| alg.hash(imprinted))
}

/// The same check when the imprinted bytes are only known by their digest (a PDF
/// document timestamp covers the `/ByteRange` bytes): `digest` gives it for an algorithm.
pub(crate) fn check_timestamp_digest(
    token: &[u8],
    digest: &mut dyn FnMut(AlgorithmeEmpreinte) -> Vec<u8>,
) -> TimestampCheck {
    let indetermine = |m: String| Erreur::new(CodeErreur::HorodatageIndetermine, m);
    let bad = |m: &str| Erreur::new(CodeErreur::HorodatageInvalide, m.to_string());
    let tst = match super::cms::decode_tst_info(token) {
        Ok(t) => t,
        Err(e) => {
            return TimestampCheck {
                date: None,
                valid: Err(indetermine(e.message().to_string())),
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
            let v = match c.integrity.and(c.crypto) {
                Ok(()) => Ok(()),
                Err(e) => {
                    let m = format!("signature du jeton : {}", e.message());
                    let (statut, _) = super::etsi::verdict(e.code());
                    if statut == super::rapport::Statut::Invalide {
                        Err(bad(&m))
                    } else {
                        Err(indetermine(m))
                    }
                }
            };
            (c.signer, c.certs, v)
        }
        Err(e) => (None, vec![], Err(indetermine(e.message().to_string()))),
    };
    if valid.is_ok() {
        valid = match AlgorithmeEmpreinte::from_oid(&tst.message_imprint.hash_algorithm.oid) {
            Ok(alg) if tst.message_imprint.hashed_message.as_bytes() == digest(alg).as_slice() => {
                Ok(())
            }
            Ok(_) => Err(bad(
                "le jeton d'horodatage ne porte pas sur cette signature",
            )),
            Err(e) => Err(indetermine(e.message().to_string())),
        };
    }
    if date.is_none() && valid.is_ok() {
        valid = Err(indetermine("date d'horodatage illisible".into()));
    }
    TimestampCheck {
        date,
        valid,
        tsa,
        certs,
    }
}
