//! A `ds:Reference` turned into the bytes its DigestValue covers: the URI dereferenced
//! (whole document, an element by Id, or a document the host gives — never the network or
//! the file system) then the transforms applied in order (enveloped signature, C14N in its
//! six forms, base64, the XPath filters of enveloped signatures, XPath Filter 2.0).

use uppsala::{NodeId, NodeKind};

use super::DonneesSignees;
use super::c14n::{self, ModeC14n, NodeSet};
use super::document_xml::DocumentXml;
use super::signer::AlgorithmeEmpreinte;
use crate::{CodeErreur, Erreur, Result};

pub(crate) const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPPEE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const BASE64: &str = "http://www.w3.org/2000/09/xmldsig#base64";
const XPATH: &str = "http://www.w3.org/TR/1999/REC-xpath-19991116";
const XPATH2: &str = "http://www.w3.org/2002/06/xmldsig-filter2";
/// Largest detached document read into memory (when transforms need its bytes).
const MAX_DETACHE: u64 = 256 << 20;

/// What the host gives for references outside the document: named documents, and one
/// unnamed document (the "signed file" of a detached signature).
pub(crate) struct Externes<'n, 'h> {
    nommes: &'n [(String, Vec<u8>)],
    anonyme: Option<DonneesSignees<'h>>,
    /// The unnamed document once read (it may be needed twice).
    lu: Option<Vec<u8>>,
}

impl std::fmt::Debug for Externes<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Externes")
            .field("nommes", &self.nommes.len())
            .field("anonyme", &self.anonyme.is_some())
            .finish()
    }
}

fn manquant(uri: &str) -> Erreur {
    Erreur::new(
        CodeErreur::FichierSigneManquant,
        format!("donnée signée « {uri} » non fournie (référence externe à la signature)"),
    )
}

/// Percent-decoding of a URI reference (RFC 3986).
fn decoder_uri(uri: &str) -> String {
    let b = uri.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%'
            && let Some(h) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
            continue;
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn nom_de_base(s: &str) -> &str {
    s.rsplit(['/', '\\']).next().unwrap_or(s)
}

impl<'n, 'h> Externes<'n, 'h> {
    pub(crate) fn new(
        nommes: &'n [(String, Vec<u8>)],
        anonyme: Option<DonneesSignees<'h>>,
    ) -> Externes<'n, 'h> {
        Externes {
            nommes,
            anonyme,
            lu: None,
        }
    }

    /// The named document a URI designates: same name, or same last path segment.
    fn nomme(&self, uri: &str) -> Option<&'n [u8]> {
        let u = decoder_uri(uri);
        let u = u.strip_prefix("./").unwrap_or(&u);
        let nommes: &'n [(String, Vec<u8>)] = self.nommes;
        nommes
            .iter()
            .find(|(n, _)| n == u)
            .or_else(|| {
                nommes
                    .iter()
                    .find(|(n, _)| nom_de_base(n) == nom_de_base(u) && !nom_de_base(u).is_empty())
            })
            .map(|(_, b)| b.as_slice())
    }

    /// Keep the unnamed document in memory: an archive timestamp covers it again after
    /// the reference digests (it cannot be streamed once).
    pub(crate) fn garder_anonyme(&mut self) -> Result<()> {
        if self.anonyme.is_some() {
            self.anonyme_octets()?;
        }
        Ok(())
    }

    fn a_anonyme(&self) -> bool {
        self.anonyme.is_some() || self.lu.is_some()
    }

    /// The unnamed document, read into memory (bounded).
    fn anonyme_octets(&mut self) -> Result<&[u8]> {
        if self.lu.is_none() {
            let v = match self.anonyme.take() {
                Some(DonneesSignees::Octets(b)) => b.to_vec(),
                Some(DonneesSignees::Lecteur(r)) => {
                    use std::io::Read;
                    let mut v = vec![];
                    r.take(MAX_DETACHE + 1).read_to_end(&mut v).map_err(|e| {
                        Erreur::new(CodeErreur::Es, format!("lecture du fichier signé : {e}"))
                    })?;
                    if v.len() as u64 > MAX_DETACHE {
                        return Err(Erreur::new(
                            CodeErreur::LimiteDepassee,
                            "fichier signé trop grand pour les transformations XML",
                        ));
                    }
                    v
                }
                Some(DonneesSignees::Empreinte { .. }) => {
                    return Err(Erreur::new(
                        CodeErreur::FichierSigneManquant,
                        "seule l'empreinte du fichier signé est fournie : les transformations XML demandent son contenu",
                    ));
                }
                None => return Err(manquant("")),
            };
            self.lu = Some(v);
        }
        Ok(self.lu.as_deref().unwrap_or_default())
    }

    /// Digest of an external reference without transforms (a big detached file is hashed
    /// in streaming when it is used once).
    fn empreinte(
        &mut self,
        uri: &str,
        alg: AlgorithmeEmpreinte,
        anonyme_permis: bool,
        une_seule_fois: bool,
    ) -> Result<Vec<u8>> {
        if let Some(b) = self.nomme(uri) {
            return Ok(alg.hash(b));
        }
        if !anonyme_permis || !self.a_anonyme() {
            return Err(manquant(uri));
        }
        // A reader used once is hashed in streaming; a digest given alone serves as is.
        let direct = match &self.anonyme {
            Some(DonneesSignees::Lecteur(_)) => une_seule_fois && self.lu.is_none(),
            Some(DonneesSignees::Empreinte { .. }) => true,
            _ => false,
        };
        if direct && let Some(mut d) = self.anonyme.take() {
            return d.digest(alg);
        }
        Ok(alg.hash(self.anonyme_octets()?))
    }

    fn octets(&mut self, uri: &str, anonyme_permis: bool) -> Result<Vec<u8>> {
        if let Some(b) = self.nomme(uri) {
            return Ok(b.to_vec());
        }
        if !anonyme_permis || !self.a_anonyme() {
            return Err(manquant(uri));
        }
        Ok(self.anonyme_octets()?.to_vec())
    }
}

