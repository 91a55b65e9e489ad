//! Checks of a DCE archive before it is put online: it must be a ZIP, no entry may escape
//! the folder it is extracted into, and it must not expand to an absurd size (zip bomb).
//! Only the central directory is read: nothing is decompressed.

use std::io::Cursor;

use serde::Serialize;

use crate::{CodeErreur, Erreur, Result};

/// Limits applied to a DCE.
#[derive(Debug, Clone, Copy)]
pub struct Limites {
    /// Maximum number of entries.
    pub entrees: usize,
    /// Maximum total uncompressed size.
    pub taille_totale: u64,
    /// Maximum ratio uncompressed / compressed for an entry larger than 1 MiB.
    pub taux: u64,
}

impl Default for Limites {
    fn default() -> Limites {
        Limites {
            entrees: 10_000,
            taille_totale: 4 << 30,
            taux: 200,
        }
    }
}

/// A file of the DCE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FichierDce {
    /// Path inside the archive.
    pub chemin: String,
    /// Uncompressed size.
    pub taille: u64,
    /// Compressed size.
    pub taille_compressee: u64,
}

/// What the DCE contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContenuDce {
    /// Its files (folders omitted).
    pub fichiers: Vec<FichierDce>,
    /// Total uncompressed size.
    pub taille_totale: u64,
}

/// Check a DCE with the default limits.
///
/// ```
/// let e = mpe::rules::dce::valider(b"%PDF-1.7 not a zip").unwrap_err();
/// assert_eq!(e.code(), mpe::CodeErreur::DceNonZip);
/// ```
pub fn valider(zip_bytes: &[u8]) -> Result<ContenuDce> {
    valider_avec(zip_bytes, Limites::default())
}

/// Check a DCE with explicit limits.
pub fn valider_avec(zip_bytes: &[u8], limites: Limites) -> Result<ContenuDce> {
    if !zip_bytes.starts_with(b"PK") {
        return Err(Erreur::new(
            CodeErreur::DceNonZip,
            "le DCE n'est pas une archive ZIP",
        ));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).map_err(|e| {
        Erreur::new(
            CodeErreur::DceNonZip,
            format!("archive ZIP illisible : {e}"),
        )
    })?;
    if archive.len() > limites.entrees {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!(
                "le DCE compte {} fichiers (limite {})",
                archive.len(),
                limites.entrees
            ),
        ));
    }
    let mut fichiers = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| {
            Erreur::new(CodeErreur::DceNonZip, format!("entrée {i} illisible : {e}"))
        })?;
        let name = entry
            .name()
            .map_err(|e| {
                Erreur::new(
                    CodeErreur::DceCheminDangereux,
                    format!("nom d'entrée {i} illisible : {e}"),
                )
            })?
            .to_string();
        let absolute = name.starts_with('/') || name.as_bytes().get(1) == Some(&b':');
        if absolute || entry.enclosed_name().is_none() || name.contains(['\\', '\0']) {
            return Err(Erreur::new(
                CodeErreur::DceCheminDangereux,
                format!(
                    "le DCE contient un chemin dangereux : « {} »",
                    name.escape_debug()
                ),
            ));
        }
        if entry.is_dir() {
            continue;
        }
        let size = entry.size();
        let packed = entry.compressed_size();
        if size > (1 << 20) && size / packed.max(1) > limites.taux {
            return Err(Erreur::new(
                CodeErreur::DceTauxCompression,
                format!("« {name} » : {size} octets pour {packed} compressés"),
            ));
        }
        total = total.saturating_add(size);
        if total > limites.taille_totale {
            return Err(Erreur::new(
                CodeErreur::DceTauxCompression,
                format!(
                    "le DCE décompressé dépasse {} octets",
                    limites.taille_totale
                ),
            ));
        }
        fichiers.push(FichierDce {
            chemin: name,
            taille: size,
            taille_compressee: packed,
        });
    }
    Ok(ContenuDce {
        fichiers,
        taille_totale: total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn lists_a_good_dce() {
        let z = zip_of(&[
            ("RC.pdf", b"%PDF".to_vec()),
            ("CCAP/CCAP.docx", vec![1; 100]),
        ]);
        let c = valider(&z).unwrap();
        assert_eq!(c.fichiers.len(), 2);
        assert_eq!(c.taille_totale, 104);
    }

    #[test]
    fn rejects_non_zip_and_garbage() {
        assert_eq!(valider(b"").unwrap_err().code(), CodeErreur::DceNonZip);
        assert_eq!(
            valider(b"PK\x03\x04garbage").unwrap_err().code(),
            CodeErreur::DceNonZip
        );
    }

    #[test]
    fn rejects_traversal() {
        for bad in ["../../etc/passwd", "/etc/passwd", "a/../../b"] {
            let z = zip_of(&[(bad, b"x".to_vec())]);
            assert_eq!(
                valider(&z).unwrap_err().code(),
                CodeErreur::DceCheminDangereux,
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_bombs() {
        let z = zip_of(&[("zeros.bin", vec![0; 8 << 20])]);
        assert_eq!(
            valider(&z).unwrap_err().code(),
            CodeErreur::DceTauxCompression
        );
        let small = Limites {
            taille_totale: 10,
            ..Limites::default()
        };
        let z = zip_of(&[("a.txt", vec![b'a'; 11])]);
        assert_eq!(
            valider_avec(&z, small).unwrap_err().code(),
            CodeErreur::DceTauxCompression
        );
        let few = Limites {
            entrees: 1,
            ..Limites::default()
        };
        let z = zip_of(&[("a", vec![1]), ("b", vec![2])]);
        assert_eq!(
            valider_avec(&z, few).unwrap_err().code(),
            CodeErreur::LimiteDepassee
        );
    }
}
