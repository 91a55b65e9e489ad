//! XAdES B-LT and B-LTA (ETSI EN 319 132-1 5.5): the validation data in
//! `xades:CertificateValues` / `xades:RevocationValues`, then an `xadesv141:ArchiveTimeStamp`
//! over the signature, its data and every unsigned property before it.
//!
//! Everything is inserted as text into the unsigned properties: the bytes of `ds:SignedInfo`
//! and `xades:SignedProperties` stay as they were, so the signature verifies as before
//! (with mpe and with xmlsec1).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uppsala::NodeId;
use x509_cert::Certificate;

use super::c14n::{self, ModeC14n};
use super::cms::TimestampCheck;
use super::document_xml::{self, DocumentXml};
use super::long_terme::DonneesValidation;
use super::rapport::{Horodatage, OptionsVerification};
use super::reference_xml::{self, Contexte, DS, Externes};
use super::signer::{AlgorithmeEmpreinte, Hasher};
use super::xades_verification::{XADES_NS, proprietes, xades as est_xades};
use crate::{CodeErreur, Erreur, Result};

/// Namespace of `xadesv141:ArchiveTimeStamp` and `xadesv141:TimeStampValidationData`.
pub(crate) const XADES141: &str = "http://uri.etsi.org/01903/v1.4.1#";
const XADES132: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// The canonicalization mpe declares in the archive timestamps it writes.
const C14N_ARCHIVE: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

fn non_pris(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::NonPrisEnCharge, m.into())
}

fn malformee(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::SignatureMalformee, m.into())
}

/// The signed XML as UTF-8 text whose byte offsets are the file's (insertion is textual).
fn texte_utf8(signe: &[u8]) -> Result<(&str, usize)> {
    let t = document_xml::texte(signe)?;
    match t {
        std::borrow::Cow::Borrowed(s) => {
            let debut = signe.len() - s.len(); // a byte order mark before
            Ok((s, debut))
        }
        std::borrow::Cow::Owned(_) => Err(non_pris(
            "signature XML non UTF-8 : les propriétés non signées ne peuvent y être ajoutées",
        )),
    }
}

/// The first `ds:Signature` that is not inside another (the one B-T timestamps).
fn premiere_signature(d: &DocumentXml<'_>) -> Result<NodeId> {
    let racine = d.racine()?;
    d.elements(racine)
        .into_iter()
        .find(|n| d.est(*n, DS, "Signature") && d.ancetre(*n, DS, "Signature").is_none())
        .ok_or_else(|| {
            Erreur::new(
                CodeErreur::SignatureFormatInconnu,
                "aucune signature XML (ds:Signature) trouvée",
            )
        })
}

/// The qualified name of an element as written (`xades:QualifyingProperties`).
fn nom_ecrit<'t>(texte: &'t str, d: &DocumentXml<'_>, n: NodeId) -> Option<&'t str> {
    let r = d.doc.node_range(n)?;
    let s = texte.get(r)?.strip_prefix('<')?;
    let fin = s
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(s.len());
    s.get(..fin)
}

fn prefixe_de(nom: &str) -> String {
    nom.split_once(':')
        .map(|(p, _)| format!("{p}:"))
        .unwrap_or_default()
}

/// Byte offset (in `texte`) of the end tag of `n`; `None` for an empty element `<x/>`.
fn debut_balise_fin(texte: &str, d: &DocumentXml<'_>, n: NodeId) -> Option<usize> {
    let r = d.doc.node_range(n)?;
    let s = texte.get(r.clone())?;
    if s.ends_with("/>") {
        return None;
    }
    s.rfind("</").map(|i| r.start + i)
}

