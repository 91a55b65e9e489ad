//! A streaming BER reader with bounded allocations.
//!
//! CMS files made by `openssl cms -encrypt -stream` are BER: constructed types with
//! indefinite lengths, and the encrypted content split into many OCTET STRING chunks. This
//! reader walks such a stream header by header. Small elements (recipient infos, algorithm
//! identifiers) are read whole and re-encoded as DER so the `cms` crate can decode them;
//! the big encrypted content is handed out chunk by chunk.
//!
//! Every allocation is bounded by an explicit limit, nesting by [`MAX_DEPTH`]; an absurd
//! length is an error before anything is allocated.

use std::io::Read;

use crate::{CodeErreur, Erreur, Result};

/// Maximum nesting of constructed elements read whole.
pub(crate) const MAX_DEPTH: usize = 32;

/// Tag byte of an end-of-contents marker.
const EOC: u8 = 0x00;

/// An element header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// The identifier octet (class, constructed bit, tag number < 31).
    pub tag: u8,
    /// The content length, or `None` for indefinite.
    pub len: Option<u64>,
    /// Bytes taken by the header itself.
    pub header_len: u64,
}

impl Header {
    pub(crate) fn constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }
}

pub(crate) fn malforme(msg: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::CmsMalforme, msg)
}

fn io_err(e: std::io::Error) -> Erreur {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            Erreur::new(CodeErreur::Tronque, "fichier CMS tronqué")
        }
        std::io::ErrorKind::InvalidData => malforme(format!("données illisibles : {e}")),
        _ => Erreur::from(e),
    }
}

/// A reader of BER elements that counts the bytes consumed.
pub(crate) struct BerReader<R> {
    inner: R,
    pos: u64,
}

