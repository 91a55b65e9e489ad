/*
 * mpe — marchés publics électroniques : l'ABI C de libmpe.
 * Généré par cbindgen depuis ffi/src : ne pas modifier à la main.
 * Les noms suivent docs/glossaire.md : mpe_<objet>_<verbe>[_<complement>].
 *
 * Fils d'exécution (thread safety)
 *   Toutes les fonctions peuvent être appelées depuis plusieurs fils à la fois : mpe n'a
 *   pas d'état global modifiable. Une poignée (mpe_entrepot *) ne doit pas servir à deux
 *   fils en même temps (un fil à la fois, ou un verrou chez l'hôte). Le message de
 *   mpe_derniere_erreur() est propre à chaque fil.
 *
 * Propriété (ownership)
 *   - Les entrées sont empruntées pour la durée de l'appel ; mpe n'en garde rien.
 *   - Les sorties sont les derniers paramètres, nommés *_sortie ; elles ne sont écrites
 *     qu'en cas de succès (MPE_OK) et laissées intactes sinon.
 *   - Un mpe_octets rendu par mpe est libéré une fois par mpe_octets_liberer (qui le remet
 *     à zéro : un second appel sur la même structure est sans effet).
 *   - Une poignée faite par _nouveau, _ouvrir ou _lire est libérée une fois par son
 *     _liberer ; NULL est accepté, deux libérations de la même poignée sont interdites.
 *   - Les chaînes rendues directement (mpe_version, mpe_statut_nom, mpe_derniere_erreur)
 *     appartiennent à mpe : ne jamais les libérer.
 *
 * Encodage
 *   - JSON et données binaires : (const uint8_t *x, size_t x_longueur). Un pointeur NULL
 *     n'est permis qu'avec une longueur 0 (sinon MPE_ARGUMENT_INVALIDE) ; pour une entrée
 *     facultative, NULL/0 signifie « absente ».
 *   - JSON : UTF-8, le même que celui du module Python ; schémas dans schemas/.
 *   - Textes courts (codes, noms, mots de passe) : UTF-8 terminé par NUL ; NULL pour un
 *     mot de passe facultatif signifie « aucun ».
 *   - Chemins : octets terminés par NUL, tels que le système les connaît (UTF-8 ou non).
 *   - Temps : mpe_instant, texte RFC 3339 avec décalage ("2026-11-02T09:00:00Z") ;
 *     dates : mpe_date, texte AAAA-MM-JJ. mpe ne lit jamais l'horloge.
 *   - Les sorties texte (JSON, noms) sont suivies d'un NUL non compté dans longueur.
 *
 * Erreurs
 *   Chaque fonction faillible rend un mpe_statut : MPE_OK (0) ou un code stable
 *   (enum mpe_code_statut) ; mpe_statut_nom() en donne le nom et mpe_derniere_erreur() le
 *   message du fil. Une panique interne devient MPE_INTERNE, jamais un arrêt de l'hôte.
 */

#ifndef MPE_H
#define MPE_H

#include <stdint.h>
#include <stddef.h>

/**
 * Les statuts rendus par chaque fonction faillible (0 = succès).
 * Stables : un code ne change jamais de sens.
 */
