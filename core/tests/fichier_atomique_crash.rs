//! A writer killed with SIGKILL in the middle of an output leaves nothing: no partial file
//! under the final name, no temporary beside it, the previous version intact.
//!
//! The test runs its own binary again as the writer (the ignored test below, selected by
//! name), waits until it has written part of the file, and kills it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use mpe::fichier_atomique::{Confidentialite, FichierAtomique};

const DOSSIER: &str = "MPE_TEST_DOSSIER_ECRIVAIN";

/// The writer: 8 MB written, then it waits to be killed. Run only by the test below.
#[test]
#[ignore = "lancé par ecrivain_tue_ne_laisse_rien, comme processus à tuer"]
fn ecrivain_enfant() {
    let dossier = std::env::var(DOSSIER).expect("lancé par le test parent");
    let chemin = std::path::Path::new(&dossier).join("pli.bin");
    let mut f = FichierAtomique::creer(&chemin, Confidentialite::Privee).unwrap();
    for _ in 0..8 {
        f.write_all(&[0x5a; 1 << 20]).unwrap();
    }
    f.flush().unwrap();
    // The harness has printed "test ecrivain_enfant ... " on this line already.
    println!("ECRIT");
    std::io::stdout().flush().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(120));
    panic!("aurait dû être tué");
}

#[test]
fn ecrivain_tue_ne_laisse_rien() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("pli.bin"), b"version precedente").unwrap();
    let mut enfant = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "ecrivain_enfant",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DOSSIER, d.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lignes = BufReader::new(enfant.stdout.take().unwrap()).lines();
    let pret = lignes
        .by_ref()
        .map_while(Result::ok)
        .any(|l| l.ends_with("ECRIT"));
    assert!(pret, "l'écrivain n'a pas écrit");
    enfant.kill().unwrap(); // SIGKILL: no destructor runs
    let statut = enfant.wait().unwrap();
    assert!(!statut.success());
    let noms: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(noms, vec!["pli.bin".to_string()], "restes après kill -9");
    assert_eq!(
        std::fs::read(d.path().join("pli.bin")).unwrap(),
        b"version precedente"
    );
}
