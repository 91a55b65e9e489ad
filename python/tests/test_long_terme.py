"""pytest of the long-term signature API (B-LT, B-LTA) in two steps, the TSA being
`openssl ts -reply` run by the test (the host's part): a PAdES signature timestamped (B-T),
its validation data added to the /DSS (B-LT), then a document timestamp (B-LTA), verified
with the CRL from the file only."""

from __future__ import annotations

import base64
import pathlib
import shutil
import subprocess

import pytest

import mpe

RACINE = pathlib.Path(__file__).resolve().parents[2]
V = RACINE / "tests" / "vectors" / "signature"
DATE = "2027-01-15T10:00:00Z"


def tsa(dossier: pathlib.Path, requete: bytes) -> bytes:
    """What the host's TSA answers (openssl ts -reply on the test TSA)."""
    if not (dossier / "tsa.cnf").exists():
        for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"]:
            shutil.copy(V / f, dossier / f)
    (dossier / "req.tsq").write_bytes(requete)
    subprocess.run(
        ["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "req.tsq", "-out", "resp.tsr"],
        cwd=dossier, check=True, capture_output=True,
    )
    return (dossier / "resp.tsr").read_bytes()


def test_b_lt_puis_b_lta_en_deux_temps(tmp_path: pathlib.Path) -> None:
    ca = (V / "ca.pem").read_bytes()
    crl = (V / "crl.pem").read_bytes()
    pdf = mpe.signature.signer(
        "pades", (V / "simple.pdf").read_bytes(), cle_pem=(V / "signataire.key").read_bytes(),
        certificats_pem=(V / "signataire.pem").read_bytes(), date=DATE,
    )
    bt = mpe.horodatage.ajouter(pdf, tsa(tmp_path, mpe.horodatage.generer_requete(pdf, nonce=3)))

    donnees = mpe.signature.collecter_donnees_validation(bt, ancres_pem=ca, crls_pem=crl)
    # The signer and its CA, the TSA (its CA already counted); the CA's CRL.
    assert len(donnees["certificats"]) == 3
    assert len(donnees["crls"]) == 1
    lt = mpe.signature.ajouter_donnees_validation(bt, donnees)
    assert lt.startswith(bt) and b"/DSS" in lt[len(bt):]

    preparation = mpe.horodatage.preparer_document(lt, nonce=4)
    requete = base64.b64decode(preparation["requete"])
    lta = mpe.horodatage.finir_document(preparation, tsa(tmp_path, requete))
    assert lta.startswith(lt) and b"/DocTimeStamp" in lta

    # Verified with the anchors only: the CRL comes from the file.
    for fichier, niveau in [(bt, "B-T"), (lt, "B-LT"), (lta, "B-LTA")]:
        rapport = mpe.signature.verifier(fichier, ancres_pem=ca)
        s = rapport["signatures"][0]
        assert s["statut"] == "VALIDE", s["raison"]
        assert s["niveau"] == niveau
    s = mpe.signature.verifier(lta, ancres_pem=ca)["signatures"][0]
    assert [r["source"] for r in s["revocations"]] == ["CRL"]
    assert [h["valide"] for h in s["pdf"]["horodatages_document"]] == [True]

    # A token over other bytes (the first one) is refused.
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.horodatage.finir_document(preparation, tsa(tmp_path, mpe.horodatage.generer_requete(pdf)))
    assert e.value.nom == "HORODATAGE_DOCUMENT_INCORRECT"


def test_cades_detachee_b_lt_puis_b_lta(tmp_path: pathlib.Path) -> None:
    ca = (V / "ca.pem").read_bytes()
    crl = (V / "crl.pem").read_bytes()
    offre = b"Offre, lot 1\n"
    p7s = mpe.signature.signer(
        "cades", offre, cle_pem=(V / "signataire.key").read_bytes(),
        certificats_pem=(V / "signataire.pem").read_bytes(), date=DATE,
    )
    bt = mpe.horodatage.ajouter(p7s, tsa(tmp_path, mpe.horodatage.generer_requete(p7s, nonce=3)))
    donnees = mpe.signature.collecter_donnees_validation(bt, ancres_pem=ca, crls_pem=crl)
    assert len(donnees["crls"]) == 1
    lt = mpe.signature.ajouter_donnees_validation(bt, donnees)
    # Without the signed file, no archive imprint.
    with pytest.raises(mpe.exceptions.ErreurSignature) as e:
        mpe.horodatage.preparer_document(lt)
    assert e.value.nom == "FICHIER_SIGNE_MANQUANT"
    preparation = mpe.horodatage.preparer_document(lt, nonce=4, donnees=offre)
    lta = mpe.horodatage.finir_document(preparation, tsa(tmp_path, base64.b64decode(preparation["requete"])))
    for fichier, niveau in [(lt, "B-LT"), (lta, "B-LTA")]:
        s = mpe.signature.verifier(fichier, offre, ancres_pem=ca)["signatures"][0]
        assert s["statut"] == "VALIDE", s["raison"]
        assert s["niveau"] == niveau
        assert [r["source"] for r in s["revocations"]] == ["CRL"]
    s = mpe.signature.verifier(lta, offre, ancres_pem=ca)["signatures"][0]
    assert [h["valide"] for h in s["horodatages_archive"]] == [True]


def test_xades_b_lt_puis_b_lta(tmp_path: pathlib.Path) -> None:
    """The same two steps on a detached XAdES: CertificateValues / RevocationValues, then an
    xadesv141:ArchiveTimeStamp whose input includes the signed document."""
    ca = (V / "ca.pem").read_bytes()
    crl = (V / "crl.pem").read_bytes()
    offre = b"Offre de l'entreprise Test\n"
    sig = mpe.signature.signer(
        "xades", offre, cle_pem=(V / "signataire.key").read_bytes(),
        certificats_pem=(V / "signataire.pem").read_bytes(), date=DATE, options={"nom_fichier": "offre.txt"},
    )
    bt = mpe.horodatage.ajouter(sig, tsa(tmp_path, mpe.horodatage.generer_requete(sig, nonce=3)))
    donnees = mpe.signature.collecter_donnees_validation(bt, ancres_pem=ca, crls_pem=crl)
    assert len(donnees["certificats"]) == 3 and len(donnees["crls"]) == 1
    lt = mpe.signature.ajouter_donnees_validation(bt, donnees)
    assert b"<xades:CertificateValues>" in lt and b"<xades:CRLValues>" in lt
    # The signed part is unchanged.
    debut = bt.index(b"<ds:SignedInfo>")
    fin = bt.index(b"</ds:SignedInfo>")
    assert bt[debut:fin] in lt

    # Without the detached document, no archive timestamp can be computed.
    with pytest.raises(mpe.exceptions.ErreurMpe):
        mpe.horodatage.preparer_document(lt, nonce=4)
    preparation = mpe.horodatage.preparer_document(lt, nonce=4, donnees=offre)
    lta = mpe.horodatage.finir_document(preparation, tsa(tmp_path, base64.b64decode(preparation["requete"])))
    assert b"<xadesv141:ArchiveTimeStamp" in lta

    for fichier, niveau in [(bt, "B-T"), (lt, "B-LT"), (lta, "B-LTA")]:
        s = mpe.signature.verifier(fichier, offre, ancres_pem=ca)["signatures"][0]
        assert s["statut"] == "VALIDE", s["raison"]
        assert s["niveau"] == niveau
    s = mpe.signature.verifier(lta, offre, ancres_pem=ca)["signatures"][0]
    assert [r["source"] for r in s["revocations"]] == ["CRL"]
    assert [h["valide"] for h in s["horodatages_archive"]] == [True]
