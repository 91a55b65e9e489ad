//! The buyer's DUME (ESPD request, "DUME acheteur") of a consultation, in the ESPD-EDM
//! version the host asks: 2.1.1 (UBL 2.2) or 4.1.0 (UBL 2.3). Which version the French
//! Service DUME takes could not be established: the host chooses.
//!
//! The criteria are the official ones, copied verbatim from the ESPD-EDM example requests
//! (`dume_criteres/`, EUPL 1.2, extracted by `tests/interop/dume_criteres.py`): every
//! exclusion ground of directive 2014/24 (articles 57, L. 2141-1 to L. 2141-11 of the code de
//! la commande publique), and the selection criteria of the DUME's kind — for a *DUME
//! simplifié*, turnover and headcount only; for a standard DUME, registration, turnover,
//! insurance, references of the consultation's categories, qualifications, equipment and
//! headcount — plus the economic operator's data (group, reliance, subcontracting).

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::correspondance::uuid_derive;
use super::xml::Ecrivain;
use crate::model::{CategoriePrincipale, Consultation, Organisation, TypeDume, TypeProcedure};
use crate::{CodeErreur, Erreur, Result};

/// An ESPD-EDM version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum VersionDume {
    /// ESPD-EDM 1.0.2 (2016, "ESPD v1", own root elements): read only.
    #[serde(rename = "1.0.2")]
    V1_0_2,
    /// ESPD-EDM 2.1.1 (UBL 2.2).
    #[serde(rename = "2.1.1")]
    V2_1_1,
    /// ESPD-EDM 4.1.0 (UBL 2.3), the latest release.
    #[serde(rename = "4.1.0")]
    V4_1_0,
}

impl VersionDume {
    /// `2.1.1`.
    pub fn libelle(self) -> &'static str {
        match self {
            VersionDume::V1_0_2 => "1.0.2",
            VersionDume::V2_1_1 => "2.1.1",
            VersionDume::V4_1_0 => "4.1.0",
        }
    }

    /// From `2.1.1` or `4.1.0` (and `1.0.2`, which mpe reads but does not write).
    pub fn depuis(texte: &str) -> Result<VersionDume> {
        match texte.trim() {
            "1.0.2" => Ok(VersionDume::V1_0_2),
            "2.1.1" => Ok(VersionDume::V2_1_1),
            "4.1.0" => Ok(VersionDume::V4_1_0),
            v => Err(Erreur::new(
                CodeErreur::DumeVersionNonPriseEnCharge,
                format!("version ESPD-EDM « {v} » inconnue : 2.1.1 ou 4.1.0"),
            )),
        }
    }

    /// The criteria data of the version (`None` for 1.0.2).
    fn criteres(self) -> Option<&'static str> {
        match self {
            VersionDume::V1_0_2 => None,
            VersionDume::V2_1_1 => Some(include_str!("dume_criteres/2.1.1.xml")),
            VersionDume::V4_1_0 => Some(include_str!("dume_criteres/4.1.0.xml")),
        }
    }
}

/// A DUME request written by mpe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DumeDemande {
    /// ESPD-EDM version.
    pub version: VersionDume,
    /// Document UUID (`cbc:UUID`), derived from the consultation and the version.
    pub identifiant: String,
    /// The criteria asked, by their ESPD 4 code (`crime-org`, `gen-year-to`…), in order.
    pub criteres: Vec<String>,
    /// The request, UTF-8 XML.
    pub xml: String,
}

/// The exclusion grounds (all of them: a buyer cannot waive one in the DUME).
const EXCLUSIONS: &[&str] = &[
    "crime-org",
    "corruption",
    "fraud",
    "terr-offence",
    "finan-laund",
    "human-traffic",
    "tax-pay",
    "socsec-pay",
    "envir-law",
    "socsec-law",
    "labour-law",
    "bankruptcy",
    "insolvency",
    "cred-arran",
    "bankr-nat",
    "liq-admin",
    "susp-act",
    "prof-misconduct",
    "distorsion",
    "partic-confl",
    "prep-confl",
    "sanction",
    "misrepresent",
    "nati-ground",
];

/// The economic operator's data every ESPD asks.
const OPERATEUR: &[&str] = &["eo-group", "relied", "subco-ent"];

/// The criteria of the DUME of a consultation, in order.
pub(crate) fn criteres_demandes(c: &Consultation) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = EXCLUSIONS.to_vec();
    match c.dume.type_dume {
        Some(TypeDume::Simplifie) => v.extend(["gen-year-to", "year-manpower"]),
        Some(TypeDume::Standard) | None => {
            v.extend(["trade-regist", "gen-year-to", "indem-insu"]);
            let mut categories = vec![c.identification.categorie];
            categories.extend(c.lots.iter().map(|l| l.categorie));
            for (cat, code) in [
                (CategoriePrincipale::Travaux, "work-perform"),
                (CategoriePrincipale::Fournitures, "supply-perform"),
                (CategoriePrincipale::Services, "service-perform"),
            ] {
                if categories.contains(&cat) {
                    v.push(code);
                }
            }
            v.extend(["qualification", "tech-equip", "year-manpower"]);
        }
    }
    v.extend(OPERATEUR);
    v
}

