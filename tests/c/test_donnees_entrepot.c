/* C test of the open DECP store (opaque handle): import into a new store, save, open the
 * file once and search it several times, count, errors (bad path, bad JSON criteria, NULL
 * handle), close (NULL is fine). Run from tests/c/ (ASan/UBSan: no leak, no bad access). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mpe_test.h"

static int echecs = 0;
#define VERIFIE(c, msg) do { if (!(c)) { fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, msg, mpe_derniere_erreur() ? mpe_derniere_erreur() : "-"); echecs++; } } while (0)

int main(void) {
    mpe_octets out = {0};
    mpe_entrepot *e = NULL;
    uint64_t nombre = 0;
    const char *opts = "{\"maintenant\":\"2026-01-01\"}";
    const char *store = "../../target/ctests/donnees_entrepot.mpedecp";

    /* A new store in memory, filled from a dirty 2019 file, then saved. */
    VERIFIE(mpe_entrepot_nouveau(&e) == MPE_OK && e != NULL, "nouveau");
    VERIFIE(mpe_entrepot_importer(e, "../vectors/donnees/sale-2019.json", (const uint8_t *)opts, strlen(opts), &out) == MPE_OK, "importer");
    VERIFIE(out.donnees && strstr((const char *)out.donnees, "\"rejetes\":2") && strstr((const char *)out.donnees, "\"doublons\":1"), "rapport");
    mpe_octets_liberer(&out);
    VERIFIE(mpe_entrepot_compter(e, &nombre) == MPE_OK && nombre > 0, "compter");
    uint64_t importes = nombre;
    VERIFIE(mpe_entrepot_ecrire(e, store) == MPE_OK, "enregistrer");
    /* A Linux file name need not be UTF-8: paths cross as bytes. */
    const char *latin1 = "../../target/ctests/entrep\xf4t.mpedecp";
    VERIFIE(mpe_entrepot_ecrire(e, latin1) == MPE_OK, "nom non UTF-8 (écrire)");
    {
        mpe_entrepot *l = NULL;
        uint64_t n = 0;
        VERIFIE(mpe_entrepot_ouvrir(latin1, &l) == MPE_OK && l != NULL, "nom non UTF-8 (ouvrir)");
        VERIFIE(mpe_entrepot_compter(l, &n) == MPE_OK && n == importes, "nom non UTF-8 (relu)");
        mpe_entrepot_liberer(l);
        unlink(latin1);
    }
    VERIFIE(mpe_entrepot_importer(e, "../vectors/donnees/absent.json", (const uint8_t *)opts, strlen(opts), &out) == MPE_ES, "fichier absent");
    VERIFIE(out.donnees == NULL, "pas de sortie sur erreur");
    mpe_entrepot_liberer(e);
    e = NULL;

    /* Open the saved file once, search it twice (nothing reloaded). */
    VERIFIE(mpe_entrepot_ouvrir(store, &e) == MPE_OK && e != NULL, "ouvrir");
    VERIFIE(mpe_entrepot_compter(e, &nombre) == MPE_OK && nombre == importes, "même nombre après relecture");
    const char *tous = "{}";
    VERIFIE(mpe_entrepot_chercher(e, (const uint8_t *)tous, strlen(tous), &out) == MPE_OK, "recherche 1");
    char attendu[64];
    snprintf(attendu, sizeof attendu, "\"total\":%llu", (unsigned long long)importes);
    VERIFIE(strstr((const char *)out.donnees, attendu) && strstr((const char *)out.donnees, "publié sur data.gouv.fr"), "tout");
    mpe_octets_liberer(&out);
    const char *q = "{\"montantMin\":1000000000,\"tri\":\"montantDesc\"}";
    VERIFIE(mpe_entrepot_chercher(e, (const uint8_t *)q, strlen(q), &out) == MPE_OK, "recherche 2");
    VERIFIE(strstr((const char *)out.donnees, "\"total\":0") && strstr((const char *)out.donnees, "\"fiches\":[]"), "aucun montant aberrant (réparé à l'import)");
    mpe_octets_liberer(&out);

    /* Bad criteria: JSON error, the handle stays usable. */
    VERIFIE(mpe_entrepot_chercher(e, (const uint8_t *)"{\"annee\":", 9, &out) == MPE_JSON_INVALIDE, "JSON invalide");
    VERIFIE(out.donnees == NULL, "pas de sortie");
    const char *faux = "{\"tri\":\"auHasard\"}";
    VERIFIE(mpe_entrepot_chercher(e, (const uint8_t *)faux, strlen(faux), &out) == MPE_JSON_INVALIDE, "critère inconnu");
    VERIFIE(mpe_entrepot_chercher(e, (const uint8_t *)tous, strlen(tous), NULL) == MPE_ARGUMENT_INVALIDE, "sortie NULL");
    VERIFIE(mpe_entrepot_chercher(e, (const uint8_t *)tous, strlen(tous), &out) == MPE_OK, "encore utilisable");
    mpe_octets_liberer(&out);
    mpe_entrepot_liberer(e);

    /* Bad paths and NULL handles. */
    mpe_entrepot *x = NULL;
    VERIFIE(mpe_entrepot_ouvrir("../vectors/donnees/absent.mpedecp", &x) == MPE_ES && x == NULL, "chemin absent");
    VERIFIE(mpe_entrepot_ouvrir("../vectors/donnees/sale-2019.json", &x) == MPE_ENTREPOT_INVALIDE && x == NULL, "pas un entrepôt");
    VERIFIE(mpe_entrepot_ouvrir(NULL, &x) == MPE_ARGUMENT_INVALIDE, "chemin NULL");
    VERIFIE(mpe_entrepot_ouvrir(store, NULL) == MPE_ARGUMENT_INVALIDE, "sortie NULL");
    VERIFIE(mpe_entrepot_chercher(NULL, (const uint8_t *)tous, strlen(tous), &out) == MPE_ARGUMENT_INVALIDE, "poignée NULL");
    VERIFIE(strstr(mpe_derniere_erreur(), "entrepot") != NULL, "message");
    VERIFIE(mpe_entrepot_compter(NULL, &nombre) == MPE_ARGUMENT_INVALIDE, "compter NULL");
    VERIFIE(mpe_entrepot_importer(NULL, "../vectors/donnees/sale-2019.json", (const uint8_t *)opts, strlen(opts), &out) == MPE_ARGUMENT_INVALIDE, "importer NULL");
    VERIFIE(mpe_entrepot_ecrire(NULL, store) == MPE_ARGUMENT_INVALIDE, "enregistrer NULL");
    mpe_entrepot_liberer(NULL); /* NULL is fine */

    if (echecs) { fprintf(stderr, "%d échec(s)\n", echecs); return 1; }
    printf("test_donnees_entrepot.c : tout est passé\n");
    return 0;
}
