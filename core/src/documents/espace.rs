//! The document space of a consultation: the files a buyer sees grouped by category (pièces
//! du DCE, de publicité, des dépôts, des attributaires, libres, générées à partir d'un
//! modèle), each with its size, date and SHA-256; and a ZIP of a selection.
//!
//! A pure data structure: the host stores the bytes where it wants and hands them back
//! when an archive is built; each file's digest is checked then, so storage corruption
//! or substitution cannot slip into an archive.

use std::io::{Read, Seek, Write};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::{CodeErreur, Erreur, Result};

/// Category of a document.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CategoriePiece {
    /// Pièces du DCE.
    Dce,
    /// Pièces de publicité (avis, preuves de publication).
    Publicite,
    /// Pièces de tous les dépôts (plis reçus).
    Depots,
    /// Pièces du ou des attributaires.
    Attributaires,
    /// Pièces libres.
    Libres,
    /// Pièces générées à partir d'un modèle.
    Generees,
}

impl CategoriePiece {
    /// Every category, in display order.
    pub const TOUTES: [CategoriePiece; 6] = [
        CategoriePiece::Dce,
        CategoriePiece::Publicite,
        CategoriePiece::Depots,
        CategoriePiece::Attributaires,
        CategoriePiece::Libres,
        CategoriePiece::Generees,
    ];

    /// The label buyers see.
    pub fn libelle(self) -> &'static str {
        match self {
            CategoriePiece::Dce => "Pièces du DCE",
            CategoriePiece::Publicite => "Pièces de publicité",
            CategoriePiece::Depots => "Pièces de tous les dépôts",
            CategoriePiece::Attributaires => "Pièces du ou des attributaires",
            CategoriePiece::Libres => "Pièces libres",
            CategoriePiece::Generees => "Pièces générées à partir d'un modèle",
        }
    }

    /// Folder of the category in an archive (`1 - Pièces du DCE`).
    pub fn dossier(self) -> String {
        let n = CategoriePiece::TOUTES
            .iter()
            .position(|c| *c == self)
            .unwrap_or(0)
            + 1;
        format!("{n} - {}", self.libelle())
    }
}

/// A document of the space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PieceEspace {
    /// Identifier (`P000001`…), stable for the host to store the bytes under.
    pub id: String,
    /// Category.
    pub categorie: CategoriePiece,
    /// File name (no folder), unique within its category.
    pub nom: String,
    /// Size in bytes.
    pub taille: u64,
    /// When it was added.
    pub date_ajout: DateTime<Utc>,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// For generated documents: the form code (`NOT13`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modele: Option<String>,
}

/// The document space of one consultation.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use mpe::documents::espace::{CategoriePiece, EspaceDocumentaire};
/// let mut e = EspaceDocumentaire::new("2026-TRV-014");
/// let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
/// let id = e.ajouter(CategoriePiece::Dce, "RC.pdf", b"%PDF-1.7", t, None).unwrap().id.clone();
/// let zip = e.archive(&[id.clone()], |_| Ok(b"%PDF-1.7".to_vec())).unwrap();
/// assert_eq!(&zip[..2], b"PK");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EspaceDocumentaire {
    /// Reference of the consultation.
    pub consultation: String,
    /// Documents, in order of addition.
    pub pieces: Vec<PieceEspace>,
    /// Counter for identifiers.
    #[serde(default)]
    pub dernier_id: u64,
}

/// Longest file name accepted.
pub const NOM_MAX: usize = 200;

fn nom_valide(nom: &str) -> Result<String> {
    let nom = nom.trim();
    let interdit = |c: char| {
        matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control()
    };
    if nom.is_empty() || nom == "." || nom == ".." || nom.chars().any(interdit) {
        return Err(
            Erreur::invalid_argument(format!("nom de fichier invalide : « {nom} »")).at("nom"),
        );
    }
    if nom.chars().count() > NOM_MAX {
        return Err(Erreur::new(CodeErreur::ChampTropLong, "nom de fichier trop long").at("nom"));
    }
    Ok(nom.to_string())
}

impl EspaceDocumentaire {
    /// An empty space for a consultation.
    pub fn new(consultation: &str) -> EspaceDocumentaire {
        EspaceDocumentaire {
            consultation: consultation.to_string(),
            pieces: Vec::new(),
            dernier_id: 0,
        }
    }

