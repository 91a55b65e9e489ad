#!/usr/bin/env bash
# Side-by-side benchmark of the documents engine against docxtemplater (npm) on the same
# template: a two-page letter with 12 fields (3 in header/footer), a 5-row table loop and a
# conditional paragraph; then the same letter carrying a 10 MB image (memory check).
# Writes benches/results/documents.md. Not part of the test command (needs npm).
#
#   benches/documents_compare.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
N_GROS=${N_GROS:-50}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build -q --release -p mpe --example documents_bench
BENCH=target/release/examples/documents_bench
$BENCH modele "$WORK/lettre.docx"
$BENCH modele "$WORK/lettre-10mo.docx" --media 10000000
$BENCH donnees > "$WORK/donnees.json"

(cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund docxtemplater pizzip >/dev/null)
cat > "$WORK/bench.js" <<'JS'
// docxtemplater: same template, same data, same work per document (load the template,
// render, write a DEFLATE-compressed DOCX).
const fs = require("fs");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");
const [tpl, dataFile, n] = process.argv.slice(2);
const content = fs.readFileSync(tpl);
const data = JSON.parse(fs.readFileSync(dataFile, "utf8"));
function once() {
  const zip = new PizZip(content);
  const doc = new Docxtemplater(zip, {
    paragraphLoop: true,
    linebreaks: true,
    delimiters: { start: "{{", end: "}}" },
  });
  doc.render(data);
  return doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" });
}
const check = new PizZip(once()).file("word/document.xml").asText();
if (!check.includes("Prestation 5")) throw new Error("fusion incorrecte");
for (let i = 0; i < 20; i++) once();
let peak = process.memoryUsage().rss;
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
for (let i = 0; i < Number(n); i++) {
  once();
  if (i % 10 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
const s = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({
  docs_par_s: Number(n) / s,
  cpu_ms_par_doc: (cpu.user + cpu.system) / 1000 / Number(n),
  pic_memoire_ko: Math.round(peak / 1024),
}));
JS

mpe_petit=$($BENCH mesurer "$WORK/lettre.docx" "$N")
dxt_petit=$(node "$WORK/bench.js" "$WORK/lettre.docx" "$WORK/donnees.json" "$N")
mpe_gros=$($BENCH mesurer "$WORK/lettre-10mo.docx" "$N_GROS")
dxt_gros=$(node "$WORK/bench.js" "$WORK/lettre-10mo.docx" "$WORK/donnees.json" "$N_GROS")
echo "mpe           : $mpe_petit"
echo "docxtemplater : $dxt_petit"
echo "mpe 10 Mo     : $mpe_gros"
echo "docxt. 10 Mo  : $dxt_gros"

python3 - "$mpe_petit" "$dxt_petit" "$mpe_gros" "$dxt_gros" "$N" "$N_GROS" <<'PY'
import json, sys, platform, subprocess
mp, dp, mg, dg = (json.loads(x) for x in sys.argv[1:5])
n, ng = sys.argv[5], sys.argv[6]
node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
r = mp["docs_par_s"] / dp["docs_par_s"]
rc = mp["docs_par_s_modele_compile"] / dp["docs_par_s"]
rg = mg["docs_par_s"] / dg["docs_par_s"]
rcpu = dp["cpu_ms_par_doc"] / mp["cpu_ms_par_doc"]
rcpug = dg["cpu_ms_par_doc"] / mg["cpu_ms_par_doc"]
out = f"""# documents — fusion DOCX : mpe vs docxtemplater

Débit en temps réel et temps CPU (celui de Node compte aussi ses fils de ramasse-miettes,
coût qu'il impose à la machine). Mesuré côte à côte dans un même lancement de `benches/documents_compare.sh` (un cœur, même
modèle, mêmes données, même travail par document : lire le modèle, fusionner, écrire un DOCX
compressé DEFLATE). Modèle : lettre de deux pages, 12 champs dont 3 en en-tête/pied de page,
une boucle de 5 lignes de tableau et un paragraphe conditionnel. docxtemplater (npm, avec
pizzip) sous Node {node}, `paragraphLoop: true`, délimiteurs `{{{{ }}}}`.

| mesure | mpe | docxtemplater | rapport |
|---|---|---|---|
| lettre, documents/s ({n} fusions) | {mp['docs_par_s']:.0f} | {dp['docs_par_s']:.0f} | **{r:.1f}×** |
| lettre, temps CPU par document | {mp['cpu_ms_par_doc']:.3f} ms | {dp['cpu_ms_par_doc']:.3f} ms | **{rcpu:.1f}×** |
| lettre, modèle compilé une fois (`Modele::fusionner`), documents/s | {mp['docs_par_s_modele_compile']:.0f} | — | {rc:.1f}× |
| lettre + image de 10 Mo, documents/s ({ng} fusions) | {mg['docs_par_s']:.0f} | {dg['docs_par_s']:.1f} | **{rg:.1f}×** |
| lettre + image de 10 Mo, temps CPU par document | {mg['cpu_ms_par_doc']:.2f} ms | {dg['cpu_ms_par_doc']:.2f} ms | {rcpug:.1f}× |
| lettre + image de 10 Mo, pic de mémoire (RSS) | {mg['pic_memoire_ko']/1024:.0f} Mo | {dg['pic_memoire_ko']/1024:.0f} Mo | {dg['pic_memoire_ko']/max(mg['pic_memoire_ko'],1):.1f}× moins |
| lettre seule, pic de mémoire (RSS) | {mp['pic_memoire_ko']/1024:.0f} Mo | {dp['pic_memoire_ko']/1024:.0f} Mo | |

Mémoire bornée : avec un modèle de 10 Mo, mpe garde en mémoire le modèle, le document produit
et les seules parties XML réécrites ; les autres parties (l'image) sont recopiées telles
quelles, encore compressées, sans décompression ni recompression.

Machine : {platform.machine()}, {platform.system()}, 2 cœurs partagés ; sous charge, les débits
en temps réel fluctuent d'un lancement à l'autre, le rapport des temps CPU est le plus stable.
Objectif du ticket : au moins 10× le débit de docxtemplater.
"""
open("benches/results/documents.md", "w").write(out)
print(out)
PY
