//! Publication: the eForms notices a French buyer sends to TED (and the BOAMP), written
//! from the consultation, checked before writing, and read back.
//!
//! - [`correspondance`]: THE mapping from mpe's model to the eForms business terms (BT-…);
//! - [`verifier_avis`]: mpe's pre-check, one finding per missing or invalid business term,
//!   naming the field to fill;
//! - [`generer_avis_marche`]: the contract notice, subtype 16 (SDK 1.15);
//! - [`generer_avis_attribution`]: the result notice, subtype 29, from the procedure's
//!   decisions, plis and contracts ([`verifier_avis_attribution`] its pre-check);
//! - [`generer_avis_rectificatif`]: the change notice of a contract notice sent, from the
//!   modifications of the published consultation since (DCE versions, DLRO postponed);
//! - [`ValidateurEforms`]: the SDK's own Schematron rules ([`ReglesEforms`], given by the
//!   host) run natively on any notice: `mpe avis valider`; [`ValidateurEformsPartage`] the
//!   same from any thread (the bindings');
//! - [`lire_avis`]: any eForms notice back into a [`ResumeAvis`];
//! - [`verifier_sous_type`]: the subtype a caller asks for, against the buyer's directive;
//! - [`generer_dume_demande`]: the buyer's DUME (ESPD request, ESPD-EDM 2.1.1 or 4.1.0);
//!   [`lire_dume`] any DUME (1.0.2 to 4.1.0) into a [`ResumeDume`], [`comparer_dume`] a
//!   company's response against the request and the pli's company.
//!
//! The notices are checked in the test command by the SDK's own XSD and Schematron rules
//! (`tests/interop/test_eforms_mpe.py`), run by tools independent of mpe (lxml, Saxon).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! let c = mpe::model::Consultation::from_json(include_str!("../../../examples/data/consultation.json")).unwrap();
//! let o: mpe::model::Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
//! let maintenant = Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
//! // Without the notice data, the pre-check names what is missing.
//! let constats = mpe::publication::verifier_avis(&c, &o, &Default::default(), maintenant);
//! assert!(constats.iter().any(|k| k.bt == "BT-513-Organization-Company" && k.champ == "$.donnees.acheteur.ville"));
//! ```

mod avis;
mod avis_attribution;
pub mod correspondance;
mod donnees;
mod dume;
mod dume_lecture;
mod lecture;
mod nuts;
mod precontrole;
mod precontrole_resultat;
mod rectificatif;
mod resultat;
#[cfg(feature = "schematron")]
mod schematron;
mod sous_type;
#[cfg(feature = "schematron")]
mod validateur_partage;
mod xml;

pub use avis::{Avis, VERSION_SDK, generer_avis_marche};
pub use avis_attribution::{generer_avis_attribution, verifier_avis_attribution};
pub use donnees::{
    Coordonnees, CritereAttribution, DonneesAvis, EntrepriseAvis, InstanceRecours,
    MotifNonAttribution, NonAttribution, TailleEntreprise, TypeCritere,
};
pub use dume::{DumeDemande, VersionDume, generer_dume_demande};
pub use dume_lecture::{EcartDume, IdentiteDume, NatureDume, ResumeDume, comparer_dume, lire_dume};
pub use lecture::{ResumeAvis, ResumeLot, lire_avis};
pub use nuts::{nuts_connu, nuts_du_lieu};
pub use precontrole::{ConstatAvis, verifier_avis};
pub use rectificatif::generer_avis_rectificatif;
pub use resultat::ContratLot;
#[cfg(feature = "schematron")]
pub use schematron::{
    EchecSchematron, FICHIER_PRINCIPAL, IndetermineSchematron, RapportSchematron, ReglesEforms,
    ValidateurEforms,
};
pub use sous_type::verifier_sous_type;
#[cfg(feature = "schematron")]
pub use validateur_partage::ValidateurEformsPartage;
