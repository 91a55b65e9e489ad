//! EU trusted lists (ETSI TS 119 612) and the qualification of a certificate (ETSI TS
//! 119 615). The lists come as JSON, the same object `mpe_signature_verifier` takes in its
//! options under `listes_confiance`:
//! `{"lotl": "<LOTL en base64>", "certificats_lotl_pem": "-----BEGIN CERTIFICATE-----...",
//! "listes": ["<liste nationale en base64>", ...], "pivots": [{"adresse": "<URI as the LOTL
//! gives it>", "liste": "<LOTL pivot en base64>"}, ...]}` (`pivots` optional: the LOTL is then
//! checked against `certificats_lotl_pem` directly). mpe fetches nothing and reads no
//! clock; lists already seen (same bytes, same announced certificates) are not verified
//! again in the same process.

use mpe::confiance::{self, ListesConfianceJson};

use crate::frontiere::{
    appeler, instant, json, json_texte, mpe_instant, mpe_octets, mpe_statut, octets, octets_sortie,
};

/// Load the LOTL and the national lists of `listes_json` as they stand at `date`.
/// `rapport_sortie` receives the JSON report: the usable lists (`listes`), the LOTL's
/// verdict (`lotl`) and one verdict per national list (`entrees`: `territoire`,
/// `empreinte`, `rapport` or `erreur`). A list that cannot be used is in the report, not
/// an error.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_confiance_charger(
    listes_json: *const u8,
    listes_longueur: usize,
    date: mpe_instant,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let l: ListesConfianceJson = json(listes_json, listes_longueur, "listes_json")?;
        json_texte(&l.charger(instant(date, "date")?)?)
    })
}

/// Qualify the certificate `certificat` (DER or PEM) at the signing time `date` under the
/// lists of `listes_json` (checked at the same time). `rapport_sortie` receives the JSON
/// report (`qualification`: QESig, QESeal, AdESig-QC, AdESeal-QC, AdES or INDETERMINEE,
/// with the service found and every step).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_confiance_qualifier(
    certificat: *const u8,
    certificat_longueur: usize,
    listes_json: *const u8,
    listes_longueur: usize,
    date: mpe_instant,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let cert =
            mpe::signature::certificat(octets(certificat, certificat_longueur, "certificat")?)?;
        let l: ListesConfianceJson = json(listes_json, listes_longueur, "listes_json")?;
        let quand = instant(date, "date")?;
        let c = l.charger(quand)?;
        json_texte(&confiance::qualifier(&cert, quand, &c))
    })
}
