//! Streamed DECP import (2019 v1.5 and 2022, JSON and XML) with repair of the defects real
//! published files have, and a report that records every repair and every rejection.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::brut::{
    ARENE_GARDEE, Brut, LecteurXml, Pile, RECORD_MAX, ScanneurJson, Trouve, depuis_serde,
};
use super::decp::{
    MONTANT_MAX_PLAUSIBLE, NATURES_CONCESSION, NATURES_MARCHE, PROCEDURES_CONCESSION,
    PROCEDURES_MARCHE, date_min_plausible,
};
use super::json;
use super::modele::*;
use super::siret::siret_valide;
use crate::{CodeErreur, Erreur, Result};

/// Syntax of a DECP file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FormatDecp {
    /// JSON.
    Json,
    /// XML.
    Xml,
}

/// Options of an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionsImport {
    /// Today: dates after it are not real and are removed (reported).
    pub maintenant: NaiveDate,
    /// Provenance given to the records (data.gouv.fr by default).
    #[serde(default = "data_gouv")]
    pub provenance: Provenance,
    /// Name of the source file, cited by every report line ([`LecteurDecp::ouvrir`] sets
    /// it from the path when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fichier: Option<String>,
    /// Bounds on the reading of untrusted files (hosts may tighten them).
    #[serde(default)]
    pub limites: LimitesDecp,
}

/// Bounds on a DECP file, checked before the work: a larger or deeper input is refused with
/// [`CodeErreur::LimiteDepassee`] naming the limit, and the cost of an import stays
/// proportional to the size of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct LimitesDecp {
    /// Largest record (bytes of JSON or XML): 64 MiB by default (a real record is a few
    /// KB); what is held in memory at once is bounded by it.
    pub taille_enregistrement: usize,
    /// Deepest nesting of XML elements within a record (127 by default). JSON records are
    /// bounded at 127 levels whatever this says (serde_json's limit): a deeper JSON record
    /// is rejected with its report line.
    pub profondeur: usize,
    /// Most records read from one file (10 million by default).
    pub enregistrements: u64,
}

impl Default for LimitesDecp {
    fn default() -> Self {
        LimitesDecp {
            taille_enregistrement: RECORD_MAX,
            profondeur: 127,
            enregistrements: 10_000_000,
        }
    }
}

fn data_gouv() -> Provenance {
    Provenance::DataGouv
}

impl OptionsImport {
    /// Options for an import of data.gouv.fr data on `maintenant`.
    pub fn new(maintenant: NaiveDate) -> OptionsImport {
        OptionsImport {
            maintenant,
            provenance: Provenance::DataGouv,
            fichier: None,
            limites: LimitesDecp::default(),
        }
    }
}

/// What the import did about a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ActionRapport {
    /// A value was corrected or removed; the record was imported.
    Reparation,
    /// A value looks wrong but was kept (e.g. SIRET with a wrong check digit).
    Anomalie,
    /// The record was not imported.
    Rejet,
    /// The record duplicates one already in the store and was merged into it.
    Doublon,
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntreeRapport {
    /// The file the record was read from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fichier: Option<String>,
    /// Ordinal of the record in the file (1-based).
    pub enregistrement: u64,
    /// Byte offset of the record in the file.
    pub octet: u64,
    /// The record's `id`, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Field concerned (empty for the whole record).
    pub champ: String,
    /// What was done.
    pub action: ActionRapport,
    /// Why, and the values before and after.
    pub detail: String,
}

/// The import report: counts and every entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RapportImport {
    /// The file read, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fichier: Option<String>,
    /// Syntax of the file.
    pub format: Option<FormatDecp>,
    /// Records read.
    pub lus: u64,
    /// Records imported (including merged duplicates).
    pub importes: u64,
    /// Records rejected.
    pub rejetes: u64,
    /// Records imported with at least one repair.
    pub repares: u64,
    /// Duplicates merged.
    pub doublons: u64,
    /// Records that looked like another (same buyer, id and holders) but are another
    /// contract (amount, CPV or objet differ): kept apart, each with a report line.
    #[serde(default)]
    pub homonymes: u64,
    /// Records in the 2019 format.
    pub format2019: u64,
    /// Records in the 2022 format.
    pub format2022: u64,
    /// Every repair, anomaly, rejection and merge.
    pub entrees: Vec<EntreeRapport>,
}

impl RapportImport {
    /// Account for one item read.
    pub fn compter(&mut self, el: &ElementDecp) {
        self.lus += 1;
        match el {
            ElementDecp::Contrat {
                entrees, version, ..
            } => {
                self.importes += 1;
                self.compter_entrees(entrees);
                if *version == 2019 {
                    self.format2019 += 1;
                } else {
                    self.format2022 += 1;
                }
            }
            ElementDecp::Rejet(e) => {
                self.rejetes += 1;
                let mut e = e.clone();
                if e.fichier.is_none() {
                    e.fichier.clone_from(&self.fichier);
                }
                self.entrees.push(e);
            }
        }
    }

    fn compter_entrees(&mut self, entrees: &[EntreeRapport]) {
        if entrees
            .iter()
            .any(|e| e.action == ActionRapport::Reparation)
        {
            self.repares += 1;
        }
        self.entrees.extend(entrees.iter().map(|e| {
            let mut e = e.clone();
            if e.fichier.is_none() {
                e.fichier.clone_from(&self.fichier);
            }
            e
        }));
    }
}

/// One item of a DECP file: a contract (repaired, with its report lines) or a rejection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum ElementDecp {
    /// A contract read.
    Contrat {
        /// Ordinal of the record in the file (1-based).
        #[serde(default)]
        enregistrement: u64,
        /// Byte offset of the record in the file.
        #[serde(default)]
        octet: u64,
        /// The contract (as published; [`Contrat::etat_actuel`] applies its modifications).
        contrat: Box<Contrat>,
        /// Repairs and anomalies of this record.
        entrees: Vec<EntreeRapport>,
        /// 2019 or 2022.
        version: u16,
    },
    /// A record not imported, with the reason.
    Rejet(EntreeRapport),
}

enum Source {
    Json(ScanneurJson),
    Xml(Box<LecteurXml>),
}

/// A streamed reader of a DECP file: an iterator of [`ElementDecp`], one record in memory at
/// a time.
///
/// ```
/// use mpe::donnees::{ElementDecp, LecteurDecp, OptionsImport};
/// let json = br#"{"marches": [{"id": "2024-01", "_type": "Marche", "acheteur": {"id": "21350238800019"},
///   "objet": "Voirie", "montant": "NC", "dateNotification": "2024-02-30",
///   "titulaires": [{"id": "552 045 999 00869"}]}]}"#;
/// let jour = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let mut l = LecteurDecp::depuis_lecteur(Box::new(&json[..]), OptionsImport::new(jour)).unwrap();
/// let Some(Ok(ElementDecp::Contrat { contrat, entrees, .. })) = l.next() else { panic!() };
/// assert_eq!(contrat.titulaires[0].id, "55204599900869");
/// assert_eq!(contrat.montant, None);
/// assert!(entrees.len() >= 4); // NC, impossible date, spaces, typeIdentifiant deduced
/// ```
pub struct LecteurDecp {
    source: Source,
    options: OptionsImport,
    ordinal: u64,
    format: FormatDecp,
    /// Parsing stacks reused from record to record.
    pile: Pile<'static>,
    /// The current record's tree; reset for each record.
    arene: bumpalo::Bump,
    /// A limit stopped the reading.
    arrete: bool,
}

impl std::fmt::Debug for LecteurDecp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LecteurDecp")
            .field("format", &self.format)
            .field("ordinal", &self.ordinal)
            .finish()
    }
}

impl LecteurDecp {
    /// Open a DECP file (format recognized from its first bytes).
    pub fn ouvrir(chemin: &Path, mut options: OptionsImport) -> Result<LecteurDecp> {
        if options.fichier.is_none() {
            options.fichier = Some(chemin.display().to_string());
        }
        let f = std::fs::File::open(chemin).map_err(|e| {
            Erreur::new(
                CodeErreur::Es,
                format!("ouverture de {} : {e}", chemin.display()),
            )
        })?;
        LecteurDecp::depuis_lecteur(Box::new(f), options)
    }

