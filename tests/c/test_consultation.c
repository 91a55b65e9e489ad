/* C test of the consultation slice of the ABI: version, errors, validation, CPV,
 * référence, SIRET, access codes, panic boundary. Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe_test.h"

static int failures = 0;
#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                 \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { perror("read"); exit(2); }
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

int main(void) {
  CHECK(strlen(mpe_version()) > 0, "version");
  CHECK(strcmp(mpe_statut_nom(MPE_HORS_DELAI), "HORS_DELAI") == 0, "status name");
  CHECK(mpe_statut_nom(99999) == NULL, "unknown status");

  size_t clen, olen, canon_len;
  char *consultation = read_file("../../examples/data/consultation.json", &clen);
  char *organisation = read_file("../../examples/data/organisation.json", &olen);
  char *canonical = read_file("../vectors/consultation/consultation.canonical.json", &canon_len);

  /* Round trip: byte for byte the canonical JSON. */
  mpe_octets out = {0};
  mpe_statut st = mpe_consultation_normaliser((const uint8_t *)consultation, clen, &out);
  CHECK(st == MPE_OK, "normalize: %u %s", st, mpe_derniere_erreur());
  CHECK(out.longueur == canon_len && memcmp(out.donnees, canonical, canon_len) == 0, "canonical JSON");
  mpe_octets_liberer(&out);
  CHECK(out.donnees == NULL && out.longueur == 0, "free resets");
  mpe_octets_liberer(&out); /* twice is harmless */
  mpe_octets_liberer(NULL);

  /* The realistic consultation validates without errors. */
  st = mpe_consultation_valider((const uint8_t *)consultation, clen, (const uint8_t *)organisation, olen,
                                 "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_OK, "validate: %s", mpe_derniere_erreur());
  CHECK(strstr((const char *)out.donnees, "\"erreur\"") == NULL, "no error finding: %s", (const char *)out.donnees);
  mpe_octets_liberer(&out);

  /* A wrong CPV code is reported with its code and path. */
  const char *bad = "\"principal\": \"45321000-3\"";
  char *p = strstr(consultation, bad);
  CHECK(p != NULL, "fixture has lot 1 CPV");
  if (p) memcpy(p + strlen("\"principal\": \"45321000-"), "9", 1);
  st = mpe_consultation_valider((const uint8_t *)consultation, clen, NULL, 0, "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_OK, "validate bad cpv");
  CHECK(strstr((const char *)out.donnees, "\"CPV_CLE_CONTROLE\"") != NULL, "cpv finding: %s", (const char *)out.donnees);
  CHECK(strstr((const char *)out.donnees, "$.lots[0].cpv.principal") != NULL, "cpv path");
  mpe_octets_liberer(&out);

  /* Bad inputs: typed errors, outputs untouched. */
  mpe_octets untouched = {(uint8_t *)0x1, 7, 7};
  st = mpe_consultation_valider((const uint8_t *)"{", 1, NULL, 0, "2026-11-02T09:00:00Z", &untouched);
  CHECK(st == MPE_JSON_INVALIDE, "invalid json: %u", st);
  CHECK(untouched.longueur == 7 && untouched.donnees == (uint8_t *)0x1, "output untouched on error");
  CHECK(mpe_derniere_erreur() != NULL && strstr(mpe_derniere_erreur(), "JSON_INVALIDE"), "last error message");
  st = mpe_consultation_valider((const uint8_t *)consultation, clen, NULL, 0, "hier", &out);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "bad time: %u", st);
  st = mpe_consultation_valider(NULL, 5, NULL, 0, "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "null input: %u", st);
  st = mpe_consultation_valider((const uint8_t *)consultation, clen, NULL, 0, "2026-11-02T09:00:00Z", NULL);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "null output: %u", st);
  /* An optional buffer given as NULL with a length is a caller's mistake, not "absent". */
  st = mpe_consultation_valider((const uint8_t *)consultation, clen, NULL, 12, "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "optional NULL with length: %u", st);

  /* CPV lookup. */
  st = mpe_cpv_chercher("45000000-7", &out);
  CHECK(st == MPE_OK && strstr((const char *)out.donnees, "\"travaux\""), "cpv lookup");
  CHECK(strstr((const char *)out.donnees, "\"libelle\":\"Travaux de construction\"") &&
        strstr((const char *)out.donnees, "\"libelle_en\":\"Construction work\""), "libellé français");
  mpe_octets_liberer(&out);
  CHECK(mpe_cpv_chercher("45000000-1", &out) == MPE_CPV_CLE_CONTROLE, "cpv check digit");
  CHECK(mpe_cpv_chercher("99999999-9", &out) == MPE_CPV_INCONNU, "cpv unknown");
  CHECK(mpe_cpv_chercher("4500", &out) == MPE_CPV_FORMAT, "cpv format");
  CHECK(mpe_cpv_chercher(NULL, &out) == MPE_ARGUMENT_INVALIDE, "cpv null");

  /* Référence, SIRET. */
  CHECK(mpe_reference_valider("AOO_2026/0611") == MPE_OK, "reference ok");
  CHECK(mpe_reference_valider("AOO 2026") == MPE_REFERENCE_INVALIDE, "reference space");
  CHECK(mpe_reference_valider("\xff\xfe") == MPE_ARGUMENT_INVALIDE, "reference not utf-8");
  CHECK(mpe_siret_valider("21690123100011") == MPE_OK, "siret ok");
  CHECK(mpe_siret_valider("21690123100012") == MPE_SIRET_INVALIDE, "siret ko");

  /* Access codes: 8 characters, two draws differ. */
  mpe_octets a = {0}, b = {0};
  CHECK(mpe_code_acces_generer(&a) == MPE_OK && a.longueur == 8, "code a");
  CHECK(mpe_code_acces_generer(&b) == MPE_OK && b.longueur == 8, "code b");
  CHECK(strlen((const char *)a.donnees) == 8, "code NUL-terminated");
  CHECK(memcmp(a.donnees, b.donnees, 8) != 0, "codes differ");
  mpe_octets_liberer(&a);
  mpe_octets_liberer(&b);

  /* Error table. */
  CHECK(mpe_code_erreur_lister(&out) == MPE_OK && strstr((const char *)out.donnees, "\"HORS_DELAI\""), "codes");
  mpe_octets_liberer(&out);

  /* A panic inside mpe is a status, not an abort. */
  uint32_t v = 42;
  CHECK(mpe_test_panique(&v) == MPE_INTERNE, "panic boundary");
  CHECK(v == 42, "panic leaves output untouched");

  free(consultation);
  free(organisation);
  free(canonical);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("test_consultation: ok\n");
  return 0;
}
