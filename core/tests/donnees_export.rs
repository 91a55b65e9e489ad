//! Contracts register, DECP export and its stricter checks, XLSX and OCDS.
#![allow(clippy::unwrap_used)]

mod donnees_commun;

use donnees_commun::*;
use mpe::CodeErreur;
use mpe::donnees::*;

fn aujourdhui() -> chrono::NaiveDate {
    jour(2026, 1, 15)
}

#[test]
fn export_json_et_xml_valides_et_complets() {
    let (ac, ms) = accord_cadre_et_subsequent();
    let liste = vec![marche("2025-001"), concession("DSP-EAU-2024"), ac, ms];
    let json = exporter_decp_json(&liste, aujourdhui()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["marches"]["marche"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["marches"]["contrat-concession"].as_array().unwrap().len(),
        1
    );
    let m = &v["marches"]["marche"][0];
    assert_eq!(m["titulaires"][0]["titulaire"]["id"], "55204599900869");
    assert_eq!(m["modifications"][0]["modification"]["montant"], 275000.0);
    assert_eq!(
        m["modificationsActesSousTraitance"][0]["modificationActeSousTraitance"]["id"],
        1
    );
    assert_eq!(v["marches"]["marche"][2]["idAccordCadre"], "AC-2025-01");
    let xml = String::from_utf8(exporter_decp_xml(&liste, aujourdhui()).unwrap()).unwrap();
    assert!(xml.contains(
        "<objet>Réfection de la voirie &amp; des trottoirs &lt;rue Émile Zola&gt;</objet>"
    ));
    assert!(xml.contains("<modificationActesSousTraitance>"));
    assert!(xml.contains("<valeurGlobale>12000000</valeurGlobale>"));
}

fn anomalies(c: Contrat) -> Vec<Anomalie> {
    verifier_decp(&[c], aujourdhui())
}

fn a_anomalie(c: Contrat, champ: &str) {
    let a = anomalies(c.clone());
    assert!(
        a.iter()
            .any(|x| x.champ == champ && x.enregistrement == c.id),
        "{champ} attendu dans {a:?}"
    );
    let err = exporter_decp_json(std::slice::from_ref(&c), aujourdhui()).unwrap_err();
    assert_eq!(err.code(), CodeErreur::DecpInvalide);
    assert!(err.to_string().contains(&c.id), "{err}");
    let err = exporter_decp_xml(&[c], aujourdhui()).unwrap_err();
    assert_eq!(err.code(), CodeErreur::DecpInvalide);
}

#[test]
fn controles_plus_stricts_que_le_schema() {
    let mut c = marche("FUTUR");
    c.date_notification = Some(jour(2027, 1, 1));
    a_anomalie(c, "dateNotification");
    let mut c = marche("ANCIEN");
    c.date_publication_donnees = Some(jour(222, 4, 29));
    a_anomalie(c, "datePublicationDonnees");
    let mut c = marche("PUB-AVANT");
    c.date_publication_donnees = Some(jour(2025, 3, 1));
    a_anomalie(c, "datePublicationDonnees");
    let mut c = marche("LUHN");
    c.titulaires[0].id = "55204599900868".into();
    a_anomalie(c, "titulaires[0].id");
    let mut c = marche("COURT");
    c.titulaires[0].id = "123".into();
    a_anomalie(c, "titulaires[0].id");
    let mut c = marche("ACHETEUR");
    c.acheteur.id = "21350238800018".into();
    a_anomalie(c, "acheteur.id");
    let mut c = marche("ENORME");
    c.montant = Some(1e17);
    a_anomalie(c, "montant");
    let mut c = marche("NUL");
    c.montant = Some(0.5);
    a_anomalie(c, "montant");
    let mut c = marche("TAUX");
    c.taux_avance = Some(5.0);
    a_anomalie(c, "tauxAvance");
    let mut c = marche("CPV");
    c.code_cpv = Some("4523314".into());
    a_anomalie(c, "codeCPV");
    let mut c = marche("ENUM");
    c.procedure = "Procédure au hasard".into();
    a_anomalie(c, "procedure");
    let mut c = marche("IDENTIFIANT-TROP-LONG-POUR-DECP");
    c.objet = "x".into();
    a_anomalie(c, "id");
    let mut c = marche("DOUBLE");
    c.titulaires.push(c.titulaires[0].clone());
    a_anomalie(c, "titulaires[1]");
    let mut c = marche("MODIF");
    c.modifications.push(c.modifications[0].clone());
    a_anomalie(c, "modifications[1].id");
    let mut c = concession("CONC");
    c.date_debut_execution = None;
    a_anomalie(c, "dateDebutExecution");
    let mut c = concession("CONC2");
    c.procedure = "Appel d'offres ouvert".into();
    a_anomalie(c, "procedure");
}

#[test]
fn la_poste_et_tva() {
    let mut c = marche("POSTE");
    c.titulaires[0].id = "35600000049837".into();
    assert!(anomalies(c).is_empty());
    let mut c = marche("TVA");
    c.titulaires[0] = Titulaire {
        type_identifiant: TypeIdentifiant::Tva,
        id: "DE814864138".into(),
        ..Default::default()
    };
    assert!(anomalies(c).is_empty());
    let mut c = marche("TVA2");
    c.titulaires[0] = Titulaire {
        type_identifiant: TypeIdentifiant::Tva,
        id: "de8".into(),
        ..Default::default()
    };
    assert!(!anomalies(c).is_empty());
}

#[test]
fn coherence_accord_cadre() {
    let (ac, mut ms) = accord_cadre_et_subsequent();
    ms.id_accord_cadre = None;
    a_anomalie(ms, "idAccordCadre");
    let (mut ac2, ms) = accord_cadre_et_subsequent();
    ac2.type_contrat = TypeContrat::Marche;
    ac2.techniques = vec!["Sans objet".into()];
    let a = verifier_decp(&[ac2, ms.clone()], aujourdhui());
    assert!(
        a.iter()
            .any(|x| x.enregistrement == "MS-2025-01" && x.champ == "idAccordCadre"),
        "{a:?}"
    );
    let mut m = marche("SOI");
    m.type_contrat = TypeContrat::MarcheSubsequent;
    m.id_accord_cadre = Some("SOI".into());
    a_anomalie(m, "idAccordCadre");
    let mut m = marche("PAS-SUBS");
    m.id_accord_cadre = Some("AC-2025-01".into());
    a_anomalie(m, "idAccordCadre");
    assert!(verifier_decp(&[ac, ms], aujourdhui()).is_empty());
}

#[test]
fn registre_creation_filtres_et_etat() {
    let a = Attribution {
        numero: "2026-014".into(),
        reference_consultation: "AOO_2026_014".into(),
        objet: "Nettoyage des écoles".into(),
        acheteur: Acheteur {
            id: "21350238800019".into(),
            nom: None,
        },
        procedure: "Appel d'offres ouvert".into(),
        type_contrat: TypeContrat::AccordCadreMonoAttributaire,
        code_cpv: Some("90919300-5".into()),
        attributaires: vec![titulaire("55204599900869", "Propreté Plus")],
        montant: Some(80_000.0),
        ..Default::default()
    };
    let c = Contrat::depuis_attribution(a.clone()).unwrap();
    assert_eq!(c.statut, StatutContrat::ANotifier);
    assert_eq!(c.nature_prestations, Some(NaturePrestations::Services));
    assert_eq!(c.techniques, vec!["Accord-cadre"]);
    let mut sans = a.clone();
    sans.attributaires.clear();
    assert_eq!(
        Contrat::depuis_attribution(sans).unwrap_err().code(),
        CodeErreur::ContratIncoherent
    );
    let mut subs = a.clone();
    subs.type_contrat = TypeContrat::MarcheSubsequent;
    assert_eq!(
        Contrat::depuis_attribution(subs).unwrap_err().code(),
        CodeErreur::ContratIncoherent
    );
    let mut mono = a;
    mono.attributaires
        .push(titulaire("73282932000074", "Autre"));
    assert_eq!(
        Contrat::depuis_attribution(mono).unwrap_err().code(),
        CodeErreur::ContratIncoherent
    );

    let liste = vec![c, marche("2025-001"), concession("DSP-EAU-2024")];
    let f = |m: Option<&str>, t: Option<TypeContrat>, s: Option<StatutContrat>| {
        filtrer_contrats(
            &liste,
            &FiltreContrats {
                mots_cles: m.map(String::from),
                type_contrat: t,
                statut: s,
            },
        )
        .iter()
        .map(|c| c.id.clone())
        .collect::<Vec<_>>()
    };
    assert_eq!(f(Some("ecole"), None, None), vec!["2026-014"]);
    assert_eq!(f(Some("propreté"), None, None), vec!["2026-014"]);
    assert_eq!(f(Some("VOIRIE trottoir"), None, None), vec!["2025-001"]);
    assert_eq!(
        f(None, Some(TypeContrat::Concession), None),
        vec!["DSP-EAU-2024"]
    );
    assert_eq!(f(None, None, Some(StatutContrat::Notifie)).len(), 2);
    let e = liste[1].etat_actuel();
    assert_eq!(e.montant, Some(275_000.0));
    assert_eq!(e.duree_mois, Some(14));
    assert_eq!(e.date_fin, Some(jour(2026, 5, 14)));
}

#[test]
fn xlsx_liste() {
    let liste = vec![marche("2025-001"), concession("DSP-EAU-2024")];
    let x = exporter_xlsx(&liste).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(x)).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/sharedStrings.xml").unwrap(), &mut s).unwrap();
    assert!(s.contains("Délégation du service public de l'eau"));
    assert!(s.contains("Routes de l'Ouest"));
    assert!(s.contains("14/03/2025"));
}

