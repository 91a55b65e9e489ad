//! The letters: their kinds, default French subject and body, sending options, and the
//! consultation block appended to every message.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::adresse::{ContactEntreprise, Destinataire};
use super::piece_jointe::{ModificationDce, PieceJointe};
use crate::model::{Consultation, Organisation};
use crate::{CodeErreur, Erreur, Result};

/// Kind of letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeCourrier {
    /// Courrier de rejet (the company's answer was not retained).
    Rejet,
    /// Modification du DCE.
    ModificationDce,
    /// Demande de complément.
    DemandeComplement,
    /// Réponse à une question.
    ReponseQuestion,
    /// Information au titulaire retenu.
    InformationTitulaire,
    /// Notification (of the contract).
    Notification,
    /// Courrier libre.
    Libre,
}

impl TypeCourrier {
    /// Every kind, in the order of the buyer's menu.
    pub const TOUS: [TypeCourrier; 7] = [
        TypeCourrier::Rejet,
        TypeCourrier::ModificationDce,
        TypeCourrier::DemandeComplement,
        TypeCourrier::ReponseQuestion,
        TypeCourrier::InformationTitulaire,
        TypeCourrier::Notification,
        TypeCourrier::Libre,
    ];

    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            TypeCourrier::Rejet => "Courrier de rejet",
            TypeCourrier::ModificationDce => "Modification du DCE",
            TypeCourrier::DemandeComplement => "Demande de complément",
            TypeCourrier::ReponseQuestion => "Réponse à une question",
            TypeCourrier::InformationTitulaire => "Information au titulaire retenu",
            TypeCourrier::Notification => "Notification",
            TypeCourrier::Libre => "Courrier libre",
        }
    }
}

/// How the letter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct OptionsEnvoi {
    /// With acknowledgement: each recipient gets a unique link; opening it records the
    /// date of acknowledgement. Otherwise a simple e-mail.
    #[serde(default)]
    pub accuse_reception: bool,
    /// Whether the recipient may answer (a `Reply-To` to the platform's address).
    #[serde(default)]
    pub reponse_autorisee: bool,
    /// With acknowledgement only: the e-mail carries a notice and the link, not the letter
    /// nor its attachments, which the platform shows once the link is opened (the
    /// acknowledgement then proves the company had the content in hand).
    #[serde(default)]
    pub contenu_sur_plateforme: bool,
}

/// The default subject and body of a kind of letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModeleCourrier {
    /// Subject.
    pub objet: String,
    /// Body, plain text (paragraphs separated by blank lines).
    pub corps: String,
}

const FORMULE_APPEL: &str = "Madame, Monsieur,";
const FORMULE_POLITESSE: &str =
    "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.";

/// `lot n°2 « Menuiseries extérieures »`, or the whole consultation.
fn designation_lot(consultation: &Consultation, lot: Option<u32>) -> Option<String> {
    let n = lot?;
    Some(match consultation.lot(n) {
        Some(l) => format!("lot n°{n} « {} »", l.intitule),
        None => format!("lot n°{n}"),
    })
}

