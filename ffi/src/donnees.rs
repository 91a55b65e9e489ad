//! C ABI of `mpe::donnees`: contracts, DECP export/validation/import, the store and its
//! search, OCDS and XLSX. Contracts cross as the JSON of `mpe::donnees::Contrat` (camelCase
//! DECP names); files and stores as paths. "Today" is an `mpe_date`: the library never
//! reads the clock.

use std::ffi::c_char;
use std::io::Write;
use std::path::Path;

use mpe::donnees::{
    Attribution, Contrat, Entrepot, FiltreContrats, LecteurDecp, OptionsImport, OptionsOcds,
    Recherche,
};
use mpe::{CodeErreur, Erreur};

use crate::frontiere::{
    appeler, chemin, chemin_facultatif, date, json, json_texte, mpe_date, mpe_octets, mpe_statut,
    octets_sortie, poignee, poignee_liberer, poignee_mut, poignee_nouvelle, sortie,
};

fn contrats(ptr: *const u8, longueur: usize) -> Result<Vec<Contrat>, Erreur> {
    json(ptr, longueur, "contrats")
}

fn es(chemin: &Path, e: std::io::Error) -> Erreur {
    Erreur::new(CodeErreur::Es, format!("{} : {e}", chemin.display()))
}

fn lire_entrepot(chemin: &Path) -> Result<Entrepot, Erreur> {
    let f = std::fs::File::open(chemin).map_err(|e| es(chemin, e))?;
    Entrepot::charger(std::io::BufReader::new(f))
}

/// Write a store whole or not at all: a temporary file beside it, renamed once complete
/// (removed on any error, so nothing is left behind).
fn ecrire_entrepot(e: &Entrepot, chemin: &Path) -> Result<(), Erreur> {
    let dossier = match chemin.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dossier).map_err(|x| es(chemin, x))?;
    let mut w = std::io::BufWriter::new(tmp);
    e.enregistrer(&mut w)?;
    w.flush().map_err(|x| es(chemin, x))?;
    let tmp = w.into_inner().map_err(|x| es(chemin, x.into_error()))?;
    tmp.persist(chemin).map_err(|x| es(chemin, x.error))?;
    Ok(())
}

/// Validate contracts by the DECP rules at `aujourd_hui`: `anomalies_sortie` receives the
/// findings (an empty array when none).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_valider(
    contrats_json: *const u8,
    contrats_longueur: usize,
    aujourd_hui: mpe_date,
    anomalies_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(anomalies_sortie, "anomalies_sortie"), || {
        let c = contrats(contrats_json, contrats_longueur)?;
        json_texte(&mpe::donnees::verifier_decp(
            &c,
            date(aujourd_hui, "aujourd_hui")?,
        ))
    })
}

/// Export contracts as a DECP 2022 JSON file (`decp_sortie`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_exporter_json(
    contrats_json: *const u8,
    contrats_longueur: usize,
    aujourd_hui: mpe_date,
    decp_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(decp_sortie, "decp_sortie"), || {
        let c = contrats(contrats_json, contrats_longueur)?;
        Ok(mpe::donnees::exporter_decp_json(&c, date(aujourd_hui, "aujourd_hui")?)?.into())
    })
}

/// Export contracts as a DECP 2022 XML file (`decp_sortie`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_exporter_xml(
    contrats_json: *const u8,
    contrats_longueur: usize,
    aujourd_hui: mpe_date,
    decp_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(decp_sortie, "decp_sortie"), || {
        let c = contrats(contrats_json, contrats_longueur)?;
        Ok(mpe::donnees::exporter_decp_xml(&c, date(aujourd_hui, "aujourd_hui")?)?.into())
    })
}

/// Export contracts as an OCDS release package (`options_json`: `OptionsOcds`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_exporter_ocds(
    contrats_json: *const u8,
    contrats_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    ocds_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(ocds_sortie, "ocds_sortie"), || {
        let c = contrats(contrats_json, contrats_longueur)?;
        let o: OptionsOcds = json(options_json, options_longueur, "options")?;
        Ok(mpe::donnees::exporter_ocds(&c, &o)?.into())
    })
}

/// Export contracts as an XLSX workbook (`xlsx_sortie`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrat_exporter_xlsx(
    contrats_json: *const u8,
    contrats_longueur: usize,
    xlsx_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(xlsx_sortie, "xlsx_sortie"), || {
        let c = contrats(contrats_json, contrats_longueur)?;
        Ok(mpe::donnees::exporter_xlsx(&c)?.into())
    })
}

/// The contracts that match `filtre_json` (`FiltreContrats`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrat_filtrer(
    contrats_json: *const u8,
    contrats_longueur: usize,
    filtre_json: *const u8,
    filtre_longueur: usize,
    contrats_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(contrats_sortie, "contrats_sortie"), || {
        let c = contrats(contrats_json, contrats_longueur)?;
        let f: FiltreContrats = json(filtre_json, filtre_longueur, "filtre")?;
        json_texte(&mpe::donnees::filtrer_contrats(&c, &f))
    })
}

/// A contract from an attribution (`Attribution`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrat_generer_depuis_attribution(
    attribution_json: *const u8,
    attribution_longueur: usize,
    contrat_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(contrat_sortie, "contrat_sortie"), || {
        let a: Attribution = json(attribution_json, attribution_longueur, "attribution")?;
        json_texte(&Contrat::depuis_attribution(a)?)
    })
}

