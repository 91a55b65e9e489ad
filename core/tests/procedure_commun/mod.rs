//! Helpers shared by the procedure integration tests.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use mpe::crypto::cle_chiffrement::CleChiffrement;
use mpe::model::{Consultation, Organisation};
use mpe::procedure::{Acteur, Action, Contexte, EntreeJournal, ParametresSuite, Procedure};
use serde::Deserialize;

/// A scenario file's creation of the procedure.
#[derive(Deserialize)]
pub struct Creation {
    pub maintenant: DateTime<Utc>,
    pub acteur: Acteur,
}

/// One step: an action, or the creation of a suite, and the outcome it expects.
#[derive(Deserialize)]
pub struct Etape {
    pub maintenant: DateTime<Utc>,
    pub acteur: Acteur,
    pub action: Option<Action>,
    pub suite: Option<ParametresSuite>,
    pub attendu: String,
    pub note: String,
}

/// A scenario file (tests/vectors/procedure/*.json).
#[derive(Deserialize)]
pub struct Scenario {
    pub organisation: Organisation,
    pub consultation: Consultation,
    pub creation: Creation,
    pub etapes: Vec<Etape>,
}

pub fn scenario() -> Scenario {
    serde_json::from_str(include_str!(
        "../../../tests/vectors/procedure/scenario.json"
    ))
    .unwrap()
}

pub fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn agent(id: &str) -> Acteur {
    Acteur::Agent { id: id.into() }
}

/// The action and actor of the scenario step with this note.
pub fn etape(s: &Scenario, note: &str) -> (Action, Acteur) {
    let e = s.etapes.iter().find(|e| e.note == note).unwrap();
    (e.action.clone().unwrap(), e.acteur.clone())
}

pub struct Banc {
    pub org: Organisation,
    pub p: Procedure,
    pub journal: Vec<EntreeJournal>,
}

impl Banc {
    /// A consultation from the scenario, changed by `f`, created and validated at `valide_le`.
    pub fn valide(f: impl FnOnce(&mut Consultation), valide_le: &str) -> Banc {
        Banc::valide_avec_cles(f, valide_le, vec![])
    }

    /// The same, the validation recording these encryption keys.
    pub fn valide_avec_cles(
        f: impl FnOnce(&mut Consultation),
        valide_le: &str,
        cles: Vec<CleChiffrement>,
    ) -> Banc {
        let mut b = Banc::cree(f, valide_le);
        b.ok(valide_le, &agent("a.martin"), &Action::Valider { cles });
        b
    }

    /// A consultation from the scenario, changed by `f`, created (Élaboration) at `le`.
    pub fn cree(f: impl FnOnce(&mut Consultation), le: &str) -> Banc {
        let s = scenario();
        let mut c = s.consultation.clone();
        f(&mut c);
        let mut b = Banc {
            org: s.organisation,
            p: Procedure::brouillon(c.clone()),
            journal: vec![],
        };
        let (p, j) = Procedure::nouvelle(c, &b.ctx(le, &agent("a.martin"))).unwrap();
        b.p = p;
        b.journal = j;
        b
    }

    pub fn ctx<'a>(&'a self, quand: &str, qui: &'a Acteur) -> Contexte<'a> {
        Contexte {
            maintenant: t(quand),
            acteur: qui,
            organisation: &self.org,
        }
    }

    pub fn essayer(&mut self, quand: &str, qui: &Acteur, a: &Action) -> mpe::Result<()> {
        let avant = self.p.clone();
        let ctx = Contexte {
            maintenant: t(quand),
            acteur: qui,
            organisation: &self.org,
        };
        match self.p.appliquer(a, &ctx) {
            Ok(j) => {
                self.journal.extend(j);
                Ok(())
            }
            Err(e) => {
                assert_eq!(self.p, avant, "refus sans effet");
                Err(e)
            }
        }
    }

    pub fn ok(&mut self, quand: &str, qui: &Acteur, a: &Action) {
        if let Err(e) = self.essayer(quand, qui, a) {
            panic!("{} refusée : {e} [{}]", a.nom(), e.code().name());
        }
    }

    pub fn code(&mut self, quand: &str, qui: &Acteur, a: &Action) -> mpe::CodeErreur {
        self.essayer(quand, qui, a).unwrap_err().code()
    }
}
