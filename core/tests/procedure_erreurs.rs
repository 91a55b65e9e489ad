//! One test per refusal: each bad input, forbidden actor or wrong moment gives its stable
//! code, and leaves the state untouched (checked by `Banc::essayer`).

mod procedure_commun;

use mpe::CodeErreur as C;
use mpe::model::{ReponseElectronique, SignatureRequise, TypeContrat, TypeEnveloppe};
use mpe::procedure::{
    Acteur, Action, Attributaire, Decision, ModeOuvertureEnveloppe, OuvertureEnveloppe, Procedure,
    Rang, RefEnveloppe, ResultatDechiffrement, ResultatSignature, SignatureFichier,
};
use procedure_commun::{Banc, agent, etape, scenario};

const VALIDE: &str = "2026-11-02T09:00:00Z";
const AVANT: &str = "2026-12-10T10:00:00Z";
const APRES: &str = "2026-12-15T14:00:00Z";

fn banc() -> Banc {
    Banc::valide(|_| {}, VALIDE)
}

fn depot() -> (Action, Acteur) {
    etape(&scenario(), "pli 1")
}

fn modifier(a: &Action, f: impl FnOnce(&mut serde_json::Value)) -> Action {
    let mut v = serde_json::to_value(a).unwrap();
    f(&mut v);
    serde_json::from_value(v).unwrap()
}

/// A change made to an action's JSON.
type Retouche = Box<dyn Fn(&mut serde_json::Value)>;

fn martin() -> Acteur {
    agent("a.martin")
}

fn ouvrir(pli: u32, enveloppe: TypeEnveloppe, lot: u32) -> Action {
    Action::Ouvrir {
        mode: ModeOuvertureEnveloppe::EnLigne,
        enveloppes: vec![OuvertureEnveloppe {
            pli,
            enveloppe: RefEnveloppe { enveloppe, lot },
            resultat: ResultatDechiffrement::Ok { fichiers: vec![] },
        }],
    }
}

/// One pli deposited and wholly opened, in phase Ouverture et analyse.
fn ouvert() -> Banc {
    let mut b = banc();
    let (d, e) = depot();
    b.ok(AVANT, &e, &d);
    for (t, lot) in [
        (TypeEnveloppe::Candidature, 0),
        (TypeEnveloppe::Offre, 1),
        (TypeEnveloppe::Offre, 2),
    ] {
        b.ok(APRES, &agent("c.bernard"), &ouvrir(1, t, lot));
    }
    b
}

#[test]
fn phase_incorrecte() {
    let s = scenario();
    let (d, e) = depot();
    let mut b = Banc {
        org: s.organisation.clone(),
        p: Procedure::brouillon(s.consultation.clone()),
        journal: vec![],
    };
    assert_eq!(b.code(AVANT, &e, &d), C::PhaseIncorrecte);
    let mut b = banc();
    assert_eq!(
        b.code(
            AVANT,
            &agent("c.bernard"),
            &ouvrir(1, TypeEnveloppe::Candidature, 0)
        ),
        C::PhaseIncorrecte
    );
    assert_eq!(
        b.code(AVANT, &martin(), &Action::PasserEnDecision),
        C::PhaseIncorrecte
    );
    assert_eq!(
        b.code(AVANT, &martin(), &Action::Valider { cles: vec![] }),
        C::PhaseIncorrecte
    );
    let mut b = ouvert();
    let dec = Action::Decider {
        lot: 1,
        decision: Decision::SansSuite { motif: "x".into() },
    };
    assert_eq!(b.code(APRES, &martin(), &dec), C::PhaseIncorrecte);
}

