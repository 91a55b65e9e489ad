//! `mpe avis` and `mpe dume`: notices and DUME written from the example data, read back by
//! the CLI, and every bad input refused with its typed code and no output left behind.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{DateTime, NaiveDate, Utc};
use commun::{code, mpe, ok};
use mpe::donnees::{ComplementContrat, contrat_depuis_decision};
use mpe::model::{Decision, Organisation};
use mpe::procedure::{Acteur, Action, Contexte, Procedure};
use mpe::publication::ContratLot;
use serde_json::Value;

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn chemin(relatif: &str) -> String {
    racine().join(relatif).to_string_lossy().into_owned()
}

/// MPE_ESPD, else the first shared/data/espd above the crate (a missing folder fails).
fn espd() -> PathBuf {
    if let Some(d) = std::env::var_os("MPE_ESPD") {
        return PathBuf::from(d);
    }
    racine()
        .ancestors()
        .map(|d| d.join("shared/data/espd"))
        .find(|d| d.is_dir())
        .expect("shared/data/espd introuvable (MPE_ESPD)")
}

const CONSULTATION: &str = "examples/data/consultation.json";
const ORGANISATION: &str = "examples/data/organisation.json";
const DONNEES_16: &str = "tests/vectors/publication/donnees_avis.json";
const DONNEES_29: &str = "tests/vectors/publication/donnees_attribution.json";
/// The contract notice is sent on 3 November 2026, 10:00 in Paris (before the DLRO).
const ENVOI_16: &str = "2026-11-03T09:00:00Z";
/// The result notice on 10 January 2027, after the contracts are notified.
const ENVOI_29: &str = "2027-01-10T09:00:00Z";

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// Failed with exit code `sortie` and the typed error `nom` on stderr.
#[track_caller]
fn erreur(o: &Output, sortie: i32, nom: &str) {
    code(o, sortie);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("erreur {nom} (")), "{err}");
}

/// The shared procedure scenario replayed up to `fin` included (steps the scenario expects
/// refused change nothing), and its organisation.
fn procedure_jusqu_a(fin: &str) -> (Procedure, Organisation) {
    let s: Value = serde_json::from_str(
        &std::fs::read_to_string(racine().join("tests/vectors/procedure/scenario.json")).unwrap(),
    )
    .unwrap();
    let org: Organisation = serde_json::from_value(s["organisation"].clone()).unwrap();
    let t = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    let createur: Acteur = serde_json::from_value(s["creation"]["acteur"].clone()).unwrap();
    let (mut p, _) = Procedure::nouvelle(
        serde_json::from_value(s["consultation"].clone()).unwrap(),
        &contexte(t(&s["creation"]["maintenant"]), &createur, &org),
    )
    .unwrap();
    let fin: DateTime<Utc> = fin.parse().unwrap();
    for e in s["etapes"].as_array().unwrap() {
        if t(&e["maintenant"]) > fin || e["action"].is_null() {
            continue;
        }
        let a: Action = serde_json::from_value(e["action"].clone()).unwrap();
        let acteur: Acteur = serde_json::from_value(e["acteur"].clone()).unwrap();
        let _ = p.appliquer(&a, &contexte(t(&e["maintenant"]), &acteur, &org));
    }
    (p, org)
}

