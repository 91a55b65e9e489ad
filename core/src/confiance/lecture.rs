//! Reading a trusted list's XML into [`ListeConfiance`], with the project's XML stack
//! (`signature::document_xml`: DTDs and unknown entities refused, depth bounded). Only
//! structure is read here; trust comes from [`super::verification`].

use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};
use uppsala::NodeId;

use super::liste::{
    Assertion, Critere, Criteres, EtatService, IdentiteService, ListeConfiance, PointeurListe,
    Prestataire, QualificationListe, ServiceConfiance,
};
use crate::signature::document_xml::{self, DocumentXml};
use crate::signature::reference_xml::DS;
use crate::{CodeErreur, Erreur, Result};

/// Namespace of TS 119 612 lists.
pub(crate) const TSL: &str = "http://uri.etsi.org/02231/v2#";
/// Largest list accepted: the biggest national lists are a few MB.
pub(crate) const TAILLE_MAX: usize = 64 << 20;

pub(crate) fn malformee(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::ListeConfianceMalformee, m.into())
}

/// Read a list (no trust is given to it).
///
/// Errors: [`CodeErreur::LimiteDepassee`] (too large, too deep), [`CodeErreur::XmlDtdInterdite`]
/// (DTD, entities), [`CodeErreur::ListeConfianceMalformee`] (not XML, not a list).
pub fn lire_liste(octets: &[u8]) -> Result<ListeConfiance> {
    let texte = texte(octets)?;
    let d = analyser(&texte)?;
    lire_document(&d, octets)
}

/// The text of a list, bounded.
pub(crate) fn texte(octets: &[u8]) -> Result<std::borrow::Cow<'_, str>> {
    if octets.len() > TAILLE_MAX {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!(
                "liste de confiance de {} octets (au plus {TAILLE_MAX})",
                octets.len()
            ),
        ));
    }
    if octets.iter().all(u8::is_ascii_whitespace) {
        return Err(malformee("liste de confiance vide"));
    }
    document_xml::texte(octets).map_err(|e| reclasser(e, "encodage"))
}

/// Parse, keeping the typed limits and DTD refusals and calling anything else unreadable.
pub(crate) fn analyser<'a>(texte: &'a str) -> Result<DocumentXml<'a>> {
    DocumentXml::analyser(texte).map_err(|e| reclasser(e, "XML"))
}

fn reclasser(e: Erreur, quoi: &str) -> Erreur {
    match e.code() {
        CodeErreur::LimiteDepassee | CodeErreur::XmlDtdInterdite => e,
        _ => malformee(format!(
            "liste de confiance illisible ({quoi}) : {}",
            e.message()
        )),
    }
}

