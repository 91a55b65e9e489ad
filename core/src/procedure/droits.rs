//! Who may do what: habilitations of the agents of the services in charge, rights of the
//! invited agents, identity of the companies.

use super::contexte::{Acteur, Contexte};
use super::etat::Procedure;
use crate::model::Entreprise;
use crate::model::{Agent, DroitInvite, Habilitation, Organisation, TypeAcces};
use crate::{CodeErreur, Erreur, Result};

/// What an action requires of an agent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Requis {
    /// A habilitation, exercised as a member of the services in charge or as an invited agent
    /// with the right *suivi habilité*.
    Habilitation(Habilitation),
    /// Following the consultation (registers): any agent of the services in charge, or
    /// invited with *suivi* or *suivi habilité*.
    Suivi,
}

/// How an agent relates to a consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Member of the service de rattachement or associé (or of a parent service):
    /// acts with their habilitations.
    Service,
    /// Invited with these rights.
    Invite(DroitInvite),
    /// No access.
    Aucune,
}

impl Procedure {
    /// How the agent relates to this consultation. An agent of a service sees the
    /// consultations of that service and of its sub-services.
    pub fn relation(&self, organisation: &Organisation, agent: &Agent) -> Relation {
        let acces = &self.consultation.acces;
        let du_service = organisation.service_sous(&acces.service_rattachement, &agent.service)
            || acces
                .service_associe
                .as_deref()
                .is_some_and(|s| organisation.service_sous(s, &agent.service));
        if du_service {
            return Relation::Service;
        }
        match acces.agents_invites.iter().find(|i| i.agent == agent.id) {
            Some(i) => Relation::Invite(i.droits),
            None => Relation::Aucune,
        }
    }

    /// Whether the agent may exercise the habilitation on this consultation.
    ///
    /// ```
    /// use mpe::model::{Consultation, Habilitation, Organisation};
    /// use mpe::procedure::Procedure;
    /// let c: Consultation = serde_json::from_str(include_str!("../../../examples/data/consultation.json")).unwrap();
    /// let org: Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
    /// let p = Procedure::brouillon(c);
    /// assert!(p.peut(&org, "a.martin", Habilitation::OuvrirPlis));
    /// assert!(!p.peut(&org, "j.dupont", Habilitation::OuvrirPlis));
    /// ```
    pub fn peut(&self, organisation: &Organisation, agent: &str, h: Habilitation) -> bool {
        organisation.agent(agent).is_some_and(|a| {
            a.a(h)
                && matches!(
                    self.relation(organisation, a),
                    Relation::Service | Relation::Invite(DroitInvite::SuiviHabilite)
                )
        })
    }

    /// The agent acting, if allowed to do what `requis` asks.
    pub(crate) fn agent<'c>(&self, ctx: &Contexte<'c>, requis: Requis) -> Result<&'c Agent> {
        let Acteur::Agent { id } = ctx.acteur else {
            return Err(Erreur::new(
                CodeErreur::NonHabilite,
                "action réservée aux agents de l'acheteur",
            ));
        };
        let agent = ctx.organisation.agent(id).ok_or_else(|| {
            Erreur::new(
                CodeErreur::ReferenceInconnue,
                format!("agent inconnu de l'organisation : {id}"),
            )
            .at("$.acteur.id")
        })?;
        let relation = self.relation(ctx.organisation, agent);
        let ok = match (requis, relation) {
            (_, Relation::Aucune) => false,
            (Requis::Suivi, Relation::Invite(d)) => d >= DroitInvite::Suivi,
            (Requis::Suivi, Relation::Service) => true,
            (Requis::Habilitation(h), Relation::Service)
            | (Requis::Habilitation(h), Relation::Invite(DroitInvite::SuiviHabilite)) => agent.a(h),
            (Requis::Habilitation(_), Relation::Invite(_)) => false,
        };
        if !ok {
            let quoi = match requis {
                Requis::Suivi => "le suivi de la consultation".to_string(),
                Requis::Habilitation(h) => format!("l'habilitation « {} »", libelle(h)),
            };
            let comment = match relation {
                Relation::Aucune => " (ni membre des services de la consultation, ni invité)",
                Relation::Invite(DroitInvite::Lecture) => " (invité en lecture seule)",
                Relation::Invite(DroitInvite::Suivi) => {
                    " (invité en suivi, sans ses habilitations)"
                }
                _ => "",
            };
            return Err(Erreur::new(
                CodeErreur::NonHabilite,
                format!("{} n'a pas {quoi}{comment}", agent.nom_complet()),
            ));
        }
        Ok(agent)
    }

    /// Check that the actor is this company, and the access code of a restricted
    /// consultation.
    pub(crate) fn entreprise_autorisee(
        &self,
        ctx: &Contexte<'_>,
        e: &Entreprise,
        code_acces: Option<&str>,
    ) -> Result<()> {
        match ctx.acteur {
            Acteur::Entreprise { identifiant } if *identifiant == e.identifiant => {}
            _ => {
                return Err(Erreur::new(
                    CodeErreur::NonHabilite,
                    "l'acteur doit être l'entreprise elle-même",
                ));
            }
        }
        e.verifier()?;
        self.code_acces(code_acces)
    }

    pub(crate) fn code_acces(&self, donne: Option<&str>) -> Result<()> {
        let acces = &self.consultation.acces;
        if acces.type_acces == TypeAcces::Restreint {
            let attendu = acces.code_acces.as_deref().unwrap_or_default();
            let ok = donne.is_some_and(|d| egal_temps_constant(d.as_bytes(), attendu.as_bytes()))
                && !attendu.is_empty();
            if !ok {
                return Err(Erreur::new(
                    CodeErreur::CodeAccesIncorrect,
                    "consultation restreinte : code d'accès absent ou incorrect",
                )
                .at("$.code_acces"));
            }
        }
        Ok(())
    }
}

/// Compare without an early exit, so the time taken does not reveal how much of a guessed
/// code is right.
fn egal_temps_constant(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn libelle(h: Habilitation) -> &'static str {
    match h {
        Habilitation::CreerConsultation => "créer une consultation",
        Habilitation::ValiderConsultation => "valider une consultation",
        Habilitation::OuvrirPlis => "ouvrir les plis",
        Habilitation::AnalyserOffres => "analyser les offres",
        Habilitation::Decider => "prendre les décisions",
        Habilitation::GererBiCles => "gérer les bi-clés",
        Habilitation::PublierDonneesEssentielles => "publier les données essentielles",
        Habilitation::InviterAgents => "inviter des agents",
        Habilitation::EnvoyerCourriers => "envoyer des courriers",
    }
}
