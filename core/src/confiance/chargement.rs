//! Loading a LOTL and the national lists the host fetched: the LOTL verified against the
//! certificates the host gives (Official Journal), passed on along the pivot LOTLs it lists,
//! each national list against the certificates the LOTL announces for its territory. Lists
//! that fail are kept out, with the reason in the report. The costly part (XML parse and
//! signature) is cached per list digest in a [`CacheListes`] the host keeps.
//!
//! The pivot chain (ETSI TS 119 612 v2.2.1 6.2, as EU DSS walks it): the LOTL's
//! SchemeInformationURI lists the pivots, newest first. The Official Journal's keys must sign
//! the oldest; each pivot that verifies with the keys in force makes the certificates of its
//! pointer to the LOTL the keys in force; a pivot not given, or that does not verify, is
//! skipped and the keys in force stay. The LOTL is then verified with the keys in force.
//! Trust only ever passes through a signature by keys already trusted.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use der::Encode;
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::lecture;
use super::liste::ListeConfiance;
use super::verification::{self, ControleSignature, OptionsListe, RapportListe};
use crate::signature::signer;
use crate::{CodeErreur, Erreur, Result};

/// Parsed and signature-checked lists, keyed by the digest of their bytes and of the
/// certificates they were checked against; failures (unreadable, not signed once) are
/// kept too, so that a second load of the same lists reads nothing again. The time checks
/// are redone on every use.
#[derive(Debug, Default, Clone)]
pub struct CacheListes {
    entrees: HashMap<[u8; 32], std::result::Result<Arc<ControleSignature>, Erreur>>,
    /// Territory of each list read (to find its LOTL pointer without parsing it again).
    territoires: HashMap<[u8; 32], Option<String>>,
}

/// SHA-256 of a list's bytes, computed once per list and load.
type Empreinte = [u8; 32];

fn empreinte(octets: &[u8]) -> Empreinte {
    Sha256::digest(octets).into()
}

impl CacheListes {
    /// An empty cache.
    pub fn new() -> CacheListes {
        CacheListes::default()
    }

    /// Number of lists kept.
    pub fn len(&self) -> usize {
        self.entrees.len()
    }

    /// No list kept.
    pub fn is_empty(&self) -> bool {
        self.entrees.is_empty()
    }

    fn controle(
        &mut self,
        octets: &[u8],
        e: &Empreinte,
        annonces: &[Certificate],
    ) -> Result<Arc<ControleSignature>> {
        let mut h = Sha256::new();
        h.update(e);
        for c in annonces {
            h.update(Sha256::digest(c.to_der().unwrap_or_default()));
        }
        let cle: [u8; 32] = h.finalize().into();
        if let Some(c) = self.entrees.get(&cle) {
            return c.clone();
        }
        let c = verification::controler_signature(octets, annonces).map(Arc::new);
        self.entrees.insert(cle, c.clone());
        c
    }

    fn territoire(&mut self, octets: &[u8], e: &Empreinte) -> Result<Option<String>> {
        if let Some(t) = self.territoires.get(e) {
            return Ok(t.clone());
        }
        let t = lecture::lire_liste(octets)?.territoire;
        self.territoires.insert(*e, t.clone());
        Ok(t)
    }

    /// The territory of a list for the report, when it can be read (`None` otherwise).
    fn territoire_lisible(&mut self, octets: &[u8], e: &Empreinte) -> Option<String> {
        if let Some(t) = self.territoires.get(e) {
            return t.clone();
        }
        let t = lecture::lire_liste(octets).ok().and_then(|l| l.territoire);
        self.territoires.insert(*e, t.clone());
        t
    }

    /// [`verification::verifier_liste`] through the cache.
    pub fn verifier_liste(&mut self, octets: &[u8], opts: &OptionsListe) -> Result<RapportListe> {
        let e = empreinte(octets);
        self.verifier_empreinte(octets, &e, opts)
    }

    fn verifier_empreinte(
        &mut self,
        octets: &[u8],
        e: &Empreinte,
        opts: &OptionsListe,
    ) -> Result<RapportListe> {
        let c = self.controle(octets, e, &opts.certificats_annonces)?;
        Ok(verification::juger(&c, opts))
    }
}

/// One list in the loading report: its verdict, or why it could not even be read.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EntreeChargement {
    /// Territory of the list (from its content, or unknown when unreadable).
    pub territoire: Option<String>,
    /// SHA-256 of the bytes, hexadecimal.
    pub empreinte: String,
    /// The verdict, when the list could be read.
    pub rapport: Option<RapportListe>,
    /// Why it could not (unreadable, hostile, not signed once, not announced).
    pub erreur: Option<Erreur>,
}

impl EntreeChargement {
    /// The list is used.
    pub fn utilisee(&self) -> bool {
        self.rapport.as_ref().is_some_and(|r| r.utilisable)
    }
}

