//! Companies as the registers know them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{CodeErreur, Erreur, Result};

/// How a company is identified: a French SIRET or a foreign identifier.
///
/// JSON: `{"siret": "73282932000074"}` or `{"etranger": {"pays": "DE", "numero": "HRB 12345"}}`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentifiantEntreprise {
    /// SIRET (14 digits, checked).
    Siret(String),
    /// A company established abroad.
    Etranger {
        /// ISO 3166-1 alpha-2 country code, e.g. "DE".
        pays: String,
        /// National identifier (registre du commerce, TVA...).
        numero: String,
    },
}

impl IdentifiantEntreprise {
    /// Check the identifier: SIRET key, or a two-letter country other than FR and a
    /// non-empty national number.
    pub fn verifier(&self) -> Result<()> {
        match self {
            IdentifiantEntreprise::Siret(s) => crate::rules::siret::valider(s),
            IdentifiantEntreprise::Etranger { pays, numero } => {
                if pays.len() != 2 || !pays.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(Erreur::new(
                        CodeErreur::ChampObligatoire,
                        "le pays d'une entreprise étrangère s'écrit en deux lettres majuscules (ISO 3166)",
                    ));
                }
                if pays == "FR" {
                    return Err(Erreur::new(
                        CodeErreur::SiretInvalide,
                        "une entreprise française s'identifie par son SIRET",
                    ));
                }
                if numero.trim().is_empty() || numero.chars().count() > 64 {
                    return Err(Erreur::new(
                        CodeErreur::ChampObligatoire,
                        "identifiant national de l'entreprise étrangère manquant ou trop long",
                    ));
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for IdentifiantEntreprise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentifiantEntreprise::Siret(s) => write!(f, "SIRET {s}"),
            IdentifiantEntreprise::Etranger { pays, numero } => write!(f, "{pays} {numero}"),
        }
    }
}

/// A contact person of a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Contact {
    /// Full name.
    pub nom: String,
    /// E-mail address (where letters go).
    pub email: String,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
}

/// A company that downloads, asks or bids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Entreprise {
    /// SIRET or foreign identifier.
    pub identifiant: IdentifiantEntreprise,
    /// Raison sociale.
    pub raison_sociale: String,
    /// Contact.
    pub contact: Contact,
}

impl Entreprise {
    /// Check identifier, raison sociale and contact.
    pub fn verifier(&self) -> Result<()> {
        self.identifiant
            .verifier()
            .map_err(|e| e.at("$.entreprise.identifiant"))?;
        super::texte::texte(&self.raison_sociale, "la raison sociale", 256)
            .map_err(|e| e.at("$.entreprise.raison_sociale"))?;
        super::texte::texte(&self.contact.nom, "le nom du contact", 256)
            .map_err(|e| e.at("$.entreprise.contact.nom"))?;
        let email = &self.contact.email;
        let ok = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
            && !email.chars().any(char::is_whitespace);
        if !ok {
            return Err(Erreur::new(
                CodeErreur::ChampObligatoire,
                format!("adresse électronique du contact invalide : « {email} »"),
            )
            .at("$.entreprise.contact.email"));
        }
        Ok(())
    }
}

/// Someone to write to (letters, answers published, DLRO changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Destinataire {
    /// Company identifier.
    pub identifiant: IdentifiantEntreprise,
    /// Raison sociale.
    pub raison_sociale: String,
    /// Contact e-mail.
    pub email: String,
}

impl From<&Entreprise> for Destinataire {
    fn from(e: &Entreprise) -> Destinataire {
        Destinataire {
            identifiant: e.identifiant.clone(),
            raison_sociale: e.raison_sociale.clone(),
            email: e.contact.email.clone(),
        }
    }
}
