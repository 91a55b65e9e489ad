//! Streaming CMS encryption and decryption.
//!
//! Writes CMS `AuthEnvelopedData` (RFC 5083, AES-256-GCM per RFC 5084; the default) or
//! `EnvelopedData` (RFC 5652, AES-256-CBC), with one `KeyTransRecipientInfo` per
//! certificate, key transport RSA-OAEP SHA-256 (RFC 8017/4055; the default) or PKCS#1 v1.5.
//! The output is DER with definite lengths computed up front from the plaintext size, so it
//! streams in constant memory.
//!
//! Reads DER, BER (indefinite lengths, chunked OCTET STRINGs as `openssl cms -encrypt
//! -stream` writes them) and PEM, EnvelopedData and AuthEnvelopedData, RSA-OAEP with SHA-1,
//! SHA-256, SHA-384 or SHA-512 and PKCS#1 v1.5, in constant memory too. With GCM, no
//! plaintext is released before the tag is verified: [`decrypt_file`] writes into a
//! temporary file renamed only on success, [`decrypt`] returns the bytes only on success.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! EnvelopedData ::= SEQUENCE { version, originatorInfo [0] IMPLICIT OPTIONAL,
//!     recipientInfos SET OF RecipientInfo, encryptedContentInfo, unprotectedAttrs [1] OPTIONAL }
//! AuthEnvelopedData ::= SEQUENCE { version, originatorInfo [0] IMPLICIT OPTIONAL,
//!     recipientInfos, authEncryptedContentInfo, authAttrs [1] OPTIONAL, mac OCTET STRING,
//!     unauthAttrs [2] OPTIONAL }
//! EncryptedContentInfo ::= SEQUENCE { contentType OID, contentEncryptionAlgorithm,
//!     encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
//! ```
//!
//! ```
//! use mpe::crypto::cms::{decrypt, encrypt, OptionsChiffrement};
//! use mpe::crypto::bicle::{BiCle, GenerationBiCle};
//! let now = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z").unwrap().to_utc();
//! let bicle = BiCle::generer(&GenerationBiCle::new("Jean DUPONT"), now).unwrap();
//! let env = encrypt(b"offre", &[bicle.certificate().clone()], &OptionsChiffrement::default()).unwrap();
//! assert_eq!(decrypt(&env, &bicle).unwrap(), b"offre");
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use cms::enveloped_data::{KeyTransRecipientInfo, RecipientIdentifier, RecipientInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Sequence};
use serde::{Deserialize, Serialize};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::crypto::ber::{BerReader, der_header, malforme, tlv_len};
use crate::crypto::bicle::{BiCle, rsa_public_key};
pub use crate::crypto::contenu::AlgoContenu;
use crate::crypto::contenu::Contenu;
use crate::crypto::dechiffreur::Courbe;
use crate::crypto::destinataires::{self, Recherche};
pub use crate::crypto::destinataires::{Acces, Cle};
use crate::crypto::pipeline::{Behind, Prefetch};
use crate::crypto::stream_cipher::{CbcEnc, GCM_MAX, Gcm, GcmHash, keystream};
use crate::fichier_atomique::{Confidentialite, FichierAtomique};
use crate::{CodeErreur, Erreur, Result};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
const ID_AUTH_ENVELOPED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.23");
const AES256_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.42");
const AES256_GCM: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.46");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSAES_OAEP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.7");
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// Size of the chunks read, encrypted and written.
const CHUNK: usize = 256 * 1024;
/// Largest `recipientInfos` accepted (a thousand RSA-16384 recipients fit).
const MAX_RECIPIENT_INFOS: usize = 4 * 1024 * 1024;
/// Largest number of recipients written.
const MAX_RECIPIENTS: usize = 1000;

/// Content encryption algorithm.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Chiffrement {
    /// AES-256-GCM in AuthEnvelopedData (authenticated; the default).
    #[default]
    #[serde(rename = "AES-256-GCM")]
    Aes256Gcm,
    /// AES-256-CBC in EnvelopedData (for older readers).
    #[serde(rename = "AES-256-CBC")]
    Aes256Cbc,
}

/// Key transport algorithm.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum TransportCle {
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (the default).
    #[default]
    #[serde(rename = "RSA-OAEP-SHA256")]
    RsaOaepSha256,
    /// RSAES-OAEP with SHA-1 (the OpenSSL default for `-keyopt rsa_padding_mode:oaep`).
    #[serde(rename = "RSA-OAEP-SHA1")]
    RsaOaepSha1,
    /// RSAES-PKCS1-v1_5 (for older readers).
    #[serde(rename = "RSA-PKCS1-v1_5")]
    RsaPkcs1v15,
}

