//! The only place of the C ABI that touches raw pointers: the one binding layer.
//!
//! Every exported function is written as
//!
//! ```ignore
//! appeler((octets_sortie(x_sortie, "x_sortie"), ...), || {
//!     let v: T = json(x, x_longueur, "x")?;   // typed inputs
//!     Ok((json_texte(&resultat)?, ...))        // typed outputs
//! })
//! ```
//!
//! [`appeler`] checks every output pointer before any work, runs the body inside a panic
//! boundary, records the error message for `mpe_derniere_erreur`, and writes the outputs
//! only once the body succeeded: a failing call never touches the caller's `*_sortie`
//! parameters and never leaks a buffer. Inputs have one reader per type: [`octets`] and
//! [`json`] (pointer + length, NULL only with length 0), [`texte`] (short UTF-8 text),
//! [`chemin`] (a file name as bytes: any Linux name works), [`instant`] (`mpe_instant`,
//! RFC 3339) and [`date`] (`mpe_date`, `AAAA-MM-JJ`).

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use mpe::{CodeErreur, Erreur};

/// A status: 0 (`MPE_OK`) on success, else a stable error code (`MPE_*` constants).
#[allow(non_camel_case_types)]
pub type mpe_statut = u32;

/// An instant: NUL-terminated RFC 3339 text with its offset, e.g. `"2026-11-02T09:00:00Z"`.
/// The one time type of the C ABI (mpe never reads the clock: "now" is always given).
#[allow(non_camel_case_types)]
pub type mpe_instant = *const c_char;

/// A calendar date: NUL-terminated `AAAA-MM-JJ` text, e.g. `"2026-11-02"`. The one date type.
#[allow(non_camel_case_types)]
pub type mpe_date = *const c_char;

/// Success.
pub(crate) const MPE_OK: mpe_statut = 0;

/// A buffer allocated by mpe. Release it with `mpe_octets_liberer`, exactly once.
///
/// `donnees` is NULL only when `longueur` is 0. Text outputs (JSON, names) are UTF-8 and
/// followed by a NUL byte not counted in `longueur`, so they can be read as C strings.
#[repr(C)]
#[derive(Debug)]
#[allow(non_camel_case_types)]
pub struct mpe_octets {
    /// Start of the buffer.
    pub donnees: *mut u8,
    /// Number of bytes (not counting the trailing NUL of text outputs).
    pub longueur: usize,
    /// Allocated capacity, for the library's use only.
    pub capacite: usize,
}

impl mpe_octets {
    fn vide() -> mpe_octets {
        mpe_octets {
            donnees: std::ptr::null_mut(),
            longueur: 0,
            capacite: 0,
        }
    }

    fn depuis_vec(v: Vec<u8>) -> mpe_octets {
        if v.is_empty() {
            return mpe_octets::vide();
        }
        let mut v = std::mem::ManuallyDrop::new(v);
        mpe_octets {
            donnees: v.as_mut_ptr(),
            longueur: v.len(),
            capacite: v.capacity(),
        }
    }
}

/// What a body gives for an `mpe_octets` output: owned until [`appeler`] hands it to C,
/// so an error after it was made frees it like any Rust value.
pub(crate) enum Contenu {
    /// Binary data (CMS, DOCX, PDF ...).
    Binaire(Vec<u8>),
    /// UTF-8 text, handed over with a trailing NUL.
    Texte(String),
}

impl From<Vec<u8>> for Contenu {
    fn from(v: Vec<u8>) -> Contenu {
        Contenu::Binaire(v)
    }
}

impl From<String> for Contenu {
    fn from(s: String) -> Contenu {
        Contenu::Texte(s)
    }
}

impl Contenu {
    fn vers_c(self) -> mpe_octets {
        match self {
            Contenu::Binaire(v) => mpe_octets::depuis_vec(v),
            Contenu::Texte(s) => {
                let mut v = s.into_bytes();
                let longueur = v.len();
                v.push(0);
                let mut b = mpe_octets::depuis_vec(v);
                b.longueur = longueur;
                b
            }
        }
    }
}

