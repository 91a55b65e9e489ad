//! THE mapping from mpe's model to the eForms business terms (BT) of a contract notice: one
//! table, read by the pre-check (which terms are missing, which field to fill) and by the
//! writer (the value of each term), and printed in `docs/publication.md`.
//!
//! Each row names the business term as `fields.json` of the SDK does (`BT-21-Lot`), the
//! place of the value in mpe's inputs as a JSON path over `{consultation, organisation,
//! donnees}` (`$.consultation.lots[*].intitule`, the `*` replaced by the lot index in
//! findings), whether subtype 16 requires it, and how the value is computed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::donnees::DonneesAvis;
use super::nuts;
use super::resultat::{ContratLot, Gagnant, Offre, ResultatLot, Resultats, montant};
use crate::model::{
    CategoriePrincipale, Consultation, Lot, Organisation, ReponseElectronique, TypeAcces,
    TypeAcheteur, TypeContrat, TypeProcedure,
};
use crate::procedure::Procedure;

/// Which part of the notice a row fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Portee {
    /// The notice or the procedure (once).
    Avis,
    /// The buyer organisation (ORG-0001).
    Acheteur,
    /// The review body (ORG-0002).
    Recours,
    /// Each lot (`LOT-0001`…, or `LOT-0000` for a consultation without lots).
    Lot,
    /// The result of each lot (`RES-0001`…), result notice.
    Resultat,
    /// Each winning tender (`TEN-0001`…), result notice.
    Offre,
    /// Each winner (`ORG-0003`…), result notice.
    Attributaire,
    /// Each contract (`CON-0001`…), result notice.
    Contrat,
}

/// The inputs of a notice.
pub(crate) struct Sources<'a> {
    pub consultation: &'a Consultation,
    pub organisation: &'a Organisation,
    pub donnees: &'a DonneesAvis,
    pub maintenant: DateTime<Utc>,
    /// The notice subtype written (`16`, `17`, `29`, `30`).
    pub sous_type: &'static str,
    /// The results, for a result notice.
    pub resultat: Option<Resultats<'a>>,
    /// The NUTS codes of the place of performance, found once (every lot repeats them).
    nuts_execution: Vec<String>,
}

impl<'a> Sources<'a> {
    pub fn new(
        consultation: &'a Consultation,
        organisation: &'a Organisation,
        donnees: &'a DonneesAvis,
        maintenant: DateTime<Utc>,
    ) -> Sources<'a> {
        let nuts_execution = if !donnees.nuts_execution.trim().is_empty() {
            un(&donnees.nuts_execution)
        } else {
            consultation
                .identification
                .lieux_execution
                .iter()
                .filter_map(nuts::nuts_du_lieu)
                .map(str::to_string)
                .collect()
        };
        Sources {
            consultation,
            organisation,
            donnees,
            maintenant,
            sous_type: if directive_25(organisation) {
                "17"
            } else {
                "16"
            },
            resultat: None,
            nuts_execution,
        }
    }

    /// The inputs of a result notice (subtype 29).
    pub fn resultat(
        procedure: &'a Procedure,
        organisation: &'a Organisation,
        donnees: &'a DonneesAvis,
        contrats: &'a [ContratLot],
        maintenant: DateTime<Utc>,
    ) -> Sources<'a> {
        let mut s = Sources::new(&procedure.consultation, organisation, donnees, maintenant);
        s.sous_type = if directive_25(organisation) {
            "30"
        } else {
            "29"
        };
        s.resultat = Some(Resultats::new(procedure, donnees, contrats));
        s
    }
}

/// One lot of the notice: a lot of the consultation, or the consultation itself when it has
/// no lots (`index` None).
#[derive(Clone, Copy)]
pub(crate) struct LotAvis<'a> {
    pub index: Option<usize>,
    pub lot: Option<&'a Lot>,
    /// For the result notice's rows: the position of the result, tender, winner or
    /// contract the row is read for.
    pub element: Option<usize>,
}

impl LotAvis<'_> {
    /// No lot: the notice, the buyer, the review body.
    pub const AUCUN: LotAvis<'static> = LotAvis {
        index: None,
        lot: None,
        element: None,
    };

    /// The same lot, for its `i`-th result, tender, winner or contract.
    pub fn element(self, i: usize) -> Self {
        LotAvis {
            element: Some(i),
            ..self
        }
    }

    /// `LOT-0001`, or `LOT-0000` for the whole consultation.
    pub fn identifiant(&self) -> String {
        format!("LOT-{:04}", self.lot.map(|l| l.numero).unwrap_or(0))
    }
}

/// A row of the mapping.
#[derive(Debug)]
pub struct Correspondance {
    /// Business term, as in the SDK's `fields.json`.
    pub bt: &'static str,
    /// What it is, in French.
    pub libelle: &'static str,
    /// Where mpe takes the value (JSON path over consultation, organisation, donnees, or
    /// `maintenant` for the time parameter).
    pub champ: &'static str,
    /// Notice, buyer, review body or lot.
    pub portee: Portee,
    /// The notice subtypes that carry it (`16`, `17`, `29`, `30`).
    pub avis: &'static [&'static str],
    /// Whether the pre-check blocks the notice when it is empty.
    pub obligatoire: bool,
    /// The value(s); empty = not given.
    pub(crate) lire: fn(&Sources<'_>, LotAvis<'_>) -> Vec<String>,
}

// Contract notices: 16 (pouvoir adjudicateur, directive 2014/24), 17 (entité adjudicatrice,
// directive 2014/25); result notices: 29 and 30, the same two directives.
const AVIS_16: &[&str] = &["16", "17"];
const AVIS_29: &[&str] = &["29", "30"];
const TOUS: &[&str] = &["16", "17", "29", "30"];
const DIRECTIVE_24: &[&str] = &["16", "29"];
const DIRECTIVE_25: &[&str] = &["17", "30"];
const AVIS_17: &[&str] = &["17"];
const AVIS_30: &[&str] = &["30"];

