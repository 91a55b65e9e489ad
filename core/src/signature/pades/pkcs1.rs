//! The legacy SubFilter `adbe.x509.rsa_sha1` (ISO 32000-1 §12.8.3.2, deprecated by PDF 2.0):
//! no CMS, `/Contents` holds the signer's PKCS#1 v1.5 RSA signature over the digest of the
//! `/ByteRange` bytes (a DER OCTET STRING, as Acrobat writes it, or the raw value), and
//! `/Cert` the signer's certificate (a string) or its chain (an array, signer first).
//!
//! The DigestInfo is recovered from the signature with the signer's public key, so the
//! digest is the one the signer used (SHA-1 by the SubFilter's name; Acrobat also wrote
//! SHA-256 and up), and each failure is told apart: a DigestInfo over other bytes is
//! HASH_FAILURE, a value the key does not open is SIG_CRYPTO_FAILURE, a layout or digest
//! mpe does not know is a typed NON_PRIS_EN_CHARGE.

use der::Decode;
use der::asn1::OctetString;
use lopdf::{Dictionary, Object};
use rsa::traits::PublicKeyParts;
use x509_cert::Certificate;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::lecteur::Etat;
use crate::signature::signer::{self, AlgorithmeEmpreinte, ClePublique, Hasher, SchemaSignature};
use crate::signature::verification_cms::CmsCheck;
use crate::{CodeErreur, Erreur, Result};

/// The SubFilter this module verifies.
pub(super) const SUB_FILTER: &[u8] = b"adbe.x509.rsa_sha1";

/// PKCS#1 v1.5 `DigestInfo` (RFC 8017 §9.2).
#[derive(der::Sequence)]
struct DigestInfo {
    algorithme: AlgorithmIdentifierOwned,
    empreinte: OctetString,
}

fn non_supporte(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::NonPrisEnCharge, m)
}

fn malforme(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::SignatureMalformee, m)
}

/// The certificates of `/Cert` as written (a string, or an array of strings).
fn certificats(etat: &Etat<'_, '_>, dict: &Dictionary) -> Result<Vec<Vec<u8>>> {
    let Ok(cert) = dict.get(b"Cert") else {
        return Ok(vec![]);
    };
    let cert = etat.resoudre(cert)?;
    let chaine = |o: &Object| match o {
        Object::String(s, _) => Ok(s.clone()),
        _ => Err(malforme("/Cert : certificat qui n'est pas une chaîne")),
    };
    match cert.as_ref() {
        Object::Array(a) => a
            .iter()
            .map(|x| etat.resoudre(x).and_then(|x| chaine(x.as_ref())))
            .collect(),
        autre => Ok(vec![chaine(autre)?]),
    }
}

/// The signature value in `/Contents`: a DER OCTET STRING of the modulus' length, else
/// the raw value of that length; what follows may only be the zero padding.
fn valeur_signature(contents: &[u8], k: usize) -> Option<&[u8]> {
    let padding_seul = |reste: &[u8]| reste.iter().all(|b| *b == 0);
    if contents.first() == Some(&0x04)
        && let Some(fin) = super::verification::fin_ber(contents, 0, 0)
        && let Some(tlv) = contents.get(..fin)
        && let Ok(o) = OctetString::from_der(tlv)
        && o.as_bytes().len() == k
        && padding_seul(contents.get(fin..).unwrap_or_default())
    {
        return contents.get(fin.checked_sub(k)?..fin);
    }
    // A complete DER element shorter than the key, then padding, is a structure (a CMS
    // under the wrong SubFilter, say), not a raw RSA value.
    if let Some(fin) = super::verification::fin_ber(contents, 0, 0)
        && fin < k
        && padding_seul(contents.get(fin..).unwrap_or_default())
    {
        return None;
    }
    let (valeur, reste) = contents.split_at_checked(k)?;
    padding_seul(reste).then_some(valeur)
}

/// What the key's public operation makes of the signature: the DigestInfo when the block
/// is PKCS#1 v1.5 type 1 (`00 01 FF…FF 00 DigestInfo`, at least 8 bytes of FF), `None`
/// when the key does not open it.
fn digest_info(cle: &rsa::PublicKey, sig: &[u8]) -> Option<Vec<u8>> {
    let k = cle.size();
    if sig.len() != k {
        return None;
    }
    let s = rsa::BoxedUint::from_be_slice(sig, cle.n_bits_precision()).ok()?;
    if s >= *cle.n().as_ref() {
        return None;
    }
    let m = rsa::hazmat::rsa_encrypt(cle, &s).ok()?;
    let octets = m.to_be_bytes();
    let (zeros, em) = octets.split_at_checked(octets.len().checked_sub(k)?)?;
    if zeros.iter().any(|b| *b != 0) {
        return None;
    }
    let corps = em.strip_prefix(&[0x00, 0x01])?;
    let ff = corps.iter().take_while(|b| **b == 0xFF).count();
    if ff < 8 {
        return None;
    }
    corps.get(ff..)?.strip_prefix(&[0x00]).map(<[u8]>::to_vec)
}