/// Read the list of a parsed document.
pub(crate) fn lire_document(d: &DocumentXml<'_>, octets: &[u8]) -> Result<ListeConfiance> {
    let racine = d.racine()?;
    if !d.est(racine, TSL, "TrustServiceStatusList") {
        return Err(malformee(format!(
            "élément racine « {} » : une liste de confiance est un TrustServiceStatusList",
            d.nom_local(racine)
        )));
    }
    let si = d
        .enfant(racine, TSL, "SchemeInformation")
        .ok_or_else(|| malformee("SchemeInformation absent"))?;
    let t = |n: NodeId, local: &str| -> Option<String> {
        d.enfant(n, TSL, local)
            .map(|c| d.texte(c).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let version = t(si, "TSLVersionIdentifier").and_then(|v| v.parse().ok());
    let numero_sequence = t(si, "TSLSequenceNumber").and_then(|v| v.parse().ok());
    let prochaine = d
        .enfant(si, TSL, "NextUpdate")
        .and_then(|n| d.enfant(n, TSL, "dateTime"))
        .and_then(|n| date(&d.texte(n)));
    let points_distribution = d
        .enfant(si, TSL, "DistributionPoints")
        .map(|n| uris(d, n))
        .unwrap_or_default();
    // DSS's PivotSchemeInformationURI: the URIs ending in `.xml` are the pivots.
    let pivots = d
        .enfant(si, TSL, "SchemeInformationURI")
        .map(|n| uris(d, n))
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.ends_with(".xml"))
        .collect();
    let pointeurs = d
        .enfant(si, TSL, "PointersToOtherTSL")
        .map(|p| {
            d.enfants(p)
                .filter(|n| d.est(*n, TSL, "OtherTSLPointer"))
                .map(|n| pointeur(d, n))
                .collect()
        })
        .unwrap_or_default();
    let prestataires = d
        .enfant(racine, TSL, "TrustServiceProviderList")
        .map(|l| {
            d.enfants(l)
                .filter(|n| d.est(*n, TSL, "TrustServiceProvider"))
                .map(|n| prestataire(d, n))
                .collect()
        })
        .unwrap_or_default();
    let signatures = d
        .elements(racine)
        .into_iter()
        .filter(|n| d.est(*n, DS, "Signature") && d.ancetre(*n, DS, "Signature").is_none())
        .count();
    Ok(ListeConfiance {
        version,
        numero_sequence,
        type_liste: t(si, "TSLType"),
        territoire: t(si, "SchemeTerritory"),
        operateur: d
            .enfant(si, TSL, "SchemeOperatorName")
            .and_then(|n| premier_nom(d, n)),
        date_emission: t(si, "ListIssueDateTime").and_then(|s| date(&s)),
        prochaine_mise_a_jour: prochaine,
        points_distribution,
        pivots,
        pointeurs,
        prestataires,
        signatures,
        empreinte: hex::encode(Sha256::digest(octets)),
    })
}

/// An xsd:dateTime (with or without zone: without, UTC as the lists mean it).
pub(crate) fn date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

fn uris(d: &DocumentXml<'_>, n: NodeId) -> Vec<String> {
    d.enfants(n)
        .filter(|c| d.nom_local(*c) == "URI")
        .map(|c| d.texte(c).trim().to_string())
        .collect()
}

fn premier_nom(d: &DocumentXml<'_>, n: NodeId) -> Option<String> {
    d.enfants(n)
        .find(|c| d.nom_local(*c) == "Name")
        .map(|c| d.texte(c).trim().to_string())
}

fn noms(d: &DocumentXml<'_>, n: NodeId) -> Vec<String> {
    d.enfants(n)
        .filter(|c| d.nom_local(*c) == "Name")
        .map(|c| d.texte(c).trim().to_string())
        .collect()
}

/// Base64 text without whitespace (certificates are kept as the list writes them).
fn b64(d: &DocumentXml<'_>, n: NodeId) -> String {
    d.texte(n)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect()
}

fn identite(d: &DocumentXml<'_>, sdi: Option<NodeId>) -> IdentiteService {
    let mut id = IdentiteService::default();
    let Some(sdi) = sdi else { return id };
    for n in d.elements(sdi) {
        match (d.espace(n), d.nom_local(n)) {
            (TSL, "X509Certificate") => id.certificats.push(b64(d, n)),
            (TSL, "X509SubjectName") => id.sujets.push(d.texte(n).trim().to_string()),
            (TSL, "X509SKI") => {
                if let Ok(v) = d.base64(n) {
                    id.ski.push(hex::encode(v));
                }
            }
            _ => {}
        }
    }
    id
}

fn pointeur(d: &DocumentXml<'_>, n: NodeId) -> PointeurListe {
    let mut p = PointeurListe {
        emplacement: d
            .enfant(n, TSL, "TSLLocation")
            .map(|l| d.texte(l).trim().to_string())
            .unwrap_or_default(),
        type_liste: None,
        territoire: None,
        type_mime: None,
        certificats: vec![],
    };
    if let Some(ids) = d.enfant(n, TSL, "ServiceDigitalIdentities") {
        for sdi in d.enfants(ids) {
            p.certificats.extend(identite(d, Some(sdi)).certificats);
        }
    }
    if let Some(ai) = d.enfant(n, TSL, "AdditionalInformation") {
        for oi in d.enfants(ai) {
            for c in d.enfants(oi) {
                let v = d.texte(c).trim().to_string();
                match d.nom_local(c) {
                    "TSLType" => p.type_liste = Some(v),
                    "SchemeTerritory" => p.territoire = Some(v),
                    "MimeType" => p.type_mime = Some(v),
                    _ => {}
                }
            }
        }
    }
    p
}

fn prestataire(d: &DocumentXml<'_>, n: NodeId) -> Prestataire {
    let info = d.enfant(n, TSL, "TSPInformation");
    let services = d
        .enfant(n, TSL, "TSPServices")
        .map(|s| {
            d.enfants(s)
                .filter(|c| d.est(*c, TSL, "TSPService"))
                .map(|c| service(d, c))
                .collect()
        })
        .unwrap_or_default();
    Prestataire {
        nom: info
            .and_then(|i| d.enfant(i, TSL, "TSPName"))
            .and_then(|x| premier_nom(d, x))
            .unwrap_or_default(),
        noms_commerciaux: info
            .and_then(|i| d.enfant(i, TSL, "TSPTradeName"))
            .map(|x| noms(d, x))
            .unwrap_or_default(),
        services,
    }
}

/// A TSPService (one without ServiceInformation is kept, empty: it matches nothing).
fn service(d: &DocumentXml<'_>, n: NodeId) -> ServiceConfiance {
    let historique = d
        .enfant(n, TSL, "ServiceHistory")
        .map(|h| {
            d.enfants(h)
                .filter(|c| d.est(*c, TSL, "ServiceHistoryInstance"))
                .map(|c| etat(d, c))
                .collect()
        })
        .unwrap_or_default();
    ServiceConfiance {
        actuel: d
            .enfant(n, TSL, "ServiceInformation")
            .map(|si| etat(d, si))
            .unwrap_or_default(),
        historique,
    }
}

fn etat(d: &DocumentXml<'_>, n: NodeId) -> EtatService {
    let t = |local: &str| {
        d.enfant(n, TSL, local)
            .map(|c| d.texte(c).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut e = EtatService {
        type_service: t("ServiceTypeIdentifier"),
        nom: d
            .enfant(n, TSL, "ServiceName")
            .and_then(|x| premier_nom(d, x)),
        statut: t("ServiceStatus"),
        debut: t("StatusStartingTime").and_then(|s| date(&s)),
        identite: identite(d, d.enfant(n, TSL, "ServiceDigitalIdentity")),
        points_service: d
            .enfant(n, TSL, "ServiceSupplyPoints")
            .map(|s| {
                d.enfants(s)
                    .map(|c| d.texte(c).trim().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        ..EtatService::default()
    };
    let Some(exts) = d.enfant(n, TSL, "ServiceInformationExtensions") else {
        return e;
    };
    for ext in d.enfants(exts).filter(|c| d.nom_local(*c) == "Extension") {
        let critique = d.attribut(ext, "Critical") == Some("true");
        for c in d.enfants(ext) {
            match d.nom_local(c) {
                "AdditionalServiceInformation" => {
                    if let Some(u) = d.enfant(c, TSL, "URI") {
                        e.informations_additionnelles
                            .push(d.texte(u).trim().to_string());
                    }
                }
                "Qualifications" => {
                    for q in d
                        .enfants(c)
                        .filter(|q| d.nom_local(*q) == "QualificationElement")
                    {
                        e.qualifications.push(qualification(d, q));
                    }
                }
                // Known, and without effect on a certificate's qualification.
                "TakenOverBy" | "ExpiredCertsRevocationInfo" => {}
                autre if critique => e.extensions_critiques_inconnues.push(autre.to_string()),
                _ => {}
            }
        }
    }
    e
}

fn qualification(d: &DocumentXml<'_>, q: NodeId) -> QualificationListe {
    let qualificatifs = d
        .enfants(q)
        .filter(|c| d.nom_local(*c) == "Qualifiers")
        .flat_map(|qs| d.enfants(qs).collect::<Vec<_>>())
        .filter_map(|c| d.attribut(c, "uri").map(str::to_string))
        .collect();
    let criteres = d
        .enfants(q)
        .find(|c| d.nom_local(*c) == "CriteriaList")
        .map(|c| criteres(d, c, 0))
        .unwrap_or(Criteres {
            // No criteria: nothing can be said to match.
            assertion: Assertion::Tous,
            elements: vec![Critere::NonSupporte("CriteriaList absent".into())],
        });
    QualificationListe {
        qualificatifs,
        criteres,
    }
}

/// Nested CriteriaList beyond this depth are not evaluated.
const PROFONDEUR_CRITERES: usize = 16;

fn criteres(d: &DocumentXml<'_>, n: NodeId, profondeur: usize) -> Criteres {
    let assertion = match d.attribut(n, "assert") {
        Some("atLeastOne") => Assertion::AuMoinsUn,
        Some("none") => Assertion::Aucun,
        _ => Assertion::Tous,
    };
    let mut elements = vec![];
    for c in d.enfants(n) {
        match d.nom_local(c) {
            "Description" => {}
            "KeyUsage" => elements.push(Critere::UsageCle(
                d.enfants(c)
                    .filter(|b| d.nom_local(*b) == "KeyUsageBit")
                    .map(|b| {
                        (
                            d.attribut(b, "name").unwrap_or_default().to_string(),
                            d.texte(b).trim() == "true",
                        )
                    })
                    .collect(),
            )),
            "PolicySet" => elements.push(Critere::Politiques(
                d.enfants(c).filter_map(|p| identifiant(d, p)).collect(),
            )),
            "CriteriaList" if profondeur < PROFONDEUR_CRITERES => {
                elements.push(Critere::Liste(criteres(d, c, profondeur + 1)));
            }
            "otherCriteriaList" => {
                for o in d.enfants(c) {
                    let oids = |fils: &str| -> Vec<String> {
                        d.enfants(o)
                            .filter(|x| d.nom_local(*x) == fils)
                            .filter_map(|x| identifiant(d, x))
                            .collect()
                    };
                    elements.push(match d.nom_local(o) {
                        "CertSubjectDNAttribute" => Critere::AttributsSujet(oids("AttributeOID")),
                        "ExtendedKeyUsage" => Critere::UsagesEtendus(oids("KeyPurposeId")),
                        autre => Critere::NonSupporte(autre.to_string()),
                    });
                }
            }
            autre => elements.push(Critere::NonSupporte(autre.to_string())),
        }
    }
    Criteres {
        assertion,
        elements,
    }
}

/// The OID of an ObjectIdentifierType (its Identifier, possibly `urn:oid:…`).
fn identifiant(d: &DocumentXml<'_>, n: NodeId) -> Option<String> {
    let i = d.enfants(n).find(|c| d.nom_local(*c) == "Identifier")?;
    let t = d.texte(i);
    let t = t.trim();
    let t = t
        .strip_prefix("urn:oid:")
        .or_else(|| t.strip_prefix("URN:OID:"))
        .unwrap_or(t);
    Some(t.to_string())
}
