//! Values of the data JSON: lookup of dotted paths in a stack of contexts (loops), and the
//! French formatting asked by a placeholder's filters or a MERGEFIELD's switches.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::format;

/// A formatting step applied to a value, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "filtre", content = "argument")]
#[non_exhaustive]
pub enum Filtre {
    /// Amount in euros `1 234,56 €` (the value is a number of euros).
    Montant,
    /// Amount in words, `mille deux cent trente-quatre euros et cinquante-six centimes`.
    MontantLettres,
    /// Whole number in words (`\* CardText`).
    Lettres,
    /// Number with French separators and the given count of decimals (none: as needed).
    Nombre(Option<u32>),
    /// Date `15/03/2026`.
    Date,
    /// Date in words `15 mars 2026`.
    DateLongue,
    /// Time `17:30` (Europe/Paris).
    Heure,
    /// Date and time `15/03/2026 17:30` (Europe/Paris).
    DateHeure,
    /// SIRET grouped `123 456 789 00012`.
    Siret,
    /// Upper case.
    Majuscules,
    /// Lower case.
    Minuscules,
    /// First letter of each word in capitals (`\* Caps`).
    Capitales,
    /// First letter in capital (`\* FirstCap`).
    PremiereMajuscule,
    /// A Word picture: `\@ "d MMMM yyyy"` for dates, `\# "# ##0,00 €"` for numbers.
    Image(String),
    /// Text put before a non-empty value (`\b`).
    Avant(String),
    /// Text put after a non-empty value (`\f`).
    Apres(String),
    /// Value used when the data is missing, null or empty (no missing-field error).
    Defaut(String),
}

impl Filtre {
    /// Parse a placeholder filter: its name and optional quoted argument.
    pub fn parse(nom: &str, argument: Option<&str>) -> Option<Filtre> {
        let arg = || argument.map(str::to_string);
        Some(match nom {
            "montant" | "euros" => Filtre::Montant,
            "montant_lettres" | "en_lettres" => Filtre::MontantLettres,
            "lettres" => Filtre::Lettres,
            "nombre" => Filtre::Nombre(argument.and_then(|a| a.trim().parse().ok())),
            "date" => Filtre::Date,
            "date_longue" => Filtre::DateLongue,
            "heure" => Filtre::Heure,
            "date_heure" => Filtre::DateHeure,
            "siret" | "siren" => Filtre::Siret,
            "majuscules" | "upper" => Filtre::Majuscules,
            "minuscules" | "lower" => Filtre::Minuscules,
            "capitales" => Filtre::Capitales,
            "premiere_majuscule" => Filtre::PremiereMajuscule,
            "format" => Filtre::Image(arg()?),
            "avant" => Filtre::Avant(arg()?),
            "apres" => Filtre::Apres(arg()?),
            "defaut" => Filtre::Defaut(arg().unwrap_or_default()),
            _ => return None,
        })
    }
}

/// Whether a value counts as true for a condition: not null, not false, not 0, not an empty
/// string, list or object.
pub fn vrai(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// One frame of the context stack: the current item of a loop (or the root data).
#[derive(Debug, Clone, Copy)]
pub struct Cadre<'a> {
    /// The value of the frame.
    pub valeur: &'a Value,
    /// The position in the loop, for `@index` and `@numero`.
    pub index: Option<usize>,
}

/// Result of a lookup.
#[derive(Debug, Clone)]
pub enum Trouve<'a> {
    /// A value of the data.
    Ref(&'a Value),
    /// A computed value (`@index`).
    Calcule(Value),
}

impl Trouve<'_> {
    /// The value.
    pub fn valeur(&self) -> &Value {
        match self {
            Trouve::Ref(v) => v,
            Trouve::Calcule(v) => v,
        }
    }
}

