//! The procedure benchmarks measured in CPU time of this (single-threaded) process, read
//! from /proc/self/stat before and after a run of several seconds — what one core does,
//! whatever else the machine runs. `cargo bench -p mpe --bench procedure_cpu`.

mod procedure_commun;

use std::hint::black_box;
use std::time::Instant;

use mpe::procedure::Procedure;
use procedure_commun::{banc, grand_etat, jouer, journee};

/// CPU time (user + system) of this process in seconds, at the kernel's tick resolution.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let apres = &stat[stat.rfind(')').unwrap() + 2..];
    let champs: Vec<&str> = apres.split_whitespace().collect();
    let ticks: f64 = champs[11].parse::<f64>().unwrap() + champs[12].parse::<f64>().unwrap();
    // USER_HZ is 100 on Linux.
    ticks / 100.0
}

/// Run `f` until at least `secondes` of CPU time passed; returns (iterations, cpu s, wall s).
fn mesurer(secondes: f64, mut f: impl FnMut()) -> (u64, f64, f64) {
    let (c0, t0) = (cpu(), Instant::now());
    let mut n = 0;
    while cpu() - c0 < secondes {
        for _ in 0..10 {
            f();
        }
        n += 10;
    }
    (n, cpu() - c0, t0.elapsed().as_secs_f64())
}

fn main() {
    // `-- lecture` or `-- ecriture`: only that half of the round trip, for a profiler
    // (`perf record target/release/deps/procedure_cpu-* lecture`).
    if let Some(seul) = std::env::args().find(|a| a == "lecture" || a == "ecriture") {
        let etat = grand_etat();
        let texte = etat.to_json();
        let (n, c, _) = mesurer(8.0, || {
            if seul == "lecture" {
                black_box(Procedure::from_json(black_box(&texte)).unwrap());
            } else {
                black_box(black_box(&etat).to_json());
            }
        });
        println!("{seul} : {:.3} ms CPU", c * 1000.0 / n as f64);
        return;
    }
    if std::env::args().any(|a| a == "parties") {
        // Where the reading time goes: the consultation (100 lots) and the plis alone.
        let etat = grand_etat();
        if let Ok(f) = std::env::var("MPE_ECRIRE_ETAT") {
            std::fs::write(f, etat.to_json()).unwrap();
        }
        let c = serde_json::to_string(&etat.consultation).unwrap();
        let plis = serde_json::to_string(&etat.plis).unwrap();
        let (n, t, _) = mesurer(3.0, || {
            black_box(serde_json::from_str::<mpe::model::Consultation>(black_box(&c)).unwrap());
        });
        println!(
            "consultation ({} octets) : {:.3} ms CPU",
            c.len(),
            t * 1000.0 / n as f64
        );
        let (n, t, _) = mesurer(3.0, || {
            black_box(serde_json::from_str::<Vec<mpe::procedure::Pli>>(black_box(&plis)).unwrap());
        });
        println!(
            "plis ({} octets) : {:.3} ms CPU",
            plis.len(),
            t * 1000.0 / n as f64
        );
        let (n, t, _) = mesurer(3.0, || {
            black_box(serde_json::from_str::<serde::de::IgnoredAny>(black_box(&plis)).unwrap());
        });
        println!("plis, lecture à vide : {:.3} ms CPU", t * 1000.0 / n as f64);
        return;
    }
    let b = banc(3);
    let suite = journee(&b);
    let (n, c, w) = mesurer(5.0, || {
        let mut etat = b.etat.clone();
        black_box(jouer(&b, &mut etat, &suite));
    });
    let actions = n as f64 * suite.len() as f64;
    println!(
        "appliquer (retraits, questions, dépôts) avec journal : {:.0} actions/s CPU ({:.0} actions/s horloge murale)",
        actions / c,
        actions / w
    );

    let etat = grand_etat();
    let texte = etat.to_json();
    let (n, c, w) = mesurer(5.0, || {
        let p = Procedure::from_json(black_box(&texte)).unwrap();
        black_box(p.to_json());
    });
    println!(
        "aller-retour JSON 100 lots / 500 plis ({} octets) : {:.3} ms CPU ({:.3} ms horloge murale)",
        texte.len(),
        c * 1000.0 / n as f64,
        w * 1000.0 / n as f64
    );
    let (n, c, _) = mesurer(3.0, || {
        black_box(Procedure::from_json(black_box(&texte)).unwrap());
    });
    println!("  dont lecture : {:.3} ms CPU", c * 1000.0 / n as f64);
    let (n, c, _) = mesurer(3.0, || {
        black_box(etat.to_json());
    });
    println!("  dont écriture : {:.3} ms CPU", c * 1000.0 / n as f64);
}
