//! Python bindings of `mpe::messagerie`: the same JSON as the C ABI, as dicts; messages as
//! `bytes`.

use mpe::messagerie::{
    self, ContactEntreprise, DemandeEnvoi, EvenementCourrier, MessagePrepare, Origine,
    RegistreCourriers, TypeCourrier,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::conversion::{IntoPy, from_py, to_py_value};

/// courrier_modele(type_courrier, consultation, lot=None) -> {"objet", "corps"}
#[pyfunction]
#[pyo3(signature = (type_courrier, consultation, lot=None))]
fn courrier_modele<'py>(
    py: Python<'py>,
    type_courrier: &Bound<'py, PyAny>,
    consultation: &Bound<'py, PyAny>,
    lot: Option<u32>,
) -> PyResult<Bound<'py, PyAny>> {
    let t: TypeCourrier = from_py(
        &py.import("json")?.call_method1("dumps", (type_courrier,))?,
        "type_courrier",
    )?;
    let c: mpe::model::Consultation = from_py(consultation, "consultation")?;
    to_py_value(py, &messagerie::modele(t, &c, lot))
}

/// courrier_nouveau(type_courrier, consultation, lot=None, entreprise=None) -> dict
#[pyfunction]
#[pyo3(signature = (type_courrier, consultation, lot=None, entreprise=None))]
fn courrier_nouveau<'py>(
    py: Python<'py>,
    type_courrier: &Bound<'py, PyAny>,
    consultation: &Bound<'py, PyAny>,
    lot: Option<u32>,
    entreprise: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let t: TypeCourrier = from_py(
        &py.import("json")?.call_method1("dumps", (type_courrier,))?,
        "type_courrier",
    )?;
    let c: mpe::model::Consultation = from_py(consultation, "consultation")?;
    let mut courrier = messagerie::Courrier::nouveau(t, &c, lot);
    if let Some(e) = entreprise.filter(|e| !e.is_none()) {
        let e: ContactEntreprise = from_py(e, "entreprise")?;
        courrier.destinataires = vec![messagerie::Destinataire::depuis_contact(&e).py_err()?];
    }
    to_py_value(py, &courrier)
}

/// courrier_analyser_destinataires(texte) -> list[{"email", "ascii"}]
#[pyfunction]
fn courrier_analyser_destinataires<'py>(
    py: Python<'py>,
    texte: &str,
) -> PyResult<Bound<'py, PyAny>> {
    to_py_value(py, &messagerie::analyser_destinataires(texte).py_err()?)
}

/// courrier_destinataires_registres(contacts, origines) -> list[dict]
#[pyfunction]
#[pyo3(signature = (contacts, origines=None))]
fn courrier_destinataires_registres<'py>(
    py: Python<'py>,
    contacts: &Bound<'py, PyAny>,
    origines: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let c: Vec<ContactEntreprise> = from_py(contacts, "contacts")?;
    let o: Vec<Origine> = origines
        .map(|o| from_py(o, "origines"))
        .transpose()?
        .unwrap_or_default();
    to_py_value(
        py,
        &messagerie::destinataires_depuis_registres(&c, &o).py_err()?,
    )
}

/// A prepared message as a dict, `mime` as bytes.
fn message_dict<'py>(py: Python<'py>, m: &MessagePrepare) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("destinataire", &m.destinataire)?;
    dict.set_item("raison_sociale", m.raison_sociale.as_deref())?;
    dict.set_item("message_id", &m.message_id)?;
    dict.set_item("jeton", m.jeton.as_deref())?;
    dict.set_item("url_accuse_reception", m.url_accuse_reception.as_deref())?;
    dict.set_item("mime", PyBytes::new(py, &m.mime))?;
    Ok(dict)
}

