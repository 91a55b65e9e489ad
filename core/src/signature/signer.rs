//! The signer: a private key (or an external device) and its certificate chain.
//!
//! Signing is always split in two: mpe computes the digest to sign, something signs it
//! (the key loaded here, a smartcard, an HSM, a remote service), mpe assembles. A
//! [`Signataire`] built with [`Signataire::from_pem`] does both steps itself; one built with
//! [`Signataire::externe`] only knows the certificate, and the host signs the digest of
//! [`super::SignaturePreparee`] itself.

use der::{Decode, DecodePem, Encode};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::{AlgorithmIdentifierOwned, DecodePublicKey};
use x509_cert::Certificate;

use crate::{CodeErreur, Erreur, Result};

/// Run `$body` with `$d` the digest type of `$alg` (the RSA schemes are generic over it).
macro_rules! avec_empreinte {
    ($alg:expr, $d:ident => $body:expr) => {{
        use AlgorithmeEmpreinte as A_;
        match $alg {
            A_::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            A_::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            A_::Sha256 => {
                type $d = Sha256;
                $body
            }
            A_::Sha384 => {
                type $d = Sha384;
                $body
            }
            A_::Sha512 => {
                type $d = Sha512;
                $body
            }
            A_::Sha3_256 => {
                type $d = sha3::Sha3_256;
                $body
            }
            A_::Sha3_384 => {
                type $d = sha3::Sha3_384;
                $body
            }
            A_::Sha3_512 => {
                type $d = sha3::Sha3_512;
                $body
            }
        }
    }};
}

/// Digest algorithm of a signature.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum AlgorithmeEmpreinte {
    /// SHA-1: verified (the world still has it), reported as obsolete, never adapté and
    /// refused for new signatures.
    #[serde(rename = "SHA-1")]
    Sha1,
    /// SHA-224.
    #[serde(rename = "SHA-224")]
    Sha224,
    /// SHA-256 (the default).
    #[default]
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "SHA-512")]
    Sha512,
    /// SHA3-256.
    #[serde(rename = "SHA3-256")]
    Sha3_256,
    /// SHA3-384.
    #[serde(rename = "SHA3-384")]
    Sha3_384,
    /// SHA3-512.
    #[serde(rename = "SHA3-512")]
    Sha3_512,
}

/// Every digest mpe knows, for tables and tests.
pub(crate) const EMPREINTES: [AlgorithmeEmpreinte; 8] = [
    AlgorithmeEmpreinte::Sha1,
    AlgorithmeEmpreinte::Sha224,
    AlgorithmeEmpreinte::Sha256,
    AlgorithmeEmpreinte::Sha384,
    AlgorithmeEmpreinte::Sha512,
    AlgorithmeEmpreinte::Sha3_256,
    AlgorithmeEmpreinte::Sha3_384,
    AlgorithmeEmpreinte::Sha3_512,
];

impl AlgorithmeEmpreinte {
    /// The hash of `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        let mut h = Hasher::new(self);
        h.update(data);
        h.finish()
    }

    /// Output length in bytes.
    pub fn taille(self) -> usize {
        use AlgorithmeEmpreinte as A;
        match self {
            A::Sha1 => 20,
            A::Sha224 => 28,
            A::Sha256 | A::Sha3_256 => 32,
            A::Sha384 | A::Sha3_384 => 48,
            A::Sha512 | A::Sha3_512 => 64,
        }
    }

    /// No longer adapted to signatures (SHA-1, collisions since 2017): verified and
    /// reported, never "adapté", refused for new signatures.
    pub fn est_obsolete(self) -> bool {
        self == AlgorithmeEmpreinte::Sha1
    }

    pub(crate) fn oid(self) -> der::asn1::ObjectIdentifier {
        use super::asn1 as o;
        use AlgorithmeEmpreinte as A;
        match self {
            A::Sha1 => o::OID_SHA1,
            A::Sha224 => o::OID_SHA224,
            A::Sha256 => o::OID_SHA256,
            A::Sha384 => o::OID_SHA384,
            A::Sha512 => o::OID_SHA512,
            A::Sha3_256 => o::OID_SHA3_256,
            A::Sha3_384 => o::OID_SHA3_384,
            A::Sha3_512 => o::OID_SHA3_512,
        }
    }

    pub(crate) fn from_oid(oid: &der::asn1::ObjectIdentifier) -> Result<AlgorithmeEmpreinte> {
        EMPREINTES
            .into_iter()
            .find(|a| a.oid() == *oid)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::AlgorithmeNonSupporte,
                    format!("algorithme d'empreinte non pris en charge : {oid}"),
                )
            })
    }

    pub(crate) fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// The XML-DSig URI of the digest (RFC 6931).
    pub(crate) fn xml_uri(self) -> &'static str {
        use AlgorithmeEmpreinte as A;
        match self {
            A::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            A::Sha224 => "http://www.w3.org/2001/04/xmldsig-more#sha224",
            A::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            A::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            A::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
            A::Sha3_256 => "http://www.w3.org/2007/05/xmldsig-more#sha3-256",
            A::Sha3_384 => "http://www.w3.org/2007/05/xmldsig-more#sha3-384",
            A::Sha3_512 => "http://www.w3.org/2007/05/xmldsig-more#sha3-512",
        }
    }

    pub(crate) fn from_xml_uri(uri: &str) -> Result<AlgorithmeEmpreinte> {
        EMPREINTES
            .into_iter()
            .find(|a| a.xml_uri() == uri)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::NonPrisEnCharge,
                    format!("algorithme d'empreinte XML non pris en charge : {uri}"),
                )
            })
    }
}