/// Serialize a value as JSON text for an output.
pub(crate) fn json_texte<T: serde::Serialize + ?Sized>(valeur: &T) -> Result<Contenu, Erreur> {
    serde_json::to_string(valeur)
        .map(Contenu::Texte)
        .map_err(|e| Erreur::internal(format!("sérialisation JSON : {e}")))
}

// ---------------------------------------------------------------------------------------
// Outputs.

/// The outputs of a call: checked before the body runs, written after it succeeded.
pub(crate) trait Sorties {
    /// What the body returns for these outputs.
    type Valeurs;
    /// Refuse a NULL required output before doing any work.
    fn verifier(&self) -> Result<(), Erreur>;
    /// Write the values (only called on success).
    fn ecrire(self, valeurs: Self::Valeurs);
}

/// An `mpe_octets *` output (required unless made by [`octets_sortie_facultative`]).
pub(crate) struct SortieOctets {
    ptr: *mut mpe_octets,
    nom: &'static str,
    facultative: bool,
}

/// A required `mpe_octets *` output.
pub(crate) fn octets_sortie(ptr: *mut mpe_octets, nom: &'static str) -> SortieOctets {
    SortieOctets {
        ptr,
        nom,
        facultative: false,
    }
}

/// An `mpe_octets *` output the caller may pass as NULL when it does not want it.
pub(crate) fn octets_sortie_facultative(ptr: *mut mpe_octets, nom: &'static str) -> SortieOctets {
    SortieOctets {
        ptr,
        nom,
        facultative: true,
    }
}

impl Sorties for SortieOctets {
    type Valeurs = Contenu;
    fn verifier(&self) -> Result<(), Erreur> {
        if self.ptr.is_null() && !self.facultative {
            return Err(Erreur::invalid_argument(format!(
                "{} : pointeur de sortie NULL",
                self.nom
            )));
        }
        Ok(())
    }
    fn ecrire(self, valeurs: Contenu) {
        // An optional output the caller did not want: the value is dropped here, never
        // handed over (it would leak).
        if self.ptr.is_null() {
            return;
        }
        ecrire(self.ptr, valeurs.vers_c());
    }
}

/// A `T *` output for a plain value (a count, a handle).
pub(crate) struct Sortie<T> {
    ptr: *mut T,
    nom: &'static str,
}

/// A required `T *` output.
pub(crate) fn sortie<T>(ptr: *mut T, nom: &'static str) -> Sortie<T> {
    Sortie { ptr, nom }
}

impl<T> Sorties for Sortie<T> {
    type Valeurs = T;
    fn verifier(&self) -> Result<(), Erreur> {
        if self.ptr.is_null() {
            return Err(Erreur::invalid_argument(format!(
                "{} : pointeur de sortie NULL",
                self.nom
            )));
        }
        Ok(())
    }
    fn ecrire(self, valeurs: T) {
        ecrire(self.ptr, valeurs);
    }
}

impl Sorties for () {
    type Valeurs = ();
    fn verifier(&self) -> Result<(), Erreur> {
        Ok(())
    }
    fn ecrire(self, _: ()) {}
}

macro_rules! sorties_tuple {
    ($($s:ident $v:ident),+) => {
        impl<$($s: Sorties),+> Sorties for ($($s,)+) {
            type Valeurs = ($($s::Valeurs,)+);
            fn verifier(&self) -> Result<(), Erreur> {
                #[allow(non_snake_case)]
                let ($($s,)+) = self;
                $($s.verifier()?;)+
                Ok(())
            }
            fn ecrire(self, valeurs: Self::Valeurs) {
                #[allow(non_snake_case)]
                let ($($s,)+) = self;
                let ($($v,)+) = valeurs;
                $($s.ecrire($v);)+
            }
        }
    };
}
sorties_tuple!(A a);
sorties_tuple!(A a, B b);
sorties_tuple!(A a, B b, C c);
sorties_tuple!(A a, B b, C c, D d);

