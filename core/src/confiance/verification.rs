//! Is a trusted list usable? Its one enveloped XML signature verified (core validation by
//! `signature::xmldsig`), its signer one of the certificates announced for it (direct trust,
//! ETSI TS 119 612 and DSS: the announcement is the anchor, no chain is built), the whole
//! list covered, no SHA-1, and the list current at the time given (issued, NextUpdate not
//! passed, sequence not going back).

use chrono::{DateTime, Utc};
use der::Encode;
use serde::{Deserialize, Serialize};
use uppsala::NodeId;
use x509_cert::Certificate;

use super::lecture;
use super::liste::ListeConfiance;
use crate::signature::reference_xml::{DS, Externes};
use crate::signature::{Probleme, SousIndication, Statut, algorithmes_xml, etsi, xmldsig};
use crate::{CodeErreur, Erreur, Result};

/// What the host says about a list: who may sign it, when it is used, what it knew before.
#[derive(Debug, Clone)]
pub struct OptionsListe {
    /// Certificates announced for this list (by the LOTL pointer for a national list; by
    /// the Official Journal or the previous pivot for the LOTL).
    pub certificats_annonces: Vec<Certificate>,
    /// Time of use (the core reads no clock).
    pub date: DateTime<Utc>,
    /// Sequence number of the last list of this issuer already accepted, if any.
    pub sequence_connue: Option<u64>,
    /// Territory the announcing pointer gives (`FR`…): another one is refused.
    pub territoire_annonce: Option<String>,
    /// A pivot LOTL: superseded by definition, so its NextUpdate is not checked (only its
    /// signature by announced keys matters, as in EU DSS).
    pub pivot: bool,
}

impl OptionsListe {
    /// Options with the announced certificates and the time only.
    pub fn new(certificats_annonces: Vec<Certificate>, date: DateTime<Utc>) -> OptionsListe {
        OptionsListe {
            certificats_annonces,
            date,
            sequence_connue: None,
            territoire_annonce: None,
            pivot: false,
        }
    }
}

/// The verdict on one list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RapportListe {
    /// VALIDE: usable. INVALIDE: proven broken (hash, signature, structure). INDÉTERMINÉ:
    /// signer not announced, list out of date, weak algorithm.
    pub statut: Statut,
    /// The list may be used for qualification (`statut` is VALIDE).
    pub utilisable: bool,
    /// Code of the first problem (ETSI order).
    pub code: Option<CodeErreur>,
    /// ETSI sub-indication of the first problem.
    pub sous_indication: Option<SousIndication>,
    /// Why the list is not usable.
    pub raison: Option<String>,
    /// Every problem found.
    pub problemes: Vec<Probleme>,
    /// The references of the signature match the list.
    pub integrite: bool,
    /// The signature value verifies with the signer's key.
    pub signature_valide: bool,
    /// Subject of the certificate whose key verifies the signature.
    pub signataire: Option<String>,
    /// That certificate's key is one of the announced certificates'.
    pub signataire_annonce: bool,
    /// What the list says (read even when it is not usable: the report shows it).
    pub liste: ListeConfiance,
}

/// The part of the verification that depends only on the bytes and the announced
/// certificates (what [`super::CacheListes`] keeps).
#[derive(Debug, Clone)]
pub(crate) struct ControleSignature {
    pub liste: ListeConfiance,
    pub problemes: Vec<Probleme>,
    pub integrite: bool,
    pub signature_valide: bool,
    pub signataire: Option<Certificate>,
}

fn probleme(statut: Statut, sous_indication: SousIndication, e: &Erreur) -> Probleme {
    Probleme {
        statut,
        sous_indication,
        code: e.code(),
        message: e.message().to_string(),
    }
}

fn selon_code(e: &Erreur) -> Probleme {
    let (s, si) = etsi::verdict(e.code());
    probleme(s, si, e)
}

/// Verify a list: errors for what is not a list at all (unreadable, hostile, not exactly
/// one signature), a report for the rest.
pub fn verifier_liste(octets: &[u8], opts: &OptionsListe) -> Result<RapportListe> {
    let c = controler_signature(octets, &opts.certificats_annonces)?;
    Ok(juger(&c, opts))
}

