//! XML-DSig algorithm URIs (RFC 3275, RFC 6931, XMLDSig 1.1) mapped to the object
//! identifiers the rest of mpe knows: a digest URI becomes a digest OID read by
//! [`AlgorithmeEmpreinte::from_oid`], a SignatureMethod becomes the X.509 signature
//! AlgorithmIdentifier read by the CMS code. So XML gets every algorithm CMS gets, and an
//! algorithm mpe does not implement is a typed NON_PRIS_EN_CHARGE naming the URI.

use der::asn1::{Any, ObjectIdentifier};
use spki::AlgorithmIdentifierOwned;

use super::asn1;
use super::signer::{AlgorithmeEmpreinte, SchemaSignature};
use crate::{CodeErreur, Erreur, Result};

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

fn non_supporte(quoi: &str, uri: &str) -> Erreur {
    Erreur::new(
        CodeErreur::NonPrisEnCharge,
        format!("{quoi} XML non pris en charge : {uri}"),
    )
}

/// The OID of a digest URI.
fn oid_empreinte(uri: &str) -> Option<ObjectIdentifier> {
    Some(match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => oid("1.3.14.3.2.26"),
        "http://www.w3.org/2001/04/xmldsig-more#sha224" => oid("2.16.840.1.101.3.4.2.4"),
        "http://www.w3.org/2001/04/xmlenc#sha256" => oid("2.16.840.1.101.3.4.2.1"),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => oid("2.16.840.1.101.3.4.2.2"),
        "http://www.w3.org/2001/04/xmlenc#sha512" => oid("2.16.840.1.101.3.4.2.3"),
        "http://www.w3.org/2007/05/xmldsig-more#sha3-224" => oid("2.16.840.1.101.3.4.2.7"),
        "http://www.w3.org/2007/05/xmldsig-more#sha3-256" => oid("2.16.840.1.101.3.4.2.8"),
        "http://www.w3.org/2007/05/xmldsig-more#sha3-384" => oid("2.16.840.1.101.3.4.2.9"),
        "http://www.w3.org/2007/05/xmldsig-more#sha3-512" => oid("2.16.840.1.101.3.4.2.10"),
        _ => return None,
    })
}

/// The digest algorithm of a DigestMethod URI.
pub(crate) fn empreinte(uri: &str) -> Result<AlgorithmeEmpreinte> {
    if let Ok(a) = AlgorithmeEmpreinte::from_xml_uri(uri) {
        return Ok(a);
    }
    let o = oid_empreinte(uri).ok_or_else(|| non_supporte("algorithme d'empreinte", uri))?;
    AlgorithmeEmpreinte::from_oid(&o).map_err(|_| non_supporte("algorithme d'empreinte", uri))
}

/// A SignatureMethod: the scheme and digest to verify with, or a typed error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MethodeSignature {
    pub schema: SchemaSignature,
    pub empreinte: AlgorithmeEmpreinte,
    /// ECDSA (and DSA) values in XML are r‖s, not DER.
    pub r_s: bool,
}

/// RSASSA-PSS parameters for a digest: MGF1 with the same digest, salt as long as the
/// digest (RFC 6931 2.3.10) unless the signature says otherwise.
fn pss(hash: ObjectIdentifier, sel: Option<u32>) -> Result<AlgorithmIdentifierOwned> {
    let h = AlgorithmIdentifierOwned {
        oid: hash,
        parameters: None,
    };
    let mgf = AlgorithmIdentifierOwned {
        oid: asn1::OID_MGF1,
        parameters: Some(Any::encode_from(&h).map_err(asn1::der_err)?),
    };
    let params = asn1::RsaPssParams {
        hash_algorithm: Some(h),
        mask_gen_algorithm: Some(mgf),
        salt_length: sel,
    };
    Ok(AlgorithmIdentifierOwned {
        oid: asn1::OID_RSA_PSS,
        parameters: Some(Any::encode_from(&params).map_err(asn1::der_err)?),
    })
}

