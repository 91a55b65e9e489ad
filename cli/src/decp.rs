//! `mpe decp`: export the register's contracts to DECP 2022 (JSON or XML), validate a file
//! with the library's stricter checks, import published DECP files into a searchable store,
//! and search it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use mpe::donnees::{
    CategorieContrat, Contrat, ElementDecp, Entrepot, LecteurDecp, NaturePrestations,
    OptionsImport, Provenance, RapportImport, Recherche, Tri,
};
use mpe::{CodeErreur, Erreur};
use serde::Serialize;

use crate::commun::{
    Provisoire, Sortie, aujourd_hui, avec_progression, barre_octets, colonne, ecrire, lire,
    montant_euros,
};

/// Arguments of `mpe decp`.
#[derive(Debug, Args)]
pub struct Decp {
    #[command(subcommand)]
    commande: CommandeDecp,
}

#[derive(Debug, Subcommand)]
enum CommandeDecp {
    /// Exporte des contrats au format DECP 2022 (JSON ou XML selon l'extension de -o).
    Exporter(Exporter),
    /// Vérifie des contrats ou un fichier DECP (schéma officiel et contrôles plus stricts).
    Valider(Valider),
    /// Importe des fichiers DECP publiés (2019 ou 2022, JSON ou XML) dans un entrepôt.
    Importer(Importer),
    /// Recherche dans un entrepôt DECP.
    Chercher(Chercher),
}

/// Arguments of `mpe decp exporter`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exemples :
  mpe decp exporter contrats.json -o decp.json
  mpe decp exporter contrats.json -o decp.xml --aujourd-hui 2027-01-10