/// Incremental hash of one of the supported algorithms (streams big files).
#[derive(Debug, Clone)]
pub(crate) enum Hasher {
    S1(sha1::Sha1),
    S224(sha2::Sha224),
    S256(Sha256),
    S384(Sha384),
    S512(Sha512),
    S3_256(sha3::Sha3_256),
    S3_384(sha3::Sha3_384),
    S3_512(sha3::Sha3_512),
}

impl Hasher {
    pub(crate) fn new(alg: AlgorithmeEmpreinte) -> Hasher {
        use AlgorithmeEmpreinte as A;
        match alg {
            A::Sha1 => Hasher::S1(sha1::Sha1::new()),
            A::Sha224 => Hasher::S224(sha2::Sha224::new()),
            A::Sha256 => Hasher::S256(Sha256::new()),
            A::Sha384 => Hasher::S384(Sha384::new()),
            A::Sha512 => Hasher::S512(Sha512::new()),
            A::Sha3_256 => Hasher::S3_256(sha3::Sha3_256::new()),
            A::Sha3_384 => Hasher::S3_384(sha3::Sha3_384::new()),
            A::Sha3_512 => Hasher::S3_512(sha3::Sha3_512::new()),
        }
    }
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::S1(h) => h.update(data),
            Hasher::S224(h) => h.update(data),
            Hasher::S256(h) => h.update(data),
            Hasher::S384(h) => h.update(data),
            Hasher::S512(h) => h.update(data),
            Hasher::S3_256(h) => h.update(data),
            Hasher::S3_384(h) => h.update(data),
            Hasher::S3_512(h) => h.update(data),
        }
    }
    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Hasher::S1(h) => h.finalize().to_vec(),
            Hasher::S224(h) => h.finalize().to_vec(),
            Hasher::S256(h) => h.finalize().to_vec(),
            Hasher::S384(h) => h.finalize().to_vec(),
            Hasher::S512(h) => h.finalize().to_vec(),
            Hasher::S3_256(h) => h.finalize().to_vec(),
            Hasher::S3_384(h) => h.finalize().to_vec(),
            Hasher::S3_512(h) => h.finalize().to_vec(),
        }
    }
    /// Hash everything a reader gives, in 1 MiB chunks (bounded memory).
    pub(crate) fn read_all(&mut self, reader: &mut dyn std::io::Read) -> Result<u64> {
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Erreur::new(
                        CodeErreur::Es,
                        format!("lecture du fichier : {e}"),
                    ));
                }
            };
            self.update(buf.get(..n).unwrap_or_default());
            total += n as u64;
        }
    }
}

/// Signature scheme of the private key.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchemaSignature {
    /// RSA PKCS#1 v1.5 (the default, what every validator accepts).
    #[default]
    RsaPkcs1v15,
    /// RSA-PSS with MGF1 of the same digest and a salt as long as the digest.
    RsaPss,
    /// ECDSA (P-256/384/521, brainpoolP256r1/P384r1): DER value in CMS, r‖s in XML and in
    /// the BSI TR-03111 "plain" algorithms.
    Ecdsa,
    /// Ed25519 (RFC 8032, RFC 8419 in CMS): signs the message itself, not a digest.
    Ed25519,
    /// Ed448 (RFC 8032, RFC 8419).
    Ed448,
}

