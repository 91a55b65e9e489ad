//! `mpe dechiffrer` with the keys people have (an EC key alone, PKCS#8, a key on a PKCS#11
//! token), passwords and PINs from a file, standard input or the environment, `--legacy`,
//! and `mpe bicle generer --courbe` / `--sans-mot-de-passe` (key files mode 0600). Real
//! envelopes of the shared corpus (`MPE_CORPUS`, else `../shared/corpus`), openssl and
//! SoftHSM2 + OpenSC as independent tools (missing ones are failures).

mod commun;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use commun::{code, mpe, ok};

fn corpus() -> PathBuf {
    let dir = std::env::var_os("MPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    assert!(dir.is_dir(), "corpus introuvable : {}", dir.display());
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn outil(prog: &str, args: &[&str], dir: &Path, env: &[(&str, &Path)]) {
    let mut c = Command::new(prog);
    c.args(args).current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap_or_else(|e| {
        panic!("{prog} introuvable ({e}) : paquets Debian softhsm2, opensc, openssl")
    });
    assert!(
        out.status.success(),
        "{prog} {args:?} : {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn cle_ec_seule_et_legacy_sur_le_corpus() {
    let c = corpus();
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // Bouncy Castle's ECDH envelope, opened with the P-256 key alone (no certificate).
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            s(&c.join("cms/bouncycastle/recipient_p256.pem")),
            s(&c.join("cms/bouncycastle/EnvelopedData_ECDH-SHA256KDF_AES256.pem")),
            "-o",
            "clair.txt",
        ],
    );
    ok(&o);
    assert_eq!(
        std::fs::read(p.join("clair.txt")).unwrap(),
        std::fs::read(c.join("cms/bouncycastle/plaintext.txt")).unwrap()
    );
    // Triple-DES: refused without --legacy (nothing written), opened with it.
    let env = c.join("cms/heimdal/test-enveloped-des-ede3");
    let cle = c.join("cms/heimdal/test.key");
    let o = mpe(
        p,
        &["dechiffrer", "--cle", s(&cle), s(&env), "-o", "3des.bin"],
    );
    code(&o, 7);
    assert!(String::from_utf8_lossy(&o.stderr).contains("ALGORITHME_OBSOLETE"));
    assert!(!p.join("3des.bin").exists());
    ok(&mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            s(&cle),
            "--legacy",
            s(&env),
            "-o",
            "3des.bin",
        ],
    ));
    assert_eq!(
        std::fs::read(p.join("3des.bin")).unwrap(),
        std::fs::read(c.join("cms/heimdal/static-file")).unwrap()
    );
    // X25519 (LAMPS): the PKCS#8 key with its certificate.
    ok(&mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            s(&c.join("cms/lamps/keys/lamps-bob.decrypt.p8.pem")),
            "--certificat",
            s(&c.join("cms/lamps/keys/lamps-bob.encrypt.crt")),
            s(&c.join("cms/lamps/encryptedForBobAndDana.p7m")),
            "-o",
            "x25519.txt",
        ],
    ));
    assert_eq!(
        std::fs::read(p.join("x25519.txt")).unwrap(),
        std::fs::read(c.join("cms/lamps/plaintext.txt")).unwrap()
    );
    // A certificate that is not the key's: typed, nothing written.
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            s(&c.join("cms/bouncycastle/recipient_p256.pem")),
            "--certificat",
            s(&c.join("cms/lamps/keys/lamps-bob.encrypt.crt")),
            s(&c.join("cms/bouncycastle/EnvelopedData_ECDH-SHA256KDF_AES256.pem")),
            "-o",
            "non.txt",
        ],
    );
    code(&o, 7);
    assert!(!p.join("non.txt").exists());
}

