//! C functions for keys on tokens and smart cards (PKCS#11): list a module's tokens and
//! certificates, decrypt an envelope and sign with a key that never leaves the token.
//!
//! The key is named by a JSON reference `{"module": "/usr/lib/softhsm/libsofthsm2.so",
//! "jeton": "Ma carte", "cle": "Clé de signature"}` (or `"id": "01"`, the hex `CKA_ID`,
//! instead of `"cle"`); the PIN is a separate NUL-terminated string (NULL: no login). A
//! wrong PIN gives `MPE_PIN_INCORRECT`, an unknown token `MPE_JETON_ABSENT`, an unknown key
//! `MPE_CLE_ABSENTE_DU_JETON`, a module that does not load `MPE_MODULE_PKCS11`. Each call
//! loads the module, logs in, works and logs out: keep calls on one thread at a time per
//! module.

use std::ffi::c_char;

use mpe::Erreur;
use mpe::crypto::bicle;
use mpe::crypto::cms::OptionsDechiffrement;
use mpe::crypto::jeton::{self, ReferenceJeton};
use mpe::signature::{DonneesSignees, FormatSignature, OptionsSignature};

use crate::frontiere::{
    appeler, chemin, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets,
    mpe_statut, octets, octets_facultatifs, octets_sortie, octets_sortie_facultative, texte,
    texte_facultatif,
};

fn reference(ptr: *const u8, longueur: usize) -> Result<ReferenceJeton, Erreur> {
    json(ptr, longueur, "reference")
}

fn options_dechiffrement(ptr: *const u8, longueur: usize) -> Result<OptionsDechiffrement, Erreur> {
    Ok(json_facultatif(ptr, longueur, "options")?.unwrap_or_default())
}

/// The rest of the signer's chain: PEM certificates, or nothing.
macro_rules! chaine {
    ($ptr:expr, $longueur:expr) => {
        match octets_facultatifs($ptr, $longueur, "chaine_pem")? {
            None => vec![],
            Some(b) => bicle::load_certificates(b)?,
        }
    };
}

/// The tokens of the PKCS#11 module `module` and their certificates, as JSON: `[{"jeton":
/// {"slot", "libelle", "fabricant", "modele", "numero_serie"}, "certificats": [{"libelle",
/// "id", "info", "conformite": {"adapte", "raisons"}, "certificat_pem"}]}]`, the
/// conformity judged at `maintenant`. No PIN: certificates are public.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_pkcs11_lister(
    module: *const c_char,
    maintenant: mpe_instant,
    jetons_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(jetons_sortie, "jetons_sortie"), || {
        json_texte(&jeton::lister(
            chemin(module, "module")?,
            instant(maintenant, "maintenant")?,
        )?)
    })
}

/// Decrypt a CMS envelope (DER, BER, PEM or S/MIME) held in memory with the token's key
/// (RSA key transport v1.5/OAEP, or ECDH). `options_json` (NULL/0 allowed) as for
/// `mpe_cms_dechiffrer_cle`. `clair_sortie` is written only once the data is
/// authenticated; `rapport_sortie` (may be NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_jeton(
    cms_octets: *const u8,
    cms_longueur: usize,
    reference_json: *const u8,
    reference_longueur: usize,
    pin: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    clair_sortie: *mut mpe_octets,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(clair_sortie, "clair_sortie"),
            octets_sortie_facultative(rapport_sortie, "rapport_sortie"),
        ),
        || {
            let r = reference(reference_json, reference_longueur)?;
            let o = options_dechiffrement(options_json, options_longueur)?;
            let (clair, info) = jeton::dechiffrer(
                octets(cms_octets, cms_longueur, "cms")?,
                &r,
                texte_facultatif(pin, "pin")?,
                &o,
            )?;
            Ok((clair.into(), json_texte(&info)?))
        },
    )
}

/// Decrypt the file `entree` into `sortie` in constant memory with the token's key; the
/// plaintext appears only once authenticated (no file on error). `rapport_sortie` (may be
/// NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_fichier_jeton(
    entree: *const c_char,
    sortie: *const c_char,
    reference_json: *const u8,
    reference_longueur: usize,
    pin: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie_facultative(rapport_sortie, "rapport_sortie"),
        || {
            let r = reference(reference_json, reference_longueur)?;
            let o = options_dechiffrement(options_json, options_longueur)?;
            json_texte(&jeton::dechiffrer_fichier(
                chemin(entree, "entree")?,
                chemin(sortie, "sortie")?,
                &r,
                texte_facultatif(pin, "pin")?,
                &o,
            )?)
        },
    )
}

/// Sign `donnees` with the token's key: `format` `"cades"`, `"xades"` or `"pades"` (then
/// `donnees` is the PDF); the token's certificate (same `CKA_ID` as the key) is the
/// signer's, `chaine_pem` (NULL/0 allowed) the rest of its chain; `options_json` the
/// signing options (as `mpe_signature_signer`, `date` required). The token signs the digest
/// (RSA PKCS#1 v1.5 or ECDSA P-256); mpe checks the value before assembling.
/// `signe_sortie` receives the `.p7s`, the XML or the signed PDF.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_signer_jeton(
    format: *const c_char,
    reference_json: *const u8,
    reference_longueur: usize,
    pin: *const c_char,
    chaine_pem: *const u8,
    chaine_longueur: usize,
    donnees: *const u8,
    donnees_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    signe_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(signe_sortie, "signe_sortie"), || {
        let f: FormatSignature = texte(format, "format")?.parse()?;
        let r = reference(reference_json, reference_longueur)?;
        let o: OptionsSignature = json(options_json, options_longueur, "options")?;
        let c = chaine!(chaine_pem, chaine_longueur);
        Ok(jeton::signer(
            f,
            DonneesSignees::Octets(octets(donnees, donnees_longueur, "donnees")?),
            &r,
            texte_facultatif(pin, "pin")?,
            c,
            &o,
        )?
        .into())
    })
}

/// Sign the file `fichier` (streamed for CAdES/XAdES) into `sortie` (whole or not at all)
/// with the token's key, as `mpe_signature_signer_jeton`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_signer_fichier_jeton(
    format: *const c_char,
    reference_json: *const u8,
    reference_longueur: usize,
    pin: *const c_char,
    chaine_pem: *const u8,
    chaine_longueur: usize,
    fichier: *const c_char,
    sortie: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
) -> mpe_statut {
    appeler((), || {
        let f: FormatSignature = texte(format, "format")?.parse()?;
        let r = reference(reference_json, reference_longueur)?;
        let o: OptionsSignature = json(options_json, options_longueur, "options")?;
        jeton::signer_fichier(
            f,
            chemin(fichier, "fichier")?,
            chemin(sortie, "sortie")?,
            &r,
            texte_facultatif(pin, "pin")?,
            chaine!(chaine_pem, chaine_longueur),
            &o,
        )
    })
}
