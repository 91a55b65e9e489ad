//! Python bindings of the dépôt on the envelopes' bytes and of the opening in the library
//! (`Procedure::deposer_octets`, `Procedure::ouvrir_plis`).
//!
//! An envelope arrives as `("octets", bytes)`, `("chemin", str)` or `("fichier", objet)`
//! (an object with `read(n)`), sorted by `mpe/_conversion.py` (`flux`). The work runs with
//! the GIL released; reading a Python file object or calling the host's callbacks takes it
//! back for the call.

use std::io::Read;
use std::path::PathBuf;

use mpe::crypto::cms::Cle;
use mpe::crypto::dechiffreur::CleDechiffrement;
use mpe::crypto::jeton::{self, ReferenceJeton};
use mpe::procedure::{
    Action, BilanOuverture, ContexteDonnees, EntreeJournal, EtapeOuverture, OptionsOuvertureJson,
    Procedure, Rappels, RefEnveloppe, StockageDossier, StockagePlis, nom_enveloppe,
};
use mpe::{CodeErreur, Erreur};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::conversion::{IntoPy, from_py};

fn parse<T: serde::de::DeserializeOwned>(json: &str, quoi: &str) -> Result<T, Erreur> {
    serde_json::from_str(json).map_err(|e| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{quoi} : JSON invalide : {e}"),
        )
    })
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, Erreur> {
    serde_json::to_string(v).map_err(|e| Erreur::internal(format!("sérialisation JSON : {e}")))
}

fn texte(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.extract::<String>() {
        return Ok(s);
    }
    obj.py()
        .import("json")?
        .call_method1("dumps", (obj,))?
        .extract()
}

fn charger<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// An envelope's bytes as the host hands them.
enum Flux {
    Octets(Vec<u8>),
    Chemin(PathBuf),
    Fichier(Py<PyAny>),
}

impl Flux {
    fn depuis(obj: &Bound<'_, PyAny>) -> PyResult<Flux> {
        let (genre, valeur): (String, Bound<'_, PyAny>) = obj.extract()?;
        Ok(match genre.as_str() {
            "octets" => Flux::Octets(valeur.extract()?),
            "chemin" => Flux::Chemin(valeur.extract()?),
            _ => Flux::Fichier(valeur.unbind()),
        })
    }

    fn lecteur<'a>(&'a self) -> Result<Box<dyn Read + Send + 'a>, Erreur> {
        Ok(match self {
            Flux::Octets(v) => Box::new(v.as_slice()),
            Flux::Chemin(p) => {
                let f = std::fs::File::open(p)
                    .map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", p.display())))?;
                Box::new(std::io::BufReader::with_capacity(256 * 1024, f))
            }
            Flux::Fichier(o) => Box::new(FichierPy(Python::attach(|py| o.clone_ref(py)))),
        })
    }
}

/// A Python file object read with the GIL taken back for each call.
struct FichierPy(Py<PyAny>);

impl Read for FichierPy {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Python::attach(|py| {
            let lu = self
                .0
                .bind(py)
                .call_method1("read", (buf.len(),))
                .map_err(|e| std::io::Error::other(format!("read() de l'hôte : {e}")))?;
            let b = lu
                .cast::<PyBytes>()
                .map_err(|_| std::io::Error::other("read() de l'hôte : octets attendus"))?
                .as_bytes();
            let n = b.len().min(buf.len());
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(b.get(..n).unwrap_or_default());
            Ok(n)
        })
    }
}

