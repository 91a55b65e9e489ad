//! The shared scenario (tests/vectors/procedure/scenario.json) run through the Rust API:
//! every step gives the outcome it expects, and the journal is byte for byte the one the C
//! and Python tests must also produce (scenario.journal.jsonl; regenerate with
//! `MPE_UPDATE_VECTORS=1 cargo test -p mpe --test procedure_scenario`).

mod procedure_commun;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use mpe::messagerie::TypeCourrier;
use mpe::procedure::{
    Contexte, Decision, EntreeJournal, ModeDepot, Phase, Procedure, StatutEnveloppe, chaine,
    exporter_jsonl, verifier_journal, verifier_jsonl,
};
use procedure_commun::Scenario;

fn vecteurs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/procedure")
}

/// Play a scenario file; returns the final state, the states left behind by suites, and
/// every journal entry in the order produced.
fn jouer_fichier(nom: &str) -> (Procedure, Vec<Procedure>, Vec<EntreeJournal>) {
    let s: Scenario =
        serde_json::from_str(&std::fs::read_to_string(vecteurs().join(nom)).unwrap()).unwrap();
    let ctx = |t, a| Contexte {
        maintenant: t,
        acteur: a,
        organisation: &s.organisation,
    };
    let (mut p, mut journal) = Procedure::nouvelle(
        s.consultation.clone(),
        &ctx(s.creation.maintenant, &s.creation.acteur),
    )
    .unwrap();
    let mut amonts = Vec::new();
    for (i, e) in s.etapes.iter().enumerate() {
        // Through JSON each time, as a host storing the state would.
        let mut etat = Procedure::from_json(&p.to_json()).unwrap();
        assert_eq!(etat, p);
        let c = ctx(e.maintenant, &e.acteur);
        let r = match (&e.action, &e.suite) {
            (Some(a), None) => etat.appliquer(a, &c).map(|j| (j, None)),
            (None, Some(params)) => etat
                .creer_suite(params, &c)
                .map(|(suite, ja, js)| (ja.into_iter().chain(js).collect(), Some(suite))),
            _ => panic!("étape {i} : action ou suite"),
        };
        match r {
            Ok((entrees, suite)) => {
                assert_eq!(e.attendu, "OK", "étape {i} ({}) : acceptée", e.note);
                journal.extend(entrees);
                match suite {
                    Some(suite) => {
                        amonts.push(etat);
                        p = suite;
                    }
                    None => p = etat,
                }
            }
            Err(err) => {
                assert_eq!(
                    err.code().name(),
                    e.attendu,
                    "étape {i} ({}) : {err}",
                    e.note
                );
                // Refused: the state is untouched.
                assert_eq!(etat, p, "étape {i} : état modifié par une action refusée");
            }
        }
    }
    (p, amonts, journal)
}

fn jouer() -> (Procedure, Vec<EntreeJournal>) {
    let (p, _, j) = jouer_fichier("scenario.json");
    (p, j)
}

fn comparer_au_vecteur(jsonl: &str, nom: &str) {
    let chemin = vecteurs().join(nom);
    if std::env::var_os("MPE_UPDATE_VECTORS").is_some() {
        std::fs::write(&chemin, jsonl).unwrap();
    }
    let attendu = std::fs::read_to_string(&chemin).unwrap_or_default();
    assert!(
        attendu == jsonl,
        "journal différent de {nom} (MPE_UPDATE_VECTORS=1 pour le régénérer)"
    );
}

#[test]
fn suite_aor_candidatures_puis_offres() {
    let (offres, amonts, journal) = jouer_fichier("suite.json");
    let candidatures = &amonts[0];
    comparer_au_vecteur(&exporter_jsonl(&journal).unwrap(), "suite.journal.jsonl");
    assert_eq!(offres.consultation.identification.reference, "AOR_O_0611");
    assert_eq!(
        offres.amont.as_ref().unwrap().id,
        candidatures.consultation.id
    );
    assert_eq!(candidatures.aval[0].id, offres.consultation.id);
    assert_eq!(offres.entreprises_admises.as_ref().unwrap().len(), 2);
    assert_eq!(
        offres.consultation.modalites.enveloppes,
        vec![mpe::model::TypeEnveloppe::Offre]
    );
    // The chain, from either end.
    let toutes = vec![candidatures.clone(), offres.clone()];
    let ids = |v: Vec<mpe::procedure::Lien>| v.into_iter().map(|l| l.reference).collect::<Vec<_>>();
    assert_eq!(ids(chaine(&offres, &toutes)), ["AOR_C_0611", "AOR_O_0611"]);
    assert_eq!(
        ids(chaine(candidatures, &toutes)),
        ["AOR_C_0611", "AOR_O_0611"]
    );
    // Each consultation has its own valid chain of entries.
    // The amont's entries come first, up to its suite_creee; the suite's follow.
    let k = journal
        .iter()
        .position(|e| {
            matches!(
                e.evenement,
                mpe::procedure::Evenement::CreeeCommeSuite { .. }
            )
        })
        .unwrap();
    let (a, b) = journal.split_at(k);
    verifier_journal(a, Some(&candidatures.journal)).unwrap();
    verifier_journal(b, Some(&offres.journal)).unwrap();
}

