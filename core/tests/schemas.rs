//! The JSON Schemas under `schemas/` are generated from the model so that PHP and Java hosts
//! can validate their JSON before calling mpe (and so that the tests can validate mpe's own
//! outputs against them: `tests/interop/test_schemas_sorties.py`). This test fails when they
//! are stale; run it with `MPE_UPDATE_SCHEMAS=1` to regenerate them. `schemas/README.md` says
//! which function or command takes or gives each one.

use std::path::Path;

fn check(name: &str, schema: schemars::Schema) {
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(name);
    if std::env::var_os("MPE_UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schemas/{name} is stale: run `MPE_UPDATE_SCHEMAS=1 cargo test -p mpe --test schemas`"
    );
}

/// One test per schema: `schema!(test_name, "file.schema.json", Type)`.
macro_rules! schema {
    ($test:ident, $file:literal, $t:ty) => {
        #[test]
        fn $test() {
            check($file, schemars::schema_for!($t));
        }
    };
}

// The consultation and its checks.
schema!(
    consultation,
    "consultation.schema.json",
    mpe::model::Consultation
);
schema!(
    organisation,
    "organisation.schema.json",
    mpe::model::Organisation
);
schema!(constats, "constats.schema.json", Vec<mpe::rules::Constat>);

// The procedure: state, actions, journal, receipts.
schema!(
    procedure,
    "procedure.schema.json",
    mpe::procedure::Procedure
);
schema!(action, "action.schema.json", mpe::procedure::Action);
schema!(
    entree_journal,
    "entree_journal.schema.json",
    mpe::procedure::EntreeJournal
);
schema!(
    entrees_journal,
    "entrees_journal.schema.json",
    Vec<mpe::procedure::EntreeJournal>
);
schema!(
    tete_journal,
    "tete_journal.schema.json",
    mpe::procedure::TeteJournal
);
schema!(
    evenement,
    "evenement.schema.json",
    mpe::procedure::Evenement
);
schema!(
    accuse_reception,
    "accuse_reception.schema.json",
    mpe::model::AccuseReception
);
schema!(
    decision_lot,
    "decision_lot.schema.json",
    mpe::model::DecisionLot
);
schema!(
    contexte,
    "contexte.schema.json",
    mpe::procedure::ContexteDonnees
);
schema!(
    parametres_suite,
    "parametres_suite.schema.json",
    mpe::procedure::ParametresSuite
);
schema!(liens, "liens.schema.json", Vec<mpe::model::Lien>);
schema!(
    registres,
    "registres.schema.json",
    mpe::procedure::Registres
);
schema!(
    destinataires,
    "destinataires.schema.json",
    Vec<mpe::model::Destinataire>
);
schema!(
    filtre_destinataires,
    "filtre_destinataires.schema.json",
    mpe::procedure::FiltreDestinataires
);
schema!(
    bilan_ouverture,
    "bilan_ouverture.schema.json",
    mpe::procedure::BilanOuverture
);

// Contracts and DECP.
schema!(contrat, "contrat.schema.json", mpe::donnees::Contrat);
schema!(contrats, "contrats.schema.json", Vec<mpe::donnees::Contrat>);
schema!(
    attribution,
    "attribution.schema.json",
    mpe::donnees::Attribution
);
schema!(
    complement_contrat,
    "complement_contrat.schema.json",
    mpe::donnees::ComplementContrat
);
schema!(
    filtre_contrats,
    "filtre_contrats.schema.json",
    mpe::donnees::FiltreContrats
);
schema!(
    anomalies_decp,
    "anomalies_decp.schema.json",
    Vec<mpe::donnees::Anomalie>
);
schema!(
    options_import,
    "options_import.schema.json",
    mpe::donnees::OptionsImport
);
schema!(
    rapport_import,
    "rapport_import.schema.json",
    mpe::donnees::RapportImport
);
schema!(recherche, "recherche.schema.json", mpe::donnees::Recherche);
schema!(
    resultat_recherche,
    "resultat_recherche.schema.json",
    mpe::donnees::ResultatRecherche
);
schema!(
    options_ocds,
    "options_ocds.schema.json",
    mpe::donnees::OptionsOcds
);
schema!(
    etat_actuel,
    "etat_actuel.schema.json",
    mpe::donnees::EtatActuel
);
schema!(
    element_decp,
    "element_decp.schema.json",
    mpe::donnees::ElementDecp
);
schema!(fiche, "fiche.schema.json", mpe::donnees::Fiche);