    /// Read DECP from any byte source.
    pub fn depuis_lecteur(
        mut src: Box<dyn Read + Send>,
        options: OptionsImport,
    ) -> Result<LecteurDecp> {
        // Sniff the first significant byte without losing it.
        let mut debut = Vec::new();
        let mut tmp = [0u8; 4096];
        let premier = loop {
            let n = src
                .read(&mut tmp)
                .map_err(|e| Erreur::new(CodeErreur::Es, format!("lecture DECP : {e}")))?;
            if n == 0 {
                break None;
            }
            debut.extend_from_slice(&tmp[..n]);
            if let Some(b) = debut
                .iter()
                .copied()
                .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
            {
                break Some(b);
            }
        };
        let (source, format) = match premier {
            Some(b'{' | b'[') => (
                Source::Json(ScanneurJson::new(
                    src,
                    debut,
                    options.limites.taille_enregistrement,
                )),
                FormatDecp::Json,
            ),
            Some(b'<') => {
                let chain: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(debut).chain(src));
                (
                    Source::Xml(Box::new(LecteurXml::new(chain, &options.limites))),
                    FormatDecp::Xml,
                )
            }
            None => {
                return Err(Erreur::new(
                    CodeErreur::DecpFormatInconnu,
                    "fichier DECP vide",
                ));
            }
            Some(_) => {
                return Err(Erreur::new(
                    CodeErreur::DecpFormatInconnu,
                    "le fichier n'est ni du JSON ni du XML",
                ));
            }
        };
        Ok(LecteurDecp {
            source,
            options,
            ordinal: 0,
            format,
            pile: Pile::default(),
            arene: bumpalo::Bump::new(),
            arrete: false,
        })
    }

    /// JSON or XML.
    pub fn format(&self) -> FormatDecp {
        self.format
    }

    /// The source file's name, when known.
    pub fn fichier(&self) -> Option<&str> {
        self.options.fichier.as_deref()
    }

    /// Parse the object or array at the scanner's position in place, in one pass, and move
    /// the scanner past it. `None` when the strict reader refuses it there (syntax error,
    /// control character, truncation...): the caller then takes the byte scanner's slow path,
    /// which isolates the value, repairs what can be and reports the rest.
    fn en_place(
        &mut self,
        arene: &bumpalo::Bump,
        ordinal: u64,
        octet: u64,
        indice: Option<CategorieContrat>,
    ) -> Result<Option<ElementDecp>> {
        let Source::Json(s) = &mut self.source else {
            return Ok(None);
        };
        loop {
            let debut = s.pos;
            let octets = s.buf.get(debut..).unwrap_or(&[]);
            let mut pile = std::mem::take(&mut self.pile).pour();
            match json::lire(octets, arene, &mut pile) {
                Ok((_, lus)) if lus > self.options.limites.taille_enregistrement => {
                    self.pile = pile.rendre();
                    return Err(Erreur::new(
                        CodeErreur::LimiteDepassee,
                        format!(
                            "limite « tailleEnregistrement » dépassée : enregistrement DECP de {lus} octets (au plus {})",
                            self.options.limites.taille_enregistrement
                        ),
                    ));
                }
                Ok((b, lus)) => {
                    let el =
                        normaliser(&b, indice, false, ordinal, octet, &self.options, Vec::new());
                    self.pile = pile.rendre();
                    s.pos = debut + lus;
                    return Ok(Some(el));
                }
                Err(refus) => {
                    self.pile = pile.rendre();
                    if refus == json::Refus::Invalide
                        || s.fini()
                        || octets.len() > self.options.limites.taille_enregistrement
                        || !s.remplir()?
                    {
                        return Ok(None);
                    }
                }
            }
        }
    }

    fn element(&mut self, t: Trouve<'_>, arene: &bumpalo::Bump) -> Result<ElementDecp> {
        self.ordinal += 1;
        let ordinal = self.ordinal;
        let t = match t {
            Trouve::JsonIci { octet, indice } => {
                if let Some(el) = self.en_place(arene, ordinal, octet, indice)? {
                    return Ok(el);
                }
                match &mut self.source {
                    Source::Json(s) => s.isoler(octet, indice)?,
                    Source::Xml(_) => Trouve::Illisible {
                        octet,
                        raison: "état interne incohérent".into(),
                    },
                }
            }
            t => t,
        };
        Ok(match t {
            Trouve::JsonIci { octet, .. } => ElementDecp::Rejet(EntreeRapport {
                fichier: None,
                enregistrement: ordinal,
                octet,
                id: None,
                champ: String::new(),
                action: ActionRapport::Rejet,
                detail: "état interne incohérent".into(),
            }),
            Trouve::Illisible { octet, raison } => ElementDecp::Rejet(EntreeRapport {
                fichier: None,
                enregistrement: ordinal,
                octet,
                id: None,
                champ: String::new(),
                action: ActionRapport::Rejet,
                detail: raison,
            }),
            Trouve::Xml {
                brut,
                octet,
                indice,
            } => normaliser(
                &brut,
                indice,
                true,
                ordinal,
                octet,
                &self.options,
                Vec::new(),
            ),
            Trouve::Json {
                debut,
                fin,
                octet,
                indice,
            } => {
                let Source::Json(s) = &self.source else {
                    return Ok(ElementDecp::Rejet(EntreeRapport {
                        fichier: None,
                        enregistrement: ordinal,
                        octet,
                        id: None,
                        champ: String::new(),
                        action: ActionRapport::Rejet,
                        detail: "état interne incohérent".into(),
                    }));
                };
                let octets = &s.buf[debut..fin];
                match depuis_serde(octets, arene) {
                    Ok(b) => {
                        normaliser(&b, indice, false, ordinal, octet, &self.options, Vec::new())
                    }
                    Err(e) => {
                        // Control characters and invalid UTF-8 inside strings: clean and retry.
                        // NaN and Infinity (written by Python's json module) become null.
                        let (propre, non_json) = sans_non_json(
                            String::from_utf8_lossy(octets)
                                .chars()
                                .map(|c| if (c as u32) < 0x20 { ' ' } else { c })
                                .collect::<String>()
                                .as_bytes(),
                        );
                        let propre = arene.alloc_slice_copy(&propre);
                        match depuis_serde(propre, arene) {
                            Ok(b) => {
                                let quoi = if non_json > 0 {
                                    format!(
                                        "{non_json} valeur(s) NaN/Infinity (hors JSON) traitée(s) comme absentes ; "
                                    )
                                } else {
                                    String::new()
                                };
                                let e0 = EntreeRapport {
                                    fichier: None,
                                    enregistrement: ordinal,
                                    octet,
                                    id: None,
                                    champ: String::new(),
                                    action: ActionRapport::Reparation,
                                    detail: format!(
                                        "{quoi}caractères de contrôle ou octets non UTF-8 remplacés s'il y en avait ({e})"
                                    ),
                                };
                                normaliser(
                                    &b,
                                    indice,
                                    false,
                                    ordinal,
                                    octet,
                                    &self.options,
                                    vec![e0],
                                )
                            }
                            Err(e) => ElementDecp::Rejet(EntreeRapport {
                                fichier: None,
                                enregistrement: ordinal,
                                octet,
                                id: None,
                                champ: String::new(),
                                action: ActionRapport::Rejet,
                                detail: format!("JSON invalide : {e}"),
                            }),
                        }
                    }
                }
            }
        })
    }
}

impl Iterator for LecteurDecp {
    type Item = Result<ElementDecp>;

