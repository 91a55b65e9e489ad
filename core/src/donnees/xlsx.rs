//! Export of the contracts list to XLSX (rust_xlsxwriter), as the register shows it.

use rust_xlsxwriter::{Format, Workbook};

use super::modele::{Contrat, StatutContrat};
use crate::{Erreur, Result};

const COLONNES: &[(&str, f64)] = &[
    ("N° de contrat", 16.0),
    ("Type", 26.0),
    ("Objet", 50.0),
    ("Acheteur", 18.0),
    ("Attributaire(s)", 36.0),
    ("Identifiant(s)", 18.0),
    ("Montant HT (€)", 16.0),
    ("Montant actuel HT (€)", 18.0),
    ("Date de notification", 14.0),
    ("Date de fin actuelle", 14.0),
    ("Durée (mois)", 10.0),
    ("Procédure", 30.0),
    ("CPV", 12.0),
    ("Modifications", 10.0),
    ("Statut", 14.0),
    ("Agent gestionnaire", 20.0),
    ("Provenance", 24.0),
];

fn statut(s: StatutContrat) -> &'static str {
    match s {
        StatutContrat::ANotifier => "À notifier",
        StatutContrat::Notifie => "Notifié",
        StatutContrat::Clos => "Clos",
        StatutContrat::Resilie => "Résilié",
    }
}

/// The list as an XLSX workbook (one sheet "Contrats", a header row with filters, amounts as
/// numbers, dates as `jj/mm/aaaa`).
///
/// ```
/// let xlsx = mpe::donnees::exporter_xlsx(&[mpe::donnees::Contrat::default()]).unwrap();
/// assert_eq!(&xlsx[..2], b"PK");
/// ```
pub fn exporter_xlsx(contrats: &[Contrat]) -> Result<Vec<u8>> {
    let x = |e: rust_xlsxwriter::XlsxError| Erreur::internal(format!("XLSX : {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Contrats").map_err(x)?;
    let gras = Format::new().set_bold();
    let euros = Format::new().set_num_format("#,##0.00");
    for (j, (titre, largeur)) in COLONNES.iter().enumerate() {
        let j = j as u16;
        ws.write_string_with_format(0, j, *titre, &gras)
            .map_err(x)?;
        ws.set_column_width(j, *largeur).map_err(x)?;
    }
    for (i, c) in contrats.iter().enumerate() {
        let r = i as u32 + 1;
        let etat = c.etat_actuel();
        let date = |d: Option<chrono::NaiveDate>| d.map(crate::format::date).unwrap_or_default();
        let noms: Vec<String> = etat
            .titulaires
            .iter()
            .map(|t| t.raison_sociale.clone().unwrap_or_else(|| t.id.clone()))
            .collect();
        let ids: Vec<&str> = etat.titulaires.iter().map(|t| t.id.as_str()).collect();
        let textes: [(u16, String); 13] = [
            (0, c.id.clone()),
            (1, c.type_contrat.libelle().to_string()),
            (2, c.objet.clone()),
            (
                3,
                c.acheteur
                    .nom
                    .clone()
                    .unwrap_or_else(|| c.acheteur.id.clone()),
            ),
            (4, noms.join(", ")),
            (5, ids.join(", ")),
            (8, date(c.date_notification)),
            (9, date(c.date_fin_actuelle.or(etat.date_fin))),
            (11, c.procedure.clone()),
            (12, c.code_cpv.clone().unwrap_or_default()),
            (14, statut(c.statut).to_string()),
            (15, c.agent_gestionnaire.clone().unwrap_or_default()),
            (
                16,
                c.provenances
                    .iter()
                    .map(|p| p.libelle())
                    .collect::<Vec<_>>()
                    .join(" ; "),
            ),
        ];
        for (j, t) in textes {
            ws.write_string(r, j, t).map_err(x)?;
        }
        if let Some(m) = c.montant {
            ws.write_number_with_format(r, 6, m, &euros).map_err(x)?;
        }
        if let Some(m) = etat.montant {
            ws.write_number_with_format(r, 7, m, &euros).map_err(x)?;
        }
        if let Some(d) = etat.duree_mois {
            ws.write_number(r, 10, d).map_err(x)?;
        }
        ws.write_number(r, 13, etat.nb_modifications as u32)
            .map_err(x)?;
    }
    ws.autofilter(0, 0, contrats.len() as u32, COLONNES.len() as u16 - 1)
        .map_err(x)?;
    ws.set_freeze_panes(1, 0).map_err(x)?;
    wb.save_to_buffer().map_err(x)
}
