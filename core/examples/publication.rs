//! eForms notices from the example consultation.
//!
//! - `cargo run -p mpe --example publication -- generer DOSSIER`: writes the contract
//!   notices (subtype 16) the interop test validates with the SDK's XSD and Schematron:
//!   the example consultation (3 lots), the same without lots, and a 50-lot variant;
//! - `cargo run -p mpe --example publication -- generer-resultat DOSSIER`: writes the result
//!   notices (subtype 29) of the shared procedure scenario: every lot awarded, one lot
//!   infructueux, the same procedure without lots, lot 3 without any tender, and a variant (a Belgian tenderer,
//!   subcontracting declared, a lot sans suite);
//! - `cargo run -p mpe --example publication -- generer-rectificatif DOSSIER`: the contract
//!   notice of the shared scenario's consultation and, after it was modified once published
//!   (pièces, object, lot 2, DLRO postponed), its change notice;
//! - `cargo run -p mpe --example publication -- dume DOSSIER`: writes the buyer's DUME
//!   (ESPD request) of the example consultation in ESPD-EDM 2.1.1 and 4.1.0, as it is (DUME
//!   simplifié) and as a standard DUME;
//! - `cargo run --release -p mpe --example publication -- mesurer [N]`: time the generation
//!   and the pre-check of the 50-lot notice (median of N runs, default 200);
//! - `cargo run --release -p mpe --example publication -- valider SDK [N]`: time mpe's own
//!   Schematron run (`ValidateurEforms`, phase eforms-16) on the 50-lot notice: the one-off
//!   load of the rules and compilation of the phase, then the median of N validations
//!   (default 20).

#[path = "commun/mesure.rs"]
mod mesure;
#[path = "../tests/publication_commun/mod.rs"]
mod publication_commun;

use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use mpe::model::{CodesCpv, Consultation, Lot, Organisation};
use mpe::publication::{DonneesAvis, generer_avis_marche, verifier_avis};

fn entrees() -> Result<(Consultation, Organisation, DonneesAvis), Box<dyn std::error::Error>> {
    let c = Consultation::from_json(include_str!("../../examples/data/consultation.json"))?;
    let o = serde_json::from_str(include_str!("../../examples/data/organisation.json"))?;
    let d = serde_json::from_str(include_str!(
        "../../tests/vectors/publication/donnees_avis.json"
    ))?;
    Ok((c, o, d))
}

/// The notice is sent on 3 November 2026 at 10:00 Paris time (the consultation's
/// date_envoi_avis), the DLRO being 15 December 2026 at 12:00.
fn maintenant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The example consultation with `n` lots (the three real ones repeated with new numbers).
fn avec_lots(c: &Consultation, n: u32) -> Consultation {
    let mut c = c.clone();
    let modeles = c.lots.clone();
    c.lots = (1..=n)
        .map(|i| {
            let m = &modeles[(i as usize - 1) % modeles.len()];
            Lot {
                numero: i,
                intitule: format!("{} ({i})", m.intitule),
                description: m.description.clone(),
                categorie: m.categorie,
                cpv: CodesCpv {
                    principal: m.cpv.principal.clone(),
                    secondaires: m.cpv.secondaires.clone(),
                },
                montant_estime_ht: m.montant_estime_ht,
            }
        })
        .collect();
    c
}

/// The buyer as an entité adjudicatrice (a water network operator), with the data subtype
/// 17 asks for.
fn entite_adjudicatrice(o: &Organisation, d: &DonneesAvis) -> (Organisation, DonneesAvis) {
    let mut ea = o.clone();
    ea.entite.type_acheteur = mpe::model::TypeAcheteur::EntiteAdjudicatrice;
    let mut d = d.clone();
    d.activite = "water".into();
    d.reconductions = 3;
    d.garantie_exigee = true;
    (ea, d)
}

