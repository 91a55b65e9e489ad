//! Personal and emergency encryption keys ("clés de secours") and the recipients of a pli.
//!
//! A consultation is encrypted to the keys its buyer chose plus, always, every emergency
//! key of the organisation, so that an envelope can still be opened if a personal key is
//! lost. A key outside its validity period is refused for new encryption with a clear
//! error; it still decrypts (decryption never looks at dates).
//!
//! ```
//! use mpe::crypto::cle_chiffrement::{CleChiffrement, NatureCle, destinataires};
//! use mpe::crypto::bicle::{BiCle, GenerationBiCle};
//! let now = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z").unwrap().to_utc();
//! let perso = BiCle::generer(&GenerationBiCle::new("Jean DUPONT"), now).unwrap();
//! let secours = BiCle::generer(&GenerationBiCle::new("Secours"), now).unwrap();
//! let registre = vec![
//!     CleChiffrement::new("k1", NatureCle::Personnelle, &perso).unwrap(),
//!     CleChiffrement::new("s1", NatureCle::Secours, &secours).unwrap(),
//! ];
//! let certs = destinataires(&registre, &["k1"], now).unwrap();
//! assert_eq!(certs.len(), 2);
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use crate::crypto::bicle::{self, BiCle};
use crate::{CodeErreur, Erreur, Result};

/// Kind of an encryption key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NatureCle {
    /// A buyer's personal key, chosen per consultation.
    Personnelle,
    /// An emergency key: always a recipient.
    Secours,
}

/// An encryption key known to the platform (its certificate only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CleChiffrement {
    /// The host's identifier.
    pub id: String,
    /// Personal or emergency.
    pub nature: NatureCle,
    /// The certificate, PEM.
    pub certificat_pem: String,
}

impl CleChiffrement {
    /// Describe the public half of a key pair.
    pub fn new(id: impl Into<String>, nature: NatureCle, bicle: &BiCle) -> Result<CleChiffrement> {
        Ok(CleChiffrement {
            id: id.into(),
            nature,
            certificat_pem: bicle::certificate_to_pem(bicle.certificate())?,
        })
    }

    /// Describe an encryption certificate (RSA, or EC for key agreement), e.g. the one of
    /// a key made by [`bicle::generer_cle_ec`] or kept on a token.
    pub fn depuis_certificat(
        id: impl Into<String>,
        nature: NatureCle,
        certificat: &Certificate,
    ) -> Result<CleChiffrement> {
        Ok(CleChiffrement {
            id: id.into(),
            nature,
            certificat_pem: bicle::certificate_to_pem(certificat)?,
        })
    }

    /// The certificate.
    pub fn certificat(&self) -> Result<Certificate> {
        bicle::load_certificate(self.certificat_pem.as_bytes())
            .map_err(|e| e.at(format!("cles[{}]", self.id)))
    }
}

/// Check that a certificate may be used to encrypt at `maintenant`.
pub fn verifier_pour_chiffrement(cert: &Certificate, maintenant: DateTime<Utc>) -> Result<()> {
    let v = bicle::validite(cert);
    let nom = bicle::nom_sujet(cert);
    let fmt = |d: DateTime<Utc>| crate::format::date_heure(d);
    if maintenant > v.fin {
        return Err(Erreur::new(
            CodeErreur::CleInutilisable,
            format!(
                "la clé « {nom} » a expiré le {} : elle ne peut plus servir à chiffrer (elle permet toujours de déchiffrer)",
                fmt(v.fin)
            ),
        ));
    }
    if maintenant < v.debut {
        return Err(Erreur::new(
            CodeErreur::CleInutilisable,
            format!(
                "la clé « {nom} » n'est valable qu'à partir du {}",
                fmt(v.debut)
            ),
        ));
    }
    let alg = &cert.tbs_certificate().subject_public_key_info().algorithm;
    if let Some(courbe) = crate::crypto::dechiffreur::Courbe::de_algorithme(alg) {
        if courbe == crate::crypto::dechiffreur::Courbe::X448 {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!("la clé « {nom} » est une clé X448, non prise en charge"),
            ));
        }
        if !bicle::allows_key_agreement(cert) {
            return Err(Erreur::new(
                CodeErreur::CleInutilisable,
                format!("le certificat « {nom} » n'autorise pas l'accord de clé (keyAgreement)"),
            ));
        }
        return Ok(());
    }
    if !bicle::allows_key_encipherment(cert) {
        return Err(Erreur::new(
            CodeErreur::CleInutilisable,
            format!(
                "le certificat « {nom} » n'autorise pas le chiffrement de clé (keyEncipherment)"
            ),
        ));
    }
    bicle::rsa_public_key(cert)?;
    Ok(())
}

/// The recipients of a pli: the keys `choisies` (by id) plus every emergency key of the
/// `registre`, each checked usable at `maintenant`, without duplicates.
pub fn destinataires(
    registre: &[CleChiffrement],
    choisies: &[&str],
    maintenant: DateTime<Utc>,
) -> Result<Vec<Certificate>> {
    let mut out: Vec<Certificate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in choisies {
        if !registre.iter().any(|c| c.id == *id) {
            return Err(Erreur::new(
                CodeErreur::ReferenceInconnue,
                format!("clé de chiffrement inconnue : {id}"),
            )
            .at(id.to_string()));
        }
    }
    for cle in registre {
        if cle.nature != NatureCle::Secours && !choisies.contains(&cle.id.as_str()) {
            continue;
        }
        let cert = cle.certificat()?;
        verifier_pour_chiffrement(&cert, maintenant).map_err(|e| e.at(cle.id.clone()))?;
        if seen.insert(bicle::empreinte(&cert)) {
            out.push(cert);
        }
    }
    if out.is_empty() {
        return Err(Erreur::invalid_argument(
            "aucune clé de chiffrement : choisir au moins une clé",
        ));
    }
    Ok(out)
}
