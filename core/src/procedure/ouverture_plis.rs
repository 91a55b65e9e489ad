//! The opening of the plis in the library: each envelope fetched from the host's storage,
//! decrypted, its ZIP checked and extracted, every signature inside verified, and the
//! opening recorded with what was found — never with what the host says.
//!
//! With keys that may be shared between threads (a key pair from a file, see
//! [`Procedure::ouvrir_plis_partage`]) each envelope is read, decrypted, extracted and
//! verified on its own core. Keys that may not (a token) decrypt on the calling thread
//! ([`Procedure::ouvrir_plis`]); extraction and verification of the envelopes already
//! decrypted then run meanwhile on the other cores. Each envelope's opening is applied
//! and handed to the host's `enregistrer` as soon as it is done, in a fixed order, so that a
//! crash loses at most the envelopes in progress and a new call goes on where the journal
//! stopped: an envelope recorded as opened is never opened twice. Files appear in their
//! final folder only once complete (written under `.en-cours/`, then renamed).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::action::{Action, OuvertureEnveloppe, ResultatDechiffrement};
use super::contexte::Contexte;
use super::etat::Procedure;
use super::faits::Faits;
use super::journal::EntreeJournal;
use crate::crypto::cms::{self, Cle, OptionsDechiffrement};
use crate::crypto::dechiffreur::Dechiffreur;
use crate::crypto::enveloppe::{Limites, extraire};
use crate::model::{
    Empreinte, Fichier, ModeDepot, ModeOuvertureEnveloppe, RefEnveloppe, ResultatSignature,
    SignatureFichier, StatutEnveloppe,
};
use crate::model::{ModeOuverture, TypeEnveloppe};
use crate::signature::{
    self, DonneesSignees, OptionsVerification, OptionsVerificationJson, Statut,
};
use crate::{CodeErreur, Erreur, Result};

/// Where the host keeps the envelopes as deposited (its database, object store, folder).
pub trait StockagePlis {
    /// The bytes of envelope `enveloppe` of pli `pli`, exactly as deposited.
    fn lire(&self, pli: u32, enveloppe: RefEnveloppe) -> Result<Box<dyn Read + '_>>;
}

/// A folder holding the envelopes as `pli-<n>/<enveloppe>.p7m` (see
/// [`StockageDossier::chemin`]), e.g. an export for offline opening.
#[derive(Debug, Clone)]
pub struct StockageDossier {
    /// The folder.
    pub dossier: PathBuf,
}

impl StockageDossier {
    /// The file of an envelope: `pli-3/offre-lot-2.p7m`, `pli-1/candidature.p7m`.
    pub fn chemin(&self, pli: u32, r: RefEnveloppe) -> PathBuf {
        self.dossier
            .join(format!("pli-{pli}"))
            .join(format!("{}.p7m", nom_enveloppe(r)))
    }
}

impl StockagePlis for StockageDossier {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> Result<Box<dyn Read + '_>> {
        let p = self.chemin(pli, r);
        let f = std::fs::File::open(&p).map_err(|e| {
            Erreur::new(
                CodeErreur::Es,
                format!("enveloppe {r} du pli {pli} : {} : {e}", p.display()),
            )
        })?;
        Ok(Box::new(std::io::BufReader::with_capacity(256 * 1024, f)))
    }
}

/// `candidature`, `offre-lot-2`: the name of an envelope's file or folder.
pub fn nom_enveloppe(r: RefEnveloppe) -> String {
    let t = match r.enveloppe {
        TypeEnveloppe::Candidature => "candidature",
        TypeEnveloppe::Offre => "offre",
        TypeEnveloppe::OffreTechnique => "offre-technique",
        TypeEnveloppe::Anonymat => "anonymat",
    };
    if r.lot == 0 {
        t.to_string()
    } else {
        format!("{t}-lot-{}", r.lot)
    }
}

