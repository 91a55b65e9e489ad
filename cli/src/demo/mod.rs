//! `mpe demo`: a whole procedure, end to end, on embedded defaults.
//!
//! A demo PKI, a consultation of the Ville de Villeurbanne with 2 lots, four companies that
//! download the DCE and answer with signed (PAdES, CAdES, XAdES) and encrypted plis — the
//! fourth one second after the DLRO —, the opening with decryption and signature checks, the
//! analysis, decisions with a reset, the DAJ documents, the rejection letters, the contract
//! with its essential data, and the verified journal. Every artefact is left in OUTDIR.
//!
//! The scenario runs on a fixed calendar (November 2026 – January 2027) passed to the library
//! as the time of each action, as a host replaying a procedure would.

mod pki;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, TimeZone, Utc};
use clap::Args;
use mpe::crypto::bicle::{
    BiCle, GenerationBiCle, PrivateKey, certificate_to_pem, export_pkcs8_pem,
};
use mpe::crypto::cle_chiffrement::{CleChiffrement, NatureCle};
use mpe::crypto::cms::{Cle, OptionsChiffrement, encrypt};
use mpe::crypto::enveloppe;
use mpe::model::{Consultation, Montant, Organisation, TypeEnveloppe};
use mpe::procedure::{
    Acteur, Action, Attributaire, Contact, Contexte, Decision, EntreeJournal, Entreprise,
    EnveloppeDeposee, EtapeOuverture, Evenement, Fichier, IdentifiantEntreprise, OptionsOuverture,
    Procedure, Rang, Rappels, RefEnveloppe, ResultatSignature, SignatureFichier, StockagePlis,
};
use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification, Signataire,
    Statut,
};
use mpe::{CodeErreur, Erreur};
use sha2::Digest;

use crate::commun::{Sortie, ecrire};

/// Arguments of `mpe demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exemple :\n  mpe demo /tmp/mpe-demo\n\nCrée une PKI de démonstration (« AC DEMO »), une consultation en 2 lots, quatre dépôts\nsignés et chiffrés (dont un hors délai, refusé), l'ouverture, l'analyse, les décisions (avec\nune réinitialisation), les documents OUV10 et NOT13, les courriers de rejet, le contrat et ses\ndonnées essentielles (DECP JSON et XML, OCDS), et vérifie le journal. Tout est écrit dans le dossier."
)]
pub struct Demo {
    /// Dossier de sortie.
    #[arg(default_value = "mpe-demo")]
    dossier: PathBuf,
}

fn t(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, s)
        .single()
        .unwrap_or_default()
}

/// A company of the scenario.
struct Societe {
    id: &'static str,
    entreprise: Entreprise,
    signataire: String,
    format: FormatSignature,
    lots: Vec<u32>,
    /// Offer amount per lot (cents), in lot order.
    montants: Vec<i64>,
}

fn societe(
    id: &'static str,
    siret: &str,
    nom: &str,
    personne: &str,
    format: FormatSignature,
    lots: Vec<u32>,
    montants: Vec<i64>,
) -> Societe {
    Societe {
        id,
        entreprise: Entreprise {
            identifiant: IdentifiantEntreprise::Siret(siret.into()),
            raison_sociale: nom.into(),
            contact: Contact {
                nom: personne.into(),
                email: format!("appels-offres@{id}.example"),
                telephone: None,
            },
        },
        signataire: personne.into(),
        format,
        lots,
        montants,
    }
}

/// A one-page PDF with a few lines of text (classic xref table), as a company's acte
/// d'engagement. Offsets are computed so that any PDF reader opens it.
fn pdf(lignes: &[String]) -> Vec<u8> {
    let mut contenu = String::from("BT /F1 12 Tf 60 760 Td 16 TL\n");
    for l in lignes {
        // Latin-1 text in a literal string: escape the delimiters.
        let esc: String = l
            .chars()
            .map(|c| if c.is_ascii() { c } else { '?' })
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        contenu.push_str(&format!("({esc}) Tj T*\n"));
    }
    contenu.push_str("ET\n");
    let objets = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{contenu}endstream", contenu.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objets.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objets.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objets.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn sha256(data: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(data))
}

