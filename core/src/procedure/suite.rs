//! Suites: a follow-up consultation created from a finished phase (e.g. the offer phase
//! AOR-O-0611 after the candidature phase AOR-C-0611 of a restricted procedure), open only
//! to the companies selected, linked both ways.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::contexte::Contexte;
use super::droits::Requis;
use super::etat::Procedure;
use super::evenement::Evenement;
use super::journal::EntreeJournal;
use crate::model::{Decision, Lien, Phase};
use crate::model::{Etape, Habilitation, MiseEnLigne, TypeEnveloppe};
use crate::{CodeErreur, Erreur, Result};

/// What the buyer gives to create a suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParametresSuite {
    /// Id of the new consultation.
    pub id: String,
    /// Its référence (e.g. `AOR-O-0611`).
    pub reference: String,
    /// Its DLRO, Europe/Paris.
    pub dlro: NaiveDateTime,
    /// A new intitulé (the amont's is kept otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intitule: Option<String>,
}

fn impossible(message: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::SuiteImpossible, message)
}

impl Procedure {
    /// The link to this consultation.
    pub fn lien(&self) -> Lien {
        Lien {
            id: self.consultation.id.clone(),
            reference: self.consultation.identification.reference.clone(),
        }
    }

    /// Create a suite from this consultation (phase Décision or Archivée, with companies
    /// selected on at least one lot). Copies identification, the lots with a selection,
    /// modalités (without the candidature envelope), pièces and accès; the new
    /// consultation starts in Élaboration with its own journal, open only to the selected
    /// companies. Returns the suite and the journal entries of this consultation and of the
    /// suite.
    pub fn creer_suite(
        &mut self,
        params: &ParametresSuite,
        ctx: &Contexte<'_>,
    ) -> Result<(Procedure, Vec<EntreeJournal>, Vec<EntreeJournal>)> {
        if let Some(d) = self.journal.dernier_horodatage
            && ctx.maintenant < d
        {
            return Err(Erreur::new(
                CodeErreur::HorlogeIncoherente,
                "horodatage antérieur à la dernière entrée du journal",
            ));
        }
        if !matches!(self.phase, Phase::Decision | Phase::Archivee) {
            return Err(crate::model::phase_incorrecte(
                "la création d'une suite",
                self.phase,
                "Décision ou Archivée",
            ));
        }
        self.agent(ctx, Requis::Habilitation(Habilitation::CreerConsultation))?;
        crate::model::texte::texte(&params.id, "l'identifiant de la suite", 128)
            .map_err(|e| e.at("$.id"))?;
        crate::rules::reference::valider(&params.reference).map_err(|e| e.at("$.reference"))?;
        if params.id == self.consultation.id || self.aval.iter().any(|l| l.id == params.id) {
            return Err(impossible(format!(
                "identifiant « {} » déjà utilisé",
                params.id
            )));
        }
        crate::rules::temps::instant_paris(params.dlro).map_err(|e| e.at("$.dlro"))?;
        // Selected companies, lot by lot.
        let mut lots_retenus = Vec::new();
        let mut entreprises = Vec::new();
        for (&lot, d) in &self.decisions {
            if let Decision::Selection { plis } = &d.decision {
                lots_retenus.push(lot);
                for &n in plis {
                    if let Some(p) = self.pli(n)
                        && !entreprises.contains(&p.entreprise.identifiant)
                    {
                        entreprises.push(p.entreprise.identifiant.clone());
                    }
                }
            }
        }
        if entreprises.is_empty() {
            return Err(impossible(
                "aucune entreprise sélectionnée : décider une sélection avant de créer la suite",
            ));
        }
        let mut c = self.consultation.clone();
        c.id = params.id.clone();
        c.identification.reference = params.reference.clone();
        c.identification.etape = Etape::Offres;
        if let Some(i) = &params.intitule {
            crate::model::texte::texte(i, "l'intitulé", 1000).map_err(|e| e.at("$.intitule"))?;
            c.identification.intitule = i.clone();
        }
        if c.identification.allotie {
            c.lots.retain(|l| lots_retenus.contains(&l.numero));
        }
        c.calendrier.dlro = params.dlro;
        c.calendrier.mise_en_ligne = MiseEnLigne::ALaValidation;
        c.calendrier.date_validation = None;
        c.calendrier.date_envoi_avis = None;
        c.calendrier.date_publication_avis = None;
        let m = &mut c.modalites;
        m.enveloppes.retain(|t| *t != TypeEnveloppe::Candidature);
        if m.enveloppes.is_empty() {
            m.enveloppes.push(TypeEnveloppe::Offre);
        }
        let allotie = c.identification.allotie;
        m.documents.retain(|d| {
            d.enveloppe != TypeEnveloppe::Candidature
                && (!allotie || d.lot.is_none_or(|l| lots_retenus.contains(&l)))
        });
        let mut suite = Procedure::brouillon(c);
        suite.amont = Some(self.lien());
        suite.entreprises_admises = Some(entreprises.clone());
        let lien_suite = suite.lien();
        let j_suite = vec![suite.journal.chainer(
            ctx.maintenant,
            ctx.acteur,
            Evenement::CreeeCommeSuite {
                amont: self.lien(),
                entreprises: entreprises.clone(),
            },
        )?];
        let j_amont = vec![self.journal.chainer(
            ctx.maintenant,
            ctx.acteur,
            Evenement::SuiteCreee {
                suite: lien_suite.clone(),
                entreprises,
            },
        )?];
        self.aval.push(lien_suite);
        Ok((suite, j_amont, j_suite))
    }
}

/// The chain of consultations `depart` belongs to, from the first (procédure amont of all)
/// down through every suite, depth first, whichever member it starts from. `toutes` holds
/// the consultations the host has; a link to one it lacks is listed but not followed.
pub fn chaine(depart: &Procedure, toutes: &[Procedure]) -> Vec<Lien> {
    let par_id: HashMap<&str, &Procedure> = toutes
        .iter()
        .chain(std::iter::once(depart))
        .map(|p| (p.consultation.id.as_str(), p))
        .collect();
    // Up to the root; bounded so that a cycle in host data cannot loop forever.
    let mut racine = depart;
    let mut vus = HashSet::new();
    vus.insert(racine.consultation.id.as_str());
    let mut inconnue = None;
    while let Some(a) = &racine.amont {
        match par_id.get(a.id.as_str()) {
            Some(p) if vus.insert(p.consultation.id.as_str()) => racine = p,
            Some(_) => break,
            None => {
                inconnue = Some(a.clone());
                break;
            }
        }
    }
    let mut out: Vec<Lien> = inconnue.into_iter().collect();
    let mut pile = vec![racine.lien()];
    let mut listes = HashSet::new();
    while let Some(l) = pile.pop() {
        if !listes.insert(l.id.clone()) {
            continue;
        }
        if let Some(p) = par_id.get(l.id.as_str()) {
            pile.extend(p.aval.iter().rev().cloned());
        }
        out.push(l);
    }
    out
}
