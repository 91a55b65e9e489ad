//! C ABI of `mpe::signature`: sign (buffers and paths), verify (JSON report), the two-step
//! "prepare / assemble" flow for smartcards, HSMs and remote services, and B-T timestamps.
//! Options cross as JSON, as in Python:
//!
//! - signing options: `{"date": "2026-11-28T10:00:00Z", "nom_fichier": "offre.pdf",
//!   "type_mime": null, "algorithme_empreinte": "SHA-256", "schema": "RSA_PKCS1V15",
//!   "pades": {"apparence": {"page": 1, "rect": [50, 50, 250, 110], "texte": null},
//!   "raison": null, "lieu": null, "reserve": null}}` — only `date` is required;
//! - verification options: `{"ancres_pem": "...", "intermediaires_pem": null,
//!   "crls_pem": null, "reponses_ocsp": ["<OCSPResponse DER en base64>"],
//!   "date_verification": "2026-11-28T12:00:00Z",
//!   "documents_nommes": {"annexe A.txt": "<contenu en base64>"},
//!   "limites_pdf": {"taille_max": 100000000, "revisions_max": 50}}` — every field optional;
//!   `documents_nommes` gives the documents a detached signature names (XAdES references,
//!   or the one document of a detached CAdES), `limites_pdf` tightens the PDF limits
//!   (omitted fields keep their defaults), `reponses_ocsp` are OCSP responses checked like
//!   CRLs (the report's `revocations` names the source used). The report of a PDF lists, per signature, each
//!   later revision and its changes (`pdf.revisions[].changements[]`: `objet`,
//!   `categorie`, `autorise`, `detail`).

use std::ffi::c_char;

use mpe::signature::{
    self, DonneesSignees, FormatSignature, OptionsSignature, OptionsVerification,
    OptionsVerificationJson, Signataire,
};
use mpe::{CodeErreur, Erreur};

use crate::frontiere::{
    appeler, chemin, chemin_facultatif, instant, json, json_facultatif, json_texte, mpe_instant,
    mpe_octets, mpe_statut, octets, octets_facultatifs, octets_sortie, texte,
};

fn format(ptr: *const c_char) -> Result<FormatSignature, Erreur> {
    texte(ptr, "format")?.parse()
}

fn options_signature(ptr: *const u8, longueur: usize) -> Result<OptionsSignature, Erreur> {
    json(ptr, longueur, "options")
}

fn options_verification(ptr: *const u8, longueur: usize) -> Result<OptionsVerification, Erreur> {
    match json_facultatif::<OptionsVerificationJson>(ptr, longueur, "options")? {
        None => Ok(OptionsVerification::default()),
        Some(o) => o.try_into(),
    }
}

fn pem<'a>(ptr: *const u8, longueur: usize, nom: &str) -> Result<&'a str, Erreur> {
    std::str::from_utf8(octets(ptr, longueur, nom)?)
        .map_err(|_| Erreur::new(CodeErreur::CleInvalide, format!("{nom} : PEM non UTF-8")))
}

/// Sign `donnees` in memory with a PEM private key (PKCS#8 or PKCS#1 RSA) and PEM
/// certificates (signer first, then its chain). `format` is `"cades"`, `"xades"` or
/// `"pades"` (then `donnees` is the PDF); `options_json` the signing options (its `date`
/// is required: mpe reads no clock). `signe_sortie` receives the `.p7s`, the XML or the
/// signed PDF.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_signer(
    format: *const c_char,
    cle_pem: *const u8,
    cle_longueur: usize,
    certificats_pem: *const u8,
    certificats_longueur: usize,
    donnees: *const u8,
    donnees_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    signe_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(signe_sortie, "signe_sortie"), || {
        let f = self::format(format)?;
        let s = Signataire::from_pem(
            pem(cle_pem, cle_longueur, "cle_pem")?,
            pem(certificats_pem, certificats_longueur, "certificats_pem")?,
        )?;
        let d = octets(donnees, donnees_longueur, "donnees")?;
        let o = options_signature(options_json, options_longueur)?;
        Ok(signature::signer(f, DonneesSignees::Octets(d), &s, &o)?.into())
    })
}

/// Sign the file `fichier` (streamed for CAdES/XAdES) into `sortie` (whole or not at all).
/// The XAdES reference uses the file's name unless `nom_fichier` is in the options.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_signer_fichier(
    format: *const c_char,
    cle_pem: *const u8,
    cle_longueur: usize,
    certificats_pem: *const u8,
    certificats_longueur: usize,
    fichier: *const c_char,
    sortie: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
) -> mpe_statut {
    appeler((), || {
        let f = self::format(format)?;
        let s = Signataire::from_pem(
            pem(cle_pem, cle_longueur, "cle_pem")?,
            pem(certificats_pem, certificats_longueur, "certificats_pem")?,
        )?;
        let o = options_signature(options_json, options_longueur)?;
        signature::signer_fichier(
            f,
            chemin(fichier, "fichier")?,
            chemin(sortie, "sortie")?,
            &s,
            &o,
        )
    })
}

