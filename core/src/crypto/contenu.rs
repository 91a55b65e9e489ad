//! Content-encryption algorithms of CMS envelopes: which one an envelope names, the size of
//! its key, and the streaming decryptor for it.
//!
//! AES-128/192/256 in CBC (RFC 3565) and GCM (RFC 5084), ChaCha20-Poly1305 (RFC 8103);
//! Triple-DES, DES and RC2 (RFC 3370) only when the caller asks for obsolete algorithms,
//! otherwise [`CodeErreur::AlgorithmeObsolete`].

use aes::{Aes128, Aes192, Aes256};
use der::Sequence;
use der::asn1::{ObjectIdentifier, OctetString};
use serde::{Deserialize, Serialize};
use spki::AlgorithmIdentifierOwned;

use crate::crypto::ber::malforme;
use crate::crypto::stream_cipher::{CbcDec, ChaChaPoly, Gcm};
use crate::{CodeErreur, Erreur, Result};

/// A content-encryption algorithm mpe decrypts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub enum AlgoContenu {
    /// AES-128-CBC.
    #[serde(rename = "AES-128-CBC")]
    Aes128Cbc,
    /// AES-192-CBC.
    #[serde(rename = "AES-192-CBC")]
    Aes192Cbc,
    /// AES-256-CBC.
    #[serde(rename = "AES-256-CBC")]
    Aes256Cbc,
    /// AES-128-GCM.
    #[serde(rename = "AES-128-GCM")]
    Aes128Gcm,
    /// AES-192-GCM.
    #[serde(rename = "AES-192-GCM")]
    Aes192Gcm,
    /// AES-256-GCM.
    #[serde(rename = "AES-256-GCM")]
    Aes256Gcm,
    /// ChaCha20-Poly1305 (RFC 8103).
    #[serde(rename = "ChaCha20-Poly1305")]
    ChaCha20Poly1305,
    /// Triple-DES EDE CBC (obsolete).
    #[serde(rename = "DES-EDE3-CBC")]
    DesEde3Cbc,
    /// DES CBC (obsolete, broken).
    #[serde(rename = "DES-CBC")]
    DesCbc,
    /// RC2 CBC (obsolete, broken), with its effective key size in bits.
    #[serde(rename = "RC2-CBC")]
    Rc2Cbc,
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

/// ```text
/// RC2-CBCParameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv OCTET STRING }
/// ```
#[derive(Sequence)]
struct Rc2Params {
    #[asn1(optional = "true")]
    version: Option<u32>,
    iv: OctetString,
}

/// A content algorithm with its parameters, read from an envelope.
#[derive(Debug, Clone)]
pub(crate) struct Contenu {
    pub(crate) algo: AlgoContenu,
    /// IV (CBC) or nonce (GCM, ChaCha20).
    iv: Vec<u8>,
    /// RC2 effective key bits.
    rc2_bits: usize,
    /// Tag length (GCM).
    pub(crate) tag: usize,
}

impl AlgoContenu {
    /// Whether the caller must ask for obsolete algorithms to use it.
    pub fn obsolete(self) -> bool {
        matches!(
            self,
            AlgoContenu::DesEde3Cbc | AlgoContenu::DesCbc | AlgoContenu::Rc2Cbc
        )
    }

    /// Authenticated encryption (AuthEnvelopedData).
    pub fn authentifie(self) -> bool {
        matches!(
            self,
            AlgoContenu::Aes128Gcm
                | AlgoContenu::Aes192Gcm
                | AlgoContenu::Aes256Gcm
                | AlgoContenu::ChaCha20Poly1305
        )
    }
}

pub(crate) fn nom_oid(oid: &ObjectIdentifier) -> String {
    const_oid::db::DB
        .by_oid(oid)
        .map(|n| format!("{n} ({oid})"))
        .unwrap_or_else(|| oid.to_string())
}

