//! A test signing identity, so that a new user can try "sign, then verify" without a
//! qualified certificate: a self-made test CA and a signing certificate it issues
//! (keyUsage digitalSignature + nonRepudiation, RSA 2048, SHA-256). Both names say TEST and
//! the certificate carries no QC statement, so mpe never calls it « adapté pour les
//! marchés publics »; a verifier accepts its signatures only when the test CA is given as
//! the trust anchor.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use der::Encode;
use der::asn1::OctetString;
use serde::{Deserialize, Serialize};
use sha1::Digest;
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, profile::BuilderProfile};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::crypto::bicle::{self, BiCle, PrivateKey};
use crate::{CodeErreur, Erreur, Result};

/// The organisational unit added to every test name, so that nobody mistakes it.
pub const MENTION_TEST: &str = "IDENTITE DE TEST mpe - sans valeur juridique";

/// What the test identity should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParametresIdentiteTest {
    /// Subject of the signing certificate, RFC 4514 (`"CN=Jeanne Essai,O=Exemple SA,C=FR"`);
    /// [`MENTION_TEST`] is added as an OU.
    pub sujet: String,
    /// Validity of the signing certificate in days (default 365; the CA gets 10 more).
    #[serde(default = "jours_par_defaut")]
    pub jours_validite: u32,
}

fn jours_par_defaut() -> u32 {
    365
}

/// A test CA and the signing identity it issued.
pub struct IdentiteTest {
    /// The signing key, its certificate and the CA certificate as chain.
    pub signataire: BiCle,
    /// The test CA's certificate: the trust anchor to pass when verifying.
    pub autorite: Certificate,
}

impl std::fmt::Debug for IdentiteTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentiteTest(..)")
    }
}

struct Profil {
    emetteur: Name,
    sujet: Name,
    autorite: bool,
}

fn ext(oid: der::asn1::ObjectIdentifier, critique: bool, der: Vec<u8>) -> der::Result<Extension> {
    Ok(Extension {
        extn_id: oid,
        critical: critique,
        extn_value: OctetString::new(der)?,
    })
}

fn id_cle(spk: SubjectPublicKeyInfoRef<'_>) -> Vec<u8> {
    sha1::Sha1::digest(spk.subject_public_key.raw_bytes()).to_vec()
}

impl BuilderProfile for Profil {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.emetteur.clone()
    }
    fn get_subject(&self) -> Name {
        self.sujet.clone()
    }
    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        use const_oid::db::rfc5280::*;
        let usages = if self.autorite {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
        };
        let bc = BasicConstraints {
            ca: self.autorite,
            path_len_constraint: self.autorite.then_some(0),
        };
        let ski = SubjectKeyIdentifier(OctetString::new(id_cle(spk))?);
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(id_cle(issuer_spk))?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        Ok(vec![
            ext(ID_CE_KEY_USAGE, true, KeyUsage(usages).to_der()?)?,
            ext(ID_CE_BASIC_CONSTRAINTS, true, bc.to_der()?)?,
            ext(ID_CE_SUBJECT_KEY_IDENTIFIER, false, ski.to_der()?)?,
            ext(ID_CE_AUTHORITY_KEY_IDENTIFIER, false, aki.to_der()?)?,
        ])
    }
}

fn temps(t: DateTime<Utc>) -> Result<Time> {
    let secs = u64::try_from(t.timestamp())
        .map_err(|_| Erreur::invalid_argument("date antérieure à 1970"))?;
    let dt = der::DateTime::from_unix_duration(std::time::Duration::from_secs(secs))
        .map_err(|e| Erreur::invalid_argument(format!("date invalide : {e}")))?;
    Ok(Time::GeneralTime(
        der::asn1::GeneralizedTime::from_date_time(dt),
    ))
}

fn nom(dn: &str) -> Result<Name> {
    Name::from_str(dn).map_err(|e| Erreur::invalid_argument(format!("nom « {dn} » : {e}")))
}

fn serie() -> Result<SerialNumber> {
    let mut s = [0u8; 16];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut s);
    s[0] = (s[0] & 0x7f) | 0x01;
    SerialNumber::new(&s).map_err(|e| Erreur::internal(format!("numéro de série : {e}")))
}

fn emettre(
    profil: Profil,
    cle: &rsa::PrivateKey,
    emetteur: &rsa::PrivateKey,
    debut: DateTime<Utc>,
    jours: u32,
) -> Result<Certificate> {
    let spki = SubjectPublicKeyInfoOwned::from_key(&cle.to_public_key())
        .map_err(|e| Erreur::internal(format!("clé publique : {e}")))?;
    let validite = Validity::new(
        temps(debut)?,
        temps(debut + chrono::Duration::days(i64::from(jours)))?,
    );
    let builder = CertificateBuilder::new(profil, serie()?, validite, spki)
        .map_err(|e| Erreur::internal(format!("certificat : {e}")))?;
    let signataire = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(emetteur.clone());
    builder
        .build::<_, rsa::pkcs1v15::Signature>(&signataire)
        .map_err(|e| Erreur::internal(format!("signature du certificat : {e}")))
}

