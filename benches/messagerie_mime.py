"""Side by side: preparing letters with mpe vs composing the same MIME messages with
Python's `email` package (the anchor), on the same inputs.

Run from the repository root after installing a *release* wheel:
    .venv/bin/python -m maturin build --release -q -m python/Cargo.toml --out target/bench-wheels
    .venv/bin/python -m pip install -q --force-reinstall --no-deps target/bench-wheels/mpe-*.whl
    .venv/bin/python benches/messagerie_mime.py
Prints a Markdown table (median of repeated runs, ratio anchor / mpe).
"""

from __future__ import annotations

import copy
import email.policy
import json
import os
import pathlib
import statistics
import time
from email.message import EmailMessage

from mpe import messagerie

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEMANDE = json.loads((ROOT / "tests/vectors/messagerie/demande.json").read_text(encoding="utf-8"))


def anchor(d: dict, texte: str, html: str) -> list[bytes]:
    """The same messages with the standard library: one per recipient, text + HTML +
    attachments, RFC 2047/2231 headers, base64 attachments, CRLF."""
    out = []
    for dest in d["courrier"]["destinataires"]:
        m = EmailMessage()
        m["From"] = f'{d["contexte"]["expediteur"]["nom"]} <{d["contexte"]["expediteur"]["email"]}>'
        m["To"] = dest["email"]
        m["Subject"] = d["courrier"]["objet"]
        m["Date"] = "Fri, 20 Nov 2026 09:30:00 +0000"
        m["Message-ID"] = "<x@example.fr>"
        m.set_content(texte)
        m.add_alternative(html, subtype="html")
        for p in d["courrier"]["pieces_jointes"]:
            m.add_attachment(p["contenu"], maintype="application", subtype="pdf", filename=p["nom"])
        out.append(m.as_bytes(policy=email.policy.SMTP))
    return out


def mesure(f, n: int) -> float:
    t = []
    for _ in range(n):
        a = time.perf_counter()
        f()
        t.append(time.perf_counter() - a)
    return statistics.median(t)


def scenario(nom: str, d: dict, n: int) -> str:
    env = messagerie.preparer(d)
    msg = email.message_from_bytes(env["messages"][0]["mime"], policy=email.policy.default)
    texte = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    t_mpe = mesure(lambda: messagerie.preparer(d), n)
    t_py = mesure(lambda: anchor(d, texte, html), n)
    taille = sum(len(m["mime"]) for m in env["messages"])
    return f"| {nom} | {len(env['messages'])} | {taille / 1e6:.2f} Mo | {t_mpe * 1e3:.1f} ms | {t_py * 1e3:.1f} ms | {t_py / t_mpe:.1f}× |"


def main() -> None:
    d1 = copy.deepcopy(DEMANDE)
    d1["courrier"]["destinataires"] = d1["courrier"]["destinataires"][:1]
    d1["courrier"]["modifications_dce"] = []
    d1["courrier"]["pieces_jointes"] = [{"nom": "CCAP été.pdf", "contenu": os.urandom(10 * 1024 * 1024)}]
    d2 = copy.deepcopy(DEMANDE)
    d2["courrier"]["pieces_jointes"] = []
    d2["courrier"]["modifications_dce"] = []
    d2["courrier"]["destinataires"] = [{"email": f"ao{i}@entreprise-{i}.fr"} for i in range(200)]
    print("| scénario | messages | taille | mpe | email (Python) | rapport |")
    print("|---|---|---|---|---|---|")
    print(scenario("1 destinataire, pièce jointe de 10 Mio", d1, 7))
    print(scenario("200 destinataires, sans pièce jointe", d2, 7))


if __name__ == "__main__":
    main()
