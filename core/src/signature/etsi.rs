//! ETSI EN 319 102-1 verdicts: the sub-indications beside VALIDE / INVALIDE / INDÉTERMINÉ,
//! derived from mpe's stable error codes so that every format check (PAdES, CAdES, XAdES)
//! only has to give the right code.
//!
//! The rule (EN 319 102-1, 5.1.3, table 5): TOTAL-FAILED (INVALIDE) only for a proven
//! failure — a hash that does not match, a signature value that does not verify, a
//! certificate revoked or out of its validity at a time the signature provably existed, a
//! structure that contradicts the standard. Everything mpe cannot establish or does not
//! support is INDETERMINATE with the reason named.

use serde::{Deserialize, Serialize};

use super::rapport::Statut;
use crate::CodeErreur;

/// ETSI EN 319 102-1 sub-indication (table 5), with the standard's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SousIndication {
    /// The signature is not conformant to one of the base standards.
    FormatFailure,
    /// A hash of the signed data does not match the one in the signature.
    HashFailure,
    /// The signature value does not verify with the signer's public key.
    SigCryptoFailure,
    /// The signing certificate was revoked at the time the signature provably existed.
    Revoked,
    /// The signature provably was made after the signing certificate expired.
    Expired,
    /// The signature provably was made before the signing certificate was issued.
    NotYetValid,
    /// A property of the signature does not meet the validation constraints (key usage...).
    SigConstraintsFailure,
    /// The chain does not meet the constraints (a CA out of its validity...).
    ChainConstraintsFailure,
    /// The chain could not be built for another reason.
    CertificateChainGeneralFailure,
    /// An algorithm (or key size) is not acceptable, or not supported by mpe.
    CryptoConstraintsFailure,
    /// The same, but a proof of existence before the algorithm was deemed weak is missing.
    CryptoConstraintsFailureNoPoe,
    /// The signing certificate cannot be identified (absent, or its reference lies).
    NoSigningCertificateFound,
    /// No chain from the signing certificate to a trust anchor.
    NoCertificateChainFound,
    /// Revoked, and no proof that the signature existed before the revocation.
    RevokedNoPoe,
    /// A CA of the chain is revoked, without proof of existence before.
    RevokedCaNoPoe,
    /// The certificate is out of its validity at the validation time and no proof of
    /// existence shows the signature was made while it was valid.
    OutOfBoundsNoPoe,
    /// Out of bounds, not known revoked, no proof of existence.
    OutOfBoundsNotRevoked,
    /// A proof of existence is missing.
    NoPoe,
    /// Revocation information is not yet available.
    TryLater,
    /// The signed data cannot be obtained (detached content missing).
    SignedDataNotFound,
    /// A timestamp's order is wrong.
    TimestampOrderFailure,
    /// The signature policy cannot be processed.
    PolicyProcessingError,
    /// The signature policy is not available.
    SignaturePolicyNotAvailable,
}

impl SousIndication {
    /// The ETSI name (`HASH_FAILURE`...).
    pub fn nom(self) -> &'static str {
        use SousIndication::*;
        match self {
            FormatFailure => "FORMAT_FAILURE",
            HashFailure => "HASH_FAILURE",
            SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            Revoked => "REVOKED",
            Expired => "EXPIRED",
            NotYetValid => "NOT_YET_VALID",
            SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
            ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            CertificateChainGeneralFailure => "CERTIFICATE_CHAIN_GENERAL_FAILURE",
            CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            CryptoConstraintsFailureNoPoe => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
            NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            RevokedNoPoe => "REVOKED_NO_POE",
            RevokedCaNoPoe => "REVOKED_CA_NO_POE",
            OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
            OutOfBoundsNotRevoked => "OUT_OF_BOUNDS_NOT_REVOKED",
            NoPoe => "NO_POE",
            TryLater => "TRY_LATER",
            SignedDataNotFound => "SIGNED_DATA_NOT_FOUND",
            TimestampOrderFailure => "TIMESTAMP_ORDER_FAILURE",
            PolicyProcessingError => "POLICY_PROCESSING_ERROR",
            SignaturePolicyNotAvailable => "SIGNATURE_POLICY_NOT_AVAILABLE",
        }
    }

    /// Rank in the ETSI process order (lower comes first): the main sub-indication of an
    /// indeterminate signature is the first step that could not conclude.
    pub(crate) fn rang(self) -> u8 {
        use SousIndication::*;
        match self {
            FormatFailure => 0,
            SignedDataNotFound => 1,
            NoSigningCertificateFound => 2,
            HashFailure => 3,
            SigCryptoFailure => 4,
            CryptoConstraintsFailure | CryptoConstraintsFailureNoPoe => 5,
            SigConstraintsFailure => 6,
            NoCertificateChainFound => 7,
            CertificateChainGeneralFailure | ChainConstraintsFailure => 8,
            Revoked | RevokedNoPoe | RevokedCaNoPoe => 9,
            Expired | NotYetValid | OutOfBoundsNoPoe | OutOfBoundsNotRevoked => 10,
            TimestampOrderFailure | NoPoe | TryLater => 11,
            PolicyProcessingError | SignaturePolicyNotAvailable => 12,
        }
    }
}

