//! XAdES / XML-DSig as others write them. Signatures made here by `xmlsec1` (libxml2's
//! canonicalization) in every shape the world uses — enveloped (enveloped-signature
//! transform, XPath 1.0, XPath Filter 2.0 subtract), enveloping (base64 and XML objects),
//! detached with several references —, with C14N 1.0, 1.1 and exclusive, with and without
//! comments, InclusiveNamespaces: mpe must find each VALIDE, and each tampered copy not.
//! Then the attack classes of the corpus, each refused by its own check. A missing tool or
//! corpus fails the test (no skip).

use std::path::{Path, PathBuf};
use std::process::Command;

use mpe::CodeErreur;
use mpe::signature::{
    self, DonneesSignees, OptionsVerification, RapportVerification, Signataire, Statut,
};

fn vecteurs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature")
}

/// The shared corpus: `MPE_CORPUS`, else `shared/corpus` beside one of the checkout's
/// ancestors (a worktree lives deeper than the main checkout).
fn corpus() -> PathBuf {
    if let Some(d) = std::env::var_os("MPE_CORPUS") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|d| d.join("expectations.json").is_file())
        .expect("corpus introuvable (MPE_CORPUS)")
}

fn date() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
        .unwrap()
        .to_utc()
}

fn opts() -> OptionsVerification {
    let ca = std::fs::read_to_string(vecteurs().join("ca.pem")).unwrap();
    OptionsVerification {
        ancres: Signataire::certificats_pem(&ca).unwrap(),
        date_verification: Some(date()),
        ..Default::default()
    }
}

const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const C14N_C: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
const C14N11_C: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const EXC_C: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const ENVELOPPEE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// Sign `template` with xmlsec1 in `dir` (files named by references are read there).
fn xmlsec1_signe(dir: &Path, template: &str, cle: &str, extra: &[&str]) -> Vec<u8> {
    std::fs::write(dir.join("tmpl.xml"), template).unwrap();
    let v = vecteurs();
    let out = Command::new("xmlsec1")
        .arg("--sign")
        .args(extra)
        .arg("--privkey-pem")
        .arg(format!(
            "{},{}",
            v.join(format!("{cle}.key")).display(),
            v.join(format!("{cle}.pem")).display()
        ))
        .args(["--output", "signe.xml", "tmpl.xml"])
        .current_dir(dir)
        .output()
        .expect("xmlsec1 introuvable");
    assert!(
        out.status.success(),
        "xmlsec1 --sign : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.join("signe.xml")).unwrap()
}

fn verifier(sig: &[u8], o: &OptionsVerification) -> mpe::Result<RapportVerification> {
    signature::verifier(sig, None, o)
}

fn code(r: &RapportVerification) -> Option<CodeErreur> {
    r.signatures
        .iter()
        .find(|s| s.statut != Statut::Valide)
        .and_then(|s| s.code)
}

fn signed_info(c14n: &str, refs: &str) -> String {
    format!(
        "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{c14n}\"/><ds:SignatureMethod Algorithm=\"{RSA_SHA256}\"/>{refs}</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>"
    )
}

fn reference(uri: &str, transforms: &str) -> String {
    let t = if transforms.is_empty() {
        String::new()
    } else {
        format!("<ds:Transforms>{transforms}</ds:Transforms>")
    };
    format!(
        "<ds:Reference URI=\"{uri}\">{t}<ds:DigestMethod Algorithm=\"{SHA256}\"/><ds:DigestValue/></ds:Reference>"
    )
}

fn transform(alg: &str) -> String {
    format!("<ds:Transform Algorithm=\"{alg}\"/>")
}

/// An enveloped signature in a document with a default namespace, a prefixed one,
/// comments, attributes out of order and non-ASCII text.
fn enveloppe(c14n: &str, transforms: &str) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<offre xmlns=\"urn:mpe:test\" xmlns:x=\"urn:x\" xml:lang=\"fr\"><!-- note -->\n",
            "  <lot z=\"2\" a=\"1\">Prix : 1 234,56 €</lot>\n  <x:note>texte &amp; &lt;balise&gt;</x:note>\n",
            "<ds:Signature xmlns:ds=\"{ds}\">{si}</ds:Signature></offre>\n"
        ),
        ds = DS,
        si = signed_info(c14n, &reference("", transforms)),
    )
}

