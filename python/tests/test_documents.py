"""mpe.documents from Python: merge, fields, forms, document space, errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

import mpe
import mpe.documents as d


def _xml(docx: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(part).decode()


def test_catalogue_has_the_fifteen_forms():
    codes = [f["code"] for f in d.catalogue()]
    assert codes == ["OUV3", "OUV4", "OUV5", "OUV6", "OUV7", "OUV8", "OUV9", "OUV10", "OUV11",
                     "NOT11", "NOT13", "NOT14", "NOT15", "NOT17", "NOT18"]


def test_generate_every_form():
    p = d.example_procedure()
    for f in d.catalogue():
        xml = _xml(d.generate_form(f["code"], p))
        assert "{{" not in xml and "Villeurbanne" in xml


def test_merge_bytes_like_and_path(tmp_path):
    tpl = d.form_template("OUV10")
    data = d.form_data("OUV10", d.example_procedure())
    a = d.merge(tpl, data)
    b = d.merge(bytearray(tpl), data)
    path = tmp_path / "m.docx"
    path.write_bytes(tpl)
    c = d.merge(path, data)
    assert a == b == c
    assert "Thermia Services" in _xml(a)
    d.merge_file(path, data, tmp_path / "out.docx")
    assert (tmp_path / "out.docx").read_bytes() == a


def test_missing_data_lists_every_field():
    tpl = d.form_template("NOT15")
    with pytest.raises(mpe.DocumentError) as e:
        d.merge(tpl, {"contrat": {"numero": "1"}})
    assert e.value.code == 601
    assert "contrat.montant_ht" in str(e.value) and "organisme.nom" in str(e.value)
    assert d.merge(tpl, {}, strict=False)[:2] == b"PK"


def test_fields_and_errors():
    fields = d.list_fields(d.form_template("OUV8"))
    lots = next(f for f in fields if f["nom"] == "offres")
    assert lots["genre"] == "section" and lots["sections"] == ["lots"]
    with pytest.raises(mpe.DocumentError) as e:
        d.list_fields(b"not a docx")
    assert e.value.code == 600
    with pytest.raises(mpe.DocumentError) as e:
        d.generate_form("XYZ", d.example_procedure())
    assert e.value.code == 602
    with pytest.raises(mpe.InvalidInput):
        d.merge(d.form_template("OUV3"), "{not json")


def test_document_space(tmp_path):
    t = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    s = d.space_new("2026-TRV-014")
    s = d.space_add(s, "dce", "RC.pdf", b"%PDF-1.7 rc", t)
    s = d.space_add(s, "generees", "NOT13.docx", b"PK..", t, model="NOT13")
    pieces = d.space_list(s)
    assert [p["nom"] for p in pieces] == ["RC.pdf", "NOT13.docx"]
    assert pieces[0]["taille"] == 11
    z = d.space_zip(s, [], {"P000001": b"%PDF-1.7 rc", "P000002": b"PK.."})
    with zipfile.ZipFile(io.BytesIO(z)) as zf:
        assert zf.namelist() == ["1 - Pièces du DCE/RC.pdf", "6 - Pièces générées à partir d'un modèle/NOT13.docx"]
    f = tmp_path / "rc"
    f.write_bytes(b"%PDF-1.7 rc")
    d.space_zip_file(s, ["P000001"], {"P000001": f}, tmp_path / "a.zip")
    assert zipfile.ZipFile(tmp_path / "a.zip").namelist() == ["1 - Pièces du DCE/RC.pdf"]
    with pytest.raises(mpe.DocumentError):
        d.space_zip(s, ["P000001"], {"P000001": b"altered"})
    with pytest.raises(mpe.InvalidInput):
        d.space_add(s, "nope", "a", b"", t)
