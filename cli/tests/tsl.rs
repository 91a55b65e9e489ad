//! `mpe tsl mettre-a-jour` against an HTTPS server on loopback (Python's http.server behind
//! TLS, with a certificate openssl makes for 127.0.0.1 and a CA given by `--racine-https`)
//! serving the corpus's LOTL and the national lists it points to, at the paths of their
//! real addresses (`--miroir https://=https://127.0.0.1:PORT/`). A first update keeps every
//! list; then the server serves a tampered list, an unreadable one and loses one: the
//! last good copies stay, each failure is reported; `mpe verifier --tsl` qualifies a
//! signer with the folder. Without the CA, TLS fails and nothing is replaced.

mod commun;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use commun::{code, mpe};
use serde_json::Value;

const DATE: &str = "2019-09-04T08:00:00Z";

fn corpus() -> PathBuf {
    if let Some(d) = std::env::var_os("MPE_CORPUS") {
        return PathBuf::from(d);
    }
    let mut d = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        if d.join("shared/corpus/expectations.json").is_file() {
            return d.join("shared/corpus");
        }
        assert!(d.pop(), "corpus introuvable (MPE_CORPUS ou shared/corpus)");
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Serveur(Child);

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[track_caller]
fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl introuvable");
    assert!(
        o.status.success(),
        "openssl {args:?} : {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A CA and a server certificate for 127.0.0.1 signed by it.
fn pki(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=AC miroir de test",
            "-days",
            "2",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "serveur.key",
            "-out",
            "serveur.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "serveur.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-out",
            "serveur.pem",
        ],
    );
}

