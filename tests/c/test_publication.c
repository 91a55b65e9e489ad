/* C test of the publication slice of the ABI: the contract notice (subtype 16) of the
 * example consultation written and read back, the pre-check of an incomplete one (a
 * restricted procedure without its minimum number of candidates, BT-50), the buyer's DUME
 * written and read back, the official ESPD-EDM 4.1.0 response compared with its request
 * (MPE_ESPD, else shared/data/espd next to the repository), the eForms SDK's Schematron
 * rules run through a validator handle (MPE_EFORMS_SDK, else shared/data/eforms/1.15.1),
 * shared by two threads, and bad inputs. Run from tests/c/. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Replace the first `avant` of `texte` by `apres` (a new buffer). */
static char *remplacer(const char *texte, const char *avant, const char *apres) {
  const char *p = strstr(texte, avant);
  if (!p) { fprintf(stderr, "« %s » absent\n", avant); exit(2); }
  size_t n = strlen(texte) - strlen(avant) + strlen(apres);
  char *r = malloc(n + 1);
  if (!r) exit(2);
  size_t debut = (size_t)(p - texte);
  memcpy(r, texte, debut);
  strcpy(r + debut, apres);
  strcat(r, p + strlen(avant));
  return r;
}

#define MAINTENANT "2026-11-03T09:00:00Z"

/* One validation on a validator handle, run by a thread (or directly). */
struct validation {
  const mpe_validateur_avis *v;
  const char *xml;
  size_t longueur;
  mpe_statut statut;
  mpe_octets rapport;
};

static void *valider(void *arg) {
  struct validation *x = arg;
  x->statut = mpe_avis_valider(x->v, (const uint8_t *)x->xml, x->longueur, NULL, "2026-11-02T00:00:00Z",
                               &x->rapport);
  return NULL;
}

/* The SDK's own example notices: cn_24_minimal is valid by its report, INVALID_cn_24_multiple
 * fails these three rules among others (examples/reports/INVALID_cn_24_multiple.svrl). Both
 * validated at the same time from two threads on one handle, then bad inputs. */
