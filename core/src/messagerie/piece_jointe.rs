//! Attachments: from a file or from the consultation's document space, names made safe,
//! size limits, and the pieces a DCE modification attaches by itself.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::{CodeErreur, Erreur, Result};

/// Where an attachment comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OriginePiece {
    /// A file the agent uploaded.
    #[default]
    Fichier,
    /// A document of the consultation's document space (DCE pieces...).
    EspaceDocumentaire,
}

/// An attachment: a name, a MIME type and the bytes (base64 in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PieceJointe {
    /// File name as given (it is sanitized when the message is written).
    pub nom: String,
    /// MIME type, e.g. `application/pdf`; guessed from the extension when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_mime: Option<String>,
    /// Content.
    #[serde(with = "base64_serde")]
    #[schemars(with = "String")]
    pub contenu: Vec<u8>,
    /// Where it comes from.
    #[serde(default)]
    pub origine: OriginePiece,
}

impl PieceJointe {
    /// An attachment from an uploaded file.
    pub fn fichier(nom: impl Into<String>, contenu: Vec<u8>) -> PieceJointe {
        PieceJointe {
            nom: nom.into(),
            type_mime: None,
            contenu,
            origine: OriginePiece::Fichier,
        }
    }

    /// An attachment from the consultation's document space: `(name, bytes, MIME type)`.
    pub fn document(
        nom: impl Into<String>,
        contenu: Vec<u8>,
        type_mime: Option<String>,
    ) -> PieceJointe {
        PieceJointe {
            nom: nom.into(),
            type_mime,
            contenu,
            origine: OriginePiece::EspaceDocumentaire,
        }
    }

    /// The safe file name written in the message (see [`nom_sur`]).
    pub fn nom_sur(&self) -> String {
        nom_sur(&self.nom)
    }

    /// The MIME type to declare: the one given (validated), or guessed from the extension.
    pub fn type_mime_effectif(&self) -> Result<String> {
        match &self.type_mime {
            Some(t) => {
                let t = t.trim().to_ascii_lowercase();
                let ok = t.split_once('/').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && !a.starts_with("multipart")
                        && !a.starts_with("message")
                        && t.len() <= 127
                        && (a.bytes().chain(b.bytes()))
                            .all(|c| c.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&c))
                });
                if ok {
                    Ok(t)
                } else {
                    Err(Erreur::invalid_argument(format!(
                        "type MIME invalide « {} » pour la pièce jointe « {} »",
                        t.escape_default(),
                        self.nom
                    )))
                }
            }
            None => Ok(type_mime_par_extension(&self.nom).to_string()),
        }
    }
}

/// Limits on the attachments of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LimitesPiecesJointes {
    /// Largest attachment, in bytes.
    pub par_piece: u64,
    /// Largest total of the attachments, in bytes (base64 adds a third on the wire: the
    /// default keeps a message under the 25 MB most mail servers accept).
    pub total: u64,
    /// Most attachments.
    pub nombre: usize,
}

impl Default for LimitesPiecesJointes {
    fn default() -> Self {
        LimitesPiecesJointes {
            par_piece: 10 * 1024 * 1024,
            total: 18 * 1024 * 1024,
            nombre: 50,
        }
    }
}

/// `12,3 Mo` (one decimal, French style).
fn taille_lisible(octets: u64) -> String {
    let dixiemes = octets.saturating_mul(10).saturating_add(512 * 1024) / (1024 * 1024);
    if dixiemes >= 10 {
        format!("{},{}\u{A0}Mo", dixiemes / 10, dixiemes % 10)
    } else {
        let ko = octets.div_ceil(1024);
        format!("{ko}\u{A0}Ko")
    }
}

