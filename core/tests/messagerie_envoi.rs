//! Preparing letters end to end: every kind, the MIME structure and its stability, the
//! acknowledgement tokens, the register, and every bad input with its code.

use mpe::CodeErreur;
use mpe::messagerie::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn demande() -> DemandeEnvoi {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/messagerie/demande.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn preparer(d: &DemandeEnvoi) -> mpe::Result<Envoi> {
    preparer_envoi(d, &mut StdRng::seed_from_u64(7))
}

fn code(d: &DemandeEnvoi) -> CodeErreur {
    preparer(d).unwrap_err().code()
}

fn texte(m: &MessagePrepare) -> &str {
    std::str::from_utf8(&m.mime).unwrap()
}

#[test]
fn one_message_per_recipient_deduplicated() {
    let e = preparer(&demande()).unwrap();
    // Three recipients given, two differ only by the case of the domain.
    assert_eq!(e.messages.len(), 2);
    assert_eq!(e.evenements.len(), 2);
    assert_eq!(e.messages[0].destinataire, "ao@menuiseries-rhône.fr");
    let m0 = texte(&e.messages[0]);
    assert!(m0.contains("<ao@xn--menuiseries-rhne-0vb.fr>"));
    // A company never sees another's address.
    assert!(!m0.contains("alpha-batiment"));
    let ids: Vec<&str> = e.messages.iter().map(|m| m.message_id.as_str()).collect();
    assert_ne!(ids[0], ids[1]);
    assert!(ids[0].ends_with("@marches.villeurbanne.example"));
}

#[test]
fn output_is_stable_and_well_formed() {
    let d = demande();
    let a = preparer(&d).unwrap();
    let b = preparer(&d).unwrap();
    assert_eq!(a, b, "same inputs and generator, same bytes");
    for m in &a.messages {
        let t = texte(m);
        assert!(t.is_ascii(), "headers and bodies are 7-bit");
        // CRLF only, lines within RFC 5322 limits (headers folded at 78).
        assert!(!t.replace("\r\n", "").contains('\n'));
        assert!(!t.replace("\r\n", "").contains('\r'));
        let (entetes, _) = t.split_once("\r\n\r\n").unwrap();
        for l in entetes.split("\r\n") {
            // A Message-ID cannot be folded; ours stay short with a usual domain.
            assert!(l.len() <= 78, "{l}");
        }
        for l in t.split("\r\n") {
            assert!(l.len() <= 998);
        }
        assert!(t.contains("Date: Fri, 20 Nov 2026 09:30:00 +0000\r\n"));
        assert!(t.contains(&format!("Message-ID: <{}>\r\n", m.message_id)));
        assert!(t.contains("Content-Type: multipart/mixed;"));
        assert!(t.contains("Content-Type: multipart/alternative;"));
        assert!(t.contains("filename*0*=UTF-8''Cahier%20des%20clauses%20sp%C3%A9ciales"));
        assert!(t.contains("Reply-To: <reponses+c-2026-0611@marches.villeurbanne.example>"));
    }
    // Another date gives other Message-IDs.
    let mut d2 = d.clone();
    d2.contexte.date = "2026-11-21T09:30:00Z".parse().unwrap();
    let c = preparer(&d2).unwrap();
    assert_ne!(c.messages[0].message_id, a.messages[0].message_id);
}

#[test]
fn tokens_are_unique_unguessable_and_hashed_in_the_register() {
    let d = demande();
    let e = preparer_envoi(&d, &mut rand::rng()).unwrap();
    let j0 = e.messages[0].jeton.clone().unwrap();
    let j1 = e.messages[1].jeton.clone().unwrap();
    assert_ne!(j0, j1);
    for j in [&j0, &j1] {
        // 32 bytes, URL-safe base64 without padding.
        assert_eq!(j.len(), 43);
        assert!(
            j.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
    assert!(texte(&e.messages[0]).contains(&j0[..20]));
    let json = serde_json::to_string(&e.evenements).unwrap();
    assert!(!json.contains(&j0), "the journal never holds a token");
    assert!(json.contains(&empreinte_jeton(&j0)));

    let mut r = RegistreCourriers::depuis_evenements(&e.evenements).unwrap();
    assert_eq!(r.entrees[0].statut_libelle(), "envoyé");
    let avant_envoi = "2026-11-19T10:00:00Z".parse().unwrap();
    let quand = "2026-11-21T08:15:00Z".parse().unwrap();
    assert_eq!(
        r.accuser_reception(&j0, avant_envoi).unwrap_err().code(),
        CodeErreur::ArgumentInvalide
    );
    let ev = r.accuser_reception(&j0, quand).unwrap();
    assert!(matches!(ev, EvenementCourrier::Ouvert { .. }));
    assert_eq!(r.entrees[0].statut, StatutCourrier::Ouvert);
    assert_eq!(r.entrees[0].statut_libelle(), "accusé le 21/11/2026 09:15");
    assert_eq!(r.entrees[1].statut, StatutCourrier::Envoye);
    // Already used, unknown, tampered.
    assert_eq!(
        r.accuser_reception(&j0, quand).unwrap_err().code(),
        CodeErreur::JetonInconnu
    );
    assert_eq!(
        r.accuser_reception("inconnu", quand).unwrap_err().code(),
        CodeErreur::JetonInconnu
    );
    let mut altere = j1.clone();
    altere.pop();
    assert_eq!(
        r.accuser_reception(&altere, quand).unwrap_err().code(),
        CodeErreur::JetonInconnu
    );

    // Answer, by the In-Reply-To of the incoming mail.
    let rep = r
        .enregistrer_reponse(
            &format!("<{}>", e.messages[1].message_id),
            "2026-11-22T10:00:00Z".parse().unwrap(),
            Some("reponse-1@alpha-batiment.fr".into()),
        )
        .unwrap();
    assert_eq!(r.entrees[1].statut_libelle(), "répondu le 22/11/2026 11:00");
    assert_eq!(
        r.enregistrer_reponse("x@y", quand, None)
            .unwrap_err()
            .code(),
        CodeErreur::CourrierInconnu
    );

    // The register is a pure function of the journal.
    let mut journal = e.evenements.clone();
    journal.push(ev);
    journal.push(rep);
    assert_eq!(RegistreCourriers::depuis_evenements(&journal).unwrap(), r);
    // A duplicated sending event is refused, with its position.
    journal.push(e.evenements[0].clone());
    let err = RegistreCourriers::depuis_evenements(&journal).unwrap_err();
    assert_eq!(err.code(), CodeErreur::ArgumentInvalide);
    assert_eq!(err.path(), Some("evenements[4]"));
}

#[test]
fn simple_letter_without_answer_nor_attachment() {
    let mut d = demande();
    d.courrier = Courrier::nouveau(TypeCourrier::Rejet, &d.consultation, Some(1));
    d.courrier.destinataires = vec![Destinataire::saisi(
        &Adresse::analyser("ao@alpha-batiment.fr").unwrap(),
    )];
    let e = preparer(&d).unwrap();
    let m = &e.messages[0];
    assert!(m.jeton.is_none() && m.url_accuse_reception.is_none());
    let t = texte(m);
    assert!(t.contains("Auto-Submitted: auto-generated"));
    assert!(!t.contains("Reply-To"));
    assert!(
        !t.contains("multipart/mixed"),
        "no attachment, no mixed part"
    );
    assert!(t.contains("Content-Type: multipart/alternative;"));
    let mut r = RegistreCourriers::depuis_evenements(&e.evenements).unwrap();
    let quand = "2026-11-22T10:00:00Z".parse().unwrap();
    assert_eq!(
        r.enregistrer_reponse(&m.message_id, quand, None)
            .unwrap_err()
            .code(),
        CodeErreur::ReponseNonAutorisee
    );
    // No acknowledgement asked: an "opened" event is refused.
    let ouvert = EvenementCourrier::Ouvert {
        courrier_id: "courrier-2026-0042".into(),
        destinataire: m.destinataire.clone(),
        message_id: m.message_id.clone(),
        date: quand,
    };
    assert_eq!(
        r.appliquer(&ouvert).unwrap_err().code(),
        CodeErreur::JetonInconnu
    );
}

#[test]
fn dce_modification_attaches_only_pieces() {
    let mut d = demande();
    d.courrier.pieces_jointes.clear();
    d.courrier.modifications_dce =
        vec![ModificationDce::RemplacementDce, ModificationDce::AjoutDce];
    let e = preparer(&d).unwrap();
    assert!(!texte(&e.messages[0]).contains("multipart/mixed"));
    assert!(
        texte(&e.messages[0]).contains("int=C3=A9gralit=C3=A9"),
        "the change is listed"
    );
    d.courrier.modifications_dce = vec![ModificationDce::AjoutPiece {
        piece: PieceJointe::fichier("Additif n°1.pdf", b"%PDF-1.7".to_vec()),
    }];
    let e = preparer(&d).unwrap();
    match &e.evenements[0] {
        EvenementCourrier::Envoye { pieces_jointes, .. } => {
            assert_eq!(pieces_jointes, &["Additif n°1.pdf"])
        }
        _ => panic!("envoye attendu"),
    }
    // Another kind of letter does not attach DCE pieces.
    d.courrier.type_courrier = TypeCourrier::Libre;
    let e = preparer(&d).unwrap();
    assert!(!texte(&e.messages[0]).contains("multipart/mixed"));
}

#[test]
fn duplicate_attachment_names_are_numbered() {
    let mut d = demande();
    d.courrier.modifications_dce.clear();
    d.courrier.pieces_jointes = vec![
        PieceJointe::fichier("dir/RC.pdf", b"1".to_vec()),
        PieceJointe::fichier("rc.PDF", b"2".to_vec()),
    ];
    let e = preparer(&d).unwrap();
    match &e.evenements[0] {
        EvenementCourrier::Envoye { pieces_jointes, .. } => {
            assert_eq!(pieces_jointes, &["RC.pdf", "rc (2).PDF"])
        }
        _ => panic!("envoye attendu"),
    }
}

#[test]
fn every_bad_input_has_its_code() {
    let base = demande();

    let mut d = base.clone();
    d.courrier.destinataires.clear();
    assert_eq!(code(&d), CodeErreur::SansDestinataire);

    let mut d = base.clone();
    d.courrier.destinataires[1].email = "pas une adresse".into();
    let e = preparer(&d).unwrap_err();
    assert_eq!(e.code(), CodeErreur::AdresseInvalide);
    assert_eq!(e.path(), Some("courrier.destinataires[1]"));

    let mut d = base.clone();
    d.courrier.objet = " ".into();
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);

    let mut d = base.clone();
    d.courrier.objet = "a\r\nBcc: espion@x.fr".into();
    assert_eq!(code(&d), CodeErreur::ArgumentInvalide);

    let mut d = base.clone();
    d.courrier.destinataires[0].raison_sociale = Some("X\nBcc: y@z.fr".into());
    assert_eq!(code(&d), CodeErreur::ArgumentInvalide);

    let mut d = base.clone();
    d.courrier.corps.clear();
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);

    let mut d = base.clone();
    d.contexte.url_accuse_reception = None;
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);
    d.contexte.url_accuse_reception = Some("http://x.fr/{jeton}".into());
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);
    d.contexte.url_accuse_reception = Some("https://x.fr/ar".into());
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);
    d.contexte.url_accuse_reception = Some("https://x.fr/\"><script>{jeton}".into());
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);

    let mut d = base.clone();
    d.contexte.adresse_reponse = None;
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);
    d.contexte.adresse_reponse = Some("nope".into());
    assert_eq!(code(&d), CodeErreur::AdresseInvalide);

    let mut d = base.clone();
    d.contexte.expediteur.email = "x@".into();
    assert_eq!(code(&d), CodeErreur::AdresseInvalide);

    let mut d = base.clone();
    d.contexte.domaine_message_id = "a b".into();
    assert_eq!(code(&d), CodeErreur::ArgumentInvalide);

    let mut d = base.clone();
    d.contexte.courrier_id = "".into();
    assert_eq!(code(&d), CodeErreur::ArgumentInvalide);

    let mut d = base.clone();
    d.contexte.limites.par_piece = 10;
    let e = preparer(&d).unwrap_err();
    assert_eq!(e.code(), CodeErreur::PieceJointeTropGrande);
    assert!(
        e.message().contains("Cahier des clauses"),
        "{}",
        e.message()
    );
    d.contexte.limites.par_piece = 1000;
    d.contexte.limites.total = 60;
    assert_eq!(code(&d), CodeErreur::PieceJointeTropGrande);

    let mut d = base.clone();
    d.courrier.pieces_jointes[0].type_mime = Some("text/html; x=\"".into());
    assert_eq!(code(&d), CodeErreur::ArgumentInvalide);

    let mut d = base.clone();
    d.courrier.lot = Some(42);
    assert_eq!(code(&d), CodeErreur::LotInconnu);

    let mut d = base.clone();
    d.consultation.acces.service_rattachement = "inconnu".into();
    assert_eq!(code(&d), CodeErreur::AccesIncoherent);

    let mut d = base.clone();
    // 29/03/2026 02:30 does not exist in Paris.
    d.consultation.calendrier.dlro = "2026-03-29T02:30:00".parse().unwrap();
    assert_eq!(code(&d), CodeErreur::HeureInexistante);
}

