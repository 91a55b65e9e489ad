//! Preparing the messages of a letter: one RFC 5322 / MIME message per recipient (companies
//! never see each other's addresses), the acknowledgement tokens, and the journal events.
//!
//! The output is stable: `Date` is the sending date given, `Message-ID` and the MIME
//! boundaries are derived from the inputs (SHA-256), and the only randomness, the
//! acknowledgement tokens, comes from the generator passed in.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use rand::CryptoRng;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::adresse::{Adresse, Destinataire, est_atext, fusionner_destinataires};
use super::courrier::{BlocConsultation, Courrier, html_echappe, texte_vers_html};
use super::piece_jointe::{LimitesPiecesJointes, base64_serde, verifier_limites};
use super::registre::{EvenementCourrier, empreinte_jeton};
use crate::model::{Consultation, Organisation};
use crate::{CodeErreur, Erreur, Result};

/// Bytes of an acknowledgement token (256 bits from a CSPRNG).
const OCTETS_JETON: usize = 32;

/// The sender shown in `From:` (the platform's address, in the buyer's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Expediteur {
    /// Display name, e.g. "Ville de Villeurbanne – Marchés publics".
    pub nom: String,
    /// Address, e.g. `ne-pas-repondre@marches.example.fr`.
    pub email: String,
}

/// Who sends, when, and the platform's addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContexteEnvoi {
    /// The letter's id (host's).
    pub courrier_id: String,
    /// The agent who sends.
    pub agent: String,
    /// Sending date (the `Date:` header and the events).
    pub date: DateTime<Utc>,
    /// `From:`.
    pub expediteur: Expediteur,
    /// Where answers go (`Reply-To:`); required when answers are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adresse_reponse: Option<String>,
    /// Acknowledgement link, an `https://` URL containing `{jeton}`; required with
    /// acknowledgement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_accuse_reception: Option<String>,
    /// Domain of the `Message-ID`s, e.g. `marches.example.fr`.
    pub domaine_message_id: String,
    /// Attachment limits.
    #[serde(default)]
    pub limites: LimitesPiecesJointes,
}

/// Everything needed to prepare a letter (the JSON of the C and Python functions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DemandeEnvoi {
    /// The letter.
    pub courrier: Courrier,
    /// The consultation it is about.
    pub consultation: Consultation,
    /// The buyer's organisation (for the consultation block).
    pub organisation: Organisation,
    /// Sending context.
    pub contexte: ContexteEnvoi,
}

/// The message for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MessagePrepare {
    /// Recipient address (display form).
    pub destinataire: String,
    /// Company name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raison_sociale: Option<String>,
    /// `Message-ID`, without angle brackets.
    pub message_id: String,
    /// Acknowledgement token (URL-safe base64 of 32 random bytes), with acknowledgement.
    /// The register keeps only its SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jeton: Option<String>,
    /// The acknowledgement link written in the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_accuse_reception: Option<String>,
    /// The RFC 5322 message, CRLF line ends (base64 in JSON).
    #[serde(with = "base64_serde")]
    #[schemars(with = "String")]
    pub mime: Vec<u8>,
}

/// The prepared letter: the messages for the host to send, the events for the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Envoi {
    /// One message per recipient, in the order of the recipients.
    pub messages: Vec<MessagePrepare>,
    /// One `envoye` event per message.
    pub evenements: Vec<EvenementCourrier>,
}

fn hex_sha256(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        // Length-prefixed so that ("ab","c") and ("a","bc") differ.
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

/// Reject control characters in a one-line value that goes into a header.
fn une_ligne(valeur: &str, chemin: &str) -> Result<()> {
    if valeur.chars().any(char::is_control) {
        return Err(
            Erreur::invalid_argument("caractère de contrôle interdit (en-tête)").at(chemin),
        );
    }
    Ok(())
}

/// Base64 in 76-character lines, CRLF between them (RFC 2045 §6.8).
fn base64_lignes(data: &[u8]) -> String {
    let b = STANDARD.encode(data);
    let mut o = String::with_capacity(b.len() + b.len() / 76 * 2);
    for (i, morceau) in b.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            o.push_str("\r\n");
        }
        // base64 output is ASCII: each chunk is valid UTF-8.
        o.push_str(std::str::from_utf8(morceau).unwrap_or_default());
    }
    o
}

#[derive(Debug)]
struct PieceValidee {
    nom: String,
    type_mime: String,
    contenu: Vec<u8>,
}

