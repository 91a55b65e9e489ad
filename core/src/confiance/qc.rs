//! The QcStatements of a certificate (ETSI EN 319 412-5): QcCompliance (issued as a
//! qualified certificate), QcSSCD (key in a qualified device), QcType (eSign, eSeal, web).

use der::Decode;
use der::asn1::{Any, ObjectIdentifier};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

const OID_QC_STATEMENTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.3");
const OID_QC_COMPLIANCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.1");
const OID_QC_SSCD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.4");
const OID_QC_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6");
const OID_QCT_ESIGN: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.1");
const OID_QCT_ESEAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.2");
const OID_QCT_WEB: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.3");

/// What a qualified certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageQualifie {
    /// Electronic signature (natural person).
    Signature,
    /// Electronic seal (legal person).
    Cachet,
    /// Website authentication.
    SiteWeb,
}

/// The QcStatements mpe reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeclarationsQc {
    /// QcCompliance: issued as a qualified certificate.
    pub conformite: bool,
    /// QcSSCD: the private key is in a qualified device.
    pub qscd: bool,
    /// QcType values.
    pub types: Vec<UsageQualifie>,
    /// The extension is present but could not be read.
    pub illisible: bool,
}

/// The statements of `cert` (all false when it has none).
pub fn declarations(cert: &Certificate) -> DeclarationsQc {
    let mut d = DeclarationsQc::default();
    let Some(exts) = cert.tbs_certificate().extensions() else {
        return d;
    };
    for e in exts.iter().filter(|e| e.extn_id == OID_QC_STATEMENTS) {
        let Ok(stmts) = Vec::<Any>::from_der(e.extn_value.as_bytes()) else {
            d.illisible = true;
            continue;
        };
        for s in stmts {
            let Ok(parts) = s.decode_as::<Vec<Any>>() else {
                d.illisible = true;
                continue;
            };
            let Some(oid) = parts
                .first()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            else {
                d.illisible = true;
                continue;
            };
            match oid {
                OID_QC_COMPLIANCE => d.conformite = true,
                OID_QC_SSCD => d.qscd = true,
                OID_QC_TYPE => {
                    let types = parts
                        .get(1)
                        .and_then(|p| p.decode_as::<Vec<ObjectIdentifier>>().ok());
                    match types {
                        None => d.illisible = true,
                        Some(ts) => {
                            for t in ts {
                                let u = match t {
                                    OID_QCT_ESIGN => UsageQualifie::Signature,
                                    OID_QCT_ESEAL => UsageQualifie::Cachet,
                                    OID_QCT_WEB => UsageQualifie::SiteWeb,
                                    _ => continue,
                                };
                                if !d.types.contains(&u) {
                                    d.types.push(u);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    d
}
