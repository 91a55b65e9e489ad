/* C test of decryption with a key alone (EC, X25519, PKCS#8 or PKCS#12), the legacy
 * option, and EC key pairs: real envelopes of the shared corpus (MPE_CORPUS, else
 * ../../../shared/corpus from tests/c/). Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mpe_test.h"

static int failures = 0;
#define CHECK(cond, what)                                                        \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, what,        \
              mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");              \
      failures++;                                                                \
    }                                                                            \
  } while (0)

static char corpus[1024];

static unsigned char *slurp(const char *rel, size_t *len) {
  char path[2048];
  snprintf(path, sizeof path, "%s/%s", corpus, rel);
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) { exit(2); }
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* Decrypt `env` with `key` and compare with the file `attendu`. */
static void ouvre(const char *env, const char *key, const char *pw, const char *opts, const char *attendu,
                  const char *acces) {
  size_t ne, nk, na;
  unsigned char *e = slurp(env, &ne), *k = slurp(key, &nk), *a = slurp(attendu, &na);
  mpe_octets clair = {0}, rapport = {0};
  mpe_statut st = mpe_cms_dechiffrer_cle(e, ne, k, nk, pw, opts ? (const uint8_t *)opts : NULL,
                                         opts ? strlen(opts) : 0, &clair, &rapport);
  CHECK(st == MPE_OK, env);
  if (st == MPE_OK) {
    CHECK(clair.longueur == na && memcmp(clair.donnees, a, na) == 0, "plaintext");
    CHECK(strstr((const char *)rapport.donnees, acces) != NULL, "report names the access");

    mpe_octets_liberer(&clair);
    mpe_octets_liberer(&rapport);
  }
  free(e); free(k); free(a);
}

int main(void) {
  const char *env = getenv("MPE_CORPUS");
  snprintf(corpus, sizeof corpus, "%s", env && *env ? env : "../../../shared/corpus");

  /* EC key alone (no certificate): Bouncy Castle's ECDH envelope. */
  ouvre("cms/bouncycastle/EnvelopedData_ECDH-SHA256KDF_AES256.pem", "cms/bouncycastle/recipient_p256.pem",
        NULL, NULL, "cms/bouncycastle/plaintext.txt", "\"kari\"");
  /* X25519 PKCS#8 (LAMPS). */
  ouvre("cms/lamps/encryptedForBobAndDana.p7m", "cms/lamps/keys/lamps-dana.decrypt.p8.pem", NULL, NULL,
        "cms/lamps/plaintext.txt", "X25519");
  /* Triple-DES only with {"legacy": true}; the report (optional output) may be NULL. */
  ouvre("cms/heimdal/test-enveloped-des-ede3", "cms/heimdal/test.key", NULL, "{\"legacy\":true}",
        "cms/heimdal/static-file", "\"ktri\"");
  {
    size_t ne, nk;
    unsigned char *e = slurp("cms/heimdal/test-enveloped-des-ede3", &ne), *k = slurp("cms/heimdal/test.key", &nk);
    mpe_octets clair = {0};
    CHECK(mpe_cms_dechiffrer_cle(e, ne, k, nk, NULL, NULL, 0, &clair, NULL) == MPE_ALGORITHME_OBSOLETE,
          "3DES without legacy");
    CHECK(clair.donnees == NULL, "no output on error");
    CHECK(mpe_cms_dechiffrer_cle(e, ne, k, nk, NULL, MPE_TEXTE("{\"inconnu\":1}"), &clair, NULL) ==
              MPE_JSON_INVALIDE,
          "unknown option");
    /* File to file: refused, no output file. */
    char entree[2048];
    snprintf(entree, sizeof entree, "%s/cms/heimdal/test-enveloped-des-ede3", corpus);
    CHECK(mpe_cms_dechiffrer_fichier_cle(entree, "/tmp/mpe-c-3des.bin", k, nk, NULL, NULL, 0, NULL) ==
              MPE_ALGORITHME_OBSOLETE,
          "file: 3DES without legacy");
    CHECK(access("/tmp/mpe-c-3des.bin", F_OK) != 0, "file: nothing written");
    mpe_octets rapport = {0};
    CHECK(mpe_cms_dechiffrer_fichier_cle(entree, "/tmp/mpe-c-3des.bin", k, nk, NULL, MPE_TEXTE("{\"legacy\":true}"),
                                         &rapport) == MPE_OK,
          "file: 3DES with legacy");
    CHECK(rapport.longueur > 0 && strstr((const char *)rapport.donnees, "\"taille\"") != NULL, "file: report");
    mpe_octets_liberer(&rapport);
    unlink("/tmp/mpe-c-3des.bin");
    free(e); free(k);
  }

  /* An EC key pair (P-384), encrypted PEM; an envelope to its certificate opens with it. */
  mpe_octets pem = {0};
  CHECK(mpe_bicle_generer_ec(MPE_TEXTE("{\"titulaire\":\"Jeanne EC\"}"), "P-384", "2026-11-01T00:00:00Z", "pw",
                             &pem) == MPE_OK,
        "generate EC");
  CHECK(strstr((const char *)pem.donnees, "BEGIN CERTIFICATE") && strstr((const char *)pem.donnees, "ENCRYPTED PRIVATE KEY"),
        "certificate + encrypted key");
  mpe_octets cms = {0}, clair = {0};
  CHECK(mpe_cms_chiffrer(MPE_TEXTE("offre EC"), pem.donnees, pem.longueur, NULL, 0, &cms) == MPE_OK, "encrypt to EC");
  CHECK(mpe_cms_dechiffrer_cle(cms.donnees, cms.longueur, pem.donnees, pem.longueur, "pw", NULL, 0, &clair, NULL) ==
            MPE_OK,
        "decrypt with EC key");
  CHECK(clair.longueur == 8 && memcmp(clair.donnees, "offre EC", 8) == 0, "EC round trip");
  mpe_octets_liberer(&clair);
  CHECK(mpe_cms_dechiffrer_cle(cms.donnees, cms.longueur, pem.donnees, pem.longueur, "faux", NULL, 0, &clair, NULL) ==
            MPE_MOT_DE_PASSE_INCORRECT,
        "wrong password");
  CHECK(mpe_bicle_generer_ec(MPE_TEXTE("{\"titulaire\":\"X\"}"), "P-999", "2026-11-01T00:00:00Z", NULL, &clair) ==
            MPE_ARGUMENT_INVALIDE,
        "unknown curve");
  CHECK(mpe_cms_dechiffrer_cle(cms.donnees, cms.longueur, pem.donnees, pem.longueur, "pw", NULL, 0, NULL, NULL) ==
            MPE_ARGUMENT_INVALIDE,
        "NULL plaintext output");
  mpe_octets_liberer(&cms);
  mpe_octets_liberer(&pem);

  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_cms_cle : ok\n");
  return 0;
}
