//! CAdES B-LT and B-LTA (ETSI EN 319 122-1, 5.5; RFC 5652; RFC 5940).
//!
//! B-LT: the certificates go to `SignedData.certificates`, the CRLs and OCSP responses to
//! `SignedData.crls` (an OCSP response as `[1] OtherRevocationInfoFormat`
//! id-ri-ocsp-response). Neither is covered by the signature: the SignerInfo is copied
//! byte for byte.
//!
//! B-LTA: an archive-time-stamp-v3 (unsigned attribute of the SignerInfo). Its message
//! imprint hashes, in this order (EN 319 122-1, 5.5.3): the encoded eContentType, the
//! hash of the signed content, the encoded SignerInfo fields from `version` to
//! `signature`, and the encoded ATSHashIndexV3 that the token then carries as its own
//! unsigned attribute ats-hash-index-v3 (5.5.2): the hashes of each element of
//! `certificates`, of `crls`, and of each unsigned attribute value of the signer (its
//! `attrType` encoding followed by the value's).
//!
//! Everything works on the definite-length form of the input ([`super::ber`]): for a
//! DER signature, the file's own bytes.

use der::Encode;

use super::asn1;
use super::long_terme::DonneesValidation;
use super::signer::AlgorithmeEmpreinte;
use super::verification_cms::{Brut, enfants, normaliser, tlv};
use crate::{CodeErreur, Erreur, Result};

fn malforme(m: impl Into<String>) -> Erreur {
    Erreur::new(CodeErreur::SignatureMalformee, m)
}

/// A DER element from its tag and content.
fn element(tag: u8, contenu: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = contenu.len();
    if n < 0x80 {
        out.push(u8::try_from(n).unwrap_or(0));
    } else {
        let b = n.to_be_bytes();
        let debut = b.iter().position(|x| *x != 0).unwrap_or(b.len() - 1);
        let significatifs = b.get(debut..).unwrap_or_default();
        out.push(0x80 | u8::try_from(significatifs.len()).unwrap_or(0));
        out.extend_from_slice(significatifs);
    }
    out.extend_from_slice(contenu);
    out
}

fn concat<'a>(it: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    it.into_iter().flatten().copied().collect()
}

/// A CMS SignedData cut into its encoded fields (definite lengths).
struct Cms {
    der: Vec<u8>,
}

/// The fields of the SignedData, each the element as encoded.
struct Champs<'a> {
    type_contenu: &'a [u8],
    version: Brut<'a>,
    algorithmes: Brut<'a>,
    encap: Brut<'a>,
    certificats: Option<Brut<'a>>,
    crls: Option<Brut<'a>>,
    signataires: Brut<'a>,
}

impl Cms {
    fn lire(data: &[u8]) -> Result<Cms> {
        Ok(Cms {
            der: normaliser(data)?,
        })
    }

    fn champs(&self) -> Result<Champs<'_>> {
        let (ci, _) = tlv(&self.der).ok_or_else(|| malforme("CMS illisible"))?;
        let parts = enfants(ci.contenu)?;
        let (Some(t), Some(explicite)) = (parts.first(), parts.get(1)) else {
            return Err(malforme("ContentInfo incomplet"));
        };
        if t.tlv
            != asn1::OID_SIGNED_DATA
                .to_der()
                .map_err(asn1::der_err)?
                .as_slice()
        {
            return Err(malforme("le CMS n'est pas un SignedData"));
        }
        let (sd, _) = tlv(explicite.contenu).ok_or_else(|| malforme("SignedData illisible"))?;
        let f = enfants(sd.contenu)?;
        let mut it = f.into_iter().peekable();
        let mut suivant = |quoi: &str| it.next().ok_or_else(|| malforme(format!("{quoi} absent")));
        let version = suivant("version")?;
        let algorithmes = suivant("digestAlgorithms")?;
        let encap = suivant("encapContentInfo")?;
        let mut certificats = None;
        let mut crls = None;
        let mut signataires = None;
        for b in it {
            match b.tag {
                0xA0 => certificats = Some(b),
                0xA1 => crls = Some(b),
                0x31 => signataires = Some(b),
                _ => return Err(malforme("champ inattendu dans le SignedData")),
            }
        }
        let type_contenu = enfants(encap.contenu)?
            .first()
            .filter(|b| b.tag == 0x06)
            .map(|b| b.tlv)
            .ok_or_else(|| malforme("eContentType absent"))?;
        Ok(Champs {
            type_contenu,
            version,
            algorithmes,
            encap,
            certificats,
            crls,
            signataires: signataires.ok_or_else(|| malforme("signerInfos absent"))?,
        })
    }
}

