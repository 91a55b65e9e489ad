//! A pli (bid) and its envelopes: what was received, how it is opened, the files inside
//! and their signatures.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Entreprise, TypeEnveloppe};
use crate::Erreur;

/// How a pli reached the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeDepot {
    /// Submitted on the platform.
    Electronique,
    /// Received on paper, registered by an agent (registre papier).
    Papier,
}

impl ModeDepot {
    /// The French label.
    pub fn libelle(self) -> &'static str {
        match self {
            ModeDepot::Electronique => "électronique",
            ModeDepot::Papier => "papier",
        }
    }
}

/// Outcome of the verification of a file's signature (done by the signatures module or the
/// company's tool; the pli declares it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultatSignature {
    /// Valid signature, trusted chain.
    Valide,
    /// Cryptographically wrong, altered data or revoked certificate.
    Invalide,
    /// Could not be fully checked (unknown chain, no revocation data).
    Indeterminee,
}

/// The signature declared for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignatureFichier {
    /// Format: "PAdES", "CAdES", "XAdES".
    pub format: String,
    /// Verification outcome.
    pub resultat: ResultatSignature,
    /// Signer's name from the certificate, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signataire: Option<String>,
}

/// A file of an envelope, as declared at submission (the hash is of the plaintext).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fichier {
    /// File name.
    pub nom: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub sha256: String,
    /// Its signature, if signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureFichier>,
    /// The document attendu this file answers: the `libelle` of one of the consultation's
    /// `modalites.documents` for this envelope and lot (compared without case), as the
    /// company picked it for the file when submitting (the reference platforms ask the
    /// type of each file). `None`: a free piece, checked against no document attendu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// Which envelope of a pli: its kind and its lot (0 for the candidature, which is common to
/// all lots, and for a consultation non allotie).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct RefEnveloppe {
    /// Kind of envelope.
    pub enveloppe: TypeEnveloppe,
    /// Lot number, 0 when common or non allotie.
    #[serde(default)]
    pub lot: u32,
}

impl std::fmt::Display for RefEnveloppe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.lot == 0 {
            f.write_str(self.enveloppe.libelle())
        } else {
            write!(f, "{} (lot {})", self.enveloppe.libelle(), self.lot)
        }
    }
}

/// Opening online (decrypted on the platform) or offline (decrypted on the buyer's computer,
/// or a paper envelope opened by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeOuvertureEnveloppe {
    /// On the platform.
    EnLigne,
    /// Offline.
    HorsLigne,
}

/// Status of an envelope. JSON: `"fermee"`, `{"ouverte": {...}}` or `{"refusee": {...}}`
/// (externally tagged: parsed without buffering, which keeps large states fast to load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatutEnveloppe {
    /// Closed (encrypted, or sealed paper).
    Fermee,
    /// Opened.
    Ouverte {
        /// Online or offline.
        mode: ModeOuvertureEnveloppe,
        /// When.
        #[schemars(with = "chrono::DateTime<chrono::Utc>")]
        #[serde(with = "crate::model::instant")]
        le: DateTime<Utc>,
        /// Agent id.
        par: String,
        /// Differences between the decrypted files and the receipt (empty when conform).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ecarts: Vec<String>,
    },
    /// Refused (e.g. virus, unreadable), never opened.
    Refusee {
        /// Why.
        motif: String,
        /// When.
        #[schemars(with = "chrono::DateTime<chrono::Utc>")]
        #[serde(with = "crate::model::instant")]
        le: DateTime<Utc>,
        /// Agent id.
        par: String,
    },
}

/// An envelope of a pli.
///
/// The state keeps what the engine needs, not the file list: that is in the receipt
/// ([`super::AccuseReception`], sent in the [`crate::procedure::Evenement::PliDepose`] event and kept by
/// the host), so that a state with hundreds of plis stays small. `empreinte` is the
/// SHA-256 of the declared file list ([`empreinte_fichiers`]), against which the files found
/// at opening are checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Enveloppe {
    /// Kind of envelope.
    pub enveloppe: TypeEnveloppe,
    /// Lot number, 0 when common or non allotie.
    #[serde(default)]
    pub lot: u32,
    /// Whether it was encrypted.
    pub chiffree: bool,
    /// Number of files declared (0 for paper).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fichiers: u32,
    /// Total size declared, in bytes.
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub taille: u64,
    /// SHA-256 of the declared file list (electronic plis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empreinte: Option<Empreinte>,
    /// Status.
    pub statut: StatutEnveloppe,
    /// Failed decryption attempts.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub echecs_dechiffrement: u32,
    /// What mpe computed from the envelope's bytes at the dépôt (size, SHA-256, CMS
    /// encryption), when they were handed in ([`crate::procedure::Procedure::deposer_octets`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub octets: Option<OctetsEnveloppe>,
}

