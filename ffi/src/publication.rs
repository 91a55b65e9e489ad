//! C ABI of `mpe::publication`: the eForms notices (contract notice 16/17, result notice
//! 29/30, change notice), their pre-check and reading, and the DUME (ESPD request written,
//! any DUME read, a response compared with its request). JSON in, JSON out, the same JSON
//! as the Rust types; notices and DUMEs cross as UTF-8 XML inside the JSON results (`xml`)
//! and as bytes on input.
//!
//! A notice is also validated by the SDK's own Schematron rules through a handle
//! (`mpe_avis_validateur_ouvrir`, `mpe_avis_valider`, `mpe_avis_validateur_liberer`).
//!
//! Outputs: `schemas/avis.schema.json` (a notice written), `constats_avis.schema.json`
//! (pre-check), `resume_avis.schema.json`, `dume_demande.schema.json`,
//! `resume_dume.schema.json`, `ecarts_dume.schema.json`, `rapport_schematron.schema.json`.

use std::ffi::c_char;

use chrono::{DateTime, Utc};

use mpe::model::{Consultation, IdentifiantEntreprise, Organisation};
use mpe::procedure::Procedure;
use mpe::publication::{
    ContratLot, DonneesAvis, ReglesEforms, ValidateurEformsPartage, VersionDume,
};

use crate::frontiere::{
    appeler, chemin, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets,
    mpe_statut, octets, octets_sortie, poignee, poignee_liberer, poignee_nouvelle, sortie, texte,
    texte_facultatif, texte_utf8,
};

/// The inputs every notice shares, converted: the buyer, its notice data and the time;
/// `sous_type` (contract notice, or result notice when `attribution`) checked by the core
/// against the organisation, before any work.
fn entrees(
    sous_type: Option<(*const c_char, bool)>,
    organisation_json: *const u8,
    organisation_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    maintenant: mpe_instant,
) -> Result<(Organisation, DonneesAvis, DateTime<Utc>), mpe::Erreur> {
    let o: Organisation = json(organisation_json, organisation_longueur, "organisation")?;
    let d: DonneesAvis = json(donnees_json, donnees_longueur, "donnees")?;
    if let Some((s, attribution)) = sous_type {
        mpe::publication::verifier_sous_type(texte(s, "sous_type")?, &o, attribution)?;
    }
    Ok((o, d, instant(maintenant, "maintenant")?))
}

/// The procedure and the contracts of its awarded lots (NULL/0: none).
fn procedure_et_contrats(
    procedure_json: *const u8,
    procedure_longueur: usize,
    contrats_json: *const u8,
    contrats_longueur: usize,
) -> Result<(Procedure, Vec<ContratLot>), mpe::Erreur> {
    Ok((
        json(procedure_json, procedure_longueur, "procedure")?,
        json_facultatif(contrats_json, contrats_longueur, "contrats")?.unwrap_or_default(),
    ))
}

/// Write the contract notice of a consultation: subtype `"16"` (pouvoir adjudicateur) or
/// `"17"` (entité adjudicatrice), as `sous_type` says and the organisation's type must match.
///
/// - `consultation_json` (`schemas/consultation.schema.json`), `organisation_json`,
///   `donnees_json` (`schemas/donnees_avis.schema.json`: addresses, review body, criteria);
/// - `maintenant`: the time the notice is sent;
/// - `avis_sortie`: `{"sous_type", "identifiant", "identifiant_procedure", "xml",
///   "avertissements"}` (`schemas/avis.schema.json`).
///
/// Errors: `MPE_AVIS_NON_PRIS_EN_CHARGE` (subtype unknown, of a result notice, or of the
/// other directive), `MPE_AVIS_INCOMPLET` (the pre-check found errors: call
/// `mpe_avis_verifier_marche` for the list), `MPE_JSON_INVALIDE`, `MPE_ARGUMENT_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_generer_marche(
    sous_type: *const c_char,
    consultation_json: *const u8,
    consultation_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    maintenant: mpe_instant,
    avis_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(avis_sortie, "avis_sortie"), || {
        let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
        let (o, d, t) = entrees(
            Some((sous_type, false)),
            organisation_json,
            organisation_longueur,
            donnees_json,
            donnees_longueur,
            maintenant,
        )?;
        json_texte(&mpe::publication::generer_avis_marche(&c, &o, &d, t)?)
    })
}

