"""`mpe avis valider` (mpe's own Schematron runner: the SDK's .sch read by the core, XPath by
xee-xpath) gives the SAME failed asserts, id and role, as the independent oracle (the SDK's
Schematron compiled by lxml's ISO skeleton, run by Saxon: eforms_validateur.py), on:

- the SDK's 92 examples, the 12 `INVALID_*` included (which must be refused);
- the 15 notices mpe writes (subtypes 16, 17, 29, 30: core/examples/publication.rs).

Any difference must be listed in DIFFERENCES, file by file, with why. There is none.
Timings of both are written to target/eforms-valider-temps.json (BENCHMARKS.md).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import time

import pytest

from eforms_validateur import ROOT, SDK, Validateur, sous_type

EXEMPLES = SDK / "examples" / "notices"
INVALIDES = SDK / "examples" / "invalid-notices"
# current-date() of both validators: the same day (date-sensitive rules).
AUJOURDHUI = time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime())
PHASES_ENGAGEES = {"16", "17", "29", "30"}
# file name -> (only in mpe's report, only in Saxon's), each with the reason. Empty: same sets.
DIFFERENCES: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {}


def mpe_bin() -> pathlib.Path:
    subprocess.run(["cargo", "build", "-q", "-p", "mpe-cli"], cwd=ROOT, check=True, timeout=3600)
    return ROOT / "target" / "debug" / "mpe"


def valider_mpe(fichiers: list[pathlib.Path], *options: str) -> tuple[dict[str, dict], float]:
    t0 = time.perf_counter()
    p = subprocess.run(
        [str(mpe_bin()), "avis", "valider", "--json", "--sdk", str(SDK), "--maintenant", AUJOURDHUI, *options, *map(str, fichiers)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    duree = time.perf_counter() - t0
    assert p.returncode in (0, 5), p.stderr
    sortie = json.loads(p.stdout)
    # The output follows its committed schema (cli/src/schemas.rs).
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "rapports_validation_avis.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(sortie, schema)
    return {pathlib.Path(r["fichier"]).name: r for r in sortie}, duree


def echecs(r: dict) -> set[tuple[str, str]]:
    return {(e["id"], e["role"]) for e in r["echecs"]}


@pytest.fixture(scope="module")
def validateur() -> Validateur:
    return Validateur()


def exemples() -> list[pathlib.Path]:
    return sorted(EXEMPLES.glob("*.xml")) + sorted(INVALIDES.glob("*.xml"))


@pytest.fixture(scope="module")
def rapports_mpe() -> dict[str, dict]:
    r, _ = valider_mpe(exemples())
    return r


def phase_saxon(chemin: pathlib.Path) -> str:
    from lxml import etree

    st = sous_type(etree.parse(str(chemin)))
    # The other subtypes' phases are not committed: every pattern at once (same failed
    # asserts, every subtype-specific rule tests $noticeSubType; test_eforms.py checks it
    # against the SDK's reports).
    return f"eforms-{st}" if st in PHASES_ENGAGEES else "#ALL"


@pytest.mark.parametrize("chemin", exemples(), ids=lambda p: p.name)
def test_exemple_comme_saxon(rapports_mpe: dict[str, dict], validateur: Validateur, chemin: pathlib.Path) -> None:
    r = rapports_mpe[chemin.name]
    assert r["phase"] == f"eforms-{r['sous_type']}"
    assert r["xsd_verifie"] is False
    assert r["indetermines"] == [], "chaque test s'évalue"
    oracle = validateur.valider(chemin, phase_saxon(chemin)).echecs
    seulement_mpe, seulement_saxon = DIFFERENCES.get(chemin.name, (set(), set()))
    assert echecs(r) - oracle == seulement_mpe
    assert oracle - echecs(r) == seulement_saxon
    if chemin.name.startswith("INVALID_") and chemin.name != "INVALID_change-cn_24_FRA_comments.xml":
        assert not r["valide"], "un exemple INVALID_ est refusé"
    # Every failure has its location and text.
    for e in r["echecs"]:
        assert e["emplacement"].startswith("/") and e["texte"] == f"rule|text|{e['id']}"


def test_invalides_refuses_code_5(rapports_mpe: dict[str, dict]) -> None:
    """The exit code says it: 5 for a refused notice, 0 for a valid one."""
    invalide = INVALIDES / "INVALID_cn_24_multiple.xml"
    p = subprocess.run(
        [str(mpe_bin()), "avis", "valider", "--sdk", str(SDK), "--maintenant", AUJOURDHUI, str(invalide)],
        capture_output=True, text=True, timeout=600,
    )
    assert p.returncode == 5, p.stderr
    assert "ERROR BR-BT-00024-0178" in p.stdout and "XSD non vérifié" in p.stdout
    valide = EXEMPLES / "cn_24_FRA_comments.xml"
    p = subprocess.run(
        [str(mpe_bin()), "avis", "valider", "--sdk", str(SDK), "--maintenant", AUJOURDHUI, str(valide)],
        capture_output=True, text=True, timeout=600,
    )
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.fixture(scope="module")
def avis_mpe(tmp_path_factory: pytest.TempPathFactory) -> list[pathlib.Path]:
    dossier = tmp_path_factory.mktemp("avis-mpe")
    for commande in ("generer", "generer-resultat"):
        subprocess.run(
            ["cargo", "run", "-q", "-p", "mpe", "--example", "publication", "--", commande, str(dossier)],
            cwd=ROOT, check=True, timeout=1800,
        )
    fichiers = sorted(dossier.glob("*.xml"))
    assert len(fichiers) == 15
    return fichiers


def test_avis_mpe_comme_saxon(avis_mpe: list[pathlib.Path], validateur: Validateur) -> None:
    """mpe's notices: valid for both, with the same (empty) set of failures; timings."""
    rapports, duree = valider_mpe(avis_mpe)
    temps: dict[str, dict[str, float]] = {}
    for chemin in avis_mpe:
        oracle = validateur.valider(chemin, "eforms-" + chemin.name.split("-")[1])
        r = rapports[chemin.name]
        assert echecs(r) == oracle.echecs, chemin.name
        assert r["valide"] and r["indetermines"] == [], chemin.name
        temps[chemin.name] = {"saxon_s": oracle.secondes_schematron}
    (ROOT / "target").mkdir(exist_ok=True)
    (ROOT / "target" / "eforms-valider-temps.json").write_text(
        json.dumps({"mpe_total_s": duree, "fichiers": temps}, indent=1)
    )