CONTRATS.json : un tableau de contrats (JSON du registre, noms DECP en camelCase) ou un
objet {\"contrats\": [...]}. Le format de sortie suit l'extension (.json ou .xml). Chaque
contrat est d'abord vérifié : au moindre écart, rien n'est écrit et chaque erreur est
nommée (enregistrement et champ), code de sortie 10.")]
pub struct Exporter {
    /// Les contrats (JSON).
    contrats: PathBuf,
    /// Fichier DECP à écrire (.json ou .xml).
    #[arg(short = 'o', long = "sortie")]
    sortie: PathBuf,
    /// Date du jour pour les contrôles de dates (AAAA-MM-JJ ; aujourd'hui par défaut).
    #[arg(long)]
    aujourd_hui: Option<NaiveDate>,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe decp valider`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exemples :
  mpe decp valider contrats.json
  mpe decp valider decp-2024.xml --json

FICHIER : des contrats du registre (tableau JSON ou {\"contrats\": [...]}) ou un fichier DECP
publié (2019 ou 2022, JSON ou XML, lu en flux). Chaque erreur est affichée avec son
enregistrement et son champ : dates réelles et non futures, clés SIRET, montants plausibles,
cohérence idAccordCadre, listes officielles ; pour un fichier DECP, chaque défaut que l'import
aurait réparé compte aussi.
Codes de sortie : 0 valide, 10 invalide (DECP_INVALIDE), 4 fichier illisible.")]
pub struct Valider {
    /// Fichier à vérifier.
    fichier: PathBuf,
    /// Date du jour pour les contrôles de dates (AAAA-MM-JJ ; aujourd'hui par défaut).
    #[arg(long)]
    aujourd_hui: Option<NaiveDate>,
    /// Affiche les erreurs en JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mpe decp importer`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exemples :
  mpe decp importer decp-2019.json decp-2024.xml --rapport rapport.json -o marches.mpedecp
  mpe decp importer decp-2025.json --ajouter --rapport rapport-2025.json -o marches.mpedecp

Les fichiers sont lus en flux ; les défauts connus des données publiées sont réparés
(montants 1e17, dates impossibles, « NC », SIRET avec espaces...) et chaque réparation, rejet
ou doublon fusionné est écrit dans le rapport. L'entrepôt et le rapport n'apparaissent
qu'une fois l'import complet.")]
pub struct Importer {
    /// Fichiers DECP.
    #[arg(required = true)]
    fichiers: Vec<PathBuf>,
    /// Rapport d'import à écrire (JSON).
    #[arg(long = "rapport")]
    rapport: PathBuf,
    /// Entrepôt à écrire.
    #[arg(short = 'o', long = "sortie")]
    entrepot: PathBuf,
    /// Ajoute aux contrats d'un entrepôt existant (-o) au lieu d'en créer un nouveau.
    #[arg(long)]
    ajouter: bool,
    /// Provenance des contrats importés.
    #[arg(long, value_enum, default_value_t = ProvenanceArg::DataGouv)]
    provenance: ProvenanceArg,
    /// Date du jour : les dates postérieures sont retirées (AAAA-MM-JJ ; aujourd'hui par défaut).
    #[arg(long)]
    aujourd_hui: Option<NaiveDate>,
    /// Affiche les compteurs en JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProvenanceArg {
    /// publié sur data.gouv.fr
    DataGouv,
    /// saisi sur le profil acheteur
    ProfilAcheteur,
}

impl From<ProvenanceArg> for Provenance {
    fn from(p: ProvenanceArg) -> Provenance {
        match p {
            ProvenanceArg::DataGouv => Provenance::DataGouv,
            ProvenanceArg::ProfilAcheteur => Provenance::ProfilAcheteur,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NatureArg {
    Travaux,
    Fournitures,
    Services,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CategorieArg {
    /// marchés publics
    Marches,
    /// contrats de concession
    Concessions,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TriArg {
    /// notification la plus récente d'abord
    DateDesc,
    /// notification la plus ancienne d'abord
    DateAsc,
    /// montant le plus élevé d'abord
    MontantDesc,
    /// montant le plus faible d'abord
    MontantAsc,
}

/// Arguments of `mpe decp chercher`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exemples :
  mpe decp chercher marches.mpedecp --acheteur \"Ville de Lyon\" --annee 2024 --nature travaux
  mpe decp chercher marches.mpedecp --attributaire 55204599900869 --montant-min 40000 --tri montant-desc
  mpe decp chercher marches.mpedecp --cpv 4521 --notifie-depuis 2024-01-01 --notifie-jusqu-a 2024-06-30 --json
  mpe decp chercher marches.mpedecp --mots \"voirie eclairage\" --page 2 --par-page 50

Les critères se combinent (ET). Les mots de l'objet sont cherchés sans tenir compte des
majuscules ni des accents (« mot* » pour un préfixe).")]
pub struct Chercher {
    /// Entrepôt (écrit par mpe decp importer).
    entrepot: PathBuf,
    /// Acheteur : SIRET, SIREN ou mots du nom.
    #[arg(long)]
    acheteur: Option<String>,
    /// Année de notification.
    #[arg(long)]
    annee: Option<i32>,
    /// Attributaire : SIRET, SIREN ou mots de la raison sociale.
    #[arg(long)]
    attributaire: Option<String>,
    /// Nature des prestations.
    #[arg(long, value_enum)]
    nature: Option<NatureArg>,
    /// Montant HT minimal (euros).
    #[arg(long)]
    montant_min: Option<f64>,
    /// Montant HT maximal (euros).
    #[arg(long)]
    montant_max: Option<f64>,
    /// Préfixe du code CPV (chiffres).
    #[arg(long)]
    cpv: Option<String>,
    /// Notifiés à partir de cette date (AAAA-MM-JJ).
    #[arg(long)]
    notifie_depuis: Option<NaiveDate>,
    /// Notifiés jusqu'à cette date incluse (AAAA-MM-JJ).
    #[arg(long = "notifie-jusqu-a")]
    notifie_jusqu_a: Option<NaiveDate>,
    /// Mots de l'objet.
    #[arg(long)]
    mots: Option<String>,
    /// Marchés ou concessions seulement.
    #[arg(long, value_enum)]
    categorie: Option<CategorieArg>,
    /// Une seule provenance.
    #[arg(long, value_enum)]
    provenance: Option<ProvenanceArg>,
    /// Page (à partir de 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    page: u32,
    /// Résultats par page (1 à 1000).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    par_page: u32,
    /// Ordre des résultats.
    #[arg(long, value_enum, default_value_t = TriArg::DateDesc)]
    tri: TriArg,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

pub fn decp(args: Decp, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandeDecp::Exporter(a) => exporter(a, sortie),
        CommandeDecp::Valider(a) => valider(a, sortie),
        CommandeDecp::Importer(a) => importer(a, sortie),
        CommandeDecp::Chercher(a) => chercher(a, sortie),
    }
}

/// Contracts of the register: a JSON array, or an object with `contrats`.
fn lire_contrats(chemin: &Path) -> Result<Vec<Contrat>, Erreur> {
    let octets = lire(chemin)?;
    let invalide = |m: String| {
        Erreur::new(
            CodeErreur::JsonInvalide,
            format!("{} : {m}", chemin.display()),
        )
    };
    let v: serde_json::Value =
        serde_json::from_slice(&octets).map_err(|e| invalide(format!("JSON invalide : {e}")))?;
    let liste = match v {
        serde_json::Value::Array(_) => v,
        serde_json::Value::Object(mut o) => o.remove("contrats").ok_or_else(|| {
            invalide("un tableau de contrats ou un objet {\"contrats\": [...]} est attendu".into())
        })?,
        _ => {
            return Err(invalide(
                "un tableau de contrats ou un objet {\"contrats\": [...]} est attendu".into(),
            ));
        }
    };
    serde_json::from_value(liste).map_err(|e| invalide(format!("contrat invalide : {e}")))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum FormatSortie {
    Json,
    Xml,
}

fn format_de(chemin: &Path) -> Option<FormatSortie> {
    let ext = chemin.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(FormatSortie::Json),
        "xml" => Some(FormatSortie::Xml),
        _ => None,
    }
}

/// What `mpe decp exporter --json` prints (`schemas/resultat_export_decp.schema.json`).
#[derive(Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResultatExport<'a> {
    /// The file written.
    fichier: &'a Path,
    /// `json` or `xml` (from the extension).
    format: &'a str,
    /// Marchés exported.
    marches: usize,
    /// Concessions exported.
    concessions: usize,
}

fn exporter(a: Exporter, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let format = format_de(&a.sortie).ok_or_else(|| {
        Erreur::invalid_argument(format!(
            "{} : extension .json ou .xml attendue pour le fichier de sortie",
            a.sortie.display()
        ))
    })?;
    let contrats = lire_contrats(&a.contrats)?;
    let jour = a.aujourd_hui.unwrap_or_else(aujourd_hui);
    let octets = match format {
        FormatSortie::Json => mpe::donnees::exporter_decp_json(&contrats, jour),
        FormatSortie::Xml => mpe::donnees::exporter_decp_xml(&contrats, jour),
    }
    .inspect_err(|e| {
        // The library names the first failures; list them all for the buyer.
        if e.code() == CodeErreur::DecpInvalide {
            for x in mpe::donnees::verifier_decp(&contrats, jour) {
                sortie.info(format!(
                    "  enregistrement {} ({}) · {} : {}",
                    x.index + 1,
                    x.enregistrement,
                    x.champ,
                    x.message
                ));
            }
        }
    })?;
    ecrire(&a.sortie, &octets)?;
    let concessions = contrats
        .iter()
        .filter(|c| c.categorie == CategorieContrat::Concession)
        .count();
    let r = ResultatExport {
        fichier: &a.sortie,
        format: if format == FormatSortie::Json {
            "json"
        } else {
            "xml"
        },
        marches: contrats.len() - concessions,
        concessions,
    };
    if a.json {
        sortie.json(&r)?;
    } else {
        sortie.info(format!(
            "DECP 2022 ({}) : {} marché(s), {} concession(s) → {}",
            r.format.to_uppercase(),
            r.marches,
            r.concessions,
            a.sortie.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// One failed check of `mpe decp valider` (`--json` prints the list:
/// `schemas/erreurs_decp.schema.json`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErreurEnregistrement {
    /// 1-based position of the record in the file.
    enregistrement: u64,
    /// Its id, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    /// Field (empty for the whole record).
    champ: String,
    /// What is wrong.
    message: String,
}

/// Whether a file holds register contracts (an array, or an object whose first key is
/// `contrats`) rather than a published DECP file.
fn est_registre(chemin: &Path) -> Result<bool, Erreur> {
    let mut f = std::fs::File::open(chemin).map_err(|e| {
        Erreur::new(
            CodeErreur::Es,
            format!("lecture de {} : {e}", chemin.display()),
        )
    })?;
    let mut debut = vec![0u8; 4096];
    let n = f
        .read(&mut debut)
        .map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", chemin.display())))?;
    debut.truncate(n);
    let texte = String::from_utf8_lossy(&debut);
    let t = texte.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if t.starts_with('[') {
        return Ok(true);
    }
    Ok(t.strip_prefix('{')
        .map(|r| r.trim_start().starts_with("\"contrats\""))
        .unwrap_or(false))
}

fn valider(a: Valider, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let jour = a.aujourd_hui.unwrap_or_else(aujourd_hui);
    let mut erreurs = Vec::new();
    let enregistrements;
    if est_registre(&a.fichier)? {
        let contrats = lire_contrats(&a.fichier)?;
        enregistrements = contrats.len() as u64;
        for x in mpe::donnees::verifier_decp(&contrats, jour) {
            erreurs.push(ErreurEnregistrement {
                enregistrement: x.index as u64 + 1,
                id: Some(x.enregistrement),
                champ: x.champ,
                message: x.message,
            });
        }
    } else {
        let lecteur = LecteurDecp::ouvrir(&a.fichier, OptionsImport::new(jour))?;
        let mut n = 0u64;
        for el in lecteur {
            n += 1;
            match el? {
                ElementDecp::Rejet(e) => erreurs.push(ErreurEnregistrement {
                    enregistrement: e.enregistrement,
                    id: e.id,
                    champ: e.champ,
                    message: format!("rejeté : {}", e.detail),
                }),
                ElementDecp::Contrat {
                    contrat, entrees, ..
                } => {
                    for e in entrees {
                        erreurs.push(ErreurEnregistrement {
                            enregistrement: e.enregistrement,
                            id: e.id,
                            champ: e.champ,
                            message: e.detail,
                        });
                    }
                    // The repaired record must still pass the stricter checks.
                    for x in mpe::donnees::verifier_decp(std::slice::from_ref(&contrat), jour) {
                        erreurs.push(ErreurEnregistrement {
                            enregistrement: n,
                            id: Some(x.enregistrement),
                            champ: x.champ,
                            message: x.message,
                        });
                    }
                }
            }
        }
        enregistrements = n;
    }
    if a.json {
        sortie.json(&erreurs)?;
    } else {
        for e in &erreurs {
            let id =
                e.id.as_deref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default();
            let champ = if e.champ.is_empty() {
                String::new()
            } else {
                format!(" · {}", e.champ)
            };
            sortie.info(format!(
                "  enregistrement {}{id}{champ} : {}",
                e.enregistrement, e.message
            ));
        }
    }
    if erreurs.is_empty() {
        if !a.json {
            sortie.info(format!(
                "{} : valide ({enregistrements} enregistrement(s))",
                a.fichier.display()
            ));
        }
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Erreur::new(
            CodeErreur::DecpInvalide,
            format!(
                "{} : {} erreur(s) sur {enregistrements} enregistrement(s)",
                a.fichier.display(),
                erreurs.len()
            ),
        ))
    }
}

/// The import report written by `mpe decp importer --rapport`: the totals and each file's
/// report (`schemas/rapport_import_global.schema.json`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RapportGlobal {
    lus: u64,
    importes: u64,
    repares: u64,
    rejetes: u64,
    doublons: u64,
    contrats_dans_entrepot: usize,
    fichiers: Vec<RapportFichier>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
struct RapportFichier {
    fichier: PathBuf,
    #[serde(flatten)]
    rapport: RapportImport,
}

/// What `mpe decp importer --json` prints: the totals of the report
/// (`schemas/compteurs_import.schema.json`).
#[derive(Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Compteurs {
    lus: u64,
    importes: u64,
    repares: u64,
    rejetes: u64,
    doublons: u64,
    contrats_dans_entrepot: usize,
}

fn charger_entrepot(chemin: &Path) -> Result<Entrepot, Erreur> {
    let f = std::fs::File::open(chemin).map_err(|e| {
        Erreur::new(
            CodeErreur::Es,
            format!("lecture de {} : {e}", chemin.display()),
        )
    })?;
    Entrepot::charger(std::io::BufReader::new(f))
}

fn importer(a: Importer, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let jour = a.aujourd_hui.unwrap_or_else(aujourd_hui);
    let mut options = OptionsImport::new(jour);
    options.provenance = a.provenance.into();
    let mut entrepot = if a.ajouter && a.entrepot.exists() {
        charger_entrepot(&a.entrepot)?
    } else {
        Entrepot::new()
    };
    let mut total = 0u64;
    let mut fichiers = Vec::with_capacity(a.fichiers.len());
    for f in &a.fichiers {
        let m = std::fs::metadata(f).map_err(|e| {
            Erreur::new(CodeErreur::Es, format!("lecture de {} : {e}", f.display()))
        })?;
        total += m.len();
        fichiers.push(f);
    }
    let barre = barre_octets(sortie, total, "import DECP");
    let mut rapports = Vec::with_capacity(fichiers.len());
    for f in fichiers {
        let nom = f.file_name().map(|n| n.to_string_lossy().into_owned());
        barre.set_message(format!("import de {}", nom.unwrap_or_default()));
        let src = std::fs::File::open(f).map_err(|e| {
            Erreur::new(CodeErreur::Es, format!("lecture de {} : {e}", f.display()))
        })?;
        let lecteur = LecteurDecp::depuis_lecteur(
            Box::new(avec_progression(std::io::BufReader::new(src), &barre)),
            options.clone(),
        )
        .map_err(|e| {
            let m = format!("{} : {}", f.display(), e.message());
            Erreur::new(e.code(), m)
        })?;
        let rapport = entrepot.importer(lecteur).map_err(|e| {
            let m = format!("{} : {}", f.display(), e.message());
            Erreur::new(e.code(), m)
        })?;
        rapports.push(RapportFichier {
            fichier: f.clone(),
            rapport,
        });
    }
    barre.finish_and_clear();
    let somme = |g: fn(&RapportImport) -> u64| rapports.iter().map(|r| g(&r.rapport)).sum::<u64>();
    let global = RapportGlobal {
        lus: somme(|r| r.lus),
        importes: somme(|r| r.importes),
        repares: somme(|r| r.repares),
        rejetes: somme(|r| r.rejetes),
        doublons: somme(|r| r.doublons),
        contrats_dans_entrepot: entrepot.len(),
        fichiers: rapports,
    };
    // Both files complete before either appears.
    let store = Provisoire::ecrire(&a.entrepot, |w| entrepot.enregistrer(w))?;
    let rapport = Provisoire::ecrire(&a.rapport, |w| {
        serde_json::to_writer_pretty(w, &global)
            .map_err(|e| Erreur::new(CodeErreur::Es, format!("rapport d'import : {e}")))
    })?;
    store.publier()?;
    rapport.publier()?;
    if a.json {
        sortie.json(&Compteurs {
            lus: global.lus,
            importes: global.importes,
            repares: global.repares,
            rejetes: global.rejetes,
            doublons: global.doublons,
            contrats_dans_entrepot: global.contrats_dans_entrepot,
        })?;
    } else {
        sortie.info(format!(
            "Import : {} lu(s), {} importé(s), dont {} réparé(s), {} rejeté(s), {} doublon(s) fusionné(s)",
            global.lus, global.importes, global.repares, global.rejetes, global.doublons
        ));
        sortie.info(format!(
            "Entrepôt : {} contrat(s) → {} ; rapport → {}",
            global.contrats_dans_entrepot,
            a.entrepot.display(),
            a.rapport.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn chercher(a: Chercher, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let entrepot = charger_entrepot(&a.entrepot)?;
    let par_page = a.par_page as usize;
    let r = Recherche {
        acheteur: a.acheteur,
        annee: a.annee,
        attributaire: a.attributaire,
        nature_prestations: a.nature.map(|n| match n {
            NatureArg::Travaux => NaturePrestations::Travaux,
            NatureArg::Fournitures => NaturePrestations::Fournitures,
            NatureArg::Services => NaturePrestations::Services,
        }),
        montant_min: a.montant_min,
        montant_max: a.montant_max,
        cpv: a.cpv,
        date_notification_debut: a.notifie_depuis,
        date_notification_fin: a.notifie_jusqu_a,
        mots_cles: a.mots,
        categorie: a.categorie.map(|c| match c {
            CategorieArg::Marches => CategorieContrat::Marche,
            CategorieArg::Concessions => CategorieContrat::Concession,
        }),
        provenance: a.provenance.map(Provenance::from),
        tri: match a.tri {
            TriArg::DateDesc => Tri::DateDesc,
            TriArg::DateAsc => Tri::DateAsc,
            TriArg::MontantDesc => Tri::MontantDesc,
            TriArg::MontantAsc => Tri::MontantAsc,
        },
        decalage: (a.page as usize - 1).saturating_mul(par_page),
        limite: par_page,
    };
    if let (Some(min), Some(max)) = (r.montant_min, r.montant_max)
        && min > max
    {
        return Err(Erreur::invalid_argument(
            "--montant-min dépasse --montant-max",
        ));
    }
    let res = entrepot.rechercher(&r);
    if a.json {
        sortie.json(&res)?;
        return Ok(ExitCode::SUCCESS);
    }
    let pages = res.total.div_ceil(par_page).max(1);
    sortie.info(format!(
        "{} contrat(s) trouvé(s) — saisis sur le profil acheteur : {}, publiés sur data.gouv.fr : {} — page {}/{}",
        res.total, res.par_provenance.profil_acheteur, res.par_provenance.data_gouv, a.page, pages
    ));
    if res.fiches.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    sortie.info(format!(
        "{} {} {} {} {} {:>16} Provenance",
        colonne("N° de contrat", 16),
        colonne("Notifié le", 10),
        colonne("Acheteur", 24),
        colonne("Objet", 40),
        colonne("Titulaire(s)", 28),
        "Montant HT",
    ));
    for f in &res.fiches {
        let titulaires: Vec<&str> = f
            .titulaires
            .iter()
            .map(|t| t.raison_sociale.as_deref().unwrap_or(t.id.as_str()))
            .collect();
        let acheteur = f.acheteur.nom.as_deref().unwrap_or(&f.acheteur.id);
        sortie.info(format!(
            "{} {} {} {} {} {:>16} {}",
            colonne(&f.id, 16),
            colonne(
                &f.date_notification
                    .map(mpe::format::date)
                    .unwrap_or_else(|| "—".into()),
                10
            ),
            colonne(acheteur, 24),
            colonne(&f.objet, 40),
            colonne(&titulaires.join(", "), 28),
            montant_euros(f.montant),
            f.provenance
        ));
    }
    Ok(ExitCode::SUCCESS)
}
