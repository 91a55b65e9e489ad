//! The PAdES engine (feature `pdf`): lopdf parses; the incremental update is written here
//! because its exact bytes matter (the `/ByteRange` and the `/Contents` placeholder).

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::super::rapport::{OptionsVerification, RapportSignature};
use super::super::signer::{AlgorithmeEmpreinte, Hasher, Signataire};
use super::super::{OptionsSignature, cms};
use super::limites::LimitesPdf;
use super::revisions::RevisionPdf;
use super::{EtatPades, verification};
use crate::{CodeErreur, Erreur, Result};

pub(super) fn malforme(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::PdfMalforme, m.into())
}

pub(super) fn load(pdf: &[u8]) -> Result<Document> {
    if !pdf.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(malforme("en-tête %PDF absent"));
    }
    let doc = load_lopdf(pdf)?.map_err(|e| {
        let m = e.to_string();
        if m.to_lowercase().contains("encrypt") || m.contains("password") {
            Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!("PDF chiffré non pris en charge : {m}"),
            )
        } else {
            malforme(format!("PDF illisible : {m}"))
        }
    })?;
    if doc.trailer.has(b"Encrypt") || doc.is_encrypted() {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            "PDF chiffré non pris en charge",
        ));
    }
    Ok(doc)
}

/// lopdf on hostile input: a panic inside the parser becomes `PDF_MALFORME`, never a crash
/// of the host.
fn load_lopdf(pdf: &[u8]) -> Result<lopdf::Result<Document>> {
    std::panic::catch_unwind(|| Document::load_mem(pdf))
        .map_err(|_| malforme("PDF illisible (analyseur interrompu)"))
}

/// Offset given by the last `startxref`.
pub(super) fn startxref(pdf: &[u8]) -> Result<usize> {
    let tail_start = pdf.len().saturating_sub(2048);
    let tail = pdf.get(tail_start..).unwrap_or_default();
    let pos = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or_else(|| malforme("startxref absent"))?;
    let rest = tail.get(pos + 9..).unwrap_or_default();
    let digits: String = rest
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    let off: usize = digits
        .parse()
        .map_err(|_| malforme("startxref illisible"))?;
    if off >= pdf.len() {
        return Err(malforme("startxref hors du fichier"));
    }
    Ok(off)
}

// ---- writing PDF objects

pub(super) fn write_name(n: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in n {
        if b.is_ascii_alphanumeric() || b"-_.+,;:@*'!&=~".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

pub(super) fn write_obj(o: &Object, out: &mut Vec<u8>) -> Result<()> {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(format_real(f64::from(*r)).as_bytes()),
        Object::Name(n) => write_name(n, out),
        Object::String(s, _) => {
            out.push(b'<');
            out.extend_from_slice(hex::encode(s).as_bytes());
            out.push(b'>');
        }
        Object::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_obj(x, out)?;
            }
            out.push(b']');
        }
        Object::Dictionary(d) => write_dict(d, out)?,
        Object::Reference((id, g)) => out.extend_from_slice(format!("{id} {g} R").as_bytes()),
        Object::Stream(_) => return Err(malforme("flux inattendu dans un objet à réécrire")),
    }
    Ok(())
}

pub(super) fn write_dict(d: &Dictionary, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(b"<<");
    for (k, v) in d.iter() {
        write_name(k, out);
        out.push(b' ');
        write_obj(v, out)?;
    }
    out.extend_from_slice(b">>");
    Ok(())
}

fn format_real(r: f64) -> String {
    let s = format!("{r:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.into()
    }
}

fn pdf_text(s: &str) -> Vec<u8> {
    // PDFDocEncoding/WinAnsi agree with Latin-1 for French letters; UTF-16BE otherwise.
    if s.chars()
        .all(|c| (c as u32) < 0x80 || ((c as u32) >= 0xA0 && (c as u32) <= 0xFF))
    {
        s.chars().map(|c| c as u32 as u8).collect()
    } else {
        let mut v = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        v
    }
}

fn literal(bytes: &[u8]) -> String {
    let mut s = String::from("(");
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                s.push('\\');
                s.push(char::from(b));
            }
            0x20..=0x7E => s.push(char::from(b)),
            _ => s.push_str(&format!("\\{b:03o}")),
        }
    }
    s.push(')');
    s
}

fn pdf_date(d: DateTime<Utc>) -> String {
    d.format("D:%Y%m%d%H%M%SZ").to_string()
}