    fn next(&mut self) -> Option<Result<ElementDecp>> {
        if self.arrete {
            return None;
        }
        if self.ordinal >= self.options.limites.enregistrements {
            self.arrete = true;
            let fini = match &mut self.source {
                Source::Json(s) => s.suivant().map(|t| t.is_none()),
                Source::Xml(x) => x.suivant(&self.arene).map(|t| t.is_none()),
            };
            return match fini {
                Ok(true) => None,
                Ok(false) => Some(Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    format!(
                        "limite « enregistrements » dépassée : plus de {} enregistrements dans le fichier",
                        self.options.limites.enregistrements
                    ),
                ))),
                Err(e) => Some(Err(e)),
            };
        }
        // The arena is taken out for the record (its tree borrows it while `self` changes).
        let mut arene = std::mem::take(&mut self.arene);
        if arene.allocated_bytes() > ARENE_GARDEE {
            arene = bumpalo::Bump::new();
        } else {
            arene.reset();
        }
        let t = match &mut self.source {
            Source::Json(s) => s.suivant(),
            Source::Xml(x) => x.suivant(&arene),
        };
        let el = match t {
            Ok(Some(t)) => Some(self.element(t, &arene)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        };
        self.arene = arene;
        el
    }
}

/// Import a whole file, calling `recevoir` for each contract; returns the report.
pub fn importer_decp(
    chemin: &Path,
    options: OptionsImport,
    mut recevoir: impl FnMut(Contrat),
) -> Result<RapportImport> {
    let lecteur = LecteurDecp::ouvrir(chemin, options)?;
    let mut rapport = RapportImport {
        fichier: lecteur.fichier().map(str::to_string),
        format: Some(lecteur.format()),
        ..Default::default()
    };
    for el in lecteur {
        let mut el = el?;
        rapport.compter(&el);
        if let ElementDecp::Contrat { contrat, .. } = &mut el {
            recevoir(std::mem::take(contrat.as_mut()));
        }
    }
    Ok(rapport)
}

// ---- normalization

struct Norm<'o> {
    entrees: Vec<EntreeRapport>,
    ordinal: u64,
    octet: u64,
    id: Option<String>,
    xml: bool,
    options: &'o OptionsImport,
}

const VIDES: &[&str] = &[
    "nc",
    "n/c",
    "n.c.",
    "null",
    "none",
    "nan",
    "-",
    "?",
    "inconnu",
    "non communiqué",
];

