//! Verifying the signatures of a PDF: find them from the form (or, failing that, from the
//! signature dictionaries present), check that each `/ByteRange` covers the file except
//! exactly its own `/Contents`, check the CMS over those bytes, and judge what later
//! revisions changed.

use std::cell::Cell;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object};
use sha1::Digest;

use super::lecteur::{Etat, Lecteur, startxref};
use super::limites::LimitesPdf;
use super::revisions::{self, Permissions, RevisionPdf, Verrou};
use super::syntaxe::{Analyseur, contient_byterange, find, malforme, rfind};
use crate::signature::rapport::{
    DetailsPdf, FormatSignature, Horodatage, Niveau, OptionsVerification, RapportSignature,
    fixer_niveau, juger_en_chaine,
};
use crate::signature::signer::{AlgorithmeEmpreinte, Hasher};
use crate::{CodeErreur, Erreur, Result};

/// A signature dictionary found in the file.
pub(super) struct SigPdf {
    pub dict: Dictionary,
    pub champ: Option<String>,
    /// Offsets of the `/Contents` value (`<` to after `>`) and of the end of the dictionary.
    contents: Option<(usize, usize)>,
    nb_contents: usize,
    fin_dict: usize,
}

impl SigPdf {
    pub fn sub_filter(&self) -> Vec<u8> {
        self.dict
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .map(<[u8]>::to_vec)
            .unwrap_or_default()
    }

    fn byte_range(&self) -> Vec<i64> {
        match self.dict.get(b"ByteRange") {
            Ok(Object::Array(a)) => a.iter().map(|x| x.as_i64().unwrap_or(-1)).collect(),
            _ => vec![],
        }
    }

    /// End of the signed bytes (`c + d`), for ordering.
    pub fn fin_signee(&self) -> i64 {
        let br = self.byte_range();
        br.get(2).copied().unwrap_or(0) + br.get(3).copied().unwrap_or(0)
    }
}

/// What a checked `/ByteRange` gives: the hole `[b, c)`, the end of the signed bytes and
/// the CMS (or PKCS#1 value) in `/Contents`.
pub(super) struct Couverture {
    pub b: usize,
    pub c: usize,
    pub fin: usize,
    pub valeur: Vec<u8>,
}

fn bad(m: &str) -> Erreur {
    Erreur::new(CodeErreur::ByteRangeInvalide, m.to_string())
}

/// The `/ByteRange` must be `[0 b c d]` where `[b, c)` is exactly the `/Contents` hex string
/// of this very dictionary, and the dictionary itself lies inside the signed bytes.
pub(super) fn couverture(pdf: &[u8], s: &SigPdf) -> Result<Couverture> {
    let br = s.byte_range();
    let [a, b, c, d] = br.as_slice() else {
        return Err(bad("/ByteRange doit avoir exactement 4 nombres"));
    };
    let conv = |x: i64| usize::try_from(x).map_err(|_| bad("/ByteRange négatif"));
    let (a, b, c, d) = (conv(*a)?, conv(*b)?, conv(*c)?, conv(*d)?);
    if s.nb_contents != 1 {
        return Err(bad(
            "le dictionnaire de signature n'a pas exactement un /Contents",
        ));
    }
    let Some((cd, cf)) = s.contents else {
        return Err(bad("/Contents introuvable dans le fichier"));
    };
    let fin = c
        .checked_add(d)
        .filter(|f| *f <= pdf.len())
        .ok_or_else(|| bad("/ByteRange déborde du fichier"))?;
    if a != 0 {
        return Err(bad("/ByteRange ne commence pas au début du fichier"));
    }
    if b != cd || c != cf {
        return Err(bad(
            "/ByteRange n'exclut pas exactement le /Contents de cette signature",
        ));
    }
    if s.fin_dict > fin {
        return Err(bad(
            "le dictionnaire de signature n'est pas couvert par /ByteRange",
        ));
    }
    let hex = pdf
        .get(b..c)
        .and_then(|g| g.strip_prefix(b"<"))
        .and_then(|g| g.strip_suffix(b">"))
        .ok_or_else(|| bad("/Contents n'est pas une chaîne hexadécimale"))?;
    let valeur = match s.dict.get(b"Contents") {
        Ok(Object::String(v, lopdf::StringFormat::Hexadecimal)) => v.clone(),
        _ => return Err(bad("/Contents n'est pas une chaîne hexadécimale")),
    };
    let _ = hex;
    Ok(Couverture { b, c, fin, valeur })
}

