//! C functions of the crypto area: key pairs ("bi-clés"), CMS encryption and decryption
//! (buffers and path-to-path streaming), envelope ZIP, opening workflow.
//!
//! A key pair crosses the boundary as bytes: either a PKCS#12 file or a PEM text holding
//! the certificate and the private key, with an optional password (NULL for none).
//! Options, reports and lists cross as JSON (the same as the Python module).

use std::ffi::{c_char, c_void};
use std::path::Path;

use mpe::Error;
use mpe::crypto::cles::{self, CleChiffrement};
use mpe::crypto::cms::{self, OptionsChiffrement};
use mpe::crypto::keys::{self, BiCle, GenerationBiCle};
use mpe::crypto::{enveloppe, ouverture};

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_progress_cb, mpe_status,
    opt_str_in, progress, str_in, write_out,
};

fn bicle_in(ptr: *const u8, len: usize, password: *const c_char) -> Result<BiCle, Error> {
    let data = bytes_in(ptr, len, "bicle")?;
    BiCle::load(data, opt_str_in(password, "password")?)
}

fn options_in(options_json: *const c_char) -> Result<OptionsChiffrement, Error> {
    match opt_str_in(options_json, "options_json")? {
        None => Ok(OptionsChiffrement::default()),
        Some(s) => json_in(s.as_bytes(), "options_json"),
    }
}

/// Generate an RSA key pair and its self-signed encryption certificate, returned as a
/// PKCS#12 protected by `password`.
///
/// `params_json`: `{"titulaire": "Jean DUPONT", "bits": 2048, "jours_validite": 1095,
/// "nom_complet": null, "organisation": null}` (only `titulaire` required); `now`: RFC 3339
/// start of validity. On success `*p12_out` receives the file (release with
/// `mpe_bytes_free`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_generate(
    params_json: *const c_char,
    now: *const c_char,
    password: *const c_char,
    p12_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(p12_out, "p12_out")?;
        let params: GenerationBiCle = json_in(
            str_in(params_json, "params_json")?.as_bytes(),
            "params_json",
        )?;
        let b = BiCle::generate(&params, mpe::crypto::instant(str_in(now, "now")?)?)?;
        let p12 = b.to_pkcs12(str_in(password, "password")?)?;
        write_out(p12_out, mpe_bytes::from_vec(p12));
        Ok(())
    })
}

/// Read a key pair (PKCS#12, or PEM certificate + key) and describe it as JSON
/// (`nom`, `sujet`, `emetteur`, `numero_serie`, `validite`, `empreinte_sha256`, `bits`).
/// A wrong password gives `MPE_MOT_DE_PASSE_INCORRECT`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_info(
    data: *const u8,
    len: usize,
    password: *const c_char,
    info_json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(info_json_out, "info_json_out")?;
        let b = bicle_in(data, len, password)?;
        write_out(info_json_out, json_out(&b.info())?);
        Ok(())
    })
}

/// Export a key pair as PEM: the certificate (and chain) then the PKCS#8 private key,
/// encrypted with `new_password` (PBES2 AES-256-CBC) unless it is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_export_pem(
    data: *const u8,
    len: usize,
    password: *const c_char,
    new_password: *const c_char,
    pem_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(pem_out, "pem_out")?;
        let b = bicle_in(data, len, password)?;
        let mut pem = b.certificate_pem()?;
        pem.push_str(&keys::export_pkcs8_pem(
            b.key(),
            opt_str_in(new_password, "new_password")?,
        )?);
        write_out(pem_out, mpe_bytes::from_string(pem));
        Ok(())
    })
}

/// Export a key pair as PKCS#12 (AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256) protected
/// by `new_password`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bicle_export_pkcs12(
    data: *const u8,
    len: usize,
    password: *const c_char,
    new_password: *const c_char,
    p12_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(p12_out, "p12_out")?;
        let b = bicle_in(data, len, password)?;
        write_out(
            p12_out,
            mpe_bytes::from_vec(b.to_pkcs12(str_in(new_password, "new_password")?)?),
        );
        Ok(())
    })
}

/// The certificates (PEM) to encrypt a pli to: the keys `chosen_json` (a JSON array of ids)
/// of `registry_json` (a JSON array of `{"id", "nature": "personnelle"|"secours",
/// "certificat_pem"}`) plus every emergency key, each checked valid at `now` (RFC 3339).
/// An expired key gives `MPE_CLE_INUTILISABLE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_crypto_recipients(
    registry_json: *const c_char,
    chosen_json: *const c_char,
    now: *const c_char,
    certs_pem_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(certs_pem_out, "certs_pem_out")?;
        let registre: Vec<CleChiffrement> = json_in(
            str_in(registry_json, "registry_json")?.as_bytes(),
            "registry_json",
        )?;
        let chosen: Vec<String> = json_in(
            str_in(chosen_json, "chosen_json")?.as_bytes(),
            "chosen_json",
        )?;
        let ids: Vec<&str> = chosen.iter().map(String::as_str).collect();
        let certs =
            cles::destinataires(&registre, &ids, mpe::crypto::instant(str_in(now, "now")?)?)?;
        let mut pem = String::new();
        for c in &certs {
            pem.push_str(&keys::certificate_to_pem(c)?);
        }
        write_out(certs_pem_out, mpe_bytes::from_string(pem));
        Ok(())
    })
}

