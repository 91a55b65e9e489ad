//! Raw DECP records as read, before repair: a small JSON-like tree ([`Brut`]) that both the
//! streamed JSON scanner and the streamed XML reader produce, one record at a time.
//!
//! The JSON scanner walks the few top levels of the file by hand (`{"marches": [...]}` of
//! 2019, `{"marches": {"marche": [...], "contrat-concession": [...]}}` of 2022, or a bare
//! array) and hands each record to the strict reader of [`super::json`], in place in its
//! read buffer; a record that reader refuses is isolated by a byte scanner and given to
//! serde_json ([`depuis_serde`]), which the import repairs and reports. Memory stays bounded
//! by the largest record, not the file.

use std::fmt;
use std::io::{BufReader, Read};

use bumpalo::Bump;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::import::LimitesDecp;
use super::modele::CategorieContrat;
use crate::{CodeErreur, Erreur, Result};

/// A raw value. Maps keep their order and repeated keys (XML repeats elements).
///
/// Every part borrows from the record's bytes or from the record's arena ([`Bump`], reset
/// for each record): building the tree allocates nothing from the system allocator, and
/// dropping it costs nothing (the type is `Copy`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Brut<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    List(&'a [Brut<'a>]),
    Map(&'a [(&'a str, Brut<'a>)]),
}

impl<'a> Brut<'a> {
    /// First value of `key` in a map.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Brut<'a>> {
        match self {
            Brut::Map(m) => m.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Every value of `key` in a map (XML repeats elements).
    pub(crate) fn all<'s>(&self, key: &'s str) -> impl Iterator<Item = &'a Brut<'a>> + 's
    where
        'a: 's,
    {
        let m: &'a [(&'a str, Brut<'a>)] = match self {
            Brut::Map(m) => m,
            _ => &[],
        };
        m.iter().filter(move |(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// Scratch stacks shared by the maps and lists of one record while it is parsed: a map's
/// entries (or a list's items) are pushed there and copied into the arena, at their exact
/// size, at its end.
#[derive(Default)]
pub(crate) struct Pile<'a> {
    pub(super) entrees: Vec<(&'a str, Brut<'a>)>,
    pub(super) elements: Vec<Brut<'a>>,
}

impl Pile<'static> {
    /// The same (empty) stacks for a record of lifetime `'a`, their capacity kept.
    pub(crate) fn pour<'a>(self) -> Pile<'a> {
        Pile {
            entrees: recycler(self.entrees),
            elements: recycler(self.elements),
        }
    }
}

impl Pile<'_> {
    /// Back to the form kept between records, capacity kept.
    pub(crate) fn rendre(self) -> Pile<'static> {
        Pile {
            entrees: recycler(self.entrees),
            elements: recycler(self.elements),
        }
    }
}

/// An emptied vector retyped (only lifetimes differ), its allocation kept: the standard
/// library collects a vector's `into_iter` in place when the layouts match.
fn recycler<A, B>(mut v: Vec<A>) -> Vec<B> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// Arena bytes kept from one record to the next; a bigger (hostile) record's are given back.
pub(crate) const ARENE_GARDEE: usize = 4 << 20;

/// serde_json's reading of one value into a [`Brut`] (the slow path, for the records the
/// strict reader refuses), in the record's arena; only blanks may follow it.
pub(crate) fn depuis_serde<'a>(octets: &'a [u8], arene: &'a Bump) -> serde_json::Result<Brut<'a>> {
    let mut d = serde_json::Deserializer::from_slice(octets);
    let b = valeur_serde(&mut d, arene)?;
    d.end()?;
    Ok(b)
}

/// serde_json's reading of the value at the deserializer's position.
pub(crate) fn valeur_serde<'a>(
    d: &mut serde_json::Deserializer<serde_json::de::SliceRead<'a>>,
    arene: &'a Bump,
) -> serde_json::Result<Brut<'a>> {
    Graine {
        pile: &mut Pile::default(),
        arene,
    }
    .deserialize(d)
}

