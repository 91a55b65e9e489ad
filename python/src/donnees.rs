//! Python bindings of `mpe::donnees`. Values cross as JSON text (the same JSON as the C
//! ABI); `mpe/donnees.py` turns it into plain dicts. Heavy work runs with the GIL released.

use std::path::PathBuf;

use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use mpe::donnees::{
    Attribution, Contrat, Entrepot, FiltreContrats, LecteurDecp, OptionsImport, OptionsOcds,
    Recherche,
};
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

fn texte<T: serde::Serialize>(v: &T) -> Result<String, Erreur> {
    serde_json::to_string(v).map_err(|e| Erreur::internal(format!("sérialisation JSON : {e}")))
}

fn date(s: &str) -> Result<chrono::NaiveDate, Erreur> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Erreur::invalid_argument(format!(
            "maintenant : date AAAA-MM-JJ attendue, reçu « {s} »"
        ))
    })
}

fn io(p: &std::path::Path, e: std::io::Error) -> Erreur {
    Erreur::new(CodeErreur::Es, format!("{} : {e}", p.display()))
}

#[pyfunction]
fn decp_verifier(py: Python<'_>, contrats: &str, maintenant: &str) -> PyResult<String> {
    py.detach(|| {
        let c: Vec<Contrat> = json(contrats, "contrats")?;
        texte(&mpe::donnees::verifier_decp(&c, date(maintenant)?))
    })
    .py_err()
}

#[pyfunction]
fn decp_exporter_json<'py>(
    py: Python<'py>,
    contrats: &str,
    maintenant: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let v = py
        .detach(|| {
            let c: Vec<Contrat> = json(contrats, "contrats")?;
            mpe::donnees::exporter_decp_json(&c, date(maintenant)?)
        })
        .py_err()?;
    Ok(PyBytes::new(py, &v))
}

#[pyfunction]
fn decp_exporter_xml<'py>(
    py: Python<'py>,
    contrats: &str,
    maintenant: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let v = py
        .detach(|| {
            let c: Vec<Contrat> = json(contrats, "contrats")?;
            mpe::donnees::exporter_decp_xml(&c, date(maintenant)?)
        })
        .py_err()?;
    Ok(PyBytes::new(py, &v))
}

#[pyfunction]
fn decp_exporter_ocds<'py>(
    py: Python<'py>,
    contrats: &str,
    options: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let v = py
        .detach(|| {
            let c: Vec<Contrat> = json(contrats, "contrats")?;
            let o: OptionsOcds = json(options, "options")?;
            mpe::donnees::exporter_ocds(&c, &o)
        })
        .py_err()?;
    Ok(PyBytes::new(py, &v))
}

#[pyfunction]
fn contrats_exporter_xlsx<'py>(py: Python<'py>, contrats: &str) -> PyResult<Bound<'py, PyBytes>> {
    let v = py
        .detach(|| {
            let c: Vec<Contrat> = json(contrats, "contrats")?;
            mpe::donnees::exporter_xlsx(&c)
        })
        .py_err()?;
    Ok(PyBytes::new(py, &v))
}

#[pyfunction]
fn contrats_filtrer(contrats: &str, filtre: &str) -> PyResult<String> {
    (|| {
        let c: Vec<Contrat> = json(contrats, "contrats")?;
        let f: FiltreContrats = json(filtre, "filtre")?;
        texte(&mpe::donnees::filtrer_contrats(&c, &f))
    })()
    .py_err()
}

#[pyfunction]
fn contrat_depuis_attribution(attribution: &str) -> PyResult<String> {
    (|| {
        let a: Attribution = json(attribution, "attribution")?;
        texte(&Contrat::depuis_attribution(a)?)
    })()
    .py_err()
}

#[pyfunction]
fn contrat_etat_actuel(contrat: &str) -> PyResult<String> {
    (|| texte(&json::<Contrat>(contrat, "contrat")?.etat_actuel()))().py_err()
}

/// Streamed reader of a DECP file: each `next` gives one item (contract or rejection) as
/// JSON text.
#[pyclass(unsendable, module = "mpe._mpe")]
struct LecteurDecpPy {
    inner: LecteurDecp,
}

