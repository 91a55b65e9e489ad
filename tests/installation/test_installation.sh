#!/usr/bin/env bash
# scripts/installer.sh puis un programme C compilé avec `pkg-config --cflags --libs mpe`
# contre la bibliothèque installée : soname libmpe.so.0, bibliothèque dépouillée, liens,
# mise en scène DESTDIR. Suppose `cargo build -p mpe-ffi --release` déjà fait.
set -euo pipefail
RACINE=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

PREFIX="$T/prefixe" MPE_SANS_CONSTRUCTION=1 "$RACINE/scripts/installer.sh" >/dev/null
LIB="$T/prefixe/lib"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$RACINE/Cargo.toml" | head -1)
test -f "$LIB/libmpe.so.$VERSION" && test -L "$LIB/libmpe.so.0" && test -L "$LIB/libmpe.so"
readelf -d "$LIB/libmpe.so.$VERSION" | grep -q 'SONAME.*\[libmpe\.so\.0\]' || { echo "soname absent"; exit 1; }
file "$LIB/libmpe.so.$VERSION" | grep -q ', stripped' || { echo "bibliothèque non dépouillée"; exit 1; }
test -f "$T/prefixe/include/mpe.h" && test -f "$LIB/pkgconfig/mpe.pc"

export PKG_CONFIG_PATH="$LIB/pkgconfig"
pkg-config --exists mpe
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror "$RACINE/tests/installation/programme.c" \
  $(pkg-config --cflags --libs mpe) -o "$T/programme"
readelf -d "$T/programme" | grep -q 'NEEDED.*\[libmpe\.so\.0\]' || { echo "le programme ne dépend pas de libmpe.so.0"; exit 1; }
LD_LIBRARY_PATH="$LIB" "$T/programme"

# DESTDIR: everything under the staging root, the .pc naming the final prefix.
DESTDIR="$T/scene" PREFIX=/usr MPE_SANS_CONSTRUCTION=1 "$RACINE/scripts/installer.sh" >/dev/null
test -f "$T/scene/usr/lib/libmpe.so.$VERSION" && test -f "$T/scene/usr/include/mpe.h"
grep -q '^prefix=/usr$' "$T/scene/usr/lib/pkgconfig/mpe.pc"
echo "installation : ok ($(du -h "$LIB/libmpe.so.$VERSION" | cut -f1) dépouillée)"
