//! What opens an envelope: a private key (in memory, or on a token that never lets it
//! out), a key-encryption key given by the host with its identifier, or a password.
//!
//! A private key is seen through [`Dechiffreur`], the two operations a recipient needs —
//! RSA decryption of a transported key, and ECDH with the originator's ephemeral key — so a
//! PKCS#11 token implements it as well as a key file ([`CleDechiffrement`]) or a
//! [`BiCle`]. Without a certificate the recipient is matched from the public key
//! (subject key identifier) or, failing that, by trying the recipients of the key's type.
//!
//! ```
//! use mpe::crypto::dechiffreur::{CleDechiffrement, Courbe};
//! let cle = CleDechiffrement::generer_ec(Courbe::P256).unwrap();
//! let pem = cle.exporter_pkcs8_pem(None).unwrap();
//! let relue = CleDechiffrement::charger(pem.as_bytes(), None).unwrap();
//! assert_eq!(relue.courbe(), Some(Courbe::P256));
//! ```

use der::asn1::{BitString, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::{Deserialize, Serialize};
use sha1::Digest;
use spki::{AlgorithmIdentifierOwned, EncodePublicKey, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;

use crate::crypto::bicle::{BiCle, PrivateKey, load_certificates};
use crate::crypto::pem;
use crate::{CodeErreur, Erreur, Result};

pub(crate) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(crate) const ID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
pub(crate) const ID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A hash function named by a CMS algorithm identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Hachage {
    /// SHA-1 (still the default of RSA-OAEP and of the oldest KDFs).
    #[serde(rename = "SHA-1")]
    Sha1,
    /// SHA-224.
    #[serde(rename = "SHA-224")]
    Sha224,
    /// SHA-256.
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl Hachage {
    /// The hash of a digest algorithm OID, if mpe knows it.
    pub fn de_oid(oid: &ObjectIdentifier) -> Option<Hachage> {
        Some(match oid.to_string().as_str() {
            "1.3.14.3.2.26" => Hachage::Sha1,
            "2.16.840.1.101.3.4.2.4" => Hachage::Sha224,
            "2.16.840.1.101.3.4.2.1" => Hachage::Sha256,
            "2.16.840.1.101.3.4.2.2" => Hachage::Sha384,
            "2.16.840.1.101.3.4.2.3" => Hachage::Sha512,
            _ => return None,
        })
    }

    /// The OID of the hash.
    pub fn oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self {
            Hachage::Sha1 => "1.3.14.3.2.26",
            Hachage::Sha224 => "2.16.840.1.101.3.4.2.4",
            Hachage::Sha256 => "2.16.840.1.101.3.4.2.1",
            Hachage::Sha384 => "2.16.840.1.101.3.4.2.2",
            Hachage::Sha512 => "2.16.840.1.101.3.4.2.3",
        })
    }

    /// Hash of the concatenation of `parts`.
    pub(crate) fn hacher(self, parts: &[&[u8]]) -> Vec<u8> {
        fn h<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            Hachage::Sha1 => h::<sha1::Sha1>(parts),
            Hachage::Sha224 => h::<sha2::Sha224>(parts),
            Hachage::Sha256 => h::<sha2::Sha256>(parts),
            Hachage::Sha384 => h::<sha2::Sha384>(parts),
            Hachage::Sha512 => h::<sha2::Sha512>(parts),
        }
    }
}

/// How an RSA recipient's key was transported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaRsa {
    /// RSAES-PKCS1-v1_5.
    Pkcs1v15,
    /// RSAES-OAEP with its hash, MGF1 hash and label (usually empty).
    Oaep {
        /// Hash of the label.
        hachage: Hachage,
        /// Hash of MGF1.
        mgf: Hachage,
        /// The label (pSourceFunc pSpecified).
        etiquette: Vec<u8>,
    },
}

/// The curves of key agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Courbe {
    /// NIST P-256 (secp256r1).
    #[serde(rename = "P-256")]
    P256,
    /// NIST P-384 (secp384r1).
    #[serde(rename = "P-384")]
    P384,
    /// NIST P-521 (secp521r1).
    #[serde(rename = "P-521")]
    P521,
    /// X25519 (RFC 7748, RFC 8418 in CMS).
    #[serde(rename = "X25519")]
    X25519,
    /// X448 (recognised; no maintained crate of this generation: `NON_PRIS_EN_CHARGE`).
    #[serde(rename = "X448")]
    X448,
}