/// Every certificate of the signatures of an XML document and of their timestamps: the
/// signers (and TSAs) to chain, and the pool to chain them with.
pub(crate) fn certificats(signe: &[u8]) -> Result<(Vec<Certificate>, Vec<Certificate>)> {
    let texte = document_xml::texte(signe)?;
    let d = DocumentXml::analyser(&texte)?;
    let racine = d.racine()?;
    let mut signataires = vec![];
    let mut pool = vec![];
    let certificat = |n: NodeId| {
        d.base64(n)
            .ok()
            .and_then(|b| super::signer::certificat(&b).ok())
    };
    for sig in d
        .elements(racine)
        .into_iter()
        .filter(|n| d.est(*n, DS, "Signature"))
    {
        let dans_key_info: Vec<Certificate> = d
            .enfant(sig, DS, "KeyInfo")
            .map(|k| d.elements(k))
            .unwrap_or_default()
            .into_iter()
            .filter(|n| d.est(*n, DS, "X509Certificate"))
            .filter_map(certificat)
            .collect();
        let props = proprietes(&d, sig).ok();
        let non_signes: Vec<Certificate> = props
            .as_ref()
            .and_then(|p| p.non_signees)
            .map(|u| d.elements(u))
            .unwrap_or_default()
            .into_iter()
            .filter(|n| est_xades(&d, *n, "EncapsulatedX509Certificate"))
            .filter_map(certificat)
            .collect();
        let mut tous = dans_key_info.clone();
        tous.extend(non_signes);
        let designe = props
            .as_ref()
            .and_then(|p| p.signees)
            .and_then(|s| super::xades_verification::designe_parmi(&d, s, &tous));
        if let Some(c) = designe.or_else(|| dans_key_info.first().cloned()) {
            signataires.push(c);
        }
        pool.extend(tous);
    }
    // The TSAs of every timestamp (signature, archive) and the certificates they carry.
    for n in d
        .elements(racine)
        .into_iter()
        .filter(|n| est_xades(&d, *n, "EncapsulatedTimeStamp"))
    {
        if let Ok(jeton) = d.base64(n)
            && let Ok((_, sd)) = super::cms::decode_signed_data(&jeton)
        {
            super::long_terme::certificats_signed_data(&sd, &mut pool, &mut signataires);
        }
    }
    Ok((signataires, pool))
}

/// The validation data already in the unsigned properties of `sig`.
fn deja_presentes(d: &DocumentXml<'_>, up: Option<NodeId>) -> Vec<Vec<u8>> {
    up.map(|u| d.elements(u))
        .unwrap_or_default()
        .into_iter()
        .filter(|n| {
            [
                "EncapsulatedX509Certificate",
                "EncapsulatedCRLValue",
                "EncapsulatedOCSPValue",
            ]
            .iter()
            .any(|l| est_xades(d, *n, l))
        })
        .filter_map(|n| d.base64(n).ok())
        .collect()
}

/// Where new unsigned signature properties go, and how to write them.
struct Insertion {
    position: usize,
    /// Opening and closing text around the new properties (the UnsignedProperties and
    /// UnsignedSignatureProperties elements when absent).
    avant: String,
    apres: String,
    /// `xades:` (the prefix of the QualifyingProperties) and `ds:`.
    x: String,
    ds: String,
    /// The USP already holds an archive timestamp.
    archive: bool,
    /// The USP already holds CertificateValues or RevocationValues.
    valeurs: bool,
}

fn insertion(texte: &str, d: &DocumentXml<'_>, sig: NodeId) -> Result<Insertion> {
    let p = proprietes(d, sig)?;
    let qp =
        p.qp.ok_or_else(|| malformee("signature XML sans QualifyingProperties (pas une XAdES)"))?;
    let nom_qp = nom_ecrit(texte, d, qp).ok_or_else(|| malformee("QualifyingProperties"))?;
    let x = prefixe_de(nom_qp);
    let ds = prefixe_de(nom_ecrit(texte, d, sig).unwrap_or_default());
    let vide = |a: &str| format!("<{x}{a}>");
    let fin = |a: &str| format!("</{x}{a}>");
    let usp = p.non_signees.and_then(|u| {
        d.enfants(u)
            .find(|n| est_xades(d, *n, "UnsignedSignatureProperties"))
    });
    let emplacement_vide =
        || non_pris("propriétés non signées vides (<…/>) : non prises en charge");
    let (position, avant, apres) = match (p.non_signees, usp) {
        (_, Some(usp)) => (
            debut_balise_fin(texte, d, usp).ok_or_else(emplacement_vide)?,
            String::new(),
            String::new(),
        ),
        (Some(up), None) => {
            // UnsignedSignatureProperties come first in UnsignedProperties.
            let pos = match d.enfants(up).next() {
                Some(c) => d.doc.node_range(c).map(|r| r.start),
                None => debut_balise_fin(texte, d, up),
            }
            .ok_or_else(emplacement_vide)?;
            (
                pos,
                vide("UnsignedSignatureProperties"),
                fin("UnsignedSignatureProperties"),
            )
        }
        (None, None) => (
            debut_balise_fin(texte, d, qp).ok_or_else(emplacement_vide)?,
            format!(
                "{}{}",
                vide("UnsignedProperties"),
                vide("UnsignedSignatureProperties")
            ),
            format!(
                "{}{}",
                fin("UnsignedSignatureProperties"),
                fin("UnsignedProperties")
            ),
        ),
    };
    let enfants: Vec<NodeId> = usp.map(|u| d.enfants(u).collect()).unwrap_or_default();
    Ok(Insertion {
        position,
        avant,
        apres,
        x,
        ds,
        archive: enfants
            .iter()
            .any(|n| d.nom_local(*n) == "ArchiveTimeStamp"),
        valeurs: enfants
            .iter()
            .any(|n| est_xades(d, *n, "CertificateValues") || est_xades(d, *n, "RevocationValues")),
    })
}

