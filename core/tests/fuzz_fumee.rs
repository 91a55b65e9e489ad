//! Fuzzing smoke run, on the stable toolchain, in the test command.
//!
//! Each parser that takes bytes from outside (signatures of every format, CMS envelopes,
//! certificates, keys and PKCS#12, DCE ZIP, DECP JSON and XML, DOCX templates — whose merged
//! output must read back —, consultation JSON, trusted lists, eForms notices) is fed
//! mutations of real files (the test vectors and `../shared/corpus`, `../shared/data`) for a
//! few seconds, with a fixed seed so a failure replays. A panic, or one input costing more
//! than a bound, fails the test; the input is saved under `target/tmp/fuzz-echecs/` and
//! belongs in `core/tests/fuzz/regressions/<cible>/`, which every run replays first.
//!
//! Not coverage-guided (that needs libFuzzer's instrumentation, which a fresh machine's one
//! stable toolchain does not give without cargo-fuzz); it finds what blind mutation of real
//! files finds, every run. `MPE_FUZZ_SECONDES` sets the time per target (default 3),
//! `MPE_FUZZ_GRAINE` the seed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mpe::crypto::cms::{Cle, OptionsDechiffrement};

mod corpus_commun;
use corpus_commun::corpus;

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

/// Files under `dossiers` (recursively) whose name ends with one of `suffixes`.
fn graines(dossiers: &[PathBuf], suffixes: &[&str]) -> Vec<Vec<u8>> {
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
                if taille <= GRAINE_MAX && suffixes.iter().any(|s| n.ends_with(s)) {
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

fn secondes() -> f64 {
    std::env::var("MPE_FUZZ_SECONDES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0)
}

/// Run `cible` on the regressions, the seeds, then mutations until the time is up.
fn fuzz(nom: &str, seeds: Vec<Vec<u8>>, cible: &dyn Fn(&[u8])) {
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
    for r in graines(&[regressions], &[""]) {
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

fn options_verification() -> mpe::signature::OptionsVerification {
    mpe::signature::OptionsVerification::default()
}

#[test]
fn signatures() {
    let c = corpus();
    let seeds = graines(
        &[
            c.join("signatures"),
            racine().join("tests/vectors/signature"),
        ],
        &[
            ".pdf", ".xml", ".p7s", ".p7m", ".p7b", ".der", ".pem", ".sig", ".cms",
        ],
    );
    let opts = options_verification();
    fuzz("signatures", seeds, &|d| {
        let _ = mpe::signature::verifier(d, None, &opts);
    });
}

#[test]
fn enveloppes_cms() {
    let v = racine().join("tests/vectors/crypto");
    let bicle = mpe::crypto::keys::BiCle::load(
        &std::fs::read(v.join("alice.p12")).expect("alice.p12"),
        Some("secret"),
    )
    .expect("clé d'alice");
    let seeds = graines(
        &[corpus().join("cms"), v],
        &[".der", ".p7m", ".pem", ".txt", ".cms", ".bin"],
    );
    let cles = [Cle::Privee(&bicle)];
    let opts = OptionsDechiffrement { legacy: true };
    fuzz("enveloppes_cms", seeds, &|d| {
        let _ = mpe::crypto::cms::dechiffrer(d, &cles, &opts);
    });
}

#[test]
fn certificats_et_cles() {
    let seeds = graines(
        &[
            corpus().join("signatures/trust"),
            racine().join("tests/vectors/crypto"),
        ],
        &[".pem", ".crt", ".cer", ".der", ".p12", ".pfx"],
    );
    fuzz("certificats_et_cles", seeds, &|d| {
        let _ = mpe::crypto::keys::load_certificates(d);
        let _ = mpe::crypto::keys::load_private_key(d, Some("secret"));
        let _ = mpe::crypto::keys::BiCle::load(d, Some("secret"));
    });
}

#[test]
fn dce_zip() {
    let seeds = graines(
        &[
            racine().join("core/src/documents/templates"),
            racine().join("tests/vectors/donnees/ocds"),
        ],
        &[".zip", ".docx"],
    );
    fuzz("dce_zip", seeds, &|d| {
        let _ = mpe::rules::dce::check(d);
    });
}

#[test]
fn modeles_docx() {
    let seeds = graines(&[racine().join("core/src/documents/templates")], &[".docx"]);
    let opts = mpe::documents::OptionsFusion {
        strict: false,
        ..Default::default()
    };
    let donnees = serde_json::json!({});
    fuzz("modeles_docx", seeds, &|d| {
        if let Ok(m) = mpe::documents::Modele::compiler(d, &opts)
            && let Ok(sortie) = m.fusionner(&donnees)
        {
            // Well-formed in, well-formed out: what mpe writes, mpe reads back.
            if let Err(e) = mpe::documents::Modele::compiler(sortie.as_slice(), &opts) {
                panic!("document fusionné illisible par mpe : {e}");
            }
        }
    });
}

#[test]
fn decp() {
    let seeds = graines(
        &[
            corpus().join("decp"),
            racine().join("tests/vectors/donnees"),
        ],
        &[".json", ".xml"],
    );
    let jour = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    fuzz("decp", seeds, &|d| {
        let src: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(d.to_vec()));
        if let Ok(l) =
            mpe::donnees::LecteurDecp::depuis_lecteur(src, mpe::donnees::OptionsImport::new(jour))
        {
            for _ in l {}
        }
    });
}

#[test]
fn consultations_json() {
    let seeds = graines(
        &[
            racine().join("tests/vectors/consultation"),
            racine().join("tests/vectors/procedure"),
        ],
        &[".json"],
    );
    let maintenant = chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z")
        .expect("instant")
        .to_utc();
    fuzz("consultations_json", seeds, &|d| {
        if let Ok(c) = serde_json::from_slice::<mpe::model::Consultation>(d) {
            let _ = mpe::rules::valider(&c, None, maintenant);
        }
    });
}

#[test]
fn listes_de_confiance() {
    let seeds = graines(&[corpus().join("tsl")], &[".xml"]);
    let date = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
        .expect("instant")
        .to_utc();
    let opts = mpe::confiance::OptionsListe {
        certificats_annonces: vec![],
        date,
        sequence_connue: None,
        territoire_annonce: None,
    };
    fuzz("listes_de_confiance", seeds, &|d| {
        let _ = mpe::confiance::lire_liste(d);
        let _ = mpe::confiance::verifier_liste(d, &opts);
    });
}

#[test]
fn avis_eforms() {
    let seeds = graines(
        &[corpus_commun::donnees_officielles().join("eforms/1.15.1/examples")],
        &[".xml"],
    );
    fuzz("avis_eforms", seeds, &|d| {
        if let Ok(t) = std::str::from_utf8(d) {
            let _ = mpe::publication::lire_avis(t);
        }
    });
}