impl Norm<'_> {
    fn note(
        &mut self,
        action: ActionRapport,
        champ: impl std::fmt::Display + Copy,
        detail: String,
    ) {
        self.entrees.push(EntreeRapport {
            fichier: None,
            enregistrement: self.ordinal,
            octet: self.octet,
            id: self.id.clone(),
            champ: champ.to_string(),
            action,
            detail,
        });
    }
    fn repare(&mut self, champ: impl std::fmt::Display + Copy, detail: String) {
        self.note(ActionRapport::Reparation, champ, detail);
    }

    fn texte(
        &mut self,
        b: Option<&Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<String> {
        self.texte_lu(b, champ).map(Cow::into_owned)
    }

    /// A text value as [`Norm::texte`] gives it, borrowed from the record when it needs no
    /// change (no copy for the values replaced by their official spelling).
    fn texte_lu<'b>(
        &mut self,
        b: Option<&'b Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<Cow<'b, str>> {
        let s: Cow<'b, str> = match b? {
            Brut::Null => return None,
            Brut::Str(s) => Cow::Borrowed(*s),
            Brut::Num(n) => Cow::Owned(nombre_texte(*n)),
            Brut::Bool(v) => Cow::Owned(v.to_string()),
            Brut::List(l) if l.len() == 1 => return self.texte_lu(l.first(), champ),
            _ => {
                self.repare(
                    champ,
                    "structure au lieu d'un texte : valeur ignorée".into(),
                );
                return None;
            }
        };
        let mut s = if a_controle(s.as_bytes()) {
            let p: String = s
                .chars()
                .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                .collect();
            self.repare(champ, "caractères de contrôle retirés".into());
            Cow::Owned(p)
        } else {
            s
        };
        let t = s.trim();
        if t.len() != s.len() {
            s = Cow::Owned(t.to_string());
        }
        if s.is_empty() {
            return None;
        }
        if s.len() <= 16
            && matches!(
                s.as_bytes().first(),
                Some(b'n' | b'N' | b'-' | b'?' | b'i' | b'I')
            )
            && VIDES.contains(&s.to_lowercase().as_str())
        {
            self.repare(champ, format!("valeur « {s} » traitée comme absente"));
            return None;
        }
        Some(s)
    }

    fn nombre(
        &mut self,
        b: Option<&Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<f64> {
        match b? {
            Brut::Num(n) => Some(*n).filter(|n| n.is_finite()),
            Brut::Bool(_) | Brut::Map(_) => {
                self.repare(champ, "valeur non numérique ignorée".into());
                None
            }
            Brut::List(l) if l.len() == 1 => self.nombre(l.first(), champ),
            Brut::List(_) => {
                self.repare(champ, "liste au lieu d'un nombre : ignorée".into());
                None
            }
            Brut::Null => None,
            b @ Brut::Str(_) => {
                let s = self.texte(Some(b), champ)?;
                let net: String = s
                    .chars()
                    .filter(|c| !c.is_whitespace() && !matches!(c, '€' | '\u{202F}' | '\u{A0}'))
                    .map(|c| if c == ',' { '.' } else { c })
                    .collect();
                match net.parse::<f64>() {
                    Ok(v) if v.is_finite() => {
                        if net != s && !self.xml {
                            self.repare(champ, format!("nombre « {s} » lu {v}"));
                        }
                        Some(v)
                    }
                    _ => {
                        self.repare(champ, format!("nombre illisible « {s} » ignoré"));
                        None
                    }
                }
            }
        }
    }

    fn montant(
        &mut self,
        b: Option<&Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
        min: f64,
    ) -> Option<f64> {
        let v = self.nombre(b, champ)?;
        if v > MONTANT_MAX_PLAUSIBLE {
            self.repare(champ, format!("montant aberrant {v:e} supprimé"));
            return None;
        }
        if v < min {
            self.repare(champ, format!("montant {v} inférieur à {min} supprimé"));
            return None;
        }
        Some(v)
    }

    fn entier(
        &mut self,
        b: Option<&Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<u32> {
        let v = self.nombre(b, champ)?;
        if !(0.0..=1e6).contains(&v) {
            self.repare(champ, format!("entier {v} hors limites supprimé"));
            return None;
        }
        let r = v.round();
        if r != v {
            self.repare(champ, format!("{v} arrondi à {r}"));
        }
        Some(r as u32)
    }

    fn taux(&mut self, b: Option<&Brut<'_>>, champ: impl std::fmt::Display + Copy) -> Option<f64> {
        let v = self.nombre(b, champ)?;
        if (0.0..=1.0).contains(&v) {
            Some(v)
        } else if (1.0..=100.0).contains(&v) {
            self.repare(
                champ,
                format!("taux {v} lu comme un pourcentage : {}", v / 100.0),
            );
            Some(v / 100.0)
        } else {
            self.repare(champ, format!("taux {v} hors de [0, 1] supprimé"));
            None
        }
    }

    fn booleen(
        &mut self,
        b: Option<&Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<bool> {
        match b? {
            Brut::Bool(v) => Some(*v),
            Brut::Num(n) if *n == 0.0 || *n == 1.0 => {
                self.repare(champ, format!("booléen écrit {n}"));
                Some(*n == 1.0)
            }
            b => {
                let s = self.texte(Some(b), champ)?;
                let v = match s.to_lowercase().as_str() {
                    "true" | "1" => Some(true),
                    "false" | "0" => Some(false),
                    "oui" | "o" | "yes" | "vrai" => Some(true),
                    "non" | "n" | "no" | "faux" => Some(false),
                    _ => None,
                };
                match v {
                    None => self.repare(champ, format!("booléen illisible « {s} » ignoré")),
                    Some(v)
                        if !self.xml
                            || !matches!(
                                s.as_str(),
                                "true" | "false" | "0" | "1" | "oui" | "non"
                            ) =>
                    {
                        self.repare(champ, format!("booléen « {s} » lu {v}"))
                    }
                    _ => {}
                }
                v
            }
        }
    }

    fn date(
        &mut self,
        b: Option<&Brut<'_>>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<NaiveDate> {
        let s = self.texte(b, champ)?;
        let (d, note) = match lire_date(&s) {
            Some(x) => x,
            None => {
                self.repare(
                    champ,
                    format!("date illisible ou impossible « {s} » supprimée"),
                );
                return None;
            }
        };
        let d = if d.year() < 1000 && (100..300).contains(&d.year()) {
            let y = 2000 + d.year() % 100;
            match d.with_year(y) {
                Some(d2) => {
                    self.repare(
                        champ,
                        format!("année {:04} corrigée en {y} (« {s} »)", d.year()),
                    );
                    d2
                }
                None => {
                    self.repare(champ, format!("date impossible « {s} » supprimée"));
                    return None;
                }
            }
        } else {
            if note {
                self.repare(champ, format!("date « {s} » lue {d}"));
            }
            d
        };
        if d < date_min_plausible() {
            self.repare(champ, format!("date invraisemblable {d} supprimée"));
            return None;
        }
        if d > self.options.maintenant {
            self.repare(
                champ,
                format!(
                    "date {d} dans le futur (après {}) supprimée",
                    self.options.maintenant
                ),
            );
            return None;
        }
        Some(d)
    }

    /// Strings of an enumerated list in any of its shapes: `{"technique": [..]}`,
    /// `{"technique": ".."}`, `[..]`, `".."`.
    fn liste(
        &mut self,
        b: Option<&Brut<'_>>,
        cle: &str,
        champ: impl std::fmt::Display + Copy,
        officielles: &[&str],
    ) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(b) = b {
            self.liste_dans(b, 0, cle, champ, officielles, &mut out);
        }
        out
    }

    /// The values of [`Norm::liste`] under `x`, depth first, in document order: recursive
    /// (no stack vector to allocate) on the usual two or three levels, with an explicit
    /// stack below [`PROFONDEUR_RECURSIVE`] levels (an XML file's nesting is unbounded).
    fn liste_dans(
        &mut self,
        x: &Brut<'_>,
        prof: usize,
        cle: &str,
        champ: impl std::fmt::Display + Copy,
        officielles: &[&str],
        out: &mut Vec<String>,
    ) {
        match x {
            Brut::Map(m) if prof < PROFONDEUR_RECURSIVE => {
                for (_, v) in m.iter().filter(|(k, _)| *k == cle) {
                    self.liste_dans(v, prof + 1, cle, champ, officielles, out);
                }
            }
            Brut::List(l) if prof < PROFONDEUR_RECURSIVE => {
                for v in l.iter() {
                    self.liste_dans(v, prof + 1, cle, champ, officielles, out);
                }
            }
            Brut::Map(_) | Brut::List(_) => {
                let mut pile: Vec<&Brut<'_>> = vec![x];
                while let Some(x) = pile.pop() {
                    match x {
                        Brut::Map(m) => {
                            pile.extend(m.iter().filter(|(k, _)| *k == cle).map(|(_, v)| v).rev())
                        }
                        Brut::List(l) => pile.extend(l.iter().rev()),
                        v => self.liste_valeur(v, champ, officielles, out),
                    }
                }
            }
            v => self.liste_valeur(v, champ, officielles, out),
        }
    }

    fn liste_valeur(
        &mut self,
        v: &Brut<'_>,
        champ: impl std::fmt::Display + Copy,
        officielles: &[&str],
        out: &mut Vec<String>,
    ) {
        if let Some(s) = self.texte_lu(Some(v), champ) {
            let s = officiel(&s, officielles)
                .map(str::to_string)
                .unwrap_or_else(|| s.into_owned());
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }

    fn titulaire(
        &mut self,
        b: &Brut<'_>,
        champ: impl std::fmt::Display + Copy,
    ) -> Option<Titulaire> {
        let id_brut = self.texte(b.get("id"), format_args!("{champ}.id"));
        let Some(id_brut) = id_brut else {
            self.repare(champ, "titulaire sans identifiant ignoré".into());
            return None;
        };
        // Most identifiers are already clean (digits, capitals): kept as they are.
        let id = if id_brut
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        {
            id_brut
        } else {
            let id: String = id_brut
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '\u{202F}' | '\u{A0}'))
                .collect::<String>()
                .to_uppercase();
            if id != id_brut {
                self.repare(
                    format_args!("{champ}.id"),
                    format!("identifiant « {id_brut} » nettoyé en « {id} »"),
                );
            }
            id
        };
        let ti = self.texte(
            b.get("typeIdentifiant"),
            format_args!("{champ}.typeIdentifiant"),
        );
        let type_identifiant = match ti.as_deref().and_then(TypeIdentifiant::depuis_code) {
            Some(t) => t,
            None => {
                let t = deduire_type(&id);
                self.repare(
                    format_args!("{champ}.typeIdentifiant"),
                    format!(
                        "type d'identifiant {} : déduit {}",
                        ti.as_deref()
                            .map_or("absent".into(), |s| format!("« {s} » inconnu")),
                        t.code()
                    ),
                );
                t
            }
        };
        if type_identifiant == TypeIdentifiant::Siret && !siret_valide(&id) {
            self.note(
                ActionRapport::Anomalie,
                format_args!("{champ}.id"),
                format!("SIRET « {id} » à clé de contrôle invalide"),
            );
        }
        let raison_sociale = match b
            .get("denominationSociale")
            .or(b.get("raisonSociale"))
            .or(b.get("nom"))
        {
            Some(v) => self.texte(Some(v), format_args!("{champ}.denominationSociale")),
            None => None,
        };
        Some(Titulaire {
            type_identifiant,
            id,
            raison_sociale,
            ..Default::default()
        })
    }

    /// Titulaires in any of their shapes: list, list of lists, `{"titulaire": {...}}`
    /// wrappers, a single object.
    fn titulaires(
        &mut self,
        b: Option<&Brut<'_>>,
        cle: &str,
        champ: impl std::fmt::Display + Copy,
    ) -> Vec<Titulaire> {
        let mut out = Vec::new();
        let mut imbrique = false;
        let mut pile: Vec<(&Brut<'_>, usize)> = b.into_iter().map(|b| (b, 0)).collect();
        while let Some((x, prof)) = pile.pop() {
            match x {
                Brut::List(l) => {
                    if prof >= 1 {
                        imbrique = true;
                    }
                    pile.extend(l.iter().rev().map(|e| (e, prof + 1)));
                }
                Brut::Map(m) if x.get("id").is_none() => {
                    // Pushed in order then reversed in place: no vector of children.
                    let n0 = pile.len();
                    pile.extend(
                        m.iter()
                            .filter(|(k, _)| {
                                *k == cle || *k == "titulaire" || *k == "concessionnaire"
                            })
                            .map(|(_, v)| (v, prof + 1)),
                    );
                    if pile.len() == n0 && !m.is_empty() {
                        self.repare(champ, "titulaire sans identifiant ignoré".into());
                    }
                    if let Some(enfants) = pile.get_mut(n0..) {
                        enfants.reverse();
                    }
                }
                Brut::Map(_) => {
                    let n = out.len();
                    if let Some(t) = self.titulaire(x, format_args!("{champ}[{n}]")) {
                        if out.iter().any(|o: &Titulaire| {
                            o.id == t.id && o.type_identifiant == t.type_identifiant
                        }) {
                            self.repare(champ, format!("titulaire {} en double retiré", t.id));
                        } else {
                            out.push(t);
                        }
                    }
                }
                Brut::Null => {}
                _ => self.repare(champ, "titulaire illisible ignoré".into()),
            }
        }
        if imbrique {
            self.repare(champ, "listes de titulaires imbriquées aplaties".into());
        }
        out
    }

    fn acheteur(&mut self, r: &Champs<'_, '_>, cle: &str) -> Option<Acheteur> {
        let mut a = r.get(cle);
        if a.is_none()
            && let Some(v) = r.brut.get(&format!("{cle}.id"))
        {
            self.repare(
                cle,
                format!("identifiant de l'acheteur lu dans « {cle}.id » à plat"),
            );
            return self.texte(Some(v), cle).map(|id| Acheteur {
                id: nettoyer_siret(&id),
                nom: None,
            });
        }
        // `acheteur.acheteur.id` and `acheteur.id.id`: the 2019 files have both depths.
        let mut prof = 0;
        while let Some(Brut::Map(_)) = a {
            let inner = a.and_then(|x| x.get(cle));
            match inner {
                Some(i @ Brut::Map(_)) => {
                    a = Some(i);
                    prof += 1;
                }
                _ => break,
            }
        }
        let a = a?;
        let (id_b, nom_b) = match a {
            Brut::Map(_) => {
                let mut id = a.get("id");
                if let Some(Brut::Map(_)) = id {
                    id = id.and_then(|x| x.get("id"));
                    prof += 1;
                }
                (id, a.get("nom"))
            }
            v => (Some(v), None),
        };
        if prof > 0 {
            self.repare(
                format_args!("{cle}.id"),
                "identifiant de l'acheteur à deux niveaux ramené à un".into(),
            );
        }
        let brut = self.texte(id_b, format_args!("{cle}.id"))?;
        let id = nettoyer_siret(&brut);
        if id != brut {
            self.repare(
                format_args!("{cle}.id"),
                format!("SIRET « {brut} » nettoyé en « {id} »"),
            );
        }
        if !siret_valide(&id) {
            self.note(
                ActionRapport::Anomalie,
                format_args!("{cle}.id"),
                format!("SIRET de l'acheteur « {id} » invalide"),
            );
        }
        let nom = self.texte(nom_b, format_args!("{cle}.nom"));
        Some(Acheteur { id, nom })
    }
}

/// The top-level fields of a record, found in one pass (a record is read through some forty
/// lookups: a linear search each would dominate the import).
struct Champs<'b, 'a> {
    brut: &'b Brut<'a>,
    v: [Option<&'b Brut<'a>>; 38],
}

/// Whether `b` holds a control byte other than a line feed or a tab; eight bytes at a time
/// (the common case, a clean text, has none).
fn a_controle(b: &[u8]) -> bool {
    const UNS: u64 = 0x0101_0101_0101_0101;
    let mut c = b.chunks_exact(8);
    for x in &mut c {
        let v = u64::from_le_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]);
        // Exact test "some byte < 0x20" (the classic `hasless(v, 0x20)`).
        if v.wrapping_sub(UNS * 0x20) & !v & (UNS * 0x80) != 0
            && x.iter().any(|&o| o < 0x20 && o != b'\n' && o != b'\t')
        {
            return true;
        }
    }
    c.remainder()
        .iter()
        .any(|&o| o < 0x20 && o != b'\n' && o != b'\t')
}

