#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs every test —
# Rust (unit, integration, doc), C (gcc -Wall -Wextra -Werror, ASan/UBSan), PHP FFI,
# Java JNA, Python (pytest on the built wheel) and the interoperability checks.
# Fails on the first failing step. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TERM_COLOR=never
# Incremental caches only help edit-compile loops; on a fresh clone they only take disk.
export CARGO_INCREMENTAL=0
step() { printf '\n==> %s\n' "$*"; }

step "installer les dépendances de test"
scripts/install-deps.sh
PY=$ROOT/.venv/bin/python

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings = erreurs)"
cargo clippy --workspace --all-targets -- -D warnings

step "fonctionnalités cargo du cœur : sans défaut, puis chacune seule (clippy -D warnings)"
# The default is complete; a host may leave out PDF, DOCX, XLSX, mail, the Schematron runner
# (core/Cargo.toml). Each combination must build on its own, lint-clean (lib only: the tests
# need them all).
for f in "" pdf docx xlsx mail pkcs11 schematron; do
  echo "-- mpe --no-default-features ${f:+--features $f}"
  cargo clippy -q -p mpe --no-default-features ${f:+--features "$f"} -- -D warnings
done

step "cargo tree -d (pas de doublons de crates cryptographiques)"
dups=$(cargo tree -d -e normal --workspace --depth 0 --prefix none 2>/dev/null | grep -E '^(rsa|der|spki|x509-cert|cms|pkcs8|pkcs1|sha2|sha1|aes|aes-gcm|cbc|cipher|digest|signature|const-oid|crypto-bigint|elliptic-curve) ' || true)
if [ -n "$dups" ]; then echo "doublons : $dups"; exit 1; fi

step "tests Rust (unitaires, intégration, doc)"
cargo test --workspace --exclude mpe-python --no-fail-fast

step "bibliothèque C (libmpe)"
cargo build -p mpe-ffi --release
LIBDIR=$ROOT/target/release
# libmpe.so's soname is libmpe.so.0: the programs linked here look for that name.
ln -sf libmpe.so "$LIBDIR/libmpe.so.0"
export MPE_LIB=$LIBDIR/libmpe.so

step "tests C (gcc -Wall -Wextra -Werror, AddressSanitizer + UBSan)"
mkdir -p target/ctests
for src in tests/c/test_*.c; do
  exe=target/ctests/$(basename "$src" .c)
  gcc -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined -fno-omit-frame-pointer \
    -Iinclude "$src" -L"$LIBDIR" -lmpe -Wl,-rpath,"$LIBDIR" -o "$exe"
  (cd tests/c && ASAN_OPTIONS=detect_leaks=1 "$ROOT/$exe")
done

step "installation C (scripts/installer.sh, soname, pkg-config --cflags --libs mpe)"
tests/installation/test_installation.sh

step "tests PHP (FFI)"
for t in tests/php/test_*.php; do
  php -d ffi.enable=1 "$t"
done

step "paquet PHP (php/, Composer PSR-4) : CLI, puis php-fpm avec ffi.enable=preload et une requête FastCGI"
php -d ffi.enable=1 php/tests/requete.php
php/tests/php_fpm.sh

step "tests Java (JNA, sous LANG=C : l'UTF-8 est forcé par la liaison)"
JNA=/usr/share/java/jna.jar
mkdir -p target/java
javac -encoding UTF-8 -cp "$JNA" -d target/java tests/java/*.java
for t in tests/java/Test*.java; do
  cls=$(basename "$t" .java)
  LANG=C LC_ALL=C java -Djna.library.path="$LIBDIR" -cp "$JNA:target/java" "$cls"
done

step "paquet Java (java/, Maven ; construit avec javac et jar, lancé sous LANG=C)"
rm -rf target/java-paquet && mkdir -p target/java-paquet
javac -encoding UTF-8 -cp "$JNA" -d target/java-paquet java/src/main/java/fr/mpe/*.java java/src/test/java/fr/mpe/*.java
jar --create --file target/mpe-java.jar -C target/java-paquet fr
LANG=C LC_ALL=C java -Djna.library.path="$LIBDIR" -cp "$JNA:target/mpe-java.jar" fr.mpe.TestPaquet
LANG=C LC_ALL=C java -Djna.library.path="$LIBDIR" -cp "$JNA:target/mpe-java.jar" fr.mpe.TestPlis
LANG=C LC_ALL=C java -Djna.library.path="$LIBDIR" -cp "$JNA:target/mpe-java.jar" fr.mpe.TestConfiance
LANG=C LC_ALL=C java -Djna.library.path="$LIBDIR" -cp "$JNA:target/mpe-java.jar" fr.mpe.TestPublication
LANG=C LC_ALL=C java -Djna.library.path="$LIBDIR" -cp "$JNA:target/mpe-java.jar" fr.mpe.TestLongTerme

step "module Python : une roue abi3 manylinux2014 (maturin --zig, auditwheel show), sdist, pytest"
# One release build of the wheel, the one the README installs: built with zig for
# manylinux2014 (glibc 2.17), checked by auditwheel, then installed for pytest.
rm -rf target/wheels
# maturin finds zig through the `ziglang` module of the python3 on PATH: the venv's.
PATH="$ROOT/.venv/bin:$PATH" "$PY" -m maturin build -q --release --zig --compatibility manylinux2014 -m python/Cargo.toml --out target/wheels
"$PY" -m auditwheel show target/wheels/mpe-*.whl | tee target/auditwheel.txt
grep -q 'manylinux_2_17_x86_64' target/auditwheel.txt
"$PY" -m maturin sdist -m python/Cargo.toml --out target/wheels
"$PY" -m pip install -q --force-reinstall --no-deps target/wheels/mpe-*.whl
# From the repository root, so that python/mpe (without the compiled module) does not
# shadow the installed package.
"$PY" python/outils/stubs.py --verifier   # .pyi stubs of every module, current
"$PY" -m pytest -q -p no:cacheprovider python/tests

step "guides (docs/guides) : chaque bloc de code exécuté (C, Python, PHP, Java, commande mpe ; Rust en doctests)"
# After every library above is built: libmpe ($MPE_LIB), the wheel in the venv, the Java jar,
# and target/debug/mpe from the Rust tests.
"$PY" scripts/guides.py

if compgen -G "tests/interop/test_*.py" >/dev/null; then
  step "tests d'interopérabilité (openssl, xmlsec1, pyHanko, pdfsig, schémas officiels...) et du glossaire"
  "$PY" -m pytest -q tests/interop
fi

step "tous les tests sont passés"