/// A SHA-256 digest, held as bytes (no allocation when a state is loaded), written as 64
/// lowercase hex digits in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Empreinte(pub [u8; 32]);

impl Empreinte {
    /// The 64 lowercase hex digits, written without allocating (a state holds one per
    /// envelope: this runs thousands of times per load).
    fn hex(&self) -> [u8; 64] {
        const CHIFFRES: &[u8; 16] = b"0123456789abcdef";
        let mut b = [0u8; 64];
        for (paire, octet) in b.chunks_exact_mut(2).zip(self.0) {
            paire[0] = CHIFFRES[usize::from(octet >> 4)];
            paire[1] = CHIFFRES[usize::from(octet & 0x0f)];
        }
        b
    }

    /// Parse 64 lowercase hex digits (a table lookup per digit, no branch per character).
    fn depuis_hex(t: &[u8]) -> Option<Empreinte> {
        /// Value of each byte as a lowercase hex digit, 0xFF when it is not one.
        const VALEURS: [u8; 256] = {
            let mut t = [0xFFu8; 256];
            let mut i = 0;
            while i < 10 {
                t[b'0' as usize + i] = i as u8;
                i += 1;
            }
            let mut i = 0;
            while i < 6 {
                t[b'a' as usize + i] = 10 + i as u8;
                i += 1;
            }
            t
        };
        if t.len() != 64 {
            return None;
        }
        let mut b = [0u8; 32];
        let mut invalide = 0u8;
        for (octet, paire) in b.iter_mut().zip(t.chunks_exact(2)) {
            let (h, l) = (
                VALEURS[usize::from(paire[0])],
                VALEURS[usize::from(paire[1])],
            );
            invalide |= h | l;
            *octet = (h << 4) | (l & 0x0f);
        }
        // Digits are at most 15: any bit above shows a non-digit.
        (invalide & 0xf0 == 0).then_some(Empreinte(b))
    }
}

impl std::fmt::Display for Empreinte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only ASCII hex digits were written.
        f.write_str(std::str::from_utf8(&self.hex()).unwrap_or_default())
    }
}

impl Serialize for Empreinte {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(std::str::from_utf8(&self.hex()).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for Empreinte {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::model::instant::avec_str(d, "une empreinte SHA-256", |t| {
            Empreinte::depuis_hex(t.as_bytes()).ok_or_else(|| {
                "empreinte : 64 chiffres hexadécimaux minuscules attendus".to_string()
            })
        })
    }
}

/// The schema of what `Serialize` writes: 64 lowercase hex digits.
impl schemars::JsonSchema for Empreinte {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Empreinte".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Empreinte SHA-256 (64 chiffres hexadécimaux minuscules)",
            "pattern": "^[0-9a-f]{64}$"
        })
    }
}

#[cfg(test)]
mod tests_empreinte {
    use super::Empreinte;

    #[test]
    fn hex_aller_retour_et_refus() {
        let e = Empreinte(core::array::from_fn(|i| (i * 37 + 5) as u8));
        let t = e.to_string();
        assert_eq!(t, hex::encode(e.0));
        assert_eq!(Empreinte::depuis_hex(t.as_bytes()), Some(e));
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Empreinte>(&json).unwrap(), e);
        for faux in [
            t.to_uppercase(),
            t[..62].to_string(),
            format!("{}g", &t[..63]),
            format!("{}é", &t[..62]),
            format!("{} ", &t[..63]),
        ] {
            assert!(Empreinte::depuis_hex(faux.as_bytes()).is_none(), "{faux}");
            assert!(serde_json::from_str::<Empreinte>(&format!("\"{faux}\"")).is_err());
        }
        assert!(serde_json::from_str::<Empreinte>("12").is_err());
    }
}

