//! E-mail addresses of the recipients: parsing what an agent pastes, validation (a subset of
//! the RFC 5322 `addr-spec`, internationalized domains allowed), de-duplication, and the
//! recipients pre-filled from the registers (retraits, questions, dépôts).

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::{CodeErreur, Erreur, Result};

/// Longest address accepted (RFC 5321 path limit less the angle brackets).
const MAX_ADRESSE: usize = 254;
/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_PARTIE_LOCALE: usize = 64;
/// Longest domain in its ASCII form (RFC 1035).
const MAX_DOMAINE: usize = 253;
/// Longest label in its ASCII form.
const MAX_LABEL: usize = 63;
/// Most addresses accepted in one paste (a letter goes to the companies of one consultation).
pub const MAX_DESTINATAIRES: usize = 2000;

/// A validated e-mail address.
///
/// `email` is the address as people read it (domain in Unicode, lower case, NFC); `ascii` is
/// the form written in the message headers, the domain converted to IDNA A-labels
/// (`xn--…`), so that any mail server can route it without SMTPUTF8.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Adresse {
    /// Address for display, e.g. `contact@bâtiment-lyon.fr`.
    pub email: String,
    /// Address for the headers, e.g. `contact@xn--btiment-lyon-pbb.fr`.
    pub ascii: String,
}

impl Adresse {
    /// Validate one address.
    ///
    /// ```
    /// let a = mpe::messagerie::Adresse::analyser("Contact@Bâtiment-Lyon.FR").unwrap();
    /// assert_eq!(a.email, "Contact@bâtiment-lyon.fr");
    /// assert_eq!(a.ascii, "Contact@xn--btiment-lyon-pbb.fr");
    /// assert!(mpe::messagerie::Adresse::analyser("jean@@exemple.fr").is_err());
    /// ```
    pub fn analyser(texte: &str) -> Result<Adresse> {
        let invalide = |pourquoi: &str| {
            Erreur::new(
                CodeErreur::AdresseInvalide,
                format!("adresse électronique invalide « {texte} » : {pourquoi}"),
            )
        };
        let (locale, domaine) = texte
            .rsplit_once('@')
            .ok_or_else(|| invalide("il manque « @ »"))?;
        verifier_partie_locale(locale).map_err(|p| invalide(&p))?;
        let (unicode, ascii) = normaliser_domaine(domaine).map_err(|p| invalide(&p))?;
        let adresse = Adresse {
            email: format!("{locale}@{unicode}"),
            ascii: format!("{locale}@{ascii}"),
        };
        if adresse.ascii.len() > MAX_ADRESSE {
            return Err(invalide("adresse trop longue"));
        }
        Ok(adresse)
    }

    /// The key two addresses are the same under: the local part as written (RFC 5321 lets
    /// the receiving server tell cases apart), the domain without case.
    pub fn cle(&self) -> String {
        // The ASCII form's domain is already lower case.
        self.ascii.clone()
    }
}

fn verifier_partie_locale(locale: &str) -> std::result::Result<(), String> {
    if locale.is_empty() {
        return Err("partie locale vide".into());
    }
    if locale.len() > MAX_PARTIE_LOCALE {
        return Err("partie locale de plus de 64 caractères".into());
    }
    // dot-atom only: quoted local parts and comments are legal but never seen in practice and
    // are a classic source of header injection.
    if locale.starts_with('.') || locale.ends_with('.') || locale.contains("..") {
        return Err("point mal placé dans la partie locale".into());
    }
    if let Some(c) = locale.chars().find(|c| !est_atext(*c) && *c != '.') {
        return Err(format!(
            "caractère « {} » interdit avant « @ »",
            c.escape_default()
        ));
    }
    Ok(())
}

