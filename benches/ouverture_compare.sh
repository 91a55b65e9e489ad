#!/usr/bin/env bash
# Opening of the plis, mpe against a script of independent tools, on the same files.
#
#   benches/ouverture_compare.sh [PLIS] [MO] [DOSSIER]      (defaults: 100 plis, 5 MB)
#
# `ouverture_bench preparer` writes PLIS plis × 3 encrypted envelopes of MO MB each (a PAdES
# PDF, a filler with its detached CAdES, a note with its detached XAdES). Then, each in its
# own process, timed by /usr/bin/time (wall, CPU, peak RSS):
#   1. mpe on 1 thread, 2. mpe on 2 threads (`Procedure::ouvrir_plis_partage`: decrypt,
#      ZIP checks, every signature verified, journal), asserting every signature VALIDE;
#   3. the same work by a script: for each envelope `openssl cms -decrypt`, `unzip`,
#      `pdfsig` (PAdES), `openssl cms -verify` (CAdES), `xmlsec1 --verify` (XAdES), each
#      verdict checked.
# The envelopes are read from the page cache in every run (the preparation just wrote them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PLIS=${1:-100}
MO=${2:-5}
DIR=${3:-$ROOT/target/ouverture-bench}
V=$ROOT/tests/vectors
for t in openssl unzip pdfsig xmlsec1 /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "outil absent : $t" >&2; exit 1; }
done

cargo build -q --release -p mpe --example ouverture_bench
BIN=$ROOT/target/release/examples/ouverture_bench
rm -rf "$DIR"
mkdir -p "$DIR"
"$BIN" preparer "$DIR" "$PLIS" "$MO"
echo "enveloppes : $(find "$DIR/plis" -name '*.p7m' | wc -l), $(du -sm "$DIR/plis" | cut -f1) Mo"

mesurer() {
  local nom=$1
  shift
  /usr/bin/time -f "$nom : %e s réel, %U s utilisateur + %S s système, %M Ko de mémoire au plus" "$@"
}

mesurer "mpe 1 fil" "$BIN" ouvrir "$DIR" 1 partagee
mesurer "mpe 2 fils" "$BIN" ouvrir "$DIR" 2 partagee

# The verification time of the bench (the certificates' validity, as mpe is given it).
QUAND="2027-01-20 11:00:01"
EPOCH=$(date -u -d "$QUAND" +%s)
script() {
  local travail=$DIR/script
  rm -rf "$travail"
  mkdir -p "$travail"
  for f in "$DIR"/plis/*.p7m; do
    local d
    d=$travail/$(basename "$f" .p7m)
    mkdir "$d"
    openssl cms -decrypt -binary -inform DER -in "$f" -recip "$V/crypto/alice.cert.pem" \
      -inkey "$V/crypto/alice.key.pem" -out "$d/enveloppe.zip"
    (
      cd "$d"
      unzip -q enveloppe.zip
      for p in *.pdf; do
        if grep -q -a /ByteRange "$p"; then
          pdfsig "$p" | grep -q "Signature is Valid." || { echo "pdfsig : $f $p" >&2; exit 1; }
        fi
      done
      openssl cms -verify -binary -inform DER -in annexe.bin.p7s -content annexe.bin \
        -CAfile "$V/signature/ca.pem" -purpose any -attime "$EPOCH" -out /dev/null 2>/dev/null
      xmlsec1 --verify --id-attr:Id SignedProperties --trusted-pem "$V/signature/ca.pem" \
        --verification-time "$QUAND" note.txt.xml 2>/dev/null
    )
    rm -rf "$d"
  done
}
export -f script
export DIR V QUAND EPOCH
mesurer "script (openssl, unzip, pdfsig, xmlsec1)" bash -c script
rm -rf "$DIR"
