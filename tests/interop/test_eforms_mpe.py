"""The contract notices mpe writes (subtype 16) pass the eForms SDK's own checks: 0 XSD
error (lxml) and 0 failed assert of level ERROR in the SDK's Schematron (phase eforms-16,
compiled by lxml's ISO skeleton, run by Saxon). The validator is checked against the SDK's
reports in test_eforms.py.

The notices come from `core/examples/publication.rs` (the example consultation of
examples/data, as the demo uses it; without lots; with public access; with 50 lots).
"""

from __future__ import annotations

import pathlib
import subprocess

import pytest

from eforms_validateur import ROOT, Validateur

ATTENDUS = ["avis-16-consultation.xml", "avis-16-sans-lots.xml", "avis-16-acces-public.xml", "avis-16-50-lots.xml"]


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
    r = validateur.valider(avis / nom, "eforms-16")
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