fn assert_valide(sig: &[u8], quoi: &str) {
    let r = verifier(sig, &opts()).unwrap_or_else(|e| panic!("{quoi} : {e}"));
    assert_eq!(r.statut, Statut::Valide, "{quoi} : {r:#?}");
}

/// The same file with one text changed: no longer VALIDE.
fn assert_altere(sig: &[u8], de: &str, vers: &str, quoi: &str) {
    let t = String::from_utf8(sig.to_vec()).unwrap();
    assert!(t.contains(de), "{quoi} : « {de} » absent");
    let changed = t.replacen(de, vers, 1);
    let r = verifier(changed.as_bytes(), &opts()).unwrap();
    assert_eq!(r.statut, Statut::Invalide, "{quoi} altéré : {r:#?}");
    assert_eq!(code(&r), Some(CodeErreur::SignatureIntegrite), "{quoi}");
}

#[test]
fn enveloppees_toutes_canonicalisations() {
    let dir = tempfile::tempdir().unwrap();
    let exc_prefixes = format!(
        "<ds:Transform Algorithm=\"{EXC}\"><ec:InclusiveNamespaces xmlns:ec=\"{EXC}\" PrefixList=\"x #default\"/></ds:Transform>"
    );
    let cas: Vec<(&str, String)> = vec![
        (C14N, transform(ENVELOPPEE)),
        (C14N_C, format!("{}{}", transform(ENVELOPPEE), transform(C14N_C))),
        (C14N11, format!("{}{}", transform(ENVELOPPEE), transform(C14N11))),
        (C14N11_C, format!("{}{}", transform(ENVELOPPEE), transform(C14N11_C))),
        (EXC, format!("{}{}", transform(ENVELOPPEE), transform(EXC))),
        (EXC_C, format!("{}{}", transform(ENVELOPPEE), transform(EXC_C))),
        (EXC, format!("{}{exc_prefixes}", transform(ENVELOPPEE))),
        // XPath 1.0, as older signers write the enveloped transform.
        (
            C14N,
            "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>".into(),
        ),
        // XPath Filter 2.0 subtract.
        (
            EXC,
            format!(
                "<ds:Transform Algorithm=\"http://www.w3.org/2002/06/xmldsig-filter2\"><f:XPath xmlns:f=\"http://www.w3.org/2002/06/xmldsig-filter2\" Filter=\"subtract\">//ds:Signature</f:XPath></ds:Transform>{}",
                transform(EXC)
            ),
        ),
    ];
    for (c14n, t) in cas {
        let sig = xmlsec1_signe(dir.path(), &enveloppe(c14n, &t), "signataire", &[]);
        let quoi = format!("enveloppée {c14n} {t}");
        assert_valide(&sig, &quoi);
        assert_altere(&sig, "1 234,56", "9 234,56", &quoi);
        assert_altere(&sig, "z=\"2\"", "z=\"3\"", &quoi);
    }
}

