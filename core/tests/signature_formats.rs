//! Signing and verification of the three formats, from Rust, with the bad inputs the
//! issue lists (each its code, never a panic).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test helpers panic on broken fixtures

use std::path::PathBuf;
use std::process::Command;

use chrono::{DateTime, Utc};
use mpe::CodeErreur;
use mpe::signature::{
    self, AlgorithmeEmpreinte, Apparence, DonneesSignees, FormatSignature, Niveau,
    OptionsSignature, OptionsVerification, RapportVerification, SchemaSignature, Signataire,
    SousIndication, Statut,
};

fn vec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature")
}
fn read(name: &str) -> Vec<u8> {
    std::fs::read(vec_dir().join(name)).unwrap()
}
fn text(name: &str) -> String {
    std::fs::read_to_string(vec_dir().join(name)).unwrap()
}
fn date() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
        .unwrap()
        .to_utc()
}
fn signer(who: &str) -> Signataire {
    Signataire::from_pem(&text(&format!("{who}.key")), &text(&format!("{who}.pem"))).unwrap()
}
fn verif() -> OptionsVerification {
    OptionsVerification {
        ancres: Signataire::certificats_pem(&text("ca.pem")).unwrap(),
        date_verification: Some(date()),
        ..Default::default()
    }
}
fn opts(name: &str) -> OptionsSignature {
    let mut o = OptionsSignature::new(date());
    o.nom_fichier = Some(name.into());
    o
}
const DATA: &[u8] = b"Offre de l'entreprise Test pour le lot 1\n";

fn sign(format: FormatSignature, data: &[u8], s: &Signataire) -> Vec<u8> {
    signature::signer(format, DonneesSignees::Octets(data), s, &opts("offre.txt")).unwrap()
}
fn verify(sig: &[u8], data: Option<&[u8]>) -> RapportVerification {
    signature::verifier(sig, data.map(DonneesSignees::Octets), &verif()).unwrap()
}
fn first_code(r: &RapportVerification) -> Option<CodeErreur> {
    r.signatures.first().and_then(|s| s.code)
}

#[test]
fn cades_xades_valides_et_adaptes() {
    let s = signer("signataire");
    for format in [FormatSignature::CAdES, FormatSignature::XAdES] {
        let sig = sign(format, DATA, &s);
        let r = verify(&sig, Some(DATA));
        assert_eq!(r.format, format);
        assert_eq!(r.statut, Statut::Valide, "{r:#?}");
        let one = &r.signatures[0];
        assert_eq!(one.niveau, Niveau::BB);
        assert!(one.integrite && one.signature_valide && one.chaine_approuvee);
        assert_eq!(one.reference_certificat, Some(true));
        assert_eq!(one.date_signature, Some(date()));
        let info = one.signataire.as_ref().unwrap();
        assert!(info.qualifie_eidas && info.non_repudiation);
        assert!(one.adapte_marches_publics, "{r:#?}");
        assert!(r.resume.contains("Adapté pour les marchés publics"));
        // Tampered data.
        let r = verify(&sig, Some(b"Offre modifiee"));
        assert_eq!(r.statut, Statut::Invalide);
        assert_eq!(first_code(&r), Some(CodeErreur::SignatureIntegrite));
        // Missing detached file.
        let e = signature::verifier(&sig, None, &verif()).unwrap_err();
        assert_eq!(e.code(), CodeErreur::FichierSigneManquant);
    }
}

#[test]
fn algorithmes_et_schemas() {
    for (alg, scheme) in [
        (AlgorithmeEmpreinte::Sha384, SchemaSignature::RsaPkcs1v15),
        (AlgorithmeEmpreinte::Sha512, SchemaSignature::RsaPss),
        (AlgorithmeEmpreinte::Sha256, SchemaSignature::RsaPss),
    ] {
        let s = signer("signataire").avec_empreinte(alg).avec_schema(scheme);
        for format in [
            FormatSignature::CAdES,
            FormatSignature::XAdES,
            FormatSignature::PAdES,
        ] {
            let data = if format == FormatSignature::PAdES {
                read("simple.pdf")
            } else {
                DATA.to_vec()
            };
            let sig = sign(format, &data, &s);
            let r = verify(
                &sig,
                (format != FormatSignature::PAdES).then_some(&data[..]),
            );
            assert_eq!(
                r.statut,
                Statut::Valide,
                "{format:?} {alg:?} {scheme:?}: {r:#?}"
            );
            assert_eq!(r.signatures[0].algorithme_empreinte, alg);
            assert_eq!(r.signatures[0].schema, scheme);
        }
    }
}

