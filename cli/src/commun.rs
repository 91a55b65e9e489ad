//! What every subcommand shares: printing, errors and their exit codes, reading inputs,
//! writing outputs atomically, progress bars.

use std::io::Write;
use std::path::{Path, PathBuf};

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

    /// Whether progress bars may be drawn.
    pub fn progression(&self) -> bool {
        !self.quiet
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

/// Read a password file: its first line, without the line ending.
pub fn lire_mot_de_passe(path: &Path) -> Result<String, Error> {
    let text = lire_texte(path)?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// Write a file atomically: a temporary file beside it, renamed only when complete, so that a
/// failure never leaves a partial output.
pub fn ecrire(path: &Path, data: &[u8]) -> Result<(), Error> {
    let tmp = temporaire(path);
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::new(
            ErrorCode::Io,
            format!("écriture de {} : {e}", path.display()),
        )
    })
}

/// The temporary name used while `path` is written.
pub fn temporaire(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.mpe-tmp-{}", std::process::id()))
}

/// A reader that advances a progress bar (bytes), for big files.
pub struct LecteurProgression<R> {
    inner: R,
    barre: indicatif::ProgressBar,
}

impl<R: std::io::Read> std::io::Read for LecteurProgression<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.barre.inc(n as u64);
        Ok(n)
    }
}

/// Bytes per second in French units (octets, Ko/s, Mo/s, Go/s).
fn debit(octets_par_seconde: f64) -> String {
    let (v, u) = if octets_par_seconde >= 1e9 {
        (octets_par_seconde / 1e9, "Go/s")
    } else if octets_par_seconde >= 1e6 {
        (octets_par_seconde / 1e6, "Mo/s")
    } else {
        (octets_par_seconde / 1e3, "Ko/s")
    };
    format!("{v:.1} {u}").replace('.', ",")
}

/// A byte progress bar with throughput and time left; hidden when stderr is not a terminal
/// (indicatif's default) or with `--quiet`.
pub fn barre_octets(sortie: &Sortie, total: u64, message: &str) -> indicatif::ProgressBar {
    if !sortie.progression() {
        return indicatif::ProgressBar::hidden();
    }
    let barre = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {percent:>3} % {debit} reste {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .with_key(
        "debit",
        |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", debit(s.per_sec()));
        },
    )
    .progress_chars("=> ");
    barre.set_style(style);
    barre.set_message(message.to_string());
    barre
}

/// Wrap a reader so that it advances `barre`.
pub fn avec_progression<R: std::io::Read>(
    inner: R,
    barre: &indicatif::ProgressBar,
) -> LecteurProgression<R> {
    LecteurProgression {
        inner,
        barre: barre.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn french_rates() {
        assert_eq!(super::debit(1_500.0), "1,5 Ko/s");
        assert_eq!(super::debit(250_000_000.0), "250,0 Mo/s");
        assert_eq!(super::debit(2_000_000_000.0), "2,0 Go/s");
    }
}
