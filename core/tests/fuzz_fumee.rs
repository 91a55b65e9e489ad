//! Fuzzing smoke run, on the stable toolchain, in the test command.
//!
//! The targets are those of the cargo-fuzz crate (`fuzz/cibles.rs`, one definition for
//! both): every parser that takes bytes from outside. Each is fed mutations of its seeds
//! (`fuzz/graines.txt`: the test vectors, `../shared/corpus`, `../shared/data`) for a few
//! seconds, with a fixed seed so a failure replays. A panic (a target's invariant included),
//! or one input costing more than a bound, fails the test; the input is saved under
//! `target/tmp/fuzz-echecs/` and belongs in `core/tests/fuzz/regressions/<cible>/`, which
//! every run replays first.
//!
//! Blind mutation, not coverage-guided: the coverage-guided runs are `scripts/fuzz.sh`
//! (`docs/fuzz.md`). `MPE_FUZZ_SECONDES` sets the time per target (default 3),
//! `MPE_FUZZ_GRAINE` the seed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../../fuzz/cibles.rs"]
mod cibles;
mod corpus_commun;

/// A debug build is ~20x slower than release; one input taking longer than this is a
/// cost bug (the release bounds are checked by the limit tests).
const COUT_MAX: Duration = Duration::from_secs(5);
/// Seeds larger than this slow the run more than they add.
const GRAINE_MAX: u64 = 400_000;

struct Alea(u64);

impl Alea {
    fn suivant(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn sous(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.suivant() % n as u64) as usize
        }
    }
}

/// One mutation of `base` (some also splice in `autre`).
fn muter(a: &mut Alea, base: &[u8], autre: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    let coups = 1 + a.sous(4);
    for _ in 0..coups {
        let n = v.len();
        match a.sous(9) {
            0 if n > 0 => {
                let i = a.sous(n);
                v[i] ^= 1 << a.sous(8);
            }
            1 if n > 0 => {
                let i = a.sous(n);
                v[i] = [0x00, 0xff, 0x7f, 0x80, 0x81, 0x82, 0x84, b'<', b'"', b'0'][a.sous(10)];
            }
            2 => {
                let i = a.sous(n + 1);
                let k = 1 + a.sous(16);
                let bruit: Vec<u8> = (0..k).map(|_| a.suivant() as u8).collect();
                v.splice(i..i, bruit);
            }
            3 if n > 0 => {
                let i = a.sous(n);
                let k = 1 + a.sous((n - i).min(256));
                v.drain(i..i + k);
            }
            4 if n > 0 => {
                // Duplicate a range: nesting, repeated entries, long lengths.
                let i = a.sous(n);
                let k = 1 + a.sous((n - i).min(512));
                let copie = v[i..i + k].to_vec();
                let j = a.sous(v.len() + 1);
                v.splice(j..j, copie);
            }
            5 if n > 0 => v.truncate(a.sous(n)),
            6 if !autre.is_empty() => {
                let i = a.sous(n + 1);
                let j = a.sous(autre.len());
                let k = 1 + a.sous((autre.len() - j).min(1024));
                v.splice(i..i, autre[j..j + k].iter().copied());
            }
            7 if n > 4 => {
                // Big-endian length-like fields: the DER and PDF parsers' favourite lies.
                let i = a.sous(n - 4);
                let x = [0u32, 1, 0x7fff_ffff, 0xffff_ffff, 0x8000_0000, 0x0100_0000][a.sous(6)];
                v[i..i + 4].copy_from_slice(&x.to_be_bytes());
            }
            8 if n > 0 => {
                // Digits: PDF offsets, counts, XML character references.
                let i = a.sous(n);
                v[i] = b'0' + a.sous(10) as u8;
            }
            _ => {}
        }
    }
    v
}

fn racine() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Files under `dossiers` (recursively) whose name ends with one of `suffixes` (`*`: any).
fn fichiers(dossiers: &[PathBuf], suffixes: &[&str]) -> Vec<Vec<u8>> {
    let mut pile: Vec<PathBuf> = dossiers.to_vec();
    let mut chemins = Vec::new();
    while let Some(d) = pile.pop() {
        let Ok(it) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in it.flatten() {
            let p = e.path();
            if p.is_dir() {
                pile.push(p);
            } else if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
                let n = n.to_ascii_lowercase();
                let taille = e.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
                if taille <= GRAINE_MAX && suffixes.iter().any(|s| *s == "*" || n.ends_with(s)) {
                    chemins.push(p);
                }
            }
        }
    }
    chemins.sort();
    chemins
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// The lines of `fuzz/graines.txt` for `nom`: (folder, suffixes).
fn lignes_graines(nom: &str) -> Vec<(PathBuf, Vec<&'static str>)> {
    include_str!("../../fuzz/graines.txt")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut champs = l.split_whitespace();
            let (cible, dossier, suffixes) = (champs.next()?, champs.next()?, champs.next()?);
            if cible != nom {
                return None;
            }
            let chemin = if let Some(r) = dossier.strip_prefix("depot:") {
                racine().join(r)
            } else if let Some(r) = dossier.strip_prefix("corpus:") {
                corpus_commun::corpus().join(r)
            } else if let Some(r) = dossier.strip_prefix("donnees:") {
                corpus_commun::donnees_officielles().join(r)
            } else {
                panic!("fuzz/graines.txt : dossier sans préfixe connu : {dossier}");
            };
            assert!(
                chemin.is_dir(),
                "graines de {nom} : {} absent",
                chemin.display()
            );
            Some((chemin, suffixes.split(',').collect()))
        })
        .collect()
}

