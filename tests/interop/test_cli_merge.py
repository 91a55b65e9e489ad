"""`mpe fusionner` checked by python-docx: a template written with python-docx (placeholders in
paragraphs, split across runs, in a header, and a table row repeated over a list) is merged
by the `mpe` command; python-docx opens the result and finds every value; `--list-fields`
lists what the template expects. Run from the repository root."""

from __future__ import annotations

import json
import pathlib

import docx
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

DONNEES = {
    "acheteur": {"nom": "Ville de Villeurbanne"},
    "reference": "AOO_2026/0611",
    "titulaire": "Isolation du Rhône SAS",
    "date": "2027-01-05",
    "lots": [
        {"numero": 1, "intitule": "Isolation thermique par l'extérieur", "montant": 498700},
        {"numero": 2, "intitule": "Menuiseries extérieures", "montant": 395000.5},
    ],
}


@pytest.fixture
def modele(tmp_path: pathlib.Path) -> pathlib.Path:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "Réf. {{ reference }}"
    doc.add_paragraph("Acheteur : {{ acheteur.nom }}")
    p = doc.add_paragraph("Titulaire : ")
    # Word often splits a placeholder across runs (spelling marks, formatting).
    p.add_run("{{ titu")
    p.add_run("laire }}").bold = True
    doc.add_paragraph("Notifié le {{ date | date }}")
    t = doc.add_table(rows=2, cols=3)
    for c, h in zip(t.rows[0].cells, ("Lot", "Intitulé", "Montant HT")):
        c.text = h
    ligne = t.rows[1].cells
    ligne[0].text = "{{#lots}}{{ numero }}"
    ligne[1].text = "{{ intitule }}"
    ligne[2].text = "{{ montant | montant }}{{/lots}}"
    chemin = tmp_path / "modele.docx"
    doc.save(str(chemin))
    return chemin


def texte(d: docx.document.Document) -> str:
    parties = [p.text for p in d.paragraphs]
    parties += [c.text for t in d.tables for r in t.rows for c in r.cells]
    parties += [p.text for s in d.sections for p in s.header.paragraphs]
    return "\n".join(parties)


def test_python_docx_finds_the_merged_values(mpe_cli, modele, tmp_path):
    (tmp_path / "donnees.json").write_text(json.dumps(DONNEES, ensure_ascii=False), encoding="utf-8")
    r = mpe_cli(tmp_path, "fusionner", str(modele), "donnees.json", "-o", "sortie.docx")
    assert r.returncode == 0, r.stderr
    d = docx.Document(str(tmp_path / "sortie.docx"))
    t = texte(d)
    assert "Acheteur : Ville de Villeurbanne" in t
    assert "Titulaire : Isolation du Rhône SAS" in t
    assert "Notifié le 05/01/2027" in t
    assert "Réf. AOO_2026/0611" in t
    assert "{{" not in t and "}}" not in t
    # The row repeated once per lot, amounts in French.
    table = d.tables[0]
    assert len(table.rows) == 3
    assert [c.text for c in table.rows[1].cells][:2] == ["1", "Isolation thermique par l'extérieur"]
    assert table.rows[2].cells[1].text == "Menuiseries extérieures"
    montant = table.rows[2].cells[2].text
    # French spacing: narrow no-break space between thousands, no-break space before €.
    assert montant == "395\u202f000,50\u00a0€", repr(montant)


def test_list_fields_names_what_the_template_expects(mpe_cli, modele, tmp_path):
    r = mpe_cli(tmp_path, "fusionner", "--lister-champs", str(modele), "--json")
    assert r.returncode == 0, r.stderr
    champs = {(c["nom"], c["genre"]) for c in json.loads(r.stdout)}
    assert {("acheteur.nom", "valeur"), ("titulaire", "valeur"), ("lots", "section"), ("reference", "valeur")} <= champs
    r = mpe_cli(tmp_path, "fusionner", "--lister-champs", str(modele))
    assert r.returncode == 0 and "acheteur.nom" in r.stdout


def test_missing_data_is_refused_and_nothing_written(mpe_cli, modele, tmp_path):
    incomplet = {k: v for k, v in DONNEES.items() if k != "titulaire"}
    (tmp_path / "d.json").write_text(json.dumps(incomplet), encoding="utf-8")
    r = mpe_cli(tmp_path, "fusionner", str(modele), "d.json", "-o", "sortie.docx")
    assert r.returncode == 9
    assert "DONNEES_MANQUANTES (601)" in r.stderr and "titulaire" in r.stderr
    assert not (tmp_path / "sortie.docx").exists()
    r = mpe_cli(tmp_path, "fusionner", str(modele), "d.json", "-o", "sortie.docx", "--non-strict")
    assert r.returncode == 0, r.stderr
    assert "Titulaire : \n" in texte(docx.Document(str(tmp_path / "sortie.docx"))) + "\n"