/// HTTPS on loopback serving `racine`.
fn https(dir: &Path, racine: &Path) -> (Serveur, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = "import http.server, ssl, sys, functools\n\
        h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])\n\
        srv = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), h)\n\
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n\
        c.load_cert_chain(sys.argv[3], sys.argv[4])\n\
        srv.socket = c.wrap_socket(srv.socket, server_side=True)\n\
        srv.serve_forever()\n";
    let child = Command::new("python3")
        .args([
            "-c",
            script,
            &port.to_string(),
            s(racine),
            s(&dir.join("serveur.pem")),
            s(&dir.join("serveur.key")),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 introuvable");
    let serveur = Serveur(child);
    let debut = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            debut.elapsed() < Duration::from_secs(20),
            "le serveur n'écoute pas"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (serveur, port)
}

/// Where an address is served: its host and path under `racine`.
fn chemin_servi(racine: &Path, url: &str) -> PathBuf {
    let reste = url.split_once("://").map_or(url, |(_, r)| r);
    racine.join(reste)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}\nstdout {}\nstderr {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn entree<'a>(etat: &'a Value, t: &str) -> &'a Value {
    etat["listes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["territoire"] == t)
        .unwrap_or_else(|| panic!("{t} absent de {etat:#}"))
}

#[test]
fn mise_a_jour_sur_la_boucle_locale_puis_listes_cassees() {
    let c = corpus();
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let racine = dir.join("srv");
    pki(dir);

    // The LOTL at its real address, each national list of the corpus at its pointer's.
    let lotl_url = "https://ec.europa.eu/tools/lotl/eu-lotl.xml";
    let lotl = std::fs::read(c.join("tsl/dss/eu-lotl.xml")).unwrap();
    let p = chemin_servi(&racine, lotl_url);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, &lotl).unwrap();
    let mut servies = vec![];
    for ptr in mpe::confiance::lire_liste(&lotl).unwrap().pointeurs {
        let Some(terr) = ptr.territoire.clone() else {
            continue;
        };
        let f = c.join(format!("tsl/dss/lotlCache/{terr}.xml"));
        if terr == "EU"
            || !f.is_file()
            || !ptr.type_mime.as_deref().is_some_and(|m| m.contains("xml"))
        {
            continue;
        }
        let p = chemin_servi(&racine, &ptr.emplacement);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(&f, &p).unwrap();
        servies.push((terr, p));
    }
    assert!(servies.len() >= 10, "{servies:?}");
    let (_serveur, port) = https(dir, &racine);
    let miroir_https = format!("https://=https://127.0.0.1:{port}/");
    let miroir_http = format!("http://=https://127.0.0.1:{port}/");
    let lotl_pem = c.join("tsl/anchors/lotl-signer-patrick-kremer.pem");
    let tsl = dir.join("tsl");
    let maj = |extra: &[&str]| {
        let mut a = vec![
            "tsl",
            "mettre-a-jour",
            s(&tsl),
            "--lotl",
            lotl_url,
            "--miroir",
            &miroir_https,
            "--miroir",
            &miroir_http,
            "--date",
            DATE,
            "--json",
            "--delai",
            "20",
        ];
        a.extend_from_slice(extra);
        mpe(dir, &a)
    };

    // 1. A good update: the LOTL and every list served are kept; the lists the corpus
    // lacks are reported (404) without a copy.
    let o = maj(&[
        "--racine-https",
        s(&dir.join("ca.pem")),
        "--certificats-lotl",
        s(&lotl_pem),
    ]);
    code(&o, 8);
    let etat = json(&o);
    assert_eq!(etat["lotl"]["statut"], "VALIDE", "{etat:#}");
    assert_eq!(etat["lotl"]["fichier"], "lotl.xml");
    for (terr, _) in &servies {
        let e = entree(&etat, terr);
        assert_eq!(e["statut"], "VALIDE", "{terr} : {e:#}");
        assert!(e["erreur"].is_null(), "{terr} : {e:#}");
        assert!(e["services"].as_u64().unwrap() > 0, "{terr}");
        assert!(tsl.join(e["fichier"].as_str().unwrap()).is_file());
    }
    let absentes: Vec<&Value> = etat["listes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !servies.iter().any(|(t, _)| e["territoire"] == t.as_str()))
        .collect();
    assert!(!absentes.is_empty());
    for e in &absentes {
        assert!(e["fichier"].is_null());
        assert_eq!(
            e["erreur"]["code"], "LISTE_CONFIANCE_TELECHARGEMENT",
            "{e:#}"
        );
    }
    let fr_avant = entree(&etat, "FR").clone();

    // `afficher`: the same state, and a table.
    let o = mpe(dir, &["tsl", "afficher", s(&tsl), "--json"]);
    code(&o, 0);
    assert_eq!(json(&o), etat);
    let o = mpe(dir, &["tsl", "afficher", s(&tsl)]);
    code(&o, 0);
    let texte = String::from_utf8_lossy(&o.stdout);
    assert!(
        texte
            .lines()
            .any(|l| l.starts_with("FR ") && l.contains("VALIDE")),
        "{texte}"
    );

    // 2. The server now serves a tampered FR list (one byte of a provider's name changed:
    // the signature fails), an unreadable AT list, and no SE list.
    let fr = servies.iter().find(|(t, _)| t == "FR").unwrap().1.clone();
    let mut octets = std::fs::read(&fr).unwrap();
    let i = octets.windows(9).position(|w| w == b"<TSPName>").unwrap();
    let j = i + octets[i..].windows(2).position(|w| w == b"\">").unwrap() + 2;
    octets[j] = if octets[j] == b'X' { b'Y' } else { b'X' };
    std::fs::write(&fr, &octets).unwrap();
    let at = &servies.iter().find(|(t, _)| t == "AT").unwrap().1;
    std::fs::write(at, b"<html>maintenance</html>").unwrap();
    let se = &servies.iter().find(|(t, _)| t == "SE").unwrap().1;
    std::fs::remove_file(se).unwrap();
    let o = maj(&["--racine-https", s(&dir.join("ca.pem"))]);
    code(&o, 8);
    let etat2 = json(&o);
    for terr in ["FR", "AT", "SE"] {
        let avant = entree(&etat, terr);
        let apres = entree(&etat2, terr);
        // The last good copy stays, with its digest and fetch time.
        assert_eq!(apres["fichier"], avant["fichier"], "{terr}");
        assert_eq!(apres["empreinte"], avant["empreinte"], "{terr}");
        assert_eq!(apres["recuperee"], avant["recuperee"], "{terr}");
        assert!(!apres["erreur"].is_null(), "{terr} : {apres:#}");
    }
    assert_eq!(
        entree(&etat2, "FR")["erreur"]["code"],
        "SIGNATURE_INTEGRITE"
    );
    assert_eq!(
        entree(&etat2, "AT")["erreur"]["code"],
        "LISTE_CONFIANCE_MALFORMEE"
    );
    assert_eq!(
        entree(&etat2, "SE")["erreur"]["code"],
        "LISTE_CONFIANCE_TELECHARGEMENT"
    );
    assert_eq!(
        std::fs::read(tsl.join(fr_avant["fichier"].as_str().unwrap())).unwrap(),
        std::fs::read(c.join("tsl/dss/lotlCache/FR.xml")).unwrap()
    );
    assert!(entree(&etat2, "PL")["erreur"].is_null());

    // 3. Without the mirror's CA, TLS fails: reported, nothing replaced.
    let o = maj(&[]);
    code(&o, 8);
    let etat3 = json(&o);
    assert_eq!(
        etat3["lotl"]["erreur"]["code"],
        "LISTE_CONFIANCE_TELECHARGEMENT"
    );
    assert_eq!(etat3["lotl"]["empreinte"], etat["lotl"]["empreinte"]);

    // 4. `mpe verifier --tsl`: the signer's qualification comes from the folder's lists.
    let o = mpe(
        dir,
        &[
            "verifier",
            "--tsl",
            s(&tsl),
            "--date-verification",
            DATE,
            "--json",
            s(&c.join("signatures/cades/dss/counterSignedLTA.p7s")),
        ],
    );
    let r = json(&o);
    let sig = &r["signatures"][0];
    assert!(sig["qualification"]["qualification"].is_string(), "{sig:#}");
    let ctl = sig["controles_marches_publics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["nom"]
                .as_str()
                .unwrap()
                .starts_with("catégorie du certificat")
        })
        .unwrap();
    assert!(
        ctl["detail"]
            .as_str()
            .unwrap()
            .contains("selon les listes de confiance")
    );
    let o = mpe(
        dir,
        &[
            "verifier",
            "--tsl",
            s(&dir.join("absent")),
            s(&c.join("signatures/cades/dss/counterSignedLTA.p7s")),
        ],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("LISTES_CONFIANCE_DOSSIER"));
}

/// Serve `fichier` of the corpus at `url`.
fn servir(racine: &Path, url: &str, fichier: &Path) -> PathBuf {
    let p = chemin_servi(racine, url);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::copy(fichier, &p).unwrap();
    p
}

fn pivot<'a>(etat: &'a Value, fin: &str) -> &'a Value {
    etat["pivots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["adresse"].as_str().unwrap().ends_with(fin))
        .unwrap_or_else(|| panic!("{fin} absent de {etat:#}"))
}