impl Champs<'_> {
    /// The eContent's octets when attached.
    fn contenu(&self) -> Result<Option<&[u8]>> {
        let parts = enfants(self.encap.contenu)?;
        Ok(match parts.get(1) {
            Some(b) if b.tag == 0xA0 => Some(
                tlv(b.contenu)
                    .ok_or_else(|| malforme("eContent illisible"))?
                    .0
                    .contenu,
            ),
            _ => None,
        })
    }

    fn signer_infos(&self) -> Result<Vec<Brut<'_>>> {
        enfants(self.signataires.contenu)
    }

    fn liste(b: Option<Brut<'_>>) -> Result<Vec<Brut<'_>>> {
        b.map(|b| enfants(b.contenu))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// The ContentInfo with other certificates, crls or signerInfos (version given).
    fn reecrire(
        &self,
        version: &[u8],
        certificats: &[Vec<u8>],
        crls: &[Vec<u8>],
        signer_infos: &[Vec<u8>],
    ) -> Result<Vec<u8>> {
        let mut sd = concat([version, self.algorithmes.tlv, self.encap.tlv]);
        if !certificats.is_empty() {
            sd.extend(element(0xA0, &certificats.concat()));
        }
        if !crls.is_empty() {
            sd.extend(element(0xA1, &crls.concat()));
        }
        sd.extend(element(0x31, &signer_infos.concat()));
        let oid = asn1::OID_SIGNED_DATA.to_der().map_err(asn1::der_err)?;
        let ci = concat([oid.as_slice(), &element(0xA0, &element(0x30, &sd))]);
        Ok(element(0x30, &ci))
    }
}

/// An OCSP response as a RevocationInfoChoice (RFC 5940, 3).
fn choix_ocsp(reponse: &[u8]) -> Vec<u8> {
    element(0xA1, &concat([asn1::OID_RI_OCSP_RESPONSE_DER, reponse]))
}

/// B-LT: `donnees` added to `SignedData.certificates` and `crls` (none twice), the
/// SignerInfos untouched. An `other` revocation value makes the SignedData version 5
/// (RFC 5652, 5.1).
pub(crate) fn ajouter_donnees(signe: &[u8], donnees: &DonneesValidation) -> Result<Vec<u8>> {
    let cms = Cms::lire(signe)?;
    let c = cms.champs()?;
    let mut certs: Vec<Vec<u8>> = Champs::liste(c.certificats)?
        .iter()
        .map(|b| b.tlv.to_vec())
        .collect();
    let mut crls: Vec<Vec<u8>> = Champs::liste(c.crls)?
        .iter()
        .map(|b| b.tlv.to_vec())
        .collect();
    for x in &donnees.certificats {
        if !certs.contains(x) {
            certs.push(x.clone());
        }
    }
    for x in donnees
        .crls
        .iter()
        .cloned()
        .chain(donnees.reponses_ocsp.iter().map(|o| choix_ocsp(o)))
    {
        if !crls.contains(&x) {
            crls.push(x);
        }
    }
    let autre = crls.iter().any(|x| x.first() == Some(&0xA1));
    let v5 = [0x02, 0x01, 0x05];
    let version = if autre { &v5[..] } else { c.version.tlv };
    let sis: Vec<Vec<u8>> = c.signer_infos()?.iter().map(|b| b.tlv.to_vec()).collect();
    c.reecrire(version, &certs, &crls, &sis)
}

/// The ATSHashIndexV3 of signer `i` as the signature stands (`alg`: SHA-256 is the
/// DEFAULT, omitted).
fn index_v3(c: &Champs<'_>, si: &Brut<'_>, alg: AlgorithmeEmpreinte) -> Result<Vec<u8>> {
    let hacher = |l: &[&[u8]]| -> Vec<u8> {
        let v: Vec<Vec<u8>> = l.iter().map(|x| element(0x04, &alg.hash(x))).collect();
        element(0x30, &v.concat())
    };
    let certs = Champs::liste(c.certificats)?;
    let crls = Champs::liste(c.crls)?;
    let attrs = valeurs_non_signees(si)?;
    let mut index = vec![];
    if alg != AlgorithmeEmpreinte::Sha256 {
        index.extend(alg.algorithm_identifier().to_der().map_err(asn1::der_err)?);
    }
    index.extend(hacher(&certs.iter().map(|b| b.tlv).collect::<Vec<_>>()));
    index.extend(hacher(&crls.iter().map(|b| b.tlv).collect::<Vec<_>>()));
    let v: Vec<Vec<u8>> = attrs.iter().map(|(t, v)| concat([*t, *v])).collect();
    index.extend(hacher(&v.iter().map(Vec::as_slice).collect::<Vec<_>>()));
    Ok(element(0x30, &index))
}

/// The fields of a SignerInfo and its unsigned attributes (`[1]`), if any.
fn champs_signataire<'a>(si: &Brut<'a>) -> Result<(Vec<Brut<'a>>, Option<Brut<'a>>)> {
    let mut f = enfants(si.contenu)?;
    let non_signes = match f.last() {
        Some(b) if b.tag == 0xA1 => f.pop(),
        _ => None,
    };
    Ok((f, non_signes))
}

