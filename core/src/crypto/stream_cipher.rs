//! Incremental AES-256-GCM and AES-256-CBC for streaming.
//!
//! `aes-gcm` only works on whole buffers; a 2 GB envelope cannot be held in memory, so GCM
//! is assembled here from the same parts the crate uses (AES-CTR32 and GHASH, both with
//! hardware acceleration when the CPU has it), following NIST SP 800-38D for a 96-bit IV
//! and no additional authenticated data (CMS AuthEnvelopedData without authAttrs).
//! Tests check it against `aes-gcm` byte for byte.

use aes::Aes256;
use aes::cipher::{
    BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit, StreamCipher,
    StreamCipherSeek,
};
use ghash::GHash;
use ghash::universal_hash::UniversalHash;

use crate::{Error, ErrorCode, Result};

type Block = aes::Block;

/// Streaming AES-256-GCM (96-bit nonce, no AAD).
pub(crate) struct Gcm {
    ctr: GcmCtr,
    hash: GcmHash,
}

/// The keystream half of GCM (AES-CTR32 from J0 + 1). Split from [`GcmHash`] so that a
/// file encryption can run the two on different threads.
pub(crate) type GcmCtr = ctr::Ctr32BE<Aes256>;

/// The authentication half of GCM: GHASH over the ciphertext, then the tag.
pub(crate) struct GcmHash {
    ghash: GHash,
    tag_mask: Block,
    pending: [u8; 16],
    pending_len: usize,
    total: u64,
}

impl Gcm {
    pub(crate) fn new(key: &[u8; 32], nonce: &[u8; 12]) -> Gcm {
        let cipher = Aes256::new(key.into());
        let mut h = Block::default();
        cipher.encrypt_block(&mut h);
        let ghash = GHash::new(&h);
        let mut j0 = Block::default();
        j0[..12].copy_from_slice(nonce);
        j0[15] = 1;
        let mut tag_mask = j0;
        cipher.encrypt_block(&mut tag_mask);
        let mut ctr_iv = j0;
        ctr_iv[15] = 2;
        let ctr = ctr::Ctr32BE::<Aes256>::new(key.into(), &ctr_iv);
        Gcm {
            ctr,
            hash: GcmHash {
                ghash,
                tag_mask,
                pending: [0; 16],
                pending_len: 0,
                total: 0,
            },
        }
    }

    /// The keystream and the hash, to be driven separately (encrypt: keystream first, then
    /// hash the ciphertext).
    pub(crate) fn split(self) -> (GcmCtr, GcmHash) {
        (self.ctr, self.hash)
    }

    /// Encrypt in place.
    pub(crate) fn encrypt(&mut self, buf: &mut [u8]) -> Result<()> {
        keystream(&mut self.ctr, buf)?;
        self.hash.update(buf);
        Ok(())
    }

    /// Decrypt in place (the plaintext is not authentic until [`Gcm::verify`]).
    pub(crate) fn decrypt(&mut self, buf: &mut [u8]) -> Result<()> {
        self.hash.update(buf);
        keystream(&mut self.ctr, buf)
    }

    /// The 16-byte tag after all data was encrypted.
    pub(crate) fn finish(self) -> [u8; 16] {
        self.hash.finish()
    }

    /// Check the tag (12 to 16 bytes, a prefix of the full tag), in constant time.
    pub(crate) fn verify(self, tag: &[u8]) -> Result<()> {
        self.hash.verify(tag)
    }
}

/// Most bytes one GCM key and nonce may protect: 2^32 − 2 blocks (SP 800-38D, 5.2.1.1).
pub(crate) const GCM_MAX: u64 = ((1u64 << 32) - 2) * 16;

/// Apply the keystream; past [`GCM_MAX`] the buffer is zeroed and an error returned. The
/// `ctr` crate alone would allow one block more (it counts 2^32 - 1 blocks from the start
/// whatever the initial counter, and GCM's starts at 2), so the limit is checked here.
pub(crate) fn keystream(ctr: &mut GcmCtr, buf: &mut [u8]) -> Result<()> {
    let fin = ctr.current_pos::<u64>().checked_add(buf.len() as u64);
    if fin.is_none_or(|f| f > GCM_MAX) || ctr.try_apply_keystream(buf).is_err() {
        buf.fill(0);
        return Err(Error::new(
            ErrorCode::CmsMalforme,
            "contenu chiffré AES-GCM trop long (plus de 64 Gio)",
        ));
    }
    Ok(())
}

