//! The contracts register: one [`Contrat`] per marché or contrat de concession, whether the
//! buyer entered it on the platform or it was imported from data.gouv.fr.
//!
//! Field names follow the DECP vocabulary (camelCase in JSON) so that the same JSON crosses
//! the C ABI, Python and the host's storage.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{CodeErreur, Erreur, Result};

/// Marché public or contrat de concession (the two DECP families).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum CategorieContrat {
    /// Marché public (DECP `marche`).
    #[default]
    Marche,
    /// Contrat de concession (DECP `contrat-concession`).
    Concession,
}

/// The kind of contract, as the register shows it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum TypeContrat {
    /// Marché ordinaire.
    #[default]
    Marche,
    /// Accord-cadre mono-attributaire.
    AccordCadreMonoAttributaire,
    /// Accord-cadre multi-attributaire.
    AccordCadreMultiAttributaire,
    /// Marché subséquent (linked to its accord-cadre by `idAccordCadre`).
    MarcheSubsequent,
    /// Marché conclu dans un système d'acquisition dynamique.
    SystemeAcquisitionDynamique,
    /// Marché de partenariat.
    MarcheDePartenariat,
    /// Marché de défense ou de sécurité.
    MarcheDefenseSecurite,
    /// Contrat de concession (travaux, service, service public, DSP).
    Concession,
}

impl TypeContrat {
    /// French label.
    pub fn libelle(self) -> &'static str {
        match self {
            TypeContrat::Marche => "Marché",
            TypeContrat::AccordCadreMonoAttributaire => "Accord-cadre mono-attributaire",
            TypeContrat::AccordCadreMultiAttributaire => "Accord-cadre multi-attributaire",
            TypeContrat::MarcheSubsequent => "Marché subséquent",
            TypeContrat::SystemeAcquisitionDynamique => "Système d'acquisition dynamique",
            TypeContrat::MarcheDePartenariat => "Marché de partenariat",
            TypeContrat::MarcheDefenseSecurite => "Marché de défense ou de sécurité",
            TypeContrat::Concession => "Contrat de concession",
        }
    }

    /// `true` for both kinds of accord-cadre.
    pub fn est_accord_cadre(self) -> bool {
        matches!(
            self,
            TypeContrat::AccordCadreMonoAttributaire | TypeContrat::AccordCadreMultiAttributaire
        )
    }
}

/// Nature des prestations (travaux, fournitures, services), a search criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum NaturePrestations {
    /// Travaux.
    Travaux,
    /// Fournitures.
    Fournitures,
    /// Services.
    Services,
}

impl NaturePrestations {
    /// The nature implied by a CPV code: division 45 is travaux, divisions below 45
    /// fournitures, the others services (the CPV's own structure).
    pub fn depuis_cpv(cpv: &str) -> Option<NaturePrestations> {
        let d: u32 = cpv.get(0..2)?.parse().ok()?;
        Some(match d {
            45 => NaturePrestations::Travaux,
            0..=44 | 48 => NaturePrestations::Fournitures,
            _ => NaturePrestations::Services,
        })
    }
}

/// Where a contract of the register comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum Provenance {
    /// "saisi sur le profil acheteur".
    #[default]
    ProfilAcheteur,
    /// "publié sur data.gouv.fr".
    DataGouv,
}

impl Provenance {
    /// The label the search results show.
    pub fn libelle(self) -> &'static str {
        match self {
            Provenance::ProfilAcheteur => "saisi sur le profil acheteur",
            Provenance::DataGouv => "publié sur data.gouv.fr",
        }
    }
}

/// Status of a contract in the register.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum StatutContrat {
    /// Being prepared (données d'attribution saisies, not yet notified).
    #[default]
    ANotifier,
    /// Notified, being executed.
    Notifie,
    /// Finished (fin actuelle reached or closed by the buyer).
    Clos,
    /// Terminated early (résiliation).
    Resilie,
}

/// Kind of identifier of a company (DECP `typeIdentifiant`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
pub enum TypeIdentifiant {
    /// French establishment number (14 digits).
    #[default]
    #[serde(rename = "SIRET")]
    Siret,
    /// EU VAT number.
    #[serde(rename = "TVA")]
    Tva,
    /// French Polynesia.
    #[serde(rename = "TAHITI")]
    Tahiti,
    /// New Caledonia.
    #[serde(rename = "RIDET")]
    Ridet,
    /// Wallis-et-Futuna.
    #[serde(rename = "FRWF")]
    Frwf,
    /// Saint-Pierre-et-Miquelon.
    #[serde(rename = "IREP")]
    Irep,
    /// Company outside the EU.
    #[serde(rename = "HORS-UE")]
    HorsUe,
}

