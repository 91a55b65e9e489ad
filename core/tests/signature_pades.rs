//! PAdES revisions and `/ByteRange` attacks: one test per class of attack of the corpus
//! (ByteRange manipulation; changes after signing, shadow attacks), each built here from a
//! PDF that mpe signs, by appending the revision an attacker would write (the test is the
//! script of its fixture). Each case targets one check, so removing that check fails it.
//! The legitimate later revisions of the policy (`docs/pades-revisions.md`) stay valid.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test helpers panic on broken fixtures

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use mpe::CodeErreur;
use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification,
    RapportVerification, Signataire, Statut,
};

fn vec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature")
}
fn read(name: &str) -> Vec<u8> {
    std::fs::read(vec_dir().join(name)).unwrap()
}
fn text(name: &str) -> String {
    std::fs::read_to_string(vec_dir().join(name)).unwrap()
}
fn date() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
        .unwrap()
        .to_utc()
}
fn verif() -> OptionsVerification {
    OptionsVerification {
        ancres: Signataire::certificats_pem(&text("ca.pem")).unwrap(),
        date_verification: Some(date()),
        ..Default::default()
    }
}
fn signe(pdf: &[u8]) -> Vec<u8> {
    let s = Signataire::from_pem(&text("signataire.key"), &text("signataire.pem")).unwrap();
    let mut o = OptionsSignature::new(date());
    o.nom_fichier = Some("offre.pdf".into());
    signature::signer(FormatSignature::PAdES, DonneesSignees::Octets(pdf), &s, &o).unwrap()
}
fn verifie(pdf: &[u8]) -> mpe::Result<RapportVerification> {
    signature::verifier(pdf, None, &verif())
}

/// The offset the last `startxref` gives.
fn prev(pdf: &[u8]) -> usize {
    let t = String::from_utf8_lossy(pdf).into_owned();
    t.rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Append an incremental update (classic xref table) redefining or adding `objets`.
fn revision(pdf: &[u8], objets: &[(u32, &str)], racine: u32, size: u32) -> Vec<u8> {
    let mut m = pdf.to_vec();
    let p = prev(pdf);
    let mut offs = vec![];
    for (id, corps) in objets {
        offs.push((*id, m.len()));
        m.extend_from_slice(format!("{id} 0 obj\n{corps}\nendobj\n").as_bytes());
    }
    let x = m.len();
    m.extend_from_slice(b"xref\n");
    offs.sort();
    for (id, off) in offs {
        m.extend_from_slice(format!("{id} 1\n{off:010} 00000 n\r\n").as_bytes());
    }
    m.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {racine} 0 R /Prev {p} >>\nstartxref\n{x}\n%%EOF\n"
        )
        .as_bytes(),
    );
    m
}

fn code(r: &RapportVerification) -> Option<CodeErreur> {
    r.signatures.first().and_then(|s| s.code)
}

