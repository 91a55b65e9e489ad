//! Verification of XAdES / XML-DSig signatures as the world writes them: enveloped,
//! enveloping and detached, XAdES 1.1.1 to 1.4.1, every signature of the document and its
//! counter-signatures, each with its own report.
//!
//! On top of core validation (`xmldsig.rs`): the SignedProperties must be the ones of this
//! signature and be signed by it (wrapping), the SigningCertificate(V2) must designate the
//! signer, a counter-signature must sign the SignatureValue of its parent.

use chrono::{DateTime, NaiveDateTime, Utc};
use der::{Decode, Encode};
use uppsala::NodeId;
use x509_cert::Certificate;

use super::algorithmes_xml;
use super::c14n::{self, ModeC14n};
use super::cms::{self, TimestampCheck};
use super::document_xml::{self, DocumentXml};
use super::etsi::SousIndication;
use super::rapport::{
    self, Constat, FormatSignature, Niveau, OptionsVerification, RapportSignature, Statut,
};
use super::reference_xml::{DS, Externes};
use super::xmldsig::{self, VerificationXml};
use super::{DonneesSignees, asn1};
use crate::{CodeErreur, Erreur, Result};

/// The namespaces of XAdES 1.1.1, 1.2.2, 1.3.2 and 1.4.1.
pub(crate) const XADES_NS: [&str; 4] = [
    "http://uri.etsi.org/01903/v1.1.1#",
    "http://uri.etsi.org/01903/v1.2.2#",
    "http://uri.etsi.org/01903/v1.3.2#",
    "http://uri.etsi.org/01903/v1.4.1#",
];
const TYPE_CONTRE_SIGNATURE: &str = "http://uri.etsi.org/01903#CountersignedSignature";

pub(crate) fn xades(d: &DocumentXml<'_>, n: NodeId, local: &str) -> bool {
    d.nom_local(n) == local && XADES_NS.contains(&d.espace(n))
}

/// The XAdES children of `n` named `local`.
fn enfants_xades<'a>(
    d: &'a DocumentXml<'_>,
    n: NodeId,
    local: &'a str,
) -> impl Iterator<Item = NodeId> + 'a {
    d.enfants(n).filter(move |c| xades(d, *c, local))
}

fn enfant_xades(d: &DocumentXml<'_>, n: NodeId, local: &str) -> Option<NodeId> {
    enfants_xades(d, n, local).next()
}

fn enveloppement(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::XmlEnveloppement, m.into())
}

/// Verify every signature of an XML document (and their counter-signatures).
/// `donnees` is the unnamed detached document; `opts.documents_nommes` the named ones.
pub(crate) fn verifier(
    data: &[u8],
    donnees: Option<DonneesSignees<'_>>,
    opts: &OptionsVerification,
) -> Result<Vec<RapportSignature>> {
    let texte = document_xml::texte(data)?;
    let d = DocumentXml::analyser(&texte)?;
    let racine = d.racine()?;
    let signatures: Vec<NodeId> = d
        .elements(racine)
        .into_iter()
        .filter(|n| d.est(*n, DS, "Signature") && d.ancetre(*n, DS, "Signature").is_none())
        .collect();
    if signatures.is_empty() {
        return Err(Erreur::new(
            CodeErreur::SignatureFormatInconnu,
            "aucune signature XML (ds:Signature) trouvée",
        ));
    }
    let mut externes = Externes::new(&opts.documents_nommes, donnees);
    if texte.contains("ArchiveTimeStamp") {
        // An archive timestamp covers the detached document again: not streamed once.
        // A document too big to keep is reported by that timestamp, not here.
        let _ = externes.garder_anonyme();
    }
    let mut rapports = vec![];
    for sig in signatures {
        rapports.push(verifier_avec_contre_signatures(
            &d,
            sig,
            None,
            &mut externes,
            opts,
            0,
        )?);
    }
    Ok(rapports)
}