fn fichier(nom: &str, data: &[u8], signature: Option<SignatureFichier>) -> Fichier {
    Fichier {
        nom: nom.into(),
        taille: data.len() as u64,
        sha256: sha256(data),
        signature,
        document: document_attendu(nom),
    }
}

/// The document attendu each file of the demo answers (the company picks it on the platform).
fn document_attendu(nom: &str) -> Option<String> {
    match nom {
        "DUME.xml" => Some("DUME ou DC1/DC2"),
        "AE.pdf" => Some("Acte d'engagement"),
        "Memoire_technique.txt" => Some("Mémoire technique"),
        _ => None,
    }
    .map(str::to_string)
}

fn resultat(s: Statut) -> ResultatSignature {
    match s {
        Statut::Valide => ResultatSignature::Valide,
        Statut::Invalide => ResultatSignature::Invalide,
        _ => ResultatSignature::Indeterminee,
    }
}

fn cree(dossier: &Path) -> Result<(), Erreur> {
    std::fs::create_dir_all(dossier)
        .map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", dossier.display())))
}

/// The demo's journal: every entry the procedure produced, in order.
struct Journal(Vec<EntreeJournal>);

pub fn demo(args: Demo, sortie: &Sortie) -> Result<ExitCode, Erreur> {
    let racine = args.dossier;
    for d in [
        "pki",
        "depots",
        "ouverture",
        "documents",
        "courriers",
        "donnees",
    ] {
        cree(&racine.join(d))?;
    }
    let org: Organisation =
        serde_json::from_str(include_str!("../../../examples/data/organisation.json"))?;
    let mut consultation: Consultation =
        serde_json::from_str(include_str!("../../../examples/data/consultation.json"))?;
    // Two lots for the demo: the third one and its document go.
    consultation.id = "demo-2026-0611".into();
    consultation.lots.retain(|l| l.numero <= 2);
    consultation.modalites.documents.retain(|d| {
        d.lot.is_none_or(|l| l <= 2) && d.libelle != "Décomposition du prix global et forfaitaire"
    });
    // The demo's mémoire technique is a text file.
    for d in &mut consultation.modalites.documents {
        if d.libelle == "Mémoire technique" {
            d.formats.push("txt".into());
        }
    }
    consultation.identification.montant_estime_ht = Some(Montant::euros(930_000));
    let code_acces = consultation.acces.code_acces.clone();

    sortie.info("mpe demo — une procédure complète");
    sortie.info(format!("Dossier : {}\n", racine.display()));

    // ---- PKI
    let debut_pki = t(2026, 10, 1, 0, 0, 0);
    let ac = pki::autorite(debut_pki)?;
    let ac_pem = certificate_to_pem(&ac.certificat)?;
    ecrire(&racine.join("pki/ac-demo.cert.pem"), ac_pem.as_bytes())?;
    let t_creation = t(2026, 11, 2, 8, 30, 0);
    let acheteur = BiCle::generer(&GenerationBiCle::new("Alice MARTIN"), t_creation)?;
    let mut params_secours = GenerationBiCle::new("Ville de Villeurbanne");
    params_secours.nom_complet = Some("Clé de secours de la Ville de Villeurbanne".into());
    let secours = BiCle::generer(&params_secours, t_creation)?;
    for (nom, b) in [("acheteur", &acheteur), ("secours", &secours)] {
        ecrire(
            &racine.join(format!("pki/{nom}.cert.pem")),
            b.certificat_pem()?.as_bytes(),
        )?;
        ecrire(
            &racine.join(format!("pki/{nom}.key.pem")),
            export_pkcs8_pem(b.cle(), None)?.as_bytes(),
        )?;
    }
    let destinataires = vec![
        acheteur.certificate().clone(),
        secours.certificate().clone(),
    ];
    sortie.info("PKI : AC DEMO, bi-clé de l'acheteur (Alice MARTIN) et clé de secours");

    let societes = [
        societe(
            "isolation-rhone",
            "44238104200005",
            "Isolation du Rhône SAS",
            "Paul BERNARD",
            FormatSignature::PAdES,
            vec![1],
            vec![49_870_000],
        ),
        societe(
            "menuiseries-lyonnaises",
            "51234567900009",
            "Menuiseries Lyonnaises SARL",
            "Sophie LEROY",
            FormatSignature::CAdES,
            vec![1, 2],
            vec![51_200_000, 39_650_000],
        ),
        societe(
            "thermique-villeurbanne",
            "77123456400009",
            "Thermique Villeurbannaise",
            "Karim HADDAD",
            FormatSignature::XAdES,
            vec![1, 2],
            vec![53_400_000, 41_990_000],
        ),
        societe(
            "batir-tardif",
            "62345678700000",
            "Bâtir Tardif SA",
            "Luc MOREAU",
            FormatSignature::PAdES,
            vec![2],
            vec![38_000_000],
        ),
    ];
    let mut signataires = Vec::new();
    for (i, s) in societes.iter().enumerate() {
        let id = pki::signataire(
            &ac,
            &s.signataire,
            &s.entreprise.raison_sociale,
            2 + i as u8,
            debut_pki,
        )?;
        ecrire(
            &racine.join(format!("pki/{}.cert.pem", s.id)),
            certificate_to_pem(&id.certificat)?.as_bytes(),
        )?;
        let bicle = BiCle::new(
            PrivateKey::Rsa(id.cle),
            id.certificat,
            vec![ac.certificat.clone()],
        )?;
        signataires.push(Signataire::from_bicle(bicle)?);
    }
    sortie.info(format!(
        "PKI : {} certificats de signature émis par l'AC DEMO\n",
        societes.len()
    ));

    // ---- Consultation
    let mut journal = Journal(Vec::new());
    let alice = Acteur::Agent {
        id: "a.martin".into(),
    };
    fn contexte<'a>(
        acteur: &'a Acteur,
        maintenant: DateTime<Utc>,
        organisation: &'a Organisation,
    ) -> Contexte<'a> {
        Contexte {
            maintenant,
            acteur,
            organisation,
        }
    }
    let (mut p, j) =
        Procedure::nouvelle(consultation.clone(), &contexte(&alice, t_creation, &org))?;
    journal.0.extend(j);
    let t_validation = t(2026, 11, 2, 9, 0, 0);
    journal.0.extend(p.appliquer(
        &Action::Valider {
            // The consultation records the keys of its opening: every dépôt is then checked
            // on its envelopes' bytes.
            cles: vec![
                CleChiffrement::new("acheteur", NatureCle::Personnelle, &acheteur)?,
                CleChiffrement::new("secours", NatureCle::Secours, &secours)?,
            ],
        },
        &contexte(&alice, t_validation, &org),
    )?);
    sortie.info(format!(
        "Consultation {} « {} » validée le {} : {}",
        consultation.identification.reference,
        consultation.identification.intitule,
        mpe::format::date_heure(t_validation),
        p.phase.libelle()
    ));
    let dlro = consultation.calendrier.dlro_instant()?;
    sortie.info(format!(
        "  2 lots, accès restreint, DLRO {}",
        mpe::format::date_heure(dlro)
    ));

    // ---- Retraits of the DCE
    for (i, s) in societes.iter().enumerate() {
        let acteur = Acteur::Entreprise {
            identifiant: s.entreprise.identifiant.clone(),
        };
        let action = Action::EnregistrerRetrait {
            entreprise: Some(s.entreprise.clone()),
            code_acces: code_acces.clone(),
            fichiers: vec!["DCE_AOO_2026_0611.zip".into()],
        };
        journal.0.extend(p.appliquer(
            &action,
            &contexte(&acteur, t(2026, 11, 5 + i as u32, 10, 0, 0), &org),
        )?);
    }
    sortie.info(format!("Retraits du DCE : {}", p.retraits.len()));

    // ---- Dépôts: signed and encrypted envelopes
    let mut chiffrees: Vec<(u32, RefEnveloppe, PathBuf, String)> = Vec::new();
    let mut numeros: Vec<Option<u32>> = Vec::new();
    for (i, s) in societes.iter().enumerate() {
        let tardif = i == 3;
        let quand = if tardif {
            dlro + chrono::Duration::seconds(1)
        } else {
            t(2026, 12, 10, 9 + i as u32, 0, 0)
        };
        let dossier = racine.join("depots").join(s.id);
        cree(&dossier)?;
        let mut enveloppes = Vec::new();
        let mut fichiers_chiffres = Vec::new();
        let mut octets_enveloppes: Vec<Vec<u8>> = Vec::new();
        // Candidature: the DUME.
        let dume = format!(
            "<DUME><Entreprise>{}</Entreprise></DUME>",
            s.entreprise.raison_sociale
        )
        .into_bytes();
        let mut contenus = vec![(
            RefEnveloppe {
                enveloppe: TypeEnveloppe::Candidature,
                lot: 0,
            },
            vec![("DUME.xml".to_string(), dume)],
        )];
        // Offers: the signed acte d'engagement and the mémoire technique.
        for (lot, montant) in s.lots.iter().zip(&s.montants) {
            let ae = pdf(&[
                "ACTE D'ENGAGEMENT".into(),
                format!(
                    "Consultation {} - lot {lot}",
                    consultation.identification.reference
                ),
                format!(
                    "Candidat : {} ({})",
                    s.entreprise.raison_sociale, s.signataire
                ),
                format!("Montant HT : {:.2} EUR", *montant as f64 / 100.0),
            ]);
            let mut opts = OptionsSignature::new(quand - chrono::Duration::hours(1));
            opts.nom_fichier = Some("AE.pdf".into());
            let signature = signature::signer(
                s.format,
                DonneesSignees::Octets(&ae),
                &signataires[i],
                &opts,
            )?;
            let memoire = format!(
                "Mémoire technique de {} pour le lot {lot}.",
                s.entreprise.raison_sociale
            )
            .into_bytes();
            let mut fichiers = Vec::new();
            match s.format {
                FormatSignature::PAdES => fichiers.push(("AE.pdf".to_string(), signature)),
                FormatSignature::CAdES => {
                    fichiers.push(("AE.pdf".to_string(), ae));
                    fichiers.push(("AE.pdf.p7s".to_string(), signature));
                }
                FormatSignature::XAdES => {
                    let jeton = signature::nom_fichier_signe(
                        "AE.pdf",
                        FormatSignature::XAdES,
                        opts.date,
                        1,
                    );
                    fichiers.push(("AE.pdf".to_string(), ae));
                    fichiers.push((jeton, signature));
                }
            }
            fichiers.push(("Memoire_technique.txt".to_string(), memoire));
            contenus.push((
                RefEnveloppe {
                    enveloppe: TypeEnveloppe::Offre,
                    lot: *lot,
                },
                fichiers,
            ));
        }
        let verif = OptionsVerification {
            ancres: vec![ac.certificat.clone()],
            date_verification: Some(quand),
            ..Default::default()
        };
        for (r, fichiers) in &contenus {
            // The platform checks each signature at submission and records the outcome.
            let declares: Vec<Fichier> = fichiers
                .iter()
                .filter(|(nom, _)| {
                    !nom.ends_with(".p7s") && !nom.ends_with(".xml") || nom == "DUME.xml"
                })
                .map(|(nom, data)| {
                    let sig = signature_de(nom, data, fichiers, &verif);
                    fichier(nom, data, sig)
                })
                .collect();
            let zip = enveloppe::construire(fichiers)?;
            let chiffre = encrypt(&zip, &destinataires, &OptionsChiffrement::default())?;
            let nom = format!(
                "{}_lot{}.p7m",
                r.enveloppe.libelle().replace(' ', "_"),
                r.lot
            );
            let chemin = dossier.join(&nom);
            ecrire(&chemin, &chiffre)?;
            fichiers_chiffres.push((*r, chemin, sha256(&chiffre)));
            octets_enveloppes.push(chiffre);
            enveloppes.push(EnveloppeDeposee {
                enveloppe: r.enveloppe,
                lot: r.lot,
                chiffree: true,
                fichiers: declares,
                sha256: None,
                taille: None,
            });
        }
        let acteur = Acteur::Entreprise {
            identifiant: s.entreprise.identifiant.clone(),
        };
        let depot = Action::Deposer {
            entreprise: s.entreprise.clone(),
            lots: s.lots.clone(),
            enveloppes,
            code_acces: code_acces.clone(),
        };
        let mut lecteurs: Vec<&[u8]> = octets_enveloppes.iter().map(Vec::as_slice).collect();
        let mut flux: Vec<&mut dyn std::io::Read> = lecteurs
            .iter_mut()
            .map(|l| l as &mut dyn std::io::Read)
            .collect();
        match p.deposer_octets(&depot, &mut flux, &contexte(&acteur, quand, &org)) {
            Ok(j) => {
                journal.0.extend(j);
                let n = p.plis.len() as u32;
                sortie.info(format!(
                    "Pli n° {n} de {} reçu le {} ({} enveloppes chiffrées, signature {:?})",
                    s.entreprise.raison_sociale,
                    mpe::format::date_heure(quand),
                    fichiers_chiffres.len(),
                    s.format
                ));
                numeros.push(Some(n));
                for (r, chemin, h) in fichiers_chiffres {
                    chiffrees.push((n, r, chemin, h));
                }
            }
            Err(e) if e.code() == CodeErreur::HorsDelai => {
                sortie.info(format!(
                    "Dépôt de {} refusé : {} [{}]",
                    s.entreprise.raison_sociale,
                    e,
                    e.code().name()
                ));
                numeros.push(None);
            }
            Err(e) => return Err(e),
        }
    }

    // ---- Opening: decryption with progress, then signature checks of the opened files.
    let t_ouverture = t(2026, 12, 15, 14, 0, 0);
    sortie.info(format!(
        "\nOuverture des plis le {}",
        mpe::format::date_heure(t_ouverture)
    ));
    // The library reads each envelope from the platform's storage, decrypts it, checks its
    // ZIP, verifies every signature inside and records the verified results.
    let stockage = StockageDemo(
        chiffrees
            .iter()
            .map(|(n, r, chemin, _)| ((*n, *r), chemin.clone()))
            .collect(),
    );
    let verif = OptionsVerification {
        ancres: vec![ac.certificat.clone()],
        date_verification: Some(t_ouverture),
        ..Default::default()
    };
    let options = OptionsOuverture::new(racine.join("ouverture"), verif);
    let barre = if sortie.progression() {
        indicatif::ProgressBar::new(chiffrees.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut etapes = 0usize;
    let mut progres = |e: &EtapeOuverture| {
        etapes += 1;
        match e {
            EtapeOuverture::Descripteurs { enveloppes } => {
                barre.set_message(format!("descripteurs de {enveloppes} enveloppes"))
            }
            EtapeOuverture::ClePrivee => barre.set_message("récupération de la clé privée"),
            EtapeOuverture::Dechiffrement { index, total, .. } => {
                barre.set_message(format!("déchiffrement de l'enveloppe {index} sur {total}"));
                barre.set_position(*index as u64);
            }
            EtapeOuverture::Termine { .. } => barre.finish_and_clear(),
        }
    };
    let mut entrees: Vec<EntreeJournal> = Vec::new();
    let mut enregistrer = |_: &Procedure, j: &[EntreeJournal]| -> Result<(), Erreur> {
        entrees.extend_from_slice(j);
        Ok(())
    };
    let bilan = p.ouvrir_plis(
        &[],
        &stockage,
        &[Cle::Privee(&acheteur)],
        &options,
        &mut Rappels {
            progres: &mut progres,
            enregistrer: &mut enregistrer,
        },
        &contexte(&alice, t_ouverture, &org),
    )?;
    barre.finish_and_clear();
    sortie.info(format!(
        "  {} enveloppes déchiffrées, {} échec(s) ; étapes : {etapes}",
        bilan.ouvertes.len(),
        bilan.echecs.len(),
    ));
    let mut signatures_verifiees = Vec::new();
    for e in &entrees {
        if let Evenement::EnveloppeOuverte { pli, fichiers, .. } = &e.evenement {
            for f in fichiers {
                if let Some(s) = &f.signature {
                    signatures_verifiees.push((*pli, s.clone()));
                }
            }
        }
    }
    journal.0.extend(entrees);
    for (n, s) in &signatures_verifiees {
        sortie.info(format!(
            "  pli n° {n} : signature {} de {} : {:?}",
            s.format,
            s.signataire.as_deref().unwrap_or("?"),
            s.resultat
        ));
    }

    // ---- Analysis
    let t_analyse = t(2026, 12, 16, 10, 0, 0);
    let recus: Vec<(usize, u32)> = numeros
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (i, n)))
        .collect();
    for (_, n) in &recus {
        journal.0.extend(p.appliquer(
            &Action::AnalyserCandidature {
                pli: *n,
                admise: true,
                motif: None,
            },
            &contexte(&alice, t_analyse, &org),
        )?);
    }
    for lot in [1u32, 2] {
        // Ranking by price (the demo's single criterion), best first.
        let mut offres: Vec<(u32, i64)> = recus
            .iter()
            .filter_map(|(i, n)| {
                let s = &societes[*i];
                s.lots
                    .iter()
                    .position(|l| *l == lot)
                    .map(|k| (*n, s.montants[k]))
            })
            .collect();
        offres.sort_by_key(|(_, m)| *m);
        let best = offres.first().map_or(1, |(_, m)| *m) as f64;
        let classement: Vec<Rang> = offres
            .iter()
            .enumerate()
            .map(|(k, (n, m))| Rang {
                pli: *n,
                rang: k as u32 + 1,
                note: Some((best / *m as f64 * 100.0).round() / 10.0),
                commentaire: Some(format!("offre à {}", Montant::from_centimes(*m))),
                montant: Some(Montant::from_centimes(*m)),
            })
            .collect();
        journal.0.extend(p.appliquer(
            &Action::ClasserOffres { lot, classement },
            &contexte(&alice, t_analyse, &org),
        )?);
    }
    sortie.info("\nAnalyse : candidatures admises, offres classées sur les 2 lots");

    // ---- Decisions, with a reset
    let t_decision = t(2026, 12, 18, 9, 0, 0);
    journal.0.extend(p.appliquer(
        &Action::PasserEnDecision,
        &contexte(&alice, t_decision, &org),
    )?);
    let gagnant = p
        .classements
        .get(&1)
        .and_then(|c| c.first())
        .map(|r| r.pli)
        .unwrap_or(1);
    let montant_gagnant = recus
        .iter()
        .find(|(_, n)| *n == gagnant)
        .and_then(|(i, _)| societes[*i].montants.first().copied())
        .unwrap_or(0);
    let decisions = [
        (
            1,
            Action::Decider {
                lot: 1,
                decision: Decision::Attribution {
                    attributaires: vec![Attributaire {
                        pli: gagnant,
                        montant: Montant::from_centimes(montant_gagnant),
                    }],
                },
            },
        ),
        (
            2,
            Action::Decider {
                lot: 2,
                decision: Decision::Infructueuse {
                    motif: "offres inacceptables au regard des crédits budgétaires".into(),
                },
            },
        ),
        (
            2,
            Action::ReinitialiserDecision {
                lot: 2,
                motif:
                    "erreur : le lot doit être déclaré sans suite (abandon du projet de chaufferie)"
                        .into(),
                retrait: false,
            },
        ),
        (
            2,
            Action::Decider {
                lot: 2,
                decision: Decision::SansSuite {
                    motif: "motif d'intérêt général : abandon du projet".into(),
                },
            },
        ),
    ];
    for (i, (lot, action)) in decisions.iter().enumerate() {
        journal.0.extend(p.appliquer(
            action,
            &contexte(
                &alice,
                t_decision + chrono::Duration::minutes(i as i64 * 10),
                &org,
            ),
        )?);
        let etat = p
            .decisions
            .get(lot)
            .map_or("non décidé", |d| d.decision.libelle());
        sortie.info(format!("Décision lot {lot} : {} → {etat}", action.nom()));
    }
    let t_lettres = t(2026, 12, 19, 9, 0, 0);
    journal.0.extend(p.appliquer(
        &Action::EnvoyerLettresRejet {
            lot: 1,
            electronique: true,
        },
        &contexte(&alice, t_lettres, &org),
    )?);
    let signature_possible = p
        .decisions
        .get(&1)
        .and_then(|d| d.lettres_rejet.as_ref())
        .and_then(|l| l.signature_possible_le);
    if let Some(d) = signature_possible {
        sortie.info(format!(
            "Délai de suspension : signature du marché possible à partir du {}",
            mpe::format::date(d)
        ));
    }

    // ---- Documents: OUV10 and one NOT13 per rejected company of lot 1, filled by the
    // library from the procedure's state.
    let parametres = |pli| mpe::documents::ParametresDocuments {
        lot: Some(1),
        pli,
        ..Default::default()
    };
    let donnees = mpe::documents::donnees_documents(&p, &org, &parametres(None))?;
    let mut ecrits = Vec::new();
    let ouv10 = racine.join("documents/OUV10_decision_attribution.docx");
    ecrire(
        &ouv10,
        &mpe::documents::formulaires::generer("OUV10", &donnees)?,
    )?;
    ecrits.push(ouv10);
    let rejetes: Vec<&(usize, u32)> = recus
        .iter()
        .filter(|(i, n)| *n != gagnant && societes[*i].lots.contains(&1))
        .collect();
    for (i, n) in &rejetes {
        let s = &societes[*i];
        let d = mpe::documents::donnees_documents(&p, &org, &parametres(Some(*n)))?;
        let chemin = racine.join(format!("documents/NOT13_rejet_{}.docx", s.id));
        ecrire(&chemin, &mpe::documents::formulaires::generer("NOT13", &d)?)?;
        ecrits.push(chemin);
    }
    sortie.info(format!("\nDocuments : OUV10 et {} NOT13", rejetes.len()));

    // ---- Rejection letters (MIME): each goes to the address of the rejected pli, taken
    // from the dépôts register, and its sending is recorded in the journal.
    let mut rng = mpe::messagerie::generateur_securise();
    for (k, (i, n)) in rejetes.iter().enumerate() {
        let s = &societes[*i];
        let mut courrier = mpe::messagerie::Courrier::nouveau(
            mpe::messagerie::TypeCourrier::Rejet,
            &p.consultation,
            Some(1),
        );
        courrier.destinataires =
            p.destinataires_courrier(&mpe::procedure::FiltreDestinataires {
                pli: Some(*n),
                ..Default::default()
            })?;
        courrier.options.accuse_reception = true;
        let demande = mpe::messagerie::DemandeEnvoi {
            courrier,
            consultation: p.consultation.clone(),
            organisation: org.clone(),
            contexte: mpe::messagerie::ContexteEnvoi {
                courrier_id: format!("rejet-lot1-{k}"),
                agent: "a.martin".into(),
                date: t_lettres,
                expediteur: mpe::messagerie::Expediteur {
                    nom: "Ville de Villeurbanne".into(),
                    email: "marches@mairie-villeurbanne.fr".into(),
                },
                adresse_reponse: None,
                url_accuse_reception: Some("https://marches.example/ar/{jeton}".into()),
                domaine_message_id: "marches.example".into(),
                limites: Default::default(),
            },
        };
        let envoi = mpe::messagerie::preparer_envoi(&demande, &mut rng)?;
        for m in &envoi.messages {
            let chemin = racine.join(format!("courriers/rejet_lot1_{}.eml", s.id));
            ecrire(&chemin, &m.mime)?;
            ecrits.push(chemin);
        }
        journal.0.extend(p.appliquer(
            &Action::EnregistrerCourrier {
                evenements: envoi.evenements,
            },
            &contexte(&alice, t_lettres, &org),
        )?);
    }
    sortie.info(format!(
        "Courriers de rejet : {} (destinataires pris au registre des dépôts, envois inscrits au journal)",
        rejetes.len()
    ));

    // ---- Contract and essential data
    // What the decision does not hold: the number, the notification, the price form...
    // Every date comes from the demo's own clock: the notification after the standstill
    // period following the letters, the data published three days later, and "today" for
    // the DECP exports after that (never a date in the demo's future).
    let t_notification = t_lettres + chrono::Duration::days(17);
    let notification = mpe::rules::temps::heure_paris(t_notification).date();
    let publication = notification + chrono::Duration::days(3);
    let aujourd_hui = notification + chrono::Duration::days(5);
    let complement: mpe::donnees::ComplementContrat = serde_json::from_value(serde_json::json!({
        "numero": "2026061101",
        "decisionDu": p.decisions.get(&1).map(|d| d.le),
        "dateNotification": notification.to_string(),
        "datePublicationDonnees": publication.to_string(),
        "dureeMois": 8,
        "formePrix": "Forfaitaire",
        "typesPrix": ["Définitif ferme"],
        "lieuExecution": {"code": "69100", "typeCode": "Code postal", "nom": "Villeurbanne"},
        "entreprises": [{"typeIdentifiant": "SIRET", "id": "44238104200005", "pme": true}],
    }))?;
    let contrat = mpe::donnees::contrat_depuis_decision(&p, &org, &complement, 1)?;
    ecrire(
        &racine.join("donnees/contrats.json"),
        serde_json::to_string_pretty(&[&contrat])?.as_bytes(),
    )?;
    ecrire(
        &racine.join("donnees/decp.json"),
        &mpe::donnees::exporter_decp_json(std::slice::from_ref(&contrat), aujourd_hui)?,
    )?;
    ecrire(
        &racine.join("donnees/decp.xml"),
        &mpe::donnees::exporter_decp_xml(std::slice::from_ref(&contrat), aujourd_hui)?,
    )?;
    let ocds = mpe::donnees::OptionsOcds {
        prefixe_ocid: "ocds-demo01".into(),
        uri: "https://marches.example/ocds/demo-2026-0611.json".into(),
        editeur: "Ville de Villeurbanne".into(),
        publie_le: t(2027, 1, 10, 9, 0, 0),
    };
    ecrire(
        &racine.join("donnees/ocds.json"),
        &mpe::donnees::exporter_ocds(std::slice::from_ref(&contrat), &ocds)?,
    )?;
    sortie.info(format!(
        "Contrat {} : {} — DECP JSON, XML et OCDS exportés",
        contrat.id,
        Montant::from_centimes(montant_gagnant)
    ));

    // ---- Journal
    let jsonl = mpe::procedure::exporter_jsonl(&journal.0)?;
    ecrire(&racine.join("journal.jsonl"), jsonl.as_bytes())?;
    mpe::procedure::verifier_journal(&journal.0, Some(&p.journal))?;
    ecrire(&racine.join("procedure.json"), p.to_json().as_bytes())?;
    sortie.info(format!(
        "\nJournal : {} événements, chaîne d'empreintes vérifiée",
        journal.0.len()
    ));
    sortie.info(format!("Phase finale : {}", p.phase.libelle()));
    sortie.info(format!("Artefacts : {}", racine.display()));
    Ok(ExitCode::SUCCESS)
}

