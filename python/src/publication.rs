//! Python binding of `mpe::publication`: the eForms notices and the DUME. Values cross as
//! Python objects converted through the same JSON as the C ABI; notices and DUMEs as text
//! (notices) or bytes (DUMEs).

use pyo3::prelude::*;

use mpe::model::{Consultation, IdentifiantEntreprise, Organisation};
use mpe::procedure::Procedure;
use mpe::publication::{
    ContratLot, DonneesAvis, ReglesEforms, ValidateurEformsPartage, VersionDume,
};

use crate::conversion::{IntoPy, from_py, to_py_value};

fn instant(text: &str) -> PyResult<chrono::DateTime<chrono::Utc>> {
    mpe::rules::temps::instant_rfc3339(text)
        .map_err(|e| crate::conversion::to_py(e.at("maintenant")))
}

/// The inputs every notice shares, converted: the buyer, its notice data and the time;
/// `sous_type` (contract notice, or result notice when `attribution`) checked by the core
/// against the organisation, before any work.
fn entrees(
    sous_type: Option<(&str, bool)>,
    organisation: &Bound<'_, PyAny>,
    donnees: &Bound<'_, PyAny>,
    maintenant: &str,
) -> PyResult<(Organisation, DonneesAvis, chrono::DateTime<chrono::Utc>)> {
    let o: Organisation = from_py(organisation, "organisation")?;
    let d: DonneesAvis = from_py(donnees, "donnees")?;
    if let Some((s, attribution)) = sous_type {
        mpe::publication::verifier_sous_type(s, &o, attribution).py_err()?;
    }
    Ok((o, d, instant(maintenant)?))
}

/// avis_generer_marche(sous_type, consultation, organisation, donnees, maintenant) -> dict
#[pyfunction]
fn avis_generer_marche<'py>(
    py: Python<'py>,
    sous_type: &str,
    consultation: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    donnees: &Bound<'py, PyAny>,
    maintenant: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (o, d, t) = entrees(Some((sous_type, false)), organisation, donnees, maintenant)?;
    let c: Consultation = from_py(consultation, "consultation")?;
    let avis = py
        .detach(|| mpe::publication::generer_avis_marche(&c, &o, &d, t))
        .py_err()?;
    to_py_value(py, &avis)
}

/// avis_verifier_marche(sous_type, consultation, organisation, donnees, maintenant) -> list
#[pyfunction]
fn avis_verifier_marche<'py>(
    py: Python<'py>,
    sous_type: &str,
    consultation: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    donnees: &Bound<'py, PyAny>,
    maintenant: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (o, d, t) = entrees(Some((sous_type, false)), organisation, donnees, maintenant)?;
    let c: Consultation = from_py(consultation, "consultation")?;
    to_py_value(py, &mpe::publication::verifier_avis(&c, &o, &d, t))
}

/// avis_generer_attribution(sous_type, procedure, organisation, donnees, contrats, maintenant) -> dict
#[pyfunction]
fn avis_generer_attribution<'py>(
    py: Python<'py>,
    sous_type: &str,
    procedure: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    donnees: &Bound<'py, PyAny>,
    contrats: &Bound<'py, PyAny>,
    maintenant: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (o, d, t) = entrees(Some((sous_type, true)), organisation, donnees, maintenant)?;
    let p: Procedure = from_py(procedure, "procedure")?;
    let k: Vec<ContratLot> = from_py(contrats, "contrats")?;
    let avis = py
        .detach(|| mpe::publication::generer_avis_attribution(&p, &o, &d, &k, t))
        .py_err()?;
    to_py_value(py, &avis)
}

/// avis_verifier_attribution(sous_type, procedure, organisation, donnees, contrats, maintenant) -> list
#[pyfunction]
fn avis_verifier_attribution<'py>(
    py: Python<'py>,
    sous_type: &str,
    procedure: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    donnees: &Bound<'py, PyAny>,
    contrats: &Bound<'py, PyAny>,
    maintenant: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (o, d, t) = entrees(Some((sous_type, true)), organisation, donnees, maintenant)?;
    let p: Procedure = from_py(procedure, "procedure")?;
    let k: Vec<ContratLot> = from_py(contrats, "contrats")?;
    to_py_value(
        py,
        &mpe::publication::verifier_avis_attribution(&p, &o, &d, &k, t),
    )
}

