#!/usr/bin/env bash
# Side-by-side benchmarks of issue #16 (release builds):
#  1. ECDH P-256 and X25519 envelopes against RSA-2048 envelopes, same file (default 200 MiB),
#     encrypt and decrypt with the `mpe` command (AES-256-GCM): the per-recipient cost must be
#     noise, so the throughputs should match;
#  2. decryption against `openssl cms -decrypt` at 32 MiB (RSA and P-256 recipients);
#  3. raw signing on a SoftHSM2 token (RSA-2048, CKM_RSA_PKCS over a SHA-256 DigestInfo):
#     mpe (`core/examples/jeton_bench.rs`) against `pkcs11-tool --sign -m RSA-PKCS` on the
#     same key and the same 51-byte input, N signatures each, one process per signature for
#     both (load the module, log in, sign: what one pkcs11-tool call is), and mpe's in-session
#     cost per signature beside it.
# Usage: benches/crypto_ec_pkcs11.sh [MiB for 1, default 200] [N for 3, default 1000]
# (SECTIONS=3 runs only the third, SECTIONS=12 the first two.)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
N=${2:-1000}
ROOT=$PWD
if [ -z "${MPE:-}" ]; then
  cargo build -q --release -p mpe-cli
  cargo build -q --release -p mpe --example jeton_bench
fi
# MPE and JB may name other builds (to try the script); the figures are release ones.
MPE=${MPE:-$ROOT/target/release/mpe}
JB=${JB:-$ROOT/target/release/examples/jeton_bench}
W=$(mktemp -d "${BENCH_DIR:-/dev/shm}/mpe-bench-ec.XXXXXX")
trap 'rm -rf "$W"' EXIT
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time manquant (apt-get install time)"; exit 1; }