#[test]
fn registers_prefill_and_merge() {
    let contacts = vec![
        ContactEntreprise {
            raison_sociale: "Alpha".into(),
            email: "ao@alpha.fr".into(),
            origines: vec![Origine::Retrait],
        },
        ContactEntreprise {
            raison_sociale: "Bêta".into(),
            email: "b@bêta.fr".into(),
            origines: vec![Origine::Question, Origine::Retrait],
        },
        ContactEntreprise {
            raison_sociale: "Alpha (dépôt)".into(),
            email: "ao@ALPHA.fr".into(),
            origines: vec![Origine::Depot],
        },
    ];
    let tous = destinataires_depuis_registres(&contacts, &[]).unwrap();
    assert_eq!(tous.len(), 2);
    assert_eq!(tous[0].raison_sociale.as_deref(), Some("Alpha"));
    assert_eq!(tous[0].origines, [Origine::Retrait, Origine::Depot]);
    let deposants = destinataires_depuis_registres(&contacts, &[Origine::Depot]).unwrap();
    assert_eq!(deposants.len(), 1);
    let saisis: Vec<Destinataire> = analyser_destinataires("b@BÊTA.fr nouveau@gamma.fr")
        .unwrap()
        .iter()
        .map(Destinataire::saisi)
        .collect();
    let l = fusionner_destinataires(&[tous, saisis]).unwrap();
    assert_eq!(l.len(), 3);
    assert_eq!(
        l[1].origines,
        [Origine::Retrait, Origine::Question, Origine::Saisie]
    );
}