/// Whether the buyer publishes under directive 2014/25 (entité adjudicatrice): subtypes
/// 17 and 30 instead of 16 and 29.
pub(crate) fn directive_25(o: &Organisation) -> bool {
    o.entite.type_acheteur == TypeAcheteur::EntiteAdjudicatrice
}

/// Whether a subtype is a contract notice (16, 17) rather than a result notice (29, 30).
pub(crate) fn avis_de_marche(sous_type: &str) -> bool {
    matches!(sous_type, "16" | "17")
}

fn un(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        Vec::new()
    } else {
        vec![s.trim().to_string()]
    }
}

fn fixe(s: &'static str) -> Vec<String> {
    vec![s.to_string()]
}

/// A UUID v4 derived from the consultation id: stable, so that the same procedure keeps
/// the same identifier without the pure core drawing random numbers.
pub(crate) fn uuid_derive(graine: &str) -> String {
    let h = Sha256::digest(graine.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// CPV without its check digit, as eForms writes it (`45454000-4` gives `45454000`).
fn cpv8(code: &str) -> String {
    code.split('-').next().unwrap_or("").trim().to_string()
}

fn categorie(c: CategoriePrincipale) -> &'static str {
    match c {
        CategoriePrincipale::Travaux => "works",
        CategoriePrincipale::Fournitures => "supplies",
        CategoriePrincipale::Services => "services",
    }
}

/// BT-105 for the procedures a contract notice of subtype 16 announces.
pub(crate) fn code_procedure(p: TypeProcedure) -> Option<&'static str> {
    match p {
        TypeProcedure::AppelOffresOuvert => Some("open"),
        TypeProcedure::AppelOffresRestreint => Some("restricted"),
        TypeProcedure::ProcedureAvecNegociation => Some("neg-w-call"),
        TypeProcedure::DialogueCompetitif => Some("comp-dial"),
        _ => None,
    }
}

/// Restricted, negotiated, competitive dialogue: the notice calls for candidatures, and the
/// consultation's DLRO is the deadline of that first phase (BT-1311, no tender validity).
pub(crate) fn deux_phases(s: &Sources<'_>) -> bool {
    !matches!(
        s.consultation.identification.procedure,
        TypeProcedure::AppelOffresOuvert
    )
}

fn dlro(s: &Sources<'_>) -> Vec<String> {
    crate::rules::temps::instant_paris(s.consultation.calendrier.dlro)
        .map(|i| vec![i.with_timezone(&chrono_tz::Europe::Paris).to_rfc3339()])
        .unwrap_or_default()
}

fn nuts_execution(s: &Sources<'_>) -> Vec<String> {
    s.nuts_execution.clone()
}

fn pays(p: &str) -> Vec<String> {
    if p.trim().is_empty() {
        fixe("FRA")
    } else {
        un(p)
    }
}

fn criteres<'a>(
    s: &'a Sources<'_>,
    l: LotAvis<'_>,
) -> impl Iterator<Item = &'a super::donnees::CritereAttribution> {
    let numero = l.lot.map(|l| l.numero);
    let propres = s
        .donnees
        .criteres
        .iter()
        .any(|c| c.lot.is_some() && c.lot == numero);
    s.donnees.criteres.iter().filter(move |c| {
        if propres {
            c.lot == numero
        } else {
            c.lot.is_none()
        }
    })
}

/// The result of the lot `l`, in a result notice.
fn resultat_lot<'b>(s: &'b Sources<'_>, l: LotAvis<'_>) -> Option<&'b ResultatLot<'b>> {
    s.resultat.as_ref()?.lots.get(l.index.unwrap_or(0))
}

/// The `l.element`-th winning tender.
fn offre<'b>(s: &'b Sources<'_>, l: LotAvis<'_>) -> Option<&'b Offre> {
    s.resultat.as_ref()?.offres.get(l.element?)
}

/// The `l.element`-th winner.
fn gagnant<'b>(s: &'b Sources<'_>, l: LotAvis<'_>) -> Option<&'b Gagnant<'b>> {
    s.resultat.as_ref()?.gagnants.get(l.element?)
}

/// The `l.element`-th contract.
fn contrat_lot<'b>(s: &'b Sources<'_>, l: LotAvis<'_>) -> Option<&'b ContratLot> {
    s.resultat.as_ref()?.contrats.get(l.element?)
}

/// A value of the winner's address, from the notice data.
fn coordonnee(
    s: &Sources<'_>,
    l: LotAvis<'_>,
    f: fn(&super::donnees::Coordonnees) -> &str,
) -> Vec<String> {
    gagnant(s, l)
        .and_then(|g| g.details)
        .map(|(_, d)| un(f(&d.coordonnees)))
        .unwrap_or_default()
}

fn identifiants(prefixe: &str, positions: impl Iterator<Item = usize>) -> Vec<String> {
    positions
        .map(|i| format!("{prefixe}-{:04}", i + 1))
        .collect()
}

/// A date as eForms writes it, with the offset of Paris on that day (`2027-01-05+01:00`).
fn date_paris(d: chrono::NaiveDate) -> Option<String> {
    use chrono::TimeZone;
    let midi = d.and_hms_opt(12, 0, 0)?;
    let t = chrono_tz::Europe::Paris
        .from_local_datetime(&midi)
        .single()?;
    Some(t.format("%Y-%m-%d%:z").to_string())
}

