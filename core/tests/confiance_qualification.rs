//! Trusted lists made here and signed by xmlsec1 (an independent signer and verifier), and
//! certificates made by openssl with QcStatements: mpe verifies the lists as xmlsec1 does,
//! loads a LOTL and its national list, and qualifies each certificate as ETSI TS 119 615
//! says (QESig, AdESig-QC, QESeal, AdES, INDÉTERMINÉE). A missing tool is a failure.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use mpe::CodeErreur;
use mpe::confiance::{self, CacheListes, Confiance, OptionsListe, TypeQualification};
use mpe::signature::{self, Statut};
use x509_cert::Certificate;

fn outil(prog: &str, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(prog)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{prog} introuvable : {e}"))
}

fn openssl(args: &[&str], dir: &Path) {
    let o = outil("openssl", args, dir);
    assert!(
        o.status.success(),
        "openssl {args:?} : {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn pem(dir: &Path, nom: &str) -> Certificate {
    signature::certificat(&std::fs::read(dir.join(nom)).unwrap()).unwrap()
}

fn b64(dir: &Path, nom: &str) -> String {
    let (_, der) = der::pem::decode_vec(&std::fs::read(dir.join(nom)).unwrap()).unwrap();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// DER TLV (short and long lengths).
fn tlv(tag: u8, contenu: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = contenu.len();
    if n < 128 {
        v.push(n as u8);
    } else {
        v.push(0x81);
        v.push(n as u8);
    }
    v.extend_from_slice(contenu);
    v
}

/// OID 0.4.0.1862.1.<suite>.
fn oid_etsi(suite: &[u8]) -> Vec<u8> {
    let mut c = vec![0x04, 0x00, 0x8E, 0x46, 0x01];
    c.extend_from_slice(suite);
    tlv(0x06, &c)
}

/// QcStatements: QcCompliance, optionally QcSSCD, and a QcType (1 eSign, 2 eSeal).
fn qc_statements(qscd: bool, qc_type: Option<u8>) -> String {
    let mut s = tlv(0x30, &oid_etsi(&[1]));
    if qscd {
        s.extend(tlv(0x30, &oid_etsi(&[4])));
    }
    if let Some(t) = qc_type {
        let mut c = oid_etsi(&[6]);
        c.extend(tlv(0x30, &oid_etsi(&[6, t])));
        s.extend(tlv(0x30, &c));
    }
    hex::encode(tlv(0x30, &s))
}

/// A self-signed CA (EC P-256).
fn ca(dir: &Path, nom: &str) {
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{nom}.key"),
            "-out",
            &format!("{nom}.pem"),
            "-subj",
            &format!("/C=FR/O=Prestataire {nom}/CN=AC {nom}"),
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-addext",
            "subjectKeyIdentifier=hash",
        ],
        dir,
    );
}

/// A signer certificate issued by `ac`, with QcStatements and a policy.
fn porteur(dir: &Path, nom: &str, ac: &str, qc_hex: &str, politique: &str) -> Certificate {
    openssl(
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{nom}.key"),
            "-out",
            &format!("{nom}.csr"),
            "-subj",
            &format!("/C=FR/GN=Jeanne/SN=Martin/CN={nom}"),
        ],
        dir,
    );
    std::fs::write(
        dir.join(format!("{nom}.cnf")),
        format!(
            "[ee]\nkeyUsage=critical,nonRepudiation\ncertificatePolicies={politique}\n\
             authorityKeyIdentifier=keyid\n1.3.6.1.5.5.7.1.3=DER:{qc_hex}\n"
        ),
    )
    .unwrap();
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            &format!("{nom}.csr"),
            "-CA",
            &format!("{ac}.pem"),
            "-CAkey",
            &format!("{ac}.key"),
            "-set_serial",
            "4242",
            "-days",
            "365",
            "-extfile",
            &format!("{nom}.cnf"),
            "-extensions",
            "ee",
            "-out",
            &format!("{nom}.pem"),
        ],
        dir,
    );
    pem(dir, &format!("{nom}.pem"))
}

