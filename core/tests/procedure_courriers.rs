//! Letters in the procedure: recipients pre-filled from the registers, letters prepared by
//! `messagerie` recorded as journal events, acknowledged through their token, answered;
//! the courriers register and its counts. Each refusal has its code and leaves the state
//! untouched (`Banc::essayer`).

mod procedure_commun;

use chrono::{DateTime, Utc};
use mpe::CodeErreur as C;
use mpe::messagerie::{
    ContexteEnvoi, Courrier, DemandeEnvoi, Envoi, EvenementCourrier, Expediteur, Origine,
    StatutCourrier, TypeCourrier, preparer_envoi,
};
use mpe::procedure::{Acteur, Action, Evenement, FiltreDestinataires, Procedure, verifier_journal};
use procedure_commun::{Banc, agent, scenario};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The shared scenario played up to (and including) the step with this note.
fn jusqu_a(note: &str) -> Banc {
    let s = scenario();
    let mut b = Banc::valide(|_| {}, "2026-11-02T09:00:00Z");
    // The first three steps (validation) are done by Banc::valide.
    for e in s.etapes.iter().skip(3) {
        if let (Some(a), "OK") = (&e.action, e.attendu.as_str()) {
            let t = e.maintenant.to_rfc3339();
            b.ok(&t, &e.acteur, a);
        }
        if e.note == note {
            return b;
        }
    }
    panic!("étape « {note} » absente");
}

fn emails(b: &Banc, f: FiltreDestinataires) -> Vec<String> {
    b.p.destinataires_courrier(&f)
        .unwrap()
        .into_iter()
        .map(|d| d.email)
        .collect()
}

const A: &str = "s.girard@facades-ra.fr";
const B: &str = "k.benali@menuiseries-lyon.fr";
const CC: &str = "contact@tve.fr";
const D: &str = "a.morel@batir-durable.coop";

#[test]
fn destinataires_pre_remplis_depuis_les_registres() {
    let b = jusqu_a("pli papier 5 reçu hors délai (registre papier)");
    // Everyone, each once, in the order of the registers (retraits A, B, C, D).
    let tous =
        b.p.destinataires_courrier(&FiltreDestinataires::default())
            .unwrap();
    let l: Vec<&str> = tous.iter().map(|d| d.email.as_str()).collect();
    assert_eq!(l, [A, B, CC, D]);
    assert_eq!(
        tous[1].origines,
        [Origine::Retrait, Origine::Question, Origine::Depot]
    );
    assert_eq!(
        tous[1].raison_sociale.as_deref(),
        Some("Menuiseries Lyonnaises SARL")
    );
    // Only one register.
    let f = |o: &[Origine]| FiltreDestinataires {
        origines: o.to_vec(),
        ..Default::default()
    };
    assert_eq!(emails(&b, f(&[Origine::Question])), [B]);
    // Dépôts: electronic and paper (D's late paper pli has an address too).
    assert_eq!(emails(&b, f(&[Origine::Depot])), [A, B, CC, D]);
    // The bidders of a lot (B twice, pli 2 replaced by pli 3: once).
    let lot3 = FiltreDestinataires {
        lot: Some(3),
        ..Default::default()
    };
    assert_eq!(emails(&b, lot3), [B, D]);
    // Retraits and questions are not tied to a lot.
    let lot_retraits = FiltreDestinataires {
        lot: Some(2),
        origines: vec![Origine::Retrait, Origine::Question],
        ..Default::default()
    };
    assert!(emails(&b, lot_retraits).is_empty());
    // One pli: its company (a rejection letter).
    let pli = |n| FiltreDestinataires {
        pli: Some(n),
        ..Default::default()
    };
    let d5 = b.p.destinataires_courrier(&pli(5)).unwrap();
    assert_eq!(d5.len(), 1);
    assert_eq!(d5[0].email, D);
    assert_eq!(d5[0].origines, [Origine::Depot]);
    assert_eq!(emails(&b, pli(2)), [B]);
    // A lot the pli does not answer: nobody.
    let hors_lot = FiltreDestinataires {
        pli: Some(4),
        lot: Some(1),
        ..Default::default()
    };
    assert!(emails(&b, hors_lot).is_empty());
}

