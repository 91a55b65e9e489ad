//! Every trusted list of the shared corpus (`tsl` entries of `../shared/corpus/expectations.json`)
//! gets the verdict its source asserts, and reads with the facts the corpus records (version,
//! sequence, territory, dates, pointers, providers, services, signatures). The corpus is read
//! in place; a missing corpus is a failure, never a skip.
//!
//! `MPE_CORPUS` points to another corpus folder; `MPE_CORPUS_FILTRE` keeps the entries whose
//! path contains that text.

use std::path::Path;

use chrono::{DateTime, Utc};
use mpe::confiance::{self, OptionsListe, RapportListe};
use mpe::signature::{self, SousIndication, Statut};
use serde_json::Value;
use x509_cert::Certificate;

mod corpus_commun;
use corpus_commun::corpus;

fn certificats(dir: &Path, v: Option<&Value>) -> Vec<Certificate> {
    let mut out = vec![];
    for p in v.and_then(Value::as_array).into_iter().flatten() {
        let p = p.as_str().unwrap();
        let bytes = std::fs::read(dir.join(p)).unwrap();
        out.extend(signature::certificats(&bytes).unwrap_or_else(|e| panic!("{p} : {e}")));
    }
    out
}

fn date(v: &Value) -> DateTime<Utc> {
    v["validation_time"].as_str().map_or_else(Utc::now, |t| {
        DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc)
    })
}

/// What mpe answered, in the corpus's terms.
#[derive(Debug, Clone, PartialEq)]
enum Issue {
    Valide,
    /// Intact and cryptographically valid; only the announced signer is missing.
    IndetermineAncre,
    Indetermine(String),
    Invalide(String),
    Erreur(String),
    Panique,
}

fn issue(r: &mpe::Result<RapportListe>) -> Issue {
    let r = match r {
        Err(e) => return Issue::Erreur(format!("{} {}", e.code().name(), e.message())),
        Ok(r) => r,
    };
    let raison = format!(
        "{} {}",
        r.code.map(|c| c.name()).unwrap_or("-"),
        r.raison.clone().unwrap_or_default()
    );
    match r.statut {
        Statut::Valide => Issue::Valide,
        Statut::Invalide => Issue::Invalide(raison),
        Statut::Indetermine
            if r.integrite
                && r.signature_valide
                && r.sous_indication == Some(SousIndication::NoCertificateChainFound) =>
        {
            Issue::IndetermineAncre
        }
        Statut::Indetermine => Issue::Indetermine(raison),
    }
}

fn conforme(attendu: &str, i: &Issue) -> bool {
    match (attendu, i) {
        (_, Issue::Panique) => false,
        ("valid", x) => *x == Issue::Valide,
        ("indeterminate-without-anchor", x) => *x == Issue::IndetermineAncre,
        ("invalid", x) => !matches!(x, Issue::Valide | Issue::IndetermineAncre),
        ("must-fail", x) => matches!(x, Issue::Erreur(_) | Issue::Invalide(_)),
        ("unstated", _) => true,
        _ => false,
    }
}

/// The facts the corpus read from the XML, against what mpe reads (even for lists whose
/// signature fails: the report shows what they say).
fn faits(dir: &Path, e: &Value) -> Vec<String> {
    let t = &e["tsl"];
    let octets = std::fs::read(dir.join(e["path"].as_str().unwrap())).unwrap();
    let l = confiance::lire_liste(&octets);
    if t["well_formed"] == false {
        return match l {
            Ok(_) => vec!["XML mal formé lu sans erreur".into()],
            Err(_) => vec![],
        };
    }
    let l = match l {
        Ok(l) => l,
        Err(err) => return vec![format!("illisible : {err}")],
    };
    let mut ecarts = vec![];
    let mut compare = |nom: &str, attendu: &Value, lu: Value| {
        if !attendu.is_null() && *attendu != lu {
            ecarts.push(format!("{nom} : attendu {attendu}, lu {lu}"));
        }
    };
    compare(
        "version",
        &t["version"],
        Value::from(l.version.map(|v| v.to_string())),
    );
    compare(
        "sequence_number",
        &t["sequence_number"],
        Value::from(l.numero_sequence.map(|v| v.to_string())),
    );
    compare(
        "territory",
        &t["territory"],
        Value::from(l.territoire.clone()),
    );
    compare(
        "tsl_type",
        &t["tsl_type"],
        Value::from(
            l.type_liste
                .as_deref()
                .and_then(|u| u.rsplit('/').next())
                .map(str::to_string),
        ),
    );
    let meme_date =
        |nom: &str, attendu: &Value, lu: Option<DateTime<Utc>>, ecarts: &mut Vec<String>| {
            if let Some(a) = attendu.as_str() {
                let a = DateTime::parse_from_rfc3339(a).unwrap().with_timezone(&Utc);
                if Some(a) != lu {
                    ecarts.push(format!("{nom} : attendu {a}, lu {lu:?}"));
                }
            }
        };
    meme_date("issue_date", &t["issue_date"], l.date_emission, &mut ecarts);
    meme_date(
        "next_update",
        &t["next_update"],
        l.prochaine_mise_a_jour,
        &mut ecarts,
    );
    let mut compte = |nom: &str, lu: usize| {
        if let Some(a) = t[nom].as_u64()
            && a != lu as u64
        {
            ecarts.push(format!("{nom} : attendu {a}, lu {lu}"));
        }
    };
    compte("pointers", l.pointeurs.len());
    compte("tsp_count", l.prestataires.len());
    compte("service_count", l.nombre_services());
    compte("signatures", l.signatures);
    ecarts
}

