/* C test of mpe_contrat_generer_depuis_decision: the contract of an attributed lot from a stored
 * procedure state, each refusal with its code, no output on error, NULL handling.
 * Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpe_test.h"

static int echecs = 0;
#define VERIFIE(c, msg) do { if (!(c)) { fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, msg, mpe_derniere_erreur() ? mpe_derniere_erreur() : "-"); echecs++; } } while (0)

static char *lire(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "lecture de %s impossible\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "lecture courte\n"); exit(2); }
  fclose(f);
  buf[n] = 0;
  *len = (size_t)n;
  return buf;
}

static mpe_statut contrat(const char *p, size_t pn, const char *o, size_t on, const char *k, uint32_t lot, mpe_octets *out) {
  return mpe_contrat_generer_depuis_decision((const uint8_t *)p, pn, (const uint8_t *)o, on, (const uint8_t *)k, strlen(k), lot, out);
}

int main(void) {
  size_t pn = 0, on = 0;
  char *p = lire("../vectors/contrats/procedure_attribuee.json", &pn);
  char *o = lire("../vectors/contrats/organisation.json", &on);
  const char *k =
      "{\"numero\":\"2026-0611-01\",\"dateNotification\":\"2027-01-05\",\"datePublicationDonnees\":\"2027-01-08\","
      "\"dureeMois\":8,\"formePrix\":\"Forfaitaire\",\"typesPrix\":[\"Définitif ferme\"]}";
  mpe_octets out = {0};

  VERIFIE(contrat(p, pn, o, on, k, 1, &out) == MPE_OK, "lot 1");
  const char *c = (const char *)out.donnees;
  VERIFIE(c && strstr(c, "\"id\":\"2026-0611-01\""), "numéro");
  VERIFIE(c && strstr(c, "\"procedure\":\"Appel d'offres ouvert\""), "procédure");
  VERIFIE(c && strstr(c, "\"typeIdentifiant\":\"SIRET\",\"id\":\"51802345600024\""), "titulaire");
  VERIFIE(c && strstr(c, "\"offresRecues\":2"), "offres reçues");
  VERIFIE(c && strstr(c, "\"montant\":498000.0"), "montant");
  /* The contract exports to DECP. */
  if (c) {
    size_t cn = out.longueur;
    char *liste = malloc(cn + 3);
    liste[0] = '[';
    memcpy(liste + 1, c, cn);
    liste[cn + 1] = ']';
    liste[cn + 2] = 0;
    mpe_octets decp = {0};
    VERIFIE(mpe_decp_exporter_json((const uint8_t *)liste, cn + 2, "2027-01-10", &decp) == MPE_OK, "export DECP");
    VERIFIE(decp.donnees && strstr((const char *)decp.donnees, "\"offresRecues\":2"), "DECP");
    mpe_octets_liberer(&decp);
    free(liste);
  }
  mpe_octets_liberer(&out);

  /* Refusals: each code, and nothing written. */
  VERIFIE(contrat(p, pn, o, on, k, 4, &out) == MPE_LOT_INCONNU, "lot inconnu");
  VERIFIE(out.donnees == NULL, "pas de sortie");
  VERIFIE(contrat(p, pn, o, on, k, 0, &out) == MPE_LOT_INCONNU, "lot 0 d'une consultation allotie");
  const char *reinit =
      "{\"numero\":\"2026-0611-03\",\"decisionDu\":\"2026-12-18T09:30:00Z\"}";
  VERIFIE(contrat(p, pn, o, on, reinit, 3, &out) == MPE_DECISION_REINITIALISEE, "décision réinitialisée");
  VERIFIE(strstr(mpe_derniere_erreur(), "réinitialisée") != NULL, "message");
  VERIFIE(out.donnees == NULL, "pas de sortie");
  const char *sans_numero = "{\"dureeMois\":8}";
  VERIFIE(contrat(p, pn, o, on, sans_numero, 1, &out) == MPE_CONTRAT_INCOHERENT, "sans numéro");
  const char *inconnu = "{\"numero\":\"X\",\"duree\":8}";
  VERIFIE(contrat(p, pn, o, on, inconnu, 1, &out) == MPE_JSON_INVALIDE, "champ inconnu");
  VERIFIE(contrat("{", 1, o, on, k, 1, &out) == MPE_JSON_INVALIDE, "procédure invalide");
  VERIFIE(contrat(p, pn, o, on, k, 1, NULL) == MPE_ARGUMENT_INVALIDE, "sortie NULL");
  VERIFIE(mpe_contrat_generer_depuis_decision(NULL, 3, (const uint8_t *)o, on, (const uint8_t *)k, strlen(k), 1, &out) == MPE_ARGUMENT_INVALIDE, "NULL");

  /* The same state with no decision at all. */
  char *q = malloc(pn + 64);
  const char *marque = "\"decisions\":{";
  char *d = strstr(p, marque);
  VERIFIE(d != NULL, "décisions dans l'état");
  if (d) {
    /* Rename the decisions key: the state then holds no decision at all. */
    size_t avant = (size_t)(d - p);
    memcpy(q, p, avant);
    const char *autre = "\"_decisions\":{";
    memcpy(q + avant, autre, strlen(autre));
    strcpy(q + avant + strlen(autre), d + strlen(marque));
    VERIFIE(contrat(q, strlen(q), o, on, k, 1, &out) == MPE_DECISION_ABSENTE, "pas de décision");
    VERIFIE(out.donnees == NULL, "pas de sortie");
  }
  /* Lot 1 declared sans suite instead: not an attribution. */
  const char *attribue = "{\"type\":\"attribution\",\"attributaires\":[{\"pli\":3,\"montant\":498000}]}";
  const char *sans_suite = "{\"type\":\"sans_suite\",\"motif\":\"abandon du projet\"}";
  d = strstr(p, attribue);
  VERIFIE(d != NULL, "décision du lot 1 dans l'état");
  if (d) {
    size_t avant = (size_t)(d - p);
    memcpy(q, p, avant);
    memcpy(q + avant, sans_suite, strlen(sans_suite));
    strcpy(q + avant + strlen(sans_suite), d + strlen(attribue));
    VERIFIE(contrat(q, strlen(q), o, on, k, 1, &out) == MPE_DECISION_NON_ATTRIBUTION, "sans suite");
    VERIFIE(strstr(mpe_derniere_erreur(), "sans suite") != NULL, "message sans suite");
    VERIFIE(out.donnees == NULL, "pas de sortie");
  }
  free(q);

  free(p);
  free(o);
  if (echecs) { fprintf(stderr, "%d échec(s)\n", echecs); return 1; }
  printf("test_contrats : OK\n");
  return 0;
}
