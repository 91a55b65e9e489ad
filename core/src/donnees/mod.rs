//! Contracts and their données essentielles (DECP).
//!
//! - [`Contrat`]: the contracts register (marchés and contrats de concession), with
//!   [`filtrer_contrats`] and [`exporter_xlsx`];
//! - [`exporter_decp_json`] / [`exporter_decp_xml`]: DECP 2022 export, valid against the
//!   official JSON Schema v2.0.3 and XSD v2.0.2, after [`verifier_decp`]'s stricter checks;
//! - [`LecteurDecp`] / [`importer_decp`]: streamed import of DECP files (2019 v1.5 and 2022,
//!   JSON and XML) with repair of real defects and a complete [`RapportImport`];
//! - [`Entrepot`]: the searchable store of imported and own contracts ([`Recherche`]);
//! - [`exporter_ocds`]: OCDS 1.1.5 release package.

mod attribution;
mod brut;
mod decp;
mod entrepot;
mod import;
mod json;
mod modele;
mod ocds;
mod siret;
mod texte;
#[cfg(feature = "xlsx")]
mod xlsx;

pub use attribution::{
    ComplementContrat, contrat_depuis_decision, identifiant_decp, procedure_decp,
};
pub use decp::{
    Anomalie, MONTANT_MAX_PLAUSIBLE, date_min_plausible, exporter_decp_json, exporter_decp_xml,
    verifier_decp, verifier_decp_version,
};
pub use entrepot::{
    Entrepot, Fiche, ParProvenance, Recherche, ResultatRecherche, TitulaireFiche, Tri,
};
pub use import::{
    ActionRapport, ElementDecp, EntreeRapport, FormatDecp, LecteurDecp, LimitesDecp, OptionsImport,
    RapportImport, importer_decp,
};
pub use modele::{
    Acheteur, ActeSousTraitance, Attribution, CategorieContrat, Contact, Contrat, DonneesExecution,
    EtatActuel, FiltreContrats, LieuExecution, Modification, ModificationActeSousTraitance,
    NaturePrestations, Provenance, StatutContrat, Tarif, Titulaire, TypeContrat, TypeIdentifiant,
    filtrer_contrats,
};
pub use ocds::{OptionsOcds, exporter_ocds};
pub use siret::{siren_valide, siret_valide};
pub use texte::plier_texte;
#[cfg(feature = "xlsx")]
pub use xlsx::exporter_xlsx;
