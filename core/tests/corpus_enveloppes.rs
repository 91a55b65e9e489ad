//! Every CMS envelope of the shared corpus (`shared/corpus/expectations.json`, kind `cms`)
//! decrypts to exactly its plaintext, or fails as its source says with a typed error and
//! no output file. Read in place (its licences differ from ours); a missing corpus is a
//! failure, never a skip.
//!
//! Each case runs twice: in memory ([`cms::dechiffrer`]) and file to file
//! ([`cms::dechiffrer_fichier`], which must leave nothing behind on failure). Obsolete
//! algorithms (3DES, DES, RC2) must first be refused with `ALGORITHME_OBSOLETE`, then open
//! with the legacy option.
//!
//! `MPE_CORPUS` points to another corpus folder; `MPE_CORPUS_FILTRE` keeps the entries whose
//! path contains that text.

use std::path::Path;

use mpe::CodeErreur;
use mpe::crypto::cms::{self, Cle, OptionsDechiffrement};
use mpe::crypto::dechiffreur::{CleDechiffrement, Dechiffreur};
use serde_json::Value;

mod corpus_commun;
use corpus_commun::corpus;

/// One way to open an envelope, as the corpus gives it.
enum Ouvreur {
    Cle(Box<CleDechiffrement>),
    Kek(Vec<u8>, Vec<u8>),
}

/// The keys of the case; a key mpe cannot load (X9.42 DH) is left out with a typed reason,
/// and the envelope is still parsed with the others (possibly none).
fn ouvreurs(dir: &Path, v: &Value, notes: &mut Vec<String>) -> Vec<Ouvreur> {
    let mut out = vec![];
    for d in v.as_array().into_iter().flatten() {
        if let Some(k) = d["key"].as_str() {
            let cle = match CleDechiffrement::charger(&std::fs::read(dir.join(k)).unwrap(), None) {
                Ok(c) => c,
                Err(e) => {
                    assert!(
                        matches!(
                            e.code(),
                            CodeErreur::NonPrisEnCharge | CodeErreur::CleInvalide
                        ),
                        "clé {k} : {e}"
                    );
                    notes.push(format!("clé {k} écartée : {}", e.code().name()));
                    continue;
                }
            };
            let cle = match d["cert"].as_str() {
                Some(c) => {
                    let certs =
                        mpe::crypto::bicle::load_certificates(&std::fs::read(dir.join(c)).unwrap())
                            .unwrap();
                    // The file may hold the chain: attach the one of the key.
                    certs
                        .into_iter()
                        .find_map(|c| cle.clone().avec_certificat(c).ok())
                        .unwrap_or(cle)
                }
                None => cle,
            };
            out.push(Ouvreur::Cle(Box::new(cle)));
        } else if let Some(k) = d["kek"].as_str() {
            let kek = std::fs::read(dir.join(k)).unwrap();
            let id = hex::decode(d["kek_id"].as_str().unwrap()).unwrap();
            out.push(Ouvreur::Kek(kek, id));
        } else {
            panic!("entrée de déchiffrement inconnue : {d}");
        }
    }
    out
}

fn cles(o: &[Ouvreur]) -> Vec<Cle<'_>> {
    o.iter()
        .map(|o| match o {
            Ouvreur::Cle(c) => Cle::Privee(c.as_ref() as &dyn Dechiffreur),
            Ouvreur::Kek(k, id) => Cle::Kek { cle: k, id },
        })
        .collect()
}

/// The outcome of one way of decrypting.
#[derive(Debug, PartialEq)]
enum Issue {
    Clair(Vec<u8>),
    Erreur(CodeErreur, String),
    Panique,
}

fn essayer(fichier: &Path, o: &[Ouvreur], legacy: bool, tmp: &Path) -> (Issue, Issue) {
    let opts = OptionsDechiffrement { legacy };
    let data = std::fs::read(fichier).unwrap();
    let k = cles(o);
    let memoire = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        cms::dechiffrer(&data, &k, &opts)
    }));
    let memoire = match memoire {
        Err(_) => Issue::Panique,
        Ok(Ok((v, _))) => Issue::Clair(v),
        Ok(Err(e)) => Issue::Erreur(e.code(), e.message().to_string()),
    };
    let sortie = tmp.join("clair.bin");
    let fichier_ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        cms::dechiffrer_fichier(fichier, &sortie, &k, &opts)
    }));
    let fichier_ = match fichier_ {
        Err(_) => Issue::Panique,
        Ok(Ok(_)) => Issue::Clair(std::fs::read(&sortie).unwrap()),
        Ok(Err(e)) => {
            // Nothing may be left: neither the output nor a temporary file.
            let reste: Vec<_> = std::fs::read_dir(tmp).unwrap().collect();
            if !reste.is_empty() {
                Issue::Erreur(CodeErreur::Interne, format!("fichiers laissés : {reste:?}"))
            } else {
                Issue::Erreur(e.code(), e.message().to_string())
            }
        }
    };
    let _ = std::fs::remove_file(&sortie);
    (memoire, fichier_)
}

