//! Every signature file of the shared corpus (`expectations.json`, kind `signatures`, and
//! each of its `extra_checks`) through the `mpe verifier` binary, `--json`: the same
//! verdict as the library test (`core/tests/corpus_signatures.rs`), under the same rule
//! (its `FAUX_CONNUS` and `ATTENDUS_CONTESTES`, shared). One process per case; the table
//! and the duration are printed (`--nocapture`). A missing corpus fails.
//!
//! The corpus's inputs map to the CLI's options: `trust_anchors` → `--confiance`,
//! `intermediates` → `--intermediaire`, `crls` → `--crl`, `validation_time` →
//! `--date-verification`, `signed_data` → `--fichier-signe`, `detached_name` and
//! `extra_files` → `--document NOM=CHEMIN`. A detached content given only as its digest
//! (DSS's DigestDocument) has no CLI option: there the CLI must answer the typed
//! FICHIER_SIGNE_MANQUANT, which is checked instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../../core/tests/corpus_commun/attendus_signatures.rs"]
mod attendus_signatures;
#[path = "../../core/tests/corpus_commun/mod.rs"]
mod corpus_commun;
use attendus_signatures::{ATTENDUS_CONTESTES, FAUX_CONNUS};

/// What `mpe verifier` answered, in the corpus's terms (as in the library test).
#[derive(Debug, Clone, PartialEq)]
enum Issue {
    Valide,
    IndetermineAncre,
    Indetermine(String),
    Invalide(String),
    Erreur(String),
    NonSupporte(String),
    /// Killed, or a panic (exit code 101), or an answer the test cannot read.
    Panique(String),
}

fn texte(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or("-").to_string()
}

/// Indeterminate for the missing trust anchor only, for a signature and its
/// counter-signatures (the JSON twin of the library test's rule).
fn seulement_ancre(s: &Value, ancres_donnees: bool) -> bool {
    let ici = match s["statut"].as_str() {
        Some("VALIDE") => true,
        Some("INDETERMINE") => {
            !ancres_donnees
                && s["integrite"] == true
                && s["signature_valide"] == true
                && s["sous_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
        }
        _ => false,
    };
    ici && s["contre_signatures"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|c| seulement_ancre(c, ancres_donnees))
}

fn issue(o: &std::process::Output, ancres_donnees: bool) -> Issue {
    let err = String::from_utf8_lossy(&o.stderr).trim().to_string();
    let Some(code) = o.status.code() else {
        return Issue::Panique(format!("tué : {err}"));
    };
    if code >= 3 {
        if code == 101 {
            return Issue::Panique(err);
        }
        // "erreur NOM (code) : message"
        let nom = err
            .strip_prefix("erreur ")
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or("?");
        return if nom == "NON_PRIS_EN_CHARGE" {
            Issue::NonSupporte(err)
        } else {
            Issue::Erreur(err)
        };
    }
    let Ok(r) = serde_json::from_slice::<Value>(&o.stdout) else {
        return Issue::Panique(format!("JSON illisible : {err}"));
    };
    let raison = |s: &Value| format!("{} {}", texte(s, "code"), texte(s, "raison"));
    let sigs = r["signatures"].as_array().cloned().unwrap_or_default();
    match (r["statut"].as_str(), code) {
        (Some("VALIDE"), 0) => Issue::Valide,
        (Some("INVALIDE"), 1) => Issue::Invalide(
            sigs.iter()
                .find(|s| s["statut"] == "INVALIDE")
                .map(raison)
                .unwrap_or_else(|| "aucune signature".into()),
        ),
        (Some("INDETERMINE"), 2) => match sigs.iter().find(|s| !seulement_ancre(s, ancres_donnees))
        {
            None => Issue::IndetermineAncre,
            Some(s) if !s["non_supporte"].is_null() || s["code"] == "NON_PRIS_EN_CHARGE" => {
                Issue::NonSupporte(raison(s))
            }
            Some(s) => Issue::Indetermine(format!("{} {}", texte(s, "sous_indication"), raison(s))),
        },
        (statut, code) => {
            Issue::Panique(format!("statut {statut:?} avec le code de sortie {code}"))
        }
    }
}

/// Does the answer satisfy what the corpus expects? (The library test's rule.)
fn conforme(attendu: &str, si_supporte: Option<&str>, i: &Issue) -> bool {
    match (attendu, i) {
        (_, Issue::Panique(_)) => false,
        ("valid", x) => *x == Issue::Valide,
        ("indeterminate-without-anchor", x) => *x == Issue::IndetermineAncre,
        ("invalid", x) => !matches!(x, Issue::Valide | Issue::IndetermineAncre),
        ("must-fail", x) => matches!(x, Issue::Erreur(_) | Issue::Invalide(_)),
        ("unsupported-ok", Issue::NonSupporte(_)) => true,
        ("unsupported-ok", x) => match si_supporte {
            Some("any") | Some("unstated") | None => true,
            Some(a) => conforme(a, None, x),
        },
        ("unstated", _) => true,
        _ => false,
    }
}

struct Cas {
    nom: String,
    famille: String,
    attendu: String,
    si_supporte: Option<String>,
    args: Vec<String>,
    /// Only the digest of the detached content is given (no CLI option for it).
    empreinte_seule: bool,
    ancres: bool,
    limite: Option<Duration>,
}

fn chemins(dir: &Path, v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|p| dir.join(p).to_string_lossy().into_owned())
        .collect()
}