/// Nesting walked by recursion in [`Norm::liste`]; deeper, an explicit stack.
const PROFONDEUR_RECURSIVE: usize = 16;

#[inline(always)]
fn rang(k: &str) -> Option<usize> {
    match k {
        "id" => Some(0),
        "uid" => Some(1),
        "_type" => Some(2),
        "acheteur" => Some(3),
        "autoriteConcedante" => Some(4),
        "concessionnaires" => Some(5),
        "valeurGlobale" => Some(6),
        "techniques" => Some(7),
        "considerationsSociales" => Some(8),
        "typesPrix" => Some(9),
        "offresRecues" => Some(10),
        "ccag" => Some(11),
        "objet" => Some(12),
        "nature" => Some(13),
        "titulaires" => Some(14),
        "idAccordCadre" => Some(15),
        "procedure" => Some(16),
        "codeCPV" => Some(17),
        "formePrix" => Some(18),
        "lieuExecution" => Some(19),
        "montant" => Some(20),
        "dateSignature" => Some(21),
        "dateNotification" => Some(22),
        "datePublicationDonnees" => Some(23),
        "dateDebutExecution" => Some(24),
        "dureeMois" => Some(25),
        "actesSousTraitance" => Some(26),
        "donneesExecution" => Some(27),
        "modalitesExecution" => Some(28),
        "marcheInnovant" => Some(29),
        "attributionAvance" => Some(30),
        "tauxAvance" => Some(31),
        "typeGroupementOperateurs" => Some(32),
        "origineUE" => Some(33),
        "origineFrance" => Some(34),
        "montantSubventionPublique" => Some(35),
        "considerationsEnvironnementales" => Some(36),
        "sousTraitanceDeclaree" => Some(37),
        _ => None,
    }
}

impl<'b, 'a> Champs<'b, 'a> {
    fn new(brut: &'b Brut<'a>) -> Self {
        let mut v = [None; 38];
        if let Brut::Map(m) = brut {
            for (k, x) in m.iter() {
                if let Some(i) = rang(k)
                    && let Some(slot) = v.get_mut(i)
                    && slot.is_none()
                {
                    *slot = Some(x);
                }
            }
        }
        Champs { brut, v }
    }

    /// Inlined: with a literal key, `rang` is folded away.
    #[inline(always)]
    fn get(&self, k: &str) -> Option<&'b Brut<'a>> {
        match rang(k) {
            Some(i) => self.v.get(i).copied().flatten(),
            None => self.brut.get(k),
        }
    }
}

fn nettoyer_siret(s: &str) -> String {
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return s.to_string();
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '\u{202F}' | '\u{A0}'))
        .collect()
}

fn deduire_type(id: &str) -> TypeIdentifiant {
    let b = id.as_bytes();
    if b.len() == 14 && b.iter().all(u8::is_ascii_digit) {
        TypeIdentifiant::Siret
    } else if b.len() >= 4
        && b.iter().take(2).all(u8::is_ascii_uppercase)
        && b.iter().skip(2).all(u8::is_ascii_alphanumeric)
        && b.iter().skip(2).any(u8::is_ascii_digit)
    {
        TypeIdentifiant::Tva
    } else {
        TypeIdentifiant::HorsUe
    }
}

fn nombre_texte(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The official spelling of `s` if it matches one case- and accent-insensitively.
fn officiel<'l>(s: &str, liste: &[&'l str]) -> Option<&'l str> {
    if let Some(x) = liste.iter().find(|x| **x == s) {
        return Some(x);
    }
    liste
        .iter()
        .copied()
        .find(|x| super::texte::egaux_plies(x, s))
}

const MOIS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parse the date shapes seen in real files; the flag says the shape was not `AAAA-MM-JJ`.
fn lire_date(s: &str) -> Option<(NaiveDate, bool)> {
    let b = s.as_bytes();
    let chiffres = |r: std::ops::Range<usize>| -> Option<u32> {
        let x = b.get(r)?;
        if x.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(x).ok()?.parse().ok()
        } else {
            None
        }
    };
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let d = NaiveDate::from_ymd_opt(chiffres(0..4)? as i32, chiffres(5..7)?, chiffres(8..10)?)?;
        return Some((d, b.len() != 10));
    }
    if b.len() >= 10 && b[2] == b'/' && b[5] == b'/' {
        let d = NaiveDate::from_ymd_opt(chiffres(6..10)? as i32, chiffres(3..5)?, chiffres(0..2)?)?;
        return Some((d, true));
    }
    if b.len() >= 10 && b[4] == b'/' && b[7] == b'/' {
        let d = NaiveDate::from_ymd_opt(chiffres(0..4)? as i32, chiffres(5..7)?, chiffres(8..10)?)?;
        return Some((d, true));
    }
    // "September, 16 2021 00:00:00"
    let l = s.to_lowercase();
    let mut it = l
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|x| !x.is_empty());
    let m = it.next()?;
    let mois = MOIS
        .iter()
        .position(|x| *x == m || (m.len() >= 3 && x.starts_with(m)))? as u32
        + 1;
    let jour: u32 = it.next()?.parse().ok()?;
    let an: i32 = it.next()?.parse().ok()?;
    Some((NaiveDate::from_ymd_opt(an, mois, jour)?, true))
}

