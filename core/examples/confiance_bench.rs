//! Loading and verifying the corpus's LOTL (sequence 248) and every national list of the
//! corpus, then the same again through the cache (keyed by list digest): CPU time of each.
//!
//! `cargo run --release -p mpe --example confiance_bench [CORPUS]`

use std::path::{Path, PathBuf};
use std::time::Instant;

use mpe::confiance::{self, CacheListes};

/// User + system CPU time of this process, in seconds (Linux /proc; 0 elsewhere).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let champs: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    let t = |i: usize| {
        champs
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the name).
    (t(11) + t(12)) / 100.0
}

fn xml(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entrees: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entrees.sort();
    for p in entrees {
        if p.is_dir() {
            xml(&p, out);
        } else if p.extension().is_some_and(|e| e == "xml") {
            out.push(p);
        }
    }
}

fn main() {
    let corpus = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let lotl = std::fs::read(corpus.join("tsl/dss/eu-lotl.xml")).expect("corpus introuvable");
    let ancre = std::fs::read(corpus.join("tsl/anchors/lotl-signer-patrick-kremer.pem")).unwrap();
    let ancres = mpe::signature::certificats(&ancre).unwrap();
    let mut chemins = vec![];
    xml(&corpus.join("tsl/dss"), &mut chemins);
    let listes: Vec<Vec<u8>> = chemins
        .iter()
        .filter(|p| !p.ends_with("eu-lotl.xml"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let refs: Vec<&[u8]> = listes.iter().map(Vec::as_slice).collect();
    let octets: usize = listes.iter().map(Vec::len).sum::<usize>() + lotl.len();
    let date = chrono::DateTime::parse_from_rfc3339("2019-09-05T00:00:00Z")
        .unwrap()
        .to_utc();

    let mut cache = CacheListes::new();
    let (c0, t0) = (cpu(), Instant::now());
    let c = confiance::charger(&lotl, &ancres, &refs, date, &mut cache);
    let (premier_cpu, premier_mur) = (cpu() - c0, t0.elapsed());
    let (c1, t1) = (cpu(), Instant::now());
    let c2 = confiance::charger(&lotl, &ancres, &refs, date, &mut cache);
    let (second_cpu, second_mur) = (cpu() - c1, t1.elapsed());
    assert_eq!(c.listes, c2.listes);
    let utilisees = c.entrees.iter().filter(|e| e.utilisee()).count();
    println!(
        "listes : LOTL + {} listes ({:.1} Mo), {} utilisées, {} prestataires, {} services",
        listes.len(),
        octets as f64 / 1e6,
        utilisees,
        c.listes.iter().map(|l| l.prestataires.len()).sum::<usize>(),
        c.listes.iter().map(|l| l.nombre_services()).sum::<usize>()
    );
    println!(
        "premier chargement : {premier_cpu:.2} s CPU, {:.0} ms",
        premier_mur.as_secs_f64() * 1e3
    );
    println!(
        "second chargement (cache par empreinte) : {second_cpu:.2} s CPU, {:.1} ms",
        second_mur.as_secs_f64() * 1e3
    );
}
