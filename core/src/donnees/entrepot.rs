//! The searchable store of contracts: the platform's own and those published on
//! data.gouv.fr, merged without duplicates, with in-memory indexes and a compact file format.
//!
//! Layout: columns (one vector per searchable field, so that a scan over 1.5 million
//! records touches a few megabytes), every text in one arena, and inverted indexes for the
//! words of the objet, the titulaires (name and SIRET/SIREN) and the acheteurs.
//!
//! File format (`.mpedecp`): the 8 bytes `MPEDECP1`, then a zlib stream of the columns
//! (little-endian) and the text arena. Indexes are rebuilt on load.

use std::collections::HashMap;
use std::io::{Read, Write};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::import::{ActionRapport, ElementDecp, EntreeRapport, LecteurDecp, RapportImport};
use super::modele::{
    Acheteur, CategorieContrat, Contrat, NaturePrestations, Provenance, TypeContrat,
};
use super::texte::pour_chaque_mot;
use crate::{CodeErreur, Erreur, Result};

const MAGIC: &[u8; 8] = b"MPEDECP1";

/// FxHash (rustc's hasher): the index keys are not attacker-chosen in a way that matters
/// here (a slow import at worst), and SipHash dominated indexing time.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut c = bytes.chunks_exact(8);
        for x in &mut c {
            let v = u64::from_le_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]);
            h = (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for b in c.remainder() {
            h = (h.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

type Carte<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;
const SANS_DATE: i32 = i32::MIN;

/// Records of one key (buyer + id + holders) a new record is compared with.
const COMPARAISONS_MAX: usize = 256;

/// A 14-digit SIRET as its number: index keys compared without reaching for a string.
fn siret_nombre(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |n, c| n * 10 + u64::from(c - b'0')))
}

/// An index by identifier (acheteur, titulaire): SIRETs by number, other identifiers by text.
struct IndexId<V> {
    siret: Carte<u64, V>,
    autre: Carte<Box<str>, V>,
}

impl<V> Default for IndexId<V> {
    fn default() -> Self {
        IndexId {
            siret: Carte::default(),
            autre: Carte::default(),
        }
    }
}

impl<V: Default> IndexId<V> {
    fn get(&self, id: &str) -> Option<&V> {
        match siret_nombre(id) {
            Some(n) => self.siret.get(&n),
            None => self.autre.get(id),
        }
    }

    fn entree(&mut self, id: &str) -> &mut V {
        match siret_nombre(id) {
            Some(n) => self.siret.entry(n).or_default(),
            // Rare (TVA, hors UE): the key is allocated for the lookup.
            None => self.autre.entry(id.into()).or_default(),
        }
    }

    /// Values of the identifiers that start with the 9 digits of `siren`.
    fn par_siren<'s>(&'s self, siren: &'s str) -> impl Iterator<Item = &'s V> + 's {
        let n: Option<u64> = siren.parse().ok();
        let siret = self
            .siret
            .iter()
            .filter(move |(k, _)| Some(**k / 100_000) == n)
            .map(|(_, v)| v);
        let autre = self
            .autre
            .iter()
            .filter(move |(k, _)| k.starts_with(siren))
            .map(|(_, v)| v);
        siret.chain(autre)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Span {
    debut: u32,
    long: u32,
}

/// The search criteria (all optional, combined with AND).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Recherche {
    /// Entité publique / acheteur: SIRET (14 digits), SIREN (9 digits) or words of its name.
    pub acheteur: Option<String>,
    /// Year of notification.
    pub annee: Option<i32>,
    /// Attributaire: SIRET, SIREN or words of its name.
    pub attributaire: Option<String>,
    /// Travaux / fournitures / services.
    pub nature_prestations: Option<NaturePrestations>,
    /// Minimum current amount HT.
    pub montant_min: Option<f64>,
    /// Maximum current amount HT.
    pub montant_max: Option<f64>,
    /// CPV prefix (digits, e.g. `4521`).
    pub cpv: Option<String>,
    /// Notified on or after.
    pub date_notification_debut: Option<NaiveDate>,
    /// Notified on or before.
    pub date_notification_fin: Option<NaiveDate>,
    /// Words of the objet (case- and accent-insensitive; `word*` for a prefix).
    pub mots_cles: Option<String>,
    /// Marchés or concessions only.
    pub categorie: Option<CategorieContrat>,
    /// One provenance only.
    pub provenance: Option<Provenance>,
    /// Sort order.
    pub tri: Tri,
    /// Results to skip (paging).
    pub decalage: usize,
    /// Results to return (at most 1000).
    pub limite: usize,
}

impl Default for Recherche {
    fn default() -> Self {
        Recherche {
            acheteur: None,
            annee: None,
            attributaire: None,
            nature_prestations: None,
            montant_min: None,
            montant_max: None,
            cpv: None,
            date_notification_debut: None,
            date_notification_fin: None,
            mots_cles: None,
            categorie: None,
            provenance: None,
            tri: Tri::DateDesc,
            decalage: 0,
            limite: 20,
        }
    }
}

/// Sort orders.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Tri {
    /// Most recent notification first.
    #[default]
    DateDesc,
    /// Oldest notification first.
    DateAsc,
    /// Largest amount first.
    MontantDesc,
    /// Smallest amount first.
    MontantAsc,
}

/// A holder as the results show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TitulaireFiche {
    /// Identifier.
    pub id: String,
    /// Name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raison_sociale: Option<String>,
}

/// A contract as the search results show it (current state, modifications applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fiche {
    /// N° de contrat.
    pub id: String,
    /// Buyer.
    pub acheteur: Acheteur,
    /// Objet.
    pub objet: String,
    /// Marché or concession.
    pub categorie: CategorieContrat,
    /// Kind.
    pub type_contrat: TypeContrat,
    /// DECP nature.
    pub nature: String,
    /// Travaux / fournitures / services.
    pub nature_prestations: Option<NaturePrestations>,
    /// Procedure.
    pub procedure: String,
    /// Main CPV (8 digits).
    pub code_cpv: Option<String>,
    /// Current amount HT.
    pub montant: Option<f64>,
    /// Notification (signature) date.
    pub date_notification: Option<NaiveDate>,
    /// Current duration in months.
    pub duree_mois: Option<u32>,
    /// Current holders.
    pub titulaires: Vec<TitulaireFiche>,
    /// Modifications applied.
    pub nb_modifications: u32,
    /// Provenances.
    pub provenances: Vec<Provenance>,
    /// Provenance labels as shown ("saisi sur le profil acheteur", "publié sur data.gouv.fr").
    pub provenance: String,
}

/// Counts by provenance.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct ParProvenance {
    /// Records entered on the platform (merged ones included).
    pub profil_acheteur: usize,
    /// Records published on data.gouv.fr (merged ones included).
    pub data_gouv: usize,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultatRecherche {
    /// Number of matching records.
    pub total: usize,
    /// Matching records by provenance (before the provenance filter).
    pub par_provenance: ParProvenance,
    /// The page asked.
    pub fiches: Vec<Fiche>,
}