/// One signature judged, with its counter-signatures (judged first, nested in its report).
fn verifier_avec_contre_signatures(
    d: &DocumentXml<'_>,
    sig: NodeId,
    parent: Option<NodeId>,
    externes: &mut Externes<'_, '_>,
    opts: &OptionsVerification,
    profondeur: usize,
) -> Result<RapportSignature> {
    if profondeur > 8 {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            "contre-signatures imbriquées trop profondément",
        ));
    }
    let v = verifier_une(d, sig, parent, externes, opts)?;
    let mut contre_signatures = vec![];
    for c in &v.contre {
        contre_signatures.push(verifier_avec_contre_signatures(
            d,
            *c,
            Some(sig),
            externes,
            opts,
            profondeur + 1,
        )?);
    }
    let mut r = rapport::juger_avec(
        v.constat,
        rapport::Complements {
            contre_signatures,
            certs_der: vec![],
        },
        &v.opts,
    );
    r.horodatages_archive = v.archives;
    if r.niveau == Niveau::BT && v.donnees_validation {
        let n = if v.archive_prouvee {
            Niveau::BLTA
        } else {
            Niveau::BLT
        };
        rapport::fixer_niveau(&mut r, n);
    }
    if v.cle_sans_certificat && r.statut == Statut::Valide {
        // A bare key names nobody: intact, but no chain can reach an anchor.
        let message = "signature vérifiée avec une clé sans certificat : signataire non identifié";
        r.statut = Statut::Indetermine;
        r.code = Some(CodeErreur::ChaineNonApprouvee);
        r.sous_indication = Some(SousIndication::NoCertificateChainFound);
        r.raison = Some(message.into());
        r.problemes.push(rapport::Probleme {
            statut: Statut::Indetermine,
            sous_indication: SousIndication::NoCertificateChainFound,
            code: CodeErreur::ChaineNonApprouvee,
            message: message.into(),
        });
        r.adapte_marches_publics = false;
    }
    Ok(r)
}

/// The XAdES properties of one signature.
pub(crate) struct Proprietes {
    pub qp: Option<NodeId>,
    pub signees: Option<NodeId>,
    pub non_signees: Option<NodeId>,
}

pub(crate) fn proprietes(d: &DocumentXml<'_>, sig: NodeId) -> Result<Proprietes> {
    let qps: Vec<NodeId> = d
        .enfants(sig)
        .filter(|o| d.est(*o, DS, "Object"))
        .flat_map(|o| enfants_xades(d, o, "QualifyingProperties").collect::<Vec<_>>())
        .collect();
    let qp = match qps.as_slice() {
        [] => None,
        [one] => Some(*one),
        _ => {
            return Err(enveloppement(
                "plusieurs QualifyingProperties dans une signature (signature wrapping)",
            ));
        }
    };
    let signees = qp.and_then(|q| enfant_xades(d, q, "SignedProperties"));
    let non_signees = qp.and_then(|q| enfant_xades(d, q, "UnsignedProperties"));
    Ok(Proprietes {
        qp,
        signees,
        non_signees,
    })
}

/// What the unsigned properties carry for validation (CertificateValues,
/// RevocationValues, TimeStampValidationData).
#[derive(Default)]
struct ValeursNonSignees {
    certs: Vec<Certificate>,
    crls: Vec<Vec<u8>>,
    ocsps: Vec<Vec<u8>>,
}

fn valeurs_non_signees(d: &DocumentXml<'_>, non_signees: Option<NodeId>) -> ValeursNonSignees {
    let mut v = ValeursNonSignees::default();
    let Some(u) = non_signees else {
        return v;
    };
    let ValeursNonSignees { certs, crls, ocsps } = &mut v;
    for n in d.elements(u) {
        if xades(d, n, "EncapsulatedX509Certificate") {
            if let Some(c) = d
                .base64(n)
                .ok()
                .and_then(|b| super::signer::certificat(&b).ok())
                && !certs.contains(&c)
            {
                certs.push(c);
            }
        } else if xades(d, n, "EncapsulatedCRLValue")
            && let Ok(b) = d.base64(n)
        {
            crls.push(b);
        } else if xades(d, n, "EncapsulatedOCSPValue")
            && let Ok(b) = d.base64(n)
        {
            ocsps.push(b);
        }
    }
    v
}

