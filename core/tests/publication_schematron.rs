//! The native Schematron runner (`publication::ValidateurEforms`) on the eForms SDK's own
//! rules and examples (shared/data/eforms): the failed asserts of an `INVALID_*` example are
//! exactly those of the SDK's reference report (the full comparison with Saxon, on every
//! example, is tests/interop/test_eforms_valider.py), and each bad input has its code.
#![cfg(feature = "schematron")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use mpe::publication::{ReglesEforms, ValidateurEforms};
use mpe::{CodeErreur, Erreur};

/// MPE_EFORMS_SDK, else the first shared/data/eforms/1.15.1 above the crate (a missing
/// folder fails).
fn sdk() -> PathBuf {
    if let Some(d) = std::env::var_os("MPE_EFORMS_SDK") {
        return PathBuf::from(d);
    }
    let ici = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ici.ancestors()
        .map(|d| d.join("shared/data/eforms/1.15.1"))
        .find(|d| d.is_dir())
        .expect("shared/data/eforms/1.15.1 introuvable (MPE_EFORMS_SDK)")
}

fn regles() -> ReglesEforms {
    let d = sdk().join("schematrons/static");
    ReglesEforms::charger("1.15.1", |nom| {
        std::fs::read(d.join(nom)).map_err(|e| Erreur::new(CodeErreur::Es, e.to_string()))
    })
    .unwrap()
}

fn maintenant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap()
}

/// The (id, role) of the failed asserts of an SVRL report, read by hand (attribute order
/// varies: each `<svrl:failed-assert ...>` start tag is cut out, then its attributes).
fn reference(svrl: &str) -> BTreeSet<(String, String)> {
    let attribut = |balise: &str, nom: &str| -> Option<String> {
        let i = balise.find(&format!(" {nom}=\""))? + nom.len() + 3;
        Some(balise[i..i + balise[i..].find('"')?].to_string())
    };
    svrl.split("<svrl:failed-assert")
        .skip(1)
        .map(|s| {
            let balise = &s[..s.find('>').unwrap()];
            (
                attribut(balise, "id").unwrap(),
                attribut(balise, "role").unwrap_or_else(|| "ERROR".into()),
            )
        })
        .collect()
}

#[test]
fn regles_du_sdk_lues() {
    let r = regles();
    assert_eq!(r.version(), "1.15.1");
    assert_eq!(r.taille(), (12_768, 44_449));
    assert_eq!(r.phases().len(), 51);
    assert!(r.phases().contains(&"eforms-16") && r.phases().contains(&"eforms-X02"));
}

#[test]
fn invalide_comme_le_rapport_du_sdk() {
    let v = ValidateurEforms::new(regles());
    let sdk = sdk();
    for nom in ["INVALID_cn_24_multiple", "INVALID_cn_24_stage-1"] {
        let xml = std::fs::read_to_string(sdk.join(format!("examples/invalid-notices/{nom}.xml")))
            .unwrap();
        let r = v.valider(&xml, maintenant()).unwrap();
        assert_eq!(r.phase, "eforms-16");
        assert!(r.indetermines.is_empty(), "{:?}", r.indetermines);
        assert!(!r.valide);
        let obtenu: BTreeSet<(String, String)> = r
            .echecs
            .iter()
            .map(|e| (e.id.clone(), e.role.clone()))
            .collect();
        let mut attendu = reference(
            &std::fs::read_to_string(sdk.join(format!("examples/reports/{nom}.svrl"))).unwrap(),
        );
        if nom == "INVALID_cn_24_stage-1" {
            // Mandatory attribute rule added by SDK 1.15.0, after the reports were made
            // (tests/interop/test_eforms.py lists the same difference for Saxon).
            attendu.insert((
                "OPT-200-Organization-Company-Scheme_MA".into(),
                "ERROR".into(),
            ));
        }
        assert_eq!(obtenu, attendu, "{nom}");
    }
    // The element-not-empty rule's context (`//*[... normalize-space(text()) = '']`) fails
    // on elements with two text nodes: those nodes do not match, the others still do.
    let xml =
        std::fs::read_to_string(sdk.join("examples/invalid-notices/INVALID_cn_24_multiple.xml"))
            .unwrap();
    let r = v.valider(&xml, maintenant()).unwrap();
    let vide = r
        .echecs
        .iter()
        .find(|e| e.id == "element-not-empty")
        .unwrap();
    assert!(
        vide.emplacement.starts_with("/ContractNotice/"),
        "{}",
        vide.emplacement
    );
    assert_eq!(vide.texte, "rule|text|element-not-empty");
}

#[test]
fn exemple_valide() {
    let v = ValidateurEforms::new(regles());
    let xml =
        std::fs::read_to_string(sdk().join("examples/notices/cn_24_FRA_comments.xml")).unwrap();
    let r = v.valider(&xml, maintenant()).unwrap();
    assert!(r.valide, "{:?}", r.echecs);
    assert!(r.regles_declenchees > 100 && r.tests_evalues > 1000);
}

fn code<T: std::fmt::Debug>(r: mpe::Result<T>) -> CodeErreur {
    r.unwrap_err().code()
}