/// courrier_preparer(demande) -> {"messages": [{..., "mime": bytes}], "evenements": [...]}
#[pyfunction]
fn courrier_preparer<'py>(
    py: Python<'py>,
    demande: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let d: DemandeEnvoi = from_py(demande, "demande")?;
    let envoi = py
        .detach(|| messagerie::preparer_envoi_securise(&d))
        .py_err()?;
    let messages = PyList::empty(py);
    for m in &envoi.messages {
        messages.append(message_dict(py, m)?)?;
    }
    let out = PyDict::new(py);
    out.set_item("messages", messages)?;
    out.set_item("evenements", to_py_value(py, &envoi.evenements)?)?;
    Ok(out.into_any())
}

/// courrier_preparer_message(demande, index) -> ({message without mime}, mime bytes,
/// evenement, nombre_messages)
#[pyfunction]
fn courrier_preparer_message<'py>(
    py: Python<'py>,
    demande: &Bound<'py, PyAny>,
    index: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let d: DemandeEnvoi = from_py(demande, "demande")?;
    let (m, ev, n) = py
        .detach(|| {
            let p = messagerie::Preparation::new(&d)?;
            let (m, ev) = p.message(index, &mut messagerie::generateur_securise())?;
            Ok::<_, mpe::Erreur>((m, ev, p.nombre_messages()))
        })
        .py_err()?;
    let out = message_dict(py, &m)?;
    out.set_item("evenement", to_py_value(py, &ev)?)?;
    out.set_item("nombre_messages", n)?;
    Ok(out.into_any())
}

fn registre(r: Option<&Bound<'_, PyAny>>) -> PyResult<RegistreCourriers> {
    match r {
        Some(r) if !r.is_none() => from_py(r, "registre"),
        _ => Ok(RegistreCourriers::new()),
    }
}

/// courrier_registre(registre, evenements) -> dict
#[pyfunction]
#[pyo3(signature = (registre, evenements))]
fn courrier_registre<'py>(
    py: Python<'py>,
    registre: Option<&Bound<'py, PyAny>>,
    evenements: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut r = self::registre(registre)?;
    let ev: Vec<EvenementCourrier> = from_py(evenements, "evenements")?;
    for (i, e) in ev.iter().enumerate() {
        r.appliquer(e)
            .map_err(|e| e.at(format!("evenements[{i}]")))
            .py_err()?;
    }
    to_py_value(py, &r)
}

/// courrier_accuser_reception(registre, jeton, date) -> (registre, evenement)
#[pyfunction]
fn courrier_accuser_reception<'py>(
    py: Python<'py>,
    registre: &Bound<'py, PyAny>,
    jeton: &str,
    date: &str,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let mut r = self::registre(Some(registre))?;
    let date = messagerie::analyser_date(date).py_err()?;
    let ev = r.accuser_reception(jeton, date).py_err()?;
    Ok((to_py_value(py, &r)?, to_py_value(py, &ev)?))
}

/// courrier_enregistrer_reponse(registre, message_id, date, message_id_reponse=None)
/// -> (registre, evenement)
#[pyfunction]
#[pyo3(signature = (registre, message_id, date, message_id_reponse=None))]
fn courrier_enregistrer_reponse<'py>(
    py: Python<'py>,
    registre: &Bound<'py, PyAny>,
    message_id: &str,
    date: &str,
    message_id_reponse: Option<String>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let mut r = self::registre(Some(registre))?;
    let date = messagerie::analyser_date(date).py_err()?;
    let ev = r
        .enregistrer_reponse(message_id, date, message_id_reponse)
        .py_err()?;
    Ok((to_py_value(py, &r)?, to_py_value(py, &ev)?))
}

/// courrier_nom_piece(nom) -> str
#[pyfunction]
fn courrier_nom_piece(nom: &str) -> String {
    messagerie::nom_sur(nom)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(courrier_modele, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_nouveau, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_analyser_destinataires, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_destinataires_registres, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_preparer, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_preparer_message, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_registre, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_accuser_reception, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_enregistrer_reponse, m)?)?;
    m.add_function(wrap_pyfunction!(courrier_nom_piece, m)?)?;
    Ok(())
}
