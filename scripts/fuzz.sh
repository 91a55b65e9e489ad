#!/usr/bin/env bash
# Coverage-guided fuzzing of mpe's parsers (cargo-fuzz, libFuzzer), on the stable toolchain.
#
#   scripts/fuzz.sh CIBLE [SECONDES]     one target (default 600 s)
#   scripts/fuzz.sh toutes [SECONDES]    every target in turn
#
# Seeds target/fuzz-corpus/<cible> from fuzz/graines.txt (test vectors, ../shared/corpus,
# ../shared/data) and core/tests/fuzz/regressions/<cible>, builds the target
# (`RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none --dev`: libFuzzer's coverage
# instrumentation without a sanitizer, which the stable toolchain allows; the dev profile of
# fuzz/Cargo.toml, opt-level 1 with overflow checks, because cargo-fuzz's release build, one
# codegen unit at opt-level 3, takes too long here: docs/fuzz.md), runs it with
# -max_total_time, then prints libFuzzer's figures: executions, cov, ft, corpus. A crash,
# a timeout (-timeout, 10 s) or an out-of-memory (-rss_limit_mb, 2048) fails the script;
# the input is in target/fuzz-artifacts/<cible>/. Logs: target/fuzz-logs/<cible>.log.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). See docs/fuzz.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export RUSTC_BOOTSTRAP=1

cible=${1:?usage : scripts/fuzz.sh CIBLE|toutes [SECONDES]}
secondes=${2:-600}

corpus_partage() {
  if [ -n "${MPE_CORPUS:-}" ]; then echo "$MPE_CORPUS"; return; fi
  local d=$ROOT
  while [ "$d" != / ]; do
    if [ -f "$d/shared/corpus/expectations.json" ]; then echo "$d/shared/corpus"; return; fi
    d=$(dirname "$d")
  done
  echo "corpus introuvable (shared/corpus au-dessus du dépôt, ou MPE_CORPUS)" >&2
  exit 1
}
CORPUS=$(corpus_partage)

# Copy the seeds of $1 into target/fuzz-corpus/$1 (named by content, so reruns add nothing).
semer() {
  local nom=$1 dest=$ROOT/target/fuzz-corpus/$1 n=0
  mkdir -p "$dest"
  while read -r c dossier suffixes _; do
    case $c in ''|'#'*) continue ;; esac
    [ "$c" = "$nom" ] || continue
    case $dossier in
      depot:*) d=$ROOT/${dossier#depot:} ;;
      corpus:*) d=$CORPUS/${dossier#corpus:} ;;
      donnees:*) d=$CORPUS/../data/${dossier#donnees:} ;;
      *) echo "fuzz/graines.txt : dossier sans préfixe connu : $dossier" >&2; exit 1 ;;
    esac
    [ -d "$d" ] || { echo "graines de $nom : $d absent" >&2; exit 1; }
    while IFS= read -r -d '' f; do
      local base
      base=$(basename "$f" | tr '[:upper:]' '[:lower:]')
      local garder=0
      for s in ${suffixes//,/ }; do
        if [ "$s" = '*' ] || [[ $base == *"$s" ]]; then garder=1; fi
      done
      [ $garder = 1 ] || continue
      cp "$f" "$dest/$(sha1sum "$f" | cut -c1-40)"
      n=$((n + 1))
    done < <(find "$d" -type f -size -400001c -print0)
  done < fuzz/graines.txt
  if [ -d "core/tests/fuzz/regressions/$nom" ]; then
    for f in "core/tests/fuzz/regressions/$nom"/*; do
      [ -f "$f" ] && cp "$f" "$dest/$(sha1sum "$f" | cut -c1-40)" && n=$((n + 1))
    done
  fi
  [ $n -gt 0 ] || { echo "$nom : aucune graine" >&2; exit 1; }
  echo "$nom : $n graines, $(find "$dest" -type f | wc -l) fichiers dans target/fuzz-corpus/$nom"
}

lancer() {
  local nom=$1 log=$ROOT/target/fuzz-logs/$1.log
  mkdir -p "$ROOT/target/fuzz-logs" "$ROOT/target/fuzz-artifacts/$nom"
  semer "$nom"
  cargo fuzz build --sanitizer none --dev "$nom"
  local rc=0
  cargo fuzz run --sanitizer none --dev "$nom" "$ROOT/target/fuzz-corpus/$nom" -- \
    -max_total_time="$secondes" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$ROOT/target/fuzz-artifacts/$nom/" >"$log" 2>&1 || rc=$?
  # The figures: the last status line (cov, ft, corp) and the final statistics.
  local fin execs
  fin=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  [ -n "$fin" ] || fin="pas de ligne d'état"
  echo "$nom : exécutions ${execs:-?} ; $fin ; corpus $(find "$ROOT/target/fuzz-corpus/$nom" -type f | wc -l) fichiers"
  if [ $rc -ne 0 ]; then
    echo "$nom : ÉCHEC (code $rc) ; entrée dans target/fuzz-artifacts/$nom/ ; journal $log" >&2
    grep -E '^(==[0-9]+==|SUMMARY|thread .* panicked|ERROR)' "$log" | head -5 >&2 || true
    return "$rc"
  fi
}

if [ "$cible" = toutes ]; then
  for f in fuzz/fuzz_targets/*.rs; do
    lancer "$(basename "$f" .rs)"
  done
else
  [ -f "fuzz/fuzz_targets/$cible.rs" ] || { echo "cible inconnue : $cible" >&2; exit 2; }
  lancer "$cible"
fi
