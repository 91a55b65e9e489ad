//! Finding our recipient in an envelope and recovering the content-encryption key, for
//! every kind of `RecipientInfo` (RFC 5652 section 6.2): key transport (RSA PKCS#1 v1.5
//! and OAEP), key agreement (ECDH P-256/384/521, X25519), key-encryption key (AES key
//! wrap) and password (PBKDF2 + RFC 3211).

use cms::enveloped_data::{
    KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo, KeyTransRecipientInfo,
    OriginatorIdentifierOrKey, RecipientIdentifier, RecipientInfo,
};
use der::asn1::ObjectIdentifier;
use der::{Any, Sequence};
use serde::{Deserialize, Serialize};
use spki::AlgorithmIdentifierOwned;

use crate::crypto::ber::malforme;
use crate::crypto::bicle::subject_key_identifier;
use crate::crypto::contenu::nom_oid;
use crate::crypto::dechiffreur::{Courbe, Dechiffreur, Hachage, SchemaRsa, ski_calcule};
use crate::crypto::emballage::{self, Emballage};
use crate::{CodeErreur, Erreur, Result};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSAES_OAEP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.7");
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const P_SPECIFIED: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.9");
const PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
const PWRI_KEK: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.3.9");
/// Most PBKDF2 iterations a file may ask for (more is a denial of service).
const MAX_ITERATIONS: u32 = 10_000_000;

/// One way to open an envelope.
#[derive(Clone, Copy)]
pub enum Cle<'a> {
    /// A private key (file, key pair or token), see [`Dechiffreur`].
    Privee(&'a dyn Dechiffreur),
    /// A key-encryption key the host holds, with the identifier recipients name it by.
    Kek {
        /// The key (16, 24 or 32 bytes for AES key wrap).
        cle: &'a [u8],
        /// Its identifier (`KEKIdentifier.keyIdentifier`).
        id: &'a [u8],
    },
    /// A password (PasswordRecipientInfo), as bytes.
    MotDePasse(&'a [u8]),
}

impl std::fmt::Debug for Cle<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cle::Privee(_) => f.write_str("Cle::Privee(..)"),
            Cle::Kek { id, .. } => write!(f, "Cle::Kek {{ id: {} }}", hex::encode(id)),
            Cle::MotDePasse(_) => f.write_str("Cle::MotDePasse(..)"),
        }
    }
}

/// How the content key reached us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Acces {
    /// RSA key transport.
    #[serde(rename = "ktri")]
    Transport {
        /// `"RSA-PKCS1-v1_5"` or `"RSA-OAEP"` with its hashes.
        schema: String,
    },
    /// Key agreement.
    #[serde(rename = "kari")]
    Accord {
        /// Curve of the agreement.
        courbe: Courbe,
        /// KDF (`"X9.63-SHA-256"`, `"HKDF-SHA-256"` ...).
        kdf: String,
    },
    /// Key-encryption key.
    #[serde(rename = "kekri")]
    Kek {
        /// Its identifier, hex.
        id: String,
    },
    /// Password.
    #[serde(rename = "pwri")]
    MotDePasse,
}

/// A content key and how it was recovered.
pub(crate) struct CleContenu {
    pub(crate) cek: Vec<u8>,
    pub(crate) acces: Acces,
    pub(crate) index: usize,
}

/// ```text
/// RSAES-OAEP-params ::= SEQUENCE { hashFunc [0] AlgorithmIdentifier DEFAULT sha1,
///     maskGenFunc [1] AlgorithmIdentifier DEFAULT mgf1SHA1,
///     pSourceFunc [2] AlgorithmIdentifier DEFAULT pSpecifiedEmpty }
/// ```
#[derive(Sequence, Default)]
pub(crate) struct OaepParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) mgf: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub(crate) psource: Option<AlgorithmIdentifierOwned>,
}

fn hachage(oid: &ObjectIdentifier, quoi: &str) -> Result<Hachage> {
    Hachage::de_oid(oid).ok_or_else(|| {
        Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!("hachage {quoi} non pris en charge : {}", nom_oid(oid)),
        )
    })
}

