"""An eForms validator independent of mpe: the SDK's XSD (lxml) and the SDK's static
Schematron rules compiled to XSLT by `scripts/eforms/compiler.py` (lxml's ISO skeleton), run
by Saxon (`saxonche`). Used by the interop tests as the oracle for the notices mpe writes.

    python tests/interop/eforms_validateur.py NOTICE.xml...   prints the ERROR asserts
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field

from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "eforms"))
from compiler import empreinte_sources as _empreinte, trouver_sdk  # noqa: E402

SDK = trouver_sdk()
COMPILES = ROOT / "tests" / "interop" / "eforms"
CACHE = ROOT / "target" / "eforms-xsl"
COMPILATEUR = ROOT / "scripts" / "eforms" / "compiler.py"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"

SCHEMAS = {
    "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2": "maindoc/UBL-ContractNotice-2.3.xsd",
    "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2": "maindoc/UBL-ContractAwardNotice-2.3.xsd",
    "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2": "maindoc/UBL-PriorInformationNotice-2.3.xsd",
    "http://data.europa.eu/p27/eforms-business-registration-information-notice/1": "maindoc/EFORMS-BusinessRegistrationInformationNotice.xsd",
}


def empreinte_sources() -> str:
    """The digest `compiler.py` records over the SDK's static .sch files."""
    return _empreinte(SDK)


def manifeste() -> dict:
    return json.loads((COMPILES / "manifeste.json").read_text())


@dataclass
class Rapport:
    """What one validation found."""

    xsd: list[str] = field(default_factory=list)
    echecs: set[tuple[str, str]] = field(default_factory=set)  # (assert id, role)
    secondes_xsd: float = 0.0
    secondes_schematron: float = 0.0

    @property
    def erreurs(self) -> set[str]:
        """Failed asserts of level ERROR (no role counts as ERROR)."""
        return {i for i, r in self.echecs if r.upper() in ("ERROR", "FATAL", "")}


def sous_type(doc: etree._ElementTree) -> str:
    v = doc.xpath(
        "/*/*[local-name()='UBLExtensions']//*[local-name()='NoticeSubType']/*[local-name()='SubTypeCode']/text()"
    )
    return str(v[0]).strip() if v else ""


def echecs_svrl(svrl: etree._Element) -> set[tuple[str, str]]:
    return {
        (e.get("id", ""), e.get("role", "ERROR") or "ERROR")
        for e in svrl.iter(f"{SVRL}failed-assert")
    }


class Validateur:
    """Loads the XSDs once and the compiled rules on demand (one Saxon executable each)."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor  # a missing saxonche is a failure, not a skip

        self._proc = PySaxonProcessor(license=False)
        self._xslt = self._proc.new_xslt30_processor()
        self._executables: dict[str, object] = {}
        self._schemas: dict[str, etree.XMLSchema] = {}

    def schema(self, ns: str) -> etree.XMLSchema:
        if ns not in self._schemas:
            if ns not in SCHEMAS:
                raise ValueError(f"racine inconnue : {ns}")
            self._schemas[ns] = etree.XMLSchema(etree.parse(str(SDK / "schemas" / SCHEMAS[ns])))
        return self._schemas[ns]

    def feuille(self, phase: str) -> pathlib.Path:
        """The compiled rules of a phase: committed (tests/interop/eforms/), or compiled
        into target/eforms-xsl/ by the same script (2 to 4 s) for the other phases."""
        engage = COMPILES / f"{phase}.xsl"
        if engage.exists():
            return engage
        cache = CACHE / empreinte_sources()[:16]
        f = cache / f"{phase}.xsl"
        if not f.exists():
            subprocess.run(
                [sys.executable, str(COMPILATEUR), "--sdk", str(SDK), "--sortie", str(cache), phase], check=True
            )
        return f

    def executable(self, phase: str):
        if phase not in self._executables:
            self._executables[phase] = self._xslt.compile_stylesheet(stylesheet_file=str(self.feuille(phase)))
        return self._executables[phase]

    def valider(self, chemin: pathlib.Path, phase: str | None = None) -> Rapport:
        r = Rapport()
        t0 = time.perf_counter()
        doc = etree.parse(str(chemin))
        schema = self.schema(etree.QName(doc.getroot()).namespace or "")
        if not schema.validate(doc):
            r.xsd = [f"{e.line}: {e.message}" for e in schema.error_log]
        r.secondes_xsd = time.perf_counter() - t0
        phase = phase or f"eforms-{sous_type(doc)}"
        ex = self.executable(phase)
        t0 = time.perf_counter()
        sortie = ex.transform_to_string(source_file=str(chemin))
        r.secondes_schematron = time.perf_counter() - t0
        if not sortie:
            raise RuntimeError(f"{chemin}: Saxon n'a rien produit")
        r.echecs = echecs_svrl(etree.fromstring(sortie.encode()))
        return r


def reference(nom: str) -> set[tuple[str, str]] | None:
    """The failed asserts of the SDK's own report for an example, if it has one."""
    f = SDK / "examples" / "reports" / (re.sub(r"\.xml$", "", nom) + ".svrl")
    if not f.exists():
        return None
    return echecs_svrl(etree.parse(str(f)).getroot())


def main(chemins: list[str]) -> int:
    v = Validateur()
    mauvais = 0
    for c in chemins:
        r = v.valider(pathlib.Path(c))
        print(
            f"{c}: XSD {len(r.xsd)} erreur(s), schematron {len(r.erreurs)} erreur(s) "
            f"({r.secondes_xsd * 1000:.0f} ms XSD, {r.secondes_schematron * 1000:.0f} ms schematron)"
        )
        for e in r.xsd:
            print("  XSD", e)
        for i, role in sorted(r.echecs):
            print(f"  {role} {i}")
        mauvais += bool(r.xsd or r.erreurs)
    return 1 if mauvais else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
