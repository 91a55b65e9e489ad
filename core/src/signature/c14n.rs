//! W3C canonicalization of others' XML: C14N 1.0 and 1.1, exclusive C14N, each with or
//! without comments, over a node-set of a parsed document. The work is done by
//! `bergshamra-c14n`, which matches libxml2 (xmlsec1) byte for byte; mpe's own output is
//! still written canonically by `xml.rs`.

pub(crate) use bergshamra_c14n::C14nMode as ModeC14n;
pub(crate) use bergshamra_xml::NodeSet;

use super::document_xml::DocumentXml;
use crate::{CodeErreur, Erreur, Result};

/// Namespace of the exclusive C14N `InclusiveNamespaces` element.
pub(crate) const EXC_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// The mode of a CanonicalizationMethod / Transform URI, if it is a C14N one.
pub(crate) fn mode(uri: &str) -> Option<ModeC14n> {
    ModeC14n::from_uri(uri)
}

/// The mode of a CanonicalizationMethod, or a typed NON_PRIS_EN_CHARGE.
pub(crate) fn mode_exige(uri: &str) -> Result<ModeC14n> {
    mode(uri).ok_or_else(|| {
        Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!("canonicalisation non prise en charge : {uri}"),
        )
    })
}

/// The `PrefixList` of the `InclusiveNamespaces` child of a transform or
/// CanonicalizationMethod element (exclusive C14N only).
pub(crate) fn prefixes_inclus(d: &DocumentXml<'_>, methode: uppsala::NodeId) -> Vec<String> {
    d.enfant(methode, EXC_NS, "InclusiveNamespaces")
        .and_then(|n| d.attribut(n, "PrefixList").map(str::to_string))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Canonical bytes of `ensemble` (the whole document when `None`).
pub(crate) fn canonicaliser(
    d: &DocumentXml<'_>,
    mode: ModeC14n,
    ensemble: Option<&NodeSet>,
    prefixes: &[String],
) -> Result<Vec<u8>> {
    let prefixes: &[String] = if mode.is_exclusive() { prefixes } else { &[] };
    bergshamra_c14n::canonicalize_doc(&d.doc, mode, ensemble, prefixes).map_err(|e| {
        Erreur::new(
            CodeErreur::SignatureMalformee,
            format!("canonicalisation XML : {e}"),
        )
    })
}

/// The subtree rooted at `n` (comments kept only for a "WithComments" mode).
pub(crate) fn sous_arbre(d: &DocumentXml<'_>, n: uppsala::NodeId, commentaires: bool) -> NodeSet {
    if commentaires {
        NodeSet::tree_with_comments(n, &d.doc)
    } else {
        NodeSet::tree_without_comments(n, &d.doc)
    }
}

/// Canonical form of one element (SignedInfo, SignatureValue, SignedProperties).
pub(crate) fn element(
    d: &DocumentXml<'_>,
    n: uppsala::NodeId,
    mode: ModeC14n,
    prefixes: &[String],
) -> Result<Vec<u8>> {
    let ens = sous_arbre(d, n, mode.with_comments());
    canonicaliser(d, mode, Some(&ens), prefixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(xml: &str, uri: &str, id: &str) -> String {
        let d = DocumentXml::analyser(xml).unwrap();
        let n = d.par_id(id).unwrap();
        String::from_utf8(element(&d, n, mode_exige(uri).unwrap(), &[]).unwrap()).unwrap()
    }

    #[test]
    fn inclusif_herite_les_espaces_et_xml_attrs() {
        let xml = r#"<a xmlns="urn:a" xmlns:p="urn:p" xml:lang="fr"><b Id="x" z="1" a="2"><!--c--><p:c/></b></a>"#;
        assert_eq!(
            c(xml, "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "x"),
            r#"<b xmlns="urn:a" xmlns:p="urn:p" Id="x" a="2" z="1" xml:lang="fr"><p:c></p:c></b>"#
        );
        assert_eq!(
            c(xml, "http://www.w3.org/2001/10/xml-exc-c14n#", "x"),
            r#"<b xmlns="urn:a" Id="x" a="2" z="1"><p:c xmlns:p="urn:p"></p:c></b>"#
        );
        assert_eq!(
            c(
                xml,
                "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
                "x"
            ),
            r#"<b xmlns="urn:a" Id="x" a="2" z="1"><!--c--><p:c xmlns:p="urn:p"></p:c></b>"#
        );
    }

    #[test]
    fn mode_inconnu_non_supporte() {
        assert_eq!(
            mode_exige("urn:x").unwrap_err().code(),
            CodeErreur::NonPrisEnCharge
        );
    }
}
