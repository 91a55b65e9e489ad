//! Key pairs ("bi-clés") and certificates: load, generate, export.
//!
//! This module is the one place where mpe reads private keys and certificates, for
//! encryption (this area) and for signing (the `signature` area):
//!
//! - [`load_private_key`]: PEM or DER, PKCS#1 (`RSA PRIVATE KEY`), PKCS#8 (`PRIVATE KEY`)
//!   and password-encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, PBES2);
//! - [`load_certificates`]: one or more certificates, PEM or DER;
//! - [`load_pkcs12`]: a `.p12`/`.pfx` with password — key, certificate and chain —
//!   including the files `openssl pkcs12 -export` writes with its defaults
//!   (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256);
//! - [`BiCle::generer`]: a new RSA key pair with a self-signed certificate
//!   (CN such as "Clé de déchiffrement de Jean DUPONT", key usage keyEncipherment);
//! - [`export_pkcs8_pem`] and [`BiCle::to_pkcs12`] to export them again.
//!
//! ```
//! use mpe::crypto::bicle::{BiCle, GenerationBiCle, load_pkcs12};
//! let maintenant = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z").unwrap().to_utc();
//! let bicle = BiCle::generer(&GenerationBiCle::new("Jean DUPONT"), maintenant).unwrap();
//! let p12 = bicle.exporter_pkcs12("secret").unwrap();
//! let relue = load_pkcs12(&p12, "secret").unwrap();
//! assert_eq!(relue.certificate(), bicle.certificate());
//! ```

use std::time::Duration;

use chrono::{DateTime, Utc};
use der::asn1::OctetString;
use der::{Decode, Encode, EncodePem};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use sha1::Digest;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, profile::BuilderProfile};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{EncodePublicKey, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

use crate::crypto::pem;
use crate::{CodeErreur, Erreur, Result};

pub use crate::crypto::pkcs12::load_pkcs12;

/// A private key mpe can use: RSA (encryption and signature) or EC P-256 (signature only:
/// CMS envelopes use RSA key transport).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
// RSA is the common case (every encryption key); boxing it to spare the rare EC key a few
// hundred bytes would change the public variant's type for nothing.
#[allow(clippy::large_enum_variant)]
pub enum PrivateKey {
    /// An RSA private key (2048 bits or more).
    Rsa(rsa::PrivateKey),
    /// An EC private key on P-256 (signing certificates of some qualified providers).
    EcP256(p256::SecretKey),
}

impl PrivateKey {
    /// The RSA key, if this is one.
    pub fn as_rsa(&self) -> Option<&rsa::PrivateKey> {
        match self {
            PrivateKey::Rsa(k) => Some(k),
            PrivateKey::EcP256(_) => None,
        }
    }

    /// Size of the key in bits.
    pub fn bits(&self) -> usize {
        match self {
            PrivateKey::Rsa(k) => k.size() * 8,
            PrivateKey::EcP256(_) => 256,
        }
    }

    /// The DER `SubjectPublicKeyInfo` of the public half.
    pub fn public_key_der(&self) -> Result<Vec<u8>> {
        match self {
            PrivateKey::Rsa(k) => k
                .to_public_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| Erreur::internal(format!("encodage de la clé publique : {e}"))),
            PrivateKey::EcP256(k) => k
                .public_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| Erreur::internal(format!("encodage de la clé publique : {e}"))),
        }
    }

    /// The DER PKCS#8 `PrivateKeyInfo` (unencrypted; handle with care).
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>> {
        match self {
            PrivateKey::Rsa(k) => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| Erreur::internal(format!("encodage PKCS#8 : {e}"))),
            PrivateKey::EcP256(k) => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| Erreur::internal(format!("encodage PKCS#8 : {e}"))),
        }
    }

    /// Whether this key is the private half of the certificate's public key.
    pub fn matches(&self, cert: &Certificate) -> bool {
        match (
            self.public_key_der(),
            cert.tbs_certificate().subject_public_key_info().to_der(),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

fn cle_invalide(what: &str, e: impl std::fmt::Display) -> Erreur {
    Erreur::new(CodeErreur::CleInvalide, format!("{what} illisible : {e}"))
}

/// Decode a PKCS#8 `PrivateKeyInfo` (DER) into a key.
pub(crate) fn private_key_from_pkcs8_der(der: &[u8]) -> Result<PrivateKey> {
    let info =
        pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| cle_invalide("clé PKCS#8", e))?;
    let oid = info.algorithm.oid;
    if oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
        return p256::SecretKey::from_pkcs8_der(der)
            .map(PrivateKey::EcP256)
            .map_err(|e| {
                Erreur::new(
                    CodeErreur::NonPrisEnCharge,
                    format!("clé EC non prise en charge (P-256 seulement) : {e}"),
                )
            });
    }
    if oid != const_oid::db::rfc5912::RSA_ENCRYPTION {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!("algorithme de clé privée non pris en charge : {oid}"),
        ));
    }
    rsa::PrivateKey::from_pkcs8_der(der)
        .map(PrivateKey::Rsa)
        .map_err(|e| cle_invalide("clé RSA", e))
}

