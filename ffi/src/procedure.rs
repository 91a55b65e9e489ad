//! C ABI of `mpe::procedure`: the lifecycle of a consultation as JSON in, JSON out.
//!
//! The state (`etat`), actions, contexts and parameters are the JSON of the Rust types
//! (`Procedure`, `Action`, `ContexteDonnees`, `ParametresSuite`), the same as Python's.
//! A context is `{"maintenant": "2026-12-15T10:59:59Z", "acteur": {"type": "agent", "id":
//! "a.martin"}, "organisation": {...}}`. Journal entries come out as JSON Lines (one entry
//! per line, each ending with `\n`), ready to append to the host's journal file.

use std::ffi::c_char;

use mpe::procedure::{
    Action, ContexteDonnees, Diffusion, EntreeJournal, FiltreDestinataires, ParametresSuite,
    Procedure, TeteJournal,
};
use mpe::{CodeErreur, Erreur};

use crate::frontiere::{
    Contenu, appeler, instant, json, json_facultatif, json_texte, mpe_instant, mpe_octets,
    mpe_statut, octets_sortie, texte, texte_utf8,
};

fn etat(ptr: *const u8, longueur: usize) -> Result<Procedure, Erreur> {
    json(ptr, longueur, "etat")
}

fn contexte(ptr: *const u8, longueur: usize) -> Result<ContexteDonnees, Erreur> {
    json(ptr, longueur, "contexte")
}

fn jsonl(entrees: &[EntreeJournal]) -> Result<Contenu, Erreur> {
    Ok(mpe::procedure::exporter_jsonl(entrees)?.into())
}

/// Open the procedure of a consultation: `etat_sortie` receives the state,
/// `journal_sortie` the first journal lines (JSON Lines).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_nouvelle(
    consultation_json: *const u8,
    consultation_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    etat_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
        ),
        || {
            let c = json(consultation_json, consultation_longueur, "consultation")?;
            let ctx = contexte(contexte_json, contexte_longueur)?;
            let (p, j) = Procedure::nouvelle(c, &ctx.contexte())?;
            Ok((p.to_json().into(), jsonl(&j)?))
        },
    )
}

/// Apply an action (`Action`) to a procedure state: the new state and the journal lines
/// it adds. On error the state is unchanged (nothing is written).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_appliquer(
    etat_json: *const u8,
    etat_longueur: usize,
    action_json: *const u8,
    action_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    etat_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
        ),
        || {
            let mut p = etat(etat_json, etat_longueur)?;
            let a: Action = json(action_json, action_longueur, "action")?;
            let ctx = contexte(contexte_json, contexte_longueur)?;
            let j = p.appliquer(&a, &ctx.contexte())?;
            Ok((p.to_json().into(), jsonl(&j)?))
        },
    )
}

/// Create a follow-up procedure (`ParametresSuite`): the updated state and the new one,
/// with the journal lines of each.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_creer_suite(
    etat_json: *const u8,
    etat_longueur: usize,
    parametres_json: *const u8,
    parametres_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    etat_sortie: *mut mpe_octets,
    suite_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
    journal_suite_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(suite_sortie, "suite_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
            octets_sortie(journal_suite_sortie, "journal_suite_sortie"),
        ),
        || {
            let mut p = etat(etat_json, etat_longueur)?;
            let params: ParametresSuite = json(parametres_json, parametres_longueur, "parametres")?;
            let ctx = contexte(contexte_json, contexte_longueur)?;
            let (suite, ja, js) = p.creer_suite(&params, &ctx.contexte())?;
            Ok((
                p.to_json().into(),
                suite.to_json().into(),
                jsonl(&ja)?,
                jsonl(&js)?,
            ))
        },
    )
}

/// The phase of a procedure at `maintenant`, as text (its `snake_case` name).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_calculer_phase(
    etat_json: *const u8,
    etat_longueur: usize,
    maintenant: mpe_instant,
    phase_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(phase_sortie, "phase_sortie"), || {
        let p = etat(etat_json, etat_longueur)?;
        let t = instant(maintenant, "maintenant")?;
        let nom = serde_json::to_value(p.phase_a(t))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .ok_or_else(|| Erreur::internal("phase"))?;
        Ok(nom.into())
    })
}

/// The registers (retraits, questions, dépôts) of a procedure, as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_lister_registres(
    etat_json: *const u8,
    etat_longueur: usize,
    registres_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(registres_sortie, "registres_sortie"), || {
        json_texte(&etat(etat_json, etat_longueur)?.registres())
    })
}

/// The companies to inform (`diffusion`: `retraits`, `questions`, `soumissionnaires` or
/// `tous`), as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_lister_destinataires(
    etat_json: *const u8,
    etat_longueur: usize,
    diffusion: *const c_char,
    destinataires_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(destinataires_sortie, "destinataires_sortie"),
        || {
            let d: Diffusion = serde_json::from_value(serde_json::Value::String(
                texte(diffusion, "diffusion")?.to_string(),
            ))
            .map_err(|_| {
                Erreur::invalid_argument(
                    "diffusion : retraits, questions, soumissionnaires ou tous",
                )
            })?;
            json_texte(&etat(etat_json, etat_longueur)?.destinataires(d))
        },
    )
}

/// The recipients of a letter chosen by `filtre_json` (`FiltreDestinataires`), as JSON.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_lister_destinataires_courrier(
    etat_json: *const u8,
    etat_longueur: usize,
    filtre_json: *const u8,
    filtre_longueur: usize,
    destinataires_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(destinataires_sortie, "destinataires_sortie"),
        || {
            let f: FiltreDestinataires = json(filtre_json, filtre_longueur, "filtre")?;
            json_texte(&etat(etat_json, etat_longueur)?.destinataires_courrier(&f)?)
        },
    )
}

