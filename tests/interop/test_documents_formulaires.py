"""DAJ forms and templates checked by independent tools: LibreOffice (conversion to PDF),
python-docx (the merged values are in the text, no field markup left), openxml-audit (no
OOXML error), pdftotext. Also: a template re-saved by LibreOffice, and a template with
Word-style split runs, MERGEFIELDs and content controls, merge correctly.

A missing tool fails the test (never skipped)."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx  # python-docx
import pytest

import mpe
from docx.oxml.ns import qn
from lxml import etree


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUDIT = Path(sys.executable).with_name("openxml-audit")


def soffice(args: list[str], profile: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) introuvable : paquet libreoffice-writer-nogui"
    r = subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *args],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Error" not in r.stderr, r.stderr


def audit(files: dict[str, Path], work: Path) -> dict[str, list[dict]]:
    """Run openxml-audit once over copies of the files; errors by name."""
    assert AUDIT.exists(), "openxml-audit introuvable (pip install openxml-audit)"
    folder = work / f"audit-{len(list(work.glob('audit-*')))}"
    folder.mkdir()
    for name, p in files.items():
        shutil.copy(p, folder / f"{name}.docx")
    r = subprocess.run([str(AUDIT), "-r", "-m", "0", "-o", "json", str(folder)],
                       capture_output=True, text=True, timeout=300)
    report = json.loads(r.stdout)
    assert len(report) == len(files), r.stdout[:2000] + r.stderr
    return {Path(x["file"]).stem: x["errors"] for x in report}


def all_text(document: docx.document.Document) -> str:
    """Body paragraphs, table cells (nested), headers and footers."""
    parts = [p.text for p in document.paragraphs]

    def tables(ts):
        for t in ts:
            for row in t.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    for s in document.sections:
        parts.extend(p.text for p in s.header.paragraphs)
        parts.extend(p.text for p in s.footer.paragraphs)
    return "\n".join(parts)


def no_field_markup(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                for marker in ("{{", "}}", "MERGEFIELD", "<w:sdt>", "<w:sdt "):
                    assert marker not in xml, f"{path.name}:{name} contient {marker}"
                # Word's merge-field display text («nom») is gone too.
                assert not re.search(r"«[\w.:]+»", xml), f"{path.name}:{name}"


# Values each form must show once merged from the example procedure.
ATTENDU = {
    "OUV3": ["Menuiz'Express", "attestation d'assurance décennale non fournie", "123\u00a0456\u00a0789\u00a000012"],
    "OUV4": ["Mme Sophie Bernard", "Le quorum étant atteint", "20 mars 2026 à 14:30"],
    "OUV5": ["Isolec SAS", "Thermia Services", "Menuiz'Express"],
    "OUV6": ["Préciser le phasage", "23 mars 2026 à 12:00"],
    "OUV7": ["Les menuiseries seront posées", "Alu 70"],
    "OUV8": ["Valeur technique", "789\u202f500,50\u00a0€", "90,50", "412\u202f345,56\u00a0€"],
    "OUV9": ["Bâtiroc & Fils SARL", "1\u202f201\u202f846,06\u00a0€"],
    "OUV10": ["sept cent quatre-vingt-neuf mille cinq cents euros et cinquante centimes",
              "quatre cent douze mille trois cent quarante-cinq euros et cinquante-six centimes"],
    "OUV11": ["Démarrage des travaux fixé au 6 juillet 2026", "947\u202f400,60\u00a0€"],
    "NOT11": ["Bâtiroc & Fils SARL", "6 avril 2026", "5 avril 2026"],
    "NOT13": ["Isolec SAS", "81,00 / 100", "6 avril 2026", "tribunal administratif de Lyon"],
    "NOT14": ["2 février 2026", "16 mars 2026 à 12:00", "1\u202f234\u202f567,80\u00a0€", "2026-014-01"],
    "NOT15": ["2026-014-01", "157\u202f900,10\u00a0€", "neuf cent quarante-sept mille quatre cents euros et soixante centimes",
              "08/04/2026", "10 avril 2026"],
    "NOT17": ["Banque Populaire", "47\u202f370,03\u00a0€", "quarante-sept mille trois cent soixante-dix euros et trois centimes",
              "10 avril 2028"],
    "NOT18": ["renonçant aux bénéfices de discussion", "605\u00a0991\u00a0372\u00a000011"],
}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(scope="module")
def generated(work) -> dict[str, Path]:
    procedure = mpe.formulaire.lire_exemple()
    out = {}
    for f in mpe.formulaire.lister():
        p = work / f"{f['code']}.docx"
        p.write_bytes(mpe.formulaire.generer(f["code"], procedure))
        out[f["code"]] = p
    return out


def split_runs_template(path: Path) -> None:
    """A template as Word leaves it: placeholders split across runs with different
    formatting, spelling marks and a bookmark in the middle, a complex MERGEFIELD whose
    instruction spans runs, a simple MERGEFIELD, a tagged content control with placeholder
    styling and a data binding, and a table row loop."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Réf. {{ consultation.reference }}"
    p = document.add_paragraph()
    for i, chunk in enumerate(["Objet : {", "{ consul", "tation.obj", "et }", "} – fin"]):
        r = p.add_run(chunk)
        r.bold = i % 2 == 1
    el = p._p
    runs = el.findall(qn("w:r"))
    proof = etree.SubElement(el, qn("w:proofErr"))
    proof.set(qn("w:type"), "spellStart")
    runs[1].addnext(proof)
    bm = etree.Element(qn("w:bookmarkStart"))
    bm.set(qn("w:id"), "0")
    bm.set(qn("w:name"), "_GoBack")
    runs[2].addnext(bm)
    be = etree.Element(qn("w:bookmarkEnd"))
    be.set(qn("w:id"), "0")
    runs[3].addnext(be)
    fields = etree.fromstring(
        f"""<w:p xmlns:w="{W}"><w:r><w:t xml:space="preserve">Date limite : </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> MERGEFIELD  consultation.date</w:instrText></w:r><w:r><w:instrText xml:space="preserve">_limite \\@ "dddd d MMMM yyyy" \\* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:noProof/></w:rPr><w:t>«consultation.date_limite»</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> – acheteur : </w:t></w:r><w:fldSimple w:instr=" MERGEFIELD organisme.nom \\* Upper "><w:r><w:t>«organisme.nom»</w:t></w:r></w:fldSimple></w:p>"""
    )
    document.element.body.append(fields)
    sdt = etree.fromstring(
        f"""<w:p xmlns:w="{W}"><w:r><w:t xml:space="preserve">Représentant : </w:t></w:r><w:sdt><w:sdtPr><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:tag w:val="organisme.representant.nom"/><w:showingPlcHdr/><w:dataBinding w:xpath="/ns0:root[1]/ns0:rep[1]" w:storeItemID="{{00000000-0000-0000-0000-000000000001}}"/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Cliquez ou appuyez ici pour entrer du texte.</w:t></w:r></w:sdtContent></w:sdt></w:p>"""
    )
    document.element.body.append(sdt)
    t = document.add_table(rows=1, cols=3)
    cells = t.rows[0].cells
    cells[0].paragraphs[0].add_run("{{#cand")
    cells[0].paragraphs[0].add_run("idats}}{{ numero }}")
    cells[1].paragraphs[0].add_run("{{ raison_sociale }}")
    cells[2].paragraphs[0].add_run("{{ siret | siret }}{{/candidats}}")
    document.add_paragraph("{{#a_non_admis}}")
    document.add_paragraph("Au moins une candidature n'est pas admise.")
    document.add_paragraph("{{/a_non_admis}}")
    # python-docx places sectPr last; keep it there.
    body = document.element.body
    body.append(body.find(qn("w:sectPr")))
    document.save(str(path))


