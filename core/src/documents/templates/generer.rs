//! Generator of the DAJ form templates shipped with mpe.
//!
//! Run `cargo run -p mpe --example documents_modeles` to rewrite the `.docx` files beside
//! this file; a test checks that the committed files are exactly what this generator makes
//! (fixed ZIP dates, fixed metadata), so the templates are reproducible from source.
//!
//! Each form is a list of blocks (titles, paragraphs with `{{ champs }}`, tables whose row
//! repeats over a list, conditional paragraphs). The text is the project's own.

#![allow(dead_code)]

use std::io::{Cursor, Write};

/// A block of a form.
pub enum B {
    /// Main title (style Titre).
    Titre(&'static str),
    /// Heading 1.
    T1(&'static str),
    /// Heading 2.
    T2(&'static str),
    /// Paragraph; `**gras**` marks bold spans.
    P(&'static str),
    /// Paragraph aligned right.
    Droite(&'static str),
    /// Bulleted item.
    Puce(&'static str),
    /// Table: headers and cells of the repeated row, over the list named.
    Tab(&'static str, &'static [(&'static str, &'static str)]),
    /// Two-column key/value table (no loop).
    Fiche(&'static [(&'static str, &'static str)]),
    /// Opens a conditional block (`{{#cond}}` alone in its paragraph).
    Si(&'static str),
    /// Opens an inverted conditional block (`{{^cond}}`).
    SiNon(&'static str),
    /// Closes the block.
    Fin(&'static str),
    /// Signature block: place, date, signatory.
    Signature(&'static str),
}

/// A form: code, title, blocks.
pub struct Form {
    /// Code (OUV3…).
    pub code: &'static str,
    /// Title.
    pub titre: &'static str,
    /// Content.
    pub blocs: Vec<B>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn runs(texte: &str) -> String {
    let mut out = String::new();
    for (i, morceau) in texte.split("**").enumerate() {
        if morceau.is_empty() {
            continue;
        }
        let gras = i % 2 == 1;
        out.push_str("<w:r>");
        if gras {
            out.push_str("<w:rPr><w:b/></w:rPr>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        out.push_str(&esc(morceau));
        out.push_str("</w:t></w:r>");
    }
    out
}

fn para(style: Option<&str>, extra_ppr: &str, texte: &str) -> String {
    let mut ppr = String::new();
    if let Some(s) = style {
        ppr.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
    }
    ppr.push_str(extra_ppr);
    let ppr = if ppr.is_empty() {
        String::new()
    } else {
        format!("<w:pPr>{ppr}</w:pPr>")
    };
    format!("<w:p>{ppr}{}</w:p>", runs(texte))
}

fn cellule(texte: &str, largeur: u32, entete: bool) -> String {
    let shade = if entete {
        "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"D9E2F3\"/>"
    } else {
        ""
    };
    let t = if entete {
        format!("**{texte}**")
    } else {
        texte.to_string()
    };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{largeur}\" w:type=\"dxa\"/>{shade}</w:tcPr>{}</w:tc>",
        para(Some("Tableau"), "", &t)
    )
}

const LARGEUR: u32 = 9638;

fn tableau(liste: &str, cols: &[(&str, &str)]) -> String {
    let n = cols.len().max(1) as u32;
    let l = LARGEUR / n;
    let mut s = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grille\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
    );
    for _ in cols {
        s.push_str(&format!("<w:gridCol w:w=\"{l}\"/>"));
    }
    s.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (h, _) in cols {
        s.push_str(&cellule(h, l, true));
    }
    s.push_str("</w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr>");
    let dernier = cols.len().saturating_sub(1);
    for (i, (_, c)) in cols.iter().enumerate() {
        let mut t = String::new();
        if i == 0 {
            t.push_str(&format!("{{{{#{liste}}}}}"));
        }
        t.push_str(c);
        if i == dernier {
            t.push_str(&format!("{{{{/{liste}}}}}"));
        }
        s.push_str(&cellule(&t, l, false));
    }
    s.push_str("</w:tr></w:tbl>");
    s
}

fn fiche(lignes: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grille\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLook w:val=\"0080\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"3400\"/><w:gridCol w:w=\"6238\"/></w:tblGrid>",
    );
    for (k, v) in lignes {
        s.push_str("<w:tr>");
        s.push_str(&cellule(k, 3400, true));
        s.push_str(&cellule(v, 6238, false));
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

fn corps(f: &Form) -> String {
    let mut s = String::new();
    s.push_str(&para(Some("Entete"), "", "{{ organisme.nom }}"));
    for b in &f.blocs {
        s.push_str(&match b {
            B::Titre(t) => para(Some("Title"), "", t),
            B::T1(t) => para(Some("Heading1"), "", t),
            B::T2(t) => para(Some("Heading2"), "", t),
            B::P(t) => para(None, "", t),
            B::Droite(t) => para(None, "<w:jc w:val=\"right\"/>", t),
            B::Puce(t) => para(Some("Puce"), "", &format!("– {t}")),
            B::Tab(liste, cols) => format!("{}{}", tableau(liste, cols), para(None, "", "")),
            B::Fiche(l) => format!("{}{}", fiche(l), para(None, "", "")),
            B::Si(c) => para(None, "", &format!("{{{{#{c}}}}}")),
            B::SiNon(c) => para(None, "", &format!("{{{{^{c}}}}}")),
            B::Fin(c) => para(None, "", &format!("{{{{/{c}}}}}")),
            B::Signature(qui) => format!(
                "{}{}{}",
                para(
                    None,
                    "<w:spacing w:before=\"480\"/><w:ind w:left=\"4820\"/>",
                    "À {{ document.lieu }}, le {{ document.date | date_longue }}"
                ),
                para(None, "<w:ind w:left=\"4820\"/>", qui),
                para(
                    None,
                    "<w:spacing w:before=\"960\"/><w:ind w:left=\"4820\"/>",
                    "(signature)"
                )
            ),
        });
    }
    s
}

const NS: &str = "xmlns:wpc=\"http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" mc:Ignorable=\"w14\"";

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

fn document_xml(f: &Form) -> String {
    format!(
        "{DECL}<w:document {NS}><w:body>{}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId4\"/><w:footerReference w:type=\"default\" r:id=\"rId5\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:cols w:space=\"708\"/></w:sectPr></w:body></w:document>",
        corps(f)
    )
}

fn header_xml(f: &Form) -> String {
    format!(
        "{DECL}<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs></w:pPr>{}<w:r><w:tab/></w:r>{}</w:p></w:hdr>",
        runs("{{ organisme.nom }}"),
        runs(&format!(
            "Consultation {{{{ consultation.reference }}}} – {}",
            f.code
        ))
    )
}

fn footer_xml(f: &Form) -> String {
    format!(
        "{DECL}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs></w:pPr>{}<w:r><w:tab/></w:r>{}<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>{}<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>",
        runs(&format!("{} – {}", f.code, f.titre)),
        runs("Page "),
        runs(" sur ")
    )
}

const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:eastAsia="Liberation Sans" w:cs="Liberation Sans"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="360"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:color w:val="000091"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:color w:val="000091"/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:jc w:val="left"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="Entete"><w:name w:val="En-tête organisme"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="left"/></w:pPr><w:rPr><w:b/><w:caps/><w:sz w:val="20"/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="Puce"><w:name w:val="Liste à tirets"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="60"/><w:ind w:left="567" w:hanging="283"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="Tableau"><w:name w:val="Texte de tableau"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:color w:val="555555"/><w:sz w:val="16"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:color w:val="555555"/><w:sz w:val="16"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="table" w:styleId="Grille"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders></w:tblPr></w:style></w:styles>"#;

const SETTINGS: &str = r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

const THEME: &str = r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="mpe"><a:themeElements><a:clrScheme name="mpe"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="000091"/></a:dk2><a:lt2><a:srgbClr val="E8EDFF"/></a:lt2><a:accent1><a:srgbClr val="000091"/></a:accent1><a:accent2><a:srgbClr val="E1000F"/></a:accent2><a:accent3><a:srgbClr val="6A6AF4"/></a:accent3><a:accent4><a:srgbClr val="18753C"/></a:accent4><a:accent5><a:srgbClr val="B34000"/></a:accent5><a:accent6><a:srgbClr val="666666"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme><a:fontScheme name="mpe"><a:majorFont><a:latin typeface="Liberation Sans"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Liberation Sans"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="mpe"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#;

const FONTS: &str = r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="Liberation Sans"><w:altName w:val="Arial"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

const CONTENT_TYPES: &str = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>"#;

fn core_xml(f: &Form) -> String {
    format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{} – {}</dc:title><dc:creator>mpe</dc:creator><dc:language>fr-FR</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>",
        f.code,
        esc(f.titre)
    )
}

const APP: &str = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>mpe</Application></Properties>"#;

/// The DOCX bytes of a form (deterministic).
pub fn docx(f: &Form) -> Vec<u8> {
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", format!("{DECL}{CONTENT_TYPES}")),
        ("_rels/.rels", format!("{DECL}{RELS}")),
        ("docProps/core.xml", core_xml(f)),
        ("docProps/app.xml", format!("{DECL}{APP}")),
        ("word/document.xml", document_xml(f)),
        ("word/styles.xml", format!("{DECL}{STYLES}")),
        ("word/settings.xml", format!("{DECL}{SETTINGS}")),
        ("word/header1.xml", header_xml(f)),
        ("word/footer1.xml", footer_xml(f)),
        ("word/fontTable.xml", format!("{DECL}{FONTS}")),
        ("word/theme/theme1.xml", format!("{DECL}{THEME}")),
        ("word/_rels/document.xml.rels", format!("{DECL}{DOC_RELS}")),
    ];
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::DEFAULT);
    for (nom, contenu) in parts {
        zw.start_file(nom, opts).expect("zip");
        zw.write_all(contenu.as_bytes()).expect("zip");
    }
    zw.finish().expect("zip").into_inner()
}

include!("formulaires.in.rs");
