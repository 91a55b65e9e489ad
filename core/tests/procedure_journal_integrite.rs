//! The journal's integrity covers the stored bytes: lines in canonical form only, unknown
//! fields refused, an empty journal is not a valid one, and a signed anchor (made here by
//! `openssl cms -sign`, an independent signer) detects truncation and rewriting without the
//! head kept in the state.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};
use mpe::CodeErreur;
use mpe::model::{Consultation, Organisation};
use mpe::procedure::{
    Acteur, Action, AncreJournal, Contexte, EntreeJournal, Procedure, TeteJournal, exporter_jsonl,
    lire_jsonl, verifier_journal, verifier_journal_ancre, verifier_jsonl,
};
use mpe::signature::{OptionsVerification, Signataire, Statut};

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A real journal: creation, validation, and a few later actions.
fn journal() -> (Vec<EntreeJournal>, TeteJournal) {
    let c: Consultation = serde_json::from_str(
        &std::fs::read_to_string(racine().join("examples/data/consultation.json")).unwrap(),
    )
    .unwrap();
    let org: Organisation = serde_json::from_str(
        &std::fs::read_to_string(racine().join("examples/data/organisation.json")).unwrap(),
    )
    .unwrap();
    let alice = Acteur::Agent {
        id: "a.martin".into(),
    };
    let ctx = |t| Contexte {
        maintenant: t,
        acteur: &alice,
        organisation: &org,
    };
    let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let (mut p, mut j) = Procedure::nouvelle(c, &ctx(t0)).unwrap();
    j.extend(
        p.appliquer(&Action::Valider { cles: vec![] }, &ctx(t0))
            .unwrap(),
    );
    // Later time-driven change recorded by the next action (the DLRO has passed).
    let apres = Utc.with_ymd_and_hms(2026, 12, 16, 9, 0, 0).unwrap();
    if let Ok(mut e) = p.appliquer(&Action::Valider { cles: vec![] }, &ctx(apres)) {
        j.append(&mut e);
    }
    assert!(j.len() >= 2);
    (j, p.journal.clone())
}

#[test]
fn jsonl_canonique_seulement() {
    let (j, tete) = journal();
    let texte = exporter_jsonl(&j).unwrap();
    assert_eq!(lire_jsonl(&texte).unwrap(), j);
    verifier_jsonl(&texte, Some(&tete)).unwrap();
    // mpe's own vectors (written by an earlier version) are in canonical form; the suite's
    // file holds two journals one after the other, so only its lines are read.
    let vecteurs = racine().join("tests/vectors/procedure");
    let t = std::fs::read_to_string(vecteurs.join("scenario.journal.jsonl")).unwrap();
    verifier_jsonl(&t, None).unwrap();
    let t = std::fs::read_to_string(vecteurs.join("suite.journal.jsonl")).unwrap();
    assert!(lire_jsonl(&t).unwrap().len() > 2);

    let premiere = texte.lines().next().unwrap();
    let variantes = [
        // An unknown field the hash does not cover.
        premiere.replacen('{', "{\"note\":\"ajout\",", 1),
        // Same content, other spacing.
        premiere.replacen(",", ", ", 1),
        // Same content, fields reordered.
        {
            let v: serde_json::Value = serde_json::from_str(premiere).unwrap();
            let m = v.as_object().unwrap();
            let mut inverse = serde_json::Map::new();
            for (k, x) in m.iter().rev() {
                inverse.insert(k.clone(), x.clone());
            }
            serde_json::to_string(&inverse).unwrap()
        },
        // Windows line ending.
        format!("{premiere}\r"),
    ];
    for (i, v) in variantes.iter().enumerate() {
        let t = texte.replacen(premiere, v, 1);
        let e = lire_jsonl(&t).unwrap_err();
        assert_eq!(e.code(), CodeErreur::JournalCorrompu, "variante {i} : {e}");
    }
    // A blank line in the middle.
    let t = texte.replacen('\n', "\n\n", 1);
    assert_eq!(
        lire_jsonl(&t).unwrap_err().code(),
        CodeErreur::JournalCorrompu
    );
    // Unknown field in the JSON-array form too.
    let mut v: serde_json::Value = serde_json::to_value(&j[0]).unwrap();
    v["autre"] = serde_json::json!(1);
    assert!(serde_json::from_value::<EntreeJournal>(v).is_err());
}

