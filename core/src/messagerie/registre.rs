//! What happens to letters once prepared: journal-ready events (envoyé, ouvert/accusé,
//! répondu) and the register of letters built from them.
//!
//! The register never holds an acknowledgement token, only its SHA-256: reading the
//! register (or a backup of it) does not let anyone acknowledge in a company's name.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::courrier::TypeCourrier;
use crate::{CodeErreur, Erreur, Result};

/// An event of a letter, ready for the procedure journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "evenement")]
pub enum EvenementCourrier {
    /// A message was prepared for one recipient and handed to the host to send.
    Envoye {
        /// The letter (host id).
        courrier_id: String,
        /// The consultation.
        consultation_id: String,
        /// Kind of letter.
        type_courrier: TypeCourrier,
        /// Subject.
        objet: String,
        /// Recipient address.
        destinataire: String,
        /// Company name, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        raison_sociale: Option<String>,
        /// `Message-ID` of the message, without angle brackets.
        message_id: String,
        /// When.
        date: DateTime<Utc>,
        /// The agent who sent it.
        agent: String,
        /// With acknowledgement.
        accuse_reception: bool,
        /// Whether the recipient may answer.
        reponse_autorisee: bool,
        /// SHA-256 (hex) of the acknowledgement token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        empreinte_jeton: Option<String>,
        /// Names of the attachments, as sent.
        #[serde(default)]
        pieces_jointes: Vec<String>,
    },
    /// The recipient opened the acknowledgement link.
    Ouvert {
        /// The letter.
        courrier_id: String,
        /// Recipient address.
        destinataire: String,
        /// `Message-ID` of the message acknowledged.
        message_id: String,
        /// Date of acknowledgement.
        date: DateTime<Utc>,
    },
    /// The recipient answered.
    Repondu {
        /// The letter.
        courrier_id: String,
        /// Recipient address.
        destinataire: String,
        /// `Message-ID` of the message answered.
        message_id: String,
        /// When the answer arrived.
        date: DateTime<Utc>,
        /// `Message-ID` of the answer, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id_reponse: Option<String>,
    },
}

impl EvenementCourrier {
    /// The `Message-ID` the event is about.
    pub fn message_id(&self) -> &str {
        match self {
            EvenementCourrier::Envoye { message_id, .. }
            | EvenementCourrier::Ouvert { message_id, .. }
            | EvenementCourrier::Repondu { message_id, .. } => message_id,
        }
    }

    /// The date of the event.
    pub fn date(&self) -> DateTime<Utc> {
        match self {
            EvenementCourrier::Envoye { date, .. }
            | EvenementCourrier::Ouvert { date, .. }
            | EvenementCourrier::Repondu { date, .. } => *date,
        }
    }
}

/// Status of a letter for one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatutCourrier {
    /// Sent, not (yet) acknowledged nor answered.
    Envoye,
    /// Acknowledged (link opened).
    Ouvert,
    /// Answered.
    Repondu,
}

/// One line of the register: a letter to one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntreeRegistre {
    /// The letter.
    pub courrier_id: String,
    /// The consultation.
    pub consultation_id: String,
    /// Kind.
    pub type_courrier: TypeCourrier,
    /// Subject.
    pub objet: String,
    /// Recipient.
    pub destinataire: String,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raison_sociale: Option<String>,
    /// `Message-ID`.
    pub message_id: String,
    /// Sending agent.
    pub agent: String,
    /// Sent on.
    pub envoye_le: DateTime<Utc>,
    /// With acknowledgement.
    pub accuse_reception: bool,
    /// Answer allowed.
    pub reponse_autorisee: bool,
    /// SHA-256 (hex) of the acknowledgement token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empreinte_jeton: Option<String>,
    /// Attachment names.
    #[serde(default)]
    pub pieces_jointes: Vec<String>,
    /// Status.
    pub statut: StatutCourrier,
    /// Acknowledged on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuse_le: Option<DateTime<Utc>>,
    /// Answered on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repondu_le: Option<DateTime<Utc>>,
}

