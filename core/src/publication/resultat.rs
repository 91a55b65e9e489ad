//! What a result notice says of each lot, drawn from the procedure: the decision
//! (attributed, infructueux, sans suite), the winning tenders and their companies, the
//! contract of each attributed lot, and the tenders received as the plis record them.
//! The mapping table reads these facts; nothing here writes XML.

use serde::{Deserialize, Serialize};

use super::donnees::{DonneesAvis, EntrepriseAvis, MotifNonAttribution, TailleEntreprise};
use crate::donnees::{Contrat, identifiant_decp};
use crate::model::{
    Consultation, Decision, DecisionLot, Entreprise, IdentifiantEntreprise, ModeDepot, Montant,
};
use crate::procedure::Procedure;

/// The contract of a lot, as the register holds it (built by
/// [`crate::donnees::contrat_depuis_decision`]): its number (BT-150), its notification date
/// (BT-145), the winners' size and subcontracting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContratLot {
    /// Lot number (0 for a consultation non allotie).
    pub lot: u32,
    /// The contract.
    pub contrat: Contrat,
}

/// The states of the European Economic Area other than France (ISO 3166-1 alpha-2; Greece
/// as GR, as the plis write it): the EU 26 and Iceland, Liechtenstein, Norway.
const EEE: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "EL", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
];

/// A company's identifier for matching: the SIRET or the national number, without spaces.
pub(crate) fn cle(id: &IdentifiantEntreprise) -> String {
    let brut = match id {
        IdentifiantEntreprise::Siret(s) => s,
        IdentifiantEntreprise::Etranger { numero, .. } => numero,
    };
    brut.chars().filter(|c| !c.is_whitespace()).collect()
}

fn cle_texte(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A company that won at least one lot (one organisation of the notice, `ORG-0003`…).
pub(crate) struct Gagnant<'a> {
    pub entreprise: &'a Entreprise,
    /// Its entry in the notice data, if any.
    pub details: Option<(usize, &'a EntrepriseAvis)>,
    /// Its size: the notice data, else the contract's `pme`.
    pub taille: Option<TailleEntreprise>,
}

/// A winning tender (`TEN-0001`…): the pli of an attributaire on a lot.
pub(crate) struct Offre {
    /// Position of its lot in [`Resultats::lots`].
    pub lot: usize,
    pub pli: u32,
    /// Position of the decision's attributaire (for the field path).
    pub attributaire: usize,
    pub montant: Montant,
    /// Position in [`Resultats::gagnants`].
    pub gagnant: usize,
    /// Position in the contracts given.
    pub contrat: Option<usize>,
}

/// The result of one lot of the notice.
pub(crate) struct ResultatLot<'a> {
    /// Lot number (0 for a consultation non allotie).
    pub numero: u32,
    pub decision: Option<&'a DecisionLot>,
    /// Plis received in time, not replaced, answering the lot.
    pub offres_recues: u32,
    /// Of which submitted on the platform.
    pub electroniques: u32,
    /// Of which from companies of another state of the European Economic Area.
    pub autres_eee: u32,
    /// Of which from companies outside the European Economic Area.
    pub hors_eee: u32,
    /// Tenders from SMEs and from large companies; `Err` lists the companies whose size
    /// is unknown.
    pub tailles: Result<(u32, u32), Vec<String>>,
    /// Positions in [`Resultats::offres`].
    pub offres: Vec<usize>,
    /// Positions in the contracts given.
    pub contrats: Vec<usize>,
    /// BT-144 given by the host.
    motif_donne: Option<MotifNonAttribution>,
}

impl ResultatLot<'_> {
    /// BT-142: `selec-w` (awarded) or `clos-nw` (infructueux, sans suite); `None` for a lot
    /// not decided or decided otherwise (a selection, another decision).
    pub fn statut(&self) -> Option<&'static str> {
        match self.decision.map(|d| &d.decision) {
            Some(Decision::Attribution { .. }) => Some("selec-w"),
            Some(Decision::Infructueuse { .. } | Decision::SansSuite { .. }) => Some("clos-nw"),
            _ => None,
        }
    }

    /// BT-144 for a lot not awarded.
    pub fn motif(&self) -> Option<MotifNonAttribution> {
        if self.statut() != Some("clos-nw") {
            return None;
        }
        Some(
            match (self.motif_donne, self.decision.map(|d| &d.decision)) {
                (Some(m), _) => m,
                _ if self.offres_recues == 0 => MotifNonAttribution::AucuneOffre,
                (None, Some(Decision::SansSuite { .. })) => MotifNonAttribution::Autre,
                _ => MotifNonAttribution::OffresRejetees,
            },
        )
    }

    /// Whether the statistics of received tenders are written (BT-759/760): not for a lot
    /// that received none.
    pub fn avec_statistiques(&self) -> bool {
        self.statut().is_some() && self.motif() != Some(MotifNonAttribution::AucuneOffre)
    }
}

/// Every result of the notice.
pub(crate) struct Resultats<'a> {
    pub contrats: &'a [ContratLot],
    pub lots: Vec<ResultatLot<'a>>,
    pub offres: Vec<Offre>,
    pub gagnants: Vec<Gagnant<'a>>,
}

