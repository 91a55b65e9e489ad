//! mpe's own check of a notice before writing it: every business term the mapping marks
//! mandatory must have a value, and values must have the form the SDK's rules demand. Each
//! finding names the business term (BT) and the field of the consultation, organisation or
//! notice data to fill, so that a buyer fixes the form rather than reading a schematron
//! report.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::correspondance::{self, LotAvis, Portee, Sources, TABLE};
use super::donnees::DonneesAvis;
use super::nuts;
use crate::CodeErreur;
use crate::model::{Consultation, Organisation, ReponseElectronique, TypeProcedure};
use crate::rules::Gravite;

/// One finding of the pre-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConstatAvis {
    /// Stable code (`TERME_MANQUANT`, `TERME_INVALIDE`, `AVIS_NON_PRIS_EN_CHARGE`).
    pub code: CodeErreur,
    /// Severity: an `erreur` blocks the notice.
    pub gravite: Gravite,
    /// Business term, as in the SDK (`BT-21-Lot`).
    pub bt: String,
    /// Field to fill, as a JSON path over `{consultation, organisation, donnees}`.
    pub champ: String,
    /// French message.
    pub message: String,
}

/// The lots of the notice: each lot of an allotie consultation, else the consultation as one.
pub(crate) fn lots_avis(c: &Consultation) -> Vec<LotAvis<'_>> {
    if c.identification.allotie && !c.lots.is_empty() {
        c.lots
            .iter()
            .enumerate()
            .map(|(i, l)| LotAvis {
                index: Some(i),
                lot: Some(l),
                element: None,
            })
            .collect()
    } else {
        vec![LotAvis::AUCUN]
    }
}

pub(crate) fn chemin(champ: &str, l: LotAvis<'_>) -> String {
    match l.index {
        Some(i) => champ.replace("[*]", &format!("[{i}]")),
        // Without lots, a lot's field is the consultation's.
        None => champ
            .replace(
                "$.consultation.lots[*].description",
                "$.consultation.identification.objet",
            )
            .replace("$.consultation.lots[*]", "$.consultation.identification"),
    }
}

pub(crate) struct Constats(pub Vec<ConstatAvis>);

impl Constats {
    pub(crate) fn ajouter(
        &mut self,
        code: CodeErreur,
        gravite: Gravite,
        bt: &str,
        champ: String,
        message: String,
    ) {
        self.0.push(ConstatAvis {
            code,
            gravite,
            bt: bt.to_string(),
            champ,
            message,
        });
    }
    pub(crate) fn invalide(&mut self, bt: &str, champ: impl Into<String>, message: String) {
        self.ajouter(
            CodeErreur::TermeInvalide,
            Gravite::Erreur,
            bt,
            champ.into(),
            message,
        );
    }
}

pub(crate) fn courriel_valide(s: &str) -> bool {
    // The SDK's pattern, simplified: one @, a dotted domain, a 2+ letter last label.
    let Some((local, domaine)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.contains(char::is_whitespace)
        && !domaine.contains('@')
        && domaine
            .rsplit_once('.')
            .is_some_and(|(d, tld)| !d.is_empty() && tld.chars().count() >= 2)
}

pub(crate) fn url_valide(s: &str) -> bool {
    ["http://", "https://", "ftp://", "ftps://", "sftp://"]
        .iter()
        .any(|p| s.to_ascii_lowercase().starts_with(p))
        && !s.contains(char::is_whitespace)
}

pub(crate) fn telephone_valide(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars().count() <= 30
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
}

fn uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            14 => c == '4',
            19 => matches!(c, '8' | '9' | 'a' | 'b'),
            _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
        })
}

/// Check everything a contract notice of subtype 16 needs. `maintenant` is the time the
/// notice would be sent (BT-05). Findings come errors first.
pub fn verifier_avis(
    consultation: &Consultation,
    organisation: &Organisation,
    donnees: &DonneesAvis,
    maintenant: DateTime<Utc>,
) -> Vec<ConstatAvis> {
    let s = Sources::new(consultation, organisation, donnees, maintenant);
    let mut k = Constats(Vec::new());
    verifier_sources(&s, &mut k);
    k.0.sort_by_key(|c| c.gravite);
    k.0
}

/// The code list `entity-activity` of the SDK (BT-610).
const SECTEURS: &[&str] = &[
    "airport",
    "electricity",
    "gas-heat",
    "gas-oil",
    "port",
    "post",
    "rail",
    "solid-fuel",
    "urttb",
    "water",
];