/// How to encrypt.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct OptionsChiffrement {
    /// Content encryption.
    pub chiffrement: Chiffrement,
    /// Key transport.
    pub transport: TransportCle,
}

/// What was found while decrypting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InfoDechiffrement {
    /// `"EnvelopedData"` or `"AuthEnvelopedData"`.
    pub structure: String,
    /// Content encryption.
    pub chiffrement: AlgoContenu,
    /// Key transport used by the matching recipient, when it is one of [`TransportCle`].
    pub transport: Option<TransportCle>,
    /// How the content key was recovered (key transport, agreement, KEK, password).
    pub acces: Acces,
    /// Number of recipients of the envelope.
    pub destinataires: usize,
    /// Index of the recipient that matched the key.
    pub destinataire: usize,
    /// Plaintext size in bytes.
    pub taille: u64,
}

/// ```text
/// RSAES-OAEP-params ::= SEQUENCE { hashFunc [0] AlgorithmIdentifier DEFAULT sha1,
///     maskGenFunc [1] AlgorithmIdentifier DEFAULT mgf1SHA1,
///     pSourceFunc [2] AlgorithmIdentifier DEFAULT pSpecifiedEmpty }
/// ```
#[derive(Sequence, Default)]
struct OaepParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mgf: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    psource: Option<AlgorithmIdentifierOwned>,
}

/// ```text
/// GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 }
/// ```
#[derive(Sequence)]
struct GcmParams {
    nonce: OctetString,
    #[asn1(default = "twelve")]
    icv_len: u8,
}

fn twelve() -> u8 {
    12
}

fn internal(e: impl std::fmt::Display) -> Erreur {
    Erreur::internal(format!("encodage CMS : {e}"))
}

fn oid_name(oid: &ObjectIdentifier) -> String {
    const_oid::db::DB
        .by_oid(oid)
        .map(|n| format!("{n} ({oid})"))
        .unwrap_or_else(|| oid.to_string())
}

fn hash_alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: Some(Any::null()),
    }
}

fn key_enc_alg(t: TransportCle) -> Result<AlgorithmIdentifierOwned> {
    let oaep = |h: ObjectIdentifier| -> Result<AlgorithmIdentifierOwned> {
        let params = OaepParams {
            hash: Some(hash_alg(h)),
            mgf: Some(AlgorithmIdentifierOwned {
                oid: MGF1,
                parameters: Some(Any::encode_from(&hash_alg(h)).map_err(internal)?),
            }),
            psource: None,
        };
        Ok(AlgorithmIdentifierOwned {
            oid: RSAES_OAEP,
            parameters: Some(Any::encode_from(&params).map_err(internal)?),
        })
    };
    match t {
        TransportCle::RsaOaepSha256 => oaep(SHA256),
        TransportCle::RsaOaepSha1 => Ok(AlgorithmIdentifierOwned {
            oid: RSAES_OAEP,
            parameters: Some(Any::encode_from(&OaepParams::default()).map_err(internal)?),
        }),
        TransportCle::RsaPkcs1v15 => Ok(AlgorithmIdentifierOwned {
            oid: RSA_ENCRYPTION,
            parameters: Some(Any::null()),
        }),
    }
}

fn rsa_encrypt(key: &rsa::PublicKey, t: TransportCle, cek: &[u8]) -> Result<Vec<u8>> {
    let mut rng = rand::rng();
    let r = match t {
        TransportCle::RsaOaepSha256 => {
            key.encrypt(&mut rng, rsa::oaep::Oaep::<sha2::Sha256>::new(), cek)
        }
        TransportCle::RsaOaepSha1 => {
            key.encrypt(&mut rng, rsa::oaep::Oaep::<sha1::Sha1>::new(), cek)
        }
        TransportCle::RsaPkcs1v15 => key.encrypt(&mut rng, rsa::Pkcs1v15Encrypt, cek),
    };
    r.map_err(|e| {
        Erreur::new(
            CodeErreur::CleInutilisable,
            format!("chiffrement RSA de la clé de contenu : {e}"),
        )
    })
}

