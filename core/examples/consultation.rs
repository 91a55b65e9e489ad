//! Build, check and validate a realistic consultation, and print what a buyer sees:
//! the consultation, its lots, the thresholds and delays that apply, and every finding.
//!
//! `cargo run -p mpe --example consultation [consultation.json [organisation.json]]`

use std::process::ExitCode;

use chrono::{TimeZone, Utc};
use mpe::model::{Consultation, Organisation};
use mpe::rules::{Gravite, cpv, delais, seuils, temps};

fn load<T: serde::de::DeserializeOwned>(arg: Option<String>, default: &str) -> Result<T, String> {
    let text = match arg {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("{path} : {e}"))?,
        None => default.to_string(),
    };
    serde_json::from_str(&text).map_err(|e| format!("JSON invalide : {e}"))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let c: Consultation = match load(
        args.next(),
        include_str!("../../examples/data/consultation.json"),
    ) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("consultation : {e}");
            return ExitCode::from(3);
        }
    };
    let org: Organisation = match load(
        args.next(),
        include_str!("../../examples/data/organisation.json"),
    ) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("organisation : {e}");
            return ExitCode::from(3);
        }
    };
    // The time of validation is a parameter of the rules; this example fixes it so that its
    // output is the same every day.
    let maintenant = Utc
        .with_ymd_and_hms(2026, 11, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();

    let id = &c.identification;
    println!("{} — {}", org.entite.nom, id.reference);
    println!("  {}", id.intitule);
    println!(
        "  {} · {:?} · {}",
        id.procedure.libelle(),
        id.categorie,
        if id.allotie { "allotie" } else { "non allotie" }
    );
    if let Ok(code) = cpv::chercher(&id.cpv.principal) {
        println!("  CPV principal {} ({})", code.code, code.libelle);
    }
    for lot in &c.lots {
        let montant = lot
            .montant_estime_ht
            .map(|m| m.to_string())
            .unwrap_or_default();
        println!(
            "  Lot {} : {} — CPV {} — {}",
            lot.numero, lot.intitule, lot.cpv.principal, montant
        );
    }
    match c.calendrier.dlro_instant() {
        Ok(t) => println!(
            "  Date limite de remise des plis : {}",
            mpe::format::date_heure(t)
        ),
        Err(e) => println!("  Date limite de remise des plis : {e}"),
    }
    if let Some(d) = delais::minimum(&c, org.entite.type_acheteur) {
        println!(
            "  Délai minimal : {} jours ({}, art. {})",
            d.jours, d.objet, d.article
        );
    }
    if let Some(m) = id.montant_estime_ht {
        let date = temps::heure_paris(maintenant).date();
        let a = seuils::analyser(
            m,
            id.categorie,
            org.entite.type_acheteur,
            id.type_contrat,
            date,
        );
        println!(
            "  Montant estimé {m} HT : seuil des procédures formalisées {}, dispense {}",
            a.seuil_procedure_formalisee, a.seuil_dispense
        );
    }

    let findings = mpe::rules::valider(&c, Some(&org), maintenant);
    let errors = findings
        .iter()
        .filter(|f| f.gravite == Gravite::Erreur)
        .count();
    println!(
        "\nValidation au {} : {} constat(s), dont {} erreur(s)",
        mpe::format::date_heure(maintenant),
        findings.len(),
        errors
    );
    for f in &findings {
        let article = f
            .article
            .as_deref()
            .map(|a| format!(" [art. {a}]"))
            .unwrap_or_default();
        println!(
            "  {:?} {} {} : {}{}",
            f.gravite,
            f.code.name(),
            f.chemin,
            f.message,
            article
        );
    }
    if errors == 0 {
        println!("La consultation peut être validée.");
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