impl SchemaSignature {
    /// EdDSA schemes sign the message (the DER signed attributes), not a digest of it.
    pub(crate) fn signe_le_message(self) -> bool {
        matches!(self, SchemaSignature::Ed25519 | SchemaSignature::Ed448)
    }
}

/// A private key that signs.
#[derive(Clone)]
enum CleSignature {
    Rsa(PrivateKey),
    P256(p256::ecdsa::SigningKey),
}

/// The public key of a certificate, of a type mpe verifies.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum ClePublique {
    Rsa(PublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(Box<p521::ecdsa::VerifyingKey>),
    Bp256(ecdsa::VerifyingKey<bp256::BrainpoolP256r1>),
    Bp384(ecdsa::VerifyingKey<bp384::BrainpoolP384r1>),
    Ed25519(ed25519_dalek::VerifyingKey),
    Ed448(Box<ed448_goldilocks::VerifyingKey>),
}

impl ClePublique {
    /// The scheme a signer with this key uses by default.
    fn schema(&self) -> SchemaSignature {
        match self {
            ClePublique::Rsa(_) => SchemaSignature::RsaPkcs1v15,
            ClePublique::Ed25519(_) => SchemaSignature::Ed25519,
            ClePublique::Ed448(_) => SchemaSignature::Ed448,
            _ => SchemaSignature::Ecdsa,
        }
    }

    /// Largest signature value in bytes (RSA: the modulus; ECDSA: DER of r and s).
    #[cfg(feature = "pdf")]
    fn signature_len(&self) -> usize {
        match self {
            ClePublique::Rsa(k) => rsa::traits::PublicKeyParts::size(k),
            ClePublique::P256(_) | ClePublique::Bp256(_) => 72,
            ClePublique::P384(_) | ClePublique::Bp384(_) => 104,
            ClePublique::P521(_) => 139,
            ClePublique::Ed25519(_) => 64,
            ClePublique::Ed448(_) => 114,
        }
    }

    fn nom(&self) -> &'static str {
        match self {
            ClePublique::Rsa(_) => "RSA",
            ClePublique::P256(_) => "EC P-256",
            ClePublique::P384(_) => "EC P-384",
            ClePublique::P521(_) => "EC P-521",
            ClePublique::Bp256(_) => "EC brainpoolP256r1",
            ClePublique::Bp384(_) => "EC brainpoolP384r1",
            ClePublique::Ed25519(_) => "Ed25519",
            ClePublique::Ed448(_) => "Ed448",
        }
    }
}

fn incompatible(scheme: SchemaSignature, cle: &str) -> Erreur {
    Erreur::new(
        CodeErreur::NonPrisEnCharge,
        format!("schéma de signature {scheme:?} incompatible avec une clé {cle}"),
    )
}

/// An ECDSA value as the format wants it: DER `Ecdsa-Sig-Value` for CMS, the fixed-size
/// `r‖s` for XML-DSig (RFC 4050 / XMLDSig 1.1). Devices give either; RSA values pass as is.
pub(crate) fn valeur_pour(scheme: SchemaSignature, xml: bool, value: &[u8]) -> Result<Vec<u8>> {
    if scheme != SchemaSignature::Ecdsa {
        return Ok(value.to_vec());
    }
    let sig = ecdsa_value(value)?;
    Ok(if xml {
        sig.to_bytes().to_vec()
    } else {
        sig.to_der().as_bytes().to_vec()
    })
}

fn ecdsa_value(value: &[u8]) -> Result<p256::ecdsa::Signature> {
    p256::ecdsa::Signature::from_der(value)
        .or_else(|_| p256::ecdsa::Signature::from_slice(value))
        .map_err(|_| {
            Erreur::new(
                CodeErreur::SignatureMalformee,
                "valeur de signature ECDSA illisible (ni DER ni r‖s de 64 octets)",
            )
        })
}

/// Who signs: the certificate chain and, for a local signer, the private key (RSA, or
/// ECDSA on P-256).
#[derive(Clone)]
pub struct Signataire {
    key: Option<CleSignature>,
    certificate: Certificate,
    chain: Vec<Certificate>,
    digest: AlgorithmeEmpreinte,
    scheme: SchemaSignature,
}

