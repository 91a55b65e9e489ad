/* C test of decryption with a key-encryption key (KEKRecipientInfo) and with a password
 * (PasswordRecipientInfo), on envelopes `openssl cms -encrypt -secretkey/-secretkeyid` and
 * `-pwri_password` make here, and of the test signing identity (sign, then verify with its
 * CA as anchor: VALIDE, never adapté). Missing openssl is a failure. */
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

static char dir[] = "/tmp/mpe-c-secret-XXXXXX";

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

#define KEK_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
static const unsigned char KEK[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
                                      16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
static const char PLAIN[] = "Offre de prix, lot 2 : 12 345,67 EUR\n";

int main(void) {
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
  char cmd[4096], path[1024], out[1024];
  snprintf(path, sizeof path, "%s/clair.txt", dir);
  FILE *f = fopen(path, "wb");
  fputs(PLAIN, f);
  fclose(f);
  /* openssl makes both envelopes: AES-256-CBC content, AES-256 key wrap / PBKDF2. */
  snprintf(cmd, sizeof cmd,
           "cd %s && openssl cms -encrypt -binary -aes256 -secretkey " KEK_HEX
           " -secretkeyid 6b656b2d3031 -in clair.txt -outform DER -out kek.der && "
           "openssl cms -encrypt -binary -aes128 -pwri_password 'mot de passe' -in clair.txt -outform DER "
           "-out pwri.der",
           dir);
  sh(cmd);

  size_t n;
  snprintf(path, sizeof path, "%s/kek.der", dir);
  unsigned char *kek = slurp(path, &n);
  size_t nkek = n;
  mpe_octets clair = {0}, rapport = {0};
  CHECK(mpe_cms_dechiffrer_kek(kek, nkek, KEK, 32, (const uint8_t *)"kek-01", 6, NULL, 0, &clair, &rapport) == MPE_OK,
        "KEK");
  CHECK(clair.longueur == strlen(PLAIN) && memcmp(clair.donnees, PLAIN, clair.longueur) == 0, "KEK plaintext");
  CHECK(rapport.donnees && strstr((const char *)rapport.donnees, "\"kekri\"") != NULL, "report names kekri");
  mpe_octets_liberer(&clair);
  mpe_octets_liberer(&rapport);
  CHECK(mpe_cms_dechiffrer_kek(kek, nkek, KEK, 32, (const uint8_t *)"kek-02", 6, NULL, 0, &clair, NULL) ==
            MPE_AUCUN_DESTINATAIRE,
        "KEK: unknown id");
  unsigned char faux[32];
  memcpy(faux, KEK, 32);
  faux[0] ^= 1;
  mpe_statut st = mpe_cms_dechiffrer_kek(kek, nkek, faux, 32, (const uint8_t *)"kek-01", 6, NULL, 0, &clair, NULL);
  CHECK(st != MPE_OK && clair.donnees == NULL, "KEK: wrong key refused, no output");
  CHECK(mpe_cms_dechiffrer_kek(kek, nkek, KEK, 7, (const uint8_t *)"kek-01", 6, NULL, 0, &clair, NULL) != MPE_OK,
        "KEK: 7-byte key refused");
  CHECK(mpe_cms_dechiffrer_kek(kek, nkek, NULL, 32, (const uint8_t *)"kek-01", 6, NULL, 0, &clair, NULL) ==
            MPE_ARGUMENT_INVALIDE,
        "KEK: NULL key");
  /* File to file, and a refused one leaves no file. */
  snprintf(path, sizeof path, "%s/kek.der", dir);
  snprintf(out, sizeof out, "%s/kek.txt", dir);
  CHECK(mpe_cms_dechiffrer_fichier_kek(path, out, KEK, 32, (const uint8_t *)"kek-01", 6, NULL, 0, NULL) == MPE_OK,
        "KEK file");
  {
    size_t m;
    unsigned char *o = slurp(out, &m);
    CHECK(m == strlen(PLAIN) && memcmp(o, PLAIN, m) == 0, "KEK file plaintext");
    free(o);
    unlink(out);
  }
  CHECK(mpe_cms_dechiffrer_fichier_kek(path, out, faux, 32, (const uint8_t *)"kek-01", 6, NULL, 0, NULL) != MPE_OK,
        "KEK file: wrong key");
  CHECK(access(out, F_OK) != 0, "KEK file: nothing written");
  free(kek);

  snprintf(path, sizeof path, "%s/pwri.der", dir);
  unsigned char *pw = slurp(path, &n);
  CHECK(mpe_cms_dechiffrer_mot_de_passe(pw, n, MPE_TEXTE("mot de passe"), NULL, 0, &clair, &rapport) == MPE_OK,
        "PWRI");
  CHECK(clair.longueur == strlen(PLAIN) && memcmp(clair.donnees, PLAIN, clair.longueur) == 0, "PWRI plaintext");
  CHECK(rapport.donnees && strstr((const char *)rapport.donnees, "\"pwri\"") != NULL, "report names pwri");
  mpe_octets_liberer(&clair);
  mpe_octets_liberer(&rapport);
  CHECK(mpe_cms_dechiffrer_mot_de_passe(pw, n, MPE_TEXTE("mot de passf"), NULL, 0, &clair, NULL) ==
            MPE_MOT_DE_PASSE_INCORRECT,
        "PWRI: wrong password");
  CHECK(clair.donnees == NULL, "PWRI: no output on error");
  CHECK(mpe_cms_dechiffrer_mot_de_passe(pw, n, MPE_TEXTE("mot de passe"), MPE_TEXTE("{\"inconnu\":1}"), &clair,
                                        NULL) == MPE_JSON_INVALIDE,
        "PWRI: unknown option");
  snprintf(out, sizeof out, "%s/pwri.txt", dir);
  CHECK(mpe_cms_dechiffrer_fichier_mot_de_passe(path, out, MPE_TEXTE("mot de passe"), NULL, 0, &rapport) == MPE_OK,
        "PWRI file");
  CHECK(rapport.donnees && strstr((const char *)rapport.donnees, "\"taille\"") != NULL, "PWRI file report");
  mpe_octets_liberer(&rapport);
  unlink(out);
  CHECK(mpe_cms_dechiffrer_fichier_mot_de_passe(path, out, MPE_TEXTE("non"), NULL, 0, NULL) ==
            MPE_MOT_DE_PASSE_INCORRECT,
        "PWRI file: wrong password");
  CHECK(access(out, F_OK) != 0, "PWRI file: nothing written");
  free(pw);

  /* The test signing identity: PKCS#12 + CA; sign a CAdES, verify with the CA as anchor. */
  mpe_octets p12 = {0}, ca = {0}, pem = {0}, sig = {0};
  CHECK(mpe_identite_test_generer(MPE_TEXTE("{\"sujet\":\"CN=Jeanne Essai,O=Exemple SA,C=FR\"}"),
                                  "2026-11-01T00:00:00Z", "essai", &p12, &ca) == MPE_OK,
        "test identity");
  CHECK(ca.donnees && strstr((const char *)ca.donnees, "BEGIN CERTIFICATE") != NULL, "CA PEM");
  CHECK(mpe_identite_test_generer(MPE_TEXTE("{\"sujet\":\"\"}"), "2026-11-01T00:00:00Z", "essai", &pem, &sig) ==
            MPE_CHAMP_OBLIGATOIRE,
        "test identity: empty subject");
  CHECK(mpe_identite_test_generer(MPE_TEXTE("{\"sujet\":\"CN=X\"}"), "2026-11-01T00:00:00Z", NULL, &pem, &sig) ==
            MPE_ARGUMENT_INVALIDE,
        "test identity: password required");
  CHECK(mpe_bicle_exporter_pem(p12.donnees, p12.longueur, "essai", NULL, &pem) == MPE_OK, "p12 -> PEM");
  const char *data = "Offre de test\n";
  /* The PEM holds the certificates (signer, then the CA) then the key: each goes alone. */
  const char *cle = strstr((const char *)pem.donnees, "-----BEGIN PRIVATE KEY-----");
  CHECK(cle != NULL, "PEM key");
  size_t ncle = cle ? pem.longueur - (size_t)((const unsigned char *)cle - pem.donnees) : 0;
  CHECK(mpe_signature_signer("cades", (const uint8_t *)cle, ncle, pem.donnees, pem.longueur - ncle,
                             (const uint8_t *)data, strlen(data),
                             MPE_TEXTE("{\"date\":\"2026-11-02T10:00:00Z\"}"), &sig) == MPE_OK,
        "sign with the test identity");
  char *vopts = malloc(ca.longueur * 2 + 200), *p = vopts;
  p += sprintf(p, "{\"date_verification\":\"2026-11-03T12:00:00Z\",\"ancres_pem\":\"");
  for (size_t i = 0; i < ca.longueur; i++) {
    if (ca.donnees[i] == '\n') { *p++ = '\\'; *p++ = 'n'; } else { *p++ = (char)ca.donnees[i]; }
  }
  sprintf(p, "\"}");
  CHECK(mpe_signature_verifier(sig.donnees, sig.longueur, (const uint8_t *)data, strlen(data), MPE_TEXTE(vopts),
                               &rapport) == MPE_OK,
        "verify");
  CHECK(rapport.donnees && strstr((const char *)rapport.donnees, "\"statut\":\"VALIDE\"") != NULL, "VALIDE");
  CHECK(rapport.donnees && strstr((const char *)rapport.donnees, "\"adapte_marches_publics\":false") != NULL,
        "never adapté");
  mpe_octets_liberer(&rapport);
  free(vopts);
  mpe_octets_liberer(&p12);
  mpe_octets_liberer(&ca);
  mpe_octets_liberer(&pem);
  mpe_octets_liberer(&sig);

  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  sh(cmd);
  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_cms_secret : ok\n");
  return 0;
}
