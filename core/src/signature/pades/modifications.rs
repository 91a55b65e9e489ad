//! What the report says of later revisions: kinds of change, changes, revisions (always
//! compiled: the verification report names them even without the `pdf` feature).

use serde::{Deserialize, Serialize};

/// Kind of change found in a later revision.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CategorieModification {
    /// File structure only: cross-reference and object streams, objects rewritten
    /// identically, objects nothing refers to.
    Structure,
    /// Document security store (DSS, VRI): validation data for long-term signatures.
    Dss,
    /// A document timestamp (`ETSI.RFC3161`).
    HorodatageDocument,
    /// A further signature: its field, widget, appearance and dictionary.
    Signature,
    /// Form filling: values and appearances of existing non-signature fields.
    Formulaire,
    /// Document information dictionary or XMP metadata.
    Metadonnees,
    /// Annotations other than widgets (comments, stamps, drawings).
    Annotation,
    /// What a page shows: its content streams, resources, boxes, rotation.
    Contenu,
    /// The page tree: pages added, removed or reordered.
    Pages,
    /// A signature dictionary already present rewritten (the signed one lies).
    DictionnaireSignature,
    /// Anything else: not on the list of legitimate changes.
    Autre,
}

impl CategorieModification {
    fn libelle(self) -> &'static str {
        match self {
            Self::Structure => "structure",
            Self::Dss => "DSS",
            Self::HorodatageDocument => "horodatage de document",
            Self::Signature => "signature",
            Self::Formulaire => "formulaire",
            Self::Metadonnees => "métadonnées",
            Self::Annotation => "annotation",
            Self::Contenu => "contenu",
            Self::Pages => "pages",
            Self::DictionnaireSignature => "dictionnaire de signature",
            Self::Autre => "autre",
        }
    }
}

/// One change of a later revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChangementPdf {
    /// The object (`"12 0"`), when the change is one object.
    pub objet: Option<String>,
    /// Its kind.
    pub categorie: CategorieModification,
    /// The signature allows it.
    pub autorise: bool,
    /// What changed.
    pub detail: String,
}

/// One revision added after a signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RevisionPdf {
    /// 1 for the first revision after the signed one.
    pub numero: usize,
    /// Offset of its cross-reference section.
    pub offset_table: usize,
    /// What it changed.
    pub changements: Vec<ChangementPdf>,
}

impl RevisionPdf {
    /// The changes the signature does not allow, as report lines.
    pub fn refus(&self) -> impl Iterator<Item = String> + '_ {
        self.changements.iter().filter(|c| !c.autorise).map(|c| {
            format!(
                "révision {} : {} [{}]",
                self.numero,
                c.detail,
                c.categorie.libelle()
            )
        })
    }
}