impl Courbe {
    /// The curve of a `SubjectPublicKeyInfo`'s algorithm, if it is one.
    pub(crate) fn de_algorithme(alg: &AlgorithmIdentifierOwned) -> Option<Courbe> {
        if alg.oid == ID_X25519 {
            return Some(Courbe::X25519);
        }
        if alg.oid == ID_X448 {
            return Some(Courbe::X448);
        }
        if alg.oid != ID_EC_PUBLIC_KEY {
            return None;
        }
        let c: ObjectIdentifier = alg.parameters.as_ref()?.decode_as().ok()?;
        match c {
            c if c == SECP256R1 => Some(Courbe::P256),
            c if c == SECP384R1 => Some(Courbe::P384),
            c if c == SECP521R1 => Some(Courbe::P521),
            _ => None,
        }
    }

    /// The `SubjectPublicKeyInfo` algorithm of a key on this curve.
    pub(crate) fn algorithme(self) -> Result<AlgorithmIdentifierOwned> {
        let ec = |c: ObjectIdentifier| -> Result<AlgorithmIdentifierOwned> {
            Ok(AlgorithmIdentifierOwned {
                oid: ID_EC_PUBLIC_KEY,
                parameters: Some(Any::encode_from(&c).map_err(interne)?),
            })
        };
        match self {
            Courbe::P256 => ec(SECP256R1),
            Courbe::P384 => ec(SECP384R1),
            Courbe::P521 => ec(SECP521R1),
            Courbe::X25519 => Ok(AlgorithmIdentifierOwned {
                oid: ID_X25519,
                parameters: None,
            }),
            Courbe::X448 => Ok(AlgorithmIdentifierOwned {
                oid: ID_X448,
                parameters: None,
            }),
        }
    }
}

fn interne(e: impl std::fmt::Display) -> Erreur {
    Erreur::internal(format!("encodage de clé : {e}"))
}

/// A private key able to open envelopes, wherever it is kept.
pub trait Dechiffreur {
    /// The certificate of the key, if known: recipients are matched by it.
    fn certificat(&self) -> Option<&Certificate>;

    /// The public key (`SubjectPublicKeyInfo`): recipients identified by a subject key
    /// identifier are matched from it, and it says which recipient types the key opens.
    fn cle_publique(&self) -> Result<SubjectPublicKeyInfoOwned>;

    /// Decrypt a transported content-encryption key (RSA).
    fn dechiffrer_rsa(&self, schema: &SchemaRsa, chiffre: &[u8]) -> Result<Vec<u8>>;

    /// ECDH with the originator's public key (an uncompressed or compressed SEC1 point on a
    /// NIST curve, 32 bytes for X25519): the shared secret Z.
    fn accord_de_cle(&self, publique: &[u8]) -> Result<Vec<u8>>;
}

/// An asymmetric private key of one of the kinds CMS recipients use.
#[derive(Clone)]
#[non_exhaustive]
pub enum CleAsymetrique {
    /// RSA (key transport).
    Rsa(rsa::PrivateKey),
    /// ECDH P-256.
    P256(p256::SecretKey),
    /// ECDH P-384.
    P384(p384::SecretKey),
    /// ECDH P-521.
    P521(p521::SecretKey),
    /// X25519.
    X25519(x25519_dalek::StaticSecret),
}

impl std::fmt::Debug for CleAsymetrique {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str(match self {
            CleAsymetrique::Rsa(_) => "CleAsymetrique::Rsa(..)",
            CleAsymetrique::P256(_) => "CleAsymetrique::P256(..)",
            CleAsymetrique::P384(_) => "CleAsymetrique::P384(..)",
            CleAsymetrique::P521(_) => "CleAsymetrique::P521(..)",
            CleAsymetrique::X25519(_) => "CleAsymetrique::X25519(..)",
        })
    }
}

/// A decryption key from a file, with its certificate when there is one.
#[derive(Debug, Clone)]
pub struct CleDechiffrement {
    cle: CleAsymetrique,
    certificat: Option<Certificate>,
}

fn cle_invalide(quoi: &str, e: impl std::fmt::Display) -> Erreur {
    Erreur::new(CodeErreur::CleInvalide, format!("{quoi} illisible : {e}"))
}

