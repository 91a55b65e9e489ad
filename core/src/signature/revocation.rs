//! Revocation of a certificate from what the host gave: OCSP responses (RFC 6960, see
//! [`super::ocsp`]) and CRLs (RFC 5280). Data that cannot be believed (a responder the CA
//! did not authorise, a bad signature, a stale "not revoked") is set aside and the report
//! says why; what remains decides.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::{BaseCrlNumber, CrlNumber};
use x509_cert::ext::pkix::{CrlReason, KeyUsage};

use super::asn1;
use super::ocsp::{self, EtatOcsp, RaisonRevocation};
use crate::{CodeErreur, Erreur};

/// Where a revocation status comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SourceRevocation {
    /// An OCSP response.
    Ocsp,
    /// A certificate revocation list.
    Crl,
}

/// Revocation data given but not used, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DonneeEcartee {
    /// OCSP response or CRL.
    pub source: SourceRevocation,
    /// Stable code of the reason.
    pub code: CodeErreur,
    /// Detail, in French.
    pub message: String,
}

/// The revocation check of one certificate of the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ControleRevocation {
    /// Subject of the certificate checked.
    pub certificat: String,
    /// The data that decided (none: no usable data).
    pub source: Option<SourceRevocation>,
    /// Revoked according to that data (`None`: no usable data).
    pub revoque: Option<bool>,
    /// Revocation time.
    pub date_revocation: Option<DateTime<Utc>>,
    /// Revocation reason, when given.
    pub raison: Option<RaisonRevocation>,
    /// thisUpdate of the data used.
    pub mise_a_jour: Option<DateTime<Utc>>,
    /// nextUpdate of the data used.
    pub prochaine_mise_a_jour: Option<DateTime<Utc>>,
    /// Who signed the data used (OCSP responder or CRL issuer).
    pub emetteur: Option<String>,
    /// Data given but set aside.
    pub ecartees: Vec<DonneeEcartee>,
    /// A revocation (its date) claimed only by OCSP responses set aside because their
    /// delegated responder's own revocation could not be checked
    /// ([`CodeErreur::OcspRepondantRevocationInconnue`]): not proven, not ignored either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_non_verifiee: Option<DateTime<Utc>>,
}

/// One usable statement.
struct Constat {
    source: SourceRevocation,
    date: Option<DateTime<Utc>>,
    raison: Option<RaisonRevocation>,
    mise_a_jour: DateTime<Utc>,
    prochaine: Option<DateTime<Utc>>,
    emetteur: String,
}

