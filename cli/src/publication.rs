//! `mpe avis` and `mpe dume`: the eForms notices (contract notice, subtype 16; result
//! notice, subtype 29) and the DUME (ESPD), written from mpe's JSON, checked before writing,
//! and read back.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use mpe::model::{Consultation, IdentifiantEntreprise, Organisation};
use mpe::procedure::Procedure;
use mpe::publication::{
    Avis as AvisEcrit, ConstatAvis, ContratLot, DonneesAvis, RapportSchematron, ReglesEforms,
    ResumeAvis, ResumeDume, ValidateurEforms, VersionDume,
};
use mpe::rules::Gravite;
use mpe::{CodeErreur, Erreur};

use crate::commun::{Sortie, ecrire, lire, lire_texte};

/// Arguments of `mpe avis`.
#[derive(Debug, Args)]
pub struct Avis {
    #[command(subcommand)]
    commande: CommandeAvis,
}

#[derive(Debug, Subcommand)]
enum CommandeAvis {
    /// Écrit un avis eForms (16, 17 : avis de marché ; 29, 30 : avis d'attribution), après
    /// le pré-contrôle.
    Generer(GenererAvis),
    /// Pré-contrôle d'un avis : chaque terme métier manquant ou invalide, avec le champ à
    /// remplir.
    Verifier(VerifierAvis),
    /// Résumé de tout avis eForms (export TED, avis d'une autre plateforme).
    Lire(LireAvis),
    /// Valide des avis eForms par les règles Schematron du SDK (phase du sous-type), sans
    /// outil externe ; le XSD n'est pas vérifié.
    Valider(ValiderAvis),
}

/// What a notice is written from.
#[derive(Debug, Args)]
struct EntreesAvis {
    /// Sous-type eForms : 16 ou 17 (avis de marché, depuis --consultation), 29 ou 30 (avis
    /// d'attribution, depuis --procedure et --contrats) ; 16 et 29 pour un pouvoir
    /// adjudicateur, 17 et 30 pour une entité adjudicatrice (type de l'organisation).
    #[arg(long = "type", value_name = "16|17|29|30", value_parser = ["16", "17", "29", "30"])]
    sous_type: String,
    /// La consultation (JSON), pour l'avis de marché.
    #[arg(long, conflicts_with = "procedure")]
    consultation: Option<PathBuf>,
    /// L'état de la procédure (JSON, Procedure::to_json), pour l'avis d'attribution et
    /// l'avis rectificatif.
    #[arg(long, required_if_eq_any([("sous_type", "29"), ("sous_type", "30")]))]
    procedure: Option<PathBuf>,
    /// L'organisation (JSON).
    #[arg(long)]
    organisation: PathBuf,
    /// Les données de l'avis (JSON, publication::DonneesAvis : adresses, recours, critères,
    /// entreprises).
    #[arg(long)]
    donnees: PathBuf,
    /// Le contrat de chaque lot attribué (JSON, liste de {lot, contrat}), pour l'avis
    /// d'attribution.
    #[arg(long, conflicts_with = "consultation")]
    contrats: Option<PathBuf>,
    /// Instant d'envoi de l'avis (RFC 3339) ; maintenant par défaut.
    #[arg(long)]
    maintenant: Option<DateTime<Utc>>,
}