/// The mapping, in the order of the notice.
pub static TABLE: &[Correspondance] = &[
    Correspondance {
        bt: "BT-701-notice",
        libelle: "Identifiant de l'avis (UUID)",
        champ: "$.donnees.identifiant_avis",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            if s.donnees.identifiant_avis.is_empty() {
                // The subtype is part of the seed: a contract notice and the result
                // notice of the same consultation are two notices for TED.
                vec![uuid_derive(&format!(
                    "mpe/avis/{}/{}/{}",
                    s.sous_type,
                    s.consultation.id,
                    s.donnees.version.max(1)
                ))]
            } else {
                un(&s.donnees.identifiant_avis)
            }
        },
    },
    Correspondance {
        bt: "BT-04-notice",
        libelle: "Identifiant de la procédure (UUID)",
        champ: "$.donnees.identifiant_procedure",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            if s.donnees.identifiant_procedure.is_empty() {
                vec![uuid_derive(&format!("mpe/procedure/{}", s.consultation.id))]
            } else {
                un(&s.donnees.identifiant_procedure)
            }
        },
    },
    Correspondance {
        bt: "BT-05-notice",
        libelle: "Date d'envoi de l'avis (Europe/Paris)",
        champ: "maintenant",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| vec![s.maintenant.to_rfc3339()],
    },
    Correspondance {
        bt: "BT-757-notice",
        libelle: "Version de l'avis",
        champ: "$.donnees.version",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| vec![format!("{:02}", s.donnees.version.max(1))],
    },
    Correspondance {
        bt: "BT-01-notice",
        libelle: "Base juridique",
        champ: "$.organisation.entite.type_acheteur",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| match s.organisation.entite.type_acheteur {
            TypeAcheteur::EntiteAdjudicatrice => fixe("32014L0025"),
            _ => fixe("32014L0024"),
        },
    },
    Correspondance {
        bt: "BT-02-notice",
        libelle: "Type d'avis",
        champ: "$.consultation.identification.type_annonce",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            fixe(if !avis_de_marche(s.sous_type) {
                "can-standard"
            } else {
                "cn-standard"
            })
        },
    },
    Correspondance {
        bt: "BT-702(a)-notice",
        libelle: "Langue de l'avis",
        champ: "$.donnees.langue",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            if s.donnees.langue.is_empty() {
                fixe("FRA")
            } else {
                un(&s.donnees.langue)
            }
        },
    },
    // The buyer (ORG-0001).
    Correspondance {
        bt: "BT-500-Organization-Company",
        libelle: "Nom de l'acheteur",
        champ: "$.organisation.entite.nom",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.organisation.entite.nom),
    },
    Correspondance {
        bt: "BT-501-Organization-Company",
        libelle: "SIRET de l'acheteur",
        champ: "$.organisation.entite.siret",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.organisation.entite.siret),
    },
    Correspondance {
        bt: "BT-510(a)-Organization-Company",
        libelle: "Adresse de l'acheteur",
        champ: "$.donnees.acheteur.adresse",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| un(&s.donnees.acheteur.adresse),
    },
    Correspondance {
        bt: "BT-513-Organization-Company",
        libelle: "Ville de l'acheteur",
        champ: "$.donnees.acheteur.ville",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.acheteur.ville),
    },
    Correspondance {
        bt: "BT-512-Organization-Company",
        libelle: "Code postal de l'acheteur",
        champ: "$.donnees.acheteur.code_postal",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.acheteur.code_postal),
    },
    Correspondance {
        bt: "BT-507-Organization-Company",
        libelle: "Code NUTS de l'acheteur",
        champ: "$.donnees.acheteur.nuts",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.acheteur.nuts),
    },
    Correspondance {
        bt: "BT-514-Organization-Company",
        libelle: "Pays de l'acheteur",
        champ: "$.donnees.acheteur.pays",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| pays(&s.donnees.acheteur.pays),
    },
    Correspondance {
        bt: "BT-503-Organization-Company",
        libelle: "Téléphone de l'acheteur",
        champ: "$.donnees.acheteur.telephone",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| un(&s.donnees.acheteur.telephone),
    },
    Correspondance {
        bt: "BT-506-Organization-Company",
        libelle: "Courriel de l'acheteur",
        champ: "$.donnees.acheteur.email",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.acheteur.email),
    },
    Correspondance {
        bt: "BT-505-Organization-Company",
        libelle: "Site internet de l'acheteur",
        champ: "$.donnees.acheteur.site_internet",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| un(&s.donnees.acheteur.site_internet),
    },
    Correspondance {
        bt: "BT-11-Procedure-Buyer",
        libelle: "Forme juridique de l'acheteur",
        champ: "$.donnees.forme_juridique",
        portee: Portee::Acheteur,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            if s.donnees.forme_juridique.is_empty() {
                match s.organisation.entite.type_acheteur {
                    TypeAcheteur::Etat => fixe("cga"),
                    TypeAcheteur::CollectiviteTerritoriale => fixe("la"),
                    TypeAcheteur::EntiteAdjudicatrice => fixe("pub-undert"),
                }
            } else {
                un(&s.donnees.forme_juridique)
            }
        },
    },
    Correspondance {
        bt: "BT-10-Procedure-Buyer",
        libelle: "Activité de l'acheteur (pouvoir adjudicateur)",
        champ: "$.donnees.activite",
        portee: Portee::Acheteur,
        avis: DIRECTIVE_24,
        obligatoire: true,
        lire: |s, _| {
            if directive_25(s.organisation) {
                // 17 and 30 forbid BT-10 for an entité adjudicatrice (BT-11 pub-undert…).
                Vec::new()
            } else if s.donnees.activite.is_empty() {
                fixe("gen-pub")
            } else {
                un(&s.donnees.activite)
            }
        },
    },
    Correspondance {
        bt: "BT-610-Procedure-Buyer",
        libelle: "Activité de l'entité adjudicatrice (eau, énergie, transports, poste…)",
        champ: "$.donnees.activite",
        portee: Portee::Acheteur,
        avis: DIRECTIVE_25,
        obligatoire: true,
        // No default: the sector is what makes the buyer an entité adjudicatrice.
        lire: |s, _| {
            if directive_25(s.organisation) {
                un(&s.donnees.activite)
            } else {
                Vec::new()
            }
        },
    },
    // The review body (ORG-0002).
    Correspondance {
        bt: "BT-500-Organization-Company",
        libelle: "Nom de l'instance de recours",
        champ: "$.donnees.instance_recours.nom",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.instance_recours.nom),
    },
    Correspondance {
        bt: "BT-501-Organization-Company",
        libelle: "Identifiant de l'instance de recours",
        champ: "$.donnees.instance_recours.identifiant",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.instance_recours.identifiant),
    },
    Correspondance {
        bt: "BT-513-Organization-Company",
        libelle: "Ville de l'instance de recours",
        champ: "$.donnees.instance_recours.coordonnees.ville",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.instance_recours.coordonnees.ville),
    },
    Correspondance {
        bt: "BT-512-Organization-Company",
        libelle: "Code postal de l'instance de recours",
        champ: "$.donnees.instance_recours.coordonnees.code_postal",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.instance_recours.coordonnees.code_postal),
    },
    Correspondance {
        bt: "BT-507-Organization-Company",
        libelle: "Code NUTS de l'instance de recours",
        champ: "$.donnees.instance_recours.coordonnees.nuts",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.instance_recours.coordonnees.nuts),
    },
    Correspondance {
        bt: "BT-514-Organization-Company",
        libelle: "Pays de l'instance de recours",
        champ: "$.donnees.instance_recours.coordonnees.pays",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| pays(&s.donnees.instance_recours.coordonnees.pays),
    },
    Correspondance {
        bt: "BT-506-Organization-Company",
        libelle: "Courriel de l'instance de recours",
        champ: "$.donnees.instance_recours.coordonnees.email",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| un(&s.donnees.instance_recours.coordonnees.email),
    },
    Correspondance {
        bt: "BT-503-Organization-Company",
        libelle: "Téléphone de l'instance de recours",
        champ: "$.donnees.instance_recours.coordonnees.telephone",
        portee: Portee::Recours,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| un(&s.donnees.instance_recours.coordonnees.telephone),
    },
    // The procedure.
    Correspondance {
        bt: "BT-806-Procedure",
        libelle: "Source des motifs d'exclusion",
        champ: "(fixe : les documents de la consultation)",
        portee: Portee::Avis,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("epo-procurement-document"),
    },
    Correspondance {
        bt: "BT-31-Procedure",
        libelle: "Nombre maximal de lots pour lesquels soumissionner",
        champ: "$.consultation.lots",
        portee: Portee::Avis,
        avis: AVIS_16,
        obligatoire: false,
        lire: |s, _| {
            if s.consultation.identification.allotie && s.consultation.lots.len() > 1 {
                vec![s.consultation.lots.len().to_string()]
            } else {
                Vec::new()
            }
        },
    },
    Correspondance {
        bt: "BT-105-Procedure",
        libelle: "Type de procédure",
        champ: "$.consultation.identification.procedure",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            code_procedure(s.consultation.identification.procedure)
                .map(fixe)
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-106-Procedure",
        libelle: "Procédure accélérée (urgence)",
        champ: "$.consultation.calendrier.urgence",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| vec![s.consultation.calendrier.urgence.to_string()],
    },
    Correspondance {
        bt: "BT-22-Procedure",
        libelle: "Référence de la consultation",
        champ: "$.consultation.identification.reference",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| un(&s.consultation.identification.reference),
    },
    Correspondance {
        bt: "BT-21-Procedure",
        libelle: "Intitulé",
        champ: "$.consultation.identification.intitule",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.consultation.identification.intitule),
    },
    Correspondance {
        bt: "BT-24-Procedure",
        libelle: "Objet",
        champ: "$.consultation.identification.objet",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&s.consultation.identification.objet),
    },
    Correspondance {
        bt: "BT-23-Procedure",
        libelle: "Catégorie principale",
        champ: "$.consultation.identification.categorie",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| fixe(categorie(s.consultation.identification.categorie)),
    },
    Correspondance {
        bt: "BT-262-Procedure",
        libelle: "Code CPV principal",
        champ: "$.consultation.identification.cpv.principal",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| un(&cpv8(&s.consultation.identification.cpv.principal)),
    },
    Correspondance {
        bt: "BT-263-Procedure",
        libelle: "Codes CPV secondaires",
        champ: "$.consultation.identification.cpv.secondaires",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| {
            s.consultation
                .identification
                .cpv
                .secondaires
                .iter()
                .map(|c| cpv8(c))
                .filter(|c| !c.is_empty())
                .collect()
        },
    },
    Correspondance {
        bt: "BT-5071-Procedure",
        libelle: "Lieu d'exécution (NUTS)",
        champ: "$.consultation.identification.lieux_execution",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| nuts_execution(s),
    },
    Correspondance {
        bt: "BT-5141-Procedure",
        libelle: "Pays d'exécution",
        champ: "(fixe : FRA)",
        portee: Portee::Avis,
        avis: TOUS,
        obligatoire: true,
        lire: |_, _| fixe("FRA"),
    },
    // Each lot.
    Correspondance {
        bt: "BT-137-Lot",
        libelle: "Identifiant du lot",
        champ: "$.consultation.lots[*].numero",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |_, l| vec![l.identifiant()],
    },
    Correspondance {
        bt: "BT-22-Lot",
        libelle: "Numéro du lot",
        champ: "$.consultation.lots[*].numero",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: false,
        lire: |_, l| {
            l.lot
                .map(|l| vec![l.numero.to_string()])
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-21-Lot",
        libelle: "Intitulé du lot",
        champ: "$.consultation.lots[*].intitule",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, l| match l.lot {
            Some(l) => un(&l.intitule),
            None => un(&s.consultation.identification.intitule),
        },
    },
    Correspondance {
        bt: "BT-24-Lot",
        libelle: "Description du lot",
        champ: "$.consultation.lots[*].description",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, l| match l.lot {
            Some(l) => un(&l.description),
            None => un(&s.consultation.identification.objet),
        },
    },
    Correspondance {
        bt: "BT-23-Lot",
        libelle: "Catégorie du lot",
        champ: "$.consultation.lots[*].categorie",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, l| {
            fixe(categorie(
                l.lot
                    .map(|l| l.categorie)
                    .unwrap_or(s.consultation.identification.categorie),
            ))
        },
    },
    Correspondance {
        bt: "BT-262-Lot",
        libelle: "Code CPV principal du lot",
        champ: "$.consultation.lots[*].cpv.principal",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, l| {
            un(&cpv8(
                &l.lot
                    .map(|l| &l.cpv)
                    .unwrap_or(&s.consultation.identification.cpv)
                    .principal,
            ))
        },
    },
    Correspondance {
        bt: "BT-263-Lot",
        libelle: "Codes CPV secondaires du lot",
        champ: "$.consultation.lots[*].cpv.secondaires",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: false,
        lire: |s, l| {
            l.lot
                .map(|l| &l.cpv)
                .unwrap_or(&s.consultation.identification.cpv)
                .secondaires
                .iter()
                .map(|c| cpv8(c))
                .filter(|c| !c.is_empty())
                .collect()
        },
    },
    Correspondance {
        bt: "BT-5071-Lot",
        libelle: "Lieu d'exécution du lot (NUTS)",
        champ: "$.consultation.identification.lieux_execution",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| nuts_execution(s),
    },
    Correspondance {
        bt: "BT-5141-Lot",
        libelle: "Pays d'exécution du lot",
        champ: "(fixe : FRA)",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |_, _| fixe("FRA"),
    },
    Correspondance {
        bt: "BT-36-Lot",
        libelle: "Durée du marché (mois)",
        champ: "$.donnees.duree_mois",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: false,
        lire: |s, _| {
            s.donnees
                .duree_mois
                .filter(|d| *d > 0)
                .map(|d| vec![d.to_string()])
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-60-Lot",
        libelle: "Financement par des fonds de l'UE",
        champ: "$.donnees.fonds_ue",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            fixe(if s.donnees.fonds_ue {
                "eu-funds"
            } else {
                "no-eu-funds"
            })
        },
    },
    Correspondance {
        bt: "BT-14-Lot",
        libelle: "Accès aux documents (restreint ou non)",
        champ: "$.consultation.acces.type_acces",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |s, _| {
            fixe(match s.consultation.acces.type_acces {
                TypeAcces::Public => "non-restricted-document",
                TypeAcces::Restreint => "restricted-document",
            })
        },
    },
    Correspondance {
        bt: "BT-15-Lot",
        libelle: "Adresse des documents de la consultation",
        champ: "$.donnees.url_documents",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.url_documents),
    },
    Correspondance {
        bt: "BT-71-Lot",
        libelle: "Marché réservé",
        champ: "(fixe : non réservé)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("none"),
    },
    Correspondance {
        bt: "BT-821-Lot",
        libelle: "Source des critères de sélection",
        champ: "(fixe : les documents de la consultation)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("epo-procurement-document"),
    },
    Correspondance {
        bt: "BT-736-Lot",
        libelle: "Exécution réservée",
        champ: "(fixe : non)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("no"),
    },
    Correspondance {
        bt: "BT-743-Lot",
        libelle: "Facturation électronique",
        champ: "(fixe : requise, Chorus Pro)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("required"),
    },
    Correspondance {
        bt: "BT-764-Lot",
        libelle: "Catalogues électroniques",
        champ: "(fixe : non autorisés)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("not-allowed"),
    },
    // Subtype 17 only (directive 2014/25): terms the SDK requires there and not in 16.
    Correspondance {
        bt: "BT-79-Lot",
        libelle: "Qualifications du personnel exigées",
        champ: "(fixe : non exigées dans l'avis, voir les documents)",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |_, _| fixe("not-requ"),
    },
    Correspondance {
        bt: "BT-751-Lot",
        libelle: "Garantie exigée",
        champ: "$.donnees.garantie_exigee",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |s, _| {
            fixe(if s.donnees.garantie_exigee {
                "true"
            } else {
                "false"
            })
        },
    },
    Correspondance {
        bt: "BT-75-Lot",
        libelle: "Garantie exigée : description",
        champ: "(fixe : renvoi aux documents de la consultation)",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: false,
        lire: |s, _| {
            if s.donnees.garantie_exigee {
                fixe("Selon les documents de la consultation.")
            } else {
                Vec::new()
            }
        },
    },
    Correspondance {
        bt: "BT-77-Lot",
        libelle: "Conditions financières",
        champ: "(fixe : renvoi aux documents de la consultation)",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |_, _| fixe("Selon les documents de la consultation."),
    },
    Correspondance {
        bt: "BT-761-Lot",
        libelle: "Forme juridique imposée au groupement",
        champ: "(fixe : non imposée)",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |_, _| fixe("false"),
    },
    Correspondance {
        bt: "OPT-060-Lot",
        libelle: "Conditions d'exécution (type)",
        champ: "(fixe : conditions d'exécution)",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |_, _| fixe("performance"),
    },
    Correspondance {
        bt: "BT-70-Lot",
        libelle: "Conditions d'exécution",
        champ: "(fixe : renvoi aux documents de la consultation)",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |_, _| fixe("Selon les documents de la consultation."),
    },
    Correspondance {
        bt: "OPT-301-Lot-AddInfo",
        libelle: "Organisation qui renseigne",
        champ: "(fixe : l'acheteur, ORG-0001)",
        portee: Portee::Lot,
        avis: DIRECTIVE_25,
        obligatoire: true,
        lire: |_, _| fixe("ORG-0001"),
    },
    Correspondance {
        bt: "BT-58-Lot",
        libelle: "Nombre maximal de reconductions",
        champ: "$.donnees.reconductions",
        portee: Portee::Lot,
        avis: AVIS_17,
        obligatoire: true,
        lire: |s, _| vec![s.donnees.reconductions.to_string()],
    },
    Correspondance {
        bt: "BT-539-Lot",
        libelle: "Type des critères d'attribution",
        champ: "$.donnees.criteres[*].type",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: false,
        lire: |s, l| {
            criteres(s, l)
                .map(|c| c.type_critere.code().to_string())
                .collect()
        },
    },
    Correspondance {
        bt: "BT-734-Lot",
        libelle: "Nom des critères d'attribution",
        champ: "$.donnees.criteres[*].libelle",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: false,
        lire: |s, l| criteres(s, l).map(|c| c.libelle.clone()).collect(),
    },
    Correspondance {
        bt: "BT-541-Lot-WeightNumber",
        libelle: "Pondération des critères (%)",
        champ: "$.donnees.criteres[*].ponderation",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: false,
        lire: |s, l| criteres(s, l).map(|c| c.ponderation.to_string()).collect(),
    },
    Correspondance {
        bt: "BT-18-Lot",
        libelle: "Adresse de dépôt des plis",
        champ: "$.donnees.url_depot",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |s, _| un(&s.donnees.url_depot),
    },
    Correspondance {
        bt: "BT-98-Lot",
        libelle: "Délai de validité des offres (mois ; procédure ouverte)",
        champ: "$.donnees.validite_offres_mois",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: false,
        lire: |s, _| {
            if deux_phases(s) {
                Vec::new()
            } else {
                vec![s.donnees.validite_offres_mois.unwrap_or(6).to_string()]
            }
        },
    },
    Correspondance {
        bt: "BT-99-Lot",
        libelle: "Délais d'introduction des recours",
        champ: "$.donnees.delais_recours",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            if s.donnees.delais_recours.trim().is_empty() {
                fixe(
                    "Référé précontractuel (article L. 551-1 du code de justice administrative) jusqu'à la signature du marché ; \
                  recours en contestation de la validité du contrat dans les deux mois suivant la publication de l'avis d'attribution ; \
                  recours pour excès de pouvoir dans les deux mois suivant la décision.",
                )
            } else {
                un(&s.donnees.delais_recours)
            }
        },
    },
    Correspondance {
        bt: "BT-97-Lot",
        libelle: "Langue des offres",
        champ: "$.donnees.langue",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |s, _| {
            if s.donnees.langue.is_empty() {
                fixe("FRA")
            } else {
                un(&s.donnees.langue)
            }
        },
    },
    Correspondance {
        bt: "BT-92-Lot",
        libelle: "Commande électronique",
        champ: "(fixe : non)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("false"),
    },
    Correspondance {
        bt: "BT-93-Lot",
        libelle: "Paiement électronique",
        champ: "(fixe : oui)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |_, _| fixe("true"),
    },
    Correspondance {
        bt: "BT-17-Lot",
        libelle: "Soumission électronique",
        champ: "$.consultation.modalites.reponse_electronique",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: true,
        lire: |s, _| {
            fixe(match s.consultation.modalites.reponse_electronique {
                ReponseElectronique::Obligatoire => "required",
                ReponseElectronique::Autorisee => "allowed",
                ReponseElectronique::Refusee => "not-allowed",
            })
        },
    },
    Correspondance {
        bt: "BT-115-Lot",
        libelle: "Couvert par l'accord sur les marchés publics (AMP)",
        champ: "$.donnees.accord_marches_publics",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| vec![s.donnees.accord_marches_publics.to_string()],
    },
    Correspondance {
        bt: "BT-131-Lot",
        libelle: "Date limite de remise des offres (DLRO, Europe/Paris ; procédure ouverte)",
        champ: "$.consultation.calendrier.dlro",
        portee: Portee::Lot,
        avis: AVIS_16,
        // Always given (the pre-check checks the date exists in Paris), in BT-131 or BT-1311.
        obligatoire: false,
        lire: |s, _| if deux_phases(s) { Vec::new() } else { dlro(s) },
    },
    Correspondance {
        bt: "BT-1311-Lot",
        libelle: "Date limite de remise des candidatures (DLRO de la première phase ; restreinte, négociée, dialogue)",
        champ: "$.consultation.calendrier.dlro",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: false,
        lire: |s, _| if deux_phases(s) { dlro(s) } else { Vec::new() },
    },
    Correspondance {
        bt: "BT-661-Lot",
        libelle: "Nombre maximal de candidats limité (restreinte, négociée, dialogue)",
        champ: "(fixe : non ; mpe n'a pas de maximum, BT-51)",
        portee: Portee::Lot,
        avis: AVIS_16,
        obligatoire: false,
        lire: |s, _| {
            if deux_phases(s) {
                fixe("false")
            } else {
                Vec::new()
            }
        },
    },
    Correspondance {
        bt: "BT-50-Lot",
        libelle: "Nombre minimal de candidats (restreinte, négociée, dialogue)",
        champ: "$.consultation.modalites.nombre_minimal_candidats",
        portee: Portee::Lot,
        avis: AVIS_16,
        // Required only in two phases: the pre-check asks for it there (subtype 16).
        obligatoire: false,
        lire: |s, _| {
            if deux_phases(s) {
                s.consultation
                    .modalites
                    .nombre_minimal_candidats
                    .map(|n| vec![n.to_string()])
                    .unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    },
    Correspondance {
        bt: "BT-767-Lot",
        libelle: "Enchère électronique",
        champ: "(fixe : non)",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |_, _| fixe("false"),
    },
    Correspondance {
        bt: "BT-765-Lot",
        libelle: "Accord-cadre",
        champ: "$.consultation.identification.type_contrat",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            fixe(match s.consultation.identification.type_contrat {
                TypeContrat::AccordCadreMonoAttributaire => "fa-wo-rc",
                TypeContrat::AccordCadreMultiAttributaires => "fa-mix",
                _ => "none",
            })
        },
    },
    Correspondance {
        bt: "BT-766-Lot",
        libelle: "Système d'acquisition dynamique",
        champ: "$.consultation.identification.type_contrat",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |s, _| {
            fixe(match s.consultation.identification.type_contrat {
                TypeContrat::SystemeAcquisitionDynamique => "dps-nlist",
                _ => "none",
            })
        },
    },
    Correspondance {
        bt: "OPT-301-Lot-ReviewOrg",
        libelle: "Instance de recours du lot",
        champ: "$.donnees.instance_recours",
        portee: Portee::Lot,
        avis: TOUS,
        obligatoire: true,
        lire: |_, _| fixe("ORG-0002"),
    },
    // The result notice (subtype 29): the results, tenders, winners and contracts.
    Correspondance {
        bt: "BT-161-NoticeResult",
        libelle: "Valeur totale des marchés attribués (HT)",
        champ: "$.decisions[*].decision.attributaires[*].montant",
        portee: Portee::Avis,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, _| {
            let Some(r) = s.resultat.as_ref() else {
                return Vec::new();
            };
            let gagnees: Vec<_> = r
                .offres
                .iter()
                .filter(|o| r.lots.get(o.lot).and_then(|l| l.statut()) == Some("selec-w"))
                .collect();
            if gagnees.is_empty() {
                return Vec::new();
            }
            let total: i64 = gagnees.iter().map(|o| o.montant.centimes()).sum();
            vec![montant(crate::model::Montant::from_centimes(total))]
        },
    },
    Correspondance {
        bt: "OPT-999-notice",
        libelle: "Date de la première décision d'attribution (élément technique)",
        champ: "$.decisions[*].le",
        portee: Portee::Avis,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, _| {
            let premiere = s.resultat.as_ref().and_then(|r| {
                r.lots
                    .iter()
                    .filter_map(|l| l.decision.filter(|_| l.statut().is_some()))
                    .map(|d| d.le)
                    .min()
            });
            let t = premiere
                .unwrap_or(s.maintenant)
                .with_timezone(&chrono_tz::Europe::Paris);
            vec![t.format("%Y-%m-%d%:z").to_string()]
        },
    },
    Correspondance {
        bt: "OPT-322-LotResult",
        libelle: "Identifiant du résultat du lot",
        champ: "(calculé : RES-0001…)",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |_, l| vec![format!("RES-{:04}", l.index.unwrap_or(0) + 1)],
    },
    Correspondance {
        bt: "BT-13713-LotResult",
        libelle: "Lot du résultat",
        champ: "$.consultation.lots[*].numero",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |_, l| vec![l.identifiant()],
    },
    Correspondance {
        bt: "BT-142-LotResult",
        libelle: "Attributaire choisi (attribué, ou infructueux / sans suite)",
        champ: "$.decisions[*].decision",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            resultat_lot(s, l)
                .and_then(|r| r.statut())
                .map(fixe)
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-144-LotResult",
        libelle: "Motif de non-attribution",
        champ: "$.donnees.non_attributions",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| {
            resultat_lot(s, l)
                .and_then(|r| r.motif())
                .map(|m| fixe(m.code()))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-760-LotResult",
        libelle: "Offres décomptées : toutes, des PME, des grandes entreprises, électroniques, d'un autre État de l'EEE, d'hors de l'EEE",
        champ: "(calculé : tenders, t-sme, t-large, t-esubm, t-oth-eea, t-no-eea)",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| match resultat_lot(s, l) {
            Some(r) if r.avec_statistiques() && r.tailles.is_ok() => [
                "tenders",
                "t-sme",
                "t-large",
                "t-esubm",
                "t-oth-eea",
                "t-no-eea",
            ]
            .map(String::from)
            .to_vec(),
            _ => Vec::new(),
        },
    },
    Correspondance {
        bt: "BT-759-LotResult",
        libelle: "Nombre d'offres reçues, par décompte",
        champ: "$.plis (plis recevables du lot, leur mode de dépôt et leur pays ; tailles : $.donnees.entreprises[*].taille)",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| match resultat_lot(s, l) {
            Some(r) if r.avec_statistiques() => match r.tailles {
                Ok((pme, grandes)) => [
                    r.offres_recues,
                    pme,
                    grandes,
                    r.electroniques,
                    r.autres_eee,
                    r.hors_eee,
                ]
                .map(|n| n.to_string())
                .to_vec(),
                Err(_) => Vec::new(),
            },
            _ => Vec::new(),
        },
    },
    Correspondance {
        bt: "OPT-320-LotResult",
        libelle: "Offres retenues du lot",
        champ: "$.decisions[*].decision.attributaires",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| {
            resultat_lot(s, l)
                .filter(|r| r.statut() == Some("selec-w"))
                .map(|r| identifiants("TEN", r.offres.iter().copied()))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "OPT-315-LotResult",
        libelle: "Contrat du lot",
        champ: "$.contrats[*].lot",
        portee: Portee::Resultat,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| {
            resultat_lot(s, l)
                .filter(|r| r.statut() == Some("selec-w"))
                .map(|r| identifiants("CON", r.contrats.iter().copied()))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "OPT-321-Tender",
        libelle: "Identifiant de l'offre retenue",
        champ: "(calculé : TEN-0001…)",
        portee: Portee::Offre,
        avis: AVIS_29,
        obligatoire: true,
        lire: |_, l| identifiants("TEN", l.element.into_iter()),
    },
    Correspondance {
        bt: "BT-193-Tender",
        libelle: "Offre variante",
        champ: "(fixe : non, mpe ne connaît pas de variantes)",
        portee: Portee::Offre,
        avis: AVIS_30,
        obligatoire: true,
        lire: |_, _| fixe("false"),
    },
    Correspondance {
        bt: "BT-3201-Tender",
        libelle: "Référence de l'offre (consultation, lot, pli)",
        champ: "$.decisions[*].decision.attributaires[*].pli",
        portee: Portee::Offre,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            let Some(o) = offre(s, l) else {
                return Vec::new();
            };
            let numero = s
                .resultat
                .as_ref()
                .and_then(|r| r.lots.get(o.lot))
                .map_or(0, |r| r.numero);
            let reference = &s.consultation.identification.reference;
            let base = if reference.trim().is_empty() {
                &s.consultation.id
            } else {
                reference
            };
            vec![format!("{}-L{numero}-P{}", base.trim(), o.pli)]
        },
    },
    Correspondance {
        bt: "BT-13714-Tender",
        libelle: "Lot de l'offre",
        champ: "$.decisions[*]",
        portee: Portee::Offre,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            offre(s, l)
                .and_then(|o| s.resultat.as_ref()?.lots.get(o.lot))
                .map(|r| vec![format!("LOT-{:04}", r.numero)])
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-720-Tender",
        libelle: "Montant de l'offre retenue (HT)",
        champ: "$.decisions[*].decision.attributaires[*].montant",
        portee: Portee::Offre,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            offre(s, l)
                .map(|o| vec![montant(o.montant)])
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-773-Tender",
        libelle: "Sous-traitance",
        champ: "$.contrats[*].contrat.sousTraitanceDeclaree",
        portee: Portee::Offre,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            let Some(o) = offre(s, l) else {
                return Vec::new();
            };
            let declaree = o
                .contrat
                .and_then(|c| s.resultat.as_ref()?.contrat(c))
                .and_then(|c| c.sous_traitance_declaree);
            fixe(match declaree {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not-known",
            })
        },
    },
    Correspondance {
        bt: "OPT-310-Tender",
        libelle: "Soumissionnaire de l'offre",
        champ: "$.decisions[*].decision.attributaires[*].pli",
        portee: Portee::Offre,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            offre(s, l)
                .map(|o| identifiants("TPA", std::iter::once(o.gagnant)))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-500-Organization-Company",
        libelle: "Raison sociale de l'attributaire",
        champ: "$.plis[*].entreprise.raison_sociale",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            gagnant(s, l)
                .map(|g| un(&g.entreprise.raison_sociale))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-501-Organization-Company",
        libelle: "Identifiant de l'attributaire (SIRET)",
        champ: "$.plis[*].entreprise.identifiant",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            gagnant(s, l)
                .map(|g| un(&super::resultat::cle(&g.entreprise.identifiant)))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-510(a)-Organization-Company",
        libelle: "Adresse de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.adresse",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| coordonnee(s, l, |c| &c.adresse),
    },
    Correspondance {
        bt: "BT-513-Organization-Company",
        libelle: "Ville de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.ville",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| coordonnee(s, l, |c| &c.ville),
    },
    Correspondance {
        bt: "BT-512-Organization-Company",
        libelle: "Code postal de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.code_postal",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| coordonnee(s, l, |c| &c.code_postal),
    },
    Correspondance {
        bt: "BT-507-Organization-Company",
        libelle: "Code NUTS de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.nuts",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| coordonnee(s, l, |c| &c.nuts),
    },
    Correspondance {
        bt: "BT-514-Organization-Company",
        libelle: "Pays de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.pays",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            let Some(g) = gagnant(s, l) else {
                return Vec::new();
            };
            let donne = g
                .details
                .map(|(_, d)| d.coordonnees.pays.trim())
                .unwrap_or("");
            match (&g.entreprise.identifiant, donne) {
                (_, p) if !p.is_empty() => un(p),
                (crate::model::IdentifiantEntreprise::Siret(_), _) => fixe("FRA"),
                // A foreign company's country, in three letters, is for the host to give.
                _ => Vec::new(),
            }
        },
    },
    Correspondance {
        bt: "BT-503-Organization-Company",
        libelle: "Téléphone de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.telephone",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| coordonnee(s, l, |c| &c.telephone),
    },
    Correspondance {
        bt: "BT-506-Organization-Company",
        libelle: "Courriel de l'attributaire",
        champ: "$.donnees.entreprises[*].coordonnees.email",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: false,
        lire: |s, l| coordonnee(s, l, |c| &c.email),
    },
    Correspondance {
        bt: "BT-165-Organization-Company",
        libelle: "Taille de l'attributaire (PME ou non)",
        champ: "$.donnees.entreprises[*].taille",
        portee: Portee::Attributaire,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            gagnant(s, l)
                .and_then(|g| g.taille)
                .map(|t| fixe(t.code()))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "OPT-316-Contract",
        libelle: "Identifiant technique du contrat",
        champ: "(calculé : CON-0001…)",
        portee: Portee::Contrat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |_, l| identifiants("CON", l.element.into_iter()),
    },
    Correspondance {
        bt: "BT-150-Contract",
        libelle: "Numéro du contrat",
        champ: "$.contrats[*].contrat.id",
        portee: Portee::Contrat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            contrat_lot(s, l)
                .map(|c| un(&c.contrat.id))
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-145-Contract",
        libelle: "Date de conclusion du contrat (notification)",
        champ: "$.contrats[*].contrat.dateNotification",
        portee: Portee::Contrat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            contrat_lot(s, l)
                .and_then(|c| c.contrat.date_notification)
                .and_then(date_paris)
                .map(|d| vec![d])
                .unwrap_or_default()
        },
    },
    Correspondance {
        bt: "BT-3202-Contract",
        libelle: "Offres retenues du contrat",
        champ: "$.contrats[*].contrat.titulaires",
        portee: Portee::Contrat,
        avis: AVIS_29,
        obligatoire: true,
        lire: |s, l| {
            let (Some(r), Some(i)) = (s.resultat.as_ref(), l.element) else {
                return Vec::new();
            };
            identifiants(
                "TEN",
                r.offres
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.contrat == Some(i))
                    .map(|(j, _)| j),
            )
        },
    },
];