#[test]
fn content_on_the_platform_sends_only_the_link() {
    let mut d = demande();
    d.courrier.options.contenu_sur_plateforme = true;
    let e = preparer(&d).unwrap();
    let t = texte(&e.messages[0]);
    assert!(
        !t.contains("multipart/mixed"),
        "no attachment in the e-mail"
    );
    let clair = qp(t);
    assert!(
        !clair.contains("Le DCE a été modifié"),
        "no letter in the e-mail"
    );
    assert!(clair.contains("son ouverture vaut accusé de réception"));
    assert!(clair.contains(e.messages[0].url_accuse_reception.as_deref().unwrap()));
    // The register still lists what the platform delivers.
    match &e.evenements[0] {
        EvenementCourrier::Envoye { pieces_jointes, .. } => assert_eq!(pieces_jointes.len(), 2),
        _ => panic!("envoye attendu"),
    }
    d.courrier.options.accuse_reception = false;
    assert_eq!(code(&d), CodeErreur::CourrierIncomplet);
}

/// Decode quoted-printable (soft breaks and `=XX`) of a whole message, for assertions.
fn qp(t: &str) -> String {
    let b = t.replace("=\r\n", "").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn one_message_at_a_time_for_big_sendings() {
    let mut d = demande();
    d.courrier.modifications_dce.clear();
    d.courrier.pieces_jointes = vec![PieceJointe::fichier("Plans.pdf", vec![7; 10 << 20])];
    d.courrier.destinataires = (0..120)
        .map(|i| Destinataire {
            email: format!("ao{i}@entreprise{i}.fr"),
            raison_sociale: None,
            origines: vec![],
        })
        .collect();
    // All at once would hold ~1.7 GB: refused before any work.
    let e = preparer(&d).unwrap_err();
    assert_eq!(e.code(), CodeErreur::LimiteDepassee);
    // One at a time: same bytes as the batch would give.
    let p = Preparation::new(&d).unwrap();
    assert_eq!(p.nombre_messages(), 120);
    let mut rng = StdRng::seed_from_u64(7);
    let (m, ev) = p.message(119, &mut rng).unwrap();
    assert_eq!(m.destinataire, "ao119@entreprise119.fr");
    assert_eq!(ev.message_id(), m.message_id);
    assert!(m.mime.len() > 10 << 20);
    assert_eq!(
        p.message(120, &mut rng).unwrap_err().code(),
        CodeErreur::ArgumentInvalide
    );
    let small = demande();
    let p = Preparation::new(&small).unwrap();
    let mut rng = StdRng::seed_from_u64(7);
    let un_par_un: Vec<MessagePrepare> = (0..p.nombre_messages())
        .map(|i| p.message(i, &mut rng).unwrap().0)
        .collect();
    assert_eq!(un_par_un, preparer(&small).unwrap().messages);
}