impl<R: Read> BerReader<R> {
    pub(crate) fn new(inner: R) -> BerReader<R> {
        BerReader { inner, pos: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    fn byte(&mut self) -> Result<u8> {
        let mut b = [0u8; 1];
        self.read_exact(&mut b)?;
        Ok(b[0])
    }

    pub(crate) fn read_exact(&mut self, buf: &mut [u8]) -> Result<()> {
        self.inner.read_exact(buf).map_err(io_err)?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    /// Read up to `buf.len()` bytes (at least one unless at end of input).
    pub(crate) fn read_some(&mut self, buf: &mut [u8]) -> Result<usize> {
        loop {
            match self.inner.read(buf) {
                Ok(n) => {
                    self.pos += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_err(e)),
            }
        }
    }

    /// Whether the input is exhausted (only blanks may follow a PEM-less DER file).
    pub(crate) fn at_end(&mut self) -> Result<bool> {
        let mut b = [0u8; 1];
        Ok(self.read_some(&mut b)? == 0)
    }

    /// Read an element header.
    pub(crate) fn header(&mut self) -> Result<Header> {
        let tag = self.byte()?;
        if tag & 0x1f == 0x1f {
            return Err(malforme("étiquette ASN.1 de numéro élevé inattendue"));
        }
        let first = self.byte()?;
        let (len, extra) = if first < 0x80 {
            (Some(u64::from(first)), 0)
        } else if first == 0x80 {
            if tag & 0x20 == 0 {
                return Err(malforme("longueur indéfinie sur un élément primitif"));
            }
            (None, 0)
        } else {
            let n = usize::from(first & 0x7f);
            if n > 8 {
                return Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    "longueur ASN.1 absurde",
                ));
            }
            let mut v: u64 = 0;
            for _ in 0..n {
                v = (v << 8) | u64::from(self.byte()?);
            }
            (Some(v), n as u64)
        };
        Ok(Header {
            tag,
            len,
            header_len: 2 + extra,
        })
    }

    /// Read a header and check its tag.
    pub(crate) fn expect(&mut self, tag: u8, what: &str) -> Result<Header> {
        let h = self.header()?;
        if h.tag != tag {
            return Err(malforme(format!(
                "{what} attendu (étiquette {tag:#04x}), trouvé {:#04x}",
                h.tag
            )));
        }
        Ok(h)
    }

    /// Read the end-of-contents marker closing an indefinite-length element.
    pub(crate) fn expect_eoc(&mut self) -> Result<()> {
        let mut b = [0u8; 2];
        self.read_exact(&mut b)?;
        if b != [0, 0] {
            return Err(malforme("marqueur de fin de contenu attendu"));
        }
        Ok(())
    }

    /// Close an element opened with header `h` at position `start` (just after its header):
    /// read the EOC of an indefinite element, or check a definite length was used exactly.
    pub(crate) fn close(&mut self, h: &Header, start: u64, what: &str) -> Result<()> {
        match h.len {
            None => self.expect_eoc(),
            Some(len) => {
                if self.pos.checked_sub(start) == Some(len) {
                    Ok(())
                } else {
                    Err(malforme(format!("{what} : longueur incohérente")))
                }
            }
        }
    }

    /// Read the content of a primitive element of at most `limit` bytes.
    pub(crate) fn primitive(&mut self, h: &Header, limit: usize) -> Result<Vec<u8>> {
        if h.constructed() {
            return Err(malforme("élément primitif attendu"));
        }
        let len = h
            .len
            .ok_or_else(|| malforme("longueur indéfinie sur un élément primitif"))?;
        if len > limit as u64 {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!("élément ASN.1 de {len} octets (limite {limit})"),
            ));
        }
        let mut v = vec![0u8; len as usize];
        self.read_exact(&mut v)?;
        Ok(v)
    }

    /// Read a whole element (after its header `h`) and return it re-encoded as DER:
    /// definite lengths everywhere and constructed OCTET STRINGs joined. At most `limit`
    /// content bytes in total; nesting at most [`MAX_DEPTH`].
    pub(crate) fn element_der(&mut self, h: &Header, limit: usize) -> Result<Vec<u8>> {
        let mut budget = limit;
        let content = self.content_der(h, &mut budget, 0)?;
        let tag = if h.tag == 0x24 { 0x04 } else { h.tag };
        Ok(encode_tlv(tag, &content))
    }

    fn content_der(&mut self, h: &Header, budget: &mut usize, depth: usize) -> Result<Vec<u8>> {
        if depth > MAX_DEPTH {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                "imbrication ASN.1 trop profonde",
            ));
        }
        if !h.constructed() {
            let v = self.primitive(h, *budget)?;
            *budget -= v.len();
            return Ok(v);
        }
        if let Some(len) = h.len
            && len > *budget as u64
        {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!("élément ASN.1 de {len} octets (limite {budget})"),
            ));
        }
        let start = self.pos;
        let mut out = Vec::new();
        loop {
            if let Some(len) = h.len {
                let used = self.pos - start;
                if used == len {
                    break;
                }
                if used > len {
                    return Err(malforme("élément plus long que son conteneur"));
                }
            }
            let child = self.header()?;
            if child.tag == EOC {
                if h.len.is_some() || child.len != Some(0) {
                    return Err(malforme("marqueur de fin de contenu inattendu"));
                }
                break;
            }
            let inner = self.content_der(&child, budget, depth + 1)?;
            if h.tag == 0x24 {
                // Constructed OCTET STRING: the DER value is the concatenation of the parts.
                if child.tag != 0x04 && child.tag != 0x24 {
                    return Err(malforme("fragment d'OCTET STRING invalide"));
                }
                out.extend_from_slice(&inner);
            } else {
                let tag = if child.tag == 0x24 { 0x04 } else { child.tag };
                out.extend_from_slice(&encode_tlv(tag, &inner));
            }
            // DER headers add a few bytes per element; count them against the budget too.
            *budget = budget.checked_sub(8).ok_or_else(|| {
                Erreur::new(CodeErreur::LimiteDepassee, "élément ASN.1 trop volumineux")
            })?;
        }
        if let Some(len) = h.len
            && self.pos - start != len
        {
            return Err(malforme("longueur incohérente"));
        }
        Ok(out)
    }

    /// Skip an element (after its header), reading at most `limit` content bytes.
    pub(crate) fn skip(&mut self, h: &Header, limit: usize) -> Result<()> {
        let mut budget = limit;
        self.content_der(h, &mut budget, 0).map(|_| ())
    }

    /// Stream the content of an OCTET STRING-like element (primitive, or constructed from
    /// primitive/constructed fragments, definite or indefinite) into `sink`, in chunks of at
    /// most `buf.len()` bytes.
    pub(crate) fn stream_octets(
        &mut self,
        h: &Header,
        buf: &mut [u8],
        sink: &mut dyn FnMut(&mut [u8]) -> Result<()>,
        depth: usize,
    ) -> Result<()> {
        if depth > 8 {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                "OCTET STRING trop imbriquée",
            ));
        }
        if !h.constructed() {
            let mut left = h.len.ok_or_else(|| malforme("longueur indéfinie"))?;
            while left > 0 {
                let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
                let chunk = buf
                    .get_mut(..want)
                    .ok_or_else(|| Erreur::internal("tampon"))?;
                let n = self.read_some(chunk)?;
                if n == 0 {
                    return Err(Erreur::new(
                        CodeErreur::Tronque,
                        "fichier CMS tronqué (contenu chiffré)",
                    ));
                }
                sink(chunk.get_mut(..n).unwrap_or_default())?;
                left -= n as u64;
            }
            return Ok(());
        }
        let start = self.pos;
        loop {
            if let Some(len) = h.len {
                let used = self.pos - start;
                if used == len {
                    return Ok(());
                }
                if used > len {
                    return Err(malforme("fragment plus long que son conteneur"));
                }
            }
            let child = self.header()?;
            if child.tag == EOC {
                if h.len.is_some() || child.len != Some(0) {
                    return Err(malforme("marqueur de fin de contenu inattendu"));
                }
                return Ok(());
            }
            if child.tag != 0x04 && child.tag != 0x24 {
                return Err(malforme(format!(
                    "fragment de contenu chiffré invalide (étiquette {:#04x})",
                    child.tag
                )));
            }
            self.stream_octets(&child, buf, sink, depth + 1)?;
        }
    }
}

