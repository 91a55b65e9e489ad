//! One `ds:Signature` (XMLDSig core validation): every reference digested, SignedInfo
//! canonicalized, the SignatureValue checked with the signer's key. The XAdES layer
//! (`xades.rs`) adds the signed properties on top.

use uppsala::NodeId;
use x509_cert::Certificate;

use super::algorithmes_xml::{self, MethodeSignature};
use super::c14n;
use super::document_xml::DocumentXml;
use super::reference_xml::{self, Contexte, DS, Externes};
use super::signer::{self, AlgorithmeEmpreinte, SchemaSignature};
use crate::{CodeErreur, Erreur, Result};

const XMLDSIG11: &str = "http://www.w3.org/2009/xmldsig11#";

/// A reference of SignedInfo, checked.
#[derive(Debug)]
pub(crate) struct ReferenceVerifiee {
    pub type_: Option<String>,
    /// The element designated by a same-document URI (`None`: whole document or external).
    pub cible: Option<NodeId>,
}

/// What core validation found.
#[derive(Debug)]
pub(crate) struct VerificationXml {
    pub signature_value: Option<NodeId>,
    pub references: Vec<ReferenceVerifiee>,
    /// Certificates carried by the signature (KeyInfo), in document order.
    pub certs: Vec<Certificate>,
    /// CRLs carried in X509Data.
    pub crls: Vec<Vec<u8>>,
    pub signer: Option<Certificate>,
    /// The signature was verified with a bare public key (KeyValue), without certificate.
    pub cle_sans_certificat: bool,
    pub schema: SchemaSignature,
    pub empreinte: AlgorithmeEmpreinte,
    pub integrity: Result<()>,
    pub crypto: Result<()>,
}

fn malformee(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::SignatureMalformee, m.into())
}

