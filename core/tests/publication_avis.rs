//! The contract notice (subtype 16) written from the example consultation, mpe's pre-check
//! (one finding per business term, with the field to fill), and the mapping table as the
//! documentation prints it. The SDK's XSD and Schematron check the same notices in
//! `tests/interop/test_eforms_mpe.py`.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mpe::ErrorCode;
use mpe::model::{Consultation, Organisation, TypeAcheteur, TypeProcedure};
use mpe::publication::{
    ConstatAvis, CritereAttribution, DonneesAvis, TypeCritere, correspondance, generer_avis_marche,
    lire_avis, verifier_avis,
};
use mpe::rules::Gravite;

fn entrees() -> (Consultation, Organisation, DonneesAvis) {
    let c = Consultation::from_json(include_str!("../../examples/data/consultation.json")).unwrap();
    let o = serde_json::from_str(include_str!("../../examples/data/organisation.json")).unwrap();
    let d = serde_json::from_str(include_str!(
        "../../tests/vectors/publication/donnees_avis.json"
    ))
    .unwrap();
    (c, o, d)
}

fn maintenant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap()
}

fn erreurs(k: &[ConstatAvis]) -> Vec<&ConstatAvis> {
    k.iter().filter(|c| c.gravite == Gravite::Erreur).collect()
}

fn trouve<'a>(k: &'a [ConstatAvis], code: ErrorCode, bt: &str, champ: &str) -> &'a ConstatAvis {
    k.iter()
        .find(|c| c.code == code && c.bt == bt && c.champ == champ)
        .unwrap_or_else(|| panic!("pas de constat {code} {bt} {champ} dans {k:#?}"))
}

#[test]
fn avis_de_la_consultation_exemple() {
    let (c, o, d) = entrees();
    assert!(erreurs(&verifier_avis(&c, &o, &d, maintenant())).is_empty());
    let avis = generer_avis_marche(&c, &o, &d, maintenant()).unwrap();
    assert_eq!(avis.sous_type, "16");
    assert!(avis.avertissements.is_empty(), "{:?}", avis.avertissements);
    let x = &avis.xml;
    assert!(x.contains("<cbc:SubTypeCode listName=\"notice-subtype\">16</cbc:SubTypeCode>"));
    assert!(x.contains("<cbc:CustomizationID>eforms-sdk-1.15</cbc:CustomizationID>"));
    // BT-05 and BT-131 in Europe/Paris with the offset (winter time, +01:00).
    assert!(x.contains("<cbc:IssueDate>2026-11-03+01:00</cbc:IssueDate>"));
    assert!(x.contains("<cbc:IssueTime>10:00:00+01:00</cbc:IssueTime>"));
    assert_eq!(
        x.matches("<cbc:EndDate>2026-12-15+01:00</cbc:EndDate>")
            .count(),
        3
    );
    assert_eq!(
        x.matches("<cbc:EndTime>12:00:00+01:00</cbc:EndTime>")
            .count(),
        3
    );
    // CPV without check digit, NUTS from "(69) Rhône", restricted documents (access code).
    assert!(x.contains(">45454000</cbc:ItemClassificationCode>"));
    assert!(x.contains(">FRK26</cbc:CountrySubentityCode>"));
    assert!(x.contains("<cbc:DocumentType>restricted-document</cbc:DocumentType>"));
    assert!(x.contains(
        "<cbc:ProcedureCode listName=\"procurement-procedure-type\">open</cbc:ProcedureCode>"
    ));
    assert!(x.contains("<cbc:PartyTypeCode listName=\"buyer-legal-type\">la</cbc:PartyTypeCode>"));
    assert!(x.contains("<cbc:MaximumLotsSubmittedNumeric>3</cbc:MaximumLotsSubmittedNumeric>"));
    assert_eq!(
        x.matches("<efbc:ParameterNumeric>60</efbc:ParameterNumeric>")
            .count(),
        3
    );
    for lot in ["LOT-0001", "LOT-0002", "LOT-0003"] {
        assert!(x.contains(&format!("<cbc:ID schemeName=\"Lot\">{lot}</cbc:ID>")));
    }
    // Deterministic: same inputs, same bytes (identifiers derived from the consultation id).
    assert_eq!(
        generer_avis_marche(&c, &o, &d, maintenant()).unwrap().xml,
        avis.xml
    );
    assert_ne!(avis.identifiant, avis.identifiant_procedure);
}

