//! The eForms result notice (avis d'attribution), subtype 29: the results of an open,
//! restricted or negotiated procedure (or competitive dialogue) of a pouvoir adjudicateur
//! (directive 2014/24/EU), written from the procedure's decisions, its plis and the
//! contracts. Every value comes from the mapping table ([`super::correspondance`]); this
//! file only knows where each business term sits in the UBL document and in what order.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;

use super::avis::{Avis, Contexte, NS_COMMUNS, VERSION_SDK, bloquer, date_heure};
use super::correspondance::{LotAvis, Portee, Sources, valeur};
use super::donnees::DonneesAvis;
use super::precontrole::{ConstatAvis, Constats, lots_avis, verifier_sources};
use super::resultat::ContratLot;
use super::xml::Ecrivain;
use crate::Result;
use crate::model::Organisation;
use crate::procedure::Procedure;

/// Check everything a result notice of subtype 29 needs: the terms of the contract notice
/// it shares (buyer, review body, lots, award criteria), the decision of every lot, the
/// contract of every awarded lot, the winners' addresses and sizes, the size of every
/// tenderer. Findings come errors first.
pub fn verifier_avis_attribution(
    procedure: &Procedure,
    organisation: &Organisation,
    donnees: &DonneesAvis,
    contrats: &[ContratLot],
    maintenant: DateTime<Utc>,
) -> Vec<ConstatAvis> {
    let s = Sources::resultat(procedure, organisation, donnees, contrats, maintenant);
    let mut k = Constats(Vec::new());
    verifier_sources(&s, &mut k);
    k.0.sort_by_key(|c| c.gravite);
    k.0
}

/// Write the result notice (subtype 29) of a procedure whose lots are all decided
/// (attribution, infructueux or sans suite), sent at `maintenant`. `contrats` holds the
/// contract of each awarded lot (from [`crate::donnees::contrat_depuis_decision`],
/// notified: BT-145 is its notification date).
///
/// The pre-check ([`verifier_avis_attribution`]) runs first: any finding of level `erreur`
/// stops with `AVIS_INCOMPLET`, the findings in the message and the first field as the
/// path; the warnings come back with the notice.
pub fn generer_avis_attribution(
    procedure: &Procedure,
    organisation: &Organisation,
    donnees: &DonneesAvis,
    contrats: &[ContratLot],
    maintenant: DateTime<Utc>,
) -> Result<Avis> {
    let constats =
        verifier_avis_attribution(procedure, organisation, donnees, contrats, maintenant);
    let avertissements = bloquer(constats)?;
    let s = Sources::resultat(procedure, organisation, donnees, contrats, maintenant);
    Ok(ecrire(s, avertissements))
}

