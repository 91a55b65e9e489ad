//! What every subcommand shares: printing, errors and their exit codes, reading inputs,
//! writing outputs atomically, progress bars.

use std::path::Path;

use mpe::{Error, ErrorCode, ErrorFamily};

/// Where results and messages go.
#[derive(Debug, Clone, Copy)]
pub struct Sortie {
    quiet: bool,
}

impl Sortie {
    pub fn new(quiet: bool) -> Sortie {
        Sortie { quiet }
    }

    /// A line of human output (suppressed by `--quiet`).
    pub fn info(&self, text: impl AsRef<str>) {
        if !self.quiet {
            println!("{}", text.as_ref());
        }
    }

    /// JSON output (always printed: it was asked for).
    pub fn json<T: serde::Serialize>(&self, value: &T) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::internal(format!("sérialisation JSON : {e}")))?;
        println!("{text}");
        Ok(())
    }

    /// An error, with its stable code, on stderr.
    pub fn erreur(&self, e: &Error) {
        eprintln!("erreur {} ({}) : {e}", e.code().name(), e.code().code());
    }
}

/// The exit code of an error: 3 + the family (see the help text).
pub fn code_de_sortie(e: &Error) -> u8 {
    match e.code().family() {
        ErrorFamily::InvalidInput | ErrorFamily::Io | ErrorFamily::Internal => 4,
        ErrorFamily::Validation => 5,
        ErrorFamily::Procedure => 6,
        ErrorFamily::Crypto => 7,
        ErrorFamily::Signature => 8,
        ErrorFamily::Document => 9,
        ErrorFamily::Decp => 10,
        ErrorFamily::Messaging => 11,
        _ => 4,
    }
}

/// Read a whole (small) file, with the path in the error.
pub fn lire(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("lecture de {} : {e}", path.display()),
        )
    })
}

/// Read a text file, with the path in the error.
pub fn lire_texte(path: &Path) -> Result<String, Error> {
    String::from_utf8(lire(path)?).map_err(|_| {
        Error::invalid_argument(format!("{} n'est pas un texte UTF-8", path.display()))
    })
}
