//! C ABI of the dépôt on the envelopes' bytes and of the opening in the library
//! (`Procedure::deposer_octets`, `Procedure::ouvrir_plis`).
//!
//! The dépôt takes the envelopes as buffers or as paths, in the order of the `deposer`
//! action's `enveloppes`; mpe computes their sizes and hashes and checks their encryption
//! itself. The opening reads the envelopes through the host's `lire` callback, hands the
//! state and the journal lines to its `enregistrer` callback after each envelope, and
//! reports its steps to `progression` (see `mpe_rappels_ouverture`).

use std::ffi::{CString, c_char};
use std::io::Read;

use mpe::crypto::cms::Cle;
use mpe::crypto::dechiffreur::CleDechiffrement;
use mpe::crypto::jeton::{self, ReferenceJeton};
use mpe::procedure::{
    Action, BilanOuverture, ContexteDonnees, EntreeJournal, EtapeOuverture, OptionsOuvertureJson,
    Procedure, Rappels, RefEnveloppe, StockagePlis, nom_enveloppe,
};
use mpe::{CodeErreur, Erreur};

use crate::frontiere::{
    Contenu, appeler, chemin, enregistrer_rappel, json, json_facultatif, json_texte, lire_rappel,
    mpe_octets, mpe_rappels_ouverture, mpe_statut, octets, octets_sortie, poignee, progresser,
    tableau, texte_facultatif,
};

fn jsonl(entrees: &[EntreeJournal]) -> Result<Contenu, Erreur> {
    Ok(mpe::procedure::exporter_jsonl(entrees)?.into())
}

/// Deposit with readers, the state written back only on success.
fn deposer(
    etat_json: *const u8,
    etat_longueur: usize,
    action_json: *const u8,
    action_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    flux: &mut [Box<dyn Read + '_>],
) -> Result<(Contenu, Contenu), Erreur> {
    let mut p: Procedure = json(etat_json, etat_longueur, "etat")?;
    let a: Action = json(action_json, action_longueur, "action")?;
    let ctx: ContexteDonnees = json(contexte_json, contexte_longueur, "contexte")?;
    let mut lecteurs: Vec<&mut dyn Read> = flux.iter_mut().map(|f| &mut **f as _).collect();
    let j = p.deposer_octets(&a, &mut lecteurs, &ctx.contexte())?;
    Ok((p.to_json().into(), jsonl(&j)?))
}

/// Submit an electronic pli with its envelopes' bytes: `enveloppes[i]` (`longueurs[i]`
/// bytes) is the envelope `enveloppes[i]` of the `deposer` action, as the company sent it.
/// mpe computes sizes and SHA-256, checks that each envelope is a CMS envelope addressed
/// to exactly the consultation's keys (secours included) with an allowed cipher, and
/// writes the receipt from what it computed. Refusals, the state unchanged (nothing
/// written): `MPE_ENVELOPPE_NON_CHIFFREE`, `MPE_ENVELOPPE_NON_CMS`,
/// `MPE_DESTINATAIRES_INCORRECTS`, `MPE_CLE_SECOURS_ABSENTE`,
/// `MPE_CHIFFREMENT_NON_AUTORISE`, `MPE_DECLARATION_INCORRECTE`, and the rules of the
/// dépôt (`MPE_HORS_DELAI` …). `enveloppes` and `longueurs` hold `nombre` entries (NULL
/// only with 0).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_deposer_octets(
    etat_json: *const u8,
    etat_longueur: usize,
    action_json: *const u8,
    action_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    enveloppes: *const *const u8,
    longueurs: *const usize,
    nombre: usize,
    etat_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
        ),
        || {
            let ptrs = tableau(enveloppes, nombre, "enveloppes")?;
            let longueurs = tableau(longueurs, nombre, "longueurs")?;
            let mut flux: Vec<Box<dyn Read>> = ptrs
                .iter()
                .zip(longueurs)
                .enumerate()
                .map(|(i, (&p, &n))| {
                    octets(p, n, &format!("enveloppes[{i}]")).map(|b| Box::new(b) as Box<dyn Read>)
                })
                .collect::<Result<_, _>>()?;
            deposer(
                etat_json,
                etat_longueur,
                action_json,
                action_longueur,
                contexte_json,
                contexte_longueur,
                &mut flux,
            )
        },
    )
}

