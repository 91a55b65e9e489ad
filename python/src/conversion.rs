//! The one conversion module of the Python binding: core errors to the exceptions of
//! `mpe/exceptions.py` (I/O errors to the `OSError` subclass of their errno), Python
//! values to the core's serde types and back (the same JSON as the C ABI). The Python
//! side of the conversions (bytes-like, passwords, instants, paths) is `mpe/_conversion.py`.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python class of a family (`mpe.exceptions`), in the vocabulary of `docs/glossaire.md`.
fn classe(famille: mpe::FamilleErreur) -> &'static str {
    use mpe::FamilleErreur as F;
    match famille {
        F::Entree => "ErreurEntree",
        F::Es => "ErreurES",
        F::Interne => "ErreurInterne",
        F::Validation => "ErreurValidation",
        F::Procedure => "ErreurProcedure",
        F::Chiffrement => "ErreurChiffrement",
        F::Signature => "ErreurSignature",
        F::Document => "ErreurDocument",
        F::Decp => "ErreurDecp",
        F::Messagerie => "ErreurMessagerie",
        F::Publication => "ErreurPublication",
        _ => "ErreurMpe",
    }
}

/// The errno of an I/O error, read from the `(os error N)` that `std::io::Error` writes in
/// its message (the core error keeps the text, not the kind).
fn numero_es(message: &str) -> Option<i32> {
    let debut = message.rfind("(os error ")? + "(os error ".len();
    let fin = message[debut..].find(')')? + debut;
    message.get(debut..fin)?.parse().ok()
}

/// Raise the exception class of the error's family, carrying code, name, message and path.
pub(crate) fn to_py(e: mpe::Erreur) -> PyErr {
    Python::attach(|py| match build(py, &e) {
        Ok(err) => err,
        Err(import_failure) => import_failure,
    })
}

fn build(py: Python<'_>, e: &mpe::Erreur) -> PyResult<PyErr> {
    let module = py.import("mpe.exceptions")?;
    let instance = if e.code() == mpe::CodeErreur::Es {
        let numero = numero_es(e.message());
        let classe = match numero {
            Some(n) => module
                .getattr("CLASSES_ES")?
                .call_method1("get", (n, module.getattr("ErreurES")?))?,
            None => module.getattr("ErreurES")?,
        };
        classe.call1((
            e.message(),
            e.code().code(),
            e.code().name(),
            e.path(),
            numero,
        ))?
    } else {
        module.getattr(classe(e.code().family()))?.call1((
            e.message(),
            e.code().code(),
            e.code().name(),
            e.path(),
        ))?
    };
    Ok(PyErr::from_value(instance))
}

/// Extension trait to convert core results.
pub(crate) trait IntoPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, mpe::Erreur> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// `{code: (nom, classe de la famille, libellé)}` for `mpe.code_erreur` and the docs.
#[pyfunction]
pub(crate) fn code_erreur_lister(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for c in mpe::CodeErreur::ALL {
        d.set_item(c.code(), (c.name(), classe(c.family()), c.label()))?;
    }
    Ok(d)
}

/// Convert a Python value (dict, list...) to the core's serde type through JSON, the same
/// JSON the C ABI takes.
pub(crate) fn from_py<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<T> {
    let py = obj.py();
    let json = py.import("json")?;
    let text: String = if let Ok(s) = obj.extract::<String>() {
        s
    } else {
        json.call_method1("dumps", (obj,))?.extract()?
    };
    serde_json::from_str(&text).map_err(|e| {
        to_py(mpe::Erreur::new(
            mpe::CodeErreur::JsonInvalide,
            format!("{what} : JSON invalide : {e}"),
        ))
    })
}

/// Convert a core serde value to plain Python objects (dicts, lists, str, int, float).
pub(crate) fn to_py_value<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| to_py(mpe::Erreur::internal(format!("sérialisation JSON : {e}"))))?;
    py.import("json")?.call_method1("loads", (text,))
}