fn inserer(texte: &str, ins: &Insertion, propriete: &str) -> Vec<u8> {
    let mut out = String::with_capacity(texte.len() + propriete.len() + 100);
    out.push_str(texte.get(..ins.position).unwrap_or_default());
    out.push_str(&ins.avant);
    out.push_str(propriete);
    out.push_str(&ins.apres);
    out.push_str(texte.get(ins.position..).unwrap_or_default());
    out.into_bytes()
}

fn identifiant(prefixe: &str, contenu: &[&[u8]]) -> String {
    let mut h = Hasher::new(AlgorithmeEmpreinte::Sha256);
    for c in contenu {
        h.update(c);
    }
    format!(
        "{prefixe}-{}",
        hex::encode(h.finish().get(..8).unwrap_or_default())
    )
}

/// B-LT: `donnees` (what is not in the signature yet) written as `xades:CertificateValues`
/// and `xades:RevocationValues` in the unsigned signature properties of the first
/// signature; once these exist or an archive timestamp covers them, as a
/// `xadesv141:TimeStampValidationData` after them (EN 319 132-1 5.5.1).
pub(crate) fn ajouter_donnees_validation(
    signe: &[u8],
    donnees: &DonneesValidation,
) -> Result<Vec<u8>> {
    let (texte, debut) = texte_utf8(signe)?;
    let d = DocumentXml::analyser(texte)?;
    let sig = premiere_signature(&d)?;
    let ins = insertion(texte, &d, sig)?;
    let deja = deja_presentes(&d, proprietes(&d, sig)?.non_signees);
    let neuves = |v: &[Vec<u8>]| -> Vec<Vec<u8>> {
        v.iter().filter(|x| !deja.contains(x)).cloned().collect()
    };
    let (certs, ocsps, crls) = (
        neuves(&donnees.certificats),
        neuves(&donnees.reponses_ocsp),
        neuves(&donnees.crls),
    );
    if certs.is_empty() && ocsps.is_empty() && crls.is_empty() {
        return Ok(signe.to_vec());
    }
    if !XADES_NS.contains(&d.espace(proprietes(&d, sig)?.qp.unwrap_or(sig))) {
        return Err(non_pris("espace de noms XAdES inconnu"));
    }
    let x = &ins.x;
    let liste = |parent: &str, enfant: &str, v: &[Vec<u8>]| -> String {
        if v.is_empty() {
            return String::new();
        }
        let mut s = format!("<{x}{parent}>");
        for e in v {
            s.push_str(&format!("<{x}{enfant}>{}</{x}{enfant}>", B64.encode(e)));
        }
        s.push_str(&format!("</{x}{parent}>"));
        s
    };
    let mut valeurs = liste("CertificateValues", "EncapsulatedX509Certificate", &certs);
    if !ocsps.is_empty() || !crls.is_empty() {
        valeurs.push_str(&format!(
            "<{x}RevocationValues>{}{}</{x}RevocationValues>",
            liste("CRLValues", "EncapsulatedCRLValue", &crls),
            liste("OCSPValues", "EncapsulatedOCSPValue", &ocsps),
        ));
    }
    let mut tout: Vec<&[u8]> = vec![];
    tout.extend(certs.iter().map(Vec::as_slice));
    tout.extend(ocsps.iter().map(Vec::as_slice));
    tout.extend(crls.iter().map(Vec::as_slice));
    let propriete = if ins.archive || ins.valeurs {
        format!(
            "<xadesv141:TimeStampValidationData xmlns:xadesv141=\"{XADES141}\" Id=\"{}\">{valeurs}</xadesv141:TimeStampValidationData>",
            identifiant("tsvd", &tout)
        )
    } else {
        valeurs
    };
    let out = inserer(texte, &ins, &propriete);
    controler(&out, |d, usp| {
        d.enfants(usp).any(|n| {
            est_xades(d, n, "CertificateValues")
                || est_xades(d, n, "RevocationValues")
                || d.est(n, XADES141, "TimeStampValidationData")
        })
    })?;
    Ok(with_bom(signe, debut, out))
}

