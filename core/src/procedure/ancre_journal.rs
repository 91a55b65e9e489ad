//! Anchoring the journal: the host signs its head from time to time (with its seal, in
//! CAdES), and keeps the signature apart from the journal store.
//!
//! The hash chain alone proves an entry was not changed *given the entries after it*: whoever
//! can rewrite the store can rewrite a whole suffix, or cut it off, and the chain still holds.
//! The head kept in the state detects that, but lives in the same database. A signed anchor
//! (length and last hash at some time) does not: every entry up to the anchored one must be
//! exactly the one that was signed, so truncating below it or rewriting anything before it
//! is detected without trusting the store or the state.
//!
//! A timestamp of the anchor bytes (RFC 3161) serves the same purpose; mpe verifies the
//! CAdES form.

use serde::{Deserialize, Serialize};

use super::journal::{EntreeJournal, TeteJournal, verifier_journal};
use crate::signature::{DonneesSignees, OptionsVerification, RapportVerification, Statut};
use crate::{CodeErreur, Erreur, Result};

/// Marks the anchor bytes so a signature made for something else cannot pass as one.
const TYPE: &str = "mpe-ancre-journal-1";

/// A journal head as signed by the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AncreJournal {
    /// Always `mpe-ancre-journal-1`.
    #[serde(rename = "type")]
    pub type_ancre: String,
    /// Number of entries at anchoring.
    pub longueur: u64,
    /// `empreinte` of the last of them.
    pub empreinte: String,
}

fn corrompu(message: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::JournalCorrompu, message).at("ancre")
}

impl AncreJournal {
    /// The anchor of a head.
    pub fn depuis_tete(tete: &TeteJournal) -> AncreJournal {
        AncreJournal {
            type_ancre: TYPE.to_string(),
            longueur: tete.longueur,
            empreinte: tete.empreinte.clone(),
        }
    }

    /// The bytes to sign: compact JSON, fields in a fixed order.
    pub fn octets(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| Erreur::internal(format!("ancre : {e}")))
    }

    /// Read anchor bytes; only the exact form [`AncreJournal::octets`] writes is accepted,
    /// so the signed bytes and what is checked are the same.
    pub fn lire(octets: &[u8]) -> Result<AncreJournal> {
        let a: AncreJournal = serde_json::from_slice(octets)
            .map_err(|e| corrompu(format!("ancre illisible : {e}")))?;
        if a.type_ancre != TYPE {
            return Err(corrompu(format!(
                "ancre de type « {} » (attendu {TYPE})",
                a.type_ancre
            )));
        }
        if a.octets()? != octets {
            return Err(corrompu("ancre hors de sa forme canonique"));
        }
        Ok(a)
    }

    /// Check that `entrees` (a whole journal, verified here) contains this anchor: at least
    /// `longueur` entries, the last anchored one with the anchored hash. Later entries are
    /// allowed (the journal grew since).
    pub fn verifier(&self, entrees: &[EntreeJournal]) -> Result<()> {
        if self.type_ancre != TYPE {
            return Err(corrompu(format!(
                "ancre de type « {} » (attendu {TYPE})",
                self.type_ancre
            )));
        }
        verifier_journal(entrees, None)?;
        if self.longueur == 0 {
            return Ok(());
        }
        let n = entrees.len() as u64;
        if n < self.longueur {
            return Err(corrompu(format!(
                "le journal compte {n} entrées, l'ancre en atteste {} : entrées supprimées",
                self.longueur
            )));
        }
        let derniere = usize::try_from(self.longueur - 1)
            .ok()
            .and_then(|i| entrees.get(i))
            .map(|e| e.empreinte.as_str());
        if derniere != Some(self.empreinte.as_str()) {
            return Err(corrompu(format!(
                "l'entrée {} n'est pas celle qui a été ancrée : journal réécrit",
                self.longueur - 1
            )));
        }
        Ok(())
    }
}

/// Verify a journal against a signed anchor: the host's detached CAdES `signature` over
/// `ancre` (the bytes of [`AncreJournal::octets`]), then [`AncreJournal::verifier`].
///
/// A signature proven wrong (INVALIDE) fails with [`CodeErreur::JournalCorrompu`]. Otherwise
/// the report is returned: VALIDE, or INDÉTERMINÉ when the signer's chain could not be
/// established with `opts` — the host decides whether its own seal is trusted.
pub fn verifier_journal_ancre(
    entrees: &[EntreeJournal],
    ancre: &[u8],
    signature: &[u8],
    opts: &OptionsVerification,
) -> Result<RapportVerification> {
    let a = AncreJournal::lire(ancre)?;
    let rapport = crate::signature::verifier(signature, Some(DonneesSignees::Octets(ancre)), opts)?;
    if rapport.statut == Statut::Invalide {
        return Err(corrompu(
            "la signature de l'ancre ne correspond pas à ses octets (ancre ou signature altérée)",
        ));
    }
    a.verifier(entrees)?;
    Ok(rapport)
}
