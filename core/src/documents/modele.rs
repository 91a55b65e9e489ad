//! A DOCX template: the package read once, its text parts parsed and folded, ready to be
//! merged many times. Parts the engine does not rewrite are copied into the result as
//! they are, still compressed (no inflate/deflate).

use std::borrow::Cow;
use std::io::{Cursor, Read, Write};

use serde_json::Value;
use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::moteur::{self, ChampModele, Ids, LimitesFusion, OptionsFusion, Rendu};
use super::xml::{self, Document, Elem, Node};
use crate::{CodeErreur, Erreur, Result};

/// Safety limits on templates (a DOCX is a ZIP: refuse bombs).
pub const TAILLE_PARTIE_MAX: u64 = 64 * 1024 * 1024;
/// Maximum number of entries in a template package.
pub const ENTREES_MAX: usize = 10_000;

/// Whether a part holds text the engine templates.
pub fn partie_texte(nom: &str) -> bool {
    let Some(base) = nom.strip_prefix("word/") else {
        return false;
    };
    if base.contains('/') || !base.ends_with(".xml") {
        return false;
    }
    base == "document.xml"
        || base.starts_with("header")
        || base.starts_with("footer")
        || base == "footnotes.xml"
        || base == "endnotes.xml"
}

#[derive(Debug, Clone)]
enum Entree {
    /// Copied raw from the template (index in the archive).
    Brute(usize),
    /// A templated part.
    Texte { nom: String, doc: Document },
    /// settings.xml without its mail-merge data source (else Word asks for it on opening).
    Reglages { nom: String, doc: Document },
}

/// A compiled DOCX template.
///
/// ```
/// use mpe::documents::{ModeleDocx, OptionsFusion};
/// let docx = mpe::documents::formulaires::modele("NOT13").unwrap();
/// let modele = ModeleDocx::compiler(docx, &OptionsFusion::default()).unwrap();
/// assert!(modele.champs().iter().any(|c| c.nom == "consultation.reference"));
/// ```
#[derive(Debug, Clone)]
pub struct ModeleDocx<'a> {
    /// The template package, borrowed or owned (untouched parts are copied from it).
    octets: Cow<'a, [u8]>,
    entrees: Vec<Entree>,
    champs: Vec<ChampModele>,
    ids: Ids,
    options: OptionsFusion,
    limites: LimitesFusion,
}

fn invalide(msg: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::ModeleInvalide, msg)
}

