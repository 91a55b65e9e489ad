//! A small, hostile-input-safe XML tree (no DTD, no entities beyond the five predefined and
//! character references) and exclusive C14N 1.0 of a subtree: what mpe needs to write its
//! own XAdES canonically. Others' XML is verified through `document_xml.rs` and `c14n.rs`.

use quick_xml::XmlVersion;
use quick_xml::events::Event;

use crate::{CodeErreur, Erreur, Result};

const MAX_DEPTH: usize = 256;
const MAX_SIZE: usize = 64 << 20;

/// An attribute, value already normalized (entities resolved, whitespace normalized).
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub qname: String,
    pub value: String,
}

/// An element with its namespace scope resolved.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub qname: String,
    /// Other attributes.
    pub attrs: Vec<Attr>,
    pub children: Vec<Node>,
    /// In-scope namespaces after this element's declarations (prefix, uri), sorted.
    pub scope: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

fn err(m: impl Into<String>) -> Erreur {
    Erreur::new(
        CodeErreur::SignatureMalformee,
        format!("XML : {}", m.into()),
    )
}

pub(crate) fn split(qname: &str) -> (&str, &str) {
    match qname.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", qname),
    }
}

impl Element {
    pub(crate) fn local(&self) -> &str {
        split(&self.qname).1
    }
    pub(crate) fn ns(&self) -> &str {
        let p = split(&self.qname).0;
        self.lookup(p).unwrap_or("")
    }
    fn lookup(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        self.scope
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
    }
    pub(crate) fn is(&self, ns: &str, local: &str) -> bool {
        self.local() == local && self.ns() == ns
    }
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }
    pub(crate) fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(ns, local))
    }
    /// Every element of the subtree, depth first (self included).
    pub(crate) fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        let mut i = 0;
        while let Some(e) = out.get(i).copied() {
            out.extend(e.elements());
            i += 1;
        }
        out
    }
}

/// Parse a document, refusing DTDs and entity references.
pub(crate) fn parse(data: &[u8]) -> Result<Element> {
    if data.len() > MAX_SIZE {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            "XML trop volumineux",
        ));
    }
    let text = std::str::from_utf8(data).map_err(|_| err("document non UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![];
    let mut root: Option<Element> = None;
    loop {
        let ev = reader.read_event().map_err(|e| err(e.to_string()))?;
        match ev {
            Event::DocType(_) => {
                return Err(Erreur::new(
                    CodeErreur::XmlDtdInterdite,
                    "XML avec DTD refusé (entités interdites)",
                ));
            }
            Event::Start(s) | Event::Empty(s) if root.is_some() && stack.is_empty() => {
                let _ = s;
                return Err(err("plusieurs éléments racine"));
            }
            Event::Start(s) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Erreur::new(CodeErreur::LimiteDepassee, "XML trop profond"));
                }
                let e = element(&s, stack.last())?;
                stack.push(e);
            }
            Event::Empty(s) => {
                let e = element(&s, stack.last())?;
                attach(&mut stack, &mut root, e);
            }
            Event::End(_) => {
                let e = stack
                    .pop()
                    .ok_or_else(|| err("balise fermante orpheline"))?;
                attach(&mut stack, &mut root, e);
            }
            Event::Text(t) => {
                let content = t.xml10_content().into_owned();
                push_text(&mut stack, &content)?;
            }
            Event::CData(t) => {
                let content = t.xml10_content().into_owned();
                push_text(&mut stack, &content)?;
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                let c = resolve_ref(&name)?;
                push_text(&mut stack, &c)?;
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(Erreur::new(CodeErreur::Tronque, "XML tronqué"));
    }
    root.ok_or_else(|| err("aucun élément"))
}

fn resolve_ref(name: &str) -> Result<String> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let code = if let Some(h) = name.strip_prefix("#x") {
                u32::from_str_radix(h, 16).ok()
            } else if let Some(d) = name.strip_prefix('#') {
                d.parse().ok()
            } else {
                return Err(Erreur::new(
                    CodeErreur::XmlDtdInterdite,
                    format!("entité « {name} » refusée"),
                ));
            };
            code.and_then(char::from_u32)
                .ok_or_else(|| err(format!("référence de caractère invalide &{name};")))?
        }
    };
    Ok(c.to_string())
}

fn push_text(stack: &mut [Element], content: &str) -> Result<()> {
    match stack.last_mut() {
        Some(e) => {
            if let Some(Node::Text(t)) = e.children.last_mut() {
                t.push_str(content);
            } else {
                e.children.push(Node::Text(content.to_string()));
            }
            Ok(())
        }
        None if content.trim().is_empty() => Ok(()),
        None => Err(err("texte hors de l'élément racine")),
    }
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, e: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(e)),
        None => *root = Some(e),
    }
}

