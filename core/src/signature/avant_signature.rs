//! The check before signing (what the reference platform's assistant shows as
//! "Conformité : Adapté pour les marchés publics"): mpe refuses to make a signature it
//! would not itself call VALIDE and adapté. [`super::OptionsSignature::forcer`] skips it
//! (tests that need such signatures).

use chrono::{DateTime, Utc};

use super::rapport::{FormatSignature, info_certificat};
use super::signer::{SchemaSignature, Signataire};
use crate::{CodeErreur, Erreur, Result};

/// Refuse, with a typed error, a certificate whose key usage excludes signing, one out of
/// its validity at the signing time, and an obsolete or unsuitable algorithm.
pub(crate) fn controler(
    format: FormatSignature,
    signataire: &Signataire,
    date: DateTime<Utc>,
) -> Result<()> {
    let info = info_certificat(signataire.certificat());
    if !info.signature_numerique {
        return Err(Erreur::new(
            CodeErreur::UsageCleIncorrect,
            format!(
                "signature refusée : l'usage de la clé du certificat « {} » exclut la signature",
                info.sujet
            ),
        ));
    }
    if date < info.valide_du || date > info.valide_au {
        return Err(Erreur::new(
            CodeErreur::CertificatHorsValidite,
            format!(
                "signature refusée : le certificat « {} » est valide du {} au {}, signature le {date}",
                info.sujet, info.valide_du, info.valide_au
            ),
        ));
    }
    let alg = signataire.empreinte();
    if alg.est_obsolete() {
        return Err(Erreur::new(
            CodeErreur::AlgorithmeRefuse,
            format!("signature refusée : l'empreinte {alg:?} est obsolète"),
        ));
    }
    let scheme = signataire.schema();
    if format == FormatSignature::XAdES
        && !matches!(
            (scheme, alg),
            (
                SchemaSignature::RsaPkcs1v15 | SchemaSignature::RsaPss | SchemaSignature::Ecdsa,
                super::signer::AlgorithmeEmpreinte::Sha256
                    | super::signer::AlgorithmeEmpreinte::Sha384
                    | super::signer::AlgorithmeEmpreinte::Sha512
            )
        )
    {
        return Err(Erreur::new(
            CodeErreur::AlgorithmeRefuse,
            format!("signature XAdES avec {scheme:?} et {alg:?} non produite par mpe"),
        ));
    }
    Ok(())
}