fn iso(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

const SVC: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";
const STATUT: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/";

/// One TSPService: a CA/QC with its status, additional information and qualifications, and
/// an optional earlier state.
fn service(
    cert_b64: &str,
    statut: &str,
    debut: &str,
    asi: &[&str],
    qualifications: &str,
    historique: Option<(&str, &str)>,
) -> String {
    let exts: String = asi
        .iter()
        .map(|a| {
            format!(
                "<Extension Critical=\"true\"><AdditionalServiceInformation><URI xml:lang=\"en\">{SVC}{a}</URI></AdditionalServiceInformation></Extension>"
            )
        })
        .collect();
    let q = if qualifications.is_empty() {
        String::new()
    } else {
        format!(
            "<Extension Critical=\"true\"><q:Qualifications xmlns:q=\"http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#\">{qualifications}</q:Qualifications></Extension>"
        )
    };
    let etat = |statut: &str, debut: &str, ext: &str| {
        format!(
            "<ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>\
             <ServiceName><Name xml:lang=\"en\">Service</Name></ServiceName>\
             <ServiceDigitalIdentity><DigitalId><X509Certificate>{cert_b64}</X509Certificate></DigitalId></ServiceDigitalIdentity>\
             <ServiceStatus>{STATUT}{statut}</ServiceStatus><StatusStartingTime>{debut}</StatusStartingTime>\
             <ServiceInformationExtensions>{ext}</ServiceInformationExtensions>"
        )
    };
    let ext = format!("{exts}{q}");
    let hist = historique
        .map(|(s, d)| {
            format!(
                "<ServiceHistory><ServiceHistoryInstance>{}</ServiceHistoryInstance></ServiceHistory>",
                etat(s, d, &ext)
            )
        })
        .unwrap_or_default();
    format!(
        "<TSPService><ServiceInformation>{}<ServiceSupplyPoints><ServiceSupplyPoint>http://ocsp.invalid/</ServiceSupplyPoint></ServiceSupplyPoints></ServiceInformation>{hist}</TSPService>",
        etat(statut, debut, &ext)
    )
}

/// A list (TL or LOTL) with an xmlsec1 signature template.
fn liste(
    type_liste: &str,
    territoire: &str,
    emise: &str,
    suivante: &str,
    pointeurs: &str,
    services: &str,
) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" Id="liste" TSLTag="http://uri.etsi.org/19612/TSLTag"><SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier><TSLSequenceNumber>7</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/{type_liste}</TSLType><SchemeOperatorName><Name xml:lang="fr">Opérateur de test</Name></SchemeOperatorName><SchemeTerritory>{territoire}</SchemeTerritory>{pointeurs}<ListIssueDateTime>{emise}</ListIssueDateTime><NextUpdate><dateTime>{suivante}</dateTime></NextUpdate></SchemeInformation><TrustServiceProviderList><TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="fr">Prestataire de test</Name></TSPName></TSPInformation><TSPServices>{services}</TSPServices></TrustServiceProvider></TrustServiceProviderList><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="signature"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></TrustServiceStatusList>
"#
    )
}

/// Sign a list with xmlsec1 and check it with xmlsec1 (trusting the signer directly).
fn signer_liste(dir: &Path, nom: &str, xml: &str, signataire: &str) -> Vec<u8> {
    std::fs::write(dir.join(format!("{nom}.modele.xml")), xml).unwrap();
    let o = outil(
        "xmlsec1",
        &[
            "--sign",
            "--privkey-pem",
            &format!("{signataire}.key,{signataire}.pem"),
            "--output",
            &format!("{nom}.xml"),
            &format!("{nom}.modele.xml"),
        ],
        dir,
    );
    assert!(
        o.status.success(),
        "xmlsec1 --sign : {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = outil(
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            &format!("{signataire}.pem"),
            &format!("{nom}.xml"),
        ],
        dir,
    );
    assert!(
        o.status.success(),
        "xmlsec1 --verify : {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(dir.join(format!("{nom}.xml"))).unwrap()
}

fn xmlsec_accepte(dir: &Path, octets: &[u8], signataire: &str) -> bool {
    std::fs::write(dir.join("essai.xml"), octets).unwrap();
    outil(
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            &format!("{signataire}.pem"),
            "essai.xml",
        ],
        dir,
    )
    .status
    .success()
}

fn signataire_rsa(dir: &Path, nom: &str) {
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{nom}.key"),
            "-out",
            &format!("{nom}.pem"),
            "-subj",
            &format!("/C=FR/O=Operateur/CN={nom}"),
            "-days",
            "3650",
        ],
        dir,
    );
}

struct Monde {
    dir: tempfile::TempDir,
    maintenant: DateTime<Utc>,
    tl: Vec<u8>,
    lotl: Vec<u8>,
}