/// Pre-check the contract notice of a consultation (same inputs as
/// `mpe_avis_generer_marche`): `constats_sortie` receives every finding
/// (`schemas/constats_avis.schema.json`: `code`, `gravite`, `bt` like `"BT-50-Lot"`,
/// `champ` the JSON path to fill, `message`). MPE_OK even with findings.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_verifier_marche(
    sous_type: *const c_char,
    consultation_json: *const u8,
    consultation_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    maintenant: mpe_instant,
    constats_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(constats_sortie, "constats_sortie"), || {
        let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
        let (o, d, t) = entrees(
            Some((sous_type, false)),
            organisation_json,
            organisation_longueur,
            donnees_json,
            donnees_longueur,
            maintenant,
        )?;
        json_texte(&mpe::publication::verifier_avis(&c, &o, &d, t))
    })
}

/// Write the result notice of a procedure: subtype `"29"` or `"30"`.
///
/// - `procedure_json`: the procedure state (`schemas/procedure.schema.json`), its decisions
///   and plis;
/// - `contrats_json`: the contract of each lot awarded, `[{"lot": 1, "contrat": {...}}]`
///   (`schemas/contrats_lots.schema.json`), or NULL/0 for none;
/// - the other parameters as `mpe_avis_generer_marche` (`donnees` adds the winners'
///   sizes).
///
/// Errors: as `mpe_avis_generer_marche`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_generer_attribution(
    sous_type: *const c_char,
    procedure_json: *const u8,
    procedure_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    contrats_json: *const u8,
    contrats_longueur: usize,
    maintenant: mpe_instant,
    avis_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(avis_sortie, "avis_sortie"), || {
        let (p, k) = procedure_et_contrats(
            procedure_json,
            procedure_longueur,
            contrats_json,
            contrats_longueur,
        )?;
        let (o, d, t) = entrees(
            Some((sous_type, true)),
            organisation_json,
            organisation_longueur,
            donnees_json,
            donnees_longueur,
            maintenant,
        )?;
        json_texte(&mpe::publication::generer_avis_attribution(
            &p, &o, &d, &k, t,
        )?)
    })
}

/// Pre-check the result notice of a procedure (same inputs as
/// `mpe_avis_generer_attribution`): the findings as `mpe_avis_verifier_marche`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_verifier_attribution(
    sous_type: *const c_char,
    procedure_json: *const u8,
    procedure_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    contrats_json: *const u8,
    contrats_longueur: usize,
    maintenant: mpe_instant,
    constats_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(constats_sortie, "constats_sortie"), || {
        let (p, k) = procedure_et_contrats(
            procedure_json,
            procedure_longueur,
            contrats_json,
            contrats_longueur,
        )?;
        let (o, d, t) = entrees(
            Some((sous_type, true)),
            organisation_json,
            organisation_longueur,
            donnees_json,
            donnees_longueur,
            maintenant,
        )?;
        json_texte(&mpe::publication::verifier_avis_attribution(
            &p, &o, &d, &k, t,
        ))
    })
}

