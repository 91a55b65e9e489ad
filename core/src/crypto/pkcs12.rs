//! PKCS#12 (RFC 7292) import and export, and password-based encryption of PKCS#8 keys.
//!
//! Why not a crate: RustCrypto `pkcs12 0.2.0-pre.0` and `p12-keystore 0.4` (which builds on
//! it) both pin `cms =0.3.0-pre.1`, another pre-release than the workspace's `=0.3.0-rc.0`
//! (a second `cms`, `x509-cert` and `der` in the tree), and `p12-keystore` adds
//! `x509-parser`. So the few structures needed are declared here with `der` derive (ASN.1
//! quoted on each). Read: PBES2 (PBKDF2 with HMAC-SHA1/SHA-224/256/384/512, AES-CBC) and
//! the legacy PKCS#12 PBEs (RFC 7292 appendix C: SHA-1 with 3-key and 2-key Triple-DES,
//! RC2-128, RC2-40, RC4-128, RC4-40 — `openssl pkcs12 -legacy`, Windows, Java
//! `keystore.pkcs12.legacy`), the MAC with HMAC-SHA1/SHA-256/SHA-384/SHA-512. Written:
//! PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256 only.

use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use hmac::{KeyInit, Mac};
use sha2::Digest;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use crate::crypto::bicle::{BiCle, private_key_from_pkcs8_der};
use crate::{CodeErreur, Erreur, Result};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const KEY_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
const SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const X509_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// PBKDF2 iterations of what mpe exports (OpenSSL 3 uses 2048 by default).
pub const PBKDF2_ITERATIONS: u32 = 10_000;
/// Iterations of the PKCS#12 MAC key derivation (as OpenSSL).
const MAC_ITERATIONS: u32 = 2048;
/// Largest iteration count accepted on import (a hostile file could ask for billions).
const MAX_ITERATIONS: u32 = 10_000_000;
/// Largest PKCS#12 file accepted.
const MAX_P12: usize = 4 * 1024 * 1024;

/// ```text
/// PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
/// ```
#[derive(Sequence)]
struct Pfx {
    version: u8,
    auth_safe: cms::content_info::ContentInfo,
    mac_data: Option<MacData>,
}

/// ```text
/// MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
/// ```
#[derive(Sequence)]
struct MacData {
    mac: DigestInfo,
    mac_salt: OctetString,
    #[asn1(default = "one")]
    iterations: u32,
}

fn one() -> u32 {
    1
}

/// ```text
/// DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
/// ```
#[derive(Sequence)]
struct DigestInfo {
    algorithm: AlgorithmIdentifierOwned,
    digest: OctetString,
}

/// ```text
/// SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }
/// ```
#[derive(Sequence)]
struct SafeBag {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    bag_attributes: Option<SetOfVec<Attribute>>,
}

/// ```text
/// CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }
/// ```
#[derive(Sequence)]
struct CertBag {
    cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    cert_value: OctetString,
}

/// ```text
/// EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
/// ```
#[derive(Sequence)]
struct EncryptedKeyInfo {
    algorithm: AlgorithmIdentifierOwned,
    data: OctetString,
}

fn malforme(e: impl std::fmt::Display) -> Erreur {
    Erreur::new(CodeErreur::CleInvalide, format!("PKCS#12 illisible : {e}"))
}

fn algo_name(oid: &ObjectIdentifier) -> String {
    const_oid::db::DB
        .by_oid(oid)
        .map(|n| format!("{n} ({oid})"))
        .unwrap_or_else(|| oid.to_string())
}