/// Verify one signature element.
pub(crate) fn verifier(
    d: &DocumentXml<'_>,
    sig: NodeId,
    externes: &mut Externes<'_, '_>,
    autres: &[Certificate],
    designer: &dyn Fn(&[Certificate]) -> Option<Certificate>,
) -> Result<VerificationXml> {
    let si = d
        .enfant(sig, DS, "SignedInfo")
        .ok_or_else(|| malformee("SignedInfo absent"))?;
    let cm = d
        .enfant(si, DS, "CanonicalizationMethod")
        .ok_or_else(|| malformee("CanonicalizationMethod absent"))?;
    let sm = d
        .enfant(si, DS, "SignatureMethod")
        .ok_or_else(|| malformee("SignatureMethod absent"))?;
    let sm_uri = d.attribut(sm, "Algorithm").unwrap_or("");
    // An algorithm is named by an absolute URI; anything else is not a signature method.
    let est_uri = sm_uri.split_once(':').is_some_and(|(schema, reste)| {
        !reste.is_empty()
            && schema
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if !est_uri {
        return Err(malformee(format!(
            "SignatureMethod sans URI d'algorithme : « {sm_uri} »"
        )));
    }
    let pss_digest = d
        .enfants(sm)
        .find(|n| d.nom_local(*n) == "RSAPSSParams")
        .and_then(|p| d.enfant(p, DS, "DigestMethod"))
        .and_then(|m| d.attribut(m, "Algorithm"));
    let methode = algorithmes_xml::methode_signature(sm_uri, pss_digest);
    let sv_el = d.enfant(sig, DS, "SignatureValue");

    // KeyInfo: certificates in any order, CRLs, and a bare key as last resort.
    let (certs, crls, cle) = key_info(d, sig);

    // References.
    let refs: Vec<NodeId> = d
        .enfants(si)
        .filter(|n| d.est(*n, DS, "Reference"))
        .collect();
    if refs.is_empty() {
        return Err(malformee("SignedInfo sans référence"));
    }
    let externes_n = refs
        .iter()
        .filter(|r| reference_xml::est_externe(d.attribut(**r, "URI")))
        .count();
    let mut references = vec![];
    let mut integrity: Result<()> = Ok(());
    let mut non_supporte: Option<Erreur> = None;
    let mut premier_alg = None;
    for r in refs {
        let uri = d.attribut(r, "URI").map(str::to_string);
        let type_ = d.attribut(r, "Type").map(str::to_string);
        let cible = match uri.as_deref() {
            Some(u) if u.starts_with('#') => reference_xml::cible(d, u)?,
            _ => None,
        };
        if let Some(t) = cible {
            verifier_emplacement(d, sig, t)?;
        }
        let dm = d
            .enfant(r, DS, "DigestMethod")
            .and_then(|m| d.attribut(m, "Algorithm"))
            .ok_or_else(|| malformee("DigestMethod absent"))?;
        let attendu = d.base64(
            d.enfant(r, DS, "DigestValue")
                .ok_or_else(|| malformee("DigestValue absent"))?,
        )?;
        let calcule = algorithmes_xml::empreinte(dm).and_then(|alg| {
            premier_alg.get_or_insert(alg);
            let mut ctx = Contexte {
                d,
                signature: sig,
                externes,
                anonyme_permis: externes_n == 1,
                une_seule_fois: externes_n == 1,
            };
            reference_xml::empreinte(&mut ctx, r, alg)
        });
        let intacte = match calcule {
            Ok(v) => v == attendu,
            // Data the host did not give, or designated twice: no verdict can be given.
            Err(e)
                if matches!(
                    e.code(),
                    CodeErreur::FichierSigneManquant
                        | CodeErreur::XmlReferenceIntrouvable
                        | CodeErreur::XmlEnveloppement
                        | CodeErreur::XmlDtdInterdite
                        | CodeErreur::LimiteDepassee
                        | CodeErreur::Es
                ) =>
            {
                return Err(e);
            }
            Err(e)
                if matches!(
                    e.code(),
                    CodeErreur::NonPrisEnCharge | CodeErreur::AlgorithmeNonSupporte
                ) =>
            {
                non_supporte.get_or_insert(e);
                false
            }
            Err(e) => {
                if integrity.is_ok() {
                    integrity = Err(e);
                }
                false
            }
        };
        if !intacte && non_supporte.is_none() && integrity.is_ok() {
            integrity = Err(Erreur::new(
                CodeErreur::SignatureIntegrite,
                format!(
                    "l'empreinte de la référence « {} » ne correspond pas",
                    uri.as_deref().unwrap_or("")
                ),
            ));
        }
        references.push(ReferenceVerifiee { type_, cible });
    }

    // SignatureValue.
    let canon = c14n::mode_exige(d.attribut(cm, "Algorithm").unwrap_or(""))
        .and_then(|m| c14n::element(d, si, m, &c14n::prefixes_inclus(d, cm)));
    let valeur = sv_el
        .ok_or_else(|| malformee("SignatureValue absent"))
        .and_then(|n| d.base64(n));
    // Certificates of KeyInfo first, then those found elsewhere or given by the host.
    let mut pool: Vec<Certificate> = certs.clone();
    pool.extend(autres.iter().filter(|c| !certs.contains(c)).cloned());
    let designe = designer(&pool)
        .or_else(|| designe_par_key_info(d, sig, &pool))
        .or_else(|| premier_non_ca(&certs))
        .or_else(|| certs.first().cloned());
    let (schema, empreinte) = methode
        .as_ref()
        .map(|m| (m.schema, m.empreinte))
        .unwrap_or((
            SchemaSignature::RsaPkcs1v15,
            premier_alg.unwrap_or_default(),
        ));
    let mut signer_trouve = None;
    let mut cle_sans_certificat = false;
    let crypto = match (&methode, &canon, &valeur) {
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => Err(e.clone()),
        (Ok(m), Ok(canon), Ok(valeur)) => {
            let valeur = if m.r_s {
                algorithmes_xml::r_s_vers_der(valeur)
            } else {
                valeur.clone()
            };
            // EdDSA signs the canonical SignedInfo itself, the others its digest.
            let essai = |cle: &signer::ClePublique| {
                signer::verifier_message(cle, m.schema, m.empreinte, canon, &valeur)
            };
            // The designated certificate first, then every other one carried or given:
            // the signer is the certificate whose key verifies.
            let mut ordre: Vec<&Certificate> = designe.iter().collect();
            ordre.extend(pool.iter().filter(|c| Some(*c) != designe.as_ref()));
            let mut premier_echec: Option<Erreur> = None;
            for c in ordre {
                let r = signer::public_key(c).and_then(|k| essai(&k));
                match r {
                    Ok(()) => {
                        signer_trouve = Some(c.clone());
                        premier_echec = None;
                        break;
                    }
                    Err(e) => {
                        if premier_echec.is_none() && Some(c) == designe.as_ref() {
                            premier_echec = Some(e);
                        }
                    }
                }
            }
            match (signer_trouve.is_some(), premier_echec, &cle) {
                (true, _, _) => Ok(()),
                (false, _, Some(Ok(k))) if essai(k).is_ok() => {
                    cle_sans_certificat = true;
                    Ok(())
                }
                (false, Some(e), _) => Err(e),
                (false, None, Some(Err(e))) => Err(e.clone()),
                (false, None, Some(Ok(_))) => Err(Erreur::new(
                    CodeErreur::SignatureInvalide,
                    "valeur de signature incorrecte",
                )),
                (false, None, None) => Err(Erreur::new(
                    CodeErreur::CertificatSignataireIntrouvable,
                    "certificat du signataire absent (ni dans KeyInfo, ni parmi ceux fournis)",
                )),
            }
        }
    };
    // A reference mpe cannot compute leaves the signature undetermined, not invalid.
    let crypto = match non_supporte {
        Some(e) if integrity.is_ok() => Err(e),
        _ => crypto,
    };
    Ok(VerificationXml {
        signature_value: sv_el,
        references,
        certs,
        crls,
        signer: signer_trouve.or(if cle_sans_certificat { None } else { designe }),
        cle_sans_certificat,
        schema,
        empreinte,
        integrity,
        crypto,
    })
}

/// A reference into the signature itself must designate what XMLDSig allows there: a
/// `ds:Object` that is a child of this signature (not one moved into a wrapper), or
/// something inside such an object. This is the defence against wrapping attacks that
/// keep the signed object but make the application read another one.
fn verifier_emplacement(d: &DocumentXml<'_>, sig: NodeId, cible: NodeId) -> Result<()> {
    let enveloppement = |m: &str| Erreur::new(CodeErreur::XmlEnveloppement, m.to_string());
    if !d.dans(cible, sig) {
        return Ok(());
    }
    let mut cur = Some(cible);
    while let Some(c) = cur {
        if c == sig {
            break;
        }
        if d.est(c, DS, "Object") && d.doc.parent(c) != Some(sig) {
            return Err(enveloppement(
                "ds:Object signé déplacé hors de la signature (signature wrapping)",
            ));
        }
        cur = d.doc.parent(c);
    }
    Ok(())
}

type CleNue = Option<Result<signer::ClePublique>>;

/// Certificates (base64 DER, any order), CRLs and a bare key (DEREncodedKeyValue) of
/// KeyInfo. Unreadable certificates are skipped (the signer is then not found).
fn key_info(d: &DocumentXml<'_>, sig: NodeId) -> (Vec<Certificate>, Vec<Vec<u8>>, CleNue) {
    let mut certs = vec![];
    let mut crls = vec![];
    let mut cle = None;
    let Some(ki) = d.enfant(sig, DS, "KeyInfo") else {
        return (certs, crls, cle);
    };
    for n in d.elements(ki) {
        if d.est(n, DS, "X509Certificate") {
            if let Some(c) = d.base64(n).ok().and_then(|b| signer::certificat(&b).ok())
                && !certs.contains(&c)
            {
                certs.push(c);
            }
        } else if d.est(n, DS, "X509CRL") {
            if let Ok(b) = d.base64(n) {
                crls.push(b);
            }
        } else if d.est(n, XMLDSIG11, "DEREncodedKeyValue") && cle.is_none() {
            cle = Some(d.base64(n).and_then(|b| cle_spki(&b)));
        } else if d.est(n, DS, "KeyValue") && cle.is_none() {
            cle = Some(cle_valeur(d, n));
        }
    }
    (certs, crls, cle)
}

/// A public key written as KeyValue: RSAKeyValue, or ECKeyValue on P-256 (others are a
/// typed NON_PRIS_EN_CHARGE).
fn cle_valeur(d: &DocumentXml<'_>, kv: NodeId) -> Result<signer::ClePublique> {
    if let Some(rsa_kv) = d.enfant(kv, DS, "RSAKeyValue") {
        let entier = |nom: &str| -> Result<Vec<u8>> {
            d.enfant(rsa_kv, DS, nom)
                .ok_or_else(|| malformee(format!("RSAKeyValue sans {nom}")))
                .and_then(|n| d.base64(n))
        };
        let (n, e) = (entier("Modulus")?, entier("Exponent")?);
        let cle = pkcs1::RsaPublicKey {
            modulus: der::asn1::UintRef::new(&n).map_err(super::asn1::der_err)?,
            public_exponent: der::asn1::UintRef::new(&e).map_err(super::asn1::der_err)?,
        };
        let der = der::Encode::to_der(&cle).map_err(super::asn1::der_err)?;
        use rsa::pkcs1::DecodeRsaPublicKey;
        return rsa::PublicKey::from_pkcs1_der(&der)
            .map(signer::ClePublique::Rsa)
            .map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("RSAKeyValue : {e}")));
    }
    if let Some(ec) = d.enfant(kv, XMLDSIG11, "ECKeyValue") {
        let courbe = d
            .enfant(ec, XMLDSIG11, "NamedCurve")
            .and_then(|c| d.attribut(c, "URI"))
            .unwrap_or("");
        let point = d
            .enfant(ec, XMLDSIG11, "PublicKey")
            .ok_or_else(|| malformee("ECKeyValue sans PublicKey"))
            .and_then(|n| d.base64(n))?;
        let oid = courbe
            .strip_prefix("urn:oid:")
            .and_then(|o| der::asn1::ObjectIdentifier::new(o).ok())
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::AlgorithmeNonSupporte,
                    format!("courbe de ECKeyValue non prise en charge : {courbe}"),
                )
            })?;
        // Written as a SubjectPublicKeyInfo, the key goes through the same decoding as a
        // DEREncodedKeyValue.
        let spki = spki::SubjectPublicKeyInfoOwned {
            algorithm: spki::AlgorithmIdentifierOwned {
                oid: super::asn1::OID_EC_PUBLIC_KEY,
                parameters: Some(der::asn1::Any::encode_from(&oid).map_err(super::asn1::der_err)?),
            },
            subject_public_key: der::asn1::BitString::from_bytes(&point)
                .map_err(super::asn1::der_err)?,
        };
        return cle_spki(&der::Encode::to_der(&spki).map_err(super::asn1::der_err)?);
    }
    Err(Erreur::new(
        CodeErreur::AlgorithmeNonSupporte,
        "KeyValue non pris en charge (RSA et EC seulement)",
    ))
}