/// Look up a dotted path (`lot.attributaire.raison_sociale`) from the innermost frame
/// outwards: the first frame whose object has the first segment wins, the rest of the path
/// is then followed from there. `.` is the current item, `@index` / `@numero` its position
/// (from 0 / from 1). Numeric segments index lists (`lots.0.intitule`).
pub fn chercher<'a>(pile: &[Cadre<'a>], chemin: &str) -> Option<Trouve<'a>> {
    let chemin = chemin.trim();
    if chemin == "." {
        return pile.last().map(|c| Trouve::Ref(c.valeur));
    }
    if chemin == "@index" || chemin == "@numero" {
        let i = pile.iter().rev().find_map(|c| c.index)?;
        let n = if chemin == "@index" { i } else { i + 1 };
        return Some(Trouve::Calcule(Value::from(n as u64)));
    }
    let mut segments = chemin.split('.');
    let premier = segments.next()?;
    let depart = pile
        .iter()
        .rev()
        .find_map(|c| c.valeur.as_object().and_then(|o| o.get(premier)))?;
    let mut v = depart;
    for s in segments {
        v = match v {
            Value::Object(o) => o.get(s)?,
            Value::Array(a) => a.get(s.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(Trouve::Ref(v))
}

/// A date or a wall-clock date-time in Europe/Paris, parsed from the JSON text.
#[derive(Debug, Clone, Copy)]
enum Instant {
    Jour(NaiveDate),
    Moment(NaiveDateTime),
}

fn instant(v: &Value) -> Option<Instant> {
    let s = v.as_str()?.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Instant::Jour(d));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Instant::Moment(t.with_timezone(&Paris).naive_local()));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Instant::Moment(t));
        }
    }
    None
}

impl Instant {
    fn jour(self) -> NaiveDate {
        match self {
            Instant::Jour(d) => d,
            Instant::Moment(t) => t.date(),
        }
    }
    fn moment(self) -> NaiveDateTime {
        match self {
            Instant::Jour(d) => d.and_time(NaiveTime::MIN),
            Instant::Moment(t) => t,
        }
    }
}

fn nombre_de(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
}

/// The text of a value without filters: strings as they are, numbers with a decimal
/// comma, booleans `oui`/`non`, lists of scalars joined with `, `, null as empty.
pub fn texte_brut(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                n.to_string().replace('.', ",")
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => {
            let mut parts = Vec::with_capacity(a.len());
            for x in a {
                parts.push(texte_brut(x)?);
            }
            parts.join(", ")
        }
        Value::Object(_) => return Err("un objet ne peut pas être affiché comme texte".into()),
    })
}

fn centimes(x: f64) -> Result<i64, String> {
    let c = (x * 100.0).round();
    if !c.is_finite() || c.abs() > 9.0e17 {
        return Err("montant hors limites".into());
    }
    Ok(c as i64)
}

/// Apply the filters to a value. The error is a French reason, the caller names the field.
pub fn formater(v: &Value, filtres: &[Filtre]) -> Result<String, String> {
    if filtres.is_empty() {
        return texte_brut(v);
    }
    // Filters that need the typed value are applied to it first; the text filters after.
    let mut texte: Option<String> = None;
    for f in filtres {
        let courant = || -> Result<String, String> {
            match &texte {
                Some(t) => Ok(t.clone()),
                None => texte_brut(v),
            }
        };
        let vide = || match &texte {
            Some(t) => t.is_empty(),
            None => !vrai(v) && !matches!(v, Value::Number(_) | Value::Bool(_)),
        };
        let num = || nombre_de(v).ok_or_else(|| format!("« {} » n'est pas un nombre", brut(v)));
        let date = || instant(v).ok_or_else(|| format!("« {} » n'est pas une date", brut(v)));
        let nouveau = match f {
            Filtre::Defaut(d) => {
                if vide() {
                    d.clone()
                } else {
                    courant()?
                }
            }
            _ if texte.is_none() && v.is_null() => String::new(),
            Filtre::Montant => format::montant(centimes(num()?)?),
            Filtre::MontantLettres => format::montant_en_lettres(centimes(num()?)?),
            Filtre::Lettres => {
                let x = num()?;
                if x < 0.0 || x.fract() != 0.0 || x > 1e18 {
                    return Err(format!("« {} » n'est pas un entier positif", brut(v)));
                }
                format::nombre_en_lettres(x as u64)
            }
            Filtre::Nombre(d) => {
                let x = num()?;
                match d {
                    Some(d) => format::nombre(x, *d),
                    None => {
                        let decimales = if x.fract() == 0.0 { 0 } else { 2 };
                        format::nombre(x, decimales)
                    }
                }
            }
            Filtre::Date => format::date(date()?.jour()),
            Filtre::DateLongue => format::date_longue(date()?.jour()),
            Filtre::Heure => date()?.moment().format("%H:%M").to_string(),
            Filtre::DateHeure => date()?.moment().format("%d/%m/%Y %H:%M").to_string(),
            Filtre::Siret => format::siret(&courant()?),
            Filtre::Majuscules => courant()?.to_uppercase(),
            Filtre::Minuscules => courant()?.to_lowercase(),
            Filtre::Capitales => capitales(&courant()?),
            Filtre::PremiereMajuscule => premiere_majuscule(&courant()?),
            Filtre::Image(image) => {
                if let Some(i) = instant(v) {
                    image_date(i.moment(), image)
                } else if let Some(x) = nombre_de(v) {
                    image_nombre(x, image)
                } else {
                    return Err(format!(
                        "« {} » n'est ni une date ni un nombre pour le format « {image} »",
                        brut(v)
                    ));
                }
            }
            Filtre::Avant(a) => {
                let t = courant()?;
                if t.is_empty() { t } else { format!("{a}{t}") }
            }
            Filtre::Apres(a) => {
                let t = courant()?;
                if t.is_empty() { t } else { format!("{t}{a}") }
            }
        };
        texte = Some(nouveau);
    }
    Ok(texte.unwrap_or_default())
}

