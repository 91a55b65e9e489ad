//! Measure import, search and export on a generated file (see `benches/donnees_bench.sh`):
//! `cargo run --release -p mpe --example donnees_bench -- FICHIER.json`.

#[path = "commun/mesure.rs"]
mod mesure;
use mesure::cpu_s;

use std::time::Instant;

use mpe::donnees::*;

/// A named family of queries (the argument varies the query).
type Cas = Box<dyn Fn(usize) -> Recherche>;

fn pic_memoire_mo() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|x| x.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |k| k / 1024.0)
}

/// CPU time of this thread in ms (scheduler statistics): the machine is shared with other
/// jobs, so wall time overstates what one query costs.
fn cpu_thread_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

fn p(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fichier = std::env::args()
        .nth(1)
        .ok_or("usage: donnees_bench FICHIER")?;
    let jour = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let t = Instant::now();
    let c0 = cpu_s();
    let mut e = Entrepot::new();
    let rapport = e.importer(LecteurDecp::ouvrir(
        std::path::Path::new(&fichier),
        OptionsImport::new(jour),
    )?)?;
    let d = t.elapsed().as_secs_f64();
    println!(
        "import: {} lus, {} importés, {} rejetés, {} réparés, {} doublons, {} entrées de rapport",
        rapport.lus,
        rapport.importes,
        rapport.rejetes,
        rapport.repares,
        rapport.doublons,
        rapport.entrees.len()
    );
    let cpu = cpu_s() - c0;
    println!(
        "import: {d:.2} s écoulées, {cpu:.2} s CPU, {:.0} enregistrements/s (CPU), {:.0} enregistrements/s (écoulé), pic mémoire {:.0} Mo",
        rapport.lus as f64 / cpu,
        rapport.lus as f64 / d,
        pic_memoire_mo()
    );
    let t = Instant::now();
    let mut buf = Vec::new();
    e.enregistrer(&mut buf)?;
    let taille = buf.len();
    let d_w = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let e2 = Entrepot::charger(&buf[..])?;
    drop(buf);
    println!(
        "entrepôt: {:.0} Mo sur disque, écrit en {d_w:.2} s, relu et réindexé en {:.2} s ({} contrats)",
        taille as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        e2.len()
    );
    drop(e2);

    // Searches: 100 varied queries per criterion, timed one by one.
    let mots = [
        "travaux",
        "voirie",
        "nettoyage locaux",
        "école",
        "entretien espaces verts",
        "informatique",
        "électricité",
        "maîtrise d'œuvre",
        "restauration collective",
        "toiture",
    ];
    let exemples = e.rechercher(&Recherche {
        limite: 1000,
        ..Default::default()
    });
    let mut cas: Vec<(&str, Cas)> = Vec::new();
    let f0 = exemples.fiches.clone();
    let f1 = f0.clone();
    let f2 = f0.clone();
    let f3 = f0.clone();
    let f4 = f0.clone();
    cas.push((
        "mots-clés",
        Box::new(move |i| Recherche {
            mots_cles: Some(mots[i % mots.len()].into()),
            ..Default::default()
        }),
    ));
    cas.push((
        "acheteur (SIRET)",
        Box::new(move |i| Recherche {
            acheteur: Some(f0[i % f0.len()].acheteur.id.clone()),
            ..Default::default()
        }),
    ));
    cas.push((
        "acheteur (SIREN)",
        Box::new(move |i| Recherche {
            acheteur: Some(f4[i % f4.len()].acheteur.id[..9].to_string()),
            ..Default::default()
        }),
    ));
    cas.push((
        "année",
        Box::new(|i| Recherche {
            annee: Some(2019 + (i % 7) as i32),
            ..Default::default()
        }),
    ));
    cas.push((
        "attributaire (SIRET)",
        Box::new(move |i| Recherche {
            attributaire: Some(f1[i % f1.len()].titulaires[0].id.clone()),
            ..Default::default()
        }),
    ));
    cas.push((
        "attributaire (nom)",
        Box::new(|i| Recherche {
            attributaire: Some(["voirie rennes", "papier", "toiture sas", "école"][i % 4].into()),
            ..Default::default()
        }),
    ));
    cas.push((
        "nature",
        Box::new(|i| Recherche {
            nature_prestations: Some(
                [
                    NaturePrestations::Travaux,
                    NaturePrestations::Fournitures,
                    NaturePrestations::Services,
                ][i % 3],
            ),
            ..Default::default()
        }),
    ));
    cas.push((
        "montant min/max",
        Box::new(|i| Recherche {
            montant_min: Some(1000.0 * (i % 50) as f64),
            montant_max: Some(1000.0 * (i % 50) as f64 + 50_000.0),
            ..Default::default()
        }),
    ));
    cas.push((
        "CPV (préfixe)",
        Box::new(|i| Recherche {
            cpv: Some(["45", "4523", "7731", "90", "3019"][i % 5].into()),
            ..Default::default()
        }),
    ));
    cas.push((
        "dates de notification",
        Box::new(|i| Recherche {
            date_notification_debut: chrono::NaiveDate::from_ymd_opt(2019 + (i % 6) as i32, 3, 1),
            date_notification_fin: chrono::NaiveDate::from_ymd_opt(2019 + (i % 6) as i32, 9, 30),
            ..Default::default()
        }),
    ));
    cas.push((
        "tri montant décroissant, page 50",
        Box::new(|_| Recherche {
            tri: Tri::MontantDesc,
            decalage: 1000,
            limite: 20,
            ..Default::default()
        }),
    ));
    cas.push((
        "combinaison mots+année+montant+CPV",
        Box::new(move |i| Recherche {
            mots_cles: Some(mots[i % mots.len()].into()),
            annee: Some(2020 + (i % 5) as i32),
            montant_min: Some(10_000.0),
            cpv: Some("45".into()),
            ..Default::default()
        }),
    ));
    cas.push((
        "combinaison acheteur+dates+tri",
        Box::new(move |i| Recherche {
            acheteur: Some(f2[i % f2.len()].acheteur.id.clone()),
            date_notification_debut: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
            tri: Tri::MontantAsc,
            ..Default::default()
        }),
    ));
    cas.push((
        "combinaison attributaire+nature+montant",
        Box::new(move |i| Recherche {
            attributaire: Some(f3[i % f3.len()].titulaires[0].id[..9].to_string()),
            nature_prestations: Some(NaturePrestations::Travaux),
            montant_max: Some(1e6),
            ..Default::default()
        }),
    ));
    println!(
        "\n| critère | p50 CPU (ms) | p95 CPU (ms) | p50 écoulé (ms) | p95 écoulé (ms) | résultats (moyenne) |\n|---|---|---|---|---|---|"
    );
    for (nom, f) in &cas {
        let mut temps = Vec::new();
        let mut cpu = Vec::new();
        let mut n = 0usize;
        for i in 0..100 {
            let r = f(i);
            let c = cpu_thread_ms();
            let t = Instant::now();
            let res = e.rechercher(&r);
            temps.push(t.elapsed().as_secs_f64() * 1000.0);
            cpu.push(cpu_thread_ms() - c);
            n += res.total;
        }
        println!(
            "| {nom} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
            p(&mut cpu, 0.5),
            p(&mut cpu, 0.95),
            p(&mut temps, 0.5),
            p(&mut temps, 0.95),
            n / 100
        );
    }

    // Export of 100 000 contracts to DECP JSON.
    let base = Contrat {
        id: String::new(),
        acheteur: Acheteur {
            id: "21350238800019".into(),
            nom: None,
        },
        objet: "Réfection de la voirie communale, lot 2 : chaussées et trottoirs".into(),
        nature: "Marché".into(),
        procedure: "Appel d'offres ouvert".into(),
        code_cpv: Some("45233140-2".into()),
        techniques: vec!["Sans objet".into()],
        modalites_execution: vec!["Tranches".into()],
        ccag: Some("Travaux".into()),
        offres_recues: Some(3),
        marche_innovant: Some(false),
        attribution_avance: Some(false),
        type_groupement_operateurs: Some("Pas de groupement".into()),
        lieu_execution: Some(LieuExecution {
            code: "35000".into(),
            type_code: "Code postal".into(),
            nom: None,
        }),
        titulaires: vec![Titulaire {
            id: "55204599900869".into(),
            ..Default::default()
        }],
        montant: Some(125_000.0),
        date_notification: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
        date_publication_donnees: chrono::NaiveDate::from_ymd_opt(2025, 3, 5),
        duree_mois: Some(12),
        forme_prix: Some("Forfaitaire".into()),
        types_prix: vec!["Définitif ferme".into()],
        considerations_sociales: vec!["Clause sociale".into()],
        considerations_environnementales: vec!["Pas de considération environnementale".into()],
        sous_traitance_declaree: Some(false),
        modifications: vec![Modification {
            id: 1,
            date_notification: chrono::NaiveDate::from_ymd_opt(2025, 6, 1),
            date_publication_donnees: chrono::NaiveDate::from_ymd_opt(2025, 6, 2),
            montant: Some(130_000.0),
            ..Default::default()
        }],
        ..Default::default()
    };
    let liste: Vec<Contrat> = (0..100_000)
        .map(|i| Contrat {
            id: format!("2025-{i:06}"),
            montant: Some(1000.0 + i as f64),
            ..base.clone()
        })
        .collect();
    let mut temps = Vec::new();
    let mut taille = 0;
    for _ in 0..5 {
        let t = Instant::now();
        taille = exporter_decp_json(&liste, jour)?.len();
        temps.push(t.elapsed().as_secs_f64());
    }
    let mut temps_xml = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        exporter_decp_xml(&liste, jour)?;
        temps_xml.push(t.elapsed().as_secs_f64());
    }
    println!(
        "\nexport DECP JSON de 100 000 contrats : médiane {:.3} s ({:.0} Mo) ; XML : médiane {:.3} s",
        p(&mut temps, 0.5),
        taille as f64 / 1e6,
        p(&mut temps_xml, 0.5)
    );
    println!("pic mémoire du processus : {:.0} Mo", pic_memoire_mo());
    Ok(())
}
