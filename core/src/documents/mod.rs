//! DAJ documents: a DOCX template engine, the standard forms, the document space.
pub mod formulaires;
pub mod modele;
pub mod moteur;
pub mod valeurs;
pub mod xml;

pub use modele::{Modele, fusionner, lister_champs, texte_document};
pub use moteur::{ChampModele, Genre, OptionsFusion, Source};
