//! The legacy SubFilter `adbe.x509.rsa_sha1`: a PKCS#1 v1.5 RSA signature in `/Contents`
//! (OCTET STRING or raw), the certificate(s) in `/Cert` (string or array). Each PDF is
//! written here by hand and signed by openssl (`openssl dgst -sign` over the `/ByteRange`
//! bytes), and openssl's `dgst -verify` is the oracle mpe must agree with. No stock PDF
//! tool verifies this SubFilter (pdfsig 22.12 answers "unknown", pyHanko does not list
//! it), hence openssl on the signed bytes themselves.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test helpers panic on broken fixtures

use std::path::Path;
use std::process::Command;

use mpe::CodeErreur;
use mpe::signature::{
    self, AlgorithmeEmpreinte, OptionsVerification, RapportSignature, SousIndication, Statut,
};

fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl introuvable")
}

/// A self-signed RSA identity in `dir`: `<nom>.key`, `<nom>.pem`, `<nom>.der`.
fn identite(dir: &Path, nom: &str) {
    let key = format!("{nom}.key");
    let pem = format!("{nom}.pem");
    let der = format!("{nom}.der");
    let subj = format!("/CN={nom}");
    let o = openssl(
        dir,
        &[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &pem,
            "-subj", &subj, "-days", "3650", "-sha256",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = openssl(dir, &["x509", "-in", &pem, "-outform", "DER", "-out", &der]);
    assert!(o.status.success());
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// Size of the `/Contents` hole (hex digits).
const TROU: usize = 1024;

/// A one-page PDF with one signature field whose dictionary has `cert` as its `/Cert`
/// value (`None`: no `/Cert`), the `/ByteRange` filled and `/Contents` left at zeros.
/// Returns the file and the hole `[b, c)`.
fn pdf_a_signer(cert: Option<&str>) -> (Vec<u8>, usize, usize) {
    let cert = cert.map(|c| format!("/Cert {c}")).unwrap_or_default();
    // Signed now: the certificates are made by the test.
    let m = chrono::Utc::now().format("D:%Y%m%d%H%M%SZ");
    let objets = [
        "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]/SigFlags 3>>>>".to_string(),
        "<</Type/Pages/Kids[3 0 R]/Count 1>>".to_string(),
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Annots[4 0 R]>>".to_string(),
        "<</Type/Annot/Subtype/Widget/FT/Sig/Rect[0 0 0 0]/T(Signature1)/V 5 0 R/P 3 0 R/F 132>>"
            .to_string(),
        format!(
            "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.x509.rsa_sha1{cert}/M({m})/ByteRange [0 XXXXXXXXXX YYYYYYYYYY ZZZZZZZZZZ]/Contents <{}>>>",
            "0".repeat(TROU)
        ),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objets.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objets.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objets.len() + 1
        )
        .as_bytes(),
    );
    let t = String::from_utf8_lossy(&pdf).into_owned();
    let b = t.find("/Contents <").unwrap() + "/Contents ".len();
    let c = b + TROU + 2;
    let br = format!("[0 {b:<10} {c:<10} {:<10}]", pdf.len() - c);
    let p = t.find("[0 XXXXXXXXXX").unwrap();
    pdf.splice(p..p + br.len(), br.bytes());
    (pdf, b, c)
}

/// The bytes `/ByteRange` covers.
fn plages(pdf: &[u8], b: usize, c: usize) -> Vec<u8> {
    [&pdf[..b], &pdf[c..]].concat()
}

/// openssl's signature (`dgst -<digest> -sign`) of the covered bytes with `<signataire>.key`.
fn signer_openssl(
    dir: &Path,
    pdf: &[u8],
    b: usize,
    c: usize,
    digest: &str,
    signataire: &str,
) -> Vec<u8> {
    std::fs::write(dir.join("plages.bin"), plages(pdf, b, c)).unwrap();
    let key = format!("{signataire}.key");
    let o = openssl(
        dir,
        &[
            "dgst",
            &format!("-{digest}"),
            "-sign",
            &key,
            "-out",
            "sig.bin",
            "plages.bin",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(dir.join("sig.bin")).unwrap()
}

/// openssl's verdict on the covered bytes of `pdf` with `sig` and `<nom>.pem`'s key.
fn openssl_verifie(
    dir: &Path,
    pdf: &[u8],
    b: usize,
    c: usize,
    digest: &str,
    sig: &[u8],
    nom: &str,
) -> bool {
    std::fs::write(dir.join("plages.bin"), plages(pdf, b, c)).unwrap();
    std::fs::write(dir.join("sig.bin"), sig).unwrap();
    let o = openssl(
        dir,
        &[
            "x509",
            "-in",
            &format!("{nom}.pem"),
            "-pubkey",
            "-noout",
            "-out",
            "pub.pem",
        ],
    );
    assert!(o.status.success());
    let o = openssl(
        dir,
        &[
            "dgst",
            &format!("-{digest}"),
            "-verify",
            "pub.pem",
            "-signature",
            "sig.bin",
            "plages.bin",
        ],
    );
    String::from_utf8_lossy(&o.stdout).contains("Verified OK")
}

/// `value` written into the `/Contents` hole (hex, zero padded).
fn remplir(pdf: &mut [u8], b: usize, value: &[u8]) {
    let h = hex(value);
    assert!(h.len() <= TROU);
    pdf[b + 1..b + 1 + h.len()].copy_from_slice(h.as_bytes());
}

/// DER OCTET STRING around a 256-byte value.
fn octet_string(v: &[u8]) -> Vec<u8> {
    let mut o = vec![0x04, 0x82, (v.len() >> 8) as u8, v.len() as u8];
    o.extend_from_slice(v);
    o
}

fn opts(dir: &Path) -> OptionsVerification {
    OptionsVerification {
        ancres: signature::certificats(&std::fs::read(dir.join("alice.pem")).unwrap()).unwrap(),
        ..Default::default()
    }
}

fn une(pdf: &[u8], dir: &Path) -> RapportSignature {
    let r = signature::verifier(pdf, None, &opts(dir)).unwrap();
    assert_eq!(r.signatures.len(), 1);
    r.signatures[0].clone()
}

struct Banc {
    dir: tempfile::TempDir,
    cert_hex: String,
}

fn banc() -> Banc {
    let dir = tempfile::tempdir().unwrap();
    identite(dir.path(), "alice");
    identite(dir.path(), "mallory");
    let cert_hex = hex(&std::fs::read(dir.path().join("alice.der")).unwrap());
    Banc { dir, cert_hex }
}

#[test]
fn sha1_enveloppee_valide_et_obsolete() {
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(Some(&format!("<{}>", t.cert_hex)));
    let sig = signer_openssl(d, &pdf, b, c, "sha1", "alice");
    assert!(openssl_verifie(d, &pdf, b, c, "sha1", &sig, "alice"));
    remplir(&mut pdf, b, &octet_string(&sig));
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Valide, "{s:?}");
    assert!(s.integrite && s.signature_valide);
    assert_eq!(s.algorithme_empreinte, AlgorithmeEmpreinte::Sha1);
    // SHA-1 verifies but is legacy: reported, never "adapté".
    assert!(s.algorithme_obsolete);
    assert!(!s.adapte_marches_publics);
}

#[test]
fn valeur_brute_et_cert_en_tableau() {
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(Some(&format!("[<{}>]", t.cert_hex)));
    let sig = signer_openssl(d, &pdf, b, c, "sha1", "alice");
    remplir(&mut pdf, b, &sig);
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Valide, "{s:?}");
}

#[test]
fn sha256_sous_ce_subfilter() {
    // Acrobat also wrote SHA-256 DigestInfos under this SubFilter: the digest is the one
    // the signature carries.
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(Some(&format!("<{}>", t.cert_hex)));
    let sig = signer_openssl(d, &pdf, b, c, "sha256", "alice");
    remplir(&mut pdf, b, &octet_string(&sig));
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Valide, "{s:?}");
    assert_eq!(s.algorithme_empreinte, AlgorithmeEmpreinte::Sha256);
}

#[test]
fn octet_modifie_invalide_comme_pour_openssl() {
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(Some(&format!("<{}>", t.cert_hex)));
    let sig = signer_openssl(d, &pdf, b, c, "sha1", "alice");
    remplir(&mut pdf, b, &octet_string(&sig));
    // The page's MediaBox, inside the signed bytes.
    let p = String::from_utf8_lossy(&pdf).find("0 0 200 200").unwrap();
    pdf[p + 4] = b'9';
    assert!(!openssl_verifie(d, &pdf, b, c, "sha1", &sig, "alice"));
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Invalide, "{s:?}");
    assert!(!s.integrite);
    assert_eq!(s.sous_indication, Some(SousIndication::HashFailure));
    assert_eq!(s.code, Some(CodeErreur::SignatureIntegrite));
}

