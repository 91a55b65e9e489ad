//! The buyer's DUME (ESPD request) written from the example consultation in ESPD-EDM 2.1.1
//! and 4.1.0, read back; the official ESPD-EDM examples (1.0.2, 2.1.1, 4.1.0, requests and
//! responses, in shared/data/espd) read; a response compared with the request and the pli's
//! company; every malformed or foreign document refused with its typed code. The XSD check of
//! the requests is `tests/interop/test_dume.py` (lxml, the official schemas).

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use mpe::CodeErreur;
use mpe::model::{Consultation, IdentifiantEntreprise, Organisation, TypeDume};
use mpe::publication::{NatureDume, VersionDume, comparer_dume, generer_dume_demande, lire_dume};

fn entrees() -> (Consultation, Organisation) {
    let c = Consultation::from_json(include_str!("../../examples/data/consultation.json")).unwrap();
    let o = serde_json::from_str(include_str!("../../examples/data/organisation.json")).unwrap();
    (c, o)
}

fn maintenant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap()
}

/// MPE_ESPD, else the first shared/data/espd above the crate (a missing folder fails).
fn espd() -> PathBuf {
    if let Some(d) = std::env::var_os("MPE_ESPD") {
        return PathBuf::from(d);
    }
    let ici = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ici.ancestors()
        .map(|d| d.join("shared/data/espd"))
        .find(|d| d.is_dir())
        .expect("shared/data/espd introuvable (MPE_ESPD)")
}

#[test]
fn demande_ecrite_et_relue() {
    let (c, o) = entrees();
    assert_eq!(c.dume.type_dume, Some(TypeDume::Simplifie));
    for v in [VersionDume::V2_1_1, VersionDume::V4_1_0] {
        let d = generer_dume_demande(&c, &o, v, maintenant()).unwrap();
        assert_eq!(d.version, v);
        assert_eq!(d.criteres.len(), 24 + 2 + 3);
        assert_eq!(d.criteres[24..26], ["gen-year-to", "year-manpower"]);
        assert_eq!(
            generer_dume_demande(&c, &o, v, maintenant()).unwrap().xml,
            d.xml,
            "mêmes entrées, mêmes octets"
        );
        let r = lire_dume(d.xml.as_bytes()).unwrap();
        assert_eq!(r.nature, NatureDume::Demande);
        assert_eq!(r.version, v.libelle());
        assert_eq!(r.identifiant_procedure, "AOO_2026/0611");
        assert_eq!(r.acheteur, "Ville de Villeurbanne");
        assert_eq!(r.lots, ["LOT-0001", "LOT-0002", "LOT-0003"]);
        assert_eq!(r.criteres.len(), d.criteres.len());
        assert_eq!(r.reponses, 0);
        assert!(r.entreprise.is_none());
    }
    // A standard DUME asks the selection criteria of the consultation's categories.
    let mut s = c.clone();
    s.dume.type_dume = Some(TypeDume::Standard);
    s.lots[1].categorie = mpe::model::CategoriePrincipale::Services;
    let d = generer_dume_demande(&s, &o, VersionDume::V4_1_0, maintenant()).unwrap();
    for code in [
        "trade-regist",
        "indem-insu",
        "work-perform",
        "service-perform",
    ] {
        assert!(d.criteres.iter().any(|x| x == code), "{code}");
    }
    assert!(!d.criteres.iter().any(|x| x == "supply-perform"));
    // Version 1.0.2 is read, not written.
    let e = generer_dume_demande(&c, &o, VersionDume::V1_0_2, maintenant()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DumeVersionNonPriseEnCharge);
    assert_eq!(
        VersionDume::depuis("5.0.0").unwrap_err().code(),
        CodeErreur::DumeVersionNonPriseEnCharge
    );
}