/// The CAs, the list of France listing five of them, and a LOTL pointing to it.
fn monde() -> Monde {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let maintenant = Utc::now();
    for n in ["ac1", "ac2", "ac3", "ac4", "ac5", "ac6"] {
        ca(d, n);
    }
    signataire_rsa(d, "signataire-fr");
    signataire_rsa(d, "signataire-lotl");
    let politique_nqscd = "<q:QualificationElement><q:Qualifiers><q:Qualifier uri=\"http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCNoQSCD\"/></q:Qualifiers><q:CriteriaList assert=\"atLeastOne\"><q:PolicySet><q:PolicyIdentifier><q:Identifier>1.2.250.1.999.2</q:Identifier></q:PolicyIdentifier></q:PolicySet></q:CriteriaList></q:QualificationElement>";
    let inconnu = "<q:QualificationElement><q:Qualifiers><q:Qualifier uri=\"http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD\"/></q:Qualifiers><q:CriteriaList assert=\"all\"><q:otherCriteriaList><x:CritereInconnu xmlns:x=\"urn:test\"/></q:otherCriteriaList></q:CriteriaList></q:QualificationElement>";
    let debut = "2016-07-01T00:00:00Z";
    let retrait = iso(maintenant + Duration::minutes(30));
    let services = [
        service(
            &b64(d, "ac1.pem"),
            "granted",
            debut,
            &["ForeSignatures", "ForeSeals"],
            politique_nqscd,
            None,
        ),
        service(
            &b64(d, "ac2.pem"),
            "granted",
            debut,
            &["ForeSignatures"],
            inconnu,
            None,
        ),
        service(
            &b64(d, "ac3.pem"),
            "withdrawn",
            &retrait,
            &["ForeSignatures"],
            "",
            Some(("granted", debut)),
        ),
        service(
            &b64(d, "ac4.pem"),
            "granted",
            debut,
            &["ForeSignatures"],
            "",
            None,
        ),
        service(
            &b64(d, "ac5.pem"),
            "granted",
            debut,
            &["ForeSignatures", "ForeSeals"],
            "",
            None,
        ),
    ]
    .join("");
    let emise = iso(maintenant - Duration::days(1));
    let suivante = iso(maintenant + Duration::days(180));
    let tl = signer_liste(
        d,
        "fr",
        &liste("EUgeneric", "FR", &emise, &suivante, "", &services),
        "signataire-fr",
    );
    let pointeur = format!(
        "<PointersToOtherTSL><OtherTSLPointer><ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId><X509Certificate>{}</X509Certificate></DigitalId></ServiceDigitalIdentity></ServiceDigitalIdentities><TSLLocation>https://liste.invalid/fr.xml</TSLLocation><AdditionalInformation><OtherInformation><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType></OtherInformation><OtherInformation><SchemeTerritory>FR</SchemeTerritory></OtherInformation><OtherInformation><MimeType xmlns=\"http://uri.etsi.org/02231/v2/additionaltypes#\">application/vnd.etsi.tsl+xml</MimeType></OtherInformation></AdditionalInformation></OtherTSLPointer></PointersToOtherTSL>",
        b64(d, "signataire-fr.pem")
    );
    let lotl = signer_liste(
        d,
        "lotl",
        &liste("EUlistofthelists", "EU", &emise, &suivante, &pointeur, ""),
        "signataire-lotl",
    );
    Monde {
        dir,
        maintenant,
        tl,
        lotl,
    }
}

fn charger(m: &Monde, cache: &mut CacheListes) -> Confiance {
    let d = m.dir.path();
    confiance::charger(
        &m.lotl,
        &[pem(d, "signataire-lotl.pem")],
        &[&m.tl],
        m.maintenant,
        cache,
    )
}