/// The receipt of the electronic pli number `pli` drawn from a journal (JSON Lines).
/// Absent: `MPE_PLI_INCONNU`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_journal_generer_accuse(
    journal_jsonl: *const u8,
    journal_longueur: usize,
    pli: u32,
    accuse_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(accuse_sortie, "accuse_sortie"), || {
        let entrees =
            mpe::procedure::lire_jsonl(texte_utf8(journal_jsonl, journal_longueur, "journal")?)?;
        let a = mpe::procedure::accuse(&entrees, pli).ok_or_else(|| {
            Erreur::new(
                CodeErreur::PliInconnu,
                format!("pli électronique {pli} absent du journal"),
            )
        })?;
        json_texte(a)
    })
}

/// The chain of related procedures (initial, follow-ups) of the consultation `id`, drawn
/// from `etats_json` (a JSON array of states).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_chainer(
    etats_json: *const u8,
    etats_longueur: usize,
    id: *const c_char,
    chaine_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(chaine_sortie, "chaine_sortie"), || {
        let toutes: Vec<Procedure> = json(etats_json, etats_longueur, "etats")?;
        let id = texte(id, "id")?;
        let depart = toutes
            .iter()
            .find(|p| p.consultation.id == id)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::ReferenceInconnue,
                    format!("consultation {id} absente"),
                )
            })?;
        json_texte(&mpe::procedure::chaine(depart, &toutes))
    })
}

/// Verify a journal (JSON Lines): every line's hash chain, and its head against the state
/// `etat_json` when given (NULL/0: no state). `MPE_OK` or `MPE_JOURNAL_CORROMPU`. An empty
/// journal (NULL/0 included) is judged by the core like any other: corrupt, since a
/// procedure always has its opening line, unless the state's head says it is empty.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_journal_verifier(
    journal_jsonl: *const u8,
    journal_longueur: usize,
    etat_json: *const u8,
    etat_longueur: usize,
) -> mpe_statut {
    appeler((), || {
        let texte = texte_utf8(journal_jsonl, journal_longueur, "journal")?;
        let tete: Option<TeteJournal> =
            json_facultatif::<Procedure>(etat_json, etat_longueur, "etat")?.map(|p| p.journal);
        mpe::procedure::verifier_jsonl(texte, tete.as_ref())
    })
}

/// Write journal entries (a JSON array of `EntreeJournal`) as JSON Lines.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_journal_exporter(
    entrees_json: *const u8,
    entrees_longueur: usize,
    journal_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(journal_sortie, "journal_sortie"), || {
        let v: Vec<EntreeJournal> = json(entrees_json, entrees_longueur, "entrees")?;
        jsonl(&v)
    })
}

// --- The data of the DAJ forms and the letter of modification, from the state (#18).

/// The data of the DAJ forms (OUV3 … NOT18) filled from the procedure's state `etat_json`
/// and its organisation `organisation_json`: `donnees_sortie` receives the
/// `DonneesProcedure` JSON that `mpe_formulaire_generer` merges. `parametres_json`
/// (NULL/0: defaults) is what the state does not hold: `{"lot", "pli", "date", "lieu",
/// "tribunal", "criteres", "commission", "contrat", …}` (schemas/parametres_documents).
/// An unknown lot gives `MPE_LOT_INCONNU`, an unknown pli `MPE_PLI_INCONNU`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_generer_donnees_documents(
    etat_json: *const u8,
    etat_longueur: usize,
    organisation_json: *const u8,
    organisation_longueur: usize,
    parametres_json: *const u8,
    parametres_longueur: usize,
    donnees_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(donnees_sortie, "donnees_sortie"), || {
        let p = etat(etat_json, etat_longueur)?;
        let org: mpe::model::Organisation =
            json(organisation_json, organisation_longueur, "organisation")?;
        let parametres: mpe::documents::ParametresDocuments =
            json_facultatif(parametres_json, parametres_longueur, "parametres")?
                .unwrap_or_default();
        json_texte(&mpe::documents::donnees_documents(&p, &org, &parametres)?)
    })
}

/// The letter of modification of version `version` of the DCE (made by the action
/// `modifier_consultation_publiee`), to every company of the retraits register, as
/// `Courrier` JSON in `courrier_sortie`. The pièces added or replacing are attached: their
/// bytes come as `nombre` buffers `pieces[i]` (`longueurs[i]` bytes) named `noms[i]`, each
/// checked against the hash recorded in the version (`MPE_PIECE_NON_FOURNIE` when one is
/// missing, `MPE_PIECE_ALTEREE` when its bytes differ).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn mpe_procedure_generer_courrier_modification(
    etat_json: *const u8,
    etat_longueur: usize,
    version: u32,
    noms: *const *const c_char,
    pieces: *const *const u8,
    longueurs: *const usize,
    nombre: usize,
    courrier_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(courrier_sortie, "courrier_sortie"), || {
        let p = etat(etat_json, etat_longueur)?;
        let noms = crate::frontiere::tableau(noms, nombre, "noms")?;
        let ptrs = crate::frontiere::tableau(pieces, nombre, "pieces")?;
        let longueurs = crate::frontiere::tableau(longueurs, nombre, "longueurs")?;
        let mut jointes = Vec::with_capacity(nombre);
        for i in 0..nombre {
            jointes.push((
                texte(noms[i], &format!("noms[{i}]"))?.to_string(),
                crate::frontiere::octets(ptrs[i], longueurs[i], &format!("pieces[{i}]"))?.to_vec(),
            ));
        }
        json_texte(&p.courrier_modification(version, &jointes)?)
    })
}