impl std::fmt::Debug for Signataire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signataire")
            .field(
                "certificate",
                &self.certificate.tbs_certificate().subject().to_string(),
            )
            .field("cle_locale", &self.key.is_some())
            .field("digest", &self.digest)
            .field("scheme", &self.scheme)
            .finish()
    }
}

impl Signataire {
    /// A signer from a PEM private key (PKCS#8 `PRIVATE KEY`, RSA or EC P-256; PKCS#1
    /// `RSA PRIVATE KEY`; SEC 1 `EC PRIVATE KEY`) and PEM certificates: the signer's
    /// certificate first, then its chain (optional). The key must match the certificate.
    ///
    /// ```no_run
    /// let key = std::fs::read_to_string("signataire.key").unwrap();
    /// let certs = std::fs::read_to_string("signataire.pem").unwrap();
    /// let signer = mpe::signature::Signataire::from_pem(&key, &certs).unwrap();
    /// # let _ = signer;
    /// ```
    pub fn from_pem(key_pem: &str, certificates_pem: &str) -> Result<Signataire> {
        let key = if key_pem.contains("BEGIN RSA PRIVATE KEY") {
            CleSignature::Rsa(PrivateKey::from_pkcs1_pem(key_pem).map_err(|e| {
                Erreur::new(CodeErreur::CleInvalide, format!("clé RSA PKCS#1 : {e}"))
            })?)
        } else if key_pem.contains("BEGIN ENCRYPTED PRIVATE KEY") {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                "clé PKCS#8 chiffrée : la déchiffrer d'abord (module crypto)",
            ));
        } else if key_pem.contains("BEGIN EC PRIVATE KEY") {
            let k = p256::SecretKey::from_sec1_pem(key_pem).map_err(|e| {
                Erreur::new(
                    CodeErreur::CleInvalide,
                    format!("clé EC SEC 1 (P-256 attendue) : {e}"),
                )
            })?;
            CleSignature::P256(k.into())
        } else {
            match PrivateKey::from_pkcs8_pem(key_pem) {
                Ok(k) => CleSignature::Rsa(k),
                Err(rsa_err) => CleSignature::P256(
                    p256::ecdsa::SigningKey::from_pkcs8_pem(key_pem).map_err(|_| {
                        Erreur::new(
                            CodeErreur::CleInvalide,
                            format!("clé privée PKCS#8 (RSA ou EC P-256 attendue) : {rsa_err}"),
                        )
                    })?,
                ),
            }
        };
        let certs = Certificate::load_pem_chain(certificates_pem.as_bytes())
            .map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("certificats PEM : {e}")))?;
        Signataire::with_key(key, certs)
    }

    /// A signer from an RSA key and DER/PEM-decoded certificates (signer first).
    pub fn from_key(key: PrivateKey, certificates: Vec<Certificate>) -> Result<Signataire> {
        Signataire::with_key(CleSignature::Rsa(key), certificates)
    }

    fn with_key(key: CleSignature, certificates: Vec<Certificate>) -> Result<Signataire> {
        let mut s = Signataire::externe(certificates)?;
        let public = public_key(&s.certificate)?;
        let matches = match &key {
            CleSignature::Rsa(k) => public == ClePublique::Rsa(k.to_public_key()),
            CleSignature::P256(k) => public == ClePublique::P256(*k.verifying_key()),
        };
        if !matches {
            return Err(Erreur::new(
                CodeErreur::CleInvalide,
                "la clé privée ne correspond pas au certificat",
            ));
        }
        s.key = Some(key);
        Ok(s)
    }

    /// A signer without private key: the digest is signed outside (smartcard, HSM, remote
    /// service) between [`super::preparer`] and [`super::SignaturePreparee::assembler`].
    pub fn externe(mut certificates: Vec<Certificate>) -> Result<Signataire> {
        if certificates.is_empty() {
            return Err(Erreur::new(
                CodeErreur::CleInvalide,
                "certificat du signataire manquant",
            ));
        }
        let certificate = certificates.remove(0);
        let scheme = public_key(&certificate)?.schema();
        Ok(Signataire {
            key: None,
            certificate,
            chain: certificates,
            digest: AlgorithmeEmpreinte::Sha256,
            scheme,
        })
    }

    /// Parse PEM certificates (a chain), signer first.
    pub fn certificats_pem(pem: &str) -> Result<Vec<Certificate>> {
        Certificate::load_pem_chain(pem.as_bytes())
            .map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("certificats PEM : {e}")))
    }

    /// Choose the digest algorithm (SHA-256 by default).
    #[must_use]
    pub fn avec_empreinte(mut self, digest: AlgorithmeEmpreinte) -> Signataire {
        self.digest = digest;
        self
    }

    /// Choose the signature scheme (PKCS#1 v1.5 by default for RSA keys; EC keys only sign
    /// with [`SchemaSignature::Ecdsa`], any other choice fails at signing).
    #[must_use]
    pub fn avec_schema(mut self, scheme: SchemaSignature) -> Signataire {
        self.scheme = scheme;
        self
    }

    /// The signer's certificate.
    pub fn certificat(&self) -> &Certificate {
        &self.certificate
    }

    /// The rest of the chain given.
    pub fn chaine(&self) -> &[Certificate] {
        &self.chain
    }

    /// The digest algorithm.
    pub fn empreinte(&self) -> AlgorithmeEmpreinte {
        self.digest
    }

    /// The signature scheme.
    pub fn schema(&self) -> SchemaSignature {
        self.scheme
    }

    /// The largest size of a signature value in bytes (the room PAdES reserves).
    #[cfg(feature = "pdf")]
    pub(crate) fn signature_len(&self) -> usize {
        public_key(&self.certificate)
            .map(|k| k.signature_len())
            .unwrap_or(512)
    }

    /// Sign a digest computed with [`Signataire::empreinte`] (the local key is needed).
    pub fn signer_empreinte(&self, digest: &[u8]) -> Result<Vec<u8>> {
        let key = self.key.as_ref().ok_or_else(|| {
            Erreur::invalid_argument("signataire externe : signer l'empreinte hors de mpe")
        })?;
        sign_digest(key, self.scheme, self.digest, digest)
    }
}

