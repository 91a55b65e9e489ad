//! The only place of the C ABI that touches raw pointers.
//!
//! Every exported function goes through [`call`], which runs its body inside a panic
//! boundary, records the error message for `mpe_last_error`, and turns the result into an
//! `mpe_status`. Inputs are read with [`bytes_in`] and [`str_in`]; outputs are written with
//! [`write_out`] and [`bytes_out`] only once the body succeeded, so a failing call never
//! touches the caller's `*_out` parameters.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use mpe::{Error, ErrorCode};

/// A status: 0 on success, else a stable error code (`MPE_*` constants of `mpe.h`).
#[allow(non_camel_case_types)]
pub type mpe_status = u32;

/// Success.
pub(crate) const MPE_OK: mpe_status = 0;

/// A buffer allocated by mpe. Release it with `mpe_bytes_free`, exactly once.
///
/// `data` is NULL only when `len` is 0. Text outputs (JSON) are UTF-8 and additionally
/// followed by a NUL byte not counted in `len`, so they can be read as C strings.
#[repr(C)]
#[derive(Debug)]
#[allow(non_camel_case_types)]
pub struct mpe_bytes {
    /// Start of the buffer.
    pub data: *mut u8,
    /// Number of bytes (not counting the trailing NUL of text outputs).
    pub len: usize,
    /// Allocated capacity, for the library's use only.
    pub cap: usize,
}

impl mpe_bytes {
    fn empty() -> mpe_bytes {
        mpe_bytes {
            data: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }

    /// Hand a vector to C.
    pub fn from_vec(v: Vec<u8>) -> mpe_bytes {
        if v.is_empty() {
            return mpe_bytes::empty();
        }
        let mut v = std::mem::ManuallyDrop::new(v);
        mpe_bytes {
            data: v.as_mut_ptr(),
            len: v.len(),
            cap: v.capacity(),
        }
    }

    /// Hand a string to C, NUL-terminated after `len`.
    pub fn from_string(s: String) -> mpe_bytes {
        let mut v = s.into_bytes();
        let len = v.len();
        v.push(0);
        let mut b = mpe_bytes::from_vec(v);
        b.len = len;
        b
    }
}

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_last_error(e: &Error) {
    let text = format!("{} [{}]", e, e.code().name());
    // A message never contains NUL in practice; replace any to keep the string whole.
    let c = CString::new(text.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|l| *l.borrow_mut() = Some(c));
}

fn clear_last_error() {
    LAST_ERROR.with(|l| *l.borrow_mut() = None);
}

/// The message of the last failed call on this thread, or NULL. Valid until the next call
/// into mpe on the same thread.
pub fn last_error_ptr() -> *const c_char {
    LAST_ERROR.with(|l| match &*l.borrow() {
        Some(c) => c.as_ptr(),
        None => std::ptr::null(),
    })
}

/// Run `body` in a panic boundary; map its error to a status and the thread's message.
pub fn call(body: impl FnOnce() -> Result<(), Error>) -> mpe_status {
    clear_last_error();
    let outcome = catch_unwind(AssertUnwindSafe(body));
    let err = match outcome {
        Ok(Ok(())) => return MPE_OK,
        Ok(Err(e)) => e,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panique".into());
            Error::internal(format!("erreur interne de mpe : {what}"))
        }
    };
    set_last_error(&err);
    err.code().code()
}

/// Borrow `(ptr, len)` as a byte slice. NULL is accepted only with `len == 0`.
pub fn bytes_in<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Error::invalid_argument(format!("{what} : pointeur NULL")));
    }
    if len > isize::MAX as usize {
        return Err(Error::invalid_argument(format!(
            "{what} : longueur invalide"
        )));
    }
    // SAFETY: the caller guarantees `ptr` points to `len` readable bytes that stay valid and
    // unmodified for the duration of the call (documented on every function taking a buffer);
    // NULL and oversized lengths were rejected above.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrow a NUL-terminated UTF-8 string.
pub fn str_in<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{what} : pointeur NULL")));
    }
    // SAFETY: the caller guarantees a NUL-terminated string valid for the call; NULL was
    // rejected above.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str()
        .map_err(|_| Error::invalid_argument(format!("{what} : texte non UTF-8")))
}

/// Borrow an optional NUL-terminated UTF-8 string (NULL gives `None`).
#[allow(dead_code)] // used by the area modules as they land
pub fn opt_str_in<'a>(ptr: *const c_char, what: &str) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        Ok(None)
    } else {
        str_in(ptr, what).map(Some)
    }
}

/// Check that an output pointer is usable before doing any work.
pub fn check_out<T>(out: *mut T, what: &str) -> Result<(), Error> {
    if out.is_null() {
        return Err(Error::invalid_argument(format!(
            "{what} : pointeur de sortie NULL"
        )));
    }
    Ok(())
}

