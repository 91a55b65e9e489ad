//! Chiffrement des plis : bi-clés, enveloppes CMS, archive de l'enveloppe, ouverture.
//!
//! - [`bicle`]: key pairs ("bi-clés") and certificates — load PEM/DER/PKCS#8/PKCS#12,
//!   generate, export; also used by the signature area to load signing keys;
//! - [`cms`]: streaming CMS encryption (AuthEnvelopedData AES-256-GCM, EnvelopedData
//!   AES-256-CBC; RSA-OAEP or PKCS#1 v1.5) and decryption (DER, BER, PEM);
//! - [`cle_chiffrement`]: personal and emergency encryption keys, and the recipients of a pli;
//! - [`enveloppe`]: the ZIP of a company's files with its SHA-256 manifest;
//! - [`ouverture`]: opening the envelopes of a consultation with progress, export of the
//!   encrypted plis to a folder and offline decryption of such a folder;
//! - [`pkcs11`] and [`jeton`]: keys on tokens and smart cards (a session, or one call with
//!   a token reference and a PIN);
//! - [`identite_test`]: a test signing identity (test CA + signing certificate) for trying
//!   sign then verify.

mod ber;
pub mod bicle;
pub mod cle_chiffrement;
pub mod cms;
mod contenu;
pub mod dechiffreur;
mod destinataires;
mod emballage;
pub mod enveloppe;
pub mod identite_test;
#[cfg(feature = "pkcs11")]
pub mod jeton;
pub mod ouverture;
mod pem;
mod pipeline;
#[cfg(feature = "pkcs11")]
pub mod pkcs11;
mod pkcs12;
mod stream_cipher;

/// Parse an RFC 3339 instant given by a binding (C, Python) as the "now" of an operation.
pub fn instant(s: &str) -> crate::Result<chrono::DateTime<chrono::Utc>> {
    crate::rules::temps::instant_rfc3339(s)
}