def test_avis_mpe_abime_refuse(avis_mpe: list[pathlib.Path], tmp_path: pathlib.Path, validateur: Validateur) -> None:
    """The same failure for both when mpe's notice loses its deadline."""
    chemin = next(p for p in avis_mpe if p.name == "avis-16-consultation.xml")
    texte = chemin.read_text(encoding="utf-8")
    debut = texte.index("<cac:TenderSubmissionDeadlinePeriod>")
    fin = texte.index("</cac:TenderSubmissionDeadlinePeriod>") + len("</cac:TenderSubmissionDeadlinePeriod>")
    abime = tmp_path / "sans-dlro.xml"
    abime.write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    rapports, _ = valider_mpe([abime])
    r = rapports["sans-dlro.xml"]
    assert not r["valide"]
    assert echecs(r) == validateur.valider(abime, "eforms-16").echecs


# --- Bad inputs: each with its typed code (stderr "erreur NOM (code)") --------------------------


def erreur(args: list[str], cwd: pathlib.Path | None = None) -> str:
    p = subprocess.run([str(mpe_bin()), "avis", "valider", *args], capture_output=True, text=True, timeout=600, cwd=cwd)
    assert p.returncode not in (0, 5), p.stdout
    return p.stderr


def test_pas_xml(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "a.xml"
    f.write_text("<pas du xml", encoding="utf-8")
    assert "AVIS_ILLISIBLE (910)" in erreur(["--sdk", str(SDK), str(f)])


def test_pas_eforms(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "a.xml"
    f.write_text("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", encoding="utf-8")
    assert "AVIS_NON_EFORMS (911)" in erreur(["--sdk", str(SDK), str(f)])


def test_sous_type_inconnu(tmp_path: pathlib.Path) -> None:
    f = tmp_path / "a.xml"
    texte = (EXEMPLES / "cn_24_FRA_comments.xml").read_text(encoding="utf-8")
    f.write_text(texte.replace("<cbc:SubTypeCode listName=\"notice-subtype\">16<", "<cbc:SubTypeCode listName=\"notice-subtype\">99<"), encoding="utf-8")
    assert "99<" in f.read_text(encoding="utf-8")
    assert "PHASE_INCONNUE (931)" in erreur(["--sdk", str(SDK), str(f)])
    assert "PHASE_INCONNUE (931)" in erreur(["--sdk", str(SDK), "--phase", "eforms-99", str(EXEMPLES / "cn_24_FRA_comments.xml")])


def test_sch_casse(tmp_path: pathlib.Path) -> None:
    """A broken copy of the SDK's rules: missing include, not XML, XPath that does not compile."""
    import shutil

    sdk = tmp_path / "1.15.1"
    shutil.copytree(SDK / "schematrons" / "static", sdk / "schematrons" / "static")
    avis = str(EXEMPLES / "cn_24_FRA_comments.xml")
    etape = sdk / "schematrons" / "static" / "validation-stage-1a.sch"
    original = etape.read_text(encoding="utf-8")
    etape.write_text(original.replace('test="@schemeName"', 'test="@schemeName["'), encoding="utf-8")
    assert "SCHEMATRON_ILLISIBLE (930)" in erreur(["--sdk", str(sdk), avis])
    etape.write_text("<pattern", encoding="utf-8")
    assert "SCHEMATRON_ILLISIBLE (930)" in erreur(["--sdk", str(sdk), avis])
    etape.unlink()
    assert "ES (103)" in erreur(["--sdk", str(sdk), avis])
    assert "ARGUMENT_INVALIDE (101)" in subprocess.run(
        [str(mpe_bin()), "avis", "valider", avis], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    ).stderr
