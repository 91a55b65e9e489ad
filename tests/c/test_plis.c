/* C test of the dépôt on the envelopes' bytes and of the opening through the host's
 * callbacks. The envelopes are made by `openssl cms -encrypt` (fabriquer_plis.py); each
 * refusal (plaintext, wrong key, missing secours key, not CMS, wrong hash) has its code and
 * writes nothing; the opening reads the envelopes through `lire`, records through
 * `enregistrer`, reports the four steps, and an opening stopped by the host and started
 * again ends with the same journal as one in a row, nothing opened twice. Run from tests/c/. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpe_test.h"

static int echecs = 0;
#define VERIFIE(cond, ...)                                                              \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      fprintf(stderr, "ÉCHEC %s:%d : ", __FILE__, __LINE__);                            \
      fprintf(stderr, __VA_ARGS__);                                                     \
      fprintf(stderr, " [%s]\n", mpe_derniere_erreur() ? mpe_derniere_erreur() : "");   \
      echecs++;                                                                         \
    }                                                                                   \
  } while (0)

typedef struct {
  char *donnees;
  size_t longueur;
} texte;

static void ajouter(texte *t, const uint8_t *d, size_t n) {
  t->donnees = realloc(t->donnees, t->longueur + n + 1);
  if (!t->donnees) abort();
  if (n) memcpy(t->donnees + t->longueur, d, n);
  t->longueur += n;
  t->donnees[t->longueur] = 0;
}

static void vider(texte *t) {
  free(t->donnees);
  t->donnees = NULL;
  t->longueur = 0;
}

static void remplacer(texte *t, const uint8_t *d, size_t n) {
  vider(t);
  ajouter(t, d, n);
}

static char DOSSIER[256];

static char *lire_fichier(const char *nom, size_t *len) {
  char chemin[512];
  snprintf(chemin, sizeof chemin, "%s/%s", DOSSIER, nom);
  FILE *f = fopen(chemin, "rb");
  if (!f) {
    fprintf(stderr, "introuvable : %s\n", chemin);
    abort();
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *d = malloc((size_t)n + 1);
  if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) abort();
  d[n] = 0;
  fclose(f);
  if (len) *len = (size_t)n;
  return d;
}

#define U8(s) (const uint8_t *)(s), strlen(s)

static size_t compter(const char *texte_, const char *motif) {
  size_t n = 0;
  for (const char *p = texte_; (p = strstr(p, motif)); p += strlen(motif)) n++;
  return n;
}

/* ---- The host's storage and journal. */

typedef struct {
  texte etat;    /* the state as last stored */
  texte journal; /* every line stored */
  int enregistrements;
  int arret_apres; /* refuse the recording after this many (-1: never) */
  int lectures_refusees;
  int etapes[4]; /* descripteurs, cle_privee, dechiffrement, termine */
  int dernier_index;
} hote;

static mpe_statut lire(void *utilisateur, uint32_t pli, const char *enveloppe, uint64_t position,
                       uint8_t *tampon, size_t capacite, size_t *lu_sortie) {
  (void)utilisateur;
  char chemin[512];
  snprintf(chemin, sizeof chemin, "%s/pli-%u/%s.p7m", DOSSIER, pli, enveloppe);
  FILE *f = fopen(chemin, "rb");
  if (!f) return 103;
  if (fseek(f, (long)position, SEEK_SET) != 0) {
    fclose(f);
    return 103;
  }
  *lu_sortie = fread(tampon, 1, capacite, f);
  fclose(f);
  return MPE_OK;
}

static mpe_statut enregistrer(void *utilisateur, const uint8_t *etat_json, size_t etat_longueur,
                              const uint8_t *journal_jsonl, size_t journal_longueur) {
  hote *h = utilisateur;
  if (h->arret_apres >= 0 && h->enregistrements >= h->arret_apres) return 1;
  h->enregistrements++;
  remplacer(&h->etat, etat_json, etat_longueur);
  ajouter(&h->journal, journal_jsonl, journal_longueur);
  return MPE_OK;
}