/// Check the attachments against the limits (`PIECE_JOINTE_TROP_GRANDE`, naming the piece
/// and both sizes; `LIMITE_DEPASSEE` for too many).
pub fn verifier_limites(pieces: &[PieceJointe], limites: &LimitesPiecesJointes) -> Result<()> {
    if pieces.len() > limites.nombre {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!(
                "{} pièces jointes, au-delà de la limite de {}",
                pieces.len(),
                limites.nombre
            ),
        )
        .at("pieces_jointes"));
    }
    let mut total: u64 = 0;
    for (i, p) in pieces.iter().enumerate() {
        let taille = p.contenu.len() as u64;
        if taille > limites.par_piece {
            return Err(Erreur::new(
                CodeErreur::PieceJointeTropGrande,
                format!(
                    "la pièce jointe « {} » fait {}, au-delà de la limite de {} par pièce",
                    p.nom_sur(),
                    taille_lisible(taille),
                    taille_lisible(limites.par_piece)
                ),
            )
            .at(format!("pieces_jointes[{i}]")));
        }
        total = total.saturating_add(taille);
    }
    if total > limites.total {
        return Err(Erreur::new(
            CodeErreur::PieceJointeTropGrande,
            format!(
                "les pièces jointes font {} au total, au-delà de la limite de {}",
                taille_lisible(total),
                taille_lisible(limites.total)
            ),
        )
        .at("pieces_jointes"));
    }
    Ok(())
}

/// Longest file name, in UTF-8 bytes (most file systems).
const MAX_NOM: usize = 200;

/// A file name safe on every desktop the recipient may save it to: the last component of a
/// path only, no control or bidirectional-override characters (they disguise `exe.pdf`),
/// none of `< > : " / \ | ? *`, no trailing dots or spaces, not a reserved Windows device
/// name, at most 200 bytes (keeping the extension), NFC. Accents stay.
///
/// ```
/// use mpe::messagerie::nom_sur;
/// assert_eq!(nom_sur("C:\\Users\\x\\CCAP été.pdf"), "CCAP été.pdf");
/// assert_eq!(nom_sur("../../etc/passwd"), "passwd");
/// assert_eq!(nom_sur("CON.txt"), "_CON.txt");
/// assert_eq!(nom_sur("facture\u{202E}fdp.exe"), "facturefdp.exe");
/// assert_eq!(nom_sur("a:b?.pdf. "), "a_b_.pdf");
/// ```
pub fn nom_sur(nom: &str) -> String {
    let base = nom.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut s: String = base
        .nfc()
        .filter(|c| !c.is_control() && !est_controle_bidi(*c))
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    s = s
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if s.is_empty() {
        return "piece-jointe".into();
    }
    let radical = s.split('.').next().unwrap_or_default().trim_end();
    let reserve = matches!(
        radical.to_ascii_uppercase().as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ({
        let r = radical.to_ascii_uppercase();
        (r.starts_with("COM") || r.starts_with("LPT"))
            && r.len() == 4
            && r.as_bytes().get(3).is_some_and(|d| d.is_ascii_digit())
    });
    if reserve {
        s.insert(0, '_');
    }
    if s.len() > MAX_NOM {
        s = tronquer(&s);
    }
    s
}

/// Cut a name to [`MAX_NOM`] bytes on a character boundary, keeping a short extension.
fn tronquer(s: &str) -> String {
    let (radical, ext) = match s.rsplit_once('.') {
        Some((r, e)) if !r.is_empty() && e.len() <= 10 => (r, format!(".{e}")),
        _ => (s, String::new()),
    };
    let mut budget = MAX_NOM.saturating_sub(ext.len());
    let mut out = String::new();
    for c in radical.chars() {
        if c.len_utf8() > budget {
            break;
        }
        budget -= c.len_utf8();
        out.push(c);
    }
    // The cut can end on a dot of the radical ("a.b" cut after "a."): trimmed like the
    // whole name, or Windows drops it and the name is not stable.
    let out = out
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    out + &ext
}

fn est_controle_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || c == '\u{FEFF}'
}

/// The MIME type of the usual documents of a consultation, from the file extension.
pub fn type_mime_par_extension(nom: &str) -> &'static str {
    let ext = nom
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "zip" => "application/zip",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "tif" | "tiff" => "image/tiff",
        "dwg" => "image/vnd.dwg",
        "p7s" => "application/pkcs7-signature",
        _ => "application/octet-stream",
    }
}

