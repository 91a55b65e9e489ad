#!/usr/bin/env python3
"""Writes scenario.json: a whole procedure (3 lots, 4 companies, one bid one second late,
one company submitting twice, restricted access) as a list of steps, each with its context
(time, actor) and the outcome expected ("OK" or an error name). Rust, C and Python drive it
and must produce the same journal (scenario.journal.jsonl, written by the Rust test with
MPE_UPDATE_VECTORS=1).

Run from the repository root: python3 tests/vectors/procedure/make_scenario.py
"""
import copy
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[3]
consultation = json.loads((ROOT / "examples/data/consultation.json").read_text())
organisation = json.loads((ROOT / "examples/data/organisation.json").read_text())
# The scenario drives the state machine with declared envelopes. mpe takes a declared dépôt
# only from a consultation that does not require encryption: an encrypted envelope is
# deposited on its bytes, which mpe checks itself (core/tests/procedure_octets.rs,
# tests/c/test_plis.c, tests/interop/test_plis_langages.py).
consultation["modalites"]["chiffrement"] = False

# Two agents of another service, invited: one read-only, one to follow the registers.
organisation["services"].append({"id": "dfi", "nom": "Direction des finances"})
organisation["agents"] += [
    {"id": "p.leroy", "nom": "Leroy", "prenom": "Paul", "email": "paul.leroy@mairie-villeurbanne.fr",
     "service": "dfi", "habilitations": ["ouvrir_plis", "decider"]},
    {"id": "m.petit", "nom": "Petit", "prenom": "Marie", "email": "marie.petit@mairie-villeurbanne.fr",
     "service": "dfi", "habilitations": ["analyser_offres"]},
]
consultation["acces"]["agents_invites"] += [
    {"agent": "p.leroy", "permanent": False, "droits": "lecture"},
    {"agent": "m.petit", "permanent": True, "droits": "suivi"},
]
CODE = consultation["acces"]["code_acces"]


def luhn_siret(prefix13: str) -> str:
    for k in range(10):
        s = prefix13 + str(k)
        tot = 0
        for i, ch in enumerate(reversed(s)):
            d = int(ch)
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            tot += d
        if tot % 10 == 0:
            return s
    raise ValueError(prefix13)


def entreprise(siret, nom, contact, email):
    return {"identifiant": {"siret": siret}, "raison_sociale": nom,
            "contact": {"nom": contact, "email": email}}


A = entreprise(luhn_siret("4420512340001"), "Façades Rhône-Alpes SAS", "Sophie Girard", "s.girard@facades-ra.fr")
B = entreprise(luhn_siret("5180234560002"), "Menuiseries Lyonnaises SARL", "Karim Benali", "k.benali@menuiseries-lyon.fr")
C = entreprise(luhn_siret("8010345670001"), "Thermique & Ventilation Est", "Luc Martin", "contact@tve.fr")
D = entreprise(luhn_siret("3290456780003"), "Bâtir Durable SCOP", "Anne Morel", "a.morel@batir-durable.coop")