/// Check `cert` issued by `issuer` against the responses and CRLs, at the validation
/// time `date`. A revocation is believed whenever its data is authentic (revocations are
/// final), except a suspension (certificateHold) out of its data's validity; "not revoked"
/// only from data current at `date`.
pub(crate) fn controler(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[Vec<u8>],
    reponses_ocsp: &[Vec<u8>],
    en_ligne: Option<&DonneesRevocation>,
    date: DateTime<Utc>,
) -> ControleRevocation {
    let nonce = en_ligne.and_then(|d| d.nonce.as_deref());
    let reponses: Vec<(&Vec<u8>, Option<&[u8]>)> = reponses_ocsp
        .iter()
        .map(|r| (r, None))
        .chain(
            en_ligne
                .into_iter()
                .flat_map(|d| d.reponses_ocsp.iter().map(|r| (r, nonce))),
        )
        .collect();
    let crls: Vec<&Vec<u8>> = crls
        .iter()
        .chain(en_ligne.into_iter().flat_map(|d| d.crls.iter()))
        .collect();
    let mut constats = vec![];
    let mut revocation_non_verifiee: Option<DateTime<Utc>> = None;
    let mut ecartees: Vec<DonneeEcartee> = en_ligne.map(|d| d.ecartees.clone()).unwrap_or_default();
    let mut ecarter = |source, e: Erreur| {
        ecartees.push(DonneeEcartee {
            source,
            code: e.code(),
            message: e.message().to_string(),
        })
    };
    for (r, nonce) in &reponses {
        match ocsp::lire_reponse_repondant(r, cert, issuer, *nonce) {
            // Responses about other certificates are normal in a host's bundle.
            Err(e) if e.code() == CodeErreur::OcspAutreCertificat => {}
            Err(e) => ecarter(SourceRevocation::Ocsp, e),
            Ok((rep, repondant)) => {
                let fraiche = ocsp::fraicheur(
                    rep.mise_a_jour,
                    rep.prochaine_mise_a_jour,
                    date,
                    "réponse OCSP",
                );
                let (revocation, raison) = match &rep.etat {
                    EtatOcsp::Revoque { date, raison } => (Some(*date), *raison),
                    EtatOcsp::Bon => (None, None),
                    EtatOcsp::Inconnu => {
                        ecarter(
                            SourceRevocation::Ocsp,
                            Erreur::new(
                                CodeErreur::OcspAutreCertificat,
                                format!(
                                    "le répondeur « {} » ne connaît pas ce certificat (unknown)",
                                    rep.repondant
                                ),
                            ),
                        );
                        continue;
                    }
                };
                if let Err(e) = fraiche
                    && (revocation.is_none() || raison == Some(RaisonRevocation::Suspendu))
                {
                    ecarter(SourceRevocation::Ocsp, e);
                    continue;
                }
                if rep.repondant_delegue
                    && let Err(e) =
                        repondant_non_revoque(&repondant, issuer, &crls, &reponses, date)
                {
                    if e.code() == CodeErreur::OcspRepondantRevocationInconnue
                        && let Some(d) = revocation
                    {
                        revocation_non_verifiee =
                            Some(revocation_non_verifiee.map_or(d, |x| x.min(d)));
                    }
                    ecarter(SourceRevocation::Ocsp, e);
                    continue;
                }
                constats.push(Constat {
                    source: SourceRevocation::Ocsp,
                    date: revocation,
                    raison,
                    mise_a_jour: rep.mise_a_jour,
                    prochaine: rep.prochaine_mise_a_jour,
                    emetteur: rep.repondant,
                });
            }
        }
    }
    let mut suspension_levee = false;
    for der in &crls {
        let r = if numero(der, true).is_some() {
            delta(cert, issuer, der, &crls, date).map(|(c, levee)| {
                suspension_levee |= levee;
                c
            })
        } else {
            crl(cert, issuer, der, date)
        };
        match r {
            Ok(Some(c)) => constats.push(c),
            Ok(None) => {}
            Err(e) => ecarter(SourceRevocation::Crl, e),
        }
    }
    if suspension_levee {
        // A delta applied to its base says the hold was lifted (removeFromCRL).
        constats.retain(|c| {
            !(c.source == SourceRevocation::Crl && c.raison == Some(RaisonRevocation::Suspendu))
        });
    }
    // The earliest revocation wins; else "not revoked", an OCSP answer first (fresher by
    // nature than a list).
    let choisi = constats
        .iter()
        .filter(|c| c.date.is_some())
        .min_by_key(|c| c.date)
        .or_else(|| {
            constats
                .iter()
                .find(|c| c.source == SourceRevocation::Ocsp)
                .or(constats.first())
        });
    ControleRevocation {
        certificat: cert.tbs_certificate().subject().to_string(),
        source: choisi.map(|c| c.source),
        revoque: choisi.map(|c| c.date.is_some()),
        date_revocation: choisi.and_then(|c| c.date),
        raison: choisi.and_then(|c| c.raison),
        mise_a_jour: choisi.map(|c| c.mise_a_jour),
        prochaine_mise_a_jour: choisi.and_then(|c| c.prochaine),
        emetteur: choisi.map(|c| c.emetteur.clone()),
        ecartees,
        revocation_non_verifiee: revocation_non_verifiee
            .filter(|_| choisi.is_none_or(|c| c.date.is_none())),
    }
}

