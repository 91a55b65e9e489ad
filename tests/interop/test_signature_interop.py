"""Interoperability of mpe's signatures with independent tools, both ways.

Ours verified by others: CAdES by ``openssl cms -verify`` and pyHanko (detached); XAdES by
``xmlsec1 --verify`` and signxml's XAdES verifier; PAdES by pyHanko and pdfsig (poppler).
Theirs verified by us: ``openssl cms -sign -cades``, pyHanko PAdES (signed twice, and with
content appended after signing), XAdES signed by xmlsec1 from a template. Tampered copies
are rejected. A missing tool fails the test (no skip).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import pathlib
import re
import shutil
import subprocess

import pytest

import mpe
from cryptography import x509


V = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "signature"
KEY = (V / "signataire.key").read_bytes()
CERT = (V / "signataire.pem").read_bytes()
CA = (V / "ca.pem").read_bytes()
# Signing date: our certificates are valid 2024-2040; the tools validate "now".
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
PY = pathlib.Path(__file__).resolve().parents[2] / ".venv" / "bin"


def tool(name: str) -> str:
    path = shutil.which(name) or (str(PY / name) if (PY / name).exists() else None)
    assert path, f"outil manquant : {name}"
    return path


def run(*args: str | pathlib.Path, cwd: pathlib.Path | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    if ok:
        assert p.returncode == 0, f"{args[0]} a échoué :\n{p.stdout}\n{p.stderr}"
    return p


def ours(sig: bytes, data: bytes | None = None) -> dict:
    return mpe.signature.verifier(sig, data, ancres_pem=CA, date=NOW)


def sign(fmt: str, data: bytes, **options) -> bytes:
    return mpe.signature.signer(fmt, data, cle_pem=KEY, certificats_pem=CERT, date=NOW, options=options or None)


def tsa(tmp: pathlib.Path, req: bytes) -> bytes:
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"]:
        shutil.copy(V / f, tmp / f)
    (tmp / "req.tsq").write_bytes(req)
    run(tool("openssl"), "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "req.tsq", "-out", "resp.tsr", cwd=tmp)
    return (tmp / "resp.tsr").read_bytes()


def pyhanko_validate(path: pathlib.Path, *extra: str | pathlib.Path) -> str:
    p = run(tool("pyhanko"), "sign", "validate", "--trust", V / "ca.pem", "--trust-replace", "--no-revocation-check", *extra, path, ok=False)
    return p.stdout + p.stderr


# ---- ours, checked by others


@pytest.mark.parametrize("bt", [False, True])
def test_cades_par_openssl_et_pyhanko(tmp_path: pathlib.Path, bt: bool) -> None:
    data = b"Offre CAdES\n" * 100
    (tmp_path / "offre.txt").write_bytes(data)
    sig = sign("cades", data)
    if bt:
        sig = mpe.horodatage.ajouter(sig, tsa(tmp_path, mpe.horodatage.generer_requete(sig, nonce=1)))
        assert ours(sig, data)["signatures"][0]["niveau"] == "B-T"
    (tmp_path / "offre.p7s").write_bytes(sig)
    run(tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER", "-in", "offre.p7s", "-content", "offre.txt",
        "-CAfile", V / "ca.pem", "-purpose", "any", "-out", "/dev/null", cwd=tmp_path)
    out = pyhanko_validate(tmp_path / "offre.txt", "--detached", tmp_path / "offre.p7s")
    assert "INTACT:TRUSTED" in out, out
    # A tampered file is rejected by openssl too.
    (tmp_path / "autre.txt").write_bytes(data + b"!")
    p = run(tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER", "-in", "offre.p7s", "-content", "autre.txt",
            "-CAfile", V / "ca.pem", "-purpose", "any", "-out", "/dev/null", cwd=tmp_path, ok=False)
    assert p.returncode != 0


@pytest.mark.parametrize("bt", [False, True])
def test_xades_par_xmlsec1_et_signxml(tmp_path: pathlib.Path, bt: bool) -> None:
    data = "Mémoire technique\n".encode() * 50
    (tmp_path / "memoire.txt").write_bytes(data)
    sig = sign("xades", data, nom_fichier="memoire.txt")
    if bt:
        sig = mpe.horodatage.ajouter(sig, tsa(tmp_path, mpe.horodatage.generer_requete(sig)))
    (tmp_path / "sig.xml").write_bytes(sig)
    out = run(tool("xmlsec1"), "--verify", "--id-attr:Id", "SignedProperties", "--trusted-pem", V / "ca.pem",
              "sig.xml", cwd=tmp_path)
    assert "SignedInfo References (ok/all): 2/2" in out.stdout + out.stderr
    from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

    results = XAdESVerifier().verify(
        sig,
        expect_config=XAdESSignatureConfiguration(expect_references=2),
        uri_resolver=lambda uri: data if uri == "memoire.txt" else None,
        ca_pem_file=str(V / "ca.pem"),
        ee_policy=x509.verification.ExtensionPolicy.permit_all(),
    )
    assert results[0].signed_data == data
    # Tampered file: xmlsec1 rejects it too.
    (tmp_path / "memoire.txt").write_bytes(data + b"x")
    p = run(tool("xmlsec1"), "--verify", "--id-attr:Id", "SignedProperties", "--trusted-pem", V / "ca.pem", "sig.xml",
            cwd=tmp_path, ok=False)
    assert p.returncode != 0


def test_chaines_avec_intermediaire_memes_verdicts_qu_openssl_et_xmlsec1(tmp_path: pathlib.Path) -> None:
    """A signer under an intermediate CA: the signature carries the intermediate, so openssl
    and xmlsec1, trusting only the root, build the path as we do; a certificate issued with
    an end-entity key (CA:false) is refused by all three; an expired intermediate too."""
    data = b"Offre sous une AC intermediaire\n"
    (tmp_path / "offre.txt").write_bytes(data)

    def signe(who: str, fmt: str) -> bytes:
        key, certs = (V / f"{who}.key").read_bytes(), (V / f"{who}.pem").read_bytes()
        return mpe.signature.signer(fmt, data, cle_pem=key, certificats_pem=certs, date=NOW,
                              options={"nom_fichier": "offre.txt"} if fmt == "xades" else None)

    def openssl_cms(sig: bytes) -> int:
        (tmp_path / "s.p7s").write_bytes(sig)
        return run(tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER", "-in", "s.p7s", "-content",
                   "offre.txt", "-CAfile", V / "ca.pem", "-purpose", "any", "-out", "/dev/null",
                   cwd=tmp_path, ok=False).returncode

    def xmlsec1(sig: bytes) -> int:
        (tmp_path / "s.xml").write_bytes(sig)
        return run(tool("xmlsec1"), "--verify", "--id-attr:Id", "SignedProperties", "--trusted-pem", V / "ca.pem",
                   "s.xml", cwd=tmp_path, ok=False).returncode

    for who, statut in [("sous-signataire", "VALIDE"), ("usurpe", "INDETERMINE"), ("sous-expire", "INDETERMINE")]:
        cades, xades = signe(who, "cades"), signe(who, "xades")
        for sig in (cades, xades):
            r = ours(sig, data)
            assert r["statut"] == statut, (who, r)
        assert (openssl_cms(cades) == 0) == (statut == "VALIDE"), who
        assert (xmlsec1(xades) == 0) == (statut == "VALIDE"), who
    assert len(ours(signe("sous-signataire", "xades"), data)["signatures"][0]["chaine"]) == 3


@pytest.mark.parametrize("source", ["simple.pdf", "xrefstream.pdf"])
def test_pades_par_pyhanko_et_pdfsig(tmp_path: pathlib.Path, source: str) -> None:
    pdf = (V / source).read_bytes()
    once = sign("pades", pdf)
    assert once.startswith(pdf)
    visible = mpe.signature.signer(
        "pades", once, cle_pem=(V / "nonqualifie.key").read_bytes(), certificats_pem=(V / "nonqualifie.pem").read_bytes(),
        date=NOW, options={"pades": {"apparence": {"page": 1, "rect": [50, 50, 250, 110], "texte": "Gérant"}}},
    )
    bt = mpe.horodatage.ajouter(visible, tsa(tmp_path, mpe.horodatage.generer_requete(visible)))
    for name, content, count in [("once.pdf", once, 1), ("twice.pdf", visible, 2), ("bt.pdf", bt, 2)]:
        path = tmp_path / name
        path.write_bytes(content)
        out = run(tool("pdfsig"), path).stdout
        assert out.count("Signature is Valid.") == count, out
        assert "Total document signed" in out
        report = pyhanko_validate(path, "--pretty-print")
        assert report.count("The signature is judged VALID.") == count, report
        assert ours(content)["statut"] == "VALIDE"
    assert ours(bt)["signatures"][1]["niveau"] == "B-T"


# ---- theirs, checked by us


def test_cades_d_openssl(tmp_path: pathlib.Path) -> None:
    data = b"Offre signee par openssl\n"
    (tmp_path / "d.txt").write_bytes(data)
    run(tool("openssl"), "cms", "-sign", "-cades", "-binary", "-outform", "DER", "-in", "d.txt", "-out", "d.p7s",
        "-signer", V / "signataire.pem", "-inkey", V / "signataire.key", cwd=tmp_path)
    sig = (tmp_path / "d.p7s").read_bytes()
    r = ours(sig, data)
    assert r["statut"] == "VALIDE", r
    assert r["signatures"][0]["reference_certificat"] is True
    bad = ours(sig, data.replace(b"Offre", b"Offfe"))
    assert bad["statut"] == "INVALIDE" and bad["signatures"][0]["code"] == "SIGNATURE_INTEGRITE"
    # PEM output of openssl is accepted too.
    run(tool("openssl"), "cms", "-sign", "-cades", "-binary", "-outform", "PEM", "-in", "d.txt", "-out", "d.pem",
        "-signer", V / "signataire.pem", "-inkey", V / "signataire.key", cwd=tmp_path)
    assert ours((tmp_path / "d.pem").read_bytes(), data)["statut"] == "VALIDE"


def pyhanko_sign(src: pathlib.Path, dst: pathlib.Path, field: str, who: str = "signataire") -> None:
    run(tool("pyhanko"), "sign", "addsig", "--field", field, "pemder", "--key", V / f"{who}.key", "--cert", V / f"{who}.pem",
        "--no-pass", src, dst)


def test_pades_de_pyhanko(tmp_path: pathlib.Path) -> None:
    pyhanko_sign(V / "simple.pdf", tmp_path / "un.pdf", "Sig1")
    pyhanko_sign(tmp_path / "un.pdf", tmp_path / "deux.pdf", "Sig2", "nonqualifie")
    r = ours((tmp_path / "deux.pdf").read_bytes())
    assert r["statut"] == "VALIDE", r
    assert [s["pdf"]["champ"] for s in r["signatures"]] == ["Sig1", "Sig2"]
    assert not r["signatures"][0]["pdf"]["couvre_tout_le_document"]
    assert not r["signatures"][0]["pdf"]["modifie_apres_signature"]
    # Content added after signing, with pyHanko's incremental writer.
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(tmp_path / "un.pdf", "rb") as f:
        w = IncrementalPdfFileWriter(f)
        stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 500 Td (Prix: 1 euro) Tj ET")
        w.add_stream_to_page(0, w.add_object(stream))
        with open(tmp_path / "modifie.pdf", "wb") as out:
            w.write(out)
    r = ours((tmp_path / "modifie.pdf").read_bytes())
    assert r["statut"] == "INVALIDE", r
    assert r["signatures"][0]["code"] == "PDF_MODIFIE_APRES_SIGNATURE"
    assert r["signatures"][0]["pdf"]["modifie_apres_signature"]
    # pyHanko agrees that it is not fine.
    out = pyhanko_validate(tmp_path / "modifie.pdf", "--pretty-print")
    assert "The signature is judged INVALID." in out and "incompatible" in out, out
    # A flipped byte inside the signed range.
    data = bytearray((tmp_path / "un.pdf").read_bytes())
    i = data.index(b"Offre de prix")
    data[i] = ord("X")
    r = ours(bytes(data))
    assert r["signatures"][0]["code"] == "SIGNATURE_INTEGRITE"


TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<{p}Signature xmlns{colon}{pn}="http://www.w3.org/2000/09/xmldsig#" Id="S1">
  <{p}SignedInfo>
    <{p}CanonicalizationMethod Algorithm="{c14n}"/>
    <{p}SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
    <{p}Reference URI="offre.txt">
      <{p}DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
      <{p}DigestValue/>
    </{p}Reference>
    <{p}Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#SP1">
      <{p}Transforms><{p}Transform Algorithm="{c14n}"/></{p}Transforms>
      <{p}DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
      <{p}DigestValue/>
    </{p}Reference>
  </{p}SignedInfo>
  <{p}SignatureValue/>
  <{p}KeyInfo><{p}X509Data/></{p}KeyInfo>
  <{p}Object>
    <xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#S1">
      <xades:SignedProperties Id="SP1">
        <xades:SignedSignatureProperties>
          <xades:SigningTime>{now}</xades:SigningTime>
          <xades:SigningCertificateV2>
            <xades:Cert>
              <xades:CertDigest>
                <{p}DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                <{p}DigestValue>{certdigest}</{p}DigestValue>
              </xades:CertDigest>
            </xades:Cert>
          </xades:SigningCertificateV2>
        </xades:SignedSignatureProperties>
      </xades:SignedProperties>
    </xades:QualifyingProperties>
  </{p}Object>
</{p}Signature>
"""


