//! C functions of the crypto area: key pairs (bi-clés), CMS encryption and decryption
//! (buffers and path-to-path streaming), envelope ZIP, opening workflow.
//!
//! A key pair crosses as bytes: a PKCS#12 file or a PEM text holding the certificate and
//! the private key, with an optional password (NULL for none). Options, reports and lists
//! cross as JSON (the same as the Python module).

use std::ffi::{c_char, c_void};
use std::path::PathBuf;

use mpe::Erreur;
use mpe::crypto::bicle::{self, BiCle, GenerationBiCle};
use mpe::crypto::cle_chiffrement::{self, CleChiffrement};
use mpe::crypto::cms::{self, Cle, OptionsChiffrement, OptionsDechiffrement};
use mpe::crypto::dechiffreur::{CleDechiffrement, Courbe};
use mpe::crypto::{enveloppe, identite_test, ouverture};

use crate::frontiere::{
    appeler, chemin, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets,
    mpe_progression, mpe_statut, octets, octets_sortie, octets_sortie_facultative, progresser,
    texte, texte_facultatif,
};

fn bicle(ptr: *const u8, longueur: usize, mot_de_passe: *const c_char) -> Result<BiCle, Erreur> {
    BiCle::lire(
        octets(ptr, longueur, "bicle")?,
        texte_facultatif(mot_de_passe, "mot_de_passe")?,
    )
}

fn options(ptr: *const u8, longueur: usize) -> Result<OptionsChiffrement, Erreur> {
    Ok(json_facultatif(ptr, longueur, "options")?.unwrap_or_default())
}

fn options_dechiffrement(ptr: *const u8, longueur: usize) -> Result<OptionsDechiffrement, Erreur> {
    Ok(json_facultatif(ptr, longueur, "options")?.unwrap_or_default())
}

fn cle(
    ptr: *const u8,
    longueur: usize,
    mot_de_passe: *const c_char,
) -> Result<CleDechiffrement, Erreur> {
    CleDechiffrement::charger(
        octets(ptr, longueur, "cle")?,
        texte_facultatif(mot_de_passe, "mot_de_passe")?,
    )
}

fn courbe(ptr: *const c_char) -> Result<Courbe, Erreur> {
    let t = texte(ptr, "courbe")?;
    serde_json::from_value(serde_json::Value::String(t.to_string())).map_err(|_| {
        Erreur::invalid_argument(format!(
            "courbe inconnue : {t} (P-256, P-384, P-521, X25519)"
        ))
    })
}

/// Generate an RSA key pair and its self-signed encryption certificate, returned as a
/// PKCS#12 protected by `mot_de_passe`.
///
/// `parametres_json`: `{"titulaire": "Jean DUPONT", "bits": 2048, "jours_validite": 1095,
/// "nom_complet": null, "organisation": null}` (only `titulaire` required); `maintenant`:
/// start of validity. `p12_sortie` receives the file.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_generer(
    parametres_json: *const u8,
    parametres_longueur: usize,
    maintenant: mpe_instant,
    mot_de_passe: *const c_char,
    p12_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(p12_sortie, "p12_sortie"), || {
        let p: GenerationBiCle = json(parametres_json, parametres_longueur, "parametres")?;
        let b = BiCle::generer(&p, instant(maintenant, "maintenant")?)?;
        Ok(b.exporter_pkcs12(texte(mot_de_passe, "mot_de_passe")?)?
            .into())
    })
}

/// Read a key pair (PKCS#12, or PEM certificate + key) and describe it as JSON (`nom`,
/// `sujet`, `emetteur`, `numero_serie`, `validite`, `empreinte_sha256`, `bits`). A wrong
/// password gives `MPE_MOT_DE_PASSE_INCORRECT`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_decrire(
    bicle_octets: *const u8,
    bicle_longueur: usize,
    mot_de_passe: *const c_char,
    description_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(description_sortie, "description_sortie"),
        || json_texte(&bicle(bicle_octets, bicle_longueur, mot_de_passe)?.decrire()),
    )
}