/// Decrypt an `EncryptedPrivateKeyInfo` (DER) with a password and decode the key.
pub(crate) fn private_key_from_encrypted_pkcs8_der(
    der: &[u8],
    password: &str,
) -> Result<PrivateKey> {
    let enc = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der)
        .map_err(|e| cle_invalide("clé PKCS#8 chiffrée", e))?;
    let plain = crate::crypto::pkcs12::pbe_decrypt(
        &enc.encryption_algorithm,
        password,
        enc.encrypted_data.as_bytes(),
    )?;
    private_key_from_pkcs8_der(&plain)
}

/// Load a private key from PEM or DER: PKCS#1, PKCS#8, or encrypted PKCS#8 with `password`.
///
/// A wrong password gives [`CodeErreur::MotDePasseIncorrect`]; an encrypted key without
/// password gives [`CodeErreur::MotDePasseIncorrect`] too, saying a password is needed.
pub fn load_private_key(data: &[u8], password: Option<&str>) -> Result<PrivateKey> {
    if let Some(blocks) = pem::parse_all(data)? {
        for (label, der) in blocks {
            match label.as_str() {
                "PRIVATE KEY" => return private_key_from_pkcs8_der(&der),
                "RSA PRIVATE KEY" => {
                    use pkcs1::DecodeRsaPrivateKey;
                    return rsa::PrivateKey::from_pkcs1_der(&der)
                        .map(PrivateKey::Rsa)
                        .map_err(|e| cle_invalide("clé RSA PKCS#1", e));
                }
                "ENCRYPTED PRIVATE KEY" => {
                    let pw = password.ok_or_else(|| {
                        Erreur::new(
                            CodeErreur::MotDePasseIncorrect,
                            "la clé est chiffrée : mot de passe requis",
                        )
                    })?;
                    return private_key_from_encrypted_pkcs8_der(&der, pw);
                }
                "EC PRIVATE KEY" => {
                    return p256::SecretKey::from_sec1_der(&der)
                        .map(PrivateKey::EcP256)
                        .map_err(|e| {
                            Erreur::new(
                                CodeErreur::NonPrisEnCharge,
                                format!("clé EC SEC 1 non prise en charge (P-256 seulement) : {e}"),
                            )
                        });
                }
                _ => continue,
            }
        }
        return Err(Erreur::new(
            CodeErreur::CleInvalide,
            "aucune clé privée dans le PEM",
        ));
    }
    // DER: try PKCS#8, then encrypted PKCS#8, then PKCS#1.
    if pkcs8::PrivateKeyInfoRef::from_der(data).is_ok() {
        return private_key_from_pkcs8_der(data);
    }
    if pkcs8::EncryptedPrivateKeyInfoRef::from_der(data).is_ok() {
        let pw = password.ok_or_else(|| {
            Erreur::new(
                CodeErreur::MotDePasseIncorrect,
                "la clé est chiffrée : mot de passe requis",
            )
        })?;
        return private_key_from_encrypted_pkcs8_der(data, pw);
    }
    use pkcs1::DecodeRsaPrivateKey;
    rsa::PrivateKey::from_pkcs1_der(data)
        .map(PrivateKey::Rsa)
        .map_err(|e| cle_invalide("clé privée", e))
}