enum mpe_code_statut {
  /** succès */
  MPE_OK = 0,
  /** erreur interne */
  MPE_INTERNE = 100,
  /** argument invalide */
  MPE_ARGUMENT_INVALIDE = 101,
  /** JSON invalide */
  MPE_JSON_INVALIDE = 102,
  /** erreur d'entrée/sortie */
  MPE_ES = 103,
  /** non pris en charge */
  MPE_NON_PRIS_EN_CHARGE = 104,
  /** limite dépassée */
  MPE_LIMITE_DEPASSEE = 105,
  /** données tronquées */
  MPE_TRONQUE = 106,
  /** la consultation comporte des erreurs bloquantes */
  MPE_VALIDATION_ECHEC = 200,
  /** référence invalide */
  MPE_REFERENCE_INVALIDE = 201,
  /** code CPV mal formé */
  MPE_CPV_FORMAT = 202,
  /** clé de contrôle du code CPV incorrecte */
  MPE_CPV_CLE_CONTROLE = 203,
  /** code CPV inconnu */
  MPE_CPV_INCONNU = 204,
  /** code CPV incohérent avec la catégorie */
  MPE_CPV_CATEGORIE = 205,
  /** SIRET invalide */
  MPE_SIRET_INVALIDE = 206,
  /** SIREN invalide */
  MPE_SIREN_INVALIDE = 207,
  /** la mise en ligne doit précéder la date limite */
  MPE_CALENDRIER_ORDRE = 208,
  /** date limite de remise des plis passée */
  MPE_DLRO_PASSEE = 209,
  /** délai de réception des offres inférieur au minimum légal */
  MPE_DELAI_INSUFFISANT = 210,
  /** procédure non autorisée pour ce montant */
  MPE_PROCEDURE_SEUIL = 211,
  /** le DCE doit être une archive ZIP */
  MPE_DCE_NON_ZIP = 212,
  /** le DCE contient un chemin dangereux */
  MPE_DCE_CHEMIN_DANGEREUX = 213,
  /** le DCE a un taux de compression anormal */
  MPE_DCE_TAUX_COMPRESSION = 214,
  /** code d'accès invalide */
  MPE_CODE_ACCES_INVALIDE = 215,
  /** champ obligatoire non renseigné */
  MPE_CHAMP_OBLIGATOIRE = 216,
  /** lots incohérents */
  MPE_LOTS_INCOHERENTS = 217,
  /** modalités de réponse incohérentes */
  MPE_MODALITES_INCOHERENTES = 218,
  /** règles d'accès incohérentes */
  MPE_ACCES_INCOHERENT = 219,
  /** champ trop long */
  MPE_CHAMP_TROP_LONG = 220,
  /** heure inexistante en France (changement d'heure) */
  MPE_HEURE_INEXISTANTE = 221,
  /** procédure incohérente avec le type de contrat */
  MPE_PROCEDURE_INCOHERENTE = 222,
  /** action impossible dans la phase actuelle */
  MPE_PHASE_INCORRECTE = 300,
  /** agent non habilité */
  MPE_NON_HABILITE = 301,
  /** réponse électronique refusée */
  MPE_REPONSE_ELECTRONIQUE_REFUSEE = 302,
  /** pli reçu hors délai */
  MPE_HORS_DELAI = 303,
  /** code d'accès incorrect */
  MPE_CODE_ACCES_INCORRECT = 304,
  /** enveloppe non chiffrée */
  MPE_ENVELOPPE_NON_CHIFFREE = 305,
  /** signature électronique requise */
  MPE_SIGNATURE_MANQUANTE = 306,
  /** enveloppes non conformes aux modalités */
  MPE_ENVELOPPE_INCORRECTE = 307,
  /** lot inconnu */
  MPE_LOT_INCONNU = 308,
  /** pli ou enveloppe inconnu */
  MPE_PLI_INCONNU = 309,
  /** ouverture impossible */
  MPE_OUVERTURE_IMPOSSIBLE = 310,
  /** décision impossible */
  MPE_DECISION_IMPOSSIBLE = 311,
  /** journal altéré */
  MPE_JOURNAL_CORROMPU = 312,
  /** suite impossible */
  MPE_SUITE_IMPOSSIBLE = 313,
  /** entreprise non admise à cette phase */
  MPE_ENTREPRISE_NON_ADMISE = 314,
  /** objet référencé inconnu */
  MPE_REFERENCE_INCONNUE = 315,
  /** horodatage antérieur au journal */
  MPE_HORLOGE_INCOHERENTE = 316,
  /** document obligatoire manquant */
  MPE_DOCUMENT_MANQUANT = 317,
  /** format de document non accepté */
  MPE_FORMAT_DOCUMENT_REFUSE = 318,
  /** document non prévu dans cette enveloppe */
  MPE_DOCUMENT_INATTENDU = 319,
  /** clé de chiffrement de la consultation manquante */
  MPE_CLE_CHIFFREMENT_MANQUANTE = 320,
  /** enveloppe chiffrée pour d'autres clés */
  MPE_DESTINATAIRES_INCORRECTS = 321,
  /** enveloppe non chiffrée pour une clé de secours */
  MPE_CLE_SECOURS_ABSENTE = 322,
  /** enveloppe qui n'est pas une enveloppe CMS */
  MPE_ENVELOPPE_NON_CMS = 323,
  /** valeur déclarée différente de la valeur calculée */
  MPE_DECLARATION_INCORRECTE = 324,
  /** algorithme de chiffrement non autorisé */
  MPE_CHIFFREMENT_NON_AUTORISE = 325,
  /** octets de l'enveloppe requis */
  MPE_OCTETS_REQUIS = 326,
  /** champ non modifiable après la publication */
  MPE_MODIFICATION_INTERDITE = 327,
  /** la date limite ne peut pas être avancée */
  MPE_DLRO_AVANCEE = 328,
  /** pièce du DCE sans empreinte SHA-256 */
  MPE_EMPREINTE_PIECE_MANQUANTE = 329,
  /** délai restant trop court après la modification */
  MPE_DELAI_RESTANT_INSUFFISANT = 330,
  /** aucune modification */
  MPE_AUCUNE_MODIFICATION = 331,
  /** contenu de la pièce non fourni */
  MPE_PIECE_NON_FOURNIE = 332,
  /** une annonce d'information ou d'attribution ne reçoit pas de pli */
  MPE_ANNONCE_SANS_PLI = 333,
  /** ouverture interrompue par l'hôte */
  MPE_OUVERTURE_INTERROMPUE = 346,
  /** structure CMS invalide */
  MPE_CMS_MALFORME = 400,
  /** aucun destinataire ne correspond à la clé */
  MPE_AUCUN_DESTINATAIRE = 401,
  /** contrôle d'intégrité en échec : données altérées */
  MPE_INTEGRITE_ECHEC = 402,
  /** clé inutilisable */
  MPE_CLE_INUTILISABLE = 403,
  /** clé ou certificat invalide */
  MPE_CLE_INVALIDE = 404,
  /** mot de passe incorrect */
  MPE_MOT_DE_PASSE_INCORRECT = 405,
  /** archive de l'enveloppe invalide */
  MPE_ARCHIVE_INVALIDE = 406,
  /** déchiffrement impossible */
  MPE_DECHIFFREMENT_ECHEC = 407,
  /** algorithme obsolète : option « legacy » requise */
  MPE_ALGORITHME_OBSOLETE = 410,
  /** code PIN incorrect */
  MPE_PIN_INCORRECT = 411,
  /** code PIN bloqué */
  MPE_PIN_BLOQUE = 412,
  /** jeton ou carte absent */
  MPE_JETON_ABSENT = 413,
  /** clé absente du jeton */
  MPE_CLE_ABSENTE_DU_JETON = 414,
  /** module PKCS#11 en échec */
  MPE_MODULE_PKCS11 = 415,
  /** format de signature non reconnu */
  MPE_SIGNATURE_FORMAT_INCONNU = 500,
  /** signature mal formée */
  MPE_SIGNATURE_MALFORMEE = 501,
  /** les données signées ont été modifiées */
  MPE_SIGNATURE_INTEGRITE = 502,
  /** signature cryptographiquement invalide */
  MPE_SIGNATURE_INVALIDE = 503,
  /** certificat hors de sa période de validité */
  MPE_CERTIFICAT_HORS_VALIDITE = 504,
  /** usage de clé incompatible avec la signature */
  MPE_USAGE_CLE_INCORRECT = 505,
  /** chaîne de certification non approuvée */
  MPE_CHAINE_NON_APPROUVEE = 506,
  /** XML avec DTD ou entités refusé */
  MPE_XML_DTD_INTERDITE = 507,
  /** références XAdES incohérentes (signature wrapping) */
  MPE_XML_ENVELOPPEMENT = 508,
  /** PDF invalide */
  MPE_PDF_MALFORME = 509,
  /** PDF modifié après signature */
  MPE_PDF_MODIFIE_APRES_SIGNATURE = 510,
  /** /ByteRange invalide */
  MPE_BYTERANGE_INVALIDE = 511,
  /** fichier signé manquant */
  MPE_FICHIER_SIGNE_MANQUANT = 512,
  /** jeton d'horodatage invalide */
  MPE_HORODATAGE_INVALIDE = 513,
  /** certificat révoqué */
  MPE_CERTIFICAT_REVOQUE = 514,
  /** espace réservé à la signature insuffisant */
  MPE_ESPACE_SIGNATURE_INSUFFISANT = 515,
  /** algorithme non pris en charge */
  MPE_ALGORITHME_NON_SUPPORTE = 520,
  /** algorithme refusé pour cet usage */
  MPE_ALGORITHME_REFUSE = 521,
  /** horodatage indéterminé */
  MPE_HORODATAGE_INDETERMINE = 522,
  /** certificat du signataire introuvable */
  MPE_CERTIFICAT_SIGNATAIRE_INTROUVABLE = 523,
  /** référence signée au certificat incorrecte */
  MPE_REFERENCE_CERTIFICAT_INCORRECTE = 524,
  /** liste de confiance illisible */
  MPE_LISTE_CONFIANCE_MALFORMEE = 530,
  /** liste de confiance sans signature unique */
  MPE_LISTE_CONFIANCE_NON_SIGNEE = 531,
  /** signataire de la liste de confiance non annoncé */
  MPE_LISTE_CONFIANCE_SIGNATAIRE_NON_ANNONCE = 532,
  /** liste de confiance périmée */
  MPE_LISTE_CONFIANCE_PERIMEE = 533,
  /** numéro de séquence de la liste de confiance en recul */
  MPE_LISTE_CONFIANCE_SEQUENCE = 534,
  /** liste de confiance non conforme */
  MPE_LISTE_CONFIANCE_NON_CONFORME = 535,
  /** service de confiance introuvable */
  MPE_SERVICE_CONFIANCE_INTROUVABLE = 536,
  /** qualification indéterminée */
  MPE_QUALIFICATION_INDETERMINEE = 537,
  /** listes de confiance fournies illisibles */
  MPE_LISTE_CONFIANCE_ENTREE = 540,
  /** téléchargement de la liste de confiance impossible */
  MPE_LISTE_CONFIANCE_TELECHARGEMENT = 541,
  /** dossier des listes de confiance inutilisable */
  MPE_LISTES_CONFIANCE_DOSSIER = 542,
  /** LOTL pivot absente */
  MPE_LISTE_CONFIANCE_PIVOT_ABSENT = 543,
  /** LOTL pivot inutilisable */
  MPE_LISTE_CONFIANCE_PIVOT_INUTILISABLE = 544,
  /** donnée signée introuvable dans le document XML */
  MPE_XML_REFERENCE_INTROUVABLE = 560,
  /** réponse OCSP illisible */
  MPE_OCSP_MALFORMEE = 561,
  /** le répondeur OCSP a refusé la requête */
  MPE_OCSP_REFUSEE = 562,
  /** répondeur OCSP non autorisé */
  MPE_OCSP_REPONDANT_NON_AUTORISE = 563,
  /** signature de la réponse OCSP invalide */
  MPE_OCSP_SIGNATURE_INVALIDE = 564,
  /** information de révocation périmée */
  MPE_REVOCATION_PERIMEE = 565,
  /** nonce de la réponse OCSP incorrect */
  MPE_OCSP_NONCE_INCORRECT = 566,
  /** la réponse OCSP porte sur un autre certificat */
  MPE_OCSP_AUTRE_CERTIFICAT = 567,
  /** CRL illisible ou mal signée */
  MPE_CRL_INVALIDE = 568,
  /** information de révocation inaccessible */
  MPE_REVOCATION_INJOIGNABLE = 569,
  /** données de validation illisibles */
  MPE_DONNEES_VALIDATION_ILLISIBLES = 570,
  /** le jeton ne porte pas sur ce document */
  MPE_HORODATAGE_DOCUMENT_INCORRECT = 571,
  /** autorité d'horodatage inaccessible */
  MPE_HORODATAGE_INJOIGNABLE = 572,
  /** l'horodatage d'archive ne porte pas sur cette signature */
  MPE_HORODATAGE_ARCHIVE_INCORRECT = 576,
  /** index de l'horodatage d'archive incorrect */
  MPE_INDEX_ARCHIVE_INCORRECT = 577,
  /** répondeur OCSP révoqué */
  MPE_OCSP_REPONDANT_REVOQUE = 578,
  /** révocation du répondeur OCSP inconnue */
  MPE_OCSP_REPONDANT_REVOCATION_INCONNUE = 579,
  /** CRL delta sans sa CRL de base */
  MPE_CRL_DELTA_SANS_BASE = 580,
  /** modèle DOCX invalide */
  MPE_MODELE_INVALIDE = 600,
  /** données manquantes pour le modèle */
  MPE_DONNEES_MANQUANTES = 601,
  /** formulaire inconnu */
  MPE_FORMULAIRE_INCONNU = 602,
  /** syntaxe de modèle incorrecte */
  MPE_SYNTAXE_MODELE = 603,
  /** valeur incompatible avec le format demandé */
  MPE_VALEUR_INCOMPATIBLE = 604,
  /** pièce inconnue dans l'espace documentaire */
  MPE_PIECE_INCONNUE = 605,
  /** pièce altérée : contenu différent de son empreinte */
  MPE_PIECE_ALTEREE = 606,
  /** donnée essentielle invalide */
  MPE_DECP_INVALIDE = 700,
  /** format DECP non reconnu */
  MPE_DECP_FORMAT_INCONNU = 701,
  /** contrat incohérent */
  MPE_CONTRAT_INCOHERENT = 702,
  /** entrepôt DECP invalide */
  MPE_ENTREPOT_INVALIDE = 703,
  /** aucune décision sur le lot */
  MPE_DECISION_ABSENTE = 710,
  /** la décision n'est pas une attribution */
  MPE_DECISION_NON_ATTRIBUTION = 711,
  /** décision réinitialisée depuis */
  MPE_DECISION_REINITIALISEE = 712,
  /** adresse électronique invalide */
  MPE_ADRESSE_INVALIDE = 800,
  /** aucun destinataire */
  MPE_SANS_DESTINATAIRE = 801,
  /** pièce jointe trop volumineuse */
  MPE_PIECE_JOINTE_TROP_GRANDE = 802,
  /** jeton d'accusé de réception inconnu */
  MPE_JETON_INCONNU = 803,
  /** courrier incomplet */
  MPE_COURRIER_INCOMPLET = 804,
  /** courrier inconnu */
  MPE_COURRIER_INCONNU = 805,
  /** réponse non autorisée pour ce courrier */
  MPE_REPONSE_NON_AUTORISEE = 806,
  /** l'avis ne peut pas être écrit : termes métier manquants ou invalides */
  MPE_AVIS_INCOMPLET = 900,
  /** terme métier de l'avis non renseigné */
  MPE_TERME_MANQUANT = 901,
  /** terme métier de l'avis invalide */
  MPE_TERME_INVALIDE = 902,
  /** sous-type d'avis non pris en charge */
  MPE_AVIS_NON_PRIS_EN_CHARGE = 903,
  /** avis illisible */
  MPE_AVIS_ILLISIBLE = 910,
  /** le document n'est pas un avis eForms */
  MPE_AVIS_NON_EFORMS = 911,
  /** DUME illisible */
  MPE_DUME_ILLISIBLE = 912,
  /** le document n'est pas un DUME (ESPD) */
  MPE_DUME_NON_ESPD = 913,
  /** version du DUME non prise en charge */
  MPE_DUME_VERSION_NON_PRISE_EN_CHARGE = 914,
  /** aucune modification de la consultation depuis l'envoi de l'avis */
  MPE_RECTIFICATIF_SANS_MODIFICATION = 920,
  /** l'avis à rectifier n'est pas l'avis de marché de cette procédure */
  MPE_AVIS_RECTIFIE_ETRANGER = 921,
  /** règles Schematron illisibles */
  MPE_SCHEMATRON_ILLISIBLE = 930,
  /** aucune phase des règles pour ce sous-type d'avis */
  MPE_PHASE_INCONNUE = 931,
  /** fonction Schematron non prise en charge */
  MPE_SCHEMATRON_NON_PRIS_EN_CHARGE = 932,
};


/**
 * An open DECP store (opaque). Made by `mpe_entrepot_nouveau` or `mpe_entrepot_ouvrir`,
 * released by `mpe_entrepot_liberer`.
 */
typedef struct mpe_entrepot mpe_entrepot;

/**
 * A validator of eForms notices by the SDK's Schematron rules (opaque). Made by
 * `mpe_avis_validateur_ouvrir`, released by `mpe_avis_validateur_liberer`. It compiles the
 * rules of a subtype at its first notice (seconds) and keeps them for the next ones: make
 * one per SDK version and keep it. It may be shared between threads: the rules run on a
 * thread of their own, which serves the calls one at a time.
 */
typedef struct mpe_validateur_avis mpe_validateur_avis;

/**
 * A buffer allocated by mpe. Release it with `mpe_octets_liberer`, exactly once.
 *
 * `donnees` is NULL only when `longueur` is 0. Text outputs (JSON, names) are UTF-8 and
 * followed by a NUL byte not counted in `longueur`, so they can be read as C strings.
 */
typedef struct mpe_octets {
  /**
   * Start of the buffer.
   */
  uint8_t *donnees;
  /**
   * Number of bytes (not counting the trailing NUL of text outputs).
   */
  size_t longueur;
  /**
   * Allocated capacity, for the library's use only.
   */
  size_t capacite;
} mpe_octets;

/**
 * A status: 0 (`MPE_OK`) on success, else a stable error code (`MPE_*` constants).
 */
typedef uint32_t mpe_statut;

/**
 * An instant: NUL-terminated RFC 3339 text with its offset, e.g. `"2026-11-02T09:00:00Z"`.
 * The one time type of the C ABI (mpe never reads the clock: "now" is always given).
 */
typedef const char *mpe_instant;

/**
 * A progress callback: called on the caller's thread, during the call, with the caller's
 * `utilisateur` pointer and one step as NUL-terminated UTF-8 JSON (valid only during the
 * callback; copy it to keep it). NULL means no callback.
 */
typedef void (*mpe_progression)(void *utilisateur, const char *etape_json);

