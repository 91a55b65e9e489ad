//! Modification of a published consultation (phase Consultation): pièces of the DCE replaced
//! or added, the fields allowed after publication changed, the DLRO postponed. Each
//! modification is a new version of the DCE, journalled with what changed and the companies
//! of the retraits register to write to; [`Procedure::courrier_modification`] prepares
//! that letter with the `messagerie` rules (added and replacing pièces attached).
//!
//! Only what does not change the competition may change: the title, the object's wording,
//! the internal comment, the places of execution, the description of a lot, the pièces (never
//! withdrawn) and the DLRO (never earlier). Anything else is refused with
//! [`CodeErreur::ModificationInterdite`] naming the field; the state is then unchanged.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::droits::Requis;
use super::{Diffusion, Evenement, FiltreDestinataires, Procedure};
use crate::messagerie::{Courrier, ModificationDce, Origine, PieceJointe, TypeCourrier};
use crate::model::{Consultation, Habilitation, Piece};
use crate::rules::{Constat, Gravite, temps};
use crate::{CodeErreur, Erreur, Result};

/// One change of a modification of the published consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "nature", rename_all = "snake_case")]
pub enum ChangementConsultation {
    /// A pièce was added to the DCE.
    AjoutPiece {
        /// Where (`$.pieces.dce`, `$.pieces.autres_pieces[2]`…).
        chemin: String,
        /// The pièce, with its SHA-256.
        piece: Piece,
    },
    /// A pièce was replaced.
    RemplacementPiece {
        /// Where.
        chemin: String,
        /// The pièce replaced.
        remplacee: Piece,
        /// The new pièce, with its SHA-256.
        piece: Piece,
    },
    /// A field allowed after publication changed.
    ChampModifie {
        /// JSON path of the field.
        chemin: String,
        /// Previous value.
        ancienne: Value,
        /// New value.
        nouvelle: Value,
    },
    /// The DLRO was postponed.
    DlroReportee {
        /// Previous DLRO.
        ancienne: DateTime<Utc>,
        /// New DLRO.
        nouvelle: DateTime<Utc>,
    },
}

/// A version of the DCE after a modification (the version published at validation is
/// version 1; the first modification makes version 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VersionDce {
    /// Version number, from 2.
    pub numero: u32,
    /// When.
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    #[serde(with = "crate::model::instant")]
    pub le: DateTime<Utc>,
    /// Agent id.
    pub par: String,
    /// Why.
    pub motif: String,
    /// What changed.
    pub changements: Vec<ChangementConsultation>,
}

