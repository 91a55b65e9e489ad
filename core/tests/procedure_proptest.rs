//! Random sequences of actions, actors and clock jumps never reach an inconsistent state:
//! no pli accepted at or after the DLRO, no envelope opened before the DLRO or of a late or
//! replaced pli, no decision before the Décision phase or without an opened offer, a
//! refused action changes nothing, and the journal always verifies.

// Modulo picks among choices here; it is not a divisibility test.
#![allow(clippy::manual_is_multiple_of)]

use chrono::{DateTime, Duration, Utc};
use mpe::messagerie::{EvenementCourrier, TypeCourrier, empreinte_jeton};
use mpe::model::{Consultation, Organisation, TypeEnveloppe};
use mpe::procedure::{
    Acteur, Action, Attributaire, Contexte, Decision, EntreeJournal, Entreprise, EnveloppeDeposee,
    Fichier, ModeDepot, ModeOuvertureEnveloppe, OuvertureEnveloppe, Phase, Procedure, Rang,
    RefEnveloppe, ResultatDechiffrement, StatutEnveloppe, verifier_journal,
};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Scenario {
    organisation: Organisation,
    consultation: Consultation,
}

fn donnees() -> Scenario {
    serde_json::from_str(include_str!("../../tests/vectors/procedure/scenario.json")).unwrap()
}

fn entreprises() -> Vec<Entreprise> {
    ["44205123400015", "51802345600024", "80103456700017"]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::from_value(serde_json::json!({
                "identifiant": {"siret": s},
                "raison_sociale": format!("Entreprise {i}"),
                "contact": {"nom": "Contact", "email": format!("c{i}@exemple.fr")}
            }))
            .unwrap()
        })
        .collect()
}

fn fichier(n: u8) -> Fichier {
    Fichier {
        nom: format!("f{n}.pdf"),
        taille: 100 + u64::from(n),
        sha256: format!("{:064x}", n),
        signature: None,
        document: None,
    }
}

/// The files of an envelope, one per document attendu (declaring it, in its first
/// format); now and then one short, which the dépôt must refuse (DOCUMENT_MANQUANT).
fn fichiers_pour(c: &Consultation, r: RefEnveloppe, lots: &[u32], b: u8) -> Vec<Fichier> {
    let mut v: Vec<Fichier> = c
        .modalites
        .documents
        .iter()
        .filter(|d| {
            d.enveloppe == r.enveloppe
                && d.lot
                    .is_none_or(|l| l == r.lot || (!r.enveloppe.par_lot() && lots.contains(&l)))
        })
        .enumerate()
        .map(|(i, d)| Fichier {
            nom: format!(
                "f{b}_{i}.{}",
                d.formats.first().map_or("pdf", |s| s.as_str())
            ),
            taille: 100 + u64::from(b),
            sha256: format!("{:064x}", usize::from(b) * 100 + i),
            signature: None,
            document: Some(d.libelle.clone()),
        })
        .collect();
    if b % 13 == 0 {
        v.pop();
    }
    if v.is_empty() {
        v.push(fichier(b));
    }
    v
}

/// One random step: which action, which actor, how far the clock jumps, and parameters.
#[derive(Debug, Clone)]
struct Pas {
    genre: u8,
    acteur: u8,
    saut: u8,
    a: u8,
    b: u8,
}

fn pas() -> impl Strategy<Value = Pas> {
    (0u8..23, 0u8..9, 0u8..5, any::<u8>(), any::<u8>()).prop_map(|(genre, acteur, saut, a, b)| {
        Pas {
            genre,
            acteur,
            saut,
            a,
            b,
        }
    })
}

fn acteur(i: u8, e: &[Entreprise]) -> Acteur {
    match i {
        0 => Acteur::Agent {
            id: "a.martin".into(),
        },
        1 => Acteur::Agent {
            id: "j.dupont".into(),
        },
        2 => Acteur::Agent {
            id: "c.bernard".into(),
        },
        3 => Acteur::Agent {
            id: "p.leroy".into(),
        },
        4 => Acteur::Agent {
            id: "m.petit".into(),
        },
        5..=7 => Acteur::Entreprise {
            identifiant: e[usize::from(i - 5)].identifiant.clone(),
        },
        _ => Acteur::Anonyme,
    }
}

