//! The pivot LOTL chain (ETSI TS 119 612 v2.2.1 6.2; EU DSS `LOTLWithPivotsAnalysis`) on the
//! shared corpus: what DSS's `TLValidationJobTest` and `LOTLLocationRenewalTest` assert
//! (`dss_asserts` of the `tsl` entries of `expectations.json`), and, for every LOTL of the
//! corpus that lists pivots, the chain from the Official Journal's keys when every pivot it
//! lists is in the corpus. The corpus is read in place; a missing corpus is a failure.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mpe::CodeErreur;
use mpe::confiance::{self, CacheListes, Confiance};
use mpe::signature::{self, SousIndication, Statut};
use serde_json::Value;
use x509_cert::Certificate;

mod corpus_commun;
use corpus_commun::corpus;

fn lire(chemin: &str) -> Vec<u8> {
    std::fs::read(corpus().join(chemin)).unwrap_or_else(|e| panic!("{chemin} : {e}"))
}

fn certificats(chemins: &[&str]) -> Vec<Certificate> {
    chemins
        .iter()
        .flat_map(|p| signature::certificats(&lire(p)).unwrap())
        .collect()
}

fn date(t: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t).unwrap().to_utc()
}

const DSS: &str = "tsl/dss/lotlCache/";
const MP: &str = "https://ec.europa.eu/information_society/policy/esignature/trusted-list/";

/// Load `lotl` with the pivots given as (address, corpus path).
fn charger(lotl: &str, oj: &[&str], pivots: &[(&str, &str)], quand: &str) -> Confiance {
    let octets: Vec<(String, Vec<u8>)> = pivots
        .iter()
        .map(|(a, p)| (a.to_string(), lire(p)))
        .collect();
    let refs: Vec<(&str, &[u8])> = octets
        .iter()
        .map(|(a, o)| (a.as_str(), o.as_slice()))
        .collect();
    confiance::charger_avec_pivots(
        &lire(lotl),
        &certificats(oj),
        &refs,
        &[],
        date(quand),
        &mut CacheListes::new(),
    )
}

fn statut_lotl(c: &Confiance) -> (Option<Statut>, Option<SousIndication>) {
    let r = c.lotl.as_ref().unwrap().rapport.as_ref();
    (r.map(|r| r.statut), r.and_then(|r| r.sous_indication))
}

fn retenus(c: &Confiance) -> Vec<bool> {
    c.pivots.iter().map(|p| p.retenu).collect()
}

/// The pivots of the 172-247 chain, as the LOTL 247 lists them.
fn chaine_247(p191: Option<&'static str>) -> Vec<(String, String)> {
    let mut v = vec![
        (
            format!("{MP}tl-pivot-247-mp.xml"),
            format!("{DSS}tl_pivot_247_mp.xml"),
        ),
        (
            format!("{MP}tl-pivot-226-mp.xml"),
            format!("{DSS}tl_pivot_226_mp.xml"),
        ),
        (
            format!("{MP}tl-pivot-172-mp.xml"),
            format!("{DSS}tl_pivot_172_mp.xml"),
        ),
    ];
    if let Some(p) = p191 {
        v.push((format!("{MP}tl-pivot-191-mp.xml"), format!("{DSS}{p}")));
    }
    v
}

fn charger_247(lotl: &str, p191: Option<&'static str>) -> Confiance {
    let v = chaine_247(p191);
    let refs: Vec<(&str, &str)> = v.iter().map(|(a, p)| (a.as_str(), p.as_str())).collect();
    charger(
        &format!("{DSS}{lotl}"),
        &["tsl/anchors/pivot-signer-pierre-damas.pem"],
        &refs,
        "2019-08-13T06:00:00Z",
    )
}

