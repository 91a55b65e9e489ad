/* C test of keys on a token (PKCS#11): a SoftHSM2 token made by tests/pkcs11/jeton_softhsm.sh
 * (pkcs11-tool imports the keys), listed; envelopes `openssl cms -encrypt` makes for its RSA
 * and P-256 certificates decrypted with the keys staying on the token (by label and by
 * id); a CAdES signed on the token that `openssl cms -verify` accepts; a wrong PIN, an
 * unknown token and an unknown key give their typed codes. Run from tests/c/. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mpe_test.h"

static int failures = 0;
#define CHECK(cond, what)                                                        \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "ÉCHEC %s:%d %s (%s)\n", __FILE__, __LINE__, what,        \
              mpe_derniere_erreur() ? mpe_derniere_erreur() : "-");              \
      failures++;                                                                \
    }                                                                            \
  } while (0)

static char dir[] = "/tmp/mpe-c-jeton-XXXXXX";
#define MODULE "/usr/lib/softhsm/libsofthsm2.so"

static void sh(const char *cmd) {
  if (system(cmd) != 0) { fprintf(stderr, "commande en échec : %s\n", cmd); exit(2); }
}

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

static const char PLAIN[] = "Offre chiffrée pour le jeton\n";

static void ouvre(const char *env, const char *reference, const char *acces) {
  char path[1024];
  size_t n;
  snprintf(path, sizeof path, "%s/%s", dir, env);
  unsigned char *e = slurp(path, &n);
  mpe_octets clair = {0}, rapport = {0};
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE(reference), "123456", NULL, 0, &clair, &rapport) == MPE_OK, env);
  CHECK(clair.longueur == strlen(PLAIN) && memcmp(clair.donnees, PLAIN, clair.longueur) == 0, "plaintext");
  CHECK(rapport.donnees && strstr((const char *)rapport.donnees, acces) != NULL, "report names the access");
  mpe_octets_liberer(&clair);
  mpe_octets_liberer(&rapport);
  free(e);
}

int main(void) {
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
  char cmd[4096], path[1024], out[1024];
  snprintf(cmd, sizeof cmd, "../pkcs11/jeton_softhsm.sh %s >/dev/null", dir);
  sh(cmd);
  snprintf(path, sizeof path, "%s/softhsm2.conf", dir);
  setenv("SOFTHSM2_CONF", path, 1);
  snprintf(path, sizeof path, "%s/clair.txt", dir);
  FILE *f = fopen(path, "wb");
  fputs(PLAIN, f);
  fclose(f);
  snprintf(cmd, sizeof cmd,
           "cd %s && openssl cms -encrypt -binary -aes-256-gcm -in clair.txt -outform DER -out rsa.der "
           "-recip cle-rsa.crt.pem -keyopt rsa_padding_mode:oaep && "
           "openssl cms -encrypt -binary -aes256 -in clair.txt -outform DER -out ec.der -recip cle-ec.crt.pem",
           dir);
  sh(cmd);

  mpe_octets liste = {0};
  CHECK(mpe_pkcs11_lister(MODULE, "2026-12-02T00:00:00Z", &liste) == MPE_OK, "list");
  CHECK(liste.donnees && strstr((const char *)liste.donnees, "\"libelle\":\"mpe-test\"") != NULL, "token listed");
  CHECK(liste.donnees && strstr((const char *)liste.donnees, "Jeton cle-rsa") != NULL, "certificate listed");
  CHECK(liste.donnees && strstr((const char *)liste.donnees, "\"adapte\":false") != NULL, "conformity column");
  mpe_octets_liberer(&liste);
  CHECK(mpe_pkcs11_lister("/nonexistent/module.so", "2026-12-02T00:00:00Z", &liste) == MPE_MODULE_PKCS11,
        "missing module");

  ouvre("rsa.der", "{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\",\"cle\":\"cle-rsa\"}", "\"ktri\"");
  ouvre("ec.der", "{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\",\"id\":\"02\"}", "\"kari\"");

  size_t n;
  snprintf(path, sizeof path, "%s/rsa.der", dir);
  unsigned char *e = slurp(path, &n);
  mpe_octets clair = {0};
  const char *ref_rsa = "{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\",\"cle\":\"cle-rsa\"}";
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE(ref_rsa), "000000", NULL, 0, &clair, NULL) == MPE_PIN_INCORRECT,
        "wrong PIN");
  CHECK(clair.donnees == NULL, "no output on error");
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE("{\"module\":\"" MODULE "\",\"jeton\":\"autre\",\"cle\":\"cle-rsa\"}"),
                                 "123456", NULL, 0, &clair, NULL) == MPE_JETON_ABSENT,
        "unknown token");
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE("{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\",\"cle\":\"non\"}"),
                                 "123456", NULL, 0, &clair, NULL) == MPE_CLE_ABSENTE_DU_JETON,
        "unknown key");
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE("{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\"}"), "123456",
                                 NULL, 0, &clair, NULL) == MPE_ARGUMENT_INVALIDE,
        "no key named");
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE("{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\",\"id\":\"zz\"}"),
                                 "123456", NULL, 0, &clair, NULL) == MPE_ARGUMENT_INVALIDE,
        "bad hex id");
  CHECK(mpe_cms_dechiffrer_jeton(e, n, MPE_TEXTE("{\"jeton\":\"mpe-test\"}"), "123456", NULL, 0, &clair, NULL) ==
            MPE_JSON_INVALIDE,
        "reference without module");
  free(e);
  /* File to file. */
  snprintf(out, sizeof out, "%s/rsa.txt", dir);
  mpe_octets rapport = {0};
  CHECK(mpe_cms_dechiffrer_fichier_jeton(path, out, MPE_TEXTE(ref_rsa), "123456", NULL, 0, &rapport) == MPE_OK,
        "file");
  {
    size_t m;
    unsigned char *o = slurp(out, &m);
    CHECK(m == strlen(PLAIN) && memcmp(o, PLAIN, m) == 0, "file plaintext");
    free(o);
    unlink(out);
  }
  mpe_octets_liberer(&rapport);
  CHECK(mpe_cms_dechiffrer_fichier_jeton(path, out, MPE_TEXTE(ref_rsa), "999999", NULL, 0, NULL) == MPE_PIN_INCORRECT,
        "file: wrong PIN");
  CHECK(access(out, F_OK) != 0, "file: nothing written");

  /* Sign on the token (RSA and ECDSA); openssl verifies the CAdES with the token's certificate. */
  const char *refs[] = {ref_rsa, "{\"module\":\"" MODULE "\",\"jeton\":\"mpe-test\",\"cle\":\"cle-ec\"}"};
  const char *certs[] = {"cle-rsa.crt.pem", "cle-ec.crt.pem"};
  for (int i = 0; i < 2; i++) {
    mpe_octets sig = {0};
    CHECK(mpe_signature_signer_jeton("cades", MPE_TEXTE(refs[i]), "123456", NULL, 0, (const uint8_t *)PLAIN,
                                     strlen(PLAIN), MPE_TEXTE("{\"date\":\"2026-12-02T10:00:00Z\",\"forcer\":true}"),
                                     &sig) == MPE_OK,
          "sign on the token");
    snprintf(path, sizeof path, "%s/sig%d.p7s", dir, i);
    f = fopen(path, "wb");
    fwrite(sig.donnees, 1, sig.longueur, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cd %s && openssl cms -verify -binary -inform DER -in sig%d.p7s -content clair.txt -CAfile %s "
             "-purpose any -out /dev/null 2>/dev/null",
             dir, i, certs[i]);
    CHECK(system(cmd) == 0, "openssl cms -verify accepts the token's signature");
    mpe_octets_liberer(&sig);
    snprintf(path, sizeof path, "%s/clair.txt", dir);
    snprintf(out, sizeof out, "%s/clair%d.xml", dir, i);
    CHECK(mpe_signature_signer_fichier_jeton("xades", MPE_TEXTE(refs[i]), "123456", NULL, 0, path, out,
                                             MPE_TEXTE("{\"date\":\"2026-12-02T10:00:00Z\",\"forcer\":true}")) ==
              MPE_OK,
          "sign a file on the token");
    CHECK(access(out, F_OK) == 0, "signed file written");
  }
  mpe_octets sig = {0};
  CHECK(mpe_signature_signer_jeton("cades", MPE_TEXTE(ref_rsa), "000000", NULL, 0, (const uint8_t *)PLAIN,
                                   strlen(PLAIN), MPE_TEXTE("{\"date\":\"2026-12-02T10:00:00Z\",\"forcer\":true}"),
                                   &sig) == MPE_PIN_INCORRECT,
        "sign: wrong PIN");
  CHECK(mpe_signature_signer_jeton("cades", MPE_TEXTE(ref_rsa), "123456", NULL, 0, (const uint8_t *)PLAIN,
                                   strlen(PLAIN),
                                   MPE_TEXTE("{\"date\":\"2026-12-02T10:00:00Z\",\"forcer\":true,\"schema\":\"RSA_PSS\"}"),
                                   &sig) == MPE_ALGORITHME_NON_SUPPORTE,
        "sign: PSS not on the token");
  CHECK(sig.donnees == NULL, "sign: no output on error");

  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd);
  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_jeton : ok\n");
  return 0;
}
