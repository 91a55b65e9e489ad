//! Fast serde for the instants of the state and journal: `2026-12-15T11:00:00Z`, the exact
//! text chrono writes for a UTC instant without fraction, written and read directly (a state
//! holds thousands of them); anything else goes through chrono, so the JSON is the same.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use serde::{Deserializer, Serializer};

fn deux(out: &mut [u8], i: usize, v: u32) {
    if let Some(s) = out.get_mut(i..i + 2) {
        s[0] = b'0' + (v / 10 % 10) as u8;
        s[1] = b'0' + (v % 10) as u8;
    }
}

/// Serialize like chrono (`to_rfc3339_opts(AutoSi, true)`).
pub(crate) fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    let annee = t.year();
    if t.nanosecond() != 0 || !(0..=9999).contains(&annee) {
        return s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    let a = annee as u32;
    deux(&mut b, 0, a / 100);
    deux(&mut b, 2, a % 100);
    deux(&mut b, 5, t.month());
    deux(&mut b, 8, t.day());
    deux(&mut b, 11, t.hour());
    deux(&mut b, 14, t.minute());
    deux(&mut b, 17, t.second());
    // Only ASCII digits and separators were written.
    s.serialize_str(std::str::from_utf8(&b).unwrap_or_default())
}

fn rapide(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || b.get(19) != Some(&b'Z')
    {
        return None;
    }
    let n = |i: usize, l: usize| -> Option<u32> {
        b.get(i..i + l)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 2)?, n(8, 2)?)?;
    Some(date.and_hms_opt(n(11, 2)?, n(14, 2)?, n(17, 2)?)?.and_utc())
}

/// Deserialize what chrono accepts, with a fast path for the common form.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    avec_str(d, "un instant RFC 3339", |s| match rapide(s) {
        Some(t) => Ok(t),
        None => s.parse::<DateTime<Utc>>().map_err(|e| e.to_string()),
    })
}

/// Read a JSON string and convert it without allocating: serde's `Cow<str>` always makes
/// an owned copy, a visitor sees the text in place (borrowed from the input, or from
/// serde_json's scratch buffer when it holds escapes).
pub(crate) fn avec_str<'de, D, T, F>(d: D, attendu: &'static str, f: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    struct Visiteur<F> {
        f: F,
        attendu: &'static str,
    }
    impl<'de, T, F: FnOnce(&str) -> Result<T, String>> serde::de::Visitor<'de> for Visiteur<F> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.attendu)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            (self.f)(v).map_err(E::custom)
        }
    }
    d.deserialize_str(Visiteur { f, attendu })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Moi(#[serde(with = "super")] DateTime<Utc>);

    #[test]
    fn identique_a_chrono() {
        for texte in [
            "\"2026-12-15T11:00:00Z\"",
            "\"0001-01-01T00:00:00Z\"",
            "\"2026-12-15T11:00:00.123Z\"",
            "\"2026-12-15T11:00:00.000000001Z\"",
        ] {
            let a: DateTime<Utc> = serde_json::from_str(texte).unwrap();
            let b: Moi = serde_json::from_str(texte).unwrap();
            assert_eq!(a, b.0);
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                serde_json::to_string(&b).unwrap()
            );
        }
        // Offsets are accepted as chrono accepts them.
        let b: Moi = serde_json::from_str("\"2026-12-15T12:00:00+01:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            "\"2026-12-15T11:00:00Z\""
        );
        for faux in [
            "\"2026-13-15T11:00:00Z\"",
            "\"2026-12-15T25:00:00Z\"",
            "\"demain\"",
            "12",
        ] {
            assert!(serde_json::from_str::<Moi>(faux).is_err(), "{faux}");
        }
    }
}
