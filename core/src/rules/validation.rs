//! [`valider`]: every rule applied to a consultation, every finding returned.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{code_acces, cpv, delais, reference, seuils, temps};
use crate::model::{
    CategoriePrincipale, CodesCpv, Consultation, FormeConsultation, MiseEnLigne, ModeEnvoiPostal,
    ModeOuverture, Montant, Organisation, ReponseElectronique, SignatureRequise, TypeAcces,
    TypeAcheteur, TypeContrat, TypeEnveloppe, TypeProcedure,
};
use crate::{CodeErreur, Erreur};

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Gravite {
    /// Blocks validation.
    Erreur,
    /// Recorded at validation; the buyer should check.
    Avertissement,
    /// For information.
    Information,
}

/// One finding of the validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Constat {
    /// Stable code.
    pub code: crate::CodeErreur,
    /// Severity.
    pub gravite: Gravite,
    /// JSON path of the field, e.g. `$.lots[1].cpv.principal`.
    pub chemin: String,
    /// French message.
    pub message: String,
    /// Article of the Code de la commande publique, when the rule comes from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

struct Constats(Vec<Constat>);

impl Constats {
    fn push(
        &mut self,
        gravite: Gravite,
        code: CodeErreur,
        chemin: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(Constat {
            code,
            gravite,
            chemin: chemin.into(),
            message: message.into(),
            article: None,
        });
    }
    fn erreur(&mut self, e: Erreur, chemin: impl Into<String>) {
        self.push(Gravite::Erreur, e.code(), chemin, e.message());
    }
    fn avertissement(&mut self, e: Erreur, chemin: impl Into<String>) {
        self.push(Gravite::Avertissement, e.code(), chemin, e.message());
    }
    fn article(&mut self, article: &str) {
        if let Some(last) = self.0.last_mut() {
            last.article = Some(article.to_string());
        }
    }
}

/// Apply every rule to the consultation and return all findings, errors first.
///
/// `organisation` (when given) lets the rules check services and invited agents and sets the
/// kind of buyer for thresholds (a collectivité territoriale is assumed otherwise). `maintenant`
/// is the time of validation: the DLRO must be after it, and when the notice has not been sent
/// yet the legal delays are counted from it.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let json = include_str!("../../../examples/data/consultation.json");
/// let c: mpe::model::Consultation = serde_json::from_str(json).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
/// let constats = mpe::rules::valider(&c, None, now);
/// assert!(constats.iter().all(|f| f.gravite != mpe::rules::Gravite::Erreur), "{constats:#?}");
/// ```
pub fn valider(
    c: &Consultation,
    organisation: Option<&Organisation>,
    maintenant: DateTime<Utc>,
) -> Vec<Constat> {
    let mut out = Constats(Vec::new());
    let standard = c.forme == FormeConsultation::Standard;
    identification(c, standard, &mut out);
    lots(c, &mut out);
    if standard {
        dume(c, &mut out);
        modalites(c, &mut out);
    }
    calendrier(c, organisation, maintenant, &mut out);
    pieces(c, &mut out);
    acces(c, organisation, standard, &mut out);
    if standard {
        seuils_procedure(c, organisation, maintenant, &mut out);
    }
    let mut v = out.0;
    v.sort_by_key(|f| f.gravite);
    v
}

fn texte(out: &mut Constats, valeur: &str, chemin: &str, nom: &str, max: usize) {
    if valeur.trim().is_empty() {
        out.push(
            Gravite::Erreur,
            CodeErreur::ChampObligatoire,
            chemin,
            format!("{nom} est obligatoire"),
        );
    } else if valeur.chars().count() > max {
        out.push(
            Gravite::Erreur,
            CodeErreur::ChampTropLong,
            chemin,
            format!("{nom} dépasse {max} caractères"),
        );
    }
}