/// A step of the opening, as buyers know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "etape", rename_all = "snake_case")]
pub enum EtapeOuverture {
    /// The descripteurs of the envelopes to open were gathered.
    Descripteurs {
        /// Envelopes to open.
        enveloppes: usize,
    },
    /// The private key is being obtained.
    ClePrivee,
    /// Envelope `index` of `total` decrypted.
    Dechiffrement {
        /// 1-based.
        index: usize,
        /// Envelopes to open.
        total: usize,
        /// Pli n°.
        pli: u32,
        /// Which envelope.
        enveloppe: RefEnveloppe,
        /// Bytes of the envelope.
        octets: u64,
        /// Bytes decrypted per second since the start.
        octets_par_seconde: u64,
    },
    /// Done.
    Termine {
        /// Envelopes opened.
        ouvertes: usize,
        /// Envelopes that failed (they stay closed).
        echecs: usize,
    },
}

/// How to open.
#[derive(Debug, Clone)]
pub struct OptionsOuverture {
    /// Online (on the platform) or offline.
    pub mode: ModeOuvertureEnveloppe,
    /// Trust settings of the consultation for the signatures inside.
    pub verification: OptionsVerification,
    /// Where the files go: `<dossier>/pli-<n>/<enveloppe>/…`.
    pub dossier: PathBuf,
    /// ZIP limits (entries, expanded size, ratio).
    pub limites: Limites,
    /// Threads for extraction and verification (0: every core).
    pub fils: usize,
}

impl OptionsOuverture {
    /// Online opening into `dossier`, signatures checked with `verification`.
    pub fn new(dossier: impl Into<PathBuf>, verification: OptionsVerification) -> Self {
        OptionsOuverture {
            mode: ModeOuvertureEnveloppe::EnLigne,
            verification,
            dossier: dossier.into(),
            limites: Limites::default(),
            fils: 0,
        }
    }
}

/// The options of an opening as the bindings take them (C, Python, PHP, Java: the same
/// JSON): `{"plis": [1, 3], "mode": "en_ligne" | "hors_ligne", "fils": 0, "verification":
/// {…}}`, every field optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionsOuvertureJson {
    /// The plis to open (absent or empty: every pli).
    #[serde(default)]
    pub plis: Vec<u32>,
    /// `en_ligne` (default) or `hors_ligne`.
    #[serde(default)]
    pub mode: Option<ModeOuvertureEnveloppe>,
    /// Threads for extraction and verification (0: every core).
    #[serde(default)]
    pub fils: usize,
    /// The consultation's trust settings for the signatures inside.
    #[serde(default)]
    pub verification: Option<OptionsVerificationJson>,
}

impl OptionsOuvertureJson {
    /// The plis to open and the options of an opening into `dossier`.
    pub fn options(self, dossier: impl Into<PathBuf>) -> Result<(Vec<u32>, OptionsOuverture)> {
        let verification = match self.verification {
            Some(v) => v.try_into()?,
            None => OptionsVerification::default(),
        };
        let mut options = OptionsOuverture::new(dossier, verification);
        options.fils = self.fils;
        if let Some(m) = self.mode {
            options.mode = m;
        }
        Ok((self.plis, options))
    }
}

/// What was opened by one call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BilanOuverture {
    /// Envelopes opened, `(pli, envelope)`.
    pub ouvertes: Vec<(u32, RefEnveloppe)>,
    /// Envelopes that failed, with why (they stay closed and may be tried again).
    pub echecs: Vec<(u32, RefEnveloppe, Erreur)>,
}

/// The host's callbacks during an opening.
pub struct Rappels<'a> {
    /// Progress.
    pub progres: &'a mut dyn FnMut(&EtapeOuverture),
    /// Called after each envelope's opening (or failure) with the new state and the
    /// journal entries: store both before returning, so that a crash loses nothing.
    pub enregistrer: &'a mut dyn FnMut(&Procedure, &[EntreeJournal]) -> Result<()>,
}

impl std::fmt::Debug for Rappels<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rappels { .. }")
    }
}

/// One envelope decrypted, to extract and verify.
struct Travail {
    index: usize,
    zip: PathBuf,
    final_: PathBuf,
    en_cours: PathBuf,
}

