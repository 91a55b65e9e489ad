//! Regenerate the DAJ form templates shipped in `core/src/documents/templates/`.
//!
//! `cargo run -p mpe --example documents_modeles [dossier]`

#[path = "../src/documents/templates/generer.rs"]
mod generer;

fn main() -> std::io::Result<()> {
    let dossier = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/src/documents/templates").to_string()
    });
    for f in generer::formulaires() {
        let chemin = format!("{dossier}/{}.docx", f.code);
        std::fs::write(&chemin, generer::docx(&f))?;
        println!("{chemin}");
    }
    Ok(())
}