/// Decrypt with a password-based scheme given as an algorithm identifier.
pub(crate) fn pbe_decrypt_alg(
    alg: &AlgorithmIdentifierOwned,
    password: &str,
    data: &[u8],
) -> Result<Vec<u8>> {
    if alg.oid.as_bytes().starts_with(PKCS12_PBE_PREFIXE) {
        return pbe_pkcs12(alg, password, data);
    }
    if alg.oid != PBES2 {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "chiffrement par mot de passe non pris en charge : {} (ancien format PKCS#12 ; réexporter avec OpenSSL 3 sans -legacy)",
                algo_name(&alg.oid)
            ),
        ));
    }
    let der = alg.to_der().map_err(malforme)?;
    let scheme = pkcs5::EncryptionScheme::from_der(&der).map_err(|e| {
        Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!("paramètres PBES2 non pris en charge : {e}"),
        )
    })?;
    pbe_decrypt(&scheme, password, data)
}

/// DER body of the OID arc pkcs-12PbeIds (1.2.840.113549.1.12.1).
const PKCS12_PBE_PREFIXE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];

/// ```text
/// pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
/// ```
#[derive(Sequence)]
struct Pkcs12PbeParams {
    salt: OctetString,
    iterations: u32,
}

/// The legacy PKCS#12 password-based encryptions (RFC 7292 appendix C): what
/// `openssl pkcs12 -export -legacy`, Windows and older Java keystores write — Triple-DES
/// for keys, RC2-40 for certificates, sometimes RC4. Key and IV come from the PKCS#12 KDF
/// with SHA-1. Read only (mpe writes PBES2 AES-256-CBC).
fn pbe_pkcs12(alg: &AlgorithmIdentifierOwned, password: &str, data: &[u8]) -> Result<Vec<u8>> {
    use aes::cipher::{KeyInit, StreamCipher};
    let suffixe = alg
        .oid
        .as_bytes()
        .get(PKCS12_PBE_PREFIXE.len()..)
        .unwrap_or_default();
    let p: Pkcs12PbeParams = alg
        .parameters
        .as_ref()
        .ok_or_else(|| malforme("paramètres PBE PKCS#12 absents"))?
        .decode_as()
        .map_err(malforme)?;
    if p.iterations > MAX_ITERATIONS || p.iterations == 0 {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!("nombre d'itérations PBE absurde : {}", p.iterations),
        ));
    }
    // (key length, RC4, RC2, 3DES)
    let (n, chiffre) = match suffixe {
        [1] => (16, "rc4"),
        [2] => (5, "rc4"),
        [3] => (24, "3des"),
        [4] => (16, "2des"),
        [5] => (16, "rc2"),
        [6] => (5, "rc2"),
        _ => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!("chiffrement PKCS#12 inconnu : {}", alg.oid),
            ));
        }
    };
    let sel = p.salt.as_bytes();
    let cle = pkcs12_kdf::<sha1::Sha1>(password, sel, 1, p.iterations, n, 64);
    let mauvais = || {
        Erreur::new(
            CodeErreur::MotDePasseIncorrect,
            "mot de passe PKCS#12 incorrect",
        )
    };
    if chiffre == "rc4" {
        let mut out = data.to_vec();
        let mut c = rc4::Rc4::new_from_slice(&cle).map_err(|_| malforme("clé RC4"))?;
        c.apply_keystream(&mut out);
        return Ok(out);
    }
    let iv = pkcs12_kdf::<sha1::Sha1>(password, sel, 2, p.iterations, 8, 64);
    let mut dec = match chiffre {
        "rc2" => crate::crypto::stream_cipher::CbcDec::with_cipher(
            rc2::Rc2::new_with_eff_key_len(&cle, n * 8),
            &iv,
        )?,
        "2des" => crate::crypto::stream_cipher::CbcDec::with_cipher(
            des::TdesEde2::new_from_slice(&cle).map_err(|_| malforme("clé 3DES"))?,
            &iv,
        )?,
        _ => crate::crypto::stream_cipher::CbcDec::with_cipher(
            des::TdesEde3::new_from_slice(&cle).map_err(|_| malforme("clé 3DES"))?,
            &iv,
        )?,
    };
    let mut out = Vec::with_capacity(data.len());
    dec.update(data, &mut out);
    dec.finish(&mut out).map_err(|_| mauvais())?;
    Ok(out)
}

