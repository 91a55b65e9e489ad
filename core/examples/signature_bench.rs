//! In-process timing of mpe's signatures with the key already loaded (the counterpart of
//! pyHanko's in-process timing in `benches/signature_compare.py`).
//!
//! ```text
//! signature_bench <pades-sign|pades-verify> <fichier.pdf> <iterations> <vectors-dir>
//! ```
//! Prints the median time in milliseconds.

use std::time::Instant;

use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let get = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or("usage: signature_bench <op> <pdf> <n> <vectors>")
    };
    let op = get(1)?;
    let pdf = std::fs::read(get(2)?)?;
    let n: usize = get(3)?.parse()?;
    let dir = std::path::PathBuf::from(get(4)?);
    let signer = Signataire::from_pem(
        &std::fs::read_to_string(dir.join("signataire.key"))?,
        &std::fs::read_to_string(dir.join("signataire.pem"))?,
    )?;
    let opts = OptionsSignature::new(chrono::Utc::now());
    let verif = OptionsVerification {
        ancres: Signataire::certificats_pem(&std::fs::read_to_string(dir.join("ca.pem"))?)?,
        date_verification: Some(chrono::Utc::now()),
        ..Default::default()
    };
    let signed = signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(&pdf),
        &signer,
        &opts,
    )?;
    let mut times = vec![];
    for _ in 0..n {
        let t = Instant::now();
        match op.as_str() {
            "load" => {
                std::hint::black_box(lopdf::Document::load_mem(&signed)?);
            }
            "hash" => {
                std::hint::black_box(signature::AlgorithmeEmpreinte::Sha256.hash(&signed));
            }
            "pades-sign" => {
                let out = signature::signer(
                    FormatSignature::PAdES,
                    DonneesSignees::Octets(&pdf),
                    &signer,
                    &opts,
                )?;
                std::hint::black_box(out);
            }
            _ => {
                let r = signature::verifier(&signed, None, &verif)?;
                if r.statut != signature::Statut::Valide {
                    return Err("signature non valide".into());
                }
            }
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("{:.3}", times.get(times.len() / 2).copied().unwrap_or(0.0));
    Ok(())
}