/// The checks shared by every subtype, and those of the subtype of `s`.
pub(crate) fn verifier_sources(s: &Sources<'_>, k: &mut Constats) {
    let (consultation, organisation, donnees, maintenant) =
        (s.consultation, s.organisation, s.donnees, s.maintenant);
    let sous_type = s.sous_type;
    let seize = correspondance::avis_de_marche(sous_type);
    let lots = lots_avis(consultation);

    // Subtypes 17 and 30: the sector of the entité adjudicatrice (code list entity-activity).
    let secteur = correspondance::valeur(
        s,
        "BT-610-Procedure-Buyer",
        Portee::Acheteur,
        LotAvis::AUCUN,
    );
    if !secteur.is_empty() && !SECTEURS.contains(&secteur.as_str()) {
        k.invalide(
            "BT-610-Procedure-Buyer",
            "$.donnees.activite",
            format!(
                "« {secteur} » n'est pas une activité d'entité adjudicatrice ({})",
                SECTEURS.join(", ")
            ),
        );
    }
    if correspondance::code_procedure(consultation.identification.procedure).is_none() {
        k.ajouter(
            CodeErreur::AvisNonPrisEnCharge,
            Gravite::Erreur,
            "BT-105-Procedure",
            "$.consultation.identification.procedure".into(),
            format!(
                "« {} » ne s'annonce pas par un avis de sous-type {sous_type}",
                consultation.identification.procedure.libelle()
            ),
        );
    }
    // Subtype 16 of a two-phase procedure requires the minimum number of candidates
    // (BT-50, BR-BT-00050-0022), at least the directive's floor (2014/24 art. 65: five in a
    // restricted procedure, three in a negotiated one or a dialogue).
    if sous_type == "16" && correspondance::deux_phases(s) {
        let champ = "$.consultation.modalites.nombre_minimal_candidats";
        let plancher =
            if consultation.identification.procedure == TypeProcedure::AppelOffresRestreint {
                5
            } else {
                3
            };
        match consultation.modalites.nombre_minimal_candidats {
            None => k.ajouter(
                CodeErreur::TermeManquant,
                Gravite::Erreur,
                "BT-50-Lot",
                champ.into(),
                "procédure en deux phases : le nombre minimal de candidats (BT-50) est à renseigner".into(),
            ),
            Some(n) if n < plancher => k.ajouter(
                CodeErreur::TermeInvalide,
                Gravite::Erreur,
                "BT-50-Lot",
                champ.into(),
                format!(
                    "nombre minimal de candidats {n} : au moins {plancher} pour une procédure « {} » (directive 2014/24, art. 65)",
                    consultation.identification.procedure.libelle()
                ),
            ),
            Some(_) => {}
        }
    }
    if consultation.identification.allotie && consultation.lots.is_empty() {
        k.ajouter(
            CodeErreur::TermeManquant,
            Gravite::Erreur,
            "BT-137-Lot",
            "$.consultation.lots".into(),
            "consultation allotie sans lot".into(),
        );
    }
    if seize && consultation.modalites.reponse_electronique == ReponseElectronique::Refusee {
        k.ajouter(
            CodeErreur::AvisNonPrisEnCharge,
            Gravite::Erreur,
            "BT-19-Lot",
            "$.consultation.modalites.reponse_electronique".into(),
            "la réponse électronique refusée exige une justification (BT-19) que mpe n'écrit pas"
                .into(),
        );
    }

    // Every mandatory term of the mapping has a value (the result notice's lot results are
    // checked with their decision, below).
    for c in TABLE
        .iter()
        .filter(|c| c.obligatoire && c.avis.contains(&sous_type) && c.bt != "BT-142-LotResult")
    {
        for (l, champ, ou) in super::precontrole_resultat::occurrences(s, c, &lots) {
            if (c.lire)(s, l).is_empty() {
                k.ajouter(
                    CodeErreur::TermeManquant,
                    Gravite::Erreur,
                    c.bt,
                    champ,
                    format!("{}{ou} : à renseigner", c.libelle),
                );
            }
        }
    }

    // Forms the SDK's rules check.
    let aucun = LotAvis::AUCUN;
    for (bt, portee) in [
        ("BT-701-notice", Portee::Avis),
        ("BT-04-notice", Portee::Avis),
    ] {
        let v = correspondance::valeur(s, bt, portee, aucun);
        if !v.is_empty() && !uuid_v4(&v) {
            let champ = correspondance::correspondance(bt, portee)
                .map(|c| c.champ)
                .unwrap_or("");
            k.invalide(
                bt,
                champ,
                format!("« {v} » n'est pas un UUID v4 en minuscules"),
            );
        }
    }
    if donnees.version > 99 {
        k.invalide(
            "BT-757-notice",
            "$.donnees.version",
            "la version va de 1 à 99".into(),
        );
    }
    let langue = correspondance::valeur(s, "BT-702(a)-notice", Portee::Avis, aucun);
    if !(langue.len() == 3 && langue.chars().all(|c| c.is_ascii_uppercase())) {
        k.invalide(
            "BT-702(a)-notice",
            "$.donnees.langue",
            format!("« {langue} » n'est pas un code de langue ISO 639-3 en majuscules"),
        );
    }
    if !organisation.entite.siret.is_empty()
        && !crate::rules::siret::siret_valide(&organisation.entite.siret)
    {
        k.invalide(
            "BT-501-Organization-Company",
            "$.organisation.entite.siret",
            format!("SIRET « {} » invalide", organisation.entite.siret),
        );
    }
    let mut coordonnees = vec![
        ("$.donnees.acheteur".to_string(), &donnees.acheteur),
        (
            "$.donnees.instance_recours.coordonnees".to_string(),
            &donnees.instance_recours.coordonnees,
        ),
    ];
    if let Some(r) = &s.resultat {
        for (i, d) in r.gagnants.iter().filter_map(|g| g.details) {
            coordonnees.push((
                format!("$.donnees.entreprises[{i}].coordonnees"),
                &d.coordonnees,
            ));
        }
    }
    for (chemin_base, co) in coordonnees {
        if !co.email.is_empty() && !courriel_valide(&co.email) {
            k.invalide(
                "BT-506-Organization-Company",
                format!("{chemin_base}.email"),
                format!("courriel « {} » invalide", co.email),
            );
        }
        if !co.telephone.is_empty() && !telephone_valide(&co.telephone) {
            k.invalide(
                "BT-503-Organization-Company",
                format!("{chemin_base}.telephone"),
                format!(
                    "téléphone « {} » invalide (chiffres, espaces, + - ( ), 30 caractères au plus)",
                    co.telephone
                ),
            );
        }
        if !co.site_internet.is_empty() && !url_valide(&co.site_internet) {
            k.invalide(
                "BT-505-Organization-Company",
                format!("{chemin_base}.site_internet"),
                format!("adresse « {} » invalide", co.site_internet),
            );
        }
        let pays = if co.pays.is_empty() {
            "FRA"
        } else {
            co.pays.as_str()
        };
        if pays.len() != 3 || !pays.chars().all(|c| c.is_ascii_uppercase()) {
            k.invalide(
                "BT-514-Organization-Company",
                format!("{chemin_base}.pays"),
                format!("« {pays} » n'est pas un code pays ISO 3166 alpha-3"),
            );
        }
        if !co.nuts.is_empty() && pays == "FRA" && !nuts::nuts_connu(&co.nuts) {
            k.invalide(
                "BT-507-Organization-Company",
                format!("{chemin_base}.nuts"),
                format!("« {} » n'est pas un code NUTS 3 français", co.nuts),
            );
        }
    }
    for (bt, champ, v) in [
        (
            "BT-15-Lot",
            "$.donnees.url_documents",
            &donnees.url_documents,
        ),
        ("BT-18-Lot", "$.donnees.url_depot", &donnees.url_depot),
    ] {
        if seize && !v.is_empty() && !url_valide(v) {
            k.invalide(
                bt,
                champ,
                format!("adresse « {v} » invalide (http:// ou https://)"),
            );
        }
    }
    if !donnees.nuts_execution.is_empty() && !nuts::nuts_connu(&donnees.nuts_execution) {
        k.invalide(
            "BT-5071-Procedure",
            "$.donnees.nuts_execution",
            format!(
                "« {} » n'est pas un code NUTS 3 français",
                donnees.nuts_execution
            ),
        );
    }
    for (i, lieu) in consultation
        .identification
        .lieux_execution
        .iter()
        .enumerate()
    {
        if donnees.nuts_execution.is_empty() && nuts::nuts_du_lieu(lieu).is_none() {
            k.ajouter(
                CodeErreur::TermeInvalide,
                Gravite::Avertissement,
                "BT-5071-Procedure",
                format!("$.consultation.identification.lieux_execution[{i}]"),
                format!(
                    "lieu « {} » sans code NUTS connu : indiquer $.donnees.nuts_execution",
                    lieu.libelle
                ),
            );
        }
    }
    // CPV codes: the SDK's list (the check digit is dropped in the notice, so it is checked here).
    let mut cpvs = vec![(
        "BT-262-Procedure",
        "$.consultation.identification.cpv.principal".to_string(),
        consultation.identification.cpv.principal.as_str(),
    )];
    for (j, c) in consultation
        .identification
        .cpv
        .secondaires
        .iter()
        .enumerate()
    {
        cpvs.push((
            "BT-263-Procedure",
            format!("$.consultation.identification.cpv.secondaires[{j}]"),
            c,
        ));
    }
    for l in &lots {
        if let (Some(i), Some(lot)) = (l.index, l.lot) {
            cpvs.push((
                "BT-262-Lot",
                format!("$.consultation.lots[{i}].cpv.principal"),
                &lot.cpv.principal,
            ));
            for (j, c) in lot.cpv.secondaires.iter().enumerate() {
                cpvs.push((
                    "BT-263-Lot",
                    format!("$.consultation.lots[{i}].cpv.secondaires[{j}]"),
                    c,
                ));
            }
        }
    }
    for (bt, champ, code) in cpvs {
        if !code.is_empty()
            && let Err(e) = crate::rules::cpv::chercher(code)
        {
            k.invalide(bt, champ, e.message().to_string());
        }
    }
    // The deadline exists in Europe/Paris and is after the sending of the notice.
    match crate::rules::temps::instant_paris(consultation.calendrier.dlro) {
        _ if !seize => {}
        Ok(dlro) if dlro <= maintenant => k.invalide(
            "BT-131-Lot",
            "$.consultation.calendrier.dlro",
            "la date limite de remise des offres précède l'envoi de l'avis".into(),
        ),
        Ok(_) => {}
        Err(e) => k.invalide(
            "BT-131-Lot",
            "$.consultation.calendrier.dlro",
            e.message().to_string(),
        ),
    }
    // Award criteria: optional in the contract notice (they may be in the RC), required in
    // the result notice; consistent if given.
    for l in &lots {
        let poids = correspondance::valeurs(s, "BT-541-Lot-WeightNumber", Portee::Lot, *l);
        let noms = correspondance::valeurs(s, "BT-734-Lot", Portee::Lot, *l);
        if poids.is_empty() {
            if seize {
                k.ajouter(
                    CodeErreur::TermeManquant,
                    Gravite::Avertissement,
                    "BT-539-Lot",
                    "$.donnees.criteres".into(),
                    format!("{} : critères d'attribution absents de l'avis (ils doivent alors figurer dans le règlement de la consultation)", l.identifiant()),
                );
            } else {
                k.ajouter(
                    CodeErreur::TermeManquant,
                    Gravite::Erreur,
                    "BT-539-Lot",
                    "$.donnees.criteres".into(),
                    format!("{} : l'avis d'attribution donne les critères d'attribution et leur pondération", l.identifiant()),
                );
            }
            continue;
        }
        let somme: u64 = poids.iter().filter_map(|p| p.parse::<u64>().ok()).sum();
        if somme != 100 {
            k.invalide(
                "BT-541-Lot-WeightNumber",
                "$.donnees.criteres",
                format!(
                    "{} : les pondérations font {somme} %, pas 100 %",
                    l.identifiant()
                ),
            );
        }
        if noms.iter().any(|n| n.trim().is_empty()) {
            k.ajouter(
                CodeErreur::TermeManquant,
                Gravite::Erreur,
                "BT-734-Lot",
                "$.donnees.criteres".into(),
                format!("{} : critère sans libellé", l.identifiant()),
            );
        }
    }
    for (i, c) in donnees.criteres.iter().enumerate() {
        if let Some(n) = c.lot
            && !(consultation.identification.allotie && consultation.lot(n).is_some())
        {
            k.invalide(
                "BT-539-Lot",
                format!("$.donnees.criteres[{i}].lot"),
                format!("le lot {n} n'existe pas"),
            );
        }
    }

    if s.resultat.is_some() {
        super::precontrole_resultat::verifier_resultats(s, k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formes() {
        assert!(uuid_v4("f42be27e-09cf-4f0e-a745-63ec689631e6"));
        assert!(!uuid_v4("F42BE27E-09CF-4F0E-A745-63EC689631E6"));
        assert!(!uuid_v4("f42be27e-09cf-1f0e-a745-63ec689631e6"));
        assert!(uuid_v4(&correspondance::uuid_derive("x")));
        assert!(courriel_valide("a.b@mairie-villeurbanne.fr"));
        assert!(
            !courriel_valide("a b@x.fr") && !courriel_valide("ab@x") && !courriel_valide("@x.fr")
        );
        assert!(telephone_valide("+33 4 72 00 00 00") && !telephone_valide("tel: 12"));
        assert!(url_valide("https://x.fr/a") && !url_valide("www x"));
    }
}
