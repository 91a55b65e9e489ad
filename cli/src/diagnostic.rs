//! `mpe diagnostic`: the "test de configuration du poste" — version, system, features,
//! PKCS#11 modules found with their tokens, and self-checks that need no outside file
//! (a digest against its known answer, an EC envelope made and opened here). Each line says
//! ok or why not; `--json` for machines.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::Args;
use mpe::Erreur;
use serde::Serialize;

use crate::commun::Sortie;

/// Arguments of `mpe diagnostic`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemples :\n  mpe diagnostic\n  mpe diagnostic --pkcs11 /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so --json\n\nCode de sortie : 0 si chaque contrôle est ok, 4 sinon."
)]
pub struct Diagnostic {
    /// Module PKCS#11 à essayer en plus de ceux des emplacements habituels ; répéter au besoin.
    #[arg(long = "pkcs11")]
    modules: Vec<PathBuf>,
    /// Affiche le résultat en JSON.
    #[arg(long)]
    json: bool,
}

/// What `mpe diagnostic --json` prints (`schemas/diagnostic.schema.json`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct ResultatDiagnostic {
    /// Every line is ok.
    ok: bool,
    /// The lines, in order.
    controles: Vec<Controle>,
}

/// One line of the diagnostic.
#[derive(Debug, Serialize, schemars::JsonSchema)]
struct Controle {
    nom: String,
    ok: bool,
    detail: String,
}

/// Where Debian and the usual vendors install PKCS#11 modules.
const MODULES_CONNUS: &[&str] = &[
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/libeTPkcs11.so",
    "/usr/lib/libIDPrimePKCS11.so",
];

fn controle(nom: impl Into<String>, r: Result<String, Erreur>) -> Controle {
    match r {
        Ok(detail) => Controle {
            nom: nom.into(),
            ok: true,
            detail,
        },
        Err(e) => Controle {
            nom: nom.into(),
            ok: false,
            detail: format!("{} ({})", e, e.code().name()),
        },
    }
}

/// The module's line (its tokens), then one line per certificate of each token with the
/// seed's "Conformité" column: a certificate that is not adapted is information for the
/// user, not a fault of the workstation, so its line stays ok.
#[cfg(feature = "pkcs11")]
fn jetons(module: &Path) -> Vec<Controle> {
    let nom = format!("module {}", module.display());
    let liste = match mpe::crypto::jeton::lister(module, chrono::Utc::now()) {
        Ok(l) => l,
        Err(e) => return vec![controle(nom, Err(e))],
    };
    let mut lignes = vec![controle(
        nom,
        Ok(if liste.is_empty() {
            "chargé, aucun jeton présent".to_string()
        } else {
            format!(
                "chargé, jeton(s) : {}",
                liste
                    .iter()
                    .map(|t| format!(
                        "« {} » ({} {})",
                        t.jeton.libelle, t.jeton.fabricant, t.jeton.modele
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    )];
    for t in &liste {
        for c in &t.certificats {
            let conformite = if c.conformite.adapte {
                "adapté pour les marchés publics".to_string()
            } else {
                format!(
                    "non adapté pour les marchés publics : {}",
                    c.conformite.raisons.join(" ; ")
                )
            };
            lignes.push(controle(
                format!(
                    "certificat « {} » du jeton « {} »",
                    c.libelle, t.jeton.libelle
                ),
                Ok(format!(
                    "{} (émis par {}, jusqu'au {}) — Conformité : {conformite}",
                    c.info.sujet,
                    c.info.emetteur,
                    c.info.validite.fin.format("%d/%m/%Y")
                )),
            ));
        }
    }
    lignes
}

#[cfg(not(feature = "pkcs11"))]
fn jetons(module: &Path) -> Vec<Controle> {
    vec![controle(
        format!("module {}", module.display()),
        Err(Erreur::new(
            mpe::CodeErreur::NonPrisEnCharge,
            "mpe construit sans la prise en charge PKCS#11",
        )),
    )]
}

/// SHA-256 of "abc" (FIPS 180-2, appendix B.1).
fn empreinte() -> Result<String, Erreur> {
    use mpe::signature::AlgorithmeEmpreinte;
    let h = hex::encode(AlgorithmeEmpreinte::Sha256.hash(b"abc"));
    if h == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
        Ok("SHA-256 conforme à la valeur de référence".into())
    } else {
        Err(Erreur::internal(format!("SHA-256(\"abc\") = {h}")))
    }
}

/// An envelope to a new P-256 key, opened with it.
fn enveloppe() -> Result<String, Erreur> {
    use mpe::crypto::bicle::{GenerationBiCle, generer_cle_ec};
    use mpe::crypto::cms::{self, Cle, OptionsChiffrement, OptionsDechiffrement};
    use mpe::crypto::dechiffreur::Courbe;
    let cle = generer_cle_ec(
        &GenerationBiCle::new("diagnostic"),
        Courbe::P256,
        Utc::now(),
    )?;
    let cert = cle
        .certificat_joint()
        .ok_or_else(|| Erreur::internal("certificat absent"))?
        .clone();
    let env = cms::encrypt(b"diagnostic", &[cert], &OptionsChiffrement::default())?;
    let (clair, info) =
        cms::dechiffrer(&env, &[Cle::Privee(&cle)], &OptionsDechiffrement::default())?;
    if clair != b"diagnostic" {
        return Err(Erreur::internal("le déchiffrement ne rend pas le clair"));
    }
    Ok(format!(
        "{} {:?} pour une clé P-256 : chiffrée puis ouverte",
        info.structure, info.chiffrement
    ))
}

pub fn diagnostic(args: Diagnostic, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let mut lignes = vec![
        Controle {
            nom: "version".into(),
            ok: true,
            detail: format!("mpe {}", env!("CARGO_PKG_VERSION")),
        },
        Controle {
            nom: "systeme".into(),
            ok: true,
            detail: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        },
        Controle {
            nom: "pkcs11".into(),
            ok: true,
            detail: if cfg!(feature = "pkcs11") {
                "prise en charge des jetons PKCS#11 : oui".into()
            } else {
                "prise en charge des jetons PKCS#11 : non (construit sans)".into()
            },
        },
    ];
    let mut modules: Vec<PathBuf> = MODULES_CONNUS
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect();
    for m in &args.modules {
        if !modules.contains(m) {
            modules.push(m.clone());
        }
    }
    if modules.is_empty() {
        lignes.push(Controle {
            nom: "module".into(),
            ok: true,
            detail: "aucun module PKCS#11 aux emplacements habituels (--pkcs11 MODULE pour en essayer un)".into(),
        });
    }
    for m in &modules {
        lignes.extend(jetons(m));
    }
    lignes.push(controle("empreinte", empreinte()));
    lignes.push(controle("enveloppe", enveloppe()));
    let tout_ok = lignes.iter().all(|l| l.ok);
    if args.json {
        sortie.json(&ResultatDiagnostic {
            ok: tout_ok,
            controles: lignes,
        })?;
    } else {
        for l in &lignes {
            sortie.info(format!(
                "{} {} : {}",
                if l.ok { "ok    " } else { "ÉCHEC " },
                l.nom,
                l.detail
            ));
        }
    }
    Ok(if tout_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}
