//! The eForms SDK's Schematron rules, run natively: `mpe avis valider`.
//!
//! The SDK ships its business rules as ISO Schematron (`schematrons/static/*.sch`, about
//! 12,800 rules and 44,400 asserts, `queryBinding="xslt2"`). They are SDK data: the host
//! gives the bytes ([`ReglesEforms::charger`], a loader from a file name to its bytes), the
//! core does no I/O. The XPath expressions are evaluated by `xee-xpath` (XPath 3.1, a
//! superset of the XPath 2 the rules are written in).
//!
//! Semantics kept from ISO Schematron as the SDK's reference validator runs it:
//! - `sch:include` (resolved relative to the including file), `sch:ns`, `sch:let` at
//!   schema, pattern and rule level (in order, each seeing the previous ones);
//! - phases: the notice's subtype picks `eforms-<subtype>`, as the SDK's reports do;
//! - within a pattern, an element or attribute is fired by at most the FIRST rule (in
//!   document order of the schema) whose context matches it;
//! - `assert` fails when its test is false, `report` when it is true; each failure keeps
//!   its `id`, `role`, location and text;
//! - a rule context that raises a dynamic error on one node does not match that node (XSLT
//!   2.0 §5.5.3: the pattern is treated as not matching, what Saxon does).
//!
//! A test that raises a dynamic error is not a failure of the notice: it is listed in
//! [`RapportSchematron::indetermines`] and the notice is not declared valid.
//! The XSD check of the SDK is not done here (no XSD validator in Rust): a host that needs
//! it runs one of the reference tools (see `docs/publication.md`).
//!
//! Compiling a phase (about 1,800 rules, 6,000 expressions for `eforms-16`) takes seconds:
//! [`ValidateurEforms`] compiles each phase once and keeps it for every later notice.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use xee_xpath::context::{StaticContextBuilder, Variables};
use xee_xpath::query::SequenceQuery;
use xee_xpath::{Atomic, Documents, Queries, Query, Sequence};
use xot::xmlname::{NameStrInfo, OwnedName};
use xot::{Node, Value, Xot};

use crate::{CodeErreur, Erreur, Result};

const SCH: &str = "http://purl.oclc.org/dsdl/schematron";
/// The file of the SDK that includes all the others.
pub const FICHIER_PRINCIPAL: &str = "complete-validation.sch";
/// Where an unpacked SDK keeps its static rules.
const DOSSIER_REGLES: [&str; 2] = ["schematrons", "static"];
/// Deeper `sch:include` chains are refused (a cycle would never end).
const INCLUSIONS_MAX: usize = 16;
/// Sequences of string literals at least this long are lifted out of the expressions into
/// variables: xee's compiler is quadratic in their length (the CPV list of BR-BT-00262-0153,
/// 113 kB, took 25 s to compile; as a variable, nothing).
const LITTERAUX_MIN: usize = 8;

/// The root namespaces of eForms notices.
const RACINES: &[&str] = &[
    "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
    "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2",
    "http://data.europa.eu/p27/eforms-business-registration-information-notice/1",
];

/// One failed `assert` (or successful `report`) of the Schematron rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EchecSchematron {
    /// The rule's identifier (`BR-BT-00262-0153`).
    pub id: String,
    /// Its role: `ERROR`, `WARN`… (`ERROR` when the rule has none).
    pub role: String,
    /// `true` for a `report` whose test held, `false` for an `assert` whose test failed.
    pub rapport: bool,
    /// Where in the notice, with its own prefixes: `/ContractNotice/cac:ProcurementProjectLot[2]/cbc:ID`.
    pub emplacement: String,
    /// The rule's text (in the SDK, a translation key `rule|text|ID`).
    pub texte: String,
}

/// A test that could not be evaluated (a dynamic error of XPath): neither passed nor failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IndetermineSchematron {
    /// The rule's identifier, or the rule context when the context itself failed.
    pub id: String,
    /// Where in the notice.
    pub emplacement: String,
    /// The XPath error.
    pub message: String,
}

/// What the Schematron rules found on a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RapportSchematron {
    /// The version of the rules (given by the host, e.g. `1.15.1`).
    pub version_sdk: String,
    /// The notice subtype read (`16`).
    pub sous_type: String,
    /// The phase run (`eforms-16`).
    pub phase: String,
    /// Failed asserts and successful reports, in the order of the rules.
    pub echecs: Vec<EchecSchematron>,
    /// Tests that raised an error.
    pub indetermines: Vec<IndetermineSchematron>,
    /// Number of (rule, node) pairs fired.
    pub regles_declenchees: usize,
    /// Number of tests evaluated.
    pub tests_evalues: usize,
    /// No failure of level error (`ERROR`, `FATAL` or no role) and every test evaluated.
    /// Warnings (`WARN`, `INFO`) do not count. The SDK's XSD is not checked here.
    pub valide: bool,
}

impl RapportSchematron {
    /// The failures of level error (`ERROR`, `FATAL`, or no role).
    pub fn erreurs(&self) -> impl Iterator<Item = &EchecSchematron> {
        self.echecs
            .iter()
            .filter(|e| matches!(e.role.to_ascii_uppercase().as_str(), "ERROR" | "FATAL" | ""))
    }
}

#[derive(Debug, Clone)]
struct Test {
    id: String,
    role: String,
    rapport: bool,
    test: String,
    texte: String,
}

#[derive(Debug, Clone)]
struct Regle {
    contexte: String,
    lets: Vec<(String, String)>,
    tests: Vec<Test>,
}

#[derive(Debug, Clone)]
struct Motif {
    id: String,
    lets: Vec<(String, String)>,
    regles: Vec<Regle>,
}

/// The Schematron rules of one SDK version, read but not compiled (plain data, `Send`).
#[derive(Debug, Clone)]
pub struct ReglesEforms {
    version: String,
    espaces: Vec<(String, String)>,
    lets: Vec<(String, String)>,
    phases: Vec<(String, Vec<String>)>,
    motifs: Vec<Motif>,
}

fn illisible(fichier: &str, message: impl std::fmt::Display) -> Erreur {
    Erreur::new(
        CodeErreur::SchematronIllisible,
        format!("règles Schematron illisibles : {message}"),
    )
    .at(fichier.to_string())
}

