//! Revocation against real components on loopback: `openssl ocsp` as the responder of the
//! certificates' AIA, `python3 -m http.server` serving the CA's CRL at their distribution
//! point, and `mpe verifier --revocation-en-ligne` fetching both. Offline, responses made
//! by `openssl ocsp` (an unauthorised responder, a stale response) given with `--ocsp`.
//! The test PKI is `tests/vectors/revocation/pki.sh`, made at test time because the
//! certificates carry the loopback ports.

mod commun;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use commun::{code, mpe};
use mpe::signature::{
    self, AlgorithmeEmpreinte, DonneesSignees, EtatOcsp, FormatSignature, OptionsSignature,
    RaisonRevocation, Signataire,
};

const OFFRE: &[u8] = b"offre de l'entreprise";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn vecteurs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// A free loopback port (the listener is closed before the server binds it).
fn port_libre() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed when the test ends (even on failure).
struct Serveur(Child);

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start a server and wait until it listens: the line `pret` on its stderr when given
/// (`openssl ocsp` hangs on a connection closed without a request, so it is not probed),
/// else a connection to `port`.
fn demarrer(cmd: &mut Command, port: u16, pret: Option<&'static str>) -> Serveur {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(if pret.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} : {e}"));
    let attente = Duration::from_secs(20);
    if let Some(pret) = pret {
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            // Read to the end: the server must never block on a full pipe.
            for ligne in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if ligne.contains(pret) {
                    let _ = tx.send(());
                }
            }
        });
        let serveur = Serveur(child);
        rx.recv_timeout(attente)
            .unwrap_or_else(|_| panic!("{cmd:?} n'a pas écrit « {pret} »"));
        return serveur;
    }
    let serveur = Serveur(child);
    let debut = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(debut.elapsed() < attente, "{cmd:?} n'écoute pas sur {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    serveur
}

#[track_caller]
fn run(dir: &Path, prog: &str, args: &[&str]) -> std::process::Output {
    let o = Command::new(prog)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{prog} : {e}"));
    assert!(
        o.status.success(),
        "{prog} {args:?}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn lire(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// A CAdES signature of OFFRE by `nom`, timestamped by openssl ts when asked.
fn signer(pki: &Path, nom: &str, horodater: bool) -> Vec<u8> {
    let cle = lire(&pki.join(format!("{nom}.key")));
    let cert = lire(&pki.join(format!("{nom}.pem")));
    let s = Signataire::from_pem(&cle, &cert).unwrap();
    let opts = OptionsSignature::new(chrono::Utc::now());
    let p7s = signature::signer(
        FormatSignature::CAdES,
        DonneesSignees::Octets(OFFRE),
        &s,
        &opts,
    )
    .unwrap();
    if !horodater {
        return p7s;
    }
    let req = signature::requete_horodatage(&p7s, AlgorithmeEmpreinte::Sha256, Some(7)).unwrap();
    let tsa = tempfile::tempdir().unwrap();
    let v = vecteurs().join("signature");
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"] {
        std::fs::copy(v.join(f), tsa.path().join(f)).unwrap();
    }
    std::fs::write(tsa.path().join("req.tsq"), req).unwrap();
    run(
        tsa.path(),
        "openssl",
        &[
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-out",
            "resp.tsr",
        ],
    );
    signature::ajouter_horodatage(&p7s, &std::fs::read(tsa.path().join("resp.tsr")).unwrap())
        .unwrap()
}

fn revoquer(pki: &Path, nom: &str, raison: &str) {
    run(
        pki,
        "openssl",
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-revoke",
            &format!("{nom}.pem"),
            "-crl_reason",
            raison,
        ],
    );
}

/// `mpe verifier` of `sig` (CAdES over OFFRE): exit code and JSON report.
fn verifier(dir: &Path, sig: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let pki = dir.join("pki");
    let ca = pki.join("ca.pem");
    let tsa_ca = vecteurs().join("signature/ca.pem");
    let mut args = vec![
        "verifier",
        "--confiance",
        s(&ca),
        "--confiance",
        s(&tsa_ca),
        "--fichier-signe",
        "offre.txt",
        "--json",
        sig,
    ];
    args.extend_from_slice(extra);
    let o = mpe(dir, &args);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{sig} : JSON illisible ({e}) : {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code().unwrap(), j)
}