impl<'a> ModeleDocx<'a> {
    /// Read and compile a template (DOCX bytes, borrowed or owned), within the default
    /// [`LimitesFusion`].
    pub fn compiler(
        octets: impl Into<Cow<'a, [u8]>>,
        options: &OptionsFusion,
    ) -> Result<ModeleDocx<'a>> {
        ModeleDocx::compiler_borne(octets, options, &LimitesFusion::default())
    }

    /// [`ModeleDocx::compiler`] within the host's bounds (they also bound each merge).
    pub fn compiler_borne(
        octets: impl Into<Cow<'a, [u8]>>,
        options: &OptionsFusion,
        limites: &LimitesFusion,
    ) -> Result<ModeleDocx<'a>> {
        let octets = octets.into();
        let mut archive = ZipArchive::new(Cursor::new(&*octets))
            .map_err(|e| invalide(format!("le modèle n'est pas un DOCX (ZIP) valide : {e}")))?;
        if archive.len() > ENTREES_MAX {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!("modèle de {} entrées (limite {ENTREES_MAX})", archive.len()),
            ));
        }
        let mut entrees = Vec::with_capacity(archive.len());
        let mut champs = Vec::new();
        let mut ids = Ids::default();
        let mut a_document = false;
        let mut reglages: Option<(String, String)> = None;
        let mut total = 0u64;
        for i in 0..archive.len() {
            let mut f = archive
                .by_index(i)
                .map_err(|e| invalide(format!("entrée {i} du modèle illisible : {e}")))?;
            let nom = f.name().map_err(|e| invalide(e.to_string()))?.to_string();
            if nom == "word/document.xml" {
                a_document = true;
            }
            let texte = partie_texte(&nom);
            let est_reglages = nom == "word/settings.xml";
            if !texte && !est_reglages {
                entrees.push(Entree::Brute(i));
                continue;
            }
            let lim = limites;
            let taille_max = lim.taille_partie.min(TAILLE_PARTIE_MAX);
            if f.size() > taille_max {
                return Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    format!(
                        "limite « taillePartie » dépassée : partie {nom} de {} octets décompressée (au plus {taille_max})",
                        f.size()
                    ),
                )
                .at(nom));
            }
            total = total.saturating_add(f.size());
            if total > lim.taille_parties {
                return Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    format!(
                        "limite « tailleParties » dépassée : parties modèles de plus de {} octets décompressées (à {nom})",
                        lim.taille_parties
                    ),
                )
                .at(nom));
            }
            if f.size() > 1 << 20 && f.size() / f.compressed_size().max(1) > lim.ratio_expansion {
                return Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    format!(
                        "limite « ratioExpansion » dépassée : partie {nom} de {} octets pour {} compressés (au plus {} fois)",
                        f.size(),
                        f.compressed_size(),
                        lim.ratio_expansion
                    ),
                )
                .at(nom));
            }
            // Read at most what the header declares (a lying header is no way around).
            let declare = f.size();
            let contenu = lire_texte(&mut (&mut f).take(declare))
                .map_err(|e| invalide(format!("partie {nom} illisible : {e}")).at(nom.clone()))?;
            if est_reglages {
                if contenu.contains("mailMerge") {
                    reglages = Some((nom, contenu));
                    entrees.push(Entree::Brute(usize::MAX));
                } else {
                    entrees.push(Entree::Brute(i));
                }
                continue;
            }
            let mut doc = xml::parse(&contenu, &nom)?;
            if doc.root.attr("xmlns:w").is_some_and(|ns| ns != xml::NS_W) {
                return Err(
                    invalide(format!("{nom} : préfixe w: lié à un autre espace de noms")).at(nom),
                );
            }
            ids.observer(&doc.root);
            moteur::normaliser_borne(&mut doc.root, &nom, options, limites)?;
            let mut sections = Vec::new();
            moteur::lister(&doc.root.children, &nom, &mut sections, &mut champs);
            entrees.push(Entree::Texte { nom, doc });
        }
        if !a_document {
            return Err(invalide("le modèle n'a pas de partie word/document.xml"));
        }
        if let Some((nom, contenu)) = reglages {
            let mut doc = xml::parse(&contenu, &nom)?;
            // Merged values replace the data source: without this, Word would ask for it.
            doc.root
                .children
                .retain(|c| !matches!(c, Node::Elem(e) if e.name == "w:mailMerge"));
            if let Some(slot) = entrees
                .iter_mut()
                .find(|e| matches!(e, Entree::Brute(usize::MAX)))
            {
                *slot = Entree::Reglages { nom, doc };
            }
        }
        Ok(ModeleDocx {
            octets,
            entrees,
            champs,
            ids,
            options: options.clone(),
            limites: *limites,
        })
    }

    /// The fields the template uses, in order of first appearance.
    pub fn champs(&self) -> &[ChampModele] {
        &self.champs
    }

    /// Merge the data (a JSON object) into a new DOCX.
    ///
    /// With strict options (the default), missing data gives one
    /// [`CodeErreur::DonneesManquantes`] error naming every missing field.
    pub fn fusionner(&self, donnees: &Value) -> Result<Vec<u8>> {
        let mut rendu = Rendu::new(&self.options, self.ids.clone());
        rendu.limites = self.limites;
        let mut textes: Vec<Option<String>> = Vec::with_capacity(self.entrees.len());
        for e in &self.entrees {
            textes.push(match e {
                Entree::Texte { nom, doc } => Some(rendu.part(doc, nom, donnees)),
                Entree::Reglages { nom, doc } => Some(rendu.part(doc, nom, donnees)),
                Entree::Brute(_) => None,
            });
        }
        if rendu.depasse {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!(
                    "limite « tailleSortie » dépassée : document fusionné de plus de {} octets",
                    self.limites.taille_sortie
                ),
            ));
        }
        if !rendu.manquants.is_empty() {
            return Err(Erreur::new(
                CodeErreur::DonneesManquantes,
                format!(
                    "{} champ(s) sans donnée : {}",
                    rendu.manquants.len(),
                    rendu.manquants.join(", ")
                ),
            )
            .at(rendu.manquants.join(",")));
        }
        if !rendu.incompatibles.is_empty() {
            return Err(Erreur::new(
                CodeErreur::ValeurIncompatible,
                format!(
                    "valeur(s) impossible(s) à formater : {}",
                    rendu.incompatibles.join(", ")
                ),
            ));
        }
        let mut archive =
            ZipArchive::new(Cursor::new(&*self.octets)).map_err(|e| invalide(e.to_string()))?;
        let sortie = Vec::with_capacity(self.octets.len() + 16 * 1024);
        let mut zw = ZipWriter::new(Cursor::new(sortie));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        let ecrire = |e: zip::result::ZipError| Erreur::internal(format!("écriture du DOCX : {e}"));
        for (e, texte) in self.entrees.iter().zip(textes) {
            match (e, texte) {
                (Entree::Brute(i), _) => {
                    let f = archive
                        .by_index_raw(*i)
                        .map_err(|e| invalide(format!("entrée {i} illisible : {e}")))?;
                    zw.raw_copy_file(f).map_err(ecrire)?;
                }
                (Entree::Texte { nom, .. } | Entree::Reglages { nom, .. }, Some(t)) => {
                    zw.start_file(nom.as_str(), options).map_err(ecrire)?;
                    zw.write_all(t.as_bytes())?;
                }
                (_, None) => return Err(Erreur::internal("partie non rendue")),
            }
        }
        Ok(zw.finish().map_err(ecrire)?.into_inner())
    }
}

