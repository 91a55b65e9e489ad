//! Tokens and smart cards through PKCS#11 (`cryptoki`): list the tokens of a module and the
//! certificates on them (with whether each suits public procurement), and use a key that
//! never leaves the token — RSA decryption and ECDH for envelopes (as a [`Dechiffreur`]),
//! raw signature of a digest for the split signing API. The PIN comes from the host; a
//! wrong one is [`CodeErreur::PinIncorrect`].
//!
//! `cryptoki` loads the module with `libloading` (its own `unsafe`); this module stays safe.

use chrono::{DateTime, Utc};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as P11Error, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::mechanism::MechanismType;
use cryptoki::mechanism::elliptic_curve::{EcKdf, Ecdh1DeriveParams};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsOaepParams, PkcsOaepSource};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use der::Decode;
use serde::{Deserialize, Serialize};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;

use crate::crypto::bicle;
use crate::crypto::dechiffreur::{Dechiffreur, Hachage, SchemaRsa};
use crate::{CodeErreur, Erreur, Result};

fn erreur(quoi: &str, e: P11Error) -> Erreur {
    let code = match &e {
        P11Error::Pkcs11(RvError::PinIncorrect, _) | P11Error::Pkcs11(RvError::PinLenRange, _) => {
            CodeErreur::PinIncorrect
        }
        P11Error::Pkcs11(RvError::PinLocked, _) => CodeErreur::PinBloque,
        P11Error::Pkcs11(RvError::TokenNotPresent, _)
        | P11Error::Pkcs11(RvError::DeviceRemoved, _) => CodeErreur::JetonAbsent,
        _ => CodeErreur::ModulePkcs11,
    };
    Erreur::new(code, format!("PKCS#11, {quoi} : {e}"))
}

/// A loaded PKCS#11 module (the `.so`/`.dll` of a card or token vendor, or SoftHSM).
#[derive(Debug)]
pub struct ModulePkcs11 {
    ctx: Pkcs11,
}

/// A token present in a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InfoJeton {
    /// Slot number.
    pub slot: u64,
    /// Token label.
    pub libelle: String,
    /// Manufacturer.
    pub fabricant: String,
    /// Model.
    pub modele: String,
    /// Serial number.
    pub numero_serie: String,
}

/// Whether a certificate suits public procurement, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Conformite {
    /// Adapted for signing bids in public procurement (qualified, valid, signing usage).
    pub adapte: bool,
    /// What is missing, in French, for people.
    pub raisons: Vec<String>,
}

/// A certificate found on a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CertificatJeton {
    /// Object label (`CKA_LABEL`).
    pub libelle: String,
    /// Object id (`CKA_ID`), hex: the key with the same id is the certificate's.
    pub id: String,
    /// Who, issued by whom, validity, fingerprint.
    pub info: bicle::InfoBiCle,
    /// The "Conformité" column.
    pub conformite: Conformite,
    /// The certificate, PEM.
    pub certificat_pem: String,
}

const QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
/// DER of id-etsi-qcs-QcCompliance (0.4.0.1862.1.1).
const QC_COMPLIANCE: &[u8] = &[0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01];
/// DER of id-etsi-qcs-QcSSCD (0.4.0.1862.1.4).
const QC_SSCD: &[u8] = &[0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x04];

/// The "Conformité" of a certificate at `maintenant`: the signature of a bid calls for a
/// qualified certificate (QC statement QcCompliance, eIDAS; RGS** is judged by the host
/// from the issuer) on a secure device (QcSSCD), valid now, with the signing usage
/// (nonRepudiation or digitalSignature).
pub fn conformite(cert: &Certificate, maintenant: DateTime<Utc>) -> Conformite {
    let mut raisons = vec![];
    let v = bicle::validite(cert);
    if maintenant > v.fin {
        raisons.push(format!("expiré le {}", crate::format::date_heure(v.fin)));
    }
    if maintenant < v.debut {
        raisons.push(format!(
            "valable seulement à partir du {}",
            crate::format::date_heure(v.debut)
        ));
    }
    match cert
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::KeyUsage>()
    {
        Ok(Some((_, ku))) if ku.non_repudiation() || ku.digital_signature() => {}
        Ok(Some(_)) => raisons
            .push("usage de clé sans signature (ni nonRepudiation ni digitalSignature)".into()),
        _ => raisons.push("pas d'usage de clé déclaré".into()),
    }
    let qc = cert
        .tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .find(|e| e.extn_id.to_string() == QC_STATEMENTS)
        .map(|e| e.extn_value.as_bytes().to_vec());
    match qc {
        None => raisons.push("certificat non qualifié (pas de déclaration QC)".into()),
        Some(q) => {
            if !q.windows(QC_COMPLIANCE.len()).any(|w| w == QC_COMPLIANCE) {
                raisons.push("déclaration QC sans QcCompliance : certificat non qualifié".into());
            }
            if !q.windows(QC_SSCD.len()).any(|w| w == QC_SSCD) {
                raisons.push("clé hors dispositif sécurisé (pas de QcSSCD)".into());
            }
        }
    }
    Conformite {
        adapte: raisons.is_empty(),
        raisons,
    }
}

