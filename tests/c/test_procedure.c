/* C test of the procedure ABI: plays the shared scenarios of tests/vectors/procedure
 * (the same steps as the Rust and Python tests) and checks that the journal is byte for
 * byte the expected one; then registers, receipts, phase, chain of suites, journal
 * verification (tampering detected) and bad inputs. Run from tests/c/. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpe_test.h"

static int echecs = 0;
#define VERIFIE(cond, ...)                                                     \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "ÉCHEC %s:%d : ", __FILE__, __LINE__);                   \
      fprintf(stderr, __VA_ARGS__);                                            \
      fprintf(stderr, " [%s]\n", mpe_derniere_erreur() ? mpe_derniere_erreur() : "");    \
      echecs++;                                                                \
    }                                                                          \
  } while (0)

typedef struct {
  char *donnees;
  size_t longueur;
} texte;

static void ajouter(texte *t, const uint8_t *d, size_t n) {
  t->donnees = realloc(t->donnees, t->longueur + n + 1);
  if (!t->donnees) abort();
  if (n) memcpy(t->donnees + t->longueur, d, n);
  t->longueur += n;
  t->donnees[t->longueur] = 0;
}

static void remplacer(texte *t, const struct mpe_octets *b) {
  free(t->donnees);
  t->donnees = NULL;
  t->longueur = 0;
  ajouter(t, b->donnees, b->longueur);
}

static char *lire_fichier(const char *chemin, size_t *len) {
  FILE *f = fopen(chemin, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *d = malloc((size_t)n + 1);
  if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) abort();
  d[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return d;
}

static char *ligne(FILE *f, char **buf, size_t *cap) {
  ssize_t n = getline(buf, cap, f);
  if (n < 0) return NULL;
  if (n > 0 && (*buf)[n - 1] == '\n') (*buf)[n - 1] = 0;
  return strdup(*buf);
}

#define U8(s) (const uint8_t *)(s), strlen(s)

/* The context of the last step played (owned). */
static char *dernier_contexte = NULL;

/* Plays a scenario; leaves the final state in `etat`, the state left behind by a suite in
 * `amont`, every journal entry (JSON Lines) in `journal`. */
static void jouer(const char *etapes, texte *etat, texte *amont, texte *journal) {
  FILE *f = fopen(etapes, "r");
  VERIFIE(f != NULL, "ouverture de %s", etapes);
  if (!f) return;
  char *buf = NULL;
  size_t cap = 0;
  char *tete = ligne(f, &buf, &cap), *ctx = ligne(f, &buf, &cap), *consultation = ligne(f, &buf, &cap);
  VERIFIE(tete && strcmp(tete, "CREATION") == 0, "en-tête CREATION");
  struct mpe_octets e = {0}, j = {0}, s = {0}, js = {0};
  mpe_statut st = mpe_procedure_nouvelle(U8(consultation), U8(ctx), &e, &j);
  VERIFIE(st == MPE_OK, "création : %s", mpe_statut_nom(st));
  remplacer(etat, &e);
  ajouter(journal, j.donnees, j.longueur);
  mpe_octets_liberer(&e);
  mpe_octets_liberer(&j);
  free(tete), free(ctx), free(consultation);
  int n = 0;
  for (;; n++) {
    char *entete = ligne(f, &buf, &cap);
    if (!entete) break;
    char *c = ligne(f, &buf, &cap), *corps = ligne(f, &buf, &cap);
    int suite = strncmp(entete, "SUITE ", 6) == 0;
    const char *attendu = strchr(entete, ' ') + 1;
    if (suite)
      st = mpe_procedure_creer_suite((const uint8_t *)etat->donnees, etat->longueur, U8(corps), U8(c), &e, &s, &j, &js);
    else
      st = mpe_procedure_appliquer((const uint8_t *)etat->donnees, etat->longueur, U8(corps), U8(c), &e, &j);
    const char *obtenu = mpe_statut_nom(st);
    VERIFIE(strcmp(obtenu, attendu) == 0, "étape %d : attendu %s, obtenu %s", n, attendu, obtenu);
    if (st == MPE_OK) {
      ajouter(journal, j.donnees, j.longueur);
      if (suite) {
        remplacer(amont, &e);
        remplacer(etat, &s);
        ajouter(journal, js.donnees, js.longueur);
      } else {
        remplacer(etat, &e);
      }
    } else {
      /* Nothing written on failure. */
      VERIFIE(e.donnees == NULL && j.donnees == NULL, "étape %d : sortie écrite malgré l'échec", n);
    }
    mpe_octets_liberer(&e);
    mpe_octets_liberer(&j);
    mpe_octets_liberer(&s);
    mpe_octets_liberer(&js);
    free(dernier_contexte);
    dernier_contexte = strdup(c);
    free(entete), free(c), free(corps);
  }
  free(buf);
  fclose(f);
  VERIFIE(n > 5, "étapes jouées : %d", n);
}