/// Lot numbers of the notice, in its order (0 for a consultation non allotie), as
/// [`super::precontrole::lots_avis`] lists them.
fn numeros(c: &Consultation) -> Vec<u32> {
    if c.identification.allotie && !c.lots.is_empty() {
        c.lots.iter().map(|l| l.numero).collect()
    } else {
        vec![0]
    }
}

impl<'a> Resultats<'a> {
    pub fn new(
        procedure: &'a Procedure,
        donnees: &'a DonneesAvis,
        contrats: &'a [ContratLot],
    ) -> Resultats<'a> {
        let details = |id: &str| {
            donnees
                .entreprises
                .iter()
                .enumerate()
                .find(|(_, e)| cle_texte(&e.identifiant) == id)
        };
        // A winner's `pme` as its contract records it.
        let pme_contrat = |e: &Entreprise| {
            let (_, id) = identifiant_decp(&e.identifiant);
            contrats
                .iter()
                .flat_map(|c| &c.contrat.titulaires)
                .find(|t| t.id == id)
                .and_then(|t| t.pme)
                .map(|pme| {
                    if pme {
                        TailleEntreprise::Pme
                    } else {
                        TailleEntreprise::Grande
                    }
                })
        };
        let taille = |e: &Entreprise| {
            details(&cle(&e.identifiant))
                .and_then(|(_, d)| d.taille)
                .or_else(|| pme_contrat(e))
        };
        let mut r = Resultats {
            contrats,
            lots: Vec::new(),
            offres: Vec::new(),
            gagnants: Vec::new(),
        };
        for (position, numero) in numeros(&procedure.consultation).into_iter().enumerate() {
            let decision = procedure.decisions.get(&numero);
            let mut lot = ResultatLot {
                numero,
                decision,
                offres_recues: 0,
                electroniques: 0,
                autres_eee: 0,
                hors_eee: 0,
                tailles: Ok((0, 0)),
                offres: Vec::new(),
                contrats: contrats
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.lot == numero)
                    .map(|(i, _)| i)
                    .collect(),
                motif_donne: donnees
                    .non_attributions
                    .iter()
                    .find(|n| n.lot == numero)
                    .map(|n| n.motif),
            };
            let mut inconnues = Vec::new();
            let (mut pme, mut grandes) = (0, 0);
            for pli in procedure.plis_recevables(numero) {
                lot.offres_recues += 1;
                if pli.mode == ModeDepot::Electronique {
                    lot.electroniques += 1;
                }
                if let IdentifiantEntreprise::Etranger { pays, .. } = &pli.entreprise.identifiant {
                    if EEE.contains(&pays.as_str()) {
                        lot.autres_eee += 1;
                    } else {
                        lot.hors_eee += 1;
                    }
                }
                match taille(&pli.entreprise) {
                    Some(t) if t.est_pme() => pme += 1,
                    Some(_) => grandes += 1,
                    None => {
                        let nom = format!(
                            "{} ({})",
                            pli.entreprise.raison_sociale, pli.entreprise.identifiant
                        );
                        if !inconnues.contains(&nom) {
                            inconnues.push(nom);
                        }
                    }
                }
            }
            lot.tailles = if inconnues.is_empty() {
                Ok((pme, grandes))
            } else {
                Err(inconnues)
            };
            if let Some(DecisionLot {
                decision: Decision::Attribution { attributaires },
                ..
            }) = decision
            {
                for (ia, a) in attributaires.iter().enumerate() {
                    // A pli missing from the state is reported by the pre-check.
                    let Some(pli) = procedure.pli(a.pli) else {
                        continue;
                    };
                    let id = cle(&pli.entreprise.identifiant);
                    let gagnant = match r
                        .gagnants
                        .iter()
                        .position(|g| cle(&g.entreprise.identifiant) == id)
                    {
                        Some(g) => g,
                        None => {
                            r.gagnants.push(Gagnant {
                                entreprise: &pli.entreprise,
                                details: details(&id),
                                taille: taille(&pli.entreprise),
                            });
                            r.gagnants.len() - 1
                        }
                    };
                    let (_, id_decp) = identifiant_decp(&pli.entreprise.identifiant);
                    let contrat = lot.contrats.iter().copied().find(|&c| {
                        contrats
                            .get(c)
                            .is_some_and(|c| c.contrat.titulaires.iter().any(|t| t.id == id_decp))
                    });
                    lot.offres.push(r.offres.len());
                    r.offres.push(Offre {
                        lot: position,
                        pli: a.pli,
                        attributaire: ia,
                        montant: a.montant,
                        gagnant,
                        contrat,
                    });
                }
            }
            r.lots.push(lot);
        }
        r
    }

    /// The contract of a tender, if given.
    pub fn contrat(&self, i: usize) -> Option<&'a Contrat> {
        self.contrats.get(i).map(|c| &c.contrat)
    }
}

/// An amount as eForms writes it (`498000.00`).
pub(crate) fn montant(m: Montant) -> String {
    let c = m.centimes();
    let signe = if c < 0 { "-" } else { "" };
    let c = c.unsigned_abs();
    format!("{signe}{}.{:02}", c / 100, c % 100)
}
