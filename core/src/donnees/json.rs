//! The import's hot path: a strict JSON reader that builds one record's [`Brut`] tree
//! straight from the scanner's buffer.
//!
//! serde_json's generic visitor path was a third of the import's time (a visitor call per
//! value, a scratch check per string). This reader knows the one tree it
//! builds: strings without escapes are borrowed after one 8-bytes-at-a-time scan, numbers
//! take Clinger's exact fast path, and maps and lists are gathered on the record's shared
//! stacks ([`Pile`]) then copied, at their exact size, into the record's arena.
//!
//! It is at least as strict as serde_json: whatever it refuses goes to the slow path, which
//! isolates the record and gives it to serde_json (repair of control characters and invalid
//! UTF-8, report of the error). So it must never accept what serde_json refuses: control
//! characters and lone surrogates in strings, invalid UTF-8, leading zeros, numbers out of
//! range, nesting deeper than serde_json's limit.

use bumpalo::Bump;

use super::brut::{Brut, Pile};

/// Why a value could not be read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refus {
    /// The bytes end inside the value: more of the file may complete it.
    Fin,
    /// Not JSON as serde_json accepts it.
    Invalide,
}

type R<T> = std::result::Result<T, Refus>;

/// serde_json's recursion limit (128, counted so that 127 nested maps or lists pass):
/// deeper values are refused by both.
const PROFONDEUR_MAX: u32 = 127;

/// Read the JSON value at the start of `octets` (blanks allowed before it) with the record's
/// stacks and arena; returns it and the position just past it.
pub(crate) fn lire<'a>(
    octets: &'a [u8],
    arene: &'a Bump,
    pile: &mut Pile<'a>,
) -> R<(Brut<'a>, usize)> {
    let mut l = Lecteur {
        o: octets,
        arene,
        i: 0,
        refus: Refus::Invalide,
    };
    match l.valeur(pile, 0) {
        Some(v) => Ok((v, l.i)),
        None => Err(l.refus),
    }
}

/// The values are returned as `Option`s, the refusal kept in `refus` (measured faster than a
/// `Result` per value).
struct Lecteur<'a> {
    o: &'a [u8],
    arene: &'a Bump,
    i: usize,
    refus: Refus,
}

const UNS: u64 = 0x0101_0101_0101_0101;
const HAUTS: u64 = 0x8080_8080_8080_8080;

/// High bit set in the lowest byte of `w` that is `"`, `\` or a control character (below
/// 0x20). Bytes above the first flagged one may be flagged wrongly (borrows): only the lowest
/// flag is used.
fn speciaux(w: u64) -> u64 {
    let nul = |x: u64| x.wrapping_sub(UNS) & !x & HAUTS;
    nul(w ^ (UNS * u64::from(b'"')))
        | nul(w ^ (UNS * u64::from(b'\\')))
        | (w.wrapping_sub(UNS * 0x20) & !w & HAUTS)
}

impl<'a> Lecteur<'a> {
    /// Refuse the value: `None`, the reason kept.
    fn refuser<T>(&mut self, r: Refus) -> Option<T> {
        self.refus = r;
        None
    }

    /// Refusal at `j`: the bytes ending there may go on in the next block.
    fn fin_ou_invalide<T>(&mut self, j: usize) -> Option<T> {
        let r = if j >= self.o.len() {
            Refus::Fin
        } else {
            Refus::Invalide
        };
        self.refuser(r)
    }

