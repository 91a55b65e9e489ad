//! Generate DAJ forms from a procedure JSON (or the built-in example) into a folder.
//!
//! `cargo run -p mpe --example documents_generer -- DOSSIER [procedure.json] [CODE...]`

use mpe::documents::formulaires::{self, CATALOGUE, DonneesProcedure};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dossier = args
        .next()
        .ok_or("usage : documents_generer DOSSIER [procedure.json] [CODE...]")?;
    let mut procedure = DonneesProcedure::exemple();
    let mut codes: Vec<String> = Vec::new();
    for a in args {
        if a.ends_with(".json") {
            procedure = serde_json::from_slice(&std::fs::read(&a)?)?;
        } else {
            codes.push(a);
        }
    }
    if codes.is_empty() {
        codes = CATALOGUE.iter().map(|f| f.code.to_string()).collect();
    }
    std::fs::create_dir_all(&dossier)?;
    for c in codes {
        let docx = formulaires::generer(&c, &procedure)?;
        std::fs::write(format!("{dossier}/{c}.docx"), docx)?;
    }
    Ok(())
}
