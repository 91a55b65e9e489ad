#!/usr/bin/env bash
# Installe libmpe (C) : la bibliothèque partagée libmpe.so.0 (soname) et ses liens, la
# statique libmpe.a, l'en-tête mpe.h et le fichier pkg-config mpe.pc.
#
#   scripts/installer.sh                      # construit en release et installe sous /usr/local
#   PREFIX=/usr DESTDIR=/tmp/paquet scripts/installer.sh   # pour un paquet
#
# PREFIX (défaut /usr/local), LIBDIR (défaut $PREFIX/lib), INCLUDEDIR (défaut
# $PREFIX/include), DESTDIR (racine de mise en scène, vide par défaut). La bibliothèque
# installée est dépouillée de ses symboles de débogage (strip).
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
LIBDIR=${LIBDIR:-$PREFIX/lib}
INCLUDEDIR=${INCLUDEDIR:-$PREFIX/include}
DESTDIR=${DESTDIR:-}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
MAJEURE=0

if [ -z "${MPE_SANS_CONSTRUCTION:-}" ]; then
  cargo build -q -p mpe-ffi --release
fi
SRC=target/release

install -d "$DESTDIR$LIBDIR" "$DESTDIR$INCLUDEDIR" "$DESTDIR$LIBDIR/pkgconfig"
install -m 0755 "$SRC/libmpe.so" "$DESTDIR$LIBDIR/libmpe.so.$VERSION"
strip --strip-unneeded "$DESTDIR$LIBDIR/libmpe.so.$VERSION"
ln -sf "libmpe.so.$VERSION" "$DESTDIR$LIBDIR/libmpe.so.$MAJEURE"
ln -sf "libmpe.so.$MAJEURE" "$DESTDIR$LIBDIR/libmpe.so"
install -m 0644 "$SRC/libmpe.a" "$DESTDIR$LIBDIR/libmpe.a"
strip --strip-debug "$DESTDIR$LIBDIR/libmpe.a"
install -m 0644 include/mpe.h "$DESTDIR$INCLUDEDIR/mpe.h"
cat > "$DESTDIR$LIBDIR/pkgconfig/mpe.pc" <<PC
prefix=$PREFIX
libdir=$LIBDIR
includedir=$INCLUDEDIR

Name: mpe
Description: marchés publics électroniques (ABI C de libmpe)
Version: $VERSION
URL: https://example.invalid/mpe
Libs: -L\${libdir} -lmpe
Libs.private: -lpthread -ldl -lm
Cflags: -I\${includedir}
PC
echo "libmpe $VERSION installée sous $DESTDIR$PREFIX"
