//! Modification of a published consultation (issue 18, item 5) and annonces without bids
//! (item 6): each case accepted or refused with its code, the state unchanged on refusal
//! (checked by the bench), the journal chained, the letter of modification to every company
//! of the retraits register with the pièces attached by the messagerie's rule.

mod procedure_commun;

use mpe::CodeErreur;
use mpe::messagerie::{
    ContexteEnvoi, DemandeEnvoi, Expediteur, TypeCourrier, generateur_securise, preparer_envoi,
};
use mpe::model::{Piece, TypeAnnonce};
use mpe::procedure::{Action, ChangementConsultation, Evenement, Phase, verifier_journal};
use procedure_commun::{Banc, agent, etape, scenario};
use sha2::Digest;

const VALIDATION: &str = "2026-11-02T09:00:00Z";

/// The scenario's consultation validated, with its DCE downloads (one anonymous, four
/// identified companies).
fn publiee() -> Banc {
    let s = scenario();
    let mut b = Banc::valide(|_| {}, VALIDATION);
    for e in s.etapes.iter().filter(|e| {
        e.attendu == "OK" && matches!(e.action, Some(Action::EnregistrerRetrait { .. }))
    }) {
        let a = e.action.clone().unwrap();
        b.ok(&e.maintenant.to_rfc3339(), &e.acteur, &a);
    }
    assert_eq!(b.p.retraits.len(), 5);
    b
}

fn piece(nom: &str, contenu: &[u8]) -> Piece {
    Piece {
        nom: nom.into(),
        taille: contenu.len() as u64,
        sha256: Some(hex::encode(sha2::Sha256::digest(contenu))),
    }
}

fn modifier(b: &Banc, f: impl FnOnce(&mut mpe::model::Consultation)) -> Action {
    let mut c = b.p.consultation.clone();
    f(&mut c);
    Action::ModifierConsultationPubliee {
        consultation: Box::new(c),
        motif: "précisions apportées au règlement".into(),
    }
}

const RC2: &[u8] = b"%PDF-1.7 reglement de la consultation, version 2";
const ADDITIF: &[u8] = b"%PDF-1.7 additif n 1";