#[test]
fn enveloppantes_base64_et_xml() {
    let dir = tempfile::tempdir().unwrap();
    let id = ["--id-attr:Id", "Object"];
    // A base64 object.
    let t = format!(
        "<?xml version=\"1.0\"?>\n<ds:Signature xmlns:ds=\"{DS}\">{}<ds:Object Id=\"obj\">T2ZmcmUgZW4gcGnDqGNlIGpvaW50ZQo=</ds:Object></ds:Signature>",
        signed_info(
            EXC,
            &reference(
                "#obj",
                &transform("http://www.w3.org/2000/09/xmldsig#base64")
            )
        )
    );
    let sig = xmlsec1_signe(dir.path(), &t, "signataire", &id);
    assert_valide(&sig, "enveloppante base64");
    assert_altere(&sig, "T2ZmcmUg", "T3ZmcmUg", "enveloppante base64");
    // An XML object, inclusive C14N 1.1 (inherits xml:* and namespaces), and the same
    // object with its comments (#xpointer(id()) keeps them).
    for (uri, t14) in [("#obj", C14N11), ("#xpointer(id('obj'))", C14N_C)] {
        let t = format!(
            "<?xml version=\"1.0\"?>\n<ds:Signature xmlns:ds=\"{DS}\" xmlns:m=\"urn:m\" xml:space=\"preserve\">{}<ds:Object Id=\"obj\"><m:pli b=\"2\" a=\"1\"><!--c--><m:lot>1</m:lot></m:pli></ds:Object></ds:Signature>",
            signed_info(C14N, &reference(uri, &transform(t14)))
        );
        let sig = xmlsec1_signe(dir.path(), &t, "signataire", &id);
        assert_valide(&sig, uri);
        assert_altere(&sig, "<m:lot>1", "<m:lot>2", uri);
        if uri.starts_with("#xpointer") {
            assert_altere(&sig, "<!--c-->", "<!--d-->", "commentaire signé");
        }
    }
}

#[test]
fn detachee_plusieurs_references_nommees() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("offre.pdf"), b"%PDF-1.7 offre").unwrap();
    std::fs::write(dir.path().join("annexe A.txt"), "Annexe à l'offre\n").unwrap();
    let t = format!(
        "<?xml version=\"1.0\"?>\n<ds:Signature xmlns:ds=\"{DS}\">{}</ds:Signature>",
        signed_info(
            EXC,
            &format!(
                "{}{}",
                reference("offre.pdf", ""),
                reference("annexe%20A.txt", "")
            )
        )
    );
    let sig = xmlsec1_signe(dir.path(), &t, "signataire", &[]);
    let docs = |a: &[u8]| OptionsVerification {
        documents_nommes: vec![
            ("offre.pdf".into(), b"%PDF-1.7 offre".to_vec()),
            ("annexe A.txt".into(), a.to_vec()),
        ],
        ..opts()
    };
    let r = verifier(&sig, &docs("Annexe à l'offre\n".as_bytes())).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    let r = verifier(&sig, &docs(b"autre annexe")).unwrap();
    assert_eq!(code(&r), Some(CodeErreur::SignatureIntegrite));
    // A document not given: a typed error, never INVALIDE.
    let une_seule = OptionsVerification {
        documents_nommes: vec![("offre.pdf".into(), b"%PDF-1.7 offre".to_vec())],
        ..opts()
    };
    let e = verifier(&sig, &une_seule).unwrap_err();
    assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
    // The unnamed "signed file" stands for a single detached reference only.
    let e = signature::verifier(&sig, Some(DonneesSignees::Octets(b"x")), &opts()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
}

#[test]
fn detachee_unique_par_le_fichier_signe() {
    let dir = tempfile::tempdir().unwrap();
    let data = "Offre de 12 pages\n".repeat(1000);
    std::fs::write(dir.path().join("offre.txt"), &data).unwrap();
    let t = format!(
        "<?xml version=\"1.0\"?>\n<ds:Signature xmlns:ds=\"{DS}\">{}</ds:Signature>",
        signed_info(C14N, &reference("offre.txt", ""))
    );
    let sig = xmlsec1_signe(dir.path(), &t, "signataire", &[]);
    // Streamed from a reader.
    let mut lecteur = std::io::Cursor::new(data.as_bytes());
    let r =
        signature::verifier(&sig, Some(DonneesSignees::Lecteur(&mut lecteur)), &opts()).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    let r = signature::verifier(&sig, Some(DonneesSignees::Octets(b"autre")), &opts()).unwrap();
    assert_eq!(code(&r), Some(CodeErreur::SignatureIntegrite));
    assert_eq!(
        verifier(&sig, &opts()).unwrap_err().code(),
        CodeErreur::FichierSigneManquant
    );
}