pub(super) fn parse_pdf_date(b: &[u8]) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(b).ok()?;
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = s.get(digits.len()..).unwrap_or("");
    let full = format!("{:0<14}", digits);
    let naive = chrono::NaiveDateTime::parse_from_str(full.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
            let h: i64 = nums.get(..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let m: i64 = nums.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let secs = h * 3600 + m * 60;
            if sign == '+' { secs } else { -secs }
        }
        _ => 0,
    };
    Some(naive.and_utc() - chrono::Duration::seconds(offset))
}

pub(super) fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// Bytes reserved for a document timestamp token (a TSA chain of a few certificates).
const RESERVE_HORODATAGE: usize = 16_000;

const BR_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";

/// What the new signature field holds: a signature of a person, or a document timestamp
/// (PAdES B-LTA, ETSI EN 319 142-1 5.4: `/Type /DocTimeStamp`, `/SubFilter /ETSI.RFC3161`).
pub(crate) enum Genre<'a> {
    Signature(&'a Signataire, &'a OptionsSignature),
    HorodatageDocument(AlgorithmeEmpreinte),
}

/// Prepare the incremental update; return the DER signed attributes and the state.
pub(crate) fn preparer(
    pdf: Vec<u8>,
    signer: &Signataire,
    opts: &OptionsSignature,
) -> Result<(Vec<u8>, EtatPades)> {
    let (digest, etat) = preparer_champ(pdf, &Genre::Signature(signer, opts))?;
    let attrs = cms::signed_attributes(&digest, signer.certificat(), signer.empreinte(), None)?;
    let attrs_der = der::Encode::to_der(&attrs).map_err(super::super::asn1::der_err)?;
    Ok((attrs_der, etat))
}

