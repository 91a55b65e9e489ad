//! The pre-check of the result notice (subtype 29): each lot has a final decision, each
//! awarded lot its notified contract whose titulaires are the attributaires, each tenderer a
//! known size (the statistics count tenders from SMEs and large companies), each winner an
//! address. Findings name the business term and the field to fill, as for the contract
//! notice; the place of a row of the mapping table read once per lot, tender, winner or
//! contract is given here.

use super::correspondance::{Correspondance, LotAvis, Portee, Sources};
use super::donnees::MotifNonAttribution;
use super::precontrole::{Constats, chemin};
use crate::CodeErreur;
use crate::model::{Decision, TypeContrat};
use crate::rules::Gravite;

/// Where a row of the table is read: each `(lot or element, field path, " (LOT-0001)")`.
pub(crate) fn occurrences<'a>(
    s: &Sources<'a>,
    c: &Correspondance,
    lots: &[LotAvis<'a>],
) -> Vec<(LotAvis<'a>, String, String)> {
    let r = s.resultat.as_ref();
    match c.portee {
        Portee::Avis | Portee::Acheteur | Portee::Recours => {
            vec![(LotAvis::AUCUN, c.champ.to_string(), String::new())]
        }
        Portee::Lot => lots
            .iter()
            .map(|l| (*l, chemin(c.champ, *l), format!(" ({})", l.identifiant())))
            .collect(),
        Portee::Resultat => lots
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let numero = r.and_then(|r| r.lots.get(i)).map_or(0, |r| r.numero);
                let champ = c
                    .champ
                    .replace("$.decisions[*]", &format!("$.decisions.{numero}"));
                (*l, chemin(&champ, *l), format!(" ({})", l.identifiant()))
            })
            .collect(),
        Portee::Offre => r
            .map(|r| {
                r.offres
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let numero = r.lots.get(o.lot).map_or(0, |l| l.numero);
                        let champ = c
                            .champ
                            .replace("$.decisions[*]", &format!("$.decisions.{numero}"))
                            .replace(
                                "attributaires[*]",
                                &format!("attributaires[{}]", o.attributaire),
                            )
                            .replace(
                                "$.contrats[*]",
                                &o.contrat
                                    .map_or("$.contrats".into(), |c| format!("$.contrats[{c}]")),
                            );
                        (
                            LotAvis::AUCUN.element(i),
                            champ,
                            format!(" (LOT-{numero:04}, pli {})", o.pli),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Portee::Attributaire => r
            .map(|r| {
                r.gagnants
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        let pli = r
                            .offres
                            .iter()
                            .find(|o| o.gagnant == i)
                            .map_or(0, |o| o.pli);
                        let champ = match g.details {
                            Some((j, _)) => c.champ.replace(
                                "$.donnees.entreprises[*]",
                                &format!("$.donnees.entreprises[{j}]"),
                            ),
                            // No entry yet: the host adds one with this identifier.
                            None if c.champ.starts_with("$.donnees.entreprises[*]") => {
                                "$.donnees.entreprises".into()
                            }
                            None => c.champ.to_string(),
                        }
                        .replace("$.plis[*]", &format!("$.plis[{}]", pli.saturating_sub(1)));
                        (
                            LotAvis::AUCUN.element(i),
                            champ,
                            format!(
                                " ({}, {})",
                                g.entreprise.raison_sociale, g.entreprise.identifiant
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Portee::Contrat => r
            .map(|r| {
                (0..r.contrats.len())
                    .map(|i| {
                        (
                            LotAvis::AUCUN.element(i),
                            c.champ
                                .replace("$.contrats[*]", &format!("$.contrats[{i}]")),
                            format!(" (contrat {})", i + 1),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The checks of the results, contracts and companies.
pub(crate) fn verifier_resultats(s: &Sources<'_>, k: &mut Constats) {
    let Some(r) = s.resultat.as_ref() else {
        return;
    };
    let ident = &s.consultation.identification;
    if matches!(
        ident.type_contrat,
        TypeContrat::AccordCadreMonoAttributaire
            | TypeContrat::AccordCadreMultiAttributaires
            | TypeContrat::SystemeAcquisitionDynamique
            | TypeContrat::MarcheSpecifique
    ) {
        k.ajouter(
            CodeErreur::AvisNonPrisEnCharge,
            Gravite::Erreur,
            "BT-765-Lot",
            "$.consultation.identification.type_contrat".into(),
            "l'avis d'attribution d'un accord-cadre ou d'un système d'acquisition dynamique (valeurs maximales BT-709 / BT-118) n'est pas encore écrit par mpe".into(),
        );
    }
    for l in &r.lots {
        let n = l.numero;
        let nom = if n == 0 {
            "la consultation".to_string()
        } else {
            format!("le lot {n}")
        };
        let champ_decision = format!("$.decisions.{n}");
        match l.decision.map(|d| &d.decision) {
            None => k.ajouter(
                CodeErreur::TermeManquant,
                Gravite::Erreur,
                "BT-142-LotResult",
                champ_decision.clone(),
                format!("{nom} n'est pas encore décidé : l'avis d'attribution donne la décision de chaque lot"),
            ),
            Some(d @ (Decision::Selection { .. } | Decision::Autre { .. })) => k.ajouter(
                CodeErreur::AvisNonPrisEnCharge,
                Gravite::Erreur,
                "BT-142-LotResult",
                format!("{champ_decision}.decision"),
                format!("{nom} : la décision « {} » n'est pas un résultat (attribution, infructueux ou sans suite)", d.libelle()),
            ),
            Some(Decision::Attribution { attributaires }) => {
                for (i, a) in attributaires.iter().enumerate() {
                    if !r.offres.iter().any(|o| r.lots.get(o.lot).is_some_and(|x| x.numero == n) && o.attributaire == i) {
                        k.invalide(
                            "BT-3201-Tender",
                            format!("{champ_decision}.decision.attributaires[{i}].pli"),
                            format!("{nom} : le pli {} de l'attributaire n'existe pas dans la procédure", a.pli),
                        );
                    }
                }
                match l.contrats.len() {
                    0 => k.ajouter(
                        CodeErreur::TermeManquant,
                        Gravite::Erreur,
                        "BT-150-Contract",
                        "$.contrats".into(),
                        format!("{nom} est attribué : donner son contrat (numéro, date de notification)"),
                    ),
                    1 => {}
                    _ => k.ajouter(
                        CodeErreur::AvisNonPrisEnCharge,
                        Gravite::Erreur,
                        "BT-150-Contract",
                        "$.contrats".into(),
                        format!("{nom} : plusieurs contrats pour un lot (accord-cadre, SAD) ne sont pas écrits par mpe"),
                    ),
                }
                for &o in &l.offres {
                    let Some(o) = r.offres.get(o) else { continue };
                    if o.contrat.is_none() && !l.contrats.is_empty() {
                        let g = r.gagnants.get(o.gagnant).map(|g| g.entreprise.raison_sociale.as_str()).unwrap_or("");
                        k.invalide(
                            "BT-3202-Contract",
                            format!("$.contrats[{}].contrat.titulaires", l.contrats[0]),
                            format!("{nom} : l'attributaire {g} (pli {}) n'est pas titulaire du contrat du lot", o.pli),
                        );
                    }
                }
            }
            Some(Decision::Infructueuse { .. } | Decision::SansSuite { .. }) => {
                if l.motif() == Some(MotifNonAttribution::AucuneOffre) && l.offres_recues > 0 {
                    k.invalide(
                        "BT-144-LotResult",
                        "$.donnees.non_attributions",
                        format!("{nom} a reçu {} offre(s) : le motif « aucune offre reçue » ne convient pas", l.offres_recues),
                    );
                }
            }
        }
        if l.statut() != Some("clos-nw") && s.donnees.non_attributions.iter().any(|x| x.lot == n) {
            k.invalide(
                "BT-144-LotResult",
                "$.donnees.non_attributions",
                format!(
                    "{nom} n'est ni infructueux ni sans suite : pas de motif de non-attribution"
                ),
            );
        }
        if l.avec_statistiques()
            && let Err(inconnues) = &l.tailles
        {
            k.ajouter(
                CodeErreur::TermeManquant,
                Gravite::Erreur,
                "BT-760-LotResult",
                "$.donnees.entreprises".into(),
                format!(
                    "{nom} : taille inconnue de {} (l'avis décompte les offres des PME et des grandes entreprises)",
                    inconnues.join(", ")
                ),
            );
        }
    }
    let aujourd_hui = s
        .maintenant
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    for (i, c) in r.contrats.iter().enumerate() {
        if !r
            .lots
            .iter()
            .any(|l| l.numero == c.lot && l.statut() == Some("selec-w"))
        {
            k.invalide(
                "BT-150-Contract",
                format!("$.contrats[{i}].lot"),
                format!(
                    "le contrat {} est rattaché au lot {}, qui n'est pas attribué",
                    c.contrat.id, c.lot
                ),
            );
        }
        if let Some(d) = c.contrat.date_notification
            && d > aujourd_hui
        {
            k.invalide(
                "BT-145-Contract",
                format!("$.contrats[{i}].contrat.dateNotification"),
                format!(
                    "le contrat {} est notifié le {d}, après l'envoi de l'avis",
                    c.contrat.id
                ),
            );
        }
    }
}
