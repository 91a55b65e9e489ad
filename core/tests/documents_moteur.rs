//! The template engine on hand-written WordprocessingML: Word-split runs, the three kinds of
//! fields, sections, ids of cloned content, escaping, errors.

#![allow(clippy::unwrap_used)] // test helpers

use std::io::{Cursor, Read, Write};

use mpe::CodeErreur;
use mpe::documents::{self, Genre, OptionsFusion};
use serde_json::json;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#;

/// A minimal DOCX with this body, header and settings.
fn docx(body: &str, header: &str, settings: &str) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#)),
        ("word/header1.xml", format!(r#"<?xml version="1.0"?><w:hdr {NS}>{header}</w:hdr>"#)),
        ("word/settings.xml", format!(r#"<?xml version="1.0"?><w:settings {NS}>{settings}</w:settings>"#)),
        ("word/styles.xml", "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>".to_string()),
    ];
    for (n, c) in parts {
        zw.start_file(n, o).unwrap();
        zw.write_all(c.as_bytes()).unwrap();
    }
    zw.finish().unwrap().into_inner()
}

fn part(docx: &[u8], name: &str) -> String {
    let mut a = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut s = String::new();
    a.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn merge(body: &str, data: serde_json::Value) -> String {
    let out = documents::fusionner(&docx(body, "<w:p/>", ""), &data, &OptionsFusion::default())
        .unwrap_or_else(|e| panic!("{e}"));
    part(&out, "word/document.xml")
}

fn texte(xml: &str) -> String {
    let d = mpe::documents::xml::parse(xml, "t").unwrap();
    d.root.text()
}

#[test]
fn placeholder_split_by_word_across_runs_proof_errors_and_bookmarks() {
    let body = r#"<w:p><w:r><w:t>Réf. {{ con</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t>sultation.ref</w:t></w:r><w:proofErr w:type="spellEnd"/><w:bookmarkStart w:id="3" w:name="ici"/><w:r><w:t>erence }} suite {</w:t></w:r><w:bookmarkEnd w:id="3"/><w:r><w:t>{lot.attributaire.raison_sociale}} fin</w:t></w:r></w:p>"#;
    let xml = merge(
        body,
        json!({"consultation": {"reference": "2026-001"}, "lot": {"attributaire": {"raison_sociale": "ACME"}}}),
    );
    assert_eq!(texte(&xml), "Réf. 2026-001 suite ACME fin");
    assert!(xml.contains(r#"<w:bookmarkStart w:id="3" w:name="ici"/>"#));
    assert!(!xml.contains("{{") && !xml.contains("}}"));
}

#[test]
fn escaping_newlines_and_tabs() {
    let xml = merge(
        "<w:p><w:r><w:t>{{x}}</w:t></w:r></w:p>",
        json!({"x": "a < b & \"c\"\nligne 2\tcolonne"}),
    );
    assert!(xml.contains("a &lt; b &amp; \"c\"</w:t><w:br/>"), "{xml}");
    assert!(xml.contains("<w:tab/>"));
    assert!(documents::xml::parse(&xml, "x").is_ok());
}

#[test]
fn mergefields_simple_and_complex_with_switches() {
    let body = concat!(
        r#"<w:p><w:fldSimple w:instr=" MERGEFIELD nom \* Upper \* MERGEFORMAT "><w:r><w:rPr><w:i/></w:rPr><w:t>«nom»</w:t></w:r></w:fldSimple></w:p>"#,
        // Complex field, instruction split over three runs, a bookmark inside.
        r#"<w:p><w:r><w:t xml:space="preserve">Date : </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> MERGE</w:instrText></w:r><w:r><w:instrText>FIELD date_limite \@ "d MMMM yyyy</w:instrText></w:r><w:r><w:instrText xml:space="preserve">" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:bookmarkStart w:id="1" w:name="b"/><w:r><w:rPr><w:b/></w:rPr><w:t>«date_limite»</w:t></w:r><w:bookmarkEnd w:id="1"/><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        // fldChar and instrText in one run (as some generators write).
        r##"<w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText> MERGEFIELD montant \# "# ##0,00 €" </w:instrText><w:fldChar w:fldCharType="separate"/><w:t>«montant»</w:t><w:fldChar w:fldCharType="end"/></w:r></w:p>"##,
        // A PAGE field stays a field.
        r#"<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>"#,
    );
    let xml = merge(
        body,
        json!({"nom": "Dupont", "date_limite": "2026-03-15T17:30:00+01:00", "montant": 1234567.8}),
    );
    let t = texte(&xml);
    assert!(t.contains("DUPONT"), "{t}");
    assert!(t.contains("Date : 15 mars 2026"), "{t}");
    assert!(t.contains("1\u{202F}234\u{202F}567,80 €"), "{t}");
    assert!(!xml.contains("MERGEFIELD"));
    assert!(
        xml.contains("<w:i/>") && xml.contains("<w:b/>"),
        "run formatting kept"
    );
    assert!(xml.contains(r#"w:instr=" PAGE ""#));
    assert!(xml.contains(r#"<w:bookmarkStart w:id="1" w:name="b"/>"#));
}

#[test]
fn mergefield_regions_repeat_table_rows() {
    let body = r#"<w:tbl><w:tr><w:tc><w:p><w:fldSimple w:instr=" MERGEFIELD TableStart:lots "><w:r><w:t>«TableStart:lots»</w:t></w:r></w:fldSimple><w:fldSimple w:instr=" MERGEFIELD numero "><w:r><w:t>«numero»</w:t></w:r></w:fldSimple></w:p></w:tc><w:tc><w:p><w:fldSimple w:instr=" MERGEFIELD intitule "/><w:fldSimple w:instr=" MERGEFIELD TableEnd:lots "/></w:p></w:tc></w:tr></w:tbl>"#;
    let xml = merge(
        body,
        json!({"lots": [{"numero": 1, "intitule": "Gros œuvre"}, {"numero": 2, "intitule": "Lots techniques"}]}),
    );
    assert_eq!(xml.matches("<w:tr>").count(), 2);
    assert!(texte(&xml).contains("1Gros œuvre2Lots techniques"));
}

#[test]
fn content_controls_filled_placeholder_styling_and_bindings_dropped() {
    let body = concat!(
        r#"<w:p><w:r><w:t xml:space="preserve">Titulaire : </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val="Titulaire"/><w:tag w:val="titulaire.nom"/><w:showingPlcHdr/><w:dataBinding w:xpath="/root/titulaire" w:storeItemID="{1}"/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/><w:b/></w:rPr><w:t>Cliquez ici pour entrer du texte.</w:t></w:r></w:sdtContent></w:sdt></w:p>"#,
        r#"<w:sdt><w:sdtPr><w:tag w:val="objet"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Objet</w:t></w:r></w:p></w:sdtContent></w:sdt>"#,
    );
    let data = json!({"titulaire": {"nom": "Isolec SAS"}, "objet": "Travaux\nphase 2"});
    let xml = merge(body, data.clone());
    let t = texte(&xml);
    assert!(t.contains("Titulaire : Isolec SAS"), "{t}");
    assert!(t.contains("Travaux") && xml.contains("<w:br/>"));
    assert!(!xml.contains("w:sdt") && !xml.contains("PlaceholderText") && !xml.contains("Cliquez"));
    assert!(xml.contains("<w:b/>") && xml.contains(r#"<w:jc w:val="center"/>"#));
    // Kept controls: value inside, no placeholder flag, no data binding that Word would
    // use to overwrite the value.
    let opts = OptionsFusion {
        conserver_controles: true,
        ..Default::default()
    };
    let out = documents::fusionner(&docx(body, "<w:p/>", ""), &data, &opts).unwrap();
    let xml = part(&out, "word/document.xml");
    assert!(xml.contains("<w:sdt>") && xml.contains("Isolec SAS"));
    assert!(
        !xml.contains("showingPlcHdr")
            && !xml.contains("dataBinding")
            && !xml.contains("PlaceholderText")
    );
}

#[test]
fn row_loops_renumber_cloned_ids() {
    let body = r#"<w:tbl><w:tblPr/><w:tr w14:paraId="1A2B3C4D"><w:tc><w:p w14:paraId="00000010" w14:textId="00000011"><w:bookmarkStart w:id="7" w:name="cellule"/><w:r><w:t>{{#lots}}{{numero}}</w:t></w:r><w:bookmarkEnd w:id="7"/></w:p></w:tc><w:tc><w:p><w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="5" name="Image 5"/></wp:inline></w:drawing></w:r><w:r><w:t>{{intitule}}{{/lots}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>"#;
    let xml = merge(
        body,
        json!({"lots": [{"numero": 1, "intitule": "A"}, {"numero": 2, "intitule": "B"}, {"numero": 3, "intitule": "C"}]}),
    );
    assert_eq!(xml.matches("<w:tr ").count(), 3);
    let ids = |attr: &str| -> Vec<String> {
        xml.split(attr)
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    for attr in [
        " w14:paraId=\"",
        "<wp:docPr id=\"",
        "<w:bookmarkStart w:id=\"",
        " w:name=\"",
    ] {
        let v = ids(attr);
        let mut u = v.clone();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), v.len(), "{attr} en double : {v:?}");
        assert!(v.len() >= 3);
    }
    assert_eq!(
        ids("<w:bookmarkEnd w:id=\""),
        ids("<w:bookmarkStart w:id=\"")
    );
    for p in ids(" w14:paraId=\"") {
        assert!(u32::from_str_radix(&p, 16).unwrap() < 0x8000_0000);
    }
}

#[test]
fn paragraph_loops_conditions_and_inline_sections() {
    let body = concat!(
        "<w:p><w:r><w:t>{{#candidats}}</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>{{@numero}}. {{raison_sociale}}</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>{{/candidats}}</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>{{#infructueux}}</w:t></w:r></w:p><w:p><w:r><w:t>INFRUCTUEUX</w:t></w:r></w:p><w:p><w:r><w:t>{{/infructueux}}</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>{{^infructueux}}</w:t></w:r></w:p><w:p><w:r><w:t>ATTRIBUE</w:t></w:r></w:p><w:p><w:r><w:t>{{/infructueux}}</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>Lots : {{#lots}}{{.}}{{#@index}}{{/@index}}, {{/lots}}fin</w:t></w:r></w:p>",
    );
    let xml = merge(
        body,
        json!({"candidats": [{"raison_sociale": "A"}, {"raison_sociale": "B"}], "infructueux": false, "lots": [1, 2]}),
    );
    let paras: Vec<String> = xml.split("</w:p>").map(texte_frag).collect();
    assert!(paras.contains(&"1. A".to_string()), "{paras:?}");
    assert!(paras.contains(&"2. B".to_string()));
    assert!(!xml.contains("INFRUCTUEUX") && xml.contains("ATTRIBUE"));
    assert!(texte(&xml).contains("Lots : 1, 2, fin"));
    // Tag-only paragraphs are gone: 2 candidates + ATTRIBUE + Lots.
    assert_eq!(xml.matches("<w:p>").count(), 4, "{xml}");
}

fn texte_frag(s: &str) -> String {
    let mut out = String::new();
    for seg in s.split("<w:t").skip(1) {
        if let Some(start) = seg.find('>') {
            let rest = &seg[start + 1..];
            out.push_str(&rest[..rest.find("</w:t>").unwrap_or(0)]);
        }
    }
    out
}

#[test]
fn empty_list_drops_table_and_keeps_cells_valid() {
    let body = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{{#xs}}{{a}}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{{/xs}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:tbl><w:tr><w:tc><w:p><w:r><w:t>T</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{{#non}}</w:t></w:r></w:p><w:p><w:r><w:t>cachée</w:t></w:r></w:p><w:p><w:r><w:t>{{/non}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>"#;
    let xml = merge(body, json!({"xs": [], "non": false}));
    assert_eq!(xml.matches("<w:tbl>").count(), 1, "{xml}");
    assert!(xml.contains("<w:tc><w:p/></w:tc>"), "{xml}");
    assert!(!xml.contains("cachée"));
}

#[test]
fn headers_footnotes_and_settings() {
    let t = docx(
        "<w:p><w:r><w:t>corps</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>{{ organisme.nom | majuscules }}</w:t></w:r></w:p>",
        r#"<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="textFile"/></w:mailMerge><w:defaultTabStop w:val="708"/>"#,
    );
    let out = documents::fusionner(
        &t,
        &json!({"organisme": {"nom": "Ville d'Exemple"}}),
        &OptionsFusion::default(),
    )
    .unwrap();
    assert!(part(&out, "word/header1.xml").contains("VILLE D'EXEMPLE"));
    let settings = part(&out, "word/settings.xml");
    assert!(!settings.contains("mailMerge") && settings.contains("defaultTabStop"));
}

#[test]
fn untouched_parts_are_copied_raw() {
    let t = docx("<w:p><w:r><w:t>{{a}}</w:t></w:r></w:p>", "<w:p/>", "");
    let out = documents::fusionner(&t, &json!({"a": 1}), &OptionsFusion::default()).unwrap();
    let raw = |d: &[u8], n: &str| {
        let mut a = zip::ZipArchive::new(Cursor::new(d)).unwrap();
        let mut f = a.by_name_raw(n.as_bytes()).unwrap();
        let (crc, m) = (f.crc32(), f.compression());
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        (crc, m, v)
    };
    for n in [
        "[Content_Types].xml",
        "word/styles.xml",
        "word/settings.xml",
    ] {
        assert_eq!(raw(&t, n), raw(&out, n), "{n}");
    }
    let names = |d: &[u8]| {
        zip::ZipArchive::new(Cursor::new(d))
            .unwrap()
            .file_names()
            .map(|s| s.unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&t), names(&out), "order kept");
}

#[test]
fn one_error_lists_every_missing_field() {
    let body = "<w:p><w:r><w:t>{{a}} {{b.c}} {{a}}</w:t></w:r></w:p><w:p><w:r><w:t>{{#lots}}{{numero}}{{intitule}}{{/lots}}</w:t></w:r></w:p><w:p><w:r><w:t>{{#cond}}x{{/cond}}{{opt | defaut \"—\"}}</w:t></w:r></w:p>";
    let e = documents::fusionner(
        &docx(body, "<w:p><w:r><w:t>{{h}}</w:t></w:r></w:p>", ""),
        &json!({"lots": [{"numero": 1}]}),
        &OptionsFusion::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::DonneesManquantes);
    for f in ["a", "b.c", "lots[].intitule", "cond", "h"] {
        assert!(
            e.message().split([':', ',']).any(|x| x.trim() == f),
            "{f} : {}",
            e.message()
        );
    }
    assert!(!e.message().contains("opt") && !e.message().contains("numero"));
    // Non-strict: empty values.
    let opts = OptionsFusion {
        strict: false,
        ..Default::default()
    };
    assert!(documents::fusionner(&docx(body, "<w:p/>", ""), &json!({}), &opts).is_ok());
}

#[test]
fn lint_lists_fields_with_sections() {
    let body = "<w:p><w:r><w:t>{{a}}</w:t></w:r></w:p><w:p><w:r><w:t>{{#lots}}{{numero | nombre}}{{/lots}}</w:t></w:r></w:p>";
    let champs =
        documents::lister_champs(&docx(body, "<w:p><w:r><w:t>{{ref}}</w:t></w:r></w:p>", ""))
            .unwrap();
    let noms: Vec<(&str, Genre, Vec<String>)> = champs
        .iter()
        .map(|c| (c.nom.as_str(), c.genre, c.sections.clone()))
        .collect();
    assert!(noms.contains(&("a", Genre::Valeur, vec![])));
    assert!(noms.contains(&("lots", Genre::Section, vec![])));
    assert!(noms.contains(&("numero", Genre::Valeur, vec!["lots".to_string()])));
    let r = champs.iter().find(|c| c.nom == "ref").unwrap();
    assert_eq!(r.parties, vec!["word/header1.xml".to_string()]);
}

#[test]
fn malformed_templates_name_part_and_paragraph() {
    let cas = [
        (
            "<w:p/><w:p><w:r><w:t>{{ a </w:t></w:r></w:p>",
            CodeErreur::SyntaxeModele,
            "paragraphe 2",
        ),
        (
            "<w:p><w:r><w:t>{{#a}}</w:t></w:r></w:p><w:p/><w:p/>",
            CodeErreur::SyntaxeModele,
            "paragraphe 1",
        ),
        (
            "<w:p><w:r><w:t>{{/a}}</w:t></w:r></w:p>",
            CodeErreur::SyntaxeModele,
            "paragraphe 1",
        ),
        (
            "<w:p><w:r><w:t>{{#a}}{{/b}}</w:t></w:r></w:p>",
            CodeErreur::SyntaxeModele,
            "paragraphe 1",
        ),
        (
            "<w:p><w:r><w:t>{{a | inconnu}}</w:t></w:r></w:p>",
            CodeErreur::SyntaxeModele,
            "paragraphe 1",
        ),
        (
            "<w:p/><w:p/><w:p><w:r><w:t>x</w:r></w:p>",
            CodeErreur::ModeleInvalide,
            "paragraphe 3",
        ),
    ];
    for (body, code, ou) in cas {
        let e = documents::lister_champs(&docx(body, "<w:p/>", "")).unwrap_err();
        assert_eq!(e.code(), code, "{body}: {e}");
        assert!(
            e.message().contains("word/document.xml") && e.message().contains(ou),
            "{body}: {e}"
        );
    }
    let e = documents::lister_champs(&docx(
        "<w:p/>",
        "<w:p><w:r><w:t>{{#x}}</w:t></w:r></w:p>",
        "",
    ))
    .unwrap_err();
    assert!(e.message().contains("word/header1.xml"));
    // Overlapping sections.
    let e = documents::lister_champs(&docx("<w:p><w:r><w:t>{{#a}}</w:t></w:r></w:p><w:p><w:r><w:t>{{#b}}</w:t></w:r></w:p><w:p><w:r><w:t>{{/a}}</w:t></w:r></w:p>", "<w:p/>", "")).unwrap_err();
    assert_eq!(e.code(), CodeErreur::SyntaxeModele);
    assert!(
        e.message().contains("word/document.xml, paragraphe 3"),
        "{e}"
    );
}

#[test]
fn bad_packages_and_values() {
    assert_eq!(
        documents::lister_champs(b"pas un zip").unwrap_err().code(),
        CodeErreur::ModeleInvalide
    );
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zw.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    let vide = zw.finish().unwrap().into_inner();
    assert_eq!(
        documents::lister_champs(&vide).unwrap_err().code(),
        CodeErreur::ModeleInvalide
    );
    let e = documents::fusionner(
        &docx(
            "<w:p><w:r><w:t>{{d | date}}</w:t></w:r></w:p>",
            "<w:p/>",
            "",
        ),
        &json!({"d": "demain"}),
        &OptionsFusion::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ValeurIncompatible);
    let e = documents::fusionner(
        &docx("<w:p><w:r><w:t>{{d}}</w:t></w:r></w:p>", "<w:p/>", ""),
        &json!({"d": {"x": 1}}),
        &OptionsFusion::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ValeurIncompatible);
    // Truncated package: never a panic.
    let t = docx("<w:p/>", "<w:p/>", "");
    for n in [10, t.len() / 2, t.len() - 10] {
        assert!(documents::lister_champs(&t[..n]).is_err());
    }
}

mod robustesse {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Any text split in any way across runs, with braces, never panics: it merges or
        /// fails with a typed error.
        #[test]
        fn arbitrary_split_text_never_panics(morceaux in proptest::collection::vec("[a-z{}#^/|. \"<&]{0,12}", 1..12)) {
            let body: String = morceaux.iter().map(|m| {
                let esc = m.replace('&', "&amp;").replace('<', "&lt;");
                format!("<w:r><w:t xml:space=\"preserve\">{esc}</w:t></w:r><w:proofErr w:type=\"spellStart\"/>")
            }).collect();
            let t = docx(&format!("<w:p>{body}</w:p><w:p><w:r><w:t>{{{{#l}}}}</w:t></w:r></w:p><w:p><w:r><w:t>{{{{/l}}}}</w:t></w:r></w:p>"), "<w:p/>", "");
            let data = json!({"a": "x", "l": [1, 2]});
            match documents::fusionner(&t, &data, &OptionsFusion { strict: false, ..Default::default() }) {
                Ok(out) => prop_assert!(documents::texte_document(&out).is_ok()),
                Err(e) => prop_assert!(matches!(e.code(), CodeErreur::SyntaxeModele | CodeErreur::ValeurIncompatible), "{e}"),
            }
        }

        /// Corrupted packages fail with a typed error, never a panic.
        #[test]
        fn corrupted_packages_never_panic(pos in 0usize..2000, octet in any::<u8>()) {
            let mut t = docx("<w:p><w:r><w:t>{{a}}</w:t></w:r></w:p>", "<w:p/>", "");
            let n = t.len();
            if let Some(b) = t.get_mut(pos % n) { *b ^= octet | 1; }
            let _ = documents::fusionner(&t, &json!({"a": 1}), &OptionsFusion::default());
        }
    }
}

#[test]
fn sections_ending_and_opening_in_one_row_nest_by_structure() {
    // `a` spans two cells of the first row; `b` opens after it in that row and closes in the
    // second row: `b` repeats both rows and `a` its row inside each repetition.
    let body = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{{#a}}A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{{/a}}{{#b}}B</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>{{.}}{{/b}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>";
    let xml = merge(body, json!({"a": true, "b": [1, 2]}));
    assert_eq!(xml.matches("<w:tr>").count(), 4, "{xml}");
    assert_eq!(texte(&xml), "AB1AB2");
    let xml = merge(body, json!({"a": false, "b": [1]}));
    assert_eq!(xml.matches("<w:tr>").count(), 1, "{xml}");
}
