"""PAdES, CAdES and XAdES B-LT and B-LTA made by mpe, checked by independent tools (issue #17).

A test PKI (tests/vectors/ltv/pki.sh) whose signer certificates point to an `openssl ocsp`
responder on loopback, and a TSA: `openssl ts -reply` behind tests/vectors/ltv/tsa_http.py
on loopback. `mpe signer --niveau lt|lta` and `mpe signature etendre` fetch the OCSP
responses and the tokens from them. Then, with both servers stopped:

- pyHanko validates the B-LTA files with its AdES LTA procedure (ETSI EN 319 102-1 5.6.3)
  and the B-LT file with the revocation data of its DSS only (no fetching): AdES PASSED;
  the B-T file without DSS fails the same check (the DSS data is what made it pass);
- `openssl ts -verify` verifies the document timestamp token over the `/ByteRange` bytes;
- `mpe verifier` at a date after the signer certificate expired says VALIDE, level B-LTA,
  with the OCSP response from the file.

XAdES (detached): `xmlsec1 --verify` still verifies the B-LT and B-LTA signatures (nothing
signed changed); the `xadesv141:ArchiveTimeStamp` token verifies with `openssl ts -verify`
against the digest lxml computes independently (ETSI EN 319 132-1 5.5.2: the referenced
data, then the exclusive C14N of SignedInfo, SignatureValue, KeyInfo and of each unsigned
signature property before the timestamp); `mpe verifier` after the signer's expiry says
VALIDE B-LTA.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import hashlib
import json
import pathlib
import shutil
import socket
import subprocess
import time

import pytest

from asn1crypto import cms
from asn1crypto import core as asn1core
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTEURS = ROOT / "tests" / "vectors"
PDF = VECTEURS / "signature" / "simple.pdf"
OFFRE = b"Offre de l'entreprise Test, lot 1\n"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demarrer(cmd: list[str], cwd: pathlib.Path, pret: str) -> subprocess.Popen:
    """A server started and waited for (the line `pret` on its stderr)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    debut = time.monotonic()
    assert p.stderr is not None
    while time.monotonic() - debut < 20:
        ligne = p.stderr.readline()
        if pret in ligne:
            return p
        assert ligne or p.poll() is None, f"{cmd} : arrêté"
    p.kill()
    raise AssertionError(f"{cmd} n'a pas écrit « {pret} »")


@pytest.fixture(scope="module")
def fichiers(tmp_path_factory: pytest.TempPathFactory, mpe_cli) -> dict[str, pathlib.Path]:
    d = tmp_path_factory.mktemp("ltv")
    p_ocsp, p_tsa = port_libre(), port_libre()
    pki = d / "pki"
    subprocess.run(
        ["sh", str(VECTEURS / "ltv" / "pki.sh"), str(pki), f"http://127.0.0.1:{p_ocsp}/", f"http://127.0.0.1:{port_libre()}/ca.crl"],
        check=True,
        capture_output=True,
    )
    tsa = d / "tsa"
    tsa.mkdir()
    for f in ["tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"]:
        shutil.copy(VECTEURS / "signature" / f, tsa / f)
    ocsp = demarrer(
        ["openssl", "ocsp", "-index", "index.txt", "-port", str(p_ocsp), "-rsigner", "repondant.pem",
         "-rkey", "repondant.key", "-CA", "ca.pem", "-nmin", "60"],
        pki,
        "waiting for OCSP client connections",
    )
    serveur_tsa = demarrer(["python3", str(VECTEURS / "ltv" / "tsa_http.py"), str(p_tsa), str(tsa)], d, "pret")
    url = f"http://127.0.0.1:{p_tsa}/"
    try:
        commun = ["--format", "pades", "--cle", str(pki / "bon.key"), "--certificat", str(pki / "bon.pem"),
                  "--chaine", str(pki / "ca.pem"), "--tsa", url, "--confiance", str(pki / "ca.pem")]
        for niveau in ["t", "lt", "lta"]:
            r = mpe_cli(d, "signer", *commun, "--niveau", niveau, str(PDF), "-o", f"{niveau}.pdf")
            assert r.returncode == 0, r.stderr
        # A B-T PDF extended afterwards (the extension reads any producer's B-T).
        r = mpe_cli(d, "signature", "etendre", "--niveau", "lta", "--tsa", url,
                    "--confiance", str(pki / "ca.pem"), "t.pdf", "-o", "etendu.pdf")
        assert r.returncode == 0, r.stderr
        # CAdES detached: the same levels, and a B-T extended with its signed file.
        (d / "offre.txt").write_bytes(OFFRE)
        cades = ["--format", "cades", *commun[2:]]
        for niveau in ["t", "lt", "lta"]:
            r = mpe_cli(d, "signer", *cades, "--niveau", niveau, "offre.txt", "-o", f"{niveau}.p7s")
            assert r.returncode == 0, r.stderr
        r = mpe_cli(d, "signature", "etendre", "--niveau", "lta", "--tsa", url, "--confiance", str(pki / "ca.pem"),
                    "--fichier-signe", "offre.txt", "t.p7s", "-o", "etendu.p7s")
        assert r.returncode == 0, r.stderr
        # XAdES (detached over offre.txt): the same levels, and a B-T extended afterwards.
        commun_x = ["--format", "xades", *commun[2:]]
        for niveau in ["t", "lt", "lta"]:
            r = mpe_cli(d, "signer", *commun_x, "--niveau", niveau, "offre.txt", "-o", f"{niveau}.xml")
            assert r.returncode == 0, r.stderr
        r = mpe_cli(d, "signature", "etendre", "--niveau", "lta", "--tsa", url, "--confiance", str(pki / "ca.pem"),
                    "--fichier-signe", "offre.txt", "t.xml", "-o", "etendu.xml")
        assert r.returncode == 0, r.stderr
    finally:
        # Every check below runs without the network.
        for p in (ocsp, serveur_tsa):
            p.kill()
            p.wait()
    return {"dir": d, "pki": pki, "tsa": tsa}