/// Load every certificate of a PEM file (any number of `CERTIFICATE` blocks) or one DER
/// certificate. An input without any certificate is an error.
pub fn load_certificates(data: &[u8]) -> Result<Vec<Certificate>> {
    if let Some(blocks) = pem::parse_all(data)? {
        let mut certs = vec![];
        for (label, der) in blocks {
            match label.as_str() {
                "CERTIFICATE" | "X509 CERTIFICATE" => certs
                    .push(Certificate::from_der(&der).map_err(|e| cle_invalide("certificat", e))?),
                "PKCS7" | "CMS" => certs.extend(certificats_pkcs7(&der)?),
                _ => {}
            }
        }
        if certs.is_empty() {
            return Err(Erreur::new(
                CodeErreur::CleInvalide,
                "aucun certificat dans le PEM",
            ));
        }
        return Ok(certs);
    }
    match Certificate::from_der(data) {
        Ok(c) => Ok(vec![c]),
        // A DER bundle (`.p7b`, `.p7c`): the certificates of a SignedData.
        Err(e) => match certificats_pkcs7(data) {
            Ok(certs) if !certs.is_empty() => Ok(certs),
            _ => Err(cle_invalide("certificat", e)),
        },
    }
}

/// The certificates of a PKCS#7 / CMS SignedData, as Windows and CAs hand out chains
/// (`.p7b`, `openssl crl2pkcs7 -nocrl`).
fn certificats_pkcs7(der: &[u8]) -> Result<Vec<Certificate>> {
    use cms::cert::CertificateChoices;
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    const SIGNED_DATA: der::oid::ObjectIdentifier =
        der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
    let ci = ContentInfo::from_der(der).map_err(|e| cle_invalide("PKCS#7", e))?;
    if ci.content_type != SIGNED_DATA {
        return Err(Erreur::new(
            CodeErreur::CleInvalide,
            "PKCS#7 : pas un SignedData",
        ));
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|e| cle_invalide("PKCS#7", e))?;
    Ok(sd
        .certificates
        .map(|set| {
            set.0
                .into_vec()
                .into_iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Load exactly one certificate (the first one of a PEM file).
pub fn load_certificate(data: &[u8]) -> Result<Certificate> {
    load_certificates(data)?
        .into_iter()
        .next()
        .ok_or_else(|| Erreur::new(CodeErreur::CleInvalide, "aucun certificat"))
}

/// A certificate as PEM text.
pub fn certificate_to_pem(cert: &Certificate) -> Result<String> {
    cert.to_pem(der::pem::LineEnding::LF)
        .map_err(|e| Erreur::internal(format!("encodage PEM du certificat : {e}")))
}

/// Export a private key as PKCS#8 PEM; with a password, as `ENCRYPTED PRIVATE KEY`
/// (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), which `openssl pkey` reads.
pub fn export_pkcs8_pem(key: &PrivateKey, password: Option<&str>) -> Result<String> {
    let der = key.to_pkcs8_der()?;
    match password {
        None => Ok(pem::encode("PRIVATE KEY", &der)),
        Some(pw) => {
            let enc = crate::crypto::pkcs12::encrypt_pkcs8(&der, pw)?;
            Ok(pem::encode("ENCRYPTED PRIVATE KEY", &enc))
        }
    }
}

/// The validity of a certificate, as plain UTC dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Validite {
    /// Not before.
    pub debut: DateTime<Utc>,
    /// Not after.
    pub fin: DateTime<Utc>,
}

/// The validity period of a certificate.
pub fn validite(cert: &Certificate) -> Validite {
    let v = cert.tbs_certificate().validity();
    let conv = |t: Time| {
        let d = t.to_unix_duration();
        DateTime::<Utc>::from_timestamp(d.as_secs() as i64, 0).unwrap_or_default()
    };
    Validite {
        debut: conv(v.not_before),
        fin: conv(v.not_after),
    }
}

/// The subject's common name, or the whole subject if it has none.
pub fn nom_sujet(cert: &Certificate) -> String {
    let subject = cert.tbs_certificate().subject();
    match subject.common_name() {
        Ok(Some(cn)) => cn.value().into_owned(),
        _ => subject.to_string(),
    }
}

/// SHA-256 of the DER certificate, hex (a stable identifier of a key pair).
pub fn empreinte(cert: &Certificate) -> String {
    let der = cert.to_der().unwrap_or_default();
    hex::encode(sha2::Sha256::digest(&der))
}

/// A key pair: private key, its certificate, and the certificates of the chain (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiCle {
    key: PrivateKey,
    certificate: Certificate,
    chain: Vec<Certificate>,
}

/// What a new key pair should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerationBiCle {
    /// Whose key it is, e.g. `"Jean DUPONT"`; the CN becomes
    /// `"Clé de déchiffrement de Jean DUPONT"` unless `nom_complet` is set.
    pub titulaire: String,
    /// The exact CN to use instead of the generated one.
    #[serde(default)]
    pub nom_complet: Option<String>,
    /// RSA modulus size: 2048, 3072 or 4096 (default 2048).
    #[serde(default = "default_bits")]
    pub bits: usize,
    /// Validity in days (default 3 years).
    #[serde(default = "default_days")]
    pub jours_validite: u32,
    /// Optional organisation (O) of the subject.
    #[serde(default)]
    pub organisation: Option<String>,
}

fn default_bits() -> usize {
    2048
}
fn default_days() -> u32 {
    3 * 365
}

impl GenerationBiCle {
    /// Defaults (RSA 2048, 3 years) for the holder's name.
    pub fn new(titulaire: impl Into<String>) -> GenerationBiCle {
        GenerationBiCle {
            titulaire: titulaire.into(),
            nom_complet: None,
            bits: default_bits(),
            jours_validite: default_days(),
            organisation: None,
        }
    }

    /// The CN of the certificate.
    pub fn common_name(&self) -> String {
        self.nom_complet
            .clone()
            .unwrap_or_else(|| format!("Clé de déchiffrement de {}", self.titulaire))
    }
}

/// Escape a value for an RFC 4514 string.
fn escape_rdn(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (c == '#' || c == ' '));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.pop();
        out.push_str("\\ ");
    }
    out
}

