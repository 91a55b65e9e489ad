//! The revisions of a PDF as its cross-reference sections describe them, and the objects
//! read lazily from them: only what verification asks for is parsed, so the cost follows
//! the signatures and the changes, not the size of the document.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::limites::LimitesPdf;
use super::syntaxe::{Analyseur, Positions, est_blanc, find, malforme, rfind};
use crate::Result;

/// Where an object is, according to one cross-reference section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entree {
    Libre,
    Fichier { offset: usize, generation: u16 },
    Flux { flux: u32, index: u32 },
}

/// One cross-reference section: one revision of the file.
#[derive(Debug, Clone)]
pub(super) struct Section {
    /// Offset of the section (the `startxref` value that designates it).
    pub offset: usize,
    /// Entries sorted by object number (first entry wins for duplicates).
    pub entrees: Vec<(u32, Entree)>,
    pub trailer: Dictionary,
    /// The cross-reference stream object of this section, if any.
    pub objet_xref: Option<u32>,
}

impl Section {
    pub fn entree(&self, n: u32) -> Option<Entree> {
        self.entrees
            .binary_search_by_key(&n, |(k, _)| *k)
            .ok()
            .and_then(|i| self.entrees.get(i))
            .map(|(_, e)| *e)
    }
}

/// An object read from the file, with where it was.
#[derive(Debug, Clone)]
pub(super) struct Lu {
    pub objet: Rc<Object>,
    /// Offset of the `N G obj` header, for objects stored directly in the file.
    pub offset: Option<usize>,
    /// Positions of the values of its top-level dictionary (direct objects only).
    pub positions: Rc<Positions>,
}

pub(super) struct Lecteur<'a> {
    pub pdf: &'a [u8],
    /// Newest first, as the `/Prev` chain gives them.
    pub sections: Vec<Section>,
    pub limites: LimitesPdf,
    lectures: Cell<usize>,
    cache: RefCell<HashMap<usize, Lu>>,
    flux_objets: RefCell<HashMap<usize, Rc<FluxObjets>>>,
    /// Objects found by scanning for `N G obj`, when an offset of a table is wrong.
    index_secours: RefCell<Option<Rc<HashMap<ObjectId, usize>>>>,
}

/// A decoded object stream: its data and `(number, offset)` of each object.
type FluxObjets = (Vec<u8>, Vec<(u32, usize)>);

/// A cross-reference stream: its own number, its entries, its dictionary.
type FluxXref = (u32, Vec<(u32, Entree)>, Dictionary);

/// The value of the last `startxref` in `pdf`.
pub(super) fn startxref(pdf: &[u8]) -> Result<usize> {
    let fin = pdf.len();
    let debut = fin.saturating_sub(4096);
    let tail = pdf.get(debut..).unwrap_or_default();
    let pos = rfind(tail, b"startxref").ok_or_else(|| malforme("startxref absent"))?;
    let mut a = Analyseur::new(tail, pos + 9, 4);
    let off = a.entier().ok_or_else(|| malforme("startxref illisible"))?;
    usize::try_from(off)
        .ok()
        .filter(|o| *o < fin)
        .ok_or_else(|| malforme("startxref hors du fichier"))
}

impl<'a> Lecteur<'a> {
    /// Read the cross-reference chain that ends the file.
    pub fn ouvrir(pdf: &'a [u8], limites: LimitesPdf) -> Result<Self> {
        LimitesPdf::verifier("taille_max", limites.taille_max, pdf.len())?;
        let mut l = Lecteur {
            pdf,
            sections: vec![],
            limites,
            lectures: Cell::new(0),
            cache: RefCell::default(),
            flux_objets: RefCell::default(),
            index_secours: RefCell::default(),
        };
        let mut suivant = Some(startxref(pdf)?);
        let mut vus = HashSet::new();
        let mut total = 0usize;
        while let Some(off) = suivant {
            // A `/Prev` loop (pades_infinite_loop.pdf) ends here instead of spinning.
            if !vus.insert(off) {
                return Err(malforme(format!(
                    "boucle dans les tables de références (/Prev {off})"
                )));
            }
            LimitesPdf::verifier("revisions_max", limites.revisions_max, vus.len())?;
            let section = l.section(off)?;
            total += section.entrees.len();
            LimitesPdf::verifier("objets_max", limites.objets_max, total)?;
            suivant = match section.trailer.get(b"Prev") {
                Ok(Object::Integer(p)) => Some(
                    usize::try_from(*p)
                        .ok()
                        .filter(|p| *p < pdf.len())
                        .ok_or_else(|| malforme("/Prev hors du fichier"))?,
                ),
                _ => None,
            };
            l.sections.push(section);
        }
        Ok(l)
    }

