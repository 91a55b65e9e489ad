/* C test of the documents API: catalogue, form generation, merge (bytes and files),
 * fields, document space, and typed errors. Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe.h"

static int failures = 0;
#define CHECK(cond, ...)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "ÉCHEC %s:%d : ", __FILE__, __LINE__);                               \
      fprintf(stderr, __VA_ARGS__);                                                        \
      fprintf(stderr, " (%s)\n", mpe_last_error() ? mpe_last_error() : "-");              \
      failures++;                                                                          \
    }                                                                                      \
  } while (0)

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  fclose(f);
  if (buf) { buf[n] = 0; *len = (size_t)n; }
  return buf;
}

int main(void) {
  mpe_bytes list = {0}, proc = {0}, docx = {0}, fields = {0}, data = {0}, merged = {0};

  CHECK(mpe_document_form_list(&list) == MPE_OK, "catalogue");
  CHECK(list.len > 0 && strstr((const char *)list.data, "\"NOT13\"") != NULL, "NOT13 au catalogue");
  CHECK(strstr((const char *)list.data, "\"OUV11\"") != NULL, "OUV11 au catalogue");

  CHECK(mpe_document_procedure_example(&proc) == MPE_OK, "exemple");
  CHECK(mpe_document_form_generate("NOT13", (const char *)proc.data, &docx) == MPE_OK, "génération NOT13");
  CHECK(docx.len > 100 && docx.data[0] == 'P' && docx.data[1] == 'K', "DOCX");

  /* Merge the bundled template with the mapped data: same as generate. */
  mpe_bytes tpl = {0};
  CHECK(mpe_document_form_template("OUV10", &tpl) == MPE_OK, "modèle OUV10");
  CHECK(mpe_document_fields(tpl.data, tpl.len, &fields) == MPE_OK, "champs");
  CHECK(strstr((const char *)fields.data, "\"consultation.reference\"") != NULL, "champ listé");
  CHECK(mpe_document_form_data("OUV10", (const char *)proc.data, &data) == MPE_OK, "données");
  CHECK(mpe_document_merge(tpl.data, tpl.len, (const char *)data.data, NULL, &merged) == MPE_OK, "fusion");
  CHECK(merged.len > 100, "fusion non vide");

  /* Missing data: one error listing the fields; the output is untouched. */
  mpe_bytes untouched = {0};
  mpe_status st = mpe_document_merge(tpl.data, tpl.len, "{}", "{\"strict\": true}", &untouched);
  CHECK(st == MPE_DONNEES_MANQUANTES, "données manquantes : %u", st);
  CHECK(untouched.data == NULL && untouched.len == 0, "sortie intacte");
  CHECK(mpe_last_error() && strstr(mpe_last_error(), "consultation.reference"), "message liste les champs");
  CHECK(mpe_document_merge(tpl.data, tpl.len, "{}", "{\"strict\": false}", &untouched) == MPE_OK, "non strict");
  mpe_bytes_free(&untouched);

  /* Errors. */
  CHECK(mpe_document_form_generate("ZZZ", (const char *)proc.data, &untouched) == MPE_FORMULAIRE_INCONNU, "inconnu");
  CHECK(mpe_document_merge((const uint8_t *)"not a zip", 9, "{}", NULL, &untouched) == MPE_MODELE_INVALIDE, "pas un zip");
  CHECK(mpe_document_merge(tpl.data, tpl.len, "{", NULL, &untouched) == MPE_INVALID_JSON, "json");
  CHECK(mpe_document_merge(tpl.data, tpl.len, "{}", NULL, NULL) == MPE_INVALID_ARGUMENT, "NULL out");
  CHECK(mpe_document_merge(NULL, 5, "{}", NULL, &untouched) == MPE_INVALID_ARGUMENT, "NULL in");
  CHECK(mpe_document_merge(tpl.data, tpl.len, "{}", "{\"inconnu\": 1}", &untouched) == MPE_INVALID_JSON, "options");

  /* Files. */
  FILE *f = fopen("/tmp/mpe_c_ouv10.docx", "wb");
  CHECK(f != NULL, "fichier");
  if (f) { fwrite(tpl.data, 1, tpl.len, f); fclose(f); }
  CHECK(mpe_document_merge_file("/tmp/mpe_c_ouv10.docx", (const char *)data.data, NULL, "/tmp/mpe_c_ouv10_out.docx") == MPE_OK, "fusion fichier");
  size_t outlen = 0;
  char *out = read_file("/tmp/mpe_c_ouv10_out.docx", &outlen);
  CHECK(out && outlen == merged.len, "fichier = octets (%zu / %zu)", outlen, merged.len);
  free(out);
  CHECK(mpe_document_merge_file("/nonexistent/x.docx", "{}", NULL, "/tmp/x.docx") == MPE_IO, "E/S");

  /* Document space. */
  mpe_bytes sp = {0}, sp2 = {0}, lst = {0};
  CHECK(mpe_document_space_new("2026-TRV-014", &sp) == MPE_OK, "espace");
  CHECK(mpe_document_space_add((const char *)sp.data, "generees", "NOT13.docx", docx.data, docx.len,
                               "2026-03-26T10:00:00+01:00", "NOT13", &sp2) == MPE_OK, "ajout");
  CHECK(mpe_document_space_list((const char *)sp2.data, "generees", &lst) == MPE_OK, "liste");
  CHECK(strstr((const char *)lst.data, "\"P000001\"") && strstr((const char *)lst.data, "\"taille\""), "pièce listée");
  f = fopen("/tmp/mpe_c_piece", "wb");
  if (f) { fwrite(docx.data, 1, docx.len, f); fclose(f); }
  CHECK(mpe_document_space_zip((const char *)sp2.data, "[]", "{\"P000001\": \"/tmp/mpe_c_piece\"}", "/tmp/mpe_c_espace.zip") == MPE_OK, "zip");
  size_t ziplen = 0;
  char *zipb = read_file("/tmp/mpe_c_espace.zip", &ziplen);
  CHECK(zipb && ziplen > docx.len / 2 && zipb[0] == 'P', "zip écrit");
  free(zipb);
  /* Tampered storage. */
  f = fopen("/tmp/mpe_c_piece", "wb");
  if (f) { fwrite("x", 1, 1, f); fclose(f); }
  CHECK(mpe_document_space_zip((const char *)sp2.data, "[\"P000001\"]", "{\"P000001\": \"/tmp/mpe_c_piece\"}", "/tmp/mpe_c_espace2.zip") == MPE_PIECE_ALTEREE, "intégrité");
  CHECK(mpe_document_space_add((const char *)sp.data, "inconnue", "a", NULL, 0, "2026-03-26T10:00:00Z", NULL, &untouched) == MPE_INVALID_ARGUMENT, "catégorie");
  CHECK(mpe_document_space_add((const char *)sp.data, "libres", "../a", NULL, 0, "2026-03-26T10:00:00Z", NULL, &untouched) == MPE_INVALID_ARGUMENT, "nom");

  mpe_bytes *all[] = {&list, &proc, &docx, &fields, &data, &merged, &tpl, &sp, &sp2, &lst};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) mpe_bytes_free(all[i]);
  mpe_bytes_free(&list); /* twice is harmless */

  if (failures) {
    fprintf(stderr, "%d échec(s)\n", failures);
    return 1;
  }
  printf("test_documents.c : OK\n");
  return 0;
}