/**
 * A calendar date: NUL-terminated `AAAA-MM-JJ` text, e.g. `"2026-11-02"`. The one date type.
 */
typedef const char *mpe_date;

/**
 * Reads part of an envelope from the host's storage: at most `capacite` bytes of the
 * envelope `enveloppe` (`"candidature"`, `"offre-lot-2"` …, see `mpe_rappels_ouverture`)
 * of pli `pli`, from byte `position`, into `tampon`; the count goes to `*lu_sortie` (0 at
 * the end of the envelope). Returns `MPE_OK`, or any other status when the envelope cannot
 * be read (that envelope's opening then fails and it stays closed).
 */
typedef mpe_statut (*mpe_lecture_enveloppe)(void *utilisateur,
                                            uint32_t pli,
                                            const char *enveloppe,
                                            uint64_t position,
                                            uint8_t *tampon,
                                            size_t capacite,
                                            size_t *lu_sortie);

/**
 * Stores, before returning, the state (`etat_json`, JSON) and the journal lines
 * (`journal_jsonl`, JSON Lines) after each envelope's opening, so that a crash loses
 * nothing. Both buffers are valid only during the call. Returns `MPE_OK` to go on; any
 * other status stops the opening (`MPE_OUVERTURE_INTERROMPUE`), with the state as stored
 * by the last successful call.
 */
typedef mpe_statut (*mpe_enregistrement)(void *utilisateur,
                                         const uint8_t *etat_json,
                                         size_t etat_longueur,
                                         const uint8_t *journal_jsonl,
                                         size_t journal_longueur);

/**
 * The host's callbacks during an opening, all called on the caller's thread, during the
 * call, with `utilisateur`. `lire` is required; `enregistrer` and `progression` may be
 * NULL. The struct is read during the call only.
 *
 * The envelopes are named as in a folder export: pli `n`, envelope `candidature`,
 * `offre`, `offre-technique`, `anonymat`, followed by `-lot-<k>` for lot `k` (e.g.
 * `offre-lot-2`).
 */
typedef struct mpe_rappels_ouverture {
  /**
   * Passed back to every callback.
   */
  void *utilisateur;
  /**
   * Reads an envelope (required).
   */
  mpe_lecture_enveloppe lire;
  /**
   * Stores the state and journal lines after each envelope (NULL: not stored).
   */
  mpe_enregistrement enregistrer;
  /**
   * Receives each step as JSON (NULL: none).
   */
  mpe_progression progression;
} mpe_rappels_ouverture;

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The library version, a static NUL-terminated string (never free it).
 */
const char *mpe_version(void);

/**
 * The message of the last call that failed on this thread, or NULL if it succeeded.
 * The pointer stays valid until the next mpe call on the same thread; do not free it.
 */
const char *mpe_derniere_erreur(void);

/**
 * Release a buffer returned by mpe and reset it to empty. NULL, or an already released
 * (empty) buffer, is fine.
 */
void mpe_octets_liberer(struct mpe_octets *octets);

/**
 * The stable name of a status (e.g. `"HORS_DELAI"` for 303), a static string, or NULL
 * for an unknown code. `MPE_OK` gives `"OK"`.
 */
const char *mpe_statut_nom(mpe_statut statut);

/**
 * Load the LOTL and the national lists of `listes_json` as they stand at `date`.
 * `rapport_sortie` receives the JSON report: the usable lists (`listes`), the LOTL's
 * verdict (`lotl`) and one verdict per national list (`entrees`: `territoire`,
 * `empreinte`, `rapport` or `erreur`). A list that cannot be used is in the report, not
 * an error.
 */
mpe_statut mpe_confiance_charger(const uint8_t *listes_json,
                                 size_t listes_longueur,
                                 mpe_instant date,
                                 struct mpe_octets *rapport_sortie);

/**
 * Qualify the certificate `certificat` (DER or PEM) at the signing time `date` under the
 * lists of `listes_json` (checked at the same time). `rapport_sortie` receives the JSON
 * report (`qualification`: QESig, QESeal, AdESig-QC, AdESeal-QC, AdES or INDETERMINEE,
 * with the service found and every step).
 */
mpe_statut mpe_confiance_qualifier(const uint8_t *certificat,
                                   size_t certificat_longueur,
                                   const uint8_t *listes_json,
                                   size_t listes_longueur,
                                   mpe_instant date,
                                   struct mpe_octets *rapport_sortie);

/**
 * Validate a consultation and return every finding as a JSON array
 * (`schemas/constats.schema.json`): `[{"code": "CPV_INCONNU", "gravite": "erreur",
 * "chemin": "$.lots[1].cpv.principal", "message": "...", "article": null}, ...]`.
 *
 * - `consultation_json`/`consultation_longueur`: the consultation
 *   (`schemas/consultation.schema.json`);
 * - `organisation_json`/`organisation_longueur`: the organisation, or NULL/0 when unknown;
 * - `maintenant`: the time of validation;
 * - `constats_sortie`: receives the JSON (release with `mpe_octets_liberer`).
 *
 * The call succeeds (MPE_OK) even when there are findings: read their `gravite`.
 */
mpe_statut mpe_consultation_valider(const uint8_t *consultation_json,
                                    size_t consultation_longueur,
                                    const uint8_t *organisation_json,
                                    size_t organisation_longueur,
                                    mpe_instant maintenant,
                                    struct mpe_octets *constats_sortie);

/**
 * Parse a consultation and write it back in mpe's canonical JSON (every field, defaults
 * filled in). Hosts use it to check their JSON and to compare states byte for byte.
 */
mpe_statut mpe_consultation_normaliser(const uint8_t *consultation_json,
                                       size_t consultation_longueur,
                                       struct mpe_octets *consultation_sortie);

/**
 * Look up a CPV code (`"45000000-7"`) in the official list; on success `cpv_sortie`
 * receives `{"code", "libelle" (français), "libelle_en", "division", "categorie"}`. Errors: `MPE_CPV_FORMAT`,
 * `MPE_CPV_INCONNU`, `MPE_CPV_CLE_CONTROLE`.
 */
mpe_statut mpe_cpv_chercher(const char *code,
                            struct mpe_octets *cpv_sortie);

/**
 * Validate a référence de consultation: `MPE_OK` or `MPE_REFERENCE_INVALIDE`.
 */
mpe_statut mpe_reference_valider(const char *reference);

/**
 * Validate a SIRET (14 digits, Luhn key, La Poste exception): `MPE_OK` or
 * `MPE_SIRET_INVALIDE`.
 */
mpe_statut mpe_siret_valider(const char *siret);

/**
 * Generate an access code for a restricted consultation (8 characters from a CSPRNG,
 * alphabet without look-alikes); `code_sortie` receives it as text.
 */
mpe_statut mpe_code_acces_generer(struct mpe_octets *code_sortie);

/**
 * Describe every stable error code as JSON: `[{"code": 303, "nom": "HORS_DELAI",
 * "libelle": "..."}, ...]` — for hosts that build their own error tables.
 */
mpe_statut mpe_code_erreur_lister(struct mpe_octets *codes_sortie);

/**
 * The contract of `lot` (0 for a consultation non allotie) from the attribution decision of
 * a procedure.
 *
 * - `procedure_json`: the procedure state;
 * - `organisation_json`: the buyer's organisation (its entité's SIRET and name become the
 *   acheteur);
 * - `complement_json`: what the decision does not hold (`numero` required;
 *   `dateNotification`, `dureeMois`, `formePrix`, `typesPrix`, `montant`, `ccag`,
 *   `lieuExecution`, `decisionDu`, ...);
 * - `contrat_sortie`: the `Contrat` (camelCase DECP names).
 *
 * Errors: `MPE_LOT_INCONNU`, `MPE_DECISION_ABSENTE`, `MPE_DECISION_NON_ATTRIBUTION`,
 * `MPE_DECISION_REINITIALISEE`, `MPE_PLI_INCONNU`, `MPE_CONTRAT_INCOHERENT`,
 * `MPE_JSON_INVALIDE`, `MPE_ARGUMENT_INVALIDE`.
 */
mpe_statut mpe_contrat_generer_depuis_decision(const uint8_t *procedure_json,
                                               size_t procedure_longueur,
                                               const uint8_t *organisation_json,
                                               size_t organisation_longueur,
                                               const uint8_t *complement_json,
                                               size_t complement_longueur,
                                               uint32_t lot,
                                               struct mpe_octets *contrat_sortie);

/**
 * Generate an RSA key pair and its self-signed encryption certificate, returned as a
 * PKCS#12 protected by `mot_de_passe`.
 *
 * `parametres_json`: `{"titulaire": "Jean DUPONT", "bits": 2048, "jours_validite": 1095,
 * "nom_complet": null, "organisation": null}` (only `titulaire` required); `maintenant`:
 * start of validity. `p12_sortie` receives the file.
 */
mpe_statut mpe_bicle_generer(const uint8_t *parametres_json,
                             size_t parametres_longueur,
                             mpe_instant maintenant,
                             const char *mot_de_passe,
                             struct mpe_octets *p12_sortie);

/**
 * Read a key pair (PKCS#12, or PEM certificate + key) and describe it as JSON (`nom`,
 * `sujet`, `emetteur`, `numero_serie`, `validite`, `empreinte_sha256`, `bits`). A wrong
 * password gives `MPE_MOT_DE_PASSE_INCORRECT`.
 */
mpe_statut mpe_bicle_decrire(const uint8_t *bicle_octets,
                             size_t bicle_longueur,
                             const char *mot_de_passe,
                             struct mpe_octets *description_sortie);

/**
 * Generate an EC key pair for envelopes (ECDH) on `courbe` (`"P-256"`, `"P-384"`,
 * `"P-521"` or `"X25519"`) with its certificate (key usage keyAgreement), valid from
 * `maintenant`. `parametres_json` as for `mpe_bicle_generer` (`bits` ignored).
 * `pem_sortie` receives the certificate then the PKCS#8 private key, encrypted (PBES2
 * AES-256-CBC) with `mot_de_passe` unless it is NULL.
 */
mpe_statut mpe_bicle_generer_ec(const uint8_t *parametres_json,
                                size_t parametres_longueur,
                                const char *courbe,
                                mpe_instant maintenant,
                                const char *mot_de_passe,
                                struct mpe_octets *pem_sortie);

/**
 * Export a key pair as PEM: the certificate (and chain) then the PKCS#8 private key,
 * encrypted with `nouveau_mot_de_passe` (PBES2 AES-256-CBC) unless it is NULL.
 */
mpe_statut mpe_bicle_exporter_pem(const uint8_t *bicle_octets,
                                  size_t bicle_longueur,
                                  const char *mot_de_passe,
                                  const char *nouveau_mot_de_passe,
                                  struct mpe_octets *pem_sortie);

/**
 * Export a key pair as PKCS#12 (AES-256-CBC, PBKDF2-HMAC-SHA256, MAC SHA-256) protected
 * by `nouveau_mot_de_passe`.
 */
mpe_statut mpe_bicle_exporter_pkcs12(const uint8_t *bicle_octets,
                                     size_t bicle_longueur,
                                     const char *mot_de_passe,
                                     const char *nouveau_mot_de_passe,
                                     struct mpe_octets *p12_sortie);