impl std::fmt::Display for SousIndication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.nom())
    }
}

/// What mpe does not support, when that is why a signature is INDÉTERMINÉ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum FonctionnaliteManquante {
    /// A digest or signature algorithm, a key type or an elliptic curve.
    Algorithme,
    /// A structure or an option of the format (transform, reference kind, attribute...).
    Format,
    /// A timestamp encoding.
    Horodatage,
    /// Anything else.
    Autre,
}

/// The typed reason of an INDÉTERMINÉ for an unsupported feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NonSupporte {
    /// Kind of feature missing.
    pub fonctionnalite: FonctionnaliteManquante,
    /// What exactly (the OID, URI or structure met).
    pub detail: String,
}

/// The verdict an error code gives when a format check reports it: status and
/// sub-indication. `None`: the code is not a verdict (an input/output failure...).
pub(crate) fn verdict(code: CodeErreur) -> (Statut, SousIndication) {
    use SousIndication as S;
    use Statut::{Indetermine as I, Invalide as F};
    match code {
        CodeErreur::SignatureIntegrite | CodeErreur::PdfModifieApresSignature => {
            (F, S::HashFailure)
        }
        CodeErreur::SignatureInvalide => (F, S::SigCryptoFailure),
        // Only ever the verdict of an archive timestamp itself, never of the signature.
        CodeErreur::HorodatageArchiveIncorrect | CodeErreur::IndexArchiveIncorrect => {
            (F, S::HashFailure)
        }
        CodeErreur::SignatureMalformee
        | CodeErreur::ByteRangeInvalide
        | CodeErreur::XmlEnveloppement
        | CodeErreur::XmlDtdInterdite
        | CodeErreur::PdfMalforme
        | CodeErreur::SignatureFormatInconnu => (F, S::FormatFailure),
        CodeErreur::ReferenceCertificatIncorrecte => (F, S::NoSigningCertificateFound),
        CodeErreur::CertificatRevoque => (F, S::Revoked),
        CodeErreur::CertificatSignataireIntrouvable => (I, S::NoSigningCertificateFound),
        CodeErreur::FichierSigneManquant => (I, S::SignedDataNotFound),
        CodeErreur::ChaineNonApprouvee => (I, S::NoCertificateChainFound),
        CodeErreur::UsageCleIncorrect => (I, S::SigConstraintsFailure),
        CodeErreur::AlgorithmeNonSupporte | CodeErreur::AlgorithmeRefuse => {
            (I, S::CryptoConstraintsFailure)
        }
        CodeErreur::CertificatHorsValidite => (I, S::OutOfBoundsNoPoe),
        CodeErreur::HorodatageInvalide | CodeErreur::HorodatageIndetermine => (I, S::NoPoe),
        CodeErreur::NonPrisEnCharge => (I, S::SigConstraintsFailure),
        _ => (I, S::SigConstraintsFailure),
    }
}

/// The missing feature an error names, for unsupported codes.
pub(crate) fn non_supporte(e: &crate::Erreur) -> Option<NonSupporte> {
    let fonctionnalite = match e.code() {
        CodeErreur::AlgorithmeNonSupporte => FonctionnaliteManquante::Algorithme,
        CodeErreur::HorodatageIndetermine => FonctionnaliteManquante::Horodatage,
        CodeErreur::NonPrisEnCharge => {
            let m = e.message();
            if m.contains("algorithme") || m.contains("courbe") || m.contains("clé") {
                FonctionnaliteManquante::Algorithme
            } else {
                FonctionnaliteManquante::Format
            }
        }
        _ => return None,
    };
    Some(NonSupporte {
        fonctionnalite,
        detail: e.message().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noms_etsi_en_serde() {
        for s in [
            SousIndication::HashFailure,
            SousIndication::OutOfBoundsNoPoe,
            SousIndication::NoCertificateChainFound,
            SousIndication::SignedDataNotFound,
            SousIndication::CryptoConstraintsFailureNoPoe,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.nom())
            );
        }
    }

    #[test]
    fn invalide_seulement_pour_un_echec_prouve() {
        assert_eq!(
            verdict(CodeErreur::SignatureIntegrite),
            (Statut::Invalide, SousIndication::HashFailure)
        );
        assert_eq!(verdict(CodeErreur::NonPrisEnCharge).0, Statut::Indetermine);
        assert_eq!(
            verdict(CodeErreur::AlgorithmeNonSupporte).0,
            Statut::Indetermine
        );
        assert_eq!(
            verdict(CodeErreur::HorodatageIndetermine).0,
            Statut::Indetermine
        );
        assert_eq!(
            verdict(CodeErreur::CertificatHorsValidite).0,
            Statut::Indetermine
        );
        assert_eq!(
            verdict(CodeErreur::FichierSigneManquant),
            (Statut::Indetermine, SousIndication::SignedDataNotFound)
        );
    }
}
