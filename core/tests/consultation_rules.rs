//! Each rule of the foundation with a failing example: expected code, severity and JSON path.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use mpe::CodeErreur;
use mpe::model::*;
use mpe::rules::{Constat, Gravite, valider};

fn consultation() -> Consultation {
    serde_json::from_str(include_str!("../../examples/data/consultation.json")).unwrap()
}

fn organisation() -> Organisation {
    serde_json::from_str(include_str!("../../examples/data/organisation.json")).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap()
}

fn paris(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

fn findings(c: &Consultation) -> Vec<Constat> {
    valider(c, Some(&organisation()), now())
}

/// The finding with this code and path, which must exist with this severity.
#[track_caller]
fn expect(c: &Consultation, code: CodeErreur, path: &str, gravite: Gravite) -> Constat {
    let all = findings(c);
    let f = all
        .iter()
        .find(|f| f.code == code && f.chemin == path)
        .unwrap_or_else(|| panic!("no {code} at {path} in {all:#?}"));
    assert_eq!(f.gravite, gravite, "{f:?}");
    f.clone()
}

#[test]
fn realistic_consultation_is_clean() {
    let all = findings(&consultation());
    assert!(
        all.iter().all(|f| f.gravite == Gravite::Information),
        "{all:#?}"
    );
}

#[test]
fn json_round_trip_is_exact() {
    let c = consultation();
    let text = serde_json::to_string(&c).unwrap();
    let back: Consultation = serde_json::from_str(&text).unwrap();
    assert_eq!(back, c);
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    let o = organisation();
    let text = serde_json::to_string(&o).unwrap();
    assert_eq!(
        serde_json::to_string(&serde_json::from_str::<Organisation>(&text).unwrap()).unwrap(),
        text
    );
}

#[test]
fn unknown_fields_and_bad_enums_are_json_errors() {
    assert_eq!(
        Consultation::from_json("{").unwrap_err().code(),
        CodeErreur::JsonInvalide
    );
    let mut v: serde_json::Value = serde_json::to_value(consultation()).unwrap();
    v["identification"]["procedure"] = "appel_d_offres_imaginaire".into();
    assert_eq!(
        Consultation::from_json(&v.to_string()).unwrap_err().code(),
        CodeErreur::JsonInvalide
    );
}

#[test]
fn reference() {
    let mut c = consultation();
    c.identification.reference = "AOO 2026".into();
    expect(
        &c,
        CodeErreur::ReferenceInvalide,
        "$.identification.reference",
        Gravite::Erreur,
    );
    c.identification.reference = "AO1".into();
    expect(
        &c,
        CodeErreur::ReferenceInvalide,
        "$.identification.reference",
        Gravite::Erreur,
    );
}

#[test]
fn mandatory_and_long_texts() {
    let mut c = consultation();
    c.identification.intitule = "  ".into();
    c.identification.objet = "x".repeat(4001);
    expect(
        &c,
        CodeErreur::ChampObligatoire,
        "$.identification.intitule",
        Gravite::Erreur,
    );
    expect(
        &c,
        CodeErreur::ChampTropLong,
        "$.identification.objet",
        Gravite::Erreur,
    );
}

#[test]
fn cpv_rules() {
    let mut c = consultation();
    c.identification.cpv.principal = "99999999-9".into();
    expect(
        &c,
        CodeErreur::CpvInconnu,
        "$.identification.cpv.principal",
        Gravite::Erreur,
    );
    c.identification.cpv.principal = "45454000-5".into();
    expect(
        &c,
        CodeErreur::CpvCleControle,
        "$.identification.cpv.principal",
        Gravite::Erreur,
    );
    c.identification.cpv.principal = "45454000".into();
    expect(
        &c,
        CodeErreur::CpvFormat,
        "$.identification.cpv.principal",
        Gravite::Erreur,
    );
    // Services code for a works consultation.
    c.identification.cpv.principal = "90911200-8".into();
    expect(
        &c,
        CodeErreur::CpvCategorie,
        "$.identification.cpv.principal",
        Gravite::Erreur,
    );
    // Same for a lot, and a secondary code of another catégorie is only a warning.
    let mut c = consultation();
    c.lots[1].cpv.principal = "30213100-6".into();
    c.lots[2].cpv.secondaires.push("71000000-8".into());
    expect(
        &c,
        CodeErreur::CpvCategorie,
        "$.lots[1].cpv.principal",
        Gravite::Erreur,
    );
    expect(
        &c,
        CodeErreur::CpvCategorie,
        "$.lots[2].cpv.secondaires[1]",
        Gravite::Avertissement,
    );
}

#[test]
fn lots_rules() {
    let mut c = consultation();
    c.lots[2].numero = 2;
    expect(
        &c,
        CodeErreur::LotsIncoherents,
        "$.lots[2].numero",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.identification.allotie = false;
    expect(&c, CodeErreur::LotsIncoherents, "$.lots", Gravite::Erreur);
    let mut c = consultation();
    c.lots.clear();
    expect(&c, CodeErreur::LotsIncoherents, "$.lots", Gravite::Erreur);
}

#[test]
fn calendar_order_and_past_dlro() {
    let mut c = consultation();
    c.calendrier.mise_en_ligne = MiseEnLigne::DateFixe {
        date: paris(2026, 12, 15, 12, 0),
    };
    expect(
        &c,
        CodeErreur::CalendrierOrdre,
        "$.calendrier.mise_en_ligne.date",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.calendrier.dlro = paris(2026, 11, 2, 10, 0); // 09:00 UTC is 10:00 in Paris: not after now
    expect(
        &c,
        CodeErreur::DlroPassee,
        "$.calendrier.dlro",
        Gravite::Erreur,
    );
    c.calendrier.dlro = paris(2026, 11, 2, 10, 1);
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f.code == CodeErreur::DlroPassee)
    );
}

#[test]
fn nonexistent_local_time() {
    let mut c = consultation();
    c.calendrier.dlro = paris(2027, 3, 28, 2, 30);
    expect(
        &c,
        CodeErreur::HeureInexistante,
        "$.calendrier.dlro",
        Gravite::Erreur,
    );
}

#[test]
fn legal_minimum_delay_is_a_warning_citing_the_article() {
    let mut c = consultation();
    c.calendrier.dlro = paris(2026, 11, 28, 12, 0); // 25 days after sending the notice
    let f = expect(
        &c,
        CodeErreur::DelaiInsuffisant,
        "$.calendrier.dlro",
        Gravite::Avertissement,
    );
    assert_eq!(f.article.as_deref(), Some("R. 2161-2"));
    assert!(f.message.contains("30 jours"), "{}", f.message);
    // Paper answers only: 35 days.
    c.modalites.reponse_electronique = ReponseElectronique::Refusee;
    c.modalites.chiffrement = false;
    c.calendrier.dlro = paris(2026, 12, 6, 12, 0); // 33 days
    let f = expect(
        &c,
        CodeErreur::DelaiInsuffisant,
        "$.calendrier.dlro",
        Gravite::Avertissement,
    );
    assert!(f.message.contains("35 jours"), "{}", f.message);
    // Urgence: 15 days are enough.
    let mut c = consultation();
    c.calendrier.urgence = true;
    c.calendrier.dlro = paris(2026, 11, 19, 12, 0);
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f.code == CodeErreur::DelaiInsuffisant)
    );
}

