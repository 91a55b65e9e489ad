//! The buyer's organisation: entité publique, services, agents and their habilitations.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Kind of buyer, which sets the thresholds of the formal procedures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeAcheteur {
    /// État et ses établissements publics autres qu'industriels et commerciaux
    /// (autorités publiques centrales).
    Etat,
    /// Collectivités territoriales, leurs établissements, autres pouvoirs adjudicateurs.
    CollectiviteTerritoriale,
    /// Entités adjudicatrices (opérateurs de réseaux).
    EntiteAdjudicatrice,
}

/// The public entity that buys (entité publique / organisme).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntitePublique {
    /// SIRET of the entity (14 digits).
    pub siret: String,
    /// Name, e.g. "Ville de Lyon".
    pub nom: String,
    /// Acronym, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigle: Option<String>,
    /// Kind of buyer (thresholds).
    pub type_acheteur: TypeAcheteur,
}

/// A service (entité d'achat) of the organisation; services form a tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Service {
    /// Identifier chosen by the host.
    pub id: String,
    /// Name, e.g. "Direction de la commande publique".
    pub nom: String,
    /// Parent service, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// What an agent may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Habilitation {
    /// Créer et modifier des consultations.
    CreerConsultation,
    /// Valider une consultation (la mettre en ligne).
    ValiderConsultation,
    /// Ouvrir les plis.
    OuvrirPlis,
    /// Analyser les candidatures et les offres.
    AnalyserOffres,
    /// Prendre les décisions (attribution, sans suite, infructueux).
    Decider,
    /// Gérer les bi-clés de chiffrement.
    GererBiCles,
    /// Publier les données essentielles.
    PublierDonneesEssentielles,
    /// Inviter d'autres agents sur une consultation.
    InviterAgents,
    /// Envoyer des courriers aux entreprises.
    EnvoyerCourriers,
}

/// An agent of the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Agent {
    /// Identifier chosen by the host.
    pub id: String,
    /// Family name.
    pub nom: String,
    /// Given name.
    pub prenom: String,
    /// E-mail address.
    pub email: String,
    /// The service the agent belongs to.
    pub service: String,
    /// What the agent may do on the consultations of their service.
    pub habilitations: BTreeSet<Habilitation>,
}

impl Agent {
    /// Whether the agent holds the habilitation.
    pub fn a(&self, h: Habilitation) -> bool {
        self.habilitations.contains(&h)
    }

    /// "Prénom NOM".
    pub fn nom_complet(&self) -> String {
        format!("{} {}", self.prenom, self.nom.to_uppercase())
    }
}

/// The organisation: the entity, its services and agents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Organisation {
    /// The public entity.
    pub entite: EntitePublique,
    /// Its services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Its agents.
    #[serde(default)]
    pub agents: Vec<Agent>,
}

impl Organisation {
    /// The agent with this id.
    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// Whether `service` is `ancestor` or one of its descendants.
    pub fn service_sous(&self, service: &str, ancestor: &str) -> bool {
        let mut current = Some(service);
        let mut steps = 0;
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            // Bounded walk: a cycle in host data must not loop forever.
            steps += 1;
            if steps > self.services.len() {
                return false;
            }
            current = self.service(id).and_then(|s| s.parent.as_deref());
        }
        false
    }
}
