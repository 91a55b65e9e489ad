//! French formatting, as buyers read it: amounts `1 234,56 €` (narrow no-break space
//! U+202F between thousands, no-break space U+00A0 before the euro sign), dates
//! `jj/mm/aaaa` and date-times `jj/mm/aaaa hh:mm` in Europe/Paris time, long dates
//! `15 mars 2026`, amounts in words for actes d'engagement and grouped SIRET numbers.
//!
//! Amounts in words follow the traditional rules (before the 1990 reform, which stays
//! optional): hyphens only between tens and units below one hundred, `et` in `vingt et un`
//! … `soixante et onze`, `quatre-vingts` and `deux cents` take an `s` only when they end the
//! number (or precede `millions`/`milliards`, which are nouns), `mille` never does.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

/// Narrow no-break space, the French thousands separator.
pub const NNBSP: char = '\u{202F}';
/// No-break space, before the euro sign and other units.
pub const NBSP: char = '\u{A0}';

/// Group the digits of a non-negative integer by thousands with narrow no-break spaces.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NNBSP);
        }
        out.push(ch);
    }
    out
}

/// An amount in cents as `1 234,56 €` (negative amounts keep their sign).
///
/// ```
/// assert_eq!(mpe::format::montant(123_456), "1\u{202F}234,56\u{A0}€");
/// assert_eq!(mpe::format::montant(-5), "-0,05\u{A0}€");
/// ```
pub fn montant(centimes: i64) -> String {
    let sign = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    format!(
        "{sign}{},{:02}{NBSP}€",
        group_thousands(abs / 100),
        abs % 100
    )
}

/// A date as `15/03/2026`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// An instant as `15/03/2026 17:30`, in Europe/Paris time.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 15, 16, 30, 0).unwrap();
/// assert_eq!(mpe::format::date_heure(t), "15/03/2026 17:30");
/// ```
pub fn date_heure(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%d/%m/%Y %H:%M").to_string()
}

/// French month names, January first.
pub const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// French weekday names, Monday first.
pub const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// The French name of a month (1 = janvier); empty for an out-of-range month.
pub fn nom_mois(mois: u32) -> &'static str {
    mois.checked_sub(1)
        .and_then(|i| MOIS.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// A date in words as in a letter: `15 mars 2026`, `1er avril 2026`.
///
/// ```
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
/// assert_eq!(mpe::format::date_longue(d), "15 mars 2026");
/// let d = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
/// assert_eq!(mpe::format::date_longue(d), "1er avril 2026");
/// ```
pub fn date_longue(d: NaiveDate) -> String {
    let jour = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{jour} {} {}", nom_mois(d.month()), d.year())
}

/// The time of an instant as `17:30`, in Europe/Paris time.
pub fn heure(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%H:%M").to_string()
}

/// A decimal number the French way: `1 234,5` with `decimales` digits after the comma
/// (rounded half away from zero) and narrow no-break spaces between thousands.
///
/// ```
/// assert_eq!(mpe::format::nombre(1234.567, 2), "1\u{202F}234,57");
/// assert_eq!(mpe::format::nombre(-3.0, 0), "-3");
/// ```
pub fn nombre(x: f64, decimales: u32) -> String {
    let decimales = decimales.min(9);
    let echelle = 10u64.pow(decimales);
    let abs = x.abs() * echelle as f64;
    if !abs.is_finite() || abs >= 1e18 {
        return x.to_string();
    }
    let n = abs.round() as u64;
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    let entier = group_thousands(n / echelle);
    if decimales == 0 {
        format!("{sign}{entier}")
    } else {
        format!(
            "{sign}{entier},{:0width$}",
            n % echelle,
            width = decimales as usize
        )
    }
}

/// A SIRET (14 digits) grouped `123 456 789 00012` (SIREN by threes, then the NIC), with
/// no-break spaces; a SIREN (9 digits) grouped `123 456 789`. Spaces in the input are
/// ignored; anything else is returned unchanged.
///
/// ```
/// assert_eq!(mpe::format::siret("12345678900012"), "123\u{A0}456\u{A0}789\u{A0}00012");
/// ```
pub fn siret(s: &str) -> String {
    let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(digits.len() == 14 || digits.len() == 9) {
        return s.to_string();
    }
    let mut out = String::with_capacity(20);
    for (i, ch) in digits.chars().enumerate() {
        if i == 3 || i == 6 || i == 9 {
            out.push(NBSP);
        }
        out.push(ch);
    }
    out
}

const UNITES: [&str; 20] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
];
const DIZAINES: [&str; 7] = [
    "",
    "",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
];

