//! Trusted lists as the bindings and the CLI hand them over: the list bytes (base64 in
//! JSON) and the certificates announced for the LOTL. Loading goes through a process-wide
//! [`CacheListes`], so a host that passes the same lists on every verification pays for
//! their parse and signature once.

use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use super::chargement::{CacheListes, Confiance, charger_avec_pivots};
use crate::{CodeErreur, Erreur, Result};

/// Lists kept by the shared cache before it is emptied (a host that rotates lists daily
/// would otherwise grow without bound; 64 covers the LOTL, its pivots and every EU list).
const CACHE_MAX: usize = 256;

/// The lists a host gives: the LOTL, the certificates that may sign it, the national lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListesConfianceJson {
    /// The list of trusted lists (LOTL), base64.
    pub lotl: String,
    /// Certificates announced for the LOTL (Official Journal, previous pivot), PEM.
    pub certificats_lotl_pem: String,
    /// The national lists, each in base64 (any order; each is checked against the LOTL's
    /// pointer for its territory).
    #[serde(default)]
    pub listes: Vec<String>,
    /// The pivot LOTLs the LOTL lists, as fetched (then `certificats_lotl_pem` holds the
    /// Official Journal's keys, passed on along the pivots).
    #[serde(default)]
    pub pivots: Vec<PivotJson>,
}

/// One pivot LOTL handed over by the host.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PivotJson {
    /// Its address, exactly as the LOTL's SchemeInformationURI gives it.
    pub adresse: String,
    /// The list, base64.
    pub liste: String,
}

fn b64(texte: &str, champ: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(texte.trim())
        .map_err(|e| {
            Erreur::new(
                CodeErreur::ListeConfianceEntree,
                format!("{champ} n'est pas en base64 : {e}"),
            )
            .at(champ)
        })
}

fn cache_partage() -> &'static Mutex<CacheListes> {
    static CACHE: OnceLock<Mutex<CacheListes>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(CacheListes::new()))
}

impl ListesConfianceJson {
    /// The announced LOTL certificates.
    pub fn certificats_lotl(&self) -> Result<Vec<Certificate>> {
        if self.certificats_lotl_pem.trim().is_empty() {
            return Err(Erreur::new(
                CodeErreur::ListeConfianceEntree,
                "certificats_lotl_pem vide : sans certificat annoncé, la liste des listes ne peut être vérifiée",
            )
            .at("certificats_lotl_pem"));
        }
        Certificate::load_pem_chain(self.certificats_lotl_pem.as_bytes()).map_err(|e| {
            Erreur::new(
                CodeErreur::ListeConfianceEntree,
                format!("certificats_lotl_pem : {e}"),
            )
            .at("certificats_lotl_pem")
        })
    }

    /// Load the lists at `date` (through the process-wide cache). Fails only on an input
    /// that is not what the fields say (base64, PEM); a list that cannot be used is in the
    /// report, as [`charger`] does.
    pub fn charger(&self, date: DateTime<Utc>) -> Result<Confiance> {
        let lotl = b64(&self.lotl, "lotl")?;
        let certificats = self.certificats_lotl()?;
        let listes = self
            .listes
            .iter()
            .enumerate()
            .map(|(i, l)| b64(l, &format!("listes.{i}")))
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&[u8]> = listes.iter().map(Vec::as_slice).collect();
        let pivots = self
            .pivots
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Ok((
                    p.adresse.as_str(),
                    b64(&p.liste, &format!("pivots.{i}.liste"))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let pivots: Vec<(&str, &[u8])> = pivots.iter().map(|(a, o)| (*a, o.as_slice())).collect();
        let mut cache = cache_partage()
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if cache.len() > CACHE_MAX {
            *cache = CacheListes::new();
        }
        Ok(charger_avec_pivots(
            &lotl,
            &certificats,
            &pivots,
            &refs,
            date,
            &mut cache,
        ))
    }

    /// [`Self::charger`], shared as verification options take it.
    pub fn charger_partage(&self, date: DateTime<Utc>) -> Result<Arc<Confiance>> {
        self.charger(date).map(Arc::new)
    }
}