/// Generate an EC key pair for envelopes (ECDH) on `courbe` (`"P-256"`, `"P-384"`,
/// `"P-521"` or `"X25519"`) with its certificate (key usage keyAgreement), valid from
/// `maintenant`. `parametres_json` as for `mpe_bicle_generer` (`bits` ignored).
/// `pem_sortie` receives the certificate then the PKCS#8 private key, encrypted (PBES2
/// AES-256-CBC) with `mot_de_passe` unless it is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_generer_ec(
    parametres_json: *const u8,
    parametres_longueur: usize,
    courbe: *const c_char,
    maintenant: mpe_instant,
    mot_de_passe: *const c_char,
    pem_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(pem_sortie, "pem_sortie"), || {
        let p: GenerationBiCle = json(parametres_json, parametres_longueur, "parametres")?;
        let c = self::courbe(courbe)?;
        let mdp = texte_facultatif(mot_de_passe, "mot_de_passe")?;
        let paire = bicle::generer_cle_ec(&p, c, instant(maintenant, "maintenant")?)?;
        let cert = paire
            .certificat_joint()
            .ok_or_else(|| Erreur::internal("certificat EC absent"))?;
        let mut pem = bicle::certificate_to_pem(cert)?;
        pem.push_str(&paire.exporter_pkcs8_pem(mdp)?);
        Ok(pem.into())
    })
}

/// Export a key pair as PEM: the certificate (and chain) then the PKCS#8 private key,
/// encrypted with `nouveau_mot_de_passe` (PBES2 AES-256-CBC) unless it is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_exporter_pem(
    bicle_octets: *const u8,
    bicle_longueur: usize,
    mot_de_passe: *const c_char,
    nouveau_mot_de_passe: *const c_char,
    pem_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(pem_sortie, "pem_sortie"), || {
        let b = bicle(bicle_octets, bicle_longueur, mot_de_passe)?;
        let mut pem = b.certificat_pem()?;
        pem.push_str(&bicle::export_pkcs8_pem(
            b.cle(),
            texte_facultatif(nouveau_mot_de_passe, "nouveau_mot_de_passe")?,
        )?);
        Ok(pem.into())
    })
}

/// Export a key pair as PKCS#12 (AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256) protected
/// by `nouveau_mot_de_passe`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_exporter_pkcs12(
    bicle_octets: *const u8,
    bicle_longueur: usize,
    mot_de_passe: *const c_char,
    nouveau_mot_de_passe: *const c_char,
    p12_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(p12_sortie, "p12_sortie"), || {
        let b = bicle(bicle_octets, bicle_longueur, mot_de_passe)?;
        Ok(
            b.exporter_pkcs12(texte(nouveau_mot_de_passe, "nouveau_mot_de_passe")?)?
                .into(),
        )
    })
}

/// The certificates (PEM) to encrypt a pli to: the keys `choisies_json` (a JSON array of
/// ids) of `registre_json` (a JSON array of `{"id", "nature": "personnelle"|"secours",
/// "certificat_pem"}`) plus every emergency key, each checked valid at `maintenant`. An
/// expired key gives `MPE_CLE_INUTILISABLE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_choisir_destinataires(
    registre_json: *const u8,
    registre_longueur: usize,
    choisies_json: *const u8,
    choisies_longueur: usize,
    maintenant: mpe_instant,
    certificats_pem_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(certificats_pem_sortie, "certificats_pem_sortie"),
        || {
            let registre: Vec<CleChiffrement> = json(registre_json, registre_longueur, "registre")?;
            let choisies: Vec<String> = json(choisies_json, choisies_longueur, "choisies")?;
            let ids: Vec<&str> = choisies.iter().map(String::as_str).collect();
            let certs = cle_chiffrement::destinataires(
                &registre,
                &ids,
                instant(maintenant, "maintenant")?,
            )?;
            let mut pem = String::new();
            for c in &certs {
                pem.push_str(&bicle::certificate_to_pem(c)?);
            }
            Ok(pem.into())
        },
    )
}

/// Encrypt a buffer to every certificate of `certificats_pem` (one or more). `options_json`
/// may be NULL/0 (AES-256-GCM, RSA-OAEP-SHA256) or e.g. `{"chiffrement": "AES-256-CBC",
/// "transport": "RSA-PKCS1-v1_5"}`. `cms_sortie` receives the DER CMS.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_chiffrer(
    clair: *const u8,
    clair_longueur: usize,
    certificats_pem: *const u8,
    certificats_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    cms_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(cms_sortie, "cms_sortie"), || {
        let certs = bicle::load_certificates(octets(
            certificats_pem,
            certificats_longueur,
            "certificats_pem",
        )?)?;
        let o = options(options_json, options_longueur)?;
        Ok(cms::encrypt(octets(clair, clair_longueur, "clair")?, &certs, &o)?.into())
    })
}

