//! The contract of a lot, drawn from the attribution decision of a procedure.
//!
//! The procedure knows most of what the register and DECP need: the consultation (type of
//! procedure, kind of contract, lots, CPV, lieux d'exécution), the decision of the lot (its
//! attributaires and amounts, who took it), the plis (the companies, the number of offers
//! received). What it cannot know — the contract number, the notification date, the duration,
//! the price form, the CCAG when the buyer chose another than the usual one, the details of
//! the companies (siège, APE, PME) — comes in a [`ComplementContrat`].
//!
//! Mapping (consultation → DECP 2022):
//!
//! | consultation | DECP |
//! |---|---|
//! | appel d'offres ouvert / restreint | `Appel d'offres ouvert` / `Appel d'offres restreint` |
//! | procédure adaptée ouverte or restreinte | `Procédure adaptée` |
//! | procédure concurrentielle avec négociation | `Procédure avec négociation` |
//! | dialogue compétitif | `Dialogue compétitif` |
//! | marché négocié sans publicité, concours (marché attribué au lauréat, R. 2122-6) | `Marché passé sans publicité ni mise en concurrence préalable` (+ technique `Concours`) |
//! | accord-cadre mono / multi-attributaires | nature `Marché`, technique `Accord-cadre` |
//! | SAD, marché spécifique | technique `Système d'acquisition dynamique` |
//! | marché de partenariat | nature `Marché de partenariat` |
//! | concession | contrat de concession (procedure given by the complement) |
//!
//! Titulaires: a SIRET is typed `SIRET`; a company of another EU state is typed `TVA` with
//! its intra-community number (country prefix added when missing); French Polynesia, New
//! Caledonia, Wallis-et-Futuna and Saint-Pierre-et-Miquelon use `TAHITI`, `RIDET`, `FRWF`
//! and `IREP`; any other country is `HORS-UE`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::modele::{
    Acheteur, Attribution, Contact, Contrat, LieuExecution, NaturePrestations, StatutContrat,
    Titulaire, TypeContrat, TypeIdentifiant,
};
use crate::model::{self, Organisation, TypeProcedure};
use crate::procedure::{Decision, IdentifiantEntreprise, Procedure};
use crate::{CodeErreur, Erreur, Result};

/// What the decision does not hold, to complete the contract. Only `numero` is required;
/// every other field has a default taken from the procedure (documented on each field).
///
/// JSON (camelCase, DECP vocabulary): `{"numero": "2026-0611-01", "dateNotification":
/// "2027-01-05", "dureeMois": 8, "formePrix": "Forfaitaire", "typesPrix": ["Définitif
/// ferme"]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ComplementContrat {
    /// N° de contrat (DECP `id`, 1 to 16 characters, unique for the buyer).
    pub numero: String,
    /// The instant of the decision the contract is drawn from, as the buyer saw it. When
    /// given, a decision reset since (or reset and taken again) is refused with
    /// [`CodeErreur::DecisionReinitialisee`] instead of silently using another decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_du: Option<DateTime<Utc>>,
    /// Date de notification (the contract is then "notifié"; "à notifier" without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_notification: Option<NaiveDate>,
    /// Date the essential data are published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_publication_donnees: Option<NaiveDate>,
    /// Duration in months.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    /// Amount HT in euros. Default: the amount of the decision (the sum of the
    /// attributaires' amounts for an accord-cadre multi-attributaires, whose DECP amount is
    /// its maximum: give it here when it differs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub montant: Option<f64>,
    /// Forme du prix (`Unitaire`, `Forfaitaire`, `Mixte`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forme_prix: Option<String>,
    /// Types de prix (`Définitif ferme`...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types_prix: Vec<String>,
    /// CCAG. Default: `Travaux` for works, `Fournitures courantes et services` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ccag: Option<String>,
    /// Procédure de passation (DECP spelling). Default: mapped from the consultation;
    /// required for a concession (the consultation does not say which DECP procedure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procedure: Option<String>,
    /// Lieu d'exécution. Default: the consultation's first lieu d'exécution (a 2- or
    /// 3-character code is a département, 5 digits a commune).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lieu_execution: Option<LieuExecution>,
    /// Accord-cadre of a marché subséquent (its contract number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_accord_cadre: Option<String>,
    /// Techniques d'achat, added to those implied by the kind of contract.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub techniques: Vec<String>,
    /// Modalités d'exécution (`Tranches`, `Bons de commande`...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modalites_execution: Vec<String>,
    /// Considérations sociales.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub considerations_sociales: Vec<String>,
    /// Considérations environnementales.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub considerations_environnementales: Vec<String>,
    /// Innovative (default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marche_innovant: Option<bool>,
    /// Rate of the advance (0 to 1); `attributionAvance` follows (default: no advance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taux_avance: Option<f64>,
    /// `Conjoint`, `Solidaire` or `Pas de groupement` (default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_groupement_operateurs: Option<String>,
    /// Share of EU origin (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origine_ue: Option<f64>,
    /// Share of French origin (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origine_france: Option<f64>,
    /// Subcontracting declared (default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sous_traitance_declaree: Option<bool>,
    /// The contract's main contact. Default: the contact of the (first) attributaire's pli.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Agent managing the contract. Default: the agent who took the decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_gestionnaire: Option<String>,
    /// Company details the plis do not hold (siège, code APE, forme juridique, PME), matched
    /// to the attributaires by identifier (`id` as it ends up in the contract).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entreprises: Vec<Titulaire>,
}