fn unite(n: u64) -> &'static str {
    UNITES.get(n as usize).copied().unwrap_or("")
}

/// 0..100 in words; `fin` says whether nothing follows, for `quatre-vingts`.
fn moins_de_cent(n: u64, fin: bool) -> String {
    match n {
        0..=19 => unite(n).to_string(),
        20..=69 => {
            let d = DIZAINES.get((n / 10) as usize).copied().unwrap_or("");
            match n % 10 {
                0 => d.to_string(),
                1 => format!("{d} et un"),
                u => format!("{d}-{}", unite(u)),
            }
        }
        70..=79 => {
            if n == 71 {
                "soixante et onze".to_string()
            } else {
                format!("soixante-{}", unite(n - 60))
            }
        }
        _ => {
            if n == 80 {
                if fin { "quatre-vingts" } else { "quatre-vingt" }.to_string()
            } else {
                format!("quatre-vingt-{}", unite(n - 80))
            }
        }
    }
}

/// 0..1000 in words; `fin` says whether the group ends the number or precedes a noun
/// (`millions`), where `cents` and `quatre-vingts` take their `s`.
fn moins_de_mille(n: u64, fin: bool) -> String {
    let c = n / 100;
    let r = n % 100;
    let mut out = String::new();
    if c > 0 {
        if c > 1 {
            out.push_str(unite(c));
            out.push(' ');
        }
        out.push_str("cent");
        if c > 1 && r == 0 && fin {
            out.push('s');
        }
        if r > 0 {
            out.push(' ');
        }
    }
    if r > 0 || c == 0 {
        out.push_str(&moins_de_cent(r, fin));
    }
    out
}

/// A whole number in French words, traditional spelling.
///
/// ```
/// use mpe::format::nombre_en_lettres;
/// assert_eq!(nombre_en_lettres(1234), "mille deux cent trente-quatre");
/// assert_eq!(nombre_en_lettres(80), "quatre-vingts");
/// assert_eq!(nombre_en_lettres(2_000_000), "deux millions");
/// ```
pub fn nombre_en_lettres(n: u64) -> String {
    if n == 0 {
        return "zéro".to_string();
    }
    const GRANDS: [(u64, &str, &str); 3] = [
        (1_000_000_000_000_000_000, "trillion", "trillions"),
        (1_000_000_000_000_000, "billiard", "billiards"),
        (1_000_000_000_000, "billion", "billions"),
    ];
    let mut parts: Vec<String> = Vec::new();
    let mut reste = n;
    for (valeur, sing, plur) in GRANDS.iter().chain(
        [
            (1_000_000_000, "milliard", "milliards"),
            (1_000_000, "million", "millions"),
        ]
        .iter(),
    ) {
        let q = reste / valeur;
        reste %= valeur;
        if q > 0 {
            let nom = if q > 1 { plur } else { sing };
            parts.push(format!("{} {nom}", nombre_en_lettres_grand(q)));
        }
    }
    let milliers = reste / 1000;
    reste %= 1000;
    if milliers > 0 {
        if milliers == 1 {
            parts.push("mille".to_string());
        } else {
            parts.push(format!("{} mille", moins_de_mille(milliers, false)));
        }
    }
    if reste > 0 {
        parts.push(moins_de_mille(reste, true));
    }
    parts.join(" ")
}

/// The multiplier of `millions`, `milliards`…: a noun follows, so plurals apply.
fn nombre_en_lettres_grand(q: u64) -> String {
    if q < 1000 {
        moins_de_mille(q, true)
    } else {
        nombre_en_lettres(q)
    }
}