/// Encrypt the file `entree` into `sortie` (DER CMS), streaming in constant memory; the
/// output appears only once complete.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_chiffrer_fichier(
    entree: *const c_char,
    sortie: *const c_char,
    certificats_pem: *const u8,
    certificats_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
) -> mpe_statut {
    appeler((), || {
        let certs = bicle::load_certificates(octets(
            certificats_pem,
            certificats_longueur,
            "certificats_pem",
        )?)?;
        cms::encrypt_file(
            chemin(entree, "entree")?,
            chemin(sortie, "sortie")?,
            &certs,
            &options(options_json, options_longueur)?,
        )?;
        Ok(())
    })
}

/// Decrypt a CMS envelope (DER, BER or PEM) held in memory with a key pair. `clair_sortie`
/// is written only once the data is authenticated.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer(
    cms_octets: *const u8,
    cms_longueur: usize,
    bicle_octets: *const u8,
    bicle_longueur: usize,
    mot_de_passe: *const c_char,
    clair_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(clair_sortie, "clair_sortie"), || {
        let b = bicle(bicle_octets, bicle_longueur, mot_de_passe)?;
        Ok(cms::decrypt(octets(cms_octets, cms_longueur, "cms")?, &b)?.into())
    })
}

/// Decrypt a CMS envelope (DER, BER, PEM or S/MIME) held in memory with a private key
/// alone or with its certificate: PEM or DER PKCS#8 (encrypted with `mot_de_passe`),
/// PKCS#1, SEC1 EC, or a PKCS#12 (RSA, P-256/384/521, X25519). Without certificate the
/// recipient is matched from the key. `options_json` (NULL/0 allowed): `{"legacy": true}`
/// also opens Triple-DES, DES and RC2 (else `MPE_ALGORITHME_OBSOLETE`). `clair_sortie` is
/// written only once the data is authenticated; `rapport_sortie` (may be NULL) receives
/// what was found (`structure`, `chiffrement`, `acces`, `destinataire`...).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_cle(
    cms_octets: *const u8,
    cms_longueur: usize,
    cle_octets: *const u8,
    cle_longueur: usize,
    mot_de_passe: *const c_char,
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
            let k = cle(cle_octets, cle_longueur, mot_de_passe)?;
            let o = options_dechiffrement(options_json, options_longueur)?;
            let (clair, info) = cms::dechiffrer(
                octets(cms_octets, cms_longueur, "cms")?,
                &[Cle::Privee(&k)],
                &o,
            )?;
            Ok((clair.into(), json_texte(&info)?))
        },
    )
}

/// Decrypt the file `entree` into `sortie` in constant memory with a key as for
/// `mpe_cms_dechiffrer_cle`; the plaintext appears only once authenticated (no file on
/// error). `rapport_sortie` (may be NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_fichier_cle(
    entree: *const c_char,
    sortie: *const c_char,
    cle_octets: *const u8,
    cle_longueur: usize,
    mot_de_passe: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie_facultative(rapport_sortie, "rapport_sortie"),
        || {
            let k = cle(cle_octets, cle_longueur, mot_de_passe)?;
            let o = options_dechiffrement(options_json, options_longueur)?;
            json_texte(&cms::dechiffrer_fichier(
                chemin(entree, "entree")?,
                chemin(sortie, "sortie")?,
                &[Cle::Privee(&k)],
                &o,
            )?)
        },
    )
}

