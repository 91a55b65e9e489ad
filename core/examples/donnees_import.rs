//! Import a DECP file and print the import report as JSON (used by the interop tests and
//! by hand): `cargo run -p mpe --example donnees_import -- FILE [AAAA-MM-JJ] [STORE_OUT]`.

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
    let l = mpe::donnees::LecteurDecp::ouvrir(&fichier, mpe::donnees::OptionsImport::new(jour))?;
    let rapport = e.importer(l)?;
    if let Some(sortie) = args.next() {
        e.enregistrer(std::io::BufWriter::new(std::fs::File::create(sortie)?))?;
    }
    println!("{}", serde_json::to_string_pretty(&rapport)?);
    Ok(())
}
