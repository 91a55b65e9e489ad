//! The state of a procedure: everything the library needs to decide what is allowed next.
//! The host stores it (as JSON) between actions.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::entreprise::{Entreprise, IdentifiantEntreprise};
use super::journal::TeteJournal;
use super::octets::OctetsEnveloppe;
use crate::crypto::cles::CleChiffrement;
use crate::messagerie::RegistreCourriers;
use crate::model::{Consultation, Montant, TypeEnveloppe};
use crate::rules::Constat;
use crate::{Error, ErrorCode, Result};

/// The phases of a consultation, as buyers see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Being written.
    Elaboration,
    /// Submitted to a validator.
    EnAttenteValidation,
    /// Validated, waiting for its mise en ligne (fixed date or notice publication).
    Validee,
    /// Online: companies download, ask and bid (from the mise en ligne to the DLRO).
    Consultation,
    /// From the DLRO: opening and analysis of the plis.
    OuvertureAnalyse,
    /// Decisions per lot.
    Decision,
    /// Finished and archived.
    Archivee,
    /// Cancelled.
    Annulee,
}

impl Phase {
    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            Phase::Elaboration => "Élaboration",
            Phase::EnAttenteValidation => "En attente de validation",
            Phase::Validee => "Validée (en attente de mise en ligne)",
            Phase::Consultation => "Consultation",
            Phase::OuvertureAnalyse => "Ouverture et analyse",
            Phase::Decision => "Décision",
            Phase::Archivee => "Archivée",
            Phase::Annulee => "Annulée",
        }
    }
}

/// How a pli reached the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeDepot {
    /// Submitted on the platform.
    Electronique,
    /// Received on paper, registered by an agent (registre papier).
    Papier,
}

impl ModeDepot {
    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            ModeDepot::Electronique => "électronique",
            ModeDepot::Papier => "papier",
        }
    }
}

/// Outcome of the verification of a file's signature (done by the signatures module or the
/// company's tool; the pli declares it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultatSignature {
    /// Valid signature, trusted chain.
    Valide,
    /// Cryptographically wrong, altered data or revoked certificate.
    Invalide,
    /// Could not be fully checked (unknown chain, no revocation data).
    Indeterminee,
}

/// The signature declared for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureFichier {
    /// Format: "PAdES", "CAdES", "XAdES".
    pub format: String,
    /// Verification outcome.
    pub resultat: ResultatSignature,
    /// Signer's name from the certificate, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signataire: Option<String>,
}

/// A file of an envelope, as declared at submission (the hash is of the plaintext).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fichier {
    /// File name.
    pub nom: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub sha256: String,
    /// Its signature, if signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureFichier>,
    /// The document attendu this file answers: the `libelle` of one of the consultation's
    /// `modalites.documents` for this envelope and lot (compared without case), as the
    /// company picked it for the file when submitting (the reference platforms ask the
    /// type of each file). `None`: a free piece, checked against no document attendu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// Which envelope of a pli: its kind and its lot (0 for the candidature, which is common to
/// all lots, and for a consultation non allotie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RefEnveloppe {
    /// Kind of envelope.
    pub enveloppe: TypeEnveloppe,
    /// Lot number, 0 when common or non allotie.
    #[serde(default)]
    pub lot: u32,
}

impl std::fmt::Display for RefEnveloppe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.lot == 0 {
            f.write_str(self.enveloppe.libelle())
        } else {
            write!(f, "{} (lot {})", self.enveloppe.libelle(), self.lot)
        }
    }
}

/// Opening online (decrypted on the platform) or offline (decrypted on the buyer's computer,
/// or a paper envelope opened by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeOuvertureEnveloppe {
    /// On the platform.
    EnLigne,
    /// Offline.
    HorsLigne,
}

