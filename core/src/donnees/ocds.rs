//! OCDS 1.1.5 release package export. The mapping is documented in `docs/donnees.md`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::modele::{
    CategorieContrat, Contrat, NaturePrestations, StatutContrat, Titulaire, TypeIdentifiant,
};
use crate::{CodeErreur, Erreur, Result};

/// Publication options of an OCDS package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionsOcds {
    /// The publisher's registered OCID prefix (`ocds-xxxxxx`).
    pub prefixe_ocid: String,
    /// URI where the package is published.
    pub uri: String,
    /// Publisher name.
    pub editeur: String,
    /// Publication instant.
    pub publie_le: DateTime<Utc>,
}

fn date_heure(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

fn id_partie(t: &Titulaire) -> String {
    format!("FR-{}-{}", t.type_identifiant.code(), t.id)
}

fn schema(t: TypeIdentifiant) -> &'static str {
    match t {
        TypeIdentifiant::Siret => "FR-SIRET",
        TypeIdentifiant::Tva => "EU-VAT",
        TypeIdentifiant::Tahiti => "PF-TAHITI",
        TypeIdentifiant::Ridet => "NC-RIDET",
        TypeIdentifiant::Frwf => "FR-FRWF",
        TypeIdentifiant::Irep => "FR-IREP",
        TypeIdentifiant::HorsUe => "XX-HORS-UE",
    }
}

fn methode(procedure: &str) -> &'static str {
    match procedure {
        "Appel d'offres ouvert"
        | "Procédure adaptée"
        | "Procédure négociée ouverte"
        | "Procédure non négociée ouverte" => "open",
        "Marché passé sans publicité ni mise en concurrence préalable" => "direct",
        _ => "selective",
    }
}

fn valeur(m: Option<f64>) -> Option<Value> {
    m.map(|a| json!({"amount": a, "currency": "EUR"}))
}

