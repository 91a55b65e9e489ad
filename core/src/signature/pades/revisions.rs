//! What the revisions added after a signature changed, and whether the signature allows
//! it (policy: `docs/pades-revisions.md`). Each object a later cross-reference section
//! defines is judged by the role its number had in the revision before: catalog, form,
//! field, widget, page, annotation list, DSS, metadata... Objects are compared by meaning
//! (references followed, streams by decoded content), so that a writer that rewrites an
//! object identically or moves a resource dictionary into an indirect object is not taken
//! for an attacker, while a changed glyph, image or page list is.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Object};

use super::lecteur::{Entree, Etat, Lecteur};
use super::limites::LimitesPdf;
pub(super) use super::modifications::{CategorieModification, ChangementPdf, RevisionPdf};
use crate::Result;

/// What the signature permits (DocMDP of a certification signature, §12.8.2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Permissions {
    /// `/P` of the certification signature: 1 no change, 2 forms and signatures, 3 also
    /// annotations. `None`: no certification signature.
    pub doc_mdp: Option<u8>,
    /// FieldMDP of the signature (§12.8.2.4): the fields it locks.
    pub verrou: Option<Verrou>,
}

/// The fields a FieldMDP transform locks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verrou {
    Tous,
    Inclus(Vec<String>),
    Exclus(Vec<String>),
}

impl Permissions {
    /// Is the field named `nom` (fully qualified) locked by the signature?
    pub(super) fn verrouille(&self, nom: &str) -> bool {
        let dans = |v: &[String]| {
            v.iter()
                .any(|f| f == nom || nom.starts_with(&format!("{f}.")))
        };
        match &self.verrou {
            None => false,
            Some(Verrou::Tous) => true,
            Some(Verrou::Inclus(v)) => dans(v),
            Some(Verrou::Exclus(v)) => !dans(v),
        }
    }

    fn autorise(&self, c: CategorieModification, champ_verrouille: bool) -> bool {
        use CategorieModification as C;
        match c {
            C::Structure | C::Dss | C::HorodatageDocument | C::Metadonnees => true,
            C::Signature => self.doc_mdp != Some(1),
            C::Formulaire => self.doc_mdp != Some(1) && !champ_verrouille,
            C::Annotation => self.doc_mdp == Some(3),
            C::Contenu | C::Pages | C::DictionnaireSignature | C::Autre => false,
        }
    }
}

/// The role an object number plays in a revision.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Catalogue,
    AcroForm,
    ListeChamps,
    Champ {
        signature: bool,
        signe: bool,
        nom: String,
    },
    Widget {
        signature: bool,
        signe: bool,
        nom: String,
    },
    Apparence {
        signature: bool,
        signe: bool,
        nom: String,
    },
    NoeudPages,
    Page(usize),
    Annotations(usize),
    Annotation(usize),
    ContenuPage(usize),
    Dss,
    Info,
    Metadonnees,
    DictSignature,
    /// The form's default resources (`/DR` and its font dictionary).
    RessourcesFormulaire,
    /// The logical structure (tagged PDF): what a signer adds for its widget.
    Structure,
}

