//! C ABI of `mpe::procedure`: the lifecycle of a consultation as JSON in, JSON out.
//!
//! The state (`etat`), actions, contexts and parameters are the JSON of the Rust types
//! (`Procedure`, `Action`, `ContexteDonnees`, `ParametresSuite`), the same as Python's.
//! A context is `{"maintenant": "2026-12-15T10:59:59Z", "acteur": {"type": "agent", "id":
//! "a.martin"}, "organisation": {...}}`. Journal entries come out as JSON Lines (one entry
//! per line, each ending with `\n`), ready to append to the host's journal file.
//!
//! Every input buffer is `(const uint8_t *ptr, size_t len)`, borrowed for the call only.
//! Every `mpe_bytes *` output is written only on success and must be released with
//! `mpe_bytes_free`.

use mpe::procedure::{
    Action, ContexteDonnees, Diffusion, EntreeJournal, FiltreDestinataires, ParametresSuite,
    Procedure, TeteJournal,
};
use mpe::{Error, ErrorCode};

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_status, str_in, write_out,
};

fn etat_in(ptr: *const u8, len: usize) -> Result<Procedure, Error> {
    json_in(bytes_in(ptr, len, "etat")?, "etat")
}

fn contexte_in(ptr: *const u8, len: usize) -> Result<ContexteDonnees, Error> {
    json_in(bytes_in(ptr, len, "contexte")?, "contexte")
}

fn jsonl(entrees: &[EntreeJournal]) -> Result<mpe_bytes, Error> {
    Ok(mpe_bytes::from_string(mpe::procedure::exporter_jsonl(
        entrees,
    )?))
}

fn texte(s: String) -> mpe_bytes {
    mpe_bytes::from_string(s)
}

/// Create a consultation in phase Élaboration.
///
/// `consultation`: the consultation JSON; `contexte`: the context JSON (the actor must be an
/// agent allowed to create consultations in its service). On success writes the state JSON
/// to `etat_out` and the first journal entry (JSON Lines) to `journal_out`; release both
/// with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_nouvelle(
    consultation: *const u8,
    consultation_len: usize,
    contexte: *const u8,
    contexte_len: usize,
    etat_out: *mut mpe_bytes,
    journal_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(etat_out, "etat_out")?;
        check_out(journal_out, "journal_out")?;
        let c = json_in(
            bytes_in(consultation, consultation_len, "consultation")?,
            "consultation",
        )?;
        let ctx = contexte_in(contexte, contexte_len)?;
        let (p, j) = Procedure::nouvelle(c, &ctx.contexte())?;
        let (e, j) = (texte(p.to_json()), jsonl(&j)?);
        write_out(etat_out, e);
        write_out(journal_out, j);
        Ok(())
    })
}

/// Apply an action to a state.
///
/// `etat`: the state JSON; `action`: the action JSON (`{"type": "deposer", ...}`);
/// `contexte`: the context JSON. On success writes the new state JSON to `etat_out` and the
/// journal entries produced (JSON Lines, possibly empty) to `journal_out`; release both with
/// `mpe_bytes_free`. On failure (e.g. `MPE_HORS_DELAI`) nothing is written and the stored
/// state stays valid as it was.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_appliquer(
    etat: *const u8,
    etat_len: usize,
    action: *const u8,
    action_len: usize,
    contexte: *const u8,
    contexte_len: usize,
    etat_out: *mut mpe_bytes,
    journal_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(etat_out, "etat_out")?;
        check_out(journal_out, "journal_out")?;
        let mut p = etat_in(etat, etat_len)?;
        let a: Action = json_in(bytes_in(action, action_len, "action")?, "action")?;
        let ctx = contexte_in(contexte, contexte_len)?;
        let j = p.appliquer(&a, &ctx.contexte())?;
        let (e, j) = (texte(p.to_json()), jsonl(&j)?);
        write_out(etat_out, e);
        write_out(journal_out, j);
        Ok(())
    })
}

/// Create a suite (follow-up consultation) from a state in phase Décision or Archivée.
///
/// `parametres`: `{"id": "...", "reference": "AOR_O_0611", "dlro": "2027-03-01T12:00:00"}`.
/// On success writes the updated state of this consultation to `etat_out`, the new
/// consultation's state to `suite_out`, and the journal entries of each (JSON Lines) to
/// `journal_out` and `journal_suite_out`; release all four with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_creer_suite(
    etat: *const u8,
    etat_len: usize,
    parametres: *const u8,
    parametres_len: usize,
    contexte: *const u8,
    contexte_len: usize,
    etat_out: *mut mpe_bytes,
    suite_out: *mut mpe_bytes,
    journal_out: *mut mpe_bytes,
    journal_suite_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(etat_out, "etat_out")?;
        check_out(suite_out, "suite_out")?;
        check_out(journal_out, "journal_out")?;
        check_out(journal_suite_out, "journal_suite_out")?;
        let mut p = etat_in(etat, etat_len)?;
        let params: ParametresSuite = json_in(
            bytes_in(parametres, parametres_len, "parametres")?,
            "parametres",
        )?;
        let ctx = contexte_in(contexte, contexte_len)?;
        let (suite, ja, js) = p.creer_suite(&params, &ctx.contexte())?;
        let outs = (
            texte(p.to_json()),
            texte(suite.to_json()),
            jsonl(&ja)?,
            jsonl(&js)?,
        );
        write_out(etat_out, outs.0);
        write_out(suite_out, outs.1);
        write_out(journal_out, outs.2);
        write_out(journal_suite_out, outs.3);
        Ok(())
    })
}