#[test]
fn scenario_complet() {
    let (p, journal) = jouer();
    verifier_journal(&journal, Some(&p.journal)).unwrap();
    let jsonl = exporter_jsonl(&journal).unwrap();
    verifier_jsonl(&jsonl, Some(&p.journal)).unwrap();
    comparer_au_vecteur(&jsonl, "scenario.journal.jsonl");

    assert_eq!(p.phase, Phase::Archivee);
    // Registers: 4 electronic (one replaced), 1 paper late.
    let r = p.registres();
    assert_eq!(r.libelle_depots, "4 électroniques + 1 papier");
    assert_eq!((r.retraits_identifies, r.retraits_anonymes), (4, 1));
    assert_eq!((r.questions, r.questions_repondues), (1, 1));
    assert_eq!(r.depots.hors_delai, 1);
    assert_eq!(r.depots.remplaces, 1);
    // The replaced pli and the late one stay closed.
    for n in [2, 5] {
        let pli = p.pli(n).unwrap();
        assert!(
            pli.enveloppes
                .iter()
                .all(|e| e.statut == StatutEnveloppe::Fermee)
        );
    }
    assert_eq!(p.pli(5).unwrap().mode, ModeDepot::Papier);
    assert!(p.pli(5).unwrap().hors_delai);
    // Standstill: lot 1 electronic 11 days, lot 2 by post 16 days, lot 3 a single bidder.
    let fin = |lot| {
        p.decisions[&lot]
            .lettres_rejet
            .as_ref()
            .unwrap()
            .signature_possible_le
    };
    assert_eq!(fin(1), NaiveDate::from_ymd_opt(2026, 12, 29));
    assert_eq!(fin(2), NaiveDate::from_ymd_opt(2027, 1, 3));
    assert_eq!(fin(3), None);
    assert!(matches!(
        p.decisions[&3].decision,
        Decision::Attribution { .. }
    ));
    // The reset is journaled with the decision it undid.
    assert!(
        jsonl.contains(
            r#""type":"decision_reinitialisee","lot":3,"ancienne":{"type":"infructueuse""#
        )
    );
    // The opening took effect at the DLRO, to the second.
    assert!(jsonl.contains(
        r#""type":"phase_changee","de":"consultation","vers":"ouverture_analyse","le":"2026-12-15T11:00:00Z""#
    ));
    // The write-up of the gap between receipt and decrypted files.
    assert!(jsonl.contains("Memoire_lot2_Thermique.pdf"));
    // The receipt names the document each file answers.
    assert!(jsonl.contains(r#""nom":"AE_lot1_Façades.pdf","taille":"#));
    assert!(jsonl.contains(r#""document":"Note méthodologique chaufferie""#));
    // The rejection letter of lot 1: sent, acknowledged once (the second opening added no
    // entry), answered — three journal events and one line of the register.
    assert_eq!(jsonl.matches(r#""type":"courrier""#).count(), 3);
    for e in ["envoye", "ouvert", "repondu"] {
        assert!(jsonl.contains(&format!(
            r#""type":"courrier","courrier":{{"evenement":"{e}""#
        )));
    }
    let c = &r.courriers;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].destinataire, "s.girard@facades-ra.fr");
    assert_eq!(c[0].accuse_le, Some(t("2026-12-18T14:02:00Z")));
    assert_eq!(c[0].repondu_le, Some(t("2026-12-19T08:30:00Z")));
    assert_eq!(c[0].statut_libelle(), "répondu le 19/12/2026 09:30");
    assert_eq!(
        (
            r.compteurs_courriers.envoyes,
            r.compteurs_courriers.accuses,
            r.compteurs_courriers.repondus,
            r.compteurs_courriers.en_attente_accuse
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(r.courriers_par_type.len(), 1);
    assert_eq!(r.courriers_par_type[0].type_courrier, TypeCourrier::Rejet);
    // The state keeps the token's hash, never the token.
    let etat = p.to_json();
    assert!(!etat.contains("Zq3Xv9mT2bK7wR4pL8nY1cH6sD0fG5jA3eU7iO2kQ9t"));
    assert_eq!(Procedure::from_json(&etat).unwrap(), p);
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn journal_altere_detecte() {
    let (p, journal) = jouer();
    let tete = Some(&p.journal);
    // Edited entry.
    let mut j = journal.clone();
    if let mpe::procedure::Evenement::DecisionPrise { lot, .. } = &mut j
        .iter_mut()
        .find(|e| matches!(e.evenement, mpe::procedure::Evenement::DecisionPrise { .. }))
        .unwrap()
        .evenement
    {
        *lot = 2;
    }
    let e = verifier_journal(&j, tete).unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::JournalCorrompu);
    // Removed entry in the middle.
    let mut j = journal.clone();
    j.remove(10);
    let e = verifier_journal(&j, tete).unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::JournalCorrompu);
    assert_eq!(e.path(), Some("entrée 10"));
    // Reordered.
    let mut j = journal.clone();
    j.swap(5, 6);
    assert_eq!(
        verifier_journal(&j, tete).unwrap_err().path(),
        Some("entrée 5")
    );
    // Truncated at the end: only the head kept in the state reveals it.
    let j = &journal[..journal.len() - 1];
    assert!(verifier_journal(j, None).is_ok());
    assert_eq!(
        verifier_journal(j, tete).unwrap_err().code(),
        mpe::CodeErreur::JournalCorrompu
    );
    // Edited text in the JSON Lines export.
    let jsonl = exporter_jsonl(&journal).unwrap();
    let altere = jsonl.replacen("498000", "489000", 1);
    assert_ne!(altere, jsonl);
    assert_eq!(
        verifier_jsonl(&altere, tete).unwrap_err().code(),
        mpe::CodeErreur::JournalCorrompu
    );
    // A line that does not parse.
    let casse = jsonl.replacen("{\"index\":3", "{\"index\":", 1);
    let e = verifier_jsonl(&casse, tete).unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::JournalCorrompu);
    assert_eq!(e.path(), Some("entrée 3"));
}
