//! One-call operations with a key on a token, named by a [`ReferenceJeton`] (module path,
//! token label, key label or id) and a PIN: what the bindings (C, Python, PHP, Java) and
//! hosts that do not keep a session open need. Each call loads the module, opens a session,
//! does its work and closes it; the key never leaves the token.
//!
//! A PKCS#11 session is not shareable between threads, so everything happens on the
//! calling thread, inside the call.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::cms::{self, Cle, InfoDechiffrement, OptionsDechiffrement};
use crate::crypto::dechiffreur::Hachage;
use crate::crypto::pkcs11::{CertificatJeton, CleJeton, InfoJeton, ModulePkcs11, SessionJeton};
use crate::signature::{
    self, AlgorithmeEmpreinte, DonneesSignees, FormatSignature, OptionsSignature, SchemaSignature,
    Signataire,
};
use crate::{CodeErreur, Erreur, Result};

/// Which key of which token: `{"module": "/usr/lib/softhsm/libsofthsm2.so", "jeton":
/// "Ma carte", "cle": "Clé de signature"}` or with `"id": "01"` (hex `CKA_ID`) instead of
/// `cle`. The PIN is not part of it: it comes from the host with each call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceJeton {
    /// Path of the PKCS#11 module (`.so`, `.dll`, `.dylib`).
    pub module: PathBuf,
    /// Label of the token (`CKA_LABEL` of the token, as `pkcs11-tool -L` shows it).
    pub jeton: String,
    /// Label of the private key.
    #[serde(default)]
    pub cle: Option<String>,
    /// `CKA_ID` of the private key, hex (used when `cle` is absent).
    #[serde(default)]
    pub id: Option<String>,
}

/// A token of a module with the certificates it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct JetonEtCertificats {
    /// The token.
    pub jeton: InfoJeton,
    /// Its certificates with their "Conformité".
    pub certificats: Vec<CertificatJeton>,
}

/// The tokens of the module at `module` and their certificates, with their conformity at
/// `maintenant` (no PIN: certificates are public objects).
pub fn lister(module: &Path, maintenant: DateTime<Utc>) -> Result<Vec<JetonEtCertificats>> {
    let m = ModulePkcs11::charger(module)?;
    let mut out = vec![];
    for jeton in m.jetons()? {
        let certificats = m.ouvrir(&jeton.libelle, None)?.certificats(maintenant)?;
        out.push(JetonEtCertificats { jeton, certificats });
    }
    Ok(out)
}