fn element(s: &quick_xml::events::BytesStart<'_>, parent: Option<&Element>) -> Result<Element> {
    let qname = s.name().as_ref().to_string();
    let mut decls = vec![];
    let mut attrs = vec![];
    for a in s.attributes().with_checks(true) {
        let a = a.map_err(|e| err(e.to_string()))?;
        let key = a.key.as_ref().to_string();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| match e {
                quick_xml::Error::Escape(_) => Erreur::new(
                    CodeErreur::XmlDtdInterdite,
                    "entité refusée dans un attribut",
                ),
                other => err(other.to_string()),
            })?;
        let value = value.into_owned();
        if key == "xmlns" {
            decls.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            decls.push((p.to_string(), value));
        } else {
            attrs.push(Attr { qname: key, value });
        }
    }
    let mut scope: Vec<(String, String)> = parent.map(|p| p.scope.clone()).unwrap_or_default();
    for (p, u) in &decls {
        scope.retain(|(q, _)| q != p);
        scope.push((p.clone(), u.clone()));
    }
    scope.sort();
    let e = Element {
        qname,
        attrs,
        children: vec![],
        scope,
    };
    let (p, _) = split(&e.qname);
    if !p.is_empty() && e.lookup(p).is_none() {
        return Err(err(format!("préfixe d'espace de noms non déclaré : {p}")));
    }
    Ok(e)
}

/// Canonicalization algorithm of mpe's own output (exclusive C14N 1.0; others' XML is
/// canonicalized by `c14n.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum C14n {
    Exclusive,
}

impl C14n {
    pub(crate) const EXC: &'static str = "http://www.w3.org/2001/10/xml-exc-c14n#";
}

/// Canonical form of the subtree rooted at `e` (a document subset: the element, its
/// attributes and descendants, comments excluded).
pub(crate) fn canonicalize(e: &Element, alg: C14n) -> String {
    let mut out = String::new();
    c14n_element(e, alg, &[], &mut out);
    out
}

fn c14n_element(e: &Element, alg: C14n, rendered: &[(String, String)], out: &mut String) {
    // Namespaces to render on this element.
    let mut ns: Vec<(String, String)> = vec![];
    let visible = |prefix: &str| -> bool {
        split(&e.qname).0 == prefix
            || e.attrs
                .iter()
                .any(|a| split(&a.qname).0 == prefix && a.qname.contains(':'))
    };
    let candidates: Vec<(String, String)> = e.scope.clone();
    for (p, u) in &candidates {
        if !visible(p) {
            continue;
        }
        let already = rendered
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, v)| v.as_str());
        if p.is_empty() {
            // xmlns="" only to undo a rendered non-empty default.
            if u.is_empty() {
                if already.is_some_and(|v| !v.is_empty()) {
                    ns.push((String::new(), String::new()));
                }
                continue;
            }
        }
        if already != Some(u.as_str()) {
            ns.push((p.clone(), u.clone()));
        }
    }
    // Exclusive: an unprefixed element whose default namespace is empty but an ancestor
    // rendered one needs xmlns="".
    if alg == C14n::Exclusive
        && split(&e.qname).0.is_empty()
        && !e.scope.iter().any(|(p, _)| p.is_empty())
        && rendered.iter().any(|(p, u)| p.is_empty() && !u.is_empty())
    {
        ns.push((String::new(), String::new()));
    }
    ns.sort();
    ns.dedup();
    let mut attrs: Vec<(String, String, &Attr)> = e
        .attrs
        .iter()
        .map(|a| {
            let (p, l) = split(&a.qname);
            let uri = if a.qname.contains(':') {
                e.lookup(p).unwrap_or("").to_string()
            } else {
                String::new()
            };
            (uri, l.to_string(), a)
        })
        .collect();
    attrs.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    out.push('<');
    out.push_str(&e.qname);
    for (p, u) in &ns {
        if p.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(p);
            out.push_str("=\"");
        }
        escape_attr(u, out);
        out.push('"');
    }
    for (_, _, a) in &attrs {
        out.push(' ');
        out.push_str(&a.qname);
        out.push_str("=\"");
        escape_attr(&a.value, out);
        out.push('"');
    }
    out.push('>');
    let mut now: Vec<(String, String)> = rendered.to_vec();
    for (p, u) in ns {
        now.retain(|(q, _)| q != &p);
        now.push((p, u));
    }
    for c in &e.children {
        match c {
            Node::Text(t) => escape_text(t, out),
            Node::Element(child) => c14n_element(child, alg, &now, out),
        }
    }
    out.push_str("</");
    out.push_str(&e.qname);
    out.push('>');
}

fn escape_text(t: &str, out: &mut String) {
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(t: &str, out: &mut String) {
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// Escape text for writing our own XML.
pub(crate) fn escape(t: &str) -> String {
    let mut s = String::new();
    escape_attr(t, &mut s);
    s.replace('>', "&gt;")
}