impl TypeIdentifiant {
    /// The DECP spelling.
    pub fn code(self) -> &'static str {
        match self {
            TypeIdentifiant::Siret => "SIRET",
            TypeIdentifiant::Tva => "TVA",
            TypeIdentifiant::Tahiti => "TAHITI",
            TypeIdentifiant::Ridet => "RIDET",
            TypeIdentifiant::Frwf => "FRWF",
            TypeIdentifiant::Irep => "IREP",
            TypeIdentifiant::HorsUe => "HORS-UE",
        }
    }

    /// Parse the DECP spelling (case-insensitive, tolerant of `HORS UE`).
    pub fn depuis_code(s: &str) -> Option<TypeIdentifiant> {
        if s == "SIRET" {
            // The usual spelling, without allocating (the import meets it for every holder).
            return Some(TypeIdentifiant::Siret);
        }
        let u = s.trim().to_ascii_uppercase().replace([' ', '_'], "-");
        Some(match u.as_str() {
            "SIRET" => TypeIdentifiant::Siret,
            "TVA" => TypeIdentifiant::Tva,
            "TAHITI" => TypeIdentifiant::Tahiti,
            "RIDET" => TypeIdentifiant::Ridet,
            "FRWF" => TypeIdentifiant::Frwf,
            "IREP" => TypeIdentifiant::Irep,
            "HORS-UE" | "HORSUE" => TypeIdentifiant::HorsUe,
            _ => return None,
        })
    }
}

/// The buyer (acheteur or autorité concédante).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Acheteur {
    /// SIRET of the buyer (14 digits).
    pub id: String,
    /// Name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
}

/// A company holding the contract (attributaire / titulaire / concessionnaire).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Titulaire {
    /// Kind of identifier.
    pub type_identifiant: TypeIdentifiant,
    /// The identifier (SIRET, VAT number...).
    pub id: String,
    /// Raison sociale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raison_sociale: Option<String>,
    /// Address of the siège.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siege: Option<String>,
    /// Code APE / NAF (e.g. `62.01Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_ape: Option<String>,
    /// Forme juridique (e.g. `SAS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forme_juridique: Option<String>,
    /// PME or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pme: Option<bool>,
}

/// The contract's main contact at the company (modifiable, distinct from whoever answered).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Name.
    pub nom: String,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
}

/// Lieu d'exécution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LieuExecution {
    /// Code (postal code, INSEE code...).
    pub code: String,
    /// Kind of code (`Code postal`, `Code commune`...).
    pub type_code: String,
    /// Name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
}

/// A modification (avenant). Amount and duration are the new totals, as in DECP.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Modification {
    /// Sequence number (1, 2...).
    pub id: u32,
    /// What changed (2019 format's `objetModification`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objet: Option<String>,
    /// Date of notification (marché) or signature (concession) of the modification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_notification: Option<NaiveDate>,
    /// Date its data was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_publication_donnees: Option<NaiveDate>,
    /// New total duration in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    /// New total amount HT (valeur globale for a concession).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub montant: Option<f64>,
    /// New holders, when they changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titulaires: Vec<Titulaire>,
}

/// A subcontracting act (acte spécial de sous-traitance).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActeSousTraitance {
    /// Sequence number.
    pub id: u32,
    /// The subcontractor.
    pub sous_traitant: Titulaire,
    /// Duration in months.
    pub duree_mois: u32,
    /// Notification date.
    pub date_notification: NaiveDate,
    /// Publication date.
    pub date_publication_donnees: NaiveDate,
    /// Amount HT.
    pub montant: f64,
    /// `Ferme`, `Actualisable` or `Révisable`.
    pub variation_prix: String,
}

/// A modification of a subcontracting act.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModificationActeSousTraitance {
    /// Sequence number.
    pub id: u32,
    /// New duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    /// Notification date.
    pub date_notification: NaiveDate,
    /// New amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub montant: Option<f64>,
    /// Publication date.
    pub date_publication_donnees: NaiveDate,
}

/// One tariff of a concession's yearly execution data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tarif {
    /// Label.
    pub intitule: String,
    /// Value.
    pub tarif: f64,
}

