//! Decisions per lot, their reset, and the standstill started by the rejection letters.

use chrono::{Days, NaiveDate};

use super::contexte::Contexte;
use super::droits::Requis;
use super::etat::Procedure;
use super::evenement::Evenement;
use crate::model::Destinataire;
use crate::model::TEXTE_MAX;
use crate::model::texte::texte;
use crate::model::{Decision, DecisionLot, LettresRejet, Phase};
use crate::model::{Habilitation, TypeContrat};
use crate::{CodeErreur, Erreur, Result};

/// Standstill when the rejection letters go electronically (R. 2182-1 CCP).
pub const STANDSTILL_ELECTRONIQUE: u64 = 11;
/// Standstill when they go by post.
pub const STANDSTILL_POSTAL: u64 = 16;

fn impossible(message: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::DecisionImpossible, message)
}

impl Procedure {
    fn decision_possible(&self, phase: Phase, lot: u32, quoi: &str) -> Result<()> {
        if phase != Phase::Decision {
            return Err(crate::model::phase_incorrecte(quoi, phase, "Décision"));
        }
        if !self.lot_existe(lot) {
            return Err(
                Erreur::new(CodeErreur::LotInconnu, format!("lot {lot} inconnu")).at("$.lot"),
            );
        }
        Ok(())
    }

