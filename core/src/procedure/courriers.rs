//! Letters in the procedure: the messages prepared by [`crate::messagerie`] become journal
//! events (sent, acknowledged, answered) and lines of the courriers register; recipients
//! are pre-filled from the registers (retraits, questions, dépôts).
//!
//! The flow, for the host:
//! 1. [`Procedure::destinataires_courrier`] gives the recipients of a letter from the
//!    registers (filters: registers, lot, non-retained companies, one pli);
//! 2. `messagerie::preparer_envoi` writes the messages and one
//!    [`EvenementCourrier::Envoye`] per message;
//! 3. [`Action::EnregistrerCourrier`](super::Action::EnregistrerCourrier) records them (the
//!    agent needs the habilitation *envoyer des courriers*); the host sends the messages;
//! 4. a recipient opens the acknowledgement link:
//!    [`Action::AccuserReceptionCourrier`](super::Action::AccuserReceptionCourrier) with the
//!    token — an unknown token is `JETON_INCONNU`; a second opening of the same link is
//!    accepted and records nothing (mail scanners and double clicks open links twice: the
//!    first date stands);
//! 5. an answer arrives (`In-Reply-To`):
//!    [`Action::RepondreCourrier`](super::Action::RepondreCourrier).
//!
//! The state keeps the register ([`RegistreCourriers`]), which holds only the SHA-256 of
//! each token: a copy of the state does not let anyone acknowledge in a company's name.

use serde::{Deserialize, Serialize};

use super::contexte::{Acteur, Contexte};
use super::droits::Requis;
use super::etat::Procedure;
use super::evenement::Evenement;
use crate::messagerie::{
    Adresse, ContactEntreprise, Destinataire, EvenementCourrier, MAX_DESTINATAIRES, Origine,
    StatutCourrier, TypeCourrier, destinataires_depuis_registres, empreinte_jeton,
};
use crate::model::Entreprise;
use crate::model::Habilitation;
use crate::model::{Decision, Phase};
use crate::{CodeErreur, Erreur, Result};

/// Longest acknowledgement token accepted (the tokens made by `messagerie` are 43 chars).
const JETON_MAX: usize = 512;
/// Longest `Message-ID` accepted.
const MESSAGE_ID_MAX: usize = 998;

/// Which companies of the registers a letter goes to.
///
/// JSON: `{"origines": ["depot"], "lot": 2, "non_retenus": true}`; `{}` is every company
/// known to the registers; `{"pli": 4}` the company of pli n° 4 (its rejection letter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FiltreDestinataires {
    /// Registers to take companies from: `retrait` (identified DCE downloads), `question`,
    /// `depot` (electronic and paper plis). Empty: all three.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origines: Vec<Origine>,
    /// Only the companies whose pli answers this lot (0 when non allotie). Retraits and
    /// questions, which are not tied to a lot, are then left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<u32>,
    /// With `lot`: leave out the attributaires of the lot's attribution (rejection letters).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_retenus: bool,
    /// Only the company of this pli (the rejection letter of one pli). The other filters
    /// must agree with it (a `lot` the pli does not answer gives no recipient).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pli: Option<u32>,
}

/// Counts of letters of one kind, or of all kinds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct CompteursCourriers {
    /// Messages sent (one per recipient).
    pub envoyes: u32,
    /// Of which sent with an acknowledgement.
    pub avec_accuse: u32,
    /// Acknowledged.
    pub accuses: u32,
    /// Sent with an acknowledgement, not yet acknowledged.
    pub en_attente_accuse: u32,
    /// Answered.
    pub repondus: u32,
}

/// Counts of the letters of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompteursTypeCourrier {
    /// Kind of letter.
    pub type_courrier: TypeCourrier,
    /// Its counts.
    #[serde(flatten)]
    pub compteurs: CompteursCourriers,
}

impl CompteursCourriers {
    fn compter(&mut self, e: &crate::messagerie::EntreeRegistre) {
        self.envoyes += 1;
        self.avec_accuse += u32::from(e.accuse_reception);
        self.accuses += u32::from(e.accuse_le.is_some());
        self.en_attente_accuse += u32::from(e.accuse_reception && e.accuse_le.is_none());
        self.repondus += u32::from(e.statut == StatutCourrier::Repondu);
    }
}