def fichier(nom, contenu: str, signature=None, document=None):
    data = contenu.encode()
    f = {"nom": nom, "taille": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if signature:
        f["signature"] = signature
    if document:
        f["document"] = document
    return f


PADES_OK = {"format": "PAdES", "resultat": "valide", "signataire": "Sophie Girard"}


def enveloppes(e, lots, chiffree=False, version=1):
    nom = e["raison_sociale"].split()[0]
    # Each file declares the document attendu it answers (modalites.documents), as the
    # company picks it for each file on the platform; lot 3 also asks for a note.
    out = [{"enveloppe": "candidature", "lot": 0, "chiffree": chiffree,
            "fichiers": [fichier(f"DUME_{nom}.xml", f"DUME {nom} v{version}", document="DUME ou DC1/DC2")]}]
    for lot in lots:
        fichiers = [
            fichier(f"AE_lot{lot}_{nom}.pdf", f"AE {nom} lot {lot} v{version}", PADES_OK, "Acte d'engagement"),
            fichier(f"DPGF_lot{lot}_{nom}.xlsx", f"DPGF {nom} lot {lot} v{version}",
                    document="Décomposition du prix global et forfaitaire"),
            fichier(f"Memoire_lot{lot}_{nom}.pdf", f"Mémoire {nom} lot {lot} v{version}", document="Mémoire technique"),
        ]
        if lot == 3:
            fichiers.append(fichier(f"Note_chaufferie_{nom}.pdf", f"Note {nom} v{version}",
                                    document="Note méthodologique chaufferie"))
        out.append({"enveloppe": "offre", "lot": lot, "chiffree": chiffree, "fichiers": fichiers})
    return out


def sans_documents(envs):
    """The envelopes without the files' documents (a consultation that expects none)."""
    envs = copy.deepcopy(envs)
    for e in envs:
        for f in e["fichiers"]:
            f.pop("document", None)
    return envs


def agent(i):
    return {"type": "agent", "id": i}


def ent(e):
    return {"type": "entreprise", "identifiant": e["identifiant"]}


etapes = []


def step(t, acteur, action, attendu="OK", note=""):
    etapes.append({"maintenant": t, "acteur": acteur, "action": action, "attendu": attendu, "note": note})


def ouvrir(pli, env, lot, fichiers, mode="en_ligne"):
    return {"pli": pli, "enveloppe": {"enveloppe": env, "lot": lot}, "resultat": "ok", "fichiers": fichiers}


# --- Élaboration and validation
step("2026-11-02T08:30:00Z", agent("j.dupont"), {"type": "demander_validation"}, note="demande de validation")
step("2026-11-02T08:45:00Z", agent("c.bernard"), {"type": "valider"}, "NON_HABILITE", "c.bernard ne peut pas valider")
step("2026-11-02T09:00:00Z", agent("a.martin"), {"type": "valider"}, note="validation, mise en ligne immédiate")
# --- Registers during the consultation
step("2026-11-03T10:00:00Z", {"type": "anonyme"}, {"type": "enregistrer_retrait"}, "CODE_ACCES_INCORRECT",
     "retrait anonyme sans code d'accès")
step("2026-11-03T10:05:00Z", {"type": "anonyme"}, {"type": "enregistrer_retrait", "code_acces": CODE})
for i, e in enumerate([A, B, C, D]):
    step(f"2026-11-0{4 + i}T09:00:00Z", ent(e), {"type": "enregistrer_retrait", "entreprise": e, "code_acces": CODE})
step("2026-11-20T15:00:00Z", ent(B), {"type": "poser_question", "entreprise": B, "code_acces": CODE,
     "texte": "Les menuiseries du bâtiment C sont-elles concernées par le lot 2 ?"})
step("2026-11-21T09:00:00Z", agent("p.leroy"), {"type": "repondre_question", "question": 1, "reponse": "Oui."},
     "NON_HABILITE", "invité en lecture seule")
step("2026-11-21T09:30:00Z", agent("m.petit"), {"type": "repondre_question", "question": 1,
     "reponse": "Oui : le bâtiment C est compris dans le lot 2 (voir plan APD-C-04)."})
# --- Dépôts
step("2026-12-10T14:00:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [1, 2],
     "enveloppes": enveloppes(A, [1, 2], chiffree=True), "code_acces": CODE}, "OCTETS_REQUIS",
     "chiffrement déclaré sans les octets : mpe ne le prend pas sur parole")
step("2026-12-10T14:05:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [1, 4],
     "enveloppes": enveloppes(A, [1]), "code_acces": CODE}, "LOT_INCONNU")
step("2026-12-10T14:10:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [1, 2],
     "enveloppes": enveloppes(A, [1]), "code_acces": CODE}, "ENVELOPPE_INCORRECTE", "offre du lot 2 manquante")
sans_dpgf = enveloppes(A, [1, 2])
del sans_dpgf[2]["fichiers"][1]
step("2026-12-10T14:11:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [1, 2],
     "enveloppes": sans_dpgf, "code_acces": CODE}, "DOCUMENT_MANQUANT", "DPGF du lot 2 manquante")
