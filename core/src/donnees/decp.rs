//! DECP export to the 2022 format (arrêtés du 22 décembre 2022): JSON valid against the
//! official JSON Schema v2.0.3 and XML valid against the XSD v2.0.2, after checks stricter
//! than those schemas (see [`verifier_decp`]).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::modele::{CategorieContrat, Contrat, Titulaire, TypeContrat, TypeIdentifiant};
use super::siret::siret_valide;
use crate::{CodeErreur, Erreur, Result};

/// Above this amount (100 billion euros) a DECP amount is not plausible (real files carry
/// `1e17` for "unknown").
pub const MONTANT_MAX_PLAUSIBLE: f64 = 1e11;

/// Dates before this one are not plausible for DECP (typing errors such as `0222-04-29`).
pub fn date_min_plausible() -> NaiveDate {
    NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(NaiveDate::MIN)
}

pub(crate) const NATURES_MARCHE: &[&str] = &[
    "Marché",
    "Marché de partenariat",
    "Marché de défense ou de sécurité",
];
pub(crate) const NATURES_CONCESSION: &[&str] = &[
    "Concession de travaux",
    "Concession de service",
    "Concession de service public",
    "Délégation de service public",
];
pub(crate) const PROCEDURES_MARCHE: &[&str] = &[
    "Procédure adaptée",
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure avec négociation",
    "Marché passé sans publicité ni mise en concurrence préalable",
    "Dialogue compétitif",
];
pub(crate) const PROCEDURES_CONCESSION: &[&str] = &[
    "Procédure négociée ouverte",
    "Procédure non négociée ouverte",
    "Procédure négociée restreinte",
    "Procédure non négociée restreinte",
];
pub(crate) const TECHNIQUES: &[&str] = &[
    "Accord-cadre",
    "Concours",
    "Système de qualification",
    "Système d'acquisition dynamique",
    "Catalogue électronique",
    "Enchère électronique",
    "Sans objet",
];
pub(crate) const MODALITES: &[&str] = &[
    "Tranches",
    "Bons de commande",
    "Marchés subséquents",
    "Sans objet",
];
pub(crate) const CCAG: &[&str] = &[
    "Travaux",
    "Maitrise d'œuvre",
    "Fournitures courantes et services",
    "Marchés industriels",
    "Prestations intellectuelles",
    "Techniques de l'information et de la communication",
    "Pas de CCAG",
];
pub(crate) const GROUPEMENTS: &[&str] = &["Conjoint", "Solidaire", "Pas de groupement"];
pub(crate) const TYPES_PRIX: &[&str] = &[
    "Définitif ferme",
    "Définitif actualisable",
    "Définitif révisable",
    "Provisoire",
];
pub(crate) const FORMES_PRIX: &[&str] = &["Unitaire", "Forfaitaire", "Mixte"];
const SOCIALES_MARCHE: &[&str] = &[
    "Clause sociale",
    "Critère social",
    "Marché réservé",
    "Pas de considération sociale",
];
const SOCIALES_CONCESSION: &[&str] = &[
    "Clause sociale",
    "Critère social",
    "Concession réservée",
    "Pas de considération sociale",
];
const ENVIRONNEMENTALES: &[&str] = &[
    "Clause environnementale",
    "Critère environnemental",
    "Pas de considération environnementale",
];
pub(crate) const TYPES_CODE_LIEU: &[&str] = &[
    "Code postal",
    "Code commune",
    "Code arrondissement",
    "Code canton",
    "Code département",
    "Code région",
    "Code pays",
];
const VARIATIONS_PRIX: &[&str] = &["Ferme", "Actualisable", "Révisable"];

/// One failed check: which record, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Anomalie {
    /// Position of the record in the list given.
    pub index: usize,
    /// The record's `id`.
    pub enregistrement: String,
    /// DECP path of the field (e.g. `titulaires[0].id`).
    pub champ: String,
    /// French explanation.
    pub message: String,
}

struct Verif<'a> {
    /// Judged by the 2019 (v1.5) schema's rules instead of 2022's.
    v2019: bool,
    index: usize,
    id: &'a str,
    out: &'a mut Vec<Anomalie>,
    maintenant: NaiveDate,
}