#[test]
fn deux_etapes_avec_signataire_externe() {
    let local = signer("signataire");
    let externe =
        Signataire::externe(Signataire::certificats_pem(&text("signataire.pem")).unwrap()).unwrap();
    for format in [
        FormatSignature::CAdES,
        FormatSignature::XAdES,
        FormatSignature::PAdES,
    ] {
        let data = if format == FormatSignature::PAdES {
            read("xrefstream.pdf")
        } else {
            DATA.to_vec()
        };
        let p = signature::preparer(
            format,
            DonneesSignees::Octets(&data),
            &externe,
            &opts("offre.txt"),
        )
        .unwrap();
        // The state crosses JSON, as with a remote signing service.
        let json = serde_json::to_string(&p).unwrap();
        let p: signature::SignaturePreparee = serde_json::from_str(&json).unwrap();
        assert_eq!(
            p.empreinte,
            p.algorithme_empreinte.hash(&p.donnees_a_signer)
        );
        // A wrong value never gives an output.
        let e = p.assembler(&[0u8; 256]).unwrap_err();
        assert_eq!(e.code(), CodeErreur::SignatureInvalide);
        let value = local.signer_empreinte(&p.empreinte).unwrap();
        let sig = p.assembler(&value).unwrap();
        let r = verify(
            &sig,
            (format != FormatSignature::PAdES).then_some(&data[..]),
        );
        assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    }
    assert_eq!(
        externe.signer_empreinte(&[0; 32]).unwrap_err().code(),
        CodeErreur::ArgumentInvalide
    );
}

#[test]
fn streaming_d_un_fichier() {
    let s = signer("signataire");
    let big = vec![0x5Au8; 3 << 20];
    let mut reader = std::io::Cursor::new(big.clone());
    let sig = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Lecteur(&mut reader),
        &s,
        &opts("gros.bin"),
    )
    .unwrap();
    let mut reader = std::io::Cursor::new(big);
    let r =
        signature::verifier(&sig, Some(DonneesSignees::Lecteur(&mut reader)), &verif()).unwrap();
    assert_eq!(r.statut, Statut::Valide);
}

#[test]
fn pades_classique_flux_xref_visible_et_double() {
    let s = signer("signataire");
    for name in ["simple.pdf", "xrefstream.pdf"] {
        let pdf = read(name);
        let signed = sign(FormatSignature::PAdES, &pdf, &s);
        assert!(
            signed.starts_with(&pdf),
            "incremental update keeps the original bytes"
        );
        let r = verify(&signed, None);
        assert_eq!(r.statut, Statut::Valide, "{r:#?}");
        let d = r.signatures[0].pdf.as_ref().unwrap();
        assert!(d.couvre_tout_le_document && !d.modifie_apres_signature);
        assert_eq!(d.champ.as_deref(), Some("Signature1"));
        // Second signature, visible.
        let mut o = opts(name);
        o.pades.apparence = Some(Apparence {
            page: 1,
            rect: [40.0, 40.0, 240.0, 100.0],
            texte: Some("Gérant".into()),
        });
        let twice = signature::signer(
            FormatSignature::PAdES,
            DonneesSignees::Octets(&signed),
            &signer("nonqualifie"),
            &o,
        )
        .unwrap();
        assert!(twice.starts_with(&signed));
        let r = verify(&twice, None);
        assert_eq!(r.signatures.len(), 2);
        assert!(
            r.signatures.iter().all(|x| x.statut == Statut::Valide),
            "{r:#?}"
        );
        let first = r.signatures[0].pdf.as_ref().unwrap();
        assert!(
            !first.couvre_tout_le_document
                && first.revisions_suivantes == 1
                && !first.modifie_apres_signature
        );
        assert!(
            !r.signatures[1].adapte_marches_publics,
            "non-qualified certificate"
        );
        assert!(r.signatures[0].adapte_marches_publics);
    }
    // Page out of range.
    let mut o = opts("x.pdf");
    o.pades.apparence = Some(Apparence {
        page: 9,
        rect: [0.0, 0.0, 10.0, 10.0],
        texte: None,
    });
    let e = signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(&read("simple.pdf")),
        &s,
        &o,
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ArgumentInvalide);
    // Not enough room reserved.
    let mut o = opts("x.pdf");
    o.pades.reserve = Some(100);
    let e = signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(&read("simple.pdf")),
        &s,
        &o,
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::EspaceSignatureInsuffisant);
}

#[test]
fn pades_sans_date_dans_le_cms() {
    let signed = sign(
        FormatSignature::PAdES,
        &read("simple.pdf"),
        &signer("signataire"),
    );
    // signing-time OID 1.2.840.113549.1.9.5 must not be in the CMS; /M carries the time.
    let oid = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05,
    ];
    let contents_start = signed
        .windows(11)
        .position(|w| w == b"/Contents <")
        .unwrap()
        + 11;
    let end = contents_start
        + signed[contents_start..]
            .iter()
            .position(|b| *b == b'>')
            .unwrap();
    let cms = hex::decode(&signed[contents_start..end]).unwrap();
    assert!(!cms.windows(oid.len()).any(|w| w == oid));
    assert!(signed.windows(17).any(|w| w == b"/M (D:20270115100"));
    let r = verify(&signed, None);
    assert_eq!(r.signatures[0].date_signature, Some(date()));
}