/// RFC 6960 4.2.2.2.1, as EU DSS applies it: a delegated responder's certificate without
/// id-pkix-ocsp-nocheck must itself be shown not revoked, with the data at hand (the CRLs
/// of its CA, OCSP responses the CA itself signed: a responder does not vouch for itself).
fn repondant_non_revoque(
    repondant: &Certificate,
    ca: &Certificate,
    crls: &[&Vec<u8>],
    reponses: &[(&Vec<u8>, Option<&[u8]>)],
    date: DateTime<Utc>,
) -> crate::Result<()> {
    if ocsp::sans_controle(repondant) {
        return Ok(());
    }
    let qui = repondant.tbs_certificate().subject().to_string();
    let mut non_revoque = false;
    let revoque = |d: DateTime<Utc>| {
        Err(Erreur::new(
            CodeErreur::OcspRepondantRevoque,
            format!("le certificat du répondeur OCSP « {qui} » est révoqué depuis le {d}"),
        ))
    };
    for der in crls {
        if let Ok(Some(c)) = crl(repondant, ca, der, date) {
            match c.date {
                Some(d) => return revoque(d),
                None => non_revoque = true,
            }
        }
    }
    for (r, _) in reponses {
        let Ok(rep) = ocsp::lire_reponse(r, repondant, ca, None) else {
            continue;
        };
        if rep.repondant_delegue {
            continue;
        }
        match rep.etat {
            EtatOcsp::Revoque { date: d, .. } => return revoque(d),
            EtatOcsp::Bon
                if ocsp::fraicheur(rep.mise_a_jour, rep.prochaine_mise_a_jour, date, "")
                    .is_ok() =>
            {
                non_revoque = true
            }
            _ => {}
        }
    }
    if non_revoque {
        Ok(())
    } else {
        Err(Erreur::new(
            CodeErreur::OcspRepondantRevocationInconnue,
            format!(
                "répondeur OCSP « {qui} » sans id-pkix-ocsp-nocheck, et aucune CRL ni réponse de \
                 l'autorité ne dit qu'il n'est pas révoqué : sa réponse n'est pas retenue"
            ),
        ))
    }
}

/// Is `der` a CRL issued by `emetteur` (by name; its signature is judged when verifying)?
pub(crate) fn crl_de(der: &[u8], emetteur: &Certificate) -> bool {
    <CertificateList>::from_der(der)
        .is_ok_and(|c| &c.tbs_cert_list.issuer == emetteur.tbs_certificate().subject())
}

/// The cRLNumber (`delta` false) or the deltaCRLIndicator's BaseCRLNumber (`delta` true) of
/// a CRL, big-endian without leading zeros.
fn numero(der: &[u8], delta: bool) -> Option<Vec<u8>> {
    let crl = <CertificateList>::from_der(der).ok()?;
    let oid = if delta {
        <BaseCrlNumber as const_oid::AssociatedOid>::OID
    } else {
        <CrlNumber as const_oid::AssociatedOid>::OID
    };
    let x = crl
        .tbs_cert_list
        .crl_extensions
        .iter()
        .flatten()
        .find(|x| x.extn_id == oid)?;
    let u = der::asn1::Uint::from_der(x.extn_value.as_bytes()).ok()?;
    let b = u.as_bytes();
    let debut = b.iter().position(|o| *o != 0).unwrap_or(b.len());
    Some(b[debut..].to_vec())
}

/// `a` ≥ `b` for two big-endian unsigned numbers without leading zeros.
fn au_moins(a: &[u8], b: &[u8]) -> bool {
    (a.len(), a) >= (b.len(), b)
}

/// A CRL parsed, of the certificate's issuer (`Ok(None)` otherwise), signed by the issuer's
/// key, the issuer allowed to sign CRLs.
fn crl_authentique(
    cert: &Certificate,
    issuer: &Certificate,
    der: &[u8],
) -> crate::Result<Option<CertificateList>> {
    let invalide = |m: String| Erreur::new(CodeErreur::CrlInvalide, m);
    let crl =
        CertificateList::from_der(der).map_err(|e| invalide(format!("CRL illisible : {e}")))?;
    let tbs = &crl.tbs_cert_list;
    if &tbs.issuer != cert.tbs_certificate().issuer() {
        return Ok(None);
    }
    let emetteur = tbs.issuer.to_string();
    let signe = crl.signature.as_bytes().is_some_and(|sig| {
        tbs.to_der().is_ok_and(|t| {
            super::signer::verifier_signature_x509(issuer, &crl.signature_algorithm, &t, sig)
                .is_ok()
        })
    });
    if !signe {
        return Err(invalide(format!(
            "la CRL de « {emetteur} » n'est pas signée par la clé de l'autorité"
        )));
    }
    let crl_sign = issuer
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .ok()
        .flatten()
        .is_none_or(|(_, k)| k.crl_sign());
    if !crl_sign {
        return Err(invalide(format!(
            "l'usage de la clé de « {emetteur} » n'autorise pas la signature de CRL (cRLSign)"
        )));
    }
    Ok(Some(crl))
}