def test_forms_templates_and_conversions(work, generated):
    procedure = mpe.formulaire.lire_exemple()
    profile = work / "lo-profile"

    # 1. Templates re-saved by LibreOffice (one soffice call for two templates).
    lo_in = work / "lo-in"
    lo_in.mkdir()
    for code in ("OUV8", "NOT13"):
        (lo_in / f"{code}.docx").write_bytes(mpe.formulaire.lire_modele(code))
    lo_saved = work / "lo-saved"
    soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(lo_saved),
             *[str(p) for p in sorted(lo_in.iterdir())]], profile)
    merged_lo = {}
    for code in ("OUV8", "NOT13"):
        saved = lo_saved / f"{code}.docx"
        assert saved.exists()
        assert {f["nom"] for f in mpe.document.lister_champs(saved)} >= {"consultation.reference", "organisme.nom"}
        out = work / f"LO-{code}.docx"
        out.write_bytes(mpe.document.fusionner(saved, mpe.formulaire.generer_donnees(code, procedure)))
        merged_lo[code] = out

    # 2. A Word-style template with split runs, fields and a content control.
    split = work / "split-template.docx"
    split_runs_template(split)
    split_out = work / "SPLIT.docx"
    split_out.write_bytes(mpe.document.fusionner(split, mpe.formulaire.generer_donnees("OUV3", procedure)))

    every = {**generated, **{f"LO-{k}": v for k, v in merged_lo.items()}, "SPLIT": split_out}

    # 3. python-docx: values in, markup out; openxml-audit: no error.
    for name, path in every.items():
        text = all_text(docx.Document(str(path)))
        assert "Ville de Villeurbanne" in text or "VILLE DE VILLEURBANNE" in text, name
        assert "2026-TRV-014" in text or name in ("OUV7", "NOT17", "NOT18"), name
        for value in ATTENDU.get(name.removeprefix("LO-"), []):
            assert value in text, f"{name}: {value!r} absent"
        no_field_markup(path)

    # openxml-audit: no error in what mpe produced. LibreOffice's own output carries
    # findings of its own (e.g. w:val="true"), so a document merged from a LibreOffice
    # template may only have the kinds of findings its template already had.
    # The same holds for python-docx's default template, raw-copied parts included.
    found = audit({**every, **{f"TPL-{c}": lo_saved / f"{c}.docx" for c in merged_lo}, "TPL-SPLIT": split}, work)
    for name in every:
        errors = found[name]
        if name.startswith("LO-") or name == "SPLIT":
            allowed = {e["description"] for e in found["TPL-" + name.removeprefix("LO-")]}
            errors = [e for e in errors if e["description"] not in allowed]
        assert errors == [], f"{name}: " + json.dumps(errors, ensure_ascii=False, indent=1)

    text = all_text(docx.Document(str(split_out)))
    assert "Objet : Travaux de rénovation énergétique" in text and "– fin" in text
    assert "Date limite : lundi 16 mars 2026" in text
    assert "VILLE DE VILLEURBANNE" in text
    assert "Représentant : M. Jean Dupont" in text
    assert "Réf. 2026-TRV-014" in text
    assert "Menuiz'Express" in text and "444\u00a0555\u00a0666\u00a000033" in text
    assert "Au moins une candidature n'est pas admise." in text
    with zipfile.ZipFile(split_out) as z:
        xml = z.read("word/document.xml").decode()
    assert "PlaceholderText" not in xml and "dataBinding" not in xml and "Cliquez" not in xml
    assert xml.count("<w:tr") == 4  # one row per candidate

    # 4. LibreOffice converts every merged document to PDF in one invocation.
    pdf_dir = work / "pdf"
    soffice(["--convert-to", "pdf", "--outdir", str(pdf_dir), *[str(p) for p in every.values()]], profile)
    for path in every.values():
        pdf = pdf_dir / (path.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, pdf
        assert pdf.read_bytes().startswith(b"%PDF")
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext introuvable (poppler-utils)"
    txt = subprocess.run([exe, str(pdf_dir / "NOT15.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "2026-014-01" in txt and "Villeurbanne" in txt