/// An amount in cents in words, as written in an acte d'engagement:
/// `mille deux cent trente-quatre euros et cinquante-six centimes`.
///
/// `un euro`, `deux millions d'euros` (de before euros after a round million), `zéro euro`;
/// the cents part is omitted when nul. Negative amounts start with `moins`.
///
/// ```
/// use mpe::format::montant_en_lettres;
/// assert_eq!(
///     montant_en_lettres(123_456),
///     "mille deux cent trente-quatre euros et cinquante-six centimes"
/// );
/// assert_eq!(montant_en_lettres(100_000_000), "un million d'euros");
/// ```
pub fn montant_en_lettres(centimes: i64) -> String {
    let abs = centimes.unsigned_abs();
    let euros = abs / 100;
    let cts = abs % 100;
    let mut out = String::new();
    if centimes < 0 {
        out.push_str("moins ");
    }
    if euros > 0 || cts == 0 {
        let mots = nombre_en_lettres(euros);
        out.push_str(&mots);
        let rond_million = euros >= 1_000_000 && euros.is_multiple_of(1_000_000);
        out.push_str(if rond_million {
            " d'euros"
        } else if euros > 1 {
            " euros"
        } else {
            " euro"
        });
    }
    if cts > 0 {
        if euros > 0 {
            out.push_str(" et ");
        }
        out.push_str(&nombre_en_lettres(cts));
        out.push_str(if cts > 1 { " centimes" } else { " centime" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1\u{202F}000");
        assert_eq!(group_thousands(1_234_567), "1\u{202F}234\u{202F}567");
    }

    #[test]
    fn formats_amounts() {
        assert_eq!(montant(0), "0,00\u{A0}€");
        assert_eq!(montant(123_456_780), "1\u{202F}234\u{202F}567,80\u{A0}€");
    }

    #[test]
    fn long_dates_and_times() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        assert_eq!(date_longue(d), "1er août 2026");
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(date_longue(d), "31 décembre 2026");
        use chrono::TimeZone;
        // Summer time: UTC+2.
        let t = Utc.with_ymd_and_hms(2026, 7, 1, 10, 5, 0).unwrap();
        assert_eq!(heure(t), "12:05");
        assert_eq!(nom_mois(0), "");
        assert_eq!(nom_mois(13), "");
    }

    #[test]
    fn numbers_in_words() {
        let cas: &[(u64, &str)] = &[
            (0, "zéro"),
            (1, "un"),
            (16, "seize"),
            (17, "dix-sept"),
            (21, "vingt et un"),
            (22, "vingt-deux"),
            (70, "soixante-dix"),
            (71, "soixante et onze"),
            (72, "soixante-douze"),
            (80, "quatre-vingts"),
            (81, "quatre-vingt-un"),
            (91, "quatre-vingt-onze"),
            (99, "quatre-vingt-dix-neuf"),
            (100, "cent"),
            (101, "cent un"),
            (200, "deux cents"),
            (201, "deux cent un"),
            (280, "deux cent quatre-vingts"),
            (1000, "mille"),
            (1001, "mille un"),
            (2000, "deux mille"),
            (80_000, "quatre-vingt mille"),
            (200_000, "deux cent mille"),
            (1_000_000, "un million"),
            (80_000_000, "quatre-vingts millions"),
            (200_000_000, "deux cents millions"),
            (1_000_000_000, "un milliard"),
            (
                1_234_567,
                "un million deux cent trente-quatre mille cinq cent soixante-sept",
            ),
        ];
        for (n, attendu) in cas {
            assert_eq!(nombre_en_lettres(*n), *attendu, "{n}");
        }
        // Never panics on the extremes.
        assert!(!nombre_en_lettres(u64::MAX).is_empty());
    }

    #[test]
    fn amounts_in_words() {
        assert_eq!(montant_en_lettres(100), "un euro");
        assert_eq!(montant_en_lettres(0), "zéro euro");
        assert_eq!(montant_en_lettres(1), "un centime");
        assert_eq!(montant_en_lettres(250), "deux euros et cinquante centimes");
        assert_eq!(montant_en_lettres(200_000_000), "deux millions d'euros");
        assert_eq!(
            montant_en_lettres(150_000_000),
            "un million cinq cent mille euros"
        );
        assert_eq!(montant_en_lettres(-100), "moins un euro");
        assert!(!montant_en_lettres(i64::MIN).is_empty());
    }

    #[test]
    fn siret_and_numbers() {
        assert_eq!(
            siret("123 456 789 00012"),
            "123\u{A0}456\u{A0}789\u{A0}00012"
        );
        assert_eq!(siret("123456789"), "123\u{A0}456\u{A0}789");
        assert_eq!(siret("12AB"), "12AB");
        assert_eq!(nombre(0.5, 0), "1");
        assert_eq!(nombre(-0.001, 2), "0,00");
        assert_eq!(nombre(1234567.8, 2), "1\u{202F}234\u{202F}567,80");
        assert_eq!(nombre(f64::NAN, 2), "NaN");
    }
}
