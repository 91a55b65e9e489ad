//! C ABI of `mpe::documents`: merge DOCX templates, list their fields, generate the DAJ
//! forms from procedure data, and manage a consultation's document space.
//!
//! Values cross as JSON (the same as Python's): options `{"strict": true,
//! "conserver_controles": false}`, field lists, the catalogue, `DonneesProcedure`, the
//! document space. Documents cross as bytes, or as paths for the `_file` variants.

use std::collections::HashMap;
use std::ffi::c_char;
use std::path::{Path, PathBuf};

use mpe::documents::{self, Categorie, DonneesProcedure, EspaceDocumentaire, OptionsFusion};
use mpe::{Error, ErrorCode};
use serde_json::Value;

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_status, opt_str_in, str_in,
    write_out,
};

fn options(ptr: *const c_char) -> Result<OptionsFusion, Error> {
    match opt_str_in(ptr, "options_json")? {
        Some(s) if !s.trim().is_empty() => json_in(s.as_bytes(), "options_json"),
        _ => Ok(OptionsFusion::default()),
    }
}

/// Merge a DOCX template with JSON data.
///
/// `template`/`template_len`: the DOCX bytes, borrowed for the call. `data_json`: a
/// NUL-terminated JSON object. `options_json`: NULL or `{"strict": bool,
/// "conserver_controles": bool}`. On success `*docx_out` receives the new DOCX; release it
/// with `mpe_bytes_free`. Missing data: `MPE_DONNEES_MANQUANTES`, the message listing every
/// missing field; malformed template: `MPE_MODELE_INVALIDE` or `MPE_SYNTAXE_MODELE` naming
/// the part and paragraph.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_merge(
    template: *const u8,
    template_len: usize,
    data_json: *const c_char,
    options_json: *const c_char,
    docx_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(docx_out, "docx_out")?;
        let t = bytes_in(template, template_len, "template")?;
        let data: Value = json_in(str_in(data_json, "data_json")?.as_bytes(), "data_json")?;
        let docx = documents::fusionner(t, &data, &options(options_json)?)?;
        write_out(docx_out, mpe_bytes::from_vec(docx));
        Ok(())
    })
}

/// Merge a template file into an output file, written atomically (temporary file renamed).
/// Paths are NUL-terminated UTF-8; `options_json` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_merge_file(
    template_path: *const c_char,
    data_json: *const c_char,
    options_json: *const c_char,
    output_path: *const c_char,
) -> mpe_status {
    call(|| {
        let t = str_in(template_path, "template_path")?;
        let o = str_in(output_path, "output_path")?;
        let data: Value = json_in(str_in(data_json, "data_json")?.as_bytes(), "data_json")?;
        documents::fusionner_fichier(Path::new(t), &data, &options(options_json)?, Path::new(o))
    })
}

/// List the fields of a template (lint) as a JSON array of `{nom, genre, sections, parties,
/// sources, optionnel}` into `*json_out` (release with `mpe_bytes_free`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_fields(
    template: *const u8,
    template_len: usize,
    json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(json_out, "json_out")?;
        let champs = documents::lister_champs(bytes_in(template, template_len, "template")?)?;
        write_out(json_out, json_out_value(&champs)?);
        Ok(())
    })
}

fn json_out_value<T: serde::Serialize>(v: &T) -> Result<mpe_bytes, Error> {
    json_out(v)
}

/// The DAJ catalogue as a JSON array of `{code, titre, usage, destinataire}`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_form_list(json_out: *mut mpe_bytes) -> mpe_status {
    call(|| {
        check_out(json_out, "json_out")?;
        write_out(json_out, json_out_value(&documents::CATALOGUE)?);
        Ok(())
    })
}

/// The bundled template (DOCX) of a form (`"NOT13"`); `MPE_FORMULAIRE_INCONNU` if unknown.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_form_template(
    code: *const c_char,
    docx_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(docx_out, "docx_out")?;
        let m = documents::formulaires::modele(str_in(code, "code")?)?;
        write_out(docx_out, mpe_bytes::from_vec(m.to_vec()));
        Ok(())
    })
}

fn procedure(ptr: *const c_char) -> Result<DonneesProcedure, Error> {
    json_in(str_in(ptr, "procedure_json")?.as_bytes(), "procedure_json")
}

