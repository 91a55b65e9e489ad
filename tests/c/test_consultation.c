/* C test of the consultation slice of the ABI: version, errors, validation, CPV,
 * référence, SIRET, access codes, panic boundary. Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe.h"

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
  CHECK(strcmp(mpe_status_name(MPE_HORS_DELAI), "HORS_DELAI") == 0, "status name");
  CHECK(mpe_status_name(99999) == NULL, "unknown status");

  size_t clen, olen, canon_len;
  char *consultation = read_file("../../examples/data/consultation.json", &clen);
  char *organisation = read_file("../../examples/data/organisation.json", &olen);
  char *canonical = read_file("../vectors/consultation/consultation.canonical.json", &canon_len);

  /* Round trip: byte for byte the canonical JSON. */
  mpe_bytes out = {0};
  mpe_status st = mpe_consultation_normalize((const uint8_t *)consultation, clen, &out);
  CHECK(st == MPE_OK, "normalize: %u %s", st, mpe_last_error());
  CHECK(out.len == canon_len && memcmp(out.data, canonical, canon_len) == 0, "canonical JSON");
  mpe_bytes_free(&out);
  CHECK(out.data == NULL && out.len == 0, "free resets");
  mpe_bytes_free(&out); /* twice is harmless */
  mpe_bytes_free(NULL);

  /* The realistic consultation validates without errors. */
  st = mpe_consultation_validate((const uint8_t *)consultation, clen, (const uint8_t *)organisation, olen,
                                 "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_OK, "validate: %s", mpe_last_error());
  CHECK(strstr((const char *)out.data, "\"erreur\"") == NULL, "no error finding: %s", (const char *)out.data);
  mpe_bytes_free(&out);

  /* A wrong CPV code is reported with its code and path. */
  const char *bad = "\"principal\": \"45321000-3\"";
  char *p = strstr(consultation, bad);
  CHECK(p != NULL, "fixture has lot 1 CPV");
  if (p) memcpy(p + strlen("\"principal\": \"45321000-"), "9", 1);
  st = mpe_consultation_validate((const uint8_t *)consultation, clen, NULL, 0, "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_OK, "validate bad cpv");
  CHECK(strstr((const char *)out.data, "\"CPV_CLE_CONTROLE\"") != NULL, "cpv finding: %s", (const char *)out.data);
  CHECK(strstr((const char *)out.data, "$.lots[0].cpv.principal") != NULL, "cpv path");
  mpe_bytes_free(&out);

  /* Bad inputs: typed errors, outputs untouched. */
  mpe_bytes untouched = {(uint8_t *)0x1, 7, 7};
  st = mpe_consultation_validate((const uint8_t *)"{", 1, NULL, 0, "2026-11-02T09:00:00Z", &untouched);
  CHECK(st == MPE_INVALID_JSON, "invalid json: %u", st);
  CHECK(untouched.len == 7 && untouched.data == (uint8_t *)0x1, "output untouched on error");
  CHECK(mpe_last_error() != NULL && strstr(mpe_last_error(), "INVALID_JSON"), "last error message");
  st = mpe_consultation_validate((const uint8_t *)consultation, clen, NULL, 0, "hier", &out);
  CHECK(st == MPE_INVALID_ARGUMENT, "bad time: %u", st);
  st = mpe_consultation_validate(NULL, 5, NULL, 0, "2026-11-02T09:00:00Z", &out);
  CHECK(st == MPE_INVALID_ARGUMENT, "null input: %u", st);
  st = mpe_consultation_validate((const uint8_t *)consultation, clen, NULL, 0, "2026-11-02T09:00:00Z", NULL);
  CHECK(st == MPE_INVALID_ARGUMENT, "null output: %u", st);

  /* CPV lookup. */
  st = mpe_cpv_lookup("45000000-7", &out);
  CHECK(st == MPE_OK && strstr((const char *)out.data, "\"travaux\""), "cpv lookup");
  mpe_bytes_free(&out);
  CHECK(mpe_cpv_lookup("45000000-1", &out) == MPE_CPV_CLE_CONTROLE, "cpv check digit");
  CHECK(mpe_cpv_lookup("99999999-9", &out) == MPE_CPV_INCONNU, "cpv unknown");
  CHECK(mpe_cpv_lookup("4500", &out) == MPE_CPV_FORMAT, "cpv format");
  CHECK(mpe_cpv_lookup(NULL, &out) == MPE_INVALID_ARGUMENT, "cpv null");

  /* Référence, SIRET. */
  CHECK(mpe_reference_check("AOO_2026/0611") == MPE_OK, "reference ok");
  CHECK(mpe_reference_check("AOO 2026") == MPE_REFERENCE_INVALIDE, "reference space");
  CHECK(mpe_reference_check("\xff\xfe") == MPE_INVALID_ARGUMENT, "reference not utf-8");
  CHECK(mpe_siret_check("21690123100011") == MPE_OK, "siret ok");
  CHECK(mpe_siret_check("21690123100012") == MPE_SIRET_INVALIDE, "siret ko");

  /* Access codes: 8 characters, two draws differ. */
  mpe_bytes a = {0}, b = {0};
  CHECK(mpe_access_code_generate(&a) == MPE_OK && a.len == 8, "code a");
  CHECK(mpe_access_code_generate(&b) == MPE_OK && b.len == 8, "code b");
  CHECK(strlen((const char *)a.data) == 8, "code NUL-terminated");
  CHECK(memcmp(a.data, b.data, 8) != 0, "codes differ");
  mpe_bytes_free(&a);
  mpe_bytes_free(&b);

  /* Error table. */
  CHECK(mpe_error_codes(&out) == MPE_OK && strstr((const char *)out.data, "\"HORS_DELAI\""), "codes");
  mpe_bytes_free(&out);

  /* A panic inside mpe is a status, not an abort. */
  uint32_t v = 42;
  CHECK(mpe_test_panic(&v) == MPE_INTERNAL, "panic boundary");
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
