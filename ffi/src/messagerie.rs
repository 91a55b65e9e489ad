//! C ABI of `mpe::messagerie`: letters to companies, rendered as MIME messages, and their
//! register. Values cross as the JSON of the core types (the same as Python's); messages as
//! raw RFC 5322 bytes.
//!
//! Ownership: every input is borrowed for the duration of the call; every `mpe_bytes`
//! output is allocated by mpe, written only on success, and released by the caller with
//! `mpe_bytes_free`.

use mpe::Error;
use mpe::messagerie::{
    self, ContactEntreprise, DemandeEnvoi, Envoi, EvenementCourrier, Origine, RegistreCourriers,
    TypeCourrier,
};
use serde::Deserialize;

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_status, opt_str_in, str_in,
    write_out,
};

fn type_courrier(t: &str) -> Result<TypeCourrier, Error> {
    serde_json::from_value(serde_json::Value::String(t.to_string())).map_err(|_| {
        Error::invalid_argument(format!("type de courrier inconnu « {t} »")).at("type_courrier")
    })
}

fn registre_in(ptr: *const u8, len: usize) -> Result<RegistreCourriers, Error> {
    let b = bytes_in(ptr, len, "registre_json")?;
    if b.is_empty() {
        return Ok(RegistreCourriers::new());
    }
    json_in(b, "registre_json")
}

/// The default subject and body of a kind of letter, as JSON `{"objet": ..., "corps": ...}`.
///
/// `type_courrier`: `"rejet"`, `"modification_dce"`, `"demande_complement"`,
/// `"reponse_question"`, `"information_titulaire"`, `"notification"` or `"libre"`.
/// `consultation_json` (`consultation_len` bytes): the consultation's JSON. `lot`: the lot
/// number, 0 for none. `out`: receives the JSON; free it with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_modele(
    type_courrier: *const std::ffi::c_char,
    consultation_json: *const u8,
    consultation_len: usize,
    lot: u32,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let t = self::type_courrier(str_in(type_courrier, "type_courrier")?)?;
        let c: mpe::model::Consultation = json_in(
            bytes_in(consultation_json, consultation_len, "consultation_json")?,
            "consultation_json",
        )?;
        let m = messagerie::modele(t, &c, (lot != 0).then_some(lot));
        write_out(out, json_out(&m)?);
        Ok(())
    })
}

/// A new letter of a kind, as `Courrier` JSON: the default subject and body, no recipient
/// (or, for `"rejet"` with `entreprise_json` non-empty, that company's address pre-filled:
/// `{"raison_sociale", "email", "origines"}`). `lot`: 0 for none. The host edits it and
/// passes it to `mpe_courrier_preparer`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_nouveau(
    type_courrier: *const std::ffi::c_char,
    consultation_json: *const u8,
    consultation_len: usize,
    lot: u32,
    entreprise_json: *const u8,
    entreprise_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let t = self::type_courrier(str_in(type_courrier, "type_courrier")?)?;
        let c: mpe::model::Consultation = json_in(
            bytes_in(consultation_json, consultation_len, "consultation_json")?,
            "consultation_json",
        )?;
        let lot = (lot != 0).then_some(lot);
        let mut courrier = messagerie::Courrier::nouveau(t, &c, lot);
        let e = bytes_in(entreprise_json, entreprise_len, "entreprise_json")?;
        if !e.is_empty() {
            let e: ContactEntreprise = json_in(e, "entreprise_json")?;
            courrier.destinataires = vec![messagerie::Destinataire::depuis_contact(&e)?];
        }
        write_out(out, json_out(&courrier)?);
        Ok(())
    })
}

/// Validate and de-duplicate the addresses an agent pasted (separated by spaces, commas,
/// semicolons or new lines). `texte`: NUL-terminated UTF-8. `out`: JSON array of
/// `{"email": ..., "ascii": ...}`. Fails with `MPE_ADRESSE_INVALIDE` listing every invalid
/// address.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_analyser_destinataires(
    texte: *const std::ffi::c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let l = messagerie::analyser_destinataires(str_in(texte, "texte")?)?;
        write_out(out, json_out(&l)?);
        Ok(())
    })
}

#[derive(Deserialize)]
struct DemandeRegistres {
    contacts: Vec<ContactEntreprise>,
    #[serde(default)]
    origines: Vec<Origine>,
}

/// The recipients pre-filled from the registers. `json` (`len` bytes):
/// `{"contacts": [{"raison_sociale", "email", "origines": ["retrait"|"question"|"depot"]}],
/// "origines": [...]}` (empty `origines`: every company). `out`: JSON array of recipients.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_destinataires_registres(
    json: *const u8,
    len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let d: DemandeRegistres = json_in(bytes_in(json, len, "json")?, "json")?;
        let l = messagerie::destinataires_depuis_registres(&d.contacts, &d.origines)?;
        write_out(out, json_out(&l)?);
        Ok(())
    })
}

