//! Python bindings of `mpe::crypto`: key pairs, CMS, envelope ZIP, opening workflow.
//! Heavy work runs with the GIL released (`py.detach`).

use std::path::PathBuf;

use mpe::crypto::bicle::{self, BiCle, GenerationBiCle};
use mpe::crypto::cle_chiffrement::{self, CleChiffrement};
use mpe::crypto::cms::{self, Cle, OptionsChiffrement, OptionsDechiffrement};
use mpe::crypto::dechiffreur::{CleDechiffrement, Courbe};
use mpe::crypto::{enveloppe, identite_test, ouverture};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::conversion::{IntoPy, from_py, to_py_value};

fn options(opts: Option<&Bound<'_, PyAny>>) -> PyResult<OptionsChiffrement> {
    match opts {
        None => Ok(OptionsChiffrement::default()),
        Some(o) if o.is_none() => Ok(OptionsChiffrement::default()),
        Some(o) => from_py(o, "options"),
    }
}

fn bicle(py: Python<'_>, data: &[u8], password: Option<&str>) -> PyResult<BiCle> {
    py.detach(|| BiCle::lire(data, password)).py_err()
}

/// crypto_encrypt(data, certs_pem, options=None) -> bytes (DER CMS)
#[pyfunction]
#[pyo3(signature = (data, certs_pem, options=None))]
fn crypto_encrypt<'py>(
    py: Python<'py>,
    data: &[u8],
    certs_pem: &[u8],
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let o = self::options(options)?;
    let env = py
        .detach(|| {
            let certs = bicle::load_certificates(certs_pem)?;
            cms::encrypt(data, &certs, &o)
        })
        .py_err()?;
    Ok(PyBytes::new(py, &env))
}

/// crypto_decrypt(data, bicle, password=None) -> bytes
#[pyfunction]
#[pyo3(signature = (data, bicle, password=None))]
fn crypto_decrypt<'py>(
    py: Python<'py>,
    data: &[u8],
    bicle: &[u8],
    password: Option<&str>,
) -> PyResult<Bound<'py, PyBytes>> {
    let b = self::bicle(py, bicle, password)?;
    let plain = py.detach(|| cms::decrypt(data, &b)).py_err()?;
    Ok(PyBytes::new(py, &plain))
}

/// crypto_encrypt_file(input, output, certs_pem, options=None) -> int (bytes written)
#[pyfunction]
#[pyo3(signature = (input, output, certs_pem, options=None))]
fn crypto_encrypt_file(
    py: Python<'_>,
    input: PathBuf,
    output: PathBuf,
    certs_pem: &[u8],
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<u64> {
    let o = self::options(options)?;
    py.detach(|| {
        let certs = bicle::load_certificates(certs_pem)?;
        cms::encrypt_file(&input, &output, &certs, &o)
    })
    .py_err()
}

/// crypto_decrypt_file(input, output, bicle, password=None) -> dict
#[pyfunction]
#[pyo3(signature = (input, output, bicle, password=None))]
fn crypto_decrypt_file<'py>(
    py: Python<'py>,
    input: PathBuf,
    output: PathBuf,
    bicle: &[u8],
    password: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let b = self::bicle(py, bicle, password)?;
    let info = py
        .detach(|| cms::decrypt_file(&input, &output, &b))
        .py_err()?;
    to_py_value(py, &info)
}

/// crypto_recipients(registry, chosen, now) -> str (PEM certificates)
#[pyfunction]
fn crypto_recipients(
    registry: &Bound<'_, PyAny>,
    chosen: Vec<String>,
    now: &str,
) -> PyResult<String> {
    let registre: Vec<CleChiffrement> = from_py(registry, "registry")?;
    let now = mpe::crypto::instant(now).py_err()?;
    let ids: Vec<&str> = chosen.iter().map(String::as_str).collect();
    let certs = cle_chiffrement::destinataires(&registre, &ids, now).py_err()?;
    let mut pem = String::new();
    for c in &certs {
        pem.push_str(&bicle::certificate_to_pem(c).py_err()?);
    }
    Ok(pem)
}

