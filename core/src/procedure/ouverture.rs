//! Opening and analysis: envelopes opened in the order the modalités set, candidatures
//! admitted or rejected, offers ranked, completions requested.

use chrono::{DateTime, Utc};

use super::action::{OuvertureEnveloppe, ResultatDechiffrement};
use super::contexte::Contexte;
use super::depot::verifier_fichiers;
use super::droits::Requis;
use super::etat::Procedure;
use super::evenement::Evenement;
use super::faits::Faits;
use crate::model::TEXTE_MAX;
use crate::model::texte::texte;
use crate::model::{
    Admission, DemandeComplement, Enveloppe, Fichier, ModeDepot, ModeOuvertureEnveloppe, Phase,
    Pli, Rang, RefEnveloppe, StatutEnveloppe, empreinte_fichiers,
};
use crate::model::{Habilitation, ModeOuverture, TypeEnveloppe};
use crate::{CodeErreur, Erreur, Result};

/// Most envelopes in one opening batch.
const LOT_OUVERTURE_MAX: usize = 10_000;

fn impossible(message: impl Into<String>, i: usize) -> Erreur {
    Erreur::new(CodeErreur::OuvertureImpossible, message).at(format!("$.enveloppes[{i}]"))
}

fn est_offre(t: TypeEnveloppe) -> bool {
    matches!(t, TypeEnveloppe::Offre | TypeEnveloppe::OffreTechnique)
}

/// Differences between the files declared at submission and those found after decryption
/// (the detail, file by file, is for the host to show from the receipt and the event).
fn ecarts(env: &Enveloppe, trouves: &[Fichier]) -> Vec<String> {
    match &env.empreinte {
        Some(e) if *e != empreinte_fichiers(trouves) => {
            let taille: u64 = trouves
                .iter()
                .map(|f| f.taille)
                .fold(0, u64::saturating_add);
            vec![format!(
                "fichiers déchiffrés différents de l'accusé de réception : {} fichier(s), {} octets déclarés ; {} fichier(s), {} octets trouvés",
                env.fichiers,
                env.taille,
                trouves.len(),
                taille
            )]
        }
        _ => Vec::new(),
    }
}

impl Procedure {
    fn pli_ou_erreur(&self, n: u32) -> Result<&Pli> {
        self.pli(n).ok_or_else(|| {
            Erreur::new(CodeErreur::PliInconnu, format!("pli {n} inconnu")).at("$.pli")
        })
    }

    /// Whether the candidature of pli `p` was rejected.
    fn candidature_rejetee(p: &Pli) -> bool {
        p.admission.as_ref().is_some_and(|a| !a.admise)
    }

