//! The qualification of a signer's certificate at the signing time, after ETSI TS 119 615
//! and the DSS qualification procedure: the trust service (CA/QC) of a usable list that
//! issued the certificate, its status at the certificate's issuance and at the signing
//! time, the Qualifications that apply to this certificate (criteria), and the
//! certificate's own QcStatements. The outcome is QESig / QESeal / AdESig-QC / AdESeal-QC /
//! AdES, or INDÉTERMINÉE whenever something cannot be decided (never a positive claim
//! then). Every step is in the report.

use chrono::{DateTime, TimeZone, Utc};
use der::Encode;
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};

use super::chargement::{Confiance, certificat_b64};
use super::criteres;
use super::liste::{EtatService, STATUT_ACCORDE, ServiceConfiance, TYPE_CA_QC};
use super::qc::{self, DeclarationsQc, UsageQualifie};
use crate::CodeErreur;
use crate::signature::{asn1, signer};

const QUALIFICATIF: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";
const ASI: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";
/// Statuses of the Directive 1999/93/EC era, qualified before eIDAS applied.
const STATUTS_AVANT_EIDAS: [&str; 3] = [
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/supervisionincessation",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/accredited",
];

/// The type of signature a certificate allows at the signing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TypeQualification {
    /// Qualified electronic signature (qualified certificate for eSig, key in a QSCD).
    #[serde(rename = "QESig")]
    QESig,
    /// Qualified electronic seal.
    #[serde(rename = "QESeal")]
    QESeal,
    /// Advanced electronic signature with a qualified certificate.
    #[serde(rename = "AdESig-QC")]
    AdESigQc,
    /// Advanced electronic seal with a qualified certificate.
    #[serde(rename = "AdESeal-QC")]
    AdESealQc,
    /// Advanced signature, certificate not qualified (or not for signing).
    #[serde(rename = "AdES")]
    AdES,
    /// Cannot be decided (unsupported criterion, contradictions, no status).
    #[serde(rename = "INDETERMINEE")]
    Indeterminee,
}

impl TypeQualification {
    /// A signature on a qualified certificate (QESig or AdESig-QC): what the arrêté du
    /// 22 mars 2019 asks of a signature on a bid.
    pub fn signature_sur_certificat_qualifie(self) -> bool {
        matches!(self, TypeQualification::QESig | TypeQualification::AdESigQc)
    }
}

/// A trust service that issued the certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceRetenu {
    /// Territory of its list.
    pub territoire: Option<String>,
    /// Provider's name.
    pub prestataire: String,
    /// Service name.
    pub nom: Option<String>,
    /// Service type URI.
    pub type_service: Option<String>,
}

/// What holds at one time (issuance or signing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EtatQualification {
    /// The time.
    pub date: DateTime<Utc>,
    /// Service status then (URI).
    pub statut_service: Option<String>,
    /// Qualifiers of the list that apply to this certificate then.
    pub qualificatifs: Vec<String>,
    /// Qualified certificate: `None` when it cannot be decided.
    pub qualifie: Option<bool>,
    /// For what.
    pub usage: Option<UsageQualifie>,
    /// Key in a qualified device.
    pub qscd: Option<bool>,
    /// Why it cannot be decided.
    pub indetermine: Option<String>,
}

/// One step of the procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Etape {
    /// What is checked.
    pub nom: String,
    /// Outcome (`None`: not decided).
    pub ok: Option<bool>,
    /// Detail.
    pub detail: String,
}

/// The qualification report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RapportQualification {
    /// The outcome.
    pub qualification: TypeQualification,
    /// Code when not positive for a reason worth a code (no service, undecided).
    pub code: Option<CodeErreur>,
    /// Why.
    pub raison: Option<String>,
    /// The signing time used.
    pub date_signature: DateTime<Utc>,
    /// The certificate's QcStatements.
    pub declarations: DeclarationsQc,
    /// The services that issued it.
    pub services: Vec<ServiceRetenu>,
    /// At the certificate's issuance.
    pub a_l_emission: Option<EtatQualification>,
    /// At the signing time.
    pub a_la_signature: Option<EtatQualification>,
    /// The steps.
    pub etapes: Vec<Etape>,
}