/// Verify an `adbe.x509.rsa_sha1` signature over `plages` (the two `/ByteRange` parts).
pub(super) fn verifier(
    etat: &Etat<'_, '_>,
    dict: &Dictionary,
    contents: &[u8],
    plages: [&[u8]; 2],
) -> Result<CmsCheck> {
    let certs_der = certificats(etat, dict)?;
    let mut certs = vec![];
    for c in &certs_der {
        certs.push(
            Certificate::from_der(c)
                .map_err(|e| malforme(format!("/Cert : certificat illisible ({e})")))?,
        );
    }
    let mut check = CmsCheck {
        signer: None,
        certs: certs.clone(),
        digest_alg: AlgorithmeEmpreinte::Sha1,
        scheme: SchemaSignature::RsaPkcs1v15,
        integrity: Ok(()),
        crypto: Ok(()),
        signing_time: None,
        signing_cert_v2: None,
        timestamp: None,
        contre_signatures: vec![],
        crls: vec![],
        certs_der,
    };
    if certs.is_empty() {
        check.crypto = Err(Erreur::new(
            CodeErreur::CertificatSignataireIntrouvable,
            "adbe.x509.rsa_sha1 sans certificat /Cert",
        ));
        return Ok(check);
    }
    // The signer is the certificate whose RSA key opens the value (the first, normally).
    let mut vu_rsa = false;
    let mut disposition_connue = false;
    let mut ouverte = None;
    for c in &certs {
        let Ok(ClePublique::Rsa(cle)) = signer::public_key(c) else {
            continue;
        };
        vu_rsa = true;
        let Some(valeur) = valeur_signature(contents, cle.size()) else {
            continue;
        };
        disposition_connue = true;
        if let Some(di) = digest_info(&cle, valeur) {
            ouverte = Some((c.clone(), di));
            break;
        }
    }
    let (signataire, di) = match ouverte {
        Some(x) => x,
        None => {
            check.signer = certs.first().cloned();
            check.crypto = Err(if !vu_rsa {
                Erreur::new(
                    CodeErreur::AlgorithmeNonSupporte,
                    "adbe.x509.rsa_sha1 : aucun certificat /Cert à clé RSA",
                )
            } else if !disposition_connue {
                non_supporte(
                    "adbe.x509.rsa_sha1 : /Contents n'est ni une OCTET STRING ni une valeur \
                     RSA de la taille de la clé",
                )
            } else {
                Erreur::new(
                    CodeErreur::SignatureInvalide,
                    "adbe.x509.rsa_sha1 : la clé du certificat n'ouvre pas la valeur de signature",
                )
            });
            return Ok(check);
        }
    };
    check.signer = Some(signataire);
    // A block that opens but is no DER DigestInfo is not a PKCS#1 v1.5 signature either.
    let Ok(di) = DigestInfo::from_der(&di) else {
        check.crypto = Err(Erreur::new(
            CodeErreur::SignatureInvalide,
            "adbe.x509.rsa_sha1 : DigestInfo illisible dans la valeur de signature",
        ));
        return Ok(check);
    };
    let alg = match AlgorithmeEmpreinte::from_oid(&di.algorithme.oid) {
        Ok(a) => a,
        Err(e) => {
            check.crypto = Err(e);
            return Ok(check);
        }
    };
    check.digest_alg = alg;
    let mut h = Hasher::new(alg);
    for p in plages {
        h.update(p);
    }
    if h.finish() != di.empreinte.as_bytes() {
        check.integrity = Err(Erreur::new(
            CodeErreur::SignatureIntegrite,
            "l'empreinte signée ne correspond pas aux octets de /ByteRange",
        ));
    }
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valeur_enveloppee_brute_ou_inconnue() {
        let v = [7u8; 4];
        // OCTET STRING then zero padding.
        assert_eq!(valeur_signature(&[4, 4, 7, 7, 7, 7, 0, 0], 4), Some(&v[..]));
        // Raw value then padding.
        assert_eq!(valeur_signature(&[7, 7, 7, 7, 0, 0], 4), Some(&v[..]));
        // Something else after the value: not a layout mpe knows.
        assert_eq!(valeur_signature(&[7, 7, 7, 7, 1], 4), None);
        assert_eq!(valeur_signature(&[4, 4, 7, 7, 7, 7, 9], 4), None);
        // Too short.
        assert_eq!(valeur_signature(&[7, 7], 4), None);
        // A short DER structure then padding: not a raw value.
        assert_eq!(valeur_signature(&[0x30, 1, 5, 0, 0, 0], 4), None);
    }
}