/// The certificate of `pool` the signed properties designate (SigningCertificate(V2)).
pub(crate) fn designe_parmi(
    d: &DocumentXml<'_>,
    signees: NodeId,
    pool: &[Certificate],
) -> Option<Certificate> {
    let refs = refs_certificat(d, signees);
    pool.iter()
        .find(|c| refs.iter().any(|r| designe(r, c) == Some(true)))
        .cloned()
}

/// One `Cert` of SigningCertificate / SigningCertificateV2.
struct RefCertificat {
    digest: Result<(super::signer::AlgorithmeEmpreinte, Vec<u8>)>,
    /// (serial, issuer name) of V1, or the DER IssuerSerial of V2.
    serie_v1: Option<(String, String)>,
    serie_v2: Option<Vec<u8>>,
}

fn refs_certificat(d: &DocumentXml<'_>, signees: NodeId) -> Vec<RefCertificat> {
    let mut out = vec![];
    let Some(ssp) = enfant_xades(d, signees, "SignedSignatureProperties") else {
        return out;
    };
    for sc in d
        .enfants(ssp)
        .filter(|n| xades(d, *n, "SigningCertificate") || xades(d, *n, "SigningCertificateV2"))
    {
        for cert in enfants_xades(d, sc, "Cert") {
            let cd = enfant_xades(d, cert, "CertDigest");
            // XAdES 1.1.1 puts DigestMethod/DigestValue in its own namespace.
            let methode = cd.and_then(|c| d.enfants(c).find(|n| d.nom_local(*n) == "DigestMethod"));
            let valeur = cd.and_then(|c| d.enfants(c).find(|n| d.nom_local(*n) == "DigestValue"));
            let digest = match (methode, valeur) {
                (Some(m), Some(v)) => {
                    algorithmes_xml::empreinte(d.attribut(m, "Algorithm").unwrap_or(""))
                        .and_then(|a| d.base64(v).map(|b| (a, b)))
                }
                _ => Err(Erreur::new(
                    CodeErreur::SignatureMalformee,
                    "CertDigest incomplet",
                )),
            };
            let serie_v1 = enfant_xades(d, cert, "IssuerSerial").map(|is| {
                let nom = d
                    .enfant(is, DS, "X509IssuerName")
                    .map(|n| d.texte(n))
                    .unwrap_or_default();
                let serie = d
                    .enfant(is, DS, "X509SerialNumber")
                    .map(|n| d.texte(n).trim().to_string())
                    .unwrap_or_default();
                (serie, nom)
            });
            let serie_v2 = enfant_xades(d, cert, "IssuerSerialV2").and_then(|n| d.base64(n).ok());
            out.push(RefCertificat {
                digest,
                serie_v1,
                serie_v2,
            });
        }
    }
    out
}

