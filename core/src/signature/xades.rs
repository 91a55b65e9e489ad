//! XAdES-B-B / B-T detached signatures (ETSI EN 319 132-1) over a file referenced by name.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::SecondsFormat;
use der::Encode;

use super::OptionsSignature;
use super::asn1::der_err;
use super::signer::{AlgorithmeEmpreinte, SchemaSignature, Signataire};
use super::xml::{self, C14n, Element, escape};
use crate::{CodeErreur, Erreur, Result};

pub(crate) const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub(crate) const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
const SIGNED_PROPS_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
const PLACEHOLDER: &str = "@@VALEUR_SIGNATURE@@";

/// The SignatureMethod URI mpe writes for a scheme and digest.
fn signature_method_uri(scheme: SchemaSignature, alg: AlgorithmeEmpreinte) -> Result<&'static str> {
    use AlgorithmeEmpreinte as A;
    Ok(match (scheme, alg) {
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
        _ => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!("signature XAdES {scheme:?} / {alg:?} non prise en charge"),
            ));
        }
    })
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

/// Build the signature with a placeholder value; return (canonical SignedInfo, template).
pub(crate) fn preparer(
    file_digest: &[u8],
    signer: &Signataire,
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
    let sm = signature_method_uri(signer.schema(), alg)?;
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
            sm = sm,
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
        .ok_or_else(|| Erreur::internal("SignedProperties introuvable"))?;
    let props_digest = B64.encode(alg.hash(xml::canonicalize(sp, C14n::Exclusive).as_bytes()));
    let modele = build(&props_digest);
    let doc = xml::parse(modele.as_bytes())?;
    let si = doc
        .child(DS, "SignedInfo")
        .ok_or_else(|| Erreur::internal("SignedInfo introuvable"))?;
    Ok((xml::canonicalize(si, C14n::Exclusive).into_bytes(), modele))
}

pub(crate) fn assembler(modele: &str, value: &[u8]) -> Result<String> {
    if !modele.contains(PLACEHOLDER) {
        return Err(Erreur::invalid_argument(
            "modèle XAdES sans emplacement de signature",
        ));
    }
    Ok(modele.replacen(PLACEHOLDER, &B64.encode(value), 1))
}

fn find_signature(doc: &Element) -> Result<&Element> {
    if doc.is(DS, "Signature") {
        return Ok(doc);
    }
    doc.descendants()
        .into_iter()
        .find(|e| e.is(DS, "Signature"))
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::SignatureFormatInconnu,
                "aucune signature XML (ds:Signature) trouvée",
            )
        })
}

/// The canonical SignatureValue element a XAdES signature timestamp covers.
pub(crate) fn signature_value_c14n(data: &[u8]) -> Result<Vec<u8>> {
    let doc = xml::parse(data)?;
    let sig = find_signature(&doc)?;
    let sv = sig
        .child(DS, "SignatureValue")
        .ok_or_else(|| Erreur::new(CodeErreur::SignatureMalformee, "SignatureValue absent"))?;
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
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::SignatureMalformee,
                "QualifyingProperties absent",
            )
        })?;
    if qp
        .descendants()
        .iter()
        .any(|e| e.local() == "UnsignedProperties")
    {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
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
        .map_err(|_| Erreur::new(CodeErreur::SignatureMalformee, "XML non UTF-8"))?;
    let close = format!("</{}>", qp.qname);
    let pos = text.rfind(&close).ok_or_else(|| {
        Erreur::new(
            CodeErreur::SignatureMalformee,
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