#[test]
fn reference_externe_non_fournie_refusee() {
    // mpe never fetches: a URL the host does not give is missing data, typed.
    let t = format!(
        "<ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{EXC}\"/><ds:SignatureMethod Algorithm=\"{RSA_SHA256}\"/><ds:Reference URI=\"https://example.invalid/offre.xml\"><ds:Transforms>{}</ds:Transforms><ds:DigestMethod Algorithm=\"{SHA256}\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>",
        transform(EXC)
    );
    let e = verifier(t.as_bytes(), &opts()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
    // A same-document reference to nothing: the signed data is not there.
    let t = t.replace("https://example.invalid/offre.xml", "#absent");
    let e = verifier(t.as_bytes(), &opts()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::XmlReferenceIntrouvable);
}

#[test]
fn ecdsa_p256_r_s() {
    let dir = tempfile::tempdir().unwrap();
    let t = enveloppe(EXC, &format!("{}{}", transform(ENVELOPPEE), transform(EXC))).replace(
        RSA_SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    );
    let sig = xmlsec1_signe(dir.path(), &t, "ecdsa", &[]);
    let r = verifier(&sig, &opts()).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures[0].schema, signature::SchemaSignature::Ecdsa);
    assert_altere(&sig, "1 234,56", "1 234,57", "ECDSA");
}

#[test]
fn hmac_non_supporte() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cle.bin"), b"secret partage").unwrap();
    let t = format!(
        "<?xml version=\"1.0\"?>\n<doc><a>1</a><ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{EXC}\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#hmac-sha256\"/>{}</ds:SignedInfo><ds:SignatureValue/></ds:Signature></doc>",
        reference("", &transform(ENVELOPPEE))
    );
    std::fs::write(dir.path().join("tmpl.xml"), t).unwrap();
    let out = Command::new("xmlsec1")
        .args([
            "--sign",
            "--hmackey",
            "cle.bin",
            "--output",
            "signe.xml",
            "tmpl.xml",
        ])
        .current_dir(dir.path())
        .output()
        .expect("xmlsec1 introuvable");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sig = std::fs::read(dir.path().join("signe.xml")).unwrap();
    let r = verifier(&sig, &opts()).unwrap();
    assert_eq!(r.statut, Statut::Indetermine, "{r:#?}");
    assert_eq!(code(&r), Some(CodeErreur::NonPrisEnCharge));
}

#[test]
fn algorithme_sans_uri_mal_forme() {
    let dir = tempfile::tempdir().unwrap();
    let sig = xmlsec1_signe(
        dir.path(),
        &enveloppe(EXC, &format!("{}{}", transform(ENVELOPPEE), transform(EXC))),
        "signataire",
        &[],
    );
    let t = String::from_utf8(sig)
        .unwrap()
        .replace(RSA_SHA256, "1.2.840.10045.3.1.7");
    let e = verifier(t.as_bytes(), &opts()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::SignatureMalformee);
}

// ---- Attack classes, each refused by its own check.

fn corpus_fichier(p: &str) -> Vec<u8> {
    std::fs::read(corpus().join(p)).unwrap_or_else(|e| panic!("{p} : {e}"))
}

fn sans_ancre() -> OptionsVerification {
    OptionsVerification::default()
}

#[test]
fn attaque_dtd() {
    let sig = corpus_fichier("signatures/xades/dss/xades-with-dtd-injection.xml");
    assert_eq!(
        verifier(&sig, &sans_ancre()).unwrap_err().code(),
        CodeErreur::XmlDtdInterdite
    );
    // An entity a DTD would have to define, without the DTD.
    let t = "<a>&xxe;<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></a>";
    assert_eq!(
        verifier(t.as_bytes(), &sans_ancre()).unwrap_err().code(),
        CodeErreur::XmlDtdInterdite
    );
}