dpgf_pdf = enveloppes(A, [1, 2])
dpgf_pdf[1]["fichiers"][1]["nom"] = "DPGF_lot1_Façades.pdf"
step("2026-12-10T14:12:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [1, 2],
     "enveloppes": dpgf_pdf, "code_acces": CODE}, "FORMAT_DOCUMENT_REFUSE", "DPGF en PDF au lieu de XLSX")
step("2026-12-10T14:15:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [1, 2],
     "enveloppes": enveloppes(A, [1, 2]), "code_acces": CODE}, note="pli 1")
step("2026-12-12T16:00:00Z", ent(B), {"type": "deposer", "entreprise": B, "lots": [1, 3],
     "enveloppes": enveloppes(B, [1, 3]), "code_acces": CODE}, note="pli 2 (remplacé ensuite)")
step("2026-12-14T09:00:00Z", ent(B), {"type": "deposer", "entreprise": B, "lots": [1, 3],
     "enveloppes": enveloppes(B, [1, 3], version=2), "code_acces": CODE}, note="pli 3 remplace le pli 2")
step("2026-12-15T10:59:59Z", ent(C), {"type": "deposer", "entreprise": C, "lots": [2],
     "enveloppes": enveloppes(C, [2]), "code_acces": CODE}, note="pli 4, une seconde avant la DLRO")
step("2026-12-15T10:59:59Z", ent(D), {"type": "deposer", "entreprise": D, "lots": [3],
     "enveloppes": enveloppes(D, [3]), "code_acces": "MAUVAIS1"}, "CODE_ACCES_INCORRECT")
step("2026-12-15T10:59:59Z", agent("a.martin"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(1, "candidature", 0, [])]}, "PHASE_INCORRECTE", "ouverture avant la DLRO")
step("2026-12-15T11:00:01Z", ent(D), {"type": "deposer", "entreprise": D, "lots": [3],
     "enveloppes": enveloppes(D, [3]), "code_acces": CODE}, "HORS_DELAI", "une seconde après la DLRO")
step("2026-12-15T13:00:00Z", agent("m.petit"), {"type": "enregistrer_pli_papier", "entreprise": D, "lots": [3],
     "enveloppes": [{"enveloppe": "candidature", "lot": 0}, {"enveloppe": "offre", "lot": 3}],
     "recu_le": "2026-12-15T11:20:00Z"}, note="pli papier 5 reçu hors délai (registre papier)")
# --- Ouverture et analyse (par dossier)
step("2026-12-15T14:00:00Z", agent("j.dupont"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(1, "candidature", 0, [])]}, "NON_HABILITE", "j.dupont n'ouvre pas les plis")


def declares(pli_env):
    return pli_env["fichiers"]


envA = enveloppes(A, [1, 2])
envB2 = enveloppes(B, [1, 3], version=2)
envC = enveloppes(C, [2])
step("2026-12-15T14:05:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(1, "offre", 1, declares(envA[1]))]}, "OUVERTURE_IMPOSSIBLE", "offre avant la candidature (par dossier)")
step("2026-12-15T14:10:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(1, "candidature", 0, declares(envA[0])),
     ouvrir(1, "offre", 1, declares(envA[1])),
     ouvrir(1, "offre", 2, declares(envA[2]))]}, note="pli 1 ouvert")
step("2026-12-15T14:15:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(2, "candidature", 0, [])]}, "OUVERTURE_IMPOSSIBLE", "pli 2 remplacé : reste fermé")
step("2026-12-15T14:20:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(3, "candidature", 0, declares(envB2[0])),
     {"pli": 3, "enveloppe": {"enveloppe": "offre", "lot": 1}, "resultat": "echec", "code": "INTEGRITE_ECHEC",
      "message": "contrôle d'intégrité AES-GCM en échec"},
     ouvrir(3, "offre", 3, declares(envB2[2]))]}, note="pli 3 : échec de déchiffrement de l'offre du lot 1")
step("2026-12-15T14:30:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "hors_ligne", "enveloppes": [
     ouvrir(3, "offre", 1, declares(envB2[1]))]}, note="offre du lot 1 du pli 3 ouverte hors ligne")
step("2026-12-15T14:35:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(4, "candidature", 0, declares(envC[0])),
     ouvrir(4, "offre", 2, declares(envC[1])[:2])]}, note="pli 4 : un fichier manque (écart)")