/// The store. See the module documentation for its layout.
#[derive(Default)]
pub struct Entrepot {
    texte: String,
    ids: Vec<Span>,
    objets: Vec<Span>,
    acheteur: Vec<u32>,
    // bit 0: concession; bits 1-2: nature des prestations; bit 3: profil acheteur; bit 4: data.gouv
    drapeaux: Vec<u8>,
    type_contrat: Vec<u8>,
    nature: Vec<u16>,
    procedure: Vec<u16>,
    montant: Vec<f64>,
    date: Vec<i32>,
    date_pub: Vec<i32>,
    cpv: Vec<u32>,
    duree: Vec<u32>,
    nb_modif: Vec<u32>,
    tit_debut: Vec<u32>,
    titulaires: Vec<(Span, Span)>,
    acheteurs: Vec<(Span, Span)>,
    libelles: Vec<String>,
    // derived (rebuilt on load)
    index_acheteur: IndexId<Option<u32>>,
    index_libelle: Carte<String, u16>,
    mots_objet: Carte<Box<str>, Vec<u32>>,
    mots_titulaire: Carte<Box<str>, Vec<u32>>,
    id_titulaire: IndexId<Vec<u32>>,
    siren_titulaire: Carte<u32, Vec<u32>>,
    /// During a file import: (SIRET, record) of the holders, indexed in one sorted pass at
    /// the end instead of two random hash-map updates per holder.
    en_attente: Vec<(u64, u32)>,
    differer: bool,
    /// During a file import: first record whose `par_acheteur` entry is set aside, filled
    /// in one pass at the end (one tight loop instead of a cache miss inside each `ajouter`).
    par_acheteur_debut: Option<u32>,
    mots_acheteur: Carte<Box<str>, Vec<u32>>,
    par_acheteur: Vec<Vec<u32>>,
    /// First record of each buyer + contract id.
    cles: Carte<u64, u32>,
    // dedup key of each record (holders as notified), kept in the file
    cle: Vec<u64>,
    /// Next record with the same buyer and contract id but a different contract (holders,
    /// amount, CPV or objet differ): filled only on such collisions, which are rare.
    meme_cle: Carte<u32, u32>,
    /// Last record of each such chain (keyed by its first), so that adding is O(1).
    fin_chaine: Carte<u32, u32>,
    /// Amount as first published (before modifications), to tell lots and republications
    /// apart; NaN when unknown (not in the store file: records loaded from a file compare
    /// on CPV and objet only).
    montant_initial: Vec<f64>,
    /// Where each record was read (index in `sources`, record number in that file); absent
    /// for records loaded from a store file or added by the platform.
    origine: Vec<Option<(u32, u64)>>,
    /// Names of the files imported into this store.
    sources: Vec<String>,
    tris: std::sync::OnceLock<Tris>,
}

/// What [`Entrepot::ajouter_depuis`] did with a record.
#[derive(Debug)]
pub(crate) enum Ajout {
    /// A new contract.
    Nouveau,
    /// The same contract as this record: merged into it.
    Fusionne(usize),
    /// Same buyer, id and holders as this record, but another contract (the fields that
    /// differ): kept apart.
    Distinct(usize, Vec<String>),
}

/// Record indexes in the order of each sortable column, and the lists by nature and
/// category.
#[derive(Default)]
struct Tris {
    date: Vec<u32>,
    date_cles: Vec<i32>,
    montant: Vec<u32>,
    montant_cles: Vec<f64>,
    cpv: Vec<u32>,
    cpv_cles: Vec<u32>,
    nature: [Vec<u32>; 4],
    categorie: [Vec<u32>; 2],
    par_provenance: ParProvenance,
}

impl std::fmt::Debug for Entrepot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entrepot")
            .field("contrats", &self.len())
            .finish()
    }
}

const TYPES: [TypeContrat; 8] = [
    TypeContrat::Marche,
    TypeContrat::AccordCadreMonoAttributaire,
    TypeContrat::AccordCadreMultiAttributaire,
    TypeContrat::MarcheSubsequent,
    TypeContrat::SystemeAcquisitionDynamique,
    TypeContrat::MarcheDePartenariat,
    TypeContrat::MarcheDefenseSecurite,
    TypeContrat::Concession,
];

fn nature_bits(n: Option<NaturePrestations>) -> u8 {
    match n {
        None => 0,
        Some(NaturePrestations::Travaux) => 1,
        Some(NaturePrestations::Fournitures) => 2,
        Some(NaturePrestations::Services) => 3,
    }
}

fn prov_bit(p: Provenance) -> u8 {
    match p {
        Provenance::ProfilAcheteur => 8,
        Provenance::DataGouv => 16,
    }
}

fn jours(d: Option<NaiveDate>) -> i32 {
    d.map_or(SANS_DATE, |d| d.num_days_from_ce())
}

fn cpv_nombre(c: Option<&str>) -> u32 {
    c.and_then(|c| c.get(..8))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// FNV-1a of `part` then the 0xff separator, from state `h` (the dedup keys' hash).
#[inline]
fn fnv(h: u64, part: &str) -> u64 {
    const PREMIER: u64 = 0x0100_0000_01b3;
    let h = part
        .bytes()
        .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(PREMIER));
    (h ^ 0xff).wrapping_mul(PREMIER)
}

