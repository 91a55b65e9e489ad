//! `mpe valider` and the command's conventions: exit codes, French help, JSON output.

use std::process::Command;

fn mpe() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mpe"))
}

fn data(name: &str) -> String {
    format!("{}/../examples/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn valid_consultation_exits_0_with_json_findings() {
    let out = mpe()
        .args([
            "valider",
            &data("consultation.json"),
            "--organisation",
            &data("organisation.json"),
        ])
        .args(["--maintenant", "2026-11-02T09:00:00Z", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["gravite"] != "erreur")
    );
}

#[test]
fn findings_with_errors_exit_5() {
    let dir = tempfile::tempdir().unwrap();
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("consultation.json")).unwrap()).unwrap();
    c["identification"]["reference"] = "AOO 2026".into();
    let path = dir.path().join("c.json");
    std::fs::write(&path, c.to_string()).unwrap();
    let out = mpe()
        .args([
            "valider",
            path.to_str().unwrap(),
            "--maintenant",
            "2026-11-02T09:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stdout).contains("REFERENCE_INVALIDE"));
}

#[test]
fn errors_print_their_code_and_exit_3_plus_family() {
    let out = mpe()
        .args(["valider", "/nonexistent/c.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("erreur ES (103)"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(&path, "{").unwrap();
    let out = mpe()
        .args(["valider", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON_INVALIDE (102)"));
}

#[test]
fn usage_errors_exit_3_and_help_is_french() {
    let out = mpe().arg("--inconnu").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let out = mpe().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Exemples"), "{help}");
    assert!(help.contains("Codes de sortie"), "{help}");
}