#[test]
fn corpus_tsl() {
    let dir = corpus();
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expectations.json")).unwrap()).unwrap();
    let filtre = std::env::var("MPE_CORPUS_FILTRE").unwrap_or_default();
    let mut faux = vec![];
    let mut lignes = vec![];
    let mut n = 0;
    for e in exp["entries"].as_array().unwrap() {
        if e["kind"] != "tsl" {
            continue;
        }
        let path = e["path"].as_str().unwrap();
        if !filtre.is_empty() && !path.contains(&filtre) {
            continue;
        }
        let mut variantes = vec![(e.clone(), String::new())];
        for (k, x) in e["extra_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut v = e.clone();
            for (cle, val) in x.as_object().unwrap() {
                v[cle] = val.clone();
            }
            variantes.push((v, format!(" [contrôle {}]", k + 1)));
        }
        let octets = std::fs::read(dir.join(path)).unwrap();
        for (v, suffixe) in variantes {
            n += 1;
            let opts = OptionsListe::new(certificats(&dir, v.get("trust_anchors")), date(&v));
            let r = std::panic::catch_unwind(|| confiance::verifier_liste(&octets, &opts));
            let i = r.as_ref().map_or(Issue::Panique, issue);
            let attendu = v["expected"].as_str().unwrap();
            let ok = conforme(attendu, &i);
            lignes.push(format!(
                "{} {:<30} {:?} {path}{suffixe}",
                if ok { "ok  " } else { "FAUX" },
                attendu,
                i
            ));
            if !ok {
                faux.push(format!("{path}{suffixe}"));
            }
        }
        let ecarts = faits(&dir, e);
        if !ecarts.is_empty() {
            lignes.push(format!("FAUX faits {path} : {}", ecarts.join(" ; ")));
            faux.push(format!("{path} (faits)"));
        }
    }
    lignes.sort();
    for l in &lignes {
        println!("{l}");
    }
    println!(
        "corpus listes de confiance : {} conformes, {} faux sur {n} vérifications (+ faits)",
        n - faux.iter().filter(|f| !f.ends_with("(faits)")).count(),
        faux.len()
    );
    assert!(n > 0, "aucune liste de confiance retenue");
    // Files mpe still judges wrongly, each with why: the test fails on any other one, and
    // when one of these becomes right (then remove it).
    let connus: Vec<&str> = FAUX_CONNUS.iter().map(|(p, _)| *p).collect();
    let nouveaux: Vec<&String> = faux
        .iter()
        .filter(|f| !connus.contains(&f.as_str()))
        .collect();
    let corriges: Vec<&&str> = connus
        .iter()
        .filter(|c| filtre.is_empty() && !faux.iter().any(|f| f == *c))
        .collect();
    assert!(nouveaux.is_empty(), "verdicts faux : {nouveaux:#?}");
    assert!(
        corriges.is_empty(),
        "devenus justes, à retirer de FAUX_CONNUS : {corriges:#?}"
    );
}

/// Lists mpe still judges wrongly, with what is known of why.
const FAUX_CONNUS: &[(&str, &str)] = &[];

fn lire(chemin: &str) -> mpe::confiance::ListeConfiance {
    let octets = std::fs::read(corpus().join(chemin)).unwrap();
    confiance::lire_liste(&octets).unwrap()
}