/// The row of a business term for a part of the notice.
pub fn correspondance(bt: &str, portee: Portee) -> Option<&'static Correspondance> {
    TABLE.iter().find(|c| c.bt == bt && c.portee == portee)
}

/// The value(s) of a business term (empty when not given, or the term unknown).
pub(crate) fn valeurs(s: &Sources<'_>, bt: &str, portee: Portee, l: LotAvis<'_>) -> Vec<String> {
    correspondance(bt, portee)
        .map(|c| (c.lire)(s, l))
        .unwrap_or_default()
}

/// The first value of a business term, or "".
pub(crate) fn valeur(s: &Sources<'_>, bt: &str, portee: Portee, l: LotAvis<'_>) -> String {
    valeurs(s, bt, portee, l)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The table as Markdown, for `docs/publication.md` (a test checks the doc is current).
pub fn table_markdown() -> String {
    let mut s = String::from(
        "| BT | Terme | Avis | Portée | Obligatoire | Champ mpe |\n|---|---|---|---|---|---|\n",
    );
    for c in TABLE {
        let portee = match c.portee {
            Portee::Avis => "avis",
            Portee::Acheteur => "acheteur",
            Portee::Recours => "recours",
            Portee::Lot => "lot",
            Portee::Resultat => "résultat",
            Portee::Offre => "offre",
            Portee::Attributaire => "attributaire",
            Portee::Contrat => "contrat",
        };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | `{}` |\n",
            c.bt,
            c.libelle,
            c.avis.join(", "),
            portee,
            if c.obligatoire { "oui" } else { "non" },
            c.champ
        ));
    }
    s
}