/// `atext` of RFC 5322 §3.2.3.
pub(crate) fn est_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// The domain in Unicode (lower case, NFC) and in ASCII (A-labels).
fn normaliser_domaine(domaine: &str) -> std::result::Result<(String, String), String> {
    if domaine.is_empty() {
        return Err("domaine vide".into());
    }
    let domaine: String = domaine.nfc().collect::<String>().to_lowercase();
    // A trailing dot (fully qualified) is refused: mail clients do not write it.
    let labels: Vec<&str> = domaine.split('.').collect();
    if labels.len() < 2 {
        return Err("le domaine doit comporter au moins un point".into());
    }
    let mut ascii = Vec::with_capacity(labels.len());
    for label in &labels {
        if label.is_empty() {
            return Err("point mal placé dans le domaine".into());
        }
        let a = if label.is_ascii() {
            if let Some(c) = label
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return Err(format!(
                    "caractère « {} » interdit dans le domaine",
                    c.escape_default()
                ));
            }
            (*label).to_string()
        } else {
            if let Some(c) = label.chars().find(|c| !(c.is_alphanumeric() || *c == '-')) {
                return Err(format!(
                    "caractère « {} » interdit dans le domaine",
                    c.escape_default()
                ));
            }
            let code = punycode(label).ok_or_else(|| "domaine trop long".to_string())?;
            format!("xn--{code}")
        };
        if a.len() > MAX_LABEL {
            return Err("élément du domaine de plus de 63 caractères".into());
        }
        if a.starts_with('-') || a.ends_with('-') {
            return Err("trait d'union en début ou fin d'élément du domaine".into());
        }
        ascii.push(a);
    }
    if ascii
        .last()
        .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("extension de domaine numérique".into());
    }
    let ascii = ascii.join(".");
    if ascii.len() > MAX_DOMAINE {
        return Err("domaine trop long".into());
    }
    Ok((domaine, ascii))
}

/// Punycode (RFC 3492 §6.3) of one label, without the `xn--` prefix. `None` on overflow.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let entree: Vec<u32> = label.chars().map(u32::from).collect();
    let chiffre = |d: u32| -> char {
        // d < 36 by construction; the fallback is never reached.
        let b = if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        };
        char::from(b)
    };
    let mut sortie: String = label.chars().filter(char::is_ascii).collect();
    let b = sortie.len() as u32;
    if b > 0 {
        sortie.push('-');
    }
    let mut n: u32 = 128;
    let mut delta: u32 = 0;
    let mut biais: u32 = 72;
    let mut h = b;
    let total = entree.len() as u32;
    while h < total {
        let m = entree.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in &entree {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= biais {
                        TMIN
                    } else if k >= biais + TMAX {
                        TMAX
                    } else {
                        k - biais
                    };
                    if q < t {
                        break;
                    }
                    sortie.push(chiffre(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                sortie.push(chiffre(q));
                biais = adapter(delta, h + 1, h == b);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(sortie)
}

fn adapter(delta: u32, points: u32, premiere: bool) -> u32 {
    let mut delta = if premiere { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

/// Split what an agent pasted (addresses separated by spaces, commas, semicolons or new
/// lines; `<…>` around an address is accepted), validate every address and drop the
/// duplicates (same local part, same domain whatever its case), keeping the first.
///
/// Every invalid address is listed in the one error (code `ADRESSE_INVALIDE`), so the agent
/// can fix them all at once; `.path()` gives the position of the first one.
///
/// ```
/// use mpe::messagerie::analyser_destinataires;
/// let l = analyser_destinataires("a@x.fr, b@y.fr;\nA@X.FR  c@z.fr").unwrap();
/// let emails: Vec<_> = l.iter().map(|a| a.email.as_str()).collect();
/// assert_eq!(emails, ["a@x.fr", "b@y.fr", "A@x.fr", "c@z.fr"]);
/// let l = analyser_destinataires("a@x.fr a@X.Fr").unwrap();
/// assert_eq!(l.len(), 1);
/// ```
pub fn analyser_destinataires(texte: &str) -> Result<Vec<Adresse>> {
    let mut vues = BTreeSet::new();
    let mut adresses = Vec::new();
    let mut erreurs: Vec<(usize, Erreur)> = Vec::new();
    let morceaux = texte
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|m| !m.is_empty());
    for (i, morceau) in morceaux.enumerate() {
        if i >= MAX_DESTINATAIRES {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!("plus de {MAX_DESTINATAIRES} destinataires"),
            ));
        }
        let nu = morceau
            .strip_prefix('<')
            .and_then(|m| m.strip_suffix('>'))
            .unwrap_or(morceau);
        match Adresse::analyser(nu) {
            Ok(a) => {
                if vues.insert(a.cle()) {
                    adresses.push(a);
                }
            }
            Err(e) => erreurs.push((i, e)),
        }
    }
    if let Some((premiere, _)) = erreurs.first() {
        let liste: Vec<&str> = erreurs.iter().map(|(_, e)| e.message()).collect();
        return Err(Erreur::new(CodeErreur::AdresseInvalide, liste.join(" ; "))
            .at(format!("destinataires[{premiere}]")));
    }
    Ok(adresses)
}

/// Where a company's address comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Origine {
    /// Registre des retraits (downloaded the DCE).
    Retrait,
    /// Registre des questions (asked a question).
    Question,
    /// Registre des dépôts (submitted a pli).
    Depot,
    /// Typed or pasted by the agent.
    Saisie,
}

/// A company as the registers know it (the procedure module's registers convert to this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContactEntreprise {
    /// Company name.
    pub raison_sociale: String,
    /// Address as recorded.
    pub email: String,
    /// Registers the company appears in.
    #[serde(default)]
    pub origines: Vec<Origine>,
}