static void progression(void *utilisateur, const char *etape_json) {
  hote *h = utilisateur;
  const char *noms[4] = {"\"descripteurs\"", "\"cle_privee\"", "\"dechiffrement\"", "\"termine\""};
  for (int i = 0; i < 4; i++)
    if (strstr(etape_json, noms[i])) h->etapes[i]++;
  if (strstr(etape_json, "\"dechiffrement\"")) {
    VERIFIE(strstr(etape_json, "\"octets\":") && strstr(etape_json, "\"octets_par_seconde\":"),
            "étape sans octets : %s", etape_json);
    const char *p = strstr(etape_json, "\"index\":");
    int index = p ? atoi(p + 8) : -1;
    VERIFIE(index == h->dernier_index + 1, "index %d après %d", index, h->dernier_index);
    h->dernier_index = index;
  }
}

/* ---- The procedure up to the dépôts. */

static texte journal_depots = {0};

static void appliquer(texte *etat, const char *action_fichier, const char *ctx_fichier) {
  char *a = lire_fichier(action_fichier, NULL), *c = lire_fichier(ctx_fichier, NULL);
  struct mpe_octets e = {0}, j = {0};
  mpe_statut st = mpe_procedure_appliquer((const uint8_t *)etat->donnees, etat->longueur, U8(a), U8(c), &e, &j);
  VERIFIE(st == MPE_OK, "%s : %s", action_fichier, mpe_statut_nom(st));
  remplacer(etat, e.donnees, e.longueur);
  ajouter(&journal_depots, j.donnees, j.longueur);
  mpe_octets_liberer(&e);
  mpe_octets_liberer(&j);
  free(a), free(c);
}

/* A dépôt of pli `i`'s action with the envelopes in `fichiers` (names under DOSSIER), as
 * buffers; returns the status and updates `etat` on success. `sha_faux`: a wrong declared
 * hash on the first envelope. */
static mpe_statut deposer(texte *etat, int i, const char *const *fichiers, size_t n, int sha_faux) {
  char nom[64], ctxn[64];
  snprintf(nom, sizeof nom, "depot-%d.json", i);
  snprintf(ctxn, sizeof ctxn, "ctx_depot-%d.json", i);
  char *a = lire_fichier(nom, NULL), *c = lire_fichier(ctxn, NULL);
  if (sha_faux) {
    /* Declare a hash of the envelope: a wrong one. */
    char *p = strstr(a, "\"chiffree\": true");
    if (!p) abort();
    const char *ajout = "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\",";
    char *b = malloc(strlen(a) + strlen(ajout) + 1);
    size_t avant = (size_t)(p - a);
    memcpy(b, a, avant);
    strcpy(b + avant, ajout);
    strcat(b, p);
    free(a);
    a = b;
  }
  const uint8_t *ptrs[8];
  size_t longueurs[8];
  char *tampons[8];
  for (size_t k = 0; k < n; k++) {
    tampons[k] = lire_fichier(fichiers[k], &longueurs[k]);
    ptrs[k] = (const uint8_t *)tampons[k];
  }
  struct mpe_octets e = {0}, j = {0};
  mpe_statut st = mpe_procedure_deposer_octets((const uint8_t *)etat->donnees, etat->longueur, U8(a), U8(c), ptrs,
                                               longueurs, n, &e, &j);
  if (st == MPE_OK) {
    remplacer(etat, e.donnees, e.longueur);
    ajouter(&journal_depots, j.donnees, j.longueur);
  } else {
    VERIFIE(e.donnees == NULL && j.donnees == NULL, "sortie écrite malgré le refus");
  }
  mpe_octets_liberer(&e);
  mpe_octets_liberer(&j);
  for (size_t k = 0; k < n; k++) free(tampons[k]);
  free(a), free(c);
  return st;
}

static const char *mot_de_passe = NULL;

static mpe_statut ouvrir(const texte *etat, hote *h, const char *cle, const char *dossier, texte *etat_final,
                         texte *journal, texte *bilan) {
  size_t cle_longueur;
  char *c = lire_fichier(cle, &cle_longueur);
  char *ctx = lire_fichier("ctx_ouverture.json", NULL);
  mpe_rappels_ouverture r = {h, lire, enregistrer, progression};
  struct mpe_octets e = {0}, j = {0}, b = {0};
  mpe_statut st = mpe_procedure_ouvrir_plis((const uint8_t *)etat->donnees, etat->longueur, (const uint8_t *)c,
                                            cle_longueur, mot_de_passe, dossier, U8("{\"fils\": 2}"), U8(ctx), &r, &e, &j, &b);
  if (st == MPE_OK) {
    remplacer(etat_final, e.donnees, e.longueur);
    remplacer(journal, j.donnees, j.longueur);
    remplacer(bilan, b.donnees, b.longueur);
  } else {
    VERIFIE(e.donnees == NULL && j.donnees == NULL && b.donnees == NULL, "sortie écrite malgré l'échec");
  }
  mpe_octets_liberer(&e);
  mpe_octets_liberer(&j);
  mpe_octets_liberer(&b);
  free(c), free(ctx);
  return st;
}

