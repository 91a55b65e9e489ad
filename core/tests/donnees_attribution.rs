//! The contract drawn from an attribution decision: the shared procedure scenario
//! (tests/vectors/procedure/scenario.json) replayed, the contract of each lot built at the
//! moments that matter (before any decision, after an infructueux, after its reset, after
//! the new attribution), every refusal with its code, and the DECP export of the result.

mod procedure_commun;

use chrono::NaiveDate;
use mpe::CodeErreur;
use mpe::donnees::{
    ComplementContrat, StatutContrat, Titulaire, TypeContrat, TypeIdentifiant,
    contrat_depuis_decision, exporter_decp_json, exporter_decp_xml, verifier_decp,
};
use mpe::model::{self, Montant, Organisation};
use mpe::procedure::{Attributaire, Contexte, Decision, IdentifiantEntreprise, Procedure};
use procedure_commun::{scenario, t};

/// The state after every step up to `jusqu_a` included (refused steps change nothing).
fn etat(jusqu_a: &str) -> (Procedure, Organisation) {
    let s = scenario();
    let ctx = |m, a| Contexte {
        maintenant: m,
        acteur: a,
        organisation: &s.organisation,
    };
    let (mut p, _) = Procedure::nouvelle(
        s.consultation.clone(),
        &ctx(s.creation.maintenant, &s.creation.acteur),
    )
    .unwrap();
    for e in s.etapes.iter().filter(|e| e.maintenant <= t(jusqu_a)) {
        if let Some(a) = &e.action {
            let _ = p.appliquer(a, &ctx(e.maintenant, &e.acteur));
        }
    }
    (p, s.organisation)
}

fn complement() -> ComplementContrat {
    serde_json::from_str(
        r#"{"numero": "2026-0611-01", "dateNotification": "2027-01-05",
            "datePublicationDonnees": "2027-01-08", "dureeMois": 8, "formePrix": "Forfaitaire",
            "typesPrix": ["Définitif ferme"]}"#,
    )
    .unwrap()
}

fn aujourd_hui() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 10).unwrap()
}

#[test]
fn contract_of_an_attributed_lot() {
    let (p, org) = etat("2027-01-05T09:00:00Z");
    let c = contrat_depuis_decision(&p, &org, &complement(), 1).unwrap();
    assert_eq!(c.id, "2026-0611-01");
    assert_eq!(c.acheteur.id, "21690123100011");
    assert_eq!(c.acheteur.nom.as_deref(), Some("Ville de Villeurbanne"));
    assert_eq!(
        c.objet,
        "Rénovation énergétique du groupe scolaire Jules Ferry — lot 1 : Isolation thermique par l'extérieur"
    );
    assert_eq!(c.procedure, "Appel d'offres ouvert");
    assert_eq!(c.nature, "Marché");
    assert_eq!(c.type_contrat, TypeContrat::Marche);
    assert_eq!(c.code_cpv.as_deref(), Some("45321000-3"));
    assert_eq!(c.ccag.as_deref(), Some("Travaux"));
    // Plis 1 and 3 count; pli 2 was replaced by pli 3, the paper pli 5 came late.
    assert_eq!(c.offres_recues, Some(2));
    assert_eq!(c.montant, Some(498_000.0));
    assert_eq!(c.titulaires.len(), 1);
    let tit = &c.titulaires[0];
    assert_eq!(tit.type_identifiant, TypeIdentifiant::Siret);
    assert_eq!(tit.id, "51802345600024");
    assert_eq!(
        tit.raison_sociale.as_deref(),
        Some("Menuiseries Lyonnaises SARL")
    );
    assert_eq!(c.contact.as_ref().unwrap().nom, "Karim Benali");
    assert_eq!(c.agent_gestionnaire.as_deref(), Some("a.martin"));
    let lieu = c.lieu_execution.as_ref().unwrap();
    assert_eq!(
        (lieu.code.as_str(), lieu.type_code.as_str()),
        ("69", "Code département")
    );
    assert_eq!(c.statut, StatutContrat::Notifie);
    assert_eq!(c.duree_mois, Some(8));
    // The amount with cents of lot 2 survives.
    let mut k = complement();
    k.numero = "2026-0611-02".into();
    let c2 = contrat_depuis_decision(&p, &org, &k, 2).unwrap();
    assert_eq!(c2.montant, Some(395_000.5));
    assert_eq!(c2.titulaires[0].id, "80103456700017");
    // Exported: the library's stricter checks pass, and the DECP JSON/XML hold it (the
    // official schemas check it in python/tests/test_contrats.py).
    let both = [c, c2];
    assert!(verifier_decp(&both, aujourd_hui()).is_empty());
    let json: serde_json::Value =
        serde_json::from_slice(&exporter_decp_json(&both, aujourd_hui()).unwrap()).unwrap();
    let m = &json["marches"]["marche"][0];
    assert_eq!(m["procedure"], "Appel d'offres ouvert");
    assert_eq!(m["offresRecues"], 2);
    assert_eq!(
        m["titulaires"][0]["titulaire"]["typeIdentifiant"],
        serde_json::json!("SIRET")
    );
    let xml = String::from_utf8(exporter_decp_xml(&both, aujourd_hui()).unwrap()).unwrap();
    assert!(xml.contains("<id>2026-0611-02</id>"));
}

