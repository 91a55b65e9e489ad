//! Python bindings of `mpe::confiance`: load the EU trusted lists, qualify a certificate.
//! The lists arrive as the dict of the C API's `listes_confiance` (bytes in base64).

use chrono::{DateTime, Utc};
use mpe::confiance::{self, ListesConfianceJson};
use pyo3::prelude::*;

use crate::conversion::{IntoPy, from_py, to_py_value};

fn instant(text: &str) -> PyResult<DateTime<Utc>> {
    mpe::rules::temps::instant_rfc3339(text).map_err(|e| crate::conversion::to_py(e.at("date")))
}

/// trust_load(lists, date) -> dict
#[pyfunction]
fn trust_load<'py>(
    py: Python<'py>,
    lists: &Bound<'py, PyAny>,
    date: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let l: ListesConfianceJson = from_py(lists, "listes de confiance")?;
    let quand = instant(date)?;
    let c = py.detach(|| l.charger(quand)).py_err()?;
    to_py_value(py, &c)
}

/// trust_qualify(cert, lists, date) -> dict
#[pyfunction]
fn trust_qualify<'py>(
    py: Python<'py>,
    cert: &[u8],
    lists: &Bound<'py, PyAny>,
    date: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let cert = mpe::signature::certificat(cert).py_err()?;
    let l: ListesConfianceJson = from_py(lists, "listes de confiance")?;
    let quand = instant(date)?;
    let r = py
        .detach(|| {
            l.charger(quand)
                .map(|c| confiance::qualifier(&cert, quand, &c))
        })
        .py_err()?;
    to_py_value(py, &r)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(trust_load, m)?)?;
    m.add_function(wrap_pyfunction!(trust_qualify, m)?)?;
    Ok(())
}