/// What the DSS tests assert about the structure of some lists (`dss_asserts`).
#[test]
fn faits_affirmes_par_dss() {
    // LOTLParsingTaskTest: 31 XML TL pointers and 1 LOTL pointer.
    let lotl = lire("tsl/dss/eu-lotl.xml");
    let xml = |p: &&mpe::confiance::PointeurListe| {
        p.type_mime.as_deref() == Some("application/vnd.etsi.tsl+xml")
    };
    let tl = lotl
        .pointeurs
        .iter()
        .filter(xml)
        .filter(|p| {
            p.type_liste
                .as_deref()
                .is_some_and(|t| t.ends_with("EUgeneric"))
        })
        .count();
    assert_eq!(tl, 31);
    let lotls: Vec<_> = lotl
        .pointeurs
        .iter()
        .filter(xml)
        .filter(|p| {
            p.type_liste
                .as_deref()
                .is_some_and(|t| t.ends_with("EUlistofthelists"))
        })
        .collect();
    assert_eq!(lotls.len(), 1);
    assert_eq!(lotls[0].certificats.len(), 8);
    assert_eq!(
        lotls[0].emplacement,
        "https://ec.europa.eu/tools/lotl/eu-lotl.xml"
    );
    // TLParsingTaskTest.qualifierExtractionTest.
    let fr = lire("tsl/dss/fr.xml");
    assert_eq!(fr.prestataires.len(), 24);
    let docusign = fr
        .prestataires
        .iter()
        .find(|p| p.nom == "Docusign France")
        .unwrap();
    assert_eq!(docusign.services.len(), 9);
    let mut plus = fr
        .prestataires
        .iter()
        .flat_map(|p| p.services.iter())
        .map(|s| {
            let mut q: Vec<String> = s
                .actuel
                .qualifications
                .iter()
                .flat_map(|q| q.qualificatifs.iter())
                .map(|u| u.rsplit('/').next().unwrap().to_string())
                .collect();
            q.sort();
            q.dedup();
            q
        })
        .max_by_key(Vec::len)
        .unwrap();
    plus.sort();
    assert_eq!(plus, ["QCForESeal", "QCForESig", "QCNoQSCD", "QCWithQSCD"]);
    assert_eq!(
        fr.prestataires[0].nom,
        "Agence Nationale des Titres Sécurisés"
    );
    // TLParsingTaskTest.testIEDefault and testSKDefault.
    let ie = lire("tsl/dss/ie-tl.xml");
    let n: Vec<usize> = ie.prestataires.iter().map(|p| p.services.len()).collect();
    assert_eq!(n, [1, 1, 2]);
    assert!(ie.points_distribution.is_empty());
    let sk = lire("tsl/dss/sk-tl.xml");
    let n: Vec<usize> = sk
        .prestataires
        .iter()
        .take(3)
        .map(|p| p.services.len())
        .collect();
    assert_eq!(n, [27, 56, 8]);
    assert!(!sk.points_distribution.is_empty());
    // A service without ServiceInformation carries nothing: 18 of 19 have a type.
    let fi = lire("tsl/dss/fi-v6-no-service-information.xml");
    let types = fi.prestataires[0]
        .services
        .iter()
        .filter(|s| s.actuel.type_service.is_some())
        .count();
    assert_eq!(types, 18);
}

/// TLParsingTaskTest.dss1911: at 2019-08-01 the only service of the minimal SK list has two
/// Qualifications, and the DSS-1911 certificate meets the criteria of both.
#[test]
fn criteres_dss_1911() {
    let l = lire("tsl/dss/tsl-sk-minimal-dss-1911.xml");
    assert_eq!(l.prestataires.len(), 1);
    let s = &l.prestataires[0].services[0];
    let date = DateTime::parse_from_rfc3339("2019-08-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let etat = s.etat_a(date).unwrap();
    assert_eq!(etat.qualifications.len(), 2);
    let cert = signature::certificat(
        &std::fs::read(corpus().join("tsl/anchors/sk-dss1911-subject.pem")).unwrap(),
    )
    .unwrap();
    for q in &etat.qualifications {
        assert_eq!(
            confiance::satisfait(&q.criteres, &cert),
            Some(true),
            "{q:?}"
        );
    }
    // The list's signature fails (a hand-made excerpt): it is not used for qualification.
    let opts = OptionsListe::new(
        certificats(
            &corpus(),
            Some(&serde_json::json!(["tsl/anchors/announced/eu-lotl-SK.pem"])),
        ),
        date,
    );
    let octets = std::fs::read(corpus().join("tsl/dss/tsl-sk-minimal-dss-1911.xml")).unwrap();
    let r = confiance::verifier_liste(&octets, &opts).unwrap();
    assert!(!r.utilisable);
}
