//! What an eForms notice needs beyond the consultation and the organisation: the buyer's
//! postal and electronic contacts, the review body, the URLs of the documents and of the
//! submission, the award criteria. The host fills it in once per buyer (most of it) and
//! per consultation (criteria, duration); every field defaults to empty so that a partial
//! value parses and the pre-check names what is missing, business term by business term.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Postal address and contact points of an organisation named in the notice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Coordonnees {
    /// Street and number (BT-510).
    #[serde(default)]
    pub adresse: String,
    /// City (BT-513).
    #[serde(default)]
    pub ville: String,
    /// Postal code (BT-512).
    #[serde(default)]
    pub code_postal: String,
    /// NUTS level-3 code (BT-507), e.g. `FRK26`.
    #[serde(default)]
    pub nuts: String,
    /// ISO 3166-1 alpha-3 country code (BT-514); empty means `FRA`.
    #[serde(default)]
    pub pays: String,
    /// Telephone (BT-503), e.g. `+33 472000000`.
    #[serde(default)]
    pub telephone: String,
    /// E-mail address (BT-506).
    #[serde(default)]
    pub email: String,
    /// Web site (BT-505).
    #[serde(default)]
    pub site_internet: String,
}

/// The review body (instance chargée des procédures de recours), usually the tribunal
/// administratif of the buyer's area.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct InstanceRecours {
    /// Name (BT-500), e.g. "Tribunal administratif de Lyon".
    #[serde(default)]
    pub nom: String,
    /// Registration number (BT-501), e.g. its SIRET.
    #[serde(default)]
    pub identifiant: String,
    /// Address and contacts.
    #[serde(default)]
    pub coordonnees: Coordonnees,
}

/// Kind of award criterion (BT-539, code list `award-criterion-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeCritere {
    /// Prix (`price`).
    Prix,
    /// Coût, e.g. coût du cycle de vie (`cost`).
    Cout,
    /// Qualité, valeur technique (`quality`).
    Qualite,
}

impl TypeCritere {
    /// The eForms code.
    pub fn code(self) -> &'static str {
        match self {
            TypeCritere::Prix => "price",
            TypeCritere::Cout => "cost",
            TypeCritere::Qualite => "quality",
        }
    }
}

/// One award criterion with its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CritereAttribution {
    /// Kind (BT-539).
    #[serde(rename = "type")]
    pub type_critere: TypeCritere,
    /// Name (BT-734), e.g. "Valeur technique".
    pub libelle: String,
    /// Weight in percent (BT-541, `per-exa`).
    pub ponderation: u32,
    /// Lot it applies to; `None` = every lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<u32>,
}

/// Size of a company (BT-165, code list `economic-operator-size`): a winner's size is
/// written in the result notice, and every tenderer's size counts in its statistics
/// (tenders from SMEs, `t-sme`, and from large companies, `t-large`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TailleEntreprise {
    /// Microentreprise (`micro`).
    Micro,
    /// Petite entreprise (`small`).
    Petite,
    /// Moyenne entreprise (`medium`).
    Moyenne,
    /// PME, sans plus de précision (`sme`).
    Pme,
    /// Grande entreprise (`large`).
    Grande,
}

impl TailleEntreprise {
    /// The eForms code.
    pub fn code(self) -> &'static str {
        match self {
            TailleEntreprise::Micro => "micro",
            TailleEntreprise::Petite => "small",
            TailleEntreprise::Moyenne => "medium",
            TailleEntreprise::Pme => "sme",
            TailleEntreprise::Grande => "large",
        }
    }

    /// Whether it is an SME (micro, small or medium).
    pub fn est_pme(self) -> bool {
        self != TailleEntreprise::Grande
    }
}

/// A company of the result notice, as the plis do not describe it: its address (the winners
/// are named with it) and its size (every tenderer is counted by size).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct EntrepriseAvis {
    /// The company's identifier as its pli gives it: the SIRET, or the national number of
    /// a foreign company (spaces ignored).
    pub identifiant: String,
    /// Address (BT-510, BT-513, BT-512, BT-507, BT-514) and contacts (BT-503, BT-506).
    #[serde(default)]
    pub coordonnees: Coordonnees,
    /// Size (BT-165).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taille: Option<TailleEntreprise>,
}

/// Why a lot was not awarded (BT-144, code list `non-award-justification`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MotifNonAttribution {
    /// Toutes les offres irrégulières, inacceptables ou inappropriées, ou retirées (`all-rej`).
    OffresRejetees,
    /// Aucune offre reçue (`no-rece`).
    AucuneOffre,
    /// Une seule offre recevable (`one-admis`).
    OffreUnique,
    /// Besoin redéfini ou disparu (`chan-need`).
    ChangementBesoin,
    /// Financement insuffisant (`ins-fund`).
    FinancementInsuffisant,
    /// L'attributaire pressenti a refusé de signer (`no-signed`).
    RefusSignature,
    /// Décision d'une juridiction ou instance de recours (`rev-body`).
    DecisionRecours,
    /// Décision de l'acheteur sur demande de réexamen d'un soumissionnaire (`rev-buyer`).
    Reexamen,
    /// Erreur technique ou de procédure (`tch-pr-error`).
    ErreurProcedure,
    /// Autre motif (`other`).
    Autre,
}