/// Prepare a letter: `json` (`len` bytes) is a `DemandeEnvoi`
/// (`{"courrier", "consultation", "organisation", "contexte"}`, attachments' `contenu` in
/// base64). `out` receives the `Envoi` JSON: `messages` (one per recipient, `mime` in
/// base64, `jeton` with acknowledgement) and `evenements` for the journal. Tokens are drawn
/// from the operating system's CSPRNG. Get a message's raw bytes with
/// `mpe_courrier_message`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_preparer(
    json: *const u8,
    len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let d: DemandeEnvoi = json_in(bytes_in(json, len, "json")?, "json")?;
        let e = messagerie::preparer_envoi_securise(&d)?;
        write_out(out, json_out(&e)?);
        Ok(())
    })
}

/// The raw RFC 5322 bytes (CRLF line ends) of message `index` of an `Envoi` JSON made by
/// `mpe_courrier_preparer`. `mime_out`: the bytes; free with `mpe_bytes_free`.
/// `MPE_INVALID_ARGUMENT` when `index` is out of range.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_message(
    envoi_json: *const u8,
    envoi_len: usize,
    index: usize,
    mime_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(mime_out, "mime_out")?;
        let e: Envoi = json_in(bytes_in(envoi_json, envoi_len, "envoi_json")?, "envoi_json")?;
        let m = e.messages.into_iter().nth(index).ok_or_else(|| {
            Error::invalid_argument(format!("aucun message n°{index} dans l'envoi")).at("index")
        })?;
        write_out(mime_out, mpe_bytes::from_vec(m.mime));
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Evenements {
    Liste(Vec<EvenementCourrier>),
    Envoi { evenements: Vec<EvenementCourrier> },
}

/// Apply journal events to a register. `registre_json` (`registre_len` bytes, may be empty
/// for a new register) and `evenements_json`: a JSON array of events, or the `Envoi` JSON of
/// `mpe_courrier_preparer` (its `evenements` are applied). `out`: the updated register JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_registre(
    registre_json: *const u8,
    registre_len: usize,
    evenements_json: *const u8,
    evenements_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let mut r = registre_in(registre_json, registre_len)?;
        let ev = match json_in(
            bytes_in(evenements_json, evenements_len, "evenements_json")?,
            "evenements_json",
        )? {
            Evenements::Liste(l) => l,
            Evenements::Envoi { evenements } => evenements,
        };
        for (i, e) in ev.iter().enumerate() {
            r.appliquer(e)
                .map_err(|e| e.at(format!("evenements[{i}]")))?;
        }
        write_out(out, json_out(&r)?);
        Ok(())
    })
}

/// A recipient opened the acknowledgement link carrying `jeton` at `date` (RFC 3339).
/// `registre_out`: the updated register JSON; `evenement_out`: the `ouvert` event JSON for
/// the journal. `MPE_JETON_INCONNU` when the token is unknown or already used.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_accuser_reception(
    registre_json: *const u8,
    registre_len: usize,
    jeton: *const std::ffi::c_char,
    date: *const std::ffi::c_char,
    registre_out: *mut mpe_bytes,
    evenement_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(registre_out, "registre_out")?;
        check_out(evenement_out, "evenement_out")?;
        let mut r = registre_in(registre_json, registre_len)?;
        let date = messagerie::analyser_date(str_in(date, "date")?)?;
        let ev = r.accuser_reception(str_in(jeton, "jeton")?, date)?;
        let (a, b) = (json_out(&r)?, json_out(&ev)?);
        write_out(registre_out, a);
        write_out(evenement_out, b);
        Ok(())
    })
}

/// An answer to the message `message_id` (the `In-Reply-To` of the incoming mail, brackets
/// optional) arrived at `date` (RFC 3339); `message_id_reponse` may be NULL.
/// `registre_out`: the updated register; `evenement_out`: the `repondu` event.
/// `MPE_COURRIER_INCONNU` or `MPE_REPONSE_NON_AUTORISEE` on refusal.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_enregistrer_reponse(
    registre_json: *const u8,
    registre_len: usize,
    message_id: *const std::ffi::c_char,
    date: *const std::ffi::c_char,
    message_id_reponse: *const std::ffi::c_char,
    registre_out: *mut mpe_bytes,
    evenement_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(registre_out, "registre_out")?;
        check_out(evenement_out, "evenement_out")?;
        let mut r = registre_in(registre_json, registre_len)?;
        let date = messagerie::analyser_date(str_in(date, "date")?)?;
        let reponse = opt_str_in(message_id_reponse, "message_id_reponse")?.map(str::to_string);
        let ev = r.enregistrer_reponse(str_in(message_id, "message_id")?, date, reponse)?;
        let (a, b) = (json_out(&r)?, json_out(&ev)?);
        write_out(registre_out, a);
        write_out(evenement_out, b);
        Ok(())
    })
}

/// The safe file name of an attachment (no path, control characters or reserved names;
/// accents kept). `out`: NUL-terminated UTF-8 text.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_nom_piece(
    nom: *const std::ffi::c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let n = messagerie::nom_sur(str_in(nom, "nom")?);
        write_out(out, mpe_bytes::from_string(n));
        Ok(())
    })
}
