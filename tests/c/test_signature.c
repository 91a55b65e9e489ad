/* C test of the signature ABI: sign the three formats from buffers and paths, verify to a
 * JSON report, two-step flow, timestamp request, bad inputs. Run from tests/c/. */
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
              mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");                        \
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

static const char *SIGN_OPTS = "{\"date\":\"2027-01-15T10:00:00Z\",\"nom_fichier\":\"offre.txt\"}";

int main(void) {
  size_t key_len, cert_len, ca_len, pdf_len;
  unsigned char *key = slurp(V "signataire.key", &key_len);
  unsigned char *cert = slurp(V "signataire.pem", &cert_len);
  unsigned char *ca = slurp(V "ca.pem", &ca_len);
  unsigned char *pdf = slurp(V "simple.pdf", &pdf_len);
  const char *data = "Offre de prix, lot 1\n";
  size_t data_len = strlen(data);

  /* Verification options: JSON with the CA in PEM (newlines escaped). */
  char *vopts = malloc(ca_len * 2 + 200);
  char *p = vopts;
  p += sprintf(p, "{\"date_verification\":\"2027-01-15T12:00:00Z\",\"ancres_pem\":\"");
  for (size_t i = 0; i < ca_len; i++) {
    if (ca[i] == '\n') { *p++ = '\\'; *p++ = 'n'; } else { *p++ = (char)ca[i]; }
  }
  sprintf(p, "\"}");

  const char *formats[] = {"cades", "xades", "pades"};
  for (int i = 0; i < 3; i++) {
    int is_pdf = i == 2;
    mpe_octets sig = {0}, report = {0};
    mpe_statut st = mpe_signature_signer(formats[i], key, key_len, cert, cert_len,
                                       is_pdf ? pdf : (const unsigned char *)data,
                                       is_pdf ? pdf_len : data_len, MPE_TEXTE(SIGN_OPTS), &sig);
    CHECK(st == 0 && sig.longueur > 0, "sign");
    st = mpe_signature_verifier(sig.donnees, sig.longueur, is_pdf ? NULL : (const unsigned char *)data,
                              is_pdf ? 0 : data_len, MPE_TEXTE(vopts), &report);
    CHECK(st == 0, "verify");
    CHECK(report.donnees && strstr((char *)report.donnees, "\"statut\":\"VALIDE\"") != NULL, "VALIDE");
    CHECK(report.donnees && strstr((char *)report.donnees, "Adapté pour les marchés publics") != NULL, "adapté");
    mpe_octets_liberer(&report);
    if (!is_pdf) {
      /* Tampered data: INVALIDE with the integrity code. */
      st = mpe_signature_verifier(sig.donnees, sig.longueur, (const unsigned char *)"autre", 5, MPE_TEXTE(vopts), &report);
      CHECK(st == 0 && report.donnees && strstr((char *)report.donnees, "SIGNATURE_INTEGRITE") != NULL, "tampered");
      mpe_octets_liberer(&report);
      /* Missing detached file. */
      st = mpe_signature_verifier(sig.donnees, sig.longueur, NULL, 0, MPE_TEXTE(vopts), &report);
      CHECK(st == MPE_FICHIER_SIGNE_MANQUANT, "missing data");
    }
    /* Timestamp request over the signature. */
    mpe_octets req = {0};
    st = mpe_horodatage_generer_requete(sig.donnees, sig.longueur, 7, &req);
    CHECK(st == 0 && req.longueur > 40 && req.donnees[0] == 0x30, "tsq");
    mpe_octets_liberer(&req);
    /* A bad token is refused, nothing written. */
    mpe_octets bt = {0};
    st = mpe_horodatage_ajouter(sig.donnees, sig.longueur, (const unsigned char *)"\x30\x00", 2, &bt);
    CHECK(st == MPE_HORODATAGE_INVALIDE, "bad token");
    CHECK(bt.donnees == NULL, "no output on error");
    mpe_octets_liberer(&sig);
    mpe_octets_liberer(&sig); /* a second free is harmless */
  }

  /* ECDSA P-256 key (PKCS#8) and one in SEC 1 under an ECDSA-signed intermediate. */
  const char *ec_keys[] = {V "ecdsa.key", V "sous-ec.key"};
  const char *ec_certs[] = {V "ecdsa.pem", V "sous-ec.pem"};
  for (int k = 0; k < 2; k++) {
    size_t eck_len, ecc_len;
    unsigned char *eck = slurp(ec_keys[k], &eck_len);
    unsigned char *ecc = slurp(ec_certs[k], &ecc_len);
    for (int i = 0; i < 3; i++) {
      int is_pdf = i == 2;
      mpe_octets sig = {0}, report = {0};
      mpe_statut st = mpe_signature_signer(formats[i], eck, eck_len, ecc, ecc_len,
                                         is_pdf ? pdf : (const unsigned char *)data,
                                         is_pdf ? pdf_len : data_len, MPE_TEXTE(SIGN_OPTS), &sig);
      CHECK(st == 0 && sig.longueur > 0, "sign ECDSA");
      st = mpe_signature_verifier(sig.donnees, sig.longueur, is_pdf ? NULL : (const unsigned char *)data,
                                is_pdf ? 0 : data_len, MPE_TEXTE(vopts), &report);
      CHECK(st == 0 && report.donnees && strstr((char *)report.donnees, "\"statut\":\"VALIDE\"") != NULL,
            "ECDSA VALIDE");
      CHECK(report.donnees && strstr((char *)report.donnees, "\"schema\":\"ECDSA\"") != NULL, "ECDSA schema");
      mpe_octets_liberer(&report);
      mpe_octets_liberer(&sig);
    }
    free(eck);
    free(ecc);
  }

  /* Two steps: prepare needs only the certificate; a wrong value is refused. */
  mpe_octets prepared = {0}, out = {0};
  mpe_statut st = mpe_signature_preparer("cades", cert, cert_len, (const unsigned char *)data, data_len,
                                        MPE_TEXTE(SIGN_OPTS), &prepared);
  CHECK(st == 0 && prepared.donnees && strstr((char *)prepared.donnees, "\"empreinte\"") != NULL, "prepare");
  unsigned char zero[256] = {0};
  st = mpe_signature_assembler(prepared.donnees, prepared.longueur, zero, sizeof zero, &out);
  CHECK(st == MPE_SIGNATURE_INVALIDE && out.donnees == NULL, "assemble refuses a wrong value");
  mpe_octets_liberer(&prepared);

  /* Paths: sign a file, verify it. */
  FILE *f = fopen("/tmp/mpe_c_offre.txt", "wb");
  fputs(data, f);
  fclose(f);
  st = mpe_signature_signer_fichier("xades", key, key_len, cert, cert_len, "/tmp/mpe_c_offre.txt",
                               "/tmp/mpe_c_offre.xml", MPE_TEXTE("{\"date\":\"2027-01-15T10:00:00Z\"}"));
  CHECK(st == 0, "sign_file");
  mpe_octets report = {0};
  st = mpe_signature_verifier_fichier("/tmp/mpe_c_offre.xml", "/tmp/mpe_c_offre.txt", MPE_TEXTE(vopts), &report);
  CHECK(st == 0 && report.donnees && strstr((char *)report.donnees, "\"statut\":\"VALIDE\"") != NULL, "verify_file");
  mpe_octets_liberer(&report);

  /* Bad inputs: each its code. */
  st = mpe_signature_verifier((const unsigned char *)"garbage", 7, NULL, 0, NULL, 0, &report);
  CHECK(st == MPE_SIGNATURE_FORMAT_INCONNU, "garbage");
  st = mpe_signature_signer("cades", (const unsigned char *)"x", 1, cert, cert_len,
                          (const unsigned char *)data, data_len, MPE_TEXTE(SIGN_OPTS), &out);
  CHECK(st == MPE_CLE_INVALIDE, "bad key");
  st = mpe_signature_signer("foo", key, key_len, cert, cert_len, (const unsigned char *)data, data_len, MPE_TEXTE(SIGN_OPTS), &out);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "bad format");
  st = mpe_signature_signer("cades", key, key_len, cert, cert_len, (const unsigned char *)data, data_len, MPE_TEXTE("{}"), &out);
  CHECK(st == MPE_JSON_INVALIDE, "missing date");
  st = mpe_signature_signer("pades", key, key_len, cert, cert_len, (const unsigned char *)data, data_len, MPE_TEXTE(SIGN_OPTS), &out);
  CHECK(st == MPE_PDF_MALFORME, "not a pdf");
  st = mpe_signature_verifier(NULL, 5, NULL, 0, NULL, 0, &report);
  CHECK(st == MPE_ARGUMENT_INVALIDE, "NULL");
  st = mpe_signature_verifier_fichier("/nonexistent.p7s", NULL, NULL, 0, &report);
  CHECK(st == MPE_ES, "io");
  CHECK(out.donnees == NULL && report.donnees == NULL, "outputs untouched on error");

  /* Output names of the reference platform. */
  mpe_octets name = {0};
  st = mpe_signature_nommer_sortie("DC1.pdf", "pades", "2027-01-15T10:00:00Z", 2, &name);
  CHECK(st == 0 && name.donnees && strcmp((char *)name.donnees, "DC1 - 20270115110000 - Signature 2.pdf") == 0, "output name");
  mpe_octets_liberer(&name);

  remove("/tmp/mpe_c_offre.txt");
  remove("/tmp/mpe_c_offre.xml");
  free(key); free(cert); free(ca); free(pdf); free(vopts);
  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_signature : OK\n");
  return 0;
}