/// Import a published DECP file (2019 or 2022, JSON or XML) into the store file
/// `entrepot_sortie`, starting from `entrepot_entree` (NULL: an empty store).
/// `rapport_sortie` receives the import report.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_importer(
    fichier: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    entrepot_entree: *const c_char,
    entrepot_sortie: *const c_char,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let fichier = chemin(fichier, "fichier")?;
        let o: OptionsImport = json(options_json, options_longueur, "options")?;
        let destination = chemin(entrepot_sortie, "entrepot_sortie")?;
        let mut e = match chemin_facultatif(entrepot_entree, "entrepot_entree")? {
            Some(p) => lire_entrepot(p)?,
            None => Entrepot::new(),
        };
        let rapport = e.importer(LecteurDecp::ouvrir(fichier, o)?)?;
        ecrire_entrepot(&e, destination)?;
        json_texte(&rapport)
    })
}

/// Add contracts to the store file `entrepot` (made when absent); `bilan_sortie` receives
/// `{"ajoutes": n, "fusionnes": m}`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_fichier_ajouter(
    entrepot: *const c_char,
    contrats_json: *const u8,
    contrats_longueur: usize,
    bilan_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(bilan_sortie, "bilan_sortie"), || {
        let chemin = chemin(entrepot, "entrepot")?;
        let c = contrats(contrats_json, contrats_longueur)?;
        let mut e = if chemin.exists() {
            lire_entrepot(chemin)?
        } else {
            Entrepot::new()
        };
        let fusionnes = c.iter().filter(|x| e.ajouter(x).is_some()).count();
        ecrire_entrepot(&e, chemin)?;
        json_texte(&serde_json::json!({"ajoutes": c.len() - fusionnes, "fusionnes": fusionnes}))
    })
}

/// Search the store file `entrepot` (`recherche_json`: `Recherche`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_fichier_chercher(
    entrepot: *const c_char,
    recherche_json: *const u8,
    recherche_longueur: usize,
    resultat_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(resultat_sortie, "resultat_sortie"), || {
        let r: Recherche = json(recherche_json, recherche_longueur, "recherche")?;
        let e = lire_entrepot(chemin(entrepot, "entrepot")?)?;
        json_texte(&e.rechercher(&r))
    })
}

// ---- The open store: an opaque handle kept by the host between searches.

/// An open DECP store (opaque). Made by `mpe_entrepot_nouveau` or `mpe_entrepot_ouvrir`,
/// released by `mpe_entrepot_liberer`.
#[allow(non_camel_case_types)]
pub struct mpe_entrepot {
    entrepot: Entrepot,
}

/// Open the store file `chemin` into a handle (release it with `mpe_entrepot_liberer`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_ouvrir(
    chemin: *const c_char,
    entrepot_sortie: *mut *mut mpe_entrepot,
) -> mpe_statut {
    appeler(sortie(entrepot_sortie, "entrepot_sortie"), || {
        let e = lire_entrepot(self::chemin(chemin, "chemin")?)?;
        Ok(poignee_nouvelle(mpe_entrepot { entrepot: e }))
    })
}

/// A new, empty store handle (release it with `mpe_entrepot_liberer`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_nouveau(entrepot_sortie: *mut *mut mpe_entrepot) -> mpe_statut {
    appeler(sortie(entrepot_sortie, "entrepot_sortie"), || {
        Ok(poignee_nouvelle(mpe_entrepot {
            entrepot: Entrepot::new(),
        }))
    })
}

/// Import a DECP file into an open store; `rapport_sortie` receives the report.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_importer(
    entrepot: *mut mpe_entrepot,
    fichier: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let e = poignee_mut(entrepot, "entrepot")?;
        let o: OptionsImport = json(options_json, options_longueur, "options")?;
        let rapport = e
            .entrepot
            .importer(LecteurDecp::ouvrir(chemin(fichier, "fichier")?, o)?)?;
        json_texte(&rapport)
    })
}

/// Search an open store (`recherche_json`: `Recherche`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_chercher(
    entrepot: *const mpe_entrepot,
    recherche_json: *const u8,
    recherche_longueur: usize,
    resultat_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(resultat_sortie, "resultat_sortie"), || {
        let e = poignee(entrepot, "entrepot")?;
        let r: Recherche = json(recherche_json, recherche_longueur, "recherche")?;
        json_texte(&e.entrepot.rechercher(&r))
    })
}

/// The number of contracts of an open store.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_compter(
    entrepot: *const mpe_entrepot,
    nombre_sortie: *mut u64,
) -> mpe_statut {
    appeler(sortie(nombre_sortie, "nombre_sortie"), || {
        Ok(poignee(entrepot, "entrepot")?.entrepot.len() as u64)
    })
}

/// Write an open store to the file `chemin`, whole or not at all.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_ecrire(
    entrepot: *const mpe_entrepot,
    chemin: *const c_char,
) -> mpe_statut {
    appeler((), || {
        let e = poignee(entrepot, "entrepot")?;
        ecrire_entrepot(&e.entrepot, self::chemin(chemin, "chemin")?)
    })
}

/// Release a store handle. NULL is fine; releasing the same handle twice is undefined
/// behaviour, as with `free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_liberer(entrepot: *mut mpe_entrepot) {
    poignee_liberer(entrepot)
}