/// An unsigned attribute: its whole encoding, its attrType encoding, its values.
type AttributBrut<'a> = (&'a [u8], &'a [u8], Vec<Brut<'a>>);

/// Each unsigned attribute of a SignerInfo.
fn attributs_non_signes<'a>(si: &Brut<'a>) -> Result<Vec<AttributBrut<'a>>> {
    let (_, non_signes) = champs_signataire(si)?;
    let mut out = vec![];
    for a in non_signes
        .map(|b| enfants(b.contenu))
        .transpose()?
        .unwrap_or_default()
    {
        let p = enfants(a.contenu)?;
        let (Some(t), Some(vals)) = (p.first(), p.get(1)) else {
            return Err(malforme("attribut non signé illisible"));
        };
        out.push((a.tlv, t.tlv, enfants(vals.contenu)?));
    }
    Ok(out)
}

/// (attrType encoding, value encoding) of each unsigned attribute value.
fn valeurs_non_signees<'a>(si: &Brut<'a>) -> Result<Vec<(&'a [u8], &'a [u8])>> {
    let mut out = vec![];
    for (_, t, vals) in attributs_non_signes(si)? {
        for v in vals {
            out.push((t, v.tlv));
        }
    }
    Ok(out)
}

/// The message imprint input of an archive-time-stamp-v3 (EN 319 122-1, 5.5.3) hashed
/// with `alg`; `hash_contenu`: the hash of the signed content with `alg`.
fn empreinte_archive(
    c: &Champs<'_>,
    si: &Brut<'_>,
    hash_contenu: &[u8],
    index: &[u8],
    alg: AlgorithmeEmpreinte,
) -> Result<Vec<u8>> {
    let (f, _) = champs_signataire(si)?;
    let mut h = super::signer::Hasher::new(alg);
    h.update(c.type_contenu);
    h.update(hash_contenu);
    for x in &f {
        h.update(x.tlv);
    }
    h.update(index);
    Ok(h.finish())
}

