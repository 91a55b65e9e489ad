//! PAdES B-LT and B-LTA (ETSI EN 319 142-1, 5.4): the document security store (`/DSS`
//! in the catalog: `/Certs`, `/OCSPs`, `/CRLs`, streams of DER) written by incremental
//! update, the document timestamp (`/DocTimeStamp`, `ETSI.RFC3161`), and reading both
//! back for the verification.

use lopdf::{Dictionary, Object, ObjectId};

use super::super::long_terme::DonneesValidation;
use super::super::signer::AlgorithmeEmpreinte;
use super::EtatPades;
use super::lecteur::Lecteur;
use super::limites::LimitesPdf;
use super::moteur::{
    Fin, Genre, deref, load, malforme, preparer_champ, startxref, terminer_revision, write_dict,
};
use super::syntaxe::contient_byterange;
use super::verification::{cms_de, couverture, signatures};
use crate::Result;

const CLES: [&[u8]; 3] = [b"Certs", b"OCSPs", b"CRLs"];

/// The contents of a stream object, decoded.
fn contenu(doc: &lopdf::Document, o: &Object) -> Option<Vec<u8>> {
    let s = deref(doc, o)?.as_stream().ok()?;
    if s.dict.has(b"Filter") {
        s.decompressed_content().ok()
    } else {
        Some(s.content.clone())
    }
}

/// The incremental update adding `d` to the DSS (created, or extended: its entries kept,
/// the same bytes never stored twice).
pub(crate) fn ajouter_dss(pdf: &[u8], d: &DonneesValidation) -> Result<Vec<u8>> {
    let doc = load(pdf)?;
    let prev = startxref(pdf)?;
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
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0);
    let mut next_id = size.max(doc.max_id + 1);
    let ancien: Option<Dictionary> = catalog
        .get(b"DSS")
        .ok()
        .and_then(|o| deref(&doc, o))
        .and_then(|o| o.as_dict().ok())
        .cloned();
    let mut dss = Dictionary::new();
    dss.set("Type", Object::Name(b"DSS".to_vec()));
    let mut flux: Vec<(ObjectId, Vec<u8>)> = vec![];
    for (cle, nouveaux) in CLES.iter().zip([&d.certificats, &d.reponses_ocsp, &d.crls]) {
        let mut refs: Vec<Object> = ancien
            .as_ref()
            .and_then(|a| a.get(cle).ok())
            .and_then(|o| deref(&doc, o))
            .and_then(|o| o.as_array().ok())
            .cloned()
            .unwrap_or_default();
        let mut deja: Vec<Vec<u8>> = refs.iter().filter_map(|o| contenu(&doc, o)).collect();
        for n in nouveaux.iter() {
            if deja.contains(n) {
                continue;
            }
            let id = (next_id, 0);
            next_id += 1;
            let mut corps = format!("<</Length {}>>\nstream\n", n.len()).into_bytes();
            corps.extend_from_slice(n);
            corps.extend_from_slice(b"\nendstream");
            flux.push((id, corps));
            refs.push(Object::Reference(id));
            deja.push(n.clone());
        }
        if !refs.is_empty() {
            dss.set(*cle, Object::Array(refs));
        }
    }
    // Per-signature entries of an earlier DSS stay as they were.
    if let Some(vri) = ancien.as_ref().and_then(|a| a.get(b"VRI").ok()) {
        dss.set("VRI", vri.clone());
    }
    let dss_id = (next_id, 0);
    next_id += 1;
    catalog.set("DSS", Object::Reference(dss_id));

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") && !out.ends_with(b"\r") {
        out.push(b'\n');
    }
    let mut offsets = vec![];
    let mut corps_dss = vec![];
    write_dict(&dss, &mut corps_dss)?;
    let mut corps_cat = vec![];
    write_dict(&catalog, &mut corps_cat)?;
    for (id, corps) in flux
        .iter()
        .chain([(dss_id, corps_dss), (root_id, corps_cat)].iter())
    {
        offsets.push((*id, out.len()));
        out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
        out.extend_from_slice(corps);
        out.extend_from_slice(b"\nendobj\n");
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
    Ok(out)
}

/// The revision of a document timestamp with its `/Contents` zeroed, and the digest of its
/// `/ByteRange` bytes (what the token must carry).
pub(crate) fn preparer_horodatage(
    pdf: Vec<u8>,
    alg: AlgorithmeEmpreinte,
) -> Result<(Vec<u8>, EtatPades)> {
    preparer_champ(pdf, &Genre::HorodatageDocument(alg))
}

/// Every CMS of the file: signatures and document timestamp tokens.
pub(crate) fn tous_les_cms(pdf: &[u8]) -> Result<Vec<Vec<u8>>> {
    if !contient_byterange(pdf) {
        return Ok(vec![]);
    }
    let l = Lecteur::ouvrir(pdf, LimitesPdf::default())?;
    let mut out = vec![];
    for s in signatures(&l)? {
        let cv = couverture(pdf, &s)?;
        out.push(cms_de(&cv)?);
    }
    Ok(out)
}

/// What the DSS of the last revision holds (streams decoded; an unreadable entry is left
/// out, as a validator ignores data it cannot use).
pub(super) fn lire_dss(l: &Lecteur<'_>) -> Result<DonneesValidation> {
    let etat = l.etat(0);
    let (_, cat) = etat.catalogue()?;
    let mut d = DonneesValidation::default();
    let Ok(o) = cat.get(b"DSS") else {
        return Ok(d);
    };
    let Some(dss) = etat.dict(o)? else {
        return Ok(d);
    };
    for (cle, v) in CLES
        .iter()
        .zip([&mut d.certificats, &mut d.reponses_ocsp, &mut d.crls])
    {
        let Ok(a) = dss.get(cle) else { continue };
        let a = etat.resoudre(a)?;
        let Object::Array(a) = a.as_ref() else {
            continue;
        };
        for x in a {
            if let Object::Stream(s) = etat.resoudre(x)?.as_ref()
                && let Ok(b) = l.decoder(s)
            {
                v.push(b);
            }
        }
    }
    Ok(d)
}