impl GcmHash {
    /// Hash ciphertext bytes, keeping an incomplete block for later.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.total += data.len() as u64;
        if self.pending_len > 0 {
            let take = (16 - self.pending_len).min(data.len());
            let (head, rest) = data.split_at(take);
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(head);
            self.pending_len += take;
            data = rest;
            if self.pending_len == 16 {
                self.ghash.update(&[Block::from(self.pending)]);
                self.pending_len = 0;
            }
        }
        let (blocks, rest) = Block::slice_as_chunks(data);
        self.ghash.update(blocks);
        if !rest.is_empty() {
            self.pending[..rest.len()].copy_from_slice(rest);
            self.pending_len = rest.len();
        }
    }

    /// The 16-byte tag.
    pub(crate) fn finish(mut self) -> [u8; 16] {
        if self.pending_len > 0 {
            self.ghash.update_padded(&self.pending[..self.pending_len]);
        }
        let mut lengths = Block::default();
        lengths[8..].copy_from_slice(&(self.total * 8).to_be_bytes());
        self.ghash.update(&[lengths]);
        let s = self.ghash.finalize();
        let mut tag = [0u8; 16];
        for (i, t) in tag.iter_mut().enumerate() {
            *t = s[i] ^ self.tag_mask[i];
        }
        tag
    }

    /// Check the tag (12 to 16 bytes, a prefix of the full tag), in constant time.
    pub(crate) fn verify(self, tag: &[u8]) -> Result<()> {
        if !(12..=16).contains(&tag.len()) {
            return Err(Error::new(
                ErrorCode::CmsMalforme,
                format!("longueur de tag GCM invalide : {}", tag.len()),
            ));
        }
        let full = self.finish();
        let diff = full.iter().zip(tag).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff != 0 {
            return Err(Error::new(
                ErrorCode::IntegriteEchec,
                "tag d'authentification GCM incorrect : l'enveloppe a été altérée",
            ));
        }
        Ok(())
    }
}

/// Streaming AES-256-CBC encryption with PKCS#7 padding.
pub(crate) struct CbcEnc {
    inner: cbc::Encryptor<Aes256>,
    pending: Vec<u8>,
}

impl CbcEnc {
    pub(crate) fn new(key: &[u8; 32], iv: &[u8; 16]) -> CbcEnc {
        CbcEnc {
            inner: cbc::Encryptor::<Aes256>::new(key.into(), iv.into()),
            pending: Vec::with_capacity(16),
        }
    }

    /// Encrypt `data`, appending whole ciphertext blocks to `out`.
    pub(crate) fn update(&mut self, data: &[u8], out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&self.pending);
        out.extend_from_slice(data);
        let usable = (out.len() - start) / 16 * 16;
        self.pending.clear();
        self.pending.extend_from_slice(&out[start + usable..]);
        out.truncate(start + usable);
        let (blocks, _) = Block::slice_as_chunks_mut(&mut out[start..]);
        self.inner.encrypt_blocks(blocks);
    }

    /// Pad and encrypt the last block.
    pub(crate) fn finish(mut self, out: &mut Vec<u8>) {
        let pad = 16 - self.pending.len();
        let mut last = Block::default();
        last[..self.pending.len()].copy_from_slice(&self.pending);
        for b in last[self.pending.len()..].iter_mut() {
            *b = pad as u8;
        }
        self.inner.encrypt_blocks(std::slice::from_mut(&mut last));
        out.extend_from_slice(&last);
    }
}

/// Streaming AES-256-CBC decryption; the last block is held back to remove the padding.
pub(crate) struct CbcDec {
    inner: cbc::Decryptor<Aes256>,
    pending: Vec<u8>,
}

impl CbcDec {
    pub(crate) fn new(key: &[u8; 32], iv: &[u8; 16]) -> CbcDec {
        CbcDec {
            inner: cbc::Decryptor::<Aes256>::new(key.into(), iv.into()),
            pending: Vec::with_capacity(32),
        }
    }