/// A public key from its SubjectPublicKeyInfo (RSA, EC P-256/384/521).
fn cle_spki(der_spki: &[u8]) -> Result<signer::ClePublique> {
    use spki::DecodePublicKey;
    if let Ok(k) = rsa::PublicKey::from_public_key_der(der_spki) {
        return Ok(signer::ClePublique::Rsa(k));
    }
    if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(der_spki) {
        return Ok(signer::ClePublique::P256(k));
    }
    if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(der_spki) {
        return Ok(signer::ClePublique::P384(k));
    }
    if let Ok(k) = p521::ecdsa::VerifyingKey::from_public_key_der(der_spki) {
        return Ok(signer::ClePublique::P521(Box::new(k)));
    }
    Err(Erreur::new(
        CodeErreur::AlgorithmeNonSupporte,
        "clé publique de KeyInfo non prise en charge (RSA, EC P-256/384/521)",
    ))
}

/// The certificate KeyInfo names (X509IssuerSerial, X509SKI or X509SubjectName).
fn designe_par_key_info(
    d: &DocumentXml<'_>,
    sig: NodeId,
    pool: &[Certificate],
) -> Option<Certificate> {
    let ki = d.enfant(sig, DS, "KeyInfo")?;
    for n in d.elements(ki) {
        if d.est(n, DS, "X509IssuerSerial") {
            let serie = d
                .enfant(n, DS, "X509SerialNumber")
                .map(|s| d.texte(s).trim().to_string())?;
            if let Some(c) = pool.iter().find(|c| serie_decimale(c) == serie) {
                return Some(c.clone());
            }
        }
        if d.est(n, DS, "X509SKI")
            && let Ok(ski) = d.base64(n)
            && let Some(c) = pool.iter().find(|c| {
                c.tbs_certificate()
                    .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                    .ok()
                    .flatten()
                    .is_some_and(|(_, s)| s.0.as_bytes() == ski.as_slice())
            })
        {
            return Some(c.clone());
        }
    }
    None
}