/// Decrypt with a PKCS#5 scheme, bounding the work a file can ask for.
pub(crate) fn pbe_decrypt(
    scheme: &pkcs5::EncryptionScheme,
    password: &str,
    data: &[u8],
) -> Result<Vec<u8>> {
    if let Some(p) = scheme.pbes2().and_then(|p| p.kdf.pbkdf2())
        && p.iteration_count > MAX_ITERATIONS
    {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!("nombre d'itérations PBKDF2 absurde : {}", p.iteration_count),
        ));
    }
    scheme.decrypt(password, data).map_err(|e| match e {
        pkcs5::Error::DecryptFailed => {
            Erreur::new(CodeErreur::MotDePasseIncorrect, "mot de passe incorrect")
        }
        pkcs5::Error::UnsupportedAlgorithm { oid }
        | pkcs5::Error::AlgorithmParametersInvalid { oid } => Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!("algorithme non pris en charge : {}", algo_name(&oid)),
        ),
        other => Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!("chiffrement par mot de passe : {other}"),
        ),
    })
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut b);
    b
}

fn pbes2_params() -> Result<pkcs5::pbes2::Parameters> {
    pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
        PBKDF2_ITERATIONS,
        &random::<16>(),
        random::<16>(),
    )
    .map_err(|e| Erreur::internal(format!("paramètres PBES2 : {e}")))
}

fn pbe_encrypt(password: &str, plain: &[u8]) -> Result<(AlgorithmIdentifierOwned, Vec<u8>)> {
    let params = pbes2_params()?;
    let ct = params
        .encrypt(password, plain)
        .map_err(|e| Erreur::internal(format!("chiffrement PBES2 : {e}")))?;
    let scheme: pkcs5::EncryptionScheme = params.into();
    let alg = AlgorithmIdentifierOwned::from_der(&scheme.to_der().map_err(malforme)?)
        .map_err(malforme)?;
    Ok((alg, ct))
}

/// Encrypt a PKCS#8 `PrivateKeyInfo` into an `EncryptedPrivateKeyInfo` (DER).
pub(crate) fn encrypt_pkcs8(der: &[u8], password: &str) -> Result<Vec<u8>> {
    let (algorithm, ct) = pbe_encrypt(password, der)?;
    EncryptedKeyInfo {
        algorithm,
        data: OctetString::new(ct).map_err(malforme)?,
    }
    .to_der()
    .map_err(malforme)
}

/// The PKCS#12 key derivation (RFC 7292 appendix B.2) with hash `D` of block size `v`.
fn pkcs12_kdf<D: Digest>(
    password: &str,
    salt: &[u8],
    id: u8,
    iterations: u32,
    out_len: usize,
    v: usize,
) -> Vec<u8> {
    let mut pass: Vec<u8> = password
        .encode_utf16()
        .flat_map(|c| c.to_be_bytes())
        .collect();
    pass.extend_from_slice(&[0, 0]);
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = src.len().div_ceil(v) * v;
        src.iter().copied().cycle().take(len).collect()
    };
    let mut i = fill(salt);
    i.extend(fill(&pass));
    let d = vec![id; v];
    let mut out = Vec::with_capacity(out_len);
    while out.len() < out_len {
        let mut a = D::new().chain_update(&d).chain_update(&i).finalize();
        for _ in 1..iterations {
            a = D::digest(&a);
        }
        out.extend_from_slice(&a);
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for chunk in i.chunks_mut(v) {
            let mut carry: u16 = 1;
            for (x, y) in chunk.iter_mut().rev().zip(b.iter().rev()) {
                let s = u16::from(*x) + u16::from(*y) + carry;
                *x = s as u8;
                carry = s >> 8;
            }
        }
    }
    out.truncate(out_len);
    out
}

