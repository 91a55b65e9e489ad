/* C test of the EU trusted lists through the ABI: the corpus's LOTL and national lists
 * (shared/corpus/tsl, from DSS) cross as base64 in JSON, loaded by mpe_confiance_charger,
 * used by mpe_confiance_qualifier and by mpe_signature_verifier's `listes_confiance`.
 * The corpus is $MPE_CORPUS or the first shared/corpus above the current folder. Run from
 * tests/c/. */
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

static char corpus[4096];

static void trouver_corpus(void) {
  const char *e = getenv("MPE_CORPUS");
  if (e) { snprintf(corpus, sizeof corpus, "%s", e); return; }
  char base[256] = ".";
  for (int i = 0; i < 8; i++) {
    char essai[512];
    snprintf(essai, sizeof essai, "%s/shared/corpus/expectations.json", base);
    if (access(essai, R_OK) == 0) {
      snprintf(corpus, sizeof corpus, "%s/shared/corpus", base);
      return;
    }
    strcat(base, "/..");
  }
  fprintf(stderr, "corpus introuvable (MPE_CORPUS ou shared/corpus au-dessus)\n");
  exit(2);
}

static unsigned char *slurp(const char *rel, size_t *len) {
  char path[8192];
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

/* Append the base64 of a corpus file to `out` (at `*pos`), growing it. */
static void b64(const char *rel, char **out, size_t *pos, size_t *cap) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n;
  unsigned char *d = slurp(rel, &n);
  size_t besoin = *pos + (n + 2) / 3 * 4 + 1;
  if (besoin > *cap) { *cap = besoin * 2; *out = realloc(*out, *cap); }
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                 (i + 2 < n ? d[i + 2] : 0);
    (*out)[(*pos)++] = t[v >> 18 & 63];
    (*out)[(*pos)++] = t[v >> 12 & 63];
    (*out)[(*pos)++] = i + 1 < n ? t[v >> 6 & 63] : '=';
    (*out)[(*pos)++] = i + 2 < n ? t[v & 63] : '=';
  }
  (*out)[*pos] = 0;
  free(d);
}

static void ajouter(const char *s, char **out, size_t *pos, size_t *cap) {
  size_t n = strlen(s);
  if (*pos + n + 1 > *cap) { *cap = (*pos + n + 1) * 2; *out = realloc(*out, *cap); }
  memcpy(*out + *pos, s, n + 1);
  *pos += n;
}

/* JSON text of a PEM file (newlines escaped). */
static void pem_json(const char *rel, char **out, size_t *pos, size_t *cap) {
  size_t n;
  unsigned char *d = slurp(rel, &n);
  for (size_t i = 0; i < n; i++) {
    if (d[i] == '\n') ajouter("\\n", out, pos, cap);
    else if (d[i] != '\r') { char c[2] = {(char)d[i], 0}; ajouter(c, out, pos, cap); }
  }
  free(d);
}

/* {"lotl": ..., "certificats_lotl_pem": ..., "listes": [...]} from corpus paths. */
static char *listes_json(const char *const *nationales, size_t n) {
  size_t pos = 0, cap = 1 << 20;
  char *j = malloc(cap);
  j[0] = 0;
  ajouter("{\"lotl\":\"", &j, &pos, &cap);
  b64("tsl/dss/eu-lotl.xml", &j, &pos, &cap);
  ajouter("\",\"certificats_lotl_pem\":\"", &j, &pos, &cap);
  pem_json("tsl/anchors/lotl-signer-patrick-kremer.pem", &j, &pos, &cap);
  ajouter("\",\"listes\":[", &j, &pos, &cap);
  for (size_t i = 0; i < n; i++) {
    ajouter(i ? ",\"" : "\"", &j, &pos, &cap);
    b64(nationales[i], &j, &pos, &cap);
    ajouter("\"", &j, &pos, &cap);
  }
  ajouter("]}", &j, &pos, &cap);
  return j;
}

static char *texte(mpe_octets *o) {
  char *t = malloc(o->longueur + 1);
  memcpy(t, o->donnees, o->longueur);
  t[o->longueur] = 0;
  mpe_octets_liberer(o);
  return t;
}

/* Number of occurrences of `motif` in `s`. */
static int compter(const char *s, const char *motif) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, motif)) != NULL; p += strlen(motif)) n++;
  return n;
}