/// A recipient of a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Destinataire {
    /// Address (display form; the headers use its ASCII form).
    pub email: String,
    /// Company name, when known (shown in the `To:` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raison_sociale: Option<String>,
    /// Where it comes from.
    #[serde(default)]
    pub origines: Vec<Origine>,
}

impl Destinataire {
    /// The recipient for a validated address, typed by the agent.
    pub fn saisi(adresse: &Adresse) -> Destinataire {
        Destinataire {
            email: adresse.email.clone(),
            raison_sociale: None,
            origines: vec![Origine::Saisie],
        }
    }

    /// The recipient of a company of the registers (its address validated).
    pub fn depuis_contact(contact: &ContactEntreprise) -> Result<Destinataire> {
        let a = Adresse::analyser(contact.email.trim())?;
        let mut origines = contact.origines.clone();
        origines.sort();
        origines.dedup();
        Ok(Destinataire {
            email: a.email,
            raison_sociale: Some(contact.raison_sociale.clone()).filter(|r| !r.trim().is_empty()),
            origines,
        })
    }
}

/// The recipients pre-filled from the registers: the companies found in at least one of
/// `origines` (all of them when `origines` is empty), one per address (merging their
/// origins, keeping the first company name), in the order of `contacts`.
///
/// A company whose recorded address is invalid is an error (`ADRESSE_INVALIDE`, with the
/// contact's index as path): the agent must see it rather than lose a recipient silently.
///
/// ```
/// use mpe::messagerie::{ContactEntreprise, Origine, destinataires_depuis_registres};
/// let contacts = vec![
///     ContactEntreprise { raison_sociale: "Alpha".into(), email: "ao@alpha.fr".into(),
///                         origines: vec![Origine::Retrait] },
///     ContactEntreprise { raison_sociale: "Alpha SAS".into(), email: "ao@ALPHA.FR".into(),
///                         origines: vec![Origine::Depot] },
///     ContactEntreprise { raison_sociale: "Bêta".into(), email: "b@beta.fr".into(),
///                         origines: vec![Origine::Question] },
/// ];
/// let d = destinataires_depuis_registres(&contacts, &[Origine::Depot, Origine::Retrait]).unwrap();
/// assert_eq!(d.len(), 1);
/// assert_eq!(d[0].origines, [Origine::Retrait, Origine::Depot]);
/// ```
pub fn destinataires_depuis_registres(
    contacts: &[ContactEntreprise],
    origines: &[Origine],
) -> Result<Vec<Destinataire>> {
    let mut sortie: Vec<(String, Destinataire)> = Vec::new();
    for (i, c) in contacts.iter().enumerate() {
        if !origines.is_empty() && !c.origines.iter().any(|o| origines.contains(o)) {
            continue;
        }
        let a = Adresse::analyser(c.email.trim()).map_err(|e| e.at(format!("contacts[{i}]")))?;
        let d = Destinataire::depuis_contact(c).map_err(|e| e.at(format!("contacts[{i}]")))?;
        match sortie.iter_mut().find(|(cle, _)| *cle == a.cle()) {
            Some((_, existant)) => {
                existant.origines.extend(d.origines);
                existant.origines.sort();
                existant.origines.dedup();
            }
            None => sortie.push((a.cle(), d)),
        }
    }
    Ok(sortie.into_iter().map(|(_, d)| d).collect())
}

