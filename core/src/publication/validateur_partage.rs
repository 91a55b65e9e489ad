//! A [`ValidateurEforms`] usable from any thread: the bindings' validator.
//!
//! xee's compiled expressions are reference-counted (`Rc`), so [`ValidateurEforms`] is not
//! `Send`. Hosts (PHP-FPM workers, Java thread pools, Python threads) keep one validator per
//! SDK version for the whole process, since a phase takes seconds to compile. Here the
//! validator lives on a thread of its own and answers requests sent over a channel: the
//! handle is `Send + Sync` without any `unsafe`, calls from several threads are served one
//! at a time, and a caller may release its lock (Python's GIL) while it waits.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};

use super::schematron::{RapportSchematron, ReglesEforms, ValidateurEforms};
use crate::{Erreur, Result};

enum Demande {
    Preparer {
        phase: String,
        reponse: Sender<Result<()>>,
    },
    Valider {
        xml: String,
        phase: Option<String>,
        maintenant: DateTime<Utc>,
        reponse: Sender<Result<RapportSchematron>>,
    },
}

/// Validates eForms notices with the rules of one SDK version from any thread (see the
/// module). Dropping it stops its thread, after the request in progress.
///
/// ```
/// # use chrono::{TimeZone, Utc};
/// let sch = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
///   <phase id="eforms-16"><active pattern="p"/></phase>
///   <pattern id="p"><rule context="/*"><assert id="R-1" test="false()">R-1</assert></rule></pattern>
/// </schema>"#;
/// let regles = mpe::publication::ReglesEforms::charger("essai", |_| Ok(sch.as_bytes().to_vec()))?;
/// let v = std::sync::Arc::new(mpe::publication::ValidateurEformsPartage::new(regles)?);
/// let avis = r#"<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"/>"#;
/// let t = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
/// let autre = std::thread::spawn({
///     let v = v.clone();
///     move || v.valider_phase(avis, Some("eforms-16"), t)
/// });
/// assert_eq!(autre.join().unwrap()?.echecs[0].id, "R-1");
/// assert_eq!(v.version(), "essai");
/// # Ok::<(), mpe::Erreur>(())
/// ```
#[derive(Debug)]
pub struct ValidateurEformsPartage {
    version: String,
    envoi: Option<Sender<Demande>>,
    fil: Option<JoinHandle<()>>,
}

fn arrete() -> Erreur {
    Erreur::internal("le fil du validateur Schematron s'est arrêté")
}

/// Run one request; a panic becomes an internal error and the thread goes on (the
/// validator's state is a cache of compiled phases, which a panic leaves usable).
fn servir<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Erreur::internal("panique pendant la validation Schematron")))
}

impl ValidateurEformsPartage {
    /// Start the validator's thread with these rules; nothing is compiled yet.
    ///
    /// Errors: `INTERNE` when the system refuses a new thread.
    pub fn new(regles: ReglesEforms) -> Result<ValidateurEformsPartage> {
        let version = regles.version().to_string();
        let (envoi, reception) = mpsc::channel::<Demande>();
        let fil = std::thread::Builder::new()
            .name("mpe-schematron".into())
            .spawn(move || {
                let v = ValidateurEforms::new(regles);
                // Ends when every sender is gone (the handle dropped).
                for d in reception {
                    // A caller that stopped waiting is not an error of the validator.
                    match d {
                        Demande::Preparer { phase, reponse } => {
                            let _ = reponse.send(servir(|| v.preparer(&phase)));
                        }
                        Demande::Valider {
                            xml,
                            phase,
                            maintenant,
                            reponse,
                        } => {
                            let r = servir(|| v.valider_phase(&xml, phase.as_deref(), maintenant));
                            let _ = reponse.send(r);
                        }
                    }
                }
            })
            .map_err(|e| Erreur::internal(format!("fil du validateur Schematron : {e}")))?;
        Ok(ValidateurEformsPartage {
            version,
            envoi: Some(envoi),
            fil: Some(fil),
        })
    }

    /// The SDK version of the rules.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn demander<T>(&self, demande: impl FnOnce(Sender<Result<T>>) -> Demande) -> Result<T> {
        let (reponse, attente) = mpsc::channel();
        self.envoi
            .as_ref()
            .ok_or_else(arrete)?
            .send(demande(reponse))
            .map_err(|_| arrete())?;
        attente.recv().map_err(|_| arrete())?
    }

    /// [`ValidateurEforms::preparer`], on the validator's thread.
    pub fn preparer(&self, phase: &str) -> Result<()> {
        self.demander(|reponse| Demande::Preparer {
            phase: phase.to_string(),
            reponse,
        })
    }

    /// [`ValidateurEforms::valider_phase`], on the validator's thread (the notice is
    /// copied to it).
    pub fn valider_phase(
        &self,
        xml: &str,
        phase: Option<&str>,
        maintenant: DateTime<Utc>,
    ) -> Result<RapportSchematron> {
        self.demander(|reponse| Demande::Valider {
            xml: xml.to_string(),
            phase: phase.map(str::to_string),
            maintenant,
            reponse,
        })
    }
}

impl Drop for ValidateurEformsPartage {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop; wait for it so that no compiled rules
        // outlive the handle.
        drop(self.envoi.take());
        if let Some(f) = self.fil.take() {
            let _ = f.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regles() -> ReglesEforms {
        let sch = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
          <phase id="eforms-16"><active pattern="p"/></phase>
          <pattern id="p"><rule context="/*"><assert id="R-1" test="false()">R-1</assert></rule></pattern>
        </schema>"#;
        ReglesEforms::charger("essai", |_| Ok(sch.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn plusieurs_fils_memes_rapports() {
        let v = std::sync::Arc::new(ValidateurEformsPartage::new(regles()).unwrap());
        let avis = r#"<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"/>"#;
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 0, 0, 0).unwrap();
        let fils: Vec<_> = (0..4)
            .map(|_| {
                let v = v.clone();
                std::thread::spawn(move || v.valider_phase(avis, Some("eforms-16"), t))
            })
            .collect();
        for f in fils {
            let r = f.join().unwrap().unwrap();
            assert_eq!(r.echecs.len(), 1);
            assert!(!r.valide);
        }
        // Errors cross back typed, and the thread serves on.
        let e = v.valider_phase("<a", None, t).unwrap_err();
        assert_eq!(e.code(), crate::CodeErreur::AvisIllisible);
        let e = v.preparer("eforms-99").unwrap_err();
        assert_eq!(e.code(), crate::CodeErreur::PhaseInconnue);
        assert!(v.valider_phase(avis, Some("eforms-16"), t).is_ok());
    }
}
