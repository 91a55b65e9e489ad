//! Crash-clean output files: a file appears under its final name complete or not at all, and
//! a crash (kill -9, power loss) leaves nothing behind.
//!
//! On Linux the bytes go to an anonymous file (`O_TMPFILE`) in the target folder, which has
//! no name until it is complete: the kernel frees it if the process dies. It is then linked
//! under a fresh temporary name and renamed onto the final name (the rename is what replaces
//! an existing file atomically). Where `O_TMPFILE` is missing (other systems, some file
//! systems, no `/proc`), a named temporary `.NOM.mpe-tmp-PID-N` is used, and the next writer
//! of the same file on that path removes those whose process is gone. (On Linux, a crash in
//! the two system calls between `linkat` and `rename` can also leave one; only the fallback
//! path scans for them, so that writing many files into one folder stays linear.)
//!
//! Private outputs (decrypted plis, keys) are created `0600` and never readable by others,
//! not even while being written; public outputs end as `0644`.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{CodeErreur, Erreur, Result};

/// Who may read the finished file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidentialite {
    /// `0644`: documents, signatures, envelopes, exports.
    Publique,
    /// `0600`: plaintext of decrypted plis, private keys.
    Privee,
}

/// Suffix of the named temporaries, also what the cleaner looks for.
const MARQUE: &str = ".mpe-tmp-";

static COMPTEUR: AtomicU64 = AtomicU64::new(0);

/// An output being written; [`FichierAtomique::terminer`] publishes it. Dropped before, it
/// leaves nothing.
#[derive(Debug)]
pub struct FichierAtomique {
    fichier: File,
    dossier: PathBuf,
    chemin: PathBuf,
    acces: Confidentialite,
    /// The named temporary, when `O_TMPFILE` could not be used.
    nomme: Option<PathBuf>,
}

fn erreur_io(action: &str, chemin: &Path, e: impl std::fmt::Display) -> Erreur {
    Erreur::new(
        CodeErreur::Es,
        format!("{action} de {} : {e}", chemin.display()),
    )
    .at(chemin.display().to_string())
}

impl FichierAtomique {
    /// Start writing `chemin`. Its folder must exist.
    pub fn creer(chemin: &Path, acces: Confidentialite) -> Result<FichierAtomique> {
        let nom = chemin
            .file_name()
            .ok_or_else(|| Erreur::invalid_argument("chemin de sortie sans nom de fichier"))?;
        let dossier = chemin
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        #[cfg(target_os = "linux")]
        if let Some(fichier) = anonyme::creer(&dossier) {
            return Ok(FichierAtomique {
                fichier,
                dossier,
                chemin: chemin.to_path_buf(),
                acces,
                nomme: None,
            });
        }
        // Only named temporaries can be left behind, so only their writers look for them
        // (a scan per output would make writing many files into one folder quadratic).
        nettoyer_restes(&dossier, nom);
        let tmp = nom_temporaire(&dossier, nom);
        let fichier = creer_nomme(&tmp, acces).map_err(|e| erreur_io("création", &tmp, e))?;
        Ok(FichierAtomique {
            fichier,
            dossier,
            chemin: chemin.to_path_buf(),
            acces,
            nomme: Some(tmp),
        })
    }

    /// The file being written (seekable, for writers that patch a header at the end).
    pub fn fichier(&mut self) -> &mut File {
        &mut self.fichier
    }

