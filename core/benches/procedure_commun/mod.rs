//! Workloads shared by the procedure benchmarks.
#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use mpe::model::{Consultation, Organisation, TypeEnveloppe};
use mpe::procedure::{
    Acteur, Action, Contact, Contexte, Entreprise, EnveloppeDeposee, Fichier,
    IdentifiantEntreprise, ModeOuvertureEnveloppe, OuvertureEnveloppe, Procedure, RefEnveloppe,
    ResultatDechiffrement,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Scenario {
    organisation: Organisation,
    consultation: Consultation,
}

fn siret(n: u32) -> String {
    // A valid SIRET from a 13-digit prefix and its Luhn key.
    let base = format!("{:09}{:04}", 100_000_000 + n, n % 10_000);
    (0..10)
        .map(|k| format!("{base}{k}"))
        .find(|s| mpe::rules::siret::valider(s).is_ok())
        .unwrap()
}

pub fn entreprise(n: u32) -> Entreprise {
    Entreprise {
        identifiant: IdentifiantEntreprise::Siret(siret(n)),
        raison_sociale: format!("Entreprise n° {n} SAS"),
        contact: Contact {
            nom: "Camille Durand".into(),
            email: format!("contact{n}@entreprise{n}.fr"),
            telephone: None,
        },
    }
}

fn fichier(nom: &str, n: u32) -> Fichier {
    Fichier {
        nom: format!("{nom}_{n}.pdf"),
        taille: 100_000 + u64::from(n),
        sha256: format!("{:064x}", u64::from(n) * 7919 + nom.len() as u64),
        signature: None,
        document: None,
    }
}

pub fn depot(e: &Entreprise, n: u32, lot: u32, code: &str) -> Action {
    let env = |enveloppe, lot, fichiers| EnveloppeDeposee {
        enveloppe,
        lot,
        chiffree: false,
        fichiers,
        sha256: None,
        taille: None,
    };
    Action::Deposer {
        entreprise: e.clone(),
        lots: vec![lot],
        enveloppes: vec![
            env(TypeEnveloppe::Candidature, 0, vec![fichier("DUME", n)]),
            env(
                TypeEnveloppe::Offre,
                lot,
                vec![fichier("AE", n), fichier("Memoire", n)],
            ),
        ],
        code_acces: Some(code.into()),
    }
}

pub struct Banc {
    pub org: Organisation,
    pub etat: Procedure,
    pub code: String,
    pub debut: DateTime<Utc>,
}

/// A validated consultation with `lots` lots, online.
pub fn banc(lots: u32) -> Banc {
    let s: Scenario = serde_json::from_str(include_str!(
        "../../../tests/vectors/procedure/scenario.json"
    ))
    .unwrap();
    let mut c = s.consultation;
    let modele = c.lots[0].clone();
    c.lots = (1..=lots)
        .map(|n| {
            let mut l = modele.clone();
            l.numero = n;
            l.intitule = format!("Lot {n}");
            l
        })
        .collect();
    c.modalites.documents.clear();
    let martin = Acteur::Agent {
        id: "a.martin".into(),
    };
    let t0: DateTime<Utc> = "2026-11-02T09:00:00Z".parse().unwrap();
    let ctx = Contexte {
        maintenant: t0,
        acteur: &martin,
        organisation: &s.organisation,
    };
    let code = c.acces.code_acces.clone().unwrap();
    let (mut etat, _) = Procedure::nouvelle(c, &ctx).unwrap();
    etat.appliquer(&Action::Valider { cles: vec![] }, &ctx)
        .unwrap();
    Banc {
        org: s.organisation,
        etat,
        code,
        debut: t0 + Duration::days(1),
    }
}

/// A day online: downloads (identified and anonymous), questions and bids, in turn; each
/// with its actor.
pub fn journee(b: &Banc) -> Vec<(Action, Acteur)> {
    let entreprises: Vec<Entreprise> = (0..50).map(entreprise).collect();
    // A day online: downloads (identified and anonymous), questions and bids, in turn.
    let mut suite: Vec<(Action, Acteur)> = Vec::new();
    for i in 0..1000u32 {
        let e = &entreprises[(i % 50) as usize];
        let qui = Acteur::Entreprise {
            identifiant: e.identifiant.clone(),
        };
        let a = match i % 4 {
            0 => (
                Action::EnregistrerRetrait {
                    entreprise: Some(e.clone()),
                    code_acces: Some(b.code.clone()),
                    fichiers: vec![],
                },
                qui,
            ),
            1 => (
                Action::EnregistrerRetrait {
                    entreprise: None,
                    code_acces: Some(b.code.clone()),
                    fichiers: vec![],
                },
                Acteur::Anonyme,
            ),
            2 => (
                Action::PoserQuestion {
                    entreprise: e.clone(),
                    texte: "Le lot 2 comprend-il la dépose des anciennes menuiseries ?".into(),
                    code_acces: Some(b.code.clone()),
                },
                qui,
            ),
            _ => (depot(e, i, i % 3 + 1, &b.code), qui),
        };
        suite.push(a);
    }
    suite
}

/// Apply the day's actions to a copy of the state; returns the journal entries produced.
pub fn jouer(b: &Banc, etat: &mut Procedure, suite: &[(Action, Acteur)]) -> usize {
    let mut n = 0usize;
    for (i, (a, qui)) in suite.iter().enumerate() {
        let ctx = Contexte {
            maintenant: b.debut + Duration::seconds(i as i64),
            acteur: qui,
            organisation: &b.org,
        };
        n += etat.appliquer(a, &ctx).unwrap().len();
    }
    n
}

/// 100 lots, 500 plis (one lot each, candidature and offer), half of them opened.
pub fn grand_etat() -> Procedure {
    let mut b = banc(100);
    for n in 0..500u32 {
        let e = entreprise(n);
        let qui = Acteur::Entreprise {
            identifiant: e.identifiant.clone(),
        };
        let ctx = Contexte {
            maintenant: b.debut + Duration::seconds(i64::from(n)),
            acteur: &qui,
            organisation: &b.org,
        };
        b.etat
            .appliquer(&depot(&e, n, n % 100 + 1, &b.code), &ctx)
            .unwrap();
    }
    let bernard = Acteur::Agent {
        id: "c.bernard".into(),
    };
    let ctx = Contexte {
        maintenant: "2026-12-16T09:00:00Z".parse().unwrap(),
        acteur: &bernard,
        organisation: &b.org,
    };
    for n in (1..=500u32).step_by(2) {
        let lot = (n - 1) % 100 + 1;
        let a = Action::Ouvrir {
            mode: ModeOuvertureEnveloppe::EnLigne,
            enveloppes: [(TypeEnveloppe::Candidature, 0), (TypeEnveloppe::Offre, lot)]
                .into_iter()
                .map(|(enveloppe, lot)| OuvertureEnveloppe {
                    pli: n,
                    enveloppe: RefEnveloppe { enveloppe, lot },
                    // The files of the receipt: a conform opening.
                    resultat: ResultatDechiffrement::Ok {
                        fichiers: if enveloppe == TypeEnveloppe::Candidature {
                            vec![fichier("DUME", n - 1)]
                        } else {
                            vec![fichier("AE", n - 1), fichier("Memoire", n - 1)]
                        },
                    },
                })
                .collect(),
        };
        b.etat.appliquer(&a, &ctx).unwrap();
    }
    b.etat
}
