//! Documents attendus checked at dépôt: each mandatory document present in its envelope
//! (for the right lot), in an accepted format, signed when the document requires it.
//! Each refusal has its code, names the document and the envelope, points at the file,
//! and leaves the state untouched (`Banc::essayer`).

mod procedure_commun;

use mpe::CodeErreur as C;
use mpe::model::{DocumentAttendu, TypeEnveloppe};
use mpe::procedure::{Action, ResultatSignature, SignatureFichier};
use procedure_commun::{Banc, etape, scenario};

const VALIDE: &str = "2026-11-02T09:00:00Z";
const AVANT: &str = "2026-12-10T10:00:00Z";

fn modifier(a: &Action, f: impl FnOnce(&mut serde_json::Value)) -> Action {
    let mut v = serde_json::to_value(a).unwrap();
    f(&mut v);
    serde_json::from_value(v).unwrap()
}

/// Company A's pli (lots 1 and 2): candidature, offre lot 1, offre lot 2; each offer holds
/// AE (PAdES, valid), DPGF (xlsx), Mémoire (pdf), each declaring its document.
fn depot() -> (Action, mpe::procedure::Acteur) {
    etape(&scenario(), "pli 1")
}

fn fichier(v: &mut serde_json::Value, env: usize, f: usize) -> &mut serde_json::Value {
    &mut v["enveloppes"][env]["fichiers"][f]
}

