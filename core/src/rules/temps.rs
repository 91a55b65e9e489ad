//! Europe/Paris wall-clock times. Deadlines are written by buyers as local times; the law
//! counts them in French legal time, so converting to an instant must handle the daylight
//! saving changes of the last Sundays of March and October.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;

use crate::{CodeErreur, Erreur, Result};

/// The instant of a Europe/Paris wall-clock time.
///
/// - A time in the hour skipped in spring (02:00–02:59 on the last Sunday of March) does not
///   exist: error [`CodeErreur::HeureInexistante`].
/// - A time in the hour repeated in autumn (02:00–02:59 on the last Sunday of October) is
///   ambiguous: the first occurrence is taken (summer time), which is when a clock in France
///   first shows it.
///
/// ```
/// use chrono::NaiveDate;
/// let t = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(12, 0, 0).unwrap();
/// assert_eq!(mpe::rules::temps::instant_paris(t).unwrap().to_rfc3339(), "2026-03-29T10:00:00+00:00");
/// ```
pub fn instant_paris(local: NaiveDateTime) -> Result<DateTime<Utc>> {
    match Paris.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(Erreur::new(
            CodeErreur::HeureInexistante,
            format!(
                "l'heure {} n'existe pas en France (passage à l'heure d'été)",
                local.format("%d/%m/%Y %H:%M")
            ),
        )),
    }
}

/// Parse an RFC 3339 instant given by a host through C or Python (`"2026-11-02T09:00:00Z"`):
/// the "now" of an operation or a date to put in a document.
///
/// ```
/// let t = mpe::rules::temps::instant_rfc3339("2026-11-02T10:00:00+01:00").unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-11-02T09:00:00+00:00");
/// assert_eq!(mpe::rules::temps::instant_rfc3339("hier").unwrap_err().code(), mpe::CodeErreur::ArgumentInvalide);
/// ```
pub fn instant_rfc3339(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.to_utc())
        .map_err(|e| Erreur::invalid_argument(format!("date RFC 3339 invalide « {s} » : {e}")))
}

/// The Europe/Paris wall-clock time of an instant.
pub fn heure_paris(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Paris).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn winter_and_summer_offsets() {
        assert_eq!(
            instant_paris(at(2026, 1, 15, 12, 0)).unwrap().to_rfc3339(),
            "2026-01-15T11:00:00+00:00"
        );
        assert_eq!(
            instant_paris(at(2026, 7, 15, 12, 0)).unwrap().to_rfc3339(),
            "2026-07-15T10:00:00+00:00"
        );
    }

    #[test]
    fn spring_gap_is_an_error() {
        let e = instant_paris(at(2026, 3, 29, 2, 30)).unwrap_err();
        assert_eq!(e.code(), CodeErreur::HeureInexistante);
        assert_eq!(
            instant_paris(at(2026, 3, 29, 3, 0)).unwrap().to_rfc3339(),
            "2026-03-29T01:00:00+00:00"
        );
    }

    #[test]
    fn autumn_fold_takes_first() {
        assert_eq!(
            instant_paris(at(2026, 10, 25, 2, 30)).unwrap().to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
        assert_eq!(
            heure_paris(instant_paris(at(2026, 10, 25, 2, 30)).unwrap()),
            at(2026, 10, 25, 2, 30)
        );
    }
}