/// What [`preparer`] keeps for [`finir`]: the signature and the index the token carries.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub(crate) struct EtatCades {
    #[schemars(with = "String")]
    #[serde(with = "super::base64_serde")]
    cms: Vec<u8>,
    #[schemars(with = "String")]
    #[serde(with = "super::base64_serde")]
    index_archive: Vec<u8>,
}

/// The hash of the signed content: the eContent, else what `detache` gives.
fn hash_contenu(
    c: &Champs<'_>,
    alg: AlgorithmeEmpreinte,
    detache: &mut dyn FnMut(AlgorithmeEmpreinte) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    match c.contenu()? {
        Some(e) => Ok(alg.hash(e)),
        None => detache(alg),
    }
}

/// B-LTA, first step: the imprint of an archive-time-stamp-v3 for the first signer.
pub(crate) fn preparer(
    signe: &[u8],
    alg: AlgorithmeEmpreinte,
    detache: &mut dyn FnMut(AlgorithmeEmpreinte) -> Result<Vec<u8>>,
) -> Result<(Vec<u8>, EtatCades)> {
    let cms = Cms::lire(signe)?;
    let c = cms.champs()?;
    let sis = c.signer_infos()?;
    let si = sis.first().ok_or_else(|| malforme("aucun signataire"))?;
    let index = index_v3(&c, si, alg)?;
    let hc = hash_contenu(&c, alg, detache)?;
    let empreinte = empreinte_archive(&c, si, &hc, &index, alg)?;
    Ok((
        empreinte,
        EtatCades {
            cms: cms.der.clone(),
            index_archive: index,
        },
    ))
}

/// An attribute `oid` with one value (encoded).
fn attribut(oid: &der::asn1::ObjectIdentifier, valeur: &[u8]) -> Result<Vec<u8>> {
    let o = oid.to_der().map_err(asn1::der_err)?;
    Ok(element(
        0x30,
        &concat([o.as_slice(), &element(0x31, valeur)]),
    ))
}

/// A SignerInfo with one more unsigned attribute (appended: the others keep their bytes).
fn ajouter_attribut(si: &Brut<'_>, attr: &[u8]) -> Result<Vec<u8>> {
    let (f, non_signes) = champs_signataire(si)?;
    let mut attrs = non_signes.map(|b| b.contenu.to_vec()).unwrap_or_default();
    attrs.extend_from_slice(attr);
    let mut corps = concat(f.iter().map(|b| b.tlv));
    corps.extend(element(0xA1, &attrs));
    Ok(element(0x30, &corps))
}

/// B-LTA, second step: the token gets its ats-hash-index-v3, then becomes the signer's
/// archive-time-stamp-v3.
pub(crate) fn finir(etat: &EtatCades, jeton: &[u8]) -> Result<Vec<u8>> {
    let jeton = Cms::lire(jeton)?;
    let tj = jeton.champs()?;
    let tsis = tj.signer_infos()?;
    let tsi = tsis
        .first()
        .ok_or_else(|| Erreur::new(CodeErreur::HorodatageInvalide, "jeton sans signataire"))?;
    let index_attr = attribut(&asn1::OID_ATS_HASH_INDEX_V3, &etat.index_archive)?;
    let tsi = ajouter_attribut(tsi, &index_attr)?;
    let jeton = tj.reecrire(
        tj.version.tlv,
        &Champs::liste(tj.certificats)?
            .iter()
            .map(|b| b.tlv.to_vec())
            .collect::<Vec<_>>(),
        &Champs::liste(tj.crls)?
            .iter()
            .map(|b| b.tlv.to_vec())
            .collect::<Vec<_>>(),
        &[tsi],
    )?;
    let cms = Cms {
        der: etat.cms.clone(),
    };
    let c = cms.champs()?;
    let mut sis: Vec<Vec<u8>> = c.signer_infos()?.iter().map(|b| b.tlv.to_vec()).collect();
    let premier = sis.first().ok_or_else(|| malforme("aucun signataire"))?;
    let (b, _) = tlv(premier).ok_or_else(|| malforme("SignerInfo illisible"))?;
    let nouveau = ajouter_attribut(&b, &attribut(&asn1::OID_ARCHIVE_TIMESTAMP_V3, &jeton)?)?;
    if let Some(s) = sis.first_mut() {
        *s = nouveau;
    }
    let l = |x: Option<Brut<'_>>| -> Result<Vec<Vec<u8>>> {
        Ok(Champs::liste(x)?.iter().map(|b| b.tlv.to_vec()).collect())
    };
    c.reecrire(c.version.tlv, &l(c.certificats)?, &l(c.crls)?, &sis)
}

