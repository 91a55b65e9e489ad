//! C ABI of `mpe::signature`: sign (buffers and paths), verify (JSON report), the two-step
//! "bytes to sign / assemble" flow for smartcards, HSMs and remote services, and B-T
//! timestamps. Options cross as JSON, as in Python:
//!
//! - signing options: `{"date": "2026-11-28T10:00:00Z", "nom_fichier": "offre.pdf",
//!   "type_mime": null, "algorithme_empreinte": "SHA-256", "schema": "RSA_PKCS1V15",
//!   "pades": {"apparence": {"page": 1, "rect": [50, 50, 250, 110], "texte": null},
//!   "raison": null, "lieu": null, "reserve": null}}` — only `date` is required;
//! - verification options: `{"ancres_pem": "...", "intermediaires_pem": null,
//!   "crls_pem": null, "date_verification": "2026-11-28T12:00:00Z"}`.

use std::ffi::c_char;
use std::path::Path;

use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification,
    OptionsVerificationJson, Signer,
};
use mpe::{Error, ErrorCode};

use crate::boundary::{
    bytes_in, call, check_out, json_in, json_out, mpe_bytes, mpe_status, opt_str_in, str_in,
    write_out,
};

fn format_in(format: *const c_char) -> Result<FormatSignature, Error> {
    str_in(format, "format")?.parse()
}

fn sign_options(json: *const c_char) -> Result<OptionsSignature, Error> {
    json_in(str_in(json, "options")?.as_bytes(), "options de signature")
}

fn verify_options(json: *const c_char) -> Result<OptionsVerification, Error> {
    match opt_str_in(json, "options")? {
        None => Ok(OptionsVerification::default()),
        Some(j) => {
            json_in::<OptionsVerificationJson>(j.as_bytes(), "options de vérification")?.try_into()
        }
    }
}

fn signer_in(key: &[u8], certs: &[u8]) -> Result<Signer, Error> {
    let text = |b: &[u8], what: &str| {
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| Error::new(ErrorCode::CleInvalide, format!("{what} : PEM non UTF-8")))
    };
    Signer::from_pem(&text(key, "clé")?, &text(certs, "certificats")?)
}

/// Sign `data` in memory with a PEM private key (PKCS#8 or PKCS#1 RSA) and PEM
/// certificates (signer first, then its chain). `format` is `"cades"`, `"xades"` or
/// `"pades"` (then `data` is the PDF); `options_json` the signing options (its `date` is
/// required: mpe reads no clock).
///
/// On success `*out` receives the `.p7s`, the XML jeton or the signed PDF; release it with
/// `mpe_bytes_free`. All input buffers are borrowed for the call only.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_sign(
    format: *const c_char,
    key_pem: *const u8,
    key_len: usize,
    certs_pem: *const u8,
    certs_len: usize,
    data: *const u8,
    data_len: usize,
    options_json: *const c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let format = format_in(format)?;
        let signer = signer_in(
            bytes_in(key_pem, key_len, "key_pem")?,
            bytes_in(certs_pem, certs_len, "certs_pem")?,
        )?;
        let data = bytes_in(data, data_len, "data")?;
        let opts = sign_options(options_json)?;
        let signed = signature::signer(format, DonneesSignees::Octets(data), &signer, &opts)?;
        write_out(out, mpe_bytes::from_vec(signed));
        Ok(())
    })
}

/// Sign the file at `path` (streamed for CAdES/XAdES) and write the result to `out_path`
/// (written to a temporary file and renamed: nothing is left on error). The XAdES reference
/// uses the file's name unless `nom_fichier` is set in the options.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_sign_file(
    format: *const c_char,
    key_pem: *const u8,
    key_len: usize,
    certs_pem: *const u8,
    certs_len: usize,
    path: *const c_char,
    out_path: *const c_char,
    options_json: *const c_char,
) -> mpe_status {
    call(|| {
        let format = format_in(format)?;
        let signer = signer_in(
            bytes_in(key_pem, key_len, "key_pem")?,
            bytes_in(certs_pem, certs_len, "certs_pem")?,
        )?;
        let path = str_in(path, "path")?;
        let out_path = str_in(out_path, "out_path")?;
        let opts = sign_options(options_json)?;
        signature::signer_fichier(format, Path::new(path), Path::new(out_path), &signer, &opts)
    })
}