/// Arguments of `mpe avis generer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe avis generer --type 16 --consultation consultation.json --organisation organisation.json --donnees donnees_avis.json --sortie avis.xml\n  mpe avis generer --type 29 --procedure procedure.json --contrats contrats.json --organisation organisation.json --donnees donnees_attribution.json --sortie avis-29.xml\n  mpe avis generer --type 16 --procedure procedure.json --rectificatif avis.xml --organisation organisation.json --donnees donnees_avis.json --sortie avis-rectificatif.xml"
)]
struct GenererAvis {
    #[command(flatten)]
    entrees: EntreesAvis,
    /// Écrit l'avis rectificatif de cet avis de marché (XML tel qu'envoyé), pour les
    /// modifications de la consultation publiée depuis (versions du DCE de --procedure).
    #[arg(long, value_name = "AVIS_PRECEDENT.xml")]
    rectificatif: Option<PathBuf>,
    /// Fichier de l'avis écrit (XML).
    #[arg(long, short = 'o')]
    sortie: PathBuf,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe avis verifier`.
#[derive(Debug, Args)]
#[command(
    after_help = "Code de sortie 5 quand un constat est une erreur (l'avis ne pourrait pas être écrit).\nExemple :\n  mpe avis verifier --type 16 --consultation consultation.json --organisation organisation.json --donnees donnees_avis.json"
)]
struct VerifierAvis {
    #[command(flatten)]
    entrees: EntreesAvis,
    /// Affiche les constats en JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe avis lire`.
#[derive(Debug, Args)]
struct LireAvis {
    /// L'avis (XML eForms).
    fichier: PathBuf,
    /// Affiche le résumé en JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe avis valider`.
#[derive(Debug, Args)]
#[command(
    after_help = "Code de sortie 5 quand un avis a une assertion en échec de rôle ERROR (ou un test \
                  non évaluable). Les avertissements (WARN) sont affichés sans changer le code.\n\
                  Le XSD du SDK n'est pas vérifié par mpe (voir docs/publication.md).\n\
                  Exemple :\n  mpe avis valider --sdk eforms-sdk/1.15.1 avis.xml"
)]
struct ValiderAvis {
    /// Les avis (XML eForms).
    #[arg(required = true)]
    fichiers: Vec<PathBuf>,
    /// Dossier du SDK eForms (celui qui contient schematrons/static/) ; variable
    /// MPE_EFORMS_SDK par défaut. Le nom du dossier sert de version dans le rapport.
    #[arg(long, value_name = "DOSSIER")]
    sdk: Option<PathBuf>,
    /// Phase à appliquer (eforms-16...) ; celle du sous-type de chaque avis par défaut.
    #[arg(long)]
    phase: Option<String>,
    /// Date du jour des règles (current-date(), RFC 3339) ; maintenant par défaut.
    #[arg(long)]
    maintenant: Option<DateTime<Utc>>,
    /// Affiche les rapports en JSON (une liste, un par avis).
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe dume`.
#[derive(Debug, Args)]
pub struct Dume {
    #[command(subcommand)]
    commande: CommandeDume,
}

#[derive(Debug, Subcommand)]
enum CommandeDume {
    /// Écrit le DUME acheteur (demande ESPD) d'une consultation.
    Generer(GenererDume),
    /// Résumé d'un DUME (demande ou réponse, ESPD-EDM 1.0.2 à 4.1.0) ; avec --demande,
    /// les écarts d'une réponse à la demande et à l'entreprise.
    Lire(LireDume),
}

/// Arguments of `mpe dume generer`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemple :\n  mpe dume generer --consultation consultation.json --organisation organisation.json --version 4.1.0 --sortie dume.xml"
)]
struct GenererDume {
    /// La consultation (JSON).
    #[arg(long)]
    consultation: PathBuf,
    /// L'organisation (JSON).
    #[arg(long)]
    organisation: PathBuf,
    /// Version de l'ESPD-EDM : 2.1.1 ou 4.1.0.
    #[arg(long)]
    version: String,
    /// Instant d'écriture (RFC 3339) ; maintenant par défaut.
    #[arg(long)]
    maintenant: Option<DateTime<Utc>>,
    /// Fichier du DUME écrit (XML).
    #[arg(long, short = 'o')]
    sortie: PathBuf,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe dume lire`.
#[derive(Debug, Args)]
#[command(
    after_help = "Code de sortie 5 quand la réponse s'écarte de la demande ou de l'entreprise.\nExemple :\n  mpe dume lire reponse.xml --demande dume.xml --entreprise 12345678200010"
)]
struct LireDume {
    /// Le DUME (XML).
    fichier: PathBuf,
    /// La demande (DUME acheteur) à laquelle la réponse doit répondre.
    #[arg(long, requires = "entreprise")]
    demande: Option<PathBuf>,
    /// L'entreprise du pli : SIRET, ou PAYS:NUMÉRO pour une entreprise étrangère
    /// (BE:0123456789).
    #[arg(long, requires = "demande")]
    entreprise: Option<String>,
    /// Affiche le résumé (et les écarts) en JSON.
    #[arg(long)]
    json: bool,
}

pub fn avis(args: Avis, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandeAvis::Generer(a) => generer_avis(a, sortie),
        CommandeAvis::Verifier(a) => verifier_avis(a, sortie),
        CommandeAvis::Lire(a) => lire_avis(a, sortie),
        CommandeAvis::Valider(a) => valider_avis(a, sortie),
    }
}

pub fn dume(args: Dume, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandeDume::Generer(a) => generer_dume(a, sortie),
        CommandeDume::Lire(a) => lire_dume(a, sortie),
    }
}