int main(void) {
  trouver_corpus();
  const char *const nationales[] = {"tsl/dss/lotlCache/FR.xml", "tsl/dss/lotlCache/SK.xml",
                                    "tsl/dss/lotlCache/CZ_broken-sig.xml"};
  char *j = listes_json(nationales, 3);
  const char *date = "2019-09-04T08:00:00Z";

  /* Loading: the LOTL and FR, SK usable; the broken CZ list refused, in the report. */
  mpe_octets o = {0};
  mpe_statut st = mpe_confiance_charger(MPE_TEXTE(j), date, &o);
  CHECK(st == 0, "charger");
  if (st == 0) {
    char *r = texte(&o);
    CHECK(compter(r, "\"utilisable\":true") == 3, "LOTL, FR et SK utilisables");
    CHECK(compter(r, "\"utilisable\":false") == 1, "CZ refusée");
    CHECK(strstr(r, "\"territoire\":\"CZ\"") != NULL, "CZ nommée");
    free(r);
  }

  /* Second load of the same bytes: same answer (from the cache). */
  st = mpe_confiance_charger(MPE_TEXTE(j), date, &o);
  CHECK(st == 0, "charger 2");
  if (st == 0) free(texte(&o));

  /* Qualification of a certificate: a report with its steps, never an error. */
  size_t nc;
  unsigned char *cert = slurp("tsl/anchors/sk-subject-certificate.pem", &nc);
  st = mpe_confiance_qualifier(cert, nc, MPE_TEXTE(j), date, &o);
  CHECK(st == 0, "qualifier");
  if (st == 0) {
    char *r = texte(&o);
    CHECK(strstr(r, "\"qualification\":") != NULL, "qualification");
    CHECK(strstr(r, "\"etapes\":[") != NULL, "étapes");
    free(r);
  }
  free(cert);

  /* Errors are typed: no date, bad base64, no LOTL certificate. */
  CHECK(mpe_confiance_charger(MPE_TEXTE(j), NULL, &o) != 0, "sans date");
  const char *mauvais = "{\"lotl\":\"%%%\",\"certificats_lotl_pem\":\"x\",\"listes\":[]}";
  CHECK(mpe_confiance_charger(MPE_TEXTE(mauvais), date, &o) == MPE_LISTE_CONFIANCE_ENTREE,
        "base64 refusé");
  const char *sans = "{\"lotl\":\"AAAA\",\"certificats_lotl_pem\":\"\",\"listes\":[]}";
  CHECK(mpe_confiance_charger(MPE_TEXTE(sans), date, &o) == MPE_LISTE_CONFIANCE_ENTREE,
        "sans certificat de LOTL");

  /* The lists in the verification options: the report carries the qualification. */
  size_t ns;
  unsigned char *sig = slurp("signatures/cades/dss/counterSignedLTA.p7s", &ns);
  size_t pos = 0, cap = strlen(j) + 256;
  char *opts = malloc(cap);
  opts[0] = 0;
  ajouter("{\"date_verification\":\"2019-09-04T08:00:00Z\",\"listes_confiance\":", &opts, &pos, &cap);
  ajouter(j, &opts, &pos, &cap);
  ajouter("}", &opts, &pos, &cap);
  st = mpe_signature_verifier(sig, ns, NULL, 0, MPE_TEXTE(opts), &o);
  CHECK(st == 0, "verifier avec listes");
  if (st == 0) {
    char *r = texte(&o);
    CHECK(strstr(r, "\"qualification\":{") != NULL, "qualification dans le rapport");
    CHECK(strstr(r, "selon les listes de confiance") != NULL, "contrôle qualifié issu des listes");
    free(r);
  }
  /* Without date_verification the lists cannot be checked: a typed error. */
  const char *sans_date = strstr(opts, "\"listes_confiance\"");
  size_t m = strlen(sans_date);
  char *opts2 = malloc(m + 2);
  opts2[0] = '{';
  memcpy(opts2 + 1, sans_date, m + 1);
  CHECK(mpe_signature_verifier(sig, ns, NULL, 0, MPE_TEXTE(opts2), &o) ==
            MPE_LISTE_CONFIANCE_ENTREE,
        "listes sans date_verification");
  free(opts2);
  free(opts);
  free(sig);
  free(j);

  if (failures) {
    fprintf(stderr, "%d échec(s)\n", failures);
    return 1;
  }
  printf("test_confiance : ok\n");
  return 0;
}