    fn compter_lecture(&self) -> Result<()> {
        let n = self.lectures.get() + 1;
        self.lectures.set(n);
        LimitesPdf::verifier("lectures_max", self.limites.lectures_max, n)
    }

    /// One section at `off`: a classic table (with its hybrid stream) or an xref stream.
    fn section(&self, off: usize) -> Result<Section> {
        let mut a = Analyseur::new(self.pdf, off, self.limites.profondeur_max);
        if a.mot_cle(b"xref") {
            let mut entrees = self.table(&mut a)?;
            if !a.mot_cle(b"trailer") {
                return Err(malforme(format!("trailer absent après la table à {off}")));
            }
            let trailer = match a.objet(None)? {
                Object::Dictionary(d) => d,
                _ => return Err(malforme("trailer illisible")),
            };
            // Hybrid files: the stream completes the table (the table wins, §7.5.8.4).
            if let Ok(Object::Integer(x)) = trailer.get(b"XRefStm")
                && let Ok(x) = usize::try_from(*x)
                && let Ok((_, cachees, _)) = self.flux_xref(x)
            {
                entrees.extend(cachees);
            }
            return Ok(Section {
                offset: off,
                entrees: trier(entrees),
                trailer,
                objet_xref: None,
            });
        }
        let (id, entrees, trailer) = self.flux_xref(off)?;
        Ok(Section {
            offset: off,
            entrees: trier(entrees),
            trailer,
            objet_xref: Some(id),
        })
    }

    fn table(&self, a: &mut Analyseur<'_>) -> Result<Vec<(u32, Entree)>> {
        let mut out = vec![];
        loop {
            let retour = a.pos;
            let (Some(debut), Some(n)) = (a.entier(), a.entier()) else {
                a.pos = retour;
                break;
            };
            let n = usize::try_from(n).map_err(|_| malforme("table de références"))?;
            // Each entry takes at least 18 bytes: a count beyond the file is a lie.
            if n > self.pdf.len() / 18 + 1 {
                return Err(malforme(
                    "sous-section de références plus grande que le fichier",
                ));
            }
            LimitesPdf::verifier("objets_max", self.limites.objets_max, out.len() + n)?;
            for i in 0..n {
                let (Some(o), Some(g)) = (a.entier(), a.entier()) else {
                    return Err(malforme("entrée de table de références illisible"));
                };
                a.blancs();
                let t = a.buf.get(a.pos).copied();
                a.pos += 1;
                let num = debut
                    .checked_add(i as u64)
                    .and_then(|x| u32::try_from(x).ok())
                    .ok_or_else(|| malforme("numéro d'objet trop grand"))?;
                let e = match t {
                    Some(b'n') => Entree::Fichier {
                        offset: usize::try_from(o).map_err(|_| malforme("offset"))?,
                        generation: u16::try_from(g).unwrap_or(u16::MAX),
                    },
                    Some(b'f') => Entree::Libre,
                    _ => return Err(malforme("entrée de table de références illisible")),
                };
                out.push((num, e));
            }
        }
        Ok(out)
    }

