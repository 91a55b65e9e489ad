//! Reading an eForms notice (a TED export, another platform's notice) back into a summary
//! of the consultation it announces: title, buyers, procedure, CPV, lots and deadlines, so
//! that a host can import procedures published elsewhere.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use quick_xml::events::{BytesStart, Event};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{CodeErreur, Erreur, Result};

/// The root elements of eForms notices.
const RACINES: &[&str] = &[
    "ContractNotice",
    "ContractAwardNotice",
    "PriorInformationNotice",
    "BusinessRegistrationInformationNotice",
];

/// Deeper than any notice of the SDK (about 15 levels): refuse absurd nesting.
const PROFONDEUR_MAX: usize = 64;

/// One lot (or part, or group of lots) of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ResumeLot {
    /// `LOT-0001`, `PAR-0001`, `GLO-0001`.
    pub identifiant: String,
    /// `Lot`, `Part` or `LotsGroup` (the `schemeName` of the identifier).
    pub genre: String,
    /// Title (BT-21-Lot).
    pub titre: String,
    /// Description (BT-24-Lot).
    pub description: String,
    /// Main CPV code, 8 digits (BT-262-Lot).
    pub cpv_principal: String,
    /// Places of performance, NUTS codes (BT-5071-Lot).
    pub nuts: Vec<String>,
    /// Deadline for tenders (BT-131), with its offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_limite: Option<DateTime<FixedOffset>>,
}

/// What a notice says about its procedure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ResumeAvis {
    /// Root element: `ContractNotice`, `ContractAwardNotice`, `PriorInformationNotice`…
    pub racine: String,
    /// Notice subtype (OPP-070), e.g. `16`.
    pub sous_type: String,
    /// Notice type (BT-02), e.g. `cn-standard`.
    pub type_avis: String,
    /// Notice identifier (BT-701).
    pub identifiant: String,
    /// Procedure identifier (BT-04).
    pub identifiant_procedure: String,
    /// Notice version (BT-757), e.g. `01`.
    #[serde(default)]
    pub version: String,
    /// For a change notice: the notice it changes, identifier and version (BT-758,
    /// `<uuid>-01`); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub avis_modifie: String,
    /// Notice language (BT-702).
    pub langue: String,
    /// When the notice was sent (BT-05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_envoi: Option<DateTime<FixedOffset>>,
    /// Title of the procedure (BT-21-Procedure).
    pub titre: String,
    /// Description of the procedure (BT-24-Procedure).
    pub description: String,
    /// Procedure type (BT-105), e.g. `open`.
    pub procedure: String,
    /// Main CPV code of the procedure (BT-262-Procedure).
    pub cpv_principal: String,
    /// Additional CPV codes of the procedure (BT-263-Procedure).
    pub cpv_secondaires: Vec<String>,
    /// Names of the buyers (BT-500 of the organisations the buyer roles point to).
    pub acheteurs: Vec<String>,
    /// Lots, parts and groups of lots, in order.
    pub lots: Vec<ResumeLot>,
}

fn illisible(message: impl Into<String>, ou: String) -> Erreur {
    Erreur::new(CodeErreur::AvisIllisible, message).at(ou)
}

/// `2020-02-04+02:00` (or `Z`, or no offset, read as UTC).
fn decouper(valeur: &str, longueur: usize) -> Option<(&str, FixedOffset)> {
    let v = valeur.trim();
    let tete = v.get(..longueur)?;
    let reste = v.get(longueur..)?;
    // Fractions of seconds are dropped.
    let reste = reste.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let decalage = match reste {
        "" | "Z" => FixedOffset::east_opt(0)?,
        r => {
            let signe = match r.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let h: i32 = r.get(1..3)?.parse().ok()?;
            let m: i32 = r.get(4..6)?.parse().ok()?;
            if r.len() != 6 || r.get(3..4)? != ":" {
                return None;
            }
            FixedOffset::east_opt(signe * (h * 3600 + m * 60))?
        }
    };
    Some((tete, decalage))
}

/// A date and an optional time, each with its offset, as one instant.
fn instant(date: &str, heure: Option<&str>) -> Option<DateTime<FixedOffset>> {
    let (d, off_d) = decouper(date, 10)?;
    let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    let (t, off) = match heure {
        Some(h) => {
            let (t, off_t) = decouper(h, 8)?;
            (NaiveTime::parse_from_str(t, "%H:%M:%S").ok()?, off_t)
        }
        None => (NaiveTime::MIN, off_d),
    };
    off.from_local_datetime(&d.and_time(t)).single()
}

fn attribut(e: &BytesStart<'_>, nom: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find_map(|a| (a.key.local_name().as_ref() == nom).then(|| a.value.clone().into_owned()))
}

