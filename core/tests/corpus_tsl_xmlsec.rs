//! xmlsec1 and mpe agree on the signature of every trusted list of the shared corpus: for
//! each list with announced certificates, xmlsec1 verifies it with the key of one of them
//! (`--pubkey-cert-pem`: direct trust, as ETSI TS 119 612 asks, no chain), and mpe's
//! verdict on the same question (references intact, signature value valid, signer
//! announced) must be the same. Lists mpe refuses before any signature check (unreadable,
//! not signed once) must fail in xmlsec1 too. A missing xmlsec1 is a failure.

use std::path::Path;
use std::process::Command;

use mpe::confiance::{self, OptionsListe};
use serde_json::Value;

mod corpus_commun;
use corpus_commun::corpus;

/// xmlsec1 verifies `liste` with the public key of `cert_pem` (one certificate).
fn xmlsec1(liste: &Path, cert_pem: &Path) -> bool {
    let o = Command::new("xmlsec1")
        .args([
            "--verify",
            "--pubkey-cert-pem",
            cert_pem.to_str().unwrap(),
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            // Some lists reference their root by its Id rather than with URI="".
            "--id-attr:Id",
            "http://uri.etsi.org/02231/v2#:TrustServiceStatusList",
            liste.to_str().unwrap(),
        ])
        .output()
        .expect("xmlsec1 introuvable");
    o.status.success()
}

#[test]
fn xmlsec1_et_mpe_d_accord_sur_les_listes_du_corpus() {
    let dir = corpus();
    let t = tempfile::tempdir().unwrap();
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expectations.json")).unwrap()).unwrap();
    let (mut n, mut valides) = (0, 0);
    let mut desaccords = vec![];
    for e in exp["entries"].as_array().unwrap() {
        if e["kind"] != "tsl" {
            continue;
        }
        let ancres: Vec<&str> = e["trust_anchors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if ancres.is_empty() {
            continue;
        }
        let path = e["path"].as_str().unwrap();
        let liste = dir.join(path);
        // One PEM file per certificate: xmlsec1 takes one key per option.
        let mut certs = vec![];
        for a in &ancres {
            for c in mpe::signature::certificats(&std::fs::read(dir.join(a)).unwrap()).unwrap() {
                use der::EncodePem;
                let f = t.path().join(format!("c{}.pem", certs.len()));
                std::fs::write(&f, c.to_pem(der::pem::LineEnding::LF).unwrap()).unwrap();
                certs.push(c);
            }
        }
        let xmlsec = (0..certs.len()).any(|i| xmlsec1(&liste, &t.path().join(format!("c{i}.pem"))));
        let date = e["validation_time"]
            .as_str()
            .map_or_else(chrono::Utc::now, |d| d.parse().unwrap());
        let r = confiance::verifier_liste(
            &std::fs::read(&liste).unwrap(),
            &OptionsListe::new(certs, date),
        );
        let mpe = r
            .as_ref()
            .is_ok_and(|r| r.integrite && r.signature_valide && r.signataire_annonce);
        n += 1;
        valides += usize::from(mpe);
        println!(
            "{} xmlsec1 {xmlsec:<5} mpe {mpe:<5} {path}",
            if xmlsec == mpe { "ok  " } else { "FAUX" }
        );
        if xmlsec != mpe {
            desaccords.push(path.to_string());
        }
    }
    println!("{n} listes, {valides} signatures valides selon les deux");
    assert!(n >= 40 && valides >= 25, "{n} listes, {valides} valides");
    assert!(
        desaccords.is_empty(),
        "xmlsec1 et mpe en désaccord : {desaccords:#?}"
    );
}