fn non_pris(quoi: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::NonPrisEnCharge, quoi.into())
}

impl CleDechiffrement {
    /// A key without certificate.
    pub fn new(cle: CleAsymetrique) -> CleDechiffrement {
        CleDechiffrement {
            cle,
            certificat: None,
        }
    }

    /// Attach the certificate of the key (checked to match).
    pub fn avec_certificat(mut self, certificat: Certificate) -> Result<CleDechiffrement> {
        let spki = self.cle_publique()?.to_der().map_err(interne)?;
        let du_cert = certificat
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(interne)?;
        if spki != du_cert {
            return Err(Erreur::new(
                CodeErreur::CleInvalide,
                "la clé privée ne correspond pas au certificat",
            ));
        }
        self.certificat = Some(certificat);
        Ok(self)
    }

    /// The key.
    pub fn cle(&self) -> &CleAsymetrique {
        &self.cle
    }

    /// The curve of an EC key (`None` for RSA).
    pub fn courbe(&self) -> Option<Courbe> {
        match &self.cle {
            CleAsymetrique::Rsa(_) => None,
            CleAsymetrique::P256(_) => Some(Courbe::P256),
            CleAsymetrique::P384(_) => Some(Courbe::P384),
            CleAsymetrique::P521(_) => Some(Courbe::P521),
            CleAsymetrique::X25519(_) => Some(Courbe::X25519),
        }
    }

