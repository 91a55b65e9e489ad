//! The consultation, tab by tab as the buyer fills it in: identification, lots, DUME,
//! calendrier, pièces, modalités de réponse, accès.

use chrono::{DateTime, NaiveDateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Montant;
use crate::{CodeErreur, Erreur, Result};

/// Standard consultation, or the reduced form for simple requests (demande de devis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormeConsultation {
    /// Every tab.
    #[default]
    Standard,
    /// Identification, DLRO, DCE and access only.
    Simplifiee,
}

/// Kind of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeAnnonce {
    /// Annonce de consultation (bids are received).
    #[default]
    Consultation,
    /// Annonce d'information (préinformation).
    Information,
    /// Annonce d'attribution.
    Attribution,
}

/// Kind of contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeContrat {
    /// Marché public.
    #[default]
    Marche,
    /// Accord-cadre mono-attributaire.
    AccordCadreMonoAttributaire,
    /// Accord-cadre multi-attributaires.
    AccordCadreMultiAttributaires,
    /// Marché subséquent à un accord-cadre.
    MarcheSubsequent,
    /// Système d'acquisition dynamique.
    SystemeAcquisitionDynamique,
    /// Marché spécifique (SAD).
    MarcheSpecifique,
    /// Contrat de concession.
    Concession,
    /// Marché de partenariat.
    MarchePartenariat,
    /// Marché global de performance / conception-réalisation.
    MarcheGlobal,
}

/// Catégorie principale of the purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CategoriePrincipale {
    /// Travaux.
    Travaux,
    /// Fournitures.
    #[default]
    Fournitures,
    /// Services.
    Services,
}

/// Type of procedure (Code de la commande publique).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeProcedure {
    /// Appel d'offres ouvert (R. 2161-2 s.).
    #[default]
    AppelOffresOuvert,
    /// Appel d'offres restreint (R. 2161-6 s.).
    AppelOffresRestreint,
    /// Procédure adaptée ouverte (R. 2123-1).
    ProcedureAdapteeOuverte,
    /// Procédure adaptée restreinte.
    ProcedureAdapteeRestreinte,
    /// Procédure concurrentielle avec négociation (R. 2161-12 s.).
    ProcedureAvecNegociation,
    /// Dialogue compétitif (R. 2161-24 s.).
    DialogueCompetitif,
    /// Marché négocié sans publicité ni mise en concurrence préalables (R. 2122-1 s.).
    MarcheNegocieSansPublicite,
    /// Concours (R. 2162-15 s.).
    Concours,
    /// Procédure propre aux contrats de concession.
    ProcedureConcession,
}

impl TypeProcedure {
    /// Whether this is a procédure adaptée (below the formal thresholds).
    pub fn est_adaptee(self) -> bool {
        matches!(
            self,
            TypeProcedure::ProcedureAdapteeOuverte | TypeProcedure::ProcedureAdapteeRestreinte
        )
    }

    /// Whether this is a formal procedure (procédure formalisée).
    pub fn est_formalisee(self) -> bool {
        matches!(
            self,
            TypeProcedure::AppelOffresOuvert
                | TypeProcedure::AppelOffresRestreint
                | TypeProcedure::ProcedureAvecNegociation
                | TypeProcedure::DialogueCompetitif
                | TypeProcedure::Concours
        )
    }

    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            TypeProcedure::AppelOffresOuvert => "Appel d'offres ouvert",
            TypeProcedure::AppelOffresRestreint => "Appel d'offres restreint",
            TypeProcedure::ProcedureAdapteeOuverte => "Procédure adaptée ouverte",
            TypeProcedure::ProcedureAdapteeRestreinte => "Procédure adaptée restreinte",
            TypeProcedure::ProcedureAvecNegociation => "Procédure concurrentielle avec négociation",
            TypeProcedure::DialogueCompetitif => "Dialogue compétitif",
            TypeProcedure::MarcheNegocieSansPublicite => {
                "Marché négocié sans publicité ni mise en concurrence préalables"
            }
            TypeProcedure::Concours => "Concours",
            TypeProcedure::ProcedureConcession => "Procédure de concession",
        }
    }
}