fn graines(nom: &str) -> Vec<Vec<u8>> {
    lignes_graines(nom)
        .into_iter()
        .flat_map(|(d, s)| fichiers(&[d], &s))
        .collect()
}

fn secondes() -> f64 {
    std::env::var("MPE_FUZZ_SECONDES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0)
}

/// Run target `nom` on its regressions, its seeds, then mutations until the time is up.
fn fuzz(nom: &str) {
    let Some(&(_, cible)) = cibles::CIBLES.iter().find(|(n, _)| *n == nom) else {
        panic!("cible inconnue : {nom}");
    };
    let seeds = graines(nom);
    assert!(!seeds.is_empty(), "{nom} : aucune graine (corpus absent ?)");
    let graine = std::env::var("MPE_FUZZ_GRAINE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d70_655f_6675_7a7a_u64);
    let mut a = Alea(graine ^ nom.bytes().fold(0u64, |h, b| h.rotate_left(5) ^ b as u64) | 1);
    let essayer = |entree: &[u8], quoi: &str| {
        let t = Instant::now();
        let r = catch_unwind(AssertUnwindSafe(|| cible(entree)));
        let duree = t.elapsed();
        if r.is_err() || duree > COUT_MAX {
            let dossier = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-echecs");
            let _ = std::fs::create_dir_all(&dossier);
            let fichier = dossier.join(format!(
                "{nom}-{:016x}",
                Alea(entree.len() as u64 | 1).suivant()
            ));
            let _ = std::fs::write(&fichier, entree);
            panic!(
                "{nom} : {} sur {quoi} ({} octets, {duree:?}) ; entrée dans {}",
                if r.is_err() {
                    "panique"
                } else {
                    "coût non borné"
                },
                entree.len(),
                fichier.display()
            );
        }
    };
    let regressions = racine().join("core/tests/fuzz/regressions").join(nom);
    for r in fichiers(&[regressions], &["*"]) {
        essayer(&r, "une régression");
    }
    for s in &seeds {
        essayer(s, "une graine");
    }
    let fin = Instant::now() + Duration::from_secs_f64(secondes());
    let mut n = 0u64;
    while Instant::now() < fin {
        let base = &seeds[a.sous(seeds.len())];
        let autre = &seeds[a.sous(seeds.len())];
        let m = muter(&mut a, base, autre);
        essayer(&m, "une mutation");
        n += 1;
    }
    eprintln!("{nom} : {} graines, {n} mutations", seeds.len());
}

macro_rules! cibles {
    ($($nom:ident),* $(,)?) => {
        $(
            #[test]
            fn $nom() {
                fuzz(stringify!($nom));
            }
        )*

        /// Every target of `fuzz/cibles.rs` has its test here, its cargo-fuzz binary, seeds
        /// and nothing else is listed: the two harnesses cannot drift apart.
        #[test]
        fn cibles_coherentes() {
            let ici: Vec<&str> = vec![$(stringify!($nom)),*];
            let definies: Vec<&str> = cibles::CIBLES.iter().map(|(n, _)| *n).collect();
            assert_eq!(ici, definies, "cibles de fuzz_fumee.rs et de fuzz/cibles.rs");
            let manifeste = std::fs::read_to_string(racine().join("fuzz/Cargo.toml"))
                .expect("fuzz/Cargo.toml");
            let mut binaires: Vec<String> = manifeste
                .lines()
                .filter_map(|l| l.strip_prefix("name = \""))
                .filter_map(|l| l.strip_suffix('"'))
                .filter(|n| *n != "mpe-fuzz")
                .map(str::to_string)
                .collect();
            binaires.sort();
            let mut attendus: Vec<String> = definies.iter().map(|n| n.to_string()).collect();
            attendus.sort();
            assert_eq!(binaires, attendus, "[[bin]] de fuzz/Cargo.toml");
            for n in &definies {
                let source = racine().join(format!("fuzz/fuzz_targets/{n}.rs"));
                let texte = std::fs::read_to_string(&source)
                    .unwrap_or_else(|_| panic!("{} absent", source.display()));
                assert!(
                    texte.contains(&format!("cibles::{n}(")),
                    "{} n'appelle pas cibles::{n}",
                    source.display()
                );
                assert!(!lignes_graines(n).is_empty(), "{n} sans graines dans fuzz/graines.txt");
            }
            for l in include_str!("../../fuzz/graines.txt").lines() {
                if let Some(c) = l.split_whitespace().next().filter(|c| !c.starts_with('#')) {
                    assert!(definies.contains(&c), "fuzz/graines.txt : cible inconnue {c}");
                }
            }
        }
    };
}

cibles!(
    signatures_cms,
    signatures_pdf,
    signatures_xades,
    enveloppes_cms,
    certificats_et_cles,
    dce_zip,
    modeles_docx,
    decp_json,
    decp_xml,
    consultations_json,
    actions_json,
    journal_jsonl,
    listes_de_confiance,
    avis_eforms,
);
