//! The state of a procedure: everything the library needs to decide what is allowed next.
//! The host stores it (as JSON) between actions.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::journal::TeteJournal;
use super::modification::VersionDce;
use crate::crypto::cle_chiffrement::CleChiffrement;
use crate::messagerie::RegistreCourriers;
use crate::model::{
    Consultation, DecisionLot, Entreprise, IdentifiantEntreprise, Lien, Phase, Pli, Rang,
};
use crate::rules::Constat;
use crate::{CodeErreur, Erreur, Result};

/// A DCE download (registre des retraits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Retrait {
    /// Number in the register, from 1.
    pub numero: u32,
    /// When.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// The company, or `None` for an anonymous download.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<Entreprise>,
    /// Files downloaded (empty: the whole DCE).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fichiers: Vec<String>,
}

/// The published answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reponse {
    /// Text, published to every company.
    pub texte: String,
    /// When.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
}

/// A question of a company (registre des questions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Question {
    /// Number in the register, from 1.
    pub numero: u32,
    /// When asked.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Who asked.
    pub entreprise: Entreprise,
    /// The question.
    pub texte: String,
    /// The answer, once published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reponse: Option<Reponse>,
}

/// Validation record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Validation {
    /// When validated.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
    /// Warnings recorded at validation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avertissements: Vec<Constat>,
}

/// The state of a procedure. Build it with [`Procedure::nouvelle`], apply actions with
/// [`Procedure::appliquer`], store it as JSON ([`Procedure::to_json`] /
/// [`Procedure::from_json`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "ProcedureBrute")]
pub struct Procedure {
    /// The consultation.
    pub consultation: Consultation,
    /// The phase recorded by the last action (time-driven changes are recorded by the next
    /// action; see [`Procedure::phase_a`] for the phase at a given time).
    pub phase: Phase,
    /// Validation, once validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
    /// Instant of the mise en ligne, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mise_en_ligne: Option<DateTime<Utc>>,
    /// Instant of the DLRO (fixed at validation and at each report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlro: Option<DateTime<Utc>>,
    /// Plis, electronic and paper; `plis[n - 1]` is pli n°`n`.
    #[serde(default)]
    pub plis: Vec<Pli>,
    /// Registre des retraits.
    #[serde(default)]
    pub retraits: Vec<Retrait>,
    /// Registre des questions.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Ranking of offers per lot.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub classements: BTreeMap<u32, Vec<Rang>>,
    /// Decisions per lot (0 when non allotie).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decisions: BTreeMap<u32, DecisionLot>,
    /// When this consultation is a suite: the companies admitted to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprises_admises: Option<Vec<IdentifiantEntreprise>>,
    /// Procédure amont (the consultation this one follows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amont: Option<Lien>,
    /// Procédures aval (suites of this one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aval: Vec<Lien>,
    /// Head of the journal (length, last hash, last time).
    pub journal: TeteJournal,
    /// Motif of the cancellation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motif_annulation: Option<String>,
    /// Registre des courriers: the letters sent, with their acknowledgement and answer
    /// (token hashes only).
    #[serde(default, skip_serializing_if = "registre_vide")]
    pub courriers: RegistreCourriers,
    /// The encryption certificates of the opening, recorded at validation: the personal
    /// keys chosen and every secours key. Every envelope deposited must be addressed to
    /// exactly these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cles_chiffrement: Vec<CleChiffrement>,
    /// The versions of the DCE made by modifications after publication (version 1, the one
    /// published at validation, is not listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions_dce: Vec<VersionDce>,
}

/// The stored form, checked and indexed into a [`Procedure`].
#[derive(Deserialize, schemars::JsonSchema)]
struct ProcedureBrute {
    consultation: Consultation,
    phase: Phase,
    #[serde(default)]
    validation: Option<Validation>,
    #[serde(default)]
    mise_en_ligne: Option<DateTime<Utc>>,
    #[serde(default)]
    dlro: Option<DateTime<Utc>>,
    #[serde(default)]
    plis: Vec<Pli>,
    #[serde(default)]
    retraits: Vec<Retrait>,
    #[serde(default)]
    questions: Vec<Question>,
    #[serde(default)]
    classements: BTreeMap<u32, Vec<Rang>>,
    #[serde(default)]
    decisions: BTreeMap<u32, DecisionLot>,
    #[serde(default)]
    entreprises_admises: Option<Vec<IdentifiantEntreprise>>,
    #[serde(default)]
    amont: Option<Lien>,
    #[serde(default)]
    aval: Vec<Lien>,
    journal: TeteJournal,
    #[serde(default)]
    motif_annulation: Option<String>,
    #[serde(default)]
    courriers: RegistreCourriers,
    #[serde(default)]
    cles_chiffrement: Vec<CleChiffrement>,
    #[serde(default)]
    versions_dce: Vec<VersionDce>,
}

