//! Trust from the EU trusted lists (ETSI TS 119 612) and the qualification of a signer's
//! certificate at the signing time (ETSI TS 119 615).
//!
//! The core takes list bytes and a time and does no I/O: the host fetches the list of
//! trusted lists (LOTL) and the national lists and keeps them where it likes. A list is used
//! only when its one enveloped signature verifies with a certificate announced for it (the
//! LOTL's pointer for a national list; for the LOTL, the keys the Official Journal announced,
//! passed on along the pivot LOTLs the host gives, see [`charger_avec_pivots`]), and when it
//! is current at the time given. Everything else is
//! left out, and the report says why with a stable code.
//!
//! ```
//! use mpe::confiance::{self, CacheListes};
//! use x509_cert::Certificate;
//!
//! /// `lotl` and `fr` as fetched by the host, `certificats_lotl` from the Official Journal.
//! fn qualification(lotl: &[u8], fr: &[u8], certificats_lotl: &[Certificate], signataire: &Certificate) {
//!     let date = chrono::DateTime::parse_from_rfc3339("2019-09-04T10:00:00Z").unwrap().to_utc();
//!     let mut cache = CacheListes::new();
//!     let c = confiance::charger(lotl, certificats_lotl, &[fr], date, &mut cache);
//!     for e in &c.entrees {
//!         println!("{:?} utilisée : {}", e.territoire, e.utilisee());
//!     }
//!     let q = confiance::qualifier(signataire, date, &c);
//!     println!("{:?}", q.qualification);
//! }
//! ```

mod chargement;
mod criteres;
mod entree;
mod lecture;
mod liste;
mod qc;
mod qualification;
mod verification;

pub use chargement::{
    CacheListes, Confiance, EntreeChargement, EntreePivot, charger, charger_avec_pivots,
};
pub use criteres::satisfait;
pub use entree::{ListesConfianceJson, PivotJson};
pub use lecture::lire_liste;
pub use liste::{
    Assertion, Critere, Criteres, EtatService, IdentiteService, ListeConfiance, PointeurListe,
    Prestataire, QualificationListe, STATUT_ACCORDE, STATUT_RETIRE, ServiceConfiance, TYPE_CA_QC,
    TYPE_TSA_QTST,
};
pub use qc::{DeclarationsQc, UsageQualifie, declarations};
pub use qualification::{
    Etape, EtatQualification, RapportQualification, ServiceRetenu, TypeQualification, qualifier,
};
pub use verification::{OptionsListe, RapportListe, verifier_liste};