/// The end of the BER/DER element at `pos` (definite or indefinite lengths), `None` when
/// it is not well formed. Used to cut the CMS out of the zero padding of `/Contents`.
pub(super) fn fin_ber(b: &[u8], pos: usize, profondeur: usize) -> Option<usize> {
    if profondeur > 64 {
        return None;
    }
    let tag = *b.get(pos)?;
    let mut i = pos + 1;
    if tag & 0x1F == 0x1F {
        // High tag number: base-128 continuation bytes.
        while *b.get(i)? & 0x80 != 0 {
            i += 1;
        }
        i += 1;
    }
    let l0 = *b.get(i)?;
    i += 1;
    if l0 == 0x80 {
        // Indefinite length (constructed only): children up to the end-of-contents octets.
        if tag & 0x20 == 0 {
            return None;
        }
        loop {
            if b.get(i..i + 2)? == [0, 0] {
                return Some(i + 2);
            }
            i = fin_ber(b, i, profondeur + 1)?;
        }
    }
    let len = if l0 < 0x80 {
        usize::from(l0)
    } else {
        let n = usize::from(l0 & 0x7F);
        if n > 4 {
            return None;
        }
        let mut len = 0usize;
        for _ in 0..n {
            len = (len << 8) | usize::from(*b.get(i)?);
            i += 1;
        }
        len
    };
    let fin = i.checked_add(len)?;
    (fin <= b.len()).then_some(fin)
}

/// The CMS in `/Contents`: exactly the outer element, without the zero padding.
fn der_prefix(b: &[u8]) -> Option<&[u8]> {
    if b.first() != Some(&0x30) {
        return None;
    }
    b.get(..fin_ber(b, 0, 0)?)
}

/// The CMS of a signature.
pub(super) fn cms_de(c: &Couverture) -> Result<Vec<u8>> {
    der_prefix(&c.valeur).map(<[u8]>::to_vec).ok_or_else(|| {
        Erreur::new(
            CodeErreur::SignatureMalformee,
            "/Contents ne contient pas de CMS",
        )
    })
}

/// Read one signature dictionary (object `id`) in `etat`, with where its values sit.
fn lire_sig(etat: &Etat<'_, '_>, id: u32, champ: Option<String>) -> Result<Option<SigPdf>> {
    let Some(lu) = etat.lire(id)? else {
        return Ok(None);
    };
    let Object::Dictionary(d) = lu.objet.as_ref() else {
        return Ok(None);
    };
    if !d.has(b"ByteRange") {
        return Ok(None);
    }
    let contents: Vec<_> = lu
        .positions
        .iter()
        .filter(|(k, _, _)| k.as_slice() == b"Contents")
        .map(|(_, a, b)| (*a, *b))
        .collect();
    let fin_dict = lu.positions.iter().map(|(_, _, f)| *f).max().unwrap_or(0);
    Ok(Some(SigPdf {
        dict: d.clone(),
        champ,
        contents: contents.first().copied(),
        nb_contents: contents.len(),
        fin_dict,
    }))
}

/// The signature dictionaries of the document, signed bytes ascending.
pub(super) fn signatures(l: &Lecteur<'_>) -> Result<Vec<SigPdf>> {
    let (mut out, vus) = signatures_des_champs(l)?;
    let orphelines = signatures_orphelines(l, &positions_byterange(l.pdf), vus, out.len())?;
    out.extend(orphelines);
    out.sort_by_key(SigPdf::fin_signee);
    Ok(out)
}