impl ModulePkcs11 {
    /// Load and initialise a module.
    pub fn charger(chemin: &std::path::Path) -> Result<ModulePkcs11> {
        let ctx = Pkcs11::new(chemin).map_err(|e| {
            Erreur::new(
                CodeErreur::ModulePkcs11,
                format!("module PKCS#11 {} : {e}", chemin.display()),
            )
        })?;
        ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(|e| erreur("initialisation", e))?;
        Ok(ModulePkcs11 { ctx })
    }

    /// The tokens present.
    pub fn jetons(&self) -> Result<Vec<InfoJeton>> {
        let mut out = vec![];
        for slot in self
            .ctx
            .get_slots_with_token()
            .map_err(|e| erreur("liste des lecteurs", e))?
        {
            let t = self
                .ctx
                .get_token_info(slot)
                .map_err(|e| erreur("informations du jeton", e))?;
            // An empty slot of SoftHSM (and of some readers) holds a token never
            // initialised: no session can open on it, nothing to list.
            if !t.token_initialized() {
                continue;
            }
            out.push(InfoJeton {
                slot: slot.id(),
                libelle: t.label().trim().to_string(),
                fabricant: t.manufacturer_id().trim().to_string(),
                modele: t.model().trim().to_string(),
                numero_serie: t.serial_number().trim().to_string(),
            });
        }
        Ok(out)
    }

    fn slot(&self, jeton: &str) -> Result<Slot> {
        for slot in self
            .ctx
            .get_slots_with_token()
            .map_err(|e| erreur("liste des lecteurs", e))?
        {
            let t = self
                .ctx
                .get_token_info(slot)
                .map_err(|e| erreur("informations du jeton", e))?;
            if t.label().trim() == jeton {
                return Ok(slot);
            }
        }
        Err(Erreur::new(
            CodeErreur::JetonAbsent,
            format!("aucun jeton « {jeton} » dans ce module PKCS#11"),
        ))
    }

    /// A session on the token `jeton`, logged in with `pin` when given.
    pub fn ouvrir(&self, jeton: &str, pin: Option<&str>) -> Result<SessionJeton> {
        let slot = self.slot(jeton)?;
        let session = self
            .ctx
            .open_ro_session(slot)
            .map_err(|e| erreur("ouverture de session", e))?;
        if let Some(pin) = pin {
            session
                .login(UserType::User, Some(&pin.to_string().into()))
                .map_err(|e| erreur("code PIN", e))?;
        }
        Ok(SessionJeton { session })
    }
}

/// A session on one token.
#[derive(Debug)]
pub struct SessionJeton {
    session: Session,
}

fn texte(a: &[Attribute]) -> (String, String, Option<Vec<u8>>) {
    let mut libelle = String::new();
    let mut id = String::new();
    let mut valeur = None;
    for x in a {
        match x {
            Attribute::Label(l) => libelle = String::from_utf8_lossy(l).into_owned(),
            Attribute::Id(i) => id = hex::encode(i),
            Attribute::Value(v) => valeur = Some(v.clone()),
            _ => {}
        }
    }
    (libelle, id, valeur)
}