fn sign_digest(
    key: &CleSignature,
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
    digest: &[u8],
) -> Result<Vec<u8>> {
    let key = match (key, scheme) {
        (CleSignature::P256(k), SchemaSignature::Ecdsa) => {
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            // RFC 6979 deterministic nonce; a longer digest is truncated (FIPS 186-5).
            let sig: p256::ecdsa::Signature = k.sign_prehash(digest).map_err(|e| {
                Erreur::new(
                    CodeErreur::CleInutilisable,
                    format!("signature ECDSA : {e}"),
                )
            })?;
            return Ok(sig.to_der().as_bytes().to_vec());
        }
        (CleSignature::P256(_), s) => return Err(incompatible(s, "EC P-256")),
        (CleSignature::Rsa(k), SchemaSignature::RsaPkcs1v15 | SchemaSignature::RsaPss) => k,
        (CleSignature::Rsa(_), s) => return Err(incompatible(s, "RSA")),
    };
    let r = if scheme == SchemaSignature::RsaPss {
        avec_empreinte!(alg, D => key.sign(rsa::Pss::<D>::new(), digest))
    } else {
        avec_empreinte!(alg, D => key.sign(Pkcs1v15Sign::new::<D>(), digest))
    };
    r.map_err(|e| Erreur::new(CodeErreur::CleInutilisable, format!("signature RSA : {e}")))
}

/// Verify a signature over a digest with the public key of `cert` (RSA and ECDSA; EdDSA
/// signs the message: [`verifier_message`]).
pub(crate) fn verify_digest(
    cert: &Certificate,
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
    digest: &[u8],
    signature: &[u8],
) -> Result<()> {
    let key = public_key(cert)?;
    verify_with_key(&key, scheme, alg, digest, signature)
}

fn invalide() -> Erreur {
    Erreur::new(
        CodeErreur::SignatureInvalide,
        "valeur de signature incorrecte",
    )
}

/// ECDSA over a prehashed digest, the value DER or r‖s (BSI TR-03111 "plain").
macro_rules! ecdsa_verifier {
    ($k:expr, $curve:ident, $digest:expr, $value:expr) => {{
        use ::signature::hazmat::PrehashVerifier;
        let sig = $curve::ecdsa::Signature::from_der($value)
            .or_else(|_| $curve::ecdsa::Signature::from_slice($value))
            .map_err(|_| {
                Erreur::new(
                    CodeErreur::SignatureMalformee,
                    "valeur de signature ECDSA illisible (ni DER ni r‖s)",
                )
            })?;
        $k.verify_prehash($digest, &sig).map_err(|_| invalide())
    }};
}