/// `a/b.sch` included from `x/y.sch` is `x/a/b.sch`.
fn relatif(de: &str, href: &str) -> String {
    match de.rfind('/') {
        Some(i) if !href.starts_with('/') => format!("{}/{href}", &de[..i]),
        _ => href.to_string(),
    }
}

struct Lecteur<'a> {
    lire: &'a mut dyn FnMut(&str) -> Result<Vec<u8>>,
    regles: ReglesEforms,
    /// Nesting of `sch:include` (a cycle would never end).
    profondeur: usize,
}

impl Lecteur<'_> {
    /// Read `fichier` and take its root element at this place (the whole schema, or the
    /// element an `sch:include` stands for, inside `motif` if any).
    fn charger(&mut self, fichier: &str, motif: Option<usize>) -> Result<()> {
        if self.profondeur >= INCLUSIONS_MAX {
            return Err(illisible(
                fichier,
                format!("plus de {INCLUSIONS_MAX} inclusions imbriquées"),
            ));
        }
        let octets = (self.lire)(fichier)?;
        let texte = String::from_utf8(octets).map_err(|_| illisible(fichier, "pas en UTF-8"))?;
        let mut xot = Xot::new();
        let doc = xot.parse(&texte).map_err(|e| illisible(fichier, e))?;
        let racine = xot
            .document_element(doc)
            .map_err(|e| illisible(fichier, e))?;
        self.profondeur += 1;
        let r = self.element(&xot, racine, fichier, motif);
        self.profondeur -= 1;
        r
    }

    fn element(&mut self, x: &Xot, n: Node, fichier: &str, motif: Option<usize>) -> Result<()> {
        let Some((local, ns)) = nom(x, n) else {
            return Ok(());
        };
        if ns != SCH {
            return Err(illisible(
                fichier,
                format!("élément « {local} » hors de l'espace Schematron"),
            ));
        }
        match local.as_str() {
            "schema" => {
                if let Some(q) = attribut(x, n, "queryBinding")
                    && !matches!(
                        q.to_ascii_lowercase().as_str(),
                        "xslt2" | "xslt3" | "xpath2" | "xpath3" | "xpath31"
                    )
                {
                    return Err(Erreur::new(
                        CodeErreur::SchematronNonPrisEnCharge,
                        format!("queryBinding « {q} » non pris en charge (XPath 2 et 3 seulement)"),
                    )
                    .at(fichier.to_string()));
                }
                for c in x.children(n) {
                    self.element(x, c, fichier, None)?;
                }
            }
            "include" => {
                let href = exige(x, n, "href", fichier)?;
                self.charger(&relatif(fichier, &href), motif)?;
            }
            "ns" => {
                let prefixe = exige(x, n, "prefix", fichier)?;
                let uri = exige(x, n, "uri", fichier)?;
                self.regles.espaces.push((prefixe, uri));
            }
            "let" => {
                let l = (
                    exige(x, n, "name", fichier)?,
                    exige(x, n, "value", fichier)?,
                );
                match motif {
                    Some(m) => self.regles.motifs[m].lets.push(l),
                    None => self.regles.lets.push(l),
                }
            }
            "phase" => {
                let id = exige(x, n, "id", fichier)?;
                let mut actifs = Vec::new();
                for c in x.children(n) {
                    if nom(x, c).is_some_and(|(l, _)| l == "active") {
                        actifs.push(exige(x, c, "pattern", fichier)?);
                    }
                }
                self.regles.phases.push((id, actifs));
            }
            "pattern" => {
                if attribut(x, n, "abstract").as_deref() == Some("true")
                    || attribut(x, n, "is-a").is_some()
                {
                    return Err(Erreur::new(
                        CodeErreur::SchematronNonPrisEnCharge,
                        "motifs abstraits (abstract, is-a) non pris en charge",
                    )
                    .at(fichier.to_string()));
                }
                let id = attribut(x, n, "id").unwrap_or_default();
                self.regles.motifs.push(Motif {
                    id,
                    lets: Vec::new(),
                    regles: Vec::new(),
                });
                let m = self.regles.motifs.len() - 1;
                for c in x.children(n) {
                    self.element(x, c, fichier, Some(m))?;
                }
            }
            "rule" => {
                let Some(m) = motif else {
                    return Err(illisible(fichier, "règle hors d'un motif"));
                };
                if attribut(x, n, "abstract").as_deref() == Some("true") {
                    return Err(Erreur::new(
                        CodeErreur::SchematronNonPrisEnCharge,
                        "règles abstraites (abstract, extends) non prises en charge",
                    )
                    .at(fichier.to_string()));
                }
                let mut regle = Regle {
                    contexte: exige(x, n, "context", fichier)?,
                    lets: Vec::new(),
                    tests: Vec::new(),
                };
                for c in x.children(n) {
                    let Some((l, _)) = nom(x, c) else { continue };
                    match l.as_str() {
                        "let" => regle.lets.push((
                            exige(x, c, "name", fichier)?,
                            exige(x, c, "value", fichier)?,
                        )),
                        "assert" | "report" => regle.tests.push(Test {
                            id: attribut(x, c, "id").unwrap_or_default(),
                            role: attribut(x, c, "role").unwrap_or_default(),
                            rapport: l == "report",
                            test: exige(x, c, "test", fichier)?,
                            texte: texte(x, c),
                        }),
                        "extends" => {
                            return Err(Erreur::new(
                                CodeErreur::SchematronNonPrisEnCharge,
                                "règles abstraites (abstract, extends) non prises en charge",
                            )
                            .at(fichier.to_string()));
                        }
                        _ => {}
                    }
                }
                self.regles.motifs[m].regles.push(regle);
            }
            // title, p, diagnostics, ...: documentation, not rules.
            _ => {}
        }
        Ok(())
    }
}

fn nom(x: &Xot, n: Node) -> Option<(String, String)> {
    let e = x.element(n)?;
    let (l, u) = x.name_ns_str(e.name());
    Some((l.to_string(), u.to_string()))
}

fn attribut(x: &Xot, n: Node, a: &str) -> Option<String> {
    let id = x.name(a)?;
    x.get_attribute(n, id).map(str::to_string)
}

fn exige(x: &Xot, n: Node, a: &str, fichier: &str) -> Result<String> {
    attribut(x, n, a).ok_or_else(|| {
        let (l, _) = nom(x, n).unwrap_or_default();
        illisible(fichier, format!("« {l} » sans attribut « {a} »"))
    })
}

