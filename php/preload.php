<?php
// opcache.preload de mpe. Sous php-fpm (Debian : ffi.enable=preload), seul le démarrage peut
// déclarer une API FFI ; chaque requête la retrouve ensuite par FFI::scope('MPE')
// (Mpe\Bibliotheque::ffi()). Déploiement conseillé :
//   php php/entete.php > /etc/mpe/mpe_preload.h     (MPE_LIB=/usr/local/lib/libmpe.so.0)
//   ffi.preload=/etc/mpe/mpe_preload.h               (déclare la portée MPE)
//   opcache.enable=1
//   opcache.preload=/chemin/vers/php/preload.php     (charge les classes Mpe\*)
//   opcache.preload_user=www-data
// Sans ffi.preload ni opcache.preload_user (php-fpm lancé sous son utilisateur), ce script
// déclare lui-même la portée.
declare(strict_types=1);

spl_autoload_register(static function (string $classe): void {
    if (str_starts_with($classe, 'Mpe\\')) {
        require __DIR__ . '/src/' . str_replace('\\', '/', substr($classe, 4)) . '.php';
    }
});
foreach (glob(__DIR__ . '/src/*.php') as $f) {
    require_once $f;
}
Mpe\Bibliotheque::precharger();