impl Procedure {
    /// Counts of the courriers register: in total and per kind of letter (kinds in the
    /// order of the buyer's menu, only those sent).
    pub fn compteurs_courriers(&self) -> (CompteursCourriers, Vec<CompteursTypeCourrier>) {
        let mut total = CompteursCourriers::default();
        let mut par_type: Vec<CompteursTypeCourrier> = TypeCourrier::TOUS
            .iter()
            .map(|&t| CompteursTypeCourrier {
                type_courrier: t,
                compteurs: CompteursCourriers::default(),
            })
            .collect();
        for e in &self.courriers.entrees {
            total.compter(e);
            if let Some(c) = par_type
                .iter_mut()
                .find(|c| c.type_courrier == e.type_courrier)
            {
                c.compteurs.compter(e);
            }
        }
        par_type.retain(|c| c.compteurs.envoyes > 0);
        (total, par_type)
    }

    /// The recipients of a letter, pre-filled from the registers: each company once (same
    /// address, domain case ignored), in the order of the registers (retraits, questions,
    /// dépôts), with the registers it was found in. Addresses are validated as pasted ones
    /// are (`ADRESSE_INVALIDE`, the path naming the register line at fault), so that the
    /// agent sees a bad recorded address rather than lose a recipient silently.
    ///
    /// ```
    /// # use chrono::{TimeZone, Utc};
    /// # use mpe::model::{Consultation, Organisation};
    /// # use mpe::procedure::{Acteur, Action, Contexte, Procedure, FiltreDestinataires};
    /// # let c: Consultation = serde_json::from_str(include_str!("../../../examples/data/consultation.json")).unwrap();
    /// # let org: Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
    /// let p = Procedure::brouillon(c);
    /// // No company in the registers yet.
    /// assert!(p.destinataires_courrier(&FiltreDestinataires::default()).unwrap().is_empty());
    /// let e = p.destinataires_courrier(&FiltreDestinataires { pli: Some(1), ..Default::default() });
    /// assert_eq!(e.unwrap_err().code(), mpe::CodeErreur::PliInconnu);
    /// ```
    pub fn destinataires_courrier(
        &self,
        filtre: &FiltreDestinataires,
    ) -> Result<Vec<Destinataire>> {
        if let Some(lot) = filtre.lot
            && !self.lot_existe(lot)
        {
            return Err(
                Erreur::new(CodeErreur::LotInconnu, format!("lot {lot} inconnu")).at("$.lot"),
            );
        }
        if filtre.non_retenus && filtre.lot.is_none() {
            return Err(Erreur::invalid_argument(
                "« non_retenus » s'applique aux plis d'un lot : indiquer le lot",
            )
            .at("$.non_retenus"));
        }
        let veut = |o: Origine| filtre.origines.is_empty() || filtre.origines.contains(&o);
        let mut contacts: Vec<(ContactEntreprise, String)> = Vec::new();
        let contact = |e: &Entreprise, o: Origine| ContactEntreprise {
            raison_sociale: e.raison_sociale.clone(),
            email: e.contact.email.clone(),
            origines: vec![o],
        };
        if let Some(n) = filtre.pli {
            let p = self.pli(n).ok_or_else(|| {
                Erreur::new(CodeErreur::PliInconnu, format!("pli {n} inconnu")).at("$.pli")
            })?;
            let dans_lot = filtre.lot.is_none_or(|l| p.repond_au_lot(l));
            if veut(Origine::Depot) && dans_lot && !self.retenu(filtre, &p.entreprise) {
                contacts.push((
                    contact(&p.entreprise, Origine::Depot),
                    format!("$.plis[{}].entreprise.contact.email", n - 1),
                ));
            }
        } else {
            if filtre.lot.is_none() {
                if veut(Origine::Retrait) {
                    for (i, r) in self.retraits.iter().enumerate() {
                        if let Some(e) = &r.entreprise {
                            contacts.push((
                                contact(e, Origine::Retrait),
                                format!("$.retraits[{i}].entreprise.contact.email"),
                            ));
                        }
                    }
                }
                if veut(Origine::Question) {
                    for (i, q) in self.questions.iter().enumerate() {
                        contacts.push((
                            contact(&q.entreprise, Origine::Question),
                            format!("$.questions[{i}].entreprise.contact.email"),
                        ));
                    }
                }
            }
            if veut(Origine::Depot) {
                for (i, p) in self.plis.iter().enumerate() {
                    if filtre.lot.is_none_or(|l| p.repond_au_lot(l))
                        && !self.retenu(filtre, &p.entreprise)
                    {
                        contacts.push((
                            contact(&p.entreprise, Origine::Depot),
                            format!("$.plis[{i}].entreprise.contact.email"),
                        ));
                    }
                }
            }
        }
        for (c, chemin) in &contacts {
            Adresse::analyser(c.email.trim()).map_err(|e| e.at(chemin.clone()))?;
        }
        let contacts: Vec<ContactEntreprise> = contacts.into_iter().map(|(c, _)| c).collect();
        destinataires_depuis_registres(&contacts, &[])
    }

