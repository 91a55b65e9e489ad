//! The domain model: plain serde types the host stores as JSON. Their JSON is public and
//! described by the JSON Schemas under `schemas/` (generated, checked by the tests).

mod consultation;
mod montant;
mod organisation;

pub use consultation::{
    Acces, AgentInvite, Calendrier, Categorie, CodesCpv, Consultation, DocumentAttendu,
    DroitInvite, DumeAcheteur, EnvoiPostal, Etape, FormeConsultation, Identification,
    LieuExecution, Lot, MiseEnLigne, Modalites, ModeEnvoiPostal, ModeOuverture, Piece, Pieces,
    ReponseElectronique, Rpa, SignatureRequise, TypeAcces, TypeAnnonce, TypeContrat, TypeDume,
    TypeEnveloppe, TypeProcedure,
};
pub use montant::Montant;
pub use organisation::{Agent, EntitePublique, Habilitation, Organisation, Service, TypeAcheteur};
