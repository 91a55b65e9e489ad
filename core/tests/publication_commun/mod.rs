//! The procedure a result notice is written from: the shared procedure scenario
//! (tests/vectors/procedure/scenario.json) replayed up to a moment, the contracts of its
//! awarded lots, and the notice data of the result notice. Shared by the result notice's
//! tests and `core/examples/publication.rs` (which writes the notices the SDK validates).
#![allow(dead_code)]

#[path = "../procedure_commun/mod.rs"]
mod procedure_commun;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mpe::donnees::{ComplementContrat, contrat_depuis_decision};
use mpe::model::{Decision, Organisation};
use mpe::procedure::{Contexte, Procedure};
use mpe::publication::{ContratLot, DonneesAvis};

pub use procedure_commun::t;

/// The state after every step up to `jusqu_a` included (refused steps change nothing).
pub fn procedure_a(jusqu_a: &str) -> (Procedure, Organisation) {
    let s = procedure_commun::scenario();
    let ctx = |m, a| Contexte {
        maintenant: m,
        acteur: a,
        organisation: &s.organisation,
    };
    let (mut p, _) = Procedure::nouvelle(
        s.consultation.clone(),
        &ctx(s.creation.maintenant, &s.creation.acteur),
    )
    .expect("création");
    for e in s.etapes.iter().filter(|e| e.maintenant <= t(jusqu_a)) {
        if let Some(a) = &e.action {
            let _ = p.appliquer(a, &ctx(e.maintenant, &e.acteur));
        }
    }
    (p, s.organisation)
}

/// Every lot decided: lots 1 and 3 to Menuiseries Lyonnaises (pli 3), lot 2 to Thermique
/// & Ventilation Est (pli 4).
pub const TOUS_ATTRIBUES: &str = "2026-12-18T10:05:00Z";
/// Lots 1 and 2 awarded, lot 3 infructueux (its only tender found unacceptable).
pub const LOT_INFRUCTUEUX: &str = "2026-12-18T09:30:00Z";

/// The notice data of the result notice: the contract notice's, plus the companies.
pub fn donnees() -> DonneesAvis {
    serde_json::from_str(include_str!(
        "../../../tests/vectors/publication/donnees_attribution.json"
    ))
    .expect("donnees_attribution.json")
}

/// The contract of each awarded lot, notified on 5 January 2027.
pub fn contrats(p: &Procedure, org: &Organisation) -> Vec<ContratLot> {
    p.decisions
        .iter()
        .filter(|(_, d)| matches!(d.decision, Decision::Attribution { .. }))
        .map(|(&lot, _)| {
            let complement = ComplementContrat {
                numero: format!("2026-0611-{lot:02}"),
                date_notification: NaiveDate::from_ymd_opt(2027, 1, 5),
                ..Default::default()
            };
            ContratLot {
                lot,
                contrat: contrat_depuis_decision(p, org, &complement, lot).expect("contrat"),
            }
        })
        .collect()
}

/// The same procedure as a consultation without lots, whose one result is lot 1's
/// (the plis that answered lot 1, the decision of lot 1).
pub fn sans_lots(p: &Procedure) -> Procedure {
    let mut q = p.clone();
    q.consultation.identification.allotie = false;
    q.consultation.lots.clear();
    for pli in &mut q.plis {
        pli.lots = if pli.lots.contains(&1) {
            vec![0]
        } else {
            vec![]
        };
    }
    q.decisions = p
        .decisions
        .get(&1)
        .map(|d| (0, d.clone()))
        .into_iter()
        .collect();
    q
}

