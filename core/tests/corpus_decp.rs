//! Every DECP file of the shared corpus (`../shared/corpus/expectations.json`, kind `decp`):
//! every record accounted for (read = records in the file, imported + rejected = read),
//! every known defect repaired, reported or rejected — never kept silently —, no distinct
//! contracts merged (each merge shows the fields that were equal, each record kept apart
//! the fields that differ), every report line citing its file and record, and the OCDS
//! release matching the source converter's golden output where one is given.
//!
//! The corpus is read in place (its licences differ from ours); a missing corpus is a
//! failure, never a skip. `MPE_CORPUS` points to another corpus folder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use mpe::donnees::*;
use serde_json::Value;

mod corpus_commun;
use corpus_commun::corpus;

fn jour() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// A date written with a time-zone suffix (`2018-10-02+02:00`, `…Z`), as the corpus counts
/// them.
fn date_a_fuseau(detail: &str) -> bool {
    let Some(debut) = detail.find("date « ") else {
        return false;
    };
    let v = &detail[debut + "date « ".len()..];
    let v = v.split(" »").next().unwrap_or("");
    v.len() > 10 && (v.ends_with('Z') || v.get(v.len() - 3..v.len() - 2) == Some(":"))
}

fn est_titulaire(champ: &str) -> bool {
    champ.starts_with("titulaires") || champ.starts_with("concessionnaires")
}

/// Report lines that account for one kind of known defect.
fn lignes(r: &RapportImport, defaut: &str) -> usize {
    let e = r.entrees.iter();
    match defaut {
        "timezone-suffixed date" => e.filter(|x| date_a_fuseau(&x.detail)).count(),
        "zero amount" => e.filter(|x| x.detail.contains("montant nul")).count(),
        "duplicate (same buyer + id), extra copies" => e
            .filter(|x| x.action == ActionRapport::Doublon || x.detail.contains("même numéro"))
            .count(),
        "buyer SIRET bad key" => e
            .filter(|x| {
                (x.champ == "acheteur.id" || x.champ == "autoriteConcedante.id")
                    && x.detail.contains("SIRET")
            })
            .count(),
        "holder SIRET bad key" | "holder SIRET not 14 digits" => e
            .filter(|x| {
                est_titulaire(&x.champ)
                    && (x.detail.contains("SIRET") || x.detail.contains("identifiant"))
            })
            .count(),
        autre => panic!("défaut inconnu du test : {autre}"),
    }
}

/// The facts of an OCDS release the golden output and ours must share.
fn faits(release: &Value) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    for p in release["parties"].as_array().into_iter().flatten() {
        for role in p["roles"].as_array().into_iter().flatten() {
            f.insert(format!(
                "partie {} {}",
                role.as_str().unwrap_or(""),
                p["identifier"]["id"].as_str().unwrap_or("")
            ));
        }
    }
    for a in release["awards"].as_array().into_iter().flatten() {
        f.insert(format!(
            "montant {}",
            a["value"]["amount"].as_f64().unwrap_or(f64::NAN)
        ));
        f.insert(format!(
            "date {}",
            a["date"].as_str().unwrap_or("").get(..10).unwrap_or("")
        ));
        for i in a["items"].as_array().into_iter().flatten() {
            let cpv = i["classification"]["id"].as_str().unwrap_or("");
            f.insert(format!("cpv {}", cpv.get(..8).unwrap_or(cpv)));
        }
    }
    f
}