/// Parses one value into a [`Brut`], with the record's scratch stacks and arena.
struct Graine<'p, 'a> {
    pile: &'p mut Pile<'a>,
    arene: &'a Bump,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Graine<'_, 'a> {
    type Value = Brut<'a>;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Brut<'a>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Graine<'_, 'a> {
    type Value = Brut<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("une valeur JSON")
    }
    fn visit_unit<E>(self) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Null)
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Num(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Num(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Str(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Brut<'a>, E> {
        Ok(Brut::Str(self.arene.alloc_str(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Brut<'a>, A::Error> {
        let Graine { pile, arene } = self;
        let debut = pile.elements.len();
        while let Some(x) = seq.next_element_seed(Graine {
            pile: &mut *pile,
            arene,
        })? {
            pile.elements.push(x);
        }
        let l = arene.alloc_slice_copy(&pile.elements[debut..]);
        pile.elements.truncate(debut);
        Ok(Brut::List(l))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Brut<'a>, A::Error> {
        let Graine { pile, arene } = self;
        let debut = pile.entrees.len();
        while let Some(k) = map.next_key_seed(Cle(arene))? {
            let x = map.next_value_seed(Graine {
                pile: &mut *pile,
                arene,
            })?;
            pile.entrees.push((k, x));
        }
        let m = arene.alloc_slice_copy(&pile.entrees[debut..]);
        pile.entrees.truncate(debut);
        Ok(Brut::Map(m))
    }
}

/// A map's key, borrowed from the bytes or copied into the arena (when it has escapes).
struct Cle<'a>(&'a Bump);

impl<'de: 'a, 'a> DeserializeSeed<'de> for Cle<'a> {
    type Value = &'a str;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<&'a str, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Cle<'a> {
    type Value = &'a str;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("une clé")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<&'a str, E> {
        Ok(v)
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<&'a str, E> {
        Ok(self.0.alloc_str(v))
    }
}

/// One record found in a file: its bytes (JSON) or tree (XML), where it starts, and the
/// family its container says (`None` when the 2019 flat list leaves it to `_type`).
#[derive(Debug)]
pub(crate) enum Trouve<'x> {
    Json {
        debut: usize,
        fin: usize,
        octet: u64,
        indice: Option<CategorieContrat>,
    },
    /// An object or array starts at the scanner's position: the reader parses it in place
    /// (one pass), then moves the scanner past it; see [`ScanneurJson::isoler`] otherwise.
    JsonIci {
        octet: u64,
        indice: Option<CategorieContrat>,
    },
    Xml {
        brut: Brut<'x>,
        octet: u64,
        indice: Option<CategorieContrat>,
    },
    /// The file breaks off or is unreadable from here: reported, and reading stops.
    Illisible { octet: u64, raison: String },
}

/// Largest record accepted (a real one is a few kB).
pub(crate) const RECORD_MAX: usize = 64 << 20;
const BLOC: usize = 1 << 20;

#[derive(Debug, Clone, Copy)]
enum Etat {
    Debut,
    Racine,
    Marches,
    Tableau(Option<CategorieContrat>),
}

/// The streamed JSON scanner.
pub(crate) struct ScanneurJson {
    src: Box<dyn Read + Send>,
    pub(crate) buf: Vec<u8>,
    pub(crate) pos: usize,
    eof: bool,
    decalage: u64,
    pile: Vec<Etat>,
    /// Objects and arrays of a list are handed over unscanned ([`Trouve::JsonIci`]).
    pub(crate) en_place: bool,
    /// Largest record accepted ([`LimitesDecp::taille_enregistrement`]).
    taille_max: usize,
}

impl fmt::Debug for ScanneurJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScanneurJson")
            .field("octet", &(self.decalage + self.pos as u64))
            .finish()
    }
}

fn io(e: std::io::Error) -> Erreur {
    Erreur::new(CodeErreur::Es, format!("lecture du fichier DECP : {e}"))
}