/// Is this URI outside the document?
pub(crate) fn est_externe(uri: Option<&str>) -> bool {
    !matches!(uri, Some(u) if u.is_empty() || u.starts_with('#'))
}

/// Data between transforms.
enum Donnee {
    Noeuds(NodeSet),
    Octets(Vec<u8>),
}

/// Where a reference is evaluated.
pub(crate) struct Contexte<'c, 'd, 'n, 'h> {
    pub d: &'c DocumentXml<'d>,
    /// The `ds:Signature` holding the reference (for the enveloped-signature transform).
    pub signature: NodeId,
    pub externes: &'c mut Externes<'n, 'h>,
    /// The unnamed host document may stand for this reference (the only external one).
    pub anonyme_permis: bool,
    /// The unnamed document is used by no other reference (it can be streamed).
    pub une_seule_fois: bool,
}

fn non_supporte(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::NonPrisEnCharge, m.into())
}

/// The element an `#xpointer(id('X'))` designates.
fn xpointer_id(fragment: &str) -> Option<&str> {
    let inner = fragment.strip_prefix("xpointer(id(")?.strip_suffix("))")?;
    inner
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
}

/// The target node of a same-document reference (None for the whole document).
pub(crate) fn cible(d: &DocumentXml<'_>, uri: &str) -> Result<Option<NodeId>> {
    let Some(frag) = uri.strip_prefix('#') else {
        return Ok(None);
    };
    if frag == "xpointer(/)" {
        return Ok(None);
    }
    if let Some(id) = xpointer_id(frag) {
        return d.par_id(id).map(Some);
    }
    if frag.starts_with("xpointer(") {
        return Err(non_supporte(format!("XPointer non pris en charge : {uri}")));
    }
    d.par_id(frag).map(Some)
}

/// The digest of the data a `ds:Reference` covers.
pub(crate) fn empreinte(
    ctx: &mut Contexte<'_, '_, '_, '_>,
    reference: NodeId,
    alg: AlgorithmeEmpreinte,
) -> Result<Vec<u8>> {
    match donnees(ctx, reference, Some(alg))? {
        Sortie::Empreinte(e) => Ok(e),
        Sortie::Octets(o) => Ok(alg.hash(&o)),
    }
}

/// The octets a `ds:Reference` covers, after its transforms (the input of its digest):
/// what an archive timestamp covers for it (ETSI EN 319 132-1, 5.5.2).
pub(crate) fn octets(ctx: &mut Contexte<'_, '_, '_, '_>, reference: NodeId) -> Result<Vec<u8>> {
    match donnees(ctx, reference, None)? {
        Sortie::Octets(o) => Ok(o),
        Sortie::Empreinte(_) => Err(Erreur::internal("octets de référence attendus")),
    }
}