/// Verify a signature of any format (detected). `donnees` is the signed file of a
/// detached CAdES/XAdES signature (NULL/0 for a PDF or an attached signature).
/// `options_json` (NULL/0 allowed) gives trust anchors, CRLs and the validation date.
/// `rapport_sortie` receives the JSON report.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_verifier(
    signature_octets: *const u8,
    signature_longueur: usize,
    donnees: *const u8,
    donnees_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let sig = octets(signature_octets, signature_longueur, "signature")?;
        let detachees =
            octets_facultatifs(donnees, donnees_longueur, "donnees")?.map(DonneesSignees::Octets);
        let o = options_verification(options_json, options_longueur)?;
        json_texte(&signature::verifier(sig, detachees, &o)?)
    })
}

/// Verify the signature file `fichier_signature`; `fichier_signe` (NULL for a PDF) is the
/// detached signed file, hashed in streaming. `rapport_sortie` receives the JSON report.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_verifier_fichier(
    fichier_signature: *const c_char,
    fichier_signe: *const c_char,
    options_json: *const u8,
    options_longueur: usize,
    rapport_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(rapport_sortie, "rapport_sortie"), || {
        let o = options_verification(options_json, options_longueur)?;
        json_texte(&signature::verifier_fichier(
            chemin(fichier_signature, "fichier_signature")?,
            chemin_facultatif(fichier_signe, "fichier_signe")?,
            &o,
        )?)
    })
}

/// First step of an external signature: only the PEM certificates are needed (the key
/// stays in the smartcard/HSM). `preparation_sortie` receives the prepared signature as
/// JSON; its `empreinte` (base64) is the digest to sign with `algorithme_empreinte` and
/// `schema`. Keep the JSON and pass it to `mpe_signature_assembler`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_preparer(
    format: *const c_char,
    certificats_pem: *const u8,
    certificats_longueur: usize,
    donnees: *const u8,
    donnees_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    preparation_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(preparation_sortie, "preparation_sortie"),
        || {
            let f = self::format(format)?;
            let certs = pem(certificats_pem, certificats_longueur, "certificats_pem")?;
            let s = Signataire::externe(Signataire::certificats_pem(certs)?)?;
            let d = octets(donnees, donnees_longueur, "donnees")?;
            let o = options_signature(options_json, options_longueur)?;
            json_texte(&signature::preparer(f, DonneesSignees::Octets(d), &s, &o)?)
        },
    )
}

/// Second step: assemble with the signature value the device returned (raw RSA signature
/// bytes). The value is checked against the certificate first (`MPE_SIGNATURE_INVALIDE`
/// otherwise, and no output). `signe_sortie` receives the signed output.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_assembler(
    preparation_json: *const u8,
    preparation_longueur: usize,
    valeur: *const u8,
    valeur_longueur: usize,
    signe_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(signe_sortie, "signe_sortie"), || {
        let p: signature::SignaturePreparee =
            json(preparation_json, preparation_longueur, "preparation")?;
        Ok(p.assembler(octets(valeur, valeur_longueur, "valeur")?)?
            .into())
    })
}

/// The RFC 3161 request (DER, SHA-256 imprint) for a signature timestamp over a signed
/// output (p7s, XML or signed PDF). The host sends it to its TSA (`nonce` 0: none).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_horodatage_generer_requete(
    signe: *const u8,
    signe_longueur: usize,
    nonce: u64,
    requete_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(requete_sortie, "requete_sortie"), || {
        Ok(signature::requete_horodatage(
            octets(signe, signe_longueur, "signe")?,
            signature::AlgorithmeEmpreinte::Sha256,
            (nonce != 0).then_some(nonce),
        )?
        .into())
    })
}

/// Embed the TSA's token (or whole TimeStampResp): B-B becomes B-T. `signe_sortie`
/// receives the new signed output.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_horodatage_ajouter(
    signe: *const u8,
    signe_longueur: usize,
    jeton: *const u8,
    jeton_longueur: usize,
    signe_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(signe_sortie, "signe_sortie"), || {
        Ok(signature::ajouter_horodatage(
            octets(signe, signe_longueur, "signe")?,
            octets(jeton, jeton_longueur, "jeton")?,
        )?
        .into())
    })
}