impl ScanneurJson {
    pub(crate) fn new(
        src: Box<dyn Read + Send>,
        debut: Vec<u8>,
        taille_max: usize,
    ) -> ScanneurJson {
        ScanneurJson {
            src,
            buf: debut,
            pos: 0,
            eof: false,
            decalage: 0,
            pile: vec![Etat::Debut],
            en_place: true,
            taille_max,
        }
    }

    /// Read one more block; `false` at end of file.
    pub(crate) fn remplir(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        // Forget consumed bytes only when they are the bigger part of the buffer, so that
        // bytes move rarely (not once per record); never while sniffing the first key.
        if self.pos > 0 && self.pos >= self.buf.len() / 2 && !self.pile.is_empty() {
            self.buf.drain(..self.pos);
            self.decalage += self.pos as u64;
            self.pos = 0;
        }
        let n0 = self.buf.len();
        self.buf.resize(n0 + BLOC, 0);
        // Fill the whole block (a pipe or a socket hands out small pieces): a record parsed
        // in place is parsed again after each refill it needs, so refills must be few.
        let mut n = 0;
        while n < BLOC {
            match self.src.read(&mut self.buf[n0 + n..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(n0);
                    return Err(io(e));
                }
            }
        }
        self.buf.truncate(n0 + n);
        Ok(n > 0)
    }

    /// Next non-blank byte, not consumed.
    fn peek(&mut self) -> Result<Option<u8>> {
        loop {
            while self.pos < self.buf.len() {
                let b = self.buf[self.pos];
                if b.is_ascii_whitespace() || b == 0xEF || b == 0xBB || b == 0xBF {
                    // Blanks, and the bytes of a UTF-8 BOM at the start.
                    self.pos += 1;
                } else {
                    return Ok(Some(b));
                }
            }
            if !self.remplir()? {
                return Ok(None);
            }
        }
    }

    fn octet(&self) -> u64 {
        self.decalage + self.pos as u64
    }

