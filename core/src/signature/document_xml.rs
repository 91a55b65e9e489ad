//! The XML document a signature is verified in: parsed once (DTDs refused, so no entity
//! can change what is canonicalized), with the navigation XML-DSig needs and the index of
//! `Id` attributes (an Id given to two elements is refused: signature wrapping).

use std::borrow::Cow;
use std::collections::HashMap;

use uppsala::{Document, NodeId, NodeKind};

use crate::{CodeErreur, Erreur, Result};

/// Largest XML accepted (a trusted list is a few MB; an enveloping signature carries its
/// document).
const MAX_TAILLE: usize = 256 << 20;
/// Deepest element nesting accepted.
const MAX_PROFONDEUR: u32 = 256;

/// The text of an XML file: UTF-8 (BOM removed), UTF-16 with a BOM, or ISO-8859-1 /
/// windows-1252 when the declaration says so.
pub(crate) fn texte(data: &[u8]) -> Result<Cow<'_, str>> {
    if data.len() > MAX_TAILLE {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            "XML trop volumineux",
        ));
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF") {
        let le = data.starts_with(b"\xFF\xFE");
        let units: Vec<u16> = data
            .get(2..)
            .unwrap_or_default()
            .chunks_exact(2)
            .map(|c| match c {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0,
            })
            .collect();
        return String::from_utf16(&units)
            .map(Cow::Owned)
            .map_err(|_| malforme("UTF-16 invalide"));
    }
    match std::str::from_utf8(data) {
        Ok(t) => Ok(Cow::Borrowed(t)),
        Err(_) => {
            let head = String::from_utf8_lossy(data.get(..200).unwrap_or(data)).to_lowercase();
            let latin = ["iso-8859-1", "latin1", "windows-1252", "iso-8859-15"];
            if head.starts_with("<?xml") && latin.iter().any(|l| head.contains(l)) {
                // Every byte is one code point in ISO-8859-1 (the C1 range of windows-1252
                // is kept as is: canonical XML is computed over the characters read).
                Ok(Cow::Owned(data.iter().map(|&b| char::from(b)).collect()))
            } else {
                Err(malforme("document ni UTF-8, ni UTF-16, ni ISO-8859-1"))
            }
        }
    }
}

pub(crate) fn malforme(m: impl Into<String>) -> Erreur {
    Erreur::new(
        CodeErreur::SignatureMalformee,
        format!("XML : {}", m.into()),
    )
}

/// A parsed document and its Id index.
pub(crate) struct DocumentXml<'a> {
    pub doc: Document<'a>,
    ids: HashMap<String, Vec<NodeId>>,
}

impl std::fmt::Debug for DocumentXml<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentXml")
            .field("ids", &self.ids.len())
            .finish()
    }
}

impl<'a> DocumentXml<'a> {
    /// Parse, refusing any DOCTYPE (XML_DTD_INTERDITE).
    pub(crate) fn analyser(texte: &'a str) -> Result<DocumentXml<'a>> {
        let mut doc = uppsala::Parser::new()
            .with_forbid_dtd(true)
            .with_max_depth(MAX_PROFONDEUR)
            .parse(texte)
            .map_err(|e| {
                if prologue_a_doctype(texte) || entite_non_predefinie(texte) {
                    Erreur::new(
                        CodeErreur::XmlDtdInterdite,
                        "XML avec DTD refusé (entités interdites)",
                    )
                } else if e.to_string().contains("maximum depth") {
                    // A hostile nesting is a limit, not a malformed signature.
                    Erreur::new(
                        CodeErreur::LimiteDepassee,
                        format!("XML imbriqué au-delà de {MAX_PROFONDEUR} niveaux"),
                    )
                } else {
                    malforme(e.to_string())
                }
            })?;
        // XPath Filter 2.0 evaluates expressions over attributes too.
        if texte.contains("xmldsig-filter2") {
            doc.prepare_xpath();
        }
        let mut ids: HashMap<String, Vec<NodeId>> = HashMap::new();
        for n in doc.descendants(doc.root()) {
            if let Some(NodeKind::Element(e)) = doc.node_kind(n) {
                for a in &e.attributes {
                    let prefix = a.name.prefix.as_deref().unwrap_or("");
                    let local = a.name.local_name.as_ref();
                    let est_id =
                        matches!((prefix, local), ("", "Id" | "ID" | "id") | ("xml", "id"));
                    if est_id {
                        ids.entry(a.value.to_string()).or_default().push(n);
                    }
                }
            }
        }
        Ok(DocumentXml { doc, ids })
    }

    /// The element carrying this Id: exactly one, or an error (absent:
    /// XML_REFERENCE_INTROUVABLE; several: XML_ENVELOPPEMENT).
    pub(crate) fn par_id(&self, id: &str) -> Result<NodeId> {
        match self.ids.get(id).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            None | Some([]) => Err(Erreur::new(
                CodeErreur::XmlReferenceIntrouvable,
                format!("référence « #{id} » introuvable dans le document"),
            )),
            Some(_) => Err(Erreur::new(
                CodeErreur::XmlEnveloppement,
                format!("identifiant « {id} » porté par plusieurs éléments (signature wrapping)"),
            )),
        }
    }