/// Yearly execution data of a concession.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DonneesExecution {
    /// Publication date.
    pub date_publication: NaiveDate,
    /// Investment spending.
    pub depenses_investissement: f64,
    /// Tariffs.
    pub tarifs: Vec<Tarif>,
}

/// A contract of the register (marché or contrat de concession).
///
/// Everything DECP publishes is here (under its DECP name), plus what the platform manages
/// besides: the company details, the contact, the agent, the status and the provenance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Contrat {
    /// N° de contrat (DECP `id`, 1 to 16 characters, unique for the buyer).
    pub id: String,
    /// Marché or concession.
    pub categorie: CategorieContrat,
    /// Kind of contract.
    pub type_contrat: TypeContrat,
    /// The accord-cadre a marché subséquent belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_accord_cadre: Option<String>,
    /// Acheteur / autorité concédante.
    pub acheteur: Acheteur,
    /// Objet.
    pub objet: String,
    /// DECP nature (`Marché`, `Concession de service`...).
    pub nature: String,
    /// Travaux / fournitures / services.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nature_prestations: Option<NaturePrestations>,
    /// Procédure de passation (DECP spelling).
    pub procedure: String,
    /// Main CPV code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_cpv: Option<String>,
    /// Techniques d'achat.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub techniques: Vec<String>,
    /// Modalités d'exécution.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modalites_execution: Vec<String>,
    /// CCAG de référence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ccag: Option<String>,
    /// Number of bids received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offres_recues: Option<u32>,
    /// Innovative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marche_innovant: Option<bool>,
    /// An advance was granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution_avance: Option<bool>,
    /// Rate of the advance (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taux_avance: Option<f64>,
    /// `Conjoint`, `Solidaire` or `Pas de groupement`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_groupement_operateurs: Option<String>,
    /// Share of EU origin (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origine_ue: Option<f64>,
    /// Share of French origin (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origine_france: Option<f64>,
    /// Lieu d'exécution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lieu_execution: Option<LieuExecution>,
    /// Attributaires (titulaires, concessionnaires), as notified.
    pub titulaires: Vec<Titulaire>,
    /// The contract's main contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Montant HT as notified (valeur globale for a concession), in euros.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub montant: Option<f64>,
    /// Public subsidy (concession).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub montant_subvention_publique: Option<f64>,
    /// Date de notification (date de signature for a concession).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_notification: Option<NaiveDate>,
    /// Start of execution (concession).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_debut_execution: Option<NaiveDate>,
    /// Date the data was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_publication_donnees: Option<NaiveDate>,
    /// Date de fin maximale (all renewals included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_fin_maximale: Option<NaiveDate>,
    /// Date de fin actuelle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_fin_actuelle: Option<NaiveDate>,
    /// Duration in months, as notified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duree_mois: Option<u32>,
    /// Forme du prix (`Unitaire`, `Forfaitaire`, `Mixte`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forme_prix: Option<String>,
    /// Types de prix (`Définitif ferme`...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types_prix: Vec<String>,
    /// Considérations sociales.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub considerations_sociales: Vec<String>,
    /// Considérations environnementales.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub considerations_environnementales: Vec<String>,
    /// Subcontracting declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sous_traitance_declaree: Option<bool>,
    /// Subcontracting acts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actes_sous_traitance: Vec<ActeSousTraitance>,
    /// Their modifications.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modifications_actes_sous_traitance: Vec<ModificationActeSousTraitance>,
    /// Modifications (avenants).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modifications: Vec<Modification>,
    /// Yearly execution data (concession).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub donnees_execution: Vec<DonneesExecution>,
    /// The agent managing the contract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_gestionnaire: Option<String>,
    /// Status.
    pub statut: StatutContrat,
    /// Where the record comes from (both when merged).
    pub provenances: Vec<Provenance>,
}

/// The current state of a contract once its modifications are applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EtatActuel {
    /// Current amount HT.
    pub montant: Option<f64>,
    /// Current duration in months.
    pub duree_mois: Option<u32>,
    /// Current holders.
    pub titulaires: Vec<Titulaire>,
    /// Current end date (start + duration) when computable.
    pub date_fin: Option<NaiveDate>,
    /// Number of modifications applied.
    pub nb_modifications: usize,
}

