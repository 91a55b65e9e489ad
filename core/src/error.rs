//! The one error type of mpe and its stable codes.
//!
//! Every failure of the library is an [`Erreur`]: a stable [`CodeErreur`] (a `u32` that
//! never changes meaning once released), a French message for people, and optionally the
//! JSON path or the part of the input that is at fault. The C enum `mpe_status`, the
//! Python exception classes and the CLI's messages are all derived from [`CodeErreur`].
//!
//! Codes are grouped by hundreds, one family per area, so that a host can route a whole
//! family without listing its members:
//!
//! | range | family | Python exception (`mpe.exceptions`) |
//! |---|---|---|
//! | 1xx | général (arguments, JSON, E/S, limites) | `ErreurEntree`, `ErreurES` (103), `ErreurInterne` (100) |
//! | 2xx | règles de la consultation | `ErreurValidation` |
//! | 3xx | procédure (cycle de vie, dépôts, ouverture, décisions, journal) | `ErreurProcedure` |
//! | 4xx | chiffrement (CMS, bi-clés, enveloppes) | `ErreurChiffrement` |
//! | 5xx | signatures | `ErreurSignature` |
//! | 6xx | documents (modèles DOCX) | `ErreurDocument` |
//! | 7xx | contrats et données essentielles | `ErreurDecp` |
//! | 8xx | messagerie | `ErreurMessagerie` |
//! | 9xx | publication (avis eForms, DUME) | `ErreurPublication` |

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $label:literal; )*) => {
        /// A stable error code. The numeric value and the name never change once released;
        /// new codes are only ever added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[repr(u32)]
        pub enum CodeErreur {
            $( $(#[$doc])* $variant = $code, )*
        }

        impl CodeErreur {
            /// Every code, in numeric order (bindings generate their lists from this).
            pub const ALL: &'static [CodeErreur] = &[ $( CodeErreur::$variant, )* ];

            /// The stable numeric value.
            pub const fn code(self) -> u32 {
                self as u32
            }

            /// The stable name, `SCREAMING_SNAKE_CASE` (used in JSON findings and Python).
            pub const fn name(self) -> &'static str {
                match self { $( CodeErreur::$variant => $name, )* }
            }

            /// A short French label of what the code means.
            pub const fn label(self) -> &'static str {
                match self { $( CodeErreur::$variant => $label, )* }
            }

            /// The code with this numeric value, if any.
            pub fn from_code(code: u32) -> Option<CodeErreur> {
                match code { $( $code => Some(CodeErreur::$variant), )* _ => None }
            }

            /// The code with this stable name, if any.
            pub fn from_name(name: &str) -> Option<CodeErreur> {
                match name { $( $name => Some(CodeErreur::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    // ---- 1xx général
    /// A bug in mpe (including a panic caught at the C or Python boundary).
    Interne = 100, "INTERNE", "erreur interne";
    /// An argument is missing, NULL, not UTF-8 or out of range.
    ArgumentInvalide = 101, "ARGUMENT_INVALIDE", "argument invalide";
    /// The JSON given does not parse or does not match the expected type.
    JsonInvalide = 102, "JSON_INVALIDE", "JSON invalide";
    /// Reading or writing a file failed.
    Es = 103, "ES", "erreur d'entrée/sortie";
    /// An algorithm, format or option that mpe does not support (named in the message).
    NonPrisEnCharge = 104, "NON_PRIS_EN_CHARGE", "non pris en charge";
    /// An input exceeds a safety limit (size, depth, count).
    LimiteDepassee = 105, "LIMITE_DEPASSEE", "limite dépassée";
    /// The input ends before it should.
    Tronque = 106, "TRONQUE", "données tronquées";

    // ---- 2xx règles de la consultation
    /// The consultation has blocking findings (the message lists them).
    ValidationEchec = 200, "VALIDATION_ECHEC", "la consultation comporte des erreurs bloquantes";
    /// Référence: 5 to 32 characters among letters, digits, `/` and `_`.
    ReferenceInvalide = 201, "REFERENCE_INVALIDE", "référence invalide";
    /// A CPV code is not written `NNNNNNNN-N`.
    CpvFormat = 202, "CPV_FORMAT", "code CPV mal formé";
    /// A CPV code has a wrong check digit.
    CpvCleControle = 203, "CPV_CLE_CONTROLE", "clé de contrôle du code CPV incorrecte";
    /// A CPV code is not in the official list.
    CpvInconnu = 204, "CPV_INCONNU", "code CPV inconnu";
    /// A CPV code does not match the catégorie principale.
    CpvCategorie = 205, "CPV_CATEGORIE", "code CPV incohérent avec la catégorie";
    /// A SIRET fails its check.
    SiretInvalide = 206, "SIRET_INVALIDE", "SIRET invalide";
    /// A SIREN fails its check.
    SirenInvalide = 207, "SIREN_INVALIDE", "SIREN invalide";
    /// The mise en ligne is not before the DLRO.
    CalendrierOrdre = 208, "CALENDRIER_ORDRE", "la mise en ligne doit précéder la date limite";
    /// The DLRO is in the past at validation.
    DlroPassee = 209, "DLRO_PASSEE", "date limite de remise des plis passée";
    /// Less time than the legal minimum between the notice and the DLRO.
    DelaiInsuffisant = 210, "DELAI_INSUFFISANT", "délai de réception des offres inférieur au minimum légal";
    /// The procedure is not allowed for the estimated amount.
    ProcedureSeuil = 211, "PROCEDURE_SEUIL", "procédure non autorisée pour ce montant";
    /// The DCE is not a ZIP archive.
    DceNonZip = 212, "DCE_NON_ZIP", "le DCE doit être une archive ZIP";
    /// The DCE contains an entry that escapes its folder.
    DceCheminDangereux = 213, "DCE_CHEMIN_DANGEREUX", "le DCE contient un chemin dangereux";
    /// The DCE expands to an absurd size.
    DceTauxCompression = 214, "DCE_TAUX_COMPRESSION", "le DCE a un taux de compression anormal";
    /// An access code does not follow the rules.
    CodeAccesInvalide = 215, "CODE_ACCES_INVALIDE", "code d'accès invalide";
    /// A required field is empty.
    ChampObligatoire = 216, "CHAMP_OBLIGATOIRE", "champ obligatoire non renseigné";
    /// Lots are inconsistent with the allotissement (missing, duplicate numbers).
    LotsIncoherents = 217, "LOTS_INCOHERENTS", "lots incohérents";
    /// Modalités are inconsistent (e.g. encryption without electronic answers).
    ModalitesIncoherentes = 218, "MODALITES_INCOHERENTES", "modalités de réponse incohérentes";
    /// Access rules are inconsistent (e.g. restricted without code, unknown service).
    AccesIncoherent = 219, "ACCES_INCOHERENT", "règles d'accès incohérentes";
    /// A field is longer than allowed.
    ChampTropLong = 220, "CHAMP_TROP_LONG", "champ trop long";
    /// A Europe/Paris wall-clock time that does not exist (spring daylight-saving gap).
    HeureInexistante = 221, "HEURE_INEXISTANTE", "heure inexistante en France (changement d'heure)";
    /// The procedure does not fit the kind of contract (e.g. concession with an appel d'offres).
    ProcedureIncoherente = 222, "PROCEDURE_INCOHERENTE", "procédure incohérente avec le type de contrat";

    // ---- 3xx procédure
    /// The action is not allowed in the consultation's current phase.
    PhaseIncorrecte = 300, "PHASE_INCORRECTE", "action impossible dans la phase actuelle";
    /// The agent lacks the habilitation or the invited right.
    NonHabilite = 301, "NON_HABILITE", "agent non habilité";
    /// Electronic answers are refused for this consultation.
    ReponseElectroniqueRefusee = 302, "REPONSE_ELECTRONIQUE_REFUSEE", "réponse électronique refusée";
    /// The pli arrived at or after the DLRO.
    HorsDelai = 303, "HORS_DELAI", "pli reçu hors délai";
    /// Restricted consultation and wrong or missing access code.
    CodeAccesIncorrect = 304, "CODE_ACCES_INCORRECT", "code d'accès incorrect";
    /// Encryption is required and an envelope is not encrypted.
    EnveloppeNonChiffree = 305, "ENVELOPPE_NON_CHIFFREE", "enveloppe non chiffrée";
    /// A required signature is missing or failed verification.
    SignatureManquante = 306, "SIGNATURE_MANQUANTE", "signature électronique requise";
    /// An expected envelope is missing or an unexpected one is present.
    EnveloppeIncorrecte = 307, "ENVELOPPE_INCORRECTE", "enveloppes non conformes aux modalités";
    /// Unknown lot number.
    LotInconnu = 308, "LOT_INCONNU", "lot inconnu";
    /// Unknown pli or envelope.
    PliInconnu = 309, "PLI_INCONNU", "pli ou enveloppe inconnu";
    /// The envelope cannot be opened now (order of opening, late pli, already opened).
    OuvertureImpossible = 310, "OUVERTURE_IMPOSSIBLE", "ouverture impossible";
    /// No decision can be taken or reset in this state.
    DecisionImpossible = 311, "DECISION_IMPOSSIBLE", "décision impossible";
    /// The journal's hash chain is broken.
    JournalCorrompu = 312, "JOURNAL_CORROMPU", "journal altéré";
    /// A suite cannot be created from this consultation.
    SuiteImpossible = 313, "SUITE_IMPOSSIBLE", "suite impossible";
    /// The company is not allowed in this (restricted) phase.
    EntrepriseNonAdmise = 314, "ENTREPRISE_NON_ADMISE", "entreprise non admise à cette phase";
    /// Unknown agent, question, or other referenced object.
    ReferenceInconnue = 315, "REFERENCE_INCONNUE", "objet référencé inconnu";
    /// The time of an action is earlier than the last entry of the journal.
    HorlogeIncoherente = 316, "HORLOGE_INCOHERENTE", "horodatage antérieur au journal";
    /// A mandatory document attendu is missing from its envelope.
    DocumentManquant = 317, "DOCUMENT_MANQUANT", "document obligatoire manquant";
    /// A file's format (extension) is not one the document attendu accepts.
    FormatDocumentRefuse = 318, "FORMAT_DOCUMENT_REFUSE", "format de document non accepté";
    /// A file declares a document that is not expected in its envelope (or lot).
    DocumentInattendu = 319, "DOCUMENT_INATTENDU", "document non prévu dans cette enveloppe";
    /// Encryption is required and the validation names no personal key or no secours key
    /// (or the consultation was validated without keys and a dépôt comes with its bytes).
    CleChiffrementManquante = 320, "CLE_CHIFFREMENT_MANQUANTE", "clé de chiffrement de la consultation manquante";
    /// An envelope is encrypted to a key that is not one of the consultation's (or misses a
    /// personal key of the consultation).
    DestinatairesIncorrects = 321, "DESTINATAIRES_INCORRECTS", "enveloppe chiffrée pour d'autres clés";
    /// An envelope is not encrypted to one of the consultation's secours keys.
    CleSecoursAbsente = 322, "CLE_SECOURS_ABSENTE", "enveloppe non chiffrée pour une clé de secours";
    /// The bytes of an envelope are not a CMS EnvelopedData or AuthEnvelopedData.
    EnveloppeNonCms = 323, "ENVELOPPE_NON_CMS", "enveloppe qui n'est pas une enveloppe CMS";
    /// A value the host declared (hash, size, encryption) differs from what mpe computed.
    DeclarationIncorrecte = 324, "DECLARATION_INCORRECTE", "valeur déclarée différente de la valeur calculée";
    /// The content encryption algorithm of an envelope is not allowed.
    ChiffrementNonAutorise = 325, "CHIFFREMENT_NON_AUTORISE", "algorithme de chiffrement non autorisé";
    /// The consultation recorded its keys: dépôts and electronic openings go through the
    /// functions that read the envelopes' bytes, never through declared values.
    OctetsRequis = 326, "OCTETS_REQUIS", "octets de l'enveloppe requis";
    /// A field that may not change once the consultation is published was changed (the
    /// field is named); the state is unchanged.
    ModificationInterdite = 327, "MODIFICATION_INTERDITE", "champ non modifiable après la publication";
    /// A modification brings the DLRO earlier: it can only be postponed.
    DlroAvancee = 328, "DLRO_AVANCEE", "la date limite ne peut pas être avancée";
    /// A pièce put in the DCE has no (or a malformed) SHA-256.
    EmpreintePieceManquante = 329, "EMPREINTE_PIECE_MANQUANTE", "pièce du DCE sans empreinte SHA-256";
    /// Warning: too little time is left between a modification and the DLRO (R. 2132-6).
    DelaiRestantInsuffisant = 330, "DELAI_RESTANT_INSUFFISANT", "délai restant trop court après la modification";
    /// A modification that changes nothing.
    AucuneModification = 331, "AUCUNE_MODIFICATION", "aucune modification";
    /// The bytes of a pièce to attach were not given.
    PieceNonFournie = 332, "PIECE_NON_FOURNIE", "contenu de la pièce non fourni";
    /// An annonce d'information or d'attribution receives no pli and has no opening.
    AnnonceSansPli = 333, "ANNONCE_SANS_PLI", "une annonce d'information ou d'attribution ne reçoit pas de pli";
    /// The host asked an opening to stop (its recording callback failed or refused): the
    /// envelopes recorded so far stay opened, the others closed; a new call goes on.
    OuvertureInterrompue = 346, "OUVERTURE_INTERROMPUE", "ouverture interrompue par l'hôte";

    // ---- 4xx chiffrement
    /// The CMS structure is malformed.
    CmsMalforme = 400, "CMS_MALFORME", "structure CMS invalide";
    /// No recipient of the envelope matches the key given.
    AucunDestinataire = 401, "AUCUN_DESTINATAIRE", "aucun destinataire ne correspond à la clé";
    /// The authentication tag or padding check failed: the data was altered.
    IntegriteEchec = 402, "INTEGRITE_ECHEC", "contrôle d'intégrité en échec : données altérées";
    /// The key cannot be used (expired for encryption, wrong type, wrong usage).
    CleInutilisable = 403, "CLE_INUTILISABLE", "clé inutilisable";
    /// A key or certificate does not parse.
    CleInvalide = 404, "CLE_INVALIDE", "clé ou certificat invalide";
    /// Wrong password for a PKCS#12 or an encrypted PKCS#8.
    MotDePasseIncorrect = 405, "MOT_DE_PASSE_INCORRECT", "mot de passe incorrect";
    /// The envelope ZIP is unsafe or malformed (traversal, bomb, manifest mismatch).
    ArchiveInvalide = 406, "ARCHIVE_INVALIDE", "archive de l'enveloppe invalide";
    /// Decryption failed for another reason (wrong session key size, RSA error).
    DechiffrementEchec = 407, "DECHIFFREMENT_ECHEC", "déchiffrement impossible";
    /// An obsolete algorithm (Triple-DES, DES, RC2, RC4 ...) used without the explicit
    /// "legacy" option.
    AlgorithmeObsolete = 410, "ALGORITHME_OBSOLETE", "algorithme obsolète : option « legacy » requise";
    /// The PIN of a token or smart card was refused.
    PinIncorrect = 411, "PIN_INCORRECT", "code PIN incorrect";
    /// The PIN of a token is locked (too many wrong attempts).
    PinBloque = 412, "PIN_BLOQUE", "code PIN bloqué";
    /// No token with that label (or no token at all) in the PKCS#11 module's slots.
    JetonAbsent = 413, "JETON_ABSENT", "jeton ou carte absent";
    /// No key or certificate with that label on the token.
    CleAbsenteDuJeton = 414, "CLE_ABSENTE_DU_JETON", "clé absente du jeton";
    /// The PKCS#11 module cannot be loaded or failed (its return value is in the message).
    ModulePkcs11 = 415, "MODULE_PKCS11", "module PKCS#11 en échec";

    // ---- 5xx signatures
    /// The input is neither a PDF, an XML signature nor a CMS signature.
    SignatureFormatInconnu = 500, "SIGNATURE_FORMAT_INCONNU", "format de signature non reconnu";
    /// The signature structure is malformed.
    SignatureMalformee = 501, "SIGNATURE_MALFORMEE", "signature mal formée";
    /// The signed data does not match the signature (digest mismatch).
    SignatureIntegrite = 502, "SIGNATURE_INTEGRITE", "les données signées ont été modifiées";
    /// The cryptographic signature value is wrong.
    SignatureInvalide = 503, "SIGNATURE_INVALIDE", "signature cryptographiquement invalide";
    /// The certificate was not valid at the signing time.
    CertificatHorsValidite = 504, "CERTIFICAT_HORS_VALIDITE", "certificat hors de sa période de validité";
    /// The certificate's key usage does not allow signing.
    UsageCleIncorrect = 505, "USAGE_CLE_INCORRECT", "usage de clé incompatible avec la signature";
    /// The chain does not lead to a trust anchor.
    ChaineNonApprouvee = 506, "CHAINE_NON_APPROUVEE", "chaîne de certification non approuvée";
    /// XML with a DTD or entity declarations (refused).
    XmlDtdInterdite = 507, "XML_DTD_INTERDITE", "XML avec DTD ou entités refusé";
    /// The XML signature references are inconsistent (wrapping attack).
    XmlEnveloppement = 508, "XML_ENVELOPPEMENT", "références XAdES incohérentes (signature wrapping)";
    /// The PDF cannot be parsed or signed.
    PdfMalforme = 509, "PDF_MALFORME", "PDF invalide";
    /// Content was changed after the signed revision.
    PdfModifieApresSignature = 510, "PDF_MODIFIE_APRES_SIGNATURE", "PDF modifié après signature";
    /// The ByteRange does not cover the whole file except /Contents.
    ByteRangeInvalide = 511, "BYTERANGE_INVALIDE", "/ByteRange invalide";
    /// A detached signature needs the signed file.
    FichierSigneManquant = 512, "FICHIER_SIGNE_MANQUANT", "fichier signé manquant";
    /// The timestamp token is invalid or does not match.
    HorodatageInvalide = 513, "HORODATAGE_INVALIDE", "jeton d'horodatage invalide";
    /// The certificate is revoked according to the CRLs supplied.
    CertificatRevoque = 514, "CERTIFICAT_REVOQUE", "certificat révoqué";
    /// The space reserved for the signature in the PDF is too small.
    EspaceSignatureInsuffisant = 515, "ESPACE_SIGNATURE_INSUFFISANT", "espace réservé à la signature insuffisant";
    /// An algorithm, key type or curve mpe does not implement: INDÉTERMINÉ, never INVALIDE.
    AlgorithmeNonSupporte = 520, "ALGORITHME_NON_SUPPORTE", "algorithme non pris en charge";
    /// An algorithm mpe implements but refuses for new signatures (too weak for the use).
    AlgorithmeRefuse = 521, "ALGORITHME_REFUSE", "algorithme refusé pour cet usage";
    /// A timestamp mpe cannot read or check: the timestamp is INDÉTERMINÉ, not the signature.
    HorodatageIndetermine = 522, "HORODATAGE_INDETERMINE", "horodatage indéterminé";
    /// The signing certificate is not in the signature nor among the certificates given.
    CertificatSignataireIntrouvable = 523, "CERTIFICAT_SIGNATAIRE_INTROUVABLE", "certificat du signataire introuvable";
    /// The signed reference to the signing certificate (ESS, XAdES) names another certificate.
    ReferenceCertificatIncorrecte = 524, "REFERENCE_CERTIFICAT_INCORRECTE", "référence signée au certificat incorrecte";
    /// A trusted list (ETSI TS 119 612) that cannot be read: not XML, not a
    /// TrustServiceStatusList, or without its SchemeInformation.
    ListeConfianceMalformee = 530, "LISTE_CONFIANCE_MALFORMEE", "liste de confiance illisible";
    /// A trusted list without exactly one enveloped signature (none, or several).
    ListeConfianceNonSignee = 531, "LISTE_CONFIANCE_NON_SIGNEE", "liste de confiance sans signature unique";
    /// The list is signed by a certificate its announcer (LOTL, Official Journal, host) does
    /// not publish for it: INDÉTERMINÉ, the list is not used.
    ListeConfianceSignataireNonAnnonce = 532, "LISTE_CONFIANCE_SIGNATAIRE_NON_ANNONCE", "signataire de la liste de confiance non annoncé";
    /// The list is past its NextUpdate, closed (no NextUpdate) or issued after the time of
    /// use: not used.
    ListeConfiancePerimee = 533, "LISTE_CONFIANCE_PERIMEE", "liste de confiance périmée";
    /// The sequence number is lower than the one already known (a replayed older list).
    ListeConfianceSequence = 534, "LISTE_CONFIANCE_SEQUENCE", "numéro de séquence de la liste de confiance en recul";
    /// The list does not follow ETSI TS 119 612 where it matters for trust (its signature
    /// does not cover the whole list, its territory is not the announced one).
    ListeConfianceNonConforme = 535, "LISTE_CONFIANCE_NON_CONFORME", "liste de confiance non conforme";
    /// No trusted list given covers the certificate's issuer (no positive claim possible).
    ServiceConfianceIntrouvable = 536, "SERVICE_CONFIANCE_INTROUVABLE", "service de confiance introuvable";
    /// The qualification cannot be decided (an unsupported criterion, contradictory
    /// qualifiers): INDÉTERMINÉ, never a positive claim.
    QualificationIndeterminee = 537, "QUALIFICATION_INDETERMINEE", "qualification indéterminée";
    /// Trusted lists handed over by the host that are not what they claim (base64, PEM
    /// certificates of the LOTL missing or unreadable, no time to check them at).
    ListeConfianceEntree = 540, "LISTE_CONFIANCE_ENTREE", "listes de confiance fournies illisibles";
    /// A trusted list could not be fetched (HTTP error, timeout, larger than allowed): the
    /// last good copy is kept.
    ListeConfianceTelechargement = 541, "LISTE_CONFIANCE_TELECHARGEMENT", "téléchargement de la liste de confiance impossible";
    /// The folder of trusted lists kept by the CLI has no usable state (no index, no LOTL).
    ListesConfianceDossier = 542, "LISTES_CONFIANCE_DOSSIER", "dossier des listes de confiance inutilisable";
    /// A pivot LOTL the LOTL lists was not given by the host (not fetched): its
    /// announcement is skipped, the keys in force stay (EU DSS does the same).
    ListeConfiancePivotAbsent = 543, "LISTE_CONFIANCE_PIVOT_ABSENT", "LOTL pivot absente";
    /// A pivot LOTL that cannot pass on trust: unusable (signature, signer not announced by
    /// the keys in force), or without exactly one pointer to the LOTL in XML.
    ListeConfiancePivotInutilisable = 544, "LISTE_CONFIANCE_PIVOT_INUTILISABLE", "LOTL pivot inutilisable";
    /// A same-document reference of an XML signature designates nothing (ETSI
    /// SIGNED_DATA_NOT_FOUND): the signed data is not in the document.
    XmlReferenceIntrouvable = 560, "XML_REFERENCE_INTROUVABLE", "donnée signée introuvable dans le document XML";
    /// An OCSP response that does not parse (not an OCSPResponse, not a basic response).
    OcspMalformee = 561, "OCSP_MALFORMEE", "réponse OCSP illisible";
    /// The OCSP responder answered with an error status (malformedRequest, tryLater ...).
    OcspRefusee = 562, "OCSP_REFUSEE", "le répondeur OCSP a refusé la requête";
    /// The OCSP response is signed by neither the issuing CA nor a responder it delegated
    /// (issued by the CA with id-kp-OCSPSigning): not used.
    OcspRepondantNonAutorise = 563, "OCSP_REPONDANT_NON_AUTORISE", "répondeur OCSP non autorisé";
    /// The signature of the OCSP response does not verify with its responder's key.
    OcspSignatureInvalide = 564, "OCSP_SIGNATURE_INVALIDE", "signature de la réponse OCSP invalide";
    /// An OCSP response or CRL not current at the validation time (thisUpdate after it, or
    /// nextUpdate before it): not used.
    RevocationPerimee = 565, "REVOCATION_PERIMEE", "information de révocation périmée";
    /// The OCSP response does not carry the nonce of the request (a replayed response).
    OcspNonceIncorrect = 566, "OCSP_NONCE_INCORRECT", "nonce de la réponse OCSP incorrect";
    /// The OCSP response says nothing about the certificate asked for.
    OcspAutreCertificat = 567, "OCSP_AUTRE_CERTIFICAT", "la réponse OCSP porte sur un autre certificat";
    /// A CRL that does not parse, or that its issuer's key did not sign.
    CrlInvalide = 568, "CRL_INVALIDE", "CRL illisible ou mal signée";
    /// Revocation data could not be fetched (CLI: OCSP responder or CRL distribution point
    /// unreachable, too slow or too large).
    RevocationInjoignable = 569, "REVOCATION_INJOIGNABLE", "information de révocation inaccessible";
    /// Validation data given for a long-term signature (B-LT) that does not parse: a
    /// certificate, an OCSP response or a CRL that is not DER.
    DonneesValidationIllisibles = 570, "DONNEES_VALIDATION_ILLISIBLES", "données de validation illisibles";
    /// The token returned for a document timestamp (B-LTA) is over other bytes than the
    /// prepared document.
    HorodatageDocumentIncorrect = 571, "HORODATAGE_DOCUMENT_INCORRECT", "le jeton ne porte pas sur ce document";
    /// The timestamp authority could not be reached (CLI: unreachable, too slow, too
    /// large an answer, an HTTP error).
    HorodatageInjoignable = 572, "HORODATAGE_INJOIGNABLE", "autorité d'horodatage inaccessible";
    /// A CAdES archive-time-stamp-v3 whose message imprint does not match the signature,
    /// its content and the hash index it carries (EN 319 122-1, 5.5.3): that timestamp
    /// proves nothing (the signature is judged without it).
    HorodatageArchiveIncorrect = 576, "HORODATAGE_ARCHIVE_INCORRECT", "l'horodatage d'archive ne porte pas sur cette signature";
    /// The ats-hash-index of a CAdES archive timestamp names a certificate, a revocation
    /// value or an unsigned attribute the signature no longer holds (EN 319 122-1, 5.5.2).
    IndexArchiveIncorrect = 577, "INDEX_ARCHIVE_INCORRECT", "index de l'horodatage d'archive incorrect";
    /// The delegated OCSP responder's own certificate is revoked (RFC 6960 4.2.2.2.1): its
    /// responses are not used.
    OcspRepondantRevoque = 578, "OCSP_REPONDANT_REVOQUE", "répondeur OCSP révoqué";
    /// The delegated OCSP responder's certificate has no id-pkix-ocsp-nocheck and no data at
    /// hand (CRL, OCSP response of the CA) says it is not revoked: its responses are not
    /// used; a revocation they claim leaves the signature INDÉTERMINÉ, never INVALIDE.
    OcspRepondantRevocationInconnue = 579, "OCSP_REPONDANT_REVOCATION_INCONNUE", "révocation du répondeur OCSP inconnue";
    /// A delta CRL (RFC 5280 5.2.4, deltaCRLIndicator) without its complete CRL among the
    /// data given: it lists changes only, so its silence about a certificate proves
    /// nothing; set aside (a revocation it lists is still believed).
    CrlDeltaSansBase = 580, "CRL_DELTA_SANS_BASE", "CRL delta sans sa CRL de base";

    // ---- 6xx documents
    /// The template is not a valid DOCX or has malformed XML (part and paragraph named).
    ModeleInvalide = 600, "MODELE_INVALIDE", "modèle DOCX invalide";
    /// Data is missing for fields of the template (all listed).
    DonneesManquantes = 601, "DONNEES_MANQUANTES", "données manquantes pour le modèle";
    /// Unknown form code in the DAJ catalogue.
    FormulaireInconnu = 602, "FORMULAIRE_INCONNU", "formulaire inconnu";
    /// A template construct is wrong (unbalanced loop or condition, bad switch).
    SyntaxeModele = 603, "SYNTAXE_MODELE", "syntaxe de modèle incorrecte";
    /// A value cannot be formatted as the template asks (e.g. a date filter on a non-date).
    ValeurIncompatible = 604, "VALEUR_INCOMPATIBLE", "valeur incompatible avec le format demandé";
    /// Unknown document or category in a consultation's document space.
    PieceInconnue = 605, "PIECE_INCONNUE", "pièce inconnue dans l'espace documentaire";
    /// A stored document no longer matches its recorded size and SHA-256.
    PieceAlteree = 606, "PIECE_ALTEREE", "pièce altérée : contenu différent de son empreinte";

    // ---- 7xx contrats et DECP
    /// A record breaks the DECP schema or mpe's stricter checks (record and field named).
    DecpInvalide = 700, "DECP_INVALIDE", "donnée essentielle invalide";
    /// The DECP file's format cannot be recognized.
    DecpFormatInconnu = 701, "DECP_FORMAT_INCONNU", "format DECP non reconnu";
    /// A contract is inconsistent (e.g. marché subséquent without its accord-cadre).
    ContratIncoherent = 702, "CONTRAT_INCOHERENT", "contrat incohérent";
    /// The DECP store is unreadable or of another version.
    EntrepotInvalide = 703, "ENTREPOT_INVALIDE", "entrepôt DECP invalide";
    /// No decision on the lot: no contract can be drawn from it.
    DecisionAbsente = 710, "DECISION_ABSENTE", "aucune décision sur le lot";
    /// The lot's decision is not an attribution (sans suite, infructueux, sélection...).
    DecisionNonAttribution = 711, "DECISION_NON_ATTRIBUTION", "la décision n'est pas une attribution";
    /// The decision the contract was to be drawn from has been reset since.
    DecisionReinitialisee = 712, "DECISION_REINITIALISEE", "décision réinitialisée depuis";

    // ---- 8xx messagerie
    /// An e-mail address is invalid.
    AdresseInvalide = 800, "ADRESSE_INVALIDE", "adresse électronique invalide";
    /// The letter has no recipient.
    SansDestinataire = 801, "SANS_DESTINATAIRE", "aucun destinataire";
    /// An attachment is too large, or all of them together.
    PieceJointeTropGrande = 802, "PIECE_JOINTE_TROP_GRANDE", "pièce jointe trop volumineuse";
    /// Unknown or already used acknowledgement token.
    JetonInconnu = 803, "JETON_INCONNU", "jeton d'accusé de réception inconnu";
    /// The letter is incomplete (empty subject or body).
    CourrierIncomplet = 804, "COURRIER_INCOMPLET", "courrier incomplet";
    /// No letter was sent with this Message-ID.
    CourrierInconnu = 805, "COURRIER_INCONNU", "courrier inconnu";
    /// The letter does not allow the recipient to answer.
    ReponseNonAutorisee = 806, "REPONSE_NON_AUTORISEE", "réponse non autorisée pour ce courrier";

    // ---- 9xx publication
    /// The pre-check of a notice has blocking findings (the message lists them).
    AvisIncomplet = 900, "AVIS_INCOMPLET", "l'avis ne peut pas être écrit : termes métier manquants ou invalides";
    /// A business term (BT) the notice requires has no value in the consultation or its data.
    TermeManquant = 901, "TERME_MANQUANT", "terme métier de l'avis non renseigné";
    /// A business term has a value the eForms SDK refuses (format, code list).
    TermeInvalide = 902, "TERME_INVALIDE", "terme métier de l'avis invalide";
    /// The consultation asks for a notice subtype or a feature mpe does not write.
    AvisNonPrisEnCharge = 903, "AVIS_NON_PRIS_EN_CHARGE", "sous-type d'avis non pris en charge";
    /// A notice is not well-formed XML, or one of its values cannot be read.
    AvisIllisible = 910, "AVIS_ILLISIBLE", "avis illisible";
    /// The XML is not an eForms notice (unknown root element or namespace).
    AvisNonEforms = 911, "AVIS_NON_EFORMS", "le document n'est pas un avis eForms";
    /// A DUME (ESPD document) is not well-formed XML, or is truncated or nested absurdly.
    DumeIllisible = 912, "DUME_ILLISIBLE", "DUME illisible";
    /// The XML is not an ESPD request or response (unknown root element or namespace).
    DumeNonEspd = 913, "DUME_NON_ESPD", "le document n'est pas un DUME (ESPD)";
    /// The ESPD-EDM version asked is not one mpe writes.
    DumeVersionNonPriseEnCharge = 914, "DUME_VERSION_NON_PRISE_EN_CHARGE", "version du DUME non prise en charge";
    /// A change notice is asked while the consultation has not changed since the notice
    /// it would change was sent.
    RectificatifSansModification = 920, "RECTIFICATIF_SANS_MODIFICATION", "aucune modification de la consultation depuis l'envoi de l'avis";
    /// The notice to change is not the contract notice of this procedure (another
    /// procedure, a result notice, itself a change notice written by another tool).
    AvisRectifieEtranger = 921, "AVIS_RECTIFIE_ETRANGER", "l'avis à rectifier n'est pas l'avis de marché de cette procédure";
    /// The Schematron rules given are broken: a file is not XML or not Schematron, an
    /// include or a pattern is missing, an XPath expression does not compile.
    SchematronIllisible = 930, "SCHEMATRON_ILLISIBLE", "règles Schematron illisibles";
    /// The notice has no subtype, or the rules have no phase for it (`eforms-NN`).
    PhaseInconnue = 931, "PHASE_INCONNUE", "aucune phase des règles pour ce sous-type d'avis";
    /// The rules use a Schematron feature mpe does not run (abstract patterns or rules, a
    /// query binding other than XPath 2/3).
    SchematronNonPrisEnCharge = 932, "SCHEMATRON_NON_PRIS_EN_CHARGE", "fonction Schematron non prise en charge";
}

impl CodeErreur {
    /// The family of the code (its hundreds), as the Python exception classes use it.
    pub const fn family(self) -> FamilleErreur {
        match self.code() / 100 {
            2 => FamilleErreur::Validation,
            3 => FamilleErreur::Procedure,
            4 => FamilleErreur::Chiffrement,
            5 => FamilleErreur::Signature,
            6 => FamilleErreur::Document,
            7 => FamilleErreur::Decp,
            8 => FamilleErreur::Messagerie,
            9 => FamilleErreur::Publication,
            _ => match self {
                CodeErreur::Es => FamilleErreur::Es,
                CodeErreur::Interne => FamilleErreur::Interne,
                _ => FamilleErreur::Entree,
            },
        }
    }
}

impl fmt::Display for CodeErreur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

impl Serialize for CodeErreur {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CodeErreur {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        CodeErreur::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("code d'erreur inconnu : {name}")))
    }
}

impl schemars::JsonSchema for CodeErreur {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CodeErreur".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = CodeErreur::ALL.iter().map(|c| c.name()).collect();
        schemars::json_schema!({ "type": "string", "enum": names })
    }
}

/// Families of error codes (their hundreds), one exception class each in Python, PHP and Java.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FamilleErreur {
    /// 1xx: bad arguments, JSON, limits, unsupported.
    Entree,
    /// 103: file system.
    Es,
    /// 100: a bug.
    Interne,
    /// 2xx.
    Validation,
    /// 3xx.
    Procedure,
    /// 4xx.
    Chiffrement,
    /// 5xx.
    Signature,
    /// 6xx.
    Document,
    /// 7xx.
    Decp,
    /// 8xx.
    Messagerie,
    /// 9xx.
    Publication,
}

/// The error of every fallible mpe function.
///
/// ```
/// use mpe::{Erreur, CodeErreur};
/// let e = Erreur::new(CodeErreur::HorsDelai, "pli reçu à 12:00:01, DLRO 12:00:00");
/// assert_eq!(e.code().code(), 303);
/// assert_eq!(e.to_string(), "pli reçu à 12:00:01, DLRO 12:00:00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Erreur {
    code: CodeErreur,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

impl Erreur {
    /// An error with a code and a French message.
    pub fn new(code: CodeErreur, message: impl Into<String>) -> Erreur {
        Erreur {
            code,
            message: message.into(),
            path: None,
        }
    }

    /// Attach the JSON path, file part or field name at fault.
    #[must_use]
    pub fn at(mut self, path: impl Into<String>) -> Erreur {
        self.path = Some(path.into());
        self
    }

    /// The stable code.
    pub fn code(&self) -> CodeErreur {
        self.code
    }

    /// The French message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the error is, when known.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Shorthand for an [`CodeErreur::ArgumentInvalide`] error.
    pub fn invalid_argument(message: impl Into<String>) -> Erreur {
        Erreur::new(CodeErreur::ArgumentInvalide, message)
    }

    /// Shorthand for an [`CodeErreur::Interne`] error.
    pub fn internal(message: impl Into<String>) -> Erreur {
        Erreur::new(CodeErreur::Interne, message)
    }
}

impl fmt::Display for Erreur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{} ({p})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Erreur {}

impl From<serde_json::Error> for Erreur {
    fn from(e: serde_json::Error) -> Erreur {
        Erreur::new(CodeErreur::JsonInvalide, format!("JSON invalide : {e}"))
    }
}

impl From<std::io::Error> for Erreur {
    fn from(e: std::io::Error) -> Erreur {
        Erreur::new(CodeErreur::Es, format!("erreur d'entrée/sortie : {e}"))
    }
}

/// The result type of mpe.
pub type Result<T, E = Erreur> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for c in CodeErreur::ALL {
            assert!(seen.insert(c.code()), "code {} en double", c.code());
            assert_eq!(CodeErreur::from_code(c.code()), Some(*c));
            assert_eq!(CodeErreur::from_name(c.name()), Some(*c));
            assert!(!c.label().is_empty());
        }
        assert_eq!(CodeErreur::from_code(99_999), None);
    }

    #[test]
    fn families_follow_hundreds() {
        assert_eq!(CodeErreur::Es.family(), FamilleErreur::Es);
        assert_eq!(CodeErreur::Interne.family(), FamilleErreur::Interne);
        assert_eq!(CodeErreur::JsonInvalide.family(), FamilleErreur::Entree);
        assert_eq!(CodeErreur::CpvInconnu.family(), FamilleErreur::Validation);
        assert_eq!(CodeErreur::HorsDelai.family(), FamilleErreur::Procedure);
        assert_eq!(
            CodeErreur::AucunDestinataire.family(),
            FamilleErreur::Chiffrement
        );
        assert_eq!(
            CodeErreur::SignatureInvalide.family(),
            FamilleErreur::Signature
        );
        assert_eq!(CodeErreur::ModeleInvalide.family(), FamilleErreur::Document);
        assert_eq!(CodeErreur::DecpInvalide.family(), FamilleErreur::Decp);
        assert_eq!(
            CodeErreur::AdresseInvalide.family(),
            FamilleErreur::Messagerie
        );
        assert_eq!(
            CodeErreur::TermeManquant.family(),
            FamilleErreur::Publication
        );
    }

    #[test]
    fn serde_uses_names() {
        let e = Erreur::new(CodeErreur::CpvInconnu, "x").at("$.cpv.principal");
        let j = serde_json::to_string(&e).unwrap();
        assert_eq!(
            j,
            r#"{"code":"CPV_INCONNU","message":"x","path":"$.cpv.principal"}"#
        );
        assert_eq!(serde_json::from_str::<Erreur>(&j).unwrap(), e);
        assert!(serde_json::from_str::<CodeErreur>(r#""NOPE""#).is_err());
    }
}
