//! C ABI of `mpe::documents`: merge DOCX templates, list their fields, generate the DAJ
//! forms from procedure data, and keep a consultation's document space.
//!
//! Values cross as JSON (the same as Python's): options `{"strict": true,
//! "conserver_controles": false}`, field lists, the catalogue, `DonneesProcedure`, the
//! document space. Documents cross as bytes, or as paths for the `_fichier` variants.

use std::collections::HashMap;
use std::ffi::c_char;
use std::path::PathBuf;

use mpe::Erreur;
use mpe::documents::{self, CategoriePiece, DonneesProcedure, EspaceDocumentaire, OptionsFusion};
use serde_json::Value;

use crate::frontiere::{
    appeler, chemin, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets,
    mpe_statut, octets, octets_sortie, texte, texte_facultatif,
};

fn options(ptr: *const u8, longueur: usize) -> Result<OptionsFusion, Erreur> {
    Ok(json_facultatif(ptr, longueur, "options")?.unwrap_or_default())
}

/// Merge the DOCX template `modele` with `donnees_json` (any JSON object); `options_json`
/// may be NULL/0. `docx_sortie` receives the document.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_fusionner(
    modele: *const u8,
    modele_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    docx_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(docx_sortie, "docx_sortie"), || {
        let m = octets(modele, modele_longueur, "modele")?;
        let d: Value = json(donnees_json, donnees_longueur, "donnees")?;
        Ok(documents::fusionner(m, &d, &options(options_json, options_longueur)?)?.into())
    })
}

/// Merge the template file `modele` into the file `sortie` (written whole or not at all).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_fusionner_fichier(
    modele: *const c_char,
    donnees_json: *const u8,
    donnees_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    sortie: *const c_char,
) -> mpe_statut {
    appeler((), || {
        let d: Value = json(donnees_json, donnees_longueur, "donnees")?;
        documents::fusionner_fichier(
            chemin(modele, "modele")?,
            &d,
            &options(options_json, options_longueur)?,
            chemin(sortie, "sortie")?,
        )
    })
}

/// The merge fields of a template, as a JSON array.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_lister_champs(
    modele: *const u8,
    modele_longueur: usize,
    champs_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(champs_sortie, "champs_sortie"), || {
        json_texte(&documents::lister_champs(octets(
            modele,
            modele_longueur,
            "modele",
        )?)?)
    })
}

/// The catalogue of the DAJ forms bundled with mpe, as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_formulaire_lister(catalogue_sortie: *mut mpe_octets) -> mpe_statut {
    appeler(octets_sortie(catalogue_sortie, "catalogue_sortie"), || {
        json_texte(&documents::CATALOGUE)
    })
}

/// The DOCX template of the form `code` (e.g. `"DC1"`). Unknown: `MPE_FORMULAIRE_INCONNU`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_formulaire_lire_modele(
    code: *const c_char,
    docx_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(docx_sortie, "docx_sortie"), || {
        Ok(documents::formulaires::modele(texte(code, "code")?)?
            .to_vec()
            .into())
    })
}

/// The merge data of the form `code` drawn from `procedure_json` (`DonneesProcedure`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_formulaire_generer_donnees(
    code: *const c_char,
    procedure_json: *const u8,
    procedure_longueur: usize,
    donnees_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(donnees_sortie, "donnees_sortie"), || {
        let p: DonneesProcedure = json(procedure_json, procedure_longueur, "procedure")?;
        json_texte(&documents::formulaires::donnees_formulaire(
            texte(code, "code")?,
            &p,
        )?)
    })
}

/// The form `code` filled from `procedure_json` (`DonneesProcedure`), as DOCX.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_formulaire_generer(
    code: *const c_char,
    procedure_json: *const u8,
    procedure_longueur: usize,
    docx_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(docx_sortie, "docx_sortie"), || {
        let p: DonneesProcedure = json(procedure_json, procedure_longueur, "procedure")?;
        Ok(documents::formulaires::generer(texte(code, "code")?, &p)?.into())
    })
}

/// An example of `DonneesProcedure`, as JSON: a starting point for hosts.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_formulaire_lire_exemple(procedure_sortie: *mut mpe_octets) -> mpe_statut {
    appeler(octets_sortie(procedure_sortie, "procedure_sortie"), || {
        json_texte(&DonneesProcedure::exemple())
    })
}

/// A new, empty document space for the consultation `consultation` (its id), as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_espace_nouveau(
    consultation: *const c_char,
    espace_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(espace_sortie, "espace_sortie"), || {
        json_texte(&EspaceDocumentaire::new(texte(
            consultation,
            "consultation",
        )?))
    })
}

fn categorie(ptr: *const c_char) -> Result<Option<CategoriePiece>, Erreur> {
    match texte_facultatif(ptr, "categorie")? {
        None => Ok(None),
        Some(s) => serde_json::from_value(Value::String(s.to_string()))
            .map(Some)
            .map_err(|_| {
                Erreur::invalid_argument(format!(
                    "catégorie « {s} » inconnue (dce, publicite, depots, attributaires, libres, generees)"
                ))
            }),
    }
}

/// Add the piece `nom` (`donnees`) to the category `categorie` of a document space; the
/// updated space is written to `espace_sortie`. `modele` (may be NULL) names the template
/// the piece was generated from.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_espace_ajouter(
    espace_json: *const u8,
    espace_longueur: usize,
    categorie: *const c_char,
    nom: *const c_char,
    donnees: *const u8,
    donnees_longueur: usize,
    date: mpe_instant,
    modele: *const c_char,
    espace_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(espace_sortie, "espace_sortie"), || {
        let mut e: EspaceDocumentaire = json(espace_json, espace_longueur, "espace")?;
        let c = self::categorie(categorie)?
            .ok_or_else(|| Erreur::invalid_argument("categorie : NULL"))?;
        e.ajouter(
            c,
            texte(nom, "nom")?,
            octets(donnees, donnees_longueur, "donnees")?,
            instant(date, "date")?,
            texte_facultatif(modele, "modele")?,
        )?;
        json_texte(&e)
    })
}

/// The pieces of a document space (of one category, or all when `categorie` is NULL).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_espace_lister(
    espace_json: *const u8,
    espace_longueur: usize,
    categorie: *const c_char,
    pieces_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(pieces_sortie, "pieces_sortie"), || {
        let e: EspaceDocumentaire = json(espace_json, espace_longueur, "espace")?;
        json_texte(&e.lister(self::categorie(categorie)?))
    })
}

/// Write a ZIP of the selected pieces (`selection_json`: their ids) to `sortie`, reading
/// their bytes from `chemins_json` (`{"id": "/chemin/sur/disque"}`); each piece's hash is
/// checked (`MPE_PIECE_ALTEREE`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_espace_exporter_zip(
    espace_json: *const u8,
    espace_longueur: usize,
    selection_json: *const u8,
    selection_longueur: usize,
    chemins_json: *const u8,
    chemins_longueur: usize,
    sortie: *const c_char,
) -> mpe_statut {
    appeler((), || {
        let e: EspaceDocumentaire = json(espace_json, espace_longueur, "espace")?;
        let sel: Vec<String> = json(selection_json, selection_longueur, "selection")?;
        let chemins: HashMap<String, PathBuf> = json(chemins_json, chemins_longueur, "chemins")?;
        e.archive_fichier(&sel, &chemins, chemin(sortie, "sortie")?)
    })
}