#[test]
fn contract_without_notification_is_to_be_notified() {
    let (p, org) = etat("2027-01-05T09:00:00Z");
    let k = ComplementContrat {
        numero: "C1".into(),
        ..Default::default()
    };
    let c = contrat_depuis_decision(&p, &org, &k, 1).unwrap();
    assert_eq!(c.statut, StatutContrat::ANotifier);
    // Not publishable yet: the DECP export names what is missing.
    let e = exporter_decp_json(&[c], aujourd_hui()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecpInvalide);
    assert!(e.message().contains("dateNotification"), "{e}");
}

#[test]
fn every_refusal_has_its_code() {
    // Before any decision.
    let (p, org) = etat("2026-12-18T09:10:00Z");
    let e = contrat_depuis_decision(&p, &org, &complement(), 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecisionAbsente);
    // Unknown lots: 4 does not exist, 0 is only for a consultation non allotie.
    for lot in [4, 0] {
        let e = contrat_depuis_decision(&p, &org, &complement(), lot).unwrap_err();
        assert_eq!(e.code(), CodeErreur::LotInconnu, "lot {lot}");
        assert_eq!(e.path(), Some("$.lot"));
    }
    // Lot 3 declared infructueux.
    let (p, org) = etat("2026-12-18T09:30:00Z");
    let e = contrat_depuis_decision(&p, &org, &complement(), 3).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecisionNonAttribution);
    assert!(e.message().contains("Infructueuse"), "{e}");
    // Its reset: nothing decided any more; the decision the buyer saw is gone.
    let (p, org) = etat("2026-12-18T10:00:00Z");
    let e = contrat_depuis_decision(&p, &org, &complement(), 3).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecisionAbsente);
    let mut k = complement();
    k.decision_du = Some(t("2026-12-18T09:30:00Z"));
    let e = contrat_depuis_decision(&p, &org, &k, 3).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecisionReinitialisee);
    // Redone as an attribution: the old instant is refused, the new one accepted.
    let (p, org) = etat("2027-01-05T09:00:00Z");
    let e = contrat_depuis_decision(&p, &org, &k, 3).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecisionReinitialisee);
    k.decision_du = Some(t("2026-12-18T10:05:00Z"));
    let c = contrat_depuis_decision(&p, &org, &k, 3).unwrap();
    assert_eq!(c.montant, Some(305_000.0));
    // A selection is not an attribution either.
    let mut q = p.clone();
    q.decisions.get_mut(&1).unwrap().decision = Decision::Selection { plis: vec![1] };
    let e = contrat_depuis_decision(&q, &org, &complement(), 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DecisionNonAttribution);
    // A tampered state naming a pli that does not exist.
    let mut q = p.clone();
    q.decisions.get_mut(&1).unwrap().decision = Decision::Attribution {
        attributaires: vec![Attributaire {
            pli: 42,
            montant: Montant::euros(1),
        }],
    };
    let e = contrat_depuis_decision(&q, &org, &complement(), 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::PliInconnu);
    // No contract number.
    let mut k = complement();
    k.numero = String::new();
    let e = contrat_depuis_decision(&p, &org, &k, 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::ContratIncoherent);
    // A marché subséquent must name its accord-cadre.
    let mut q = p.clone();
    q.consultation.identification.type_contrat = model::TypeContrat::MarcheSubsequent;
    let e = contrat_depuis_decision(&q, &org, &complement(), 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::ContratIncoherent);
    let mut k = complement();
    k.id_accord_cadre = Some("AC-2025-01".into());
    let c = contrat_depuis_decision(&q, &org, &k, 1).unwrap();
    assert_eq!(c.id_accord_cadre.as_deref(), Some("AC-2025-01"));
    // A concession needs its DECP procedure.
    let mut q = p.clone();
    q.consultation.identification.procedure = model::TypeProcedure::ProcedureConcession;
    q.consultation.identification.type_contrat = model::TypeContrat::Concession;
    let e = contrat_depuis_decision(&q, &org, &complement(), 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::ContratIncoherent);
    // Unknown fields of the complement are refused (typos would be silently lost).
    let e = serde_json::from_str::<ComplementContrat>(r#"{"numero": "X", "duree": 3}"#);
    assert!(e.is_err());
}