impl SessionJeton {
    /// The X.509 certificates of the token with their conformity at `maintenant`.
    pub fn certificats(&self, maintenant: DateTime<Utc>) -> Result<Vec<CertificatJeton>> {
        let objets = self
            .session
            .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
            .map_err(|e| erreur("recherche des certificats", e))?;
        let mut out = vec![];
        for o in objets {
            let a = self
                .session
                .get_attributes(
                    o,
                    &[
                        AttributeType::Label,
                        AttributeType::Id,
                        AttributeType::Value,
                    ],
                )
                .map_err(|e| erreur("lecture d'un certificat", e))?;
            let (libelle, id, valeur) = texte(&a);
            let Some(der) = valeur else { continue };
            let Ok(cert) = Certificate::from_der(&der) else {
                continue;
            };
            out.push(CertificatJeton {
                libelle,
                id,
                info: bicle::InfoBiCle::of(&cert, None),
                conformite: conformite(&cert, maintenant),
                certificat_pem: bicle::certificate_to_pem(&cert)?,
            });
        }
        Ok(out)
    }

    /// The private key labelled `cle` (and the certificate with the same `CKA_ID`).
    pub fn cle(&self, cle: &str) -> Result<CleJeton<'_>> {
        self.cle_selon(Attribute::Label(cle.as_bytes().to_vec()), cle)
    }

    /// The private key whose `CKA_ID` is `id` (what `pkcs11-tool --id` sets), and the
    /// certificate with the same id.
    pub fn cle_par_id(&self, id: &[u8]) -> Result<CleJeton<'_>> {
        self.cle_selon(
            Attribute::Id(id.to_vec()),
            &format!("id {}", hex::encode(id)),
        )
    }

    fn cle_selon(&self, critere: Attribute, cle: &str) -> Result<CleJeton<'_>> {
        let trouve = self
            .session
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY), critere])
            .map_err(|e| erreur("recherche de la clé", e))?;
        let Some(&objet) = trouve.first() else {
            return Err(Erreur::new(
                CodeErreur::CleAbsenteDuJeton,
                format!("aucune clé privée « {cle} » sur le jeton (code PIN donné ?)"),
            ));
        };
        let a = self
            .session
            .get_attributes(objet, &[AttributeType::Id, AttributeType::KeyType])
            .map_err(|e| erreur("lecture de la clé", e))?;
        let mut id = vec![];
        let mut rsa = true;
        for x in a {
            match x {
                Attribute::Id(i) => id = i,
                Attribute::KeyType(k) => rsa = k == KeyType::RSA,
                _ => {}
            }
        }
        let mut modele = vec![Attribute::Class(ObjectClass::CERTIFICATE)];
        if id.is_empty() {
            let (libelle, _, _) = texte(
                &self
                    .session
                    .get_attributes(objet, &[AttributeType::Label])
                    .map_err(|e| erreur("lecture de la clé", e))?,
            );
            modele.push(Attribute::Label(libelle.into_bytes()));
        } else {
            modele.push(Attribute::Id(id));
        }
        let mut certificat = None;
        for o in self
            .session
            .find_objects(&modele)
            .map_err(|e| erreur("recherche du certificat", e))?
        {
            let a = self
                .session
                .get_attributes(o, &[AttributeType::Value])
                .map_err(|e| erreur("lecture du certificat", e))?;
            if let (_, _, Some(v)) = texte(&a)
                && let Ok(c) = Certificate::from_der(&v)
            {
                certificat = Some(c);
                break;
            }
        }
        let Some(certificat) = certificat else {
            return Err(Erreur::new(
                CodeErreur::CleAbsenteDuJeton,
                format!("pas de certificat pour la clé « {cle} » sur le jeton"),
            ));
        };
        Ok(CleJeton {
            session: &self.session,
            objet,
            certificat,
            rsa,
        })
    }
}

/// A private key on a token, with its certificate.
#[derive(Debug)]
pub struct CleJeton<'s> {
    session: &'s Session,
    objet: ObjectHandle,
    certificat: Certificate,
    rsa: bool,
}

fn mecanisme_hachage(h: Hachage) -> (MechanismType, PkcsMgfType) {
    match h {
        Hachage::Sha1 => (MechanismType::SHA1, PkcsMgfType::MGF1_SHA1),
        Hachage::Sha224 => (MechanismType::SHA224, PkcsMgfType::MGF1_SHA224),
        Hachage::Sha256 => (MechanismType::SHA256, PkcsMgfType::MGF1_SHA256),
        Hachage::Sha384 => (MechanismType::SHA384, PkcsMgfType::MGF1_SHA384),
        Hachage::Sha512 => (MechanismType::SHA512, PkcsMgfType::MGF1_SHA512),
    }
}

