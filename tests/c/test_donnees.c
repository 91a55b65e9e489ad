/* C test of the donnees API: DECP export (valid and refused), streamed import into a store,
 * search, XLSX, OCDS, NULL handling. Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpe_test.h"

static int echecs = 0;
#define VERIFIE(c, msg) do { if (!(c)) { fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, msg, mpe_derniere_erreur() ? mpe_derniere_erreur() : "-"); echecs++; } } while (0)

static const char *CONTRAT =
    "[{\"id\":\"2025-001\",\"categorie\":\"marche\",\"typeContrat\":\"marche\","
    "\"acheteur\":{\"id\":\"21350238800019\",\"nom\":\"Ville de Rennes\"},"
    "\"objet\":\"Réfection de la voirie\",\"nature\":\"Marché\",\"procedure\":\"Appel d'offres ouvert\","
    "\"codeCpv\":\"45233140-2\",\"ccag\":\"Travaux\",\"offresRecues\":3,\"marcheInnovant\":false,"
    "\"attributionAvance\":false,\"typeGroupementOperateurs\":\"Pas de groupement\","
    "\"lieuExecution\":{\"code\":\"35000\",\"typeCode\":\"Code postal\"},"
    "\"titulaires\":[{\"typeIdentifiant\":\"SIRET\",\"id\":\"55204599900869\",\"raisonSociale\":\"Routes SA\"}],"
    "\"montant\":125000,\"dateNotification\":\"2025-03-01\",\"datePublicationDonnees\":\"2025-03-05\","
    "\"dureeMois\":12,\"formePrix\":\"Forfaitaire\",\"typesPrix\":[\"Définitif ferme\"],"
    "\"sousTraitanceDeclaree\":false,\"statut\":\"notifie\",\"provenances\":[\"profilAcheteur\"]}]";

int main(void) {
    mpe_octets out = {0};
    size_t n = strlen(CONTRAT);

    VERIFIE(mpe_decp_exporter_json((const uint8_t *)CONTRAT, n, "2026-01-15", &out) == MPE_OK, "export JSON");
    VERIFIE(out.longueur > 0 && strstr((const char *)out.donnees, "\"contrat-concession\":[]") != NULL, "contenu JSON");
    mpe_octets_liberer(&out);
    mpe_octets_liberer(&out); /* a second free is harmless */

    VERIFIE(mpe_decp_exporter_xml((const uint8_t *)CONTRAT, n, "2026-01-15", &out) == MPE_OK, "export XML");
    VERIFIE(strstr((const char *)out.donnees, "<codeCPV>45233140-2</codeCPV>") != NULL, "contenu XML");
    mpe_octets_liberer(&out);

    /* Date in the future on 2025-03-02: refused, record and field named. */
    VERIFIE(mpe_decp_exporter_json((const uint8_t *)CONTRAT, n, "2025-03-02", &out) == MPE_DECP_INVALIDE, "refus");
    VERIFIE(out.donnees == NULL, "pas de sortie partielle");
    VERIFIE(strstr(mpe_derniere_erreur(), "2025-001") && strstr(mpe_derniere_erreur(), "datePublicationDonnees"), "message");
    VERIFIE(mpe_decp_valider((const uint8_t *)CONTRAT, n, "2025-03-02", &out) == MPE_OK, "vérifier");
    VERIFIE(strstr((const char *)out.donnees, "\"champ\":\"datePublicationDonnees\"") != NULL, "anomalie");
    mpe_octets_liberer(&out);

    VERIFIE(mpe_decp_exporter_json((const uint8_t *)"[{", 2, "2026-01-15", &out) == MPE_JSON_INVALIDE, "JSON invalide");
    VERIFIE(mpe_decp_exporter_json((const uint8_t *)CONTRAT, n, "15/01/2026", &out) == MPE_ARGUMENT_INVALIDE, "date");
    VERIFIE(mpe_decp_exporter_json(NULL, 4, "2026-01-15", &out) == MPE_ARGUMENT_INVALIDE, "NULL");
    VERIFIE(mpe_decp_exporter_json((const uint8_t *)CONTRAT, n, "2026-01-15", NULL) == MPE_ARGUMENT_INVALIDE, "sortie NULL");

    /* Streamed import of dirty data into a store, then the platform's own contract. */
    const char *opts = "{\"maintenant\":\"2026-01-01\"}";
    const char *store = "../../target/ctests/donnees_test.mpedecp";
    VERIFIE(mpe_decp_importer("../vectors/donnees/sale-2019.json", (const uint8_t *)opts, strlen(opts), NULL, store, &out) == MPE_OK, "import");
    VERIFIE(strstr((const char *)out.donnees, "\"rejetes\":2") && strstr((const char *)out.donnees, "\"doublons\":1"), "rapport");
    mpe_octets_liberer(&out);
    VERIFIE(mpe_entrepot_fichier_ajouter(store, (const uint8_t *)CONTRAT, n, &out) == MPE_OK, "ajouter");
    VERIFIE(strstr((const char *)out.donnees, "\"ajoutes\":1") != NULL, "bilan");
    mpe_octets_liberer(&out);
    const char *q = "{\"motsCles\":\"voirie\"}";
    VERIFIE(mpe_entrepot_fichier_chercher(store, (const uint8_t *)q, strlen(q), &out) == MPE_OK, "recherche");
    VERIFIE(strstr((const char *)out.donnees, "\"total\":1") && strstr((const char *)out.donnees, "saisi sur le profil acheteur"), "résultat");
    mpe_octets_liberer(&out);
    VERIFIE(mpe_entrepot_fichier_chercher("../vectors/donnees/sale-2019.json", (const uint8_t *)q, strlen(q), &out) == MPE_ENTREPOT_INVALIDE, "mauvais entrepôt");
    VERIFIE(mpe_decp_importer("../vectors/donnees/absent.json", (const uint8_t *)opts, strlen(opts), NULL, store, &out) == MPE_ES, "fichier absent");

    VERIFIE(mpe_contrat_exporter_xlsx((const uint8_t *)CONTRAT, n, &out) == MPE_OK && out.longueur > 100 && out.donnees[0] == 'P', "xlsx");
    mpe_octets_liberer(&out);
    const char *o = "{\"prefixeOcid\":\"ocds-mpe001\",\"uri\":\"https://x.example/o.json\",\"editeur\":\"Ville\",\"publieLe\":\"2026-01-15T10:00:00Z\"}";
    VERIFIE(mpe_decp_exporter_ocds((const uint8_t *)CONTRAT, n, (const uint8_t *)o, strlen(o), &out) == MPE_OK, "ocds");
    VERIFIE(strstr((const char *)out.donnees, "ocds-mpe001-21350238800019-2025-001") != NULL, "ocid");
    mpe_octets_liberer(&out);
    const char *f = "{\"motsCles\":\"VOIRIE\"}";
    VERIFIE(mpe_contrat_filtrer((const uint8_t *)CONTRAT, n, (const uint8_t *)f, strlen(f), &out) == MPE_OK, "filtrer");
    VERIFIE(strstr((const char *)out.donnees, "2025-001") != NULL, "filtré");
    mpe_octets_liberer(&out);
    const char *a = "{\"numero\":\"X\",\"attributaires\":[]}";
    VERIFIE(mpe_contrat_generer_depuis_attribution((const uint8_t *)a, strlen(a), &out) == MPE_CONTRAT_INCOHERENT, "attribution");

    if (echecs) { fprintf(stderr, "%d échec(s)\n", echecs); return 1; }
    printf("test_donnees.c : tout est passé\n");
    return 0;
}
