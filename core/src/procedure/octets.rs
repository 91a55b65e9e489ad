//! What mpe computes from the bytes of a deposited envelope: its size and SHA-256, whether
//! it is a CMS envelope, its content encryption and the certificates it is addressed to.
//!
//! The envelope is read once, as a stream, in constant memory: the CMS header up to the
//! content encryption algorithm is parsed (DER or BER with indefinite lengths, as
//! `openssl cms -stream` writes), the rest is only hashed. The encrypted content itself is
//! checked at the opening, by the decryption.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! EnvelopedData ::= SEQUENCE { version, originatorInfo [0] IMPLICIT OPTIONAL,
//!     recipientInfos SET OF RecipientInfo, encryptedContentInfo, ... }
//! EncryptedContentInfo ::= SEQUENCE { contentType OID, contentEncryptionAlgorithm, ... }
//! ```

use std::io::Read;

use cms::enveloped_data::{KeyAgreeRecipientIdentifier, RecipientIdentifier, RecipientInfo};
use der::Decode;
use der::asn1::ObjectIdentifier;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::crypto::cle_chiffrement::{CleChiffrement, NatureCle};
use crate::model::{ChiffrementEnveloppe, Empreinte, OctetsEnveloppe};
use crate::{CodeErreur, Erreur, Result};

const ID_ENVELOPED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
const ID_AUTH_ENVELOPED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.23");

/// Largest CMS header element read in memory (recipientInfos of a thousand recipients).
const ELEMENT_MAX: u64 = 4 * 1024 * 1024;
/// Deepest nesting of indefinite lengths skipped in an originatorInfo.
const PROFONDEUR_MAX: u32 = 16;

/// The content encryption algorithms an envelope may use, with the structure each needs:
/// AES in CBC mode in an EnvelopedData, AES-GCM and ChaCha20-Poly1305 in an
/// AuthEnvelopedData. Triple-DES, DES and RC2 are refused.
const ALGORITHMES: &[(&str, &str, bool)] = &[
    ("2.16.840.1.101.3.4.1.2", "AES-128-CBC", false),
    ("2.16.840.1.101.3.4.1.22", "AES-192-CBC", false),
    ("2.16.840.1.101.3.4.1.42", "AES-256-CBC", false),
    ("2.16.840.1.101.3.4.1.6", "AES-128-GCM", true),
    ("2.16.840.1.101.3.4.1.26", "AES-192-GCM", true),
    ("2.16.840.1.101.3.4.1.46", "AES-256-GCM", true),
    ("1.2.840.113549.1.9.16.3.18", "ChaCha20-Poly1305", true),
];

/// A reader that hashes and counts everything read.
struct Lecteur<'a> {
    r: &'a mut dyn Read,
    h: Sha256,
    n: u64,
    premier: Option<u8>,
}

/// A BER tag and length (`None`: indefinite).
#[derive(Clone, Copy)]
struct Entete {
    tag: u8,
    len: Option<u64>,
}

fn non_cms(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::EnveloppeNonCms, m)
}