/// Verify a signature over a digest. EdDSA keys need the message itself
/// ([`verifier_message`]).
pub(crate) fn verify_with_key(
    key: &ClePublique,
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
    digest: &[u8],
    signature: &[u8],
) -> Result<()> {
    if digest.len() != alg.taille() {
        return Err(Erreur::new(
            CodeErreur::SignatureMalformee,
            "taille d'empreinte incohérente avec l'algorithme",
        ));
    }
    match (key, scheme) {
        (ClePublique::Rsa(k), SchemaSignature::RsaPkcs1v15) => {
            let r =
                avec_empreinte!(alg, D => k.verify(Pkcs1v15Sign::new::<D>(), digest, signature));
            r.or_else(|_| {
                // Some signers omit the NULL parameters of the DigestInfo algorithm
                // (RFC 8017, 9.2 note 1 allows both encodings of SHA-2).
                let sans_null = prefixe_sans_null(alg);
                let scheme = Pkcs1v15Sign {
                    hash_len: Some(alg.taille()),
                    prefix: sans_null.into_boxed_slice(),
                };
                k.verify(scheme, digest, signature)
            })
            .map_err(|_| invalide())
        }
        (ClePublique::Rsa(k), SchemaSignature::RsaPss) => {
            avec_empreinte!(alg, D => k.verify(pss_any_salt::<D>(), digest, signature))
                .map_err(|_| invalide())
        }
        (ClePublique::P256(k), SchemaSignature::Ecdsa) => {
            ecdsa_verifier!(k, p256, digest, signature)
        }
        (ClePublique::P384(k), SchemaSignature::Ecdsa) => {
            ecdsa_verifier!(k, p384, digest, signature)
        }
        (ClePublique::P521(k), SchemaSignature::Ecdsa) => {
            ecdsa_verifier!(k.as_ref(), p521, digest, signature)
        }
        (ClePublique::Bp256(k), SchemaSignature::Ecdsa) => {
            use bp256::r1 as bp256r1;
            ecdsa_verifier!(k, bp256r1, digest, signature)
        }
        (ClePublique::Bp384(k), SchemaSignature::Ecdsa) => {
            use bp384::r1 as bp384r1;
            ecdsa_verifier!(k, bp384r1, digest, signature)
        }
        (ClePublique::Ed25519(_) | ClePublique::Ed448(_), _) => Err(Erreur::new(
            CodeErreur::AlgorithmeNonSupporte,
            "EdDSA signe le message, pas une empreinte (Ed25519ph/Ed448ph non pris en charge)",
        )),
        (k, s) => Err(incompatible(s, k.nom())),
    }
}

/// Verify a signature over `message` (hashed with `alg` for RSA and ECDSA; EdDSA signs
/// the message itself, RFC 8419).
pub(crate) fn verifier_message(
    key: &ClePublique,
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    match (key, scheme) {
        (ClePublique::Ed25519(k), SchemaSignature::Ed25519) => {
            let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| {
                Erreur::new(
                    CodeErreur::SignatureMalformee,
                    "valeur de signature Ed25519 illisible",
                )
            })?;
            k.verify_strict(message, &sig).map_err(|_| invalide())
        }
        (ClePublique::Ed448(k), SchemaSignature::Ed448) => {
            let sig = ed448_goldilocks::Signature::try_from(signature).map_err(|_| {
                Erreur::new(
                    CodeErreur::SignatureMalformee,
                    "valeur de signature Ed448 illisible",
                )
            })?;
            k.verify_raw(&sig, message).map_err(|_| invalide())
        }
        (ClePublique::Ed25519(_), s) => Err(incompatible(s, "Ed25519")),
        (ClePublique::Ed448(_), s) => Err(incompatible(s, "Ed448")),
        _ => verify_with_key(key, scheme, alg, &alg.hash(message), signature),
    }
}

/// Verify the signature of a certificate or CRL (`tbs` DER) made by `issuer`.
pub(crate) fn verifier_signature_x509(
    issuer: &Certificate,
    algorithme: &AlgorithmIdentifierOwned,
    tbs: &[u8],
    signature: &[u8],
) -> Result<()> {
    let key = public_key(issuer)?;
    let (scheme, alg) =
        super::cms::parse_signature_algorithm(algorithme, AlgorithmeEmpreinte::Sha256)?;
    verifier_message(&key, scheme, alg, tbs, signature)
}