#[derive(Default)]
struct Lecture {
    resume: ResumeAvis,
    /// (organisation id, name) of every organisation.
    organisations: Vec<(String, String)>,
    org_courante: Option<(String, String)>,
    acheteurs_id: Vec<String>,
    lot_courant: Option<(ResumeLot, Option<String>, Option<String>)>,
    date_envoi: (Option<String>, Option<String>),
}

fn premier(cible: &mut String, texte: &str) {
    if cible.is_empty() {
        texte.trim().clone_into(cible);
    }
}

impl Lecture {
    /// A text node at `chemin` (local names under the root, joined by `/`).
    fn texte(&mut self, chemin: &str, texte: &str) {
        const EXT: &str = "UBLExtensions/UBLExtension/ExtensionContent/EformsExtension/";
        let r = &mut self.resume;
        if let Some(reste) = chemin.strip_prefix(EXT) {
            match reste {
                "NoticeSubType/SubTypeCode" => premier(&mut r.sous_type, texte),
                "Changes/ChangedNoticeIdentifier" => premier(&mut r.avis_modifie, texte),
                "Organizations/Organization/Company/PartyIdentification/ID" => {
                    if let Some(o) = self.org_courante.as_mut() {
                        premier(&mut o.0, texte);
                    }
                }
                "Organizations/Organization/Company/PartyName/Name" => {
                    if let Some(o) = self.org_courante.as_mut() {
                        premier(&mut o.1, texte);
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some(reste) = chemin.strip_prefix("ProcurementProjectLot/") {
            let Some((lot, fin_date, fin_heure)) = self.lot_courant.as_mut() else {
                return;
            };
            match reste {
                "ID" => premier(&mut lot.identifiant, texte),
                "ProcurementProject/Name" => premier(&mut lot.titre, texte),
                "ProcurementProject/Description" => premier(&mut lot.description, texte),
                "ProcurementProject/MainCommodityClassification/ItemClassificationCode" => {
                    premier(&mut lot.cpv_principal, texte)
                }
                "ProcurementProject/RealizedLocation/Address/CountrySubentityCode" => {
                    lot.nuts.push(texte.trim().to_string())
                }
                "TenderingProcess/TenderSubmissionDeadlinePeriod/EndDate" => {
                    *fin_date = Some(texte.trim().to_string())
                }
                "TenderingProcess/TenderSubmissionDeadlinePeriod/EndTime" => {
                    *fin_heure = Some(texte.trim().to_string())
                }
                // Candidatures, in a two-phase procedure: the deadline when the notice
                // gives no tender deadline (which comes first in the lot).
                "TenderingProcess/ParticipationRequestReceptionPeriod/EndDate" => {
                    fin_date.get_or_insert_with(|| texte.trim().to_string());
                }
                "TenderingProcess/ParticipationRequestReceptionPeriod/EndTime" => {
                    fin_heure.get_or_insert_with(|| texte.trim().to_string());
                }
                _ => {}
            }
            return;
        }
        match chemin {
            "ID" => premier(&mut r.identifiant, texte),
            "ContractFolderID" => premier(&mut r.identifiant_procedure, texte),
            "VersionID" => premier(&mut r.version, texte),
            "NoticeTypeCode" => premier(&mut r.type_avis, texte),
            "NoticeLanguageCode" => premier(&mut r.langue, texte),
            "IssueDate" => self.date_envoi.0 = Some(texte.trim().to_string()),
            "IssueTime" => self.date_envoi.1 = Some(texte.trim().to_string()),
            "ContractingParty/Party/PartyIdentification/ID" => {
                self.acheteurs_id.push(texte.trim().to_string())
            }
            "TenderingProcess/ProcedureCode" => premier(&mut r.procedure, texte),
            "ProcurementProject/Name" => premier(&mut r.titre, texte),
            "ProcurementProject/Description" => premier(&mut r.description, texte),
            "ProcurementProject/MainCommodityClassification/ItemClassificationCode" => {
                premier(&mut r.cpv_principal, texte)
            }
            "ProcurementProject/AdditionalCommodityClassification/ItemClassificationCode" => {
                r.cpv_secondaires.push(texte.trim().to_string())
            }
            _ => {}
        }
    }
}

/// Read an eForms notice into a summary.
///
/// Errors: `AVIS_ILLISIBLE` (not well-formed XML, a DTD, absurd nesting, a date that is
/// not an xs:date / xs:time), with the byte offset or the element as the path;
/// `AVIS_NON_EFORMS` when the root is not one of the eForms notices.
pub fn lire_avis(xml: &str) -> Result<ResumeAvis> {
    // No trim_text: it would drop the blanks around entities (`a &amp; b` read as `a&b`);
    // values are trimmed whole instead.
    let mut r = quick_xml::Reader::from_str(xml);
    let mut pile: Vec<String> = Vec::new();
    let mut l = Lecture::default();
    let mut texte = String::new();
    loop {
        let pos = r.buffer_position();
        let ev = r
            .read_event()
            .map_err(|e| illisible(format!("XML illisible : {e}"), format!("octet {pos}")))?;
        match ev {
            Event::Start(e) => {
                let nom = e.local_name().as_ref().to_string();
                if pile.is_empty() {
                    if !RACINES.contains(&nom.as_str()) {
                        return Err(Erreur::new(
                            CodeErreur::AvisNonEforms,
                            format!("élément racine « {nom} » : pas un avis eForms"),
                        ));
                    }
                    l.resume.racine = nom.clone();
                }
                if pile.len() >= PROFONDEUR_MAX {
                    return Err(illisible(
                        format!("éléments imbriqués sur plus de {PROFONDEUR_MAX} niveaux"),
                        format!("octet {pos}"),
                    ));
                }
                // Entering an organisation or a lot starts a new record.
                if pile.len() == 1 && nom == "ProcurementProjectLot" {
                    l.lot_courant = Some((ResumeLot::default(), None, None));
                } else if nom == "Company"
                    && pile.len() == 7
                    && pile.last().is_some_and(|p| p == "Organization")
                {
                    l.org_courante = Some((String::new(), String::new()));
                } else if pile.len() == 2
                    && nom == "ID"
                    && pile.last().is_some_and(|p| p == "ProcurementProjectLot")
                    && let Some((lot, _, _)) = l.lot_courant.as_mut()
                {
                    lot.genre = attribut(&e, "schemeName").unwrap_or_default();
                }
                pile.push(nom);
                texte.clear();
            }
            Event::Empty(e) if pile.is_empty() => {
                let nom = e.local_name().as_ref().to_string();
                return Err(Erreur::new(
                    CodeErreur::AvisNonEforms,
                    format!("élément racine « {nom} » vide : pas un avis eForms"),
                ));
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
                            return Err(illisible(
                                format!("entité inconnue « &{nom}; »"),
                                format!("octet {pos}"),
                            ));
                        }
                    }
                }
            },
            Event::End(_) => {
                if !texte.trim().is_empty() && pile.len() > 1 {
                    let chemin = pile[1..].join("/");
                    l.texte(&chemin, &texte);
                }
                texte.clear();
                let nom = pile.pop().unwrap_or_default();
                if pile.len() == 1 && nom == "ProcurementProjectLot" {
                    if let Some((mut lot, date, heure)) = l.lot_courant.take() {
                        if let Some(d) = date {
                            lot.date_limite =
                                Some(instant(&d, heure.as_deref()).ok_or_else(|| {
                                    illisible(
                                        format!(
                                            "date limite « {d} {} » illisible",
                                            heure.clone().unwrap_or_default()
                                        ),
                                        format!(
                                            "{}/TenderSubmissionDeadlinePeriod",
                                            lot.identifiant
                                        ),
                                    )
                                })?);
                        }
                        l.resume.lots.push(lot);
                    }
                } else if nom == "Company"
                    && pile.len() == 7
                    && let Some(o) = l.org_courante.take()
                {
                    l.organisations.push(o);
                }
            }
            Event::DocType(_) => {
                return Err(illisible(
                    "avis avec DTD refusé (entités externes)",
                    format!("octet {pos}"),
                ));
            }
            Event::Eof => {
                if !pile.is_empty() || l.resume.racine.is_empty() {
                    return Err(illisible(
                        "avis tronqué ou vide",
                        format!("octet {}", r.buffer_position()),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if let (Some(d), h) = &l.date_envoi {
        l.resume.date_envoi = Some(instant(d, h.as_deref()).ok_or_else(|| {
            illisible(
                format!("date d'envoi « {d} » illisible"),
                "IssueDate".into(),
            )
        })?);
    }
    let mut resume = l.resume;
    for id in &l.acheteurs_id {
        if let Some((_, nom)) = l.organisations.iter().find(|(o, _)| o == id)
            && !resume.acheteurs.contains(nom)
        {
            resume.acheteurs.push(nom.clone());
        }
    }
    if resume.sous_type.is_empty() {
        return Err(Erreur::new(
            CodeErreur::AvisNonEforms,
            "sous-type d'avis (efac:NoticeSubType/cbc:SubTypeCode) absent : pas un avis eForms",
        ));
    }
    Ok(resume)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_et_decalages() {
        let t = instant("2020-02-04+02:00", Some("10:00:00+02:00")).unwrap();
        assert_eq!(t.to_rfc3339(), "2020-02-04T10:00:00+02:00");
        let t = instant("2020-02-04Z", None).unwrap();
        assert_eq!(t.to_rfc3339(), "2020-02-04T00:00:00+00:00");
        assert!(instant("2020-02-31+01:00", None).is_none());
        assert!(instant("2020-02-04+1:00", None).is_none());
        assert!(instant("2020-02-04+01:00", Some("25:00:00+01:00")).is_none());
    }
}
