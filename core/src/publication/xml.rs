//! A minimal indented XML writer for the notices: elements, attributes, escaped text.

/// Writes into a `String`; the caller balances `ouvrir` and `fermer`.
pub(crate) struct Ecrivain {
    pub sortie: String,
    profondeur: usize,
}

fn echapper(s: &str, sortie: &mut String) {
    for c in s.chars() {
        match c {
            '&' => sortie.push_str("&amp;"),
            '<' => sortie.push_str("&lt;"),
            '>' => sortie.push_str("&gt;"),
            '"' => sortie.push_str("&quot;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => sortie.push(c),
        }
    }
}

impl Ecrivain {
    pub fn new(capacite: usize) -> Ecrivain {
        let mut sortie = String::with_capacity(capacite);
        sortie.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Ecrivain {
            sortie,
            profondeur: 0,
        }
    }

    fn indenter(&mut self) {
        for _ in 0..self.profondeur {
            self.sortie.push('\t');
        }
    }

    fn balise(&mut self, nom: &str, attributs: &[(&str, &str)]) {
        self.indenter();
        self.sortie.push('<');
        self.sortie.push_str(nom);
        for (a, v) in attributs {
            self.sortie.push(' ');
            self.sortie.push_str(a);
            self.sortie.push_str("=\"");
            echapper(v, &mut self.sortie);
            self.sortie.push('"');
        }
    }

    /// `<nom a="v">` and a new line.
    pub fn ouvrir(&mut self, nom: &str, attributs: &[(&str, &str)]) {
        self.balise(nom, attributs);
        self.sortie.push_str(">\n");
        self.profondeur += 1;
    }

    /// `</nom>`.
    pub fn fermer(&mut self, nom: &str) {
        self.profondeur = self.profondeur.saturating_sub(1);
        self.indenter();
        self.sortie.push_str("</");
        self.sortie.push_str(nom);
        self.sortie.push_str(">\n");
    }

    /// `<nom a="v">texte</nom>`.
    pub fn feuille(&mut self, nom: &str, attributs: &[(&str, &str)], texte: &str) {
        self.balise(nom, attributs);
        self.sortie.push('>');
        echapper(texte, &mut self.sortie);
        self.sortie.push_str("</");
        self.sortie.push_str(nom);
        self.sortie.push_str(">\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echappe_et_equilibre() {
        let mut e = Ecrivain::new(0);
        e.ouvrir("a", &[("x", "1\"<")]);
        e.feuille("b", &[], "R&D <x>\u{1}");
        e.fermer("a");
        assert_eq!(
            e.sortie,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1&quot;&lt;\">\n\t<b>R&amp;D &lt;x&gt;</b>\n</a>\n"
        );
    }
}