/// The DER `SET OF RecipientInfo` for a content-encryption key.
fn recipient_infos(recipients: &[Certificate], t: TransportCle, cek: &[u8]) -> Result<Vec<u8>> {
    if recipients.is_empty() {
        return Err(Erreur::invalid_argument(
            "aucun destinataire : au moins un certificat est requis",
        ));
    }
    if recipients.len() > MAX_RECIPIENTS {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            "trop de destinataires",
        ));
    }
    let alg = key_enc_alg(t)?;
    let mut infos = Vec::with_capacity(recipients.len());
    for cert in recipients {
        let spki = cert.tbs_certificate().subject_public_key_info();
        if let Some(courbe) = Courbe::de_algorithme(&spki.algorithm) {
            infos.push(destinataires::kari_pour(cert, courbe, cek)?);
            continue;
        }
        let key = rsa_public_key(cert)?;
        let tbs = cert.tbs_certificate();
        let ktri = KeyTransRecipientInfo {
            version: cms::content_info::CmsVersion::V0,
            rid: RecipientIdentifier::IssuerAndSerialNumber(cms::cert::IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            }),
            key_enc_alg: alg.clone(),
            enc_key: OctetString::new(rsa_encrypt(&key, t, cek)?).map_err(internal)?,
        };
        infos.push(RecipientInfo::Ktri(ktri));
    }
    let set = cms::enveloped_data::RecipientInfos(
        der::asn1::SetOfVec::try_from(infos).map_err(internal)?,
    );
    set.to_der().map_err(internal)
}

