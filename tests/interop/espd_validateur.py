"""The ESPD-EDM business rules for requests (Schematron of OP-TED/ESPD-EDM: 4.1.0
`validation/ESPDRequest` and `validation/common`; 2.1.1 `validation/ESPDRequest-2.1.1` and
`validation/common`), run independently of mpe: each .sch compiled by lxml's ISO Schematron
XSLT 1 skeleton and run by Saxon (`saxonche`), as the eForms rules are
(scripts/eforms/compiler.py). Adjustments, all mechanical:
  - the files are copied into one folder with `ESPD-criterion.xml` beside them (the criteria
    taxonomy the rules read with document(); upstream's xml-examples/ESPD-criterion.xml is
    byte-identical to examples/ESPD-Request.xml, see shared/data/espd/README.md);
  - 2.1.1: the criteria taxonomies (`ESPDRequest-2.1.1/xsl/*.xml`) are copied beside them,
    and the code lists they read at upstream's `../../../../cl/gc/` are pointed to
    `2.1.1/codelists/gc/` (the CPV list is not in the snapshot; no request here has a CPV);
  - `cac` and `cbc` are declared where a generated .sch (01-ESPD-codelist-values) lacks them;
  - queryBinding "xslt", stylesheet version 2.0, braces doubled in SVRL attributes.
"""

from __future__ import annotations

import pathlib
import shutil
import tempfile
from dataclasses import dataclass

import lxml
from lxml import etree

from dume_criteres import ESPD

SQUELETTE = pathlib.Path(lxml.__file__).parent / "isoschematron" / "resources" / "xsl" / "iso-schematron-xslt1"
SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
NS_UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def compiler(sch: pathlib.Path) -> bytes:
    doc = etree.parse(str(sch))
    r = doc.getroot()
    declares = {n.get("prefix") for n in r.findall(f"{{{SCH}}}ns")}
    for prefixe, uri in NS_UBL.items():
        if prefixe not in declares:
            r.insert(1, etree.Element(f"{{{SCH}}}ns", prefix=prefixe, uri=uri))
    inclus = etree.XSLT(etree.parse(str(SQUELETTE / "iso_dsdl_include.xsl")))(doc)
    etendu = etree.XSLT(etree.parse(str(SQUELETTE / "iso_abstract_expand.xsl")))(inclus)
    etendu.getroot().set("queryBinding", "xslt")
    xslt = etree.XSLT(etree.parse(str(SQUELETTE / "iso_svrl_for_xslt1.xsl")))(etendu, diagnose=etree.XSLT.strparam("false"))
    feuille = xslt.getroot()
    feuille.set("version", "2.0")
    for nom in ("failed-assert", "successful-report", "fired-rule"):
        for e in feuille.iter(f"{{{SVRL}}}{nom}"):
            for att in ("test", "context"):
                v = e.get(att)
                if v and ("{" in v or "}" in v):
                    e.set(att, v.replace("{", "{{").replace("}", "}}"))
    return etree.tostring(xslt)


@dataclass
class Rapport:
    regles: int  # fired rules
    echecs: list[tuple[str, str, str]]  # (id, flag, text)


class ValidateurEspd:
    """The request rules of an ESPD-EDM version (`4.1.0`, `2.1.1`), compiled once."""

    def __init__(self, version: str = "4.1.0") -> None:
        from saxonche import PySaxonProcessor  # a missing saxonche is a failure, not a skip

        self._dossier = pathlib.Path(tempfile.mkdtemp(prefix=f"espd-sch-{version}-"))
        v = ESPD / version / "validation"
        demande = "ESPDRequest" if version == "4.1.0" else f"ESPDRequest-{version}"
        listes = (ESPD / version / "codelists" / "gc").as_uri() + "/"
        for f in sorted((v / demande / "sch").glob("*.sch")) + sorted((v / "common" / "sch").glob("*.sch")):
            texte = f.read_text(encoding="utf-8").replace("../../../../cl/gc/", listes)
            nom = f"{f.parent.parent.name}-{f.name}".replace(" ", "_")
            (self._dossier / nom).write_text(texte, encoding="utf-8")
        if version == "4.1.0":
            shutil.copy(ESPD / "4.1.0" / "examples" / "ESPD-Request.xml", self._dossier / "ESPD-criterion.xml")
        else:
            for t in (v / demande / "xsl").glob("*.xml"):
                shutil.copy(t, self._dossier / t.name)
        self._proc = PySaxonProcessor(license=False)
        xslt = self._proc.new_xslt30_processor()
        self.executables = {}
        for sch in sorted(self._dossier.glob("*.sch")):
            xsl = sch.with_suffix(".xsl")
            xsl.write_bytes(compiler(sch))
            self.executables[sch.stem] = xslt.compile_stylesheet(stylesheet_file=str(xsl))

    def valider(self, chemin: pathlib.Path) -> Rapport:
        regles, echecs = 0, []
        for ex in self.executables.values():
            sortie = ex.transform_to_string(source_file=str(chemin.resolve()))
            r = etree.fromstring(sortie.encode())
            regles += len(list(r.iter(f"{{{SVRL}}}fired-rule")))
            echecs += [
                (e.get("id", ""), e.get("flag") or e.get("role") or "", (e.findtext(f"{{{SVRL}}}text") or "").strip())
                for e in r.iter(f"{{{SVRL}}}failed-assert")
            ]
        return Rapport(regles, echecs)
