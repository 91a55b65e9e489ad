//! What the signature corpus tests accept beyond `expectations.json`: the wrong verdicts
//! mpe still gives (none may be added) and the expectations shown wrong. Shared by the
//! library test (`corpus_signatures.rs`) and the CLI test (`cli/tests/corpus_verifier.rs`)
//! so both hold mpe to the same rule.
#![allow(dead_code)]

/// Files mpe still judges wrongly, with what is known of why.
pub const FAUX_CONNUS: &[(&str, &str)] = &[];

/// Expectations shown wrong, each with the answer mpe gives instead and the argument.
/// The test requires exactly that answer, so a change of mpe's verdict on these files
/// is seen; the corpus's owner is asked to correct the entry.
pub const ATTENDUS_CONTESTES: &[(&str, &str, &str)] = &[(
    "signatures/xades/signxml/nonconformant-X_BE_CONN_10.xml",
    "IndetermineAncre",
    "signxml 3.x compared every xades:Cert of SigningCertificate with the signing \
     certificate and raised InvalidDigest on the second one (the CA's, which XAdES allows \
     there). Both reference digests are right by the specifications (base64 of the \
     Object's text then SHA-512; inclusive C14N of SignedProperties) and signxml 5.x \
     accepts the file at its signing time: see signature_xades_interop.rs, \
     conn_10_intact_pour_signxml_actuel",
)];