#[test]
fn pades_modifie_apres_signature_et_byterange() {
    let signed = sign(
        FormatSignature::PAdES,
        &read("simple.pdf"),
        &signer("signataire"),
    );
    // Garbage appended.
    let mut g = signed.clone();
    g.extend_from_slice(b"contenu ajoute\n");
    let r = verify(&g, None);
    assert_eq!(first_code(&r), Some(CodeErreur::PdfModifieApresSignature));
    // A content-changing incremental update.
    let text = String::from_utf8_lossy(&signed).into_owned();
    let prev: usize = text
        .rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let content = b"BT /F1 24 Tf 72 600 Td (Prix modifie) Tj ET";
    let mut m = signed.clone();
    let off = m.len();
    m.extend_from_slice(format!("5 0 obj\n<< /Length {} >>\nstream\n", content.len()).as_bytes());
    m.extend_from_slice(content);
    m.extend_from_slice(b"\nendstream\nendobj\n");
    let x = m.len();
    m.extend_from_slice(format!("xref\n5 1\n{off:010} 00000 n\r\ntrailer\n<< /Size 20 /Root 1 0 R /Prev {prev} >>\nstartxref\n{x}\n%%EOF\n").as_bytes());
    let r = verify(&m, None);
    assert_eq!(r.statut, Statut::Invalide);
    let d = r.signatures[0].pdf.as_ref().unwrap();
    assert!(d.modifie_apres_signature && !d.couvre_tout_le_document);
    assert_eq!(first_code(&r), Some(CodeErreur::PdfModifieApresSignature));
    // A ByteRange that does not exclude exactly /Contents.
    let pos = signed
        .windows(12)
        .position(|w| w == b"/ByteRange [")
        .unwrap()
        + 12;
    let mut b = signed.clone();
    b[pos + 2] = if b[pos + 2] == b'9' { b'8' } else { b'9' };
    let e = signature::verifier(&b, None, &verif()).unwrap_err();
    assert!(
        matches!(
            e.code(),
            CodeErreur::ByteRangeInvalide | CodeErreur::PdfMalforme
        ),
        "{e:?}"
    );
    // A flipped byte of the signed content.
    let mut t = signed.clone();
    let i = t.windows(5).position(|w| w == b"Offre").unwrap();
    t[i] = b'X';
    let r = verify(&t, None);
    assert_eq!(first_code(&r), Some(CodeErreur::SignatureIntegrite));
}

#[test]
fn certificats_hors_validite_usage_revocation_chaine() {
    // ETSI EN 319 102-1: expired at the validation time without a proof of existence is
    // INDETERMINATE/OUT_OF_BOUNDS_NO_POE; not yet valid now is a proven failure; a key
    // usage that excludes signing fails a constraint (INDETERMINATE).
    for (who, code, statut, si) in [
        (
            "expire",
            CodeErreur::CertificatHorsValidite,
            Statut::Indetermine,
            SousIndication::OutOfBoundsNoPoe,
        ),
        (
            "futur",
            CodeErreur::CertificatHorsValidite,
            Statut::Invalide,
            SousIndication::NotYetValid,
        ),
        (
            "chiffrement",
            CodeErreur::UsageCleIncorrect,
            Statut::Indetermine,
            SousIndication::SigConstraintsFailure,
        ),
    ] {
        // mpe refuses to make these signatures unless told to (item 8 of the issue).
        let e = signature::signer(
            FormatSignature::CAdES,
            DonneesSignees::Octets(DATA),
            &signer(who),
            &opts("offre.txt"),
        )
        .unwrap_err();
        assert_eq!(e.code(), code, "{who}: {e}");
        let mut forcer = opts("offre.txt");
        forcer.forcer = true;
        let sig = signature::signer(
            FormatSignature::CAdES,
            DonneesSignees::Octets(DATA),
            &signer(who),
            &forcer,
        )
        .unwrap();
        let r = verify(&sig, Some(DATA));
        assert_eq!(r.statut, statut, "{who}: {r:#?}");
        assert_eq!(first_code(&r), Some(code), "{who}: {r:#?}");
        assert_eq!(r.signatures[0].sous_indication, Some(si), "{who}");
        assert!(!r.signatures[0].adapte_marches_publics);
    }
    // An obsolete digest is refused too, and allowed with the override.
    let sha1 = signer("signataire").avec_empreinte(AlgorithmeEmpreinte::Sha1);
    let e = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(DATA),
        &sha1,
        &opts("offre.txt"),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::AlgorithmeRefuse);
    // Revoked: the host supplies the CRL.
    let sig = sign(FormatSignature::CAdES, DATA, &signer("revoque"));
    let mut v = verif();
    v.crls = vec![read("crl.der")];
    let r = signature::verifier(&sig, Some(DonneesSignees::Octets(DATA)), &v).unwrap();
    assert_eq!(first_code(&r), Some(CodeErreur::CertificatRevoque));
    assert_eq!(r.signatures[0].revoque, Some(true));
    // The same CRL says the signer is not revoked.
    let sig = sign(FormatSignature::CAdES, DATA, &signer("signataire"));
    let r = signature::verifier(&sig, Some(DonneesSignees::Octets(DATA)), &v).unwrap();
    assert_eq!(r.signatures[0].revoque, Some(false));
    // No trust anchor: undetermined.
    let r = signature::verifier(
        &sig,
        Some(DonneesSignees::Octets(DATA)),
        &OptionsVerification::default(),
    )
    .unwrap();
    assert_eq!(r.statut, Statut::Indetermine);
    assert_eq!(first_code(&r), Some(CodeErreur::ChaineNonApprouvee));
}