/// The shell of every exported function: check the outputs, run the body in a panic
/// boundary, write the outputs on success, turn an error into a status and a message.
pub(crate) fn appeler<S: Sorties>(
    sorties: S,
    corps: impl FnOnce() -> Result<S::Valeurs, Erreur>,
) -> mpe_statut {
    effacer_derniere_erreur();
    let issue = catch_unwind(AssertUnwindSafe(|| {
        sorties.verifier()?;
        corps()
    }));
    let err = match issue {
        Ok(Ok(valeurs)) => {
            sorties.ecrire(valeurs);
            return MPE_OK;
        }
        Ok(Err(e)) => e,
        Err(panique) => {
            let quoi = panique
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panique.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panique".into());
            Erreur::internal(format!("erreur interne de mpe : {quoi}"))
        }
    };
    noter_derniere_erreur(&err);
    err.code().code()
}

fn ecrire<T>(ptr: *mut T, valeur: T) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: `ptr` is non-NULL and the caller guarantees it points to writable memory for
    // a `T` (documented on every `*_sortie` parameter).
    unsafe { ptr.write(valeur) }
}

// ---------------------------------------------------------------------------------------
// The thread's last error.

thread_local! {
    static DERNIERE_ERREUR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn noter_derniere_erreur(e: &Erreur) {
    let texte = format!("{} [{}]", e, e.code().name());
    // A message never contains NUL in practice; replace any to keep the string whole.
    let c = CString::new(texte.replace('\0', " ")).unwrap_or_default();
    DERNIERE_ERREUR.with(|l| *l.borrow_mut() = Some(c));
}

fn effacer_derniere_erreur() {
    DERNIERE_ERREUR.with(|l| *l.borrow_mut() = None);
}

/// The message of the last failed call on this thread, or NULL.
pub(crate) fn derniere_erreur_ptr() -> *const c_char {
    DERNIERE_ERREUR.with(|l| match &*l.borrow() {
        Some(c) => c.as_ptr(),
        None => std::ptr::null(),
    })
}

// ---------------------------------------------------------------------------------------
// Inputs.

/// Borrow `(ptr, longueur)` as bytes. NULL is accepted only with `longueur == 0`.
pub(crate) fn octets<'a>(ptr: *const u8, longueur: usize, nom: &str) -> Result<&'a [u8], Erreur> {
    if ptr.is_null() {
        if longueur == 0 {
            return Ok(&[]);
        }
        return Err(Erreur::invalid_argument(format!(
            "{nom} : pointeur NULL avec une longueur de {longueur}"
        )));
    }
    if longueur > isize::MAX as usize {
        return Err(Erreur::invalid_argument(format!(
            "{nom} : longueur invalide"
        )));
    }
    // SAFETY: the caller guarantees `ptr` points to `longueur` readable bytes that stay
    // valid and unmodified for the duration of the call (documented in the header's
    // preamble); NULL and oversized lengths were rejected above.
    Ok(unsafe { std::slice::from_raw_parts(ptr, longueur) })
}

/// Borrow optional bytes: `(NULL, 0)` or a length of 0 is absent.
pub(crate) fn octets_facultatifs<'a>(
    ptr: *const u8,
    longueur: usize,
    nom: &str,
) -> Result<Option<&'a [u8]>, Erreur> {
    let b = octets(ptr, longueur, nom)?;
    Ok((!b.is_empty()).then_some(b))
}

/// Parse JSON given as `(ptr, longueur)`.
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    ptr: *const u8,
    longueur: usize,
    nom: &str,
) -> Result<T, Erreur> {
    lire_json(octets(ptr, longueur, nom)?, nom)
}

