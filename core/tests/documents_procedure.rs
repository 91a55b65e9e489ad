//! The DAJ forms filled from a procedure's state (`documents::donnees_documents`): the
//! shared scenario (tests/vectors/procedure/scenario.json) played to its archive, then
//! every form of the catalogue generated from the state, each holding the procedure's own
//! values (reference, object, lot, companies, amounts).

mod procedure_commun;

use chrono::NaiveDate;
use mpe::CodeErreur;
use mpe::documents::formulaires::{
    self, CATALOGUE, CommissionDoc, GarantieDoc, MembreDoc, PointMiseAuPoint, QuestionDoc,
};
use mpe::documents::{ClausesContrat, ParametresDocuments, donnees_documents, texte_document};
use mpe::procedure::{Contexte, Decision, Procedure};
use procedure_commun::scenario;

/// The scenario's procedure, every accepted step applied.
fn procedure() -> (Procedure, mpe::model::Organisation) {
    let s = scenario();
    let ctx = |t, a| Contexte {
        maintenant: t,
        acteur: a,
        organisation: &s.organisation,
    };
    let (mut p, _) = Procedure::nouvelle(
        s.consultation.clone(),
        &ctx(s.creation.maintenant, &s.creation.acteur),
    )
    .unwrap();
    for e in s.etapes.iter().filter(|e| e.attendu == "OK") {
        if let Some(a) = &e.action {
            p.appliquer(a, &ctx(e.maintenant, &e.acteur)).unwrap();
        }
    }
    (p, s.organisation)
}

fn complements() -> ParametresDocuments {
    ParametresDocuments {
        date: NaiveDate::from_ymd_opt(2027, 1, 20),
        commission: Some(CommissionDoc {
            lieu: "salle du conseil".into(),
            president: "Mme Sophie Bernard".into(),
            membres: vec![MembreDoc {
                nom: "M. Karim Haddad".into(),
                qualite: "membre titulaire".into(),
            }],
            quorum: true,
            date: Some("2027-01-18T13:30:00Z".parse().unwrap()),
        }),
        contrat: Some(ClausesContrat {
            duree: "8 mois".into(),
            forme_prix: "prix global et forfaitaire".into(),
            date_signature: NaiveDate::from_ymd_opt(2027, 1, 25),
            date_notification: NaiveDate::from_ymd_opt(2027, 1, 27),
            garantie: Some(GarantieDoc {
                objet: "retenue de garantie de 5 %".into(),
                montant_centimes: 100_000,
                garant_nom: "Banque Exemple".into(),
                garant_adresse: "1 rue de la Banque, 69003 Lyon".into(),
                garant_siret: "60599137200011".into(),
                garant_representant: "M. Paul Girard".into(),
                date_expiration: NaiveDate::from_ymd_opt(2028, 1, 27),
            }),
            ..Default::default()
        }),
        questions: vec![QuestionDoc {
            question: "Préciser le phasage.".into(),
            reponse: Some("En deux tranches.".into()),
        }],
        date_limite_reponse: Some("2027-01-22T11:00:00Z".parse().unwrap()),
        mise_au_point: vec![PointMiseAuPoint {
            objet: "Calendrier".into(),
            texte: "Démarrage au 1er mars.".into(),
        }],
        ..Default::default()
    }
}

#[test]
fn every_form_from_the_procedure_state() {
    let (p, org) = procedure();
    // A lot awarded, its attributaire and a company not retained on it.
    let (lot, attributaire) = p
        .decisions
        .iter()
        .find_map(|(l, d)| match &d.decision {
            Decision::Attribution { attributaires } => Some((*l, attributaires[0].pli)),
            _ => None,
        })
        .expect("le scénario attribue un lot");
    let rejete = p
        .plis_recevables(lot)
        .find(|x| x.numero != attributaire)
        .expect("un pli non retenu")
        .numero;
    let mut parametres = complements();
    parametres.lot = Some(lot);
    let d = donnees_documents(&p, &org, &parametres).unwrap();
    let c = &p.consultation;
    assert_eq!(d.consultation.reference, c.identification.reference);
    assert_eq!(d.consultation.date_limite, p.dlro);
    assert_eq!(d.organisme.siret, org.entite.siret);
    assert_eq!(d.lots.len(), 1);
    assert_eq!(d.lots[0].intitule, c.lot(lot).unwrap().intitule);
    let contrat = d.contrat.as_ref().unwrap();
    assert_eq!(contrat.titulaire, format!("pli{attributaire}"));
    assert_eq!(
        d.document.destinataire.as_deref(),
        Some(format!("pli{attributaire}").as_str())
    );
    // The lieu comes from the buyer's address, the standstill from the letters sent.
    let ville = c
        .acces
        .rpa
        .as_ref()
        .and_then(|r| r.adresse.clone())
        .unwrap();
    assert!(ville.ends_with(&d.document.lieu), "{}", d.document.lieu);
    assert_eq!(d.document.delai_suspension_jours, Some(11));
    let titulaire = &p.pli(attributaire).unwrap().entreprise.raison_sociale;
    let autre = &p.pli(rejete).unwrap().entreprise.raison_sociale;
    for f in CATALOGUE {
        let mut par = parametres.clone();
        if matches!(f.code, "NOT13" | "OUV6" | "OUV7") {
            par.pli = Some(rejete);
        }
        let d = donnees_documents(&p, &org, &par).unwrap();
        let docx = formulaires::generer(f.code, &d)
            .unwrap_or_else(|e| panic!("{} : {e} [{}]", f.code, e.code().name()));
        let texte = texte_document(&docx).unwrap();
        assert!(
            texte.contains(&c.identification.intitule),
            "{} : intitulé absent",
            f.code
        );
        let attendu = match f.code {
            "NOT13" | "OUV6" | "OUV7" => autre,
            "OUV3" | "OUV4" | "OUV5" | "OUV8" | "OUV9" | "OUV10" | "NOT11" | "NOT14" | "NOT15"
            | "NOT17" | "NOT18" | "OUV11" => titulaire,
            _ => unreachable!("{}", f.code),
        };
        assert!(
            texte.contains(attendu.as_str()),
            "{} : {attendu} absent",
            f.code
        );
    }
}

#[test]
fn unknown_lot_or_pli_is_refused() {
    let (p, org) = procedure();
    let e = donnees_documents(
        &p,
        &org,
        &ParametresDocuments {
            lot: Some(99),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::LotInconnu);
    let e = donnees_documents(
        &p,
        &org,
        &ParametresDocuments {
            pli: Some(999),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), CodeErreur::PliInconnu);
}
