"""The contract notices mpe writes (subtypes 16 and 17) pass the eForms SDK's own checks: 0 XSD
error (lxml) and 0 failed assert of level ERROR in the SDK's Schematron (phase eforms-16,
and eforms-17, compiled by lxml's ISO skeleton, run by Saxon). The validator is checked against the SDK's
reports in test_eforms.py.

The notices come from `core/examples/publication.rs` (the example consultation of
examples/data, as the demo uses it; as a restricted procedure, with its minimum number of
candidates, BT-50; without lots; with public access; with 50 lots).
"""

from __future__ import annotations

import pathlib
import subprocess

import pytest

from eforms_validateur import ROOT, Validateur

ATTENDUS = [
    "avis-16-consultation.xml", "avis-16-restreinte.xml", "avis-16-sans-lots.xml", "avis-16-acces-public.xml", "avis-16-50-lots.xml",
    # The same buyer as an entité adjudicatrice (directive 2014/25): subtype 17.
    "avis-17-consultation.xml", "avis-17-negociee.xml", "avis-17-50-lots.xml",
]


@pytest.fixture(scope="module")
def avis(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    dossier = tmp_path_factory.mktemp("avis")
    subprocess.run(
        ["cargo", "run", "-q", "-p", "mpe", "--example", "publication", "--", "generer", str(dossier)],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    return dossier


@pytest.fixture(scope="module")
def validateur() -> Validateur:
    return Validateur()


def test_tous_ecrits(avis: pathlib.Path) -> None:
    assert sorted(p.name for p in avis.glob("*.xml")) == sorted(ATTENDUS)


@pytest.mark.parametrize("nom", ATTENDUS)
def test_avis_valide_sdk(avis: pathlib.Path, validateur: Validateur, nom: str) -> None:
    r = validateur.valider(avis / nom, "eforms-" + nom.split("-")[1])
    assert r.xsd == [], r.xsd
    assert r.erreurs == set(), sorted(r.echecs)


def test_le_validateur_voit_une_faute(avis: pathlib.Path, validateur: Validateur, tmp_path: pathlib.Path) -> None:
    """The check above can fail: the same notice without its deadline is refused."""
    texte = (avis / "avis-16-consultation.xml").read_text(encoding="utf-8")
    debut = texte.index("<cac:TenderSubmissionDeadlinePeriod>")
    fin = texte.index("</cac:TenderSubmissionDeadlinePeriod>") + len("</cac:TenderSubmissionDeadlinePeriod>")
    abime = tmp_path / "sans-dlro.xml"
    abime.write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    r = validateur.valider(abime, "eforms-16")
    assert r.erreurs, "une date limite manquante doit être refusée par le SDK"


def test_avis_17_entite_adjudicatrice(avis: pathlib.Path) -> None:
    """What the SDK's rules cannot know: 17 carries the sector (BT-610), not BT-10, and the
    negotiated procedure announces the candidatures deadline (BT-1311) instead of BT-131."""
    from lxml import etree

    ns = {
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    }
    d = etree.parse(str(avis / "avis-17-consultation.xml"))
    assert d.xpath("//cbc:ActivityTypeCode/@listName", namespaces=ns) == ["entity-activity"]
    assert d.xpath("//cbc:ActivityTypeCode/text()", namespaces=ns) == ["water"]
    assert set(d.xpath("//cac:ContractExtension/cbc:MaximumNumberNumeric/text()", namespaces=ns)) == {"3"}
    n = etree.parse(str(avis / "avis-17-negociee.xml"))
    assert n.xpath("//cbc:ProcedureCode/text()", namespaces=ns) == ["neg-w-call"]
    assert n.xpath("count(//cac:TenderSubmissionDeadlinePeriod)", namespaces=ns) == 0
    assert n.xpath("//cac:ParticipationRequestReceptionPeriod/cbc:EndDate/text()", namespaces=ns)


# --- The change notice (rectificatif) ------------------------------------------------------
@pytest.fixture(scope="module")
def rectificatif(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    dossier = tmp_path_factory.mktemp("rectificatif")
    subprocess.run(
        ["cargo", "run", "-q", "-p", "mpe", "--example", "publication", "--", "generer-rectificatif", str(dossier)],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    return dossier


def test_rectificatif_valide_sdk(rectificatif: pathlib.Path, validateur: Validateur) -> None:
    """The initial notice and its change notice: 0 XSD error, 0 ERROR assert (eforms-16)."""
    for nom in ("avis-16-initial.xml", "avis-16-rectificatif.xml"):
        r = validateur.valider(rectificatif / nom, "eforms-16")
        assert r.xsd == [], (nom, r.xsd)
        assert r.erreurs == set(), (nom, sorted(r.echecs))


def test_rectificatif_contenu(rectificatif: pathlib.Path) -> None:
    """BT-758 names the initial notice and its version, the procedure is the same, the notice
    is a new one, and it carries the consultation as modified (DLRO a week later)."""
    from lxml import etree

    ns = {
        "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
        "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    }
    i = etree.parse(str(rectificatif / "avis-16-initial.xml"))
    r = etree.parse(str(rectificatif / "avis-16-rectificatif.xml"))
    id_i = i.xpath("/*/cbc:ID/text()", namespaces=ns)[0]
    assert r.xpath("//efac:Changes/efbc:ChangedNoticeIdentifier/text()", namespaces=ns) == [id_i + "-01"]
    assert r.xpath("/*/cbc:ID/text()", namespaces=ns)[0] != id_i
    assert r.xpath("/*/cbc:ContractFolderID/text()", namespaces=ns) == i.xpath("/*/cbc:ContractFolderID/text()", namespaces=ns)
    assert set(i.xpath("//cac:TenderSubmissionDeadlinePeriod/cbc:EndDate/text()", namespaces=ns)) == {"2026-12-15+01:00"}
    assert set(r.xpath("//cac:TenderSubmissionDeadlinePeriod/cbc:EndDate/text()", namespaces=ns)) == {"2026-12-22+01:00"}
    assert r.xpath("//efac:Change/efbc:ProcurementDocumentsChangeIndicator/text()", namespaces=ns) == ["true"]
    assert r.xpath("//efac:ChangedSection/efbc:ChangedSectionIdentifier/text()", namespaces=ns) == ["LOT-0001", "LOT-0002", "LOT-0003"]
    assert r.xpath("//efac:ChangeReason/cbc:ReasonCode/text()", namespaces=ns) == ["update-add"]


def test_rectificatif_sans_changes_refuse(rectificatif: pathlib.Path, validateur: Validateur, tmp_path: pathlib.Path) -> None:
    """The check can fail: the change block without its reason is refused by the SDK."""
    import re

    texte = (rectificatif / "avis-16-rectificatif.xml").read_text(encoding="utf-8")
    sans = re.sub(r"\s*<efac:ChangeReason>.*?</efac:ChangeReason>", "", texte, flags=re.S)
    assert sans != texte
    abime = tmp_path / "sans-motif.xml"
    abime.write_text(sans, encoding="utf-8")
    assert validateur.valider(abime, "eforms-16").erreurs