/// The phase of a state at a time: `maintenant` is an RFC 3339 instant
/// (`"2026-12-15T11:00:00Z"`). Writes the phase name (e.g. `ouverture_analyse`, plain text)
/// to `out`; release it with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_phase(
    etat: *const u8,
    etat_len: usize,
    maintenant: *const std::ffi::c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let p = etat_in(etat, etat_len)?;
        let t = crate::consultation::instant_in(maintenant, "maintenant")?;
        let nom = serde_json::to_value(p.phase_a(t))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .ok_or_else(|| Error::internal("phase"))?;
        write_out(out, texte(nom));
        Ok(())
    })
}

/// The registers of a state (retraits, questions, dépôts with their counts and the label
/// `"3 électroniques + 1 papier"`) as JSON in `out`; release it with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_registres(
    etat: *const u8,
    etat_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let r = etat_in(etat, etat_len)?.registres();
        write_out(out, json_out(&r)?);
        Ok(())
    })
}

/// Who to notify: `diffusion` is `retraits`, `questions`, `soumissionnaires` or `tous`.
/// Writes a JSON array of `{identifiant, raison_sociale, email}` to `out`; release it with
/// `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_destinataires(
    etat: *const u8,
    etat_len: usize,
    diffusion: *const std::ffi::c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let d: Diffusion = serde_json::from_value(serde_json::Value::String(
            str_in(diffusion, "diffusion")?.to_string(),
        ))
        .map_err(|_| {
            Error::invalid_argument("diffusion : retraits, questions, soumissionnaires ou tous")
        })?;
        let v = etat_in(etat, etat_len)?.destinataires(d);
        write_out(out, json_out(&v)?);
        Ok(())
    })
}

/// The recipients of a letter, pre-filled from the registers. `filtre`: JSON
/// `{"origines": ["retrait", "question", "depot"], "lot": 2, "non_retenus": true, "pli": 4}`
/// (every field optional; `{}` is every company of the registers; `pli` alone gives the
/// company of that pli, for its rejection letter). Writes a JSON array of the
/// `messagerie` recipients `{email, raison_sociale, origines}` (validated, de-duplicated)
/// to `out`, ready for a letter's `destinataires`; release it with `mpe_bytes_free`.
/// `MPE_ADRESSE_INVALIDE` names the register line whose address is wrong.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_destinataires_courrier(
    etat: *const u8,
    etat_len: usize,
    filtre: *const u8,
    filtre_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let f: FiltreDestinataires = json_in(bytes_in(filtre, filtre_len, "filtre")?, "filtre")?;
        let v = etat_in(etat, etat_len)?.destinataires_courrier(&f)?;
        write_out(out, json_out(&v)?);
        Ok(())
    })
}

/// The receipt (accusé de réception) of electronic pli n°`pli`, found in a journal given as
/// JSON Lines, as JSON in `out`; release it with `mpe_bytes_free`. `MPE_PLI_INCONNU` when
/// the journal has no such pli.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_journal_accuse(
    journal: *const u8,
    journal_len: usize,
    pli: u32,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let texte = std::str::from_utf8(bytes_in(journal, journal_len, "journal")?)
            .map_err(|_| Error::invalid_argument("journal : texte non UTF-8"))?;
        let entrees = mpe::procedure::lire_jsonl(texte)?;
        let a = mpe::procedure::accuse(&entrees, pli).ok_or_else(|| {
            Error::new(
                ErrorCode::PliInconnu,
                format!("pli électronique {pli} absent du journal"),
            )
        })?;
        write_out(out, json_out(a)?);
        Ok(())
    })
}

/// The chain of suites the consultation `id` belongs to. `etats`: a JSON array of the
/// states the host has. Writes a JSON array of `{id, reference}` from the first procédure
/// amont down through every suite to `out`; release it with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_chaine(
    etats: *const u8,
    etats_len: usize,
    id: *const std::ffi::c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let toutes: Vec<Procedure> = json_in(bytes_in(etats, etats_len, "etats")?, "etats")?;
        let id = str_in(id, "id")?;
        let depart = toutes
            .iter()
            .find(|p| p.consultation.id == id)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::ReferenceInconnue,
                    format!("consultation {id} absente"),
                )
            })?;
        write_out(out, json_out(&mpe::procedure::chaine(depart, &toutes))?);
        Ok(())
    })
}

/// Verify a journal given as JSON Lines. `etat` (optional: NULL with length 0) is the state
/// whose journal head must match the last entry — which also detects entries removed at
/// the end. Returns `MPE_OK`, or `MPE_JOURNAL_CORROMPU` with the index of the first bad
/// entry in `mpe_last_error()`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_journal_verifier(
    journal: *const u8,
    journal_len: usize,
    etat: *const u8,
    etat_len: usize,
) -> mpe_status {
    call(|| {
        let texte = std::str::from_utf8(bytes_in(journal, journal_len, "journal")?)
            .map_err(|_| Error::invalid_argument("journal : texte non UTF-8"))?;
        let tete: Option<TeteJournal> = if etat.is_null() && etat_len == 0 {
            None
        } else {
            Some(etat_in(etat, etat_len)?.journal)
        };
        mpe::procedure::verifier_jsonl(texte, tete.as_ref())
    })
}

/// Export journal entries given as a JSON array to JSON Lines in `out`; release it with
/// `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_journal_exporter(
    entrees: *const u8,
    entrees_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let v: Vec<EntreeJournal> = json_in(bytes_in(entrees, entrees_len, "entrees")?, "entrees")?;
        write_out(out, jsonl(&v)?);
        Ok(())
    })
}