fn generer(dossier: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let (c, o, d) = entrees()?;
    std::fs::create_dir_all(dossier)?;
    let mut sans_lots = c.clone();
    sans_lots.identification.allotie = false;
    sans_lots.lots.clear();
    let mut public = c.clone();
    public.acces.type_acces = mpe::model::TypeAcces::Public;
    public.acces.code_acces = None;
    // Restricted procedure (two phases): the candidatures deadline and BT-50.
    let mut restreinte = c.clone();
    restreinte.identification.procedure = mpe::model::TypeProcedure::AppelOffresRestreint;
    restreinte.modalites.nombre_minimal_candidats = Some(5);
    for (nom, cons) in [
        ("avis-16-consultation.xml", c.clone()),
        ("avis-16-restreinte.xml", restreinte),
        ("avis-16-sans-lots.xml", sans_lots),
        ("avis-16-acces-public.xml", public),
        ("avis-16-50-lots.xml", avec_lots(&c, 50)),
    ] {
        let avis = generer_avis_marche(&cons, &o, &d, maintenant())?;
        std::fs::write(dossier.join(nom), avis.xml.as_bytes())?;
        println!(
            "{nom} : {} octets, {} avertissement(s)",
            avis.xml.len(),
            avis.avertissements.len()
        );
    }
    // The same consultation by an entité adjudicatrice (directive 2014/25): subtype 17.
    let (ea, d_ea) = entite_adjudicatrice(&o, &d);
    let mut negociee = c.clone();
    negociee.identification.procedure = mpe::model::TypeProcedure::ProcedureAvecNegociation;
    for (nom, cons) in [
        ("avis-17-consultation.xml", c.clone()),
        ("avis-17-negociee.xml", negociee),
        ("avis-17-50-lots.xml", avec_lots(&c, 50)),
    ] {
        let avis = generer_avis_marche(&cons, &ea, &d_ea, maintenant())?;
        std::fs::write(dossier.join(nom), avis.xml.as_bytes())?;
        println!(
            "{nom} : {} octets, {} avertissement(s)",
            avis.xml.len(),
            avis.avertissements.len()
        );
    }
    Ok(())
}

fn generer_resultat(dossier: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use publication_commun as pc;
    std::fs::create_dir_all(dossier)?;
    let d = pc::donnees();
    let (tous, o) = pc::procedure_a(pc::TOUS_ATTRIBUES);
    let (infructueux, _) = pc::procedure_a(pc::LOT_INFRUCTUEUX);
    let un = pc::sans_lots(&tous);
    let aucune = pc::aucune_offre(&tous);
    for (nom, p) in [
        ("avis-29-trois-lots.xml", &tous),
        ("avis-29-lot-infructueux.xml", &infructueux),
        ("avis-29-sans-lots.xml", &un),
        ("avis-29-aucune-offre.xml", &aucune),
    ] {
        let contrats = pc::contrats(p, &o);
        let avis = mpe::publication::generer_avis_attribution(p, &o, &d, &contrats, pc::envoi())?;
        std::fs::write(dossier.join(nom), avis.xml.as_bytes())?;
        println!(
            "{nom} : {} octets, {} avertissement(s)",
            avis.xml.len(),
            avis.avertissements.len()
        );
    }
    // The same procedure by an entité adjudicatrice: subtype 30.
    let (ea, d_ea) = entite_adjudicatrice(&o, &d);
    for (nom, p) in [
        ("avis-30-trois-lots.xml", &tous),
        ("avis-30-lot-infructueux.xml", &infructueux),
    ] {
        let contrats = pc::contrats(p, &ea);
        let avis =
            mpe::publication::generer_avis_attribution(p, &ea, &d_ea, &contrats, pc::envoi())?;
        std::fs::write(dossier.join(nom), avis.xml.as_bytes())?;
        println!("{nom} : {} octets", avis.xml.len());
    }
    let (p, d, contrats) = pc::variantes(&tous, &o);
    let avis = mpe::publication::generer_avis_attribution(&p, &o, &d, &contrats, pc::envoi())?;
    std::fs::write(dossier.join("avis-29-variantes.xml"), avis.xml.as_bytes())?;
    println!("avis-29-variantes.xml : {} octets", avis.xml.len());
    Ok(())
}

fn generer_rectificatif(dossier: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use publication_commun as pc;
    std::fs::create_dir_all(dossier)?;
    let (p, o, initial) = pc::modifiee();
    std::fs::write(dossier.join("avis-16-initial.xml"), initial.as_bytes())?;
    let avis = mpe::publication::generer_avis_rectificatif(
        &p,
        &o,
        &pc::donnees(),
        &initial,
        pc::envoi_rectificatif(),
    )?;
    std::fs::write(
        dossier.join("avis-16-rectificatif.xml"),
        avis.xml.as_bytes(),
    )?;
    println!("avis-16-rectificatif.xml : {} octets", avis.xml.len());
    Ok(())
}

fn dume(dossier: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use mpe::publication::{VersionDume, generer_dume_demande};
    std::fs::create_dir_all(dossier)?;
    let (c, o, _) = entrees()?;
    let mut standard = c.clone();
    standard.dume.type_dume = Some(mpe::model::TypeDume::Standard);
    for (genre, cons) in [("simplifie", &c), ("standard", &standard)] {
        for v in [VersionDume::V2_1_1, VersionDume::V4_1_0] {
            let d = generer_dume_demande(cons, &o, v, maintenant())?;
            let nom = format!("dume-{}-{genre}.xml", v.libelle());
            std::fs::write(dossier.join(&nom), d.xml.as_bytes())?;
            println!(
                "{nom} : {} octets, {} critères",
                d.xml.len(),
                d.criteres.len()
            );
        }
    }
    Ok(())
}