/// The text of an assert, blanks collapsed (`sch:value-of` and `sch:name` are not
/// expanded: the SDK's texts are plain keys).
fn texte(x: &Xot, n: Node) -> String {
    let mut t = String::new();
    for d in x.descendants(n) {
        if let Some(s) = x.text_str(d) {
            t.push_str(s);
            t.push(' ');
        }
    }
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ReglesEforms {
    /// Read the rules from [`FICHIER_PRINCIPAL`] and the files it includes, each asked from
    /// `lire` by its name relative to the rules' folder (`validation-stage-1a.sch`).
    /// `version` names the SDK version in the reports (`1.15.1`).
    ///
    /// Errors: `SCHEMATRON_ILLISIBLE` (a file is not XML, not Schematron, an include is
    /// missing), `SCHEMATRON_NON_PRIS_EN_CHARGE` (abstract patterns or rules, a query
    /// binding other than XPath 2/3), and whatever `lire` returns.
    ///
    /// ```
    /// let sch = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
    ///   <ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>
    ///   <phase id="eforms-16"><active pattern="p"/></phase>
    ///   <pattern id="p"><rule context="/*">
    ///     <assert id="R-1" role="ERROR" test="cbc:ID">rule|text|R-1</assert>
    ///   </rule></pattern>
    /// </schema>"#;
    /// let regles = mpe::publication::ReglesEforms::charger("essai", |_| Ok(sch.as_bytes().to_vec())).unwrap();
    /// assert_eq!(regles.phases(), ["eforms-16"]);
    /// ```
    pub fn charger(
        version: &str,
        mut lire: impl FnMut(&str) -> Result<Vec<u8>>,
    ) -> Result<ReglesEforms> {
        let mut l = Lecteur {
            lire: &mut lire,
            regles: ReglesEforms {
                version: version.to_string(),
                espaces: Vec::new(),
                lets: Vec::new(),
                phases: Vec::new(),
                motifs: Vec::new(),
            },
            profondeur: 0,
        };
        l.charger(FICHIER_PRINCIPAL, None)?;
        let r = l.regles;
        // A phase naming a pattern that does not exist is a broken schema.
        for (id, actifs) in &r.phases {
            for a in actifs {
                if !r.motifs.iter().any(|m| &m.id == a) {
                    return Err(illisible(
                        FICHIER_PRINCIPAL,
                        format!("la phase « {id} » active le motif inconnu « {a} »"),
                    ));
                }
            }
        }
        Ok(r)
    }

    /// Read the static rules of an unpacked SDK folder (`eforms-sdk/1.15.1`, holding
    /// `schematrons/static/`): each file is asked from `lire` (`std::fs::read`, or the host's
    /// own store) by its path under `sdk`. The version is `version`, else the folder's name
    /// (the SDK's own layout). Every interface that takes an SDK folder reads it this way.
    ///
    /// Errors: `ES` (a file `lire` fails on, with its path), and as [`ReglesEforms::charger`].
    ///
    /// ```no_run
    /// let sdk = std::path::Path::new("eforms-sdk/1.15.1");
    /// let regles = mpe::publication::ReglesEforms::charger_sdk(sdk, None, std::fs::read)?;
    /// assert_eq!(regles.version(), "1.15.1");
    /// # Ok::<(), mpe::Erreur>(())
    /// ```
    pub fn charger_sdk(
        sdk: &std::path::Path,
        version: Option<&str>,
        mut lire: impl FnMut(std::path::PathBuf) -> std::io::Result<Vec<u8>>,
    ) -> Result<ReglesEforms> {
        let dossier = DOSSIER_REGLES
            .iter()
            .fold(sdk.to_path_buf(), |d, n| d.join(n));
        let version = match version {
            Some(v) => v.to_string(),
            None => sdk
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        ReglesEforms::charger(&version, |nom| {
            // An owned path, so that `std::fs::read` itself is a reader.
            let p = dossier.join(nom);
            let affiche = p.display().to_string();
            lire(p).map_err(|e| Erreur::new(CodeErreur::Es, format!("lecture de {affiche} : {e}")))
        })
    }

    /// The SDK version given to [`ReglesEforms::charger`].
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The phases, in the order of the schema.
    pub fn phases(&self) -> Vec<&str> {
        self.phases.iter().map(|(p, _)| p.as_str()).collect()
    }

    /// Number of rules and of tests (asserts and reports) of all patterns.
    pub fn taille(&self) -> (usize, usize) {
        let regles = self.motifs.iter().map(|m| m.regles.len()).sum();
        let tests = self
            .motifs
            .iter()
            .flat_map(|m| &m.regles)
            .map(|r| r.tests.len())
            .sum();
        (regles, tests)
    }
}

// ---------------------------------------------------------------- compilation

#[derive(Debug)]
struct Expression {
    requete: SequenceQuery,
    /// The variables the expression reads, all declared in its static context.
    variables: Vec<OwnedName>,
    source: String,
}

#[derive(Debug)]
struct TestCompile {
    test: Test,
    expr: Expression,
}

#[derive(Debug)]
struct RegleCompilee {
    contexte: Expression,
    /// `self::STEP` when the context is one step (`//*[...]`, `cac:X`): the per-node match
    /// used when evaluating the context on the whole document raises an error.
    par_noeud: Option<Expression>,
    lets: Vec<(OwnedName, Expression)>,
    tests: Vec<TestCompile>,
}

#[derive(Debug)]
struct MotifCompile {
    lets: Vec<(OwnedName, Expression)>,
    regles: Vec<RegleCompilee>,
}

/// What is compiled so far, shared by every phase: a pattern (stage) is in many phases.
#[derive(Debug, Default)]
struct Compiles {
    /// The schema's lets, once compiled.
    lets: Option<Rc<Vec<(OwnedName, Expression)>>>,
    /// By index in `ReglesEforms::motifs`.
    motifs: HashMap<usize, Rc<MotifCompile>>,
    /// The lifted literal sequences, `$mpe-litteraux-N`, and their values: for each N,
    /// the sequence then its map `$mpe-ensemble-N`.
    litteraux: Vec<Vec<String>>,
    valeurs: Vec<(OwnedName, Sequence)>,
}

/// The compiled rules of one phase.
struct PhaseCompilee {
    lets: Rc<Vec<(OwnedName, Expression)>>,
    motifs: Vec<Rc<MotifCompile>>,
    litteraux: Vec<(OwnedName, Sequence)>,
}

/// The `$names` an expression mentions.
fn references(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut v: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' || b[i] == b'"' {
            i = fin_chaine(b, i);
            continue;
        }
        if b[i] == b'$' {
            let debut = i + 1;
            let mut fin = debut;
            while fin < b.len() && (b[fin].is_ascii_alphanumeric() || b"_-.".contains(&b[fin])) {
                fin += 1;
            }
            let n = &s[debut..fin];
            if !n.is_empty() && !v.iter().any(|x| x == n) {
                v.push(n.to_string());
            }
            i = fin;
        } else {
            i += 1;
        }
    }
    v
}