/// The shared procedure scenario replayed up to the moment every lot is decided (lots 1
/// and 3 to pli 3, lot 2 to pli 4), and the notified contract of each awarded lot, written
/// as the host stores them: `procedure.json`, `contrats.json`, `organisation-scenario.json`.
fn procedure_attribuee(dir: &Path) {
    let (p, org) = procedure_jusqu_a("2026-12-18T10:05:00Z");
    let contrats: Vec<ContratLot> = p
        .decisions
        .iter()
        .filter(|(_, d)| matches!(d.decision, Decision::Attribution { .. }))
        .map(|(&lot, _)| ContratLot {
            lot,
            contrat: contrat_depuis_decision(
                &p,
                &org,
                &ComplementContrat {
                    numero: format!("2026-0611-{lot:02}"),
                    date_notification: NaiveDate::from_ymd_opt(2027, 1, 5),
                    ..Default::default()
                },
                lot,
            )
            .unwrap(),
        })
        .collect();
    assert_eq!(contrats.len(), 3);
    std::fs::write(dir.join("procedure.json"), p.to_json()).unwrap();
    std::fs::write(
        dir.join("contrats.json"),
        serde_json::to_string(&contrats).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("organisation-scenario.json"),
        serde_json::to_string(&org).unwrap(),
    )
    .unwrap();
}

fn contexte<'a>(m: DateTime<Utc>, a: &'a Acteur, o: &'a Organisation) -> Contexte<'a> {
    Contexte {
        maintenant: m,
        acteur: a,
        organisation: o,
    }
}

fn args_16<'a>(consultation: &'a str, organisation: &'a str, donnees: &'a str) -> Vec<&'a str> {
    vec![
        "--type",
        "16",
        "--consultation",
        consultation,
        "--organisation",
        organisation,
        "--donnees",
        donnees,
        "--maintenant",
        ENVOI_16,
    ]
}

fn args_29<'a>(donnees: &'a str, contrats: Option<&'a str>) -> Vec<&'a str> {
    let mut v = vec![
        "--type",
        "29",
        "--procedure",
        "procedure.json",
        "--organisation",
        "organisation-scenario.json",
        "--donnees",
        donnees,
        "--maintenant",
        ENVOI_29,
    ];
    if let Some(c) = contrats {
        v.extend(["--contrats", c]);
    }
    v
}

fn avec<'a>(debut: &[&'a str], args: &[&'a str]) -> Vec<&'a str> {
    let mut v = debut.to_vec();
    v.extend_from_slice(args);
    v
}

#[test]
fn avis_16_ecrit_verifie_et_relu() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let (c, o, dn) = (
        chemin(CONSULTATION),
        chemin(ORGANISATION),
        chemin(DONNEES_16),
    );
    let entrees = args_16(&c, &o, &dn);
    // The pre-check of complete data finds no error.
    let v = mpe(p, &avec(&["avis", "verifier", "--json"], &entrees));
    ok(&v);
    let constats = stdout_json(&v);
    assert!(
        constats
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["gravite"] != "erreur"),
        "{constats}"
    );
    let g = mpe(
        p,
        &avec(
            &["avis", "generer", "--json", "--sortie", "avis-16.xml"],
            &entrees,
        ),
    );
    ok(&g);
    let ecrit = stdout_json(&g);
    assert_eq!(ecrit["sous_type"], "16");
    // Read back by the CLI.
    let l = mpe(p, &["avis", "lire", "avis-16.xml", "--json"]);
    ok(&l);
    let r = stdout_json(&l);
    assert_eq!(r["racine"], "ContractNotice");
    assert_eq!(r["sous_type"], "16");
    assert_eq!(r["identifiant"], ecrit["identifiant"]);
    assert_eq!(r["identifiant_procedure"], ecrit["identifiant_procedure"]);
    assert_eq!(
        r["titre"],
        "Rénovation énergétique du groupe scolaire Jules Ferry"
    );
    assert_eq!(r["acheteurs"][0], "Ville de Villeurbanne");
    assert_eq!(r["lots"].as_array().unwrap().len(), 3);
    assert_eq!(
        r["lots"][0]["date_limite"], "2026-12-15T12:00:00+01:00",
        "{r}"
    );
    // The human summary names the notice and its lots.
    let h = mpe(p, &["avis", "lire", "avis-16.xml"]);
    ok(&h);
    let texte = String::from_utf8_lossy(&h.stdout);
    assert!(texte.contains("ContractNotice (sous-type 16"), "{texte}");
    assert!(texte.contains("LOT-0003"), "{texte}");
    // Same inputs, same bytes (the identifiers are derived from the consultation).
    ok(&mpe(
        p,
        &avec(&["avis", "generer", "-o", "encore.xml"], &entrees),
    ));
    assert_eq!(
        std::fs::read(p.join("avis-16.xml")).unwrap(),
        std::fs::read(p.join("encore.xml")).unwrap()
    );
}

