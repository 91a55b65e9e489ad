//! The rules a consultation must follow: référence, CPV, SIRET, calendar and legal minimum
//! delays, thresholds, access codes, DCE archive checks — and [`valider`], which applies them
//! all and returns every finding (not only the first).

pub mod code_acces;
pub mod cpv;
pub mod dce;
pub mod delais;
pub mod reference;
pub mod seuils;
pub mod siret;
pub mod temps;
mod validation;

pub use validation::{Constat, Gravite, valider};