/// Write the change notice (avis rectificatif) of a contract notice already sent, for the
/// modifications of the published consultation since (the DCE versions of the procedure).
///
/// - `procedure_json`: the procedure state, with its consultation as it is now;
/// - `avis_initial`/`avis_initial_longueur`: the contract notice as sent (UTF-8 XML);
/// - `avis_sortie`: the change notice, as `mpe_avis_generer_marche` (same subtype).
///
/// Errors: `MPE_AVIS_RECTIFIE_ETRANGER` (not the contract notice of this procedure),
/// `MPE_RECTIFICATIF_SANS_MODIFICATION`, `MPE_AVIS_INCOMPLET`, `MPE_AVIS_ILLISIBLE`,
/// `MPE_AVIS_NON_EFORMS`, `MPE_JSON_INVALIDE`, `MPE_ARGUMENT_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_generer_rectificatif(
    procedure_json: *const u8,
    procedure_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    avis_initial: *const u8,
    avis_initial_longueur: usize,
    maintenant: mpe_instant,
    avis_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(avis_sortie, "avis_sortie"), || {
        let p: Procedure = json(procedure_json, procedure_longueur, "procedure")?;
        let (o, d, t) = entrees(
            None,
            organisation_json,
            organisation_longueur,
            donnees_json,
            donnees_longueur,
            maintenant,
        )?;
        let initial = texte_utf8(avis_initial, avis_initial_longueur, "avis_initial")?;
        json_texte(&mpe::publication::generer_avis_rectificatif(
            &p, &o, &d, initial, t,
        )?)
    })
}

/// Read any eForms notice (UTF-8 XML): `resume_sortie` receives its summary
/// (`schemas/resume_avis.schema.json`: subtype, identifiers, buyers, lots, deadlines).
///
/// Errors: `MPE_AVIS_ILLISIBLE`, `MPE_AVIS_NON_EFORMS`, `MPE_ARGUMENT_INVALIDE` (not UTF-8).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_lire(
    avis: *const u8,
    avis_longueur: usize,
    resume_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(resume_sortie, "resume_sortie"), || {
        let xml = texte_utf8(avis, avis_longueur, "avis")?;
        json_texte(&mpe::publication::lire_avis(xml)?)
    })
}

/// Write the buyer's DUME (ESPD request) of a consultation in ESPD-EDM `version`
/// (`"2.1.1"` or `"4.1.0"`): `dume_sortie` receives `{"version", "identifiant",
/// "criteres", "xml"}` (`schemas/dume_demande.schema.json`).
///
/// Errors: `MPE_DUME_VERSION_NON_PRISE_EN_CHARGE`, `MPE_JSON_INVALIDE`,
/// `MPE_ARGUMENT_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_dume_generer_demande(
    consultation_json: *const u8,
    consultation_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    version: *const c_char,
    maintenant: mpe_instant,
    dume_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(dume_sortie, "dume_sortie"), || {
        let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
        let o: Organisation = json(organisation_json, organisation_longueur, "organisation")?;
        let v = VersionDume::depuis(texte(version, "version")?)?;
        let t = instant(maintenant, "maintenant")?;
        json_texte(&mpe::publication::generer_dume_demande(&c, &o, v, t)?)
    })
}

/// Read any DUME, request or response, ESPD-EDM 1.0.2 to 4.1.0: `resume_sortie` receives
/// its summary (`schemas/resume_dume.schema.json`).
///
/// Errors: `MPE_DUME_ILLISIBLE`, `MPE_DUME_NON_ESPD`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_dume_lire(
    dume: *const u8,
    dume_longueur: usize,
    resume_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(resume_sortie, "resume_sortie"), || {
        json_texte(&mpe::publication::lire_dume(octets(
            dume,
            dume_longueur,
            "dume",
        )?)?)
    })
}

/// Compare a company's DUME response with the request it answers and with the company of
/// the pli (`entreprise_json`: `{"siret": "..."}` or `{"etranger": {"pays", "numero"}}`):
/// `ecarts_sortie` receives the differences (`schemas/ecarts_dume.schema.json`, `[]` when
/// everything matches).
///
/// Errors: those of `mpe_dume_lire` for either document, `MPE_SIRET_INVALIDE` and
/// `MPE_ARGUMENT_INVALIDE` for the company, `MPE_JSON_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_dume_comparer(
    reponse: *const u8,
    reponse_longueur: usize,
    demande: *const u8,
    demande_longueur: usize,
    entreprise_json: *const u8,
    entreprise_longueur: usize,
    ecarts_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(ecarts_sortie, "ecarts_sortie"), || {
        let r = mpe::publication::lire_dume(octets(reponse, reponse_longueur, "reponse")?)?;
        let d = mpe::publication::lire_dume(octets(demande, demande_longueur, "demande")?)?;
        let e: IdentifiantEntreprise = json(entreprise_json, entreprise_longueur, "entreprise")?;
        e.verifier()?;
        json_texte(&mpe::publication::comparer_dume(&r, &d, &e))
    })
}

