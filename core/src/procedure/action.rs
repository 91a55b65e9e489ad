//! What an actor asks: the actions applied to a procedure.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::CodeErreur;
use crate::crypto::cle_chiffrement::CleChiffrement;
use crate::messagerie::EvenementCourrier;
use crate::model::Entreprise;
use crate::model::{Consultation, TypeEnveloppe};
use crate::model::{Decision, Fichier, ModeOuvertureEnveloppe, Rang, RefEnveloppe};

/// An envelope as submitted in an electronic pli.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EnveloppeDeposee {
    /// Kind of envelope.
    pub enveloppe: TypeEnveloppe,
    /// Lot (0 for the candidature and when non allotie).
    #[serde(default)]
    pub lot: u32,
    /// Whether the envelope is encrypted (CMS), as declared. With the envelope's bytes
    /// ([`super::Procedure::deposer_octets`]) mpe finds it out itself and a wrong
    /// declaration is refused; without them `true` is refused (`OCTETS_REQUIS`), as is
    /// any dépôt without them when the consultation requires encryption.
    #[serde(default)]
    pub chiffree: bool,
    /// The files inside, as the company's tool declared them (plaintext hash, signature):
    /// checked against what the opening finds.
    pub fichiers: Vec<Fichier>,
    /// SHA-256 of the envelope's bytes, when the host wants it checked (64 lowercase hex
    /// digits); mpe computes it from the bytes and records its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Size of the envelope's bytes, when the host wants it checked (with the bytes only,
    /// as `sha256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taille: Option<u64>,
}

/// Outcome of the decryption of an envelope (done by the encryption module or the buyer's
/// tool, given here as an input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "resultat", rename_all = "snake_case")]
pub enum ResultatDechiffrement {
    /// Decrypted (or a paper envelope opened): the files found.
    Ok {
        /// Files found, with their hash.
        #[serde(default)]
        fichiers: Vec<Fichier>,
    },
    /// Decryption failed.
    Echec {
        /// The error code of the decryption (4xx).
        code: CodeErreur,
        /// Its message.
        message: String,
    },
}

/// One envelope to open in an [`Action::Ouvrir`] batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OuvertureEnveloppe {
    /// Pli n°.
    pub pli: u32,
    /// Which envelope.
    pub enveloppe: RefEnveloppe,
    /// Outcome of its decryption.
    #[serde(flatten)]
    pub resultat: ResultatDechiffrement,
}

