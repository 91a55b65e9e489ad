"""`mpe demo` end to end: run it into a temporary folder and check every kind of artefact
with independent tools — openssl (envelopes, CAdES), pdfsig (PAdES), xmlsec1 (XAdES), the
official DECP JSON Schema and XSD, python-docx (DAJ forms), Python's email package (letters)."""

from __future__ import annotations

import email
import email.policy
import json
import pathlib
import subprocess

import docx
import jsonschema
import pytest
from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parents[2]
MPE = ROOT / "target" / "debug" / "mpe"
DECP = ROOT / "tests" / "vectors" / "donnees" / "decp-v2"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("demo") / "mpe-demo"
    if not MPE.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "mpe-cli"], cwd=ROOT, check=True)
    r = subprocess.run([str(MPE), "demo", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "HORS_DELAI" in r.stdout
    assert "chaîne d'empreintes vérifiée" in r.stdout
    return out


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def test_openssl_opens_every_envelope_with_the_emergency_key(demo: pathlib.Path):
    envelopes = sorted((demo / "depots").glob("*/*.p7m"))
    assert len(envelopes) == 10  # the late company's two envelopes stay on disk, refused
    for env in envelopes:
        r = subprocess.run(
            ["openssl", "cms", "-decrypt", "-inform", "DER", "-in", str(env),
             "-inkey", str(demo / "pki/secours.key.pem"), "-recip", str(demo / "pki/secours.cert.pem")],
            capture_output=True,
        )
        assert r.returncode == 0, (env, r.stderr)
        assert r.stdout[:2] == b"PK"


def test_pdfsig_validates_the_pades_acte_d_engagement(demo: pathlib.Path):
    r = run("pdfsig", str(demo / "ouverture/pli-1/offre-lot-1/AE.pdf"))
    assert "Signature is Valid." in r.stdout, r.stdout
    assert "Total document signed" in r.stdout


def test_openssl_verifies_the_cades_signature(demo: pathlib.Path):
    d = demo / "ouverture/pli-2/offre-lot-1"
    r = run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(d / "AE.pdf.p7s"),
            "-content", str(d / "AE.pdf"), "-CAfile", str(demo / "pki/ac-demo.cert.pem"), "-out", "/dev/null")
    assert r.returncode == 0, r.stderr


def test_xmlsec1_verifies_the_xades_signature(demo: pathlib.Path):
    d = demo / "ouverture/pli-3/offre-lot-1"
    token = next(d.glob("AE.pdf - * - Signature 1.xml"))
    r = run("xmlsec1", "--verify", "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            "--trusted-pem", str(demo / "pki/ac-demo.cert.pem"), "--url-map:AE.pdf", str(d / "AE.pdf"), str(token))
    assert r.returncode == 0, r.stdout + r.stderr


def test_decp_exports_are_valid_against_the_official_schemas(demo: pathlib.Path):
    schema = json.loads((DECP / "schema_decp_v2.0.3.json").read_text(encoding="utf-8"))
    data = json.loads((demo / "donnees/decp.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    xsd = etree.XMLSchema(etree.parse(str(DECP / "schema_decp_v2.0.2.xsd")))
    doc = etree.parse(str(demo / "donnees/decp.xml"))
    assert xsd.validate(doc), xsd.error_log
    ocds = json.loads((demo / "donnees/ocds.json").read_text(encoding="utf-8"))
    assert ocds["releases"][0]["awards"][0]["suppliers"][0]["name"] == "Isolation du Rhône SAS"


def test_daj_forms_open_in_python_docx_with_merged_values(demo: pathlib.Path):
    ouv10 = docx.Document(str(demo / "documents/OUV10_decision_attribution.docx"))
    text = "\n".join(p.text for p in ouv10.paragraphs) + "\n".join(
        c.text for t in ouv10.tables for r in t.rows for c in r.cells)
    assert "AOO_2026/0611" in text and "Isolation du Rhône SAS" in text
    assert "{{" not in text and "MERGEFIELD" not in text
    names = {"menuiseries-lyonnaises": "Menuiseries Lyonnaises SARL",
             "thermique-villeurbanne": "Thermique Villeurbannaise"}
    not13 = sorted((demo / "documents").glob("NOT13_*.docx"))
    assert len(not13) == 2
    for f in not13:
        d = docx.Document(str(f))
        text = "\n".join(p.text for p in d.paragraphs) + "\n".join(
            c.text for t in d.tables for r in t.rows for c in r.cells)
        assert "AOO_2026/0611" in text
        assert names[f.stem.removeprefix("NOT13_rejet_")] in text


def test_rejection_letters_parse_with_python_email(demo: pathlib.Path):
    letters = sorted((demo / "courriers").glob("*.eml"))
    assert len(letters) == 2
    for f in letters:
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        assert "AOO_2026/0611" in msg["Subject"]
        body = msg.get_body(("plain",)).get_content()
        assert "Rénovation énergétique du groupe scolaire Jules Ferry" in body
        assert msg.get_body(("html",)) is not None
    # Each sending is in the journal, to the address the message carries (taken by the demo
    # from the dépôts register), with the same Message-ID.
    entries = [json.loads(l) for l in (demo / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    sent = [e["evenement"]["courrier"] for e in entries
            if e["evenement"]["type"] == "courrier" and e["evenement"]["courrier"]["evenement"] == "envoye"]
    assert len(sent) == len(letters)
    for f in letters:
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        mid = msg["Message-ID"].strip("<>")
        (entry,) = [c for c in sent if c["message_id"] == mid]
        assert entry["destinataire"] == msg["To"].addresses[0].addr_spec
        assert entry["type_courrier"] == "rejet"


def test_journal_is_a_hash_chain(demo: pathlib.Path):
    lines = (demo / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(l) for l in lines]
    assert len(entries) > 20
    assert [e["index"] for e in entries] == list(range(len(entries)))
    for before, after in zip(entries, entries[1:]):
        assert after["precedent"] == before["empreinte"]


def test_the_opening_recorded_what_the_tools_say(demo: pathlib.Path):
    """The opening in the library (Procedure::ouvrir_plis) recorded the verdicts pdfsig,
    openssl and xmlsec1 give above (tests of pli 1, 2 and 3, lot 1), not the companies'."""
    recorded = {}
    for line in (demo / "journal.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line)["evenement"]
        if e["type"] == "enveloppe_ouverte":
            for f in e["fichiers"]:
                if f.get("signature"):
                    recorded[(e["pli"], e["enveloppe"]["lot"], f["nom"])] = f["signature"]
    assert recorded[(1, 1, "AE.pdf")]["format"] == "PAdES"
    assert recorded[(2, 1, "AE.pdf")]["format"] == "CAdES"
    assert recorded[(3, 1, "AE.pdf")]["format"] == "XAdES"
    for k in [(1, 1, "AE.pdf"), (2, 1, "AE.pdf"), (3, 1, "AE.pdf")]:
        assert recorded[k]["resultat"] == "valide", (k, recorded[k])
