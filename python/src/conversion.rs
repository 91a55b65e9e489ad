//! The one conversion from `mpe::Error` to the Python exceptions of `mpe/exceptions.py`.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Raise the exception class of the error's family, carrying code, name, message and path.
pub(crate) fn to_py(e: mpe::Error) -> PyErr {
    Python::attach(|py| match build(py, &e) {
        Ok(err) => err,
        Err(import_failure) => import_failure,
    })
}

fn build(py: Python<'_>, e: &mpe::Error) -> PyResult<PyErr> {
    let module = py.import("mpe.exceptions")?;
    let class = module.getattr(e.code().family().python_class())?;
    let instance = class.call1((e.message(), e.code().code(), e.code().name(), e.path()))?;
    Ok(PyErr::from_value(instance))
}

/// Extension trait to convert core results.
pub(crate) trait IntoPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, mpe::Error> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// `{code: (name, family class, label)}` for the exceptions module and the docs.
#[pyfunction]
pub(crate) fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for c in mpe::ErrorCode::ALL {
        d.set_item(c.code(), (c.name(), c.family().python_class(), c.label()))?;
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
        to_py(mpe::Error::new(
            mpe::ErrorCode::InvalidJson,
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
        .map_err(|e| to_py(mpe::Error::internal(format!("sérialisation JSON : {e}"))))?;
    py.import("json")?.call_method1("loads", (text,))
}