/// Parse and check the signature (the costly part).
pub(crate) fn controler_signature(
    octets: &[u8],
    annonces: &[Certificate],
) -> Result<ControleSignature> {
    let texte = lecture::texte(octets)?;
    let d = lecture::analyser(&texte)?;
    let liste = lecture::lire_document(&d, octets)?;
    let racine = d.racine()?;
    let sigs: Vec<NodeId> = d
        .elements(racine)
        .into_iter()
        .filter(|n| d.est(*n, DS, "Signature") && d.ancetre(*n, DS, "Signature").is_none())
        .collect();
    let sig = match sigs.as_slice() {
        [une] => *une,
        _ => {
            return Err(Erreur::new(
                CodeErreur::ListeConfianceNonSignee,
                format!(
                    "une liste de confiance porte exactement une signature (ici {})",
                    sigs.len()
                ),
            ));
        }
    };
    let mut problemes = vec![];
    let mut externes = Externes::new(&[], None);
    let v = match xmldsig::verifier(
        &d,
        sig,
        &mut externes,
        annonces,
        &|_: &[Certificate]| -> Option<Certificate> { None },
    ) {
        Ok(v) => v,
        Err(e) => {
            problemes.push(selon_code(&e));
            return Ok(ControleSignature {
                liste,
                problemes,
                integrite: false,
                signature_valide: false,
                signataire: None,
            });
        }
    };
    if let Err(e) = &v.integrity {
        problemes.push(selon_code(e));
    }
    if let Err(e) = &v.crypto {
        problemes.push(selon_code(e));
    }
    // The signature must cover the whole list (enveloped), not a part of it.
    let couvre = v
        .references
        .iter()
        .any(|r| r.cible.is_none() || r.cible == Some(racine));
    let avec_uri_interne = enveloppee(&d, sig, racine);
    if !couvre || !avec_uri_interne {
        problemes.push(probleme(
            Statut::Invalide,
            SousIndication::FormatFailure,
            &Erreur::new(
                CodeErreur::ListeConfianceNonConforme,
                "la signature ne couvre pas toute la liste (référence enveloppée attendue)",
            ),
        ));
    }
    // SHA-1 is no longer accepted for a list's signature (DSS: CRYPTO_CONSTRAINTS_FAILURE).
    let mut faibles: Vec<String> = digests(&d, sig)
        .into_iter()
        .filter(|u| algorithmes_xml::empreinte(u).is_ok_and(|a| a.est_obsolete()))
        .collect();
    if v.empreinte.est_obsolete() {
        faibles.push(format!("{:?} (méthode de signature)", v.empreinte));
    }
    if !faibles.is_empty() {
        problemes.push(probleme(
            Statut::Indetermine,
            SousIndication::CryptoConstraintsFailureNoPoe,
            &Erreur::new(
                CodeErreur::AlgorithmeRefuse,
                format!(
                    "algorithme d'empreinte obsolète dans la signature de la liste : {}",
                    faibles.join(", ")
                ),
            ),
        ));
    }
    Ok(ControleSignature {
        liste,
        problemes,
        integrite: v.integrity.is_ok(),
        signature_valide: v.crypto.is_ok(),
        signataire: if v.crypto.is_ok() && !v.cle_sans_certificat {
            v.signer
        } else {
            None
        },
    })
}

/// Is there a reference to the whole document (URI "" or the root's Id) with the
/// enveloped-signature transform?
fn enveloppee(
    d: &crate::signature::document_xml::DocumentXml<'_>,
    sig: NodeId,
    racine: NodeId,
) -> bool {
    let Some(si) = d.enfant(sig, DS, "SignedInfo") else {
        return false;
    };
    d.enfants(si)
        .filter(|r| d.est(*r, DS, "Reference"))
        .any(|r| {
            let uri = d.attribut(r, "URI").unwrap_or("");
            let vise_racine = uri.is_empty()
                || uri
                    .strip_prefix('#')
                    .is_some_and(|id| d.par_id(id).ok() == Some(racine));
            let transforme = d
                .enfant(r, DS, "Transforms")
                .map(|t| {
                    d.enfants(t).any(|x| {
                        d.attribut(x, "Algorithm")
                            == Some("http://www.w3.org/2000/09/xmldsig#enveloped-signature")
                    })
                })
                .unwrap_or(false);
            vise_racine && transforme
        })
}