#[test]
fn multi_attributaire_accord_cadre_with_a_foreign_company() {
    let (mut p, org) = etat("2027-01-05T09:00:00Z");
    p.consultation.identification.type_contrat = model::TypeContrat::AccordCadreMultiAttributaires;
    p.consultation.identification.procedure = model::TypeProcedure::ProcedureAdapteeOuverte;
    p.plis[0].entreprise.identifiant = IdentifiantEntreprise::Etranger {
        pays: "DE".into(),
        numero: "814 864 138".into(),
    };
    p.decisions.get_mut(&1).unwrap().decision = Decision::Attribution {
        attributaires: vec![
            Attributaire {
                pli: 3,
                montant: Montant::euros(498_000),
            },
            Attributaire {
                pli: 1,
                montant: Montant::euros(510_000),
            },
        ],
    };
    let mut k = complement();
    k.montant = Some(1_200_000.0);
    k.ccag = Some("Pas de CCAG".into());
    k.modalites_execution = vec!["Bons de commande".into()];
    k.entreprises = vec![Titulaire {
        id: "51802345600024".into(),
        siege: Some("12 rue Garibaldi, 69003 Lyon".into()),
        code_ape: Some("43.32A".into()),
        forme_juridique: Some("SARL".into()),
        pme: Some(true),
        ..Default::default()
    }];
    let c = contrat_depuis_decision(&p, &org, &k, 1).unwrap();
    assert_eq!(c.type_contrat, TypeContrat::AccordCadreMultiAttributaire);
    assert_eq!(c.procedure, "Procédure adaptée");
    assert_eq!(c.techniques, vec!["Accord-cadre".to_string()]);
    assert_eq!(c.montant, Some(1_200_000.0));
    assert_eq!(c.ccag.as_deref(), Some("Pas de CCAG"));
    assert_eq!(c.titulaires.len(), 2);
    assert_eq!(c.titulaires[0].code_ape.as_deref(), Some("43.32A"));
    assert_eq!(c.titulaires[0].pme, Some(true));
    assert_eq!(c.titulaires[1].type_identifiant, TypeIdentifiant::Tva);
    assert_eq!(c.titulaires[1].id, "DE814864138");
    assert!(verifier_decp(std::slice::from_ref(&c), aujourd_hui()).is_empty());
    let json: serde_json::Value =
        serde_json::from_slice(&exporter_decp_json(&[c], aujourd_hui()).unwrap()).unwrap();
    let ts = json["marches"]["marche"][0]["titulaires"]
        .as_array()
        .unwrap();
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[1]["titulaire"]["typeIdentifiant"], "TVA");
    // Without the maximum, the amounts of the decision are added up.
    let mut k = complement();
    k.montant = None;
    let c = contrat_depuis_decision(&p, &org, &k, 1).unwrap();
    assert_eq!(c.montant, Some(1_008_000.0));
    // A company outside the EU.
    p.plis[0].entreprise.identifiant = IdentifiantEntreprise::Etranger {
        pays: "US".into(),
        numero: "EIN 12-3456789".into(),
    };
    let c = contrat_depuis_decision(&p, &org, &k, 1).unwrap();
    assert_eq!(c.titulaires[1].type_identifiant, TypeIdentifiant::HorsUe);
}

#[test]
fn consultation_non_allotie_is_lot_zero() {
    let (mut p, org) = etat("2027-01-05T09:00:00Z");
    p.consultation.identification.allotie = false;
    p.consultation.lots.clear();
    let d = p.decisions.remove(&1).unwrap();
    p.decisions.clear();
    p.decisions.insert(0, d);
    for pl in &mut p.plis {
        pl.lots = vec![0];
    }
    let c = contrat_depuis_decision(&p, &org, &complement(), 0).unwrap();
    assert_eq!(
        c.objet,
        "Rénovation énergétique du groupe scolaire Jules Ferry"
    );
    assert_eq!(c.code_cpv.as_deref(), Some("45454000-4"));
    let e = contrat_depuis_decision(&p, &org, &complement(), 1).unwrap_err();
    assert_eq!(e.code(), CodeErreur::LotInconnu);
}

/// The fixtures of the C, PHP and Python tests (tests/vectors/contrats/): the procedure state
/// at the end of the scenario and its organisation. Checked against the replay; rewrite them
/// with `MPE_UPDATE_VECTORS=1 cargo test -p mpe --test donnees_attribution`.
#[test]
fn fixtures_of_the_bindings_tests_are_current() {
    let (p, org) = etat("2027-01-05T09:00:00Z");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/contrats");
    let fichiers = [
        ("procedure_attribuee.json", p.to_json()),
        ("organisation.json", serde_json::to_string(&org).unwrap()),
    ];
    for (nom, texte) in fichiers {
        let chemin = dir.join(nom);
        if std::env::var_os("MPE_UPDATE_VECTORS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&chemin, &texte).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&chemin).unwrap(),
            texte,
            "{nom} périmé : MPE_UPDATE_VECTORS=1 cargo test -p mpe --test donnees_attribution"
        );
    }
}