/// Index just after the string literal starting at `i` (quotes doubled inside).
fn fin_chaine(b: &[u8], mut i: usize) -> usize {
    let q = b[i];
    i += 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}

/// From just after `(`: string literals separated by commas, up to `)`.
fn litteraux(expr: &str, mut i: usize) -> Option<(usize, Vec<String>)> {
    let b = expr.as_bytes();
    let mut v = Vec::new();
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let q = *b.get(i)?;
        if q != b'\'' && q != b'"' {
            return None;
        }
        let fin = fin_chaine(b, i);
        if fin > b.len() || b[fin - 1] != q || fin - i < 2 {
            return None;
        }
        let q = q as char;
        v.push(expr[i + 1..fin - 1].replace(&format!("{q}{q}"), &q.to_string()));
        i = fin;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match *b.get(i)? {
            b',' => i += 1,
            b')' => return Some((i + 1, v)),
            _ => return None,
        }
    }
}

/// Replace each parenthesised sequence of at least [`LITTERAUX_MIN`] string literals (not
/// a function call's arguments) by `$mpe-litteraux-N`, its values appended to `table`.
fn extraire_litteraux(expr: &str, table: &mut Vec<Vec<String>>) -> String {
    let b = expr.as_bytes();
    let mut sortie = String::with_capacity(expr.len());
    let (mut i, mut copie) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                i = fin_chaine(b, i);
                continue;
            }
            b'(' => {
                let avant = expr[..i].trim_end().bytes().last();
                let appel =
                    avant.is_some_and(|p| p.is_ascii_alphanumeric() || b"_-.)]*$".contains(&p));
                if !appel
                    && let Some((fin, v)) = litteraux(expr, i + 1)
                    && v.len() >= LITTERAUX_MIN
                {
                    sortie.push_str(&expr[copie..i]);
                    let k = table.iter().position(|t| *t == v).unwrap_or_else(|| {
                        table.push(v);
                        table.len() - 1
                    });
                    sortie.push_str(&format!("$mpe-litteraux-{k}"));
                    i = fin;
                    copie = fin;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    sortie.push_str(&expr[copie..]);
    sortie
}

/// Which bytes of `expr` are inside a string literal.
fn dans_chaines(expr: &str) -> Vec<bool> {
    let b = expr.as_bytes();
    let mut masque = vec![false; b.len()];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' || b[i] == b'"' {
            let fin = fin_chaine(b, i).min(b.len());
            masque[i..fin].fill(true);
            i = fin;
        } else {
            i += 1;
        }
    }
    masque
}

/// Start of the path expression ending at `fin` (names, steps, brackets), if it is one.
fn debut_chemin(b: &[u8], chaine: &[bool], fin: usize) -> Option<usize> {
    let (mut i, mut profondeur) = (fin, 0usize);
    while i > 0 {
        let c = b[i - 1];
        if chaine[i - 1] {
            if profondeur == 0 {
                return None;
            }
        } else {
            match c {
                b')' | b']' => profondeur += 1,
                b'(' | b'[' if profondeur == 0 => break,
                b'(' | b'[' => profondeur -= 1,
                _ if profondeur > 0 => {}
                c if c.is_ascii_alphanumeric() || b"/.@:*-_".contains(&c) => {}
                _ => break,
            }
        }
        i -= 1;
    }
    (profondeur == 0 && i < fin).then_some(i)
}

/// `normalize-space(…)` (`Some(true)`: exactly one `xs:string`) or `PATH/normalize-space(…)`
/// (`Some(false)`: a sequence of `xs:string` only).
fn chaines_seulement(b: &[u8], chaine: &[bool], debut: usize, fin: usize) -> Option<bool> {
    if fin == 0 || b[fin - 1] != b')' || chaine[fin - 1] {
        return None;
    }
    // The `(` matching the last `)`.
    let (mut i, mut profondeur) = (fin - 1, 1usize);
    while i > debut && profondeur > 0 {
        i -= 1;
        if chaine[i] {
            continue;
        }
        match b[i] {
            b')' => profondeur += 1,
            b'(' => profondeur -= 1,
            _ => {}
        }
    }
    const NORMALISER: &[u8] = b"normalize-space";
    let nom = i.checked_sub(NORMALISER.len())?;
    let appel = profondeur == 0 && nom >= debut && &b[nom..i] == NORMALISER;
    if appel && nom == debut {
        Some(true)
    } else if appel && b[nom - 1] == b'/' {
        Some(false)
    } else {
        None
    }
}

/// Whether what precedes `debut` leaves a whole comparison there: the start, `(`, `[`, `,`,
/// `and`, `or` (every other operator binds tighter than `=` or is not one to rely on).
fn precede_comparaison(expr: &str, debut: usize) -> bool {
    let avant = expr[..debut].trim_end();
    match avant.bytes().last() {
        None | Some(b'(' | b'[' | b',') => true,
        Some(_) => ["and", "or"].iter().any(|m| {
            avant.strip_suffix(m).is_some_and(|a| {
                !a.bytes()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b"_-.:".contains(&c))
            })
        }),
    }
}

/// Whether what follows `fin` leaves a whole comparison before it: the end, `)`, `]`,
/// `,`, `and`, `or`.
fn suit_comparaison(expr: &str, fin: usize) -> bool {
    let apres = expr[fin..].trim_start();
    match apres.bytes().next() {
        None | Some(b')' | b']' | b',') => true,
        Some(_) => ["and", "or"].iter().any(|m| {
            apres.strip_prefix(m).is_some_and(|a| {
                !a.bytes()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b"_-.:(".contains(&c))
            })
        }),
    }
}

