//! Streamed DECP import: official examples of both formats, repairs of real defects, the
//! report, merging, search and the store file.
#![allow(clippy::unwrap_used)]

mod donnees_commun;

use std::path::PathBuf;

use donnees_commun::*;
use mpe::CodeErreur;
use mpe::donnees::*;

fn vecteur(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/donnees")
        .join(p)
}

fn options() -> OptionsImport {
    OptionsImport::new(jour(2026, 1, 1))
}

fn lire(octets: &[u8]) -> mpe::Result<(Vec<Contrat>, RapportImport)> {
    let l =
        LecteurDecp::depuis_lecteur(Box::new(std::io::Cursor::new(octets.to_vec())), options())?;
    let mut rapport = RapportImport {
        format: Some(l.format()),
        ..Default::default()
    };
    let mut v = Vec::new();
    for el in l {
        let el = el?;
        rapport.compter(&el);
        if let ElementDecp::Contrat { contrat, .. } = el {
            v.push(*contrat);
        }
    }
    Ok((v, rapport))
}

#[test]
fn exemples_officiels_des_deux_formats() {
    let attendus = [
        ("decp-v1/exemples/json/paquet.json", 2),
        ("decp-v1/exemples/xml/paquet.xml", 4),
        ("decp-v1/exemples/json/mar-avec-modifications.json", 1),
        ("decp-v1/exemples/xml/cc-avec-modifications.xml", 1),
        ("decp-v2/exemples/json/marches_concessions.json", 4),
        ("decp-v2/exemples/xml/Marche.xml", 2),
        (
            "decp-v2/exemples/xml/Contrat-concession-modification.xml",
            2,
        ),
    ];
    for (f, n) in attendus {
        let mut vus = Vec::new();
        let r = importer_decp(&vecteur(f), options(), |c| vus.push(c)).unwrap();
        assert_eq!((r.lus, r.importes, r.rejetes), (n, n, 0), "{f}");
        assert_eq!(vus.len() as u64, n);
        assert!(
            vus.iter()
                .all(|c| !c.id.is_empty() && c.acheteur.id.len() == 14 && !c.titulaires.is_empty()),
            "{f}"
        );
    }
    // 2019: formePrix becomes typesPrix, modifications give the current state.
    let mut v = Vec::new();
    importer_decp(
        &vecteur("decp-v1/exemples/xml/mar-avec-modifications.xml"),
        options(),
        |c| v.push(c),
    )
    .unwrap();
    let c = &v[0];
    assert_eq!(c.type_contrat, TypeContrat::AccordCadreMultiAttributaire);
    assert_eq!(c.types_prix, vec!["Définitif actualisable"]);
    assert_eq!(c.modifications.len(), 3);
    let e = c.etat_actuel();
    assert_eq!(e.duree_mois, Some(30));
    // Modifications apply in notification order: the 2008-07-20 one comes last.
    assert_eq!(e.titulaires[1].id, "87127639200012");
    // 2022 concession with tariffs.
    let mut v = Vec::new();
    importer_decp(
        &vecteur("decp-v2/exemples/json/marches_concessions.json"),
        options(),
        |c| v.push(c),
    )
    .unwrap();
    let cc = v
        .iter()
        .find(|c| c.categorie == CategorieContrat::Concession)
        .unwrap();
    assert_eq!(cc.donnees_execution[0].tarifs.len(), 2);
    assert_eq!(cc.titulaires.len(), 2);
    assert_eq!(cc.etat_actuel().montant, Some(25.0));
}

