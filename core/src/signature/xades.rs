//! XAdES-B-B / B-T detached signatures (ETSI EN 319 132-1) over a file referenced by name.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, SecondsFormat};
use der::Encode;

use super::asn1::der_err;
use super::cms::TimestampCheck;
use super::rapport::{Constat, FormatSignature};
use super::signer::{AlgorithmeEmpreinte, SchemaSignature, Signer};
use super::xml::{self, C14n, Element, escape};
use super::{DonneesSignees, OptionsSignature};
use crate::{Error, ErrorCode, Result};

pub(crate) const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub(crate) const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
const SIGNED_PROPS_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
const PLACEHOLDER: &str = "@@VALEUR_SIGNATURE@@";

fn signature_method_uri(scheme: SchemaSignature, alg: AlgorithmeEmpreinte) -> &'static str {
    use AlgorithmeEmpreinte as A;
    match (scheme, alg) {
        (SchemaSignature::RsaPkcs1v15, A::Sha256) => {
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        }
        (SchemaSignature::RsaPkcs1v15, A::Sha384) => {
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
        }
        (SchemaSignature::RsaPkcs1v15, A::Sha512) => {
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
        }
        (SchemaSignature::RsaPss, A::Sha256) => {
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
        }
        (SchemaSignature::RsaPss, A::Sha384) => {
            "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1"
        }
        (SchemaSignature::RsaPss, A::Sha512) => {
            "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1"
        }
        (SchemaSignature::Ecdsa, A::Sha256) => {
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
        }
        (SchemaSignature::Ecdsa, A::Sha384) => {
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
        }
        (SchemaSignature::Ecdsa, A::Sha512) => {
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
        }
        // Refused before signing (signature::preparer); never matched when parsing.
        _ => "",
    }
}

fn parse_signature_method(uri: &str) -> Result<(SchemaSignature, AlgorithmeEmpreinte)> {
    for scheme in [
        SchemaSignature::RsaPkcs1v15,
        SchemaSignature::RsaPss,
        SchemaSignature::Ecdsa,
    ] {
        for alg in [
            AlgorithmeEmpreinte::Sha256,
            AlgorithmeEmpreinte::Sha384,
            AlgorithmeEmpreinte::Sha512,
        ] {
            if signature_method_uri(scheme, alg) == uri {
                return Ok((scheme, alg));
            }
        }
    }
    Err(Error::new(
        ErrorCode::Unsupported,
        format!("algorithme de signature XML non pris en charge : {uri}"),
    ))
}

fn mime_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "xml" => "text/xml",
        "zip" => "application/zip",
        "txt" => "text/plain",
        "json" => "application/json",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "p7s" => "application/pkcs7-signature",
        _ => "application/octet-stream",
    }
}