/// The profile of an encryption certificate: self-issued end entity, key usage
/// keyEncipherment (critical), basic constraints CA:FALSE, subject key identifier.
struct ProfilChiffrement {
    subject: Name,
    /// Key agreement (EC keys) rather than key encipherment (RSA).
    accord: bool,
}

impl BuilderProfile for ProfilChiffrement {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};
        let ku = if self.accord {
            KeyUsage(KeyUsages::KeyAgreement.into())
        } else {
            KeyUsage(KeyUsages::KeyEncipherment | KeyUsages::DataEncipherment)
        };
        let bc = BasicConstraints {
            ca: false,
            path_len_constraint: None,
        };
        let ski = SubjectKeyIdentifier(OctetString::new(
            sha1::Sha1::digest(spk.subject_public_key.raw_bytes()).to_vec(),
        )?);
        let ext = |oid, critical, der: Vec<u8>| -> der::Result<Extension> {
            Ok(Extension {
                extn_id: oid,
                critical,
                extn_value: OctetString::new(der)?,
            })
        };
        Ok(vec![
            ext(const_oid::db::rfc5280::ID_CE_KEY_USAGE, true, ku.to_der()?)?,
            ext(
                const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
                true,
                bc.to_der()?,
            )?,
            ext(
                const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
                false,
                ski.to_der()?,
            )?,
        ])
    }
}

