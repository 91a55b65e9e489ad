//! The eForms contract notice (avis de marché), subtype 16: open, restricted, negotiated or
//! competitive-dialogue procedure of a pouvoir adjudicateur (directive 2014/24/EU), with or
//! without lots. Every value comes from the mapping table ([`super::correspondance`]); this
//! file only knows where each business term sits in the UBL document and in what order.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::correspondance::{LotAvis, Portee, Sources, valeur, valeurs};
use super::donnees::DonneesAvis;
use super::precontrole::{ConstatAvis, lots_avis, verifier_avis};
use super::xml::Ecrivain;
use crate::model::{Consultation, Organisation};
use crate::rules::Gravite;
use crate::{CodeErreur, Erreur, Result};

/// The eForms SDK version the notices follow (`cbc:CustomizationID`).
pub const VERSION_SDK: &str = "eforms-sdk-1.15";

/// A notice written by mpe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Avis {
    /// Notice subtype (`16`).
    pub sous_type: String,
    /// Notice identifier (BT-701), to keep for a later change notice.
    pub identifiant: String,
    /// Procedure identifier (BT-04).
    pub identifiant_procedure: String,
    /// The notice, UTF-8 XML.
    pub xml: String,
    /// Warnings of the pre-check (errors stop the writing).
    pub avertissements: Vec<ConstatAvis>,
}