    pub(crate) fn racine(&self) -> Result<NodeId> {
        self.doc
            .document_element()
            .ok_or_else(|| malforme("aucun élément"))
    }

    /// Is `n` the element `{ns}local`?
    pub(crate) fn est(&self, n: NodeId, ns: &str, local: &str) -> bool {
        match self.doc.node_kind(n) {
            Some(NodeKind::Element(e)) => {
                e.name.local_name == local && e.name.namespace_uri.as_deref().unwrap_or("") == ns
            }
            _ => false,
        }
    }

    /// Local name of an element (empty for other nodes).
    pub(crate) fn nom_local(&self, n: NodeId) -> &str {
        match self.doc.node_kind(n) {
            Some(NodeKind::Element(e)) => e.name.local_name.as_ref(),
            _ => "",
        }
    }

    /// Namespace of an element.
    pub(crate) fn espace(&self, n: NodeId) -> &str {
        match self.doc.node_kind(n) {
            Some(NodeKind::Element(e)) => e.name.namespace_uri.as_deref().unwrap_or(""),
            _ => "",
        }
    }

    /// Child elements, in order.
    pub(crate) fn enfants(&self, n: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.doc
            .children_iter(n)
            .filter(|c| matches!(self.doc.node_kind(*c), Some(NodeKind::Element(_))))
    }

    /// The first child element `{ns}local`.
    pub(crate) fn enfant(&self, n: NodeId, ns: &str, local: &str) -> Option<NodeId> {
        self.enfants(n).find(|c| self.est(*c, ns, local))
    }

    /// Every element of the subtree (self included), document order.
    pub(crate) fn elements(&self, n: NodeId) -> Vec<NodeId> {
        let mut out = vec![];
        if matches!(self.doc.node_kind(n), Some(NodeKind::Element(_))) {
            out.push(n);
        }
        out.extend(
            self.doc
                .descendants(n)
                .into_iter()
                .filter(|d| matches!(self.doc.node_kind(*d), Some(NodeKind::Element(_)))),
        );
        out
    }

    /// An attribute without namespace.
    pub(crate) fn attribut(&self, n: NodeId, nom: &str) -> Option<&str> {
        match self.doc.node_kind(n) {
            Some(NodeKind::Element(e)) => e
                .attributes
                .iter()
                .find(|a| a.name.prefix.is_none() && a.name.local_name == nom)
                .map(|a| a.value.as_ref()),
            _ => None,
        }
    }

    /// The text of the subtree (text and CDATA).
    pub(crate) fn texte(&self, n: NodeId) -> String {
        self.doc.text_content_deep(n)
    }

    /// Base64 content of an element (whitespace ignored).
    pub(crate) fn base64(&self, n: NodeId) -> Result<Vec<u8>> {
        use base64::Engine;
        let t: String = self
            .texte(n)
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(t)
            .map_err(|_| {
                Erreur::new(
                    CodeErreur::SignatureMalformee,
                    format!("base64 invalide dans {}", self.nom_local(n)),
                )
            })
    }

    /// Is `n` inside `ancetre` (or the same node)?
    pub(crate) fn dans(&self, n: NodeId, ancetre: NodeId) -> bool {
        let mut cur = Some(n);
        while let Some(c) = cur {
            if c == ancetre {
                return true;
            }
            cur = self.doc.parent(c);
        }
        false
    }

