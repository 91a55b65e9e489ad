"""mpe.documents from Python: merge, fields, forms, document space, errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

import mpe


def _xml(docx: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(part).decode()


def test_catalogue_has_the_fifteen_forms():
    codes = [f["code"] for f in mpe.formulaire.lister()]
    assert codes == ["OUV3", "OUV4", "OUV5", "OUV6", "OUV7", "OUV8", "OUV9", "OUV10", "OUV11",
                     "NOT11", "NOT13", "NOT14", "NOT15", "NOT17", "NOT18"]


def test_generate_every_form():
    p = mpe.formulaire.lire_exemple()
    for f in mpe.formulaire.lister():
        xml = _xml(mpe.formulaire.generer(f["code"], p))
        assert "{{" not in xml and "Villeurbanne" in xml


def test_merge_bytes_like_and_path(tmp_path):
    tpl = mpe.formulaire.lire_modele("OUV10")
    data = mpe.formulaire.generer_donnees("OUV10", mpe.formulaire.lire_exemple())
    a = mpe.document.fusionner(tpl, data)
    b = mpe.document.fusionner(bytearray(tpl), data)
    path = tmp_path / "m.docx"
    path.write_bytes(tpl)
    c = mpe.document.fusionner(path, data)
    assert a == b == c
    assert "Thermia Services" in _xml(a)
    mpe.document.fusionner_fichier(path, data, tmp_path / "out.docx")
    assert (tmp_path / "out.docx").read_bytes() == a


def test_missing_data_lists_every_field():
    tpl = mpe.formulaire.lire_modele("NOT15")
    with pytest.raises(mpe.exceptions.ErreurDocument) as e:
        mpe.document.fusionner(tpl, {"contrat": {"numero": "1"}})
    assert e.value.code == 601
    assert "contrat.montant_ht" in str(e.value) and "organisme.nom" in str(e.value)
    assert mpe.document.fusionner(tpl, {}, strict=False)[:2] == b"PK"


def test_fields_and_errors():
    fields = mpe.document.lister_champs(mpe.formulaire.lire_modele("OUV8"))
    lots = next(f for f in fields if f["nom"] == "offres")
    assert lots["genre"] == "section" and lots["sections"] == ["lots"]
    with pytest.raises(mpe.exceptions.ErreurDocument) as e:
        mpe.document.lister_champs(b"not a docx")
    assert e.value.code == 600
    with pytest.raises(mpe.exceptions.ErreurDocument) as e:
        mpe.formulaire.generer("XYZ", mpe.formulaire.lire_exemple())
    assert e.value.code == 602
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.document.fusionner(mpe.formulaire.lire_modele("OUV3"), "{not json")


def test_document_space(tmp_path):
    t = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    s = mpe.espace.nouveau("2026-TRV-014")
    s = mpe.espace.ajouter(s, "dce", "RC.pdf", b"%PDF-1.7 rc", t)
    s = mpe.espace.ajouter(s, "generees", "NOT13.docx", b"PK..", t, modele="NOT13")
    pieces = mpe.espace.lister(s)
    assert [p["nom"] for p in pieces] == ["RC.pdf", "NOT13.docx"]
    assert pieces[0]["taille"] == 11
    z = mpe.espace.exporter_zip(s, [], {"P000001": b"%PDF-1.7 rc", "P000002": b"PK.."})
    with zipfile.ZipFile(io.BytesIO(z)) as zf:
        assert zf.namelist() == ["1 - Pièces du DCE/RC.pdf", "6 - Pièces générées à partir d'un modèle/NOT13.docx"]
    f = tmp_path / "rc"
    f.write_bytes(b"%PDF-1.7 rc")
    mpe.espace.exporter_zip_fichier(s, ["P000001"], {"P000001": f}, tmp_path / "a.zip")
    assert zipfile.ZipFile(tmp_path / "a.zip").namelist() == ["1 - Pièces du DCE/RC.pdf"]
    with pytest.raises(mpe.exceptions.ErreurDocument):
        mpe.espace.exporter_zip(s, ["P000001"], {"P000001": b"altered"})
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.espace.ajouter(s, "nope", "a", b"", t)
