//! What a trusted list says (ETSI TS 119 612): the scheme information, the pointers to
//! other lists (a LOTL), and each trust service provider with its services, their status
//! history and extensions. Plain serde values, read by [`super::lecture`]; nothing here is
//! trusted until [`super::verification`] has checked the list's signature.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Service type of a CA issuing qualified certificates.
pub const TYPE_CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
/// Service type of a qualified timestamp authority.
pub const TYPE_TSA_QTST: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST";
/// Status of a qualified service under eIDAS.
pub const STATUT_ACCORDE: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
/// Status withdrawn (eIDAS).
pub const STATUT_RETIRE: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

/// One trusted list or list of trusted lists, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListeConfiance {
    /// TSLVersionIdentifier (5 for eIDAS lists, 6 since TS 119 612 v2.3).
    pub version: Option<u32>,
    /// TSLSequenceNumber.
    pub numero_sequence: Option<u64>,
    /// TSLType URI (…/TSLType/EUgeneric, …/EUlistofthelists).
    pub type_liste: Option<String>,
    /// SchemeTerritory (country code, `EU` for the LOTL).
    pub territoire: Option<String>,
    /// First name of the scheme operator.
    pub operateur: Option<String>,
    /// ListIssueDateTime.
    pub date_emission: Option<DateTime<Utc>>,
    /// NextUpdate (`None`: a closed list).
    pub prochaine_mise_a_jour: Option<DateTime<Utc>>,
    /// DistributionPoints.
    pub points_distribution: Vec<String>,
    /// Pivot LOTLs (ETSI TS 119 612 v2.2.1, 6.2; EU DSS): the SchemeInformationURI entries
    /// that end in `.xml`, newest first, as the list gives them (a pivot lists itself first).
    #[serde(default)]
    pub pivots: Vec<String>,
    /// PointersToOtherTSL (a LOTL points to the national lists and to itself).
    pub pointeurs: Vec<PointeurListe>,
    /// TrustServiceProviderList.
    pub prestataires: Vec<Prestataire>,
    /// Number of `ds:Signature` elements (a list must have exactly one).
    pub signatures: usize,
    /// SHA-256 of the list's bytes, hexadecimal (the cache key).
    pub empreinte: String,
}

impl ListeConfiance {
    /// Number of services of all providers.
    pub fn nombre_services(&self) -> usize {
        self.prestataires.iter().map(|p| p.services.len()).sum()
    }

    /// The pointers to a list of trusted lists in XML (a LOTL's pointer to itself, which
    /// announces the certificates that may sign the next LOTL).
    pub fn pointeurs_lotl(&self) -> impl Iterator<Item = &PointeurListe> {
        self.pointeurs.iter().filter(|p| {
            p.type_liste
                .as_deref()
                .is_some_and(|t| t.ends_with("listofthelists"))
                && p.type_mime.as_deref().is_none_or(|m| m.contains("xml"))
        })
    }

    /// Is it a list of trusted lists (TSLType …listofthelists)?
    pub fn est_liste_des_listes(&self) -> bool {
        self.type_liste
            .as_deref()
            .is_some_and(|t| t.ends_with("listofthelists"))
    }
}

/// A pointer to another list: where it is and which certificates may sign it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PointeurListe {
    /// TSLLocation.
    pub emplacement: String,
    /// TSLType of the list pointed to.
    pub type_liste: Option<String>,
    /// SchemeTerritory of the list pointed to.
    pub territoire: Option<String>,
    /// MimeType (`application/vnd.etsi.tsl+xml` for the XML form).
    pub type_mime: Option<String>,
    /// Certificates announced to sign that list (DER, base64).
    pub certificats: Vec<String>,
}

/// A trust service provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Prestataire {
    /// First TSPName (empty when the list gives none).
    pub nom: String,
    /// TSPTradeName entries (often the registration identifier, e.g. `VATFR-…`).
    pub noms_commerciaux: Vec<String>,
    /// TSPServices.
    pub services: Vec<ServiceConfiance>,
}