step("2026-12-15T14:40:00Z", agent("c.bernard"), {"type": "ouvrir", "mode": "hors_ligne", "enveloppes": [
     ouvrir(5, "candidature", 0, [])]}, "OUVERTURE_IMPOSSIBLE", "pli papier hors délai : jamais ouvert")
for n in (1, 3, 4):
    step(f"2026-12-16T09:0{n}:00Z", agent("j.dupont"), {"type": "analyser_candidature", "pli": n, "admise": True})
step("2026-12-16T09:10:00Z", agent("j.dupont"), {"type": "demander_complement", "pli": 4,
     "objet": "Mémoire technique du lot 2 manquant", "date_limite": "2026-12-21T11:00:00Z"})
step("2026-12-16T10:00:00Z", agent("j.dupont"), {"type": "classer_offres", "lot": 1, "classement": [
     {"pli": 3, "rang": 1, "note": 87.5, "commentaire": "Meilleur rapport qualité-prix"},
     {"pli": 1, "rang": 2, "note": 81.25}]})
step("2026-12-16T10:05:00Z", agent("j.dupont"), {"type": "classer_offres", "lot": 2, "classement": [
     {"pli": 4, "rang": 1, "note": 90}, {"pli": 1, "rang": 2, "note": 78.5}]})
step("2026-12-16T10:10:00Z", agent("j.dupont"), {"type": "classer_offres", "lot": 3, "classement": [
     {"pli": 3, "rang": 1, "note": 70}]})
# --- Décisions
step("2026-12-18T09:00:00Z", agent("a.martin"), {"type": "decider", "lot": 1, "decision": {
     "type": "attribution", "attributaires": [{"pli": 3, "montant": 498000}]}}, "PHASE_INCORRECTE",
     "décision avant le passage en décision")
step("2026-12-18T09:05:00Z", agent("p.leroy"), {"type": "passer_en_decision"}, "NON_HABILITE",
     "invité en lecture : ses habilitations ne comptent pas")
step("2026-12-18T09:10:00Z", agent("a.martin"), {"type": "passer_en_decision"})
step("2026-12-18T09:15:00Z", agent("a.martin"), {"type": "decider", "lot": 1, "decision": {
     "type": "attribution", "attributaires": [{"pli": 2, "montant": 480000}]}}, "DECISION_IMPOSSIBLE",
     "le pli 2 remplacé ne peut être attributaire")
step("2026-12-18T09:20:00Z", agent("a.martin"), {"type": "decider", "lot": 1, "decision": {
     "type": "attribution", "attributaires": [{"pli": 3, "montant": 498000}]}})
step("2026-12-18T09:25:00Z", agent("a.martin"), {"type": "decider", "lot": 2, "decision": {
     "type": "attribution", "attributaires": [{"pli": 4, "montant": 395000.5}]}})
step("2026-12-18T09:30:00Z", agent("a.martin"), {"type": "decider", "lot": 3, "decision": {
     "type": "infructueuse", "motif": "Offre unique jugée inacceptable (prix excessif)"}})
step("2026-12-18T09:35:00Z", agent("a.martin"), {"type": "decider", "lot": 3, "decision": {
     "type": "sans_suite", "motif": "Redéfinition du besoin"}}, "DECISION_IMPOSSIBLE", "déjà décidé")
step("2026-12-18T10:00:00Z", agent("a.martin"), {"type": "reinitialiser_decision", "lot": 3,
     "motif": "Erreur de saisie : l'offre est acceptable après vérification du DPGF"})
step("2026-12-18T10:05:00Z", agent("a.martin"), {"type": "decider", "lot": 3, "decision": {
     "type": "attribution", "attributaires": [{"pli": 3, "montant": 305000}]}})