/// The byte order mark (if any) kept in front.
fn with_bom(signe: &[u8], debut: usize, out: Vec<u8>) -> Vec<u8> {
    let mut v = signe.get(..debut).unwrap_or_default().to_vec();
    v.extend(out);
    v
}

/// The output still parses and what was inserted sits where the standard wants it.
fn controler(out: &[u8], present: impl Fn(&DocumentXml<'_>, NodeId) -> bool) -> Result<()> {
    let texte = document_xml::texte(out)?;
    let d = DocumentXml::analyser(&texte)?;
    let sig = premiere_signature(&d)?;
    let usp = proprietes(&d, sig)?.non_signees.and_then(|u| {
        d.enfants(u)
            .find(|n| est_xades(&d, *n, "UnsignedSignatureProperties"))
    });
    match usp {
        Some(u) if present(&d, u) => Ok(()),
        _ => Err(Erreur::internal(
            "propriété non signée insérée hors de UnsignedSignatureProperties",
        )),
    }
}

/// What an archive timestamp waits for: the B-LT XML it will be added to.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub(crate) struct EtatXades {
    xml: String,
}

/// B-LTA, first step: the digest an `xadesv141:ArchiveTimeStamp` appended now to the
/// unsigned signature properties of the first signature must carry (EN 319 132-1 5.5.2),
/// canonicalized with exclusive C14N. `donnees`: the detached document, when the
/// signature references one.
pub(crate) fn preparer_horodatage(
    signe: &[u8],
    donnees: Option<super::DonneesSignees<'_>>,
    alg: AlgorithmeEmpreinte,
) -> Result<(Vec<u8>, EtatXades)> {
    let (texte, _) = texte_utf8(signe)?;
    let d = DocumentXml::analyser(texte)?;
    let sig = premiere_signature(&d)?;
    let p = proprietes(&d, sig)?;
    let qp =
        p.qp.ok_or_else(|| malformee("signature XML sans QualifyingProperties (pas une XAdES)"))?;
    if d.espace(qp) != XADES132 {
        return Err(non_pris(
            "horodatage d'archive : seules les signatures XAdES 1.3.2 / EN 319 132 sont prises en charge",
        ));
    }
    insertion(texte, &d, sig)?;
    let nommes = vec![];
    let mut externes = Externes::new(&nommes, donnees);
    let entree = entree_archive(
        &d,
        sig,
        None,
        ModeC14n::from_uri(C14N_ARCHIVE).unwrap_or(ModeC14n::Exclusive),
        &[],
        &mut externes,
        Objets::NonReferences,
    )?;
    Ok((
        alg.hash(&entree),
        EtatXades {
            xml: String::from_utf8_lossy(signe).into_owned(),
        },
    ))
}