    /// Whether the company is an attributaire of the filter's lot (when `non_retenus`).
    fn retenu(&self, filtre: &FiltreDestinataires, e: &Entreprise) -> bool {
        let (true, Some(lot)) = (filtre.non_retenus, filtre.lot) else {
            return false;
        };
        match self.decisions.get(&lot).map(|d| &d.decision) {
            Some(Decision::Attribution { attributaires }) => attributaires.iter().any(|a| {
                self.pli(a.pli)
                    .is_some_and(|p| p.entreprise.identifiant == e.identifiant)
            }),
            _ => false,
        }
    }

    pub(crate) fn enregistrer_courrier(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        evenements: &[EvenementCourrier],
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        if matches!(
            phase,
            Phase::Elaboration | Phase::EnAttenteValidation | Phase::Archivee
        ) {
            return Err(crate::model::phase_incorrecte(
                "l'envoi d'un courrier",
                phase,
                "une consultation validée, non archivée",
            ));
        }
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::EnvoyerCourriers))?;
        if evenements.is_empty() {
            return Err(
                Erreur::new(CodeErreur::SansDestinataire, "aucun message à enregistrer")
                    .at("$.evenements"),
            );
        }
        if evenements.len() > MAX_DESTINATAIRES {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                format!("plus de {MAX_DESTINATAIRES} messages dans un envoi"),
            )
            .at("$.evenements"));
        }
        // Checked on a copy: an error leaves the register as it was.
        let mut registre = self.courriers.clone();
        for (i, e) in evenements.iter().enumerate() {
            let chemin = |champ: &str| format!("$.evenements[{i}]{champ}");
            let EvenementCourrier::Envoye {
                consultation_id,
                destinataire,
                agent: expediteur,
                date,
                message_id,
                ..
            } = e
            else {
                return Err(Erreur::invalid_argument(
                    "seuls des envois (« evenement »: « envoye ») s'enregistrent ainsi ; \
                     accusés et réponses ont leurs actions",
                )
                .at(chemin(".evenement")));
            };
            if *consultation_id != self.consultation.id {
                return Err(Erreur::new(
                    CodeErreur::ReferenceInconnue,
                    format!(
                        "courrier de la consultation « {consultation_id} », pas de « {} »",
                        self.consultation.id
                    ),
                )
                .at(chemin(".consultation_id")));
            }
            if *expediteur != agent.id {
                return Err(Erreur::new(
                    CodeErreur::NonHabilite,
                    format!(
                        "courrier préparé au nom de « {expediteur} », enregistré par « {} »",
                        agent.id
                    ),
                )
                .at(chemin(".agent")));
            }
            if *date > ctx.maintenant {
                return Err(Erreur::invalid_argument(
                    "la date d'envoi d'un courrier ne peut pas être future",
                )
                .at(chemin(".date")));
            }
            if message_id.trim().is_empty() || message_id.len() > MESSAGE_ID_MAX {
                return Err(Erreur::new(
                    CodeErreur::CourrierIncomplet,
                    "Message-ID vide ou trop long",
                )
                .at(chemin(".message_id")));
            }
            Adresse::analyser(destinataire).map_err(|x| x.at(chemin(".destinataire")))?;
            registre.appliquer(e).map_err(|x| x.at(chemin("")))?;
        }
        self.courriers = registre;
        ev.extend(evenements.iter().map(|e| Evenement::Courrier {
            courrier: e.clone(),
        }));
        Ok(())
    }

    pub(crate) fn accuser_reception_courrier(
        &mut self,
        ctx: &Contexte<'_>,
        jeton: &str,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        let inconnu = || {
            Erreur::new(
                CodeErreur::JetonInconnu,
                "jeton d'accusé de réception inconnu",
            )
            .at("$.jeton")
        };
        if jeton.is_empty() || jeton.len() > JETON_MAX {
            return Err(inconnu());
        }
        // Compared by SHA-256: the time taken tells nothing about the token.
        let empreinte = empreinte_jeton(jeton);
        let entree = self
            .courriers
            .entrees
            .iter()
            .find(|e| e.empreinte_jeton.as_deref() == Some(empreinte.as_str()))
            .ok_or_else(inconnu)?;
        if entree.accuse_le.is_some() {
            // Already acknowledged: the first date stands, nothing new to record.
            return Ok(());
        }
        let e = self
            .courriers
            .accuser_reception(jeton, ctx.maintenant)
            .map_err(|e| e.at("$.jeton"))?;
        ev.push(Evenement::Courrier { courrier: e });
        Ok(())
    }

    pub(crate) fn repondre_courrier(
        &mut self,
        ctx: &Contexte<'_>,
        message_id: &str,
        message_id_reponse: Option<&str>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        let id = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        if id.is_empty() || id.len() > MESSAGE_ID_MAX {
            return Err(
                Erreur::new(CodeErreur::CourrierInconnu, "Message-ID vide ou trop long")
                    .at("$.message_id"),
            );
        }
        if message_id_reponse.is_some_and(|m| m.len() > MESSAGE_ID_MAX) {
            return Err(
                Erreur::new(CodeErreur::LimiteDepassee, "Message-ID trop long")
                    .at("$.message_id_reponse"),
            );
        }
        let entree = self
            .courriers
            .entrees
            .iter()
            .find(|e| e.message_id == id)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::CourrierInconnu,
                    format!("aucun courrier envoyé avec le Message-ID « {id} »"),
                )
                .at("$.message_id")
            })?;
        match ctx.acteur {
            Acteur::Agent { .. } => {
                self.agent(ctx, Requis::Suivi)?;
            }
            Acteur::Entreprise { identifiant } => {
                // A company answers only the letters sent to one of its recorded addresses.
                let cle = Adresse::analyser(&entree.destinataire)
                    .map(|a| a.cle())
                    .ok();
                let sienne = self.entreprises().any(|e| {
                    e.identifiant == *identifiant
                        && Adresse::analyser(e.contact.email.trim())
                            .is_ok_and(|a| Some(a.cle()) == cle)
                });
                if !sienne {
                    return Err(Erreur::new(
                        CodeErreur::NonHabilite,
                        "ce courrier n'a pas été adressé à cette entreprise",
                    ));
                }
            }
            _ => {
                return Err(Erreur::new(
                    CodeErreur::NonHabilite,
                    "une réponse vient du destinataire identifié ou est enregistrée par un agent",
                ));
            }
        }
        let e = self
            .courriers
            .enregistrer_reponse(id, ctx.maintenant, message_id_reponse.map(str::to_string))
            .map_err(|e| e.at("$.message_id"))?;
        ev.push(Evenement::Courrier { courrier: e });
        Ok(())
    }

    /// Every company the registers know (with repeats).
    fn entreprises(&self) -> impl Iterator<Item = &Entreprise> {
        self.retraits
            .iter()
            .filter_map(|r| r.entreprise.as_ref())
            .chain(self.questions.iter().map(|q| &q.entreprise))
            .chain(self.plis.iter().map(|p| &p.entreprise))
    }
}