/// bicle_generate(params, now, password) -> bytes (PKCS#12)
#[pyfunction]
fn bicle_generate<'py>(
    py: Python<'py>,
    params: &Bound<'py, PyAny>,
    now: &str,
    password: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let p: GenerationBiCle = from_py(params, "params")?;
    let now = mpe::crypto::instant(now).py_err()?;
    let p12 = py
        .detach(|| BiCle::generer(&p, now)?.exporter_pkcs12(password))
        .py_err()?;
    Ok(PyBytes::new(py, &p12))
}

/// bicle_info(data, password=None) -> dict
#[pyfunction]
#[pyo3(signature = (data, password=None))]
fn bicle_info<'py>(
    py: Python<'py>,
    data: &[u8],
    password: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let b = bicle(py, data, password)?;
    to_py_value(py, &b.decrire())
}

/// bicle_export_pem(data, password=None, new_password=None) -> str
#[pyfunction]
#[pyo3(signature = (data, password=None, new_password=None))]
fn bicle_export_pem(
    py: Python<'_>,
    data: &[u8],
    password: Option<&str>,
    new_password: Option<&str>,
) -> PyResult<String> {
    let b = bicle(py, data, password)?;
    py.detach(|| {
        let mut pem = b.certificat_pem()?;
        pem.push_str(&bicle::export_pkcs8_pem(b.cle(), new_password)?);
        Ok(pem)
    })
    .py_err()
}

/// bicle_export_pkcs12(data, password, new_password) -> bytes
#[pyfunction]
#[pyo3(signature = (data, password, new_password))]
fn bicle_export_pkcs12<'py>(
    py: Python<'py>,
    data: &[u8],
    password: Option<&str>,
    new_password: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let b = bicle(py, data, password)?;
    let p12 = py.detach(|| b.exporter_pkcs12(new_password)).py_err()?;
    Ok(PyBytes::new(py, &p12))
}

/// enveloppe_build(files, output) -> dict (manifest); files: list of (path in zip, file)
#[pyfunction]
fn enveloppe_build<'py>(
    py: Python<'py>,
    files: Vec<(String, PathBuf)>,
    output: PathBuf,
) -> PyResult<Bound<'py, PyAny>> {
    let m = py
        .detach(|| enveloppe::construire_fichier(&files, &output))
        .py_err()?;
    to_py_value(py, &m)
}

/// enveloppe_list(zip) -> list[dict]
#[pyfunction]
fn enveloppe_list<'py>(py: Python<'py>, zip: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let l = py.detach(|| enveloppe::lister(zip)).py_err()?;
    to_py_value(py, &l)
}

/// enveloppe_extract(zip_path, dir) -> dict (manifest)
#[pyfunction]
fn enveloppe_extract<'py>(
    py: Python<'py>,
    zip_path: PathBuf,
    dir: PathBuf,
) -> PyResult<Bound<'py, PyAny>> {
    let m = py
        .detach(|| enveloppe::extraire(&zip_path, &dir, &enveloppe::Limites::default()))
        .py_err()?;
    to_py_value(py, &m)
}

/// ouverture_export(envelopes, dir) -> dict (index)
#[pyfunction]
fn ouverture_export<'py>(
    py: Python<'py>,
    envelopes: &Bound<'py, PyAny>,
    dir: PathBuf,
) -> PyResult<Bound<'py, PyAny>> {
    let list: Vec<ouverture::EnveloppeAExporter> = from_py(envelopes, "envelopes")?;
    let index = py.detach(|| ouverture::exporter(&list, &dir)).py_err()?;
    to_py_value(py, &index)
}