/// The DigestInfo prefix with the algorithm's parameters absent instead of NULL.
fn prefixe_sans_null(alg: AlgorithmeEmpreinte) -> Vec<u8> {
    let oid = alg.oid();
    let oid_der = der::Encode::to_der(&oid).unwrap_or_default();
    let alg_len = oid_der.len();
    let digest_len = alg.taille();
    // SEQUENCE { SEQUENCE { OID }, OCTET STRING digest }
    let inner = 2 + alg_len + 2 + digest_len;
    let mut v = vec![0x30, u8::try_from(inner).unwrap_or(0), 0x30];
    v.push(u8::try_from(alg_len).unwrap_or(0));
    v.extend_from_slice(&oid_der);
    v.push(0x04);
    v.push(u8::try_from(digest_len).unwrap_or(0));
    v
}

/// The public key of a certificate: RSA, ECDSA (P-256/384/521, brainpoolP256r1/P384r1),
/// Ed25519, Ed448; others: [`CodeErreur::AlgorithmeNonSupporte`] naming the key or curve.
pub(crate) fn public_key(cert: &Certificate) -> Result<ClePublique> {
    use super::asn1 as o;
    let spki = cert.tbs_certificate().subject_public_key_info();
    let der = spki
        .to_der()
        .map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("clé publique : {e}")))?;
    let bad = |quoi: &str, e: &dyn std::fmt::Display| {
        Erreur::new(
            CodeErreur::CleInvalide,
            format!("clé publique {quoi} : {e}"),
        )
    };
    match spki.algorithm.oid {
        o::OID_RSA_ENCRYPTION | o::OID_RSA_PSS => {
            // An RSASSA-PSS key (RFC 4055) has the RSA public key under another OID.
            let bits = spki.subject_public_key.as_bytes().unwrap_or_default();
            rsa::pkcs1::DecodeRsaPublicKey::from_pkcs1_der(bits)
                .map(ClePublique::Rsa)
                .map_err(|e| bad("RSA", &e))
        }
        o::OID_EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
            match curve {
                Some(o::OID_P256) => p256::ecdsa::VerifyingKey::from_public_key_der(&der)
                    .map(ClePublique::P256)
                    .map_err(|e| bad("EC P-256", &e)),
                Some(o::OID_P384) => p384::ecdsa::VerifyingKey::from_public_key_der(&der)
                    .map(ClePublique::P384)
                    .map_err(|e| bad("EC P-384", &e)),
                Some(o::OID_P521) => p521::ecdsa::VerifyingKey::from_public_key_der(&der)
                    .map(|k| ClePublique::P521(Box::new(k)))
                    .map_err(|e| bad("EC P-521", &e)),
                Some(o::OID_BRAINPOOL_P256R1) => {
                    ecdsa::VerifyingKey::<bp256::BrainpoolP256r1>::from_public_key_der(&der)
                        .map(ClePublique::Bp256)
                        .map_err(|e| bad("EC brainpoolP256r1", &e))
                }
                Some(o::OID_BRAINPOOL_P384R1) => {
                    ecdsa::VerifyingKey::<bp384::BrainpoolP384r1>::from_public_key_der(&der)
                        .map(ClePublique::Bp384)
                        .map_err(|e| bad("EC brainpoolP384r1", &e))
                }
                other => Err(Erreur::new(
                    CodeErreur::AlgorithmeNonSupporte,
                    format!(
                        "courbe elliptique non prise en charge : {}",
                        other
                            .map(|c| if c == o::OID_BRAINPOOL_P512R1 {
                                "brainpoolP512r1 (1.3.36.3.3.2.8.1.1.13)".to_string()
                            } else {
                                c.to_string()
                            })
                            .unwrap_or_else(|| "paramètres explicites".into())
                    ),
                )),
            }
        }
        o::OID_ED25519 => {
            let bytes: [u8; 32] = spki
                .subject_public_key
                .as_bytes()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("Ed25519", &"longueur incorrecte"))?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map(ClePublique::Ed25519)
                .map_err(|e| bad("Ed25519", &e))
        }
        o::OID_ED448 => {
            let bytes = spki.subject_public_key.as_bytes().unwrap_or_default();
            ed448_goldilocks::VerifyingKey::from_bytes(
                bytes
                    .try_into()
                    .map_err(|_| bad("Ed448", &"longueur incorrecte"))?,
            )
            .map(|k| ClePublique::Ed448(Box::new(k)))
            .map_err(|e| bad("Ed448", &e))
        }
        other => Err(Erreur::new(
            CodeErreur::AlgorithmeNonSupporte,
            format!("type de clé non pris en charge : {other}"),
        )),
    }
}

