//! Amounts in euros, held as integer cents so that sums and comparisons are exact.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An amount in euros, stored in cents. JSON: a number of euros with at most two decimals
/// (`1234.56`), as hosts write it.
///
/// ```
/// use mpe::model::Montant;
/// let m: Montant = serde_json::from_str("1234.5").unwrap();
/// assert_eq!(m.centimes(), 123_450);
/// assert_eq!(serde_json::to_string(&m).unwrap(), "1234.5");
/// assert_eq!(m.to_string(), "1\u{202F}234,50\u{A0}€");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Montant(i64);

/// Largest amount accepted: 10^13 € (beyond any real contract; guards against 1e17 junk).
const MAX_CENTIMES: i64 = 1_000_000_000_000_000;

impl Montant {
    /// From cents.
    pub const fn from_centimes(c: i64) -> Montant {
        Montant(c)
    }

    /// From whole euros.
    pub const fn euros(e: i64) -> Montant {
        Montant(e * 100)
    }

    /// The amount in cents.
    pub const fn centimes(self) -> i64 {
        self.0
    }

    /// The amount in euros as a float (for display and JSON only).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// From a float number of euros, rounded to the cent; `None` when not finite or absurd.
    pub fn from_f64(euros: f64) -> Option<Montant> {
        if !euros.is_finite() {
            return None;
        }
        let c = (euros * 100.0).round();
        if c.abs() > MAX_CENTIMES as f64 {
            return None;
        }
        Some(Montant(c as i64))
    }
}

impl fmt::Display for Montant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::format::montant(self.0))
    }
}

impl Serialize for Montant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Montant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Montant::from_f64(v)
            .ok_or_else(|| serde::de::Error::custom(format!("montant invalide : {v}")))
    }
}

impl JsonSchema for Montant {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Montant".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "Montant en euros (au plus deux décimales)",
            "maximum": 10_000_000_000_000.0_f64,
            "minimum": -10_000_000_000_000.0_f64
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        for text in ["0", "12", "1234.56", "0.1", "999999999.99"] {
            let m: Montant = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&m).unwrap(), text);
        }
        assert!(serde_json::from_str::<Montant>("1e17").is_err());
        assert!(serde_json::from_str::<Montant>("\"12\"").is_err());
    }
}