/// The plaintext source of [`encrypt_stream`]: a reader and its exact length.
fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(buf.get_mut(n..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(n)
}

/// Encrypt `len` bytes read from `input` into `output` as DER CMS, in constant memory.
///
/// `len` must be the exact plaintext length (it fixes the DER lengths written first); a
/// shorter or longer input is an [`CodeErreur::Es`] error. Returns the number of bytes
/// written. On error the output holds a partial envelope: write to a temporary file, as
/// [`encrypt_file`] does.
pub fn encrypt_stream(
    input: &mut dyn Read,
    len: u64,
    output: &mut dyn Write,
    recipients: &[Certificate],
    options: &OptionsChiffrement,
) -> Result<u64> {
    let entete = entete_chiffrement(len, recipients, options)?;
    ecrire_enveloppe(entete, input, len, output)
}

/// Write the header, then the content encrypted as it is read.
fn ecrire_enveloppe(
    entete: Entete,
    input: &mut dyn Read,
    len: u64,
    output: &mut dyn Write,
) -> Result<u64> {
    output.write_all(&entete.head)?;
    let mut written = entete.head.len() as u64;
    let mut buf = vec![0u8; CHUNK];
    let mut remaining = len;
    // The next piece of exactly the announced length (the DER lengths are already written).
    let mut next = |buf: &mut Vec<u8>, remaining: &mut u64| -> Result<Option<usize>> {
        if *remaining == 0 {
            ensure_eof(input)?;
            return Ok(None);
        }
        let want = usize::try_from(*remaining).unwrap_or(CHUNK).min(CHUNK);
        if read_full(input, buf.get_mut(..want).unwrap_or_default())? < want {
            return Err(raccourci());
        }
        *remaining -= want as u64;
        Ok(Some(want))
    };
    match entete.corps {
        Corps::Gcm(mut g) => {
            while let Some(n) = next(&mut buf, &mut remaining)? {
                let chunk = buf.get_mut(..n).unwrap_or_default();
                g.encrypt(chunk)?;
                output.write_all(chunk)?;
            }
            let mac = mac_gcm(g.finish());
            output.write_all(&mac)?;
            written += len + mac.len() as u64;
        }
        Corps::Cbc(mut c) => {
            let mut out = Vec::with_capacity(CHUNK + 32);
            while let Some(n) = next(&mut buf, &mut remaining)? {
                out.clear();
                c.update(buf.get(..n).unwrap_or_default(), &mut out);
                output.write_all(&out)?;
                written += out.len() as u64;
            }
            out.clear();
            c.finish(&mut out);
            output.write_all(&out)?;
            written += out.len() as u64;
        }
    }
    output.flush()?;
    Ok(written)
}

/// Everything of an envelope before its encrypted content, and the cipher for the content.
struct Entete {
    head: Vec<u8>,
    corps: Corps,
}

enum Corps {
    Gcm(Box<Gcm>),
    Cbc(Box<CbcEnc>),
}

fn raccourci() -> Erreur {
    Erreur::new(
        CodeErreur::Es,
        "le fichier à chiffrer a changé de taille pendant la lecture",
    )
}

fn mac_gcm(tag: [u8; 16]) -> Vec<u8> {
    let mut mac = der_header(0x04, 16);
    mac.extend_from_slice(&tag);
    mac
}

/// Draw the content key and IV, wrap the key for each recipient and lay out the DER header
/// with every definite length computed from `len`.
fn entete_chiffrement(
    len: u64,
    recipients: &[Certificate],
    options: &OptionsChiffrement,
) -> Result<Entete> {
    let mut cek = [0u8; 32];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut cek);
    let ris = recipient_infos(recipients, options.transport, &cek)?;
    let gcm = options.chiffrement == Chiffrement::Aes256Gcm;
    if gcm && len > GCM_MAX {
        return Err(Erreur::invalid_argument(
            "AES-256-GCM ne peut protéger plus de 64 Gio sous une même clé : choisir AES-256-CBC",
        ));
    }
    let (alg, ct_len) = if gcm {
        let mut nonce = [0u8; 12];
        rand::Rng::fill_bytes(&mut rand::rng(), &mut nonce);
        let params = GcmParams {
            nonce: OctetString::new(nonce.to_vec()).map_err(internal)?,
            icv_len: 16,
        };
        (
            AlgorithmIdentifierOwned {
                oid: AES256_GCM,
                parameters: Some(Any::encode_from(&params).map_err(internal)?),
            },
            len,
        )
    } else {
        let mut iv = [0u8; 16];
        rand::Rng::fill_bytes(&mut rand::rng(), &mut iv);
        (
            AlgorithmIdentifierOwned {
                oid: AES256_CBC,
                parameters: Some(
                    Any::encode_from(&OctetString::new(iv.to_vec()).map_err(internal)?)
                        .map_err(internal)?,
                ),
            },
            (len / 16 + 1) * 16,
        )
    };
    let alg_der = alg.to_der().map_err(internal)?;
    let data_oid = ID_DATA.to_der().map_err(internal)?;
    let ct_header = der_header(0x80, ct_len);
    let eci_len = data_oid.len() as u64 + alg_der.len() as u64 + ct_header.len() as u64 + ct_len;
    // RFC 5652 6.1: EnvelopedData is version 2 as soon as a recipient is not a v0 ktri
    // (our kari are v3); AuthEnvelopedData is always version 0 (RFC 5083).
    let tout_ktri = recipients.iter().all(|c| {
        Courbe::de_algorithme(&c.tbs_certificate().subject_public_key_info().algorithm).is_none()
    });
    let version = [0x02u8, 0x01, if gcm || tout_ktri { 0 } else { 2 }];
    let mac_len = if gcm { tlv_len(16) } else { 0 };
    let ed_len = version.len() as u64 + ris.len() as u64 + tlv_len(eci_len) + mac_len;
    let type_oid = if gcm {
        ID_AUTH_ENVELOPED_DATA
    } else {
        ID_ENVELOPED_DATA
    }
    .to_der()
    .map_err(internal)?;
    let explicit_len = tlv_len(ed_len);
    let ci_len = type_oid.len() as u64 + tlv_len(explicit_len);

    let mut head = der_header(0x30, ci_len);
    head.extend_from_slice(&type_oid);
    head.extend(der_header(0xA0, explicit_len));
    head.extend(der_header(0x30, ed_len));
    head.extend_from_slice(&version);
    head.extend_from_slice(&ris);
    head.extend(der_header(0x30, eci_len));
    head.extend_from_slice(&data_oid);
    head.extend_from_slice(&alg_der);
    head.extend_from_slice(&ct_header);
    let iv_or_nonce = alg_params_bytes(&alg)?;
    let corps = if gcm {
        let nonce: [u8; 12] = iv_or_nonce
            .as_slice()
            .try_into()
            .map_err(|_| Erreur::internal("nonce"))?;
        Corps::Gcm(Box::new(Gcm::new(&cek, &nonce)))
    } else {
        let iv: [u8; 16] = iv_or_nonce
            .as_slice()
            .try_into()
            .map_err(|_| Erreur::internal("iv"))?;
        Corps::Cbc(Box::new(CbcEnc::new(&cek, &iv)))
    };
    Ok(Entete { head, corps })
}

fn ensure_eof(input: &mut dyn Read) -> Result<()> {
    let mut b = [0u8; 1];
    if read_full(input, &mut b)? != 0 {
        return Err(Erreur::new(
            CodeErreur::Es,
            "le fichier à chiffrer a grandi pendant la lecture",
        ));
    }
    Ok(())
}

