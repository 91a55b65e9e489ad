//! PDF object syntax (ISO 32000-1 §7.3), read from a byte slice at a given offset.
//!
//! Our own small reader instead of lopdf's loader: verification must parse only the objects
//! it needs (a file with a million objects must not be loaded whole), must know where each
//! value sits in the file (the `/Contents` hole of a `/ByteRange`), and must bound depth.
//! Values are lopdf's `Object` so that the rest of the module shares one representation.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use crate::{CodeErreur, Erreur, Result};

pub(super) fn malforme(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::PdfMalforme, m.into())
}

pub(super) fn est_blanc(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn est_delimiteur(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn est_regulier(b: u8) -> bool {
    !est_blanc(b) && !est_delimiteur(b)
}

/// A reader positioned in the file.
pub(super) struct Analyseur<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
    profondeur_max: usize,
}

/// Where the values of the top-level dictionary of an object sit: `(key, start, end)`.
pub(super) type Positions = Vec<(Vec<u8>, usize, usize)>;

impl<'a> Analyseur<'a> {
    pub fn new(buf: &'a [u8], pos: usize, profondeur_max: usize) -> Self {
        Analyseur {
            buf,
            pos,
            profondeur_max,
        }
    }

    fn octet(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    pub fn blancs(&mut self) {
        while let Some(b) = self.octet() {
            if est_blanc(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.octet() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next word (regular characters), without consuming it.
    fn mot(&self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let n = rest.iter().take_while(|b| est_regulier(**b)).count();
        rest.get(..n).unwrap_or_default()
    }

    pub fn mot_cle(&mut self, m: &[u8]) -> bool {
        self.blancs();
        if self.mot() == m {
            self.pos += m.len();
            true
        } else {
            false
        }
    }

    /// An unsigned integer (xref tables, object headers).
    pub fn entier(&mut self) -> Option<u64> {
        self.blancs();
        let w = self.mot();
        if w.is_empty() || w.len() > 19 || !w.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = std::str::from_utf8(w).ok()?.parse().ok()?;
        self.pos += w.len();
        Some(v)
    }

    /// `N G obj`: the header of an indirect object.
    pub fn entete_objet(&mut self) -> Option<ObjectId> {
        let n = self.entier()?;
        let g = self.entier()?;
        if !self.mot_cle(b"obj") {
            return None;
        }
        Some((u32::try_from(n).ok()?, u16::try_from(g).ok()?))
    }

    /// One direct object. `positions`: record where the values of this dictionary sit.
    pub fn objet(&mut self, positions: Option<&mut Positions>) -> Result<Object> {
        self.objet_a(0, positions)
    }

    fn objet_a(&mut self, profondeur: usize, positions: Option<&mut Positions>) -> Result<Object> {
        if profondeur > self.profondeur_max {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!(
                    "limite PDF « profondeur_max » ({}) dépassée",
                    self.profondeur_max
                ),
            ));
        }
        self.blancs();
        let debut = self.pos;
        let b = self
            .octet()
            .ok_or_else(|| malforme(format!("fin du fichier inattendue à l'octet {debut}")))?;
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(self.nom()))
            }
            b'(' => self.chaine_litterale(),
            b'<' if self.buf.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dictionnaire(profondeur, positions)
                    .map(Object::Dictionary)
            }
            b'<' => self.chaine_hexa(),
            b'[' => {
                self.pos += 1;
                let mut v = vec![];
                loop {
                    self.blancs();
                    match self.octet() {
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        None => return Err(malforme("tableau non terminé")),
                        _ => v.push(self.objet_a(profondeur + 1, None)?),
                    }
                }
                Ok(Object::Array(v))
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.nombre_ou_reference(),
            _ => {
                let w = self.mot();
                let o = match w {
                    b"true" => Object::Boolean(true),
                    b"false" => Object::Boolean(false),
                    b"null" => Object::Null,
                    _ => {
                        return Err(malforme(format!("objet PDF illisible à l'octet {debut}")));
                    }
                };
                self.pos += w.len();
                Ok(o)
            }
        }
    }

    fn dictionnaire(
        &mut self,
        profondeur: usize,
        mut positions: Option<&mut Positions>,
    ) -> Result<Dictionary> {
        let mut d = Dictionary::new();
        loop {
            self.blancs();
            match self.octet() {
                Some(b'>') if self.buf.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(d);
                }
                Some(b'/') => {
                    self.pos += 1;
                    let k = self.nom();
                    self.blancs();
                    let debut = self.pos;
                    let v = self.objet_a(profondeur + 1, None)?;
                    if let Some(p) = positions.as_deref_mut() {
                        p.push((k.clone(), debut, self.pos));
                    }
                    // The first occurrence of a key wins, as in most readers; the positions
                    // keep every occurrence so that a signature dictionary with two /Contents
                    // can be refused.
                    if !d.has(&k) {
                        d.set(k, v);
                    }
                }
                None => return Err(malforme("dictionnaire non terminé")),
                Some(_) => {
                    return Err(malforme(format!(
                        "clé de dictionnaire attendue à l'octet {}",
                        self.pos
                    )));
                }
            }
        }
    }

    fn nom(&mut self) -> Vec<u8> {
        let w = self.mot();
        self.pos += w.len();
        decoder_nom(w)
    }

    fn nombre_ou_reference(&mut self) -> Result<Object> {
        let debut = self.pos;
        let w = self.mot();
        self.pos += w.len();
        let s = std::str::from_utf8(w).map_err(|_| malforme("nombre illisible"))?;
        if let Ok(i) = s.parse::<i64>() {
            // `N G R`: look ahead without consuming when it is not a reference.
            if i >= 0 {
                let retour = self.pos;
                if let Some(g) = self.entier()
                    && self.mot_cle(b"R")
                    && let (Ok(n), Ok(g)) = (u32::try_from(i), u16::try_from(g))
                {
                    return Ok(Object::Reference((n, g)));
                }
                self.pos = retour;
            }
            return Ok(Object::Integer(i));
        }
        // Reals; a few writers emit `--5` or `5.-`: read what makes sense, else fail.
        let t = s.trim_start_matches('+');
        t.parse::<f64>()
            .ok()
            .or_else(|| {
                (t.starts_with("--") || t.starts_with("-+"))
                    .then(|| t.get(1..).and_then(|x| x.parse().ok()))
                    .flatten()
            })
            .map(|f| Object::Real(f as f32))
            .ok_or_else(|| malforme(format!("nombre illisible à l'octet {debut}")))
    }

    fn chaine_hexa(&mut self) -> Result<Object> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut haut: Option<u8> = None;
        loop {
            let b = self
                .octet()
                .ok_or_else(|| malforme("chaîne hexadécimale non terminée"))?;
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if est_blanc(b) {
                continue;
            }
            let v = (b as char)
                .to_digit(16)
                .ok_or_else(|| malforme("chaîne hexadécimale invalide"))? as u8;
            match haut.take() {
                None => haut = Some(v),
                Some(h) => out.push(h << 4 | v),
            }
        }
        if let Some(h) = haut {
            out.push(h << 4);
        }
        Ok(Object::String(out, StringFormat::Hexadecimal))
    }

    fn chaine_litterale(&mut self) -> Result<Object> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut niveau = 1usize;
        let fin = || malforme("chaîne littérale non terminée");
        loop {
            let b = self.octet().ok_or_else(fin)?;
            self.pos += 1;
            match b {
                b'(' => {
                    niveau += 1;
                    out.push(b);
                }
                b')' => {
                    niveau -= 1;
                    if niveau == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let e = self.octet().ok_or_else(fin)?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.octet() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.octet() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xFF) as u8);
                        }
                        other => out.push(other),
                    }
                }
                // End-of-line in a literal string is read as a line feed (§7.3.4.2).
                b'\r' => {
                    if self.octet() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
        Ok(Object::String(out, StringFormat::Literal))
    }
}

