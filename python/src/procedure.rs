//! Python bindings of `mpe::procedure`: the same JSON as the C ABI, as dicts.
//!
//! Values are turned into JSON text while holding the GIL, then parsed, applied and
//! serialized with the GIL released, then loaded back as dicts.

use mpe::procedure::{
    Action, ContexteDonnees, Diffusion, EntreeJournal, FiltreDestinataires, ParametresSuite,
    Procedure,
};
use mpe::{CodeErreur, Erreur};
use pyo3::prelude::*;

use crate::conversion::IntoPy;

/// JSON text of a Python value (a `str` is taken as JSON already).
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

fn parse<T: serde::de::DeserializeOwned>(json: &str, quoi: &str) -> Result<T, Erreur> {
    serde_json::from_str(json).map_err(|e| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{quoi} : JSON invalide : {e}"),
        )
    })
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, Erreur> {
    serde_json::to_string(v).map_err(|e| Erreur::internal(format!("sérialisation JSON : {e}")))
}

/// `nouvelle(consultation, contexte) -> (etat, journal)`.
#[pyfunction]
fn procedure_nouvelle<'py>(
    py: Python<'py>,
    consultation: &Bound<'py, PyAny>,
    contexte: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let (c, x) = (texte(consultation)?, texte(contexte)?);
    let (e, j) = py
        .detach(move || -> Result<(String, String), Erreur> {
            let ctx: ContexteDonnees = parse(&x, "contexte")?;
            let (p, j) = Procedure::nouvelle(parse(&c, "consultation")?, &ctx.contexte())?;
            Ok((p.to_json(), json(&j)?))
        })
        .py_err()?;
    Ok((charger(py, &e)?, charger(py, &j)?))
}

/// `appliquer(etat, action, contexte) -> (etat, journal)`.
#[pyfunction]
fn procedure_appliquer<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    action: &Bound<'py, PyAny>,
    contexte: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let (e, a, x) = (texte(etat)?, texte(action)?, texte(contexte)?);
    let (e, j) = py
        .detach(move || -> Result<(String, String), Erreur> {
            let mut p: Procedure = parse(&e, "etat")?;
            let a: Action = parse(&a, "action")?;
            let ctx: ContexteDonnees = parse(&x, "contexte")?;
            let j = p.appliquer(&a, &ctx.contexte())?;
            Ok((p.to_json(), json(&j)?))
        })
        .py_err()?;
    Ok((charger(py, &e)?, charger(py, &j)?))
}

type Quatre<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
);

/// `creer_suite(etat, parametres, contexte) -> (etat, suite, journal, journal_suite)`.
#[pyfunction]
fn procedure_creer_suite<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    parametres: &Bound<'py, PyAny>,
    contexte: &Bound<'py, PyAny>,
) -> PyResult<Quatre<'py>> {
    let (e, pa, x) = (texte(etat)?, texte(parametres)?, texte(contexte)?);
    let r = py
        .detach(move || -> Result<[String; 4], Erreur> {
            let mut p: Procedure = parse(&e, "etat")?;
            let params: ParametresSuite = parse(&pa, "parametres")?;
            let ctx: ContexteDonnees = parse(&x, "contexte")?;
            let (s, ja, js) = p.creer_suite(&params, &ctx.contexte())?;
            Ok([p.to_json(), s.to_json(), json(&ja)?, json(&js)?])
        })
        .py_err()?;
    Ok((
        charger(py, &r[0])?,
        charger(py, &r[1])?,
        charger(py, &r[2])?,
        charger(py, &r[3])?,
    ))
}

/// `phase(etat, maintenant) -> str` (`maintenant`: RFC 3339 text).
#[pyfunction]
fn procedure_phase(etat: &Bound<'_, PyAny>, maintenant: &str) -> PyResult<String> {
    let p: Procedure = parse(&texte(etat)?, "etat").py_err()?;
    let t = mpe::rules::temps::instant_rfc3339(maintenant).py_err()?;
    let v = serde_json::to_value(p.phase_a(t))
        .map_err(|e| Erreur::internal(e.to_string()))
        .py_err()?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// `registres(etat) -> dict`.
#[pyfunction]
fn procedure_registres<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let p: Procedure = parse(&texte(etat)?, "etat").py_err()?;
    charger(py, &json(&p.registres()).py_err()?)
}

/// `destinataires(etat, diffusion) -> list`.
#[pyfunction]
fn procedure_destinataires<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    diffusion: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let p: Procedure = parse(&texte(etat)?, "etat").py_err()?;
    let d: Diffusion = serde_json::from_value(serde_json::Value::String(diffusion.to_string()))
        .map_err(|_| {
            Erreur::invalid_argument("diffusion : retraits, questions, soumissionnaires ou tous")
        })
        .py_err()?;
    charger(py, &json(&p.destinataires(d)).py_err()?)
}