/// A change of the DCE announced by a « modification du DCE » letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "nature")]
pub enum ModificationDce {
    /// A piece was added: it is attached.
    AjoutPiece {
        /// The new piece.
        piece: PieceJointe,
    },
    /// A piece was replaced by another: the new one is attached.
    RemplacementPiece {
        /// Name of the piece replaced.
        remplacee: String,
        /// The new piece.
        piece: PieceJointe,
    },
    /// A piece was withdrawn.
    SuppressionPiece {
        /// Its name.
        nom: String,
    },
    /// The whole DCE was replaced: nothing is attached (companies download it).
    RemplacementDce,
    /// A DCE was added: nothing is attached.
    AjoutDce,
}

impl ModificationDce {
    /// The sentence of the letter that announces the change.
    pub fn phrase(&self) -> String {
        match self {
            ModificationDce::AjoutPiece { piece } => {
                format!("- ajout de la pièce « {} » (jointe) ;", piece.nom_sur())
            }
            ModificationDce::RemplacementPiece { remplacee, piece } => format!(
                "- remplacement de la pièce « {} » par « {} » (jointe) ;",
                nom_sur(remplacee),
                piece.nom_sur()
            ),
            ModificationDce::SuppressionPiece { nom } => {
                format!("- suppression de la pièce « {} » ;", nom_sur(nom))
            }
            ModificationDce::RemplacementDce => {
                "- remplacement du DCE dans son intégralité, à télécharger sur la plateforme ;"
                    .into()
            }
            ModificationDce::AjoutDce => {
                "- mise à disposition du DCE, à télécharger sur la plateforme ;".into()
            }
        }
    }
}

/// The pieces a DCE modification attaches by itself: the added pieces and the replacing
/// pieces, as from the document space; nothing for a whole DCE replaced or added.
///
/// ```
/// use mpe::messagerie::{ModificationDce, PieceJointe, pieces_automatiques};
/// let m = vec![
///     ModificationDce::AjoutPiece { piece: PieceJointe::fichier("Additif n°1.pdf", b"%PDF".to_vec()) },
///     ModificationDce::RemplacementDce,
/// ];
/// let p = pieces_automatiques(&m);
/// assert_eq!(p.len(), 1);
/// assert_eq!(p[0].nom, "Additif n°1.pdf");
/// ```
pub fn pieces_automatiques(modifications: &[ModificationDce]) -> Vec<PieceJointe> {
    modifications
        .iter()
        .filter_map(|m| match m {
            ModificationDce::AjoutPiece { piece }
            | ModificationDce::RemplacementPiece { piece, .. } => Some(PieceJointe {
                origine: OriginePiece::EspaceDocumentaire,
                ..piece.clone()
            }),
            _ => None,
        })
        .collect()
}

