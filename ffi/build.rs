//! Generates `mpe.h` (C, C++) and `mpe_php.h` (the same declarations without preprocessor
//! lines, for PHP's `FFI::cdef`) into OUT_DIR. The committed copies under `include/` are
//! compared with these by `tests/header.rs` (`MPE_UPDATE_HEADERS=1` refreshes them).
//! The status constants are generated from `mpe::CodeErreur::ALL`, the one list of codes.

use std::env;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The rules every function of the header follows, written once at its top.
const PREAMBULE: &str = "\
/*
 * mpe — marchés publics électroniques : l'ABI C de libmpe.
 * Généré par cbindgen depuis ffi/src : ne pas modifier à la main.
 * Les noms suivent docs/glossaire.md : mpe_<objet>_<verbe>[_<complement>].
 *
 * Fils d'exécution (thread safety)
 *   Toutes les fonctions peuvent être appelées depuis plusieurs fils à la fois : mpe n'a
 *   pas d'état global modifiable. Une poignée (mpe_entrepot *) ne doit pas servir à deux
 *   fils en même temps (un fil à la fois, ou un verrou chez l'hôte). Le message de
 *   mpe_derniere_erreur() est propre à chaque fil.
 *
 * Propriété (ownership)
 *   - Les entrées sont empruntées pour la durée de l'appel ; mpe n'en garde rien.
 *   - Les sorties sont les derniers paramètres, nommés *_sortie ; elles ne sont écrites
 *     qu'en cas de succès (MPE_OK) et laissées intactes sinon.
 *   - Un mpe_octets rendu par mpe est libéré une fois par mpe_octets_liberer (qui le remet
 *     à zéro : un second appel sur la même structure est sans effet).
 *   - Une poignée faite par _nouveau, _ouvrir ou _lire est libérée une fois par son
 *     _liberer ; NULL est accepté, deux libérations de la même poignée sont interdites.
 *   - Les chaînes rendues directement (mpe_version, mpe_statut_nom, mpe_derniere_erreur)
 *     appartiennent à mpe : ne jamais les libérer.
 *
 * Encodage
 *   - JSON et données binaires : (const uint8_t *x, size_t x_longueur). Un pointeur NULL
 *     n'est permis qu'avec une longueur 0 (sinon MPE_ARGUMENT_INVALIDE) ; pour une entrée
 *     facultative, NULL/0 signifie « absente ».
 *   - JSON : UTF-8, le même que celui du module Python ; schémas dans schemas/.
 *   - Textes courts (codes, noms, mots de passe) : UTF-8 terminé par NUL ; NULL pour un
 *     mot de passe facultatif signifie « aucun ».
 *   - Chemins : octets terminés par NUL, tels que le système les connaît (UTF-8 ou non).
 *   - Temps : mpe_instant, texte RFC 3339 avec décalage (\"2026-11-02T09:00:00Z\") ;
 *     dates : mpe_date, texte AAAA-MM-JJ. mpe ne lit jamais l'horloge.
 *   - Les sorties texte (JSON, noms) sont suivies d'un NUL non compté dans longueur.
 *
 * Erreurs
 *   Chaque fonction faillible rend un mpe_statut : MPE_OK (0) ou un code stable
 *   (enum mpe_code_statut) ; mpe_statut_nom() en donne le nom et mpe_derniere_erreur() le
 *   message du fil. Une panique interne devient MPE_INTERNE, jamais un arrêt de l'hôte.
 */";

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    // The ABI is versioned by its major number: programs link against libmpe.so.0
    // (scripts/installer.sh installs libmpe.so.VERSION and the .so.0 and .so links).
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmpe.so.0");
    }

    let mut codes = String::from(
        "\n/**\n * Les statuts rendus par chaque fonction faillible (0 = succès).\n * Stables : un code ne change jamais de sens.\n */\nenum mpe_code_statut {\n  /** succès */\n  MPE_OK = 0,\n",
    );
    for c in mpe::CodeErreur::ALL {
        let _ = writeln!(
            codes,
            "  /** {} */\n  MPE_{} = {},",
            c.label(),
            c.name(),
            c.code()
        );
    }
    codes.push_str("};\n");

    let config = cbindgen::Config {
        language: cbindgen::Language::C,
        include_guard: Some("MPE_H".into()),
        cpp_compat: true,
        documentation: true,
        documentation_style: cbindgen::DocumentationStyle::Doxy,
        header: Some(PREAMBULE.into()),
        after_includes: Some(codes),
        sys_includes: vec!["stdint.h".into(), "stddef.h".into()],
        no_includes: true,
        usize_is_size_t: true,
        export: cbindgen::ExportConfig {
            // Test helper only: declared by tests/c/mpe_test.h, not part of the API.
            exclude: vec!["mpe_test_panique".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen");
    let mut c_header = Vec::new();
    bindings.write(&mut c_header);
    let c_header = String::from_utf8(c_header).expect("utf-8 header");
    std::fs::write(out_dir.join("mpe.h"), &c_header).expect("write mpe.h");

    // PHP's FFI::cdef takes plain declarations: no preprocessor lines, no extern "C" block.
    let php: String = c_header
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with('#') && t != "extern \"C\" {" && !t.starts_with("}  // extern \"C\"")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(out_dir.join("mpe_php.h"), php).expect("write mpe_php.h");
}