#[test]
fn donnees_sales_reparees_et_rapportees() {
    let mut e = Entrepot::new();
    let r = e
        .importer(LecteurDecp::ouvrir(&vecteur("sale-2019.json"), options()).unwrap())
        .unwrap();
    assert_eq!((r.lus, r.importes, r.rejetes, r.doublons), (6, 4, 2, 1));
    assert_eq!(e.len(), 3);
    let a = |enr: u64, champ: &str, mot: &str| {
        assert!(
            r.entrees
                .iter()
                .any(|x| x.enregistrement == enr && x.champ == champ && x.detail.contains(mot)),
            "{enr} {champ} {mot}: {:#?}",
            r.entrees
        )
    };
    a(1, "montant", "aberrant");
    a(1, "dureeMois", "NC");
    a(1, "titulaires[0].id", "nettoyé");
    a(1, "titulaires[0].typeIdentifiant", "déduit SIRET");
    a(1, "dateNotification", "September");
    a(1, "objet", "contrôle");
    a(1, "acheteur.id", "nettoyé");
    a(2, "", "caractères de contrôle");
    a(2, "acheteur.id", "deux niveaux");
    a(2, "titulaires", "imbriquées");
    a(2, "dateNotification", "0222");
    a(2, "montant", "45000.5");
    a(3, "", "sans identifiant");
    a(4, "", "sans acheteur");
    a(5, "dateSignature", "impossible");
    a(5, "datePublicationDonnees", "futur");
    a(6, "", "fusionné");
    assert!(
        r.entrees
            .iter()
            .filter(|x| x.action == ActionRapport::Rejet)
            .count()
            == 2
    );
    // Duplicate merged: the later publication's amount wins.
    let res = e.rechercher(&Recherche {
        mots_cles: Some("espaces verts".into()),
        ..Default::default()
    });
    assert_eq!(res.total, 1);
    assert_eq!(res.fiches[0].montant, Some(36000.0));
    // Accord-cadre from 2019 with a TVA holder found through nested lists.
    let res = e.rechercher(&Recherche {
        attributaire: Some("DE814864138".into()),
        ..Default::default()
    });
    assert_eq!(
        res.fiches[0].type_contrat,
        TypeContrat::AccordCadreMultiAttributaire
    );
    assert_eq!(res.fiches[0].montant, Some(50000.0));
    assert_eq!(res.fiches[0].date_notification, Some(jour(2022, 4, 29)));

    let r = e
        .importer(LecteurDecp::ouvrir(&vecteur("sale-2022.xml"), options()).unwrap())
        .unwrap();
    assert_eq!((r.lus, r.importes, r.rejetes), (3, 2, 1));
    let res = e.rechercher(&Recherche {
        mots_cles: Some("toiture".into()),
        ..Default::default()
    });
    assert_eq!(res.fiches[0].montant, Some(101000.0));
    assert_eq!(res.fiches[0].duree_mois, Some(10));
    assert_eq!(res.fiches[0].nb_modifications, 2);
}

#[test]
fn xml_avec_caracteres_de_controle_et_tronque() {
    let xml = "<marches><marche><id>A\u{1}1</id><acheteur><id>21350238800019</id></acheteur><objet>Objet\u{b} test</objet><titulaires><titulaire><id>55204599900869</id></titulaire></titulaires></marche><marche><id>B";
    let (v, r) = lire(xml.as_bytes()).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].id, "A1");
    assert_eq!(v[0].objet, "Objet test");
    assert_eq!(r.rejetes, 1);
    assert!(
        r.entrees
            .iter()
            .any(|e| e.action == ActionRapport::Rejet && e.detail.contains("tronqué"))
    );
}

#[test]
fn imbrications_hostiles_sans_debordement_de_pile() {
    // 200 000 nested elements inside an XML record: past the depth limit (127 by default)
    // the record is rejected with the limit named, its rest skipped without being kept,
    // and the next record read.
    let n = 200_000;
    let xml = format!(
        "<marches><marche><id>1</id><acheteur><id>21350238800019</id></acheteur><objet>x</objet>{}z{}</marche><marche><id>2</id><acheteur><id>21350238800019</id></acheteur></marche></marches>",
        "<a>".repeat(n),
        "</a>".repeat(n)
    );
    let (v, r) = lire(xml.as_bytes()).unwrap();
    assert_eq!((v.len(), r.lus, r.rejetes), (1, 2, 1));
    assert!(
        r.entrees
            .iter()
            .any(|e| e.action == ActionRapport::Rejet && e.detail.contains("« profondeur »")),
        "{:#?}",
        r.entrees
    );
    // The same in JSON: refused with its reason (serde_json's nesting limit), the next
    // record read.
    let json = format!(
        r#"{{"marches": [{{"id": "1", "x": {}1{}}}, {{"id": "2", "acheteur": {{"id": "21350238800019"}}}}]}}"#,
        "[".repeat(n),
        "]".repeat(n)
    );
    let (v, r) = lire(json.as_bytes()).unwrap();
    assert_eq!((v.len(), r.rejetes), (1, 1));
    assert!(
        r.entrees
            .iter()
            .any(|e| e.action == ActionRapport::Rejet && e.detail.contains("recursion limit")),
        "{:#?}",
        r.entrees
    );
}