/// Status of an envelope. JSON: `"fermee"`, `{"ouverte": {...}}` or `{"refusee": {...}}`
/// (externally tagged: parsed without buffering, which keeps large states fast to load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutEnveloppe {
    /// Closed (encrypted, or sealed paper).
    Fermee,
    /// Opened.
    Ouverte {
        /// Online or offline.
        mode: ModeOuvertureEnveloppe,
        /// When.
        #[serde(with = "super::instant")]
        le: DateTime<Utc>,
        /// Agent id.
        par: String,
        /// Differences between the decrypted files and the receipt (empty when conform).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ecarts: Vec<String>,
    },
    /// Refused (e.g. virus, unreadable), never opened.
    Refusee {
        /// Why.
        motif: String,
        /// When.
        #[serde(with = "super::instant")]
        le: DateTime<Utc>,
        /// Agent id.
        par: String,
    },
}

/// An envelope of a pli.
///
/// The state keeps what the engine needs, not the file list: that is in the receipt
/// ([`super::AccuseReception`], sent in the [`super::Evenement::PliDepose`] event and kept by
/// the host), so that a state with hundreds of plis stays small. `empreinte` is the
/// SHA-256 of the declared file list ([`empreinte_fichiers`]), against which the files found
/// at opening are checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enveloppe {
    /// Kind of envelope.
    pub enveloppe: TypeEnveloppe,
    /// Lot number, 0 when common or non allotie.
    #[serde(default)]
    pub lot: u32,
    /// Whether it was encrypted.
    pub chiffree: bool,
    /// Number of files declared (0 for paper).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fichiers: u32,
    /// Total size declared, in bytes.
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub taille: u64,
    /// SHA-256 of the declared file list (electronic plis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empreinte: Option<Empreinte>,
    /// Status.
    pub statut: StatutEnveloppe,
    /// Failed decryption attempts.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub echecs_dechiffrement: u32,
    /// What mpe computed from the envelope's bytes at the dépôt (size, SHA-256, CMS
    /// encryption), when they were handed in ([`Procedure::deposer_octets`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub octets: Option<OctetsEnveloppe>,
}

/// A SHA-256 digest, held as bytes (no allocation when a state is loaded), written as 64
/// lowercase hex digits in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Empreinte(pub [u8; 32]);

impl Empreinte {
    /// The 64 lowercase hex digits, written without allocating (a state holds one per
    /// envelope: this runs thousands of times per load).
    fn hex(&self) -> [u8; 64] {
        const CHIFFRES: &[u8; 16] = b"0123456789abcdef";
        let mut b = [0u8; 64];
        for (paire, octet) in b.chunks_exact_mut(2).zip(self.0) {
            paire[0] = CHIFFRES[usize::from(octet >> 4)];
            paire[1] = CHIFFRES[usize::from(octet & 0x0f)];
        }
        b
    }

    /// Parse 64 lowercase hex digits (a table lookup per digit, no branch per character).
    fn depuis_hex(t: &[u8]) -> Option<Empreinte> {
        /// Value of each byte as a lowercase hex digit, 0xFF when it is not one.
        const VALEURS: [u8; 256] = {
            let mut t = [0xFFu8; 256];
            let mut i = 0;
            while i < 10 {
                t[b'0' as usize + i] = i as u8;
                i += 1;
            }
            let mut i = 0;
            while i < 6 {
                t[b'a' as usize + i] = 10 + i as u8;
                i += 1;
            }
            t
        };
        if t.len() != 64 {
            return None;
        }
        let mut b = [0u8; 32];
        let mut invalide = 0u8;
        for (octet, paire) in b.iter_mut().zip(t.chunks_exact(2)) {
            let (h, l) = (
                VALEURS[usize::from(paire[0])],
                VALEURS[usize::from(paire[1])],
            );
            invalide |= h | l;
            *octet = (h << 4) | (l & 0x0f);
        }
        // Digits are at most 15: any bit above shows a non-digit.
        (invalide & 0xf0 == 0).then_some(Empreinte(b))
    }
}

impl std::fmt::Display for Empreinte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only ASCII hex digits were written.
        f.write_str(std::str::from_utf8(&self.hex()).unwrap_or_default())
    }
}

