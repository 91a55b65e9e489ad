/* C test of revocation through the ABI: OCSP responses cross in the verification options'
 * JSON (`reponses_ocsp`, DER in base64), as CRLs do (`crls_pem`). Fixtures made by openssl
 * (tests/vectors/revocation/make.sh). Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpe_test.h"

#define F "../vectors/revocation/fixe/"
static int failures = 0;
#define CHECK(cond, what)                                                        \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, what,        \
              mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");              \
      failures++;                                                                \
    }                                                                            \
  } while (0)

static unsigned char *slurp(const char *path, size_t *len) {
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

/* The report of avant.p7s over offre.txt with the options of `options_file`. */
static char *verifier(const char *options_file) {
  size_t sig_len, data_len, opts_len;
  unsigned char *sig = slurp(F "avant.p7s", &sig_len);
  unsigned char *data = slurp(F "offre.txt", &data_len);
  unsigned char *opts = slurp(options_file, &opts_len);
  mpe_octets rapport = {0};
  mpe_statut st = mpe_signature_verifier(sig, sig_len, data, data_len, opts, opts_len, &rapport);
  CHECK(st == 0, "verifier");
  char *texte = NULL;
  if (st == 0) {
    texte = malloc(rapport.longueur + 1);
    memcpy(texte, rapport.donnees, rapport.longueur);
    texte[rapport.longueur] = 0;
  }
  mpe_octets_liberer(&rapport);
  free(sig);
  free(data);
  free(opts);
  return texte;
}

int main(void) {
  /* The delegated responder says revoked before the signing: INVALIDE, REVOKED. */
  char *r = verifier(F "options_ocsp.json");
  CHECK(r && strstr(r, "\"statut\":\"INVALIDE\""), "révoquée avant : INVALIDE");
  CHECK(r && strstr(r, "\"sous_indication\":\"REVOKED\""), "REVOKED");
  CHECK(r && strstr(r, "\"source\":\"OCSP\""), "source OCSP");
  CHECK(r && strstr(r, "\"raison\":\"compromission_cle\""), "raison");
  free(r);
  /* The same answer signed by a certificate without id-kp-OCSPSigning: set aside. */
  r = verifier(F "options_usurpee.json");
  CHECK(r && strstr(r, "\"statut\":\"VALIDE\""), "répondeur non autorisé : réponse écartée");
  CHECK(r && strstr(r, "OCSP_REPONDANT_NON_AUTORISE"), "raison de l'écart");
  free(r);
  if (failures) {
    fprintf(stderr, "test_revocation : %d échec(s)\n", failures);
    return 1;
  }
  printf("test_revocation : ok\n");
  return 0;
}
