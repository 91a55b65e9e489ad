/* C test of the signature ABI: sign the three formats from buffers and paths, verify to a
 * JSON report, two-step flow, timestamp request, bad inputs. Run from tests/c/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mpe.h"

#define V "../vectors/signature/"
static int failures = 0;
#define CHECK(cond, what)                                                        \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, what,        \
              mpe_last_error() ? mpe_last_error() : "-");                        \
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
    mpe_bytes sig = {0}, report = {0};
    mpe_status st = mpe_signature_sign(formats[i], key, key_len, cert, cert_len,
                                       is_pdf ? pdf : (const unsigned char *)data,
                                       is_pdf ? pdf_len : data_len, SIGN_OPTS, &sig);
    CHECK(st == 0 && sig.len > 0, "sign");
    st = mpe_signature_verify(sig.data, sig.len, is_pdf ? NULL : (const unsigned char *)data,
                              is_pdf ? 0 : data_len, vopts, &report);
    CHECK(st == 0, "verify");
    CHECK(report.data && strstr((char *)report.data, "\"statut\":\"VALIDE\"") != NULL, "VALIDE");
    CHECK(report.data && strstr((char *)report.data, "Adapté pour les marchés publics") != NULL, "adapté");
    mpe_bytes_free(&report);
    if (!is_pdf) {
      /* Tampered data: INVALIDE with the integrity code. */
      st = mpe_signature_verify(sig.data, sig.len, (const unsigned char *)"autre", 5, vopts, &report);
      CHECK(st == 0 && report.data && strstr((char *)report.data, "SIGNATURE_INTEGRITE") != NULL, "tampered");
      mpe_bytes_free(&report);
      /* Missing detached file. */
      st = mpe_signature_verify(sig.data, sig.len, NULL, 0, vopts, &report);
      CHECK(st == MPE_FICHIER_SIGNE_MANQUANT, "missing data");
    }
    /* Timestamp request over the signature. */
    mpe_bytes req = {0};
    st = mpe_signature_timestamp_request(sig.data, sig.len, 7, &req);
    CHECK(st == 0 && req.len > 40 && req.data[0] == 0x30, "tsq");
    mpe_bytes_free(&req);
    /* A bad token is refused, nothing written. */
    mpe_bytes bt = {0};
    st = mpe_signature_add_timestamp(sig.data, sig.len, (const unsigned char *)"\x30\x00", 2, &bt);
    CHECK(st == MPE_HORODATAGE_INVALIDE, "bad token");
    CHECK(bt.data == NULL, "no output on error");
    mpe_bytes_free(&sig);
    mpe_bytes_free(&sig); /* a second free is harmless */
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
      mpe_bytes sig = {0}, report = {0};
      mpe_status st = mpe_signature_sign(formats[i], eck, eck_len, ecc, ecc_len,
                                         is_pdf ? pdf : (const unsigned char *)data,
                                         is_pdf ? pdf_len : data_len, SIGN_OPTS, &sig);
      CHECK(st == 0 && sig.len > 0, "sign ECDSA");
      st = mpe_signature_verify(sig.data, sig.len, is_pdf ? NULL : (const unsigned char *)data,
                                is_pdf ? 0 : data_len, vopts, &report);
      CHECK(st == 0 && report.data && strstr((char *)report.data, "\"statut\":\"VALIDE\"") != NULL,
            "ECDSA VALIDE");
      CHECK(report.data && strstr((char *)report.data, "\"schema\":\"ECDSA\"") != NULL, "ECDSA schema");
      mpe_bytes_free(&report);
      mpe_bytes_free(&sig);
    }
    free(eck);
    free(ecc);
  }

  /* Two steps: prepare needs only the certificate; a wrong value is refused. */
  mpe_bytes prepared = {0}, out = {0};
  mpe_status st = mpe_signature_prepare("cades", cert, cert_len, (const unsigned char *)data, data_len,
                                        SIGN_OPTS, &prepared);
  CHECK(st == 0 && prepared.data && strstr((char *)prepared.data, "\"empreinte\"") != NULL, "prepare");
  unsigned char zero[256] = {0};
  st = mpe_signature_assemble((const char *)prepared.data, zero, sizeof zero, &out);
  CHECK(st == MPE_SIGNATURE_INVALIDE && out.data == NULL, "assemble refuses a wrong value");
  mpe_bytes_free(&prepared);

  /* Paths: sign a file, verify it. */
  FILE *f = fopen("/tmp/mpe_c_offre.txt", "wb");
  fputs(data, f);
  fclose(f);
  st = mpe_signature_sign_file("xades", key, key_len, cert, cert_len, "/tmp/mpe_c_offre.txt",
                               "/tmp/mpe_c_offre.xml", "{\"date\":\"2027-01-15T10:00:00Z\"}");
  CHECK(st == 0, "sign_file");
  mpe_bytes report = {0};
  st = mpe_signature_verify_file("/tmp/mpe_c_offre.xml", "/tmp/mpe_c_offre.txt", vopts, &report);
  CHECK(st == 0 && report.data && strstr((char *)report.data, "\"statut\":\"VALIDE\"") != NULL, "verify_file");
  mpe_bytes_free(&report);

  /* Bad inputs: each its code. */
  st = mpe_signature_verify((const unsigned char *)"garbage", 7, NULL, 0, NULL, &report);
  CHECK(st == MPE_SIGNATURE_FORMAT_INCONNU, "garbage");
  st = mpe_signature_sign("cades", (const unsigned char *)"x", 1, cert, cert_len,
                          (const unsigned char *)data, data_len, SIGN_OPTS, &out);
  CHECK(st == MPE_CLE_INVALIDE, "bad key");
  st = mpe_signature_sign("foo", key, key_len, cert, cert_len, (const unsigned char *)data, data_len, SIGN_OPTS, &out);
  CHECK(st == MPE_INVALID_ARGUMENT, "bad format");
  st = mpe_signature_sign("cades", key, key_len, cert, cert_len, (const unsigned char *)data, data_len, "{}", &out);
  CHECK(st == MPE_INVALID_JSON, "missing date");
  st = mpe_signature_sign("pades", key, key_len, cert, cert_len, (const unsigned char *)data, data_len, SIGN_OPTS, &out);
  CHECK(st == MPE_PDF_MALFORME, "not a pdf");
  st = mpe_signature_verify(NULL, 5, NULL, 0, NULL, &report);
  CHECK(st == MPE_INVALID_ARGUMENT, "NULL");
  st = mpe_signature_verify_file("/nonexistent.p7s", NULL, NULL, &report);
  CHECK(st == MPE_IO, "io");
  CHECK(out.data == NULL && report.data == NULL, "outputs untouched on error");

  /* Output names of the reference platform. */
  mpe_bytes name = {0};
  st = mpe_signature_output_name("DC1.pdf", "pades", "2027-01-15T10:00:00Z", 2, &name);
  CHECK(st == 0 && name.data && strcmp((char *)name.data, "DC1 - 20270115110000 - Signature 2.pdf") == 0, "output name");
  mpe_bytes_free(&name);

  remove("/tmp/mpe_c_offre.txt");
  remove("/tmp/mpe_c_offre.xml");
  free(key); free(cert); free(ca); free(pdf); free(vopts);
  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_signature : OK\n");
  return 0;
}
