//! The data of the DAJ forms taken from the procedure itself: the consultation, its plis,
//! the analysis, the decisions, the organisation. Only what the procedure cannot know
//! (commission, contract clauses, guarantee, the court, the text of a mise au point) comes
//! from the host as [`ParametresDocuments`].
//!
//! ```
//! use mpe::documents::{ParametresDocuments, donnees_documents};
//! # use chrono::{TimeZone, Utc};
//! # use mpe::model::{Consultation, Organisation};
//! # use mpe::procedure::{Acteur, Action, Contexte, Procedure};
//! # let c: Consultation = serde_json::from_str(include_str!("../../../examples/data/consultation.json")).unwrap();
//! # let org: Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
//! # let alice = Acteur::Agent { id: "a.martin".into() };
//! # let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
//! # let ctx = Contexte { maintenant: t0, acteur: &alice, organisation: &org };
//! # let (mut p, _) = Procedure::nouvelle(c, &ctx).unwrap();
//! let d = donnees_documents(&p, &org, &ParametresDocuments::default()).unwrap();
//! assert_eq!(d.consultation.reference, "AOO_2026/0611");
//! assert_eq!(d.organisme.nom, "Ville de Villeurbanne");
//! ```

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::formulaires::{
    AttributionDoc, CandidatDoc, CommissionDoc, ConsultationDoc, ContratDoc, Critere, DecisionDoc,
    DonneesProcedure, GarantieDoc, LotDoc, OffreDoc, Organisme, ParametresDocument,
    PointMiseAuPoint, QuestionDoc,
};
use crate::model::{CategoriePrincipale, Decision, IdentifiantEntreprise, Organisation};
use crate::procedure::Procedure;
use crate::rules::temps::heure_paris;
use crate::{CodeErreur, Erreur, Result};

/// The clauses of the contract that the procedure does not hold. The titulaire, the lot and
/// the amount come from the attribution.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(default)]
pub struct ClausesContrat {
    /// Contract number (default: the consultation's reference and the lot).
    pub numero: Option<String>,
    /// VAT rate in percent (default 20, the normal rate).
    pub taux_tva: Option<f64>,
    /// Duration (« 8 mois à compter de l'ordre de service »).
    pub duree: String,
    /// Price form (« prix global et forfaitaire »).
    pub forme_prix: String,
    /// Payment period in days (default 30, R. 2192-10 of the Code de la commande publique).
    pub delai_paiement: Option<u32>,
    /// Signature by the buyer.
    pub date_signature: Option<NaiveDate>,
    /// Notification.
    pub date_notification: Option<NaiveDate>,
    /// Guarantee (NOT17, NOT18).
    pub garantie: Option<GarantieDoc>,
}

/// What a document needs beyond the procedure's state.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(default)]
pub struct ParametresDocuments {
    /// The lot the document is about (0 when non allotie); none: every lot.
    pub lot: Option<u32>,
    /// The pli whose company the document is addressed to (NOT13, OUV6, OUV7…); by
    /// default the attributaire of the lot.
    pub pli: Option<u32>,
    /// Date of the document; by default the date (Europe/Paris) of the last journal entry.
    pub date: Option<NaiveDate>,
    /// Place of signature; by default the town of the buyer's address (RPA).
    pub lieu: Option<String>,
    /// The administrative court competent for appeals (NOT13); by default the generic
    /// wording.
    pub tribunal: Option<String>,
    /// Award criteria and their weights (OUV8), as in the règlement de la consultation.
    pub criteres: Vec<Critere>,
    /// The commission d'appel d'offres (OUV4, OUV9).
    pub commission: Option<CommissionDoc>,
    /// The contract's clauses (NOT11, NOT14, NOT15, NOT17, NOT18, OUV11).
    pub contrat: Option<ClausesContrat>,
    /// Questions of a request for clarification (OUV6, OUV7).
    pub questions: Vec<QuestionDoc>,
    /// Deadline to answer (OUV6).
    pub date_limite_reponse: Option<DateTime<Utc>>,
    /// Points of a mise au point (OUV11).
    pub mise_au_point: Vec<PointMiseAuPoint>,
    /// Days of the standstill period; by default from the rejection letters of the lot.
    pub delai_suspension_jours: Option<u32>,
    /// Deadline for the attributaire's certificates (NOT11).
    pub date_limite_pieces: Option<NaiveDate>,
}

/// The wording used when the host does not name the court.
const TRIBUNAL_GENERIQUE: &str = "le tribunal administratif territorialement compétent";

/// The identifier of a pli's company in the forms' data.
fn id_pli(n: u32) -> String {
    format!("pli{n}")
}

fn libelle_categorie(c: CategoriePrincipale) -> &'static str {
    match c {
        CategoriePrincipale::Travaux => "Travaux",
        CategoriePrincipale::Fournitures => "Fournitures",
        CategoriePrincipale::Services => "Services",
    }
}