/// 1. From the form: signature fields and their values (and the object numbers seen).
fn signatures_des_champs(l: &Lecteur<'_>) -> Result<(Vec<SigPdf>, HashSet<u32>)> {
    let etat = l.etat(0);
    let mut out: Vec<SigPdf> = vec![];
    let mut vus = HashSet::new();
    // 1. From the form: signature fields and their values.
    if let Ok((_, cat)) = etat.catalogue()
        && let Ok(af) = cat.get(b"AcroForm")
        && let Ok(Some(afd)) = etat.dict(af)
        && let Ok(fields) = afd.get(b"Fields")
        && let Ok(fields) = etat.resoudre(fields)
        && let Object::Array(fields) = fields.as_ref()
    {
        let mut pile: Vec<(Object, String, bool, usize)> = fields
            .iter()
            .rev()
            .map(|f| (f.clone(), String::new(), false, 0))
            .collect();
        let mut champs = HashSet::new();
        while let Some((o, parent, sig_herite, prof)) = pile.pop() {
            if let Object::Reference((n, _)) = o
                && !champs.insert(n)
            {
                continue;
            }
            LimitesPdf::verifier("champs_max", l.limites.champs_max, champs.len())?;
            if prof > l.limites.profondeur_max {
                continue;
            }
            let Ok(Some(d)) = etat.dict(&o) else { continue };
            let sig = match d.get(b"FT").and_then(Object::as_name) {
                Ok(ft) => ft == b"Sig",
                Err(_) => sig_herite,
            };
            let nom = match (d.get(b"T").and_then(Object::as_str), parent.is_empty()) {
                (Ok(t), true) => String::from_utf8_lossy(t).into_owned(),
                (Ok(t), false) => format!("{parent}.{}", String::from_utf8_lossy(t)),
                (Err(_), _) => parent.clone(),
            };
            if sig
                && let Ok(Object::Reference((v, _))) = d.get(b"V")
                && vus.insert(*v)
                && let Some(s) = lire_sig(&etat, *v, Some(nom.clone()))?
            {
                LimitesPdf::verifier("signatures_max", l.limites.signatures_max, out.len() + 1)?;
                out.push(s);
            }
            if let Ok(k) = d.get(b"Kids")
                && let Ok(k) = etat.resoudre(k)
                && let Object::Array(kids) = k.as_ref()
            {
                for x in kids.iter().rev() {
                    pile.push((x.clone(), nom.clone(), sig, prof + 1));
                }
            }
        }
    }
    Ok((out, vus))
}

/// Where `/ByteRange` occurs in the file: a pass over bytes only, so that it can run beside
/// the hashing of the signed ranges (on a large file it costs a fifth of that hashing).
fn positions_byterange(pdf: &[u8]) -> Vec<usize> {
    memchr::memmem::find_iter(pdf, b"/ByteRange").collect()
}

/// 2. Signature dictionaries no field points to (broken forms, encrypted object streams):
///    found by their `/ByteRange` (at `positions`), kept when the table designates them.
fn signatures_orphelines(
    l: &Lecteur<'_>,
    positions: &[usize],
    mut vus: HashSet<u32>,
    deja: usize,
) -> Result<Vec<SigPdf>> {
    let etat = l.etat(0);
    let mut out: Vec<SigPdf> = vec![];
    let pdf = l.pdf;
    for &at in positions {
        let avant = pdf
            .get(at.saturating_sub(64 * 1024)..at)
            .unwrap_or_default();
        let Some(o) = rfind(avant, b"obj") else {
            continue;
        };
        let hdr_fin = at.saturating_sub(64 * 1024) + o;
        // Walk back over `N G ` to the header.
        let debut = pdf
            .get(..hdr_fin)
            .map(|r| {
                let mut j = r.len();
                for _ in 0..2 {
                    while j > 0 && r.get(j - 1).is_some_and(|b| super::syntaxe::est_blanc(*b)) {
                        j -= 1;
                    }
                    while j > 0 && r.get(j - 1).is_some_and(u8::is_ascii_digit) {
                        j -= 1;
                    }
                }
                j
            })
            .unwrap_or(0);
        let mut a = Analyseur::new(pdf, debut, 4);
        let Some((n, _)) = a.entete_objet() else {
            continue;
        };
        if vus.contains(&n) {
            continue;
        }
        // Only the live definition of that number counts.
        let vivant = matches!(
            etat.entree(n),
            Some(super::lecteur::Entree::Fichier { offset, .. }) if offset == debut
        );
        if !vivant {
            continue;
        }
        if let Some(s) = lire_sig(&etat, n, None)? {
            vus.insert(n);
            LimitesPdf::verifier(
                "signatures_max",
                l.limites.signatures_max,
                deja + out.len() + 1,
            )?;
            out.push(s);
        }
    }
    Ok(out)
}