fn mac_of(
    alg: &ObjectIdentifier,
    password: &str,
    salt: &[u8],
    iterations: u32,
    data: &[u8],
) -> Result<Vec<u8>> {
    macro_rules! hmac_with {
        ($d:ty, $v:expr) => {{
            let key = pkcs12_kdf::<$d>(password, salt, 3, iterations, <$d>::output_size(), $v);
            let mut mac = <hmac::Hmac<$d>>::new_from_slice(&key)
                .map_err(|e| Erreur::internal(e.to_string()))?;
            mac.update(data);
            Ok(mac.finalize().into_bytes().to_vec())
        }};
    }
    match *alg {
        SHA1 => hmac_with!(sha1::Sha1, 64),
        SHA256 => hmac_with!(sha2::Sha256, 64),
        SHA384 => hmac_with!(sha2::Sha384, 128),
        SHA512 => hmac_with!(sha2::Sha512, 128),
        _ => Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "algorithme de MAC PKCS#12 non pris en charge : {}",
                algo_name(alg)
            ),
        )),
    }
}

fn content_octets(ci: &cms::content_info::ContentInfo) -> Result<Vec<u8>> {
    let os: OctetString = ci.content.decode_as().map_err(malforme)?;
    Ok(os.into_bytes().into_vec())
}

fn local_key_id(attrs: &Option<SetOfVec<Attribute>>) -> Option<Vec<u8>> {
    attrs
        .as_ref()?
        .iter()
        .find(|a| a.oid == LOCAL_KEY_ID)
        .and_then(|a| {
            a.values
                .iter()
                .next()
                .and_then(|v| v.decode_as::<OctetString>().ok())
                .map(|o| o.into_bytes().into_vec())
        })
}

/// Load a PKCS#12 file: the private key, its certificate and the other certificates.
///
/// The MAC is checked first, so a wrong password gives [`CodeErreur::MotDePasseIncorrect`].
pub fn load_pkcs12(data: &[u8], password: &str) -> Result<BiCle> {
    let (keys, mut certs) = lire(data, password)?;
    let (key_id, key) = keys.into_iter().next().ok_or_else(|| {
        Erreur::new(
            CodeErreur::CleInvalide,
            "le PKCS#12 ne contient aucune clé privée",
        )
    })?;
    let key = private_key_from_pkcs8_der(&key)?;
    let pos = certs
        .iter()
        .position(|(id, c)| (key_id.is_some() && *id == key_id) || key.matches(c))
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::CleInvalide,
                "le PKCS#12 ne contient pas le certificat de la clé",
            )
        })?;
    let (_, cert) = certs.remove(pos);
    BiCle::new(key, cert, certs.into_iter().map(|(_, c)| c).collect())
}

/// The first private key of a PKCS#12 (DER PKCS#8, whatever its algorithm) and every
/// certificate, for keys [`load_pkcs12`] does not hold (EC P-384/521, X25519).
pub(crate) fn pkcs12_brut(data: &[u8], password: &str) -> Result<(Vec<u8>, Vec<Certificate>)> {
    let (keys, certs) = lire(data, password)?;
    let (_, key) = keys.into_iter().next().ok_or_else(|| {
        Erreur::new(
            CodeErreur::CleInvalide,
            "le PKCS#12 ne contient aucune clé privée",
        )
    })?;
    Ok((key, certs.into_iter().map(|(_, c)| c).collect()))
}

type Sacs = (
    Vec<(Option<Vec<u8>>, Vec<u8>)>,
    Vec<(Option<Vec<u8>>, Certificate)>,
);