@pytest.mark.parametrize(
    "prefix,c14n",
    [
        ("ds", "http://www.w3.org/2001/10/xml-exc-c14n#"),
        ("", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
    ],
)
def test_xades_de_xmlsec1(tmp_path: pathlib.Path, prefix: str, c14n: str) -> None:
    data = b"Offre \xc3\xa0 signer par xmlsec1\n"
    (tmp_path / "offre.txt").write_bytes(data)
    cert_der = x509.load_pem_x509_certificate(CERT).public_bytes(encoding=__import__("cryptography").hazmat.primitives.serialization.Encoding.DER)
    tmpl = TEMPLATE.format(
        p=f"{prefix}:" if prefix else "", pn=prefix, colon=":" if prefix else "", c14n=c14n,
        now=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), certdigest=base64.b64encode(hashlib.sha256(cert_der).digest()).decode(),
    )
    (tmp_path / "tmpl.xml").write_text(tmpl)
    run(tool("xmlsec1"), "--sign", "--privkey-pem", f"{V / 'signataire.key'},{V / 'signataire.pem'}",
        "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "--output", "signed.xml", "tmpl.xml", cwd=tmp_path)
    signed = (tmp_path / "signed.xml").read_bytes()
    r = ours(signed, data)
    assert r["statut"] == "VALIDE", r
    assert r["signatures"][0]["reference_certificat"] is True
    assert r["format"] == "XAdES"
    # Tampered: the signed file, a signed property, the signature value.
    assert ours(signed, data + b" ")["signatures"][0]["code"] == "SIGNATURE_INTEGRITE"
    changed = signed.replace(NOW.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), b"2020-01-01T00:00:00Z")
    assert ours(changed, data)["signatures"][0]["code"] == "SIGNATURE_INTEGRITE"
    m = re.search(rb"SignatureValue>\s*([A-Za-z0-9+/])", signed)
    assert m
    i = m.start(1)
    flipped = signed[:i] + (b"B" if signed[i:i + 1] != b"B" else b"C") + signed[i + 1:]
    assert ours(flipped, data)["signatures"][0]["code"] == "SIGNATURE_INVALIDE"