/// Percent-encode a file name for the Reference URI (RFC 3986, keeping unreserved).
fn uri_encode(name: &str) -> String {
    let mut s = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn uri_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(h) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Build the signature with a placeholder value; return (canonical SignedInfo, template).
pub(crate) fn preparer(
    file_digest: &[u8],
    signer: &Signer,
    opts: &OptionsSignature,
) -> Result<(Vec<u8>, String)> {
    let alg = signer.empreinte();
    let cert = signer.certificat();
    let cert_der = cert.to_der().map_err(der_err)?;
    let name = opts
        .nom_fichier
        .clone()
        .unwrap_or_else(|| "document".into());
    let mime = opts
        .type_mime
        .clone()
        .unwrap_or_else(|| mime_type(&name).to_string());
    let seed = alg.hash(&[file_digest, opts.date.to_rfc3339().as_bytes(), &cert_der].concat());
    let id = hex::encode(seed.get(..8).unwrap_or_default());
    let issuer_serial = super::cms::issuer_serial(cert).to_der().map_err(der_err)?;
    let digest_uri = alg.xml_uri();
    let signed_props = format!(
        concat!(
            "<xades:SignedProperties Id=\"xades-{id}\">",
            "<xades:SignedSignatureProperties>",
            "<xades:SigningTime>{time}</xades:SigningTime>",
            "<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>",
            "<ds:DigestMethod Algorithm=\"{du}\"/><ds:DigestValue>{cd}</ds:DigestValue>",
            "</xades:CertDigest><xades:IssuerSerialV2>{is}</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>",
            "</xades:SignedSignatureProperties>",
            "<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference=\"#r-{id}-1\">",
            "<xades:MimeType>{mime}</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties>",
            "</xades:SignedProperties>"
        ),
        id = id,
        time = opts.date.to_rfc3339_opts(SecondsFormat::Secs, true),
        du = digest_uri,
        cd = B64.encode(alg.hash(&cert_der)),
        is = B64.encode(&issuer_serial),
        mime = escape(&mime),
    );
    // The signer first, then the chain it was given, so that a verifier holding only the
    // root can build the path (XMLDSig 4.5.4 allows several certificates in X509Data).
    let mut certs = format!(
        "<ds:X509Certificate>{}</ds:X509Certificate>",
        B64.encode(&cert_der)
    );
    for c in signer.chaine() {
        certs.push_str("<ds:X509Certificate>");
        certs.push_str(&B64.encode(c.to_der().map_err(der_err)?));
        certs.push_str("</ds:X509Certificate>");
    }
    let build = |props_digest: &str| {
        format!(
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<ds:Signature xmlns:ds=\"{ds}\" Id=\"id-{id}\">",
                "<ds:SignedInfo>",
                "<ds:CanonicalizationMethod Algorithm=\"{c14n}\"/>",
                "<ds:SignatureMethod Algorithm=\"{sm}\"/>",
                "<ds:Reference Id=\"r-{id}-1\" URI=\"{uri}\"><ds:DigestMethod Algorithm=\"{du}\"/><ds:DigestValue>{fd}</ds:DigestValue></ds:Reference>",
                "<ds:Reference Type=\"{spt}\" URI=\"#xades-{id}\"><ds:Transforms><ds:Transform Algorithm=\"{c14n}\"/></ds:Transforms>",
                "<ds:DigestMethod Algorithm=\"{du}\"/><ds:DigestValue>{pd}</ds:DigestValue></ds:Reference>",
                "</ds:SignedInfo>",
                "<ds:SignatureValue Id=\"value-{id}\">{ph}</ds:SignatureValue>",
                "<ds:KeyInfo><ds:X509Data>{certs}</ds:X509Data></ds:KeyInfo>",
                "<ds:Object><xades:QualifyingProperties xmlns:xades=\"{xades}\" Target=\"#id-{id}\">{sp}</xades:QualifyingProperties></ds:Object>",
                "</ds:Signature>\n"
            ),
            ds = DS,
            xades = XADES,
            id = id,
            c14n = C14n::EXC,
            sm = signature_method_uri(signer.schema(), alg),
            uri = escape(&uri_encode(&name)),
            du = digest_uri,
            fd = B64.encode(file_digest),
            spt = SIGNED_PROPS_TYPE,
            pd = props_digest,
            ph = PLACEHOLDER,
            certs = certs,
            sp = signed_props,
        )
    };
    let draft = xml::parse(build("").as_bytes())?;
    let sp = draft
        .descendants()
        .into_iter()
        .find(|e| e.is(XADES, "SignedProperties"))
        .ok_or_else(|| Error::internal("SignedProperties introuvable"))?;
    let props_digest = B64.encode(alg.hash(xml::canonicalize(sp, C14n::Exclusive).as_bytes()));
    let modele = build(&props_digest);
    let doc = xml::parse(modele.as_bytes())?;
    let si = doc
        .child(DS, "SignedInfo")
        .ok_or_else(|| Error::internal("SignedInfo introuvable"))?;
    Ok((xml::canonicalize(si, C14n::Exclusive).into_bytes(), modele))
}

pub(crate) fn assembler(modele: &str, value: &[u8]) -> Result<String> {
    if !modele.contains(PLACEHOLDER) {
        return Err(Error::invalid_argument(
            "modèle XAdES sans emplacement de signature",
        ));
    }
    Ok(modele.replacen(PLACEHOLDER, &B64.encode(value), 1))
}