enum Sortie {
    Empreinte(Vec<u8>),
    Octets(Vec<u8>),
}

/// With `alg`, an external reference without transforms is only hashed (in streaming
/// when it can be).
fn donnees(
    ctx: &mut Contexte<'_, '_, '_, '_>,
    reference: NodeId,
    alg: Option<AlgorithmeEmpreinte>,
) -> Result<Sortie> {
    let d = ctx.d;
    let uri = d.attribut(reference, "URI");
    let transforms: Vec<NodeId> = d
        .enfant(reference, DS, "Transforms")
        .map(|t| {
            d.enfants(t)
                .filter(|x| d.est(*x, DS, "Transform"))
                .collect()
        })
        .unwrap_or_default();
    let mut donnee = match uri {
        Some("") => Donnee::Noeuds(NodeSet::all_without_comments(&d.doc)),
        Some(u) if u.starts_with('#') => {
            let commentaires = u.starts_with("#xpointer(");
            match cible(d, u)? {
                None => Donnee::Noeuds(NodeSet::all(&d.doc)),
                Some(n) => Donnee::Noeuds(c14n::sous_arbre(d, n, commentaires)),
            }
        }
        _ => {
            let u = uri.unwrap_or("");
            if let (true, Some(alg)) = (transforms.is_empty(), alg) {
                return ctx
                    .externes
                    .empreinte(u, alg, ctx.anonyme_permis, ctx.une_seule_fois)
                    .map(Sortie::Empreinte);
            }
            Donnee::Octets(ctx.externes.octets(u, ctx.anonyme_permis)?)
        }
    };
    for t in transforms {
        donnee = transformer(ctx, t, donnee)?;
    }
    let octets = match donnee {
        Donnee::Octets(b) => b,
        // A node-set left at the end is serialized with inclusive C14N 1.0 (XMLDSig 4.4.3.2).
        Donnee::Noeuds(ns) => c14n::canonicaliser(d, ModeC14n::Inclusive, Some(&ns), &[])?,
    };
    Ok(Sortie::Octets(octets))
}

fn transformer(ctx: &Contexte<'_, '_, '_, '_>, t: NodeId, donnee: Donnee) -> Result<Donnee> {
    let d = ctx.d;
    let alg = d.attribut(t, "Algorithm").unwrap_or("");
    if let Some(mode) = c14n::mode(alg) {
        let prefixes = c14n::prefixes_inclus(d, t);
        return Ok(Donnee::Octets(match donnee {
            Donnee::Noeuds(ns) => c14n::canonicaliser(d, mode, Some(&ns), &prefixes)?,
            Donnee::Octets(b) => canonicaliser_octets(&b, mode, &prefixes)?,
        }));
    }
    match (alg, donnee) {
        (ENVELOPPEE, Donnee::Noeuds(mut ns)) => {
            retirer(d, ctx.signature, &mut ns);
            Ok(Donnee::Noeuds(ns))
        }
        (BASE64, Donnee::Noeuds(ns)) => decoder_base64(&texte_des_noeuds(d, &ns)),
        (BASE64, Donnee::Octets(b)) => decoder_base64(&String::from_utf8_lossy(&b)),
        (XPATH, Donnee::Noeuds(ns)) => filtre_xpath(d, t, ns).map(Donnee::Noeuds),
        (XPATH2, Donnee::Noeuds(ns)) => filtre_xpath2(d, t, ns).map(Donnee::Noeuds),
        (ENVELOPPEE | XPATH | XPATH2, Donnee::Octets(_)) => Err(non_supporte(format!(
            "transformation {alg} sur un document externe non prise en charge"
        ))),
        (autre, _) => Err(non_supporte(format!(
            "transformation XML non prise en charge : {autre}"
        ))),
    }
}

/// C14N of an octet stream: parsed as a document of its own (DTDs still refused).
fn canonicaliser_octets(b: &[u8], mode: ModeC14n, prefixes: &[String]) -> Result<Vec<u8>> {
    let t = super::document_xml::texte(b)?;
    let d = DocumentXml::analyser(&t)?;
    c14n::canonicaliser(&d, mode, None, prefixes)
}

