/* C test of the messagerie ABI: recipients, default letters, preparing a letter into MIME
 * messages, the register and the acknowledgement. Run from tests/c/ (ASan + UBSan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe_test.h"

static int failures = 0;
#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "%s:%d: échec : %s (%s)\n", __FILE__, __LINE__, #cond, \
              mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");                    \
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
  struct mpe_octets out = {0};

  /* Recipients pasted by an agent. */
  CHECK(mpe_courrier_analyser_destinataires("a@x.fr, b@bâtiment.fr;\nA@X.FR a@x.fr", &out) ==
        MPE_OK);
  CHECK(strstr((const char *)out.donnees, "\"ascii\":\"b@xn--btiment-pwa.fr\"") != NULL);
  CHECK(strstr((const char *)out.donnees, "\"email\":\"A@x.fr\"") != NULL);
  mpe_octets_liberer(&out);
  struct mpe_octets intact = {0};
  CHECK(mpe_courrier_analyser_destinataires("ok@x.fr faux@", &intact) == MPE_ADRESSE_INVALIDE);
  CHECK(intact.donnees == NULL && intact.longueur == 0); /* untouched on failure */
  CHECK(strstr(mpe_derniere_erreur(), "faux@") != NULL);
  CHECK(mpe_courrier_analyser_destinataires(NULL, &out) == MPE_ARGUMENT_INVALIDE);
  CHECK(mpe_courrier_analyser_destinataires("a@x.fr", NULL) == MPE_ARGUMENT_INVALIDE);

  /* Registers. */
  const char *reg =
      "{\"contacts\":[{\"raison_sociale\":\"Alpha\",\"email\":\"ao@alpha.fr\","
      "\"origines\":[\"retrait\"]},{\"raison_sociale\":\"Bêta\",\"email\":\"b@beta.fr\","
      "\"origines\":[\"depot\"]}],\"origines\":[\"depot\"]}";
  CHECK(mpe_courrier_extraire_destinataires((const uint8_t *)reg, strlen(reg), &out) == MPE_OK);
  CHECK(strstr((const char *)out.donnees, "b@beta.fr") != NULL);
  CHECK(strstr((const char *)out.donnees, "alpha") == NULL);
  mpe_octets_liberer(&out);

  /* Default rejection letter. */
  size_t clen;
  char *consultation = lire("../../examples/data/consultation.json", &clen);
  CHECK(mpe_courrier_generer_modele("rejet", (const uint8_t *)consultation, clen, 2, &out) == MPE_OK);
  CHECK(strstr((const char *)out.donnees, "n'a pas été retenue") != NULL);
  CHECK(strstr((const char *)out.donnees, "Lot n°2") != NULL);
  mpe_octets_liberer(&out);
  CHECK(mpe_courrier_generer_modele("inconnu", (const uint8_t *)consultation, clen, 0, &out) ==
        MPE_ARGUMENT_INVALIDE);
  CHECK(mpe_courrier_generer_modele("rejet", (const uint8_t *)"{", 1, 0, &out) == MPE_JSON_INVALIDE);
  /* Rejection of a bid: the company's address is pre-filled. */
  const char *ent = "{\"raison_sociale\":\"Isolation Sud\",\"email\":\"ao@isolation-sud.fr\","
                    "\"origines\":[\"depot\"]}";
  CHECK(mpe_courrier_nouveau("rejet", (const uint8_t *)consultation, clen, 1,
                             (const uint8_t *)ent, strlen(ent), &out) == MPE_OK);
  CHECK(strstr((const char *)out.donnees, "\"email\":\"ao@isolation-sud.fr\"") != NULL);
  CHECK(strstr((const char *)out.donnees, "\"type_courrier\":\"rejet\"") != NULL);
  mpe_octets_liberer(&out);
  CHECK(mpe_courrier_nouveau("libre", (const uint8_t *)consultation, clen, 0, NULL, 0, &out) ==
        MPE_OK);
  CHECK(strstr((const char *)out.donnees, "\"destinataires\":[]") != NULL);
  mpe_octets_liberer(&out);
  free(consultation);

  /* Prepare the letter of the fixture: 2 messages (a duplicate recipient is dropped). */
  size_t dlen;
  char *demande = lire("../vectors/messagerie/demande.json", &dlen);
  struct mpe_octets envoi = {0};
  CHECK(mpe_courrier_preparer((const uint8_t *)demande, dlen, &envoi) == MPE_OK);
  const char *ej = (const char *)envoi.donnees;
  CHECK(ej && strstr(ej, "\"evenement\":\"envoye\"") != NULL);

  struct mpe_octets mime = {0};
  CHECK(mpe_courrier_generer_message(envoi.donnees, envoi.longueur, 0, &mime) == MPE_OK);
  CHECK(mime.longueur > 1000);
  CHECK(memcmp(mime.donnees, "From: ", 6) == 0);
  /* Text is NUL-terminated only for JSON outputs; search within len. */
  char *m = malloc(mime.longueur + 1);
  memcpy(m, mime.donnees, mime.longueur);
  m[mime.longueur] = 0;
  CHECK(strstr(m, "\r\nSubject: =?utf-8?") != NULL);
  CHECK(strstr(m, "<ao@xn--menuiseries-rhne-0vb.fr>") != NULL);
  CHECK(strstr(m, "Content-Type: multipart/mixed;") != NULL);
  CHECK(strstr(m, "filename*0*=UTF-8''Cahier%20des%20clauses") != NULL);
  free(m);
  mpe_octets_liberer(&mime);
  CHECK(mpe_courrier_generer_message(envoi.donnees, envoi.longueur, 1, &mime) == MPE_OK);
  mpe_octets_liberer(&mime);
  CHECK(mpe_courrier_generer_message(envoi.donnees, envoi.longueur, 2, &mime) == MPE_ARGUMENT_INVALIDE);
  CHECK(mime.donnees == NULL);

  /* Register from the sending, acknowledgement with the token of message 0. */
  struct mpe_octets registre = {0};
  CHECK(mpe_courrier_appliquer_evenements(NULL, 0, envoi.donnees, envoi.longueur, &registre) == MPE_OK);
  CHECK(strstr((const char *)registre.donnees, "\"statut\":\"envoye\"") != NULL);
  char jeton[128];
  CHECK(extraire(ej, "jeton", jeton, sizeof jeton));
  CHECK(strlen(jeton) == 43);
  struct mpe_octets registre2 = {0}, evenement = {0};
  CHECK(mpe_courrier_accuser_reception(registre.donnees, registre.longueur, jeton,
                                       "2026-11-21T09:15:00+01:00", &registre2,
                                       &evenement) == MPE_OK);
  CHECK(strstr((const char *)evenement.donnees, "\"evenement\":\"ouvert\"") != NULL);
  CHECK(strstr((const char *)registre2.donnees, "\"statut\":\"ouvert\"") != NULL);
  CHECK(strstr((const char *)registre2.donnees, "\"accuse_le\":\"2026-11-21T08:15:00Z\"") != NULL);
  struct mpe_octets r3 = {0}, e3 = {0};
  CHECK(mpe_courrier_accuser_reception(registre2.donnees, registre2.longueur, jeton,
                                       "2026-11-21T10:00:00Z", &r3, &e3) == MPE_JETON_INCONNU);
  CHECK(mpe_courrier_accuser_reception(registre2.donnees, registre2.longueur, "x", "hier", &r3, &e3) ==
        MPE_ARGUMENT_INVALIDE);
  CHECK(r3.donnees == NULL && e3.donnees == NULL);

  /* An answer to message 1. */
  char message_id[128];
  const char *second = strstr(ej, "\"messages\"");
  CHECK(second != NULL);
  if (second) {
    second = strstr(second + 1, "\"message_id\"");
    if (second) second = strstr(second + 1, "\"message_id\""); /* message 1 */
  }
  CHECK(second && extraire(second, "message_id", message_id, sizeof message_id));
  CHECK(mpe_courrier_enregistrer_reponse(registre2.donnees, registre2.longueur, message_id,
                                         "2026-11-22T10:00:00Z", NULL, &r3, &e3) == MPE_OK);
  CHECK(strstr((const char *)r3.donnees, "\"statut\":\"repondu\"") != NULL);
  mpe_octets_liberer(&r3);
  mpe_octets_liberer(&e3);
  CHECK(mpe_courrier_enregistrer_reponse(registre2.donnees, registre2.longueur, "inconnu@x",
                                         "2026-11-22T10:00:00Z", NULL, &r3,
                                         &e3) == MPE_COURRIER_INCONNU);

  mpe_octets_liberer(&registre);
  mpe_octets_liberer(&registre2);
  mpe_octets_liberer(&evenement);
  mpe_octets_liberer(&envoi);

  /* One message at a time. */
  struct mpe_octets info = {0};
  CHECK(mpe_courrier_preparer_message((const uint8_t *)demande, dlen, 1, &mime, &info) == MPE_OK);
  CHECK(mime.longueur > 1000 && memcmp(mime.donnees, "From: ", 6) == 0);
  CHECK(strstr((const char *)info.donnees, "\"nombre_messages\":2") != NULL);
  CHECK(strstr((const char *)info.donnees, "\"destinataire\":\"contact@alpha-batiment.fr\"") != NULL);
  mpe_octets_liberer(&mime);
  mpe_octets_liberer(&info);
  CHECK(mpe_courrier_preparer_message((const uint8_t *)demande, dlen, 2, &mime, &info) ==
        MPE_ARGUMENT_INVALIDE);
  CHECK(mime.donnees == NULL && info.donnees == NULL);
  CHECK(mpe_courrier_preparer_message((const uint8_t *)demande, dlen, 0, &mime, NULL) ==
        MPE_ARGUMENT_INVALIDE);

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
    CHECK(strstr(mpe_derniere_erreur(), "Cahier des clauses") != NULL);
    free(d2);
  }
  free(demande);

  /* Safe attachment names. */
  CHECK(mpe_courrier_normaliser_nom_piece("..\\..\\CCAP été.pdf", &out) == MPE_OK);
  CHECK(strcmp((const char *)out.donnees, "CCAP été.pdf") == 0);
  mpe_octets_liberer(&out);
  mpe_octets_liberer(&out); /* twice is harmless */

  if (failures) {
    fprintf(stderr, "test_messagerie : %d échec(s)\n", failures);
    return 1;
  }
  printf("test_messagerie : ok\n");
  return 0;
}