/// The DECP label of a consultation's procedure (marchés); `None` for a concession.
pub fn procedure_decp(p: TypeProcedure) -> Option<&'static str> {
    Some(match p {
        TypeProcedure::AppelOffresOuvert => "Appel d'offres ouvert",
        TypeProcedure::AppelOffresRestreint => "Appel d'offres restreint",
        TypeProcedure::ProcedureAdapteeOuverte | TypeProcedure::ProcedureAdapteeRestreinte => {
            "Procédure adaptée"
        }
        TypeProcedure::ProcedureAvecNegociation => "Procédure avec négociation",
        TypeProcedure::DialogueCompetitif => "Dialogue compétitif",
        TypeProcedure::MarcheNegocieSansPublicite | TypeProcedure::Concours => {
            "Marché passé sans publicité ni mise en concurrence préalable"
        }
        TypeProcedure::ProcedureConcession => return None,
    })
}

fn type_contrat(t: model::TypeContrat) -> TypeContrat {
    match t {
        model::TypeContrat::Marche | model::TypeContrat::MarcheGlobal => TypeContrat::Marche,
        model::TypeContrat::AccordCadreMonoAttributaire => TypeContrat::AccordCadreMonoAttributaire,
        model::TypeContrat::AccordCadreMultiAttributaires => {
            TypeContrat::AccordCadreMultiAttributaire
        }
        model::TypeContrat::MarcheSubsequent => TypeContrat::MarcheSubsequent,
        model::TypeContrat::SystemeAcquisitionDynamique | model::TypeContrat::MarcheSpecifique => {
            TypeContrat::SystemeAcquisitionDynamique
        }
        model::TypeContrat::Concession => TypeContrat::Concession,
        model::TypeContrat::MarchePartenariat => TypeContrat::MarcheDePartenariat,
    }
}

fn nature(c: model::CategoriePrincipale) -> NaturePrestations {
    match c {
        model::CategoriePrincipale::Travaux => NaturePrestations::Travaux,
        model::CategoriePrincipale::Fournitures => NaturePrestations::Fournitures,
        model::CategoriePrincipale::Services => NaturePrestations::Services,
    }
}