#[test]
fn avis_29_ecrit_verifie_et_relu() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    procedure_attribuee(p);
    let dn = chemin(DONNEES_29);
    let entrees = args_29(&dn, Some("contrats.json"));
    let v = mpe(p, &avec(&["avis", "verifier", "--json"], &entrees));
    ok(&v);
    assert!(
        stdout_json(&v)
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["gravite"] != "erreur")
    );
    let g = mpe(
        p,
        &avec(
            &["avis", "generer", "--json", "-o", "avis-29.xml"],
            &entrees,
        ),
    );
    ok(&g);
    let ecrit = stdout_json(&g);
    assert_eq!(ecrit["sous_type"], "29");
    let l = mpe(p, &["avis", "lire", "--json", "avis-29.xml"]);
    ok(&l);
    let r = stdout_json(&l);
    assert_eq!(r["racine"], "ContractAwardNotice");
    assert_eq!(r["sous_type"], "29");
    assert_eq!(r["identifiant"], ecrit["identifiant"]);
    assert_eq!(r["lots"].as_array().unwrap().len(), 3);
    assert_eq!(r["date_envoi"], "2027-01-10T10:00:00+01:00");
}

#[test]
fn avis_incomplet_nomme_les_champs_et_n_ecrit_rien() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("vide.json"), "{}").unwrap();
    let (c, o) = (chemin(CONSULTATION), chemin(ORGANISATION));
    let entrees = args_16(&c, &o, "vide.json");
    // The pre-check lists what is missing, exit 5 (as `mpe valider`).
    let v = mpe(p, &avec(&["avis", "verifier", "--json"], &entrees));
    code(&v, 5);
    let constats = stdout_json(&v);
    assert!(
        constats
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["code"] == "TERME_MANQUANT"
                && k["gravite"] == "erreur"
                && k["champ"] == "$.donnees.acheteur.ville"),
        "{constats}"
    );
    let texte = mpe(p, &avec(&["avis", "verifier"], &entrees));
    code(&texte, 5);
    assert!(String::from_utf8_lossy(&texte.stdout).contains("BT-513-Organization-Company"));
    // Writing is refused with the typed code, and leaves no file.
    let g = mpe(p, &avec(&["avis", "generer", "-o", "avis.xml"], &entrees));
    erreur(&g, 4, "AVIS_INCOMPLET");
    assert!(String::from_utf8_lossy(&g.stderr).contains("$.donnees.acheteur.ville"));
    assert!(!p.join("avis.xml").exists());

    // A result notice without the contracts of the awarded lots.
    procedure_attribuee(p);
    let dn = chemin(DONNEES_29);
    let sans = args_29(&dn, None);
    let v = mpe(p, &avec(&["avis", "verifier", "--json"], &sans));
    code(&v, 5);
    let constats = stdout_json(&v);
    assert!(
        constats
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["gravite"] == "erreur" && k["champ"] == "$.contrats"),
        "{constats}"
    );
    let g = mpe(p, &avec(&["avis", "generer", "-o", "avis-29.xml"], &sans));
    erreur(&g, 4, "AVIS_INCOMPLET");
    assert!(!p.join("avis-29.xml").exists());
}