    pub(crate) fn ouvrir(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        mode: ModeOuvertureEnveloppe,
        items: &[OuvertureEnveloppe],
        faits: Option<&Faits>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        let par_la_bibliotheque = matches!(faits, Some(Faits::Ouverture));
        if phase != Phase::OuvertureAnalyse {
            return Err(crate::model::phase_incorrecte(
                "l'ouverture des plis",
                phase,
                "Ouverture et analyse",
            ));
        }
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::OuvrirPlis))?;
        if items.is_empty() {
            return Err(Erreur::invalid_argument("aucune enveloppe à ouvrir").at("$.enveloppes"));
        }
        if items.len() > LOT_OUVERTURE_MAX {
            return Err(Erreur::new(
                CodeErreur::LimiteDepassee,
                "trop d'enveloppes à la fois",
            ));
        }
        let par_reponse = self.consultation.modalites.mode_ouverture == ModeOuverture::ParReponse;
        // Candidatures still closed among the plis that count (par réponse: offers wait for
        // all of them). Counted once, then updated as the batch opens candidatures.
        let mut candidatures_fermees = if par_reponse {
            self.plis
                .iter()
                .filter(|p| p.recevable())
                .flat_map(|p| p.enveloppes.iter())
                .filter(|e| {
                    e.enveloppe == TypeEnveloppe::Candidature
                        && matches!(e.statut, StatutEnveloppe::Fermee)
                })
                .count()
        } else {
            0
        };
        let mut ouvertes: Vec<(u32, RefEnveloppe)> = Vec::new();
        let mut tentees: Vec<(u32, RefEnveloppe)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let r = item.enveloppe;
            let pli = self.pli(item.pli).ok_or_else(|| {
                Erreur::new(CodeErreur::PliInconnu, format!("pli {} inconnu", item.pli))
                    .at(format!("$.enveloppes[{i}].pli"))
            })?;
            let env = pli.enveloppe(r).ok_or_else(|| {
                Erreur::new(
                    CodeErreur::PliInconnu,
                    format!("le pli {} n'a pas d'enveloppe {r}", pli.numero),
                )
                .at(format!("$.enveloppes[{i}].enveloppe"))
            })?;
            if pli.hors_delai {
                return Err(impossible(
                    format!(
                        "pli {} reçu hors délai : il n'est jamais ouvert",
                        pli.numero
                    ),
                    i,
                ));
            }
            if let Some(n) = pli.remplace_par {
                return Err(impossible(
                    format!(
                        "pli {} remplacé par le pli {n} de la même entreprise : il reste fermé",
                        pli.numero
                    ),
                    i,
                ));
            }
            if !matches!(env.statut, StatutEnveloppe::Fermee) || tentees.contains(&(pli.numero, r))
            {
                return Err(impossible(
                    format!(
                        "enveloppe {r} du pli {} déjà ouverte ou refusée",
                        pli.numero
                    ),
                    i,
                ));
            }
            // Once the consultation recorded its keys, what an electronic envelope holds is
            // what the library found in it, never what the host says.
            if pli.mode == ModeDepot::Electronique
                && !par_la_bibliotheque
                && !self.cles_chiffrement.is_empty()
            {
                return Err(Erreur::new(
                    CodeErreur::OctetsRequis,
                    format!(
                        "pli {} : une enveloppe électronique s'ouvre par la bibliothèque (ouvrir_plis), qui déchiffre et vérifie elle-même",
                        pli.numero
                    ),
                )
                .at(format!("$.enveloppes[{i}]")));
            }
            if pli.mode == ModeDepot::Papier {
                if mode != ModeOuvertureEnveloppe::HorsLigne {
                    return Err(impossible("un pli papier s'ouvre hors ligne", i));
                }
                if matches!(item.resultat, ResultatDechiffrement::Echec { .. }) {
                    return Err(Erreur::invalid_argument(
                        "un pli papier n'est pas chiffré : pas d'échec de déchiffrement",
                    )
                    .at(format!("$.enveloppes[{i}]")));
                }
            }
            if let ResultatDechiffrement::Ok { fichiers } = &item.resultat {
                verifier_fichiers(fichiers, &format!("$.enveloppes[{i}].fichiers"))?;
            }
            if let ResultatDechiffrement::Echec { code, message } = &item.resultat {
                let _ = code;
                texte(message, "le message d'échec", TEXTE_MAX)
                    .map_err(|e| e.at(format!("$.enveloppes[{i}].message")))?;
            }
            let candidature = RefEnveloppe {
                enveloppe: TypeEnveloppe::Candidature,
                lot: 0,
            };
            if est_offre(r.enveloppe) || r.enveloppe == TypeEnveloppe::Anonymat {
                if Self::candidature_rejetee(pli) {
                    return Err(impossible(
                        format!(
                            "candidature du pli {} rejetée : son offre n'est pas ouverte",
                            pli.numero
                        ),
                        i,
                    ));
                }
                let a_candidature = pli.enveloppe(candidature).is_some();
                let candidature_ouverte =
                    pli.est_ouverte(candidature) || ouvertes.contains(&(pli.numero, candidature));
                if par_reponse && candidatures_fermees > 0 {
                    return Err(impossible(
                        format!(
                            "ouverture par réponse : {candidatures_fermees} candidature(s) encore fermée(s) avant les offres"
                        ),
                        i,
                    ));
                }
                if a_candidature && !candidature_ouverte {
                    return Err(impossible(
                        format!(
                            "la candidature du pli {} doit être ouverte avant son offre",
                            pli.numero
                        ),
                        i,
                    ));
                }
            }
            if r.enveloppe == TypeEnveloppe::Anonymat
                && self.classements.get(&r.lot).is_none_or(|c| c.is_empty())
            {
                return Err(impossible(
                    format!(
                        "l'enveloppe d'anonymat du lot {} s'ouvre après le classement des offres",
                        r.lot
                    ),
                    i,
                ));
            }
            tentees.push((pli.numero, r));
            if matches!(item.resultat, ResultatDechiffrement::Ok { .. }) {
                ouvertes.push((pli.numero, r));
                if r.enveloppe == TypeEnveloppe::Candidature && par_reponse {
                    candidatures_fermees = candidatures_fermees.saturating_sub(1);
                }
            }
        }
        // All checked: apply.
        for item in items {
            let r = item.enveloppe;
            let Some(pli) = self.pli_mut(item.pli) else {
                return Err(Erreur::internal("pli disparu"));
            };
            let Some(env) = pli
                .enveloppes
                .iter_mut()
                .find(|e| e.enveloppe == r.enveloppe && e.lot == r.lot)
            else {
                return Err(Erreur::internal("enveloppe disparue"));
            };
            match &item.resultat {
                ResultatDechiffrement::Ok { fichiers } => {
                    let ecarts = if pli.mode == ModeDepot::Electronique {
                        ecarts(env, fichiers)
                    } else {
                        Vec::new()
                    };
                    env.statut = StatutEnveloppe::Ouverte {
                        mode,
                        le: ctx.maintenant,
                        par: agent.id.clone(),
                        ecarts: ecarts.clone(),
                    };
                    ev.push(Evenement::EnveloppeOuverte {
                        pli: item.pli,
                        enveloppe: r,
                        mode,
                        fichiers: fichiers.clone(),
                        ecarts,
                    });
                }
                ResultatDechiffrement::Echec { code, message } => {
                    env.echecs_dechiffrement = env.echecs_dechiffrement.saturating_add(1);
                    ev.push(Evenement::DechiffrementEchoue {
                        pli: item.pli,
                        enveloppe: r,
                        code: *code,
                        message: message.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    pub(crate) fn refuser_enveloppe(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        numero: u32,
        r: RefEnveloppe,
        motif: &str,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        if phase != Phase::OuvertureAnalyse {
            return Err(crate::model::phase_incorrecte(
                "le refus d'une enveloppe",
                phase,
                "Ouverture et analyse",
            ));
        }
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::OuvrirPlis))?;
        texte(motif, "le motif", TEXTE_MAX).map_err(|e| e.at("$.motif"))?;
        let pli = self.pli_ou_erreur(numero)?;
        let env = pli.enveloppe(r).ok_or_else(|| {
            Erreur::new(
                CodeErreur::PliInconnu,
                format!("le pli {numero} n'a pas d'enveloppe {r}"),
            )
            .at("$.enveloppe")
        })?;
        if !matches!(env.statut, StatutEnveloppe::Fermee) {
            return Err(Erreur::new(
                CodeErreur::OuvertureImpossible,
                format!("enveloppe {r} du pli {numero} déjà ouverte ou refusée"),
            ));
        }
        if let Some(env) = self.pli_mut(numero).and_then(|p| {
            p.enveloppes
                .iter_mut()
                .find(|e| e.enveloppe == r.enveloppe && e.lot == r.lot)
        }) {
            env.statut = StatutEnveloppe::Refusee {
                motif: motif.to_string(),
                le: ctx.maintenant,
                par: agent.id.clone(),
            };
        }
        ev.push(Evenement::EnveloppeRefusee {
            pli: numero,
            enveloppe: r,
            motif: motif.to_string(),
        });
        Ok(())
    }

    fn analyse_possible(&self, phase: Phase, quoi: &str) -> Result<()> {
        if phase != Phase::OuvertureAnalyse {
            return Err(crate::model::phase_incorrecte(
                quoi,
                phase,
                "Ouverture et analyse",
            ));
        }
        Ok(())
    }

    /// The pli, if it counts and the envelope that carries its candidature is open.
    fn pli_analysable(&self, numero: u32) -> Result<&Pli> {
        let pli = self.pli_ou_erreur(numero)?;
        if !pli.recevable() {
            return Err(Erreur::new(
                CodeErreur::OuvertureImpossible,
                format!("pli {numero} hors délai ou remplacé : il n'est pas analysé"),
            ));
        }
        let candidature = RefEnveloppe {
            enveloppe: TypeEnveloppe::Candidature,
            lot: 0,
        };
        let ouverte = if pli.enveloppe(candidature).is_some() {
            pli.est_ouverte(candidature)
        } else {
            pli.enveloppes
                .iter()
                .any(|e| matches!(e.statut, StatutEnveloppe::Ouverte { .. }))
        };
        if !ouverte {
            return Err(Erreur::new(
                CodeErreur::OuvertureImpossible,
                format!("la candidature du pli {numero} n'est pas ouverte"),
            ));
        }
        Ok(pli)
    }

    pub(crate) fn analyser_candidature(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        numero: u32,
        admise: bool,
        motif: Option<&str>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.analyse_possible(phase, "l'analyse des candidatures")?;
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::AnalyserOffres))?;
        self.pli_analysable(numero)?;
        match motif {
            Some(m) => texte(m, "le motif", TEXTE_MAX).map_err(|e| e.at("$.motif"))?,
            None if !admise => {
                return Err(Erreur::new(
                    CodeErreur::ChampObligatoire,
                    "le rejet d'une candidature doit être motivé",
                )
                .at("$.motif"));
            }
            None => {}
        }
        if let Some(p) = self.pli_mut(numero) {
            p.admission = Some(Admission {
                admise,
                motif: motif.map(str::to_string),
                le: ctx.maintenant,
                par: agent.id.clone(),
            });
        }
        ev.push(Evenement::CandidatureAnalysee {
            pli: numero,
            admise,
            motif: motif.map(str::to_string),
        });
        Ok(())
    }

    pub(crate) fn demander_complement(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        numero: u32,
        objet: &str,
        date_limite: Option<DateTime<Utc>>,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.analyse_possible(phase, "une demande de complément")?;
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::AnalyserOffres))?;
        self.pli_analysable(numero)?;
        texte(objet, "l'objet de la demande", TEXTE_MAX).map_err(|e| e.at("$.objet"))?;
        if date_limite.is_some_and(|d| d <= ctx.maintenant) {
            return Err(
                Erreur::invalid_argument("la date limite du complément est passée")
                    .at("$.date_limite"),
            );
        }
        if let Some(p) = self.pli_mut(numero) {
            if p.complements.len() >= 100 {
                return Err(Erreur::new(
                    CodeErreur::LimiteDepassee,
                    "trop de demandes de complément",
                ));
            }
            p.complements.push(DemandeComplement {
                objet: objet.to_string(),
                date_limite,
                le: ctx.maintenant,
                par: agent.id.clone(),
            });
        }
        ev.push(Evenement::ComplementDemande {
            pli: numero,
            objet: objet.to_string(),
            date_limite,
        });
        Ok(())
    }

    /// Whether pli `p` has an opened offer for `lot` (or, when the modalités ask for no
    /// offer envelope, an opened candidature) and a candidature not rejected.
    pub(crate) fn offre_ouverte(&self, p: &Pli, lot: u32) -> bool {
        if Self::candidature_rejetee(p) || !p.recevable() || !p.repond_au_lot(lot) {
            return false;
        }
        let avec_offres = self
            .consultation
            .modalites
            .enveloppes
            .iter()
            .any(|t| est_offre(*t));
        p.enveloppes.iter().any(|e| {
            matches!(e.statut, StatutEnveloppe::Ouverte { .. })
                && if avec_offres {
                    est_offre(e.enveloppe) && e.lot == lot
                } else {
                    e.enveloppe == TypeEnveloppe::Candidature
                }
        })
    }

    pub(crate) fn classer(
        &mut self,
        ctx: &Contexte<'_>,
        phase: Phase,
        lot: u32,
        classement: &[Rang],
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        self.analyse_possible(phase, "le classement des offres")?;
        self.agent(ctx, Requis::Habilitation(Habilitation::AnalyserOffres))?;
        if !self.lot_existe(lot) {
            return Err(
                Erreur::new(CodeErreur::LotInconnu, format!("lot {lot} inconnu")).at("$.lot"),
            );
        }
        if classement.is_empty() {
            return Err(Erreur::invalid_argument("classement vide").at("$.classement"));
        }
        if classement.len() > self.plis.len() {
            return Err(Erreur::invalid_argument("plus de rangs que de plis").at("$.classement"));
        }
        for (i, r) in classement.iter().enumerate() {
            let at = |f: &str| format!("$.classement[{i}]{f}");
            let pli = self.pli(r.pli).ok_or_else(|| {
                Erreur::new(CodeErreur::PliInconnu, format!("pli {} inconnu", r.pli)).at(at(".pli"))
            })?;
            if !self.offre_ouverte(pli, lot) {
                return Err(Erreur::new(
                    CodeErreur::OuvertureImpossible,
                    format!(
                        "pli {} : pas d'offre ouverte et recevable pour le lot {lot}",
                        r.pli
                    ),
                )
                .at(at(".pli")));
            }
            if classement.iter().take(i).any(|x| x.pli == r.pli) {
                return Err(
                    Erreur::invalid_argument(format!("pli {} classé deux fois", r.pli))
                        .at(at(".pli")),
                );
            }
            if r.rang == 0 || r.rang as usize > classement.len() {
                return Err(Erreur::invalid_argument(format!(
                    "rang {} hors de 1..{}",
                    r.rang,
                    classement.len()
                ))
                .at(at(".rang")));
            }
            if r.note
                .is_some_and(|n| !n.is_finite() || !(0.0..=1_000_000.0).contains(&n))
            {
                return Err(Erreur::invalid_argument("note invalide").at(at(".note")));
            }
            if let Some(c) = &r.commentaire {
                texte(c, "le commentaire", TEXTE_MAX).map_err(|e| e.at(at(".commentaire")))?;
            }
        }
        let mut c = classement.to_vec();
        c.sort_by_key(|r| (r.rang, r.pli));
        self.classements.insert(lot, c.clone());
        ev.push(Evenement::OffresClassees { lot, classement: c });
        Ok(())
    }
}
