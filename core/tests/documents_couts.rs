//! Bounded cost of the DOCX merge: generators of hostile templates (the shapes that made a
//! 88 KB DOCX take 19 s and 1 GB) must compile and merge in time proportional to their
//! size, and the limits are checked before the work with a typed `LIMITE_DEPASSEE` naming
//! the limit. Every DOCX written is re-read by mpe's own parser.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use mpe::CodeErreur;
use mpe::documents::{self, LimitesFusion, OptionsFusion};
use serde_json::json;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(body: &str) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let parts = [
        ("[Content_Types].xml".to_string(), r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string()),
        ("word/document.xml".to_string(), format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#)),
    ];
    for (n, c) in parts {
        zw.start_file(n, o).unwrap();
        zw.write_all(c.as_bytes()).unwrap();
    }
    zw.finish().unwrap().into_inner()
}

/// Every DOCX mpe writes must be well-formed: re-read by its own parser.
fn relire(out: &[u8]) {
    let mut a = zip::ZipArchive::new(Cursor::new(out)).unwrap();
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let nom = f.name().unwrap().to_string();
        if nom.ends_with(".xml") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            mpe::documents::xml::parse(&s, &nom).unwrap_or_else(|e| panic!("{nom} : {e}"));
        }
    }
}

fn p(t: &str) -> String {
    format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>")
}

/// Compile and merge within `limite`; returns the result.
fn chrono(nom: &str, modele: &[u8], data: serde_json::Value, strict: bool) -> mpe::Result<Vec<u8>> {
    // These generators compress far better than Word's XML: the expansion bound (checked
    // first, see `ratio_d_expansion_refuse_avant_le_travail`) is lifted so that the engine
    // itself is measured.
    let o = OptionsFusion {
        strict,
        ..Default::default()
    };
    let l = LimitesFusion {
        ratio_expansion: 100_000,
        taille_sortie: 4 << 20,
        ..Default::default()
    };
    let t = Instant::now();
    let r = documents::fusionner_borne(modele, &data, &o, &l);
    let d = t.elapsed();
    eprintln!("{nom} : {} octets, {d:?}", modele.len());
    // Debug build on a shared machine: generous against the < 1 s of a release build, and
    // far below what the quadratic paths took (40 s and more for these sizes).
    assert!(d < Duration::from_secs(20), "{nom} : {d:?}");
    if let Ok(out) = &r {
        relire(out);
    }
    r
}

#[test]
fn champs_manquants_nombreux() {
    let n = 40_000;
    let body: String = (0..n).map(|i| p(&format!("{{{{c{i}}}}}"))).collect();
    let e = chrono("manquants", &docx(&body), json!({}), true).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DonneesManquantes);
}

#[test]
fn sections_en_ligne_nombreuses() {
    let n = 30_000;
    let runs: String = (0..n)
        .map(|_| "<w:r><w:t>{{#a}}x{{/a}}</w:t></w:r>")
        .collect();
    let body = format!("<w:p>{runs}</w:p>");
    chrono("sections en ligne", &docx(&body), json!({"a": true}), true).unwrap();
}

#[test]
fn sections_de_paragraphes_nombreuses() {
    let n = 30_000;
    let body: String = (0..n)
        .map(|_| format!("{}{}{}", p("{{#a}}"), p("x"), p("{{/a}}")))
        .collect();
    chrono(
        "sections de paragraphes",
        &docx(&body),
        json!({"a": true}),
        true,
    )
    .unwrap();
}

#[test]
fn controles_et_champs_simples_nombreux() {
    let n = 30_000;
    let sdt: String = (0..n)
        .map(|_| r#"<w:sdt><w:sdtPr><w:tag w:val="a"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>x</w:t></w:r></w:p></w:sdtContent></w:sdt>"#)
        .collect();
    chrono("contrôles", &docx(&sdt), json!({"a": "v"}), true).unwrap();
    let f: String = (0..n)
        .map(|_| r#"<w:fldSimple w:instr=" MERGEFIELD a "><w:r><w:t>«a»</w:t></w:r></w:fldSimple>"#)
        .collect();
    chrono(
        "champs simples",
        &docx(&format!("<w:p>{f}</w:p>")),
        json!({"a": "v"}),
        true,
    )
    .unwrap();
}

#[test]
fn sections_imbriquees_profondement() {
    // Nested sections across paragraphs: past the section depth limit, refused before the
    // work with the limit named.
    let n = 5_000;
    let body = format!(
        "{}{}{}",
        p("{{#a}}").repeat(n),
        p("x"),
        p("{{/a}}").repeat(n)
    );
    let e = chrono("imbrication", &docx(&body), json!({"a": [1, 2]}), true).unwrap_err();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    assert!(e.message().contains("« sections imbriquées »"), "{e}");
}

#[test]
fn sortie_bornee() {
    // 30 nested loops over two items: 2^30 copies. The output bound stops it early.
    let n = 30;
    let body = format!(
        "{}{}{}",
        p("{{#a}}").repeat(n),
        p("x"),
        p("{{/a}}").repeat(n)
    );
    let e = chrono("explosion", &docx(&body), json!({"a": [1, 2]}), true).unwrap_err();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    assert!(e.message().contains("« tailleSortie »"), "{e}");
}

#[test]
fn ratio_d_expansion_refuse_avant_le_travail() {
    let body = p("{{a}}").repeat(100_000);
    let modele = docx(&body);
    let t = Instant::now();
    let e = documents::fusionner(&modele, &json!({"a": 1}), &OptionsFusion::default()).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1));
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    assert!(e.message().contains("« ratioExpansion »"), "{e}");
    // A host may tighten the size of the parts.
    let l = LimitesFusion {
        taille_partie: 1000,
        ..Default::default()
    };
    let e = documents::fusionner_borne(
        &docx(&p("x").repeat(100)),
        &json!({}),
        &OptionsFusion::default(),
        &l,
    )
    .unwrap_err();
    assert!(e.message().contains("« taillePartie »"), "{e}");
}

/// Well-formed in, well-formed out: a template whose XML is not well-formed is refused
/// with its part and place, never merged into a part Word would call unreadable.
#[test]
fn modele_mal_forme_refuse_avec_sa_place() {
    for (body, motif) in [
        ("<w:p/><w:p><></></w:p>", "nom d'élément"),
        (
            "<w:p/><w:p><w:r 1a=\"x\"><w:t>a</w:t></w:r></w:p>",
            "nom d'attribut",
        ),
        ("<w:p/><w:p><w:r a\u{1}=\"x\"><w:t>a</w:t></w:r></w:p>", ""),
        ("<w:p/><w:p><w:r><w:t>a</w:x></w:r></w:p>", ""),
    ] {
        let e =
            documents::fusionner(&docx(body), &json!({}), &OptionsFusion::default()).unwrap_err();
        assert_eq!(e.code(), CodeErreur::ModeleInvalide, "{body}: {e}");
        assert!(
            e.message().contains("word/document.xml") && e.message().contains("paragraphe 2"),
            "{body}: {e}"
        );
        assert!(e.message().contains(motif), "{body}: {e}");
    }
    // Values are escaped: whatever the data, the result parses.
    let out = documents::fusionner(
        &docx(&p("{{a}}")),
        &json!({"a": "<></> & \"x\" \u{1} ]]>"}),
        &OptionsFusion::default(),
    )
    .unwrap();
    relire(&out);
}