# ---- ECDSA P-256, both ways


def test_ecdsa_p256_dans_les_deux_sens(tmp_path: pathlib.Path) -> None:
    """Ours with an EC P-256 key (one under an ECDSA-signed intermediate) verified by openssl,
    xmlsec1, pyHanko and pdfsig; openssl's and pyHanko's ECDSA signatures verified by us."""
    data = b"Offre signee en ECDSA P-256\n"
    (tmp_path / "offre.txt").write_bytes(data)
    pdf = (V / "simple.pdf").read_bytes()
    for who in ["ecdsa", "sous-ec"]:
        key, certs = (V / f"{who}.key").read_bytes(), (V / f"{who}.pem").read_bytes()

        def sign_ec(fmt: str, content: bytes, **options) -> bytes:
            return mpe.signature.signer(fmt, content, cle_pem=key, certificats_pem=certs, date=NOW, options=options or None)

        cades = sign_ec("cades", data)
        (tmp_path / "offre.p7s").write_bytes(cades)
        run(tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER", "-in", "offre.p7s", "-content", "offre.txt",
            "-CAfile", V / "ca.pem", "-purpose", "any", "-out", "/dev/null", cwd=tmp_path)
        xades = sign_ec("xades", data, nom_fichier="offre.txt")
        assert b"ecdsa-sha256" in xades
        (tmp_path / "sig.xml").write_bytes(xades)
        out = run(tool("xmlsec1"), "--verify", "--id-attr:Id", "SignedProperties", "--trusted-pem", V / "ca.pem",
                  "sig.xml", cwd=tmp_path)
        assert "SignedInfo References (ok/all): 2/2" in out.stdout + out.stderr
        pades = sign_ec("pades", pdf)
        (tmp_path / "ec.pdf").write_bytes(pades)
        assert "Signature is Valid." in run(tool("pdfsig"), tmp_path / "ec.pdf").stdout
        report = pyhanko_validate(tmp_path / "ec.pdf", "--pretty-print")
        assert "The signature is judged VALID." in report, report
        for sig, signed in [(cades, data), (xades, data), (pades, None)]:
            r = ours(sig, signed)
            assert r["statut"] == "VALIDE" and r["signatures"][0]["schema"] == "ECDSA", r
    # Theirs: openssl cms -sign with the EC key, pyHanko PAdES with it.
    run(tool("openssl"), "cms", "-sign", "-cades", "-binary", "-outform", "DER", "-in", "offre.txt", "-out", "o.p7s",
        "-signer", V / "ecdsa.pem", "-inkey", V / "ecdsa.key", cwd=tmp_path)
    sig = (tmp_path / "o.p7s").read_bytes()
    assert ours(sig, data)["statut"] == "VALIDE"
    assert ours(sig, data + b"!")["statut"] == "INVALIDE"
    pyhanko_sign(V / "simple.pdf", tmp_path / "h.pdf", "Sig1", "ecdsa")
    r = ours((tmp_path / "h.pdf").read_bytes())
    assert r["statut"] == "VALIDE" and r["signatures"][0]["schema"] == "ECDSA", r