/// `mpe_procedure_deposer_octets` with the envelopes as files: `chemins[i]` is the
/// envelope `enveloppes[i]` of the `deposer` action, read once as a stream (any size).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_deposer_fichiers(
    etat_json: *const u8,
    etat_longueur: usize,
    action_json: *const u8,
    action_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    chemins: *const *const c_char,
    nombre: usize,
    etat_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
        ),
        || {
            let mut flux: Vec<Box<dyn Read>> = tableau(chemins, nombre, "chemins")?
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    let p = chemin(c, &format!("chemins[{i}]"))?;
                    let f = std::fs::File::open(p).map_err(|e| {
                        Erreur::new(CodeErreur::Es, format!("{} : {e}", p.display()))
                    })?;
                    Ok(Box::new(std::io::BufReader::with_capacity(256 * 1024, f)) as Box<dyn Read>)
                })
                .collect::<Result<_, Erreur>>()?;
            deposer(
                etat_json,
                etat_longueur,
                action_json,
                action_longueur,
                contexte_json,
                contexte_longueur,
                &mut flux,
            )
        },
    )
}

/// The host's storage through its `lire` callback.
struct StockageRappel<'a>(&'a mpe_rappels_ouverture);

struct LecteurRappel<'a> {
    rappel: &'a mpe_rappels_ouverture,
    pli: u32,
    nom: CString,
    position: u64,
}

impl Read for LecteurRappel<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = lire_rappel(self.rappel, self.pli, &self.nom, self.position, buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl StockagePlis for StockageRappel<'_> {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> mpe::Result<Box<dyn Read + '_>> {
        let nom = CString::new(nom_enveloppe(r))
            .map_err(|_| Erreur::internal("nom d'enveloppe avec NUL"))?;
        Ok(Box::new(std::io::BufReader::with_capacity(
            256 * 1024,
            LecteurRappel {
                rappel: self.0,
                pli,
                nom,
                position: 0,
            },
        )))
    }
}

/// Open the electronic envelopes still closed of a consultation (its candidatures, then
/// the offers whose candidature is open and admitted), in the library: each envelope is
/// read through `rappels->lire`, checked against the size and SHA-256 of its dépôt,
/// decrypted with the key pair `cle` (PKCS#12 or PEM certificate + private key, password
/// `mot_de_passe` or NULL), its ZIP checked (paths, bomb) and extracted under `dossier`
/// (`pli-<n>/<enveloppe>/…`, a file appears only when complete), every signature inside
/// verified, and the opening recorded with the verified results. An envelope that fails
/// is recorded as a failed decryption and stays closed.
///
/// After each envelope, `rappels->enregistrer` receives the state and the new journal
/// lines: a crash loses nothing, and a new call goes on where the journal stopped (an
/// envelope recorded as opened is never opened twice). A status other than `MPE_OK` from
/// it stops the opening: `MPE_OUVERTURE_INTERROMPUE`. `rappels->progression` receives
/// the steps as JSON: `{"etape": "descripteurs", "enveloppes": N}`, `{"etape":
/// "cle_privee"}`, `{"etape": "dechiffrement", "index", "total", "pli", "enveloppe",
/// "octets", "octets_par_seconde"}` and `{"etape": "termine", "ouvertes", "echecs"}`.
///
/// `options_json` (NULL/0: defaults): `{"plis": [1, 3], "mode": "en_ligne" | "hors_ligne",
/// "fils": 0, "verification": {"ancres_pem": …, "date_verification": …}}`. On success
/// `etat_sortie` receives the final state, `journal_sortie` every journal line of the call
/// (JSON Lines) and `bilan_sortie` (may be NULL) `{"ouvertes": [[pli, {"enveloppe", "lot"}]],
/// "echecs": [[pli, {…}, {"code", "message"}]]}`. A refusal before any envelope is read
/// (phase, habilitation) leaves the state and the folder untouched.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_ouvrir_plis(
    etat_json: *const u8,
    etat_longueur: usize,
    cle: *const u8,
    cle_longueur: usize,
    mot_de_passe: *const c_char,
    dossier: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    rappels: *const mpe_rappels_ouverture,
    etat_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
    bilan_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
            crate::frontiere::octets_sortie_facultative(bilan_sortie, "bilan_sortie"),
        ),
        || {
            ouvrir(
                etat_json,
                etat_longueur,
                dossier,
                options_json,
                options_longueur,
                contexte_json,
                contexte_longueur,
                rappels,
                |ouvrir_avec| {
                    let cle = CleDechiffrement::charger(
                        octets(cle, cle_longueur, "cle")?,
                        texte_facultatif(mot_de_passe, "mot_de_passe")?,
                    )?;
                    ouvrir_avec(&[Cle::Privee(&cle)])
                },
            )
        },
    )
}