#[test]
fn avis_relu() {
    let (c, o, d) = entrees();
    let avis = generer_avis_marche(&c, &o, &d, maintenant()).unwrap();
    let r = lire_avis(&avis.xml).unwrap();
    assert_eq!(r.racine, "ContractNotice");
    assert_eq!(r.sous_type, "16");
    assert_eq!(r.type_avis, "cn-standard");
    assert_eq!(r.identifiant, avis.identifiant);
    assert_eq!(r.titre, c.identification.intitule);
    assert_eq!(r.description, c.identification.objet);
    assert_eq!(r.procedure, "open");
    assert_eq!(r.cpv_principal, "45454000");
    assert_eq!(r.cpv_secondaires, vec!["45214200"]);
    assert_eq!(r.acheteurs, vec!["Ville de Villeurbanne"]);
    assert_eq!(r.date_envoi.unwrap(), maintenant());
    assert_eq!(r.lots.len(), 3);
    let dlro = c.calendrier.dlro_instant().unwrap();
    for (lot, l) in r.lots.iter().zip(&c.lots) {
        assert_eq!(lot.genre, "Lot");
        assert_eq!(lot.titre, l.intitule);
        assert_eq!(lot.cpv_principal, l.cpv.principal[..8]);
        assert_eq!(lot.nuts, vec!["FRK26"]);
        assert_eq!(lot.date_limite.unwrap(), dlro);
    }
}

#[test]
fn sans_lots_et_heure_d_ete() {
    let (mut c, o, d) = entrees();
    c.identification.allotie = false;
    c.lots.clear();
    c.calendrier.dlro = NaiveDate::from_ymd_opt(2027, 6, 30)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let avis = generer_avis_marche(&c, &o, &d, maintenant()).unwrap();
    assert!(
        avis.xml
            .contains("<cbc:ID schemeName=\"Lot\">LOT-0000</cbc:ID>")
    );
    assert!(
        avis.xml
            .contains("<cbc:EndTime>12:00:00+02:00</cbc:EndTime>")
    );
    assert!(!avis.xml.contains("LotDistribution"));
    let r = lire_avis(&avis.xml).unwrap();
    assert_eq!(r.lots.len(), 1);
    assert_eq!(r.lots[0].titre, c.identification.intitule);
    assert_eq!(r.lots[0].description, c.identification.objet);
}

#[test]
fn precontrole_nomme_les_champs_a_remplir() {
    let (c, o, _) = entrees();
    let k = verifier_avis(&c, &o, &DonneesAvis::default(), maintenant());
    for (bt, champ) in [
        ("BT-513-Organization-Company", "$.donnees.acheteur.ville"),
        (
            "BT-512-Organization-Company",
            "$.donnees.acheteur.code_postal",
        ),
        ("BT-507-Organization-Company", "$.donnees.acheteur.nuts"),
        ("BT-506-Organization-Company", "$.donnees.acheteur.email"),
        (
            "BT-500-Organization-Company",
            "$.donnees.instance_recours.nom",
        ),
        ("BT-15-Lot", "$.donnees.url_documents"),
        ("BT-18-Lot", "$.donnees.url_depot"),
    ] {
        let f = trouve(&k, ErrorCode::TermeManquant, bt, champ);
        assert_eq!(f.gravite, Gravite::Erreur);
    }
    // Criteria missing: a warning per lot (they may be in the RC).
    assert_eq!(
        k.iter()
            .filter(|f| f.bt == "BT-539-Lot" && f.gravite == Gravite::Avertissement)
            .count(),
        3
    );
    // Errors first.
    let rang = |g: Gravite| k.iter().position(|f| f.gravite == g);
    assert!(rang(Gravite::Erreur) < rang(Gravite::Avertissement));
    let e = generer_avis_marche(&c, &o, &DonneesAvis::default(), maintenant()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AvisIncomplet);
    assert!(e.message().contains("BT-513-Organization-Company"));
    assert!(e.path().is_some());
}