    /// Start and end (exclusive) of the value starting at `self.pos`, reading more as
    /// needed (which may move the buffer: positions are returned after the last move).
    fn fin_valeur(&mut self) -> Result<Option<(usize, usize)>> {
        let mut debut = self.pos;
        let mut i = debut;
        let mut prof = 0usize;
        let mut chaine = false;
        let mut echap = false;
        let compose = matches!(self.buf.get(debut), Some(b'{' | b'['));
        loop {
            while i < self.buf.len() {
                if chaine && !echap {
                    // Inside a string only `"` and `\` matter: jump to the next one.
                    match memchr::memchr2(b'"', b'\\', &self.buf[i..]) {
                        Some(k) => i += k,
                        None => {
                            i = self.buf.len();
                            continue;
                        }
                    }
                }
                let b = self.buf[i];
                if chaine {
                    if echap {
                        echap = false;
                    } else if b == b'\\' {
                        echap = true;
                    } else if b == b'"' {
                        chaine = false;
                        if !compose && prof == 0 {
                            return Ok(Some((debut, i + 1)));
                        }
                    }
                } else {
                    match b {
                        b'"' => chaine = true,
                        b'{' | b'[' => prof += 1,
                        b'}' | b']' => {
                            if prof == 0 {
                                return Ok(Some((debut, i)));
                            }
                            prof -= 1;
                            if prof == 0 && compose {
                                return Ok(Some((debut, i + 1)));
                            }
                        }
                        b',' if prof == 0 => return Ok(Some((debut, i))),
                        b if b.is_ascii_whitespace() && prof == 0 && !compose && i > debut => {
                            return Ok(Some((debut, i)));
                        }
                        _ => {}
                    }
                }
                i += 1;
            }
            if i - debut > self.taille_max {
                return Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    format!(
                        "limite « tailleEnregistrement » dépassée : enregistrement DECP de plus de {} octets",
                        self.taille_max
                    ),
                ));
            }
            let avant = self.pos;
            let lu = self.remplir()?;
            let decale = avant - self.pos;
            debut -= decale;
            i -= decale;
            if !lu {
                return Ok(if !compose && !chaine && i > debut {
                    Some((debut, i))
                } else {
                    None
                });
            }
        }
    }

    /// The text of a short JSON string at `self.pos` (a key), consumed.
    fn cle(&mut self) -> Result<Option<String>> {
        match self.fin_valeur()? {
            Some((debut, fin)) if self.buf.get(debut) == Some(&b'"') && fin >= debut + 2 => {
                let s = String::from_utf8_lossy(&self.buf[debut + 1..fin - 1]).into_owned();
                self.pos = fin;
                Ok(Some(s))
            }
            _ => Ok(None),
        }
    }

    fn illisible(&self, raison: &str) -> Trouve<'static> {
        Trouve::Illisible {
            octet: self.octet(),
            raison: raison.to_string(),
        }
    }

    /// The bytes of the value at the scanner's position, found by the byte scanner, the
    /// scanner moved past them (the slow path, for values the strict reader refused in place).
    pub(crate) fn isoler(
        &mut self,
        octet: u64,
        indice: Option<CategorieContrat>,
    ) -> Result<Trouve<'static>> {
        Ok(match self.fin_valeur()? {
            Some((debut, fin)) => {
                // A stray `}` where a record should start has no length: taken as a one-byte
                // value (rejected with serde_json's reason) so that reading always moves on;
                // it looped on the same byte forever before.
                let fin = fin.max(debut + 1);
                self.pos = fin;
                Trouve::Json {
                    debut,
                    fin,
                    octet,
                    indice,
                }
            }
            None => {
                self.pile.clear();
                Trouve::Illisible {
                    octet,
                    raison: "enregistrement inachevé : fichier tronqué".into(),
                }
            }
        })
    }

    /// `true` when the whole file is in the buffer.
    pub(crate) fn fini(&self) -> bool {
        self.eof
    }

    /// The next record, or `None` at the end.
    pub(crate) fn suivant(&mut self) -> Result<Option<Trouve<'static>>> {
        loop {
            let Some(&etat) = self.pile.last() else {
                return Ok(None);
            };
            let Some(b) = self.peek()? else {
                if matches!(etat, Etat::Debut) {
                    return Err(Erreur::new(
                        CodeErreur::DecpFormatInconnu,
                        "fichier DECP vide",
                    ));
                }
                self.pile.clear();
                return Ok(Some(
                    self.illisible("fin de fichier inattendue : fichier tronqué"),
                ));
            };
            match etat {
                Etat::Debut => {
                    self.pile.pop();
                    self.pos += 1;
                    match b {
                        b'{' => {
                            // A file holding one record at its root (no "marches" wrapper)
                            // is read as that one record.
                            let p = self.pos - 1;
                            let premiere_cle = match self.peek()? {
                                Some(b'"') => self.cle()?,
                                _ => None,
                            };
                            self.pos = p + 1;
                            match premiere_cle {
                                Some(k) if k != "marches" && !k.starts_with('$') => {
                                    self.pos = p;
                                    let octet = self.octet();
                                    self.pile.clear();
                                    return Ok(Some(match self.fin_valeur()? {
                                        Some((debut, fin)) => {
                                            self.pos = fin;
                                            Trouve::Json {
                                                debut,
                                                fin,
                                                octet,
                                                indice: None,
                                            }
                                        }
                                        None => self
                                            .illisible("enregistrement inachevé : fichier tronqué"),
                                    }));
                                }
                                _ => self.pile.push(Etat::Racine),
                            }
                        }
                        b'[' => self.pile.push(Etat::Tableau(None)),
                        _ => {
                            return Err(Erreur::new(
                                CodeErreur::DecpFormatInconnu,
                                "le fichier n'est ni un objet ni un tableau JSON",
                            ));
                        }
                    }
                }
                Etat::Racine | Etat::Marches => {
                    if b == b'}' {
                        self.pos += 1;
                        self.pile.pop();
                        continue;
                    }
                    if b == b',' {
                        self.pos += 1;
                        continue;
                    }
                    let Some(cle) = self.cle()? else {
                        self.pile.clear();
                        return Ok(Some(self.illisible("clé JSON attendue")));
                    };
                    if self.peek()? != Some(b':') {
                        self.pile.clear();
                        return Ok(Some(self.illisible("« : » attendu après une clé")));
                    }
                    self.pos += 1;
                    let v = self.peek()?;
                    let suite = match (etat, cle.as_str(), v) {
                        (Etat::Racine, "marches", Some(b'[')) => Some(Etat::Tableau(None)),
                        (Etat::Racine, "marches", Some(b'{')) => Some(Etat::Marches),
                        (Etat::Marches, "marche", Some(b'[')) => {
                            Some(Etat::Tableau(Some(CategorieContrat::Marche)))
                        }
                        (Etat::Marches, "contrat-concession", Some(b'[')) => {
                            Some(Etat::Tableau(Some(CategorieContrat::Concession)))
                        }
                        _ => None,
                    };
                    match suite {
                        Some(s) => {
                            self.pos += 1;
                            self.pile.push(s);
                        }
                        None => match self.fin_valeur()? {
                            Some((_, fin)) => self.pos = fin,
                            None => {
                                self.pile.clear();
                                return Ok(Some(self.illisible("valeur JSON inachevée")));
                            }
                        },
                    }
                }
                Etat::Tableau(indice) => {
                    if b == b']' {
                        self.pos += 1;
                        self.pile.pop();
                        continue;
                    }
                    if b == b',' {
                        self.pos += 1;
                        continue;
                    }
                    let octet = self.octet();
                    if self.en_place && matches!(b, b'{' | b'[') {
                        return Ok(Some(Trouve::JsonIci { octet, indice }));
                    }
                    return self.isoler(octet, indice).map(Some);
                }
            }
        }
    }
}