    /// Add a document. A name already used in the category gets a ` (2)`, ` (3)`… suffix
    /// before its extension. The date is a parameter (the core reads no clock).
    pub fn ajouter(
        &mut self,
        categorie: CategoriePiece,
        nom: &str,
        contenu: &[u8],
        date: DateTime<Utc>,
        modele: Option<&str>,
    ) -> Result<&PieceEspace> {
        let nom = nom_valide(nom)?;
        let nom = self.nom_libre(categorie, &nom);
        self.dernier_id += 1;
        self.pieces.push(PieceEspace {
            id: format!("P{:06}", self.dernier_id),
            categorie,
            nom,
            taille: contenu.len() as u64,
            date_ajout: date,
            sha256: hex::encode(Sha256::digest(contenu)),
            modele: modele.map(str::to_string),
        });
        self.pieces
            .last()
            .ok_or_else(|| Erreur::internal("pièce ajoutée introuvable"))
    }

    fn nom_libre(&self, categorie: CategoriePiece, nom: &str) -> String {
        let pris = |n: &str| {
            self.pieces
                .iter()
                .any(|p| p.categorie == categorie && p.nom.eq_ignore_ascii_case(n))
        };
        if !pris(nom) {
            return nom.to_string();
        }
        let (base, ext) = match nom.rfind('.') {
            Some(i) if i > 0 => (&nom[..i], &nom[i..]),
            _ => (nom, ""),
        };
        (2..)
            .map(|k| format!("{base} ({k}){ext}"))
            .find(|n| !pris(n))
            .unwrap_or_else(|| nom.to_string())
    }

    /// Remove a document.
    pub fn retirer(&mut self, id: &str) -> Result<PieceEspace> {
        let pos = self.position(id)?;
        Ok(self.pieces.remove(pos))
    }

    fn position(&self, id: &str) -> Result<usize> {
        self.pieces.iter().position(|p| p.id == id).ok_or_else(|| {
            Erreur::new(
                CodeErreur::PieceInconnue,
                format!("pièce « {id} » inconnue"),
            )
            .at(id.to_string())
        })
    }

    /// The documents of a category (all when `None`), by category then date of addition.
    pub fn lister(&self, categorie: Option<CategoriePiece>) -> Vec<&PieceEspace> {
        let mut v: Vec<&PieceEspace> = self
            .pieces
            .iter()
            .filter(|p| categorie.is_none_or(|c| p.categorie == c))
            .collect();
        v.sort_by(|a, b| {
            (a.categorie, a.date_ajout, &a.id).cmp(&(b.categorie, b.date_ajout, &b.id))
        });
        v
    }

    /// Total size of a category (all when `None`).
    pub fn taille(&self, categorie: Option<CategoriePiece>) -> u64 {
        self.lister(categorie).iter().map(|p| p.taille).sum()
    }

    /// Build a ZIP of the selected documents (every one when `selection` is empty), one
    /// folder per category. `lire` gives the bytes of a document; each is checked against
    /// its size and SHA-256 before it goes in.
    pub fn archive(
        &self,
        selection: &[String],
        mut lire: impl FnMut(&PieceEspace) -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.archive_vers(
            selection,
            |p| Ok(Box::new(std::io::Cursor::new(lire(p)?))),
            &mut out,
        )?;
        Ok(out.into_inner())
    }

    /// Like [`archive`](Self::archive) but streaming: each document is read from the reader
    /// `ouvrir` returns and written to `sortie` in bounded memory.
    pub fn archive_vers<W: Write + Seek>(
        &self,
        selection: &[String],
        mut ouvrir: impl FnMut(&PieceEspace) -> Result<Box<dyn Read>>,
        sortie: W,
    ) -> Result<()> {
        let choisies: Vec<&PieceEspace> = if selection.is_empty() {
            self.lister(None)
        } else {
            let mut v = Vec::with_capacity(selection.len());
            for id in selection {
                let p = self
                    .pieces
                    .get(self.position(id)?)
                    .ok_or_else(|| Erreur::internal("index"))?;
                if !v.iter().any(|x: &&PieceEspace| x.id == p.id) {
                    v.push(p);
                }
            }
            v
        };
        let mut zw = ZipWriter::new(sortie);
        let ecrire = |e: zip::result::ZipError| {
            Erreur::new(CodeErreur::Es, format!("écriture de l'archive : {e}"))
        };
        for p in choisies {
            let date = date_zip(p.date_ajout);
            let options = SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(date)
                .large_file(p.taille >= u64::from(u32::MAX));
            zw.start_file(format!("{}/{}", p.categorie.dossier(), p.nom), options)
                .map_err(ecrire)?;
            let mut r = ouvrir(p)?;
            let mut h = Sha256::new();
            let mut n = 0u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let k = r.read(&mut buf)?;
                if k == 0 {
                    break;
                }
                let morceau = buf.get(..k).unwrap_or_default();
                h.update(morceau);
                zw.write_all(morceau)?;
                n += k as u64;
            }
            if n != p.taille || hex::encode(h.finalize()) != p.sha256 {
                return Err(Erreur::new(
                    CodeErreur::PieceAlteree,
                    format!(
                        "le contenu de « {} » ne correspond pas à son empreinte",
                        p.nom
                    ),
                )
                .at(p.id.clone()));
            }
        }
        zw.finish().map_err(ecrire)?;
        Ok(())
    }
}

