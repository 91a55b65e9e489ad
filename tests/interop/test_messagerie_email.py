"""Interoperability of the letters with Python's `email` package (an independent MIME
parser and RFC 2047/2231 decoder), `jsonschema` (the committed schemas) and Python's IDNA
codec: every kind of letter, with and without attachments and acknowledgement, parses back
to the same subject, recipients, text and HTML bodies and attachments."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import email
import email.policy
import json
import pathlib
import zoneinfo

import jsonschema
import lxml.html
import pytest

import mpe


ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMANDE = json.loads((ROOT / "tests/vectors/messagerie/demande.json").read_text(encoding="utf-8"))
TYPES = [
    "rejet",
    "modification_dce",
    "demande_complement",
    "reponse_question",
    "information_titulaire",
    "notification",
    "libre",
]
PIECES = [
    ("Cahier des clauses spéciales (CCAP) été.pdf", "application/pdf", b"%PDF-1.7\n\x00\x01\xfe\xff" * 300),
    ("Bordereau des prix ; lot « 2 ».xlsx", None, bytes(range(256)) * 40),
    ("Réponse n°3 — \"questions\" 🏗.txt", "text/plain", "ligne 1\r\nligne 2\nligne 3\rfin".encode()),
    ("Un nom de fichier très long pour vérifier les continuations RFC 2231 des paramètres — "
     "Annexe technique relative aux menuiseries extérieures du groupe scolaire.docx", None, b"PK\x03\x04" + b"z" * 5000),
]


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))


def bloc_attendu(c: dict, o: dict) -> str:
    dlro = dt.datetime.fromisoformat(c["calendrier"]["dlro"]).replace(tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    service = next(s["nom"] for s in o["services"] if s["id"] == c["acces"]["service_rattachement"])
    i = c["identification"]
    return (
        f"Référence | Intitulé : {i['reference']} | {i['intitule']}\n"
        f"Objet : {i['objet']}\n"
        f"Date limite de remise des plis : {dlro.strftime('%d/%m/%Y %H:%M')}\n"
        f"Organisme | Entité d'achat : {o['entite']['nom']} | {service}"
    )


def demande(type_courrier: str, avec_pieces: bool, ar: bool, reponse: bool) -> dict:
    d = copy.deepcopy(DEMANDE)
    m = mpe.courrier.generer_modele(type_courrier, d["consultation"], 2 if type_courrier != "libre" else None)
    corps = m["corps"]
    if type_courrier == "libre":
        corps = corps.replace("\n\n\n\n", "\n\nTexte libre <b>non interprété</b> & « guillemets ».\n\n")
    d["courrier"] = {
        "type_courrier": type_courrier,
        "lot": 2,
        "objet": m["objet"] + " – « Menuiseries » été",
        "corps": corps,
        "destinataires": DEMANDE["courrier"]["destinataires"],
        "pieces_jointes": [
            {"nom": n, "contenu": c, **({"type_mime": t} if t else {})} for (n, t, c) in PIECES
        ]
        if avec_pieces
        else [],
        "modifications_dce": [],
        "options": {"accuse_reception": ar, "reponse_autorisee": reponse},
    }
    return d


def texte_attendu(d: dict, url: str | None) -> str:
    t = d["courrier"]["corps"].rstrip()
    if url:
        t += f"\n\nMerci d'accuser réception de ce courrier en ouvrant le lien suivant :\n{url}"
    avis = (
        "Vous pouvez répondre à ce courrier en répondant à ce message."
        if d["courrier"]["options"]["reponse_autorisee"]
        else "Ce message est envoyé automatiquement : merci de ne pas y répondre."
    )
    return t + f"\n\n{avis}\n\n-- \n{bloc_attendu(d['consultation'], d['organisation'])}\n"


CAS = [(t, p, ar, rep) for t in TYPES for p in (False, True) for (ar, rep) in ((True, True), (False, False))]


@pytest.mark.parametrize("type_courrier,avec_pieces,ar,reponse", CAS)
def test_letter_parses_back(type_courrier, avec_pieces, ar, reponse):
    d = demande(type_courrier, avec_pieces, ar, reponse)
    jsonschema.validate(json.loads(json.dumps(d, default=lambda b: base64.b64encode(b).decode())), schema("demande_envoi.schema.json"))
    envoi = mpe.courrier.preparer(d)
    attendus = [("ao@xn--menuiseries-rhne-0vb.fr", "Menuiseries Rhône & Fils"), ("contact@alpha-batiment.fr", "")]
    assert len(envoi["messages"]) == len(attendus)
    for m, (adresse, nom) in zip(envoi["messages"], attendus):
        brut = m["mime"]
        assert b"\r\n" in brut and b"\n" not in brut.replace(b"\r\n", b"")
        entetes = brut.split(b"\r\n\r\n", 1)[0]
        assert all(len(l) <= 78 for l in entetes.split(b"\r\n")), entetes
        assert all(len(l) <= 998 for l in brut.split(b"\r\n"))
        msg = email.message_from_bytes(brut, policy=email.policy.default)
        for part in msg.walk():
            assert part.defects == [], (part.get_content_type(), part.defects)
        assert msg["subject"] == d["courrier"]["objet"]
        [to] = msg["to"].addresses
        assert (to.addr_spec, to.display_name) == (adresse, nom)
        assert msg["from"].addresses[0].display_name == "Ville de Villeurbanne – Marchés publics"
        assert email.utils.parsedate_to_datetime(msg["date"]) == dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone.utc)
        assert msg["message-id"] == f"<{m['message_id']}>"
        if reponse:
            assert msg["reply-to"].addresses[0].addr_spec == d["contexte"]["adresse_reponse"]
        else:
            assert msg["reply-to"] is None and msg["auto-submitted"] == "auto-generated"
        url = m["url_accuse_reception"]
        assert (url is not None) == ar
        if ar:
            assert url == d["contexte"]["url_accuse_reception"].replace("{jeton}", m["jeton"])

        # Canonical line ends of text/* are CRLF (RFC 2046 §4.1.1); Python keeps them.
        texte = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert texte == texte_attendu(d, url)
        page = lxml.html.document_fromstring(msg.get_body(("html",)).get_content())
        paragraphes = [p.text_content() for p in page.iter("p")]
        corps_paras = [p.strip("\n") for p in d["courrier"]["corps"].split("\n\n") if p.strip("\n")]
        assert paragraphes[: len(corps_paras)] == corps_paras
        assert page.find(".//title").text == d["courrier"]["objet"]
        cellules = [td.text_content() for td in page.iter("td")]
        assert cellules[2] == "15/12/2026 12:00"
        if ar:
            assert [a.get("href") for a in page.iter("a")] == [url]

        recues = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True)) for p in msg.iter_attachments()]
        if avec_pieces:
            assert msg.get_content_type() == "multipart/mixed"
            # Names as sanitized (`"` is not allowed on Windows); accents and emoji kept.
            assert [r[0] for r in recues] == [mpe.courrier.normaliser_nom_piece(n) for (n, _, _) in PIECES]
            assert recues[0][0] == "Cahier des clauses spéciales (CCAP) été.pdf"
            assert recues[2][0] == "Réponse n°3 — _questions_ 🏗.txt"
            assert [r[2] for r in recues] == [c for (_, _, c) in PIECES]
            assert recues[0][1] == "application/pdf"
            assert recues[1][1] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            for p in msg.iter_attachments():
                assert p["content-transfer-encoding"] == "base64"
        else:
            assert msg.get_content_type() == "multipart/alternative"
            assert recues == []
    # The JSON sent back matches the committed schemas.
    envoi_json = {
        "messages": [{k: (base64.b64encode(v).decode() if k == "mime" else v) for k, v in m.items() if v is not None} for m in envoi["messages"]],
        "evenements": envoi["evenements"],
    }
    jsonschema.validate(envoi_json, schema("envoi.schema.json"))
    registre = mpe.courrier.appliquer_evenements(envoi["evenements"])
    jsonschema.validate(registre, schema("registre_courriers.schema.json"))
    for e in envoi["evenements"]:
        jsonschema.validate(e, schema("evenement_courrier.schema.json"))


def test_dce_modification_attaches_replaced_and_added_pieces_only():
    d = copy.deepcopy(DEMANDE)
    d["courrier"]["pieces_jointes"] = []
    d["courrier"]["modifications_dce"] = [
        {"nature": "ajout_piece", "piece": {"nom": "Additif n°1.pdf", "contenu": b"%PDF-additif", "origine": "espace_documentaire"}},
        {"nature": "remplacement_piece", "remplacee": "CCTP.pdf", "piece": {"nom": "CCTP v2 été.pdf", "contenu": b"%PDF-v2"}},
        {"nature": "suppression_piece", "nom": "BPU.xlsx"},
        {"nature": "remplacement_dce"},
        {"nature": "ajout_dce"},
    ]
    msg = email.message_from_bytes(mpe.courrier.preparer(d)["messages"][0]["mime"], policy=email.policy.default)
    assert [(p.get_filename(), p.get_content()) for p in msg.iter_attachments()] == [
        ("Additif n°1.pdf", b"%PDF-additif"),
        ("CCTP v2 été.pdf", b"%PDF-v2"),
    ]
    texte = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "- remplacement de la pièce « CCTP.pdf » par « CCTP v2 été.pdf » (jointe) ;" in texte
    assert "- suppression de la pièce « BPU.xlsx » ;" in texte
    d["courrier"]["modifications_dce"] = d["courrier"]["modifications_dce"][3:]
    msg = email.message_from_bytes(mpe.courrier.preparer(d)["messages"][0]["mime"], policy=email.policy.default)
    assert list(msg.iter_attachments()) == []


@pytest.mark.parametrize(
    "domaine",
    ["bâtiment.fr", "région-île-de-france.fr", "münchen.de", "ÉCOLE.Fr", "façade-œuvre.com", "straße.de", "日本語.jp", "español.es"],
)
def test_idn_matches_python_idna_codec(domaine):
    # IDNA 2003 maps ß to ss; IDNA 2008 (what mail servers use) keeps it: compare only
    # where both agree.
    [a] = mpe.courrier.analyser_destinataires(f"x@{domaine}")
    attendu = domaine.lower().encode("idna").decode()
    if "ß" in domaine:
        assert a["ascii"] == "x@xn--strae-oqa.de"
    else:
        assert a["ascii"] == f"x@{attendu}"


def test_content_on_the_platform():
    d = demande("notification", True, True, False)
    d["courrier"]["options"]["contenu_sur_plateforme"] = True
    envoi = mpe.courrier.preparer(d)
    for m in envoi["messages"]:
        msg = email.message_from_bytes(m["mime"], policy=email.policy.default)
        assert msg.get_content_type() == "multipart/alternative"
        assert list(msg.iter_attachments()) == []
        texte = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert d["courrier"]["corps"] not in texte
        assert "son ouverture vaut accusé de réception" in texte
        assert m["url_accuse_reception"] in texte
        assert texte.endswith(bloc_attendu(d["consultation"], d["organisation"]) + "\n")
    # The journal still names what the platform delivers.
    assert envoi["evenements"][0]["pieces_jointes"] == [mpe.courrier.normaliser_nom_piece(n) for (n, _, _) in PIECES]


@pytest.mark.parametrize(
    "nom",
    [
        'Société "Bâtir", Fils & Cie <SARL>',
        "O'Brien; (Ltd) \\ back",
        "Menuiseries Rhône-Alpes SAS",
        "=?utf-8?q?pas un mot encodé?=",
        "Entreprise Générale de Bâtiment et de Travaux Publics du Rhône, SARL",
        "Établissements Ménard-Gérôme",
    ],
)
def test_display_names_parse_back(nom):
    d = copy.deepcopy(DEMANDE)
    d["courrier"]["destinataires"] = [{"email": "ao@x.fr", "raison_sociale": nom}]
    d["contexte"]["expediteur"]["nom"] = nom
    [m] = mpe.courrier.preparer(d)["messages"]
    entetes = m["mime"].split(b"\r\n\r\n", 1)[0]
    assert all(len(l) <= 78 for l in entetes.split(b"\r\n"))
    msg = email.message_from_bytes(m["mime"], policy=email.policy.default)
    assert msg["to"].addresses[0].display_name == nom
    assert msg["from"].addresses[0].display_name == nom
    assert msg["to"].addresses[0].addr_spec == "ao@x.fr"