fn cle_rsa() -> Result<rsa::PrivateKey> {
    rsa::PrivateKey::new(&mut rand::rng(), 2048)
        .map_err(|e| Erreur::internal(format!("génération RSA : {e}")))
}

/// Make a test CA and a signing identity for `parametres.sujet`, valid from an hour before
/// `maintenant`.
pub fn generer(
    parametres: &ParametresIdentiteTest,
    maintenant: DateTime<Utc>,
) -> Result<IdentiteTest> {
    let sujet = parametres.sujet.trim();
    if sujet.is_empty() {
        return Err(Erreur::new(
            CodeErreur::ChampObligatoire,
            "sujet de l'identité de test vide",
        )
        .at("sujet"));
    }
    if parametres.jours_validite == 0 || parametres.jours_validite > 3650 {
        return Err(Erreur::invalid_argument(
            "durée de validité hors limites (1 à 3 650 jours)",
        ));
    }
    // The subject is checked alone first, so that an error names what the user wrote.
    nom(sujet)?;
    let sujet = nom(&format!("{sujet},OU={MENTION_TEST}"))?;
    let dn_ac = nom(&format!(
        "CN=AC de TEST mpe (ne pas faire confiance),OU={MENTION_TEST}"
    ))?;
    // Valid from an hour before `maintenant`, as CAs backdate: a clock a little behind the
    // one that made the identity (or a check run in the same second) still accepts it.
    let debut = maintenant - chrono::Duration::hours(1);
    let cle_ac = cle_rsa()?;
    let autorite = emettre(
        Profil {
            emetteur: dn_ac.clone(),
            sujet: dn_ac.clone(),
            autorite: true,
        },
        &cle_ac,
        &cle_ac,
        debut,
        parametres.jours_validite + 10,
    )?;
    let cle = cle_rsa()?;
    let certificat = emettre(
        Profil {
            emetteur: dn_ac,
            sujet,
            autorite: false,
        },
        &cle,
        &cle_ac,
        debut,
        parametres.jours_validite,
    )?;
    let signataire = BiCle::new(PrivateKey::Rsa(cle), certificat, vec![autorite.clone()])?;
    Ok(IdentiteTest {
        signataire,
        autorite,
    })
}

impl IdentiteTest {
    /// The signing identity as PKCS#12 (AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256), the
    /// CA certificate included.
    pub fn pkcs12(&self, mot_de_passe: &str) -> Result<Vec<u8>> {
        self.signataire.exporter_pkcs12(mot_de_passe)
    }

    /// The test CA's certificate, PEM: the anchor for `mpe verifier --ancre`.
    pub fn autorite_pem(&self) -> Result<String> {
        bicle::certificate_to_pem(&self.autorite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maintenant() -> DateTime<Utc> {
        crate::crypto::instant("2026-11-01T00:00:00Z").unwrap_or_default()
    }

    #[test]
    fn identite_marquee_test_et_non_adaptee() {
        let p = ParametresIdentiteTest {
            sujet: "CN=Jeanne Essai,O=Exemple SA,C=FR".into(),
            jours_validite: 30,
        };
        let id = generer(&p, maintenant()).expect("identité");
        let sujet = id
            .signataire
            .certificate()
            .tbs_certificate()
            .subject()
            .to_string();
        assert!(
            sujet.contains("Jeanne Essai") && sujet.contains(MENTION_TEST),
            "{sujet}"
        );
        assert!(
            id.autorite
                .tbs_certificate()
                .subject()
                .to_string()
                .contains("TEST")
        );
        #[cfg(feature = "pkcs11")]
        {
            let c = crate::crypto::pkcs11::conformite(id.signataire.certificate(), maintenant());
            assert!(!c.adapte, "une identité de test n'est jamais adaptée");
        }
        let p12 = id.pkcs12("essai").expect("p12");
        let relu = BiCle::lire(&p12, Some("essai")).expect("relu");
        assert_eq!(relu.certificate(), id.signataire.certificate());
        assert_eq!(relu.chain(), std::slice::from_ref(&id.autorite));
    }

    #[test]
    fn parametres_refuses() {
        let vide = ParametresIdentiteTest {
            sujet: "  ".into(),
            jours_validite: 30,
        };
        assert_eq!(
            generer(&vide, maintenant()).map(|_| ()).unwrap_err().code(),
            CodeErreur::ChampObligatoire
        );
        let mal = ParametresIdentiteTest {
            sujet: "pas un nom".into(),
            jours_validite: 30,
        };
        assert_eq!(
            generer(&mal, maintenant()).map(|_| ()).unwrap_err().code(),
            CodeErreur::ArgumentInvalide
        );
        let long = ParametresIdentiteTest {
            sujet: "CN=X".into(),
            jours_validite: 0,
        };
        assert_eq!(
            generer(&long, maintenant()).map(|_| ()).unwrap_err().code(),
            CodeErreur::ArgumentInvalide
        );
    }
}