fn to_time(t: DateTime<Utc>) -> Result<Time> {
    let secs = u64::try_from(t.timestamp())
        .map_err(|_| Erreur::invalid_argument("date antérieure à 1970"))?;
    let dt = der::DateTime::from_unix_duration(Duration::from_secs(secs))
        .map_err(|e| Erreur::invalid_argument(format!("date invalide : {e}")))?;
    Ok(Time::GeneralTime(
        der::asn1::GeneralizedTime::from_date_time(dt),
    ))
}

/// Subject, serial and validity of a new encryption certificate.
fn champs_certificat(
    params: &GenerationBiCle,
    now: DateTime<Utc>,
) -> Result<(Name, SerialNumber, Validity)> {
    if params.titulaire.trim().is_empty() && params.nom_complet.is_none() {
        return Err(
            Erreur::new(CodeErreur::ChampObligatoire, "titulaire de la clé vide").at("titulaire"),
        );
    }
    if params.jours_validite == 0 || params.jours_validite > 36_500 {
        return Err(Erreur::invalid_argument(
            "durée de validité hors limites (1 à 36 500 jours)",
        ));
    }
    let mut dn = format!("CN={}", escape_rdn(&params.common_name()));
    if let Some(o) = &params.organisation {
        dn.push_str(&format!(",O={}", escape_rdn(o)));
    }
    let subject: Name = dn
        .parse()
        .map_err(|e| Erreur::invalid_argument(format!("nom de certificat invalide : {e}")))?;
    let mut serial = [0u8; 16];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut serial);
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    let serial = SerialNumber::new(&serial)
        .map_err(|e| Erreur::internal(format!("numéro de série : {e}")))?;
    let fin = now + chrono::Duration::days(i64::from(params.jours_validite));
    Ok((subject, serial, Validity::new(to_time(now)?, to_time(fin)?)))
}

/// A new EC key pair for envelopes (ECDH: P-256, P-384, P-521 or X25519) with its
/// certificate (key usage keyAgreement). A P-256 certificate is self-signed; the other
/// curves' are signed by a one-time P-256 key under the same name, since X25519 cannot
/// sign and nobody checks the signature of an encryption certificate chosen by its owner.
///
/// ```
/// use mpe::crypto::dechiffreur::Courbe;
/// use mpe::crypto::bicle::{GenerationBiCle, generer_cle_ec};
/// let now = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z").unwrap().to_utc();
/// let cle = generer_cle_ec(&GenerationBiCle::new("Jean DUPONT"), Courbe::X25519, now).unwrap();
/// assert!(cle.certificat_joint().is_some());
/// ```
pub fn generer_cle_ec(
    params: &GenerationBiCle,
    courbe: crate::crypto::dechiffreur::Courbe,
    now: DateTime<Utc>,
) -> Result<crate::crypto::dechiffreur::CleDechiffrement> {
    use crate::crypto::dechiffreur::{CleAsymetrique, CleDechiffrement, Dechiffreur};
    use p256::elliptic_curve::Generate;
    let (subject, serial, validity) = champs_certificat(params, now)?;
    let cle = CleDechiffrement::generer_ec(courbe)?;
    let spki = cle.cle_publique()?;
    let signataire = match cle.cle() {
        CleAsymetrique::P256(k) => p256::ecdsa::SigningKey::from(k),
        _ => p256::ecdsa::SigningKey::from(p256::SecretKey::generate_from_rng(&mut rand::rng())),
    };
    let builder = CertificateBuilder::new(
        ProfilChiffrement {
            subject,
            accord: true,
        },
        serial,
        validity,
        spki,
    )
    .map_err(|e| Erreur::internal(format!("certificat : {e}")))?;
    let cert = builder
        .build::<_, p256::ecdsa::DerSignature>(&signataire)
        .map_err(|e| Erreur::internal(format!("signature du certificat : {e}")))?;
    cle.avec_certificat(cert)
}