/// Parse optional JSON: `(NULL, 0)` or a length of 0 is absent.
pub(crate) fn json_facultatif<T: serde::de::DeserializeOwned>(
    ptr: *const u8,
    longueur: usize,
    nom: &str,
) -> Result<Option<T>, Erreur> {
    octets_facultatifs(ptr, longueur, nom)?
        .map(|b| lire_json(b, nom))
        .transpose()
}

/// Parse JSON bytes.
pub(crate) fn lire_json<T: serde::de::DeserializeOwned>(b: &[u8], nom: &str) -> Result<T, Erreur> {
    serde_json::from_slice(b).map_err(|e| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{nom} : JSON invalide : {e}"),
        )
    })
}

/// Borrow `(ptr, longueur)` as UTF-8 text.
pub(crate) fn texte_utf8<'a>(
    ptr: *const u8,
    longueur: usize,
    nom: &str,
) -> Result<&'a str, Erreur> {
    std::str::from_utf8(octets(ptr, longueur, nom)?)
        .map_err(|_| Erreur::invalid_argument(format!("{nom} : texte non UTF-8")))
}

fn cstr<'a>(ptr: *const c_char, nom: &str) -> Result<&'a CStr, Erreur> {
    if ptr.is_null() {
        return Err(Erreur::invalid_argument(format!("{nom} : pointeur NULL")));
    }
    // SAFETY: the caller guarantees a NUL-terminated string valid for the call; NULL was
    // rejected above.
    Ok(unsafe { CStr::from_ptr(ptr) })
}

/// Borrow a short NUL-terminated UTF-8 text (a code, a name, a format).
pub(crate) fn texte<'a>(ptr: *const c_char, nom: &str) -> Result<&'a str, Erreur> {
    cstr(ptr, nom)?
        .to_str()
        .map_err(|_| Erreur::invalid_argument(format!("{nom} : texte non UTF-8")))
}

/// Borrow an optional NUL-terminated UTF-8 text (NULL gives `None`).
pub(crate) fn texte_facultatif<'a>(
    ptr: *const c_char,
    nom: &str,
) -> Result<Option<&'a str>, Erreur> {
    if ptr.is_null() {
        Ok(None)
    } else {
        texte(ptr, nom).map(Some)
    }
}

/// Borrow a file name: NUL-terminated bytes, UTF-8 or not (any Linux file name works).
pub(crate) fn chemin<'a>(ptr: *const c_char, nom: &str) -> Result<&'a Path, Erreur> {
    let c = cstr(ptr, nom)?;
    if c.is_empty() {
        return Err(Erreur::invalid_argument(format!("{nom} : chemin vide")));
    }
    chemin_octets(c.to_bytes(), nom)
}

/// Borrow an optional file name (NULL gives `None`).
pub(crate) fn chemin_facultatif<'a>(
    ptr: *const c_char,
    nom: &str,
) -> Result<Option<&'a Path>, Erreur> {
    if ptr.is_null() {
        Ok(None)
    } else {
        chemin(ptr, nom).map(Some)
    }
}

#[cfg(unix)]
fn chemin_octets<'a>(b: &'a [u8], _nom: &str) -> Result<&'a Path, Erreur> {
    use std::os::unix::ffi::OsStrExt;
    Ok(Path::new(std::ffi::OsStr::from_bytes(b)))
}

#[cfg(not(unix))]
fn chemin_octets<'a>(b: &'a [u8], nom: &str) -> Result<&'a Path, Erreur> {
    std::str::from_utf8(b)
        .map(Path::new)
        .map_err(|_| Erreur::invalid_argument(format!("{nom} : chemin non UTF-8")))
}

/// Read an `mpe_instant` (RFC 3339 with offset).
pub(crate) fn instant(ptr: mpe_instant, nom: &str) -> Result<DateTime<Utc>, Erreur> {
    mpe::rules::temps::instant_rfc3339(texte(ptr, nom)?).map_err(|e| e.at(nom))
}

