//! DAJ documents: a DOCX template engine, the standard forms, the document space of a
//! consultation.
//!
//! # Templates
//!
//! A template is an ordinary DOCX written in Word, LibreOffice or OnlyOffice. Three kinds of
//! fields are recognized, because real templates use all three:
//!
//! - placeholders `{{ champ }}`, wherever Word split them (runs, spelling marks, bookmarks);
//! - Word MERGEFIELDs, simple (`w:fldSimple`) or complex (`w:fldChar`), with their `\*`,
//!   `\#`, `\@`, `\b`, `\f` switches; `TableStart:x`/`TableEnd:x` regions repeat rows;
//! - content controls (`w:sdt`) found by their tag: filled, placeholder styling and data
//!   bindings dropped.
//!
//! Values are looked up by dotted path (`lot.attributaire.raison_sociale`). Sections
//! `{{#lots}}…{{/lots}}` repeat over a list (table rows when the tags sit in a row,
//! paragraphs when alone in paragraphs, runs inside a paragraph) or keep a block when the
//! value is true; `{{^x}}…{{/x}}` keeps it when false or empty. Filters format French
//! values: `{{ montant | montant }}` → `1 234,56 €`, `| montant_lettres`, `| date`,
//! `| date_longue`, `| heure`, `| date_heure`, `| siret`, `| nombre 2`, `| majuscules`,
//! `| format "d MMMM yyyy"`, `| defaut "—"`.
//!
//! Only the templated parts (body, headers, footers, footnotes, endnotes, and settings when
//! they name a mail-merge data source) are rewritten; every other part is copied still
//! compressed.
//!
//! ```
//! use mpe::documents::{ModeleDocx, OptionsFusion};
//! use serde_json::json;
//! let docx = mpe::documents::formulaires::modele("OUV10").unwrap();
//! let modele = ModeleDocx::compiler(docx, &OptionsFusion::default()).unwrap();
//! // Strict by default: one error lists every missing field.
//! let e = modele.fusionner(&json!({})).unwrap_err();
//! assert_eq!(e.code(), mpe::CodeErreur::DonneesManquantes);
//! assert!(e.message().contains("consultation.reference"));
//! ```

pub mod espace;
pub mod formulaires;
pub mod modele;
pub mod moteur;
pub mod procedure;
pub mod valeurs;
pub mod xml;

pub use espace::{CategoriePiece, EspaceDocumentaire, PieceEspace};
pub use formulaires::{CATALOGUE, DonneesProcedure, Formulaire};
pub use modele::{
    ModeleDocx, fusionner, fusionner_borne, fusionner_fichier, lister_champs, texte_document,
};
pub use moteur::{ChampModele, Genre, LimitesFusion, OptionsFusion, Source};
pub use procedure::{ClausesContrat, ParametresDocuments, donnees_documents};