#[test]
fn restricted_procedure_delays() {
    let mut c = consultation();
    c.identification.procedure = TypeProcedure::AppelOffresRestreint;
    c.identification.etape = Etape::Offres;
    c.calendrier.dlro = paris(2026, 11, 25, 12, 0); // 22 days
    let f = expect(
        &c,
        CodeErreur::DelaiInsuffisant,
        "$.calendrier.dlro",
        Gravite::Avertissement,
    );
    assert_eq!(f.article.as_deref(), Some("R. 2161-7"));
}

#[test]
fn dce_must_be_a_zip() {
    let mut c = consultation();
    c.pieces.dce.as_mut().unwrap().nom = "DCE.rar".into();
    expect(
        &c,
        CodeErreur::DceNonZip,
        "$.pieces.dce.nom",
        Gravite::Erreur,
    );
    c.pieces.dce = None;
    expect(
        &c,
        CodeErreur::ChampObligatoire,
        "$.pieces.dce",
        Gravite::Erreur,
    );
}

#[test]
fn modalites_rules() {
    let mut c = consultation();
    c.modalites.reponse_electronique = ReponseElectronique::Refusee;
    expect(
        &c,
        CodeErreur::ModalitesIncoherentes,
        "$.modalites.chiffrement",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.modalites.documents[4].lot = Some(9);
    expect(
        &c,
        CodeErreur::LotsIncoherents,
        "$.modalites.documents[4].lot",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.modalites.documents[0].enveloppe = TypeEnveloppe::Anonymat;
    expect(
        &c,
        CodeErreur::ModalitesIncoherentes,
        "$.modalites.documents[0].enveloppe",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.modalites.documents[2].formats = vec![".xlsx".into()];
    expect(
        &c,
        CodeErreur::ModalitesIncoherentes,
        "$.modalites.documents[2].formats[0]",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.modalites.enveloppes = vec![TypeEnveloppe::Candidature, TypeEnveloppe::Anonymat];
    expect(
        &c,
        CodeErreur::ModalitesIncoherentes,
        "$.modalites.enveloppes",
        Gravite::Erreur,
    );
}

#[test]
fn dume_rules() {
    let mut c = consultation();
    c.dume.type_dume = None;
    expect(
        &c,
        CodeErreur::ChampObligatoire,
        "$.dume.type_dume",
        Gravite::Erreur,
    );
}

#[test]
fn access_rules() {
    let mut c = consultation();
    c.acces.code_acces = None;
    expect(
        &c,
        CodeErreur::AccesIncoherent,
        "$.acces.code_acces",
        Gravite::Erreur,
    );
    c.acces.code_acces = Some("AB C".into());
    expect(
        &c,
        CodeErreur::CodeAccesInvalide,
        "$.acces.code_acces",
        Gravite::Erreur,
    );
    let mut c = consultation();
    c.acces.service_associe = Some("inconnu".into());
    c.acces.agents_invites[0].agent = "personne".into();
    expect(
        &c,
        CodeErreur::AccesIncoherent,
        "$.acces.service_associe",
        Gravite::Erreur,
    );
    expect(
        &c,
        CodeErreur::AccesIncoherent,
        "$.acces.agents_invites[0].agent",
        Gravite::Erreur,
    );
}

#[test]
fn thresholds() {
    let mut c = consultation();
    // 250 000 € of services for a collectivité: above 216 000, MAPA not allowed.
    c.identification.categorie = CategoriePrincipale::Services;
    c.identification.cpv = CodesCpv {
        principal: "90911200-8".into(),
        secondaires: vec![],
    };
    c.identification.allotie = false;
    c.lots.clear();
    c.modalites.documents.retain(|d| d.lot.is_none());
    c.identification.montant_estime_ht = Some(Montant::euros(250_000));
    c.identification.procedure = TypeProcedure::ProcedureAdapteeOuverte;
    let f = expect(
        &c,
        CodeErreur::ProcedureSeuil,
        "$.identification.procedure",
        Gravite::Avertissement,
    );
    assert!(
        f.message.contains("216\u{202F}000,00\u{A0}€"),
        "{}",
        f.message
    );
    // Below the threshold, MAPA is fine.
    c.identification.montant_estime_ht = Some(Montant::euros(150_000));
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f.code == CodeErreur::ProcedureSeuil)
    );
    // Without publicity: only on justification.
    c.identification.procedure = TypeProcedure::MarcheNegocieSansPublicite;
    expect(
        &c,
        CodeErreur::ProcedureSeuil,
        "$.identification.procedure",
        Gravite::Avertissement,
    );
    // 55 000 € in June 2026 is below the 60 000 € dispense.
    c.identification.montant_estime_ht = Some(Montant::euros(55_000));
    c.calendrier.date_envoi_avis = Some(paris(2026, 6, 1, 9, 0));
    c.calendrier.dlro = paris(2026, 12, 1, 12, 0);
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f.code == CodeErreur::ProcedureSeuil),
        "{:#?}",
        findings(&c)
    );
    // ... but not in March 2026 (40 000 €).
    c.calendrier.date_envoi_avis = Some(paris(2026, 3, 2, 9, 0));
    expect(
        &c,
        CodeErreur::ProcedureSeuil,
        "$.identification.procedure",
        Gravite::Avertissement,
    );
}