fn alg_params_bytes(alg: &AlgorithmIdentifierOwned) -> Result<Vec<u8>> {
    let p = alg
        .parameters
        .as_ref()
        .ok_or_else(|| malforme("paramètres de l'algorithme de chiffrement absents"))?;
    if alg.oid == AES256_GCM {
        let g: GcmParams = p
            .decode_as()
            .map_err(|e| malforme(format!("paramètres GCM : {e}")))?;
        if g.nonce.as_bytes().len() != 12 {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                "nonce GCM d'une autre taille que 12 octets",
            ));
        }
        if !(12..=16).contains(&g.icv_len) {
            return Err(malforme(format!(
                "longueur de tag GCM invalide : {}",
                g.icv_len
            )));
        }
        Ok(g.nonce.into_bytes().into_vec())
    } else {
        let iv: OctetString = p.decode_as().map_err(|e| malforme(format!("IV : {e}")))?;
        if iv.as_bytes().len() != 16 {
            return Err(malforme("IV AES-CBC de taille invalide"));
        }
        Ok(iv.into_bytes().into_vec())
    }
}

/// Encrypt bytes in memory.
pub fn encrypt(
    data: &[u8],
    recipients: &[Certificate],
    options: &OptionsChiffrement,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + 1024 * recipients.len() + 64);
    let mut input = data;
    encrypt_stream(&mut input, data.len() as u64, &mut out, recipients, options)?;
    Ok(out)
}

fn open_input(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| {
        Erreur::new(
            CodeErreur::Es,
            format!("lecture de {} : {e}", path.display()),
        )
    })
}

/// Encrypt a file into another, streaming; the output appears only when complete.
pub fn encrypt_file(
    input: &Path,
    output: &Path,
    recipients: &[Certificate],
    options: &OptionsChiffrement,
) -> Result<u64> {
    let f = open_input(input)?;
    let len = f.metadata()?.len();
    let mut sortie = FichierAtomique::creer(output, Confidentialite::Publique)?;
    let entete = entete_chiffrement(len, recipients, options)?;
    let n = match entete.corps {
        // GCM's two halves on two threads: the reader applies the keystream as it reads,
        // this thread hashes the ciphertext and writes it. Each half is about as fast as
        // the file copy it is paired with, so on two cores a file encrypts at close to the
        // speed of copying it.
        Corps::Gcm(g) => {
            let (mut ctr, hash) = (*g).split();
            // `len` <= GCM_MAX (checked with the header) and bytes past `len` are refused
            // below before anything is written, so a keystream error only zeroes them.
            let mut r = Prefetch::with_transform(f, move |b: &mut [u8]| {
                let _ = keystream(&mut ctr, b);
            });
            let out = sortie.fichier();
            out.write_all(&entete.head)?;
            let tag = chiffrer_gcm_en_parallele(&mut r, len, hash, out)?;
            let mac = mac_gcm(tag);
            sortie.fichier().write_all(&mac)?;
            entete.head.len() as u64 + len + mac.len() as u64
        }
        corps @ Corps::Cbc(_) => {
            let mut w = Behind::new(sortie.fichier().try_clone()?);
            let mut r = Prefetch::new(f);
            let entete = Entete {
                head: entete.head,
                corps,
            };
            let n = ecrire_enveloppe(entete, &mut r, len, &mut w)?;
            w.finish()?;
            n
        }
    };
    sortie.terminer()?;
    Ok(n)
}

/// Hash the ciphertext coming from `r` (the keystream already applied by its reader thread)
/// on this thread while a writer thread writes it: three stages on as many threads, and
/// each buffer passes from one to the next without being copied. Returns the tag.
fn chiffrer_gcm_en_parallele(
    r: &mut Prefetch,
    len: u64,
    mut hash: GcmHash,
    out: &mut File,
) -> Result<[u8; 16]> {
    let recycle = r.recycler();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|s| {
        let writer = s.spawn(move || -> std::io::Result<()> {
            for buf in rx {
                out.write_all(&buf)?;
                let _ = recycle.try_send(buf);
            }
            Ok(())
        });
        let hashed = (|| -> Result<()> {
            let mut remaining = len;
            while let Some(buf) = r.prendre()? {
                let n = buf.len() as u64;
                if n > remaining {
                    return Err(raccourci());
                }
                hash.update(&buf);
                remaining -= n;
                if tx.send(buf).is_err() {
                    // The writer stopped: its error is reported below.
                    return Ok(());
                }
            }
            if remaining > 0 {
                return Err(raccourci());
            }
            Ok(())
        })();
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("écriture interrompue")));
        hashed?;
        written?;
        Ok::<(), Erreur>(())
    })?;
    Ok(hash.finish())
}

