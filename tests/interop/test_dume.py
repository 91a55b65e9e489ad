"""The buyer's DUME (ESPD request) mpe writes validates against the ESPD-EDM XSD of its
version (lxml, the official schemas of OP-TED/ESPD-EDM in shared/data/espd), and its criteria
are the official ones, copied verbatim from the ESPD-EDM example requests.

The requests come from `core/examples/publication.rs dume` (the example consultation, as a
DUME simplifié and as a standard DUME, in ESPD-EDM 2.1.1 and 4.1.0).
"""

from __future__ import annotations

import pathlib
import subprocess

import pytest
from lxml import etree

from dume_criteres import ESPD, NS, SORTIE, codes, extraire

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = {
    "2.1.1": ESPD / "2.1.1" / "xsdrt" / "maindoc" / "UBL-QualificationApplicationRequest-2.2.xsd",
    "4.1.0": ESPD / "4.1.0" / "xsdrt" / "maindoc" / "UBL-QualificationApplicationRequest-2.3.xsd",
}
DEMANDES = [(v, g) for g in ("simplifie", "standard") for v in ("2.1.1", "4.1.0")]


@pytest.fixture(scope="module")
def dumes(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    dossier = tmp_path_factory.mktemp("dume")
    subprocess.run(
        ["cargo", "run", "-q", "-p", "mpe", "--example", "publication", "--", "dume", str(dossier)],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    return dossier


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    return {v: etree.XMLSchema(etree.parse(str(f))) for v, f in SCHEMAS.items()}


@pytest.mark.parametrize("version", ["2.1.1", "4.1.0"])
def test_criteres_copies_de_l_espd_edm(version: str) -> None:
    """The committed criteria are the extraction from the official example request."""
    assert (SORTIE / f"{version}.xml").read_text(encoding="utf-8") == extraire(version), (
        "python tests/interop/dume_criteres.py"
    )
    assert (SORTIE / "LICENCE").read_bytes() == (ESPD / "LICENCE").read_bytes()


@pytest.mark.parametrize("version,genre", DEMANDES)
def test_demande_valide_xsd(dumes: pathlib.Path, schemas: dict[str, etree.XMLSchema], version: str, genre: str) -> None:
    doc = etree.parse(str(dumes / f"dume-{version}-{genre}.xml"))
    s = schemas[version]
    assert s.validate(doc), [f"{e.line}: {e.message}" for e in s.error_log]


@pytest.mark.parametrize("version,genre", DEMANDES)
def test_demande_contenu(dumes: pathlib.Path, version: str, genre: str) -> None:
    doc = etree.parse(str(dumes / f"dume-{version}-{genre}.xml"))
    racine = doc.getroot()
    assert etree.QName(racine).localname == "QualificationApplicationRequest"
    assert racine.findtext("cbc:VersionID", namespaces=NS) == version
    assert racine.findtext("cbc:UBLVersionID", namespaces=NS) == ("2.3" if version == "4.1.0" else "2.2")
    assert racine.findtext("cbc:ContractFolderID", namespaces=NS) == "AOO_2026/0611"
    assert racine.findtext("cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID", namespaces=NS) == "21690123100011"
    assert [x.text for x in racine.findall("cac:ProcurementProjectLot/cbc:ID", NS)] == ["LOT-0001", "LOT-0002", "LOT-0003"]
    ecrits = [c.findtext("cbc:CriterionTypeCode", namespaces=NS) for c in racine.findall("cac:TenderingCriterion", NS)]
    nom_vers_code = dict(codes(version))
    exclusions = [code for nom, code in codes(version)][:24]
    assert ecrits[:24] == exclusions, "tous les motifs d'exclusion, dans l'ordre"
    if genre == "simplifie":
        # DUME simplifié: turnover and headcount only (the consultation's works need no more).
        attendus = ["gen-year-to", "year-manpower"]
    else:
        attendus = ["trade-regist", "gen-year-to", "indem-insu", "work-perform", "qualification", "tech-equip", "year-manpower"]
    attendus += ["eo-group", "relied", "subco-ent"]
    assert ecrits[24:] == [nom_vers_code[n] for n in attendus]
    # The criterion copied is the official one (its UUID, in both versions the same).
    source = etree.parse(str(ESPD / ("4.1.0/examples/ESPD-Request.xml" if version == "4.1.0" else "2.1.1/examples/BASIC-ESPDRequest-2.1.1.xml")))
    officiels = {c.findtext("cbc:CriterionTypeCode", namespaces=NS): c.findtext("cbc:ID", namespaces=NS) for c in source.findall("cac:TenderingCriterion", NS)}
    for c in racine.findall("cac:TenderingCriterion", NS):
        assert c.findtext("cbc:ID", namespaces=NS) == officiels[c.findtext("cbc:CriterionTypeCode", namespaces=NS)]


def test_le_xsd_voit_une_faute(dumes: pathlib.Path, schemas: dict[str, etree.XMLSchema]) -> None:
    """The check above can fail: a request without its IssueDate is refused."""
    doc = etree.parse(str(dumes / "dume-4.1.0-standard.xml"))
    date = doc.getroot().find("cbc:IssueDate", NS)
    date.getparent().remove(date)
    assert not schemas["4.1.0"].validate(doc)


@pytest.mark.parametrize(
    "version,fichier",
    [
        ("2.1.1", "2.1.1/examples/BASIC-ESPDRequest-2.1.1.xml"),
        ("4.1.0", "4.1.0/examples/ESPD-Request.xml"),
    ],
)
def test_le_validateur_accepte_les_exemples_officiels(schemas: dict[str, etree.XMLSchema], version: str, fichier: str) -> None:
    assert schemas[version].validate(etree.parse(str(ESPD / fichier)))


# --- ESPD-EDM business rules (Schematron) ------------------------------------------------


@pytest.fixture(scope="module")
def regles():
    from espd_validateur import ValidateurEspd

    return ValidateurEspd("4.1.0")


@pytest.fixture(scope="module")
def regles_2_1_1():
    from espd_validateur import ValidateurEspd

    return ValidateurEspd("2.1.1")


def test_regles_espd_sur_l_exemple_officiel(regles, regles_2_1_1) -> None:
    """The rules compile (all ten files of each version) and pass the official requests."""
    assert len(regles.executables) == 10 and len(regles_2_1_1.executables) == 10
    r = regles.valider(ESPD / "4.1.0" / "examples" / "ESPD-Request.xml")
    assert r.regles > 1000 and r.echecs == []
    r = regles_2_1_1.valider(ESPD / "2.1.1" / "examples" / "BASIC-ESPDRequest-2.1.1.xml")
    assert r.regles > 1000 and r.echecs == []


@pytest.mark.parametrize("version,genre", DEMANDES)
def test_demande_regles_espd(dumes: pathlib.Path, regles, regles_2_1_1, version: str, genre: str) -> None:
    v = regles if version == "4.1.0" else regles_2_1_1
    r = v.valider(dumes / f"dume-{version}-{genre}.xml")
    assert r.regles > 500, "les règles se sont appliquées"
    assert r.echecs == [], r.echecs


def test_regles_espd_voient_une_faute(dumes: pathlib.Path, regles, tmp_path: pathlib.Path) -> None:
    """The rules can fail: without its UUID, a request breaks BR-OTH-04-04."""
    doc = etree.parse(str(dumes / "dume-4.1.0-standard.xml"))
    uuid = doc.getroot().find("cbc:UUID", NS)
    uuid.getparent().remove(uuid)
    abime = tmp_path / "sans-uuid.xml"
    doc.write(str(abime))
    assert "BR-OTH-04-04" in {i for i, _, _ in regles.valider(abime).echecs}
