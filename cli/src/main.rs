//! `mpe`: what a desktop procurement assistant gives buyers and companies — key pairs,
//! signatures, verification, encryption, offline decryption, documents, DECP — and `mpe demo`,
//! a whole procedure end to end.

mod chiffrement;
mod cles;
mod commun;
mod consultation;
mod decp;
mod demo;
mod diagnostic;
mod document;
mod fusion;
mod http;
mod long_terme;
mod plis;
mod publication;
mod revocation;
mod schemas;
mod signature;
mod tsl;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commun::Sortie;

const EXEMPLES: &str = "\
Exemples :
  mpe valider consultation.json --organisation organisation.json
  mpe bicle generer --titulaire \"Jean DUPONT\" --dossier cles/
  mpe chiffrer --destinataire cles/acheteur.cert.pem offre.zip -o offre.zip.p7m
  mpe dechiffrer --cle cles/acheteur.key.pem offre.zip.p7m -o offre.zip
  mpe signer --format pades --p12 moi.p12 --fichier-mot-de-passe mdp.txt acte.pdf
  mpe verifier --confiance ac.pem \"acte - 20261128103000 - Signature 1.pdf\"
  mpe document generer OUV10 --procedure procedure.json --organisation organisation.json --lot 1 -o OUV10.docx
  mpe demo
  mpe diagnostic

Codes de sortie : 0 succès (ou signature valide), 1 signature invalide, 2 indéterminée,
3 usage incorrect, 4 entrée invalide ou erreur d'E/S, 5 règles de la consultation,
6 procédure, 7 chiffrement, 8 signature, 9 documents, 10 DECP, 11 messagerie.";

/// La commande mpe : marchés publics électroniques.
#[derive(Debug, Parser)]
#[command(name = "mpe", version, about, long_about = None, after_help = EXEMPLES, disable_help_subcommand = true)]
struct Cli {
    /// N'affiche que les erreurs.
    #[arg(long, short = 'q', global = true)]
    silencieux: bool,
    #[command(subcommand)]
    commande: Commande,
}

#[derive(Debug, Subcommand)]
enum Commande {
    /// Vérifie une consultation (JSON) avec toutes les règles et affiche chaque constat.
    Valider(consultation::Valider),
    /// Bi-clés de chiffrement (clé RSA et certificat), personnels ou de secours.
    Bicle(cles::Bicle),
    /// Chiffre un fichier pour un ou plusieurs certificats (enveloppe CMS).
    Chiffrer(chiffrement::Chiffrer),
    /// Déchiffre une enveloppe CMS hors ligne.
    Dechiffrer(chiffrement::Dechiffrer),
    /// Signe un fichier (PAdES, CAdES ou XAdES).
    Signer(signature::ArgumentsSigner),
    /// Vérifie une signature et affiche le rapport.
    Verifier(signature::ArgumentsVerifier),
    /// Signatures existantes : extension en B-LT ou B-LTA.
    Signature(long_terme::CommandeSignature),
    /// Fusionne un modèle DOCX avec des données JSON, ou liste ses champs.
    Fusionner(fusion::Fusionner),
    /// Formulaires de la DAJ remplis depuis l'état d'une procédure.
    Document(document::Document),
    /// Données essentielles : export, vérification, import et recherche DECP.
    Decp(decp::Decp),
    /// Déroule une procédure complète de démonstration et laisse tous les fichiers produits.
    Demo(demo::Demo),
    /// Test de configuration du poste : version, modules PKCS#11 et jetons, autocontrôles.
    Diagnostic(diagnostic::Diagnostic),
    /// Avis eForms : écriture (16, 29), pré-contrôle et lecture.
    Avis(publication::Avis),
    /// DUME (ESPD) : demande de l'acheteur, lecture et comparaison d'une réponse.
    Dume(publication::Dume),
    /// Ouvre les plis d'une consultation depuis un dossier (reprend après une interruption).
    Ouvrir(plis::Ouvrir),
    /// Plis chiffrés : export vers un dossier pour une ouverture hors ligne.
    Plis(plis::Plis),
    /// Consultation publiée : modification (pièces du DCE, champs permis, DLRO) et sa lettre.
    Consultation(consultation::CommandeConsultation),
    /// Listes de confiance de l'UE : mise à jour d'un dossier (HTTPS) et état.
    Tsl(tsl::Tsl),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage = e.use_stderr();
            let _ = e.print();
            return if usage {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let sortie = Sortie::new(cli.silencieux);
    let resultat = match cli.commande {
        Commande::Valider(args) => consultation::valider(args, &sortie),
        Commande::Bicle(args) => cles::bicle(args, &sortie),
        Commande::Chiffrer(args) => chiffrement::chiffrer(args, &sortie),
        Commande::Dechiffrer(args) => chiffrement::dechiffrer(args, &sortie),
        Commande::Signer(args) => signature::signer(args, &sortie),
        Commande::Verifier(args) => signature::verifier(args, &sortie),
        Commande::Signature(args) => long_terme::signature(args, &sortie),
        Commande::Fusionner(args) => fusion::fusionner(args, &sortie),
        Commande::Document(args) => document::document(args, &sortie),
        Commande::Decp(args) => decp::decp(args, &sortie),
        Commande::Demo(args) => demo::demo(args, &sortie),
        Commande::Diagnostic(args) => diagnostic::diagnostic(args, &sortie),
        Commande::Avis(args) => publication::avis(args, &sortie),
        Commande::Dume(args) => publication::dume(args, &sortie),
        Commande::Ouvrir(args) => plis::ouvrir(args, &sortie),
        Commande::Plis(args) => plis::plis(args, &sortie),
        Commande::Consultation(args) => consultation::consultation(args, &sortie),
        Commande::Tsl(args) => tsl::tsl(args, &sortie),
    };
    match resultat {
        Ok(code) => code,
        Err(e) => {
            sortie.erreur(&e);
            ExitCode::from(commun::code_de_sortie(&e))
        }
    }
}
