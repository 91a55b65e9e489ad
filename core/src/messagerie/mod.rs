//! Messagerie sécurisée: the letters a buyer sends to companies (courrier de rejet,
//! modification du DCE, demande de complément, réponse à une question, information au
//! titulaire retenu, notification, courrier libre), rendered as RFC 5322 / MIME messages
//! with the consultation block, and their register.
//!
//! The flow:
//! 1. [`Courrier::nouveau`] (or [`Courrier::rejet`]) gives the default French subject and
//!    body of a kind of letter; the agent edits them.
//! 2. Recipients come from what the agent pastes ([`analyser_destinataires`]) and from the
//!    registers ([`destinataires_depuis_registres`]).
//! 3. Attachments come from files or the document space ([`PieceJointe`]); a DCE
//!    modification attaches the added and replacing pieces by itself
//!    ([`pieces_automatiques`]).
//! 4. [`preparer_envoi`] validates everything and writes one message per recipient, plus
//!    one [`EvenementCourrier::Envoye`] per message for the journal. The host sends them.
//! 5. [`RegistreCourriers`] is built from the events; opening the acknowledgement link
//!    ([`RegistreCourriers::accuser_reception`]) and answers
//!    ([`RegistreCourriers::enregistrer_reponse`]) add events.
//!
//! Within a procedure, steps 2 and 5 go through [`crate::procedure`] instead:
//! `Procedure::destinataires_courrier` pre-fills the recipients from its registers, and the
//! actions `enregistrer_courrier`, `accuser_reception_courrier` and `repondre_courrier`
//! write the events into the procedure's hash-chained journal and its courriers register.
//!
//! The module reads no clock and draws randomness only from the generator it is given.

mod adresse;
mod courrier;
// MIME writing (mail-builder) is the `mail` feature; letters, addresses, attachments and
// the register, which the procedure's journal uses, are always there.
#[cfg(feature = "mail")]
mod envoi;
mod piece_jointe;
mod registre;

pub use adresse::{
    Adresse, ContactEntreprise, Destinataire, MAX_DESTINATAIRES, Origine, analyser_destinataires,
    destinataires_depuis_registres, fusionner_destinataires,
};
pub use courrier::{
    BlocConsultation, Courrier, ModeleCourrier, OptionsEnvoi, TypeCourrier, modele,
};
#[cfg(feature = "mail")]
pub use envoi::{
    ContexteEnvoi, DemandeEnvoi, Envoi, Expediteur, MessagePrepare, Preparation,
    generateur_securise, preparer_envoi, preparer_envoi_securise,
};
pub use piece_jointe::{
    LimitesPiecesJointes, ModificationDce, OriginePiece, PieceJointe, nom_sur, pieces_automatiques,
    type_mime_par_extension, verifier_limites,
};
pub use registre::{
    EntreeRegistre, EvenementCourrier, RegistreCourriers, StatutCourrier, analyser_date,
    empreinte_jeton,
};