// ---- The SDK's Schematron rules: a validator handle kept by the host between notices.

/// A validator of eForms notices by the SDK's Schematron rules (opaque). Made by
/// `mpe_avis_validateur_ouvrir`, released by `mpe_avis_validateur_liberer`. It compiles the
/// rules of a subtype at its first notice (seconds) and keeps them for the next ones: make
/// one per SDK version and keep it. It may be shared between threads: the rules run on a
/// thread of their own, which serves the calls one at a time.
#[allow(non_camel_case_types)]
pub struct mpe_validateur_avis {
    validateur: ValidateurEformsPartage,
}

/// Read the Schematron rules of an unpacked eForms SDK folder `dossier_sdk` (the one that
/// holds `schematrons/static/complete-validation.sch`, e.g. `eforms-sdk/1.15.1`) into a
/// validator handle. `version` names the SDK version in the reports (NULL: the folder's
/// name).
///
/// Errors: `MPE_ES` (a rules file unreadable), `MPE_SCHEMATRON_ILLISIBLE`,
/// `MPE_SCHEMATRON_NON_PRIS_EN_CHARGE`, `MPE_ARGUMENT_INVALIDE`, `MPE_INTERNE` (no thread for it).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_validateur_ouvrir(
    dossier_sdk: *const c_char,
    version: *const c_char,
    validateur_sortie: *mut *mut mpe_validateur_avis,
) -> mpe_statut {
    appeler(sortie(validateur_sortie, "validateur_sortie"), || {
        let sdk = chemin(dossier_sdk, "dossier_sdk")?;
        let version = texte_facultatif(version, "version")?;
        let regles = ReglesEforms::charger_sdk(sdk, version, std::fs::read)?;
        Ok(poignee_nouvelle(mpe_validateur_avis {
            validateur: ValidateurEformsPartage::new(regles)?,
        }))
    })
}

/// Validate an eForms notice (`avis`, UTF-8 XML) by the rules of its subtype (phase
/// `eforms-<subtype>`), or of `phase` when not NULL. `maintenant` is the date the rules
/// compare deadlines to. `rapport_sortie` receives the report
/// (`schemas/rapport_schematron.schema.json`: `valide`, `echecs` with the rule `id`, `role`,
/// `emplacement`, `indetermines`…). MPE_OK even when the notice is invalid: read `valide`.
/// The SDK's XSD is not checked by mpe.
///
/// Errors: `MPE_AVIS_ILLISIBLE` (not well-formed, a DTD), `MPE_AVIS_NON_EFORMS`,
/// `MPE_PHASE_INCONNUE` (no subtype, or one the rules have no phase for),
/// `MPE_SCHEMATRON_ILLISIBLE`, `MPE_ARGUMENT_INVALIDE` (not UTF-8, a NULL handle).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_valider(
    validateur: *const mpe_validateur_avis,
    avis: *const u8,
    avis_longueur: usize,
    phase: *const c_char,
    maintenant: mpe_instant,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let v = poignee(validateur, "validateur")?;
        let xml = texte_utf8(avis, avis_longueur, "avis")?;
        let phase = texte_facultatif(phase, "phase")?;
        let t = instant(maintenant, "maintenant")?;
        json_texte(&v.validateur.valider_phase(xml, phase, t)?)
    })
}

/// Release a validator handle. NULL is fine; releasing the same handle twice, or during a
/// call, is undefined behaviour, as with `free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_avis_validateur_liberer(validateur: *mut mpe_validateur_avis) {
    poignee_liberer(validateur)
}