#[test]
fn bicle_ec_mot_de_passe_par_l_entree_standard_puis_l_environnement() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // The password through standard input, never in the arguments.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(p)
        .args([
            "bicle",
            "generer",
            "--titulaire",
            "Jeanne EC",
            "--courbe",
            "P-384",
            "--fichier-mot-de-passe",
            "-",
            "--dossier",
            "cles",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"s3cret EC\n")
        .unwrap();
    ok(&child.wait_with_output().unwrap());
    let cle = p.join("cles/Jeanne EC.key.pem");
    let cert = p.join("cles/Jeanne EC.cert.pem");
    assert_eq!(mode(&cle), 0o600);
    assert!(
        std::fs::read_to_string(&cle)
            .unwrap()
            .contains("ENCRYPTED PRIVATE KEY")
    );
    // openssl reads the certificate: a P-384 key agreement key.
    let o = Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in", s(&cert)])
        .output()
        .unwrap();
    let texte = String::from_utf8_lossy(&o.stdout);
    assert!(
        texte.contains("P-384") || texte.contains("secp384r1"),
        "{texte}"
    );
    assert!(texte.contains("Key Agreement"), "{texte}");
    // Encrypt to it, decrypt with the password from the environment.
    let data: Vec<u8> = (0..70_000u32).map(|i| (i * 11 % 253) as u8).collect();
    std::fs::write(p.join("offre.zip"), &data).unwrap();
    ok(&mpe(
        p,
        &[
            "chiffrer",
            "--destinataire",
            s(&cert),
            "offre.zip",
            "-o",
            "offre.p7m",
        ],
    ));
    let o = Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(p)
        .env("MPE_MDP_TEST", "s3cret EC")
        .args([
            "dechiffrer",
            "--cle",
            s(&cle),
            "--variable-mot-de-passe",
            "MPE_MDP_TEST",
            "offre.p7m",
            "-o",
            "clair.zip",
        ])
        .output()
        .unwrap();
    ok(&o);
    assert_eq!(std::fs::read(p.join("clair.zip")).unwrap(), data);
    // openssl opens it too, with the encrypted key.
    outil(
        "openssl",
        &[
            "cms",
            "-decrypt",
            "-inform",
            "DER",
            "-in",
            "offre.p7m",
            "-inkey",
            s(&cle),
            "-passin",
            "pass:s3cret EC",
            "-out",
            "openssl.zip",
        ],
        p,
        &[],
    );
    assert_eq!(std::fs::read(p.join("openssl.zip")).unwrap(), data);
    // A wrong password, a missing variable: typed, nothing written.
    std::fs::write(p.join("faux.txt"), "faux\n").unwrap();
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            s(&cle),
            "--fichier-mot-de-passe",
            "faux.txt",
            "offre.p7m",
            "-o",
            "x.zip",
        ],
    );
    code(&o, 7);
    assert!(String::from_utf8_lossy(&o.stderr).contains("MOT_DE_PASSE_INCORRECT"));
    let o = mpe(
        p,
        &[
            "dechiffrer",
            "--cle",
            s(&cle),
            "--variable-mot-de-passe",
            "MPE_ABSENTE_9",
            "offre.p7m",
            "-o",
            "x.zip",
        ],
    );
    code(&o, 4);
    assert!(!p.join("x.zip").exists());
}

#[test]
fn bicle_sans_mot_de_passe_et_mode_600() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // No password source and no --sans-mot-de-passe: refused, nothing written.
    let o = mpe(
        p,
        &["bicle", "generer", "--titulaire", "A", "--dossier", "k"],
    );
    code(&o, 4);
    assert!(!p.join("k/A.key.pem").exists());
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "A",
            "--sans-mot-de-passe",
            "--dossier",
            "k",
        ],
    ));
    let cle = p.join("k/A.key.pem");
    assert_eq!(mode(&cle), 0o600);
    assert!(
        std::fs::read_to_string(&cle)
            .unwrap()
            .contains("BEGIN PRIVATE KEY")
    );
    // --p12 with a password: the PKCS#12 is private too.
    std::fs::write(p.join("mdp.txt"), "pw\n").unwrap();
    ok(&mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "B",
            "--p12",
            "--fichier-mot-de-passe",
            "mdp.txt",
            "--dossier",
            "k",
        ],
    ));
    assert_eq!(mode(&p.join("k/B.p12")), 0o600);
    assert_eq!(mode(&p.join("k/B.key.pem")), 0o600);
    // --sans-mot-de-passe with a password source is a usage error.
    let o = mpe(
        p,
        &[
            "bicle",
            "generer",
            "--titulaire",
            "C",
            "--sans-mot-de-passe",
            "--fichier-mot-de-passe",
            "mdp.txt",
            "--dossier",
            "k",
        ],
    );
    code(&o, 3);
}

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