/// The namespaces of a notice, after its root's default namespace.
pub(crate) const NS_COMMUNS: &[(&str, &str)] = &[
    (
        "xmlns:cac",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    ),
    (
        "xmlns:cbc",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    ),
    (
        "xmlns:ext",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    ),
    (
        "xmlns:efac",
        "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    ),
    (
        "xmlns:efbc",
        "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    ),
    (
        "xmlns:efext",
        "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    ),
];

/// `2026-11-03+01:00` and `10:00:00+01:00`: eForms dates and times carry the offset.
pub(crate) fn date_heure(rfc3339: &str) -> Option<(String, String)> {
    let t = DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some((
        t.format("%Y-%m-%d%:z").to_string(),
        t.format("%H:%M:%S%:z").to_string(),
    ))
}

pub(crate) struct Contexte<'a> {
    pub s: Sources<'a>,
    pub e: Ecrivain,
    pub langue: String,
}

impl Contexte<'_> {
    pub(crate) fn v(&self, bt: &str, p: Portee, l: LotAvis<'_>) -> String {
        valeur(&self.s, bt, p, l)
    }
    pub(crate) fn vs(&self, bt: &str, p: Portee, l: LotAvis<'_>) -> Vec<String> {
        valeurs(&self.s, bt, p, l)
    }
    pub(crate) fn texte(&mut self, nom: &str, texte: &str) {
        let langue = self.langue.clone();
        self.e.feuille(nom, &[("languageID", &langue)], texte);
    }
    pub(crate) fn code(&mut self, nom: &str, liste: &str, bt: &str, p: Portee, l: LotAvis<'_>) {
        let v = self.v(bt, p, l);
        self.e.feuille(nom, &[("listName", liste)], &v);
    }
    pub(crate) fn reference_org(&mut self, conteneur: &str, org: &str) {
        self.e.ouvrir(conteneur, &[]);
        self.e.ouvrir("cac:PartyIdentification", &[]);
        self.e
            .feuille("cbc:ID", &[("schemeName", "organization")], org);
        self.e.fermer("cac:PartyIdentification");
        self.e.fermer(conteneur);
    }

    pub(crate) fn organisation(&mut self, id: &str, p: Portee, l: LotAvis<'_>) {
        self.e.ouvrir("efac:Organization", &[]);
        self.e.ouvrir("efac:Company", &[]);
        let taille = self.v("BT-165-Organization-Company", p, l);
        if !taille.is_empty() {
            self.e.feuille(
                "efbc:CompanySizeCode",
                &[("listName", "economic-operator-size")],
                &taille,
            );
        }
        let site = self.v("BT-505-Organization-Company", p, l);
        if !site.is_empty() {
            self.e.feuille("cbc:WebsiteURI", &[], &site);
        }
        self.e.ouvrir("cac:PartyIdentification", &[]);
        self.e
            .feuille("cbc:ID", &[("schemeName", "organization")], id);
        self.e.fermer("cac:PartyIdentification");
        self.e.ouvrir("cac:PartyName", &[]);
        let nom = self.v("BT-500-Organization-Company", p, l);
        self.texte("cbc:Name", &nom);
        self.e.fermer("cac:PartyName");
        self.e.ouvrir("cac:PostalAddress", &[]);
        let rue = self.v("BT-510(a)-Organization-Company", p, l);
        if !rue.is_empty() {
            self.e.feuille("cbc:StreetName", &[], &rue);
        }
        let ville = self.v("BT-513-Organization-Company", p, l);
        self.e.feuille("cbc:CityName", &[], &ville);
        let cp = self.v("BT-512-Organization-Company", p, l);
        self.e.feuille("cbc:PostalZone", &[], &cp);
        let nuts = self.v("BT-507-Organization-Company", p, l);
        if !nuts.is_empty() {
            self.e
                .feuille("cbc:CountrySubentityCode", &[("listName", "nuts")], &nuts);
        }
        self.e.ouvrir("cac:Country", &[]);
        self.code(
            "cbc:IdentificationCode",
            "country",
            "BT-514-Organization-Company",
            p,
            l,
        );
        self.e.fermer("cac:Country");
        self.e.fermer("cac:PostalAddress");
        self.e.ouvrir("cac:PartyLegalEntity", &[]);
        let id_legal = self.v("BT-501-Organization-Company", p, l);
        self.e.feuille("cbc:CompanyID", &[], &id_legal);
        self.e.fermer("cac:PartyLegalEntity");
        let tel = self.v("BT-503-Organization-Company", p, l);
        let mel = self.v("BT-506-Organization-Company", p, l);
        if !tel.is_empty() || !mel.is_empty() {
            self.e.ouvrir("cac:Contact", &[]);
            if !tel.is_empty() {
                self.e.feuille("cbc:Telephone", &[], &tel);
            }
            if !mel.is_empty() {
                self.e.feuille("cbc:ElectronicMail", &[], &mel);
            }
            self.e.fermer("cac:Contact");
        }
        self.e.fermer("efac:Company");
        self.e.fermer("efac:Organization");
    }

    /// The buyer's activity: BT-10 (pouvoir adjudicateur) or BT-610 (entité adjudicatrice).
    pub(crate) fn activite(&mut self) {
        let aucun = LotAvis::AUCUN;
        for (liste, bt) in [
            ("authority-activity", "BT-10-Procedure-Buyer"),
            ("entity-activity", "BT-610-Procedure-Buyer"),
        ] {
            if !self.v(bt, Portee::Acheteur, aucun).is_empty() {
                self.e.ouvrir("cac:ContractingActivity", &[]);
                self.code("cbc:ActivityTypeCode", liste, bt, Portee::Acheteur, aucun);
                self.e.fermer("cac:ContractingActivity");
            }
        }
    }

    /// OPT-301-Lot-AddInfo: who gives additional information, required by 17 and 30.
    pub(crate) fn renseignements(&mut self, l: LotAvis<'_>) {
        if matches!(self.s.sous_type, "17" | "30") {
            let org = self.v("OPT-301-Lot-AddInfo", Portee::Lot, l);
            self.reference_org("cac:AdditionalInformationParty", &org);
        }
    }

    /// Name, description, nature, CPV and place: the same block for the procedure and lots.
    pub(crate) fn objet(&mut self, p: Portee, l: LotAvis<'_>) {
        let suffixe = if p == Portee::Lot { "Lot" } else { "Procedure" };
        let id_interne = self.v(&format!("BT-22-{suffixe}"), p, l);
        if !id_interne.is_empty() {
            self.e
                .feuille("cbc:ID", &[("schemeName", "InternalID")], &id_interne);
        }
        let nom = self.v(&format!("BT-21-{suffixe}"), p, l);
        self.texte("cbc:Name", &nom);
        let desc = self.v(&format!("BT-24-{suffixe}"), p, l);
        self.texte("cbc:Description", &desc);
        self.code(
            "cbc:ProcurementTypeCode",
            "contract-nature",
            &format!("BT-23-{suffixe}"),
            p,
            l,
        );
        self.e.ouvrir("cac:MainCommodityClassification", &[]);
        self.code(
            "cbc:ItemClassificationCode",
            "cpv",
            &format!("BT-262-{suffixe}"),
            p,
            l,
        );
        self.e.fermer("cac:MainCommodityClassification");
        for cpv in self.vs(&format!("BT-263-{suffixe}"), p, l) {
            self.e.ouvrir("cac:AdditionalCommodityClassification", &[]);
            self.e
                .feuille("cbc:ItemClassificationCode", &[("listName", "cpv")], &cpv);
            self.e.fermer("cac:AdditionalCommodityClassification");
        }
        let pays = self.v(&format!("BT-5141-{suffixe}"), p, l);
        for nuts in self.vs(&format!("BT-5071-{suffixe}"), p, l) {
            self.e.ouvrir("cac:RealizedLocation", &[]);
            self.e.ouvrir("cac:Address", &[]);
            self.e
                .feuille("cbc:CountrySubentityCode", &[("listName", "nuts")], &nuts);
            self.e.ouvrir("cac:Country", &[]);
            self.e
                .feuille("cbc:IdentificationCode", &[("listName", "country")], &pays);
            self.e.fermer("cac:Country");
            self.e.fermer("cac:Address");
            self.e.fermer("cac:RealizedLocation");
        }
        if p == Portee::Lot {
            let duree = self.v("BT-36-Lot", p, l);
            if !duree.is_empty() {
                self.e.ouvrir("cac:PlannedPeriod", &[]);
                self.e
                    .feuille("cbc:DurationMeasure", &[("unitCode", "MONTH")], &duree);
                self.e.fermer("cac:PlannedPeriod");
            }
            if self.s.sous_type == "17" {
                self.e.ouvrir("cac:ContractExtension", &[]);
                let reconductions = self.v("BT-58-Lot", p, l);
                self.e
                    .feuille("cbc:MaximumNumberNumeric", &[], &reconductions);
                self.e.fermer("cac:ContractExtension");
            }
        }
    }

    pub(crate) fn criteres(&mut self, l: LotAvis<'_>) {
        let types = self.vs("BT-539-Lot", Portee::Lot, l);
        if types.is_empty() {
            return;
        }
        let noms = self.vs("BT-734-Lot", Portee::Lot, l);
        let poids = self.vs("BT-541-Lot-WeightNumber", Portee::Lot, l);
        self.e.ouvrir("cac:AwardingTerms", &[]);
        self.e.ouvrir("cac:AwardingCriterion", &[]);
        for (i, t) in types.iter().enumerate() {
            self.e.ouvrir("cac:SubordinateAwardingCriterion", &[]);
            self.e.ouvrir("ext:UBLExtensions", &[]);
            self.e.ouvrir("ext:UBLExtension", &[]);
            self.e.ouvrir("ext:ExtensionContent", &[]);
            self.e.ouvrir("efext:EformsExtension", &[]);
            self.e.ouvrir("efac:AwardCriterionParameter", &[]);
            self.e.feuille(
                "efbc:ParameterCode",
                &[("listName", "number-weight")],
                "per-exa",
            );
            self.e.feuille(
                "efbc:ParameterNumeric",
                &[],
                poids.get(i).map(String::as_str).unwrap_or("0"),
            );
            self.e.fermer("efac:AwardCriterionParameter");
            self.e.fermer("efext:EformsExtension");
            self.e.fermer("ext:ExtensionContent");
            self.e.fermer("ext:UBLExtension");
            self.e.fermer("ext:UBLExtensions");
            self.e.feuille(
                "cbc:AwardingCriterionTypeCode",
                &[("listName", "award-criterion-type")],
                t,
            );
            let nom = noms.get(i).cloned().unwrap_or_default();
            self.texte("cbc:Name", &nom);
            self.texte("cbc:Description", &nom);
            self.e.fermer("cac:SubordinateAwardingCriterion");
        }
        self.e.fermer("cac:AwardingCriterion");
        self.e.fermer("cac:AwardingTerms");
    }

    fn exigence(&mut self, conteneur: &str, element: &str, liste: &str, bt: &str, l: LotAvis<'_>) {
        self.e.ouvrir(conteneur, &[]);
        if conteneur == "cac:TendererQualificationRequest" {
            self.e.ouvrir("cac:SpecificTendererRequirement", &[]);
            self.code(element, liste, bt, Portee::Lot, l);
            self.e.fermer("cac:SpecificTendererRequirement");
        } else {
            self.code(element, liste, bt, Portee::Lot, l);
        }
        self.e.fermer(conteneur);
    }

    fn lot(&mut self, l: LotAvis<'_>) {
        let p = Portee::Lot;
        self.e.ouvrir("cac:ProcurementProjectLot", &[]);
        self.e
            .feuille("cbc:ID", &[("schemeName", "Lot")], &l.identifiant());
        // Tendering terms.
        self.e.ouvrir("cac:TenderingTerms", &[]);
        self.code("cbc:FundingProgramCode", "eu-funded", "BT-60-Lot", p, l);
        let dix_sept = self.s.sous_type == "17";
        if dix_sept {
            self.code(
                "cbc:RequiredCurriculaCode",
                "requirement-stage",
                "BT-79-Lot",
                p,
                l,
            );
            self.e.ouvrir("cac:RequiredFinancialGuarantee", &[]);
            self.code(
                "cbc:GuaranteeTypeCode",
                "tender-guarantee-required",
                "BT-751-Lot",
                p,
                l,
            );
            let description = self.v("BT-75-Lot", p, l);
            if !description.is_empty() {
                self.texte("cbc:Description", &description);
            }
            self.e.fermer("cac:RequiredFinancialGuarantee");
        }
        self.e.ouvrir("cac:CallForTendersDocumentReference", &[]);
        let reference = self.v("BT-22-Procedure", Portee::Avis, l);
        self.e.feuille(
            "cbc:ID",
            &[],
            if reference.is_empty() {
                "DCE"
            } else {
                &reference
            },
        );
        let type_doc = self.v("BT-14-Lot", p, l);
        self.e.feuille("cbc:DocumentType", &[], &type_doc);
        self.e.ouvrir("cac:Attachment", &[]);
        self.e.ouvrir("cac:ExternalReference", &[]);
        let url = self.v("BT-15-Lot", p, l);
        self.e.feuille("cbc:URI", &[], &url);
        self.e.fermer("cac:ExternalReference");
        self.e.fermer("cac:Attachment");
        self.e.fermer("cac:CallForTendersDocumentReference");
        if dix_sept {
            self.e.ouvrir("cac:PaymentTerms", &[]);
            let conditions = self.v("BT-77-Lot", p, l);
            self.texte("cbc:Note", &conditions);
            self.e.fermer("cac:PaymentTerms");
            self.e.ouvrir("cac:TendererQualificationRequest", &[]);
            self.code("cbc:CompanyLegalFormCode", "required", "BT-761-Lot", p, l);
            self.e.fermer("cac:TendererQualificationRequest");
        }
        self.exigence(
            "cac:TendererQualificationRequest",
            "cbc:TendererRequirementTypeCode",
            "reserved-procurement",
            "BT-71-Lot",
            l,
        );
        self.exigence(
            "cac:TendererQualificationRequest",
            "cbc:TendererRequirementTypeCode",
            "selection-criteria-source",
            "BT-821-Lot",
            l,
        );
        self.exigence(
            "cac:ContractExecutionRequirement",
            "cbc:ExecutionRequirementCode",
            "reserved-execution",
            "BT-736-Lot",
            l,
        );
        if dix_sept {
            self.e.ouvrir("cac:ContractExecutionRequirement", &[]);
            self.code(
                "cbc:ExecutionRequirementCode",
                "conditions",
                "OPT-060-Lot",
                p,
                l,
            );
            let conditions = self.v("BT-70-Lot", p, l);
            self.texte("cbc:Description", &conditions);
            self.e.fermer("cac:ContractExecutionRequirement");
        }
        self.exigence(
            "cac:ContractExecutionRequirement",
            "cbc:ExecutionRequirementCode",
            "einvoicing",
            "BT-743-Lot",
            l,
        );
        self.exigence(
            "cac:ContractExecutionRequirement",
            "cbc:ExecutionRequirementCode",
            "ecatalog-submission",
            "BT-764-Lot",
            l,
        );
        self.criteres(l);
        self.renseignements(l);
        self.e.ouvrir("cac:TenderRecipientParty", &[]);
        let depot = self.v("BT-18-Lot", p, l);
        self.e.feuille("cbc:EndpointID", &[], &depot);
        self.e.ouvrir("cac:PartyIdentification", &[]);
        self.e
            .feuille("cbc:ID", &[("schemeName", "organization")], "ORG-0001");
        self.e.fermer("cac:PartyIdentification");
        self.e.fermer("cac:TenderRecipientParty");
        let validite = self.v("BT-98-Lot", p, l);
        if !validite.is_empty() {
            self.e.ouvrir("cac:TenderValidityPeriod", &[]);
            self.e
                .feuille("cbc:DurationMeasure", &[("unitCode", "MONTH")], &validite);
            self.e.fermer("cac:TenderValidityPeriod");
        }
        self.e.ouvrir("cac:AppealTerms", &[]);
        self.e.ouvrir("cac:PresentationPeriod", &[]);
        let recours = self.v("BT-99-Lot", p, l);
        self.texte("cbc:Description", &recours);
        self.e.fermer("cac:PresentationPeriod");
        let org = self.v("OPT-301-Lot-ReviewOrg", p, l);
        self.reference_org("cac:AppealReceiverParty", &org);
        self.e.fermer("cac:AppealTerms");
        self.e.ouvrir("cac:Language", &[]);
        let langue = self.v("BT-97-Lot", p, l);
        self.e.feuille("cbc:ID", &[], &langue);
        self.e.fermer("cac:Language");
        self.e.ouvrir("cac:PostAwardProcess", &[]);
        let commande = self.v("BT-92-Lot", p, l);
        self.e
            .feuille("cbc:ElectronicOrderUsageIndicator", &[], &commande);
        let paiement = self.v("BT-93-Lot", p, l);
        self.e
            .feuille("cbc:ElectronicPaymentUsageIndicator", &[], &paiement);
        self.e.fermer("cac:PostAwardProcess");
        self.e.fermer("cac:TenderingTerms");
        // Tendering process.
        self.e.ouvrir("cac:TenderingProcess", &[]);
        self.code("cbc:SubmissionMethodCode", "esubmission", "BT-17-Lot", p, l);
        let amp = self.v("BT-115-Lot", p, l);
        self.e
            .feuille("cbc:GovernmentAgreementConstraintIndicator", &[], &amp);
        if let Some((date, heure)) = date_heure(&self.v("BT-131-Lot", p, l)) {
            self.e.ouvrir("cac:TenderSubmissionDeadlinePeriod", &[]);
            self.e.feuille("cbc:EndDate", &[], &date);
            self.e.feuille("cbc:EndTime", &[], &heure);
            self.e.fermer("cac:TenderSubmissionDeadlinePeriod");
        }
        if let Some((date, heure)) = date_heure(&self.v("BT-1311-Lot", p, l)) {
            self.e
                .ouvrir("cac:ParticipationRequestReceptionPeriod", &[]);
            self.e.feuille("cbc:EndDate", &[], &date);
            self.e.feuille("cbc:EndTime", &[], &heure);
            self.e.fermer("cac:ParticipationRequestReceptionPeriod");
        }
        // BT-50: after the candidatures period, before the auction terms (UBL order).
        let limite = self.v("BT-661-Lot", p, l);
        let minimum = self.v("BT-50-Lot", p, l);
        if !minimum.is_empty() {
            self.e.ouvrir("cac:EconomicOperatorShortList", &[]);
            self.e.feuille("cbc:LimitationDescription", &[], &limite);
            self.e.feuille("cbc:MinimumQuantity", &[], &minimum);
            self.e.fermer("cac:EconomicOperatorShortList");
        }
        self.e.ouvrir("cac:AuctionTerms", &[]);
        let enchere = self.v("BT-767-Lot", p, l);
        self.e
            .feuille("cbc:AuctionConstraintIndicator", &[], &enchere);
        self.e.fermer("cac:AuctionTerms");
        self.e.ouvrir("cac:ContractingSystem", &[]);
        self.code(
            "cbc:ContractingSystemTypeCode",
            "framework-agreement",
            "BT-765-Lot",
            p,
            l,
        );
        self.e.fermer("cac:ContractingSystem");
        self.e.ouvrir("cac:ContractingSystem", &[]);
        self.code(
            "cbc:ContractingSystemTypeCode",
            "dps-usage",
            "BT-766-Lot",
            p,
            l,
        );
        self.e.fermer("cac:ContractingSystem");
        self.e.fermer("cac:TenderingProcess");
        self.e.ouvrir("cac:ProcurementProject", &[]);
        self.objet(p, l);
        self.e.fermer("cac:ProcurementProject");
        self.e.fermer("cac:ProcurementProjectLot");
    }
}

/// Write the contract notice (subtype 16) of a consultation, sent at `maintenant`.
///
/// The pre-check ([`verifier_avis`]) runs first: any finding of level `erreur` stops with
/// `AVIS_INCOMPLET`, the findings in the message and the first field as the path; the
/// warnings come back with the notice.
pub fn generer_avis_marche(
    consultation: &Consultation,
    organisation: &Organisation,
    donnees: &DonneesAvis,
    maintenant: DateTime<Utc>,
) -> Result<Avis> {
    let constats = verifier_avis(consultation, organisation, donnees, maintenant);
    let avertissements = bloquer(constats)?;
    Ok(ecrire(
        consultation,
        organisation,
        donnees,
        maintenant,
        avertissements,
        None,
    ))
}

/// Stop with `AVIS_INCOMPLET` on the first error finding (all errors in the message);
/// the warnings otherwise.
pub(crate) fn bloquer(constats: Vec<ConstatAvis>) -> Result<Vec<ConstatAvis>> {
    let (erreurs, avertissements): (Vec<_>, Vec<_>) = constats
        .into_iter()
        .partition(|c| c.gravite == Gravite::Erreur);
    if let Some(premier) = erreurs.first() {
        let liste: Vec<String> = erreurs
            .iter()
            .map(|c| format!("{} ({}) : {}", c.bt, c.champ, c.message))
            .collect();
        return Err(Erreur::new(
            CodeErreur::AvisIncomplet,
            format!("avis incomplet : {}", liste.join(" ; ")),
        )
        .at(premier.champ.clone()));
    }
    Ok(avertissements)
}

pub(crate) fn ecrire(
    consultation: &Consultation,
    organisation: &Organisation,
    donnees: &DonneesAvis,
    maintenant: DateTime<Utc>,
    avertissements: Vec<ConstatAvis>,
    rectification: Option<&super::rectificatif::Rectification>,
) -> Avis {
    let lots = lots_avis(consultation);
    let s = Sources::new(consultation, organisation, donnees, maintenant);
    let aucun = LotAvis::AUCUN;
    let langue = valeur(&s, "BT-702(a)-notice", Portee::Avis, aucun);
    let mut x = Contexte {
        s,
        e: Ecrivain::new(8192 + 4096 * lots.len()),
        langue,
    };
    let a = Portee::Avis;
    let mut ns = vec![(
        "xmlns",
        "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    )];
    ns.extend_from_slice(NS_COMMUNS);
    x.e.ouvrir("ContractNotice", &ns);
    x.e.ouvrir("ext:UBLExtensions", &[]);
    x.e.ouvrir("ext:UBLExtension", &[]);
    x.e.ouvrir("ext:ExtensionContent", &[]);
    x.e.ouvrir("efext:EformsExtension", &[]);
    if let Some(r) = rectification {
        r.ecrire(&mut x);
    }
    x.e.ouvrir("efac:NoticeSubType", &[]);
    let sous_type = x.s.sous_type;
    x.e.feuille(
        "cbc:SubTypeCode",
        &[("listName", "notice-subtype")],
        sous_type,
    );
    x.e.fermer("efac:NoticeSubType");
    x.e.ouvrir("efac:Organizations", &[]);
    x.organisation("ORG-0001", Portee::Acheteur, aucun);
    x.organisation("ORG-0002", Portee::Recours, aucun);
    x.e.fermer("efac:Organizations");
    x.e.fermer("efext:EformsExtension");
    x.e.fermer("ext:ExtensionContent");
    x.e.fermer("ext:UBLExtension");
    x.e.fermer("ext:UBLExtensions");
    x.e.feuille("cbc:UBLVersionID", &[], "2.3");
    x.e.feuille("cbc:CustomizationID", &[], VERSION_SDK);
    let identifiant = x.v("BT-701-notice", a, aucun);
    x.e.feuille("cbc:ID", &[("schemeName", "notice-id")], &identifiant);
    let identifiant_procedure = x.v("BT-04-notice", a, aucun);
    x.e.feuille("cbc:ContractFolderID", &[], &identifiant_procedure);
    let envoi = maintenant.with_timezone(&Paris).to_rfc3339();
    if let Some((date, heure)) = date_heure(&envoi) {
        x.e.feuille("cbc:IssueDate", &[], &date);
        x.e.feuille("cbc:IssueTime", &[], &heure);
    }
    let version = x.v("BT-757-notice", a, aucun);
    x.e.feuille("cbc:VersionID", &[], &version);
    let base = x.v("BT-01-notice", a, aucun);
    x.e.feuille("cbc:RegulatoryDomain", &[], &base);
    x.code(
        "cbc:NoticeTypeCode",
        "competition",
        "BT-02-notice",
        a,
        aucun,
    );
    let langue = x.langue.clone();
    x.e.feuille("cbc:NoticeLanguageCode", &[], &langue);
    // Buyer.
    x.e.ouvrir("cac:ContractingParty", &[]);
    x.e.ouvrir("cac:ContractingPartyType", &[]);
    x.code(
        "cbc:PartyTypeCode",
        "buyer-legal-type",
        "BT-11-Procedure-Buyer",
        Portee::Acheteur,
        aucun,
    );
    x.e.fermer("cac:ContractingPartyType");
    x.activite();
    x.reference_org("cac:Party", "ORG-0001");
    x.e.fermer("cac:ContractingParty");
    // Procedure terms.
    x.e.ouvrir("cac:TenderingTerms", &[]);
    x.e.ouvrir("cac:TendererQualificationRequest", &[]);
    x.e.ouvrir("cac:SpecificTendererRequirement", &[]);
    x.code(
        "cbc:TendererRequirementTypeCode",
        "exclusion-grounds-source",
        "BT-806-Procedure",
        a,
        aucun,
    );
    x.e.fermer("cac:SpecificTendererRequirement");
    x.e.fermer("cac:TendererQualificationRequest");
    let max_lots = x.v("BT-31-Procedure", a, aucun);
    if !max_lots.is_empty() {
        x.e.ouvrir("cac:LotDistribution", &[]);
        x.e.feuille("cbc:MaximumLotsSubmittedNumeric", &[], &max_lots);
        x.e.fermer("cac:LotDistribution");
    }
    x.e.fermer("cac:TenderingTerms");
    x.e.ouvrir("cac:TenderingProcess", &[]);
    x.code(
        "cbc:ProcedureCode",
        "procurement-procedure-type",
        "BT-105-Procedure",
        a,
        aucun,
    );
    x.e.ouvrir("cac:ProcessJustification", &[]);
    x.code(
        "cbc:ProcessReasonCode",
        "accelerated-procedure",
        "BT-106-Procedure",
        a,
        aucun,
    );
    x.e.fermer("cac:ProcessJustification");
    x.e.fermer("cac:TenderingProcess");
    x.e.ouvrir("cac:ProcurementProject", &[]);
    x.objet(a, aucun);
    x.e.fermer("cac:ProcurementProject");
    for l in &lots {
        x.lot(*l);
    }
    x.e.fermer("ContractNotice");
    Avis {
        sous_type: x.s.sous_type.into(),
        identifiant,
        identifiant_procedure,
        xml: x.e.sortie,
        avertissements,
    }
}
