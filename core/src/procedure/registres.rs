//! Registers: retraits (DCE downloads), questions and their published answers, dépôts
//! (electronic and paper) — counts as the dashboard shows them, lists, and who to notify.

use serde::{Deserialize, Serialize};

use super::contexte::{Acteur, Contexte};
use super::courriers::{CompteursCourriers, CompteursTypeCourrier};
use super::droits::Requis;
use super::etat::{Procedure, Question, Reponse, Retrait};
use super::evenement::Evenement;
use crate::messagerie::EntreeRegistre;
use crate::model::TEXTE_MAX;
use crate::model::texte::texte;
use crate::model::{Destinataire, Entreprise, IdentifiantEntreprise};
use crate::model::{ModeDepot, Phase};
use crate::{CodeErreur, Erreur, Result};

/// Most file names in one partial download.
const FICHIERS_RETRAIT_MAX: usize = 1_000;

/// Counts of the dépôts register.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct CompteursDepots {
    /// Electronic plis.
    pub electroniques: u32,
    /// Paper plis (including late ones).
    pub papier: u32,
    /// Paper plis received at or after the DLRO.
    pub hors_delai: u32,
    /// Plis replaced by a later pli of the same company.
    pub remplaces: u32,
}

impl CompteursDepots {
    /// As the dashboard shows it: `"3 électroniques + 1 papier"`.
    ///
    /// ```
    /// let c = mpe::procedure::CompteursDepots { electroniques: 3, papier: 1, ..Default::default() };
    /// assert_eq!(c.libelle(), "3 électroniques + 1 papier");
    /// ```
    pub fn libelle(&self) -> String {
        let s = |n: u32| if n > 1 { "s" } else { "" };
        format!(
            "{} électronique{} + {} papier",
            self.electroniques,
            s(self.electroniques),
            self.papier
        )
    }
}

/// One line of the dépôts register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResumePli {
    /// Pli n°.
    pub numero: u32,
    /// Electronic or paper.
    pub mode: ModeDepot,
    /// Company.
    pub entreprise: IdentifiantEntreprise,
    /// Raison sociale.
    pub raison_sociale: String,
    /// Lots.
    pub lots: Vec<u32>,
    /// Time of receipt.
    pub horodatage: chrono::DateTime<chrono::Utc>,
    /// Late.
    pub hors_delai: bool,
    /// Replaced by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remplace_par: Option<u32>,
}

/// The registers of a consultation, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Registres {
    /// Identified downloads.
    pub retraits_identifies: u32,
    /// Anonymous downloads.
    pub retraits_anonymes: u32,
    /// Questions asked.
    pub questions: u32,
    /// Questions answered.
    pub questions_repondues: u32,
    /// Dépôts counts.
    pub depots: CompteursDepots,
    /// `"3 électroniques + 1 papier"`.
    pub libelle_depots: String,
    /// The dépôts register.
    pub plis: Vec<ResumePli>,
    /// Courriers counts, all kinds together.
    #[serde(default)]
    pub compteurs_courriers: CompteursCourriers,
    /// Courriers counts per kind of letter (only the kinds sent).
    #[serde(default)]
    pub courriers_par_type: Vec<CompteursTypeCourrier>,
    /// The courriers register: one line per message (who was written to, when, its
    /// acknowledgement and answer dates).
    #[serde(default)]
    pub courriers: Vec<EntreeRegistre>,
}

/// Who to write to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Diffusion {
    /// Companies that downloaded the DCE while identified.
    Retraits,
    /// Companies that asked a question.
    Questions,
    /// Companies that submitted a pli (electronic or paper).
    Soumissionnaires,
    /// Everyone known: retraits, questions and bidders (answers, DLRO changes).
    Tous,
}

impl Procedure {
    /// The companies to notify, each once, in order of first appearance.
    pub fn destinataires(&self, d: Diffusion) -> Vec<Destinataire> {
        let mut out: Vec<Destinataire> = Vec::new();
        let mut vus = std::collections::HashSet::new();
        let mut ajouter = |e: &Entreprise| {
            if vus.insert(e.identifiant.clone()) {
                out.push(Destinataire::from(e));
            }
        };
        if matches!(d, Diffusion::Retraits | Diffusion::Tous) {
            self.retraits
                .iter()
                .filter_map(|r| r.entreprise.as_ref())
                .for_each(&mut ajouter);
        }
        if matches!(d, Diffusion::Questions | Diffusion::Tous) {
            self.questions.iter().for_each(|q| ajouter(&q.entreprise));
        }
        if matches!(d, Diffusion::Soumissionnaires | Diffusion::Tous) {
            self.plis.iter().for_each(|p| ajouter(&p.entreprise));
        }
        out
    }

    /// The dépôts counts.
    pub fn compteurs_depots(&self) -> CompteursDepots {
        let mut c = CompteursDepots::default();
        for p in &self.plis {
            match p.mode {
                ModeDepot::Electronique => c.electroniques += 1,
                ModeDepot::Papier => c.papier += 1,
            }
            c.hors_delai += u32::from(p.hors_delai);
            c.remplaces += u32::from(p.remplace_par.is_some());
        }
        c
    }