    /// A cross-reference stream (§7.5.8).
    fn flux_xref(&self, off: usize) -> Result<FluxXref> {
        let (id, lu) = self.objet_a(off, None)?;
        let Object::Stream(s) = lu.objet.as_ref() else {
            return Err(malforme(format!(
                "table de références absente à l'octet {off}"
            )));
        };
        if s.dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"XRef".as_slice()) {
            return Err(malforme(format!(
                "table de références absente à l'octet {off}"
            )));
        }
        let data = self.decoder(s)?;
        let w: Vec<usize> = s
            .dict
            .get(b"W")
            .and_then(Object::as_array)
            .map_err(|_| malforme("/W absent"))?
            .iter()
            .map(|x| x.as_i64().ok().and_then(|v| usize::try_from(v).ok()))
            .collect::<Option<Vec<_>>>()
            .filter(|w| w.len() == 3 && w.iter().all(|x| *x <= 8))
            .ok_or_else(|| malforme("/W invalide"))?;
        let largeur: usize = w.iter().sum();
        if largeur == 0 {
            return Err(malforme("/W invalide"));
        }
        let size = s.dict.get(b"Size").and_then(Object::as_i64).unwrap_or(0);
        let index: Vec<i64> = match s.dict.get(b"Index") {
            Ok(Object::Array(a)) => a.iter().filter_map(|x| x.as_i64().ok()).collect(),
            _ => vec![0, size],
        };
        let lire = |b: &[u8]| b.iter().fold(0u64, |acc, x| acc << 8 | u64::from(*x));
        let mut out = vec![];
        let mut lignes = data.chunks_exact(largeur);
        for paire in index.chunks(2) {
            let [debut, n] = paire else { break };
            let (Ok(debut), Ok(n)) = (u32::try_from(*debut), usize::try_from(*n)) else {
                return Err(malforme("/Index invalide"));
            };
            LimitesPdf::verifier("objets_max", self.limites.objets_max, out.len() + n)?;
            for i in 0..n {
                let Some(l) = lignes.next() else { break };
                let (c1, rest) = l.split_at(w[0].min(l.len()));
                let (c2, c3) = rest.split_at(w[1].min(rest.len()));
                let t = if w[0] == 0 { 1 } else { lire(c1) };
                let num = debut
                    .checked_add(u32::try_from(i).unwrap_or(u32::MAX))
                    .ok_or_else(|| malforme("numéro d'objet trop grand"))?;
                let e = match t {
                    0 => Entree::Libre,
                    1 => Entree::Fichier {
                        offset: usize::try_from(lire(c2)).unwrap_or(usize::MAX),
                        generation: u16::try_from(lire(c3)).unwrap_or(0),
                    },
                    2 => Entree::Flux {
                        flux: u32::try_from(lire(c2)).unwrap_or(u32::MAX),
                        index: u32::try_from(lire(c3)).unwrap_or(u32::MAX),
                    },
                    // Unknown types are null references (§7.5.8.3).
                    _ => Entree::Libre,
                };
                out.push((num, e));
            }
        }
        Ok((id.0, out, s.dict.clone()))
    }

    /// The decoded content of a stream, within `flux_max`.
    pub fn decoder(&self, s: &Stream) -> Result<Vec<u8>> {
        let limite = || LimitesPdf::depasse("flux_max", self.limites.flux_max);
        if s.content.len() > self.limites.flux_max {
            return Err(limite());
        }
        s.decompressed_content_with_limit(self.limites.flux_max)
            .map_err(|e| match e {
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                }) => limite(),
                e => malforme(format!("flux illisible : {e}")),
            })
    }

    /// The indirect object whose header is at `off`. `attendu`: the id the table gives.
    pub fn objet_a(&self, off: usize, attendu: Option<ObjectId>) -> Result<(ObjectId, Lu)> {
        if let Some(lu) = self.cache.borrow().get(&off) {
            let mut a = Analyseur::new(self.pdf, off, 4);
            if let Some(id) = a.entete_objet() {
                return Ok((id, lu.clone()));
            }
        }
        self.compter_lecture()?;
        let mut a = Analyseur::new(self.pdf, off, self.limites.profondeur_max);
        let id = a
            .entete_objet()
            .ok_or_else(|| malforme(format!("objet attendu à l'octet {off}")))?;
        if let Some(att) = attendu
            && att.0 != id.0
        {
            return Err(malforme(format!(
                "l'objet à l'octet {off} est {} {} et non {} {}",
                id.0, id.1, att.0, att.1
            )));
        }
        let mut positions = vec![];
        let o = a.objet(Some(&mut positions))?;
        let o = match o {
            Object::Dictionary(d) if a.mot_cle(b"stream") => {
                Object::Stream(self.contenu_flux(&mut a, d)?)
            }
            o => o,
        };
        let lu = Lu {
            objet: Rc::new(o),
            offset: Some(off),
            positions: Rc::new(positions),
        };
        self.cache.borrow_mut().insert(off, lu.clone());
        Ok((id, lu))
    }

    fn contenu_flux(&self, a: &mut Analyseur<'_>, dict: Dictionary) -> Result<Stream> {
        // `stream` is followed by CRLF or LF (a lone CR is tolerated).
        match (a.buf.get(a.pos), a.buf.get(a.pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => a.pos += 2,
            (Some(b'\n' | b'\r'), _) => a.pos += 1,
            _ => {}
        }
        let debut = a.pos;
        let declaree = match dict.get(b"Length") {
            Ok(Object::Integer(n)) => usize::try_from(*n).ok(),
            // An indirect /Length would need the table: the `endstream` keyword decides.
            _ => None,
        };
        let fin_ok = |fin: usize| {
            let mut b = Analyseur::new(a.buf, fin, 4);
            b.mot_cle(b"endstream")
        };
        let fin = match declaree.and_then(|n| debut.checked_add(n)) {
            Some(f) if f <= a.buf.len() && fin_ok(f) => f,
            _ => {
                let rel = find(a.buf.get(debut..).unwrap_or_default(), b"endstream")
                    .ok_or_else(|| malforme("endstream absent"))?;
                let mut f = debut + rel;
                // The end-of-line before `endstream` is not data.
                if f > debut && a.buf.get(f - 1) == Some(&b'\n') {
                    f -= 1;
                }
                if f > debut && a.buf.get(f - 1) == Some(&b'\r') {
                    f -= 1;
                }
                f
            }
        };
        let contenu = a.buf.get(debut..fin).unwrap_or_default().to_vec();
        a.pos = fin;
        let _ = a.mot_cle(b"endstream");
        let mut s = Stream::new(dict, contenu);
        s.start_position = Some(debut);
        Ok(s)
    }

    /// The object `n` of an object stream (`flux` is the stream's own object).
    fn dans_flux(&self, etat: &Etat<'_, 'a>, flux: u32, index: u32, n: u32) -> Result<Lu> {
        let lu = etat
            .lire(flux)?
            .ok_or_else(|| malforme(format!("flux d'objets {flux} absent")))?;
        let off = lu.offset.unwrap_or(usize::MAX);
        let donnees = {
            let deja = self.flux_objets.borrow().get(&off).cloned();
            match deja {
                Some(d) => d,
                None => {
                    let Object::Stream(s) = lu.objet.as_ref() else {
                        return Err(malforme(format!("{flux} n'est pas un flux d'objets")));
                    };
                    let data = self.decoder(s)?;
                    let nb = s.dict.get(b"N").and_then(Object::as_i64).unwrap_or(0);
                    let premier = s
                        .dict
                        .get(b"First")
                        .and_then(Object::as_i64)
                        .ok()
                        .and_then(|x| usize::try_from(x).ok())
                        .ok_or_else(|| malforme("/First absent"))?;
                    let nb = usize::try_from(nb).unwrap_or(0).min(data.len() / 2 + 1);
                    let mut a = Analyseur::new(&data, 0, 4);
                    let mut table = Vec::with_capacity(nb);
                    for _ in 0..nb {
                        let (Some(num), Some(o)) = (a.entier(), a.entier()) else {
                            break;
                        };
                        table.push((
                            u32::try_from(num).unwrap_or(u32::MAX),
                            premier.saturating_add(usize::try_from(o).unwrap_or(usize::MAX)),
                        ));
                    }
                    let d = Rc::new((data, table));
                    self.flux_objets.borrow_mut().insert(off, d.clone());
                    d
                }
            }
        };
        let (data, table) = donnees.as_ref();
        // The index of the table is a hint; the object number decides.
        let pos = table
            .get(usize::try_from(index).unwrap_or(usize::MAX))
            .filter(|(num, _)| *num == n)
            .or_else(|| table.iter().find(|(num, _)| *num == n))
            .map(|(_, p)| *p)
            .ok_or_else(|| malforme(format!("objet {n} absent du flux {flux}")))?;
        self.compter_lecture()?;
        let mut a = Analyseur::new(data, pos, self.limites.profondeur_max);
        let o = a.objet(None)?;
        let lu = Lu {
            objet: Rc::new(o),
            offset: None,
            positions: Rc::default(),
        };
        Ok(lu)
    }

    /// Objects by scanning the file for `N G obj`, when a table points to the wrong place.
    fn secours(&self) -> Rc<HashMap<ObjectId, usize>> {
        if let Some(i) = self.index_secours.borrow().as_ref() {
            return i.clone();
        }
        let mut index = HashMap::new();
        let pdf = self.pdf;
        let mut i = 0;
        while let Some(p) = pdf.get(i..).and_then(|r| find(r, b"obj")) {
            let at = i + p;
            i = at + 3;
            // Walk back over `G` and `N`.
            let mut j = at;
            let mut nombres = vec![];
            for _ in 0..2 {
                while j > 0 && pdf.get(j - 1).is_some_and(|b| est_blanc(*b)) {
                    j -= 1;
                }
                let fin = j;
                while j > 0 && pdf.get(j - 1).is_some_and(u8::is_ascii_digit) {
                    j -= 1;
                }
                nombres.push(pdf.get(j..fin).unwrap_or_default());
            }
            if let [g, n] = nombres.as_slice()
                && !g.is_empty()
                && !n.is_empty()
                && let (Some(n), Some(g)) = (
                    std::str::from_utf8(n).ok().and_then(|s| s.parse().ok()),
                    std::str::from_utf8(g).ok().and_then(|s| s.parse().ok()),
                )
            {
                // The last definition in the file wins, as in an update.
                index.insert((n, g), j);
            }
        }
        let index = Rc::new(index);
        *self.index_secours.borrow_mut() = Some(index.clone());
        index
    }

    /// The state of the document after the `saute` newest sections are removed.
    pub fn etat(&self, saute: usize) -> Etat<'_, 'a> {
        Etat { l: self, saute }
    }
}