/// An action on a procedure. JSON: `{"type": "deposer", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Replace the consultation's content (Élaboration; same id).
    ModifierConsultation {
        /// The new content.
        consultation: Box<Consultation>,
    },
    /// Submit for validation (rules must pass).
    DemanderValidation,
    /// Send back to Élaboration.
    RefuserValidation {
        /// Why.
        motif: String,
    },
    /// Validate (rules must pass; warnings are recorded). `cles`: the encryption
    /// certificates of the opening, the personal keys chosen and every secours key of the
    /// organisation; recorded in the state and the journal, and every envelope deposited
    /// must then be addressed to exactly them.
    Valider {
        /// Encryption certificates (at least one personal and one secours key when
        /// encryption is required).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cles: Vec<CleChiffrement>,
    },
    /// Record the publication of the notice (mise en ligne when the rule waits for it).
    ConstaterPublicationAvis {
        /// Date of publication, Europe/Paris.
        date: NaiveDateTime,
    },
    /// Modify the published consultation (Consultation phase): replace or add pièces of the
    /// DCE (each with its SHA-256), change the fields allowed after publication, postpone the
    /// DLRO. `consultation` is the consultation as modified; mpe finds the changes, refuses
    /// any other (`MODIFICATION_INTERDITE`, `DLRO_AVANCEE`), makes a new DCE version and
    /// journals it with the companies of the retraits register to write to.
    ModifierConsultationPubliee {
        /// The consultation as modified (same id).
        consultation: Box<Consultation>,
        /// Why (in the letter of modification).
        motif: String,
    },
    /// Move the DLRO (Consultation phase).
    ReporterDlro {
        /// New DLRO, Europe/Paris.
        dlro: NaiveDateTime,
        /// Why.
        motif: String,
    },
    /// Record the phase changes due to time (mise en ligne, DLRO) without doing anything else.
    Actualiser,
    /// Record a DCE download.
    EnregistrerRetrait {
        /// The company, or none for an anonymous download.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entreprise: Option<Entreprise>,
        /// Access code (restricted consultation).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code_acces: Option<String>,
        /// Files downloaded (empty: the whole DCE).
        #[serde(default)]
        fichiers: Vec<String>,
    },
    /// Ask a question.
    PoserQuestion {
        /// Who asks.
        entreprise: Entreprise,
        /// The question.
        texte: String,
        /// Access code (restricted consultation).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code_acces: Option<String>,
    },
    /// Publish the answer to a question.
    RepondreQuestion {
        /// Question number.
        question: u32,
        /// The answer.
        reponse: String,
    },
    /// Submit an electronic pli.
    Deposer {
        /// The company.
        entreprise: Entreprise,
        /// Lots answered (empty or `[0]` when non allotie).
        #[serde(default)]
        lots: Vec<u32>,
        /// Envelopes.
        enveloppes: Vec<EnveloppeDeposee>,
        /// Access code (restricted consultation).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code_acces: Option<String>,
    },
    /// Register a paper pli (registre papier).
    EnregistrerPliPapier {
        /// The company.
        entreprise: Entreprise,
        /// Lots answered.
        #[serde(default)]
        lots: Vec<u32>,
        /// Envelopes received.
        enveloppes: Vec<RefEnveloppe>,
        /// Time of receipt (mailroom stamp).
        recu_le: DateTime<Utc>,
    },
    /// Open envelopes (all checks pass or none is opened).
    Ouvrir {
        /// Online or offline.
        mode: ModeOuvertureEnveloppe,
        /// Envelopes and their decryption outcome, in order.
        enveloppes: Vec<OuvertureEnveloppe>,
    },
    /// Refuse an envelope (never opened).
    RefuserEnveloppe {
        /// Pli n°.
        pli: u32,
        /// Which envelope.
        enveloppe: RefEnveloppe,
        /// Why.
        motif: String,
    },
    /// Admit or reject a candidature.
    AnalyserCandidature {
        /// Pli n°.
        pli: u32,
        /// Admitted or rejected.
        admise: bool,
        /// Reason (mandatory for a rejection).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        motif: Option<String>,
    },
    /// Ask a company to complete its pli.
    DemanderComplement {
        /// Pli n°.
        pli: u32,
        /// What is asked.
        objet: String,
        /// Before when.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date_limite: Option<DateTime<Utc>>,
    },
    /// Rank the offers of a lot (replaces an earlier ranking).
    ClasserOffres {
        /// Lot.
        lot: u32,
        /// Ranking.
        classement: Vec<Rang>,
    },
    /// Move to the Décision phase.
    PasserEnDecision,
    /// Decide on a lot (0 when non allotie).
    Decider {
        /// Lot.
        lot: u32,
        /// The decision.
        decision: Decision,
    },
    /// Reset the decision of a lot back to undecided (sélection, sans suite, infructueux,
    /// autre, or an attribution whose rejection letters have not gone out). An attribution
    /// whose rejection letters went out is only reset by an explicit withdrawal
    /// (`retrait: true`), journalled as such.
    ReinitialiserDecision {
        /// Lot.
        lot: u32,
        /// Why.
        motif: String,
        /// Explicit withdrawal (retrait) of an attribution already notified to the others.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        retrait: bool,
    },
    /// Record that rejection letters were sent for a lot (starts the standstill).
    EnvoyerLettresRejet {
        /// Lot.
        lot: u32,
        /// Sent electronically (11 days) or by post (16 days).
        electronique: bool,
    },
    /// Cancel the consultation.
    Annuler {
        /// Why.
        motif: String,
    },
    /// Archive the consultation (every lot decided, or cancelled).
    Archiver,
    /// Record the letters prepared by `messagerie::preparer_envoi` (one
    /// [`EvenementCourrier::Envoye`] per message), before the host sends them: each becomes
    /// a journal event and a line of the courriers register. Needs the habilitation
    /// *envoyer des courriers*; the events must be of this consultation and of the acting
    /// agent.
    EnregistrerCourrier {
        /// The events of the sending, in order.
        evenements: Vec<EvenementCourrier>,
    },
    /// A recipient opened the acknowledgement link of a letter. Unknown token:
    /// `JETON_INCONNU`; a second opening is accepted and records nothing (the first date
    /// stands).
    AccuserReceptionCourrier {
        /// The token of the link.
        jeton: String,
    },
    /// A recipient answered a letter (recorded by an agent, or by the company itself when
    /// the letter went to one of its recorded addresses).
    RepondreCourrier {
        /// `Message-ID` of the letter answered (the answer's `In-Reply-To`).
        message_id: String,
        /// `Message-ID` of the answer, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id_reponse: Option<String>,
    },
}

impl Action {
    /// The action's name as in JSON (`"deposer"`), for messages.
    pub fn nom(&self) -> &'static str {
        match self {
            Action::ModifierConsultation { .. } => "modifier_consultation",
            Action::DemanderValidation => "demander_validation",
            Action::RefuserValidation { .. } => "refuser_validation",
            Action::Valider { .. } => "valider",
            Action::ConstaterPublicationAvis { .. } => "constater_publication_avis",
            Action::ModifierConsultationPubliee { .. } => "modifier_consultation_publiee",
            Action::ReporterDlro { .. } => "reporter_dlro",
            Action::Actualiser => "actualiser",
            Action::EnregistrerRetrait { .. } => "enregistrer_retrait",
            Action::PoserQuestion { .. } => "poser_question",
            Action::RepondreQuestion { .. } => "repondre_question",
            Action::Deposer { .. } => "deposer",
            Action::EnregistrerPliPapier { .. } => "enregistrer_pli_papier",
            Action::Ouvrir { .. } => "ouvrir",
            Action::RefuserEnveloppe { .. } => "refuser_enveloppe",
            Action::AnalyserCandidature { .. } => "analyser_candidature",
            Action::DemanderComplement { .. } => "demander_complement",
            Action::ClasserOffres { .. } => "classer_offres",
            Action::PasserEnDecision => "passer_en_decision",
            Action::Decider { .. } => "decider",
            Action::ReinitialiserDecision { .. } => "reinitialiser_decision",
            Action::EnvoyerLettresRejet { .. } => "envoyer_lettres_rejet",
            Action::Annuler { .. } => "annuler",
            Action::Archiver => "archiver",
            Action::EnregistrerCourrier { .. } => "enregistrer_courrier",
            Action::AccuserReceptionCourrier { .. } => "accuser_reception_courrier",
            Action::RepondreCourrier { .. } => "repondre_courrier",
        }
    }
}
