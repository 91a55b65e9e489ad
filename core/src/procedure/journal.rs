//! The tamper-evident journal: every event appended with its time, its actor and the
//! SHA-256 of the previous entry.
//!
//! The hash of an entry is the SHA-256 of its canonical serialization: the compact JSON
//! (no spaces, UTF-8 unescaped, fields in the order `index`, `horodatage`, `acteur`,
//! `evenement`, `precedent`) of the entry without its `empreinte`. Any tool can recompute
//! it: in Python, `sha256(json.dumps(entree_sans_empreinte, separators=(",", ":"),
//! ensure_ascii=False).encode())`. The first entry's `precedent` is 64 zeros.
//!
//! Appending costs one hash of the new entry, never a pass over the journal: the state
//! keeps the head ([`TeteJournal`]).

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::contexte::Acteur;
use super::evenement::Evenement;
use crate::{CodeErreur, Erreur, Result};

/// The `precedent` of the first entry.
pub const GENESE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The head of the journal, kept in the state: how many entries, the last hash, the last
/// time (actions may not go back in time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeteJournal {
    /// Number of entries.
    pub longueur: u64,
    /// `empreinte` of the last entry ([`GENESE`] when empty).
    pub empreinte: String,
    /// Time of the last entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dernier_horodatage: Option<DateTime<Utc>>,
}

impl Default for TeteJournal {
    fn default() -> TeteJournal {
        TeteJournal {
            longueur: 0,
            empreinte: GENESE.to_string(),
            dernier_horodatage: None,
        }
    }
}

/// One entry of the journal. Unknown fields are refused: a stored entry carries nothing the
/// hash does not cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntreeJournal {
    /// Position, from 0.
    pub index: u64,
    /// Time of the event.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub horodatage: DateTime<Utc>,
    /// Who acted.
    pub acteur: Acteur,
    /// What happened.
    pub evenement: Evenement,
    /// `empreinte` of the previous entry.
    pub precedent: String,
    /// SHA-256 (hex) of this entry's canonical serialization.
    pub empreinte: String,
}

/// The entry without its hash, serialized for hashing (same field order).
#[derive(Serialize)]
struct Canonique<'a> {
    index: u64,
    #[serde(serialize_with = "instant_ref")]
    horodatage: &'a DateTime<Utc>,
    acteur: &'a Acteur,
    evenement: &'a Evenement,
    precedent: &'a str,
}

fn instant_ref<S: serde::Serializer>(
    t: &&DateTime<Utc>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    crate::model::instant::serialize(t, s)
}

/// Feeds serde_json's output straight into the hash, without an intermediate buffer.
struct Hacheur(Sha256);

impl Write for Hacheur {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn empreinte(c: &Canonique<'_>) -> Result<String> {
    let mut h = Hacheur(Sha256::new());
    serde_json::to_writer(&mut h, c)
        .map_err(|e| Erreur::internal(format!("sérialisation du journal : {e}")))?;
    Ok(hex::encode(h.0.finalize()))
}

impl EntreeJournal {
    /// Recompute this entry's hash from its content.
    pub fn calculer_empreinte(&self) -> Result<String> {
        empreinte(&Canonique {
            index: self.index,
            horodatage: &self.horodatage,
            acteur: &self.acteur,
            evenement: &self.evenement,
            precedent: &self.precedent,
        })
    }
}

impl TeteJournal {
    /// Chain a new entry after the head and move the head.
    pub(crate) fn chainer(
        &mut self,
        horodatage: DateTime<Utc>,
        acteur: &Acteur,
        evenement: Evenement,
    ) -> Result<EntreeJournal> {
        let e = empreinte(&Canonique {
            index: self.longueur,
            horodatage: &horodatage,
            acteur,
            evenement: &evenement,
            precedent: &self.empreinte,
        })?;
        let entree = EntreeJournal {
            index: self.longueur,
            horodatage,
            acteur: acteur.clone(),
            evenement,
            precedent: std::mem::replace(&mut self.empreinte, e.clone()),
            empreinte: e,
        };
        self.longueur += 1;
        self.dernier_horodatage = Some(horodatage);
        Ok(entree)
    }
}

fn corrompu(index: usize, message: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::JournalCorrompu, message).at(format!("entrée {index}"))
}