/// Run `f` with the key named by `reference`, logged in with `pin`, on the calling thread:
/// what the one-call functions here do not cover, e.g. an opening of plis
/// (`Procedure::ouvrir_plis` with `Cle::Privee(k)`), which the bindings call with a token.
pub fn avec_cle<T>(
    reference: &ReferenceJeton,
    pin: Option<&str>,
    f: impl FnOnce(&CleJeton<'_>) -> Result<T>,
) -> Result<T> {
    let m = ModulePkcs11::charger(&reference.module)?;
    let session: SessionJeton = m.ouvrir(&reference.jeton, pin)?;
    let cle = match (&reference.cle, &reference.id) {
        (Some(libelle), _) => session.cle(libelle)?,
        (None, Some(id)) => {
            let id = hex::decode(id.trim()).map_err(|_| {
                Erreur::invalid_argument(format!("id de clé : hexadécimal attendu, pas « {id} »"))
            })?;
            session.cle_par_id(&id)?
        }
        (None, None) => {
            return Err(Erreur::invalid_argument(
                "référence du jeton : « cle » (libellé) ou « id » requis",
            ));
        }
    };
    f(&cle)
}

/// Decrypt an envelope held in memory with the token's key (RSA key transport or ECDH).
pub fn dechiffrer(
    cms_octets: &[u8],
    reference: &ReferenceJeton,
    pin: Option<&str>,
    options: &OptionsDechiffrement,
) -> Result<(Vec<u8>, InfoDechiffrement)> {
    avec_cle(reference, pin, |k| {
        cms::dechiffrer(cms_octets, &[Cle::Privee(k)], options)
    })
}

/// Decrypt the file `entree` into `sortie` in constant memory with the token's key; the
/// plaintext appears only once authenticated.
pub fn dechiffrer_fichier(
    entree: &Path,
    sortie: &Path,
    reference: &ReferenceJeton,
    pin: Option<&str>,
    options: &OptionsDechiffrement,
) -> Result<InfoDechiffrement> {
    avec_cle(reference, pin, |k| {
        cms::dechiffrer_fichier(entree, sortie, &[Cle::Privee(k)], options)
    })
}

fn hachage(a: AlgorithmeEmpreinte) -> Result<Hachage> {
    match a {
        AlgorithmeEmpreinte::Sha1 => Ok(Hachage::Sha1),
        AlgorithmeEmpreinte::Sha224 => Ok(Hachage::Sha224),
        AlgorithmeEmpreinte::Sha256 => Ok(Hachage::Sha256),
        AlgorithmeEmpreinte::Sha384 => Ok(Hachage::Sha384),
        AlgorithmeEmpreinte::Sha512 => Ok(Hachage::Sha512),
        autre => Err(Erreur::new(
            CodeErreur::AlgorithmeNonSupporte,
            format!("signature sur jeton : empreinte {autre:?} non prise en charge (SHA-2)"),
        )),
    }
}

/// Sign with the token's key (CAdES, XAdES or PAdES): mpe prepares the signature with the
/// token's certificate (and `chaine`, the rest of the chain, may be empty), the token signs
/// the digest (RSA PKCS#1 v1.5 or ECDSA), mpe checks the value and assembles. `donnees` is
/// read once (the PDF itself for PAdES).
pub fn signer(
    format: FormatSignature,
    donnees: DonneesSignees<'_>,
    reference: &ReferenceJeton,
    pin: Option<&str>,
    chaine: Vec<x509_cert::Certificate>,
    options: &OptionsSignature,
) -> Result<Vec<u8>> {
    avec_cle(reference, pin, |k| {
        let mut certs = vec![k.certificat_jeton().clone()];
        certs.extend(chaine);
        let s = Signataire::externe(certs)?;
        let p = signature::preparer(format, donnees, &s, options)?;
        if !matches!(
            p.schema,
            SchemaSignature::RsaPkcs1v15 | SchemaSignature::Ecdsa
        ) {
            return Err(Erreur::new(
                CodeErreur::AlgorithmeNonSupporte,
                format!(
                    "signature sur jeton : schéma {:?} non pris en charge (RSA PKCS#1 v1.5 ou ECDSA)",
                    p.schema
                ),
            ));
        }
        let valeur = k.signer_empreinte(hachage(p.algorithme_empreinte)?, &p.empreinte)?;
        p.assembler(&valeur)
    })
}

/// Like [`signer`] for a file (streamed for CAdES and XAdES), written to `sortie` whole or
/// not at all. The XAdES reference uses the file's name unless the options name it.
pub fn signer_fichier(
    format: FormatSignature,
    fichier: &Path,
    sortie: &Path,
    reference: &ReferenceJeton,
    pin: Option<&str>,
    chaine: Vec<x509_cert::Certificate>,
    options: &OptionsSignature,
) -> Result<()> {
    let io =
        |e: std::io::Error| Erreur::new(CodeErreur::Es, format!("{} : {e}", fichier.display()));
    let mut o = options.clone();
    if o.nom_fichier.is_none() {
        o.nom_fichier = fichier
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
    }
    let mut f = std::io::BufReader::new(std::fs::File::open(fichier).map_err(io)?);
    let lecteur: &mut dyn Read = &mut f;
    let signe = signer(
        format,
        DonneesSignees::Lecteur(lecteur),
        reference,
        pin,
        chaine,
        &o,
    )?;
    crate::fichier_atomique::ecrire_atomique(
        sortie,
        &signe,
        crate::fichier_atomique::Confidentialite::Publique,
    )
}
