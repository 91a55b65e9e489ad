//! The fuzz targets: each function feeds bytes from outside to one parser of mpe and checks
//! what must hold whatever the bytes (no panic — the harness catches it —, and the
//! invariants asserted here). One definition for both harnesses: the cargo-fuzz targets
//! (`fuzz/fuzz_targets/<cible>.rs`, coverage-guided) and the stable smoke run of the test
//! command (`core/tests/fuzz_fumee.rs`, blind mutation). Their seeds are listed in
//! `fuzz/graines.txt`.
//!
//! What a target may use is built once (`LazyLock`): a target is called millions of times.
#![allow(dead_code)]

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use mpe::crypto::cms::{Cle, OptionsDechiffrement};
use mpe::model::{Consultation, Organisation};
use mpe::procedure::{Acteur, Action, Contexte, Procedure};
use mpe::signature::{DonneesSignees, OptionsVerification};
use serde::Deserialize;

/// A target: takes any bytes; panics when an invariant breaks.
pub type Cible = fn(&[u8]);

/// Every target, by the name its cargo-fuzz binary, its seeds and its regressions use.
pub const CIBLES: &[(&str, Cible)] = &[
    ("signatures_cms", signatures_cms),
    ("signatures_pdf", signatures_pdf),
    ("signatures_xades", signatures_xades),
    ("enveloppes_cms", enveloppes_cms),
    ("certificats_et_cles", certificats_et_cles),
    ("dce_zip", dce_zip),
    ("modeles_docx", modeles_docx),
    ("decp_json", decp_json),
    ("decp_xml", decp_xml),
    ("consultations_json", consultations_json),
    ("actions_json", actions_json),
    ("journal_jsonl", journal_jsonl),
    ("listes_de_confiance", listes_de_confiance),
    ("avis_eforms", avis_eforms),
];

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.to_utc())
        .unwrap_or_default()
}

/// The test PKI's root and CRL as trust anchor: chains that reach it are built and judged,
/// so the chain, revocation and qualification code runs too, not only the parsing.
static OPTIONS_VERIFICATION: LazyLock<OptionsVerification> = LazyLock::new(|| {
    match OptionsVerification::depuis_pem(
        include_bytes!("../tests/vectors/signature/ca.pem"),
        vec![include_bytes!("../tests/vectors/signature/crl.der").to_vec()],
        Some(instant("2027-01-15T10:00:00Z")),
    ) {
        Ok(o) => o,
        Err(e) => panic!("racine de test illisible (tests/vectors/signature/ca.pem) : {e}"),
    }
});

/// The file a detached signature would cover: never the right one, but with it the
/// verification goes past "signed file missing" to the digest comparison and beyond.
const FICHIER_DETACHE: &[u8] = b"Offre de la soci\xc3\xa9t\xc3\xa9 Dupont\n";

/// CAdES and CMS SignedData (enveloping, detached, PEM), with their counter-signatures,
/// timestamps and CRLs.
pub fn signatures_cms(d: &[u8]) {
    let _ = mpe::signature::verifier(
        d,
        Some(DonneesSignees::Octets(FICHIER_DETACHE)),
        &OPTIONS_VERIFICATION,
    );
    let _ = mpe::signature::lire_crls(d);
}

/// PDF: the signature dictionaries, the revisions and what each changed.
pub fn signatures_pdf(d: &[u8]) {
    let _ = mpe::signature::verifier(d, None, &OPTIONS_VERIFICATION);
    let _ = mpe::signature::revisions_pdf(d, Default::default());
}

/// XAdES (enveloped, enveloping, detached) and XML-DSig.
pub fn signatures_xades(d: &[u8]) {
    let _ = mpe::signature::verifier(
        d,
        Some(DonneesSignees::Octets(FICHIER_DETACHE)),
        &OPTIONS_VERIFICATION,
    );
}