/// The default subject and body of a letter of kind `type_courrier` about `consultation`
/// (and one of its lots), as the reference platform writes them. The agent edits both.
///
/// ```
/// use mpe::messagerie::{TypeCourrier, modele};
/// let c = mpe::model::Consultation::from_json(include_str!("../../../examples/data/consultation.json")).unwrap();
/// let m = modele(TypeCourrier::Rejet, &c, Some(2));
/// assert_eq!(m.objet, "AOO_2026/0611 – Rejet de votre offre – Lot n°2");
/// assert!(m.corps.contains("Nous vous remercions d'avoir répondu"));
/// assert!(m.corps.contains("au lot n°2 « Menuiseries extérieures »"));
/// ```
pub fn modele(
    type_courrier: TypeCourrier,
    consultation: &Consultation,
    lot: Option<u32>,
) -> ModeleCourrier {
    let reference = &consultation.identification.reference;
    let suffixe_lot = lot.map(|n| format!(" – Lot n°{n}")).unwrap_or_default();
    let pour_lot = designation_lot(consultation, lot)
        .map(|d| format!(" pour le {d}"))
        .unwrap_or_default();
    let (titre, milieu): (&str, String) = match type_courrier {
        TypeCourrier::Rejet => (
            "Rejet de votre offre",
            format!(
                "Nous vous remercions d'avoir répondu à la consultation citée en référence{}.\n\n\
                 Nous avons le regret de vous informer que votre réponse n'a pas été retenue.\n\n\
                 Nous vous remercions de l'intérêt que vous avez porté à notre consultation.",
                designation_lot(consultation, lot)
                    .map(|d| format!(", au {d}"))
                    .unwrap_or_default()
            ),
        ),
        TypeCourrier::ModificationDce => (
            "Modification du DCE",
            "Nous vous informons que le dossier de consultation des entreprises (DCE) de la \
             consultation citée en référence a été modifié.\n\n\
             Nous vous invitons à en prendre connaissance et à en tenir compte dans votre réponse."
                .to_string(),
        ),
        TypeCourrier::DemandeComplement => (
            "Demande de complément",
            format!(
                "Dans le cadre de l'analyse de votre réponse à la consultation citée en \
                 référence{pour_lot}, nous vous remercions de bien vouloir nous transmettre les \
                 éléments suivants :\n\n\n\n\
                 Ces éléments sont à transmettre par l'intermédiaire de la plateforme."
            ),
        ),
        TypeCourrier::ReponseQuestion => (
            "Réponse à une question",
            "Vous trouverez ci-dessous la réponse à la question posée au sujet de la \
             consultation citée en référence.\n\n\
             Question :\n\n\
             Réponse :"
                .to_string(),
        ),
        TypeCourrier::InformationTitulaire => (
            "Information au titulaire retenu",
            format!(
                "Nous avons le plaisir de vous informer que votre offre{pour_lot} a été retenue \
                 à l'issue de la consultation citée en référence.\n\n\
                 Le marché vous sera notifié après l'expiration du délai de suspension de la \
                 signature et la production des pièces prévues au règlement de la consultation."
            ),
        ),
        TypeCourrier::Notification => (
            "Notification du marché",
            format!(
                "Nous vous notifions le marché issu de la consultation citée en \
                 référence{pour_lot}, dont vous êtes le titulaire.\n\n\
                 Vous trouverez en pièce jointe le marché signé. La date de réception du \
                 présent courrier vaut date de notification."
            ),
        ),
        TypeCourrier::Libre => ("Courrier", String::new()),
    };
    let corps = if milieu.is_empty() {
        format!("{FORMULE_APPEL}\n\n\n\n{FORMULE_POLITESSE}")
    } else {
        format!("{FORMULE_APPEL}\n\n{milieu}\n\n{FORMULE_POLITESSE}")
    };
    ModeleCourrier {
        objet: format!("{reference} – {titre}{suffixe_lot}"),
        corps,
    }
}

/// A letter to companies, as the agent finishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Courrier {
    /// Kind.
    pub type_courrier: TypeCourrier,
    /// Lot concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<u32>,
    /// Subject.
    pub objet: String,
    /// Body, plain text (the HTML part is derived from it, escaped).
    pub corps: String,
    /// Recipients.
    #[serde(default)]
    pub destinataires: Vec<Destinataire>,
    /// Attachments chosen by the agent.
    #[serde(default)]
    pub pieces_jointes: Vec<PieceJointe>,
    /// Changes of the DCE (modification du DCE only): listed in the body; added and
    /// replacing pieces are attached.
    #[serde(default)]
    pub modifications_dce: Vec<ModificationDce>,
    /// Sending options.
    #[serde(default)]
    pub options: OptionsEnvoi,
}

impl Courrier {
    /// A letter of this kind with the default subject and body and no recipient.
    pub fn nouveau(
        type_courrier: TypeCourrier,
        consultation: &Consultation,
        lot: Option<u32>,
    ) -> Courrier {
        let m = modele(type_courrier, consultation, lot);
        Courrier {
            type_courrier,
            lot,
            objet: m.objet,
            corps: m.corps,
            destinataires: Vec::new(),
            pieces_jointes: Vec::new(),
            modifications_dce: Vec::new(),
            options: OptionsEnvoi::default(),
        }
    }

    /// The rejection letter of a company's bid, its address pre-filled.
    ///
    /// ```
    /// use mpe::messagerie::{ContactEntreprise, Courrier, Origine};
    /// let c = mpe::model::Consultation::from_json(include_str!("../../../examples/data/consultation.json")).unwrap();
    /// let e = ContactEntreprise { raison_sociale: "Menuiseries Rhône SA".into(),
    ///     email: "ao@menuiseries-rhone.fr".into(), origines: vec![Origine::Depot] };
    /// let r = Courrier::rejet(&c, &e, Some(2)).unwrap();
    /// assert_eq!(r.destinataires[0].email, "ao@menuiseries-rhone.fr");
    /// ```
    pub fn rejet(
        consultation: &Consultation,
        entreprise: &ContactEntreprise,
        lot: Option<u32>,
    ) -> Result<Courrier> {
        let mut c = Courrier::nouveau(TypeCourrier::Rejet, consultation, lot);
        c.destinataires = vec![Destinataire::depuis_contact(entreprise)?];
        Ok(c)
    }

