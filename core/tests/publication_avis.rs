//! The contract notice (subtype 16) written from the example consultation, the result
//! notice (subtype 29) written from the shared procedure scenario, mpe's pre-check of both
//! (one finding per business term, with the field to fill), and the mapping table as the
//! documentation prints it. The SDK's XSD and Schematron check the same notices in
//! `tests/interop/test_eforms_mpe.py` (16) and `tests/interop/test_eforms.py` (29).

mod publication_commun;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use mpe::CodeErreur;
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

fn trouve<'a>(k: &'a [ConstatAvis], code: CodeErreur, bt: &str, champ: &str) -> &'a ConstatAvis {
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
        let f = trouve(&k, CodeErreur::TermeManquant, bt, champ);
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
    assert_eq!(e.code(), CodeErreur::AvisIncomplet);
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
        CodeErreur::TermeManquant,
        "BT-24-Lot",
        "$.consultation.lots[1].description",
    );
    trouve(
        &k,
        CodeErreur::TermeManquant,
        "BT-21-Procedure",
        "$.consultation.identification.intitule",
    );
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-262-Lot",
        "$.consultation.lots[2].cpv.principal",
    );

    let (mut c, o, d) = entrees();
    c.identification.allotie = true;
    c.lots.clear();
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        CodeErreur::TermeManquant,
        "BT-137-Lot",
        "$.consultation.lots",
    );

    let (mut c, o, d) = entrees();
    c.identification.lieux_execution[0].libelle = "(99) Atlantide".into();
    c.identification.lieux_execution[0].code = "99".into();
    let k = verifier_avis(&c, &o, &d, maintenant());
    trouve(
        &k,
        CodeErreur::TermeManquant,
        "BT-5071-Procedure",
        "$.consultation.identification.lieux_execution",
    );
    trouve(
        &k,
        CodeErreur::TermeInvalide,
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
        CodeErreur::TermeInvalide,
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
        CodeErreur::AvisNonPrisEnCharge,
        "BT-105-Procedure",
        "$.consultation.identification.procedure",
    );
    // Subtype 16 in two phases needs BT-50: missing, then below the directive's floor (5 in
    // a restricted procedure), then written in each lot.
    c.identification.procedure = TypeProcedure::AppelOffresRestreint;
    let champ = "$.consultation.modalites.nombre_minimal_candidats";
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        CodeErreur::TermeManquant,
        "BT-50-Lot",
        champ,
    );
    c.modalites.nombre_minimal_candidats = Some(3);
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        CodeErreur::TermeInvalide,
        "BT-50-Lot",
        champ,
    );
    c.modalites.nombre_minimal_candidats = Some(5);
    assert!(erreurs(&verifier_avis(&c, &o, &d, maintenant())).is_empty());
    let restreinte = generer_avis_marche(&c, &o, &d, maintenant()).unwrap();
    assert_eq!(
        restreinte
            .xml
            .matches("<cbc:MinimumQuantity>5</cbc:MinimumQuantity>")
            .count(),
        c.lots.len()
    );
    c.modalites.nombre_minimal_candidats = None;
    // An entité adjudicatrice writes subtype 17, whose sector (BT-610) has no default.
    o.entite.type_acheteur = TypeAcheteur::EntiteAdjudicatrice;
    let constats = verifier_avis(&c, &o, &d, maintenant());
    assert!(
        !constats.iter().any(|k| k.bt == "BT-50-Lot"),
        "{constats:?}"
    );
    trouve(
        &constats,
        CodeErreur::TermeManquant,
        "BT-610-Procedure-Buyer",
        "$.donnees.activite",
    );
    let mut d17 = d.clone();
    d17.activite = "water".into();
    assert!(erreurs(&verifier_avis(&c, &o, &d17, maintenant())).is_empty());
    let avis = mpe::publication::generer_avis_marche(&c, &o, &d17, maintenant()).unwrap();
    assert_eq!(avis.sous_type, "17");
    assert!(
        avis.xml
            .contains("<cac:ParticipationRequestReceptionPeriod>")
    );
    d17.activite = "gen-pub".into();
    trouve(
        &verifier_avis(&c, &o, &d17, maintenant()),
        CodeErreur::TermeInvalide,
        "BT-610-Procedure-Buyer",
        "$.donnees.activite",
    );
    let (mut c, o, d) = entrees();
    c.modalites.reponse_electronique = mpe::model::ReponseElectronique::Refusee;
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        CodeErreur::AvisNonPrisEnCharge,
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
        trouve(&k, CodeErreur::TermeInvalide, bt, champ);
    }
    // A foreign buyer's NUTS code is not checked against the French list.
    assert!(!k.iter().any(|f| f.champ == "$.donnees.acheteur.nuts"));
    d.acheteur.pays = "FRA".into();
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        CodeErreur::TermeInvalide,
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
        CodeErreur::TermeInvalide,
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
        CodeErreur::TermeInvalide,
        "BT-131-Lot",
        "$.consultation.calendrier.dlro",
    );
    let (c, o, _) = entrees();
    d.criteres[0].ponderation = 70;
    trouve(
        &verifier_avis(&c, &o, &d, maintenant()),
        CodeErreur::TermeInvalide,
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
        CodeErreur::TermeInvalide,
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

// --- The result notice (subtype 29) -------------------------------------------------------

use mpe::model::{Decision, DecisionLot, TypeContrat};
use mpe::publication::{
    ContratLot, MotifNonAttribution, NonAttribution, TailleEntreprise, generer_avis_attribution,
    verifier_avis_attribution,
};
use publication_commun as pc;

/// The procedure at `moment`, its organisation, the notice data, the contracts.
fn resultat(
    moment: &str,
) -> (
    mpe::procedure::Procedure,
    Organisation,
    DonneesAvis,
    Vec<ContratLot>,
) {
    let (p, o) = pc::procedure_a(moment);
    let c = pc::contrats(&p, &o);
    (p, o, pc::donnees(), c)
}

#[test]
fn avis_attribution_trois_lots() {
    let (p, o, d, c) = resultat(pc::TOUS_ATTRIBUES);
    assert_eq!(c.len(), 3);
    let k = verifier_avis_attribution(&p, &o, &d, &c, pc::envoi());
    assert!(k.is_empty(), "{k:#?}");
    let avis = generer_avis_attribution(&p, &o, &d, &c, pc::envoi()).unwrap();
    assert_eq!(avis.sous_type, "29");
    let x = &avis.xml;
    assert!(x.contains("<cbc:SubTypeCode listName=\"notice-subtype\">29</cbc:SubTypeCode>"));
    assert!(
        x.contains("<cbc:NoticeTypeCode listName=\"result\">can-standard</cbc:NoticeTypeCode>")
    );
    assert!(x.contains("<cbc:IssueDate>2027-01-10+01:00</cbc:IssueDate>"));
    // The three lots awarded; 498 000 + 395 000,50 + 305 000 €.
    assert_eq!(x.matches(">selec-w</cbc:TenderResultCode>").count(), 3);
    assert!(x.contains("<cbc:TotalAmount currencyID=\"EUR\">1198000.50</cbc:TotalAmount>"));
    assert!(x.contains("<cbc:PayableAmount currencyID=\"EUR\">395000.50</cbc:PayableAmount>"));
    // Menuiseries Lyonnaises (pli 3) wins lots 1 and 3: one organisation, two tenders.
    assert_eq!(x.matches("<efac:TenderingParty>").count(), 3 + 2);
    assert_eq!(
        x.matches(">Menuiseries Lyonnaises SARL</cbc:Name>").count(),
        1
    );
    assert!(x.contains("<cbc:CompanyID>51802345600024</cbc:CompanyID>"));
    assert!(x.contains(
        "<efbc:CompanySizeCode listName=\"economic-operator-size\">small</efbc:CompanySizeCode>"
    ));
    assert!(x.contains("<cbc:ID>AOO_2026/0611-L1-P3</cbc:ID>"));
    // Contracts: number and notification date (BT-150, BT-145).
    assert!(x.contains("<cbc:ID>2026-0611-02</cbc:ID>"));
    assert_eq!(
        x.matches("<cbc:IssueDate>2027-01-05+01:00</cbc:IssueDate>")
            .count(),
        3
    );
    // Statistics: every kind the 1.15 rules require once (t-large included).
    for code in [
        "tenders",
        "t-sme",
        "t-large",
        "t-esubm",
        "t-oth-eea",
        "t-no-eea",
    ] {
        assert_eq!(
            x.matches(&format!(">{code}</efbc:StatisticsCode>")).count(),
            3,
            "{code}"
        );
    }
    // Terms of the contract notice that subtype 29 forbids are not written.
    for absent in [
        "TenderSubmissionDeadlinePeriod",
        "CallForTendersDocumentReference",
        "TenderRecipientParty",
    ] {
        assert!(!x.contains(absent), "{absent}");
    }
    // The first attribution decision (technical award date, OPT-999).
    assert!(x.contains("<cbc:AwardDate>2026-12-18+01:00</cbc:AwardDate>"));
    // Same identifier of procedure as the contract notice, another notice identifier.
    let c16 =
        Consultation::from_json(include_str!("../../examples/data/consultation.json")).unwrap();
    let avis16 = generer_avis_marche(&c16, &o, &entrees().2, maintenant()).unwrap();
    assert_eq!(c16.id, p.consultation.id);
    assert_eq!(avis.identifiant_procedure, avis16.identifiant_procedure);
    assert_ne!(avis.identifiant, avis16.identifiant);
    // Deterministic.
    assert_eq!(
        generer_avis_attribution(&p, &o, &d, &c, pc::envoi())
            .unwrap()
            .xml,
        avis.xml
    );
    // Read back.
    let r = lire_avis(&avis.xml).unwrap();
    assert_eq!(r.racine, "ContractAwardNotice");
    assert_eq!(r.sous_type, "29");
    assert_eq!(r.type_avis, "can-standard");
    assert_eq!(r.lots.len(), 3);
    assert_eq!(r.titre, p.consultation.identification.intitule);
}

#[test]
fn avis_attribution_lot_infructueux_et_sans_lots() {
    let (p, o, d, c) = resultat(pc::LOT_INFRUCTUEUX);
    assert_eq!(c.len(), 2);
    let x = generer_avis_attribution(&p, &o, &d, &c, pc::envoi())
        .unwrap()
        .xml;
    assert_eq!(x.matches(">clos-nw</cbc:TenderResultCode>").count(), 1);
    assert!(x.contains(">all-rej</efbc:DecisionReasonCode>"));
    assert!(x.contains("<cbc:TotalAmount currencyID=\"EUR\">893000.50</cbc:TotalAmount>"));
    // Without lots: LOT-0000, lot 1's plis and decision.
    let (tous, _) = pc::procedure_a(pc::TOUS_ATTRIBUES);
    let un = pc::sans_lots(&tous);
    let c = pc::contrats(&un, &o);
    let x = generer_avis_attribution(&un, &o, &d, &c, pc::envoi())
        .unwrap()
        .xml;
    assert!(x.contains("<cbc:ID schemeName=\"Lot\">LOT-0000</cbc:ID>"));
    assert_eq!(x.matches("<efac:LotResult>").count(), 1);
    assert!(x.contains("<cbc:TotalAmount currencyID=\"EUR\">498000.00</cbc:TotalAmount>"));
}

#[test]
fn avis_attribution_aucune_offre_et_motifs() {
    let (tous, o) = pc::procedure_a(pc::TOUS_ATTRIBUES);
    let p = pc::aucune_offre(&tous);
    let c = pc::contrats(&p, &o);
    let d = pc::donnees();
    let x = generer_avis_attribution(&p, &o, &d, &c, pc::envoi())
        .unwrap()
        .xml;
    assert!(x.contains(">no-rece</efbc:DecisionReasonCode>"));
    // No statistics for the lot without tenders (BT-760 forbidden there).
    assert_eq!(x.matches(">tenders</efbc:StatisticsCode>").count(), 2);
    // A reason given by the host wins; "no tender" where tenders came is refused.
    let (p, d, c) = pc::variantes(&tous, &o);
    let x = generer_avis_attribution(&p, &o, &d, &c, pc::envoi())
        .unwrap()
        .xml;
    assert!(x.contains(">chan-need</efbc:DecisionReasonCode>"));
    assert!(x.contains("<efbc:TermCode listName=\"applicability\">yes</efbc:TermCode>"));
    let mut d2 = d.clone();
    d2.non_attributions[0].motif = MotifNonAttribution::AucuneOffre;
    let k = verifier_avis_attribution(&p, &o, &d2, &c, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-144-LotResult",
        "$.donnees.non_attributions",
    );
    // A reason for an awarded lot is refused.
    let mut d3 = d.clone();
    d3.non_attributions.push(NonAttribution {
        lot: 1,
        motif: MotifNonAttribution::Autre,
    });
    let k = verifier_avis_attribution(&p, &o, &d3, &c, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-144-LotResult",
        "$.donnees.non_attributions",
    );
}

#[test]
fn precontrole_attribution_decisions_et_contrats() {
    // Before any decision: every lot is named, the notice refused.
    let (p, o, d, c) = resultat("2026-12-16T10:10:00Z");
    assert!(c.is_empty());
    let k = verifier_avis_attribution(&p, &o, &d, &c, pc::envoi());
    for n in 1..=3 {
        trouve(
            &k,
            CodeErreur::TermeManquant,
            "BT-142-LotResult",
            &format!("$.decisions.{n}"),
        );
    }
    let e = generer_avis_attribution(&p, &o, &d, &c, pc::envoi()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AvisIncomplet);
    assert!(e.message().contains("BT-142-LotResult"));
    assert_eq!(e.path(), Some("$.decisions.1"));

    let (p, o, d, c) = resultat(pc::TOUS_ATTRIBUES);
    // A decision that is not a result.
    let mut q = p.clone();
    if let Some(x) = q.decisions.get_mut(&2) {
        x.decision = Decision::Autre {
            libelle: "x".into(),
        };
    }
    let k = verifier_avis_attribution(&q, &o, &d, &c, pc::envoi());
    trouve(
        &k,
        CodeErreur::AvisNonPrisEnCharge,
        "BT-142-LotResult",
        "$.decisions.2.decision",
    );
    // An awarded lot without its contract; a contract of a lot not awarded.
    let sans2: Vec<ContratLot> = c.iter().filter(|x| x.lot != 2).cloned().collect();
    let k = verifier_avis_attribution(&p, &o, &d, &sans2, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeManquant,
        "BT-150-Contract",
        "$.contrats",
    );
    let mut faux = c.clone();
    faux[0].lot = 9;
    let k = verifier_avis_attribution(&p, &o, &d, &faux, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-150-Contract",
        "$.contrats[0].lot",
    );
    // Not notified yet; notified after the notice is sent.
    let mut c2 = c.clone();
    c2[1].contrat.date_notification = None;
    let k = verifier_avis_attribution(&p, &o, &d, &c2, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeManquant,
        "BT-145-Contract",
        "$.contrats[1].contrat.dateNotification",
    );
    c2[1].contrat.date_notification = NaiveDate::from_ymd_opt(2027, 1, 11);
    let k = verifier_avis_attribution(&p, &o, &d, &c2, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-145-Contract",
        "$.contrats[1].contrat.dateNotification",
    );
    // The winner is not a titulaire of the lot's contract.
    let mut c3 = c.clone();
    c3[1].contrat.titulaires[0].id = "44205123400015".into();
    let k = verifier_avis_attribution(&p, &o, &d, &c3, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-3202-Contract",
        "$.contrats[1].contrat.titulaires",
    );
    // Accords-cadres are not written yet.
    let mut q = p.clone();
    q.consultation.identification.type_contrat = TypeContrat::AccordCadreMonoAttributaire;
    let k = verifier_avis_attribution(&q, &o, &d, &c, pc::envoi());
    trouve(
        &k,
        CodeErreur::AvisNonPrisEnCharge,
        "BT-765-Lot",
        "$.consultation.identification.type_contrat",
    );
    // Award criteria are required in a result notice.
    let mut d4 = d.clone();
    d4.criteres.clear();
    let k = verifier_avis_attribution(&p, &o, &d4, &c, pc::envoi());
    let f = trouve(
        &k,
        CodeErreur::TermeManquant,
        "BT-539-Lot",
        "$.donnees.criteres",
    );
    assert_eq!(f.gravite, Gravite::Erreur);
}

#[test]
fn precontrole_attribution_entreprises() {
    let (p, o, d, c) = resultat(pc::TOUS_ATTRIBUES);
    // The size of a tenderer that did not win (Façades Rhône-Alpes) is needed for the
    // statistics of lots 1 and 2.
    let mut d1 = d.clone();
    d1.entreprises.retain(|e| e.identifiant != "44205123400015");
    let k = verifier_avis_attribution(&p, &o, &d1, &c, pc::envoi());
    let tailles: Vec<_> = k
        .iter()
        .filter(|f| f.bt == "BT-760-LotResult" && f.champ == "$.donnees.entreprises")
        .collect();
    assert_eq!(tailles.len(), 2, "{k:#?}");
    assert!(tailles[0].message.contains("Façades Rhône-Alpes SAS"));
    // A winner without its entry: address and size to give, named by the field to add.
    let mut d2 = d.clone();
    d2.entreprises.retain(|e| e.identifiant != "80103456700017");
    let k = verifier_avis_attribution(&p, &o, &d2, &c, pc::envoi());
    for bt in [
        "BT-513-Organization-Company",
        "BT-512-Organization-Company",
        "BT-507-Organization-Company",
        "BT-165-Organization-Company",
    ] {
        let f = trouve(&k, CodeErreur::TermeManquant, bt, "$.donnees.entreprises");
        assert!(
            f.message.contains("Thermique & Ventilation Est"),
            "{}",
            f.message
        );
    }
    // The contract's `pme` gives the winner's size when the notice data does not.
    let mut c2 = c.clone();
    for x in &mut c2 {
        for t in &mut x.contrat.titulaires {
            t.pme = Some(true);
        }
    }
    let mut d3 = d.clone();
    for e in &mut d3.entreprises {
        if e.identifiant == "80103456700017" {
            e.taille = None;
        }
    }
    let x = generer_avis_attribution(&p, &o, &d3, &c2, pc::envoi())
        .unwrap()
        .xml;
    assert!(x.contains(">sme</efbc:CompanySizeCode>"));
    // A wrong address of a winner is named with its entry.
    let mut d4 = d.clone();
    d4.entreprises[0].coordonnees.email = "pas un courriel".into();
    d4.entreprises[0].coordonnees.nuts = "FRZ99".into();
    let k = verifier_avis_attribution(&p, &o, &d4, &c, pc::envoi());
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-506-Organization-Company",
        "$.donnees.entreprises[0].coordonnees.email",
    );
    trouve(
        &k,
        CodeErreur::TermeInvalide,
        "BT-507-Organization-Company",
        "$.donnees.entreprises[0].coordonnees.nuts",
    );
    let _ = TailleEntreprise::Grande;
    let _: Option<DecisionLot> = None;
}