/// Which stage of a multi-stage procedure this consultation is (a restricted procedure has a
/// candidature phase then an offer phase, linked as suites).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Etape {
    /// Candidatures and offers in one go.
    #[default]
    Unique,
    /// Candidatures only (e.g. AOR-C).
    Candidatures,
    /// Offers of the selected candidates (e.g. AOR-O).
    Offres,
}

/// CPV codes of the purchase or of a lot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct CodesCpv {
    /// Main code, `NNNNNNNN-N`.
    pub principal: String,
    /// Secondary codes.
    #[serde(default)]
    pub secondaires: Vec<String>,
}

/// A place of execution (département or commune).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LieuExecution {
    /// Code (e.g. département "69", or INSEE code of a commune).
    pub code: String,
    /// Label, e.g. "(69) Rhône".
    pub libelle: String,
}

/// Tab *Identification*.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Identification {
    /// Type d'annonce.
    pub type_annonce: TypeAnnonce,
    /// Type de contrat.
    pub type_contrat: TypeContrat,
    /// Catégorie principale.
    pub categorie: CategoriePrincipale,
    /// Type de procédure.
    pub procedure: TypeProcedure,
    /// Stage of the procedure.
    #[serde(default)]
    pub etape: Etape,
    /// Référence (5 to 32 characters: letters, digits, `/`, `_`).
    pub reference: String,
    /// Intitulé (short title).
    pub intitule: String,
    /// Objet (full description of the purchase).
    pub objet: String,
    /// Internal comment, never published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire_interne: Option<String>,
    /// Lieux d'exécution.
    #[serde(default)]
    pub lieux_execution: Vec<LieuExecution>,
    /// CPV codes.
    #[serde(default)]
    pub cpv: CodesCpv,
    /// Whether the consultation is split into lots (allotie) or not.
    #[serde(default)]
    pub allotie: bool,
    /// Estimated amount HT of the whole purchase (all lots, whole duration), for thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub montant_estime_ht: Option<Montant>,
}

/// Tab *Lots*: one lot juridique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Lot {
    /// Lot number, from 1.
    pub numero: u32,
    /// Intitulé.
    pub intitule: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Catégorie of the lot.
    pub categorie: CategoriePrincipale,
    /// CPV codes of the lot.
    pub cpv: CodesCpv,
    /// Estimated amount HT of the lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub montant_estime_ht: Option<Montant>,
}

/// Kind of DUME requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeDume {
    /// DUME standard.
    Standard,
    /// DUME simplifié.
    Simplifie,
}

/// Tab *DUME acheteur*.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct DumeAcheteur {
    /// Whether a DUME is requested from candidates.
    pub demande: bool,
    /// Its kind, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_dume: Option<TypeDume>,
}

/// When the consultation goes online.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "regle")]
pub enum MiseEnLigne {
    /// As soon as it is validated.
    #[default]
    ALaValidation,
    /// At a fixed date (Europe/Paris wall-clock time).
    DateFixe {
        /// The date and time, Europe/Paris.
        date: NaiveDateTime,
    },
    /// Once the notice is published.
    ApresPublicationAvis,
}

/// Tab *Calendrier*. Dates without zone are Europe/Paris wall-clock times, as buyers write
/// them; instants (with zone) are UTC.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Calendrier {
    /// Date limite de remise des plis (DLRO), Europe/Paris, to the minute.
    pub dlro: NaiveDateTime,
    /// Mise en ligne rule.
    #[serde(default)]
    pub mise_en_ligne: MiseEnLigne,
    /// When the consultation was validated (set by the lifecycle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_validation: Option<DateTime<Utc>>,
    /// When the notice was sent for publication (Europe/Paris).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_envoi_avis: Option<NaiveDateTime>,
    /// When the notice was published (Europe/Paris).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_publication_avis: Option<NaiveDateTime>,
    /// Whether the procedure is run in urgence (reduced delays, R. 2161-3, R. 2161-8).
    #[serde(default)]
    pub urgence: bool,
    /// Whether a préinformation notice was published (reduced delays).
    #[serde(default)]
    pub avis_preinformation: bool,
}