fn action(p: &Pas, etat: &Procedure, e: &[Entreprise], code: &str, t: DateTime<Utc>) -> Action {
    let ent = e[usize::from(p.a % 3)].clone();
    let lots: Vec<u32> = match p.b % 4 {
        0 => vec![1],
        1 => vec![2, 3],
        2 => vec![1, 2, 3],
        _ => vec![3],
    };
    let nplis = etat.plis.len().max(1) as u32;
    let pli = u32::from(p.a) % nplis + 1;
    let lot = u32::from(p.b % 3) + 1;
    match p.genre {
        0 => Action::Valider { cles: vec![] },
        1 => Action::DemanderValidation,
        2 | 3 => Action::Deposer {
            entreprise: ent,
            enveloppes: std::iter::once(RefEnveloppe {
                enveloppe: TypeEnveloppe::Candidature,
                lot: 0,
            })
            .chain(lots.iter().map(|&lot| RefEnveloppe {
                enveloppe: TypeEnveloppe::Offre,
                lot,
            }))
            .map(|r| EnveloppeDeposee {
                enveloppe: r.enveloppe,
                lot: r.lot,
                // A declared encryption is refused (the bytes path checks it): rarely.
                chiffree: p.b % 17 == 0,
                fichiers: fichiers_pour(&etat.consultation, r, &lots, p.b),
                sha256: None,
                taille: None,
            })
            .collect(),
            lots,
            code_acces: (p.a % 11 != 0).then(|| code.to_string()),
        },
        4 => Action::EnregistrerPliPapier {
            entreprise: ent,
            enveloppes: vec![RefEnveloppe {
                enveloppe: TypeEnveloppe::Candidature,
                lot: 0,
            }],
            lots,
            recu_le: t - Duration::minutes(i64::from(p.b)),
        },
        5 => Action::EnregistrerRetrait {
            entreprise: (p.b % 2 == 0).then_some(ent),
            code_acces: Some(code.to_string()),
            fichiers: vec![],
        },
        6..=8 => {
            let env = match p.b % 3 {
                0 => RefEnveloppe {
                    enveloppe: TypeEnveloppe::Candidature,
                    lot: 0,
                },
                _ => RefEnveloppe {
                    enveloppe: TypeEnveloppe::Offre,
                    lot,
                },
            };
            let resultat = if p.a % 7 == 0 {
                ResultatDechiffrement::Echec {
                    code: mpe::CodeErreur::IntegriteEchec,
                    message: "échec".into(),
                }
            } else {
                ResultatDechiffrement::Ok {
                    fichiers: vec![fichier(p.a)],
                }
            };
            // Usually the whole pli at once (par dossier), sometimes a single envelope.
            let refs: Vec<RefEnveloppe> = match etat.pli(pli) {
                Some(x) if p.b % 4 != 0 => x.enveloppes.iter().map(|e| e.reference()).collect(),
                _ => vec![env],
            };
            Action::Ouvrir {
                mode: if p.a % 2 == 0 || etat.pli(pli).is_some_and(|x| x.mode == ModeDepot::Papier)
                {
                    ModeOuvertureEnveloppe::HorsLigne
                } else {
                    ModeOuvertureEnveloppe::EnLigne
                },
                enveloppes: refs
                    .into_iter()
                    .map(|r| OuvertureEnveloppe {
                        pli,
                        enveloppe: r,
                        resultat: resultat.clone(),
                    })
                    .collect(),
            }
        }
        9 => Action::AnalyserCandidature {
            pli,
            admise: p.b % 4 != 0,
            motif: Some("motif".into()),
        },
        10 => Action::ClasserOffres {
            lot,
            classement: vec![Rang {
                pli,
                rang: 1,
                note: Some(f64::from(p.b)),
                commentaire: None,
                montant: None,
            }],
        },
        11 => Action::PasserEnDecision,
        12 | 13 => Action::Decider {
            lot,
            decision: match p.a % 4 {
                0 => Decision::Infructueuse {
                    motif: "aucune offre".into(),
                },
                1 => Decision::SansSuite {
                    motif: "besoin".into(),
                },
                _ => Decision::Attribution {
                    attributaires: vec![Attributaire {
                        pli,
                        montant: mpe::model::Montant::euros(1000 + i64::from(p.b)),
                    }],
                },
            },
        },
        14 => Action::ReinitialiserDecision {
            lot,
            motif: "erreur".into(),
            retrait: p.b % 5 == 0,
        },
        15 => Action::EnvoyerLettresRejet {
            lot,
            electronique: p.b % 2 == 0,
        },
        16 => Action::RefuserEnveloppe {
            pli,
            enveloppe: RefEnveloppe {
                enveloppe: TypeEnveloppe::Offre,
                lot,
            },
            motif: "virus".into(),
        },
        17 => Action::Archiver,
        18 if p.a == 0 => Action::Annuler {
            motif: "abandon".into(),
        },
        // Letters: a sending (by an agent who may or may not send), its acknowledgement
        // (a token that may or may not exist, possibly twice) and an answer.
        20 => Action::EnregistrerCourrier {
            evenements: vec![EvenementCourrier::Envoye {
                courrier_id: format!("c{}", p.a % 8),
                consultation_id: etat.consultation.id.clone(),
                type_courrier: TypeCourrier::Rejet,
                objet: "Rejet".into(),
                destinataire: format!("c{}@exemple.fr", p.a % 3),
                raison_sociale: None,
                message_id: format!("m{}@exemple.fr", p.a % 8),
                date: t,
                agent: if p.b % 3 == 0 { "j.dupont" } else { "a.martin" }.into(),
                accuse_reception: p.b % 2 == 0,
                reponse_autorisee: p.b % 4 < 2,
                empreinte_jeton: (p.b % 2 == 0).then(|| empreinte_jeton(&format!("j{}", p.a % 8))),
                pieces_jointes: vec![],
            }],
        },
        21 => Action::AccuserReceptionCourrier {
            jeton: format!("j{}", p.a % 8),
        },
        22 => Action::RepondreCourrier {
            message_id: format!("m{}@exemple.fr", p.a % 8),
            message_id_reponse: None,
        },
        _ => Action::Actualiser,
    }
}

