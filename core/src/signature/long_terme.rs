//! Long-term signatures (B-LT, B-LTA): the validation data a host gathered for a signed
//! file, added to it, then a document timestamp over the whole (ETSI EN 319 142-1 5.4 for
//! PAdES: the DSS dictionary and the `/DocTimeStamp`).
//!
//! The core does no I/O: [`collecter_donnees_validation`] asks the host's
//! [`super::RappelRevocation`] (and takes what [`OptionsVerification`] already holds) for
//! every certificate of every signature and timestamp in the file;
//! [`ajouter_donnees_validation`] writes them (B-LT); [`preparer_horodatage_document`]
//! gives the RFC 3161 request the host sends to its TSA, and
//! [`HorodatageDocumentPrepare::finir`] embeds the token (B-LTA).

use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use super::rapport::OptionsVerification;
use super::signer::AlgorithmeEmpreinte;
use super::{FormatSignature, asn1, detecter_format, pades};
use crate::{CodeErreur, Erreur, Result};

/// Validation data for a long-term signature: certificates, OCSP responses and CRLs, all
/// DER (base64 in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DonneesValidation {
    /// Certificates (the chains of the signers, of the timestamp authorities and of the
    /// OCSP responders).
    #[schemars(with = "Vec<String>")]
    #[serde(default, with = "super::b64_vec")]
    pub certificats: Vec<Vec<u8>>,
    /// OCSP responses (DER `OCSPResponse`).
    #[schemars(with = "Vec<String>")]
    #[serde(default, with = "super::b64_vec")]
    pub reponses_ocsp: Vec<Vec<u8>>,
    /// CRLs.
    #[schemars(with = "Vec<String>")]
    #[serde(default, with = "super::b64_vec")]
    pub crls: Vec<Vec<u8>>,
}

impl DonneesValidation {
    fn ajouter(v: &mut Vec<Vec<u8>>, x: &[u8]) {
        if !v.iter().any(|y| y == x) {
            v.push(x.to_vec());
        }
    }

    /// Nothing to add.
    pub fn est_vide(&self) -> bool {
        self.certificats.is_empty() && self.reponses_ocsp.is_empty() && self.crls.is_empty()
    }
}

/// The certificates of every signature, signature timestamp and document timestamp of a
/// signed PDF (of every signature and timestamp of a CAdES or XAdES), each chain completed with
/// `opts.intermediaires` and `opts.ancres`, and for each link the revocation data the host
/// gives: `opts.reponses_ocsp` and `opts.crls` that concern it, and what
/// `opts.rappel_revocation` fetches. Nothing is judged here: the verification judges what
/// the file then carries.
pub fn collecter_donnees_validation(
    signe: &[u8],
    opts: &OptionsVerification,
) -> Result<DonneesValidation> {
    let mut d = DonneesValidation::default();
    let mut externes = opts.intermediaires.clone();
    externes.extend(opts.ancres.iter().cloned());
    let tous = match detecter_format(signe)? {
        FormatSignature::PAdES => pades::tous_les_cms(signe)?,
        FormatSignature::CAdES => vec![super::cms_der(signe)?.into_owned()],
        FormatSignature::XAdES => {
            let (signataires, mut pool) = super::xades_long_terme::certificats(signe)?;
            pool.extend(externes);
            completer(&signataires, &pool, opts, &mut d)?;
            return Ok(d);
        }
    };
    for cms in tous {
        let (_, sd) = super::cms::decode_signed_data(&cms)?;
        let mut signataires = vec![];
        let mut pool: Vec<Certificate> = externes.clone();
        certificats_signed_data(&sd, &mut pool, &mut signataires);
        // Signature and archive timestamps (unsigned attributes) and their TSA.
        for si in sd.signer_infos.0.iter() {
            for a in si.unsigned_attrs.iter().flat_map(|a| a.iter()) {
                if a.oid != asn1::OID_SIGNATURE_TIMESTAMP && a.oid != asn1::OID_ARCHIVE_TIMESTAMP_V3
                {
                    continue;
                }
                for v in a.values.iter() {
                    let Ok(jeton) = der::Encode::to_der(v) else {
                        continue;
                    };
                    if let Ok((_, tsd)) = super::cms::decode_signed_data(&jeton) {
                        certificats_signed_data(&tsd, &mut pool, &mut signataires);
                    }
                }
            }
        }
        completer(&signataires, &pool, opts, &mut d)?;
    }
    Ok(d)
}

/// The certificates of a SignedData added to `pool`, those of its signers to `signataires`.
pub(super) fn certificats_signed_data(
    sd: &cms::signed_data::SignedData,
    pool: &mut Vec<Certificate>,
    signataires: &mut Vec<Certificate>,
) {
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    for si in sd.signer_infos.0.iter() {
        if let Some(c) = certs
            .iter()
            .find(|c| super::verification_cms::matches_sid(c, &si.sid))
        {
            signataires.push(c.clone());
        }
    }
    pool.extend(certs);
}