impl Calendrier {
    /// The DLRO as an instant. Errors when the wall-clock time does not exist in
    /// Europe/Paris (the hour skipped on the last Sunday of March).
    pub fn dlro_instant(&self) -> Result<DateTime<Utc>> {
        crate::rules::temps::instant_paris(self.dlro).map_err(|e| e.at("$.calendrier.dlro"))
    }
}

/// A downloadable document, described by the host (the bytes stay with the host).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Piece {
    /// File name.
    pub nom: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256 of the content, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// Complementary postal sending of the DCE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeEnvoiPostal {
    /// None.
    #[default]
    Aucun,
    /// On paper.
    Papier,
    /// On CD-ROM.
    CdRom,
}

/// Envoi postal complémentaire.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct EnvoiPostal {
    /// How.
    pub mode: ModeEnvoiPostal,
    /// Who sends it (service, reprographer...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub par: Option<String>,
    /// Description of what is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Tab *Pièces*.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Pieces {
    /// Règlement de la consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reglement_consultation: Option<Piece>,
    /// Dossier de consultation des entreprises (a ZIP; checked with `rules::dce::valider`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dce: Option<Piece>,
    /// Whether companies may download part of the DCE.
    #[serde(default)]
    pub telechargement_partiel: bool,
    /// Other downloadable pieces.
    #[serde(default)]
    pub autres_pieces: Vec<Piece>,
    /// Complementary postal sending.
    #[serde(default)]
    pub envoi_postal: EnvoiPostal,
}

/// Whether electronic answers are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReponseElectronique {
    /// Refused: paper only.
    Refusee,
    /// Allowed beside paper.
    Autorisee,
    /// Mandatory.
    #[default]
    Obligatoire,
}

/// Whether an electronic signature of the answer is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureRequise {
    /// Not required.
    #[default]
    NonRequise,
    /// Required.
    Requise,
    /// Allowed, not required.
    Autorisee,
}

/// How bids are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeOuverture {
    /// All envelopes of one pli, pli after pli.
    #[default]
    ParDossier,
    /// All candidatures first, then all offers.
    ParReponse,
}

/// Kinds of envelope in a pli.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TypeEnveloppe {
    /// Candidature (common to all lots).
    Candidature,
    /// Offre (one per lot).
    Offre,
    /// Offre technique (one per lot).
    OffreTechnique,
    /// Anonymat (third envelope, concours).
    Anonymat,
}

impl TypeEnveloppe {
    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            TypeEnveloppe::Candidature => "Candidature",
            TypeEnveloppe::Offre => "Offre",
            TypeEnveloppe::OffreTechnique => "Offre technique",
            TypeEnveloppe::Anonymat => "Anonymat",
        }
    }

    /// Whether the envelope is per lot (offers) or common (candidature).
    pub fn par_lot(self) -> bool {
        !matches!(self, TypeEnveloppe::Candidature)
    }
}

/// A typed document expected in an envelope (e.g. Acte d'engagement, Annexe financière).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentAttendu {
    /// Envelope it goes in.
    pub enveloppe: TypeEnveloppe,
    /// Label, e.g. "Annexe financière".
    pub libelle: String,
    /// Accepted extensions without dot (e.g. `["xlsx"]`); empty = any.
    #[serde(default)]
    pub formats: Vec<String>,
    /// Whether the document is mandatory.
    #[serde(default)]
    pub obligatoire: bool,
    /// Lot it applies to (None = every lot, or the consultation when non allotie).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<u32>,
    /// Whether the document must be signed (overrides the consultation's rule).
    #[serde(default)]
    pub signature_requise: bool,
}

/// Tab *Modalités de réponse*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Modalites {
    /// Réponse électronique.
    pub reponse_electronique: ReponseElectronique,
    /// Whether the consultation stays displayed after the DLRO.
    #[serde(default)]
    pub affichage_apres_dlro: bool,
    /// Signature électronique.
    pub signature: SignatureRequise,
    /// Mode d'ouverture.
    pub mode_ouverture: ModeOuverture,
    /// Whether answers must be encrypted.
    pub chiffrement: bool,
    /// Envelopes expected, in order.
    pub enveloppes: Vec<TypeEnveloppe>,
    /// Typed documents expected.
    #[serde(default)]
    pub documents: Vec<DocumentAttendu>,
    /// Nombre minimal de candidats invited to tender in a two-phase procedure (restreinte,
    /// négociée, dialogue): the eForms contract notice must announce it (BT-50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nombre_minimal_candidats: Option<u32>,
}

