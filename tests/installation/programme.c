/* Un programme C compilé avec `pkg-config --cflags --libs mpe` contre libmpe installée. */
#include <stdio.h>
#include <string.h>
#include <mpe.h>

int main(void) {
  mpe_octets cpv = {0};
  if (mpe_cpv_chercher("45000000-7", &cpv) != MPE_OK) {
    fprintf(stderr, "échec : %s\n", mpe_derniere_erreur());
    return 1;
  }
  int ok = strstr((const char *)cpv.donnees, "\"45000000-7\"") != NULL;
  mpe_octets_liberer(&cpv);
  printf("libmpe %s : %s\n", mpe_version(), ok ? "ok" : "réponse inattendue");
  return ok ? 0 : 1;
}
