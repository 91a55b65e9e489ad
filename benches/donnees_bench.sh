#!/usr/bin/env bash
# Benchmarks of mpe::donnees on a generated national-size DECP file (1.5 million records by
# default; never committed). Prints the figures recorded in benches/results/donnees.md.
#   benches/donnees_bench.sh [N]
# Anchor: CPython's json module (json.load of the same file — parsing only, no repair,
# whole file in memory — and json.dumps of the same 100 000 exported contracts).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1500000}
DIR=target/bench-donnees
mkdir -p "$DIR"
PY=${PY:-.venv/bin/python}
cargo build -q --release -p mpe --example donnees_generate --example donnees_bench --example donnees_import
F="$DIR/decp-$N.json"
[ -s "$F" ] || target/release/examples/donnees_generate "$N" "$F"
ls -l "$F"
echo "== mpe (import, recherche, export)"
/usr/bin/time -v target/release/examples/donnees_bench "$F" 2> "$DIR/time.txt"
grep -E "Maximum resident|User time|System time|Elapsed" "$DIR/time.txt"

echo "== ancre : json.load de CPython sur 300 000 enregistrements (analyse seule, tout en mémoire)"
S="$DIR/decp-300000.json"
[ -s "$S" ] || target/release/examples/donnees_generate 300000 "$S"
/usr/bin/time -v "$PY" -c "
import json, resource, sys, time
t = time.process_time()
d = json.load(open(sys.argv[1], encoding='utf-8'))
print(f'json.load : {len(d[\"marches\"][\"marche\"])} enregistrements, {time.process_time() - t:.2f} s CPU')
" "$S" 2> "$DIR/time-py.txt"
grep -E "Maximum resident" "$DIR/time-py.txt"
echo "== mpe sur les mêmes 300 000 enregistrements"
/usr/bin/time -v target/release/examples/donnees_import "$S" 2026-01-01 > /dev/null 2> "$DIR/time-300k.txt"
grep -E "Maximum resident|User time|System time" "$DIR/time-300k.txt"

echo "== ancre : json.dumps de CPython de 100 000 contrats DECP"
# The Python module measured is a release build (the test command installs a debug one).
rm -rf "$DIR/wheels"
"$PY" -m maturin build -q --release -m python/Cargo.toml --out "$DIR/wheels"
"$PY" -m pip install -q --force-reinstall --no-deps "$DIR"/wheels/mpe-*.whl
"$PY" - <<'PYEOF'
import datetime, json, sys, time
sys.path.insert(0, "python/tests")
import mpe.donnees as d
from fixtures_donnees import marche
liste = []
for i in range(100_000):
    m = marche(f"2025-{i:06}")
    m["montant"] = 1000.0 + i
    liste.append(m)
t = time.perf_counter()
data = d.exporter_decp_json(liste, "2026-01-15")
print(f"mpe via Python (JSON des contrats compris) : {time.perf_counter() - t:.3f} s, {len(data) / 1e6:.0f} Mo")
doc = json.loads(data)
t = time.perf_counter()
s = json.dumps(doc, ensure_ascii=False)
print(f"json.dumps du même document : {time.perf_counter() - t:.3f} s")
PYEOF