#[test]
fn attaque_contre_signature_injectee() {
    let sig = corpus_fichier("signatures/xades/dss/xades-counter-signature-injected.xml");
    let r = verifier(&sig, &sans_ancre()).unwrap();
    assert_eq!(r.signatures.len(), 1, "{r:#?}");
    assert_eq!(r.statut, Statut::Invalide);
    // Reported inside the signature it claims to counter-sign.
    assert_eq!(r.signatures[0].contre_signatures.len(), 1);
    let contre = &r.signatures[0].contre_signatures[0];
    assert_eq!(contre.statut, Statut::Invalide);
    assert_eq!(
        contre.code,
        Some(CodeErreur::SignatureIntegrite),
        "{contre:#?}"
    );
    assert!(
        contre
            .raison
            .as_deref()
            .unwrap_or("")
            .contains("contre-signature"),
        "{contre:#?}"
    );
    // The main signature itself is intact (only the anchor is missing).
    assert_eq!(r.signatures[0].code, Some(CodeErreur::ChaineNonApprouvee));
}

#[test]
fn attaque_wrapping_signed_properties() {
    let sig = corpus_fichier("signatures/xades/dss/xsw/XSW-enveloped-fake-signedProperties.xml");
    assert_eq!(
        verifier(&sig, &sans_ancre()).unwrap_err().code(),
        CodeErreur::XmlEnveloppement
    );
}

#[test]
fn attaque_wrapping_objet_deplace() {
    let sig = corpus_fichier("signatures/xades/dss/xsw/XSW-enveloping-fake-object.xml");
    assert_eq!(
        verifier(&sig, &sans_ancre()).unwrap_err().code(),
        CodeErreur::XmlEnveloppement
    );
    // The same attack on a signature made here, and the Id given twice.
    let dir = tempfile::tempdir().unwrap();
    let t = format!(
        "<?xml version=\"1.0\"?>\n<ds:Signature xmlns:ds=\"{DS}\">{}<ds:Object Id=\"obj\">T2ZmcmU=</ds:Object></ds:Signature>",
        signed_info(
            EXC,
            &reference(
                "#obj",
                &transform("http://www.w3.org/2000/09/xmldsig#base64")
            )
        )
    );
    let sig = String::from_utf8(xmlsec1_signe(
        dir.path(),
        &t,
        "signataire",
        &["--id-attr:Id", "Object"],
    ))
    .unwrap();
    assert_valide(sig.as_bytes(), "enveloppante");
    let objet = "<ds:Object Id=\"obj\">T2ZmcmU=</ds:Object>";
    let deplace = sig.replace(
        objet,
        &format!("<ds:Object>RmF1eA==</ds:Object><ds:Object><w>{objet}</w></ds:Object>"),
    );
    assert_eq!(
        verifier(deplace.as_bytes(), &opts()).unwrap_err().code(),
        CodeErreur::XmlEnveloppement
    );
    let double = sig.replace(
        objet,
        &format!("{objet}<ds:Object Id=\"obj\">RmF1eA==</ds:Object>"),
    );
    assert_eq!(
        verifier(double.as_bytes(), &opts()).unwrap_err().code(),
        CodeErreur::XmlEnveloppement
    );
}

#[test]
fn certificat_signataire_reference_fausse() {
    let sig = corpus_fichier("signatures/xades/dss/xades-wrong-sign-cert-digest.xml");
    let r = verifier(&sig, &sans_ancre()).unwrap();
    assert_eq!(r.statut, Statut::Invalide, "{r:#?}");
    assert_eq!(r.signatures[0].reference_certificat, Some(false));
}