impl Verif<'_> {
    fn ko(&mut self, champ: impl Into<String>, message: impl Into<String>) {
        self.out.push(Anomalie {
            index: self.index,
            enregistrement: self.id.to_string(),
            champ: champ.into(),
            message: message.into(),
        });
    }

    fn enumere(&mut self, champ: &str, v: Option<&str>, liste: &[&str]) {
        match v {
            None => self.ko(champ, "champ obligatoire absent"),
            Some(v) if !liste.contains(&v) => {
                self.ko(champ, format!("valeur « {v} » hors de la liste officielle"))
            }
            _ => {}
        }
    }

    fn liste(&mut self, champ: &str, v: &[String], liste: &[&str], defaut: bool) {
        if v.is_empty() && !defaut {
            self.ko(champ, "au moins une valeur est requise");
        }
        let mut vus = HashSet::new();
        for (i, x) in v.iter().enumerate() {
            if !liste.contains(&x.as_str()) {
                self.ko(
                    format!("{champ}[{i}]"),
                    format!("valeur « {x} » hors de la liste officielle"),
                );
            }
            if !vus.insert(x) {
                self.ko(format!("{champ}[{i}]"), format!("valeur « {x} » en double"));
            }
        }
    }

    fn date(&mut self, champ: &str, d: Option<NaiveDate>) {
        match d {
            None => self.ko(champ, "date obligatoire absente"),
            Some(d) if d < date_min_plausible() => {
                self.ko(champ, format!("date {d} invraisemblable (avant 1950)"))
            }
            Some(d) if d > self.maintenant => self.ko(
                champ,
                format!("date {d} dans le futur (aujourd'hui : {})", self.maintenant),
            ),
            _ => {}
        }
    }

    fn montant(&mut self, champ: &str, m: Option<f64>, min: f64, requis: bool) {
        match m {
            None if requis => self.ko(champ, "montant obligatoire absent"),
            None => {}
            Some(m) if !m.is_finite() || m < min => {
                self.ko(champ, format!("montant {m} inférieur à {min}"))
            }
            Some(m) if m > MONTANT_MAX_PLAUSIBLE => self.ko(
                champ,
                format!("montant {m} invraisemblable (> 100 milliards d'euros)"),
            ),
            _ => {}
        }
    }

    fn taux(&mut self, champ: &str, t: Option<f64>) {
        if let Some(t) = t
            && !(0.0..=1.0).contains(&t)
        {
            self.ko(champ, format!("taux {t} hors de [0, 1]"));
        }
    }

    fn identifiant(&mut self, champ: &str, t: &Titulaire) {
        let id = t.id.as_str();
        let ok = match t.type_identifiant {
            TypeIdentifiant::Siret => {
                if !siret_valide(id) {
                    self.ko(
                        format!("{champ}.id"),
                        format!("SIRET « {id} » invalide (14 chiffres et clé de contrôle)"),
                    );
                }
                true
            }
            TypeIdentifiant::Tva => {
                let b = id.as_bytes();
                b.len() >= 4
                    && b.len() <= 15
                    && b.iter().take(2).all(u8::is_ascii_uppercase)
                    && b.iter().skip(2).all(u8::is_ascii_alphanumeric)
            }
            _ => !id.trim().is_empty() && id.len() <= 64,
        };
        if !ok {
            self.ko(
                format!("{champ}.id"),
                format!(
                    "identifiant {} « {id} » mal formé",
                    t.type_identifiant.code()
                ),
            );
        }
    }

    fn titulaires(&mut self, champ: &str, ts: &[Titulaire], requis: bool) {
        if ts.is_empty() && requis {
            self.ko(champ, "au moins un titulaire est requis");
        }
        let mut vus = HashSet::new();
        for (i, t) in ts.iter().enumerate() {
            self.identifiant(&format!("{champ}[{i}]"), t);
            if !vus.insert((t.type_identifiant, t.id.as_str())) {
                self.ko(
                    format!("{champ}[{i}]"),
                    format!("titulaire {} en double", t.id),
                );
            }
        }
    }
}

/// Check contracts against the DECP 2022 schema and mpe's stricter rules: real dates not
/// after `maintenant` (nor before 1950), publication not before notification, SIRET check
/// digits (acheteur and titulaires), amounts at least 1 € and at most 100 billion, rates in
/// [0, 1], unique modification ids, and `idAccordCadre` coherence (a marché subséquent names
/// an accord-cadre that, if it is in the same list for the same buyer, is one).
/// Returns every failure, each naming its record and field.
pub fn verifier_decp(contrats: &[Contrat], maintenant: NaiveDate) -> Vec<Anomalie> {
    verifier(contrats, false, maintenant)
}

/// Check contracts read from a file of DECP `version` (2019 for the v1.5 format, 2022 or
/// 2024 for the current one, as [`ElementDecp::Contrat`](super::ElementDecp) gives it) by
/// the rules of that version: a 2019 record is judged by the 2019 schema (no `techniques`,
/// `ccag`, `offresRecues`... required; `formePrix` is its 2019 price form, kept by the
/// import as a `typesPrix`; identifiers of 7 to 16 characters, objet of at most 256, amounts
/// from 0), plus the same mpe checks on dates, SIRETs and plausibility.
pub fn verifier_decp_version(
    contrats: &[Contrat],
    version: u16,
    maintenant: NaiveDate,
) -> Vec<Anomalie> {
    verifier(contrats, version < 2022, maintenant)
}

