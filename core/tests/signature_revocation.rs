//! CRL checks of `signature::verifier` on the openssl-made vectors (`tests/vectors/signature`,
//! `make.sh`): the CRL that decided is named, a "not revoked" list past its nextUpdate and a
//! CRL whose signature does not verify are set aside with their reason. (OCSP, with
//! `openssl ocsp` as the responder: `cli/tests/revocation_en_ligne.rs`.)

use mpe::CodeErreur;
use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
    SourceRevocation, Statut,
};

fn v(nom: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../tests/vectors/signature/{nom}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn date(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn verifier(crl: Vec<u8>, quand: &str) -> signature::RapportSignature {
    let cle = String::from_utf8(v("signataire.key")).unwrap();
    let cert = String::from_utf8(v("signataire.pem")).unwrap();
    let s = Signataire::from_pem(&cle, &cert).unwrap();
    let opts = OptionsSignature::new(date("2027-01-15T10:00:00Z"));
    let p7s = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(b"offre"),
        &s,
        &opts,
    )
    .unwrap();
    let verif = OptionsVerification {
        ancres: Signataire::certificats_pem(&String::from_utf8(v("ca.pem")).unwrap()).unwrap(),
        crls: vec![crl],
        date_verification: Some(date(quand)),
        ..Default::default()
    };
    let r = signature::verifier(&p7s, Some(DonneesSignees::Octets(b"offre")), &verif).unwrap();
    r.signatures.into_iter().next().unwrap()
}

#[test]
fn crl_courante_retenue() {
    let s = verifier(v("crl.der"), "2027-01-15T12:00:00Z");
    assert_eq!(s.statut, Statut::Valide);
    assert_eq!(s.revoque, Some(false));
    let c = &s.revocations[0];
    assert_eq!(c.source, Some(SourceRevocation::Crl));
    assert_eq!(c.revoque, Some(false));
    assert!(
        c.prochaine_mise_a_jour.is_some() && c.ecartees.is_empty(),
        "{c:?}"
    );
}

#[test]
fn crl_perimee_ecartee() {
    // nextUpdate 2036-11-25: at 2037 the list no longer says anything.
    let s = verifier(v("crl.der"), "2037-06-01T12:00:00Z");
    assert_eq!(s.revoque, None);
    let c = &s.revocations[0];
    assert_eq!(c.source, None);
    assert_eq!(c.ecartees[0].code, CodeErreur::RevocationPerimee, "{c:?}");
}

#[test]
fn crl_mal_signee_ecartee() {
    let mut crl = v("crl.der");
    let n = crl.len();
    crl[n - 10] ^= 0x55;
    let s = verifier(crl, "2027-01-15T12:00:00Z");
    assert_eq!(s.revoque, None);
    assert_eq!(s.revocations[0].ecartees[0].code, CodeErreur::CrlInvalide);
}
