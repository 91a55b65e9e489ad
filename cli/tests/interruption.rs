//! `mpe` killed with SIGKILL while it writes (encrypt, decrypt, DECP import) leaves nothing
//! behind — no partial output, no temporary — and the same command run again succeeds.
//!
//! The test waits until the process holds its output open and has written part of it (an
//! unnamed `O_TMPFILE` file of the output folder, seen in `/proc/PID/fd`), then kills it.
#![cfg(target_os = "linux")]

mod commun;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use commun::{mpe, ok};

/// Run `mpe args` in `dir` and kill it once it has written at least `octets` to an unnamed
/// file of `dir`.
fn tuer_pendant_ecriture(dir: &Path, args: &[&str], octets: u64) {
    let mut enfant = Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let fds = format!("/proc/{}/fd", enfant.id());
    let dossier = dir.canonicalize().unwrap();
    let fin = Instant::now() + Duration::from_secs(120);
    'attente: loop {
        assert!(
            enfant.try_wait().unwrap().is_none(),
            "{args:?} a fini avant d'être tué : entrée trop petite"
        );
        assert!(Instant::now() < fin, "{args:?} : aucune sortie en cours");
        if let Ok(it) = std::fs::read_dir(&fds) {
            for e in it.flatten() {
                let Ok(cible) = std::fs::read_link(e.path()) else {
                    continue;
                };
                // An O_TMPFILE file shows as "DIR/#INODE (deleted)".
                let anonyme = cible.parent() == Some(dossier.as_path())
                    && cible.to_string_lossy().contains('#');
                if anonyme && std::fs::metadata(e.path()).is_ok_and(|m| m.len() >= octets) {
                    break 'attente;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    enfant.kill().unwrap();
    enfant.wait().unwrap();
}

fn noms(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn chiffrer_et_dechiffrer_tues_ne_laissent_rien() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "Ville",
            "--sans-mot-de-passe",
            "--dossier",
            ".",
        ],
    ));
    // 32 MB: long enough for a debug build to be caught in the middle.
    let data: Vec<u8> = (0..32u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(p.join("offre.zip"), &data).unwrap();
    let avant = noms(p);
    let chiffrer = [
        "chiffrer",
        "--destinataire",
        "Ville.cert.pem",
        "offre.zip",
        "-o",
        "offre.p7m",
    ];
    tuer_pendant_ecriture(p, &chiffrer, 1 << 20);
    assert_eq!(noms(p), avant, "restes après kill -9 du chiffrement");
    ok(&mpe(p, &chiffrer));

    let avant = noms(p);
    let dechiffrer = [
        "dechiffrer",
        "--cle",
        "Ville.key.pem",
        "offre.p7m",
        "-o",
        "clair.zip",
    ];
    tuer_pendant_ecriture(p, &dechiffrer, 1 << 20);
    assert_eq!(noms(p), avant, "restes après kill -9 du déchiffrement");
    ok(&mpe(p, &dechiffrer));
    assert!(std::fs::read(p.join("clair.zip")).unwrap() == data);
}

#[test]
fn import_decp_tue_ne_laisse_rien() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // A big 2022-format file: many distinct contracts, so the store written at the end is
    // large enough to be caught while written.
    let mut s = String::from("{\"marches\":{\"marche\":[");
    for i in 0..150_000u32 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"id\":\"2025{i:010}\",\"acheteur\":{{\"id\":\"21690123100011\"}},\"nature\":\"Marché\",\"objet\":\"Travaux n°{i} de voirie\",\"codeCPV\":\"45233140-2\",\"procedure\":\"Procédure adaptée\",\"lieuExecution\":{{\"code\":\"69001\",\"typeCode\":\"Code postal\"}},\"dureeMois\":12,\"dateNotification\":\"2025-03-{:02}\",\"datePublicationDonnees\":\"2025-04-01\",\"montant\":{},\"formePrix\":\"Unitaire\",\"titulaires\":[{{\"titulaire\":{{\"typeIdentifiant\":\"SIRET\",\"id\":\"44306184100047\"}}}}]}}",
            1 + i % 28,
            10_000 + i
        ));
    }
    s.push_str("]}}");
    std::fs::write(p.join("decp.json"), s).unwrap();
    let avant = noms(p);
    let importer = [
        "decp",
        "importer",
        "decp.json",
        "--rapport",
        "rapport.json",
        "-o",
        "marches.mpedecp",
        "--aujourd-hui",
        "2026-01-10",
    ];
    tuer_pendant_ecriture(p, &importer, 1);
    assert_eq!(noms(p), avant, "restes après kill -9 de l'import");
    ok(&mpe(p, &importer));
    assert!(p.join("marches.mpedecp").exists() && p.join("rapport.json").exists());
}