#[test]
fn exemples_officiels_lus() {
    let e = espd();
    // The EXTENDED examples of the 2.1.1 release still declare 2.0 (the schemeVersionID of
    // cbc:VersionID, whose text "1.0" is the content's version): the version read is the one
    // declared.
    let cas = [
        (
            "1.0.2/examples/all_exclusion_criteria_selected.xml",
            NatureDume::Demande,
            "1.x",
        ),
        (
            "1.0.2/examples/all_selection_criteria_selected.xml",
            NatureDume::Demande,
            "1.x",
        ),
        (
            "1.0.2/examples/request_other_information_full_import.xml",
            NatureDume::Demande,
            "1.x",
        ),
        (
            "1.0.2/examples/espd-response-20161101-full.xml",
            NatureDume::Reponse,
            "1.x",
        ),
        (
            "2.1.1/examples/BASIC-ESPDRequest-2.1.1.xml",
            NatureDume::Demande,
            "2.1.1",
        ),
        (
            "2.1.1/examples/EXTENDED-ESPDRequest-2.1.1.xml",
            NatureDume::Demande,
            "2.0",
        ),
        (
            "2.1.1/examples/BASIC-ESPDResponse-2.1.1.xml",
            NatureDume::Reponse,
            "2.1.1",
        ),
        (
            "2.1.1/examples/EXTENDED-ESPDResponse-2.1.1.xml",
            NatureDume::Reponse,
            "2.0",
        ),
        (
            "4.1.0/examples/ESPD-Request.xml",
            NatureDume::Demande,
            "4.1.0",
        ),
        (
            "4.1.0/examples/ESPD-Response.xml",
            NatureDume::Reponse,
            "4.1.0",
        ),
    ];
    for (f, nature, version) in cas {
        let xml = std::fs::read(e.join(f)).unwrap();
        let r = lire_dume(&xml).unwrap_or_else(|err| panic!("{f}: {err}"));
        assert_eq!(r.nature, nature, "{f}");
        assert_eq!(r.version, version, "{f}");
        assert!(!r.criteres.is_empty(), "{f}");
        assert!(!r.identifiant_procedure.is_empty(), "{f}");
        if nature == NatureDume::Reponse {
            let i = r.entreprise.as_ref().unwrap_or_else(|| panic!("{f}"));
            assert!(
                !i.identifiants.is_empty() && !i.nom.is_empty(),
                "{f}: {i:?}"
            );
            assert!(r.reponses > 0, "{f}");
        } else {
            assert_eq!(r.reponses, 0, "{f}");
        }
    }
    // The 4.1.0 request asks every criterion of the code list (62).
    let r = lire_dume(&std::fs::read(e.join("4.1.0/examples/ESPD-Request.xml")).unwrap()).unwrap();
    assert_eq!(r.criteres.len(), 62);
}

#[test]
fn reponse_comparee_a_la_demande() {
    let e = espd();
    let demande =
        lire_dume(&std::fs::read(e.join("4.1.0/examples/ESPD-Request.xml")).unwrap()).unwrap();
    let reponse =
        lire_dume(&std::fs::read(e.join("4.1.0/examples/ESPD-Response.xml")).unwrap()).unwrap();
    let id = reponse.entreprise.as_ref().unwrap().identifiants[0].clone();
    let societe = IdentifiantEntreprise::Etranger {
        pays: "BE".into(),
        numero: id.clone(),
    };
    let ecarts = comparer_dume(&reponse, &demande, &societe);
    assert!(
        !ecarts
            .iter()
            .any(|x| x.sujet == "identite" || x.sujet == "nature"),
        "{ecarts:#?}"
    );
    // Another company: flagged.
    let autre = IdentifiantEntreprise::Siret("51802345600024".into());
    let ecarts = comparer_dume(&reponse, &demande, &autre);
    assert!(ecarts.iter().any(|x| x.sujet == "identite"), "{ecarts:#?}");
    // The request of mpe's consultation: another procedure, other lots.
    let (c, o) = entrees();
    let d = generer_dume_demande(&c, &o, VersionDume::V4_1_0, maintenant()).unwrap();
    let notre = lire_dume(d.xml.as_bytes()).unwrap();
    let ecarts = comparer_dume(&reponse, &notre, &societe);
    assert!(ecarts.iter().any(|x| x.sujet == "procedure"));
    assert!(ecarts.iter().any(|x| x.sujet == "lot"), "{ecarts:#?}");
    // A request given as a response.
    let ecarts = comparer_dume(&demande, &notre, &societe);
    assert!(ecarts.iter().any(|x| x.sujet == "nature"));
    // A criterion of the request left out of the response.
    let mut partielle = reponse.clone();
    partielle.criteres.retain(|x| x != "crime-org");
    let ecarts = comparer_dume(&partielle, &demande, &societe);
    assert!(
        ecarts
            .iter()
            .any(|x| x.sujet == "critere" && x.message.contains("crime-org"))
    );
}

