//! C ABI of `mpe::messagerie`: letters to companies, rendered as MIME messages, and their
//! register. Values cross as the JSON of the core types (the same as Python's); messages as
//! raw RFC 5322 bytes.

use std::ffi::c_char;

use mpe::Erreur;
use mpe::messagerie::{
    self, ContactEntreprise, DemandeEnvoi, Envoi, EvenementCourrier, Origine, RegistreCourriers,
    TypeCourrier,
};
use mpe::model::Consultation;
use serde::Deserialize;

use crate::frontiere::{
    appeler, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets, mpe_statut,
    octets_sortie, texte, texte_facultatif,
};

fn type_courrier(ptr: *const c_char) -> Result<TypeCourrier, Erreur> {
    let t = texte(ptr, "type_courrier")?;
    serde_json::from_value(serde_json::Value::String(t.to_string())).map_err(|_| {
        Erreur::invalid_argument(format!("type de courrier inconnu « {t} »")).at("type_courrier")
    })
}

fn registre(ptr: *const u8, longueur: usize) -> Result<RegistreCourriers, Erreur> {
    Ok(json_facultatif(ptr, longueur, "registre")?.unwrap_or_else(RegistreCourriers::new))
}

/// The template (subject and body) of a letter of type `type_courrier` for a consultation
/// (`lot` 0: the whole consultation).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_generer_modele(
    type_courrier: *const c_char,
    consultation_json: *const u8,
    consultation_longueur: usize,
    lot: u32,
    modele_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(modele_sortie, "modele_sortie"), || {
        let t = self::type_courrier(type_courrier)?;
        let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
        json_texte(&messagerie::modele(t, &c, (lot != 0).then_some(lot)))
    })
}

/// A new letter of type `type_courrier`, addressed to `entreprise_json` when given
/// (NULL/0: no recipient yet).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_nouveau(
    type_courrier: *const c_char,
    consultation_json: *const u8,
    consultation_longueur: usize,
    lot: u32,
    entreprise_json: *const u8,
    entreprise_longueur: usize,
    courrier_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(courrier_sortie, "courrier_sortie"), || {
        let t = self::type_courrier(type_courrier)?;
        let c: Consultation = json(consultation_json, consultation_longueur, "consultation")?;
        let mut courrier = messagerie::Courrier::nouveau(t, &c, (lot != 0).then_some(lot));
        if let Some(e) = json_facultatif::<ContactEntreprise>(
            entreprise_json,
            entreprise_longueur,
            "entreprise",
        )? {
            courrier.destinataires = vec![messagerie::Destinataire::depuis_contact(&e)?];
        }
        json_texte(&courrier)
    })
}

/// Parse a free text of addresses (`"a@b.fr; Nom <c@d.fr>"`) into a JSON list.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_analyser_destinataires(
    texte_adresses: *const c_char,
    adresses_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(adresses_sortie, "adresses_sortie"), || {
        json_texte(&messagerie::analyser_destinataires(texte(
            texte_adresses,
            "texte_adresses",
        )?)?)
    })
}

#[derive(Deserialize)]
struct DemandeRegistres {
    contacts: Vec<ContactEntreprise>,
    #[serde(default)]
    origines: Vec<Origine>,
}

/// The recipients drawn from the registers: `demande_json` is `{"contacts": [...],
/// "origines": ["retraits", ...]}`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_extraire_destinataires(
    demande_json: *const u8,
    demande_longueur: usize,
    destinataires_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(destinataires_sortie, "destinataires_sortie"),
        || {
            let d: DemandeRegistres = json(demande_json, demande_longueur, "demande")?;
            json_texte(&messagerie::destinataires_depuis_registres(
                &d.contacts,
                &d.origines,
            )?)
        },
    )
}

/// Prepare a whole sending (`DemandeEnvoi`): every message rendered, with its events.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_preparer(
    demande_json: *const u8,
    demande_longueur: usize,
    envoi_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(envoi_sortie, "envoi_sortie"), || {
        let d: DemandeEnvoi = json(demande_json, demande_longueur, "demande")?;
        json_texte(&messagerie::preparer_envoi_securise(&d)?)
    })
}