/**
 * The certificates (PEM) to encrypt a pli to: the keys `choisies_json` (a JSON array of
 * ids) of `registre_json` (a JSON array of `{"id", "nature": "personnelle"|"secours",
 * "certificat_pem"}`) plus every emergency key, each checked valid at `maintenant`. An
 * expired key gives `MPE_CLE_INUTILISABLE`.
 */
mpe_statut mpe_cms_choisir_destinataires(const uint8_t *registre_json,
                                         size_t registre_longueur,
                                         const uint8_t *choisies_json,
                                         size_t choisies_longueur,
                                         mpe_instant maintenant,
                                         struct mpe_octets *certificats_pem_sortie);

/**
 * Encrypt a buffer to every certificate of `certificats_pem` (one or more). `options_json`
 * may be NULL/0 (AES-256-GCM, RSA-OAEP-SHA256) or e.g. `{"chiffrement": "AES-256-CBC",
 * "transport": "RSA-PKCS1-v1_5"}`. `cms_sortie` receives the DER CMS.
 */
mpe_statut mpe_cms_chiffrer(const uint8_t *clair,
                            size_t clair_longueur,
                            const uint8_t *certificats_pem,
                            size_t certificats_longueur,
                            const uint8_t *options_json,
                            size_t options_longueur,
                            struct mpe_octets *cms_sortie);

/**
 * Encrypt the file `entree` into `sortie` (DER CMS), streaming in constant memory; the
 * output appears only once complete.
 */
mpe_statut mpe_cms_chiffrer_fichier(const char *entree,
                                    const char *sortie,
                                    const uint8_t *certificats_pem,
                                    size_t certificats_longueur,
                                    const uint8_t *options_json,
                                    size_t options_longueur);

/**
 * Decrypt a CMS envelope (DER, BER or PEM) held in memory with a key pair. `clair_sortie`
 * is written only once the data is authenticated.
 */
mpe_statut mpe_cms_dechiffrer(const uint8_t *cms_octets,
                              size_t cms_longueur,
                              const uint8_t *bicle_octets,
                              size_t bicle_longueur,
                              const char *mot_de_passe,
                              struct mpe_octets *clair_sortie);

/**
 * Decrypt a CMS envelope (DER, BER, PEM or S/MIME) held in memory with a private key
 * alone or with its certificate: PEM or DER PKCS#8 (encrypted with `mot_de_passe`),
 * PKCS#1, SEC1 EC, or a PKCS#12 (RSA, P-256/384/521, X25519). Without certificate the
 * recipient is matched from the key. `options_json` (NULL/0 allowed): `{"legacy": true}`
 * also opens Triple-DES, DES and RC2 (else `MPE_ALGORITHME_OBSOLETE`). `clair_sortie` is
 * written only once the data is authenticated; `rapport_sortie` (may be NULL) receives
 * what was found (`structure`, `chiffrement`, `acces`, `destinataire`...).
 */
mpe_statut mpe_cms_dechiffrer_cle(const uint8_t *cms_octets,
                                  size_t cms_longueur,
                                  const uint8_t *cle_octets,
                                  size_t cle_longueur,
                                  const char *mot_de_passe,
                                  const uint8_t *options_json,
                                  size_t options_longueur,
                                  struct mpe_octets *clair_sortie,
                                  struct mpe_octets *rapport_sortie);

/**
 * Decrypt the file `entree` into `sortie` in constant memory with a key as for
 * `mpe_cms_dechiffrer_cle`; the plaintext appears only once authenticated (no file on
 * error). `rapport_sortie` (may be NULL) receives what was found.
 */
mpe_statut mpe_cms_dechiffrer_fichier_cle(const char *entree,
                                          const char *sortie,
                                          const uint8_t *cle_octets,
                                          size_t cle_longueur,
                                          const char *mot_de_passe,
                                          const uint8_t *options_json,
                                          size_t options_longueur,
                                          struct mpe_octets *rapport_sortie);

/**
 * Decrypt a CMS envelope held in memory with a key-encryption key the host holds
 * (KEKRecipientInfo, AES key wrap RFC 3394; `openssl cms -encrypt -secretkey K
 * -secretkeyid ID`): `kek` is the key (16, 24 or 32 bytes), `kek_id` its identifier
 * (`KEKIdentifier.keyIdentifier`, the bytes of `-secretkeyid`). `options_json` (NULL/0
 * allowed) as for `mpe_cms_dechiffrer_cle`. A key or id that matches no recipient gives
 * `MPE_AUCUN_DESTINATAIRE`; `clair_sortie` is written only once the data is
 * authenticated; `rapport_sortie` (may be NULL) receives what was found.
 */
mpe_statut mpe_cms_dechiffrer_kek(const uint8_t *cms_octets,
                                  size_t cms_longueur,
                                  const uint8_t *kek,
                                  size_t kek_longueur,
                                  const uint8_t *kek_id,
                                  size_t kek_id_longueur,
                                  const uint8_t *options_json,
                                  size_t options_longueur,
                                  struct mpe_octets *clair_sortie,
                                  struct mpe_octets *rapport_sortie);

/**
 * Decrypt the file `entree` into `sortie` in constant memory with a key-encryption key,
 * as `mpe_cms_dechiffrer_kek`; the plaintext appears only once authenticated.
 */
mpe_statut mpe_cms_dechiffrer_fichier_kek(const char *entree,
                                          const char *sortie,
                                          const uint8_t *kek,
                                          size_t kek_longueur,
                                          const uint8_t *kek_id,
                                          size_t kek_id_longueur,
                                          const uint8_t *options_json,
                                          size_t options_longueur,
                                          struct mpe_octets *rapport_sortie);

/**
 * Decrypt a CMS envelope held in memory with a password (PasswordRecipientInfo, PBKDF2
 * and the RFC 3211 key wrap; `openssl cms -encrypt -pwri_password`). The password crosses
 * as bytes (`mot_de_passe`, `mot_de_passe_longueur`), used as they are. A wrong password
 * gives `MPE_MOT_DE_PASSE_INCORRECT`; `clair_sortie` is written only once the data is
 * authenticated; `rapport_sortie` (may be NULL) receives what was found.
 */
mpe_statut mpe_cms_dechiffrer_mot_de_passe(const uint8_t *cms_octets,
                                           size_t cms_longueur,
                                           const uint8_t *mot_de_passe,
                                           size_t mot_de_passe_longueur,
                                           const uint8_t *options_json,
                                           size_t options_longueur,
                                           struct mpe_octets *clair_sortie,
                                           struct mpe_octets *rapport_sortie);

/**
 * Decrypt the file `entree` into `sortie` in constant memory with a password, as
 * `mpe_cms_dechiffrer_mot_de_passe`; the plaintext appears only once authenticated.
 */
mpe_statut mpe_cms_dechiffrer_fichier_mot_de_passe(const char *entree,
                                                   const char *sortie,
                                                   const uint8_t *mot_de_passe,
                                                   size_t mot_de_passe_longueur,
                                                   const uint8_t *options_json,
                                                   size_t options_longueur,
                                                   struct mpe_octets *rapport_sortie);

/**
 * Make a TEST signing identity to try signing then verifying: a self-made test CA and a
 * signing certificate it issues (digitalSignature, nonRepudiation; both names say TEST,
 * no QC statement, so never « adapté pour les marchés publics »). `parametres_json`:
 * `{"sujet": "CN=Jeanne Essai,O=Exemple SA,C=FR", "jours_validite": 365}` (only `sujet`
 * required), valid from `maintenant`. `p12_sortie` receives the identity as PKCS#12
 * (AES-256, PBKDF2) protected by `mot_de_passe`, CA included; `autorite_pem_sortie` the
 * CA certificate, the anchor to give when verifying.
 */
mpe_statut mpe_identite_test_generer(const uint8_t *parametres_json,
                                     size_t parametres_longueur,
                                     mpe_instant maintenant,
                                     const char *mot_de_passe,
                                     struct mpe_octets *p12_sortie,
                                     struct mpe_octets *autorite_pem_sortie);

/**
 * Decrypt the file `entree` into `sortie`, streaming in constant memory. The plaintext
 * appears only after the GCM tag verified: on error no output file exists.
 * `rapport_sortie` (may be NULL) receives what was found.
 */
mpe_statut mpe_cms_dechiffrer_fichier(const char *entree,
                                      const char *sortie,
                                      const uint8_t *bicle_octets,
                                      size_t bicle_longueur,
                                      const char *mot_de_passe,
                                      struct mpe_octets *rapport_sortie);

/**
 * Build an envelope ZIP with its SHA-256 manifest from `fichiers_json`, a JSON array of
 * `["chemin/dans/l/archive", "/chemin/sur/disque"]` pairs. `manifeste_sortie` receives the
 * manifest.
 */
mpe_statut mpe_enveloppe_generer(const uint8_t *fichiers_json,
                                 size_t fichiers_longueur,
                                 const char *sortie,
                                 struct mpe_octets *manifeste_sortie);

/**
 * Safely extract an envelope ZIP into `dossier` (no path traversal, zip-bomb limits, every
 * file checked against the manifest); `manifeste_sortie` receives the manifest.
 */
mpe_statut mpe_enveloppe_extraire(const char *zip,
                                  const char *dossier,
                                  struct mpe_octets *manifeste_sortie);

/**
 * "Télécharger les plis chiffrés": copy the envelopes of `enveloppes_json` (a JSON array
 * of `{"consultation", "id", "chemin"}`) into `dossier` with an `index.json`, returned in
 * `index_sortie`.
 */
mpe_statut mpe_ouverture_exporter(const uint8_t *enveloppes_json,
                                  size_t enveloppes_longueur,
                                  const char *dossier,
                                  struct mpe_octets *index_sortie);

/**
 * "Déchiffrement hors ligne": decrypt an export folder `dossier` with a key pair into
 * `dossier_sortie`, writing `rapport.json` there and returning it in `rapport_sortie`.
 * `progression` (may be NULL) receives each step as JSON (`{"etape":
 * "recuperation_fichiers", "nombre": 3}`, `{"etape": "recuperation_cle"}`, `{"etape":
 * "dechiffrement", "index": 1, "total": 3, "id": "..."}`, `{"etape": "termine", ...}`).
 */
mpe_statut mpe_ouverture_dechiffrer_dossier(const char *dossier,
                                            const uint8_t *bicle_octets,
                                            size_t bicle_longueur,
                                            const char *mot_de_passe,
                                            const char *dossier_sortie,
                                            mpe_progression progression,
                                            void *utilisateur,
                                            struct mpe_octets *rapport_sortie);

/**
 * Merge the DOCX template `modele` with `donnees_json` (any JSON object); `options_json`
 * may be NULL/0. `docx_sortie` receives the document.
 */
mpe_statut mpe_document_fusionner(const uint8_t *modele,
                                  size_t modele_longueur,
                                  const uint8_t *donnees_json,
                                  size_t donnees_longueur,
                                  const uint8_t *options_json,
                                  size_t options_longueur,
                                  struct mpe_octets *docx_sortie);

/**
 * Merge the template file `modele` into the file `sortie` (written whole or not at all).
 */
mpe_statut mpe_document_fusionner_fichier(const char *modele,
                                          const uint8_t *donnees_json,
                                          size_t donnees_longueur,
                                          const uint8_t *options_json,
                                          size_t options_longueur,
                                          const char *sortie);

