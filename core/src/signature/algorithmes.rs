//! Signature algorithm identifiers (RFC 3279, 4055, 5754, 5758, 8419, NIST SHA-3 OIDs,
//! BSI TR-03111 "plain" ECDSA) to the scheme and digest mpe verifies with, and back. CMS
//! SignerInfos, certificates and CRLs share this table; an identifier mpe does not know is
//! a typed [`CodeErreur::AlgorithmeNonSupporte`] naming it (INDÉTERMINÉ, never INVALIDE).

use der::asn1::{Any, ObjectIdentifier};
use spki::AlgorithmIdentifierOwned;

use super::asn1::{self, der_err};
use super::signer::{AlgorithmeEmpreinte, SchemaSignature};
use crate::{CodeErreur, Erreur, Result};

use AlgorithmeEmpreinte as A;
use SchemaSignature as S;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// (OID, scheme, digest). RSA PKCS#1 v1.5, ECDSA (X9.62 and SHA-3), plain ECDSA (BSI).
const TABLE: &[(ObjectIdentifier, SchemaSignature, AlgorithmeEmpreinte)] = &[
    (oid("1.2.840.113549.1.1.5"), S::RsaPkcs1v15, A::Sha1),
    (oid("1.2.840.113549.1.1.14"), S::RsaPkcs1v15, A::Sha224),
    (asn1::OID_RSA_SHA256, S::RsaPkcs1v15, A::Sha256),
    (asn1::OID_RSA_SHA384, S::RsaPkcs1v15, A::Sha384),
    (asn1::OID_RSA_SHA512, S::RsaPkcs1v15, A::Sha512),
    (oid("2.16.840.1.101.3.4.3.14"), S::RsaPkcs1v15, A::Sha3_256),
    (oid("2.16.840.1.101.3.4.3.15"), S::RsaPkcs1v15, A::Sha3_384),
    (oid("2.16.840.1.101.3.4.3.16"), S::RsaPkcs1v15, A::Sha3_512),
    (oid("1.2.840.10045.4.1"), S::Ecdsa, A::Sha1),
    (oid("1.2.840.10045.4.3.1"), S::Ecdsa, A::Sha224),
    (asn1::OID_ECDSA_SHA256, S::Ecdsa, A::Sha256),
    (asn1::OID_ECDSA_SHA384, S::Ecdsa, A::Sha384),
    (asn1::OID_ECDSA_SHA512, S::Ecdsa, A::Sha512),
    (oid("2.16.840.1.101.3.4.3.10"), S::Ecdsa, A::Sha3_256),
    (oid("2.16.840.1.101.3.4.3.11"), S::Ecdsa, A::Sha3_384),
    (oid("2.16.840.1.101.3.4.3.12"), S::Ecdsa, A::Sha3_512),
    // BSI TR-03111 ecdsa-plain-SHA*: the value is r‖s, read like DER by the verifier.
    (oid("0.4.0.127.0.7.1.1.4.1.1"), S::Ecdsa, A::Sha1),
    (oid("0.4.0.127.0.7.1.1.4.1.2"), S::Ecdsa, A::Sha224),
    (oid("0.4.0.127.0.7.1.1.4.1.3"), S::Ecdsa, A::Sha256),
    (oid("0.4.0.127.0.7.1.1.4.1.4"), S::Ecdsa, A::Sha384),
    (oid("0.4.0.127.0.7.1.1.4.1.5"), S::Ecdsa, A::Sha512),
    (oid("0.4.0.127.0.7.1.1.4.1.9"), S::Ecdsa, A::Sha3_256),
    (oid("0.4.0.127.0.7.1.1.4.1.10"), S::Ecdsa, A::Sha3_384),
    (oid("0.4.0.127.0.7.1.1.4.1.11"), S::Ecdsa, A::Sha3_512),
];