/// Prepare every message of a letter.
///
/// Validates the letter (subject, body, recipients, attachments and their limits, the
/// addresses of the context), then writes one message per recipient: `multipart/mixed`
/// (when there are attachments) holding a `multipart/alternative` text + HTML part, the
/// consultation block appended to both, attachments in base64 with RFC 2231 file names,
/// non-ASCII headers in RFC 2047. `rng` draws the acknowledgement tokens: pass
/// `rand::rng()` in production.
///
/// ```
/// use mpe::messagerie::*;
/// let consultation = mpe::model::Consultation::from_json(include_str!("../../../examples/data/consultation.json")).unwrap();
/// let organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
/// let mut courrier = Courrier::nouveau(TypeCourrier::ModificationDce, &consultation, None);
/// courrier.destinataires = analyser_destinataires("ao@alpha.fr; ao@beta.fr")
///     .unwrap().iter().map(Destinataire::saisi).collect();
/// courrier.options.accuse_reception = true;
/// let demande = DemandeEnvoi {
///     courrier, consultation, organisation,
///     contexte: ContexteEnvoi {
///         courrier_id: "courrier-1".into(), agent: "a.martin".into(),
///         date: "2026-11-20T09:00:00Z".parse().unwrap(),
///         expediteur: Expediteur { nom: "Ville de Villeurbanne".into(),
///                                  email: "ne-pas-repondre@marches.example.fr".into() },
///         adresse_reponse: None,
///         url_accuse_reception: Some("https://marches.example.fr/ar/{jeton}".into()),
///         domaine_message_id: "marches.example.fr".into(),
///         limites: Default::default(),
///     },
/// };
/// let envoi = preparer_envoi(&demande, &mut rand::rng()).unwrap();
/// assert_eq!(envoi.messages.len(), 2);
/// let mut registre = RegistreCourriers::depuis_evenements(&envoi.evenements).unwrap();
/// let jeton = envoi.messages[0].jeton.as_deref().unwrap();
/// registre.accuser_reception(jeton, "2026-11-21T08:00:00Z".parse().unwrap()).unwrap();
/// assert_eq!(registre.entrees[0].statut_libelle(), "accusé le 21/11/2026 09:00");
/// ```
pub fn preparer_envoi<R: CryptoRng + ?Sized>(demande: &DemandeEnvoi, rng: &mut R) -> Result<Envoi> {
    let p = Preparation::new(demande)?;
    let estimation = p
        .taille_estimee()
        .saturating_mul(p.nombre_messages() as u64);
    if estimation > MAX_ENVOI {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!(
                "l'envoi ferait environ {} Mo en mémoire : préparez les messages un par un \
                 (Preparation::message, mpe_courrier_preparer_message)",
                estimation / 1_000_000
            ),
        ));
    }
    let mut messages = Vec::with_capacity(p.nombre_messages());
    let mut evenements = Vec::with_capacity(p.nombre_messages());
    for i in 0..p.nombre_messages() {
        let (m, e) = p.message(i, rng)?;
        messages.push(m);
        evenements.push(e);
    }
    Ok(Envoi {
        messages,
        evenements,
    })
}

/// Largest total of the messages [`preparer_envoi`] builds in memory at once.
const MAX_ENVOI: u64 = 1 << 30;

/// A validated letter, ready to write its messages one at a time: what a host does for
/// many recipients with large attachments, without holding every message in memory.
///
/// ```
/// use mpe::messagerie::*;
/// let demande: DemandeEnvoi = serde_json::from_str(include_str!(
///     "../../../tests/vectors/messagerie/demande.json")).unwrap();
/// let p = Preparation::new(&demande).unwrap();
/// assert_eq!(p.nombre_messages(), 2);
/// let (message, evenement) = p.message(1, &mut rand::rng()).unwrap();
/// assert_eq!(message.destinataire, "contact@alpha-batiment.fr");
/// assert_eq!(evenement.message_id(), message.message_id);
/// ```
#[derive(Debug)]
pub struct Preparation<'a> {
    demande: &'a DemandeEnvoi,
    destinataires: Vec<Destinataire>,
    expediteur: Adresse,
    reponse: Option<Adresse>,
    modele_url: Option<&'a str>,
    domaine: String,
    validees: Vec<PieceValidee>,
    empreinte_pieces: Vec<String>,
    bloc: BlocConsultation,
    corps: String,
}

