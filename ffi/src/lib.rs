//! The C ABI of mpe (`libmpe`), for PHP FFI, Java JNA and C programs.
//!
//! The rules (thread safety, ownership, encoding, names) are written once, in the preamble
//! of `include/mpe.h` (see `build.rs`), and the names follow `docs/glossaire.md`:
//! `mpe_<objet>_<verbe>`, outputs in trailing `*_sortie` parameters written only on
//! success, buffers in `mpe_octets` released by `mpe_octets_liberer`.
//!
//! Only `frontiere` contains `unsafe`; every function goes through its `appeler` shell.

mod confiance;
mod consultation;
mod contrat;
mod crypto;
mod documents;
mod donnees;
mod frontiere;
mod jeton;
mod messagerie;
mod plis;
mod procedure;
mod publication;
mod signature;

use std::ffi::c_char;

use frontiere::{MPE_OK, appeler, sortie};
pub use frontiere::{
    mpe_date, mpe_enregistrement, mpe_instant, mpe_lecture_enveloppe, mpe_octets, mpe_progression,
    mpe_rappels_ouverture, mpe_statut,
};

/// The library version, a static NUL-terminated string (never free it).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The message of the last call that failed on this thread, or NULL if it succeeded.
/// The pointer stays valid until the next mpe call on the same thread; do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_derniere_erreur() -> *const c_char {
    frontiere::derniere_erreur_ptr()
}

/// Release a buffer returned by mpe and reset it to empty. NULL, or an already released
/// (empty) buffer, is fine.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_octets_liberer(octets: *mut mpe_octets) {
    frontiere::liberer_octets(octets)
}

/// The stable name of a status (e.g. `"HORS_DELAI"` for 303), a static string, or NULL
/// for an unknown code. `MPE_OK` gives `"OK"`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_statut_nom(statut: mpe_statut) -> *const c_char {
    if statut == MPE_OK {
        return c"OK".as_ptr();
    }
    match mpe::CodeErreur::from_code(statut) {
        Some(code) => noms_statuts::nom_ptr(code),
        None => std::ptr::null(),
    }
}

mod noms_statuts {
    //! NUL-terminated copies of the code names, built once.
    use std::ffi::{CString, c_char};
    use std::sync::OnceLock;

    pub(crate) fn nom_ptr(code: mpe::CodeErreur) -> *const c_char {
        static NOMS: OnceLock<Vec<(mpe::CodeErreur, CString)>> = OnceLock::new();
        let noms = NOMS.get_or_init(|| {
            mpe::CodeErreur::ALL
                .iter()
                .map(|c| (*c, CString::new(c.name()).unwrap_or_default()))
                .collect()
        });
        noms.iter()
            .find(|(c, _)| *c == code)
            .map_or(std::ptr::null(), |(_, s)| s.as_ptr())
    }
}

/// Test helper, not in `mpe.h` (declared by `tests/c/mpe_test.h`): a panic inside a call
/// must become `MPE_INTERNE`, never an abort of the host.
#[doc(hidden)]
#[unsafe(no_mangle)]
pub extern "C" fn mpe_test_panique(sortie_: *mut u32) -> mpe_statut {
    appeler(sortie(sortie_, "sortie"), || {
        let v: Vec<u32> = Vec::new();
        #[allow(clippy::indexing_slicing)]
        Ok(v[std::hint::black_box(1)])
    })
}
