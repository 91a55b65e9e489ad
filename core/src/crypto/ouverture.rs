//! Opening the envelopes of a consultation, with progress; export of the encrypted plis to
//! a folder ("Télécharger les plis chiffrés") and offline decryption of such a folder
//! ("déchiffrement hors ligne").
//!
//! Progress is reported in the steps buyers know — fetching files, getting the private key,
//! decrypting envelope i of n, done — through a callback (`&mut dyn FnMut(&Etape)`); the C
//! and Python bindings forward it to a function pointer or a callable. One envelope that
//! fails does not stop the others: the report says which opened and why others did not.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crypto::bicle::BiCle;
use crate::crypto::cms::{self, InfoDechiffrement};
use crate::fichier_atomique::{Confidentialite, FichierAtomique};
use crate::{CodeErreur, Erreur, Result};

/// A step of the opening, as reported to the progress callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "etape", rename_all = "snake_case")]
pub enum Etape {
    /// Fetching the encrypted files.
    RecuperationFichiers {
        /// Number of envelopes.
        nombre: usize,
    },
    /// Getting the private key (e.g. reading the PKCS#12, asking for its password).
    RecuperationCle,
    /// Decrypting envelope `index` (1-based) of `total`.
    Dechiffrement {
        /// 1-based.
        index: usize,
        /// Number of envelopes.
        total: usize,
        /// The envelope's identifier.
        id: String,
    },
    /// Done.
    Termine {
        /// Envelopes opened.
        ouvertes: usize,
        /// Envelopes that failed.
        echecs: usize,
    },
}

/// An encrypted envelope to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnveloppeChiffree {
    /// Identifier (e.g. `"<consultation>/<pli>/<enveloppe>"`).
    pub id: String,
    /// The CMS file.
    pub chemin: PathBuf,
    /// Expected SHA-256 of the CMS file (hex), when known: checked before decrypting.
    #[serde(default)]
    pub sha256: Option<String>,
}

/// The outcome for one envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResultatEnveloppe {
    /// The envelope's identifier.
    pub id: String,
    /// Whether it opened.
    pub ouverte: bool,
    /// The decrypted file, when opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sortie: Option<PathBuf>,
    /// What was found, when opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<InfoDechiffrement>,
    /// Why it did not open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erreur: Option<Erreur>,
}

/// The report of an opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RapportOuverture {
    /// One result per envelope, in order.
    pub enveloppes: Vec<ResultatEnveloppe>,
    /// Envelopes opened.
    pub ouvertes: usize,
    /// Envelopes that failed.
    pub echecs: usize,
}

fn sha256_file(p: &Path) -> Result<String> {
    let mut f = std::fs::File::open(p)
        .map_err(|e| Erreur::new(CodeErreur::Es, format!("lecture de {} : {e}", p.display())))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hex::encode(h.finalize()))
}

fn safe_file_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// Open envelopes into `dossier_sortie` (one file per envelope, named after its id).
///
/// `cle` is called once, after the files were checked, to get the key pair (so a host can
/// ask for the PKCS#12 password only then). An error getting the key stops everything;
/// an envelope that fails is reported and the others go on.
///
/// ```
/// use mpe::crypto::cms::{encrypt, OptionsChiffrement};
/// use mpe::crypto::bicle::BiCle;
/// use mpe::crypto::ouverture::{ouvrir, EnveloppeChiffree, Etape};
/// let v = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/crypto");
/// let pem = [std::fs::read(v.join("alice.cert.pem")).unwrap(), std::fs::read(v.join("alice.key.pem")).unwrap()].concat();
/// let bicle = BiCle::lire(&pem, None).unwrap();
/// let dir = tempfile::tempdir().unwrap();
/// let chemin = dir.path().join("pli1.p7m");
/// std::fs::write(&chemin, encrypt(b"offre", &[bicle.certificate().clone()], &OptionsChiffrement::default()).unwrap()).unwrap();
/// let mut etapes = Vec::new();
/// let rapport = ouvrir(
///     &[EnveloppeChiffree { id: "pli1".into(), chemin, sha256: None }],
///     || Ok(bicle.clone()),
///     &dir.path().join("ouvertes"),
///     &mut |e| etapes.push(e.clone()),
/// )
/// .unwrap();
/// assert_eq!(rapport.ouvertes, 1);
/// assert_eq!(etapes.last(), Some(&Etape::Termine { ouvertes: 1, echecs: 0 }));
/// ```
pub fn ouvrir(
    enveloppes: &[EnveloppeChiffree],
    cle: impl FnOnce() -> Result<BiCle>,
    dossier_sortie: &Path,
    progres: &mut dyn FnMut(&Etape),
) -> Result<RapportOuverture> {
    progres(&Etape::RecuperationFichiers {
        nombre: enveloppes.len(),
    });
    for e in enveloppes {
        if !e.chemin.is_file() {
            return Err(Erreur::new(
                CodeErreur::Es,
                format!("enveloppe introuvable : {}", e.chemin.display()),
            )
            .at(e.id.clone()));
        }
    }
    std::fs::create_dir_all(dossier_sortie)?;
    progres(&Etape::RecuperationCle);
    let bicle = cle()?;
    let total = enveloppes.len();
    let mut rapport = RapportOuverture {
        enveloppes: Vec::new(),
        ouvertes: 0,
        echecs: 0,
    };
    for (i, e) in enveloppes.iter().enumerate() {
        progres(&Etape::Dechiffrement {
            index: i + 1,
            total,
            id: e.id.clone(),
        });
        let sortie = dossier_sortie.join(safe_file_name(&e.id));
        let r = (|| {
            if let Some(expected) = &e.sha256
                && !sha256_file(&e.chemin)?.eq_ignore_ascii_case(expected)
            {
                return Err(Erreur::new(
                    CodeErreur::IntegriteEchec,
                    "l'empreinte SHA-256 du fichier chiffré ne correspond pas à l'index",
                ));
            }
            cms::decrypt_file(&e.chemin, &sortie, &bicle)
        })();
        match r {
            Ok(info) => {
                rapport.ouvertes += 1;
                rapport.enveloppes.push(ResultatEnveloppe {
                    id: e.id.clone(),
                    ouverte: true,
                    sortie: Some(sortie),
                    info: Some(info),
                    erreur: None,
                });
            }
            Err(err) => {
                rapport.echecs += 1;
                rapport.enveloppes.push(ResultatEnveloppe {
                    id: e.id.clone(),
                    ouverte: false,
                    sortie: None,
                    info: None,
                    erreur: Some(err.at(e.id.clone())),
                });
            }
        }
    }
    progres(&Etape::Termine {
        ouvertes: rapport.ouvertes,
        echecs: rapport.echecs,
    });
    Ok(rapport)
}

