//! JSON Schemas of the messagerie's public JSON (what C, PHP, Java and Python hosts send and
//! receive), generated from the types. This test fails when they are stale; run it with
//! `MPE_UPDATE_SCHEMAS=1` to regenerate them.

use std::path::Path;

fn check(name: &str, schema: schemars::Schema) {
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(name);
    if std::env::var_os("MPE_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schemas/{name} is stale: run `MPE_UPDATE_SCHEMAS=1 cargo test -p mpe --test messagerie_schemas`"
    );
}

#[test]
fn schemas_messagerie() {
    use mpe::messagerie::*;
    check(
        "demande_envoi.schema.json",
        schemars::schema_for!(DemandeEnvoi),
    );
    check("envoi.schema.json", schemars::schema_for!(Envoi));
    check(
        "evenement_courrier.schema.json",
        schemars::schema_for!(EvenementCourrier),
    );
    check(
        "registre_courriers.schema.json",
        schemars::schema_for!(RegistreCourriers),
    );
}
