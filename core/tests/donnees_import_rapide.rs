//! The fast import paths give exactly what the plain ones give: records parsed in place in
//! the read buffer (across its 1 MB refills, with the slow path for broken records), and
//! holders indexed in one sorted pass at the end of a file import.

use std::io::Read;

use chrono::NaiveDate;
use mpe::CodeErreur;
use mpe::donnees::{ActionRapport, ElementDecp, Entrepot, LecteurDecp, OptionsImport, Recherche};
use proptest::prelude::*;

fn options() -> OptionsImport {
    OptionsImport::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
}

/// A valid SIRET (Luhn) from a SIREN-like prefix and an establishment number.
fn siret(siren: u32, nic: u32) -> String {
    let base = format!("{siren:09}{nic:04}");
    for d in 0..10 {
        let s = format!("{base}{d}");
        if mpe::donnees::siret_valide(&s) {
            return s;
        }
    }
    unreachable!()
}

/// About 2.5 MB of records (so that some straddle the reader's 1 MB blocks), holders
/// shared between records and SIRENs shared between establishments, a few broken records.
fn fichier(n: u32) -> String {
    let mut s = String::from("{\"marches\": {\"marche\": [\n");
    for i in 0..n {
        if i > 0 {
            s.push_str(",\n");
        }
        let t1 = siret(100_000 + i % 37, i % 3);
        let t2 = siret(200_000 + i % 11, 7);
        let tits = if i % 4 == 0 {
            format!(
                "[{{\"typeIdentifiant\": \"SIRET\", \"id\": \"{t1}\", \"denominationSociale\": \"Société {}\"}}, {{\"id\": \"{t2}\"}}]",
                i % 5
            )
        } else {
            format!("[{{\"titulaire\": {{\"typeIdentifiant\": \"SIRET\", \"id\": \"{t1}\"}}}}]")
        };
        // A raw control character (slow path, repaired) and a tab in a key's value.
        let objet = if i % 97 == 0 {
            format!("Travaux\u{1}de voirie n°{i}")
        } else {
            format!(
                "Entretien des espaces verts, lot {i} — {}",
                "é".repeat((i % 50) as usize)
            )
        };
        s.push_str(&format!(
            "{{\"id\": \"2024-{i:05}\", \"acheteur\": {{\"id\": \"{}\"}}, \"nature\": \"Marché\", \"objet\": \"{objet}\", \"codeCPV\": \"45233140-2\", \"procedure\": \"Procédure adaptée\", \"montant\": {}, \"dateNotification\": \"2024-0{}-1{}\", \"dureeMois\": 12, \"titulaires\": {tits}, \"padding\": \"{}\"}}",
            siret(300_000 + i % 13, 1),
            1000 + i,
            1 + i % 9,
            i % 10,
            "x".repeat(300)
        ));
    }
    s.push_str("\n, {\"id\": \"tronqué\", \"acheteur\": {\"id\": ");
    s
}

/// A reader that hands out 7 bytes at a time.
struct Goutte(std::io::Cursor<Vec<u8>>);

impl Read for Goutte {
    fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
        let n = b.len().min(7);
        self.0.read(&mut b[..n])
    }
}

fn elements(r: Box<dyn Read + Send>) -> Vec<ElementDecp> {
    LecteurDecp::depuis_lecteur(r, options())
        .unwrap()
        .collect::<mpe::Result<Vec<_>>>()
        .unwrap()
}

#[test]
fn lecture_en_place_comme_lecture_octet_par_octet() {
    let f = fichier(6000);
    assert!(f.len() > 2 << 20);
    let a = elements(Box::new(std::io::Cursor::new(f.clone().into_bytes())));
    let b = elements(Box::new(Goutte(std::io::Cursor::new(f.into_bytes()))));
    assert_eq!(a.len(), 6001);
    assert_eq!(a, b);
    // The broken records took the slow path: repaired (control character), or rejected
    // (truncated end), nothing lost.
    let repares = a
        .iter()
        .filter(|e| match e {
            ElementDecp::Contrat { entrees, .. } => entrees
                .iter()
                .any(|x| x.detail.starts_with("caractères de contrôle")),
            ElementDecp::Rejet(_) => false,
        })
        .count();
    assert_eq!(repares, 6000usize.div_ceil(97));
    assert!(matches!(a.last(), Some(ElementDecp::Rejet(r)) if r.detail.contains("tronqué")));
}

fn requetes() -> Vec<Recherche> {
    let mut v = Vec::new();
    for k in 0..37 {
        for nic in 0..3 {
            v.push(siret(100_000 + k, nic));
        }
        v.push(format!("{:09}", 100_000 + k));
    }
    for k in 0..11 {
        v.push(siret(200_000 + k, 7));
        v.push(format!("{:09}", 200_000 + k));
    }
    v.push("société".into());
    v.into_iter()
        .map(|q| Recherche {
            attributaire: Some(q),
            limite: 1000,
            ..Default::default()
        })
        .collect()
}