fn intersecter(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (petit, grand) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(petit.len());
    if petit.len() * 16 < grand.len() {
        for x in petit {
            if grand.binary_search(x).is_ok() {
                out.push(*x);
            }
        }
    } else {
        let (mut i, mut j) = (0, 0);
        while i < petit.len() && j < grand.len() {
            match petit[i].cmp(&grand[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push(petit[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
    }
    out
}

fn poster(index: &mut Carte<Box<str>, Vec<u32>>, mot: &str, i: u32) {
    match index.get_mut(mot) {
        Some(v) => {
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
        None => {
            index.insert(mot.into(), vec![i]);
        }
    }
}

impl Entrepot {
    /// An empty store.
    pub fn new() -> Entrepot {
        Entrepot {
            tit_debut: vec![0],
            ..Default::default()
        }
    }

    /// Number of contracts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// `true` when empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn span(&mut self, s: &str) -> Span {
        let debut = self.texte.len() as u32;
        self.texte.push_str(s);
        Span {
            debut,
            long: s.len() as u32,
        }
    }

    fn lire(&self, s: Span) -> &str {
        self.texte
            .get(s.debut as usize..(s.debut + s.long) as usize)
            .unwrap_or("")
    }

    fn libelle(&mut self, s: &str) -> u16 {
        if let Some(i) = self.index_libelle.get(s) {
            return *i;
        }
        let i = self.libelles.len().min(u16::MAX as usize) as u16;
        self.libelles.push(s.to_string());
        self.index_libelle.insert(s.to_string(), i);
        i
    }

    /// The dedup key of a record: FNV-1a over buyer, contract id and the sorted titulaires,
    /// each followed by 0xff. Stable across Rust versions, since the keys are stored in the
    /// file.
    #[cfg(test)]
    fn cle(acheteur: &str, id: &str, titulaires: &mut dyn Iterator<Item = &str>) -> u64 {
        Entrepot::cle_titulaires(Entrepot::cle_id(acheteur, id), titulaires)
    }

    /// The key of buyer + contract id alone: the FNV-1a state after those two parts, which
    /// [`Entrepot::cle_titulaires`] continues (the import hashes them once for both keys).
    fn cle_id(acheteur: &str, id: &str) -> u64 {
        fnv(fnv(0xcbf2_9ce4_8422_2325, acheteur), id)
    }

    /// The full key from [`Entrepot::cle_id`]'s state: the titulaires hashed in sorted order.
    /// Up to 8 titulaires sorted on the stack (no allocation per record), more in a vector.
    fn cle_titulaires(cle_id: u64, titulaires: &mut dyn Iterator<Item = &str>) -> u64 {
        let mut pile = [""; 8];
        let mut n = 0;
        let mut reste: Vec<&str> = Vec::new();
        for x in titulaires {
            match pile.get_mut(n) {
                Some(p) => {
                    *p = x;
                    n += 1;
                }
                None => {
                    if reste.is_empty() {
                        reste.extend_from_slice(&pile);
                    }
                    reste.push(x);
                }
            }
        }
        let t: &mut [&str] = if reste.is_empty() {
            pile.get_mut(..n).unwrap_or_default()
        } else {
            &mut reste
        };
        if t.len() > 1 {
            t.sort_unstable();
        }
        t.iter().fold(cle_id, |h, x| fnv(h, x))
    }

    /// Add a contract, or merge it into the record it duplicates. Returns the index of the
    /// merged record on a duplicate.
    ///
    /// Two records are one contract when they have the same buyer, the same contract id
    /// and the same titulaires (as notified) **and**, for published records, the same
    /// fields that tell a lot or a contract from another: objet, CPV and initial amount
    /// (compared when both records give them). A published file often reuses one id for
    /// the lots of a procedure; those are kept apart. The platform's own entry is merged
    /// on the key alone (the platform knows its contracts), and wins. Among merged
    /// published records, the most recently published state wins.
    pub fn ajouter(&mut self, c: &Contrat) -> Option<usize> {
        match self.ajouter_depuis(c, None) {
            Ajout::Fusionne(i) => Some(i),
            Ajout::Nouveau | Ajout::Distinct(..) => None,
        }
    }

    /// Where record `i` came from, for report lines.
    fn citer(&self, i: usize) -> String {
        match self.origine.get(i).copied().flatten() {
            Some((s, n)) => format!(
                "l'enregistrement {n} de {}",
                self.sources.get(s as usize).map_or("?", String::as_str)
            ),
            None => format!("la fiche {i} de l'entrepôt"),
        }
    }

    /// The defining fields of record `j` that differ from `c` (empty: the same contract).
    fn differences(&self, j: usize, c: &Contrat, cle: u64, prov: u8) -> Vec<String> {
        let mut d = Vec::new();
        if self.cle.get(j) != Some(&cle) {
            d.push("titulaires différents".into());
            return d;
        }
        if prov & 8 != 0 || self.drapeaux.get(j).is_some_and(|f| f & 8 != 0) {
            return d;
        }
        let (a, b) = (
            self.cpv.get(j).copied().unwrap_or(0),
            cpv_nombre(c.code_cpv.as_deref()),
        );
        if a != 0 && b != 0 && a != b {
            d.push(format!("CPV {a:08} ≠ {b:08}"));
        }
        if let (Some(&a), Some(b)) = (self.montant_initial.get(j), c.montant)
            && a.is_finite()
            && (a - b).abs() > 0.005
        {
            d.push(format!("montant {a} ≠ {b}"));
        }
        let objet = self.objets.get(j).map_or("", |s| self.lire(*s)).trim();
        let nouvel = c.objet.trim();
        // Spacing alone does not make another contract: publishers vary the blanks around
        // punctuation between two publications of the same contract.
        if !objet.is_empty()
            && !nouvel.is_empty()
            && !super::texte::egaux_plies_sans_blancs(objet, nouvel)
        {
            d.push(format!("objet « {objet} » ≠ « {nouvel} »"));
        }
        d
    }

    pub(crate) fn ajouter_depuis(&mut self, c: &Contrat, origine: Option<(u32, u64)>) -> Ajout {
        self.tris = std::sync::OnceLock::new();
        let (etat, titulaires_actuels) = c.etat_sans_titulaires();
        let cle_id = Entrepot::cle_id(&c.acheteur.id, &c.id);
        let cle = Entrepot::cle_titulaires(cle_id, &mut c.titulaires.iter().map(|t| t.id.as_str()));
        let prov: u8 = c
            .provenances
            .iter()
            .map(|p| prov_bit(*p))
            .fold(0, |a, b| a | b);
        let mut semblable: Option<(u32, Vec<String>)> = None;
        let premier = self.cles.get(&cle_id).copied();
        let mut suivant = premier;
        let mut compares = 0;
        // Bounded: beyond COMPARAISONS_MAX contracts under one key (never seen in real
        // data), a record is kept apart rather than compared with all (cost stays linear).
        while let Some(j) = suivant.filter(|_| compares < COMPARAISONS_MAX) {
            compares += 1;
            let ecarts = self.differences(j as usize, c, cle, prov);
            if ecarts.is_empty() {
                let i = j as usize;
                let nouveau_pub = jours(c.date_publication_donnees);
                let platforme = prov & 8 != 0 && self.drapeaux[i] & 8 == 0;
                if platforme || nouveau_pub >= self.date_pub[i] {
                    self.montant[i] = etat.montant.unwrap_or(f64::NAN);
                    self.duree[i] = etat.duree_mois.unwrap_or(0);
                    self.nb_modif[i] = etat.nb_modifications as u32;
                    self.date_pub[i] = self.date_pub[i].max(nouveau_pub);
                    if c.date_notification.is_some() {
                        self.date[i] = jours(c.date_notification);
                    }
                }
                if let (Some(m), Some(x)) = (c.montant, self.montant_initial.get_mut(i))
                    && !x.is_finite()
                {
                    *x = m;
                }
                self.drapeaux[i] |= prov;
                return Ajout::Fusionne(i);
            }
            if semblable.is_none() {
                semblable = Some((j, ecarts));
            }
            suivant = self.meme_cle.get(&j).copied();
        }
        let i = self.ids.len() as u32;
        match premier {
            Some(p) => {
                let d = self.fin_chaine.get(&p).copied().unwrap_or(p);
                self.meme_cle.insert(d, i);
                self.fin_chaine.insert(p, i);
            }
            None => {
                self.cles.insert(cle_id, i);
            }
        }
        self.cle.push(cle);
        self.montant_initial.push(c.montant.unwrap_or(f64::NAN));
        self.origine.push(origine);
        let id = self.span(&c.id);
        self.ids.push(id);
        let objet = self.span(&c.objet);
        self.objets.push(objet);
        pour_chaque_mot(&c.objet, |m| poster(&mut self.mots_objet, m, i));
        let a = match self.index_acheteur.get(&c.acheteur.id).copied().flatten() {
            Some(a) => a,
            None => {
                let a = self.acheteurs.len() as u32;
                let sid = self.span(&c.acheteur.id);
                let snom = self.span(c.acheteur.nom.as_deref().unwrap_or(""));
                self.acheteurs.push((sid, snom));
                *self.index_acheteur.entree(&c.acheteur.id) = Some(a);
                if let Some(nom) = &c.acheteur.nom {
                    pour_chaque_mot(nom, |m| poster(&mut self.mots_acheteur, m, a));
                }
                self.par_acheteur.push(Vec::new());
                a
            }
        };
        // The name first: most files give none, and the acheteur's entry is then not read.
        if let Some(nom) = &c.acheteur.nom
            && self.acheteur_nom_vide(a)
        {
            let snom = self.span(nom);
            self.acheteurs[a as usize].1 = snom;
            pour_chaque_mot(nom, |m| poster(&mut self.mots_acheteur, m, a));
        }
        self.acheteur.push(a);
        if self.differer {
            self.par_acheteur_debut.get_or_insert(i);
        } else if let Some(v) = self.par_acheteur.get_mut(a as usize) {
            v.push(i);
        }
        let cat = u8::from(c.categorie == CategorieContrat::Concession);
        self.drapeaux
            .push(cat | (nature_bits(c.nature_prestations) << 1) | prov);
        self.type_contrat
            .push(TYPES.iter().position(|t| *t == c.type_contrat).unwrap_or(0) as u8);
        let n = self.libelle(&c.nature);
        self.nature.push(n);
        let p = self.libelle(&c.procedure);
        self.procedure.push(p);
        self.montant.push(etat.montant.unwrap_or(f64::NAN));
        self.date.push(jours(c.date_notification));
        self.date_pub.push(jours(c.date_publication_donnees));
        self.cpv.push(cpv_nombre(c.code_cpv.as_deref()));
        self.duree.push(etat.duree_mois.unwrap_or(0));
        self.nb_modif.push(etat.nb_modifications as u32);
        for t in titulaires_actuels {
            let sid = self.span(&t.id);
            let snom = self.span(t.raison_sociale.as_deref().unwrap_or(""));
            self.titulaires.push((sid, snom));
            self.indexer_titulaire(&t.id, t.raison_sociale.as_deref(), i);
        }
        self.tit_debut.push(self.titulaires.len() as u32);
        match semblable {
            Some((j, ecarts)) => Ajout::Distinct(j as usize, ecarts),
            None => Ajout::Nouveau,
        }
    }

    fn acheteur_nom_vide(&self, a: u32) -> bool {
        self.acheteurs
            .get(a as usize)
            .is_some_and(|x| x.1.long == 0)
    }

    fn indexer_titulaire(&mut self, id: &str, nom: Option<&str>, i: u32) {
        match siret_nombre(id) {
            Some(n) if self.differer => self.en_attente.push((n, i)),
            _ => {
                let v = self.id_titulaire.entree(id);
                if v.last() != Some(&i) {
                    v.push(i)
                }
                if id.len() == 14
                    && let Some(Ok(siren)) = id.get(..9).map(str::parse::<u32>)
                {
                    let v = self.siren_titulaire.entry(siren).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
        }
        if let Some(nom) = nom {
            pour_chaque_mot(nom, |m| poster(&mut self.mots_titulaire, m, i));
        }
    }

    /// Index the holders set aside during an import: sorted by SIRET (hence by SIREN), each
    /// posting list is extended once. Records set aside come after every indexed one, so
    /// the lists stay sorted.
    fn indexer_en_attente(&mut self) {
        self.differer = false;
        if let Some(debut) = self.par_acheteur_debut.take() {
            for (i, a) in self.acheteur.iter().enumerate().skip(debut as usize) {
                if let Some(v) = self.par_acheteur.get_mut(*a as usize) {
                    v.push(i as u32);
                }
            }
        }
        let mut attente = std::mem::take(&mut self.en_attente);
        attente.sort_unstable();
        for groupe in attente.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(siret, _)) = groupe.first() else {
                continue;
            };
            let v = self.id_titulaire.siret.entry(siret).or_default();
            for &(_, i) in groupe {
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        let mut tampon: Vec<u32> = Vec::new();
        for groupe in attente.chunk_by(|a, b| a.0 / 100_000 == b.0 / 100_000) {
            let Some(&(siret, _)) = groupe.first() else {
                continue;
            };
            tampon.clear();
            tampon.extend(groupe.iter().map(|x| x.1));
            tampon.sort_unstable();
            tampon.dedup();
            let v = self
                .siren_titulaire
                .entry((siret / 100_000) as u32)
                .or_default();
            for &i in &tampon {
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
    }

    /// Import a DECP file into the store; duplicates are merged and reported.
    ///
    /// ```
    /// use mpe::donnees::{Entrepot, LecteurDecp, OptionsImport, Recherche};
    /// let json = r#"{"marches": {"marche": [{"id": "A1", "acheteur": {"id": "21350238800019"},
    ///   "objet": "Réfection de la voirie", "nature": "Marché", "codeCPV": "45233140-2",
    ///   "montant": 120000, "dateNotification": "2024-03-01", "procedure": "Procédure adaptée",
    ///   "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": "55204599900869"}}]}]}}"#;
    /// let jour = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// let mut e = Entrepot::new();
    /// let l = LecteurDecp::depuis_lecteur(Box::new(json.as_bytes()), OptionsImport::new(jour)).unwrap();
    /// let rapport = e.importer(l).unwrap();
    /// assert_eq!(rapport.importes, 1);
    /// let r = e.rechercher(&Recherche { mots_cles: Some("VOIRIE".into()), ..Default::default() });
    /// assert_eq!(r.total, 1);
    /// assert_eq!(r.fiches[0].provenance, "publié sur data.gouv.fr");
    /// ```
    pub fn importer(&mut self, lecteur: LecteurDecp) -> Result<RapportImport> {
        self.differer = true;
        let r = self.importer_differe(lecteur);
        // Even after an error: the records added so far must be searchable.
        self.indexer_en_attente();
        let rapport = r?;
        self.preparer();
        Ok(rapport)
    }

    fn importer_differe(&mut self, lecteur: LecteurDecp) -> Result<RapportImport> {
        let mut rapport = RapportImport {
            fichier: lecteur.fichier().map(str::to_string),
            format: Some(lecteur.format()),
            ..Default::default()
        };
        let source = self.sources.len() as u32;
        self.sources
            .push(rapport.fichier.clone().unwrap_or_else(|| "(flux)".into()));
        for el in lecteur {
            let el = el?;
            rapport.compter(&el);
            let ElementDecp::Contrat {
                contrat,
                enregistrement,
                octet,
                ..
            } = el
            else {
                continue;
            };
            let (action, detail) = match self
                .ajouter_depuis(&contrat, Some((source, enregistrement)))
            {
                Ajout::Nouveau => continue,
                Ajout::Fusionne(j) => {
                    rapport.doublons += 1;
                    (
                        ActionRapport::Doublon,
                        format!(
                            "même contrat que {} (égaux : acheteur {}, numéro, titulaires, objet, CPV et montant initial) : fusionné, l'état publié le plus récent gardé",
                            self.citer(j),
                            contrat.acheteur.id
                        ),
                    )
                }
                Ajout::Distinct(j, ecarts) => {
                    rapport.homonymes += 1;
                    (
                        ActionRapport::Anomalie,
                        format!(
                            "même acheteur ({}) et même numéro que {}, mais {} : autre contrat (lot ?), gardé à part",
                            contrat.acheteur.id,
                            self.citer(j),
                            ecarts.join(", ")
                        ),
                    )
                }
            };
            rapport.entrees.push(EntreeRapport {
                fichier: rapport.fichier.clone(),
                enregistrement,
                octet,
                id: Some(contrat.id.clone()),
                champ: String::new(),
                action,
                detail,
            });
        }
        Ok(rapport)
    }

    fn titulaires_de(&self, i: usize) -> &[(Span, Span)] {
        let a = self.tit_debut.get(i).copied().unwrap_or(0) as usize;
        let b = self.tit_debut.get(i + 1).copied().unwrap_or(0) as usize;
        self.titulaires.get(a..b).unwrap_or(&[])
    }

    /// The result card of record `i`.
    pub fn fiche(&self, i: usize) -> Option<Fiche> {
        let id = *self.ids.get(i)?;
        let a = self
            .acheteurs
            .get(self.acheteur[i] as usize)
            .copied()
            .unwrap_or_default();
        let d = self.drapeaux[i];
        let mut provenances = Vec::new();
        if d & 8 != 0 {
            provenances.push(Provenance::ProfilAcheteur);
        }
        if d & 16 != 0 {
            provenances.push(Provenance::DataGouv);
        }
        let nom = self.lire(a.1);
        Some(Fiche {
            id: self.lire(id).to_string(),
            acheteur: Acheteur {
                id: self.lire(a.0).to_string(),
                nom: if nom.is_empty() {
                    None
                } else {
                    Some(nom.to_string())
                },
            },
            objet: self.lire(self.objets[i]).to_string(),
            categorie: if d & 1 != 0 {
                CategorieContrat::Concession
            } else {
                CategorieContrat::Marche
            },
            type_contrat: TYPES
                .get(self.type_contrat[i] as usize)
                .copied()
                .unwrap_or_default(),
            nature: self
                .libelles
                .get(self.nature[i] as usize)
                .cloned()
                .unwrap_or_default(),
            nature_prestations: match (d >> 1) & 3 {
                1 => Some(NaturePrestations::Travaux),
                2 => Some(NaturePrestations::Fournitures),
                3 => Some(NaturePrestations::Services),
                _ => None,
            },
            procedure: self
                .libelles
                .get(self.procedure[i] as usize)
                .cloned()
                .unwrap_or_default(),
            code_cpv: (self.cpv[i] != 0).then(|| format!("{:08}", self.cpv[i])),
            montant: Some(self.montant[i]).filter(|m| !m.is_nan()),
            date_notification: (self.date[i] != SANS_DATE)
                .then(|| NaiveDate::from_num_days_from_ce_opt(self.date[i]))
                .flatten(),
            duree_mois: (self.duree[i] != 0).then_some(self.duree[i]),
            titulaires: self
                .titulaires_de(i)
                .iter()
                .map(|(id, nom)| {
                    let nom = self.lire(*nom);
                    TitulaireFiche {
                        id: self.lire(*id).to_string(),
                        raison_sociale: if nom.is_empty() {
                            None
                        } else {
                            Some(nom.to_string())
                        },
                    }
                })
                .collect(),
            nb_modifications: self.nb_modif[i],
            provenance: provenances
                .iter()
                .map(|p| p.libelle())
                .collect::<Vec<_>>()
                .join(" ; "),
            provenances,
        })
    }

    /// Records whose objet has all the words (`mot*` for a prefix).
    fn par_mots(&self, index: &Carte<Box<str>, Vec<u32>>, requete: &str) -> Vec<u32> {
        let mut res: Option<Vec<u32>> = None;
        let prefixes: Vec<String> = requete
            .split_whitespace()
            .filter(|m| m.ends_with('*'))
            .map(|m| super::texte::plier_texte(m.trim_end_matches('*')))
            .collect();
        let exacts: Vec<String> = super::texte::mots(
            &requete
                .split_whitespace()
                .filter(|m| !m.ends_with('*'))
                .collect::<Vec<_>>()
                .join(" "),
        );
        for m in &exacts {
            let l = index.get(m.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            res = Some(match res {
                None => l.to_vec(),
                Some(r) => intersecter(&r, l),
            });
        }
        for p in &prefixes {
            let mut u: Vec<u32> = Vec::new();
            for (k, l) in index {
                if k.starts_with(p.as_str()) {
                    u.extend_from_slice(l);
                }
            }
            u.sort_unstable();
            u.dedup();
            res = Some(match res {
                None => u,
                Some(r) => intersecter(&r, &u),
            });
        }
        res.unwrap_or_default()
    }

    fn par_identifiant(&self, q: &str) -> Option<Vec<u32>> {
        let net: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        if net.len() == 9 && net.bytes().all(|b| b.is_ascii_digit()) {
            let s: u32 = net.parse().ok()?;
            return Some(self.siren_titulaire.get(&s).cloned().unwrap_or_default());
        }
        if net.len() >= 8
            && net.bytes().any(|b| b.is_ascii_digit())
            && !net.contains(char::is_lowercase)
        {
            return Some(
                self.id_titulaire
                    .get(net.to_uppercase().as_str())
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        None
    }

    fn par_acheteur_requete(&self, q: &str) -> Vec<u32> {
        let net: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        let acheteurs: Vec<u32> = if net.len() == 14 && net.bytes().all(|b| b.is_ascii_digit()) {
            self.index_acheteur
                .get(&net)
                .copied()
                .flatten()
                .into_iter()
                .collect()
        } else if net.len() == 9 && net.bytes().all(|b| b.is_ascii_digit()) {
            self.index_acheteur
                .par_siren(&net)
                .filter_map(|v| *v)
                .collect()
        } else {
            self.par_mots(&self.mots_acheteur, q)
        };
        let mut out: Vec<u32> = Vec::new();
        for a in acheteurs {
            if let Some(l) = self.par_acheteur.get(a as usize) {
                out.extend_from_slice(l);
            }
        }
        out.sort_unstable();
        out
    }

    /// The sorted orders, built on first use after a change.
    fn tris(&self) -> &Tris {
        self.tris.get_or_init(|| {
            let n = self.len() as u32;
            let mut date: Vec<u32> = (0..n)
                .filter(|i| self.date[*i as usize] != SANS_DATE)
                .collect();
            date.sort_unstable_by_key(|i| (self.date[*i as usize], *i));
            let date_cles = date.iter().map(|i| self.date[*i as usize]).collect();
            let mut montant: Vec<u32> = (0..n)
                .filter(|i| !self.montant[*i as usize].is_nan())
                .collect();
            montant.sort_unstable_by(|a, b| {
                self.montant[*a as usize]
                    .total_cmp(&self.montant[*b as usize])
                    .then(a.cmp(b))
            });
            let montant_cles = montant.iter().map(|i| self.montant[*i as usize]).collect();
            let mut cpv: Vec<u32> = (0..n).filter(|i| self.cpv[*i as usize] != 0).collect();
            cpv.sort_unstable_by_key(|i| (self.cpv[*i as usize], *i));
            let cpv_cles = cpv.iter().map(|i| self.cpv[*i as usize]).collect();
            let mut nature: [Vec<u32>; 4] = Default::default();
            let mut categorie: [Vec<u32>; 2] = Default::default();
            for i in 0..n {
                let d = self.drapeaux[i as usize];
                nature[((d >> 1) & 3) as usize].push(i);
                categorie[(d & 1) as usize].push(i);
            }
            let mut par_provenance = ParProvenance::default();
            for d in &self.drapeaux {
                par_provenance.profil_acheteur += usize::from(d & 8 != 0);
                par_provenance.data_gouv += usize::from(d & 16 != 0);
            }
            Tris {
                date,
                date_cles,
                montant,
                montant_cles,
                cpv,
                cpv_cles,
                nature,
                categorie,
                par_provenance,
            }
        })
    }

    /// Build the sorted orders now (otherwise done by the first search after a change).
    pub fn preparer(&self) {
        self.tris();
    }

    /// Search. Criteria served by an index (words, attributaire, acheteur) give a sorted
    /// candidate list; otherwise the most selective of the sorted orders (date, amount, CPV)
    /// or of the nature/category lists drives the scan, and the other criteria are checked
    /// on the columns. A large result is paged by walking the sorted order of the requested
    /// sort, a small one by selecting the page.
    pub fn rechercher(&self, r: &Recherche) -> ResultatRecherche {
        let (total, par, page) = self.chercher(r, r.limite.min(1000));
        self.resultat(total, par, &page, r.decalage, r.limite.min(1000))
    }

    /// Every record matching `r` (its paging ignored), in its sort order, as indexes for
    /// [`Entrepot::fiche`]: to stream a large result one card at a time instead of paging.
    ///
    /// ```
    /// use mpe::donnees::{Entrepot, Recherche};
    /// let e = Entrepot::new();
    /// assert!(e.indices(&Recherche::default()).is_empty());
    /// ```
    pub fn indices(&self, r: &Recherche) -> Vec<usize> {
        let (_, _, page) = self.chercher(r, usize::MAX);
        page.into_iter().map(|i| i as usize).collect()
    }

    /// The search proper: total, counts by provenance, and the first `decalage + limite`
    /// matching records in sort order.
    fn chercher(&self, r: &Recherche, limite: usize) -> (usize, ParProvenance, Vec<u32>) {
        let tris = self.tris();
        let mut cand: Option<Vec<u32>> = None;
        let mut restreindre = |l: Vec<u32>| {
            cand = Some(match cand.take() {
                None => l,
                Some(c) => intersecter(&c, &l),
            });
        };
        if let Some(q) = r.mots_cles.as_deref().filter(|q| !q.trim().is_empty()) {
            restreindre(self.par_mots(&self.mots_objet, q));
        }
        if let Some(q) = r.attributaire.as_deref().filter(|q| !q.trim().is_empty()) {
            let l = self
                .par_identifiant(q)
                .unwrap_or_else(|| self.par_mots(&self.mots_titulaire, q));
            restreindre(l);
        }
        if let Some(q) = r.acheteur.as_deref().filter(|q| !q.trim().is_empty()) {
            restreindre(self.par_acheteur_requete(q));
        }
        let annee = r.annee.and_then(|a| {
            Some((
                NaiveDate::from_ymd_opt(a, 1, 1)?.num_days_from_ce(),
                NaiveDate::from_ymd_opt(a, 12, 31)?.num_days_from_ce(),
            ))
        });
        let d_min = r
            .date_notification_debut
            .map_or(i32::MIN, |d| d.num_days_from_ce());
        let d_max = r
            .date_notification_fin
            .map_or(i32::MAX, |d| d.num_days_from_ce());
        let (d_min, d_max) = match annee {
            Some((a, b)) => (d_min.max(a), d_max.min(b)),
            None => (d_min, d_max),
        };
        let filtre_date = d_min != i32::MIN || d_max != i32::MAX;
        let cpv = r.cpv.as_deref().map(|c| {
            c.chars()
                .filter(char::is_ascii_digit)
                .take(8)
                .collect::<String>()
        });
        let cpv_borne = cpv.as_deref().filter(|c| !c.is_empty()).and_then(|c| {
            let p: u32 = c.parse().ok()?;
            let f = 10u32.pow(8 - c.len() as u32);
            Some((p * f, (p + 1) * f))
        });
        let (m_min, m_max) = (r.montant_min, r.montant_max);
        let filtre_montant = m_min.is_some() || m_max.is_some();
        let cat = r
            .categorie
            .map(|c| u8::from(c == CategorieContrat::Concession));
        let nat = r.nature_prestations.map(|n| nature_bits(Some(n)));
        let prov = r.provenance.map(prov_bit);

        // Candidate slices from the sorted orders.
        let mut tranches: Vec<(u8, &[u32])> = Vec::new();
        if filtre_date {
            let a = tris.date_cles.partition_point(|x| *x < d_min);
            let b = tris.date_cles.partition_point(|x| *x <= d_max);
            tranches.push((0, tris.date.get(a..b.max(a)).unwrap_or(&[])));
        }
        if filtre_montant {
            let lo = m_min.unwrap_or(f64::NEG_INFINITY);
            let hi = m_max.unwrap_or(f64::INFINITY);
            let a = tris.montant_cles.partition_point(|x| *x < lo);
            let b = tris.montant_cles.partition_point(|x| *x <= hi);
            tranches.push((1, tris.montant.get(a..b.max(a)).unwrap_or(&[])));
        }
        if let Some((lo, hi)) = cpv_borne {
            let a = tris.cpv_cles.partition_point(|x| *x < lo);
            let b = tris.cpv_cles.partition_point(|x| *x < hi);
            tranches.push((2, tris.cpv.get(a..b.max(a)).unwrap_or(&[])));
        }
        if let Some(n) = nat {
            tranches.push((3, &tris.nature[n as usize]));
        }
        if let Some(c) = cat {
            tranches.push((4, &tris.categorie[c as usize]));
        }
        let pilote = tranches
            .iter()
            .min_by_key(|(_, t)| t.len())
            .map(|(k, _)| *k);
        if cand.is_none() && pilote.is_none() && prov.is_none() {
            // No criterion: everything, in the requested order, without a scan.
            let total = self.len();
            let k = r.decalage.saturating_add(limite).min(total);
            let page = self.page_par_ordre(tris, r.tri, None, k);
            return (total, tris.par_provenance, page);
        }
        let verifie = |k: u8| cand.is_some() || pilote != Some(k);
        let (v_date, v_montant, v_cpv, v_nat, v_cat) = (
            filtre_date && verifie(0),
            filtre_montant && verifie(1),
            cpv_borne.is_some() && verifie(2),
            nat.is_some() && verifie(3),
            cat.is_some() && verifie(4),
        );
        let mut par = ParProvenance::default();
        let mut res: Vec<u32> = Vec::new();
        let mut tester = |i: u32| {
            let u = i as usize;
            let d = self.drapeaux[u];
            if v_cat && cat.is_some_and(|c| d & 1 != c) {
                return;
            }
            if v_nat && nat.is_some_and(|n| (d >> 1) & 3 != n) {
                return;
            }
            if v_date {
                let x = self.date[u];
                if x == SANS_DATE || x < d_min || x > d_max {
                    return;
                }
            }
            if v_montant {
                let m = self.montant[u];
                if m.is_nan() || m_min.is_some_and(|v| m < v) || m_max.is_some_and(|v| m > v) {
                    return;
                }
            }
            if v_cpv && let Some((a, b)) = cpv_borne {
                let c = self.cpv[u];
                if c < a || c >= b {
                    return;
                }
            }
            if d & 8 != 0 {
                par.profil_acheteur += 1;
            }
            if d & 16 != 0 {
                par.data_gouv += 1;
            }
            if let Some(p) = prov
                && d & p == 0
            {
                return;
            }
            res.push(i);
        };
        match (&cand, pilote) {
            (Some(c), _) => c.iter().for_each(|i| tester(*i)),
            (None, Some(k)) => {
                let t = tranches
                    .iter()
                    .find(|(x, _)| *x == k)
                    .map_or(&[][..], |(_, t)| t);
                t.iter().for_each(|i| tester(*i))
            }
            (None, None) => (0..self.len() as u32).for_each(tester),
        }
        let total = res.len();
        let k = r.decalage.saturating_add(limite).min(total);
        // Driven by the sorted order the caller sorts by: the result is already in order.
        let ordonne = cand.is_none()
            && match r.tri {
                Tri::DateDesc | Tri::DateAsc => pilote == Some(0),
                Tri::MontantDesc | Tri::MontantAsc => pilote == Some(1),
            };
        let page: Vec<u32> = if k == 0 {
            Vec::new()
        } else if ordonne {
            self.page_ordonnee(r.tri, &res, k)
        } else if total > 20_000 {
            self.page_par_ordre(tris, r.tri, Some(&res), k)
        } else {
            let cmp = |a: &u32, b: &u32| self.comparer(r.tri, *a, *b);
            if k < total {
                res.select_nth_unstable_by(k - 1, cmp);
                res.truncate(k);
            }
            res.sort_unstable_by(cmp);
            res
        };
        (total, par, page)
    }

    fn resultat(
        &self,
        total: usize,
        par_provenance: ParProvenance,
        page: &[u32],
        decalage: usize,
        limite: usize,
    ) -> ResultatRecherche {
        let fiches = page
            .iter()
            .skip(decalage)
            .take(limite)
            .filter_map(|i| self.fiche(*i as usize))
            .collect();
        ResultatRecherche {
            total,
            par_provenance,
            fiches,
        }
    }

    /// The first `k` of `res`, already sorted ascending by the key of `tri` (then index):
    /// for a descending sort, groups of equal keys are taken from the end, each in index
    /// order, as `comparer` wants.
    fn page_ordonnee(&self, tri: Tri, res: &[u32], k: usize) -> Vec<u32> {
        if matches!(tri, Tri::DateAsc | Tri::MontantAsc) {
            return res.iter().take(k).copied().collect();
        }
        let cle = |i: u32| match tri {
            Tri::DateDesc => self.date[i as usize] as f64,
            _ => self.montant[i as usize],
        };
        let mut out = Vec::with_capacity(k);
        let mut j = res.len();
        while j > 0 && out.len() < k {
            let fin = j;
            let c = cle(res[j - 1]);
            while j > 0 && cle(res[j - 1]) == c {
                j -= 1;
            }
            out.extend(res[j..fin].iter().take(k - out.len()));
        }
        out
    }

    fn comparer(&self, tri: Tri, a: u32, b: u32) -> std::cmp::Ordering {
        let (x, y) = (a as usize, b as usize);
        let o = match tri {
            Tri::DateDesc => {
                let (p, q) = (self.date[x], self.date[y]);
                (p == SANS_DATE).cmp(&(q == SANS_DATE)).then(q.cmp(&p))
            }
            Tri::DateAsc => {
                let (p, q) = (self.date[x], self.date[y]);
                (p == SANS_DATE).cmp(&(q == SANS_DATE)).then(p.cmp(&q))
            }
            Tri::MontantDesc => {
                let (p, q) = (self.montant[x], self.montant[y]);
                p.is_nan().cmp(&q.is_nan()).then(q.total_cmp(&p))
            }
            Tri::MontantAsc => {
                let (p, q) = (self.montant[x], self.montant[y]);
                p.is_nan().cmp(&q.is_nan()).then(p.total_cmp(&q))
            }
        };
        // Ties: the sorted orders are built with the same tie-break (index ascending).
        o.then(a.cmp(&b))
    }

    /// The first `k` results in sort order, walking the sorted order and keeping members of
    /// `res` (a bitmap); records without a date or amount come last.
    fn page_par_ordre(&self, tris: &Tris, tri: Tri, res: Option<&[u32]>, k: usize) -> Vec<u32> {
        let mut bits = vec![
            0u64;
            if res.is_some() {
                self.len().div_ceil(64)
            } else {
                0
            }
        ];
        for i in res.unwrap_or(&[]) {
            if let Some(w) = bits.get_mut(*i as usize / 64) {
                *w |= 1 << (i % 64);
            }
        }
        let tous = res.is_none();
        let dedans = |i: u32| {
            tous || bits
                .get(i as usize / 64)
                .is_some_and(|w| w & (1 << (i % 64)) != 0)
        };
        let ordre: &[u32] = match tri {
            Tri::DateDesc | Tri::DateAsc => &tris.date,
            Tri::MontantDesc | Tri::MontantAsc => &tris.montant,
        };
        let desc = matches!(tri, Tri::DateDesc | Tri::MontantDesc);
        let mut out = Vec::with_capacity(k);
        let pousser = |out: &mut Vec<u32>, i: u32| {
            if out.len() < k && dedans(i) {
                out.push(i);
            }
        };
        if desc {
            // Equal keys keep index order, as in `comparer`.
            let cle = |i: u32| match tri {
                Tri::DateDesc => self.date[i as usize] as f64,
                _ => self.montant[i as usize],
            };
            let mut j = ordre.len();
            while j > 0 && out.len() < k {
                let fin = j;
                let c = cle(ordre[j - 1]);
                while j > 0 && cle(ordre[j - 1]) == c {
                    j -= 1;
                }
                for i in &ordre[j..fin] {
                    pousser(&mut out, *i);
                }
            }
        } else {
            for i in ordre {
                if out.len() >= k {
                    break;
                }
                pousser(&mut out, *i);
            }
        }
        if out.len() < k {
            let sans = |i: &&u32| match tri {
                Tri::DateDesc | Tri::DateAsc => self.date[**i as usize] == SANS_DATE,
                _ => self.montant[**i as usize].is_nan(),
            };
            let mut reste: Vec<u32> = match res {
                Some(res) => res.iter().filter(sans).copied().collect(),
                None => (0..self.len() as u32)
                    .collect::<Vec<_>>()
                    .iter()
                    .filter(sans)
                    .copied()
                    .collect(),
            };
            reste.sort_unstable();
            out.extend(reste.into_iter().take(k - out.len()));
        }
        out
    }

    // ---- file format

    /// Write the store to `w` in the compact `.mpedecp` format.
    pub fn enregistrer(&self, w: impl Write) -> Result<()> {
        let err = |e: std::io::Error| {
            Erreur::new(CodeErreur::Es, format!("écriture de l'entrepôt : {e}"))
        };
        let mut w = w;
        w.write_all(MAGIC).map_err(err)?;
        let mut z = flate2::write::ZlibEncoder::new(w, flate2::Compression::fast());
        let mut b: Vec<u8> = Vec::with_capacity(1 << 20);
        let n = self.len() as u64;
        b.extend_from_slice(&n.to_le_bytes());
        b.extend_from_slice(&(self.texte.len() as u64).to_le_bytes());
        b.extend_from_slice(&(self.titulaires.len() as u64).to_le_bytes());
        b.extend_from_slice(&(self.acheteurs.len() as u64).to_le_bytes());
        b.extend_from_slice(&(self.libelles.len() as u64).to_le_bytes());
        z.write_all(&b).map_err(err)?;
        z.write_all(self.texte.as_bytes()).map_err(err)?;
        let flush = |b: &mut Vec<u8>, z: &mut flate2::write::ZlibEncoder<_>| -> Result<()> {
            z.write_all(b).map_err(err)?;
            b.clear();
            Ok(())
        };
        b.clear();
        for i in 0..self.len() {
            for s in [self.ids[i], self.objets[i]] {
                b.extend_from_slice(&s.debut.to_le_bytes());
                b.extend_from_slice(&s.long.to_le_bytes());
            }
            b.extend_from_slice(&self.acheteur[i].to_le_bytes());
            b.push(self.drapeaux[i]);
            b.push(self.type_contrat[i]);
            b.extend_from_slice(&self.nature[i].to_le_bytes());
            b.extend_from_slice(&self.procedure[i].to_le_bytes());
            b.extend_from_slice(&self.montant[i].to_le_bytes());
            b.extend_from_slice(&self.date[i].to_le_bytes());
            b.extend_from_slice(&self.date_pub[i].to_le_bytes());
            b.extend_from_slice(&self.cpv[i].to_le_bytes());
            b.extend_from_slice(&self.duree[i].to_le_bytes());
            b.extend_from_slice(&self.nb_modif[i].to_le_bytes());
            b.extend_from_slice(&self.tit_debut[i + 1].to_le_bytes());
            b.extend_from_slice(&self.cle[i].to_le_bytes());
            if b.len() > 1 << 20 {
                flush(&mut b, &mut z)?;
            }
        }
        for (x, y) in self.titulaires.iter().chain(self.acheteurs.iter()) {
            for s in [x, y] {
                b.extend_from_slice(&s.debut.to_le_bytes());
                b.extend_from_slice(&s.long.to_le_bytes());
            }
            if b.len() > 1 << 20 {
                flush(&mut b, &mut z)?;
            }
        }
        for l in &self.libelles {
            b.extend_from_slice(&(l.len() as u32).to_le_bytes());
            b.extend_from_slice(l.as_bytes());
        }
        flush(&mut b, &mut z)?;
        z.finish().map_err(err)?.flush().map_err(err)?;
        Ok(())
    }

    /// Read a store written by [`Entrepot::enregistrer`] and rebuild its indexes.
    /// A file of another kind or version, truncated or altered, is refused with
    /// [`CodeErreur::EntrepotInvalide`].
    pub fn charger(r: impl Read) -> Result<Entrepot> {
        let inv = |m: &str| {
            Erreur::new(
                CodeErreur::EntrepotInvalide,
                format!("entrepôt DECP invalide : {m}"),
            )
        };
        let mut r = r;
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)
            .map_err(|_| inv("en-tête absent"))?;
        if &magic != MAGIC {
            return Err(inv("ce n'est pas un entrepôt mpe (ou d'une autre version)"));
        }
        let mut z = flate2::read::ZlibDecoder::new(r);
        let mut lire = |n: usize| -> Result<Vec<u8>> {
            let mut v = Vec::new();
            (&mut z)
                .take(n as u64)
                .read_to_end(&mut v)
                .map_err(|e| inv(&format!("flux altéré ({e})")))?;
            if v.len() != n {
                return Err(inv("fichier tronqué"));
            }
            Ok(v)
        };
        let h = lire(40)?;
        let u64_at = |b: &[u8], o: usize| -> u64 {
            b.get(o..o + 8)
                .and_then(|s| s.try_into().ok())
                .map_or(0, u64::from_le_bytes)
        };
        let (n, nt, ntit, nach, nlib) = (
            u64_at(&h, 0),
            u64_at(&h, 8),
            u64_at(&h, 16),
            u64_at(&h, 24),
            u64_at(&h, 32),
        );
        const LIMITE: u64 = 1 << 32;
        if n >= LIMITE || nt >= LIMITE || ntit >= LIMITE || nach >= LIMITE || nlib > 65536 {
            return Err(inv("tailles impossibles"));
        }
        let texte = String::from_utf8(lire(nt as usize)?).map_err(|_| inv("texte non UTF-8"))?;
        let mut e = Entrepot::new();
        e.texte = texte;
        const REC: usize = 8 + 8 + 4 + 1 + 1 + 2 + 2 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 8;
        let u32_at = |b: &[u8], o: usize| -> u32 {
            b.get(o..o + 4)
                .and_then(|s| s.try_into().ok())
                .map_or(0, u32::from_le_bytes)
        };
        let mut reste = n as usize;
        while reste > 0 {
            let lot = reste.min(65536);
            let b = lire(lot * REC)?;
            for k in 0..lot {
                let o = k * REC;
                e.ids.push(Span {
                    debut: u32_at(&b, o),
                    long: u32_at(&b, o + 4),
                });
                e.objets.push(Span {
                    debut: u32_at(&b, o + 8),
                    long: u32_at(&b, o + 12),
                });
                e.acheteur.push(u32_at(&b, o + 16));
                e.drapeaux.push(b[o + 20]);
                e.type_contrat.push(b[o + 21]);
                e.nature.push(u16::from_le_bytes([b[o + 22], b[o + 23]]));
                e.procedure.push(u16::from_le_bytes([b[o + 24], b[o + 25]]));
                e.montant.push(f64::from_bits(u64_at(&b, o + 26)));
                e.date.push(u32_at(&b, o + 34) as i32);
                e.date_pub.push(u32_at(&b, o + 38) as i32);
                e.cpv.push(u32_at(&b, o + 42));
                e.duree.push(u32_at(&b, o + 46));
                e.nb_modif.push(u32_at(&b, o + 50));
                e.tit_debut.push(u32_at(&b, o + 54));
                e.cle.push(u64_at(&b, o + 58));
            }
            reste -= lot;
        }
        let b = lire((ntit + nach) as usize * 16)?;
        for k in 0..(ntit + nach) as usize {
            let o = k * 16;
            let x = Span {
                debut: u32_at(&b, o),
                long: u32_at(&b, o + 4),
            };
            let y = Span {
                debut: u32_at(&b, o + 8),
                long: u32_at(&b, o + 12),
            };
            if k < ntit as usize {
                e.titulaires.push((x, y));
            } else {
                e.acheteurs.push((x, y));
            }
        }
        for _ in 0..nlib {
            let l = u32_at(&lire(4)?, 0) as usize;
            if l > 1 << 20 {
                return Err(inv("libellé trop long"));
            }
            e.libelles
                .push(String::from_utf8(lire(l)?).map_err(|_| inv("libellé non UTF-8"))?);
        }
        let mut fin = [0u8; 1];
        if z.read(&mut fin)
            .map_err(|e| inv(&format!("flux altéré ({e})")))?
            != 0
        {
            return Err(inv("données en trop après la fin"));
        }
        e.valider_et_indexer().map_err(|m| inv(&m))?;
        e.preparer();
        Ok(e)
    }

    /// Check every reference of the loaded columns, then rebuild the indexes.
    fn valider_et_indexer(&mut self) -> std::result::Result<(), String> {
        let t = self.texte.len() as u64;
        let ok_span = |s: &Span, texte: &str| {
            (s.debut as u64 + s.long as u64) <= t
                && texte.is_char_boundary(s.debut as usize)
                && texte.is_char_boundary((s.debut + s.long) as usize)
        };
        let spans_ok = self
            .ids
            .iter()
            .chain(self.objets.iter())
            .all(|s| ok_span(s, &self.texte))
            && self
                .titulaires
                .iter()
                .chain(self.acheteurs.iter())
                .all(|(a, b)| ok_span(a, &self.texte) && ok_span(b, &self.texte));
        if !spans_ok {
            return Err("référence de texte hors limites".into());
        }
        if self
            .acheteur
            .iter()
            .any(|a| *a as usize >= self.acheteurs.len())
            || self.tit_debut.windows(2).any(|w| w[0] > w[1])
            || self
                .tit_debut
                .last()
                .is_some_and(|x| *x as usize != self.titulaires.len())
            || self
                .nature
                .iter()
                .chain(self.procedure.iter())
                .any(|l| *l as usize >= self.libelles.len())
            || self.type_contrat.iter().any(|x| *x as usize >= TYPES.len())
        {
            return Err("référence interne hors limites".into());
        }
        for (k, l) in self.libelles.iter().enumerate() {
            self.index_libelle.insert(l.clone(), k as u16);
        }
        self.par_acheteur = vec![Vec::new(); self.acheteurs.len()];
        for a in 0..self.acheteurs.len() {
            let (id, nom) = self.acheteurs[a];
            let id = self.lire(id).to_string();
            let nom = self.lire(nom).to_string();
            *self.index_acheteur.entree(&id) = Some(a as u32);
            pour_chaque_mot(&nom, |m| poster(&mut self.mots_acheteur, m, a as u32));
        }
        let mut mots_objet = std::mem::take(&mut self.mots_objet);
        let mut cles = std::mem::take(&mut self.cles);
        self.differer = true;
        for i in 0..self.len() {
            let iu = i as u32;
            pour_chaque_mot(self.lire(self.objets[i]), |m| {
                poster(&mut mots_objet, m, iu)
            });
            let a = self.acheteur[i] as usize;
            if let Some(v) = self.par_acheteur.get_mut(a) {
                v.push(iu);
            }
            let tits: Vec<(String, String)> = self
                .titulaires_de(i)
                .iter()
                .map(|(x, y)| (self.lire(*x).to_string(), self.lire(*y).to_string()))
                .collect();
            for (id, nom) in &tits {
                self.indexer_titulaire(id, (!nom.is_empty()).then_some(nom.as_str()), iu);
            }
            // Records kept apart under one key are chained again, in their order.
            let cle_id = Entrepot::cle_id(
                self.acheteurs.get(a).map_or("", |x| self.lire(x.0)),
                self.lire(self.ids[i]),
            );
            match cles.get(&cle_id).copied() {
                None => {
                    cles.insert(cle_id, iu);
                }
                Some(premier) => {
                    let d = self.fin_chaine.get(&premier).copied().unwrap_or(premier);
                    self.meme_cle.insert(d, iu);
                    self.fin_chaine.insert(premier, iu);
                }
            }
        }
        self.montant_initial = vec![f64::NAN; self.len()];
        self.origine = vec![None; self.len()];
        self.indexer_en_attente();
        self.mots_objet = mots_objet;
        self.cles = cles;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::donnees::modele::{Acheteur, Titulaire};

    /// The dedup key as first written (one FNV-1a pass over every part, titulaires sorted
    /// in a vector): the keys are stored in `.mpedecp` files, and the faster split into
    /// `cle_id` + `cle_titulaires` must give the same numbers.
    fn cle_reference(acheteur: &str, id: &str, titulaires: &[&str]) -> u64 {
        let mut t = titulaires.to_vec();
        t.sort_unstable();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [acheteur, id].into_iter().chain(t) {
            for b in part.bytes().chain(std::iter::once(0xff)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    #[test]
    fn cle_comme_la_reference() {
        let tits: Vec<String> = (0..12).map(|k| format!("{:014}", 97 - k * 7)).collect();
        let tits: Vec<&str> = tits.iter().map(String::as_str).collect();
        for (acheteur, id) in [
            ("21350238800019", "2024A0001"),
            ("", ""),
            ("FR12345678901", "lot-é-1"),
        ] {
            for n in [0, 1, 2, 3, 8, 9, 12] {
                let t = &tits[..n];
                let attendu = cle_reference(acheteur, id, t);
                assert_eq!(Entrepot::cle(acheteur, id, &mut t.iter().copied()), attendu);
                assert_eq!(
                    Entrepot::cle_titulaires(
                        Entrepot::cle_id(acheteur, id),
                        &mut t.iter().rev().copied()
                    ),
                    attendu
                );
            }
            assert_eq!(
                Entrepot::cle_id(acheteur, id),
                cle_reference(acheteur, id, &[])
            );
        }
        // Known value: keys written in existing store files do not move.
        assert_eq!(
            Entrepot::cle(
                "21350238800019",
                "2024A0001",
                &mut ["55204599900869"].into_iter()
            ),
            0xecda_611f_1e60_57bd
        );
    }

    /// Paging a large result by walking the sorted orders gives exactly the full sort.
    #[test]
    fn grandes_pages_comme_le_tri_complet() {
        let mut e = Entrepot::new();
        for i in 0..30_000u32 {
            let c = Contrat {
                id: format!("C{i}"),
                acheteur: Acheteur {
                    id: format!("{:014}", i % 7),
                    nom: None,
                },
                objet: "x".into(),
                montant: if i % 11 == 0 {
                    None
                } else {
                    Some(f64::from((i * 7919) % 5000))
                },
                date_notification: if i % 13 == 0 {
                    None
                } else {
                    NaiveDate::from_num_days_from_ce_opt(738_000 + ((i * 104_729) % 900) as i32)
                },
                titulaires: vec![Titulaire {
                    id: format!("T{}", i % 3),
                    ..Default::default()
                }],
                provenances: vec![if i % 2 == 0 {
                    Provenance::DataGouv
                } else {
                    Provenance::ProfilAcheteur
                }],
                ..Default::default()
            };
            assert!(e.ajouter(&c).is_none());
        }
        for tri in [
            Tri::DateDesc,
            Tri::DateAsc,
            Tri::MontantDesc,
            Tri::MontantAsc,
        ] {
            for (prov, decalage, min) in [
                (None, 0, None),
                (None, 29_990, None),
                (Some(Provenance::DataGouv), 100, None),
                (Some(Provenance::DataGouv), 14_995, None),
                (None, 7, Some(100.0)),
                (Some(Provenance::DataGouv), 3, Some(4990.0)),
            ] {
                // With `min`, a date range and an amount floor drive the scan instead.
                let debut = min.and_then(|_| NaiveDate::from_num_days_from_ce_opt(738_100));
                let r = Recherche {
                    tri,
                    decalage,
                    limite: 30,
                    provenance: prov,
                    montant_min: min,
                    date_notification_debut: debut,
                    ..Default::default()
                };
                let res = e.rechercher(&r);
                let mut tous: Vec<u32> = (0..e.len() as u32)
                    .filter(|i| prov.is_none() || e.drapeaux[*i as usize] & 16 != 0)
                    .filter(|i| {
                        let u = *i as usize;
                        min.is_none_or(|m| {
                            e.montant[u] >= m && e.date[u] != SANS_DATE && e.date[u] >= 738_100
                        })
                    })
                    .collect();
                tous.sort_by(|a, b| e.comparer(tri, *a, *b));
                let attendus: Vec<String> = tous
                    .iter()
                    .skip(decalage)
                    .take(30)
                    .map(|i| format!("C{i}"))
                    .collect();
                let obtenus: Vec<String> = res.fiches.iter().map(|f| f.id.clone()).collect();
                assert_eq!(obtenus, attendus, "{tri:?} {prov:?} {decalage} {min:?}");
                assert_eq!(res.total, tous.len());
            }
        }
    }
}
