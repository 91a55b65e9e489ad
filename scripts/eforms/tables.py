#!/usr/bin/env python3
"""Generate the small tables mpe embeds from the eForms SDK (read in place, not copied):
core/data/eforms/nuts-fr.tsv: the French NUTS level-3 codes and their names (codelist
`nuts_nuts-fra-lvl3.gc`), which turn a lieu d'exécution "(69) Rhône" into `FRK26`.

Usage: scripts/eforms/tables.py [--sdk DIR]
"""

from __future__ import annotations

import argparse
import pathlib

from compiler import RACINE, trouver_sdk
from lxml import etree


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sdk", type=pathlib.Path)
    a = p.parse_args()
    a.sdk = a.sdk or trouver_sdk()
    gc = etree.parse(str(a.sdk / "codelists" / "nuts_nuts-fra-lvl3.gc"))
    lignes = []
    for row in gc.iter("Row"):
        v = {x.get("ColumnRef"): x.findtext("SimpleValue") for x in row.iter("Value")}
        lignes.append(f"{v['code']}\t{v.get('fra_label') or v['Name']}")
    sortie = RACINE / "core" / "data" / "eforms" / "nuts-fr.tsv"
    entete = "# Généré par scripts/eforms/tables.py depuis le SDK eForms 1.15.1 (codelists/nuts_nuts-fra-lvl3.gc, CC BY 4.0)\n"
    sortie.write_text(entete + "\n".join(sorted(lignes)) + "\n", encoding="utf-8")
    print(f"{sortie}: {len(lignes)} codes")


if __name__ == "__main__":
    main()