    /// Load a private key from PEM or DER — PKCS#8 (RSA, EC P-256/384/521, X25519),
    /// encrypted PKCS#8 with `mot_de_passe`, PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE
    /// KEY` — or a PKCS#12 with its password. A certificate in the same PEM text (or the
    /// PKCS#12) is attached when it matches the key.
    pub fn charger(donnees: &[u8], mot_de_passe: Option<&str>) -> Result<CleDechiffrement> {
        if let Some(blocs) = pem::parse_all(donnees)? {
            let mut cle = None;
            for (label, der) in &blocs {
                let c = match label.as_str() {
                    "PRIVATE KEY" => de_pkcs8(der)?,
                    "ENCRYPTED PRIVATE KEY" => {
                        let mdp = mot_de_passe.ok_or_else(|| {
                            Erreur::new(
                                CodeErreur::MotDePasseIncorrect,
                                "clé privée chiffrée : un mot de passe est nécessaire",
                            )
                        })?;
                        let enc = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der)
                            .map_err(|e| cle_invalide("clé PKCS#8 chiffrée", e))?;
                        let clair = crate::crypto::pkcs12::pbe_decrypt(
                            &enc.encryption_algorithm,
                            mdp,
                            enc.encrypted_data.as_bytes(),
                        )?;
                        de_pkcs8(&clair)?
                    }
                    "RSA PRIVATE KEY" => CleAsymetrique::Rsa(
                        <rsa::PrivateKey as pkcs1::DecodeRsaPrivateKey>::from_pkcs1_der(der)
                            .map_err(|e| cle_invalide("clé RSA PKCS#1", e))?,
                    ),
                    "EC PRIVATE KEY" => de_sec1(der)?,
                    _ => continue,
                };
                cle = Some(c);
                break;
            }
            let cle = cle.ok_or_else(|| {
                Erreur::new(
                    CodeErreur::CleInvalide,
                    "aucune clé privée dans ce texte PEM",
                )
            })?;
            let mut out = CleDechiffrement::new(cle);
            if blocs.iter().any(|(l, _)| l == "CERTIFICATE") {
                for c in load_certificates(donnees)? {
                    if let Ok(avec) = out.clone().avec_certificat(c) {
                        out = avec;
                        break;
                    }
                }
            }
            return Ok(out);
        }
        // DER: PKCS#8, then SEC1, PKCS#1, finally PKCS#12.
        if let Ok(c) = de_pkcs8(donnees) {
            return Ok(CleDechiffrement::new(c));
        }
        if let Ok(c) = de_sec1(donnees) {
            return Ok(CleDechiffrement::new(c));
        }
        if let Ok(k) = <rsa::PrivateKey as pkcs1::DecodeRsaPrivateKey>::from_pkcs1_der(donnees) {
            return Ok(CleDechiffrement::new(CleAsymetrique::Rsa(k)));
        }
        let (pkcs8, certs) =
            crate::crypto::pkcs12::pkcs12_brut(donnees, mot_de_passe.unwrap_or(""))?;
        let mut out = CleDechiffrement::new(de_pkcs8(&pkcs8)?);
        for c in certs {
            if let Ok(avec) = out.clone().avec_certificat(c) {
                out = avec;
                break;
            }
        }
        Ok(out)
    }

    /// A new EC key pair for envelopes (P-256, P-384, P-521 or X25519).
    pub fn generer_ec(courbe: Courbe) -> Result<CleDechiffrement> {
        use p256::elliptic_curve::Generate;
        let mut rng = rand::rng();
        let cle = match courbe {
            Courbe::P256 => CleAsymetrique::P256(p256::SecretKey::generate_from_rng(&mut rng)),
            Courbe::P384 => CleAsymetrique::P384(p384::SecretKey::generate_from_rng(&mut rng)),
            Courbe::P521 => CleAsymetrique::P521(p521::SecretKey::generate_from_rng(&mut rng)),
            Courbe::X25519 => {
                CleAsymetrique::X25519(x25519_dalek::StaticSecret::random_from_rng(&mut rng))
            }
            Courbe::X448 => return Err(non_pris("X448 : aucune implémentation disponible")),
        };
        Ok(CleDechiffrement::new(cle))
    }

    /// The DER PKCS#8 `PrivateKeyInfo` (unencrypted; handle with care).
    pub fn pkcs8_der(&self) -> Result<Vec<u8>> {
        let r = match &self.cle {
            CleAsymetrique::Rsa(k) => k.to_pkcs8_der(),
            CleAsymetrique::P256(k) => k.to_pkcs8_der(),
            CleAsymetrique::P384(k) => k.to_pkcs8_der(),
            CleAsymetrique::P521(k) => k.to_pkcs8_der(),
            CleAsymetrique::X25519(k) => {
                // RFC 8410: privateKey is an OCTET STRING holding the 32-byte OCTET STRING.
                let interne_ = OctetString::new(k.to_bytes().to_vec())
                    .and_then(|o| o.to_der())
                    .map_err(interne)?;
                let info = pkcs8::PrivateKeyInfoRef::new(
                    pkcs8::AlgorithmIdentifierRef {
                        oid: ID_X25519,
                        parameters: None,
                    },
                    der::asn1::OctetStringRef::new(&interne_).map_err(interne)?,
                );
                return info.to_der().map_err(interne);
            }
        };
        r.map(|d| d.as_bytes().to_vec()).map_err(interne)
    }

    /// PEM PKCS#8, encrypted (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256) with a password.
    pub fn exporter_pkcs8_pem(&self, mot_de_passe: Option<&str>) -> Result<String> {
        let der = self.pkcs8_der()?;
        match mot_de_passe {
            None => Ok(pem::encode("PRIVATE KEY", &der)),
            Some(mdp) => {
                let enc = crate::crypto::pkcs12::encrypt_pkcs8(&der, mdp)?;
                Ok(pem::encode("ENCRYPTED PRIVATE KEY", &enc))
            }
        }
    }

    /// The certificate, if one was attached.
    pub fn certificat_joint(&self) -> Option<&Certificate> {
        self.certificat.as_ref()
    }
}

fn de_pkcs8(der: &[u8]) -> Result<CleAsymetrique> {
    let info =
        pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| cle_invalide("clé PKCS#8", e))?;
    let alg = AlgorithmIdentifierOwned {
        oid: info.algorithm.oid,
        parameters: info.algorithm.parameters.map(Any::from),
    };
    if alg.oid == RSA_ENCRYPTION {
        return rsa::PrivateKey::from_pkcs8_der(der)
            .map(CleAsymetrique::Rsa)
            .map_err(|e| cle_invalide("clé RSA", e));
    }
    match Courbe::de_algorithme(&alg) {
        Some(Courbe::P256) => p256::SecretKey::from_pkcs8_der(der)
            .map(CleAsymetrique::P256)
            .map_err(|e| cle_invalide("clé EC P-256", e)),
        Some(Courbe::P384) => p384::SecretKey::from_pkcs8_der(der)
            .map(CleAsymetrique::P384)
            .map_err(|e| cle_invalide("clé EC P-384", e)),
        Some(Courbe::P521) => p521::SecretKey::from_pkcs8_der(der)
            .map(CleAsymetrique::P521)
            .map_err(|e| cle_invalide("clé EC P-521", e)),
        Some(Courbe::X25519) => {
            let o = OctetString::from_der(info.private_key.as_bytes())
                .map_err(|e| cle_invalide("clé X25519", e))?;
            let b: [u8; 32] = o
                .as_bytes()
                .try_into()
                .map_err(|_| cle_invalide("clé X25519", "longueur différente de 32 octets"))?;
            Ok(CleAsymetrique::X25519(x25519_dalek::StaticSecret::from(b)))
        }
        Some(Courbe::X448) => Err(non_pris(
            "clé X448 : pas d'implémentation de la génération de RustCrypto utilisée par mpe",
        )),
        None => Err(non_pris(format!(
            "algorithme de clé privée non pris en charge : {}",
            alg.oid
        ))),
    }
}