/// Rewrite `normalize-space(…) = $mpe-litteraux-K` and `PATH/normalize-space(…) =
/// $mpe-litteraux-K` into a hash lookup in `$mpe-ensemble-K` (a map whose keys are the
/// list's strings). xee compares a general `=` value by value (CPV: 9,000 codes, each
/// compared through a cast and a collation call); the map answers at once. Only where the
/// result cannot differ: the left operand yields `xs:string`s only (so no cast, no type
/// error: codepoint equality is the map's key equality), evaluated exactly as before (same
/// errors), and the comparison is whole between `and`/`or`/brackets. `!=` is left alone.
fn ensembles(expr: &str) -> String {
    const VARIABLE: &str = "$mpe-litteraux-";
    let b = expr.as_bytes();
    let chaine = dans_chaines(expr);
    let mut sortie = String::with_capacity(expr.len());
    let (mut copie, mut suivant) = (0, 0);
    while let Some(p) = expr[suivant..].find(VARIABLE).map(|p| p + suivant) {
        let debut_k = p + VARIABLE.len();
        let fin_k = debut_k
            + expr[debut_k..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
        suivant = fin_k;
        if chaine[p] || fin_k == debut_k || !suit_comparaison(expr, fin_k) {
            continue;
        }
        let Some(egal) = expr[..p].trim_end().len().checked_sub(1) else {
            continue;
        };
        if b[egal] != b'=' || (egal > 0 && b"!<>:=".contains(&b[egal - 1])) {
            continue;
        }
        let fin_op = expr[..egal].trim_end().len();
        let Some(debut_op) = debut_chemin(b, &chaine, fin_op) else {
            continue;
        };
        if debut_op < copie || !precede_comparaison(expr, debut_op) {
            continue;
        }
        let Some(seul) = chaines_seulement(b, &chaine, debut_op, fin_op) else {
            continue;
        };
        sortie.push_str(&expr[copie..debut_op]);
        let (op, k) = (&expr[debut_op..fin_op], &expr[debut_k..fin_k]);
        // One call of normalize-space is exactly one string: no quantifier needed.
        sortie.push_str(&if seul {
            format!("map:contains($mpe-ensemble-{k}, {op})")
        } else {
            format!(
                "(some $mpe-valeur in {op} satisfies map:contains($mpe-ensemble-{k}, $mpe-valeur))"
            )
        });
        copie = fin_k;
    }
    sortie.push_str(&expr[copie..]);
    sortie
}

/// `//STEP` or `STEP` with no `/` outside brackets and no union: its per-node form.
fn etape_unique(contexte: &str) -> Option<String> {
    let c = contexte.trim();
    let c = c.strip_prefix("//").unwrap_or(c);
    let mut profondeur = 0i32;
    let b = c.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                i = fin_chaine(b, i);
                continue;
            }
            b'[' | b'(' => profondeur += 1,
            b']' | b')' => profondeur -= 1,
            b'/' | b'|' if profondeur == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    if c.starts_with('@') || c.starts_with("attribute::") {
        return None;
    }
    Some(format!("self::{c}"))
}

struct Compilateur<'a> {
    requetes: Queries<'a>,
    espaces: &'a [(String, String)],
    litteraux: &'a mut Vec<Vec<String>>,
}

impl Compilateur<'_> {
    fn compiler(&mut self, source: &str, portee: &[String]) -> Result<Expression> {
        let src = ensembles(&extraire_litteraux(source, self.litteraux));
        let variables: Vec<OwnedName> = references(&src)
            .into_iter()
            .filter(|v| {
                v.starts_with("mpe-litteraux-")
                    || v.starts_with("mpe-ensemble-")
                    || portee.contains(v)
            })
            .map(|v| OwnedName::name(&v))
            .collect();
        let mut b = StaticContextBuilder::default();
        b.namespaces(self.espaces.iter().map(|(p, u)| (p.as_str(), u.as_str())));
        b.variable_names(variables.iter().cloned());
        let requete = self
            .requetes
            .sequence_with_context(&src, b.build())
            .map_err(|e| {
                illisible(
                    FICHIER_PRINCIPAL,
                    format!("expression XPath refusée ({e}) : {}", abreger(source)),
                )
            })?;
        Ok(Expression {
            requete,
            variables,
            source: source.to_string(),
        })
    }
}

