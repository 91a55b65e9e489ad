//! Key wrapping and key derivation of CMS recipients: AES key wrap (RFC 3394), the CMS
//! Triple-DES key wrap (RFC 3217, obsolete), the password key wrap (RFC 3211), and the KDFs
//! of key agreement (ANSI X9.63 per RFC 5753, HKDF per RFC 8418).

use aes::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;

use crate::crypto::ber::malforme;
use crate::crypto::contenu::{nom_oid, obsolete};
use crate::crypto::dechiffreur::Hachage;
use crate::{CodeErreur, Erreur, Result};

/// A key-wrap algorithm named by a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Emballage {
    /// AES key wrap (RFC 3394) with a KEK of this many bytes.
    AesKw(usize),
    /// AES key wrap with padding (RFC 5649).
    AesKwp(usize),
    /// CMS Triple-DES key wrap (RFC 3217).
    Tdes,
}

pub(crate) const AES128_WRAP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.5");
pub(crate) const AES192_WRAP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.25");
pub(crate) const AES256_WRAP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.45");

impl Emballage {
    pub(crate) fn lire(alg: &AlgorithmIdentifierOwned, obsoletes: bool) -> Result<Emballage> {
        let e = match alg.oid.to_string().as_str() {
            "2.16.840.1.101.3.4.1.5" => Emballage::AesKw(16),
            "2.16.840.1.101.3.4.1.25" => Emballage::AesKw(24),
            "2.16.840.1.101.3.4.1.45" => Emballage::AesKw(32),
            "2.16.840.1.101.3.4.1.8" => Emballage::AesKwp(16),
            "2.16.840.1.101.3.4.1.28" => Emballage::AesKwp(24),
            "2.16.840.1.101.3.4.1.48" => Emballage::AesKwp(32),
            "1.2.840.113549.1.9.16.3.6" => {
                if !obsoletes {
                    return Err(obsolete("Triple-DES key wrap (id-alg-CMS3DESwrap)"));
                }
                Emballage::Tdes
            }
            _ => {
                return Err(Erreur::new(
                    CodeErreur::NonPrisEnCharge,
                    format!(
                        "algorithme d'emballage de clé non pris en charge : {}",
                        nom_oid(&alg.oid)
                    ),
                ));
            }
        };
        Ok(e)
    }

    /// The KEK length in bytes.
    pub(crate) fn taille_kek(self) -> usize {
        match self {
            Emballage::AesKw(n) | Emballage::AesKwp(n) => n,
            Emballage::Tdes => 24,
        }
    }

    /// Unwrap a content-encryption key.
    pub(crate) fn deballer(self, kek: &[u8], emballee: &[u8]) -> Result<Vec<u8>> {
        if kek.len() != self.taille_kek() {
            return Err(Erreur::new(
                CodeErreur::DechiffrementEchec,
                format!(
                    "clé de chiffrement de clé de {} octets ({} attendus)",
                    kek.len(),
                    self.taille_kek()
                ),
            ));
        }
        let echec = || {
            Erreur::new(
                CodeErreur::DechiffrementEchec,
                "déballage de la clé de contenu en échec (mauvaise clé ou données altérées)",
            )
        };
        if emballee.len() < 16 || emballee.len() > 1024 {
            return Err(echec());
        }
        let mut buf = vec![0u8; emballee.len()];
        macro_rules! kw {
            ($t:ty) => {{
                let kw = <$t>::new_from_slice(kek).map_err(|_| echec())?;
                kw.unwrap_key(emballee, &mut buf)
                    .map(|k| k.to_vec())
                    .map_err(|_| echec())
            }};
        }
        match self {
            Emballage::AesKw(16) => kw!(aes_kw::KwAes128),
            Emballage::AesKw(24) => kw!(aes_kw::KwAes192),
            Emballage::AesKw(_) => kw!(aes_kw::KwAes256),
            Emballage::AesKwp(16) => kw!(aes_kw::KwpAes128),
            Emballage::AesKwp(24) => kw!(aes_kw::KwpAes192),
            Emballage::AesKwp(_) => kw!(aes_kw::KwpAes256),
            Emballage::Tdes => deballer_tdes(kek, emballee),
        }
    }
}

