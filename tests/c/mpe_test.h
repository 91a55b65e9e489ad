/* Outils des tests C : ce qui n'est pas dans l'API publique (include/mpe.h). */
#ifndef MPE_TEST_H
#define MPE_TEST_H
#include <string.h>
#include "mpe.h"

/* Crochet de test exporté par libmpe mais absent de mpe.h : une panique dans un appel
 * doit devenir MPE_INTERNE. */
mpe_statut mpe_test_panique(uint32_t *sortie);

/* Un texte C (JSON...) passé comme (pointeur, longueur). */
#define MPE_TEXTE(s) (const uint8_t *)(s), strlen(s)

#endif