/// Merge recipient lists, dropping later duplicates (same address, domain case ignored)
/// and merging their origins.
pub fn fusionner_destinataires(listes: &[Vec<Destinataire>]) -> Result<Vec<Destinataire>> {
    let mut sortie: Vec<(String, Destinataire)> = Vec::new();
    for d in listes.iter().flatten() {
        let cle = Adresse::analyser(&d.email)?.cle();
        match sortie.iter_mut().find(|(c, _)| *c == cle) {
            Some((_, e)) => {
                e.origines.extend(d.origines.iter().copied());
                e.origines.sort();
                e.origines.dedup();
                if e.raison_sociale.is_none() {
                    e.raison_sociale.clone_from(&d.raison_sociale);
                }
            }
            None => sortie.push((cle, d.clone())),
        }
    }
    Ok(sortie.into_iter().map(|(_, d)| d).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_rfc3492_vectors() {
        // RFC 3492 §7.1 (A) Arabic (Egyptian), (L) 3年B組金八先生 and simple European cases.
        let arabe: String = [
            0x0644u32, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645,
            0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F,
        ]
        .iter()
        .filter_map(|c| char::from_u32(*c))
        .collect();
        assert_eq!(punycode(&arabe).unwrap(), "egbpdaj6bu4bxfgehfvwxn");
        assert_eq!(
            punycode("3年b組金八先生").unwrap(),
            "3b-ww4c5e180e575a65lsy2b"
        );
        assert_eq!(punycode("bücher").unwrap(), "bcher-kva");
        assert_eq!(punycode("münchen").unwrap(), "mnchen-3ya");
    }

    #[test]
    fn addresses_valid_and_invalid() {
        for ok in [
            "a@b.fr",
            "prenom.nom+ao@sous.domaine.gouv.fr",
            "x_y-z@exemple-1.com",
            "o'brien@exemple.ie",
        ] {
            assert!(Adresse::analyser(ok).is_ok(), "{ok}");
        }
        for ko in [
            "",
            "@b.fr",
            "a@",
            "a@b",
            "a..b@c.fr",
            ".a@c.fr",
            "a.@c.fr",
            "a b@c.fr",
            "a@b..fr",
            "a@-b.fr",
            "a@b-.fr",
            "a@b.123",
            "a@[1.2.3.4]",
            "é@b.fr",
            "a@b_c.fr",
            "a\r\nBcc: x@y.fr@b.fr",
            "\"a\"@b.fr",
        ] {
            let e = Adresse::analyser(ko).unwrap_err();
            assert_eq!(e.code(), CodeErreur::AdresseInvalide, "{ko}");
        }
        let long = format!("{}@b.fr", "a".repeat(65));
        assert_eq!(
            Adresse::analyser(&long).unwrap_err().code(),
            CodeErreur::AdresseInvalide
        );
        let label = format!("a@{}.fr", "b".repeat(64));
        assert!(Adresse::analyser(&label).is_err());
    }

    #[test]
    fn idn_domain_is_normalized() {
        // Decomposed "é" (e + U+0301) is composed before conversion.
        let a = Adresse::analyser("x@re\u{301}gion.fr").unwrap();
        assert_eq!(a.email, "x@région.fr");
        assert_eq!(a.ascii, "x@xn--rgion-bsa.fr");
        let b = Adresse::analyser("x@RÉGION.fr").unwrap();
        assert_eq!(a.cle(), b.cle());
    }

    #[test]
    fn paste_lists_every_invalid_address() {
        let e = analyser_destinataires("ok@x.fr pas-une-adresse\n<autre@y.fr>;faux@").unwrap_err();
        assert_eq!(e.code(), CodeErreur::AdresseInvalide);
        assert_eq!(e.path(), Some("destinataires[1]"));
        assert!(e.message().contains("pas-une-adresse"));
        assert!(e.message().contains("faux@"));
        assert!(analyser_destinataires(" ,; \n").unwrap().is_empty());
        let l = analyser_destinataires("<autre@y.fr>").unwrap();
        assert_eq!(l[0].email, "autre@y.fr");
    }

    #[test]
    fn too_many_recipients() {
        let texte = (0..=MAX_DESTINATAIRES)
            .map(|i| format!("a{i}@x.fr"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            analyser_destinataires(&texte).unwrap_err().code(),
            CodeErreur::LimiteDepassee
        );
    }

    #[test]
    fn register_contact_with_bad_address() {
        let c = vec![ContactEntreprise {
            raison_sociale: "X".into(),
            email: "nope".into(),
            origines: vec![Origine::Depot],
        }];
        let e = destinataires_depuis_registres(&c, &[]).unwrap_err();
        assert_eq!(e.code(), CodeErreur::AdresseInvalide);
        assert_eq!(e.path(), Some("contacts[0]"));
        // Filtered out before validation: not an error.
        assert!(
            destinataires_depuis_registres(&c, &[Origine::Retrait])
                .unwrap()
                .is_empty()
        );
    }
}
