//! The lifecycle of a consultation, as pure functions of (state, action, context).
//!
//! A [`Procedure`] is the state the host stores. [`Procedure::appliquer`] takes an
//! [`Action`] and a [`Contexte`] (the time and who acts — the core never reads a clock) and
//! either refuses it with a typed error, leaving the state untouched, or changes the state
//! and returns the journal entries of the events it produced, hash-chained after the head
//! kept in the state. The host appends them to its journal store.
//!
//! Phases: Élaboration → En attente de validation → (Validée →) Consultation, from the mise
//! en ligne → Ouverture et analyse, from the DLRO → Décision, plus Archivée and Annulée.
//! Time-driven changes (mise en ligne, DLRO) are computed from the clock of each action
//! ([`Procedure::phase_a`]) and recorded as [`Evenement::PhaseChangee`] by the first
//! action after them, dated with the instant they took effect.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use mpe::model::{Consultation, Organisation};
//! use mpe::procedure::{Acteur, Action, Contexte, Phase, Procedure};
//!
//! let c: Consultation = serde_json::from_str(include_str!("../../../examples/data/consultation.json")).unwrap();
//! let org: Organisation = serde_json::from_str(include_str!("../../../examples/data/organisation.json")).unwrap();
//! let alice = Acteur::Agent { id: "a.martin".into() };
//! let ctx = |t| Contexte { maintenant: t, acteur: &alice, organisation: &org };
//!
//! let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
//! let (mut p, journal) = Procedure::nouvelle(c, &ctx(t0)).unwrap();
//! assert_eq!(journal.len(), 1);
//! p.appliquer(&Action::Valider { cles: vec![] }, &ctx(t0)).unwrap();
//! assert_eq!(p.phase, Phase::Consultation);
//! // The DLRO is 15/12/2026 12:00 in Paris, 11:00 UTC.
//! let apres = Utc.with_ymd_and_hms(2026, 12, 15, 11, 0, 0).unwrap();
//! assert_eq!(p.phase_a(apres), Phase::OuvertureAnalyse);
//! ```

mod action;
mod ancre_journal;
mod cles;
mod contexte;
mod courriers;
mod decision;
mod depot;
mod droits;
mod etat;
mod evenement;
mod faits;
mod journal;
mod modification;
mod octets;
mod ouverture;
mod ouverture_plis;
mod registres;
mod suite;

use chrono::{DateTime, Utc};

pub use crate::model::{
    AccuseReception, Admission, Attributaire, ChiffrementEnveloppe, Contact, Decision, DecisionLot,
    DemandeComplement, Destinataire, Empreinte, Entreprise, Enveloppe, EnveloppeRecue, Fichier,
    FichierRecu, IdentifiantEntreprise, LettresRejet, Lien, ModeDepot, ModeOuvertureEnveloppe,
    OctetsEnveloppe, Phase, Pli, Rang, RefEnveloppe, ResultatSignature, SignatureFichier,
    StatutEnveloppe, empreinte_fichiers,
};
pub use action::{Action, EnveloppeDeposee, OuvertureEnveloppe, ResultatDechiffrement};
pub use ancre_journal::{AncreJournal, verifier_journal_ancre};
pub use contexte::{Acteur, Contexte, ContexteDonnees};
pub use courriers::{CompteursCourriers, CompteursTypeCourrier, FiltreDestinataires};
pub use droits::Relation;
pub use etat::{Procedure, Question, Reponse, Retrait, Validation};
pub use evenement::Evenement;
pub use journal::{
    EntreeJournal, GENESE, TeteJournal, accuse, exporter_jsonl, lire_jsonl, verifier_journal,
    verifier_jsonl,
};
pub use modification::{ChangementConsultation, VersionDce};
pub use ouverture_plis::{
    BilanOuverture, EtapeOuverture, OptionsOuverture, OptionsOuvertureJson, Rappels,
    StockageDossier, StockagePlis, nom_enveloppe,
};
pub use registres::{CompteursDepots, Diffusion, Registres, ResumePli};
pub use suite::{ParametresSuite, chaine};