fn sha256_valide(s: Option<&str>) -> bool {
    s.is_some_and(|s| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

fn interdit(chemin: &str, quoi: &str) -> Erreur {
    Erreur::new(
        CodeErreur::ModificationInterdite,
        format!("{quoi} ne peut pas changer après la publication"),
    )
    .at(chemin.to_string())
}

/// A pièce put in the DCE must carry its SHA-256: the companies and the letter rely on it.
fn piece_avec_empreinte(p: &Piece, chemin: &str) -> Result<()> {
    crate::model::texte::texte(&p.nom, "le nom de la pièce", 255)
        .map_err(|e| e.at(format!("{chemin}.nom")))?;
    if !sha256_valide(p.sha256.as_deref()) {
        return Err(Erreur::new(
            CodeErreur::EmpreintePieceManquante,
            format!(
                "la pièce « {} » doit porter son empreinte SHA-256 (64 chiffres hexadécimaux minuscules)",
                p.nom
            ),
        )
        .at(format!("{chemin}.sha256")));
    }
    Ok(())
}

fn piece_changee(
    ancienne: Option<&Piece>,
    nouvelle: Option<&Piece>,
    chemin: &str,
    out: &mut Vec<ChangementConsultation>,
) -> Result<()> {
    match (ancienne, nouvelle) {
        (Some(_), None) => Err(interdit(
            chemin,
            "une pièce publiée ne peut être que remplacée : elle",
        )),
        (None, Some(p)) => {
            piece_avec_empreinte(p, chemin)?;
            out.push(ChangementConsultation::AjoutPiece {
                chemin: chemin.into(),
                piece: p.clone(),
            });
            Ok(())
        }
        (Some(a), Some(p)) if a != p => {
            piece_avec_empreinte(p, chemin)?;
            out.push(ChangementConsultation::RemplacementPiece {
                chemin: chemin.into(),
                remplacee: a.clone(),
                piece: p.clone(),
            });
            Ok(())
        }
        _ => Ok(()),
    }
}

fn champ<T: Serialize + PartialEq>(
    ancienne: &T,
    nouvelle: &T,
    chemin: &str,
    out: &mut Vec<ChangementConsultation>,
) {
    if ancienne != nouvelle {
        out.push(ChangementConsultation::ChampModifie {
            chemin: chemin.into(),
            ancienne: serde_json::to_value(ancienne).unwrap_or(Value::Null),
            nouvelle: serde_json::to_value(nouvelle).unwrap_or(Value::Null),
        });
    }
}

/// The changes from `a` to `n`, or the refusal of the first forbidden one.
fn comparer(
    a: &Consultation,
    n: &Consultation,
    dlro: DateTime<Utc>,
) -> Result<Vec<ChangementConsultation>> {
    let mut out = Vec::new();
    if a.id != n.id {
        return Err(interdit("$.consultation.id", "l'identifiant"));
    }
    let (ia, i_n) = (&a.identification, &n.identification);
    champ(
        &ia.intitule,
        &i_n.intitule,
        "$.identification.intitule",
        &mut out,
    );
    champ(&ia.objet, &i_n.objet, "$.identification.objet", &mut out);
    champ(
        &ia.commentaire_interne,
        &i_n.commentaire_interne,
        "$.identification.commentaire_interne",
        &mut out,
    );
    champ(
        &ia.lieux_execution,
        &i_n.lieux_execution,
        "$.identification.lieux_execution",
        &mut out,
    );
    if a.lots.len() == n.lots.len() {
        for (i, (la, ln)) in a.lots.iter().zip(&n.lots).enumerate() {
            champ(
                &la.description,
                &ln.description,
                &format!("$.lots[{i}].description"),
                &mut out,
            );
        }
    }
    let (pa, pn) = (&a.pieces, &n.pieces);
    piece_changee(
        pa.reglement_consultation.as_ref(),
        pn.reglement_consultation.as_ref(),
        "$.pieces.reglement_consultation",
        &mut out,
    )?;
    piece_changee(pa.dce.as_ref(), pn.dce.as_ref(), "$.pieces.dce", &mut out)?;
    if pn.autres_pieces.len() < pa.autres_pieces.len() {
        return Err(interdit(
            "$.pieces.autres_pieces",
            "une pièce publiée ne peut être que remplacée : la liste des pièces",
        ));
    }
    for (i, p) in pn.autres_pieces.iter().enumerate() {
        piece_changee(
            pa.autres_pieces.get(i),
            Some(p),
            &format!("$.pieces.autres_pieces[{i}]"),
            &mut out,
        )?;
    }
    if n.calendrier.dlro != a.calendrier.dlro {
        let nouvelle =
            temps::instant_paris(n.calendrier.dlro).map_err(|e| e.at("$.calendrier.dlro"))?;
        if nouvelle < dlro {
            return Err(Erreur::new(
                CodeErreur::DlroAvancee,
                "la date limite de remise des plis ne peut qu'être reportée, jamais avancée",
            )
            .at("$.calendrier.dlro"));
        }
        if nouvelle != dlro {
            out.push(ChangementConsultation::DlroReportee {
                ancienne: dlro,
                nouvelle,
            });
        }
    }
    // Everything else must be as published: put the allowed fields back and compare.
    let mut reste = n.clone();
    reste.identification.intitule = ia.intitule.clone();
    reste.identification.objet = ia.objet.clone();
    reste.identification.commentaire_interne = ia.commentaire_interne.clone();
    reste.identification.lieux_execution = ia.lieux_execution.clone();
    if reste.lots.len() == a.lots.len() {
        for (l, la) in reste.lots.iter_mut().zip(&a.lots) {
            l.description = la.description.clone();
        }
    }
    reste.pieces.reglement_consultation = pa.reglement_consultation.clone();
    reste.pieces.dce = pa.dce.clone();
    reste.pieces.autres_pieces = pa.autres_pieces.clone();
    reste.calendrier.dlro = a.calendrier.dlro;
    if reste != *a {
        let (chemin, quoi) = if reste.identification != a.identification {
            (
                "$.identification",
                "l'identification (hors intitulé, objet, commentaire, lieux)",
            )
        } else if reste.lots != a.lots {
            ("$.lots", "la liste des lots (hors descriptions)")
        } else if reste.calendrier != a.calendrier {
            ("$.calendrier", "le calendrier (hors report de la DLRO)")
        } else if reste.pieces != a.pieces {
            ("$.pieces", "le mode de mise à disposition des pièces")
        } else if reste.modalites != a.modalites {
            ("$.modalites", "les modalités de réponse")
        } else if reste.acces != a.acces {
            ("$.acces", "l'accès")
        } else if reste.dume != a.dume {
            ("$.dume", "le DUME acheteur")
        } else {
            ("$.forme", "la forme de la consultation")
        };
        return Err(interdit(chemin, quoi));
    }
    if out.is_empty() {
        return Err(Erreur::new(
            CodeErreur::AucuneModification,
            "la consultation envoyée est identique à la consultation publiée",
        ));
    }
    Ok(out)
}

/// Days that must remain between the last additional information and the DLRO (R. 2132-6:
/// six days, four in urgence).
fn delai_restant_minimal(c: &Consultation) -> i64 {
    if c.calendrier.urgence { 4 } else { 6 }
}

impl Procedure {
    /// The version of the DCE in force (1 until the first modification).
    pub fn version_dce(&self) -> u32 {
        self.versions_dce.last().map_or(1, |v| v.numero)
    }

    pub(super) fn modifier_publiee(
        &mut self,
        ctx: &super::Contexte<'_>,
        phase: crate::model::Phase,
        nouvelle: &Consultation,
        motif: &str,
        ev: &mut Vec<Evenement>,
    ) -> Result<()> {
        super::exiger(
            phase,
            &[crate::model::Phase::Consultation],
            "modifier_consultation_publiee",
        )?;
        let agent = self.agent(ctx, Requis::Habilitation(Habilitation::ValiderConsultation))?;
        crate::model::texte::texte(motif, "le motif", super::TEXTE_MAX)
            .map_err(|e| e.at("$.motif"))?;
        let dlro = self.dlro_fixee()?;
        let changements = comparer(&self.consultation, nouvelle, dlro)?;
        let dlro_nouvelle = changements
            .iter()
            .find_map(|c| match c {
                ChangementConsultation::DlroReportee { nouvelle, .. } => Some(*nouvelle),
                _ => None,
            })
            .unwrap_or(dlro);
        // The rules again, on the modified consultation: a new blocking finding refuses,
        // new warnings (delays among them) are recorded.
        let avant =
            crate::rules::valider(&self.consultation, Some(ctx.organisation), ctx.maintenant);
        let apres = crate::rules::valider(nouvelle, Some(ctx.organisation), ctx.maintenant);
        let connu = |c: &Constat| {
            avant
                .iter()
                .any(|x| x.code == c.code && x.chemin == c.chemin && x.gravite == c.gravite)
        };
        super::refuser_bloquants(
            apres
                .iter()
                .filter(|c| c.gravite == Gravite::Erreur && !connu(c)),
        )?;
        let mut avertissements: Vec<Constat> = apres
            .into_iter()
            .filter(|c| {
                c.gravite == Gravite::Avertissement
                    && (c.code == CodeErreur::DelaiInsuffisant || !connu(c))
            })
            .collect();
        let minimum = delai_restant_minimal(nouvelle);
        let reste = dlro_nouvelle - ctx.maintenant;
        if reste < Duration::days(minimum) {
            avertissements.push(Constat {
                code: CodeErreur::DelaiRestantInsuffisant,
                gravite: Gravite::Avertissement,
                chemin: "$.calendrier.dlro".into(),
                message: format!(
                    "{:.1} jours entre la modification et la date limite : les entreprises doivent disposer d'au moins {minimum} jours ; reporter la date limite",
                    reste.num_seconds().max(0) as f64 / 86_400.0
                ),
                article: Some("R. 2132-6".into()),
            });
        }
        let numero = self.version_dce() + 1;
        let par = agent.id.clone();
        self.consultation = nouvelle.clone();
        self.dlro = Some(dlro_nouvelle);
        self.versions_dce.push(VersionDce {
            numero,
            le: ctx.maintenant,
            par,
            motif: motif.into(),
            changements: changements.clone(),
        });
        ev.push(Evenement::ConsultationPublieeModifiee {
            version: numero,
            motif: motif.into(),
            changements,
            destinataires: self.destinataires(Diffusion::Retraits),
            avertissements,
        });
        Ok(())
    }

    /// The letter announcing version `version` of the DCE, to every company of the
    /// retraits register, with the messagerie's rule for a « modification du DCE »: the
    /// added and replacing pièces are attached (the whole DCE ZIP is not: companies download
    /// it). `pieces` are the bytes of those pièces by name; each must match the SHA-256
    /// recorded ([`CodeErreur::PieceAlteree`] otherwise, [`CodeErreur::PieceNonFournie`]
    /// when missing). The host finishes the letter and sends it through
    /// `messagerie::preparer_envoi`, then records it with `Action::EnregistrerCourrier`.
    pub fn courrier_modification(
        &self,
        version: u32,
        pieces: &[(String, Vec<u8>)],
    ) -> Result<Courrier> {
        let v = self
            .versions_dce
            .iter()
            .find(|v| v.numero == version)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::ReferenceInconnue,
                    format!("version {version} du DCE inconnue"),
                )
                .at("version")
            })?;
        let octets = |p: &Piece| -> Result<PieceJointe> {
            let (_, contenu) = pieces.iter().find(|(n, _)| *n == p.nom).ok_or_else(|| {
                Erreur::new(
                    CodeErreur::PieceNonFournie,
                    format!("contenu de la pièce « {} » non fourni", p.nom),
                )
                .at(p.nom.clone())
            })?;
            let h = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(contenu));
            if Some(h.as_str()) != p.sha256.as_deref() {
                return Err(Erreur::new(
                    CodeErreur::PieceAlteree,
                    format!(
                        "le contenu fourni pour « {} » ne correspond pas à son empreinte",
                        p.nom
                    ),
                )
                .at(p.nom.clone()));
            }
            Ok(PieceJointe::document(p.nom.clone(), contenu.clone(), None))
        };
        let mut c = Courrier::nouveau(TypeCourrier::ModificationDce, &self.consultation, None);
        let mut autres = Vec::new();
        for ch in &v.changements {
            match ch {
                ChangementConsultation::AjoutPiece { chemin, piece } => {
                    c.modifications_dce.push(if chemin == "$.pieces.dce" {
                        ModificationDce::AjoutDce
                    } else {
                        ModificationDce::AjoutPiece {
                            piece: octets(piece)?,
                        }
                    })
                }
                ChangementConsultation::RemplacementPiece {
                    chemin,
                    remplacee,
                    piece,
                } => c.modifications_dce.push(if chemin == "$.pieces.dce" {
                    ModificationDce::RemplacementDce
                } else {
                    ModificationDce::RemplacementPiece {
                        remplacee: remplacee.nom.clone(),
                        piece: octets(piece)?,
                    }
                }),
                // The internal comment is the buyer's own: not announced.
                ChangementConsultation::ChampModifie { chemin, .. }
                    if chemin == "$.identification.commentaire_interne" => {}
                ChangementConsultation::ChampModifie { chemin, .. } => autres.push(format!(
                    "- modification de « {} » ;",
                    libelle_champ(&self.consultation, chemin)
                )),
                ChangementConsultation::DlroReportee { nouvelle, .. } => autres.push(format!(
                    "- la date limite de remise des plis est reportée au {} ;",
                    crate::format::date_heure(*nouvelle)
                )),
            }
        }
        c.corps = format!(
            "{}\n\nVersion {} du DCE. Motif : {}.",
            c.corps.trim_end(),
            v.numero,
            v.motif.trim_end_matches('.')
        );
        if !autres.is_empty() {
            c.corps.push_str("\n\nAutres changements :\n");
            c.corps.push_str(&autres.join("\n"));
        }
        c.destinataires = self.destinataires_courrier(&FiltreDestinataires {
            origines: vec![Origine::Retrait],
            ..Default::default()
        })?;
        Ok(c)
    }
}

/// The field's name for the companies (a lot by its number, not its place in the list).
fn libelle_champ(c: &Consultation, chemin: &str) -> String {
    match chemin {
        "$.identification.intitule" => "intitulé".into(),
        "$.identification.objet" => "objet".into(),
        "$.identification.lieux_execution" => "lieux d'exécution".into(),
        autre => match autre
            .strip_prefix("$.lots[")
            .and_then(|r| r.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
        {
            Some(i) => match c.lots.get(i) {
                Some(l) => format!("description du lot n° {}", l.numero),
                None => autre.into(),
            },
            None => autre.into(),
        },
    }
}
