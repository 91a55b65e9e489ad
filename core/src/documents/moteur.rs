//! The template engine on one part: normalization (fields of the three kinds become tag
//! nodes, each alone in its run), folding of sections (loops, conditions) to the smallest
//! enclosing structure, and rendering against the data.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::valeurs::{self, Cadre, Filtre};
use super::xml::{self, Elem, Node};
use crate::{CodeErreur, Erreur, Result};

/// Where a field comes from in the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A `{{ champ }}` placeholder.
    Balise,
    /// A Word MERGEFIELD (simple or complex field).
    Mergefield,
    /// A content control (`w:sdt`) found by its tag.
    Controle,
}

/// What a field does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    /// Replaced by a value.
    Valeur,
    /// Opens a loop over a list, or a block kept when the value is true (`{{#champ}}`).
    Section,
    /// Opens a block kept when the value is false or empty (`{{^champ}}`).
    SectionInverse,
    /// Closes a section (`{{/champ}}`).
    Fin,
}

/// A field met in the template.
#[derive(Debug, Clone)]
pub struct TagRun {
    /// Path of the value.
    pub nom: String,
    /// What it does.
    pub genre: Genre,
    /// Formatting, in order.
    pub filtres: Vec<Filtre>,
    /// Its origin.
    pub source: Source,
    /// Run properties the value takes (those of the field's first run).
    pub rpr: Option<Elem>,
    /// Paragraph number in the part (1-based), for messages.
    pub paragraphe: usize,
    /// Unique id within the part (sections pair open and close ids).
    pub id: u32,
    /// The id of the matching open/close tag (sections only).
    pub partenaire: u32,
}

/// A folded section: its content is rendered once per item, once, or not at all.
#[derive(Debug, Clone)]
pub struct Section {
    /// Path of the value deciding the section.
    pub nom: String,
    /// `{{^…}}`: rendered when the value is false or empty.
    pub inverse: bool,
    /// Content.
    pub children: Vec<Node>,
    /// Origin of the opening field.
    pub source: Source,
    /// Paragraph of the opening field.
    pub paragraphe: usize,
}

/// Counters that keep cloned ids unique across the parts of a document.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    /// Largest `wp:docPr/@id` seen.
    pub docpr: u64,
    /// Largest bookmark id seen.
    pub signet: u64,
    /// Largest `w14:paraId`/`w14:textId` seen.
    pub para: u64,
    /// Suffix counter for cloned bookmark names.
    pub clone: u64,
}

impl Ids {
    /// Record the ids of a part.
    pub fn observer(&mut self, e: &Elem) {
        for (k, v) in &e.attrs {
            match (e.name.as_str(), k.as_str()) {
                ("wp:docPr", "id") => {
                    self.docpr = self.docpr.max(v.trim().parse().unwrap_or(0));
                }
                ("w:bookmarkStart" | "w:bookmarkEnd", "w:id") => {
                    self.signet = self.signet.max(v.trim().parse().unwrap_or(0));
                }
                (_, "w14:paraId" | "w14:textId") => {
                    self.para = self
                        .para
                        .max(u64::from_str_radix(v.trim(), 16).unwrap_or(0));
                }
                _ => {}
            }
        }
        for c in &e.children {
            if let Node::Elem(x) = c {
                self.observer(x);
            }
        }
    }
}

/// Options of a merge.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OptionsFusion {
    /// Missing data is an error listing every missing field (default). When false, missing
    /// values render empty and missing sections are skipped.
    pub strict: bool,
    /// Keep content controls around their new value (default: replace them by the value,
    /// so the result holds no field markup).
    pub conserver_controles: bool,
}

impl Default for OptionsFusion {
    fn default() -> Self {
        OptionsFusion {
            strict: true,
            conserver_controles: false,
        }
    }
}

/// Bounds on a merge, checked before (or, for the output, during) the work; past one, the
/// merge fails with [`CodeErreur::LimiteDepassee`] naming it (« tailleSortie »...). Within
/// them, compiling and merging take time and memory proportional to the template and
/// output sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitesFusion {
    /// Largest templated part once decompressed (« taillePartie »), 64 MiB by default.
    pub taille_partie: u64,
    /// All templated parts together once decompressed (« tailleParties »), 128 MiB.
    pub taille_parties: u64,
    /// Largest decompressed / compressed ratio of a templated part over 1 MiB
    /// (« ratioExpansion »), 100 by default (Word's XML compresses 5 to 30 times).
    pub ratio_expansion: u64,
    /// Deepest nesting of sections (« sections imbriquées »), 32 by default.
    pub sections_imbriquees: usize,
    /// Largest merged document, all parts together, before compression (« tailleSortie »),
    /// 64 MiB by default: loops over lists multiply the template.
    pub taille_sortie: usize,
}

impl Default for LimitesFusion {
    fn default() -> Self {
        LimitesFusion {
            taille_partie: 64 * 1024 * 1024,
            taille_parties: 128 * 1024 * 1024,
            ratio_expansion: 100,
            sections_imbriquees: 32,
            taille_sortie: 64 * 1024 * 1024,
        }
    }
}

fn limite(nom: &str, detail: impl std::fmt::Display) -> Erreur {
    Erreur::new(
        CodeErreur::LimiteDepassee,
        format!("limite « {nom} » dépassée : {detail}"),
    )
}

/// Replace children in one pass (`f` gives the nodes replacing one, or `None` to keep it):
/// a splice per replacement would make a part with many fields quadratic.
fn remplacer(
    children: &mut Vec<Node>,
    mut f: impl FnMut(&mut Node) -> Result<Option<Vec<Node>>>,
) -> Result<()> {
    let entree = std::mem::take(children);
    let mut out = Vec::with_capacity(entree.len());
    for mut c in entree {
        match f(&mut c)? {
            Some(v) => out.extend(v),
            None => out.push(c),
        }
    }
    *children = out;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Field syntax

/// A parsed field: name, kind, filters.
type ChampLu = (String, Genre, Vec<Filtre>);

/// Parse the inside of a placeholder (`# lots`, `montant | montant`, `date | format "d MMMM"`).
fn parse_champ(inner: &str) -> std::result::Result<ChampLu, String> {
    let inner = inner.trim();
    let (genre, reste) = match inner.chars().next() {
        Some('#') => (Genre::Section, &inner[1..]),
        Some('^') => (Genre::SectionInverse, &inner[1..]),
        Some('/') => (Genre::Fin, &inner[1..]),
        _ => (Genre::Valeur, inner),
    };
    let morceaux = decouper_filtres(reste)?;
    let mut it = morceaux.into_iter();
    let nom = it.next().unwrap_or_default().trim().to_string();
    if nom.is_empty() && genre != Genre::Fin {
        return Err("champ sans nom".into());
    }
    if !nom
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '-'))
    {
        return Err(format!("nom de champ invalide « {nom} »"));
    }
    let mut filtres = Vec::new();
    for m in it {
        let m = m.trim();
        let (nom_f, arg) = match m.find(['"', '\u{201C}', '\u{AB}']) {
            Some(p) => {
                let arg = m[p..].trim().trim_matches(|c| {
                    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{AB}' | '\u{BB}')
                });
                (m[..p].trim(), Some(arg.trim_matches('\u{A0}')))
            }
            // An unquoted argument: `nombre 2`.
            None => match m.split_once(char::is_whitespace) {
                Some((nom_f, arg)) => (nom_f, Some(arg.trim())),
                None => (m, None),
            },
        };
        let f = Filtre::parse(nom_f, arg).ok_or_else(|| format!("filtre inconnu « {nom_f} »"))?;
        filtres.push(f);
    }
    Ok((nom, genre, filtres))
}