/// The certificate's entry in a CRL: its date and reason.
fn entree_crl(
    crl: &CertificateList,
    cert: &Certificate,
) -> Option<(DateTime<Utc>, Option<RaisonRevocation>)> {
    let entree = crl
        .tbs_cert_list
        .revoked_certificates
        .iter()
        .flatten()
        .filter(|r| &r.serial_number == cert.tbs_certificate().serial_number())
        .min_by_key(|r| r.revocation_date.to_unix_duration())?;
    let raison = entree
        .crl_entry_extensions
        .iter()
        .flatten()
        .find(|x| x.extn_id == asn1::OID_CRL_REASON)
        .and_then(|x| CrlReason::from_der(x.extn_value.as_bytes()).ok())
        .map(RaisonRevocation::from);
    Some((asn1::time_to_chrono(&entree.revocation_date), raison))
}

/// One complete CRL (RFC 5280, 6.3): of the certificate's issuer (by name; `Ok(None)`
/// otherwise), signed by the issuer's key, the issuer allowed to sign CRLs, current at
/// `date` unless it records the revocation.
fn crl(
    cert: &Certificate,
    issuer: &Certificate,
    der: &[u8],
    date: DateTime<Utc>,
) -> crate::Result<Option<Constat>> {
    let Some(crl) = crl_authentique(cert, issuer, der)? else {
        return Ok(None);
    };
    let tbs = &crl.tbs_cert_list;
    let emetteur = tbs.issuer.to_string();
    let entree = entree_crl(&crl, cert);
    let raison = entree.and_then(|e| e.1);
    let mise_a_jour = asn1::time_to_chrono(&tbs.this_update);
    let prochaine = tbs.next_update.as_ref().map(asn1::time_to_chrono);
    if entree.is_none() || raison == Some(RaisonRevocation::Suspendu) {
        ocsp::fraicheur(
            mise_a_jour,
            prochaine,
            date,
            &format!("CRL de « {emetteur} »"),
        )?;
    }
    Ok(Some(Constat {
        source: SourceRevocation::Crl,
        date: entree.map(|e| e.0),
        raison,
        mise_a_jour,
        prochaine,
        emetteur,
    }))
}

/// A delta CRL (RFC 5280 5.2.4): a revocation it lists is believed (authentic, final);
/// anything else needs its complete CRL among `crls` (same issuer, cRLNumber at least the
/// delta's BaseCRLNumber), and then the status is the complete CRL's updated by the delta,
/// current by the delta's dates. Without it: [`CodeErreur::CrlDeltaSansBase`], never taken
/// as a complete CRL. The `bool`: the delta lifts a hold of its base (removeFromCRL).
fn delta(
    cert: &Certificate,
    issuer: &Certificate,
    der: &[u8],
    crls: &[&Vec<u8>],
    date: DateTime<Utc>,
) -> crate::Result<(Option<Constat>, bool)> {
    let Some(d) = crl_authentique(cert, issuer, der)? else {
        return Ok((None, false));
    };
    let tbs = &d.tbs_cert_list;
    let emetteur = tbs.issuer.to_string();
    let mise_a_jour = asn1::time_to_chrono(&tbs.this_update);
    let prochaine = tbs.next_update.as_ref().map(asn1::time_to_chrono);
    let constat = |date, raison| Constat {
        source: SourceRevocation::Crl,
        date,
        raison,
        mise_a_jour,
        prochaine,
        emetteur: emetteur.clone(),
    };
    let fraiche = || {
        ocsp::fraicheur(
            mise_a_jour,
            prochaine,
            date,
            &format!("CRL delta de « {emetteur} »"),
        )
    };
    let dans_delta = entree_crl(&d, cert);
    if let Some((quand, raison)) = dans_delta
        && raison != Some(RaisonRevocation::RetireDeLaCrl)
    {
        if raison == Some(RaisonRevocation::Suspendu) {
            fraiche()?;
        }
        return Ok((Some(constat(Some(quand), raison)), false));
    }
    let base_attendue = numero(der, true).unwrap_or_default();
    let base = crls
        .iter()
        .filter(|b| numero(b, true).is_none())
        .filter(|b| numero(b, false).is_some_and(|n| au_moins(&n, &base_attendue)))
        .find_map(|b| crl_authentique(cert, issuer, b).ok().flatten());
    let Some(base) = base else {
        return Err(Erreur::new(
            CodeErreur::CrlDeltaSansBase,
            format!(
                "CRL delta de « {emetteur} » (base n° {}) sans sa CRL complète : non prise pour une CRL complète",
                hex::encode(&base_attendue)
            ),
        ));
    };
    fraiche()?;
    let retiree = dans_delta.is_some();
    match entree_crl(&base, cert) {
        Some((quand, raison)) if !retiree => Ok((Some(constat(Some(quand), raison)), false)),
        _ => Ok((Some(constat(None, None)), retiree)),
    }
}