impl BiCle {
    /// Assemble a key pair from a key and its certificate (checked to match).
    pub fn new(
        key: PrivateKey,
        certificate: Certificate,
        chain: Vec<Certificate>,
    ) -> Result<BiCle> {
        if !key.matches(&certificate) {
            return Err(Erreur::new(
                CodeErreur::CleInvalide,
                "la clé privée ne correspond pas au certificat",
            ));
        }
        Ok(BiCle {
            key,
            certificate,
            chain,
        })
    }

    /// Load a key pair from a PEM certificate (and chain) and a PEM/DER private key.
    pub fn from_pem(certificate: &[u8], key: &[u8], password: Option<&str>) -> Result<BiCle> {
        let mut certs = load_certificates(certificate)?;
        let key = load_private_key(key, password)?;
        let pos = certs.iter().position(|c| key.matches(c)).ok_or_else(|| {
            Erreur::new(
                CodeErreur::CleInvalide,
                "la clé privée ne correspond à aucun certificat",
            )
        })?;
        let cert = certs.remove(pos);
        BiCle::new(key, cert, certs)
    }

    /// Load a key pair from either a PKCS#12 file or a PEM text holding the certificate
    /// (and chain) and the private key (PKCS#1, PKCS#8 or encrypted PKCS#8).
    pub fn lire(data: &[u8], password: Option<&str>) -> Result<BiCle> {
        if pem::looks_like_pem(data) {
            BiCle::from_pem(data, data, password)
        } else {
            load_pkcs12(data, password.unwrap_or(""))
        }
    }

    /// Generate a new RSA key pair and its self-signed certificate, valid from `now`.
    pub fn generer(params: &GenerationBiCle, now: DateTime<Utc>) -> Result<BiCle> {
        if !matches!(params.bits, 2048 | 3072 | 4096) {
            return Err(Erreur::invalid_argument(format!(
                "taille de clé RSA {} non prise en charge (2048, 3072 ou 4096)",
                params.bits
            )));
        }
        if params.titulaire.trim().is_empty() && params.nom_complet.is_none() {
            return Err(
                Erreur::new(CodeErreur::ChampObligatoire, "titulaire de la clé vide")
                    .at("titulaire"),
            );
        }
        if params.jours_validite == 0 || params.jours_validite > 36_500 {
            return Err(Erreur::invalid_argument(
                "durée de validité hors limites (1 à 36 500 jours)",
            ));
        }
        let mut rng = rand::rng();
        let key = rsa::PrivateKey::new(&mut rng, params.bits)
            .map_err(|e| Erreur::internal(format!("génération RSA : {e}")))?;
        let mut dn = format!("CN={}", escape_rdn(&params.common_name()));
        if let Some(o) = &params.organisation {
            dn.push_str(&format!(",O={}", escape_rdn(o)));
        }
        let subject: Name = dn
            .parse()
            .map_err(|e| Erreur::invalid_argument(format!("nom de certificat invalide : {e}")))?;
        let spki = SubjectPublicKeyInfoOwned::from_key(&key.to_public_key())
            .map_err(|e| Erreur::internal(format!("clé publique : {e}")))?;
        let mut serial = [0u8; 16];
        rand::Rng::fill_bytes(&mut rng, &mut serial);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        let serial = SerialNumber::new(&serial)
            .map_err(|e| Erreur::internal(format!("numéro de série : {e}")))?;
        let fin = now + chrono::Duration::days(i64::from(params.jours_validite));
        let validity = Validity::new(to_time(now)?, to_time(fin)?);
        let builder = CertificateBuilder::new(
            ProfilChiffrement {
                subject,
                accord: false,
            },
            serial,
            validity,
            spki,
        )
        .map_err(|e| Erreur::internal(format!("certificat : {e}")))?;
        let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&signer)
            .map_err(|e| Erreur::internal(format!("signature du certificat : {e}")))?;
        Ok(BiCle {
            key: PrivateKey::Rsa(key),
            certificate: cert,
            chain: Vec::new(),
        })
    }

    /// The private key.
    pub fn cle(&self) -> &PrivateKey {
        &self.key
    }

    /// The certificate of the key.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The other certificates (issuers), possibly empty.
    pub fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    /// Split into parts.
    pub fn into_parts(self) -> (PrivateKey, Certificate, Vec<Certificate>) {
        (self.key, self.certificate, self.chain)
    }

    /// Export as PKCS#12 (PBES2 AES-256-CBC with PBKDF2-HMAC-SHA256, MAC HMAC-SHA256), the
    /// format of `openssl pkcs12 -export` in OpenSSL 3.
    pub fn exporter_pkcs12(&self, password: &str) -> Result<Vec<u8>> {
        crate::crypto::pkcs12::export_pkcs12(self, password)
    }

    /// The certificate (then the chain) as PEM.
    pub fn certificat_pem(&self) -> Result<String> {
        let mut s = certificate_to_pem(&self.certificate)?;
        for c in &self.chain {
            s.push_str(&certificate_to_pem(c)?);
        }
        Ok(s)
    }

    /// A summary for hosts and bindings.
    pub fn decrire(&self) -> InfoBiCle {
        InfoBiCle::of(&self.certificate, Some(&self.key))
    }
}