#[test]
fn destinataires_non_retenus_d_un_lot() {
    let b = jusqu_a("courrier de rejet du lot 1 enregistré");
    // Lot 1 attributed to pli 3 (B): the other bidder of lot 1 is A.
    let f = |lot| FiltreDestinataires {
        lot: Some(lot),
        non_retenus: true,
        origines: vec![Origine::Depot],
        pli: None,
    };
    assert_eq!(emails(&b, f(1)), [A]);
    assert_eq!(emails(&b, f(2)), [A]); // lot 2 to C (pli 4)
    // Lot 3 to B (pli 3); D's late paper pli was registered: D is told too.
    assert_eq!(emails(&b, f(3)), [D]);
}

#[test]
fn destinataires_filtres_errones() {
    let b = jusqu_a("pli 1");
    let e = |f: FiltreDestinataires| b.p.destinataires_courrier(&f).unwrap_err();
    let err = e(FiltreDestinataires {
        pli: Some(9),
        ..Default::default()
    });
    assert_eq!((err.code(), err.path()), (C::PliInconnu, Some("$.pli")));
    let err = e(FiltreDestinataires {
        lot: Some(7),
        ..Default::default()
    });
    assert_eq!((err.code(), err.path()), (C::LotInconnu, Some("$.lot")));
    let err = e(FiltreDestinataires {
        non_retenus: true,
        ..Default::default()
    });
    assert_eq!(err.code(), C::ArgumentInvalide);
    // The filter's JSON.
    let f: FiltreDestinataires =
        serde_json::from_str(r#"{"origines":["depot"],"lot":2,"non_retenus":true}"#).unwrap();
    assert_eq!(f.lot, Some(2));
    assert!(serde_json::from_str::<FiltreDestinataires>(r#"{"origines":["x"]}"#).is_err());
}

#[test]
fn adresse_du_registre_invalide_nommee() {
    // The contact check of a dépôt is looser than a letter's (RFC 5321 local part): the
    // pre-fill names the register line rather than drop the company.
    let mut b = jusqu_a("pli 1");
    let mut v: serde_json::Value = serde_json::from_str(&b.p.to_json()).unwrap();
    v["plis"][0]["entreprise"]["contact"]["email"] = "s..girard@facades-ra.fr".into();
    b.p = Procedure::from_json(&v.to_string()).unwrap();
    let err =
        b.p.destinataires_courrier(&FiltreDestinataires::default())
            .unwrap_err();
    assert_eq!(err.code(), C::AdresseInvalide);
    assert_eq!(err.path(), Some("$.plis[0].entreprise.contact.email"));
    // The same company's retrait line has the right address, but the pli's is wrong too.
    assert!(err.message().contains("s..girard"));
}

#[test]
fn adresses_dedoublonnees_sans_casse_du_domaine() {
    let mut b = jusqu_a("pli 1");
    let mut v: serde_json::Value = serde_json::from_str(&b.p.to_json()).unwrap();
    v["plis"][0]["entreprise"]["contact"]["email"] = "s.girard@FACADES-RA.FR".into();
    b.p = Procedure::from_json(&v.to_string()).unwrap();
    let d =
        b.p.destinataires_courrier(&FiltreDestinataires::default())
            .unwrap();
    assert_eq!(d.iter().filter(|d| d.email.contains("girard")).count(), 1);
    let a = d.iter().find(|d| d.email.contains("girard")).unwrap();
    assert_eq!(a.origines, [Origine::Retrait, Origine::Depot]);
}

/// The rejection letter of lot 1 for pli 1 (company A), prepared by messagerie.
fn lettre(b: &Banc, quand: &str, agent: &str, accuse: bool, reponse: bool) -> Envoi {
    let dest =
        b.p.destinataires_courrier(&FiltreDestinataires {
            pli: Some(1),
            ..Default::default()
        })
        .unwrap();
    let mut courrier = Courrier::nouveau(TypeCourrier::Rejet, &b.p.consultation, Some(1));
    courrier.destinataires = dest;
    courrier.options.accuse_reception = accuse;
    courrier.options.reponse_autorisee = reponse;
    let demande = DemandeEnvoi {
        courrier,
        consultation: b.p.consultation.clone(),
        organisation: b.org.clone(),
        contexte: ContexteEnvoi {
            courrier_id: format!("rejet-{quand}"),
            agent: agent.into(),
            date: quand.parse().unwrap(),
            expediteur: Expediteur {
                nom: "Ville de Villeurbanne".into(),
                email: "ne-pas-repondre@marches.villeurbanne.fr".into(),
            },
            adresse_reponse: reponse.then(|| "reponses@marches.villeurbanne.fr".into()),
            url_accuse_reception: accuse
                .then(|| "https://marches.villeurbanne.fr/ar/{jeton}".into()),
            domaine_message_id: "marches.villeurbanne.fr".into(),
            limites: Default::default(),
        },
    };
    preparer_envoi(&demande, &mut StdRng::seed_from_u64(11)).unwrap()
}

fn enregistrer(e: &Envoi) -> Action {
    Action::EnregistrerCourrier {
        evenements: e.evenements.clone(),
    }
}

const DECISION: &str = "2026-12-18T12:00:00Z";

#[test]
fn lettre_envoyee_accusee_repondue_dans_le_journal() {
    let mut b = jusqu_a("pli papier 5 reçu hors délai (registre papier)");
    let envoi = lettre(&b, DECISION, "a.martin", true, true);
    let jeton = envoi.messages[0].jeton.clone().unwrap();
    b.ok(DECISION, &agent("a.martin"), &enregistrer(&envoi));
    let n = b.journal.len();
    // Acknowledged by whoever holds the link.
    b.ok(
        "2026-12-18T13:00:00Z",
        &Acteur::Anonyme,
        &Action::AccuserReceptionCourrier {
            jeton: jeton.clone(),
        },
    );
    assert_eq!(b.journal.len(), n + 1);
    // Opened again (a mail scanner, a double click): accepted, nothing recorded, the first
    // date stands.
    b.ok(
        "2026-12-18T15:00:00Z",
        &Acteur::Anonyme,
        &Action::AccuserReceptionCourrier {
            jeton: jeton.clone(),
        },
    );
    assert_eq!(b.journal.len(), n + 1);
    let message_id = envoi.messages[0].message_id.clone();
    let entreprise_a = Acteur::Entreprise {
        identifiant: b.p.pli(1).unwrap().entreprise.identifiant.clone(),
    };
    b.ok(
        "2026-12-19T09:00:00Z",
        &entreprise_a,
        &Action::RepondreCourrier {
            message_id: format!("<{message_id}>"),
            message_id_reponse: Some("r1@facades-ra.fr".into()),
        },
    );
    // A second answer, recorded by an agent following the consultation.
    b.ok(
        "2026-12-20T09:00:00Z",
        &agent("m.petit"),
        &Action::RepondreCourrier {
            message_id: message_id.clone(),
            message_id_reponse: None,
        },
    );
    // Journal: time, actor, chained.
    verifier_journal(&b.journal, Some(&b.p.journal)).unwrap();
    let courriers: Vec<_> = b
        .journal
        .iter()
        .filter_map(|e| match &e.evenement {
            Evenement::Courrier { courrier } => Some((e, courrier)),
            _ => None,
        })
        .collect();
    assert_eq!(courriers.len(), 4);
    assert!(matches!(courriers[0].1, EvenementCourrier::Envoye { .. }));
    assert_eq!(courriers[0].0.acteur, agent("a.martin"));
    assert!(matches!(courriers[1].1, EvenementCourrier::Ouvert { .. }));
    assert_eq!(courriers[1].0.acteur, Acteur::Anonyme);
    assert_eq!(
        courriers[1].0.horodatage,
        "2026-12-18T13:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert!(matches!(courriers[2].1, EvenementCourrier::Repondu { .. }));
    assert_eq!(courriers[2].0.acteur, entreprise_a);
    // Register.
    let r = b.p.registres();
    assert_eq!(r.courriers.len(), 1);
    let l = &r.courriers[0];
    assert_eq!(l.destinataire, A);
    assert_eq!(l.raison_sociale.as_deref(), Some("Façades Rhône-Alpes SAS"));
    assert_eq!(l.statut, StatutCourrier::Repondu);
    assert_eq!(l.accuse_le, Some("2026-12-18T13:00:00Z".parse().unwrap()));
    assert_eq!(l.repondu_le, Some("2026-12-19T09:00:00Z".parse().unwrap()));
    assert_eq!(r.compteurs_courriers.accuses, 1);
    assert_eq!(r.courriers_par_type[0].type_courrier, TypeCourrier::Rejet);
    // The state keeps only the token's hash, and comes back the same from JSON.
    let json = b.p.to_json();
    assert!(!json.contains(&jeton));
    assert_eq!(Procedure::from_json(&json).unwrap(), b.p);
}

#[test]
fn compteurs_par_type_et_en_attente() {
    let mut b = jusqu_a("pli papier 5 reçu hors délai (registre papier)");
    b.ok(
        DECISION,
        &agent("a.martin"),
        &enregistrer(&lettre(&b, DECISION, "a.martin", true, false)),
    );
    let t2 = "2026-12-18T12:30:00Z";
    let mut libre = lettre(&b, t2, "a.martin", false, false);
    for e in &mut libre.evenements {
        if let EvenementCourrier::Envoye {
            type_courrier,
            message_id,
            ..
        } = e
        {
            *type_courrier = TypeCourrier::Libre;
            message_id.insert_str(0, "libre-");
        }
    }
    b.ok(t2, &agent("a.martin"), &enregistrer(&libre));
    let r = b.p.registres();
    let c = r.compteurs_courriers;
    assert_eq!(
        (
            c.envoyes,
            c.avec_accuse,
            c.accuses,
            c.en_attente_accuse,
            c.repondus
        ),
        (2, 1, 0, 1, 0)
    );
    let types: Vec<_> = r
        .courriers_par_type
        .iter()
        .map(|c| c.type_courrier)
        .collect();
    assert_eq!(types, [TypeCourrier::Rejet, TypeCourrier::Libre]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["courriers_par_type"][0]["envoyes"], 1);
    assert_eq!(json["courriers_par_type"][0]["en_attente_accuse"], 1);
}

#[test]
fn refus_a_l_enregistrement() {
    let mut b = jusqu_a("pli papier 5 reçu hors délai (registre papier)");
    let envoi = lettre(&b, DECISION, "a.martin", true, true);
    let a = enregistrer(&envoi);
    // Agents without the habilitation, invited read-only, companies.
    assert_eq!(b.code(DECISION, &agent("j.dupont"), &a), C::NonHabilite);
    assert_eq!(b.code(DECISION, &agent("p.leroy"), &a), C::NonHabilite);
    assert_eq!(b.code(DECISION, &Acteur::Anonyme, &a), C::NonHabilite);
    // Prepared in another agent's name.
    let autre = enregistrer(&lettre(&b, DECISION, "j.dupont", true, true));
    let err = b.essayer(DECISION, &agent("a.martin"), &autre).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (C::NonHabilite, Some("$.evenements[0].agent"))
    );
    // Sent "later" than now.
    assert_eq!(
        b.code("2026-12-18T11:59:59Z", &agent("a.martin"), &a),
        C::ArgumentInvalide
    );
    // Nothing to record.
    let vide = Action::EnregistrerCourrier { evenements: vec![] };
    assert_eq!(
        b.code(DECISION, &agent("a.martin"), &vide),
        C::SansDestinataire
    );
    let retouche = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = serde_json::to_value(&a).unwrap();
        f(&mut v["evenements"][0]);
        serde_json::from_value::<Action>(v).unwrap()
    };
    let err = b
        .essayer(
            DECISION,
            &agent("a.martin"),
            &retouche(&|e| e["consultation_id"] = "autre".into()),
        )
        .unwrap_err();
    assert_eq!(err.code(), C::ReferenceInconnue);
    assert_eq!(err.path(), Some("$.evenements[0].consultation_id"));
    let err = b
        .essayer(
            DECISION,
            &agent("a.martin"),
            &retouche(&|e| e["destinataire"] = "x@@y".into()),
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (C::AdresseInvalide, Some("$.evenements[0].destinataire"))
    );
    assert_eq!(
        b.code(
            DECISION,
            &agent("a.martin"),
            &retouche(&|e| e["message_id"] = " ".into())
        ),
        C::CourrierIncomplet
    );
    // With acknowledgement but no token hash.
    assert_eq!(
        b.code(
            DECISION,
            &agent("a.martin"),
            &retouche(&|e| {
                e.as_object_mut().unwrap().remove("empreinte_jeton");
            })
        ),
        C::ArgumentInvalide
    );
    // An acknowledgement is not recorded as a sending.
    let ouvert = Action::EnregistrerCourrier {
        evenements: vec![EvenementCourrier::Ouvert {
            courrier_id: "x".into(),
            destinataire: A.into(),
            message_id: "m@x".into(),
            date: DECISION.parse().unwrap(),
        }],
    };
    let err = b
        .essayer(DECISION, &agent("a.martin"), &ouvert)
        .unwrap_err();
    assert_eq!(err.path(), Some("$.evenements[0].evenement"));
    // The same message twice: refused, the first one included (all or nothing).
    let double = Action::EnregistrerCourrier {
        evenements: vec![envoi.evenements[0].clone(), envoi.evenements[0].clone()],
    };
    assert_eq!(
        b.code(DECISION, &agent("a.martin"), &double),
        C::ArgumentInvalide
    );
    assert!(b.p.courriers.entrees.is_empty());
    b.ok(DECISION, &agent("a.martin"), &a);
    assert_eq!(
        b.code(DECISION, &agent("a.martin"), &a),
        C::ArgumentInvalide
    );
}

#[test]
fn refus_avant_validation_et_apres_archivage() {
    let s = jusqu_a("pli 1");
    let mut b = Banc {
        org: s.org.clone(),
        p: Procedure::brouillon(s.p.consultation.clone()),
        journal: vec![],
    };
    let envoi = lettre(&s, "2026-12-10T15:00:00Z", "a.martin", false, false);
    assert_eq!(
        b.code(
            "2026-12-10T15:00:00Z",
            &agent("a.martin"),
            &enregistrer(&envoi)
        ),
        C::PhaseIncorrecte
    );
    let mut fin = jusqu_a("réponse de l'entreprise");
    fin.ok(
        "2027-01-05T09:00:00Z",
        &agent("a.martin"),
        &Action::Archiver,
    );
    let envoi = lettre(&fin, "2027-01-06T09:00:00Z", "a.martin", false, false);
    assert_eq!(
        fin.code(
            "2027-01-06T09:00:00Z",
            &agent("a.martin"),
            &enregistrer(&envoi)
        ),
        C::PhaseIncorrecte
    );
}

#[test]
fn refus_accuse_et_reponse() {
    let mut b = jusqu_a("pli papier 5 reçu hors délai (registre papier)");
    let avec = lettre(&b, DECISION, "a.martin", true, false);
    b.ok(DECISION, &agent("a.martin"), &enregistrer(&avec));
    let t = "2026-12-18T13:00:00Z";
    let ar = |j: &str| Action::AccuserReceptionCourrier { jeton: j.into() };
    for j in ["", "inconnu", &"x".repeat(10_000)] {
        let err = b.essayer(t, &Acteur::Anonyme, &ar(j)).unwrap_err();
        assert_eq!((err.code(), err.path()), (C::JetonInconnu, Some("$.jeton")));
    }
    // The token's hash, as the register shows it, is not the token.
    let empreinte = b.p.courriers.entrees[0].empreinte_jeton.clone().unwrap();
    assert_eq!(
        b.code(t, &Acteur::Anonyme, &ar(&empreinte)),
        C::JetonInconnu
    );
    // The platform itself does not acknowledge.
    let jeton = avec.messages[0].jeton.clone().unwrap();
    assert_eq!(b.code(t, &Acteur::Systeme, &ar(&jeton)), C::NonHabilite);
    // Answers: this letter allows none.
    let mid = avec.messages[0].message_id.clone();
    let rep = |m: &str| Action::RepondreCourrier {
        message_id: m.into(),
        message_id_reponse: None,
    };
    assert_eq!(
        b.code(t, &agent("a.martin"), &rep(&mid)),
        C::ReponseNonAutorisee
    );
    assert_eq!(
        b.code(t, &agent("a.martin"), &rep("inconnu@x")),
        C::CourrierInconnu
    );
    assert_eq!(
        b.code(t, &agent("a.martin"), &rep("<>")),
        C::CourrierInconnu
    );
    // Who may record an answer: not anonymous, not an agent with no access, not another
    // company.
    let t2 = "2026-12-18T14:00:00Z";
    let ouverte = lettre(&b, t2, "a.martin", false, true);
    b.ok(t2, &agent("a.martin"), &enregistrer(&ouverte));
    let mid = ouverte.messages[0].message_id.clone();
    assert_eq!(b.code(t2, &Acteur::Anonyme, &rep(&mid)), C::NonHabilite);
    let c = Acteur::Entreprise {
        identifiant: b.p.pli(4).unwrap().entreprise.identifiant.clone(),
    };
    assert_eq!(b.code(t2, &c, &rep(&mid)), C::NonHabilite);
    assert_eq!(
        b.code(t2, &agent("inconnu"), &rep(&mid)),
        C::ReferenceInconnue
    );
    b.ok(t2, &agent("m.petit"), &rep(&mid));
}