impl Contrat {
    /// Apply the modifications in notification order (then by id): each one carries the new
    /// totals of what it changes.
    ///
    /// ```
    /// use mpe::donnees::{Contrat, Modification};
    /// let mut c = Contrat { montant: Some(100.0), duree_mois: Some(12), ..Default::default() };
    /// c.modifications.push(Modification { id: 1, montant: Some(120.0), ..Default::default() });
    /// assert_eq!(c.etat_actuel().montant, Some(120.0));
    /// ```
    pub fn etat_actuel(&self) -> EtatActuel {
        let (mut etat, titulaires) = self.etat_sans_titulaires();
        etat.titulaires = titulaires.to_vec();
        etat
    }

    /// [`Contrat::etat_actuel`] with the current holders borrowed, not copied (the import
    /// computes it for each of 1.5 million records).
    pub(crate) fn etat_sans_titulaires(&self) -> (EtatActuel, &[Titulaire]) {
        let mut mods: Vec<&Modification> = self.modifications.iter().collect();
        mods.sort_by_key(|m| (m.date_notification, m.id));
        let mut titulaires: &[Titulaire] = &self.titulaires;
        let mut etat = EtatActuel {
            montant: self.montant,
            duree_mois: self.duree_mois,
            titulaires: Vec::new(),
            date_fin: None,
            nb_modifications: mods.len(),
        };
        for m in mods {
            if m.montant.is_some() {
                etat.montant = m.montant;
            }
            if m.duree_mois.is_some() {
                etat.duree_mois = m.duree_mois;
            }
            if !m.titulaires.is_empty() {
                titulaires = &m.titulaires;
            }
        }
        let debut = self.date_debut_execution.or(self.date_notification);
        etat.date_fin = match (debut, etat.duree_mois) {
            (Some(d), Some(n)) => d.checked_add_months(Months::new(n)),
            _ => self.date_fin_actuelle,
        };
        (etat, titulaires)
    }

    /// Year of notification, if known.
    pub fn annee(&self) -> Option<i32> {
        self.date_notification.map(|d| d.year())
    }

    /// Check the register's own coherence rules (not DECP's): a marché subséquent names its
    /// accord-cadre, an accord-cadre mono-attributaire has at most one titulaire...
    pub fn verifier_coherence(&self) -> Result<()> {
        let err = |champ: &str, msg: String| {
            Err(Erreur::new(CodeErreur::ContratIncoherent, msg).at(format!("{}.{champ}", self.id)))
        };
        if self.id.trim().is_empty() {
            return err("id", "contrat sans numéro".into());
        }
        match self.type_contrat {
            TypeContrat::MarcheSubsequent => match &self.id_accord_cadre {
                None => {
                    return err(
                        "idAccordCadre",
                        format!(
                            "le marché subséquent {} ne cite pas son accord-cadre",
                            self.id
                        ),
                    );
                }
                Some(ac) if ac == &self.id => {
                    return err(
                        "idAccordCadre",
                        format!(
                            "le marché subséquent {} se cite comme accord-cadre",
                            self.id
                        ),
                    );
                }
                _ => {}
            },
            TypeContrat::AccordCadreMonoAttributaire if self.titulaires.len() > 1 => {
                return err(
                    "titulaires",
                    format!(
                        "l'accord-cadre mono-attributaire {} a {} titulaires",
                        self.id,
                        self.titulaires.len()
                    ),
                );
            }
            TypeContrat::Concession if self.categorie != CategorieContrat::Concession => {
                return err(
                    "categorie",
                    "une concession doit être de catégorie concession".into(),
                );
            }
            _ => {}
        }
        if self.type_contrat != TypeContrat::MarcheSubsequent && self.id_accord_cadre.is_some() {
            return err(
                "idAccordCadre",
                format!(
                    "seul un marché subséquent cite un accord-cadre ({})",
                    self.id
                ),
            );
        }
        if let (Some(a), Some(b)) = (self.date_fin_actuelle, self.date_fin_maximale)
            && a > b
        {
            return err(
                "dateFinActuelle",
                "la fin actuelle dépasse la fin maximale".into(),
            );
        }
        Ok(())
    }
}