fn coherent(p: &Procedure) -> Result<(), String> {
    for (i, e) in p.courriers.entrees.iter().enumerate() {
        if p.courriers.entrees[..i]
            .iter()
            .any(|x| x.message_id == e.message_id)
        {
            return Err(format!("courrier {} enregistré deux fois", e.message_id));
        }
        if e.accuse_le
            .is_some_and(|a| a < e.envoye_le || !e.accuse_reception)
        {
            return Err(format!("accusé de {} incohérent", e.message_id));
        }
        if e.repondu_le
            .is_some_and(|r| r < e.envoye_le || !e.reponse_autorisee)
        {
            return Err(format!("réponse à {} incohérente", e.message_id));
        }
    }
    let Some(dlro) = p.dlro else {
        return if p.plis.is_empty() && p.decisions.is_empty() {
            Ok(())
        } else {
            Err("plis ou décisions sans DLRO".into())
        };
    };
    for pli in &p.plis {
        if pli.mode == ModeDepot::Electronique && pli.horodatage >= dlro {
            return Err(format!(
                "pli électronique {} accepté à ou après la DLRO",
                pli.numero
            ));
        }
        if pli.hors_delai != (pli.horodatage >= dlro) {
            return Err(format!("pli {} : hors délai mal marqué", pli.numero));
        }
        for e in &pli.enveloppes {
            if let StatutEnveloppe::Ouverte { le, .. } = &e.statut {
                if *le < dlro {
                    return Err(format!("pli {} ouvert avant la DLRO", pli.numero));
                }
                if !pli.recevable() {
                    return Err(format!("pli {} hors délai ou remplacé ouvert", pli.numero));
                }
            }
        }
    }
    for (lot, d) in &p.decisions {
        if !matches!(p.phase, Phase::Decision | Phase::Archivee | Phase::Annulee) {
            return Err(format!("décision du lot {lot} hors phase Décision"));
        }
        if d.le < dlro {
            return Err(format!("décision du lot {lot} avant la DLRO"));
        }
        if let Decision::Attribution { attributaires } = &d.decision {
            for a in attributaires {
                let pli = p.pli(a.pli).ok_or("attributaire inconnu")?;
                let offre = pli.est_ouverte(RefEnveloppe {
                    enveloppe: TypeEnveloppe::Offre,
                    lot: *lot,
                });
                if !offre || !pli.recevable() {
                    return Err(format!(
                        "lot {lot} attribué au pli {} sans offre ouverte",
                        a.pli
                    ));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn jamais_incoherent(pas in proptest::collection::vec(pas(), 1..80)) {
        let s = donnees();
        let e = entreprises();
        let code = s.consultation.acces.code_acces.clone().unwrap();
        let martin = Acteur::Agent { id: "a.martin".into() };
        let mut t: DateTime<Utc> = "2026-11-02T09:00:00Z".parse().unwrap();
        let org = &s.organisation;
        let (mut p, mut journal): (Procedure, Vec<EntreeJournal>) = Procedure::nouvelle(
            s.consultation.clone(),
            &Contexte { maintenant: t, acteur: &martin, organisation: org },
        )
        .unwrap();
        // Validated at once: the scenario tests cover Élaboration; here the random part
        // starts online, two weeks before the DLRO.
        journal.extend(p.appliquer(&Action::Valider { cles: vec![] }, &Contexte { maintenant: t, acteur: &martin, organisation: org }).unwrap());
        t = "2026-12-01T09:00:00Z".parse().unwrap();
        let dlro: DateTime<Utc> = "2026-12-15T11:00:00Z".parse().unwrap();
        for x in &pas {
            t += match x.saut {
                0 => Duration::zero(),
                1 => Duration::seconds(1),
                2 => Duration::hours(7),
                // Land right around the DLRO, to the second.
                3 if t < dlro - Duration::seconds(2) => (dlro - Duration::seconds(i64::from(x.b % 3))) - t,
                _ => Duration::days(6),
            };
            let a = action(x, &p, &e, &code, t);
            // Mostly the actor the action calls for, sometimes anyone.
            let qui = if x.acteur < 6 {
                match &a {
                    Action::Deposer { entreprise, .. }
                    | Action::EnregistrerRetrait { entreprise: Some(entreprise), .. } => {
                        Acteur::Entreprise { identifiant: entreprise.identifiant.clone() }
                    }
                    Action::EnregistrerRetrait { entreprise: None, .. } => Acteur::Anonyme,
                    Action::Ouvrir { .. } | Action::RefuserEnveloppe { .. } => acteur(2, &e),
                    Action::AnalyserCandidature { .. } | Action::ClasserOffres { .. } => acteur(1, &e),
                    Action::EnregistrerPliPapier { .. } => acteur(4, &e),
                    _ => acteur(0, &e),
                }
            } else {
                acteur(x.acteur - 6 + (x.b % 2) * 3, &e)
            };
            let avant = p.clone();
            match p.appliquer(&a, &Contexte { maintenant: t, acteur: &qui, organisation: org }) {
                Ok(j) => journal.extend(j),
                Err(err) => {
                    prop_assert_eq!(&p, &avant, "{} refusée ({}) mais état modifié", a.nom(), err);
                }
            }
            if let Err(m) = coherent(&p) {
                prop_assert!(false, "{} après {:?} par {:?} à {}", m, a.nom(), qui, t);
            }
        }
        prop_assert!(verifier_journal(&journal, Some(&p.journal)).is_ok());
    }
}