fn verifier(contrats: &[Contrat], v2019: bool, maintenant: NaiveDate) -> Vec<Anomalie> {
    let mut out = Vec::new();
    let par_cle: HashMap<(&str, &str), &Contrat> = contrats
        .iter()
        .map(|c| ((c.acheteur.id.as_str(), c.id.as_str()), c))
        .collect();
    for (index, c) in contrats.iter().enumerate() {
        let mut v = Verif {
            v2019,
            index,
            id: &c.id,
            out: &mut out,
            maintenant,
        };
        let n = c.id.chars().count();
        let (id_min, objet_max) = if v2019 { (7, 256) } else { (1, 1000) };
        if n < id_min || n > 16 {
            v.ko(
                "id",
                format!("identifiant de {n} caractères ({id_min} à 16 attendus)"),
            );
        }
        let ach = if c.categorie == CategorieContrat::Concession {
            "autoriteConcedante.id"
        } else {
            "acheteur.id"
        };
        if !siret_valide(&c.acheteur.id) {
            v.ko(
                ach,
                format!("SIRET de l'acheteur « {} » invalide", c.acheteur.id),
            );
        }
        let no = c.objet.chars().count();
        if c.objet.trim().is_empty() || no > objet_max {
            v.ko(
                "objet",
                format!("objet de {no} caractères (1 à {objet_max} attendus)"),
            );
        }
        match c.duree_mois {
            None | Some(0) => v.ko("dureeMois", "durée en mois obligatoire (au moins 1)"),
            _ => {}
        }
        v.date("datePublicationDonnees", c.date_publication_donnees);
        if let (Some(n), Some(p)) = (c.date_notification, c.date_publication_donnees)
            && p < n
        {
            v.ko(
                "datePublicationDonnees",
                format!("publication ({p}) avant la notification ({n})"),
            );
        }
        match c.categorie {
            CategorieContrat::Marche => verifier_marche(&mut v, c, &par_cle),
            CategorieContrat::Concession => verifier_concession(&mut v, c),
        }
        let mut ids = HashSet::new();
        for (i, m) in c.modifications.iter().enumerate() {
            let p = format!("modifications[{i}]");
            if m.id == 0 || !ids.insert(m.id) {
                v.ko(
                    format!("{p}.id"),
                    format!("numéro de modification {} nul ou en double", m.id),
                );
            }
            let dn = if c.categorie == CategorieContrat::Marche {
                "dateNotificationModification"
            } else {
                "dateSignatureModification"
            };
            v.date(&format!("{p}.{dn}"), m.date_notification);
            v.date(
                &format!("{p}.datePublicationDonneesModification"),
                m.date_publication_donnees,
            );
            if m.duree_mois == Some(0) {
                v.ko(format!("{p}.dureeMois"), "durée nulle");
            }
            v.montant(&format!("{p}.montant"), m.montant, 1.0, false);
            v.titulaires(&format!("{p}.titulaires"), &m.titulaires, false);
        }
    }
    out
}

fn verifier_marche(v: &mut Verif<'_>, c: &Contrat, par_cle: &HashMap<(&str, &str), &Contrat>) {
    v.enumere("nature", Some(&c.nature), NATURES_MARCHE);
    v.enumere("procedure", Some(&c.procedure), PROCEDURES_MARCHE);
    match c.code_cpv.as_deref() {
        None => v.ko("codeCPV", "code CPV obligatoire absent"),
        Some(cpv) => {
            let b = cpv.as_bytes();
            let ok = (b.len() == 8 || (b.len() == 10 && b[8] == b'-' && b[9].is_ascii_digit()))
                && b.iter().take(8).all(u8::is_ascii_digit);
            if !ok {
                v.ko("codeCPV", format!("code CPV « {cpv} » mal formé"));
            }
        }
    }
    if v.v2019 {
        // 2019: only the fields of the v1.5 schema are required.
        marche_2019(v, c);
        return;
    }
    v.liste("techniques.technique", &c.techniques, TECHNIQUES, true);
    v.liste(
        "modalitesExecution.modaliteExecution",
        &c.modalites_execution,
        MODALITES,
        true,
    );
    v.enumere("ccag", c.ccag.as_deref(), CCAG);
    match c.offres_recues {
        None | Some(0) => v.ko(
            "offresRecues",
            "nombre d'offres reçues obligatoire (au moins 1)",
        ),
        _ => {}
    }
    if c.marche_innovant.is_none() {
        v.ko("marcheInnovant", "champ obligatoire absent");
    }
    if c.attribution_avance.is_none() {
        v.ko("attributionAvance", "champ obligatoire absent");
    }
    if c.sous_traitance_declaree.is_none() {
        v.ko("sousTraitanceDeclaree", "champ obligatoire absent");
    }
    v.taux("tauxAvance", c.taux_avance);
    v.taux("origineUE", c.origine_ue);
    v.taux("origineFrance", c.origine_france);
    v.enumere(
        "typeGroupementOperateurs",
        c.type_groupement_operateurs.as_deref(),
        GROUPEMENTS,
    );
    match &c.lieu_execution {
        None => v.ko("lieuExecution", "lieu d'exécution obligatoire absent"),
        Some(l) => {
            if l.code.trim().is_empty() {
                v.ko("lieuExecution.code", "code vide");
            }
            v.enumere(
                "lieuExecution.typeCode",
                Some(&l.type_code),
                TYPES_CODE_LIEU,
            );
        }
    }
    v.date("dateNotification", c.date_notification);
    v.montant("montant", c.montant, 1.0, true);
    v.liste("typesPrix.typePrix", &c.types_prix, TYPES_PRIX, false);
    v.enumere("formePrix", c.forme_prix.as_deref(), FORMES_PRIX);
    v.liste(
        "considerationsSociales.considerationSociale",
        &c.considerations_sociales,
        SOCIALES_MARCHE,
        true,
    );
    v.liste(
        "considerationsEnvironnementales.considerationEnvironnementale",
        &c.considerations_environnementales,
        ENVIRONNEMENTALES,
        true,
    );
    v.titulaires("titulaires", &c.titulaires, true);
    for (i, a) in c.actes_sous_traitance.iter().enumerate() {
        let p = format!("actesSousTraitance[{i}]");
        v.identifiant(&format!("{p}.sousTraitant"), &a.sous_traitant);
        if a.id == 0 || a.duree_mois == 0 {
            v.ko(
                format!("{p}.id"),
                "numéro et durée doivent valoir au moins 1",
            );
        }
        v.date(&format!("{p}.dateNotification"), Some(a.date_notification));
        v.date(
            &format!("{p}.datePublicationDonnees"),
            Some(a.date_publication_donnees),
        );
        v.montant(&format!("{p}.montant"), Some(a.montant), 1.0, true);
        v.enumere(
            &format!("{p}.variationPrix"),
            Some(&a.variation_prix),
            VARIATIONS_PRIX,
        );
    }
    for (i, m) in c.modifications_actes_sous_traitance.iter().enumerate() {
        let p = format!("modificationsActesSousTraitance[{i}]");
        if m.id == 0 || m.duree_mois == Some(0) {
            v.ko(
                format!("{p}.id"),
                "numéro et durée doivent valoir au moins 1",
            );
        }
        v.date(
            &format!("{p}.dateNotificationModificationSousTraitance"),
            Some(m.date_notification),
        );
        v.date(
            &format!("{p}.datePublicationDonnees"),
            Some(m.date_publication_donnees),
        );
        v.montant(&format!("{p}.montant"), m.montant, 1.0, false);
    }
    // idAccordCadre coherence.
    match (&c.id_accord_cadre, c.type_contrat) {
        (None, TypeContrat::MarcheSubsequent) => v.ko(
            "idAccordCadre",
            "un marché subséquent doit citer son accord-cadre",
        ),
        (Some(ac), t) => {
            let n = ac.chars().count();
            if n == 0 || n > 16 {
                v.ko(
                    "idAccordCadre",
                    format!("identifiant d'accord-cadre de {n} caractères (1 à 16)"),
                );
            } else if ac == &c.id {
                v.ko(
                    "idAccordCadre",
                    "le contrat se cite lui-même comme accord-cadre",
                );
            } else if t != TypeContrat::MarcheSubsequent {
                v.ko(
                    "idAccordCadre",
                    "seul un marché subséquent cite un accord-cadre",
                );
            } else if let Some(ac_c) = par_cle.get(&(c.acheteur.id.as_str(), ac.as_str()))
                && !(ac_c.type_contrat.est_accord_cadre()
                    || ac_c.techniques.iter().any(|t| t == "Accord-cadre"))
            {
                v.ko(
                    "idAccordCadre",
                    format!("le contrat {ac} cité n'est pas un accord-cadre"),
                );
            }
        }
        _ => {}
    }
}