/// The town of a French postal address: what follows the 5-digit postal code.
fn ville(adresse: &str) -> Option<String> {
    let mots: Vec<&str> = adresse
        .split(|c: char| c.is_whitespace() || c == ',')
        .collect();
    let i = mots
        .iter()
        .rposition(|m| m.len() == 5 && m.bytes().all(|b| b.is_ascii_digit()))?;
    let v = mots[i + 1..]
        .iter()
        .filter(|m| !m.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    (!v.is_empty()).then_some(v)
}

/// The forms' data of a procedure: everything [`super::formulaires::generer`] needs for
/// OUV3 … NOT18, taken from the state (consultation, plis received in time, admissions,
/// rankings, decisions, rejection letters) and the organisation, completed by `parametres`.
///
/// Refused with [`CodeErreur::LotInconnu`] for a lot the consultation does not have and
/// [`CodeErreur::PliInconnu`] for an unknown pli.
pub fn donnees_documents(
    procedure: &Procedure,
    organisation: &Organisation,
    parametres: &ParametresDocuments,
) -> Result<DonneesProcedure> {
    let p = procedure;
    let c = &p.consultation;
    if let Some(lot) = parametres.lot
        && !p.lot_existe(lot)
    {
        return Err(Erreur::new(
            CodeErreur::LotInconnu,
            format!("la consultation n'a pas de lot {lot}"),
        )
        .at("lot"));
    }
    if let Some(n) = parametres.pli
        && p.pli(n).is_none()
    {
        return Err(Erreur::new(CodeErreur::PliInconnu, format!("pli n° {n} inconnu")).at("pli"));
    }
    let garder = |lot: u32| parametres.lot.is_none_or(|l| l == lot);
    let rpa = c.acces.rpa.as_ref();
    // The agent who took the last decision (else who validated) answers for the buyer.
    let agent = p
        .decisions
        .values()
        .max_by_key(|d| d.le)
        .map(|d| d.par.as_str())
        .or(p.validation.as_ref().map(|v| v.par.as_str()))
        .and_then(|id| organisation.agent(id));
    let adresse = rpa.and_then(|r| r.adresse.clone()).unwrap_or_default();
    let organisme = Organisme {
        nom: organisation.entite.nom.clone(),
        adresse: adresse.clone(),
        siret: organisation.entite.siret.clone(),
        representant_nom: rpa.map(|r| r.nom.clone()).unwrap_or_default(),
        representant_qualite: rpa.map(|r| r.fonction.clone()).unwrap_or_default(),
        courriel: agent.map(|a| a.email.clone()).unwrap_or_default(),
        tribunal: parametres
            .tribunal
            .clone()
            .unwrap_or_else(|| TRIBUNAL_GENERIQUE.into()),
    };
    let consultation = ConsultationDoc {
        reference: c.identification.reference.clone(),
        intitule: c.identification.intitule.clone(),
        objet: c.identification.objet.clone(),
        procedure: c.identification.procedure.libelle().into(),
        type_marche: libelle_categorie(c.identification.categorie).into(),
        cpv: c.identification.cpv.principal.clone(),
        date_publication: c
            .calendrier
            .date_publication_avis
            .map(|d| d.date())
            .or(p.mise_en_ligne.map(|m| heure_paris(m).date())),
        date_limite: p.dlro,
        montant_estime_centimes: c.identification.montant_estime_ht.map(|m| m.centimes()),
        criteres: parametres.criteres.clone(),
    };
    let lots: Vec<LotDoc> = if c.identification.allotie {
        c.lots
            .iter()
            .filter(|l| garder(l.numero))
            .map(|l| LotDoc {
                numero: l.numero,
                intitule: l.intitule.clone(),
                montant_estime_centimes: l.montant_estime_ht.map(|m| m.centimes()),
            })
            .collect()
    } else {
        vec![LotDoc {
            numero: 0,
            intitule: c.identification.intitule.clone(),
            montant_estime_centimes: c.identification.montant_estime_ht.map(|m| m.centimes()),
        }]
    };
    // Candidates: the plis that count (in time, not replaced), on the lots kept.
    let plis: Vec<_> = p
        .plis
        .iter()
        .filter(|pli| pli.recevable())
        .filter(|pli| {
            p.lots()
                .into_iter()
                .any(|l| garder(l) && pli.repond_au_lot(l))
        })
        .collect();
    let candidats: Vec<CandidatDoc> = plis
        .iter()
        .map(|pli| {
            let e = &pli.entreprise;
            CandidatDoc {
                id: id_pli(pli.numero),
                raison_sociale: e.raison_sociale.clone(),
                siret: match &e.identifiant {
                    IdentifiantEntreprise::Siret(s) => s.clone(),
                    IdentifiantEntreprise::Etranger { pays, numero } => format!("{pays} {numero}"),
                },
                adresse: String::new(),
                representant: e.contact.nom.clone(),
                courriel: e.contact.email.clone(),
                date_depot: Some(pli.horodatage),
                lots: if c.identification.allotie {
                    pli.lots.clone()
                } else {
                    vec![0]
                },
                admis: pli.admission.as_ref().is_some_and(|a| a.admise),
                motif_non_admission: pli
                    .admission
                    .as_ref()
                    .filter(|a| !a.admise)
                    .and_then(|a| a.motif.clone()),
            }
        })
        .collect();
    let attributaires = |lot: u32| -> Vec<(u32, i64)> {
        match p.decisions.get(&lot).map(|d| &d.decision) {
            Some(Decision::Attribution { attributaires }) => attributaires
                .iter()
                .map(|a| (a.pli, a.montant.centimes()))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut offres = Vec::new();
    for (lot, classement) in p.classements.iter().filter(|(l, _)| garder(**l)) {
        let retenus = attributaires(*lot);
        let total = classement.len();
        for r in classement {
            let retenu = retenus.iter().find(|(n, _)| *n == r.pli);
            let montant = r
                .montant
                .map(|m| m.centimes())
                .or(retenu.map(|(_, m)| *m))
                .unwrap_or_default();
            let note = r.note.unwrap_or_default();
            offres.push(OffreDoc {
                candidat: id_pli(r.pli),
                lot: *lot,
                montant_ht_centimes: montant,
                note_technique: 0.0,
                note_prix: note,
                note_totale: note,
                rang: r.rang,
                reguliere: true,
                motif_rejet: retenu
                    .is_none()
                    .then(|| format!("offre classée au rang {} sur {total}", r.rang)),
            });
        }
    }
    let decision = (!p.decisions.is_empty()).then(|| {
        let mut attributions = Vec::new();
        let mut lots_infructueux = Vec::new();
        for (lot, d) in p.decisions.iter().filter(|(l, _)| garder(**l)) {
            match &d.decision {
                Decision::Attribution { attributaires } => {
                    attributions.extend(attributaires.iter().map(|a| AttributionDoc {
                        lot: *lot,
                        candidat: id_pli(a.pli),
                        montant_ht_centimes: a.montant.centimes(),
                    }))
                }
                Decision::Infructueuse { .. } => lots_infructueux.push(*lot),
                _ => {}
            }
        }
        DecisionDoc {
            date: p
                .decisions
                .iter()
                .filter(|(l, _)| garder(**l))
                .map(|(_, d)| heure_paris(d.le).date())
                .max(),
            signataire_nom: organisme.representant_nom.clone(),
            signataire_qualite: organisme.representant_qualite.clone(),
            attributions,
            lots_infructueux,
        }
    });
    // The contract: the first attribution of the lot asked (or of the only lot awarded).
    let attribution = decision.as_ref().and_then(|d| match parametres.lot {
        Some(l) => d.attributions.iter().find(|a| a.lot == l),
        None if d.attributions.len() == 1 => d.attributions.first(),
        None => None,
    });
    let contrat = attribution.map(|a| {
        let clauses = parametres.contrat.clone().unwrap_or_default();
        ContratDoc {
            numero: clauses.numero.unwrap_or_else(|| {
                if c.identification.allotie {
                    format!("{}-{}", c.identification.reference, a.lot)
                } else {
                    c.identification.reference.clone()
                }
            }),
            lot: a.lot,
            titulaire: a.candidat.clone(),
            montant_ht_centimes: a.montant_ht_centimes,
            taux_tva: clauses.taux_tva.unwrap_or(20.0),
            duree: clauses.duree,
            forme_prix: clauses.forme_prix,
            delai_paiement: clauses.delai_paiement.unwrap_or(30),
            date_signature: clauses.date_signature,
            date_notification: clauses.date_notification,
            garantie: clauses.garantie,
        }
    });
    let suspension = parametres.delai_suspension_jours.or_else(|| {
        let l = parametres.lot.or(attribution.map(|a| a.lot))?;
        let lettres = p.decisions.get(&l)?.lettres_rejet.as_ref()?;
        Some(if lettres.electronique { 11 } else { 16 })
    });
    let date = parametres
        .date
        .or(p.journal.dernier_horodatage.map(|t| heure_paris(t).date()));
    let document = ParametresDocument {
        date,
        lieu: parametres
            .lieu
            .clone()
            .or_else(|| ville(&adresse))
            .unwrap_or_default(),
        destinataire: parametres
            .pli
            .or(attribution.and_then(|a| a.candidat.strip_prefix("pli")?.parse().ok()))
            .map(id_pli),
        questions: parametres.questions.clone(),
        date_limite_reponse: parametres.date_limite_reponse,
        mise_au_point: parametres.mise_au_point.clone(),
        delai_suspension_jours: suspension,
        date_limite_pieces: parametres.date_limite_pieces,
    };
    Ok(DonneesProcedure {
        organisme,
        consultation,
        lots,
        candidats,
        offres,
        commission: parametres.commission.clone(),
        decision,
        contrat,
        document,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn town_of_an_address() {
        assert_eq!(
            ville("Place Lazare-Goujon, 69100 Villeurbanne").as_deref(),
            Some("Villeurbanne")
        );
        assert_eq!(
            ville("1 rue X\n75001 Paris Cedex 01").as_deref(),
            Some("Paris Cedex 01")
        );
        assert_eq!(ville("sans code"), None);
    }
}