/// DocMDP `/P` of the certification signature in `etat` (§12.8.2.2).
fn doc_mdp(etat: &Etat<'_, '_>) -> Result<Option<u8>> {
    let (_, cat) = etat.catalogue()?;
    let Ok(perms) = cat.get(b"Perms") else {
        return Ok(None);
    };
    let Some(perms) = etat.dict(perms)? else {
        return Ok(None);
    };
    let Ok(sig) = perms.get(b"DocMDP") else {
        return Ok(None);
    };
    let Some(sig) = etat.dict(sig)? else {
        return Ok(None);
    };
    let refs = match sig.get(b"Reference") {
        Ok(r) => etat.resoudre(r)?,
        Err(_) => return Ok(Some(2)),
    };
    let Object::Array(refs) = refs.as_ref() else {
        return Ok(Some(2));
    };
    for r in refs {
        let Some(r) = etat.dict(r)? else { continue };
        if r.get(b"TransformMethod").and_then(Object::as_name).ok() == Some(b"DocMDP".as_slice()) {
            let p = match r.get(b"TransformParams") {
                Ok(tp) => etat
                    .dict(tp)?
                    .and_then(|d| d.get(b"P").and_then(Object::as_i64).ok()),
                Err(_) => None,
            };
            return Ok(Some(
                p.and_then(|p| u8::try_from(p).ok())
                    .unwrap_or(2)
                    .clamp(1, 3),
            ));
        }
    }
    Ok(Some(2))
}

/// The FieldMDP lock of a signature: its `/Reference` entries with that transform.
fn field_mdp(etat: &Etat<'_, '_>, s: &SigPdf) -> Result<Option<Verrou>> {
    let Ok(refs) = s.dict.get(b"Reference") else {
        return Ok(None);
    };
    let refs = etat.resoudre(refs)?;
    let Object::Array(refs) = refs.as_ref() else {
        return Ok(None);
    };
    for r in refs {
        let Some(r) = etat.dict(r)? else { continue };
        if r.get(b"TransformMethod").and_then(Object::as_name).ok() != Some(b"FieldMDP".as_slice())
        {
            continue;
        }
        let Some(tp) = r.get(b"TransformParams").ok() else {
            continue;
        };
        let Some(tp) = etat.dict(tp)? else { continue };
        let noms: Vec<String> = match tp.get(b"Fields") {
            Ok(f) => match etat.resoudre(f)?.as_ref() {
                Object::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().ok())
                    .map(|x| String::from_utf8_lossy(x).into_owned())
                    .collect(),
                _ => vec![],
            },
            Err(_) => vec![],
        };
        return Ok(Some(
            match tp.get(b"Action").and_then(Object::as_name).ok() {
                Some(b"Include") => Verrou::Inclus(noms),
                Some(b"Exclude") => Verrou::Exclus(noms),
                _ => Verrou::Tous,
            },
        ));
    }
    Ok(None)
}

/// The later revisions of a signature whose signed bytes end at `fin`, and the refusals.
fn revisions_apres(
    l: &Lecteur<'_>,
    s: &SigPdf,
    fin: usize,
) -> Result<(usize, Vec<RevisionPdf>, Vec<String>)> {
    let pdf = l.pdf;
    let mut refus = vec![];
    if fin == pdf.len() {
        return Ok((0, vec![], refus));
    }
    let signe = pdf.get(..fin).unwrap_or_default();
    let fin_utile = signe
        .iter()
        .rposition(|b| !super::syntaxe::est_blanc(*b))
        .map_or(0, |p| p + 1);
    if !signe
        .get(..fin_utile)
        .unwrap_or_default()
        .ends_with(b"%%EOF")
    {
        refus.push("la signature ne couvre pas une révision complète".to_string());
    }
    let posterieures = l.sections.iter().take_while(|s| s.offset >= fin).count();
    if posterieures == 0 {
        refus.push("octets ajoutés après la révision signée hors d'une révision PDF".to_string());
        return Ok((0, vec![], refus));
    }
    if l.sections
        .iter()
        .skip(posterieures)
        .any(|s| s.offset >= fin)
    {
        refus.push("historique des révisions incohérent".to_string());
    }
    match (startxref(signe), l.sections.get(posterieures)) {
        (Ok(x), Some(s)) if x == s.offset => {}
        _ => {
            refus.push(
                "la révision signée n'est pas celle que prolongent les révisions suivantes"
                    .to_string(),
            );
            return Ok((posterieures, vec![], refus));
        }
    }
    let signe = l.etat(posterieures);
    let perms = Permissions {
        doc_mdp: doc_mdp(&signe).unwrap_or(None),
        verrou: field_mdp(&signe, s)?,
    };
    let revs = revisions::analyser(l, posterieures, perms)?;
    for r in &revs {
        refus.extend(r.refus());
    }
    Ok((posterieures, revs, refus))
}