impl MotifNonAttribution {
    /// The eForms code.
    pub fn code(self) -> &'static str {
        match self {
            MotifNonAttribution::OffresRejetees => "all-rej",
            MotifNonAttribution::AucuneOffre => "no-rece",
            MotifNonAttribution::OffreUnique => "one-admis",
            MotifNonAttribution::ChangementBesoin => "chan-need",
            MotifNonAttribution::FinancementInsuffisant => "ins-fund",
            MotifNonAttribution::RefusSignature => "no-signed",
            MotifNonAttribution::DecisionRecours => "rev-body",
            MotifNonAttribution::Reexamen => "rev-buyer",
            MotifNonAttribution::ErreurProcedure => "tch-pr-error",
            MotifNonAttribution::Autre => "other",
        }
    }
}

/// The reason a lot declared infructueux or sans suite was not awarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NonAttribution {
    /// Lot number (0 for a consultation non allotie).
    pub lot: u32,
    /// Reason.
    pub motif: MotifNonAttribution,
}

/// The data of a notice that the consultation does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DonneesAvis {
    /// Notice identifier (BT-701), a UUID v4. Empty: derived from the consultation id and
    /// the version, so that writing the same notice twice gives the same identifier.
    #[serde(default)]
    pub identifiant_avis: String,
    /// Procedure identifier (BT-04), a UUID v4 shared by every notice of the procedure.
    /// Empty: derived from the consultation id.
    #[serde(default)]
    pub identifiant_procedure: String,
    /// Notice version (BT-757), from 1; 0 means 1.
    #[serde(default)]
    pub version: u32,
    /// Notice language (BT-702), ISO 639-3 upper case; empty means `FRA`.
    #[serde(default)]
    pub langue: String,
    /// The buyer's address and contacts.
    #[serde(default)]
    pub acheteur: Coordonnees,
    /// Buyer legal type (BT-11, code list `buyer-legal-type`); empty: from the kind of
    /// buyer of the organisation (`cga` for the État, `la` for a collectivité).
    #[serde(default)]
    pub forme_juridique: String,
    /// Main activity (BT-10, code list `authority-activity`); empty means `gen-pub`.
    #[serde(default)]
    pub activite: String,
    /// The review body.
    #[serde(default)]
    pub instance_recours: InstanceRecours,
    /// Review deadlines, as text (BT-99); empty: the French référé and recours rules.
    #[serde(default)]
    pub delais_recours: String,
    /// Where the procurement documents are (BT-15 / BT-615), the consultation's page.
    #[serde(default)]
    pub url_documents: String,
    /// Where tenders are submitted (BT-18).
    #[serde(default)]
    pub url_depot: String,
    /// Award criteria (BT-539, BT-734, BT-541).
    #[serde(default)]
    pub criteres: Vec<CritereAttribution>,
    /// Duration of the contracts in months (BT-36).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    /// How long tenders stay valid, in months (BT-98); `None` means 6 (RC usual term).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validite_offres_mois: Option<u32>,
    /// NUTS code of the place of performance (BT-5071); empty: found from the lieux
    /// d'exécution of the consultation ("(69) Rhône" gives `FRK26`).
    #[serde(default)]
    pub nuts_execution: String,
    /// Whether the purchase is covered by the WTO Government Procurement Agreement (BT-115).
    #[serde(default = "vrai")]
    pub accord_marches_publics: bool,
    /// Whether the contract is financed by EU funds (BT-60).
    #[serde(default)]
    pub fonds_ue: bool,
    /// Subtype 17: whether a guarantee is required from tenderers (BT-751).
    #[serde(default)]
    pub garantie_exigee: bool,
    /// Subtype 17: how many times the contract may be renewed at most (BT-58), 0 = none.
    #[serde(default)]
    pub reconductions: u32,
    /// Result notice: the companies' addresses and sizes (winners and tenderers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entreprises: Vec<EntrepriseAvis>,
    /// Result notice: why a lot was not awarded (BT-144). Without an entry: no tender
    /// received gives `no-rece`, an infructueux lot `all-rej`, a lot sans suite `other`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub non_attributions: Vec<NonAttribution>,
}

fn vrai() -> bool {
    true
}

impl Default for DonneesAvis {
    fn default() -> DonneesAvis {
        // The same defaults as an empty JSON object.
        DonneesAvis {
            identifiant_avis: String::new(),
            identifiant_procedure: String::new(),
            version: 0,
            langue: String::new(),
            acheteur: Coordonnees::default(),
            forme_juridique: String::new(),
            activite: String::new(),
            instance_recours: InstanceRecours::default(),
            delais_recours: String::new(),
            url_documents: String::new(),
            url_depot: String::new(),
            criteres: Vec::new(),
            duree_mois: None,
            validite_offres_mois: None,
            nuts_execution: String::new(),
            accord_marches_publics: true,
            fonds_ue: false,
            garantie_exigee: false,
            reconductions: 0,
            entreprises: Vec::new(),
            non_attributions: Vec::new(),
        }
    }
}