impl CleJeton<'_> {
    /// The certificate of the key.
    pub fn certificat_jeton(&self) -> &Certificate {
        &self.certificat
    }

    /// Sign a digest on the token: RSA PKCS#1 v1.5 over the DigestInfo (the signature
    /// bytes), or ECDSA (r || s, as PKCS#11 returns it).
    pub fn signer_empreinte(&self, hachage: Hachage, empreinte: &[u8]) -> Result<Vec<u8>> {
        if self.rsa {
            let mut info = digest_info_prefixe(hachage).to_vec();
            info.extend_from_slice(empreinte);
            self.session
                .sign(&Mechanism::RsaPkcs, self.objet, &info)
                .map_err(|e| erreur("signature", e))
        } else {
            self.session
                .sign(&Mechanism::Ecdsa, self.objet, empreinte)
                .map_err(|e| erreur("signature", e))
        }
    }
}

/// DER prefix of the DigestInfo of each hash (RFC 8017 section 9.2, note 1).
fn digest_info_prefixe(h: Hachage) -> &'static [u8] {
    match h {
        Hachage::Sha1 => &[
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
        Hachage::Sha224 => &[
            0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x04, 0x05, 0x00, 0x04, 0x1c,
        ],
        Hachage::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
        Hachage::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
        Hachage::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    }
}

impl Dechiffreur for CleJeton<'_> {
    fn certificat(&self) -> Option<&Certificate> {
        Some(&self.certificat)
    }

    fn cle_publique(&self) -> Result<SubjectPublicKeyInfoOwned> {
        Ok(self
            .certificat
            .tbs_certificate()
            .subject_public_key_info()
            .clone())
    }

    fn dechiffrer_rsa(&self, schema: &SchemaRsa, chiffre: &[u8]) -> Result<Vec<u8>> {
        let echec = |e| {
            let e = erreur("déchiffrement RSA", e);
            if e.code() == CodeErreur::ModulePkcs11 {
                Erreur::new(CodeErreur::DechiffrementEchec, e.message().to_string())
            } else {
                e
            }
        };
        match schema {
            SchemaRsa::Pkcs1v15 => self
                .session
                .decrypt(&Mechanism::RsaPkcs, self.objet, chiffre)
                .map_err(echec),
            SchemaRsa::Oaep {
                hachage,
                mgf,
                etiquette,
            } => {
                let (h, _) = mecanisme_hachage(*hachage);
                let (_, m) = mecanisme_hachage(*mgf);
                let source = if etiquette.is_empty() {
                    PkcsOaepSource::empty()
                } else {
                    PkcsOaepSource::data_specified(etiquette)
                };
                let p = PkcsOaepParams::new(h, m, source);
                self.session
                    .decrypt(&Mechanism::RsaPkcsOaep(p), self.objet, chiffre)
                    .map_err(echec)
            }
        }
    }

    fn accord_de_cle(&self, publique: &[u8]) -> Result<Vec<u8>> {
        let n = publique.len().saturating_sub(1) / 2;
        let params = Ecdh1DeriveParams::new(EcKdf::null(), publique);
        // Z comes back as a generic secret the token lets us read (the key stays inside).
        let z = self
            .session
            .derive_key(
                &Mechanism::Ecdh1Derive(params),
                self.objet,
                &[
                    Attribute::Class(ObjectClass::SECRET_KEY),
                    Attribute::KeyType(KeyType::GENERIC_SECRET),
                    Attribute::ValueLen((n as u64).into()),
                    Attribute::Extractable(true),
                    Attribute::Sensitive(false),
                    Attribute::Token(false),
                ],
            )
            .map_err(|e| erreur("accord de clé ECDH", e))?;
        let a = self
            .session
            .get_attributes(z, &[AttributeType::Value])
            .map_err(|e| erreur("lecture du secret ECDH", e))?;
        let _ = self.session.destroy_object(z);
        match texte(&a) {
            (_, _, Some(v)) => Ok(v),
            _ => Err(Erreur::new(
                CodeErreur::ModulePkcs11,
                "secret ECDH illisible",
            )),
        }
    }
}