/// TLValidationJobTest.intermediatePivotBrokenSigTest: pivot 191 TOTAL_FAILED, pivot 172
/// still passes, the LOTL INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND (226 is signed by a key
/// only 191 announced, so nothing after 172 can be trusted).
#[test]
fn pivot_intermediaire_signature_cassee() {
    let c = charger_247(
        "tl_pivot_247_mp.xml",
        Some("tl_pivot_191_mp_broken-sig.xml"),
    );
    let adresses: Vec<&str> = c.pivots.iter().map(|p| p.adresse.as_str()).collect();
    assert_eq!(
        adresses,
        [
            format!("{MP}tl-pivot-172-mp.xml"),
            format!("{MP}tl-pivot-191-mp.xml"),
            format!("{MP}tl-pivot-226-mp.xml"),
            format!("{MP}tl-pivot-247-mp.xml"),
        ],
        "oldest first"
    );
    assert_eq!(retenus(&c), [true, false, false, false]);
    let p191 = c.pivots[1]
        .chargement
        .as_ref()
        .unwrap()
        .rapport
        .as_ref()
        .unwrap();
    assert_eq!(p191.statut, Statut::Invalide);
    assert_eq!(p191.sous_indication, Some(SousIndication::HashFailure));
    assert_eq!(
        c.pivots[1].erreur.as_ref().unwrap().code(),
        CodeErreur::ListeConfiancePivotInutilisable
    );
    assert_eq!(
        statut_lotl(&c),
        (
            Some(Statut::Indetermine),
            Some(SousIndication::NoCertificateChainFound)
        )
    );
    assert!(c.listes.is_empty() && !c.lotl.as_ref().unwrap().utilisee());
}

/// TLValidationJobTest.intermediatePivotNotParsableTest, and a pivot the host could not
/// fetch: the same outcome, with the reason.
#[test]
fn pivot_intermediaire_illisible_ou_absent() {
    let c = charger_247(
        "tl_pivot_247_mp.xml",
        Some("tl_pivot_191_mp_not-parsable.xml"),
    );
    assert_eq!(retenus(&c), [true, false, false, false]);
    let e = c.pivots[1].chargement.as_ref().unwrap();
    assert_eq!(
        e.erreur.as_ref().unwrap().code(),
        CodeErreur::ListeConfianceMalformee
    );
    assert_eq!(
        statut_lotl(&c),
        (
            Some(Statut::Indetermine),
            Some(SousIndication::NoCertificateChainFound)
        )
    );
    let c = charger_247("tl_pivot_247_mp.xml", None);
    assert!(c.pivots[1].chargement.is_none());
    assert_eq!(
        c.pivots[1].erreur.as_ref().unwrap().code(),
        CodeErreur::ListeConfiancePivotAbsent
    );
    assert_eq!(statut_lotl(&c).0, Some(Statut::Indetermine));
}

/// TLValidationJobTest.missingPivotTest (a pivot address that cannot be fetched, in a LOTL
/// edited after signing: TOTAL_FAILED / HASH_FAILURE) and pivotNoSigTest (no signature: not
/// usable, the 4 pivots still reported).
#[test]
fn lotl_pivot_manquant_ou_sans_signature() {
    let c = charger_247(
        "tl_pivot_247_mp_missing-pivot.xml",
        Some("tl_pivot_191_mp_broken-sig.xml"),
    );
    assert_eq!(c.pivots.len(), 4);
    assert_eq!(
        c.pivots[2].adresse,
        format!("{MP}tl-pivot-227-mp.xml"),
        "the address the LOTL gives"
    );
    assert_eq!(
        c.pivots[2].erreur.as_ref().unwrap().code(),
        CodeErreur::ListeConfiancePivotAbsent
    );
    assert_eq!(
        statut_lotl(&c),
        (Some(Statut::Invalide), Some(SousIndication::HashFailure))
    );
    let c = charger_247(
        "tl_pivot_247_mp_no-sig.xml",
        Some("tl_pivot_191_mp_broken-sig.xml"),
    );
    assert_eq!(c.pivots.len(), 4);
    let l = c.lotl.as_ref().unwrap();
    assert_eq!(
        l.erreur.as_ref().unwrap().code(),
        CodeErreur::ListeConfianceNonSignee
    );
    assert!(!l.utilisee());
}

const OJ1: &str = "tsl/anchors/oj1-keystore-certs.pem";
const OJ2: &str = "tsl/anchors/oj2-keystore-certs.pem";
const PIV: &str = "http://18.202.217.18/res/pivot/";
const QUAND_OJ: &str = "2023-11-24T07:00:44Z";