static void validation_schematron(void) {
  const char *sdk = getenv("MPE_EFORMS_SDK");
  if (!sdk) {
    FILE *f = fopen("../../../shared/data/eforms/1.15.1/schematrons/static/complete-validation.sch", "rb");
    sdk = f ? "../../../shared/data/eforms/1.15.1" : "../../../../shared/data/eforms/1.15.1";
    if (f) fclose(f);
  }
  mpe_validateur_avis *v = NULL;
  mpe_statut st = mpe_avis_validateur_ouvrir(sdk, NULL, &v);
  CHECK(st == MPE_OK && v, "validator: %u %s", st, mpe_derniere_erreur());
  if (!v) return;
  char chemin[1024];
  struct validation bon = {.v = v}, mauvais = {.v = v};
  snprintf(chemin, sizeof chemin, "%s/examples/notices/cn_24_minimal.xml", sdk);
  char *xml_bon = read_file(chemin, &bon.longueur);
  bon.xml = xml_bon;
  snprintf(chemin, sizeof chemin, "%s/examples/invalid-notices/INVALID_cn_24_multiple.xml", sdk);
  char *xml_mauvais = read_file(chemin, &mauvais.longueur);
  mauvais.xml = xml_mauvais;
  pthread_t fil;
  CHECK(pthread_create(&fil, NULL, valider, &mauvais) == 0, "thread");
  valider(&bon);
  pthread_join(fil, NULL);
  const char *r = (const char *)bon.rapport.donnees;
  CHECK(bon.statut == MPE_OK && r && strstr(r, "\"valide\":true") && strstr(r, "\"echecs\":[]") &&
            strstr(r, "\"phase\":\"eforms-16\"") && strstr(r, "\"version_sdk\":\"1.15.1\""),
        "valid example: %u %.300s", bon.statut, r ? r : mpe_derniere_erreur());
  r = (const char *)mauvais.rapport.donnees;
  CHECK(mauvais.statut == MPE_OK && r && strstr(r, "\"valide\":false") &&
            strstr(r, "\"id\":\"BR-BT-00024-0178\"") && strstr(r, "\"id\":\"BT-21-Lot_A\"") &&
            strstr(r, "\"id\":\"ND-Company-16\""),
        "invalid example: %u %.300s", mauvais.statut, r ? r : "");
  mpe_octets_liberer(&bon.rapport);
  mpe_octets_liberer(&mauvais.rapport);

  /* Bad inputs: each its code, nothing written. */
  mpe_octets intact = {0};
  const char *t = "2026-11-02T00:00:00Z";
  st = mpe_avis_valider(NULL, (const uint8_t *)xml_bon, bon.longueur, NULL, t, &intact);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "NULL handle: %u", st);
  st = mpe_avis_valider(v, MPE_TEXTE("<a/>"), NULL, t, &intact);
  CHECK(st == MPE_AVIS_NON_EFORMS, "not eForms: %u", st);
  st = mpe_avis_valider(v, MPE_TEXTE("<ContractNotice"), NULL, t, &intact);
  CHECK(st == MPE_AVIS_ILLISIBLE, "not XML: %u", st);
  st = mpe_avis_valider(v, MPE_TEXTE("\xff\xfe"), NULL, t, &intact);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "not UTF-8: %u", st);
  st = mpe_avis_valider(v, (const uint8_t *)xml_bon, bon.longueur, "eforms-99", t, &intact);
  CHECK(st == MPE_PHASE_INCONNUE, "unknown phase: %u", st);
  st = mpe_avis_valider(v, (const uint8_t *)xml_bon, bon.longueur, NULL, "hier", &intact);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "bad time: %u", st);
  CHECK(intact.donnees == NULL && intact.longueur == 0, "nothing written on error");
  mpe_avis_validateur_liberer(v);
  mpe_avis_validateur_liberer(NULL);

  mpe_validateur_avis *w = NULL;
  st = mpe_avis_validateur_ouvrir("/nonexistent-sdk", NULL, &w);
  CHECK(st == MPE_ES && w == NULL, "missing SDK: %u", st);
  /* A folder whose rules are not Schematron. */
  char dossier[] = "/tmp/mpe-sdk-XXXXXX";
  CHECK(mkdtemp(dossier) != NULL, "mkdtemp");
  char regles[1100];
  snprintf(regles, sizeof regles, "%s/schematrons", dossier);
  mkdir(regles, 0700);
  snprintf(regles, sizeof regles, "%s/schematrons/static", dossier);
  mkdir(regles, 0700);
  snprintf(regles, sizeof regles, "%s/schematrons/static/complete-validation.sch", dossier);
  FILE *f = fopen(regles, "wb");
  CHECK(f != NULL, "write rules");
  if (f) {
    fputs("<pas-schematron/>", f);
    fclose(f);
  }
  st = mpe_avis_validateur_ouvrir(dossier, "essai", &w);
  CHECK(st == MPE_SCHEMATRON_ILLISIBLE && w == NULL, "not Schematron: %u", st);
  unlink(regles);
  snprintf(regles, sizeof regles, "%s/schematrons/static", dossier);
  rmdir(regles);
  snprintf(regles, sizeof regles, "%s/schematrons", dossier);
  rmdir(regles);
  rmdir(dossier);
  free(xml_bon);
  free(xml_mauvais);
}