/// The streamed XML reader (quick-xml): one `<marche>` or `<contrat-concession>` at a time.
pub(crate) struct LecteurXml {
    r: quick_xml::Reader<BufReader<Box<dyn Read + Send>>>,
    buf: Vec<u8>,
    fini: bool,
    taille_max: u64,
    profondeur_max: usize,
}

impl fmt::Debug for LecteurXml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LecteurXml")
            .field("octet", &self.r.buffer_position())
            .finish()
    }
}

/// An element being read; its children already in the record's arena.
struct Cadre<'x> {
    nom: String,
    enfants: Vec<(&'x str, Brut<'x>)>,
    texte: String,
}

impl<'x> Cadre<'x> {
    fn valeur(&self, arene: &'x Bump) -> Brut<'x> {
        if self.enfants.is_empty() {
            let texte = self.texte.trim();
            if texte.is_empty() {
                Brut::Null
            } else {
                Brut::Str(arene.alloc_str(texte))
            }
        } else {
            Brut::Map(arene.alloc_slice_copy(&self.enfants))
        }
    }
}

fn categorie_xml(nom: &str) -> Option<CategorieContrat> {
    match nom {
        "marche" => Some(CategorieContrat::Marche),
        "contrat-concession" => Some(CategorieContrat::Concession),
        _ => None,
    }
}

impl LecteurXml {
    pub(crate) fn new(src: Box<dyn Read + Send>, limites: &LimitesDecp) -> LecteurXml {
        // No trim_text: quick-xml cuts text at each entity (`Travaux &amp; entretien` comes as
        // three events), and trimming each piece lost the blanks around the `&`. The whole text
        // of an element is trimmed once, at its end.
        let r = quick_xml::Reader::from_reader(BufReader::with_capacity(BLOC, src));
        LecteurXml {
            r,
            buf: Vec::new(),
            fini: false,
            taille_max: limites.taille_enregistrement as u64,
            profondeur_max: limites.profondeur,
        }
    }

