#!/usr/bin/env python3
"""Données des tests du dépôt sur les octets et de l'ouverture par rappels (C, PHP, Java).

Écrit dans DOSSIER, à partir du scénario partagé (tests/vectors/procedure/scenario.json) :
- consultation.json (DLRO reportée au 20/01/2027 12:00, après la validité des certificats
  d'alice et bob), ctx_creation.json, ctx_validation.json, valider.json (alice personnelle,
  bob secours) ;
- pour N plis (N = argument 2, 2 par défaut ; l'entreprise i est « Façades » au SIRET
  modifié), depot-<i>.json (l'action, fichiers déclarés avec tailles et SHA-256 des ZIP) et
  ctx_depot-<i>.json ; pli-<i>/<enveloppe>.zip en clair, pli-<i>/<enveloppe>.p7m chiffré
  par `openssl cms -encrypt` (AES-256-CBC) pour alice et bob ;
- les refus : seule-alice.p7m (sans la clé de secours), autre-cle.p7m (une clé étrangère et
  bob), non-cms.der (un certificat DER : une SEQUENCE qui n'est pas une enveloppe),
  clair.zip (le ZIP lui-même) ;
- ctx_ouverture.json (a.martin, après la DLRO).
"""

import hashlib
import json
import os
import subprocess
import sys
import zipfile

ICI = os.path.dirname(os.path.abspath(__file__))
VECTEURS = os.path.join(ICI, "..", "vectors")
CRYPTO = os.path.join(VECTEURS, "crypto")


def luhn_siret(base13: str) -> str:
    """Un SIRET valide (clé de Luhn) à partir de 13 chiffres."""
    for d in "0123456789":
        s = base13 + d
        total = 0
        for i, c in enumerate(reversed(s)):
            n = int(c) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return s
    raise ValueError(base13)


def ecrire(dossier, nom, valeur):
    with open(os.path.join(dossier, nom), "w", encoding="utf-8") as f:
        f.write(json.dumps(valeur, ensure_ascii=False))


def chiffrer(zip_, sortie, *certs):
    cmd = ["openssl", "cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", zip_, "-out", sortie]
    subprocess.run(cmd + list(certs), check=True)


def main():
    dossier = sys.argv[1]
    n_plis = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    os.makedirs(dossier, exist_ok=True)
    s = json.load(open(os.path.join(VECTEURS, "procedure", "scenario.json"), encoding="utf-8"))
    org = s["organisation"]
    c = s["consultation"]
    c["calendrier"]["dlro"] = "2027-01-20T12:00:00"
    # The scenario deposits declared envelopes in clear; these plis are encrypted.
    c["modalites"]["chiffrement"] = True
    ecrire(dossier, "consultation.json", c)
    agent = {"type": "agent", "id": "a.martin"}
    ecrire(dossier, "ctx_creation.json", {"maintenant": "2026-12-01T08:00:00Z", "acteur": agent, "organisation": org})
    ecrire(dossier, "ctx_validation.json", {"maintenant": "2026-12-01T09:00:00Z", "acteur": agent, "organisation": org})
    pem = lambda n: open(os.path.join(CRYPTO, n), encoding="utf-8").read()
    ecrire(dossier, "valider.json", {"type": "valider", "cles": [
        {"id": "alice", "nature": "personnelle", "certificat_pem": pem("alice.cert.pem")},
        {"id": "bob", "nature": "secours", "certificat_pem": pem("bob.cert.pem")},
    ]})
    modele = next(
        e for e in s["etapes"]
        if e["action"]["type"] == "deposer" and e["attendu"] == "OK" and e["maintenant"] == "2026-12-10T14:15:00Z"
    )
    alice, bob = os.path.join(CRYPTO, "alice.cert.pem"), os.path.join(CRYPTO, "bob.cert.pem")
    for i in range(1, n_plis + 1):
        a = json.loads(json.dumps(modele["action"]))
        siret = luhn_siret(f"442051234{i:04d}")
        a["entreprise"]["identifiant"]["siret"] = siret
        a["entreprise"]["raison_sociale"] = f"Façades {i}"
        os.makedirs(os.path.join(dossier, f"pli-{i}"), exist_ok=True)
        for e in a["enveloppes"]:
            nom = e["enveloppe"] + (f"-lot-{e['lot']}" if e["lot"] else "")
            z = os.path.join(dossier, f"pli-{i}", nom + ".zip")
            # The envelope format of mpe: the files, then manifeste.json (path, size, SHA-256).
            manifeste = {"version": 1, "fichiers": []}
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as w:
                for f in e["fichiers"]:
                    contenu = f"contenu de {f['nom']} du pli {i}\n".encode()
                    w.writestr(f["nom"], contenu)
                    f["taille"] = len(contenu)
                    f["sha256"] = hashlib.sha256(contenu).hexdigest()
                    f.pop("signature", None)
                    manifeste["fichiers"].append({"chemin": f["nom"], "taille": f["taille"], "sha256": f["sha256"]})
                w.writestr("manifeste.json", json.dumps(manifeste, ensure_ascii=False))
            e["chiffree"] = True
            chiffrer(z, os.path.join(dossier, f"pli-{i}", nom + ".p7m"), alice, bob)
        ecrire(dossier, f"depot-{i}.json", a)
        ecrire(dossier, f"ctx_depot-{i}.json", {
            "maintenant": f"2026-12-10T14:{15 + i // 60:02d}:{i % 60:02d}Z",
            "acteur": {"type": "entreprise", "identifiant": {"siret": siret}},
            "organisation": org,
        })
    # Refusals, on the candidature of pli 1.
    z = os.path.join(dossier, "pli-1", "candidature.zip")
    chiffrer(z, os.path.join(dossier, "seule-alice.p7m"), alice)
    cle, cert = os.path.join(dossier, "autre.key"), os.path.join(dossier, "autre.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cle, "-out", cert,
                    "-subj", "/CN=Autre cle", "-days", "36500"],
                   check=True, capture_output=True)
    chiffrer(z, os.path.join(dossier, "autre-cle.p7m"), cert, bob)
    subprocess.run(["openssl", "x509", "-in", alice, "-outform", "DER", "-out", os.path.join(dossier, "non-cms.der")], check=True)
    with open(z, "rb") as f, open(os.path.join(dossier, "clair.zip"), "wb") as g:
        g.write(f.read())
    ecrire(dossier, "ctx_ouverture.json", {"maintenant": "2027-01-20T11:00:01Z", "acteur": agent, "organisation": org})


if __name__ == "__main__":
    main()
