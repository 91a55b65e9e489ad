//! Python binding of `mpe::donnees::contrat_depuis_decision`: the contract drawn from an
//! attribution decision. JSON in, JSON out (the same JSON as the C ABI).

use pyo3::prelude::*;

use mpe::donnees::ComplementContrat;
use mpe::model::Organisation;
use mpe::procedure::Procedure;
use mpe::{CodeErreur, Erreur};

use crate::conversion::IntoPy;

fn json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, Erreur> {
    serde_json::from_str(s).map_err(|e| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{what} : JSON invalide : {e}"),
        )
    })
}

#[pyfunction]
fn contrat_depuis_decision(
    py: Python<'_>,
    procedure: &str,
    organisation: &str,
    complement: &str,
    lot: u32,
) -> PyResult<String> {
    py.detach(|| {
        let p: Procedure = json(procedure, "procedure")?;
        let org: Organisation = json(organisation, "organisation")?;
        let k: ComplementContrat = json(complement, "complement")?;
        let c = mpe::donnees::contrat_depuis_decision(&p, &org, &k, lot)?;
        serde_json::to_string(&c).map_err(|e| Erreur::internal(format!("sérialisation JSON : {e}")))
    })
    .py_err()
}

/// Add the function to `mpe._mpe`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(contrat_depuis_decision, m)?)?;
    Ok(())
}