#[pymethods]
impl LecteurDecpPy {
    #[new]
    fn new(py: Python<'_>, chemin: PathBuf, options: &str) -> PyResult<Self> {
        let o: OptionsImport = json(options, "options").py_err()?;
        let inner = py.detach(|| LecteurDecp::ouvrir(&chemin, o)).py_err()?;
        Ok(LecteurDecpPy { inner })
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> PyResult<String> {
        match self.inner.next() {
            None => Err(PyStopIteration::new_err(())),
            Some(r) => r.and_then(|el| texte(&el)).py_err(),
        }
    }
}

/// The searchable store.
#[pyclass(module = "mpe._mpe")]
struct EntrepotPy {
    inner: Entrepot,
}

#[pymethods]
impl EntrepotPy {
    #[new]
    fn new() -> Self {
        EntrepotPy {
            inner: Entrepot::new(),
        }
    }

    #[staticmethod]
    fn charger(py: Python<'_>, chemin: PathBuf) -> PyResult<Self> {
        py.detach(|| {
            let f = std::fs::File::open(&chemin).map_err(|e| io(&chemin, e))?;
            Entrepot::charger(std::io::BufReader::new(f)).map(|inner| EntrepotPy { inner })
        })
        .py_err()
    }

    fn importer(&mut self, py: Python<'_>, chemin: PathBuf, options: &str) -> PyResult<String> {
        let o: OptionsImport = json(options, "options").py_err()?;
        let e = &mut self.inner;
        py.detach(|| texte(&e.importer(LecteurDecp::ouvrir(&chemin, o)?)?))
            .py_err()
    }

    fn ajouter(&mut self, contrat: &str) -> PyResult<Option<usize>> {
        let c: Contrat = json(contrat, "contrat").py_err()?;
        Ok(self.inner.ajouter(&c))
    }

    fn rechercher(&self, py: Python<'_>, recherche: &str) -> PyResult<String> {
        let r: Recherche = json(recherche, "recherche").py_err()?;
        let e = &self.inner;
        py.detach(|| texte(&e.rechercher(&r))).py_err()
    }

    fn enregistrer(&self, py: Python<'_>, chemin: PathBuf) -> PyResult<()> {
        let e = &self.inner;
        // A temporary file beside the target, renamed once complete and removed on any
        // error: a failed save leaves nothing behind.
        py.detach(|| {
            let dossier = match chemin.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let tmp = tempfile::NamedTempFile::new_in(&dossier).map_err(|x| io(&chemin, x))?;
            let mut w = std::io::BufWriter::new(tmp);
            e.enregistrer(&mut w)?;
            std::io::Write::flush(&mut w).map_err(|x| io(&chemin, x))?;
            let tmp = w.into_inner().map_err(|x| io(&chemin, x.into_error()))?;
            tmp.persist(&chemin).map_err(|x| io(&chemin, x.error))?;
            Ok(())
        })
        .py_err()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Every card matching `recherche` (paging ignored), in sort order, one at a time.
    fn parcourir(slf: Bound<'_, Self>, recherche: &str) -> PyResult<FichesPy> {
        let r: Recherche = json(recherche, "recherche").py_err()?;
        let indices = {
            let e = slf.borrow();
            let inner = &e.inner;
            slf.py().detach(|| inner.indices(&r))
        };
        Ok(FichesPy {
            entrepot: slf.unbind(),
            indices: indices.into_iter(),
        })
    }
}

/// The cards of a search, read from the store one `next` at a time (JSON text each).
#[pyclass(module = "mpe._mpe")]
struct FichesPy {
    entrepot: Py<EntrepotPy>,
    indices: std::vec::IntoIter<usize>,
}

#[pymethods]
impl FichesPy {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<String> {
        let e = self.entrepot.borrow(py);
        loop {
            let Some(i) = self.indices.next() else {
                return Err(PyStopIteration::new_err(()));
            };
            if let Some(f) = e.inner.fiche(i) {
                return texte(&f).py_err();
            }
        }
    }

    fn __len__(&self) -> usize {
        self.indices.len()
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decp_verifier, m)?)?;
    m.add_function(wrap_pyfunction!(decp_exporter_json, m)?)?;
    m.add_function(wrap_pyfunction!(decp_exporter_xml, m)?)?;
    m.add_function(wrap_pyfunction!(decp_exporter_ocds, m)?)?;
    m.add_function(wrap_pyfunction!(contrats_exporter_xlsx, m)?)?;
    m.add_function(wrap_pyfunction!(contrats_filtrer, m)?)?;
    m.add_function(wrap_pyfunction!(contrat_depuis_attribution, m)?)?;
    m.add_function(wrap_pyfunction!(contrat_etat_actuel, m)?)?;
    m.add_class::<LecteurDecpPy>()?;
    m.add_class::<EntrepotPy>()?;
    m.add_class::<FichesPy>()?;
    Ok(())
}
