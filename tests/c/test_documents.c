/* C test of the documents API: catalogue, form generation, merge (bytes and files),
 * fields, document space, and typed errors. Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe_test.h"

static int failures = 0;
#define CHECK(cond, ...)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "ÉCHEC %s:%d : ", __FILE__, __LINE__);                               \
      fprintf(stderr, __VA_ARGS__);                                                        \
      fprintf(stderr, " (%s)\n", mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");              \
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
  mpe_octets list = {0}, proc = {0}, docx = {0}, fields = {0}, data = {0}, merged = {0};

  CHECK(mpe_formulaire_lister(&list) == MPE_OK, "catalogue");
  CHECK(list.longueur > 0 && strstr((const char *)list.donnees, "\"NOT13\"") != NULL, "NOT13 au catalogue");
  CHECK(strstr((const char *)list.donnees, "\"OUV11\"") != NULL, "OUV11 au catalogue");

  CHECK(mpe_formulaire_lire_exemple(&proc) == MPE_OK, "exemple");
  CHECK(mpe_formulaire_generer("NOT13", proc.donnees, proc.longueur, &docx) == MPE_OK, "génération NOT13");
  CHECK(docx.longueur > 100 && docx.donnees[0] == 'P' && docx.donnees[1] == 'K', "DOCX");

  /* Merge the bundled template with the mapped data: same as generate. */
  mpe_octets tpl = {0};
  CHECK(mpe_formulaire_lire_modele("OUV10", &tpl) == MPE_OK, "modèle OUV10");
  CHECK(mpe_document_lister_champs(tpl.donnees, tpl.longueur, &fields) == MPE_OK, "champs");
  CHECK(strstr((const char *)fields.donnees, "\"consultation.reference\"") != NULL, "champ listé");
  CHECK(mpe_formulaire_generer_donnees("OUV10", proc.donnees, proc.longueur, &data) == MPE_OK, "données");
  CHECK(mpe_document_fusionner(tpl.donnees, tpl.longueur, data.donnees, data.longueur, NULL, 0, &merged) == MPE_OK, "fusion");
  CHECK(merged.longueur > 100, "fusion non vide");

  /* Missing data: one error listing the fields; the output is untouched. */
  mpe_octets untouched = {0};
  mpe_statut st = mpe_document_fusionner(tpl.donnees, tpl.longueur, MPE_TEXTE("{}"), MPE_TEXTE("{\"strict\": true}"), &untouched);
  CHECK(st == MPE_DONNEES_MANQUANTES, "données manquantes : %u", st);
  CHECK(untouched.donnees == NULL && untouched.longueur == 0, "sortie intacte");
  CHECK(mpe_derniere_erreur() && strstr(mpe_derniere_erreur(), "consultation.reference"), "message liste les champs");
  CHECK(mpe_document_fusionner(tpl.donnees, tpl.longueur, MPE_TEXTE("{}"), MPE_TEXTE("{\"strict\": false}"), &untouched) == MPE_OK, "non strict");
  mpe_octets_liberer(&untouched);

  /* Errors. */
  CHECK(mpe_formulaire_generer("ZZZ", proc.donnees, proc.longueur, &untouched) == MPE_FORMULAIRE_INCONNU, "inconnu");
  CHECK(mpe_document_fusionner((const uint8_t *)"not a zip", 9, MPE_TEXTE("{}"), NULL, 0, &untouched) == MPE_MODELE_INVALIDE, "pas un zip");
  CHECK(mpe_document_fusionner(tpl.donnees, tpl.longueur, MPE_TEXTE("{"), NULL, 0, &untouched) == MPE_JSON_INVALIDE, "json");
  CHECK(mpe_document_fusionner(tpl.donnees, tpl.longueur, MPE_TEXTE("{}"), NULL, 0, NULL) == MPE_ARGUMENT_INVALIDE, "NULL out");
  CHECK(mpe_document_fusionner(NULL, 5, MPE_TEXTE("{}"), NULL, 0, &untouched) == MPE_ARGUMENT_INVALIDE, "NULL in");
  CHECK(mpe_document_fusionner(tpl.donnees, tpl.longueur, MPE_TEXTE("{}"), MPE_TEXTE("{\"inconnu\": 1}"), &untouched) == MPE_JSON_INVALIDE, "options");

  /* Files. */
  FILE *f = fopen("/tmp/mpe_c_ouv10.docx", "wb");
  CHECK(f != NULL, "fichier");
  if (f) { fwrite(tpl.donnees, 1, tpl.longueur, f); fclose(f); }
  CHECK(mpe_document_fusionner_fichier("/tmp/mpe_c_ouv10.docx", data.donnees, data.longueur, NULL, 0, "/tmp/mpe_c_ouv10_out.docx") == MPE_OK, "fusion fichier");
  size_t outlen = 0;
  char *out = read_file("/tmp/mpe_c_ouv10_out.docx", &outlen);
  CHECK(out && outlen == merged.longueur, "fichier = octets (%zu / %zu)", outlen, merged.longueur);
  free(out);
  CHECK(mpe_document_fusionner_fichier("/nonexistent/x.docx", MPE_TEXTE("{}"), NULL, 0, "/tmp/x.docx") == MPE_ES, "E/S");

  /* Document space. */
  mpe_octets sp = {0}, sp2 = {0}, lst = {0};
  CHECK(mpe_espace_nouveau("2026-TRV-014", &sp) == MPE_OK, "espace");
  CHECK(mpe_espace_ajouter(sp.donnees, sp.longueur, "generees", "NOT13.docx", docx.donnees, docx.longueur,
                               "2026-03-26T10:00:00+01:00", "NOT13", &sp2) == MPE_OK, "ajout");
  CHECK(mpe_espace_lister(sp2.donnees, sp2.longueur, "generees", &lst) == MPE_OK, "liste");
  CHECK(strstr((const char *)lst.donnees, "\"P000001\"") && strstr((const char *)lst.donnees, "\"taille\""), "pièce listée");
  f = fopen("/tmp/mpe_c_piece", "wb");
  if (f) { fwrite(docx.donnees, 1, docx.longueur, f); fclose(f); }
  CHECK(mpe_espace_exporter_zip(sp2.donnees, sp2.longueur, MPE_TEXTE("[]"), MPE_TEXTE("{\"P000001\": \"/tmp/mpe_c_piece\"}"), "/tmp/mpe_c_espace.zip") == MPE_OK, "zip");
  size_t ziplen = 0;
  char *zipb = read_file("/tmp/mpe_c_espace.zip", &ziplen);
  CHECK(zipb && ziplen > docx.longueur / 2 && zipb[0] == 'P', "zip écrit");
  free(zipb);
  /* Tampered storage. */
  f = fopen("/tmp/mpe_c_piece", "wb");
  if (f) { fwrite("x", 1, 1, f); fclose(f); }
  CHECK(mpe_espace_exporter_zip(sp2.donnees, sp2.longueur, MPE_TEXTE("[\"P000001\"]"), MPE_TEXTE("{\"P000001\": \"/tmp/mpe_c_piece\"}"), "/tmp/mpe_c_espace2.zip") == MPE_PIECE_ALTEREE, "intégrité");
  CHECK(mpe_espace_ajouter(sp.donnees, sp.longueur, "inconnue", "a", NULL, 0, "2026-03-26T10:00:00Z", NULL, &untouched) == MPE_ARGUMENT_INVALIDE, "catégorie");
  CHECK(mpe_espace_ajouter(sp.donnees, sp.longueur, "libres", "../a", NULL, 0, "2026-03-26T10:00:00Z", NULL, &untouched) == MPE_ARGUMENT_INVALIDE, "nom");

  mpe_octets *all[] = {&list, &proc, &docx, &fields, &data, &merged, &tpl, &sp, &sp2, &lst};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) mpe_octets_liberer(all[i]);
  mpe_octets_liberer(&list); /* twice is harmless */

  if (failures) {
    fprintf(stderr, "%d échec(s)\n", failures);
    return 1;
  }
  printf("test_documents.c : OK\n");
  return 0;
}