    /// The attachments the message carries: the agent's, then those of the DCE changes.
    pub fn toutes_pieces_jointes(&self) -> Vec<PieceJointe> {
        let mut p = self.pieces_jointes.clone();
        if self.type_courrier == TypeCourrier::ModificationDce {
            p.extend(super::piece_jointe::pieces_automatiques(
                &self.modifications_dce,
            ));
        }
        p
    }

    /// The body with the list of DCE changes, as sent.
    pub fn corps_complet(&self) -> String {
        if self.type_courrier != TypeCourrier::ModificationDce || self.modifications_dce.is_empty()
        {
            return self.corps.clone();
        }
        let liste: Vec<String> = self.modifications_dce.iter().map(|m| m.phrase()).collect();
        format!(
            "{}\n\nModifications apportées :\n{}",
            self.corps.trim_end(),
            liste.join("\n")
        )
    }

    /// Check what must be there before sending: a subject, a body, a lot that exists.
    pub fn verifier(&self, consultation: &Consultation) -> Result<()> {
        if self.objet.trim().is_empty() {
            return Err(Erreur::new(
                CodeErreur::CourrierIncomplet,
                "l'objet du courrier est vide",
            )
            .at("courrier.objet"));
        }
        if self.objet.chars().count() > 255 {
            return Err(Erreur::new(
                CodeErreur::ChampTropLong,
                "l'objet du courrier dépasse 255 caractères",
            )
            .at("courrier.objet"));
        }
        if self.corps.trim().is_empty() {
            return Err(Erreur::new(
                CodeErreur::CourrierIncomplet,
                "le corps du courrier est vide",
            )
            .at("courrier.corps"));
        }
        if let Some(c) = self
            .corps
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(Erreur::invalid_argument(format!(
                "caractère de contrôle {} interdit dans le corps du courrier",
                c.escape_unicode()
            ))
            .at("courrier.corps"));
        }
        if self.corps.len() > 1_000_000 {
            return Err(Erreur::new(
                CodeErreur::ChampTropLong,
                "le corps du courrier dépasse 1 Mo",
            )
            .at("courrier.corps"));
        }
        if let Some(n) = self.lot
            && consultation.lot(n).is_none()
        {
            return Err(
                Erreur::new(CodeErreur::LotInconnu, format!("lot n°{n} inconnu"))
                    .at("courrier.lot"),
            );
        }
        if self.options.contenu_sur_plateforme && !self.options.accuse_reception {
            return Err(Erreur::new(
                CodeErreur::CourrierIncomplet,
                "le contenu sur la plateforme suppose l'envoi avec accusé de réception",
            )
            .at("courrier.options.contenu_sur_plateforme"));
        }
        if self.destinataires.is_empty() {
            return Err(Erreur::new(
                CodeErreur::SansDestinataire,
                "le courrier n'a aucun destinataire",
            )
            .at("courrier.destinataires"));
        }
        Ok(())
    }
}

/// The consultation block appended to every message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BlocConsultation {
    /// Référence.
    pub reference: String,
    /// Intitulé.
    pub intitule: String,
    /// Objet.
    pub objet: String,
    /// DLRO, `jj/mm/aaaa hh:mm` Europe/Paris.
    pub dlro: String,
    /// Organisme (entité publique).
    pub organisme: String,
    /// Entité d'achat (service de rattachement).
    pub entite_achat: String,
}

impl BlocConsultation {
    /// The block of a consultation of an organisation.
    pub fn de(
        consultation: &Consultation,
        organisation: &Organisation,
    ) -> Result<BlocConsultation> {
        let dlro = crate::format::date_heure(consultation.calendrier.dlro_instant()?);
        let service = &consultation.acces.service_rattachement;
        let entite_achat = organisation
            .service(service)
            .map(|s| s.nom.clone())
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::AccesIncoherent,
                    format!("service de rattachement « {service} » inconnu de l'organisation"),
                )
                .at("$.acces.service_rattachement")
            })?;
        let id = &consultation.identification;
        Ok(BlocConsultation {
            reference: id.reference.clone(),
            intitule: id.intitule.clone(),
            objet: id.objet.clone(),
            dlro,
            organisme: organisation.entite.nom.clone(),
            entite_achat,
        })
    }

    /// The block as text.
    pub fn texte(&self) -> String {
        format!(
            "Référence | Intitulé : {} | {}\nObjet : {}\nDate limite de remise des plis : {}\n\
             Organisme | Entité d'achat : {} | {}",
            self.reference, self.intitule, self.objet, self.dlro, self.organisme, self.entite_achat
        )
    }

    /// The block as an HTML table (values escaped).
    pub fn html(&self) -> String {
        let ligne = |k: &str, v: String| {
            format!(
                "<tr><th style=\"text-align:left;padding-right:1em\">{k}</th><td>{v}</td></tr>\n"
            )
        };
        let mut s = String::from(
            "<table style=\"border-top:1px solid #999;margin-top:1em\" role=\"presentation\">\n",
        );
        s += &ligne(
            "Référence | Intitulé",
            format!(
                "{} | {}",
                html_echappe(&self.reference),
                html_echappe(&self.intitule)
            ),
        );
        s += &ligne("Objet", html_echappe(&self.objet));
        s += &ligne("Date limite de remise des plis", html_echappe(&self.dlro));
        s += &ligne(
            "Organisme | Entité d'achat",
            format!(
                "{} | {}",
                html_echappe(&self.organisme),
                html_echappe(&self.entite_achat)
            ),
        );
        s += "</table>\n";
        s
    }
}