fn decoder_base64(t: &str) -> Result<Donnee> {
    use base64::Engine;
    let propre: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(propre)
        .map(Donnee::Octets)
        .map_err(|_| {
            Erreur::new(
                CodeErreur::SignatureMalformee,
                "transformation base64 : contenu non base64",
            )
        })
}

/// The text nodes of a node-set, in document order (the base64 transform's input).
fn texte_des_noeuds(d: &DocumentXml<'_>, ns: &NodeSet) -> String {
    let mut s = String::new();
    for n in d.doc.descendants(d.doc.root()) {
        if let Some(NodeKind::Text(t) | NodeKind::CData(t)) = d.doc.node_kind(n)
            && ns.contains_id(n)
        {
            s.push_str(t);
        }
    }
    s
}

/// Remove `n` and its subtree from the node-set.
fn retirer(d: &DocumentXml<'_>, n: NodeId, ns: &mut NodeSet) {
    ns.remove_id(n);
    for c in d.doc.descendants(n) {
        ns.remove_id(c);
    }
}

/// Every node of the subtree of `n` (self included), as a node-set.
fn sous_arbre_complet(d: &DocumentXml<'_>, n: NodeId, ns: &mut NodeSet) {
    ns.insert_id(n);
    for c in d.doc.descendants(n) {
        ns.insert_id(c);
    }
}

/// The element name `prefix:local` of an XPath step, resolved at the XPath element.
fn nom_resolu(d: &DocumentXml<'_>, xpath: NodeId, qname: &str) -> Result<(String, String)> {
    let (p, l) = qname.split_once(':').unwrap_or(("", qname));
    let ns = if p.is_empty() {
        String::new()
    } else {
        d.espace_du_prefixe(xpath, p)
            .ok_or_else(|| non_supporte(format!("préfixe XPath non déclaré : {p}")))?
    };
    Ok((ns, l.to_string()))
}

/// The XPath 1.0 transform. Signers use it for one thing: removing the signature
/// (`not(ancestor-or-self::ds:Signature)`) or keeping one element
/// (`ancestor-or-self::x:Y`); other expressions are a typed NON_PRIS_EN_CHARGE.
fn filtre_xpath(d: &DocumentXml<'_>, t: NodeId, ns: NodeSet) -> Result<NodeSet> {
    let x = d
        .enfant(t, DS, "XPath")
        .ok_or_else(|| non_supporte("transformation XPath sans expression"))?;
    let expr: String = d.texte(x).split_whitespace().collect::<Vec<_>>().join("");
    let (garder, nom) = if let Some(n) = expr
        .strip_prefix("not(ancestor-or-self::")
        .and_then(|s| s.strip_suffix(')'))
    {
        (false, n)
    } else if let Some(n) = expr.strip_prefix("ancestor-or-self::") {
        (true, n)
    } else {
        return Err(non_supporte(format!(
            "expression XPath non prise en charge : {}",
            d.texte(x).trim()
        )));
    };
    if nom.is_empty()
        || !nom
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.:".contains(c))
    {
        return Err(non_supporte(format!(
            "expression XPath non prise en charge : {expr}"
        )));
    }
    let (uri, local) = nom_resolu(d, x, nom)?;
    let mut cibles = NodeSet::new();
    for n in d.elements(d.doc.root()) {
        if d.est(n, &uri, &local) {
            sous_arbre_complet(d, n, &mut cibles);
        }
    }
    Ok(if garder {
        ns.intersection(&cibles)
    } else {
        ns.subtract(&cibles)
    })
}