/// Qualify `cert` at `date_signature` under the usable lists of `confiance`.
pub fn qualifier(
    cert: &Certificate,
    date_signature: DateTime<Utc>,
    confiance: &Confiance,
) -> RapportQualification {
    let declarations = qc::declarations(cert);
    let mut etapes = vec![Etape {
        nom: "déclarations QcStatements du certificat".into(),
        ok: Some(!declarations.illisible),
        detail: format!(
            "QcCompliance {}, QcSSCD {}, QcType {:?}",
            declarations.conformite, declarations.qscd, declarations.types
        ),
    }];
    let mut services: Vec<(ServiceRetenu, &ServiceConfiance)> = vec![];
    for l in &confiance.listes {
        for p in &l.prestataires {
            for s in &p.services {
                if s.actuel.type_service.as_deref() == Some(TYPE_CA_QC) && emis_par(cert, s) {
                    services.push((
                        ServiceRetenu {
                            territoire: l.territoire.clone(),
                            prestataire: p.nom.clone(),
                            nom: s.actuel.nom.clone(),
                            type_service: s.actuel.type_service.clone(),
                        },
                        s,
                    ));
                }
            }
        }
    }
    etapes.push(Etape {
        nom: "service CA/QC émetteur dans une liste de confiance utilisable".into(),
        ok: Some(!services.is_empty()),
        detail: format!(
            "{} service(s) sur {} liste(s)",
            services.len(),
            confiance.listes.len()
        ),
    });
    let mut r = RapportQualification {
        qualification: TypeQualification::AdES,
        code: None,
        raison: None,
        date_signature,
        declarations: declarations.clone(),
        services: services.iter().map(|(s, _)| s.clone()).collect(),
        a_l_emission: None,
        a_la_signature: None,
        etapes,
    };
    if services.is_empty() {
        r.code = Some(CodeErreur::ServiceConfianceIntrouvable);
        r.raison = Some(
            "aucun service CA/QC d'une liste de confiance utilisable n'a émis ce certificat".into(),
        );
        return r;
    }
    let emission = asn1::time_to_chrono(&cert.tbs_certificate().validity().not_before);
    let a_emission = etat_combine(cert, &declarations, &services, emission);
    let a_signature = etat_combine(cert, &declarations, &services, date_signature);
    for (nom, e) in [
        ("à l'émission", &a_emission),
        ("à la signature", &a_signature),
    ] {
        r.etapes.push(Etape {
            nom: format!("qualification {nom} ({})", e.date),
            ok: e.qualifie,
            detail: format!(
                "statut {}, qualificatifs [{}], usage {:?}, QSCD {:?}{}",
                e.statut_service.as_deref().unwrap_or("aucun"),
                e.qualificatifs.join(", "),
                e.usage,
                e.qscd,
                e.indetermine
                    .as_ref()
                    .map(|m| format!(" ; indéterminé : {m}"))
                    .unwrap_or_default()
            ),
        });
    }
    let (q, raison) = conclure(&a_emission, &a_signature);
    r.qualification = q;
    if q == TypeQualification::Indeterminee {
        r.code = Some(CodeErreur::QualificationIndeterminee);
    }
    r.raison = raison;
    r.a_l_emission = Some(a_emission);
    r.a_la_signature = Some(a_signature);
    r
}

fn conclure(
    emission: &EtatQualification,
    signature: &EtatQualification,
) -> (TypeQualification, Option<String>) {
    use TypeQualification as T;
    for e in [emission, signature] {
        if let Some(m) = &e.indetermine {
            return (T::Indeterminee, Some(m.clone()));
        }
    }
    // eIDAS: qualified when issued, and still under a granted service when used.
    if emission.qualifie != Some(true) || signature.qualifie != Some(true) {
        return (
            T::AdES,
            Some("certificat non qualifié à l'émission ou à la signature".into()),
        );
    }
    if emission.usage != signature.usage {
        return (
            T::Indeterminee,
            Some("usage du certificat différent à l'émission et à la signature".into()),
        );
    }
    let qscd = signature.qscd == Some(true);
    match signature.usage {
        Some(UsageQualifie::Signature) if qscd => (T::QESig, None),
        Some(UsageQualifie::Signature) => (T::AdESigQc, None),
        Some(UsageQualifie::Cachet) if qscd => (T::QESeal, None),
        Some(UsageQualifie::Cachet) => (T::AdESealQc, None),
        Some(UsageQualifie::SiteWeb) => (
            T::AdES,
            Some("certificat qualifié d'authentification de site web, pas de signature".into()),
        ),
        None => (
            T::Indeterminee,
            Some("usage du certificat indéterminé".into()),
        ),
    }
}