/// Encode a DER length.
pub(crate) fn encode_len(len: u64, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let sig = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | sig.len() as u8);
        out.extend_from_slice(sig);
    }
}

/// A DER header (tag + definite length).
pub(crate) fn der_header(tag: u8, len: u64) -> Vec<u8> {
    let mut v = vec![tag];
    encode_len(len, &mut v);
    v
}

/// Total size of a DER element with content of `len` bytes.
pub(crate) fn tlv_len(len: u64) -> u64 {
    der_header(0, len).len() as u64 + len
}

/// A whole DER element.
pub(crate) fn encode_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = der_header(tag, content.len() as u64);
    v.extend_from_slice(content);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der_of(ber: &[u8]) -> Result<Vec<u8>> {
        let mut r = BerReader::new(ber);
        let h = r.header()?;
        r.element_der(&h, 1 << 20)
    }

    #[test]
    fn indefinite_and_chunked_become_der() {
        // SEQUENCE (indef) { OCTET STRING (constructed, indef) { "ab", "c" }, INTEGER 5 }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x02,
            0x01, 0x05, 0x00, 0x00,
        ];
        let der = der_of(&ber).unwrap();
        assert_eq!(
            der,
            [0x30, 0x08, 0x04, 0x03, b'a', b'b', b'c', 0x02, 0x01, 0x05]
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut ber = Vec::new();
        for _ in 0..200 {
            ber.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..200 {
            ber.extend_from_slice(&[0x00, 0x00]);
        }
        assert_eq!(der_of(&ber).unwrap_err().code(), CodeErreur::LimiteDepassee);
    }

    #[test]
    fn absurd_lengths_do_not_allocate() {
        let ber = [0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        assert_eq!(der_of(&ber).unwrap_err().code(), CodeErreur::LimiteDepassee);
        let ber = [0x04, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_eq!(der_of(&ber).unwrap_err().code(), CodeErreur::LimiteDepassee);
    }

    #[test]
    fn truncated_is_reported() {
        let ber = [0x30, 0x05, 0x04, 0x03, b'a'];
        assert_eq!(der_of(&ber).unwrap_err().code(), CodeErreur::Tronque);
    }

    #[test]
    fn lengths_encode() {
        assert_eq!(der_header(0x04, 5), [0x04, 5]);
        assert_eq!(der_header(0x04, 200), [0x04, 0x81, 200]);
        assert_eq!(der_header(0x04, 70000), [0x04, 0x83, 0x01, 0x11, 0x70]);
        assert_eq!(tlv_len(70000), 70005);
    }
}