/**
 * The merge fields of a template, as a JSON array.
 */
mpe_statut mpe_document_lister_champs(const uint8_t *modele,
                                      size_t modele_longueur,
                                      struct mpe_octets *champs_sortie);

/**
 * The catalogue of the DAJ forms bundled with mpe, as JSON.
 */
mpe_statut mpe_formulaire_lister(struct mpe_octets *catalogue_sortie);

/**
 * The DOCX template of the form `code` (e.g. `"DC1"`). Unknown: `MPE_FORMULAIRE_INCONNU`.
 */
mpe_statut mpe_formulaire_lire_modele(const char *code, struct mpe_octets *docx_sortie);

/**
 * The merge data of the form `code` drawn from `procedure_json` (`DonneesProcedure`).
 */
mpe_statut mpe_formulaire_generer_donnees(const char *code,
                                          const uint8_t *procedure_json,
                                          size_t procedure_longueur,
                                          struct mpe_octets *donnees_sortie);

/**
 * The form `code` filled from `procedure_json` (`DonneesProcedure`), as DOCX.
 */
mpe_statut mpe_formulaire_generer(const char *code,
                                  const uint8_t *procedure_json,
                                  size_t procedure_longueur,
                                  struct mpe_octets *docx_sortie);

/**
 * An example of `DonneesProcedure`, as JSON: a starting point for hosts.
 */
mpe_statut mpe_formulaire_lire_exemple(struct mpe_octets *procedure_sortie);

/**
 * A new, empty document space for the consultation `consultation` (its id), as JSON.
 */
mpe_statut mpe_espace_nouveau(const char *consultation, struct mpe_octets *espace_sortie);

/**
 * Add the piece `nom` (`donnees`) to the category `categorie` of a document space; the
 * updated space is written to `espace_sortie`. `modele` (may be NULL) names the template
 * the piece was generated from.
 */
mpe_statut mpe_espace_ajouter(const uint8_t *espace_json,
                              size_t espace_longueur,
                              const char *categorie,
                              const char *nom,
                              const uint8_t *donnees,
                              size_t donnees_longueur,
                              mpe_instant date,
                              const char *modele,
                              struct mpe_octets *espace_sortie);

/**
 * The pieces of a document space (of one category, or all when `categorie` is NULL).
 */
mpe_statut mpe_espace_lister(const uint8_t *espace_json,
                             size_t espace_longueur,
                             const char *categorie,
                             struct mpe_octets *pieces_sortie);

/**
 * Write a ZIP of the selected pieces (`selection_json`: their ids) to `sortie`, reading
 * their bytes from `chemins_json` (`{"id": "/chemin/sur/disque"}`); each piece's hash is
 * checked (`MPE_PIECE_ALTEREE`).
 */
mpe_statut mpe_espace_exporter_zip(const uint8_t *espace_json,
                                   size_t espace_longueur,
                                   const uint8_t *selection_json,
                                   size_t selection_longueur,
                                   const uint8_t *chemins_json,
                                   size_t chemins_longueur,
                                   const char *sortie);

/**
 * Validate contracts by the DECP rules at `aujourd_hui`: `anomalies_sortie` receives the
 * findings (an empty array when none).
 */
mpe_statut mpe_decp_valider(const uint8_t *contrats_json,
                            size_t contrats_longueur,
                            mpe_date aujourd_hui,
                            struct mpe_octets *anomalies_sortie);

/**
 * Export contracts as a DECP 2022 JSON file (`decp_sortie`).
 */
mpe_statut mpe_decp_exporter_json(const uint8_t *contrats_json,
                                  size_t contrats_longueur,
                                  mpe_date aujourd_hui,
                                  struct mpe_octets *decp_sortie);

/**
 * Export contracts as a DECP 2022 XML file (`decp_sortie`).
 */
mpe_statut mpe_decp_exporter_xml(const uint8_t *contrats_json,
                                 size_t contrats_longueur,
                                 mpe_date aujourd_hui,
                                 struct mpe_octets *decp_sortie);

/**
 * Export contracts as an OCDS release package (`options_json`: `OptionsOcds`).
 */
mpe_statut mpe_decp_exporter_ocds(const uint8_t *contrats_json,
                                  size_t contrats_longueur,
                                  const uint8_t *options_json,
                                  size_t options_longueur,
                                  struct mpe_octets *ocds_sortie);

/**
 * Export contracts as an XLSX workbook (`xlsx_sortie`).
 */
mpe_statut mpe_contrat_exporter_xlsx(const uint8_t *contrats_json,
                                     size_t contrats_longueur,
                                     struct mpe_octets *xlsx_sortie);

/**
 * The contracts that match `filtre_json` (`FiltreContrats`).
 */
mpe_statut mpe_contrat_filtrer(const uint8_t *contrats_json,
                               size_t contrats_longueur,
                               const uint8_t *filtre_json,
                               size_t filtre_longueur,
                               struct mpe_octets *contrats_sortie);

/**
 * A contract from an attribution (`Attribution`).
 */
mpe_statut mpe_contrat_generer_depuis_attribution(const uint8_t *attribution_json,
                                                  size_t attribution_longueur,
                                                  struct mpe_octets *contrat_sortie);

/**
 * Import a published DECP file (2019 or 2022, JSON or XML) into the store file
 * `entrepot_sortie`, starting from `entrepot_entree` (NULL: an empty store).
 * `rapport_sortie` receives the import report.
 */
mpe_statut mpe_decp_importer(const char *fichier,
                             const uint8_t *options_json,
                             size_t options_longueur,
                             const char *entrepot_entree,
                             const char *entrepot_sortie,
                             struct mpe_octets *rapport_sortie);

/**
 * Add contracts to the store file `entrepot` (made when absent); `bilan_sortie` receives
 * `{"ajoutes": n, "fusionnes": m}`.
 */
mpe_statut mpe_entrepot_fichier_ajouter(const char *entrepot,
                                        const uint8_t *contrats_json,
                                        size_t contrats_longueur,
                                        struct mpe_octets *bilan_sortie);

/**
 * Search the store file `entrepot` (`recherche_json`: `Recherche`).
 */
mpe_statut mpe_entrepot_fichier_chercher(const char *entrepot,
                                         const uint8_t *recherche_json,
                                         size_t recherche_longueur,
                                         struct mpe_octets *resultat_sortie);

/**
 * Open the store file `chemin` into a handle (release it with `mpe_entrepot_liberer`).
 */
mpe_statut mpe_entrepot_ouvrir(const char *chemin, struct mpe_entrepot **entrepot_sortie);

/**
 * A new, empty store handle (release it with `mpe_entrepot_liberer`).
 */
mpe_statut mpe_entrepot_nouveau(struct mpe_entrepot **entrepot_sortie);

/**
 * Import a DECP file into an open store; `rapport_sortie` receives the report.
 */
mpe_statut mpe_entrepot_importer(struct mpe_entrepot *entrepot,
                                 const char *fichier,
                                 const uint8_t *options_json,
                                 size_t options_longueur,
                                 struct mpe_octets *rapport_sortie);

/**
 * Search an open store (`recherche_json`: `Recherche`).
 */
mpe_statut mpe_entrepot_chercher(const struct mpe_entrepot *entrepot,
                                 const uint8_t *recherche_json,
                                 size_t recherche_longueur,
                                 struct mpe_octets *resultat_sortie);

/**
 * The number of contracts of an open store.
 */
mpe_statut mpe_entrepot_compter(const struct mpe_entrepot *entrepot, uint64_t *nombre_sortie);

/**
 * Write an open store to the file `chemin`, whole or not at all.
 */
mpe_statut mpe_entrepot_ecrire(const struct mpe_entrepot *entrepot, const char *chemin);

/**
 * Release a store handle. NULL is fine; releasing the same handle twice is undefined
 * behaviour, as with `free`.
 */
void mpe_entrepot_liberer(struct mpe_entrepot *entrepot);

/**
 * The tokens of the PKCS#11 module `module` and their certificates, as JSON: `[{"jeton":
 * {"slot", "libelle", "fabricant", "modele", "numero_serie"}, "certificats": [{"libelle",
 * "id", "info", "conformite": {"adapte", "raisons"}, "certificat_pem"}]}]`, the
 * conformity judged at `maintenant`. No PIN: certificates are public.
 */
mpe_statut mpe_pkcs11_lister(const char *module,
                             mpe_instant maintenant,
                             struct mpe_octets *jetons_sortie);

/**
 * Decrypt a CMS envelope (DER, BER, PEM or S/MIME) held in memory with the token's key
 * (RSA key transport v1.5/OAEP, or ECDH). `options_json` (NULL/0 allowed) as for
 * `mpe_cms_dechiffrer_cle`. `clair_sortie` is written only once the data is
 * authenticated; `rapport_sortie` (may be NULL) receives what was found.
 */
mpe_statut mpe_cms_dechiffrer_jeton(const uint8_t *cms_octets,
                                    size_t cms_longueur,
                                    const uint8_t *reference_json,
                                    size_t reference_longueur,
                                    const char *pin,
                                    const uint8_t *options_json,
                                    size_t options_longueur,
                                    struct mpe_octets *clair_sortie,
                                    struct mpe_octets *rapport_sortie);

/**
 * Decrypt the file `entree` into `sortie` in constant memory with the token's key; the
 * plaintext appears only once authenticated (no file on error). `rapport_sortie` (may be
 * NULL) receives what was found.
 */
mpe_statut mpe_cms_dechiffrer_fichier_jeton(const char *entree,
                                            const char *sortie,
                                            const uint8_t *reference_json,
                                            size_t reference_longueur,
                                            const char *pin,
                                            const uint8_t *options_json,
                                            size_t options_longueur,
                                            struct mpe_octets *rapport_sortie);

/**
 * Sign `donnees` with the token's key: `format` `"cades"`, `"xades"` or `"pades"` (then
 * `donnees` is the PDF); the token's certificate (same `CKA_ID` as the key) is the
 * signer's, `chaine_pem` (NULL/0 allowed) the rest of its chain; `options_json` the
 * signing options (as `mpe_signature_signer`, `date` required). The token signs the digest
 * (RSA PKCS#1 v1.5 or ECDSA P-256); mpe checks the value before assembling.
 * `signe_sortie` receives the `.p7s`, the XML or the signed PDF.
 */
mpe_statut mpe_signature_signer_jeton(const char *format,
                                      const uint8_t *reference_json,
                                      size_t reference_longueur,
                                      const char *pin,
                                      const uint8_t *chaine_pem,
                                      size_t chaine_longueur,
                                      const uint8_t *donnees,
                                      size_t donnees_longueur,
                                      const uint8_t *options_json,
                                      size_t options_longueur,
                                      struct mpe_octets *signe_sortie);

/**
 * Sign the file `fichier` (streamed for CAdES/XAdES) into `sortie` (whole or not at all)
 * with the token's key, as `mpe_signature_signer_jeton`.
 */
mpe_statut mpe_signature_signer_fichier_jeton(const char *format,
                                              const uint8_t *reference_json,
                                              size_t reference_longueur,
                                              const char *pin,
                                              const uint8_t *chaine_pem,
                                              size_t chaine_longueur,
                                              const char *fichier,
                                              const char *sortie,
                                              const uint8_t *options_json,
                                              size_t options_longueur);