    /// Next non-blank byte, not consumed.
    #[inline]
    fn suivant(&mut self) -> Option<u8> {
        loop {
            match self.o.get(self.i) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => self.i += 1,
                Some(&b) => return Some(b),
                None => return self.refuser(Refus::Fin),
            }
        }
    }

    /// The value at the next non-blank byte. Inlined into the loops of maps and lists: only
    /// nested maps and lists are calls.
    #[inline(always)]
    fn valeur(&mut self, pile: &mut Pile<'a>, prof: u32) -> Option<Brut<'a>> {
        match self.suivant()? {
            b'"' => self.chaine().map(Brut::Str),
            b'{' => self.objet(pile, prof),
            b'[' => self.tableau(pile, prof),
            b't' => self.mot(b"true", Brut::Bool(true)),
            b'f' => self.mot(b"false", Brut::Bool(false)),
            b'n' => self.mot(b"null", Brut::Null),
            b'-' | b'0'..=b'9' => self.nombre().map(Brut::Num),
            _ => self.refuser(Refus::Invalide),
        }
    }

    fn mot(&mut self, mot: &[u8], v: Brut<'a>) -> Option<Brut<'a>> {
        let reste = &self.o[self.i..];
        if reste.starts_with(mot) {
            self.i += mot.len();
            Some(v)
        } else if mot.starts_with(reste) {
            self.refuser(Refus::Fin)
        } else {
            self.refuser(Refus::Invalide)
        }
    }

    #[inline(never)]
    fn objet(&mut self, pile: &mut Pile<'a>, prof: u32) -> Option<Brut<'a>> {
        if prof >= PROFONDEUR_MAX {
            return self.refuser(Refus::Invalide);
        }
        self.i += 1;
        let debut = pile.entrees.len();
        if self.suivant()? == b'}' {
            self.i += 1;
        } else {
            loop {
                if self.suivant()? != b'"' {
                    return self.refuser(Refus::Invalide);
                }
                let k = self.cle()?;
                if self.suivant()? != b':' {
                    return self.refuser(Refus::Invalide);
                }
                self.i += 1;
                let v = self.valeur(pile, prof + 1)?;
                pile.entrees.push((k, v));
                match self.suivant()? {
                    b',' => self.i += 1,
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.refuser(Refus::Invalide),
                }
            }
        }
        let m = self.arene.alloc_slice_copy(&pile.entrees[debut..]);
        pile.entrees.truncate(debut);
        Some(Brut::Map(m))
    }

    #[inline(never)]
    fn tableau(&mut self, pile: &mut Pile<'a>, prof: u32) -> Option<Brut<'a>> {
        if prof >= PROFONDEUR_MAX {
            return self.refuser(Refus::Invalide);
        }
        self.i += 1;
        let debut = pile.elements.len();
        if self.suivant()? == b']' {
            self.i += 1;
        } else {
            loop {
                let v = self.valeur(pile, prof + 1)?;
                pile.elements.push(v);
                match self.suivant()? {
                    b',' => self.i += 1,
                    b']' => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.refuser(Refus::Invalide),
                }
            }
        }
        let l = self.arene.alloc_slice_copy(&pile.elements[debut..]);
        pile.elements.truncate(debut);
        Some(Brut::List(l))
    }

    /// A map's key at `self.i` (its opening quote): most are DECP's own names.
    #[inline(always)]
    fn cle(&mut self) -> Option<&'a str> {
        let debut = self.i + 1;
        let j = self.special(debut)?;
        if self.o[j] == b'"'
            && let Some(k) = cle_connue(&self.o[debut..j])
        {
            // Known keys are ASCII: the text around them is checked with the next value.
            self.i = j + 1;
            return Some(k);
        }
        self.chaine()
    }

    /// The string at `self.i` (its opening quote), borrowed when it has no escape.
    #[inline(always)]
    fn chaine(&mut self) -> Option<&'a str> {
        let o = self.o;
        let debut = self.i + 1;
        let j = self.special(debut)?;
        if o[j] == b'"' {
            self.i = j + 1;
            return self.tranche(debut, j);
        }
        self.echappee(debut, j)
    }

    /// `o[debut..fin]` as text.
    #[inline(always)]
    fn tranche(&mut self, debut: usize, fin: usize) -> Option<&'a str> {
        match std::str::from_utf8(&self.o[debut..fin]) {
            Ok(t) => Some(t),
            Err(_) => self.refuser(Refus::Invalide),
        }
    }

    /// The rest of a string with escapes (`o[j]` is the first stop after `debut`), decoded
    /// into the arena.
    #[cold]
    #[inline(never)]
    fn echappee(&mut self, debut: usize, mut j: usize) -> Option<&'a str> {
        let o = self.o;
        let mut p = Vec::with_capacity(j - debut + 16);
        let mut copie = debut;
        loop {
            match o[j] {
                b'"' => {
                    p.extend_from_slice(&o[copie..j]);
                    self.i = j + 1;
                    return match std::str::from_utf8(&p) {
                        Ok(t) => Some(self.arene.alloc_str(t)),
                        Err(_) => self.refuser(Refus::Invalide),
                    };
                }
                b'\\' => {
                    p.extend_from_slice(&o[copie..j]);
                    match echappement(o, j, &mut p) {
                        Ok(k) => j = k,
                        Err(r) => return self.refuser(r),
                    }
                    copie = j;
                }
                _ => return self.refuser(Refus::Invalide),
            }
            j = self.special(j)?;
        }
    }

    /// Position of the first `"`, `\` or control character from `j`.
    #[inline]
    fn special(&mut self, mut j: usize) -> Option<usize> {
        let o = self.o;
        while let Some(m) = o.get(j..j + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(m);
            let s = speciaux(u64::from_le_bytes(w));
            if s != 0 {
                return Some(j + (s.trailing_zeros() / 8) as usize);
            }
            j += 8;
        }
        while let Some(&b) = o.get(j) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return Some(j);
            }
            j += 1;
        }
        self.refuser(Refus::Fin)
    }

    #[inline(always)]
    fn nombre(&mut self) -> Option<f64> {
        let o = self.o;
        let debut = self.i;
        let mut j = debut;
        let negatif = o[j] == b'-';
        if negatif {
            j += 1;
        }
        let chiffres = |j: &mut usize, m: &mut u64| -> u32 {
            let d = *j;
            while let Some(&c) = o.get(*j) {
                if !c.is_ascii_digit() {
                    break;
                }
                *m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                *j += 1;
            }
            (*j - d) as u32
        };
        let mut mantisse = 0u64;
        let premier = j;
        let n_entier = chiffres(&mut j, &mut mantisse);
        if n_entier == 0 {
            return self.fin_ou_invalide(j);
        }
        if o[premier] == b'0' && n_entier > 1 {
            return self.refuser(Refus::Invalide);
        }
        let mut n_frac = 0u32;
        let mut decimal = false;
        if o.get(j) == Some(&b'.') {
            decimal = true;
            j += 1;
            n_frac = chiffres(&mut j, &mut mantisse);
            if n_frac == 0 {
                return self.fin_ou_invalide(j);
            }
        }
        let mut exp = 0i64;
        if let Some(b'e' | b'E') = o.get(j) {
            decimal = true;
            j += 1;
            let moins = o.get(j) == Some(&b'-');
            if matches!(o.get(j), Some(b'-' | b'+')) {
                j += 1;
            }
            let d = j;
            let mut e = 0i64;
            while let Some(&c) = o.get(j) {
                if !c.is_ascii_digit() {
                    break;
                }
                e = e.saturating_mul(10).saturating_add(i64::from(c - b'0'));
                j += 1;
            }
            if j == d {
                return self.fin_ou_invalide(j);
            }
            exp = if moins { -e } else { e };
        }
        // A number that reaches the end of the bytes may go on in the next block.
        if j >= o.len() {
            return self.refuser(Refus::Fin);
        }
        self.i = j;
        let n_chiffres = n_entier + n_frac;
        if !decimal && n_chiffres <= 19 {
            // serde_json's integers: u64 or i64, then converted (one rounding).
            let v = mantisse as f64;
            return Some(if negatif { -v } else { v });
        }
        if decimal && n_chiffres <= 19 && mantisse < (1 << 53) {
            // Clinger's fast path: mantissa and power of ten exact, one rounding.
            let e = exp.saturating_sub(i64::from(n_frac));
            if (-22..=22).contains(&e) {
                let p = PUISSANCES[e.unsigned_abs() as usize];
                let v = mantisse as f64;
                let v = if e < 0 { v / p } else { v * p };
                return Some(if negatif { -v } else { v });
            }
        }
        // Anything else: the standard library's correctly rounded parser.
        match std::str::from_utf8(&o[debut..j]).map(str::parse::<f64>) {
            Ok(Ok(v)) if v.is_finite() => Some(v),
            _ => self.refuser(Refus::Invalide),
        }
    }
}

