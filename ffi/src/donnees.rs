//! C ABI of `mpe::donnees`: contracts register, DECP export/import, store search, OCDS and
//! XLSX. Contracts cross as the JSON of `mpe::donnees::Contrat` (camelCase DECP names);
//! files and stores cross as paths. Dates ("now") are `AAAA-MM-JJ` strings: the library
//! never reads the clock.

use std::ffi::c_char;
use std::path::Path;

use mpe::donnees::{
    Attribution, Contrat, Entrepot, FiltreContrats, LecteurDecp, OptionsImport, OptionsOcds,
    Recherche,
};
use mpe::{Error, ErrorCode};

use crate::boundary::{
    bytes_in, call, check_out, handle_free, handle_mut, handle_new, handle_ref, json_in, json_out,
    mpe_bytes, mpe_status, opt_str_in, str_in, write_out,
};

fn date_in(p: *const c_char, what: &str) -> Result<chrono::NaiveDate, Error> {
    let s = str_in(p, what)?;
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Error::invalid_argument(format!("{what} : date AAAA-MM-JJ attendue, reçu « {s} »"))
    })
}

fn contrats_in(ptr: *const u8, len: usize) -> Result<Vec<Contrat>, Error> {
    json_in(bytes_in(ptr, len, "contrats")?, "contrats")
}

fn io(chemin: &str, e: std::io::Error) -> Error {
    Error::new(ErrorCode::Io, format!("{chemin} : {e}"))
}

fn charger(chemin: &str) -> Result<Entrepot, Error> {
    let f = std::fs::File::open(chemin).map_err(|e| io(chemin, e))?;
    Entrepot::charger(std::io::BufReader::new(f))
}

/// Write the store to `chemin` through a temporary file renamed at the end (no partial
/// store on failure).
fn enregistrer(e: &Entrepot, chemin: &str) -> Result<(), Error> {
    let tmp = format!("{chemin}.tmp");
    let f = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
    let mut w = std::io::BufWriter::new(f);
    let r = e
        .enregistrer(&mut w)
        .and_then(|()| std::io::Write::flush(&mut w).map_err(|x| io(&tmp, x)));
    if let Err(err) = r {
        let _ = std::fs::remove_file(&tmp);
        return Err(err);
    }
    std::fs::rename(&tmp, chemin).map_err(|e| io(chemin, e))
}

/// Check contracts (JSON array of `Contrat`) against DECP 2022 and mpe's stricter rules on
/// `maintenant` (`AAAA-MM-JJ`). Writes into `*anomalies_out` a JSON array of
/// `{index, enregistrement, champ, message}` (empty when all is valid); free it with
/// `mpe_bytes_free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_verifier(
    contrats: *const u8,
    contrats_len: usize,
    maintenant: *const c_char,
    anomalies_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(anomalies_out, "anomalies_out")?;
        let c = contrats_in(contrats, contrats_len)?;
        let a = mpe::donnees::verifier_decp(&c, date_in(maintenant, "maintenant")?);
        write_out(anomalies_out, json_out(&a)?);
        Ok(())
    })
}

/// Export contracts (JSON array of `Contrat`) to DECP 2022 JSON. Refused whole with
/// `MPE_DECP_INVALIDE` (message naming record and field) if any check fails.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_exporter_json(
    contrats: *const u8,
    contrats_len: usize,
    maintenant: *const c_char,
    decp_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(decp_out, "decp_out")?;
        let c = contrats_in(contrats, contrats_len)?;
        let v = mpe::donnees::exporter_decp_json(&c, date_in(maintenant, "maintenant")?)?;
        write_out(decp_out, mpe_bytes::from_vec(v));
        Ok(())
    })
}

/// Export contracts to DECP 2022 XML (same checks as `mpe_decp_exporter_json`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_exporter_xml(
    contrats: *const u8,
    contrats_len: usize,
    maintenant: *const c_char,
    decp_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(decp_out, "decp_out")?;
        let c = contrats_in(contrats, contrats_len)?;
        let v = mpe::donnees::exporter_decp_xml(&c, date_in(maintenant, "maintenant")?)?;
        write_out(decp_out, mpe_bytes::from_vec(v));
        Ok(())
    })
}

/// Export contracts to an OCDS 1.1.5 release package. `options` is the JSON of
/// `OptionsOcds` (`prefixeOcid`, `uri`, `editeur`, `publieLe`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_exporter_ocds(
    contrats: *const u8,
    contrats_len: usize,
    options: *const u8,
    options_len: usize,
    ocds_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(ocds_out, "ocds_out")?;
        let c = contrats_in(contrats, contrats_len)?;
        let o: OptionsOcds = json_in(bytes_in(options, options_len, "options")?, "options")?;
        write_out(
            ocds_out,
            mpe_bytes::from_vec(mpe::donnees::exporter_ocds(&c, &o)?),
        );
        Ok(())
    })
}

