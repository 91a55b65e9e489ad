//! `mpe`: what a desktop procurement assistant gives buyers and companies — key pairs,
//! signatures, verification, encryption, offline decryption, documents, DECP — and `mpe demo`,
//! a whole procedure end to end.

mod chiffrement;
mod cles;
mod commun;
mod consultation;
mod decp;
mod demo;
mod fusion;
mod signature;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commun::Sortie;

const EXEMPLES: &str = "\
Exemples :
  mpe valider consultation.json --organisation organisation.json
  mpe keygen --name \"Jean DUPONT\" --out cles/
  mpe encrypt --to cles/acheteur.cert.pem offre.zip -o offre.zip.p7m
  mpe decrypt --key cles/acheteur.key.pem offre.zip.p7m -o offre.zip
  mpe sign --format pades --p12 moi.p12 --password-file mdp.txt acte.pdf
  mpe verify --trust ac.pem \"acte - 20261128103000 - Signature 1.pdf\"
  mpe demo

Codes de sortie : 0 succès (ou signature valide), 1 signature invalide, 2 indéterminée,
3 usage incorrect, 4 entrée invalide ou erreur d'E/S, 5 règles de la consultation,
6 procédure, 7 chiffrement, 8 signature, 9 documents, 10 DECP, 11 messagerie.";

/// La commande mpe : marchés publics électroniques.
#[derive(Debug, Parser)]
#[command(name = "mpe", version, about, long_about = None, after_help = EXEMPLES, disable_help_subcommand = true)]
struct Cli {
    /// N'affiche que les erreurs.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    commande: Commande,
}

#[derive(Debug, Subcommand)]
enum Commande {
    /// Vérifie une consultation (JSON) avec toutes les règles et affiche chaque constat.
    Valider(consultation::Valider),
    /// Crée un bi-clé de chiffrement (clé RSA et certificat), personnel ou de secours.
    Keygen(cles::Keygen),
    /// Chiffre un fichier pour un ou plusieurs certificats (enveloppe CMS).
    Encrypt(chiffrement::Encrypt),
    /// Déchiffre une enveloppe CMS hors ligne.
    Decrypt(chiffrement::Decrypt),
    /// Signe un fichier (PAdES, CAdES ou XAdES).
    Sign(signature::Sign),
    /// Vérifie une signature et affiche le rapport.
    Verify(signature::Verify),
    /// Fusionne un modèle DOCX avec des données JSON, ou liste ses champs.
    Merge(fusion::Merge),
    /// Données essentielles : export, vérification, import et recherche DECP.
    Decp(decp::Decp),
    /// Déroule une procédure complète de démonstration et laisse tous les fichiers produits.
    Demo(demo::Demo),
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
    let sortie = Sortie::new(cli.quiet);
    let resultat = match cli.commande {
        Commande::Valider(args) => consultation::valider(args, &sortie),
        Commande::Keygen(args) => cles::keygen(args, &sortie),
        Commande::Encrypt(args) => chiffrement::encrypt(args, &sortie),
        Commande::Decrypt(args) => chiffrement::decrypt(args, &sortie),
        Commande::Sign(args) => signature::sign(args, &sortie),
        Commande::Verify(args) => signature::verify(args, &sortie),
        Commande::Merge(args) => fusion::merge(args, &sortie),
        Commande::Decp(args) => decp::decp(args, &sortie),
        Commande::Demo(args) => demo::demo(args, &sortie),
    };
    match resultat {
        Ok(code) => code,
        Err(e) => {
            sortie.erreur(&e);
            ExitCode::from(commun::code_de_sortie(&e))
        }
    }
}