/// Verify every signature of `pdf` within `limites`.
pub(crate) fn verifier(
    pdf: &[u8],
    opts: &OptionsVerification,
    limites: LimitesPdf,
) -> Result<Vec<RapportSignature>> {
    LimitesPdf::verifier("taille_max", limites.taille_max, pdf.len())?;
    if find(pdf.get(..1024).unwrap_or(pdf), b"%PDF-").is_none() {
        return Err(malforme("en-tête %PDF absent"));
    }
    // No `/ByteRange` anywhere: no signature, answered without reading the objects.
    if !contient_byterange(pdf) {
        return Ok(vec![]);
    }
    let l = Lecteur::ouvrir(pdf, limites)?;
    // The search for signature dictionaries no field points to reads the whole file; on a
    // large file it runs on a second thread while the fields' signatures are hashed.
    let (champs, vus) = signatures_des_champs(&l)?;
    let lt = LongTerme::lire(&l, &champs, opts)?;
    let opts = &lt.options;
    let mut rapports: Vec<(i64, Vec<RapportSignature>)> = if pdf.len() >= PARALLELE_DES {
        std::thread::scope(|portee| -> Result<_> {
            let recherche = portee.spawn(|| positions_byterange(pdf));
            let mut r = vec![];
            for s in &champs {
                r.push((s.fin_signee(), verifier_une(&l, s, opts, &lt)?));
            }
            let positions = recherche
                .join()
                .map_err(|_| Erreur::internal("recherche des /ByteRange interrompue"))?;
            for s in &signatures_orphelines(&l, &positions, vus, champs.len())? {
                r.push((s.fin_signee(), verifier_une(&l, s, opts, &lt)?));
            }
            Ok(r)
        })?
    } else {
        let mut r = vec![];
        let orphelines = signatures_orphelines(&l, &positions_byterange(pdf), vus, champs.len())?;
        for s in champs.iter().chain(&orphelines) {
            r.push((s.fin_signee(), verifier_une(&l, s, opts, &lt)?));
        }
        r
    };
    // Reports in the order of the signed revisions, as `signatures` gives them.
    rapports.sort_by_key(|(fin, _)| *fin);
    Ok(rapports.into_iter().flat_map(|(_, r)| r).collect())
}

/// What a long-term PDF adds to the verification: the DSS data (counted like the host's)
/// and its document timestamps, each judged.
struct LongTerme {
    options: OptionsVerification,
    /// The DSS holds validation data.
    dss: bool,
    /// Each document timestamp: end of the bytes it covers, its report, and its time when
    /// it proves existence (valid token, approved TSA valid at the validation time or at
    /// the time a later document timestamp proves).
    horodatages: Vec<(usize, Horodatage, Option<DateTime<Utc>>)>,
}

