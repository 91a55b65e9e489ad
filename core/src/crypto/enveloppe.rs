//! The envelope archive: a ZIP of a company's files with a SHA-256 manifest (like the
//! reference platform's `EL1_Enveloppe_Offre.zip`), and its safe listing and extraction
//! after decryption.
//!
//! The manifest `manifeste.json` lists each file's path, size and SHA-256. Extraction
//! refuses unsafe paths (absolute, `..`, backslashes, drive letters), symbolic links,
//! too many entries, too much expanded data or an abnormal compression ratio (zip bombs),
//! counts the bytes actually inflated rather than trusting the headers, and checks every
//! file against the manifest.
//!
//! ```
//! use mpe::crypto::enveloppe::{construire, lister};
//! let zip = construire(&[("offre/acte_engagement.pdf".into(), b"%PDF-1.7".to_vec())]).unwrap();
//! let entrees = lister(&zip).unwrap();
//! assert_eq!(entrees[0].chemin, "offre/acte_engagement.pdf");
//! ```

use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fichier_atomique::{Confidentialite, FichierAtomique};
use crate::{CodeErreur, Erreur, Result};

/// Name of the manifest inside the archive.
pub const MANIFESTE: &str = "manifeste.json";

/// One file of the envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EntreeEnveloppe {
    /// Path inside the archive (`/`-separated, relative).
    pub chemin: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// The manifest of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Manifeste {
    /// Format version (1).
    pub version: u32,
    /// The files, in archive order.
    pub fichiers: Vec<EntreeEnveloppe>,
}

/// Safety limits for listing and extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Limites {
    /// Maximum number of entries.
    pub entrees_max: usize,
    /// Maximum total expanded size in bytes.
    pub taille_totale_max: u64,
    /// Maximum expansion ratio of an entry (checked above 1 MiB).
    pub ratio_max: u64,
}

impl Default for Limites {
    fn default() -> Limites {
        Limites {
            entrees_max: 10_000,
            taille_totale_max: 4 * 1024 * 1024 * 1024,
            ratio_max: 200,
        }
    }
}

fn archive_err(msg: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::ArchiveInvalide, msg)
}

/// Check a path of the archive: relative, `/`-separated, no `..`, no empty part.
pub fn chemin_sur(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.len() > 1024
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.chars().nth(1) == Some(':')
        || name
            .trim_end_matches('/')
            .split('/')
            .any(|p| p.is_empty() || p == ".." || p == ".");
    if bad {
        return Err(
            archive_err(format!("chemin dangereux dans l'archive : {name:?}")).at(name.to_string()),
        );
    }
    Ok(())
}

/// Build an envelope ZIP in memory from (path, content) pairs, with its manifest.
pub fn construire(fichiers: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    let entrees: Vec<(String, Box<dyn Read + '_>)> = fichiers
        .iter()
        .map(|(n, d)| (n.clone(), Box::new(d.as_slice()) as Box<dyn Read>))
        .collect();
    ecrire(entrees, &mut out)?;
    Ok(out.into_inner())
}

/// Build an envelope ZIP file from files on disk, given as (path in archive, file).
/// The archive appears at `sortie` only when complete.
pub fn construire_fichier(fichiers: &[(String, PathBuf)], sortie: &Path) -> Result<Manifeste> {
    let mut entrees: Vec<(String, Box<dyn Read>)> = Vec::new();
    for (n, p) in fichiers {
        let f = std::fs::File::open(p).map_err(|e| {
            Erreur::new(CodeErreur::Es, format!("lecture de {} : {e}", p.display()))
        })?;
        entrees.push((n.clone(), Box::new(f)));
    }
    // The bid's plaintext: private to its owner.
    let mut s = FichierAtomique::creer(sortie, Confidentialite::Privee)?;
    let m = ecrire(entrees, s.fichier())?;
    s.terminer()?;
    Ok(m)
}

fn zip_err(e: impl std::fmt::Display) -> Erreur {
    archive_err(format!("archive ZIP illisible : {e}"))
}

fn ecrire<W: Write + Seek>(
    fichiers: Vec<(String, Box<dyn Read + '_>)>,
    out: W,
) -> Result<Manifeste> {
    let mut seen = std::collections::HashSet::new();
    let mut zip = zip::ZipWriter::new(out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut manifeste = Manifeste {
        version: 1,
        fichiers: Vec::new(),
    };
    let mut buf = vec![0u8; 256 * 1024];
    for (name, mut input) in fichiers {
        chemin_sur(&name)?;
        if name == MANIFESTE || !seen.insert(name.clone()) {
            return Err(Erreur::invalid_argument(format!(
                "nom de fichier en double ou réservé : {name}"
            )));
        }
        zip.start_file(name.as_str(), opts).map_err(zip_err)?;
        let mut h = Sha256::new();
        let mut taille = 0u64;
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            let chunk = buf.get(..n).unwrap_or_default();
            h.update(chunk);
            zip.write_all(chunk)?;
            taille += n as u64;
        }
        manifeste.fichiers.push(EntreeEnveloppe {
            chemin: name,
            taille,
            sha256: hex::encode(h.finalize()),
        });
    }
    zip.start_file(MANIFESTE, opts.large_file(false))
        .map_err(zip_err)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifeste)?)?;
    zip.finish().map_err(zip_err)?;
    Ok(manifeste)
}

