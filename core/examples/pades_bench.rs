//! PAdES verification timings for `benches/pades_compare.py`.
//!
//! pades_bench corpus <liste> <iterations>   verify every PDF listed (one path a line),
//!                                           print the total seconds of the best iteration
//! pades_bench fichier <pdf> <iterations>    sign the PDF (test identity of tests/vectors),
//!                                           then verify it and, as the floor,
//!                                           SHA-256 over its signed bytes; print both
//!                                           medians in seconds

use std::time::Instant;

use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
};
use sha2::{Digest, Sha256};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (mode, chemin, n) = match args.as_slice() {
        [_, m, c, n] => (m.as_str(), c.as_str(), n.parse::<usize>()?),
        _ => return Err("usage : pades_bench <corpus|fichier> <chemin> <iterations>".into()),
    };
    let opts = OptionsVerification::default();
    match mode {
        "corpus" => {
            let fichiers: Vec<Vec<u8>> = std::fs::read_to_string(chemin)?
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(std::fs::read)
                .collect::<Result<_, _>>()?;
            let mut meilleur = f64::MAX;
            for _ in 0..n {
                let t = Instant::now();
                for f in &fichiers {
                    // Every answer counts, errors included: the work is what is timed.
                    let _ = signature::verifier(f, None, &opts);
                }
                meilleur = meilleur.min(t.elapsed().as_secs_f64());
            }
            println!("{meilleur:.6}");
        }
        "fichier" => {
            let v = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/signature/");
            let signataire = Signataire::from_pem(
                &std::fs::read_to_string(format!("{v}signataire.key"))?,
                &std::fs::read_to_string(format!("{v}signataire.pem"))?,
            )?;
            let brut = std::fs::read(chemin)?;
            let pdf = signature::signer(
                FormatSignature::PAdES,
                DonneesSignees::Octets(&brut),
                &signataire,
                &OptionsSignature::new(chrono::Utc::now()),
            )?;
            let r = signature::verifier(&pdf, None, &opts)?;
            if r.signatures.is_empty() || !r.signatures.iter().all(|s| s.integrite) {
                return Err("le PDF du banc doit être signé et intact".into());
            }
            // The signed bytes: everything but the /Contents hole of the last signature.
            let d = pdf
                .windows(10)
                .rposition(|w| w == b"/Contents ")
                .ok_or("pas de /Contents")?;
            let b = d + pdf[d..].iter().position(|x| *x == b'<').ok_or("pas de <")?;
            let c = b + pdf[b..].iter().position(|x| *x == b'>').ok_or("pas de >")? + 1;
            let mut v = vec![];
            let mut h = vec![];
            for _ in 0..n {
                let t = Instant::now();
                let _ = signature::verifier(&pdf, None, &opts)?;
                v.push(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let mut s = Sha256::new();
                s.update(&pdf[..b]);
                s.update(&pdf[c..]);
                std::hint::black_box(s.finalize());
                h.push(t.elapsed().as_secs_f64());
            }
            v.sort_by(f64::total_cmp);
            h.sort_by(f64::total_cmp);
            println!("{:.6} {:.6}", v[n / 2], h[n / 2]);
        }
        _ => return Err("mode inconnu".into()),
    }
    Ok(())
}