static void comparer(const texte *journal, const char *chemin) {
  size_t n = 0;
  char *attendu = lire_fichier(chemin, &n);
  VERIFIE(attendu && n == journal->longueur && memcmp(attendu, journal->donnees, n) == 0,
          "journal différent de %s (%zu / %zu octets)", chemin, journal->longueur, n);
  free(attendu);
}

int main(void) {
  texte etat = {0}, amont = {0}, journal = {0};
  jouer("../vectors/procedure/scenario.etapes.txt", &etat, &amont, &journal);
  comparer(&journal, "../vectors/procedure/scenario.journal.jsonl");

  const uint8_t *E = (const uint8_t *)etat.donnees;
  struct mpe_octets out = {0};
  /* The journal verifies against the state's head; a changed amount is detected. */
  VERIFIE(mpe_journal_verifier((const uint8_t *)journal.donnees, journal.longueur, E, etat.longueur) == MPE_OK, "journal");
  VERIFIE(mpe_journal_verifier((const uint8_t *)journal.donnees, journal.longueur, NULL, 0) == MPE_OK, "journal sans tête");
  char *altere = strdup(journal.donnees);
  char *m = strstr(altere, "498000");
  VERIFIE(m != NULL, "montant dans le journal");
  if (m) m[1] = '8';
  VERIFIE(mpe_journal_verifier((const uint8_t *)altere, strlen(altere), E, etat.longueur) == MPE_JOURNAL_CORROMPU,
          "altération non détectée");
  VERIFIE(strstr(mpe_derniere_erreur(), "entrée") != NULL, "index de l'entrée altérée");
  free(altere);
  /* Truncated journal: only the head in the state shows it. */
  size_t sans_derniere = journal.longueur - 1;
  while (sans_derniere > 0 && journal.donnees[sans_derniere - 1] != '\n') sans_derniere--;
  VERIFIE(mpe_journal_verifier((const uint8_t *)journal.donnees, sans_derniere, E, etat.longueur) == MPE_JOURNAL_CORROMPU,
          "troncature non détectée");

  VERIFIE(mpe_procedure_lister_registres(E, etat.longueur, &out) == MPE_OK, "registres");
  VERIFIE(out.donnees && strstr((char *)out.donnees, "\"libelle_depots\":\"4 électroniques + 1 papier\""), "libellé des dépôts");
  mpe_octets_liberer(&out);
  VERIFIE(mpe_procedure_calculer_phase(E, etat.longueur, "2027-02-01T00:00:00Z", &out) == MPE_OK, "phase");
  VERIFIE(out.donnees && strcmp((char *)out.donnees, "archivee") == 0, "phase archivée : %s", (char *)out.donnees);
  mpe_octets_liberer(&out);
  VERIFIE(mpe_journal_generer_accuse((const uint8_t *)journal.donnees, journal.longueur, 3, &out) == MPE_OK, "accusé");
  VERIFIE(out.donnees && strstr((char *)out.donnees, "\"sha256\":") && strstr((char *)out.donnees, "\"pli\":3"), "accusé du pli 3");
  mpe_octets_liberer(&out);
  mpe_octets_liberer(&out);
  VERIFIE(mpe_journal_generer_accuse((const uint8_t *)journal.donnees, journal.longueur, 5, &out) == MPE_PLI_INCONNU, "pli papier sans accusé");
  VERIFIE(mpe_procedure_lister_destinataires(E, etat.longueur, "tous", &out) == MPE_OK, "destinataires");
  VERIFIE(out.donnees && strstr((char *)out.donnees, "s.girard@facades-ra.fr"), "destinataire");
  mpe_octets_liberer(&out);

  /* Letters: the register (sent, acknowledged, answered) and its counts. */
  VERIFIE(mpe_procedure_lister_registres(E, etat.longueur, &out) == MPE_OK, "registres");
  VERIFIE(out.donnees && strstr((char *)out.donnees,
                             "\"compteurs_courriers\":{\"envoyes\":1,\"avec_accuse\":1,\"accuses\":1,"
                             "\"en_attente_accuse\":0,\"repondus\":1}"),
          "compteurs des courriers : %s", (char *)out.donnees);
  VERIFIE(out.donnees && strstr((char *)out.donnees, "\"accuse_le\":\"2026-12-18T14:02:00Z\""), "date de l'accusé");
  mpe_octets_liberer(&out);
  /* Recipients pre-filled from the registers. */
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, U8("{}"), &out) == MPE_OK, "destinataires du courrier");
  const char *quatre[] = {"s.girard@facades-ra.fr", "k.benali@menuiseries-lyon.fr", "contact@tve.fr",
                          "a.morel@batir-durable.coop"};
  for (int i = 0; i < 4; i++) VERIFIE(out.donnees && strstr((char *)out.donnees, quatre[i]), "%s", quatre[i]);
  mpe_octets_liberer(&out);
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, U8("{\"pli\":5}"), &out) == MPE_OK, "pli 5");
  VERIFIE(out.donnees && strcmp((char *)out.donnees, "[{\"email\":\"a.morel@batir-durable.coop\",\"raison_sociale\":"
                                               "\"Bâtir Durable SCOP\",\"origines\":[\"depot\"]}]") == 0,
          "courrier de rejet du pli papier 5 : %s", (char *)out.donnees);
  mpe_octets_liberer(&out);
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, U8("{\"lot\":1,\"non_retenus\":true,\"origines\":[\"depot\"]}"),
                                               &out) == MPE_OK,
          "non retenus du lot 1");
  VERIFIE(out.donnees && strstr((char *)out.donnees, "s.girard") && !strstr((char *)out.donnees, "k.benali"),
          "non retenus du lot 1 : %s", (char *)out.donnees);
  mpe_octets_liberer(&out);
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, U8("{\"pli\":99}"), &out) == MPE_PLI_INCONNU, "pli 99");
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, U8("{\"lot\":9}"), &out) == MPE_LOT_INCONNU, "lot 9");
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, U8("{\"origines\":[\"x\"]}"), &out) == MPE_JSON_INVALIDE,
          "origine inconnue");
  VERIFIE(mpe_procedure_lister_destinataires_courrier(E, etat.longueur, NULL, 3, &out) == MPE_ARGUMENT_INVALIDE, "filtre NULL");
  VERIFIE(out.donnees == NULL, "rien d'écrit");
  /* The acknowledgement link opened again after archiving: accepted, nothing recorded;
   * an unknown token: JETON_INCONNU; no letter is recorded on an archived consultation. */
  {
    struct mpe_octets e3 = {0}, j3 = {0};
    VERIFIE(dernier_contexte != NULL, "contexte");
    mpe_statut st = mpe_procedure_appliquer(
        E, etat.longueur, U8("{\"type\":\"accuser_reception_courrier\",\"jeton\":\"Zq3Xv9mT2bK7wR4pL8nY1cH6sD0fG5jA3eU7iO2kQ9t\"}"),
        U8(dernier_contexte), &e3, &j3);
    VERIFIE(st == MPE_OK && j3.longueur == 0, "second accusé : %s, %zu octets de journal", mpe_statut_nom(st), j3.longueur);
    mpe_octets_liberer(&e3);
    mpe_octets_liberer(&j3);
    st = mpe_procedure_appliquer(E, etat.longueur, U8("{\"type\":\"accuser_reception_courrier\",\"jeton\":\"faux\"}"),
                                 U8(dernier_contexte), &e3, &j3);
    VERIFIE(st == MPE_JETON_INCONNU && e3.donnees == NULL, "jeton inconnu : %s", mpe_statut_nom(st));
    st = mpe_procedure_appliquer(E, etat.longueur, U8("{\"type\":\"enregistrer_courrier\",\"evenements\":[]}"),
                                 U8(dernier_contexte), &e3, &j3);
    VERIFIE(st == MPE_PHASE_INCORRECTE, "courrier après archivage : %s", mpe_statut_nom(st));
  }

  /* Bad inputs: typed errors, nothing written. */
  VERIFIE(mpe_procedure_lister_destinataires(E, etat.longueur, "personne", &out) == MPE_ARGUMENT_INVALIDE, "diffusion inconnue");
  VERIFIE(mpe_procedure_lister_registres(U8("{\"phase\":"), &out) == MPE_JSON_INVALIDE, "état tronqué");
  VERIFIE(mpe_procedure_lister_registres(NULL, 3, &out) == MPE_ARGUMENT_INVALIDE, "NULL");
  VERIFIE(mpe_procedure_lister_registres(E, etat.longueur, NULL) == MPE_ARGUMENT_INVALIDE, "sortie NULL");
  VERIFIE(mpe_procedure_calculer_phase(E, etat.longueur, "demain", &out) == MPE_ARGUMENT_INVALIDE, "instant invalide");
  VERIFIE(out.donnees == NULL, "rien d'écrit");
  struct mpe_octets e2 = {0}, j2 = {0};
  VERIFIE(mpe_procedure_appliquer(E, etat.longueur, U8("{\"type\":\"voler\"}"), U8("{}"), &e2, &j2) == MPE_JSON_INVALIDE,
          "action inconnue");
  VERIFIE(mpe_journal_verifier(U8("pas du json\n"), NULL, 0) == MPE_JOURNAL_CORROMPU, "ligne illisible");
  /* An empty journal is not a journal: a procedure always has its opening line. The core
     judges it (the binding passes it on): corrupt. */
  VERIFIE(mpe_journal_verifier(NULL, 0, NULL, 0) == MPE_JOURNAL_CORROMPU, "journal vide");
  VERIFIE(mpe_journal_verifier(U8(""), NULL, 0) == MPE_JOURNAL_CORROMPU, "journal vide (non NULL)");
  VERIFIE(mpe_journal_verifier(U8("\n"), NULL, 0) == MPE_JOURNAL_CORROMPU, "journal blanc");
  VERIFIE(mpe_journal_verifier(U8("  \n"), NULL, 0) == MPE_JOURNAL_CORROMPU, "journal d'espaces");
  VERIFIE(mpe_journal_verifier(U8(""), E, etat.longueur) == MPE_JOURNAL_CORROMPU, "journal vide, tête non vide");
  VERIFIE(mpe_journal_verifier(NULL, 3, NULL, 0) == MPE_ARGUMENT_INVALIDE, "NULL de longueur non nulle");
  VERIFIE(mpe_journal_exporter(U8("[]"), &out) == MPE_OK && out.longueur == 0, "export vide");
  mpe_octets_liberer(&out);

  /* Suites: AOR_C_0611 → AOR_O_0611, the chain listed from either end. */
  texte suite = {0}, candidatures = {0}, journal_suite = {0};
  jouer("../vectors/procedure/suite.etapes.txt", &suite, &candidatures, &journal_suite);
  comparer(&journal_suite, "../vectors/procedure/suite.journal.jsonl");
  texte toutes = {0};
  ajouter(&toutes, (const uint8_t *)"[", 1);
  ajouter(&toutes, (const uint8_t *)suite.donnees, suite.longueur);
  ajouter(&toutes, (const uint8_t *)",", 1);
  ajouter(&toutes, (const uint8_t *)candidatures.donnees, candidatures.longueur);
  ajouter(&toutes, (const uint8_t *)"]", 1);
  const char *ids[] = {"c-2026-0611-o", "c-2026-0611-c"};
  for (int i = 0; i < 2; i++) {
    VERIFIE(mpe_procedure_chainer((const uint8_t *)toutes.donnees, toutes.longueur, ids[i], &out) == MPE_OK, "chaîne");
    const char *c = (const char *)out.donnees;
    VERIFIE(c && strstr(c, "AOR_C_0611") && strstr(c, "AOR_O_0611") &&
                strstr(c, "AOR_C_0611") < strstr(c, "AOR_O_0611"),
            "ordre de la chaîne depuis %s : %s", ids[i], c);
    mpe_octets_liberer(&out);
  }
  VERIFIE(mpe_procedure_chainer((const uint8_t *)toutes.donnees, toutes.longueur, "inconnue", &out) == MPE_REFERENCE_INCONNUE,
          "consultation absente");

  free(etat.donnees), free(amont.donnees), free(journal.donnees), free(dernier_contexte);
  free(suite.donnees), free(candidatures.donnees), free(journal_suite.donnees), free(toutes.donnees);
  if (echecs) {
    fprintf(stderr, "test_procedure : %d échec(s)\n", echecs);
    return 1;
  }
  printf("test_procedure : ok\n");
  return 0;
}