/// Decrypt a CMS envelope held in memory with a key-encryption key the host holds
/// (KEKRecipientInfo, AES key wrap RFC 3394; `openssl cms -encrypt -secretkey K
/// -secretkeyid ID`): `kek` is the key (16, 24 or 32 bytes), `kek_id` its identifier
/// (`KEKIdentifier.keyIdentifier`, the bytes of `-secretkeyid`). `options_json` (NULL/0
/// allowed) as for `mpe_cms_dechiffrer_cle`. A key or id that matches no recipient gives
/// `MPE_AUCUN_DESTINATAIRE`; `clair_sortie` is written only once the data is
/// authenticated; `rapport_sortie` (may be NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_kek(
    cms_octets: *const u8,
    cms_longueur: usize,
    kek: *const u8,
    kek_longueur: usize,
    kek_id: *const u8,
    kek_id_longueur: usize,
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
            let k = Cle::Kek {
                cle: octets(kek, kek_longueur, "kek")?,
                id: octets(kek_id, kek_id_longueur, "kek_id")?,
            };
            let o = options_dechiffrement(options_json, options_longueur)?;
            let (clair, info) =
                cms::dechiffrer(octets(cms_octets, cms_longueur, "cms")?, &[k], &o)?;
            Ok((clair.into(), json_texte(&info)?))
        },
    )
}

/// Decrypt the file `entree` into `sortie` in constant memory with a key-encryption key,
/// as `mpe_cms_dechiffrer_kek`; the plaintext appears only once authenticated.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_fichier_kek(
    entree: *const c_char,
    sortie: *const c_char,
    kek: *const u8,
    kek_longueur: usize,
    kek_id: *const u8,
    kek_id_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie_facultative(rapport_sortie, "rapport_sortie"),
        || {
            let k = Cle::Kek {
                cle: octets(kek, kek_longueur, "kek")?,
                id: octets(kek_id, kek_id_longueur, "kek_id")?,
            };
            let o = options_dechiffrement(options_json, options_longueur)?;
            json_texte(&cms::dechiffrer_fichier(
                chemin(entree, "entree")?,
                chemin(sortie, "sortie")?,
                &[k],
                &o,
            )?)
        },
    )
}

/// Decrypt a CMS envelope held in memory with a password (PasswordRecipientInfo, PBKDF2
/// and the RFC 3211 key wrap; `openssl cms -encrypt -pwri_password`). The password crosses
/// as bytes (`mot_de_passe`, `mot_de_passe_longueur`), used as they are. A wrong password
/// gives `MPE_MOT_DE_PASSE_INCORRECT`; `clair_sortie` is written only once the data is
/// authenticated; `rapport_sortie` (may be NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_mot_de_passe(
    cms_octets: *const u8,
    cms_longueur: usize,
    mot_de_passe: *const u8,
    mot_de_passe_longueur: usize,
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
            let k = Cle::MotDePasse(octets(mot_de_passe, mot_de_passe_longueur, "mot_de_passe")?);
            let o = options_dechiffrement(options_json, options_longueur)?;
            let (clair, info) =
                cms::dechiffrer(octets(cms_octets, cms_longueur, "cms")?, &[k], &o)?;
            Ok((clair.into(), json_texte(&info)?))
        },
    )
}

/// Decrypt the file `entree` into `sortie` in constant memory with a password, as
/// `mpe_cms_dechiffrer_mot_de_passe`; the plaintext appears only once authenticated.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_fichier_mot_de_passe(
    entree: *const c_char,
    sortie: *const c_char,
    mot_de_passe: *const u8,
    mot_de_passe_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie_facultative(rapport_sortie, "rapport_sortie"),
        || {
            let k = Cle::MotDePasse(octets(mot_de_passe, mot_de_passe_longueur, "mot_de_passe")?);
            let o = options_dechiffrement(options_json, options_longueur)?;
            json_texte(&cms::dechiffrer_fichier(
                chemin(entree, "entree")?,
                chemin(sortie, "sortie")?,
                &[k],
                &o,
            )?)
        },
    )
}

/// Make a TEST signing identity to try signing then verifying: a self-made test CA and a
/// signing certificate it issues (digitalSignature, nonRepudiation; both names say TEST,
/// no QC statement, so never « adapté pour les marchés publics »). `parametres_json`:
/// `{"sujet": "CN=Jeanne Essai,O=Exemple SA,C=FR", "jours_validite": 365}` (only `sujet`
/// required), valid from `maintenant`. `p12_sortie` receives the identity as PKCS#12
/// (AES-256, PBKDF2) protected by `mot_de_passe`, CA included; `autorite_pem_sortie` the
/// CA certificate, the anchor to give when verifying.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_identite_test_generer(
    parametres_json: *const u8,
    parametres_longueur: usize,
    maintenant: mpe_instant,
    mot_de_passe: *const c_char,
    p12_sortie: *mut mpe_octets,
    autorite_pem_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(p12_sortie, "p12_sortie"),
            octets_sortie(autorite_pem_sortie, "autorite_pem_sortie"),
        ),
        || {
            let p: identite_test::ParametresIdentiteTest =
                json(parametres_json, parametres_longueur, "parametres")?;
            let mdp = texte(mot_de_passe, "mot_de_passe")?;
            let id = identite_test::generer(&p, instant(maintenant, "maintenant")?)?;
            Ok((id.pkcs12(mdp)?.into(), id.autorite_pem()?.into()))
        },
    )
}