/// RFC 4514 / 2253 escapes of a DN value: `\\,` and `\\C3\\BA` (UTF-8 bytes in hex).
fn desechapper(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            if let Some(h) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(h);
                i += 3;
                continue;
            }
            if let Some(&n) = b.get(i + 1) {
                out.push(n);
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The (type, value) pairs of a DN written as text, escapes resolved.
fn paires_dn(t: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut courant = String::new();
    let mut echappe = false;
    let mut guillemets = false;
    let mut morceaux = vec![];
    for c in t.chars() {
        if echappe {
            courant.push('\\');
            courant.push(c);
            echappe = false;
        } else if c == '\\' {
            echappe = true;
        } else if c == '"' {
            // RFC 2253 quoted value: separators inside are part of it.
            guillemets = !guillemets;
        } else if !guillemets && (c == ',' || c == ';' || c == '+') {
            morceaux.push(std::mem::take(&mut courant));
        } else {
            courant.push(c);
        }
    }
    morceaux.push(courant);
    for m in morceaux {
        if let Some((k, v)) = m.split_once('=') {
            out.push((
                k.trim().to_ascii_uppercase(),
                desechapper(v.trim()).trim().to_lowercase(),
            ));
        }
    }
    out
}

/// Do two DNs written as text name the same issuer? Producers differ in order, spacing,
/// case, escapes and in the labels of rarer attributes (E, EMAILADDRESS, OID.1.2...), so
/// only the common attributes present on both sides are compared: a difference there is
/// proof.
fn memes_noms(a: &str, b: &str) -> bool {
    const COMPARES: [&str; 6] = ["CN", "O", "OU", "C", "L", "ST"];
    let (va, vb) = (paires_dn(a), paires_dn(b));
    COMPARES.iter().all(|k| {
        let mut x: Vec<&String> = va.iter().filter(|(c, _)| c == k).map(|(_, v)| v).collect();
        let mut y: Vec<&String> = vb.iter().filter(|(c, _)| c == k).map(|(_, v)| v).collect();
        x.sort();
        y.sort();
        x.is_empty() || y.is_empty() || x == y
    })
}

/// The attributes of a Name, whatever their order and string type (some producers write
/// the RDNs of IssuerSerialV2 in reverse order).
fn attributs_nom(n: &x509_cert::name::Name) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = n
        .iter_rdn()
        .flat_map(|rdn| {
            rdn.iter()
                .map(|a| (a.oid.to_string(), a.value.value().to_vec()))
                .collect::<Vec<_>>()
        })
        .collect();
    v.sort();
    v
}

/// Does `r` designate `cert`? `None`: its digest algorithm is not supported (says nothing).
fn designe(r: &RefCertificat, cert: &Certificate) -> Option<bool> {
    let (alg, v) = r.digest.as_ref().ok()?;
    let der = cert.to_der().ok()?;
    if alg.hash(&der) != *v {
        return Some(false);
    }
    if let Some((serie, nom)) = &r.serie_v1 {
        if !serie.is_empty() && *serie != xmldsig::serie_decimale(cert) {
            return Some(false);
        }
        let emetteur = cert.tbs_certificate().issuer().to_string();
        if !nom.trim().is_empty() && !memes_noms(nom, &emetteur) {
            return Some(false);
        }
    }
    if let Some(der_is) = &r.serie_v2 {
        match asn1::IssuerSerial::from_der(der_is) {
            Ok(is) => {
                let tbs = cert.tbs_certificate();
                let nom_ok = is.issuer.iter().any(|g| {
                    matches!(g, x509_cert::ext::pkix::name::GeneralName::DirectoryName(n)
                        if attributs_nom(n) == attributs_nom(tbs.issuer()))
                });
                if &is.serial_number != tbs.serial_number() || !nom_ok {
                    return Some(false);
                }
            }
            Err(_) => return Some(false),
        }
    }
    Some(true)
}

fn date_xml(t: &str) -> Option<DateTime<Utc>> {
    let t = t.trim();
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.to_utc())
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// What one signature gives before it is judged.
struct Une {
    constat: Constat,
    /// The host's options with the CRLs the signature carries.
    opts: OptionsVerification,
    contre: Vec<NodeId>,
    cle_sans_certificat: bool,
    /// Its archive timestamps, judged (B-LTA).
    archives: Vec<rapport::Horodatage>,
    archive_prouvee: bool,
    /// CertificateValues / RevocationValues present (B-LT).
    donnees_validation: bool,
}