/// One archive timestamp of a signer, checked.
#[derive(Debug)]
pub(crate) struct Archive {
    pub check: super::verification_cms::TimestampCheck,
}

/// Hash algorithms the archive timestamps of a detached signature need of the content
/// (to read a detached file once).
pub(crate) fn algorithmes_archive(signe: &[u8]) -> Vec<AlgorithmeEmpreinte> {
    let Ok(cms) = Cms::lire(signe) else {
        return vec![];
    };
    let Ok(c) = cms.champs() else { return vec![] };
    let mut out = vec![];
    for si in c.signer_infos().unwrap_or_default() {
        for (jeton, _) in jetons_archive(&si) {
            if let Ok(tst) = super::cms::decode_tst_info(&jeton)
                && let Ok(a) =
                    AlgorithmeEmpreinte::from_oid(&tst.message_imprint.hash_algorithm.oid)
                && !out.contains(&a)
            {
                out.push(a);
            }
        }
    }
    out
}

/// The archive timestamp tokens of a signer, each with the OID of its attribute.
fn jetons_archive(si: &Brut<'_>) -> Vec<(Vec<u8>, der::asn1::ObjectIdentifier)> {
    let mut out = vec![];
    for (_, t, vals) in attributs_non_signes(si).unwrap_or_default() {
        let Ok(oid) = der::Decode::from_der(t) else {
            continue;
        };
        if [
            asn1::OID_ARCHIVE_TIMESTAMP_V3,
            asn1::OID_ARCHIVE_TIMESTAMP_V2,
            asn1::OID_ARCHIVE_TIMESTAMP_V1,
        ]
        .contains(&oid)
        {
            for v in vals {
                out.push((v.tlv.to_vec(), oid));
            }
        }
    }
    out
}

/// The hash index a token carries: (whole-attribute semantics of TS 101 733, index).
fn index_du_jeton(jeton: &[u8]) -> Option<(bool, Vec<u8>)> {
    let cms = Cms::lire(jeton).ok()?;
    let c = cms.champs().ok()?;
    let sis = c.signer_infos().ok()?;
    let si = sis.first()?;
    for (_, t, vals) in attributs_non_signes(si).ok()? {
        let oid: der::asn1::ObjectIdentifier = der::Decode::from_der(t).ok()?;
        let ancien = oid == asn1::OID_ATS_HASH_INDEX;
        if ancien || oid == asn1::OID_ATS_HASH_INDEX_V3 {
            return Some((ancien, vals.first()?.tlv.to_vec()));
        }
    }
    None
}

