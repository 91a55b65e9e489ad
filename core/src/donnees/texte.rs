//! French text folding for search: lower case, no accents, words, light plural stemming.

/// The unaccented spelling of a lower-case letter, when it has one.
fn sans_accent(l: char) -> Option<&'static str> {
    Some(match l {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    })
}

/// Fold one character: lower case without diacritics (`É` → `e`, `œ` → `oe`).
#[inline]
fn plier(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        match sans_accent(l) {
            Some(s) => out.push_str(s),
            None => out.push(l),
        }
    }
}

/// The folded characters of `s`, without building a string.
fn plis(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase).flat_map(|l| {
        let r = sans_accent(l);
        r.unwrap_or("").chars().chain(r.is_none().then_some(l))
    })
}

/// `plier_texte(a) == plier_texte(b)`, without allocating.
pub(crate) fn egaux_plies(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    plis(a).eq(plis(b))
}

/// The folded text (lower case, accents removed).
///
/// ```
/// assert_eq!(mpe::donnees::plier_texte("Électricité ŒUVRE"), "electricite oeuvre");
/// ```
pub fn plier_texte(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        plier(c, &mut out);
    }
    out
}

/// Light stemming so that singular and plural meet: a trailing `s` or `x` is dropped from
/// words longer than three letters.
fn raciner(m: &mut String) {
    if m.len() > 3 && (m.ends_with('s') || m.ends_with('x')) {
        m.pop();
    }
}

/// Call `f` on each folded, stemmed word of `s` (letters and digits; one-letter words
/// skipped) without allocating per word.
pub(crate) fn pour_chaque_mot(s: &str, mut f: impl FnMut(&str)) {
    let mut mot = String::new();
    let mut fin = |mot: &mut String| {
        let lettres = if mot.is_ascii() {
            mot.len()
        } else {
            mot.chars().count()
        };
        if lettres > 1 {
            raciner(mot);
            f(mot);
        }
        mot.clear();
    };
    if s.is_ascii() {
        // Most objets are plain ASCII: whole words copied, no char decoding.
        for w in s.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !w.is_empty() {
                mot.push_str(w);
                mot.make_ascii_lowercase();
                fin(&mut mot);
            }
        }
    } else {
        for c in s.chars() {
            // ASCII characters (most of an accented text) without the Unicode tables.
            let lettre = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            };
            if lettre {
                if c.is_ascii() {
                    mot.push(c.to_ascii_lowercase());
                } else {
                    plier(c, &mut mot);
                }
            } else if !mot.is_empty() {
                fin(&mut mot);
            }
        }
    }
    if !mot.is_empty() {
        fin(&mut mot);
    }
}

/// The folded, stemmed words of `s`.
pub(crate) fn mots(s: &str) -> Vec<String> {
    let mut v = Vec::new();
    pour_chaque_mot(s, |m| v.push(m.to_string()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mots_plies() {
        assert_eq!(
            mots("Travaux d'ÉLECTRICITÉ, lot n°2 Œuvres"),
            vec!["travau", "electricite", "lot", "oeuvre"]
        );
        assert_eq!(mots("travaux"), mots("TRAVAUX"));
        // One-letter words are skipped (counted in folded letters: « é » is one, « œ » two).
        assert_eq!(mots("a é lot2 b œ"), vec!["lot2", "oe"]);
        assert_eq!(mots("à bâtir"), mots("a batir"));
        for (a, b) in [
            ("Procédure adaptée", "PROCEDURE ADAPTEE"),
            ("Œuvre", "oeuvre"),
            ("abc", "ABC"),
            ("été", "ete "),
        ] {
            assert_eq!(
                egaux_plies(a, b),
                plier_texte(a) == plier_texte(b),
                "{a} {b}"
            );
        }
    }
}
