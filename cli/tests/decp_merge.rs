//! `mpe decp` (export, validate, import, search) and `mpe fusionner`: success and failure paths,
//! exit codes, and no output file left behind on failure.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Output;

use commun::{code, mpe};

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn donnees() -> PathBuf {
    racine().join("tests/vectors/donnees")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Nothing but the listed files in `dir` (no output, no temporary file).
#[track_caller]
fn seulement(dir: &Path, noms: &[&str]) {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    let mut attendu: Vec<String> = noms.iter().map(|s| s.to_string()).collect();
    attendu.sort();
    assert_eq!(v, attendu);
}

/// A valid marché of the register, as the platform stores it.
fn marche(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "categorie": "marche",
        "typeContrat": "marche",
        "acheteur": {"id": "21690123100011", "nom": "Ville de Villeurbanne"},
        "objet": "Réfection de la voirie & des trottoirs <rue Émile Zola>",
        "nature": "Marché",
        "naturePrestations": "travaux",
        "procedure": "Appel d'offres ouvert",
        "codeCpv": "45233140-2",
        "ccag": "Travaux",
        "offresRecues": 3,
        "marcheInnovant": false,
        "attributionAvance": false,
        "tauxAvance": 0.0,
        "typeGroupementOperateurs": "Pas de groupement",
        "lieuExecution": {"code": "69100", "typeCode": "Code postal"},
        "titulaires": [{"typeIdentifiant": "SIRET", "id": "44238104200005", "raisonSociale": "Isolation du Rhône SAS"}],
        "montant": 498700.0,
        "dateNotification": "2026-03-05",
        "datePublicationDonnees": "2026-03-08",
        "dureeMois": 8,
        "formePrix": "Forfaitaire",
        "typesPrix": ["Définitif ferme"],
        "sousTraitanceDeclaree": false,
        "statut": "notifie",
        "provenances": ["profilAcheteur"]
    })
}

#[test]
fn decp_export_json_and_xml() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let liste = serde_json::json!([marche("2026-001"), marche("2026-002")]);
    std::fs::write(p.join("contrats.json"), liste.to_string()).unwrap();
    let o = mpe(
        p,
        &[
            "decp",
            "exporter",
            "contrats.json",
            "-o",
            "decp.json",
            "--aujourd-hui",
            "2026-06-01",
        ],
    );
    code(&o, 0);
    assert!(stdout(&o).contains("2 marché(s)"));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("decp.json")).unwrap()).unwrap();
    assert_eq!(v["marches"]["marche"].as_array().unwrap().len(), 2);
    // The object form, XML by extension, JSON result.
    let objet = serde_json::json!({"contrats": [marche("2026-003")]});
    std::fs::write(p.join("objet.json"), objet.to_string()).unwrap();
    let o = mpe(
        p,
        &[
            "decp",
            "exporter",
            "objet.json",
            "-o",
            "decp.XML",
            "--aujourd-hui",
            "2026-06-01",
            "--json",
        ],
    );
    code(&o, 0);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["format"], "xml");
    let xml = std::fs::read_to_string(p.join("decp.XML")).unwrap();
    assert!(xml.contains("<id>2026-003</id>"));
    assert!(xml.contains("&amp; des trottoirs &lt;rue"));
}

#[test]
fn decp_export_failures_leave_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // A wrong SIRET and a notification in the future: refused whole, each error named.
    let mut m = marche("2026-001");
    m["titulaires"][0]["id"] = "44238104200006".into();
    m["dateNotification"] = "2026-12-31".into();
    std::fs::write(
        p.join("contrats.json"),
        serde_json::json!([marche("2026-000"), m]).to_string(),
    )
    .unwrap();
    let o = mpe(
        p,
        &[
            "decp",
            "exporter",
            "contrats.json",
            "-o",
            "decp.json",
            "--aujourd-hui",
            "2026-06-01",
        ],
    );
    code(&o, 10);
    assert!(stderr(&o).contains("DECP_INVALIDE (700)"));
    let out = stdout(&o);
    assert!(
        out.contains("enregistrement 2 (2026-001) · titulaires[0].id"),
        "{out}"
    );
    assert!(out.contains("dateNotification"), "{out}");
    seulement(p, &["contrats.json"]);
    // Bad extension (usage of the input), bad JSON, missing file.
    code(
        &mpe(p, &["decp", "exporter", "contrats.json", "-o", "decp.csv"]),
        4,
    );
    std::fs::write(p.join("x.json"), "{\"marches\": 3}").unwrap();
    let o = mpe(p, &["decp", "exporter", "x.json", "-o", "decp.json"]);
    code(&o, 4);
    assert!(stderr(&o).contains("JSON_INVALIDE"));
    code(
        &mpe(p, &["decp", "exporter", "absent.json", "-o", "d.json"]),
        4,
    );
    seulement(p, &["contrats.json", "x.json"]);
    // Missing -o: usage.
    code(&mpe(p, &["decp", "exporter", "contrats.json"]), 3);
}

