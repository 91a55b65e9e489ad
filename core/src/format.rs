//! French formatting, as buyers read it: amounts `1 234,56 €` (narrow no-break space
//! U+202F between thousands, no-break space U+00A0 before the euro sign), dates
//! `jj/mm/aaaa` and date-times `jj/mm/aaaa hh:mm` in Europe/Paris time.

use chrono::{DateTime, NaiveDate, Utc};
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
}
