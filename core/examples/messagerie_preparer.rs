//! Prepare a letter from a `DemandeEnvoi` JSON file and write each message as
//! `<dir>/message-<n>.eml`, and the `Envoi` JSON (without the MIME) on stdout.
//!
//! `cargo run -p mpe --example messagerie_preparer -- demande.json out/`
//! Used by the interoperability tests; tokens come from `rand::rng()`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(entree), Some(dossier)) = (args.get(1), args.get(2)) else {
        return Err("usage : messagerie_preparer DEMANDE.json DOSSIER".into());
    };
    let demande: mpe::messagerie::DemandeEnvoi =
        serde_json::from_str(&std::fs::read_to_string(entree)?)?;
    let envoi = mpe::messagerie::preparer_envoi(&demande, &mut rand::rng())?;
    std::fs::create_dir_all(dossier)?;
    for (i, m) in envoi.messages.iter().enumerate() {
        std::fs::write(format!("{dossier}/message-{i}.eml"), &m.mime)?;
    }
    let mut resume = serde_json::to_value(&envoi)?;
    if let Some(ms) = resume.get_mut("messages").and_then(|m| m.as_array_mut()) {
        for m in ms {
            if let Some(o) = m.as_object_mut() {
                o.remove("mime");
            }
        }
    }
    println!("{}", serde_json::to_string_pretty(&resume)?);
    Ok(())
}