/// B-LTA, second step: the token inserted as `xadesv141:ArchiveTimeStamp`.
pub(crate) fn assembler(etat: &EtatXades, jeton: &[u8]) -> Result<Vec<u8>> {
    let signe = etat.xml.as_bytes();
    let (texte, debut) = texte_utf8(signe)?;
    let d = DocumentXml::analyser(texte)?;
    let sig = premiere_signature(&d)?;
    let ins = insertion(texte, &d, sig)?;
    let propriete = format!(
        "<xadesv141:ArchiveTimeStamp xmlns:xadesv141=\"{XADES141}\" Id=\"{id}\"><{ds}CanonicalizationMethod Algorithm=\"{C14N_ARCHIVE}\"/><{x}EncapsulatedTimeStamp>{t}</{x}EncapsulatedTimeStamp></xadesv141:ArchiveTimeStamp>",
        id = identifiant("ats", &[jeton]),
        ds = ins.ds,
        x = ins.x,
        t = B64.encode(jeton),
    );
    let out = inserer(texte, &ins, &propriete);
    controler(&out, |d, usp| {
        d.enfants(usp).last().is_some_and(|n| {
            d.est(n, XADES141, "ArchiveTimeStamp")
                && d.enfant(n, DS, "CanonicalizationMethod").is_some()
                && d.enfants(n)
                    .any(|e| est_xades(d, e, "EncapsulatedTimeStamp"))
        })
    })?;
    Ok(with_bom(signe, debut, out))
}

/// Which `ds:Object` elements an archive timestamp covers besides the signature's own
/// properties: those no reference signs (EN 319 132-1 5.5.2), or every one (TS 101 903
/// 1.4.1, 8.2.1; producers of that time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Objets {
    NonReferences,
    Tous,
}

/// The input of an archive timestamp's message imprint: the data of each reference
/// (after its transforms), `ds:SignedInfo`, `ds:SignatureValue`, `ds:KeyInfo`, every
/// unsigned signature property before the timestamp (`avant`; all when `None`), then the
/// other `ds:Object` elements, each canonicalized with the timestamp's method.
fn entree_archive(
    d: &DocumentXml<'_>,
    sig: NodeId,
    avant: Option<NodeId>,
    mode: ModeC14n,
    prefixes: &[String],
    externes: &mut Externes<'_, '_>,
    objets: Objets,
) -> Result<Vec<u8>> {
    let mut out = vec![];
    let si = d
        .enfant(sig, DS, "SignedInfo")
        .ok_or_else(|| malformee("SignedInfo absent"))?;
    let refs: Vec<NodeId> = d
        .enfants(si)
        .filter(|n| d.est(*n, DS, "Reference"))
        .collect();
    let externes_n = refs
        .iter()
        .filter(|r| reference_xml::est_externe(d.attribut(**r, "URI")))
        .count();
    let mut cibles = vec![];
    for r in &refs {
        if let Some(u) = d.attribut(*r, "URI")
            && u.starts_with('#')
            && let Ok(Some(c)) = reference_xml::cible(d, u)
        {
            cibles.push(c);
        }
        let mut ctx = Contexte {
            d,
            signature: sig,
            externes,
            anonyme_permis: externes_n == 1,
            une_seule_fois: false,
        };
        out.extend(reference_xml::octets(&mut ctx, *r)?);
    }
    out.extend(c14n::element(d, si, mode, prefixes)?);
    for local in ["SignatureValue", "KeyInfo"] {
        if let Some(n) = d.enfant(sig, DS, local) {
            out.extend(c14n::element(d, n, mode, prefixes)?);
        }
    }
    let p = proprietes(d, sig)?;
    if let Some(usp) = p.non_signees.and_then(|u| {
        d.enfants(u)
            .find(|n| est_xades(d, *n, "UnsignedSignatureProperties"))
    }) {
        for n in d.enfants(usp) {
            if Some(n) == avant {
                break;
            }
            out.extend(c14n::element(d, n, mode, prefixes)?);
        }
    }
    for o in d.enfants(sig).filter(|o| d.est(*o, DS, "Object")) {
        let proprietes_ici = p.qp.is_some_and(|q| d.dans(q, o));
        let reference = cibles.contains(&o);
        if proprietes_ici || (objets == Objets::NonReferences && reference) {
            continue;
        }
        out.extend(c14n::element(d, o, mode, prefixes)?);
    }
    Ok(out)
}