/// The trusted lists in use, and the report of their loading.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Confiance {
    /// The usable national lists (and any list added by [`Confiance::ajouter`]).
    pub listes: Vec<ListeConfiance>,
    /// The LOTL's entry.
    pub lotl: Option<EntreeChargement>,
    /// One entry per national list given, usable or not.
    pub entrees: Vec<EntreeChargement>,
    /// The pivot LOTLs the LOTL lists, oldest first (empty when it lists none).
    pub pivots: Vec<EntreePivot>,
}

/// One pivot LOTL of the chain.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EntreePivot {
    /// Its address, as the LOTL lists it.
    pub adresse: String,
    /// Its verdict (against the keys in force when it came), absent when the host did not
    /// give it.
    pub chargement: Option<EntreeChargement>,
    /// Its pointer's certificates became the keys in force for the next pivot and the LOTL.
    pub retenu: bool,
    /// Why it was skipped ([`CodeErreur::ListeConfiancePivotAbsent`],
    /// [`CodeErreur::ListeConfiancePivotInutilisable`]).
    pub erreur: Option<Erreur>,
}

impl Confiance {
    /// Nothing trusted.
    pub fn new() -> Confiance {
        Confiance::default()
    }

    /// Add a list verified by the host's own means: kept only when usable.
    pub fn ajouter(&mut self, rapport: RapportListe) -> bool {
        if rapport.utilisable {
            self.listes.push(rapport.liste.clone());
        }
        let ok = rapport.utilisable;
        self.entrees.push(EntreeChargement {
            territoire: rapport.liste.territoire.clone(),
            empreinte: rapport.liste.empreinte.clone(),
            rapport: Some(rapport),
            erreur: None,
        });
        ok
    }
}

fn entree(
    octets: &[u8],
    e: &Empreinte,
    r: Result<RapportListe>,
    cache: &mut CacheListes,
) -> EntreeChargement {
    match r {
        Ok(rapport) => EntreeChargement {
            territoire: rapport.liste.territoire.clone(),
            empreinte: rapport.liste.empreinte.clone(),
            rapport: Some(rapport),
            erreur: None,
        },
        Err(erreur) => EntreeChargement {
            territoire: cache.territoire_lisible(octets, e),
            empreinte: hex::encode(e),
            rapport: None,
            erreur: Some(erreur),
        },
    }
}

/// Load the LOTL (checked against `certificats_lotl`) and the national lists (each
/// checked against the certificates the LOTL announces for its territory), at `date`.
/// Never fails: every list that cannot be used says why in the returned report. A LOTL that
/// lists pivots is checked against `certificats_lotl` directly (see
/// [`charger_avec_pivots`] to walk them).
pub fn charger(
    lotl: &[u8],
    certificats_lotl: &[Certificate],
    listes: &[&[u8]],
    date: DateTime<Utc>,
    cache: &mut CacheListes,
) -> Confiance {
    charger_avec_pivots(lotl, certificats_lotl, &[], listes, date, cache)
}

/// [`charger`] through the pivot chain: `certificats_journal_officiel` are the keys the
/// Official Journal announced, `pivots` the pivot LOTLs the host fetched (address as the LOTL
/// lists it, bytes). The keys in force after the last pivot must sign the LOTL.
///
/// ```
/// use mpe::confiance::{self, CacheListes};
/// # fn f(lotl: &[u8], oj: &[x509_cert::Certificate], p172: &[u8], p226: &[u8]) {
/// let date = chrono::Utc::now();
/// let pivots: [(&str, &[u8]); 2] = [
///     ("https://ec.europa.eu/tools/lotl/eu-lotl-pivot-172.xml", p172),
///     ("https://ec.europa.eu/tools/lotl/eu-lotl-pivot-226.xml", p226),
/// ];
/// let c = confiance::charger_avec_pivots(lotl, oj, &pivots, &[], date, &mut CacheListes::new());
/// for p in &c.pivots {
///     println!("{} retenu : {}", p.adresse, p.retenu);
/// }
/// # }
/// ```
pub fn charger_avec_pivots(
    lotl: &[u8],
    certificats_journal_officiel: &[Certificate],
    pivots: &[(&str, &[u8])],
    listes: &[&[u8]],
    date: DateTime<Utc>,
    cache: &mut CacheListes,
) -> Confiance {
    let mut confiance = Confiance::new();
    let (cles, entrees_pivots) =
        chaine_pivots(lotl, certificats_journal_officiel, pivots, date, cache);
    confiance.pivots = entrees_pivots;
    let e_lotl = empreinte(lotl);
    let r_lotl = cache.verifier_empreinte(lotl, &e_lotl, &OptionsListe::new(cles, date));
    let lotl_liste = match &r_lotl {
        Ok(r) if r.utilisable => Some(r.liste.clone()),
        _ => None,
    };
    confiance.lotl = Some(entree(lotl, &e_lotl, r_lotl, cache));
    for octets in listes {
        let em = empreinte(octets);
        let r = match &lotl_liste {
            None => Err(Erreur::new(
                CodeErreur::ListeConfianceSignataireNonAnnonce,
                "liste des listes inutilisable : aucun certificat annoncé",
            )),
            Some(l) => verifier_nationale(octets, &em, l, date, cache),
        };
        let e = entree(octets, &em, r, cache);
        if let Some(r) = e.rapport.as_ref().filter(|r| r.utilisable) {
            confiance.listes.push(r.liste.clone());
        }
        confiance.entrees.push(e);
    }
    confiance
}