fn verifier_une(
    d: &DocumentXml<'_>,
    sig: NodeId,
    parent: Option<NodeId>,
    externes: &mut Externes<'_, '_>,
    opts: &OptionsVerification,
) -> Result<Une> {
    let props = proprietes(d, sig)?;
    let ValeursNonSignees {
        certs: certs_non_signes,
        crls: crls_non_signees,
        ocsps: ocsps_non_signees,
    } = valeurs_non_signees(d, props.non_signees);
    let refs_cert = props
        .signees
        .map(|s| refs_certificat(d, s))
        .unwrap_or_default();
    let mut autres = certs_non_signes.clone();
    autres.extend(opts.intermediaires.iter().cloned());
    autres.extend(opts.ancres.iter().cloned());
    let designer = |pool: &[Certificate]| -> Option<Certificate> {
        pool.iter()
            .find(|c| refs_cert.iter().any(|r| designe(r, c) == Some(true)))
            .cloned()
    };
    let v = xmldsig::verifier(d, sig, externes, &autres, &designer)?;

    // The signed properties must be this signature's and be signed by it.
    if let Some(sp) = props.signees {
        let couverte = v
            .references
            .iter()
            .any(|r| r.cible.is_some_and(|t| d.dans(sp, t) && d.dans(t, sig)));
        if !couverte {
            return Err(enveloppement(
                "les SignedProperties de la signature ne sont pas signées (signature wrapping)",
            ));
        }
    }
    for r in &v.references {
        let typee = r
            .type_
            .as_deref()
            .is_some_and(|t| t.ends_with("#SignedProperties"));
        if typee {
            let ok = match (r.cible, props.signees) {
                (Some(t), Some(sp)) => d.dans(sp, t) && props.qp.is_some_and(|q| d.dans(sp, q)),
                _ => false,
            };
            if !ok {
                return Err(enveloppement(
                    "la référence aux SignedProperties ne désigne pas celles de la signature (signature wrapping)",
                ));
            }
        }
    }

    let mut integrity = v.integrity.clone();
    // A counter-signature signs the SignatureValue of its parent, and that one only.
    if let Some(p) = parent {
        let sv_parent = d.enfant(p, DS, "SignatureValue");
        let signe_parent = v
            .references
            .iter()
            .any(|r| r.cible.is_some() && r.cible == sv_parent);
        let etrangere = v
            .references
            .iter()
            .any(|r| r.type_.as_deref() == Some(TYPE_CONTRE_SIGNATURE) && r.cible != sv_parent);
        if (!signe_parent || etrangere) && integrity.is_ok() {
            // Its reference does not cover what it claims to counter-sign: not intact.
            integrity = Err(Erreur::new(
                CodeErreur::SignatureIntegrite,
                "la contre-signature ne porte pas sur la valeur de la signature qu'elle contresigne",
            ));
        }
    }

    let cert_ref = match (&v.signer, refs_cert.is_empty()) {
        // No certificate to compare with (a bare key): the reference proves nothing.
        (_, true) | (None, false) => None,
        (Some(c), false) => {
            let r: Vec<Option<bool>> = refs_cert.iter().map(|r| designe(r, c)).collect();
            if r.contains(&Some(true)) {
                Some(true)
            } else if r.contains(&Some(false)) {
                Some(false)
            } else {
                None
            }
        }
    };
    let signing_time = props
        .signees
        .and_then(|s| enfant_xades(d, s, "SignedSignatureProperties"))
        .and_then(|s| enfant_xades(d, s, "SigningTime"))
        .and_then(|t| date_xml(&d.texte(t)));
    let usp = props
        .non_signees
        .and_then(|u| enfant_xades(d, u, "UnsignedSignatureProperties"));
    let timestamp = usp
        .and_then(|u| enfant_xades(d, u, "SignatureTimeStamp"))
        .map(|ts| horodatage(d, ts, v.signature_value));
    let contre: Vec<NodeId> = usp
        .map(|u| {
            enfants_xades(d, u, "CounterSignature")
                .filter_map(|c| d.enfant(c, DS, "Signature"))
                .collect()
        })
        .unwrap_or_default();

    let mut certs = v.certs.clone();
    certs.extend(
        certs_non_signes
            .into_iter()
            .filter(|c| !v.certs.contains(c)),
    );
    let VerificationXml {
        signer,
        cle_sans_certificat,
        schema,
        empreinte,
        crypto,
        crls,
        ..
    } = v;
    // CRLs carried by the signature count like the host's (each is checked against its
    // issuer's key before it is believed).
    let mut o = opts.clone();
    o.crls.extend(crls);
    o.crls.extend(crls_non_signees);
    // The OCSP responses of RevocationValues too (each checked before it is believed).
    for r in ocsps_non_signees {
        if !o.reponses_ocsp.contains(&r) {
            o.reponses_ocsp.push(r);
        }
    }
    for c in &certs {
        if !o.intermediaires.contains(c) {
            o.intermediaires.push(c.clone());
        }
    }
    // B-LTA: the archive timestamps, judged with the validation data the file carries; a
    // valid one proves the signature and that data existed at its time (EN 319 102-1 5.6).
    let (archives, preuve) = super::xades_long_terme::archives(d, sig, usp, externes, &o);
    let donnees_validation = super::xades_long_terme::a_donnees_validation(d, usp);
    if let Some(t) = preuve {
        o.date_verification = Some(o.date_verification.map_or(t, |v| v.min(t)));
    }
    Ok(Une {
        constat: Constat {
            format: FormatSignature::XAdES,
            signer,
            certs,
            digest_alg: empreinte,
            scheme: schema,
            integrity,
            crypto,
            signing_time,
            cert_ref,
            timestamp,
            pdf: None,
        },
        opts: o,
        contre,
        cle_sans_certificat,
        archives,
        archive_prouvee: preuve.is_some(),
        donnees_validation,
    })
}

