//! `mpe tsl` : the folder of EU trusted lists the CLI keeps for the host (issue 17, item 3).
//! `mettre-a-jour` fetches the LOTL and every national list it points to over HTTPS (rustls,
//! timeouts, size limit), verifies each as the core does (`mpe::confiance`), and keeps the
//! last good copy of a list whose download is bad (HTTP error, too big, unreadable,
//! signature failing), saying so in the folder's index; `afficher` prints that index;
//! `mpe verifier --tsl DIR` loads the good copies.
//!
//! The LOTL is verified through the pivot LOTLs it lists (fetched too, and kept: a pivot
//! never changes), from the Official Journal's keys (`mpe::confiance::charger_avec_pivots`).
//!
//! The folder: `index.json` (the state, [`EtatDossier`]), `certificats_lotl.pem` (the
//! certificates announced for the LOTL, from the Official Journal), `lotl.xml`,
//! `pivots/<address>.xml` and `listes/<TERRITOIRE>.xml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use mpe::confiance::{self, CacheListes, Confiance};
use mpe::fichier_atomique::{Confidentialite, ecrire_atomique};
use mpe::signature::Statut;
use mpe::{CodeErreur, Erreur};
use serde::{Deserialize, Serialize};

use crate::commun::{Sortie, lire};

/// Where the EU publishes its list of trusted lists.
pub const LOTL_UE: &str = "https://ec.europa.eu/tools/lotl/eu-lotl.xml";
/// A list larger than this is refused (the largest EU lists are a few MB).
const TAILLE_MAX: u64 = 32 * 1024 * 1024;
const INDEX: &str = "index.json";
/// Pivots fetched at most (the EU LOTL lists a handful; a LOTL listing more is not trusted
/// to make the CLI fetch without bound before its signature is known).
const PIVOTS_MAX: usize = 32;
const CERTIFICATS_LOTL: &str = "certificats_lotl.pem";

/// `mpe tsl`.
#[derive(Debug, Args)]
pub struct Tsl {
    #[command(subcommand)]
    commande: CommandeTsl,
}

#[derive(Debug, Subcommand)]
enum CommandeTsl {
    /// Télécharge la liste des listes (LOTL) de l'UE et chaque liste nationale qu'elle
    /// désigne, les vérifie et garde la dernière bonne copie de chacune.
    #[command(name = "mettre-a-jour")]
    MettreAJour(MettreAJour),
    /// Affiche l'état du dossier : chaque liste, sa séquence, sa prochaine mise à jour, le
    /// résultat de sa signature, ses prestataires et services, sa date de récupération.
    Afficher(Afficher),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe tsl mettre-a-jour --certificats-lotl oj.pem listes/\n  mpe tsl mettre-a-jour listes/\n  mpe tsl mettre-a-jour --miroir https://ec.europa.eu/=https://miroir.interne/ec/ --racine-https interne.pem listes/\n\nLes certificats de la LOTL (publiés au Journal officiel de l'UE) sont demandés la première\nfois puis gardés dans le dossier. Un téléchargement mauvais (erreur HTTP, trop gros, illisible,\nsignature en échec) garde la dernière bonne copie et est signalé ; le code de sortie est alors 8."
)]
struct MettreAJour {
    /// Dossier des listes (créé au besoin).
    dossier: PathBuf,
    /// Adresse de la liste des listes.
    #[arg(long, default_value = LOTL_UE)]
    lotl: String,
    /// Certificats annoncés pour la LOTL par le Journal officiel (PEM) ; la chaîne des LOTL
    /// pivots que la LOTL désigne part d'eux. Gardés dans le dossier pour les mises à jour
    /// suivantes.
    #[arg(long)]
    certificats_lotl: Option<PathBuf>,
    /// Réécrit les adresses : PREFIXE=REMPLACEMENT (ex.
    /// https://ec.europa.eu/=https://miroir.interne/ec/) ; répéter au besoin, le premier
    /// préfixe qui convient s'applique.
    #[arg(long = "miroir", value_name = "PREFIXE=REMPLACEMENT")]
    miroirs: Vec<String>,
    /// Autorité(s) racine(s) HTTPS (PEM) à la place des racines publiques (miroir interne).
    #[arg(long = "racine-https")]
    racines_https: Vec<PathBuf>,
    /// Instant auquel les listes doivent être en vigueur (RFC 3339) ; par défaut maintenant.
    #[arg(long)]
    date: Option<String>,
    /// Délai maximal d'un téléchargement, en secondes.
    #[arg(long, default_value_t = 60)]
    delai: u64,
    /// Affiche l'état du dossier en JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct Afficher {
    /// Dossier des listes.
    dossier: PathBuf,
    /// En JSON (le contenu de index.json).
    #[arg(long)]
    json: bool,
}