fn mediane_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn mesurer(n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let (c, o, d) = entrees()?;
    let c = avec_lots(&c, 50);
    let mut generation = Vec::with_capacity(n);
    let mut pre = Vec::with_capacity(n);
    let mut taille = 0;
    let cpu0 = mesure::cpu_s();
    for _ in 0..n {
        let t = Instant::now();
        let avis = generer_avis_marche(&c, &o, &d, maintenant())?;
        generation.push(t.elapsed().as_secs_f64() * 1000.0);
        taille = avis.xml.len();
        let t = Instant::now();
        let constats = verifier_avis(&c, &o, &d, maintenant());
        pre.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(constats);
    }
    let cpu = mesure::cpu_s() - cpu0;
    println!(
        "avis de marché 50 lots ({taille} octets), {n} essais : génération (pré-contrôle compris) médiane {:.3} ms, pré-contrôle seul médiane {:.3} ms, CPU moyen par essai {:.3} ms",
        mediane_ms(generation),
        mediane_ms(pre),
        cpu * 1000.0 / n as f64
    );
    Ok(())
}

#[cfg(feature = "schematron")]
fn valider(sdk: &std::path::Path, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    use mpe::publication::{ReglesEforms, ValidateurEforms};
    let (c, o, d) = entrees()?;
    let avis = generer_avis_marche(&avec_lots(&c, 50), &o, &d, maintenant())?;
    let dossier = sdk.join("schematrons/static");
    let (cpu0, t) = (mesure::cpu_s(), Instant::now());
    let regles = ReglesEforms::charger("1.15.1", |nom| {
        std::fs::read(dossier.join(nom))
            .map_err(|e| mpe::Erreur::new(mpe::CodeErreur::Es, format!("{nom} : {e}")))
    })?;
    let lecture = (t.elapsed().as_secs_f64(), mesure::cpu_s() - cpu0);
    let v = ValidateurEforms::new(regles);
    let (cpu0, t) = (mesure::cpu_s(), Instant::now());
    v.preparer("eforms-16")?;
    let compilation = (t.elapsed().as_secs_f64(), mesure::cpu_s() - cpu0);
    let mut durees = Vec::with_capacity(n);
    let cpu0 = mesure::cpu_s();
    let mut rapport = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = v.valider(&avis.xml, maintenant())?;
        durees.push(t.elapsed().as_secs_f64() * 1000.0);
        rapport = Some(r);
    }
    let cpu = mesure::cpu_s() - cpu0;
    let r = rapport.ok_or("N = 0")?;
    assert!(r.valide, "{:?}", r.echecs);
    println!(
        "règles lues en {:.2} s ({:.2} s CPU), phase eforms-16 compilée en {:.2} s ({:.2} s CPU)",
        lecture.0, lecture.1, compilation.0, compilation.1
    );
    println!(
        "validation Schematron de l'avis de 50 lots ({} octets, {} règles déclenchées, {} tests), {n} essais : médiane {:.1} ms, CPU moyen {:.1} ms",
        avis.xml.len(),
        r.regles_declenchees,
        r.tests_evalues,
        mediane_ms(durees),
        cpu * 1000.0 / n as f64
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generer") => generer(std::path::Path::new(
            args.get(1)
                .map(String::as_str)
                .unwrap_or("target/publication"),
        )),
        Some("generer-resultat") => generer_resultat(std::path::Path::new(
            args.get(1)
                .map(String::as_str)
                .unwrap_or("target/publication"),
        )),
        Some("generer-rectificatif") => generer_rectificatif(std::path::Path::new(
            args.get(1).map(String::as_str).unwrap_or("target/avis"),
        )),
        Some("dume") => dume(std::path::Path::new(
            args.get(1).map(String::as_str).unwrap_or("target/dume"),
        )),
        Some("mesurer") => mesurer(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200)),
        #[cfg(feature = "schematron")]
        Some("valider") if args.len() > 1 => valider(
            std::path::Path::new(&args[1]),
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(20),
        ),
        _ => {
            eprintln!(
                "usage : publication generer DOSSIER | publication generer-resultat DOSSIER | publication dume DOSSIER | publication mesurer [N] | publication valider SDK [N]"
            );
            std::process::exit(2);
        }
    }
}