// ---------------------------------------------------------------- decryption

/// How to decrypt.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct OptionsDechiffrement {
    /// Also decrypt obsolete algorithms (Triple-DES, DES, RC2 content; Triple-DES key
    /// wrap). Without it they give [`CodeErreur::AlgorithmeObsolete`] and nothing is written.
    pub legacy: bool,
}

fn transport_rsa(acces: &Acces) -> Option<TransportCle> {
    match acces {
        Acces::Transport { schema } if schema == "RSA-PKCS1-v1_5" => {
            Some(TransportCle::RsaPkcs1v15)
        }
        Acces::Transport { schema } if schema.starts_with("RSA-OAEP Sha1/") => {
            Some(TransportCle::RsaOaepSha1)
        }
        Acces::Transport { schema } if schema.starts_with("RSA-OAEP Sha256/") => {
            Some(TransportCle::RsaOaepSha256)
        }
        _ => None,
    }
}

/// Turn the input into a stream of BER bytes (PEM is decoded on the fly).
fn ber_source<'a>(input: impl Read + 'a) -> Result<Box<dyn Read + 'a>> {
    let mut br = BufReader::with_capacity(CHUNK, input);
    let head = br.fill_buf()?;
    if head.is_empty() {
        return Err(Erreur::new(CodeErreur::Tronque, "fichier CMS vide"));
    }
    if head.first() == Some(&0x30) {
        Ok(Box::new(br))
    } else if crate::crypto::pem::looks_like_pem(head) {
        Ok(Box::new(crate::crypto::pem::PemReader::new(br)))
    } else if head.starts_with(b"MIME-Version:") || head.starts_with(b"Content-Type:") {
        Ok(Box::new(crate::crypto::pem::PemReader::smime(br)))
    } else {
        Err(malforme(
            "ni DER/BER, ni PEM, ni S/MIME : ce fichier n'est pas une enveloppe CMS",
        ))
    }
}

/// Read ContentInfo up to and including the recipientInfos.
struct Debut {
    auth: bool,
    ci: crate::crypto::ber::Header,
    ci_start: u64,
    explicit: crate::crypto::ber::Header,
    explicit_start: u64,
    ed: crate::crypto::ber::Header,
    ed_start: u64,
    infos: Vec<RecipientInfo>,
}

fn lire_debut(r: &mut BerReader<Box<dyn Read + '_>>) -> Result<Debut> {
    let ci = r.expect(0x30, "ContentInfo")?;
    let ci_start = r.pos();
    let h = r.expect(0x06, "type de contenu")?;
    let oid = ObjectIdentifier::from_bytes(&r.primitive(&h, 64)?)
        .map_err(|e| malforme(format!("OID : {e}")))?;
    let auth = if oid == ID_AUTH_ENVELOPED_DATA {
        true
    } else if oid == ID_ENVELOPED_DATA {
        false
    } else {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "type de contenu CMS {} : une enveloppe chiffrée (EnvelopedData ou AuthEnvelopedData) est attendue",
                oid_name(&oid)
            ),
        ));
    };
    let explicit = r.expect(0xA0, "contenu [0]")?;
    let explicit_start = r.pos();
    let ed = r.expect(
        0x30,
        if auth {
            "AuthEnvelopedData"
        } else {
            "EnvelopedData"
        },
    )?;
    let ed_start = r.pos();
    let v = r.expect(0x02, "version")?;
    r.primitive(&v, 8)?;
    let mut h = r.header()?;
    if h.tag == 0xA0 {
        r.skip(&h, MAX_RECIPIENT_INFOS)?; // originatorInfo: certificates we do not need
        h = r.header()?;
    }
    if h.tag != 0x31 {
        return Err(malforme("recipientInfos attendu"));
    }
    let mut set = r.element_der(&h, MAX_RECIPIENT_INFOS)?;
    // Read as SEQUENCE OF so that a SET not sorted as DER wants is still accepted.
    if let Some(t) = set.first_mut() {
        *t = 0x30;
    }
    let infos: Vec<RecipientInfo> =
        Vec::from_der(&set).map_err(|e| malforme(format!("recipientInfos : {e}")))?;
    if infos.is_empty() {
        return Err(malforme("enveloppe sans destinataire"));
    }
    Ok(Debut {
        auth,
        ci,
        ci_start,
        explicit,
        explicit_start,
        ed,
        ed_start,
        infos,
    })
}