#[test]
fn jeton_pkcs11_softhsm() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::create_dir_all(p.join("jetons")).unwrap();
    let conf = p.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            p.join("jetons").display()
        ),
    )
    .unwrap();
    let env = [("SOFTHSM2_CONF", conf.as_path())];
    outil(
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            "mpe-cli",
            "--pin",
            "123456",
            "--so-pin",
            "654321",
        ],
        p,
        &env,
    );
    // An RSA key pair made by openssl, imported into the token with OpenSC's pkcs11-tool.
    outil(
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "k.pem",
        ],
        p,
        &[],
    );
    outil(
        "openssl",
        &[
            "req",
            "-new",
            "-x509",
            "-key",
            "k.pem",
            "-subj",
            "/CN=Jeton CLI",
            "-days",
            "30",
            "-addext",
            "keyUsage=critical,keyEncipherment",
            "-out",
            "c.pem",
        ],
        p,
        &[],
    );
    outil(
        "openssl",
        &[
            "pkcs8", "-topk8", "-nocrypt", "-in", "k.pem", "-outform", "DER", "-out", "k.der",
        ],
        p,
        &[],
    );
    outil(
        "openssl",
        &["x509", "-in", "c.pem", "-outform", "DER", "-out", "c.der"],
        p,
        &[],
    );
    for (f, t) in [("k.der", "privkey"), ("c.der", "cert")] {
        outil(
            "pkcs11-tool",
            &[
                "--module",
                MODULE,
                "--token-label",
                "mpe-cli",
                "--login",
                "--pin",
                "123456",
                "--write-object",
                f,
                "--type",
                t,
                "--id",
                "01",
                "--label",
                "Cle de chiffrement",
            ],
            p,
            &env,
        );
    }
    std::fs::remove_file(p.join("k.pem")).unwrap();
    // openssl encrypts to the token's certificate (RSA PKCS#1 v1.5 key transport).
    std::fs::write(p.join("offre.txt"), b"offre sur jeton").unwrap();
    outil(
        "openssl",
        &[
            "cms",
            "-encrypt",
            "-binary",
            "-aes-256-cbc",
            "-in",
            "offre.txt",
            "-outform",
            "DER",
            "-out",
            "offre.p7m",
            "c.pem",
        ],
        p,
        &[],
    );
    std::fs::write(p.join("pin.txt"), "123456\n").unwrap();
    let dechiffrer = |pin: &str, jeton: &str, sortie: &str| {
        Command::new(env!("CARGO_BIN_EXE_mpe"))
            .current_dir(p)
            .env("SOFTHSM2_CONF", &conf)
            .env("MPE_PIN_TEST", pin)
            .args([
                "dechiffrer",
                "--pkcs11",
                MODULE,
                "--jeton",
                jeton,
                "--cle",
                "Cle de chiffrement",
                "--variable-pin",
                "MPE_PIN_TEST",
                "offre.p7m",
                "-o",
                sortie,
            ])
            .output()
            .unwrap()
    };
    ok(&dechiffrer("123456", "mpe-cli", "clair.txt"));
    assert_eq!(
        std::fs::read(p.join("clair.txt")).unwrap(),
        b"offre sur jeton"
    );
    let o = dechiffrer("000000", "mpe-cli", "faux.txt");
    code(&o, 7);
    assert!(String::from_utf8_lossy(&o.stderr).contains("PIN_INCORRECT"));
    let o = dechiffrer("123456", "absent", "faux.txt");
    code(&o, 7);
    assert!(String::from_utf8_lossy(&o.stderr).contains("JETON_ABSENT"));
    assert!(!p.join("faux.txt").exists());
    // `mpe diagnostic` finds the module and its token, and its self-checks pass.
    let o = Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(p)
        .env("SOFTHSM2_CONF", &conf)
        .args(["diagnostic", "--pkcs11", MODULE, "--json"])
        .output()
        .unwrap();
    ok(&o);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["ok"], true);
    let lignes = r["controles"].as_array().unwrap();
    assert!(
        lignes.iter().any(|l| l["nom"] == format!("module {MODULE}")
            && l["detail"].as_str().unwrap().contains("« mpe-cli »")),
        "{r:#}"
    );
    // Each certificate of the token with the "Conformité" column: a self-signed test
    // certificate without QcStatements is not adapted, and says why.
    assert!(
        lignes
            .iter()
            .any(|l| l["nom"].as_str().unwrap().starts_with("certificat « ")
                && l["nom"].as_str().unwrap().ends_with("du jeton « mpe-cli »")
                && l["detail"]
                    .as_str()
                    .unwrap()
                    .contains("Conformité : non adapté pour les marchés publics : ")),
        "{r:#}"
    );
    assert!(
        lignes
            .iter()
            .any(|l| l["nom"] == "enveloppe" && l["ok"] == true)
    );
    // A module that does not load: that line fails, exit 4.
    let o = Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(p)
        .env("SOFTHSM2_CONF", &conf)
        .args(["diagnostic", "--pkcs11", "/nulle/part/module.so"])
        .output()
        .unwrap();
    code(&o, 4);
    assert!(String::from_utf8_lossy(&o.stdout).contains("MODULE_PKCS11"));
    // The PIN from a file works as well.
    let o = Command::new(env!("CARGO_BIN_EXE_mpe"))
        .current_dir(p)
        .env("SOFTHSM2_CONF", &conf)
        .args([
            "dechiffrer",
            "--pkcs11",
            MODULE,
            "--jeton",
            "mpe-cli",
            "--cle",
            "Cle de chiffrement",
            "--fichier-pin",
            "pin.txt",
            "offre.p7m",
            "-o",
            "clair2.txt",
        ])
        .output()
        .unwrap();
    ok(&o);
}