/// The RSA scheme of a key-transport algorithm identifier.
pub(crate) fn schema_rsa(alg: &AlgorithmIdentifierOwned) -> Result<SchemaRsa> {
    if alg.oid == RSA_ENCRYPTION {
        return Ok(SchemaRsa::Pkcs1v15);
    }
    if alg.oid != RSAES_OAEP {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "transport de clé non pris en charge : {}",
                nom_oid(&alg.oid)
            ),
        ));
    }
    let p: OaepParams = match &alg.parameters {
        Some(a) if der::Tagged::tag(a) != der::Tag::Null => a
            .decode_as()
            .map_err(|e| malforme(format!("paramètres RSA-OAEP : {e}")))?,
        _ => OaepParams::default(),
    };
    let h = match &p.hash {
        None => Hachage::Sha1,
        Some(a) => hachage(&a.oid, "RSA-OAEP")?,
    };
    let mgf = match &p.mgf {
        None => Hachage::Sha1,
        Some(m) => {
            if m.oid != MGF1 {
                return Err(Erreur::new(
                    CodeErreur::NonPrisEnCharge,
                    format!(
                        "fonction de masque RSA-OAEP non prise en charge : {}",
                        nom_oid(&m.oid)
                    ),
                ));
            }
            let inner: AlgorithmIdentifierOwned = m
                .parameters
                .as_ref()
                .ok_or_else(|| malforme("MGF1 sans fonction de hachage"))?
                .decode_as()
                .map_err(|e| malforme(format!("MGF1 : {e}")))?;
            hachage(&inner.oid, "MGF1")?
        }
    };
    let etiquette = match &p.psource {
        None => Vec::new(),
        Some(ps) => {
            if ps.oid != P_SPECIFIED {
                return Err(Erreur::new(
                    CodeErreur::NonPrisEnCharge,
                    format!("pSourceFunc RSA-OAEP inconnue : {}", nom_oid(&ps.oid)),
                ));
            }
            match &ps.parameters {
                None => Vec::new(),
                Some(a) => a
                    .decode_as::<der::asn1::OctetString>()
                    .map_err(|e| malforme(format!("étiquette RSA-OAEP : {e}")))?
                    .into_bytes()
                    .into_vec(),
            }
        }
    };
    Ok(SchemaRsa::Oaep {
        hachage: h,
        mgf,
        etiquette,
    })
}

fn nom_schema(s: &SchemaRsa) -> String {
    match s {
        SchemaRsa::Pkcs1v15 => "RSA-PKCS1-v1_5".into(),
        SchemaRsa::Oaep { hachage, mgf, .. } => format!("RSA-OAEP {hachage:?}/MGF1-{mgf:?}"),
    }
}

/// Whether a recipient identifier names this key: by its certificate when there is one,
/// by the subject key identifier (from the certificate or computed from the key).
fn designe(rid: &RecipientIdentifier, d: &dyn Dechiffreur) -> bool {
    match rid {
        RecipientIdentifier::IssuerAndSerialNumber(ias) => d.certificat().is_some_and(|c| {
            let tbs = c.tbs_certificate();
            ias.serial_number == *tbs.serial_number() && ias.issuer == *tbs.issuer()
        }),
        RecipientIdentifier::SubjectKeyIdentifier(ski) => ski_designe(ski.0.as_bytes(), d),
    }
}

fn ski_designe(ski: &[u8], d: &dyn Dechiffreur) -> bool {
    if let Some(c) = d.certificat()
        && subject_key_identifier(c).is_some_and(|s| s == ski)
    {
        return true;
    }
    d.cle_publique().is_ok_and(|p| ski_calcule(&p) == ski)
}

fn kari_designe(rid: &KeyAgreeRecipientIdentifier, d: &dyn Dechiffreur) -> bool {
    match rid {
        KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(ias) => {
            d.certificat().is_some_and(|c| {
                let tbs = c.tbs_certificate();
                ias.serial_number == *tbs.serial_number() && ias.issuer == *tbs.issuer()
            })
        }
        KeyAgreeRecipientIdentifier::RKeyId(r) => {
            ski_designe(r.subject_key_identifier.0.as_bytes(), d)
        }
    }
}

/// What the key is: RSA (modulus bytes) or a curve.
enum Nature {
    Rsa(usize),
    Ec(Courbe),
    Autre,
}