/// Read an `mpe_date` (`AAAA-MM-JJ`).
pub(crate) fn date(ptr: mpe_date, nom: &str) -> Result<NaiveDate, Erreur> {
    let s = texte(ptr, nom)?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Erreur::invalid_argument(format!("{nom} : date AAAA-MM-JJ attendue, reçu « {s} »"))
    })
}

// ---------------------------------------------------------------------------------------
// Buffers and handles.

/// Release a buffer made by [`Contenu::vers_c`] and reset it to empty.
pub(crate) fn liberer_octets(b: *mut mpe_octets) {
    if b.is_null() {
        return;
    }
    // SAFETY: `b` is non-NULL and points to an `mpe_octets` the caller got from mpe; we take
    // its fields and reset it so that a second release is harmless.
    let pris = unsafe { std::ptr::replace(b, mpe_octets::vide()) };
    if pris.donnees.is_null() {
        return;
    }
    // SAFETY: donnees/capacite come from a `Vec<u8>` leaked by `depuis_vec`. A length of 0
    // is always valid (nothing to drop for `u8`); the vector only needs its capacity.
    drop(unsafe { Vec::from_raw_parts(pris.donnees, 0, pris.capacite) });
}

/// Give `valeur` to C as an opaque pointer (released with [`poignee_liberer`]).
pub(crate) fn poignee_nouvelle<T>(valeur: T) -> *mut T {
    Box::into_raw(Box::new(valeur))
}

/// Borrow the object behind a handle for the duration of a call (NULL is an error).
pub(crate) fn poignee<'a, T>(h: *const T, nom: &str) -> Result<&'a T, Erreur> {
    if h.is_null() {
        return Err(Erreur::invalid_argument(format!("{nom} : pointeur NULL")));
    }
    // SAFETY: a non-NULL handle was made by `poignee_nouvelle::<T>` and not yet released
    // (the caller's contract); mpe keeps no reference past the call, and the caller does
    // not use the handle from two threads at once (header preamble).
    Ok(unsafe { &*h })
}

/// Borrow the object behind a handle mutably for the duration of a call.
pub(crate) fn poignee_mut<'a, T>(h: *mut T, nom: &str) -> Result<&'a mut T, Erreur> {
    if h.is_null() {
        return Err(Erreur::invalid_argument(format!("{nom} : pointeur NULL")));
    }
    // SAFETY: as in `poignee`; in addition the caller does not use the handle elsewhere
    // during the call, so this is the only reference.
    Ok(unsafe { &mut *h })
}

/// Release a handle made by [`poignee_nouvelle`]. NULL is fine.
pub(crate) fn poignee_liberer<T>(h: *mut T) {
    if h.is_null() {
        return;
    }
    // SAFETY: a non-NULL handle was made by `poignee_nouvelle::<T>` (`Box::into_raw`) and
    // is released once (the caller's contract).
    drop(unsafe { Box::from_raw(h) });
}

// ---------------------------------------------------------------------------------------
// Progress callbacks.

/// A progress callback: called on the caller's thread, during the call, with the caller's
/// `utilisateur` pointer and one step as NUL-terminated UTF-8 JSON (valid only during the
/// callback; copy it to keep it). NULL means no callback.
#[allow(non_camel_case_types)]
pub type mpe_progression =
    Option<unsafe extern "C" fn(utilisateur: *mut c_void, etape_json: *const c_char)>;

/// Call a progress callback (if not NULL) with a value serialized as JSON.
pub(crate) fn progresser<T: serde::Serialize>(
    rappel: mpe_progression,
    utilisateur: *mut c_void,
    valeur: &T,
) {
    let Some(f) = rappel else { return };
    let Ok(json) = serde_json::to_string(valeur) else {
        return;
    };
    let Ok(c) = CString::new(json) else { return };
    // SAFETY: the caller passed `f` as a valid function of this type and `utilisateur` as
    // the pointer it expects; `c` outlives the call.
    unsafe { f(utilisateur, c.as_ptr()) }
}
