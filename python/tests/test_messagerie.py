"""Python tests of the messagerie: default letters, recipients, preparing letters into
MIME messages that Python's email package reads back, the register and its errors."""

from __future__ import annotations

import copy
import datetime as dt
import email
import email.policy
import json
import pathlib

import pytest

import mpe

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMANDE = json.loads((ROOT / "tests/vectors/messagerie/demande.json").read_text(encoding="utf-8"))


def demande() -> dict:
    return copy.deepcopy(DEMANDE)


def parse(mime: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(mime, policy=email.policy.default)


def test_modele_rejet_reads_as_the_reference_platform():
    m = mpe.courrier.generer_modele("rejet", DEMANDE["consultation"], 2)
    assert m["objet"] == "AOO_2026/0611 – Rejet de votre offre – Lot n°2"
    assert "Nous vous remercions d'avoir répondu à la consultation" in m["corps"]
    assert "n'a pas été retenue" in m["corps"]
    assert "l'intérêt que vous avez porté" in m["corps"]
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.courrier.generer_modele("inconnu", DEMANDE["consultation"])  # type: ignore[arg-type]


def test_rejection_prefills_the_company():
    entreprise = {"raison_sociale": "Isolation Sud", "email": "AO@Isolation-Sud.FR", "origines": ["depot"]}
    c = mpe.courrier.nouveau("rejet", DEMANDE["consultation"], 1, entreprise)
    assert c["destinataires"] == [{"email": "AO@isolation-sud.fr", "raison_sociale": "Isolation Sud", "origines": ["depot"]}]
    assert c["type_courrier"] == "rejet" and c["lot"] == 1
    d = demande()
    d["courrier"] = c
    [m] = mpe.courrier.preparer(d)["messages"]
    msg = parse(m["mime"])
    assert msg["to"].addresses[0].addr_spec == "AO@isolation-sud.fr"
    assert "Isolation thermique par l'extérieur" in msg.get_body(("plain",)).get_content()
    with pytest.raises(mpe.exceptions.ErreurMessagerie):
        mpe.courrier.nouveau("rejet", DEMANDE["consultation"], 1, {"raison_sociale": "X", "email": "x"})


def test_recipients():
    l = mpe.courrier.analyser_destinataires("a@x.fr,a@X.FR; b@bâtiment.fr\n<c@y.fr>")
    assert [a["ascii"] for a in l] == ["a@x.fr", "b@xn--btiment-pwa.fr", "c@y.fr"]
    # Our punycode agrees with Python's IDNA codec.
    assert l[1]["ascii"].split("@")[1] == "bâtiment.fr".encode("idna").decode()
    with pytest.raises(mpe.exceptions.ErreurMessagerie) as e:
        mpe.courrier.analyser_destinataires("ok@x.fr ko@ x@@y.fr")
    assert e.value.code == 800 and e.value.nom == "ADRESSE_INVALIDE"
    assert "ko@" in str(e.value) and "x@@y.fr" in str(e.value)


def test_registers():
    contacts = [
        {"raison_sociale": "Alpha", "email": "ao@alpha.fr", "origines": ["retrait"]},
        {"raison_sociale": "Bêta", "email": "b@beta.fr", "origines": ["depot", "question"]},
    ]
    assert len(mpe.courrier.extraire_destinataires(contacts)) == 2
    d = mpe.courrier.extraire_destinataires(contacts, ["depot"])
    assert d == [{"email": "b@beta.fr", "raison_sociale": "Bêta", "origines": ["question", "depot"]}]


def test_prepare_round_trips_through_python_email():
    d = demande()
    d["courrier"]["pieces_jointes"][0]["contenu"] = b"%PDF-1.7 \x00\xff binaire"
    envoi = mpe.courrier.preparer(d)
    assert len(envoi["messages"]) == 2
    m = envoi["messages"][0]
    assert isinstance(m["mime"], bytes)
    msg = parse(m["mime"])
    assert msg["subject"] == "Modification du DCE – Lot n°2 « Menuiseries »"
    assert msg["to"].addresses[0].addr_spec == "ao@xn--menuiseries-rhne-0vb.fr"
    assert msg["to"].addresses[0].display_name == "Menuiseries Rhône & Fils"
    assert msg["message-id"] == f"<{m['message_id']}>"
    assert msg.defects == []
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert m["url_accuse_reception"] in text and m["url_accuse_reception"] in html
    assert "Date limite de remise des plis : 15/12/2026 12:00" in text
    assert "Ville de Villeurbanne | Direction de la commande publique" in html
    pieces = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert pieces["Cahier des clauses spéciales (CCAP) été.pdf"] == b"%PDF-1.7 \x00\xff binaire"
    assert "CCTP lot 2 – v2.pdf" in pieces


def test_register_acknowledgement_and_answer():
    envoi = mpe.courrier.preparer(demande())
    r = mpe.courrier.appliquer_evenements(envoi["evenements"])
    assert [e["statut"] for e in r["entrees"]] == ["envoye", "envoye"]
    jeton = envoi["messages"][0]["jeton"]
    quand = dt.datetime(2026, 11, 21, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    r, ev = mpe.courrier.accuser_reception(r, jeton, quand)
    assert ev["evenement"] == "ouvert" and ev["date"] == "2026-11-21T08:15:00Z"
    assert r["entrees"][0]["accuse_le"] == "2026-11-21T08:15:00Z"
    with pytest.raises(mpe.exceptions.ErreurMessagerie) as e:
        mpe.courrier.accuser_reception(r, jeton, quand)
    assert e.value.nom == "JETON_INCONNU"
    mid = envoi["messages"][1]["message_id"]
    r, ev = mpe.courrier.enregistrer_reponse(r, f"<{mid}>", "2026-11-22T10:00:00Z", "rep@alpha")
    assert r["entrees"][1]["statut"] == "repondu"
    with pytest.raises(mpe.exceptions.ErreurMessagerie) as e:
        mpe.courrier.enregistrer_reponse(r, "nope@x", "2026-11-22T10:00:00Z")
    assert e.value.nom == "COURRIER_INCONNU"
    # Events round-trip through the register.
    again = mpe.courrier.appliquer_evenements(envoi["evenements"] + [ev])
    assert again["entrees"][1]["statut"] == "repondu"


def test_piece_jointe_from_path(tmp_path):
    f = tmp_path / "Additif n°1 été.pdf"
    f.write_bytes(b"%PDF-additif")
    p = mpe.courrier.generer_piece_jointe(f)
    d = demande()
    d["courrier"]["pieces_jointes"] = [p]
    d["courrier"]["modifications_dce"] = []
    msg = parse(mpe.courrier.preparer(d)["messages"][1]["mime"])
    [a] = list(msg.iter_attachments())
    assert a.get_filename() == "Additif n°1 été.pdf" and a.get_content() == b"%PDF-additif"


@pytest.mark.parametrize(
    "change,name",
    [
        (lambda d: d["courrier"].update(destinataires=[]), "SANS_DESTINATAIRE"),
        (lambda d: d["courrier"].update(corps="  "), "COURRIER_INCOMPLET"),
        (lambda d: d["contexte"].update(limites={"par_piece": 8, "total": 100, "nombre": 5}), "PIECE_JOINTE_TROP_GRANDE"),
        (lambda d: d["contexte"].pop("url_accuse_reception"), "COURRIER_INCOMPLET"),
        (lambda d: d["courrier"]["destinataires"][0].update(email="nope"), "ADRESSE_INVALIDE"),
    ],
)
def test_errors(change, name):
    d = demande()
    change(d)
    with pytest.raises(mpe.exceptions.ErreurMessagerie) as e:
        mpe.courrier.preparer(d)
    assert e.value.nom == name


def test_bad_json_and_names():
    d = demande()
    d["courrier"]["pieces_jointes"][0]["contenu"] = "pas du base64 !"
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.courrier.preparer(d)
    assert e.value.nom == "JSON_INVALIDE"
    assert mpe.courrier.normaliser_nom_piece("../../CON") == "_CON"


def test_one_message_at_a_time():
    d = demande()
    un = mpe.courrier.preparer_message(d, 1)
    assert un["nombre_messages"] == 2
    assert un["destinataire"] == "contact@alpha-batiment.fr"
    assert un["evenement"]["message_id"] == un["message_id"]
    msg = parse(un["mime"])
    assert msg["subject"] == DEMANDE["courrier"]["objet"]
    assert un["url_accuse_reception"] in msg.get_body(("plain",)).get_content()
    with pytest.raises(mpe.exceptions.ErreurEntree):
        mpe.courrier.preparer_message(d, 2)