#[test]
fn decp_validate_register_and_published_files() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(
        p.join("ok.json"),
        serde_json::json!([marche("A1")]).to_string(),
    )
    .unwrap();
    let o = mpe(
        p,
        &["decp", "valider", "ok.json", "--aujourd-hui", "2026-06-01"],
    );
    code(&o, 0);
    assert!(stdout(&o).contains("valide (1 enregistrement(s))"));
    // Each error with its record and field; exit 10 and the 7xx code.
    let mut m = marche("A2");
    m["montant"] = serde_json::json!(1e17);
    m["acheteur"]["id"] = "21690123100012".into();
    std::fs::write(
        p.join("ko.json"),
        serde_json::json!({"contrats": [marche("A1"), m]}).to_string(),
    )
    .unwrap();
    let o = mpe(
        p,
        &[
            "decp",
            "valider",
            "ko.json",
            "--aujourd-hui",
            "2026-06-01",
            "--json",
        ],
    );
    code(&o, 10);
    assert!(stderr(&o).contains("DECP_INVALIDE (700)"));
    let erreurs: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let champs: Vec<(u64, &str)> = erreurs
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["enregistrement"].as_u64().unwrap(),
                e["champ"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(champs.contains(&(2, "montant")), "{champs:?}");
    assert!(champs.contains(&(2, "acheteur.id")), "{champs:?}");
    assert!(champs.iter().all(|(n, _)| *n == 2));
    // A published DECP file with the defects of real data: each one reported.
    let o = mpe(
        p,
        &[
            "decp",
            "valider",
            donnees().join("sale-2019.json").to_str().unwrap(),
            "--aujourd-hui",
            "2026-01-10",
        ],
    );
    code(&o, 10);
    let out = stdout(&o);
    assert!(out.contains("montant aberrant 1e17"), "{out}");
    assert!(out.contains("rejeté"), "{out}");
    // Stricter than the schema: the official XML example itself carries a subcontractor
    // SIRET of 6 digits.
    let o = mpe(
        p,
        &[
            "decp",
            "valider",
            donnees()
                .join("decp-v2/exemples/xml/Marche.xml")
                .to_str()
                .unwrap(),
            "--aujourd-hui",
            "2026-01-10",
        ],
    );
    code(&o, 10);
    assert!(stdout(&o).contains("actesSousTraitance[0].sousTraitant.id"));
    // Our own export, read back as a published file, passes.
    for sortie in ["decp.json", "decp.xml"] {
        code(
            &mpe(
                p,
                &[
                    "decp",
                    "exporter",
                    "ok.json",
                    "-o",
                    sortie,
                    "--aujourd-hui",
                    "2026-06-01",
                ],
            ),
            0,
        );
        let o = mpe(
            p,
            &["decp", "valider", sortie, "--aujourd-hui", "2026-06-01"],
        );
        code(&o, 0);
    }
    // Neither JSON nor XML: the format code.
    std::fs::write(p.join("n.txt"), "bonjour").unwrap();
    let o = mpe(p, &["decp", "valider", "n.txt"]);
    code(&o, 10);
    assert!(stderr(&o).contains("DECP_FORMAT_INCONNU (701)"));
    code(&mpe(p, &["decp", "valider", "absent.json"]), 4);
}