/// The state of the folder (`index.json`, and the `--json` output of both commands).
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EtatDossier {
    /// Address of the LOTL.
    pub adresse_lotl: String,
    /// Last run of `mpe tsl mettre-a-jour`.
    pub derniere_mise_a_jour: Option<DateTime<Utc>>,
    /// The LOTL.
    pub lotl: Option<EtatListe>,
    /// The national lists the LOTL points to.
    pub listes: Vec<EtatListe>,
    /// The pivot LOTLs the LOTL lists, oldest first.
    #[serde(default)]
    pub pivots: Vec<EtatListe>,
}

/// One list of the folder: its last good copy and its last attempt.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EtatListe {
    /// SchemeTerritory (`EU` for the LOTL).
    pub territoire: Option<String>,
    /// Address it is fetched from (as the LOTL gives it, before any mirror).
    pub adresse: String,
    /// File of the last good copy, relative to the folder (absent: none yet).
    pub fichier: Option<String>,
    /// SHA-256 of the good copy.
    pub empreinte: Option<String>,
    /// TSLSequenceNumber of the good copy.
    pub numero_sequence: Option<u64>,
    /// NextUpdate of the good copy.
    pub prochaine_mise_a_jour: Option<DateTime<Utc>>,
    /// Result of the good copy's verification (VALIDE when kept).
    pub statut: Option<Statut>,
    /// Subject of the certificate that signed the good copy.
    pub signataire: Option<String>,
    /// Providers and services of the good copy.
    pub prestataires: usize,
    /// Number of services.
    pub services: usize,
    /// When the good copy was fetched.
    pub recuperee: Option<DateTime<Utc>>,
    /// Last attempt.
    pub derniere_tentative: Option<DateTime<Utc>>,
    /// Why the last attempt was not kept (the good copy, if any, stays); for a pivot, why
    /// its announcement was not taken up.
    pub erreur: Option<Erreur>,
    /// A pivot whose signature verified with the keys in force: the certificates it
    /// announces for the LOTL were taken up (absent for other lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pivot_retenu: Option<bool>,
}

fn erreur_dossier(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::ListesConfianceDossier, m)
}

fn telechargement(url: &str, m: impl std::fmt::Display) -> Erreur {
    Erreur::new(
        CodeErreur::ListeConfianceTelechargement,
        format!("{url} : {m}"),
    )
}

pub fn tsl(args: Tsl, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    match args.commande {
        CommandeTsl::MettreAJour(a) => mettre_a_jour(a, sortie),
        CommandeTsl::Afficher(a) => afficher(a, sortie),
    }
}

fn lire_index(dossier: &Path) -> Result<Option<EtatDossier>, Erreur> {
    let p = dossier.join(INDEX);
    if !p.exists() {
        return Ok(None);
    }
    serde_json::from_slice(&lire(&p)?)
        .map(Some)
        .map_err(|e| erreur_dossier(format!("{} illisible : {e}", p.display())))
}

fn ecrire(chemin: &Path, octets: &[u8]) -> Result<(), Erreur> {
    ecrire_atomique(chemin, octets, Confidentialite::Publique)
}

/// The client: rustls, the public roots (webpki-roots) or the ones given, a deadline.
fn client(racines: &[PathBuf], delai: u64) -> Result<ureq::Agent, Erreur> {
    use ureq::tls::{Certificate, RootCerts, TlsConfig};
    let mut tls = TlsConfig::builder();
    if !racines.is_empty() {
        let mut certs = vec![];
        for r in racines {
            for c in mpe::signature::certificats(&lire(r)?)? {
                use der::Encode;
                let der = c
                    .to_der()
                    .map_err(|e| Erreur::invalid_argument(format!("{} : {e}", r.display())))?;
                certs.push(Certificate::from_der(&der).to_owned());
            }
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(delai)))
        .timeout_connect(Some(Duration::from_secs(delai.min(15))))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(format!("mpe/{}", mpe::VERSION))
        .tls_config(tls.build())
        .build();
    Ok(config.into())
}