#[test]
fn entrees_absentes_ou_mal_formees() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("casse.json"), "{\"acheteur\": ").unwrap();
    let (c, o, dn) = (
        chemin(CONSULTATION),
        chemin(ORGANISATION),
        chemin(DONNEES_16),
    );
    // A missing file: IO.
    for entrees in [
        args_16("absente.json", &o, &dn),
        args_16(&c, "absente.json", &dn),
        args_16(&c, &o, "absente.json"),
    ] {
        erreur(
            &mpe(p, &avec(&["avis", "generer", "-o", "a.xml"], &entrees)),
            4,
            "ES",
        );
        erreur(&mpe(p, &avec(&["avis", "verifier"], &entrees)), 4, "ES");
    }
    // Malformed JSON: JSON_INVALIDE, whichever input it is.
    for entrees in [
        args_16("casse.json", &o, &dn),
        args_16(&c, "casse.json", &dn),
        args_16(&c, &o, "casse.json"),
    ] {
        erreur(
            &mpe(p, &avec(&["avis", "generer", "-o", "a.xml"], &entrees)),
            4,
            "JSON_INVALIDE",
        );
    }
    procedure_attribuee(p);
    let dn29 = chemin(DONNEES_29);
    erreur(
        &mpe(
            p,
            &avec(&["avis", "verifier"], &args_29(&dn29, Some("casse.json"))),
        ),
        4,
        "JSON_INVALIDE",
    );
    std::fs::write(p.join("procedure.json"), "[1, 2").unwrap();
    erreur(
        &mpe(
            p,
            &avec(
                &["avis", "verifier"],
                &args_29(&dn29, Some("contrats.json")),
            ),
        ),
        4,
        "JSON_INVALIDE",
    );
    assert!(!p.join("a.xml").exists());
    erreur(&mpe(p, &["avis", "lire", "absent.xml"]), 4, "ES");
    erreur(&mpe(p, &["dume", "lire", "absent.xml"]), 4, "ES");
    erreur(
        &mpe(
            p,
            &[
                "dume",
                "generer",
                "--consultation",
                "casse.json",
                "--organisation",
                &o,
                "--version",
                "4.1.0",
                "-o",
                "d.xml",
            ],
        ),
        4,
        "JSON_INVALIDE",
    );
    assert!(!p.join("d.xml").exists());
}

#[test]
fn usage_incorrect() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let (c, o, dn) = (
        chemin(CONSULTATION),
        chemin(ORGANISATION),
        chemin(DONNEES_16),
    );
    // Type 29 is written from a procedure, not a consultation; an unknown type.
    let mut e = args_16(&c, &o, &dn);
    e[1] = "29";
    code(&mpe(p, &avec(&["avis", "generer", "-o", "a.xml"], &e)), 3);
    e[1] = "31";
    code(&mpe(p, &avec(&["avis", "verifier"], &e)), 3);
    // 17 is the subtype of an entité adjudicatrice: a pouvoir adjudicateur is refused.
    e[1] = "17";
    erreur(
        &mpe(p, &avec(&["avis", "generer", "-o", "a.xml"], &e)),
        4,
        "AVIS_NON_PRIS_EN_CHARGE",
    );
    assert!(!p.join("a.xml").exists());
    // A comparison needs both the request and the company.
    code(&mpe(p, &["dume", "lire", "x.xml", "--demande", "d.xml"]), 3);
    code(&mpe(p, &["dume", "lire", "x.xml", "--entreprise", "1"]), 3);
}