/// Known but not implemented: named in the error.
const CONNUS: &[(ObjectIdentifier, &str)] = &[
    (oid("1.2.840.10040.4.3"), "DSA avec SHA-1"),
    (oid("2.16.840.1.101.3.4.3.1"), "DSA avec SHA-224"),
    (oid("2.16.840.1.101.3.4.3.2"), "DSA avec SHA-256"),
    (oid("1.2.840.10040.4.1"), "DSA"),
    (oid("1.2.840.113549.1.1.4"), "RSA avec MD5"),
    (oid("1.2.840.113549.1.1.2"), "RSA avec MD2"),
    (oid("1.2.643.2.2.3"), "GOST R 34.10-2001"),
];

fn non_supporte(what: String) -> Erreur {
    Erreur::new(
        CodeErreur::AlgorithmeNonSupporte,
        format!("algorithme de signature non pris en charge : {what}"),
    )
}

/// Scheme and digest of a signature algorithm identifier. `digest` is the SignerInfo's
/// digest algorithm, used when the identifier names only the key type (rsaEncryption,
/// id-ecPublicKey: what many signers write).
pub(crate) fn lire(
    sig: &AlgorithmIdentifierOwned,
    digest: AlgorithmeEmpreinte,
) -> Result<(SchemaSignature, AlgorithmeEmpreinte)> {
    if let Some((_, s, d)) = TABLE.iter().find(|(o, _, _)| *o == sig.oid) {
        return Ok((*s, *d));
    }
    match sig.oid {
        asn1::OID_RSA_ENCRYPTION => Ok((S::RsaPkcs1v15, digest)),
        asn1::OID_EC_PUBLIC_KEY => Ok((S::Ecdsa, digest)),
        asn1::OID_ED25519 => Ok((S::Ed25519, A::Sha512)),
        asn1::OID_ED448 => Ok((S::Ed448, A::Sha512)),
        asn1::OID_RSA_PSS => lire_pss(sig),
        // A curve or a key type where a signature algorithm belongs: the structure is
        // wrong, not an algorithm mpe lacks.
        asn1::OID_P256
        | asn1::OID_P384
        | asn1::OID_P521
        | asn1::OID_BRAINPOOL_P256R1
        | asn1::OID_BRAINPOOL_P384R1
        | asn1::OID_BRAINPOOL_P512R1 => Err(Erreur::new(
            CodeErreur::SignatureMalformee,
            format!(
                "identifiant de courbe elliptique {} à la place d'un algorithme de signature",
                sig.oid
            ),
        )),
        other => Err(non_supporte(
            CONNUS
                .iter()
                .find(|(o, _)| *o == other)
                .map(|(_, n)| format!("{n} ({other})"))
                .unwrap_or_else(|| other.to_string()),
        )),
    }
}

/// RSASSA-PSS parameters (RFC 4055, 3.1): absent fields take their defaults (SHA-1, MGF1
/// with SHA-1, salt 20). The salt length is read from the signature when verifying; the
/// MGF1 digest must be the hash (what the `rsa` crate implements), else unsupported.
fn lire_pss(sig: &AlgorithmIdentifierOwned) -> Result<(SchemaSignature, AlgorithmeEmpreinte)> {
    let params: asn1::RsaPssParams = match &sig.parameters {
        None => asn1::RsaPssParams {
            hash_algorithm: None,
            mask_gen_algorithm: None,
            salt_length: None,
        },
        Some(p) => p.decode_as().map_err(der_err)?,
    };
    let h = match params.hash_algorithm {
        None => A::Sha1,
        Some(a) => AlgorithmeEmpreinte::from_oid(&a.oid)?,
    };
    let mgf_hash = match params.mask_gen_algorithm {
        None => A::Sha1,
        Some(m) if m.oid == asn1::OID_MGF1 => match m.parameters {
            None => A::Sha1,
            Some(p) => {
                let a: AlgorithmIdentifierOwned = p.decode_as().map_err(der_err)?;
                AlgorithmeEmpreinte::from_oid(&a.oid)?
            }
        },
        Some(m) => return Err(non_supporte(format!("RSA-PSS avec la MGF {}", m.oid))),
    };
    if mgf_hash != h {
        return Err(non_supporte(format!(
            "RSA-PSS avec l'empreinte {h:?} et MGF1 {mgf_hash:?}"
        )));
    }
    Ok((S::RsaPss, h))
}