int main(void) {
  snprintf(DOSSIER, sizeof DOSSIER, "/tmp/mpe-test-plis-%d", (int)getpid());
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "rm -rf %s && python3 fabriquer_plis.py %s 3", DOSSIER, DOSSIER);
  if (system(cmd) != 0) {
    fprintf(stderr, "fabriquer_plis.py a échoué\n");
    return 1;
  }
  /* The key of the opening: alice's PEM certificate and key together. */
  snprintf(cmd, sizeof cmd, "cat ../vectors/crypto/alice.cert.pem ../vectors/crypto/alice.key.pem > %s/alice.pem",
           DOSSIER);
  if (system(cmd) != 0) return 1;

  texte etat = {0};
  {
    char *cons = lire_fichier("consultation.json", NULL), *ctx = lire_fichier("ctx_creation.json", NULL);
    struct mpe_octets e = {0}, j = {0};
    mpe_statut st = mpe_procedure_nouvelle(U8(cons), U8(ctx), &e, &j);
    VERIFIE(st == MPE_OK, "création : %s", mpe_statut_nom(st));
    remplacer(&etat, e.donnees, e.longueur);
    ajouter(&journal_depots, j.donnees, j.longueur);
    mpe_octets_liberer(&e);
    mpe_octets_liberer(&j);
    free(cons), free(ctx);
  }
  appliquer(&etat, "valider.json", "ctx_validation.json");
  VERIFIE(strstr(etat.donnees, "\"secours\"") != NULL, "clés de la consultation dans l'état");

  /* Refusals: each its code, nothing written, the state unchanged. */
  char *avant = strdup(etat.donnees);
  struct {
    const char *candidature;
    int sha_faux;
    const char *attendu;
  } refus[] = {
      {"clair.zip", 0, "ENVELOPPE_NON_CHIFFREE"},
      {"autre-cle.p7m", 0, "DESTINATAIRES_INCORRECTS"},
      {"seule-alice.p7m", 0, "CLE_SECOURS_ABSENTE"},
      {"non-cms.der", 0, "ENVELOPPE_NON_CMS"},
      {"pli-1/candidature.p7m", 1, "DECLARATION_INCORRECTE"},
  };
  for (size_t k = 0; k < sizeof refus / sizeof refus[0]; k++) {
    const char *f[3] = {refus[k].candidature, "pli-1/offre-lot-1.p7m", "pli-1/offre-lot-2.p7m"};
    mpe_statut st = deposer(&etat, 1, f, 3, refus[k].sha_faux);
    VERIFIE(st != MPE_OK && strcmp(mpe_statut_nom(st), refus[k].attendu) == 0, "%s : attendu %s, obtenu %s",
            refus[k].candidature, refus[k].attendu, mpe_statut_nom(st));
    VERIFIE(strcmp(etat.donnees, avant) == 0, "état changé par un refus");
  }
  free(avant);
  /* Refused through a path too. */
  {
    char *a = lire_fichier("depot-1.json", NULL), *c = lire_fichier("ctx_depot-1.json", NULL);
    char p1[512], p2[512], p3[512];
    snprintf(p1, sizeof p1, "%s/clair.zip", DOSSIER);
    snprintf(p2, sizeof p2, "%s/pli-1/offre-lot-1.p7m", DOSSIER);
    snprintf(p3, sizeof p3, "%s/pli-1/offre-lot-2.p7m", DOSSIER);
    const char *chemins[3] = {p1, p2, p3};
    struct mpe_octets e = {0}, j = {0};
    mpe_statut st = mpe_procedure_deposer_fichiers((const uint8_t *)etat.donnees, etat.longueur, U8(a), U8(c),
                                                   chemins, 3, &e, &j);
    VERIFIE(st == MPE_ENVELOPPE_NON_CHIFFREE, "chemin en clair : %s", mpe_statut_nom(st));
    VERIFIE(e.donnees == NULL, "sortie écrite");
    /* Pli 1 through paths. */
    snprintf(p1, sizeof p1, "%s/pli-1/candidature.p7m", DOSSIER);
    st = mpe_procedure_deposer_fichiers((const uint8_t *)etat.donnees, etat.longueur, U8(a), U8(c), chemins, 3, &e,
                                        &j);
    VERIFIE(st == MPE_OK, "dépôt par chemins : %s", mpe_statut_nom(st));
    if (st == MPE_OK) {
      remplacer(&etat, e.donnees, e.longueur);
      ajouter(&journal_depots, j.donnees, j.longueur);
      VERIFIE(strstr((const char *)j.donnees, "AES-256-CBC") != NULL, "accusé : chiffrement calculé");
    }
    mpe_octets_liberer(&e);
    mpe_octets_liberer(&j);
    /* Bad arguments: NULL array with a count. */
    st = mpe_procedure_deposer_fichiers((const uint8_t *)etat.donnees, etat.longueur, U8(a), U8(c), NULL, 3, &e,
                                        &j);
    VERIFIE(st == MPE_ARGUMENT_INVALIDE, "tableau NULL : %s", mpe_statut_nom(st));
    free(a), free(c);
  }
  /* Plis 2 and 3 as buffers. */
  for (int i = 2; i <= 3; i++) {
    char f1[64], f2[64], f3[64];
    snprintf(f1, sizeof f1, "pli-%d/candidature.p7m", i);
    snprintf(f2, sizeof f2, "pli-%d/offre-lot-1.p7m", i);
    snprintf(f3, sizeof f3, "pli-%d/offre-lot-2.p7m", i);
    const char *f[3] = {f1, f2, f3};
    mpe_statut st = deposer(&etat, i, f, 3, 0);
    VERIFIE(st == MPE_OK, "dépôt du pli %d : %s", i, mpe_statut_nom(st));
  }

  /* The opening in a row. */
  hote h1 = {.arret_apres = -1};
  texte final1 = {0}, journal1 = {0}, bilan1 = {0};
  char sortie1[300], sortie2[300];
  snprintf(sortie1, sizeof sortie1, "%s/ouverture-1", DOSSIER);
  snprintf(sortie2, sizeof sortie2, "%s/ouverture-2", DOSSIER);
  mpe_statut st = ouvrir(&etat, &h1, "alice.pem", sortie1, &final1, &journal1, &bilan1);
  VERIFIE(st == MPE_OK, "ouverture : %s", mpe_statut_nom(st));
  if (st == MPE_OK) {
    VERIFIE(compter(journal1.donnees, "\"enveloppe_ouverte\"") == 9, "9 enveloppes ouvertes : %zu",
            compter(journal1.donnees, "\"enveloppe_ouverte\""));
    VERIFIE(strcmp(journal1.donnees, h1.journal.donnees) == 0, "journal rendu = journal enregistré");
    VERIFIE(strcmp(final1.donnees, h1.etat.donnees) == 0, "état rendu = état enregistré");
    VERIFIE(h1.enregistrements == 9, "9 enregistrements : %d", h1.enregistrements);
    VERIFIE(h1.etapes[0] == 1 && h1.etapes[1] == 1 && h1.etapes[2] == 9 && h1.etapes[3] == 1,
            "étapes %d %d %d %d", h1.etapes[0], h1.etapes[1], h1.etapes[2], h1.etapes[3]);
    VERIFIE(strstr(bilan1.donnees, "\"echecs\":[]") != NULL, "bilan : %s", bilan1.donnees);
    /* The extracted file is the one in the ZIP. */
    char *x = lire_fichier("ouverture-1/pli-2/offre-lot-1/DPGF_lot1_Façades.xlsx", NULL);
    VERIFIE(strcmp(x, "contenu de DPGF_lot1_Façades.xlsx du pli 2\n") == 0, "fichier extrait : %s", x);
    free(x);
    /* The whole journal checks out against the final state. */
    texte tout = {0};
    ajouter(&tout, (const uint8_t *)journal_depots.donnees, journal_depots.longueur);
    ajouter(&tout, (const uint8_t *)journal1.donnees, journal1.longueur);
    st = mpe_journal_verifier((const uint8_t *)tout.donnees, tout.longueur, (const uint8_t *)final1.donnees,
                              final1.longueur);
    VERIFIE(st == MPE_OK, "journal : %s", mpe_statut_nom(st));
    vider(&tout);
  }

  /* Stopped by the host after 4 envelopes, then started again from the stored state. */
  hote h2 = {.arret_apres = 4};
  texte final2 = {0}, journal2 = {0}, bilan2 = {0};
  st = ouvrir(&etat, &h2, "alice.pem", sortie2, &final2, &journal2, &bilan2);
  VERIFIE(st == MPE_OUVERTURE_INTERROMPUE, "arrêt : %s", mpe_statut_nom(st));
  VERIFIE(h2.enregistrements == 4, "4 enregistrements avant l'arrêt : %d", h2.enregistrements);
  texte reprise = {0};
  remplacer(&reprise, (const uint8_t *)h2.etat.donnees, h2.etat.longueur);
  h2.arret_apres = -1;
  h2.dernier_index = 0;
  st = ouvrir(&reprise, &h2, "alice.pem", sortie2, &final2, &journal2, &bilan2);
  VERIFIE(st == MPE_OK, "reprise : %s", mpe_statut_nom(st));
  VERIFIE(h2.enregistrements == 9, "9 enregistrements en tout : %d", h2.enregistrements);
  VERIFIE(h2.journal.donnees && journal1.donnees && strcmp(h2.journal.donnees, journal1.donnees) == 0,
          "même journal après l'arrêt et la reprise");
  VERIFIE(final2.donnees && final1.donnees && strcmp(final2.donnees, final1.donnees) == 0, "même état final");
  vider(&reprise);

  /* The secours key opens too; a key that is no recipient fails every envelope (they stay
   * closed, recorded as failed decryptions). */
  snprintf(cmd, sizeof cmd, "cat %s/autre.pem %s/autre.key > %s/autre-bicle.pem", DOSSIER, DOSSIER, DOSSIER);
  if (system(cmd) != 0) return 1;
  hote h3 = {.arret_apres = -1};
  texte final3 = {0}, journal3 = {0}, bilan3 = {0};
  char sortie3[300];
  snprintf(sortie3, sizeof sortie3, "%s/ouverture-3", DOSSIER);
  st = ouvrir(&etat, &h3, "autre-bicle.pem", sortie3, &final3, &journal3, &bilan3);
  VERIFIE(st == MPE_OK, "mauvaise clé : %s", mpe_statut_nom(st));
  VERIFIE(bilan3.donnees && strstr(bilan3.donnees, "\"ouvertes\":[]") != NULL, "rien d'ouvert : %s",
          bilan3.donnees ? bilan3.donnees : "");
  VERIFIE(journal3.donnees && compter(journal3.donnees, "\"enveloppe_ouverte\"") == 0, "aucune ouverte");

  /* Alice's PKCS#12 (password "secret") opens the same way. */
  snprintf(cmd, sizeof cmd, "cp ../vectors/crypto/alice.p12 %s/alice.p12", DOSSIER);
  if (system(cmd) != 0) return 1;
  hote h4 = {.arret_apres = -1};
  texte final4 = {0}, journal4 = {0}, bilan4 = {0};
  char sortie4[300];
  snprintf(sortie4, sizeof sortie4, "%s/ouverture-4", DOSSIER);
  mot_de_passe = "secret";
  st = ouvrir(&etat, &h4, "alice.p12", sortie4, &final4, &journal4, &bilan4);
  mot_de_passe = NULL;
  VERIFIE(st == MPE_OK, "PKCS#12 : %s", mpe_statut_nom(st));
  VERIFIE(journal4.donnees && journal1.donnees && strcmp(journal4.donnees, journal1.donnees) == 0,
          "PKCS#12 : même journal");
  vider(&final4), vider(&journal4), vider(&bilan4), vider(&h4.etat), vider(&h4.journal);

  /* Alice's key and certificate on a SoftHSM2 token (pkcs11-tool imports them): the same journal; a wrong
   * PIN refuses before any envelope is read or recorded. */
  char cmd_jeton[4096];
  snprintf(cmd_jeton, sizeof cmd_jeton,
           "../pkcs11/jeton_softhsm.sh %s/hsm >/dev/null && openssl pkcs8 -topk8 -nocrypt -in "
           "../vectors/crypto/alice.key.pem -outform DER -out %s/hsm/alice.der && SOFTHSM2_CONF=%s/hsm/softhsm2.conf "
           "pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label mpe-test --login --pin 123456 "
           "--write-object %s/hsm/alice.der --type privkey --id 0a --label alice >/dev/null 2>&1 && "
           "openssl x509 -in ../vectors/crypto/alice.cert.pem -outform DER -out %s/hsm/alice.crt.der && "
           "SOFTHSM2_CONF=%s/hsm/softhsm2.conf pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label "
           "mpe-test --login --pin 123456 --write-object %s/hsm/alice.crt.der --type cert --id 0a --label alice "
           ">/dev/null 2>&1",
           DOSSIER, DOSSIER, DOSSIER, DOSSIER, DOSSIER, DOSSIER, DOSSIER);
  if (system(cmd_jeton) != 0) return 1;
  snprintf(cmd, sizeof cmd, "%s/hsm/softhsm2.conf", DOSSIER);
  setenv("SOFTHSM2_CONF", cmd, 1);
  {
    const char *ref = "{\"module\": \"/usr/lib/softhsm/libsofthsm2.so\", \"jeton\": \"mpe-test\", \"cle\": \"alice\"}";
    char *ctx = lire_fichier("ctx_ouverture.json", NULL);
    char sortie5[300];
    snprintf(sortie5, sizeof sortie5, "%s/ouverture-5", DOSSIER);
    hote h5 = {.arret_apres = -1};
    mpe_rappels_ouverture r5 = {&h5, lire, enregistrer, progression};
    struct mpe_octets e5 = {0}, j5 = {0}, b5 = {0};
    st = mpe_procedure_ouvrir_plis_jeton((const uint8_t *)etat.donnees, etat.longueur, U8(ref), "000000", sortie5,
                                         NULL, 0, U8(ctx), &r5, &e5, &j5, &b5);
    VERIFIE(st == MPE_PIN_INCORRECT, "jeton, mauvais PIN : %s", mpe_statut_nom(st));
    VERIFIE(h5.enregistrements == 0 && e5.donnees == NULL, "mauvais PIN : rien d'enregistré");
    st = mpe_procedure_ouvrir_plis_jeton((const uint8_t *)etat.donnees, etat.longueur, U8(ref), "123456", sortie5,
                                         U8("{\"fils\": 2}"), U8(ctx), &r5, &e5, &j5, &b5);
    VERIFIE(st == MPE_OK, "jeton : %s", mpe_statut_nom(st));
    VERIFIE(j5.donnees && journal1.donnees && strcmp((const char *)j5.donnees, journal1.donnees) == 0,
            "jeton : même journal");
    VERIFIE(h5.enregistrements == 9, "jeton : 9 enregistrements : %d", h5.enregistrements);
    mpe_octets_liberer(&e5), mpe_octets_liberer(&j5), mpe_octets_liberer(&b5);
    vider(&h5.etat), vider(&h5.journal);
    free(ctx);
  }

  /* Bad arguments. */
  mpe_rappels_ouverture sans_lire = {NULL, NULL, NULL, NULL};
  struct mpe_octets e = {0}, j = {0};
  st = mpe_procedure_ouvrir_plis((const uint8_t *)etat.donnees, etat.longueur, U8("x"), NULL, sortie3, NULL, 0,
                                 U8("{}"), &sans_lire, &e, &j, NULL);
  VERIFIE(st == MPE_ARGUMENT_INVALIDE, "lire NULL : %s", mpe_statut_nom(st));
  st = mpe_procedure_ouvrir_plis((const uint8_t *)etat.donnees, etat.longueur, U8("x"), NULL, sortie3, NULL, 0,
                                 U8("{}"), NULL, &e, &j, NULL);
  VERIFIE(st == MPE_ARGUMENT_INVALIDE, "rappels NULL : %s", mpe_statut_nom(st));

  texte *t[] = {&etat, &final1, &journal1, &bilan1, &final2, &journal2, &bilan2, &final3, &journal3, &bilan3,
                &journal_depots, &h1.etat, &h1.journal, &h2.etat, &h2.journal, &h3.etat, &h3.journal};
  for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) vider(t[k]);
  snprintf(cmd, sizeof cmd, "rm -rf %s", DOSSIER);
  if (system(cmd) != 0) return 1;
  if (echecs) {
    fprintf(stderr, "%d échec(s)\n", echecs);
    return 1;
  }
  printf("test_plis : dépôts sur les octets et ouverture par rappels OK\n");
  return 0;
}