impl Default for Modalites {
    fn default() -> Modalites {
        Modalites {
            reponse_electronique: ReponseElectronique::Obligatoire,
            affichage_apres_dlro: false,
            signature: SignatureRequise::NonRequise,
            mode_ouverture: ModeOuverture::ParDossier,
            chiffrement: true,
            enveloppes: vec![TypeEnveloppe::Candidature, TypeEnveloppe::Offre],
            documents: Vec::new(),
            nombre_minimal_candidats: None,
        }
    }
}

/// Public or restricted access to the consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeAcces {
    /// Anyone may see and download.
    #[default]
    Public,
    /// Only with the access code.
    Restreint,
}

/// Rights of an invited agent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DroitInvite {
    /// Read only.
    Lecture,
    /// Follow (read, registers, documents).
    Suivi,
    /// Follow with the agent's own habilitations (open, decide... as their habilitations allow).
    SuiviHabilite,
}

/// An agent invited on the consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgentInvite {
    /// Agent id.
    pub agent: String,
    /// Permanent invitation (on every consultation of the service) or this one only.
    #[serde(default)]
    pub permanent: bool,
    /// Rights.
    pub droits: DroitInvite,
}

/// Représentant du pouvoir adjudicateur.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Rpa {
    /// Full name.
    pub nom: String,
    /// Function, e.g. "Maire".
    pub fonction: String,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adresse: Option<String>,
}

/// Tab *Accès*.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Acces {
    /// Public or restricted.
    pub type_acces: TypeAcces,
    /// Access code of a restricted consultation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_acces: Option<String>,
    /// Service de rattachement (owner).
    pub service_rattachement: String,
    /// Service associé, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_associe: Option<String>,
    /// Représentant du pouvoir adjudicateur.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpa: Option<Rpa>,
    /// Invited agents.
    #[serde(default)]
    pub agents_invites: Vec<AgentInvite>,
}

/// A consultation, as the buyer fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Consultation {
    /// Identifier chosen by the host.
    pub id: String,
    /// Standard or simplifiée.
    #[serde(default)]
    pub forme: FormeConsultation,
    /// Identification.
    pub identification: Identification,
    /// Lots (empty when non allotie).
    #[serde(default)]
    pub lots: Vec<Lot>,
    /// DUME acheteur.
    #[serde(default)]
    pub dume: DumeAcheteur,
    /// Calendrier.
    pub calendrier: Calendrier,
    /// Pièces.
    #[serde(default)]
    pub pieces: Pieces,
    /// Modalités de réponse.
    #[serde(default)]
    pub modalites: Modalites,
    /// Accès.
    pub acces: Acces,
}

impl Consultation {
    /// Parse the public JSON of a consultation.
    ///
    /// ```
    /// let json = include_str!("../../../examples/data/consultation.json");
    /// let c = mpe::model::Consultation::from_json(json).unwrap();
    /// assert_eq!(c.lots.len(), 3);
    /// // The JSON round trip is exact.
    /// assert_eq!(mpe::model::Consultation::from_json(&c.to_json()).unwrap(), c);
    /// ```
    pub fn from_json(json: &str) -> Result<Consultation> {
        serde_json::from_str(json).map_err(|e| {
            Erreur::new(
                CodeErreur::JsonInvalide,
                format!("consultation : JSON invalide : {e}"),
            )
        })
    }

    /// The public JSON of the consultation.
    pub fn to_json(&self) -> String {
        // Serializing plain data to a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The lot with this number.
    pub fn lot(&self, numero: u32) -> Option<&Lot> {
        self.lots.iter().find(|l| l.numero == numero)
    }

    /// Lot numbers to answer for: every lot, or `[0]` standing for the whole consultation
    /// when non allotie.
    pub fn numeros_lots(&self) -> Vec<u32> {
        if self.identification.allotie {
            self.lots.iter().map(|l| l.numero).collect()
        } else {
            vec![0]
        }
    }
}