/// A trust service: its current information and its history (newest first, as listed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceConfiance {
    /// ServiceInformation: the current state.
    pub actuel: EtatService,
    /// ServiceHistory instances: the earlier states.
    pub historique: Vec<EtatService>,
}

impl ServiceConfiance {
    /// The state in force at `date`: the latest state whose StatusStartingTime is not
    /// after `date` (none before the service's first status).
    pub fn etat_a(&self, date: DateTime<Utc>) -> Option<&EtatService> {
        std::iter::once(&self.actuel)
            .chain(self.historique.iter())
            .filter(|e| e.debut.is_some_and(|d| d <= date))
            .max_by_key(|e| e.debut)
    }

    /// Every identity the service had (current and historical).
    pub fn identites(&self) -> impl Iterator<Item = &IdentiteService> {
        std::iter::once(&self.actuel.identite).chain(self.historique.iter().map(|e| &e.identite))
    }
}

/// One state of a service (ServiceInformation or ServiceHistoryInstance).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EtatService {
    /// ServiceTypeIdentifier (…/Svctype/CA/QC, …/TSA/QTST, …/Certstatus/OCSP/QC …).
    pub type_service: Option<String>,
    /// First ServiceName.
    pub nom: Option<String>,
    /// ServiceStatus URI (…/Svcstatus/granted, …/withdrawn, pre-eIDAS …/accredited …).
    pub statut: Option<String>,
    /// StatusStartingTime.
    pub debut: Option<DateTime<Utc>>,
    /// ServiceDigitalIdentity.
    pub identite: IdentiteService,
    /// ServiceSupplyPoints (CRL, OCSP, TSA URLs).
    pub points_service: Vec<String>,
    /// additionalServiceInformation URIs (ForeSignatures, ForeSeals,
    /// ForWebSiteAuthentication …).
    pub informations_additionnelles: Vec<String>,
    /// Qualifications extensions (criteria and qualifiers).
    pub qualifications: Vec<QualificationListe>,
    /// Critical extensions mpe does not read (their presence makes a qualification
    /// INDÉTERMINÉE).
    pub extensions_critiques_inconnues: Vec<String>,
}

/// ServiceDigitalIdentity: the service's certificates, key identifiers and names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IdentiteService {
    /// X509Certificate (DER, base64).
    pub certificats: Vec<String>,
    /// X509SubjectName.
    pub sujets: Vec<String>,
    /// X509SKI, hexadecimal.
    pub ski: Vec<String>,
}

/// One QualificationElement: qualifiers that apply to the certificates meeting the criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct QualificationListe {
    /// Qualifier URIs (…/SvcInfoExt/QCWithSSCD, QCNoSSCD, QCForESig, QCForESeal,
    /// QCStatement, NotQualified …).
    pub qualificatifs: Vec<String>,
    /// The CriteriaList.
    pub criteres: Criteres,
}

/// How the criteria of a list combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assertion {
    /// Every criterion.
    Tous,
    /// At least one.
    AuMoinsUn,
    /// None.
    Aucun,
}

/// A CriteriaList.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Criteres {
    /// The `assert` attribute.
    pub assertion: Assertion,
    /// The criteria, in order.
    pub elements: Vec<Critere>,
}

/// One criterion of a CriteriaList.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Critere {
    /// KeyUsage: each bit (RFC 5280 name) set or not.
    UsageCle(Vec<(String, bool)>),
    /// PolicySet: the certificate carries all these policy OIDs.
    Politiques(Vec<String>),
    /// A nested CriteriaList.
    Liste(Criteres),
    /// CertSubjectDNAttribute: the subject has all these attribute types (OIDs).
    AttributsSujet(Vec<String>),
    /// ExtendedKeyUsage: the certificate has all these key purposes (OIDs).
    UsagesEtendus(Vec<String>),
    /// A criterion mpe does not evaluate (its element name).
    NonSupporte(String),
}
