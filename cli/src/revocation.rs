//! `mpe verifier --revocation-en-ligne`: the host side of the core's revocation callback.
//! For each certificate of a chain, the OCSP responders of its AIA (a request with a
//! fresh nonce), and its CRL distribution points when no responder answered.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use der::Encode;
use mpe::signature::{self, DonneeEcartee, DonneesRevocation, RappelRevocation, SourceRevocation};
use x509_cert::Certificate;

const DELAI: Duration = Duration::from_secs(10);
const LIMITE_OCSP: usize = 1 << 20;
const LIMITE_CRL: usize = 10 << 20;

fn ecartee(source: SourceRevocation, e: &mpe::Erreur) -> DonneeEcartee {
    DonneeEcartee {
        source,
        code: e.code(),
        message: e.message().to_string(),
    }
}

/// What the responders and distribution points of `cert` give.
fn chercher(cert: &Certificate, emetteur: &Certificate) -> DonneesRevocation {
    let adresses = signature::adresses_revocation(cert);
    let mut d = DonneesRevocation::default();
    if !adresses.ocsp.is_empty() {
        let mut nonce = [0u8; 16];
        rand::Rng::fill_bytes(&mut rand::rng(), &mut nonce);
        match signature::ocsp::requete(cert, emetteur, Some(&nonce)) {
            Ok(requete) => {
                d.nonce = Some(nonce.to_vec());
                for url in &adresses.ocsp {
                    match crate::http::demander(
                        url,
                        Some(("application/ocsp-request", &requete)),
                        LIMITE_OCSP,
                        DELAI,
                    ) {
                        Ok(r) => {
                            d.reponses_ocsp.push(r);
                            break;
                        }
                        Err(e) => d.ecartees.push(ecartee(SourceRevocation::Ocsp, &e)),
                    }
                }
            }
            Err(e) => d.ecartees.push(ecartee(SourceRevocation::Ocsp, &e)),
        }
    }
    if d.reponses_ocsp.is_empty() {
        for url in &adresses.crl {
            match crate::http::demander(url, None, LIMITE_CRL, DELAI) {
                Ok(r) => {
                    // Distribution points serve DER; some serve PEM.
                    match signature::lire_crls(&r) {
                        Ok(crls) => d.crls.extend(crls),
                        Err(e) => d.ecartees.push(ecartee(SourceRevocation::Crl, &e)),
                    }
                    break;
                }
                Err(e) => d.ecartees.push(ecartee(SourceRevocation::Crl, &e)),
            }
        }
    }
    d
}

/// The callback, asking once per certificate however many signatures share it.
pub fn rappel_en_ligne() -> RappelRevocation {
    let deja: Mutex<HashMap<Vec<u8>, DonneesRevocation>> = Mutex::new(HashMap::new());
    RappelRevocation(Arc::new(move |cert, emetteur| {
        let cle = cert.to_der().unwrap_or_default();
        if let Some(d) = deja.lock().ok().and_then(|m| m.get(&cle).cloned()) {
            return d;
        }
        let d = chercher(cert, emetteur);
        if let Ok(mut m) = deja.lock() {
            m.insert(cle, d.clone());
        }
        d
    }))
}