#[test]
fn lire_refuse_un_autre_document() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let (c, o, dn) = (
        chemin(CONSULTATION),
        chemin(ORGANISATION),
        chemin(DONNEES_16),
    );
    ok(&mpe(
        p,
        &avec(
            &["avis", "generer", "-o", "avis.xml"],
            &args_16(&c, &o, &dn),
        ),
    ));
    let demande = espd().join("4.1.0/examples/ESPD-Request.xml");
    let demande = demande.to_str().unwrap();
    // A DUME is not an eForms notice, a notice is not a DUME.
    erreur(&mpe(p, &["avis", "lire", demande]), 4, "AVIS_NON_EFORMS");
    erreur(&mpe(p, &["dume", "lire", "avis.xml"]), 4, "DUME_NON_ESPD");
    // Another XML document; not well-formed XML; a document cut in the middle.
    std::fs::write(p.join("texte.xml"), "<a><b></a>").unwrap();
    erreur(
        &mpe(p, &["avis", "lire", "texte.xml"]),
        4,
        "AVIS_NON_EFORMS",
    );
    erreur(&mpe(p, &["dume", "lire", "texte.xml"]), 4, "DUME_NON_ESPD");
    std::fs::write(p.join("bonjour.xml"), "bonjour").unwrap();
    erreur(
        &mpe(p, &["avis", "lire", "bonjour.xml"]),
        4,
        "AVIS_ILLISIBLE",
    );
    erreur(
        &mpe(p, &["dume", "lire", "bonjour.xml"]),
        4,
        "DUME_ILLISIBLE",
    );
    std::fs::write(p.join("binaire.xml"), [0xff, 0xfe, 0x00]).unwrap();
    erreur(
        &mpe(p, &["avis", "lire", "binaire.xml"]),
        4,
        "AVIS_ILLISIBLE",
    );
    erreur(
        &mpe(p, &["dume", "lire", "binaire.xml"]),
        4,
        "DUME_ILLISIBLE",
    );
    let avis = std::fs::read(p.join("avis.xml")).unwrap();
    std::fs::write(p.join("avis-coupe.xml"), &avis[..avis.len() / 2]).unwrap();
    erreur(
        &mpe(p, &["avis", "lire", "avis-coupe.xml"]),
        4,
        "AVIS_ILLISIBLE",
    );
    let xml = std::fs::read(demande).unwrap();
    std::fs::write(p.join("coupe.xml"), &xml[..xml.len() / 2]).unwrap();
    erreur(&mpe(p, &["dume", "lire", "coupe.xml"]), 4, "DUME_ILLISIBLE");
}

#[test]
fn dume_ecrit_et_relu() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let (c, o) = (chemin(CONSULTATION), chemin(ORGANISATION));
    for v in ["2.1.1", "4.1.0"] {
        let sortie = format!("dume-{v}.xml");
        let g = mpe(
            p,
            &[
                "dume",
                "generer",
                "--consultation",
                &c,
                "--organisation",
                &o,
                "--version",
                v,
                "--maintenant",
                ENVOI_16,
                "--json",
                "--sortie",
                &sortie,
            ],
        );
        ok(&g);
        let ecrit = stdout_json(&g);
        assert_eq!(ecrit["version"], v);
        let l = mpe(p, &["dume", "lire", "--json", &sortie]);
        ok(&l);
        let r = stdout_json(&l);
        assert_eq!(r["nature"], "demande");
        assert_eq!(r["version"], v);
        assert_eq!(r["identifiant_procedure"], "AOO_2026/0611");
        assert_eq!(r["acheteur"], "Ville de Villeurbanne");
        assert_eq!(
            r["lots"],
            serde_json::json!(["LOT-0001", "LOT-0002", "LOT-0003"])
        );
        // The reader gives each version's own codes (2.1.1 has its own); as many criteria.
        assert_eq!(
            r["criteres"].as_array().unwrap().len(),
            ecrit["criteres"].as_array().unwrap().len()
        );
    }
    // 1.0.2 is read but not written; an unknown version.
    for v in ["1.0.2", "3.0"] {
        let g = mpe(
            p,
            &[
                "dume",
                "generer",
                "--consultation",
                &c,
                "--organisation",
                &o,
                "--version",
                v,
                "-o",
                "dume.xml",
            ],
        );
        erreur(&g, 4, "DUME_VERSION_NON_PRISE_EN_CHARGE");
        assert!(!p.join("dume.xml").exists());
    }
}