fn b64_text(e: &Element) -> Result<Vec<u8>> {
    let t: String = e
        .text()
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    B64.decode(t).map_err(|_| {
        Error::new(
            ErrorCode::SignatureMalformee,
            format!("base64 invalide dans {}", e.qname),
        )
    })
}

fn find_signature(doc: &Element) -> Result<&Element> {
    if doc.is(DS, "Signature") {
        return Ok(doc);
    }
    doc.descendants()
        .into_iter()
        .find(|e| e.is(DS, "Signature"))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::SignatureFormatInconnu,
                "aucune signature XML (ds:Signature) trouvée",
            )
        })
}

fn by_id<'a>(doc: &'a Element, id: &str) -> Result<&'a Element> {
    let found: Vec<&Element> = doc
        .descendants()
        .into_iter()
        .filter(|e| {
            e.attrs
                .iter()
                .any(|a| matches!(a.qname.as_str(), "Id" | "ID" | "id") && a.value == id)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::new(
            ErrorCode::XmlEnveloppement,
            format!("référence « #{id} » introuvable"),
        )),
        _ => Err(Error::new(
            ErrorCode::XmlEnveloppement,
            format!("identifiant « {id} » présent plusieurs fois (signature wrapping)"),
        )),
    }
}

fn reference_c14n(r: &Element) -> Result<C14n> {
    let mut alg = C14n::Inclusive;
    if let Some(ts) = r.child(DS, "Transforms") {
        for t in ts.elements() {
            alg = C14n::from_uri(t.attr("Algorithm").unwrap_or(""))?;
        }
    }
    Ok(alg)
}

fn is_within(ancestor: &Element, target: &Element) -> bool {
    ancestor
        .descendants()
        .into_iter()
        .any(|e| std::ptr::eq(e, target))
}