/// The X.509 AlgorithmIdentifier of a SignatureMethod URI. `pss_empreinte` is the
/// DigestMethod of the `RSAPSSParams` child of the generic RSA-PSS URI, if any.
fn identifiant(uri: &str, pss_empreinte: Option<&str>) -> Result<AlgorithmIdentifierOwned> {
    let simple = |o: &str| AlgorithmIdentifierOwned {
        oid: oid(o),
        parameters: None,
    };
    const MORE: &str = "http://www.w3.org/2001/04/xmldsig-more#";
    const MORE07: &str = "http://www.w3.org/2007/05/xmldsig-more#";
    const MORE21: &str = "http://www.w3.org/2021/04/xmldsig-more#";
    if let Some(rest) = uri.strip_prefix(MORE07)
        && let Some(h) = rest.strip_suffix("-rsa-MGF1")
    {
        let d = match h {
            "sha1" => "http://www.w3.org/2000/09/xmldsig#sha1".to_string(),
            "sha224" => format!("{MORE}sha224"),
            "sha256" => "http://www.w3.org/2001/04/xmlenc#sha256".to_string(),
            "sha384" => format!("{MORE}sha384"),
            "sha512" => "http://www.w3.org/2001/04/xmlenc#sha512".to_string(),
            "sha3-224" | "sha3-256" | "sha3-384" | "sha3-512" => format!("{MORE07}{h}"),
            _ => return Err(non_supporte("algorithme de signature", uri)),
        };
        let o = oid_empreinte(&d).ok_or_else(|| non_supporte("algorithme de signature", uri))?;
        return pss(o, None);
    }
    if uri == format!("{MORE07}rsa-pss") {
        let d = pss_empreinte.ok_or_else(|| {
            Erreur::new(
                CodeErreur::SignatureMalformee,
                "RSA-PSS sans RSAPSSParams/DigestMethod",
            )
        })?;
        let o = oid_empreinte(d).ok_or_else(|| non_supporte("algorithme d'empreinte", d))?;
        return pss(o, None);
    }
    let o = match uri {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => "1.2.840.113549.1.1.5",
        _ if uri == format!("{MORE}rsa-sha224") => "1.2.840.113549.1.1.14",
        _ if uri == format!("{MORE}rsa-sha256") => "1.2.840.113549.1.1.11",
        _ if uri == format!("{MORE}rsa-sha384") => "1.2.840.113549.1.1.12",
        _ if uri == format!("{MORE}rsa-sha512") => "1.2.840.113549.1.1.13",
        _ if uri == format!("{MORE07}rsa-sha3-224") => "2.16.840.1.101.3.4.3.13",
        _ if uri == format!("{MORE07}rsa-sha3-256") => "2.16.840.1.101.3.4.3.14",
        _ if uri == format!("{MORE07}rsa-sha3-384") => "2.16.840.1.101.3.4.3.15",
        _ if uri == format!("{MORE07}rsa-sha3-512") => "2.16.840.1.101.3.4.3.16",
        _ if uri == format!("{MORE}ecdsa-sha1") => "1.2.840.10045.4.1",
        _ if uri == format!("{MORE}ecdsa-sha224") => "1.2.840.10045.4.3.1",
        _ if uri == format!("{MORE}ecdsa-sha256") => "1.2.840.10045.4.3.2",
        _ if uri == format!("{MORE}ecdsa-sha384") => "1.2.840.10045.4.3.3",
        _ if uri == format!("{MORE}ecdsa-sha512") => "1.2.840.10045.4.3.4",
        _ if uri == format!("{MORE21}ecdsa-sha3-224") => "2.16.840.1.101.3.4.3.9",
        _ if uri == format!("{MORE21}ecdsa-sha3-256") => "2.16.840.1.101.3.4.3.10",
        _ if uri == format!("{MORE21}ecdsa-sha3-384") => "2.16.840.1.101.3.4.3.11",
        _ if uri == format!("{MORE21}ecdsa-sha3-512") => "2.16.840.1.101.3.4.3.12",
        _ if uri == format!("{MORE21}eddsa-ed25519") => "1.3.101.112",
        _ if uri == format!("{MORE21}eddsa-ed448") => "1.3.101.113",
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1" => "1.2.840.10040.4.3",
        "http://www.w3.org/2009/xmldsig11#dsa-sha256" => "2.16.840.1.101.3.4.3.2",
        _ if uri.contains("#hmac-") => {
            // A shared-key MAC names no signer: it is not an electronic signature.
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!("HMAC (clé partagée, sans signataire) non pris en charge : {uri}"),
            ));
        }
        _ => return Err(non_supporte("algorithme de signature", uri)),
    };
    Ok(simple(o))
}