fn de_sec1(der: &[u8]) -> Result<CleAsymetrique> {
    if let Ok(k) = p256::SecretKey::from_sec1_der(der) {
        return Ok(CleAsymetrique::P256(k));
    }
    if let Ok(k) = p384::SecretKey::from_sec1_der(der) {
        return Ok(CleAsymetrique::P384(k));
    }
    if let Ok(k) = p521::SecretKey::from_sec1_der(der) {
        return Ok(CleAsymetrique::P521(k));
    }
    Err(Erreur::new(
        CodeErreur::CleInvalide,
        "clé EC (SEC1) illisible ou sur une courbe non prise en charge (P-256, P-384, P-521)",
    ))
}

fn spki_of(k: &CleAsymetrique) -> Result<SubjectPublicKeyInfoOwned> {
    let der = match k {
        CleAsymetrique::Rsa(k) => k.to_public_key().to_public_key_der(),
        CleAsymetrique::P256(k) => k.public_key().to_public_key_der(),
        CleAsymetrique::P384(k) => k.public_key().to_public_key_der(),
        CleAsymetrique::P521(k) => k.public_key().to_public_key_der(),
        CleAsymetrique::X25519(k) => {
            let p = x25519_dalek::PublicKey::from(k);
            return Ok(SubjectPublicKeyInfoOwned {
                algorithm: Courbe::X25519.algorithme()?,
                subject_public_key: BitString::from_bytes(p.as_bytes()).map_err(interne)?,
            });
        }
    }
    .map_err(interne)?;
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(interne)
}

fn echec(quoi: &str) -> Erreur {
    Erreur::new(
        CodeErreur::DechiffrementEchec,
        format!("{quoi} impossible (clé privée ne correspondant pas au destinataire ?)"),
    )
}

pub(crate) fn rsa_dechiffrer(
    key: &rsa::PrivateKey,
    schema: &SchemaRsa,
    chiffre: &[u8],
) -> Result<Vec<u8>> {
    match schema {
        SchemaRsa::Pkcs1v15 => key
            .decrypt(rsa::Pkcs1v15Encrypt, chiffre)
            .map_err(|_| echec("déchiffrement RSA PKCS#1 v1.5 de la clé de contenu")),
        SchemaRsa::Oaep {
            hachage,
            mgf,
            etiquette,
        } => {
            macro_rules! oaep {
                ($d:ty, $m:ty) => {
                    key.decrypt(
                        rsa::oaep::Oaep::<$d, $m>::new_with_mgf_hash_and_label(etiquette.clone()),
                        chiffre,
                    )
                };
            }
            macro_rules! avec_mgf {
                ($d:ty) => {
                    match mgf {
                        Hachage::Sha1 => oaep!($d, sha1::Sha1),
                        Hachage::Sha224 => oaep!($d, sha2::Sha224),
                        Hachage::Sha256 => oaep!($d, sha2::Sha256),
                        Hachage::Sha384 => oaep!($d, sha2::Sha384),
                        Hachage::Sha512 => oaep!($d, sha2::Sha512),
                    }
                };
            }
            let r = match hachage {
                Hachage::Sha1 => avec_mgf!(sha1::Sha1),
                Hachage::Sha224 => avec_mgf!(sha2::Sha224),
                Hachage::Sha256 => avec_mgf!(sha2::Sha256),
                Hachage::Sha384 => avec_mgf!(sha2::Sha384),
                Hachage::Sha512 => avec_mgf!(sha2::Sha512),
            };
            r.map_err(|_| echec("déchiffrement RSA-OAEP de la clé de contenu"))
        }
    }
}