/**
 * The template (subject and body) of a letter of type `type_courrier` for a consultation
 * (`lot` 0: the whole consultation).
 */
mpe_statut mpe_courrier_generer_modele(const char *type_courrier,
                                       const uint8_t *consultation_json,
                                       size_t consultation_longueur,
                                       uint32_t lot,
                                       struct mpe_octets *modele_sortie);

/**
 * A new letter of type `type_courrier`, addressed to `entreprise_json` when given
 * (NULL/0: no recipient yet).
 */
mpe_statut mpe_courrier_nouveau(const char *type_courrier,
                                const uint8_t *consultation_json,
                                size_t consultation_longueur,
                                uint32_t lot,
                                const uint8_t *entreprise_json,
                                size_t entreprise_longueur,
                                struct mpe_octets *courrier_sortie);

/**
 * Parse a free text of addresses (`"a@b.fr; Nom <c@d.fr>"`) into a JSON list.
 */
mpe_statut mpe_courrier_analyser_destinataires(const char *texte_adresses,
                                               struct mpe_octets *adresses_sortie);

/**
 * The recipients drawn from the registers: `demande_json` is `{"contacts": [...],
 * "origines": ["retraits", ...]}`.
 */
mpe_statut mpe_courrier_extraire_destinataires(const uint8_t *demande_json,
                                               size_t demande_longueur,
                                               struct mpe_octets *destinataires_sortie);

/**
 * Prepare a whole sending (`DemandeEnvoi`): every message rendered, with its events.
 */
mpe_statut mpe_courrier_preparer(const uint8_t *demande_json,
                                 size_t demande_longueur,
                                 struct mpe_octets *envoi_sortie);

/**
 * Prepare the message number `index` of a sending only (for large sendings): the MIME
 * bytes go to `mime_sortie`, its description and event to `info_sortie`.
 */
mpe_statut mpe_courrier_preparer_message(const uint8_t *demande_json,
                                         size_t demande_longueur,
                                         size_t index,
                                         struct mpe_octets *mime_sortie,
                                         struct mpe_octets *info_sortie);

/**
 * The MIME bytes of the message number `index` of a prepared sending (`Envoi`).
 */
mpe_statut mpe_courrier_generer_message(const uint8_t *envoi_json,
                                        size_t envoi_longueur,
                                        size_t index,
                                        struct mpe_octets *mime_sortie);

/**
 * Apply events (a JSON array, or an `Envoi` with its `evenements`) to a letters' register
 * (NULL/0: a new one); `registre_sortie` receives the register.
 */
mpe_statut mpe_courrier_appliquer_evenements(const uint8_t *registre_json,
                                             size_t registre_longueur,
                                             const uint8_t *evenements_json,
                                             size_t evenements_longueur,
                                             struct mpe_octets *registre_sortie);

/**
 * Record the acknowledgment of the message whose token is `jeton`, at `date`.
 */
mpe_statut mpe_courrier_accuser_reception(const uint8_t *registre_json,
                                          size_t registre_longueur,
                                          const char *jeton,
                                          mpe_instant date,
                                          struct mpe_octets *registre_sortie,
                                          struct mpe_octets *evenement_sortie);

/**
 * Record a company's reply to the message `message_id`, at `date`
 * (`message_id_reponse`: the reply's own id, may be NULL).
 */
mpe_statut mpe_courrier_enregistrer_reponse(const uint8_t *registre_json,
                                            size_t registre_longueur,
                                            const char *message_id,
                                            mpe_instant date,
                                            const char *message_id_reponse,
                                            struct mpe_octets *registre_sortie,
                                            struct mpe_octets *evenement_sortie);

/**
 * A safe attachment name for `nom` (no path, no control character), as text.
 */
mpe_statut mpe_courrier_normaliser_nom_piece(const char *nom, struct mpe_octets *nom_sortie);

/**
 * Submit an electronic pli with its envelopes' bytes: `enveloppes[i]` (`longueurs[i]`
 * bytes) is the envelope `enveloppes[i]` of the `deposer` action, as the company sent it.
 * mpe computes sizes and SHA-256, checks that each envelope is a CMS envelope addressed
 * to exactly the consultation's keys (secours included) with an allowed cipher, and
 * writes the receipt from what it computed. Refusals, the state unchanged (nothing
 * written): `MPE_ENVELOPPE_NON_CHIFFREE`, `MPE_ENVELOPPE_NON_CMS`,
 * `MPE_DESTINATAIRES_INCORRECTS`, `MPE_CLE_SECOURS_ABSENTE`,
 * `MPE_CHIFFREMENT_NON_AUTORISE`, `MPE_DECLARATION_INCORRECTE`, and the rules of the
 * dépôt (`MPE_HORS_DELAI` …). `enveloppes` and `longueurs` hold `nombre` entries (NULL
 * only with 0).
 */
mpe_statut mpe_procedure_deposer_octets(const uint8_t *etat_json,
                                        size_t etat_longueur,
                                        const uint8_t *action_json,
                                        size_t action_longueur,
                                        const uint8_t *contexte_json,
                                        size_t contexte_longueur,
                                        const uint8_t *const *enveloppes,
                                        const size_t *longueurs,
                                        size_t nombre,
                                        struct mpe_octets *etat_sortie,
                                        struct mpe_octets *journal_sortie);

/**
 * `mpe_procedure_deposer_octets` with the envelopes as files: `chemins[i]` is the
 * envelope `enveloppes[i]` of the `deposer` action, read once as a stream (any size).
 */
mpe_statut mpe_procedure_deposer_fichiers(const uint8_t *etat_json,
                                          size_t etat_longueur,
                                          const uint8_t *action_json,
                                          size_t action_longueur,
                                          const uint8_t *contexte_json,
                                          size_t contexte_longueur,
                                          const char *const *chemins,
                                          size_t nombre,
                                          struct mpe_octets *etat_sortie,
                                          struct mpe_octets *journal_sortie);

/**
 * Open the electronic envelopes still closed of a consultation (its candidatures, then
 * the offers whose candidature is open and admitted), in the library: each envelope is
 * read through `rappels->lire`, checked against the size and SHA-256 of its dépôt,
 * decrypted with the key pair `cle` (PKCS#12 or PEM certificate + private key, password
 * `mot_de_passe` or NULL), its ZIP checked (paths, bomb) and extracted under `dossier`
 * (`pli-<n>/<enveloppe>/…`, a file appears only when complete), every signature inside
 * verified, and the opening recorded with the verified results. An envelope that fails
 * is recorded as a failed decryption and stays closed.
 *
 * After each envelope, `rappels->enregistrer` receives the state and the new journal
 * lines: a crash loses nothing, and a new call goes on where the journal stopped (an
 * envelope recorded as opened is never opened twice). A status other than `MPE_OK` from
 * it stops the opening: `MPE_OUVERTURE_INTERROMPUE`. `rappels->progression` receives
 * the steps as JSON: `{"etape": "descripteurs", "enveloppes": N}`, `{"etape":
 * "cle_privee"}`, `{"etape": "dechiffrement", "index", "total", "pli", "enveloppe",
 * "octets", "octets_par_seconde"}` and `{"etape": "termine", "ouvertes", "echecs"}`.
 *
 * `options_json` (NULL/0: defaults): `{"plis": [1, 3], "mode": "en_ligne" | "hors_ligne",
 * "fils": 0, "verification": {"ancres_pem": …, "date_verification": …}}`. On success
 * `etat_sortie` receives the final state, `journal_sortie` every journal line of the call
 * (JSON Lines) and `bilan_sortie` (may be NULL) `{"ouvertes": [[pli, {"enveloppe", "lot"}]],
 * "echecs": [[pli, {…}, {"code", "message"}]]}`. A refusal before any envelope is read
 * (phase, habilitation) leaves the state and the folder untouched.
 */
mpe_statut mpe_procedure_ouvrir_plis(const uint8_t *etat_json,
                                     size_t etat_longueur,
                                     const uint8_t *cle,
                                     size_t cle_longueur,
                                     const char *mot_de_passe,
                                     const char *dossier,
                                     const uint8_t *options_json,
                                     size_t options_longueur,
                                     const uint8_t *contexte_json,
                                     size_t contexte_longueur,
                                     const struct mpe_rappels_ouverture *rappels,
                                     struct mpe_octets *etat_sortie,
                                     struct mpe_octets *journal_sortie,
                                     struct mpe_octets *bilan_sortie);

/**
 * `mpe_procedure_ouvrir_plis` with the private key on a PKCS#11 token or smart card,
 * named by `reference_json` as for `mpe_cms_dechiffrer_jeton` (`{"module", "jeton", "cle"
 * | "id"}`), logged in with `pin` (NULL: no login). The key never leaves the token; the
 * decryption runs on the calling thread (a PKCS#11 session is not shared), extraction
 * and verification on the other cores. A wrong PIN gives `MPE_PIN_INCORRECT`, an unknown
 * token `MPE_JETON_ABSENT`, an unknown key `MPE_CLE_ABSENTE_DU_JETON`, before any envelope
 * is read.
 */
mpe_statut mpe_procedure_ouvrir_plis_jeton(const uint8_t *etat_json,
                                           size_t etat_longueur,
                                           const uint8_t *reference_json,
                                           size_t reference_longueur,
                                           const char *pin,
                                           const char *dossier,
                                           const uint8_t *options_json,
                                           size_t options_longueur,
                                           const uint8_t *contexte_json,
                                           size_t contexte_longueur,
                                           const struct mpe_rappels_ouverture *rappels,
                                           struct mpe_octets *etat_sortie,
                                           struct mpe_octets *journal_sortie,
                                           struct mpe_octets *bilan_sortie);

/**
 * Open the procedure of a consultation: `etat_sortie` receives the state,
 * `journal_sortie` the first journal lines (JSON Lines).
 */
mpe_statut mpe_procedure_nouvelle(const uint8_t *consultation_json,
                                  size_t consultation_longueur,
                                  const uint8_t *contexte_json,
                                  size_t contexte_longueur,
                                  struct mpe_octets *etat_sortie,
                                  struct mpe_octets *journal_sortie);

/**
 * Apply an action (`Action`) to a procedure state: the new state and the journal lines
 * it adds. On error the state is unchanged (nothing is written).
 */
mpe_statut mpe_procedure_appliquer(const uint8_t *etat_json,
                                   size_t etat_longueur,
                                   const uint8_t *action_json,
                                   size_t action_longueur,
                                   const uint8_t *contexte_json,
                                   size_t contexte_longueur,
                                   struct mpe_octets *etat_sortie,
                                   struct mpe_octets *journal_sortie);

/**
 * Create a follow-up procedure (`ParametresSuite`): the updated state and the new one,
 * with the journal lines of each.
 */
mpe_statut mpe_procedure_creer_suite(const uint8_t *etat_json,
                                     size_t etat_longueur,
                                     const uint8_t *parametres_json,
                                     size_t parametres_longueur,
                                     const uint8_t *contexte_json,
                                     size_t contexte_longueur,
                                     struct mpe_octets *etat_sortie,
                                     struct mpe_octets *suite_sortie,
                                     struct mpe_octets *journal_sortie,
                                     struct mpe_octets *journal_suite_sortie);