/// The DECP keys, as `&'static str`: a key found here needs no UTF-8 check.
fn cle_connue(k: &[u8]) -> Option<&'static str> {
    Some(match k {
        b"id" => "id",
        b"uid" => "uid",
        b"_type" => "_type",
        b"acheteur" => "acheteur",
        b"autoriteConcedante" => "autoriteConcedante",
        b"concessionnaires" => "concessionnaires",
        b"concessionnaire" => "concessionnaire",
        b"valeurGlobale" => "valeurGlobale",
        b"techniques" => "techniques",
        b"technique" => "technique",
        b"considerationsSociales" => "considerationsSociales",
        b"considerationSociale" => "considerationSociale",
        b"considerationsEnvironnementales" => "considerationsEnvironnementales",
        b"considerationEnvironnementale" => "considerationEnvironnementale",
        b"typesPrix" => "typesPrix",
        b"typePrix" => "typePrix",
        b"offresRecues" => "offresRecues",
        b"ccag" => "ccag",
        b"objet" => "objet",
        b"nature" => "nature",
        b"titulaires" => "titulaires",
        b"titulaire" => "titulaire",
        b"idAccordCadre" => "idAccordCadre",
        b"procedure" => "procedure",
        b"codeCPV" => "codeCPV",
        b"formePrix" => "formePrix",
        b"lieuExecution" => "lieuExecution",
        b"code" => "code",
        b"typeCode" => "typeCode",
        b"montant" => "montant",
        b"dateSignature" => "dateSignature",
        b"dateNotification" => "dateNotification",
        b"datePublicationDonnees" => "datePublicationDonnees",
        b"dateDebutExecution" => "dateDebutExecution",
        b"dureeMois" => "dureeMois",
        b"actesSousTraitance" => "actesSousTraitance",
        b"acteSousTraitance" => "acteSousTraitance",
        b"donneesExecution" => "donneesExecution",
        b"modalitesExecution" => "modalitesExecution",
        b"modaliteExecution" => "modaliteExecution",
        b"marcheInnovant" => "marcheInnovant",
        b"attributionAvance" => "attributionAvance",
        b"tauxAvance" => "tauxAvance",
        b"typeGroupementOperateurs" => "typeGroupementOperateurs",
        b"origineUE" => "origineUE",
        b"origineFrance" => "origineFrance",
        b"montantSubventionPublique" => "montantSubventionPublique",
        b"sousTraitanceDeclaree" => "sousTraitanceDeclaree",
        b"typeIdentifiant" => "typeIdentifiant",
        b"denominationSociale" => "denominationSociale",
        b"modifications" => "modifications",
        b"modification" => "modification",
        b"dateNotificationModification" => "dateNotificationModification",
        b"datePublicationDonneesModification" => "datePublicationDonneesModification",
        b"dateSignatureModification" => "dateSignatureModification",
        b"objetModification" => "objetModification",
        b"nom" => "nom",
        b"sousTraitant" => "sousTraitant",
        b"variationPrix" => "variationPrix",
        b"tarifs" => "tarifs",
        b"tarif" => "tarif",
        b"intituleTarif" => "intituleTarif",
        b"donneesAnnuelles" => "donneesAnnuelles",
        b"depensesInvestissement" => "depensesInvestissement",
        b"datePublicationDonneesExecution" => "datePublicationDonneesExecution",
        _ => return None,
    })
}