def politique(f: dict[str, pathlib.Path]) -> CertValidationPolicySpec:
    racines = [load_cert_from_pemder(str(f["pki"] / "ca.pem")), load_cert_from_pemder(str(f["tsa"] / "ca.pem"))]
    # Revocation data required for every certificate that names a source (the signer's:
    # OCSP and CRL), as pyHanko's LTV modes do.
    return CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=racines),
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                ee_certificate_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
                intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED,
            )
        ),
    )


def hors_ligne() -> RevocationInfoGatheringSpec:
    return RevocationInfoGatheringSpec(online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY)


@pytest.mark.parametrize("nom", ["lta.pdf", "etendu.pdf"])
def test_pyhanko_valide_le_b_lta(fichiers, nom: str) -> None:
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(cert_validation_policy=politique(fichiers), revinfo_gathering_policy=hors_ligne())
    )
    with open(fichiers["dir"] / nom, "rb") as fh:
        r = PdfFileReader(fh)
        assert len(r.embedded_timestamp_signatures) == 1
        res = asyncio.run(ades.ades_lta_validation(r.embedded_regular_signatures[0], spec))
    assert res.ades_subindic == ades.AdESPassed.OK, res.ades_subindic
    # The document timestamp is the evidence record pyHanko used.
    assert res.oldest_evidence_record_timestamp is not None


def avec_le_dss(fichiers, nom: str):
    """pyHanko's validation with time, revocation data only from the file's DSS."""
    with open(fichiers["dir"] / nom, "rb") as fh:
        r = PdfFileReader(fh)
        spec = SignatureValidationSpec(
            cert_validation_policy=politique(fichiers),
            revinfo_gathering_policy=hors_ligne(),
            local_knowledge=ades._dss_to_local_knowledge(r),
        )
        sig = r.embedded_regular_signatures[0]
        return asyncio.run(ades.ades_with_time_validation(sig.signed_data, spec, raw_digest=sig.compute_digest()))


def test_pyhanko_valide_le_b_lt_avec_le_dss_seul(fichiers) -> None:
    assert avec_le_dss(fichiers, "lt.pdf").ades_subindic == ades.AdESPassed.OK
    # The same signature without DSS (B-T) lacks the revocation data: not passed.
    assert avec_le_dss(fichiers, "t.pdf").ades_subindic != ades.AdESPassed.OK