/// The address after the first mirror rule whose prefix matches.
fn reecrire(url: &str, miroirs: &[(String, String)]) -> String {
    miroirs
        .iter()
        .find_map(|(p, r)| {
            url.strip_prefix(p.as_str())
                .map(|reste| format!("{r}{reste}"))
        })
        .unwrap_or_else(|| url.to_string())
}

fn telecharger(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, Erreur> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(telechargement(url, "adresse ni https:// ni http://"));
    }
    let mut r = agent.get(url).call().map_err(|e| telechargement(url, e))?;
    if !r.status().is_success() {
        return Err(telechargement(url, format!("HTTP {}", r.status())));
    }
    r.body_mut()
        .with_config()
        .limit(TAILLE_MAX)
        .read_to_vec()
        .map_err(|e| telechargement(url, e))
}

/// The good-copy part of an entry from a usable verdict.
fn retenir(
    e: &mut EtatListe,
    liste: &confiance::RapportListe,
    fichier: &str,
    quand: DateTime<Utc>,
) {
    e.territoire = liste.liste.territoire.clone();
    e.fichier = Some(fichier.to_string());
    e.empreinte = Some(liste.liste.empreinte.clone());
    e.numero_sequence = liste.liste.numero_sequence;
    e.prochaine_mise_a_jour = liste.liste.prochaine_mise_a_jour;
    e.statut = Some(liste.statut);
    e.signataire = liste.signataire.clone();
    e.prestataires = liste.liste.prestataires.len();
    e.services = liste.liste.nombre_services();
    e.recuperee = Some(quand);
    e.erreur = None;
}

fn refus(r: &confiance::RapportListe) -> Erreur {
    Erreur::new(
        r.code.unwrap_or(CodeErreur::ListeConfianceNonConforme),
        r.raison
            .clone()
            .unwrap_or_else(|| "liste inutilisable".into()),
    )
}