/// The state at `date` over every matching service: they must agree.
fn etat_combine(
    cert: &Certificate,
    declarations: &DeclarationsQc,
    services: &[(ServiceRetenu, &ServiceConfiance)],
    date: DateTime<Utc>,
) -> EtatQualification {
    let etats: Vec<EtatQualification> = services
        .iter()
        .map(|(_, s)| etat_a(cert, declarations, s, date))
        .collect();
    let mut premier = match etats.first() {
        Some(e) => e.clone(),
        None => return vide(date),
    };
    // A service that says nothing at this date (not yet listed) does not contradict one that does.
    let avec_statut: Vec<&EtatQualification> = etats
        .iter()
        .filter(|e| e.statut_service.is_some())
        .collect();
    if let Some(e) = avec_statut.first() {
        premier = (*e).clone();
    }
    let desaccord = avec_statut.iter().any(|e| {
        e.qualifie != premier.qualifie || e.usage != premier.usage || e.qscd != premier.qscd
    });
    if desaccord && premier.indetermine.is_none() {
        premier.indetermine = Some("les services émetteurs se contredisent".into());
    }
    if let Some(e) = avec_statut.iter().find(|e| e.indetermine.is_some()) {
        premier.indetermine = e.indetermine.clone();
    }
    premier
}

/// Not qualified at `date` (the service had no status yet).
fn vide(date: DateTime<Utc>) -> EtatQualification {
    EtatQualification {
        date,
        statut_service: None,
        qualificatifs: vec![],
        qualifie: Some(false),
        usage: None,
        qscd: None,
        indetermine: None,
    }
}

/// Was the service qualified (granted) then?
fn accorde(e: &EtatService, date: DateTime<Utc>) -> bool {
    let eidas = Utc.with_ymd_and_hms(2016, 7, 1, 0, 0, 0).single();
    match e.statut.as_deref() {
        Some(STATUT_ACCORDE) => true,
        Some(s) if STATUTS_AVANT_EIDAS.contains(&s) => eidas.is_some_and(|d| date < d),
        _ => false,
    }
}