fn json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Erreur> {
    serde_json::from_str(&lire_texte(path)?).map_err(|e| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{} : JSON invalide : {e}", path.display()),
        )
    })
}

/// The inputs read, by subtype.
enum Source {
    Marche(Box<Consultation>),
    /// The change notice: the procedure holds the consultation and its DCE versions.
    Rectificatif(Box<Procedure>),
    Attribution(Box<Procedure>, Vec<ContratLot>),
}

struct Lues {
    source: Source,
    organisation: Organisation,
    donnees: DonneesAvis,
    maintenant: DateTime<Utc>,
}

fn lire_entrees(e: &EntreesAvis, rectificatif: bool) -> Result<Lues, Erreur> {
    let marche = matches!(e.sous_type.as_str(), "16" | "17");
    if rectificatif && !marche {
        return Err(Erreur::invalid_argument(
            "--rectificatif : seul un avis de marché (16, 17) se rectifie",
        ));
    }
    if rectificatif && e.procedure.is_none() {
        return Err(Erreur::invalid_argument(
            "--rectificatif se donne avec --procedure (la consultation et ses versions du DCE)",
        ));
    }
    let source = match (&e.consultation, &e.procedure) {
        (Some(c), _) if marche && !rectificatif => {
            Source::Marche(Box::new(Consultation::from_json(&lire_texte(c)?)?))
        }
        (_, Some(p)) if marche && rectificatif => {
            Source::Rectificatif(Box::new(Procedure::from_json(&lire_texte(p)?)?))
        }
        (_, Some(p)) if !marche => {
            let contrats = match &e.contrats {
                Some(f) => json(f)?,
                None => Vec::new(),
            };
            Source::Attribution(Box::new(Procedure::from_json(&lire_texte(p)?)?), contrats)
        }
        _ => {
            return Err(Erreur::invalid_argument(
                "--type 16 ou 17 se donne avec --consultation (ou --procedure et --rectificatif), --type 29 ou 30 avec --procedure",
            ));
        }
    };
    let organisation: Organisation = json(&e.organisation)?;
    // The directive follows the buyer: asking 16 for an entité adjudicatrice (or 17 for a
    // pouvoir adjudicateur) would write another subtype than the one asked.
    mpe::publication::verifier_sous_type(
        &e.sous_type,
        &organisation,
        matches!(e.sous_type.as_str(), "29" | "30"),
    )?;
    Ok(Lues {
        source,
        organisation,
        donnees: json(&e.donnees)?,
        maintenant: e.maintenant.unwrap_or_else(Utc::now),
    })
}

fn constat_texte(k: &ConstatAvis) -> String {
    format!(
        "  {:<13} {} {} {} : {}",
        format!("{:?}", k.gravite),
        k.code.name(),
        k.bt,
        k.champ,
        k.message
    )
}

