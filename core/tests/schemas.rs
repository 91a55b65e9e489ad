//! The JSON Schemas under `schemas/` are generated from the model so that PHP and Java hosts
//! can validate their JSON before calling mpe. This test fails when they are stale; run it
//! with `MPE_UPDATE_SCHEMAS=1` to regenerate them.

use std::path::Path;

fn check(name: &str, schema: schemars::Schema) {
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(name);
    if std::env::var_os("MPE_UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schemas/{name} is stale: run `MPE_UPDATE_SCHEMAS=1 cargo test -p mpe --test schemas`"
    );
}

#[test]
fn consultation_schema() {
    check(
        "consultation.schema.json",
        schemars::schema_for!(mpe::model::Consultation),
    );
}

#[test]
fn organisation_schema() {
    check(
        "organisation.schema.json",
        schemars::schema_for!(mpe::model::Organisation),
    );
}

#[test]
fn constats_schema() {
    check(
        "constats.schema.json",
        schemars::schema_for!(Vec<mpe::rules::Constat>),
    );
}
