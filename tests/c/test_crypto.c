/* C test of the crypto area: key pairs, CMS buffers and files, opening workflow with a
 * progress callback. Run from tests/c/ (fixtures in ../vectors/crypto). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "mpe_test.h"

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "ÉCHEC %s:%d: ", __FILE__, __LINE__); \
  fprintf(stderr, __VA_ARGS__); fprintf(stderr, " (%s)\n", mpe_derniere_erreur() ? mpe_derniere_erreur() : "-"); failures++; } } while (0)

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "lecture %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) { exit(2); }
  fclose(f); buf[n] = 0; *len = (size_t)n; return buf;
}

static void spit(const char *path, const unsigned char *data, size_t len) {
  FILE *f = fopen(path, "wb"); fwrite(data, 1, len, f); fclose(f);
}

static int exists(const char *p) { struct stat st; return stat(p, &st) == 0; }

struct progress { int calls; int saw_key; int saw_done; };
static void on_progress(void *user_data, const char *step_json) {
  struct progress *p = user_data;
  p->calls++;
  if (strstr(step_json, "\"recuperation_cle\"")) p->saw_key = 1;
  if (strstr(step_json, "\"termine\"")) p->saw_done = 1;
}

int main(void) {
  size_t alice_cert_len, alice_key_len, bob_cert_len, bob_key_len, p12_len;
  unsigned char *alice_cert = slurp("../vectors/crypto/alice.cert.pem", &alice_cert_len);
  unsigned char *alice_key = slurp("../vectors/crypto/alice.key.pem", &alice_key_len);
  unsigned char *bob_cert = slurp("../vectors/crypto/bob.cert.pem", &bob_cert_len);
  unsigned char *bob_key = slurp("../vectors/crypto/bob.key.pem", &bob_key_len);
  unsigned char *p12 = slurp("../vectors/crypto/alice.p12", &p12_len);

  /* A key pair as one PEM buffer: certificate then key. */
  size_t alice_len = alice_cert_len + alice_key_len, bob_len = bob_cert_len + bob_key_len;
  unsigned char *alice = malloc(alice_len), *bob = malloc(bob_len);
  memcpy(alice, alice_cert, alice_cert_len); memcpy(alice + alice_cert_len, alice_key, alice_key_len);
  memcpy(bob, bob_cert, bob_cert_len); memcpy(bob + bob_cert_len, bob_key, bob_key_len);
  size_t certs_len = alice_cert_len + bob_cert_len;
  unsigned char *certs = malloc(certs_len);
  memcpy(certs, alice_cert, alice_cert_len); memcpy(certs + alice_cert_len, bob_cert, bob_cert_len);

  const char *msg = "Offre de la société Dupont";
  const char *opts[] = { NULL, "{\"chiffrement\":\"AES-256-CBC\",\"transport\":\"RSA-PKCS1-v1_5\"}" };
  for (int i = 0; i < 2; i++) {
    mpe_octets env = {0}, plain = {0};
    mpe_statut s = mpe_cms_chiffrer((const uint8_t *)msg, strlen(msg), certs, certs_len, (const uint8_t *)opts[i], opts[i] ? strlen(opts[i]) : 0, &env);
    CHECK(s == MPE_OK, "encrypt %d", i);
    s = mpe_cms_dechiffrer(env.donnees, env.longueur, bob, bob_len, NULL, &plain);
    CHECK(s == MPE_OK && plain.longueur == strlen(msg) && memcmp(plain.donnees, msg, plain.longueur) == 0, "decrypt bob %d", i);
    mpe_octets_liberer(&plain);
    s = mpe_cms_dechiffrer(env.donnees, env.longueur, p12, p12_len, "secret", &plain);
    CHECK(s == MPE_OK && plain.longueur == strlen(msg), "decrypt alice p12 %d", i);
    mpe_octets_liberer(&plain);
    mpe_octets_liberer(&env);
  }

  /* Wrong password, wrong key, garbage. */
  mpe_octets out = {0};
  CHECK(mpe_bicle_decrire(p12, p12_len, "faux", &out) == MPE_MOT_DE_PASSE_INCORRECT, "mot de passe");
  CHECK(out.donnees == NULL, "sortie touchée en cas d'erreur");
  mpe_octets env = {0};
  CHECK(mpe_cms_chiffrer((const uint8_t *)"x", 1, alice_cert, alice_cert_len, NULL, 0, &env) == MPE_OK, "encrypt alice");
  CHECK(mpe_cms_dechiffrer(env.donnees, env.longueur, bob, bob_len, NULL, &out) == MPE_AUCUN_DESTINATAIRE, "mauvaise clé");
  CHECK(mpe_cms_dechiffrer((const uint8_t *)"garbage", 7, bob, bob_len, NULL, &out) == MPE_CMS_MALFORME, "garbage");
  CHECK(mpe_cms_dechiffrer(env.donnees, 10, alice, alice_len, NULL, &out) == MPE_TRONQUE, "tronqué");
  CHECK(mpe_cms_dechiffrer(NULL, 5, alice, alice_len, NULL, &out) == MPE_ARGUMENT_INVALIDE, "NULL");
  mpe_octets_liberer(&env);

  /* Files: round trip, then a tampered GCM envelope leaves no output. */
  char dir[] = "/tmp/mpe-c-crypto-XXXXXX";
  CHECK(mkdtemp(dir) != NULL, "mkdtemp");
  char in[256], enc[256], dec[256];
  snprintf(in, sizeof in, "%s/offre.bin", dir);
  snprintf(enc, sizeof enc, "%s/offre.p7m", dir);
  snprintf(dec, sizeof dec, "%s/offre.out", dir);
  size_t big = 1000 * 1000;
  unsigned char *data = malloc(big);
  for (size_t i = 0; i < big; i++) data[i] = (unsigned char)(i * 7);
  spit(in, data, big);
  CHECK(mpe_cms_chiffrer_fichier(in, enc, certs, certs_len, NULL, 0) == MPE_OK, "encrypt_file");
  mpe_octets info = {0};
  CHECK(mpe_cms_dechiffrer_fichier(enc, dec, alice, alice_len, NULL, &info) == MPE_OK, "decrypt_file");
  CHECK(info.donnees && strstr((const char *)info.donnees, "AuthEnvelopedData"), "info");
  mpe_octets_liberer(&info);
  size_t got_len; unsigned char *got = slurp(dec, &got_len);
  CHECK(got_len == big && memcmp(got, data, big) == 0, "contenu");
  free(got); unlink(dec);
  size_t elen; unsigned char *e = slurp(enc, &elen);
  e[elen - 5000] ^= 1; spit(enc, e, elen); free(e);
  CHECK(mpe_cms_dechiffrer_fichier(enc, dec, alice, alice_len, NULL, NULL) == MPE_INTEGRITE_ECHEC, "falsifié");
  CHECK(!exists(dec), "aucune sortie après échec du tag");

  /* Generate a key pair, read it back. */
  mpe_octets gen = {0};
  CHECK(mpe_bicle_generer(MPE_TEXTE("{\"titulaire\":\"Jean DUPONT\"}"), "2026-11-01T00:00:00Z", "pw", &gen) == MPE_OK, "generate");
  CHECK(mpe_bicle_decrire(gen.donnees, gen.longueur, "pw", &out) == MPE_OK && strstr((const char *)out.donnees, "Jean DUPONT"), "info");
  mpe_octets_liberer(&out);
  CHECK(mpe_bicle_exporter_pem(gen.donnees, gen.longueur, "pw", "pw2", &out) == MPE_OK && strstr((const char *)out.donnees, "ENCRYPTED PRIVATE KEY"), "export pem");
  mpe_octets_liberer(&out);
  mpe_octets_liberer(&gen);

  /* Export folder then offline decryption, with and without a progress callback. */
  CHECK(mpe_cms_chiffrer_fichier(in, enc, certs, certs_len, NULL, 0) == MPE_OK, "encrypt_file 2");
  char json[1024], exp[256], outdir[256], outdir2[256];
  snprintf(json, sizeof json, "[{\"consultation\":\"2026-AO-01\",\"id\":\"pli1\",\"chemin\":\"%s\"}]", enc);
  snprintf(exp, sizeof exp, "%s/export", dir);
  snprintf(outdir, sizeof outdir, "%s/ouvertes", dir);
  snprintf(outdir2, sizeof outdir2, "%s/ouvertes2", dir);
  CHECK(mpe_ouverture_exporter(MPE_TEXTE(json), exp, &out) == MPE_OK, "export");
  mpe_octets_liberer(&out);
  struct progress p = {0};
  CHECK(mpe_ouverture_dechiffrer_dossier(exp, alice, alice_len, NULL, outdir, on_progress, &p, &out) == MPE_OK, "hors ligne");
  CHECK(out.donnees && strstr((const char *)out.donnees, "\"ouvertes\":1"), "rapport");
  CHECK(p.calls == 4 && p.saw_key && p.saw_done, "progression (%d appels)", p.calls);
  mpe_octets_liberer(&out);
  CHECK(mpe_ouverture_dechiffrer_dossier(exp, alice, alice_len, NULL, outdir2, NULL, NULL, &out) == MPE_OK, "sans rappel");
  mpe_octets_liberer(&out);

  free(data); free(alice); free(bob); free(certs);
  free(alice_cert); free(alice_key); free(bob_cert); free(bob_key); free(p12);
  if (failures) { fprintf(stderr, "%d échec(s)\n", failures); return 1; }
  printf("test_crypto: 1 passed, 0 failed\n");
  return 0;
}