/// Long-term signatures (B-LT), first step: the validation data of a signed PDF or CAdES as JSON
/// (`certificats`, `reponses_ocsp`, `crls`: DER base64) — every certificate of its
/// signatures and timestamps, chains completed with the `options` anchors, and the OCSP
/// responses and CRLs of `options` (`reponses_ocsp`, `crls_pem`) that concern them. The
/// host may add what it fetched itself before `mpe_signature_ajouter_donnees_validation`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_collecter_donnees_validation(
    signe: *const u8,
    signe_longueur: usize,
    options_json: *const u8,
    options_longueur: usize,
    donnees_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(donnees_sortie, "donnees_sortie"), || {
        let o = options_verification(options_json, options_longueur)?;
        json_texte(&signature::collecter_donnees_validation(
            octets(signe, signe_longueur, "signe")?,
            &o,
        )?)
    })
}

/// B-LT: add the validation data (JSON as `mpe_signature_collecter_donnees_validation`
/// gives it) to a signed PDF of any producer, in its `/DSS`, by incremental update; to a
/// CAdES, in its SignedData (`certificates`, `crls`), the SignerInfos untouched.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_ajouter_donnees_validation(
    signe: *const u8,
    signe_longueur: usize,
    donnees_json: *const u8,
    donnees_longueur: usize,
    signe_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(signe_sortie, "signe_sortie"), || {
        let d: signature::DonneesValidation = json(donnees_json, donnees_longueur, "donnees")?;
        Ok(
            signature::ajouter_donnees_validation(octets(signe, signe_longueur, "signe")?, &d)?
                .into(),
        )
    })
}

/// B-LTA, first step: a document timestamp prepared over a signed PDF, or an archive
/// timestamp over an enveloping CAdES or an enveloped or enveloping XAdES (`nonce` 0:
/// none; a detached signature: `mpe_horodatage_preparer_document_detache`).
/// `preparation_sortie` receives JSON whose `requete` (base64) is the RFC 3161 request the
/// host sends to its TSA; keep it for `mpe_horodatage_finir_document`.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_horodatage_preparer_document(
    signe: *const u8,
    signe_longueur: usize,
    nonce: u64,
    preparation_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(preparation_sortie, "preparation_sortie"),
        || {
            json_texte(&signature::preparer_horodatage_document(
                octets(signe, signe_longueur, "signe")?,
                signature::AlgorithmeEmpreinte::Sha256,
                (nonce != 0).then_some(nonce),
            )?)
        },
    )
}

/// B-LTA, first step for a detached CAdES or XAdES: the archive timestamp covers the signed
/// file `donnees` too (EN 319 122-1 5.5.3, EN 319 132-1 5.5.2). Otherwise as
/// `mpe_horodatage_preparer_document` (PAdES, enveloping CAdES, enveloped XAdES).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_horodatage_preparer_document_detache(
    signe: *const u8,
    signe_longueur: usize,
    donnees: *const u8,
    donnees_longueur: usize,
    nonce: u64,
    preparation_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(
        octets_sortie(preparation_sortie, "preparation_sortie"),
        || {
            json_texte(&signature::preparer_horodatage_document_detache(
                octets(signe, signe_longueur, "signe")?,
                signature::DonneesSignees::Octets(octets(donnees, donnees_longueur, "donnees")?),
                signature::AlgorithmeEmpreinte::Sha256,
                (nonce != 0).then_some(nonce),
            )?)
        },
    )
}

/// B-LTA, second step: embed the TSA's token (or TimeStampResp). A token over other bytes
/// is refused (`MPE_HORODATAGE_DOCUMENT_INCORRECT`, no output).
#[unsafe(no_mangle)]
pub extern "C" fn mpe_horodatage_finir_document(
    preparation_json: *const u8,
    preparation_longueur: usize,
    jeton: *const u8,
    jeton_longueur: usize,
    signe_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(signe_sortie, "signe_sortie"), || {
        let p: signature::HorodatageDocumentPrepare =
            json(preparation_json, preparation_longueur, "preparation")?;
        Ok(p.finir(octets(jeton, jeton_longueur, "jeton")?)?.into())
    })
}

/// The output name of the reference platform for the `n`-th signature of `fichier` made
/// at `date`: `<fichier> - AAAAMMJJHHMMSS - Signature N.xml` (XAdES), `<nom> - ... .pdf`
/// (PAdES), `.p7s` (CAdES), the time in Europe/Paris. `nom_sortie` receives the text.
#[unsafe(no_mangle)]
pub extern "C" fn mpe_signature_nommer_sortie(
    fichier: *const c_char,
    format: *const c_char,
    date: mpe_instant,
    n: u32,
    nom_sortie: *mut mpe_octets,
) -> mpe_statut {
    appeler(octets_sortie(nom_sortie, "nom_sortie"), || {
        let f = self::format(format)?;
        Ok(
            signature::nom_fichier_signe(texte(fichier, "fichier")?, f, instant(date, "date")?, n)
                .into(),
        )
    })
}