#[test]
fn documents_mal_formes_ou_etrangers() {
    let cas: &[(&[u8], CodeErreur)] = &[
        (b"", CodeErreur::DumeIllisible),
        (b"<QualificationApplicationRequest xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2\"><a>", CodeErreur::DumeIllisible),
        (b"<QualificationApplicationRequest xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2\"><a></b></QualificationApplicationRequest>", CodeErreur::DumeIllisible),
        (b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", CodeErreur::DumeIllisible),
        (b"<QualificationApplicationRequest xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2\"><cbc:ID xmlns:cbc=\"x\">&inconnue;</cbc:ID></QualificationApplicationRequest>", CodeErreur::DumeIllisible),
        (b"<ContractNotice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2\"/>", CodeErreur::DumeNonEspd),
        (b"<QualificationApplicationRequest xmlns=\"urn:exemple:autre\"></QualificationApplicationRequest>", CodeErreur::DumeNonEspd),
        (b"<QualificationApplicationRequest xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2\"/>", CodeErreur::DumeNonEspd),
        (b"<html><body/></html>", CodeErreur::DumeNonEspd),
    ];
    for (xml, code) in cas {
        let e = lire_dume(xml).unwrap_err();
        assert_eq!(e.code(), *code, "{}", String::from_utf8_lossy(xml));
        assert!(
            e.path().is_some(),
            "{}: la place de la faute",
            String::from_utf8_lossy(xml)
        );
    }
    // Absurd nesting is refused, with the offset of the fault.
    let mut profond = String::from(
        "<QualificationApplicationRequest xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:QualificationApplicationRequest-2\">",
    );
    profond.push_str(&"<a>".repeat(100));
    let e = lire_dume(profond.as_bytes()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DumeIllisible);
    assert!(e.path().unwrap().starts_with("octet "));
    // A truncated official response.
    let xml = std::fs::read(espd().join("4.1.0/examples/ESPD-Response.xml")).unwrap();
    let e = lire_dume(&xml[..xml.len() / 2]).unwrap_err();
    assert_eq!(e.code(), CodeErreur::DumeIllisible);
}

#[test]
fn reponse_tronquee_ou_alteree_sans_panique() {
    // Every prefix and a byte flipped anywhere: a typed error or a summary, never a panic.
    let xml = std::fs::read(espd().join("2.1.1/examples/BASIC-ESPDResponse-2.1.1.xml")).unwrap();
    let pas = (xml.len() / 150).max(1);
    for n in (0..xml.len()).step_by(pas) {
        if let Err(e) = lire_dume(&xml[..n]) {
            assert!(
                matches!(
                    e.code(),
                    CodeErreur::DumeIllisible | CodeErreur::DumeNonEspd
                ),
                "{n}: {e}"
            );
        }
        let mut abime = xml.clone();
        abime[n] ^= 0x5a;
        if let Err(e) = lire_dume(&abime) {
            assert!(
                matches!(
                    e.code(),
                    CodeErreur::DumeIllisible | CodeErreur::DumeNonEspd
                ),
                "{n}: {e}"
            );
        }
    }
}