/// Split on `|` outside double quotes (Word may turn quotes into curly ones).
fn decouper_filtres(s: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut guillemets = false;
    for c in s.chars() {
        match c {
            '"' | '\u{201C}' | '\u{201D}' | '\u{AB}' | '\u{BB}' => {
                guillemets = !guillemets;
                if let Some(l) = out.last_mut() {
                    l.push('"');
                }
            }
            '|' if !guillemets => out.push(String::new()),
            c => {
                if let Some(l) = out.last_mut() {
                    l.push(c);
                }
            }
        }
    }
    if guillemets {
        return Err("guillemet non fermé".into());
    }
    Ok(out)
}

/// Parse a MERGEFIELD instruction: name and switches. `TableStart:x`/`TableEnd:x` and
/// `BeginGroup:x`/`EndGroup:x` (the usual mail-merge region markers) open and close sections.
fn parse_mergefield(instr: &str) -> Option<std::result::Result<ChampLu, String>> {
    let jetons = jetons_instruction(instr);
    let mut it = jetons.iter();
    let premier = it.next()?;
    if !premier.0.eq_ignore_ascii_case("MERGEFIELD") || premier.1 {
        return None;
    }
    let Some((nom, _)) = it.next() else {
        return Some(Err("MERGEFIELD sans nom".into()));
    };
    let mut genre = Genre::Valeur;
    let mut nom = nom.clone();
    for (prefixe, g) in [
        ("TableStart:", Genre::Section),
        ("BeginGroup:", Genre::Section),
        ("TableEnd:", Genre::Fin),
        ("EndGroup:", Genre::Fin),
    ] {
        if nom.len() > prefixe.len() && nom[..prefixe.len()].eq_ignore_ascii_case(prefixe) {
            nom = nom[prefixe.len()..].to_string();
            genre = g;
        }
    }
    let mut filtres = Vec::new();
    let mut rest: Vec<&(String, bool)> = it.collect();
    rest.reverse();
    while let Some((sw, quoted)) = rest.pop() {
        if *quoted {
            continue;
        }
        let arg = |rest: &mut Vec<&(String, bool)>| rest.pop().map(|(a, _)| a.clone());
        match sw.as_str() {
            "\\@" | "\\#" => {
                if let Some(a) = arg(&mut rest) {
                    filtres.push(Filtre::Image(a));
                }
            }
            "\\b" => {
                if let Some(a) = arg(&mut rest) {
                    filtres.push(Filtre::Avant(a));
                }
            }
            "\\f" => {
                if let Some(a) = arg(&mut rest) {
                    filtres.push(Filtre::Apres(a));
                }
            }
            "\\*" => {
                if let Some(a) = arg(&mut rest) {
                    match a.to_ascii_lowercase().as_str() {
                        "upper" => filtres.push(Filtre::Majuscules),
                        "lower" => filtres.push(Filtre::Minuscules),
                        "caps" => filtres.push(Filtre::Capitales),
                        "firstcap" => filtres.push(Filtre::PremiereMajuscule),
                        "cardtext" => filtres.push(Filtre::Lettres),
                        "dollartext" => filtres.push(Filtre::MontantLettres),
                        _ => {} // MERGEFORMAT, CHARFORMAT: formatting kept from the run
                    }
                }
            }
            _ => {} // \m, \v: no effect on the value
        }
    }
    // Word's `\*` case switches apply after the picture; keep pictures first.
    filtres.sort_by_key(|f| !matches!(f, Filtre::Image(_)));
    Some(Ok((nom, genre, filtres)))
}

/// Tokens of a field instruction: words and quoted strings (flagged).
fn jetons_instruction(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut in_q = false;
    for c in s.chars() {
        match c {
            '"' | '\u{201C}' | '\u{201D}' => {
                if in_q {
                    out.push((std::mem::take(&mut cur), true));
                    in_q = false;
                    quoted = false;
                } else {
                    if !cur.is_empty() {
                        out.push((std::mem::take(&mut cur), false));
                    }
                    in_q = true;
                    quoted = true;
                }
            }
            c if c.is_whitespace() && !in_q => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), quoted));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push((cur, quoted));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Normalization

struct Norm<'a> {
    part: &'a str,
    paragraphe: usize,
    prochain_id: u32,
    options: &'a OptionsFusion,
}

impl Norm<'_> {
    fn erreur(&self, msg: impl std::fmt::Display) -> Erreur {
        Erreur::new(
            CodeErreur::SyntaxeModele,
            format!("{}, paragraphe {} : {msg}", self.part, self.paragraphe),
        )
        .at(format!("{}#p{}", self.part, self.paragraphe))
    }

    fn tag(
        &mut self,
        champ: (String, Genre, Vec<Filtre>),
        source: Source,
        rpr: Option<Elem>,
    ) -> Node {
        self.prochain_id += 1;
        Node::Tag(Box::new(TagRun {
            nom: champ.0,
            genre: champ.1,
            filtres: champ.2,
            source,
            rpr: rpr.map(nettoyer_rpr),
            paragraphe: self.paragraphe,
            id: self.prochain_id,
            partenaire: 0,
        }))
    }
}

/// Drop the placeholder styling Word puts on empty content controls.
fn nettoyer_rpr(mut rpr: Elem) -> Elem {
    rpr.children.retain(|c| {
        !matches!(c, Node::Elem(e) if e.name == "w:rStyle" && e.attr("w:val").is_some_and(|v| v.eq_ignore_ascii_case("PlaceholderText") || v == "Textedelespacerserv"))
    });
    rpr
}

/// Normalize a part's tree in place.
pub fn normaliser(root: &mut Elem, part: &str, options: &OptionsFusion) -> Result<()> {
    normaliser_borne(root, part, options, &LimitesFusion::default())
}

/// [`normaliser`] within these bounds.
pub fn normaliser_borne(
    root: &mut Elem,
    part: &str,
    options: &OptionsFusion,
    limites: &LimitesFusion,
) -> Result<()> {
    let mut n = Norm {
        part,
        paragraphe: 0,
        prochain_id: 0,
        options,
    };
    normaliser_enfants(&mut root.children, &mut n)?;
    apparier(root, part)?;
    plier(&mut root.children, "", part, 0, limites)?;
    Ok(())
}

