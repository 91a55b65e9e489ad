//! PEM (RFC 7468) in memory, for keys and certificates, and as a streaming reader for big
//! CMS files.

use std::io::{BufRead, Read};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::{CodeErreur, Erreur, Result};

/// Largest PEM file read in memory (keys, certificates, PKCS#12 are far smaller).
const MAX_PEM: usize = 16 * 1024 * 1024;

/// A PEM block: label and DER content.
pub(crate) type Block = (String, Vec<u8>);

/// How far into a file explanatory text before the first PEM boundary is looked through.
const MAX_PREAMBULE: usize = 64 * 1024;

/// Whether the data is PEM: a `-----BEGIN ` line, possibly after explanatory text (RFC 7468
/// section 5.2 lets text precede the boundary; Bouncy Castle's samples have some).
pub(crate) fn looks_like_pem(data: &[u8]) -> bool {
    let head = data
        .get(..MAX_PREAMBULE.min(data.len()))
        .unwrap_or_default();
    let Some(pos) = memchr::memmem::find(head, b"-----BEGIN ") else {
        return false;
    };
    let avant = head.get(..pos).unwrap_or_default();
    // The boundary starts a line and what comes before is text, not binary.
    (pos == 0 || avant.last() == Some(&b'\n'))
        && avant
            .iter()
            .all(|b| !b.is_ascii_control() || matches!(b, b'\n' | b'\r' | b'\t'))
}

/// Every block of a PEM text as (label, DER), or `None` if the data is not PEM.
pub(crate) fn parse_all(data: &[u8]) -> Result<Option<Vec<Block>>> {
    if !looks_like_pem(data) {
        return Ok(None);
    }
    if data.len() > MAX_PEM {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            "fichier PEM trop volumineux",
        ));
    }
    let text = std::str::from_utf8(data)
        .map_err(|_| Erreur::new(CodeErreur::CleInvalide, "PEM : texte non UTF-8"))?;
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            let label = rest.trim_end_matches('-').to_string();
            current = Some((label, String::new()));
        } else if let Some(rest) = line.strip_prefix("-----END ") {
            let label = rest.trim_end_matches('-');
            let (l, body) = current
                .take()
                .ok_or_else(|| Erreur::new(CodeErreur::CleInvalide, "PEM : END sans BEGIN"))?;
            if l != label {
                return Err(Erreur::new(
                    CodeErreur::CleInvalide,
                    "PEM : étiquettes BEGIN/END différentes",
                ));
            }
            let der = STANDARD.decode(body.as_bytes()).map_err(|e| {
                Erreur::new(
                    CodeErreur::CleInvalide,
                    format!("PEM : base64 invalide : {e}"),
                )
            })?;
            blocks.push((l, der));
        } else if let Some((_, body)) = current.as_mut() {
            if line.contains(':') {
                if line.starts_with("Proc-Type") || line.starts_with("DEK-Info") {
                    return Err(Erreur::new(
                        CodeErreur::NonPrisEnCharge,
                        "clé PEM chiffrée à l'ancienne (Proc-Type/DEK-Info) : convertir en PKCS#8 chiffré",
                    ));
                }
                continue;
            }
            body.push_str(line);
        }
    }
    if current.is_some() {
        return Err(Erreur::new(
            CodeErreur::Tronque,
            "PEM : bloc sans ligne END",
        ));
    }
    Ok(Some(blocks))
}

/// Encode DER as PEM with 64-column lines.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(&String::from_utf8_lossy(chunk));
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

/// A reader that decodes the first PEM block of a stream on the fly, in bounded memory.
pub(crate) struct PemReader<R> {
    inner: R,
    line: Vec<u8>,
    carry: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    started: bool,
    done: bool,
    smime: bool,
}

/// Longest PEM line accepted.
const MAX_LINE: usize = 64 * 1024;

impl<R: BufRead> PemReader<R> {
    pub(crate) fn new(inner: R) -> PemReader<R> {
        PemReader {
            inner,
            line: Vec::new(),
            carry: Vec::new(),
            out: Vec::new(),
            pos: 0,
            started: false,
            done: false,
            smime: false,
        }
    }

    /// A reader of the base64 body of an S/MIME message (`application/pkcs7-mime`, the
    /// default output of `openssl cms -encrypt`): headers up to the first empty line, then
    /// base64 up to the next empty line or the end.
    pub(crate) fn smime(inner: R) -> PemReader<R> {
        let mut r = PemReader::new(inner);
        r.smime = true;
        r
    }

    fn read_line(&mut self) -> std::io::Result<bool> {
        self.line.clear();
        let n = (&mut self.inner)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut self.line)?;
        if self.line.len() > MAX_LINE {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "PEM : ligne trop longue",
            ));
        }
        Ok(n > 0)
    }

    fn refill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.done {
            if !self.read_line()? {
                if self.smime && self.started {
                    self.line.clear();
                    self.line.extend_from_slice(b"-----END");
                } else {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "PEM : fin de fichier avant la ligne END",
                    ));
                }
            }
            let trimmed: Vec<u8> = self
                .line
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            if self.smime {
                if !self.started {
                    self.started = trimmed.is_empty();
                    continue;
                }
                if trimmed.is_empty() {
                    self.line.clear();
                    self.line.extend_from_slice(b"-----END");
                }
            }
            let trimmed: Vec<u8> = self
                .line
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            if !self.started {
                if trimmed.starts_with(b"-----BEGIN") {
                    self.started = true;
                }
                continue;
            }
            if trimmed.starts_with(b"-----END") {
                self.done = true;
                if !self.carry.is_empty() {
                    let c = std::mem::take(&mut self.carry);
                    self.out = STANDARD.decode(&c).map_err(|e| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
                    })?;
                }
                break;
            }
            if trimmed.contains(&b':') {
                continue;
            }
            self.carry.extend_from_slice(&trimmed);
            let usable = self.carry.len() / 4 * 4;
            // Padding can only end the data: keep decoding whole quanta.
            let decoded = STANDARD
                .decode(self.carry.get(..usable).unwrap_or_default())
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
            self.carry.drain(..usable);
            self.out = decoded;
        }
        Ok(())
    }
}

impl<R: BufRead> Read for PemReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let avail = self.out.get(self.pos..).unwrap_or_default();
        let n = avail.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(avail.get(..n).unwrap_or_default());
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_matches_in_memory() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let pem = encode("CMS", &data);
        let mut r = PemReader::new(std::io::BufReader::new(pem.as_bytes()));
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        let blocks = parse_all(pem.as_bytes()).unwrap().unwrap();
        assert_eq!(blocks[0].1, data);
    }

    #[test]
    fn truncated_pem_is_an_error() {
        let pem = encode("CMS", b"hello world");
        let cut = &pem[..pem.len() - 20];
        let mut r = PemReader::new(std::io::BufReader::new(cut.as_bytes()));
        let mut out = Vec::new();
        assert!(r.read_to_end(&mut out).is_err());
        assert_eq!(
            parse_all(cut.as_bytes()).unwrap_err().code(),
            CodeErreur::Tronque
        );
    }
}