/// `mpe_procedure_ouvrir_plis` with the private key on a PKCS#11 token or smart card,
/// named by `reference_json` as for `mpe_cms_dechiffrer_jeton` (`{"module", "jeton", "cle"
/// | "id"}`), logged in with `pin` (NULL: no login). The key never leaves the token; the
/// decryption runs on the calling thread (a PKCS#11 session is not shared), extraction
/// and verification on the other cores. A wrong PIN gives `MPE_PIN_INCORRECT`, an unknown
/// token `MPE_JETON_ABSENT`, an unknown key `MPE_CLE_ABSENTE_DU_JETON`, before any envelope
/// is read.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_procedure_ouvrir_plis_jeton(
    etat_json: *const u8,
    etat_longueur: usize,
    reference_json: *const u8,
    reference_longueur: usize,
    pin: *const c_char,
    dossier: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    rappels: *const mpe_rappels_ouverture,
    etat_sortie: *mut mpe_octets,
    journal_sortie: *mut mpe_octets,
    bilan_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        (
            octets_sortie(etat_sortie, "etat_sortie"),
            octets_sortie(journal_sortie, "journal_sortie"),
            crate::frontiere::octets_sortie_facultative(bilan_sortie, "bilan_sortie"),
        ),
        || {
            ouvrir(
                etat_json,
                etat_longueur,
                dossier,
                options_json,
                options_longueur,
                contexte_json,
                contexte_longueur,
                rappels,
                |ouvrir_avec| {
                    let r: ReferenceJeton = json(reference_json, reference_longueur, "reference")?;
                    let pin = texte_facultatif(pin, "pin")?;
                    jeton::avec_cle(&r, pin, |k| ouvrir_avec(&[Cle::Privee(k)]))
                },
            )
        },
    )
}

/// Open with the keys `avec_cles` hands to the opening (a key pair, a token's key).
#[allow(clippy::too_many_arguments)]
fn ouvrir(
    etat_json: *const u8,
    etat_longueur: usize,
    dossier: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    contexte_json: *const u8,
    contexte_longueur: usize,
    rappels: *const mpe_rappels_ouverture,
    avec_cles: impl FnOnce(
        &mut dyn FnMut(&[Cle<'_>]) -> mpe::Result<BilanOuverture>,
    ) -> mpe::Result<BilanOuverture>,
) -> Result<(Contenu, Contenu, Contenu), Erreur> {
    let rappels = poignee(rappels, "rappels")?;
    if rappels.lire.is_none() {
        return Err(Erreur::invalid_argument("rappels->lire : pointeur NULL"));
    }
    let mut p: Procedure = json(etat_json, etat_longueur, "etat")?;
    let o: OptionsOuvertureJson =
        json_facultatif(options_json, options_longueur, "options")?.unwrap_or_default();
    let ctx: ContexteDonnees = json(contexte_json, contexte_longueur, "contexte")?;
    let (plis, options) = o.options(chemin(dossier, "dossier")?)?;
    let progression = rappels.progression;
    let utilisateur = rappels.utilisateur;
    let mut progres = |e: &EtapeOuverture| progresser(progression, utilisateur, e);
    let mut toutes: Vec<EntreeJournal> = Vec::new();
    let mut enregistrer = |etat: &Procedure, j: &[EntreeJournal]| -> mpe::Result<()> {
        let lignes = mpe::procedure::exporter_jsonl(j)?;
        let statut = enregistrer_rappel(rappels, etat.to_json().as_bytes(), lignes.as_bytes());
        if statut != 0 {
            return Err(Erreur::new(
                CodeErreur::OuvertureInterrompue,
                format!("ouverture interrompue : l'hôte a répondu {statut} à l'enregistrement"),
            ));
        }
        toutes.extend_from_slice(j);
        Ok(())
    };
    let contexte = ctx.contexte();
    let bilan = {
        let mut ouvrir_avec = |cles: &[Cle<'_>]| {
            p.ouvrir_plis(
                &plis,
                &StockageRappel(rappels),
                cles,
                &options,
                &mut Rappels {
                    progres: &mut progres,
                    enregistrer: &mut enregistrer,
                },
                &contexte,
            )
        };
        avec_cles(&mut ouvrir_avec)?
    };
    Ok((p.to_json().into(), jsonl(&toutes)?, json_texte(&bilan)?))
}