/// What a host fetched for one certificate (OCSP responses, CRLs) when the core asked
/// through [`RappelRevocation`].
#[derive(Debug, Clone, Default)]
pub struct DonneesRevocation {
    /// OCSP responses (DER `OCSPResponse`).
    pub reponses_ocsp: Vec<Vec<u8>>,
    /// The nonce the requests of these responses carried: a response without it is set
    /// aside (a replayed response).
    pub nonce: Option<Vec<u8>>,
    /// CRLs (DER).
    pub crls: Vec<Vec<u8>>,
    /// What could not be fetched (unreachable responder ...), for the report.
    pub ecartees: Vec<DonneeEcartee>,
}

/// A host callback that fetches revocation data for a certificate and its issuer, called
/// for each link of the chain while a signature is judged (the CLI's
/// `--revocation-en-ligne` asks the responders of the AIA and the CRL distribution
/// points). The core itself does no network I/O.
#[derive(Clone)]
pub struct RappelRevocation(
    #[allow(clippy::type_complexity)]
    pub  std::sync::Arc<
        dyn Fn(&Certificate, &Certificate) -> DonneesRevocation
            + Send
            + Sync
            + std::panic::RefUnwindSafe,
    >,
);

impl std::fmt::Debug for RappelRevocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RappelRevocation")
    }
}

/// Where the revocation status of a certificate is published: the OCSP responders of its
/// Authority Information Access and the URIs of its CRL distribution points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdressesRevocation {
    /// id-ad-ocsp access locations (URIs).
    pub ocsp: Vec<String>,
    /// distributionPoint fullName URIs.
    pub crl: Vec<String>,
}

/// The addresses a certificate gives for its revocation status.
pub fn adresses(cert: &Certificate) -> AdressesRevocation {
    use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
    use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};
    const ID_AD_OCSP: der::asn1::ObjectIdentifier =
        der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
    let uri = |g: &GeneralName| match g {
        GeneralName::UniformResourceIdentifier(u) => Some(u.to_string()),
        _ => None,
    };
    let tbs = cert.tbs_certificate();
    let ocsp = tbs
        .get_extension::<AuthorityInfoAccessSyntax>()
        .ok()
        .flatten()
        .map(|(_, aia)| {
            aia.0
                .iter()
                .filter(|a| a.access_method == ID_AD_OCSP)
                .filter_map(|a| uri(&a.access_location))
                .collect()
        })
        .unwrap_or_default();
    let crl = tbs
        .get_extension::<CrlDistributionPoints>()
        .ok()
        .flatten()
        .map(|(_, dps)| {
            dps.0
                .iter()
                .filter_map(|dp| match &dp.distribution_point {
                    Some(DistributionPointName::FullName(noms)) => Some(noms),
                    _ => None,
                })
                .flatten()
                .filter_map(uri)
                .collect()
        })
        .unwrap_or_default();
    AdressesRevocation { ocsp, crl }
}