/// `#xx` escapes of a name.
pub(super) fn decoder_nom(w: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(w.len());
    let mut i = 0;
    while let Some(&b) = w.get(i) {
        if b == b'#'
            && let Some(h) = w.get(i + 1..i + 3)
            && let Ok(s) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(s, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    out
}

/// Does the file contain the name `/ByteRange`, even written with `#xx` escapes? A file
/// without it has no signature, which is answered without reading its objects.
pub(super) fn contient_byterange(pdf: &[u8]) -> bool {
    // From the end: a signature is usually in the last revisions, so a signed file is
    // answered without a pass over its bulk (that pass was a sixth of the verification
    // of a 6 MB PDF, whose floor is the SHA-256 of its bytes).
    if rfind(pdf, b"ByteRange").is_some() {
        return true;
    }
    // Escaped forms: decode only the names that carry a '#'.
    let mut i = 0;
    while let Some(p) = pdf.get(i..).and_then(|r| memchr::memchr(b'#', r)) {
        let at = i + p;
        let debut = pdf
            .get(..at)
            .and_then(|r| r.iter().rposition(|b| !est_regulier(*b)))
            .unwrap_or(0);
        let fin = at
            + pdf
                .get(at..)
                .map(|r| r.iter().take_while(|b| est_regulier(**b)).count())
                .unwrap_or(0);
        if pdf.get(debut) == Some(&b'/')
            && decoder_nom(pdf.get(debut + 1..fin).unwrap_or_default()) == b"ByteRange"
        {
            return true;
        }
        i = fin.max(at + 1);
    }
    false
}

/// First position of `needle` in `hay`.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Last position of `needle` in `hay`.
pub(super) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lire(s: &str) -> Result<Object> {
        Analyseur::new(s.as_bytes(), 0, 32).objet(None)
    }

    #[test]
    fn objets_de_base() {
        assert_eq!(lire("12 0 R").unwrap(), Object::Reference((12, 0)));
        assert_eq!(lire("12 0 obj").unwrap(), Object::Integer(12));
        assert_eq!(lire("/A#42c").unwrap(), Object::Name(b"ABc".to_vec()));
        assert_eq!(
            lire("(a\\(b\\)c\\101)").unwrap(),
            Object::String(b"a(b)cA".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            lire("<41 4>").unwrap(),
            Object::String(b"A@".to_vec(), StringFormat::Hexadecimal)
        );
        let d = lire("<</A [1 2.5 -3 true null] /B<</C/D>>>>").unwrap();
        let d = d.as_dict().unwrap();
        assert_eq!(d.get(b"A").unwrap().as_array().unwrap().len(), 5);
    }

    #[test]
    fn erreurs_typees() {
        assert_eq!(lire("<</A 1").unwrap_err().code(), CodeErreur::PdfMalforme);
        assert_eq!(lire("<zz>").unwrap_err().code(), CodeErreur::PdfMalforme);
        let d = lire("<</A 1 /A 2>>").unwrap();
        assert_eq!(d.as_dict().unwrap().get(b"A").unwrap(), &Object::Integer(1));
        let profond = "[".repeat(100);
        assert_eq!(
            lire(&profond).unwrap_err().code(),
            CodeErreur::LimiteDepassee
        );
    }

    #[test]
    fn byterange_echappe() {
        assert!(contient_byterange(b"<</ByteRange [0 1 2 3]>>"));
        assert!(contient_byterange(b"<</Byte#52ange [0 1 2 3]>>"));
        assert!(!contient_byterange(b"<</Type /Catalog /A#20b 1>>"));
    }
}