#[test]
fn pieces_fields_and_dlro_make_a_new_version_and_a_letter() {
    let mut b = publiee();
    let alice = agent("a.martin");
    let quand = "2026-11-25T10:00:00Z";
    let a = modifier(&b, |c| {
        c.pieces.reglement_consultation = Some(piece("RC_v2.pdf", RC2));
        c.pieces.autres_pieces.push(piece("Additif_1.pdf", ADDITIF));
        c.identification
            .objet
            .push_str(" Le bâtiment C est compris.");
        c.lots[1].description.push_str(" Bâtiment C compris.");
        c.calendrier.dlro = "2026-12-22T12:00:00".parse().unwrap();
    });
    let avant = b.journal.len();
    b.ok(quand, &alice, &a);
    assert_eq!(b.p.version_dce(), 2);
    assert_eq!(
        b.p.dlro,
        Some("2026-12-22T11:00:00Z".parse().unwrap()),
        "DLRO reportée, heure de Paris"
    );
    assert_eq!(b.p.consultation.pieces.autres_pieces.len(), 2);
    let Evenement::ConsultationPublieeModifiee {
        version,
        changements,
        destinataires,
        avertissements,
        ..
    } = &b.journal[avant].evenement
    else {
        panic!("{:?}", b.journal[avant].evenement)
    };
    assert_eq!(*version, 2);
    assert_eq!(changements.len(), 5, "{changements:?}");
    assert!(changements.iter().any(|c| matches!(
        c,
        ChangementConsultation::RemplacementPiece { remplacee, .. } if remplacee.nom == "RC_AOO_2026_0611.pdf"
    )));
    assert!(
        changements
            .iter()
            .any(|c| matches!(c, ChangementConsultation::DlroReportee { .. }))
    );
    // The four identified downloads, not the anonymous one.
    assert_eq!(destinataires.len(), 4);
    assert!(avertissements.is_empty(), "{avertissements:?}");
    verifier_journal(&b.journal, Some(&b.p.journal)).unwrap();

    // The letter: every company of the retraits register, the new pièces attached.
    let octets = vec![
        ("RC_v2.pdf".to_string(), RC2.to_vec()),
        ("Additif_1.pdf".to_string(), ADDITIF.to_vec()),
    ];
    let courrier = b.p.courrier_modification(2, &octets).unwrap();
    assert_eq!(courrier.type_courrier, TypeCourrier::ModificationDce);
    assert_eq!(courrier.destinataires.len(), 4);
    let jointes = courrier.toutes_pieces_jointes();
    let noms: Vec<&str> = jointes.iter().map(|p| p.nom.as_str()).collect();
    assert_eq!(noms, ["RC_v2.pdf", "Additif_1.pdf"]);
    assert!(
        courrier
            .corps_complet()
            .contains("reportée au 22/12/2026 12:00")
    );
    assert!(
        courrier
            .corps_complet()
            .contains("remplacement de la pièce")
    );
    let lot = b.p.consultation.lots[1].numero;
    assert!(
        courrier
            .corps_complet()
            .contains(&format!("description du lot n° {lot}")),
        "{}",
        courrier.corps_complet()
    );
    let demande = DemandeEnvoi {
        courrier,
        consultation: b.p.consultation.clone(),
        organisation: b.org.clone(),
        contexte: ContexteEnvoi {
            courrier_id: "modification-2".into(),
            agent: "a.martin".into(),
            date: procedure_commun::t(quand),
            expediteur: Expediteur {
                nom: "Ville de Villeurbanne".into(),
                email: "marches@mairie-villeurbanne.fr".into(),
            },
            adresse_reponse: None,
            url_accuse_reception: None,
            domaine_message_id: "marches.example".into(),
            limites: Default::default(),
        },
    };
    let envoi = preparer_envoi(&demande, &mut generateur_securise()).unwrap();
    assert_eq!(envoi.messages.len(), 4);
    b.ok(
        quand,
        &alice,
        &Action::EnregistrerCourrier {
            evenements: envoi.evenements,
        },
    );
    verifier_journal(&b.journal, Some(&b.p.journal)).unwrap();

    // Bytes that do not match the recorded hash, missing bytes, an unknown version.
    let mauvais = vec![
        ("RC_v2.pdf".to_string(), b"autre".to_vec()),
        ("Additif_1.pdf".to_string(), ADDITIF.to_vec()),
    ];
    let code = |r: mpe::Result<_>| r.map(|_: mpe::messagerie::Courrier| ()).unwrap_err().code();
    assert_eq!(
        code(b.p.courrier_modification(2, &mauvais)),
        CodeErreur::PieceAlteree
    );
    assert_eq!(
        code(b.p.courrier_modification(2, &octets[..1])),
        CodeErreur::PieceNonFournie
    );
    assert_eq!(
        code(b.p.courrier_modification(3, &octets)),
        CodeErreur::ReferenceInconnue
    );

    // A second modification is version 3.
    let a = modifier(&b, |c| c.identification.intitule.push_str(" (bâtiment C)"));
    b.ok("2026-11-26T10:00:00Z", &alice, &a);
    assert_eq!(b.p.version_dce(), 3);
}

#[test]
fn refusals_leave_the_state_unchanged() {
    let mut b = publiee();
    let alice = agent("a.martin");
    let quand = "2026-11-25T10:00:00Z";
    let cas: Vec<(Action, CodeErreur)> = vec![
        (
            modifier(&b, |c| {
                c.calendrier.dlro = "2026-12-14T12:00:00".parse().unwrap()
            }),
            CodeErreur::DlroAvancee,
        ),
        (
            modifier(&b, |c| c.identification.reference = "AOO_2026/0612".into()),
            CodeErreur::ModificationInterdite,
        ),
        (
            modifier(&b, |c| c.modalites.chiffrement = !c.modalites.chiffrement),
            CodeErreur::ModificationInterdite,
        ),
        (
            modifier(&b, |c| c.lots.pop().map(|_| ()).unwrap_or_default()),
            CodeErreur::ModificationInterdite,
        ),
        (
            modifier(&b, |c| c.pieces.autres_pieces.clear()),
            CodeErreur::ModificationInterdite,
        ),
        (
            modifier(&b, |c| c.pieces.reglement_consultation = None),
            CodeErreur::ModificationInterdite,
        ),
        (
            modifier(&b, |c| {
                c.pieces.autres_pieces.push(Piece {
                    nom: "Additif.pdf".into(),
                    taille: 10,
                    sha256: None,
                })
            }),
            CodeErreur::EmpreintePieceManquante,
        ),
        (modifier(&b, |_| {}), CodeErreur::AucuneModification),
        (
            Action::ReporterDlro {
                dlro: "2026-12-10T12:00:00".parse().unwrap(),
                motif: "erreur".into(),
            },
            CodeErreur::DlroAvancee,
        ),
    ];
    for (a, attendu) in &cas {
        assert_eq!(b.code(quand, &alice, a), *attendu, "{a:?}");
    }
    // Not an agent who may validate.
    let a = modifier(&b, |c| c.identification.objet.push('.'));
    assert_eq!(
        b.code(quand, &agent("j.dupont"), &a),
        CodeErreur::NonHabilite
    );
    // After the DLRO: phase Ouverture et analyse.
    assert_eq!(
        b.code("2026-12-15T11:00:00Z", &alice, &a),
        CodeErreur::PhaseIncorrecte
    );
    // Before the publication: phase Élaboration.
    let mut e = Banc::cree(|_| {}, VALIDATION);
    let a = modifier(&e, |c| c.identification.objet.push('.'));
    assert_eq!(e.code(VALIDATION, &alice, &a), CodeErreur::PhaseIncorrecte);
}