/// The contracts list as an XLSX workbook (bytes).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrats_exporter_xlsx(
    contrats: *const u8,
    contrats_len: usize,
    xlsx_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(xlsx_out, "xlsx_out")?;
        let c = contrats_in(contrats, contrats_len)?;
        write_out(
            xlsx_out,
            mpe_bytes::from_vec(mpe::donnees::exporter_xlsx(&c)?),
        );
        Ok(())
    })
}

/// Filter the contracts list (`filtre`: JSON of `FiltreContrats`: `motsCles`, `typeContrat`,
/// `statut`); writes the matching contracts as a JSON array.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrats_filtrer(
    contrats: *const u8,
    contrats_len: usize,
    filtre: *const u8,
    filtre_len: usize,
    contrats_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(contrats_out, "contrats_out")?;
        let c = contrats_in(contrats, contrats_len)?;
        let f: FiltreContrats = json_in(bytes_in(filtre, filtre_len, "filtre")?, "filtre")?;
        write_out(
            contrats_out,
            json_out(&mpe::donnees::filtrer_contrats(&c, &f))?,
        );
        Ok(())
    })
}

/// A new contract (JSON of `Contrat`) from an attribution decision (JSON of `Attribution`).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_contrat_depuis_attribution(
    attribution: *const u8,
    attribution_len: usize,
    contrat_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(contrat_out, "contrat_out")?;
        let a: Attribution = json_in(
            bytes_in(attribution, attribution_len, "attribution")?,
            "attribution",
        )?;
        write_out(contrat_out, json_out(&Contrat::depuis_attribution(a)?)?);
        Ok(())
    })
}

/// Import the DECP file at `fichier` (2019 or 2022, JSON or XML, streamed) into a store.
/// `options` is the JSON of `OptionsImport` (`maintenant`, optional `provenance`).
/// `entrepot_entree` (may be NULL) is an existing store to merge into; the result is written
/// to `entrepot_sortie` (through a temporary file). Writes the import report (counts and
/// every repair, anomaly, rejection and merge) as JSON into `*rapport_out`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_decp_importer(
    fichier: *const c_char,
    options: *const u8,
    options_len: usize,
    entrepot_entree: *const c_char,
    entrepot_sortie: *const c_char,
    rapport_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(rapport_out, "rapport_out")?;
        let fichier = str_in(fichier, "fichier")?;
        let o: OptionsImport = json_in(bytes_in(options, options_len, "options")?, "options")?;
        let sortie = str_in(entrepot_sortie, "entrepot_sortie")?;
        let mut e = match opt_str_in(entrepot_entree, "entrepot_entree")? {
            Some(p) => charger(p)?,
            None => Entrepot::new(),
        };
        let rapport = e.importer(LecteurDecp::ouvrir(Path::new(fichier), o)?)?;
        enregistrer(&e, sortie)?;
        write_out(rapport_out, json_out(&rapport)?);
        Ok(())
    })
}

/// Add the platform's own contracts (JSON array of `Contrat`) to the store at `entrepot`
/// (created if absent), merging duplicates. Writes `{"ajoutes": n, "fusionnes": m}`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_ajouter(
    entrepot: *const c_char,
    contrats: *const u8,
    contrats_len: usize,
    bilan_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(bilan_out, "bilan_out")?;
        let chemin = str_in(entrepot, "entrepot")?;
        let c = contrats_in(contrats, contrats_len)?;
        let mut e = if Path::new(chemin).exists() {
            charger(chemin)?
        } else {
            Entrepot::new()
        };
        let fusionnes = c.iter().filter(|x| e.ajouter(x).is_some()).count();
        enregistrer(&e, chemin)?;
        write_out(
            bilan_out,
            json_out(&serde_json::json!({"ajoutes": c.len() - fusionnes, "fusionnes": fusionnes}))?,
        );
        Ok(())
    })
}

/// Search the store at `entrepot` (`recherche`: JSON of `Recherche`; `{}` for everything).
/// Writes `{total, parProvenance, fiches}`. The store is loaded for the call (a host
/// searching often keeps the Python or Rust `Entrepot` open instead).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_rechercher(
    entrepot: *const c_char,
    recherche: *const u8,
    recherche_len: usize,
    resultat_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(resultat_out, "resultat_out")?;
        let chemin = str_in(entrepot, "entrepot")?;
        let r: Recherche = json_in(
            bytes_in(recherche, recherche_len, "recherche")?,
            "recherche",
        )?;
        let e = charger(chemin)?;
        write_out(resultat_out, json_out(&e.rechercher(&r))?);
        Ok(())
    })
}

// ---- The open store: an opaque handle kept by the host between searches.