/// The serial number of a certificate in decimal (as XML-DSig writes it).
pub(crate) fn serie_decimale(c: &Certificate) -> String {
    decimal(c.tbs_certificate().serial_number().as_bytes())
}

/// Big-endian unsigned bytes in decimal.
pub(crate) fn decimal(octets: &[u8]) -> String {
    let mut chiffres: Vec<u8> = vec![0];
    for &b in octets {
        let mut retenue = u32::from(b);
        for c in chiffres.iter_mut() {
            let v = u32::from(*c) * 256 + retenue;
            *c = (v % 10) as u8;
            retenue = v / 10;
        }
        while retenue > 0 {
            chiffres.push((retenue % 10) as u8);
            retenue /= 10;
        }
    }
    while chiffres.len() > 1 && chiffres.last() == Some(&0) {
        chiffres.pop();
    }
    chiffres
        .iter()
        .rev()
        .map(|c| char::from(b'0' + c))
        .collect()
}

/// The first certificate that is not a CA (the end entity, whatever the order).
fn premier_non_ca(certs: &[Certificate]) -> Option<Certificate> {
    certs
        .iter()
        .find(|c| {
            !c.tbs_certificate()
                .get_extension::<x509_cert::ext::pkix::BasicConstraints>()
                .ok()
                .flatten()
                .is_some_and(|(_, b)| b.ca)
        })
        .cloned()
}

/// Methods the caller may want to report.
#[allow(dead_code)]
pub(crate) fn methode(d: &DocumentXml<'_>, sig: NodeId) -> Option<Result<MethodeSignature>> {
    let si = d.enfant(sig, DS, "SignedInfo")?;
    let sm = d.enfant(si, DS, "SignatureMethod")?;
    Some(algorithmes_xml::methode_signature(
        d.attribut(sm, "Algorithm").unwrap_or(""),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_grand_entier() {
        assert_eq!(decimal(&[0x01, 0x00]), "256");
        assert_eq!(decimal(&[0x00]), "0");
        assert_eq!(decimal(&[0x06, 0xE9, 0x36]), "452918");
    }
}