/// XPath Filter 2.0 (RFC 3653 §3.4): the filter node-set F starts as every node of the
/// document; each XPath's subtree-expanded result S is intersected with F, subtracted from
/// it or added to it, in order; the output is the input node-set intersected with F. A
/// `union` can thus only give back nodes the input had (never the comments an `URI=""`
/// dropped), which applying the filters to the input itself would not.
fn filtre_xpath2(d: &DocumentXml<'_>, t: NodeId, ns: NodeSet) -> Result<NodeSet> {
    let mut eval = uppsala::XPathEvaluator::new();
    let mut filtre = NodeSet::all(&d.doc);
    let filtres: Vec<NodeId> = d
        .enfants(t)
        .filter(|x| d.est(*x, XPATH2, "XPath"))
        .collect();
    if filtres.is_empty() {
        return Err(non_supporte("XPath Filter 2.0 sans expression"));
    }
    for x in filtres {
        for (p, u) in d.espaces_en_portee(x) {
            if !p.is_empty() {
                eval.add_namespace(p, u);
            }
        }
        let brut = d.texte(x);
        if appelle_fonction(&brut, "here") {
            return Err(non_supporte("fonction XPath here() non prise en charge"));
        }
        if appelle_fonction(&brut, "id") {
            return Err(non_supporte(ID_XPATH_AMBIGU));
        }
        let noeuds = eval
            .select_nodes(&d.doc, d.doc.root(), brut.trim())
            .map_err(|e| non_supporte(format!("XPath Filter 2.0 « {} » : {e}", brut.trim())))?;
        let mut s = NodeSet::new();
        for n in noeuds {
            sous_arbre_complet(d, n, &mut s);
        }
        filtre = match d.attribut(x, "Filter") {
            Some("intersect") => filtre.intersection(&s),
            Some("subtract") => filtre.subtract(&s),
            Some("union") => filtre.union(&s),
            autre => {
                return Err(Erreur::new(
                    CodeErreur::SignatureMalformee,
                    format!("XPath Filter 2.0 : filtre inconnu {autre:?}"),
                ));
            }
        };
    }
    Ok(ns.intersection(&filtre))
}

/// Why an XPath `id()` leaves the signature undetermined. XPath 1.0 (§5.2.1) gives IDs
/// only to attributes a DTD declares (none here: mpe refuses DTDs), so strictly `id('X')`
/// selects nothing and the reference covers no data; XML-DSig declares its `Id`
/// attributes of type ID in its schema, and xmlsec1 reads `id('X')` as the element with
/// that Id. Validators disagree on the same file (DSS finds such a reference broken,
/// xmlsec1 intact), so neither VALIDE nor INVALIDE can be proven (docs/signature.md).
const ID_XPATH_AMBIGU: &str = "fonction XPath id() dans une transformation : sans DTD, les \
     identifiants qu'elle désigne dépendent du validateur (XPath 1.0 §5.2.1 contre le schéma \
     XML-DSig), la donnée couverte ne peut être établie";