use crate::model::{Consultation, Habilitation, MiseEnLigne};
use crate::rules::{Gravite, temps};
use crate::{CodeErreur, Erreur, Result};
use droits::Requis;
use faits::Faits;

pub use crate::model::TEXTE_MAX;

use crate::model::phase_incorrecte;
use crate::model::texte::texte;

fn exiger(phase: Phase, permises: &[Phase], action: &str) -> Result<()> {
    if permises.contains(&phase) {
        Ok(())
    } else {
        let attendu: Vec<&str> = permises.iter().map(|p| p.libelle()).collect();
        Err(phase_incorrecte(action, phase, &attendu.join(" ou ")))
    }
}

impl Procedure {
    /// A procedure in Élaboration, without journal (for queries on a consultation that has
    /// not been created through [`Procedure::nouvelle`]).
    pub fn brouillon(consultation: Consultation) -> Procedure {
        Procedure {
            consultation,
            phase: Phase::Elaboration,
            validation: None,
            mise_en_ligne: None,
            dlro: None,
            plis: Vec::new(),
            retraits: Vec::new(),
            questions: Vec::new(),
            classements: Default::default(),
            decisions: Default::default(),
            entreprises_admises: None,
            amont: None,
            aval: Vec::new(),
            journal: TeteJournal::default(),
            motif_annulation: None,
            courriers: Default::default(),
            cles_chiffrement: Vec::new(),
            versions_dce: Vec::new(),
        }
    }

    /// Create a consultation (phase Élaboration) by an agent who may create consultations in
    /// its service. Returns the state and the first journal entry.
    pub fn nouvelle(
        consultation: Consultation,
        ctx: &Contexte<'_>,
    ) -> Result<(Procedure, Vec<EntreeJournal>)> {
        texte(&consultation.id, "l'identifiant de la consultation", 128)
            .map_err(|e| e.at("$.id"))?;
        let mut p = Procedure::brouillon(consultation);
        p.agent(ctx, Requis::Habilitation(Habilitation::CreerConsultation))?;
        let e = Evenement::ConsultationCreee {
            consultation: p.consultation.id.clone(),
            reference: p.consultation.identification.reference.clone(),
        };
        let entree = p.journal.chainer(ctx.maintenant, ctx.acteur, e)?;
        Ok((p, vec![entree]))
    }

    /// Apply an action. On error nothing changes; on success the state moves on and the
    /// journal entries of the events produced are returned (possibly none, for
    /// [`Action::Actualiser`] when no phase changed).
    pub fn appliquer(&mut self, action: &Action, ctx: &Contexte<'_>) -> Result<Vec<EntreeJournal>> {
        self.appliquer_avec(action, ctx, None)
    }

    /// [`Procedure::appliquer`] with what mpe computed from the bytes of the envelopes of
    /// a dépôt, or found at an opening ([`Faits`]).
    pub(crate) fn appliquer_avec(
        &mut self,
        action: &Action,
        ctx: &Contexte<'_>,
        faits: Option<&Faits>,
    ) -> Result<Vec<EntreeJournal>> {
        if let Some(d) = self.journal.dernier_horodatage
            && ctx.maintenant < d
        {
            return Err(Erreur::new(
                CodeErreur::HorlogeIncoherente,
                format!(
                    "horodatage {} antérieur à la dernière entrée du journal ({})",
                    ctx.maintenant.to_rfc3339(),
                    d.to_rfc3339()
                ),
            ));
        }
        if matches!(ctx.acteur, Acteur::Systeme) && !matches!(action, Action::Actualiser) {
            return Err(Erreur::new(
                CodeErreur::NonHabilite,
                "la plateforme ne peut qu'actualiser la phase",
            ));
        }
        let avant = self.phase;
        let phase = self.phase_a(ctx.maintenant);
        let mut evenements = Vec::new();
        // Every handler checks everything before changing anything: an error leaves the
        // state as it was.
        self.executer(action, ctx, phase, faits, &mut evenements)?;
        let mut tout = self.transitions(avant, phase);
        if self.phase == avant {
            self.phase = phase;
        }
        tout.append(&mut evenements);
        // An action may itself trigger a time-driven change (validation with an immediate
        // mise en ligne).
        let apres = self.phase_a(ctx.maintenant);
        if apres != self.phase {
            tout.extend(self.transitions(self.phase, apres));
            self.phase = apres;
        }
        tout.into_iter()
            .map(|e| self.journal.chainer(ctx.maintenant, ctx.acteur, e))
            .collect()
    }