fn mettre_a_jour(a: MettreAJour, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let date = match &a.date {
        Some(d) => mpe::rules::temps::instant_rfc3339(d).map_err(|e| e.at("--date"))?,
        None => Utc::now(),
    };
    let maintenant = Utc::now();
    let miroirs = a
        .miroirs
        .iter()
        .map(|m| {
            m.split_once('=')
                .map(|(p, r)| (p.to_string(), r.to_string()))
                .ok_or_else(|| {
                    Erreur::invalid_argument(format!(
                        "--miroir « {m} » : PREFIXE=REMPLACEMENT attendu"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    std::fs::create_dir_all(a.dossier.join("listes"))
        .map_err(|e| erreur_dossier(format!("{} : {e}", a.dossier.display())))?;
    let pem_lotl = match &a.certificats_lotl {
        Some(p) => {
            let pem = lire(p)?;
            ecrire(&a.dossier.join(CERTIFICATS_LOTL), &pem)?;
            pem
        }
        None => lire(&a.dossier.join(CERTIFICATS_LOTL)).map_err(|_| {
            erreur_dossier("aucun certificat de LOTL : donner --certificats-lotl la première fois")
        })?,
    };
    let certificats_lotl = mpe::signature::certificats(&pem_lotl)?;
    let agent = client(&a.racines_https, a.delai)?;
    let mut etat = lire_index(&a.dossier)?.unwrap_or_default();
    etat.adresse_lotl = a.lotl.clone();
    etat.derniere_mise_a_jour = Some(maintenant);
    let mut cache = CacheListes::new();
    let mut echecs = 0;
    std::fs::create_dir_all(a.dossier.join("pivots"))
        .map_err(|e| erreur_dossier(format!("{} : {e}", a.dossier.display())))?;

    // The LOTL: a new copy replaces the old one only when it verifies through its pivots
    // (and its sequence does not go back).
    let mut e_lotl = etat.lotl.take().unwrap_or_default();
    e_lotl.adresse = a.lotl.clone();
    e_lotl.derniere_tentative = Some(maintenant);
    let anciens_pivots = std::mem::take(&mut etat.pivots);
    let mut pivots: Vec<(String, Vec<u8>)> = vec![];
    let essai = telecharger(&agent, &reecrire(&a.lotl, &miroirs)).and_then(|octets| {
        let adresses = confiance::lire_liste(&octets)
            .map(|l| l.pivots)
            .unwrap_or_default();
        let (etats, octets_pivots) = telecharger_pivots(
            &agent,
            &adresses,
            &anciens_pivots,
            &a.dossier,
            &miroirs,
            maintenant,
            &mut echecs,
        )?;
        etat.pivots = etats;
        pivots = octets_pivots;
        let c = confiance::charger_avec_pivots(
            &octets,
            &certificats_lotl,
            &refs_pivots(&pivots),
            &[],
            date,
            &mut cache,
        );
        noter_pivots(&mut etat.pivots, &c, &a.dossier, &pivots)?;
        let r = match c.lotl {
            Some(x) if x.utilisee() => x.rapport.expect("une liste utilisée a son rapport"),
            Some(x) => {
                return Err(x
                    .erreur
                    .or_else(|| x.rapport.as_ref().map(refus))
                    .unwrap_or_else(|| erreur_dossier("LOTL inutilisable")));
            }
            None => return Err(erreur_dossier("LOTL inutilisable")),
        };
        if let Some(s) = e_lotl
            .numero_sequence
            .filter(|s| r.liste.numero_sequence.is_some_and(|n| n < *s))
        {
            return Err(Erreur::new(
                CodeErreur::ListeConfianceSequence,
                format!("séquence {:?} après {s}", r.liste.numero_sequence),
            ));
        }
        Ok((octets, r))
    });
    match essai {
        Ok((octets, r)) => {
            ecrire(&a.dossier.join("lotl.xml"), &octets)?;
            retenir(&mut e_lotl, &r, "lotl.xml", maintenant);
        }
        Err(e) => {
            echecs += 1;
            e_lotl.erreur = Some(e);
            // The pivots of the good copy stay what the folder loads with (without a good
            // copy, the new ones show what failed).
            if e_lotl.fichier.is_some() {
                etat.pivots = anciens_pivots;
            }
            pivots = pivots_du_dossier(&a.dossier, &etat.pivots)?;
        }
    }
    let lotl_octets = e_lotl
        .fichier
        .as_ref()
        .map(|f| lire(&a.dossier.join(f)))
        .transpose()?;
    etat.lotl = Some(e_lotl);
    let Some(lotl_octets) = lotl_octets else {
        ecrire(&a.dossier.join(INDEX), &json(&etat)?)?;
        resumer(&etat, a.json, sortie)?;
        return Ok(ExitCode::from(8));
    };
    let lotl = confiance::lire_liste(&lotl_octets)?;

    // Each national list the LOTL points to (XML form).
    let mut anciennes = std::mem::take(&mut etat.listes);
    for p in lotl.pointeurs.iter().filter(|p| {
        !p.type_liste
            .as_deref()
            .is_some_and(|t| t.ends_with("listofthelists"))
            && p.type_mime.as_deref().is_none_or(|m| m.contains("xml"))
    }) {
        let territoire = p.territoire.clone().unwrap_or_default();
        let mut e = match anciennes
            .iter()
            .position(|x| x.territoire.as_deref() == Some(territoire.as_str()))
        {
            Some(i) => anciennes.remove(i),
            None => EtatListe::default(),
        };
        e.territoire = Some(territoire.clone());
        e.adresse = p.emplacement.clone();
        e.derniere_tentative = Some(maintenant);
        let fichier = format!("listes/{}.xml", nom_sur(&territoire));
        let essai = telecharger(&agent, &reecrire(&p.emplacement, &miroirs)).and_then(|octets| {
            let c: Confiance = confiance::charger_avec_pivots(
                &lotl_octets,
                &certificats_lotl,
                &refs_pivots(&pivots),
                &[&octets],
                date,
                &mut cache,
            );
            let entree = c.entrees.into_iter().next();
            match entree {
                Some(x) if x.utilisee() => Ok((octets, x.rapport)),
                Some(x) => Err(x
                    .erreur
                    .or_else(|| x.rapport.as_ref().map(refus))
                    .unwrap_or_else(|| erreur_dossier("liste inutilisable"))),
                None => Err(erreur_dossier("liste inutilisable")),
            }
        });
        match essai {
            Ok((octets, Some(r))) => {
                if let Some(s) = e
                    .numero_sequence
                    .filter(|s| r.liste.numero_sequence.is_some_and(|n| n < *s))
                {
                    echecs += 1;
                    e.erreur = Some(Erreur::new(
                        CodeErreur::ListeConfianceSequence,
                        format!("séquence {:?} après {s}", r.liste.numero_sequence),
                    ));
                } else {
                    ecrire(&a.dossier.join(&fichier), &octets)?;
                    retenir(&mut e, &r, &fichier, maintenant);
                }
            }
            Ok((_, None)) => {}
            Err(err) => {
                echecs += 1;
                e.erreur = Some(err);
            }
        }
        etat.listes.push(e);
    }
    ecrire(&a.dossier.join(INDEX), &json(&etat)?)?;
    resumer(&etat, a.json, sortie)?;
    Ok(if echecs == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(8)
    })
}

fn refs_pivots(pivots: &[(String, Vec<u8>)]) -> Vec<(&str, &[u8])> {
    pivots
        .iter()
        .map(|(a, o)| (a.as_str(), o.as_slice()))
        .collect()
}

/// An address as a file name under `pivots/` (what is not alphanumeric becomes `_`).
fn fichier_pivot(adresse: &str) -> String {
    let reste = adresse.split_once("://").map_or(adresse, |(_, r)| r);
    let nom: String = reste
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("pivots/{}", nom.trim_start_matches('.'))
}

/// Fetch the pivots a LOTL lists: a copy already taken up is reused (a pivot never changes),
/// any other is fetched; one that cannot be fetched keeps its last copy, if any, and counts
/// as a failure. The states (oldest first, as the core reports them) and the bytes at hand.
#[allow(clippy::type_complexity)]
fn telecharger_pivots(
    agent: &ureq::Agent,
    adresses: &[String],
    anciens: &[EtatListe],
    dossier: &Path,
    miroirs: &[(String, String)],
    maintenant: DateTime<Utc>,
    echecs: &mut usize,
) -> Result<(Vec<EtatListe>, Vec<(String, Vec<u8>)>), Erreur> {
    if adresses.len() > PIVOTS_MAX {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!(
                "la LOTL désigne {} LOTL pivots (au plus {PIVOTS_MAX})",
                adresses.len()
            ),
        ));
    }
    let mut etats = vec![];
    let mut octets = vec![];
    for adresse in adresses.iter().rev() {
        let mut e = anciens
            .iter()
            .find(|x| &x.adresse == adresse)
            .cloned()
            .unwrap_or_default();
        e.adresse = adresse.clone();
        e.territoire = Some("EU".into());
        let garde = e
            .fichier
            .as_ref()
            .filter(|_| e.pivot_retenu == Some(true))
            .map(|f| lire(&dossier.join(f)))
            .transpose()?;
        if let Some(o) = garde {
            octets.push((adresse.clone(), o));
        } else {
            e.derniere_tentative = Some(maintenant);
            match telecharger(agent, &reecrire(adresse, miroirs)) {
                Ok(o) => {
                    e.recuperee = Some(maintenant);
                    octets.push((adresse.clone(), o));
                }
                Err(err) => {
                    *echecs += 1;
                    e.erreur = Some(err);
                    if let Some(f) = &e.fichier {
                        octets.push((adresse.clone(), lire(&dossier.join(f))?));
                    }
                }
            }
        }
        etats.push(e);
    }
    Ok((etats, octets))
}

/// What the chain said of each pivot; the ones taken up are written to the folder.
fn noter_pivots(
    etats: &mut [EtatListe],
    c: &Confiance,
    dossier: &Path,
    octets: &[(String, Vec<u8>)],
) -> Result<(), Erreur> {
    for e in etats.iter_mut() {
        let Some(p) = c.pivots.iter().find(|p| p.adresse == e.adresse) else {
            continue;
        };
        e.pivot_retenu = Some(p.retenu);
        if let Some(r) = p.chargement.as_ref().and_then(|x| x.rapport.as_ref()) {
            e.numero_sequence = r.liste.numero_sequence;
            e.prochaine_mise_a_jour = r.liste.prochaine_mise_a_jour;
            e.statut = Some(r.statut);
            e.signataire = r.signataire.clone();
            e.empreinte = Some(r.liste.empreinte.clone());
        }
        if p.retenu {
            let f = fichier_pivot(&e.adresse);
            if let Some((_, o)) = octets.iter().find(|(a, _)| *a == e.adresse) {
                ecrire(&dossier.join(&f), o)?;
            }
            e.fichier = Some(f);
            e.erreur = None;
        } else if let Some(err) = &p.erreur
            && e.erreur.is_none()
        {
            e.erreur = Some(err.clone());
        }
    }
    Ok(())
}

/// The pivots the folder keeps, with their addresses.
fn pivots_du_dossier(
    dossier: &Path,
    etats: &[EtatListe],
) -> Result<Vec<(String, Vec<u8>)>, Erreur> {
    etats
        .iter()
        .filter(|e| e.pivot_retenu == Some(true))
        .filter_map(|e| e.fichier.as_ref().map(|f| (e, f)))
        .map(|(e, f)| Ok((e.adresse.clone(), lire(&dossier.join(f))?)))
        .collect()
}

/// A territory as a file name (two letters in practice; anything else made harmless).
fn nom_sur(t: &str) -> String {
    let s: String = t
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if s.is_empty() { "inconnu".into() } else { s }
}

fn json(etat: &EtatDossier) -> Result<Vec<u8>, Erreur> {
    serde_json::to_vec_pretty(etat).map_err(|e| Erreur::internal(format!("index : {e}")))
}

fn afficher(a: Afficher, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let etat = lire_index(&a.dossier)?
        .ok_or_else(|| erreur_dossier(format!("{} : pas de {INDEX}", a.dossier.display())))?;
    resumer(&etat, a.json, sortie)?;
    Ok(ExitCode::SUCCESS)
}

fn date_courte(d: Option<DateTime<Utc>>) -> String {
    d.map_or_else(|| "-".into(), |d| d.format("%Y-%m-%d %H:%M").to_string())
}

fn resumer(etat: &EtatDossier, en_json: bool, sortie: &Sortie) -> Result<(), Erreur> {
    if en_json {
        return sortie.json(etat);
    }
    sortie.info(format!(
        "LOTL {} (mise à jour {})",
        etat.adresse_lotl,
        date_courte(etat.derniere_mise_a_jour)
    ));
    sortie.info(format!(
        "{:<5} {:>6} {:<16} {:<10} {:>6} {:>8} {:<16} erreur",
        "terr.", "séq.", "prochaine", "signature", "prest.", "services", "récupérée"
    ));
    for p in &etat.pivots {
        sortie.info(format!(
            "pivot {:>6} {} {}",
            p.numero_sequence
                .map_or_else(|| "-".into(), |s| s.to_string()),
            match p.pivot_retenu {
                Some(true) => "retenu",
                _ => "écarté",
            },
            p.adresse
        ));
    }
    for e in etat.lotl.iter().chain(&etat.listes) {
        sortie.info(format!(
            "{:<5} {:>6} {:<16} {:<10} {:>6} {:>8} {:<16} {}",
            e.territoire.as_deref().unwrap_or("?"),
            e.numero_sequence
                .map_or_else(|| "-".into(), |s| s.to_string()),
            date_courte(e.prochaine_mise_a_jour),
            e.statut
                .map_or_else(|| "-".into(), |s| format!("{s:?}").to_uppercase()),
            e.prestataires,
            e.services,
            date_courte(e.recuperee),
            e.erreur.as_ref().map_or_else(String::new, |x| format!(
                "{} : {}",
                x.code().name(),
                x.message()
            ))
        ));
    }
    Ok(())
}

/// The good copies of the folder, loaded at `date` (for `mpe verifier --tsl`).
pub fn charger_dossier(dossier: &Path, date: DateTime<Utc>) -> Result<Confiance, Erreur> {
    let etat = lire_index(dossier)?
        .ok_or_else(|| erreur_dossier(format!("{} : pas de {INDEX}", dossier.display())))?;
    let lotl = etat
        .lotl
        .as_ref()
        .and_then(|l| l.fichier.as_ref())
        .ok_or_else(|| erreur_dossier("aucune bonne copie de la LOTL"))?;
    let lotl = lire(&dossier.join(lotl))?;
    let certificats = mpe::signature::certificats(&lire(&dossier.join(CERTIFICATS_LOTL))?)?;
    let listes = etat
        .listes
        .iter()
        .filter_map(|e| e.fichier.as_ref())
        .map(|f| lire(&dossier.join(f)))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&[u8]> = listes.iter().map(Vec::as_slice).collect();
    let pivots = pivots_du_dossier(dossier, &etat.pivots)?;
    Ok(confiance::charger_avec_pivots(
        &lotl,
        &certificats,
        &refs_pivots(&pivots),
        &refs,
        date,
        &mut CacheListes::new(),
    ))
}