fn identification(c: &Consultation, standard: bool, out: &mut Constats) {
    let id = &c.identification;
    if let Err(e) = reference::valider(&id.reference) {
        out.erreur(e, "$.identification.reference");
    }
    texte(
        out,
        &id.intitule,
        "$.identification.intitule",
        "l'intitulé",
        255,
    );
    texte(out, &id.objet, "$.identification.objet", "l'objet", 4000);
    if standard || !id.cpv.principal.is_empty() {
        codes_cpv(&id.cpv, id.categorie, "$.identification.cpv", out);
    }
    if standard && id.lieux_execution.is_empty() {
        out.push(
            Gravite::Avertissement,
            CodeErreur::ChampObligatoire,
            "$.identification.lieux_execution",
            "aucun lieu d'exécution n'est indiqué",
        );
    }
    let concession = id.type_contrat == TypeContrat::Concession;
    if concession != (id.procedure == TypeProcedure::ProcedureConcession) {
        out.push(
            Gravite::Erreur,
            CodeErreur::ProcedureIncoherente,
            "$.identification.procedure",
            if concession {
                "un contrat de concession se passe selon la procédure propre aux concessions"
            } else {
                "la procédure de concession ne s'applique qu'aux contrats de concession"
            },
        );
    }
}

fn codes_cpv(codes: &CodesCpv, categorie: CategoriePrincipale, chemin: &str, out: &mut Constats) {
    if codes.principal.trim().is_empty() {
        out.push(
            Gravite::Erreur,
            CodeErreur::ChampObligatoire,
            format!("{chemin}.principal"),
            "le code CPV principal est obligatoire",
        );
    } else if let Err(e) = cpv::valider_categorie(&codes.principal, categorie) {
        out.erreur(e, format!("{chemin}.principal"));
    }
    let mut seen = BTreeSet::new();
    for (i, code) in codes.secondaires.iter().enumerate() {
        let path = format!("{chemin}.secondaires[{i}]");
        if !seen.insert(code.as_str()) || *code == codes.principal {
            out.push(
                Gravite::Avertissement,
                CodeErreur::CpvInconnu,
                path,
                format!("code CPV {code} en double"),
            );
            continue;
        }
        // Secondary codes may describe a part of another catégorie (services in a works
        // contract): a mismatch is only a warning.
        match cpv::valider_categorie(code, categorie) {
            Ok(_) => {}
            Err(e) if e.code() == CodeErreur::CpvCategorie => out.avertissement(e, path),
            Err(e) => out.erreur(e, path),
        }
    }
}

fn lots(c: &Consultation, out: &mut Constats) {
    if !c.identification.allotie {
        if !c.lots.is_empty() {
            out.push(
                Gravite::Erreur,
                CodeErreur::LotsIncoherents,
                "$.lots",
                "une consultation non allotie ne peut pas avoir de lots",
            );
        }
        return;
    }
    match c.lots.len() {
        0 => out.push(
            Gravite::Erreur,
            CodeErreur::LotsIncoherents,
            "$.lots",
            "une consultation allotie doit compter au moins un lot",
        ),
        1 => out.push(
            Gravite::Avertissement,
            CodeErreur::LotsIncoherents,
            "$.lots",
            "une consultation allotie ne compte qu'un lot",
        ),
        _ => {}
    }
    let mut numeros = BTreeSet::new();
    for (i, lot) in c.lots.iter().enumerate() {
        let p = format!("$.lots[{i}]");
        if lot.numero == 0 {
            out.push(
                Gravite::Erreur,
                CodeErreur::LotsIncoherents,
                format!("{p}.numero"),
                "les lots sont numérotés à partir de 1",
            );
        } else if !numeros.insert(lot.numero) {
            out.push(
                Gravite::Erreur,
                CodeErreur::LotsIncoherents,
                format!("{p}.numero"),
                format!("le lot n° {} existe déjà", lot.numero),
            );
        }
        texte(
            out,
            &lot.intitule,
            &format!("{p}.intitule"),
            "l'intitulé du lot",
            255,
        );
        codes_cpv(&lot.cpv, lot.categorie, &format!("{p}.cpv"), out);
    }
}

fn dume(c: &Consultation, out: &mut Constats) {
    match (c.dume.demande, c.dume.type_dume) {
        (true, None) => out.push(
            Gravite::Erreur,
            CodeErreur::ChampObligatoire,
            "$.dume.type_dume",
            "le type de DUME demandé est obligatoire",
        ),
        (false, Some(_)) => out.push(
            Gravite::Avertissement,
            CodeErreur::ModalitesIncoherentes,
            "$.dume.type_dume",
            "un type de DUME est indiqué alors qu'aucun DUME n'est demandé",
        ),
        _ => {}
    }
}

