/* C test of the long-term signature ABI (B-LT, B-LTA): validation data collected from a
 * signed PDF and the host's CRL, added to its /DSS, used by the verification without the
 * host's CRL; a document timestamp prepared (RFC 3161 request) and a wrong token refused.
 * The same for a detached CAdES (the data in its SignedData, the archive timestamp
 * prepared over the signed file) and a detached XAdES (CertificateValues /
 * RevocationValues, archive timestamp). Run from tests/c/. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpe_test.h"

#define V "../vectors/signature/"
static int failures = 0;
#define CHECK(cond, what)                                                        \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, what,        \
              mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");              \
      failures++;                                                                \
    }                                                                            \
  } while (0)

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) { exit(2); }
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* `"cle":"<pem with \n escaped>"` appended at p. */
static char *json_pem(char *p, const char *cle, const unsigned char *pem, size_t n) {
  p += sprintf(p, "\"%s\":\"", cle);
  for (size_t i = 0; i < n; i++) {
    if (pem[i] == '\n') { *p++ = '\\'; *p++ = 'n'; } else { *p++ = (char)pem[i]; }
  }
  *p++ = '"';
  *p = 0;
  return p;
}

static int contient(const mpe_octets *o, const char *s) {
  return o->donnees && memmem(o->donnees, o->longueur, s, strlen(s)) != NULL;
}