    pub(crate) fn decider(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        lot: u32,
        decision: &Decision,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.decision_possible(phase, lot, "une décision")?;
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::Decider))?;
        if let Some(d) = self.decisions.get(&lot) {
            return Err(impossible(format!(
                "le lot {lot} est déjà décidé ({}) : réinitialiser la décision d'abord",
                d.decision.libelle()
            )));
        }
        match decision {
            Decision::Attribution { attributaires } => {
                if attributaires.is_empty() {
                    return Err(impossible("attribution sans attributaire"));
                }
                let multi = self.consultation.identification.type_contrat
                    == TypeContrat::AccordCadreMultiAttributaires;
                if attributaires.len() > 1 && !multi {
                    return Err(impossible(
                        "plusieurs attributaires : réservé aux accords-cadres multi-attributaires",
                    ));
                }
                for (i, a) in attributaires.iter().enumerate() {
                    let at = format!("$.decision.attributaires[{i}]");
                    let pli = self.pli(a.pli).ok_or_else(|| {
                        Erreur::new(CodeErreur::PliInconnu, format!("pli {} inconnu", a.pli))
                            .at(at.clone())
                    })?;
                    if !self.offre_ouverte(pli, lot) {
                        return Err(impossible(format!(
                            "pli {} : aucune offre ouverte et recevable pour le lot {lot}",
                            a.pli
                        ))
                        .at(at));
                    }
                    if attributaires.iter().take(i).any(|x| x.pli == a.pli) {
                        return Err(
                            impossible(format!("pli {} attributaire deux fois", a.pli)).at(at)
                        );
                    }
                    if a.montant.centimes() <= 0 {
                        return Err(Erreur::invalid_argument(
                            "montant d'attribution nul ou négatif",
                        )
                        .at(format!("{at}.montant")));
                    }
                }
            }
            Decision::Selection { plis } => {
                if plis.is_empty() {
                    return Err(impossible("sélection vide"));
                }
                for (i, &n) in plis.iter().enumerate() {
                    let at = format!("$.decision.plis[{i}]");
                    let pli = self.pli(n).ok_or_else(|| {
                        Erreur::new(CodeErreur::PliInconnu, format!("pli {n} inconnu"))
                            .at(at.clone())
                    })?;
                    let admise = pli.admission.as_ref().is_some_and(|a| a.admise);
                    if !pli.recevable() || !pli.repond_au_lot(lot) || !admise {
                        return Err(impossible(format!(
                            "pli {n} : candidature non admise ou pli non recevable pour le lot {lot}"
                        ))
                        .at(at));
                    }
                    if plis.iter().take(i).any(|&x| x == n) {
                        return Err(impossible(format!("pli {n} sélectionné deux fois")).at(at));
                    }
                }
            }
            Decision::SansSuite { motif } | Decision::Infructueuse { motif } => {
                texte(motif, "le motif", TEXTE_MAX).map_err(|e| e.at("$.decision.motif"))?
            }
            Decision::Autre { libelle } => {
                texte(libelle, "le libellé", TEXTE_MAX).map_err(|e| e.at("$.decision.libelle"))?
            }
        }
        self.decisions.insert(
            lot,
            DecisionLot {
                decision: decision.clone(),
                le: ctx.maintenant,
                par: agent.id.clone(),
                lettres_rejet: None,
            },
        );
        ev.push(Evenement::DecisionPrise {
            lot,
            decision: decision.clone(),
        });
        Ok(())
    }

    pub(crate) fn reinitialiser(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        lot: u32,
        motif: &str,
        retrait: bool,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.decision_possible(phase, lot, "la réinitialisation d'une décision")?;
        self.agent(ctx, Requis::Habilitation(Habilitation::Decider))?;
        texte(motif, "le motif", TEXTE_MAX).map_err(|e| e.at("$.motif"))?;
        let Some(d) = self.decisions.get(&lot) else {
            return Err(impossible(format!(
                "le lot {lot} n'a pas de décision à réinitialiser"
            )));
        };
        if matches!(d.decision, Decision::Selection { .. }) && !self.aval.is_empty() {
            return Err(impossible(
                "une suite a déjà été créée à partir de cette sélection",
            ));
        }
        // The other companies were told who won: going back on it is a withdrawal of the
        // decision, said so and journalled, never a silent reset.
        if matches!(d.decision, Decision::Attribution { .. })
            && d.lettres_rejet.is_some()
            && !retrait
        {
            return Err(impossible(format!(
                "les lettres de rejet du lot {lot} sont parties : l'attribution ne se réinitialise que par un retrait explicite (retrait: true)"
            )));
        }
        if retrait && d.lettres_rejet.is_none() {
            return Err(Erreur::invalid_argument(
                "retrait : réservé à une attribution dont les lettres de rejet sont parties",
            )
            .at("$.retrait"));
        }
        let ancienne = self
            .decisions
            .remove(&lot)
            .map(|d| d.decision)
            .ok_or_else(|| Erreur::internal("décision disparue"))?;
        ev.push(Evenement::DecisionReinitialisee {
            lot,
            ancienne,
            motif: motif.to_string(),
            retrait,
        });
        Ok(())
    }

    /// Whether a standstill applies to the lot: not for a procédure adaptée, a marché
    /// subséquent, or when a single company bid.
    pub fn standstill_applicable(&self, lot: u32) -> bool {
        let id = &self.consultation.identification;
        if id.procedure.est_adaptee() || id.type_contrat == TypeContrat::MarcheSubsequent {
            return false;
        }
        let mut entreprises: Vec<_> = self
            .plis_recevables(lot)
            .map(|p| &p.entreprise.identifiant)
            .collect();
        entreprises.sort();
        entreprises.dedup();
        entreprises.len() > 1
    }

    /// The earliest date a contract may be signed when the rejection letters of `lot` are
    /// sent on `envoi` (a Europe/Paris date): 11 days later electronically, 16 by post;
    /// `None` when no standstill applies.
    pub fn fin_standstill(
        &self,
        lot: u32,
        envoi: NaiveDate,
        electronique: bool,
    ) -> Option<NaiveDate> {
        if !self.standstill_applicable(lot) {
            return None;
        }
        let jours = if electronique {
            STANDSTILL_ELECTRONIQUE
        } else {
            STANDSTILL_POSTAL
        };
        envoi.checked_add_days(Days::new(jours))
    }

    pub(crate) fn lettres_rejet(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        lot: u32,
        electronique: bool,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.decision_possible(phase, lot, "l'envoi des lettres de rejet")?;
        self.agent(ctx, Requis::Habilitation(Habilitation::EnvoyerCourriers))?;
        let d = self.decisions.get(&lot).ok_or_else(|| {
            impossible(format!(
                "le lot {lot} n'est pas attribué : pas de lettre de rejet"
            ))
        })?;
        let Decision::Attribution { attributaires } = &d.decision else {
            return Err(impossible(format!(
                "le lot {lot} n'est pas attribué ({}) : pas de lettre de rejet",
                d.decision.libelle()
            )));
        };
        if d.lettres_rejet.is_some() {
            return Err(impossible(format!(
                "les lettres de rejet du lot {lot} sont déjà envoyées"
            )));
        }
        let retenus: Vec<_> = attributaires
            .iter()
            .filter_map(|a| self.pli(a.pli).map(|p| &p.entreprise.identifiant))
            .collect();
        let mut destinataires: Vec<Destinataire> = Vec::new();
        for p in self
            .plis
            .iter()
            .filter(|p| p.repond_au_lot(lot) && p.remplace_par.is_none())
        {
            if !retenus.contains(&&p.entreprise.identifiant)
                && !destinataires
                    .iter()
                    .any(|x| x.identifiant == p.entreprise.identifiant)
            {
                destinataires.push(Destinataire::from(&p.entreprise));
            }
        }
        let envoi = crate::rules::temps::heure_paris(ctx.maintenant).date();
        let signature_possible_le = self.fin_standstill(lot, envoi, electronique);
        if let Some(d) = self.decisions.get_mut(&lot) {
            d.lettres_rejet = Some(LettresRejet {
                le: ctx.maintenant,
                electronique,
                signature_possible_le,
            });
        }
        ev.push(Evenement::LettresRejetEnvoyees {
            lot,
            electronique,
            destinataires,
            signature_possible_le,
        });
        Ok(())
    }
}