impl Serialize for Empreinte {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(std::str::from_utf8(&self.hex()).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for Empreinte {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        super::instant::avec_str(d, "une empreinte SHA-256", |t| {
            Empreinte::depuis_hex(t.as_bytes()).ok_or_else(|| {
                "empreinte : 64 chiffres hexadécimaux minuscules attendus".to_string()
            })
        })
    }
}

#[cfg(test)]
mod tests_empreinte {
    use super::Empreinte;

    #[test]
    fn hex_aller_retour_et_refus() {
        let e = Empreinte(core::array::from_fn(|i| (i * 37 + 5) as u8));
        let t = e.to_string();
        assert_eq!(t, hex::encode(e.0));
        assert_eq!(Empreinte::depuis_hex(t.as_bytes()), Some(e));
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Empreinte>(&json).unwrap(), e);
        for faux in [
            t.to_uppercase(),
            t[..62].to_string(),
            format!("{}g", &t[..63]),
            format!("{}é", &t[..62]),
            format!("{} ", &t[..63]),
        ] {
            assert!(Empreinte::depuis_hex(faux.as_bytes()).is_none(), "{faux}");
            assert!(serde_json::from_str::<Empreinte>(&format!("\"{faux}\"")).is_err());
        }
        assert!(serde_json::from_str::<Empreinte>("12").is_err());
    }
}

/// SHA-256 of a file list, independent of its order: the files sorted by name, each as
/// `nom \t taille \t sha256 \n`.
pub fn empreinte_fichiers(fichiers: &[Fichier]) -> Empreinte {
    use sha2::{Digest, Sha256};
    let mut tries: Vec<&Fichier> = fichiers.iter().collect();
    tries.sort_by(|a, b| a.nom.cmp(&b.nom));
    let mut h = Sha256::new();
    for f in tries {
        h.update(f.nom.as_bytes());
        h.update(b"\t");
        h.update(f.taille.to_string().as_bytes());
        h.update(b"\t");
        h.update(f.sha256.as_bytes());
        h.update(b"\n");
    }
    Empreinte(h.finalize().into())
}

fn is_zero64(n: &u64) -> bool {
    *n == 0
}

impl Enveloppe {
    /// Kind and lot.
    pub fn reference(&self) -> RefEnveloppe {
        RefEnveloppe {
            enveloppe: self.enveloppe,
            lot: self.lot,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Admission or rejection of a candidature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admission {
    /// Admitted or rejected.
    pub admise: bool,
    /// Reason (mandatory for a rejection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motif: Option<String>,
    /// When.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
}

/// A request to complete a candidature or an offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeComplement {
    /// What is asked.
    pub objet: String,
    /// Answer expected before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_limite: Option<DateTime<Utc>>,
    /// When asked.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
}

/// A pli (bid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pli {
    /// Pli n°, from 1, in order of receipt (electronic and paper share the numbering).
    pub numero: u32,
    /// Electronic or paper.
    pub mode: ModeDepot,
    /// The company.
    pub entreprise: Entreprise,
    /// Lots answered (`[0]` when non allotie).
    pub lots: Vec<u32>,
    /// Horodatage: time of receipt.
    #[serde(with = "super::instant")]
    pub horodatage: DateTime<Utc>,
    /// Received at or after the DLRO (paper only: electronic late plis are refused).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hors_delai: bool,
    /// A later pli of the same company that replaces this one (this one stays closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remplace_par: Option<u32>,
    /// Envelopes.
    pub enveloppes: Vec<Enveloppe>,
    /// Analysis of the candidature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission: Option<Admission>,
    /// Requests for completion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complements: Vec<DemandeComplement>,
}

impl Pli {
    /// Whether this pli may be opened at all: received in time and not replaced.
    pub fn recevable(&self) -> bool {
        !self.hors_delai && self.remplace_par.is_none()
    }

    /// The envelope with this reference.
    pub fn enveloppe(&self, r: RefEnveloppe) -> Option<&Enveloppe> {
        self.enveloppes
            .iter()
            .find(|e| e.enveloppe == r.enveloppe && e.lot == r.lot)
    }

