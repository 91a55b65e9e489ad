#!/usr/bin/env bash
# Le paquet PHP sous php-fpm avec le réglage par défaut de Debian (ffi.enable=preload) :
# préchargement par opcache.preload (php/preload.php), puis une vraie requête FastCGI sur
# la boucle locale (cgi-fcgi) qui exécute php/tests/requete.php. Suppose libmpe construite
# (MPE_LIB, sinon target/release/libmpe.so).
set -euo pipefail
RACINE=$(cd "$(dirname "$0")/../.." && pwd)
FPM=$(command -v php-fpm8.2 || command -v php-fpm)
export MPE_LIB=${MPE_LIB:-$RACINE/target/release/libmpe.so}
T=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
cat > "$T/fpm.conf" <<CONF
[global]
pid = $T/fpm.pid
error_log = $T/fpm.log
daemonize = no
[mpe]
listen = 127.0.0.1:$PORT
pm = static
pm.max_children = 1
catch_workers_output = yes
CONF
# ffi.enable is left at the distribution's default (preload): checked below.
test "$("$FPM" -i 2>/dev/null | sed -n 's/^ffi.enable => \([^ ]*\).*/\1/p')" = preload
php "$RACINE/php/entete.php" > "$T/mpe_preload.h"
"$FPM" -F -R -y "$T/fpm.conf" -d ffi.preload="$T/mpe_preload.h" -d opcache.enable=1 \
  -d opcache.preload="$RACINE/php/preload.php" -d opcache.preload_user=root &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then break; fi
  sleep 0.2
done
REPONSE=$(SCRIPT_FILENAME="$RACINE/php/tests/requete.php" REQUEST_METHOD=GET QUERY_STRING= \
  cgi-fcgi -bind -connect "127.0.0.1:$PORT")
echo "$REPONSE" | sed -n '/^ok\|ÉCHEC\|TOUT\|Fatal\|Warning/p'
echo "$REPONSE" | grep -q '^TOUT EST PASSÉ' || { cat "$T/fpm.log"; exit 1; }
echo "php-fpm (ffi.enable=preload) : ok"