/// An open DECP store (opaque): made by `mpe_entrepot_ouvrir` or `mpe_entrepot_nouveau`,
/// released by `mpe_entrepot_fermer`. Searches only read it; a host may share one handle
/// between threads for `mpe_entrepot_chercher` / `mpe_entrepot_compter` as long as no
/// `mpe_entrepot_importer` runs at the same time.
#[allow(non_camel_case_types)]
pub struct mpe_entrepot {
    entrepot: Entrepot,
}

/// Open the store file at `chemin` (written by `mpe_decp_importer`, `mpe_entrepot_ajouter`
/// or `mpe_entrepot_enregistrer`): it is read and indexed once, then searched in memory.
/// On success writes a new handle into `*entrepot_out`; the caller owns it and releases it
/// with `mpe_entrepot_fermer`. Errors: `MPE_IO` (unreadable file), `MPE_ENTREPOT_INVALIDE`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_ouvrir(
    chemin: *const c_char,
    entrepot_out: *mut *mut mpe_entrepot,
) -> mpe_status {
    call(|| {
        check_out(entrepot_out, "entrepot_out")?;
        let e = charger(str_in(chemin, "chemin")?)?;
        write_out(entrepot_out, handle_new(mpe_entrepot { entrepot: e }));
        Ok(())
    })
}

/// A new empty store in memory (fill it with `mpe_entrepot_importer`). The caller owns the
/// handle written into `*entrepot_out` and releases it with `mpe_entrepot_fermer`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_nouveau(entrepot_out: *mut *mut mpe_entrepot) -> mpe_status {
    call(|| {
        check_out(entrepot_out, "entrepot_out")?;
        write_out(
            entrepot_out,
            handle_new(mpe_entrepot {
                entrepot: Entrepot::new(),
            }),
        );
        Ok(())
    })
}

/// Import the DECP file at `fichier` (2019 or 2022, JSON or XML, streamed) into the open
/// store, merging duplicates. `options` is the JSON of `OptionsImport` (`maintenant`,
/// optional `provenance`). Writes the import report as JSON into `*rapport_out` (free it
/// with `mpe_bytes_free`). On an error the records read before it stay in the store.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_importer(
    entrepot: *mut mpe_entrepot,
    fichier: *const c_char,
    options: *const u8,
    options_len: usize,
    rapport_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(rapport_out, "rapport_out")?;
        let e = handle_mut(entrepot, "entrepot")?;
        let fichier = str_in(fichier, "fichier")?;
        let o: OptionsImport = json_in(bytes_in(options, options_len, "options")?, "options")?;
        let rapport = e
            .entrepot
            .importer(LecteurDecp::ouvrir(Path::new(fichier), o)?)?;
        write_out(rapport_out, json_out(&rapport)?);
        Ok(())
    })
}

/// Search the open store (`recherche`: JSON of `Recherche`, `{}` for everything). Writes
/// `{total, parProvenance, fiches}` as JSON into `*resultat_out` (free it with
/// `mpe_bytes_free`). Unlike `mpe_entrepot_rechercher`, nothing is reloaded: a search over
/// 1.5 million records takes milliseconds.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_chercher(
    entrepot: *const mpe_entrepot,
    recherche: *const u8,
    recherche_len: usize,
    resultat_out: *mut mpe_bytes,
) -> mpe_status {
    call(|| {
        check_out(resultat_out, "resultat_out")?;
        let e = handle_ref(entrepot, "entrepot")?;
        let r: Recherche = json_in(
            bytes_in(recherche, recherche_len, "recherche")?,
            "recherche",
        )?;
        write_out(resultat_out, json_out(&e.entrepot.rechercher(&r))?);
        Ok(())
    })
}

/// Number of contracts in the open store, written into `*nombre_out`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_compter(
    entrepot: *const mpe_entrepot,
    nombre_out: *mut u64,
) -> mpe_status {
    call(|| {
        check_out(nombre_out, "nombre_out")?;
        let e = handle_ref(entrepot, "entrepot")?;
        write_out(nombre_out, e.entrepot.len() as u64);
        Ok(())
    })
}

/// Write the open store to `chemin` (through a temporary file renamed at the end: no
/// partial store on failure).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_enregistrer(
    entrepot: *const mpe_entrepot,
    chemin: *const c_char,
) -> mpe_status {
    call(|| {
        let e = handle_ref(entrepot, "entrepot")?;
        enregistrer(&e.entrepot, str_in(chemin, "chemin")?)
    })
}

/// Close the store and release its memory (the object's `_free`). NULL is fine. The handle
/// must not be used afterwards: closing it twice is undefined behaviour, as with `free`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_entrepot_fermer(entrepot: *mut mpe_entrepot) {
    handle_free(entrepot)
}