/// Chains through an intermediate CA (fixtures of `make_intermediaires.sh`; OpenSSL's
/// `openssl verify` gives the same three verdicts, see the vectors' README).
#[test]
fn chaines_avec_intermediaires() {
    // Valid chain of three: leaf, intermediate (in the signature), root (anchor).
    let sig = sign(FormatSignature::CAdES, DATA, &signer("sous-signataire"));
    let r = verify(&sig, Some(DATA));
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures[0].chaine.len(), 3);
    // An intermediate expired at the signing time: invalid, naming the authority.
    // (No proof of existence before it expired: INDETERMINATE/OUT_OF_BOUNDS_NO_POE.)
    let sig = sign(FormatSignature::XAdES, DATA, &signer("sous-expire"));
    let r = verify(&sig, Some(DATA));
    assert_eq!(r.statut, Statut::Indetermine, "{r:#?}");
    assert_eq!(first_code(&r), Some(CodeErreur::CertificatHorsValidite));
    assert_eq!(
        r.signatures[0].sous_indication,
        Some(SousIndication::OutOfBoundsNoPoe)
    );
    assert!(format!("{r:?}").contains("Intermediaire Expiree"), "{r:#?}");
    // An intermediate revoked by the root's CRL (the host gives it): invalid, naming the
    // authority; without that CRL the same signature is valid.
    let sig = sign(FormatSignature::CAdES, DATA, &signer("sous-revoquee"));
    assert_eq!(verify(&sig, Some(DATA)).statut, Statut::Valide);
    let mut v = verif();
    v.crls = vec![read("crl-racine.der")];
    let r = signature::verifier(&sig, Some(DonneesSignees::Octets(DATA)), &v).unwrap();
    assert_eq!(r.statut, Statut::Invalide, "{r:#?}");
    assert_eq!(first_code(&r), Some(CodeErreur::CertificatRevoque));
    assert!(
        format!("{r:?}").contains("Intermediaire Revoquee"),
        "{r:#?}"
    );
    // A certificate issued with an end-entity key (CA:false): no chain to the anchor.
    let sig = sign(FormatSignature::CAdES, DATA, &signer("usurpe"));
    let r = verify(&sig, Some(DATA));
    assert_eq!(r.statut, Statut::Indetermine);
    assert_eq!(first_code(&r), Some(CodeErreur::ChaineNonApprouvee));
    assert!(!r.signatures[0].adapte_marches_publics);
}

/// ECDSA P-256: the three formats, an ECDSA-signed chain, the two value encodings a device
/// may return, and a scheme that does not fit the key.
#[test]
fn ecdsa_p256() {
    let pdf = read("xrefstream.pdf");
    for who in ["ecdsa", "sous-ec"] {
        let s = signer(who);
        assert_eq!(s.schema(), SchemaSignature::Ecdsa);
        for format in [
            FormatSignature::CAdES,
            FormatSignature::XAdES,
            FormatSignature::PAdES,
        ] {
            let (data, detached) = if format == FormatSignature::PAdES {
                (&pdf[..], None)
            } else {
                (DATA, Some(DATA))
            };
            let sig = sign(format, data, &s);
            let r = verify(&sig, detached);
            assert_eq!(r.statut, Statut::Valide, "{who} {format:?}: {r:#?}");
            assert_eq!(r.signatures[0].schema, SchemaSignature::Ecdsa);
            if who == "sous-ec" {
                assert_eq!(r.signatures[0].chaine.len(), 3);
            }
            if let Some(d) = detached {
                let mut other = d.to_vec();
                other[0] ^= 1;
                assert_eq!(verify(&sig, Some(&other)).statut, Statut::Invalide);
            }
        }
    }
    // A device returning r‖s (PKCS#11 CKM_ECDSA) or DER: both assemble into valid output.
    let local = signer("ecdsa");
    let externe =
        Signataire::externe(Signataire::certificats_pem(&text("ecdsa.pem")).unwrap()).unwrap();
    for format in [FormatSignature::CAdES, FormatSignature::XAdES] {
        let p = signature::preparer(
            format,
            DonneesSignees::Octets(DATA),
            &externe,
            &opts("offre.txt"),
        )
        .unwrap();
        let der = local.signer_empreinte(&p.empreinte).unwrap();
        let sig = p256_raw(&der);
        for value in [der.clone(), sig] {
            let out = p.assembler(&value).unwrap();
            assert_eq!(verify(&out, Some(DATA)).statut, Statut::Valide);
        }
        assert_eq!(
            p.assembler(&[1u8; 64]).unwrap_err().code(),
            CodeErreur::SignatureInvalide
        );
        assert_eq!(
            p.assembler(&[1u8; 10]).unwrap_err().code(),
            CodeErreur::SignatureMalformee
        );
    }
    // RSA-PSS asked of an EC key: refused, naming both.
    let o = {
        let mut o = opts("offre.txt");
        o.schema = Some(SchemaSignature::RsaPss);
        o
    };
    let e = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(DATA),
        &local,
        &o,
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::NonPrisEnCharge, "{e}");
    // The key must match the certificate.
    let e = Signataire::from_pem(&text("ecdsa.key"), &text("sous-ec.pem")).unwrap_err();
    assert_eq!(e.code(), CodeErreur::CleInvalide);
}

