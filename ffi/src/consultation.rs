//! C ABI of the consultation model and its rules.

use std::ffi::c_char;

use chrono::{DateTime, Utc};
use mpe::model::{Consultation, Organisation};
use mpe::{Error, ErrorCode};

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_status, str_in, write_out,
};

/// Parse an RFC 3339 instant given by the host (e.g. `"2026-11-02T09:00:00Z"`).
pub(crate) fn instant_in(ptr: *const c_char, what: &str) -> Result<DateTime<Utc>, Error> {
    mpe::rules::temps::instant_rfc3339(str_in(ptr, what)?).map_err(|e| e.at(what))
}

/// Validate a consultation and return every finding as a JSON array
/// (`schemas/constats.schema.json`): `[{"code": "CPV_INCONNU", "gravite": "erreur",
/// "chemin": "$.lots[1].cpv.principal", "message": "...", "article": null}, ...]`.
///
/// - `consultation_json`/`consultation_len`: the consultation (`schemas/consultation.schema.json`).
/// - `organisation_json`/`organisation_len`: the organisation, or NULL/0 when unknown.
/// - `now_rfc3339`: the time of validation, e.g. `"2026-11-02T09:00:00Z"`.
/// - `findings_out`: receives the JSON (free with `mpe_bytes_free`).
///
/// The call succeeds (MPE_OK) even when there are findings: read their `gravite`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_consultation_validate(
    consultation_json: *const u8,
    consultation_len: usize,
    organisation_json: *const u8,
    organisation_len: usize,
    now_rfc3339: *const c_char,
    findings_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(findings_out, "findings_out")?;
        let c: Consultation = json_in(
            bytes_in(consultation_json, consultation_len, "consultation_json")?,
            "consultation",
        )?;
        let org: Option<Organisation> = if organisation_json.is_null() {
            None
        } else {
            Some(json_in(
                bytes_in(organisation_json, organisation_len, "organisation_json")?,
                "organisation",
            )?)
        };
        let now = instant_in(now_rfc3339, "now_rfc3339")?;
        let findings = mpe::rules::valider(&c, org.as_ref(), now);
        write_out(findings_out, json_out(&findings)?);
        Ok(())
    })
}

/// Parse a consultation and write it back in mpe's canonical JSON (every field, defaults
/// filled in). Hosts use it to check their JSON and to compare states byte for byte.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_consultation_normalize(
    consultation_json: *const u8,
    consultation_len: usize,
    json_out_: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(json_out_, "json_out")?;
        let c: Consultation = json_in(
            bytes_in(consultation_json, consultation_len, "consultation_json")?,
            "consultation",
        )?;
        write_out(json_out_, json_out(&c)?);
        Ok(())
    })
}

/// Look up a CPV code (`"45000000-7"`) in the official list; on success `cpv_out` receives
/// `{"code", "libelle", "division", "categorie"}`. Errors: `MPE_CPV_FORMAT`,
/// `MPE_CPV_INCONNU`, `MPE_CPV_CLE_CONTROLE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cpv_lookup(code: *const c_char, cpv_out: *mut mpe_bytes) -> mpe_status {
    call(|| {
        check_out(cpv_out, "cpv_out")?;
        let found = mpe::rules::cpv::lookup(str_in(code, "code")?)?;
        write_out(cpv_out, json_out(&found)?);
        Ok(())
    })
}

/// Check a référence de consultation: `MPE_OK` or `MPE_REFERENCE_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_reference_check(reference: *const c_char) -> mpe_status {
    call(|| mpe::rules::reference::check(str_in(reference, "reference")?))
}

/// Check a SIRET (14 digits, Luhn key, La Poste exception): `MPE_OK` or `MPE_SIRET_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_siret_check(siret: *const c_char) -> mpe_status {
    call(|| mpe::rules::siret::check_siret(str_in(siret, "siret")?))
}

/// Generate an access code for a restricted consultation (8 characters from a CSPRNG,
/// alphabet without look-alikes); `code_out` receives it as text.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_access_code_generate(code_out: *mut mpe_bytes) -> mpe_status {
    call(|| {
        check_out(code_out, "code_out")?;
        write_out(
            code_out,
            mpe_bytes::from_string(mpe::rules::code_acces::generer()),
        );
        Ok(())
    })
}

/// Describe every stable error code as JSON: `[{"code": 303, "name": "HORS_DELAI",
/// "label": "..."}, ...]` — for hosts that build their own error tables.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_error_codes(codes_out: *mut mpe_bytes) -> mpe_status {
    call(|| {
        check_out(codes_out, "codes_out")?;
        let list: Vec<serde_json::Value> = ErrorCode::ALL
            .iter()
            .map(|c| serde_json::json!({"code": c.code(), "name": c.name(), "label": c.label()}))
            .collect();
        write_out(codes_out, json_out(&list)?);
        Ok(())
    })
}