/**
 * The phase of a procedure at `maintenant`, as text (its `snake_case` name).
 */
mpe_statut mpe_procedure_calculer_phase(const uint8_t *etat_json,
                                        size_t etat_longueur,
                                        mpe_instant maintenant,
                                        struct mpe_octets *phase_sortie);

/**
 * The registers (retraits, questions, dépôts) of a procedure, as JSON.
 */
mpe_statut mpe_procedure_lister_registres(const uint8_t *etat_json,
                                          size_t etat_longueur,
                                          struct mpe_octets *registres_sortie);

/**
 * The companies to inform (`diffusion`: `retraits`, `questions`, `soumissionnaires` or
 * `tous`), as JSON.
 */
mpe_statut mpe_procedure_lister_destinataires(const uint8_t *etat_json,
                                              size_t etat_longueur,
                                              const char *diffusion,
                                              struct mpe_octets *destinataires_sortie);

/**
 * The recipients of a letter chosen by `filtre_json` (`FiltreDestinataires`), as JSON.
 */
mpe_statut mpe_procedure_lister_destinataires_courrier(const uint8_t *etat_json,
                                                       size_t etat_longueur,
                                                       const uint8_t *filtre_json,
                                                       size_t filtre_longueur,
                                                       struct mpe_octets *destinataires_sortie);

/**
 * The receipt of the electronic pli number `pli` drawn from a journal (JSON Lines).
 * Absent: `MPE_PLI_INCONNU`.
 */
mpe_statut mpe_journal_generer_accuse(const uint8_t *journal_jsonl,
                                      size_t journal_longueur,
                                      uint32_t pli,
                                      struct mpe_octets *accuse_sortie);

/**
 * The chain of related procedures (initial, follow-ups) of the consultation `id`, drawn
 * from `etats_json` (a JSON array of states).
 */
mpe_statut mpe_procedure_chainer(const uint8_t *etats_json,
                                 size_t etats_longueur,
                                 const char *id,
                                 struct mpe_octets *chaine_sortie);

/**
 * Verify a journal (JSON Lines): every line's hash chain, and its head against the state
 * `etat_json` when given (NULL/0: no state). `MPE_OK` or `MPE_JOURNAL_CORROMPU`. An empty
 * journal (NULL/0 included) is judged by the core like any other: corrupt, since a
 * procedure always has its opening line, unless the state's head says it is empty.
 */
mpe_statut mpe_journal_verifier(const uint8_t *journal_jsonl,
                                size_t journal_longueur,
                                const uint8_t *etat_json,
                                size_t etat_longueur);

/**
 * Write journal entries (a JSON array of `EntreeJournal`) as JSON Lines.
 */
mpe_statut mpe_journal_exporter(const uint8_t *entrees_json,
                                size_t entrees_longueur,
                                struct mpe_octets *journal_sortie);

/**
 * The data of the DAJ forms (OUV3 … NOT18) filled from the procedure's state `etat_json`
 * and its organisation `organisation_json`: `donnees_sortie` receives the
 * `DonneesProcedure` JSON that `mpe_formulaire_generer` merges. `parametres_json`
 * (NULL/0: defaults) is what the state does not hold: `{"lot", "pli", "date", "lieu",
 * "tribunal", "criteres", "commission", "contrat", …}` (schemas/parametres_documents).
 * An unknown lot gives `MPE_LOT_INCONNU`, an unknown pli `MPE_PLI_INCONNU`.
 */
mpe_statut mpe_procedure_generer_donnees_documents(const uint8_t *etat_json,
                                                   size_t etat_longueur,
                                                   const uint8_t *organisation_json,
                                                   size_t organisation_longueur,
                                                   const uint8_t *parametres_json,
                                                   size_t parametres_longueur,
                                                   struct mpe_octets *donnees_sortie);

/**
 * The letter of modification of version `version` of the DCE (made by the action
 * `modifier_consultation_publiee`), to every company of the retraits register, as
 * `Courrier` JSON in `courrier_sortie`. The pièces added or replacing are attached: their
 * bytes come as `nombre` buffers `pieces[i]` (`longueurs[i]` bytes) named `noms[i]`, each
 * checked against the hash recorded in the version (`MPE_PIECE_NON_FOURNIE` when one is
 * missing, `MPE_PIECE_ALTEREE` when its bytes differ).
 */
mpe_statut mpe_procedure_generer_courrier_modification(const uint8_t *etat_json,
                                                       size_t etat_longueur,
                                                       uint32_t version,
                                                       const char *const *noms,
                                                       const uint8_t *const *pieces,
                                                       const size_t *longueurs,
                                                       size_t nombre,
                                                       struct mpe_octets *courrier_sortie);

/**
 * Write the contract notice of a consultation: subtype `"16"` (pouvoir adjudicateur) or
 * `"17"` (entité adjudicatrice), as `sous_type` says and the organisation's type must match.
 *
 * - `consultation_json` (`schemas/consultation.schema.json`), `organisation_json`,
 *   `donnees_json` (`schemas/donnees_avis.schema.json`: addresses, review body, criteria);
 * - `maintenant`: the time the notice is sent;
 * - `avis_sortie`: `{"sous_type", "identifiant", "identifiant_procedure", "xml",
 *   "avertissements"}` (`schemas/avis.schema.json`).
 *
 * Errors: `MPE_AVIS_NON_PRIS_EN_CHARGE` (subtype unknown, of a result notice, or of the
 * other directive), `MPE_AVIS_INCOMPLET` (the pre-check found errors: call
 * `mpe_avis_verifier_marche` for the list), `MPE_JSON_INVALIDE`, `MPE_ARGUMENT_INVALIDE`.
 */
mpe_statut mpe_avis_generer_marche(const char *sous_type,
                                   const uint8_t *consultation_json,
                                   size_t consultation_longueur,
                                   const uint8_t *organisation_json,
                                   size_t organisation_longueur,
                                   const uint8_t *donnees_json,
                                   size_t donnees_longueur,
                                   mpe_instant maintenant,
                                   struct mpe_octets *avis_sortie);

/**
 * Pre-check the contract notice of a consultation (same inputs as
 * `mpe_avis_generer_marche`): `constats_sortie` receives every finding
 * (`schemas/constats_avis.schema.json`: `code`, `gravite`, `bt` like `"BT-50-Lot"`,
 * `champ` the JSON path to fill, `message`). MPE_OK even with findings.
 */
mpe_statut mpe_avis_verifier_marche(const char *sous_type,
                                    const uint8_t *consultation_json,
                                    size_t consultation_longueur,
                                    const uint8_t *organisation_json,
                                    size_t organisation_longueur,
                                    const uint8_t *donnees_json,
                                    size_t donnees_longueur,
                                    mpe_instant maintenant,
                                    struct mpe_octets *constats_sortie);

/**
 * Write the result notice of a procedure: subtype `"29"` or `"30"`.
 *
 * - `procedure_json`: the procedure state (`schemas/procedure.schema.json`), its decisions
 *   and plis;
 * - `contrats_json`: the contract of each lot awarded, `[{"lot": 1, "contrat": {...}}]`
 *   (`schemas/contrats_lots.schema.json`), or NULL/0 for none;
 * - the other parameters as `mpe_avis_generer_marche` (`donnees` adds the winners'
 *   sizes).
 *
 * Errors: as `mpe_avis_generer_marche`.
 */
mpe_statut mpe_avis_generer_attribution(const char *sous_type,
                                        const uint8_t *procedure_json,
                                        size_t procedure_longueur,
                                        const uint8_t *organisation_json,
                                        size_t organisation_longueur,
                                        const uint8_t *donnees_json,
                                        size_t donnees_longueur,
                                        const uint8_t *contrats_json,
                                        size_t contrats_longueur,
                                        mpe_instant maintenant,
                                        struct mpe_octets *avis_sortie);

/**
 * Pre-check the result notice of a procedure (same inputs as
 * `mpe_avis_generer_attribution`): the findings as `mpe_avis_verifier_marche`.
 */
mpe_statut mpe_avis_verifier_attribution(const char *sous_type,
                                         const uint8_t *procedure_json,
                                         size_t procedure_longueur,
                                         const uint8_t *organisation_json,
                                         size_t organisation_longueur,
                                         const uint8_t *donnees_json,
                                         size_t donnees_longueur,
                                         const uint8_t *contrats_json,
                                         size_t contrats_longueur,
                                         mpe_instant maintenant,
                                         struct mpe_octets *constats_sortie);

/**
 * Write the change notice (avis rectificatif) of a contract notice already sent, for the
 * modifications of the published consultation since (the DCE versions of the procedure).
 *
 * - `procedure_json`: the procedure state, with its consultation as it is now;
 * - `avis_initial`/`avis_initial_longueur`: the contract notice as sent (UTF-8 XML);
 * - `avis_sortie`: the change notice, as `mpe_avis_generer_marche` (same subtype).
 *
 * Errors: `MPE_AVIS_RECTIFIE_ETRANGER` (not the contract notice of this procedure),
 * `MPE_RECTIFICATIF_SANS_MODIFICATION`, `MPE_AVIS_INCOMPLET`, `MPE_AVIS_ILLISIBLE`,
 * `MPE_AVIS_NON_EFORMS`, `MPE_JSON_INVALIDE`, `MPE_ARGUMENT_INVALIDE`.
 */
mpe_statut mpe_avis_generer_rectificatif(const uint8_t *procedure_json,
                                         size_t procedure_longueur,
                                         const uint8_t *organisation_json,
                                         size_t organisation_longueur,
                                         const uint8_t *donnees_json,
                                         size_t donnees_longueur,
                                         const uint8_t *avis_initial,
                                         size_t avis_initial_longueur,
                                         mpe_instant maintenant,
                                         struct mpe_octets *avis_sortie);

/**
 * Read any eForms notice (UTF-8 XML): `resume_sortie` receives its summary
 * (`schemas/resume_avis.schema.json`: subtype, identifiers, buyers, lots, deadlines).
 *
 * Errors: `MPE_AVIS_ILLISIBLE`, `MPE_AVIS_NON_EFORMS`, `MPE_ARGUMENT_INVALIDE` (not UTF-8).
 */
mpe_statut mpe_avis_lire(const uint8_t *avis,
                         size_t avis_longueur,
                         struct mpe_octets *resume_sortie);

/**
 * Write the buyer's DUME (ESPD request) of a consultation in ESPD-EDM `version`
 * (`"2.1.1"` or `"4.1.0"`): `dume_sortie` receives `{"version", "identifiant",
 * "criteres", "xml"}` (`schemas/dume_demande.schema.json`).
 *
 * Errors: `MPE_DUME_VERSION_NON_PRISE_EN_CHARGE`, `MPE_JSON_INVALIDE`,
 * `MPE_ARGUMENT_INVALIDE`.
 */
mpe_statut mpe_dume_generer_demande(const uint8_t *consultation_json,
                                    size_t consultation_longueur,
                                    const uint8_t *organisation_json,
                                    size_t organisation_longueur,
                                    const char *version,
                                    mpe_instant maintenant,
                                    struct mpe_octets *dume_sortie);