/// EC keys through the key-pair loader: PEM (SEC 1 and PKCS#8) and a PKCS#12 made by
/// `openssl pkcs12 -export` with its defaults; such a key signs but cannot open envelopes.
#[test]
fn ecdsa_par_bicle_et_pkcs12() {
    use mpe::crypto::bicle::{BiCle, load_pkcs12};
    for who in ["ecdsa", "sous-ec"] {
        let b = BiCle::from_pem(
            &read(&format!("{who}.pem")),
            &read(&format!("{who}.key")),
            None,
        )
        .unwrap();
        assert_eq!(b.cle().bits(), 256);
        let s = Signataire::from_bicle(b).unwrap();
        assert_eq!(
            verify(&sign(FormatSignature::CAdES, DATA, &s), Some(DATA)).statut,
            Statut::Valide
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let p12 = dir.path().join("ec.p12");
    let st = Command::new("openssl")
        .args(["pkcs12", "-export", "-passout", "pass:secret", "-inkey"])
        .arg(vec_dir().join("ecdsa.key"))
        .arg("-in")
        .arg(vec_dir().join("ecdsa.pem"))
        .arg("-out")
        .arg(&p12)
        .status()
        .unwrap();
    assert!(st.success());
    let b = load_pkcs12(&std::fs::read(&p12).unwrap(), "secret").unwrap();
    let envelope = mpe::crypto::cms::encrypt(
        DATA,
        &[mpe::crypto::bicle::load_certificate(&read("signataire.pem")).unwrap()],
        &Default::default(),
    )
    .unwrap();
    let e = mpe::crypto::cms::decrypt(&envelope, &b).unwrap_err();
    assert!(
        matches!(
            e.code(),
            CodeErreur::CleInutilisable | CodeErreur::AucunDestinataire
        ),
        "{e}"
    );
    let s = Signataire::from_bicle(b).unwrap();
    let sig = sign(FormatSignature::XAdES, DATA, &s);
    assert_eq!(verify(&sig, Some(DATA)).statut, Statut::Valide);
}

/// DER `Ecdsa-Sig-Value` → fixed-size r‖s (test helper, independent of the library's).
fn p256_raw(der: &[u8]) -> Vec<u8> {
    fn int(b: &[u8]) -> (&[u8], &[u8]) {
        assert_eq!(b[0], 0x02);
        let n = b[1] as usize;
        (&b[2..2 + n], &b[2 + n..])
    }
    assert_eq!(der[0], 0x30);
    let (r, rest) = int(&der[2..]);
    let (s, _) = int(rest);
    let mut out = vec![];
    for x in [r, s] {
        let x = &x[x.len().saturating_sub(32)..];
        out.extend(std::iter::repeat_n(0u8, 32 - x.len()));
        out.extend_from_slice(x);
    }
    out
}

#[test]
fn cles_pem() {
    let pkcs1 =
        Signataire::from_pem(&text("signataire-pkcs1.key"), &text("signataire.pem")).unwrap();
    let sig = sign(FormatSignature::CAdES, DATA, &pkcs1);
    assert_eq!(verify(&sig, Some(DATA)).statut, Statut::Valide);
    let e = Signataire::from_pem(&text("nonqualifie.key"), &text("signataire.pem")).unwrap_err();
    assert_eq!(e.code(), CodeErreur::CleInvalide);
    assert_eq!(
        Signataire::from_pem("garbage", &text("signataire.pem"))
            .unwrap_err()
            .code(),
        CodeErreur::CleInvalide
    );
    assert_eq!(
        Signataire::from_pem(&text("signataire.key"), "")
            .unwrap_err()
            .code(),
        CodeErreur::CleInvalide
    );
}

#[test]
fn xml_hostile_et_wrapping() {
    let s = signer("signataire");
    let sig = String::from_utf8(sign(FormatSignature::XAdES, DATA, &s)).unwrap();
    let err = |x: &str| {
        signature::verifier(x.as_bytes(), Some(DonneesSignees::Octets(DATA)), &verif())
            .unwrap_err()
            .code()
    };
    // DTD and entities.
    let dtd = sig.replacen(
        "<ds:Signature",
        "<!DOCTYPE ds:Signature [<!ENTITY x \"y\">]><ds:Signature",
        1,
    );
    assert_eq!(err(&dtd), CodeErreur::XmlDtdInterdite);
    let ent = sig.replacen("<xades:MimeType>", "<xades:MimeType>&x;", 1);
    assert_eq!(err(&ent), CodeErreur::XmlDtdInterdite);
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><lolz>&lol2;</lolz>";
    assert_eq!(err(bomb), CodeErreur::XmlDtdInterdite);
    // Wrapping: a second element with the same Id (a forged SignedProperties).
    let start = sig.find("<xades:SignedProperties").unwrap();
    let end = sig.find("</xades:SignedProperties>").unwrap() + "</xades:SignedProperties>".len();
    let forged = sig[start..end].replace("2027-01-15T10:00:00Z", "2020-01-01T00:00:00Z");
    let wrapped = sig.replacen("</ds:Object>", &format!("</ds:Object><ds:Object><xades:QualifyingProperties xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\">{forged}</xades:QualifyingProperties></ds:Object>"), 1);
    assert_eq!(err(&wrapped), CodeErreur::XmlEnveloppement);
    // The typed reference must point at a SignedProperties inside this signature.
    let moved = sig.replacen(
        "Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#xades-",
        "Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#value-",
        1,
    );
    assert_eq!(err(&moved), CodeErreur::XmlEnveloppement);
    // Changing a signed property breaks integrity.
    let changed = sig.replacen("2027-01-15T10:00:00Z", "2020-01-01T00:00:00Z", 1);
    let r = signature::verifier(
        changed.as_bytes(),
        Some(DonneesSignees::Octets(DATA)),
        &verif(),
    )
    .unwrap();
    assert_eq!(first_code(&r), Some(CodeErreur::SignatureIntegrite));
    // Changing the signature value.
    let vpos = sig
        .find("\">")
        .map(|_| sig.find("<ds:SignatureValue").unwrap())
        .unwrap();
    let mut bad = sig.clone().into_bytes();
    let i = vpos + sig[vpos..].find('>').unwrap() + 5;
    bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
    let r = signature::verifier(&bad, Some(DonneesSignees::Octets(DATA)), &verif()).unwrap();
    assert_eq!(first_code(&r), Some(CodeErreur::SignatureInvalide));
    // Unknown algorithm.
    let alg = sig.replacen("xmldsig-more#rsa-sha256", "xmldsig-more#rsa-md5", 1);
    let r =
        signature::verifier(alg.as_bytes(), Some(DonneesSignees::Octets(DATA)), &verif()).unwrap();
    assert_eq!(r.statut, Statut::Indetermine);
    assert_eq!(first_code(&r), Some(CodeErreur::NonPrisEnCharge));
}

#[test]
fn entrees_invalides_sans_panique() {
    let s = signer("signataire");
    let e = signature::verifier(
        b"\x00\x01garbage",
        Some(DonneesSignees::Octets(DATA)),
        &verif(),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::SignatureFormatInconnu);
    let e = signature::verifier(b"", None, &verif()).unwrap_err();
    assert_eq!(e.code(), CodeErreur::SignatureFormatInconnu);
    let cades = sign(FormatSignature::CAdES, DATA, &s);
    let e = signature::verifier(
        &cades[..cades.len() / 2],
        Some(DonneesSignees::Octets(DATA)),
        &verif(),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::SignatureMalformee);
    let pdf = read("simple.pdf");
    let e = signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(&pdf[..pdf.len() / 3]),
        &s,
        &opts("x.pdf"),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::PdfMalforme);
    let e = signature::signer(
        FormatSignature::PAdES,
        DonneesSignees::Octets(b"not a pdf"),
        &s,
        &opts("x.pdf"),
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::PdfMalforme);
    // Random byte flips (deterministic xorshift): an error or a report, never a panic.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let xades0 = sign(FormatSignature::XAdES, DATA, &s);
    let pades0 = sign(FormatSignature::PAdES, &pdf, &s);
    for sig in [&cades, &xades0, &pades0] {
        for _ in 0..150 {
            let mut m = sig.clone();
            for _ in 0..3 {
                let i = (next() % m.len() as u64) as usize;
                m[i] = (next() & 0xFF) as u8;
            }
            let _ = signature::verifier(&m, Some(DonneesSignees::Octets(DATA)), &verif());
        }
    }
    // Every truncation of every format: an error or a report, never a panic.
    let xades = sign(FormatSignature::XAdES, DATA, &s);
    let pades = sign(FormatSignature::PAdES, &pdf, &s);
    for sig in [&cades, &xades, &pades] {
        for cut in (0..sig.len()).step_by(sig.len() / 97 + 1) {
            let r = signature::verifier(&sig[..cut], Some(DonneesSignees::Octets(DATA)), &verif());
            if let Ok(r) = r {
                assert_ne!(r.statut, Statut::Valide, "truncated at {cut}");
            }
        }
    }
}

fn openssl_tsa(req: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"] {
        std::fs::copy(vec_dir().join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("req.tsq"), req).unwrap();
    let st = Command::new("openssl")
        .args([
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-out",
            "resp.tsr",
        ])
        .current_dir(dir.path())
        .output()
        .expect("openssl ts");
    assert!(st.status.success());
    std::fs::read(dir.path().join("resp.tsr")).unwrap()
}

#[test]
fn horodatage_b_t_avec_openssl_ts() {
    let s = signer("signataire");
    for format in [
        FormatSignature::CAdES,
        FormatSignature::XAdES,
        FormatSignature::PAdES,
    ] {
        let data = if format == FormatSignature::PAdES {
            read("simple.pdf")
        } else {
            DATA.to_vec()
        };
        let detached = (format != FormatSignature::PAdES).then_some(&data[..]);
        let sig = sign(format, &data, &s);
        let req =
            signature::requete_horodatage(&sig, AlgorithmeEmpreinte::Sha256, Some(7)).unwrap();
        let resp = openssl_tsa(&req);
        let bt = signature::ajouter_horodatage(&sig, &resp).unwrap();
        let r = verify(&bt, detached);
        assert_eq!(r.statut, Statut::Valide, "{format:?}: {r:#?}");
        let one = &r.signatures[0];
        assert_eq!(one.niveau, Niveau::BT);
        let h = one.horodatage.as_ref().unwrap();
        assert!(h.valide && h.autorite_approuvee && h.date.is_some());
        // A token for another signature is refused.
        let other = sign(format, &data, &signer("nonqualifie"));
        let e = signature::ajouter_horodatage(&other, &resp).unwrap_err();
        assert_eq!(e.code(), CodeErreur::HorodatageInvalide, "{format:?}");
    }
    assert_eq!(
        signature::ajouter_horodatage(
            &sign(FormatSignature::CAdES, DATA, &s),
            b"\x30\x03\x02\x01\x02"
        )
        .unwrap_err()
        .code(),
        CodeErreur::HorodatageInvalide
    );
}

#[test]
fn cades_d_openssl_verifiee_par_mpe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.txt"), DATA).unwrap();
    let run = |md: &str, out: &str| {
        let st = Command::new("openssl")
            .args([
                "cms", "-sign", "-cades", "-binary", "-md", md, "-outform", "DER", "-in",
                "data.txt", "-out", out,
            ])
            .arg("-signer")
            .arg(vec_dir().join("signataire.pem"))
            .arg("-inkey")
            .arg(vec_dir().join("signataire.key"))
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let p7s = run("sha256", "a.p7s");
    let r = signature::verifier(
        &p7s,
        Some(DonneesSignees::Octets(DATA)),
        &OptionsVerification {
            date_verification: None,
            ..verif()
        },
    )
    .unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures[0].reference_certificat, Some(true));
    let r = verify(&p7s, Some(b"autre"));
    assert_eq!(first_code(&r), Some(CodeErreur::SignatureIntegrite));
    // RSA-PSS with a 20-byte salt (not the digest length): the salt is read from the value.
    let st = Command::new("openssl")
        .args([
            "cms", "-sign", "-cades", "-binary", "-md", "sha256", "-outform", "DER", "-in",
            "data.txt", "-out", "p.p7s",
        ])
        .arg("-signer")
        .arg(vec_dir().join("signataire.pem"))
        .arg("-inkey")
        .arg(vec_dir().join("signataire.key"))
        .args([
            "-keyopt",
            "rsa_padding_mode:pss",
            "-keyopt",
            "rsa_pss_saltlen:20",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(st.status.success());
    let pss = std::fs::read(dir.path().join("p.p7s")).unwrap();
    let r = verify(&pss, Some(DATA));
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(r.signatures[0].schema, SchemaSignature::RsaPss);
    // SHA-1: verified (the world still has it), reported as obsolete, never adapté.
    let sha1 = run("sha1", "b.p7s");
    let r = signature::verifier(&sha1, Some(DonneesSignees::Octets(DATA)), &verif()).unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:#?}");
    assert_eq!(
        r.signatures[0].algorithme_empreinte,
        AlgorithmeEmpreinte::Sha1
    );
    assert!(r.signatures[0].algorithme_obsolete);
    assert!(!r.signatures[0].adapte_marches_publics);
    let r = signature::verifier(&sha1, Some(DonneesSignees::Octets(b"autre")), &verif()).unwrap();
    assert_eq!(r.statut, Statut::Invalide);
    assert_eq!(
        r.signatures[0].sous_indication,
        Some(SousIndication::HashFailure)
    );
}

#[test]
fn noms_de_fichiers() {
    let d = date();
    assert_eq!(
        signature::nom_fichier_signe("DC1.pdf", FormatSignature::PAdES, d, 1),
        "DC1 - 20270115110000 - Signature 1.pdf"
    );
    assert_eq!(
        signature::nom_fichier_signe("DC1.pdf", FormatSignature::XAdES, d, 1),
        "DC1.pdf - 20270115110000 - Signature 1.xml"
    );
}

/// XAdES B-LT then B-LTA (ETSI EN 319 132-1 5.5): the validation data in the unsigned
/// properties, an archive timestamp from `openssl ts` over them; nothing signed changes.
#[test]
fn xades_b_lt_puis_b_lta() {
    let s = signer("signataire");
    let sig = sign(FormatSignature::XAdES, DATA, &s);
    let req = signature::requete_horodatage(&sig, AlgorithmeEmpreinte::Sha256, Some(7)).unwrap();
    let bt = signature::ajouter_horodatage(&sig, &openssl_tsa(&req)).unwrap();
    let avec_crl = OptionsVerification {
        crls: vec![read("crl.der")],
        ..verif()
    };
    let d = signature::collecter_donnees_validation(&bt, &avec_crl).unwrap();
    // The signer, its CA, the TSA (same CA); the CA's CRL.
    assert_eq!(d.certificats.len(), 3, "{d:?}");
    assert_eq!(d.crls, vec![read("crl.der")]);
    let lt = signature::ajouter_donnees_validation(&bt, &d).unwrap();
    let texte = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
    let entre = |t: &str, a: &str, b: &str| {
        let i = t.find(a).unwrap();
        t[i..i + t[i..].find(b).unwrap() + b.len()].to_string()
    };
    for (a, b) in [
        ("<ds:SignedInfo>", "</ds:SignedInfo>"),
        ("<xades:SignedProperties", "</xades:SignedProperties>"),
        ("<xades:SignatureTimeStamp", "</xades:SignatureTimeStamp>"),
    ] {
        assert_eq!(entre(&texte(&bt), a, b), entre(&texte(&lt), a, b), "{a}");
    }
    assert!(texte(&lt).contains("<xades:CertificateValues><xades:EncapsulatedX509Certificate>"));
    assert!(texte(&lt).contains("<xades:RevocationValues><xades:CRLValues>"));
    // The same data again: nothing added.
    assert_eq!(signature::ajouter_donnees_validation(&lt, &d).unwrap(), lt);
    // Verified without the host's CRL: the one of RevocationValues is used.
    let r = verify(&lt, Some(DATA));
    let un = &r.signatures[0];
    assert_eq!(r.statut, Statut::Valide, "{:?}", un.raison);
    assert_eq!(un.niveau, Niveau::BLT);
    assert_eq!(
        un.revocations[0].source,
        Some(signature::SourceRevocation::Crl)
    );

    // B-LTA: the detached document is part of the archive timestamp's input.
    let e = signature::preparer_horodatage_document(&lt, AlgorithmeEmpreinte::Sha256, Some(8))
        .unwrap_err();
    assert!(
        matches!(
            e.code(),
            CodeErreur::FichierSigneManquant | CodeErreur::XmlReferenceIntrouvable
        ),
        "{e}"
    );
    let p = signature::preparer_horodatage_document_detache(
        &lt,
        DonneesSignees::Octets(DATA),
        AlgorithmeEmpreinte::Sha256,
        Some(8),
    )
    .unwrap();
    let lta = p.finir(&openssl_tsa(&p.requete)).unwrap();
    assert!(texte(&lta).contains("<xadesv141:ArchiveTimeStamp xmlns:xadesv141="));
    // A token over other bytes (the signature timestamp's request) is refused.
    let e = p.finir(&openssl_tsa(&req)).unwrap_err();
    assert_eq!(e.code(), CodeErreur::HorodatageDocumentIncorrect);
    let r = verify(&lta, Some(DATA));
    let un = &r.signatures[0];
    assert_eq!(r.statut, Statut::Valide, "{:?}", un.raison);
    assert_eq!(un.niveau, Niveau::BLTA);
    assert_eq!(un.horodatages_archive.len(), 1);
    let h = &un.horodatages_archive[0];
    assert!(h.valide && h.autorite_approuvee, "{h:?}");
    // New validation data after the archive timestamp: in TimeStampValidationData, and
    // the archive timestamp still verifies (it covers only what was before it).
    let plus = signature::DonneesValidation {
        certificats: vec![
            signature::Signataire::certificats_pem(&text("nonqualifie.pem"))
                .unwrap()
                .iter()
                .map(|c| der::Encode::to_der(c).unwrap())
                .next()
                .unwrap(),
        ],
        ..Default::default()
    };
    let apres = signature::ajouter_donnees_validation(&lta, &plus).unwrap();
    assert!(texte(&apres).contains("<xadesv141:TimeStampValidationData"));
    let r = verify(&apres, Some(DATA));
    assert!(r.signatures[0].horodatages_archive[0].valide);
    // Another document: the signature fails, and so does the archive timestamp's imprint.
    let r = verify(&lta, Some(b"autre"));
    assert_eq!(r.statut, Statut::Invalide);
    // A covered property changed (the CRL moved after the timestamp): the archive
    // timestamp is INVALIDE (hash failure), the signature itself is not.
    let t = texte(&lta);
    let crl = entre(&t, "<xades:RevocationValues>", "</xades:RevocationValues>");
    let sans = t.replace(&crl, "");
    let deplace = sans.replace(
        "</xades:UnsignedSignatureProperties>",
        &format!("{crl}</xades:UnsignedSignatureProperties>"),
    );
    let r = signature::verifier(
        deplace.as_bytes(),
        Some(DonneesSignees::Octets(DATA)),
        &avec_crl,
    )
    .unwrap();
    let un = &r.signatures[0];
    let h = &un.horodatages_archive[0];
    assert!(!h.valide && h.statut == Statut::Invalide, "{h:?}");
    assert_eq!(un.statut, Statut::Valide, "{:?}", un.raison);
    assert_eq!(un.niveau, Niveau::BLT);
}