#[test]
fn concession_needs_its_procedure() {
    let mut c = consultation();
    c.identification.type_contrat = TypeContrat::Concession;
    expect(
        &c,
        CodeErreur::ProcedureIncoherente,
        "$.identification.procedure",
        Gravite::Erreur,
    );
}

#[test]
fn simplified_form_checks_only_the_reduced_fields() {
    let c = Consultation {
        id: "devis-42".into(),
        forme: FormeConsultation::Simplifiee,
        identification: Identification {
            reference: "DEVIS_2026_42".into(),
            intitule: "Fourniture de chaises de bureau".into(),
            objet: "Demande de devis pour 40 chaises".into(),
            procedure: TypeProcedure::ProcedureAdapteeOuverte,
            ..Default::default()
        },
        lots: vec![],
        dume: Default::default(),
        calendrier: Calendrier {
            dlro: paris(2026, 11, 20, 17, 0),
            ..Default::default()
        },
        pieces: Pieces {
            dce: Some(Piece {
                nom: "demande.zip".into(),
                taille: 1000,
                sha256: None,
            }),
            ..Default::default()
        },
        modalites: Default::default(),
        acces: Acces {
            service_rattachement: "dcp".into(),
            ..Default::default()
        },
    };
    let all = findings(&c);
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn every_finding_is_reported_not_only_the_first() {
    let mut c = consultation();
    c.identification.reference = "x".into();
    c.lots[0].cpv.principal = "bad".into();
    c.acces.code_acces = None;
    let errors = findings(&c)
        .into_iter()
        .filter(|f| f.gravite == Gravite::Erreur)
        .count();
    assert_eq!(errors, 3);
}

/// The canonical JSON every binding must produce from `examples/data/consultation.json`
/// (C, PHP, Java and Python compare their output with this file byte for byte).
#[test]
fn canonical_json_vector_is_current() {
    let text = consultation().to_json();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/consultation/consultation.canonical.json");
    if std::env::var_os("MPE_UPDATE_VECTORS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}