impl LongTerme {
    fn lire(l: &Lecteur<'_>, champs: &[SigPdf], opts: &OptionsVerification) -> Result<Self> {
        let d = super::ltv::lire_dss(l)?;
        let mut options = opts.clone();
        let dss = !d.est_vide();
        for c in &d.certificats {
            if let Ok(c) = crate::signature::signer::certificat(c)
                && !options.intermediaires.contains(&c)
            {
                options.intermediaires.push(c);
            }
        }
        for o in d.reponses_ocsp {
            if !options.reponses_ocsp.contains(&o) {
                options.reponses_ocsp.push(o);
            }
        }
        for c in d.crls {
            if !options.crls.contains(&c) {
                options.crls.push(c);
            }
        }
        let mut jetons = vec![];
        for s in champs.iter().filter(|s| s.sub_filter() == b"ETSI.RFC3161") {
            let Ok(cv) = couverture(l.pdf, s) else {
                continue;
            };
            let Ok(jeton) = cms_de(&cv) else { continue };
            let plages = [
                l.pdf.get(..cv.b).unwrap_or_default(),
                l.pdf.get(cv.c..cv.fin).unwrap_or_default(),
            ];
            let t =
                crate::signature::verification_cms::check_timestamp_digest(&jeton, &mut |alg| {
                    let mut h = Hasher::new(alg);
                    for p in plages {
                        h.update(p);
                    }
                    h.finish()
                });
            jetons.push((cv.fin, t));
        }
        // A document timestamp covers every byte before it, earlier timestamps included:
        // the chain goes by position in the file, the last one first.
        let mut ordre: Vec<usize> = (0..jetons.len()).collect();
        ordre.sort_by_key(|i| std::cmp::Reverse(jetons.get(*i).map(|(fin, _)| *fin)));
        let refs: Vec<_> = jetons.iter().map(|(_, t)| t).collect();
        let horodatages = juger_en_chaine(&refs, &ordre, &options)
            .into_iter()
            .zip(&jetons)
            .map(|((h, preuve), (fin, _))| (*fin, h, preuve))
            .collect();
        Ok(LongTerme {
            options,
            dss,
            horodatages,
        })
    }

    /// The earliest time a document timestamp after `fin` proves.
    fn preuve_apres(&self, fin: usize) -> Option<DateTime<Utc>> {
        self.horodatages
            .iter()
            .filter(|(f, _, _)| *f > fin)
            .filter_map(|(_, _, p)| *p)
            .min()
    }

    fn rapports_apres(&self, fin: usize) -> Vec<Horodatage> {
        self.horodatages
            .iter()
            .filter(|(f, _, _)| *f > fin)
            .map(|(_, h, _)| h.clone())
            .collect()
    }
}

/// From this size, the `/ByteRange` search runs beside the hashing (a thread costs tens
/// of microseconds; the search over 1 MB about a hundred).
const PARALLELE_DES: usize = 1 << 20;

/// The reports of one signature dictionary (none for a document timestamp).
fn verifier_une(
    l: &Lecteur<'_>,
    s: &SigPdf,
    opts: &OptionsVerification,
    lt: &LongTerme,
) -> Result<Vec<RapportSignature>> {
    let pdf = l.pdf;
    let mut rapports = vec![];
    let sf = s.sub_filter();
    if sf == b"ETSI.RFC3161" {
        return Ok(vec![]); // document timestamps are not signatures of a person
    }
    let sha1 = sf == b"adbe.pkcs7.sha1";
    let pkcs1 = sf == super::pkcs1::SUB_FILTER;
    if !sha1
        && !pkcs1
        && !matches!(
            sf.as_slice(),
            b"ETSI.CAdES.detached" | b"adbe.pkcs7.detached"
        )
    {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "/SubFilter {} non pris en charge",
                String::from_utf8_lossy(&sf)
            ),
        ));
    }
    let cv = couverture(pdf, s)?;
    let (posterieures, revs, refus) = revisions_apres(l, s, cv.fin)?;
    let plages = [
        pdf.get(..cv.b).unwrap_or_default(),
        pdf.get(cv.c..cv.fin).unwrap_or_default(),
    ];
    let (checks, mut opts_sig) = if pkcs1 {
        let check = super::pkcs1::verifier(&l.etat(0), &s.dict, &cv.valeur, plages)?;
        (vec![check], opts.clone())
    } else {
        checks_cms(&cv, plages, sha1, opts)?
    };
    let m = s
        .dict
        .get(b"M")
        .and_then(Object::as_str)
        .ok()
        .and_then(super::moteur::parse_pdf_date);
    // Validation at a past time: a document timestamp after this signature proves that
    // the signature and the validation data before it existed then; they are judged at
    // that time (ETSI EN 319 102-1, 5.6), not at the validation time.
    let archive = lt.preuve_apres(cv.fin);
    if let Some(t) = archive {
        opts_sig.date_verification = Some(opts_sig.date_verification.map_or(t, |v| v.min(t)));
    }
    for mut check in checks {
        check.signing_time = check.signing_time.or(m);
        let details = DetailsPdf {
            champ: s.champ.clone(),
            couvre_tout_le_document: cv.fin == pdf.len(),
            revisions_suivantes: posterieures,
            modifie_apres_signature: !refus.is_empty(),
            modifications: refus.clone(),
            revisions: revs.clone(),
            horodatages_document: lt.rapports_apres(cv.fin),
        };
        let mut r =
            crate::signature::juger_cms(check, FormatSignature::PAdES, Some(details), &opts_sig);
        if r.niveau == Niveau::BT && lt.dss {
            let n = if archive.is_some() {
                Niveau::BLTA
            } else {
                Niveau::BLT
            };
            fixer_niveau(&mut r, n);
        }
        rapports.push(r);
    }
    Ok(rapports)
}

