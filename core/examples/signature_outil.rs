//! Small command-line tool over `mpe::signature`, used by the interoperability tests and
//! the benchmarks.
//!
//! ```text
//! signature_outil signer <cades|xades|pades> <cle.pem> <certs.pem> <fichier> <sortie> [date-rfc3339] [--visible] [--pss] [--sha384|--sha512]
//! signer via preparer/assembler (deux étapes) : ajouter --deux-etapes
//! signature_outil verifier <signature> [fichier-signe|-] <ancres.pem> [crl.der] [date-rfc3339]
//! signature_outil requete <signe> <sortie.tsq>
//! signature_outil horodater <signe> <jeton.tsr> <sortie>
//! ```

use std::fs;
use std::process::ExitCode;

use mpe::signature::{
    self, AlgorithmeEmpreinte, Apparence, DonneesSignees, FormatSignature, OptionsSignature,
    OptionsVerification, SchemaSignature, Signataire,
};

fn run(args: &[String]) -> mpe::Result<()> {
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or_else(|| mpe::Erreur::invalid_argument("argument manquant"))
    };
    let io = |e: std::io::Error| mpe::Erreur::new(mpe::CodeErreur::Es, e.to_string());
    let date = |s: Option<&String>| {
        s.and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.to_utc())
            .unwrap_or_else(chrono::Utc::now)
    };
    match arg(1)?.as_str() {
        "signer" => {
            let format = match arg(2)?.as_str() {
                "cades" => FormatSignature::CAdES,
                "xades" => FormatSignature::XAdES,
                _ => FormatSignature::PAdES,
            };
            let flags: Vec<&String> = args.iter().skip(7).collect();
            let mut signer = Signataire::from_pem(
                &fs::read_to_string(arg(3)?).map_err(io)?,
                &fs::read_to_string(arg(4)?).map_err(io)?,
            )?;
            if flags.iter().any(|f| *f == "--pss") {
                signer = signer.avec_schema(SchemaSignature::RsaPss);
            }
            if flags.iter().any(|f| *f == "--sha384") {
                signer = signer.avec_empreinte(AlgorithmeEmpreinte::Sha384);
            }
            if flags.iter().any(|f| *f == "--sha512") {
                signer = signer.avec_empreinte(AlgorithmeEmpreinte::Sha512);
            }
            let path = arg(5)?;
            let mut opts =
                OptionsSignature::new(date(args.get(7).filter(|a| !a.starts_with("--"))));
            opts.nom_fichier = std::path::Path::new(&path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            if flags.iter().any(|f| *f == "--visible") {
                opts.pades.apparence = Some(Apparence {
                    page: 1,
                    rect: [50.0, 50.0, 250.0, 110.0],
                    texte: Some("Candidat".into()),
                });
            }
            let mut file = fs::File::open(&path).map_err(io)?;
            let out = if flags.iter().any(|f| *f == "--deux-etapes") {
                let p = signature::preparer(
                    format,
                    DonneesSignees::Lecteur(&mut file),
                    &signer,
                    &opts,
                )?;
                let json =
                    serde_json::to_string(&p).map_err(|e| mpe::Erreur::internal(e.to_string()))?;
                let p: signature::SignaturePreparee = serde_json::from_str(&json)
                    .map_err(|e| mpe::Erreur::internal(e.to_string()))?;
                let value = signer.signer_empreinte(&p.empreinte)?;
                p.assembler(&value)?
            } else {
                signature::signer(format, DonneesSignees::Lecteur(&mut file), &signer, &opts)?
            };
            fs::write(arg(6)?, out).map_err(io)?;
        }
        "verifier" => {
            let sig = fs::read(arg(2)?).map_err(io)?;
            let anchors = fs::read(arg(4)?).map_err(io)?;
            let crls = match args.get(5) {
                Some(p) if p != "-" => vec![fs::read(p).map_err(io)?],
                _ => vec![],
            };
            let opts = OptionsVerification::depuis_pem(&anchors, crls, Some(date(args.get(6))))?;
            let signed = arg(3)?;
            let mut file;
            let data = if signed == "-" {
                None
            } else {
                file = fs::File::open(&signed).map_err(io)?;
                Some(DonneesSignees::Lecteur(&mut file))
            };
            let r = signature::verifier(&sig, data, &opts)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&r)
                    .map_err(|e| mpe::Erreur::internal(e.to_string()))?
            );
        }
        "requete" => {
            let signed = fs::read(arg(2)?).map_err(io)?;
            fs::write(
                arg(3)?,
                signature::requete_horodatage(&signed, AlgorithmeEmpreinte::Sha256, Some(42))?,
            )
            .map_err(io)?;
        }
        "horodater" => {
            let signed = fs::read(arg(2)?).map_err(io)?;
            let token = fs::read(arg(3)?).map_err(io)?;
            fs::write(arg(4)?, signature::ajouter_horodatage(&signed, &token)?).map_err(io)?;
        }
        other => {
            return Err(mpe::Erreur::invalid_argument(format!(
                "commande inconnue : {other}"
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
            eprintln!("{} [{}]", e, e.code().name());
            ExitCode::from(u8::try_from(e.code().code() % 256).unwrap_or(1).max(1))
        }
    }
}