impl<'a> Preparation<'a> {
    /// Validate the letter (subject, body, recipients, attachments and their limits, the
    /// context's addresses and URL) and de-duplicate the recipients.
    pub fn new(demande: &'a DemandeEnvoi) -> Result<Preparation<'a>> {
        let DemandeEnvoi {
            courrier,
            consultation,
            organisation,
            contexte,
        } = demande;
        courrier.verifier(consultation)?;
        une_ligne(&courrier.objet, "courrier.objet")?;
        if contexte.courrier_id.trim().is_empty() {
            return Err(
                Erreur::invalid_argument("identifiant du courrier vide").at("contexte.courrier_id")
            );
        }

        // Recipients: validated, de-duplicated.
        for (i, d) in courrier.destinataires.iter().enumerate() {
            Adresse::analyser(&d.email)
                .map_err(|e| e.at(format!("courrier.destinataires[{i}]")))?;
            if let Some(r) = &d.raison_sociale {
                une_ligne(r, &format!("courrier.destinataires[{i}].raison_sociale"))?;
            }
        }
        let destinataires = fusionner_destinataires(std::slice::from_ref(&courrier.destinataires))?;

        // Context addresses.
        let expediteur = Adresse::analyser(&contexte.expediteur.email)
            .map_err(|e| e.at("contexte.expediteur.email"))?;
        une_ligne(&contexte.expediteur.nom, "contexte.expediteur.nom")?;
        let reponse = if courrier.options.reponse_autorisee {
            let a = contexte.adresse_reponse.as_deref().ok_or_else(|| {
                Erreur::new(
                    CodeErreur::CourrierIncomplet,
                    "la réponse est autorisée : l'adresse de réponse de la plateforme est requise",
                )
                .at("contexte.adresse_reponse")
            })?;
            Some(Adresse::analyser(a).map_err(|e| e.at("contexte.adresse_reponse"))?)
        } else {
            None
        };
        let modele_url = if courrier.options.accuse_reception {
            let u = contexte.url_accuse_reception.as_deref().unwrap_or_default();
            if !u.starts_with("https://")
                || !u.contains("{jeton}")
                || u.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'
                })
            {
                return Err(Erreur::new(
                    CodeErreur::CourrierIncomplet,
                    "avec accusé de réception, l'URL doit commencer par https:// et contenir {jeton}",
                )
                .at("contexte.url_accuse_reception"));
            }
            Some(u)
        } else {
            None
        };
        let domaine = Adresse::analyser(&format!("x@{}", contexte.domaine_message_id))
            .map_err(|_| {
                Erreur::invalid_argument("domaine des Message-ID invalide")
                    .at("contexte.domaine_message_id")
            })?
            .ascii
            .split_off(2);

        // Attachments: limits, safe unique names, types.
        let pieces = courrier.toutes_pieces_jointes();
        verifier_limites(&pieces, &contexte.limites)?;
        let mut validees: Vec<PieceValidee> = Vec::with_capacity(pieces.len());
        for (i, p) in pieces.iter().enumerate() {
            let type_mime = p
                .type_mime_effectif()
                .map_err(|e| e.at(format!("pieces_jointes[{i}]")))?;
            let mut nom = p.nom_sur();
            let mut n = 2;
            while validees.iter().any(|v| v.nom.eq_ignore_ascii_case(&nom)) {
                nom = match p.nom_sur().rsplit_once('.') {
                    Some((r, e)) => format!("{r} ({n}).{e}"),
                    None => format!("{} ({n})", p.nom_sur()),
                };
                n += 1;
            }
            validees.push(PieceValidee {
                nom,
                type_mime,
                contenu: p.contenu.clone(),
            });
        }
        let empreinte_pieces: Vec<String> = validees
            .iter()
            .map(|v| hex_sha256(&[v.nom.as_bytes(), v.type_mime.as_bytes(), &v.contenu]))
            .collect();

