//! Every example notice of the eForms SDK (read in place under `../shared/data/eforms`) is
//! read back into a summary; malformed or foreign documents are typed errors with a place.

use std::path::PathBuf;

use mpe::CodeErreur;
use mpe::publication::lire_avis;

fn sdk() -> PathBuf {
    if let Some(p) = std::env::var_os("MPE_EFORMS_SDK") {
        return PathBuf::from(p);
    }
    let racine = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // The main checkout sits beside `shared/`; a worktree one level deeper.
    [
        racine.join("../../shared/data/eforms/1.15.1"),
        racine.join("../../../shared/data/eforms/1.15.1"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
    .expect("SDK eForms introuvable (../shared/data/eforms/1.15.1 ou MPE_EFORMS_SDK)")
}

/// The text of the first element `<balise ...>` of the file, by plain search: the expectation
/// does not come from the reader under test.
fn texte_de(xml: &str, balise: &str) -> Option<String> {
    let i = xml.find(&format!("<{balise}"))?;
    let debut = i + xml[i..].find('>')? + 1;
    let fin = debut + xml[debut..].find('<')?;
    Some(xml[debut..fin].trim().to_string())
}

#[test]
fn tous_les_exemples_du_sdk_sont_lus() {
    let mut n = 0;
    for dossier in ["examples/notices", "examples/invalid-notices"] {
        let mut fichiers: Vec<_> = std::fs::read_dir(sdk().join(dossier))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        fichiers.sort();
        for f in fichiers {
            let xml = std::fs::read_to_string(&f).unwrap();
            let nom = f.file_name().unwrap().to_string_lossy().into_owned();
            let r = lire_avis(&xml).unwrap_or_else(|e| panic!("{nom} : {e}"));
            let attendu = texte_de(&xml, "cbc:SubTypeCode").unwrap();
            assert_eq!(r.sous_type, attendu, "{nom}");
            assert_eq!(
                r.lots.len(),
                xml.matches("<cac:ProcurementProjectLot>").count(),
                "{nom}"
            );
            assert_eq!(
                r.identifiant,
                texte_de(&xml, "cbc:ID schemeName=\"notice-id\"").unwrap_or_default(),
                "{nom}"
            );
            if xml.contains("<cac:ProcurementProject>") && !nom.starts_with("INVALID_") {
                assert!(!r.titre.is_empty(), "{nom} : titre");
            }
            // The invalid examples have lots without identifier, on purpose.
            if !nom.starts_with("INVALID_") {
                for lot in &r.lots {
                    assert!(
                        !lot.identifiant.is_empty() && !lot.genre.is_empty(),
                        "{nom}"
                    );
                }
            }
            // Tender deadlines, or candidatures deadlines (two-phase procedures).
            let delais = xml.matches("<cac:TenderSubmissionDeadlinePeriod>").count()
                + xml
                    .matches("<cac:ParticipationRequestReceptionPeriod>")
                    .count();
            let lus = r.lots.iter().filter(|l| l.date_limite.is_some()).count();
            assert!(lus <= delais, "{nom}");
            if !nom.starts_with("INVALID_") && !nom.starts_with("X0") {
                assert!(!r.acheteurs.is_empty(), "{nom} : acheteur");
            }
            n += 1;
        }
    }
    assert_eq!(n, 92);
}

#[test]
fn exemple_francais() {
    let xml =
        std::fs::read_to_string(sdk().join("examples/notices/cn_24_FRA_comments.xml")).unwrap();
    let r = lire_avis(&xml).unwrap();
    assert_eq!(r.racine, "ContractNotice");
    assert_eq!(r.sous_type, "16");
    assert_eq!(r.type_avis, "cn-standard");
    assert_eq!(r.langue, "FRA");
    assert_eq!(r.procedure, "open");
    assert_eq!(
        r.identifiant_procedure,
        "e3cdabf1-e057-47a5-9210-b1f6fc757228"
    );
    assert_eq!(
        r.titre,
        "Service d'entretien de remise en état et de nettoyage des espaces verts"
    );
    assert_eq!(r.cpv_principal, "77310000");
    assert_eq!(r.acheteurs, vec!["Rouen Habitat"]);
    assert_eq!(
        r.date_envoi.unwrap().to_rfc3339(),
        "2019-05-10T00:00:00+01:00"
    );
    assert_eq!(r.lots[0].identifiant, "LOT-0001");
    assert_eq!(r.lots[0].genre, "Lot");
    assert!(r.lots[0].date_limite.is_some());
}

#[test]
fn documents_refuses() {
    let code = |x: &str| lire_avis(x).unwrap_err().code();
    assert_eq!(code(""), CodeErreur::AvisIllisible);
    assert_eq!(code("pas du XML"), CodeErreur::AvisIllisible);
    assert_eq!(
        code("<ContractNotice><a></b></ContractNotice>"),
        CodeErreur::AvisIllisible
    );
    assert_eq!(code("<ContractNotice><a>"), CodeErreur::AvisIllisible);
    assert_eq!(code("<Invoice/>"), CodeErreur::AvisNonEforms);
    assert_eq!(
        code("<Invoice><ID>1</ID></Invoice>"),
        CodeErreur::AvisNonEforms
    );
    // An eForms root without a subtype is not a notice.
    assert_eq!(
        code("<ContractNotice><ID>1</ID></ContractNotice>"),
        CodeErreur::AvisNonEforms
    );
    let dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><ContractNotice>&e;</ContractNotice>";
    assert_eq!(code(dtd), CodeErreur::AvisIllisible);
    let profond = format!("<ContractNotice>{}", "<a>".repeat(200));
    let e = lire_avis(&profond).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AvisIllisible);
    assert!(e.path().unwrap().starts_with("octet "));
    // A deadline that is not a date: the place is named.
    let xml = std::fs::read_to_string(sdk().join("examples/notices/cn_24_minimal.xml")).unwrap();
    let abime = xml.replacen(
        "<cbc:EndDate>2020-02-04+02:00</cbc:EndDate>",
        "<cbc:EndDate>2020-02-31+02:00</cbc:EndDate>",
        1,
    );
    assert_ne!(abime, xml);
    let e = lire_avis(&abime).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AvisIllisible);
    assert_eq!(e.path(), Some("LOT-0000/TenderSubmissionDeadlinePeriod"));
    let abime = xml.replacen(
        "<cbc:IssueDate>2019-11-21+01:00</cbc:IssueDate>",
        "<cbc:IssueDate>21/11/2019</cbc:IssueDate>",
        1,
    );
    assert_eq!(
        lire_avis(&abime).unwrap_err().code(),
        CodeErreur::AvisIllisible
    );
}