impl Lecteur<'_> {
    fn lire(&mut self, buf: &mut [u8]) -> Result<()> {
        self.r.read_exact(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                non_cms("enveloppe tronquée")
            } else {
                Erreur::from(e)
            }
        })?;
        if self.n == 0 {
            self.premier = buf.first().copied();
        }
        self.h.update(&*buf);
        self.n += buf.len() as u64;
        Ok(())
    }

    fn octet(&mut self) -> Result<u8> {
        let mut b = [0u8; 1];
        self.lire(&mut b)?;
        Ok(b[0])
    }

    /// A header, and its bytes as read.
    fn entete(&mut self, brut: &mut Vec<u8>) -> Result<Entete> {
        let tag = self.octet()?;
        brut.push(tag);
        if tag & 0x1f == 0x1f {
            return Err(non_cms("étiquette ASN.1 longue inattendue"));
        }
        let l = self.octet()?;
        brut.push(l);
        let len = if l < 0x80 {
            Some(u64::from(l))
        } else if l == 0x80 {
            if tag & 0x20 == 0 {
                return Err(non_cms("longueur indéfinie sur un élément primitif"));
            }
            None
        } else {
            let n = usize::from(l & 0x7f);
            if n > 8 {
                return Err(non_cms("longueur ASN.1 trop grande"));
            }
            let mut v = 0u64;
            for _ in 0..n {
                let b = self.octet()?;
                brut.push(b);
                v = (v << 8) | u64::from(b);
            }
            Some(v)
        };
        Ok(Entete { tag, len })
    }

    fn attendre(&mut self, tag: u8, quoi: &str) -> Result<Entete> {
        let e = self.entete(&mut Vec::new())?;
        if e.tag != tag {
            return Err(non_cms(format!("{quoi} attendu")));
        }
        Ok(e)
    }

    /// The content of a definite element, at most `max` bytes.
    fn contenu(&mut self, e: Entete, max: u64, quoi: &str) -> Result<Vec<u8>> {
        let n = e
            .len
            .filter(|&n| n <= max)
            .ok_or_else(|| non_cms(format!("{quoi} : longueur indéfinie ou trop grande")))?;
        let mut v = vec![0u8; n as usize];
        self.lire(&mut v)?;
        Ok(v)
    }

    /// A whole element (header and content) whose header was read into `brut`; indefinite
    /// lengths are followed down to their end-of-contents.
    fn element(&mut self, e: Entete, brut: &mut Vec<u8>, profondeur: u32) -> Result<()> {
        match e.len {
            Some(n) => {
                if (brut.len() as u64).saturating_add(n) > ELEMENT_MAX {
                    return Err(non_cms("élément d'en-tête CMS trop grand"));
                }
                let debut = brut.len();
                brut.resize(debut + n as usize, 0);
                let cible = brut.get_mut(debut..).unwrap_or_default();
                self.lire(cible)
            }
            None => {
                if profondeur > PROFONDEUR_MAX {
                    return Err(non_cms("imbrication ASN.1 trop profonde"));
                }
                loop {
                    let f = self.entete(brut)?;
                    if f.tag == 0 && f.len == Some(0) {
                        return Ok(());
                    }
                    self.element(f, brut, profondeur + 1)?;
                    if brut.len() as u64 > ELEMENT_MAX {
                        return Err(non_cms("élément d'en-tête CMS trop grand"));
                    }
                }
            }
        }
    }

    /// Hash the rest of the stream.
    fn finir(mut self) -> Result<(u64, Empreinte)> {
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = match self.r.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            if n == 0 {
                break;
            }
            self.h.update(buf.get(..n).unwrap_or_default());
            self.n += n as u64;
        }
        Ok((self.n, Empreinte(self.h.finalize().into())))
    }
}

