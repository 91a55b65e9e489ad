/* C test of the verification options in JSON (named documents, PDF limits) and of the
 * per-revision list of a PDF in the report, on real files of the shared corpus
 * (MPE_CORPUS, else ../../../shared/corpus from tests/c/). Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Standard base64 of (d, n), NUL-terminated, for the JSON of named documents. */
static char *base64(const unsigned char *d, size_t n) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
    *o++ = t[v >> 18 & 63];
    *o++ = t[v >> 12 & 63];
    *o++ = i + 1 < n ? t[v >> 6 & 63] : '=';
    *o++ = i + 2 < n ? t[v & 63] : '=';
  }
  *o = 0;
  return out;
}

static mpe_statut verifier(const unsigned char *sig, size_t n, const char *opts, char **rapport) {
  mpe_octets r = {0};
  mpe_statut st = mpe_signature_verifier(sig, n, NULL, 0, MPE_TEXTE(opts), &r);
  *rapport = NULL;
  if (st == MPE_OK) {
    *rapport = malloc(r.longueur + 1);
    memcpy(*rapport, r.donnees, r.longueur);
    (*rapport)[r.longueur] = 0;
    mpe_octets_liberer(&r);
  }
  return st;
}

int main(void) {
  const char *env = getenv("MPE_CORPUS");
  snprintf(corpus, sizeof corpus, "%s", env && *env ? env : "../../../shared/corpus");

  /* A PDF signed twice in Adobe Reader: the first signature lists its later revision. */
  size_t n;
  unsigned char *pdf = slurp("signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf", &n);
  char *rapport;
  CHECK(verifier(pdf, n, "{}", &rapport) == MPE_OK, "verify twice-signed PDF");
  if (rapport) {
    CHECK(strstr(rapport, "\"revisions\":[{\"numero\":1") != NULL, "revisions listed");
    CHECK(strstr(rapport, "\"categorie\":\"SIGNATURE\"") != NULL, "signature category");
    CHECK(strstr(rapport, "\"autorise\":false") == NULL, "every change allowed");
    free(rapport);
  }
  /* The PDF limits of the options apply, typed. */
  CHECK(verifier(pdf, n, "{\"limites_pdf\":{\"revisions_max\":1}}", &rapport) == MPE_LIMITE_DEPASSEE,
        "revisions_max");
  CHECK(strstr(mpe_derniere_erreur(), "revisions_max") != NULL, "limit named");
  CHECK(verifier(pdf, n, "{\"limites_pdf\":{\"inconnue\":1}}", &rapport) == MPE_JSON_INVALIDE,
        "unknown limit refused");
  free(pdf);

  /* A detached XAdES that names its document "doc.txt": given by name in the options. */
  size_t nx, nd;
  unsigned char *xml = slurp("signatures/xades/dss/Signature-X-HU_MIC-1.xml", &nx);
  unsigned char *doc = slurp("signatures/xades/dss/Signature-X-HU_MIC-1.xml.doc.txt", &nd);
  char *b64 = base64(doc, nd);
  char *opts = malloc(strlen(b64) + 100);
  sprintf(opts, "{\"documents_nommes\":{\"doc.txt\":\"%s\"}}", b64);
  CHECK(verifier(xml, nx, opts, &rapport) == MPE_OK, "XAdES with its named document");
  if (rapport) {
    /* No anchor given: intact but not trusted. */
    CHECK(strstr(rapport, "\"statut\":\"INDETERMINE\"") != NULL, "INDETERMINE without anchor");
    CHECK(strstr(rapport, "\"integrite\":true") != NULL, "intact");
    free(rapport);
  }
  sprintf(opts, "{\"documents_nommes\":{\"doc.txt\":\"%s\"}}", "YXV0cmU=");
  CHECK(verifier(xml, nx, opts, &rapport) == MPE_OK, "XAdES with another document");
  if (rapport) {
    CHECK(strstr(rapport, "\"statut\":\"INVALIDE\"") != NULL, "other content: INVALIDE");
    free(rapport);
  }
  CHECK(verifier(xml, nx, "{}", &rapport) == MPE_FICHIER_SIGNE_MANQUANT, "document missing");
  CHECK(verifier(xml, nx, "{\"documents_nommes\":{\"doc.txt\":\"%%%\"}}", &rapport) ==
            MPE_ARGUMENT_INVALIDE,
        "bad base64");
  free(opts);
  free(b64);
  free(doc);
  free(xml);

  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_signature_options : ok\n");
  return 0;
}
