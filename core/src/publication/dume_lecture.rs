//! Reading a DUME (ESPD request or response) of any ESPD-EDM version: the version is found
//! from the root element (ESPD v1: `ESPDRequest` / `ESPDResponse`; v2 and later:
//! `QualificationApplicationRequest` / `…Response`) and then from `cbc:VersionID`,
//! `cbc:ProfileExecutionID` or `cbc:UBLVersionID`; a response is summarised (the company's
//! identity, the lots, the criteria and how many answers), so that the candidature analysis
//! sees what was declared, and [`comparer_dume`] flags a response that does not match the
//! request or the company that sent it.

use quick_xml::events::Event;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::IdentifiantEntreprise;
use crate::{CodeErreur, Erreur, Result};

const PROFONDEUR_MAX: usize = 64;

/// Request (buyer's DUME) or response (a company's DUME).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NatureDume {
    /// ESPD request.
    Demande,
    /// ESPD response.
    Reponse,
}

/// The economic operator of a response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct IdentiteDume {
    /// Its identifiers as declared (SIRET, VAT number…).
    pub identifiants: Vec<String>,
    /// Its name.
    pub nom: String,
    /// Its country code, as declared (`FR`, `FRA`…).
    pub pays: String,
}

/// What a DUME says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResumeDume {
    /// Request or response.
    pub nature: NatureDume,
    /// ESPD-EDM version: `1.0.2`, `2.1.1`, `4.1.0`…; `1.x`, `2.x` or `3.x/4.x` when only the
    /// family is known.
    pub version: String,
    /// Document identifier (`cbc:ID`).
    pub identifiant: String,
    /// Procedure reference (`cbc:ContractFolderID`).
    pub identifiant_procedure: String,
    /// The buyer's name.
    pub acheteur: String,
    /// The economic operator (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entreprise: Option<IdentiteDume>,
    /// The lots (`cac:ProcurementProjectLot/cbc:ID`).
    pub lots: Vec<String>,
    /// The criteria, by code, in order.
    pub criteres: Vec<String>,
    /// Number of answers to criteria (responses).
    pub reponses: u32,
}

fn illisible(message: impl Into<String>, pos: u64) -> Erreur {
    Erreur::new(CodeErreur::DumeIllisible, message).at(format!("octet {pos}"))
}

fn ajouter(v: &mut Vec<String>, texte: &str) {
    let t = texte.trim();
    if !t.is_empty() && !v.iter().any(|x| x == t) {
        v.push(t.to_string());
    }
}