fn conforme(attendu: &str, si_supporte: Option<&str>, dir: &Path, i: &Issue) -> bool {
    match (attendu, i) {
        (_, Issue::Panique) => false,
        (a, Issue::Clair(v)) if a.starts_with("decrypts-to:") => {
            *v == std::fs::read(dir.join(&a["decrypts-to:".len()..])).unwrap()
        }
        (_, Issue::Erreur(CodeErreur::Interne, _)) => false,
        ("must-fail", Issue::Erreur(..)) => true,
        ("unsupported-ok", Issue::Erreur(CodeErreur::NonPrisEnCharge, _)) => true,
        ("unsupported-ok", Issue::Erreur(CodeErreur::AlgorithmeObsolete, _)) => true,
        ("unsupported-ok", x) => match si_supporte {
            Some("any") | None => true,
            Some(a) => conforme(a, None, dir, x),
        },
        _ => false,
    }
}

#[test]
fn corpus_enveloppes() {
    let dir = corpus();
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expectations.json")).unwrap()).unwrap();
    let filtre = std::env::var("MPE_CORPUS_FILTRE").unwrap_or_default();
    let mut faux = vec![];
    let mut lignes = vec![];
    let mut n = 0;
    let mut dechiffres = 0;
    for e in exp["entries"].as_array().unwrap() {
        if e["kind"] != "cms" {
            continue;
        }
        let path = e["path"].as_str().unwrap();
        if !path.contains(&filtre) {
            continue;
        }
        let mut variantes = vec![(e.clone(), String::new())];
        for (i, x) in e["extra_checks"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut v = e.clone();
            for (k, val) in x.as_object().unwrap() {
                v[k] = val.clone();
            }
            variantes.push((v, format!(" [contrôle {}]", i + 1)));
        }
        for (v, suffixe) in variantes {
            n += 1;
            let attendu = v["expected"].as_str().unwrap();
            let si_supporte = v["if_supported"].as_str();
            let mut notes = vec![];
            let o = ouvreurs(&dir, &v["decryption"], &mut notes);
            let tmp = tempfile::tempdir().unwrap();
            let (mut m, mut f) = essayer(&dir.join(path), &o, false, tmp.path());
            let mut note = notes.iter().map(|n| format!(" [{n}]")).collect::<String>();
            // An obsolete algorithm is refused without the option, then opens with it.
            if matches!(m, Issue::Erreur(CodeErreur::AlgorithmeObsolete, _)) {
                if f != m {
                    note = format!("fichier : {f:?} ≠ mémoire");
                }
                (m, f) = essayer(&dir.join(path), &o, true, tmp.path());
                note.push_str(" (legacy)");
            }
            let ok = conforme(attendu, si_supporte, &dir, &m)
                && conforme(attendu, si_supporte, &dir, &f)
                && std::mem::discriminant(&m) == std::mem::discriminant(&f);
            if matches!(m, Issue::Clair(_)) && ok {
                dechiffres += 1;
            }
            let court = |i: &Issue| match i {
                Issue::Clair(v) => format!("clair de {} octets", v.len()),
                Issue::Erreur(c, msg) => format!("{} {msg}", c.name()),
                Issue::Panique => "PANIQUE".into(),
            };
            lignes.push(format!(
                "{} {:<45} {}{} — {}",
                if ok { "ok  " } else { "FAUX" },
                attendu,
                court(&m),
                note,
                format_args!("{path}{suffixe}")
            ));
            if !ok {
                faux.push(format!("{path}{suffixe} : {} / {}", court(&m), court(&f)));
            }
        }
    }
    lignes.sort();
    for l in &lignes {
        println!("{l}");
    }
    println!(
        "corpus enveloppes : {} conformes ({dechiffres} déchiffrées), {} faux sur {n}",
        n - faux.len(),
        faux.len()
    );
    assert!(n > 0, "aucune enveloppe dans le corpus");
    assert!(faux.is_empty(), "verdicts faux : {faux:#?}");
}