pub(crate) fn verifier(data: &[u8], mut donnees: DonneesSignees<'_>) -> Result<Constat> {
    let doc = xml::parse(data)?;
    let sig = find_signature(&doc)?;
    let mal = |m: &str| Error::new(ErrorCode::SignatureMalformee, m.to_string());
    let si = sig
        .child(DS, "SignedInfo")
        .ok_or_else(|| mal("SignedInfo absent"))?;
    let c14n = C14n::from_uri(
        si.child(DS, "CanonicalizationMethod")
            .and_then(|c| c.attr("Algorithm"))
            .unwrap_or(""),
    )?;
    let sm = si
        .child(DS, "SignatureMethod")
        .and_then(|c| c.attr("Algorithm"))
        .ok_or_else(|| mal("SignatureMethod absent"))?;
    let method = parse_signature_method(sm);
    let sv_el = sig
        .child(DS, "SignatureValue")
        .ok_or_else(|| mal("SignatureValue absent"))?;
    let sv = b64_text(sv_el)?;
    let certs: Vec<x509_cert::Certificate> = sig
        .child(DS, "KeyInfo")
        .map(|ki| {
            ki.descendants()
                .into_iter()
                .filter(|e| e.is(DS, "X509Certificate"))
                .filter_map(|e| b64_text(e).ok())
                .filter_map(|d| super::signer::certificat(&d).ok())
                .collect()
        })
        .unwrap_or_default();

    let mut integrity: Result<()> = Ok(());
    let mut signed_props: Option<&Element> = None;
    let mut external = 0;
    let mut digest_alg = AlgorithmeEmpreinte::Sha256;
    let refs: Vec<&Element> = si.elements().filter(|e| e.is(DS, "Reference")).collect();
    if refs.is_empty() {
        return Err(mal("aucune référence signée"));
    }
    for r in refs {
        let uri = r.attr("URI").ok_or_else(|| mal("Reference sans URI"))?;
        let alg = AlgorithmeEmpreinte::from_xml_uri(
            r.child(DS, "DigestMethod")
                .and_then(|d| d.attr("Algorithm"))
                .unwrap_or(""),
        )?;
        let expected = b64_text(
            r.child(DS, "DigestValue")
                .ok_or_else(|| mal("DigestValue absent"))?,
        )?;
        let actual = if let Some(id) = uri.strip_prefix('#') {
            let target = by_id(&doc, id)?;
            if r.attr("Type") == Some(SIGNED_PROPS_TYPE) {
                if !target.is(XADES, "SignedProperties")
                    && !target.is("http://uri.etsi.org/01903/v1.1.1#", "SignedProperties")
                {
                    return Err(Error::new(
                        ErrorCode::XmlEnveloppement,
                        "la référence typée ne désigne pas un SignedProperties",
                    ));
                }
                if !is_within(sig, target) {
                    return Err(Error::new(
                        ErrorCode::XmlEnveloppement,
                        "SignedProperties hors de la signature (wrapping)",
                    ));
                }
                signed_props = Some(target);
            }
            alg.hash(xml::canonicalize(target, reference_c14n(r)?).as_bytes())
        } else if uri.is_empty() {
            return Err(Error::new(
                ErrorCode::Unsupported,
                "signature XML enveloppée (URI vide) non prise en charge",
            ));
        } else {
            if r.child(DS, "Transforms").is_some() {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    "transformations sur le fichier détaché non prises en charge",
                ));
            }
            external += 1;
            if external > 1 {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    "plusieurs fichiers détachés référencés",
                ));
            }
            let _ = uri_decode(uri);
            digest_alg = alg;
            donnees.digest(alg)?
        };
        if actual != expected && integrity.is_ok() {
            integrity = Err(Error::new(
                ErrorCode::SignatureIntegrite,
                format!("l'empreinte de la référence « {uri} » ne correspond pas"),
            ));
        }
    }
    if external == 0 {
        return Err(Error::new(
            ErrorCode::FichierSigneManquant,
            "la signature XML ne référence aucun fichier détaché",
        ));
    }
    let signer = certs.first().cloned();
    let (scheme, crypto) = match (&method, &signer) {
        (Err(e), _) => (SchemaSignature::RsaPkcs1v15, Err(e.clone())),
        (Ok((s, _)), None) => (*s, Err(mal("certificat du signataire absent (KeyInfo)"))),
        (Ok((s, a)), Some(cert)) => {
            let canon = xml::canonicalize(si, c14n);
            (
                *s,
                super::signer::verify_digest(cert, *s, *a, &a.hash(canon.as_bytes()), &sv),
            )
        }
    };
    let mut signing_time = None;
    let mut cert_ref = None;
    if let Some(sp) = signed_props {
        for e in sp.descendants() {
            if e.local() == "SigningTime" {
                signing_time = DateTime::parse_from_rfc3339(e.text().trim())
                    .ok()
                    .map(|d| d.to_utc());
            }
            if e.local() == "CertDigest"
                && let Some(cert) = &signer
            {
                let alg = e
                    .child(DS, "DigestMethod")
                    .and_then(|d| d.attr("Algorithm"))
                    .map(AlgorithmeEmpreinte::from_xml_uri);
                let value = e.child(DS, "DigestValue").map(b64_text);
                // A digest we do not support (SHA-1 of XAdES 1.3.2 SigningCertificate) says
                // nothing either way; a malformed or different one is a mismatch.
                let ok = match (alg, value, cert.to_der()) {
                    (Some(Ok(a)), Some(Ok(v)), Ok(d)) => Some(a.hash(&d) == v),
                    (Some(Err(_)), _, _) => None,
                    _ => Some(false),
                };
                if let Some(ok) = ok {
                    cert_ref = Some(cert_ref.unwrap_or(false) || ok);
                }
            }
        }
    }
    let timestamp = sig
        .descendants()
        .into_iter()
        .find(|e| e.local() == "SignatureTimeStamp")
        .map(|ts| {
            let alg = ts
                .child(DS, "CanonicalizationMethod")
                .and_then(|c| c.attr("Algorithm"))
                .map(C14n::from_uri)
                .unwrap_or(Ok(C14n::Inclusive));
            let token = ts
                .elements()
                .find(|e| e.local() == "EncapsulatedTimeStamp")
                .map(b64_text);
            match (alg, token) {
                (Ok(alg), Some(Ok(tok))) => {
                    super::cms::check_timestamp(&tok, xml::canonicalize(sv_el, alg).as_bytes())
                }
                (Err(e), _) | (_, Some(Err(e))) => TimestampCheck {
                    date: None,
                    valid: Err(e),
                    tsa: None,
                    certs: vec![],
                },
                (_, None) => TimestampCheck {
                    date: None,
                    valid: Err(Error::new(ErrorCode::HorodatageInvalide, "jeton absent")),
                    tsa: None,
                    certs: vec![],
                },
            }
        });
    Ok(Constat {
        format: FormatSignature::XAdES,
        signer,
        certs,
        digest_alg,
        scheme,
        integrity,
        crypto,
        signing_time,
        cert_ref,
        timestamp,
        pdf: None,
    })
}

