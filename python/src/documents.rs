//! Python bindings of `mpe::documents`.

use std::collections::HashMap;

use mpe::documents::{self, CategoriePiece, DonneesProcedure, EspaceDocumentaire, OptionsFusion};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::Value;

use crate::conversion::{IntoPy, from_py, to_py, to_py_value};

fn options(strict: bool, conserver_controles: bool) -> OptionsFusion {
    OptionsFusion {
        strict,
        conserver_controles,
    }
}

/// document_merge(template: bytes, data, strict=True, keep_controls=False) -> bytes
#[pyfunction]
#[pyo3(signature = (template, data, strict = true, keep_controls = false))]
fn document_merge<'py>(
    py: Python<'py>,
    template: Vec<u8>,
    data: &Bound<'py, PyAny>,
    strict: bool,
    keep_controls: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let data: Value = from_py(data, "data")?;
    let o = options(strict, keep_controls);
    let out = py
        .detach(|| documents::ModeleDocx::compiler(template, &o).and_then(|m| m.fusionner(&data)))
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// document_merge_file(template_path, data, output_path, strict=True, keep_controls=False)
#[pyfunction]
#[pyo3(signature = (template_path, data, output_path, strict = true, keep_controls = false))]
fn document_merge_file(
    py: Python<'_>,
    template_path: std::path::PathBuf,
    data: &Bound<'_, PyAny>,
    output_path: std::path::PathBuf,
    strict: bool,
    keep_controls: bool,
) -> PyResult<()> {
    let data: Value = from_py(data, "data")?;
    let o = options(strict, keep_controls);
    py.detach(|| documents::fusionner_fichier(&template_path, &data, &o, &output_path))
        .py_err()
}

/// document_fields(template: bytes) -> list[dict]
#[pyfunction]
fn document_fields<'py>(py: Python<'py>, template: Vec<u8>) -> PyResult<Bound<'py, PyAny>> {
    let champs = py.detach(|| documents::lister_champs(&template)).py_err()?;
    to_py_value(py, &champs)
}

/// document_forms() -> list[dict]
#[pyfunction]
fn document_forms(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py_value(py, &documents::CATALOGUE)
}

/// document_form_template(code) -> bytes
#[pyfunction]
fn document_form_template<'py>(py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyBytes>> {
    let m = documents::formulaires::modele(code).py_err()?;
    Ok(PyBytes::new(py, m))
}

/// document_form_data(code, procedure) -> dict
#[pyfunction]
fn document_form_data<'py>(
    py: Python<'py>,
    code: &str,
    procedure: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let p: DonneesProcedure = from_py(procedure, "procedure")?;
    let v = documents::formulaires::donnees_formulaire(code, &p).py_err()?;
    to_py_value(py, &v)
}

/// document_form_generate(code, procedure) -> bytes
#[pyfunction]
fn document_form_generate<'py>(
    py: Python<'py>,
    code: &str,
    procedure: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let p: DonneesProcedure = from_py(procedure, "procedure")?;
    let code = code.to_string();
    let out = py
        .detach(|| documents::formulaires::generer(&code, &p))
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// document_procedure_example() -> dict
#[pyfunction]
fn document_procedure_example(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py_value(py, &DonneesProcedure::exemple())
}

fn categorie(s: &str) -> PyResult<CategoriePiece> {
    serde_json::from_value(Value::String(s.to_string())).map_err(|_| {
        to_py(mpe::Erreur::invalid_argument(format!(
            "catégorie « {s} » inconnue (dce, publicite, depots, attributaires, libres, generees)"
        )))
    })
}

/// document_space_new(consultation) -> dict
#[pyfunction]
fn document_space_new<'py>(py: Python<'py>, consultation: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py_value(py, &EspaceDocumentaire::new(consultation))
}

/// document_space_add(space, category, name, content, date, model=None) -> dict
#[pyfunction]
#[pyo3(signature = (space, category, name, content, date, model = None))]
fn document_space_add<'py>(
    py: Python<'py>,
    space: &Bound<'py, PyAny>,
    category: &str,
    name: &str,
    content: Vec<u8>,
    date: &str,
    model: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut e: EspaceDocumentaire = from_py(space, "space")?;
    let date = documents::espace::date_rfc3339(date).py_err()?;
    e.ajouter(categorie(category)?, name, &content, date, model)
        .py_err()?;
    to_py_value(py, &e)
}

/// document_space_list(space, category=None) -> list[dict]
#[pyfunction]
#[pyo3(signature = (space, category = None))]
fn document_space_list<'py>(
    py: Python<'py>,
    space: &Bound<'py, PyAny>,
    category: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let e: EspaceDocumentaire = from_py(space, "space")?;
    let c = category.map(categorie).transpose()?;
    to_py_value(py, &e.lister(c))
}

/// document_space_zip(space, selection, contents: dict[id, bytes]) -> bytes
#[pyfunction]
fn document_space_zip<'py>(
    py: Python<'py>,
    space: &Bound<'py, PyAny>,
    selection: Vec<String>,
    contents: HashMap<String, Vec<u8>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let e: EspaceDocumentaire = from_py(space, "space")?;
    let out = py
        .detach(|| {
            e.archive(&selection, |p| {
                contents.get(&p.id).cloned().ok_or_else(|| {
                    mpe::Erreur::new(
                        mpe::CodeErreur::PieceInconnue,
                        format!("aucun contenu pour la pièce {}", p.id),
                    )
                    .at(p.id.clone())
                })
            })
        })
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// document_space_zip_file(space, selection, paths: dict[id, path], output_path)
#[pyfunction]
fn document_space_zip_file(
    py: Python<'_>,
    space: &Bound<'_, PyAny>,
    selection: Vec<String>,
    paths: HashMap<String, std::path::PathBuf>,
    output_path: std::path::PathBuf,
) -> PyResult<()> {
    let e: EspaceDocumentaire = from_py(space, "space")?;
    py.detach(|| e.archive_fichier(&selection, &paths, &output_path))
        .py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(document_merge, m)?)?;
    m.add_function(wrap_pyfunction!(document_merge_file, m)?)?;
    m.add_function(wrap_pyfunction!(document_fields, m)?)?;
    m.add_function(wrap_pyfunction!(document_forms, m)?)?;
    m.add_function(wrap_pyfunction!(document_form_template, m)?)?;
    m.add_function(wrap_pyfunction!(document_form_data, m)?)?;
    m.add_function(wrap_pyfunction!(document_form_generate, m)?)?;
    m.add_function(wrap_pyfunction!(document_procedure_example, m)?)?;
    m.add_function(wrap_pyfunction!(document_space_new, m)?)?;
    m.add_function(wrap_pyfunction!(document_space_add, m)?)?;
    m.add_function(wrap_pyfunction!(document_space_list, m)?)?;
    m.add_function(wrap_pyfunction!(document_space_zip, m)?)?;
    m.add_function(wrap_pyfunction!(document_space_zip_file, m)?)?;
    Ok(())
}