/// Every hash of the index is of an element the signature still holds (5.5.2: added
/// elements are allowed, removed ones are not).
fn controler_index(c: &Champs<'_>, si: &Brut<'_>, ancien: bool, index: &[u8]) -> Result<()> {
    let bad = |m: &str| Erreur::new(CodeErreur::IndexArchiveIncorrect, m.to_string());
    let (i, _) = tlv(index).ok_or_else(|| bad("index illisible"))?;
    let mut p = enfants(i.contenu).map_err(|_| bad("index illisible"))?;
    let alg = if p.len() == 4 {
        let a = p.remove(0);
        let id: spki::AlgorithmIdentifierOwned =
            der::Decode::from_der(a.tlv).map_err(|_| bad("algorithme de l'index illisible"))?;
        AlgorithmeEmpreinte::from_oid(&id.oid)?
    } else {
        AlgorithmeEmpreinte::Sha256
    };
    let [certs_i, crls_i, attrs_i] = p.as_slice() else {
        return Err(bad("index illisible"));
    };
    let hashes = |l: &[&[u8]]| -> Vec<Vec<u8>> { l.iter().map(|x| alg.hash(x)).collect() };
    let certs = Champs::liste(c.certificats)?;
    let crls = Champs::liste(c.crls)?;
    let attrs: Vec<Vec<u8>> = if ancien {
        attributs_non_signes(si)?
            .iter()
            .map(|(a, _, _)| alg.hash(a))
            .collect()
    } else {
        valeurs_non_signees(si)?
            .iter()
            .map(|(t, v)| alg.hash(&concat([*t, *v])))
            .collect()
    };
    for (liste, connus, quoi) in [
        (
            certs_i,
            hashes(&certs.iter().map(|b| b.tlv).collect::<Vec<_>>()),
            "certificat",
        ),
        (
            crls_i,
            hashes(&crls.iter().map(|b| b.tlv).collect::<Vec<_>>()),
            "révocation",
        ),
        (attrs_i, attrs, "attribut non signé"),
    ] {
        for h in enfants(liste.contenu).map_err(|_| bad("index illisible"))? {
            if !connus.iter().any(|k| k.as_slice() == h.contenu) {
                return Err(bad(&format!(
                    "l'index de l'horodatage d'archive nomme un {quoi} absent de la signature"
                )));
            }
        }
    }
    Ok(())
}

/// The archive timestamps of signer `rang`, each checked: an archive-time-stamp-v3 has
/// its imprint recomputed with the index it carries; older forms are INDÉTERMINÉ.
pub(crate) fn verifier_archives(
    signe: &[u8],
    rang: usize,
    detache: &mut dyn FnMut(AlgorithmeEmpreinte) -> Result<Vec<u8>>,
) -> Result<Vec<Archive>> {
    let cms = Cms::lire(signe)?;
    let c = cms.champs()?;
    let sis = c.signer_infos()?;
    let Some(si) = sis.get(rang) else {
        return Ok(vec![]);
    };
    let mut out = vec![];
    for (jeton, oid) in jetons_archive(si) {
        let mut check = if oid != asn1::OID_ARCHIVE_TIMESTAMP_V3 {
            super::verification_cms::check_timestamp_digest(&jeton, &mut |_| vec![])
        } else {
            let index = index_du_jeton(&jeton);
            let mut erreur = None;
            let mut calcul = |alg: AlgorithmeEmpreinte| -> Vec<u8> {
                let r = index
                    .as_ref()
                    .ok_or_else(|| {
                        Erreur::new(
                            CodeErreur::HorodatageIndetermine,
                            "horodatage d'archive v3 sans ats-hash-index",
                        )
                    })
                    .and_then(|(_, ix)| {
                        let hc = hash_contenu(&c, alg, detache)?;
                        empreinte_archive(&c, si, &hc, ix, alg)
                    });
                r.unwrap_or_else(|e| {
                    erreur = Some(e);
                    vec![]
                })
            };
            let mut t = super::verification_cms::check_timestamp_digest(&jeton, &mut calcul);
            if let Some(e) = erreur {
                t.valid = Err(e);
            } else if let Err(e) = &t.valid
                && e.code() == CodeErreur::HorodatageInvalide
                && e.message().contains("ne porte pas")
            {
                t.valid = Err(Erreur::new(
                    CodeErreur::HorodatageArchiveIncorrect,
                    "l'empreinte de l'horodatage d'archive v3 ne correspond pas (EN 319 122-1, 5.5.3)",
                ));
            } else if t.valid.is_ok()
                && let Some((ancien, ix)) = &index
            {
                t.valid = controler_index(&c, si, *ancien, ix);
            }
            t
        };
        if oid != asn1::OID_ARCHIVE_TIMESTAMP_V3 {
            check.valid = Err(Erreur::new(
                CodeErreur::HorodatageIndetermine,
                format!("horodatage d'archive {oid} (CAdES-A de TS 101 733) non pris en charge"),
            ));
        }
        out.push(Archive { check });
    }
    Ok(out)
}