/// Read a part as UTF-8 text (at most [`TAILLE_PARTIE_MAX`] bytes, whatever its header
/// claims), without a byte order mark.
fn lire_texte(f: &mut impl Read) -> std::io::Result<String> {
    let mut v = Vec::new();
    f.take(TAILLE_PARTIE_MAX + 1).read_to_end(&mut v)?;
    if v.len() as u64 > TAILLE_PARTIE_MAX {
        return Err(std::io::Error::other("partie trop volumineuse"));
    }
    let v = v
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(v);
    String::from_utf8(v)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "partie non UTF-8"))
}

/// Merge a template with data in one call (compile, then merge).
///
/// ```
/// # let docx = mpe::documents::formulaires::modele("NOT13").unwrap().to_vec();
/// # let donnees = mpe::documents::formulaires::donnees_formulaire("NOT13", &mpe::documents::formulaires::DonneesProcedure::exemple()).unwrap();
/// let resultat = mpe::documents::fusionner(&docx, &donnees, &Default::default()).unwrap();
/// assert_eq!(&resultat[..2], b"PK");
/// ```
pub fn fusionner(modele: &[u8], donnees: &Value, options: &OptionsFusion) -> Result<Vec<u8>> {
    ModeleDocx::compiler(modele, options)?.fusionner(donnees)
}

/// [`fusionner`] within the host's bounds.
pub fn fusionner_borne(
    modele: &[u8],
    donnees: &Value,
    options: &OptionsFusion,
    limites: &LimitesFusion,
) -> Result<Vec<u8>> {
    ModeleDocx::compiler_borne(modele, options, limites)?.fusionner(donnees)
}

/// List the fields of a template (lint): their names, kind, enclosing sections and parts.
/// A malformed template fails with an error naming its part and paragraph.
pub fn lister_champs(modele: &[u8]) -> Result<Vec<ChampModele>> {
    Ok(ModeleDocx::compiler(modele, &OptionsFusion::default())?
        .champs
        .clone())
}

/// The text of a DOCX's main document (paragraphs separated by newlines), for checks and
/// previews.
pub fn texte_document(docx: &[u8]) -> Result<String> {
    let mut archive = ZipArchive::new(Cursor::new(docx)).map_err(|e| invalide(e.to_string()))?;
    let mut f = archive
        .by_name("word/document.xml")
        .map_err(|e| invalide(e.to_string()))?;
    let s = lire_texte(&mut f).map_err(|e| invalide(e.to_string()))?;
    let doc = xml::parse(&s, "word/document.xml")?;
    let mut out = String::new();
    fn paras(e: &Elem, out: &mut String) {
        if e.name == "w:p" {
            out.push_str(&e.text());
            out.push('\n');
            return;
        }
        for c in &e.children {
            if let Node::Elem(x) = c {
                paras(x, out);
            }
        }
    }
    paras(&doc.root, &mut out);
    Ok(out)
}

/// Merge a template file into an output file (written atomically).
pub fn fusionner_fichier(
    modele: &std::path::Path,
    donnees: &Value,
    options: &OptionsFusion,
    sortie: &std::path::Path,
) -> Result<()> {
    let octets = std::fs::read(modele).map_err(|e| {
        Erreur::new(
            CodeErreur::Es,
            format!("lecture de {} : {e}", modele.display()),
        )
        .at(modele.display().to_string())
    })?;
    let docx = ModeleDocx::compiler(octets, options)?.fusionner(donnees)?;
    crate::fichier_atomique::ecrire_atomique(
        sortie,
        &docx,
        crate::fichier_atomique::Confidentialite::Publique,
    )
}
