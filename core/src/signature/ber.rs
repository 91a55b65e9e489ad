//! BER to DER lengths for CMS SignedData read in memory (`.p7m` from `openssl cms -stream`,
//! Java and .NET signers): indefinite lengths become definite, constructed OCTET STRINGs
//! (chunks) become one primitive string. Element order is kept: the signed attributes are
//! then exactly what the signer hashed when it followed RFC 5652, 5.4.
//!
//! Bounded: nesting depth, and each element's length checked against the input.

use crate::{CodeErreur, Erreur, Result};

const PROFONDEUR_MAX: usize = 64;

fn malforme(m: &str) -> Erreur {
    Erreur::new(CodeErreur::SignatureMalformee, format!("BER : {m}"))
}

/// The first element of `data` with definite lengths.
pub(crate) fn en_der(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let (_, _) = element(data, 0, &mut out)?;
    Ok(out)
}

/// Tag bytes (low-tag and high-tag forms), constructed bit, and the rest.
fn tag(data: &[u8]) -> Result<(&[u8], bool, &[u8])> {
    let first = *data.first().ok_or_else(|| malforme("tronqué"))?;
    let mut n = 1;
    if first & 0x1f == 0x1f {
        loop {
            let b = *data.get(n).ok_or_else(|| malforme("étiquette tronquée"))?;
            n += 1;
            if b & 0x80 == 0 {
                break;
            }
            if n > 6 {
                return Err(malforme("étiquette trop longue"));
            }
        }
    }
    Ok((
        data.get(..n).unwrap_or_default(),
        first & 0x20 != 0,
        data.get(n..).unwrap_or_default(),
    ))
}

/// Length: `None` for indefinite.
fn longueur(data: &[u8]) -> Result<(Option<usize>, &[u8])> {
    let first = *data.first().ok_or_else(|| malforme("longueur absente"))?;
    let rest = data.get(1..).unwrap_or_default();
    if first < 0x80 {
        return Ok((Some(usize::from(first)), rest));
    }
    if first == 0x80 {
        return Ok((None, rest));
    }
    let n = usize::from(first & 0x7f);
    if n > 4 {
        return Err(malforme("longueur trop grande"));
    }
    let bytes = rest.get(..n).ok_or_else(|| malforme("longueur tronquée"))?;
    let len = bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b));
    Ok((Some(len), rest.get(n..).unwrap_or_default()))
}

fn ecrire_longueur(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let significant = bytes.get(skip..).unwrap_or_default();
    out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0));
    out.extend_from_slice(significant);
}

/// Write one element of `data` as DER lengths into `out`; returns what follows it and
/// whether it was an end-of-contents marker.
fn element<'a>(data: &'a [u8], profondeur: usize, out: &mut Vec<u8>) -> Result<(&'a [u8], bool)> {
    if profondeur > PROFONDEUR_MAX {
        return Err(malforme("imbrication trop profonde"));
    }
    let (t, constructed, rest) = tag(data)?;
    let (len, rest) = longueur(rest)?;
    if t == [0x00] {
        if len != Some(0) {
            return Err(malforme("fin de contenu mal formée"));
        }
        return Ok((rest, true));
    }
    if !constructed {
        let len = len.ok_or_else(|| malforme("longueur indéfinie sur un type primitif"))?;
        let value = rest.get(..len).ok_or_else(|| malforme("élément tronqué"))?;
        out.extend_from_slice(t);
        ecrire_longueur(len, out);
        out.extend_from_slice(value);
        return Ok((rest.get(len..).unwrap_or_default(), false));
    }
    // Constructed: normalise the children, then write the header.
    let (mut contenu, apres) = match len {
        Some(l) => (
            rest.get(..l).ok_or_else(|| malforme("élément tronqué"))?,
            Some(rest.get(l..).unwrap_or_default()),
        ),
        None => (rest, None),
    };
    let octets = t == [0x24];
    let mut inner = Vec::new();
    loop {
        if len.is_some() && contenu.is_empty() {
            break;
        }
        if len.is_none() && contenu.is_empty() {
            return Err(malforme("fin de contenu manquante"));
        }
        let mut child = Vec::new();
        let (r, eoc) = element(contenu, profondeur + 1, &mut child)?;
        contenu = r;
        if eoc {
            if len.is_some() {
                return Err(malforme("fin de contenu dans une longueur définie"));
            }
            break;
        }
        if octets {
            // A chunk of a constructed OCTET STRING: its value bytes only.
            let (ct, _, r) = tag(&child)?;
            if ct != [0x04] {
                return Err(malforme("fragment d'OCTET STRING invalide"));
            }
            let (_, v) = longueur(r)?;
            inner.extend_from_slice(v);
        } else {
            inner.extend_from_slice(&child);
        }
    }
    if octets {
        out.push(0x04);
    } else {
        out.extend_from_slice(t);
    }
    ecrire_longueur(inner.len(), out);
    out.extend_from_slice(&inner);
    Ok((apres.unwrap_or(contenu), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefini_et_morceaux_deviennent_der() {
        // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { "ab", "c" } }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00,
            0x00, 0xff,
        ];
        assert_eq!(
            en_der(&ber).unwrap(),
            vec![0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']
        );
        // Already DER: unchanged.
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(en_der(&der).unwrap(), der.to_vec());
    }

    #[test]
    fn entrees_hostiles() {
        for bad in [
            &[0x30, 0x80][..],
            &[0x30, 0x85, 1, 2, 3, 4, 5],
            &[0x04, 0x80, 0x00, 0x00],
            &[0x30, 0x02, 0x00, 0x00],
            &[0x24, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00],
            &[],
        ] {
            assert_eq!(
                en_der(bad).unwrap_err().code(),
                CodeErreur::SignatureMalformee,
                "{bad:?}"
            );
        }
        let mut deep = vec![];
        for _ in 0..100 {
            deep.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(en_der(&deep).is_err());
    }
}