/// Walk the pivots the LOTL lists, oldest first: the keys in force at the end, and the
/// report of each pivot. The addresses are read from the LOTL before its signature is
/// checked: they only say where to look, trust comes from the signatures along the way.
fn chaine_pivots(
    lotl: &[u8],
    certificats_journal_officiel: &[Certificate],
    pivots: &[(&str, &[u8])],
    date: DateTime<Utc>,
    cache: &mut CacheListes,
) -> (Vec<Certificate>, Vec<EntreePivot>) {
    let mut cles = certificats_journal_officiel.to_vec();
    let adresses = lecture::lire_liste(lotl)
        .map(|l| l.pivots)
        .unwrap_or_default();
    let mut rapport = vec![];
    for adresse in adresses.iter().rev() {
        let mut p = EntreePivot {
            adresse: adresse.clone(),
            chargement: None,
            retenu: false,
            erreur: None,
        };
        let Some((_, octets)) = pivots.iter().find(|(a, _)| a == adresse) else {
            p.erreur = Some(Erreur::new(
                CodeErreur::ListeConfiancePivotAbsent,
                format!("LOTL pivot non fournie : {adresse}"),
            ));
            rapport.push(p);
            continue;
        };
        let e = empreinte(octets);
        let mut opts = OptionsListe::new(cles.clone(), date);
        opts.pivot = true;
        let r = cache.verifier_empreinte(octets, &e, &opts);
        let entree = entree(octets, &e, r, cache);
        match annonce_pivot(&entree) {
            Ok(nouvelles) => {
                cles = nouvelles;
                p.retenu = true;
            }
            Err(err) => p.erreur = Some(err),
        }
        p.chargement = Some(entree);
        rapport.push(p);
    }
    (cles, rapport)
}

/// The certificates a usable pivot announces for the next LOTL (its one XML pointer to a
/// LOTL, as DSS requires).
fn annonce_pivot(entree: &EntreeChargement) -> Result<Vec<Certificate>> {
    let inutilisable = |m: String| Erreur::new(CodeErreur::ListeConfiancePivotInutilisable, m);
    let rapport = match (&entree.rapport, &entree.erreur) {
        (Some(r), _) if r.utilisable => r,
        (Some(r), _) => {
            return Err(inutilisable(format!(
                "LOTL pivot inutilisable : {}",
                r.raison.as_deref().unwrap_or("-")
            )));
        }
        (None, e) => {
            return Err(inutilisable(format!(
                "LOTL pivot inutilisable : {}",
                e.as_ref().map_or("-", |e| e.message())
            )));
        }
    };
    if !rapport.liste.est_liste_des_listes() {
        return Err(inutilisable(
            "la LOTL pivot n'est pas une liste des listes".into(),
        ));
    }
    let pointeurs: Vec<_> = rapport.liste.pointeurs_lotl().collect();
    let [un] = pointeurs.as_slice() else {
        return Err(inutilisable(format!(
            "la LOTL pivot a {} pointeurs vers la LOTL (un attendu)",
            pointeurs.len()
        )));
    };
    let cles: Vec<Certificate> = un
        .certificats
        .iter()
        .filter_map(|b| certificat_b64(b))
        .collect();
    if cles.is_empty() {
        return Err(inutilisable(
            "la LOTL pivot n'annonce aucun certificat lisible pour la LOTL".into(),
        ));
    }
    Ok(cles)
}

/// A national list against the LOTL's pointer for its territory.
fn verifier_nationale(
    octets: &[u8],
    e: &Empreinte,
    lotl: &ListeConfiance,
    date: DateTime<Utc>,
    cache: &mut CacheListes,
) -> Result<RapportListe> {
    let territoire = cache
        .territoire(octets, e)?
        .ok_or_else(|| lecture::malformee("liste sans SchemeTerritory"))?;
    let annonces: Vec<Certificate> = lotl
        .pointeurs
        .iter()
        .filter(|p| p.territoire.as_deref() == Some(territoire.as_str()))
        .filter(|p| {
            !p.type_liste
                .as_deref()
                .is_some_and(|t| t.ends_with("listofthelists"))
        })
        .filter(|p| p.type_mime.as_deref().is_none_or(|m| m.contains("xml")))
        .flat_map(|p| p.certificats.iter())
        .filter_map(|b| certificat_b64(b))
        .collect();
    if annonces.is_empty() {
        return Err(Erreur::new(
            CodeErreur::ListeConfianceSignataireNonAnnonce,
            format!("la liste des listes n'annonce aucun certificat pour « {territoire} »"),
        ));
    }
    let mut opts = OptionsListe::new(annonces, date);
    opts.territoire_annonce = Some(territoire);
    cache.verifier_empreinte(octets, e, &opts)
}

/// A certificate written in base64 in a list (unreadable ones are skipped).
pub(crate) fn certificat_b64(b: &str) -> Option<Certificate> {
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD.decode(b).ok()?;
    signer::certificat(&der).ok()
}