/// The notice is sent on 10 January 2027 at 10:00, Paris time.
pub fn envoi() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 10, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Every lot awarded, then changed to reach the other branches of the notice: the tenderer
/// of pli 1 is a Belgian company (another EEA state), lot 2's contract declares
/// subcontracting, and lot 3 is declared sans suite because the need changed.
pub fn variantes(p: &Procedure, org: &Organisation) -> (Procedure, DonneesAvis, Vec<ContratLot>) {
    use mpe::model::{DecisionLot, IdentifiantEntreprise};
    use mpe::publication::{EntrepriseAvis, MotifNonAttribution, NonAttribution, TailleEntreprise};
    let mut q = p.clone();
    if let Some(pli) = q.plis.first_mut() {
        pli.entreprise.identifiant = IdentifiantEntreprise::Etranger {
            pays: "BE".into(),
            numero: "0123 456 789".into(),
        };
    }
    let le = q.decisions.get(&3).map(|d| d.le).unwrap_or_default();
    q.decisions.insert(
        3,
        DecisionLot {
            decision: Decision::SansSuite {
                motif: "Redéfinition du besoin".into(),
            },
            le,
            par: "a.martin".into(),
            lettres_rejet: None,
        },
    );
    let mut d = donnees();
    d.entreprises.push(EntrepriseAvis {
        identifiant: "0123456789".into(),
        taille: Some(TailleEntreprise::Grande),
        ..Default::default()
    });
    d.non_attributions.push(NonAttribution {
        lot: 3,
        motif: MotifNonAttribution::ChangementBesoin,
    });
    let mut c = contrats(&q, org);
    for x in &mut c {
        if x.lot == 2 {
            x.contrat.sous_traitance_declaree = Some(true);
        }
    }
    (q, d, c)
}

/// Every lot awarded but lot 3, which received no tender (its plis are taken back from it)
/// and is declared sans suite: the notice says `no-rece` and gives no statistics for it.
pub fn aucune_offre(p: &Procedure) -> Procedure {
    use mpe::model::DecisionLot;
    let mut q = p.clone();
    for pli in &mut q.plis {
        pli.lots.retain(|&l| l != 3);
    }
    let le = q.decisions.get(&3).map(|d| d.le).unwrap_or_default();
    q.decisions.insert(
        3,
        DecisionLot {
            decision: Decision::SansSuite {
                motif: "Aucune offre".into(),
            },
            le,
            par: "a.martin".into(),
            lettres_rejet: None,
        },
    );
    q
}

/// The published consultation, its contract notice sent on 3 November 2026, then modified
/// on 25 November (RC replaced, an additif added, the object and lot 2's description
/// completed, the DLRO postponed by a week): the procedure, the organisation and the XML of
/// the contract notice the change notice changes.
pub fn modifiee() -> (Procedure, Organisation, String) {
    use sha2::Digest;
    let (mut p, org) = procedure_a("2026-11-05T09:00:00Z");
    let envoi = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
    let initial = mpe::publication::generer_avis_marche(&p.consultation, &org, &donnees(), envoi)
        .expect("avis de marché");
    let piece = |nom: &str, contenu: &[u8]| mpe::model::Piece {
        nom: nom.into(),
        taille: contenu.len() as u64,
        sha256: Some(hex::encode(sha2::Sha256::digest(contenu))),
    };
    let mut c = p.consultation.clone();
    c.pieces.reglement_consultation = Some(piece("RC_v2.pdf", b"%PDF-1.7 RC v2"));
    c.pieces
        .autres_pieces
        .push(piece("Additif_1.pdf", b"%PDF-1.7 additif 1"));
    c.identification
        .objet
        .push_str(" Le bâtiment C est compris.");
    c.lots[1].description.push_str(" Bâtiment C compris.");
    c.calendrier.dlro = "2026-12-22T12:00:00".parse().unwrap();
    let action = mpe::procedure::Action::ModifierConsultationPubliee {
        consultation: Box::new(c),
        motif: "précisions apportées au règlement, délai prolongé d'une semaine".into(),
    };
    let ctx = Contexte {
        maintenant: t("2026-11-25T10:00:00Z"),
        acteur: &procedure_commun::agent("a.martin"),
        organisation: &org,
    };
    p.appliquer(&action, &ctx).expect("modification");
    (p, org, initial.xml)
}

/// When the change notice is sent: 25 November 2026, 12:00 Paris.
pub fn envoi_rectificatif() -> DateTime<Utc> {
    t("2026-11-25T11:00:00Z")
}
