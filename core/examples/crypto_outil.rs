//! Command-line helper for the interoperability tests and benchmarks of the crypto area.
//!
//! ```text
//! crypto_outil chiffrer <entrée> <sortie> <gcm|cbc> <oaep256|oaep1|v15> <cert.pem>...
//! crypto_outil dechiffrer <entrée> <sortie> <cert.pem> <clé.pem|p12> [mot de passe]
//! crypto_outil generer <titulaire> <bits> <sortie.p12> <mot de passe>
//! ```

use std::path::Path;
use std::process::ExitCode;

use mpe::crypto::bicle::{self, BiCle, GenerationBiCle};
use mpe::crypto::cms::{self, Chiffrement, OptionsChiffrement, TransportCle};

fn run(args: &[String]) -> mpe::Result<()> {
    let arg = |i: usize| {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| mpe::Erreur::invalid_argument("arguments manquants"))
    };
    match arg(1)? {
        "chiffrer" => {
            let chiffrement = match arg(4)? {
                "gcm" => Chiffrement::Aes256Gcm,
                "cbc" => Chiffrement::Aes256Cbc,
                o => return Err(mpe::Erreur::invalid_argument(format!("chiffrement {o}"))),
            };
            let transport = match arg(5)? {
                "oaep256" => TransportCle::RsaOaepSha256,
                "oaep1" => TransportCle::RsaOaepSha1,
                "v15" => TransportCle::RsaPkcs1v15,
                o => return Err(mpe::Erreur::invalid_argument(format!("transport {o}"))),
            };
            let mut certs = Vec::new();
            for p in args.iter().skip(6) {
                certs.extend(bicle::load_certificates(&std::fs::read(p)?)?);
            }
            cms::encrypt_file(
                Path::new(arg(2)?),
                Path::new(arg(3)?),
                &certs,
                &OptionsChiffrement {
                    chiffrement,
                    transport,
                },
            )?;
        }
        "dechiffrer" => {
            let key = std::fs::read(arg(5)?)?;
            let pw = args.get(6).map(String::as_str);
            let bicle = if arg(5)?.ends_with(".p12") {
                bicle::load_pkcs12(&key, pw.unwrap_or(""))?
            } else {
                BiCle::from_pem(&std::fs::read(arg(4)?)?, &key, pw)?
            };
            let info = cms::decrypt_file(Path::new(arg(2)?), Path::new(arg(3)?), &bicle)?;
            println!("{}", serde_json::to_string(&info)?);
        }
        "generer" => {
            let mut p = GenerationBiCle::new(arg(2)?);
            p.bits = arg(3)?
                .parse()
                .map_err(|_| mpe::Erreur::invalid_argument("bits"))?;
            let b = BiCle::generer(&p, chrono::Utc::now())?;
            std::fs::write(arg(4)?, b.exporter_pkcs12(arg(5)?)?)?;
            std::fs::write(format!("{}.cert.pem", arg(4)?), b.certificat_pem()?)?;
            std::fs::write(
                format!("{}.key.pem", arg(4)?),
                bicle::export_pkcs8_pem(b.cle(), None)?,
            )?;
        }
        o => {
            return Err(mpe::Erreur::invalid_argument(format!(
                "commande inconnue {o}"
            )));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur [{}] : {e}", e.code().name());
            ExitCode::from(2)
        }
    }
}