/// The SignatureMethod `uri` as mpe's scheme and digest.
pub(crate) fn methode_signature(
    uri: &str,
    pss_empreinte: Option<&str>,
) -> Result<MethodeSignature> {
    let id = identifiant(uri, pss_empreinte)?;
    let ec = id.oid.to_string().starts_with("1.2.840.10045.4")
        || matches!(
            id.oid.to_string().as_str(),
            "2.16.840.1.101.3.4.3.9"
                | "2.16.840.1.101.3.4.3.10"
                | "2.16.840.1.101.3.4.3.11"
                | "2.16.840.1.101.3.4.3.12"
        );
    let dsa = id.oid.to_string().starts_with("1.2.840.10040")
        || id.oid.to_string() == "2.16.840.1.101.3.4.3.2";
    let (schema, empreinte) =
        super::cms::parse_signature_algorithm(&id, AlgorithmeEmpreinte::Sha256).map_err(
            |e| match e.code() {
                CodeErreur::NonPrisEnCharge | CodeErreur::AlgorithmeNonSupporte => {
                    non_supporte("algorithme de signature", uri)
                }
                _ => e,
            },
        )?;
    Ok(MethodeSignature {
        schema,
        empreinte,
        r_s: ec || dsa,
    })
}

/// An r‖s value (XML-DSig ECDSA) as the DER `Ecdsa-Sig-Value` CMS uses, so that one
/// verifier serves both; any other length is given back unchanged (and fails there).
pub(crate) fn r_s_vers_der(valeur: &[u8]) -> Vec<u8> {
    use der::Encode;
    if valeur.is_empty() || !valeur.len().is_multiple_of(2) {
        return valeur.to_vec();
    }
    let (r, s) = valeur.split_at(valeur.len() / 2);
    // UintRef drops leading zeros and adds the sign byte DER needs.
    let (Ok(r), Ok(s)) = (der::asn1::UintRef::new(r), der::asn1::UintRef::new(s)) else {
        return valeur.to_vec();
    };
    let (Ok(r), Ok(s)) = (r.to_der(), s.to_der()) else {
        return valeur.to_vec();
    };
    let corps = [r, s].concat();
    let mut out = vec![0x30];
    if corps.len() < 0x80 {
        out.push(corps.len() as u8);
    } else {
        let n: Vec<u8> = corps
            .len()
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | n.len() as u8);
        out.extend_from_slice(&n);
    }
    out.extend_from_slice(&corps);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methodes_connues() {
        let m =
            methode_signature("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", None).unwrap();
        assert_eq!(m.schema, SchemaSignature::RsaPkcs1v15);
        assert_eq!(m.empreinte, AlgorithmeEmpreinte::Sha256);
        let m = methode_signature(
            "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
            None,
        )
        .unwrap();
        assert_eq!(m.schema, SchemaSignature::RsaPss);
        assert_eq!(m.empreinte, AlgorithmeEmpreinte::Sha512);
        let m =
            methode_signature("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", None).unwrap();
        assert_eq!(m.schema, SchemaSignature::Ecdsa);
        assert!(m.r_s);
    }

    #[test]
    fn hmac_et_inconnus_non_supportes() {
        for uri in [
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
            "http://example.org/#rot13",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
        ] {
            let e = methode_signature(uri, None).unwrap_err();
            assert_eq!(e.code(), CodeErreur::NonPrisEnCharge, "{uri}");
        }
        assert_eq!(
            empreinte("http://www.w3.org/2001/04/xmldsig-more#md5")
                .unwrap_err()
                .code(),
            CodeErreur::NonPrisEnCharge
        );
    }

    #[test]
    fn r_s_en_der() {
        let mut v = vec![0u8; 64];
        v[0] = 0x80;
        v[63] = 1;
        let d = r_s_vers_der(&v);
        assert_eq!(d[0], 0x30);
        assert_eq!(d[2], 0x02);
        assert_eq!(d[3], 33); // r with a leading zero
        assert_eq!(&d[d.len() - 3..], &[0x02, 0x01, 0x01]);
    }
}
