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
    plis_de(s.chars())
}

/// The folded characters of `chars`.
fn plis_de(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    chars.flat_map(char::to_lowercase).flat_map(|l| {
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

/// `egaux_plies` of the two texts with every blank removed (`split_whitespace` joined),
/// without building either string: the store compares objets this way for each record
/// that shares a buyer and contract id with another.
pub(crate) fn egaux_plies_sans_blancs(a: &str, b: &str) -> bool {
    fn pleins(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().filter(|c| !c.is_whitespace())
    }
    if a.is_ascii() && b.is_ascii() {
        return pleins(a)
            .map(|c| c.to_ascii_lowercase())
            .eq(pleins(b).map(|c| c.to_ascii_lowercase()));
    }
    plis_de(pleins(a)).eq(plis_de(pleins(b)))
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
    if s.is_ascii() {
        // Most objets are plain ASCII: words found on bytes (every index is a char
        // boundary), copied whole, no char decoding; their letters are their bytes.
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let debut = i;
            while b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                i += 1;
            }
            if i - debut > 1
                && let Some(w) = s.get(debut..i)
            {
                mot.clear();
                mot.push_str(w);
                mot.make_ascii_lowercase();
                raciner(&mut mot);
                f(&mot);
            }
            i += 1;
        }
        return;
    }
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

    /// The ASCII path (words found on bytes) gives the words of the first definition:
    /// ASCII letters and digits, lower case, one-letter words skipped, stemmed.
    #[test]
    fn mots_ascii_comme_la_definition() {
        for s in [
            "",
            "a",
            "Travaux de voirie - LOT 2 : rue A.B. Dupont, 45233140-2",
            "  x  yy zzz ",
            "ecoles;lycees/colleges+TRAVAUX(2024)",
            "sas",
            "BUS bus",
        ] {
            let attendu: Vec<String> = s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() > 1)
                .map(|w| {
                    let mut m = w.to_ascii_lowercase();
                    raciner(&mut m);
                    m
                })
                .collect();
            assert_eq!(mots(s), attendu, "{s:?}");
        }
    }

    /// The store's objet comparison without allocation decides as the joined-words
    /// comparison it replaced (`split_whitespace` collected, then `egaux_plies`).
    #[test]
    fn sans_blancs_comme_les_mots_joints() {
        let joints = |t: &str| t.split_whitespace().collect::<String>();
        let textes = [
            "",
            " ",
            "Travaux & entretien",
            "Travaux&entretien",
            "TRAVAUX &ENTRETIEN ",
            "travaux\u{a0}& entretien",
            "Travaux d'électricité",
            "TRAVAUX D'ELECTRICITE",
            "travaux d' électricité\t",
            "Œuvre",
            "oeuvre",
            "o e u v r e",
            "œ uvre",
            "Réfection de la voirie",
            "Refection de la voirie - lot 2",
            "İstanbul",
            "i̇stanbul",
            "straße",
            "STRASSE",
            "a\u{2003}b",
            "ab",
            "aB\u{85}",
        ];
        for a in textes {
            for b in textes {
                assert_eq!(
                    egaux_plies_sans_blancs(a, b),
                    egaux_plies(&joints(a), &joints(b)),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