/// Decrypt the file `entree` into `sortie`, streaming in constant memory. The plaintext
/// appears only after the GCM tag verified: on error no output file exists.
/// `rapport_sortie` (may be NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_cms_dechiffrer_fichier(
    entree: *const c_char,
    sortie: *const c_char,
    bicle_octets: *const u8,
    bicle_longueur: usize,
    mot_de_passe: *const c_char,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie_facultative(rapport_sortie, "rapport_sortie"),
        || {
            let b = bicle(bicle_octets, bicle_longueur, mot_de_passe)?;
            let info = cms::decrypt_file(chemin(entree, "entree")?, chemin(sortie, "sortie")?, &b)?;
            json_texte(&info)
        },
    )
}

/// Build an envelope ZIP with its SHA-256 manifest from `fichiers_json`, a JSON array of
/// `["chemin/dans/l/archive", "/chemin/sur/disque"]` pairs. `manifeste_sortie` receives the
/// manifest.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_enveloppe_generer(
    fichiers_json: *const u8,
    fichiers_longueur: usize,
    sortie: *const c_char,
    manifeste_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(manifeste_sortie, "manifeste_sortie"), || {
        let f: Vec<(String, PathBuf)> = json(fichiers_json, fichiers_longueur, "fichiers")?;
        json_texte(&enveloppe::construire_fichier(
            &f,
            chemin(sortie, "sortie")?,
        )?)
    })
}

/// Safely extract an envelope ZIP into `dossier` (no path traversal, zip-bomb limits, every
/// file checked against the manifest); `manifeste_sortie` receives the manifest.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_enveloppe_extraire(
    zip: *const c_char,
    dossier: *const c_char,
    manifeste_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(manifeste_sortie, "manifeste_sortie"), || {
        json_texte(&enveloppe::extraire(
            chemin(zip, "zip")?,
            chemin(dossier, "dossier")?,
            &enveloppe::Limites::default(),
        )?)
    })
}

/// "Télécharger les plis chiffrés": copy the envelopes of `enveloppes_json` (a JSON array
/// of `{"consultation", "id", "chemin"}`) into `dossier` with an `index.json`, returned in
/// `index_sortie`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_ouverture_exporter(
    enveloppes_json: *const u8,
    enveloppes_longueur: usize,
    dossier: *const c_char,
    index_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(index_sortie, "index_sortie"), || {
        let l: Vec<ouverture::EnveloppeAExporter> =
            json(enveloppes_json, enveloppes_longueur, "enveloppes")?;
        json_texte(&ouverture::exporter(&l, chemin(dossier, "dossier")?)?)
    })
}

/// "Déchiffrement hors ligne": decrypt an export folder `dossier` with a key pair into
/// `dossier_sortie`, writing `rapport.json` there and returning it in `rapport_sortie`.
/// `progression` (may be NULL) receives each step as JSON (`{"etape":
/// "recuperation_fichiers", "nombre": 3}`, `{"etape": "recuperation_cle"}`, `{"etape":
/// "dechiffrement", "index": 1, "total": 3, "id": "..."}`, `{"etape": "termine", ...}`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_ouverture_dechiffrer_dossier(
    dossier: *const c_char,
    bicle_octets: *const u8,
    bicle_longueur: usize,
    mot_de_passe: *const c_char,
    dossier_sortie: *const c_char,
    progression: mpe_progression,
    utilisateur: *mut c_void,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let b = bicle(bicle_octets, bicle_longueur, mot_de_passe)?;
        let r = ouverture::dechiffrer_dossier(
            chemin(dossier, "dossier")?,
            &b,
            chemin(dossier_sortie, "dossier_sortie")?,
            &mut |etape| progresser(progression, utilisateur, etape),
        )?;
        json_texte(&r)
    })
}