/// Each signer's chain in `d`, and the revocation data of each of its links.
fn completer(
    signataires: &[Certificate],
    pool: &[Certificate],
    opts: &OptionsVerification,
    d: &mut DonneesValidation,
) -> Result<()> {
    for s in signataires {
        let c = super::chaine::construire(s, pool, &opts.ancres);
        let chaine = c.certificats;
        for (i, x) in chaine.iter().enumerate() {
            let der = der::Encode::to_der(x).map_err(asn1::der_err)?;
            DonneesValidation::ajouter(&mut d.certificats, &der);
            let Some(emetteur) = chaine.get(i + 1) else {
                continue;
            };
            revocation_de(x, emetteur, opts, d)?;
        }
    }
    Ok(())
}

/// The host's revocation data for `cert`: the given responses and CRLs that concern it,
/// and the callback's; the certificates carried by the OCSP responses (the responder's).
fn revocation_de(
    cert: &Certificate,
    emetteur: &Certificate,
    opts: &OptionsVerification,
    d: &mut DonneesValidation,
) -> Result<()> {
    let mut ocsps: Vec<Vec<u8>> = opts.reponses_ocsp.clone();
    let mut crls: Vec<Vec<u8>> = opts.crls.clone();
    if let Some(rappel) = &opts.rappel_revocation {
        let r = (rappel.0)(cert, emetteur);
        ocsps.extend(r.reponses_ocsp);
        crls.extend(r.crls);
    }
    for o in &ocsps {
        // Only a response that speaks of this certificate (any status: the verifier judges).
        if super::ocsp::lire_reponse(o, cert, emetteur, None).is_ok() {
            DonneesValidation::ajouter(&mut d.reponses_ocsp, o);
            for c in super::ocsp::certificats_reponse(o) {
                DonneesValidation::ajouter(&mut d.certificats, &c);
            }
        }
    }
    for c in &crls {
        if super::revocation::crl_de(c, emetteur) {
            DonneesValidation::ajouter(&mut d.crls, c);
        }
    }
    Ok(())
}

/// Add an incremental update holding `donnees` in the document security store (`/DSS`:
/// `/Certs`, `/OCSPs`, `/CRLs`), keeping what an earlier DSS held: a B-T PDF of any
/// producer becomes B-LT. The signatures' bytes are untouched.
///
/// CAdES: the certificates go to `SignedData.certificates`, the CRLs and OCSP responses
/// to `SignedData.crls` (RFC 5940); the SignerInfos are kept byte for byte. XAdES: the
/// data not yet in the signature goes in `xades:CertificateValues` /
/// `xades:RevocationValues` of its unsigned signature properties (nothing signed changes).
pub fn ajouter_donnees_validation(signe: &[u8], donnees: &DonneesValidation) -> Result<Vec<u8>> {
    let f = detecter_format(signe)?;
    for c in &donnees.certificats {
        super::signer::certificat(c).map_err(|e| {
            Erreur::new(
                CodeErreur::DonneesValidationIllisibles,
                format!("certificat : {}", e.message()),
            )
        })?;
    }
    for x in donnees.reponses_ocsp.iter().chain(&donnees.crls) {
        if x.first() != Some(&0x30) {
            return Err(Erreur::new(
                CodeErreur::DonneesValidationIllisibles,
                "réponse OCSP ou CRL : DER attendu",
            ));
        }
    }
    match f {
        FormatSignature::CAdES => {
            super::cades_long_terme::ajouter_donnees(&super::cms_der(signe)?, donnees)
        }
        FormatSignature::XAdES => {
            super::xades_long_terme::ajouter_donnees_validation(signe, donnees)
        }
        FormatSignature::PAdES => pades::ajouter_dss(signe, donnees),
    }
}

/// A document timestamp waiting for its token: `requete` is the RFC 3161 request the host
/// sends to its TSA; [`HorodatageDocumentPrepare::finir`] embeds the answer. Serializable
/// (JSON) so that a host can keep it meanwhile.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HorodatageDocumentPrepare {
    /// The RFC 3161 `TimeStampReq` (DER, base64 in JSON).
    #[schemars(with = "String")]
    #[serde(with = "super::b64")]
    pub requete: Vec<u8>,
    /// The digest algorithm of the request.
    pub algorithme_empreinte: AlgorithmeEmpreinte,
    /// The digest the token must carry (base64): of the `/ByteRange` bytes (PAdES), of the
    /// archive timestamp's input (XAdES, EN 319 132-1 5.5.2).
    #[schemars(with = "String")]
    #[serde(with = "super::b64")]
    pub empreinte: Vec<u8>,
    etat: Etat,
}

