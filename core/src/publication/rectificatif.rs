//! The change notice (avis rectificatif): the contract notice of the consultation as it is
//! now, with `efac:Changes` naming the notice it changes (BT-758) and, for each version of
//! the DCE made since that notice was sent, what changed (BT-141), in which lots (BT-13716)
//! and whether the procurement documents changed (BT-718, BT-719). The subtype is the one of
//! the notice changed (16 or 17), as the SDK requires.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;

use super::avis::{Avis, Contexte, bloquer, ecrire};
use super::correspondance::{Sources, uuid_derive};
use super::donnees::DonneesAvis;
use super::lecture::lire_avis;
use super::precontrole::{Constats, lots_avis, verifier_sources};
use crate::model::Organisation;
use crate::procedure::{ChangementConsultation, Procedure, VersionDce};
use crate::{CodeErreur, Erreur, Result};

/// One `efac:Change`.
struct Changement {
    description: String,
    sections: Vec<String>,
    /// BT-719, when pièces of the DCE changed.
    documents_le: Option<String>,
}

/// What the change notice adds to the contract notice.
pub(crate) struct Rectification {
    /// BT-758: identifier and version of the notice changed (`<uuid>-01`).
    avis_modifie: String,
    /// BT-762: why (the motifs of the modifications).
    motif: String,
    changements: Vec<Changement>,
}

impl Rectification {
    pub(crate) fn ecrire(&self, x: &mut Contexte<'_>) {
        x.e.ouvrir("efac:Changes", &[]);
        x.e.feuille("efbc:ChangedNoticeIdentifier", &[], &self.avis_modifie);
        for c in &self.changements {
            x.e.ouvrir("efac:Change", &[]);
            x.texte("efbc:ChangeDescription", &c.description);
            if let Some(d) = &c.documents_le {
                x.e.feuille("efbc:ProcurementDocumentsChangeDate", &[], d);
                x.e.feuille("efbc:ProcurementDocumentsChangeIndicator", &[], "true");
            }
            for s in &c.sections {
                x.e.ouvrir("efac:ChangedSection", &[]);
                x.e.feuille("efbc:ChangedSectionIdentifier", &[], s);
                x.e.fermer("efac:ChangedSection");
            }
            x.e.fermer("efac:Change");
        }
        x.e.ouvrir("efac:ChangeReason", &[]);
        // Information updated or added: what a French "avis rectificatif" does.
        x.e.feuille(
            "cbc:ReasonCode",
            &[("listName", "change-corrig-justification")],
            "update-add",
        );
        x.texte("efbc:ReasonDescription", &self.motif);
        x.e.fermer("efac:ChangeReason");
        x.e.fermer("efac:Changes");
    }
}

fn date_paris(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%Y-%m-%d%:z").to_string()
}

fn heure_paris(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%d/%m/%Y %H:%M").to_string()
}

/// The lot a JSON path of the consultation points to (`$.lots[1].description` → lot at
/// index 1), else every lot of the notice.
fn sections(chemin: Option<&str>, p: &Procedure) -> Vec<String> {
    let lots = lots_avis(&p.consultation);
    if let Some(i) = chemin
        .and_then(|c| c.strip_prefix("$.lots["))
        .and_then(|r| r.split(']').next())
        .and_then(|n| n.parse::<usize>().ok())
        && let Some(l) = lots.get(i)
    {
        return vec![l.identifiant()];
    }
    lots.iter().map(|l| l.identifiant()).collect()
}

fn changement(v: &VersionDce, p: &Procedure) -> Changement {
    let mut quoi = Vec::new();
    let mut sections_v: Vec<String> = Vec::new();
    let mut documents = false;
    for c in &v.changements {
        let (texte, chemin) = match c {
            ChangementConsultation::AjoutPiece { piece, chemin } => {
                documents = true;
                (
                    format!("pièce ajoutée au DCE : {}", piece.nom),
                    Some(chemin.as_str()),
                )
            }
            ChangementConsultation::RemplacementPiece { piece, chemin, .. } => {
                documents = true;
                (
                    format!("pièce remplacée dans le DCE : {}", piece.nom),
                    Some(chemin.as_str()),
                )
            }
            ChangementConsultation::ChampModifie { chemin, .. } => {
                (format!("champ modifié : {chemin}"), Some(chemin.as_str()))
            }
            ChangementConsultation::DlroReportee { ancienne, nouvelle } => (
                format!(
                    "date limite reportée du {} au {} (heure de Paris)",
                    heure_paris(*ancienne),
                    heure_paris(*nouvelle)
                ),
                None,
            ),
        };
        quoi.push(texte);
        // Pièces are shared by every lot: the path of a pièce names no lot.
        let chemin = chemin.filter(|c| c.starts_with("$.lots["));
        for s in sections(chemin, p) {
            if !sections_v.contains(&s) {
                sections_v.push(s);
            }
        }
    }
    Changement {
        description: format!("Version {} du DCE : {}.", v.numero, quoi.join(" ; ")),
        sections: sections_v,
        documents_le: documents.then(|| date_paris(v.le)),
    }
}