/// The 2019 (v1.5) rules of a marché beyond the common ones.
fn marche_2019(v: &mut Verif<'_>, c: &Contrat) {
    match &c.lieu_execution {
        None => v.ko("lieuExecution", "lieu d'exécution obligatoire absent"),
        Some(l) if l.code.trim().is_empty() => v.ko("lieuExecution.code", "code vide"),
        Some(_) => {}
    }
    v.date("dateNotification", c.date_notification);
    v.montant("montant", c.montant, 0.0, true);
    // The 2019 formePrix (Ferme, Ferme et actualisable, Révisable) is imported as the
    // matching 2022 typesPrix.
    let forme = c.forme_prix.is_some()
        || c.types_prix
            .iter()
            .any(|t| t.starts_with("Définitif") || t.starts_with("Provisoire"));
    if !forme {
        v.ko("formePrix", "champ obligatoire absent");
    }
    v.titulaires("titulaires", &c.titulaires, true);
}

fn verifier_concession(v: &mut Verif<'_>, c: &Contrat) {
    v.enumere("nature", Some(&c.nature), NATURES_CONCESSION);
    v.enumere("procedure", Some(&c.procedure), PROCEDURES_CONCESSION);
    v.date("dateSignature", c.date_notification);
    v.date("dateDebutExecution", c.date_debut_execution);
    v.montant(
        "valeurGlobale",
        c.montant,
        if v.v2019 { 0.0 } else { 1.0 },
        true,
    );
    v.montant(
        "montantSubventionPublique",
        c.montant_subvention_publique.or(Some(0.0)),
        0.0,
        true,
    );
    v.liste(
        "considerationsSociales.considerationSociale",
        &c.considerations_sociales,
        SOCIALES_CONCESSION,
        true,
    );
    v.liste(
        "considerationsEnvironnementales.considerationEnvironnementale",
        &c.considerations_environnementales,
        ENVIRONNEMENTALES,
        true,
    );
    v.titulaires("concessionnaires", &c.titulaires, true);
    for (i, d) in c.donnees_execution.iter().enumerate() {
        let p = format!("donneesExecution[{i}]");
        v.date(
            &format!("{p}.datePublicationDonneesExecution"),
            Some(d.date_publication),
        );
        v.montant(
            &format!("{p}.depensesInvestissement"),
            Some(d.depenses_investissement),
            0.0,
            true,
        );
        if d.tarifs.is_empty() {
            v.ko(format!("{p}.tarifs"), "au moins un tarif est requis");
        }
        for (j, t) in d.tarifs.iter().enumerate() {
            if t.intitule.chars().count() > 256 || !(t.tarif.is_finite() && t.tarif >= 0.0) {
                v.ko(
                    format!("{p}.tarifs[{j}]"),
                    "intitulé de plus de 256 caractères ou tarif négatif",
                );
            }
        }
    }
}

fn refuser(anomalies: &[Anomalie]) -> Erreur {
    let mut msg = format!("{} anomalie(s) DECP :", anomalies.len());
    for a in anomalies.iter().take(20) {
        let _ = write!(
            msg,
            " [{} « {} »] {} : {} ;",
            a.index, a.enregistrement, a.champ, a.message
        );
    }
    let first = anomalies
        .first()
        .map(|a| format!("{}.{}", a.enregistrement, a.champ))
        .unwrap_or_default();
    Erreur::new(CodeErreur::DecpInvalide, msg).at(first)
}