    /// Nearest ancestor (self excluded) `{ns}local`.
    pub(crate) fn ancetre(&self, n: NodeId, ns: &str, local: &str) -> Option<NodeId> {
        let mut cur = self.doc.parent(n);
        while let Some(c) = cur {
            if self.est(c, ns, local) {
                return Some(c);
            }
            cur = self.doc.parent(c);
        }
        None
    }

    /// In-scope namespace of a prefix at `n` ("" = default namespace).
    pub(crate) fn espace_du_prefixe(&self, n: NodeId, prefixe: &str) -> Option<String> {
        if prefixe == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace".into());
        }
        let mut cur = Some(n);
        while let Some(c) = cur {
            if let Some(NodeKind::Element(e)) = self.doc.node_kind(c)
                && let Some((_, u)) = e
                    .namespace_declarations
                    .iter()
                    .find(|(p, _)| p.as_ref() == prefixe)
            {
                return Some(u.to_string());
            }
            cur = self.doc.parent(c);
        }
        None
    }

    /// Every (prefix, namespace) in scope at `n`, innermost first.
    pub(crate) fn espaces_en_portee(&self, n: NodeId) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = vec![];
        let mut cur = Some(n);
        while let Some(c) = cur {
            if let Some(NodeKind::Element(e)) = self.doc.node_kind(c) {
                for (p, u) in &e.namespace_declarations {
                    if !out.iter().any(|(q, _)| q == p.as_ref()) {
                        out.push((p.to_string(), u.to_string()));
                    }
                }
            }
            cur = self.doc.parent(c);
        }
        out
    }
}

/// Does the text use an entity that only a DTD could define (`&name;` other than the five
/// predefined ones and character references)?
fn entite_non_predefinie(texte: &str) -> bool {
    texte.match_indices('&').any(|(i, _)| {
        let reste = texte.get(i + 1..).unwrap_or_default();
        let nom: String = reste
            .chars()
            .take_while(|c| c.is_alphanumeric() || "_-.:".contains(*c))
            .collect();
        !nom.is_empty()
            && reste.get(nom.len()..).is_some_and(|r| r.starts_with(';'))
            && !matches!(nom.as_str(), "lt" | "gt" | "amp" | "apos" | "quot")
    })
}

/// Does the prolog (before the root element) hold a DOCTYPE?
fn prologue_a_doctype(texte: &str) -> bool {
    let mut rest = texte;
    loop {
        rest = rest.trim_start();
        if rest.starts_with("<!DOCTYPE") {
            return true;
        }
        let fin = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else {
            None
        };
        match fin.and_then(|i| rest.get(i..)) {
            Some(r) => rest = r,
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctype_refuse_avec_son_code() {
        let t = "<?xml version=\"1.0\"?>\n<!-- x --><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>";
        let e = DocumentXml::analyser(t).unwrap_err();
        assert_eq!(e.code(), CodeErreur::XmlDtdInterdite);
    }

    #[test]
    fn entite_inconnue_refusee() {
        let e = DocumentXml::analyser("<a>&e;</a>").unwrap_err();
        assert_eq!(e.code(), CodeErreur::XmlDtdInterdite);
        let e = DocumentXml::analyser("<a>&#1;&</a>").unwrap_err();
        assert_eq!(e.code(), CodeErreur::SignatureMalformee);
    }

    #[test]
    fn id_en_double_refuse() {
        let t = "<a><b Id=\"x\"/><c Id=\"x\"/><d ID=\"y\"/></a>";
        let d = DocumentXml::analyser(t).unwrap();
        assert_eq!(
            d.par_id("x").unwrap_err().code(),
            CodeErreur::XmlEnveloppement
        );
        assert!(d.par_id("y").is_ok());
        assert_eq!(
            d.par_id("z").unwrap_err().code(),
            CodeErreur::XmlReferenceIntrouvable
        );
    }

    #[test]
    fn encodages() {
        assert_eq!(texte(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<a/>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(texte(&utf16).unwrap(), "<a/>");
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>";
        assert!(texte(latin).unwrap().contains('é'));
        assert_eq!(
            texte(b"<a>\xff</a>").unwrap_err().code(),
            CodeErreur::SignatureMalformee
        );
    }
}
