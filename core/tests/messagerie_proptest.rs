//! Hostile inputs never panic: pasted addresses, attachment names, subjects and bodies.

use mpe::messagerie::*;
use proptest::prelude::*;
use rand::SeedableRng;

fn demande() -> DemandeEnvoi {
    serde_json::from_str(include_str!("../../tests/vectors/messagerie/demande.json")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn pasted_addresses(texte in "\\PC{0,200}|[a-zA-Zé0-9@.,; <>\\-_\n]{0,120}") {
        if let Ok(l) = analyser_destinataires(&texte) {
            for a in l {
                prop_assert!(a.ascii.is_ascii());
                prop_assert!(a.ascii.len() <= 254);
                // Validation is stable: the display form validates to the same address.
                prop_assert_eq!(Adresse::analyser(&a.email).unwrap(), a);
            }
        }
    }

    #[test]
    fn attachment_names(nom in "\\PC{0,300}|[\\x00-\\x7f]{0,50}") {
        let n = nom_sur(&nom);
        prop_assert!(!n.is_empty() && n.len() <= 200);
        prop_assert!(!n.contains(['/', '\\', '<', '>', ':', '"', '|', '?', '*']));
        prop_assert!(!n.chars().any(char::is_control));
        prop_assert!(!n.ends_with('.') && !n.ends_with(' '));
        prop_assert_eq!(nom_sur(&n), n.clone());
    }

    #[test]
    fn subjects_and_bodies(objet in "\\PC{1,300}", corps in "(\\PC|\n|\r|\t){1,400}") {
        let mut d = demande();
        d.courrier.objet = objet;
        d.courrier.corps = corps;
        match preparer_envoi(&d, &mut rand::rngs::StdRng::seed_from_u64(1)) {
            Ok(e) => {
                for m in e.messages {
                    prop_assert!(m.mime.is_ascii());
                    let t = String::from_utf8(m.mime).unwrap();
                    prop_assert!(!t.replace("\r\n", "").contains('\n'));
                    prop_assert!(t.split("\r\n").all(|l| l.len() <= 998));
                }
            }
            Err(e) => prop_assert!(e.code().code() >= 100),
        }
    }
}