/// What a decision of attribution gives to create the contract from it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Attribution {
    /// Contract number to give.
    pub numero: String,
    /// Reference of the consultation.
    pub reference_consultation: String,
    /// Lot number (0 when not allotted).
    pub lot: u32,
    /// Objet of the consultation (and lot).
    pub objet: String,
    /// Buyer.
    pub acheteur: Acheteur,
    /// Procedure (DECP spelling).
    pub procedure: String,
    /// Kind of contract.
    pub type_contrat: TypeContrat,
    /// Accord-cadre of a marché subséquent.
    pub id_accord_cadre: Option<String>,
    /// Main CPV.
    pub code_cpv: Option<String>,
    /// Attributaires.
    pub attributaires: Vec<Titulaire>,
    /// Amount HT of the winning bid.
    pub montant: Option<f64>,
    /// Duration in months.
    pub duree_mois: Option<u32>,
    /// Number of bids received.
    pub offres_recues: Option<u32>,
    /// Agent in charge.
    pub agent_gestionnaire: Option<String>,
}

impl Contrat {
    /// A new contract of the register from an attribution decision (status "à notifier").
    pub fn depuis_attribution(a: Attribution) -> Result<Contrat> {
        if a.attributaires.is_empty() {
            return Err(Erreur::new(
                CodeErreur::ContratIncoherent,
                "une attribution sans attributaire ne donne pas de contrat",
            )
            .at("attributaires"));
        }
        let categorie = if a.type_contrat == TypeContrat::Concession {
            CategorieContrat::Concession
        } else {
            CategorieContrat::Marche
        };
        let nature_prestations = a
            .code_cpv
            .as_deref()
            .and_then(NaturePrestations::depuis_cpv);
        let techniques = if a.type_contrat.est_accord_cadre() {
            vec!["Accord-cadre".to_string()]
        } else {
            Vec::new()
        };
        let c = Contrat {
            id: a.numero,
            categorie,
            type_contrat: a.type_contrat,
            id_accord_cadre: a.id_accord_cadre,
            acheteur: a.acheteur,
            objet: a.objet,
            nature: match a.type_contrat {
                TypeContrat::MarcheDePartenariat => "Marché de partenariat".into(),
                TypeContrat::MarcheDefenseSecurite => "Marché de défense ou de sécurité".into(),
                TypeContrat::Concession => "Concession de service".into(),
                _ => "Marché".into(),
            },
            nature_prestations,
            procedure: a.procedure,
            code_cpv: a.code_cpv,
            techniques,
            offres_recues: a.offres_recues,
            titulaires: a.attributaires,
            montant: a.montant,
            duree_mois: a.duree_mois,
            agent_gestionnaire: a.agent_gestionnaire,
            statut: StatutContrat::ANotifier,
            provenances: vec![Provenance::ProfilAcheteur],
            ..Default::default()
        };
        c.verifier_coherence()?;
        Ok(c)
    }
}

/// Filters of the register list (as in the reference platform).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct FiltreContrats {
    /// Words that must all appear in the number, objet or a titulaire's name
    /// (case- and accent-insensitive).
    pub mots_cles: Option<String>,
    /// Kind of contract.
    pub type_contrat: Option<TypeContrat>,
    /// Status.
    pub statut: Option<StatutContrat>,
}

/// The contracts of `liste` that pass the filter, in order.
///
/// ```
/// use mpe::donnees::{filtrer_contrats, Contrat, FiltreContrats};
/// let c = Contrat { id: "2026-001".into(), objet: "Entretien des espaces verts".into(), ..Default::default() };
/// let f = FiltreContrats { mots_cles: Some("ESPACES vert".into()), ..Default::default() };
/// assert_eq!(filtrer_contrats(std::slice::from_ref(&c), &f).len(), 1);
/// ```
pub fn filtrer_contrats<'a>(liste: &'a [Contrat], filtre: &FiltreContrats) -> Vec<&'a Contrat> {
    let mots: Vec<String> = filtre
        .mots_cles
        .as_deref()
        .map(super::texte::mots)
        .unwrap_or_default();
    liste
        .iter()
        .filter(|c| filtre.type_contrat.is_none_or(|t| t == c.type_contrat))
        .filter(|c| filtre.statut.is_none_or(|s| s == c.statut))
        .filter(|c| {
            if mots.is_empty() {
                return true;
            }
            let mut texte = format!("{} {}", c.id, c.objet);
            for t in &c.titulaires {
                if let Some(r) = &t.raison_sociale {
                    texte.push(' ');
                    texte.push_str(r);
                }
            }
            let dans = super::texte::mots(&texte);
            mots.iter()
                .all(|m| dans.iter().any(|d| d.starts_with(m.as_str())))
        })
        .collect()
}