/**
 * Read any DUME, request or response, ESPD-EDM 1.0.2 to 4.1.0: `resume_sortie` receives
 * its summary (`schemas/resume_dume.schema.json`).
 *
 * Errors: `MPE_DUME_ILLISIBLE`, `MPE_DUME_NON_ESPD`.
 */
mpe_statut mpe_dume_lire(const uint8_t *dume,
                         size_t dume_longueur,
                         struct mpe_octets *resume_sortie);

/**
 * Compare a company's DUME response with the request it answers and with the company of
 * the pli (`entreprise_json`: `{"siret": "..."}` or `{"etranger": {"pays", "numero"}}`):
 * `ecarts_sortie` receives the differences (`schemas/ecarts_dume.schema.json`, `[]` when
 * everything matches).
 *
 * Errors: those of `mpe_dume_lire` for either document, `MPE_SIRET_INVALIDE` and
 * `MPE_ARGUMENT_INVALIDE` for the company, `MPE_JSON_INVALIDE`.
 */
mpe_statut mpe_dume_comparer(const uint8_t *reponse,
                             size_t reponse_longueur,
                             const uint8_t *demande,
                             size_t demande_longueur,
                             const uint8_t *entreprise_json,
                             size_t entreprise_longueur,
                             struct mpe_octets *ecarts_sortie);

/**
 * Read the Schematron rules of an unpacked eForms SDK folder `dossier_sdk` (the one that
 * holds `schematrons/static/complete-validation.sch`, e.g. `eforms-sdk/1.15.1`) into a
 * validator handle. `version` names the SDK version in the reports (NULL: the folder's
 * name).
 *
 * Errors: `MPE_ES` (a rules file unreadable), `MPE_SCHEMATRON_ILLISIBLE`,
 * `MPE_SCHEMATRON_NON_PRIS_EN_CHARGE`, `MPE_ARGUMENT_INVALIDE`, `MPE_INTERNE` (no thread for it).
 */
mpe_statut mpe_avis_validateur_ouvrir(const char *dossier_sdk,
                                      const char *version,
                                      struct mpe_validateur_avis **validateur_sortie);

/**
 * Validate an eForms notice (`avis`, UTF-8 XML) by the rules of its subtype (phase
 * `eforms-<subtype>`), or of `phase` when not NULL. `maintenant` is the date the rules
 * compare deadlines to. `rapport_sortie` receives the report
 * (`schemas/rapport_schematron.schema.json`: `valide`, `echecs` with the rule `id`, `role`,
 * `emplacement`, `indetermines`…). MPE_OK even when the notice is invalid: read `valide`.
 * The SDK's XSD is not checked by mpe.
 *
 * Errors: `MPE_AVIS_ILLISIBLE` (not well-formed, a DTD), `MPE_AVIS_NON_EFORMS`,
 * `MPE_PHASE_INCONNUE` (no subtype, or one the rules have no phase for),
 * `MPE_SCHEMATRON_ILLISIBLE`, `MPE_ARGUMENT_INVALIDE` (not UTF-8, a NULL handle).
 */
mpe_statut mpe_avis_valider(const struct mpe_validateur_avis *validateur,
                            const uint8_t *avis,
                            size_t avis_longueur,
                            const char *phase,
                            mpe_instant maintenant,
                            struct mpe_octets *rapport_sortie);

/**
 * Release a validator handle. NULL is fine; releasing the same handle twice, or during a
 * call, is undefined behaviour, as with `free`.
 */
void mpe_avis_validateur_liberer(struct mpe_validateur_avis *validateur);

/**
 * Sign `donnees` in memory with a PEM private key (PKCS#8 or PKCS#1 RSA) and PEM
 * certificates (signer first, then its chain). `format` is `"cades"`, `"xades"` or
 * `"pades"` (then `donnees` is the PDF); `options_json` the signing options (its `date`
 * is required: mpe reads no clock). `signe_sortie` receives the `.p7s`, the XML or the
 * signed PDF.
 */
mpe_statut mpe_signature_signer(const char *format,
                                const uint8_t *cle_pem,
                                size_t cle_longueur,
                                const uint8_t *certificats_pem,
                                size_t certificats_longueur,
                                const uint8_t *donnees,
                                size_t donnees_longueur,
                                const uint8_t *options_json,
                                size_t options_longueur,
                                struct mpe_octets *signe_sortie);

/**
 * Sign the file `fichier` (streamed for CAdES/XAdES) into `sortie` (whole or not at all).
 * The XAdES reference uses the file's name unless `nom_fichier` is in the options.
 */
mpe_statut mpe_signature_signer_fichier(const char *format,
                                        const uint8_t *cle_pem,
                                        size_t cle_longueur,
                                        const uint8_t *certificats_pem,
                                        size_t certificats_longueur,
                                        const char *fichier,
                                        const char *sortie,
                                        const uint8_t *options_json,
                                        size_t options_longueur);

/**
 * Verify a signature of any format (detected). `donnees` is the signed file of a
 * detached CAdES/XAdES signature (NULL/0 for a PDF or an attached signature).
 * `options_json` (NULL/0 allowed) gives trust anchors, CRLs and the validation date.
 * `rapport_sortie` receives the JSON report.
 */
mpe_statut mpe_signature_verifier(const uint8_t *signature_octets,
                                  size_t signature_longueur,
                                  const uint8_t *donnees,
                                  size_t donnees_longueur,
                                  const uint8_t *options_json,
                                  size_t options_longueur,
                                  struct mpe_octets *rapport_sortie);

/**
 * Verify the signature file `fichier_signature`; `fichier_signe` (NULL for a PDF) is the
 * detached signed file, hashed in streaming. `rapport_sortie` receives the JSON report.
 */
mpe_statut mpe_signature_verifier_fichier(const char *fichier_signature,
                                          const char *fichier_signe,
                                          const uint8_t *options_json,
                                          size_t options_longueur,
                                          struct mpe_octets *rapport_sortie);

/**
 * First step of an external signature: only the PEM certificates are needed (the key
 * stays in the smartcard/HSM). `preparation_sortie` receives the prepared signature as
 * JSON; its `empreinte` (base64) is the digest to sign with `algorithme_empreinte` and
 * `schema`. Keep the JSON and pass it to `mpe_signature_assembler`.
 */
mpe_statut mpe_signature_preparer(const char *format,
                                  const uint8_t *certificats_pem,
                                  size_t certificats_longueur,
                                  const uint8_t *donnees,
                                  size_t donnees_longueur,
                                  const uint8_t *options_json,
                                  size_t options_longueur,
                                  struct mpe_octets *preparation_sortie);

/**
 * Second step: assemble with the signature value the device returned (raw RSA signature
 * bytes). The value is checked against the certificate first (`MPE_SIGNATURE_INVALIDE`
 * otherwise, and no output). `signe_sortie` receives the signed output.
 */
mpe_statut mpe_signature_assembler(const uint8_t *preparation_json,
                                   size_t preparation_longueur,
                                   const uint8_t *valeur,
                                   size_t valeur_longueur,
                                   struct mpe_octets *signe_sortie);

/**
 * The RFC 3161 request (DER, SHA-256 imprint) for a signature timestamp over a signed
 * output (p7s, XML or signed PDF). The host sends it to its TSA (`nonce` 0: none).
 */
mpe_statut mpe_horodatage_generer_requete(const uint8_t *signe,
                                          size_t signe_longueur,
                                          uint64_t nonce,
                                          struct mpe_octets *requete_sortie);

/**
 * Embed the TSA's token (or whole TimeStampResp): B-B becomes B-T. `signe_sortie`
 * receives the new signed output.
 */
mpe_statut mpe_horodatage_ajouter(const uint8_t *signe,
                                  size_t signe_longueur,
                                  const uint8_t *jeton,
                                  size_t jeton_longueur,
                                  struct mpe_octets *signe_sortie);

/**
 * Long-term signatures (B-LT), first step: the validation data of a signed PDF or CAdES as JSON
 * (`certificats`, `reponses_ocsp`, `crls`: DER base64) — every certificate of its
 * signatures and timestamps, chains completed with the `options` anchors, and the OCSP
 * responses and CRLs of `options` (`reponses_ocsp`, `crls_pem`) that concern them. The
 * host may add what it fetched itself before `mpe_signature_ajouter_donnees_validation`.
 */
mpe_statut mpe_signature_collecter_donnees_validation(const uint8_t *signe,
                                                      size_t signe_longueur,
                                                      const uint8_t *options_json,
                                                      size_t options_longueur,
                                                      struct mpe_octets *donnees_sortie);

/**
 * B-LT: add the validation data (JSON as `mpe_signature_collecter_donnees_validation`
 * gives it) to a signed PDF of any producer, in its `/DSS`, by incremental update; to a
 * CAdES, in its SignedData (`certificates`, `crls`), the SignerInfos untouched.
 */
mpe_statut mpe_signature_ajouter_donnees_validation(const uint8_t *signe,
                                                    size_t signe_longueur,
                                                    const uint8_t *donnees_json,
                                                    size_t donnees_longueur,
                                                    struct mpe_octets *signe_sortie);

/**
 * B-LTA, first step: a document timestamp prepared over a signed PDF, or an archive
 * timestamp over an enveloping CAdES or an enveloped or enveloping XAdES (`nonce` 0:
 * none; a detached signature: `mpe_horodatage_preparer_document_detache`).
 * `preparation_sortie` receives JSON whose `requete` (base64) is the RFC 3161 request the
 * host sends to its TSA; keep it for `mpe_horodatage_finir_document`.
 */
mpe_statut mpe_horodatage_preparer_document(const uint8_t *signe,
                                            size_t signe_longueur,
                                            uint64_t nonce,
                                            struct mpe_octets *preparation_sortie);

/**
 * B-LTA, first step for a detached CAdES or XAdES: the archive timestamp covers the signed
 * file `donnees` too (EN 319 122-1 5.5.3, EN 319 132-1 5.5.2). Otherwise as
 * `mpe_horodatage_preparer_document` (PAdES, enveloping CAdES, enveloped XAdES).
 */
mpe_statut mpe_horodatage_preparer_document_detache(const uint8_t *signe,
                                                    size_t signe_longueur,
                                                    const uint8_t *donnees,
                                                    size_t donnees_longueur,
                                                    uint64_t nonce,
                                                    struct mpe_octets *preparation_sortie);

/**
 * B-LTA, second step: embed the TSA's token (or TimeStampResp). A token over other bytes
 * is refused (`MPE_HORODATAGE_DOCUMENT_INCORRECT`, no output).
 */
mpe_statut mpe_horodatage_finir_document(const uint8_t *preparation_json,
                                         size_t preparation_longueur,
                                         const uint8_t *jeton,
                                         size_t jeton_longueur,
                                         struct mpe_octets *signe_sortie);

/**
 * The output name of the reference platform for the `n`-th signature of `fichier` made
 * at `date`: `<fichier> - AAAAMMJJHHMMSS - Signature N.xml` (XAdES), `<nom> - ... .pdf`
 * (PAdES), `.p7s` (CAdES), the time in Europe/Paris. `nom_sortie` receives the text.
 */
mpe_statut mpe_signature_nommer_sortie(const char *fichier,
                                       const char *format,
                                       mpe_instant date,
                                       uint32_t n,
                                       struct mpe_octets *nom_sortie);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* MPE_H */