static BICLE_ALICE: LazyLock<Option<mpe::crypto::bicle::BiCle>> = LazyLock::new(|| {
    mpe::crypto::bicle::BiCle::lire(
        include_bytes!("../tests/vectors/crypto/alice.p12"),
        Some("secret"),
    )
    .ok()
});

/// CMS EnvelopedData / AuthEnvelopedData (every recipient kind, legacy ciphers allowed),
/// decrypted with alice's key: the recipient matching and the decryption run too.
pub fn enveloppes_cms(d: &[u8]) {
    let Some(bicle) = BICLE_ALICE.as_ref() else {
        panic!("clé d'alice illisible (tests/vectors/crypto/alice.p12)");
    };
    let cles = [Cle::Privee(bicle)];
    let _ = mpe::crypto::cms::dechiffrer(d, &cles, &OptionsDechiffrement { legacy: true });
}

/// Certificates (PEM, DER), private keys (PKCS#8, encrypted, PKCS#1, SEC1) and PKCS#12.
pub fn certificats_et_cles(d: &[u8]) {
    let _ = mpe::crypto::bicle::load_certificates(d);
    let _ = mpe::crypto::bicle::load_private_key(d, Some("secret"));
    let _ = mpe::crypto::bicle::BiCle::lire(d, Some("secret"));
}

/// A DCE as uploaded: a ZIP whose names, sizes and ratios are checked.
pub fn dce_zip(d: &[u8]) {
    let _ = mpe::rules::dce::valider(d);
}

/// A DOCX template, compiled and merged: well-formed in, well-formed out — what mpe writes,
/// mpe reads back.
pub fn modeles_docx(d: &[u8]) {
    let opts = mpe::documents::OptionsFusion {
        strict: false,
        ..Default::default()
    };
    if let Ok(m) = mpe::documents::ModeleDocx::compiler(d, &opts)
        && let Ok(sortie) = m.fusionner(&serde_json::json!({}))
        && let Err(e) = mpe::documents::ModeleDocx::compiler(sortie.as_slice(), &opts)
    {
        panic!("document fusionné illisible par mpe : {e}");
    }
}

fn decp(d: &[u8]) {
    let jour = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let src: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(d.to_vec()));
    if let Ok(l) =
        mpe::donnees::LecteurDecp::depuis_lecteur(src, mpe::donnees::OptionsImport::new(jour))
    {
        for _ in l {}
    }
}

/// DECP import, JSON (2019, 2022, 2024 formats, OCDS): streamed records, repairs, report.
pub fn decp_json(d: &[u8]) {
    decp(d)
}

/// DECP import, XML.
pub fn decp_xml(d: &[u8]) {
    decp(d)
}

/// A consultation as the host sends it, then its validation rules.
pub fn consultations_json(d: &[u8]) {
    if let Ok(c) = serde_json::from_slice::<Consultation>(d) {
        let _ = mpe::rules::valider(&c, None, instant("2026-11-02T09:00:00Z"));
    }
}

/// One step of [`actions_json`]'s input.
#[derive(Deserialize)]
struct Pas {
    maintenant: DateTime<Utc>,
    acteur: Acteur,
    #[serde(default)]
    action: Option<Action>,
}

#[derive(Deserialize)]
struct Creation {
    maintenant: DateTime<Utc>,
    acteur: Acteur,
}

/// A scenario (`tests/vectors/procedure/*.json`): the organisation, the consultation and its
/// creation when given (the reference scenario's otherwise), then the actions.
#[derive(Deserialize)]
struct Scenario {
    #[serde(default)]
    organisation: Option<Organisation>,
    #[serde(default)]
    consultation: Option<Consultation>,
    #[serde(default)]
    creation: Option<Creation>,
    #[serde(default)]
    etapes: Vec<Pas>,
}

static SCENARIO: LazyLock<Option<(Organisation, Consultation, Creation)>> = LazyLock::new(|| {
    let s: Scenario =
        serde_json::from_str(include_str!("../tests/vectors/procedure/scenario.json")).ok()?;
    Some((s.organisation?, s.consultation?, s.creation?))
});