/// ouverture_decrypt_folder(dir, bicle, password, output_dir, progress=None) -> dict
///
/// `progress` is called with each step as a dict; an exception it raises is re-raised
/// once the decryption finished.
#[pyfunction]
#[pyo3(signature = (dir, bicle, password, output_dir, progress=None))]
fn ouverture_decrypt_folder<'py>(
    py: Python<'py>,
    dir: PathBuf,
    bicle: &[u8],
    password: Option<&str>,
    output_dir: PathBuf,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let b = self::bicle(py, bicle, password)?;
    let mut raised: Option<PyErr> = None;
    let rapport = py
        .detach(|| {
            ouverture::dechiffrer_dossier(&dir, &b, &output_dir, &mut |step| {
                let Some(cb) = &progress else { return };
                if raised.is_some() {
                    return;
                }
                Python::attach(|py| {
                    let r = to_py_value(py, step).and_then(|v| cb.call1(py, (v,)));
                    if let Err(e) = r {
                        raised = Some(e);
                    }
                });
            })
        })
        .py_err()?;
    if let Some(e) = raised {
        return Err(e);
    }
    to_py_value(py, &rapport)
}

fn options_dechiffrement(opts: Option<&Bound<'_, PyAny>>) -> PyResult<OptionsDechiffrement> {
    match opts {
        Some(o) if !o.is_none() => from_py(o, "options"),
        _ => Ok(OptionsDechiffrement::default()),
    }
}

fn cle(py: Python<'_>, data: &[u8], password: Option<&str>) -> PyResult<CleDechiffrement> {
    py.detach(|| CleDechiffrement::charger(data, password))
        .py_err()
}

/// crypto_decrypt_key(data, key, password=None, options=None) -> (bytes, dict)
#[pyfunction]
#[pyo3(signature = (data, key, password=None, options=None))]
fn crypto_decrypt_key<'py>(
    py: Python<'py>,
    data: &[u8],
    key: &[u8],
    password: Option<&str>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyAny>)> {
    let o = options_dechiffrement(options)?;
    let k = cle(py, key, password)?;
    let (plain, info) = py
        .detach(|| cms::dechiffrer(data, &[Cle::Privee(&k)], &o))
        .py_err()?;
    Ok((PyBytes::new(py, &plain), to_py_value(py, &info)?))
}

/// crypto_decrypt_file_key(input, output, key, password=None, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (input, output, key, password=None, options=None))]
fn crypto_decrypt_file_key<'py>(
    py: Python<'py>,
    input: PathBuf,
    output: PathBuf,
    key: &[u8],
    password: Option<&str>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = options_dechiffrement(options)?;
    let k = cle(py, key, password)?;
    let info = py
        .detach(|| cms::dechiffrer_fichier(&input, &output, &[Cle::Privee(&k)], &o))
        .py_err()?;
    to_py_value(py, &info)
}

/// bicle_generate_ec(params, curve, now, password=None) -> str (certificate + PKCS#8 PEM)
#[pyfunction]
#[pyo3(signature = (params, curve, now, password=None))]
fn bicle_generate_ec(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    curve: &str,
    now: &str,
    password: Option<&str>,
) -> PyResult<String> {
    let p: GenerationBiCle = from_py(params, "params")?;
    let c: Courbe = serde_json::from_value(serde_json::Value::String(curve.to_string()))
        .map_err(|_| {
            mpe::Erreur::invalid_argument(format!(
                "courbe inconnue : {curve} (P-256, P-384, P-521, X25519)"
            ))
        })
        .py_err()?;
    let now = mpe::crypto::instant(now).py_err()?;
    py.detach(|| {
        let paire = bicle::generer_cle_ec(&p, c, now)?;
        let cert = paire
            .certificat_joint()
            .ok_or_else(|| mpe::Erreur::internal("certificat EC absent"))?;
        let mut pem = bicle::certificate_to_pem(cert)?;
        pem.push_str(&paire.exporter_pkcs8_pem(password)?);
        Ok(pem)
    })
    .py_err()
}

