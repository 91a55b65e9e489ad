//! A whole procedure, end to end, with a French summary: the consultation of the shared
//! scenario (3 lots, 4 companies, restricted access) is validated, downloaded, questioned,
//! bid on (one company twice, one a second late, one on paper after the DLRO), opened,
//! analysed and decided — with a decision reset — then archived; the journal is verified.
//!
//! `cargo run -p mpe --example procedure` (add `-- --journal journal.jsonl` to write the
//! journal as JSON Lines).

use chrono::{DateTime, Utc};
use mpe::format::{date_heure, montant};
use mpe::model::{Consultation, Organisation};
use mpe::procedure::{
    Acteur, Action, Contexte, Decision, Diffusion, EntreeJournal, Evenement, Procedure,
    StatutEnveloppe, exporter_jsonl, verifier_journal,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Creation {
    maintenant: DateTime<Utc>,
    acteur: Acteur,
}

#[derive(Deserialize)]
struct Etape {
    maintenant: DateTime<Utc>,
    acteur: Acteur,
    action: Action,
    note: String,
}

#[derive(Deserialize)]
struct Scenario {
    organisation: Organisation,
    consultation: Consultation,
    creation: Creation,
    etapes: Vec<Etape>,
}

fn qui(a: &Acteur, action: &Action, org: &Organisation, p: &Procedure) -> String {
    let dans_action = match action {
        Action::Deposer { entreprise, .. } | Action::PoserQuestion { entreprise, .. } => {
            Some(entreprise)
        }
        Action::EnregistrerRetrait { entreprise, .. } => entreprise.as_ref(),
        _ => None,
    };
    if let Some(e) = dans_action {
        return e.raison_sociale.clone();
    }
    match a {
        Acteur::Agent { id } => org.agent(id).map_or(id.clone(), |x| x.nom_complet()),
        Acteur::Entreprise { identifiant } => p
            .plis
            .iter()
            .map(|x| &x.entreprise)
            .chain(p.retraits.iter().filter_map(|r| r.entreprise.as_ref()))
            .find(|e| &e.identifiant == identifiant)
            .map_or(identifiant.to_string(), |e| e.raison_sociale.clone()),
        Acteur::Anonyme => "anonyme".into(),
        Acteur::Systeme => "plateforme".into(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let s: Scenario =
        serde_json::from_str(include_str!("../../tests/vectors/procedure/scenario.json"))?;
    let org = &s.organisation;
    let ctx = |t, a| Contexte {
        maintenant: t,
        acteur: a,
        organisation: org,
    };
    let (mut p, mut journal): (Procedure, Vec<EntreeJournal>) = Procedure::nouvelle(
        s.consultation,
        &ctx(s.creation.maintenant, &s.creation.acteur),
    )?;
    let c = &p.consultation;
    println!(
        "Consultation {} — {}\n{} · {} lots · accès {}\n",
        c.identification.reference,
        c.identification.intitule,
        c.identification.procedure.libelle(),
        c.lots.len(),
        if c.acces.code_acces.is_some() {
            "restreint (code d'accès)"
        } else {
            "public"
        }
    );

    println!("Déroulement");
    for e in &s.etapes {
        let avant = p.phase;
        let acteur = qui(&e.acteur, &e.action, org, &p);
        match p.appliquer(&e.action, &ctx(e.maintenant, &e.acteur)) {
            Ok(entrees) => {
                println!(
                    "  {}  ✔ {:<24} {}{}",
                    date_heure(e.maintenant),
                    e.action.nom(),
                    acteur,
                    if e.note.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", e.note)
                    }
                );
                for x in &entrees {
                    match &x.evenement {
                        Evenement::PhaseChangee { vers, le, .. } if *vers != avant => {
                            println!(
                                "                      → phase « {} » le {}",
                                vers.libelle(),
                                date_heure(*le)
                            )
                        }
                        Evenement::PliDepose { accuse, remplace } => println!(
                            "                      → pli n° {} horodaté {} ({} fichiers){}",
                            accuse.pli,
                            mpe::rules::temps::heure_paris(accuse.horodatage)
                                .format("%d/%m/%Y %H:%M:%S"),
                            accuse.fichiers.len(),
                            remplace.map_or(String::new(), |n| format!(", remplace le pli n° {n}"))
                        ),
                        Evenement::EnveloppeOuverte { ecarts, .. } if !ecarts.is_empty() => {
                            println!("                      ⚠ {}", ecarts.join(" ; "))
                        }
                        Evenement::DechiffrementEchoue { message, .. } => {
                            println!("                      ⚠ déchiffrement : {message}")
                        }
                        _ => {}
                    }
                }
                journal.extend(entrees);
            }
            Err(err) => println!(
                "  {}  ✘ {:<24} {} — refusé : {} [{}]",
                date_heure(e.maintenant),
                e.action.nom(),
                acteur,
                err,
                err.code().name()
            ),
        }
    }

    let r = p.registres();
    println!("\nRegistres");
    println!(
        "  retraits : {} identifié(s) + {} anonyme(s) · questions : {} ({} répondue(s)) · dépôts : {}",
        r.retraits_identifies,
        r.retraits_anonymes,
        r.questions,
        r.questions_repondues,
        r.libelle_depots
    );
    for pli in &p.plis {
        let etat = if pli.hors_delai {
            "hors délai, jamais ouvert".to_string()
        } else if let Some(n) = pli.remplace_par {
            format!("remplacé par le pli n° {n}, reste fermé")
        } else {
            let ouvertes = pli
                .enveloppes
                .iter()
                .filter(|e| matches!(e.statut, StatutEnveloppe::Ouverte { .. }))
                .count();
            format!(
                "{ouvertes}/{} enveloppe(s) ouverte(s)",
                pli.enveloppes.len()
            )
        };
        println!(
            "  pli n° {} {:<12} {:<32} lots {:?} — {}",
            pli.numero,
            pli.mode.libelle(),
            pli.entreprise.raison_sociale,
            pli.lots,
            etat
        );
    }

    println!("\nDécisions");
    for (lot, d) in &p.decisions {
        let titre = p
            .consultation
            .lot(*lot)
            .map_or("consultation".to_string(), |l| {
                format!("lot {lot} — {}", l.intitule)
            });
        let detail = match &d.decision {
            Decision::Attribution { attributaires } => attributaires
                .iter()
                .map(|a| {
                    let e = p
                        .pli(a.pli)
                        .map_or("?", |x| x.entreprise.raison_sociale.as_str());
                    format!("attribué à {e} pour {} HT", montant(a.montant.centimes()))
                })
                .collect::<Vec<_>>()
                .join(", "),
            autre => autre.libelle().to_string(),
        };
        let standstill = match d.lettres_rejet.as_ref() {
            Some(l) => match l.signature_possible_le {
                Some(date) => format!(
                    " · signature possible à partir du {}",
                    mpe::format::date(date)
                ),
                None => " · pas de délai de suspension (offre unique)".into(),
            },
            None => String::new(),
        };
        println!("  {titre} : {detail}{standstill}");
    }
    let resets = journal
        .iter()
        .filter(|e| matches!(e.evenement, Evenement::DecisionReinitialisee { .. }))
        .count();
    println!("  ({resets} décision réinitialisée, consignée au journal)");
    println!(
        "  à prévenir (soumissionnaires) : {}",
        p.destinataires(Diffusion::Soumissionnaires)
            .iter()
            .map(|d| d.email.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    verifier_journal(&journal, Some(&p.journal))?;
    println!(
        "\nJournal : {} entrées chaînées par SHA-256, vérifié ; dernière empreinte {}",
        journal.len(),
        p.journal.empreinte
    );
    println!("Phase finale : {}", p.phase.libelle());

    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--journal"
            && let Some(chemin) = args.next()
        {
            std::fs::write(&chemin, exporter_jsonl(&journal)?)?;
            println!("Journal écrit dans {chemin} (JSON Lines)");
        }
    }
    Ok(())
}