fn normaliser_enfants(children: &mut Vec<Node>, n: &mut Norm<'_>) -> Result<()> {
    remplacer(children, |c| match c {
        Node::Elem(e) if e.name == "w:p" => {
            n.paragraphe += 1;
            normaliser_paragraphe(e, n)?;
            Ok(None)
        }
        Node::Elem(e) if e.name == "w:sdt" => controle(e, n),
        Node::Elem(e) => {
            normaliser_enfants(&mut e.children, n)?;
            Ok(None)
        }
        _ => Ok(None),
    })
}

/// Containers of runs inside a paragraph whose text belongs to the paragraph's flow.
fn est_conteneur_runs(name: &str) -> bool {
    matches!(
        name,
        "w:hyperlink" | "w:ins" | "w:smartTag" | "w:customXml" | "w:moveTo" | "w:dir" | "w:bdo"
    )
}

fn normaliser_paragraphe(p: &mut Elem, n: &mut Norm<'_>) -> Result<()> {
    // Content controls and simple fields inside the paragraph first.
    champs_complexes(&mut p.children, n)?;
    remplacer(&mut p.children, |c| match c {
        Node::Elem(e) if e.name == "w:sdt" => controle(e, n),
        Node::Elem(e) if e.name == "w:fldSimple" => champ_simple(e, n),
        Node::Elem(e) if est_conteneur_runs(&e.name) => {
            champs_complexes(&mut e.children, n)?;
            remplacer(&mut e.children, |f| match f {
                Node::Elem(f) if f.name == "w:fldSimple" => champ_simple(f, n),
                _ => Ok(None),
            })?;
            Ok(None)
        }
        _ => Ok(None),
    })?;
    balises(p, n)
}

/// `w:fldSimple` with a MERGEFIELD instruction becomes a tag.
fn champ_simple(f: &mut Elem, n: &mut Norm<'_>) -> Result<Option<Vec<Node>>> {
    let instr = f.attr("w:instr").unwrap_or("").to_string();
    match parse_mergefield(&instr) {
        None => Ok(None),
        Some(Err(m)) => Err(n.erreur(m)),
        Some(Ok(champ)) => {
            let rpr = premier_rpr(&f.children);
            Ok(Some(vec![n.tag(champ, Source::Mergefield, rpr)]))
        }
    }
}

fn premier_rpr(nodes: &[Node]) -> Option<Elem> {
    for c in nodes {
        if let Node::Elem(e) = c {
            if e.name == "w:r" {
                if let Some(r) = e.child("w:rPr") {
                    return Some(r.clone());
                }
                return None;
            }
            if let Some(r) = premier_rpr(&e.children) {
                return Some(r);
            }
        }
    }
    None
}

fn fld_char_type(run: &Elem) -> Option<&str> {
    run.child("w:fldChar").and_then(|f| f.attr("w:fldCharType"))
}

/// Split runs holding several field parts (a `w:fldChar` beside text), so that each field
/// character sits in a run of its own.
fn eclater_runs_champs(children: &mut Vec<Node>) {
    let entree = std::mem::take(children);
    let mut out = Vec::with_capacity(entree.len());
    for c in entree {
        match c {
            Node::Elem(r)
                if r.name == "w:r"
                    && r.child("w:fldChar").is_some()
                    && r.children
                        .iter()
                        .filter(|c| !matches!(c, Node::Elem(e) if e.name == "w:rPr"))
                        .count()
                        > 1 =>
            {
                let rpr = r.child("w:rPr").cloned();
                for c in r.children {
                    if matches!(&c, Node::Elem(e) if e.name == "w:rPr") {
                        continue;
                    }
                    let mut nr = Elem::new("w:r");
                    nr.attrs = r.attrs.clone();
                    if let Some(rp) = &rpr {
                        nr.children.push(Node::Elem(rp.clone()));
                    }
                    nr.children.push(c);
                    out.push(Node::Elem(nr));
                }
            }
            c => out.push(c),
        }
    }
    *children = out;
}

/// Complex fields (`w:fldChar` begin/separate/end) whose instruction is a MERGEFIELD become
/// tags. The instruction may be split over many runs; bookmarks inside are kept before the
/// tag; nested fields (IF around MERGEFIELD) are left to Word.
fn champs_complexes(children: &mut Vec<Node>, n: &mut Norm<'_>) -> Result<()> {
    let a_champ = children
        .iter()
        .any(|c| matches!(c, Node::Elem(e) if e.name == "w:r" && e.child("w:fldChar").is_some()));
    if !a_champ {
        return Ok(());
    }
    eclater_runs_champs(children);
    // Rewritten into `out` in one pass (nodes before `deja` are moved there): a splice per
    // field would be quadratic in a paragraph of many fields.
    let mut out: Vec<Node> = Vec::with_capacity(children.len());
    let mut deja = 0usize;
    let deplacer = |children: &mut Vec<Node>, out: &mut Vec<Node>, de: usize, a: usize| {
        for c in children.get_mut(de..a).unwrap_or_default() {
            out.push(std::mem::replace(c, Node::Raw(String::new())));
        }
    };
    let mut i = 0;
    while i < children.len() {
        let debut = matches!(children.get(i), Some(Node::Elem(r)) if r.name == "w:r" && fld_char_type(r) == Some("begin"));
        if !debut {
            i += 1;
            continue;
        }
        // Find separate/end at depth 1.
        let mut profondeur = 0usize;
        let mut instr = String::new();
        let mut separe: Option<usize> = None;
        let mut fin: Option<usize> = None;
        let mut imbrique = false;
        for (j, c) in children.iter().enumerate().skip(i) {
            let Node::Elem(r) = c else { continue };
            if r.name != "w:r" {
                continue;
            }
            match fld_char_type(r) {
                Some("begin") => {
                    profondeur += 1;
                    if profondeur > 1 {
                        imbrique = true;
                    }
                }
                Some("separate") if profondeur == 1 => separe = Some(j),
                Some("end") => {
                    profondeur = profondeur.saturating_sub(1);
                    if profondeur == 0 {
                        fin = Some(j);
                        break;
                    }
                }
                _ => {
                    if profondeur == 1
                        && separe.is_none()
                        && let Some(t) = r.child("w:instrText")
                    {
                        instr.push_str(&t.text());
                    }
                }
            }
        }
        let Some(fin) = fin else {
            // The field continues in another paragraph: not a merge field we rewrite.
            break;
        };
        if imbrique {
            i = fin + 1;
            continue;
        }
        match parse_mergefield(&instr) {
            None => {
                i = fin + 1;
            }
            Some(Err(m)) => return Err(n.erreur(m)),
            Some(Ok(champ)) => {
                let zone = children.get(i..=fin).unwrap_or_default();
                let rpr = separe
                    .and_then(|s| children.get(s + 1..fin))
                    .and_then(premier_rpr)
                    .or_else(|| premier_rpr(zone));
                let mut remplacement: Vec<Node> = zone
                    .iter()
                    .filter(|c| matches!(c, Node::Elem(e) if e.name == "w:bookmarkStart" || e.name == "w:bookmarkEnd"))
                    .cloned()
                    .collect();
                remplacement.push(n.tag(champ, Source::Mergefield, rpr));
                deplacer(children, &mut out, deja, i);
                out.extend(remplacement);
                deja = fin + 1;
                i = fin + 1;
            }
        }
    }
    if deja > 0 {
        let fin = children.len();
        deplacer(children, &mut out, deja, fin);
        *children = out;
    }
    Ok(())
}