// --- The change notice ---------------------------------------------------------------------

#[test]
fn rectificatif_depuis_la_modification() {
    use mpe::publication::{generer_avis_rectificatif, lire_avis};
    let (p, o, initial) = pc::modifiee();
    let d = pc::donnees();
    let avis = generer_avis_rectificatif(&p, &o, &d, &initial, pc::envoi_rectificatif()).unwrap();
    let r = lire_avis(&avis.xml).unwrap();
    let i = lire_avis(&initial).unwrap();
    assert_eq!(r.avis_modifie, format!("{}-01", i.identifiant));
    assert_eq!((r.sous_type.as_str(), r.version.as_str()), ("16", "01"));
    assert_eq!(r.identifiant_procedure, i.identifiant_procedure);
    assert_ne!(r.identifiant, i.identifiant);
    assert!(
        r.lots
            .iter()
            .all(|l| l.date_limite.map(|d| d.to_rfc3339())
                == Some("2026-12-22T12:00:00+01:00".into()))
    );
    // Same inputs, same bytes: the host can write it again.
    let encore = generer_avis_rectificatif(&p, &o, &d, &initial, pc::envoi_rectificatif()).unwrap();
    assert_eq!(encore.xml, avis.xml);

    // Not changed since: nothing to rectify.
    let (avant, _) = pc::procedure_a("2026-11-05T09:00:00Z");
    let e =
        generer_avis_rectificatif(&avant, &o, &d, &initial, pc::envoi_rectificatif()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::RectificatifSansModification);
    // A change notice is not rectified again, nor another procedure's notice.
    let e = generer_avis_rectificatif(&p, &o, &d, &avis.xml, pc::envoi_rectificatif()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AvisRectifieEtranger);
    let mut autre = d.clone();
    autre.identifiant_procedure = "0b8f5c1e-6f8a-4c1e-9f3a-2d4b6c8e0a1b".into();
    let ailleurs = mpe::publication::generer_avis_marche(
        &avant.consultation,
        &o,
        &autre,
        Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap(),
    )
    .unwrap();
    let e =
        generer_avis_rectificatif(&p, &o, &d, &ailleurs.xml, pc::envoi_rectificatif()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AvisRectifieEtranger);
}