#[test]
fn entrees_mauvaises() {
    let v = ValidateurEforms::new(regles());
    let m = maintenant();
    assert_eq!(code(v.valider("<pas du xml", m)), CodeErreur::AvisIllisible);
    assert_eq!(
        code(v.valider("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", m)),
        CodeErreur::AvisIllisible
    );
    assert_eq!(
        code(v.valider(
            "<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
            m
        )),
        CodeErreur::AvisNonEforms
    );
    // An eForms root without subtype: no phase to pick.
    assert_eq!(
        code(v.valider("<ContractNotice xmlns='urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2'/>", m)),
        CodeErreur::PhaseInconnue
    );
    let xml =
        std::fs::read_to_string(sdk().join("examples/notices/cn_24_FRA_comments.xml")).unwrap();
    let inconnu = xml.replace(">16</cbc:SubTypeCode>", ">99</cbc:SubTypeCode>");
    assert_ne!(inconnu, xml);
    assert_eq!(code(v.valider(&inconnu, m)), CodeErreur::PhaseInconnue);
    assert_eq!(code(v.preparer("eforms-99")), CodeErreur::PhaseInconnue);
}

fn charger(fichiers: &[(&str, &str)]) -> mpe::Result<ValidateurEforms> {
    let r = ReglesEforms::charger("essai", |nom| {
        fichiers
            .iter()
            .find(|(n, _)| *n == nom)
            .map(|(_, t)| t.as_bytes().to_vec())
            .ok_or_else(|| Erreur::new(CodeErreur::Es, format!("{nom} absent")))
    })?;
    let v = ValidateurEforms::new(r);
    v.preparer("p")?;
    Ok(v)
}

const TETE: &str = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><phase id="p"><active pattern="m"/></phase>"#;

#[test]
fn regles_cassees() {
    let principal = mpe::publication::FICHIER_PRINCIPAL;
    let avec = |corps: &str| format!("{TETE}{corps}</schema>");
    let ok = avec(
        r#"<pattern id="m"><rule context="/*"><assert id="a" test="true()">t</assert></rule></pattern>"#,
    );
    assert!(charger(&[(principal, &ok)]).is_ok());
    // Not XML; not Schematron; an include missing; an include cycle; a phase naming no
    // pattern; XPath that does not compile.
    assert_eq!(
        code(charger(&[(principal, "<schema")])),
        CodeErreur::SchematronIllisible
    );
    assert_eq!(
        code(charger(&[(principal, "<schema/>")])),
        CodeErreur::SchematronIllisible
    );
    assert_eq!(
        code(charger(&[(principal, &avec(r#"<include href="x.sch"/>"#))])),
        CodeErreur::Es
    );
    let boucle = avec(r#"<pattern id="m"><include href="r.sch"/></pattern>"#);
    let r = r#"<include xmlns="http://purl.oclc.org/dsdl/schematron" href="r.sch"/>"#;
    assert_eq!(
        code(charger(&[(principal, &boucle), ("r.sch", r)])),
        CodeErreur::SchematronIllisible
    );
    assert_eq!(
        code(charger(&[(principal, &avec(""))])),
        CodeErreur::SchematronIllisible
    );
    let xpath = avec(
        r#"<pattern id="m"><rule context="/*"><assert id="a" test="(((">t</assert></rule></pattern>"#,
    );
    assert_eq!(
        code(charger(&[(principal, &xpath)])),
        CodeErreur::SchematronIllisible
    );
    // What mpe does not run is said so.
    let abstrait = avec(r#"<pattern id="m" abstract="true"/>"#);
    assert_eq!(
        code(charger(&[(principal, &abstrait)])),
        CodeErreur::SchematronNonPrisEnCharge
    );
    let xslt1 = ok.replace("xslt2", "xslt");
    assert_eq!(
        code(charger(&[(principal, &xslt1)])),
        CodeErreur::SchematronNonPrisEnCharge
    );
}

#[test]
fn semantique_iso() {
    // First rule wins per node within a pattern; report fails when true; lets at every
    // level; include relative to the including file.
    let principal = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="x" uri="urn:x"/>
  <let name="n" value="count(//x:b)"/>
  <phase id="p"><active pattern="m"/><active pattern="m2"/></phase>
  <include href="d/m.sch"/>
  <pattern id="m2"><rule context="x:b"><report id="r2" role="WARN" test="$n = 2">t</report></rule></pattern>
</schema>"#;
    let m = r#"<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="m">
  <let name="p" value="'b'"/>
  <rule context="x:b[@k]"><let name="k" value="string(@k)"/><assert id="r1" test="$k = $p">t1</assert></rule>
  <rule context="x:b"><assert id="jamais" test="false()">t</assert></rule>
  <rule context="x:a"><assert id="r3" test="@z">t3 <value-of select="1"/></assert></rule>
</pattern>"#;
    let v = charger(&[
        (mpe::publication::FICHIER_PRINCIPAL, principal),
        ("d/m.sch", m),
    ])
    .unwrap();
    let avis = r#"<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"><a xmlns="urn:x"><b k="c"/><b k="b"/></a></ContractNotice>"#;
    let r = v.valider_phase(avis, Some("p"), maintenant()).unwrap();
    let ids: Vec<(&str, &str, &str)> = r
        .echecs
        .iter()
        .map(|e| (e.id.as_str(), e.role.as_str(), e.emplacement.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("r1", "ERROR", "/ContractNotice/a/b[1]"),
            ("r3", "ERROR", "/ContractNotice/a"),
            ("r2", "WARN", "/ContractNotice/a/b[1]"),
            ("r2", "WARN", "/ContractNotice/a/b[2]"),
        ]
    );
    assert!(r.echecs[2].rapport && !r.echecs[0].rapport);
    assert_eq!(r.echecs[1].texte, "t3");
}