impl Contenu {
    /// Read the algorithm identifier; obsolete ones only with `obsoletes`.
    pub(crate) fn lire(alg: &AlgorithmIdentifierOwned, obsoletes: bool) -> Result<Contenu> {
        let o = alg.oid.to_string();
        let algo = match o.as_str() {
            "2.16.840.1.101.3.4.1.2" => AlgoContenu::Aes128Cbc,
            "2.16.840.1.101.3.4.1.22" => AlgoContenu::Aes192Cbc,
            "2.16.840.1.101.3.4.1.42" => AlgoContenu::Aes256Cbc,
            "2.16.840.1.101.3.4.1.6" => AlgoContenu::Aes128Gcm,
            "2.16.840.1.101.3.4.1.26" => AlgoContenu::Aes192Gcm,
            "2.16.840.1.101.3.4.1.46" => AlgoContenu::Aes256Gcm,
            "1.2.840.113549.1.9.16.3.18" => AlgoContenu::ChaCha20Poly1305,
            "1.2.840.113549.3.7" => AlgoContenu::DesEde3Cbc,
            "1.3.14.3.2.7" => AlgoContenu::DesCbc,
            "1.2.840.113549.3.2" => AlgoContenu::Rc2Cbc,
            _ => {
                return Err(Erreur::new(
                    CodeErreur::NonPrisEnCharge,
                    format!(
                        "algorithme de chiffrement du contenu non pris en charge : {}",
                        nom_oid(&alg.oid)
                    ),
                ));
            }
        };
        if algo.obsolete() && !obsoletes {
            return Err(obsolete(&format!("{algo:?}")));
        }
        let p = alg
            .parameters
            .as_ref()
            .ok_or_else(|| malforme("paramètres de l'algorithme de chiffrement absents"))?;
        let mut c = Contenu {
            algo,
            iv: Vec::new(),
            rc2_bits: 0,
            tag: 16,
        };
        match algo {
            AlgoContenu::Aes128Gcm | AlgoContenu::Aes192Gcm | AlgoContenu::Aes256Gcm => {
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
                c.tag = usize::from(g.icv_len);
                c.iv = g.nonce.into_bytes().into_vec();
            }
            AlgoContenu::ChaCha20Poly1305 => {
                let n: OctetString = p
                    .decode_as()
                    .map_err(|e| malforme(format!("nonce ChaCha20-Poly1305 : {e}")))?;
                if n.as_bytes().len() != 12 {
                    return Err(malforme("nonce ChaCha20-Poly1305 de taille invalide"));
                }
                c.iv = n.into_bytes().into_vec();
            }
            AlgoContenu::Rc2Cbc => {
                let r: Rc2Params = p
                    .decode_as()
                    .map_err(|e| malforme(format!("paramètres RC2 : {e}")))?;
                // RFC 8018 B.2.3: version 160 = 40 bits, 120 = 64, 58 = 128, >= 256 itself.
                c.rc2_bits = match r.version {
                    None | Some(160) => 40,
                    Some(120) => 64,
                    Some(58) => 128,
                    Some(v) if v >= 256 => v as usize,
                    Some(v) => {
                        return Err(malforme(format!(
                            "version de paramètres RC2 inconnue : {v}"
                        )));
                    }
                };
                if c.rc2_bits > 1024 {
                    return Err(malforme("taille de clé effective RC2 invalide"));
                }
                c.iv = r.iv.into_bytes().into_vec();
            }
            _ => {
                let iv: OctetString = p.decode_as().map_err(|e| malforme(format!("IV : {e}")))?;
                c.iv = iv.into_bytes().into_vec();
                let bloc = if matches!(algo, AlgoContenu::DesEde3Cbc | AlgoContenu::DesCbc) {
                    8
                } else {
                    16
                };
                if c.iv.len() != bloc {
                    return Err(malforme("IV CBC de taille invalide"));
                }
            }
        }
        Ok(c)
    }

    /// The content-encryption key length the algorithm takes (`None`: any, RC2).
    pub(crate) fn taille_cle(&self) -> Option<usize> {
        Some(match self.algo {
            AlgoContenu::Aes128Cbc | AlgoContenu::Aes128Gcm => 16,
            AlgoContenu::Aes192Cbc | AlgoContenu::Aes192Gcm | AlgoContenu::DesEde3Cbc => 24,
            AlgoContenu::Aes256Cbc | AlgoContenu::Aes256Gcm | AlgoContenu::ChaCha20Poly1305 => 32,
            AlgoContenu::DesCbc => 8,
            AlgoContenu::Rc2Cbc => return None,
        })
    }