/// Does the XPath expression call the function `nom` (outside string literals, with
/// any whitespace before the parenthesis)?
fn appelle_fonction(expr: &str, nom: &str) -> bool {
    let b = expr.as_bytes();
    let mut i = 0;
    let mut litteral: Option<u8> = None;
    while let Some(&c) = b.get(i) {
        if let Some(q) = litteral {
            if c == q {
                litteral = None;
            }
            i += 1;
            continue;
        }
        if c == b'\'' || c == b'"' {
            litteral = Some(c);
            i += 1;
            continue;
        }
        let nom_avant = i
            .checked_sub(1)
            .and_then(|p| b.get(p))
            .is_some_and(|&p| p.is_ascii_alphanumeric() || b"-_.:".contains(&p) || p >= 0x80);
        if !nom_avant && b.get(i..i + nom.len()) == Some(nom.as_bytes()) {
            let mut j = i + nom.len();
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if b.get(j) == Some(&b'(') {
                return true;
            }
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appel_de_fonction_reconnu() {
        assert!(appelle_fonction("id('a')/x:B", "id"));
        assert!(appelle_fonction("id ('a')", "id"));
        assert!(appelle_fonction("//x[1] | id(\"a\")", "id"));
        assert!(!appelle_fonction("myid('a')", "id"));
        assert!(!appelle_fonction("x:id('a')", "id"));
        assert!(!appelle_fonction("//*[@Id='id(x)']", "id"));
        assert!(!appelle_fonction("//id", "id"));
        assert!(appelle_fonction("here()/..", "here"));
    }

    /// The digest mpe computes for the first `ds:Reference` of a minimal document.
    fn empreinte_de(xml: &str) -> Result<Vec<u8>> {
        let d = DocumentXml::analyser(xml)?;
        let tous = d.elements(d.doc.root());
        let sig = *tous.iter().find(|n| d.est(**n, DS, "Signature")).unwrap();
        let r = *tous.iter().find(|n| d.est(**n, DS, "Reference")).unwrap();
        let mut externes = Externes::new(&[], None);
        let mut ctx = Contexte {
            d: &d,
            signature: sig,
            externes: &mut externes,
            anonyme_permis: false,
            une_seule_fois: false,
        };
        empreinte(&mut ctx, r, AlgorithmeEmpreinte::Sha256)
    }

    const F2: &str = "http://www.w3.org/2002/06/xmldsig-filter2";

    /// An enveloping signature whose one reference filters `#o` with Filter 2.0 `intersect`.
    fn objet_filtre(expr: &str) -> String {
        format!(
            r##"<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo><ds:Reference URI="#o"><ds:Transforms><ds:Transform Algorithm="{F2}"><f:XPath xmlns:f="{F2}" Filter="intersect">{expr}</f:XPath></ds:Transform></ds:Transforms></ds:Reference></ds:SignedInfo><ds:Object Id="o"><h xmlns="urn:h">t<i/></h></ds:Object></ds:Signature>"##
        )
    }

    #[test]
    fn filtre2_intersect_garde_les_enfants_de_l_objet() {
        // `X/node()` keeps the Object's content, not the Object: the `h` element comes out
        // with the namespaces it inherits (inclusive C14N of an apex whose parent is out).
        let calcule = empreinte_de(&objet_filtre("//*[@Id='o']/node()")).unwrap();
        let attendu = format!(r#"<h xmlns="urn:h" xmlns:ds="{DS}">t<i></i></h>"#);
        assert_eq!(
            calcule,
            AlgorithmeEmpreinte::Sha256.hash(attendu.as_bytes())
        );
    }

    #[test]
    fn filtre2_id_sans_dtd_indetermine() {
        // Same construction through id(): the validators disagree, mpe does not decide.
        for expr in ["id('o')/node()", "id ( \"o\" )/node()"] {
            let e = empreinte_de(&objet_filtre(expr)).unwrap_err();
            assert_eq!(e.code(), CodeErreur::NonPrisEnCharge, "{expr}");
            assert!(e.message().contains("id()"), "{}", e.message());
        }
    }

    #[test]
    fn filtre2_union_limitee_a_l_entree() {
        // URI="" drops comments; a later `union` re-adds the subtree of b, whose comment
        // must stay out (O = I ∩ F, RFC 3653 §3.4). Serialized WithComments to see it.
        let xml = format!(
            r##"<r><a><b>x<!--c-->y</b>z</a><ds:Signature xmlns:ds="{DS}"><ds:SignedInfo><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="{F2}"><f:XPath xmlns:f="{F2}" Filter="subtract">//a</f:XPath><f:XPath xmlns:f="{F2}" Filter="union">//b</f:XPath><f:XPath xmlns:f="{F2}" Filter="subtract">//ds:Signature</f:XPath></ds:Transform><ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/></ds:Transforms></ds:Reference></ds:SignedInfo></ds:Signature></r>"##
        );
        let calcule = empreinte_de(&xml).unwrap();
        assert_eq!(
            calcule,
            AlgorithmeEmpreinte::Sha256.hash(b"<r><b>xy</b></r>")
        );
    }

    #[test]
    fn base64_sur_noeuds_prend_le_texte_des_descendants() {
        // XMLDSig 1.1 §6.6.2: self::text() then the string-value: the tags of descendant
        // elements and the comments are stripped, their text kept, in document order.
        let xml = format!(
            r##"<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo><ds:Reference URI="#o"><ds:Transforms><ds:Transform Algorithm="{BASE64}"/></ds:Transforms></ds:Reference></ds:SignedInfo><ds:Object Id="o">aGVs<!-- bm9u -->bG<e>8h</e>
</ds:Object></ds:Signature>"##
        );
        let calcule = empreinte_de(&xml).unwrap();
        assert_eq!(calcule, AlgorithmeEmpreinte::Sha256.hash(b"hello!"));
    }

    #[test]
    fn uri_decodee_et_nom() {
        let docs = vec![("dossier/offre finale.pdf".to_string(), b"x".to_vec())];
        let e = Externes::new(&docs, None);
        assert!(e.nomme("offre%20finale.pdf").is_some());
        assert!(e.nomme("./dossier/offre%20finale.pdf").is_some());
        assert!(e.nomme("autre.pdf").is_none());
    }

    #[test]
    fn externe_sans_donnee_est_type() {
        let mut e = Externes::new(&[], None);
        let err = e
            .empreinte(
                "http://example.org/x",
                AlgorithmeEmpreinte::Sha256,
                true,
                true,
            )
            .unwrap_err();
        assert_eq!(err.code(), CodeErreur::FichierSigneManquant);
    }
}