        let bloc = BlocConsultation::de(consultation, organisation)?;
        let corps = courrier.corps_complet().replace("\r\n", "\n");
        Ok(Preparation {
            demande,
            destinataires,
            expediteur,
            reponse,
            modele_url,
            domaine,
            validees,
            empreinte_pieces,
            bloc,
            corps,
        })
    }

    /// How many messages (one per distinct recipient).
    pub fn nombre_messages(&self) -> usize {
        self.destinataires.len()
    }

    /// The distinct recipients, in the order of the messages.
    pub fn destinataires(&self) -> &[Destinataire] {
        &self.destinataires
    }

    /// Rough size of one message, in bytes (attachments in base64 and the bodies).
    pub fn taille_estimee(&self) -> u64 {
        let pieces: u64 = if self.demande.courrier.options.contenu_sur_plateforme {
            0
        } else {
            self.validees.iter().map(|v| v.contenu.len() as u64).sum()
        };
        pieces / 3 * 4 + pieces / 57 * 2 + 3 * self.corps.len() as u64 * 2 + 16_384
    }

    /// Write message `index` (its token drawn from `rng`) and its `envoye` event.
    /// `ARGUMENT_INVALIDE` when `index` is out of range.
    pub fn message<R: CryptoRng + ?Sized>(
        &self,
        index: usize,
        rng: &mut R,
    ) -> Result<(MessagePrepare, EvenementCourrier)> {
        let DemandeEnvoi {
            courrier,
            consultation,
            contexte,
            ..
        } = self.demande;
        let Preparation {
            expediteur,
            reponse,
            modele_url,
            domaine,
            validees,
            empreinte_pieces,
            bloc,
            corps,
            ..
        } = self;
        let d = self.destinataires.get(index).ok_or_else(|| {
            Erreur::invalid_argument(format!("aucun message n°{index} dans l'envoi")).at("index")
        })?;
        let adresse = Adresse::analyser(&d.email)?;
        let message_id = format!(
            "{}@{domaine}",
            &hex_sha256(&[
                contexte.courrier_id.as_bytes(),
                adresse.ascii.as_bytes(),
                contexte.date.to_rfc3339().as_bytes(),
            ])[..32]
        );
        let jeton = modele_url.map(|_| {
            let mut b = [0u8; OCTETS_JETON];
            rng.fill_bytes(&mut b);
            URL_SAFE_NO_PAD.encode(b)
        });
        let url = modele_url
            .zip(jeton.as_deref())
            .map(|(m, j)| m.replace("{jeton}", j));

        let sur_plateforme = courrier.options.contenu_sur_plateforme;
        let (texte, html) = corps_du_message(
            &courrier.objet,
            if sur_plateforme {
                AVIS_PLATEFORME
            } else {
                corps
            },
            url.as_deref(),
            courrier.options.reponse_autorisee,
            bloc,
        );
        let mime = ecrire_message(
            &Entetes {
                expediteur: (&contexte.expediteur.nom, &expediteur.ascii),
                destinataire: (d.raison_sociale.as_deref(), &adresse.ascii),
                reponse: reponse.as_ref().map(|a| a.ascii.as_str()),
                objet: &courrier.objet,
                date: contexte.date,
                message_id: &message_id,
            },
            &texte,
            &html,
            if sur_plateforme { &[] } else { validees },
            empreinte_pieces,
        )?;

        let evenement = EvenementCourrier::Envoye {
            courrier_id: contexte.courrier_id.clone(),
            consultation_id: consultation.id.clone(),
            type_courrier: courrier.type_courrier,
            objet: courrier.objet.clone(),
            destinataire: d.email.clone(),
            raison_sociale: d.raison_sociale.clone(),
            message_id: message_id.clone(),
            date: contexte.date,
            agent: contexte.agent.clone(),
            accuse_reception: courrier.options.accuse_reception,
            reponse_autorisee: courrier.options.reponse_autorisee,
            empreinte_jeton: jeton.as_deref().map(empreinte_jeton),
            pieces_jointes: validees.iter().map(|v| v.nom.clone()).collect(),
        };
        let message = MessagePrepare {
            destinataire: d.email.clone(),
            raison_sociale: d.raison_sociale.clone(),
            message_id,
            jeton,
            url_accuse_reception: url,
            mime,
        };
        Ok((message, evenement))
    }
}

/// [`preparer_envoi`] with the tokens drawn from `rand::rng()` (ChaCha12 seeded and
/// periodically reseeded by the operating system): what the C and Python interfaces use.
pub fn preparer_envoi_securise(demande: &DemandeEnvoi) -> Result<Envoi> {
    preparer_envoi(demande, &mut generateur_securise())
}

/// The token generator of [`preparer_envoi_securise`]: `rand::rng()`, a CSPRNG seeded and
/// periodically reseeded by the operating system.
pub fn generateur_securise() -> impl CryptoRng {
    rand::rng()
}