/// Decrypt a CMS stream, writing the plaintext to `sink` as it goes. The data written is
/// NOT authentic until this returns `Ok` (GCM tag, CBC padding): callers must discard it on
/// error.
fn decrypt_into(
    input: &mut dyn Read,
    cles: &[Cle<'_>],
    options: &OptionsDechiffrement,
    sink: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<InfoDechiffrement> {
    let mut r = BerReader::new(ber_source(input)?);
    let d = lire_debut(&mut r)?;
    let (auth, ed) = (d.auth, d.ed);
    let eci = r.expect(0x30, "EncryptedContentInfo")?;
    let eci_start = r.pos();
    let h = r.expect(0x06, "type du contenu chiffré")?;
    r.primitive(&h, 64)?;
    let h = r.expect(0x30, "algorithme de chiffrement du contenu")?;
    let alg = AlgorithmIdentifierOwned::from_der(&r.element_der(&h, 4096)?)
        .map_err(|e| malforme(format!("algorithme de chiffrement : {e}")))?;
    let contenu = Contenu::lire(&alg, options.legacy)?;
    if contenu.algo.authentifie() != auth {
        return Err(malforme(if auth {
            "AuthEnvelopedData avec un chiffrement non authentifié"
        } else {
            "EnvelopedData avec un chiffrement authentifié (AuthEnvelopedData attendue)"
        }));
    }
    // Only now touch the keys: the structure so far is sound.
    let trouve = destinataires::recuperer(
        &d.infos,
        cles,
        Recherche {
            taille_cek: contenu.taille_cle(),
            obsoletes: options.legacy,
        },
    )?;
    let mut dec = contenu.dechiffreur(&trouve.cek)?;

    let content = r.header()?;
    if content.tag != 0x80 && content.tag != 0xA0 {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            "contenu chiffré détaché (absent de l'enveloppe)",
        ));
    }
    let mut buf = vec![0u8; CHUNK];
    let mut out = Vec::with_capacity(CHUNK + 32);
    let mut total: u64 = 0;
    {
        let mut on_chunk = |chunk: &mut [u8]| -> Result<()> {
            let clair = dec.traiter(chunk, &mut out)?;
            total += clair.len() as u64;
            sink(clair)
        };
        // [0] IMPLICIT OCTET STRING: encoded as an OCTET STRING with another tag.
        r.stream_octets(&content, &mut buf, &mut on_chunk, 0)?;
    }
    r.close(&eci, eci_start, "EncryptedContentInfo")?;

    if dec.authentifie() {
        let mut h = r.header()?;
        let mut aad = None;
        if h.tag == 0xA1 {
            // RFC 5083: the AAD is the DER of authAttrs with the SET OF tag.
            let mut der = r.element_der(&h, MAX_RECIPIENT_INFOS)?;
            if let Some(t) = der.first_mut() {
                *t = 0x31;
            }
            aad = Some(der);
            h = r.header()?;
        }
        if h.tag != 0x04 {
            return Err(malforme("tag d'authentification (mac) attendu"));
        }
        let mac = r.primitive(&h, 64)?;
        if mac.len() != contenu.tag {
            return Err(malforme(format!(
                "tag d'authentification de {} octets ({} annoncés)",
                mac.len(),
                contenu.tag
            )));
        }
        dec.verifier(&mac, aad.as_deref())?;
        let mut closed = false;
        if ed.len.is_none_or(|l| r.pos() - d.ed_start < l) {
            h = r.header()?;
            if h.tag == 0xA2 {
                r.skip(&h, MAX_RECIPIENT_INFOS)?;
            } else if ed.len.is_none() && h.tag == 0 && h.len == Some(0) {
                closed = true;
            } else {
                return Err(malforme(
                    "élément inattendu après le tag d'authentification",
                ));
            }
        }
        if !closed {
            r.close(&ed, d.ed_start, "AuthEnvelopedData")?;
        }
    } else {
        let mut last = Vec::with_capacity(16);
        dec.finir_cbc(&mut last)?;
        total += last.len() as u64;
        sink(&last)?;
        let mut h_next = None;
        if ed.len.is_none_or(|l| r.pos() - d.ed_start < l) {
            let h = r.header()?;
            if h.tag == 0xA1 {
                r.skip(&h, MAX_RECIPIENT_INFOS)?; // unprotectedAttrs
            } else {
                h_next = Some(h);
            }
        }
        if let Some(h) = h_next {
            // Only the EOC of an indefinite EnvelopedData may follow.
            if !(ed.len.is_none() && h.tag == 0 && h.len == Some(0)) {
                return Err(malforme("élément inattendu après le contenu chiffré"));
            }
        } else {
            r.close(&ed, d.ed_start, "EnvelopedData")?;
        }
    }
    r.close(&d.explicit, d.explicit_start, "contenu [0]")?;
    r.close(&d.ci, d.ci_start, "ContentInfo")?;
    if !r.at_end()? {
        return Err(malforme("données inattendues après l'enveloppe"));
    }
    Ok(InfoDechiffrement {
        structure: if auth {
            "AuthEnvelopedData"
        } else {
            "EnvelopedData"
        }
        .into(),
        chiffrement: contenu.algo,
        transport: transport_rsa(&trouve.acces),
        acces: trouve.acces,
        destinataires: d.infos.len(),
        destinataire: trouve.index,
        taille: total,
    })
}