#[test]
fn ocds_paquet() {
    let o = OptionsOcds {
        prefixe_ocid: "ocds-mpe001".into(),
        uri: "https://marches.example/ocds.json".into(),
        editeur: "Ville de Rennes".into(),
        publie_le: chrono::DateTime::parse_from_rfc3339("2026-01-15T10:00:00Z")
            .unwrap()
            .to_utc(),
    };
    let p: serde_json::Value = serde_json::from_slice(
        &exporter_ocds(&[marche("2025-001"), concession("DSP")], &o).unwrap(),
    )
    .unwrap();
    let r = &p["releases"][0];
    assert_eq!(r["ocid"], "ocds-mpe001-21350238800019-2025-001");
    assert_eq!(r["tender"]["items"][0]["classification"]["id"], "45233140");
    assert_eq!(r["contracts"][0]["value"]["amount"], 275000.0);
    assert_eq!(r["contracts"][0]["amendments"].as_array().unwrap().len(), 1);
    assert_eq!(
        r["awards"][0]["suppliers"][0]["id"],
        "FR-SIRET-55204599900869"
    );
    let mut mauvais = o.clone();
    mauvais.prefixe_ocid = "abc".into();
    assert_eq!(
        exporter_ocds(&[], &mauvais).unwrap_err().code(),
        CodeErreur::ArgumentInvalide
    );
}