/// The SignerInfos of the CMS in `/Contents`, each checked over the `/ByteRange` bytes,
/// and the options with the CRLs the CMS carries added.
fn checks_cms(
    cv: &Couverture,
    plages: [&[u8]; 2],
    sha1: bool,
    opts: &OptionsVerification,
) -> Result<(
    Vec<crate::signature::verification_cms::CmsCheck>,
    OptionsVerification,
)> {
    let cms_der = cms_de(cv)?;
    {
        // adbe.pkcs7.sha1: the CMS signs the SHA-1 digest of the ranges, carried as content.
        let empreinte_sha1_fausse = Cell::new(false);
        let mut hash_ranges = |alg: AlgorithmeEmpreinte, econtent: Option<&[u8]>| {
            if sha1 {
                let mut h = sha1::Sha1::new();
                for p in plages {
                    h.update(p);
                }
                let attendu = h.finalize();
                let e = econtent.unwrap_or_default();
                if e != attendu.as_slice() {
                    empreinte_sha1_fausse.set(true);
                }
                return Ok(alg.hash(e));
            }
            let mut h = Hasher::new(alg);
            for p in plages {
                h.update(p);
            }
            Ok(h.finish())
        };
        // Every SignerInfo of the CMS is verified and reported, chains over the
        // certificates' own bytes, with the CRLs the signature carries (as for CAdES).
        let mut externes = opts.intermediaires.clone();
        externes.extend(opts.ancres.iter().cloned());
        let checks =
            crate::signature::verification_cms::check_tous(&cms_der, &mut hash_ranges, &externes)?;
        let mut opts_sig = opts.clone();
        for c in &checks {
            for crl in &c.crls {
                if !opts_sig.crls.contains(crl) {
                    opts_sig.crls.push(crl.clone());
                }
            }
        }
        let mut checks = checks;
        if empreinte_sha1_fausse.get() {
            for check in &mut checks {
                check.integrity = Err(Erreur::new(
                    CodeErreur::SignatureIntegrite,
                    "l'empreinte SHA-1 signée ne correspond pas aux octets de /ByteRange",
                ));
            }
        }
        Ok((checks, opts_sig))
    }
}

/// The per-revision analysis of every signature, for hosts that show it.
pub(crate) fn revisions(
    pdf: &[u8],
    limites: LimitesPdf,
) -> Result<Vec<(Option<String>, Vec<RevisionPdf>)>> {
    if !contient_byterange(pdf) {
        return Ok(vec![]);
    }
    let l = Lecteur::ouvrir(pdf, limites)?;
    let mut out = vec![];
    for s in signatures(&l)? {
        let cv = couverture(pdf, &s)?;
        let (_, revs, _) = revisions_apres(&l, &s, cv.fin)?;
        out.push((s.champ.clone(), revs));
    }
    Ok(out)
}

/// The last signature (not a document timestamp) and its coverage.
pub(super) fn derniere(pdf: &[u8]) -> Result<Couverture> {
    let aucune = || {
        Erreur::new(
            CodeErreur::SignatureFormatInconnu,
            "aucune signature dans le PDF",
        )
    };
    if !contient_byterange(pdf) {
        return Err(aucune());
    }
    let l = Lecteur::ouvrir(pdf, LimitesPdf::default())?;
    let s = signatures(&l)?
        .into_iter()
        .rfind(|s| s.sub_filter() != b"ETSI.RFC3161")
        .ok_or_else(aucune)?;
    couverture(pdf, &s)
}