fn pivot_oj(n: &str) -> (String, String) {
    (format!("{PIV}{n}"), format!("tsl/dss/pivots/{n}"))
}

/// LOTLLocationRenewalTest, with the files of the corpus: LOTL and every pivot TOTAL_PASSED.
#[test]
fn renouvellement_journal_officiel() {
    // No pivot: the Official Journal's keys sign the LOTL.
    let c = charger("tsl/dss/pivots/lotl_test_loc_01.xml", &[OJ1], &[], QUAND_OJ);
    assert!(c.pivots.is_empty());
    assert_eq!(statut_lotl(&c).0, Some(Statut::Valide));
    // The first pivot (itself): signed by the OJ 1 keys, it announces its own signer.
    let (a, p) = pivot_oj("lotl_test_OJ_1_pivot_01.xml");
    let c = charger(&p, &[OJ1], &[(&a, &p)], QUAND_OJ);
    assert_eq!(retenus(&c), [true]);
    assert_eq!(statut_lotl(&c).0, Some(Statut::Valide));
    // The OJ 2 keys: pivot 01 does not verify with them (skipped, as DSS does), pivot 03
    // does, and announces its own signer.
    let v = [
        pivot_oj("lotl_test_OJ_1_pivot_01.xml"),
        pivot_oj("lotl_test_OJ_1_pivot_03.xml"),
    ];
    let refs: Vec<(&str, &str)> = v.iter().map(|(a, p)| (a.as_str(), p.as_str())).collect();
    let c = charger(&v[1].1, &[OJ2], &refs, QUAND_OJ);
    assert_eq!(retenus(&c), [false, false, true]);
    assert_eq!(
        c.pivots[1].erreur.as_ref().unwrap().code(),
        CodeErreur::ListeConfiancePivotAbsent
    );
    assert_eq!(
        c.pivots[0]
            .chargement
            .as_ref()
            .unwrap()
            .rapport
            .as_ref()
            .unwrap()
            .code,
        Some(CodeErreur::ListeConfianceSignataireNonAnnonce)
    );
    assert_eq!(statut_lotl(&c).0, Some(Statut::Valide));
    // Without the pivot itself, the OJ 1 keys do not reach the LOTL's signer (LOTL signer 4).
    let c = charger(&v[1].1, &[OJ1], &refs[..1], QUAND_OJ);
    assert_eq!(
        statut_lotl(&c),
        (
            Some(Statut::Indetermine),
            Some(SousIndication::NoCertificateChainFound)
        )
    );
}

/// Trust never passes without a signature by keys already trusted: pivots given under
/// other addresses, or the wrong Official Journal keys, leave the LOTL INDETERMINATE.
#[test]
fn chaine_sans_raccourci() {
    // 226's bytes given as pivot 172: 226 is not signed by the OJ keys.
    let v = [
        (
            format!("{MP}tl-pivot-172-mp.xml"),
            format!("{DSS}tl_pivot_226_mp.xml"),
        ),
        (
            format!("{MP}tl-pivot-226-mp.xml"),
            format!("{DSS}tl_pivot_172_mp.xml"),
        ),
    ];
    let refs: Vec<(&str, &str)> = v.iter().map(|(a, p)| (a.as_str(), p.as_str())).collect();
    let c = charger(
        &format!("{DSS}tl_pivot_247_mp.xml"),
        &["tsl/anchors/pivot-signer-pierre-damas.pem"],
        &refs,
        "2019-08-13T06:00:00Z",
    );
    assert_eq!(statut_lotl(&c).0, Some(Statut::Indetermine));
    // Every pivot, but not the OJ keys.
    let v = chaine_247(Some("tl_pivot_191_mp_broken-sig.xml"));
    let refs: Vec<(&str, &str)> = v.iter().map(|(a, p)| (a.as_str(), p.as_str())).collect();
    let c = charger(
        &format!("{DSS}tl_pivot_247_mp.xml"),
        &["tsl/anchors/wrong-signer-ac-raiz-dgp.pem"],
        &refs,
        "2019-08-13T06:00:00Z",
    );
    assert_eq!(retenus(&c), [false, false, false, false]);
    assert_eq!(statut_lotl(&c).0, Some(Statut::Indetermine));
    // A LOTL that lists no pivot ignores the pivots given.
    let c = charger(
        "tsl/dss/eu-lotl.xml",
        &["tsl/anchors/lotl-signer-patrick-kremer.pem"],
        &refs,
        "2019-09-04T08:00:00Z",
    );
    assert!(c.pivots.is_empty());
    assert_eq!(statut_lotl(&c).0, Some(Statut::Valide));
}