/// Read a DUME. Errors: [`CodeErreur::DumeIllisible`] (not well-formed, DTD, truncated,
/// absurd nesting; the byte offset as path), [`CodeErreur::DumeNonEspd`] (another document).
pub fn lire_dume(xml: &[u8]) -> Result<ResumeDume> {
    let mut r = quick_xml::Reader::from_reader(xml);
    r.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut pile: Vec<String> = Vec::new();
    let mut texte = String::new();
    let mut nature = None;
    let mut v1 = false;
    let (mut version_id, mut profil, mut ubl) = (String::new(), String::new(), String::new());
    // The `schemeVersionID` of `cbc:VersionID`: the ESPD-EDM version the document follows
    // (its text is the version of the document's content).
    let mut version_schema = String::new();
    let mut resume = ResumeDume {
        nature: NatureDume::Demande,
        version: String::new(),
        identifiant: String::new(),
        identifiant_procedure: String::new(),
        acheteur: String::new(),
        entreprise: None,
        lots: Vec::new(),
        criteres: Vec::new(),
        reponses: 0,
    };
    loop {
        let pos = r.buffer_position();
        let ev = r
            .read_event_into(&mut buf)
            .map_err(|e| illisible(format!("XML mal formé : {e}"), r.error_position()))?;
        match ev {
            Event::Start(e) => {
                let nom = e.local_name().as_ref().to_string();
                if pile.is_empty() {
                    let (n, premiere) = racine(&e, &nom)?;
                    nature = Some(n);
                    v1 = premiere;
                }
                if pile.len() >= PROFONDEUR_MAX {
                    return Err(illisible(
                        format!("éléments imbriqués sur plus de {PROFONDEUR_MAX} niveaux"),
                        pos,
                    ));
                }
                // One answer: v2+ `TenderingCriterionResponse`, v1 `ccv:Response`.
                if nom == "TenderingCriterionResponse" || (v1 && nom == "Response") {
                    resume.reponses += 1;
                }
                if pile.len() == 1 && nom == "VersionID" {
                    version_schema = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "schemeVersionID")
                        .map(|a| a.value.trim().to_string())
                        .unwrap_or_default();
                }
                if pile.len() == 1 && nom == "EconomicOperatorParty" && resume.entreprise.is_none()
                {
                    resume.entreprise = Some(IdentiteDume::default());
                }
                pile.push(nom);
                texte.clear();
            }
            Event::Empty(e) => {
                let nom = e.local_name().as_ref().to_string();
                if pile.is_empty() {
                    racine(&e, &nom)?;
                    return Err(Erreur::new(
                        CodeErreur::DumeNonEspd,
                        format!("élément racine « {nom} » vide : pas un DUME"),
                    )
                    .at("/"));
                }
            }
            Event::Text(t) => texte.push_str(&t.xml10_content()),
            Event::CData(t) => texte.push_str(&t.into_inner()),
            Event::GeneralRef(g) => match g.resolve_char_ref() {
                Ok(Some(c)) => texte.push(c),
                _ => {
                    let nom = g.xml10_content();
                    match quick_xml::escape::resolve_predefined_entity(&nom) {
                        Some(s) => texte.push_str(s),
                        None => {
                            return Err(illisible(format!("entité inconnue « &{nom}; »"), pos));
                        }
                    }
                }
            },
            Event::End(_) => {
                if pile.len() > 1 && !texte.trim().is_empty() {
                    let chemin = pile[1..].join("/");
                    let t = texte.trim();
                    match chemin.as_str() {
                        "ID" => resume.identifiant = t.to_string(),
                        "ContractFolderID" => resume.identifiant_procedure = t.to_string(),
                        "VersionID" => version_id = t.to_string(),
                        "ProfileExecutionID" => profil = t.to_string(),
                        "UBLVersionID" => ubl = t.to_string(),
                        "ContractingParty/Party/PartyName/Name" if resume.acheteur.is_empty() => {
                            resume.acheteur = t.to_string();
                        }
                        "EconomicOperatorParty/Party/PartyIdentification/ID" => {
                            if let Some(i) = resume.entreprise.as_mut() {
                                ajouter(&mut i.identifiants, t);
                            }
                        }
                        "EconomicOperatorParty/Party/PartyName/Name" => {
                            if let Some(i) = resume.entreprise.as_mut()
                                && i.nom.is_empty()
                            {
                                i.nom = t.to_string();
                            }
                        }
                        "EconomicOperatorParty/Party/PostalAddress/Country/IdentificationCode" => {
                            if let Some(i) = resume.entreprise.as_mut()
                                && i.pays.is_empty()
                            {
                                i.pays = t.to_string();
                            }
                        }
                        "ProcurementProjectLot/ID" => ajouter(&mut resume.lots, t),
                        "TenderingCriterion/CriterionTypeCode" | "Criterion/TypeCode" => {
                            ajouter(&mut resume.criteres, t)
                        }
                        _ => {}
                    }
                }
                texte.clear();
                pile.pop();
            }
            Event::DocType(_) => {
                return Err(illisible("DUME avec DTD refusé (entités externes)", pos));
            }
            Event::Eof => {
                if !pile.is_empty() || nature.is_none() {
                    return Err(illisible("DUME tronqué ou vide", r.buffer_position()));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    resume.nature = nature.unwrap_or(NatureDume::Demande);
    resume.version = if v1 {
        // ESPD v1 documents carry no ESPD-EDM version of their own.
        "1.x".into()
    } else if let Some(v) = profil.strip_prefix("ESPD-EDMv") {
        v.to_string()
    } else if version_edm(&version_id) {
        version_id
    } else if version_edm(&version_schema) || version_schema.split('.').count() == 2 {
        version_schema
    } else {
        match ubl.as_str() {
            "2.2" => "2.x".into(),
            "2.3" => "3.x/4.x".into(),
            _ => String::new(),
        }
    };
    Ok(resume)
}

/// `2.1.1`: a release number of the ESPD-EDM (three numbers).
fn version_edm(v: &str) -> bool {
    let parties: Vec<&str> = v.split('.').collect();
    parties.len() == 3
        && parties
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The nature of a root element, and whether it is ESPD v1; any other root is
/// [`CodeErreur::DumeNonEspd`].
fn racine(e: &quick_xml::events::BytesStart<'_>, nom: &str) -> Result<(NatureDume, bool)> {
    let ns = e
        .attributes()
        .flatten()
        .find(|a| {
            let k: &str = a.key.as_ref();
            k == "xmlns" && e.name().prefix().is_none()
                || k.strip_prefix("xmlns:").is_some_and(|p| {
                    e.name()
                        .prefix()
                        .is_some_and(|q| AsRef::<str>::as_ref(&q) == p)
                })
        })
        .map(|a| a.value.to_string())
        .unwrap_or_default();
    let attendu = |suffixe: &str| ns.ends_with(suffixe);
    match nom {
        "QualificationApplicationRequest" if attendu(":QualificationApplicationRequest-2") => {
            Ok((NatureDume::Demande, false))
        }
        "QualificationApplicationResponse" if attendu(":QualificationApplicationResponse-2") => {
            Ok((NatureDume::Reponse, false))
        }
        "ESPDRequest" if attendu(":ESPDRequest-1") => Ok((NatureDume::Demande, true)),
        "ESPDResponse" if attendu(":ESPDResponse-1") => Ok((NatureDume::Reponse, true)),
        _ => Err(Erreur::new(
            CodeErreur::DumeNonEspd,
            format!("élément racine « {nom} » (espace de noms « {ns} ») : pas un DUME (ESPD)"),
        )
        .at("/")),
    }
}

/// A difference between a company's DUME and what it should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EcartDume {
    /// `nature`, `identite`, `procedure`, `lot` or `critere`.
    pub sujet: String,
    /// French message.
    pub message: String,
}

/// Compare a response with the request it answers and with the company whose pli holds it:
/// a request instead of a response, another company (its SIRET or national number is not
/// among the identifiers declared), another procedure, a lot the request does not have, a
/// criterion of the request left out. Empty when everything matches.
pub fn comparer_dume(
    reponse: &ResumeDume,
    demande: &ResumeDume,
    entreprise: &IdentifiantEntreprise,
) -> Vec<EcartDume> {
    let mut v = Vec::new();
    let mut ecart = |sujet: &str, message: String| {
        v.push(EcartDume {
            sujet: sujet.into(),
            message,
        })
    };
    if reponse.nature != NatureDume::Reponse {
        ecart(
            "nature",
            "le document est un DUME acheteur, pas la réponse d'une entreprise".into(),
        );
    }
    let attendu = super::resultat::cle(entreprise);
    let declares: Vec<String> = reponse
        .entreprise
        .iter()
        .flat_map(|i| &i.identifiants)
        .map(|s| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .collect();
    // A VAT number carries a country prefix the pli's national number may lack.
    if !declares
        .iter()
        .any(|d| *d == attendu || d.ends_with(&attendu))
    {
        ecart(
            "identite",
            format!(
                "le DUME déclare {} ({}), pas l'entreprise du pli ({entreprise})",
                reponse
                    .entreprise
                    .as_ref()
                    .map_or("aucune entreprise", |i| i.nom.as_str()),
                declares.join(", ")
            ),
        );
    }
    if !demande.identifiant_procedure.is_empty()
        && reponse.identifiant_procedure != demande.identifiant_procedure
    {
        ecart(
            "procedure",
            format!(
                "le DUME répond à la procédure « {} », pas à « {} »",
                reponse.identifiant_procedure, demande.identifiant_procedure
            ),
        );
    }
    for lot in &reponse.lots {
        if !demande.lots.contains(lot) {
            ecart(
                "lot",
                format!("le lot « {lot} » n'est pas un lot de la consultation"),
            );
        }
    }
    for c in &demande.criteres {
        if !reponse.criteres.contains(c) {
            ecart(
                "critere",
                format!("le critère « {c} » de la demande n'est pas dans la réponse"),
            );
        }
    }
    v
}