fn brut(v: &Value) -> String {
    match v {
        Value::String(s) => s.chars().take(40).collect(),
        other => other.to_string().chars().take(40).collect(),
    }
}

fn premiere_majuscule(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn capitales(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut debut = true;
    for ch in s.chars() {
        if debut && ch.is_alphabetic() {
            out.extend(ch.to_uppercase());
            debut = false;
        } else {
            out.push(ch);
            if ch.is_whitespace() || ch == '-' {
                debut = true;
            } else if ch.is_alphabetic() {
                debut = false;
            }
        }
    }
    out
}

const MOIS_COURTS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const JOURS_COURTS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

/// Format a date with a Word date picture (`\@`): `d`, `dd`, `ddd`, `dddd`, `M`…`MMMM`,
/// `yy`, `yyyy`, `H`, `HH`, `h`, `hh`, `m`, `mm`, `s`, `ss`, quoted literals; French names.
pub fn image_date(t: NaiveDateTime, image: &str) -> String {
    let chars: Vec<char> = image.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        match c {
            '\'' => {
                let mut j = i + 1;
                while let Some(&x) = chars.get(j) {
                    if x == '\'' {
                        break;
                    }
                    out.push(x);
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            'd' => out.push_str(&match n {
                1 => t.day().to_string(),
                2 => format!("{:02}", t.day()),
                3 => JOURS_COURTS
                    .get(t.weekday().num_days_from_monday() as usize)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                _ => format::JOURS
                    .get(t.weekday().num_days_from_monday() as usize)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            }),
            'M' => out.push_str(&match n {
                1 => t.month().to_string(),
                2 => format!("{:02}", t.month()),
                3 => MOIS_COURTS
                    .get(t.month0() as usize)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                _ => format::nom_mois(t.month()).to_string(),
            }),
            'y' | 'Y' => out.push_str(&if n <= 2 {
                format!("{:02}", t.year().rem_euclid(100))
            } else {
                t.year().to_string()
            }),
            'H' => out.push_str(&if n == 1 {
                t.hour().to_string()
            } else {
                format!("{:02}", t.hour())
            }),
            'h' => {
                let h = match t.hour() % 12 {
                    0 => 12,
                    h => h,
                };
                out.push_str(&if n == 1 {
                    h.to_string()
                } else {
                    format!("{h:02}")
                })
            }
            'm' => out.push_str(&if n == 1 {
                t.minute().to_string()
            } else {
                format!("{:02}", t.minute())
            }),
            's' => out.push_str(&if n == 1 {
                t.second().to_string()
            } else {
                format!("{:02}", t.second())
            }),
            _ => {
                for _ in 0..n {
                    out.push(c);
                }
            }
        }
        i += n;
    }
    out
}

/// Format a number with a Word numeric picture (`\#`): `0` and `#` digit placeholders,
/// grouping (space, `,` or `.` followed by three placeholders), decimals after the last
/// `,` or `.`; literal text before and after (e.g. ` €`) is kept. Output is French.
pub fn image_nombre(x: f64, image: &str) -> String {
    let image = image.trim_matches('"');
    let est_motif = |c: char| matches!(c, '0' | '#' | ',' | '.' | ' ' | '\u{A0}' | '\u{202F}');
    let debut = image.find(['0', '#']);
    let Some(debut) = debut else {
        return format!("{}{image}", format::nombre(x, 0));
    };
    let fin = image[debut..]
        .char_indices()
        .find(|(_, c)| !est_motif(*c))
        .map_or(image.len(), |(i, _)| debut + i);
    let motif = image[debut..fin].trim_end_matches([' ', '\u{A0}', '\u{202F}']);
    let suffixe = &image[debut + motif.len()..];
    let prefixe = &image[..debut];
    // The decimal separator is the last `,`/`.` unless it is a grouping one (exactly three
    // placeholders follow and another separator or a space grouping precedes).
    let mut decimales = 0u32;
    if let Some(pos) = motif.rfind([',', '.']) {
        let apres = &motif[pos + 1..];
        let groupe =
            apres.len() == 3 && !motif[..pos].contains([',', '.']) && motif[..pos].ends_with('#');
        if !groupe {
            decimales = apres.chars().filter(|c| matches!(c, '0' | '#')).count() as u32;
        }
    }
    let groupage = motif.contains([' ', '\u{A0}', '\u{202F}'])
        || motif
            .rfind([',', '.'])
            .is_some_and(|p| motif[..p].contains([',', '.']) || decimales == 0);
    let mut texte = format::nombre(x, decimales);
    if !groupage {
        texte.retain(|c| c != format::NNBSP);
    }
    format!("{prefixe}{texte}{suffixe}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_nested_and_loops() {
        let data = json!({"lot": {"attributaire": {"raison_sociale": "ACME"}}, "lots": [{"n": 1}], "x": 2});
        let item = json!({"n": 7});
        let pile = [
            Cadre {
                valeur: &data,
                index: None,
            },
            Cadre {
                valeur: &item,
                index: Some(2),
            },
        ];
        let t = chercher(&pile, "lot.attributaire.raison_sociale").unwrap();
        assert_eq!(t.valeur(), &json!("ACME"));
        assert_eq!(chercher(&pile, "n").unwrap().valeur(), &json!(7));
        assert_eq!(chercher(&pile, "x").unwrap().valeur(), &json!(2));
        assert_eq!(chercher(&pile, "lots.0.n").unwrap().valeur(), &json!(1));
        assert_eq!(chercher(&pile, "@numero").unwrap().valeur(), &json!(3));
        assert!(chercher(&pile, "lot.nope").is_none());
        assert!(chercher(&pile, "nope").is_none());
    }

    #[test]
    fn filters_format_french() {
        let f = |v: Value, fs: &[Filtre]| formater(&v, fs).unwrap();
        assert_eq!(
            f(json!(1234.5), &[Filtre::Montant]),
            "1\u{202F}234,50\u{A0}€"
        );
        assert_eq!(
            f(json!("1234.56"), &[Filtre::MontantLettres]),
            "mille deux cent trente-quatre euros et cinquante-six centimes"
        );
        assert_eq!(
            f(json!("2026-03-15"), &[Filtre::DateLongue]),
            "15 mars 2026"
        );
        assert_eq!(f(json!("2026-03-15T16:30:00Z"), &[Filtre::Heure]), "17:30");
        assert_eq!(
            f(json!("2026-03-15T17:30"), &[Filtre::DateHeure]),
            "15/03/2026 17:30"
        );
        assert_eq!(f(json!(1.5), &[]), "1,5");
        assert_eq!(f(json!(true), &[]), "oui");
        assert_eq!(f(json!(null), &[Filtre::Defaut("néant".into())]), "néant");
        assert_eq!(
            f(
                json!("x"),
                &[Filtre::Avant("(".into()), Filtre::Apres(")".into())]
            ),
            "(x)"
        );
        assert_eq!(f(json!("jean dupont"), &[Filtre::Capitales]), "Jean Dupont");
        assert!(formater(&json!("abc"), &[Filtre::Date]).is_err());
        assert!(formater(&json!({"a": 1}), &[]).is_err());
    }

    #[test]
    fn word_pictures() {
        let t = NaiveDate::from_ymd_opt(2026, 3, 5)
            .unwrap()
            .and_hms_opt(9, 7, 0)
            .unwrap();
        assert_eq!(image_date(t, "dd/MM/yyyy"), "05/03/2026");
        assert_eq!(
            image_date(t, "dddd d MMMM yyyy 'à' HH:mm"),
            "jeudi 5 mars 2026 à 09:07"
        );
        assert_eq!(
            image_nombre(1234567.891, "# ##0,00 €"),
            "1\u{202F}234\u{202F}567,89 €"
        );
        assert_eq!(
            image_nombre(1234567.891, "#,##0.00"),
            "1\u{202F}234\u{202F}567,89"
        );
        assert_eq!(image_nombre(1234.5, "#,##0"), "1\u{202F}235");
        assert_eq!(image_nombre(1234.5, "0.0"), "1234,5");
        assert_eq!(image_nombre(12.0, "x"), "12x");
    }
}