/// What the format keeps between the request and the token (untagged: a PAdES state
/// serializes as before; the variants have distinct fields).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum Etat {
    Pades(pades::EtatPades),
    Cades(super::cades_long_terme::EtatCades),
    Xades(super::xades_long_terme::EtatXades),
}

/// Prepare a document timestamp over a signed PDF (B-LT becomes B-LTA): a new revision
/// with a `/DocTimeStamp` field whose `/Contents` will hold the token. `nonce`: the
/// host's, repeated in the request.
///
/// CAdES: an archive-time-stamp-v3 of the first signer (EN 319 122-1, 5.5.3). XAdES: an
/// `xadesv141:ArchiveTimeStamp` over the signature (EN 319 132-1, 5.5.2). A detached
/// signature needs its signed file, see [`preparer_horodatage_document_detache`].
pub fn preparer_horodatage_document(
    signe: &[u8],
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<HorodatageDocumentPrepare> {
    preparer(signe, None, alg, nonce)
}

/// [`preparer_horodatage_document`] for a detached CAdES or XAdES: the archive timestamp
/// covers the signed file `donnees` too (its bytes or a reader).
///
/// ```
/// # fn main() -> mpe::Result<()> {
/// use mpe::signature::{self, AlgorithmeEmpreinte, DonneesSignees, FormatSignature};
/// # let key = include_str!("../../../tests/vectors/signature/signataire.key");
/// # let cert = include_str!("../../../tests/vectors/signature/signataire.pem");
/// let s = signature::Signataire::from_pem(key, cert)?;
/// let date = chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z").unwrap().to_utc();
/// let opts = signature::OptionsSignature::new(date);
/// let p7s = signature::signer(FormatSignature::CAdES, DonneesSignees::Octets(b"offre"), &s, &opts)?;
/// let p = signature::preparer_horodatage_document_detache(
///     &p7s,
///     DonneesSignees::Octets(b"offre"),
///     AlgorithmeEmpreinte::Sha256,
///     Some(7),
/// )?;
/// // The host sends `p.requete` to its TSA, then calls `p.finir(&token)`.
/// assert_eq!(p.empreinte.len(), 32);
/// # Ok(()) }
/// ```
pub fn preparer_horodatage_document_detache(
    signe: &[u8],
    donnees: super::DonneesSignees<'_>,
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<HorodatageDocumentPrepare> {
    preparer(signe, Some(donnees), alg, nonce)
}

fn preparer(
    signe: &[u8],
    donnees: Option<super::DonneesSignees<'_>>,
    alg: AlgorithmeEmpreinte,
    nonce: Option<u64>,
) -> Result<HorodatageDocumentPrepare> {
    let (empreinte, etat) = match detecter_format(signe)? {
        FormatSignature::PAdES => {
            let (e, x) = pades::preparer_horodatage(signe.to_vec(), alg)?;
            (e, Etat::Pades(x))
        }
        FormatSignature::CAdES => {
            let mut donnees = donnees;
            let (e, x) = super::cades_long_terme::preparer(
                &super::cms_der(signe)?,
                alg,
                &mut |a| match donnees.as_mut() {
                    Some(d) => d.digest(a),
                    None => Err(Erreur::new(
                        CodeErreur::FichierSigneManquant,
                        "signature détachée : fournir le fichier signé pour l'horodatage d'archive",
                    )),
                },
            )?;
            (e, Etat::Cades(x))
        }
        FormatSignature::XAdES => {
            let (e, x) = super::xades_long_terme::preparer_horodatage(signe, donnees, alg)?;
            (e, Etat::Xades(x))
        }
    };
    Ok(HorodatageDocumentPrepare {
        requete: super::cms::timestamp_request_digest(empreinte.clone(), alg, nonce)?,
        algorithme_empreinte: alg,
        empreinte,
        etat,
    })
}

impl HorodatageDocumentPrepare {
    /// Embed the token (or the whole `TimeStampResp`) the TSA returned. A token over other
    /// bytes is refused ([`CodeErreur::HorodatageDocumentIncorrect`]), nothing written.
    pub fn finir(&self, jeton: &[u8]) -> Result<Vec<u8>> {
        let jeton = super::cms::token_from_response(jeton)?;
        let tst = super::cms::decode_tst_info(&jeton)?;
        let alg = AlgorithmeEmpreinte::from_oid(&tst.message_imprint.hash_algorithm.oid)?;
        if alg != self.algorithme_empreinte
            || tst.message_imprint.hashed_message.as_bytes() != self.empreinte.as_slice()
        {
            return Err(Erreur::new(
                CodeErreur::HorodatageDocumentIncorrect,
                "le jeton d'horodatage ne porte pas sur ce document",
            ));
        }
        match &self.etat {
            Etat::Pades(e) => pades::assembler(e, &jeton),
            Etat::Cades(e) => super::cades_long_terme::finir(e, &jeton),
            Etat::Xades(x) => super::xades_long_terme::assembler(x, &jeton),
        }
    }
}

#[cfg(all(test, feature = "pdf"))]
mod tests {
    use super::*;
    use crate::signature::{self, DonneesSignees, OptionsSignature, Signataire};

    fn pdf_signe() -> (Vec<u8>, OptionsVerification) {
        let v = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/signature/");
        let lire = |f: &str| std::fs::read(format!("{v}{f}")).unwrap();
        let s = Signataire::from_pem(
            &String::from_utf8(lire("signataire.key")).unwrap(),
            &String::from_utf8(lire("signataire.pem")).unwrap(),
        )
        .unwrap();
        let date = chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
            .unwrap()
            .to_utc();
        let pdf = signature::signer(
            FormatSignature::PAdES,
            DonneesSignees::Octets(&lire("simple.pdf")),
            &s,
            &OptionsSignature::new(date),
        )
        .unwrap();
        let opts = OptionsVerification {
            ancres: Signataire::certificats_pem(&String::from_utf8(lire("ca.pem")).unwrap())
                .unwrap(),
            crls: vec![lire("crl.der")],
            date_verification: Some(date),
            ..Default::default()
        };
        (pdf, opts)
    }

    #[test]
    fn dss_ajoute_par_revision_et_lu_a_la_verification() {
        let (pdf, opts) = pdf_signe();
        let d = collecter_donnees_validation(&pdf, &opts).unwrap();
        // The signer and its CA; the CA's CRL, about the signer.
        assert_eq!(d.certificats.len(), 2);
        assert_eq!(d.crls, opts.crls);
        let lt = ajouter_donnees_validation(&pdf, &d).unwrap();
        assert_eq!(
            lt.get(..pdf.len()),
            Some(pdf.as_slice()),
            "mise à jour incrémentale"
        );
        // The same data again: nothing stored twice.
        let deux = ajouter_donnees_validation(&lt, &d).unwrap();
        let flux = |b: &[u8]| b.windows(6).filter(|w| w == b"stream").count();
        assert_eq!(flux(&deux) - flux(&lt), 0);
        let l = crate::signature::pades::tous_les_cms(&deux).unwrap();
        assert_eq!(l.len(), 1);
        // Verified without the host's CRL: the one of the DSS is used.
        let sans_crl = OptionsVerification {
            crls: vec![],
            ..opts.clone()
        };
        let r = signature::verifier(&deux, None, &sans_crl).unwrap();
        let s = &r.signatures[0];
        assert_eq!(r.statut, signature::Statut::Valide, "{:?}", s.raison);
        // No signature timestamp: B-B stays B-B whatever the DSS holds.
        assert_eq!(s.niveau, signature::Niveau::BB);
        assert_eq!(s.revocations.len(), 1);
        assert_eq!(
            s.revocations[0].source,
            Some(signature::SourceRevocation::Crl)
        );
    }

    #[test]
    fn horodatage_du_document_refuse_un_autre_jeton() {
        let (pdf, _) = pdf_signe();
        let p = preparer_horodatage_document(&pdf, AlgorithmeEmpreinte::Sha256, Some(5)).unwrap();
        assert_eq!(p.empreinte.len(), 32);
        // The request carries the digest of the prepared revision's ByteRange.
        assert!(p.requete.windows(32).any(|w| w == p.empreinte.as_slice()));
        // A CMS that is not a token over these bytes: refused, nothing written.
        let e = p.finir(&pdf_signe_cms(&pdf)).unwrap_err();
        assert!(
            matches!(
                e.code(),
                CodeErreur::HorodatageInvalide | CodeErreur::HorodatageDocumentIncorrect
            ),
            "{e}"
        );
        let e = ajouter_donnees_validation(
            &pdf,
            &DonneesValidation {
                certificats: vec![b"pas un certificat".to_vec()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), CodeErreur::DonneesValidationIllisibles);
        // XML without a signature: nothing to timestamp.
        let e =
            preparer_horodatage_document(b"<a/>", AlgorithmeEmpreinte::Sha256, None).unwrap_err();
        assert_eq!(e.code(), CodeErreur::SignatureFormatInconnu);
    }

    fn pdf_signe_cms(pdf: &[u8]) -> Vec<u8> {
        crate::signature::pades::last_cms(pdf).unwrap()
    }
}