#[test]
fn chaque_fichier_decp_du_corpus() {
    let dir = corpus();
    let attentes: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expectations.json")).unwrap()).unwrap();
    let mut vus = 0;
    let mut echecs = Vec::new();
    for e in attentes["entries"].as_array().unwrap() {
        if e["kind"] != "decp" {
            continue;
        }
        vus += 1;
        let chemin = dir.join(e["path"].as_str().unwrap());
        let nom = e["path"].as_str().unwrap();
        let mut entrepot = Entrepot::new();
        let l = LecteurDecp::ouvrir(&chemin, OptionsImport::new(jour()))
            .unwrap_or_else(|x| panic!("{nom} : {x}"));
        let r = entrepot
            .importer(l)
            .unwrap_or_else(|x| panic!("{nom} : {x}"));
        let mut ko = |m: String| echecs.push(format!("{nom} : {m}"));
        let attendus = e["records"].as_u64().unwrap();
        if r.lus != attendus {
            ko(format!(
                "{} enregistrements lus, {attendus} attendus",
                r.lus
            ));
        }
        if r.importes + r.rejetes != r.lus {
            ko(format!(
                "importés {} + rejetés {} ≠ lus {}",
                r.importes, r.rejetes, r.lus
            ));
        }
        if e["expected"] == "valid" && r.rejetes > 0 {
            let motifs: Vec<_> = r
                .entrees
                .iter()
                .filter(|x| x.action == ActionRapport::Rejet)
                .map(|x| format!("{} : {}", x.enregistrement, x.detail))
                .collect();
            ko(format!(
                "{} enregistrement(s) rejeté(s) : {motifs:?}",
                r.rejetes
            ));
        }
        // Every line cites its file and record.
        for x in &r.entrees {
            if x.fichier.as_deref() != Some(chemin.to_str().unwrap()) || x.enregistrement == 0 {
                ko(format!("ligne sans fichier ni enregistrement : {x:?}"));
            }
        }
        // Merges show what was equal; records kept apart what differs.
        for x in &r.entrees {
            if x.action == ActionRapport::Doublon && !x.detail.contains("égaux :") {
                ko(format!("fusion sans les champs égaux : {}", x.detail));
            }
            if x.detail.contains("même numéro") && !x.detail.contains(" mais ") {
                ko(format!("homonyme sans les différences : {}", x.detail));
            }
        }
        // No two contracts merged: the store holds every imported record but true copies.
        if entrepot.len() as u64 != r.importes - r.doublons {
            ko(format!(
                "{} fiches pour {} importés et {} fusions",
                entrepot.len(),
                r.importes,
                r.doublons
            ));
        }
        if let Some(defauts) = e["known_defects"].as_object() {
            let titulaires: u64 = ["holder SIRET bad key", "holder SIRET not 14 digits"]
                .iter()
                .filter_map(|k| defauts.get(*k).and_then(Value::as_u64))
                .sum();
            for (k, n) in defauts {
                let n = n.as_u64().unwrap();
                let attendu = if k.starts_with("holder SIRET") {
                    titulaires
                } else {
                    n
                };
                let trouve = lignes(&r, k) as u64;
                if trouve < attendu {
                    ko(format!(
                        "défaut « {k} » : {trouve} ligne(s) au rapport pour {attendu}"
                    ));
                }
            }
        }
        if let Some(g) = e["ocds_golden"].as_str() {
            let golden: Value =
                serde_json::from_slice(&std::fs::read(dir.join(g)).unwrap()).unwrap();
            let mut contrats = Vec::new();
            let l = LecteurDecp::ouvrir(&chemin, OptionsImport::new(jour())).unwrap();
            importer_decp(&chemin, OptionsImport::new(jour()), |c| contrats.push(c)).unwrap();
            drop(l);
            let o = OptionsOcds {
                prefixe_ocid: "ocds-78apv2".into(),
                uri: "https://exemple.invalid/ocds.json".into(),
                editeur: "mpe".into(),
                publie_le: "2026-12-01T00:00:00Z".parse().unwrap(),
            };
            let notre: Value =
                serde_json::from_slice(&exporter_ocds(&contrats, &o).unwrap()).unwrap();
            // The source's converter writes no release for a contract with modifications;
            // where it writes one, ours must carry the same facts.
            for (i, rel) in golden["releases"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let attendu = faits(rel);
                let obtenu = faits(&notre["releases"][i]);
                let mut manque: Vec<_> = attendu.difference(&obtenu).cloned().collect();
                // The objet may sit on the award, the contract or the item: anywhere.
                let texte = notre["releases"][i].to_string();
                for a in rel["awards"].as_array().into_iter().flatten() {
                    let objet = a["description"].as_str().unwrap_or("");
                    if !texte.contains(&serde_json::to_string(objet).unwrap()) {
                        manque.push(format!("objet {objet}"));
                    }
                }
                if !manque.is_empty() {
                    ko(format!(
                        "OCDS : faits absents {manque:?} (obtenu {obtenu:?})"
                    ));
                }
            }
        }
    }
    assert!(vus >= 9, "{vus} fichiers DECP dans le corpus");
    assert!(echecs.is_empty(), "{}", echecs.join("\n"));
}

/// On the real 2019 files: records sharing buyer and id but differing in amount, CPV or
/// objet (lots of one procedure) are kept apart, each with its reason.
#[test]
fn lots_de_meme_numero_gardes_a_part() {
    let dir = corpus();
    let chemin = dir.join("decp/real-2019/marches-publics.info.json");
    let mut e = Entrepot::new();
    let r = e
        .importer(LecteurDecp::ouvrir(&chemin, OptionsImport::new(jour())).unwrap())
        .unwrap();
    assert_eq!(r.lus, 4509);
    assert_eq!(
        r.doublons, 0,
        "aucun contrat de ce fichier n'en duplique un autre"
    );
    assert_eq!(r.homonymes, 13);
    assert_eq!(e.len(), 4509);
    let raisons = ["montant ", "CPV ", "objet ", "titulaires différents"];
    for x in r
        .entrees
        .iter()
        .filter(|x| x.detail.contains("même numéro"))
    {
        assert!(raisons.iter().any(|m| x.detail.contains(m)), "{x:?}");
        assert!(x.detail.contains("l'enregistrement "), "{x:?}");
    }
}

/// `decp validate` judges each record by its own format's rules: a real 2019 file is not
/// blamed for lacking the 2022 fields, and its `formePrix` is seen.
#[test]
fn chaque_format_juge_par_ses_regles() {
    let dir = corpus();
    let chemin = dir.join("decp/real-2019/data.gouv.fr_pes.json");
    let mut par_champ = std::collections::BTreeMap::<String, usize>::new();
    let mut v2019 = 0;
    let mut selon_2022 = 0;
    for el in LecteurDecp::ouvrir(&chemin, OptionsImport::new(jour())).unwrap() {
        let ElementDecp::Contrat {
            contrat, version, ..
        } = el.unwrap()
        else {
            panic!("rejet inattendu");
        };
        assert_eq!(version, 2019);
        v2019 += 1;
        let c = std::slice::from_ref(contrat.as_ref());
        for a in verifier_decp_version(c, version, jour()) {
            *par_champ.entry(a.champ).or_default() += 1;
        }
        selon_2022 += verifier_decp(c, jour()).len();
    }
    assert_eq!(v2019, 552);
    for champ in [
        "techniques.technique",
        "modalitesExecution.modaliteExecution",
        "ccag",
        "offresRecues",
        "marcheInnovant",
        "attributionAvance",
        "sousTraitanceDeclaree",
        "formePrix",
        "typeGroupementOperateurs",
    ] {
        assert!(!par_champ.contains_key(champ), "{champ} : {par_champ:?}");
    }
    // The 2022 rules would have blamed every record several times.
    let total: usize = par_champ.values().sum();
    assert!(
        selon_2022 > 5 * 552 && total < 552,
        "{total} / {selon_2022} : {par_champ:?}"
    );
}
