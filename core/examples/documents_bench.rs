//! Benchmark helper for the documents engine (used by `benches/documents_compare.sh`).
//!
//! - `documents_bench modele SORTIE.docx [--media OCTETS]`: write the benchmark template,
//!   a two-page letter with 12 fields (3 in header and footer), a 5-row table loop and a
//!   conditional paragraph; `--media` adds an incompressible image part of that size.
//! - `documents_bench donnees`: print the data JSON.
//! - `documents_bench mesurer MODELE.docx N`: merge N times, print a JSON line with
//!   documents per second (compile + merge each time, and compiled once) and peak memory.

use std::io::{Cursor, Write};
use std::time::Instant;

use mpe::documents::{ModeleDocx, OptionsFusion};
use serde_json::json;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn cell(text: &str) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="3200" w:type="dxa"/></w:tcPr>{}</w:tc>"#,
        p(text)
    )
}

const PARAGRAPHE: &str = "Le présent courrier a pour objet de vous informer des suites données à la consultation mentionnée en référence. Les documents de la consultation, le règlement et le cahier des clauses particulières précisent les conditions d'exécution des prestations, les délais, les modalités de paiement et les pénalités applicables. Nous vous remercions de l'attention portée à la présente et restons à votre disposition pour tout complément.";

fn document() -> String {
    let mut b = String::new();
    b.push_str(&p("{{destinataire}}"));
    b.push_str(&p("{{adresse}}"));
    b.push_str(&p("Objet : {{objet}}"));
    b.push_str(&p("Référence : {{reference}} – le {{date}}"));
    b.push_str(&p("Madame, Monsieur,"));
    for _ in 0..6 {
        b.push_str(&p(PARAGRAPHE));
    }
    b.push_str(r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid><w:gridCol w:w="3200"/><w:gridCol w:w="3200"/><w:gridCol w:w="3200"/></w:tblGrid><w:tr>"#);
    b.push_str(&cell("Désignation"));
    b.push_str(&cell("Quantité"));
    b.push_str(&cell("Montant"));
    b.push_str("</w:tr><w:tr>");
    b.push_str(&cell("{{#lignes}}{{designation}}"));
    b.push_str(&cell("{{quantite}}"));
    b.push_str(&cell("{{montant}}{{/lignes}}"));
    b.push_str("</w:tr></w:tbl>");
    b.push_str(&p("Montant total : {{total}}"));
    b.push_str(&p("{{#avance}}"));
    b.push_str(&p(
        "Une avance de 10 % du montant initial vous sera versée à la notification.",
    ));
    b.push_str(&p("{{/avance}}"));
    for _ in 0..8 {
        b.push_str(&p(PARAGRAPHE));
    }
    b.push_str(&p("Fait à {{lieu}}, {{signataire}}"));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{b}<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

fn modele(media: usize) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"#.to_vec()),
        ("_rels/.rels".into(), br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec()),
        ("word/_rels/document.xml.rels".into(), br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#.to_vec()),
        ("word/document.xml".into(), document().into_bytes()),
        ("word/styles.xml".into(), br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#.to_vec()),
        ("word/header1.xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {NS}>{}</w:hdr>"#, p("{{organisme}} – {{service}}")).into_bytes()),
        ("word/footer1.xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {NS}>{}</w:ftr>"#, p("Affaire suivie par {{contact}}")).into_bytes()),
    ];
    if media > 0 {
        // Incompressible bytes (a xorshift stream), as a scanned logo or photo would be.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut v = Vec::with_capacity(media);
        while v.len() < media {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v.extend_from_slice(&x.to_le_bytes());
        }
        v.truncate(media);
        parts.push(("word/media/image1.png".into(), v));
    }
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (n, c) in parts {
        zw.start_file(n, o).expect("zip");
        zw.write_all(&c).expect("zip");
    }
    zw.finish().expect("zip").into_inner()
}

fn donnees() -> serde_json::Value {
    json!({
        "destinataire": "Isolec SAS", "adresse": "12 rue des Artisans\n69003 Lyon",
        "objet": "Notification de rejet", "reference": "2026-TRV-014", "date": "26 mars 2026",
        "total": "1 234 567,80 €", "lieu": "Villeurbanne", "signataire": "Le Maire, Jean Dupont",
        "organisme": "Ville de Villeurbanne", "service": "Direction de la commande publique",
        "contact": "Mme Lucie Moreau",
        "avance": true,
        "lignes": (1..=5).map(|i| json!({"designation": format!("Prestation {i}"), "quantite": i * 3, "montant": format!("{} 000,00 €", i * 12)})).collect::<Vec<_>>(),
    })
}

fn pic_memoire_ko() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// CPU time of this (single) thread in nanoseconds, from the scheduler's statistics.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("modele") => {
            let sortie = args.get(2).ok_or("sortie ?")?;
            let media = match args.get(3).map(String::as_str) {
                Some("--media") => args.get(4).ok_or("octets ?")?.parse()?,
                _ => 0,
            };
            std::fs::write(sortie, modele(media))?;
        }
        Some("donnees") => println!("{}", donnees()),
        Some("mesurer") => {
            let octets = std::fs::read(args.get(2).ok_or("modèle ?")?)?;
            let n: usize = args.get(3).ok_or("N ?")?.parse()?;
            let d = donnees();
            let o = OptionsFusion::default();
            // Warm-up, and a sanity check of the output.
            let out = mpe::documents::fusionner(&octets, &d, &o)?;
            assert!(mpe::documents::texte_document(&out)?.contains("Prestation 5"));
            let t = Instant::now();
            let c = cpu_ns();
            let mut total = 0usize;
            for _ in 0..n {
                total += mpe::documents::fusionner(&octets, &d, &o)?.len();
            }
            let complet = n as f64 / t.elapsed().as_secs_f64();
            let cpu_ms = (cpu_ns() - c) as f64 / 1e6 / n as f64;
            let m = ModeleDocx::compiler(&octets[..], &o)?;
            let t = Instant::now();
            for _ in 0..n {
                total += m.fusionner(&d)?.len();
            }
            let compile = n as f64 / t.elapsed().as_secs_f64();
            println!(
                "{}",
                json!({"docs_par_s": complet, "cpu_ms_par_doc": cpu_ms, "docs_par_s_modele_compile": compile, "pic_memoire_ko": pic_memoire_ko(), "octets": total / (2 * n), "modele_octets": octets.len()})
            );
        }
        _ => return Err("usage : documents_bench modele|donnees|mesurer …".into()),
    }
    Ok(())
}