@pytest.mark.parametrize("nom", ["lta.pdf", "etendu.pdf"])
def test_openssl_verifie_l_horodatage_du_document(fichiers, nom: str) -> None:
    d = fichiers["dir"]
    octets = (d / nom).read_bytes()
    with open(d / nom, "rb") as fh:
        ts = PdfFileReader(fh).embedded_timestamp_signatures[0]
        a, b, c, n = ts.sig_object["/ByteRange"]
        jeton = cms.ContentInfo.load(ts.sig_object["/Contents"], strict=False).dump()
    assert ts.sig_object["/SubFilter"] == "/ETSI.RFC3161"
    assert c + n == len(octets), "l'horodatage du document couvre tout le fichier"
    (d / f"{nom}.tst").write_bytes(jeton)
    (d / f"{nom}.data").write_bytes(octets[a : a + b] + octets[c : c + n])
    r = subprocess.run(
        ["openssl", "ts", "-verify", "-token_in", "-in", f"{nom}.tst", "-data", f"{nom}.data",
         "-CAfile", str(fichiers["tsa"] / "ca.pem")],
        cwd=d, capture_output=True, text=True,
    )
    assert r.returncode == 0 and "Verification: OK" in r.stdout, r.stdout + r.stderr


def test_mpe_valide_apres_expiration_du_signataire(fichiers, mpe_cli) -> None:
    d, pki = fichiers["dir"], fichiers["pki"]
    fin = subprocess.run(["openssl", "x509", "-in", str(pki / "bon.pem"), "-noout", "-enddate"],
                         capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
    expire = datetime.datetime.strptime(fin, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=datetime.timezone.utc)
    apres = (expire + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for nom, niveau in [("lta.pdf", "B-LTA"), ("etendu.pdf", "B-LTA"), ("lt.pdf", "B-LT"), ("t.pdf", "B-T")]:
        r = mpe_cli(d, "verifier", "--confiance", str(pki / "ca.pem"), "--confiance", str(fichiers["tsa"] / "ca.pem"),
                    "--date-verification", apres, "--json", nom)
        rapport = json.loads(r.stdout)
        s = rapport["signatures"][0]
        assert s["niveau"] == niveau, (nom, s["niveau"])
        assert r.returncode == 0 and s["statut"] == "VALIDE", (nom, s.get("raison"))
        if niveau == "B-LTA":
            # Judged with the OCSP response from the file, at the document timestamp.
            assert [x["source"] for x in s["revocations"]] == ["OCSP"], s["revocations"]
            assert s["revoque"] is False
            assert [h["valide"] for h in s["pdf"]["horodatages_document"]] == [True]


# ---- CAdES (EN 319 122-1): B-LT data in SignedData, archive-time-stamp-v3 -----------------

ATS_V3 = "0.4.0.1733.2.4"
INDEX_V3 = "0.4.0.19122.1.5"


def attributs(si) -> list:
    ua = si["unsigned_attrs"]
    return list(ua) if ua.contents else []


@pytest.mark.parametrize("nom", ["lt.p7s", "lta.p7s", "etendu.p7s"])
def test_openssl_cms_verifie_la_cades_etendue(fichiers, nom: str) -> None:
    d = fichiers["dir"]
    r = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", nom, "-content", "offre.txt",
         "-CAfile", str(fichiers["pki"] / "ca.pem"), "-purpose", "any", "-out", "/dev/null"],
        cwd=d, capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    sd = cms.ContentInfo.load((d / nom).read_bytes())["content"]
    # B-LT: the OCSP response of the signer as RevocationInfoChoice `other` (RFC 5940).
    autres = [c for c in sd["crls"] if c.name == "other"]
    assert [c.chosen["other_rev_info_format"].dotted for c in autres] == ["1.3.6.1.5.5.7.16.2"]


def empreinte_archive_v3(sd, si, index: bytes, alg: str, contenu: bytes) -> bytes:
    """EN 319 122-1 5.5.3, computed here from the structure: eContentType, hash of the
    content, the SignerInfo fields version to signature, the ATSHashIndexV3."""
    h = hashlib.new(alg)
    h.update(sd["encap_content_info"]["content_type"].dump())
    h.update(hashlib.new(alg, contenu).digest())
    for champ in ["version", "sid", "digest_algorithm", "signed_attrs", "signature_algorithm", "signature"]:
        h.update(si[champ].dump())
    h.update(index)
    return h.digest()


@pytest.mark.parametrize("nom", ["lta.p7s", "etendu.p7s"])
def test_openssl_ts_verifie_l_horodatage_d_archive(fichiers, nom: str) -> None:
    d = fichiers["dir"]
    sd = cms.ContentInfo.load((d / nom).read_bytes())["content"]
    si = sd["signer_infos"][0]
    archives = [a for a in attributs(si) if a["type"].dotted == ATS_V3]
    assert len(archives) == 1
    jeton = cms.ContentInfo.load(archives[0]["values"][0].dump())
    tsi = jeton["content"]["signer_infos"][0]
    [index] = [a["values"][0].dump() for a in attributs(tsi) if a["type"].dotted == INDEX_V3]
    tst = jeton["content"]["encap_content_info"]["content"].parsed
    alg = tst["message_imprint"]["hash_algorithm"]["algorithm"].native
    empreinte = empreinte_archive_v3(sd, si, index, alg, OFFRE)
    # The index: SHA-256 (DEFAULT, omitted), then the hashes of every certificate, every
    # revocation value and every unsigned attribute value (attrType then the value).
    idx = asn1core.Sequence.load(index)
    listes = [asn1core.SequenceOf.load(idx[i].dump(), spec=asn1core.OctetString).native for i in range(3)]
    sha = lambda b: hashlib.sha256(b).digest()  # noqa: E731
    assert sorted(listes[0]) == sorted(sha(c.dump()) for c in sd["certificates"])
    assert sorted(listes[1]) == sorted(sha(c.dump()) for c in sd["crls"])
    valeurs = [sha(a["type"].dump() + v.dump()) for a in attributs(si) if a["type"].dotted != ATS_V3 for v in a["values"]]
    assert sorted(listes[2]) == sorted(valeurs)
    (d / f"{nom}.tst").write_bytes(jeton.dump())
    r = subprocess.run(
        ["openssl", "ts", "-verify", "-token_in", "-in", f"{nom}.tst", "-digest", empreinte.hex(),
         "-CAfile", str(fichiers["tsa"] / "ca.pem")],
        cwd=d, capture_output=True, text=True,
    )
    assert r.returncode == 0 and "Verification: OK" in r.stdout, r.stdout + r.stderr


def test_mpe_valide_la_cades_apres_expiration_du_signataire(fichiers, mpe_cli) -> None:
    d, pki = fichiers["dir"], fichiers["pki"]
    fin = subprocess.run(["openssl", "x509", "-in", str(pki / "bon.pem"), "-noout", "-enddate"],
                         capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
    expire = datetime.datetime.strptime(fin, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=datetime.timezone.utc)
    apres = (expire + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for nom, niveau in [("lta.p7s", "B-LTA"), ("etendu.p7s", "B-LTA"), ("lt.p7s", "B-LT")]:
        r = mpe_cli(d, "verifier", "--confiance", str(pki / "ca.pem"), "--confiance", str(fichiers["tsa"] / "ca.pem"),
                    "--date-verification", apres, "--fichier-signe", "offre.txt", "--json", nom)
        s = json.loads(r.stdout)["signatures"][0]
        assert s["niveau"] == niveau, (nom, s["niveau"])
        assert r.returncode == 0 and s["statut"] == "VALIDE", (nom, s.get("raison"))
        if niveau == "B-LTA":
            # Judged with the OCSP response from the SignedData, at the archive timestamp.
            assert [x["source"] for x in s["revocations"]] == ["OCSP"], s["revocations"]
            assert s["revoque"] is False
            assert [h["valide"] for h in s["horodatages_archive"]] == [True]


@pytest.mark.parametrize("nom", ["lt.xml", "lta.xml", "etendu.xml"])
def test_xmlsec1_verifie_la_xades_etendue(fichiers, nom: str) -> None:
    r = subprocess.run(
        ["xmlsec1", "--verify", "--id-attr:Id", "SignedProperties", "--trusted-pem", str(fichiers["pki"] / "ca.pem"),
         nom],
        cwd=fichiers["dir"], capture_output=True, text=True,
    )
    assert r.returncode == 0 and "SignedInfo References (ok/all): 2/2" in r.stdout + r.stderr, r.stderr
    texte = (fichiers["dir"] / nom).read_text()
    assert "<xades:CertificateValues>" in texte and "<xades:OCSPValues>" in texte


def empreinte_archive(xml: bytes, donnees: bytes) -> tuple[bytes, bytes]:
    """The archive timestamp's token and the SHA-256 of its input, computed with lxml only."""
    from lxml import etree

    ds = "{http://www.w3.org/2000/09/xmldsig#}"
    x141 = "{http://uri.etsi.org/01903/v1.4.1#}ArchiveTimeStamp"
    sig = etree.fromstring(xml)
    assert sig.tag == ds + "Signature"
    exc = ("http://www.w3.org/2001/10/xml-exc-c14n#",)
    [ats] = sig.iter(x141)
    assert ats.find(ds + "CanonicalizationMethod").get("Algorithm") in exc

    def c14n(e) -> bytes:
        return etree.tostring(e, method="c14n", exclusive=True, with_comments=False)

    entree = b""
    for ref in sig.find(ds + "SignedInfo").iter(ds + "Reference"):
        uri = ref.get("URI")
        if uri.startswith("#"):
            # The SignedProperties, with their exclusive C14N transform.
            [cible] = [e for e in sig.iter() if e.get("Id") == uri[1:]]
            assert ref.find(f"{ds}Transforms/{ds}Transform").get("Algorithm") in exc
            entree += c14n(cible)
        else:
            entree += donnees
    for nom in ["SignedInfo", "SignatureValue", "KeyInfo"]:
        entree += c14n(sig.find(ds + nom))
    for e in ats.getparent():
        if e is ats:
            break
        entree += c14n(e)
    jeton = base64.b64decode("".join(ats.findtext("{http://uri.etsi.org/01903/v1.3.2#}EncapsulatedTimeStamp").split()))
    return jeton, hashlib.sha256(entree).digest()


@pytest.mark.parametrize("nom", ["lta.xml", "etendu.xml"])
def test_openssl_verifie_l_horodatage_d_archive_xades(fichiers, nom: str) -> None:
    d = fichiers["dir"]
    jeton, empreinte = empreinte_archive((d / nom).read_bytes(), (d / "offre.txt").read_bytes())
    (d / f"{nom}.tst").write_bytes(jeton)
    r = subprocess.run(
        ["openssl", "ts", "-verify", "-token_in", "-in", f"{nom}.tst", "-digest", empreinte.hex(),
         "-CAfile", str(fichiers["tsa"] / "ca.pem")],
        cwd=d, capture_output=True, text=True,
    )
    assert r.returncode == 0 and "Verification: OK" in r.stdout, r.stdout + r.stderr
    # Another digest (the data changed): openssl refuses the token.
    autre = hashlib.sha256(b"autre").hexdigest()
    r = subprocess.run(
        ["openssl", "ts", "-verify", "-token_in", "-in", f"{nom}.tst", "-digest", autre,
         "-CAfile", str(fichiers["tsa"] / "ca.pem")],
        cwd=d, capture_output=True, text=True,
    )
    assert r.returncode != 0


def test_mpe_valide_la_xades_apres_expiration_du_signataire(fichiers, mpe_cli) -> None:
    d, pki = fichiers["dir"], fichiers["pki"]
    fin = subprocess.run(["openssl", "x509", "-in", str(pki / "bon.pem"), "-noout", "-enddate"],
                         capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
    expire = datetime.datetime.strptime(fin, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=datetime.timezone.utc)
    apres = (expire + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for nom, niveau, statut in [("lta.xml", "B-LTA", "VALIDE"), ("etendu.xml", "B-LTA", "VALIDE"),
                                ("lt.xml", "B-LT", "VALIDE")]:
        r = mpe_cli(d, "verifier", "--confiance", str(pki / "ca.pem"), "--confiance", str(fichiers["tsa"] / "ca.pem"),
                    "--date-verification", apres, "--fichier-signe", "offre.txt", "--json", nom)
        s = json.loads(r.stdout)["signatures"][0]
        assert s["niveau"] == niveau, (nom, s["niveau"])
        assert s["statut"] == statut, (nom, s.get("raison"))
        if niveau == "B-LTA":
            assert [x["source"] for x in s["revocations"]] == ["OCSP"], s["revocations"]
            assert [h["valide"] for h in s["horodatages_archive"]] == [True]