/// One archive timestamp of a signature, checked: its token over the input computed as
/// EN 319 132-1 5.5.2 says (a timestamp of XAdES 1.3.2, `xades:ArchiveTimeStamp`, whose
/// imprint does not match that input is not proven wrong: INDÉTERMINÉ).
pub(crate) fn verifier_archive(
    d: &DocumentXml<'_>,
    sig: NodeId,
    ats: NodeId,
    externes: &mut Externes<'_, '_>,
) -> TimestampCheck {
    let echec = |e: Erreur| TimestampCheck {
        date: None,
        valid: Err(e),
        tsa: None,
        certs: vec![],
    };
    let ancienne = d.espace(ats) != XADES141;
    let cm = d.enfant(ats, DS, "CanonicalizationMethod");
    // Without CanonicalizationMethod, XMLDSig's default: inclusive C14N 1.0.
    let mode = match cm.map(|c| c14n::mode_exige(d.attribut(c, "Algorithm").unwrap_or(""))) {
        None => Ok(ModeC14n::Inclusive),
        Some(m) => m,
    };
    let prefixes = cm.map(|c| c14n::prefixes_inclus(d, c)).unwrap_or_default();
    let mode = match mode {
        Ok(m) => m,
        Err(e) => return echec(e),
    };
    let jeton = match d
        .enfants(ats)
        .find(|n| est_xades(d, *n, "EncapsulatedTimeStamp"))
        .map(|n| d.base64(n))
    {
        Some(Ok(j)) => j,
        Some(Err(e)) => return echec(e),
        None => {
            return echec(Erreur::new(
                CodeErreur::HorodatageIndetermine,
                "horodatage d'archive sans EncapsulatedTimeStamp",
            ));
        }
    };
    let mut candidats = vec![];
    for objets in [Objets::NonReferences, Objets::Tous] {
        match entree_archive(d, sig, Some(ats), mode, &prefixes, externes, objets) {
            Ok(e) => {
                if !candidats.contains(&e) {
                    candidats.push(e);
                }
            }
            Err(e) => {
                let e = Erreur::new(
                    CodeErreur::HorodatageIndetermine,
                    format!("horodatage d'archive : {}", e.message()),
                );
                return echec(e);
            }
        }
    }
    // The token says which imprint it carries: the candidate whose digest it is.
    let attendu = super::cms::decode_tst_info(&jeton)
        .ok()
        .map(|t| t.message_imprint.hashed_message.as_bytes().to_vec());
    let mut t = super::verification_cms::check_timestamp_digest(&jeton, &mut |alg| {
        let empreintes = candidats.iter().map(|c| alg.hash(c));
        let mut premiere = None;
        for e in empreintes {
            if attendu.as_deref() == Some(e.as_slice()) {
                return e;
            }
            premiere.get_or_insert(e);
        }
        premiere.unwrap_or_default()
    });
    if ancienne
        && let Err(e) = &t.valid
        && e.code() == CodeErreur::HorodatageInvalide
        && e.message().contains("ne porte pas")
    {
        t.valid = Err(Erreur::new(
            CodeErreur::HorodatageIndetermine,
            "horodatage d'archive XAdES 1.3.2 : empreinte calculée selon EN 319 132-1 différente (forme ancienne non prise en charge)",
        ));
    }
    t
}

/// The archive timestamps of a signature, each judged, and the earliest time they prove
/// (the newest TSA valid at the validation time, each older one at the time the next newer
/// one proves: `rapport::juger_archives`, as for CAdES).
pub(crate) fn archives(
    d: &DocumentXml<'_>,
    sig: NodeId,
    usp: Option<NodeId>,
    externes: &mut Externes<'_, '_>,
    opts: &OptionsVerification,
) -> (Vec<Horodatage>, Option<DateTime<Utc>>) {
    let Some(usp) = usp else {
        return (vec![], None);
    };
    let ats: Vec<NodeId> = d
        .enfants(usp)
        .filter(|n| {
            d.nom_local(*n) == "ArchiveTimeStamp"
                && (d.espace(*n) == XADES141 || XADES_NS.contains(&d.espace(*n)))
        })
        .collect();
    let jetons: Vec<_> = ats
        .into_iter()
        .map(|a| verifier_archive(d, sig, a, externes))
        .collect();
    super::rapport::juger_archives(&jetons.iter().collect::<Vec<_>>(), opts)
}

/// The validation data of unsigned properties exist (B-LT).
pub(crate) fn a_donnees_validation(d: &DocumentXml<'_>, usp: Option<NodeId>) -> bool {
    usp.is_some_and(|u| {
        d.enfants(u).any(|n| {
            est_xades(d, n, "CertificateValues")
                || est_xades(d, n, "RevocationValues")
                || d.est(n, XADES141, "TimeStampValidationData")
        })
    })
}
