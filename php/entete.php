<?php
// Écrit sur la sortie l'en-tête à précharger par `ffi.preload` (portée MPE, chemin de
// libmpe pris dans MPE_LIB, sinon libmpe.so.0). Voir preload.php.
declare(strict_types=1);

require __DIR__ . '/src/ErreurMpe.php';
require __DIR__ . '/src/ErreurES.php';
require __DIR__ . '/src/Bibliotheque.php';
echo Mpe\Bibliotheque::entetePrechargement();