step("2026-12-18T11:00:00Z", agent("a.martin"), {"type": "envoyer_lettres_rejet", "lot": 1, "electronique": True})
step("2026-12-18T11:05:00Z", agent("a.martin"), {"type": "envoyer_lettres_rejet", "lot": 2, "electronique": False})
step("2026-12-18T11:10:00Z", agent("a.martin"), {"type": "envoyer_lettres_rejet", "lot": 3, "electronique": True})
# --- Courriers: the rejection letter of lot 1 to company A (pli 1), as messagerie prepared
# it, recorded in the journal; acknowledged through its token (twice: the second opening
# records nothing), then answered.
JETON = "Zq3Xv9mT2bK7wR4pL8nY1cH6sD0fG5jA3eU7iO2kQ9t"
MID = "rejet-lot1-1.c-2026-0611@mpe.mairie-villeurbanne.fr"
ENVOI = {"evenement": "envoye", "courrier_id": "rejet-lot1", "consultation_id": consultation["id"],
         "type_courrier": "rejet", "objet": "AOO_2026/0611 — Lot 1 : votre offre n'a pas été retenue",
         "destinataire": A["contact"]["email"], "raison_sociale": A["raison_sociale"], "message_id": MID,
         "date": "2026-12-18T11:15:00Z", "agent": "a.martin", "accuse_reception": True,
         "reponse_autorisee": True, "empreinte_jeton": hashlib.sha256(JETON.encode()).hexdigest(),
         "pieces_jointes": ["Rapport_analyse_lot1.pdf"]}
step("2026-12-18T11:15:00Z", agent("j.dupont"), {"type": "enregistrer_courrier", "evenements": [ENVOI]},
     "NON_HABILITE", "j.dupont n'envoie pas de courriers")
step("2026-12-18T11:15:00Z", agent("a.martin"), {"type": "enregistrer_courrier", "evenements": [ENVOI]},
     note="courrier de rejet du lot 1 enregistré")
step("2026-12-18T11:16:00Z", {"type": "anonyme"}, {"type": "accuser_reception_courrier", "jeton": JETON[::-1]},
     "JETON_INCONNU", "jeton inconnu")
step("2026-12-18T14:02:00Z", {"type": "anonyme"}, {"type": "accuser_reception_courrier", "jeton": JETON},
     note="accusé de réception")
step("2026-12-18T14:03:00Z", {"type": "anonyme"}, {"type": "accuser_reception_courrier", "jeton": JETON},
     note="second accusé : rien de nouveau")
step("2026-12-19T08:30:00Z", ent(A), {"type": "repondre_courrier", "message_id": f"<{MID}>",
     "message_id_reponse": "reponse-1@facades-ra.fr"}, note="réponse de l'entreprise")
step("2027-01-05T09:00:00Z", agent("a.martin"), {"type": "archiver"})
step("2027-01-05T09:05:00Z", agent("a.martin"), {"type": "decider", "lot": 1, "decision": {
     "type": "autre", "libelle": "x"}}, "PHASE_INCORRECTE", "consultation archivée")



def ecrire(nom, description, consultation, creation, etapes):
    scenario = {"description": description, "organisation": organisation, "consultation": consultation,
                "creation": creation, "etapes": etapes}
    out = pathlib.Path(__file__).with_name(nom + ".json")
    out.write_text(json.dumps(scenario, ensure_ascii=False, indent=1) + "\n")
    # The same, one JSON document per line, for the C and Java drivers (no JSON parser there):
    # "CREATION" / context / consultation, then per step "ACTION <attendu>" or
    # "SUITE <attendu>" / context / action or parameters.
    ctx = lambda t, a: json.dumps({"maintenant": t, "acteur": a, "organisation": organisation},
                                  ensure_ascii=False, separators=(",", ":"))
    lignes = ["CREATION", ctx(creation["maintenant"], creation["acteur"]),
              json.dumps(consultation, ensure_ascii=False, separators=(",", ":"))]
    for e in etapes:
        genre = "SUITE" if "suite" in e else "ACTION"
        lignes += [f"{genre} {e['attendu']}", ctx(e["maintenant"], e["acteur"]),
                   json.dumps(e.get("suite", e.get("action")), ensure_ascii=False, separators=(",", ":"))]
    out.with_suffix(".etapes.txt").write_text("\n".join(lignes) + "\n")
    print(f"{out}: {len(etapes)} étapes")


