//! Without the `pdf` feature: the same entry points as `moteur`, each refusing with
//! `NON_PRIS_EN_CHARGE` (a host built without PDF learns it from a typed error, not a link error).

use super::super::OptionsSignature;
use super::super::rapport::{OptionsVerification, RapportSignature};
use super::super::signer::Signataire;
use super::EtatPades;
use super::limites::LimitesPdf;
use super::modifications::RevisionPdf;
use crate::{CodeErreur, Erreur, Result};

fn absent() -> Erreur {
    Erreur::new(
        CodeErreur::NonPrisEnCharge,
        "PDF (PAdES) non compilé : la bibliothèque est construite sans la fonctionnalité « pdf »",
    )
}

pub(crate) fn preparer(
    _pdf: Vec<u8>,
    _signer: &Signataire,
    _opts: &OptionsSignature,
) -> Result<(Vec<u8>, EtatPades)> {
    Err(absent())
}

pub(crate) fn assembler(_etat: &EtatPades, _cms_der: &[u8]) -> Result<Vec<u8>> {
    Err(absent())
}

pub(crate) fn verifier(_pdf: &[u8], _opts: &OptionsVerification) -> Result<Vec<RapportSignature>> {
    Err(absent())
}

/// The revisions after each signature: `NON_PRIS_EN_CHARGE` without the `pdf` feature.
pub fn revisions_pdf(
    _pdf: &[u8],
    _limites: LimitesPdf,
) -> Result<Vec<(Option<String>, Vec<RevisionPdf>)>> {
    Err(absent())
}

pub(crate) fn last_cms(_pdf: &[u8]) -> Result<Vec<u8>> {
    Err(absent())
}

pub(crate) fn add_timestamp(_pdf: &[u8], _token: &[u8]) -> Result<Vec<u8>> {
    Err(absent())
}

pub(crate) fn ajouter_dss(
    _pdf: &[u8],
    _d: &super::super::long_terme::DonneesValidation,
) -> Result<Vec<u8>> {
    Err(absent())
}

pub(crate) fn preparer_horodatage(
    _pdf: Vec<u8>,
    _alg: super::super::signer::AlgorithmeEmpreinte,
) -> Result<(Vec<u8>, EtatPades)> {
    Err(absent())
}

pub(crate) fn tous_les_cms(_pdf: &[u8]) -> Result<Vec<Vec<u8>>> {
    Err(absent())
}
