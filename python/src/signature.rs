//! Python bindings of `mpe::signature`: sign, verify (one report for the three formats), the
//! two-step flow and B-T timestamps. The GIL is released around hashing and signing.

use std::path::PathBuf;

use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification,
    OptionsVerificationJson, Signataire, SignaturePreparee,
};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::conversion::{IntoPy, from_py, to_py_value};

fn format_of(format: &str) -> PyResult<FormatSignature> {
    format.parse().py_err()
}

fn signer_of(key_pem: &[u8], certs_pem: &[u8]) -> PyResult<Signataire> {
    let text = |b: &[u8], what: &str| {
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| {
            mpe::Erreur::new(
                mpe::CodeErreur::CleInvalide,
                format!("{what} : PEM non UTF-8"),
            )
        })
    };
    Signataire::from_pem(
        &text(key_pem, "clé").py_err()?,
        &text(certs_pem, "certificats").py_err()?,
    )
    .py_err()
}

fn verify_options(options: Option<&Bound<'_, PyAny>>) -> PyResult<OptionsVerification> {
    match options {
        None => Ok(OptionsVerification::default()),
        Some(o) => {
            let j: OptionsVerificationJson = from_py(o, "options de vérification")?;
            j.try_into().py_err()
        }
    }
}

/// signature_sign(format, key_pem, certs_pem, data, options) -> bytes
#[pyfunction]
fn signature_sign<'py>(
    py: Python<'py>,
    format: &str,
    key_pem: &[u8],
    certs_pem: &[u8],
    data: &[u8],
    options: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let format = format_of(format)?;
    let signer = signer_of(key_pem, certs_pem)?;
    let opts: OptionsSignature = from_py(options, "options de signature")?;
    let out = py
        .detach(|| signature::signer(format, DonneesSignees::Octets(data), &signer, &opts))
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// signature_sign_file(format, key_pem, certs_pem, path, out_path, options) -> None
#[pyfunction]
fn signature_sign_file(
    py: Python<'_>,
    format: &str,
    key_pem: &[u8],
    certs_pem: &[u8],
    path: PathBuf,
    out_path: PathBuf,
    options: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let format = format_of(format)?;
    let signer = signer_of(key_pem, certs_pem)?;
    let opts: OptionsSignature = from_py(options, "options de signature")?;
    py.detach(|| signature::signer_fichier(format, &path, &out_path, &signer, &opts))
        .py_err()
}

/// signature_verify(sig, data=None, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (sig, data=None, options=None))]
fn signature_verify<'py>(
    py: Python<'py>,
    sig: &[u8],
    data: Option<&[u8]>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = verify_options(options)?;
    let report = py
        .detach(|| signature::verifier(sig, data.map(DonneesSignees::Octets), &opts))
        .py_err()?;
    to_py_value(py, &report)
}

/// signature_verify_file(sig_path, data_path=None, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (sig_path, data_path=None, options=None))]
fn signature_verify_file<'py>(
    py: Python<'py>,
    sig_path: PathBuf,
    data_path: Option<PathBuf>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = verify_options(options)?;
    let report = py
        .detach(|| signature::verifier_fichier(&sig_path, data_path.as_deref(), &opts))
        .py_err()?;
    to_py_value(py, &report)
}

/// signature_prepare(format, certs_pem, data, options) -> dict
#[pyfunction]
fn signature_prepare<'py>(
    py: Python<'py>,
    format: &str,
    certs_pem: &[u8],
    data: &[u8],
    options: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let format = format_of(format)?;
    let pem = std::str::from_utf8(certs_pem)
        .map_err(|_| mpe::Erreur::new(mpe::CodeErreur::CleInvalide, "certificats : PEM non UTF-8"))
        .py_err()?;
    let signer = Signataire::externe(Signataire::certificats_pem(pem).py_err()?).py_err()?;
    let opts: OptionsSignature = from_py(options, "options de signature")?;
    let prepared = py
        .detach(|| signature::preparer(format, DonneesSignees::Octets(data), &signer, &opts))
        .py_err()?;
    to_py_value(py, &prepared)
}