#[test]
fn precontrole_lots_et_consultation() {
    let (mut c, o, d) = entrees();
    c.lots[1].description.clear();
    c.lots[2].cpv.principal = "45331000-7".into();
    c.identification.intitule = " ".into();
    let k = verifier_avis(&c, &o, &d, maintenant());
    trouve(
        &k,
        ErrorCode::TermeManquant,
        "BT-24-Lot",
        "$.consultation.lots[1].description",
    );
    trouve(
        &k,
        ErrorCode::TermeManquant,
        "BT-21-Procedure",
        "$.consultation.identification.intitule",
    );
    trouve(
        &k,
        ErrorCode::TermeInvalide,
        "BT-262-Lot",
        "$.consultation.lots[2].cpv.principal",
    );

    let (mut c, o, d) = entrees();
    c.identification.allotie = true;
    c.lots.clear();
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::TermeManquant,
        "BT-137-Lot",
        "$.consultation.lots",
    );

    let (mut c, o, d) = entrees();
    c.identification.lieux_execution[0].libelle = "(99) Atlantide".into();
    c.identification.lieux_execution[0].code = "99".into();
    let k = verifier_avis(&c, &o, &d, maintenant());
    trouve(
        &k,
        ErrorCode::TermeManquant,
        "BT-5071-Procedure",
        "$.consultation.identification.lieux_execution",
    );
    trouve(
        &k,
        ErrorCode::TermeInvalide,
        "BT-5071-Procedure",
        "$.consultation.identification.lieux_execution[0]",
    );
    // The host may give the NUTS code itself.
    let mut d2 = d.clone();
    d2.nuts_execution = "FRK26".into();
    assert!(erreurs(&verifier_avis(&c, &o, &d2, maintenant())).is_empty());
    d2.nuts_execution = "FRK99".into();
    trouve(
        &verifier_avis(&c, &o, &d2, maintenant()),
        ErrorCode::TermeInvalide,
        "BT-5071-Procedure",
        "$.donnees.nuts_execution",
    );
}

#[test]
fn precontrole_procedures_non_prises_en_charge() {
    let (mut c, mut o, d) = entrees();
    c.identification.procedure = TypeProcedure::ProcedureAdapteeOuverte;
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::AvisNonPrisEnCharge,
        "BT-105-Procedure",
        "$.consultation.identification.procedure",
    );
    c.identification.procedure = TypeProcedure::AppelOffresRestreint;
    assert!(erreurs(&verifier_avis(&c, &o, &d, maintenant())).is_empty());
    o.entite.type_acheteur = TypeAcheteur::EntiteAdjudicatrice;
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::AvisNonPrisEnCharge,
        "BT-01-notice",
        "$.organisation.entite.type_acheteur",
    );
    let (mut c, o, d) = entrees();
    c.modalites.reponse_electronique = mpe::model::ReponseElectronique::Refusee;
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::AvisNonPrisEnCharge,
        "BT-19-Lot",
        "$.consultation.modalites.reponse_electronique",
    );
}

#[test]
fn precontrole_formes() {
    let (c, mut o, mut d) = entrees();
    d.acheteur.email = "commande publique@villeurbanne".into();
    d.acheteur.telephone = "04 78 XX".into();
    d.acheteur.nuts = "FRZ99".into();
    d.acheteur.pays = "FR".into();
    d.instance_recours.coordonnees.email = "greffe@".into();
    d.url_documents = "marches.example.fr".into();
    d.identifiant_avis = "F42BE27E-09CF-4F0E-A745-63EC689631E6".into();
    d.langue = "fr".into();
    d.version = 100;
    o.entite.siret = "21690123100012".into();
    let k = verifier_avis(&c, &o, &d, maintenant());
    for (bt, champ) in [
        ("BT-506-Organization-Company", "$.donnees.acheteur.email"),
        (
            "BT-503-Organization-Company",
            "$.donnees.acheteur.telephone",
        ),
        ("BT-514-Organization-Company", "$.donnees.acheteur.pays"),
        (
            "BT-506-Organization-Company",
            "$.donnees.instance_recours.coordonnees.email",
        ),
        ("BT-15-Lot", "$.donnees.url_documents"),
        ("BT-701-notice", "$.donnees.identifiant_avis"),
        ("BT-702(a)-notice", "$.donnees.langue"),
        ("BT-757-notice", "$.donnees.version"),
        ("BT-501-Organization-Company", "$.organisation.entite.siret"),
    ] {
        trouve(&k, ErrorCode::TermeInvalide, bt, champ);
    }
    // A foreign buyer's NUTS code is not checked against the French list.
    assert!(!k.iter().any(|f| f.champ == "$.donnees.acheteur.nuts"));
    d.acheteur.pays = "FRA".into();
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::TermeInvalide,
        "BT-507-Organization-Company",
        "$.donnees.acheteur.nuts",
    );
}