fn sans_objet<'a>(v: &'a [String], defaut: &'static str) -> Vec<&'a str> {
    if v.is_empty() {
        vec![defaut]
    } else {
        v.iter().map(String::as_str).collect()
    }
}

// ---- JSON (typed, borrowed: 100 000 contracts serialize well under a second)

#[derive(Serialize)]
struct IdOut<'a> {
    id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TitOut<'a> {
    type_identifiant: &'static str,
    id: &'a str,
}

impl<'a> TitOut<'a> {
    fn de(t: &'a Titulaire) -> Self {
        TitOut {
            type_identifiant: t.type_identifiant.code(),
            id: &t.id,
        }
    }
}

macro_rules! wrapper {
    ($name:ident, $key:literal, $t:ty) => {
        #[derive(Serialize)]
        struct $name<'a> {
            #[serde(rename = $key)]
            v: $t,
        }
    };
}
wrapper!(TitW, "titulaire", TitOut<'a>);
wrapper!(ConcW, "concessionnaire", TitOut<'a>);
wrapper!(TechW, "technique", Vec<&'a str>);
wrapper!(ModalW, "modaliteExecution", Vec<&'a str>);
wrapper!(PrixW, "typePrix", Vec<&'a str>);
wrapper!(SocW, "considerationSociale", Vec<&'a str>);
wrapper!(EnvW, "considerationEnvironnementale", Vec<&'a str>);
wrapper!(ModW, "modification", ModOut<'a>);
wrapper!(ActeW, "acteSousTraitance", ActeOut<'a>);
#[derive(Serialize)]
struct ModCW {
    #[serde(rename = "modification")]
    v: ModCOut,
}
#[derive(Serialize)]
struct ModActeW {
    #[serde(rename = "modificationActeSousTraitance")]
    v: ModActeOut,
}
wrapper!(AnnW, "donneesAnnuelles", AnnOut<'a>);
wrapper!(TarifW, "tarif", TarifOut<'a>);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModOut<'a> {
    id: u32,
    date_notification_modification: Option<NaiveDate>,
    date_publication_donnees_modification: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duree_mois: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    montant: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    titulaires: Vec<TitW<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModCOut {
    id: u32,
    date_signature_modification: Option<NaiveDate>,
    date_publication_donnees_modification: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duree_mois: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valeur_globale: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActeOut<'a> {
    id: u32,
    sous_traitant: TitOut<'a>,
    duree_mois: u32,
    date_notification: NaiveDate,
    date_publication_donnees: NaiveDate,
    montant: f64,
    variation_prix: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModActeOut {
    id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    duree_mois: Option<u32>,
    date_notification_modification_sous_traitance: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    montant: Option<f64>,
    date_publication_donnees: NaiveDate,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnnOut<'a> {
    date_publication_donnees_execution: NaiveDate,
    depenses_investissement: f64,
    tarifs: Vec<TarifW<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TarifOut<'a> {
    intitule_tarif: &'a str,
    tarif: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LieuOut<'a> {
    code: &'a str,
    type_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MarcheOut<'a> {
    id: &'a str,
    acheteur: IdOut<'a>,
    nature: &'a str,
    objet: &'a str,
    #[serde(rename = "codeCPV")]
    code_cpv: &'a str,
    techniques: TechW<'a>,
    modalites_execution: ModalW<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_accord_cadre: Option<&'a str>,
    marche_innovant: bool,
    ccag: &'a str,
    offres_recues: u32,
    attribution_avance: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    taux_avance: Option<f64>,
    type_groupement_operateurs: &'a str,
    sous_traitance_declaree: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actes_sous_traitance: Vec<ActeW<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    modifications_actes_sous_traitance: Vec<ModActeW>,
    procedure: &'a str,
    lieu_execution: LieuOut<'a>,
    duree_mois: u32,
    date_notification: Option<NaiveDate>,
    date_publication_donnees: Option<NaiveDate>,
    montant: f64,
    types_prix: PrixW<'a>,
    forme_prix: &'a str,
    #[serde(rename = "origineUE", skip_serializing_if = "Option::is_none")]
    origine_ue: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origine_france: Option<f64>,
    titulaires: Vec<TitW<'a>>,
    considerations_sociales: SocW<'a>,
    considerations_environnementales: EnvW<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    modifications: Vec<ModW<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConcessionOut<'a> {
    id: &'a str,
    autorite_concedante: IdOut<'a>,
    nature: &'a str,
    objet: &'a str,
    procedure: &'a str,
    duree_mois: u32,
    date_signature: Option<NaiveDate>,
    date_publication_donnees: Option<NaiveDate>,
    date_debut_execution: Option<NaiveDate>,
    valeur_globale: f64,
    montant_subvention_publique: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    donnees_execution: Vec<AnnW<'a>>,
    concessionnaires: Vec<ConcW<'a>>,
    considerations_sociales: SocW<'a>,
    considerations_environnementales: EnvW<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    modifications: Vec<ModCW>,
}

#[derive(Serialize)]
struct Paquet<'a> {
    marches: Contenu<'a>,
}

#[derive(Serialize)]
struct Contenu<'a> {
    marche: Vec<MarcheOut<'a>>,
    #[serde(rename = "contrat-concession")]
    concession: Vec<ConcessionOut<'a>>,
}

fn marche_out(c: &Contrat) -> MarcheOut<'_> {
    let vide = "";
    MarcheOut {
        id: &c.id,
        acheteur: IdOut { id: &c.acheteur.id },
        nature: &c.nature,
        objet: &c.objet,
        code_cpv: c.code_cpv.as_deref().unwrap_or(vide),
        techniques: TechW {
            v: sans_objet(&c.techniques, "Sans objet"),
        },
        modalites_execution: ModalW {
            v: sans_objet(&c.modalites_execution, "Sans objet"),
        },
        id_accord_cadre: c.id_accord_cadre.as_deref(),
        marche_innovant: c.marche_innovant.unwrap_or(false),
        ccag: c.ccag.as_deref().unwrap_or(vide),
        offres_recues: c.offres_recues.unwrap_or(0),
        attribution_avance: c.attribution_avance.unwrap_or(false),
        taux_avance: c.taux_avance,
        type_groupement_operateurs: c.type_groupement_operateurs.as_deref().unwrap_or(vide),
        sous_traitance_declaree: c.sous_traitance_declaree.unwrap_or(false),
        actes_sous_traitance: c
            .actes_sous_traitance
            .iter()
            .map(|a| ActeW {
                v: ActeOut {
                    id: a.id,
                    sous_traitant: TitOut::de(&a.sous_traitant),
                    duree_mois: a.duree_mois,
                    date_notification: a.date_notification,
                    date_publication_donnees: a.date_publication_donnees,
                    montant: a.montant,
                    variation_prix: &a.variation_prix,
                },
            })
            .collect(),
        modifications_actes_sous_traitance: c
            .modifications_actes_sous_traitance
            .iter()
            .map(|m| ModActeW {
                v: ModActeOut {
                    id: m.id,
                    duree_mois: m.duree_mois,
                    date_notification_modification_sous_traitance: m.date_notification,
                    montant: m.montant,
                    date_publication_donnees: m.date_publication_donnees,
                },
            })
            .collect(),
        procedure: &c.procedure,
        lieu_execution: c
            .lieu_execution
            .as_ref()
            .map(|l| LieuOut {
                code: &l.code,
                type_code: &l.type_code,
            })
            .unwrap_or(LieuOut {
                code: vide,
                type_code: vide,
            }),
        duree_mois: c.duree_mois.unwrap_or(0),
        date_notification: c.date_notification,
        date_publication_donnees: c.date_publication_donnees,
        montant: c.montant.unwrap_or(0.0),
        types_prix: PrixW {
            v: c.types_prix.iter().map(String::as_str).collect(),
        },
        forme_prix: c.forme_prix.as_deref().unwrap_or(vide),
        origine_ue: c.origine_ue,
        origine_france: c.origine_france,
        titulaires: c
            .titulaires
            .iter()
            .map(|t| TitW { v: TitOut::de(t) })
            .collect(),
        considerations_sociales: SocW {
            v: sans_objet(&c.considerations_sociales, "Pas de considération sociale"),
        },
        considerations_environnementales: EnvW {
            v: sans_objet(
                &c.considerations_environnementales,
                "Pas de considération environnementale",
            ),
        },
        modifications: c
            .modifications
            .iter()
            .map(|m| ModW {
                v: ModOut {
                    id: m.id,
                    date_notification_modification: m.date_notification,
                    date_publication_donnees_modification: m.date_publication_donnees,
                    duree_mois: m.duree_mois,
                    montant: m.montant,
                    titulaires: m
                        .titulaires
                        .iter()
                        .map(|t| TitW { v: TitOut::de(t) })
                        .collect(),
                },
            })
            .collect(),
    }
}

fn concession_out(c: &Contrat) -> ConcessionOut<'_> {
    ConcessionOut {
        id: &c.id,
        autorite_concedante: IdOut { id: &c.acheteur.id },
        nature: &c.nature,
        objet: &c.objet,
        procedure: &c.procedure,
        duree_mois: c.duree_mois.unwrap_or(0),
        date_signature: c.date_notification,
        date_publication_donnees: c.date_publication_donnees,
        date_debut_execution: c.date_debut_execution,
        valeur_globale: c.montant.unwrap_or(0.0),
        montant_subvention_publique: c.montant_subvention_publique.unwrap_or(0.0),
        donnees_execution: c
            .donnees_execution
            .iter()
            .map(|d| AnnW {
                v: AnnOut {
                    date_publication_donnees_execution: d.date_publication,
                    depenses_investissement: d.depenses_investissement,
                    tarifs: d
                        .tarifs
                        .iter()
                        .map(|t| TarifW {
                            v: TarifOut {
                                intitule_tarif: &t.intitule,
                                tarif: t.tarif,
                            },
                        })
                        .collect(),
                },
            })
            .collect(),
        concessionnaires: c
            .titulaires
            .iter()
            .map(|t| ConcW { v: TitOut::de(t) })
            .collect(),
        considerations_sociales: SocW {
            v: sans_objet(&c.considerations_sociales, "Pas de considération sociale"),
        },
        considerations_environnementales: EnvW {
            v: sans_objet(
                &c.considerations_environnementales,
                "Pas de considération environnementale",
            ),
        },
        modifications: c
            .modifications
            .iter()
            .map(|m| ModCW {
                v: ModCOut {
                    id: m.id,
                    date_signature_modification: m.date_notification,
                    date_publication_donnees_modification: m.date_publication_donnees,
                    duree_mois: m.duree_mois,
                    valeur_globale: m.montant,
                },
            })
            .collect(),
    }
}

fn verifier_ou_refuser(contrats: &[Contrat], maintenant: NaiveDate) -> Result<()> {
    let a = verifier_decp(contrats, maintenant);
    if a.is_empty() {
        Ok(())
    } else {
        Err(refuser(&a))
    }
}

/// Export contracts to DECP 2022 JSON (`{"marches": {"marche": [...], "contrat-concession":
/// [...]}}`). Every contract is checked first ([`verifier_decp`]); any failure refuses the
/// whole export with [`CodeErreur::DecpInvalide`], naming record and field.
///
/// Empty lists of techniques, modalités and considérations are written as their "Sans
/// objet" / "Pas de considération" values, as the format asks.
pub fn exporter_decp_json(contrats: &[Contrat], maintenant: NaiveDate) -> Result<Vec<u8>> {
    verifier_ou_refuser(contrats, maintenant)?;
    let paquet = Paquet {
        marches: Contenu {
            marche: contrats
                .iter()
                .filter(|c| c.categorie == CategorieContrat::Marche)
                .map(marche_out)
                .collect(),
            concession: contrats
                .iter()
                .filter(|c| c.categorie == CategorieContrat::Concession)
                .map(concession_out)
                .collect(),
        },
    };
    serde_json::to_vec(&paquet).map_err(|e| Erreur::internal(format!("sérialisation DECP : {e}")))
}

// ---- XML

struct Xml {
    s: String,
}

impl Xml {
    fn texte(&mut self, nom: &str, v: &str) {
        let _ = write!(self.s, "<{nom}>");
        for ch in v.chars() {
            match ch {
                '&' => self.s.push_str("&amp;"),
                '<' => self.s.push_str("&lt;"),
                '>' => self.s.push_str("&gt;"),
                '"' => self.s.push_str("&quot;"),
                c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => self.s.push(' '),
                c => self.s.push(c),
            }
        }
        let _ = write!(self.s, "</{nom}>");
    }
    fn num(&mut self, nom: &str, v: impl std::fmt::Display) {
        let _ = write!(self.s, "<{nom}>{v}</{nom}>");
    }
    fn ouvrir(&mut self, nom: &str) {
        let _ = write!(self.s, "<{nom}>");
    }
    fn fermer(&mut self, nom: &str) {
        let _ = write!(self.s, "</{nom}>");
    }
    fn liste(&mut self, groupe: &str, nom: &str, v: &[&str]) {
        self.ouvrir(groupe);
        for x in v {
            self.texte(nom, x);
        }
        self.fermer(groupe);
    }
    fn tit(&mut self, nom: &str, t: &Titulaire) {
        self.ouvrir(nom);
        self.texte("typeIdentifiant", t.type_identifiant.code());
        self.texte("id", &t.id);
        self.fermer(nom);
    }
    fn date(&mut self, nom: &str, d: Option<NaiveDate>) {
        if let Some(d) = d {
            self.num(nom, d);
        }
    }
}

fn marche_xml(x: &mut Xml, c: &Contrat) {
    let m = marche_out(c);
    x.ouvrir("marche");
    x.texte("id", m.id);
    x.ouvrir("acheteur");
    x.texte("id", m.acheteur.id);
    x.fermer("acheteur");
    x.texte("nature", m.nature);
    x.texte("objet", m.objet);
    x.texte("codeCPV", m.code_cpv);
    x.liste("techniques", "technique", &m.techniques.v);
    x.liste(
        "modalitesExecution",
        "modaliteExecution",
        &m.modalites_execution.v,
    );
    if let Some(ac) = m.id_accord_cadre {
        x.texte("idAccordCadre", ac);
    }
    x.num("marcheInnovant", m.marche_innovant);
    x.texte("ccag", m.ccag);
    x.num("offresRecues", m.offres_recues);
    x.num("attributionAvance", m.attribution_avance);
    if let Some(t) = m.taux_avance {
        x.num("tauxAvance", t);
    }
    x.texte("typeGroupementOperateurs", m.type_groupement_operateurs);
    x.num("sousTraitanceDeclaree", m.sous_traitance_declaree);
    if !m.actes_sous_traitance.is_empty() {
        x.ouvrir("actesSousTraitance");
        for a in &m.actes_sous_traitance {
            let a = &a.v;
            x.ouvrir("acteSousTraitance");
            x.num("id", a.id);
            x.ouvrir("sousTraitant");
            x.texte("id", a.sous_traitant.id);
            x.texte("typeIdentifiant", a.sous_traitant.type_identifiant);
            x.fermer("sousTraitant");
            x.num("dureeMois", a.duree_mois);
            x.num("dateNotification", a.date_notification);
            x.num("montant", a.montant);
            x.texte("variationPrix", a.variation_prix);
            x.num("datePublicationDonnees", a.date_publication_donnees);
            x.fermer("acteSousTraitance");
        }
        x.fermer("actesSousTraitance");
    }
    if !m.modifications_actes_sous_traitance.is_empty() {
        x.ouvrir("modificationsActesSousTraitance");
        for a in &m.modifications_actes_sous_traitance {
            let a = &a.v;
            // The XSD spells the element `modificationActesSousTraitance` (the JSON Schema
            // says `modificationActeSousTraitance`).
            x.ouvrir("modificationActesSousTraitance");
            x.num("id", a.id);
            if let Some(d) = a.duree_mois {
                x.num("dureeMois", d);
            }
            x.num(
                "dateNotificationModificationSousTraitance",
                a.date_notification_modification_sous_traitance,
            );
            if let Some(mt) = a.montant {
                x.num("montant", mt);
            }
            x.num("datePublicationDonnees", a.date_publication_donnees);
            x.fermer("modificationActesSousTraitance");
        }
        x.fermer("modificationsActesSousTraitance");
    }
    x.texte("procedure", m.procedure);
    x.ouvrir("lieuExecution");
    x.texte("code", m.lieu_execution.code);
    x.texte("typeCode", m.lieu_execution.type_code);
    x.fermer("lieuExecution");
    x.num("dureeMois", m.duree_mois);
    x.date("dateNotification", m.date_notification);
    x.date("datePublicationDonnees", m.date_publication_donnees);
    x.num("montant", m.montant);
    x.liste("typesPrix", "typePrix", &m.types_prix.v);
    x.texte("formePrix", m.forme_prix);
    if let Some(o) = m.origine_ue {
        x.num("origineUE", o);
    }
    if let Some(o) = m.origine_france {
        x.num("origineFrance", o);
    }
    x.ouvrir("titulaires");
    for t in &c.titulaires {
        x.tit("titulaire", t);
    }
    x.fermer("titulaires");
    x.liste(
        "considerationsSociales",
        "considerationSociale",
        &m.considerations_sociales.v,
    );
    x.liste(
        "considerationsEnvironnementales",
        "considerationEnvironnementale",
        &m.considerations_environnementales.v,
    );
    if !c.modifications.is_empty() {
        x.ouvrir("modifications");
        for md in &c.modifications {
            x.ouvrir("modification");
            x.num("id", md.id);
            if !md.titulaires.is_empty() {
                x.ouvrir("titulaires");
                for t in &md.titulaires {
                    x.tit("titulaire", t);
                }
                x.fermer("titulaires");
            }
            x.date("dateNotificationModification", md.date_notification);
            x.date(
                "datePublicationDonneesModification",
                md.date_publication_donnees,
            );
            if let Some(d) = md.duree_mois {
                x.num("dureeMois", d);
            }
            if let Some(mt) = md.montant {
                x.num("montant", mt);
            }
            x.fermer("modification");
        }
        x.fermer("modifications");
    }
    x.fermer("marche");
}

fn concession_xml(x: &mut Xml, c: &Contrat) {
    let m = concession_out(c);
    x.ouvrir("contrat-concession");
    x.texte("id", m.id);
    x.ouvrir("autoriteConcedante");
    x.texte("id", m.autorite_concedante.id);
    x.fermer("autoriteConcedante");
    x.texte("nature", m.nature);
    x.texte("objet", m.objet);
    x.texte("procedure", m.procedure);
    x.num("dureeMois", m.duree_mois);
    x.date("dateSignature", m.date_signature);
    x.date("datePublicationDonnees", m.date_publication_donnees);
    x.date("dateDebutExecution", m.date_debut_execution);
    x.num("valeurGlobale", m.valeur_globale);
    x.num("montantSubventionPublique", m.montant_subvention_publique);
    if !c.donnees_execution.is_empty() {
        x.ouvrir("donneesExecution");
        for d in &c.donnees_execution {
            x.ouvrir("donneesAnnuelles");
            x.num("datePublicationDonneesExecution", d.date_publication);
            x.num("depensesInvestissement", d.depenses_investissement);
            x.ouvrir("tarifs");
            for t in &d.tarifs {
                x.ouvrir("tarif");
                x.texte("intituleTarif", &t.intitule);
                x.num("tarif", t.tarif);
                x.fermer("tarif");
            }
            x.fermer("tarifs");
            x.fermer("donneesAnnuelles");
        }
        x.fermer("donneesExecution");
    }
    x.ouvrir("concessionnaires");
    for t in &c.titulaires {
        x.tit("concessionnaire", t);
    }
    x.fermer("concessionnaires");
    x.liste(
        "considerationsSociales",
        "considerationSociale",
        &m.considerations_sociales.v,
    );
    x.liste(
        "considerationsEnvironnementales",
        "considerationEnvironnementale",
        &m.considerations_environnementales.v,
    );
    if !c.modifications.is_empty() {
        x.ouvrir("modifications");
        for md in &c.modifications {
            x.ouvrir("modification");
            x.num("id", md.id);
            x.date("dateSignatureModification", md.date_notification);
            x.date(
                "datePublicationDonneesModification",
                md.date_publication_donnees,
            );
            if let Some(d) = md.duree_mois {
                x.num("dureeMois", d);
            }
            if let Some(mt) = md.montant {
                x.num("valeurGlobale", mt);
            }
            x.fermer("modification");
        }
        x.fermer("modifications");
    }
    x.fermer("contrat-concession");
}

/// Export contracts to DECP 2022 XML (`<marches>` with `<marche>` and
/// `<contrat-concession>` elements), after the same checks as [`exporter_decp_json`].
///
/// ```
/// use mpe::donnees::{exporter_decp_xml, Contrat};
/// let jour = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// // An empty contract is refused, naming the field at fault.
/// let err = exporter_decp_xml(&[Contrat::default()], jour).unwrap_err();
/// assert_eq!(err.code(), mpe::CodeErreur::DecpInvalide);
/// ```
pub fn exporter_decp_xml(contrats: &[Contrat], maintenant: NaiveDate) -> Result<Vec<u8>> {
    verifier_ou_refuser(contrats, maintenant)?;
    let mut x = Xml {
        s: String::with_capacity(contrats.len() * 1500 + 64),
    };
    x.s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<marches>");
    for c in contrats {
        match c.categorie {
            CategorieContrat::Marche => marche_xml(&mut x, c),
            CategorieContrat::Concession => concession_xml(&mut x, c),
        }
    }
    x.s.push_str("</marches>\n");
    Ok(x.s.into_bytes())
}