/// The roles of a revision, found from its catalog (bounded by `champs_max`).
fn roles(etat: &Etat<'_, '_>, limites: &LimitesPdf) -> Result<HashMap<u32, Role>> {
    let mut r: HashMap<u32, Role> = HashMap::new();
    let refn = |o: &Object| o.as_reference().ok().map(|x| x.0);
    if let Some(t) = etat.trailer()
        && let Some(n) = t.get(b"Info").ok().and_then(refn)
    {
        r.insert(n, Role::Info);
    }
    let (root, cat) = etat.catalogue()?;
    if let Some(n) = root {
        r.insert(n, Role::Catalogue);
    }
    if let Some(n) = cat.get(b"Metadata").ok().and_then(refn) {
        r.insert(n, Role::Metadonnees);
    }
    // The structure tree root and its parent tree (not its elements: bounded work).
    if let Ok(st) = cat.get(b"StructTreeRoot") {
        if let Some(n) = refn(st) {
            r.insert(n, Role::Structure);
        }
        if let Some(std) = etat.dict(st)?
            && let Ok(pt) = std.get(b"ParentTree")
        {
            if let Some(n) = refn(pt) {
                r.insert(n, Role::Structure);
            }
            if let Some(ptd) = etat.dict(pt)?
                && let Ok(nums) = ptd.get(b"Nums")
                && let Some(n) = refn(nums)
            {
                r.insert(n, Role::Structure);
            }
        }
    }
    if let Ok(dss) = cat.get(b"DSS") {
        if let Some(n) = refn(dss) {
            r.insert(n, Role::Dss);
        }
        if let Some(d) = etat.dict(dss)? {
            for (k, v) in d.iter() {
                if let Some(n) = refn(v) {
                    r.insert(n, Role::Dss);
                }
                if k.as_slice() == b"VRI"
                    && let Some(vri) = etat.dict(v)?
                {
                    for (_, e) in vri.iter() {
                        if let Some(n) = refn(e) {
                            r.insert(n, Role::Dss);
                        }
                        if let Some(ed) = etat.dict(e)? {
                            for (_, x) in ed.iter() {
                                if let Some(n) = refn(x) {
                                    r.entry(n).or_insert(Role::Dss);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // Pages first: a widget found later in a field keeps its field role.
    let mut nb_pages = 0usize;
    if let Ok(p) = cat.get(b"Pages") {
        let mut pile = vec![(p.clone(), 0usize)];
        let mut vus = HashSet::new();
        while let Some((o, prof)) = pile.pop() {
            let Some(n) = refn(&o) else { continue };
            if !vus.insert(n) || prof > limites.profondeur_max {
                continue;
            }
            LimitesPdf::verifier("champs_max", limites.champs_max * 4, vus.len())?;
            let Some(d) = etat.dict(&o)? else { continue };
            if let Object::Array(kids) = etat
                .resoudre(d.get(b"Kids").unwrap_or(&Object::Null))?
                .as_ref()
            {
                r.insert(n, Role::NoeudPages);
                // Reverse so that pages are numbered in order.
                for k in kids.iter().rev() {
                    pile.push((k.clone(), prof + 1));
                }
                continue;
            }
            nb_pages += 1;
            r.insert(n, Role::Page(nb_pages));
            match d.get(b"Contents") {
                Ok(Object::Reference((c, _))) => {
                    r.insert(*c, Role::ContenuPage(nb_pages));
                    if let Object::Array(a) = etat.resoudre(&Object::Reference((*c, 0)))?.as_ref() {
                        for x in a {
                            if let Some(m) = refn(x) {
                                r.insert(m, Role::ContenuPage(nb_pages));
                            }
                        }
                    }
                }
                Ok(Object::Array(a)) => {
                    for x in a {
                        if let Some(m) = refn(x) {
                            r.insert(m, Role::ContenuPage(nb_pages));
                        }
                    }
                }
                _ => {}
            }
            if let Ok(a) = d.get(b"Annots") {
                if let Some(m) = refn(a) {
                    r.insert(m, Role::Annotations(nb_pages));
                }
                if let Object::Array(a) = etat.resoudre(a)?.as_ref() {
                    for x in a {
                        if let Some(m) = refn(x) {
                            r.insert(m, Role::Annotation(nb_pages));
                        }
                    }
                }
            }
        }
    }
    // The form: fields, their widgets, appearances and signature values.
    if let Ok(af) = cat.get(b"AcroForm") {
        if let Some(n) = refn(af) {
            r.insert(n, Role::AcroForm);
        }
        let afd = etat.dict(af)?;
        if let Some(dr) = afd.as_ref().and_then(|d| d.get(b"DR").ok()) {
            if let Some(n) = refn(dr) {
                r.insert(n, Role::RessourcesFormulaire);
            }
            if let Some(drd) = etat.dict(dr)? {
                for (_, v) in drd.iter() {
                    if let Some(n) = refn(v) {
                        r.insert(n, Role::RessourcesFormulaire);
                    }
                }
            }
        }
        if let Some(afd) = afd
            && let Ok(f) = afd.get(b"Fields")
        {
            if let Some(n) = refn(f) {
                r.insert(n, Role::ListeChamps);
            }
            let mut pile: Vec<(Object, String, Option<Vec<u8>>, usize)> = vec![];
            if let Object::Array(a) = etat.resoudre(f)?.as_ref() {
                for x in a.iter().rev() {
                    pile.push((x.clone(), String::new(), None, 0));
                }
            }
            let mut vus = HashSet::new();
            while let Some((o, parent, ft_herite, prof)) = pile.pop() {
                let Some(n) = refn(&o) else { continue };
                if !vus.insert(n) || prof > limites.profondeur_max {
                    continue;
                }
                LimitesPdf::verifier("champs_max", limites.champs_max, vus.len())?;
                let Some(d) = etat.dict(&o)? else { continue };
                let ft = d
                    .get(b"FT")
                    .and_then(Object::as_name)
                    .ok()
                    .map(<[u8]>::to_vec)
                    .or(ft_herite);
                let signature = ft.as_deref() == Some(b"Sig");
                let t = d.get(b"T").and_then(Object::as_str).ok();
                let nom = match (t, parent.is_empty()) {
                    (Some(t), true) => String::from_utf8_lossy(t).into_owned(),
                    (Some(t), false) => format!("{parent}.{}", String::from_utf8_lossy(t)),
                    (None, _) => parent.clone(),
                };
                let v = d.get(b"V").ok();
                let signe = signature && v.is_some_and(|v| !matches!(v, Object::Null));
                let est_champ = t.is_some() || d.has(b"FT");
                let role = if est_champ {
                    Role::Champ {
                        signature,
                        signe,
                        nom: nom.clone(),
                    }
                } else {
                    Role::Widget {
                        signature,
                        signe,
                        nom: nom.clone(),
                    }
                };
                r.insert(n, role);
                if signature && let Some(m) = v.and_then(refn) {
                    r.insert(m, Role::DictSignature);
                }
                if let Ok(ap) = d.get(b"AP") {
                    let app = Role::Apparence {
                        signature,
                        signe,
                        nom: nom.clone(),
                    };
                    if let Some(m) = refn(ap) {
                        r.entry(m).or_insert(app.clone());
                    }
                    if let Some(apd) = etat.dict(ap)? {
                        for (_, x) in apd.iter() {
                            if let Some(m) = refn(x) {
                                r.entry(m).or_insert(app.clone());
                            }
                            if let Object::Dictionary(etats) = x {
                                for (_, y) in etats.iter() {
                                    if let Some(m) = refn(y) {
                                        r.entry(m).or_insert(app.clone());
                                    }
                                }
                            }
                        }
                    }
                }
                if let Object::Array(kids) = etat
                    .resoudre(d.get(b"Kids").unwrap_or(&Object::Null))?
                    .as_ref()
                {
                    for k in kids.iter().rev() {
                        pile.push((k.clone(), nom.clone(), ft.clone(), prof + 1));
                    }
                }
            }
        }
    }
    Ok(r)
}

/// Compares objects of two revisions by meaning.
struct Comparateur<'e, 'l, 'a> {
    avant: &'e Etat<'l, 'a>,
    apres: &'e Etat<'l, 'a>,
    vus: HashSet<(u32, u32)>,
    profondeur_max: usize,
}

/// Keys of a stream dictionary that describe its encoding, not its content.
const CLES_ENCODAGE: &[&[u8]] = &[b"Length", b"Filter", b"DecodeParms", b"DL"];

impl Comparateur<'_, '_, '_> {
    fn egal(&mut self, a: &Object, b: &Object, prof: usize) -> Result<bool> {
        if prof > self.profondeur_max {
            return Err(LimitesPdf::depasse("profondeur_max", self.profondeur_max));
        }
        // Pairs assumed equal while comparing (cycles) hold for one comparison only.
        if prof == 0 {
            self.vus.clear();
        }
        match (a, b) {
            (Object::Reference(x), Object::Reference(y)) if x.0 == y.0 => Ok(true),
            (Object::Reference(x), Object::Reference(y)) => {
                // Two numbers for the same thing (a resource moved to another object).
                if !self.vus.insert((x.0, y.0)) {
                    return Ok(true);
                }
                let oa = self.avant.resoudre(a)?;
                let ob = self.apres.resoudre(b)?;
                self.egal(&oa, &ob, prof + 1)
            }
            (Object::Reference(_), _) => {
                let oa = self.avant.resoudre(a)?;
                self.egal(&oa, b, prof + 1)
            }
            (_, Object::Reference(_)) => {
                let ob = self.apres.resoudre(b)?;
                self.egal(a, &ob, prof + 1)
            }
            (Object::Integer(x), Object::Real(y)) | (Object::Real(y), Object::Integer(x)) => {
                Ok((*x as f64 - f64::from(*y)).abs() < 1e-6)
            }
            (Object::String(x, _), Object::String(y, _)) => Ok(x == y),
            (Object::Array(x), Object::Array(y)) => {
                if x.len() != y.len() {
                    return Ok(false);
                }
                for (p, q) in x.iter().zip(y) {
                    if !self.egal(p, q, prof + 1)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            (Object::Dictionary(x), Object::Dictionary(y)) => self.dicts(x, y, &[], prof),
            (Object::Stream(x), Object::Stream(y)) => {
                if !self.dicts(&x.dict, &y.dict, CLES_ENCODAGE, prof)? {
                    return Ok(false);
                }
                if x.content == y.content
                    && x.dict.get(b"Filter").ok() == y.dict.get(b"Filter").ok()
                {
                    return Ok(true);
                }
                match (self.avant.l.decoder(x), self.apres.l.decoder(y)) {
                    (Ok(p), Ok(q)) => Ok(p == q),
                    (Err(e), _) | (_, Err(e)) if e.code() == crate::CodeErreur::LimiteDepassee => {
                        Err(e)
                    }
                    _ => Ok(false),
                }
            }
            (x, y) => Ok(x == y),
        }
    }

    /// Dictionaries equal except for `sauf` keys.
    fn dicts(
        &mut self,
        a: &Dictionary,
        b: &Dictionary,
        sauf: &[&[u8]],
        prof: usize,
    ) -> Result<bool> {
        Ok(self.cles_differentes(a, b, sauf, prof)?.is_empty())
    }

    /// The keys whose values differ by meaning (absent = null).
    fn cles_differentes(
        &mut self,
        a: &Dictionary,
        b: &Dictionary,
        sauf: &[&[u8]],
        prof: usize,
    ) -> Result<Vec<Vec<u8>>> {
        let mut cles: Vec<&Vec<u8>> = a.iter().map(|(k, _)| k).collect();
        for (k, _) in b.iter() {
            if !a.has(k) {
                cles.push(k);
            }
        }
        let mut out = vec![];
        for k in cles {
            if sauf.contains(&k.as_slice()) {
                continue;
            }
            let va = a.get(k).unwrap_or(&Object::Null);
            let vb = b.get(k).unwrap_or(&Object::Null);
            if prof == 0 {
                self.vus.clear();
            }
            if !self.egal(va, vb, prof + 1)? {
                out.push(k.clone());
            }
        }
        Ok(out)
    }

    /// Was `n` defined before this revision?
    fn existait(&self, n: u32) -> bool {
        matches!(
            self.avant.entree(n),
            Some(Entree::Fichier { .. } | Entree::Flux { .. })
        )
    }
}

fn nom_cle(k: &[u8]) -> String {
    format!("/{}", String::from_utf8_lossy(k))
}

fn nom_objet(n: u32) -> String {
    format!("{n} 0")
}

/// The kind of a new object, for the report.
fn categorie_nouvel_objet(o: &Object) -> CategorieModification {
    use CategorieModification as C;
    let d = match o {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        _ => return C::Structure,
    };
    let nom = |k: &[u8]| d.get(k).and_then(Object::as_name).ok().map(<[u8]>::to_vec);
    let t = nom(b"Type").unwrap_or_default();
    let st = nom(b"SubFilter").unwrap_or_default();
    let sous_type = nom(b"Subtype").unwrap_or_default();
    match (t.as_slice(), st.as_slice()) {
        (b"DocTimeStamp", _) | (_, b"ETSI.RFC3161") => C::HorodatageDocument,
        (b"Sig", _) => C::Signature,
        _ if d.has(b"ByteRange") => C::Signature,
        (b"DSS" | b"VRI", _) => C::Dss,
        _ if d.has(b"Certs") || d.has(b"OCSPs") || d.has(b"CRLs") || d.has(b"VRI") => C::Dss,
        (b"Metadata", _) => C::Metadonnees,
        (b"Annot", _) if sous_type != b"Widget" => C::Annotation,
        _ if nom(b"FT").as_deref() == Some(b"Sig") => C::Signature,
        _ if sous_type == b"Widget" => C::Signature,
        _ => C::Structure,
    }
}

/// Analyse the revisions after the signed one. `signees`: number of sections of the chain
/// that belong to the signed revision and before (the rest, newest first, came later).
pub(super) fn analyser(
    l: &Lecteur<'_>,
    posterieures: usize,
    perms: Permissions,
) -> Result<Vec<RevisionPdf>> {
    let mut out = vec![];
    // Oldest later revision first.
    for (i, k) in (0..posterieures).rev().enumerate() {
        let avant = l.etat(k + 1);
        let apres = l.etat(k);
        let Some(section) = l.sections.get(k) else {
            break;
        };
        let mut rev = RevisionPdf {
            numero: i + 1,
            offset_table: section.offset,
            changements: vec![],
        };
        analyser_revision(
            l,
            &avant,
            &apres,
            section,
            perms.clone(),
            &mut rev.changements,
        )?;
        out.push(rev);
    }
    Ok(out)
}

struct Constat<'c> {
    perms: Permissions,
    out: &'c mut Vec<ChangementPdf>,
    /// New objects by kind, reported once per kind.
    ajouts: HashMap<CategorieModification, Vec<u32>>,
}

impl Constat<'_> {
    fn noter(&mut self, n: Option<u32>, c: CategorieModification, verrou: bool, detail: String) {
        let autorise = self.perms.autorise(c, verrou);
        self.out.push(ChangementPdf {
            objet: n.map(nom_objet),
            categorie: c,
            autorise,
            detail,
        });
    }
}

fn analyser_revision(
    l: &Lecteur<'_>,
    avant: &Etat<'_, '_>,
    apres: &Etat<'_, '_>,
    section: &super::lecteur::Section,
    perms: Permissions,
    out: &mut Vec<ChangementPdf>,
) -> Result<()> {
    use CategorieModification as C;
    let roles = roles(avant, &l.limites)?;
    let mut cmp = Comparateur {
        avant,
        apres,
        vus: HashSet::new(),
        profondeur_max: l.limites.profondeur_max,
    };
    let mut c = Constat {
        perms,
        out,
        ajouts: HashMap::new(),
    };

    // The trailer: the same catalog and encryption, any /Info.
    if let (Some(ta), Some(tb)) = (avant.trailer(), apres.trailer()) {
        for k in [b"Root".as_slice(), b"Encrypt".as_slice()] {
            let va = ta.get(k).unwrap_or(&Object::Null);
            let vb = tb.get(k).unwrap_or(&Object::Null);
            let meme_ref =
                matches!((va, vb), (Object::Reference(x), Object::Reference(y)) if x.0 == y.0);
            if meme_ref {
                continue;
            }
            if k == b"Root" {
                let (_, ca) = avant.catalogue()?;
                let (_, cb) = apres.catalogue()?;
                regle_catalogue(&mut cmp, &mut c, None, &ca, &cb)?;
            } else if !cmp.egal(va, vb, 0)? {
                c.noter(
                    None,
                    C::Autre,
                    false,
                    "chiffrement du document changé".into(),
                );
            }
        }
    }

    for (n, e) in &section.entrees {
        let n = *n;
        if Some(n) == section.objet_xref {
            continue;
        }
        let ancien = match avant.entree(n) {
            Some(Entree::Fichier { .. } | Entree::Flux { .. }) => avant.lire(n)?,
            _ => None,
        };
        if *e == Entree::Libre {
            if ancien.is_some() && n != 0 {
                c.noter(
                    Some(n),
                    C::Autre,
                    false,
                    format!("objet {} supprimé", nom_objet(n)),
                );
            }
            continue;
        }
        let Some(nouveau) = apres.lire(n)? else {
            continue;
        };
        let Some(ancien) = ancien else {
            let cat = match nouveau.objet.as_ref() {
                Object::Stream(s)
                    if matches!(
                        s.dict.get(b"Type").and_then(Object::as_name).ok(),
                        Some(b"ObjStm" | b"XRef")
                    ) =>
                {
                    C::Structure
                }
                o => categorie_nouvel_objet(o),
            };
            c.ajouts.entry(cat).or_default().push(n);
            continue;
        };
        let (a, b) = (ancien.objet.as_ref(), nouveau.objet.as_ref());
        if cmp.egal(a, b, 0)? {
            continue; // rewritten identically
        }
        if let Object::Stream(s) = a
            && s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"ObjStm".as_slice())
        {
            c.noter(
                Some(n),
                C::Autre,
                false,
                format!("flux d'objets {} redéfini", nom_objet(n)),
            );
            continue;
        }
        juger_objet(&mut cmp, &mut c, n, roles.get(&n), a, b)?;
    }

    // New objects: listed by kind. They change nothing by themselves: what refers to them
    // (a page's annotations, the form's fields, the catalog) was judged above.
    let mut ajouts: Vec<_> = c.ajouts.drain().collect();
    ajouts.sort();
    for (cat, mut ids) in ajouts {
        ids.sort_unstable();
        let liste: Vec<String> = ids.iter().take(12).map(|n| nom_objet(*n)).collect();
        let suite = if ids.len() > 12 { ", …" } else { "" };
        let detail = format!(
            "{} objet(s) ajouté(s) : {}{suite}",
            ids.len(),
            liste.join(", ")
        );
        // Adding objects is harmless in itself; annotations only count once placed on a page.
        c.out.push(ChangementPdf {
            objet: None,
            categorie: cat,
            autorise: true,
            detail,
        });
    }
    Ok(())
}

fn juger_objet(
    cmp: &mut Comparateur<'_, '_, '_>,
    c: &mut Constat<'_>,
    n: u32,
    role: Option<&Role>,
    a: &Object,
    b: &Object,
) -> Result<()> {
    use CategorieModification as C;
    let dict = |o: &Object| match o {
        Object::Dictionary(d) => Some(d.clone()),
        Object::Stream(s) => Some(s.dict.clone()),
        _ => None,
    };
    let id = nom_objet(n);
    match role {
        Some(Role::Catalogue) => {
            let (Some(da), Some(db)) = (dict(a), dict(b)) else {
                c.noter(Some(n), C::Autre, false, "catalogue remplacé".into());
                return Ok(());
            };
            regle_catalogue(cmp, c, Some(n), &da, &db)
        }
        Some(Role::AcroForm) => {
            let (Some(da), Some(db)) = (dict(a), dict(b)) else {
                c.noter(Some(n), C::Autre, false, "formulaire remplacé".into());
                return Ok(());
            };
            regle_acroform(cmp, c, Some(n), &da, &db)
        }
        Some(Role::ListeChamps) => regle_liste(cmp, c, Some(n), a, b, Liste::Champs),
        Some(Role::Annotations(p)) => regle_liste(cmp, c, Some(n), a, b, Liste::Annotations(*p)),
        Some(Role::Champ {
            signature,
            signe,
            nom,
        })
        | Some(Role::Widget {
            signature,
            signe,
            nom,
        }) => {
            let (Some(da), Some(db)) = (dict(a), dict(b)) else {
                c.noter(
                    Some(n),
                    C::Autre,
                    false,
                    format!("champ « {nom} » remplacé"),
                );
                return Ok(());
            };
            regle_champ(cmp, c, n, *signature, *signe, nom, &da, &db)
        }
        Some(Role::Apparence {
            signature,
            signe,
            nom,
        }) => {
            if *signe {
                c.noter(
                    Some(n),
                    C::Signature,
                    false,
                    format!("apparence de la signature « {nom} » déjà signée modifiée"),
                );
            } else {
                let cat = if *signature {
                    C::Signature
                } else {
                    C::Formulaire
                };
                c.noter(
                    Some(n),
                    cat,
                    false,
                    format!("apparence du champ « {nom} » modifiée"),
                );
                // Appearance of an unsigned field: filling it in.
                if let Some(x) = c.out.last_mut() {
                    x.autorise = c.perms.autorise(cat, false);
                }
            }
            Ok(())
        }
        Some(Role::NoeudPages) => {
            c.noter(
                Some(n),
                C::Pages,
                false,
                "arbre des pages modifié (pages ajoutées, supprimées ou déplacées)".into(),
            );
            Ok(())
        }
        Some(Role::Page(p)) => {
            let (Some(da), Some(db)) = (dict(a), dict(b)) else {
                c.noter(Some(n), C::Pages, false, format!("page {p} remplacée"));
                return Ok(());
            };
            // /Tabs and /StructParents: tab order and tagging a signer sets with its widget.
            let diff =
                cmp.cles_differentes(&da, &db, &[b"Annots", b"Tabs", b"StructParents"], 0)?;
            if !diff.is_empty() {
                let cles: Vec<String> = diff.iter().map(|k| nom_cle(k)).collect();
                c.noter(
                    Some(n),
                    C::Contenu,
                    false,
                    format!("page {p} : {} modifié(s)", cles.join(", ")),
                );
            }
            let va = da.get(b"Annots").cloned().unwrap_or(Object::Array(vec![]));
            let vb = db.get(b"Annots").cloned().unwrap_or(Object::Array(vec![]));
            if !cmp.egal(&va, &vb, 0)? {
                let oa = cmp.avant.resoudre(&va)?;
                let ob = cmp.apres.resoudre(&vb)?;
                regle_liste(cmp, c, Some(n), &oa, &ob, Liste::Annotations(*p))?;
            }
            Ok(())
        }
        Some(Role::Annotation(p)) => {
            c.noter(
                Some(n),
                C::Annotation,
                false,
                format!("annotation de la page {p} modifiée"),
            );
            if let Some(x) = c.out.last_mut() {
                x.autorise = c.perms.autorise(C::Annotation, false);
            }
            Ok(())
        }
        Some(Role::ContenuPage(p)) => {
            c.noter(
                Some(n),
                C::Contenu,
                false,
                format!("contenu de la page {p} modifié"),
            );
            Ok(())
        }
        Some(Role::Dss) => {
            c.noter(Some(n), C::Dss, true, "DSS mis à jour".into());
            Ok(())
        }
        Some(Role::Info) => {
            c.noter(
                Some(n),
                C::Metadonnees,
                true,
                "dictionnaire /Info mis à jour".into(),
            );
            Ok(())
        }
        Some(Role::Metadonnees) => {
            let flux = matches!(b, Object::Stream(_));
            c.noter(
                Some(n),
                if flux { C::Metadonnees } else { C::Autre },
                flux,
                "métadonnées XMP mises à jour".into(),
            );
            Ok(())
        }
        Some(Role::RessourcesFormulaire) => {
            c.noter(
                Some(n),
                C::Formulaire,
                true,
                "ressources du formulaire mises à jour".into(),
            );
            if let Some(x) = c.out.last_mut() {
                x.autorise = c.perms.autorise(C::Formulaire, false);
            }
            Ok(())
        }
        Some(Role::Structure) => {
            c.noter(
                Some(n),
                C::Structure,
                true,
                "structure logique mise à jour".into(),
            );
            Ok(())
        }
        Some(Role::DictSignature) => {
            c.noter(
                Some(n),
                C::DictionnaireSignature,
                false,
                format!("dictionnaire de signature {id} réécrit"),
            );
            Ok(())
        }
        None => {
            c.noter(Some(n), C::Autre, false, format!("objet {id} modifié"));
            Ok(())
        }
    }
}

/// Catalog keys that later revisions may change (others must keep their meaning).
const CATALOGUE_LIBRE: &[&[u8]] = &[
    b"AcroForm",
    b"StructTreeRoot",
    b"DSS",
    b"Extensions",
    b"Metadata",
    b"MarkInfo",
    b"Version",
];

fn regle_catalogue(
    cmp: &mut Comparateur<'_, '_, '_>,
    c: &mut Constat<'_>,
    n: Option<u32>,
    a: &Dictionary,
    b: &Dictionary,
) -> Result<()> {
    use CategorieModification as C;
    let diff = cmp.cles_differentes(a, b, CATALOGUE_LIBRE, 0)?;
    for k in diff {
        let cat = if k == b"Pages" { C::Pages } else { C::Autre };
        c.noter(
            n,
            cat,
            false,
            format!("catalogue : {} modifié", nom_cle(&k)),
        );
    }
    let nul = Object::Null;
    // The form, when it is direct or replaced by another object.
    let (fa, fb) = (
        a.get(b"AcroForm").unwrap_or(&nul),
        b.get(b"AcroForm").unwrap_or(&nul),
    );
    let meme_ref = matches!((fa, fb), (Object::Reference(x), Object::Reference(y)) if x.0 == y.0);
    if !meme_ref && !cmp.egal(fa, fb, 0)? {
        let da = cmp.avant.dict(fa)?.unwrap_or_default();
        let db = cmp.apres.dict(fb)?.unwrap_or_default();
        regle_acroform(cmp, c, n, &da, &db)?;
    }
    for k in [b"DSS".as_slice(), b"Metadata".as_slice()] {
        if !cmp.egal(a.get(k).unwrap_or(&nul), b.get(k).unwrap_or(&nul), 0)? {
            let cat = if k == b"DSS" { C::Dss } else { C::Metadonnees };
            c.noter(
                n,
                cat,
                true,
                format!("catalogue : {} mis à jour", nom_cle(k)),
            );
        }
    }
    Ok(())
}

/// AcroForm keys that may change: the field list is judged, the rest is form-wide defaults.
const ACROFORM_LIBRE: &[&[u8]] = &[
    b"Fields",
    b"DR",
    b"DA",
    b"Q",
    b"NeedAppearances",
    b"SigFlags",
];

fn regle_acroform(
    cmp: &mut Comparateur<'_, '_, '_>,
    c: &mut Constat<'_>,
    n: Option<u32>,
    a: &Dictionary,
    b: &Dictionary,
) -> Result<()> {
    use CategorieModification as C;
    for k in cmp.cles_differentes(a, b, ACROFORM_LIBRE, 0)? {
        c.noter(
            n,
            C::Autre,
            false,
            format!("formulaire : {} modifié", nom_cle(&k)),
        );
    }
    let nul = Object::Null;
    let (fa, fb) = (
        a.get(b"Fields").unwrap_or(&nul),
        b.get(b"Fields").unwrap_or(&nul),
    );
    let meme_ref = matches!((fa, fb), (Object::Reference(x), Object::Reference(y)) if x.0 == y.0);
    if !meme_ref && !cmp.egal(fa, fb, 0)? {
        let oa = cmp.avant.resoudre(fa)?;
        let ob = cmp.apres.resoudre(fb)?;
        regle_liste(cmp, c, n, &oa, &ob, Liste::Champs)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Liste {
    Champs,
    Annotations(usize),
}

/// A list of fields or of annotations: nothing removed, what is added judged by its kind.
fn regle_liste(
    cmp: &mut Comparateur<'_, '_, '_>,
    c: &mut Constat<'_>,
    n: Option<u32>,
    a: &Object,
    b: &Object,
    quoi: Liste,
) -> Result<()> {
    use CategorieModification as C;
    let vide = vec![];
    let la = match a {
        Object::Array(v) => v,
        Object::Null => &vide,
        _ => {
            c.noter(
                n,
                C::Autre,
                false,
                "liste illisible avant la révision".into(),
            );
            return Ok(());
        }
    };
    let lb = match b {
        Object::Array(v) => v,
        Object::Null => &vide,
        _ => {
            c.noter(
                n,
                C::Autre,
                false,
                "liste illisible après la révision".into(),
            );
            return Ok(());
        }
    };
    let refs = |v: &Vec<Object>| -> Vec<u32> {
        v.iter()
            .filter_map(|x| x.as_reference().ok().map(|r| r.0))
            .collect()
    };
    let (ra, rb) = (refs(la), refs(lb));
    let quoi_txt = match quoi {
        Liste::Champs => "champs du formulaire".to_string(),
        Liste::Annotations(p) => format!("annotations de la page {p}"),
    };
    // Direct (non-reference) entries must be kept as they were.
    if la.len() != ra.len() || lb.len() != rb.len() {
        let directs_a: Vec<&Object> = la.iter().filter(|x| x.as_reference().is_err()).collect();
        let directs_b: Vec<&Object> = lb.iter().filter(|x| x.as_reference().is_err()).collect();
        if directs_a != directs_b {
            c.noter(
                n,
                C::Autre,
                false,
                format!("{quoi_txt} : entrées directes modifiées"),
            );
        }
    }
    for x in &ra {
        if !rb.contains(x) {
            let cat = match quoi {
                Liste::Champs => C::Formulaire,
                Liste::Annotations(_) => C::Annotation,
            };
            c.noter(
                Some(*x),
                cat,
                false,
                format!("{quoi_txt} : {} retiré", nom_objet(*x)),
            );
            if let Some(last) = c.out.last_mut() {
                last.autorise = false;
            }
        }
    }
    for x in rb.iter().filter(|x| !ra.contains(x)) {
        let o = cmp.apres.resoudre(&Object::Reference((*x, 0)))?;
        let d = match o.as_ref() {
            Object::Dictionary(d) => d.clone(),
            _ => Dictionary::new(),
        };
        let ft = champ_ft(cmp.apres, &d)?;
        let sous_type = d.get(b"Subtype").and_then(Object::as_name).ok();
        let widget = sous_type == Some(b"Widget".as_slice());
        let (cat, quoi_ajoute) = match (quoi, ft.as_deref()) {
            (_, Some(b"Sig")) => (C::Signature, "champ de signature ajouté"),
            (Liste::Champs, _) => (C::Autre, "champ de formulaire ajouté"),
            (Liste::Annotations(_), _) if widget => (C::Autre, "widget de formulaire ajouté"),
            (Liste::Annotations(_), _) => (C::Annotation, "annotation ajoutée"),
        };
        // An existing object placed in the list was not created for it: judged strictly.
        let cat = if cmp.existait(*x) && cat == C::Signature {
            C::Autre
        } else {
            cat
        };
        c.noter(
            Some(*x),
            cat,
            false,
            format!("{quoi_txt} : {quoi_ajoute} ({})", nom_objet(*x)),
        );
        if let Some(last) = c.out.last_mut() {
            last.autorise = c.perms.autorise(cat, false);
        }
    }
    Ok(())
}

/// `/FT` of a field or of a widget (inherited from its parents).
fn champ_ft(etat: &Etat<'_, '_>, d: &Dictionary) -> Result<Option<Vec<u8>>> {
    let mut courant = d.clone();
    for _ in 0..16 {
        if let Ok(ft) = courant.get(b"FT").and_then(Object::as_name) {
            return Ok(Some(ft.to_vec()));
        }
        let Ok(p) = courant.get(b"Parent") else {
            return Ok(None);
        };
        match etat.dict(p)? {
            Some(x) => courant = x,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// Keys a signer or a form filler changes in a field or its widget.
const CHAMP_LIBRE: &[&[u8]] = &[
    b"V", b"AP", b"AS", b"F", b"DA", b"Q", b"Ff", b"Type", b"MK", b"P", b"Lock", b"SV", b"RV",
];

#[allow(clippy::too_many_arguments)]
fn regle_champ(
    cmp: &mut Comparateur<'_, '_, '_>,
    c: &mut Constat<'_>,
    n: u32,
    signature: bool,
    signe: bool,
    nom: &str,
    a: &Dictionary,
    b: &Dictionary,
) -> Result<()> {
    use CategorieModification as C;
    let diff = cmp.cles_differentes(a, b, &[], 0)?;
    let hors_liste: Vec<String> = diff
        .iter()
        .filter(|k| !CHAMP_LIBRE.contains(&k.as_slice()))
        .map(|k| nom_cle(k))
        .collect();
    if !hors_liste.is_empty() {
        c.noter(
            Some(n),
            C::Autre,
            false,
            format!("champ « {nom} » : {} modifié(s)", hors_liste.join(", ")),
        );
        return Ok(());
    }
    if signe {
        c.noter(
            Some(n),
            C::DictionnaireSignature,
            false,
            format!("champ de signature « {nom} » déjà signé modifié"),
        );
        return Ok(());
    }
    if signature {
        // An empty signature field being signed: its value must be a new signature.
        if let Ok(Object::Reference((v, _))) = b.get(b"V")
            && cmp.existait(*v)
        {
            c.noter(
                Some(n),
                C::Autre,
                false,
                format!("champ « {nom} » : valeur prise d'un objet existant"),
            );
            return Ok(());
        }
        let cat = match b.get(b"V").ok().map(|v| cmp.apres.dict(v)).transpose()? {
            Some(Some(sd))
                if sd.get(b"SubFilter").and_then(Object::as_name).ok()
                    == Some(b"ETSI.RFC3161".as_slice()) =>
            {
                C::HorodatageDocument
            }
            _ => C::Signature,
        };
        c.noter(
            Some(n),
            cat,
            true,
            format!("champ de signature « {nom} » rempli"),
        );
        if let Some(x) = c.out.last_mut() {
            x.autorise = c.perms.autorise(cat, false);
        }
        return Ok(());
    }
    // A new appearance for an unchanged value, replacing one that showed something: the
    // signer saw other text than what is now shown, and nobody filled anything in (the
    // shadow attack "replace" through a form field). A blank appearance being drawn for
    // the value it already had is what viewers do when they regenerate appearances.
    let ap_change = diff.iter().any(|k| k.as_slice() == b"AP");
    let valeur_change = diff.iter().any(|k| matches!(k.as_slice(), b"V" | b"AS"));
    if ap_change && !valeur_change && montre_quelque_chose(cmp.avant, a.get(b"AP").ok())? {
        c.noter(
            Some(n),
            C::Contenu,
            false,
            format!("champ « {nom} » : apparence changée sans changement de valeur"),
        );
        return Ok(());
    }
    let verrou = c.perms.verrouille(nom);
    let detail = if verrou {
        format!("champ « {nom} » verrouillé par la signature (FieldMDP) rempli")
    } else {
        format!("champ « {nom} » rempli")
    };
    c.noter(Some(n), C::Formulaire, !verrou, detail);
    if let Some(x) = c.out.last_mut() {
        x.autorise = c.perms.autorise(C::Formulaire, verrou);
    }
    Ok(())
}

/// Does the normal appearance `ap` draw text or an XObject?
fn montre_quelque_chose(etat: &Etat<'_, '_>, ap: Option<&Object>) -> Result<bool> {
    let Some(ap) = ap else { return Ok(false) };
    let Some(apd) = etat.dict(ap)? else {
        return Ok(false);
    };
    let Ok(n) = apd.get(b"N") else {
        return Ok(false);
    };
    let mut flux = vec![];
    match etat.resoudre(n)?.as_ref() {
        Object::Stream(s) => flux.push(s.clone()),
        // Appearance states (check boxes): any of them.
        Object::Dictionary(d) => {
            for (_, v) in d.iter() {
                if let Object::Stream(s) = etat.resoudre(v)?.as_ref() {
                    flux.push(s.clone());
                }
            }
        }
        _ => {}
    }
    for s in flux {
        let Ok(data) = etat.l.decoder(&s) else {
            return Ok(true); // unreadable: assume it showed something
        };
        let montre = data
            .split(|b| {
                super::syntaxe::est_blanc(*b)
                    || matches!(b, b'[' | b']' | b'(' | b')' | b'<' | b'>' | b'/')
            })
            .any(|mot| matches!(mot, b"Tj" | b"TJ" | b"'" | b"\"" | b"Do" | b"BI"));
        if montre {
            return Ok(true);
        }
    }
    Ok(false)
}