    /// The [`Evenement::PhaseChangee`] events of the time-driven changes from `de` to `vers`.
    fn transitions(&self, de: Phase, vers: Phase) -> Vec<Evenement> {
        let mut out = Vec::new();
        if de == vers {
            return out;
        }
        let mut courante = de;
        if courante == Phase::Validee
            && let Some(m) = self.mise_en_ligne
            && self.dlro.is_none_or(|d| m < d)
        {
            out.push(Evenement::PhaseChangee {
                de: courante,
                vers: Phase::Consultation,
                le: m,
            });
            courante = Phase::Consultation;
        }
        if vers == Phase::OuvertureAnalyse
            && let Some(d) = self.dlro
        {
            out.push(Evenement::PhaseChangee {
                de: courante,
                vers,
                le: d,
            });
        }
        out
    }

    fn executer(
        &mut self,
        action: &Action,
        ctx: &Contexte<'_>,
        phase: Phase,
        faits: Option<&Faits>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        use Phase as P;
        let nom = action.nom();
        self.exiger_consultation(action)?;
        match action {
            Action::ModifierConsultation { consultation } => {
                exiger(phase, &[P::Elaboration], nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::CreerConsultation))?;
                if consultation.id != self.consultation.id {
                    return Err(Erreur::invalid_argument(
                        "l'identifiant de la consultation ne peut pas changer",
                    )
                    .at("$.consultation.id"));
                }
                self.consultation = (**consultation).clone();
                ev.push(Evenement::ConsultationModifiee);
            }
            Action::DemanderValidation => {
                exiger(phase, &[P::Elaboration], nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::CreerConsultation))?;
                let avertissements = self.regles(ctx)?;
                self.phase = P::EnAttenteValidation;
                ev.push(Evenement::ValidationDemandee { avertissements });
                ev.push(Evenement::PhaseChangee {
                    de: phase,
                    vers: self.phase,
                    le: ctx.maintenant,
                });
            }
            Action::RefuserValidation { motif } => {
                exiger(phase, &[P::EnAttenteValidation], nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::ValiderConsultation))?;
                texte(motif, "le motif", TEXTE_MAX).map_err(|e| e.at("$.motif"))?;
                self.phase = P::Elaboration;
                ev.push(Evenement::ValidationRefusee {
                    motif: motif.clone(),
                });
                ev.push(Evenement::PhaseChangee {
                    de: phase,
                    vers: self.phase,
                    le: ctx.maintenant,
                });
            }
            Action::Valider { cles } => {
                exiger(phase, &[P::Elaboration, P::EnAttenteValidation], nom)?;
                let agent =
                    self.agent(ctx, Requis::Habilitation(Habilitation::ValiderConsultation))?;
                let avertissements = self.regles(ctx)?;
                self.verifier_cles(cles, ctx.maintenant)?;
                let dlro = self.consultation.calendrier.dlro_instant()?;
                let cal = &self.consultation.calendrier;
                let mise_en_ligne = match &cal.mise_en_ligne {
                    MiseEnLigne::ALaValidation => Some(ctx.maintenant),
                    MiseEnLigne::DateFixe { date } => {
                        Some(temps::instant_paris(*date)?.max(ctx.maintenant))
                    }
                    MiseEnLigne::ApresPublicationAvis => match cal.date_publication_avis {
                        Some(d) => Some(temps::instant_paris(d)?.max(ctx.maintenant)),
                        None => None,
                    },
                };
                self.consultation.calendrier.date_validation = Some(ctx.maintenant);
                self.validation = Some(Validation {
                    le: ctx.maintenant,
                    par: agent.id.clone(),
                    avertissements: avertissements.clone(),
                });
                self.dlro = Some(dlro);
                self.mise_en_ligne = mise_en_ligne;
                self.phase = P::Validee;
                self.cles_chiffrement = cles.clone();
                ev.push(Evenement::ConsultationValidee {
                    avertissements,
                    mise_en_ligne,
                    dlro,
                    cles: cles.clone(),
                });
                ev.push(Evenement::PhaseChangee {
                    de: phase,
                    vers: P::Validee,
                    le: ctx.maintenant,
                });
            }
            Action::ConstaterPublicationAvis { date } => {
                exiger(phase, &[P::Validee, P::Consultation], nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::CreerConsultation))?;
                let instant = temps::instant_paris(*date).map_err(|e| e.at("$.date"))?;
                if instant > ctx.maintenant {
                    return Err(Erreur::invalid_argument(
                        "la date de publication de l'avis ne peut pas être future",
                    )
                    .at("$.date"));
                }
                self.consultation.calendrier.date_publication_avis = Some(*date);
                if self.mise_en_ligne.is_none()
                    && self.consultation.calendrier.mise_en_ligne
                        == MiseEnLigne::ApresPublicationAvis
                {
                    self.mise_en_ligne = Some(ctx.maintenant);
                }
                ev.push(Evenement::AvisPublie { date: *date });
            }
            Action::ModifierConsultationPubliee {
                consultation,
                motif,
            } => self.modifier_publiee(ctx, phase, consultation, motif, ev)?,
            Action::ReporterDlro { dlro, motif } => {
                exiger(phase, &[P::Validee, P::Consultation], nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::ValiderConsultation))?;
                texte(motif, "le motif", TEXTE_MAX).map_err(|e| e.at("$.motif"))?;
                let nouvelle = temps::instant_paris(*dlro).map_err(|e| e.at("$.dlro"))?;
                let ancienne = self
                    .dlro
                    .ok_or_else(|| Erreur::internal("DLRO non fixée"))?;
                if nouvelle <= ctx.maintenant {
                    return Err(Erreur::new(
                        CodeErreur::DlroPassee,
                        "la nouvelle date limite est déjà passée",
                    )
                    .at("$.dlro"));
                }
                if nouvelle < ancienne {
                    return Err(Erreur::new(
                        CodeErreur::DlroAvancee,
                        "la date limite de remise des plis ne peut qu'être reportée, jamais avancée",
                    )
                    .at("$.dlro"));
                }
                if self.mise_en_ligne.is_some_and(|m| nouvelle <= m) {
                    return Err(Erreur::new(
                        CodeErreur::CalendrierOrdre,
                        "la nouvelle date limite doit suivre la mise en ligne",
                    )
                    .at("$.dlro"));
                }
                self.consultation.calendrier.dlro = *dlro;
                self.dlro = Some(nouvelle);
                let destinataires = self.destinataires(Diffusion::Tous);
                ev.push(Evenement::DlroReportee {
                    ancienne,
                    nouvelle,
                    motif: motif.clone(),
                    destinataires,
                });
            }
            Action::Actualiser => {
                if !matches!(ctx.acteur, Acteur::Systeme) {
                    self.agent(ctx, Requis::Suivi)?;
                }
            }
            Action::EnregistrerRetrait {
                entreprise,
                code_acces,
                fichiers,
            } => self.retrait(
                ctx,
                phase,
                entreprise.as_ref(),
                code_acces.as_deref(),
                fichiers,
                ev,
            )?,
            Action::PoserQuestion {
                entreprise,
                texte,
                code_acces,
            } => self.poser_question(ctx, phase, entreprise, texte, code_acces.as_deref(), ev)?,
            Action::RepondreQuestion { question, reponse } => {
                self.repondre_question(ctx, phase, *question, reponse, ev)?
            }
            Action::Deposer {
                entreprise,
                lots,
                enveloppes,
                code_acces,
            } => self.deposer(
                ctx,
                phase,
                entreprise,
                lots,
                enveloppes,
                code_acces.as_deref(),
                faits,
                ev,
            )?,
            Action::EnregistrerPliPapier {
                entreprise,
                lots,
                enveloppes,
                recu_le,
            } => self.pli_papier(ctx, phase, entreprise, lots, enveloppes, *recu_le, ev)?,
            Action::Ouvrir { mode, enveloppes } => {
                self.ouvrir(ctx, phase, *mode, enveloppes, faits, ev)?
            }
            Action::RefuserEnveloppe {
                pli,
                enveloppe,
                motif,
            } => self.refuser_enveloppe(ctx, phase, *pli, *enveloppe, motif, ev)?,
            Action::AnalyserCandidature { pli, admise, motif } => {
                self.analyser_candidature(ctx, phase, *pli, *admise, motif.as_deref(), ev)?
            }
            Action::DemanderComplement {
                pli,
                objet,
                date_limite,
            } => self.demander_complement(ctx, phase, *pli, objet, *date_limite, ev)?,
            Action::ClasserOffres { lot, classement } => {
                self.classer(ctx, phase, *lot, classement, ev)?
            }
            Action::PasserEnDecision => {
                exiger(phase, &[P::OuvertureAnalyse], nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::Decider))?;
                self.phase = P::Decision;
                ev.push(Evenement::PhaseChangee {
                    de: phase,
                    vers: P::Decision,
                    le: ctx.maintenant,
                });
            }
            Action::Decider { lot, decision } => self.decider(ctx, phase, *lot, decision, ev)?,
            Action::ReinitialiserDecision {
                lot,
                motif,
                retrait,
            } => self.reinitialiser(ctx, phase, *lot, motif, *retrait, ev)?,
            Action::EnvoyerLettresRejet { lot, electronique } => {
                self.lettres_rejet(ctx, phase, *lot, *electronique, ev)?
            }
            Action::Annuler { motif } => {
                if matches!(phase, P::Archivee | P::Annulee) {
                    return Err(phase_incorrecte(nom, phase, "une phase non close"));
                }
                let requis = if phase <= P::EnAttenteValidation {
                    Habilitation::CreerConsultation
                } else {
                    Habilitation::Decider
                };
                self.agent(ctx, Requis::Habilitation(requis))?;
                texte(motif, "le motif", TEXTE_MAX).map_err(|e| e.at("$.motif"))?;
                self.phase = P::Annulee;
                self.motif_annulation = Some(motif.clone());
                ev.push(Evenement::ConsultationAnnulee {
                    motif: motif.clone(),
                });
                ev.push(Evenement::PhaseChangee {
                    de: phase,
                    vers: P::Annulee,
                    le: ctx.maintenant,
                });
            }
            Action::Archiver => {
                // An annonce d'information or d'attribution is archived once published.
                let permises: &[Phase] = if self.est_annonce() {
                    &[P::Consultation, P::OuvertureAnalyse, P::Annulee]
                } else {
                    &[P::Decision, P::Annulee]
                };
                exiger(phase, permises, nom)?;
                self.agent(ctx, Requis::Habilitation(Habilitation::Decider))?;
                if phase == P::Decision
                    && let Some(lot) = self
                        .lots()
                        .into_iter()
                        .find(|l| !self.decisions.contains_key(l))
                {
                    return Err(Erreur::new(
                        CodeErreur::DecisionImpossible,
                        format!("archivage impossible : le lot {lot} n'a pas de décision"),
                    ));
                }
                self.phase = P::Archivee;
                ev.push(Evenement::ConsultationArchivee);
                ev.push(Evenement::PhaseChangee {
                    de: phase,
                    vers: P::Archivee,
                    le: ctx.maintenant,
                });
            }
            Action::EnregistrerCourrier { evenements } => {
                self.enregistrer_courrier(ctx, phase, evenements, ev)?
            }
            Action::AccuserReceptionCourrier { jeton } => {
                self.accuser_reception_courrier(ctx, jeton, ev)?
            }
            Action::RepondreCourrier {
                message_id,
                message_id_reponse,
            } => self.repondre_courrier(ctx, message_id, message_id_reponse.as_deref(), ev)?,
        }
        Ok(())
    }

    /// Whether the consultation is an annonce d'information or d'attribution (no bids).
    pub fn est_annonce(&self) -> bool {
        self.consultation.identification.type_annonce != crate::model::TypeAnnonce::Consultation
    }

    /// An annonce receives no pli: every action on bids is refused with
    /// [`CodeErreur::AnnonceSansPli`].
    fn exiger_consultation(&self, action: &Action) -> Result<()> {
        let sur_les_plis = matches!(
            action,
            Action::Deposer { .. }
                | Action::EnregistrerPliPapier { .. }
                | Action::Ouvrir { .. }
                | Action::RefuserEnveloppe { .. }
                | Action::AnalyserCandidature { .. }
                | Action::DemanderComplement { .. }
                | Action::ClasserOffres { .. }
                | Action::PasserEnDecision
                | Action::Decider { .. }
                | Action::EnvoyerLettresRejet { .. }
        );
        if sur_les_plis {
            self.refuser_annonce(action.nom())?;
        }
        Ok(())
    }

    /// [`CodeErreur::AnnonceSansPli`] for an action on bids of an annonce.
    pub(crate) fn refuser_annonce(&self, action: &str) -> Result<()> {
        if self.est_annonce() {
            return Err(Erreur::new(
                CodeErreur::AnnonceSansPli,
                format!(
                    "« {action} » impossible : une annonce d'information ou d'attribution ne reçoit ni pli ni ouverture"
                ),
            ));
        }
        Ok(())
    }

    /// Run the consultation rules: blocking findings refuse with
    /// [`CodeErreur::ValidationEchec`] listing them; warnings are returned to be recorded.
    fn regles(&self, ctx: &Contexte<'_>) -> Result<Vec<crate::rules::Constat>> {
        let constats =
            crate::rules::valider(&self.consultation, Some(ctx.organisation), ctx.maintenant);
        refuser_bloquants(constats.iter().filter(|c| c.gravite == Gravite::Erreur))?;
        Ok(constats
            .into_iter()
            .filter(|c| c.gravite == Gravite::Avertissement)
            .collect())
    }

    /// The DLRO instant (fixed at validation).
    pub(crate) fn dlro_fixee(&self) -> Result<DateTime<Utc>> {
        self.dlro
            .ok_or_else(|| Erreur::new(CodeErreur::PhaseIncorrecte, "consultation non validée"))
    }
}

/// Refuse with [`CodeErreur::ValidationEchec`] listing the blocking findings, if any (the
/// validation and the modification after publication say it the same way).
pub(crate) fn refuser_bloquants<'a>(
    erreurs: impl Iterator<Item = &'a crate::rules::Constat>,
) -> Result<()> {
    let erreurs: Vec<String> = erreurs
        .map(|c| format!("{} ({}) : {}", c.chemin, c.code.name(), c.message))
        .collect();
    if erreurs.is_empty() {
        return Ok(());
    }
    Err(Erreur::new(
        CodeErreur::ValidationEchec,
        format!(
            "{} erreur(s) bloquante(s) : {}",
            erreurs.len(),
            erreurs.join(" ; ")
        ),
    ))
}