/// Name of the index of an export folder.
pub const INDEX: &str = "index.json";
/// Name of the report written by [`dechiffrer_dossier`].
pub const RAPPORT: &str = "rapport.json";

/// One exported envelope, as listed in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EntreeIndex {
    /// Consultation reference.
    pub consultation: String,
    /// Envelope identifier.
    pub id: String,
    /// File name inside the folder.
    pub fichier: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256 of the encrypted file, hex.
    pub sha256: String,
}

/// The index of an export folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndexExport {
    /// Format version (1).
    pub version: u32,
    /// The envelopes.
    pub enveloppes: Vec<EntreeIndex>,
}

/// An envelope to export: its consultation and the envelope itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnveloppeAExporter {
    /// Consultation reference.
    pub consultation: String,
    /// The envelope.
    #[serde(flatten)]
    pub enveloppe: EnveloppeChiffree,
}

/// "Télécharger les plis chiffrés": copy every encrypted envelope into `dossier` (one
/// sub-folder per consultation) and write `index.json` with their SHA-256.
pub fn exporter(enveloppes: &[EnveloppeAExporter], dossier: &Path) -> Result<IndexExport> {
    std::fs::create_dir_all(dossier)?;
    let mut index = IndexExport {
        version: 1,
        enveloppes: Vec::new(),
    };
    for e in enveloppes {
        let sous = safe_file_name(&e.consultation);
        if sous.is_empty() {
            return Err(Erreur::invalid_argument("référence de consultation vide"));
        }
        std::fs::create_dir_all(dossier.join(&sous))?;
        let fichier = format!("{sous}/{}.p7m", safe_file_name(&e.enveloppe.id));
        let cible = dossier.join(&fichier);
        let mut s = FichierAtomique::creer(&cible, Confidentialite::Privee)?;
        let mut src = std::fs::File::open(&e.enveloppe.chemin).map_err(|err| {
            Erreur::new(
                CodeErreur::Es,
                format!("lecture de {} : {err}", e.enveloppe.chemin.display()),
            )
            .at(e.enveloppe.id.clone())
        })?;
        let mut h = HashWriter {
            inner: s.fichier(),
            h: Sha256::new(),
            n: 0,
        };
        std::io::copy(&mut src, &mut h)?;
        let (sha, n) = (hex::encode(h.h.finalize()), h.n);
        s.terminer()?;
        index.enveloppes.push(EntreeIndex {
            consultation: e.consultation.clone(),
            id: e.enveloppe.id.clone(),
            fichier,
            taille: n,
            sha256: sha,
        });
    }
    let mut s = FichierAtomique::creer(&dossier.join(INDEX), Confidentialite::Privee)?;
    serde_json::to_writer_pretty(s.fichier(), &index)?;
    s.terminer()?;
    Ok(index)
}

struct HashWriter<'a> {
    inner: &'a mut std::fs::File,
    h: Sha256,
    n: u64,
}

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.h.update(buf.get(..n).unwrap_or_default());
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// "Déchiffrement hors ligne": decrypt an export folder with a key pair into `sortie`,
/// checking each file against the index, and write `rapport.json` there.
pub fn dechiffrer_dossier(
    dossier: &Path,
    bicle: &BiCle,
    sortie: &Path,
    progres: &mut dyn FnMut(&Etape),
) -> Result<RapportOuverture> {
    let raw = std::fs::read(dossier.join(INDEX))
        .map_err(|e| Erreur::new(CodeErreur::Es, format!("index {INDEX} illisible : {e}")))?;
    let index: IndexExport = serde_json::from_slice(&raw)?;
    let mut list = Vec::new();
    for e in &index.enveloppes {
        crate::crypto::enveloppe::chemin_sur(&e.fichier)?;
        list.push(EnveloppeChiffree {
            id: e.id.clone(),
            chemin: dossier.join(&e.fichier),
            sha256: Some(e.sha256.clone()),
        });
    }
    let rapport = ouvrir(&list, || Ok(bicle.clone()), sortie, progres)?;
    let mut s = FichierAtomique::creer(&sortie.join(RAPPORT), Confidentialite::Privee)?;
    serde_json::to_writer_pretty(s.fichier(), &rapport)?;
    s.terminer()?;
    Ok(rapport)
}