// Errors, as the outputs of the procedure and the bindings carry them.
schema!(erreur, "erreur.schema.json", mpe::Erreur);

// Keys, envelopes and the opening of the plis.
schema!(
    generation_bicle,
    "generation_bicle.schema.json",
    mpe::crypto::bicle::GenerationBiCle
);
schema!(
    info_bicle,
    "info_bicle.schema.json",
    mpe::crypto::bicle::InfoBiCle
);
schema!(
    cles_chiffrement,
    "cles_chiffrement.schema.json",
    Vec<mpe::crypto::cle_chiffrement::CleChiffrement>
);
schema!(
    info_dechiffrement,
    "info_dechiffrement.schema.json",
    mpe::crypto::cms::InfoDechiffrement
);
schema!(
    manifeste_enveloppe,
    "manifeste_enveloppe.schema.json",
    mpe::crypto::enveloppe::Manifeste
);
schema!(
    entrees_enveloppe,
    "entrees_enveloppe.schema.json",
    Vec<mpe::crypto::enveloppe::EntreeEnveloppe>
);
schema!(
    index_export,
    "index_export.schema.json",
    mpe::crypto::ouverture::IndexExport
);
schema!(
    rapport_ouverture,
    "rapport_ouverture.schema.json",
    mpe::crypto::ouverture::RapportOuverture
);
schema!(
    etape_ouverture,
    "etape_ouverture.schema.json",
    mpe::crypto::ouverture::Etape
);

// Signatures.
schema!(
    options_signature,
    "options_signature.schema.json",
    mpe::signature::OptionsSignature
);
schema!(
    options_verification,
    "options_verification.schema.json",
    mpe::signature::OptionsVerificationJson
);
schema!(
    rapport_verification,
    "rapport_verification.schema.json",
    mpe::signature::RapportVerification
);
schema!(
    signature_preparee,
    "signature_preparee.schema.json",
    mpe::signature::SignaturePreparee
);

// Documents.
schema!(
    donnees_procedure,
    "donnees_procedure.schema.json",
    mpe::documents::DonneesProcedure
);
schema!(
    parametres_documents,
    "parametres_documents.schema.json",
    mpe::documents::ParametresDocuments
);
schema!(
    catalogue_formulaires,
    "catalogue_formulaires.schema.json",
    Vec<mpe::documents::Formulaire>
);
schema!(
    champs_modele,
    "champs_modele.schema.json",
    Vec<mpe::documents::ChampModele>
);
schema!(
    espace_documentaire,
    "espace_documentaire.schema.json",
    mpe::documents::EspaceDocumentaire
);
schema!(
    pieces,
    "pieces.schema.json",
    Vec<mpe::documents::PieceEspace>
);
schema!(
    options_fusion,
    "options_fusion.schema.json",
    mpe::documents::OptionsFusion
);

// Letters.
schema!(courrier, "courrier.schema.json", mpe::messagerie::Courrier);
schema!(
    modele_courrier,
    "modele_courrier.schema.json",
    mpe::messagerie::ModeleCourrier
);
schema!(
    adresses,
    "adresses.schema.json",
    Vec<mpe::messagerie::Adresse>
);
schema!(
    destinataires_courrier,
    "destinataires_courrier.schema.json",
    Vec<mpe::messagerie::Destinataire>
);
schema!(
    contacts_entreprises,
    "contacts_entreprises.schema.json",
    Vec<mpe::messagerie::ContactEntreprise>
);

// Reference data, trusted lists, notices.
schema!(cpv, "cpv.schema.json", mpe::rules::cpv::CodeCpv);
schema!(
    rapport_qualification,
    "rapport_qualification.schema.json",
    mpe::confiance::RapportQualification
);
schema!(
    rapport_liste,
    "rapport_liste.schema.json",
    mpe::confiance::RapportListe
);
schema!(
    listes_confiance,
    "listes_confiance.schema.json",
    mpe::confiance::ListesConfianceJson
);
schema!(
    confiance,
    "confiance.schema.json",
    mpe::confiance::Confiance
);
schema!(
    donnees_avis,
    "donnees_avis.schema.json",
    mpe::publication::DonneesAvis
);
schema!(
    constats_avis,
    "constats_avis.schema.json",
    Vec<mpe::publication::ConstatAvis>
);
schema!(
    resume_avis,
    "resume_avis.schema.json",
    mpe::publication::ResumeAvis
);
schema!(avis, "avis.schema.json", mpe::publication::Avis);
schema!(
    rapport_schematron,
    "rapport_schematron.schema.json",
    mpe::publication::RapportSchematron
);
schema!(
    contrats_lots,
    "contrats_lots.schema.json",
    Vec<mpe::publication::ContratLot>
);
schema!(
    dume_demande,
    "dume_demande.schema.json",
    mpe::publication::DumeDemande
);
schema!(
    resume_dume,
    "resume_dume.schema.json",
    mpe::publication::ResumeDume
);
schema!(
    ecarts_dume,
    "ecarts_dume.schema.json",
    Vec<mpe::publication::EcartDume>
);