ecrire("scenario", "Procédure complète : 3 lots, 4 entreprises, accès restreint, un pli une seconde "
       "après la DLRO, une entreprise qui dépose deux fois, un pli papier hors délai.", consultation,
       {"maintenant": "2026-11-02T08:00:00Z", "acteur": agent("a.martin")}, etapes)

# --- A restricted procedure: candidature phase AOR_C_0611, then its suite AOR_O_0611.
aor = copy.deepcopy(consultation)
aor["id"] = "c-2026-0611-c"
idf = aor["identification"]
idf.update({"procedure": "appel_offres_restreint", "etape": "candidatures", "reference": "AOR_C_0611",
            "allotie": False})
aor["lots"] = []
aor["calendrier"].update({"dlro": "2026-12-15T12:00:00"})
aor["modalites"]["enveloppes"] = ["candidature"]
aor["modalites"]["documents"] = [d for d in aor["modalites"]["documents"] if d["enveloppe"] == "candidature"]
etapes = []
step("2026-11-02T09:00:00Z", agent("a.martin"), {"type": "valider"})
for i, e in enumerate([A, B, C]):
    env = enveloppes(e, [])
    step(f"2026-12-0{i + 1}T10:00:00Z", ent(e), {"type": "deposer", "entreprise": e, "enveloppes": env,
         "code_acces": CODE})
step("2026-12-15T13:00:00Z", agent("a.martin"), {"type": "ouvrir", "mode": "en_ligne", "enveloppes": [
     ouvrir(n, "candidature", 0, enveloppes(e, [])[0]["fichiers"]) for n, e in ((1, A), (2, B), (3, C))]})
step("2026-12-16T09:00:00Z", agent("j.dupont"), {"type": "analyser_candidature", "pli": 1, "admise": True})
step("2026-12-16T09:05:00Z", agent("j.dupont"), {"type": "analyser_candidature", "pli": 2, "admise": True})
step("2026-12-16T09:10:00Z", agent("j.dupont"), {"type": "analyser_candidature", "pli": 3, "admise": False,
     "motif": "Capacités techniques insuffisantes (références)"})
step("2026-12-17T09:00:00Z", agent("a.martin"), {"type": "passer_en_decision"})
PARAMS = {"id": "c-2026-0611-o", "reference": "AOR_O_0611", "dlro": "2027-03-01T12:00:00",
          "intitule": "Rénovation énergétique du groupe scolaire Jules Ferry — phase offres"}
etapes.append({"maintenant": "2026-12-17T09:30:00Z", "acteur": agent("a.martin"), "suite": PARAMS,
               "attendu": "SUITE_IMPOSSIBLE", "note": "aucune sélection encore"})
step("2026-12-17T10:00:00Z", agent("a.martin"), {"type": "decider", "lot": 0, "decision": {
     "type": "selection", "plis": [1, 3]}}, "DECISION_IMPOSSIBLE", "candidature 3 rejetée")
step("2026-12-17T10:05:00Z", agent("a.martin"), {"type": "decider", "lot": 0, "decision": {
     "type": "selection", "plis": [1, 2]}})
etapes.append({"maintenant": "2026-12-17T11:00:00Z", "acteur": agent("a.martin"), "suite": PARAMS,
               "attendu": "OK", "note": "suite AOR_O_0611 (l'état courant devient la suite)"})
# In the suite: validation, then only the selected companies may bid.
step("2027-01-26T09:00:00Z", agent("a.martin"), {"type": "valider"})
step("2027-02-10T10:00:00Z", ent(C), {"type": "deposer", "entreprise": C, "lots": [],
     "enveloppes": sans_documents(enveloppes(C, [0])[1:]), "code_acces": CODE}, "ENTREPRISE_NON_ADMISE")
step("2027-02-10T10:05:00Z", ent(A), {"type": "deposer", "entreprise": A, "lots": [],
     "enveloppes": sans_documents(enveloppes(A, [0])[1:]), "code_acces": CODE})
ecrire("suite", "Appel d'offres restreint : phase candidatures AOR_C_0611, sélection, suite AOR_O_0611 "
       "ouverte aux seules entreprises sélectionnées.", aor,
       {"maintenant": "2026-11-02T08:00:00Z", "acteur": agent("a.martin")}, etapes)
