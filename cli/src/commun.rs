//! What every subcommand shares: printing, errors and their exit codes, reading inputs,
//! writing outputs atomically, progress bars.

use std::io::Write;
use std::path::Path;

use mpe::fichier_atomique::{Confidentialite, FichierAtomique, ecrire_atomique};
use mpe::{CodeErreur, Erreur, FamilleErreur};

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
    pub fn json<T: serde::Serialize>(&self, value: &T) -> Result<(), Erreur> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Erreur::internal(format!("sérialisation JSON : {e}")))?;
        let _ = writeln!(std::io::stdout(), "{text}");
        Ok(())
    }

    /// An error, with its stable code, on stderr.
    pub fn erreur(&self, e: &Erreur) {
        eprintln!("erreur {} ({}) : {e}", e.code().name(), e.code().code());
    }

    /// Whether progress bars may be drawn.
    pub fn progression(&self) -> bool {
        !self.quiet
    }
}

/// The exit code of an error: 3 + the family (see the help text).
pub fn code_de_sortie(e: &Erreur) -> u8 {
    match e.code().family() {
        FamilleErreur::Entree | FamilleErreur::Es | FamilleErreur::Interne => 4,
        FamilleErreur::Validation => 5,
        FamilleErreur::Procedure => 6,
        FamilleErreur::Chiffrement => 7,
        FamilleErreur::Signature => 8,
        FamilleErreur::Document => 9,
        FamilleErreur::Decp => 10,
        FamilleErreur::Messagerie => 11,
        _ => 4,
    }
}

/// Read a whole (small) file, with the path in the error.
pub fn lire(path: &Path) -> Result<Vec<u8>, Erreur> {
    std::fs::read(path).map_err(|e| {
        Erreur::new(
            CodeErreur::Es,
            format!("lecture de {} : {e}", path.display()),
        )
    })
}

/// Read a text file, with the path in the error.
pub fn lire_texte(path: &Path) -> Result<String, Erreur> {
    String::from_utf8(lire(path)?).map_err(|_| {
        Erreur::invalid_argument(format!("{} n'est pas un texte UTF-8", path.display()))
    })
}

/// Read a password file: its first line, without the line ending. `-` is the standard
/// input (a password never goes in the arguments, which other users of the machine see).
pub fn lire_mot_de_passe(path: &Path) -> Result<String, Erreur> {
    let text = if path == Path::new("-") {
        let mut ligne = String::new();
        std::io::stdin().read_line(&mut ligne).map_err(|e| {
            Erreur::new(
                CodeErreur::Es,
                format!("lecture de l'entrée standard : {e}"),
            )
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
) -> Result<Option<String>, Erreur> {
    match (fichier, variable) {
        (Some(f), _) => lire_mot_de_passe(f).map(Some),
        (None, Some(v)) => std::env::var(v).map(Some).map_err(|_| {
            Erreur::invalid_argument(format!(
                "{quoi} : la variable d'environnement {v} est absente ou non UTF-8"
            ))
        }),
        (None, None) => Ok(None),
    }
}

/// Write a file crash-clean (the core's one writer: complete under its name or absent, even
/// after a kill -9).
pub fn ecrire(path: &Path, data: &[u8]) -> Result<(), Erreur> {
    ecrire_atomique(path, data, Confidentialite::Publique)
}

/// Write a private key file crash-clean, readable by its owner only (mode 0600 from its
/// creation: the key is never readable by others, not even for an instant).
pub fn ecrire_prive(path: &Path, data: &[u8]) -> Result<(), Erreur> {
    ecrire_atomique(path, data, Confidentialite::Privee)
}

/// An output written without a name yet, published under its target only by
/// [`Provisoire::publier`]: dropped unpublished (an error on the way, or a crash), it leaves
/// nothing. Lets a command that writes several files publish them only once all of them are
/// complete.
pub struct Provisoire {
    f: FichierAtomique,
}

impl Provisoire {
    /// Write `cible`'s content through a buffered writer.
    pub fn ecrire(
        cible: &Path,
        contenu: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> Result<(), Erreur>,
    ) -> Result<Provisoire, Erreur> {
        let mut f = FichierAtomique::creer(cible, Confidentialite::Publique)?;
        let mut w = std::io::BufWriter::new(f.fichier());
        contenu(&mut w)?;
        w.flush().map_err(|e| {
            Erreur::new(
                CodeErreur::Es,
                format!("écriture de {} : {e}", cible.display()),
            )
        })?;
        drop(w);
        Ok(Provisoire { f })
    }

    /// Publish under the target name (synced first).
    pub fn publier(self) -> Result<(), Erreur> {
        self.f.terminer()
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