/// Replace the bare `NaN`, `Infinity` and `-Infinity` tokens (outside strings) by `null`;
/// returns the new text and how many were replaced.
fn sans_non_json(o: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(o.len());
    let mut n = 0;
    let mut i = 0;
    let mut chaine = false;
    while let Some(&b) = o.get(i) {
        if chaine {
            out.push(b);
            match b {
                b'\\' => {
                    if let Some(&c) = o.get(i + 1) {
                        out.push(c);
                    }
                    i += 2;
                    continue;
                }
                b'"' => chaine = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        let reste = o.get(i..).unwrap_or(&[]);
        if let Some(mot) = [&b"-Infinity"[..], b"Infinity", b"NaN"]
            .into_iter()
            .find(|m| reste.starts_with(m))
        {
            out.extend_from_slice(b"null");
            n += 1;
            i += mot.len();
            continue;
        }
        if b == b'"' {
            chaine = true;
        }
        out.push(b);
        i += 1;
    }
    (out, n)
}

fn rejet(
    ordinal: u64,
    octet: u64,
    id: Option<String>,
    mut entrees: Vec<EntreeRapport>,
    detail: String,
) -> ElementDecp {
    // The repairs noted before the rejection go in its detail so that nothing is lost.
    let avant: Vec<String> = entrees
        .drain(..)
        .map(|e| format!("{} : {}", e.champ, e.detail))
        .collect();
    let detail = if avant.is_empty() {
        detail
    } else {
        format!("{detail} (relevé aussi : {})", avant.join(" ; "))
    };
    ElementDecp::Rejet(EntreeRapport {
        fichier: None,
        enregistrement: ordinal,
        octet,
        id,
        champ: String::new(),
        action: ActionRapport::Rejet,
        detail,
    })
}

fn procedure_2022(p: &str, categorie: CategorieContrat) -> Option<&'static str> {
    let liste = if categorie == CategorieContrat::Concession {
        PROCEDURES_CONCESSION
    } else {
        PROCEDURES_MARCHE
    };
    if let Some(o) = officiel(p, liste) {
        return Some(o);
    }
    let f = super::texte::plier_texte(p);
    Some(match () {
        _ if f.contains("sans publicite") => {
            "Marché passé sans publicité ni mise en concurrence préalable"
        }
        _ if f.contains("negoci") && categorie == CategorieContrat::Marche => {
            "Procédure avec négociation"
        }
        _ if f.contains("adapte") => "Procédure adaptée",
        _ if f.contains("dialogue") => "Dialogue compétitif",
        _ if f.contains("appel d'offre") && f.contains("restreint") => "Appel d'offres restreint",
        _ if f.contains("appel d'offre") => "Appel d'offres ouvert",
        _ => return None,
    })
}

pub(crate) fn normaliser(
    r: &Brut<'_>,
    indice: Option<CategorieContrat>,
    xml: bool,
    ordinal: u64,
    octet: u64,
    options: &OptionsImport,
    entrees: Vec<EntreeRapport>,
) -> ElementDecp {
    let mut n = Norm {
        entrees,
        ordinal,
        octet,
        id: None,
        xml,
        options,
    };
    if !matches!(r, Brut::Map(_)) {
        return rejet(
            ordinal,
            octet,
            None,
            n.entrees,
            "l'enregistrement n'est pas un objet".into(),
        );
    }
    let ix = Champs::new(r);
    let id = n.texte(ix.get("id").or(ix.get("uid")), "id");
    n.id = id.clone();
    for e in &mut n.entrees {
        e.id = id.clone();
    }
    let Some(id) = id else {
        return rejet(
            ordinal,
            octet,
            None,
            n.entrees,
            "enregistrement sans identifiant (id)".into(),
        );
    };
    let type_brut = n.texte(ix.get("_type"), "_type");
    let categorie = indice.unwrap_or_else(|| {
        let concession = type_brut
            .as_deref()
            .map(|t| super::texte::plier_texte(t).contains("concession"))
            .unwrap_or(false)
            || ix.get("autoriteConcedante").is_some()
            || ix.get("concessionnaires").is_some()
            || ix.get("valeurGlobale").is_some();
        if concession {
            CategorieContrat::Concession
        } else {
            CategorieContrat::Marche
        }
    });
    let concession = categorie == CategorieContrat::Concession;
    let v2022 = [
        "techniques",
        "considerationsSociales",
        "typesPrix",
        "offresRecues",
        "ccag",
    ]
    .iter()
    .any(|k| ix.get(k).is_some());
    let cle_ach = if concession {
        "autoriteConcedante"
    } else {
        "acheteur"
    };
    let acheteur = n.acheteur(&ix, cle_ach).or_else(|| {
        if concession {
            n.acheteur(&ix, "acheteur")
        } else {
            None
        }
    });
    let Some(acheteur) = acheteur else {
        return rejet(
            ordinal,
            octet,
            Some(id),
            n.entrees,
            format!("enregistrement sans {cle_ach}.id"),
        );
    };
    let objet = n.texte(ix.get("objet"), "objet").unwrap_or_default();
    if objet.is_empty() {
        n.note(ActionRapport::Anomalie, "objet", "objet absent".into());
    }
    let nature_brute = n.texte(ix.get("nature"), "nature").unwrap_or_default();
    let nb_tit_brut = |cle: &str| {
        ix.get(cle)
            .map(|t| match t {
                Brut::List(l) => l.len(),
                _ => 1,
            })
            .unwrap_or(0)
    };
    let plusieurs = nb_tit_brut(if concession {
        "concessionnaires"
    } else {
        "titulaires"
    }) > 1;
    let techniques = n.liste(
        ix.get("techniques"),
        "technique",
        "techniques",
        super::decp::TECHNIQUES,
    );
    let id_accord_cadre = n.texte(ix.get("idAccordCadre"), "idAccordCadre");
    // The usual spelling needs no folding (it names none of the kinds looked for below).
    let nf = if nature_brute == "Marché" {
        String::new()
    } else {
        super::texte::plier_texte(&nature_brute)
    };
    let (nature, type_contrat) = if concession {
        let nat = officiel(&nature_brute, NATURES_CONCESSION)
            .map(str::to_string)
            .unwrap_or(nature_brute.clone());
        (nat, TypeContrat::Concession)
    } else if nf.contains("accord") {
        let t = if plusieurs {
            TypeContrat::AccordCadreMultiAttributaire
        } else {
            TypeContrat::AccordCadreMonoAttributaire
        };
        ("Marché".to_string(), t)
    } else if nf.contains("subsequent") {
        ("Marché".to_string(), TypeContrat::MarcheSubsequent)
    } else if nf.contains("partenariat") {
        (
            "Marché de partenariat".to_string(),
            TypeContrat::MarcheDePartenariat,
        )
    } else if nf.contains("defense") {
        (
            "Marché de défense ou de sécurité".to_string(),
            TypeContrat::MarcheDefenseSecurite,
        )
    } else {
        let nat = officiel(&nature_brute, NATURES_MARCHE)
            .map(str::to_string)
            .unwrap_or_else(|| {
                if nature_brute.is_empty() {
                    "Marché".into()
                } else {
                    nature_brute.clone()
                }
            });
        let t = if id_accord_cadre.is_some() {
            TypeContrat::MarcheSubsequent
        } else if techniques.iter().any(|t| t == "Accord-cadre") {
            if plusieurs {
                TypeContrat::AccordCadreMultiAttributaire
            } else {
                TypeContrat::AccordCadreMonoAttributaire
            }
        } else if techniques
            .iter()
            .any(|t| t == "Système d'acquisition dynamique")
        {
            TypeContrat::SystemeAcquisitionDynamique
        } else {
            TypeContrat::Marche
        };
        (nat, t)
    };
    let mut techniques = techniques;
    if type_contrat.est_accord_cadre() && !techniques.iter().any(|t| t == "Accord-cadre") {
        techniques.retain(|t| t != "Sans objet");
        techniques.push("Accord-cadre".into());
    }
    let procedure_brute = n
        .texte_lu(ix.get("procedure"), "procedure")
        .unwrap_or_default();
    let procedure = match procedure_2022(&procedure_brute, categorie) {
        Some(p) => p.to_string(),
        None => procedure_brute.into_owned(),
    };
    let code_cpv = match n.texte_lu(ix.get("codeCPV"), "codeCPV") {
        None => None,
        Some(c) => {
            let net: String = if c.contains(char::is_whitespace) {
                c.chars().filter(|c| !c.is_whitespace()).collect()
            } else {
                c.to_string()
            };
            let b = net.as_bytes();
            let ok8 = b.len() >= 8 && b.iter().take(8).all(u8::is_ascii_digit);
            if ok8 && (b.len() == 8 || (b.len() == 10 && b[8] == b'-' && b[9].is_ascii_digit())) {
                Some(net)
            } else if ok8 {
                let c8 = net[..8].to_string();
                n.repare("codeCPV", format!("code CPV « {c} » ramené à {c8}"));
                Some(c8)
            } else {
                n.repare("codeCPV", format!("code CPV « {c} » mal formé supprimé"));
                None
            }
        }
    };
    // 2019 formePrix "Ferme", "Ferme et actualisable", "Révisable" → 2022 typesPrix.
    let forme_brute = n.texte_lu(ix.get("formePrix"), "formePrix");
    let mut types_prix = n.liste(
        ix.get("typesPrix"),
        "typePrix",
        "typesPrix",
        super::decp::TYPES_PRIX,
    );
    let forme_prix = match forme_brute {
        None => None,
        Some(f) => match officiel(&f, super::decp::FORMES_PRIX) {
            Some(o) => Some(o.to_string()),
            None => {
                let p = super::texte::plier_texte(&f);
                let t = if p.contains("revisable") {
                    Some("Définitif révisable")
                } else if p.contains("actualisable") {
                    Some("Définitif actualisable")
                } else if p.contains("ferme") {
                    Some("Définitif ferme")
                } else {
                    None
                };
                if let Some(t) = t
                    && !types_prix.iter().any(|x| x == t)
                {
                    types_prix.push(t.to_string());
                }
                None
            }
        },
    };
    let lieu_execution = ix.get("lieuExecution").and_then(|l| {
        let code = n.texte(l.get("code"), "lieuExecution.code")?;
        let tc = n
            .texte_lu(l.get("typeCode"), "lieuExecution.typeCode")
            .unwrap_or_default();
        let type_code = officiel(&tc, super::decp::TYPES_CODE_LIEU)
            .map(str::to_string)
            .unwrap_or_else(|| tc.into_owned());
        let nom = n.texte(l.get("nom"), "lieuExecution.nom");
        Some(LieuExecution {
            code,
            type_code,
            nom,
        })
    });
    let (cle_tit, cle_un) = if concession {
        ("concessionnaires", "concessionnaire")
    } else {
        ("titulaires", "titulaire")
    };
    let titulaires = n.titulaires(ix.get(cle_tit).or(ix.get("titulaires")), cle_un, cle_tit);
    if titulaires.is_empty() {
        n.note(
            ActionRapport::Anomalie,
            cle_tit,
            "aucun titulaire lisible".into(),
        );
    }
    let montant = if concession {
        n.montant(
            ix.get("valeurGlobale").or(ix.get("montant")),
            "valeurGlobale",
            0.0,
        )
    } else {
        n.montant(ix.get("montant"), "montant", 0.0)
    };
    let date_notification = if concession {
        n.date(
            ix.get("dateSignature").or(ix.get("dateNotification")),
            "dateSignature",
        )
    } else {
        n.date(ix.get("dateNotification"), "dateNotification")
    };
    let date_publication_donnees =
        n.date(ix.get("datePublicationDonnees"), "datePublicationDonnees");
    // Absent or zero values are kept as published, but never silently.
    let (champ_montant, champ_date) = if concession {
        ("valeurGlobale", "dateSignature")
    } else {
        ("montant", "dateNotification")
    };
    if montant == Some(0.0) {
        n.note(
            ActionRapport::Anomalie,
            champ_montant,
            "montant nul (0 €) : gardé tel que publié, à vérifier".into(),
        );
    }
    for (absent, champ) in [
        (montant.is_none(), champ_montant),
        (date_notification.is_none(), champ_date),
        (date_publication_donnees.is_none(), "datePublicationDonnees"),
    ] {
        if absent && !n.entrees.iter().any(|e| e.champ == champ) {
            n.note(ActionRapport::Anomalie, champ, "valeur absente".into());
        }
    }
    let date_debut_execution = n.date(ix.get("dateDebutExecution"), "dateDebutExecution");
    let duree_mois = n.entier(ix.get("dureeMois"), "dureeMois");
    let mut modifications = Vec::new();
    let mut pile: Vec<&Brut<'_>> = r.all("modifications").collect();
    pile.reverse();
    while let Some(m) = pile.pop() {
        match m {
            Brut::List(l) => pile.extend(l.iter().rev()),
            Brut::Map(_) if m.get("modification").is_some() => {
                pile.extend(m.all("modification").collect::<Vec<_>>().into_iter().rev())
            }
            Brut::Map(_) => {
                let i = modifications.len();
                let p = format!("modifications[{i}]");
                let id = n
                    .entier(m.get("id"), format_args!("{p}.id"))
                    .filter(|x| *x > 0)
                    .unwrap_or(i as u32 + 1);
                let objet = n.texte(
                    m.get("objetModification"),
                    format_args!("{p}.objetModification"),
                );
                let dn = n.date(
                    m.get("dateNotificationModification")
                        .or(m.get("dateSignatureModification")),
                    format_args!("{p}.dateNotificationModification"),
                );
                let dp = n.date(
                    m.get("datePublicationDonneesModification"),
                    format_args!("{p}.datePublicationDonneesModification"),
                );
                let dm = n
                    .entier(m.get("dureeMois"), format_args!("{p}.dureeMois"))
                    .filter(|x| *x > 0);
                let mt = n.montant(
                    m.get("montant").or(m.get("valeurGlobale")),
                    format_args!("{p}.montant"),
                    0.0,
                );
                let tits = n.titulaires(
                    m.get("titulaires").or(m.get("concessionnaires")),
                    cle_un,
                    format_args!("{p}.titulaires"),
                );
                modifications.push(Modification {
                    id,
                    objet,
                    date_notification: dn,
                    date_publication_donnees: dp,
                    duree_mois: dm,
                    montant: mt,
                    titulaires: tits,
                });
            }
            Brut::Null => {}
            _ => n.repare("modifications", "modification illisible ignorée".into()),
        }
    }
    let mut actes_sous_traitance = Vec::new();
    for (i, a) in elements(ix.get("actesSousTraitance"), "acteSousTraitance")
        .into_iter()
        .enumerate()
    {
        let p = format!("actesSousTraitance[{i}]");
        let st = a
            .get("sousTraitant")
            .and_then(|s| n.titulaire(s, format_args!("{p}.sousTraitant")));
        let dn = n.date(
            a.get("dateNotification"),
            format_args!("{p}.dateNotification"),
        );
        let dp = n.date(
            a.get("datePublicationDonnees"),
            format_args!("{p}.datePublicationDonnees"),
        );
        let mt = n.montant(a.get("montant"), format_args!("{p}.montant"), 0.0);
        let dm = n.entier(a.get("dureeMois"), format_args!("{p}.dureeMois"));
        let vp = n.texte(a.get("variationPrix"), format_args!("{p}.variationPrix"));
        match (st, dn, dp, mt, dm, vp) {
            (Some(st), Some(dn), Some(dp), Some(mt), Some(dm), Some(vp)) => actes_sous_traitance
                .push(ActeSousTraitance {
                    id: n
                        .entier(a.get("id"), format_args!("{p}.id"))
                        .unwrap_or(i as u32 + 1),
                    sous_traitant: st,
                    duree_mois: dm,
                    date_notification: dn,
                    date_publication_donnees: dp,
                    montant: mt,
                    variation_prix: vp,
                }),
            _ => n.repare(&p, "acte de sous-traitance incomplet ignoré".into()),
        }
    }
    let mut donnees_execution = Vec::new();
    for (i, d) in elements(ix.get("donneesExecution"), "donneesAnnuelles")
        .into_iter()
        .enumerate()
    {
        let p = format!("donneesExecution[{i}]");
        let dp = n.date(
            d.get("datePublicationDonneesExecution"),
            format_args!("{p}.datePublicationDonneesExecution"),
        );
        let di = n.montant(
            d.get("depensesInvestissement"),
            format_args!("{p}.depensesInvestissement"),
            0.0,
        );
        let mut tarifs = Vec::new();
        for t in elements(d.get("tarifs"), "tarif") {
            let t = t
                .get("tarif")
                .filter(|x| matches!(x, Brut::Map(_)))
                .unwrap_or(t);
            let intitule = n.texte(t.get("intituleTarif"), format_args!("{p}.tarifs"));
            let v = n.montant(t.get("tarif"), format_args!("{p}.tarifs"), 0.0);
            if let (Some(intitule), Some(tarif)) = (intitule, v) {
                tarifs.push(Tarif { intitule, tarif });
            }
        }
        match (dp, di) {
            (Some(dp), Some(di)) => donnees_execution.push(DonneesExecution {
                date_publication: dp,
                depenses_investissement: di,
                tarifs,
            }),
            _ => n.repare(&p, "données d'exécution incomplètes ignorées".into()),
        }
    }
    let type_contrat =
        if type_contrat == TypeContrat::AccordCadreMonoAttributaire && titulaires.len() > 1 {
            TypeContrat::AccordCadreMultiAttributaire
        } else {
            type_contrat
        };
    let mut c = Contrat {
        id,
        categorie,
        type_contrat,
        id_accord_cadre,
        acheteur,
        objet,
        nature_prestations: code_cpv.as_deref().and_then(NaturePrestations::depuis_cpv),
        nature,
        procedure,
        code_cpv,
        techniques,
        modalites_execution: n.liste(
            ix.get("modalitesExecution"),
            "modaliteExecution",
            "modalitesExecution",
            super::decp::MODALITES,
        ),
        ccag: n.texte_lu(ix.get("ccag"), "ccag").map(|c| {
            officiel(&c, super::decp::CCAG)
                .map(str::to_string)
                .unwrap_or_else(|| c.into_owned())
        }),
        offres_recues: n.entier(ix.get("offresRecues"), "offresRecues"),
        marche_innovant: n.booleen(ix.get("marcheInnovant"), "marcheInnovant"),
        attribution_avance: n.booleen(ix.get("attributionAvance"), "attributionAvance"),
        taux_avance: n.taux(ix.get("tauxAvance"), "tauxAvance"),
        type_groupement_operateurs: n
            .texte_lu(
                ix.get("typeGroupementOperateurs"),
                "typeGroupementOperateurs",
            )
            .map(|c| {
                officiel(&c, super::decp::GROUPEMENTS)
                    .map(str::to_string)
                    .unwrap_or_else(|| c.into_owned())
            }),
        origine_ue: n.taux(ix.get("origineUE"), "origineUE"),
        origine_france: n.taux(ix.get("origineFrance"), "origineFrance"),
        lieu_execution,
        titulaires,
        montant,
        montant_subvention_publique: n.montant(
            ix.get("montantSubventionPublique"),
            "montantSubventionPublique",
            0.0,
        ),
        date_notification,
        date_debut_execution,
        date_publication_donnees,
        duree_mois,
        forme_prix,
        types_prix,
        considerations_sociales: n.liste(
            ix.get("considerationsSociales"),
            "considerationSociale",
            "considerationsSociales",
            &[],
        ),
        considerations_environnementales: n.liste(
            ix.get("considerationsEnvironnementales"),
            "considerationEnvironnementale",
            "considerationsEnvironnementales",
            &[],
        ),
        sous_traitance_declaree: n
            .booleen(ix.get("sousTraitanceDeclaree"), "sousTraitanceDeclaree"),
        actes_sous_traitance,
        modifications,
        donnees_execution,
        provenances: vec![options.provenance],
        ..Default::default()
    };
    let (etat, _) = c.etat_sans_titulaires();
    c.date_fin_actuelle = etat.date_fin;
    c.statut = match etat.date_fin {
        Some(f) if f < options.maintenant => StatutContrat::Clos,
        _ => StatutContrat::Notifie,
    };
    ElementDecp::Contrat {
        enregistrement: ordinal,
        octet,
        contrat: Box::new(c),
        entrees: n.entrees,
        version: if v2022 { 2022 } else { 2019 },
    }
}

/// Items of a repeated group in any shape: `[{"x": {..}}]`, `[{..}]`, `{"x": [..]}` (XML).
fn elements<'b, 'a>(b: Option<&'b Brut<'a>>, cle: &str) -> Vec<&'b Brut<'a>> {
    let mut out = Vec::new();
    let mut pile: Vec<&'b Brut<'a>> = b.into_iter().collect();
    while let Some(x) = pile.pop() {
        match x {
            Brut::List(l) => pile.extend(l.iter().rev()),
            Brut::Map(m) if m.iter().all(|(k, _)| *k == cle) && !m.is_empty() => {
                pile.extend(m.iter().map(|(_, v)| v).rev())
            }
            Brut::Map(_) => out.push(x),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controles_par_mots() {
        let naif = |b: &[u8]| b.iter().any(|&o| o < 0x20 && o != b'\n' && o != b'\t');
        let mut cas: Vec<Vec<u8>> = vec![Vec::new()];
        for n in [1usize, 7, 8, 9, 16, 17, 31] {
            for pos in 0..n {
                for o in [0u8, 0x01, b'\t', b'\n', 0x0d, 0x1f, 0x20, 0x7f, 0x80, 0xff] {
                    let mut v = vec![b'a'; n];
                    v[pos] = o;
                    cas.push(v);
                }
            }
        }
        cas.push("Réfection\tde la voirie\n".as_bytes().to_vec());
        for c in cas {
            assert_eq!(a_controle(&c), naif(&c), "{c:?}");
        }
    }

    #[test]
    fn liste_profonde_dans_l_ordre() {
        // Deeper than the recursive walk: the explicit stack takes over, same order.
        let arene = bumpalo::Bump::new();
        let mut b = Brut::List(arene.alloc_slice_copy(&[Brut::Str("z")]));
        for i in 0..40 {
            let t = arene.alloc_slice_copy(&[("t", b)]);
            b = Brut::List(arene.alloc_slice_copy(&[
                Brut::Str(arene.alloc_str(&format!("a{i}"))),
                Brut::Map(t),
                Brut::Str(arene.alloc_str(&format!("b{i}"))),
            ]));
        }
        let options = OptionsImport::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let mut n = Norm {
            entrees: Vec::new(),
            ordinal: 1,
            octet: 0,
            id: None,
            xml: false,
            options: &options,
        };
        let l = n.liste(Some(&b), "t", "t", &[]);
        let mut attendu: Vec<String> = (0..40).rev().map(|i| format!("a{i}")).collect();
        attendu.push("z".into());
        attendu.extend((0..40).map(|i| format!("b{i}")));
        assert_eq!(l, attendu);
    }

    #[test]
    fn dates() {
        let d = |s| lire_date(s).map(|x| x.0.to_string());
        assert_eq!(d("2021-09-16"), Some("2021-09-16".into()));
        assert_eq!(d("September, 16 2021 00:00:00"), Some("2021-09-16".into()));
        assert_eq!(d("16/09/2021"), Some("2021-09-16".into()));
        assert_eq!(d("2021-02-30"), None);
        assert_eq!(d("2021-09-16T10:00:00+02:00"), Some("2021-09-16".into()));
        assert_eq!(d("0222-04-29"), Some("0222-04-29".into()));
        assert_eq!(d("n'importe"), None);
    }
}