#[test]
fn non_habilite() {
    let mut b = banc();
    let (d, e) = depot();
    // An agent cannot bid, a company cannot bid for another, the platform only refreshes.
    assert_eq!(b.code(AVANT, &martin(), &d), C::NonHabilite);
    let autre = Acteur::Entreprise {
        identifiant: mpe::procedure::IdentifiantEntreprise::Siret("73282932000074".into()),
    };
    assert_eq!(b.code(AVANT, &autre, &d), C::NonHabilite);
    assert_eq!(b.code(AVANT, &Acteur::Systeme, &d), C::NonHabilite);
    b.ok(AVANT, &Acteur::Systeme, &Action::Actualiser);
    b.ok(AVANT, &e, &d);
    // j.dupont may not open; p.leroy is invited read-only (his habilitations do not count);
    // m.petit is invited to follow (registers only).
    for qui in ["j.dupont", "p.leroy", "m.petit"] {
        assert_eq!(
            b.code(
                APRES,
                &agent(qui),
                &ouvrir(1, TypeEnveloppe::Candidature, 0)
            ),
            C::NonHabilite,
            "{qui}"
        );
    }
    assert_eq!(
        b.code(APRES, &agent("inconnu"), &Action::Actualiser),
        C::ReferenceInconnue
    );
    assert_eq!(
        b.code(APRES, &agent("p.leroy"), &Action::Actualiser),
        C::NonHabilite
    );
    b.ok(APRES, &agent("m.petit"), &Action::Actualiser);
}

#[test]
fn reponse_electronique_refusee() {
    let mut b = Banc::valide(
        |c| {
            c.modalites.reponse_electronique = ReponseElectronique::Refusee;
            c.modalites.chiffrement = false;
        },
        VALIDE,
    );
    let (d, e) = depot();
    assert_eq!(b.code(AVANT, &e, &d), C::ReponseElectroniqueRefusee);
}

#[test]
fn code_acces() {
    let mut b = banc();
    let (d, e) = depot();
    let sans = modifier(&d, |v| {
        v.as_object_mut().unwrap().remove("code_acces");
    });
    assert_eq!(b.code(AVANT, &e, &sans), C::CodeAccesIncorrect);
    let faux = modifier(&d, |v| v["code_acces"] = "K7QM4TZQ".into());
    assert_eq!(b.code(AVANT, &e, &faux), C::CodeAccesIncorrect);
    let court = modifier(&d, |v| v["code_acces"] = "K7QM4TZ".into());
    assert_eq!(b.code(AVANT, &e, &court), C::CodeAccesIncorrect);
    // A public consultation needs none.
    let mut b = Banc::valide(
        |c| c.acces.type_acces = mpe::model::TypeAcces::Public,
        VALIDE,
    );
    b.ok(AVANT, &e, &sans);
}

