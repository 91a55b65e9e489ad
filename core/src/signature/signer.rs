//! The signer: a private key (or an external device) and its certificate chain.
//!
//! Signing is always split in two: mpe computes the digest to sign, something signs it
//! (the key loaded here, a smartcard, an HSM, a remote service), mpe assembles. A
//! [`Signer`] built with [`Signer::from_pem`] does both steps itself; one built with
//! [`Signer::externe`] only knows the certificate, and the host signs the digest of
//! [`super::SignaturePreparee`] itself.

use der::{Decode, DecodePem, Encode};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::{AlgorithmIdentifierOwned, DecodePublicKey};
use x509_cert::Certificate;

use crate::{Error, ErrorCode, Result};

/// Digest algorithm of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum AlgorithmeEmpreinte {
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
}

impl AlgorithmeEmpreinte {
    /// The hash of `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        let mut h = Hasher::new(self);
        h.update(data);
        h.finish()
    }

    /// Output length in bytes.
    pub fn taille(self) -> usize {
        match self {
            AlgorithmeEmpreinte::Sha256 => 32,
            AlgorithmeEmpreinte::Sha384 => 48,
            AlgorithmeEmpreinte::Sha512 => 64,
        }
    }

    pub(crate) fn oid(self) -> der::asn1::ObjectIdentifier {
        match self {
            AlgorithmeEmpreinte::Sha256 => super::asn1::OID_SHA256,
            AlgorithmeEmpreinte::Sha384 => super::asn1::OID_SHA384,
            AlgorithmeEmpreinte::Sha512 => super::asn1::OID_SHA512,
        }
    }

    pub(crate) fn from_oid(oid: &der::asn1::ObjectIdentifier) -> Result<AlgorithmeEmpreinte> {
        match *oid {
            super::asn1::OID_SHA256 => Ok(AlgorithmeEmpreinte::Sha256),
            super::asn1::OID_SHA384 => Ok(AlgorithmeEmpreinte::Sha384),
            super::asn1::OID_SHA512 => Ok(AlgorithmeEmpreinte::Sha512),
            _ => Err(Error::new(
                ErrorCode::Unsupported,
                format!("algorithme d'empreinte non pris en charge : {oid}"),
            )),
        }
    }

    pub(crate) fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// The XML-DSig URI of the digest.
    pub(crate) fn xml_uri(self) -> &'static str {
        match self {
            AlgorithmeEmpreinte::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            AlgorithmeEmpreinte::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            AlgorithmeEmpreinte::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    pub(crate) fn from_xml_uri(uri: &str) -> Result<AlgorithmeEmpreinte> {
        match uri {
            "http://www.w3.org/2001/04/xmlenc#sha256" => Ok(AlgorithmeEmpreinte::Sha256),
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Ok(AlgorithmeEmpreinte::Sha384),
            "http://www.w3.org/2001/04/xmlenc#sha512" => Ok(AlgorithmeEmpreinte::Sha512),
            _ => Err(Error::new(
                ErrorCode::Unsupported,
                format!("algorithme d'empreinte XML non pris en charge : {uri}"),
            )),
        }
    }
}

/// Incremental hash of one of the supported algorithms (streams big files).
#[derive(Debug, Clone)]
pub(crate) enum Hasher {
    S256(Sha256),
    S384(Sha384),
    S512(Sha512),
}