/// RFC 3217 section 3.2: two CBC passes under the KEK with a fixed IV, the octets reversed
/// in between, and a SHA-1 check value.
fn deballer_tdes(kek: &[u8], emballee: &[u8]) -> Result<Vec<u8>> {
    const IV: [u8; 8] = [0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05];
    let echec = || {
        Erreur::new(
            CodeErreur::DechiffrementEchec,
            "déballage Triple-DES de la clé de contenu en échec",
        )
    };
    if emballee.len() != 40 {
        return Err(echec());
    }
    let cbc = |iv: &[u8], data: &mut [u8]| -> Result<()> {
        let c = des::TdesEde3::new_from_slice(kek).map_err(|_| echec())?;
        let iv = des::cipher::Block::<des::TdesEde3>::try_from(iv).map_err(|_| echec())?;
        let mut d =
            <cbc::Decryptor<des::TdesEde3> as aes::cipher::InnerIvInit>::inner_iv_init(c, &iv);
        let (blocks, rest) = des::cipher::Block::<des::TdesEde3>::slice_as_chunks_mut(data);
        if !rest.is_empty() {
            return Err(echec());
        }
        d.decrypt_blocks(blocks);
        Ok(())
    };
    let mut temp2 = emballee.to_vec();
    cbc(&IV, &mut temp2)?;
    temp2.reverse();
    let (iv, temp) = temp2.split_at_mut(8);
    let iv = iv.to_vec();
    cbc(&iv, temp)?;
    let (cek, icv) = temp.split_at(24);
    let h = Hachage::Sha1.hacher(&[cek]);
    if h.get(..8) != Some(icv) {
        return Err(echec());
    }
    Ok(cek.to_vec())
}

/// RFC 3211 section 2.3.2 key unwrap with a CBC cipher already keyed: decrypt the last
/// block with the one before it as IV, use that to decrypt the rest, then decrypt the whole
/// again with the real IV; check the length byte and the check bytes.
pub(crate) fn deballer_rfc3211<C: BlockCipherDecrypt + Clone>(
    cipher: C,
    iv: &[u8],
    emballee: &[u8],
) -> Result<Vec<u8>> {
    use aes::cipher::typenum::Unsigned;
    let bs = C::BlockSize::USIZE;
    let echec = || {
        Erreur::new(
            CodeErreur::DechiffrementEchec,
            "déballage de la clé par mot de passe en échec (mot de passe incorrect ?)",
        )
    };
    let n = emballee.len();
    if n < 2 * bs || !n.is_multiple_of(bs) || iv.len() != bs {
        return Err(echec());
    }
    let dec_bloc = |b: &[u8]| -> Vec<u8> {
        let mut blk = aes::cipher::Block::<C>::try_from(b).unwrap_or_default();
        cipher.decrypt_block(&mut blk);
        blk.to_vec()
    };
    let xor = |a: &[u8], b: &[u8]| -> Vec<u8> { a.iter().zip(b).map(|(x, y)| x ^ y).collect() };
    let bloc = |i: usize| emballee.get(i * bs..(i + 1) * bs).unwrap_or_default();
    let nb = n / bs;
    // Step 1: the last block, CBC-decrypted with the block before it as IV.
    let dernier = xor(&dec_bloc(bloc(nb - 1)), bloc(nb - 2));
    // Step 2: with it as IV, CBC-decrypt the first n-1 blocks.
    let mut tmp = Vec::with_capacity(n);
    let mut prec = dernier.clone();
    for i in 0..nb - 1 {
        let c = bloc(i);
        tmp.extend(xor(&dec_bloc(c), &prec));
        prec = c.to_vec();
    }
    tmp.extend_from_slice(&dernier);
    // Step 3: CBC-decrypt the whole with the real IV.
    let mut out = Vec::with_capacity(n);
    let mut prec = iv.to_vec();
    for c in tmp.chunks(bs) {
        out.extend(xor(&dec_bloc(c), &prec));
        prec = c.to_vec();
    }
    let (len, rest) = out.split_first().ok_or_else(echec)?;
    let len = usize::from(*len);
    let chk = |i: usize| rest.get(i).copied().unwrap_or(0);
    if (chk(0) ^ chk(3)) & (chk(1) ^ chk(4)) & (chk(2) ^ chk(5)) != 0xff {
        return Err(echec());
    }
    if len == 0 || len + 4 > n {
        return Err(echec());
    }
    out.get(4..4 + len).map(<[u8]>::to_vec).ok_or_else(echec)
}

