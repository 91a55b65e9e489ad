"""Writes cpv-fr.json (8-digit root → French label) from the eForms SDK translations
(`translations/code_fr.xml`, entries `code|name|cpv.NNNNNNNN`), CC BY 4.0, Publications
Office of the European Union. Run: python3 generer_fr.py ../../../../shared/data/eforms/1.15.1/translations/code_fr.xml"""

import json
import re
import sys
import xml.etree.ElementTree as ET

racine = ET.parse(sys.argv[1]).getroot()
libelles = {}
for e in racine.iter("entry"):
    m = re.fullmatch(r"code\|name\|cpv\.(\d{8})", e.get("key", ""))
    if m:
        libelles[m.group(1)] = (e.text or "").strip()
with open("cpv-fr.json", "w", encoding="utf-8") as f:
    json.dump(dict(sorted(libelles.items())), f, ensure_ascii=False, indent=0)
    f.write("\n")
print(len(libelles), "libellés")