/// Verify a journal: positions in order from 0, each `precedent` equal to the previous
/// `empreinte`, each `empreinte` equal to the recomputed hash, and — when the head kept in
/// the state is given — the right length and last hash (which detects entries removed at
/// the end). Errors [`CodeErreur::JournalCorrompu`] at the first bad entry.
///
/// ```
/// use mpe::procedure::{verifier_journal, EntreeJournal, TeteJournal};
/// // Empty is accepted only when the head says so.
/// assert!(verifier_journal(&[] as &[EntreeJournal], None).is_err());
/// assert!(verifier_journal(&[] as &[EntreeJournal], Some(&TeteJournal::default())).is_ok());
/// ```
pub fn verifier_journal(entrees: &[EntreeJournal], tete: Option<&TeteJournal>) -> Result<()> {
    // A procedure's journal starts at its creation: an empty one is a journal lost or
    // truncated to nothing, unless the head kept in the state says it is empty.
    if entrees.is_empty() && tete.is_none_or(|t| t.longueur != 0) {
        return Err(corrompu(
            0,
            "journal vide : toute procédure journalise au moins sa création",
        ));
    }
    let mut precedent = GENESE;
    let mut dernier: Option<DateTime<Utc>> = None;
    for (i, e) in entrees.iter().enumerate() {
        if e.index != i as u64 {
            return Err(corrompu(
                i,
                format!(
                    "entrée {i} : index {} (entrée supprimée, insérée ou déplacée)",
                    e.index
                ),
            ));
        }
        if e.precedent != precedent {
            return Err(corrompu(
                i,
                format!("entrée {i} : ne suit pas l'entrée précédente (chaîne rompue)"),
            ));
        }
        if e.calculer_empreinte()? != e.empreinte {
            return Err(corrompu(
                i,
                format!("entrée {i} : contenu modifié (empreinte incorrecte)"),
            ));
        }
        if dernier.is_some_and(|d| e.horodatage < d) {
            return Err(corrompu(
                i,
                format!("entrée {i} : horodatage antérieur à l'entrée précédente"),
            ));
        }
        dernier = Some(e.horodatage);
        precedent = &e.empreinte;
    }
    if let Some(t) = tete
        && (t.longueur != entrees.len() as u64 || t.empreinte != precedent)
    {
        return Err(corrompu(
            entrees.len(),
            format!(
                "le journal compte {} entrées et ne finit pas sur la tête enregistrée ({} entrées) : entrées supprimées ou ajoutées",
                entrees.len(),
                t.longueur
            ),
        ));
    }
    Ok(())
}

/// Parse a JSON Lines journal as [`exporter_jsonl`] writes it: one entry per line, each line
/// exactly the compact JSON that mpe writes for that entry, `\n` after each. A line in any
/// other form (extra or reordered fields, spaces, escapes, a blank line, `\r\n`) is refused as
/// a corruption of that entry: the hash covers a canonical form, so the stored bytes must be
/// that form, or they could carry what the hash does not see.
pub fn lire_jsonl(texte: &str) -> Result<Vec<EntreeJournal>> {
    let corps = texte.strip_suffix('\n').unwrap_or(texte);
    if corps.is_empty() {
        return Ok(Vec::new());
    }
    corps
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let e: EntreeJournal = serde_json::from_str(l)
                .map_err(|err| corrompu(i, format!("entrée {i} illisible : {err}")))?;
            let canonique = serde_json::to_string(&e)
                .map_err(|err| Erreur::internal(format!("journal : {err}")))?;
            if canonique != l {
                return Err(corrompu(
                    i,
                    format!("entrée {i} : ligne hors de la forme canonique (champs, ordre ou espaces modifiés)"),
                ));
            }
            Ok(e)
        })
        .collect()
}

/// Verify a JSON Lines journal (see [`verifier_journal`]).
pub fn verifier_jsonl(texte: &str, tete: Option<&TeteJournal>) -> Result<()> {
    verifier_journal(&lire_jsonl(texte)?, tete)
}

/// Export entries as JSON Lines: one compact JSON object per line, each line ending with
/// `\n`.
pub fn exporter_jsonl(entrees: &[EntreeJournal]) -> Result<String> {
    let mut out = Vec::with_capacity(entrees.len() * 256);
    for e in entrees {
        serde_json::to_writer(&mut out, e)
            .map_err(|e| Erreur::internal(format!("export du journal : {e}")))?;
        out.push(b'\n');
    }
    String::from_utf8(out).map_err(|e| Erreur::internal(format!("export du journal : {e}")))
}

/// The receipt of pli n°`pli`, from the journal (the [`Evenement::PliDepose`] entry).
pub fn accuse(entrees: &[EntreeJournal], pli: u32) -> Option<&crate::model::AccuseReception> {
    entrees.iter().find_map(|e| match &e.evenement {
        Evenement::PliDepose { accuse, .. } if accuse.pli == pli => Some(accuse),
        _ => None,
    })
}
