//! A small owned XML tree for the parts of a DOCX that the engine rewrites.
//!
//! Word parts are small (tens of kilobytes for a letter, a few megabytes for a long
//! report), and loops, conditions and run merging need to look ahead across siblings, so
//! the engine works on a tree rather than on the event stream. Text and attribute values
//! are kept unescaped and escaped again on output, so a value can never inject markup.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::{CodeErreur, Erreur, Result};

/// The WordprocessingML main namespace.
pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A node of the tree.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    Elem(Elem),
    /// Character data (unescaped).
    Text(String),
    /// Markup kept verbatim: comments, processing instructions, CDATA (already escaped).
    Raw(String),
    /// A template field, produced by the engine's normalization (never parsed).
    Tag(Box<super::moteur::TagRun>),
    /// A section (loop or condition) folded by the engine.
    Section(Box<super::moteur::Section>),
}

/// An element with its qualified name, attributes (unescaped values) and children.
#[derive(Debug, Clone, Default)]
pub struct Elem {
    /// Qualified name, e.g. `w:p`.
    pub name: String,
    /// Attributes in document order, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Children in document order.
    pub children: Vec<Node>,
}

impl Elem {
    /// A new element without attributes or children.
    pub fn new(name: &str) -> Elem {
        Elem {
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Set (or add) an attribute.
    pub fn set_attr(&mut self, name: &str, value: String) {
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_string(), value)),
        }
    }

    /// The first child element with this name.
    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.children.iter().find_map(|n| match n {
            Node::Elem(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// The first child element with this name, mutably.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut Elem> {
        self.children.iter_mut().find_map(|n| match n {
            Node::Elem(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// The concatenated text of the element's descendants.
    pub fn text(&self) -> String {
        let mut s = String::new();
        collect_text(&self.children, &mut s);
        s
    }
}

fn collect_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Elem(e) => collect_text(&e.children, out),
            _ => {}
        }
    }
}

/// A parsed part: what precedes the root (declaration) and the root element.
#[derive(Debug, Clone)]
pub struct Document {
    /// The XML declaration and anything before the root, verbatim.
    pub prologue: String,
    /// The root element.
    pub root: Elem,
}

/// Deepest element nesting accepted (Word documents stay far below; the engine recurses
/// over the tree, so a hostile part must not exhaust the stack).
pub const PROFONDEUR_MAX: usize = 512;

/// Parse a part. `part` names it in errors; the paragraph number (1-based count of `w:p`
/// started so far) locates a malformed spot for the user.
pub fn parse(text: &str, part: &str) -> Result<Document> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut prologue = String::new();
    let mut stack: Vec<Elem> = Vec::new();
    let mut root: Option<Elem> = None;
    let mut paragraphes = 0usize;
    let err = |msg: String, para: usize| {
        Erreur::new(
            CodeErreur::ModeleInvalide,
            format!("XML invalide dans {part}, paragraphe {para} : {msg}"),
        )
        .at(format!("{part}#p{para}"))
    };
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| err(e.to_string(), paragraphes))?;
        match ev {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(err("contenu après l'élément racine".into(), paragraphes));
            }
            Event::Start(s) => {
                let e = start_elem(&s).map_err(|m| err(m, paragraphes))?;
                if e.name == "w:p" {
                    paragraphes += 1;
                }
                if stack.len() >= PROFONDEUR_MAX {
                    return Err(Erreur::new(
                        CodeErreur::LimiteDepassee,
                        format!("{part}, paragraphe {paragraphes} : imbrication XML au-delà de {PROFONDEUR_MAX} niveaux"),
                    )
                    .at(format!("{part}#p{paragraphes}")));
                }
                stack.push(e);
            }
            Event::Empty(s) => {
                let e = start_elem(&s).map_err(|m| err(m, paragraphes))?;
                if e.name == "w:p" {
                    paragraphes += 1;
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Elem(e)),
                    None => root = Some(e),
                }
            }
            Event::End(_) => {
                let Some(e) = stack.pop() else {
                    return Err(err("balise fermante orpheline".into(), paragraphes));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Elem(e)),
                    None => root = Some(e),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(parent) => push_text(parent, &content),
                    None if content.trim().is_empty() => {
                        if root.is_none() {
                            prologue.push_str(&content);
                        }
                    }
                    None => return Err(err("texte hors de l'élément racine".into(), paragraphes)),
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match &*r.xml10_content() {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        other => {
                            return Err(err(format!("entité inconnue &{other};"), paragraphes));
                        }
                    },
                    Err(e) => return Err(err(e.to_string(), paragraphes)),
                };
                match stack.last_mut() {
                    Some(parent) => push_text(parent, &ch),
                    None => return Err(err("référence hors de la racine".into(), paragraphes)),
                }
            }
            Event::CData(c) => {
                let raw = escape_text(&c.into_inner());
                match stack.last_mut() {
                    Some(parent) => push_text(parent, &unescape_simple(&raw)),
                    None => return Err(err("CDATA hors de la racine".into(), paragraphes)),
                }
            }
            Event::Comment(c) => {
                let raw = format!("<!--{}-->", c.into_inner());
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Raw(raw)),
                    None => prologue.push_str(&raw),
                }
            }
            Event::Decl(d) => {
                prologue.push_str(&format!("<?{}?>", &*d));
            }
            Event::PI(p) => {
                let raw = format!("<?{}?>", &*p);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Raw(raw)),
                    None => prologue.push_str(&raw),
                }
            }
            Event::DocType(_) => {
                return Err(err("DTD refusée".into(), paragraphes));
            }
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(err("document tronqué".into(), paragraphes));
    }
    let root = root.ok_or_else(|| err("aucun élément racine".into(), 0))?;
    Ok(Document { prologue, root })
}

