//! `mpe consultation modifier`: the shared scenario's consultation, validated with its DCE
//! downloads, modified after publication (a pièce added, the DLRO postponed): the state and
//! the journal follow (the journal checks out against the state), the letter goes to the
//! four companies of the retraits register with the pièce's bytes; an altered pièce refuses
//! the whole with its code and leaves the state, the journal and the letter untouched.

mod commun;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use commun::{code, mpe, ok};
use mpe::model::{Consultation, Organisation};
use mpe::procedure::{Acteur, Action, Contexte, EntreeJournal, Procedure, verifier_journal};
use serde_json::Value;
use sha2::Digest;

const ADDITIF: &[u8] = b"%PDF-1.7 additif n 1";

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The scenario up to its DCE downloads, written as the host stores it: `procedure.json`,
/// `journal.jsonl`, `organisation.json`.
fn publiee(dir: &Path) -> Procedure {
    let s: Value = serde_json::from_str(
        &std::fs::read_to_string(racine().join("tests/vectors/procedure/scenario.json")).unwrap(),
    )
    .unwrap();
    let org: Organisation = serde_json::from_value(s["organisation"].clone()).unwrap();
    let t = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    fn ctx<'a>(
        maintenant: DateTime<Utc>,
        acteur: &'a Acteur,
        org: &'a Organisation,
    ) -> Contexte<'a> {
        Contexte {
            maintenant,
            acteur,
            organisation: org,
        }
    }
    let createur: Acteur = serde_json::from_value(s["creation"]["acteur"].clone()).unwrap();
    let (mut p, mut journal): (Procedure, Vec<EntreeJournal>) = Procedure::nouvelle(
        serde_json::from_value(s["consultation"].clone()).unwrap(),
        &ctx(t(&s["creation"]["maintenant"]), &createur, &org),
    )
    .unwrap();
    for e in s["etapes"].as_array().unwrap() {
        let garde = ["demander_validation", "valider", "enregistrer_retrait"];
        if e["attendu"] != "OK" || !garde.contains(&e["action"]["type"].as_str().unwrap_or("")) {
            continue;
        }
        let a: Action = serde_json::from_value(e["action"].clone()).unwrap();
        let acteur: Acteur = serde_json::from_value(e["acteur"].clone()).unwrap();
        journal.extend(
            p.appliquer(&a, &ctx(t(&e["maintenant"]), &acteur, &org))
                .unwrap(),
        );
    }
    assert_eq!(p.retraits.len(), 5);
    std::fs::write(dir.join("procedure.json"), p.to_json()).unwrap();
    std::fs::write(
        dir.join("journal.jsonl"),
        mpe::procedure::exporter_jsonl(&journal).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("organisation.json"),
        serde_json::to_string(&org).unwrap(),
    )
    .unwrap();
    p
}

fn args(pieces: &str) -> Vec<&str> {
    vec![
        "consultation",
        "modifier",
        "--procedure",
        "procedure.json",
        "--journal",
        "journal.jsonl",
        "--consultation",
        "consultation-v2.json",
        "--motif",
        "Additif n° 1",
        "--pieces",
        pieces,
        "--organisation",
        "organisation.json",
        "--agent",
        "a.martin",
        "--maintenant",
        "2026-11-25T10:00:00Z",
        "--courrier",
        "lettre.json",
    ]
}

#[test]
fn modification_apres_publication_et_sa_lettre() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let p = publiee(dir);
    let mut c: Consultation = p.consultation.clone();
    c.pieces.autres_pieces.push(mpe::model::Piece {
        nom: "Additif_1.pdf".into(),
        taille: ADDITIF.len() as u64,
        sha256: Some(hex::encode(sha2::Sha256::digest(ADDITIF))),
    });
    c.calendrier.dlro = "2026-12-22T12:00:00".parse().unwrap();
    std::fs::write(dir.join("consultation-v2.json"), c.to_json()).unwrap();

    // An altered pièce: refused with its code, nothing written.
    std::fs::create_dir(dir.join("faux")).unwrap();
    std::fs::write(dir.join("faux/Additif_1.pdf"), b"autre").unwrap();
    let (etat_avant, journal_avant) = (
        std::fs::read(dir.join("procedure.json")).unwrap(),
        std::fs::read(dir.join("journal.jsonl")).unwrap(),
    );
    let o = mpe(dir, &args("faux"));
    code(&o, 9);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("PIECE_ALTEREE"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("procedure.json")).unwrap(),
        etat_avant
    );
    assert_eq!(
        std::fs::read(dir.join("journal.jsonl")).unwrap(),
        journal_avant
    );
    assert!(!dir.join("lettre.json").exists());

    // The right pièce: a new DCE version, journalled, and the letter.
    std::fs::create_dir(dir.join("dce-v2")).unwrap();
    std::fs::write(dir.join("dce-v2/Additif_1.pdf"), ADDITIF).unwrap();
    ok(&mpe(dir, &args("dce-v2")));
    let q: Procedure =
        serde_json::from_str(&std::fs::read_to_string(dir.join("procedure.json")).unwrap())
            .unwrap();
    assert_eq!(q.version_dce(), 2);
    assert_eq!(q.dlro, Some("2026-12-22T11:00:00Z".parse().unwrap()));
    let journal =
        mpe::procedure::lire_jsonl(&std::fs::read_to_string(dir.join("journal.jsonl")).unwrap())
            .unwrap();
    verifier_journal(&journal, Some(&q.journal)).unwrap();
    let lettre: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("lettre.json")).unwrap()).unwrap();
    let mut emails: Vec<&str> = lettre["destinataires"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["email"].as_str().unwrap())
        .collect();
    emails.sort();
    let mut attendus: Vec<String> = q
        .retraits
        .iter()
        .filter_map(|r| r.entreprise.as_ref().map(|e| e.contact.email.clone()))
        .collect();
    attendus.sort();
    assert_eq!(attendus.len(), 4);
    assert_eq!(emails, attendus);
    assert_eq!(lettre["modifications_dce"][0]["nature"], "ajout_piece");
    assert_eq!(
        lettre["modifications_dce"][0]["piece"]["nom"],
        "Additif_1.pdf"
    );

    // Run again on the new state: nothing left to change.
    let o = mpe(dir, &args("dce-v2"));
    code(&o, 6);
    assert!(String::from_utf8_lossy(&o.stderr).contains("AUCUNE_MODIFICATION"));
}