/// Bytes as standard base64 in JSON (the same JSON crosses the C ABI and Python).
pub(crate) mod base64_serde {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(v))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        STANDARD
            .decode(s.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("base64 invalide : {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the property test: a long name whose cut falls just after a dot, with no
    /// short extension to keep.
    #[test]
    fn long_name_cut_after_a_dot() {
        let nom = format!("{}.{}", "a".repeat(199), "b".repeat(40));
        let n = nom_sur(&nom);
        assert!(n.len() <= MAX_NOM, "{}", n.len());
        assert!(!n.ends_with('.') && !n.ends_with(' '), "{n}");
        assert_eq!(nom_sur(&n), n);
        let n = nom_sur(&format!("{}. {}", "a".repeat(198), "b".repeat(40)));
        assert!(!n.ends_with('.') && !n.ends_with(' '), "{n}");
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(
            nom_sur("Cahier des clauses spéciales (CCAP) été.pdf"),
            "Cahier des clauses spéciales (CCAP) été.pdf"
        );
        assert_eq!(nom_sur("a\u{0}b\r\n.pdf"), "ab.pdf");
        assert_eq!(nom_sur(""), "piece-jointe");
        assert_eq!(nom_sur("..."), "piece-jointe");
        assert_eq!(nom_sur("dossier/"), "piece-jointe");
        assert_eq!(nom_sur("lpt1"), "_lpt1");
        assert_eq!(nom_sur("COM9.tar.gz"), "_COM9.tar.gz");
        assert_eq!(nom_sur("COM10.txt"), "COM10.txt");
        assert_eq!(nom_sur("console.txt"), "console.txt");
        // Decomposed accents are composed.
        assert_eq!(nom_sur("e\u{301}te\u{301}.pdf"), "été.pdf");
        let long = format!("{}.pdf", "é".repeat(300));
        let n = nom_sur(&long);
        assert!(n.len() <= MAX_NOM && n.ends_with("é.pdf"), "{n}");
    }

    #[test]
    fn limits() {
        let l = LimitesPiecesJointes {
            par_piece: 10,
            total: 15,
            nombre: 2,
        };
        let p = |n: usize| PieceJointe::fichier("a.pdf", vec![0; n]);
        assert!(verifier_limites(&[p(10), p(5)], &l).is_ok());
        let e = verifier_limites(&[p(11)], &l).unwrap_err();
        assert_eq!(e.code(), CodeErreur::PieceJointeTropGrande);
        assert_eq!(e.path(), Some("pieces_jointes[0]"));
        assert!(e.message().contains("a.pdf"), "{}", e.message());
        let e = verifier_limites(&[p(10), p(6)], &l).unwrap_err();
        assert_eq!(e.code(), CodeErreur::PieceJointeTropGrande);
        let e = verifier_limites(&[p(1), p(1), p(1)], &l).unwrap_err();
        assert_eq!(e.code(), CodeErreur::LimiteDepassee);
        assert_eq!(taille_lisible(12_900_000), "12,3\u{A0}Mo");
        assert_eq!(taille_lisible(2048), "2\u{A0}Ko");
        assert!(taille_lisible(u64::MAX).ends_with("Mo"));
    }

    #[test]
    fn mime_types() {
        let mut p = PieceJointe::fichier("RC.PDF", vec![]);
        assert_eq!(p.type_mime_effectif().unwrap(), "application/pdf");
        p.type_mime = Some("text/plain\r\nX-Injection: 1".into());
        assert_eq!(
            p.type_mime_effectif().unwrap_err().code(),
            CodeErreur::ArgumentInvalide
        );
        p.type_mime = Some("multipart/mixed".into());
        assert!(p.type_mime_effectif().is_err());
        p.type_mime = Some("Application/VND.ms-excel".into());
        assert_eq!(p.type_mime_effectif().unwrap(), "application/vnd.ms-excel");
    }

    #[test]
    fn dce_modifications_attach_only_pieces() {
        let piece = PieceJointe::fichier("CCTP v2.pdf", b"x".to_vec());
        let m = vec![
            ModificationDce::RemplacementPiece {
                remplacee: "CCTP.pdf".into(),
                piece: piece.clone(),
            },
            ModificationDce::SuppressionPiece {
                nom: "BPU.xlsx".into(),
            },
            ModificationDce::AjoutDce,
            ModificationDce::RemplacementDce,
        ];
        let p = pieces_automatiques(&m);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].origine, OriginePiece::EspaceDocumentaire);
        assert!(pieces_automatiques(&m[2..]).is_empty());
    }

    #[test]
    fn base64_json() {
        let p = PieceJointe::fichier("a", vec![0, 255]);
        let j = serde_json::to_string(&p).unwrap();
        assert!(j.contains("\"AP8=\""), "{j}");
        assert_eq!(serde_json::from_str::<PieceJointe>(&j).unwrap(), p);
        assert!(serde_json::from_str::<PieceJointe>(r#"{"nom":"a","contenu":"!!"}"#).is_err());
    }
}