/// The recipients and content algorithm from the CMS header (the reader stops right after
/// the content encryption algorithm).
fn entete_cms(l: &mut Lecteur<'_>) -> Result<(bool, Vec<RecipientInfo>, AlgorithmIdentifierOwned)> {
    l.attendre(0x30, "ContentInfo")?;
    let e = l.attendre(0x06, "type de contenu")?;
    let oid = ObjectIdentifier::from_bytes(&l.contenu(e, 64, "type de contenu")?)
        .map_err(|e| non_cms(format!("type de contenu : {e}")))?;
    let auth = if oid == ID_AUTH_ENVELOPED_DATA {
        true
    } else if oid == ID_ENVELOPED_DATA {
        false
    } else {
        return Err(non_cms(format!(
            "contenu CMS {oid} : EnvelopedData ou AuthEnvelopedData attendue"
        )));
    };
    l.attendre(0xA0, "contenu [0]")?;
    l.attendre(0x30, "EnvelopedData")?;
    let v = l.attendre(0x02, "version")?;
    l.contenu(v, 8, "version")?;
    let mut e = l.entete(&mut Vec::new())?;
    if e.tag == 0xA0 {
        // originatorInfo: certificates and CRLs nobody needs here.
        l.element(e, &mut Vec::new(), 0)?;
        e = l.entete(&mut Vec::new())?;
    }
    if e.tag != 0x31 {
        return Err(non_cms("recipientInfos attendu"));
    }
    // Rebuilt as a definite SEQUENCE OF whatever the encoding read (a SET not sorted as
    // DER wants, or of indefinite length, is still read).
    let mut contenu = Vec::new();
    match e.len {
        Some(_) => {
            let mut brut = Vec::new();
            l.element(e, &mut brut, 0)?;
            let tete = brut.len().saturating_sub(e.len.unwrap_or(0) as usize);
            contenu.extend_from_slice(brut.get(tete..).unwrap_or_default());
        }
        None => loop {
            let mut brut = Vec::new();
            let f = l.entete(&mut brut)?;
            if f.tag == 0 && f.len == Some(0) {
                break;
            }
            l.element(f, &mut brut, 1)?;
            contenu.extend_from_slice(&brut);
            if contenu.len() as u64 > ELEMENT_MAX {
                return Err(non_cms("recipientInfos trop grand"));
            }
        },
    }
    let mut seq = vec![0x30];
    let n = contenu.len();
    if n < 0x80 {
        seq.push(n as u8);
    } else {
        let octets: Vec<u8> = (n as u64)
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        seq.push(0x80 | octets.len() as u8);
        seq.extend_from_slice(&octets);
    }
    seq.extend_from_slice(&contenu);
    let infos: Vec<RecipientInfo> =
        Vec::from_der(&seq).map_err(|e| non_cms(format!("recipientInfos : {e}")))?;
    if infos.is_empty() {
        return Err(non_cms("enveloppe sans destinataire"));
    }
    l.attendre(0x30, "EncryptedContentInfo")?;
    let e = l.attendre(0x06, "type du contenu chiffré")?;
    l.contenu(e, 64, "type du contenu chiffré")?;
    let mut brut = Vec::new();
    let e = l.entete(&mut brut)?;
    if e.tag != 0x30 {
        return Err(non_cms("algorithme de chiffrement du contenu attendu"));
    }
    l.element(e, &mut brut, 0)?;
    let alg = AlgorithmIdentifierOwned::from_der(&brut)
        .map_err(|e| non_cms(format!("algorithme de chiffrement : {e}")))?;
    Ok((auth, infos, alg))
}

/// How a certificate is named by recipients: issuer and serial number, and subject key
/// identifier when it has one.
struct Nom<'a> {
    cle: &'a CleChiffrement,
    cert: Certificate,
    ski: Option<Vec<u8>>,
}

impl Nom<'_> {
    fn par_emetteur(&self, i: &cms::cert::IssuerAndSerialNumber) -> bool {
        i.issuer == *self.cert.tbs_certificate().issuer()
            && i.serial_number == *self.cert.tbs_certificate().serial_number()
    }

    fn par_ski(&self, s: &[u8]) -> bool {
        self.ski.as_deref() == Some(s)
    }
}

/// Check the recipients against the consultation's keys: every recipient is one of them,
/// every key is a recipient.
fn verifier_destinataires(infos: &[RecipientInfo], cles: &[CleChiffrement]) -> Result<()> {
    let noms: Vec<Nom<'_>> = cles
        .iter()
        .map(|c| {
            let cert = c.certificat()?;
            let ski = crate::crypto::bicle::subject_key_identifier(&cert);
            Ok(Nom { cle: c, cert, ski })
        })
        .collect::<Result<_>>()?;
    let mut vus = vec![false; noms.len()];
    let etranger = |quoi: &str| {
        Erreur::new(
            CodeErreur::DestinatairesIncorrects,
            format!(
                "enveloppe chiffrée pour une clé qui n'est pas celle de la consultation ({quoi})"
            ),
        )
    };
    let mut marquer = |trouve: Option<usize>, quoi: &str| -> Result<()> {
        match trouve.and_then(|i| vus.get_mut(i)) {
            Some(v) => {
                *v = true;
                Ok(())
            }
            None => Err(etranger(quoi)),
        }
    };
    for ri in infos {
        match ri {
            RecipientInfo::Ktri(k) => {
                let i = match &k.rid {
                    RecipientIdentifier::IssuerAndSerialNumber(i) => {
                        noms.iter().position(|n| n.par_emetteur(i))
                    }
                    RecipientIdentifier::SubjectKeyIdentifier(s) => {
                        noms.iter().position(|n| n.par_ski(s.0.as_bytes()))
                    }
                };
                marquer(i, "transport de clé")?;
            }
            RecipientInfo::Kari(k) => {
                for r in &k.recipient_enc_keys {
                    let i = match &r.rid {
                        KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(i) => {
                            noms.iter().position(|n| n.par_emetteur(i))
                        }
                        KeyAgreeRecipientIdentifier::RKeyId(r) => noms
                            .iter()
                            .position(|n| n.par_ski(r.subject_key_identifier.0.as_bytes())),
                    };
                    marquer(i, "accord de clé")?;
                }
            }
            RecipientInfo::Kekri(_) => return Err(etranger("clé symétrique")),
            RecipientInfo::Pwri(_) => return Err(etranger("mot de passe")),
            _ => return Err(etranger("autre type de destinataire")),
        }
    }
    for (n, vu) in noms.iter().zip(&vus) {
        if !vu {
            let nom = crate::crypto::bicle::nom_sujet(&n.cert);
            return Err(match n.cle.nature {
                NatureCle::Secours => Erreur::new(
                    CodeErreur::CleSecoursAbsente,
                    format!(
                        "enveloppe non chiffrée pour la clé de secours « {nom} » ({})",
                        n.cle.id
                    ),
                ),
                NatureCle::Personnelle => Erreur::new(
                    CodeErreur::DestinatairesIncorrects,
                    format!(
                        "enveloppe non chiffrée pour la clé « {nom} » ({}) de la consultation",
                        n.cle.id
                    ),
                ),
            });
        }
    }
    Ok(())
}