/// What a content control contains.
fn niveau_controle(contenu: &Elem) -> &'static str {
    for c in &contenu.children {
        if let Node::Elem(e) = c {
            match e.name.as_str() {
                "w:p" | "w:tbl" => return "bloc",
                "w:tr" => return "ligne",
                "w:tc" => return "cellule",
                "w:r" => return "run",
                _ => {}
            }
        }
    }
    "run"
}

/// A content control with a tag: fill it with its value (or make it a section when its tag
/// opens one, `#lots`). Returns the nodes replacing it; `None` keeps it (after
/// normalizing its content).
fn controle(sdt: &mut Elem, n: &mut Norm<'_>) -> Result<Option<Vec<Node>>> {
    let tag = sdt
        .child("w:sdtPr")
        .and_then(|p| p.child("w:tag"))
        .and_then(|t| t.attr("w:val"))
        .map(str::to_string)
        .unwrap_or_default();
    let Some(mut contenu) = sdt.child("w:sdtContent").cloned() else {
        return Ok(None);
    };
    let niveau = niveau_controle(&contenu);
    if tag.trim().is_empty() {
        // Untagged: only its content is templated.
        if niveau == "run" {
            let mut p = Elem::new("w:p");
            p.children = std::mem::take(&mut contenu.children);
            normaliser_paragraphe(&mut p, n)?;
            contenu.children = p.children;
        } else {
            normaliser_enfants(&mut contenu.children, n)?;
        }
        if let Some(c) = sdt.child_mut("w:sdtContent") {
            *c = contenu;
        }
        return Ok(None);
    }
    let champ = parse_champ(&tag).map_err(|m| n.erreur(format!("contrôle « {tag} » : {m}")))?;
    let nouveau: Vec<Node> = match champ.1 {
        Genre::Section | Genre::SectionInverse => {
            if niveau == "run" {
                let mut p = Elem::new("w:p");
                p.children = std::mem::take(&mut contenu.children);
                normaliser_paragraphe(&mut p, n)?;
                contenu.children = p.children;
            } else {
                normaliser_enfants(&mut contenu.children, n)?;
            }
            let ouverture = n.tag(champ.clone(), Source::Controle, None);
            let fermeture = n.tag(
                (champ.0.clone(), Genre::Fin, Vec::new()),
                Source::Controle,
                None,
            );
            let mut v = vec![ouverture];
            v.append(&mut contenu.children);
            v.push(fermeture);
            // Folding wraps exactly this range: both tags are siblings.
            return Ok(Some(v));
        }
        Genre::Fin => return Err(n.erreur(format!("contrôle « {tag} » : fin de section seule"))),
        Genre::Valeur => match niveau {
            "run" => {
                let rpr = premier_rpr(&contenu.children);
                vec![n.tag(champ, Source::Controle, rpr)]
            }
            "bloc" => {
                let premier_p = contenu.children.iter().find_map(|c| match c {
                    Node::Elem(e) if e.name == "w:p" => Some(e.clone()),
                    _ => None,
                });
                let mut p = Elem::new("w:p");
                if let Some(src) = &premier_p {
                    p.attrs = src.attrs.clone();
                    if let Some(ppr) = src.child("w:pPr") {
                        p.children.push(Node::Elem(ppr.clone()));
                    }
                }
                let rpr = premier_p.as_ref().and_then(|pp| premier_rpr(&pp.children));
                p.children.push(n.tag(champ, Source::Controle, rpr));
                vec![Node::Elem(p)]
            }
            _ => {
                return Err(n.erreur(format!(
                    "contrôle « {tag} » : un contrôle de {niveau} ne peut recevoir qu'une section"
                )));
            }
        },
    };
    if n.options.conserver_controles {
        let mut garde = sdt.clone();
        if let Some(pr) = garde.child_mut("w:sdtPr") {
            pr.children.retain(|c| {
                !matches!(c, Node::Elem(e) if e.name == "w:showingPlcHdr" || e.name.ends_with(":dataBinding"))
            });
        }
        if let Some(c) = garde.child_mut("w:sdtContent") {
            c.children = nouveau;
        }
        return Ok(Some(vec![Node::Elem(garde)]));
    }
    Ok(Some(nouveau))
}

// ---- placeholders across runs

/// A piece of a `w:t` after tags were located: text, or (the start of) a tag.
enum Piece {
    Texte(String),
    Tag(Node),
}

fn collecter_textes<'a>(nodes: &'a [Node], out: &mut Vec<&'a str>) {
    for c in nodes {
        if let Node::Elem(e) = c {
            if e.name == "w:r" {
                for rc in &e.children {
                    if let Node::Elem(t) = rc
                        && t.name == "w:t"
                    {
                        out.push(texte_direct(t));
                    }
                }
            } else if est_conteneur_runs(&e.name) {
                collecter_textes(&e.children, out);
            }
        }
    }
}

fn texte_direct(t: &Elem) -> &str {
    match t.children.first() {
        Some(Node::Text(s)) => s,
        _ => "",
    }
}

fn balises(p: &mut Elem, n: &mut Norm<'_>) -> Result<()> {
    let mut textes = Vec::new();
    collecter_textes(&p.children, &mut textes);
    if !textes.iter().any(|t| t.contains('{')) {
        return Ok(());
    }
    let tout: String = textes.concat();
    if !tout.contains("{{") {
        return Ok(());
    }
    // Byte ranges of the tags in the concatenated text.
    let mut zones: Vec<(usize, usize, Node)> = Vec::new();
    let mut pos = 0;
    while let Some(d) = tout[pos..].find("{{") {
        let d = pos + d;
        let Some(f) = tout[d + 2..].find("}}") else {
            return Err(n.erreur("« {{ » sans « }} » correspondant"));
        };
        let f = d + 2 + f;
        let inner = &tout[d + 2..f];
        if inner.contains("{{") {
            return Err(n.erreur(format!("balise mal fermée « {{{{{inner}}}}} »")));
        }
        let champ = parse_champ(inner).map_err(|m| n.erreur(format!("{{{{{inner}}}}} : {m}")))?;
        zones.push((d, f + 2, n.tag(champ, Source::Balise, None)));
        pos = f + 2;
    }
    // Pieces per w:t slot.
    let mut pieces: Vec<Vec<Piece>> = Vec::with_capacity(textes.len());
    let mut debut_slot = 0usize;
    let mut zi = 0usize;
    let mut zones_it: Vec<Option<Node>> = zones
        .iter_mut()
        .map(|z| Some(std::mem::replace(&mut z.2, Node::Raw(String::new()))))
        .collect();
    for t in &textes {
        let fin_slot = debut_slot + t.len();
        let mut ps = Vec::new();
        let mut curseur = debut_slot;
        while curseur < fin_slot {
            match zones.get(zi) {
                Some(&(zd, zf, _)) if zd < fin_slot => {
                    if curseur < zd {
                        ps.push(Piece::Texte(tout[curseur..zd].to_string()));
                        curseur = zd;
                    }
                    if curseur == zd
                        && let Some(tag) = zones_it.get_mut(zi).and_then(Option::take)
                    {
                        ps.push(Piece::Tag(tag));
                    }
                    // Skip the tag's text within this slot.
                    let fin = zf.min(fin_slot);
                    curseur = fin.max(curseur);
                    if zf <= fin_slot {
                        zi += 1;
                    }
                }
                _ => {
                    ps.push(Piece::Texte(tout[curseur..fin_slot].to_string()));
                    curseur = fin_slot;
                }
            }
        }
        pieces.push(ps);
        debut_slot = fin_slot;
    }
    let mut it = pieces.into_iter();
    let anciens = std::mem::take(&mut p.children);
    p.children = reecrire(anciens, &mut it);
    Ok(())
}