#[test]
fn autre_cle_invalide() {
    // Signed by mallory, /Cert says alice: the value does not open with alice's key.
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(Some(&format!("<{}>", t.cert_hex)));
    let sig = signer_openssl(d, &pdf, b, c, "sha1", "mallory");
    assert!(!openssl_verifie(d, &pdf, b, c, "sha1", &sig, "alice"));
    remplir(&mut pdf, b, &octet_string(&sig));
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Invalide, "{s:?}");
    assert_eq!(s.code, Some(CodeErreur::SignatureInvalide));
    assert_eq!(s.sous_indication, Some(SousIndication::SigCryptoFailure));
}

#[test]
fn disposition_inconnue_non_supportee() {
    // A DER structure (a CMS under the wrong SubFilter, say): neither an OCTET STRING
    // nor a raw value of the key's size.
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, _) = pdf_a_signer(Some(&format!("<{}>", t.cert_hex)));
    remplir(&mut pdf, b, &[0x30, 0x03, 0x02, 0x01, 0x01]);
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Indetermine, "{s:?}");
    assert_eq!(s.code, Some(CodeErreur::NonPrisEnCharge));
    assert!(s.non_supporte.is_some());
}

#[test]
fn empreinte_inconnue_non_supportee() {
    // An MD5 DigestInfo opens fine but names a digest mpe does not verify.
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(Some(&format!("<{}>", t.cert_hex)));
    let sig = signer_openssl(d, &pdf, b, c, "md5", "alice");
    remplir(&mut pdf, b, &octet_string(&sig));
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Indetermine, "{s:?}");
    assert_eq!(s.code, Some(CodeErreur::AlgorithmeNonSupporte));
}

#[test]
fn sans_cert_indetermine() {
    let t = banc();
    let d = t.dir.path();
    let (mut pdf, b, c) = pdf_a_signer(None);
    let sig = signer_openssl(d, &pdf, b, c, "sha1", "alice");
    remplir(&mut pdf, b, &octet_string(&sig));
    let s = une(&pdf, d);
    assert_eq!(s.statut, Statut::Indetermine, "{s:?}");
    assert_eq!(s.code, Some(CodeErreur::CertificatSignataireIntrouvable));
}