/// Read an envelope's bytes: size, SHA-256, and its CMS encryption checked against the
/// consultation's keys (the verdict is kept in [`ChiffrementEnveloppe`] for the dépôt to
/// refuse with its code). `Ok(None)` in `cms` when the bytes are not a CMS envelope;
/// errors only when the bytes cannot be read.
pub(crate) fn lire(
    octets: &mut dyn Read,
    cles: &[CleChiffrement],
) -> Result<(OctetsEnveloppe, Option<Erreur>)> {
    let mut l = Lecteur {
        r: octets,
        h: Sha256::new(),
        n: 0,
        premier: None,
    };
    let entete = entete_cms(&mut l);
    let (cms, non_cms) = match entete {
        Ok((auth, infos, alg)) => {
            let oid = alg.oid.to_string();
            let connu = ALGORITHMES.iter().find(|(o, _, _)| *o == oid);
            let refus = match connu {
                None => Some(Erreur::new(
                    CodeErreur::ChiffrementNonAutorise,
                    format!(
                        "algorithme de chiffrement du contenu {oid} non autorisé (AES ou ChaCha20-Poly1305 attendu)"
                    ),
                )),
                Some((_, nom, authentifie)) if *authentifie != auth => Some(Erreur::new(
                    CodeErreur::ChiffrementNonAutorise,
                    format!(
                        "{nom} dans une structure {} : combinaison non conforme",
                        if auth {
                            "AuthEnvelopedData"
                        } else {
                            "EnvelopedData"
                        }
                    ),
                )),
                Some(_) => verifier_destinataires(&infos, cles).err(),
            };
            (
                Some(ChiffrementEnveloppe {
                    structure: if auth {
                        "AuthEnvelopedData"
                    } else {
                        "EnvelopedData"
                    }
                    .into(),
                    algorithme: connu.map_or(oid, |(_, nom, _)| (*nom).to_string()),
                    destinataires: infos.len(),
                    refus,
                }),
                None,
            )
        }
        // The storage failed: nothing can be said about the envelope.
        Err(e) if e.code() != CodeErreur::EnveloppeNonCms => return Err(e),
        // A SEQUENCE that is no envelope is a broken or other CMS; anything else (a ZIP,
        // a PDF, nothing) is a file in clear.
        Err(e) if l.premier == Some(0x30) => (None, Some(e)),
        Err(e) => (
            None,
            Some(Erreur::new(
                CodeErreur::EnveloppeNonChiffree,
                format!(
                    "enveloppe en clair (pas une enveloppe CMS : {})",
                    e.message()
                ),
            )),
        ),
    };
    let (taille, sha256) = l.finir()?;
    Ok((
        OctetsEnveloppe {
            taille,
            sha256,
            cms,
        },
        non_cms,
    ))
}