impl EntreeRegistre {
    /// The status as the register shows it: `envoyé`, `accusé le 16/12/2026 09:15`,
    /// `répondu le …`.
    pub fn statut_libelle(&self) -> String {
        match (self.statut, self.accuse_le, self.repondu_le) {
            (StatutCourrier::Repondu, _, Some(d)) => {
                format!("répondu le {}", crate::format::date_heure(d))
            }
            (StatutCourrier::Ouvert, Some(d), _) => {
                format!("accusé le {}", crate::format::date_heure(d))
            }
            _ => "envoyé".into(),
        }
    }
}

/// The register of letters of a consultation (or of a platform): one line per message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct RegistreCourriers {
    /// Lines, in the order the messages were sent.
    pub entrees: Vec<EntreeRegistre>,
}

/// An instant written in RFC 3339 (`2026-11-21T08:15:00Z`, any offset), as the C and
/// Python interfaces pass dates.
///
/// ```
/// let d = mpe::messagerie::analyser_date("2026-11-21T09:15:00+01:00").unwrap();
/// assert_eq!(d.to_rfc3339(), "2026-11-21T08:15:00+00:00");
/// assert!(mpe::messagerie::analyser_date("21/11/2026").is_err());
/// ```
pub fn analyser_date(texte: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(texte.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| Erreur::invalid_argument(format!("date RFC 3339 invalide « {texte} » : {e}")))
}

/// SHA-256 hex of a token, as kept in the register.
pub fn empreinte_jeton(jeton: &str) -> String {
    hex::encode(Sha256::digest(jeton.as_bytes()))
}

impl RegistreCourriers {
    /// An empty register.
    pub fn new() -> RegistreCourriers {
        RegistreCourriers::default()
    }

    /// The register from the journal's events, in order.
    pub fn depuis_evenements(evenements: &[EvenementCourrier]) -> Result<RegistreCourriers> {
        let mut r = RegistreCourriers::new();
        for (i, e) in evenements.iter().enumerate() {
            r.appliquer(e)
                .map_err(|e| e.at(format!("evenements[{i}]")))?;
        }
        Ok(r)
    }