#[test]
fn enveloppes() {
    let mut b = banc();
    let (d, e) = depot();
    let cas: Vec<(C, Retouche)> = vec![
        // Without the bytes, what mpe computes on them is not taken from the host.
        (
            C::OctetsRequis,
            Box::new(|v| v["enveloppes"][1]["chiffree"] = true.into()),
        ),
        (
            C::OctetsRequis,
            Box::new(|v| v["enveloppes"][2]["sha256"] = "ab".repeat(32).into()),
        ),
        (
            C::OctetsRequis,
            Box::new(|v| v["enveloppes"][0]["taille"] = 16.into()),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| {
                v["enveloppes"].as_array_mut().unwrap().remove(0);
            }),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| {
                let x = v["enveloppes"][1].clone();
                v["enveloppes"].as_array_mut().unwrap().push(x);
            }),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| v["enveloppes"][1]["enveloppe"] = "anonymat".into()),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| v["enveloppes"][1]["fichiers"] = serde_json::json!([])),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| v["enveloppes"][1]["fichiers"][0]["sha256"] = "ABC".into()),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| v["enveloppes"][1]["fichiers"][0]["nom"] = " ".into()),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| v["enveloppes"][1]["lot"] = 3.into()),
        ),
        (
            C::EnveloppeIncorrecte,
            Box::new(|v| v["enveloppes"] = serde_json::json!([])),
        ),
        (
            C::LotInconnu,
            Box::new(|v| v["enveloppes"][1]["lot"] = 9.into()),
        ),
        (
            C::LotInconnu,
            Box::new(|v| v["lots"] = serde_json::json!([1, 1])),
        ),
        (
            C::LotInconnu,
            Box::new(|v| v["lots"] = serde_json::json!([])),
        ),
        (
            C::LotInconnu,
            Box::new(|v| v["lots"] = serde_json::json!([0])),
        ),
        (
            C::ChampObligatoire,
            Box::new(|v| v["entreprise"]["raison_sociale"] = "".into()),
        ),
        (
            C::ChampObligatoire,
            Box::new(|v| v["entreprise"]["contact"]["email"] = "pas-une-adresse".into()),
        ),
        (
            C::LimiteDepassee,
            Box::new(|v| {
                let f = v["enveloppes"][1]["fichiers"][0].clone();
                v["enveloppes"][1]["fichiers"] = serde_json::Value::Array(vec![f; 1001]);
            }),
        ),
    ];
    for (i, (code, f)) in cas.iter().enumerate() {
        let a = modifier(&d, f);
        assert_eq!(b.code(AVANT, &e, &a), *code, "cas {i}");
    }
    // A wrong SIRET key, even from the company that claims it.
    let faux = modifier(&d, |v| {
        v["entreprise"]["identifiant"]["siret"] = "44205123400016".into()
    });
    let qui = Acteur::Entreprise {
        identifiant: mpe::procedure::IdentifiantEntreprise::Siret("44205123400016".into()),
    };
    assert_eq!(b.code(AVANT, &qui, &faux), C::SiretInvalide);
    // A foreign company is identified otherwise.
    let etranger =
        modifier(
            &d,
            |v| {
                v["entreprise"]["identifiant"] =
                    serde_json::json!({"etranger": {"pays": "DE", "numero": "HRB 12345"}})
            },
        );
    let qui = Acteur::Entreprise {
        identifiant: mpe::procedure::IdentifiantEntreprise::Etranger {
            pays: "DE".into(),
            numero: "HRB 12345".into(),
        },
    };
    b.ok(AVANT, &qui, &etranger);
}

#[test]
fn signature_requise() {
    let mut b = Banc::valide(
        |c| c.modalites.signature = SignatureRequise::Requise,
        VALIDE,
    );
    let (d, e) = depot();
    // The DUME of the candidature is not signed.
    assert_eq!(b.code(AVANT, &e, &d), C::SignatureManquante);
    let signe = |r: ResultatSignature| {
        modifier(&d, |v| {
            for env in v["enveloppes"].as_array_mut().unwrap() {
                for f in env["fichiers"].as_array_mut().unwrap() {
                    f["signature"] = serde_json::to_value(SignatureFichier {
                        format: "PAdES".into(),
                        resultat: r,
                        signataire: None,
                    })
                    .unwrap();
                }
            }
        })
    };
    assert_eq!(
        b.code(AVANT, &e, &signe(ResultatSignature::Invalide)),
        C::SignatureManquante
    );
    b.ok(AVANT, &e, &signe(ResultatSignature::Indeterminee));
}

#[test]
fn ouverture_impossible() {
    let mut b = banc();
    let (d, e) = depot();
    b.ok(AVANT, &e, &d);
    let bernard = agent("c.bernard");
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(2, TypeEnveloppe::Candidature, 0)),
        C::PliInconnu
    );
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Offre, 3)),
        C::PliInconnu
    );
    // Par dossier: the candidature first.
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Offre, 1)),
        C::OuvertureImpossible
    );
    b.ok(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Candidature, 0));
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Candidature, 0)),
        C::OuvertureImpossible
    );
    // A rejected candidature's offers stay closed.
    b.ok(
        APRES,
        &agent("j.dupont"),
        &Action::AnalyserCandidature {
            pli: 1,
            admise: false,
            motif: Some("hors sujet".into()),
        },
    );
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Offre, 1)),
        C::OuvertureImpossible
    );
    // A rejection needs its reason.
    assert_eq!(
        b.code(
            APRES,
            &agent("j.dupont"),
            &Action::AnalyserCandidature {
                pli: 1,
                admise: false,
                motif: None
            }
        ),
        C::ChampObligatoire
    );
}