fn release(c: &Contrat, o: &OptionsOcds) -> Value {
    let ocid = format!("{}-{}-{}", o.prefixe_ocid, c.acheteur.id, c.id);
    let etat = c.etat_actuel();
    let date = c
        .modifications
        .iter()
        .filter_map(|m| m.date_publication_donnees.or(m.date_notification))
        .chain(c.date_publication_donnees)
        .chain(c.date_notification)
        .max()
        .map(date_heure)
        .unwrap_or_else(|| {
            o.publie_le
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        });
    let acheteur_id = format!("FR-SIRET-{}", c.acheteur.id);
    let mut parties: BTreeMap<String, Value> = BTreeMap::new();
    parties.insert(
        acheteur_id.clone(),
        json!({
            "id": acheteur_id,
            "name": c.acheteur.nom.clone().unwrap_or_else(|| c.acheteur.id.clone()),
            "identifier": {"scheme": "FR-SIRET", "id": c.acheteur.id},
            "roles": ["buyer"],
        }),
    );
    let tous = c
        .titulaires
        .iter()
        .chain(c.modifications.iter().flat_map(|m| m.titulaires.iter()));
    for t in tous {
        let id = id_partie(t);
        // A holder that is also the buyer (a public body working for another under the
        // same SIRET) keeps both roles on its one party.
        if let Some(p) = parties.get_mut(&id) {
            if let Some(roles) = p["roles"].as_array_mut()
                && !roles.iter().any(|r| r == "supplier")
            {
                roles.push(json!("supplier"));
            }
            continue;
        }
        parties.entry(id.clone()).or_insert_with(|| {
            let mut p = json!({
                "id": id,
                "name": t.raison_sociale.clone().unwrap_or_else(|| t.id.clone()),
                "identifier": {"scheme": schema(t.type_identifiant), "id": t.id},
                "roles": ["supplier"],
            });
            if let Some(s) = &t.siege {
                p["address"] = json!({"streetAddress": s});
            }
            p
        });
    }
    let fournisseurs = |ts: &[Titulaire]| -> Vec<Value> {
        ts.iter()
            .map(|t| json!({"id": id_partie(t), "name": t.raison_sociale.clone().unwrap_or_else(|| t.id.clone())}))
            .collect()
    };
    let items: Vec<Value> = c
        .code_cpv
        .iter()
        .map(|cpv| {
            json!({
                "id": "1",
                "description": c.objet,
                "classification": {"scheme": "CPV", "id": cpv.get(..8).unwrap_or(cpv)},
            })
        })
        .collect();
    let categorie = match c.nature_prestations {
        Some(NaturePrestations::Travaux) => Some("works"),
        Some(NaturePrestations::Fournitures) => Some("goods"),
        Some(NaturePrestations::Services) => Some("services"),
        None => None,
    };
    let mut tender = json!({
        "id": c.id,
        "title": c.objet,
        "procurementMethod": methode(&c.procedure),
        "procurementMethodDetails": c.procedure,
    });
    if let Some(cat) = categorie {
        tender["mainProcurementCategory"] = json!(cat);
    }
    if let Some(n) = c.offres_recues {
        tender["numberOfTenderers"] = json!(n);
    }
    if !items.is_empty() {
        tender["items"] = json!(items);
    }
    let award_id = format!("{}-attribution", c.id);
    let mut award = json!({
        "id": award_id,
        "status": "active",
        "title": c.objet,
        "suppliers": fournisseurs(&c.titulaires),
    });
    if let Some(d) = c.date_notification {
        award["date"] = json!(date_heure(d));
    }
    if let Some(v) = valeur(c.montant) {
        award["value"] = v;
    }
    if let Some(m) = c.duree_mois {
        award["contractPeriod"] = json!({"durationInDays": u64::from(m) * 30});
    }
    if !items.is_empty() {
        award["items"] = json!(items);
    }
    let mut contrat = json!({
        "id": c.id,
        "awardID": award_id,
        "title": c.objet,
        "status": match c.statut {
            StatutContrat::ANotifier => "pending",
            StatutContrat::Notifie => "active",
            StatutContrat::Clos | StatutContrat::Resilie => "terminated",
        },
    });
    if let Some(v) = valeur(etat.montant) {
        contrat["value"] = v;
    }
    if let Some(d) = c.date_notification {
        contrat["dateSigned"] = json!(date_heure(d));
    }
    let debut = c.date_debut_execution.or(c.date_notification);
    let mut periode = serde_json::Map::new();
    if let Some(d) = debut {
        periode.insert("startDate".into(), json!(date_heure(d)));
    }
    if let Some(f) = etat.date_fin {
        periode.insert("endDate".into(), json!(date_heure(f)));
    }
    if let Some(f) = c.date_fin_maximale {
        periode.insert("maxExtentDate".into(), json!(date_heure(f)));
    }
    if !periode.is_empty() {
        contrat["period"] = Value::Object(periode);
    }
    if !items.is_empty() {
        contrat["items"] = json!(items);
    }
    if !c.modifications.is_empty() {
        let amendments: Vec<Value> = c
            .modifications
            .iter()
            .map(|m| {
                let mut changements = Vec::new();
                if let Some(x) = m.montant {
                    changements.push(format!(
                        "montant porté à {}",
                        crate::format::montant((x * 100.0).round() as i64)
                    ));
                }
                if let Some(x) = m.duree_mois {
                    changements.push(format!("durée portée à {x} mois"));
                }
                if !m.titulaires.is_empty() {
                    let ids: Vec<&str> = m.titulaires.iter().map(|t| t.id.as_str()).collect();
                    changements.push(format!("titulaires : {}", ids.join(", ")));
                }
                let mut a = json!({
                    "id": format!("{}-modification-{}", c.id, m.id),
                    "description": m.objet.clone().unwrap_or_else(|| changements.join(" ; ")),
                    "rationale": changements.join(" ; "),
                });
                if let Some(d) = m.date_notification.or(m.date_publication_donnees) {
                    a["date"] = json!(date_heure(d));
                }
                a
            })
            .collect();
        contrat["amendments"] = json!(amendments);
    }
    let mut tags = vec!["award", "contract"];
    if !c.modifications.is_empty() {
        tags.push("contractAmendment");
    }
    let mut r = json!({
        "ocid": ocid,
        "id": format!("{ocid}-{}", date.get(..10).unwrap_or("")),
        "date": date,
        "tag": tags,
        "initiationType": "tender",
        "language": "fr",
        "parties": parties.into_values().collect::<Vec<_>>(),
        "buyer": {"id": acheteur_id, "name": c.acheteur.nom.clone().unwrap_or_else(|| c.acheteur.id.clone())},
        "tender": tender,
        "awards": [award],
        "contracts": [contrat],
    });
    if c.categorie == CategorieContrat::Concession {
        r["tender"]["procurementMethodRationale"] =
            json!(format!("Contrat de concession ({})", c.nature));
    }
    r
}

/// An OCDS 1.1.5 release package of the contracts (one compiled release per contract:
/// parties, buyer, tender with CPV items, award with suppliers, contract with its current
/// value and amendments).
///
/// ```
/// use mpe::donnees::{exporter_ocds, Contrat, OptionsOcds};
/// let o = OptionsOcds { prefixe_ocid: "ocds-abc123".into(), uri: "https://exemple.fr/ocds.json".into(),
///     editeur: "Ville".into(), publie_le: chrono::DateTime::UNIX_EPOCH };
/// let c = Contrat { id: "A1".into(), objet: "Voirie".into(), ..Default::default() };
/// let p: serde_json::Value = serde_json::from_slice(&exporter_ocds(&[c], &o).unwrap()).unwrap();
/// assert_eq!(p["version"], "1.1");
/// ```
pub fn exporter_ocds(contrats: &[Contrat], options: &OptionsOcds) -> Result<Vec<u8>> {
    let p = &options.prefixe_ocid;
    let ok = p.starts_with("ocds-")
        && p.len() == 11
        && p[5..].bytes().all(|b| b.is_ascii_alphanumeric());
    if !ok {
        return Err(Erreur::new(
            CodeErreur::ArgumentInvalide,
            format!("préfixe OCID « {p} » invalide (ocds- suivi de 6 caractères)"),
        )
        .at("prefixeOcid"));
    }
    let paquet = json!({
        "uri": options.uri,
        "version": "1.1",
        "publishedDate": options.publie_le.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "publisher": {"name": options.editeur},
        "license": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        "releases": contrats.iter().map(|c| release(c, options)).collect::<Vec<_>>(),
    });
    serde_json::to_vec_pretty(&paquet).map_err(|e| Erreur::internal(format!("OCDS : {e}")))
}