const PUISSANCES: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Decode the escape at `o[j]` (its backslash) into `p`; returns the position after it.
fn echappement(o: &[u8], j: usize, p: &mut Vec<u8>) -> R<usize> {
    let c = *o.get(j + 1).ok_or(Refus::Fin)?;
    let simple = match c {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0C,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => {
            let n = hex4(o, j + 2)?;
            let (point, fin) = match n {
                0xDC00..=0xDFFF => return Err(Refus::Invalide),
                0xD800..=0xDBFF => {
                    // A leading surrogate must be followed by its trailing one.
                    match (o.get(j + 6), o.get(j + 7)) {
                        (Some(b'\\'), Some(b'u')) => {}
                        (None, _) | (Some(b'\\'), None) => return Err(Refus::Fin),
                        _ => return Err(Refus::Invalide),
                    }
                    let n2 = hex4(o, j + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&n2) {
                        return Err(Refus::Invalide);
                    }
                    (
                        0x1_0000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(n2) - 0xDC00),
                        j + 12,
                    )
                }
                n => (u32::from(n), j + 6),
            };
            let c = char::from_u32(point).ok_or(Refus::Invalide)?;
            p.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
            return Ok(fin);
        }
        _ => return Err(Refus::Invalide),
    };
    p.push(simple);
    Ok(j + 2)
}