#[test]
fn par_reponse_et_anonymat() {
    let mut b = Banc::valide(
        |c| {
            c.modalites.mode_ouverture = mpe::model::ModeOuverture::ParReponse;
            c.modalites.enveloppes.push(TypeEnveloppe::Anonymat);
        },
        VALIDE,
    );
    let (d, e) = depot();
    // The anonymat envelopes copy an offer's files, without their documents (none is
    // expected there).
    let anonymat = |v: &serde_json::Value| {
        let mut x = v.clone();
        x["enveloppe"] = "anonymat".into();
        for f in x["fichiers"].as_array_mut().unwrap() {
            f.as_object_mut().unwrap().remove("document");
        }
        x
    };
    let avec_anonymat = modifier(&d, |v| {
        let x = anonymat(&v["enveloppes"][1]);
        let mut y = x.clone();
        y["lot"] = 2.into();
        v["enveloppes"].as_array_mut().unwrap().extend([x, y]);
    });
    b.ok(AVANT, &e, &avec_anonymat);
    let s = scenario();
    let (d2, e2) = etape(&s, "pli 4, une seconde avant la DLRO");
    let d2 = modifier(&d2, |v| {
        let x = anonymat(&v["enveloppes"][1]);
        v["enveloppes"].as_array_mut().unwrap().push(x);
    });
    b.ok(AVANT, &e2, &d2);
    let bernard = agent("c.bernard");
    b.ok(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Candidature, 0));
    // Par réponse: every candidature before any offer.
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Offre, 1)),
        C::OuvertureImpossible
    );
    b.ok(APRES, &bernard, &ouvrir(2, TypeEnveloppe::Candidature, 0));
    b.ok(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Offre, 2));
    // Anonymat only after the offers of its lot are ranked.
    assert_eq!(
        b.code(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Anonymat, 2)),
        C::OuvertureImpossible
    );
    b.ok(
        APRES,
        &agent("j.dupont"),
        &Action::ClasserOffres {
            lot: 2,
            classement: vec![Rang {
                pli: 1,
                rang: 1,
                note: Some(12.0),
                commentaire: None,
                montant: None,
            }],
        },
    );
    b.ok(APRES, &bernard, &ouvrir(1, TypeEnveloppe::Anonymat, 2));
    // Ranking: only opened offers, ranks within 1..n, no pli twice.
    let classe = |c: Vec<(u32, u32)>| Action::ClasserOffres {
        lot: 2,
        classement: c
            .into_iter()
            .map(|(pli, rang)| Rang {
                pli,
                rang,
                note: None,
                commentaire: None,
                montant: None,
            })
            .collect(),
    };
    let dupont = agent("j.dupont");
    assert_eq!(
        b.code(APRES, &dupont, &classe(vec![(2, 1)])),
        C::OuvertureImpossible
    );
    assert_eq!(
        b.code(APRES, &dupont, &classe(vec![(1, 2)])),
        C::ArgumentInvalide
    );
    assert_eq!(
        b.code(APRES, &dupont, &classe(vec![(1, 1), (1, 1)])),
        C::ArgumentInvalide
    );
    assert_eq!(b.code(APRES, &dupont, &classe(vec![(7, 1)])), C::PliInconnu);
}

