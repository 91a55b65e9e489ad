//! The C ABI of mpe (`libmpe`), for PHP FFI, Java JNA and C programs.
//!
//! Conventions (after rustls-ffi):
//! - functions are `mpe_<object>_<verb>`; fallible ones return an `mpe_status` (0 = ok, else
//!   a stable code, the `MPE_*` constants of `mpe.h`) and write their results into trailing
//!   `*_out` parameters only on success; `mpe_last_error()` gives the thread's last message;
//! - inputs are `(const uint8_t *, size_t)` buffers or NUL-terminated UTF-8 strings, which
//!   must stay valid for the duration of the call; mpe never keeps them;
//! - variable outputs are `mpe_bytes` that the caller releases with `mpe_bytes_free`;
//! - domain values cross as JSON (the same JSON as the Python module); big files as paths;
//! - every body runs inside a panic boundary: a bug in mpe is a status, never an abort.
//!
//! Only `boundary` contains `unsafe`.

mod boundary;
mod consultation;
mod contrats;
mod crypto;
mod documents;
mod donnees;
mod messagerie;
mod procedure;
mod signature;

use std::ffi::c_char;

use boundary::MPE_OK;
use boundary::{call, check_out, write_out};
pub use boundary::{mpe_bytes, mpe_status};

/// The library version, a static NUL-terminated string (never free it).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The message of the last call that failed on this thread, or NULL if it succeeded.
/// The pointer stays valid until the next mpe call on the same thread; do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_last_error() -> *const c_char {
    boundary::last_error_ptr()
}

/// Release a buffer returned by mpe and reset it to empty. NULL, or an already released
/// (empty) buffer, is fine.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_bytes_free(bytes: *mut mpe_bytes) {
    boundary::free_bytes(bytes)
}

/// The stable name of a status code (e.g. `"HORS_DELAI"` for 303), a static string, or NULL
/// for an unknown code. `MPE_OK` gives `"OK"`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_status_name(status: mpe_status) -> *const c_char {
    if status == MPE_OK {
        return c"OK".as_ptr();
    }
    match mpe::ErrorCode::from_code(status) {
        Some(code) => status_names::name_ptr(code),
        None => std::ptr::null(),
    }
}

mod status_names {
    //! NUL-terminated copies of the code names, built once.
    use std::ffi::{CString, c_char};
    use std::sync::OnceLock;

    pub(crate) fn name_ptr(code: mpe::ErrorCode) -> *const c_char {
        static NAMES: OnceLock<Vec<(mpe::ErrorCode, CString)>> = OnceLock::new();
        let names = NAMES.get_or_init(|| {
            mpe::ErrorCode::ALL
                .iter()
                .map(|c| (*c, CString::new(c.name()).unwrap_or_default()))
                .collect()
        });
        names
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(std::ptr::null(), |(_, s)| s.as_ptr())
    }
}

/// Internal check used by the C tests: a panic inside a call becomes `MPE_INTERNAL`.
#[doc(hidden)]
#[unsafe(no_mangle)]
pub extern "C" fn mpe_test_panic(out: *mut u32) -> mpe_status {
    call(|| {
        check_out(out, "out")?;
        let v: Vec<u32> = Vec::new();
        #[allow(clippy::indexing_slicing)]
        write_out(out, v[std::hint::black_box(1)]);
        Ok(())
    })
}