    /// The decryptor for this content under `cek`.
    pub(crate) fn dechiffreur(&self, cek: &[u8]) -> Result<Dechiffrement> {
        use aes::cipher::KeyInit;
        if let Some(n) = self.taille_cle()
            && n != cek.len()
        {
            return Err(Erreur::new(
                CodeErreur::DechiffrementEchec,
                format!("clé de contenu de {} octets ({n} attendus)", cek.len()),
            ));
        }
        let cle_err = |_| {
            Erreur::new(
                CodeErreur::DechiffrementEchec,
                "clé de contenu de longueur invalide",
            )
        };
        let nonce = || -> Result<[u8; 12]> {
            self.iv
                .as_slice()
                .try_into()
                .map_err(|_| malforme("nonce de taille invalide"))
        };
        Ok(match self.algo {
            AlgoContenu::Aes128Gcm => {
                Dechiffrement::Gcm128(Gcm::<Aes128>::with_key(cek, &nonce()?)?)
            }
            AlgoContenu::Aes192Gcm => {
                Dechiffrement::Gcm192(Gcm::<Aes192>::with_key(cek, &nonce()?)?)
            }
            AlgoContenu::Aes256Gcm => {
                Dechiffrement::Gcm256(Gcm::<Aes256>::with_key(cek, &nonce()?)?)
            }
            AlgoContenu::ChaCha20Poly1305 => {
                Dechiffrement::ChaCha(ChaChaPoly::new(cek, &nonce()?)?)
            }
            AlgoContenu::Aes128Cbc => Dechiffrement::Cbc(CbcDec::with_cipher(
                Aes128::new_from_slice(cek).map_err(cle_err)?,
                &self.iv,
            )?),
            AlgoContenu::Aes192Cbc => Dechiffrement::Cbc(CbcDec::with_cipher(
                Aes192::new_from_slice(cek).map_err(cle_err)?,
                &self.iv,
            )?),
            AlgoContenu::Aes256Cbc => Dechiffrement::Cbc(CbcDec::with_cipher(
                Aes256::new_from_slice(cek).map_err(cle_err)?,
                &self.iv,
            )?),
            AlgoContenu::DesEde3Cbc => Dechiffrement::Cbc(CbcDec::with_cipher(
                des::TdesEde3::new_from_slice(cek).map_err(cle_err)?,
                &self.iv,
            )?),
            AlgoContenu::DesCbc => Dechiffrement::Cbc(CbcDec::with_cipher(
                des::Des::new_from_slice(cek).map_err(cle_err)?,
                &self.iv,
            )?),
            AlgoContenu::Rc2Cbc => {
                if cek.is_empty() || cek.len() > 128 {
                    return Err(Erreur::new(
                        CodeErreur::DechiffrementEchec,
                        "clé RC2 de longueur invalide",
                    ));
                }
                Dechiffrement::Cbc(CbcDec::with_cipher(
                    rc2::Rc2::new_with_eff_key_len(cek, self.rc2_bits),
                    &self.iv,
                )?)
            }
        })
    }
}

/// [`CodeErreur::AlgorithmeObsolete`] for an algorithm used without the legacy option.
pub(crate) fn obsolete(nom: &str) -> Erreur {
    Erreur::new(
        CodeErreur::AlgorithmeObsolete,
        format!(
            "algorithme obsolète {nom} : déchiffrement seulement sur demande explicite (option « legacy »)"
        ),
    )
}

/// The running decryption of a content.
pub(crate) enum Dechiffrement {
    Gcm128(Gcm<Aes128>),
    Gcm192(Gcm<Aes192>),
    Gcm256(Gcm<Aes256>),
    ChaCha(ChaChaPoly),
    Cbc(CbcDec),
}

impl Dechiffrement {
    /// Decrypt a chunk: in place for the AEADs (the returned slice is `chunk`), into `out`
    /// for CBC (minus the last block, held back for the padding).
    pub(crate) fn traiter<'b>(
        &mut self,
        chunk: &'b mut [u8],
        out: &'b mut Vec<u8>,
    ) -> Result<&'b [u8]> {
        match self {
            Dechiffrement::Gcm128(g) => g.decrypt(chunk)?,
            Dechiffrement::Gcm192(g) => g.decrypt(chunk)?,
            Dechiffrement::Gcm256(g) => g.decrypt(chunk)?,
            Dechiffrement::ChaCha(c) => c.decrypt(chunk)?,
            Dechiffrement::Cbc(c) => {
                out.clear();
                c.update(chunk, out);
                return Ok(out);
            }
        }
        Ok(chunk)
    }

    pub(crate) fn authentifie(&self) -> bool {
        !matches!(self, Dechiffrement::Cbc(_))
    }

    /// CBC: the last block, padding checked.
    pub(crate) fn finir_cbc(self, out: &mut Vec<u8>) -> Result<()> {
        match self {
            Dechiffrement::Cbc(c) => c.finish(out),
            _ => Err(malforme("contenu authentifié dans une EnvelopedData")),
        }
    }

    /// AEAD: check the tag, authenticating `aad` (the DER of `authAttrs`) too.
    pub(crate) fn verifier(self, tag: &[u8], aad: Option<&[u8]>) -> Result<()> {
        match self {
            Dechiffrement::Gcm128(g) => g.verify_aad(tag, aad),
            Dechiffrement::Gcm192(g) => g.verify_aad(tag, aad),
            Dechiffrement::Gcm256(g) => g.verify_aad(tag, aad),
            Dechiffrement::ChaCha(c) => {
                if aad.is_some() {
                    // Poly1305 must see the AAD first, and CMS puts authAttrs after the
                    // content: no streaming way round it, unlike GHASH.
                    return Err(Erreur::new(
                        CodeErreur::NonPrisEnCharge,
                        "ChaCha20-Poly1305 avec attributs authentifiés (authAttrs) non pris en charge",
                    ));
                }
                c.verify(tag)
            }
            Dechiffrement::Cbc(_) => Err(malforme("contenu CBC dans une AuthEnvelopedData")),
        }
    }
}