/// The signature of a file, checked: PAdES inside a PDF, or a detached CAdES/XAdES beside it
/// (`<file>.p7s` or `<file> - … - Signature N.xml`).
fn signature_de(
    nom: &str,
    data: &[u8],
    voisins: &[(String, Vec<u8>)],
    verif: &OptionsVerification,
) -> Option<SignatureFichier> {
    let detachee = voisins.iter().find(|(n, _)| {
        n == &format!("{nom}.p7s") || (n.starts_with(&format!("{nom} - ")) && n.ends_with(".xml"))
    });
    let rapport = match detachee {
        Some((_, sig)) => {
            signature::verifier(sig, Some(DonneesSignees::Octets(data)), verif).ok()?
        }
        None if data.starts_with(b"%PDF") => {
            let r = signature::verifier(data, None, verif).ok()?;
            if r.signatures.is_empty() {
                return None;
            }
            r
        }
        None => return None,
    };
    Some(SignatureFichier {
        format: format!("{:?}", rapport.format),
        resultat: resultat(rapport.statut),
        signataire: rapport
            .signatures
            .first()
            .and_then(|s| s.signataire.as_ref())
            .and_then(|c| c.nom_commun.clone()),
    })
}

/// The platform's storage in the demo: each deposited envelope's file.
struct StockageDemo(Vec<((u32, RefEnveloppe), PathBuf)>);

impl StockagePlis for StockageDemo {
    fn lire(&self, pli: u32, r: RefEnveloppe) -> Result<Box<dyn std::io::Read + '_>, Erreur> {
        let chemin = self
            .0
            .iter()
            .find(|(k, _)| *k == (pli, r))
            .map(|(_, c)| c)
            .ok_or_else(|| {
                Erreur::new(
                    CodeErreur::Es,
                    format!("enveloppe {r} du pli {pli} absente"),
                )
            })?;
        let f = std::fs::File::open(chemin)
            .map_err(|e| Erreur::new(CodeErreur::Es, format!("{} : {e}", chemin.display())))?;
        Ok(Box::new(std::io::BufReader::new(f)))
    }
}