    /// The registers, as the dashboard shows them.
    pub fn registres(&self) -> Registres {
        let depots = self.compteurs_depots();
        let (compteurs_courriers, courriers_par_type) = self.compteurs_courriers();
        let identifies = self
            .retraits
            .iter()
            .filter(|r| r.entreprise.is_some())
            .count();
        Registres {
            retraits_identifies: identifies as u32,
            retraits_anonymes: (self.retraits.len() - identifies) as u32,
            questions: self.questions.len() as u32,
            questions_repondues: self
                .questions
                .iter()
                .filter(|q| q.reponse.is_some())
                .count() as u32,
            libelle_depots: depots.libelle(),
            depots,
            plis: self
                .plis
                .iter()
                .map(|p| ResumePli {
                    numero: p.numero,
                    mode: p.mode,
                    entreprise: p.entreprise.identifiant.clone(),
                    raison_sociale: p.entreprise.raison_sociale.clone(),
                    lots: p.lots.clone(),
                    horodatage: p.horodatage,
                    hors_delai: p.hors_delai,
                    remplace_par: p.remplace_par,
                })
                .collect(),
            compteurs_courriers,
            courriers_par_type,
            courriers: self.courriers.entrees.clone(),
        }
    }

    fn visible(&self, phase: Phase, quoi: &str) -> Result<()> {
        let ok = phase == Phase::Consultation
            || (phase == Phase::OuvertureAnalyse
                && self.consultation.modalites.affichage_apres_dlro);
        if ok {
            Ok(())
        } else {
            Err(crate::model::phase_incorrecte(quoi, phase, "Consultation"))
        }
    }

    pub(crate) fn retrait(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        entreprise: Option<&Entreprise>,
        code_acces: Option<&str>,
        fichiers: &[String],
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.visible(phase, "le téléchargement du DCE")?;
        match entreprise {
            Some(e) => self.entreprise_autorisee(ctx, e, code_acces)?,
            None => {
                if !matches!(ctx.acteur, Acteur::Anonyme) {
                    return Err(Erreur::new(
                        CodeErreur::NonHabilite,
                        "un retrait sans entreprise doit être anonyme",
                    ));
                }
                self.code_acces(code_acces)?;
            }
        }
        if fichiers.len() > FICHIERS_RETRAIT_MAX {
            return Err(
                Erreur::new(CodeErreur::LimiteDepassee, "trop de fichiers").at("$.fichiers")
            );
        }
        if !fichiers.is_empty() && !self.consultation.pieces.telechargement_partiel {
            return Err(Erreur::invalid_argument(
                "le téléchargement partiel du DCE n'est pas proposé",
            )
            .at("$.fichiers"));
        }
        for (i, f) in fichiers.iter().enumerate() {
            texte(f, "le nom du fichier", 255).map_err(|e| e.at(format!("$.fichiers[{i}]")))?;
        }
        let numero = self.retraits.len() as u32 + 1;
        self.retraits.push(Retrait {
            numero,
            le: ctx.maintenant,
            entreprise: entreprise.cloned(),
            fichiers: fichiers.to_vec(),
        });
        ev.push(Evenement::RetraitEnregistre {
            numero,
            entreprise: entreprise.map(|e| e.identifiant.clone()),
        });
        Ok(())
    }

    pub(crate) fn poser_question(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        entreprise: &Entreprise,
        question: &str,
        code_acces: Option<&str>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        if phase != Phase::Consultation {
            return Err(crate::model::phase_incorrecte(
                "une question",
                phase,
                "Consultation",
            ));
        }
        self.entreprise_autorisee(ctx, entreprise, code_acces)?;
        texte(question, "la question", TEXTE_MAX).map_err(|e| e.at("$.texte"))?;
        let numero = self.questions.len() as u32 + 1;
        self.questions.push(Question {
            numero,
            le: ctx.maintenant,
            entreprise: entreprise.clone(),
            texte: question.to_string(),
            reponse: None,
        });
        ev.push(Evenement::QuestionPosee {
            numero,
            entreprise: entreprise.identifiant.clone(),
        });
        Ok(())
    }

    pub(crate) fn repondre_question(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        numero: u32,
        reponse: &str,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        if !matches!(phase, Phase::Consultation | Phase::OuvertureAnalyse) {
            return Err(crate::model::phase_incorrecte(
                "la réponse à une question",
                phase,
                "Consultation ou Ouverture et analyse",
            ));
        }
        let agent = self.agent(ctx, Requis::Suivi)?;
        texte(reponse, "la réponse", TEXTE_MAX).map_err(|e| e.at("$.reponse"))?;
        let destinataires = self.destinataires(Diffusion::Tous);
        let q = (numero as usize)
            .checked_sub(1)
            .and_then(|i| self.questions.get_mut(i))
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::ReferenceInconnue,
                    format!("question {numero} inconnue"),
                )
                .at("$.question")
            })?;
        if q.reponse.is_some() {
            return Err(Erreur::invalid_argument(format!(
                "la question {numero} a déjà une réponse publiée"
            )));
        }
        q.reponse = Some(Reponse {
            texte: reponse.to_string(),
            le: ctx.maintenant,
            par: agent.id.clone(),
        });
        ev.push(Evenement::ReponsePubliee {
            question: numero,
            destinataires,
        });
        Ok(())
    }
}
