//! Python bindings of `mpe::model` and `mpe::rules`.

use chrono::{DateTime, Utc};
use mpe::model::{Consultation, Organisation};
use pyo3::prelude::*;

use crate::conversion::{IntoPy, from_py, to_py_value};

fn instant(text: &str) -> PyResult<DateTime<Utc>> {
    mpe::rules::temps::instant_rfc3339(text).map_err(|e| crate::conversion::to_py(e.at("now")))
}

/// validate_consultation(consultation, organisation, now) -> list[dict]
#[pyfunction]
#[pyo3(signature = (consultation, organisation, now))]
fn validate_consultation<'py>(
    py: Python<'py>,
    consultation: &Bound<'py, PyAny>,
    organisation: Option<&Bound<'py, PyAny>>,
    now: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let c: Consultation = from_py(consultation, "consultation")?;
    let org: Option<Organisation> = organisation
        .map(|o| from_py(o, "organisation"))
        .transpose()?;
    let now = instant(now)?;
    let findings = mpe::rules::valider(&c, org.as_ref(), now);
    to_py_value(py, &findings)
}

/// normalize_consultation(consultation) -> str (canonical JSON)
#[pyfunction]
fn normalize_consultation(consultation: &Bound<'_, PyAny>) -> PyResult<String> {
    let c: Consultation = from_py(consultation, "consultation")?;
    Ok(c.to_json())
}

/// cpv_lookup(code) -> dict
#[pyfunction]
fn cpv_lookup<'py>(py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyAny>> {
    let found = mpe::rules::cpv::chercher(code).py_err()?;
    to_py_value(py, &found)
}

/// check_reference(reference) -> None
#[pyfunction]
fn check_reference(reference: &str) -> PyResult<()> {
    mpe::rules::reference::valider(reference).py_err()
}

/// valider_siret(siret) -> None
#[pyfunction]
fn valider_siret(siret: &str) -> PyResult<()> {
    mpe::rules::siret::valider(siret).py_err()
}

/// generate_access_code() -> str
#[pyfunction]
fn generate_access_code() -> String {
    mpe::rules::code_acces::generer()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate_consultation, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_consultation, m)?)?;
    m.add_function(wrap_pyfunction!(cpv_lookup, m)?)?;
    m.add_function(wrap_pyfunction!(check_reference, m)?)?;
    m.add_function(wrap_pyfunction!(valider_siret, m)?)?;
    m.add_function(wrap_pyfunction!(generate_access_code, m)?)?;
    Ok(())
}
