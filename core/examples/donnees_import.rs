//! Import a DECP file and print the import report as JSON (used by the interop tests and
//! by hand): `cargo run -p mpe --example donnees_import -- FILE [AAAA-MM-JJ] [STORE_OUT]`.

#[path = "commun/mesure.rs"]
mod mesure;
use mesure::cpu_s;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let fichier = PathBuf::from(
        args.next()
            .ok_or("usage: donnees_import FICHIER [AAAA-MM-JJ] [ENTREPOT]")?,
    );
    let jour = match args.next() {
        Some(j) => chrono::NaiveDate::parse_from_str(&j, "%Y-%m-%d")?,
        None => chrono::Utc::now().date_naive(),
    };
    let mut e = mpe::donnees::Entrepot::new();
    let (c0, t0) = (cpu_s(), std::time::Instant::now());
    let l = mpe::donnees::LecteurDecp::ouvrir(&fichier, mpe::donnees::OptionsImport::new(jour))?;
    let rapport = e.importer(l)?;
    let cpu = cpu_s() - c0;
    // Figures on stderr: stdout is the report.
    eprintln!(
        "import : {} enregistrements, {cpu:.2} s CPU ({:.0}/s), {:.2} s écoulées",
        rapport.lus,
        rapport.lus as f64 / cpu,
        t0.elapsed().as_secs_f64()
    );
    if let Some(sortie) = args.next() {
        e.enregistrer(std::io::BufWriter::new(std::fs::File::create(sortie)?))?;
    }
    println!("{}", serde_json::to_string_pretty(&rapport)?);
    Ok(())
}