/// Write the change notice of the contract notice `avis_initial` (its XML, as sent), for
/// the modifications made to the published consultation after that notice was sent (the
/// procedure's DCE versions: pièces added or replaced, fields changed, DLRO postponed).
///
/// The notice is the contract notice of the consultation as it is now, same subtype and
/// procedure identifier (BT-04) as `avis_initial`, a new notice identifier (BT-701, derived
/// from the consultation and the last DCE version unless `donnees.identifiant_avis` differs
/// from the initial one), version 01, and `efac:Changes`. The pre-check runs first, as for
/// [`super::generer_avis_marche`].
///
/// Errors: [`CodeErreur::AvisRectifieEtranger`] when `avis_initial` is not a contract
/// notice (16, 17) of this procedure or is itself a change notice;
/// [`CodeErreur::RectificatifSansModification`] when the consultation has not changed
/// since it was sent; `AVIS_INCOMPLET` from the pre-check; the reading errors of
/// [`super::lire_avis`].
pub fn generer_avis_rectificatif(
    procedure: &Procedure,
    organisation: &Organisation,
    donnees: &DonneesAvis,
    avis_initial: &str,
    maintenant: DateTime<Utc>,
) -> Result<Avis> {
    let initial = lire_avis(avis_initial)?;
    let consultation = &procedure.consultation;
    let mut d = donnees.clone();
    let s = Sources::new(consultation, organisation, &d, maintenant);
    let procedure_attendue = super::correspondance::valeur(
        &s,
        "BT-04-notice",
        super::correspondance::Portee::Avis,
        super::correspondance::LotAvis::AUCUN,
    );
    let etranger = |pourquoi: String| {
        Err(Erreur::new(CodeErreur::AvisRectifieEtranger, pourquoi).at("avis_initial"))
    };
    if initial.sous_type != s.sous_type {
        return etranger(format!(
            "l'avis à rectifier est de sous-type « {} », l'avis de marché de cette consultation est de sous-type {}",
            initial.sous_type, s.sous_type
        ));
    }
    if initial.identifiant_procedure != procedure_attendue {
        return etranger(format!(
            "l'avis à rectifier est celui de la procédure {}, pas de {procedure_attendue}",
            initial.identifiant_procedure
        ));
    }
    if !initial.avis_modifie.is_empty() {
        return etranger(format!(
            "l'avis {} est déjà un rectificatif (de {}) : rectifier l'avis de marché initial",
            initial.identifiant, initial.avis_modifie
        ));
    }
    let envoi = initial
        .date_envoi
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let versions: Vec<&VersionDce> = procedure
        .versions_dce
        .iter()
        .filter(|v| v.le > envoi)
        .collect();
    let Some(derniere) = versions.last() else {
        return Err(Erreur::new(
            CodeErreur::RectificatifSansModification,
            format!(
                "la consultation n'a pas été modifiée depuis l'envoi de l'avis {}",
                initial.identifiant
            ),
        )
        .at("$.versions_dce"));
    };
    // A new notice: its own identifier, version 01, unless the host gave another one.
    if d.identifiant_avis.is_empty() || d.identifiant_avis == initial.identifiant {
        d.identifiant_avis = uuid_derive(&format!(
            "mpe/rectificatif/{}/{}",
            consultation.id, derniere.numero
        ));
    }
    d.version = 1;
    d.identifiant_procedure = initial.identifiant_procedure.clone();
    let s = Sources::new(consultation, organisation, &d, maintenant);
    let mut k = Constats(Vec::new());
    verifier_sources(&s, &mut k);
    let mut constats = k.0;
    constats.sort_by_key(|c| c.gravite);
    let avertissements = bloquer(constats)?;
    let version = if initial.version.is_empty() {
        "01".to_string()
    } else {
        initial.version.clone()
    };
    let motifs: Vec<&str> = versions.iter().map(|v| v.motif.as_str()).collect();
    let rectification = Rectification {
        avis_modifie: format!("{}-{version}", initial.identifiant),
        motif: motifs.join(" ; "),
        changements: versions.iter().map(|v| changement(v, procedure)).collect(),
    };
    Ok(ecrire(
        consultation,
        organisation,
        &d,
        maintenant,
        avertissements,
        Some(&rectification),
    ))
}