/// crypto_decrypt_kek(data, kek, kek_id, options=None) -> (bytes, dict)
#[pyfunction]
#[pyo3(signature = (data, kek, kek_id, options=None))]
fn crypto_decrypt_kek<'py>(
    py: Python<'py>,
    data: &[u8],
    kek: &[u8],
    kek_id: &[u8],
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyAny>)> {
    let o = options_dechiffrement(options)?;
    // The key is built inside: a `Cle` is not `Sync` (it may hold a token's key).
    let (plain, info) = py
        .detach(|| {
            let k = Cle::Kek {
                cle: kek,
                id: kek_id,
            };
            cms::dechiffrer(data, &[k], &o)
        })
        .py_err()?;
    Ok((PyBytes::new(py, &plain), to_py_value(py, &info)?))
}

/// crypto_decrypt_file_kek(input, output, kek, kek_id, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (input, output, kek, kek_id, options=None))]
fn crypto_decrypt_file_kek<'py>(
    py: Python<'py>,
    input: PathBuf,
    output: PathBuf,
    kek: &[u8],
    kek_id: &[u8],
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = options_dechiffrement(options)?;
    let info = py
        .detach(|| {
            let k = Cle::Kek {
                cle: kek,
                id: kek_id,
            };
            cms::dechiffrer_fichier(&input, &output, &[k], &o)
        })
        .py_err()?;
    to_py_value(py, &info)
}

/// crypto_decrypt_password(data, password, options=None) -> (bytes, dict)
#[pyfunction]
#[pyo3(signature = (data, password, options=None))]
fn crypto_decrypt_password<'py>(
    py: Python<'py>,
    data: &[u8],
    password: &[u8],
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyAny>)> {
    let o = options_dechiffrement(options)?;
    let (plain, info) = py
        .detach(|| cms::dechiffrer(data, &[Cle::MotDePasse(password)], &o))
        .py_err()?;
    Ok((PyBytes::new(py, &plain), to_py_value(py, &info)?))
}

/// crypto_decrypt_file_password(input, output, password, options=None) -> dict
#[pyfunction]
#[pyo3(signature = (input, output, password, options=None))]
fn crypto_decrypt_file_password<'py>(
    py: Python<'py>,
    input: PathBuf,
    output: PathBuf,
    password: &[u8],
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = options_dechiffrement(options)?;
    let info = py
        .detach(|| cms::dechiffrer_fichier(&input, &output, &[Cle::MotDePasse(password)], &o))
        .py_err()?;
    to_py_value(py, &info)
}

/// identite_test_generate(params, now, password) -> (bytes PKCS#12, str CA PEM)
#[pyfunction]
fn identite_test_generate(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    now: &str,
    password: &str,
) -> PyResult<(Vec<u8>, String)> {
    let p: identite_test::ParametresIdentiteTest = from_py(params, "params")?;
    let now = mpe::crypto::instant(now).py_err()?;
    py.detach(|| {
        let id = identite_test::generer(&p, now)?;
        Ok::<_, mpe::Erreur>((id.pkcs12(password)?, id.autorite_pem()?))
    })
    .py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(crypto_decrypt_kek, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_file_kek, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_password, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_file_password, m)?)?;
    m.add_function(wrap_pyfunction!(identite_test_generate, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_key, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_file_key, m)?)?;
    m.add_function(wrap_pyfunction!(bicle_generate_ec, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_encrypt_file, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_decrypt_file, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_recipients, m)?)?;
    m.add_function(wrap_pyfunction!(bicle_generate, m)?)?;
    m.add_function(wrap_pyfunction!(bicle_info, m)?)?;
    m.add_function(wrap_pyfunction!(bicle_export_pem, m)?)?;
    m.add_function(wrap_pyfunction!(bicle_export_pkcs12, m)?)?;
    m.add_function(wrap_pyfunction!(enveloppe_build, m)?)?;
    m.add_function(wrap_pyfunction!(enveloppe_list, m)?)?;
    m.add_function(wrap_pyfunction!(enveloppe_extract, m)?)?;
    m.add_function(wrap_pyfunction!(ouverture_export, m)?)?;
    m.add_function(wrap_pyfunction!(ouverture_decrypt_folder, m)?)?;
    Ok(())
}
