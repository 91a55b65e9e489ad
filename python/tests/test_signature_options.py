"""pytest of the verification options (named documents, PDF limits, intermediates, CRLs,
validation time) and of the per-revision list of a PDF, on real files of the shared corpus
(``MPE_CORPUS``, else ``../shared/corpus`` beside the repository)."""

from __future__ import annotations

import os
import pathlib

import pytest

import mpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
CORPUS = pathlib.Path(os.environ.get("MPE_CORPUS") or RACINE.parent / "shared" / "corpus")
V = RACINE / "tests" / "vectors" / "signature"


def lire(chemin: str) -> bytes:
    p = CORPUS / chemin
    assert p.is_file(), f"corpus introuvable : {p}"
    return p.read_bytes()


def test_revisions_d_un_pdf_signe_deux_fois() -> None:
    rapport = mpe.signature.verifier(lire("signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf"))
    premiere, seconde = rapport["signatures"]
    revisions = premiere["pdf"]["revisions"]
    assert revisions and revisions[0]["numero"] == 1
    assert len(revisions) == premiere["pdf"]["revisions_suivantes"]
    changements = [c for r in revisions for c in r["changements"]]
    assert all(c["autorise"] for c in changements), changements
    assert "SIGNATURE" in {c["categorie"] for c in changements}
    assert seconde["pdf"]["revisions"] == []


def test_limites_pdf() -> None:
    pdf = lire("signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf")
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.signature.verifier(pdf, limites_pdf={"revisions_max": 1})
    assert e.value.nom == "LIMITE_DEPASSEE" and "revisions_max" in str(e.value)


def test_documents_nommes_xades_detachee(tmp_path: pathlib.Path) -> None:
    xml = lire("signatures/xades/dss/Signature-X-HU_MIC-1.xml")
    doc = lire("signatures/xades/dss/Signature-X-HU_MIC-1.xml.doc.txt")
    rapport = mpe.signature.verifier(xml, documents_nommes={"doc.txt": bytearray(doc)})
    # No anchor: intact, not trusted.
    assert rapport["statut"] == "INDETERMINE"
    assert rapport["signatures"][0]["integrite"] is True
    assert mpe.signature.verifier(xml, documents_nommes={"doc.txt": b"autre"})["statut"] == "INVALIDE"
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.signature.verifier(xml)
    assert e.value.nom == "FICHIER_SIGNE_MANQUANT"
    with pytest.raises(TypeError):
        mpe.signature.verifier(xml, documents_nommes={"doc.txt": 42})  # type: ignore[dict-item]
    (tmp_path / "s.xml").write_bytes(xml)
    r = mpe.signature.verifier_fichier(tmp_path / "s.xml", documents_nommes={"doc.txt": doc})
    assert r["statut"] == "INDETERMINE"


def test_intermediaire_ancre_et_date() -> None:
    pdf = lire("signatures/pades/pyhanko/pades-lta-dss-indirect-arrs-test.pdf")
    racine = lire("signatures/trust/pyhanko/testing-ca-root.cert.pem")
    interm = lire("signatures/trust/pyhanko/testing-ca-interm.cert.pem")
    r = mpe.signature.verifier(pdf, ancres_pem=racine, intermediaires_pem=interm, date="2020-11-01T00:00:00Z")
    assert r["statut"] == "VALIDE", r["resume"]
    categories = {c["categorie"] for s in r["signatures"] for rv in s["pdf"]["revisions"] for c in rv["changements"]}
    assert categories & {"DSS", "HORODATAGE_DOCUMENT"}, categories


def test_crl_revoque() -> None:
    key = (V / "revoque.key").read_bytes()
    cert = (V / "revoque.pem").read_bytes()
    sig = mpe.signature.signer("cades", b"offre", cle_pem=key, certificats_pem=cert, date="2027-01-15T10:00:00Z")
    sans = mpe.signature.verifier(sig, b"offre", ancres_pem=(V / "ca.pem").read_bytes(), date="2027-01-15T12:00:00Z")
    assert sans["signatures"][0]["revoque"] is None
    avec = mpe.signature.verifier(
        sig, b"offre", ancres_pem=(V / "ca.pem").read_bytes(), crls_pem=(V / "crl.pem").read_bytes(),
        date="2027-01-15T12:00:00Z",
    )
    assert avec["statut"] == "INVALIDE" and avec["signatures"][0]["code"] == "CERTIFICAT_REVOQUE"