    /// The next record, its tree in `arene` (an explicit stack: no recursion however deep
    /// the elements nest).
    pub(crate) fn suivant<'x>(&mut self, arene: &'x Bump) -> Result<Option<Trouve<'x>>> {
        use quick_xml::events::Event;
        if self.fini {
            return Ok(None);
        }
        let mut pile: Vec<Cadre<'x>> = Vec::new();
        let mut indice = None;
        let mut octet = 0u64;
        loop {
            self.buf.clear();
            let pos = self.r.buffer_position();
            let ev = match self.r.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    self.fini = true;
                    return Ok(Some(Trouve::Illisible {
                        octet: pos,
                        raison: format!("XML illisible : {e} ; lecture arrêtée"),
                    }));
                }
            };
            let trop_gros = !pile.is_empty() && pos.saturating_sub(octet) > self.taille_max;
            let trop_profond = matches!(ev, Event::Start(_)) && pile.len() >= self.profondeur_max;
            if trop_gros || trop_profond {
                // The record is rejected, its rest skipped without being kept: memory stays
                // bounded by the limits, and the next record is read.
                let raison = if trop_gros {
                    format!(
                        "limite « tailleEnregistrement » dépassée : enregistrement XML de plus de {} octets ; rejeté",
                        self.taille_max
                    )
                } else {
                    format!(
                        "limite « profondeur » dépassée : éléments XML imbriqués sur plus de {} niveaux ; rejeté",
                        self.profondeur_max
                    )
                };
                let mut prof = pile.len() + usize::from(matches!(ev, Event::Start(_)))
                    - usize::from(matches!(ev, Event::End(_)));
                drop(pile);
                while prof > 0 {
                    self.buf.clear();
                    match self.r.read_event_into(&mut self.buf) {
                        Ok(Event::Start(_)) => prof += 1,
                        Ok(Event::End(_)) => prof -= 1,
                        Ok(Event::Eof) | Err(_) => {
                            self.fini = true;
                            break;
                        }
                        Ok(_) => {}
                    }
                }
                return Ok(Some(Trouve::Illisible { octet, raison }));
            }
            match ev {
                Event::Start(e) => {
                    let nom =
                        String::from_utf8_lossy(e.local_name().as_ref().as_bytes()).into_owned();
                    if pile.is_empty() {
                        match categorie_xml(&nom) {
                            Some(c) => {
                                indice = Some(c);
                                octet = pos;
                            }
                            None => continue,
                        }
                    }
                    pile.push(Cadre {
                        nom,
                        enfants: Vec::new(),
                        texte: String::new(),
                    });
                }
                Event::Empty(e) => {
                    let nom =
                        String::from_utf8_lossy(e.local_name().as_ref().as_bytes()).into_owned();
                    match pile.last_mut() {
                        Some(p) => p.enfants.push((arene.alloc_str(&nom), Brut::Null)),
                        None => {
                            if let Some(c) = categorie_xml(&nom) {
                                return Ok(Some(Trouve::Xml {
                                    brut: Brut::Map(&[]),
                                    octet: pos,
                                    indice: Some(c),
                                }));
                            }
                        }
                    }
                }
                Event::Text(t) => {
                    // Blanks between child elements are layout, not text: not kept.
                    if let Some(p) = pile.last_mut().filter(|p| p.enfants.is_empty()) {
                        p.texte.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(p) = pile.last_mut() {
                        p.texte.push_str(&t.into_inner());
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(p) = pile.last_mut() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => p.texte.push(c),
                            _ => {
                                let nom = r.xml10_content();
                                match quick_xml::escape::resolve_predefined_entity(&nom) {
                                    Some(s) => p.texte.push_str(s),
                                    None => {
                                        p.texte.push('&');
                                        p.texte.push_str(&nom);
                                        p.texte.push(';');
                                    }
                                }
                            }
                        }
                    }
                }
                Event::End(_) => {
                    let Some(cadre) = pile.pop() else { continue };
                    let v = cadre.valeur(arene);
                    match pile.last_mut() {
                        Some(p) => p.enfants.push((arene.alloc_str(&cadre.nom), v)),
                        None => {
                            let v = if matches!(v, Brut::Null | Brut::Str(_)) {
                                Brut::Map(&[])
                            } else {
                                v
                            };
                            return Ok(Some(Trouve::Xml {
                                brut: v,
                                octet,
                                indice,
                            }));
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(Erreur::new(
                        CodeErreur::DecpFormatInconnu,
                        "XML avec DTD refusé (entités externes)",
                    ));
                }
                Event::Eof => {
                    self.fini = true;
                    if !pile.is_empty() {
                        return Ok(Some(Trouve::Illisible {
                            octet,
                            raison: "enregistrement XML inachevé : fichier tronqué".into(),
                        }));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives one byte per call, to cross every buffer boundary.
    struct Goutte(Vec<u8>, usize);

    impl Read for Goutte {
        fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.get(self.1), b.first_mut()) {
                (Some(x), Some(y)) => {
                    *y = *x;
                    self.1 += 1;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn tous(json: &str) -> Vec<String> {
        let a = tous_de(Box::new(std::io::Cursor::new(json.as_bytes().to_vec())));
        let b = tous_de(Box::new(Goutte(json.as_bytes().to_vec(), 0)));
        assert_eq!(a, b, "lecture octet par octet");
        a
    }

    fn tous_de(r: Box<dyn Read + Send>) -> Vec<String> {
        let mut s = ScanneurJson::new(r, Vec::new(), RECORD_MAX);
        s.en_place = false;
        let mut out = Vec::new();
        while let Some(t) = s.suivant().unwrap() {
            match t {
                Trouve::Json { debut, fin, .. } => {
                    out.push(String::from_utf8_lossy(&s.buf[debut..fin]).into_owned())
                }
                Trouve::Illisible { raison, .. } => out.push(format!("!{raison}")),
                Trouve::Xml { .. } | Trouve::JsonIci { .. } => unreachable!(),
            }
        }
        out
    }

    fn objets_xml(xml: &str) -> Vec<String> {
        let mut l = LecteurXml::new(
            Box::new(std::io::Cursor::new(xml.as_bytes().to_vec())),
            &LimitesDecp::default(),
        );
        let arene = Bump::new();
        let mut out = Vec::new();
        while let Some(t) = l.suivant(&arene).unwrap() {
            if let Trouve::Xml { brut, .. } = t {
                out.push(match brut.get("objet") {
                    Some(Brut::Str(o)) => o.to_string(),
                    autre => format!("{autre:?}"),
                });
            }
        }
        out
    }

    /// Blanks around an entity are part of the text (the reader used to drop them and turn
    /// « Travaux & entretien » into « Travaux&entretien », splitting one contract in two).
    #[test]
    fn xml_garde_les_blancs_autour_des_entites() {
        let xml = "<marches>\n  <marche>\n    <objet>\n   Travaux &amp; entretien &#233;t&#xE9; &lt;lot 1&gt;  </objet>\n  </marche>\n  <marche><objet><![CDATA[A & B]]> et  C</objet></marche>\n</marches>";
        assert_eq!(
            objets_xml(xml),
            vec![
                "Travaux & entretien été <lot 1>".to_string(),
                "A & B et  C".to_string(),
            ]
        );
    }

    #[test]
    fn structures() {
        assert_eq!(
            tous(r#"{"marches":[{"a":"}"},{"b":[1,2]}]}"#),
            vec![r#"{"a":"}"}"#, r#"{"b":[1,2]}"#]
        );
        assert_eq!(
            tous(
                r#"{"$schema":"x","marches":{"x":{"y":[]},"marche":[{"id":"1"}],"contrat-concession":[{"id":"2"}]}}"#
            ),
            vec![r#"{"id":"1"}"#, r#"{"id":"2"}"#]
        );
        assert_eq!(
            tous(r#"[ {"id":"\"1"} , 12 ]"#),
            vec![r#"{"id":"\"1"}"#, "12"]
        );
        assert_eq!(
            tous(r#" {"id":"1","acheteur":{"id":"2"}} "#),
            vec![r#"{"id":"1","acheteur":{"id":"2"}}"#]
        );
        assert_eq!(
            tous(r#"{"marches":[{"id":"1"},{"id":"#),
            vec![
                r#"{"id":"1"}"#.to_string(),
                "!enregistrement inachevé : fichier tronqué".into()
            ]
        );
    }
}