measure() { # cmd... -> "wall+cpu rss_kb"
  local log=$W/time.log
  rm -f "$W"/*.out "$W"/*.p7m.tmp
  sync
  /usr/bin/time -v "$@" 2>"$log" >/dev/null
  local el rss us sy
  el=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  us=$(grep 'User time' "$log" | awk '{print $NF}')
  sy=$(grep 'System time' "$log" | awk '{print $NF}')
  python3 -c "import sys; p=sys.argv[1].split(':'); s=sum(float(x)*60**i for i,x in enumerate(reversed(p))); print(f'{s:.3f}+{float(sys.argv[3])+float(sys.argv[4]):.3f} {sys.argv[2]}')" "$el" "$rss" "$us" "$sy"
}
best() { # fastest of 3 runs by wall time
  local b="" r
  for _ in 1 2 3; do
    r=$(measure "$@")
    if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if float('${r%%+*}') < float('${b%%+*}') else 1)"; then b=$r; fi
  done
  echo "$b"
}
fmt() { # label mb "wall+cpu rss" -> table row
  python3 -c "
import sys
(w, c), rss, mb = map(float, sys.argv[3].split(' ')[0].split('+')), int(sys.argv[3].split(' ')[1]), float(sys.argv[2])
print(f'| {sys.argv[1]} | {w:.2f} s | {c:.2f} s | {mb / w:.0f} Mo/s | {rss / 1024:.0f} Mo |')
" "$@"
}

cd "$W"
# Keys: RSA-2048 by openssl; P-256 and X25519 key pairs by mpe (X25519 cannot self-sign).
openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key.pem -out rsa.cert.pem -subj /CN=RSA -days 30 \
  -addext keyUsage=keyEncipherment 2>/dev/null
for c in P-256 X25519; do
  "$MPE" -q bicle generer --titulaire "$c" --courbe "$c" --sans-mot-de-passe --dossier . >/dev/null
done
SECTIONS=${SECTIONS:-123}
if [[ $SECTIONS == *1* || $SECTIONS == *2* ]]; then
head -c $((MB * 1024 * 1024)) /dev/urandom > plain.bin
fi
if [[ $SECTIONS == *1* ]]; then
echo "## 1. Enveloppes EC et RSA, ${MB} Mo, AES-256-GCM, commande mpe (meilleure de 3)"
echo
echo '| destinataire et opération | durée | CPU | débit | RSS max |'
echo '|---|---|---|---|---|'
for kind in rsa P-256 X25519; do
  if [ "$kind" = rsa ]; then cert=rsa.cert.pem key=rsa.key.pem; else cert=$kind.cert.pem key=$kind.key.pem; fi
  r=$(best "$MPE" -q chiffrer --destinataire "$cert" plain.bin -o "env-$kind.p7m")
  fmt "$kind : chiffrement" "$MB" "$r"
  r=$(best "$MPE" -q dechiffrer --cle "$key" "env-$kind.p7m" -o dec.out)
  fmt "$kind : déchiffrement" "$MB" "$r"
  "$MPE" -q dechiffrer --cle "$key" "env-$kind.p7m" -o check.bin && cmp plain.bin check.bin && rm check.bin
done
rm -f env-*.p7m
fi

if [[ $SECTIONS == *2* ]]; then
echo
echo "## 2. Déchiffrement, 32 Mo : mpe contre openssl cms -decrypt (meilleure de 3)"
echo
head -c $((32 * 1024 * 1024)) plain.bin > p32.bin
rm -f plain.bin
echo '| destinataire | openssl : durée, CPU, RSS | mpe : durée, CPU, RSS | mpe / openssl (durée) | (CPU) |'
echo '|---|---|---|---|---|'
for kind in rsa P-256; do
  if [ "$kind" = rsa ]; then cert=rsa.cert.pem key=rsa.key.pem; else cert=$kind.cert.pem key=$kind.key.pem; fi
  openssl cms -encrypt -binary -aes-256-gcm -in p32.bin -outform DER -out "o-$kind.cms" -recip "$cert"
  o=$(best openssl cms -decrypt -binary -inform DER -in "o-$kind.cms" -recip "$cert" -inkey "$key" -out o.out)
  m=$(best "$MPE" -q dechiffrer --cle "$key" "o-$kind.cms" -o m.out)
  "$MPE" -q dechiffrer --cle "$key" "o-$kind.cms" -o check.bin && cmp p32.bin check.bin && rm check.bin
  python3 -c "
import sys
(ow, oc), orss = map(float, sys.argv[2].split(' ')[0].split('+')), int(sys.argv[2].split(' ')[1])
(mw, mc), mrss = map(float, sys.argv[3].split(' ')[0].split('+')), int(sys.argv[3].split(' ')[1])
print(f'| {sys.argv[1]} | {ow:.3f} s, {oc:.3f} s, {orss/1024:.0f} Mo | {mw:.3f} s, {mc:.3f} s, {mrss/1024:.0f} Mo | {ow/mw:.2f}× | {oc/max(mc, 0.001):.2f}× |')
" "$kind" "$o" "$m"
done
fi

[[ $SECTIONS == *3* ]] || exit 0
echo
echo "## 3. Signature brute sur SoftHSM2 (RSA-2048, CKM_RSA_PKCS), $N signatures"
echo
"$ROOT/tests/pkcs11/jeton_softhsm.sh" "$W/jeton" >/dev/null
export SOFTHSM2_CONF=$W/jeton/softhsm2.conf
MODULE=/usr/lib/softhsm/libsofthsm2.so
# The DigestInfo of a SHA-256 digest (0x5a * 32): the bytes mpe hands to CKM_RSA_PKCS.
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex('3031300d060960864801650304020105000420') + b'\x5a' * 32)" > di.bin
pkcs11-tool --module "$MODULE" --token-label mpe-test --login --pin 123456 --sign -m RSA-PKCS --id 01 \
  -i di.bin -o sig-outil.bin >/dev/null 2>&1
boucle() { # label cmd... : N runs, wall and CPU of the whole loop
  local label=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$W/boucle.time" bash -c 'for _ in $(seq '"$N"'); do "$@" >/dev/null 2>&1 || exit 1; done' _ "$@"
  read -r e u s < "$W/boucle.time"
  python3 -c "import sys; e,u,s,n=map(float,sys.argv[2:]); print(f'| {sys.argv[1]} | {e:.2f} s | {u+s:.2f} s | {e*1000/n:.2f} ms |')" "$label" "$e" "$u" "$s" "$N"
}
echo '| outil (un processus par signature) | durée totale | CPU | par signature |'
echo '|---|---|---|---|'
boucle "pkcs11-tool --sign -m RSA-PKCS" pkcs11-tool --module "$MODULE" --token-label mpe-test --login --pin 123456 \
  --sign -m RSA-PKCS --id 01 -i di.bin -o sig-outil.bin
boucle "mpe (jeton_bench, N=1)" "$JB" "$MODULE" mpe-test 123456 cle-rsa 1
echo
echo "Dans une seule session (le coût propre de l'opération, sans chargement du module ni connexion) :"
"$JB" "$MODULE" mpe-test 123456 cle-rsa "$N"
