//! The domain model: plain serde types the host stores as JSON. Their JSON is public and
//! described by the JSON Schemas under `schemas/` (generated, checked by the tests).

mod accuse;
mod consultation;
mod decision;
mod entreprise;
pub(crate) mod instant;
mod lien;
mod montant;
mod organisation;
mod phase;
mod pli;
pub(crate) mod texte;

pub use accuse::{AccuseReception, EnveloppeRecue, FichierRecu};
pub use consultation::{
    Acces, AgentInvite, Calendrier, CategoriePrincipale, CodesCpv, Consultation, DocumentAttendu,
    DroitInvite, DumeAcheteur, EnvoiPostal, Etape, FormeConsultation, Identification,
    LieuExecution, Lot, MiseEnLigne, Modalites, ModeEnvoiPostal, ModeOuverture, Piece, Pieces,
    ReponseElectronique, Rpa, SignatureRequise, TypeAcces, TypeAnnonce, TypeContrat, TypeDume,
    TypeEnveloppe, TypeProcedure,
};
pub use decision::{Attributaire, Decision, DecisionLot, LettresRejet, Rang};
pub use entreprise::{Contact, Destinataire, Entreprise, IdentifiantEntreprise};
pub use lien::Lien;
pub use montant::Montant;
pub use organisation::{Agent, EntitePublique, Habilitation, Organisation, Service, TypeAcheteur};
pub use phase::Phase;
pub(crate) use phase::phase_incorrecte;
pub use pli::{
    Admission, ChiffrementEnveloppe, DemandeComplement, Empreinte, Enveloppe, Fichier, ModeDepot,
    ModeOuvertureEnveloppe, OctetsEnveloppe, Pli, RefEnveloppe, ResultatSignature,
    SignatureFichier, StatutEnveloppe, empreinte_fichiers,
};
pub use texte::TEXTE_MAX;
