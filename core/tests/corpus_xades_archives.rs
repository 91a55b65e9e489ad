//! The archive timestamps of real XAdES files of the shared corpus: found, and their
//! imprint recomputed as ETSI EN 319 132-1 5.5.2 says matches the producer's token. No
//! trust anchor is given: each token is judged for its imprint and its signature. A
//! covered property changed makes the timestamp fail (EN 319 132-1 / 1.4.1: INVALIDE;
//! the older XAdES 1.3.2 form: INDÉTERMINÉ), never the signature itself.

use std::path::Path;

use mpe::signature::{self, OptionsVerification, RapportSignature, SousIndication, Statut};

mod corpus_commun;
use corpus_commun::corpus;

fn lire(chemin: &str) -> Vec<u8> {
    std::fs::read(Path::new(&corpus()).join(chemin)).unwrap_or_else(|e| panic!("{chemin} : {e}"))
}

fn signature_de(xml: &[u8]) -> RapportSignature {
    let r = signature::verifier(xml, None, &OptionsVerification::default()).unwrap();
    assert_eq!(r.signatures.len(), 1);
    r.signatures[0].clone()
}

/// A newline inside the first certificate of CertificateValues: its base64 still decodes,
/// its canonical form (covered by the archive timestamp) differs.
fn alterer(xml: &[u8]) -> Vec<u8> {
    let t = String::from_utf8(xml.to_vec()).unwrap();
    let i = t.find("CertificateValues").unwrap();
    let j = i + t[i..].find("EncapsulatedX509Certificate").unwrap();
    let k = j + t[j..].find('>').unwrap() + 1;
    format!("{}\n{}", &t[..k], &t[k..]).into_bytes()
}

#[test]
fn horodatages_d_archive_reels() {
    for (chemin, forme_ancienne) in [
        (
            "signatures/xades/signxml/xades-with-multiple-archivetimestamps.xml",
            false,
        ),
        (
            "signatures/xades/signxml/nonconformant-sellosFNMT-XAdES_A.xml",
            true,
        ),
    ] {
        let xml = lire(chemin);
        let s = signature_de(&xml);
        assert_eq!(s.horodatages_archive.len(), 1, "{chemin}");
        let h = &s.horodatages_archive[0];
        assert!(h.valide && h.statut == Statut::Valide, "{chemin} : {h:?}");
        assert!(h.date.is_some() && h.autorite.is_some(), "{chemin}");
        // Without anchors the archive timestamp proves nothing: the verdict is unchanged.
        assert_eq!(s.statut, Statut::Indetermine, "{chemin}");

        let altere = signature_de(&alterer(&xml));
        let h = &altere.horodatages_archive[0];
        assert!(!h.valide, "{chemin}");
        if forme_ancienne {
            assert_eq!(h.statut, Statut::Indetermine, "{chemin} : {h:?}");
        } else {
            assert_eq!(h.statut, Statut::Invalide, "{chemin} : {h:?}");
            assert_eq!(h.sous_indication, Some(SousIndication::HashFailure));
        }
        assert_eq!(altere.statut, s.statut, "{chemin} : {:?}", altere.raison);
    }
}