/// The signature timestamp: an RFC 3161 token over the canonical SignatureValue element.
fn horodatage(d: &DocumentXml<'_>, ts: NodeId, sv: Option<NodeId>) -> TimestampCheck {
    let echec = |e: Erreur| TimestampCheck {
        date: None,
        valid: Err(e),
        tsa: None,
        certs: vec![],
    };
    let mode = d
        .enfant(ts, DS, "CanonicalizationMethod")
        .map(|c| {
            (
                c14n::mode_exige(d.attribut(c, "Algorithm").unwrap_or("")),
                c14n::prefixes_inclus(d, c),
            )
        })
        .unwrap_or((Ok(ModeC14n::Inclusive), vec![]));
    let jeton = enfant_xades(d, ts, "EncapsulatedTimeStamp").map(|e| d.base64(e));
    let Some(sv) = sv else {
        return echec(Erreur::new(
            CodeErreur::SignatureMalformee,
            "SignatureValue absent",
        ));
    };
    match (mode, jeton) {
        (_, None) => echec(Erreur::new(CodeErreur::HorodatageInvalide, "jeton absent")),
        (_, Some(Err(e))) | ((Err(e), _), _) => echec(e),
        ((Ok(m), prefixes), Some(Ok(tok))) => match c14n::element(d, sv, m, &prefixes) {
            Ok(imprime) => cms::check_timestamp(&tok, &imprime),
            Err(e) => echec(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noms_compares() {
        assert!(memes_noms("CN=a, O=B", "o=b,cn=A"));
        assert!(memes_noms(
            "CN=a,E=x@y",
            "CN=a,OID.1.2.840.113549.1.9.1=x@y"
        ));
        assert!(!memes_noms("CN=a,O=B", "CN=c,O=B"));
        assert!(memes_noms(
            "CN=EC-SectorPublic,OU=Serveis P\\C3\\BAblics,O=X\\, SA,C=ES",
            "C=ES,O=X\\, SA,OU=Serveis Públics,CN=EC-SectorPublic"
        ));
        assert!(memes_noms(
            "O=\"Autorité, a.s.\", CN=\"I.CA, 09/2009\", C=CZ",
            "O=Autorité\\, a.s.,CN=I.CA\\, 09/2009,C=CZ"
        ));
    }

    #[test]
    fn dates() {
        assert!(date_xml("2019-02-19T12:29:01Z").is_some());
        assert!(date_xml("2019-02-19T12:29:01.123+01:00").is_some());
        assert!(date_xml("2019-02-19T12:29:01").is_some());
        assert!(date_xml("hier").is_none());
    }
}
