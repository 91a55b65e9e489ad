//! The keys of a consultation: the encryption certificates of its opening, checked and
//! recorded at validation.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::etat::Procedure;
use crate::crypto::bicle;
use crate::crypto::cle_chiffrement::{CleChiffrement, NatureCle, verifier_pour_chiffrement};
use crate::{CodeErreur, Erreur, Result};

/// Most keys of one consultation.
const CLES_MAX: usize = 100;

impl Procedure {
    /// Check the keys given at validation: each certificate readable and usable for
    /// encryption at `maintenant`, no key twice, and, when encryption is required, at
    /// least one personal key and one secours key.
    pub(crate) fn verifier_cles(
        &self,
        cles: &[CleChiffrement],
        maintenant: DateTime<Utc>,
    ) -> Result<()> {
        if cles.len() > CLES_MAX {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!("plus de {CLES_MAX} clés de chiffrement"),
            )
            .at("$.cles"));
        }
        let mut ids = HashSet::new();
        let mut empreintes = HashSet::new();
        for (i, c) in cles.iter().enumerate() {
            let at = format!("$.cles[{i}]");
            crate::model::texte::texte(&c.id, "l'identifiant de la clé", 256)
                .map_err(|e| e.at(&at))?;
            if !ids.insert(c.id.as_str()) {
                return Err(Erreur::invalid_argument(format!("clé {} en double", c.id)).at(at));
            }
            let cert = c.certificat().map_err(|e| e.at(&at))?;
            verifier_pour_chiffrement(&cert, maintenant).map_err(|e| e.at(&at))?;
            if !empreintes.insert(bicle::empreinte(&cert)) {
                return Err(Erreur::invalid_argument(format!(
                    "clé {} : certificat déjà donné sous un autre identifiant",
                    c.id
                ))
                .at(at));
            }
        }
        if self.consultation.modalites.chiffrement && !cles.is_empty() {
            for (nature, libelle) in [
                (NatureCle::Personnelle, "aucune clé personnelle"),
                (NatureCle::Secours, "aucune clé de secours"),
            ] {
                if !cles.iter().any(|c| c.nature == nature) {
                    return Err(Erreur::new(
                        CodeErreur::CleChiffrementManquante,
                        format!("chiffrement exigé : {libelle} parmi les clés de la consultation"),
                    )
                    .at("$.cles"));
                }
            }
        }
        Ok(())
    }
}