/// Decode one certificate from DER or PEM.
pub fn certificat(data: &[u8]) -> Result<Certificate> {
    let r = if data.starts_with(b"-----") {
        Certificate::from_pem(data)
    } else {
        Certificate::from_der(data)
    };
    r.map_err(|e| Erreur::new(CodeErreur::CleInvalide, format!("certificat : {e}")))
}

/// A PEM block whose base64 is not cut in 64-character lines (one long line, as some tools
/// and people write it): label and content, whitespace ignored.
fn pem_souple(pem: &str) -> Option<(&str, Vec<u8>)> {
    use base64::Engine;
    let apres = pem.strip_prefix("-----BEGIN ")?;
    let (label, reste) = apres.split_once("-----")?;
    let (corps, _) = reste.split_once("-----END ")?;
    let b64: String = corps.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some((label, der))
}

/// Certificates as people have them: PEM blocks with any text around them (and without a
/// final newline), one DER certificate, or a PKCS#7 / CMS bundle (`.p7b`, `.p7c`).
pub fn certificats(data: &[u8]) -> Result<Vec<Certificate>> {
    const DEBUT: &[u8] = b"-----BEGIN ";
    if data.windows(DEBUT.len()).any(|w| w == DEBUT) {
        let text = String::from_utf8_lossy(data);
        let mut out = vec![];
        let mut rest = text.as_ref();
        while let Some(start) = rest.find("-----BEGIN ") {
            let block = rest.get(start..).unwrap_or_default();
            let Some(fin) = block.find("-----END ") else {
                break;
            };
            let after = block.get(fin + 9..).unwrap_or_default();
            let end = fin + 9 + after.find("-----").map_or(after.len(), |p| p + 5);
            let pem = block.get(..end).unwrap_or_default();
            if let Some((label, der)) = der::pem::decode_vec(format!("{pem}\n").as_bytes())
                .ok()
                .or_else(|| pem_souple(pem))
                && matches!(
                    label,
                    "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" | "PKCS7" | "CMS"
                )
            {
                out.extend(certificats(&der)?);
            }
            rest = block.get(end..).unwrap_or_default();
        }
        if out.is_empty() {
            return Err(Erreur::new(
                CodeErreur::CleInvalide,
                "aucun certificat PEM lisible",
            ));
        }
        return Ok(out);
    }
    if let Ok(c) = Certificate::from_der(data) {
        return Ok(vec![c]);
    }
    match super::verification_cms::lire_signed_data(data) {
        Ok(sd) if !sd.certs.is_empty() => Ok(sd.certs),
        _ => Err(Erreur::new(
            CodeErreur::CleInvalide,
            "certificats : ni PEM, ni DER, ni paquet PKCS#7",
        )),
    }
}

/// PSS for verification: the salt length is read from the signature (other tools use
/// lengths other than the digest's).
fn pss_any_salt<D: sha2::Digest + sha2::digest::FixedOutputReset>() -> rsa::Pss<D> {
    let mut p = rsa::Pss::<D>::new();
    p.salt_len = None;
    p
}

impl Signataire {
    /// A signer from a key pair loaded by [`crate::crypto::bicle`] — PKCS#12 with password,
    /// encrypted PKCS#8, PEM with the chain —, the files signers actually have.
    ///
    /// ```
    /// # fn main() -> mpe::Result<()> {
    /// # let key = include_str!("../../../tests/vectors/signature/signataire.key");
    /// # let cert = include_str!("../../../tests/vectors/signature/signataire.pem");
    /// let bicle = mpe::crypto::bicle::BiCle::from_pem(cert.as_bytes(), key.as_bytes(), None)?;
    /// let signer = mpe::signature::Signataire::from_bicle(bicle)?;
    /// # let _ = signer;
    /// # Ok(()) }
    /// ```
    pub fn from_bicle(bicle: crate::crypto::bicle::BiCle) -> Result<Signataire> {
        let (key, certificate, chain) = bicle.into_parts();
        let key = match key {
            crate::crypto::bicle::PrivateKey::Rsa(k) => CleSignature::Rsa(k),
            crate::crypto::bicle::PrivateKey::EcP256(k) => CleSignature::P256(k.into()),
        };
        let mut certificates = vec![certificate];
        certificates.extend(chain);
        Signataire::with_key(key, certificates)
    }
}