fn nature(d: &dyn Dechiffreur) -> Nature {
    let Ok(spki) = d.cle_publique() else {
        return Nature::Autre;
    };
    if spki.algorithm.oid == RSA_ENCRYPTION {
        let n = <rsa::PublicKey as spki::DecodePublicKey>::from_public_key_der(
            &der::Encode::to_der(&spki).unwrap_or_default(),
        )
        .map(|k| rsa::traits::PublicKeyParts::size(&k))
        .unwrap_or(0);
        return Nature::Rsa(n);
    }
    Courbe::de_algorithme(&spki.algorithm).map_or(Nature::Autre, Nature::Ec)
}

/// Options of the recovery.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recherche {
    /// Content key length the content algorithm needs (`None`: any).
    pub(crate) taille_cek: Option<usize>,
    /// Obsolete algorithms allowed.
    pub(crate) obsoletes: bool,
}

/// Recover the content key with the first key that opens a recipient. Recipients named
/// for the key are tried first; then, for a key without certificate, those of its type.
pub(crate) fn recuperer(
    infos: &[RecipientInfo],
    cles: &[Cle<'_>],
    r: Recherche,
) -> Result<CleContenu> {
    let mut erreur: Option<Erreur> = None;
    let mut garder = |e: Erreur, designe: bool| {
        // A typed refusal of the recipient the key is named in says the most; a failed
        // guess at an unnamed one says little.
        let rang = |e: &Erreur| match e.code() {
            CodeErreur::AlgorithmeObsolete | CodeErreur::NonPrisEnCharge => 3,
            CodeErreur::CmsMalforme => 2,
            _ => 1,
        };
        let r_e = rang(&e) + if designe { 3 } else { 0 };
        if erreur.as_ref().is_none_or(|old: &Erreur| rang(old) < r_e) {
            erreur = Some(e);
        }
    };
    let taille_ok = |cek: &[u8]| r.taille_cek.is_none_or(|n| n == cek.len());
    for cle in cles {
        match cle {
            Cle::Privee(d) => {
                let d: &dyn Dechiffreur = *d;
                // Pass 0: recipients named for the key; pass 1: guesses (no certificate).
                for essai in 0..2 {
                    if essai == 1 && d.certificat().is_some() {
                        break;
                    }
                    for (i, ri) in infos.iter().enumerate() {
                        let res = match ri {
                            RecipientInfo::Ktri(k) => ktri(k, d, essai == 1),
                            RecipientInfo::Kari(k) => kari(k, d, essai == 1, r.obsoletes),
                            _ => continue,
                        };
                        match res {
                            Ok(Some((cek, acces))) if taille_ok(&cek) => {
                                return Ok(CleContenu {
                                    cek,
                                    acces,
                                    index: i,
                                });
                            }
                            Ok(Some((cek, _))) => garder(
                                Erreur::new(
                                    CodeErreur::DechiffrementEchec,
                                    format!(
                                        "clé de contenu de {} octets, incompatible avec l'algorithme du contenu",
                                        cek.len()
                                    ),
                                ),
                                essai == 0,
                            ),
                            Ok(None) => {}
                            Err(e) => garder(e, essai == 0),
                        }
                    }
                }
            }
            Cle::Kek { cle, id } => {
                for (i, ri) in infos.iter().enumerate() {
                    let RecipientInfo::Kekri(k) = ri else {
                        continue;
                    };
                    if k.kek_id.kek_identifier.as_bytes() != *id {
                        continue;
                    }
                    let res = Emballage::lire(&k.key_enc_alg, r.obsoletes)
                        .and_then(|e| e.deballer(cle, k.encrypted_key.as_bytes()));
                    match res {
                        Ok(cek) if taille_ok(&cek) => {
                            return Ok(CleContenu {
                                cek,
                                acces: Acces::Kek {
                                    id: hex::encode(id),
                                },
                                index: i,
                            });
                        }
                        Ok(_) => garder(
                            Erreur::new(
                                CodeErreur::DechiffrementEchec,
                                "clé de contenu de longueur incompatible",
                            ),
                            true,
                        ),
                        Err(e) => garder(e, true),
                    }
                }
            }
            Cle::MotDePasse(mdp) => {
                for (i, ri) in infos.iter().enumerate() {
                    let RecipientInfo::Pwri(p) = ri else {
                        continue;
                    };
                    match pwri(p, mdp, r.obsoletes) {
                        Ok(cek) if taille_ok(&cek) => {
                            return Ok(CleContenu {
                                cek,
                                acces: Acces::MotDePasse,
                                index: i,
                            });
                        }
                        Ok(_) => garder(
                            Erreur::new(CodeErreur::MotDePasseIncorrect, "mot de passe incorrect"),
                            true,
                        ),
                        Err(e) => garder(e, true),
                    }
                }
            }
        }
    }
    if let Some(e) = erreur {
        return Err(e);
    }
    Err(aucun(infos, cles))
}

fn aucun(infos: &[RecipientInfo], cles: &[Cle<'_>]) -> Erreur {
    let types: Vec<&str> = infos
        .iter()
        .map(|ri| match ri {
            RecipientInfo::Ktri(_) => "transport de clé RSA (ktri)",
            RecipientInfo::Kari(_) => "accord de clé (kari)",
            RecipientInfo::Kekri(_) => "clé symétrique (kekri)",
            RecipientInfo::Pwri(_) => "mot de passe (pwri)",
            _ => "autre (ori)",
        })
        .collect();
    let mut qui = Vec::new();
    for c in cles {
        qui.push(match c {
            Cle::Privee(d) => match d.certificat() {
                Some(cert) => format!(
                    "certificat « {} » (émetteur {}, série {})",
                    crate::crypto::bicle::nom_sujet(cert),
                    cert.tbs_certificate().issuer(),
                    hex::encode(cert.tbs_certificate().serial_number().as_bytes())
                ),
                None => "clé privée sans certificat".to_string(),
            },
            Cle::Kek { id, .. } => format!("clé symétrique {}", hex::encode(id)),
            Cle::MotDePasse(_) => "mot de passe".into(),
        });
    }
    Erreur::new(
        CodeErreur::AucunDestinataire,
        format!(
            "aucun des {} destinataires de l'enveloppe ({}) ne correspond à : {}",
            infos.len(),
            types.join(", "),
            if qui.is_empty() {
                "aucune clé donnée".to_string()
            } else {
                qui.join(" ; ")
            }
        ),
    )
}

type Trouve = Option<(Vec<u8>, Acces)>;

fn ktri(k: &KeyTransRecipientInfo, d: &dyn Dechiffreur, deviner: bool) -> Result<Trouve> {
    if deviner {
        // Without certificate: any RSA recipient whose encrypted key has our modulus size.
        match nature(d) {
            Nature::Rsa(n) if n == k.enc_key.as_bytes().len() => {}
            _ => return Ok(None),
        }
        if designe(&k.rid, d) {
            return Ok(None); // already tried in the first pass
        }
    } else if !designe(&k.rid, d) {
        return Ok(None);
    }
    let schema = schema_rsa(&k.key_enc_alg)?;
    let cek = d.dechiffrer_rsa(&schema, k.enc_key.as_bytes())?;
    Ok(Some((
        cek,
        Acces::Transport {
            schema: nom_schema(&schema),
        },
    )))
}

fn kari(
    k: &KeyAgreeRecipientInfo,
    d: &dyn Dechiffreur,
    deviner: bool,
    obsoletes: bool,
) -> Result<Trouve> {
    let Some(rek) = k.recipient_enc_keys.iter().find(|rek| {
        let named = kari_designe(&rek.rid, d);
        if deviner { !named } else { named }
    }) else {
        return Ok(None);
    };
    let OriginatorIdentifierOrKey::OriginatorKey(orig) = &k.originator else {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            "accord de clé avec la clé statique de l'émetteur (certificat) non pris en charge",
        ));
    };
    // RFC 5753 7.1.1: the originator's id-ecPublicKey parameters may be absent or NULL
    // (OpenSSL leaves them out): the curve is then the recipient's.
    let sans_parametres = orig.algorithm.oid == crate::crypto::dechiffreur::ID_EC_PUBLIC_KEY
        && orig
            .algorithm
            .parameters
            .as_ref()
            .is_none_or(|p| der::Tagged::tag(p) == der::Tag::Null);
    let courbe = match (Courbe::de_algorithme(&orig.algorithm), nature(d)) {
        (Some(c), _) => c,
        (None, Nature::Ec(c)) if sans_parametres && c != Courbe::X25519 && c != Courbe::X448 => c,
        (None, _) if sans_parametres => return Ok(None),
        (None, _) => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!(
                    "clé de l'émetteur d'un type non pris en charge : {}",
                    nom_oid(&orig.algorithm.oid)
                ),
            ));
        }
    };
    match nature(d) {
        Nature::Ec(c) if c == courbe => {}
        _ if deviner => return Ok(None),
        _ => {
            return Err(Erreur::new(
                CodeErreur::CleInutilisable,
                format!("la clé ne fait pas d'accord de clé sur {courbe:?}"),
            ));
        }
    }
    let kdf = emballage::schema_accord(&k.key_enc_alg.oid)?;
    let wrap: AlgorithmIdentifierOwned = k
        .key_enc_alg
        .parameters
        .as_ref()
        .ok_or_else(|| malforme("accord de clé sans algorithme d'emballage"))?
        .decode_as()
        .map_err(|e| malforme(format!("algorithme d'emballage : {e}")))?;
    let emb = Emballage::lire(&wrap, obsoletes)?;
    let point = orig
        .public_key
        .as_bytes()
        .ok_or_else(|| malforme("clé publique de l'émetteur : bits inutilisés"))?;
    let z = d.accord_de_cle(point)?;
    let ukm = k.ukm.as_ref().map(|u| u.as_bytes());
    let info = emballage::shared_info(&wrap, ukm, emb.taille_kek())?;
    let kek = emballage::deriver(kdf, &z, &info, emb.taille_kek())?;
    let cek = emb.deballer(&kek, rek.enc_key.as_bytes())?;
    let kdf_nom = match kdf {
        emballage::Kdf::X963(h) => format!("X9.63-{h:?}"),
        emballage::Kdf::Hkdf(h) => format!("HKDF-{h:?}"),
    };
    Ok(Some((
        cek,
        Acces::Accord {
            courbe,
            kdf: kdf_nom,
        },
    )))
}

