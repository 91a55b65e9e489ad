#!/usr/bin/env python3
"""Compile the eForms SDK's static Schematron rules to XSLT, once, for the interop tests.

The SDK ships its rules only as `.sch` (queryBinding xslt2). Independent of mpe, they are
compiled with the ISO Schematron XSLT 1 skeleton that ships inside the lxml wheel (include,
abstract expansion, SVRL), run by libxslt, and the result is run by Saxon (`saxonche`).
Three adjustments are needed (see ../shared/data/eforms/README.md):
  1. queryBinding="xslt" on the expanded schema: that skeleton refuses xslt2, its output
     runs fine under Saxon;
  2. xsl:stylesheet/@version = 2.0 so that Saxon applies full XPath 2 semantics;
  3. `{` and `}` doubled in the test/context attributes of the SVRL literal elements, where
     the skeleton copies XPath verbatim and regex quantifiers such as {2,} would be read as
     attribute value templates.
Diagnostics are left out (`diagnose=false`): the skeleton looks each one up with `//`, which
is quadratic on 44,000 asserts, and the tests compare failed assert ids and roles only.

Usage: scripts/eforms/compiler.py [--sdk DIR] [--sortie DIR] PHASE...   (e.g. eforms-16)
Writes SORTIE/PHASE.xsl and updates SORTIE/manifeste.json with the digest of the sources.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import sys
import time

import os

import lxml
from lxml import etree

RACINE = pathlib.Path(__file__).resolve().parents[2]


def trouver_sdk() -> pathlib.Path:
    """The SDK: MPE_EFORMS_SDK, else the first `shared/data/eforms/1.15.1` above the checkout
    (beside it in CI and in /work/main, one level higher from a worktree)."""
    if os.environ.get("MPE_EFORMS_SDK"):
        return pathlib.Path(os.environ["MPE_EFORMS_SDK"])
    for dossier in RACINE.parents:
        sdk = dossier / "shared" / "data" / "eforms" / "1.15.1"
        if sdk.is_dir():
            return sdk
    raise SystemExit(f"SDK eForms introuvable au-dessus de {RACINE} (MPE_EFORMS_SDK)")

SORTIE_DEFAUT = RACINE / "tests" / "interop" / "eforms"
SQUELETTE = pathlib.Path(lxml.__file__).parent / "isoschematron" / "resources" / "xsl" / "iso-schematron-xslt1"
SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"


def empreinte_sources(sdk: pathlib.Path) -> str:
    """SHA-256 over the sorted (name, bytes) of every static .sch file."""
    h = hashlib.sha256()
    for f in sorted((sdk / "schematrons" / "static").glob("*.sch")):
        h.update(f.name.encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def compiler(sdk: pathlib.Path, phase: str) -> bytes:
    source = sdk / "schematrons" / "static" / "complete-validation.sch"
    doc = etree.parse(str(source))
    t0 = time.monotonic()
    inclus = etree.XSLT(etree.parse(str(SQUELETTE / "iso_dsdl_include.xsl")))(doc)
    etendu = etree.XSLT(etree.parse(str(SQUELETTE / "iso_abstract_expand.xsl")))(inclus)
    racine = etendu.getroot()
    racine.set("queryBinding", "xslt")
    print(f"  inclusion et expansion : {time.monotonic() - t0:.1f} s", file=sys.stderr)
    t0 = time.monotonic()
    svrl = etree.XSLT(etree.parse(str(SQUELETTE / "iso_svrl_for_xslt1.xsl")))
    xslt = svrl(etendu, phase=etree.XSLT.strparam(phase), diagnose=etree.XSLT.strparam("false"))
    print(f"  compilation SVRL : {time.monotonic() - t0:.1f} s", file=sys.stderr)
    feuille = xslt.getroot()
    if feuille is None or feuille.tag != f"{{{XSL}}}stylesheet":
        raise SystemExit(f"{phase}: the skeleton produced no stylesheet")
    feuille.set("version", "2.0")
    doubles = 0
    for nom in ("failed-assert", "successful-report", "fired-rule"):
        for e in feuille.iter(f"{{{SVRL}}}{nom}"):
            for att in ("test", "context"):
                v = e.get(att)
                if v is not None and ("{" in v or "}" in v):
                    e.set(att, v.replace("{", "{{").replace("}", "}}"))
                    doubles += 1
    print(f"  attributs aux accolades doublées : {doubles}", file=sys.stderr)
    return etree.tostring(xslt, xml_declaration=True, encoding="UTF-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sdk", type=pathlib.Path)
    p.add_argument("--sortie", type=pathlib.Path, default=SORTIE_DEFAUT)
    p.add_argument("phases", nargs="+")
    a = p.parse_args()
    a.sdk = a.sdk or trouver_sdk()
    a.sortie.mkdir(parents=True, exist_ok=True)
    manifeste_chemin = a.sortie / "manifeste.json"
    manifeste = json.loads(manifeste_chemin.read_text()) if manifeste_chemin.exists() else {}
    empreinte = empreinte_sources(a.sdk)
    for phase in a.phases:
        print(f"{phase} :", file=sys.stderr)
        t0 = time.monotonic()
        xsl = compiler(a.sdk, phase)
        (a.sortie / f"{phase}.xsl").write_bytes(xsl)
        manifeste[phase] = {
            "sources_sha256": empreinte,
            "xsl_sha256": hashlib.sha256(xsl).hexdigest(),
            "lxml": lxml.__version__,
            "commande": f"scripts/eforms/compiler.py {phase}",
        }
        print(f"  total : {time.monotonic() - t0:.1f} s, {len(xsl)} octets", file=sys.stderr)
    manifeste_chemin.write_text(json.dumps(manifeste, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
