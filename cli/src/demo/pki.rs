//! The demo PKI: a root "AC DEMO" and the certificates it issues to the companies' signers.
//! Real platforms trust qualified CAs; the demo makes its own so that it runs offline and
//! its signatures verify against a trust anchor, as real ones do.

use std::time::Duration;

use chrono::{DateTime, Utc};
use der::Encode;
use der::asn1::OctetString;
use rsa::pkcs1v15::SigningKey;
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

use mpe::Erreur;

/// A key and the certificate issued for it.
pub struct Identite {
    pub cle: rsa::PrivateKey,
    pub certificat: Certificate,
}

struct Profil {
    issuer: Name,
    subject: Name,
    ca: bool,
}

fn ext(oid: der::asn1::ObjectIdentifier, critical: bool, der: Vec<u8>) -> der::Result<Extension> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(der)?,
    })
}

fn key_id(spk: SubjectPublicKeyInfoRef<'_>) -> Vec<u8> {
    sha1::Sha1::digest(spk.subject_public_key.raw_bytes()).to_vec()
}

impl BuilderProfile for Profil {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        use const_oid::db::rfc5280::*;
        let usages = if self.ca {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
        };
        let bc = BasicConstraints {
            ca: self.ca,
            path_len_constraint: None,
        };
        let ski = SubjectKeyIdentifier(OctetString::new(key_id(spk))?);
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(key_id(issuer_spk))?),
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

fn temps(t: DateTime<Utc>) -> Result<Time, Erreur> {
    let secs = u64::try_from(t.timestamp())
        .map_err(|_| Erreur::invalid_argument("date antérieure à 1970"))?;
    let dt = der::DateTime::from_unix_duration(Duration::from_secs(secs))
        .map_err(|e| Erreur::invalid_argument(format!("date invalide : {e}")))?;
    Ok(Time::GeneralTime(
        der::asn1::GeneralizedTime::from_date_time(dt),
    ))
}

fn emettre(
    profil: Profil,
    cle: &rsa::PrivateKey,
    emetteur: &rsa::PrivateKey,
    serie: u8,
    debut: DateTime<Utc>,
    jours: i64,
) -> Result<Certificate, Erreur> {
    let err = |what: &str, e: &dyn std::fmt::Display| Erreur::internal(format!("{what} : {e}"));
    let spki = SubjectPublicKeyInfoOwned::from_key(&cle.to_public_key())
        .map_err(|e| err("clé publique", &e))?;
    let serial = SerialNumber::new(&[0x10, serie]).map_err(|e| err("numéro de série", &e))?;
    let validity = Validity::new(temps(debut)?, temps(debut + chrono::Duration::days(jours))?);
    let builder = CertificateBuilder::new(profil, serial, validity, spki)
        .map_err(|e| err("certificat", &e))?;
    let signer = SigningKey::<sha2::Sha256>::new(emetteur.clone());
    builder
        .build::<_, rsa::pkcs1v15::Signature>(&signer)
        .map_err(|e| err("signature du certificat", &e))
}

fn nom(dn: &str) -> Result<Name, Erreur> {
    dn.parse()
        .map_err(|e| Erreur::invalid_argument(format!("nom « {dn} » : {e}")))
}

fn cle_rsa() -> Result<rsa::PrivateKey, Erreur> {
    rsa::PrivateKey::new(&mut rand::rng(), 2048)
        .map_err(|e| Erreur::internal(format!("génération RSA : {e}")))
}

/// The root "AC DEMO", valid 10 years from `debut`.
pub fn autorite(debut: DateTime<Utc>) -> Result<Identite, Erreur> {
    let cle = cle_rsa()?;
    let dn = nom("CN=AC DEMO mpe,O=mpe démonstration,C=FR")?;
    let certificat = emettre(
        Profil {
            issuer: dn.clone(),
            subject: dn,
            ca: true,
        },
        &cle,
        &cle,
        1,
        debut,
        3650,
    )?;
    Ok(Identite { cle, certificat })
}

/// A signing certificate (digitalSignature, nonRepudiation) issued by `ac` to a person of a
/// company, valid 3 years from `debut`.
pub fn signataire(
    ac: &Identite,
    personne: &str,
    entreprise: &str,
    serie: u8,
    debut: DateTime<Utc>,
) -> Result<Identite, Erreur> {
    let cle = cle_rsa()?;
    let subject = nom(&format!("CN={personne},O={entreprise},C=FR"))?;
    let profil = Profil {
        issuer: ac.certificat.tbs_certificate().subject().clone(),
        subject,
        ca: false,
    };
    let certificat = emettre(profil, &cle, &ac.cle, serie, debut, 3 * 365)?;
    Ok(Identite { cle, certificat })
}
