//! The JSON Schemas of the command's own `--json` summaries (the library's JSON has its
//! schemas from `core/tests/schemas.rs`). This test fails when a file of `schemas/` is
//! stale; `MPE_UPDATE_SCHEMAS=1 cargo test -p mpe-cli schemas` rewrites them.
//! `tests/interop/test_schemas_sorties.py` validates the real outputs against them.

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn verifier(nom: &str, schema: schemars::Schema) {
        let texte = serde_json::to_string_pretty(&schema).expect("schéma") + "\n";
        let chemin = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../schemas")
            .join(nom);
        if std::env::var_os("MPE_UPDATE_SCHEMAS").is_some() {
            std::fs::write(&chemin, &texte).expect("écriture du schéma");
            return;
        }
        let engage = std::fs::read_to_string(&chemin).unwrap_or_default();
        assert!(
            engage == texte,
            "schemas/{nom} is stale: run `MPE_UPDATE_SCHEMAS=1 cargo test -p mpe-cli schemas`"
        );
    }

    #[test]
    fn schemas_des_resumes_json() {
        verifier(
            "resultat_export_decp.schema.json",
            schemars::schema_for!(crate::decp::ResultatExport<'static>),
        );
        verifier(
            "erreurs_decp.schema.json",
            schemars::schema_for!(Vec<crate::decp::ErreurEnregistrement>),
        );
        verifier(
            "compteurs_import.schema.json",
            schemars::schema_for!(crate::decp::Compteurs),
        );
        verifier(
            "rapport_import_global.schema.json",
            schemars::schema_for!(crate::decp::RapportGlobal),
        );
        verifier(
            "resultat_fusion.schema.json",
            schemars::schema_for!(crate::fusion::ResultatFusion<'static>),
        );
        verifier(
            "diagnostic.schema.json",
            schemars::schema_for!(crate::diagnostic::ResultatDiagnostic),
        );
        verifier(
            "identite_test.schema.json",
            schemars::schema_for!(crate::cles::IdentiteTestCreee),
        );
        verifier(
            "rapports_validation_avis.schema.json",
            schemars::schema_for!(Vec<crate::publication::RapportFichier<'static>>),
        );
        verifier(
            "etat_listes_confiance.schema.json",
            schemars::schema_for!(crate::tsl::EtatDossier),
        );
    }
}