/// Check the MAC, decrypt every bag: the keys (DER PKCS#8) and certificates, with their
/// local key ids.
fn lire(data: &[u8], password: &str) -> Result<Sacs> {
    if data.len() > MAX_P12 {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            "fichier PKCS#12 trop volumineux",
        ));
    }
    // Some tools write BER (indefinite lengths): normalize first.
    let der = {
        let mut r = crate::crypto::ber::BerReader::new(data);
        let h = r.header().map_err(|e| malforme(e.message().to_string()))?;
        r.element_der(&h, MAX_P12)
            .map_err(|e| malforme(e.message().to_string()))?
    };
    let pfx = Pfx::from_der(&der).map_err(malforme)?;
    if pfx.version != 3 {
        return Err(malforme(format!("version {} (3 attendue)", pfx.version)));
    }
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            "PKCS#12 en mode d'intégrité par clé publique non pris en charge",
        ));
    }
    let auth_safe = content_octets(&pfx.auth_safe)?;
    if let Some(md) = &pfx.mac_data {
        if md.iterations > MAX_ITERATIONS {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                "nombre d'itérations du MAC absurde",
            ));
        }
        let mac = mac_of(
            &md.mac.algorithm.oid,
            password,
            md.mac_salt.as_bytes(),
            md.iterations,
            &auth_safe,
        )?;
        let expected = md.mac.digest.as_bytes();
        let diff = mac.len() != expected.len()
            || mac
                .iter()
                .zip(expected)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                != 0;
        if diff {
            return Err(Erreur::new(
                CodeErreur::MotDePasseIncorrect,
                "mot de passe PKCS#12 incorrect",
            ));
        }
    }
    let contents: Vec<cms::content_info::ContentInfo> =
        Vec::from_der(&auth_safe).map_err(malforme)?;
    let mut keys: Vec<(Option<Vec<u8>>, Vec<u8>)> = Vec::new();
    let mut certs: Vec<(Option<Vec<u8>>, Certificate)> = Vec::new();
    for ci in contents {
        let safe = if ci.content_type == ID_DATA {
            content_octets(&ci)?
        } else if ci.content_type == ID_ENCRYPTED_DATA {
            let ed: cms::encrypted_data::EncryptedData =
                ci.content.decode_as().map_err(malforme)?;
            let eci = ed.enc_content_info;
            let ct = eci
                .encrypted_content
                .ok_or_else(|| malforme("contenu chiffré absent"))?;
            pbe_decrypt_alg(&eci.content_enc_alg, password, ct.as_bytes())?
        } else {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!(
                    "contenu PKCS#12 non pris en charge : {}",
                    algo_name(&ci.content_type)
                ),
            ));
        };
        let bags: Vec<SafeBag> = Vec::from_der(&safe).map_err(|e| {
            // A wrong password that slipped past the padding check lands here.
            if ci.content_type == ID_ENCRYPTED_DATA {
                Erreur::new(
                    CodeErreur::MotDePasseIncorrect,
                    "mot de passe PKCS#12 incorrect",
                )
            } else {
                malforme(e)
            }
        })?;
        for bag in bags {
            let id = local_key_id(&bag.bag_attributes);
            match bag.bag_id {
                CERT_BAG => {
                    let cb: CertBag = bag.bag_value.decode_as().map_err(malforme)?;
                    if cb.cert_id != X509_CERTIFICATE {
                        continue;
                    }
                    let cert = Certificate::from_der(cb.cert_value.as_bytes()).map_err(malforme)?;
                    certs.push((id, cert));
                }
                SHROUDED_KEY_BAG => {
                    let eki: EncryptedKeyInfo = bag.bag_value.decode_as().map_err(malforme)?;
                    let plain = pbe_decrypt_alg(&eki.algorithm, password, eki.data.as_bytes())?;
                    // A wrong password that slipped past the padding check gives garbage.
                    if pkcs8::PrivateKeyInfoRef::from_der(&plain).is_err() {
                        return Err(Erreur::new(
                            CodeErreur::MotDePasseIncorrect,
                            "mot de passe PKCS#12 incorrect",
                        ));
                    }
                    keys.push((id, plain));
                }
                KEY_BAG => {
                    let der = bag.bag_value.to_der().map_err(malforme)?;
                    keys.push((id, der));
                }
                _ => {}
            }
        }
    }
    Ok((keys, certs))
}

fn attr_local_key_id(id: &[u8]) -> Result<SetOfVec<Attribute>> {
    let value =
        Any::encode_from(&OctetString::new(id.to_vec()).map_err(malforme)?).map_err(malforme)?;
    let mut values = SetOfVec::new();
    values.insert(value).map_err(malforme)?;
    let mut attrs = SetOfVec::new();
    attrs
        .insert(Attribute {
            oid: LOCAL_KEY_ID,
            values,
        })
        .map_err(malforme)?;
    Ok(attrs)
}