/// EU member states other than France (ISO 3166-1 alpha-2).
const UE: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The DECP identifier of a company.
pub fn identifiant_decp(id: &IdentifiantEntreprise) -> (TypeIdentifiant, String) {
    match id {
        IdentifiantEntreprise::Siret(s) => (
            TypeIdentifiant::Siret,
            s.chars().filter(|c| !c.is_whitespace()).collect(),
        ),
        IdentifiantEntreprise::Etranger { pays, numero } => {
            let propre: String = numero
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            match pays.as_str() {
                "PF" => (TypeIdentifiant::Tahiti, propre),
                "NC" => (TypeIdentifiant::Ridet, propre),
                "WF" => (TypeIdentifiant::Frwf, propre),
                "PM" => (TypeIdentifiant::Irep, propre),
                p if UE.contains(&p) => {
                    // VAT numbers carry the country prefix; Greece's is EL.
                    let prefixe = if p == "GR" { "EL" } else { p };
                    if propre.starts_with(prefixe) {
                        (TypeIdentifiant::Tva, propre)
                    } else {
                        (TypeIdentifiant::Tva, format!("{prefixe}{propre}"))
                    }
                }
                _ => (TypeIdentifiant::HorsUe, numero.trim().to_string()),
            }
        }
    }
}

fn lieu(l: &model::LieuExecution) -> LieuExecution {
    let code = l.code.trim();
    let type_code = if code.len() == 5
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'A' || b == b'B')
    {
        "Code commune"
    } else if (2..=3).contains(&code.len()) {
        "Code département"
    } else {
        "Code postal"
    };
    LieuExecution {
        code: code.to_string(),
        type_code: type_code.into(),
        nom: Some(l.libelle.clone()).filter(|s| !s.trim().is_empty()),
    }
}