/// What hosts display about a key pair or a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InfoBiCle {
    /// Subject CN.
    pub nom: String,
    /// Subject DN (RFC 4514).
    pub sujet: String,
    /// Issuer DN.
    pub emetteur: String,
    /// Serial number, hex.
    pub numero_serie: String,
    /// Validity.
    pub validite: Validite,
    /// SHA-256 of the DER certificate, hex.
    pub empreinte_sha256: String,
    /// Key size in bits.
    pub bits: usize,
}

impl InfoBiCle {
    /// Describe a certificate (and its key when known).
    pub fn of(cert: &Certificate, key: Option<&PrivateKey>) -> InfoBiCle {
        let tbs = cert.tbs_certificate();
        let bits = match key {
            Some(k) => k.bits(),
            None => rsa_public_key(cert).map(|k| k.size() * 8).unwrap_or(0),
        };
        InfoBiCle {
            nom: nom_sujet(cert),
            sujet: tbs.subject().to_string(),
            emetteur: tbs.issuer().to_string(),
            numero_serie: hex::encode(tbs.serial_number().as_bytes()),
            validite: validite(cert),
            empreinte_sha256: empreinte(cert),
            bits,
        }
    }
}

/// The RSA public key of a certificate (for encryption to it).
pub fn rsa_public_key(cert: &Certificate) -> Result<rsa::PublicKey> {
    let spki = cert.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid != const_oid::db::rfc5912::RSA_ENCRYPTION {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "algorithme de clé publique non pris en charge : {}",
                spki.algorithm.oid
            ),
        ));
    }
    use spki::DecodePublicKey;
    let der = spki.to_der().map_err(|e| cle_invalide("clé publique", e))?;
    rsa::PublicKey::from_public_key_der(&der).map_err(|e| cle_invalide("clé publique RSA", e))
}

/// The subject key identifier extension of a certificate, if any.
pub fn subject_key_identifier(cert: &Certificate) -> Option<Vec<u8>> {
    cert.tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, ski)| ski.0.as_bytes().to_vec())
}

/// Whether the certificate's key usage (if present) allows key encipherment.
pub fn allows_key_encipherment(cert: &Certificate) -> bool {
    match cert
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::KeyUsage>()
    {
        Ok(Some((_, ku))) => ku.key_encipherment(),
        Ok(None) => true,
        Err(_) => false,
    }
}

/// Whether the certificate allows key agreement (no key usage extension allows all).
pub fn allows_key_agreement(cert: &Certificate) -> bool {
    match cert
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::KeyUsage>()
    {
        Ok(Some((_, ku))) => ku.key_agreement(),
        Ok(None) => true,
        Err(_) => false,
    }
}