#[test]
fn json_tronque_et_formats_inconnus() {
    let (v, r) = lire(
        br#"{"marches": [{"id": "1", "acheteur": {"id": "21350238800019"}}, {"id": "2", "ach"#,
    )
    .unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(r.rejetes, 1);
    let (_, r) = lire(br#"{"marches": [{"id": "1", "acheteur": {"id": "21350238800019"}}, "texte", [1,2], {"id": "x", "montant": }]}"#).unwrap();
    assert_eq!(r.importes, 1);
    assert_eq!(r.rejetes, 3, "{:#?}", r.entrees);
    // A stray closing brace among the records: rejected, and reading goes on (it looped on
    // that byte forever before, the report growing without end).
    let (v, r) = lire(br#"{"marches": [{"id": "1", "acheteur": {"id": "21350238800019"}}, }, {"id": "2", "acheteur": {"id": "21350238800019"}}]}"#).unwrap();
    assert_eq!((v.len(), r.rejetes), (2, 1), "{:#?}", r.entrees);
    assert!(
        r.entrees
            .iter()
            .any(|e| e.octet == 64 && e.detail.starts_with("JSON invalide"))
    );
    assert_eq!(lire(b"").unwrap_err().code(), CodeErreur::DecpFormatInconnu);
    assert_eq!(
        lire(b"   \n").unwrap_err().code(),
        CodeErreur::DecpFormatInconnu
    );
    assert_eq!(
        lire(b"PK\x03\x04").unwrap_err().code(),
        CodeErreur::DecpFormatInconnu
    );
    let dtd = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><marches><marche><id>&e;</id></marche></marches>"#;
    assert_eq!(lire(dtd).unwrap_err().code(), CodeErreur::DecpFormatInconnu);
    assert_eq!(
        LecteurDecp::ouvrir(&vecteur("absent.json"), options())
            .unwrap_err()
            .code(),
        CodeErreur::Es
    );
}

#[test]
fn fusion_avec_les_contrats_du_profil_acheteur() {
    let mut e = Entrepot::new();
    let r = e
        .importer(
            LecteurDecp::ouvrir(
                &vecteur("decp-v2/exemples/json/marches_concessions.json"),
                options(),
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(r.importes, 4);
    let n = e.len();
    // The platform's own copy of a published contract: merged, both provenances kept.
    let mut propre = marche("TEST2022");
    propre.acheteur.id = "21750001630066".into();
    propre.titulaires = vec![titulaire("55204599900869", "Titulaire")];
    propre.modifications.clear();
    assert!(e.ajouter(&propre).is_some());
    assert_eq!(e.len(), n);
    let autre = marche("2025-001");
    assert!(e.ajouter(&autre).is_none());
    let res = e.rechercher(&Recherche {
        acheteur: Some("21750001630066".into()),
        ..Default::default()
    });
    assert!(res.fiches.iter().any(|f| f.provenances.len() == 2
        && f.provenance.contains("profil acheteur")
        && f.provenance.contains("data.gouv.fr")));
    let tous = e.rechercher(&Recherche::default());
    assert_eq!(
        tous.par_provenance,
        ParProvenance {
            profil_acheteur: 2,
            data_gouv: 4
        }
    );
    let seuls = e.rechercher(&Recherche {
        provenance: Some(Provenance::ProfilAcheteur),
        ..Default::default()
    });
    assert_eq!(seuls.total, 2);
}

#[test]
fn recherche_criteres_tri_pages_et_fichier() {
    let mut e = Entrepot::new();
    for i in 0..50u32 {
        let mut c = marche(&format!("M-{i:03}"));
        c.montant = Some(1000.0 * f64::from(i + 1));
        c.modifications.clear();
        c.date_notification = Some(jour(2020 + (i % 5) as i32, 1 + i % 12, 1 + i % 28));
        c.objet = if i % 2 == 0 {
            format!("Travaux d'électricité n°{i}")
        } else {
            format!("Fourniture de papier {i}")
        };
        c.code_cpv = Some(if i % 2 == 0 {
            "45310000-3".into()
        } else {
            "30197600-2".into()
        });
        c.nature_prestations = NaturePrestations::depuis_cpv(c.code_cpv.as_deref().unwrap());
        if i % 10 == 0 {
            c.acheteur = Acheteur {
                id: "73282932000074".into(),
                nom: Some("Département d'Ille-et-Vilaine".into()),
            };
        }
        c.titulaires = vec![titulaire(
            if i % 3 == 0 {
                "38103128500491"
            } else {
                "55204599900869"
            },
            if i % 3 == 0 {
                "Électricité Générale"
            } else {
                "Papeterie Moderne"
            },
        )];
        assert!(e.ajouter(&c).is_none());
    }
    e.ajouter(&concession("DSP-1"));
    let q = |r: Recherche| e.rechercher(&r);
    assert_eq!(
        q(Recherche {
            mots_cles: Some("ELECTRICITE".into()),
            ..Default::default()
        })
        .total,
        25
    );
    assert_eq!(
        q(Recherche {
            mots_cles: Some("électri*".into()),
            ..Default::default()
        })
        .total,
        25
    );
    assert_eq!(
        q(Recherche {
            mots_cles: Some("papier travaux".into()),
            ..Default::default()
        })
        .total,
        0
    );
    assert_eq!(
        q(Recherche {
            annee: Some(2021),
            ..Default::default()
        })
        .total,
        10
    );
    assert_eq!(
        q(Recherche {
            attributaire: Some("381031285".into()),
            ..Default::default()
        })
        .total,
        17
    );
    assert_eq!(
        q(Recherche {
            attributaire: Some("38103128500491".into()),
            ..Default::default()
        })
        .total,
        17
    );
    assert_eq!(
        q(Recherche {
            attributaire: Some("papeterie".into()),
            ..Default::default()
        })
        .total,
        33
    );
    assert_eq!(
        q(Recherche {
            acheteur: Some("ille vilaine".into()),
            ..Default::default()
        })
        .total,
        5
    );
    assert_eq!(
        q(Recherche {
            acheteur: Some("732829320".into()),
            ..Default::default()
        })
        .total,
        5
    );
    assert_eq!(
        q(Recherche {
            nature_prestations: Some(NaturePrestations::Fournitures),
            ..Default::default()
        })
        .total,
        25
    );
    assert_eq!(
        q(Recherche {
            montant_min: Some(10_000.0),
            montant_max: Some(20_000.0),
            ..Default::default()
        })
        .total,
        11
    );
    assert_eq!(
        q(Recherche {
            cpv: Some("4531".into()),
            ..Default::default()
        })
        .total,
        25
    );
    assert_eq!(
        q(Recherche {
            categorie: Some(CategorieContrat::Concession),
            ..Default::default()
        })
        .total,
        1
    );
    let r = q(Recherche {
        date_notification_debut: Some(jour(2022, 1, 1)),
        date_notification_fin: Some(jour(2022, 12, 31)),
        mots_cles: Some("travaux".into()),
        ..Default::default()
    });
    assert_eq!(r.total, 5);
    let r = q(Recherche {
        tri: Tri::MontantDesc,
        limite: 3,
        decalage: 1,
        categorie: Some(CategorieContrat::Marche),
        ..Default::default()
    });
    assert_eq!(
        r.fiches
            .iter()
            .map(|f| f.montant.unwrap())
            .collect::<Vec<_>>(),
        vec![49000.0, 48000.0, 47000.0]
    );
    let r = q(Recherche {
        tri: Tri::MontantAsc,
        limite: 2,
        ..Default::default()
    });
    assert_eq!(r.fiches[0].montant, Some(1000.0));
    let r = q(Recherche {
        tri: Tri::DateAsc,
        limite: 1,
        ..Default::default()
    });
    assert_eq!(
        r.fiches[0].date_notification.unwrap().to_string(),
        "2020-01-01"
    );

    // Store file round trip.
    let mut f = Vec::new();
    e.enregistrer(&mut f).unwrap();
    let e2 = Entrepot::charger(&f[..]).unwrap();
    assert_eq!(e2.len(), e.len());
    let r1 = e.rechercher(&Recherche {
        attributaire: Some("papeterie".into()),
        tri: Tri::MontantDesc,
        ..Default::default()
    });
    let r2 = e2.rechercher(&Recherche {
        attributaire: Some("papeterie".into()),
        tri: Tri::MontantDesc,
        ..Default::default()
    });
    assert_eq!(r1, r2);
    let mut e2 = e2;
    assert!(
        e2.ajouter(&concession("DSP-1")).is_some(),
        "dedup keys rebuilt on load"
    );
    // Bad store files.
    assert_eq!(
        Entrepot::charger(&b"PASUNENTREPOT"[..]).unwrap_err().code(),
        CodeErreur::EntrepotInvalide
    );
    assert_eq!(
        Entrepot::charger(&f[..f.len() / 2]).unwrap_err().code(),
        CodeErreur::EntrepotInvalide
    );
    let mut altere = f.clone();
    let k = altere.len() / 2;
    altere[k] ^= 0x55;
    assert_eq!(
        Entrepot::charger(&altere[..]).unwrap_err().code(),
        CodeErreur::EntrepotInvalide
    );
    assert_eq!(
        Entrepot::charger(&b""[..]).unwrap_err().code(),
        CodeErreur::EntrepotInvalide
    );
}

#[test]
fn aller_retour_export_import() {
    let (ac, ms) = accord_cadre_et_subsequent();
    let liste = vec![marche("2025-001"), concession("DSP-EAU-2024"), ac, ms];
    for octets in [
        exporter_decp_json(&liste, jour(2026, 1, 1)).unwrap(),
        exporter_decp_xml(&liste, jour(2026, 1, 1)).unwrap(),
    ] {
        let (v, r) = lire(&octets).unwrap();
        assert_eq!(r.importes, 4);
        assert_eq!(r.repares, 0, "{:#?}", r.entrees);
        assert_eq!(v[0].montant, liste[0].montant);
        assert_eq!(v[0].etat_actuel().montant, Some(275_000.0));
        assert_eq!(
            v[0].modifications_actes_sous_traitance.len(),
            0,
            "not read back yet"
        );
        assert_eq!(
            v.iter()
                .find(|c| c.id == "MS-2025-01")
                .unwrap()
                .type_contrat,
            TypeContrat::MarcheSubsequent
        );
        assert_eq!(
            v.iter()
                .find(|c| c.id == "DSP-EAU-2024")
                .unwrap()
                .donnees_execution
                .len(),
            1
        );
        assert!(
            verifier_decp(
                &v.iter()
                    .map(|c| Contrat {
                        provenances: vec![],
                        ..c.clone()
                    })
                    .collect::<Vec<_>>(),
                jour(2026, 1, 1)
            )
            .is_empty()
        );
    }
}

#[test]
fn limites_reglables_par_l_hote() {
    let rec =
        r#"{"id": "A1", "acheteur": {"id": "21350238800019"}, "objet": "Objet", "montant": 10}"#;
    let json = format!(r#"{{"marches": [{rec}, {rec}, {rec}]}}"#);
    let ouvrir = |limites: LimitesDecp| {
        let mut o = options();
        o.limites = limites;
        LecteurDecp::depuis_lecteur(Box::new(std::io::Cursor::new(json.clone().into_bytes())), o)
            .unwrap()
    };
    // Count: the fourth record is never read; the error names the limit.
    let l = ouvrir(LimitesDecp {
        enregistrements: 2,
        ..Default::default()
    });
    let r: Vec<_> = l.collect();
    assert_eq!(r.len(), 3);
    let e = r[2].as_ref().unwrap_err();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    assert!(e.message().contains("« enregistrements »"), "{e}");
    // Size: a record larger than the bound stops the reading with the limit named.
    let l = ouvrir(LimitesDecp {
        taille_enregistrement: 40,
        ..Default::default()
    });
    let e = l.filter_map(|x| x.err()).next().unwrap();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    assert!(e.message().contains("« tailleEnregistrement »"), "{e}");
    // XML: a record past the size bound is rejected, the next one read.
    let gros = format!(
        "<marches><marche><id>A1</id><acheteur><id>21350238800019</id></acheteur><objet>{}</objet></marche><marche><id>A2</id><acheteur><id>21350238800019</id></acheteur><objet>x</objet></marche></marches>",
        "x".repeat(5000)
    );
    let mut o = options();
    o.limites.taille_enregistrement = 1000;
    let l =
        LecteurDecp::depuis_lecteur(Box::new(std::io::Cursor::new(gros.into_bytes())), o).unwrap();
    let mut rapport = RapportImport::default();
    for el in l {
        rapport.compter(&el.unwrap());
    }
    assert_eq!((rapport.lus, rapport.importes, rapport.rejetes), (2, 1, 1));
    assert!(
        rapport.entrees[0]
            .detail
            .contains("« tailleEnregistrement »")
    );
}