fn reecrire(nodes: Vec<Node>, pieces: &mut impl Iterator<Item = Vec<Piece>>) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    for c in nodes {
        match c {
            Node::Elem(e) if e.name == "w:r" => {
                let a_texte = e
                    .children
                    .iter()
                    .any(|x| matches!(x, Node::Elem(t) if t.name == "w:t"));
                if !a_texte {
                    out.push(Node::Elem(e));
                    continue;
                }
                reecrire_run(e, pieces, &mut out);
            }
            Node::Elem(mut e) if est_conteneur_runs(&e.name) => {
                let enfants = std::mem::take(&mut e.children);
                e.children = reecrire(enfants, pieces);
                out.push(Node::Elem(e));
            }
            other => out.push(other),
        }
    }
    out
}

fn reecrire_run(run: Elem, pieces: &mut impl Iterator<Item = Vec<Piece>>, out: &mut Vec<Node>) {
    let rpr = run.child("w:rPr").cloned();
    let nouveau_run = |attrs: &Vec<(String, String)>| {
        let mut r = Elem::new("w:r");
        r.attrs = attrs.clone();
        if let Some(rp) = &rpr {
            r.children.push(Node::Elem(rp.clone()));
        }
        r
    };
    let base = if rpr.is_some() { 1 } else { 0 };
    let mut courant = nouveau_run(&run.attrs);
    for c in run.children {
        match c {
            Node::Elem(e) if e.name == "w:rPr" => {}
            Node::Elem(t) if t.name == "w:t" => {
                let ps = pieces.next().unwrap_or_default();
                for piece in ps {
                    match piece {
                        Piece::Texte(s) if s.is_empty() => {}
                        Piece::Texte(s) => {
                            let mut nt = Elem::new("w:t");
                            nt.attrs.push(("xml:space".into(), "preserve".into()));
                            nt.children.push(Node::Text(s));
                            courant.children.push(Node::Elem(nt));
                        }
                        Piece::Tag(mut tag) => {
                            if courant.children.len() > base {
                                let plein =
                                    std::mem::replace(&mut courant, nouveau_run(&run.attrs));
                                out.push(Node::Elem(plein));
                            }
                            if let Node::Tag(tr) = &mut tag {
                                tr.rpr = rpr.clone().map(nettoyer_rpr);
                            }
                            out.push(tag);
                        }
                    }
                }
            }
            other => courant.children.push(other),
        }
    }
    if courant.children.len() > base {
        out.push(Node::Elem(courant));
    }
}

// ---------------------------------------------------------------------------------------
// Pairing and folding

fn visiter_tags<'a>(nodes: &'a [Node], f: &mut impl FnMut(&'a TagRun)) {
    for c in nodes {
        match c {
            Node::Tag(t) => f(t),
            Node::Elem(e) => visiter_tags(&e.children, f),
            Node::Section(s) => visiter_tags(&s.children, f),
            _ => {}
        }
    }
}

fn visiter_tags_mut(nodes: &mut [Node], f: &mut impl FnMut(&mut TagRun)) {
    for c in nodes {
        match c {
            Node::Tag(t) => f(t),
            Node::Elem(e) => visiter_tags_mut(&mut e.children, f),
            Node::Section(s) => visiter_tags_mut(&mut s.children, f),
            _ => {}
        }
    }
}

/// Pair section openings with their ends (a nameless `{{/}}` closes the innermost).
fn apparier(root: &mut Elem, part: &str) -> Result<()> {
    let mut pile: Vec<(u32, String, usize)> = Vec::new();
    let mut paires: HashMap<u32, u32> = HashMap::new();
    let mut erreur: Option<Erreur> = None;
    let err = |para: usize, m: String| {
        Erreur::new(
            CodeErreur::SyntaxeModele,
            format!("{part}, paragraphe {para} : {m}"),
        )
        .at(format!("{part}#p{para}"))
    };
    visiter_tags(&root.children, &mut |t| {
        if erreur.is_some() {
            return;
        }
        match t.genre {
            Genre::Section | Genre::SectionInverse => {
                pile.push((t.id, t.nom.clone(), t.paragraphe))
            }
            Genre::Fin => match pile.pop() {
                Some((id, nom, _)) if t.nom.is_empty() || t.nom == nom => {
                    paires.insert(id, t.id);
                    paires.insert(t.id, id);
                }
                Some((_, nom, _)) => {
                    erreur = Some(err(
                        t.paragraphe,
                        format!("« {{{{/{}}}}} » ferme la section « {nom} »", t.nom),
                    ))
                }
                None => {
                    erreur = Some(err(
                        t.paragraphe,
                        format!("« {{{{/{}}}}} » sans ouverture", t.nom),
                    ))
                }
            },
            Genre::Valeur => {}
        }
    });
    if let Some(e) = erreur {
        return Err(e);
    }
    if let Some((_, nom, para)) = pile.pop() {
        return Err(err(para, format!("section « {nom} » jamais fermée")));
    }
    visiter_tags_mut(&mut root.children, &mut |t| {
        if let Some(p) = paires.get(&t.id) {
            t.partenaire = *p;
        }
    });
    Ok(())
}

#[derive(Clone, Copy)]
struct InfoTag {
    id: u32,
    partenaire: u32,
    ouvre: bool,
}

fn tags_section(node: &Node, out: &mut Vec<InfoTag>) {
    match node {
        Node::Tag(t) if t.genre != Genre::Valeur => out.push(InfoTag {
            id: t.id,
            partenaire: t.partenaire,
            ouvre: t.genre != Genre::Fin,
        }),
        Node::Elem(e) => {
            for c in &e.children {
                tags_section(c, out);
            }
        }
        _ => {}
    }
}

fn contient(node: &Node, id: u32) -> bool {
    match node {
        Node::Tag(t) => t.id == id,
        Node::Elem(e) => e.children.iter().any(|c| contient(c, id)),
        _ => false,
    }
}