impl Contexte<'_> {
    fn liste(&mut self, conteneur: &str, schema: &str, ids: &[String]) {
        for id in ids {
            self.e.ouvrir(conteneur, &[]);
            self.e.feuille("cbc:ID", &[("schemeName", schema)], id);
            self.e.fermer(conteneur);
        }
    }

    fn montant(&mut self, nom: &str, v: &str) {
        self.e.feuille(nom, &[("currencyID", "EUR")], v);
    }

    fn resultat_lot(&mut self, l: LotAvis<'_>) {
        let p = Portee::Resultat;
        self.e.ouvrir("efac:LotResult", &[]);
        let id = self.v("OPT-322-LotResult", p, l);
        self.e.feuille("cbc:ID", &[("schemeName", "result")], &id);
        self.code(
            "cbc:TenderResultCode",
            "winner-selection-status",
            "BT-142-LotResult",
            p,
            l,
        );
        let motif = self.v("BT-144-LotResult", p, l);
        if !motif.is_empty() {
            self.e.ouvrir("efac:DecisionReason", &[]);
            self.e.feuille(
                "efbc:DecisionReasonCode",
                &[("listName", "non-award-justification")],
                &motif,
            );
            self.e.fermer("efac:DecisionReason");
        }
        let offres = self.vs("OPT-320-LotResult", p, l);
        self.liste("efac:LotTender", "tender", &offres);
        let types = self.vs("BT-760-LotResult", p, l);
        let nombres = self.vs("BT-759-LotResult", p, l);
        for (t, n) in types.iter().zip(&nombres) {
            self.e.ouvrir("efac:ReceivedSubmissionsStatistics", &[]);
            self.e.feuille(
                "efbc:StatisticsCode",
                &[("listName", "received-submission-type")],
                t,
            );
            self.e.feuille("efbc:StatisticsNumeric", &[], n);
            self.e.fermer("efac:ReceivedSubmissionsStatistics");
        }
        let contrats = self.vs("OPT-315-LotResult", p, l);
        self.liste("efac:SettledContract", "contract", &contrats);
        let lot = self.v("BT-13713-LotResult", p, l);
        self.liste("efac:TenderLot", "Lot", &[lot]);
        self.e.fermer("efac:LotResult");
    }

    fn offre(&mut self, l: LotAvis<'_>) {
        let p = Portee::Offre;
        self.e.ouvrir("efac:LotTender", &[]);
        let id = self.v("OPT-321-Tender", p, l);
        self.e.feuille("cbc:ID", &[("schemeName", "tender")], &id);
        if self.s.sous_type == "30" {
            let variante = self.v("BT-193-Tender", p, l);
            self.e
                .feuille("efbc:TenderVariantIndicator", &[], &variante);
        }
        self.e.ouvrir("cac:LegalMonetaryTotal", &[]);
        let montant = self.v("BT-720-Tender", p, l);
        self.montant("cbc:PayableAmount", &montant);
        self.e.fermer("cac:LegalMonetaryTotal");
        self.e.ouvrir("efac:SubcontractingTerm", &[]);
        let sous_traitance = self.v("BT-773-Tender", p, l);
        self.e.feuille(
            "efbc:TermCode",
            &[("listName", "applicability")],
            &sous_traitance,
        );
        if sous_traitance == "yes" {
            // The share subcontracted is not in mpe's contract: declared unknown.
            self.e
                .feuille("efbc:PercentageKnownIndicator", &[], "false");
            self.e.feuille("efbc:ValueKnownIndicator", &[], "false");
        }
        self.e.fermer("efac:SubcontractingTerm");
        let partie = self.v("OPT-310-Tender", p, l);
        self.liste("efac:TenderingParty", "tendering-party", &[partie]);
        let lot = self.v("BT-13714-Tender", p, l);
        self.liste("efac:TenderLot", "Lot", &[lot]);
        self.e.ouvrir("efac:TenderReference", &[]);
        let reference = self.v("BT-3201-Tender", p, l);
        self.e.feuille("cbc:ID", &[], &reference);
        self.e.fermer("efac:TenderReference");
        self.e.fermer("efac:LotTender");
    }

    fn contrat(&mut self, l: LotAvis<'_>) {
        let p = Portee::Contrat;
        self.e.ouvrir("efac:SettledContract", &[]);
        let id = self.v("OPT-316-Contract", p, l);
        self.e.feuille("cbc:ID", &[("schemeName", "contract")], &id);
        let conclusion = self.v("BT-145-Contract", p, l);
        self.e.feuille("cbc:IssueDate", &[], &conclusion);
        self.e.ouvrir("efac:ContractReference", &[]);
        let numero = self.v("BT-150-Contract", p, l);
        self.e.feuille("cbc:ID", &[], &numero);
        self.e.fermer("efac:ContractReference");
        let offres = self.vs("BT-3202-Contract", p, l);
        self.liste("efac:LotTender", "tender", &offres);
        self.e.fermer("efac:SettledContract");
    }

    /// A lot of the result notice: its terms (funding, award criteria, review) and object.
    fn lot_resultat(&mut self, l: LotAvis<'_>) {
        let p = Portee::Lot;
        self.e.ouvrir("cac:ProcurementProjectLot", &[]);
        self.e
            .feuille("cbc:ID", &[("schemeName", "Lot")], &l.identifiant());
        self.e.ouvrir("cac:TenderingTerms", &[]);
        self.code("cbc:FundingProgramCode", "eu-funded", "BT-60-Lot", p, l);
        self.criteres(l);
        self.renseignements(l);
        self.e.ouvrir("cac:AppealTerms", &[]);
        self.e.ouvrir("cac:PresentationPeriod", &[]);
        let recours = self.v("BT-99-Lot", p, l);
        self.texte("cbc:Description", &recours);
        self.e.fermer("cac:PresentationPeriod");
        let org = self.v("OPT-301-Lot-ReviewOrg", p, l);
        self.reference_org("cac:AppealReceiverParty", &org);
        self.e.fermer("cac:AppealTerms");
        self.e.fermer("cac:TenderingTerms");
        self.e.ouvrir("cac:TenderingProcess", &[]);
        let amp = self.v("BT-115-Lot", p, l);
        self.e
            .feuille("cbc:GovernmentAgreementConstraintIndicator", &[], &amp);
        self.e.ouvrir("cac:AuctionTerms", &[]);
        let enchere = self.v("BT-767-Lot", p, l);
        self.e
            .feuille("cbc:AuctionConstraintIndicator", &[], &enchere);
        self.e.fermer("cac:AuctionTerms");
        for (liste, bt) in [
            ("framework-agreement", "BT-765-Lot"),
            ("dps-usage", "BT-766-Lot"),
        ] {
            self.e.ouvrir("cac:ContractingSystem", &[]);
            self.code("cbc:ContractingSystemTypeCode", liste, bt, p, l);
            self.e.fermer("cac:ContractingSystem");
        }
        self.e.fermer("cac:TenderingProcess");
        self.e.ouvrir("cac:ProcurementProject", &[]);
        self.objet(p, l);
        self.e.fermer("cac:ProcurementProject");
        self.e.fermer("cac:ProcurementProjectLot");
    }
}