#[test]
fn index_differe_comme_index_immediat() {
    let f = fichier(3000);
    // A store filled by `importer` (holders indexed at the end), twice (the second import
    // extends the lists: duplicates merged, new records after the old ones)...
    let mut differe = Entrepot::new();
    let premier = f.replace("2024-0", "2023-0");
    for texte in [&premier, &f] {
        let l = LecteurDecp::depuis_lecteur(
            Box::new(std::io::Cursor::new(texte.clone().into_bytes())),
            options(),
        )
        .unwrap();
        differe.importer(l).unwrap();
    }
    // ... and one filled record by record.
    let mut immediat = Entrepot::new();
    for texte in [&premier, &f] {
        for el in elements(Box::new(std::io::Cursor::new(texte.clone().into_bytes()))) {
            if let ElementDecp::Contrat { contrat, .. } = el {
                immediat.ajouter(&contrat);
            }
        }
    }
    assert_eq!(differe.len(), immediat.len());
    let mut non_vides = 0;
    for r in requetes() {
        let a = differe.rechercher(&r);
        let b = immediat.rechercher(&r);
        assert_eq!(a, b, "{:?}", r.attributaire);
        non_vides += usize::from(a.total > 0);
    }
    assert_eq!(non_vides, requetes().len());
    // Saved and reloaded (indexes rebuilt the deferred way): the same answers.
    let mut buf = Vec::new();
    differe.enregistrer(&mut buf).unwrap();
    let relu = Entrepot::charger(&buf[..]).unwrap();
    for r in requetes() {
        assert_eq!(relu.rechercher(&r), immediat.rechercher(&r));
    }
}

/// A small XML file of the 2019 format, three records.
fn fichier_xml() -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<marches>\n");
    for i in 0..3 {
        s.push_str(&format!(
            "<marche><id>2024-{i}</id><acheteur><id>{}</id></acheteur><nature>Marché</nature><objet>Voirie &amp; réseaux {i}</objet><codeCPV>45233140-2</codeCPV><montant>{}</montant><dateNotification>2024-03-1{i}</dateNotification><titulaires><titulaire><typeIdentifiant>SIRET</typeIdentifiant><id>{}</id></titulaire></titulaires></marche>\n",
            siret(300_000 + i, 1),
            1000 + i,
            siret(100_000 + i, 2)
        ));
    }
    s.push_str("</marches>\n");
    s
}

/// `base` with bytes changed, inserted, removed or cut anywhere (bytes that matter to JSON
/// and XML drawn more often than the others).
fn abimer(base: String, ops: Vec<(usize, prop::sample::Index, u8)>) -> Vec<u8> {
    let mut o = base.into_bytes();
    const CHOIX: &[u8] = b"\"\\{}[],:0123456789.eE+-tfnu \x01\x7f\xc3\xa9\xff<>/&;";
    for (op, ix, x) in ops {
        if o.is_empty() {
            break;
        }
        let i = ix.index(o.len());
        let c = if x % 2 == 0 {
            CHOIX[usize::from(x / 2) % CHOIX.len()]
        } else {
            x
        };
        match op {
            0 => o[i] = c,
            1 => o.insert(i, c),
            2 => {
                o.remove(i);
            }
            _ => o.truncate(i),
        }
    }
    o
}

/// The import of `o` never panics and never stops on a record: each item is a contract or
/// a rejection with its reason, at a byte offset inside the file; only a file that is not
/// JSON or XML at all is refused as a whole.
fn lu_sans_panique_ni_perte(o: Vec<u8>) -> std::result::Result<(), TestCaseError> {
    let taille = o.len() as u64;
    let l = match LecteurDecp::depuis_lecteur(Box::new(std::io::Cursor::new(o)), options()) {
        Ok(l) => l,
        Err(e) => {
            prop_assert_eq!(e.code(), CodeErreur::DecpFormatInconnu);
            return Ok(());
        }
    };
    for (n, el) in l.enumerate() {
        // Each item consumes bytes of the file: more items than bytes is a loop.
        prop_assert!((n as u64) <= taille, "plus d'éléments que d'octets");
        match el {
            Ok(ElementDecp::Contrat { contrat, .. }) => prop_assert!(!contrat.id.is_empty()),
            Ok(ElementDecp::Rejet(r)) => {
                prop_assert_eq!(r.action, ActionRapport::Rejet);
                prop_assert!(!r.detail.is_empty());
                prop_assert!(r.octet <= taille);
            }
            Err(e) => prop_assert_eq!(e.code(), CodeErreur::DecpFormatInconnu),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn json_abime_lu_sans_panique_ni_perte(
        ops in prop::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        lu_sans_panique_ni_perte(abimer(fichier(8), ops))?;
    }

    #[test]
    fn xml_abime_lu_sans_panique_ni_perte(
        ops in prop::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        lu_sans_panique_ni_perte(abimer(fichier_xml(), ops))?;
    }
}