    /// Flush to disk and publish under the final name, replacing any previous file.
    pub fn terminer(mut self) -> Result<()> {
        let chemin = self.chemin.clone();
        let io = |e: std::io::Error| erreur_io("écriture", &chemin, e);
        self.fichier.flush().map_err(io)?;
        #[cfg(unix)]
        if self.acces == Confidentialite::Publique {
            use std::os::unix::fs::PermissionsExt;
            self.fichier
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(io)?;
        }
        self.fichier.sync_all().map_err(io)?;
        let tmp = match self.nomme.take() {
            Some(tmp) => tmp,
            #[cfg(target_os = "linux")]
            None => {
                let nom = chemin.file_name().unwrap_or_default();
                let tmp = nom_temporaire(&self.dossier, nom);
                anonyme::nommer(&self.fichier, &tmp).map_err(io)?;
                tmp
            }
            #[cfg(not(target_os = "linux"))]
            None => unreachable!("sans O_TMPFILE, le fichier est toujours nommé"),
        };
        if let Err(e) = std::fs::rename(&tmp, &chemin) {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        // The rename is durable only once the folder is synced.
        if let Ok(d) = File::open(&self.dossier) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Write for FichierAtomique {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.fichier.write(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.fichier.flush()
    }
}

impl Drop for FichierAtomique {
    fn drop(&mut self) {
        if let Some(tmp) = self.nomme.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Write `octets` to `chemin` crash-clean.
pub fn ecrire_atomique(chemin: &Path, octets: &[u8], acces: Confidentialite) -> Result<()> {
    let mut f = FichierAtomique::creer(chemin, acces)?;
    f.write_all(octets)
        .map_err(|e| erreur_io("écriture", chemin, e))?;
    f.terminer()
}

fn nom_temporaire(dossier: &Path, nom: &std::ffi::OsStr) -> PathBuf {
    let mut t = OsString::from(".");
    t.push(nom);
    t.push(format!(
        "{MARQUE}{}-{}",
        std::process::id(),
        COMPTEUR.fetch_add(1, Ordering::Relaxed)
    ));
    dossier.join(t)
}

fn creer_nomme(tmp: &Path, acces: Confidentialite) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).read(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Created private whatever the umask; a public output is opened up at the end.
        let _ = acces;
        o.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = acces;
    o.open(tmp)
}

/// Remove the named temporaries of `nom` left by writers that died (their process is gone).
fn nettoyer_restes(dossier: &Path, nom: &std::ffi::OsStr) {
    let mut prefixe = OsString::from(".");
    prefixe.push(nom);
    prefixe.push(MARQUE);
    let prefixe = prefixe.to_string_lossy().into_owned();
    let Ok(entrees) = std::fs::read_dir(dossier) else {
        return;
    };
    for e in entrees.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        let Some(reste) = n.strip_prefix(&prefixe) else {
            continue;
        };
        let pid = reste.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !processus_vivant(p)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn processus_vivant(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        match i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            // EPERM means it exists but belongs to someone else: leave its file alone.
            Some(p) => !matches!(
                rustix::process::test_kill_process(p),
                Err(rustix::io::Errno::SRCH)
            ),
            None => true,
        }
    }
    #[cfg(not(unix))]
    true
}

#[cfg(target_os = "linux")]
mod anonyme {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags};

    /// An unnamed file in `dossier`, `0600`, or `None` when the system cannot (then the
    /// caller uses a named temporary).
    pub(super) fn creer(dossier: &Path) -> Option<File> {
        // Naming it later goes through /proc/self/fd; without /proc, do not start.
        if !Path::new("/proc/self/fd").is_dir() {
            return None;
        }
        let fd = rustix::fs::openat(
            CWD,
            dossier,
            OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .ok()?;
        Some(File::from(fd))
    }

    /// Give the finished anonymous file the name `tmp` (then renamed onto the final name).
    pub(super) fn nommer(f: &File, tmp: &Path) -> std::io::Result<()> {
        let source = format!("/proc/self/fd/{}", f.as_raw_fd());
        rustix::fs::linkat(CWD, source.as_str(), CWD, tmp, AtFlags::SYMLINK_FOLLOW)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noms(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn publie_complet_et_remplace() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sortie.pdf");
        std::fs::write(&p, b"ancien").unwrap();
        let mut f = FichierAtomique::creer(&p, Confidentialite::Publique).unwrap();
        f.write_all(b"nouveau contenu").unwrap();
        // Not yet visible; on Linux not even a temporary name exists while writing.
        assert_eq!(std::fs::read(&p).unwrap(), b"ancien");
        #[cfg(target_os = "linux")]
        assert_eq!(noms(d.path()), vec!["sortie.pdf"]);
        f.terminer().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"nouveau contenu");
        assert_eq!(noms(d.path()), vec!["sortie.pdf"]);
    }

    #[test]
    fn abandonne_ne_laisse_rien() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pli.zip");
        let mut f = FichierAtomique::creer(&p, Confidentialite::Privee).unwrap();
        f.write_all(&[0u8; 100_000]).unwrap();
        drop(f);
        assert!(noms(d.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn droits_prive_et_public() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        for (nom, acces, mode) in [
            ("a", Confidentialite::Privee, 0o600),
            ("b", Confidentialite::Publique, 0o644),
        ] {
            let p = d.path().join(nom);
            ecrire_atomique(&p, b"x", acces).unwrap();
            let m = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(m, mode, "{nom}");
        }
    }

    #[test]
    fn restes_d_un_ecrivain_mort_nettoyes() {
        let d = tempfile::tempdir().unwrap();
        // A pid that cannot be alive (above the kernel's pid_max limit of 2^22).
        let mort = d.path().join(".f.txt.mpe-tmp-99999999-0");
        let vivant = d
            .path()
            .join(format!(".f.txt.mpe-tmp-{}-77", std::process::id()));
        let autre = d.path().join(".g.txt.mpe-tmp-99999999-0");
        for p in [&mort, &vivant, &autre] {
            std::fs::write(p, b"reste").unwrap();
        }
        // The cleaner runs on the named-temporary path (the only one that leaves files).
        nettoyer_restes(d.path(), std::ffi::OsStr::new("f.txt"));
        ecrire_atomique(&d.path().join("f.txt"), b"ok", Confidentialite::Publique).unwrap();
        assert_eq!(
            noms(d.path()),
            vec![
                format!(".f.txt.mpe-tmp-{}-77", std::process::id()),
                ".g.txt.mpe-tmp-99999999-0".to_string(),
                "f.txt".to_string()
            ]
        );
    }

    #[test]
    fn dossier_absent_erreur_typee() {
        let d = tempfile::tempdir().unwrap();
        let e = ecrire_atomique(&d.path().join("absent/f"), b"x", Confidentialite::Publique)
            .unwrap_err();
        assert_eq!(e.code(), CodeErreur::Es);
        let e = ecrire_atomique(Path::new("/"), b"x", Confidentialite::Publique).unwrap_err();
        assert_eq!(e.code(), CodeErreur::ArgumentInvalide);
    }

    #[test]
    fn nomme_quand_o_tmpfile_manque() {
        // The fallback path, exercised directly.
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        let tmp = nom_temporaire(d.path(), std::ffi::OsStr::new("f"));
        let fichier = creer_nomme(&tmp, Confidentialite::Publique).unwrap();
        let mut f = FichierAtomique {
            fichier,
            dossier: d.path().to_path_buf(),
            chemin: p.clone(),
            acces: Confidentialite::Publique,
            nomme: Some(tmp),
        };
        f.write_all(b"abc").unwrap();
        f.terminer().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
        assert_eq!(noms(d.path()), vec!["f"]);
    }
}
