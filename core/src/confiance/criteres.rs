//! Does a certificate meet the criteria of a Qualifications extension (ETSI TS 119 612,
//! 5.5.9.2.1)? Three-valued: `Some(true)`, `Some(false)`, or `None` when a criterion mpe
//! does not evaluate decides the outcome (then no qualifier may be applied).

use der::asn1::ObjectIdentifier;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{CertificatePolicies, ExtendedKeyUsage, KeyUsage};

use super::liste::{Assertion, Critere, Criteres};

/// Evaluate a CriteriaList on `cert`.
pub fn satisfait(criteres: &Criteres, cert: &Certificate) -> Option<bool> {
    let valeurs: Vec<Option<bool>> = criteres.elements.iter().map(|c| critere(c, cert)).collect();
    let vrai = valeurs.contains(&Some(true));
    let inconnu = valeurs.contains(&None);
    let faux = valeurs.contains(&Some(false));
    match criteres.assertion {
        Assertion::Tous if faux => Some(false),
        Assertion::Tous if inconnu => None,
        Assertion::Tous => Some(true),
        Assertion::AuMoinsUn if vrai => Some(true),
        Assertion::AuMoinsUn if inconnu => None,
        Assertion::AuMoinsUn => Some(false),
        Assertion::Aucun if vrai => Some(false),
        Assertion::Aucun if inconnu => None,
        Assertion::Aucun => Some(true),
    }
}

fn critere(c: &Critere, cert: &Certificate) -> Option<bool> {
    let tbs = cert.tbs_certificate();
    match c {
        Critere::UsageCle(bits) => {
            let ku = match tbs.get_extension::<KeyUsage>() {
                Ok(k) => k.map(|(_, k)| k),
                Err(_) => return None,
            };
            let mut tous = true;
            for (nom, attendu) in bits {
                let a = ku.as_ref().map(|k| bit(k, nom));
                let present = match a {
                    None => false,
                    Some(Some(p)) => p,
                    // An unknown bit name cannot be judged.
                    Some(None) => return None,
                };
                tous &= present == *attendu;
            }
            Some(tous)
        }
        Critere::Politiques(oids) => {
            let pols: Vec<ObjectIdentifier> = match tbs.get_extension::<CertificatePolicies>() {
                Ok(p) => p
                    .map(|(_, p)| p.0.iter().map(|i| i.policy_identifier).collect())
                    .unwrap_or_default(),
                Err(_) => return None,
            };
            tous_presents(oids, &pols)
        }
        Critere::UsagesEtendus(oids) => {
            let ekus: Vec<ObjectIdentifier> = match tbs.get_extension::<ExtendedKeyUsage>() {
                Ok(e) => e.map(|(_, e)| e.0).unwrap_or_default(),
                Err(_) => return None,
            };
            tous_presents(oids, &ekus)
        }
        Critere::AttributsSujet(oids) => {
            let types: Vec<ObjectIdentifier> = tbs
                .subject()
                .iter_rdn()
                .flat_map(|rdn| rdn.iter().map(|atv| atv.oid))
                .collect();
            tous_presents(oids, &types)
        }
        Critere::Liste(l) => satisfait(l, cert),
        Critere::NonSupporte(_) => None,
    }
}

/// Every OID of `attendus` is among `presents` (an unreadable OID: undecided).
fn tous_presents(attendus: &[String], presents: &[ObjectIdentifier]) -> Option<bool> {
    let mut ok = true;
    for a in attendus {
        let oid = ObjectIdentifier::new(a).ok()?;
        ok &= presents.contains(&oid);
    }
    Some(ok)
}

/// A KeyUsage bit by its RFC 5280 name.
fn bit(k: &KeyUsage, nom: &str) -> Option<bool> {
    Some(match nom {
        "digitalSignature" => k.digital_signature(),
        "nonRepudiation" | "contentCommitment" => k.non_repudiation(),
        "keyEncipherment" => k.key_encipherment(),
        "dataEncipherment" => k.data_encipherment(),
        "keyAgreement" => k.key_agreement(),
        "keyCertSign" => k.key_cert_sign(),
        "crlSign" => k.crl_sign(),
        "encipherOnly" => k.encipher_only(),
        "decipherOnly" => k.decipher_only(),
        _ => return None,
    })
}