/// The body of a message whose letter is read on the platform.
const AVIS_PLATEFORME: &str = "Madame, Monsieur,\n\n\
     Un courrier relatif à la consultation citée ci-dessous vous a été adressé sur la \
     plateforme des marchés publics.\n\n\
     Pour en prendre connaissance, ainsi que de ses éventuelles pièces jointes, ouvrez le lien \
     ci-dessous : son ouverture vaut accusé de réception.";

/// The text and HTML bodies: the letter, the acknowledgement link, the answer notice and
/// the consultation block.
fn corps_du_message(
    objet: &str,
    corps: &str,
    url: Option<&str>,
    reponse_autorisee: bool,
    bloc: &BlocConsultation,
) -> (String, String) {
    let mut texte = corps.trim_end().to_string();
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n",
        html_echappe(objet)
    );
    html += &texte_vers_html(corps);
    if let Some(u) = url {
        texte += &format!(
            "\n\nMerci d'accuser réception de ce courrier en ouvrant le lien suivant :\n{u}"
        );
        html += &format!(
            "<p>Merci d'accuser réception de ce courrier en ouvrant le lien suivant :<br>\n<a href=\"{0}\">{0}</a></p>\n",
            html_echappe(u)
        );
    }
    let avis = if reponse_autorisee {
        "Vous pouvez répondre à ce courrier en répondant à ce message."
    } else {
        "Ce message est envoyé automatiquement : merci de ne pas y répondre."
    };
    texte += &format!("\n\n{avis}\n\n-- \n{}\n", bloc.texte());
    html += &format!(
        "<p><em>{}</em></p>\n{}</body>\n</html>\n",
        html_echappe(avis),
        bloc.html()
    );
    (texte, html)
}

struct Entetes<'a> {
    expediteur: (&'a str, &'a str),
    destinataire: (Option<&'a str>, &'a str),
    reponse: Option<&'a str>,
    objet: &'a str,
    date: DateTime<Utc>,
    message_id: &'a str,
}

fn ecrire_message(
    e: &Entetes<'_>,
    texte: &str,
    html: &str,
    pieces: &[PieceValidee],
    empreinte_pieces: &[String],
) -> Result<Vec<u8>> {
    let mut graine: Vec<&[u8]> = vec![e.message_id.as_bytes(), texte.as_bytes(), html.as_bytes()];
    graine.extend(empreinte_pieces.iter().map(|s| s.as_bytes()));
    let h = hex_sha256(&graine);
    // "=_" cannot occur in base64 or quoted-printable, and the hash covers the text:
    // the boundaries cannot appear in the parts.
    let frontiere_alt = format!("=_mpe_alt_{}", &h[..32]);
    let frontiere_mixte = format!("=_mpe_mix_{}", &h[32..]);
    for f in [&frontiere_alt, &frontiere_mixte] {
        if texte.contains(f.as_str()) || html.contains(f.as_str()) {
            return Err(Erreur::internal("frontière MIME présente dans le contenu"));
        }
    }

    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", frontiere_alt),
        BodyPart::Multipart(vec![
            MimePart::new(
                ContentType::new("text/plain").attribute("charset", "utf-8"),
                BodyPart::Text(texte.to_string().into()),
            ),
            MimePart::new(
                ContentType::new("text/html").attribute("charset", "utf-8"),
                BodyPart::Text(html.to_string().into()),
            ),
        ]),
    );
    let corps = if pieces.is_empty() {
        alternative
    } else {
        let mut parts = vec![alternative];
        for p in pieces {
            parts.push(
                MimePart::new(
                    ContentType::new(p.type_mime.clone()),
                    BodyPart::Binary(base64_lignes(&p.contenu).into_bytes().into()),
                )
                .attachment(p.nom.clone())
                .transfer_encoding("base64"),
            );
        }
        MimePart::new(
            ContentType::new("multipart/mixed").attribute("boundary", frontiere_mixte),
            BodyPart::Multipart(parts),
        )
    };

    let mut m = MessageBuilder::new()
        .header(
            "From",
            Raw::new(boite(Some(e.expediteur.0), e.expediteur.1)),
        )
        .header("To", Raw::new(boite(e.destinataire.0, e.destinataire.1)))
        .subject(Text::new(e.objet))
        .date(Date::new(e.date.timestamp()))
        .message_id(MessageId::new(e.message_id));
    match e.reponse {
        Some(r) => m = m.header("Reply-To", Raw::new(boite(None, r))),
        // RFC 3834: tells auto-responders not to answer a message nobody reads.
        None => m = m.header("Auto-Submitted", Raw::new("auto-generated")),
    }
    let octets = m.body(corps).write_to_vec()?;
    Ok(octets)
}