/// ```text
/// ECC-CMS-SharedInfo ::= SEQUENCE { keyInfo AlgorithmIdentifier,
///     entityUInfo [0] EXPLICIT OCTET STRING OPTIONAL, suppPubInfo [2] EXPLICIT OCTET STRING }
/// ```
#[derive(Sequence)]
struct SharedInfo {
    key_info: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    entity_u_info: Option<OctetString>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    supp_pub_info: OctetString,
}

/// The KDF of a key-agreement scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kdf {
    /// ANSI X9.63 (RFC 5753).
    X963(Hachage),
    /// HKDF (RFC 8418), no salt.
    Hkdf(Hachage),
}

/// A key-agreement scheme: its KDF; `None` for 1-Pass ECMQV (not supported).
pub(crate) fn schema_accord(oid: &ObjectIdentifier) -> Result<Kdf> {
    use Hachage::*;
    let k = match oid.to_string().as_str() {
        // dhSinglePass-stdDH-*kdf-scheme and dhSinglePass-cofactorDH-*kdf-scheme: the
        // cofactor of P-256/384/521 is 1, so both compute the same Z.
        "1.3.133.16.840.63.0.2" | "1.3.133.16.840.63.0.3" => Kdf::X963(Sha1),
        "1.3.132.1.11.0" | "1.3.132.1.14.0" => Kdf::X963(Sha224),
        "1.3.132.1.11.1" | "1.3.132.1.14.1" => Kdf::X963(Sha256),
        "1.3.132.1.11.2" | "1.3.132.1.14.2" => Kdf::X963(Sha384),
        "1.3.132.1.11.3" | "1.3.132.1.14.3" => Kdf::X963(Sha512),
        // RFC 8418 dhSinglePass-stdDH-hkdf-sha{256,384,512}-scheme.
        "1.2.840.113549.1.9.16.3.19" => Kdf::Hkdf(Sha256),
        "1.2.840.113549.1.9.16.3.20" => Kdf::Hkdf(Sha384),
        "1.2.840.113549.1.9.16.3.21" => Kdf::Hkdf(Sha512),
        "1.3.133.16.840.63.0.16"
        | "1.3.132.1.15.0"
        | "1.3.132.1.15.1"
        | "1.3.132.1.15.2"
        | "1.3.132.1.15.3" => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                "accord de clé 1-Pass ECMQV non pris en charge",
            ));
        }
        _ => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!(
                    "schéma d'accord de clé non pris en charge : {}",
                    nom_oid(oid)
                ),
            ));
        }
    };
    Ok(k)
}

/// The DER ECC-CMS-SharedInfo for a wrap algorithm, a KEK size and optional ukm.
pub(crate) fn shared_info(
    emballage: &AlgorithmIdentifierOwned,
    ukm: Option<&[u8]>,
    taille_kek: usize,
) -> Result<Vec<u8>> {
    let bits = u32::try_from(taille_kek * 8).map_err(|_| malforme("taille de clé"))?;
    SharedInfo {
        key_info: emballage.clone(),
        entity_u_info: ukm
            .map(|u| OctetString::new(u.to_vec()))
            .transpose()
            .map_err(|e| malforme(format!("ukm : {e}")))?,
        supp_pub_info: OctetString::new(bits.to_be_bytes().to_vec())
            .map_err(|e| malforme(format!("suppPubInfo : {e}")))?,
    }
    .to_der()
    .map_err(|e| malforme(format!("ECC-CMS-SharedInfo : {e}")))
}

