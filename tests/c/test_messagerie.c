/* C test of the messagerie ABI: recipients, default letters, preparing a letter into MIME
 * messages, the register and the acknowledgement. Run from tests/c/ (ASan + UBSan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe.h"

static int failures = 0;
#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: échec : %s (%s)\n", __FILE__, __LINE__, #cond, \
              mpe_last_error() ? mpe_last_error() : "-");                    \
      failures++;                                                            \
    }                                                                        \
  } while (0)

static char *lire(const char *chemin, size_t *len) {
  FILE *f = fopen(chemin, "rb");
  if (!f) {
    fprintf(stderr, "impossible d'ouvrir %s\n", chemin);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) exit(2);
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* Copy the value of the first `"cle":"..."` found after `depuis` into `out`. */
static int extraire(const char *json, const char *cle, char *out, size_t cap) {
  char motif[64];
  snprintf(motif, sizeof motif, "\"%s\":\"", cle);
  const char *p = strstr(json, motif);
  if (!p) return 0;
  p += strlen(motif);
  const char *q = strchr(p, '"');
  if (!q || (size_t)(q - p) >= cap) return 0;
  memcpy(out, p, (size_t)(q - p));
  out[q - p] = 0;
  return 1;
}

int main(void) {
  struct mpe_bytes out = {0};

  /* Recipients pasted by an agent. */
  CHECK(mpe_courrier_analyser_destinataires("a@x.fr, b@bâtiment.fr;\nA@X.FR a@x.fr", &out) ==
        MPE_OK);
  CHECK(strstr((const char *)out.data, "\"ascii\":\"b@xn--btiment-pwa.fr\"") != NULL);
  CHECK(strstr((const char *)out.data, "\"email\":\"A@x.fr\"") != NULL);
  mpe_bytes_free(&out);
  struct mpe_bytes intact = {0};
  CHECK(mpe_courrier_analyser_destinataires("ok@x.fr faux@", &intact) == MPE_ADRESSE_INVALIDE);
  CHECK(intact.data == NULL && intact.len == 0); /* untouched on failure */
  CHECK(strstr(mpe_last_error(), "faux@") != NULL);
  CHECK(mpe_courrier_analyser_destinataires(NULL, &out) == MPE_INVALID_ARGUMENT);
  CHECK(mpe_courrier_analyser_destinataires("a@x.fr", NULL) == MPE_INVALID_ARGUMENT);

  /* Registers. */
  const char *reg =
      "{\"contacts\":[{\"raison_sociale\":\"Alpha\",\"email\":\"ao@alpha.fr\","
      "\"origines\":[\"retrait\"]},{\"raison_sociale\":\"Bêta\",\"email\":\"b@beta.fr\","
      "\"origines\":[\"depot\"]}],\"origines\":[\"depot\"]}";
  CHECK(mpe_courrier_destinataires_registres((const uint8_t *)reg, strlen(reg), &out) == MPE_OK);
  CHECK(strstr((const char *)out.data, "b@beta.fr") != NULL);
  CHECK(strstr((const char *)out.data, "alpha") == NULL);
  mpe_bytes_free(&out);

  /* Default rejection letter. */
  size_t clen;
  char *consultation = lire("../../examples/data/consultation.json", &clen);
  CHECK(mpe_courrier_modele("rejet", (const uint8_t *)consultation, clen, 2, &out) == MPE_OK);
  CHECK(strstr((const char *)out.data, "n'a pas été retenue") != NULL);
  CHECK(strstr((const char *)out.data, "Lot n°2") != NULL);
  mpe_bytes_free(&out);
  CHECK(mpe_courrier_modele("inconnu", (const uint8_t *)consultation, clen, 0, &out) ==
        MPE_INVALID_ARGUMENT);
  CHECK(mpe_courrier_modele("rejet", (const uint8_t *)"{", 1, 0, &out) == MPE_INVALID_JSON);
  /* Rejection of a bid: the company's address is pre-filled. */
  const char *ent = "{\"raison_sociale\":\"Isolation Sud\",\"email\":\"ao@isolation-sud.fr\","
                    "\"origines\":[\"depot\"]}";
  CHECK(mpe_courrier_nouveau("rejet", (const uint8_t *)consultation, clen, 1,
                             (const uint8_t *)ent, strlen(ent), &out) == MPE_OK);
  CHECK(strstr((const char *)out.data, "\"email\":\"ao@isolation-sud.fr\"") != NULL);
  CHECK(strstr((const char *)out.data, "\"type_courrier\":\"rejet\"") != NULL);
  mpe_bytes_free(&out);
  CHECK(mpe_courrier_nouveau("libre", (const uint8_t *)consultation, clen, 0, NULL, 0, &out) ==
        MPE_OK);
  CHECK(strstr((const char *)out.data, "\"destinataires\":[]") != NULL);
  mpe_bytes_free(&out);
  free(consultation);

  /* Prepare the letter of the fixture: 2 messages (a duplicate recipient is dropped). */
  size_t dlen;
  char *demande = lire("../vectors/messagerie/demande.json", &dlen);
  struct mpe_bytes envoi = {0};
  CHECK(mpe_courrier_preparer((const uint8_t *)demande, dlen, &envoi) == MPE_OK);
  const char *ej = (const char *)envoi.data;
  CHECK(ej && strstr(ej, "\"evenement\":\"envoye\"") != NULL);

  struct mpe_bytes mime = {0};
  CHECK(mpe_courrier_message(envoi.data, envoi.len, 0, &mime) == MPE_OK);
  CHECK(mime.len > 1000);
  CHECK(memcmp(mime.data, "From: ", 6) == 0);
  /* Text is NUL-terminated only for JSON outputs; search within len. */
  char *m = malloc(mime.len + 1);
  memcpy(m, mime.data, mime.len);
  m[mime.len] = 0;
  CHECK(strstr(m, "\r\nSubject: =?utf-8?") != NULL);
  CHECK(strstr(m, "<ao@xn--menuiseries-rhne-0vb.fr>") != NULL);
  CHECK(strstr(m, "Content-Type: multipart/mixed;") != NULL);
  CHECK(strstr(m, "filename*0*=UTF-8''Cahier%20des%20clauses") != NULL);
  free(m);
  mpe_bytes_free(&mime);
  CHECK(mpe_courrier_message(envoi.data, envoi.len, 1, &mime) == MPE_OK);
  mpe_bytes_free(&mime);
  CHECK(mpe_courrier_message(envoi.data, envoi.len, 2, &mime) == MPE_INVALID_ARGUMENT);
  CHECK(mime.data == NULL);

  /* Register from the sending, acknowledgement with the token of message 0. */
  struct mpe_bytes registre = {0};
  CHECK(mpe_courrier_registre(NULL, 0, envoi.data, envoi.len, &registre) == MPE_OK);
  CHECK(strstr((const char *)registre.data, "\"statut\":\"envoye\"") != NULL);
  char jeton[128];
  CHECK(extraire(ej, "jeton", jeton, sizeof jeton));
  CHECK(strlen(jeton) == 43);
  struct mpe_bytes registre2 = {0}, evenement = {0};
  CHECK(mpe_courrier_accuser_reception(registre.data, registre.len, jeton,
                                       "2026-11-21T09:15:00+01:00", &registre2,
                                       &evenement) == MPE_OK);
  CHECK(strstr((const char *)evenement.data, "\"evenement\":\"ouvert\"") != NULL);
  CHECK(strstr((const char *)registre2.data, "\"statut\":\"ouvert\"") != NULL);
  CHECK(strstr((const char *)registre2.data, "\"accuse_le\":\"2026-11-21T08:15:00Z\"") != NULL);
  struct mpe_bytes r3 = {0}, e3 = {0};
  CHECK(mpe_courrier_accuser_reception(registre2.data, registre2.len, jeton,
                                       "2026-11-21T10:00:00Z", &r3, &e3) == MPE_JETON_INCONNU);
  CHECK(mpe_courrier_accuser_reception(registre2.data, registre2.len, "x", "hier", &r3, &e3) ==
        MPE_INVALID_ARGUMENT);
  CHECK(r3.data == NULL && e3.data == NULL);

  /* An answer to message 1. */
  char message_id[128];
  const char *second = strstr(ej, "\"messages\"");
  CHECK(second != NULL);
  if (second) {
    second = strstr(second + 1, "\"message_id\"");
    if (second) second = strstr(second + 1, "\"message_id\""); /* message 1 */
  }
  CHECK(second && extraire(second, "message_id", message_id, sizeof message_id));
  CHECK(mpe_courrier_enregistrer_reponse(registre2.data, registre2.len, message_id,
                                         "2026-11-22T10:00:00Z", NULL, &r3, &e3) == MPE_OK);
  CHECK(strstr((const char *)r3.data, "\"statut\":\"repondu\"") != NULL);
  mpe_bytes_free(&r3);
  mpe_bytes_free(&e3);
  CHECK(mpe_courrier_enregistrer_reponse(registre2.data, registre2.len, "inconnu@x",
                                         "2026-11-22T10:00:00Z", NULL, &r3,
                                         &e3) == MPE_COURRIER_INCONNU);

  mpe_bytes_free(&registre);
  mpe_bytes_free(&registre2);
  mpe_bytes_free(&evenement);
  mpe_bytes_free(&envoi);

  /* Attachments over the limit: a clear error. */
  char *petit = strstr(demande, "\"domaine_message_id\"");
  CHECK(petit != NULL);
  if (petit) {
    const char *limite = "\"limites\":{\"par_piece\":8,\"total\":100,\"nombre\":5},";
    size_t avant = (size_t)(petit - demande);
    char *d2 = malloc(dlen + strlen(limite) + 1);
    memcpy(d2, demande, avant);
    memcpy(d2 + avant, limite, strlen(limite));
    memcpy(d2 + avant + strlen(limite), petit, dlen - avant + 1);
    CHECK(mpe_courrier_preparer((const uint8_t *)d2, strlen(d2), &envoi) ==
          MPE_PIECE_JOINTE_TROP_GRANDE);
    CHECK(strstr(mpe_last_error(), "Cahier des clauses") != NULL);
    free(d2);
  }
  free(demande);

  /* Safe attachment names. */
  CHECK(mpe_courrier_nom_piece("..\\..\\CCAP été.pdf", &out) == MPE_OK);
  CHECK(strcmp((const char *)out.data, "CCAP été.pdf") == 0);
  mpe_bytes_free(&out);
  mpe_bytes_free(&out); /* twice is harmless */

  if (failures) {
    fprintf(stderr, "test_messagerie : %d échec(s)\n", failures);
    return 1;
  }
  printf("test_messagerie : ok\n");
  return 0;
}