/// Remove the tag with this id from the subtree; true when the node itself is that tag.
fn retirer(node: &mut Node, id: u32) -> bool {
    match node {
        Node::Tag(t) => t.id == id,
        Node::Elem(e) => {
            if let Some(pos) = e
                .children
                .iter()
                .position(|c| matches!(c, Node::Tag(t) if t.id == id))
            {
                e.children.remove(pos);
                return false;
            }
            for c in e.children.iter_mut() {
                if contient(c, id) {
                    retirer(c, id);
                    break;
                }
            }
            false
        }
        _ => false,
    }
}

/// A paragraph left with nothing visible once its section tag is gone.
fn paragraphe_vide(node: &Node) -> bool {
    fn visible(nodes: &[Node]) -> bool {
        nodes.iter().any(|c| match c {
            Node::Tag(_) | Node::Section(_) => true,
            Node::Elem(e) => match e.name.as_str() {
                "w:t" => !e.text().is_empty(),
                "w:tab"
                | "w:br"
                | "w:cr"
                | "w:drawing"
                | "w:pict"
                | "w:object"
                | "w:fldChar"
                | "w:sym"
                | "w:sectPr"
                | "w:footnoteReference"
                | "w:endnoteReference" => true,
                _ => visible(&e.children),
            },
            _ => false,
        })
    }
    matches!(node, Node::Elem(e) if e.name == "w:p" && !visible(&e.children))
}

/// Fold sections: each pair wraps the smallest run of siblings holding both tags — table
/// rows when they sit in different rows (or cells of one row), paragraphs when in different
/// paragraphs, runs when in one paragraph.
///
/// One pass over the siblings into a new list (a drain and an insert per section made a
/// part of many sections quadratic); each level of nested sections walks its content once
/// more, hence the bound on their depth.
fn plier(
    children: &mut Vec<Node>,
    parent: &str,
    part: &str,
    prof: usize,
    limites: &LimitesFusion,
) -> Result<()> {
    let entree = std::mem::take(children);
    let mut out = Vec::with_capacity(entree.len());
    let mut it = entree.into_iter();
    while let Some(c) = it.next() {
        let mut tags = Vec::new();
        tags_section(&c, &mut tags);
        if tags.is_empty() {
            out.push(c);
            continue;
        }
        let ids: HashSet<u32> = tags.iter().map(|t| t.id).collect();
        let dehors = tags
            .iter()
            .find(|t| t.ouvre && !ids.contains(&t.partenaire))
            .copied();
        if let Some(o) = dehors {
            let mut interieur = vec![c];
            loop {
                let Some(x) = it.next() else {
                    return Err(Erreur::new(
                        CodeErreur::SyntaxeModele,
                        format!("{part} : section mal imbriquée"),
                    )
                    .at(part.to_string()));
                };
                let fin = contient(&x, o.partenaire);
                interieur.push(x);
                if fin {
                    break;
                }
            }
            out.push(envelopper(interieur, o, parent, part, prof, limites)?);
            continue;
        }
        if let Node::Elem(e) = &c
            && e.name == "w:tr"
        {
            // A pair whose ends are in different cells of this row repeats the row.
            let mut croise = None;
            for cell in &e.children {
                let mut v = Vec::new();
                tags_section(cell, &mut v);
                let ids_c: HashSet<u32> = v.iter().map(|t| t.id).collect();
                if let Some(t) = v.iter().find(|t| t.ouvre && !ids_c.contains(&t.partenaire)) {
                    croise = Some(*t);
                    break;
                }
            }
            if let Some(o) = croise {
                out.push(envelopper(vec![c], o, parent, part, prof, limites)?);
                continue;
            }
        }
        match c {
            Node::Elem(mut e) => {
                let nom = std::mem::take(&mut e.name);
                plier(&mut e.children, &nom, part, prof, limites)?;
                e.name = nom;
                out.push(Node::Elem(e));
            }
            c => out.push(c),
        }
    }
    *children = out;
    Ok(())
}

fn envelopper(
    mut interieur: Vec<Node>,
    o: InfoTag,
    parent: &str,
    part: &str,
    prof: usize,
    limites: &LimitesFusion,
) -> Result<Node> {
    // Every section tag inside must have its partner inside too.
    let mut tags = Vec::new();
    for c in &interieur {
        tags_section(c, &mut tags);
    }
    let ids: HashSet<u32> = tags.iter().map(|t| t.id).collect();
    let (nom, inverse, source, paragraphe) = {
        let mut info = None;
        for c in &interieur {
            visiter_tags(std::slice::from_ref(c), &mut |t| {
                if t.id == o.id {
                    info = Some((
                        t.nom.clone(),
                        t.genre == Genre::SectionInverse,
                        t.source,
                        t.paragraphe,
                    ));
                }
            });
        }
        info.ok_or_else(|| Erreur::internal("section introuvable"))?
    };
    if prof >= limites.sections_imbriquees {
        return Err(limite(
            "sections imbriquées",
            format!(
                "{part}, paragraphe {paragraphe} : plus de {} sections imbriquées",
                limites.sections_imbriquees
            ),
        )
        .at(format!("{part}#p{paragraphe}")));
    }
    if tags.iter().any(|t| !ids.contains(&t.partenaire)) {
        return Err(Erreur::new(
            CodeErreur::SyntaxeModele,
            format!(
                "{part}, paragraphe {paragraphe} : la section « {nom} » chevauche une autre section"
            ),
        )
        .at(format!("{part}#p{paragraphe}")));
    }
    let dernier = interieur.len().saturating_sub(1);
    let mut supprimer_premier = false;
    let mut supprimer_dernier = false;
    if let Some(first) = interieur.first_mut() {
        supprimer_premier = retirer(first, o.id);
    }
    if let Some(last) = interieur.last_mut() {
        supprimer_dernier = retirer(last, o.partenaire);
    }
    let blocs = parent != "w:p" && !est_conteneur_runs(parent);
    if blocs && dernier > 0 {
        supprimer_premier |= interieur.first().is_some_and(paragraphe_vide);
        supprimer_dernier |= interieur.last().is_some_and(paragraphe_vide);
    }
    if supprimer_dernier && dernier > 0 {
        interieur.pop();
    }
    if supprimer_premier && !interieur.is_empty() {
        interieur.remove(0);
    }
    plier(&mut interieur, parent, part, prof + 1, limites)?;
    Ok(Node::Section(Box::new(Section {
        nom,
        inverse,
        children: interieur,
        source,
        paragraphe,
    })))
}

// ---------------------------------------------------------------------------------------
// Fields listing

/// A field of a template, as `lister_champs` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChampModele {
    /// Path of the value (`lot.attributaire.raison_sociale`), relative to the enclosing
    /// sections' items.
    pub nom: String,
    /// Value or section.
    pub genre: Genre,
    /// Enclosing sections, outermost first.
    pub sections: Vec<String>,
    /// Parts where it appears (`word/document.xml`, `word/header1.xml`…).
    pub parties: Vec<String>,
    /// Kinds of field it is written with.
    pub sources: Vec<Source>,
    /// Whether a `defaut` filter makes it optional.
    pub optionnel: bool,
}