int main(void) {
  size_t key_len, cert_len, ca_len, pdf_len, crl_len;
  unsigned char *key = slurp(V "signataire.key", &key_len);
  unsigned char *cert = slurp(V "signataire.pem", &cert_len);
  unsigned char *ca = slurp(V "ca.pem", &ca_len);
  unsigned char *pdf = slurp(V "simple.pdf", &pdf_len);
  unsigned char *crl = slurp(V "crl.pem", &crl_len);

  mpe_octets sig = {0};
  mpe_statut st = mpe_signature_signer("pades", key, key_len, cert, cert_len, pdf, pdf_len,
                                       MPE_TEXTE("{\"date\":\"2027-01-15T10:00:00Z\"}"), &sig);
  CHECK(st == 0, "signer");

  /* Anchors and the CA's CRL: the data to put in the file. */
  char *avec_crl = malloc(ca_len * 2 + crl_len * 2 + 200);
  char *p = avec_crl + sprintf(avec_crl, "{\"date_verification\":\"2027-01-15T12:00:00Z\",");
  p = json_pem(p, "ancres_pem", ca, ca_len);
  *p++ = ',';
  p = json_pem(p, "crls_pem", crl, crl_len);
  sprintf(p, "}");
  mpe_octets donnees = {0};
  st = mpe_signature_collecter_donnees_validation(sig.donnees, sig.longueur, MPE_TEXTE(avec_crl), &donnees);
  CHECK(st == 0 && contient(&donnees, "\"certificats\":[\"") && contient(&donnees, "\"crls\":[\""), "collecter");

  mpe_octets lt = {0};
  st = mpe_signature_ajouter_donnees_validation(sig.donnees, sig.longueur, donnees.donnees, donnees.longueur, &lt);
  CHECK(st == 0 && lt.longueur > sig.longueur && memcmp(lt.donnees, sig.donnees, sig.longueur) == 0,
        "mise à jour incrémentale");
  CHECK(contient(&lt, "/DSS"), "/DSS");

  /* Verified with the anchors only: the CRL comes from the file. */
  char *sans_crl = malloc(ca_len * 2 + 200);
  p = sans_crl + sprintf(sans_crl, "{\"date_verification\":\"2027-01-15T12:00:00Z\",");
  p = json_pem(p, "ancres_pem", ca, ca_len);
  sprintf(p, "}");
  mpe_octets rapport = {0};
  st = mpe_signature_verifier(lt.donnees, lt.longueur, NULL, 0, MPE_TEXTE(sans_crl), &rapport);
  CHECK(st == 0 && contient(&rapport, "\"statut\":\"VALIDE\""), "VALIDE");
  CHECK(contient(&rapport, "\"source\":\"CRL\""), "CRL du /DSS");

  /* Invalid data: typed error, no output. */
  mpe_octets rien = {0};
  st = mpe_signature_ajouter_donnees_validation(sig.donnees, sig.longueur,
                                               MPE_TEXTE("{\"certificats\":[\"AAAA\"]}"), &rien);
  CHECK(st == MPE_DONNEES_VALIDATION_ILLISIBLES && rien.donnees == NULL, "données illisibles");

  /* Document timestamp: the request, then a token over other bytes refused. */
  mpe_octets prep = {0}, lta = {0};
  st = mpe_horodatage_preparer_document(lt.donnees, lt.longueur, 9, &prep);
  CHECK(st == 0 && contient(&prep, "\"requete\":\"") && contient(&prep, "\"empreinte\":\""), "préparer");
  st = mpe_horodatage_finir_document(prep.donnees, prep.longueur, (const unsigned char *)"\x30\x00", 2, &lta);
  CHECK(st == MPE_HORODATAGE_INVALIDE && lta.donnees == NULL, "jeton refusé");

  /* CAdES detached: the data goes to the SignedData, the archive timestamp needs the file. */
  static const unsigned char offre[] = "Offre, lot 1\n";
  const size_t offre_len = sizeof offre - 1;
  mpe_octets p7s = {0}, p7s_lt = {0}, d_cades = {0}, r_cades = {0}, prep_c = {0}, rien_c = {0};
  st = mpe_signature_signer("cades", key, key_len, cert, cert_len, offre, offre_len,
                            MPE_TEXTE("{\"date\":\"2027-01-15T10:00:00Z\"}"), &p7s);
  CHECK(st == 0, "signer CAdES");
  st = mpe_signature_collecter_donnees_validation(p7s.donnees, p7s.longueur, MPE_TEXTE(avec_crl), &d_cades);
  CHECK(st == 0 && contient(&d_cades, "\"crls\":[\""), "collecter CAdES");
  st = mpe_signature_ajouter_donnees_validation(p7s.donnees, p7s.longueur, d_cades.donnees, d_cades.longueur, &p7s_lt);
  CHECK(st == 0 && p7s_lt.longueur > p7s.longueur, "ajouter CAdES");
  st = mpe_signature_verifier(p7s_lt.donnees, p7s_lt.longueur, offre, offre_len, MPE_TEXTE(sans_crl), &r_cades);
  CHECK(st == 0 && contient(&r_cades, "\"statut\":\"VALIDE\"") && contient(&r_cades, "\"source\":\"CRL\""),
        "CAdES VALIDE, CRL du SignedData");
  st = mpe_horodatage_preparer_document(p7s_lt.donnees, p7s_lt.longueur, 9, &rien_c);
  CHECK(st == MPE_FICHIER_SIGNE_MANQUANT && rien_c.donnees == NULL, "CAdES détachée sans fichier");
  st = mpe_horodatage_preparer_document_detache(p7s_lt.donnees, p7s_lt.longueur, offre, offre_len, 9, &prep_c);
  CHECK(st == 0 && contient(&prep_c, "\"requete\":\"") && contient(&prep_c, "\"index_archive\":\""),
        "préparer l'horodatage d'archive");
  st = mpe_horodatage_finir_document(prep_c.donnees, prep_c.longueur, (const unsigned char *)"\x30\x00", 2, &rien_c);
  CHECK(st == MPE_HORODATAGE_INVALIDE && rien_c.donnees == NULL, "jeton refusé (CAdES)");

  mpe_octets_liberer(&prep_c);
  mpe_octets_liberer(&r_cades);
  mpe_octets_liberer(&p7s_lt);
  mpe_octets_liberer(&d_cades);
  mpe_octets_liberer(&p7s);

  /* XAdES (detached): validation data in its unsigned properties, nothing signed changed;
   * the archive timestamp needs the signed document. */
  static const unsigned char offre_x[] = "Offre de l'entreprise Test\n";
  mpe_octets xades = {0}, xlt = {0}, xprep = {0}, xrapport = {0};
  st = mpe_signature_signer("xades", key, key_len, cert, cert_len, offre_x, sizeof offre_x - 1,
                            MPE_TEXTE("{\"date\":\"2027-01-15T10:00:00Z\",\"nom_fichier\":\"offre.txt\"}"),
                            &xades);
  CHECK(st == 0, "signer xades");
  st = mpe_signature_ajouter_donnees_validation(xades.donnees, xades.longueur, donnees.donnees, donnees.longueur,
                                               &xlt);
  CHECK(st == 0 && contient(&xlt, "<xades:CertificateValues>") && contient(&xlt, "<xades:CRLValues>"),
        "xades B-LT");
  const char *si = xades.donnees ? memmem(xades.donnees, xades.longueur, "<ds:SignedInfo>", 15) : NULL;
  const char *si_fin = xades.donnees ? memmem(xades.donnees, xades.longueur, "</ds:SignedInfo>", 16) : NULL;
  CHECK(si && si_fin && xlt.donnees && memmem(xlt.donnees, xlt.longueur, si, (size_t)(si_fin - si)),
        "SignedInfo inchangé");
  st = mpe_signature_verifier(xlt.donnees, xlt.longueur, offre_x, sizeof offre_x - 1, MPE_TEXTE(sans_crl), &xrapport);
  CHECK(st == 0 && contient(&xrapport, "\"statut\":\"VALIDE\"") && contient(&xrapport, "\"source\":\"CRL\""),
        "xades VALIDE avec la CRL du fichier");
  mpe_octets rien2 = {0};
  st = mpe_horodatage_preparer_document(xlt.donnees, xlt.longueur, 9, &rien2);
  CHECK(st != 0 && rien2.donnees == NULL, "archive sans le document refusée");
  st = mpe_horodatage_preparer_document_detache(xlt.donnees, xlt.longueur, offre_x, sizeof offre_x - 1, 9, &xprep);
  CHECK(st == 0 && contient(&xprep, "\"requete\":\"") && contient(&xprep, "\"xml\":\""),
        "préparer l'horodatage d'archive");
  mpe_octets xlta = {0};
  st = mpe_horodatage_finir_document(xprep.donnees, xprep.longueur, (const unsigned char *)"\x30\x00", 2, &xlta);
  CHECK(st == MPE_HORODATAGE_INVALIDE && xlta.donnees == NULL, "jeton d'archive refusé");
  mpe_octets_liberer(&xrapport);
  mpe_octets_liberer(&xprep);
  mpe_octets_liberer(&xlt);
  mpe_octets_liberer(&xades);

  mpe_octets_liberer(&prep);
  mpe_octets_liberer(&rapport);
  mpe_octets_liberer(&lt);
  mpe_octets_liberer(&donnees);
  mpe_octets_liberer(&sig);
  free(avec_crl);
  free(sans_crl);
  free(key);
  free(cert);
  free(ca);
  free(pdf);
  free(crl);
  if (failures) {
    fprintf(stderr, "%d échec(s)\n", failures);
    return 1;
  }
  printf("test_long_terme : OK\n");
  return 0;
}