#[test]
fn a_late_modification_warns_that_too_little_time_is_left() {
    let mut b = publiee();
    let avant = b.journal.len();
    let a = modifier(&b, |c| {
        c.pieces.autres_pieces.push(piece("Additif_1.pdf", ADDITIF))
    });
    // Three days before the DLRO: less than the six of R. 2132-6.
    b.ok("2026-12-12T10:00:00Z", &agent("a.martin"), &a);
    let Evenement::ConsultationPublieeModifiee { avertissements, .. } = &b.journal[avant].evenement
    else {
        panic!()
    };
    let w = avertissements
        .iter()
        .find(|c| c.code == CodeErreur::DelaiRestantInsuffisant)
        .expect("avertissement de délai");
    assert_eq!(w.article.as_deref(), Some("R. 2132-6"));
    // Postponing the DLRO far enough gives no such warning.
    let avant = b.journal.len();
    let a = modifier(&b, |c| {
        c.calendrier.dlro = "2026-12-29T12:00:00".parse().unwrap()
    });
    b.ok("2026-12-12T11:00:00Z", &agent("a.martin"), &a);
    let Evenement::ConsultationPublieeModifiee { avertissements, .. } = &b.journal[avant].evenement
    else {
        panic!()
    };
    assert!(
        !avertissements
            .iter()
            .any(|c| c.code == CodeErreur::DelaiRestantInsuffisant)
    );
}

#[test]
fn annonces_receive_no_bid_and_are_archived_once_published() {
    for genre in [TypeAnnonce::Information, TypeAnnonce::Attribution] {
        let s = scenario();
        let mut b = Banc::valide(|c| c.identification.type_annonce = genre, VALIDATION);
        assert_eq!(b.p.phase, Phase::Consultation);
        let (depot, entreprise) = etape(&s, "pli 1");
        assert_eq!(
            b.code("2026-12-10T14:15:00Z", &entreprise, &depot),
            CodeErreur::AnnonceSansPli
        );
        let (ouvrir, qui) = etape(&s, "pli 1 ouvert");
        assert_eq!(
            b.code("2026-12-15T14:10:00Z", &qui, &ouvrir),
            CodeErreur::AnnonceSansPli
        );
        assert_eq!(
            b.code(
                "2026-12-15T14:10:00Z",
                &agent("a.martin"),
                &Action::PasserEnDecision
            ),
            CodeErreur::AnnonceSansPli
        );
        b.ok(
            "2026-12-20T09:00:00Z",
            &agent("a.martin"),
            &Action::Archiver,
        );
        assert_eq!(b.p.phase, Phase::Archivee);
        verifier_journal(&b.journal, Some(&b.p.journal)).unwrap();
    }
    // An ordinary consultation is still archived only once decided.
    let mut b = Banc::valide(|_| {}, VALIDATION);
    assert_eq!(
        b.code(
            "2026-11-20T09:00:00Z",
            &agent("a.martin"),
            &Action::Archiver
        ),
        CodeErreur::PhaseIncorrecte
    );
}