/// Whether a signer carries validation data: revocation values in the SignedData or the
/// certificate and revocation values attributes of CAdES-XL.
pub(crate) fn porte_donnees_validation(signe: &[u8]) -> bool {
    let Ok(sd) = super::verification_cms::lire_signed_data(signe) else {
        return false;
    };
    !sd.crls.is_empty() || !sd.ocsps.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::{self, DonneesSignees, OptionsSignature, Signataire};

    fn lire(f: &str) -> Vec<u8> {
        let v = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/signature/");
        std::fs::read(format!("{v}{f}")).unwrap_or_default()
    }

    fn p7s() -> Vec<u8> {
        let texte = |f: &str| String::from_utf8(lire(f)).unwrap_or_default();
        let s = Signataire::from_pem(&texte("signataire.key"), &texte("signataire.pem"));
        let date = chrono::DateTime::parse_from_rfc3339("2027-01-15T10:00:00Z")
            .map(|d| d.to_utc())
            .unwrap_or_default();
        s.and_then(|s| {
            signature::signer(
                signature::FormatSignature::CAdES,
                DonneesSignees::Octets(b"offre"),
                &s,
                &OptionsSignature::new(date),
            )
        })
        .unwrap_or_default()
    }

    /// The index of a B-LT signature, checked against the same signature, one with more
    /// data (allowed) and one whose indexed CRL is gone (refused).
    #[test]
    fn index_archive_elements_ajoutes_ou_retires() -> Result<()> {
        let bb = p7s();
        let crl = DonneesValidation {
            crls: vec![lire("crl.der")],
            ..Default::default()
        };
        let lt = ajouter_donnees(&bb, &crl)?;
        let cms = Cms::lire(&lt)?;
        let c = cms.champs()?;
        let sis = c.signer_infos()?;
        let si = sis.first().ok_or_else(|| malforme("signataire"))?;
        let index = index_v3(&c, si, AlgorithmeEmpreinte::Sha256)?;
        controler_index(&c, si, false, &index)?;
        // More data afterwards: the index still holds.
        let plus = ajouter_donnees(
            &lt,
            &DonneesValidation {
                reponses_ocsp: vec![vec![0x30, 0x00]],
                ..Default::default()
            },
        )?;
        let cms_plus = Cms::lire(&plus)?;
        let cp = cms_plus.champs()?;
        // version 5 once an `other` revocation value is present (RFC 5652, 5.1).
        assert_eq!(cp.version.tlv, [0x02, 0x01, 0x05]);
        let sp = cp.signer_infos()?;
        let sip = sp.first().ok_or_else(|| malforme("signataire"))?;
        // The SignerInfo is kept byte for byte.
        assert_eq!(sip.tlv, si.tlv);
        controler_index(&cp, sip, false, &index)?;
        // The indexed CRL removed: refused, typed.
        let cms_bb = Cms::lire(&bb)?;
        let cb = cms_bb.champs()?;
        let sb = cb.signer_infos()?;
        let sib = sb.first().ok_or_else(|| malforme("signataire"))?;
        let e = controler_index(&cb, sib, false, &index).err();
        assert_eq!(e.map(|e| e.code()), Some(CodeErreur::IndexArchiveIncorrect));
        // The imprint depends on the content's hash.
        let a = empreinte_archive(&c, si, b"x", &index, AlgorithmeEmpreinte::Sha256)?;
        let b = empreinte_archive(&c, si, b"y", &index, AlgorithmeEmpreinte::Sha256)?;
        assert_ne!(a, b);
        Ok(())
    }
}
