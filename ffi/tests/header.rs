//! The committed headers must match what build.rs generates from the sources.
//! Run with `MPE_UPDATE_HEADERS=1` to refresh them after changing the C ABI.

use std::path::Path;

fn check(name: &str, generated: &str) {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../include")
        .join(name);
    if std::env::var_os("MPE_UPDATE_HEADERS").is_some() {
        std::fs::write(&committed_path, generated).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/{name} is stale: run `MPE_UPDATE_HEADERS=1 cargo test -p mpe-ffi --test header`"
    );
}

#[test]
fn mpe_h_is_current() {
    check("mpe.h", include_str!(concat!(env!("OUT_DIR"), "/mpe.h")));
}

#[test]
fn mpe_php_h_is_current() {
    let php = include_str!(concat!(env!("OUT_DIR"), "/mpe_php.h"));
    assert!(
        !php.lines().any(|l| l.trim_start().starts_with('#')),
        "no preprocessor line"
    );
    check("mpe_php.h", php);
}
