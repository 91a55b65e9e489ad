//! What happened: the events an action produces, recorded in the journal.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::CodeErreur;
use crate::crypto::cle_chiffrement::CleChiffrement;
use crate::messagerie::EvenementCourrier;
use crate::model::AccuseReception;
use crate::model::{Decision, Fichier, Lien, ModeOuvertureEnveloppe, Phase, Rang, RefEnveloppe};
use crate::model::{Destinataire, IdentifiantEntreprise};
use crate::rules::Constat;

use super::modification::ChangementConsultation;

/// An event of the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evenement {
    /// The consultation was created.
    ConsultationCreee {
        /// Its id.
        consultation: String,
        /// Its référence.
        reference: String,
    },
    /// The consultation was edited (Élaboration).
    ConsultationModifiee,
    /// The phase changed (from the mise en ligne or the DLRO, or by an action).
    PhaseChangee {
        /// Previous phase.
        de: Phase,
        /// New phase.
        vers: Phase,
        /// When the change took effect (the DLRO instant for the opening).
        le: DateTime<Utc>,
    },
    /// Validation requested; the rules pass (warnings listed).
    ValidationDemandee {
        /// Warnings.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        avertissements: Vec<Constat>,
    },
    /// The validator sent the consultation back to Élaboration.
    ValidationRefusee {
        /// Why.
        motif: String,
    },
    /// Validated.
    ConsultationValidee {
        /// Warnings recorded.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        avertissements: Vec<Constat>,
        /// Instant of the mise en ligne, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mise_en_ligne: Option<DateTime<Utc>>,
        /// Instant of the DLRO.
        dlro: DateTime<Utc>,
        /// The encryption certificates of the opening.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cles: Vec<CleChiffrement>,
    },
    /// The notice was published (sets the mise en ligne when it waits for it).
    AvisPublie {
        /// Date of publication, Europe/Paris.
        date: NaiveDateTime,
    },
    /// The published consultation was modified: a new version of the DCE.
    ConsultationPublieeModifiee {
        /// Version of the DCE it makes (from 2).
        version: u32,
        /// Why.
        motif: String,
        /// What changed.
        changements: Vec<ChangementConsultation>,
        /// Companies of the retraits register, to whom the letter of modification goes.
        destinataires: Vec<Destinataire>,
        /// Warnings of the rules run again (delays).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        avertissements: Vec<Constat>,
    },
    /// The DLRO was moved.
    DlroReportee {
        /// Previous DLRO.
        ancienne: DateTime<Utc>,
        /// New DLRO.
        nouvelle: DateTime<Utc>,
        /// Why.
        motif: String,
        /// Companies to inform (identified retraits, questions and bidders).
        destinataires: Vec<Destinataire>,
    },
    /// A DCE download was recorded.
    RetraitEnregistre {
        /// Number in the register.
        numero: u32,
        /// The company, or none when anonymous.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entreprise: Option<IdentifiantEntreprise>,
    },
    /// A question was asked.
    QuestionPosee {
        /// Number in the register.
        numero: u32,
        /// Who asked.
        entreprise: IdentifiantEntreprise,
    },
    /// An answer was published to every company.
    ReponsePubliee {
        /// Question number.
        question: u32,
        /// Companies to inform.
        destinataires: Vec<Destinataire>,
    },
    /// An electronic pli was accepted.
    PliDepose {
        /// The receipt sent to the company.
        accuse: AccuseReception,
        /// The earlier pli of the company it replaces (which stays closed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remplace: Option<u32>,
    },
    /// A paper pli was registered.
    PliPapierEnregistre {
        /// Pli n°.
        pli: u32,
        /// The company.
        entreprise: IdentifiantEntreprise,
        /// Lots.
        lots: Vec<u32>,
        /// Time of receipt.
        recu_le: DateTime<Utc>,
        /// Received at or after the DLRO (registered, never opened).
        hors_delai: bool,
        /// The pli of the company it replaces, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remplace: Option<u32>,
        /// The pli of the company that replaces it (received later), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remplace_par: Option<u32>,
    },
    /// An envelope was opened.
    EnveloppeOuverte {
        /// Pli n°.
        pli: u32,
        /// Which envelope.
        enveloppe: RefEnveloppe,
        /// Online or offline.
        mode: ModeOuvertureEnveloppe,
        /// Files found after decryption.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fichiers: Vec<Fichier>,
        /// Differences with the receipt (empty when conform).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ecarts: Vec<String>,
    },
    /// Decryption failed; the envelope stays closed.
    DechiffrementEchoue {
        /// Pli n°.
        pli: u32,
        /// Which envelope.
        enveloppe: RefEnveloppe,
        /// Erreur code of the decryption.
        code: CodeErreur,
        /// Its message.
        message: String,
    },
    /// An envelope was refused.
    EnveloppeRefusee {
        /// Pli n°.
        pli: u32,
        /// Which envelope.
        enveloppe: RefEnveloppe,
        /// Why.
        motif: String,
    },
    /// A candidature was admitted or rejected.
    CandidatureAnalysee {
        /// Pli n°.
        pli: u32,
        /// Admitted or rejected.
        admise: bool,
        /// Reason.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        motif: Option<String>,
    },
    /// A completion was requested.
    ComplementDemande {
        /// Pli n°.
        pli: u32,
        /// What.
        objet: String,
        /// Before when.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date_limite: Option<DateTime<Utc>>,
    },
    /// Offers of a lot were ranked.
    OffresClassees {
        /// Lot.
        lot: u32,
        /// Ranking.
        classement: Vec<Rang>,
    },
    /// A decision was taken on a lot.
    DecisionPrise {
        /// Lot (0 when non allotie).
        lot: u32,
        /// The decision.
        decision: Decision,
    },
    /// A decision was reset: the lot is undecided again.
    DecisionReinitialisee {
        /// Lot.
        lot: u32,
        /// The decision that was reset.
        ancienne: Decision,
        /// Why.
        motif: String,
        /// An explicit withdrawal of an attribution whose rejection letters went out.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        retrait: bool,
    },
    /// Rejection letters were sent for a lot.
    LettresRejetEnvoyees {
        /// Lot.
        lot: u32,
        /// Electronically or by post.
        electronique: bool,
        /// Companies not retained.
        destinataires: Vec<Destinataire>,
        /// Earliest signature date (end of standstill), none when no standstill applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature_possible_le: Option<NaiveDate>,
    },
    /// A follow-up consultation was created from this one.
    SuiteCreee {
        /// The suite.
        suite: Lien,
        /// Companies admitted to it.
        entreprises: Vec<IdentifiantEntreprise>,
    },
    /// This consultation was created as the suite of another.
    CreeeCommeSuite {
        /// The procédure amont.
        amont: Lien,
        /// Companies admitted.
        entreprises: Vec<IdentifiantEntreprise>,
    },
    /// The consultation was cancelled.
    ConsultationAnnulee {
        /// Why.
        motif: String,
    },
    /// The consultation was archived.
    ConsultationArchivee,
    /// A letter was sent to one recipient, acknowledged or answered.
    Courrier {
        /// What happened to it.
        courrier: EvenementCourrier,
    },
}