/// SHA-256 of a file list, independent of its order: the files sorted by name, each as
/// `nom \t taille \t sha256 \n`.
pub fn empreinte_fichiers(fichiers: &[Fichier]) -> Empreinte {
    use sha2::{Digest, Sha256};
    let mut tries: Vec<&Fichier> = fichiers.iter().collect();
    tries.sort_by(|a, b| a.nom.cmp(&b.nom));
    let mut h = Sha256::new();
    for f in tries {
        h.update(f.nom.as_bytes());
        h.update(b"\t");
        h.update(f.taille.to_string().as_bytes());
        h.update(b"\t");
        h.update(f.sha256.as_bytes());
        h.update(b"\n");
    }
    Empreinte(h.finalize().into())
}

fn is_zero64(n: &u64) -> bool {
    *n == 0
}

impl Enveloppe {
    /// Kind and lot.
    pub fn reference(&self) -> RefEnveloppe {
        RefEnveloppe {
            enveloppe: self.enveloppe,
            lot: self.lot,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Admission or rejection of a candidature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Admission {
    /// Admitted or rejected.
    pub admise: bool,
    /// Reason (mandatory for a rejection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motif: Option<String>,
    /// When.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
}

/// A request to complete a candidature or an offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DemandeComplement {
    /// What is asked.
    pub objet: String,
    /// Answer expected before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_limite: Option<DateTime<Utc>>,
    /// When asked.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
}

/// A pli (bid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pli {
    /// Pli n°, from 1, in order of receipt (electronic and paper share the numbering).
    pub numero: u32,
    /// Electronic or paper.
    pub mode: ModeDepot,
    /// The company.
    pub entreprise: Entreprise,
    /// Lots answered (`[0]` when non allotie).
    pub lots: Vec<u32>,
    /// Horodatage: time of receipt.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub horodatage: DateTime<Utc>,
    /// Received at or after the DLRO (paper only: electronic late plis are refused).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hors_delai: bool,
    /// A later pli of the same company that replaces this one (this one stays closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remplace_par: Option<u32>,
    /// Envelopes.
    pub enveloppes: Vec<Enveloppe>,
    /// Analysis of the candidature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission: Option<Admission>,
    /// Requests for completion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complements: Vec<DemandeComplement>,
}

impl Pli {
    /// Whether this pli may be opened at all: received in time and not replaced.
    pub fn recevable(&self) -> bool {
        !self.hors_delai && self.remplace_par.is_none()
    }

    /// The envelope with this reference.
    pub fn enveloppe(&self, r: RefEnveloppe) -> Option<&Enveloppe> {
        self.enveloppes
            .iter()
            .find(|e| e.enveloppe == r.enveloppe && e.lot == r.lot)
    }

    /// Whether the envelope exists and is open.
    pub fn est_ouverte(&self, r: RefEnveloppe) -> bool {
        self.enveloppe(r)
            .is_some_and(|e| matches!(e.statut, StatutEnveloppe::Ouverte { .. }))
    }

    /// Whether the pli answers this lot.
    pub fn repond_au_lot(&self, lot: u32) -> bool {
        self.lots.contains(&lot)
    }
}

/// What mpe computed from the bytes of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OctetsEnveloppe {
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256 of the bytes.
    pub sha256: Empreinte,
    /// The CMS envelope found, `None` when the bytes are not a CMS envelope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cms: Option<ChiffrementEnveloppe>,
}

impl OctetsEnveloppe {
    /// Placeholder facts, for checking a dépôt before its bytes are read.
    pub(crate) fn vide() -> OctetsEnveloppe {
        OctetsEnveloppe {
            taille: 0,
            sha256: Empreinte([0; 32]),
            cms: None,
        }
    }
}

/// The encryption of a CMS envelope, as read from its header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChiffrementEnveloppe {
    /// `"EnvelopedData"` or `"AuthEnvelopedData"`.
    pub structure: String,
    /// Content encryption (`"AES-256-GCM"` ...), or the OID when not allowed.
    pub algorithme: String,
    /// Number of recipients.
    pub destinataires: usize,
    /// Why it cannot be accepted for this consultation (checked against its keys).
    #[serde(skip)]
    pub(crate) refus: Option<Erreur>,
}