/// ZIP dates are wall-clock times: those of Paris, as the buyer sees them.
fn date_zip(t: DateTime<Utc>) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let l = t.with_timezone(&chrono_tz::Europe::Paris);
    let c = |v: u32| u8::try_from(v).unwrap_or(0);
    u16::try_from(l.year())
        .ok()
        .and_then(|y| {
            zip::DateTime::from_date_and_time(
                y,
                c(l.month()),
                c(l.day()),
                c(l.hour()),
                c(l.minute()),
                c(l.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}

impl EspaceDocumentaire {
    /// Build the ZIP of a selection into a file (atomically), reading each document from the
    /// path the host gives for its id.
    pub fn archive_fichier(
        &self,
        selection: &[String],
        chemins: &std::collections::HashMap<String, std::path::PathBuf>,
        sortie: &std::path::Path,
    ) -> Result<()> {
        let mut f = crate::fichier_atomique::FichierAtomique::creer(
            sortie,
            crate::fichier_atomique::Confidentialite::Publique,
        )?;
        self.archive_vers(
            selection,
            |p| {
                let chemin = chemins.get(&p.id).ok_or_else(|| {
                    Erreur::new(
                        CodeErreur::PieceInconnue,
                        format!("aucun fichier pour la pièce {}", p.id),
                    )
                    .at(p.id.clone())
                })?;
                Ok(Box::new(std::io::BufReader::new(std::fs::File::open(
                    chemin,
                )?)))
            },
            std::io::BufWriter::new(f.fichier()),
        )?;
        f.terminer()
    }
}

/// Parse an RFC 3339 instant (`2026-03-01T09:00:00+01:00`), as the bindings receive dates.
pub fn date_rfc3339(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Erreur::invalid_argument(format!("date RFC 3339 invalide : « {s} »")).at("date")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn add_list_zip() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let mut e = EspaceDocumentaire::new("C1");
        let a = e
            .ajouter(CategoriePiece::Dce, "RC.pdf", b"abc", t, None)
            .unwrap()
            .id
            .clone();
        let b = e
            .ajouter(CategoriePiece::Dce, "rc.pdf", b"de", t, None)
            .unwrap()
            .clone();
        assert_eq!(b.nom, "rc (2).pdf");
        e.ajouter(
            CategoriePiece::Generees,
            "NOT13.docx",
            b"x",
            t,
            Some("NOT13"),
        )
        .unwrap();
        assert_eq!(e.lister(Some(CategoriePiece::Dce)).len(), 2);
        assert_eq!(e.taille(None), 6);
        let contenu = |p: &PieceEspace| -> Result<Vec<u8>> {
            Ok(match p.nom.as_str() {
                "RC.pdf" => b"abc".to_vec(),
                "rc (2).pdf" => b"de".to_vec(),
                _ => b"x".to_vec(),
            })
        };
        let z = e.archive(&[a.clone(), b.id.clone()], contenu).unwrap();
        let mut ar = zip::ZipArchive::new(std::io::Cursor::new(z)).unwrap();
        assert_eq!(ar.len(), 2);
        assert_eq!(
            ar.by_index(0).unwrap().name().unwrap(),
            "1 - Pièces du DCE/RC.pdf"
        );
        // Tampered storage.
        let err = e
            .archive(std::slice::from_ref(&a), |_| Ok(b"abd".to_vec()))
            .unwrap_err();
        assert_eq!(err.code(), CodeErreur::PieceAlteree);
        assert_eq!(
            e.archive(&["P9".into()], contenu).unwrap_err().code(),
            CodeErreur::PieceInconnue
        );
        for bad in ["", "../x", "a/b", "c:\\x", "a\u{0}b"] {
            assert!(
                e.ajouter(CategoriePiece::Libres, bad, b"", t, None)
                    .is_err(),
                "{bad:?}"
            );
        }
        e.retirer(&a).unwrap();
        assert_eq!(e.retirer(&a).unwrap_err().code(), CodeErreur::PieceInconnue);
        let j = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<EspaceDocumentaire>(&j).unwrap(), e);
    }
}