fn generer_avis(args: GenererAvis, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let l = lire_entrees(&args.entrees, args.rectificatif.is_some())?;
    let avis: AvisEcrit = match &l.source {
        Source::Marche(c) => {
            mpe::publication::generer_avis_marche(c, &l.organisation, &l.donnees, l.maintenant)?
        }
        Source::Rectificatif(p) => {
            // clap: --rectificatif requires --procedure, the only way to reach this source.
            let initial = args.rectificatif.as_deref().map(lire_texte).transpose()?;
            mpe::publication::generer_avis_rectificatif(
                p,
                &l.organisation,
                &l.donnees,
                initial.as_deref().unwrap_or_default(),
                l.maintenant,
            )?
        }
        Source::Attribution(p, contrats) => mpe::publication::generer_avis_attribution(
            p,
            &l.organisation,
            &l.donnees,
            contrats,
            l.maintenant,
        )?,
    };
    ecrire(&args.sortie, avis.xml.as_bytes())?;
    if args.json {
        sortie.json(&serde_json::json!({
            "sous_type": avis.sous_type,
            "identifiant": avis.identifiant,
            "identifiant_procedure": avis.identifiant_procedure,
            "sortie": args.sortie,
            "octets": avis.xml.len(),
            "avertissements": avis.avertissements,
        }))?;
    } else {
        sortie.info(format!(
            "avis {} écrit : {} ({} octets), identifiant {}",
            avis.sous_type,
            args.sortie.display(),
            avis.xml.len(),
            avis.identifiant
        ));
        for k in &avis.avertissements {
            sortie.info(constat_texte(k));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verifier_avis(args: VerifierAvis, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let l = lire_entrees(&args.entrees, false)?;
    let constats = match &l.source {
        Source::Marche(c) => {
            mpe::publication::verifier_avis(c, &l.organisation, &l.donnees, l.maintenant)
        }
        Source::Rectificatif(p) => mpe::publication::verifier_avis(
            &p.consultation,
            &l.organisation,
            &l.donnees,
            l.maintenant,
        ),
        Source::Attribution(p, contrats) => mpe::publication::verifier_avis_attribution(
            p,
            &l.organisation,
            &l.donnees,
            contrats,
            l.maintenant,
        ),
    };
    let erreurs = constats
        .iter()
        .filter(|k| k.gravite == Gravite::Erreur)
        .count();
    if args.json {
        sortie.json(&constats)?;
    } else {
        for k in &constats {
            sortie.info(constat_texte(k));
        }
        sortie.info(format!(
            "{} constat(s), dont {erreurs} erreur(s)",
            constats.len()
        ));
    }
    // 5, as `mpe valider`: findings that block, not a failure of the command.
    Ok(if erreurs == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(5)
    })
}

/// One notice's report in `mpe avis valider --json` (a list of them).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub(crate) struct RapportFichier<'a> {
    /// The notice's path, as given.
    fichier: String,
    /// Always `false`: mpe does not check the SDK's XSD.
    xsd_verifie: bool,
    #[serde(flatten)]
    rapport: &'a RapportSchematron,
}

fn valider_avis(args: ValiderAvis, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let sdk = args
        .sdk
        .or_else(|| std::env::var_os("MPE_EFORMS_SDK").map(PathBuf::from))
        .ok_or_else(|| {
            Erreur::invalid_argument(
                "dossier du SDK eForms manquant : --sdk DOSSIER ou la variable MPE_EFORMS_SDK",
            )
        })?;
    let regles = ReglesEforms::charger_sdk(&sdk, None, std::fs::read)?;
    let validateur = ValidateurEforms::new(regles);
    let maintenant = args.maintenant.unwrap_or_else(Utc::now);
    let mut rapports = Vec::new();
    for f in &args.fichiers {
        let texte = String::from_utf8(lire(f)?).map_err(|_| {
            Erreur::new(
                CodeErreur::AvisIllisible,
                format!("{} : pas un texte UTF-8", f.display()),
            )
        })?;
        let r = validateur
            .valider_phase(&texte, args.phase.as_deref(), maintenant)
            .map_err(|e| {
                let message = format!("{} : {}", f.display(), e.message());
                let e2 = Erreur::new(e.code(), message);
                match e.path() {
                    Some(p) => e2.at(p),
                    None => e2,
                }
            })?;
        rapports.push((f, r));
    }
    let invalides = rapports.iter().filter(|(_, r)| !r.valide).count();
    if args.json {
        let liste: Vec<RapportFichier> = rapports
            .iter()
            .map(|(f, r)| RapportFichier {
                fichier: f.display().to_string(),
                xsd_verifie: false,
                rapport: r,
            })
            .collect();
        sortie.json(&liste)?;
    } else {
        for (f, r) in &rapports {
            let erreurs = r.erreurs().count();
            sortie.info(format!(
                "{} : {} — phase {} (SDK {}), {erreurs} erreur(s), {} autre(s) échec(s), {} test(s) non évalué(s) ; XSD non vérifié par mpe",
                f.display(),
                if r.valide { "valide" } else { "INVALIDE" },
                r.phase,
                r.version_sdk,
                r.echecs.len() - erreurs,
                r.indetermines.len(),
            ));
            for e in &r.echecs {
                sortie.info(format!("  {} {} {}", e.role, e.id, e.emplacement));
            }
            for i in &r.indetermines {
                sortie.info(format!(
                    "  NON ÉVALUÉ {} {} : {}",
                    i.id, i.emplacement, i.message
                ));
            }
        }
    }
    Ok(if invalides > 0 {
        ExitCode::from(5)
    } else {
        ExitCode::SUCCESS
    })
}

fn lire_avis(args: LireAvis, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    // Not UTF-8 is a notice the reader cannot read (eForms notices are UTF-8), as the DUME's.
    let texte = String::from_utf8(lire(&args.fichier)?).map_err(|e| {
        Erreur::new(
            CodeErreur::AvisIllisible,
            format!("{} : pas un texte UTF-8", args.fichier.display()),
        )
        .at(format!("octet {}", e.utf8_error().valid_up_to()))
    })?;
    let r: ResumeAvis = mpe::publication::lire_avis(&texte)?;
    if args.json {
        sortie.json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    sortie.info(format!(
        "{} (sous-type {}, {}) — {}",
        r.racine, r.sous_type, r.type_avis, r.titre
    ));
    sortie.info(format!("  identifiant           {}", r.identifiant));
    sortie.info(format!(
        "  procédure             {}",
        r.identifiant_procedure
    ));
    sortie.info(format!("  type de procédure     {}", r.procedure));
    sortie.info(format!(
        "  acheteur(s)           {}",
        r.acheteurs.join(", ")
    ));
    sortie.info(format!("  CPV principal         {}", r.cpv_principal));
    if let Some(d) = r.date_envoi {
        sortie.info(format!("  envoyé le             {}", d.to_rfc3339()));
    }
    for lot in &r.lots {
        let limite = lot
            .date_limite
            .map(|d| format!(", date limite {}", d.to_rfc3339()))
            .unwrap_or_default();
        sortie.info(format!(
            "  {} {} — CPV {}{limite}",
            lot.identifiant, lot.titre, lot.cpv_principal
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn generer_dume(args: GenererDume, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let c = Consultation::from_json(&lire_texte(&args.consultation)?)?;
    let o: Organisation = json(&args.organisation)?;
    let version = VersionDume::depuis(&args.version)?;
    let maintenant = args.maintenant.unwrap_or_else(Utc::now);
    let d = mpe::publication::generer_dume_demande(&c, &o, version, maintenant)?;
    ecrire(&args.sortie, d.xml.as_bytes())?;
    if args.json {
        sortie.json(&serde_json::json!({
            "version": d.version,
            "identifiant": d.identifiant,
            "criteres": d.criteres,
            "sortie": args.sortie,
            "octets": d.xml.len(),
        }))?;
    } else {
        sortie.info(format!(
            "DUME {} écrit : {} ({} octets, {} critères), identifiant {}",
            d.version.libelle(),
            args.sortie.display(),
            d.xml.len(),
            d.criteres.len(),
            d.identifiant
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `12345678200010` or `BE:0123456789`, checked.
fn entreprise(texte: &str) -> Result<IdentifiantEntreprise, Erreur> {
    let id = match texte.split_once(':') {
        Some((pays, numero)) => IdentifiantEntreprise::Etranger {
            pays: pays.trim().to_string(),
            numero: numero.trim().to_string(),
        },
        None => IdentifiantEntreprise::Siret(texte.trim().to_string()),
    };
    id.verifier()?;
    Ok(id)
}

fn lire_dume(args: LireDume, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let r: ResumeDume = mpe::publication::lire_dume(&lire(&args.fichier)?)?;
    let ecarts = match (&args.demande, &args.entreprise) {
        (Some(d), Some(e)) => {
            let id = entreprise(e)?;
            let demande = mpe::publication::lire_dume(&lire(d)?)?;
            Some(mpe::publication::comparer_dume(&r, &demande, &id))
        }
        _ => None,
    };
    if args.json {
        match &ecarts {
            Some(e) => sortie.json(&serde_json::json!({ "resume": r, "ecarts": e }))?,
            None => sortie.json(&r)?,
        }
    } else {
        sortie.info(format!(
            "DUME {} ESPD-EDM {} — {}",
            match r.nature {
                mpe::publication::NatureDume::Demande => "demande",
                mpe::publication::NatureDume::Reponse => "réponse",
            },
            r.version,
            r.identifiant
        ));
        sortie.info(format!("  procédure    {}", r.identifiant_procedure));
        sortie.info(format!("  acheteur     {}", r.acheteur));
        if let Some(e) = &r.entreprise {
            sortie.info(format!(
                "  entreprise   {} ({}) {}",
                e.nom,
                e.pays,
                e.identifiants.join(", ")
            ));
        }
        sortie.info(format!("  lots         {}", r.lots.join(", ")));
        sortie.info(format!(
            "  critères     {} ; réponses {}",
            r.criteres.len(),
            r.reponses
        ));
        if let Some(e) = &ecarts {
            for x in e {
                sortie.info(format!("  écart {} : {}", x.sujet, x.message));
            }
            sortie.info(format!("{} écart(s) avec la demande", e.len()));
        }
    }
    Ok(match ecarts {
        Some(e) if !e.is_empty() => ExitCode::from(5),
        _ => ExitCode::SUCCESS,
    })
}
