#!/usr/bin/env bash
# Make a SoftHSM2 token for the binding tests (C, PHP, Java, Python), the same way as
# core/tests/crypto_pkcs11.rs: token "mpe-test" (PIN 123456) in DIR with its own
# DIR/softhsm2.conf, an RSA-2048 key "cle-rsa" (id 01) and a P-256 key "cle-ec" (id 02),
# each with a self-signed certificate (DIR/cle-rsa.crt.pem, DIR/cle-ec.crt.pem) imported by
# OpenSC's pkcs11-tool. Usage: tests/pkcs11/jeton_softhsm.sh DIR. Prints DIR/softhsm2.conf:
# export it as SOFTHSM2_CONF before loading /usr/lib/softhsm/libsofthsm2.so.
# A missing softhsm2-util, pkcs11-tool or openssl is a failure (Debian softhsm2, opensc).
set -euo pipefail
D=$1
MODULE=/usr/lib/softhsm/libsofthsm2.so
mkdir -p "$D/jetons"
cd "$D"
printf 'directories.tokendir = %s/jetons\nobjectstore.backend = file\nlog.level = ERROR\n' "$PWD" > softhsm2.conf
export SOFTHSM2_CONF=$PWD/softhsm2.conf
softhsm2-util --init-token --free --label mpe-test --pin 123456 --so-pin 654321 >/dev/null
for spec in "cle-rsa 01 RSA rsa_keygen_bits:2048 keyEncipherment" "cle-ec 02 EC ec_paramgen_curve:P-256 keyAgreement"; do
  set -- $spec
  nom=$1 id=$2 algo=$3 opt=$4 usage=$5
  openssl genpkey -algorithm "$algo" -pkeyopt "$opt" -out "$nom.pem" 2>/dev/null
  openssl req -new -x509 -key "$nom.pem" -subj "/CN=Jeton $nom" -days 30 \
    -addext "keyUsage=critical,digitalSignature,$usage" -out "$nom.crt.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$nom.pem" -outform DER -out "$nom.der"
  openssl x509 -in "$nom.crt.pem" -outform DER -out "$nom.crt.der"
  # An ECDH key must also allow derivation (CKA_DERIVE).
  usages=()
  [ "$algo" = EC ] && usages=(--usage-sign --usage-derive)
  pkcs11-tool --module "$MODULE" --token-label mpe-test --login --pin 123456 --write-object "$nom.der" \
    --type privkey --id "$id" --label "$nom" "${usages[@]}" >/dev/null 2>&1
  pkcs11-tool --module "$MODULE" --token-label mpe-test --login --pin 123456 --write-object "$nom.crt.der" --type cert \
    --id "$id" --label "$nom" >/dev/null 2>&1
done
echo "$SOFTHSM2_CONF"