fn modalites(c: &Consultation, out: &mut Constats) {
    let m = &c.modalites;
    let refusee = m.reponse_electronique == ReponseElectronique::Refusee;
    if refusee && m.chiffrement {
        out.push(
            Gravite::Erreur,
            CodeErreur::ModalitesIncoherentes,
            "$.modalites.chiffrement",
            "le chiffrement suppose une réponse électronique",
        );
    }
    if refusee && m.signature == SignatureRequise::Requise {
        out.push(
            Gravite::Erreur,
            CodeErreur::ModalitesIncoherentes,
            "$.modalites.signature",
            "la signature électronique suppose une réponse électronique",
        );
    }
    if !refusee && m.enveloppes.is_empty() {
        out.push(
            Gravite::Erreur,
            CodeErreur::ModalitesIncoherentes,
            "$.modalites.enveloppes",
            "aucune enveloppe n'est attendue",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, e) in m.enveloppes.iter().enumerate() {
        if !seen.insert(*e) {
            out.push(
                Gravite::Erreur,
                CodeErreur::ModalitesIncoherentes,
                format!("$.modalites.enveloppes[{i}]"),
                format!("l'enveloppe {} est en double", e.libelle()),
            );
        }
    }
    let has = |t| m.enveloppes.contains(&t);
    if (has(TypeEnveloppe::Anonymat) || has(TypeEnveloppe::OffreTechnique))
        && !has(TypeEnveloppe::Offre)
    {
        out.push(
            Gravite::Erreur,
            CodeErreur::ModalitesIncoherentes,
            "$.modalites.enveloppes",
            "les enveloppes d'offre technique et d'anonymat accompagnent une enveloppe d'offre",
        );
    }
    if m.mode_ouverture == ModeOuverture::ParReponse
        && !(has(TypeEnveloppe::Candidature) && has(TypeEnveloppe::Offre))
    {
        out.push(
            Gravite::Avertissement,
            CodeErreur::ModalitesIncoherentes,
            "$.modalites.mode_ouverture",
            "l'ouverture par réponse suppose des enveloppes de candidature et d'offre",
        );
    }
    let lots: BTreeSet<u32> = c.lots.iter().map(|l| l.numero).collect();
    for (i, d) in m.documents.iter().enumerate() {
        let p = format!("$.modalites.documents[{i}]");
        texte(
            out,
            &d.libelle,
            &format!("{p}.libelle"),
            "le libellé du document",
            255,
        );
        if !has(d.enveloppe) {
            out.push(
                Gravite::Erreur,
                CodeErreur::ModalitesIncoherentes,
                format!("{p}.enveloppe"),
                format!("l'enveloppe {} n'est pas attendue", d.enveloppe.libelle()),
            );
        }
        if let Some(n) = d.lot {
            if !c.identification.allotie || !lots.contains(&n) {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::LotsIncoherents,
                    format!("{p}.lot"),
                    format!("le lot n° {n} n'existe pas"),
                );
            } else if !d.enveloppe.par_lot() {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::ModalitesIncoherentes,
                    format!("{p}.lot"),
                    "l'enveloppe de candidature est commune à tous les lots",
                );
            }
        }
        for (j, f) in d.formats.iter().enumerate() {
            if f.is_empty() || f.len() > 10 || !f.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::ModalitesIncoherentes,
                    format!("{p}.formats[{j}]"),
                    format!("format « {f} » invalide (extension sans point, ex. « xlsx »)"),
                );
            }
        }
    }
}

fn instant(local: NaiveDateTime, chemin: &str, out: &mut Constats) -> Option<DateTime<Utc>> {
    match temps::instant_paris(local) {
        Ok(t) => Some(t),
        Err(e) => {
            out.erreur(e, chemin);
            None
        }
    }
}