fn ecrire(s: Sources<'_>, avertissements: Vec<ConstatAvis>) -> Avis {
    let aucun = LotAvis::AUCUN;
    let lots = lots_avis(s.consultation);
    let (nb_offres, nb_gagnants, nb_contrats) = s.resultat.as_ref().map_or((0, 0, 0), |r| {
        (r.offres.len(), r.gagnants.len(), r.contrats.len())
    });
    let langue = valeur(&s, "BT-702(a)-notice", Portee::Avis, aucun);
    let maintenant = s.maintenant;
    let mut x = Contexte {
        s,
        e: Ecrivain::new(8192 + 6144 * lots.len()),
        langue,
    };
    let a = Portee::Avis;
    let mut ns = vec![(
        "xmlns",
        "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
    )];
    ns.extend_from_slice(NS_COMMUNS);
    x.e.ouvrir("ContractAwardNotice", &ns);
    x.e.ouvrir("ext:UBLExtensions", &[]);
    x.e.ouvrir("ext:UBLExtension", &[]);
    x.e.ouvrir("ext:ExtensionContent", &[]);
    x.e.ouvrir("efext:EformsExtension", &[]);
    x.e.ouvrir("efac:NoticeResult", &[]);
    let total = x.v("BT-161-NoticeResult", a, aucun);
    if !total.is_empty() {
        x.montant("cbc:TotalAmount", &total);
    }
    for l in &lots {
        x.resultat_lot(*l);
    }
    for i in 0..nb_offres {
        x.offre(aucun.element(i));
    }
    for i in 0..nb_contrats {
        x.contrat(aucun.element(i));
    }
    for i in 0..nb_gagnants {
        x.e.ouvrir("efac:TenderingParty", &[]);
        x.e.feuille(
            "cbc:ID",
            &[("schemeName", "tendering-party")],
            &format!("TPA-{:04}", i + 1),
        );
        x.liste(
            "efac:Tenderer",
            "organization",
            &[format!("ORG-{:04}", i + 3)],
        );
        x.e.fermer("efac:TenderingParty");
    }
    x.e.fermer("efac:NoticeResult");
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
    for i in 0..nb_gagnants {
        x.organisation(
            &format!("ORG-{:04}", i + 3),
            Portee::Attributaire,
            aucun.element(i),
        );
    }
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
    if let Some((date, heure)) = date_heure(&maintenant.with_timezone(&Paris).to_rfc3339()) {
        x.e.feuille("cbc:IssueDate", &[], &date);
        x.e.feuille("cbc:IssueTime", &[], &heure);
    }
    let version = x.v("BT-757-notice", a, aucun);
    x.e.feuille("cbc:VersionID", &[], &version);
    let base = x.v("BT-01-notice", a, aucun);
    x.e.feuille("cbc:RegulatoryDomain", &[], &base);
    x.code("cbc:NoticeTypeCode", "result", "BT-02-notice", a, aucun);
    let langue = x.langue.clone();
    x.e.feuille("cbc:NoticeLanguageCode", &[], &langue);
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
        x.lot_resultat(*l);
    }
    x.e.ouvrir("cac:TenderResult", &[]);
    let attribution = x.v("OPT-999-notice", a, aucun);
    x.e.feuille("cbc:AwardDate", &[], &attribution);
    x.e.fermer("cac:TenderResult");
    x.e.fermer("ContractAwardNotice");
    Avis {
        sous_type: x.s.sous_type.into(),
        identifiant,
        identifiant_procedure,
        xml: x.e.sortie,
        avertissements,
    }
}
