//! C ABI of the consultation model and its rules (CPV, référence, SIRET, code d'accès) and
//! of the list of error codes.

use std::ffi::c_char;

use mpe::CodeErreur;
use mpe::model::{Consultation, Organisation};

use crate::frontiere::{
    appeler, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets, mpe_statut,
    octets_sortie, texte,
};

/// Validate a consultation and return every finding as a JSON array
/// (`schemas/constats.schema.json`): `[{"code": "CPV_INCONNU", "gravite": "erreur",
/// "chemin": "$.lots[1].cpv.principal", "message": "...", "article": null}, ...]`.
///
/// - `consultation_json`/`consultation_longueur`: the consultation
///   (`schemas/consultation.schema.json`);
/// - `organisation_json`/`organisation_longueur`: the organisation, or NULL/0 when unknown;
/// - `maintenant`: the time of validation;
/// - `constats_sortie`: receives the JSON (release with `mpe_octets_liberer`).
///
/// The call succeeds (MPE_OK) even when there are findings: read their `gravite`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_consultation_valider(
    consultation_json: *const u8,
    consultation_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    maintenant: mpe_instant,
    constats_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(constats_sortie, "constats_sortie"), || {
        let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
        let org: Option<Organisation> =
            json_facultatif(organisation_json, organisation_longueur, "organisation")?;
        let t = instant(maintenant, "maintenant")?;
        json_texte(&mpe::rules::valider(&c, org.as_ref(), t))
    })
}

/// Parse a consultation and write it back in mpe's canonical JSON (every field, defaults
/// filled in). Hosts use it to check their JSON and to compare states byte for byte.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_consultation_normaliser(
    consultation_json: *const u8,
    consultation_longueur: usize,
    consultation_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(consultation_sortie, "consultation_sortie"),
        || {
            let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
            json_texte(&c)
        },
    )
}

/// Look up a CPV code (`"45000000-7"`) in the official list; on success `cpv_sortie`
/// receives `{"code", "libelle" (français), "libelle_en", "division", "categorie"}`. Errors: `MPE_CPV_FORMAT`,
/// `MPE_CPV_INCONNU`, `MPE_CPV_CLE_CONTROLE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cpv_chercher(code: *const c_char, cpv_sortie: *mut mpe_octets) -> mpe_statut {
    appeler(octets_sortie(cpv_sortie, "cpv_sortie"), || {
        json_texte(&mpe::rules::cpv::chercher(texte(code, "code")?)?)
    })
}

/// Validate a référence de consultation: `MPE_OK` or `MPE_REFERENCE_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_reference_valider(reference: *const c_char) -> mpe_statut {
    appeler((), || {
        mpe::rules::reference::valider(texte(reference, "reference")?)
    })
}

/// Validate a SIRET (14 digits, Luhn key, La Poste exception): `MPE_OK` or
/// `MPE_SIRET_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_siret_valider(siret: *const c_char) -> mpe_statut {
    appeler((), || mpe::rules::siret::valider(texte(siret, "siret")?))
}

/// Generate an access code for a restricted consultation (8 characters from a CSPRNG,
/// alphabet without look-alikes); `code_sortie` receives it as text.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_code_acces_generer(code_sortie: *mut mpe_octets) -> mpe_statut {
    appeler(octets_sortie(code_sortie, "code_sortie"), || {
        Ok(mpe::rules::code_acces::generer().into())
    })
}

/// Describe every stable error code as JSON: `[{"code": 303, "nom": "HORS_DELAI",
/// "libelle": "..."}, ...]` — for hosts that build their own error tables.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_code_erreur_lister(codes_sortie: *mut mpe_octets) -> mpe_statut {
    appeler(octets_sortie(codes_sortie, "codes_sortie"), || {
        let liste: Vec<serde_json::Value> = CodeErreur::ALL
            .iter()
            .map(|c| serde_json::json!({"code": c.code(), "nom": c.name(), "libelle": c.label()}))
            .collect();
        json_texte(&liste)
    })
}