impl TryFrom<ProcedureBrute> for Procedure {
    type Error = String;

    fn try_from(b: ProcedureBrute) -> std::result::Result<Procedure, String> {
        // A stored state may come from anywhere: check the invariants the engine relies on
        // (numbering, replacement links) so that a tampered state cannot confuse it.
        // Borrowed keys: checking costs no copy of the identifiers.
        let mut courants: HashSet<&IdentifiantEntreprise> = HashSet::with_capacity(b.plis.len());
        for (i, p) in b.plis.iter().enumerate() {
            if p.numero as usize != i + 1 {
                return Err(format!(
                    "plis[{i}] : numéro {} au lieu de {}",
                    p.numero,
                    i + 1
                ));
            }
            match p.remplace_par {
                None => {
                    if !p.hors_delai && !courants.insert(&p.entreprise.identifiant) {
                        return Err(format!(
                            "plis[{i}] : deux plis de {} sans remplacement",
                            p.entreprise.identifiant
                        ));
                    }
                }
                Some(n) if n == p.numero || n == 0 || n as usize > b.plis.len() => {
                    return Err(format!(
                        "plis[{i}] : remplacement par le pli {n} incohérent"
                    ));
                }
                Some(_) => {}
            }
        }
        drop(courants);
        for (i, r) in b.retraits.iter().enumerate() {
            if r.numero as usize != i + 1 {
                return Err(format!("retraits[{i}] : numéro incohérent"));
            }
        }
        for (i, q) in b.questions.iter().enumerate() {
            if q.numero as usize != i + 1 {
                return Err(format!("questions[{i}] : numéro incohérent"));
            }
        }
        Ok(Procedure {
            consultation: b.consultation,
            phase: b.phase,
            validation: b.validation,
            mise_en_ligne: b.mise_en_ligne,
            dlro: b.dlro,
            plis: b.plis,
            retraits: b.retraits,
            questions: b.questions,
            classements: b.classements,
            decisions: b.decisions,
            entreprises_admises: b.entreprises_admises,
            amont: b.amont,
            aval: b.aval,
            journal: b.journal,
            motif_annulation: b.motif_annulation,
            courriers: b.courriers,
            cles_chiffrement: b.cles_chiffrement,
            versions_dce: b.versions_dce,
        })
    }
}

impl Procedure {
    /// Parse a stored state (checked: numbering and replacement links must be consistent).
    pub fn from_json(json: &str) -> Result<Procedure> {
        serde_json::from_str(json).map_err(|e| {
            Erreur::new(
                CodeErreur::JsonInvalide,
                format!("état de la procédure : JSON invalide : {e}"),
            )
        })
    }

    /// The JSON to store.
    pub fn to_json(&self) -> String {
        // Sized up front: a large state is written without regrowing the buffer.
        let mut out = Vec::with_capacity(
            4096 + self.plis.len() * 1024 + (self.retraits.len() + self.questions.len()) * 256,
        );
        // Plain data with string keys only: serialization cannot fail, and serde_json
        // writes UTF-8.
        match serde_json::to_writer(&mut out, self) {
            Ok(()) => String::from_utf8(out).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The phase at time `t`: the recorded phase, moved on by the mise en ligne and the DLRO
    /// when they have passed.
    pub fn phase_a(&self, t: DateTime<Utc>) -> Phase {
        match self.phase {
            Phase::Validee | Phase::Consultation => {
                if self.dlro.is_some_and(|d| t >= d) {
                    Phase::OuvertureAnalyse
                } else if self.mise_en_ligne.is_some_and(|m| t >= m) {
                    Phase::Consultation
                } else {
                    self.phase
                }
            }
            p => p,
        }
    }

    /// Pli n°`n`.
    pub fn pli(&self, n: u32) -> Option<&Pli> {
        (n as usize).checked_sub(1).and_then(|i| self.plis.get(i))
    }

    pub(crate) fn pli_mut(&mut self, n: u32) -> Option<&mut Pli> {
        (n as usize)
            .checked_sub(1)
            .and_then(|i| self.plis.get_mut(i))
    }

    /// Lot numbers of the consultation (`[0]` when non allotie).
    pub fn lots(&self) -> Vec<u32> {
        self.consultation.numeros_lots()
    }

    /// Whether `lot` is a lot of the consultation (0 when non allotie).
    pub fn lot_existe(&self, lot: u32) -> bool {
        if self.consultation.identification.allotie {
            lot != 0 && self.consultation.lot(lot).is_some()
        } else {
            lot == 0
        }
    }

    /// The plis that count for a lot: received in time, not replaced, answering the lot.
    pub fn plis_recevables(&self, lot: u32) -> impl Iterator<Item = &Pli> {
        self.plis
            .iter()
            .filter(move |p| p.recevable() && p.repond_au_lot(lot))
    }
}

fn registre_vide(r: &RegistreCourriers) -> bool {
    r.entrees.is_empty()
}