int main(void) {
  size_t clen, olen, dlen;
  char *consultation = read_file("../../examples/data/consultation.json", &clen);
  char *organisation = read_file("../../examples/data/organisation.json", &olen);
  char *donnees = read_file("../vectors/publication/donnees_avis.json", &dlen);

  /* The contract notice of the example consultation, then read back. */
  mpe_octets avis = {0}, out = {0};
  mpe_statut st = mpe_avis_generer_marche("16", (const uint8_t *)consultation, clen,
                                          (const uint8_t *)organisation, olen,
                                          (const uint8_t *)donnees, dlen, MAINTENANT, &avis);
  CHECK(st == MPE_OK, "avis 16: %u %s", st, mpe_derniere_erreur());
  const char *a = (const char *)avis.donnees;
  CHECK(a && strstr(a, "\"sous_type\":\"16\""), "subtype: %s", a);
  CHECK(a && strstr(a, "notice-subtype\\\">16</cbc:SubTypeCode>"), "XML in the result");
  CHECK(a && strstr(a, "\"avertissements\":[]"), "no warning");

  /* The XML, taken out of the JSON by hand: from <?xml to the closing root. */
  const char *debut = a ? strstr(a, "<?xml") : NULL;
  const char *fin = a ? strstr(a, "</ContractNotice>") : NULL;
  CHECK(debut && fin, "notice XML");
  if (debut && fin) {
    size_t n = (size_t)(fin - debut) + strlen("</ContractNotice>");
    char *xml = malloc(n + 1);
    /* JSON escapes: \" and \n are the only ones in mpe's notices of this consultation. */
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
      if (debut[i] == '\\' && i + 1 < n) {
        i++;
        xml[j++] = debut[i] == 'n' ? '\n' : debut[i];
      } else {
        xml[j++] = debut[i];
      }
    }
    xml[j] = 0;
    st = mpe_avis_lire((const uint8_t *)xml, j, &out);
    CHECK(st == MPE_OK, "read back: %u %s", st, mpe_derniere_erreur());
    const char *r = (const char *)out.donnees;
    CHECK(r && strstr(r, "\"sous_type\":\"16\""), "resume subtype: %s", r);
    CHECK(r && strstr(r, "\"LOT-0003\""), "lots read back: %s", r);
    mpe_octets_liberer(&out);
    /* Not a notice: typed. */
    st = mpe_avis_lire(MPE_TEXTE("<html/>"), &out);
    CHECK(st == MPE_AVIS_NON_EFORMS, "not eForms: %u", st);
    st = mpe_avis_lire(MPE_TEXTE("<ContractNotice"), &out);
    CHECK(st == MPE_AVIS_ILLISIBLE, "truncated: %u", st);
    free(xml);
  }
  mpe_octets_liberer(&avis);

  /* A restricted procedure without BT-50: the pre-check names the field; the writer refuses. */
  char *restreinte = remplacer(consultation, "\"appel_offres_ouvert\"", "\"appel_offres_restreint\"");
  st = mpe_avis_verifier_marche("16", MPE_TEXTE(restreinte), (const uint8_t *)organisation, olen,
                                (const uint8_t *)donnees, dlen, MAINTENANT, &out);
  CHECK(st == MPE_OK, "pre-check: %u %s", st, mpe_derniere_erreur());
  const char *k = (const char *)out.donnees;
  CHECK(k && strstr(k, "\"bt\":\"BT-50-Lot\""), "BT-50 finding: %s", k);
  CHECK(k && strstr(k, "$.consultation.modalites.nombre_minimal_candidats"), "field to fill: %s", k);
  mpe_octets_liberer(&out);
  st = mpe_avis_generer_marche("16", MPE_TEXTE(restreinte), (const uint8_t *)organisation, olen,
                               (const uint8_t *)donnees, dlen, MAINTENANT, &out);
  CHECK(st == MPE_AVIS_INCOMPLET, "incomplete: %u", st);
  /* With it, written. */
  char *complete = remplacer(restreinte, "\"modalites\": {", "\"modalites\": {\"nombre_minimal_candidats\": 5,");
  st = mpe_avis_generer_marche("16", MPE_TEXTE(complete), (const uint8_t *)organisation, olen,
                               (const uint8_t *)donnees, dlen, MAINTENANT, &out);
  CHECK(st == MPE_OK, "restricted with BT-50: %u %s", st, mpe_derniere_erreur());
  CHECK(out.donnees && strstr((const char *)out.donnees, "<cbc:MinimumQuantity>5</cbc:MinimumQuantity>"), "BT-50 written");
  mpe_octets_liberer(&out);
  free(complete);
  free(restreinte);

  /* Bad inputs: typed codes, output untouched. */
  mpe_octets intact = {(uint8_t *)0x1, 7, 7};
  st = mpe_avis_generer_marche("18", (const uint8_t *)consultation, clen, (const uint8_t *)organisation,
                               olen, (const uint8_t *)donnees, dlen, MAINTENANT, &intact);
  CHECK(st == MPE_AVIS_NON_PRIS_EN_CHARGE, "unknown subtype: %u", st);
  st = mpe_avis_generer_marche("29", (const uint8_t *)consultation, clen, (const uint8_t *)organisation,
                               olen, (const uint8_t *)donnees, dlen, MAINTENANT, &intact);
  CHECK(st == MPE_AVIS_NON_PRIS_EN_CHARGE, "result subtype for a contract notice: %u", st);
  st = mpe_avis_generer_marche("17", (const uint8_t *)consultation, clen, (const uint8_t *)organisation,
                               olen, (const uint8_t *)donnees, dlen, MAINTENANT, &intact);
  CHECK(st == MPE_AVIS_NON_PRIS_EN_CHARGE, "17 for a pouvoir adjudicateur: %u", st);
  st = mpe_avis_generer_marche("16", MPE_TEXTE("{"), (const uint8_t *)organisation, olen,
                               (const uint8_t *)donnees, dlen, MAINTENANT, &intact);
  CHECK(st == MPE_JSON_INVALIDE, "malformed JSON: %u", st);
  st = mpe_avis_generer_attribution("29", MPE_TEXTE("[]"), (const uint8_t *)organisation, olen,
                                    (const uint8_t *)donnees, dlen, NULL, 0, MAINTENANT, &intact);
  CHECK(st == MPE_JSON_INVALIDE, "procedure not a state: %u", st);
  st = mpe_avis_generer_marche(NULL, (const uint8_t *)consultation, clen, (const uint8_t *)organisation,
                               olen, (const uint8_t *)donnees, dlen, MAINTENANT, &intact);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "NULL subtype: %u", st);
  CHECK(intact.donnees == (uint8_t *)0x1 && intact.longueur == 7, "output untouched");

  /* The DUME request, 4.1.0, read back. */
  mpe_octets dume = {0};
  st = mpe_dume_generer_demande((const uint8_t *)consultation, clen, (const uint8_t *)organisation, olen,
                                "4.1.0", MAINTENANT, &dume);
  CHECK(st == MPE_OK, "DUME: %u %s", st, mpe_derniere_erreur());
  CHECK(dume.donnees && strstr((const char *)dume.donnees, "\"criteres\":[\"crime-org\""), "criteria: %.200s",
        (const char *)dume.donnees);
  st = mpe_dume_generer_demande((const uint8_t *)consultation, clen, (const uint8_t *)organisation, olen,
                                "3.0.0", MAINTENANT, &intact);
  CHECK(st == MPE_DUME_VERSION_NON_PRISE_EN_CHARGE, "unknown DUME version: %u", st);
  mpe_octets_liberer(&dume);

  /* The official example response against its request: same company, nothing wrong with
   * identity or nature; against the company of another SIRET, flagged. */
  /* The shared data sit next to the repository, or next to the worktrees' folder. */
  const char *espd = getenv("MPE_ESPD");
  if (!espd) {
    FILE *f = fopen("../../../shared/data/espd/4.1.0/examples/ESPD-Request.xml", "rb");
    espd = f ? "../../../shared/data/espd" : "../../../../shared/data/espd";
    if (f) fclose(f);
  }
  char chemin[1024];
  size_t qlen, rlen;
  snprintf(chemin, sizeof chemin, "%s/4.1.0/examples/ESPD-Request.xml", espd);
  char *demande = read_file(chemin, &qlen);
  snprintf(chemin, sizeof chemin, "%s/4.1.0/examples/ESPD-Response.xml", espd);
  char *reponse = read_file(chemin, &rlen);
  st = mpe_dume_lire((const uint8_t *)reponse, rlen, &out);
  CHECK(st == MPE_OK, "read response: %u %s", st, mpe_derniere_erreur());
  CHECK(out.donnees && strstr((const char *)out.donnees, "\"nature\":\"reponse\""), "response");
  /* Its first identifier, for the company of the pli. */
  const char *ids = out.donnees ? strstr((const char *)out.donnees, "\"identifiants\":[\"") : NULL;
  char entreprise[256] = "";
  if (ids) {
    ids += strlen("\"identifiants\":[\"");
    const char *q = strchr(ids, '"');
    snprintf(entreprise, sizeof entreprise, "{\"etranger\":{\"pays\":\"BE\",\"numero\":\"%.*s\"}}", (int)(q - ids), ids);
  }
  CHECK(ids, "identifiers: %s", (const char *)out.donnees);
  mpe_octets_liberer(&out);
  st = mpe_dume_comparer((const uint8_t *)reponse, rlen, (const uint8_t *)demande, qlen, MPE_TEXTE(entreprise), &out);
  CHECK(st == MPE_OK, "compare: %u %s", st, mpe_derniere_erreur());
  CHECK(out.donnees && !strstr((const char *)out.donnees, "\"identite\"") &&
            !strstr((const char *)out.donnees, "\"nature\""), "same company: %s", (const char *)out.donnees);
  mpe_octets_liberer(&out);
  st = mpe_dume_comparer((const uint8_t *)reponse, rlen, (const uint8_t *)demande, qlen,
                         MPE_TEXTE("{\"siret\":\"51802345600024\"}"), &out);
  CHECK(st == MPE_OK, "compare other: %u", st);
  CHECK(out.donnees && strstr((const char *)out.donnees, "\"sujet\":\"identite\""), "other company: %s",
        (const char *)out.donnees);
  mpe_octets_liberer(&out);
  st = mpe_dume_comparer((const uint8_t *)reponse, rlen, (const uint8_t *)demande, qlen,
                         MPE_TEXTE("{\"siret\":\"123\"}"), &intact);
  CHECK(st == MPE_SIRET_INVALIDE, "bad SIRET: %u", st);
  st = mpe_dume_lire(MPE_TEXTE("<a/>"), &intact);
  CHECK(st == MPE_DUME_NON_ESPD, "not ESPD: %u", st);
  free(demande);
  free(reponse);

  validation_schematron();

  free(consultation);
  free(organisation);
  free(donnees);
  if (failures) {
    fprintf(stderr, "%d failure(s)\n", failures);
    return 1;
  }
  printf("test_publication: OK\n");
  return 0;
}