fn point_invalide() -> Erreur {
    Erreur::new(
        CodeErreur::CmsMalforme,
        "clé publique éphémère de l'émetteur invalide (point hors de la courbe)",
    )
}

fn ecdh(k: &CleAsymetrique, publique: &[u8]) -> Result<Vec<u8>> {
    match k {
        CleAsymetrique::Rsa(_) => Err(Erreur::new(
            CodeErreur::CleInutilisable,
            "une clé RSA ne fait pas d'accord de clé (ECDH)",
        )),
        CleAsymetrique::P256(s) => {
            let p = p256::PublicKey::from_sec1_bytes(publique).map_err(|_| point_invalide())?;
            Ok(s.diffie_hellman(&p).raw_secret_bytes().to_vec())
        }
        CleAsymetrique::P384(s) => {
            let p = p384::PublicKey::from_sec1_bytes(publique).map_err(|_| point_invalide())?;
            Ok(s.diffie_hellman(&p).raw_secret_bytes().to_vec())
        }
        CleAsymetrique::P521(s) => {
            let p = p521::PublicKey::from_sec1_bytes(publique).map_err(|_| point_invalide())?;
            Ok(s.diffie_hellman(&p).raw_secret_bytes().to_vec())
        }
        CleAsymetrique::X25519(s) => {
            let b: [u8; 32] = publique.try_into().map_err(|_| point_invalide())?;
            let z = s.diffie_hellman(&x25519_dalek::PublicKey::from(b));
            // RFC 7748 section 6.1: an all-zero secret means a low-order point was sent.
            if !z.was_contributory() {
                return Err(point_invalide());
            }
            Ok(z.as_bytes().to_vec())
        }
    }
}

impl Dechiffreur for CleDechiffrement {
    fn certificat(&self) -> Option<&Certificate> {
        self.certificat.as_ref()
    }

    fn cle_publique(&self) -> Result<SubjectPublicKeyInfoOwned> {
        spki_of(&self.cle)
    }

    fn dechiffrer_rsa(&self, schema: &SchemaRsa, chiffre: &[u8]) -> Result<Vec<u8>> {
        match &self.cle {
            CleAsymetrique::Rsa(k) => rsa_dechiffrer(k, schema, chiffre),
            _ => Err(Erreur::new(
                CodeErreur::CleInutilisable,
                "une clé EC ne déchiffre pas un transport de clé RSA",
            )),
        }
    }

    fn accord_de_cle(&self, publique: &[u8]) -> Result<Vec<u8>> {
        ecdh(&self.cle, publique)
    }
}

impl Dechiffreur for BiCle {
    fn certificat(&self) -> Option<&Certificate> {
        Some(self.certificate())
    }

    fn cle_publique(&self) -> Result<SubjectPublicKeyInfoOwned> {
        Ok(self
            .certificate()
            .tbs_certificate()
            .subject_public_key_info()
            .clone())
    }

    fn dechiffrer_rsa(&self, schema: &SchemaRsa, chiffre: &[u8]) -> Result<Vec<u8>> {
        match self.cle() {
            PrivateKey::Rsa(k) => rsa_dechiffrer(k, schema, chiffre),
            _ => Err(Erreur::new(
                CodeErreur::CleInutilisable,
                "une clé EC ne déchiffre pas un transport de clé RSA",
            )),
        }
    }

    fn accord_de_cle(&self, publique: &[u8]) -> Result<Vec<u8>> {
        match self.cle() {
            PrivateKey::EcP256(k) => ecdh(&CleAsymetrique::P256(k.clone()), publique),
            _ => Err(Erreur::new(
                CodeErreur::CleInutilisable,
                "une clé RSA ne fait pas d'accord de clé (ECDH)",
            )),
        }
    }
}

/// The subject key identifier RFC 5280 (4.2.1.2, method 1) derives from a public key: SHA-1
/// of the `subjectPublicKey` bits. Used to match recipients when no certificate is given.
pub(crate) fn ski_calcule(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    sha1::Sha1::digest(spki.subject_public_key.raw_bytes()).to_vec()
}
