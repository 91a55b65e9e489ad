//! Certificate paths: from the signer's certificate to a trust anchor, through the
//! certificates of the signature and the host's intermediates, whatever their order
//! (revocation: [`super::revocation`]).

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

use crate::{CodeErreur, Erreur};

/// Longest path tried (RFC 5280 leaves it to the relying party; real PKIs have 2 to 4).
const PROFONDEUR: usize = 8;

/// A path found (or the longest partial one).
#[derive(Debug, Clone)]
pub(crate) struct ChaineConstruite {
    /// Signer first, then issuers, the anchor last when approved.
    pub certificats: Vec<Certificate>,
    /// It ends on an anchor the host gave.
    pub approuvee: bool,
    /// Why no path could be built although issuers were found (an issuer that is not a
    /// CA): CERTIFICATE_CHAIN_GENERAL_FAILURE rather than a missing anchor.
    pub erreur: Option<Erreur>,
}

/// Certificates with the bytes of their `tbsCertificate` as found in the file: a signature
/// is over those bytes, and a decoded certificate does not always re-encode to them.
#[derive(Debug, Default)]
pub(crate) struct Bruts(Vec<(Certificate, Vec<u8>)>);

impl Bruts {
    /// From certificates as encoded in a signature (undecodable ones are skipped).
    pub(crate) fn new(ders: &[Vec<u8>]) -> Bruts {
        Bruts(
            ders.iter()
                .filter_map(|d| {
                    let c = Certificate::from_der(d).ok()?;
                    let mut r = der::SliceReader::new(d).ok()?;
                    let h = der::Header::peek(&r).ok()?;
                    let _ = der::Reader::read_slice(&mut r, h.encoded_len().ok()?).ok()?;
                    let tbs = der::Reader::tlv_bytes(&mut r).ok()?.to_vec();
                    Some((c, tbs))
                })
                .collect(),
        )
    }

    fn tbs(&self, cert: &Certificate) -> Option<Vec<u8>> {
        self.0
            .iter()
            .find(|(c, _)| c == cert)
            .map(|(_, t)| t.clone())
            .or_else(|| cert.tbs_certificate().to_der().ok())
    }
}

/// Does `issuer` sign `cert`? Names first (cheap), then the signature with any algorithm
/// mpe verifies, over the bytes of `cert` as found in the file when known.
fn signe_par_brut(cert: &Certificate, issuer: &Certificate, bruts: &Bruts) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let Some(tbs) = bruts.tbs(cert) else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else {
        return false;
    };
    super::signer::verifier_signature_x509(issuer, cert.signature_algorithm(), &tbs, sig).is_ok()
}

/// May `cert` issue certificates? basicConstraints cA and, when key usage is present,
/// keyCertSign (RFC 5280, 4.2.1.9 and 4.2.1.3). Without it any end-entity certificate
/// given beside a signature could vouch for another one.
pub(crate) fn est_autorite(cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    // RFC 5280, 6.1.4 (k) asks basicConstraints of version 3 certificates only: a v1 or v2
    // CA certificate (old roots cross-signing a qualified CA) has no extensions to show.
    if tbs.version() != x509_cert::certificate::Version::V3 {
        return true;
    }
    let ca = tbs
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, b)| b.ca);
    let ku = tbs
        .get_extension::<KeyUsage>()
        .ok()
        .flatten()
        .is_none_or(|(_, k)| k.key_cert_sign());
    ca && ku
}

/// Build the path from `cert` to one of `anchors` (trusted as given: the host's choice),
/// through `pool` (untrusted; intermediates must be CAs). Every candidate issuer is tried
/// (cross-certificates, re-keyed CAs with the same name), depth first.
pub(crate) fn construire(
    cert: &Certificate,
    pool: &[Certificate],
    anchors: &[Certificate],
) -> ChaineConstruite {
    construire_brut(cert, pool, anchors, &Bruts::default())
}

/// [`construire`] with the certificates' bytes as the signature carries them.
pub(crate) fn construire_brut(
    cert: &Certificate,
    pool: &[Certificate],
    anchors: &[Certificate],
    bruts: &Bruts,
) -> ChaineConstruite {
    let mut best = vec![cert.clone()];
    let mut erreur = None;
    let mut path = vec![cert.clone()];
    if chercher(&mut path, pool, anchors, bruts, &mut best, &mut erreur) {
        return ChaineConstruite {
            certificats: path,
            approuvee: true,
            erreur: None,
        };
    }
    ChaineConstruite {
        certificats: best,
        approuvee: false,
        erreur,
    }
}

fn chercher(
    path: &mut Vec<Certificate>,
    pool: &[Certificate],
    anchors: &[Certificate],
    bruts: &Bruts,
    best: &mut Vec<Certificate>,
    erreur: &mut Option<Erreur>,
) -> bool {
    let Some(current) = path.last().cloned() else {
        return false;
    };
    if anchors.iter().any(|a| a == &current) {
        return true;
    }
    if let Some(a) = anchors.iter().find(|a| signe_par_brut(&current, a, bruts)) {
        path.push(a.clone());
        return true;
    }
    if path.len() > best.len() {
        *best = path.clone();
    }
    if path.len() >= PROFONDEUR {
        return false;
    }
    for next in pool {
        if path.contains(next) || !signe_par_brut(&current, next, bruts) {
            continue;
        }
        if !est_autorite(next) {
            // Signed by an end-entity key: that link can never be part of a path.
            erreur.get_or_insert_with(|| {
                Erreur::new(
                    CodeErreur::ChaineNonApprouvee,
                    format!(
                        "le certificat « {} » est émis par « {} », qui n'est pas une autorité de certification",
                        current.tbs_certificate().subject(),
                        next.tbs_certificate().subject()
                    ),
                )
            });
            continue;
        }
        path.push(next.clone());
        if chercher(path, pool, anchors, bruts, best, erreur) {
            return true;
        }
        path.pop();
    }
    false
}