/// avis_generer_rectificatif(procedure, organisation, donnees, avis_initial, maintenant) -> dict
#[pyfunction]
fn avis_generer_rectificatif<'py>(
    py: Python<'py>,
    procedure: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    donnees: &Bound<'py, PyAny>,
    avis_initial: &str,
    maintenant: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (o, d, t) = entrees(None, organisation, donnees, maintenant)?;
    let p: Procedure = from_py(procedure, "procedure")?;
    let avis = py
        .detach(|| mpe::publication::generer_avis_rectificatif(&p, &o, &d, avis_initial, t))
        .py_err()?;
    to_py_value(py, &avis)
}

/// avis_lire(avis) -> dict
#[pyfunction]
fn avis_lire<'py>(py: Python<'py>, avis: &str) -> PyResult<Bound<'py, PyAny>> {
    let r = py.detach(|| mpe::publication::lire_avis(avis)).py_err()?;
    to_py_value(py, &r)
}

/// dume_generer_demande(consultation, organisation, version, maintenant) -> dict
#[pyfunction]
fn dume_generer_demande<'py>(
    py: Python<'py>,
    consultation: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    version: &str,
    maintenant: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let c: Consultation = from_py(consultation, "consultation")?;
    let o: Organisation = from_py(organisation, "organisation")?;
    let v = VersionDume::depuis(version).py_err()?;
    let t = instant(maintenant)?;
    let d = py
        .detach(|| mpe::publication::generer_dume_demande(&c, &o, v, t))
        .py_err()?;
    to_py_value(py, &d)
}

/// dume_lire(dume: bytes) -> dict
#[pyfunction]
fn dume_lire<'py>(py: Python<'py>, dume: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let r = py.detach(|| mpe::publication::lire_dume(dume)).py_err()?;
    to_py_value(py, &r)
}

/// dume_comparer(reponse: bytes, demande: bytes, entreprise) -> list
#[pyfunction]
fn dume_comparer<'py>(
    py: Python<'py>,
    reponse: &[u8],
    demande: &[u8],
    entreprise: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let e: IdentifiantEntreprise = from_py(entreprise, "entreprise")?;
    let ecarts = py
        .detach(|| {
            e.verifier()?;
            let r = mpe::publication::lire_dume(reponse)?;
            let d = mpe::publication::lire_dume(demande)?;
            Ok::<_, mpe::Erreur>(mpe::publication::comparer_dume(&r, &d, &e))
        })
        .py_err()?;
    to_py_value(py, &ecarts)
}

/// A validator of notices by the SDK's Schematron rules, keeping each phase compiled; usable
/// from any Python thread, and the GIL is released while it works.
#[pyclass(module = "mpe._mpe")]
struct ValidateurAvisPy {
    inner: ValidateurEformsPartage,
}

#[pymethods]
impl ValidateurAvisPy {
    #[new]
    #[pyo3(signature = (sdk, version=None))]
    fn new(py: Python<'_>, sdk: std::path::PathBuf, version: Option<&str>) -> PyResult<Self> {
        let regles = py
            .detach(|| ReglesEforms::charger_sdk(&sdk, version, std::fs::read))
            .py_err()?;
        Ok(ValidateurAvisPy {
            inner: ValidateurEformsPartage::new(regles).py_err()?,
        })
    }

    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    fn preparer(&self, py: Python<'_>, phase: &str) -> PyResult<()> {
        let v = &self.inner;
        py.detach(|| v.preparer(phase)).py_err()
    }

    #[pyo3(signature = (avis, maintenant, phase=None))]
    fn valider<'py>(
        &self,
        py: Python<'py>,
        avis: &str,
        maintenant: &str,
        phase: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = instant(maintenant)?;
        let v = &self.inner;
        let r = py.detach(|| v.valider_phase(avis, phase, t)).py_err()?;
        to_py_value(py, &r)
    }
}

/// Add the functions to `mpe._mpe`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(avis_generer_marche, m)?)?;
    m.add_function(wrap_pyfunction!(avis_verifier_marche, m)?)?;
    m.add_function(wrap_pyfunction!(avis_generer_attribution, m)?)?;
    m.add_function(wrap_pyfunction!(avis_verifier_attribution, m)?)?;
    m.add_function(wrap_pyfunction!(avis_generer_rectificatif, m)?)?;
    m.add_function(wrap_pyfunction!(avis_lire, m)?)?;
    m.add_class::<ValidateurAvisPy>()?;
    m.add_function(wrap_pyfunction!(dume_generer_demande, m)?)?;
    m.add_function(wrap_pyfunction!(dume_lire, m)?)?;
    m.add_function(wrap_pyfunction!(dume_comparer, m)?)?;
    Ok(())
}