#[test]
fn decp_import_then_search() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let v = donnees();
    let sale19 = v.join("sale-2019.json");
    let sale22 = v.join("sale-2022.xml");
    let o = mpe(
        p,
        &[
            "decp",
            "importer",
            sale19.to_str().unwrap(),
            sale22.to_str().unwrap(),
            "--rapport",
            "rapport.json",
            "-o",
            "marches.mpedecp",
            "--aujourd-hui",
            "2026-01-10",
        ],
    );
    code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("importé(s)") && out.contains("réparé(s)") && out.contains("rejeté(s)"));
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("rapport.json")).unwrap()).unwrap();
    let (importes, repares, rejetes) = (
        r["importes"].as_u64().unwrap(),
        r["repares"].as_u64().unwrap(),
        r["rejetes"].as_u64().unwrap(),
    );
    assert!(importes > 0 && repares > 0 && rejetes > 0, "{r}");
    assert!(out.contains(&format!(
        "{importes} importé(s), dont {repares} réparé(s), {rejetes} rejeté(s)"
    )));
    assert_eq!(r["fichiers"].as_array().unwrap().len(), 2);
    // Every rejection has its reason in the report.
    let rejets: Vec<&serde_json::Value> = r["fichiers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["entrees"].as_array().unwrap())
        .filter(|e| e["action"] == "rejet")
        .collect();
    assert_eq!(rejets.len() as u64, rejetes);
    assert!(
        rejets
            .iter()
            .all(|e| !e["detail"].as_str().unwrap().is_empty())
    );

    // Search: the whole store, then criteria, in French and in JSON.
    let o = mpe(p, &["decp", "chercher", "marches.mpedecp", "--json"]);
    code(&o, 0);
    let tout: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let total = tout["total"].as_u64().unwrap();
    assert!(total > 0);
    let o = mpe(
        p,
        &[
            "decp",
            "chercher",
            "marches.mpedecp",
            "--mots",
            "ESPACES verts",
        ],
    );
    code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("1 contrat(s) trouvé(s)"), "{out}");
    assert!(out.contains("Entretien des espaces verts"), "{out}");
    assert!(out.contains("publié sur data.gouv.fr"));
    assert!(out.contains(&mpe::format::montant(3_600_000)), "{out}");
    let o = mpe(
        p,
        &[
            "decp",
            "chercher",
            "marches.mpedecp",
            "--acheteur",
            "Rennes",
            "--montant-min",
            "40000",
            "--tri",
            "montant-asc",
            "--json",
        ],
    );
    code(&o, 0);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let montants: Vec<f64> = r["fiches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["montant"].as_f64().unwrap())
        .collect();
    assert!(!montants.is_empty());
    assert!(montants.iter().all(|m| *m >= 40000.0));
    assert!(montants.windows(2).all(|w| w[0] <= w[1]), "{montants:?}");
    // Paging: one per page.
    let o = mpe(
        p,
        &[
            "decp",
            "chercher",
            "marches.mpedecp",
            "--par-page",
            "1",
            "--page",
            "2",
            "--json",
        ],
    );
    code(&o, 0);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["fiches"].as_array().unwrap().len(), 1);
    assert_eq!(r["total"].as_u64().unwrap(), total);
    let o = mpe(
        p,
        &[
            "decp",
            "chercher",
            "marches.mpedecp",
            "--notifie-depuis",
            "2022-01-01",
            "--notifie-jusqu-a",
            "2022-12-31",
            "--json",
        ],
    );
    code(&o, 0);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for f in r["fiches"].as_array().unwrap() {
        assert!(f["dateNotification"].as_str().unwrap().starts_with("2022-"));
    }
    // Adding the official examples to the same store.
    let o = mpe(
        p,
        &[
            "decp",
            "importer",
            v.join("decp-v2/exemples/json/marches_concessions.json")
                .to_str()
                .unwrap(),
            "--ajouter",
            "--rapport",
            "rapport2.json",
            "-o",
            "marches.mpedecp",
            "--aujourd-hui",
            "2026-01-10",
            "--json",
        ],
    );
    code(&o, 0);
    let c: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(c["contratsDansEntrepot"].as_u64().unwrap() > total);
    // Usage errors: page 0, unknown nature.
    code(
        &mpe(p, &["decp", "chercher", "marches.mpedecp", "--page", "0"]),
        3,
    );
    code(
        &mpe(p, &["decp", "chercher", "marches.mpedecp", "--nature", "x"]),
        3,
    );
}

#[test]
fn decp_import_and_search_failures_leave_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("n.txt"), "ni JSON ni XML").unwrap();
    // A good file then a bad one: nothing is written at all.
    let o = mpe(
        p,
        &[
            "decp",
            "importer",
            donnees().join("sale-2019.json").to_str().unwrap(),
            "n.txt",
            "--rapport",
            "r.json",
            "-o",
            "s.mpedecp",
        ],
    );
    code(&o, 10);
    assert!(stderr(&o).contains("DECP_FORMAT_INCONNU"));
    assert!(stderr(&o).contains("n.txt"));
    seulement(p, &["n.txt"]);
    // Missing input file, missing --report.
    code(
        &mpe(
            p,
            &[
                "decp",
                "importer",
                "absent.json",
                "--rapport",
                "r.json",
                "-o",
                "s",
            ],
        ),
        4,
    );
    code(&mpe(p, &["decp", "importer", "n.txt", "-o", "s"]), 3);
    seulement(p, &["n.txt"]);
    // Not a store.
    let o = mpe(p, &["decp", "chercher", "n.txt"]);
    code(&o, 10);
    assert!(stderr(&o).contains("ENTREPOT_INVALIDE (703)"));
    code(&mpe(p, &["decp", "chercher", "absent.mpedecp"]), 4);
}