/// The data (JSON) a form's template is merged with, built from a `DonneesProcedure`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_form_data(
    code: *const c_char,
    procedure_json: *const c_char,
    json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(json_out, "json_out")?;
        let v = documents::formulaires::donnees_formulaire(
            str_in(code, "code")?,
            &procedure(procedure_json)?,
        )?;
        write_out(json_out, json_out_value(&v)?);
        Ok(())
    })
}

/// Generate a form (DOCX) from a `DonneesProcedure` JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_form_generate(
    code: *const c_char,
    procedure_json: *const c_char,
    docx_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(docx_out, "docx_out")?;
        let docx =
            documents::formulaires::generer(str_in(code, "code")?, &procedure(procedure_json)?)?;
        write_out(docx_out, mpe_bytes::from_vec(docx));
        Ok(())
    })
}

/// A realistic example of `DonneesProcedure` (JSON), to start from.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_procedure_example(json_out: *mut mpe_bytes) -> mpe_status {
    call(|| {
        check_out(json_out, "json_out")?;
        write_out(json_out, json_out_value(&DonneesProcedure::exemple())?);
        Ok(())
    })
}

/// A new, empty document space (JSON) for a consultation reference.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_space_new(
    consultation: *const c_char,
    space_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(space_out, "space_out")?;
        let e = EspaceDocumentaire::new(str_in(consultation, "consultation")?);
        write_out(space_out, json_out_value(&e)?);
        Ok(())
    })
}

fn espace(ptr: *const c_char) -> Result<EspaceDocumentaire, Error> {
    json_in(str_in(ptr, "space_json")?.as_bytes(), "space_json")
}

fn categorie(ptr: *const c_char) -> Result<Option<Categorie>, Error> {
    match opt_str_in(ptr, "category")? {
        None => Ok(None),
        Some(s) => serde_json::from_value(Value::String(s.to_string()))
            .map(Some)
            .map_err(|_| {
                Error::invalid_argument(format!(
                    "catégorie « {s} » inconnue (dce, publicite, depots, attributaires, libres, generees)"
                ))
            }),
    }
}

/// Add a document to a space. `category`: `dce`, `publicite`, `depots`, `attributaires`,
/// `libres` or `generees`; `date_rfc3339`: when it is added (the library reads no clock);
/// `model`: NULL or the form code it was generated from. `*space_out` receives the updated
/// space JSON; the new document is its last `pieces` item (store the bytes under its `id`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_space_add(
    space_json: *const c_char,
    category: *const c_char,
    name: *const c_char,
    data: *const u8,
    data_len: usize,
    date_rfc3339: *const c_char,
    model: *const c_char,
    space_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(space_out, "space_out")?;
        let mut e = espace(space_json)?;
        let c = categorie(category)?.ok_or_else(|| Error::invalid_argument("category : NULL"))?;
        let date = documents::espace::date_rfc3339(str_in(date_rfc3339, "date_rfc3339")?)?;
        e.ajouter(
            c,
            str_in(name, "name")?,
            bytes_in(data, data_len, "data")?,
            date,
            opt_str_in(model, "model")?,
        )?;
        write_out(space_out, json_out_value(&e)?);
        Ok(())
    })
}

/// List the documents of a category (NULL: all) as a JSON array.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_space_list(
    space_json: *const c_char,
    category: *const c_char,
    json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(json_out, "json_out")?;
        let e = espace(space_json)?;
        write_out(json_out, json_out_value(&e.lister(categorie(category)?))?);
        Ok(())
    })
}

/// Build the ZIP of a selection of documents into `output_path` (atomically).
/// `selection_json`: JSON array of ids (empty: all). `paths_json`: JSON object mapping each
/// id to the file holding its bytes; each file is checked against its stored size and
/// SHA-256 (`MPE_PIECE_ALTEREE` otherwise).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_document_space_zip(
    space_json: *const c_char,
    selection_json: *const c_char,
    paths_json: *const c_char,
    output_path: *const c_char,
) -> mpe_status {
    call(|| {
        let e = espace(space_json)?;
        let sel: Vec<String> = json_in(
            str_in(selection_json, "selection_json")?.as_bytes(),
            "selection_json",
        )?;
        let chemins: HashMap<String, PathBuf> =
            json_in(str_in(paths_json, "paths_json")?.as_bytes(), "paths_json")?;
        let sortie = str_in(output_path, "output_path")?;
        if sortie.is_empty() {
            return Err(Error::new(ErrorCode::InvalidArgument, "output_path vide"));
        }
        e.archive_fichier(&sel, &chemins, Path::new(sortie))
    })
}