fn pwri(
    p: &cms::enveloped_data::PasswordRecipientInfo,
    mdp: &[u8],
    obsoletes: bool,
) -> Result<Vec<u8>> {
    use aes::cipher::KeyInit;
    let kda = p
        .key_derivation_alg
        .as_ref()
        .ok_or_else(|| malforme("mot de passe : algorithme de dérivation absent"))?;
    if kda.oid != PBKDF2 {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "dérivation de mot de passe non prise en charge : {}",
                nom_oid(&kda.oid)
            ),
        ));
    }
    let params: pkcs5::pbes2::Pbkdf2Params = kda
        .parameters
        .as_ref()
        .ok_or_else(|| malforme("paramètres PBKDF2 absents"))?
        .decode_as()
        .map_err(|e| malforme(format!("paramètres PBKDF2 : {e}")))?;
    if params.iteration_count > MAX_ITERATIONS {
        return Err(Erreur::new(
            CodeErreur::LimiteDepassee,
            format!(
                "nombre d'itérations PBKDF2 absurde : {}",
                params.iteration_count
            ),
        ));
    }
    if p.key_enc_alg.oid != PWRI_KEK {
        return Err(Erreur::new(
            CodeErreur::NonPrisEnCharge,
            format!(
                "emballage de clé par mot de passe non pris en charge : {}",
                nom_oid(&p.key_enc_alg.oid)
            ),
        ));
    }
    let interne: AlgorithmIdentifierOwned = p
        .key_enc_alg
        .parameters
        .as_ref()
        .ok_or_else(|| malforme("PWRI-KEK sans algorithme"))?
        .decode_as()
        .map_err(|e| malforme(format!("PWRI-KEK : {e}")))?;
    let iv: der::asn1::OctetString = interne
        .parameters
        .as_ref()
        .unwrap_or(&Any::null())
        .decode_as()
        .map_err(|e| malforme(format!("IV de PWRI-KEK : {e}")))?;
    let taille = match interne.oid.to_string().as_str() {
        "2.16.840.1.101.3.4.1.2" => 16,
        "2.16.840.1.101.3.4.1.22" => 24,
        "2.16.840.1.101.3.4.1.42" => 32,
        "1.2.840.113549.3.7" if obsoletes => 24,
        "1.2.840.113549.3.7" => return Err(crate::crypto::contenu::obsolete("DES-EDE3-CBC")),
        _ => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                format!(
                    "chiffrement de clé par mot de passe non pris en charge : {}",
                    nom_oid(&interne.oid)
                ),
            ));
        }
    };
    let taille = params.key_length.map_or(taille, usize::from);
    let mut kek = vec![0u8; taille];
    let sel = params.salt.as_bytes();
    let n = params.iteration_count;
    use pkcs5::pbes2::Pbkdf2Prf as P;
    match params.prf {
        P::HmacWithSha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(mdp, sel, n, &mut kek),
        P::HmacWithSha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(mdp, sel, n, &mut kek),
        P::HmacWithSha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(mdp, sel, n, &mut kek),
        P::HmacWithSha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(mdp, sel, n, &mut kek),
        P::HmacWithSha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(mdp, sel, n, &mut kek),
        _ => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                "fonction pseudo-aléatoire PBKDF2 non prise en charge",
            ));
        }
    }
    let err_kek = |_| {
        Erreur::new(
            CodeErreur::DechiffrementEchec,
            "clé dérivée de longueur invalide",
        )
    };
    let enc = p.enc_key.as_bytes();
    let r = match taille {
        16 if interne.oid.to_string() != "1.2.840.113549.3.7" => emballage::deballer_rfc3211(
            aes::Aes128::new_from_slice(&kek).map_err(err_kek)?,
            iv.as_bytes(),
            enc,
        ),
        24 if interne.oid.to_string() == "1.2.840.113549.3.7" => emballage::deballer_rfc3211(
            des::TdesEde3::new_from_slice(&kek).map_err(err_kek)?,
            iv.as_bytes(),
            enc,
        ),
        24 => emballage::deballer_rfc3211(
            aes::Aes192::new_from_slice(&kek).map_err(err_kek)?,
            iv.as_bytes(),
            enc,
        ),
        _ => emballage::deballer_rfc3211(
            aes::Aes256::new_from_slice(&kek).map_err(err_kek)?,
            iv.as_bytes(),
            enc,
        ),
    };
    r.map_err(|_| Erreur::new(CodeErreur::MotDePasseIncorrect, "mot de passe incorrect"))
}