fn modele_not13() -> PathBuf {
    racine().join("core/src/documents/templates/NOT13.docx")
}

#[test]
fn merge_and_list_fields() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let modele = modele_not13();
    let m = modele.to_str().unwrap();
    // The fields, as a table and in JSON.
    let o = mpe(p, &["fusionner", "--lister-champs", m]);
    code(&o, 0);
    assert!(
        stdout(&o).contains("consultation.reference"),
        "{}",
        stdout(&o)
    );
    let o = mpe(p, &["fusionner", "--lister-champs", m, "--json"]);
    code(&o, 0);
    let champs: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        champs
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["nom"] == "consultation.reference")
    );
    // A merge with the form's own data.
    let donnees = mpe::documents::formulaires::donnees_formulaire(
        "NOT13",
        &mpe::documents::DonneesProcedure::exemple(),
    )
    .unwrap();
    std::fs::write(p.join("donnees.json"), donnees.to_string()).unwrap();
    let o = mpe(p, &["fusionner", m, "donnees.json", "-o", "not13.docx"]);
    code(&o, 0);
    let texte =
        mpe::documents::texte_document(&std::fs::read(p.join("not13.docx")).unwrap()).unwrap();
    let reference = donnees["consultation"]["reference"].as_str().unwrap();
    assert!(texte.contains(reference), "{texte}");
    assert!(!texte.contains("{{"));
    // Missing data: strict by default (exit 9, nothing written), empty with --non-strict.
    std::fs::write(p.join("vide.json"), "{}").unwrap();
    let o = mpe(p, &["fusionner", m, "vide.json", "-o", "vide.docx"]);
    code(&o, 9);
    assert!(stderr(&o).contains("DONNEES_MANQUANTES (601)"));
    assert!(stderr(&o).contains("consultation.reference"));
    assert!(!p.join("vide.docx").exists());
    let o = mpe(
        p,
        &[
            "fusionner",
            m,
            "vide.json",
            "-o",
            "vide.docx",
            "--non-strict",
            "--json",
        ],
    );
    code(&o, 0);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(r["octets"].as_u64().unwrap() > 1000);
    assert!(p.join("vide.docx").exists());
}

#[test]
fn merge_failures_leave_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let m = modele_not13();
    let m = m.to_str().unwrap();
    std::fs::write(p.join("liste.json"), "[1, 2]").unwrap();
    std::fs::write(p.join("casse.json"), "{\"a\": ").unwrap();
    std::fs::write(p.join("pas-un-docx.docx"), "texte").unwrap();
    std::fs::write(p.join("d.json"), "{}").unwrap();
    let o = mpe(p, &["fusionner", m, "liste.json", "-o", "o.docx"]);
    code(&o, 4);
    assert!(stderr(&o).contains("JSON_INVALIDE"));
    code(&mpe(p, &["fusionner", m, "casse.json", "-o", "o.docx"]), 4);
    let o = mpe(
        p,
        &["fusionner", "pas-un-docx.docx", "d.json", "-o", "o.docx"],
    );
    code(&o, 9);
    code(
        &mpe(p, &["fusionner", "--lister-champs", "pas-un-docx.docx"]),
        9,
    );
    code(
        &mpe(p, &["fusionner", "absent.docx", "d.json", "-o", "o.docx"]),
        4,
    );
    // Usage: no output, or data given with --list-fields.
    code(&mpe(p, &["fusionner", m, "d.json"]), 3);
    code(&mpe(p, &["fusionner", "--lister-champs", m, "d.json"]), 3);
    seulement(
        p,
        &["liste.json", "casse.json", "pas-un-docx.docx", "d.json"],
    );
}

#[test]
fn help_is_in_french_with_examples() {
    let d = tempfile::tempdir().unwrap();
    for args in [
        &["decp", "exporter", "--help"][..],
        &["decp", "valider", "--help"],
        &["decp", "importer", "--help"],
        &["decp", "chercher", "--help"],
        &["fusionner", "--help"],
    ] {
        let o = mpe(d.path(), args);
        code(&o, 0);
        assert!(stdout(&o).contains("Exemples :"), "{args:?}");
    }
}