// The tokens of a PKCS#11 module and their certificates (`jeton_lister`,
// `mpe.jeton.lister`, the token lines of `mpe diagnostic`).
schema!(
    jetons,
    "jetons.schema.json",
    Vec<mpe::crypto::jeton::JetonEtCertificats>
);

mod corpus_commun;

/// Real outputs of the public JSON that only the Rust API gives (no binding or command
/// does): the notice pre-check and reading, and trusted-list reports of the corpus. Written
/// to `$MPE_SORTIES_SCHEMAS` as `<schema>__<n>.json` for
/// `tests/interop/test_schemas_sorties.py`, which validates them; without the variable
/// this only checks that they are produced.
#[test]
fn sorties_rust() {
    use chrono::TimeZone;
    let dir = std::env::var_os("MPE_SORTIES_SCHEMAS").map(std::path::PathBuf::from);
    let mut n = 0;
    let mut ecrire = |schema: &str, v: &dyn erased::Json| {
        n += 1;
        if let Some(d) = &dir {
            let f = d.join(format!("{schema}__{n}.json"));
            std::fs::write(f, v.json()).unwrap();
        }
    };
    // Notices: the example consultation, then with its notice data emptied (findings).
    let racine = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let lire = |p: &str| std::fs::read_to_string(racine.join(p)).unwrap();
    let c = mpe::model::Consultation::from_json(&lire("examples/data/consultation.json")).unwrap();
    let o: mpe::model::Organisation =
        serde_json::from_str(&lire("examples/data/organisation.json")).unwrap();
    let d: mpe::publication::DonneesAvis =
        serde_json::from_str(&lire("tests/vectors/publication/donnees_avis.json")).unwrap();
    let t = chrono::Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap();
    let avis = mpe::publication::generer_avis_marche(&c, &o, &d, t).unwrap();
    ecrire(
        "resume_avis",
        &mpe::publication::lire_avis(&avis.xml).unwrap(),
    );
    ecrire(
        "constats_avis",
        &mpe::publication::verifier_avis(&c, &o, &d, t),
    );
    let vide: mpe::publication::DonneesAvis = serde_json::from_str("{}").unwrap();
    let constats = mpe::publication::verifier_avis(&c, &o, &vide, t);
    assert!(!constats.is_empty());
    ecrire("constats_avis", &constats);
    // The trusted lists of the corpus, with the announced certificates and the time their
    // expectations give (usable lists with their services, and refused ones).
    let corpus = corpus_commun::corpus();
    let exp: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus.join("expectations.json")).unwrap()).unwrap();
    let (mut utilisables, mut refusees) = (0, 0);
    for e in exp["entries"].as_array().unwrap() {
        if e["kind"] != "tsl" {
            continue;
        }
        let mut annonces = vec![];
        for a in e["trust_anchors"].as_array().into_iter().flatten() {
            let octets = std::fs::read(corpus.join(a.as_str().unwrap())).unwrap();
            annonces.extend(mpe::signature::certificats(&octets).unwrap());
        }
        let date = e["validation_time"]
            .as_str()
            .map_or(t, |d| d.parse().unwrap());
        let octets = std::fs::read(corpus.join(e["path"].as_str().unwrap())).unwrap();
        let opts = mpe::confiance::OptionsListe::new(annonces, date);
        if let Ok(r) = mpe::confiance::verifier_liste(&octets, &opts) {
            if r.utilisable {
                utilisables += 1;
            } else {
                refusees += 1;
            }
            ecrire("rapport_liste", &r);
        }
    }
    assert!(
        utilisables >= 10 && refusees >= 5,
        "{utilisables} utilisables, {refusees} refusées"
    );
}

/// `&dyn Serialize` for the writer above.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}