#[test]
fn precontrole_dates_et_criteres() {
    let (mut c, o, mut d) = entrees();
    // Sent after the deadline.
    let tard = Utc.with_ymd_and_hms(2026, 12, 15, 11, 0, 0).unwrap();
    trouve(
        &verifier_avis(&c, &o, &d, tard),
        ErrorCode::TermeInvalide,
        "BT-131-Lot",
        "$.consultation.calendrier.dlro",
    );
    // A time that does not exist in Paris (spring gap).
    c.calendrier.dlro = NaiveDate::from_ymd_opt(2027, 3, 28)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::TermeInvalide,
        "BT-131-Lot",
        "$.consultation.calendrier.dlro",
    );
    let (c, o, _) = entrees();
    d.criteres[0].ponderation = 70;
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::TermeInvalide,
        "BT-541-Lot-WeightNumber",
        "$.donnees.criteres",
    );
    d.criteres[0].ponderation = 60;
    // Criteria of one lot replace the common ones for that lot.
    d.criteres.push(CritereAttribution {
        type_critere: TypeCritere::Prix,
        libelle: "Prix".into(),
        ponderation: 100,
        lot: Some(3),
    });
    let avis = generer_avis_marche(&c, &o, &d, maintenant()).unwrap();
    assert_eq!(
        avis.xml
            .matches("<efbc:ParameterNumeric>100</efbc:ParameterNumeric>")
            .count(),
        1
    );
    assert_eq!(
        avis.xml
            .matches("<efbc:ParameterNumeric>60</efbc:ParameterNumeric>")
            .count(),
        2
    );
    d.criteres.push(CritereAttribution {
        type_critere: TypeCritere::Prix,
        libelle: "Prix".into(),
        ponderation: 100,
        lot: Some(9),
    });
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        ErrorCode::TermeInvalide,
        "BT-539-Lot",
        "$.donnees.criteres[3].lot",
    );
}

#[test]
fn texte_echappe() {
    let (mut c, o, d) = entrees();
    c.identification.intitule = "Travaux <urgents> & \"divers\"".into();
    let avis = generer_avis_marche(&c, &o, &d, maintenant()).unwrap();
    assert!(
        avis.xml
            .contains("Travaux &lt;urgents&gt; &amp; &quot;divers&quot;")
    );
    assert_eq!(
        lire_avis(&avis.xml).unwrap().titre,
        c.identification.intitule
    );
}

#[test]
fn table_documentee() {
    // docs/publication.md prints the mapping; regenerate with MPE_UPDATE_DOCS=1.
    let chemin = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/publication.md");
    let doc = std::fs::read_to_string(chemin).unwrap();
    let (debut, fin) = ("<!-- table:debut -->\n", "<!-- table:fin -->");
    let i = doc.find(debut).expect("marque de début") + debut.len();
    let j = doc.find(fin).expect("marque de fin");
    let table = correspondance::table_markdown();
    if std::env::var_os("MPE_UPDATE_DOCS").is_some() {
        std::fs::write(chemin, format!("{}{table}{}", &doc[..i], &doc[j..])).unwrap();
        return;
    }
    assert_eq!(
        &doc[i..j],
        table,
        "docs/publication.md : MPE_UPDATE_DOCS=1 cargo test -p mpe --test publication_avis table"
    );
    // Each business term is at most once per part of the notice.
    let mut vus = std::collections::HashSet::new();
    for c in correspondance::TABLE {
        assert!(
            vus.insert(format!("{} {:?}", c.bt, c.portee)),
            "{} en double",
            c.bt
        );
    }
}