/// Write a value through an output pointer checked by [`check_out`].
pub fn write_out<T>(out: *mut T, value: T) {
    if out.is_null() {
        return;
    }
    // SAFETY: `out` is non-NULL and the caller guarantees it points to writable memory for a
    // `T` (documented on every `*_out` parameter).
    unsafe { out.write(value) }
}

/// Release a buffer made by [`mpe_bytes::from_vec`] / [`mpe_bytes::from_string`].
pub fn free_bytes(b: *mut mpe_bytes) {
    if b.is_null() {
        return;
    }
    // SAFETY: `b` is non-NULL and points to an `mpe_bytes` the caller got from mpe; we take
    // its fields and reset it so that a second free is harmless.
    let taken = unsafe { std::ptr::replace(b, mpe_bytes::empty()) };
    if taken.data.is_null() {
        return;
    }
    // SAFETY: data/cap come from a `Vec<u8>` leaked by `from_vec`. A length of 0 is always
    // valid (nothing to drop for `u8`); the vector only needs its capacity to deallocate.
    drop(unsafe { Vec::from_raw_parts(taken.data, 0, taken.cap) });
}

/// Serialize a value as JSON for C.
pub fn json_out<T: serde::Serialize>(value: &T) -> Result<mpe_bytes, Error> {
    let s = serde_json::to_string(value)
        .map_err(|e| Error::internal(format!("sérialisation JSON : {e}")))?;
    Ok(mpe_bytes::from_string(s))
}

/// Parse JSON given by C.
pub fn json_in<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            format!("{what} : JSON invalide : {e}"),
        )
    })
}

// ---------------------------------------------------------------------------------------
// Progress callbacks (added by the crypto area for the opening workflow; usable by any
// long-running function).

/// A progress callback: called on the caller's thread, during the call, with the caller's
/// `user_data` and one step as NUL-terminated UTF-8 JSON (valid only during the callback;
/// copy it to keep it). NULL means no callback.
#[allow(non_camel_case_types)]
pub type mpe_progress_cb =
    Option<unsafe extern "C" fn(user_data: *mut std::ffi::c_void, step_json: *const c_char)>;

/// Call a progress callback (if not NULL) with a value serialized as JSON.
pub fn progress<T: serde::Serialize>(
    cb: mpe_progress_cb,
    user_data: *mut std::ffi::c_void,
    value: &T,
) {
    let Some(f) = cb else { return };
    let Ok(json) = serde_json::to_string(value) else {
        return;
    };
    let Ok(c) = CString::new(json) else { return };
    // SAFETY: the caller of the mpe function passed `f` as a valid function of this type and
    // `user_data` as the pointer it expects; `c` outlives the call.
    unsafe { f(user_data, c.as_ptr()) }
}

// ---------------------------------------------------------------------------------------
// Opaque handles (added by the donnees area for the open store; generic, for any object a
// host keeps between calls). A handle is a `Box<T>` given to C as a raw pointer: made by
// `handle_new`, borrowed by `handle_ref` / `handle_mut` during a call, released once by
// `handle_free` (NULL is fine; a second release of the same pointer is undefined behaviour,
// as with `free`, and is documented so on every `*_fermer` / `*_free` function).

/// Give `value` to C as an opaque pointer (release it with [`handle_free`]).
pub fn handle_new<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Borrow the object behind a handle for the duration of a call (NULL is an error).
pub fn handle_ref<'a, T>(h: *const T, what: &str) -> Result<&'a T, Error> {
    if h.is_null() {
        return Err(Error::invalid_argument(format!("{what} : pointeur NULL")));
    }
    // SAFETY: a non-NULL handle was made by `handle_new::<T>` and not yet released (the
    // caller's contract, documented on each function taking it); mpe keeps no reference
    // past the call, and the caller does not use the handle from two threads at once.
    Ok(unsafe { &*h })
}

/// Borrow the object behind a handle mutably for the duration of a call (NULL is an error).
pub fn handle_mut<'a, T>(h: *mut T, what: &str) -> Result<&'a mut T, Error> {
    if h.is_null() {
        return Err(Error::invalid_argument(format!("{what} : pointeur NULL")));
    }
    // SAFETY: as in `handle_ref`; in addition the caller does not use the handle elsewhere
    // during the call, so this is the only reference.
    Ok(unsafe { &mut *h })
}

/// Release a handle made by [`handle_new`]. NULL is fine.
pub fn handle_free<T>(h: *mut T) {
    if h.is_null() {
        return;
    }
    // SAFETY: a non-NULL handle was made by `handle_new::<T>` (`Box::into_raw`) and is
    // released once (the caller's contract): it is turned back into its box and dropped.
    drop(unsafe { Box::from_raw(h) });
}