#[test]
fn dume_reponse_comparee() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let e = espd().join("4.1.0/examples");
    let (demande, reponse) = (
        e.join("ESPD-Request.xml").to_string_lossy().into_owned(),
        e.join("ESPD-Response.xml").to_string_lossy().into_owned(),
    );
    let l = mpe(p, &["dume", "lire", "--json", &reponse]);
    ok(&l);
    let r = stdout_json(&l);
    assert_eq!(r["nature"], "reponse");
    let id = r["entreprise"]["identifiants"][0].as_str().unwrap();
    let belge = format!("BE:{id}");
    // The official response answers the official request, from its company: exit 0.
    let c = mpe(
        p,
        &[
            "dume",
            "lire",
            "--json",
            &reponse,
            "--demande",
            &demande,
            "--entreprise",
            &belge,
        ],
    );
    let sortie = stdout_json(&c);
    let ecarts = sortie["ecarts"].as_array().unwrap();
    assert!(
        !ecarts
            .iter()
            .any(|x| x["sujet"] == "identite" || x["sujet"] == "nature"),
        "{sortie}"
    );
    code(&c, if ecarts.is_empty() { 0 } else { 5 });
    assert_eq!(sortie["resume"]["nature"], "reponse");
    // Another company (a valid SIRET): flagged, exit 5.
    let c = mpe(
        p,
        &[
            "dume",
            "lire",
            &reponse,
            "--demande",
            &demande,
            "--entreprise",
            "51802345600024",
        ],
    );
    code(&c, 5);
    assert!(String::from_utf8_lossy(&c.stdout).contains("écart identite"));
    // The request given as the response.
    let c = mpe(
        p,
        &[
            "dume",
            "lire",
            "--json",
            &demande,
            "--demande",
            &demande,
            "--entreprise",
            &belge,
        ],
    );
    code(&c, 5);
    assert!(
        stdout_json(&c)["ecarts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["sujet"] == "nature")
    );
    // An invalid SIRET, a request that is not a DUME.
    erreur(
        &mpe(
            p,
            &[
                "dume",
                "lire",
                &reponse,
                "--demande",
                &demande,
                "--entreprise",
                "12345678900000",
            ],
        ),
        5,
        "SIRET_INVALIDE",
    );
    std::fs::write(p.join("pas-xml.xml"), "bonjour").unwrap();
    let c = mpe(
        p,
        &[
            "dume",
            "lire",
            &reponse,
            "--demande",
            "pas-xml.xml",
            "--entreprise",
            &belge,
        ],
    );
    erreur(&c, 4, "DUME_ILLISIBLE");
}