#[test]
fn journal_vide() {
    let e = verifier_journal(&[], None).unwrap_err();
    assert_eq!(e.code(), CodeErreur::JournalCorrompu);
    assert_eq!(
        verifier_jsonl("", None).unwrap_err().code(),
        CodeErreur::JournalCorrompu
    );
    let (_, tete) = journal();
    assert_eq!(
        verifier_journal(&[], Some(&tete)).unwrap_err().code(),
        CodeErreur::JournalCorrompu
    );
    verifier_journal(&[], Some(&TeteJournal::default())).unwrap();
}

/// Sign the anchor bytes with `openssl cms -sign` (detached, DER), as a host would with its
/// seal.
fn signer_openssl(ancre: &[u8], dossier: &Path) -> Vec<u8> {
    let v = racine().join("tests/vectors/signature");
    let a = dossier.join("ancre.json");
    let s = dossier.join("ancre.p7s");
    std::fs::write(&a, ancre).unwrap();
    let st = Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-outform", "DER", "-in"])
        .arg(&a)
        .arg("-signer")
        .arg(v.join("signataire.pem"))
        .arg("-inkey")
        .arg(v.join("signataire.key"))
        .arg("-out")
        .arg(&s)
        .status()
        .expect("openssl est requis");
    assert!(st.success());
    std::fs::read(&s).unwrap()
}

#[test]
fn ancre_signee_detecte_troncature_et_reecriture() {
    let (j, tete) = journal();
    let d = tempfile::tempdir().unwrap();
    // Anchored after the first entry; the journal grew since.
    let mut tete1 = tete.clone();
    tete1.longueur = 1;
    tete1.empreinte = j[0].empreinte.clone();
    let ancre = AncreJournal::depuis_tete(&tete1).octets().unwrap();
    let sig = signer_openssl(&ancre, d.path());
    let opts = OptionsVerification {
        ancres: Signataire::certificats_pem(
            &std::fs::read_to_string(racine().join("tests/vectors/signature/ca.pem")).unwrap(),
        )
        .unwrap(),
        date_verification: Some(Utc.with_ymd_and_hms(2027, 1, 15, 10, 0, 0).unwrap()),
        ..Default::default()
    };
    let r = verifier_journal_ancre(&j, &ancre, &sig, &opts).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:?}");

    // Anchor of the whole journal: truncation by one entry is detected without the head.
    let ancre_tout = AncreJournal::depuis_tete(&tete).octets().unwrap();
    let sig_tout = signer_openssl(&ancre_tout, d.path());
    verifier_journal_ancre(&j, &ancre_tout, &sig_tout, &opts).unwrap();
    let tronque = &j[..j.len() - 1];
    verifier_journal(tronque, None).unwrap(); // the chain alone does not see it
    assert_eq!(
        verifier_journal_ancre(tronque, &ancre_tout, &sig_tout, &opts)
            .unwrap_err()
            .code(),
        CodeErreur::JournalCorrompu
    );

    // Rewritten from the first entry on, re-chained consistently: the chain holds, the
    // anchor does not.
    let mut reecrit = j.clone();
    reecrit[0].horodatage -= chrono::Duration::seconds(1);
    let mut precedent = mpe::procedure::GENESE.to_string();
    for e in reecrit.iter_mut() {
        e.precedent = precedent.clone();
        e.empreinte = e.calculer_empreinte().unwrap();
        precedent = e.empreinte.clone();
    }
    verifier_journal(&reecrit, None).unwrap();
    assert_eq!(
        verifier_journal_ancre(&reecrit, &ancre, &sig, &opts)
            .unwrap_err()
            .code(),
        CodeErreur::JournalCorrompu
    );

    // Anchor bytes changed after signing: the signature no longer matches.
    let faux = AncreJournal::depuis_tete(&tete).octets().unwrap();
    assert_eq!(
        verifier_journal_ancre(&j, &faux, &sig, &opts)
            .unwrap_err()
            .code(),
        CodeErreur::JournalCorrompu
    );
    // Not an anchor.
    assert_eq!(
        verifier_journal_ancre(&j, b"{}", &sig, &opts)
            .unwrap_err()
            .code(),
        CodeErreur::JournalCorrompu
    );
}