fn calendrier(
    c: &Consultation,
    org: Option<&Organisation>,
    maintenant: DateTime<Utc>,
    out: &mut Constats,
) {
    let cal = &c.calendrier;
    let Some(dlro) = instant(cal.dlro, "$.calendrier.dlro", out) else {
        return;
    };
    if dlro <= maintenant {
        out.push(
            Gravite::Erreur,
            CodeErreur::DlroPassee,
            "$.calendrier.dlro",
            format!(
                "la date limite de remise des plis ({}) est passée",
                cal.dlro.format("%d/%m/%Y %H:%M")
            ),
        );
    }
    match &cal.mise_en_ligne {
        MiseEnLigne::DateFixe { date } => {
            if let Some(t) = instant(*date, "$.calendrier.mise_en_ligne.date", out)
                && t >= dlro
            {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::CalendrierOrdre,
                    "$.calendrier.mise_en_ligne.date",
                    "la mise en ligne doit précéder la date limite de remise des plis",
                );
            }
        }
        MiseEnLigne::ApresPublicationAvis => {
            if let Some(p) = cal.date_publication_avis
                && let Some(t) = instant(p, "$.calendrier.date_publication_avis", out)
                && t >= dlro
            {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::CalendrierOrdre,
                    "$.calendrier.date_publication_avis",
                    "la publication de l'avis doit précéder la date limite de remise des plis",
                );
            }
        }
        MiseEnLigne::ALaValidation => {}
    }
    if c.forme != FormeConsultation::Standard {
        return;
    }
    let acheteur = org.map_or(TypeAcheteur::CollectiviteTerritoriale, |o| {
        o.entite.type_acheteur
    });
    let Some(min) = delais::minimum(c, acheteur) else {
        return;
    };
    let depart = match cal.date_envoi_avis {
        Some(envoi) => instant(envoi, "$.calendrier.date_envoi_avis", out),
        None => Some(maintenant),
    };
    let Some(depart) = depart else { return };
    let jours = (dlro - depart).num_seconds() as f64 / 86_400.0;
    if jours < min.jours as f64 {
        out.push(
            Gravite::Avertissement,
            CodeErreur::DelaiInsuffisant,
            "$.calendrier.dlro",
            format!(
                "{:.1} jours entre l'envoi de l'avis et la date limite : le minimum légal ({}) est de {} jours",
                jours.max(0.0),
                min.objet,
                min.jours
            ),
        );
        out.article(min.article);
    }
}

fn pieces(c: &Consultation, out: &mut Constats) {
    match &c.pieces.dce {
        None => out.push(
            Gravite::Erreur,
            CodeErreur::ChampObligatoire,
            "$.pieces.dce",
            "le DCE est obligatoire",
        ),
        Some(dce) => {
            if !dce.nom.to_ascii_lowercase().ends_with(".zip") {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::DceNonZip,
                    "$.pieces.dce.nom",
                    format!("le DCE « {} » doit être une archive ZIP", dce.nom),
                );
            }
            if dce.taille == 0 {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::ChampObligatoire,
                    "$.pieces.dce.taille",
                    "le DCE est vide",
                );
            }
        }
    }
    let ep = &c.pieces.envoi_postal;
    if ep.mode != ModeEnvoiPostal::Aucun && ep.par.as_deref().is_none_or(|s| s.trim().is_empty()) {
        out.push(
            Gravite::Avertissement,
            CodeErreur::ChampObligatoire,
            "$.pieces.envoi_postal.par",
            "l'envoi postal complémentaire n'indique pas qui l'assure",
        );
    }
}