/// Actions as the host sends them (JSON), applied to a procedure in turn. What must hold:
/// a refused action changes nothing; an accepted one is written to the journal, whose
/// export then verifies against the state's head; the state survives its JSON round trip
/// (hosts keep it as JSON between actions).
pub fn actions_json(d: &[u8]) {
    let Ok(s) = serde_json::from_slice::<Scenario>(d) else {
        return;
    };
    let Some((org_ref, consultation_ref, creation_ref)) = SCENARIO.as_ref() else {
        panic!("scénario de référence illisible (tests/vectors/procedure/scenario.json)");
    };
    let org = s.organisation.as_ref().unwrap_or(org_ref);
    let consultation = s.consultation.unwrap_or_else(|| consultation_ref.clone());
    let creation = s.creation.as_ref().unwrap_or(creation_ref);
    let ctx = Contexte {
        maintenant: creation.maintenant,
        acteur: &creation.acteur,
        organisation: org,
    };
    let Ok((mut p, mut journal)) = Procedure::nouvelle(consultation, &ctx) else {
        return;
    };
    for pas in &s.etapes {
        let Some(action) = &pas.action else { continue };
        let ctx = Contexte {
            maintenant: pas.maintenant,
            acteur: &pas.acteur,
            organisation: org,
        };
        let avant = p.clone();
        match p.appliquer(action, &ctx) {
            Ok(entrees) => journal.extend(entrees),
            Err(e) => assert!(
                p == avant,
                "{} refusée ({}) mais l'état a changé",
                action.nom(),
                e.code().name()
            ),
        }
    }
    let jsonl = match mpe::procedure::exporter_jsonl(&journal) {
        Ok(j) => j,
        Err(e) => panic!("journal non exportable : {e}"),
    };
    if let Err(e) = mpe::procedure::verifier_jsonl(&jsonl, Some(&p.journal)) {
        panic!("journal écrit par mpe refusé par mpe : {e}");
    }
    let etat = match serde_json::to_vec(&p) {
        Ok(e) => e,
        Err(e) => panic!("état non sérialisable : {e}"),
    };
    match serde_json::from_slice::<Procedure>(&etat) {
        Ok(relu) => assert!(relu == p, "l'état relu diffère de l'état écrit"),
        Err(e) => panic!("état écrit par mpe refusé par mpe : {e}"),
    }
}

/// A stored journal (JSON Lines), read and verified. What must hold: a journal that reads
/// is byte for byte what mpe would write for its entries (the hash covers the stored form).
pub fn journal_jsonl(d: &[u8]) {
    let Ok(texte) = std::str::from_utf8(d) else {
        return;
    };
    let Ok(entrees) = mpe::procedure::lire_jsonl(texte) else {
        return;
    };
    let _ = mpe::procedure::verifier_journal(&entrees, None);
    let ecrit: String = match mpe::procedure::exporter_jsonl(&entrees) {
        Ok(e) => e,
        Err(e) => panic!("entrées lues non exportables : {e}"),
    };
    let lu = texte.strip_suffix('\n').unwrap_or(texte);
    assert!(
        ecrit.strip_suffix('\n').unwrap_or(&ecrit) == lu,
        "journal accepté hors de la forme que mpe écrit"
    );
}

/// A trusted list (ETSI TS 119 612): read, then verified (signature, sequence, dates).
pub fn listes_de_confiance(d: &[u8]) {
    let opts = mpe::confiance::OptionsListe {
        certificats_annonces: vec![],
        date: instant("2026-12-01T00:00:00Z"),
        sequence_connue: None,
        territoire_annonce: None,
        pivot: false,
    };
    let _ = mpe::confiance::lire_liste(d);
    let _ = mpe::confiance::verifier_liste(d, &opts);
}

/// An eForms notice (UBL XML), read back into its summary.
pub fn avis_eforms(d: &[u8]) {
    if let Ok(t) = std::str::from_utf8(d) {
        let _ = mpe::publication::lire_avis(t);
    }
}