/// Last path segment, lower case, `-` as `_`: how a pivot address names its corpus file
/// (`tl-pivot-172-mp.xml` is `tl_pivot_172_mp.xml`).
fn nom(chemin: &str) -> String {
    chemin
        .rsplit('/')
        .next()
        .unwrap_or(chemin)
        .to_lowercase()
        .replace('-', "_")
}

/// Every LOTL of the corpus that lists pivots and is expected valid: when every pivot it
/// lists is in the corpus, the chain from the Official Journal's keys (the announcer of its
/// oldest pivot, when that pivot lists no older one) takes up every pivot and the LOTL is
/// VALIDE. Otherwise (a pivot not in the corpus) the chain is walked and never says
/// INVALIDE of a list the corpus expects valid.
#[test]
fn chaines_du_corpus() {
    let dir = corpus();
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expectations.json")).unwrap()).unwrap();
    let entrees: Vec<&Value> = exp["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "tsl")
        .collect();
    let par_nom: HashMap<String, &Value> = entrees
        .iter()
        .map(|e| (nom(e["path"].as_str().unwrap()), *e))
        .collect();
    let ancres = |e: &Value| -> Vec<Certificate> {
        e["trust_anchors"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| {
                signature::certificats(&std::fs::read(dir.join(p.as_str().unwrap())).unwrap())
                    .unwrap()
            })
            .collect()
    };
    let (mut completes, mut partielles) = (0, 0);
    for e in &entrees {
        let path = e["path"].as_str().unwrap();
        let octets = std::fs::read(dir.join(path)).unwrap();
        let Ok(l) = confiance::lire_liste(&octets) else {
            continue;
        };
        if l.pivots.is_empty() || e["expected"] != "valid" {
            continue;
        }
        let quand = date(e["validation_time"].as_str().unwrap());
        let trouves: Vec<Option<&&Value>> = l.pivots.iter().map(|u| par_nom.get(&nom(u))).collect();
        let pivots: Vec<(String, Vec<u8>)> = l
            .pivots
            .iter()
            .zip(&trouves)
            .filter_map(|(u, t)| {
                t.map(|t| {
                    let p = t["path"].as_str().unwrap();
                    (u.clone(), std::fs::read(dir.join(p)).unwrap())
                })
            })
            .collect();
        let refs: Vec<(&str, &[u8])> = pivots
            .iter()
            .map(|(a, o)| (a.as_str(), o.as_slice()))
            .collect();
        let plus_ancien = trouves.last().copied().flatten().filter(|t| {
            let o = std::fs::read(dir.join(t["path"].as_str().unwrap())).unwrap();
            confiance::lire_liste(&o).is_ok_and(|p| p.pivots.len() <= 1) && t["expected"] == "valid"
        });
        let complete = trouves
            .iter()
            .all(|t| t.is_some_and(|t| t["expected"] == "valid"));
        let oj = plus_ancien.map_or_else(|| ancres(e), |t| ancres(t));
        let c = confiance::charger_avec_pivots(
            &octets,
            &oj,
            &refs,
            &[],
            quand,
            &mut CacheListes::new(),
        );
        let (statut, _) = statut_lotl(&c);
        println!("{path} : {statut:?}, pivots retenus {:?}", retenus(&c));
        assert_ne!(statut, Some(Statut::Invalide), "{path}");
        if complete && plus_ancien.is_some() {
            completes += 1;
            assert_eq!(statut, Some(Statut::Valide), "{path}");
            assert!(c.pivots.iter().all(|p| p.retenu), "{path} : {:?}", c.pivots);
        } else {
            partielles += 1;
        }
    }
    println!("chaînes de pivots : {completes} complètes, {partielles} partielles");
    assert!(completes + partielles > 0);
}