/// `procedure_deposer_octets(etat, action, contexte, enveloppes) -> (etat, journal)`:
/// `enveloppes[i]` is `("octets" | "chemin" | "fichier", valeur)`.
#[pyfunction]
fn procedure_deposer_octets<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    action: &Bound<'py, PyAny>,
    contexte: &Bound<'py, PyAny>,
    enveloppes: Vec<Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let (e, a, x) = (texte(etat)?, texte(action)?, texte(contexte)?);
    let flux: Vec<Flux> = enveloppes
        .iter()
        .map(Flux::depuis)
        .collect::<PyResult<_>>()?;
    let (e, j) = py
        .detach(move || -> Result<(String, String), Erreur> {
            let mut p: Procedure = parse(&e, "etat")?;
            let a: Action = parse(&a, "action")?;
            let ctx: ContexteDonnees = parse(&x, "contexte")?;
            let mut lecteurs: Vec<Box<dyn Read + Send + '_>> =
                flux.iter().map(Flux::lecteur).collect::<Result<_, _>>()?;
            let mut refs: Vec<&mut dyn Read> = lecteurs
                .iter_mut()
                .map(|l| &mut **l as &mut dyn Read)
                .collect();
            let j = p.deposer_octets(&a, &mut refs, &ctx.contexte())?;
            Ok((p.to_json(), json(&j)?))
        })
        .py_err()?;
    Ok((charger(py, &e)?, charger(py, &j)?))
}

/// The host's storage: a folder (`pli-<n>/<enveloppe>.p7m`) or a callable `(pli, nom)`
/// returning a `flux` tuple.
enum Stockage {
    Dossier(StockageDossier),
    Rappel(Py<PyAny>),
}

/// Keeps the readers of a callable's results alive.
struct Lu(Flux);

impl Read for Lu {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.0 {
            Flux::Octets(v) => {
                let n = v.len().min(buf.len());
                buf.get_mut(..n)
                    .unwrap_or_default()
                    .copy_from_slice(v.get(..n).unwrap_or_default());
                v.drain(..n);
                Ok(n)
            }
            Flux::Chemin(_) => Err(std::io::Error::other("chemin non ouvert")),
            Flux::Fichier(o) => FichierPy(Python::attach(|py| o.clone_ref(py))).read(buf),
        }
    }
}

impl StockagePlis for Stockage {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> mpe::Result<Box<dyn Read + '_>> {
        match self {
            Stockage::Dossier(d) => d.lire(pli, r),
            Stockage::Rappel(f) => {
                let flux = Python::attach(|py| -> PyResult<Flux> {
                    let v = f.bind(py).call1((pli, nom_enveloppe(r)))?;
                    Flux::depuis(&v)
                })
                .map_err(|e| {
                    Erreur::new(
                        CodeErreur::Es,
                        format!("stockage de l'hôte : enveloppe {r} du pli {pli} : {e}"),
                    )
                })?;
                Ok(match flux {
                    Flux::Chemin(p) => {
                        let f = std::fs::File::open(&p).map_err(|e| {
                            Erreur::new(CodeErreur::Es, format!("{} : {e}", p.display()))
                        })?;
                        Box::new(std::io::BufReader::with_capacity(256 * 1024, f))
                    }
                    autre => Box::new(std::io::BufReader::with_capacity(256 * 1024, Lu(autre))),
                })
            }
        }
    }
}

/// `procedure_ouvrir_plis(etat, cle, mot_de_passe, dossier, contexte, stockage, options,
/// enregistrer, progression) -> (etat, journal, bilan)`. `stockage`: `("dossier", chemin)`
/// or `("rappel", f)`; `options`: `{"plis", "mode", "fils", "verification"}`;
/// `enregistrer(etat, journal)` (an exception stops the opening) and `progression(etape)`
/// may be `None`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn procedure_ouvrir_plis<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    cle: Vec<u8>,
    mot_de_passe: Option<String>,
    dossier: PathBuf,
    contexte: &Bound<'py, PyAny>,
    stockage: (String, Bound<'py, PyAny>),
    options: &Bound<'py, PyAny>,
    enregistrer: Option<Py<PyAny>>,
    progression: Option<Py<PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    ouvrir(
        py,
        etat,
        dossier,
        contexte,
        stockage,
        options,
        enregistrer,
        progression,
        move |ouvrir_avec| {
            let cle = CleDechiffrement::charger(&cle, mot_de_passe.as_deref())?;
            ouvrir_avec(&[Cle::Privee(&cle)])
        },
    )
}