/// Derive the KEK from the shared secret Z.
pub(crate) fn deriver(kdf: Kdf, z: &[u8], info: &[u8], taille: usize) -> Result<Vec<u8>> {
    match kdf {
        Kdf::X963(h) => {
            let mut out = Vec::with_capacity(taille + 64);
            let mut compteur: u32 = 1;
            while out.len() < taille {
                out.extend(h.hacher(&[z, &compteur.to_be_bytes(), info]));
                compteur += 1;
            }
            out.truncate(taille);
            Ok(out)
        }
        Kdf::Hkdf(h) => {
            let mut out = vec![0u8; taille];
            let r = match h {
                Hachage::Sha256 => hkdf::Hkdf::<sha2::Sha256>::new(None, z).expand(info, &mut out),
                Hachage::Sha384 => hkdf::Hkdf::<sha2::Sha384>::new(None, z).expand(info, &mut out),
                Hachage::Sha512 => hkdf::Hkdf::<sha2::Sha512>::new(None, z).expand(info, &mut out),
                _ => return Err(Erreur::internal("HKDF sans SHA-2")),
            };
            r.map_err(|_| Erreur::internal("longueur HKDF"))?;
            Ok(out)
        }
    }
}

/// The wrap algorithm identifier as RFC 5753 puts it in the shared info: AES wraps with
/// absent parameters, the Triple-DES wrap with NULL.
pub(crate) fn algorithme_emballage(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: if oid == AES128_WRAP || oid == AES192_WRAP || oid == AES256_WRAP {
            None
        } else {
            Some(Any::null())
        },
    }
}

/// AES key wrap (RFC 3394) of a content key, for writing.
pub(crate) fn emballer_aes(kek: &[u8], cek: &[u8]) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; cek.len() + 8];
    let r = match kek.len() {
        16 => aes_kw::KwAes128::new_from_slice(kek)
            .map_err(|_| Erreur::internal("KEK"))?
            .wrap_key(cek, &mut buf)
            .map(<[u8]>::to_vec),
        24 => aes_kw::KwAes192::new_from_slice(kek)
            .map_err(|_| Erreur::internal("KEK"))?
            .wrap_key(cek, &mut buf)
            .map(<[u8]>::to_vec),
        _ => aes_kw::KwAes256::new_from_slice(kek)
            .map_err(|_| Erreur::internal("KEK"))?
            .wrap_key(cek, &mut buf)
            .map(<[u8]>::to_vec),
    };
    r.map_err(|e| Erreur::internal(format!("emballage AES : {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_kw_rfc3394_vector() {
        // RFC 3394 4.1: 128-bit key data with a 128-bit KEK.
        let kek = hex::decode("000102030405060708090A0B0C0D0E0F").unwrap();
        let wrapped = hex::decode("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5").unwrap();
        let cek = Emballage::AesKw(16).deballer(&kek, &wrapped).unwrap();
        assert_eq!(hex::encode_upper(&cek), "00112233445566778899AABBCCDDEEFF");
        assert_eq!(emballer_aes(&kek, &cek).unwrap(), wrapped);
        let mut bad = wrapped.clone();
        bad[3] ^= 1;
        assert_eq!(
            Emballage::AesKw(16)
                .deballer(&kek, &bad)
                .unwrap_err()
                .code(),
            CodeErreur::DechiffrementEchec
        );
    }

    #[test]
    fn x963_kdf_is_hash_of_z_counter_info() {
        let k = deriver(Kdf::X963(Hachage::Sha256), b"z", b"info", 40).unwrap();
        let a = Hachage::Sha256.hacher(&[b"z", &1u32.to_be_bytes(), b"info"]);
        let b = Hachage::Sha256.hacher(&[b"z", &2u32.to_be_bytes(), b"info"]);
        assert_eq!(&k[..32], &a[..]);
        assert_eq!(&k[32..], &b[..8]);
    }
}