/// Walk the archive, calling `sink` for each file with its checked content reader.
fn parcourir<R: Read + Seek>(
    reader: R,
    limites: &Limites,
    mut sink: impl FnMut(&str, &mut dyn Read) -> Result<()>,
) -> Result<Manifeste> {
    let mut zip = zip::ZipArchive::new(reader).map_err(zip_err)?;
    if zip.len() > limites.entrees_max {
        return Err(archive_err(format!(
            "trop d'entrées dans l'archive ({})",
            zip.len()
        )));
    }
    let mut total = 0u64;
    let mut found: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut manifeste: Option<Manifeste> = None;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(zip_err)?;
        let name = f.name().map_err(zip_err)?.to_string();
        chemin_sur(&name)?;
        if f.is_symlink() {
            return Err(archive_err(format!("lien symbolique refusé : {name}")));
        }
        if f.is_dir() {
            continue;
        }
        let declared = f.size();
        let compressed = f.compressed_size().max(1);
        if declared > (1 << 20) && declared / compressed > limites.ratio_max {
            return Err(archive_err(format!(
                "taux de compression anormal pour {name}"
            )));
        }
        if total.saturating_add(declared) > limites.taille_totale_max {
            return Err(archive_err(
                "archive trop volumineuse une fois décompressée",
            ));
        }
        // Never trust the header: count what is really inflated.
        let budget = limites.taille_totale_max - total;
        let mut limited = (&mut f).take(budget + 1);
        let mut hashing = HashingReader {
            inner: &mut limited,
            h: Sha256::new(),
            n: 0,
        };
        if name == MANIFESTE {
            let mut v = Vec::new();
            (&mut hashing).take(16 * 1024 * 1024).read_to_end(&mut v)?;
            manifeste = Some(
                serde_json::from_slice(&v)
                    .map_err(|e| archive_err(format!("manifeste illisible : {e}")))?,
            );
        } else {
            sink(&name, &mut hashing)?;
            // Drain what the sink did not read so the size and hash are complete.
            std::io::copy(&mut hashing, &mut std::io::sink())?;
        }
        if hashing.n > budget || hashing.n != declared {
            return Err(archive_err(format!(
                "taille réelle de {name} différente de l'annoncée ou trop grande"
            )));
        }
        total += hashing.n;
        if name != MANIFESTE {
            found.insert(name, (hashing.n, hex::encode(hashing.h.finalize())));
        }
    }
    let m = manifeste.ok_or_else(|| archive_err("manifeste absent de l'enveloppe"))?;
    let listed: BTreeMap<String, (u64, String)> = m
        .fichiers
        .iter()
        .map(|e| (e.chemin.clone(), (e.taille, e.sha256.to_lowercase())))
        .collect();
    if listed != found {
        let diff: Vec<&String> = listed
            .keys()
            .chain(found.keys())
            .filter(|k| listed.get(*k) != found.get(*k))
            .collect();
        return Err(archive_err(format!(
            "le contenu de l'enveloppe ne correspond pas au manifeste : {}",
            diff.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(m)
}

struct HashingReader<'a> {
    inner: &'a mut dyn Read,
    h: Sha256,
    n: u64,
}

impl Read for HashingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.h.update(buf.get(..n).unwrap_or_default());
        self.n += n as u64;
        Ok(n)
    }
}

/// List an envelope held in memory, checking it entirely against its manifest.
pub fn lister(zip: &[u8]) -> Result<Vec<EntreeEnveloppe>> {
    parcourir(
        std::io::Cursor::new(zip),
        &Limites::default(),
        |_, _| Ok(()),
    )
    .map(|m| m.fichiers)
}

/// Extract an envelope ZIP file into `dossier` (created if needed) with the given limits.
/// On any error, the files already written are removed.
pub fn extraire(zip: &Path, dossier: &Path, limites: &Limites) -> Result<Manifeste> {
    let f = std::fs::File::open(zip).map_err(|e| {
        Erreur::new(
            CodeErreur::Es,
            format!("lecture de {} : {e}", zip.display()),
        )
    })?;
    std::fs::create_dir_all(dossier)?;
    let mut written: Vec<PathBuf> = Vec::new();
    let r = parcourir(std::io::BufReader::new(f), limites, |name, content| {
        let target = dossier.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)?;
        written.push(target);
        std::io::copy(content, &mut out)?;
        Ok(())
    });
    if r.is_err() {
        for p in &written {
            let _ = std::fs::remove_file(p);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_manifest() {
        let zip = construire(&[
            ("a.txt".into(), b"hello".to_vec()),
            ("dossier/b.bin".into(), vec![0u8; 3000]),
        ])
        .unwrap();
        let l = lister(&zip).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].sha256, hex::encode(Sha256::digest(b"hello")));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env.zip");
        std::fs::write(&p, &zip).unwrap();
        extraire(&p, &dir.path().join("x"), &Limites::default()).unwrap();
        assert_eq!(std::fs::read(dir.path().join("x/a.txt")).unwrap(), b"hello");
    }

    #[test]
    fn unsafe_paths_refused() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "c:\\x",
            "a\\b",
            "",
            "a//b",
        ] {
            assert_eq!(
                chemin_sur(bad).unwrap_err().code(),
                CodeErreur::ArchiveInvalide,
                "{bad}"
            );
        }
        // An archive built by another tool with a traversal entry.
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        z.start_file("../evil.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
        assert_eq!(
            lister(out.get_ref()).unwrap_err().code(),
            CodeErreur::ArchiveInvalide
        );
    }

    #[test]
    fn bomb_and_tampering_refused() {
        let zip = construire(&[("zero.bin".into(), vec![0u8; 5 << 20])]).unwrap();
        assert_eq!(
            lister(&zip).unwrap_err().code(),
            CodeErreur::ArchiveInvalide
        );
        // Without a manifest.
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        z.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
        assert_eq!(
            lister(out.get_ref()).unwrap_err().code(),
            CodeErreur::ArchiveInvalide
        );
    }
}