fn acces(c: &Consultation, org: Option<&Organisation>, standard: bool, out: &mut Constats) {
    let a = &c.acces;
    match (a.type_acces, &a.code_acces) {
        (TypeAcces::Restreint, None) => out.push(
            Gravite::Erreur,
            CodeErreur::AccesIncoherent,
            "$.acces.code_acces",
            "une consultation restreinte exige un code d'accès",
        ),
        (TypeAcces::Restreint, Some(code)) => {
            if let Err(e) = code_acces::valider(code) {
                out.erreur(e, "$.acces.code_acces");
            }
        }
        (TypeAcces::Public, Some(_)) => out.push(
            Gravite::Avertissement,
            CodeErreur::AccesIncoherent,
            "$.acces.code_acces",
            "un code d'accès est indiqué pour une consultation publique : il sera ignoré",
        ),
        (TypeAcces::Public, None) => {}
    }
    if a.service_rattachement.trim().is_empty() {
        out.push(
            Gravite::Erreur,
            CodeErreur::ChampObligatoire,
            "$.acces.service_rattachement",
            "le service de rattachement est obligatoire",
        );
    }
    if let Some(o) = org {
        if !a.service_rattachement.is_empty() && o.service(&a.service_rattachement).is_none() {
            out.push(
                Gravite::Erreur,
                CodeErreur::AccesIncoherent,
                "$.acces.service_rattachement",
                format!("service « {} » inconnu", a.service_rattachement),
            );
        }
        if let Some(s) = &a.service_associe
            && o.service(s).is_none()
        {
            out.push(
                Gravite::Erreur,
                CodeErreur::AccesIncoherent,
                "$.acces.service_associe",
                format!("service « {s} » inconnu"),
            );
        }
        for (i, inv) in a.agents_invites.iter().enumerate() {
            if o.agent(&inv.agent).is_none() {
                out.push(
                    Gravite::Erreur,
                    CodeErreur::AccesIncoherent,
                    format!("$.acces.agents_invites[{i}].agent"),
                    format!("agent « {} » inconnu", inv.agent),
                );
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (i, inv) in a.agents_invites.iter().enumerate() {
        if !seen.insert(inv.agent.as_str()) {
            out.push(
                Gravite::Avertissement,
                CodeErreur::AccesIncoherent,
                format!("$.acces.agents_invites[{i}]"),
                format!("l'agent « {} » est invité deux fois", inv.agent),
            );
        }
    }
    if standard && a.rpa.is_none() {
        out.push(Gravite::Information, CodeErreur::ChampObligatoire, "$.acces.rpa", "le représentant du pouvoir adjudicateur n'est pas indiqué (il figure sur les documents)");
    }
}

fn seuils_procedure(
    c: &Consultation,
    org: Option<&Organisation>,
    maintenant: DateTime<Utc>,
    out: &mut Constats,
) {
    let id = &c.identification;
    let total = id.montant_estime_ht.or_else(|| {
        let lots: Vec<Montant> = c.lots.iter().filter_map(|l| l.montant_estime_ht).collect();
        (!lots.is_empty() && lots.len() == c.lots.len())
            .then(|| Montant::from_centimes(lots.iter().map(|m| m.centimes()).sum()))
    });
    let Some(total) = total else {
        out.push(
            Gravite::Information,
            CodeErreur::ChampObligatoire,
            "$.identification.montant_estime_ht",
            "sans montant estimé, le choix de la procédure au regard des seuils n'est pas vérifié",
        );
        return;
    };
    let acheteur = org.map_or(TypeAcheteur::CollectiviteTerritoriale, |o| {
        o.entite.type_acheteur
    });
    let date = c
        .calendrier
        .date_envoi_avis
        .map(|d| d.date())
        .unwrap_or_else(|| temps::heure_paris(maintenant).date());
    let a = seuils::analyser(total, id.categorie, acheteur, id.type_contrat, date);
    if a.procedures_sur_justification.contains(&id.procedure) {
        out.push(
            Gravite::Avertissement,
            CodeErreur::ProcedureSeuil,
            "$.identification.procedure",
            format!("pour {total}, la procédure « {} » n'est possible que dans les cas prévus par le code", id.procedure.libelle()),
        );
        out.article("R. 2122-1 à R. 2122-11");
    } else if !a.procedures_autorisees.contains(&id.procedure) {
        out.push(
            Gravite::Avertissement,
            CodeErreur::ProcedureSeuil,
            "$.identification.procedure",
            format!(
                "pour {total} (seuil des procédures formalisées : {}), la procédure « {} » n'est pas autorisée",
                a.seuil_procedure_formalisee,
                id.procedure.libelle()
            ),
        );
        out.article(if a.formalisee_obligatoire {
            "L. 2124-1"
        } else {
            "R. 2123-1"
        });
    }
}