#[test]
fn listes_generees_verifiees_comme_xmlsec1() {
    let m = monde();
    let d = m.dir.path();
    let fr = pem(d, "signataire-fr.pem");
    let r = confiance::verifier_liste(&m.tl, &OptionsListe::new(vec![fr.clone()], m.maintenant))
        .unwrap();
    assert_eq!(r.statut, Statut::Valide, "{r:?}");
    assert_eq!(r.liste.prestataires[0].services.len(), 5);

    // Altered after signing: xmlsec1 refuses it, mpe calls it INVALIDE.
    let texte = String::from_utf8(m.tl.clone()).unwrap();
    let altere = texte.replacen("Svcstatus/withdrawn", "Svcstatus/granted", 1);
    assert!(!xmlsec_accepte(d, altere.as_bytes(), "signataire-fr"));
    let r = confiance::verifier_liste(
        altere.as_bytes(),
        &OptionsListe::new(vec![fr.clone()], m.maintenant),
    )
    .unwrap();
    assert_eq!(r.statut, Statut::Invalide);
    assert_eq!(r.code, Some(CodeErreur::SignatureIntegrite));

    // Signed by a certificate that is not announced: INDÉTERMINÉ, not used.
    let autre = pem(d, "signataire-lotl.pem");
    let r =
        confiance::verifier_liste(&m.tl, &OptionsListe::new(vec![autre], m.maintenant)).unwrap();
    assert_eq!(r.statut, Statut::Indetermine);
    assert_eq!(r.code, Some(CodeErreur::ListeConfianceSignataireNonAnnonce));
    assert!(!r.utilisable);

    // Expired, not yet issued, older sequence, other territory.
    let plus_tard = m.maintenant + Duration::days(365);
    let r =
        confiance::verifier_liste(&m.tl, &OptionsListe::new(vec![fr.clone()], plus_tard)).unwrap();
    assert_eq!(r.code, Some(CodeErreur::ListeConfiancePerimee));
    let avant = m.maintenant - Duration::days(30);
    let r = confiance::verifier_liste(&m.tl, &OptionsListe::new(vec![fr.clone()], avant)).unwrap();
    assert_eq!(r.code, Some(CodeErreur::ListeConfiancePerimee));
    let mut o = OptionsListe::new(vec![fr.clone()], m.maintenant);
    o.sequence_connue = Some(8);
    let r = confiance::verifier_liste(&m.tl, &o).unwrap();
    assert_eq!(r.code, Some(CodeErreur::ListeConfianceSequence));
    let mut o = OptionsListe::new(vec![fr], m.maintenant);
    o.territoire_annonce = Some("BE".into());
    let r = confiance::verifier_liste(&m.tl, &o).unwrap();
    assert_eq!(r.code, Some(CodeErreur::ListeConfianceNonConforme));
}

#[test]
fn lotl_puis_liste_nationale_et_cache() {
    let m = monde();
    let mut cache = CacheListes::new();
    let c = charger(&m, &mut cache);
    assert!(c.lotl.as_ref().unwrap().utilisee(), "{:?}", c.lotl);
    assert_eq!(c.listes.len(), 1, "{:?}", c.entrees);
    assert_eq!(cache.len(), 2);
    // Second load: from the cache, same outcome.
    let c2 = charger(&m, &mut cache);
    assert_eq!(cache.len(), 2);
    assert_eq!(c2.listes, c.listes);

    // A LOTL checked against the wrong certificate: nothing national is used.
    let d = m.dir.path();
    let c = confiance::charger(
        &m.lotl,
        &[pem(d, "signataire-fr.pem")],
        &[&m.tl],
        m.maintenant,
        &mut cache,
    );
    assert!(c.listes.is_empty());
    assert_eq!(
        c.entrees[0].erreur.as_ref().map(|e| e.code()),
        Some(CodeErreur::ListeConfianceSignataireNonAnnonce)
    );
}