fn abreger(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

impl ReglesEforms {
    /// Every let name of the schema and of all patterns: the scope of every expression, so
    /// that a pattern compiles once for all the phases it is in.
    fn portee(&self) -> Vec<String> {
        self.lets
            .iter()
            .chain(self.motifs.iter().flat_map(|m| &m.lets))
            .map(|(n, _)| n.clone())
            .collect()
    }

    fn compiler_motif(&self, c: &mut Compilateur, m: &Motif) -> Result<MotifCompile> {
        let portee = self.portee();
        let mut lets = Vec::new();
        for (n, v) in &m.lets {
            lets.push((OwnedName::name(n), c.compiler(v, &portee)?));
        }
        let mut regles = Vec::new();
        for r in &m.regles {
            let contexte = if r.contexte.trim_start().starts_with('/') {
                r.contexte.clone()
            } else {
                format!("//({})", r.contexte)
            };
            let par_noeud = match etape_unique(&r.contexte) {
                Some(e) => Some(c.compiler(&e, &portee)?),
                None => None,
            };
            let contexte = c.compiler(&contexte, &portee)?;
            let mut p = portee.clone();
            let mut rl = Vec::new();
            for (n, v) in &r.lets {
                rl.push((OwnedName::name(n), c.compiler(v, &p)?));
                p.push(n.clone());
            }
            let mut tests = Vec::new();
            for t in &r.tests {
                tests.push(TestCompile {
                    test: t.clone(),
                    expr: c.compiler(&t.test, &p)?,
                });
            }
            regles.push(RegleCompilee {
                contexte,
                par_noeud,
                lets: rl,
                tests,
            });
        }
        Ok(MotifCompile { lets, regles })
    }

    fn compiler_phase(&self, phase: &str, deja: &mut Compiles) -> Result<PhaseCompilee> {
        let actifs = &self
            .phases
            .iter()
            .find(|(p, _)| p == phase)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::PhaseInconnue,
                    format!(
                        "pas de phase « {phase} » dans les règles du SDK {}",
                        self.version
                    ),
                )
            })?
            .1;
        let mut litteraux = std::mem::take(&mut deja.litteraux);
        let r = self.compiler_phase_avec(actifs, deja, &mut litteraux);
        deja.litteraux = litteraux;
        r?;
        // Values of the literal sequences lifted by this phase's compilation, each as a
        // sequence and as a map of its strings (see `ensembles`).
        let deja_vus = deja.valeurs.len() / 2;
        if deja_vus < deja.litteraux.len() {
            let requetes = Queries::default();
            let mut b = StaticContextBuilder::default();
            b.variable_names([OwnedName::name("l")]);
            let en_map = requetes
                .sequence_with_context("map:merge(for $s in $l return map{$s: true()})", b.build())
                .map_err(|e| Erreur::internal(format!("map des littéraux : {e}")))?;
            for k in deja_vus..deja.litteraux.len() {
                let valeurs: Sequence = deja.litteraux[k]
                    .iter()
                    .map(|s| Atomic::from(s.as_str()))
                    .collect();
                let mut v = Variables::new();
                v.insert(OwnedName::name("l"), valeurs.clone());
                let map = en_map
                    .execute_build_context(&mut Documents::new(), |b| {
                        b.variables(v);
                    })
                    .map_err(|e| Erreur::internal(format!("map des littéraux : {e}")))?;
                deja.valeurs
                    .push((OwnedName::name(&format!("mpe-litteraux-{k}")), valeurs));
                deja.valeurs
                    .push((OwnedName::name(&format!("mpe-ensemble-{k}")), map));
            }
        }
        let motifs = (0..self.motifs.len())
            .filter(|i| actifs.contains(&self.motifs[*i].id))
            .filter_map(|i| deja.motifs.get(&i).cloned())
            .collect();
        Ok(PhaseCompilee {
            lets: deja.lets.clone().unwrap_or_default(),
            motifs,
            litteraux: deja.valeurs.clone(),
        })
    }

    fn compiler_phase_avec(
        &self,
        actifs: &[String],
        deja: &mut Compiles,
        litteraux: &mut Vec<Vec<String>>,
    ) -> Result<()> {
        let mut c = Compilateur {
            requetes: Queries::default(),
            espaces: &self.espaces,
            litteraux,
        };
        if deja.lets.is_none() {
            let mut portee: Vec<String> = Vec::new();
            let mut lets = Vec::new();
            for (n, v) in &self.lets {
                lets.push((OwnedName::name(n), c.compiler(v, &portee)?));
                portee.push(n.clone());
            }
            deja.lets = Some(Rc::new(lets));
        }
        for (i, m) in self.motifs.iter().enumerate() {
            if actifs.contains(&m.id) && !deja.motifs.contains_key(&i) {
                let compile = self.compiler_motif(&mut c, m)?;
                deja.motifs.insert(i, Rc::new(compile));
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- evaluation

struct Evaluation<'a> {
    docs: Documents,
    maintenant: DateTime<FixedOffset>,
    phase: &'a PhaseCompilee,
}

impl Evaluation<'_> {
    fn evaluer(
        &mut self,
        e: &Expression,
        noeud: Node,
        variables: &Variables,
    ) -> std::result::Result<Sequence, String> {
        let mut v = Variables::new();
        for n in &e.variables {
            if let Some(s) = variables.get(n) {
                v.insert(n.clone(), s.clone());
            }
        }
        let maintenant = self.maintenant;
        e.requete
            .execute_build_context(&mut self.docs, |b| {
                b.context_node(noeud);
                b.variables(v);
                b.current_datetime(maintenant);
            })
            .map_err(|err| format!("{err}"))
    }

    fn noeuds(&self, s: &Sequence) -> Vec<Node> {
        let xot = self.docs.xot();
        s.nodes()
            .filter_map(|n| n.ok())
            // The skeleton only visits elements, attributes and the document node.
            .filter(|n| xot.is_element(*n) || xot.is_attribute_node(*n) || xot.is_document(*n))
            .collect()
    }
}

/// `/cn:ContractNotice/cac:ProcurementProjectLot[2]/cbc:ID/@schemeName`, with the
/// notice's own prefixes; a position when an element has same-named siblings.
fn emplacement(x: &Xot, n: Node) -> String {
    let mut parties = Vec::new();
    let mut courant = Some(n);
    while let Some(c) = courant {
        match x.value(c) {
            Value::Element(e) => {
                let nom = x
                    .full_name(c, e.name())
                    .unwrap_or_else(|_| x.local_name_str(e.name()).to_string());
                let freres: Vec<Node> = match x.parent(c) {
                    Some(p) if !x.is_document(p) => x
                        .children(p)
                        .filter(|s| x.element(*s).is_some_and(|f| f.name() == e.name()))
                        .collect(),
                    _ => vec![c],
                };
                let rang = freres.iter().position(|s| *s == c).unwrap_or(0);
                if freres.len() > 1 {
                    parties.push(format!("{nom}[{}]", rang + 1));
                } else {
                    parties.push(nom);
                }
            }
            Value::Attribute(a) => {
                let nom = x
                    .full_name(c, a.name())
                    .unwrap_or_else(|_| x.local_name_str(a.name()).to_string());
                parties.push(format!("@{nom}"));
            }
            _ => {}
        }
        courant = x.parent(c);
    }
    parties.reverse();
    format!("/{}", parties.join("/"))
}

/// The notice subtype (`SubTypeCode` of the eForms extension), read without XPath.
fn lire_sous_type(x: &Xot, racine: Node) -> Option<String> {
    let chemin = [
        "UBLExtensions",
        "UBLExtension",
        "ExtensionContent",
        "EformsExtension",
        "NoticeSubType",
        "SubTypeCode",
    ];
    let mut n = racine;
    for etape in chemin {
        n = x.children(n).find(|c| {
            x.element(*c)
                .is_some_and(|e| x.local_name_str(e.name()) == etape)
        })?;
    }
    let t = x.text_content_str(n)?.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// Validates notices with the rules of one SDK version; compiles each phase once, at its
/// first notice, and keeps it (not `Send`: xee's compiled programs are reference-counted).
#[derive(Debug)]
pub struct ValidateurEforms {
    regles: ReglesEforms,
    compiles: RefCell<Compiles>,
}

impl ValidateurEforms {
    /// A validator of these rules; nothing is compiled yet.
    pub fn new(regles: ReglesEforms) -> ValidateurEforms {
        ValidateurEforms {
            regles,
            compiles: RefCell::new(Compiles::default()),
        }
    }

    /// The rules validated against.
    pub fn regles(&self) -> &ReglesEforms {
        &self.regles
    }

    /// Compile a phase now (otherwise done by the first notice of its subtype).
    ///
    /// Errors: `PHASE_INCONNUE`, `SCHEMATRON_ILLISIBLE` (an expression XPath refuses).
    pub fn preparer(&self, phase: &str) -> Result<()> {
        self.phase(phase).map(|_| ())
    }

    fn phase(&self, phase: &str) -> Result<PhaseCompilee> {
        self.regles
            .compiler_phase(phase, &mut self.compiles.borrow_mut())
    }

    /// Validate a notice with the phase of its subtype (`eforms-16` for a subtype 16).
    /// `maintenant` is what `current-date()` answers (about 180 rules compare dates to
    /// today).
    ///
    /// Errors: `AVIS_ILLISIBLE` (not well-formed XML, a DTD), `AVIS_NON_EFORMS` (not an
    /// eForms root), `PHASE_INCONNUE` (no subtype, or a subtype the rules have no phase
    /// for), `SCHEMATRON_ILLISIBLE` (an expression of the phase does not compile).
    ///
    /// ```
    /// # use chrono::{TimeZone, Utc};
    /// let sch = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
    ///   <ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>
    ///   <phase id="eforms-16"><active pattern="p"/></phase>
    ///   <pattern id="p"><rule context="/*">
    ///     <assert id="R-1" role="ERROR" test="cbc:ID">rule|text|R-1</assert>
    ///   </rule></pattern>
    /// </schema>"#;
    /// let regles = mpe::publication::ReglesEforms::charger("essai", |_| Ok(sch.as_bytes().to_vec())).unwrap();
    /// let v = mpe::publication::ValidateurEforms::new(regles);
    /// let avis = r#"<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"
    ///   xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
    ///   xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1"
    ///   xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
    ///   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
    ///   <ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension>
    ///   <efac:NoticeSubType><cbc:SubTypeCode>16</cbc:SubTypeCode></efac:NoticeSubType>
    ///   </efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
    /// </ContractNotice>"#;
    /// let r = v.valider(avis, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()).unwrap();
    /// assert_eq!(r.phase, "eforms-16");
    /// assert_eq!(r.echecs[0].id, "R-1");
    /// assert!(!r.valide);
    /// ```
    pub fn valider(&self, xml: &str, maintenant: DateTime<Utc>) -> Result<RapportSchematron> {
        self.valider_phase(xml, None, maintenant)
    }

    /// [`ValidateurEforms::valider`] with a phase chosen by the caller (`None`: the
    /// subtype's).
    pub fn valider_phase(
        &self,
        xml: &str,
        phase: Option<&str>,
        maintenant: DateTime<Utc>,
    ) -> Result<RapportSchematron> {
        // A DTD could define entities (billion laughs); eForms notices have none.
        if xml.contains("<!DOCTYPE") {
            return Err(Erreur::new(
                CodeErreur::AvisIllisible,
                "avis avec une DTD : refusé",
            ));
        }
        let mut docs = Documents::new();
        let h = docs
            .add_string_without_uri(xml)
            .map_err(|e| Erreur::new(CodeErreur::AvisIllisible, format!("XML illisible : {e}")))?;
        let doc = docs
            .document_node(h)
            .ok_or_else(|| Erreur::internal("document chargé introuvable"))?;
        let (sous_type, racine_ok) = {
            let x = docs.xot();
            let racine = x
                .document_element(doc)
                .map_err(|e| Erreur::new(CodeErreur::AvisIllisible, format!("{e}")))?;
            let ns = x
                .element(racine)
                .map(|e| x.uri_str(e.name()).to_string())
                .unwrap_or_default();
            (
                lire_sous_type(x, racine),
                RACINES.contains(&ns.as_str()).then_some(ns),
            )
        };
        if racine_ok.is_none() {
            return Err(Erreur::new(
                CodeErreur::AvisNonEforms,
                "élément racine hors des espaces de noms eForms : pas un avis eForms",
            ));
        }
        let sous_type = sous_type.unwrap_or_default();
        let phase = match phase {
            Some(p) => p.to_string(),
            None if sous_type.is_empty() => {
                return Err(Erreur::new(
                    CodeErreur::PhaseInconnue,
                    "avis sans sous-type (NoticeSubType/SubTypeCode) : aucune phase à appliquer",
                ));
            }
            None => format!("eforms-{sous_type}"),
        };
        let compilee = self.phase(&phase)?;
        let mut ev = Evaluation {
            docs,
            maintenant: maintenant.fixed_offset(),
            phase: &compilee,
        };
        let mut rapport = RapportSchematron {
            version_sdk: self.regles.version.clone(),
            sous_type,
            phase,
            echecs: Vec::new(),
            indetermines: Vec::new(),
            regles_declenchees: 0,
            tests_evalues: 0,
            valide: false,
        };
        ev.executer(doc, &mut rapport);
        rapport.valide = rapport.erreurs().next().is_none() && rapport.indetermines.is_empty();
        Ok(rapport)
    }
}

impl Evaluation<'_> {
    fn executer(&mut self, doc: Node, rapport: &mut RapportSchematron) {
        let phase = self.phase;
        let mut globales = Variables::new();
        for (n, v) in &phase.litteraux {
            globales.insert(n.clone(), v.clone());
        }
        // Pattern lets are global variables of the compiled schema (the skeleton makes
        // them top-level): evaluated once, at the document node, after the schema's.
        let lets = phase
            .lets
            .iter()
            .chain(phase.motifs.iter().flat_map(|m| &m.lets));
        for (n, e) in lets {
            let s = match self.evaluer(e, doc, &globales) {
                Ok(s) => s,
                Err(m) => {
                    rapport.indetermines.push(IndetermineSchematron {
                        id: format!("${}", n.local_name()),
                        emplacement: "/".into(),
                        message: m,
                    });
                    Sequence::default()
                }
            };
            globales.insert(n.clone(), s);
        }
        for motif in &phase.motifs {
            let regles = &motif.regles;
            let mut declenches: HashSet<Node> = HashSet::new();
            for r in regles {
                let noeuds = match self.evaluer(&r.contexte, doc, &globales) {
                    Ok(s) => self.noeuds(&s),
                    Err(m) => match &r.par_noeud {
                        // A context that fails on some node does not match that node.
                        Some(p) => self.par_noeud(p, doc, &globales),
                        None => {
                            rapport.indetermines.push(IndetermineSchematron {
                                id: r.contexte.source.clone(),
                                emplacement: "/".into(),
                                message: m,
                            });
                            continue;
                        }
                    },
                };
                for n in noeuds {
                    if !declenches.insert(n) {
                        continue;
                    }
                    rapport.regles_declenchees += 1;
                    self.regle(r, n, &globales, rapport);
                }
            }
        }
    }

    fn par_noeud(&mut self, p: &Expression, doc: Node, globales: &Variables) -> Vec<Node> {
        let candidats: Vec<Node> = {
            let x = self.docs.xot();
            x.descendants(doc)
                .flat_map(|n| std::iter::once(n).chain(x.attribute_nodes(n)))
                .filter(|n| x.is_element(*n) || x.is_attribute_node(*n))
                .collect()
        };
        candidats
            .into_iter()
            .filter(|n| self.evaluer(p, *n, globales).is_ok_and(|s| !s.is_empty()))
            .collect()
    }

    fn regle(
        &mut self,
        r: &RegleCompilee,
        n: Node,
        globales: &Variables,
        rapport: &mut RapportSchematron,
    ) {
        let mut locales;
        let variables = if r.lets.is_empty() {
            globales
        } else {
            locales = globales.clone();
            for (nom, e) in &r.lets {
                let s = self.evaluer(e, n, &locales).unwrap_or_default();
                locales.insert(nom.clone(), s);
            }
            &locales
        };
        for t in &r.tests {
            rapport.tests_evalues += 1;
            let verdict = self
                .evaluer(&t.expr, n, variables)
                .and_then(|s| s.effective_boolean_value().map_err(|e| format!("{e}")));
            match verdict {
                Ok(v) if v == t.test.rapport => rapport.echecs.push(EchecSchematron {
                    id: t.test.id.clone(),
                    role: if t.test.role.is_empty() {
                        "ERROR".into()
                    } else {
                        t.test.role.clone()
                    },
                    rapport: t.test.rapport,
                    emplacement: emplacement(self.docs.xot(), n),
                    texte: t.test.texte.clone(),
                }),
                Ok(_) => {}
                Err(m) => rapport.indetermines.push(IndetermineSchematron {
                    id: t.test.id.clone(),
                    emplacement: emplacement(self.docs.xot(), n),
                    message: m,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn litteraux_extraits_sauf_arguments() {
        let mut t = Vec::new();
        let e = extraire_litteraux(
            "normalize-space(.) = ('a','b','c','d','e','f','g','h') and concat('a','b','c','d','e','f','g','h') = 'x' or . = ('i''j', \"k\",'l','m','n','o','p','q')",
            &mut t,
        );
        assert_eq!(
            e,
            "normalize-space(.) = $mpe-litteraux-0 and concat('a','b','c','d','e','f','g','h') = 'x' or . = $mpe-litteraux-1"
        );
        assert_eq!(t[1][0], "i'j");
        // Short lists stay.
        assert_eq!(
            extraire_litteraux(". = ('a', 'b')", &mut t),
            ". = ('a', 'b')"
        );
    }

    #[test]
    fn ensembles_seulement_sur_des_chaines() {
        // Each form rewritten: alone, a path ending in normalize-space, between and/or.
        assert_eq!(
            ensembles("normalize-space(.) = $mpe-litteraux-3"),
            "map:contains($mpe-ensemble-3, normalize-space(.))"
        );
        assert_eq!(
            ensembles("(cbc:A[@x = 'a b)']/normalize-space(text()) = $mpe-litteraux-12) or (x)"),
            "((some $mpe-valeur in cbc:A[@x = 'a b)']/normalize-space(text()) satisfies map:contains($mpe-ensemble-12, $mpe-valeur))) or (x)"
        );
        assert_eq!(
            ensembles("'FRA' and ./normalize-space(text()) = $mpe-litteraux-0 and c"),
            "'FRA' and (some $mpe-valeur in ./normalize-space(text()) satisfies map:contains($mpe-ensemble-0, $mpe-valeur)) and c"
        );
        // A path, even one starting with a call: the quantified form.
        assert_eq!(
            ensembles("normalize-space(a)/normalize-space(.) = $mpe-litteraux-0"),
            "(some $mpe-valeur in normalize-space(a)/normalize-space(.) satisfies map:contains($mpe-ensemble-0, $mpe-valeur))"
        );
        // Left alone: other operators, operands that may not be strings, tighter operators
        // around, the list on the left.
        for e in [
            "normalize-space(.) != $mpe-litteraux-0",
            ". = $mpe-litteraux-0",
            "cbc:A = $mpe-litteraux-0",
            "number(.) = $mpe-litteraux-0",
            "$x/normalize-space(.) = $mpe-litteraux-0",
            "a | normalize-space(.) = $mpe-litteraux-0",
            "'x' || normalize-space(.) = $mpe-litteraux-0",
            "normalize-space(.) = $mpe-litteraux-0 || 'x'",
            "normalize-space(.) = $mpe-litteraux-0[1]",
            "normalize-space(.) = $mpe-litteraux-0 to 3",
            "$mpe-litteraux-0 = normalize-space(.)",
            "a/fn:normalize-space(.) = $mpe-litteraux-0",
            "x-normalize-space(.) = $mpe-litteraux-0",
            "'normalize-space(.) = $mpe-litteraux-0'",
        ] {
            assert_eq!(ensembles(e), e);
        }
    }

    #[test]
    fn references_hors_chaines() {
        assert_eq!(
            references("$a-b = '$c' and (for $x in $y return $x)"),
            ["a-b", "x", "y"]
        );
    }

    #[test]
    fn etape_unique_seulement() {
        assert_eq!(
            etape_unique("//*[not(child::*) and normalize-space(text()) = '']").as_deref(),
            Some("self::*[not(child::*) and normalize-space(text()) = '']")
        );
        assert_eq!(etape_unique("/*/cac:X"), None);
        assert_eq!(etape_unique("a|b"), None);
        assert_eq!(
            etape_unique("cac:X[a/b]").as_deref(),
            Some("self::cac:X[a/b]")
        );
    }
}