/// signature_assemble(prepared, value) -> bytes
#[pyfunction]
fn signature_assemble<'py>(
    py: Python<'py>,
    prepared: &Bound<'py, PyAny>,
    value: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let prepared: SignaturePreparee = from_py(prepared, "signature préparée")?;
    let out = py.detach(|| prepared.assembler(value)).py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// signature_timestamp_request(signed, nonce=None) -> bytes
#[pyfunction]
#[pyo3(signature = (signed, nonce=None))]
fn signature_timestamp_request<'py>(
    py: Python<'py>,
    signed: &[u8],
    nonce: Option<u64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let req = signature::requete_horodatage(signed, signature::AlgorithmeEmpreinte::Sha256, nonce)
        .py_err()?;
    Ok(PyBytes::new(py, &req))
}

/// signature_add_timestamp(signed, token) -> bytes
#[pyfunction]
fn signature_add_timestamp<'py>(
    py: Python<'py>,
    signed: &[u8],
    token: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let out = py
        .detach(|| signature::ajouter_horodatage(signed, token))
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// signature_collect_validation_data(signed, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (signed, options=None))]
fn signature_collect_validation_data<'py>(
    py: Python<'py>,
    signed: &[u8],
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = verify_options(options)?;
    let d = py
        .detach(|| signature::collecter_donnees_validation(signed, &opts))
        .py_err()?;
    to_py_value(py, &d)
}

/// signature_add_validation_data(signed, data) -> bytes
#[pyfunction]
fn signature_add_validation_data<'py>(
    py: Python<'py>,
    signed: &[u8],
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let d: signature::DonneesValidation = from_py(data, "données de validation")?;
    let out = py
        .detach(|| signature::ajouter_donnees_validation(signed, &d))
        .py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// document_timestamp_prepare(signed, nonce=None, data=None) -> dict
#[pyfunction]
#[pyo3(signature = (signed, nonce=None, data=None))]
fn document_timestamp_prepare<'py>(
    py: Python<'py>,
    signed: &[u8],
    nonce: Option<u64>,
    data: Option<&[u8]>,
) -> PyResult<Bound<'py, PyAny>> {
    let alg = signature::AlgorithmeEmpreinte::Sha256;
    let p = py
        .detach(|| match data {
            Some(d) => signature::preparer_horodatage_document_detache(
                signed,
                DonneesSignees::Octets(d),
                alg,
                nonce,
            ),
            None => signature::preparer_horodatage_document(signed, alg, nonce),
        })
        .py_err()?;
    to_py_value(py, &p)
}

/// document_timestamp_finish(prepared, token) -> bytes
#[pyfunction]
fn document_timestamp_finish<'py>(
    py: Python<'py>,
    prepared: &Bound<'py, PyAny>,
    token: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let p: signature::HorodatageDocumentPrepare = from_py(prepared, "horodatage préparé")?;
    let out = py.detach(|| p.finir(token)).py_err()?;
    Ok(PyBytes::new(py, &out))
}

/// signature_output_name(file, format, date, n) -> str
#[pyfunction]
fn signature_output_name(file: &str, format: &str, date: &str, n: u32) -> PyResult<String> {
    let date = mpe::rules::temps::instant_rfc3339(date).py_err()?;
    Ok(signature::nom_fichier_signe(
        file,
        format_of(format)?,
        date,
        n,
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(signature_sign, m)?)?;
    m.add_function(wrap_pyfunction!(signature_sign_file, m)?)?;
    m.add_function(wrap_pyfunction!(signature_verify, m)?)?;
    m.add_function(wrap_pyfunction!(signature_verify_file, m)?)?;
    m.add_function(wrap_pyfunction!(signature_prepare, m)?)?;
    m.add_function(wrap_pyfunction!(signature_assemble, m)?)?;
    m.add_function(wrap_pyfunction!(signature_timestamp_request, m)?)?;
    m.add_function(wrap_pyfunction!(signature_add_timestamp, m)?)?;
    m.add_function(wrap_pyfunction!(signature_collect_validation_data, m)?)?;
    m.add_function(wrap_pyfunction!(signature_add_validation_data, m)?)?;
    m.add_function(wrap_pyfunction!(document_timestamp_prepare, m)?)?;
    m.add_function(wrap_pyfunction!(document_timestamp_finish, m)?)?;
    m.add_function(wrap_pyfunction!(signature_output_name, m)?)?;
    Ok(())
}