fn hex4(o: &[u8], j: usize) -> R<u16> {
    let h = o.get(j..j + 4).ok_or(Refus::Fin)?;
    let mut n = 0u16;
    for &c in h {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return Err(Refus::Invalide),
        };
        n = (n << 4) | u16::from(d);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A test's arena, leaked: a few kilobytes per case, and the trees stay comparable.
    fn arene() -> &'static Bump {
        Box::leak(Box::new(Bump::new()))
    }

    /// serde_json's reading of the value at the start of `o`: the tree and where it ends.
    fn serde(o: &[u8]) -> std::result::Result<(Brut<'_>, usize), serde_json::Error> {
        let mut flux = serde_json::Deserializer::from_slice(o);
        let b = crate::donnees::brut::valeur_serde(&mut flux, arene())?;
        let fin = flux.into_iter::<serde::de::IgnoredAny>().byte_offset();
        Ok((b, fin))
    }

    fn lu(o: &[u8]) -> R<(Brut<'_>, usize)> {
        lire(o, arene(), &mut Pile::default())
    }

    /// Same tree; numbers equal to the last bit when serde_json rounds them exactly (its
    /// default parser can be one unit off beyond 2^53 or 10^±22; ours rounds correctly).
    fn pareil(a: &Brut<'_>, b: &Brut<'_>) -> bool {
        match (a, b) {
            (Brut::Num(x), Brut::Num(y)) => {
                // Subnormals carry fewer digits: a few of their units apart.
                x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs()) || (x - y).abs() <= 1e-322
            }
            (Brut::List(x), Brut::List(y)) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(x, y)| pareil(x, y))
            }
            (Brut::Map(x), Brut::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((k, x), (l, y))| k == l && pareil(x, y))
            }
            _ => a == b,
        }
    }

    /// The contract with the slow path: never accept what serde_json refuses, read what
    /// both accept to the same tree and the same end.
    fn comme_serde(o: &[u8]) {
        match (lu(o), serde(o)) {
            (Ok((a, i)), Ok((b, j))) => {
                assert!(
                    pareil(&a, &b),
                    "{:?}: {a:?} / {b:?}",
                    String::from_utf8_lossy(o)
                );
                assert_eq!(i, j, "{:?}", String::from_utf8_lossy(o));
            }
            // serde_json's default float parser overflows just under f64::MAX where the
            // correctly rounded value is finite: the one refusal of serde_json's that is its
            // own error (see `nombres_arrondis_correctement`).
            (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
            (Ok(a), Err(e)) => panic!(
                "accepté {a:?}, refusé par serde_json ({e}) : {:?}",
                String::from_utf8_lossy(o)
            ),
            // serde_json refuses an overflowing exponent before the number ends; the reader
            // waits for its end.
            (Err(Refus::Fin), Err(e)) => assert!(
                e.is_eof() || e.to_string().starts_with("number out of range"),
                "{e}: {:?}",
                String::from_utf8_lossy(o)
            ),
            (Err(_), _) => {}
        }
    }

    const ENREGISTREMENT: &str = r#"{"id": "20240000000000", "acheteur": {"id": "20115768297568"}, "nature": "Marché", "objet": "carburant \"collective\" l\u00e9gumes \ud83d\ude00 / \\ \/\b\f\n\r\t", "codeCPV": "79341000-6", "techniques": {"technique": ["Sans objet"]}, "marcheInnovant": false, "offresRecues": 2, "x": null, "dureeMois": -37, "montant": 2364.24, "m2": 1e17, "m3": -0, "m4": 0.1e-3, "m5": 123456789012345678901234, "m6": 1.7976931348623157e308, "m7": 4.9e-324, "m8": 12345678901234567890.5, "vide": {}, "l": [], "titulaires": [{"typeIdentifiant": "SIRET", "id": "00386826435169", "denominationSociale": "D'ŒUVRE Nice EURL"}]}"#;

    #[test]
    fn un_enregistrement_comme_serde_json() {
        let o = ENREGISTREMENT.as_bytes();
        let (b, fin) = lu(o).unwrap();
        assert_eq!(fin, o.len());
        assert_eq!(
            b.get("objet"),
            Some(&Brut::Str(
                "carburant \"collective\" légumes 😀 / \\ /\u{8}\u{c}\n\r\t"
            ))
        );
        // Strings without escapes are borrowed from the bytes.
        let Some(Brut::Str(nature)) = b.get("nature") else {
            panic!()
        };
        assert_eq!(*nature, "Marché");
        assert!(o.as_ptr_range().contains(&nature.as_ptr()));
        assert_eq!(b.get("m3"), Some(&Brut::Num(-0.0)));
        assert!(matches!(b.get("m3"), Some(Brut::Num(x)) if x.is_sign_negative()));
        assert_eq!(b.get("m4"), Some(&Brut::Num(0.0001)));
        assert_eq!(b.get("m7"), Some(&Brut::Num(4.9e-324)));
        comme_serde(o);
    }

    #[test]
    fn chaque_troncature_attend_la_suite() {
        // Cut anywhere, the record may go on in the next block: never read, never refused.
        let o = ENREGISTREMENT.as_bytes();
        for n in 0..o.len() {
            assert_eq!(lu(&o[..n]).err(), Some(Refus::Fin), "coupé à {n}");
        }
    }

    #[test]
    fn refus_comme_serde_json() {
        for t in [
            r#"{"a": "x	y"}"#,     // raw tab (a control character)
            "{\"a\": \"x\u{1}\"}", // control character
            r#"{"a": "\ud800"}"#,  // lone leading surrogate
            r#"{"a": "\ud800\u0041"}"#,
            r#"{"a": "\udc00"}"#, // lone trailing surrogate
            r#"{"a": "\x"}"#,
            r#"{"a": "\u12G4"}"#,
            r#"{"a": 012}"#,
            r#"{"a": 1.}"#,
            r#"{"a": .5}"#,
            r#"{"a": 1e}"#,
            r#"{"a": +1}"#,
            r#"{"a": 1e400}"#,
            r#"{"a": 1.25e99999999999999999999999}"#,
            r#"{"a": -1e400}"#,
            r#"{"a": tru}"#,
            r#"{"a": nul, "b": 1}"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{a: 1}"#,
            r#"{"a": [1 2]}"#,
            r#"{"a": [1,]}"#,
            r#"{"a": 'x'}"#,
            r#"{"a": NaN}"#,
        ] {
            assert_eq!(lu(t.as_bytes()).err(), Some(Refus::Invalide), "{t}");
            assert!(serde(t.as_bytes()).is_err(), "{t}");
        }
        // Invalid UTF-8, in a value and in a key.
        for o in [
            &b"{\"a\": \"\xff\"}"[..],
            b"{\"\xc3\x28\": 1}",
            b"{\"a\": \"\xed\xa0\x80\"}",
        ] {
            assert_eq!(lu(o).err(), Some(Refus::Invalide));
            assert!(serde(o).is_err());
        }
    }

    #[test]
    fn profondeur_bornee_comme_serde_json() {
        let ok = format!("{}1{}", "[".repeat(127), "]".repeat(127));
        comme_serde(ok.as_bytes());
        assert!(lu(ok.as_bytes()).is_ok());
        let trop = format!("{}1{}", "[".repeat(128), "]".repeat(128));
        assert_eq!(lu(trop.as_bytes()).err(), Some(Refus::Invalide));
        assert!(serde(trop.as_bytes()).is_err());
        // A hostile file of 100 000 openings: refused, no stack overflow.
        let hostile = "[".repeat(100_000);
        assert_eq!(lu(hostile.as_bytes()).err(), Some(Refus::Invalide));
    }

    #[test]
    fn nombres_arrondis_correctement() {
        for t in [
            "0",
            "-0",
            "1",
            "-1",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "0.1",
            "2364.24",
            "4905584.63",
            "1e17",
            "1E+2",
            "1e-7",
            "123.456e-10",
            "9007199254740993.0",
            "0.30000000000000004",
            "2.2250738585072014e-308",
            "1e-400",
            "123456789012345678901234567890",
            // Exponents beyond any integer type: zero, not an overflow.
            "1.25e-99999999999999999999999",
            "-0.5e-99999999999999999999",
        ] {
            let o = format!("[{t}]");
            let (b, _) = lu(o.as_bytes()).unwrap();
            let attendu: f64 = t.parse().unwrap();
            let Brut::List(l) = &b else { panic!("{t}") };
            assert!(
                matches!(l[..], [Brut::Num(x)] if x.to_bits() == attendu.to_bits()),
                "{t}"
            );
            comme_serde(o.as_bytes());
        }
        // Just under f64::MAX after correct rounding; serde_json's parser overflows there.
        let (b, _) = lu(b"[1.7976931348623158e308]").unwrap();
        assert_eq!(b, Brut::List(&[Brut::Num(f64::MAX)]));
        assert!(serde(b"[1.7976931348623158e308]").is_err());
    }

    #[test]
    fn cles_connues_et_inconnues() {
        let o = br#"{"id": 1, "inconnue\u00e9": 2, "autre": 3, "titulaires": []}"#;
        let (b, _) = lu(o).unwrap();
        let Brut::Map(m) = &b else { panic!() };
        let cles: Vec<&str> = m.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(cles, ["id", "inconnueé", "autre", "titulaires"]);
        comme_serde(o);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A real record with a few bytes changed, inserted or cut: whatever the reader
        /// accepts, serde_json reads the same; whatever serde_json refuses, the reader
        /// refuses.
        #[test]
        fn mutations_comme_serde_json(
            ops in prop::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 1..6)
        ) {
            let mut o = ENREGISTREMENT.as_bytes().to_vec();
            // Bytes that matter to JSON are drawn more often than the others.
            const CHOIX: &[u8] = b"\"\\{}[],:0123456789.eE+-tfnu \x01\x7f\xc3\xa9\xff";
            for (op, ix, x) in ops {
                if o.is_empty() {
                    break;
                }
                let i = ix.index(o.len());
                let c = if x % 2 == 0 { CHOIX[usize::from(x / 2) % CHOIX.len()] } else { x };
                match op {
                    0 => o[i] = c,
                    1 => o.insert(i, c),
                    2 => { o.remove(i); }
                    _ => o.truncate(i),
                }
            }
            comme_serde(&o);
        }

        /// Any JSON document serde_json writes (every kind of string, number and nesting,
        /// pretty-printed or not) is read as serde_json reads it back.
        #[test]
        fn documents_quelconques_comme_serde_json(v in valeur_json(), joli in any::<bool>()) {
            let o = if joli {
                serde_json::to_vec_pretty(&v)
            } else {
                serde_json::to_vec(&v)
            }
            .unwrap();
            // In a list, as records come (the reader then knows a number's end).
            let mut l = b"[".to_vec();
            l.extend_from_slice(&o);
            l.push(b']');
            let (b, _) = lu(&l).unwrap();
            // Every number exactly the one written: correctly rounded, where serde_json's
            // default parser may be a unit off.
            prop_assert!(comme_ecrit(&serde_json::Value::Array(vec![v]), &b), "{}", String::from_utf8_lossy(&l));
            comme_serde(&l);
        }
    }

    fn comme_ecrit(v: &serde_json::Value, b: &Brut<'_>) -> bool {
        use serde_json::Value;
        match (v, b) {
            (Value::Null, Brut::Null) => true,
            (Value::Bool(x), Brut::Bool(y)) => x == y,
            (Value::Number(n), Brut::Num(y)) => n.as_f64() == Some(*y),
            (Value::String(x), Brut::Str(y)) => x == y,
            (Value::Array(x), Brut::List(y)) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(x, y)| comme_ecrit(x, y))
            }
            (Value::Object(x), Brut::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((k, x), (l, y))| k == l && comme_ecrit(x, y))
            }
            _ => false,
        }
    }

    /// JSON values of any shape, a few levels deep.
    fn valeur_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let feuille = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("fini", |x| x.is_finite())
                .prop_map(Value::from),
            (-1e6f64..1e6).prop_map(|x| Value::from((x * 100.0).round() / 100.0)),
            any::<String>().prop_map(Value::String),
            "[a-zA-Zéèà \\\"\\\\/\\x00-\\x1f\\u{7f}-\\u{a0}\\u{1F600}]{0,20}"
                .prop_map(Value::String),
        ];
        feuille.prop_recursive(4, 48, 6, |interne| {
            prop_oneof![
                prop::collection::vec(interne.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), interne), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}
