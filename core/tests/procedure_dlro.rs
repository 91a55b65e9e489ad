//! The DLRO to the second, in Europe/Paris time, across the daylight-saving changes of the
//! last Sundays of March and October.

mod procedure_commun;

use chrono::NaiveDateTime;
use mpe::CodeErreur;
use mpe::procedure::Phase;
use procedure_commun::{Banc, etape, scenario};

fn dlro(local: &str, valide_le: &str) -> Banc {
    let d: NaiveDateTime = local.parse().unwrap();
    Banc::valide(
        |c| {
            c.calendrier.dlro = d;
            c.calendrier.date_envoi_avis = None;
        },
        valide_le,
    )
}

/// A bid at `avant` is accepted, the same at `a_la_dlro` is refused HORS_DELAI, and the
/// phase switches exactly then.
fn borne(local: &str, valide_le: &str, avant: &str, a_la_dlro: &str) {
    let s = scenario();
    let (depot, entreprise) = etape(&s, "pli 1");
    let mut b = dlro(local, valide_le);
    assert_eq!(b.p.phase_a(procedure_commun::t(avant)), Phase::Consultation);
    assert_eq!(
        b.p.phase_a(procedure_commun::t(a_la_dlro)),
        Phase::OuvertureAnalyse
    );
    assert_eq!(
        b.code(a_la_dlro, &entreprise, &depot),
        CodeErreur::HorsDelai,
        "{local} : pli à {a_la_dlro}"
    );
    let mut b2 = dlro(local, valide_le);
    b2.ok(avant, &entreprise, &depot);
    // And one second later the same company is late.
    assert_eq!(
        b2.code(a_la_dlro, &entreprise, &depot),
        CodeErreur::HorsDelai
    );
}

#[test]
fn hiver_et_ete() {
    borne(
        "2026-12-15T12:00:00",
        "2026-10-01T08:00:00Z",
        "2026-12-15T10:59:59Z",
        "2026-12-15T11:00:00Z",
    );
    borne(
        "2027-07-15T12:00:00",
        "2027-05-01T08:00:00Z",
        "2027-07-15T09:59:59Z",
        "2027-07-15T10:00:00Z",
    );
}

#[test]
fn dernier_dimanche_de_mars() {
    // 29/03/2026: clocks go from 02:00 to 03:00. Noon is already summer time (UTC+2).
    borne(
        "2026-03-29T12:00:00",
        "2026-01-20T08:00:00Z",
        "2026-03-29T09:59:59Z",
        "2026-03-29T10:00:00Z",
    );
    // 03:00 right after the gap is 01:00 UTC; 01:59:59 local (winter) is 00:59:59 UTC.
    borne(
        "2026-03-29T03:00:00",
        "2026-01-20T08:00:00Z",
        "2026-03-29T00:59:59Z",
        "2026-03-29T01:00:00Z",
    );
    // The day before, still winter time (UTC+1).
    borne(
        "2026-03-28T12:00:00",
        "2026-01-20T08:00:00Z",
        "2026-03-28T10:59:59Z",
        "2026-03-28T11:00:00Z",
    );
    // 2027: 28/03.
    borne(
        "2027-03-28T12:00:00",
        "2027-01-20T08:00:00Z",
        "2027-03-28T09:59:59Z",
        "2027-03-28T10:00:00Z",
    );
}

#[test]
fn heure_inexistante_refusee() {
    // 02:30 on 29/03/2026 does not exist: validation refuses it.
    let s = scenario();
    let mut c = s.consultation.clone();
    c.calendrier.dlro = "2026-03-29T02:30:00".parse().unwrap();
    c.calendrier.date_envoi_avis = None;
    let martin = procedure_commun::agent("a.martin");
    let ctx = |t| mpe::procedure::Contexte {
        maintenant: procedure_commun::t(t),
        acteur: &martin,
        organisation: &s.organisation,
    };
    let (mut p, _) = mpe::procedure::Procedure::nouvelle(c, &ctx("2026-01-20T08:00:00Z")).unwrap();
    let e = p
        .appliquer(
            &mpe::procedure::Action::Valider { cles: vec![] },
            &ctx("2026-01-20T08:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(e.code(), CodeErreur::ValidationEchec);
    assert!(e.message().contains("HEURE_INEXISTANTE"), "{e}");
    // Reporting the DLRO into the gap is refused too.
    let mut b = dlro("2026-03-27T12:00:00", "2026-01-20T08:00:00Z");
    let report = mpe::procedure::Action::ReporterDlro {
        dlro: "2026-03-29T02:15:00".parse().unwrap(),
        motif: "report".into(),
    };
    assert_eq!(
        b.code("2026-03-01T08:00:00Z", &martin, &report),
        CodeErreur::HeureInexistante
    );
}

#[test]
fn dernier_dimanche_d_octobre() {
    // 25/10/2026: clocks go back from 03:00 to 02:00. Noon is winter time (UTC+1).
    borne(
        "2026-10-25T12:00:00",
        "2026-08-20T08:00:00Z",
        "2026-10-25T10:59:59Z",
        "2026-10-25T11:00:00Z",
    );
    // 02:30 happens twice: the DLRO is the first one (00:30 UTC), so a bid at the second
    // 02:29:59 (01:29:59 UTC) is late.
    borne(
        "2026-10-25T02:30:00",
        "2026-08-20T08:00:00Z",
        "2026-10-25T00:29:59Z",
        "2026-10-25T00:30:00Z",
    );
    let s = scenario();
    let (depot, entreprise) = etape(&s, "pli 1");
    let mut b = dlro("2026-10-25T02:30:00", "2026-08-20T08:00:00Z");
    assert_eq!(
        b.code("2026-10-25T01:29:59Z", &entreprise, &depot),
        CodeErreur::HorsDelai
    );
    // 2027: 31/10.
    borne(
        "2027-10-31T12:00:00",
        "2027-08-20T08:00:00Z",
        "2027-10-31T10:59:59Z",
        "2027-10-31T11:00:00Z",
    );
}

#[test]
fn report_de_la_dlro_previent_les_entreprises() {
    let s = scenario();
    let (retrait, qui) = s
        .etapes
        .iter()
        .find(|e| {
            matches!(
                &e.action,
                Some(mpe::procedure::Action::EnregistrerRetrait {
                    entreprise: Some(_),
                    ..
                })
            )
        })
        .map(|e| (e.action.clone().unwrap(), e.acteur.clone()))
        .unwrap();
    let (depot, entreprise) = etape(&s, "pli 1");
    let mut b = dlro("2026-12-15T12:00:00", "2026-10-01T08:00:00Z");
    b.ok("2026-11-04T09:00:00Z", &qui, &retrait);
    let martin = procedure_commun::agent("a.martin");
    let report = mpe::procedure::Action::ReporterDlro {
        dlro: "2026-12-22T12:00:00".parse().unwrap(),
        motif: "Modification du DCE".into(),
    };
    b.ok("2026-12-01T08:00:00Z", &martin, &report);
    let fin = b.journal.last().unwrap();
    match &fin.evenement {
        mpe::procedure::Evenement::DlroReportee {
            destinataires,
            nouvelle,
            ..
        } => {
            assert_eq!(destinataires.len(), 1);
            assert_eq!(nouvelle.to_rfc3339(), "2026-12-22T11:00:00+00:00");
        }
        e => panic!("{e:?}"),
    }
    // The old DLRO no longer applies.
    b.ok("2026-12-18T09:00:00Z", &entreprise, &depot);
}