#[test]
fn decisions() {
    let mut b = ouvert();
    b.ok(APRES, &martin(), &Action::PasserEnDecision);
    let attribue = |pli, montant| Action::Decider {
        lot: 1,
        decision: Decision::Attribution {
            attributaires: vec![Attributaire {
                pli,
                montant: mpe::model::Montant::euros(montant),
            }],
        },
    };
    assert_eq!(
        b.code(APRES, &martin(), &attribue(1, 0)),
        C::ArgumentInvalide
    );
    assert_eq!(b.code(APRES, &martin(), &attribue(4, 10)), C::PliInconnu);
    let lot9 = Action::Decider {
        lot: 9,
        decision: Decision::Autre {
            libelle: "x".into(),
        },
    };
    assert_eq!(b.code(APRES, &martin(), &lot9), C::LotInconnu);
    assert_eq!(
        b.code(
            APRES,
            &martin(),
            &Action::EnvoyerLettresRejet {
                lot: 1,
                electronique: true
            }
        ),
        C::DecisionImpossible
    );
    assert_eq!(
        b.code(
            APRES,
            &martin(),
            &Action::ReinitialiserDecision {
                lot: 1,
                motif: "x".into(),
                retrait: false
            }
        ),
        C::DecisionImpossible
    );
    // Two attributaires only for a multi-attributaires framework agreement.
    let deux = Action::Decider {
        lot: 1,
        decision: Decision::Attribution {
            attributaires: vec![
                Attributaire {
                    pli: 1,
                    montant: mpe::model::Montant::euros(10),
                },
                Attributaire {
                    pli: 1,
                    montant: mpe::model::Montant::euros(10),
                },
            ],
        },
    };
    assert_eq!(b.code(APRES, &martin(), &deux), C::DecisionImpossible);
    // Lot 3 has no offer from this pli.
    let lot3 = Action::Decider {
        lot: 3,
        decision: Decision::Attribution {
            attributaires: vec![Attributaire {
                pli: 1,
                montant: mpe::model::Montant::euros(10),
            }],
        },
    };
    assert_eq!(b.code(APRES, &martin(), &lot3), C::DecisionImpossible);
    b.ok(APRES, &martin(), &attribue(1, 1000));
    assert_eq!(
        b.code(APRES, &martin(), &attribue(1, 900)),
        C::DecisionImpossible
    );
    // Reset, any type, then decide again.
    for d in [
        Decision::SansSuite {
            motif: "besoin redéfini".into(),
        },
        Decision::Infructueuse {
            motif: "offres inacceptables".into(),
        },
        Decision::Autre {
            libelle: "négociation".into(),
        },
    ] {
        b.ok(
            APRES,
            &martin(),
            &Action::ReinitialiserDecision {
                lot: 1,
                motif: "erreur".into(),
                retrait: false,
            },
        );
        b.ok(
            APRES,
            &martin(),
            &Action::Decider {
                lot: 1,
                decision: d,
            },
        );
    }
    // Single bidder: no standstill.
    b.ok(
        APRES,
        &martin(),
        &Action::ReinitialiserDecision {
            lot: 1,
            motif: "erreur".into(),
            retrait: false,
        },
    );
    b.ok(APRES, &martin(), &attribue(1, 1000));
    b.ok(
        APRES,
        &martin(),
        &Action::EnvoyerLettresRejet {
            lot: 1,
            electronique: true,
        },
    );
    assert_eq!(
        b.p.decisions[&1]
            .lettres_rejet
            .as_ref()
            .unwrap()
            .signature_possible_le,
        None
    );
    assert_eq!(
        b.code(
            APRES,
            &martin(),
            &Action::EnvoyerLettresRejet {
                lot: 1,
                electronique: true
            }
        ),
        C::DecisionImpossible
    );
    // The letters went out: no silent reset, only an explicit withdrawal, journalled.
    let reset = |retrait| Action::ReinitialiserDecision {
        lot: 1,
        motif: "recours gracieux fondé".into(),
        retrait,
    };
    assert_eq!(
        b.code(APRES, &martin(), &reset(false)),
        C::DecisionImpossible
    );
    b.ok(APRES, &martin(), &reset(true));
    assert!(matches!(
        b.journal.last().unwrap().evenement,
        mpe::procedure::Evenement::DecisionReinitialisee { retrait: true, .. }
    ));
    // A withdrawal is only for a notified attribution.
    b.ok(APRES, &martin(), &attribue(1, 1000));
    assert_eq!(b.code(APRES, &martin(), &reset(true)), C::ArgumentInvalide);
    b.ok(
        APRES,
        &martin(),
        &Action::EnvoyerLettresRejet {
            lot: 1,
            electronique: true,
        },
    );
    assert_eq!(
        b.code(APRES, &martin(), &Action::Archiver),
        C::DecisionImpossible
    );
    // Multi-attributaires accepted.
    let mut b = Banc::valide(
        |c| c.identification.type_contrat = TypeContrat::AccordCadreMultiAttributaires,
        VALIDE,
    );
    let (d, e) = depot();
    b.ok(AVANT, &e, &d);
    let _ = b;
}