    /// Whether the envelope exists and is open.
    pub fn est_ouverte(&self, r: RefEnveloppe) -> bool {
        self.enveloppe(r)
            .is_some_and(|e| matches!(e.statut, StatutEnveloppe::Ouverte { .. }))
    }

    /// Whether the pli answers this lot.
    pub fn repond_au_lot(&self, lot: u32) -> bool {
        self.lots.contains(&lot)
    }
}

/// A DCE download (registre des retraits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retrait {
    /// Number in the register, from 1.
    pub numero: u32,
    /// When.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// The company, or `None` for an anonymous download.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<Entreprise>,
    /// Files downloaded (empty: the whole DCE).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fichiers: Vec<String>,
}

/// The published answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reponse {
    /// Text, published to every company.
    pub texte: String,
    /// When.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
}

/// A question of a company (registre des questions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Number in the register, from 1.
    pub numero: u32,
    /// When asked.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// Who asked.
    pub entreprise: Entreprise,
    /// The question.
    pub texte: String,
    /// The answer, once published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reponse: Option<Reponse>,
}

/// One line of the ranking of offers of a lot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rang {
    /// Pli n°.
    pub pli: u32,
    /// Rank, from 1 (ties allowed).
    pub rang: u32,
    /// Score, if scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<f64>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
}

/// An attributaire: a pli and its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributaire {
    /// Pli n°.
    pub pli: u32,
    /// Amount HT of the offer retained.
    pub montant: Montant,
}

/// A decision on a lot (or on the whole consultation when non allotie, lot 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    /// Attribution to one or several attributaires (accord-cadre multi-attributaires).
    Attribution {
        /// Attributaires.
        attributaires: Vec<Attributaire>,
    },
    /// Companies selected for the next phase (candidature phase of a restricted procedure).
    Selection {
        /// Plis selected.
        plis: Vec<u32>,
    },
    /// Déclarée sans suite.
    SansSuite {
        /// Reason.
        motif: String,
    },
    /// Infructueuse (no acceptable offer).
    Infructueuse {
        /// Reason.
        motif: String,
    },
    /// Another decision.
    Autre {
        /// What was decided.
        libelle: String,
    },
}

impl Decision {
    /// The French label.
    pub fn libelle(&self) -> &'static str {
        match self {
            Decision::Attribution { .. } => "Attribution",
            Decision::Selection { .. } => "Entreprises sélectionnées",
            Decision::SansSuite { .. } => "Déclarée sans suite",
            Decision::Infructueuse { .. } => "Infructueuse",
            Decision::Autre { .. } => "Autre décision",
        }
    }
}

/// Rejection letters sent for a lot, and the standstill they start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LettresRejet {
    /// When sent.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// Sent electronically (11 days) or by post (16 days).
    pub electronique: bool,
    /// Earliest date the contract may be signed, or `None` when no standstill applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_possible_le: Option<NaiveDate>,
}

/// The decision taken on a lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLot {
    /// The decision.
    pub decision: Decision,
    /// When.
    #[serde(with = "super::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
    /// Rejection letters, once sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lettres_rejet: Option<LettresRejet>,
}

/// A link to another consultation of the same chain (suites).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lien {
    /// Consultation id.
    pub id: String,
    /// Its référence.
    pub reference: String,
}

/// Validation record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    /// When validated.
    #[serde(with = "super::instant")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "super::courriers::registre_vide")]
    pub courriers: RegistreCourriers,
    /// The encryption certificates of the opening, recorded at validation: the personal
    /// keys chosen and every secours key. Every envelope deposited must be addressed to
    /// exactly these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cles_chiffrement: Vec<CleChiffrement>,
}

/// The stored form, checked and indexed into a [`Procedure`].
#[derive(Deserialize)]
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
        })
    }
}

impl Procedure {
    /// Parse a stored state (checked: numbering and replacement links must be consistent).
    pub fn from_json(json: &str) -> Result<Procedure> {
        serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorCode::InvalidJson,
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