fn trier(mut v: Vec<(u32, Entree)>) -> Vec<(u32, Entree)> {
    // Stable: the first entry of a number in the section wins.
    v.sort_by_key(|(n, _)| *n);
    v.dedup_by_key(|(n, _)| *n);
    v
}

/// The document as of one revision.
#[derive(Clone, Copy)]
pub(super) struct Etat<'l, 'a> {
    pub l: &'l Lecteur<'a>,
    pub saute: usize,
}

impl<'a> Etat<'_, 'a> {
    pub fn sections(&self) -> &[Section] {
        self.l.sections.get(self.saute..).unwrap_or_default()
    }

    pub fn trailer(&self) -> Option<&Dictionary> {
        self.sections().first().map(|s| &s.trailer)
    }

    /// The entry of `n` in this state.
    pub fn entree(&self, n: u32) -> Option<Entree> {
        self.sections().iter().find_map(|s| s.entree(n))
    }

    /// Object `n`, or `None` when it is free or absent.
    pub fn lire(&self, n: u32) -> Result<Option<Lu>> {
        match self.entree(n) {
            None | Some(Entree::Libre) => Ok(None),
            Some(Entree::Fichier { offset, generation }) => {
                match self.l.objet_a(offset, Some((n, generation))) {
                    Ok((_, lu)) => Ok(Some(lu)),
                    Err(e) if e.code() == crate::CodeErreur::LimiteDepassee => Err(e),
                    Err(e) => {
                        // Offsets a few bytes off are common in real files: find the object.
                        let index = self.l.secours();
                        match index.get(&(n, generation)) {
                            Some(off) if *off != offset => {
                                Ok(Some(self.l.objet_a(*off, Some((n, generation)))?.1))
                            }
                            _ => Err(e),
                        }
                    }
                }
            }
            Some(Entree::Flux { flux, index }) => {
                if flux == n {
                    return Err(malforme(format!("flux d'objets {n} contenu en lui-même")));
                }
                Ok(Some(self.l.dans_flux(self, flux, index, n)?))
            }
        }
    }

    /// `o` with its references followed (null when they lead nowhere).
    pub fn resoudre(&self, o: &Object) -> Result<Rc<Object>> {
        let Object::Reference((n, _)) = o else {
            return Ok(Rc::new(o.clone()));
        };
        let mut n = *n;
        // Chains of references to references are legal but short.
        for _ in 0..8 {
            let Some(lu) = self.lire(n)? else {
                return Ok(Rc::new(Object::Null));
            };
            match lu.objet.as_ref() {
                Object::Reference((m, _)) => n = *m,
                _ => return Ok(lu.objet),
            }
        }
        Err(malforme("chaîne de références trop longue"))
    }

    /// A dictionary (of a stream too) behind `o`.
    pub fn dict(&self, o: &Object) -> Result<Option<Dictionary>> {
        Ok(match self.resoudre(o)?.as_ref() {
            Object::Dictionary(d) => Some(d.clone()),
            Object::Stream(s) => Some(s.dict.clone()),
            _ => None,
        })
    }

    /// The document catalog.
    pub fn catalogue(&self) -> Result<(Option<u32>, Dictionary)> {
        let root = self
            .trailer()
            .and_then(|t| t.get(b"Root").ok())
            .ok_or_else(|| malforme("/Root absent du trailer"))?;
        let id = root.as_reference().ok().map(|r| r.0);
        let d = self
            .dict(root)?
            .ok_or_else(|| malforme("catalogue illisible"))?;
        Ok((id, d))
    }
}