/// The recipients of an envelope, described for people (to pick the right key).
pub(crate) fn decrire(infos: &[RecipientInfo]) -> Vec<String> {
    let ias = |i: &cms::cert::IssuerAndSerialNumber| {
        format!("{} / {}", i.issuer, hex::encode(i.serial_number.as_bytes()))
    };
    infos
        .iter()
        .map(|ri| match ri {
            RecipientInfo::Ktri(k) => match &k.rid {
                RecipientIdentifier::IssuerAndSerialNumber(i) => ias(i),
                RecipientIdentifier::SubjectKeyIdentifier(s) => {
                    format!("ski:{}", hex::encode(s.0.as_bytes()))
                }
            },
            RecipientInfo::Kari(k) => k
                .recipient_enc_keys
                .iter()
                .map(|r| match &r.rid {
                    KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(i) => {
                        format!("kari:{}", ias(i))
                    }
                    KeyAgreeRecipientIdentifier::RKeyId(r) => format!(
                        "kari:ski:{}",
                        hex::encode(r.subject_key_identifier.0.as_bytes())
                    ),
                })
                .collect::<Vec<_>>()
                .join(", "),
            RecipientInfo::Kekri(k) => {
                format!("kek:{}", hex::encode(k.kek_id.kek_identifier.as_bytes()))
            }
            RecipientInfo::Pwri(_) => "mot de passe".to_string(),
            _ => "autre type de destinataire".to_string(),
        })
        .collect()
}

