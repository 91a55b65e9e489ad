//! French text folding for search: lower case, no accents, words, light plural stemming.

/// Fold one character: lower case without diacritics (`É` → `e`, `œ` → `oe`).
fn plier(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        let s = match l {
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
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(s);
    }
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
    let fin = |mot: &mut String, f: &mut dyn FnMut(&str)| {
        if mot.chars().count() > 1 {
            raciner(mot);
            f(mot);
        }
        mot.clear();
    };
    for c in s.chars() {
        if c.is_alphanumeric() {
            plier(c, &mut mot);
        } else if !mot.is_empty() {
            fin(&mut mot, &mut f);
        }
    }
    if !mot.is_empty() {
        fin(&mut mot, &mut f);
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
    }
}