#[test]
fn qualification_des_certificats() {
    let m = monde();
    let d = m.dir.path();
    let mut cache = CacheListes::new();
    let c = charger(&m, &mut cache);
    let signature = m.maintenant + Duration::minutes(1);
    let q = |nom: &str, ac: &str, qscd: bool, t: u8, pol: &str, quand: DateTime<Utc>| {
        let cert = porteur(d, nom, ac, &qc_statements(qscd, Some(t)), pol);
        confiance::qualifier(&cert, quand, &c)
    };
    // eSign in a QSCD, granted service: QESig.
    let r = q("qesig", "ac5", true, 1, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::QESig, "{r:#?}");
    assert!(serde_json::to_string(&r).unwrap().contains("\"QESig\""));
    // eSign without QSCD: AdESig-QC.
    let r = q("adesigqc", "ac5", false, 1, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::AdESigQc, "{r:#?}");
    // eSeal in a QSCD under a service for seals: QESeal.
    let r = q("qeseal", "ac5", true, 2, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::QESeal, "{r:#?}");
    // eSeal under a service granted for signatures only: not qualified for it.
    let r = q(
        "cachet-refuse",
        "ac4",
        true,
        2,
        "1.2.250.1.999.1",
        signature,
    );
    assert_eq!(r.qualification, TypeQualification::AdES, "{r:#?}");
    // The list's QCNoQSCD for policy .2 overrides the certificate's QcSSCD.
    let r = q("nqscd", "ac1", true, 1, "1.2.250.1.999.2", signature);
    assert_eq!(r.qualification, TypeQualification::AdESigQc, "{r:#?}");
    assert!(
        r.a_la_signature
            .as_ref()
            .unwrap()
            .qualificatifs
            .contains(&"QCNoQSCD".to_string())
    );
    // ... and not for another policy.
    let r = q("qscd-pol1", "ac1", true, 1, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::QESig, "{r:#?}");
    // A criterion mpe does not evaluate: INDÉTERMINÉE, never a positive claim.
    let r = q("inconnu", "ac2", true, 1, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::Indeterminee, "{r:#?}");
    assert_eq!(r.code, Some(CodeErreur::QualificationIndeterminee));
    // Service withdrawn after the signature: QESig; signed after the withdrawal: AdES.
    let r = q("retire-avant", "ac3", true, 1, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::QESig, "{r:#?}");
    let r = q(
        "retire-apres",
        "ac3",
        true,
        1,
        "1.2.250.1.999.1",
        m.maintenant + Duration::hours(1),
    );
    assert_eq!(r.qualification, TypeQualification::AdES, "{r:#?}");
    // Issued by a CA no list names.
    let r = q("hors-liste", "ac6", true, 1, "1.2.250.1.999.1", signature);
    assert_eq!(r.qualification, TypeQualification::AdES);
    assert_eq!(r.code, Some(CodeErreur::ServiceConfianceIntrouvable));
    // No usable list at all (the LOTL is not trusted): nothing is qualified.
    let vide = confiance::charger(&m.lotl, &[], &[&m.tl], m.maintenant, &mut cache);
    let cert = pem(d, "qesig.pem");
    let r = confiance::qualifier(&cert, signature, &vide);
    assert_eq!(r.qualification, TypeQualification::AdES);
}

/// With trusted lists in the verification options, the arrêté's "qualified" check comes from
/// the qualification; without them, nothing changes.
#[test]
fn adapte_selon_les_listes() {
    use mpe::signature::{
        DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
    };
    let m = monde();
    let d = m.dir.path();
    let mut cache = CacheListes::new();
    let c = std::sync::Arc::new(charger(&m, &mut cache));
    let quand = m.maintenant + Duration::minutes(1);
    let signe = |nom: &str, ac: &str, qscd: bool| {
        let cert = porteur(d, nom, ac, &qc_statements(qscd, Some(1)), "1.2.250.1.999.1");
        let s = Signataire::from_pem(
            &std::fs::read_to_string(d.join(format!("{nom}.key"))).unwrap(),
            &std::fs::read_to_string(d.join(format!("{nom}.pem"))).unwrap(),
        )
        .unwrap();
        let p7s = signature::signer(
            FormatSignature::CAdES,
            DonneesSignees::Octets(b"offre"),
            &s,
            &OptionsSignature::new(quand),
        )
        .unwrap();
        (cert, p7s)
    };
    let opts = |ac: &str, avec: bool| OptionsVerification {
        ancres: vec![pem(d, &format!("{ac}.pem"))],
        date_verification: Some(quand),
        confiance: avec.then(|| c.clone()),
        ..Default::default()
    };
    let verifie = |p7s: &[u8], o: &OptionsVerification| {
        let r = signature::verifier(p7s, Some(DonneesSignees::Octets(b"offre")), o).unwrap();
        assert_eq!(r.statut, Statut::Valide, "{r:#?}");
        r.signatures.into_iter().next().unwrap()
    };
    // QESig: adapté, the steps in the report.
    let (_, p7s) = signe("cades-qesig", "ac5", true);
    let s = verifie(&p7s, &opts("ac5", true));
    assert!(
        s.adapte_marches_publics,
        "{:#?}",
        s.controles_marches_publics
    );
    let q = s.qualification.unwrap();
    assert_eq!(q.qualification, TypeQualification::QESig);
    assert!(!q.etapes.is_empty());
    // The same certificate, its CA in no list: QcCompliance alone no longer suffices.
    let (_, p7s) = signe("cades-hors-liste", "ac6", true);
    let s = verifie(&p7s, &opts("ac6", true));
    assert!(!s.adapte_marches_publics);
    assert_eq!(
        s.qualification.unwrap().qualification,
        TypeQualification::AdES
    );
    // Without lists: today's behaviour (the certificate's QcCompliance), no qualification.
    let s = verifie(&p7s, &opts("ac6", false));
    assert!(s.adapte_marches_publics);
    assert!(s.qualification.is_none());
}