/// `procedure_ouvrir_plis_jeton(etat, reference, pin, dossier, contexte, stockage, options,
/// enregistrer, progression) -> (etat, journal, bilan)`: the key on a PKCS#11 token,
/// `reference` `{"module", "jeton", "cle" | "id"}` as for `crypto_decrypt_token`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn procedure_ouvrir_plis_jeton<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    reference: &Bound<'py, PyAny>,
    pin: Option<String>,
    dossier: PathBuf,
    contexte: &Bound<'py, PyAny>,
    stockage: (String, Bound<'py, PyAny>),
    options: &Bound<'py, PyAny>,
    enregistrer: Option<Py<PyAny>>,
    progression: Option<Py<PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let r: ReferenceJeton = from_py(reference, "reference")?;
    ouvrir(
        py,
        etat,
        dossier,
        contexte,
        stockage,
        options,
        enregistrer,
        progression,
        move |ouvrir_avec| jeton::avec_cle(&r, pin.as_deref(), |k| ouvrir_avec(&[Cle::Privee(k)])),
    )
}

/// Open with the keys `avec_cles` hands to the opening (a key pair, a token's key), the
/// GIL released.
#[allow(clippy::too_many_arguments)]
fn ouvrir<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    dossier: PathBuf,
    contexte: &Bound<'py, PyAny>,
    stockage: (String, Bound<'py, PyAny>),
    options: &Bound<'py, PyAny>,
    enregistrer: Option<Py<PyAny>>,
    progression: Option<Py<PyAny>>,
    avec_cles: impl FnOnce(
        &mut dyn FnMut(&[Cle<'_>]) -> mpe::Result<BilanOuverture>,
    ) -> mpe::Result<BilanOuverture>
    + Send,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let (e, x) = (texte(etat)?, texte(contexte)?);
    let o: OptionsOuvertureJson = from_py(options, "options")?;
    let stockage = match stockage.0.as_str() {
        "dossier" => Stockage::Dossier(StockageDossier {
            dossier: stockage.1.extract()?,
        }),
        _ => Stockage::Rappel(stockage.1.unbind()),
    };
    let r = py
        .detach(move || -> Result<[String; 3], Erreur> {
            let mut p: Procedure = parse(&e, "etat")?;
            let ctx: ContexteDonnees = parse(&x, "contexte")?;
            let (plis, options) = o.options(dossier)?;
            let mut progres = |etape: &EtapeOuverture| {
                if let Some(f) = &progression {
                    Python::attach(|py| {
                        let r = json(etape)
                            .map_err(crate::conversion::to_py)
                            .and_then(|t| charger(py, &t))
                            .and_then(|v| f.bind(py).call1((v,)));
                        // A progress display that fails does not stop an opening.
                        if let Err(e) = r {
                            e.print(py);
                        }
                    });
                }
            };
            let mut toutes: Vec<EntreeJournal> = Vec::new();
            let mut enregistrer = |etat: &Procedure, j: &[EntreeJournal]| -> mpe::Result<()> {
                if let Some(f) = &enregistrer {
                    let (etat_json, lignes) = (etat.to_json(), json(j)?);
                    Python::attach(|py| -> PyResult<()> {
                        f.bind(py)
                            .call1((charger(py, &etat_json)?, charger(py, &lignes)?))?;
                        Ok(())
                    })
                    .map_err(|e| {
                        Erreur::new(
                            CodeErreur::OuvertureInterrompue,
                            format!("ouverture interrompue par l'hôte : {e}"),
                        )
                    })?;
                }
                toutes.extend_from_slice(j);
                Ok(())
            };
            let contexte = ctx.contexte();
            let bilan = {
                let mut ouvrir_avec = |cles: &[Cle<'_>]| {
                    p.ouvrir_plis(
                        &plis,
                        &stockage,
                        cles,
                        &options,
                        &mut Rappels {
                            progres: &mut progres,
                            enregistrer: &mut enregistrer,
                        },
                        &contexte,
                    )
                };
                avec_cles(&mut ouvrir_avec)?
            };
            Ok([p.to_json(), json(&toutes)?, json(&bilan)?])
        })
        .py_err()?;
    Ok((
        charger(py, &r[0])?,
        charger(py, &r[1])?,
        charger(py, &r[2])?,
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(procedure_deposer_octets, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_ouvrir_plis, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_ouvrir_plis_jeton, m)?)?;
    Ok(())
}