impl Hasher {
    pub(crate) fn new(alg: AlgorithmeEmpreinte) -> Hasher {
        match alg {
            AlgorithmeEmpreinte::Sha256 => Hasher::S256(Sha256::new()),
            AlgorithmeEmpreinte::Sha384 => Hasher::S384(Sha384::new()),
            AlgorithmeEmpreinte::Sha512 => Hasher::S512(Sha512::new()),
        }
    }
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::S256(h) => h.update(data),
            Hasher::S384(h) => h.update(data),
            Hasher::S512(h) => h.update(data),
        }
    }
    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Hasher::S256(h) => h.finalize().to_vec(),
            Hasher::S384(h) => h.finalize().to_vec(),
            Hasher::S512(h) => h.finalize().to_vec(),
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
                    return Err(Error::new(
                        ErrorCode::Io,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchemaSignature {
    /// RSA PKCS#1 v1.5 (the default, what every validator accepts).
    #[default]
    RsaPkcs1v15,
    /// RSA-PSS with MGF1 of the same digest and a salt as long as the digest.
    RsaPss,
    /// ECDSA on P-256 (the scheme of every EC key; DER value in CMS, r‖s in XML).
    Ecdsa,
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
}

impl ClePublique {
    /// The scheme a signer with this key uses by default.
    fn schema(&self) -> SchemaSignature {
        match self {
            ClePublique::Rsa(_) => SchemaSignature::RsaPkcs1v15,
            ClePublique::P256(_) => SchemaSignature::Ecdsa,
        }
    }

    /// Largest signature value in bytes (RSA: the modulus; ECDSA P-256: DER of r and s).
    fn signature_len(&self) -> usize {
        match self {
            ClePublique::Rsa(k) => k.size(),
            ClePublique::P256(_) => 72,
        }
    }
}

fn incompatible(scheme: SchemaSignature, cle: &str) -> Error {
    Error::new(
        ErrorCode::Unsupported,
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
            Error::new(
                ErrorCode::SignatureMalformee,
                "valeur de signature ECDSA illisible (ni DER ni r‖s de 64 octets)",
            )
        })
}

/// Who signs: the certificate chain and, for a local signer, the private key (RSA, or
/// ECDSA on P-256).
#[derive(Clone)]
pub struct Signer {
    key: Option<CleSignature>,
    certificate: Certificate,
    chain: Vec<Certificate>,
    digest: AlgorithmeEmpreinte,
    scheme: SchemaSignature,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
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

impl Signer {
    /// A signer from a PEM private key (PKCS#8 `PRIVATE KEY`, RSA or EC P-256; PKCS#1
    /// `RSA PRIVATE KEY`; SEC 1 `EC PRIVATE KEY`) and PEM certificates: the signer's
    /// certificate first, then its chain (optional). The key must match the certificate.
    ///
    /// ```no_run
    /// let key = std::fs::read_to_string("signataire.key").unwrap();
    /// let certs = std::fs::read_to_string("signataire.pem").unwrap();
    /// let signer = mpe::signature::Signer::from_pem(&key, &certs).unwrap();
    /// # let _ = signer;
    /// ```
    pub fn from_pem(key_pem: &str, certificates_pem: &str) -> Result<Signer> {
        let key =
            if key_pem.contains("BEGIN RSA PRIVATE KEY") {
                CleSignature::Rsa(PrivateKey::from_pkcs1_pem(key_pem).map_err(|e| {
                    Error::new(ErrorCode::CleInvalide, format!("clé RSA PKCS#1 : {e}"))
                })?)
            } else if key_pem.contains("BEGIN ENCRYPTED PRIVATE KEY") {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    "clé PKCS#8 chiffrée : la déchiffrer d'abord (module crypto)",
                ));
            } else if key_pem.contains("BEGIN EC PRIVATE KEY") {
                let k = p256::SecretKey::from_sec1_pem(key_pem).map_err(|e| {
                    Error::new(
                        ErrorCode::CleInvalide,
                        format!("clé EC SEC 1 (P-256 attendue) : {e}"),
                    )
                })?;
                CleSignature::P256(k.into())
            } else {
                match PrivateKey::from_pkcs8_pem(key_pem) {
                    Ok(k) => CleSignature::Rsa(k),
                    Err(rsa_err) => CleSignature::P256(
                        p256::ecdsa::SigningKey::from_pkcs8_pem(key_pem).map_err(|_| {
                            Error::new(
                                ErrorCode::CleInvalide,
                                format!("clé privée PKCS#8 (RSA ou EC P-256 attendue) : {rsa_err}"),
                            )
                        })?,
                    ),
                }
            };
        let certs = Certificate::load_pem_chain(certificates_pem.as_bytes())
            .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("certificats PEM : {e}")))?;
        Signer::with_key(key, certs)
    }

    /// A signer from an RSA key and DER/PEM-decoded certificates (signer first).
    pub fn from_key(key: PrivateKey, certificates: Vec<Certificate>) -> Result<Signer> {
        Signer::with_key(CleSignature::Rsa(key), certificates)
    }

    fn with_key(key: CleSignature, certificates: Vec<Certificate>) -> Result<Signer> {
        let mut s = Signer::externe(certificates)?;
        let public = public_key(&s.certificate)?;
        let matches = match &key {
            CleSignature::Rsa(k) => public == ClePublique::Rsa(k.to_public_key()),
            CleSignature::P256(k) => public == ClePublique::P256(*k.verifying_key()),
        };
        if !matches {
            return Err(Error::new(
                ErrorCode::CleInvalide,
                "la clé privée ne correspond pas au certificat",
            ));
        }
        s.key = Some(key);
        Ok(s)
    }

    /// A signer without private key: the digest is signed outside (smartcard, HSM, remote
    /// service) between [`super::preparer`] and [`super::SignaturePreparee::assembler`].
    pub fn externe(mut certificates: Vec<Certificate>) -> Result<Signer> {
        if certificates.is_empty() {
            return Err(Error::new(
                ErrorCode::CleInvalide,
                "certificat du signataire manquant",
            ));
        }
        let certificate = certificates.remove(0);
        let scheme = public_key(&certificate)?.schema();
        Ok(Signer {
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
            .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("certificats PEM : {e}")))
    }

    /// Choose the digest algorithm (SHA-256 by default).
    #[must_use]
    pub fn avec_empreinte(mut self, digest: AlgorithmeEmpreinte) -> Signer {
        self.digest = digest;
        self
    }

    /// Choose the signature scheme (PKCS#1 v1.5 by default for RSA keys; EC keys only sign
    /// with [`SchemaSignature::Ecdsa`], any other choice fails at signing).
    #[must_use]
    pub fn avec_schema(mut self, scheme: SchemaSignature) -> Signer {
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

    /// The largest size of a signature value in bytes.
    pub(crate) fn signature_len(&self) -> usize {
        public_key(&self.certificate)
            .map(|k| k.signature_len())
            .unwrap_or(512)
    }

    /// Sign a digest computed with [`Signer::empreinte`] (the local key is needed).
    pub fn signer_empreinte(&self, digest: &[u8]) -> Result<Vec<u8>> {
        let key = self.key.as_ref().ok_or_else(|| {
            Error::invalid_argument("signataire externe : signer l'empreinte hors de mpe")
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
    use AlgorithmeEmpreinte as A;
    let key = match (key, scheme) {
        (CleSignature::P256(k), SchemaSignature::Ecdsa) => {
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            // RFC 6979 deterministic nonce; a longer digest is truncated (FIPS 186-5).
            let sig: p256::ecdsa::Signature = k.sign_prehash(digest).map_err(|e| {
                Error::new(ErrorCode::CleInutilisable, format!("signature ECDSA : {e}"))
            })?;
            return Ok(sig.to_der().as_bytes().to_vec());
        }
        (CleSignature::P256(_), s) => return Err(incompatible(s, "EC P-256")),
        (CleSignature::Rsa(_), SchemaSignature::Ecdsa) => {
            return Err(incompatible(SchemaSignature::Ecdsa, "RSA"));
        }
        (CleSignature::Rsa(k), _) => k,
    };
    let r = match (scheme, alg) {
        (SchemaSignature::Ecdsa, _) => return Err(incompatible(scheme, "RSA")),
        (SchemaSignature::RsaPkcs1v15, A::Sha256) => {
            key.sign(Pkcs1v15Sign::new::<Sha256>(), digest)
        }
        (SchemaSignature::RsaPkcs1v15, A::Sha384) => {
            key.sign(Pkcs1v15Sign::new::<Sha384>(), digest)
        }
        (SchemaSignature::RsaPkcs1v15, A::Sha512) => {
            key.sign(Pkcs1v15Sign::new::<Sha512>(), digest)
        }
        (SchemaSignature::RsaPss, A::Sha256) => key.sign(rsa::Pss::<Sha256>::new(), digest),
        (SchemaSignature::RsaPss, A::Sha384) => key.sign(rsa::Pss::<Sha384>::new(), digest),
        (SchemaSignature::RsaPss, A::Sha512) => key.sign(rsa::Pss::<Sha512>::new(), digest),
    };
    r.map_err(|e| Error::new(ErrorCode::CleInutilisable, format!("signature RSA : {e}")))
}

/// Verify an RSA signature over a digest with the public key of `cert`.
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

pub(crate) fn verify_with_key(
    key: &ClePublique,
    scheme: SchemaSignature,
    alg: AlgorithmeEmpreinte,
    digest: &[u8],
    signature: &[u8],
) -> Result<()> {
    use AlgorithmeEmpreinte as A;
    let invalide = || {
        Error::new(
            ErrorCode::SignatureInvalide,
            "valeur de signature incorrecte",
        )
    };
    let key = match (key, scheme) {
        (ClePublique::P256(k), SchemaSignature::Ecdsa) => {
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            let sig = ecdsa_value(signature)?;
            return k.verify_prehash(digest, &sig).map_err(|_| invalide());
        }
        (ClePublique::P256(_), s) => return Err(incompatible(s, "EC P-256")),
        (ClePublique::Rsa(_), SchemaSignature::Ecdsa) => {
            return Err(incompatible(SchemaSignature::Ecdsa, "RSA"));
        }
        (ClePublique::Rsa(k), _) => k,
    };
    let r = match (scheme, alg) {
        (SchemaSignature::Ecdsa, _) => return Err(incompatible(scheme, "RSA")),
        (SchemaSignature::RsaPkcs1v15, A::Sha256) => {
            key.verify(Pkcs1v15Sign::new::<Sha256>(), digest, signature)
        }
        (SchemaSignature::RsaPkcs1v15, A::Sha384) => {
            key.verify(Pkcs1v15Sign::new::<Sha384>(), digest, signature)
        }
        (SchemaSignature::RsaPkcs1v15, A::Sha512) => {
            key.verify(Pkcs1v15Sign::new::<Sha512>(), digest, signature)
        }
        (SchemaSignature::RsaPss, A::Sha256) => {
            key.verify(pss_any_salt::<Sha256>(), digest, signature)
        }
        (SchemaSignature::RsaPss, A::Sha384) => {
            key.verify(pss_any_salt::<Sha384>(), digest, signature)
        }
        (SchemaSignature::RsaPss, A::Sha512) => {
            key.verify(pss_any_salt::<Sha512>(), digest, signature)
        }
    };
    r.map_err(|_| invalide())
}

/// The public key of a certificate: RSA or EC P-256 (other types and curves: unsupported,
/// named in the error).
pub(crate) fn public_key(cert: &Certificate) -> Result<ClePublique> {
    let spki = cert.tbs_certificate().subject_public_key_info();
    let der = spki
        .to_der()
        .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("clé publique : {e}")))?;
    match spki.algorithm.oid {
        super::asn1::OID_RSA_ENCRYPTION => PublicKey::from_public_key_der(&der)
            .map(ClePublique::Rsa)
            .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("clé publique RSA : {e}"))),
        super::asn1::OID_EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
            if curve != Some(super::asn1::OID_P256) {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!(
                        "courbe elliptique non prise en charge : {} (P-256 seulement)",
                        curve.map(|c| c.to_string()).unwrap_or_else(|| "?".into())
                    ),
                ));
            }
            p256::ecdsa::VerifyingKey::from_public_key_der(&der)
                .map(ClePublique::P256)
                .map_err(|e| Error::new(ErrorCode::CleInvalide, format!("clé publique EC : {e}")))
        }
        other => Err(Error::new(
            ErrorCode::Unsupported,
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
    r.map_err(|e| Error::new(ErrorCode::CleInvalide, format!("certificat : {e}")))
}

/// PSS for verification: the salt length is read from the signature (other tools use
/// lengths other than the digest's).
fn pss_any_salt<D: sha2::Digest>() -> rsa::Pss<D> {
    let mut p = rsa::Pss::<D>::new();
    p.salt_len = None;
    p
}

impl Signer {
    /// A signer from a key pair loaded by [`crate::crypto::keys`] — PKCS#12 with password,
    /// encrypted PKCS#8, PEM with the chain —, the files signers actually have.
    ///
    /// ```
    /// # fn main() -> mpe::Result<()> {
    /// # let key = include_str!("../../../tests/vectors/signature/signataire.key");
    /// # let cert = include_str!("../../../tests/vectors/signature/signataire.pem");
    /// let bicle = mpe::crypto::keys::BiCle::from_pem(cert.as_bytes(), key.as_bytes(), None)?;
    /// let signer = mpe::signature::Signer::from_bicle(bicle)?;
    /// # let _ = signer;
    /// # Ok(()) }
    /// ```
    pub fn from_bicle(bicle: crate::crypto::keys::BiCle) -> Result<Signer> {
        let (key, certificate, chain) = bicle.into_parts();
        let key = match key {
            crate::crypto::keys::PrivateKey::Rsa(k) => CleSignature::Rsa(k),
            crate::crypto::keys::PrivateKey::EcP256(k) => CleSignature::P256(k.into()),
        };
        let mut certificates = vec![certificate];
        certificates.extend(chain);
        Signer::with_key(key, certificates)
    }
}