/// The pivot chain over loopback: the LOTL lists pivots (DSS's OJ test LOTLs), the CLI
/// fetches them at the addresses the LOTL gives, walks them from the Official Journal's
/// keys, keeps the ones taken up and reuses them on the next update; a chain broken in the
/// middle (a pivot the server lacks) leaves the LOTL out, with why.
#[test]
fn pivots_sur_la_boucle_locale() {
    let c = corpus();
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let racine = dir.join("srv");
    pki(dir);
    let lotl_url = "https://ec.europa.eu/tools/lotl/eu-lotl.xml";
    let piv = "http://18.202.217.18/res/pivot/";
    servir(
        &racine,
        lotl_url,
        &c.join("tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml"),
    );
    servir(
        &racine,
        &format!("{piv}lotl_test_OJ_1_pivot_01.xml"),
        &c.join("tsl/dss/pivots/lotl_test_OJ_1_pivot_01.xml"),
    );
    let p03 = servir(
        &racine,
        &format!("{piv}lotl_test_OJ_1_pivot_03.xml"),
        &c.join("tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml"),
    );
    let (_serveur, port) = https(dir, &racine);
    let miroir_https = format!("https://=https://127.0.0.1:{port}/");
    let miroir_http = format!("http://=https://127.0.0.1:{port}/");
    let ca = dir.join("ca.pem");
    let maj = |dossier: &Path, date: &str, extra: &[&str]| {
        let mut a = vec![
            "tsl",
            "mettre-a-jour",
            s(dossier),
            "--lotl",
            lotl_url,
            "--miroir",
            &miroir_https,
            "--miroir",
            &miroir_http,
            "--racine-https",
            s(&ca),
            "--date",
            date,
            "--json",
            "--delai",
            "20",
        ];
        a.extend_from_slice(extra);
        mpe(dir, &a)
    };

    // 1. With the OJ 2 keys: pivot 01 is not signed by them (skipped), pivot 02 is not
    // served, pivot 03 is and announces the LOTL's signer: the LOTL is kept.
    let tsl = dir.join("tsl");
    let oj2 = c.join("tsl/anchors/oj2-keystore-certs.pem");
    let o = maj(
        &tsl,
        "2023-11-24T07:00:44Z",
        &["--certificats-lotl", s(&oj2)],
    );
    code(&o, 8);
    let etat = json(&o);
    assert_eq!(etat["lotl"]["statut"], "VALIDE", "{etat:#}");
    let adresses: Vec<&str> = etat["pivots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["adresse"].as_str().unwrap())
        .collect();
    assert_eq!(
        adresses,
        [
            format!("{piv}lotl_test_OJ_1_pivot_01.xml"),
            format!("{piv}lotl_test_OJ_1_pivot_02.xml"),
            format!("{piv}lotl_test_OJ_1_pivot_03.xml"),
        ],
        "oldest first"
    );
    let p01 = pivot(&etat, "pivot_01.xml");
    assert_eq!(p01["pivot_retenu"], false);
    assert_eq!(p01["erreur"]["code"], "LISTE_CONFIANCE_PIVOT_INUTILISABLE");
    assert!(p01["fichier"].is_null());
    let p02 = pivot(&etat, "pivot_02.xml");
    assert_eq!(p02["erreur"]["code"], "LISTE_CONFIANCE_TELECHARGEMENT");
    assert!(p02["fichier"].is_null());
    let p3 = pivot(&etat, "pivot_03.xml");
    assert_eq!(p3["pivot_retenu"], true, "{p3:#}");
    assert_eq!(p3["numero_sequence"], 300);
    assert_eq!(
        std::fs::read(tsl.join(p3["fichier"].as_str().unwrap())).unwrap(),
        std::fs::read(c.join("tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml")).unwrap()
    );
    let o = mpe(dir, &["tsl", "afficher", s(&tsl), "--json"]);
    code(&o, 0);
    assert_eq!(json(&o), etat);
    let o = mpe(dir, &["tsl", "afficher", s(&tsl)]);
    let texte = String::from_utf8_lossy(&o.stdout);
    assert!(
        texte
            .lines()
            .any(|l| l.starts_with("pivot") && l.contains("retenu") && l.contains("pivot_03")),
        "{texte}"
    );

    // 2. Pivot 03 gone from the server: the copy taken up is reused, the LOTL still kept.
    std::fs::remove_file(&p03).unwrap();
    let o = maj(&tsl, "2023-11-24T07:00:44Z", &[]);
    let etat2 = json(&o);
    assert_eq!(etat2["lotl"]["statut"], "VALIDE", "{etat2:#}");
    assert!(etat2["lotl"]["erreur"].is_null(), "{etat2:#}");
    assert_eq!(pivot(&etat2, "pivot_03.xml")["recuperee"], p3["recuperee"]);

    // 3. The OJ 1 keys reach pivot 01 only: pivot 03's signer is announced by pivot 02,
    // which is missing: nothing is kept, the report says why.
    let tsl1 = dir.join("tsl1");
    let oj1 = c.join("tsl/anchors/oj1-keystore-certs.pem");
    let o = maj(
        &tsl1,
        "2023-11-24T07:00:44Z",
        &["--certificats-lotl", s(&oj1)],
    );
    code(&o, 8);
    let etat3 = json(&o);
    assert!(etat3["lotl"]["fichier"].is_null(), "{etat3:#}");
    assert_eq!(
        etat3["lotl"]["erreur"]["code"],
        "LISTE_CONFIANCE_SIGNATAIRE_NON_ANNONCE"
    );
    assert_eq!(pivot(&etat3, "pivot_01.xml")["pivot_retenu"], true);
    assert_eq!(pivot(&etat3, "pivot_03.xml")["pivot_retenu"], false);
    assert!(!tsl1.join("lotl.xml").exists());

    // 4. `mpe verifier --tsl` loads the folder through its pivots.
    let o = mpe(
        dir,
        &[
            "verifier",
            "--tsl",
            s(&tsl),
            "--date-verification",
            "2023-11-24T07:00:44Z",
            "--json",
            s(&c.join("signatures/cades/dss/counterSignedLTA.p7s")),
        ],
    );
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("LISTES_CONFIANCE_DOSSIER"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    json(&o);
}