/// Escape text for HTML element content and attribute values.
pub(crate) fn html_echappe(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Plain text to HTML: escaped, blank lines make paragraphs, single new lines `<br>`.
#[cfg(feature = "mail")]
pub(crate) fn texte_vers_html(texte: &str) -> String {
    let normalise = texte.replace("\r\n", "\n");
    let mut o = String::new();
    for para in normalise.split("\n\n") {
        let para = para.trim_matches('\n');
        if para.is_empty() {
            continue;
        }
        let lignes: Vec<String> = para.split('\n').map(html_echappe).collect();
        o.push_str("<p>");
        o.push_str(&lignes.join("<br>\n"));
        o.push_str("</p>\n");
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consultation() -> Consultation {
        Consultation::from_json(include_str!("../../../examples/data/consultation.json")).unwrap()
    }

    #[test]
    fn every_kind_has_a_default() {
        let c = consultation();
        for t in TypeCourrier::TOUS {
            let m = modele(t, &c, None);
            assert!(m.objet.starts_with("AOO_2026/0611 – "), "{}", m.objet);
            assert!(m.corps.starts_with("Madame, Monsieur,"));
            assert!(m.corps.ends_with("salutations distinguées."));
        }
        let r = modele(TypeCourrier::Rejet, &c, None).corps;
        assert!(r.contains("d'avoir répondu à la consultation citée en référence."));
        assert!(r.contains("n'a pas été retenue"));
        assert!(r.contains("l'intérêt que vous avez porté"));
    }

    #[test]
    fn checks_before_sending() {
        let c = consultation();
        let mut l = Courrier::nouveau(TypeCourrier::Libre, &c, None);
        assert_eq!(
            l.verifier(&c).unwrap_err().code(),
            CodeErreur::SansDestinataire
        );
        l.destinataires.push(Destinataire {
            email: "a@b.fr".into(),
            raison_sociale: None,
            origines: vec![],
        });
        assert!(l.verifier(&c).is_ok());
        l.objet = "  ".into();
        assert_eq!(
            l.verifier(&c).unwrap_err().code(),
            CodeErreur::CourrierIncomplet
        );
        l.objet = "x".repeat(256);
        assert_eq!(
            l.verifier(&c).unwrap_err().code(),
            CodeErreur::ChampTropLong
        );
        l.objet = "x".into();
        l.corps = "\n".into();
        assert_eq!(
            l.verifier(&c).unwrap_err().code(),
            CodeErreur::CourrierIncomplet
        );
        l.corps = "a\u{0}b".into();
        assert_eq!(
            l.verifier(&c).unwrap_err().code(),
            CodeErreur::ArgumentInvalide
        );
        l.corps = "x".into();
        l.lot = Some(9);
        assert_eq!(l.verifier(&c).unwrap_err().code(), CodeErreur::LotInconnu);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            texte_vers_html("a<b>\n&c\n\n\n\"d\""),
            "<p>a&lt;b&gt;<br>\n&amp;c</p>\n<p>&quot;d&quot;</p>\n"
        );
    }

    #[test]
    fn block_needs_known_service() {
        let c = consultation();
        let o: Organisation =
            serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
        let b = BlocConsultation::de(&c, &o).unwrap();
        assert_eq!(b.dlro, "15/12/2026 12:00");
        assert_eq!(b.entite_achat, "Direction de la commande publique");
        let mut o2 = o.clone();
        o2.services.clear();
        assert_eq!(
            BlocConsultation::de(&c, &o2).unwrap_err().code(),
            CodeErreur::AccesIncoherent
        );
    }
}
