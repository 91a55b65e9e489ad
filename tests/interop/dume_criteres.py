"""The ESPD criteria mpe's DUME request writes, taken verbatim (comments dropped) from the
official ESPD-EDM example requests of the shared data, one data file per version:

    python tests/interop/dume_criteres.py     writes core/src/publication/dume_criteres/*.xml

test_dume.py checks that the committed files are what this extraction gives.
"""

from __future__ import annotations

import os
import pathlib
import re

from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parents[2]
SORTIE = ROOT / "core" / "src" / "publication" / "dume_criteres"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def trouver_espd() -> pathlib.Path:
    """MPE_ESPD, else the first shared/data/espd above the checkout."""
    if os.environ.get("MPE_ESPD"):
        return pathlib.Path(os.environ["MPE_ESPD"])
    for d in ROOT.parents:
        c = d / "shared" / "data" / "espd"
        if c.is_dir():
            return c
    raise FileNotFoundError("shared/data/espd introuvable (MPE_ESPD)")


ESPD = trouver_espd()
SOURCES = {
    "2.1.1": ESPD / "2.1.1" / "examples" / "BASIC-ESPDRequest-2.1.1.xml",
    "4.1.0": ESPD / "4.1.0" / "examples" / "ESPD-Request.xml",
}

# mpe's name of a criterion → its code in each version (4.1.0: the criterion code list;
# 2.1.1: the criteria taxonomy).
CRITERES: dict[str, tuple[str, str]] = {}
EXCLUSIONS_4 = [
    "crime-org", "corruption", "fraud", "terr-offence", "finan-laund", "human-traffic", "tax-pay",
    "socsec-pay", "envir-law", "socsec-law", "labour-law", "bankruptcy", "insolvency", "cred-arran",
    "bankr-nat", "liq-admin", "susp-act", "prof-misconduct", "distorsion", "partic-confl", "prep-confl",
    "sanction", "misrepresent", "nati-ground",
]
SELECTION = {
    "trade-regist": "CRITERION.SELECTION.SUITABILITY.TRADE_REGISTER_ENROLMENT",
    "gen-year-to": "CRITERION.SELECTION.ECONOMIC_FINANCIAL_STANDING.TURNOVER.GENERAL_YEARLY",
    "indem-insu": "CRITERION.SELECTION.ECONOMIC_FINANCIAL_STANDING.RISK_INDEMNITY_INSURANCE",
    "work-perform": "CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.REFERENCES.WORKS_PERFORMANCE",
    "supply-perform": "CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.REFERENCES.SUPPLIES_DELIVERY_PERFORMANCE",
    "service-perform": "CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.REFERENCES.SERVICES_DELIVERY_PERFORMANCE",
    "qualification": "CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.TECHNICAL.PROFESSIONAL_QUALIFICATIONS",
    "tech-equip": "CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.TECHNICAL.EQUIPMENT",
    "year-manpower": "CRITERION.SELECTION.TECHNICAL_PROFESSIONAL_ABILITY.MANAGEMENT.AVERAGE_ANNUAL_MANPOWER",
    "eo-group": "CRITERION.OTHER.EO_DATA.TOGETHER_WITH_OTHERS",
    "relied": "CRITERION.OTHER.EO_DATA.RELIES_ON_OTHER_CAPACITIES",
    "subco-ent": "CRITERION.OTHER.EO_DATA.SUBCONTRACTS_WITH_THIRD_PARTIES",
}


def codes(version: str) -> list[tuple[str, str]]:
    """(mpe's name, the version's code) of every criterion kept, in the order written."""
    doc = etree.parse(str(SOURCES["2.1.1"]))
    exclusions_2 = [
        c.findtext("cbc:CriterionTypeCode", namespaces=NS)
        for c in doc.findall("cac:TenderingCriterion", NS)
        if c.findtext("cbc:CriterionTypeCode", namespaces=NS).startswith("CRITERION.EXCLUSION.")
    ]
    assert len(exclusions_2) == len(EXCLUSIONS_4) == 24
    paires = list(zip(EXCLUSIONS_4, exclusions_2)) + list(SELECTION.items())
    return [(nom, nom if version == "4.1.0" else code) for nom, code in paires]


def fragment(c: etree._Element) -> str:
    c = etree.fromstring(etree.tostring(c))
    for k in c.xpath("//comment()"):
        parent = k.getparent()
        if k.tail and k.tail.strip():
            raise ValueError("texte après un commentaire")
        parent.remove(k)
    texte = etree.tostring(c, encoding="unicode")
    # Namespace declarations lxml repeats on a fragment: the document declares them.
    texte = re.sub(r'^(<cac:TenderingCriterion)( xmlns(:\w+)?="[^"]*")+', r"\1", texte)
    # Indentation of the source, normalised (whitespace between elements only).
    return re.sub(r">\s+<", ">\n<", texte)


def extraire(version: str) -> str:
    doc = etree.parse(str(SOURCES[version]))
    par_code = {c.findtext("cbc:CriterionTypeCode", namespaces=NS): c for c in doc.findall("cac:TenderingCriterion", NS)}
    lignes = [
        f"<!-- ESPD-EDM {version}: criteria copied from {SOURCES[version].relative_to(ESPD)} of OP-TED/ESPD-EDM"
        " (EUPL 1.2, see LICENCE), comments dropped, by tests/interop/dume_criteres.py. Do not edit. -->"
    ]
    for nom, code in codes(version):
        lignes.append(f"<!-- mpe:critere {nom} -->")
        lignes.append(fragment(par_code[code]))
    return "\n".join(lignes) + "\n"


if __name__ == "__main__":
    SORTIE.mkdir(parents=True, exist_ok=True)
    for v in SOURCES:
        (SORTIE / f"{v}.xml").write_text(extraire(v), encoding="utf-8")
    (SORTIE / "LICENCE").write_bytes((ESPD / "LICENCE").read_bytes())