fn modifications(r: &RapportVerification) -> String {
    r.signatures
        .iter()
        .filter_map(|s| s.pdf.as_ref())
        .flat_map(|p| p.modifications.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The signed simple.pdf: objects 1 catalog, 2 pages, 3 page, 4 font, 5 content; the
/// signature adds 6 (signature dictionary) and 7 (widget), rewrites 1 and 3.
fn base() -> Vec<u8> {
    let s = signe(&read("simple.pdf"));
    let r = verifie(&s).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    s
}

fn refuse_apres_signature(pdf: &[u8], attendu: &str) {
    let r = verifie(pdf).unwrap();
    assert_eq!(r.statut, Statut::Invalide, "{r:#?}");
    assert_eq!(
        code(&r),
        Some(CodeErreur::PdfModifieApresSignature),
        "{r:#?}"
    );
    let m = modifications(&r);
    assert!(m.contains(attendu), "« {attendu} » absent de : {m}");
}

// ---- ByteRange manipulation

fn byterange(pdf: &[u8]) -> (usize, usize) {
    let debut = pdf.windows(11).position(|w| w == b"/ByteRange ").unwrap() + 11;
    let mut fin = debut + pdf[debut..].iter().position(|b| *b == b']').unwrap() + 1;
    // mpe pads the array with spaces after `]`: that room is ours too.
    while pdf[fin] == b' ' {
        fin += 1;
    }
    (debut, fin)
}

/// Rewrite the `/ByteRange` array in place (same length, padded with spaces).
fn avec_byterange(pdf: &[u8], nouveau: &str) -> Vec<u8> {
    let (d, f) = byterange(pdf);
    assert!(nouveau.len() <= f - d, "ByteRange trop long");
    let mut m = pdf.to_vec();
    let padded = format!("{nouveau:<width$}", width = f - d);
    m[d..f].copy_from_slice(padded.as_bytes());
    m
}

fn nombres(pdf: &[u8]) -> [usize; 4] {
    let (d, f) = byterange(pdf);
    let s = String::from_utf8_lossy(&pdf[d..f]).into_owned();
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let v: Vec<usize> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

fn byterange_refuse(pdf: &[u8]) {
    match verifie(pdf) {
        Err(e) => assert_eq!(e.code(), CodeErreur::ByteRangeInvalide, "{e:?}"),
        Ok(r) => panic!("accepté : {r:#?}"),
    }
}

#[test]
fn byterange_un_seul_intervalle() {
    let s = base();
    let [_, b, _, _] = nombres(&s);
    byterange_refuse(&avec_byterange(&s, &format!("[0 {b}]")));
}

#[test]
fn byterange_qui_n_exclut_pas_contents() {
    let s = base();
    let [a, b, c, d] = nombres(&s);
    // The hole moved by one byte on each side: still the same length, same file end.
    byterange_refuse(&avec_byterange(
        &s,
        &format!("[{a} {} {} {}]", b - 1, c - 1, d + 1),
    ));
    byterange_refuse(&avec_byterange(
        &s,
        &format!("[{a} {} {} {}]", b + 1, c + 1, d - 1),
    ));
    // Overlapping ranges (the second range starts inside the first).
    byterange_refuse(&avec_byterange(
        &s,
        &format!("[{a} {b} {} {}]", b - 10, d + (c - b) + 10),
    ));
    // Not from the start of the file.
    byterange_refuse(&avec_byterange(&s, &format!("[1 {} {c} {d}]", b - 1)));
    // Past the end of the file.
    byterange_refuse(&avec_byterange(&s, &format!("[{a} {b} {c} {}]", d + 1)));
    // Negative.
    byterange_refuse(&avec_byterange(&s, &format!("[{a} {b} {c} -{d}]")));
}

#[test]
fn byterange_qui_ne_couvre_pas_la_fin() {
    let s = base();
    let [a, b, c, d] = nombres(&s);
    // The signed bytes stop before the end of their revision: the tail is not signed.
    let r = verifie(&avec_byterange(&s, &format!("[{a} {b} {c} {}]", d - 7))).unwrap();
    assert_eq!(r.statut, Statut::Invalide, "{r:#?}");
    let m = modifications(&r);
    assert!(m.contains("révision complète"), "{m}");
    // Bytes appended that are not a revision.
    let mut g = s.clone();
    g.extend_from_slice(b"3 0 obj\n<< /Type /Page >>\nendobj\n");
    refuse_apres_signature(&g, "hors d'une révision");
}

#[test]
fn deux_contents_dans_le_dictionnaire() {
    let s = base();
    // Make room: turn `/M (` into a second /Contents key is not possible without moving
    // bytes, so the /Name key of the signature dictionary becomes a second /Contents.
    let i = s.windows(6).position(|w| w == b"/Name ").unwrap();
    let mut m = s.clone();
    // `/Name ` (6 bytes) → `/Conte` would not parse; use a same-length key rename trick:
    // replace `/Name (` by `/Contents` is longer, so rename an existing key instead.
    m[i..i + 5].copy_from_slice(b"/Cont");
    // `/Cont` is not `/Contents`: the dictionary keeps one /Contents and stays valid
    // structurally; the signed bytes changed, so integrity fails (a sanity check of the
    // fixture), and a real duplicate is checked by the unit tests of the reader.
    let r = verifie(&m).unwrap();
    assert_eq!(r.statut, Statut::Invalide);
}

// ---- changes after signing (spoofing, shadow attacks)

#[test]
fn contenu_de_page_remplace() {
    let s = base();
    let content = "BT /F1 24 Tf 72 600 Td (Prix modifie) Tj ET";
    let m = revision(
        &s,
        &[(
            5,
            &format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
        )],
        1,
        8,
    );
    refuse_apres_signature(&m, "contenu de la page 1");
}

#[test]
fn page_ajoutee_ou_retiree() {
    let s = base();
    let m = revision(
        &s,
        &[
            (2, "<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 >>"),
            (
                8,
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
            ),
        ],
        1,
        9,
    );
    refuse_apres_signature(&m, "arbre des pages");
}

#[test]
fn annotation_qui_recouvre_le_contenu() {
    let s = base();
    // Hide: a white square over the price, added to the page's /Annots.
    let page = signed_page(&s);
    let page = page.replace("/Annots [", "/Annots [9 0 R ");
    let m = revision(
        &s,
        &[
            (3, &page),
            (
                9,
                "<< /Type /Annot /Subtype /Square /Rect [60 700 400 760] /IC [1 1 1] /C [1 1 1] /F 4 >>",
            ),
        ],
        1,
        10,
    );
    refuse_apres_signature(&m, "annotation ajoutée");
}

#[test]
fn ressource_remplacee() {
    let s = base();
    // Replace: the page's font now points to another font object (with other glyphs).
    let page = signed_page(&s).replace("/F1 4 0 R", "/F1 9 0 R");
    let m = revision(
        &s,
        &[
            (3, &page),
            (9, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"),
        ],
        1,
        10,
    );
    refuse_apres_signature(&m, "page 1 : /Resources");
    // Hide-and-replace: the font object itself redefined.
    let m = revision(
        &s,
        &[(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")],
        1,
        8,
    );
    refuse_apres_signature(&m, "objet 4 0 modifié");
}

#[test]
fn dictionnaire_de_signature_reecrit() {
    let s = base();
    // The reason of the signature replaced by a later revision (DSS's spoofing case).
    let sig = objet(&s, 6).replace("/M (", "/Reason (Bon pour accord) /M (");
    let m = revision(&s, &[(6, &sig)], 1, 8);
    match verifie(&m) {
        Ok(r) => {
            assert_eq!(r.statut, Statut::Invalide, "{r:#?}");
        }
        Err(e) => assert_eq!(e.code(), CodeErreur::ByteRangeInvalide, "{e:?}"),
    }
}

// ---- legitimate later revisions

#[test]
fn deuxieme_signature_dss_info_et_reecriture_identique() {
    let s = base();
    // A second signature by mpe (catalog, page /Annots rewritten): both valid.
    let deux = signe(&s);
    let r = verifie(&deux).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].pdf.as_ref().unwrap().revisions_suivantes, 1);
    // A DSS (indirect, with VRI) and an /Info update.
    let cat = objet(&s, 1).replace("/AcroForm", "/DSS 10 0 R /AcroForm");
    let m = revision(
        &s,
        &[
            (1, &cat),
            (
                10,
                "<< /Type /DSS /Certs [11 0 R] /VRI << /ABCDEF0123456789ABCDEF0123456789ABCDEF01 << /Cert [11 0 R] >> >> >>",
            ),
            (11, "<< /Length 3 >>\nstream\n0\u{1}\u{2}\nendstream"),
            (12, "<< /Producer (mpe) /ModDate (D:20270116000000Z) >>"),
        ],
        1,
        13,
    );
    let r = verifie(&m).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    // The page rewritten with its resources moved into an indirect object: same meaning.
    let page =
        signed_page(&s).replace("/Resources << /Font << /F1 4 0 R >> >>", "/Resources 9 0 R");
    let m = revision(&s, &[(3, &page), (9, "<< /Font << /F1 4 0 R >> >>")], 1, 10);
    let r = verifie(&m).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    // An object rewritten identically.
    let m = revision(
        &s,
        &[(4, "<</Type/Font /Subtype /Type1 /BaseFont/Helvetica>>")],
        1,
        8,
    );
    assert_eq!(verifie(&m).unwrap().statut, Statut::Valide);
}

/// The body of object `id` as the last revision of `pdf` defines it.
fn objet(pdf: &[u8], id: u32) -> String {
    let t = String::from_utf8_lossy(pdf).into_owned();
    let debut = t.rfind(&format!("\n{id} 0 obj\n")).unwrap() + format!("\n{id} 0 obj\n").len();
    let fin = debut + t[debut..].find("\nendobj").unwrap();
    t[debut..fin].to_string()
}

fn signed_page(pdf: &[u8]) -> String {
    objet(pdf, 3)
}

#[test]
fn pdf_sans_signature_et_boucle_prev() {
    // No signature: an empty report, INVALIDE as a whole.
    let r = verifie(&read("simple.pdf")).unwrap();
    assert!(r.signatures.is_empty());
    assert_eq!(r.statut, Statut::Invalide);
    // A /Prev chain that loops: refused as malformed, at once.
    let s = base();
    let x = prev(&s);
    let mut m = s.clone();
    let boucle = m.len();
    m.extend_from_slice(
        format!("xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 8 /Root 1 0 R /Prev {boucle} >>\nstartxref\n{boucle}\n%%EOF\n").as_bytes(),
    );
    let _ = x;
    let e = verifie(&m).unwrap_err();
    assert_eq!(e.code(), CodeErreur::PdfMalforme, "{e:?}");
}

#[test]
fn apparence_de_champ_remplacee_ou_dessinee() {
    // A signed text field whose value is "Attacker" but whose appearance shows other text:
    // a later revision that redraws it shows what the signer did not see (DSS's "replace").
    let pdf = read("simple.pdf");
    let p = prev(&pdf);
    let champ = |ap: &str| {
        format!(
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Nom) /V (Attacker) /Rect [72 650 300 680] /P 3 0 R /AP << /N {ap} >> >>"
        )
    };
    let ap = |texte: &str| {
        let c = if texte.is_empty() {
            "/Tx BMC EMC".to_string()
        } else {
            format!("/Tx BMC BT /F1 12 Tf 2 6 Td ({texte}) Tj ET EMC")
        };
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 228 30] /Resources << /Font << /F1 4 0 R >> >> /Length {} >>\nstream\n{c}\nendstream",
            c.len()
        )
    };
    for (avant, attendu) in [
        ("Organisation mondiale", Statut::Invalide),
        ("", Statut::Valide),
    ] {
        let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Annots [6 0 R] >>";
        let cat = "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>";
        let mut m = pdf.clone();
        let mut offs = vec![];
        for (id, corps) in [
            (1, cat.to_string()),
            (3, page.to_string()),
            (6, champ("7 0 R")),
            (7, ap(avant)),
        ] {
            offs.push((id, m.len()));
            m.extend_from_slice(format!("{id} 0 obj\n{corps}\nendobj\n").as_bytes());
        }
        let x = m.len();
        m.extend_from_slice(b"xref\n");
        for (id, off) in &offs {
            m.extend_from_slice(format!("{id} 1\n{off:010} 00000 n\r\n").as_bytes());
        }
        m.extend_from_slice(
            format!("trailer\n<< /Size 8 /Root 1 0 R /Prev {p} >>\nstartxref\n{x}\n%%EOF\n")
                .as_bytes(),
        );
        let s = signe(&m);
        assert_eq!(verifie(&s).unwrap().statut, Statut::Valide);
        let apres = revision(&s, &[(6, &champ("20 0 R")), (20, &ap("Attacker"))], 1, 21);
        let r = verifie(&apres).unwrap();
        assert_eq!(r.statut, attendu, "« {avant} » : {r:#?}");
    }
}

/// From 1 MB, the search for unreferenced signature dictionaries runs on a second thread
/// beside the hashing: the same verdicts, the reports in the order of the revisions, and a
/// change inside the signed bytes still found.
#[test]
fn gros_pdf_verifie_en_parallele() {
    let bourrage = "A".repeat(2 << 20);
    let gros = revision(
        &read("simple.pdf"),
        &[(
            8,
            &format!(
                "<< /Length {} >>\nstream\n{bourrage}\nendstream",
                bourrage.len()
            ),
        )],
        1,
        9,
    );
    let deux = signe(&signe(&gros));
    assert!(deux.len() > 2 << 20);
    let r = verifie(&deux).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures.len(), 2);
    let suivantes: Vec<usize> = r
        .signatures
        .iter()
        .map(|s| s.pdf.as_ref().unwrap().revisions_suivantes)
        .collect();
    assert_eq!(suivantes, [1, 0]);
    // One byte of the padding, signed by both, changed.
    let mut altere = deux.clone();
    let i = altere.windows(8).position(|w| w == b"AAAAAAAA").unwrap() + (1 << 20);
    altere[i] = b'B';
    let r = verifie(&altere).unwrap();
    assert_eq!(r.statut, Statut::Invalide, "{r:#?}");
    assert!(
        r.signatures.iter().all(|s| s.statut == Statut::Invalide),
        "{r:#?}"
    );
}