#[test]
fn revocation_ocsp_et_crl_sur_la_boucle_locale() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let pki = dir.join("pki");
    let web = dir.join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(dir.join("offre.txt"), OFFRE).unwrap();
    let (p_ocsp, p_web) = (port_libre(), port_libre());
    run(
        dir,
        "sh",
        &[
            s(&vecteurs().join("revocation/pki.sh")),
            s(&pki),
            &format!("http://127.0.0.1:{p_ocsp}/"),
            &format!("http://127.0.0.1:{p_web}/ca.crl"),
        ],
    );

    // Revoked before the signing; signed; timestamped; revoked after the timestamp.
    revoquer(&pki, "avant", "keyCompromise");
    revoquer(&pki, "crl-avant", "keyCompromise");
    std::thread::sleep(Duration::from_millis(1100));
    for (nom, horodater) in [
        ("bon", false),
        ("avant", false),
        ("crl-avant", false),
        ("apres", true),
    ] {
        std::fs::write(dir.join(format!("{nom}.p7s")), signer(&pki, nom, horodater)).unwrap();
    }
    std::thread::sleep(Duration::from_millis(2100));
    revoquer(&pki, "apres", "superseded");
    run(
        &pki,
        "openssl",
        &["ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl.pem"],
    );
    run(
        &pki,
        "openssl",
        &[
            "crl",
            "-in",
            "ca.crl.pem",
            "-outform",
            "DER",
            "-out",
            s(&web.join("ca.crl")),
        ],
    );

    let port = p_ocsp.to_string();
    let _ocsp = demarrer(
        Command::new("openssl").current_dir(&pki).args([
            "ocsp",
            "-index",
            "index.txt",
            // OpenSSL 3.0 takes a port only (it listens on every address); the
            // certificates point to 127.0.0.1.
            "-port",
            &port,
            "-rsigner",
            "repondant.pem",
            "-rkey",
            "repondant.key",
            "-CA",
            "ca.pem",
            "-nmin",
            "60",
        ]),
        p_ocsp,
        Some("waiting for OCSP client connections"),
    );
    let _web = demarrer(
        Command::new("python3").args([
            "-m",
            "http.server",
            &p_web.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
            s(&web),
        ]),
        p_web,
        None,
    );

    // Good: VALIDE, the delegated responder answered.
    let (c, r) = verifier(dir, "bon.p7s", &["--revocation-en-ligne"]);
    let sig = &r["signatures"][0];
    assert_eq!(c, 0, "{r:#}");
    assert_eq!(sig["revoque"], false, "{sig:#}");
    assert_eq!(sig["revocations"][0]["source"], "OCSP", "{sig:#}");
    let emetteur = sig["revocations"][0]["emetteur"].as_str().unwrap();
    assert!(emetteur.contains("mpe Test OCSP"), "{emetteur}");

    // Revoked before the signing: INVALIDE, REVOKED, with the reason.
    let (c, r) = verifier(dir, "avant.p7s", &["--revocation-en-ligne"]);
    let sig = &r["signatures"][0];
    assert_eq!(c, 1, "{r:#}");
    assert_eq!(sig["statut"], "INVALIDE");
    assert_eq!(sig["sous_indication"], "REVOKED", "{sig:#}");
    assert_eq!(sig["code"], "CERTIFICAT_REVOQUE");
    assert_eq!(sig["revocations"][0]["source"], "OCSP");
    assert_eq!(sig["revocations"][0]["raison"], "compromission_cle");

    // Revoked after the time the timestamp proves: VALIDE, the revocation reported.
    let (c, r) = verifier(dir, "apres.p7s", &["--revocation-en-ligne"]);
    let sig = &r["signatures"][0];
    assert_eq!(c, 0, "{r:#}");
    assert_eq!(sig["niveau"], "B-T");
    assert_eq!(sig["revocations"][0]["source"], "OCSP");
    assert_eq!(sig["revocations"][0]["revoque"], true);
    assert_eq!(sig["revocations"][0]["raison"], "remplace");
    // Signed again now, after the revocation, without a timestamp: INVALIDE.
    let sans_horodatage = signer(&pki, "apres", false);
    std::fs::write(dir.join("apres-bb.p7s"), sans_horodatage).unwrap();
    let (c, r) = verifier(dir, "apres-bb.p7s", &["--revocation-en-ligne"]);
    assert_eq!(c, 1, "{r:#}");

    // No AIA: the CRL from the distribution point over HTTP.
    let (c, r) = verifier(dir, "crl-avant.p7s", &["--revocation-en-ligne"]);
    let sig = &r["signatures"][0];
    assert_eq!(c, 1, "{r:#}");
    assert_eq!(sig["sous_indication"], "REVOKED");
    assert_eq!(sig["revocations"][0]["source"], "CRL", "{sig:#}");
    assert_eq!(sig["revocations"][0]["raison"], "compromission_cle");

    // Without --revocation-en-ligne nothing is fetched: as before, VALIDE.
    let (c, r) = verifier(dir, "avant.p7s", &[]);
    assert_eq!(c, 0, "{r:#}");
    assert!(r["signatures"][0].get("revocations").is_none(), "{r:#}");

    // An unreachable responder is reported, not fatal.
    drop(_ocsp);
    let (c, r) = verifier(dir, "bon.p7s", &["--revocation-en-ligne"]);
    let sig = &r["signatures"][0];
    assert_eq!(c, 0, "{r:#}");
    assert_eq!(sig["revocations"][0]["source"], "CRL", "{sig:#}");
    assert_eq!(
        sig["revocations"][0]["ecartees"][0]["code"], "REVOCATION_INJOIGNABLE",
        "{sig:#}"
    );
}