/// The DigestMethod URIs of SignedInfo's references.
fn digests(d: &crate::signature::document_xml::DocumentXml<'_>, sig: NodeId) -> Vec<String> {
    d.enfant(sig, DS, "SignedInfo")
        .map(|si| {
            d.enfants(si)
                .filter(|r| d.est(*r, DS, "Reference"))
                .filter_map(|r| d.enfant(r, DS, "DigestMethod"))
                .filter_map(|m| d.attribut(m, "Algorithm").map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn spki(c: &Certificate) -> Option<Vec<u8>> {
    c.tbs_certificate().subject_public_key_info().to_der().ok()
}

/// The cheap part: trust in the signer and the time checks.
pub(crate) fn juger(c: &ControleSignature, opts: &OptionsListe) -> RapportListe {
    let mut problemes = c.problemes.clone();
    let annonce = c.signataire.as_ref().is_some_and(|s| {
        let k = spki(s);
        k.is_some() && opts.certificats_annonces.iter().any(|a| spki(a) == k)
    });
    if c.signataire.is_some() && !annonce {
        problemes.push(probleme(
            Statut::Indetermine,
            SousIndication::NoCertificateChainFound,
            &Erreur::new(
                CodeErreur::ListeConfianceSignataireNonAnnonce,
                "la liste est signée par un certificat qui n'est pas annoncé pour elle",
            ),
        ));
    }
    let l = &c.liste;
    let perimee = |m: String| {
        probleme(
            Statut::Indetermine,
            SousIndication::TryLater,
            &Erreur::new(CodeErreur::ListeConfiancePerimee, m),
        )
    };
    match (l.date_emission, l.prochaine_mise_a_jour) {
        (Some(e), _) if e > opts.date => problemes.push(perimee(format!(
            "liste émise le {e}, après la date d'usage {}",
            opts.date
        ))),
        (None, _) => problemes.push(perimee("liste sans date d'émission".into())),
        _ if opts.pivot => {}
        (_, None) => problemes.push(perimee("liste close (sans prochaine mise à jour)".into())),
        (_, Some(p)) if p < opts.date => problemes.push(perimee(format!(
            "liste périmée depuis le {p} (date d'usage {})",
            opts.date
        ))),
        _ => {}
    }
    if let (Some(connue), Some(n)) = (opts.sequence_connue, l.numero_sequence)
        && n < connue
    {
        problemes.push(probleme(
            Statut::Indetermine,
            SousIndication::TryLater,
            &Erreur::new(
                CodeErreur::ListeConfianceSequence,
                format!("numéro de séquence {n} inférieur au dernier connu ({connue})"),
            ),
        ));
    }
    if let Some(t) = &opts.territoire_annonce
        && l.territoire.as_deref() != Some(t.as_str())
    {
        problemes.push(probleme(
            Statut::Indetermine,
            SousIndication::SigConstraintsFailure,
            &Erreur::new(
                CodeErreur::ListeConfianceNonConforme,
                format!(
                    "territoire « {} », annoncé pour « {t} »",
                    l.territoire.as_deref().unwrap_or("")
                ),
            ),
        ));
    }
    let statut = if problemes.iter().any(|p| p.statut == Statut::Invalide) {
        Statut::Invalide
    } else if problemes.is_empty() {
        Statut::Valide
    } else {
        Statut::Indetermine
    };
    let premier = if statut == Statut::Invalide {
        problemes.iter().find(|p| p.statut == Statut::Invalide)
    } else {
        problemes.iter().min_by_key(|p| p.sous_indication.rang())
    };
    RapportListe {
        statut,
        utilisable: statut == Statut::Valide,
        code: premier.map(|p| p.code),
        sous_indication: premier.map(|p| p.sous_indication),
        raison: premier.map(|p| p.message.clone()),
        integrite: c.integrite,
        signature_valide: c.signature_valide,
        signataire: c
            .signataire
            .as_ref()
            .map(|s| s.tbs_certificate().subject().to_string()),
        signataire_annonce: annonce,
        problemes,
        liste: c.liste.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(octets: &[u8]) -> CodeErreur {
        let opts = OptionsListe::new(vec![], Utc::now());
        verifier_liste(octets, &opts).unwrap_err().code()
    }

    const TETE: &str = "<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\">\
        <SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier></SchemeInformation>";

    #[test]
    fn xml_hostile_refuse_avec_son_code() {
        // Entity expansion (billion laughs): DTDs are refused before any expansion.
        let rires = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"ha\">\
            <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\
            <TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\">&c;</TrustServiceStatusList>";
        assert_eq!(code(rires.as_bytes()), CodeErreur::XmlDtdInterdite);
        // An external entity.
        let externe = "<!DOCTYPE l [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><l>&x;</l>";
        assert_eq!(code(externe.as_bytes()), CodeErreur::XmlDtdInterdite);
        // Huge depth.
        let profond = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert_eq!(code(profond.as_bytes()), CodeErreur::LimiteDepassee);
        // Huge size (refused before parsing).
        let mut gros = TETE.as_bytes().to_vec();
        gros.resize(lecture::TAILLE_MAX + 1, b' ');
        assert_eq!(code(&gros), CodeErreur::LimiteDepassee);
    }

    #[test]
    fn pas_une_liste() {
        assert_eq!(code(b""), CodeErreur::ListeConfianceMalformee);
        assert_eq!(code(b"  \n"), CodeErreur::ListeConfianceMalformee);
        assert_eq!(code(b"<a><b></a>"), CodeErreur::ListeConfianceMalformee);
        assert_eq!(code(b"<a/>"), CodeErreur::ListeConfianceMalformee);
        assert_eq!(code(b"\xff\xfe\x00"), CodeErreur::ListeConfianceMalformee);
        let sans_si = "<TrustServiceStatusList xmlns=\"http://uri.etsi.org/02231/v2#\"/>";
        assert_eq!(
            code(sans_si.as_bytes()),
            CodeErreur::ListeConfianceMalformee
        );
    }

    #[test]
    fn une_seule_signature() {
        let sans = format!("{TETE}</TrustServiceStatusList>");
        assert_eq!(code(sans.as_bytes()), CodeErreur::ListeConfianceNonSignee);
        let sig = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>";
        let deux = format!("{TETE}{sig}{sig}</TrustServiceStatusList>");
        assert_eq!(code(deux.as_bytes()), CodeErreur::ListeConfianceNonSignee);
        // One signature that is not even well structured: a report, INVALIDE.
        let une = format!("{TETE}{sig}</TrustServiceStatusList>");
        let r = verifier_liste(une.as_bytes(), &OptionsListe::new(vec![], Utc::now())).unwrap();
        assert_eq!(r.statut, Statut::Invalide);
        assert!(!r.utilisable);
    }
}