/// Encrypt a buffer to every certificate of `certs_pem` (PEM, one or more). `options_json`
/// may be NULL (AES-256-GCM, RSA-OAEP-SHA256) or e.g. `{"chiffrement": "AES-256-CBC",
/// "transport": "RSA-PKCS1-v1_5"}`. `*cms_out` receives the DER CMS.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_crypto_encrypt(
    data: *const u8,
    len: usize,
    certs_pem: *const u8,
    certs_len: usize,
    options_json: *const c_char,
    cms_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(cms_out, "cms_out")?;
        let certs = keys::load_certificates(bytes_in(certs_pem, certs_len, "certs_pem")?)?;
        let env = cms::encrypt(
            bytes_in(data, len, "data")?,
            &certs,
            &options_in(options_json)?,
        )?;
        write_out(cms_out, mpe_bytes::from_vec(env));
        Ok(())
    })
}

/// Encrypt the file `input_path` into `output_path` (DER CMS), streaming in constant
/// memory; the output appears only once complete.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_crypto_encrypt_file(
    input_path: *const c_char,
    output_path: *const c_char,
    certs_pem: *const u8,
    certs_len: usize,
    options_json: *const c_char,
) -> mpe_status {
    call(|| {
        let certs = keys::load_certificates(bytes_in(certs_pem, certs_len, "certs_pem")?)?;
        cms::encrypt_file(
            Path::new(str_in(input_path, "input_path")?),
            Path::new(str_in(output_path, "output_path")?),
            &certs,
            &options_in(options_json)?,
        )?;
        Ok(())
    })
}

/// Decrypt a CMS envelope (DER, BER or PEM) held in memory with a key pair. `*plain_out`
/// is written only once the data is authenticated.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_crypto_decrypt(
    data: *const u8,
    len: usize,
    bicle: *const u8,
    bicle_len: usize,
    password: *const c_char,
    plain_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(plain_out, "plain_out")?;
        let b = bicle_in(bicle, bicle_len, password)?;
        let plain = cms::decrypt(bytes_in(data, len, "data")?, &b)?;
        write_out(plain_out, mpe_bytes::from_vec(plain));
        Ok(())
    })
}

/// Decrypt the file `input_path` into `output_path`, streaming in constant memory. The
/// plaintext goes to a temporary file renamed only after the GCM tag verified: on error no
/// output file exists. `*info_json_out` (may be NULL) receives what was found.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_crypto_decrypt_file(
    input_path: *const c_char,
    output_path: *const c_char,
    bicle: *const u8,
    bicle_len: usize,
    password: *const c_char,
    info_json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        let b = bicle_in(bicle, bicle_len, password)?;
        let info = cms::decrypt_file(
            Path::new(str_in(input_path, "input_path")?),
            Path::new(str_in(output_path, "output_path")?),
            &b,
        )?;
        if !info_json_out.is_null() {
            write_out(info_json_out, json_out(&info)?);
        }
        Ok(())
    })
}

/// Build an envelope ZIP with its SHA-256 manifest from `files_json`, a JSON array of
/// `["path/in/archive", "/path/on/disk"]` pairs. `*manifest_json_out` receives the manifest.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_enveloppe_build(
    files_json: *const c_char,
    output_path: *const c_char,
    manifest_json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(manifest_json_out, "manifest_json_out")?;
        let files: Vec<(String, std::path::PathBuf)> =
            json_in(str_in(files_json, "files_json")?.as_bytes(), "files_json")?;
        let m =
            enveloppe::construire_fichier(&files, Path::new(str_in(output_path, "output_path")?))?;
        write_out(manifest_json_out, json_out(&m)?);
        Ok(())
    })
}

/// Safely extract an envelope ZIP into `dir` (no path traversal, zip-bomb limits, every file
/// checked against the manifest); `*manifest_json_out` receives the manifest.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_enveloppe_extract(
    zip_path: *const c_char,
    dir: *const c_char,
    manifest_json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(manifest_json_out, "manifest_json_out")?;
        let m = enveloppe::extraire(
            Path::new(str_in(zip_path, "zip_path")?),
            Path::new(str_in(dir, "dir")?),
            &enveloppe::Limites::default(),
        )?;
        write_out(manifest_json_out, json_out(&m)?);
        Ok(())
    })
}

/// "Télécharger les plis chiffrés": copy the envelopes of `envelopes_json` (a JSON array of
/// `{"consultation", "id", "chemin"}`) into `dir` with an `index.json`, returned in
/// `*index_json_out`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_ouverture_export(
    envelopes_json: *const c_char,
    dir: *const c_char,
    index_json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(index_json_out, "index_json_out")?;
        let list: Vec<ouverture::EnveloppeAExporter> = json_in(
            str_in(envelopes_json, "envelopes_json")?.as_bytes(),
            "envelopes_json",
        )?;
        let index = ouverture::exporter(&list, Path::new(str_in(dir, "dir")?))?;
        write_out(index_json_out, json_out(&index)?);
        Ok(())
    })
}

/// "Déchiffrement hors ligne": decrypt an export folder `dir` with a key pair into
/// `output_dir`, writing `rapport.json` there and returning it in `*report_json_out`.
/// `progress_cb` (may be NULL) receives each step as JSON (`{"etape":
/// "recuperation_fichiers", "nombre": 3}`, `{"etape": "recuperation_cle"}`, `{"etape":
/// "dechiffrement", "index": 1, "total": 3, "id": "..."}`, `{"etape": "termine", ...}`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_ouverture_decrypt_folder(
    dir: *const c_char,
    bicle: *const u8,
    bicle_len: usize,
    password: *const c_char,
    output_dir: *const c_char,
    progress_cb: mpe_progress_cb,
    user_data: *mut c_void,
    report_json_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(report_json_out, "report_json_out")?;
        let b = bicle_in(bicle, bicle_len, password)?;
        let r = ouverture::dechiffrer_dossier(
            Path::new(str_in(dir, "dir")?),
            &b,
            Path::new(str_in(output_dir, "output_dir")?),
            &mut |step| progress(progress_cb, user_data, step),
        )?;
        write_out(report_json_out, json_out(&r)?);
        Ok(())
    })
}