/// The identifier to write for a scheme and digest.
pub(crate) fn ecrire(
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
) -> Result<AlgorithmIdentifierOwned> {
    match scheme {
        S::RsaPss => {
            let mgf = AlgorithmIdentifierOwned {
                oid: asn1::OID_MGF1,
                parameters: Some(Any::encode_from(&alg.algorithm_identifier()).map_err(der_err)?),
            };
            let params = asn1::RsaPssParams {
                hash_algorithm: Some(alg.algorithm_identifier()),
                mask_gen_algorithm: Some(mgf),
                salt_length: Some(u32::try_from(alg.taille()).unwrap_or(32)),
            };
            Ok(AlgorithmIdentifierOwned {
                oid: asn1::OID_RSA_PSS,
                parameters: Some(Any::encode_from(&params).map_err(der_err)?),
            })
        }
        S::Ed25519 => Ok(AlgorithmIdentifierOwned {
            oid: asn1::OID_ED25519,
            parameters: None,
        }),
        S::Ed448 => Ok(AlgorithmIdentifierOwned {
            oid: asn1::OID_ED448,
            parameters: None,
        }),
        S::RsaPkcs1v15 | S::Ecdsa => {
            let (o, _, _) = TABLE
                .iter()
                .find(|(_, s, d)| *s == scheme && *d == alg)
                .ok_or_else(|| non_supporte(format!("{scheme:?} avec {alg:?}")))?;
            Ok(AlgorithmIdentifierOwned {
                oid: *o,
                // RFC 4055: NULL parameters for RSA; RFC 5758, 3.2: absent for ECDSA.
                parameters: (scheme == S::RsaPkcs1v15).then(Any::null),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aller_retour() {
        for s in [S::RsaPkcs1v15, S::RsaPss, S::Ecdsa] {
            for d in super::super::signer::EMPREINTES {
                let id = ecrire(s, d).unwrap();
                assert_eq!(lire(&id, A::Sha256).unwrap(), (s, d), "{s:?} {d:?}");
            }
        }
        let dsa = AlgorithmIdentifierOwned {
            oid: oid("1.2.840.10040.4.3"),
            parameters: None,
        };
        let e = lire(&dsa, A::Sha256).unwrap_err();
        assert_eq!(e.code(), CodeErreur::AlgorithmeNonSupporte);
        assert!(e.message().contains("DSA"), "{e}");
    }

    #[test]
    fn pss_par_defaut_sha1_et_mgf_differente() {
        let id = AlgorithmIdentifierOwned {
            oid: asn1::OID_RSA_PSS,
            parameters: None,
        };
        assert_eq!(lire(&id, A::Sha256).unwrap(), (S::RsaPss, A::Sha1));
        let mgf = AlgorithmIdentifierOwned {
            oid: asn1::OID_MGF1,
            parameters: Some(Any::encode_from(&A::Sha1.algorithm_identifier()).unwrap()),
        };
        let p = asn1::RsaPssParams {
            hash_algorithm: Some(A::Sha256.algorithm_identifier()),
            mask_gen_algorithm: Some(mgf),
            salt_length: None,
        };
        let id = AlgorithmIdentifierOwned {
            oid: asn1::OID_RSA_PSS,
            parameters: Some(Any::encode_from(&p).unwrap()),
        };
        assert_eq!(
            lire(&id, A::Sha256).unwrap_err().code(),
            CodeErreur::AlgorithmeNonSupporte
        );
    }
}