/// The first revision step shared by signatures and document timestamps: the field, its
/// widget and its dictionary with a zeroed `/Contents`; returns the digest of the
/// `/ByteRange` bytes and the state.
pub(crate) fn preparer_champ(pdf: Vec<u8>, genre: &Genre<'_>) -> Result<(Vec<u8>, EtatPades)> {
    let (apparence, page_no) = match genre {
        Genre::Signature(_, opts) => (
            opts.pades.apparence.as_ref(),
            opts.pades.apparence.as_ref().map_or(1, |a| a.page),
        ),
        Genre::HorodatageDocument(_) => (None, 1),
    };
    let doc = load(&pdf)?;
    let prev = startxref(&pdf)?;
    let xref_stream = !pdf.get(prev..).unwrap_or_default().starts_with(b"xref");
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| malforme("/Root absent du trailer"))?;
    let mut catalog = doc
        .get_dictionary(root_id)
        .map_err(|_| malforme("catalogue illisible"))?
        .clone();
    let pages = doc.get_pages();
    let page_id = *pages.get(&page_no).ok_or_else(|| {
        Erreur::invalid_argument(format!(
            "page {page_no} absente (le PDF a {} page(s))",
            pages.len()
        ))
    })?;
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0);
    let mut next_id = size.max(doc.max_id + 1);
    let mut alloc = || {
        let id = next_id;
        next_id += 1;
        id
    };
    let sig_id = alloc();
    let widget_id = alloc();
    let ap_id = apparence.map(|_| alloc());

    // Objects rewritten in this revision: (id, gen, serialized body).
    let mut updated: Vec<(ObjectId, Vec<u8>)> = vec![];

    // AcroForm and its Fields.
    let (acro_ref, mut acro) = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => (
            Some(*id),
            doc.get_dictionary(*id)
                .map_err(|_| malforme("AcroForm illisible"))?
                .clone(),
        ),
        Ok(Object::Dictionary(d)) => (None, d.clone()),
        _ => (None, Dictionary::new()),
    };
    let (fields_ref, mut fields) = match acro.get(b"Fields") {
        Ok(Object::Reference(id)) => (
            Some(*id),
            doc.get_object(*id)
                .and_then(Object::as_array)
                .map_err(|_| malforme("Fields illisible"))?
                .clone(),
        ),
        Ok(Object::Array(a)) => (None, a.clone()),
        _ => (None, vec![]),
    };
    let existing_names: Vec<Vec<u8>> = fields
        .iter()
        .filter_map(|f| deref(&doc, f))
        .filter_map(|f| f.as_dict().ok())
        .filter_map(|d| {
            d.get(b"T")
                .ok()
                .and_then(|t| t.as_str().ok())
                .map(<[u8]>::to_vec)
        })
        .collect();
    let mut n = existing_names.len() + 1;
    while existing_names
        .iter()
        .any(|x| x == format!("Signature{n}").as_bytes())
    {
        n += 1;
    }
    let field_name = format!("Signature{n}");
    fields.push(Object::Reference((widget_id, 0)));
    if let Some(id) = fields_ref {
        let mut body = vec![];
        write_obj(&Object::Array(fields), &mut body)?;
        updated.push((id, body));
    } else {
        acro.set("Fields", Object::Array(fields));
    }
    acro.set("SigFlags", Object::Integer(3));
    if let Some(id) = acro_ref {
        let mut body = vec![];
        write_dict(&acro, &mut body)?;
        updated.push((id, body));
    } else {
        catalog.set("AcroForm", Object::Dictionary(acro));
        let mut body = vec![];
        write_dict(&catalog, &mut body)?;
        updated.push((root_id, body));
    }

    // The page's Annots.
    let mut page = doc
        .get_dictionary(page_id)
        .map_err(|_| malforme("page illisible"))?
        .clone();
    match page.get(b"Annots") {
        Ok(Object::Reference(id)) => {
            let mut annots = doc
                .get_object(*id)
                .and_then(Object::as_array)
                .map_err(|_| malforme("Annots illisible"))?
                .clone();
            annots.push(Object::Reference((widget_id, 0)));
            let mut body = vec![];
            write_obj(&Object::Array(annots), &mut body)?;
            updated.push((*id, body));
        }
        other => {
            let mut annots = match other {
                Ok(Object::Array(a)) => a.clone(),
                _ => vec![],
            };
            annots.push(Object::Reference((widget_id, 0)));
            page.set("Annots", Object::Array(annots));
            let mut body = vec![];
            write_dict(&page, &mut body)?;
            updated.push((page_id, body));
        }
    }

    // New objects.
    let (name, reserve, entete, alg) = match genre {
        Genre::Signature(signer, opts) => {
            let cert = signer.certificat();
            let cn = super::super::rapport::info_certificat(cert);
            let name = cn.nom_commun.clone().unwrap_or(cn.sujet.clone());
            let certs_len: usize = std::iter::once(cert)
                .chain(signer.chaine())
                .map(|c| {
                    der::Encode::encoded_len(c)
                        .ok()
                        .and_then(|l| usize::try_from(u32::from(l)).ok())
                        .unwrap_or(2048)
                })
                .sum();
            let reserve = opts
                .pades
                .reserve
                .unwrap_or(certs_len + signer.signature_len() * 2 + 12_000);
            (
                name,
                reserve,
                "/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached",
                signer.empreinte(),
            )
        }
        // A token with the TSA's chain: a few kilobytes.
        Genre::HorodatageDocument(alg) => (
            String::new(),
            RESERVE_HORODATAGE,
            "/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161",
            *alg,
        ),
    };
    let contents_len = reserve * 2;
    let mut sig = format!("<<{entete} /ByteRange {BR_PLACEHOLDER} /Contents <").into_bytes();
    let contents_rel = sig.len();
    sig.extend(std::iter::repeat_n(b'0', contents_len));
    sig.push(b'>');
    if let Genre::Signature(_, opts) = genre {
        sig.extend_from_slice(
            format!(
                " /M {} /Name {}",
                literal(pdf_date(opts.date).as_bytes()),
                literal(&pdf_text(&name))
            )
            .as_bytes(),
        );
        if let Some(r) = &opts.pades.raison {
            sig.extend_from_slice(format!(" /Reason {}", literal(&pdf_text(r))).as_bytes());
        }
        if let Some(l) = &opts.pades.lieu {
            sig.extend_from_slice(format!(" /Location {}", literal(&pdf_text(l))).as_bytes());
        }
    }
    sig.extend_from_slice(b">>");

    let rect = apparence.map_or([0.0; 4], |a| a.rect);
    let mut widget = format!(
        "<</Type /Annot /Subtype /Widget /FT /Sig /T {} /V {sig_id} 0 R /F 132 /P {} {} R /Rect [{} {} {} {}]",
        literal(field_name.as_bytes()),
        page_id.0,
        page_id.1,
        format_real(rect[0]),
        format_real(rect[1]),
        format_real(rect[2]),
        format_real(rect[3]),
    );
    let mut ap_obj = None;
    if let (Some(ap_id), Some(app), Genre::Signature(_, opts)) = (ap_id, apparence, genre) {
        widget.push_str(&format!(" /AP <</N {ap_id} 0 R>>"));
        let w = (rect[2] - rect[0]).abs().max(1.0);
        let h = (rect[3] - rect[1]).abs().max(1.0);
        let date = opts
            .date
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("le %d/%m/%Y à %H:%M")
            .to_string();
        let mut lines = vec!["Signé électroniquement par".to_string(), name.clone(), date];
        if let Some(t) = &app.texte {
            lines.push(t.clone());
        }
        let size = (h / (lines.len() as f64 + 1.0)).clamp(4.0, 10.0);
        let mut content = format!(
            "q 0.94 0.96 1 rg 0 0 {w} {h} re f 0.2 0.3 0.6 RG 0.8 w 0.4 0.4 {wi} {hi} re S BT /F1 {s} Tf 0 0 0 rg 4 {y} Td",
            w = format_real(w),
            h = format_real(h),
            wi = format_real(w - 0.8),
            hi = format_real(h - 0.8),
            s = format_real(size),
            y = format_real(h - size - 3.0),
        );
        for (i, l) in lines.iter().enumerate() {
            let bytes: Vec<u8> = l
                .chars()
                .map(|c| {
                    if (c as u32) <= 0xFF {
                        c as u32 as u8
                    } else {
                        b'?'
                    }
                })
                .collect();
            if i > 0 {
                content.push_str(&format!(" 0 -{} Td", format_real(size + 2.0)));
            }
            content.push_str(&format!(" {} Tj", literal(&bytes)));
        }
        content.push_str(" ET Q");
        ap_obj = Some((
            ap_id,
            format!(
                "<</Type /XObject /Subtype /Form /BBox [0 0 {} {}] /Resources <</Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>>>>> /Length {}>>\nstream\n{}\nendstream",
                format_real(w),
                format_real(h),
                content.len(),
                content
            )
            .into_bytes(),
        ));
    }
    widget.push_str(">>");

    // Write the revision.
    let mut out = pdf;
    let original_len = out.len();
    if !out.ends_with(b"\n") && !out.ends_with(b"\r") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(ObjectId, usize)> = vec![];
    let mut emit = |out: &mut Vec<u8>, id: ObjectId, body: &[u8]| {
        offsets.push((id, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let sig_offset = out.len() + format!("{sig_id} 0 obj\n").len();
    emit(&mut out, (sig_id, 0), &sig);
    emit(&mut out, (widget_id, 0), widget.as_bytes());
    if let Some((id, body)) = &ap_obj {
        emit(&mut out, (*id, 0), body);
    }
    for (id, body) in &updated {
        emit(&mut out, *id, body);
    }
    terminer_revision(
        &mut out,
        &doc,
        offsets,
        Fin {
            xref_stream,
            prev,
            root_id,
            next_id,
        },
    )?;
    debug_assert!(out.len() > original_len);

    // ByteRange: everything but <...> of /Contents.
    let contents_start = sig_offset + contents_rel;
    let lt = contents_start - 1;
    let gt_end = contents_start + contents_len + 1;
    let br = format!("[0 {} {} {}]", lt, gt_end, out.len() - gt_end);
    let br_pos = sig_offset
        + sig
            .windows(BR_PLACEHOLDER.len())
            .position(|w| w == BR_PLACEHOLDER.as_bytes())
            .unwrap_or(0);
    if br.len() > BR_PLACEHOLDER.len() {
        return Err(malforme("PDF trop grand pour /ByteRange"));
    }
    let padded = format!("{br:<width$}", width = BR_PLACEHOLDER.len());
    out.get_mut(br_pos..br_pos + padded.len())
        .ok_or_else(|| Erreur::internal("ByteRange hors du fichier"))?
        .copy_from_slice(padded.as_bytes());

    let mut h = Hasher::new(alg);
    h.update(out.get(..lt).unwrap_or_default());
    h.update(out.get(gt_end..).unwrap_or_default());
    let digest = h.finish();
    Ok((
        digest,
        EtatPades {
            pdf: out,
            contents_start,
            contents_len,
        },
    ))
}

/// Where the previous revision ends and what the new trailer must repeat.
pub(super) struct Fin {
    pub xref_stream: bool,
    pub prev: usize,
    pub root_id: ObjectId,
    /// The first object number not used yet.
    pub next_id: u32,
}

/// The cross-reference section (a table or a stream, as the previous one) and the trailer
/// of an incremental update whose objects were written at `offsets`.
pub(super) fn terminer_revision(
    out: &mut Vec<u8>,
    doc: &Document,
    mut offsets: Vec<(ObjectId, usize)>,
    mut fin: Fin,
) -> Result<()> {
    let mut trailer_extra = String::new();
    for key in [b"Info".as_slice(), b"ID".as_slice()] {
        if let Ok(v) = doc.trailer.get(key) {
            let mut b = vec![];
            write_name(key, &mut b);
            b.push(b' ');
            write_obj(v, &mut b)?;
            trailer_extra.push(' ');
            trailer_extra.push_str(&String::from_utf8_lossy(&b));
        }
    }
    if fin.xref_stream {
        let xid = fin.next_id;
        fin.next_id += 1;
        let xoff = out.len();
        offsets.push(((xid, 0), xoff));
        offsets.sort();
        let mut index = String::new();
        let mut data = vec![];
        for ((id, gen_), off) in &offsets {
            index.push_str(&format!("{id} 1 "));
            data.push(1u8);
            data.extend_from_slice(
                &u32::try_from(*off)
                    .map_err(|_| malforme("PDF trop grand"))?
                    .to_be_bytes(),
            );
            data.extend_from_slice(&gen_.to_be_bytes());
        }
        out.extend_from_slice(
            format!(
                "{xid} 0 obj\n<</Type /XRef /Size {} /W [1 4 2] /Index [{}] /Prev {} /Root {} {} R{trailer_extra} /Length {}>>\nstream\n",
                xid + 1,
                index.trim_end(),
                fin.prev,
                fin.root_id.0,
                fin.root_id.1,
                data.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&data);
        out.extend_from_slice(
            format!("\nendstream\nendobj\nstartxref\n{xoff}\n%%EOF\n").as_bytes(),
        );
    } else {
        let xoff = out.len();
        offsets.sort();
        out.extend_from_slice(b"xref\n");
        for ((id, gen_), off) in &offsets {
            out.extend_from_slice(format!("{id} 1\n{off:010} {gen_:05} n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {} /Root {} {} R /Prev {}{trailer_extra}>>\nstartxref\n{xoff}\n%%EOF\n",
                fin.next_id, fin.root_id.0, fin.root_id.1, fin.prev
            )
            .as_bytes(),
        );
    }
    Ok(())
}

fn put_contents(pdf: &mut [u8], start: usize, len: usize, cms: &[u8]) -> Result<()> {
    let hexed = hex::encode(cms);
    if hexed.len() > len {
        return Err(Erreur::new(
            CodeErreur::EspaceSignatureInsuffisant,
            format!(
                "signature de {} octets, place réservée {} octets",
                cms.len(),
                len / 2
            ),
        ));
    }
    let slot = pdf
        .get_mut(start..start + len)
        .ok_or_else(|| Erreur::internal("/Contents hors du fichier"))?;
    slot.fill(b'0');
    slot.get_mut(..hexed.len())
        .unwrap_or_default()
        .copy_from_slice(hexed.as_bytes());
    Ok(())
}

pub(crate) fn assembler(etat: &EtatPades, cms_der: &[u8]) -> Result<Vec<u8>> {
    let mut pdf = etat.pdf.clone();
    put_contents(&mut pdf, etat.contents_start, etat.contents_len, cms_der)?;
    Ok(pdf)
}

pub(crate) fn verifier(pdf: &[u8], opts: &OptionsVerification) -> Result<Vec<RapportSignature>> {
    verification::verifier(pdf, opts, opts.limites_pdf)
}

/// Verify within limits chosen by the host (tighter than the defaults).
#[allow(dead_code)]
pub fn verifier_pdf_limites(
    pdf: &[u8],
    opts: &OptionsVerification,
    limites: LimitesPdf,
) -> Result<Vec<RapportSignature>> {
    verification::verifier(pdf, opts, limites)
}

/// What each revision added after each signature changed, and in which category
/// (`docs/pades-revisions.md`): one entry per signature (its field name, its revisions).
pub fn revisions_pdf(
    pdf: &[u8],
    limites: LimitesPdf,
) -> Result<Vec<(Option<String>, Vec<RevisionPdf>)>> {
    verification::revisions(pdf, limites)
}

/// The CMS of the signature that covers the whole file (the last one).
pub(crate) fn last_cms(pdf: &[u8]) -> Result<Vec<u8>> {
    verification::cms_de(&verification::derniere(pdf)?)
}

/// Put a signature timestamp into the last signature's CMS, in place (the `/Contents`
/// space is reserved for it; the ByteRange and the signed bytes do not change).
pub(crate) fn add_timestamp(pdf: &[u8], token: &[u8]) -> Result<Vec<u8>> {
    let cv = verification::derniere(pdf)?;
    if cv.fin != pdf.len() {
        return Err(Erreur::new(
            CodeErreur::PdfModifieApresSignature,
            "la dernière signature ne couvre pas tout le fichier",
        ));
    }
    let cms_der = verification::cms_de(&cv)?;
    let new_cms = cms::add_signature_timestamp(&cms_der, token)?;
    let mut out = pdf.to_vec();
    put_contents(&mut out, cv.b + 1, cv.c - cv.b - 2, &new_cms)?;
    Ok(out)
}