/// The scheme written for each curve: X9.63 KDF with SHA-256 (SHA-384 on P-384, SHA-512
/// on P-521, as RFC 5753 pairs them) and AES-256 key wrap. X25519 uses the X9.63 scheme
/// too: OpenSSL 3 opens it, and knows no RFC 8418 HKDF identifier.
fn schema_ecriture(courbe: Courbe) -> (ObjectIdentifier, emballage::Kdf) {
    use emballage::Kdf::X963;
    match courbe {
        Courbe::P384 => (
            ObjectIdentifier::new_unwrap("1.3.132.1.11.2"),
            X963(Hachage::Sha384),
        ),
        Courbe::P521 => (
            ObjectIdentifier::new_unwrap("1.3.132.1.11.3"),
            X963(Hachage::Sha512),
        ),
        _ => (
            ObjectIdentifier::new_unwrap("1.3.132.1.11.1"),
            X963(Hachage::Sha256),
        ),
    }
}

/// A KeyAgreeRecipientInfo for an EC (or X25519) certificate: ephemeral-static ECDH, the
/// KEK derived as RFC 5753 says, the content key wrapped with AES-256 key wrap.
pub(crate) fn kari_pour(
    cert: &x509_cert::Certificate,
    courbe: Courbe,
    cek: &[u8],
) -> Result<RecipientInfo> {
    use cms::enveloped_data::{OriginatorPublicKey, RecipientEncryptedKey};
    use der::asn1::{BitString, OctetString};
    use p256::elliptic_curve::Generate;
    let interne = |e: der::Error| Erreur::internal(format!("encodage kari : {e}"));
    let spki = cert.tbs_certificate().subject_public_key_info();
    let publique = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Erreur::new(CodeErreur::CleInvalide, "clé publique EC illisible"))?;
    let mut rng = rand::rng();
    let (z, eph): (Vec<u8>, Vec<u8>) = match courbe {
        Courbe::P256 => {
            let p = p256::PublicKey::from_sec1_bytes(publique)
                .map_err(|_| Erreur::new(CodeErreur::CleInvalide, "clé publique P-256 invalide"))?;
            let e = p256::ecdh::EphemeralSecret::generate_from_rng(&mut rng);
            let pt = e.public_key().to_sec1_bytes().to_vec();
            (e.diffie_hellman(&p).raw_secret_bytes().to_vec(), pt)
        }
        Courbe::P384 => {
            let p = p384::PublicKey::from_sec1_bytes(publique)
                .map_err(|_| Erreur::new(CodeErreur::CleInvalide, "clé publique P-384 invalide"))?;
            let e = p384::ecdh::EphemeralSecret::generate_from_rng(&mut rng);
            let pt = e.public_key().to_sec1_bytes().to_vec();
            (e.diffie_hellman(&p).raw_secret_bytes().to_vec(), pt)
        }
        Courbe::P521 => {
            let p = p521::PublicKey::from_sec1_bytes(publique)
                .map_err(|_| Erreur::new(CodeErreur::CleInvalide, "clé publique P-521 invalide"))?;
            let e = p521::ecdh::EphemeralSecret::generate_from_rng(&mut rng);
            let pt = e.public_key().to_sec1_bytes().to_vec();
            (e.diffie_hellman(&p).raw_secret_bytes().to_vec(), pt)
        }
        Courbe::X25519 => {
            let b: [u8; 32] = publique.try_into().map_err(|_| {
                Erreur::new(CodeErreur::CleInvalide, "clé publique X25519 invalide")
            })?;
            let e = x25519_dalek::EphemeralSecret::random_from_rng(&mut rng);
            let pt = x25519_dalek::PublicKey::from(&e);
            let z = e.diffie_hellman(&x25519_dalek::PublicKey::from(b));
            if !z.was_contributory() {
                return Err(Erreur::new(
                    CodeErreur::CleInvalide,
                    "clé publique X25519 de petit ordre",
                ));
            }
            (z.as_bytes().to_vec(), pt.as_bytes().to_vec())
        }
        Courbe::X448 => {
            return Err(Erreur::new(
                CodeErreur::NonPrisEnCharge,
                "chiffrement vers une clé X448 non pris en charge",
            ));
        }
    };
    let (schema, kdf) = schema_ecriture(courbe);
    let wrap = emballage::algorithme_emballage(emballage::AES256_WRAP);
    let info = emballage::shared_info(&wrap, None, 32)?;
    let kek = emballage::deriver(kdf, &z, &info, 32)?;
    let emballee = emballage::emballer_aes(&kek, cek)?;
    let tbs = cert.tbs_certificate();
    Ok(RecipientInfo::Kari(KeyAgreeRecipientInfo {
        version: cms::content_info::CmsVersion::V3,
        originator: OriginatorIdentifierOrKey::OriginatorKey(OriginatorPublicKey {
            algorithm: courbe.algorithme()?,
            public_key: BitString::from_bytes(&eph).map_err(interne)?,
        }),
        ukm: None,
        key_enc_alg: AlgorithmIdentifierOwned {
            oid: schema,
            parameters: Some(Any::encode_from(&wrap).map_err(interne)?),
        },
        recipient_enc_keys: vec![RecipientEncryptedKey {
            rid: KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(
                cms::cert::IssuerAndSerialNumber {
                    issuer: tbs.issuer().clone(),
                    serial_number: tbs.serial_number().clone(),
                },
            ),
            enc_key: OctetString::new(emballee).map_err(interne)?,
        }],
    }))
}
