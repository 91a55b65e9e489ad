//! The private Rust module `mpe._mpe`; the public API is the `mpe` Python package.
//! It holds no business logic: it converts arguments, calls the core, converts results.

use pyo3::prelude::*;

mod confiance;
mod consultation;
mod contrats;
mod conversion;
mod crypto;
mod documents;
mod donnees;
mod jeton;
mod messagerie;
mod plis;
mod procedure;
mod publication;
mod signature;

#[pymodule]
fn _mpe(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", mpe::VERSION)?;
    m.add_function(wrap_pyfunction!(conversion::code_erreur_lister, m)?)?;
    consultation::register(m)?;
    procedure::register(m)?;
    crypto::register(m)?;
    jeton::register(m)?;
    signature::register(m)?;
    documents::register(m)?;
    donnees::register(m)?;
    contrats::register(m)?;
    messagerie::register(m)?;
    plis::register(m)?;
    confiance::register(m)?;
    publication::register(m)?;
    Ok(())
}