    fn entree_mut(&mut self, message_id: &str) -> Result<&mut EntreeRegistre> {
        self.entrees
            .iter_mut()
            .find(|e| e.message_id == message_id)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::CourrierInconnu,
                    format!("aucun courrier envoyé avec le Message-ID « {message_id} »"),
                )
            })
    }

    /// Apply one event. Refuses a second sending under the same `Message-ID`, an event about
    /// an unknown message, an acknowledgement of a message sent without one, an answer to a
    /// message that did not allow it, and dates before the sending.
    pub fn appliquer(&mut self, evenement: &EvenementCourrier) -> Result<()> {
        match evenement {
            EvenementCourrier::Envoye {
                courrier_id,
                consultation_id,
                type_courrier,
                objet,
                destinataire,
                raison_sociale,
                message_id,
                date,
                agent,
                accuse_reception,
                reponse_autorisee,
                empreinte_jeton,
                pieces_jointes,
            } => {
                if self.entrees.iter().any(|e| e.message_id == *message_id) {
                    return Err(Erreur::invalid_argument(format!(
                        "Message-ID « {message_id} » déjà enregistré"
                    )));
                }
                if *accuse_reception && empreinte_jeton.is_none() {
                    return Err(Erreur::invalid_argument(
                        "envoi avec accusé de réception sans empreinte de jeton",
                    ));
                }
                self.entrees.push(EntreeRegistre {
                    courrier_id: courrier_id.clone(),
                    consultation_id: consultation_id.clone(),
                    type_courrier: *type_courrier,
                    objet: objet.clone(),
                    destinataire: destinataire.clone(),
                    raison_sociale: raison_sociale.clone(),
                    message_id: message_id.clone(),
                    agent: agent.clone(),
                    envoye_le: *date,
                    accuse_reception: *accuse_reception,
                    reponse_autorisee: *reponse_autorisee,
                    empreinte_jeton: empreinte_jeton.clone(),
                    pieces_jointes: pieces_jointes.clone(),
                    statut: StatutCourrier::Envoye,
                    accuse_le: None,
                    repondu_le: None,
                });
            }
            EvenementCourrier::Ouvert {
                message_id, date, ..
            } => {
                let e = self.entree_mut(message_id)?;
                if !e.accuse_reception {
                    return Err(Erreur::new(
                        CodeErreur::JetonInconnu,
                        "ce courrier a été envoyé sans accusé de réception",
                    ));
                }
                if let Some(d) = e.accuse_le {
                    return Err(Erreur::new(
                        CodeErreur::JetonInconnu,
                        format!(
                            "accusé de réception déjà enregistré le {}",
                            crate::format::date_heure(d)
                        ),
                    ));
                }
                avant(e.envoye_le, *date, "l'accusé de réception")?;
                e.accuse_le = Some(*date);
                if e.statut == StatutCourrier::Envoye {
                    e.statut = StatutCourrier::Ouvert;
                }
            }
            EvenementCourrier::Repondu {
                message_id, date, ..
            } => {
                let e = self.entree_mut(message_id)?;
                if !e.reponse_autorisee {
                    return Err(Erreur::new(
                        CodeErreur::ReponseNonAutorisee,
                        "ce courrier n'autorise pas de réponse",
                    ));
                }
                avant(e.envoye_le, *date, "la réponse")?;
                // The first answer dates the status; later ones are journal events only.
                if e.repondu_le.is_none() {
                    e.repondu_le = Some(*date);
                }
                e.statut = StatutCourrier::Repondu;
            }
        }
        Ok(())
    }

    /// A recipient opened the link with `jeton` on `date`: record the acknowledgement and
    /// return the event for the journal. `JETON_INCONNU` when no message has this token or
    /// it was already used.
    ///
    /// The lookup compares SHA-256 digests, so its timing tells nothing about the token.
    pub fn accuser_reception(
        &mut self,
        jeton: &str,
        date: DateTime<Utc>,
    ) -> Result<EvenementCourrier> {
        let empreinte = empreinte_jeton(jeton);
        let e = self
            .entrees
            .iter()
            .find(|e| e.empreinte_jeton.as_deref() == Some(empreinte.as_str()))
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::JetonInconnu,
                    "jeton d'accusé de réception inconnu",
                )
            })?;
        let ev = EvenementCourrier::Ouvert {
            courrier_id: e.courrier_id.clone(),
            destinataire: e.destinataire.clone(),
            message_id: e.message_id.clone(),
            date,
        };
        self.appliquer(&ev)?;
        Ok(ev)
    }

    /// An answer to the message `message_id` (the `In-Reply-To` of the incoming mail)
    /// arrived on `date`: record it and return the event for the journal.
    pub fn enregistrer_reponse(
        &mut self,
        message_id: &str,
        date: DateTime<Utc>,
        message_id_reponse: Option<String>,
    ) -> Result<EvenementCourrier> {
        let id = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        let e = self.entree_mut(id)?;
        let ev = EvenementCourrier::Repondu {
            courrier_id: e.courrier_id.clone(),
            destinataire: e.destinataire.clone(),
            message_id: e.message_id.clone(),
            date,
            message_id_reponse,
        };
        self.appliquer(&ev)?;
        Ok(ev)
    }

    /// The lines of one letter.
    pub fn du_courrier<'a>(
        &'a self,
        courrier_id: &'a str,
    ) -> impl Iterator<Item = &'a EntreeRegistre> + 'a {
        self.entrees
            .iter()
            .filter(move |e| e.courrier_id == courrier_id)
    }
}

fn avant(envoi: DateTime<Utc>, date: DateTime<Utc>, quoi: &str) -> Result<()> {
    if date < envoi {
        return Err(Erreur::invalid_argument(format!(
            "la date de {quoi} précède l'envoi du courrier"
        )));
    }
    Ok(())
}
