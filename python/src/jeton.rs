//! Python bindings of `mpe::crypto::jeton`: keys on tokens and smart cards (PKCS#11). The
//! whole call (module, session, login, work) runs with the GIL released: a PKCS#11 session
//! stays on the thread that opened it.

use std::path::PathBuf;

use mpe::crypto::bicle;
use mpe::crypto::cms::OptionsDechiffrement;
use mpe::crypto::jeton::{self, ReferenceJeton};
use mpe::signature::{DonneesSignees, FormatSignature, OptionsSignature};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::conversion::{IntoPy, from_py, to_py_value};

fn options_dechiffrement(opts: Option<&Bound<'_, PyAny>>) -> PyResult<OptionsDechiffrement> {
    match opts {
        Some(o) if !o.is_none() => from_py(o, "options"),
        _ => Ok(OptionsDechiffrement::default()),
    }
}

/// pkcs11_list(module, now) -> list
#[pyfunction]
fn pkcs11_list<'py>(py: Python<'py>, module: PathBuf, now: &str) -> PyResult<Bound<'py, PyAny>> {
    let now = mpe::crypto::instant(now).py_err()?;
    let l = py.detach(|| jeton::lister(&module, now)).py_err()?;
    to_py_value(py, &l)
}

/// crypto_decrypt_token(data, reference, pin=None, options=None) -> (bytes, dict)
#[pyfunction]
#[pyo3(signature = (data, reference, pin=None, options=None))]
fn crypto_decrypt_token<'py>(
    py: Python<'py>,
    data: &[u8],
    reference: &Bound<'py, PyAny>,
    pin: Option<&str>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyAny>)> {
    let r: ReferenceJeton = from_py(reference, "reference")?;
    let o = options_dechiffrement(options)?;
    let (plain, info) = py
        .detach(|| jeton::dechiffrer(data, &r, pin, &o))
        .py_err()?;
    Ok((PyBytes::new(py, &plain), to_py_value(py, &info)?))
}

/// crypto_decrypt_file_token(input, output, reference, pin=None, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (input, output, reference, pin=None, options=None))]
fn crypto_decrypt_file_token<'py>(
    py: Python<'py>,
    input: PathBuf,
    output: PathBuf,
    reference: &Bound<'py, PyAny>,
    pin: Option<&str>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let r: ReferenceJeton = from_py(reference, "reference")?;
    let o = options_dechiffrement(options)?;
    let info = py
        .detach(|| jeton::dechiffrer_fichier(&input, &output, &r, pin, &o))
        .py_err()?;
    to_py_value(py, &info)
}

/// signature_sign_token(format, reference, pin, chain_pem, data, options) -> bytes
#[pyfunction]
fn signature_sign_token<'py>(
    py: Python<'py>,
    format: &str,
    reference: &Bound<'py, PyAny>,
    pin: Option<&str>,
    chain_pem: Option<&[u8]>,
    data: &[u8],
    options: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let f: FormatSignature = format.parse().py_err()?;
    let r: ReferenceJeton = from_py(reference, "reference")?;
    let o: OptionsSignature = from_py(options, "options de signature")?;
    let out = py
        .detach(|| {
            let chaine = match chain_pem {
                Some(c) if !c.is_empty() => bicle::load_certificates(c)?,
                _ => vec![],
            };
            jeton::signer(f, DonneesSignees::Octets(data), &r, pin, chaine, &o)
        })
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// signature_sign_file_token(format, reference, pin, chain_pem, path, out_path, options)
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn signature_sign_file_token<'py>(
    py: Python<'py>,
    format: &str,
    reference: &Bound<'py, PyAny>,
    pin: Option<&str>,
    chain_pem: Option<&[u8]>,
    path: PathBuf,
    out_path: PathBuf,
    options: &Bound<'py, PyAny>,
) -> PyResult<()> {
    let f: FormatSignature = format.parse().py_err()?;
    let r: ReferenceJeton = from_py(reference, "reference")?;
    let o: OptionsSignature = from_py(options, "options de signature")?;
    py.detach(|| {
        let chaine = match chain_pem {
            Some(c) if !c.is_empty() => bicle::load_certificates(c)?,
            _ => vec![],
        };
        jeton::signer_fichier(f, &path, &out_path, &r, pin, chaine, &o)
    })
    .py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pkcs11_list, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_token, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_file_token, m)?)?;
    m.add_function(wrap_pyfunction!(signature_sign_token, m)?)?;
    m.add_function(wrap_pyfunction!(signature_sign_file_token, m)?)?;
    Ok(())
}