    /// Decrypt `data`, appending plaintext to `out` except the last (possibly padded) block.
    pub(crate) fn update(&mut self, data: &[u8], out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&self.pending);
        out.extend_from_slice(data);
        let total = out.len() - start;
        // Keep at least one full block (and any incomplete one) for later.
        let keep = if total.is_multiple_of(16) {
            16.min(total)
        } else {
            total % 16
        };
        let usable = total - keep;
        self.pending.clear();
        self.pending.extend_from_slice(&out[start + usable..]);
        out.truncate(start + usable);
        let (blocks, _) = Block::slice_as_chunks_mut(&mut out[start..]);
        self.inner.decrypt_blocks(blocks);
    }

    /// Decrypt the last block and check the padding.
    pub(crate) fn finish(mut self, out: &mut Vec<u8>) -> Result<()> {
        if self.pending.len() != 16 {
            return Err(Error::new(
                ErrorCode::IntegriteEchec,
                "contenu chiffré CBC de longueur invalide",
            ));
        }
        let mut last = Block::default();
        last.copy_from_slice(&self.pending);
        self.inner.decrypt_blocks(std::slice::from_mut(&mut last));
        let pad = usize::from(last[15]);
        let bad = pad == 0 || pad > 16 || last[16 - pad..].iter().any(|b| usize::from(*b) != pad);
        if bad {
            return Err(Error::new(
                ErrorCode::IntegriteEchec,
                "bourrage CBC incorrect : mauvaise clé ou données altérées",
            ));
        }
        out.extend_from_slice(&last[..16 - pad]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::AeadInOut;

    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 31 % 253) as u8).collect()
    }

    #[test]
    fn gcm_matches_aes_gcm_crate() {
        let key = [7u8; 32];
        let nonce = [9u8; 12];
        for n in [0usize, 1, 15, 16, 17, 100, 4097] {
            let plain = data(n);
            // Feed in uneven pieces to exercise the pending block.
            let mut ours = plain.clone();
            let mut g = Gcm::new(&key, &nonce);
            let mut off = 0;
            for step in [1usize, 5, 16, 33, 1000].iter().cycle() {
                if off >= n {
                    break;
                }
                let end = (off + step).min(n);
                g.encrypt(&mut ours[off..end]).unwrap();
                off = end;
            }
            let tag = g.finish();
            let reference = aes_gcm::Aes256Gcm::new(&key.into());
            let mut theirs = plain.clone();
            let t = reference
                .encrypt_inout_detached(&nonce.into(), b"", theirs.as_mut_slice().into())
                .unwrap();
            assert_eq!(ours, theirs, "n={n}");
            assert_eq!(tag.as_slice(), t.as_slice(), "n={n}");
            let mut back = ours.clone();
            let mut d = Gcm::new(&key, &nonce);
            d.decrypt(&mut back).unwrap();
            d.verify(&tag).unwrap();
            assert_eq!(back, plain);
            let mut bad = tag;
            bad[0] ^= 1;
            let mut d = Gcm::new(&key, &nonce);
            d.decrypt(&mut ours).unwrap();
            assert_eq!(
                d.verify(&bad).unwrap_err().code(),
                ErrorCode::IntegriteEchec
            );
            // Split halves driven separately give the same ciphertext and tag.
            let (mut ks, mut h) = Gcm::new(&key, &nonce).split();
            let mut split = plain.clone();
            for piece in split.chunks_mut(7) {
                ks.apply_keystream(piece);
                h.update(piece);
            }
            assert_eq!(split, theirs, "n={n}");
            assert_eq!(h.finish().as_slice(), t.as_slice(), "n={n}");
        }
    }

    #[test]
    fn keystream_stops_at_the_gcm_limit() {
        use aes::cipher::StreamCipherSeek;
        let at_end = || {
            let (mut ks, _) = Gcm::new(&[3u8; 32], &[5u8; 12]).split();
            ks.seek(GCM_MAX - 16);
            ks
        };
        // The last 16 bytes GCM allows pass...
        let mut last = [7u8; 16];
        keystream(&mut at_end(), &mut last).unwrap();
        assert_ne!(last, [7u8; 16]);
        // ...one byte more is refused and the buffer zeroed (the crate alone allows it).
        let mut over = [7u8; 17];
        let e = keystream(&mut at_end(), &mut over).unwrap_err();
        assert_eq!(e.code(), ErrorCode::CmsMalforme);
        assert_eq!(over, [0u8; 17]);
        let mut ks = at_end();
        assert!(ks.try_apply_keystream(&mut [0u8; 17]).is_ok());
    }

    #[test]
    fn cbc_round_trip_in_pieces() {
        let key = [1u8; 32];
        let iv = [2u8; 16];
        for n in [0usize, 1, 15, 16, 17, 1000] {
            let plain = data(n);
            let mut enc = CbcEnc::new(&key, &iv);
            let mut ct = Vec::new();
            for piece in plain.chunks(7) {
                enc.update(piece, &mut ct);
            }
            enc.finish(&mut ct);
            assert_eq!(ct.len(), (n / 16 + 1) * 16);
            let mut dec = CbcDec::new(&key, &iv);
            let mut pt = Vec::new();
            for piece in ct.chunks(5) {
                dec.update(piece, &mut pt);
            }
            dec.finish(&mut pt).unwrap();
            assert_eq!(pt, plain);
        }
    }
}