/// `mpe avis generer --rectificatif`: the contract notice of the scenario's consultation sent
/// on 3 November, the consultation modified once published (a pièce replaced, the DLRO
/// postponed), and the change notice of the first notice written from the procedure.
#[test]
fn avis_rectificatif() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let (mut proc_, org) = procedure_jusqu_a("2026-11-05T09:00:00Z");
    std::fs::write(
        p.join("organisation.json"),
        serde_json::to_string(&org).unwrap(),
    )
    .unwrap();
    std::fs::write(p.join("consultation.json"), proc_.consultation.to_json()).unwrap();
    std::fs::write(p.join("procedure-initiale.json"), proc_.to_json()).unwrap();
    let dn = chemin(DONNEES_29);
    let commun = ["--organisation", "organisation.json", "--donnees", &dn];
    let g = mpe(
        p,
        &avec(
            &[
                "avis",
                "generer",
                "--json",
                "--type",
                "16",
                "--consultation",
                "consultation.json",
                "-o",
                "initial.xml",
                "--maintenant",
                ENVOI_16,
            ],
            &commun,
        ),
    );
    ok(&g);
    let initial = stdout_json(&g);
    // Nothing changed since: refused, nothing written.
    let r = mpe(
        p,
        &avec(
            &[
                "avis",
                "generer",
                "--type",
                "16",
                "--procedure",
                "procedure-initiale.json",
                "--rectificatif",
                "initial.xml",
                "-o",
                "rien.xml",
                "--maintenant",
                "2026-11-25T11:00:00Z",
            ],
            &commun,
        ),
    );
    erreur(&r, 4, "RECTIFICATIF_SANS_MODIFICATION");
    assert!(!p.join("rien.xml").exists());
    // The consultation modified once published.
    let mut c = proc_.consultation.clone();
    c.calendrier.dlro = "2026-12-22T12:00:00".parse().unwrap();
    c.identification
        .objet
        .push_str(" Le bâtiment C est compris.");
    let agent: Acteur =
        serde_json::from_value(serde_json::json!({"type": "agent", "id": "a.martin"})).unwrap();
    proc_
        .appliquer(
            &Action::ModifierConsultationPubliee {
                consultation: Box::new(c),
                motif: "délai prolongé d'une semaine".into(),
            },
            &contexte("2026-11-25T10:00:00Z".parse().unwrap(), &agent, &org),
        )
        .unwrap();
    std::fs::write(p.join("procedure.json"), proc_.to_json()).unwrap();
    let g = mpe(
        p,
        &avec(
            &[
                "avis",
                "generer",
                "--json",
                "--type",
                "16",
                "--procedure",
                "procedure.json",
                "--rectificatif",
                "initial.xml",
                "-o",
                "rectificatif.xml",
                "--maintenant",
                "2026-11-25T11:00:00Z",
            ],
            &commun,
        ),
    );
    ok(&g);
    let ecrit = stdout_json(&g);
    assert_eq!(ecrit["sous_type"], "16");
    assert_eq!(
        ecrit["identifiant_procedure"],
        initial["identifiant_procedure"]
    );
    assert_ne!(ecrit["identifiant"], initial["identifiant"]);
    let xml = std::fs::read_to_string(p.join("rectificatif.xml")).unwrap();
    let bt_758 = format!(
        "<efbc:ChangedNoticeIdentifier>{}-01</efbc:ChangedNoticeIdentifier>",
        initial["identifiant"].as_str().unwrap()
    );
    assert!(xml.contains(&bt_758), "{xml}");
    assert!(
        xml.contains("date limite reportée du 15/12/2026 12:00 au 22/12/2026 12:00"),
        "{xml}"
    );
    let l = mpe(p, &["avis", "lire", "rectificatif.xml", "--json"]);
    ok(&l);
    assert_eq!(
        stdout_json(&l)["lots"][0]["date_limite"],
        "2026-12-22T12:00:00+01:00"
    );
    // A change notice is not the contract notice to change: refused.
    let r = mpe(
        p,
        &avec(
            &[
                "avis",
                "generer",
                "--type",
                "16",
                "--procedure",
                "procedure.json",
                "--rectificatif",
                "rectificatif.xml",
                "-o",
                "rien.xml",
                "--maintenant",
                "2026-11-25T11:00:00Z",
            ],
            &commun,
        ),
    );
    erreur(&r, 4, "AVIS_RECTIFIE_ETRANGER");
    // Only a contract notice is changed; --rectificatif needs --procedure.
    let r = mpe(
        p,
        &avec(
            &[
                "avis",
                "generer",
                "--type",
                "29",
                "--procedure",
                "procedure.json",
                "--rectificatif",
                "initial.xml",
                "-o",
                "rien.xml",
            ],
            &commun,
        ),
    );
    erreur(&r, 4, "ARGUMENT_INVALIDE");
    let r = mpe(
        p,
        &avec(
            &[
                "avis",
                "generer",
                "--type",
                "16",
                "--consultation",
                "consultation.json",
                "--rectificatif",
                "initial.xml",
                "-o",
                "rien.xml",
            ],
            &commun,
        ),
    );
    erreur(&r, 4, "ARGUMENT_INVALIDE");
    assert!(!p.join("rien.xml").exists());
}