/// Verify a signature of any format (detected). `data`/`data_len` is the signed file of a
/// detached CAdES/XAdES signature (NULL/0 for a PDF). `options_json` (NULL allowed) gives
/// trust anchors, CRLs and the validation date. `*out` receives the JSON report (text,
/// NUL-terminated); release it with `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_verify(
    sig: *const u8,
    sig_len: usize,
    data: *const u8,
    data_len: usize,
    options_json: *const c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let sig = bytes_in(sig, sig_len, "sig")?;
        let detached = if data.is_null() {
            None
        } else {
            Some(DonneesSignees::Octets(bytes_in(data, data_len, "data")?))
        };
        let opts = verify_options(options_json)?;
        let report = signature::verifier(sig, detached, &opts)?;
        write_out(out, json_out(&report)?);
        Ok(())
    })
}

/// Verify the signature file at `sig_path`; `data_path` (NULL for a PDF) is the detached
/// signed file, hashed in streaming. `*out` receives the JSON report.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_verify_file(
    sig_path: *const c_char,
    data_path: *const c_char,
    options_json: *const c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let sig_path = str_in(sig_path, "sig_path")?;
        let data_path = opt_str_in(data_path, "data_path")?;
        let opts = verify_options(options_json)?;
        let report =
            signature::verifier_fichier(Path::new(sig_path), data_path.map(Path::new), &opts)?;
        write_out(out, json_out(&report)?);
        Ok(())
    })
}

/// First step of an external signature: only the PEM certificates are needed (the key
/// stays in the smartcard/HSM). `*out` receives the prepared signature as JSON; its
/// `empreinte` (base64) is the digest to sign with `algorithme_empreinte` and `schema`.
/// Keep the JSON and pass it to `mpe_signature_assemble`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_prepare(
    format: *const c_char,
    certs_pem: *const u8,
    certs_len: usize,
    data: *const u8,
    data_len: usize,
    options_json: *const c_char,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let format = format_in(format)?;
        let certs = std::str::from_utf8(bytes_in(certs_pem, certs_len, "certs_pem")?)
            .map_err(|_| Error::new(ErrorCode::CleInvalide, "certificats : PEM non UTF-8"))?;
        let signer = Signer::externe(Signer::certificats_pem(certs)?)?;
        let data = bytes_in(data, data_len, "data")?;
        let opts = sign_options(options_json)?;
        let prepared = signature::preparer(format, DonneesSignees::Octets(data), &signer, &opts)?;
        write_out(out, json_out(&prepared)?);
        Ok(())
    })
}

/// Second step: assemble with the signature value the device returned (raw RSA signature
/// bytes). The value is checked against the certificate first (`MPE_SIGNATURE_INVALIDE`
/// otherwise, and no output). `*out` receives the signed output.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_assemble(
    prepared_json: *const c_char,
    value: *const u8,
    value_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let prepared: signature::SignaturePreparee = json_in(
            str_in(prepared_json, "prepared_json")?.as_bytes(),
            "signature préparée",
        )?;
        let signed = prepared.assembler(bytes_in(value, value_len, "value")?)?;
        write_out(out, mpe_bytes::from_vec(signed));
        Ok(())
    })
}

/// The RFC 3161 request (DER, SHA-256 imprint) for a signature timestamp over a signed
/// output (p7s, XML jeton or signed PDF). The host sends it to its TSA (`nonce` 0: none).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_timestamp_request(
    signed_data: *const u8,
    signed_data_len: usize,
    nonce: u64,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let signed = bytes_in(signed_data, signed_data_len, "signed_data")?;
        let req = signature::requete_horodatage(
            signed,
            signature::AlgorithmeEmpreinte::Sha256,
            (nonce != 0).then_some(nonce),
        )?;
        write_out(out, mpe_bytes::from_vec(req));
        Ok(())
    })
}

/// Embed the TSA's token (or whole TimeStampResp): B-B becomes B-T. `*out` receives the
/// new signed output.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_add_timestamp(
    signed_data: *const u8,
    signed_data_len: usize,
    token: *const u8,
    token_len: usize,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let signed = bytes_in(signed_data, signed_data_len, "signed_data")?;
        let token = bytes_in(token, token_len, "token")?;
        write_out(
            out,
            mpe_bytes::from_vec(signature::ajouter_horodatage(signed, token)?),
        );
        Ok(())
    })
}

/// The output name of the reference platform for the `n`-th signature of `file` made at
/// `date` (RFC 3339): `<file> - AAAAMMJJHHMMSS - Signature N.xml` (XAdES), `<name> - ... .pdf`
/// (PAdES), `.p7s` (CAdES), the time in Europe/Paris. `*out` receives the text.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_output_name(
    file: *const c_char,
    format: *const c_char,
    date: *const c_char,
    n: u32,
    out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let file = str_in(file, "file")?;
        let format = format_in(format)?;
        let date = crate::consultation::instant_in(date, "date")?;
        let name = signature::nom_fichier_signe(file, format, date, n);
        write_out(out, mpe_bytes::from_string(name));
        Ok(())
    })
}