/// Offline: responses `openssl ocsp` made, given with `--ocsp`; and the request mpe builds,
/// read and answered by `openssl ocsp`.
#[test]
fn reponses_ocsp_hors_ligne() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let pki = dir.join("pki");
    std::fs::write(dir.join("offre.txt"), OFFRE).unwrap();
    run(
        dir,
        "sh",
        &[
            s(&vecteurs().join("revocation/pki.sh")),
            s(&pki),
            "http://127.0.0.1:9/",
            "http://127.0.0.1:9/ca.crl",
        ],
    );
    revoquer(&pki, "avant", "keyCompromise");
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(dir.join("avant.p7s"), signer(&pki, "avant", false)).unwrap();
    std::fs::write(dir.join("bon.p7s"), signer(&pki, "bon", false)).unwrap();

    // The request mpe builds, as openssl reads it.
    let ca = signature::certificat(&std::fs::read(pki.join("ca.pem")).unwrap()).unwrap();
    let avant = signature::certificat(&std::fs::read(pki.join("avant.pem")).unwrap()).unwrap();
    let bon = signature::certificat(&std::fs::read(pki.join("bon.pem")).unwrap()).unwrap();
    let nonce = [0x5au8; 16];
    let req = signature::ocsp::requete(&avant, &ca, Some(&nonce)).unwrap();
    std::fs::write(pki.join("req-mpe.der"), &req).unwrap();
    let texte = run(
        &pki,
        "openssl",
        &["ocsp", "-reqin", "req-mpe.der", "-req_text"],
    );
    let texte = String::from_utf8_lossy(&texte.stdout);
    let serie = hex::encode_upper(avant.tbs_certificate().serial_number().as_bytes());
    assert!(
        texte.contains(&format!("Serial Number: {serie}")),
        "{texte}"
    );
    assert!(texte.contains("OCSP Nonce"), "{texte}");
    assert!(texte.contains(&"5A".repeat(16)), "{texte}");
    // Answered by openssl's responder, then verified by mpe with the nonce.
    let repondre = |req: &str, signataire: &str, sortie: &str, nmin: &str| {
        run(
            &pki,
            "openssl",
            &[
                "ocsp",
                "-index",
                "index.txt",
                "-CA",
                "ca.pem",
                "-rsigner",
                &format!("{signataire}.pem"),
                "-rkey",
                &format!("{signataire}.key"),
                "-reqin",
                req,
                "-respout",
                sortie,
                "-nmin",
                nmin,
            ],
        );
        std::fs::read(pki.join(sortie)).unwrap()
    };
    let rep = repondre("req-mpe.der", "repondant", "rep-mpe.der", "60");
    let maintenant = chrono::Utc::now();
    let v = signature::ocsp::verifier_reponse(&rep, &avant, &ca, maintenant, Some(&nonce)).unwrap();
    match v.etat {
        EtatOcsp::Revoque { raison, .. } => {
            assert_eq!(raison, Some(RaisonRevocation::CompromissionCle))
        }
        e => panic!("{e:?}"),
    }
    assert!(v.repondant_delegue);
    let e = signature::ocsp::verifier_reponse(&rep, &avant, &ca, maintenant, Some(&[1u8; 16]))
        .unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::OcspNonceIncorrect);
    let e = signature::ocsp::verifier_reponse(&rep, &bon, &ca, maintenant, None).unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::OcspAutreCertificat);

    // A response signed by a certificate the CA issued without id-kp-OCSPSigning: refused,
    // the revocation it claims is not used, and the report says why.
    let req_avant = signature::ocsp::requete(&avant, &ca, None).unwrap();
    std::fs::write(pki.join("req-avant.der"), &req_avant).unwrap();
    repondre("req-avant.der", "bon", "usurpee.der", "60");
    let e = signature::ocsp::verifier_reponse(
        &std::fs::read(pki.join("usurpee.der")).unwrap(),
        &avant,
        &ca,
        maintenant,
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), mpe::CodeErreur::OcspRepondantNonAutorise, "{e}");
    let (c, r) = verifier(dir, "avant.p7s", &["--ocsp", s(&pki.join("usurpee.der"))]);
    let sig = &r["signatures"][0];
    assert_eq!(c, 0, "{r:#}");
    assert!(sig["revoque"].is_null(), "{sig:#}");
    assert_eq!(
        sig["revocations"][0]["ecartees"][0]["code"], "OCSP_REPONDANT_NON_AUTORISE",
        "{sig:#}"
    );
    // The same revocation from the delegated responder: INVALIDE, REVOKED.
    repondre("req-avant.der", "repondant", "avant.der", "60");
    let (c, r) = verifier(dir, "avant.p7s", &["--ocsp", s(&pki.join("avant.der"))]);
    assert_eq!(c, 1, "{r:#}");
    assert_eq!(r["signatures"][0]["sous_indication"], "REVOKED");
    // Signed by the CA itself: authorised too.
    repondre("req-avant.der", "ca", "avant-ca.der", "60");
    let (c, r) = verifier(dir, "avant.p7s", &["--ocsp", s(&pki.join("avant-ca.der"))]);
    assert_eq!(c, 1, "{r:#}");

    // A "good" response past its nextUpdate at the validation time is not used.
    let req_bon = signature::ocsp::requete(&bon, &ca, None).unwrap();
    std::fs::write(pki.join("req-bon.der"), &req_bon).unwrap();
    repondre("req-bon.der", "repondant", "bon.der", "1");
    let plus_tard = (maintenant + chrono::Duration::minutes(10)).to_rfc3339();
    let (c, r) = verifier(
        dir,
        "bon.p7s",
        &[
            "--ocsp",
            s(&pki.join("bon.der")),
            "--date-verification",
            &plus_tard,
        ],
    );
    let sig = &r["signatures"][0];
    assert_eq!(c, 0, "{r:#}");
    assert!(sig["revoque"].is_null(), "{sig:#}");
    assert_eq!(
        sig["revocations"][0]["ecartees"][0]["code"], "REVOCATION_PERIMEE",
        "{sig:#}"
    );
    // Within its validity it is used.
    let (c, r) = verifier(dir, "bon.p7s", &["--ocsp", s(&pki.join("bon.der"))]);
    assert_eq!(c, 0, "{r:#}");
    assert_eq!(r["signatures"][0]["revoque"], false, "{r:#}");
    assert_eq!(r["signatures"][0]["revocations"][0]["source"], "OCSP");
}

#[test]
fn requete_refusee_par_le_cli_sans_reseau() {
    // A certificate without AIA nor CDP: nothing fetched, nothing reported.
    let v = vecteurs().join("signature");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("offre.txt"), OFFRE).unwrap();
    let o = mpe(
        dir.path(),
        &[
            "signer",
            "--format",
            "cades",
            "--cle",
            s(&v.join("signataire.key")),
            "--certificat",
            s(&v.join("signataire.pem")),
            "offre.txt",
            "-o",
            "sig.p7s",
        ],
    );
    code(&o, 0);
    let o = mpe(
        dir.path(),
        &[
            "verifier",
            "--confiance",
            s(&v.join("ca.pem")),
            "--revocation-en-ligne",
            "--fichier-signe",
            "offre.txt",
            "--json",
            "sig.p7s",
        ],
    );
    code(&o, 0);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(j["signatures"][0].get("revocations").is_none(), "{j:#}");
}