#[test]
fn horloge_et_etat_altere() {
    let mut b = banc();
    let (d, e) = depot();
    assert_eq!(
        b.code("2026-11-01T00:00:00Z", &e, &d),
        C::HorlogeIncoherente
    );
    b.ok(AVANT, &e, &d);
    // A stored state whose numbering was tampered with is refused on load.
    let json =
        b.p.to_json()
            .replacen("\"plis\":[{\"numero\":1", "\"plis\":[{\"numero\":7", 1);
    assert_eq!(
        Procedure::from_json(&json).unwrap_err().code(),
        C::JsonInvalide
    );
    assert_eq!(
        Procedure::from_json("{").unwrap_err().code(),
        C::JsonInvalide
    );
    // Two plis of one company, neither replaced: refused.
    let mut v: serde_json::Value = serde_json::from_str(&b.p.to_json()).unwrap();
    let mut pli2 = v["plis"][0].clone();
    pli2["numero"] = 2.into();
    v["plis"].as_array_mut().unwrap().push(pli2);
    assert_eq!(
        Procedure::from_json(&v.to_string()).unwrap_err().code(),
        C::JsonInvalide
    );
}

#[test]
fn validation_refusee_avec_les_erreurs() {
    let s = scenario();
    let mut c = s.consultation.clone();
    c.identification.reference = "x".into();
    c.lots[0].cpv.principal = "45321000-4".into();
    let m = martin();
    let ctx = mpe::procedure::Contexte {
        maintenant: procedure_commun::t(VALIDE),
        acteur: &m,
        organisation: &s.organisation,
    };
    let (mut p, _) = Procedure::nouvelle(c, &ctx).unwrap();
    let e = p
        .appliquer(&Action::Valider { cles: vec![] }, &ctx)
        .unwrap_err();
    assert_eq!(e.code(), C::ValidationEchec);
    assert!(
        e.message().contains("REFERENCE_INVALIDE") && e.message().contains("CPV_CLE_CONTROLE"),
        "{e}"
    );
    assert_eq!(
        p.appliquer(&Action::DemanderValidation, &ctx)
            .unwrap_err()
            .code(),
        C::ValidationEchec
    );
    // The validator may send it back; the creator may not.
    let mut b = Banc::valide(|_| {}, VALIDE);
    assert_eq!(
        b.code(
            AVANT,
            &martin(),
            &Action::RefuserValidation { motif: "x".into() }
        ),
        C::PhaseIncorrecte
    );
    assert_eq!(
        b.code(
            AVANT,
            &agent("j.dupont"),
            &Action::RepondreQuestion {
                question: 3,
                reponse: "x".into()
            }
        ),
        C::ReferenceInconnue
    );
}

/// A consultation that requires encryption takes no declared dépôt, even validated without
/// keys: only `deposer_octets`, which checks the envelopes themselves (issue #18).
#[test]
fn chiffrement_exige_sans_cles() {
    let mut b = Banc::valide(|c| c.modalites.chiffrement = true, VALIDE);
    let (d, e) = depot();
    assert_eq!(b.code(AVANT, &e, &d), C::OctetsRequis);
    let chiffre = modifier(&d, |v| {
        for x in v["enveloppes"].as_array_mut().unwrap() {
            x["chiffree"] = true.into();
        }
    });
    assert_eq!(b.code(AVANT, &e, &chiffre), C::OctetsRequis);
    assert!(b.p.plis.is_empty());
}