fn unescape_simple(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn push_text(parent: &mut Elem, s: &str) {
    if let Some(Node::Text(prev)) = parent.children.last_mut() {
        prev.push_str(s);
    } else {
        parent.children.push(Node::Text(s.to_string()));
    }
}

/// Whether `s` is an XML 1.0 `Name` (what an element or attribute name must be): a parser
/// that took `<></>` or `<a 1="x">` would let a merge write a part Word cannot open.
pub fn nom_xml_valide(s: &str) -> bool {
    fn debut(c: char) -> bool {
        c == ':'
            || c == '_'
            || c.is_ascii_alphabetic()
            || matches!(c as u32, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
    }
    fn suite(c: char) -> bool {
        debut(c)
            || c == '-'
            || c == '.'
            || c.is_ascii_digit()
            || matches!(c as u32, 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
    }
    let mut it = s.chars();
    it.next().is_some_and(debut) && it.all(suite)
}

fn start_elem(s: &quick_xml::events::BytesStart<'_>) -> std::result::Result<Elem, String> {
    let name = s.name().as_ref().to_string();
    if !nom_xml_valide(&name) {
        return Err(format!("nom d'élément « {name} » invalide en XML"));
    }
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.as_ref().to_string();
        if !nom_xml_valide(&key) {
            return Err(format!(
                "nom d'attribut « {key} » invalide en XML (élément {name})"
            ));
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Elem {
        name,
        attrs,
        children: Vec::new(),
    })
}

/// Escape character data.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped_text(&mut out, s);
    out
}

/// Append escaped character data. Characters XML 1.0 forbids are dropped.
pub fn push_escaped_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Append an escaped attribute value (double-quoted).
pub fn push_escaped_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Write an element's start tag (`<name a="v">`, or `<name a="v"/>` when `vide`).
pub fn write_start(out: &mut String, e: &Elem, vide: bool) {
    out.push('<');
    out.push_str(&e.name);
    for (k, v) in &e.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        push_escaped_attr(out, v);
        out.push('"');
    }
    out.push_str(if vide { "/>" } else { ">" });
}

/// Serialize a plain element (no template nodes inside are expected; any are skipped).
pub fn write_elem(out: &mut String, e: &Elem) {
    if e.children.is_empty() {
        write_start(out, e, true);
        return;
    }
    write_start(out, e, false);
    for c in &e.children {
        match c {
            Node::Elem(x) => write_elem(out, x),
            Node::Text(t) => push_escaped_text(out, t),
            Node::Raw(r) => out.push_str(r),
            Node::Tag(_) | Node::Section(_) => {}
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_escapes() {
        let src = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="x"><w:body><w:p><w:r><w:t xml:space="preserve">a &amp; b &lt; &#233;</w:t></w:r></w:p><!-- c --></w:body></w:document>"#;
        let d = parse(src, "word/document.xml").unwrap();
        assert_eq!(d.root.text(), "a & b < é");
        let mut out = String::new();
        write_elem(&mut out, &d.root);
        assert!(out.contains("a &amp; b &lt; é"));
        assert!(out.contains("<!-- c -->"));
    }

    #[test]
    fn malformed_names_part_and_paragraph() {
        let e = parse(
            "<w:document><w:body><w:p/><w:p><w:r></w:p></w:body></w:document>",
            "word/header1.xml",
        )
        .unwrap_err();
        assert_eq!(e.code(), CodeErreur::ModeleInvalide);
        assert!(e.message().contains("word/header1.xml"));
        assert!(e.message().contains("paragraphe 2"), "{}", e.message());
        let e = parse("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "p").unwrap_err();
        assert_eq!(e.code(), CodeErreur::ModeleInvalide);
        assert!(parse("<a></a><b/>", "p").is_err());
        assert!(parse("", "p").is_err());
        assert!(parse("<a>", "p").is_err());
        let profond = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert_eq!(
            parse(&profond, "p").unwrap_err().code(),
            CodeErreur::LimiteDepassee
        );
    }
}