/// The canonical SignatureValue element a XAdES signature timestamp covers.
pub(crate) fn signature_value_c14n(data: &[u8]) -> Result<Vec<u8>> {
    let doc = xml::parse(data)?;
    let sig = find_signature(&doc)?;
    let sv = sig
        .child(DS, "SignatureValue")
        .ok_or_else(|| Error::new(ErrorCode::SignatureMalformee, "SignatureValue absent"))?;
    Ok(xml::canonicalize(sv, C14n::Exclusive).into_bytes())
}

/// Add a SignatureTimeStamp in UnsignedSignatureProperties.
pub(crate) fn add_timestamp(data: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let token = super::cms::token_from_response(token)?;
    let imprinted = signature_value_c14n(data)?;
    let check = super::cms::check_timestamp(&token, &imprinted);
    check.valid?;
    let doc = xml::parse(data)?;
    let sig = find_signature(&doc)?;
    let qp = sig
        .descendants()
        .into_iter()
        .find(|e| e.local() == "QualifyingProperties")
        .ok_or_else(|| Error::new(ErrorCode::SignatureMalformee, "QualifyingProperties absent"))?;
    if qp
        .descendants()
        .iter()
        .any(|e| e.local() == "UnsignedProperties")
    {
        return Err(Error::new(
            ErrorCode::Unsupported,
            "la signature a déjà des propriétés non signées",
        ));
    }
    let p = xml::split(&qp.qname).0;
    let q = |l: &str| {
        if p.is_empty() {
            l.to_string()
        } else {
            format!("{p}:{l}")
        }
    };
    let ds_prefix = sig
        .qname
        .split_once(':')
        .map(|(p, _)| format!("{p}:"))
        .unwrap_or_default();
    let insert = format!(
        "<{up}><{usp}><{sts} Id=\"ts-{n}\"><{ds}CanonicalizationMethod Algorithm=\"{c}\"/><{ets}>{tok}</{ets}></{sts}></{usp}></{up}>",
        up = q("UnsignedProperties"),
        usp = q("UnsignedSignatureProperties"),
        sts = q("SignatureTimeStamp"),
        ets = q("EncapsulatedTimeStamp"),
        ds = ds_prefix,
        c = C14n::EXC,
        n = hex::encode(
            AlgorithmeEmpreinte::Sha256
                .hash(&token)
                .get(..6)
                .unwrap_or_default()
        ),
        tok = B64.encode(&token),
    );
    let text = std::str::from_utf8(data)
        .map_err(|_| Error::new(ErrorCode::SignatureMalformee, "XML non UTF-8"))?;
    let close = format!("</{}>", qp.qname);
    let pos = text.rfind(&close).ok_or_else(|| {
        Error::new(
            ErrorCode::SignatureMalformee,
            "fin de QualifyingProperties introuvable",
        )
    })?;
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(text.get(..pos).unwrap_or_default());
    out.push_str(&insert);
    out.push_str(text.get(pos..).unwrap_or_default());
    // The result must still verify its own structure.
    xml::parse(out.as_bytes())?;
    Ok(out.into_bytes())
}