#[test]
fn pli_conforme_accepte_et_recu_nomme_les_documents() {
    let mut b = Banc::valide(|_| {}, VALIDE);
    let (d, e) = depot();
    b.ok(AVANT, &e, &d);
    let j = serde_json::to_string(&b.journal.last().unwrap().evenement).unwrap();
    assert!(j.contains(r#""document":"Décomposition du prix global et forfaitaire""#));
    // Files without a declared document are free pieces: accepted beside the expected ones.
    let mut b = Banc::valide(|_| {}, VALIDE);
    let libre = modifier(&d, |v| {
        let mut f = fichier(v, 1, 2).clone();
        f["nom"] = "Planning.mpp".into();
        f.as_object_mut().unwrap().remove("document");
        v["enveloppes"][1]["fichiers"]
            .as_array_mut()
            .unwrap()
            .push(f);
    });
    b.ok(AVANT, &e, &libre);
}

#[test]
fn document_obligatoire_manquant() {
    let mut b = Banc::valide(|_| {}, VALIDE);
    let (d, e) = depot();
    // The DPGF of lot 2 left out.
    let sans = modifier(&d, |v| {
        v["enveloppes"][2]["fichiers"]
            .as_array_mut()
            .unwrap()
            .remove(1);
    });
    let err = b.essayer(AVANT, &e, &sans).unwrap_err();
    assert_eq!(err.code(), C::DocumentManquant);
    assert!(
        err.message()
            .contains("« Décomposition du prix global et forfaitaire »")
    );
    assert!(err.message().contains("Offre (lot 2)"), "{}", err.message());
    assert_eq!(err.path(), Some("$.enveloppes[2].fichiers"));
    // A file still there but no longer declaring the document: missing too.
    let non_declare = modifier(&d, |v| {
        fichier(v, 0, 0).as_object_mut().unwrap().remove("document");
    });
    let err = b.essayer(AVANT, &e, &non_declare).unwrap_err();
    assert_eq!(err.code(), C::DocumentManquant);
    assert!(err.message().contains("DUME ou DC1/DC2"));
    assert!(err.message().contains("Candidature"));
}

#[test]
fn document_d_un_lot_exige_pour_ce_lot_seulement() {
    // "Note méthodologique chaufferie" is mandatory for lot 3 only: company A (lots 1, 2)
    // does not give it; company B on lot 3 must.
    let s = scenario();
    let (b3, e3) = etape(&s, "pli 2 (remplacé ensuite)");
    let mut b = Banc::valide(|_| {}, VALIDE);
    let sans_note = modifier(&b3, |v| {
        let offre3 = v["enveloppes"][2]["fichiers"].as_array_mut().unwrap();
        offre3.retain(|f| f["document"] != "Note méthodologique chaufferie");
    });
    let err = b.essayer(AVANT, &e3, &sans_note).unwrap_err();
    assert_eq!(err.code(), C::DocumentManquant);
    assert!(err.message().contains("Note méthodologique chaufferie"));
    assert!(err.message().contains("lot 3"));
    // Declared in lot 1's offer, where it is not expected.
    let deplacee = modifier(&b3, |v| {
        let note = fichier(v, 2, 3).clone();
        v["enveloppes"][1]["fichiers"]
            .as_array_mut()
            .unwrap()
            .push(note);
    });
    let err = b.essayer(AVANT, &e3, &deplacee).unwrap_err();
    assert_eq!(err.code(), C::DocumentInattendu);
    assert_eq!(err.path(), Some("$.enveloppes[1].fichiers[3].document"));
    b.ok(AVANT, &e3, &b3);
    // Depositing the note for lot 1 where it is not expected with A is refused too.
    let (d, e) = depot();
    let note_a = modifier(&d, |v| {
        fichier(v, 1, 2)["document"] = "Note méthodologique chaufferie".into();
    });
    assert_eq!(b.code(AVANT, &e, &note_a), C::DocumentInattendu);
}

#[test]
fn format_refuse() {
    let mut b = Banc::valide(|_| {}, VALIDE);
    let (d, e) = depot();
    let pdf = modifier(&d, |v| {
        fichier(v, 1, 1)["nom"] = "DPGF_lot1.pdf".into();
    });
    let err = b.essayer(AVANT, &e, &pdf).unwrap_err();
    assert_eq!(err.code(), C::FormatDocumentRefuse);
    assert!(err.message().contains("DPGF_lot1.pdf"));
    assert!(err.message().contains("xlsx"));
    assert!(err.message().contains("Offre (lot 1)"));
    assert_eq!(err.path(), Some("$.enveloppes[1].fichiers[1].nom"));
    // No extension at all.
    let sans_ext = modifier(&d, |v| {
        fichier(v, 1, 0)["nom"] = "AE".into();
    });
    assert_eq!(b.code(AVANT, &e, &sans_ext), C::FormatDocumentRefuse);
    // Case of the extension does not matter; a CAdES enveloping signature of a PDF
    // (AE.pdf.p7s) is the PDF.
    let majuscules = modifier(&d, |v| {
        fichier(v, 1, 1)["nom"] = "DPGF_LOT1.XLSX".into();
        fichier(v, 2, 0)["nom"] = "AE_lot2.pdf.p7s".into();
        fichier(v, 2, 0)["signature"]["format"] = "CAdES".into();
    });
    b.ok(AVANT, &e, &majuscules);
    // A .p7s that is not declared as a CAdES signature is judged on its own extension.
    let mut b = Banc::valide(|_| {}, VALIDE);
    let p7s = modifier(&d, |v| {
        fichier(v, 2, 0)["nom"] = "AE_lot2.pdf.p7s".into();
    });
    assert_eq!(b.code(AVANT, &e, &p7s), C::FormatDocumentRefuse);
}

#[test]
fn signature_exigee_par_document() {
    // The consultation allows signatures but does not require them; the acte d'engagement
    // does (per-document rule).
    let exige_ae = |c: &mut mpe::model::Consultation| {
        for doc in &mut c.modalites.documents {
            if doc.libelle == "Acte d'engagement" {
                doc.signature_requise = true;
            }
        }
    };
    let (d, e) = depot();
    let mut b = Banc::valide(exige_ae, VALIDE);
    let non_signe = modifier(&d, |v| {
        fichier(v, 2, 0)
            .as_object_mut()
            .unwrap()
            .remove("signature");
    });
    let err = b.essayer(AVANT, &e, &non_signe).unwrap_err();
    assert_eq!(err.code(), C::SignatureManquante);
    assert!(err.message().contains("« Acte d'engagement »"));
    assert!(err.message().contains("Offre (lot 2)"));
    assert!(err.message().contains("non signé"));
    assert_eq!(err.path(), Some("$.enveloppes[2].fichiers[0].signature"));
    let invalide = modifier(&d, |v| {
        fichier(v, 1, 0)["signature"] = serde_json::to_value(SignatureFichier {
            format: "PAdES".into(),
            resultat: ResultatSignature::Invalide,
            signataire: None,
        })
        .unwrap();
    });
    let err = b.essayer(AVANT, &e, &invalide).unwrap_err();
    assert_eq!(err.code(), C::SignatureManquante);
    assert!(err.message().contains("signature invalide"));
    // The other documents are not signed, and need not be.
    b.ok(AVANT, &e, &d);
    // Without the per-document rule, an unsigned AE is fine.
    let mut b = Banc::valide(|_| {}, VALIDE);
    b.ok(AVANT, &e, &non_signe);
}

#[test]
fn libelle_compare_sans_casse_et_borne() {
    let (d, e) = depot();
    let mut b = Banc::valide(|_| {}, VALIDE);
    let casse = modifier(&d, |v| {
        fichier(v, 0, 0)["document"] = "  dume OU dc1/dc2 ".into();
        fichier(v, 1, 2)["document"] = "MÉMOIRE TECHNIQUE".into();
    });
    b.ok(AVANT, &e, &casse);
    let mut b = Banc::valide(|_| {}, VALIDE);
    let long = modifier(&d, |v| {
        fichier(v, 0, 0)["document"] = "x".repeat(300).into();
    });
    assert_eq!(b.code(AVANT, &e, &long), C::ChampTropLong);
    let vide = modifier(&d, |v| {
        fichier(v, 0, 0)["document"] = " ".into();
    });
    assert_eq!(b.code(AVANT, &e, &vide), C::ChampTropLong);
}

#[test]
fn document_de_candidature_sans_format_impose() {
    // A candidature document (common to the lots: the rules refuse a lot on it), any format.
    let ajoute = |c: &mut mpe::model::Consultation| {
        c.modalites.documents.push(DocumentAttendu {
            enveloppe: TypeEnveloppe::Candidature,
            libelle: "Qualification Qualibat 5111".into(),
            formats: vec![],
            obligatoire: true,
            lot: None,
            signature_requise: false,
        });
    };
    let mut b = Banc::valide(ajoute, VALIDE);
    let (d, e) = depot();
    let err = b.essayer(AVANT, &e, &d).unwrap_err();
    assert_eq!(err.code(), C::DocumentManquant);
    assert!(err.message().contains("Qualibat"));
    assert_eq!(err.path(), Some("$.enveloppes[0].fichiers"));
    let avec = modifier(&d, |v| {
        let mut f = fichier(v, 0, 0).clone();
        f["nom"] = "Qualibat.jpeg".into();
        f["document"] = "Qualification Qualibat 5111".into();
        v["enveloppes"][0]["fichiers"]
            .as_array_mut()
            .unwrap()
            .push(f);
    });
    b.ok(AVANT, &e, &avec);
}

#[test]
fn pli_papier_non_controle() {
    // Paper plis carry no file list: documents attendus are checked when the agent opens
    // them, not at registration.
    let mut b = Banc::valide(|_| {}, VALIDE);
    let (p, a) = etape(
        &scenario(),
        "pli papier 5 reçu hors délai (registre papier)",
    );
    b.ok("2026-12-15T13:00:00Z", &a, &p);
}