/// Export a key pair as PKCS#12 (see [`BiCle::to_pkcs12`]).
pub(crate) fn export_pkcs12(bicle: &BiCle, password: &str) -> Result<Vec<u8>> {
    let cert_der = bicle.certificate().to_der().map_err(malforme)?;
    let key_id = sha1::Sha1::digest(&cert_der).to_vec();
    // Certificates, in an encrypted SafeContents.
    let mut cert_bags = Vec::new();
    let mut all = vec![(Some(key_id.clone()), cert_der)];
    for c in bicle.chain() {
        all.push((None, c.to_der().map_err(malforme)?));
    }
    for (id, der) in all {
        let cb = CertBag {
            cert_id: X509_CERTIFICATE,
            cert_value: OctetString::new(der).map_err(malforme)?,
        };
        cert_bags.push(SafeBag {
            bag_id: CERT_BAG,
            bag_value: Any::encode_from(&cb).map_err(malforme)?,
            bag_attributes: id.map(|i| attr_local_key_id(&i)).transpose()?,
        });
    }
    let certs_plain = cert_bags.to_der().map_err(malforme)?;
    let (alg, ct) = pbe_encrypt(password, &certs_plain)?;
    let ed = cms::encrypted_data::EncryptedData {
        version: cms::content_info::CmsVersion::V0,
        enc_content_info: cms::enveloped_data::EncryptedContentInfo {
            content_type: ID_DATA,
            content_enc_alg: alg,
            encrypted_content: Some(OctetString::new(ct).map_err(malforme)?),
        },
        unprotected_attrs: None,
    };
    // The key, in a shrouded key bag.
    let key_enc = encrypt_pkcs8(&bicle.cle().to_pkcs8_der()?, password)?;
    let key_bag = SafeBag {
        bag_id: SHROUDED_KEY_BAG,
        bag_value: Any::from_der(&key_enc).map_err(malforme)?,
        bag_attributes: Some(attr_local_key_id(&key_id)?),
    };
    let key_safe = vec![key_bag].to_der().map_err(malforme)?;
    let auth_safe = vec![
        cms::content_info::ContentInfo {
            content_type: ID_ENCRYPTED_DATA,
            content: Any::encode_from(&ed).map_err(malforme)?,
        },
        cms::content_info::ContentInfo {
            content_type: ID_DATA,
            content: Any::encode_from(&OctetString::new(key_safe).map_err(malforme)?)
                .map_err(malforme)?,
        },
    ]
    .to_der()
    .map_err(malforme)?;
    let salt = random::<16>();
    let mac = mac_of(&SHA256, password, &salt, MAC_ITERATIONS, &auth_safe)?;
    let pfx = Pfx {
        version: 3,
        auth_safe: cms::content_info::ContentInfo {
            content_type: ID_DATA,
            content: Any::encode_from(&OctetString::new(auth_safe).map_err(malforme)?)
                .map_err(malforme)?,
        },
        mac_data: Some(MacData {
            mac: DigestInfo {
                algorithm: AlgorithmIdentifierOwned {
                    oid: SHA256,
                    parameters: Some(Any::null()),
                },
                digest: OctetString::new(mac).map_err(malforme)?,
            },
            mac_salt: OctetString::new(salt.to_vec()).map_err(malforme)?,
            iterations: MAC_ITERATIONS,
        }),
    };
    pfx.to_der().map_err(malforme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_matches_known_vector() {
        // Vector from the PKCS#12 test suite used by OpenSSL/BouncyCastle:
        // password "smeg", salt 0A58CF64530D823F, id 1, 1 iteration, SHA-1, 24 bytes.
        let salt = hex::decode("0A58CF64530D823F").unwrap();
        let k = pkcs12_kdf::<sha1::Sha1>("smeg", &salt, 1, 1, 24, 64);
        assert_eq!(
            hex::encode_upper(k),
            "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"
        );
    }
}