/// The criterion `code` in the data of a version: the fragment after its marker.
fn fragment(donnees: &'static str, code: &str) -> Option<&'static str> {
    let marque = format!("<!-- mpe:critere {code} -->\n");
    let debut = donnees.find(&marque)? + marque.len();
    let reste = donnees.get(debut..)?;
    let fin = reste.find("<!-- mpe:critere ").unwrap_or(reste.len());
    reste.get(..fin)
}

/// `ProcedureCode` of each version.
fn procedure(p: TypeProcedure, v: VersionDume) -> Option<&'static str> {
    Some(match (p, v) {
        (TypeProcedure::AppelOffresOuvert, VersionDume::V2_1_1) => "OPEN",
        (TypeProcedure::AppelOffresRestreint, VersionDume::V2_1_1) => "RESTRICTED",
        (TypeProcedure::ProcedureAvecNegociation, VersionDume::V2_1_1) => "COMP_NEGOTIATION",
        (TypeProcedure::DialogueCompetitif, VersionDume::V2_1_1) => "COMP_DIALOGUE",
        (p, VersionDume::V4_1_0) => super::correspondance::code_procedure(p)?,
        _ => return None,
    })
}

/// Write the DUME request of a consultation in ESPD-EDM `version`, issued at `maintenant`.
///
/// Errors: [`CodeErreur::DumeVersionNonPriseEnCharge`] for 1.0.2 (read, not written).
pub fn generer_dume_demande(
    consultation: &Consultation,
    organisation: &Organisation,
    version: VersionDume,
    maintenant: DateTime<Utc>,
) -> Result<DumeDemande> {
    let Some(donnees) = version.criteres() else {
        return Err(Erreur::new(
            CodeErreur::DumeVersionNonPriseEnCharge,
            format!(
                "mpe lit le DUME {} mais écrit les versions 2.1.1 et 4.1.0",
                version.libelle()
            ),
        ));
    };
    let v = version.libelle();
    let quatre = version == VersionDume::V4_1_0;
    let ident = &consultation.identification;
    let reference = if ident.reference.trim().is_empty() {
        consultation.id.as_str()
    } else {
        ident.reference.trim()
    };
    let identifiant = uuid_derive(&format!("mpe/dume/{}/{v}", consultation.id));
    let criteres = criteres_demandes(consultation);
    let mut e = Ecrivain::new(donnees.len() / 2 + 4096);
    e.ouvrir(
        "QualificationApplicationRequest",
        &[
            (
                "xmlns",
                "urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2",
            ),
            (
                "xmlns:cac",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
            ),
            (
                "xmlns:cbc",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
            ),
        ],
    );
    let agence = if quatre { "OP" } else { "EU-COM-GROW" };
    if quatre {
        e.feuille(
            "cbc:UBLVersionID",
            &[("schemeAgencyID", "OASIS-UBL-TC")],
            "2.3",
        );
        e.feuille(
            "cbc:ProfileExecutionID",
            &[("schemeAgencyID", "OP"), ("schemeVersionID", v)],
            "ESPD-EDMv4.1.0",
        );
    } else {
        e.feuille(
            "cbc:UBLVersionID",
            &[("schemeAgencyID", "OASIS-UBL-TC")],
            "2.2",
        );
        e.feuille(
            "cbc:CustomizationID",
            &[("schemeAgencyID", "CEN-BII"), ("schemeVersionID", v)],
            "urn:www.cenbii.eu:transaction:biitrdm070:ver3.0",
        );
        e.feuille(
            "cbc:ProfileID",
            &[("schemeAgencyID", "CEN-BII"), ("schemeVersionID", v)],
            "4.1",
        );
    }
    e.feuille(
        "cbc:ID",
        &[("schemeAgencyID", "MPE")],
        &format!("DUME-{reference}"),
    );
    e.feuille("cbc:CopyIndicator", &[], "false");
    e.feuille(
        "cbc:UUID",
        &[
            ("schemeID", "ISO/IEC 9834-8:2008 - 4UUID"),
            ("schemeAgencyID", "MPE"),
            ("schemeVersionID", v),
        ],
        &identifiant,
    );
    e.feuille(
        "cbc:ContractFolderID",
        &[("schemeAgencyID", "MPE")],
        reference,
    );
    let paris = maintenant.with_timezone(&Paris);
    e.feuille("cbc:IssueDate", &[], &paris.format("%Y-%m-%d").to_string());
    e.feuille(
        "cbc:IssueTime",
        &[],
        &paris.format("%H:%M:%S%:z").to_string(),
    );
    e.feuille(
        "cbc:VersionID",
        &[("schemeAgencyID", agence), ("schemeVersionID", v)],
        v,
    );
    if let Some(code) = procedure(ident.procedure, version) {
        if quatre {
            e.feuille(
                "cbc:ProcedureCode",
                &[
                    (
                        "listID",
                        "http://publications.europa.eu/resource/authority/procurement-procedure-type",
                    ),
                    ("listAgencyID", "OP"),
                    ("listVersionID", "20250924-0"),
                ],
                code,
            );
        } else {
            e.feuille(
                "cbc:ProcedureCode",
                &[
                    ("listID", "ProcedureType"),
                    ("listAgencyID", "EU-COM-OP"),
                    ("listVersionID", "1.0"),
                ],
                code,
            );
        }
    }
    if !quatre {
        e.feuille(
            "cbc:QualificationApplicationTypeCode",
            &[
                ("listID", "QualificationApplicationType"),
                ("listAgencyID", "EU-COM-GROW"),
                ("listVersionID", v),
            ],
            "Basic",
        );
    }
    // The buyer.
    e.ouvrir("cac:ContractingParty", &[]);
    e.ouvrir("cac:Party", &[]);
    e.ouvrir("cac:PartyIdentification", &[]);
    e.feuille(
        "cbc:ID",
        &[("schemeAgencyID", "SIRET")],
        &organisation.entite.siret,
    );
    e.fermer("cac:PartyIdentification");
    e.ouvrir("cac:PartyName", &[]);
    e.feuille("cbc:Name", &[], &organisation.entite.nom);
    e.fermer("cac:PartyName");
    e.ouvrir("cac:PostalAddress", &[]);
    e.ouvrir("cac:Country", &[]);
    if quatre {
        e.feuille(
            "cbc:IdentificationCode",
            &[
                (
                    "listID",
                    "http://publications.europa.eu/resource/authority/country",
                ),
                ("listAgencyID", "OP"),
                ("listVersionID", "20250924-0"),
            ],
            "FRA",
        );
    } else {
        e.feuille(
            "cbc:IdentificationCode",
            &[
                ("listID", "CountryCodeIdentifier"),
                ("listAgencyID", "ISO"),
                ("listName", "CountryCodeIdentifier"),
                ("listVersionID", "1.0"),
            ],
            "FR",
        );
    }
    e.fermer("cac:Country");
    e.fermer("cac:PostalAddress");
    e.fermer("cac:Party");
    e.fermer("cac:ContractingParty");
    // The procurement project and its lots.
    e.ouvrir("cac:ProcurementProject", &[]);
    e.feuille("cbc:Name", &[], &ident.intitule);
    e.feuille("cbc:Description", &[], &ident.objet);
    e.fermer("cac:ProcurementProject");
    let lots: Vec<u32> = if ident.allotie && !consultation.lots.is_empty() {
        consultation.lots.iter().map(|l| l.numero).collect()
    } else {
        vec![0]
    };
    for n in lots {
        e.ouvrir("cac:ProcurementProjectLot", &[]);
        e.feuille(
            "cbc:ID",
            &[
                ("schemeID", "Criterion"),
                ("schemeAgencyID", agence),
                ("schemeVersionID", v),
            ],
            &format!("LOT-{n:04}"),
        );
        e.fermer("cac:ProcurementProjectLot");
    }
    let mut ecrits = Vec::with_capacity(criteres.len());
    for code in criteres {
        // The data is mpe's own (checked by the interop test): a missing fragment is a bug
        // of the data, reported rather than silently dropped.
        let Some(f) = fragment(donnees, code) else {
            return Err(Erreur::new(
                CodeErreur::DumeVersionNonPriseEnCharge,
                format!("critère « {code} » absent des données ESPD-EDM {v} de mpe"),
            ));
        };
        e.sortie.push_str(f);
        ecrits.push(code.to_string());
    }
    e.fermer("QualificationApplicationRequest");
    Ok(DumeDemande {
        version,
        identifiant,
        criteres: ecrits,
        xml: e.sortie,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaque_critere_a_ses_donnees() {
        for v in [VersionDume::V2_1_1, VersionDume::V4_1_0] {
            let d = v.criteres().unwrap();
            for code in EXCLUSIONS.iter().chain(OPERATEUR).chain(&[
                "trade-regist",
                "gen-year-to",
                "indem-insu",
                "work-perform",
                "supply-perform",
                "service-perform",
                "qualification",
                "tech-equip",
                "year-manpower",
            ]) {
                let f = fragment(d, code).unwrap_or_else(|| panic!("{code} {v:?}"));
                assert!(f.starts_with("<cac:TenderingCriterion>"), "{code}");
                assert!(
                    f.trim_end().ends_with("</cac:TenderingCriterion>"),
                    "{code}"
                );
            }
        }
        assert_eq!(VersionDume::depuis("4.1.0").unwrap(), VersionDume::V4_1_0);
        assert_eq!(
            VersionDume::depuis("3.0").unwrap_err().code(),
            CodeErreur::DumeVersionNonPriseEnCharge
        );
    }
}