fn etat_a(
    cert: &Certificate,
    declarations: &DeclarationsQc,
    s: &ServiceConfiance,
    date: DateTime<Utc>,
) -> EtatQualification {
    let Some(e) = s.etat_a(date) else {
        return vide(date);
    };
    let mut r = EtatQualification {
        date,
        statut_service: e.statut.clone(),
        qualificatifs: vec![],
        qualifie: Some(false),
        usage: None,
        qscd: None,
        indetermine: None,
    };
    if !accorde(e, date) || e.type_service.as_deref() != Some(TYPE_CA_QC) {
        return r;
    }
    if let Some(x) = e.extensions_critiques_inconnues.first() {
        r.indetermine = Some(format!("extension critique non prise en charge : {x}"));
        return r;
    }
    if declarations.illisible {
        r.indetermine = Some("QcStatements illisibles".into());
        return r;
    }
    for q in &e.qualifications {
        match criteres::satisfait(&q.criteres, cert) {
            Some(true) => {
                for u in &q.qualificatifs {
                    let court = u.strip_prefix(QUALIFICATIF).unwrap_or(u).to_string();
                    if !r.qualificatifs.contains(&court) {
                        r.qualificatifs.push(court);
                    }
                }
            }
            Some(false) => {}
            None => {
                r.indetermine = Some(format!(
                    "critère non évalué pour les qualificatifs {:?}",
                    q.qualificatifs
                ));
                return r;
            }
        }
    }
    let a = |n: &str| r.qualificatifs.iter().any(|q| q == n);
    // QC: the certificate's own statement, overridden by the list.
    let qualifie = match (a("QCStatement"), a("NotQualified")) {
        (true, true) => {
            r.indetermine = Some("qualificatifs QCStatement et NotQualified ensemble".into());
            return r;
        }
        (true, false) => true,
        (false, true) => false,
        (false, false) => declarations.conformite,
    };
    // Usage: QcType (none with QcCompliance means eSig, EN 319 412-5 4.2.3), overridden by
    // QCForESig / QCForESeal / QCForWSA.
    let par_liste: Vec<UsageQualifie> = [
        ("QCForESig", UsageQualifie::Signature),
        ("QCForESeal", UsageQualifie::Cachet),
        ("QCForWSA", UsageQualifie::SiteWeb),
    ]
    .into_iter()
    .filter(|(n, _)| a(n))
    .map(|(_, u)| u)
    .collect();
    let usage = match (par_liste.as_slice(), declarations.types.as_slice()) {
        ([u], _) => Some(*u),
        ([_, _, ..], _) => {
            r.indetermine = Some("plusieurs qualificatifs d'usage s'appliquent".into());
            return r;
        }
        ([], [u]) => Some(*u),
        ([], []) if qualifie => Some(UsageQualifie::Signature),
        ([], []) => None,
        ([], _) => {
            r.indetermine = Some("plusieurs QcType dans le certificat".into());
            return r;
        }
    };
    // The service must be granted for that usage when it says for which.
    let asi: Vec<&str> = e
        .informations_additionnelles
        .iter()
        .filter_map(|u| u.strip_prefix(ASI))
        .collect();
    let pour_usage = match usage {
        Some(UsageQualifie::Signature) => "ForeSignatures",
        Some(UsageQualifie::Cachet) => "ForeSeals",
        Some(UsageQualifie::SiteWeb) => "ForWebSiteAuthentication",
        None => "",
    };
    let autorise = asi.is_empty() || asi.contains(&pour_usage);
    let qscd = match (
        a("QCWithSSCD") || a("QCWithQSCD") || a("QCQSCDManagedOnBehalf"),
        a("QCNoSSCD") || a("QCNoQSCD"),
    ) {
        (true, true) => {
            r.indetermine = Some("qualificatifs QSCD contradictoires".into());
            return r;
        }
        (true, false) => true,
        (false, true) => false,
        (false, false) => declarations.qscd,
    };
    r.qualifie = Some(qualifie && autorise);
    r.usage = usage;
    r.qscd = Some(qscd);
    r
}

/// Did the service issue `cert`? Its certificate verifies `cert`'s signature, or its key
/// identifier is `cert`'s authority key identifier under the same name.
fn emis_par(cert: &Certificate, s: &ServiceConfiance) -> bool {
    let tbs = cert.tbs_certificate();
    let aki = tbs
        .get_extension::<AuthorityKeyIdentifier>()
        .ok()
        .flatten()
        .and_then(|(_, a)| a.key_identifier.map(|k| hex::encode(k.as_bytes())));
    let tbs_der = tbs.to_der().ok();
    s.identites().any(|id| {
        let par_cert = id
            .certificats
            .iter()
            .filter_map(|b| certificat_b64(b))
            .any(|ca| {
                if ca.tbs_certificate().subject() != tbs.issuer() {
                    return false;
                }
                let ski = ca
                    .tbs_certificate()
                    .get_extension::<SubjectKeyIdentifier>()
                    .ok()
                    .flatten()
                    .map(|(_, k)| hex::encode(k.0.as_bytes()));
                let signe = tbs_der.as_ref().is_some_and(|t| {
                    signer::verifier_signature_x509(
                        &ca,
                        cert.signature_algorithm(),
                        t,
                        cert.signature().raw_bytes(),
                    )
                    .is_ok()
                });
                signe || (aki.is_some() && ski == aki)
            });
        par_cert || (aki.is_some() && id.ski.iter().any(|k| Some(k) == aki.as_ref()))
    })
}