/// `destinataires_courrier(etat, filtre) -> list`: the recipients of a letter from the
/// registers (`filtre`: `{"origines": [...], "lot": n, "non_retenus": bool, "pli": n}`).
#[pyfunction]
#[pyo3(signature = (etat, filtre=None))]
fn procedure_destinataires_courrier<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    filtre: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let p: Procedure = parse(&texte(etat)?, "etat").py_err()?;
    let f: FiltreDestinataires = match filtre {
        Some(f) => parse(&texte(f)?, "filtre").py_err()?,
        None => FiltreDestinataires::default(),
    };
    charger(py, &json(&p.destinataires_courrier(&f).py_err()?).py_err()?)
}

/// `accuse(journal, pli) -> dict`: the receipt of a pli from the journal (JSON Lines or list).
#[pyfunction]
fn journal_accuse<'py>(
    py: Python<'py>,
    journal: &Bound<'py, PyAny>,
    pli: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let entrees: Vec<EntreeJournal> = match journal.extract::<String>() {
        Ok(t) => mpe::procedure::lire_jsonl(&t).py_err()?,
        Err(_) => parse(&texte(journal)?, "journal").py_err()?,
    };
    let a = mpe::procedure::accuse(&entrees, pli)
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::PliInconnu,
                format!("pli électronique {pli} absent du journal"),
            )
        })
        .py_err()?;
    charger(py, &json(a).py_err()?)
}

/// `chaine(id, etats) -> list` of `{id, reference}`.
#[pyfunction]
fn procedure_chaine<'py>(
    py: Python<'py>,
    id: &str,
    etats: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let toutes: Vec<Procedure> = parse(&texte(etats)?, "etats").py_err()?;
    let depart = toutes
        .iter()
        .find(|p| p.consultation.id == id)
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::ReferenceInconnue,
                format!("consultation {id} absente"),
            )
        })
        .py_err()?;
    charger(
        py,
        &json(&mpe::procedure::chaine(depart, &toutes)).py_err()?,
    )
}

/// `journal_verifier(journal, etat=None)`: `journal` is JSON Lines text or a list of entries.
#[pyfunction]
#[pyo3(signature = (journal, etat=None))]
fn journal_verifier(
    py: Python<'_>,
    journal: &Bound<'_, PyAny>,
    etat: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let jsonl = journal.extract::<String>().ok();
    let liste = match jsonl {
        Some(_) => None,
        None => Some(texte(journal)?),
    };
    let etat = etat.map(texte).transpose()?;
    py.detach(move || -> Result<(), Erreur> {
        let tete = etat
            .map(|e| parse::<Procedure>(&e, "etat").map(|p| p.journal))
            .transpose()?;
        match (jsonl, liste) {
            (Some(t), _) => mpe::procedure::verifier_jsonl(&t, tete.as_ref()),
            (None, Some(l)) => {
                let v: Vec<EntreeJournal> = parse(&l, "journal")?;
                mpe::procedure::verifier_journal(&v, tete.as_ref())
            }
            (None, None) => Ok(()),
        }
    })
    .py_err()
}

/// `journal_exporter(entrees) -> str` (JSON Lines).
#[pyfunction]
fn journal_exporter(entrees: &Bound<'_, PyAny>) -> PyResult<String> {
    let v: Vec<EntreeJournal> = parse(&texte(entrees)?, "entrees").py_err()?;
    mpe::procedure::exporter_jsonl(&v).py_err()
}

/// `procedure_donnees_documents(etat, organisation, parametres) -> dict`: the data of the DAJ
/// forms filled from the state (`DonneesProcedure`).
#[pyfunction]
fn procedure_donnees_documents<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    organisation: &Bound<'py, PyAny>,
    parametres: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (e, o, x) = (texte(etat)?, texte(organisation)?, texte(parametres)?);
    let r = py
        .detach(|| -> Result<String, Erreur> {
            let p: Procedure = parse(&e, "etat")?;
            let org: mpe::model::Organisation = parse(&o, "organisation")?;
            let parametres: mpe::documents::ParametresDocuments = parse(&x, "parametres")?;
            json(&mpe::documents::donnees_documents(&p, &org, &parametres)?)
        })
        .py_err()?;
    charger(py, &r)
}

/// `procedure_courrier_modification(etat, version, pieces) -> dict`: the letter of a DCE
/// version, `pieces` `[(nom, bytes)]` the pièces added or replacing.
#[pyfunction]
fn procedure_courrier_modification<'py>(
    py: Python<'py>,
    etat: &Bound<'py, PyAny>,
    version: u32,
    pieces: Vec<(String, Vec<u8>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let e = texte(etat)?;
    let r = py
        .detach(|| -> Result<String, Erreur> {
            let p: Procedure = parse(&e, "etat")?;
            json(&p.courrier_modification(version, &pieces)?)
        })
        .py_err()?;
    charger(py, &r)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(procedure_donnees_documents, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_courrier_modification, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_nouvelle, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_appliquer, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_creer_suite, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_phase, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_registres, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_destinataires, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_destinataires_courrier, m)?)?;
    m.add_function(wrap_pyfunction!(journal_accuse, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_chaine, m)?)?;
    m.add_function(wrap_pyfunction!(journal_verifier, m)?)?;
    m.add_function(wrap_pyfunction!(journal_exporter, m)?)?;
    Ok(())
}
