#!/usr/bin/env bash
# eForms notices: mpe's generation and pre-check of a 50-lot contract notice (subtype 16),
# side by side with the reference validation of the same notice (the SDK's XSD by lxml and
# the SDK's Schematron, phase eforms-16, compiled by lxml's ISO skeleton and run by Saxon,
# tests/interop/eforms_validateur.py). Prints the figures recorded in BENCHMARKS.md.
#   benches/publication_bench.sh [N]
# The machine is shared: CPU time (user + system of the process) is the figure to read,
# medians of wall time are given beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
DIR=target/bench-publication
mkdir -p "$DIR"
PY=${PY:-.venv/bin/python}
cargo build -q --release -p mpe --example publication
echo "== mpe : génération et pré-contrôle d'un avis de marché de 50 lots ($N essais)"
target/release/examples/publication mesurer "$N"
target/release/examples/publication generer "$DIR" > /dev/null
# MPE_EFORMS_SDK, else the first shared/data/eforms/1.15.1 above the repository (as the tests).
SDK=${MPE_EFORMS_SDK:-}
d=$PWD
while [ -z "$SDK" ] && [ "$d" != / ]; do
  [ -d "$d/shared/data/eforms/1.15.1" ] && SDK=$d/shared/data/eforms/1.15.1
  d=$(dirname "$d")
done
echo "== mpe : Schematron du SDK exécuté par mpe (mpe avis valider, phase eforms-16) sur le même avis"
target/release/examples/publication valider "$SDK" 20
echo "== référence : XSD (lxml) et Schematron du SDK (Saxon, règles compilées) sur le même avis"
"$PY" - "$DIR/avis-16-50-lots.xml" <<'PYEOF'
import pathlib, statistics, sys, time
sys.path.insert(0, "tests/interop")
from eforms_validateur import Validateur

avis = pathlib.Path(sys.argv[1])
v = Validateur()
t = time.process_time()
v.valider(avis, "eforms-16")  # loads the schemas and compiles the rules once
print(f"chargement (XSD + compilation Saxon des règles) et 1re validation : {time.process_time() - t:.2f} s CPU")
cpu, xsd, sch = [], [], []
for _ in range(5):
    t = time.process_time()
    r = v.valider(avis, "eforms-16")
    cpu.append(time.process_time() - t)
    xsd.append(r.secondes_xsd)
    sch.append(r.secondes_schematron)
    assert r.xsd == [] and r.erreurs == set()
print(
    f"validation d'un avis de 50 lots ({avis.stat().st_size} octets), 5 essais : CPU médian "
    f"{statistics.median(cpu) * 1000:.0f} ms ; murale médiane XSD {statistics.median(xsd) * 1000:.0f} ms, "
    f"Schematron {statistics.median(sch) * 1000:.0f} ms"
)
PYEOF