/// `Nom <adresse>` (or `<adresse>`), the name as an RFC 5322 phrase (see [`phrase`]).
fn boite(nom: Option<&str>, adresse: &str) -> String {
    match nom.map(phrase).filter(|p| !p.is_empty()) {
        Some(p) => format!("{p} <{adresse}>"),
        None => format!("<{adresse}>"),
    }
}

/// Longest UTF-8 chunk in one B encoded-word: `=?utf-8?B?` + 60 base64 + `?=` = 72 ≤ 75.
const OCTETS_MOT_ENCODE: usize = 45;

/// A display name as an RFC 5322 phrase that RFC 2047 decoders and Python's `email` (which
/// keeps the space between adjacent encoded-words of an address) read back alike: ASCII
/// words stay atoms or quoted-strings, each run of words that need encoding (non-ASCII, or
/// looking like an encoded-word) becomes one encoded-word with its spaces inside, split
/// only when longer than 75 characters. Runs of spaces count as one.
fn phrase(nom: &str) -> String {
    let mots: Vec<&str> = nom.split_whitespace().collect();
    let a_encoder = |m: &str| !m.is_ascii() || m.contains("=?") || m.contains("?=");
    let mut jetons: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(mot) = mots.get(i) {
        if a_encoder(mot) {
            let fin = mots
                .iter()
                .skip(i)
                .position(|m| !a_encoder(m))
                .map_or(mots.len(), |p| i + p);
            let suite = mots.get(i..fin).unwrap_or_default().join(" ");
            jetons.extend(mots_encodes(&suite));
            i = fin;
        } else {
            if mot.chars().all(est_atext) {
                jetons.push((*mot).to_string());
            } else {
                jetons.push(format!(
                    "\"{}\"",
                    mot.replace('\\', "\\\\").replace('"', "\\\"")
                ));
            }
            i += 1;
        }
    }
    jetons.join(" ")
}

/// B encoded-words of `texte`, cut at character boundaries (preferably after a space).
fn mots_encodes(texte: &str) -> Vec<String> {
    let mut mots = Vec::new();
    let mut morceau = String::new();
    for c in texte.chars() {
        if morceau.len() + c.len_utf8() > OCTETS_MOT_ENCODE {
            let coupe = match morceau.rfind(' ') {
                Some(p) if p > 0 => p + 1,
                _ => morceau.len(),
            };
            let reste = morceau.split_off(coupe);
            mots.push(format!("=?utf-8?B?{}?=", STANDARD.encode(&morceau)));
            morceau = reste;
        }
        morceau.push(c);
    }
    if !morceau.is_empty() {
        mots.push(format!("=?utf-8?B?{}?=", STANDARD.encode(&morceau)));
    }
    mots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases() {
        assert_eq!(phrase("Alpha  BTP"), "Alpha BTP");
        assert_eq!(phrase("Fils & Cie <SARL>"), "Fils & Cie \"<SARL>\"");
        assert_eq!(phrase("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(
            phrase("Bâtir Rhône SA"),
            "=?utf-8?B?QsOidGlyIFJow7RuZQ==?= SA"
        );
        assert_eq!(phrase("=?x?="), "=?utf-8?B?PT94Pz0=?=");
        let long = phrase(&"é".repeat(40));
        assert_eq!(long.split(' ').count(), 2);
        assert!(long.split(' ').all(|m| m.len() <= 75));
        assert_eq!(phrase("  "), "");
    }

    #[test]
    fn base64_lines_are_76() {
        let s = base64_lignes(&[7u8; 200]);
        let lignes: Vec<&str> = s.split("\r\n").collect();
        assert!(lignes.iter().all(|l| l.len() <= 76));
        assert_eq!(lignes.len(), 4);
        assert_eq!(base64_lignes(&[]), "");
    }

    #[test]
    fn hash_is_length_prefixed() {
        assert_ne!(hex_sha256(&[b"ab", b"c"]), hex_sha256(&[b"a", b"bc"]));
    }
}