/// Add the fields of a folded part to `out` (merged by name and sections).
pub fn lister(nodes: &[Node], part: &str, sections: &mut Vec<String>, out: &mut Vec<ChampModele>) {
    // Fields are merged through an index (a linear search per field was quadratic).
    let mut index: HashMap<(String, Vec<String>, Genre), usize> = out
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.nom.clone(), c.sections.clone(), c.genre), i))
        .collect();
    lister_indexe(nodes, part, sections, out, &mut index);
}

type IndexChamps = HashMap<(String, Vec<String>, Genre), usize>;

fn lister_indexe(
    nodes: &[Node],
    part: &str,
    sections: &mut Vec<String>,
    out: &mut Vec<ChampModele>,
    index: &mut IndexChamps,
) {
    for c in nodes {
        match c {
            Node::Tag(t) if t.genre == Genre::Valeur => {
                let optionnel = t.filtres.iter().any(|f| matches!(f, Filtre::Defaut(_)));
                ajouter(
                    out,
                    index,
                    &t.nom,
                    Genre::Valeur,
                    sections,
                    part,
                    t.source,
                    optionnel,
                );
            }
            Node::Section(s) => {
                let genre = if s.inverse {
                    Genre::SectionInverse
                } else {
                    Genre::Section
                };
                ajouter(out, index, &s.nom, genre, sections, part, s.source, false);
                sections.push(s.nom.clone());
                lister_indexe(&s.children, part, sections, out, index);
                sections.pop();
            }
            Node::Elem(e) => lister_indexe(&e.children, part, sections, out, index),
            _ => {}
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn ajouter(
    out: &mut Vec<ChampModele>,
    index: &mut IndexChamps,
    nom: &str,
    genre: Genre,
    sections: &[String],
    part: &str,
    source: Source,
    optionnel: bool,
) {
    let cle = (nom.to_string(), sections.to_vec(), genre);
    if let Some(c) = index.get(&cle).and_then(|&i| out.get_mut(i)) {
        if !c.parties.iter().any(|p| p == part) {
            c.parties.push(part.to_string());
        }
        if !c.sources.contains(&source) {
            c.sources.push(source);
        }
        c.optionnel &= optionnel;
        return;
    }
    index.insert(cle, out.len());
    out.push(ChampModele {
        nom: nom.to_string(),
        genre,
        sections: sections.to_vec(),
        parties: vec![part.to_string()],
        sources: vec![source],
        optionnel,
    });
}

// ---------------------------------------------------------------------------------------
// Rendering

/// Rendering state shared by the parts of one document.
#[derive(Debug)]
pub struct Rendu<'o> {
    /// Options.
    pub options: &'o OptionsFusion,
    /// Id counters (shared by all parts).
    pub ids: Ids,
    /// Missing fields (`lots[].montant`), deduplicated in order.
    pub manquants: Vec<String>,
    /// Values that could not be formatted.
    pub incompatibles: Vec<String>,
    clone: bool,
    signets: HashMap<String, String>,
    sections: Vec<(String, bool)>,
    part: String,
    /// `manquants` and `incompatibles` as sets: a linear search per field made a template
    /// of many distinct missing fields quadratic.
    vus: HashSet<String>,
    /// Paragraphs and table rows written so far (an empty cell or table is detected by
    /// counting, not by searching the output, which nested tables made quadratic).
    paragraphes: u64,
    lignes: u64,
    /// Bytes written by the parts already rendered.
    ecrits: usize,
    /// The output bound was crossed: rendering stops.
    pub depasse: bool,
    /// Bounds (the default ones unless the caller sets them).
    pub limites: LimitesFusion,
}

impl<'o> Rendu<'o> {
    /// A new state.
    pub fn new(options: &'o OptionsFusion, ids: Ids) -> Rendu<'o> {
        Rendu {
            options,
            ids,
            manquants: Vec::new(),
            incompatibles: Vec::new(),
            clone: false,
            signets: HashMap::new(),
            sections: Vec::new(),
            part: String::new(),
            vus: HashSet::new(),
            paragraphes: 0,
            lignes: 0,
            ecrits: 0,
            depasse: false,
            limites: LimitesFusion::default(),
        }
    }

    fn chemin(&self, nom: &str) -> String {
        let mut s = String::new();
        for (n, liste) in &self.sections {
            s.push_str(n);
            if *liste {
                s.push_str("[]");
            }
            s.push('.');
        }
        s.push_str(nom);
        s
    }

    fn manque(&mut self, nom: &str) {
        let c = self.chemin(nom);
        if self.vus.insert(format!("m{c}")) {
            self.manquants.push(c);
        }
    }

    /// Render a part's root element (with its prologue) to XML text.
    pub fn part(&mut self, doc: &xml::Document, part: &str, data: &Value) -> String {
        self.part = part.to_string();
        let mut out = String::with_capacity(4096);
        out.push_str(&doc.prologue);
        let mut pile = vec![Cadre {
            valeur: data,
            index: None,
        }];
        self.elem(&doc.root, &mut pile, &mut out);
        self.ecrits += out.len();
        out
    }

    fn noeuds<'a>(&mut self, nodes: &'a [Node], pile: &mut Vec<Cadre<'a>>, out: &mut String)
    where
        'o: 'a,
    {
        for c in nodes {
            if self.depasse || self.ecrits + out.len() > self.limites.taille_sortie {
                self.depasse = true;
                return;
            }
            match c {
                Node::Elem(e) => self.elem(e, pile, out),
                Node::Text(t) => xml::push_escaped_text(out, t),
                Node::Raw(r) => out.push_str(r),
                Node::Tag(t) => self.valeur(t, pile, out),
                Node::Section(s) => self.section(s, pile, out),
            }
        }
    }

    fn elem<'a>(&mut self, e: &'a Elem, pile: &mut Vec<Cadre<'a>>, out: &mut String)
    where
        'o: 'a,
    {
        if self.clone && !self.renumeroter(e, out) {
            return;
        }
        if !self.clone {
            xml::write_start(out, e, e.children.is_empty());
        }
        match e.name.as_str() {
            "w:p" => self.paragraphes += 1,
            "w:tr" => self.lignes += 1,
            _ => {}
        }
        if e.children.is_empty() {
            return;
        }
        let debut = out.len();
        let (paragraphes, lignes) = (self.paragraphes, self.lignes);
        self.noeuds(&e.children, pile, out);
        match e.name.as_str() {
            // A table must keep a row, a cell a paragraph: a loop over an empty list or a
            // false condition must not leave Word an invalid structure.
            "w:tc" if self.paragraphes == paragraphes => {
                out.push_str("<w:p/>");
                self.paragraphes += 1;
            }
            "w:tbl" if self.lignes == lignes => {
                // Drop the whole table: rewind to before its start tag.
                if let Some(pos) = out[..debut].rfind("<w:tbl") {
                    out.truncate(pos);
                    return;
                }
            }
            _ => {}
        }
        out.push_str("</");
        out.push_str(&e.name);
        out.push('>');
    }

    /// In a cloned iteration: write the start tag with fresh ids. False drops the element
    /// (a bookmark end whose start is outside the clone).
    fn renumeroter(&mut self, e: &Elem, out: &mut String) -> bool {
        let besoin = matches!(
            e.name.as_str(),
            "w:bookmarkStart" | "w:bookmarkEnd" | "wp:docPr"
        ) || e
            .attrs
            .iter()
            .any(|(k, _)| k == "w14:paraId" || k == "w14:textId");
        if !besoin {
            xml::write_start(out, e, e.children.is_empty());
            return true;
        }
        let mut c = Elem {
            name: e.name.clone(),
            attrs: e.attrs.clone(),
            children: Vec::new(),
        };
        match e.name.as_str() {
            "w:bookmarkStart" => {
                let ancien = e.attr("w:id").unwrap_or("").to_string();
                self.ids.signet += 1;
                let nouveau = self.ids.signet.to_string();
                self.signets.insert(ancien, nouveau.clone());
                c.set_attr("w:id", nouveau);
                if let Some(nom) = e.attr("w:name") {
                    self.ids.clone += 1;
                    let suffixe = format!("_{}", self.ids.clone);
                    let base: String = nom.chars().take(40 - suffixe.len().min(40)).collect();
                    c.set_attr("w:name", format!("{base}{suffixe}"));
                }
            }
            "w:bookmarkEnd" => {
                let ancien = e.attr("w:id").unwrap_or("");
                match self.signets.get(ancien) {
                    Some(n) => c.set_attr("w:id", n.clone()),
                    None => return false,
                }
            }
            "wp:docPr" => {
                self.ids.docpr += 1;
                c.set_attr("id", self.ids.docpr.to_string());
            }
            _ => {}
        }
        for (k, v) in c.attrs.iter_mut() {
            if k == "w14:paraId" || k == "w14:textId" {
                self.ids.para += 1;
                // Word requires values below 0x80000000.
                *v = format!("{:08X}", (self.ids.para % 0x7FFF_FFFF).max(1));
            }
        }
        xml::write_start(out, &c, e.children.is_empty());
        true
    }

    fn valeur<'a>(&mut self, t: &'a TagRun, pile: &mut Vec<Cadre<'a>>, out: &mut String) {
        let trouve = valeurs::chercher(pile, &t.nom);
        let defaut = t.filtres.iter().any(|f| matches!(f, Filtre::Defaut(_)));
        let texte = match &trouve {
            Some(v) => valeurs::formater(v.valeur(), &t.filtres),
            None if defaut => valeurs::formater(&Value::Null, &t.filtres),
            None => {
                if self.options.strict {
                    self.manque(&t.nom);
                }
                return;
            }
        };
        let texte = match texte {
            Ok(s) => s,
            Err(m) => {
                let c = format!("{} ({m})", self.chemin(&t.nom));
                if self.vus.insert(format!("i{c}")) {
                    self.incompatibles.push(c);
                }
                return;
            }
        };
        if texte.is_empty() {
            return;
        }
        ecrire_run(out, t.rpr.as_ref(), &texte);
    }

    fn section<'a>(&mut self, s: &'a Section, pile: &mut Vec<Cadre<'a>>, out: &mut String)
    where
        'o: 'a,
    {
        let Some(v) = valeurs::chercher(pile, &s.nom) else {
            if self.options.strict {
                self.manque(&s.nom);
            }
            if s.inverse && !self.options.strict {
                self.noeuds(&s.children, pile, out);
            }
            return;
        };
        let v = match v {
            valeurs::Trouve::Ref(r) => r,
            valeurs::Trouve::Calcule(c) => {
                // `@index` as a condition: true from the second item on.
                if valeurs::vrai(&c) != s.inverse {
                    self.noeuds(&s.children, pile, out);
                }
                return;
            }
        };
        if s.inverse {
            if !valeurs::vrai(v) {
                self.noeuds(&s.children, pile, out);
            }
            return;
        }
        match v {
            Value::Array(items) => {
                self.sections.push((s.nom.clone(), true));
                let avant = self.clone;
                for (idx, item) in items.iter().enumerate() {
                    if idx > 0 {
                        self.clone = true;
                        self.signets.clear();
                    }
                    pile.push(Cadre {
                        valeur: item,
                        index: Some(idx),
                    });
                    self.noeuds(&s.children, pile, out);
                    pile.pop();
                }
                self.clone = avant;
                self.sections.pop();
            }
            Value::Object(o) if !o.is_empty() => {
                self.sections.push((s.nom.clone(), false));
                pile.push(Cadre {
                    valeur: v,
                    index: None,
                });
                self.noeuds(&s.children, pile, out);
                pile.pop();
                self.sections.pop();
            }
            other => {
                if valeurs::vrai(other) {
                    self.noeuds(&s.children, pile, out);
                }
            }
        }
    }
}

/// Write a run with the value: newlines become `w:br`, tabs `w:tab`.
pub fn ecrire_run(out: &mut String, rpr: Option<&Elem>, texte: &str) {
    out.push_str("<w:r>");
    if let Some(r) = rpr {
        xml::write_elem(out, r);
    }
    let texte = texte.replace("\r\n", "\n").replace('\r', "\n");
    for (i, ligne) in texte.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (k, morceau) in ligne.split('\t').enumerate() {
            if k > 0 {
                out.push_str("<w:tab/>");
            }
            if !morceau.is_empty() {
                out.push_str("<w:t xml:space=\"preserve\">");
                xml::push_escaped_text(out, morceau);
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_placeholders_and_mergefields() {
        let (n, g, f) = parse_champ(" montant | montant ").unwrap();
        assert_eq!(
            (n.as_str(), g, f),
            ("montant", Genre::Valeur, vec![Filtre::Montant])
        );
        let (n, g, _) = parse_champ("#lots").unwrap();
        assert_eq!((n.as_str(), g), ("lots", Genre::Section));
        let (_, _, f) = parse_champ("d | format \"d MMMM yyyy\"").unwrap();
        assert_eq!(f, vec![Filtre::Image("d MMMM yyyy".into())]);
        assert!(parse_champ("a | inconnu").is_err());
        assert!(parse_champ("a b").is_err());
        assert!(parse_champ("").is_err());
        let (n, g, f) =
            parse_mergefield(" MERGEFIELD  date_limite \\@ \"dd/MM/yyyy\" \\* MERGEFORMAT ")
                .unwrap()
                .unwrap();
        assert_eq!(n, "date_limite");
        assert_eq!(g, Genre::Valeur);
        assert_eq!(f, vec![Filtre::Image("dd/MM/yyyy".into())]);
        let (n, g, _) = parse_mergefield("MERGEFIELD TableStart:lots")
            .unwrap()
            .unwrap();
        assert_eq!((n.as_str(), g), ("lots", Genre::Section));
        assert!(parse_mergefield(" PAGE ").is_none());
        let (_, _, f) = parse_mergefield("MERGEFIELD nom \\* Upper \\b \"M. \"")
            .unwrap()
            .unwrap();
        assert_eq!(f, vec![Filtre::Majuscules, Filtre::Avant("M. ".into())]);
    }
}
