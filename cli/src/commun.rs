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

    /// A line of human output (suppressed by `--silencieux`).
    pub fn info(&self, text: impl AsRef<str>) {
        if !self.quiet {
            // A closed pipe (`mpe ... | head`) is not an error of the command.
            let _ = writeln!(std::io::stdout(), "{}", text.as_ref());
        }
    }

    /// JSON output (always printed: it was asked for).
    pub fn json<T: serde::Serialize>(&self, value: &T) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::internal(format!("sérialisation JSON : {e}")))?;
        let _ = writeln!(std::io::stdout(), "{text}");
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

/// Read a password file: its first line, without the line ending. `-` is the standard
/// input (a password never goes in the arguments, which other users of the machine see).
pub fn lire_mot_de_passe(path: &Path) -> Result<String, Error> {
    let text = if path == Path::new("-") {
        let mut ligne = String::new();
        std::io::stdin().read_line(&mut ligne).map_err(|e| {
            Error::new(ErrorCode::Io, format!("lecture de l'entrée standard : {e}"))
        })?;
        ligne
    } else {
        lire_texte(path)?
    };
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// A secret (password, PIN) from a file (`-`: standard input) or an environment variable,
/// whichever was given; `quoi` names it in errors.
pub fn lire_secret(
    fichier: Option<&Path>,
    variable: Option<&str>,
    quoi: &str,
) -> Result<Option<String>, Error> {
    match (fichier, variable) {
        (Some(f), _) => lire_mot_de_passe(f).map(Some),
        (None, Some(v)) => std::env::var(v).map(Some).map_err(|_| {
            Error::invalid_argument(format!(
                "{quoi} : la variable d'environnement {v} est absente ou non UTF-8"
            ))
        }),
        (None, None) => Ok(None),
    }
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

/// Write a private key file atomically, readable by its owner only (mode 0600 from its
/// creation: the key is never readable by others, not even for an instant).
pub fn ecrire_prive(path: &Path, data: &[u8]) -> Result<(), Error> {
    let tmp = temporaire(path);
    let res = (|| {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let mut f = o.open(&tmp)?;
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

/// An output written to its temporary name, renamed onto its target only by
/// [`Provisoire::publier`]: dropped unpublished (an error on the way), it is removed. Lets a
/// command that writes several files publish them only once all of them are complete.
pub struct Provisoire {
    tmp: PathBuf,
    cible: PathBuf,
    publie: bool,
}

impl Provisoire {
    /// Write `cible`'s temporary file through a buffered writer.
    pub fn ecrire(
        cible: &Path,
        contenu: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), Error>,
    ) -> Result<Provisoire, Error> {
        let io = |e: std::io::Error| {
            Error::new(
                ErrorCode::Io,
                format!("écriture de {} : {e}", cible.display()),
            )
        };
        let p = Provisoire {
            tmp: temporaire(cible),
            cible: cible.to_path_buf(),
            publie: false,
        };
        let f = std::fs::File::create(&p.tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(f);
        contenu(&mut w)?;
        let f = w.into_inner().map_err(|e| io(e.into_error()))?;
        f.sync_all().map_err(io)?;
        Ok(p)
    }

    /// Rename the temporary file onto its target.
    pub fn publier(mut self) -> Result<(), Error> {
        std::fs::rename(&self.tmp, &self.cible).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("écriture de {} : {e}", self.cible.display()),
            )
        })?;
        self.publie = true;
        Ok(())
    }
}

impl Drop for Provisoire {
    fn drop(&mut self) {
        if !self.publie {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Today's date for checks that refuse future dates (the CLI may read the clock; the
/// library never does).
pub fn aujourd_hui() -> chrono::NaiveDate {
    mpe::rules::temps::heure_paris(chrono::Utc::now()).date()
}

/// A French amount from euros (`1 234,56 €`), or `—` when unknown.
pub fn montant_euros(m: Option<f64>) -> String {
    match m {
        Some(m) if m.is_finite() => mpe::format::montant((m * 100.0).round() as i64),
        _ => "—".into(),
    }
}

/// `texte` cut to `n` characters (an ellipsis marks the cut) and padded to `n`.
pub fn colonne(texte: &str, n: usize) -> String {
    // Tabs and line breaks of published data would break the table.
    let texte = texte.split_whitespace().collect::<Vec<_>>().join(" ");
    let nb = texte.chars().count();
    if nb > n {
        let mut s: String = texte.chars().take(n.saturating_sub(1)).collect();
        s.push('…');
        s
    } else {
        format!("{texte}{}", " ".repeat(n - nb))
    }
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
/// (indicatif's default) or with `--silencieux`.
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