/// Prepare the message number `index` of a sending only (for large sendings): the MIME
/// bytes go to `mime_sortie`, its description and event to `info_sortie`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_preparer_message(
    demande_json: *const u8,
    demande_longueur: usize,
    index: usize,
    mime_sortie: *mut mpe_octets,
    info_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(mime_sortie, "mime_sortie"),
            octets_sortie(info_sortie, "info_sortie"),
        ),
        || {
            let d: DemandeEnvoi = json(demande_json, demande_longueur, "demande")?;
            let p = messagerie::Preparation::new(&d)?;
            let (mut m, evenement) = p.message(index, &mut messagerie::generateur_securise())?;
            let mime = std::mem::take(&mut m.mime);
            let info = serde_json::json!({
                "message": {
                    "destinataire": m.destinataire,
                    "raison_sociale": m.raison_sociale,
                    "message_id": m.message_id,
                    "jeton": m.jeton,
                    "url_accuse_reception": m.url_accuse_reception,
                },
                "evenement": evenement,
                "nombre_messages": p.nombre_messages(),
            });
            Ok((mime.into(), json_texte(&info)?))
        },
    )
}

/// The MIME bytes of the message number `index` of a prepared sending (`Envoi`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_generer_message(
    envoi_json: *const u8,
    envoi_longueur: usize,
    index: usize,
    mime_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(mime_sortie, "mime_sortie"), || {
        let e: Envoi = json(envoi_json, envoi_longueur, "envoi")?;
        let m = e.messages.into_iter().nth(index).ok_or_else(|| {
            Erreur::invalid_argument(format!("aucun message n°{index} dans l'envoi")).at("index")
        })?;
        Ok(m.mime.into())
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Evenements {
    Liste(Vec<EvenementCourrier>),
    Envoi { evenements: Vec<EvenementCourrier> },
}

/// Apply events (a JSON array, or an `Envoi` with its `evenements`) to a letters' register
/// (NULL/0: a new one); `registre_sortie` receives the register.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_appliquer_evenements(
    registre_json: *const u8,
    registre_longueur: usize,
    evenements_json: *const u8,
    evenements_longueur: usize,
    registre_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(registre_sortie, "registre_sortie"), || {
        let mut r = registre(registre_json, registre_longueur)?;
        let ev = match json(evenements_json, evenements_longueur, "evenements")? {
            Evenements::Liste(l) => l,
            Evenements::Envoi { evenements } => evenements,
        };
        for (i, e) in ev.iter().enumerate() {
            r.appliquer(e)
                .map_err(|e| e.at(format!("evenements[{i}]")))?;
        }
        json_texte(&r)
    })
}

/// Record the acknowledgment of the message whose token is `jeton`, at `date`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_accuser_reception(
    registre_json: *const u8,
    registre_longueur: usize,
    jeton: *const c_char,
    date: mpe_instant,
    registre_sortie: *mut mpe_octets,
    evenement_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(registre_sortie, "registre_sortie"),
            octets_sortie(evenement_sortie, "evenement_sortie"),
        ),
        || {
            let mut r = registre(registre_json, registre_longueur)?;
            let d = instant(date, "date")?;
            let ev = r.accuser_reception(texte(jeton, "jeton")?, d)?;
            Ok((json_texte(&r)?, json_texte(&ev)?))
        },
    )
}

/// Record a company's reply to the message `message_id`, at `date`
/// (`message_id_reponse`: the reply's own id, may be NULL).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_enregistrer_reponse(
    registre_json: *const u8,
    registre_longueur: usize,
    message_id: *const c_char,
    date: mpe_instant,
    message_id_reponse: *const c_char,
    registre_sortie: *mut mpe_octets,
    evenement_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(registre_sortie, "registre_sortie"),
            octets_sortie(evenement_sortie, "evenement_sortie"),
        ),
        || {
            let mut r = registre(registre_json, registre_longueur)?;
            let d = instant(date, "date")?;
            let reponse =
                texte_facultatif(message_id_reponse, "message_id_reponse")?.map(str::to_string);
            let ev = r.enregistrer_reponse(texte(message_id, "message_id")?, d, reponse)?;
            Ok((json_texte(&r)?, json_texte(&ev)?))
        },
    )
}

/// A safe attachment name for `nom` (no path, no control character), as text.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_courrier_normaliser_nom_piece(
    nom: *const c_char,
    nom_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(nom_sortie, "nom_sortie"), || {
        Ok(messagerie::nom_sur(texte(nom, "nom")?).into())
    })
}