/// Where the envelopes come from and which keys open them.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// Decryption on the calling thread (the keys need not be shareable).
    Appelant {
        stockage: &'a dyn StockagePlis,
        cles: &'a [Cle<'a>],
    },
    /// Every step of an envelope on a worker thread.
    Partagee {
        stockage: &'a (dyn StockagePlis + Sync),
        cles: &'a [&'a (dyn Dechiffreur + Sync)],
    },
}

fn est_offre(t: TypeEnveloppe) -> bool {
    matches!(t, TypeEnveloppe::Offre | TypeEnveloppe::OffreTechnique)
}

impl Procedure {
    /// Open pli `pli` (its candidature, then its offers): see [`Procedure::ouvrir_plis`].
    pub fn ouvrir_pli(
        &mut self,
        pli: u32,
        stockage: &dyn StockagePlis,
        cles: &[Cle<'_>],
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
    ) -> Result<BilanOuverture> {
        self.ouvrir_plis(&[pli], stockage, cles, options, rappels, ctx)
    }

    /// Open the electronic envelopes still closed of `plis` (empty: of every pli that
    /// counts): the candidatures first, then the offers whose candidature is open and not
    /// rejected (anonymat envelopes wait for the ranking and are left closed).
    ///
    /// Each envelope is read from `stockage`, checked against the size and SHA-256 computed
    /// at the dépôt, decrypted with `cles`, its ZIP checked (paths, bomb, manifest) and
    /// extracted under `options.dossier`, every signature inside verified with
    /// `options.verification`, and the opening recorded with those verified results. An
    /// envelope that fails is recorded as a failed decryption and stays closed. The state
    /// changes envelope by envelope (see [`Rappels::enregistrer`]); an error of the host's
    /// callback stops the opening with the state as recorded so far.
    pub fn ouvrir_plis(
        &mut self,
        plis: &[u32],
        stockage: &dyn StockagePlis,
        cles: &[Cle<'_>],
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
    ) -> Result<BilanOuverture> {
        self.ouvrir_depuis(
            plis,
            Source::Appelant { stockage, cles },
            options,
            rappels,
            ctx,
        )
    }

    /// [`Procedure::ouvrir_plis`] with a storage and private keys that may be shared
    /// between threads (a key pair from a file is; a token may not be): each envelope is
    /// read, decrypted, extracted and verified on one of `options.fils` threads, the
    /// calling thread recording the results in the series' order.
    pub fn ouvrir_plis_partage(
        &mut self,
        plis: &[u32],
        stockage: &(dyn StockagePlis + Sync),
        cles: &[&(dyn Dechiffreur + Sync)],
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
    ) -> Result<BilanOuverture> {
        self.ouvrir_depuis(
            plis,
            Source::Partagee { stockage, cles },
            options,
            rappels,
            ctx,
        )
    }

    fn ouvrir_depuis(
        &mut self,
        plis: &[u32],
        source: Source<'_>,
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
    ) -> Result<BilanOuverture> {
        self.refuser_annonce("ouvrir")?;
        for &n in plis {
            if self.pli(n).is_none() {
                return Err(Erreur::new(
                    CodeErreur::PliInconnu,
                    format!("pli {n} inconnu"),
                ));
            }
        }
        let choisi = |n: u32| plis.is_empty() || plis.contains(&n);
        let a_ouvrir = |p: &Procedure, candidatures: bool| -> Vec<(u32, RefEnveloppe)> {
            p.plis
                .iter()
                .filter(|pli| {
                    choisi(pli.numero) && pli.recevable() && pli.mode == ModeDepot::Electronique
                })
                .flat_map(|pli| {
                    pli.enveloppes
                        .iter()
                        .filter(|e| matches!(e.statut, StatutEnveloppe::Fermee))
                        .filter(|e| {
                            if candidatures {
                                e.enveloppe == TypeEnveloppe::Candidature
                            } else {
                                est_offre(e.enveloppe)
                                    && pli.admission.as_ref().is_none_or(|a| a.admise)
                                    && pli
                                        .enveloppe(RefEnveloppe {
                                            enveloppe: TypeEnveloppe::Candidature,
                                            lot: 0,
                                        })
                                        .is_none_or(|c| {
                                            matches!(c.statut, StatutEnveloppe::Ouverte { .. })
                                        })
                            }
                        })
                        .map(|e| (pli.numero, e.reference()))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        // Par réponse, the offers wait for every candidature of the plis that count.
        let offres_permises = |p: &Procedure| {
            p.consultation.modalites.mode_ouverture != ModeOuverture::ParReponse
                || !p.plis.iter().filter(|pli| pli.recevable()).any(|pli| {
                    pli.enveloppes.iter().any(|e| {
                        e.enveloppe == TypeEnveloppe::Candidature
                            && matches!(e.statut, StatutEnveloppe::Fermee)
                    })
                })
        };
        let a_ouvrir = |p: &Procedure, candidatures: bool| -> Vec<(u32, RefEnveloppe)> {
            if !candidatures && !offres_permises(p) {
                return Vec::new();
            }
            a_ouvrir(p, candidatures)
        };
        let candidatures = a_ouvrir(self, true);
        // Every rule of the opening (phase, habilitation, order) checked before anything is
        // read: a refusal leaves the state and the folder untouched.
        let premiers = if candidatures.is_empty() {
            a_ouvrir(self, false)
        } else {
            candidatures.clone()
        };
        if !premiers.is_empty() {
            self.clone().appliquer_avec(
                &action_ouvrir(options.mode, &premiers, |_| ResultatDechiffrement::Ok {
                    fichiers: Vec::new(),
                }),
                ctx,
                Some(&Faits::Ouverture),
            )?;
        }
        let en_cours = options.dossier.join(".en-cours");
        if en_cours.exists() {
            // Left by an opening that stopped: its envelopes were not recorded.
            std::fs::remove_dir_all(&en_cours)?;
        }
        let mut bilan = BilanOuverture::default();
        let total_prevu = candidatures.len() + a_ouvrir(self, false).len();
        (rappels.progres)(&EtapeOuverture::Descripteurs {
            enveloppes: total_prevu,
        });
        (rappels.progres)(&EtapeOuverture::ClePrivee);
        let debut = Instant::now();
        let mut compteur = Compteur {
            index: 0,
            total: total_prevu,
            octets: 0,
            debut,
        };
        if !candidatures.is_empty() {
            self.ouvrir_serie(
                &candidatures,
                source,
                options,
                rappels,
                ctx,
                &mut compteur,
                &mut bilan,
            )?;
        }
        // The offers whose candidature is open now (a candidature that failed keeps its
        // offer closed).
        let offres = a_ouvrir(self, false);
        if !offres.is_empty() {
            self.ouvrir_serie(
                &offres,
                source,
                options,
                rappels,
                ctx,
                &mut compteur,
                &mut bilan,
            )?;
        }
        if en_cours.exists() {
            let _ = std::fs::remove_dir_all(&en_cours);
        }
        (rappels.progres)(&EtapeOuverture::Termine {
            ouvertes: bilan.ouvertes.len(),
            echecs: bilan.echecs.len(),
        });
        Ok(bilan)
    }

    /// Open a series of envelopes that the rules allow in any order.
    #[allow(clippy::too_many_arguments)]
    fn ouvrir_serie(
        &mut self,
        serie: &[(u32, RefEnveloppe)],
        source: Source<'_>,
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
        compteur: &mut Compteur,
        bilan: &mut BilanOuverture,
    ) -> Result<()> {
        let en_cours = options.dossier.join(".en-cours");
        std::fs::create_dir_all(&en_cours)?;
        let fils = if options.fils == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            options.fils
        };
        let attendus: Vec<Option<Empreinte>> = serie
            .iter()
            .map(|(n, r)| {
                self.pli(*n)
                    .and_then(|p| p.enveloppe(*r))
                    .and_then(|e| e.octets.as_ref())
                    .map(|o| o.sha256)
            })
            .collect();
        let (stockage, cles) = match source {
            Source::Appelant { stockage, cles } => (stockage, cles),
            Source::Partagee { stockage, cles } => {
                return self.ouvrir_serie_partagee(
                    serie, &attendus, stockage, cles, fils, options, rappels, ctx, compteur, bilan,
                );
            }
        };
        std::thread::scope(|s| -> Result<()> {
            let (envoi, reception) = mpsc::sync_channel::<Travail>(fils.max(1));
            let reception = Arc::new(Mutex::new(reception));
            let (retour, resultats) = mpsc::channel::<(usize, Result<Vec<Fichier>>)>();
            // With one thread, the calling thread extracts and verifies between decryptions.
            let aides = fils.saturating_sub(1);
            for _ in 0..aides {
                let reception = Arc::clone(&reception);
                let retour = retour.clone();
                s.spawn(move || {
                    loop {
                        let t = match reception.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        let Ok(t) = t else { return };
                        let r = extraire_et_verifier(&t, options);
                        if retour.send((t.index, r)).is_err() {
                            return;
                        }
                    }
                });
            }
            let mut prets: BTreeMap<usize, Result<Vec<Fichier>>> = BTreeMap::new();
            let mut prochain = 0usize;
            let mut envoi = Some(envoi);
            for (i, (n, r)) in serie.iter().enumerate() {
                let id = format!("pli-{n}-{}", nom_enveloppe(*r));
                let zip = en_cours.join(format!("{id}.zip"));
                let dechiffre = dechiffrer(
                    stockage,
                    *n,
                    *r,
                    attendus.get(i).copied().flatten(),
                    cles,
                    &zip,
                );
                compteur.index += 1;
                match dechiffre {
                    Ok(octets) => {
                        compteur.octets += octets;
                        (rappels.progres)(&compteur.etape(*n, *r, octets));
                        let t = Travail {
                            index: i,
                            zip,
                            final_: options
                                .dossier
                                .join(format!("pli-{n}"))
                                .join(nom_enveloppe(*r)),
                            en_cours: en_cours.join(&id),
                        };
                        match (&envoi, aides) {
                            (Some(e), 1..) => {
                                if e.send(t).is_err() {
                                    return Err(Erreur::internal("fils d'ouverture arrêtés"));
                                }
                            }
                            _ => {
                                let r = extraire_et_verifier(&t, options);
                                prets.insert(i, r);
                            }
                        }
                    }
                    Err(e) => {
                        (rappels.progres)(&compteur.etape(*n, *r, 0));
                        prets.insert(i, Err(e));
                    }
                }
                while let Ok((j, r)) = resultats.try_recv() {
                    prets.insert(j, r);
                }
                self.enregistrer_prets(
                    serie,
                    &mut prets,
                    &mut prochain,
                    options,
                    rappels,
                    ctx,
                    bilan,
                )?;
            }
            // No more work: the helpers stop once the queue is empty.
            envoi.take();
            while prochain < serie.len() {
                if !prets.contains_key(&prochain) {
                    match resultats.recv() {
                        Ok((j, r)) => {
                            prets.insert(j, r);
                        }
                        Err(_) => return Err(Erreur::internal("fils d'ouverture arrêtés")),
                    }
                    continue;
                }
                self.enregistrer_prets(
                    serie,
                    &mut prets,
                    &mut prochain,
                    options,
                    rappels,
                    ctx,
                    bilan,
                )?;
            }
            Ok(())
        })
    }

    /// Every step of each envelope on a worker: the workers take the envelopes in order
    /// from a shared counter; the calling thread reports progress and records in order.
    #[allow(clippy::too_many_arguments)]
    fn ouvrir_serie_partagee(
        &mut self,
        serie: &[(u32, RefEnveloppe)],
        attendus: &[Option<Empreinte>],
        stockage: &(dyn StockagePlis + Sync),
        cles: &[&(dyn Dechiffreur + Sync)],
        fils: usize,
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
        compteur: &mut Compteur,
        bilan: &mut BilanOuverture,
    ) -> Result<()> {
        let en_cours = options.dossier.join(".en-cours");
        let suivant = AtomicUsize::new(0);
        // Set when the host's callback fails: the workers stop taking envelopes.
        let arret = AtomicBool::new(false);
        type Issue = (usize, Result<u64>, Result<Vec<Fichier>>);
        std::thread::scope(|s| -> Result<()> {
            let (retour, resultats) = mpsc::channel::<Issue>();
            for _ in 0..fils.max(1) {
                let retour = retour.clone();
                let (suivant, arret, en_cours) = (&suivant, &arret, &en_cours);
                s.spawn(move || {
                    let cles_fil: Vec<Cle<'_>> = cles
                        .iter()
                        .map(|c| Cle::Privee(*c as &dyn Dechiffreur))
                        .collect();
                    while !arret.load(Ordering::Relaxed) {
                        let i = suivant.fetch_add(1, Ordering::Relaxed);
                        let Some(&(n, r)) = serie.get(i) else { return };
                        let id = format!("pli-{n}-{}", nom_enveloppe(r));
                        let zip = en_cours.join(format!("{id}.zip"));
                        let attendu = attendus.get(i).copied().flatten();
                        let dechiffre = dechiffrer(stockage, n, r, attendu, &cles_fil, &zip);
                        let extrait = match &dechiffre {
                            Ok(_) => extraire_et_verifier(
                                &Travail {
                                    index: i,
                                    zip,
                                    final_: options
                                        .dossier
                                        .join(format!("pli-{n}"))
                                        .join(nom_enveloppe(r)),
                                    en_cours: en_cours.join(&id),
                                },
                                options,
                            ),
                            Err(_) => Ok(Vec::new()),
                        };
                        if retour.send((i, dechiffre, extrait)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(retour);
            let mut prets: BTreeMap<usize, Result<Vec<Fichier>>> = BTreeMap::new();
            let mut prochain = 0usize;
            while prochain < serie.len() {
                let Ok((i, dechiffre, extrait)) = resultats.recv() else {
                    return Err(Erreur::internal("fils d'ouverture arrêtés"));
                };
                let Some(&(n, r)) = serie.get(i) else {
                    return Err(Erreur::internal("série d'ouverture"));
                };
                compteur.index += 1;
                let issue = match dechiffre {
                    Ok(octets) => {
                        compteur.octets += octets;
                        (rappels.progres)(&compteur.etape(n, r, octets));
                        extrait
                    }
                    Err(e) => {
                        (rappels.progres)(&compteur.etape(n, r, 0));
                        Err(e)
                    }
                };
                prets.insert(i, issue);
                if let Err(e) = self.enregistrer_prets(
                    serie,
                    &mut prets,
                    &mut prochain,
                    options,
                    rappels,
                    ctx,
                    bilan,
                ) {
                    arret.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
            Ok(())
        })
    }

    /// Record, in the series' order, the envelopes whose outcome is known.
    #[allow(clippy::too_many_arguments)]
    fn enregistrer_prets(
        &mut self,
        serie: &[(u32, RefEnveloppe)],
        prets: &mut BTreeMap<usize, Result<Vec<Fichier>>>,
        prochain: &mut usize,
        options: &OptionsOuverture,
        rappels: &mut Rappels<'_>,
        ctx: &Contexte<'_>,
        bilan: &mut BilanOuverture,
    ) -> Result<()> {
        while let Some(r) = prets.remove(prochain) {
            let Some(&(n, e)) = serie.get(*prochain) else {
                return Err(Erreur::internal("série d'ouverture"));
            };
            *prochain += 1;
            let resultat = match &r {
                Ok(fichiers) => ResultatDechiffrement::Ok {
                    fichiers: fichiers.clone(),
                },
                Err(err) => ResultatDechiffrement::Echec {
                    code: err.code(),
                    message: err
                        .message()
                        .chars()
                        .take(crate::model::TEXTE_MAX)
                        .collect(),
                },
            };
            let action = action_ouvrir(options.mode, &[(n, e)], |_| resultat.clone());
            let (entrees, r) = match self.appliquer_avec(&action, ctx, Some(&Faits::Ouverture)) {
                Ok(entrees) => (entrees, r),
                // Files the state cannot record (a name too long ...): a failed opening.
                Err(refus) if r.is_ok() => {
                    let echec =
                        action_ouvrir(options.mode, &[(n, e)], |_| ResultatDechiffrement::Echec {
                            code: refus.code(),
                            message: refus
                                .message()
                                .chars()
                                .take(crate::model::TEXTE_MAX)
                                .collect(),
                        });
                    (
                        self.appliquer_avec(&echec, ctx, Some(&Faits::Ouverture))?,
                        Err(refus),
                    )
                }
                Err(refus) => return Err(refus),
            };
            (rappels.enregistrer)(self, &entrees)?;
            match r {
                Ok(_) => bilan.ouvertes.push((n, e)),
                Err(err) => bilan.echecs.push((n, e, err)),
            }
        }
        Ok(())
    }
}

struct Compteur {
    index: usize,
    total: usize,
    octets: u64,
    debut: Instant,
}

impl Compteur {
    fn etape(&self, pli: u32, enveloppe: RefEnveloppe, octets: u64) -> EtapeOuverture {
        let s = self.debut.elapsed().as_secs_f64();
        EtapeOuverture::Dechiffrement {
            index: self.index,
            total: self.total.max(self.index),
            pli,
            enveloppe,
            octets,
            octets_par_seconde: if s > 0.0 {
                (self.octets as f64 / s) as u64
            } else {
                0
            },
        }
    }
}

fn action_ouvrir(
    mode: ModeOuvertureEnveloppe,
    items: &[(u32, RefEnveloppe)],
    resultat: impl Fn(usize) -> ResultatDechiffrement,
) -> Action {
    Action::Ouvrir {
        mode,
        enveloppes: items
            .iter()
            .enumerate()
            .map(|(i, (pli, enveloppe))| OuvertureEnveloppe {
                pli: *pli,
                enveloppe: *enveloppe,
                resultat: resultat(i),
            })
            .collect(),
    }
}

/// A reader that hashes what goes through.
struct Empreinteur<'a> {
    r: Box<dyn Read + 'a>,
    h: Sha256,
    n: u64,
}

impl Read for Empreinteur<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.r.read(buf)?;
        self.h.update(buf.get(..n).unwrap_or_default());
        self.n += n as u64;
        Ok(n)
    }
}

/// Decrypt one envelope from the storage into `zip`; the bytes must be those deposited.
fn dechiffrer(
    stockage: &dyn StockagePlis,
    pli: u32,
    r: RefEnveloppe,
    attendu: Option<Empreinte>,
    cles: &[Cle<'_>],
    zip: &Path,
) -> Result<u64> {
    let mut lecteur = Empreinteur {
        r: stockage.lire(pli, r)?,
        h: Sha256::new(),
        n: 0,
    };
    cms::dechiffrer_flux(&mut lecteur, zip, cles, &OptionsDechiffrement::default())?;
    // The decryption may stop before the end of the stream: hash what is left.
    std::io::copy(&mut lecteur, &mut std::io::sink())?;
    let calcule = Empreinte(lecteur.h.finalize().into());
    if let Some(a) = attendu
        && a != calcule
    {
        let _ = std::fs::remove_file(zip);
        return Err(Erreur::new(
            CodeErreur::IntegriteEchec,
            format!(
                "les octets stockés de l'enveloppe {r} du pli {pli} diffèrent de ceux du dépôt (SHA-256 {calcule}, {a} au dépôt)"
            ),
        ));
    }
    Ok(lecteur.n)
}

/// Extract a decrypted envelope and verify the signatures inside; the folder appears
/// under its final name only when complete.
fn extraire_et_verifier(t: &Travail, options: &OptionsOuverture) -> Result<Vec<Fichier>> {
    let r = (|| {
        if t.en_cours.exists() {
            std::fs::remove_dir_all(&t.en_cours)?;
        }
        let manifeste = extraire(&t.zip, &t.en_cours, &options.limites)?;
        let fichiers =
            verifier_signatures(&t.en_cours, &manifeste.fichiers, &options.verification)?;
        if t.final_.exists() {
            // Extracted by an opening that stopped before recording it.
            std::fs::remove_dir_all(&t.final_)?;
        }
        if let Some(parent) = t.final_.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(&t.en_cours, &t.final_)?;
        Ok(fichiers)
    })();
    let _ = std::fs::remove_file(&t.zip);
    if r.is_err() {
        let _ = std::fs::remove_dir_all(&t.en_cours);
    }
    r
}

/// The XML Signature namespace, whose presence tells a signature from another XML file.
const XMLDSIG: &[u8] = b"http://www.w3.org/2000/09/xmldsig#";

/// The signature that covers a file, found by name: `X.p7s` / `X.p7m` (CAdES) or
/// `X.xml` (XAdES) beside `X`, or the PDF itself (PAdES).
fn verifier_signatures(
    dossier: &Path,
    entrees: &[crate::crypto::enveloppe::EntreeEnveloppe],
    opts: &OptionsVerification,
) -> Result<Vec<Fichier>> {
    let noms: std::collections::HashSet<&str> = entrees.iter().map(|e| e.chemin.as_str()).collect();
    let mut signatures: BTreeMap<String, SignatureFichier> = BTreeMap::new();
    for e in entrees {
        let bas = e.chemin.to_lowercase();
        let sans_extension = [".p7s", ".p7m", ".pkcs7", ".xml"].iter().find_map(|ext| {
            bas.ends_with(ext)
                .then(|| e.chemin.get(..e.chemin.len() - ext.len()))
                .flatten()
        });
        let signe = sans_extension.and_then(|s| {
            Some(s).filter(|base| noms.contains(base)).or_else(|| {
                // The platforms' naming of a detached signature (signature::nom_fichier_signe):
                // « AE.pdf - 20261210110000 - Signature 1.xml » signs « AE.pdf ».
                let (base, reste) = s.split_once(" - ")?;
                (reste.contains(" - Signature ") && noms.contains(base)).then_some(base)
            })
        });
        let (cible, donnees) = match signe {
            Some(base) => (base.to_string(), Some(dossier.join(base))),
            None if bas.ends_with(".pdf") => (e.chemin.clone(), None),
            None => continue,
        };
        let octets = std::fs::read(dossier.join(&e.chemin))?;
        if donnees.is_none() && !octets.windows(10).any(|w| w == b"/ByteRange") {
            continue; // a PDF without signature
        }
        if signe.is_some()
            && bas.ends_with(".xml")
            && !octets.windows(XMLDSIG.len()).any(|w| w == XMLDSIG)
        {
            continue; // an XML file that is no signature
        }
        let rapport = match &donnees {
            Some(p) => {
                let mut f = std::fs::File::open(p)?;
                signature::verifier(&octets, Some(DonneesSignees::Lecteur(&mut f)), opts)
            }
            None => signature::verifier(&octets, None, opts),
        };
        let s = match rapport {
            Ok(r) => SignatureFichier {
                format: format!("{:?}", r.format),
                resultat: match r.statut {
                    Statut::Valide => ResultatSignature::Valide,
                    Statut::Invalide => ResultatSignature::Invalide,
                    Statut::Indetermine => ResultatSignature::Indeterminee,
                },
                signataire: r
                    .signatures
                    .first()
                    .and_then(|s| s.signataire.as_ref())
                    .map(|c| c.nom_commun.clone().unwrap_or_else(|| c.sujet.clone())),
            },
            // What cannot be checked is undetermined, never invalid.
            Err(_) => SignatureFichier {
                format: if signe.is_some_and(|_| bas.ends_with(".xml")) {
                    "XAdES"
                } else if signe.is_some() {
                    "CAdES"
                } else {
                    "PAdES"
                }
                .into(),
                resultat: ResultatSignature::Indeterminee,
                signataire: None,
            },
        };
        // Several signatures of one file: the worst verdict stands.
        let pire = |a: ResultatSignature| match a {
            ResultatSignature::Invalide => 2,
            ResultatSignature::Indeterminee => 1,
            ResultatSignature::Valide => 0,
        };
        match signatures.get(&cible) {
            Some(avant) if pire(avant.resultat) >= pire(s.resultat) => {}
            _ => {
                signatures.insert(cible, s);
            }
        }
    }
    Ok(entrees
        .iter()
        .map(|e| Fichier {
            nom: e.chemin.clone(),
            taille: e.taille,
            sha256: e.sha256.to_lowercase(),
            signature: signatures.get(&e.chemin).cloned(),
            document: None,
        })
        .collect())
}