fn cas(dir: &Path) -> Vec<Cas> {
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expectations.json")).unwrap()).unwrap();
    let filtre = std::env::var("MPE_CORPUS_FILTRE").unwrap_or_default();
    let mut out = vec![];
    for e in exp["entries"].as_array().unwrap() {
        if e["kind"] != "signatures" {
            continue;
        }
        let path = e["path"].as_str().unwrap();
        let famille = e["family"].as_str().unwrap_or_default();
        if !filtre.is_empty() && !path.contains(&filtre) && famille != filtre {
            continue;
        }
        let mut variantes = vec![(e.clone(), String::new())];
        for (n, x) in e["extra_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut v = e.clone();
            for (k, val) in x.as_object().unwrap() {
                v[k] = val.clone();
            }
            variantes.push((v, format!(" [contrôle {}]", n + 1)));
        }
        for (v, suffixe) in variantes {
            let mut args = vec!["verifier".to_string(), "--json".to_string()];
            let ancres = chemins(dir, &v["trust_anchors"]);
            for (opt, liste) in [
                ("--confiance", ancres.clone()),
                ("--intermediaire", chemins(dir, &v["intermediates"])),
                ("--crl", chemins(dir, &v["crls"])),
            ] {
                for p in liste {
                    args.push(opt.into());
                    args.push(p);
                }
            }
            if let Some(t) = v["validation_time"].as_str() {
                args.push("--date-verification".into());
                args.push(t.into());
            }
            let donnees = v["signed_data"].as_str();
            if let Some(p) = donnees {
                args.push("--fichier-signe".into());
                args.push(dir.join(p).to_string_lossy().into_owned());
                if let Some(nom) = v["detached_name"].as_str() {
                    args.push("--document".into());
                    args.push(format!("{nom}={}", dir.join(p).display()));
                }
            }
            for f in v["extra_files"].as_array().into_iter().flatten() {
                let (p, nom) = match f {
                    Value::String(p) => (p.as_str(), None),
                    o => (
                        o["path"].as_str().unwrap(),
                        o["name"].as_str().or(o["detached_name"].as_str()),
                    ),
                };
                let nom = nom.map(str::to_string).unwrap_or_else(|| {
                    Path::new(p)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                });
                args.push("--document".into());
                args.push(format!("{nom}={}", dir.join(p).display()));
            }
            args.push(dir.join(path).to_string_lossy().into_owned());
            let empreinte_seule = donnees.is_none()
                && v["why"]
                    .as_str()
                    .is_some_and(|w| w.contains("detached digest SHA-256 "));
            out.push(Cas {
                nom: format!("{path}{suffixe}"),
                famille: famille.to_string(),
                attendu: v["expected"].as_str().unwrap().to_string(),
                si_supporte: v["if_supported"].as_str().map(str::to_string),
                args,
                empreinte_seule,
                ancres: !ancres.is_empty(),
                limite: v["time_limit_s"].as_f64().map(Duration::from_secs_f64),
            });
        }
    }
    out
}

#[test]
fn corpus_par_la_commande() {
    let dir: PathBuf = corpus_commun::corpus();
    let cas = cas(&dir);
    assert!(!cas.is_empty(), "aucune entrée de signature retenue");
    let debut_total = Instant::now();
    let mut faux = vec![];
    let mut lignes = vec![];
    let mut sans_option = 0;
    for c in &cas {
        let debut = Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_mpe"))
            .current_dir(&dir)
            .args(&c.args)
            .output()
            .unwrap();
        let duree = debut.elapsed();
        let i = issue(&o, c.ancres);
        let conteste = ATTENDUS_CONTESTES.iter().find(|(p, _, _)| *p == c.nom);
        let mut ok = if c.empreinte_seule {
            // The CLI cannot be given a digest alone: the typed "signed data missing".
            sans_option += 1;
            matches!(&i, Issue::Erreur(e) if e.contains("FICHIER_SIGNE_MANQUANT"))
        } else if let Some((_, reponse, _)) = conteste {
            format!("{i:?}").starts_with(reponse)
        } else {
            conforme(&c.attendu, c.si_supporte.as_deref(), &i)
        };
        if c.limite.is_some_and(|l| duree > l) {
            ok = false;
        }
        lignes.push(format!(
            "{} {:<7} {:<30} {} ({} ms) {}",
            match (ok, conteste.is_some() || c.empreinte_seule) {
                (true, true) => "cont",
                (true, false) => "ok  ",
                _ => "FAUX",
            },
            c.famille,
            c.attendu,
            format!("{i:?}").chars().take(160).collect::<String>(),
            duree.as_millis(),
            c.nom
        ));
        if !ok {
            faux.push(c.nom.clone());
        }
    }
    lignes.sort();
    for l in &lignes {
        println!("{l}");
    }
    println!(
        "corpus par mpe verifier : {} conformes, {} faux sur {} ({} sans option CLI pour \
         l'empreinte seule, {} attendus contestés) en {:.1} s",
        cas.len() - faux.len(),
        faux.len(),
        cas.len(),
        sans_option,
        ATTENDUS_CONTESTES.len(),
        debut_total.elapsed().as_secs_f64()
    );
    let connus: Vec<&str> = FAUX_CONNUS.iter().map(|(p, _)| *p).collect();
    let nouveaux: Vec<&String> = faux
        .iter()
        .filter(|f| !connus.contains(&f.as_str()))
        .collect();
    assert!(
        nouveaux.is_empty(),
        "verdicts faux par la commande : {nouveaux:#?}"
    );
}