/// Decrypt an envelope held in memory with any of `cles`; the plaintext is returned only
/// once authenticated (GCM/Poly1305 tag or CBC padding checked).
pub fn dechiffrer(
    data: &[u8],
    cles: &[Cle<'_>],
    options: &OptionsDechiffrement,
) -> Result<(Vec<u8>, InfoDechiffrement)> {
    let mut out = Vec::new();
    let mut input = data;
    let info = decrypt_into(&mut input, cles, options, &mut |c| {
        out.extend_from_slice(c);
        Ok(())
    })?;
    Ok((out, info))
}

/// Decrypt from any reader to a file path, in constant memory, with any of `cles`. The
/// plaintext goes to a temporary file beside `output`, renamed to `output` only after the
/// tag (or padding) verified; on any error nothing is left behind.
pub fn dechiffrer_flux(
    input: &mut dyn Read,
    output: &Path,
    cles: &[Cle<'_>],
    options: &OptionsDechiffrement,
) -> Result<InfoDechiffrement> {
    // The plaintext is private from its first byte (0600), even before it is complete.
    let mut sortie = FichierAtomique::creer(output, Confidentialite::Privee)?;
    let mut w = Behind::new(sortie.fichier().try_clone()?);
    let info = decrypt_into(input, cles, options, &mut |c| {
        w.write_all(c).map_err(Erreur::from)
    })?;
    w.finish()?;
    sortie.terminer()?;
    Ok(info)
}

/// Decrypt a file (DER, BER, PEM or S/MIME) into another; see [`dechiffrer_flux`].
pub fn dechiffrer_fichier(
    input: &Path,
    output: &Path,
    cles: &[Cle<'_>],
    options: &OptionsDechiffrement,
) -> Result<InfoDechiffrement> {
    let mut r = Prefetch::new(open_input(input)?);
    dechiffrer_flux(&mut r, output, cles, options)
}

/// Decrypt an envelope held in memory with a key pair; see [`dechiffrer`].
pub fn decrypt(data: &[u8], bicle: &BiCle) -> Result<Vec<u8>> {
    decrypt_with_info(data, bicle).map(|(v, _)| v)
}

/// Like [`decrypt`], also returning what was found.
pub fn decrypt_with_info(data: &[u8], bicle: &BiCle) -> Result<(Vec<u8>, InfoDechiffrement)> {
    dechiffrer(
        data,
        &[Cle::Privee(bicle)],
        &OptionsDechiffrement::default(),
    )
}

/// Decrypt from any reader to a file path with a key pair; see [`dechiffrer_flux`].
pub fn decrypt_reader_to_file(
    input: &mut dyn Read,
    output: &Path,
    bicle: &BiCle,
) -> Result<InfoDechiffrement> {
    dechiffrer_flux(
        input,
        output,
        &[Cle::Privee(bicle)],
        &OptionsDechiffrement::default(),
    )
}

/// Decrypt a file (DER, BER, PEM or S/MIME) into another with a key pair.
pub fn decrypt_file(input: &Path, output: &Path, bicle: &BiCle) -> Result<InfoDechiffrement> {
    dechiffrer_fichier(
        input,
        output,
        &[Cle::Privee(bicle)],
        &OptionsDechiffrement::default(),
    )
}

/// Describe the recipients of an envelope without decrypting it (issuer and serial or
/// key identifier of each, KEK identifiers, passwords), e.g. to pick the right key.
pub fn recipients(data: &[u8]) -> Result<Vec<String>> {
    let mut input = data;
    let mut r = BerReader::new(ber_source(&mut input)?);
    let d = lire_debut(&mut r)?;
    Ok(destinataires::decrire(&d.infos))
}