/// The contract of `lot` (0 for a consultation non allotie) from the attribution decision of
/// the procedure `p`, for the buyer `organisation`, completed by `complement`.
///
/// The result is a register entry ("à notifier", or "notifié" when `dateNotification` is
/// given) checked by [`Contrat::verifier_coherence`]; export it with
/// [`super::exporter_decp_json`] once its DECP fields are complete.
///
/// Errors: [`CodeErreur::LotInconnu`] (not a lot of the consultation),
/// [`CodeErreur::DecisionAbsente`] (the lot is not decided), [`CodeErreur::DecisionNonAttribution`]
/// (sans suite, infructueux, sélection...), [`CodeErreur::DecisionReinitialisee`] (the decision
/// of `complement.decisionDu` was reset since), [`CodeErreur::PliInconnu`] (an attributaire's
/// pli is missing from the state), [`CodeErreur::ContratIncoherent`] (no contract number, a
/// marché subséquent without its accord-cadre, a concession without its procedure).
///
/// ```
/// use mpe::donnees::{ComplementContrat, contrat_depuis_decision};
/// use mpe::model::{Consultation, Organisation};
/// use mpe::procedure::Procedure;
///
/// let c: Consultation = serde_json::from_str(include_str!("../../../examples/data/consultation.json")).unwrap();
/// let org: Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
/// let p = Procedure::brouillon(c);
/// let complement = ComplementContrat { numero: "2026-0611-01".into(), ..Default::default() };
/// // Nothing decided yet on lot 1; lot 9 does not exist.
/// let e = contrat_depuis_decision(&p, &org, &complement, 1).unwrap_err();
/// assert_eq!(e.code(), mpe::CodeErreur::DecisionAbsente);
/// let e = contrat_depuis_decision(&p, &org, &complement, 9).unwrap_err();
/// assert_eq!(e.code(), mpe::CodeErreur::LotInconnu);
/// ```
pub fn contrat_depuis_decision(
    p: &Procedure,
    organisation: &Organisation,
    complement: &ComplementContrat,
    lot: u32,
) -> Result<Contrat> {
    let c = &p.consultation;
    let ident = &c.identification;
    if !p.lot_existe(lot) {
        let attendu = if ident.allotie {
            "un numéro de lot de la consultation"
        } else {
            "0 (consultation non allotie)"
        };
        return Err(Erreur::new(
            CodeErreur::LotInconnu,
            format!("lot {lot} inconnu : {attendu} attendu"),
        )
        .at("$.lot"));
    }
    let nom_lot = if lot == 0 {
        "la consultation".to_string()
    } else {
        format!("le lot {lot}")
    };
    let decision = match (p.decisions.get(&lot), complement.decision_du) {
        (None, None) => {
            return Err(Erreur::new(
                CodeErreur::DecisionAbsente,
                format!("aucune décision sur {nom_lot} : pas de contrat à créer"),
            ));
        }
        (None, Some(du)) => {
            return Err(Erreur::new(
                CodeErreur::DecisionReinitialisee,
                format!(
                    "la décision du {} sur {nom_lot} a été réinitialisée : plus de décision en vigueur",
                    crate::format::date_heure(du)
                ),
            )
            .at("$.decisionDu"));
        }
        (Some(d), Some(du)) if d.le != du => {
            return Err(Erreur::new(
                CodeErreur::DecisionReinitialisee,
                format!(
                    "la décision du {} sur {nom_lot} a été réinitialisée puis reprise le {} : vérifier la nouvelle décision",
                    crate::format::date_heure(du),
                    crate::format::date_heure(d.le)
                ),
            )
            .at("$.decisionDu"));
        }
        (Some(d), _) => d,
    };
    let Decision::Attribution { attributaires } = &decision.decision else {
        return Err(Erreur::new(
            CodeErreur::DecisionNonAttribution,
            format!(
                "{nom_lot} n'est pas attribué (décision : {}) : pas de contrat",
                decision.decision.libelle()
            ),
        ));
    };
    let lot_c = if lot == 0 { None } else { c.lot(lot) };
    let cpv = lot_c.map_or(&ident.cpv.principal, |l| &l.cpv.principal);
    let categorie = lot_c.map_or(ident.categorie, |l| l.categorie);
    let objet = match lot_c {
        Some(l) => format!("{} — lot {} : {}", ident.intitule, l.numero, l.intitule),
        None => ident.intitule.clone(),
    };
    let procedure = match (&complement.procedure, procedure_decp(ident.procedure)) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => p.to_string(),
        (None, None) => {
            return Err(Erreur::new(
                CodeErreur::ContratIncoherent,
                "concession : indiquer la procédure de passation DECP dans le complément (procedure)",
            )
            .at("$.procedure"));
        }
    };
    let mut titulaires = Vec::with_capacity(attributaires.len());
    let mut contact = None;
    for (i, a) in attributaires.iter().enumerate() {
        let pli = p.pli(a.pli).ok_or_else(|| {
            Erreur::new(
                CodeErreur::PliInconnu,
                format!(
                    "pli {} de l'attributaire introuvable dans la procédure",
                    a.pli
                ),
            )
            .at(format!("$.decisions.{lot}.decision.attributaires[{i}]"))
        })?;
        let (type_identifiant, id) = identifiant_decp(&pli.entreprise.identifiant);
        let details = complement
            .entreprises
            .iter()
            .find(|t| t.id == id)
            .cloned()
            .unwrap_or_default();
        titulaires.push(Titulaire {
            type_identifiant,
            raison_sociale: Some(pli.entreprise.raison_sociale.clone()),
            siege: details.siege,
            code_ape: details.code_ape,
            forme_juridique: details.forme_juridique,
            pme: details.pme,
            id,
        });
        if contact.is_none() {
            let k = &pli.entreprise.contact;
            contact = Some(Contact {
                nom: k.nom.clone(),
                email: Some(k.email.clone()),
                telephone: k.telephone.clone(),
            });
        }
    }
    let montant = complement.montant.or_else(|| {
        Some(
            attributaires
                .iter()
                .map(|a| a.montant.centimes())
                .sum::<i64>() as f64
                / 100.0,
        )
    });
    let tc = type_contrat(ident.type_contrat);
    let mut contrat = Contrat::depuis_attribution(Attribution {
        numero: complement.numero.clone(),
        reference_consultation: ident.reference.clone(),
        lot,
        objet,
        acheteur: Acheteur {
            id: organisation.entite.siret.clone(),
            nom: Some(organisation.entite.nom.clone()),
        },
        procedure,
        type_contrat: tc,
        id_accord_cadre: complement.id_accord_cadre.clone(),
        code_cpv: Some(cpv.clone()).filter(|s| !s.is_empty()),
        attributaires: titulaires,
        montant,
        duree_mois: complement.duree_mois,
        offres_recues: Some(p.plis_recevables(lot).count() as u32),
        agent_gestionnaire: complement
            .agent_gestionnaire
            .clone()
            .or_else(|| Some(decision.par.clone())),
    })?;
    contrat.nature_prestations = Some(nature(categorie));
    let mut techniques = contrat.techniques.clone();
    if ident.procedure == TypeProcedure::Concours {
        techniques.push("Concours".into());
    }
    if tc == TypeContrat::SystemeAcquisitionDynamique {
        techniques.push("Système d'acquisition dynamique".into());
    }
    for t in &complement.techniques {
        if !techniques.contains(t) {
            techniques.push(t.clone());
        }
    }
    contrat.techniques = techniques;
    contrat.modalites_execution = complement.modalites_execution.clone();
    contrat.ccag = complement.ccag.clone().or_else(|| {
        Some(
            match categorie {
                model::CategoriePrincipale::Travaux => "Travaux",
                _ => "Fournitures courantes et services",
            }
            .into(),
        )
    });
    contrat.marche_innovant = Some(complement.marche_innovant.unwrap_or(false));
    contrat.taux_avance = Some(complement.taux_avance.unwrap_or(0.0));
    contrat.attribution_avance = Some(complement.taux_avance.is_some_and(|t| t > 0.0));
    contrat.type_groupement_operateurs = Some(
        complement
            .type_groupement_operateurs
            .clone()
            .unwrap_or_else(|| "Pas de groupement".into()),
    );
    contrat.origine_ue = complement.origine_ue;
    contrat.origine_france = complement.origine_france;
    contrat.lieu_execution = complement
        .lieu_execution
        .clone()
        .or_else(|| ident.lieux_execution.first().map(lieu));
    contrat.contact = complement.contact.clone().or(contact);
    contrat.date_notification = complement.date_notification;
    contrat.date_publication_donnees = complement.date_publication_donnees;
    contrat.forme_prix = complement.forme_prix.clone();
    contrat.types_prix = complement.types_prix.clone();
    contrat.considerations_sociales = complement.considerations_sociales.clone();
    contrat.considerations_environnementales = complement.considerations_environnementales.clone();
    contrat.sous_traitance_declaree = Some(complement.sous_traitance_declaree.unwrap_or(false));
    if complement.date_notification.is_some() {
        contrat.statut = StatutContrat::Notifie;
    }
    Ok(contrat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_of_foreign_companies() {
        let e = |pays: &str, numero: &str| IdentifiantEntreprise::Etranger {
            pays: pays.into(),
            numero: numero.into(),
        };
        assert_eq!(
            identifiant_decp(&e("DE", "814 864 138")),
            (TypeIdentifiant::Tva, "DE814864138".into())
        );
        assert_eq!(
            identifiant_decp(&e("BE", "BE0123.456.789")),
            (TypeIdentifiant::Tva, "BE0123456789".into())
        );
        assert_eq!(
            identifiant_decp(&e("GR", "094014201")),
            (TypeIdentifiant::Tva, "EL094014201".into())
        );
        assert_eq!(
            identifiant_decp(&e("US", "EIN 12-3456789")),
            (TypeIdentifiant::HorsUe, "EIN 12-3456789".into())
        );
        assert_eq!(
            identifiant_decp(&e("NC", "1234567")).0,
            TypeIdentifiant::Ridet
        );
        assert_eq!(
            identifiant_decp(&IdentifiantEntreprise::Siret("44238104200005".into())),
            (TypeIdentifiant::Siret, "44238104200005".into())
        );
    }

    #[test]
    fn lieux() {
        let l = |code: &str| {
            lieu(&model::LieuExecution {
                code: code.into(),
                libelle: "x".into(),
            })
            .type_code
        };
        assert_eq!(l("69"), "Code département");
        assert_eq!(l("2A"), "Code département");
        assert_eq!(l("971"), "Code département");
        assert_eq!(l("69266"), "Code commune");
    }
}
