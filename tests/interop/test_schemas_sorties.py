"""The JSON Schemas of `schemas/` against what mpe really writes: every JSON file of
`mpe demo` (the map below must name each one: an unmapped output fails), the journal lines,
the shared procedure scenarios (inputs, the state after every step, the journal, registers,
receipts), the CLI's `--json` reports, and the outputs of the Python binding. Validated with
`jsonschema` (Draft 2020-12, as schemars writes them); the external formats the demo writes
(DECP, OCDS) are checked against their official schemas.

Every schema of `schemas/` must be used by at least one real output here, but the few
listed with their reason in `NON_PRODUITS` (see `test_chaque_schema_sert`)."""

from __future__ import annotations

import base64
import copy
import json
import os
import pathlib
import re
import subprocess
import sys

import jsonschema
import pytest

from test_demo import DECP, MPE, ROOT, demo  # noqa: F401  (the demo fixture, reused)

# `python -m pytest` from the checkout: import the installed wheel, not python/mpe.
_SOURCE = ROOT / "python"
sys.path[:] = [d for d in sys.path if pathlib.Path(d or ".").resolve() != _SOURCE]

import mpe  # noqa: E402
import mpe.bicle  # noqa: E402
import mpe.cms  # noqa: E402
import mpe.confiance  # noqa: E402
import mpe.consultation  # noqa: E402
import mpe.contrat  # noqa: E402
import mpe.courrier  # noqa: E402
import mpe.cpv  # noqa: E402
import mpe.decp  # noqa: E402
import mpe.document  # noqa: E402
import mpe.entrepot  # noqa: E402
import mpe.enveloppe  # noqa: E402
import mpe.espace  # noqa: E402
import mpe.exceptions  # noqa: E402
import mpe.formulaire  # noqa: E402
import mpe.jeton  # noqa: E402
import mpe.journal  # noqa: E402
import mpe.ouverture  # noqa: E402
import mpe.avis  # noqa: E402
import mpe.dume  # noqa: E402
import mpe.procedure  # noqa: E402
import mpe.signature  # noqa: E402

SCHEMAS = ROOT / "schemas"
VECTEURS = ROOT / "tests" / "vectors"
OCDS_ZIP = VECTEURS / "donnees" / "ocds" / "standard-1__1__5.zip"

# Every JSON file `mpe demo` writes, with what checks it (for JSONL, the schema of each
# line). A file missing from this map fails `test_demo_chaque_json_a_son_schema`.
CARTE_DEMO = {
    "procedure.json": "procedure.schema.json",
    "journal.jsonl": "entree_journal.schema.json",
    "donnees/contrats.json": "contrats.schema.json",
    "donnees/decp.json": "officiel:decp",
    "donnees/ocds.json": "officiel:ocds",
}

# What each schema validated during the session, to check that none is left unused.
UTILISES: dict[str, int] = {}


def _validateur(nom: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / nom).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", nom
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


_CACHE: dict[str, jsonschema.Draft202012Validator] = {}


def valider(valeur, nom: str, ou: str = "") -> None:
    """Validate one real output against `schemas/<nom>` and count it."""
    v = _CACHE.get(nom) or _CACHE.setdefault(nom, _validateur(nom))
    erreurs = sorted(v.iter_errors(valeur), key=lambda e: list(e.absolute_path))
    assert not erreurs, f"{ou} / {nom} : " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))} : {e.message[:300]}" for e in erreurs[:5])
    UTILISES[nom] = UTILISES.get(nom, 0) + 1


def lire(p: pathlib.Path):
    return json.loads(p.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# mpe demo.


def test_demo_chaque_json_a_son_schema(demo: pathlib.Path):
    sorties = sorted(
        str(p.relative_to(demo)) for p in demo.rglob("*") if p.suffix in (".json", ".jsonl"))
    assert sorties, "la démo n'a écrit aucun JSON"
    sans = [s for s in sorties if s not in CARTE_DEMO]
    assert not sans, f"sorties JSON de la démo sans schéma : {sans}"
    absentes = [s for s in CARTE_DEMO if s not in sorties]
    assert not absentes, f"sorties attendues absentes : {absentes}"
    for rel, nom in CARTE_DEMO.items():
        f = demo / rel
        if nom.startswith("officiel:"):
            continue  # test_demo_formats_externes
        if rel.endswith(".jsonl"):
            lignes = f.read_text(encoding="utf-8").splitlines()
            assert len(lignes) > 20
            for i, ligne in enumerate(lignes):
                valider(json.loads(ligne), nom, f"{rel}:{i + 1}")
        else:
            valider(lire(f), nom, rel)


def test_demo_formats_externes(demo: pathlib.Path, tmp_path: pathlib.Path):
    # DECP: the official JSON Schema (draft 2020-12 too); OCDS: the official standard
    # through libcoveocds (the release schema is draft 4 with its own codelists).
    officiel = lire(DECP / "schema_decp_v2.0.3.json")
    jsonschema.validate(lire(demo / "donnees/decp.json"), officiel)
    cove = pathlib.Path(sys.executable).parent / "libcoveocds"
    out = subprocess.run(
        [str(cove), "--standard-zip", str(OCDS_ZIP), "-o", str(tmp_path / "out"),
         str(demo / "donnees/ocds.json")],
        check=True, capture_output=True, text=True)
    r = json.loads(out.stdout)
    assert r["validation_errors"] == [], r["validation_errors"]


def _verifier_cli(demo: pathlib.Path, *args: str) -> dict:
    r = subprocess.run([str(MPE), "verifier", "--json", *args], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode in (0, 1, 2), (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


def test_cli_verifier_json(demo: pathlib.Path):
    ac = str(demo / "pki/ac-demo.cert.pem")
    pades = demo / "ouverture/pli-1/offre-lot-1/AE.pdf"
    cades = demo / "ouverture/pli-2/offre-lot-1/AE.pdf.p7s"
    xades = next((demo / "ouverture/pli-3/offre-lot-1").glob("AE.pdf - * - Signature 1.xml"))
    statuts = []
    for f, autres in ((pades, []), (cades, ["--fichier-signe", str(cades.with_suffix(""))]),
                      (xades, [])):
        rapport = _verifier_cli(demo, "--confiance", ac, *autres, str(f))
        valider(rapport, "rapport_verification.schema.json", f"mpe verifier {f.name}")
        # Without a trust anchor: another path through the report (indeterminate).
        sans = _verifier_cli(demo, *autres, str(f))
        valider(sans, "rapport_verification.schema.json", f"mpe verifier {f.name} (sans ancre)")
        statuts += [json.dumps(rapport), json.dumps(sans)]
    assert len(set(statuts)) == 6


CORPUS = next((p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()),
              None)


def test_cli_verifier_json_corpus():
    """Every signature of the real-world corpus, with the anchors, intermediates, signed
    data and time its expectations give: reports of every shape (valid, invalid,
    indeterminate, unsupported, PDF revisions) validate."""
    assert CORPUS is not None, "shared/corpus introuvable"
    entrees = [e for e in lire(CORPUS / "expectations.json")["entries"] if e["kind"] == "signatures"]
    rapports: dict[str, int] = {}
    for e in entrees:
        args = []
        for a in e.get("trust_anchors", []):
            args += ["--confiance", str(CORPUS / a)]
        for a in e.get("intermediates", []):
            args += ["--intermediaire", str(CORPUS / a)]
        if "signed_data" in e:
            args += ["--fichier-signe", str(CORPUS / e["signed_data"])]
        if "validation_time" in e:
            args += ["--date-verification", e["validation_time"]]
        r = subprocess.run([str(MPE), "verifier", "--json", *args, str(CORPUS / e["path"])],
                           capture_output=True, text=True, timeout=300)
        if r.returncode not in (0, 1, 2):
            continue  # no report: an error on stderr (a detached signature without its file)
        rapport = json.loads(r.stdout)
        valider(rapport, "rapport_verification.schema.json", e["path"])
        rapports[rapport["statut"]] = rapports.get(rapport["statut"], 0) + 1
    assert sum(rapports.values()) >= 90, rapports
    assert {"VALIDE", "INVALIDE", "INDETERMINE"} <= set(rapports), rapports


# ---------------------------------------------------------------------------------------
# The shared procedure scenarios.


def _jouer(nom: str):
    """Play a scenario through the Python binding, validating its inputs and every state,
    journal entry and refusal on the way."""
    s = lire(VECTEURS / "procedure" / nom)
    valider(s["organisation"], "organisation.schema.json", nom)
    valider(s["consultation"], "consultation.schema.json", nom)
    ctx = lambda t, a: {"maintenant": t, "acteur": a, "organisation": s["organisation"]}  # noqa: E731
    valider(ctx(s["creation"]["maintenant"], s["creation"]["acteur"]), "contexte.schema.json", nom)
    p = mpe.procedure.Procedure.nouvelle(
        s["consultation"], ctx(s["creation"]["maintenant"], s["creation"]["acteur"]))
    etats = []
    for i, e in enumerate(s["etapes"]):
        ou = f"{nom} étape {i}"
        valider(ctx(e["maintenant"], e["acteur"]), "contexte.schema.json", ou)
        if "suite" in e:
            valider(e["suite"], "parametres_suite.schema.json", ou)
        else:
            valider(e["action"], "action.schema.json", ou)
        try:
            if "suite" in e:
                suite = p.creer_suite(e["suite"], ctx(e["maintenant"], e["acteur"]))
                etats.append(p.etat)
                p = suite
            else:
                p.appliquer(e["action"], ctx(e["maintenant"], e["acteur"]))
        except mpe.exceptions.ErreurMpe as err:
            assert err.nom == e["attendu"], ou
        valider(p.etat, "procedure.schema.json", ou)
    etats.append(p.etat)
    return s, p, etats


def test_scenario_entrees_etats_journal_registres():
    s, p, etats = _jouer("scenario.json")
    journal = (VECTEURS / "procedure" / "scenario.journal.jsonl").read_text(encoding="utf-8")
    for i, ligne in enumerate(journal.splitlines()):
        valider(json.loads(ligne), "entree_journal.schema.json", f"scenario.journal.jsonl:{i + 1}")
    valider(p.journal, "entrees_journal.schema.json", "journal du scénario")
    for e in p.journal:
        valider(e["evenement"], "evenement.schema.json", "événement du scénario")
    valider(p.etat["journal"], "tete_journal.schema.json", "tête du journal")
    for lot, d in p.etat.get("decisions", {}).items():
        valider(d, "decision_lot.schema.json", f"décision du lot {lot}")
    valider(p.lister_registres(), "registres.schema.json", "registres")
    for diffusion in ("tous", "retraits", "soumissionnaires", "questions"):
        valider(mpe.procedure.lister_destinataires(p.etat, diffusion), "destinataires.schema.json",
                diffusion)
    for filtre in ({}, {"origines": ["depot"], "lot": 1}, {"non_retenus": True, "lot": 1}):
        valider(filtre, "filtre_destinataires.schema.json", "filtre")
        valider(mpe.procedure.lister_destinataires_courrier(p.etat, filtre),
                "destinataires_courrier.schema.json", f"destinataires courrier {filtre}")
    accuses = 0
    for pli in range(1, len(p.etat["plis"]) + 1):
        try:
            a = mpe.journal.generer_accuse(journal, pli)
        except mpe.exceptions.ErreurMpe:
            continue  # a paper pli has no receipt
        valider(a, "accuse_reception.schema.json", f"accusé du pli {pli}")
        accuses += 1
    assert accuses >= 3


def test_suite_chaine_et_etats():
    _, p, etats = _jouer("suite.json")
    assert len(etats) == 2
    journal = (VECTEURS / "procedure" / "suite.journal.jsonl").read_text(encoding="utf-8")
    for i, ligne in enumerate(journal.splitlines()):
        valider(json.loads(ligne), "entree_journal.schema.json", f"suite.journal.jsonl:{i + 1}")
    liens = mpe.procedure.chainer(p.etat["consultation"]["id"], etats)
    assert len(liens) == 2
    valider(liens, "liens.schema.json", "chaîne")


def test_validation_avec_cles():
    """A procedure validated with its encryption keys: the key register the host sends,
    then the state and the journal entry that record them."""
    s = lire(VECTEURS / "procedure" / "scenario.json")
    ctx = lambda t, a: {"maintenant": t, "acteur": a, "organisation": s["organisation"]}  # noqa: E731
    registre = []
    for id_, nature in (("k", "personnelle"), ("s", "secours")):
        p12 = mpe.bicle.generer(f"Clé {id_}", "2026-11-01T09:00:00Z", "secret", bits=2048)
        registre.append({"id": id_, "nature": nature,
                         "certificat_pem": mpe.bicle.exporter_pem(p12, "secret")})
    valider(registre, "cles_chiffrement.schema.json", "registre des clés")
    assert mpe.cms.choisir_destinataires(registre, ["k"], "2026-11-02T09:00:00Z").count("BEGIN") == 2
    p = mpe.procedure.Procedure.nouvelle(
        s["consultation"], ctx(s["creation"]["maintenant"], s["creation"]["acteur"]))
    for e in s["etapes"]:
        if e["attendu"] != "OK":
            continue  # a refusal of the scenario (rights, deadlines)
        action = e["action"]
        if action["type"] == "valider":
            action = dict(action, cles=registre)
            valider(action, "action.schema.json", "valider avec clés")
            nouvelles = p.appliquer(action, ctx(e["maintenant"], e["acteur"]))
            break
        p.appliquer(action, ctx(e["maintenant"], e["acteur"]))
    assert len(p.etat["cles_chiffrement"]) == 2
    valider(p.etat, "procedure.schema.json", "état validé avec clés")
    valider(p.etat["cles_chiffrement"], "cles_chiffrement.schema.json", "clés de l'état")
    for x in nouvelles:
        valider(x, "evenement.schema.json", x["type"])
    for x in p.journal:
        valider(x, "entree_journal.schema.json", x["evenement"]["type"])
    assert any(x.get("cles") for x in nouvelles)


# ---------------------------------------------------------------------------------------
# Contracts and DECP.


def test_contrats_et_decp(tmp_path: pathlib.Path):
    etat = lire(VECTEURS / "contrats" / "procedure_attribuee.json")
    org = lire(VECTEURS / "contrats" / "organisation.json")
    valider(etat, "procedure.schema.json", "procedure_attribuee.json")
    complement = {"numero": "2027-0611-01", "dateNotification": "2027-01-05",
                  "datePublicationDonnees": "2027-01-08", "dureeMois": 8,
                  "formePrix": "Forfaitaire", "typesPrix": ["Définitif ferme"]}
    contrats = []
    for lot in (1, 2, 3):
        k = dict(complement, numero=f"2027-0611-0{lot}")
        try:
            c = mpe.contrat.generer_depuis_decision(etat, org, k, lot)
        except mpe.exceptions.ErreurMpe as e:
            pytest.fail(f"lot {lot} : {e}")
        valider(k, "complement_contrat.schema.json", f"complément lot {lot}")
        valider(c, "contrat.schema.json", f"contrat du lot {lot}")
        contrats.append(c)
    valider(contrats, "contrats.schema.json", "contrats")
    filtre = {"mots_cles": "lot", "type_contrat": "marche"}
    valider(filtre, "filtre_contrats.schema.json", "filtre")
    valider(mpe.contrat.filtrer(contrats, **filtre), "contrats.schema.json", "filtrés")
    # An invalid contract gives anomalies.
    faux = copy.deepcopy(contrats[0])
    faux["montant"] = -1
    anomalies = mpe.decp.valider(contrats + [faux], "2027-02-01")
    assert anomalies
    valider(anomalies, "anomalies_decp.schema.json", "anomalies")
    # Import of the official examples, of two messy real-world exports (repairs and
    # rejections in the report) and of a JSON that holds no contract (the 2019 format's
    # own schema: one rejection), then searches.
    donnees = VECTEURS / "donnees"
    exemples = sorted((DECP / "exemples").glob("*/*")) + [
        donnees / "decp-v1" / "marches.json", donnees / "sale-2019.json", donnees / "sale-2022.xml"]
    assert len(exemples) >= 8
    e = mpe.entrepot.Entrepot()
    for f in exemples:
        valider(e.importer(f, "2026-01-15"), "rapport_import.schema.json", f.name)
    valider(e.chercher(), "resultat_recherche.schema.json", "recherche")
    fiches = list(e)
    assert len(fiches) >= 5
    for f in fiches:
        valider(f, "fiche.schema.json", "fiche de l'entrepôt")
    # The DECP reader's elements (contracts and rejections), one at a time.
    elements = [x for f in exemples for x in mpe.decp.lire(f, "2026-01-15")]
    assert {x["type"] for x in elements} >= {"contrat", "rejet"}
    for x in elements:
        valider(x, "element_decp.schema.json", "mpe.decp.lire")
    for x in elements:
        if x["type"] == "contrat":
            valider(mpe.contrat.calculer_etat(x["contrat"]), "etat_actuel.schema.json", "état actuel")
    valider(e.chercher(mots_cles="marché", par_page=5), "resultat_recherche.schema.json", "recherche")


# ---------------------------------------------------------------------------------------
# Documents, letters, keys, envelopes, signatures.


def test_cli_bicle_et_fusionner_json(tmp_path: pathlib.Path):
    for extra in ([], ["--courbe", "P-256"]):
        d = tmp_path / f"cles{len(extra)}"
        r = subprocess.run([str(MPE), "bicle", "generer", "--titulaire", "Jean DUPONT", "--dossier",
                            str(d), "--sans-mot-de-passe", "--json", *extra],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        valider(json.loads(r.stdout)["bicle"], "info_bicle.schema.json", f"mpe bicle {extra}")
    modele = tmp_path / "OUV10.docx"
    modele.write_bytes(mpe.formulaire.lire_modele("OUV10"))
    r = subprocess.run([str(MPE), "fusionner", "--lister-champs", str(modele), "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    champs = json.loads(r.stdout)
    assert champs
    valider(champs, "champs_modele.schema.json", "mpe fusionner --lister-champs --json")
    # A merge (missing data allowed), its --json summary.
    (tmp_path / "vide.json").write_text("{}", encoding="utf-8")
    r = subprocess.run([str(MPE), "fusionner", str(modele), str(tmp_path / "vide.json"), "-o",
                        str(tmp_path / "sortie.docx"), "--non-strict", "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    resultat = json.loads(r.stdout)
    assert resultat["octets"] == (tmp_path / "sortie.docx").stat().st_size
    valider(resultat, "resultat_fusion.schema.json", "mpe fusionner --json")


def _mpe_json(*args: str, codes=(0,)):
    r = subprocess.run([str(MPE), *args, "--json"], capture_output=True, text=True, timeout=300)
    assert r.returncode in codes, (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


def test_cli_resumes_json(tmp_path: pathlib.Path):
    """The command's own --json summaries (schemas written by cli/src/schemas.rs)."""
    etat = lire(VECTEURS / "contrats" / "procedure_attribuee.json")
    org = lire(VECTEURS / "contrats" / "organisation.json")
    complement = {"numero": "2027-0611-01", "dateNotification": "2027-01-05",
                  "datePublicationDonnees": "2027-01-08", "dureeMois": 8,
                  "formePrix": "Forfaitaire", "typesPrix": ["Définitif ferme"]}
    contrats = [mpe.contrat.generer_depuis_decision(etat, org, dict(complement, numero=f"2027-0611-0{l}"), l)
                for l in (1, 2)]
    (tmp_path / "contrats.json").write_text(json.dumps(contrats), encoding="utf-8")
    for ext in ("json", "xml"):
        r = _mpe_json("decp", "exporter", str(tmp_path / "contrats.json"), "-o",
                      str(tmp_path / f"decp.{ext}"), "--aujourd-hui", "2027-01-10")
        assert (r["format"], r["marches"], r["concessions"]) == (ext, 2, 0), r
        valider(r, "resultat_export_decp.schema.json", f"mpe decp exporter --json ({ext})")
    # Validation: none on the register, every failure of a broken one and of a messy file.
    assert _mpe_json("decp", "valider", str(tmp_path / "contrats.json"), "--aujourd-hui", "2027-01-10") == []
    faux = copy.deepcopy(contrats)
    faux[0]["montant"] = -1
    faux[1]["titulaires"][0]["id"] = "44238104200006"
    (tmp_path / "faux.json").write_text(json.dumps(faux), encoding="utf-8")
    for f in (tmp_path / "faux.json", VECTEURS / "donnees" / "sale-2019.json"):
        erreurs = _mpe_json("decp", "valider", str(f), "--aujourd-hui", "2027-01-10", codes=(10,))
        assert erreurs, f
        valider(erreurs, "erreurs_decp.schema.json", f"mpe decp valider --json ({f.name})")
    # Import: the counters printed and the report file.
    rapport = tmp_path / "rapport.json"
    compteurs = _mpe_json("decp", "importer", str(VECTEURS / "donnees" / "sale-2019.json"),
                          str(VECTEURS / "donnees" / "sale-2022.xml"), "--rapport", str(rapport),
                          "-o", str(tmp_path / "entrepot.mpedecp"))
    assert compteurs["lus"] > 0 and compteurs["rejetes"] > 0, compteurs
    valider(compteurs, "compteurs_import.schema.json", "mpe decp importer --json")
    global_ = lire(rapport)
    assert len(global_["fichiers"]) == 2 and global_["lus"] == compteurs["lus"]
    valider(global_, "rapport_import_global.schema.json", "mpe decp importer --rapport")
    # The workstation check, with the SoftHSM module given (its tokens, if any, as lines).
    diag = _mpe_json("diagnostic", "--pkcs11", "/usr/lib/softhsm/libsofthsm2.so", codes=(0, 4))
    assert {c["nom"] for c in diag["controles"]} >= {"empreinte", "enveloppe"}, diag
    valider(diag, "diagnostic.schema.json", "mpe diagnostic --json")
    # A TEST identity: its files exist, the certificate described is the signing one.
    (tmp_path / "mdp.txt").write_text("mdp", encoding="utf-8")
    ident = _mpe_json("bicle", "identite-test", "--sujet", "CN=Jeanne Essai,O=Exemple SA,C=FR",
                      "--fichier-mot-de-passe", str(tmp_path / "mdp.txt"), "--dossier", str(tmp_path / "id"))
    assert ident["test"] is True and all(pathlib.Path(f).is_file() for f in ident["fichiers"])
    assert "Jeanne Essai" in ident["bicle"]["sujet"]
    valider(ident, "identite_test.schema.json", "mpe bicle identite-test --json")


def test_jetons_softhsm(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch):
    """`mpe.jeton.lister` on a SoftHSM2 token with an RSA and an EC key and certificates
    (tests/pkcs11/jeton_softhsm.sh)."""
    conf = subprocess.run([ROOT / "tests" / "pkcs11" / "jeton_softhsm.sh", tmp_path], check=True,
                          capture_output=True, text=True).stdout.strip()
    monkeypatch.setenv("SOFTHSM2_CONF", conf)
    jetons = mpe.jeton.lister("/usr/lib/softhsm/libsofthsm2.so", "2026-12-01T10:00:00Z")
    assert [j["jeton"]["libelle"] for j in jetons] == ["mpe-test"]
    assert {c["libelle"] for c in jetons[0]["certificats"]} == {"cle-rsa", "cle-ec"}
    valider(jetons, "jetons.schema.json", "mpe.jeton.lister")


def test_documents():
    cat = mpe.formulaire.lister()
    valider(cat, "catalogue_formulaires.schema.json", "catalogue")
    exemple = mpe.formulaire.lire_exemple()
    valider(exemple, "donnees_procedure.schema.json", "exemple")
    for f in cat[:3]:
        valider(mpe.document.lister_champs(mpe.formulaire.lire_modele(f["code"])),
                "champs_modele.schema.json", f["code"])
    e = mpe.espace.nouveau("demo-2026-0611")
    valider(e, "espace_documentaire.schema.json", "espace vide")
    e = mpe.espace.ajouter(e, "dce", "RC.pdf", b"%PDF-1.7 rc", "2026-11-02T09:00:00Z")
    e = mpe.espace.ajouter(e, "dce", "CCAP.pdf", b"%PDF-1.7 ccap", "2026-11-02T09:05:00Z",
                           modele="CCAP")
    valider(e, "espace_documentaire.schema.json", "espace")
    valider(mpe.espace.lister(e), "pieces.schema.json", "pièces")


def test_courriers():
    c = lire(ROOT / "examples" / "data" / "consultation.json")
    valider(mpe.courrier.generer_modele("rejet", c, 1), "modele_courrier.schema.json", "modèle")
    valider(mpe.courrier.nouveau("rejet", c, 1), "courrier.schema.json", "courrier")
    valider(mpe.courrier.analyser_destinataires("a@example.fr, b@bâtiment.fr\n<c@y.fr>"),
            "adresses.schema.json", "adresses")


def test_cles_enveloppes_ouverture(tmp_path: pathlib.Path):
    p12 = mpe.bicle.generer("Acheteur Démo", "2026-11-02T09:00:00Z", "secret", bits=2048)
    valider(mpe.bicle.decrire(p12, "secret"), "info_bicle.schema.json", "bi-clé")
    (tmp_path / "a.txt").write_text("offre", encoding="utf-8")
    zip_ = tmp_path / "pli.zip"
    valider(mpe.enveloppe.generer([("a.txt", tmp_path / "a.txt")], zip_),
            "manifeste_enveloppe.schema.json", "enveloppe")
    valider(mpe.enveloppe.extraire(zip_, tmp_path / "extrait"), "manifeste_enveloppe.schema.json",
            "extraction")
    valider(mpe.enveloppe.lister(zip_.read_bytes()), "entrees_enveloppe.schema.json", "lister")
    cert = mpe.bicle.exporter_pem(p12, "secret")
    chiffre = tmp_path / "pli.zip.p7m"
    mpe.cms.chiffrer_fichier(zip_, chiffre, cert)
    valider(mpe.cms.dechiffrer_fichier(chiffre, tmp_path / "clair.zip", p12, "secret"),
            "info_dechiffrement.schema.json", "déchiffrement")
    index = mpe.ouverture.exporter(
        [{"consultation": "demo-2026-0611", "id": "pli1", "chemin": chiffre}], tmp_path / "export")
    valider(index, "index_export.schema.json", "index")
    etapes = []
    r = mpe.ouverture.dechiffrer_dossier(tmp_path / "export", p12, "secret", tmp_path / "sortie",
                                         etapes.append)
    valider(r, "rapport_ouverture.schema.json", "rapport")
    # The same, as files: the export's index and the report left in the output folder.
    valider(lire(tmp_path / "export" / "index.json"), "index_export.schema.json", "index.json")
    valider(lire(tmp_path / "sortie" / "rapport.json"), "rapport_ouverture.schema.json",
            "rapport.json")
    assert etapes
    for x in etapes:
        valider(x, "etape_ouverture.schema.json", "étape")
    # An envelope for another key and a damaged one: the report carries their errors.
    autre = tmp_path / "autre.p7m"
    mpe.cms.chiffrer_fichier(zip_, autre, (VECTEURS / "crypto" / "bob.cert.pem").read_bytes())
    abime = tmp_path / "abime.p7m"
    abime.write_bytes(chiffre.read_bytes()[:-40])
    mpe.ouverture.exporter(
        [{"consultation": "demo-2026-0611", "id": n, "chemin": f}
         for n, f in (("pli1", chiffre), ("pli2", autre), ("pli3", abime))], tmp_path / "export2")
    r = mpe.ouverture.dechiffrer_dossier(tmp_path / "export2", p12, "secret", tmp_path / "sortie2")
    valider(r, "rapport_ouverture.schema.json", "rapport avec échecs")
    erreurs = [x["erreur"] for x in r["enveloppes"] if x.get("erreur")]
    assert len(erreurs) == 2, r
    for x in erreurs:
        valider(x, "erreur.schema.json", "erreur d'ouverture")


def test_entrees_de_l_abi_c():
    """Inputs only the C ABI takes as JSON (Python builds them in Rust): the ones its tests
    send (tests/c/test_crypto.c, test_cms_cle.c, test_documents.c) and the documented OCDS
    options."""
    for x in ({"titulaire": "Jean DUPONT"}, {"titulaire": "Jeanne EC"}):
        valider(x, "generation_bicle.schema.json", "mpe_bicle_generer")
    for x in ({"strict": True}, {"strict": False}):
        valider(x, "options_fusion.schema.json", "mpe_document_fusionner")
    valider({"prefixeOcid": "ocds-mpe001", "uri": "https://x.example/p.json",
             "editeur": "Ville de Rennes", "publieLe": "2026-01-15T10:00:00Z"},
            "options_ocds.schema.json", "mpe_decp_exporter_ocds")


def test_sorties_rust(tmp_path: pathlib.Path):
    """Public JSON only the Rust API gives (notices, trusted lists): written by the Rust
    test `sorties_rust` of core/tests/schemas.rs."""
    # The same package selection as the test command's `cargo test`, so that its build
    # is reused (a `-p mpe` build unifies other features and recompiles).
    r = subprocess.run(["cargo", "test", "-q", "--workspace", "--exclude", "mpe-python", "--test",
                        "schemas", "sorties_rust"],
                       cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "MPE_SORTIES_SCHEMAS": str(tmp_path)})
    assert r.returncode == 0, r.stdout + r.stderr
    fichiers = sorted(tmp_path.glob("*__*.json"))
    assert {f.name.split("__")[0] for f in fichiers} == {"resume_avis", "constats_avis",
                                                         "rapport_liste"}
    for f in fichiers:
        valider(lire(f), f.name.split("__")[0] + ".schema.json", f.name)
    valider(lire(VECTEURS / "publication" / "donnees_avis.json"), "donnees_avis.schema.json",
            "donnees_avis.json")


def _espd() -> pathlib.Path:
    if "MPE_ESPD" in os.environ:
        return pathlib.Path(os.environ["MPE_ESPD"])
    for d in ROOT.parents:
        if (d / "shared" / "data" / "espd").is_dir():
            return d / "shared" / "data" / "espd"
    raise AssertionError("shared/data/espd introuvable (MPE_ESPD)")


def test_avis_et_dume_des_liaisons():
    """The publication surfaces from Python: the contract notice of the example
    consultation; the result notice (29) of the shared scenario with the contract of each
    awarded lot, built from its decisions (the `contrats_lots` input); the buyer's DUME
    request, a DUME read, a response compared with its request (ESPD-EDM 4.1.0 examples)."""
    c = lire(ROOT / "examples" / "data" / "consultation.json")
    o = lire(ROOT / "examples" / "data" / "organisation.json")
    d = lire(VECTEURS / "publication" / "donnees_avis.json")
    maintenant = "2026-11-03T09:00:00Z"
    valider(mpe.avis.generer_marche("16", c, o, d, maintenant=maintenant), "avis.schema.json", "16")

    s, p, _ = _jouer("scenario.json")
    etat = p.etat
    contrats = []
    for lot, x in sorted(etat["decisions"].items(), key=lambda kv: int(kv[0])):
        if "attributaires" not in x["decision"]:
            continue
        complement = {"numero": f"2026-0611-{int(lot):02}", "dateNotification": "2027-01-05"}
        contrat = mpe.contrat.generer_depuis_decision(etat, s["organisation"], complement, int(lot))
        contrats.append({"lot": int(lot), "contrat": dict(contrat)})
    assert contrats, "le scénario attribue au moins un lot"
    valider(contrats, "contrats_lots.schema.json", "scenario.json")
    donnees = lire(VECTEURS / "publication" / "donnees_attribution.json")
    avis = mpe.avis.generer_attribution("29", etat, s["organisation"], donnees, contrats,
                                        maintenant="2027-01-10T09:00:00Z")
    valider(avis, "avis.schema.json", "29")

    demande = mpe.dume.generer_demande(c, o, "4.1.0", maintenant=maintenant)
    valider(demande, "dume_demande.schema.json", "4.1.0")
    valider(mpe.dume.lire(demande["xml"].encode()), "resume_dume.schema.json", "demande mpe")
    espd = _espd() / "4.1.0" / "examples"
    reponse = (espd / "ESPD-Response.xml").read_bytes()
    valider(mpe.dume.lire(reponse), "resume_dume.schema.json", "ESPD-Response.xml")
    ecarts = mpe.dume.comparer(reponse, (espd / "ESPD-Request.xml").read_bytes(), {"siret": "51802345600024"})
    assert ecarts, "une autre entreprise : au moins un écart"
    valider(ecarts, "ecarts_dume.schema.json", "ESPD-Response.xml")


def test_listes_de_confiance(tmp_path: pathlib.Path):
    """The EU trusted lists of the corpus (LOTL and the national lists it points to): the
    lists as given (Python and the options of a verification), their loading, a
    qualification, the report that carries it, and the CLI's folder state after
    `mpe tsl mettre-a-jour` from a loopback mirror."""
    assert CORPUS is not None, "shared/corpus introuvable"
    date = "2019-09-04T08:00:00Z"
    lotl = (CORPUS / "tsl/dss/eu-lotl.xml").read_bytes()
    pem = (CORPUS / "tsl/anchors/lotl-signer-patrick-kremer.pem").read_text()
    nationales = sorted((CORPUS / "tsl/dss/lotlCache").glob("[A-Z][A-Z].xml")) + [
        CORPUS / "tsl/dss/lotlCache/CZ_broken-sig.xml"]
    listes = [p.read_bytes() for p in nationales]
    valider(mpe.confiance._listes(lotl, pem, listes), "listes_confiance.schema.json", "listes")
    c = mpe.confiance.charger(lotl, certificats_lotl_pem=pem, listes=listes, date=date)
    assert len(c["listes"]) >= 10 and any(e["rapport"] and not e["rapport"]["utilisable"] for e in c["entrees"])
    valider(c, "confiance.schema.json", "mpe.confiance.charger")
    for cert in ("sk-subject-certificate.pem", "sk-dss1911-subject.pem"):
        q = mpe.confiance.qualifier((CORPUS / "tsl/anchors" / cert).read_bytes(), lotl=lotl,
                                    certificats_lotl_pem=pem, listes=listes, date=date)
        valider(q, "rapport_qualification.schema.json", cert)
    sig = CORPUS / "signatures/cades/dss/counterSignedLTA.p7s"
    r = mpe.signature.verifier(sig.read_bytes(), date=date,
                               listes_confiance={"lotl": lotl, "certificats_lotl_pem": pem, "listes": listes})
    valider(r, "rapport_verification.schema.json", "verifier avec listes")
    valider(r["signatures"][0]["qualification"], "rapport_qualification.schema.json", "qualification du rapport")
    options = {"date_verification": date, "listes_confiance": mpe.confiance._listes(lotl, pem, listes[:2])}
    valider(options, "options_verification.schema.json", "options avec listes_confiance")
    # The CLI folder, fetched from a plain-HTTP mirror on loopback.
    srv = tmp_path / "srv"
    for p, octets in [("ec.europa.eu/tools/lotl/eu-lotl.xml", lotl)]:
        (srv / p).parent.mkdir(parents=True)
        (srv / p).write_bytes(octets)
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        port = so.getsockname()[1]
    serveur = subprocess.Popen([sys.executable, "-m", "http.server", "-b", "127.0.0.1", "-d", str(srv), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        etat = _mpe_json("tsl", "mettre-a-jour", str(tmp_path / "tsl"), "--certificats-lotl",
                         str(CORPUS / "tsl/anchors/lotl-signer-patrick-kremer.pem"), "--miroir",
                         f"https://=http://127.0.0.1:{port}/", "--miroir", f"http://=http://127.0.0.1:{port}/",
                         "--date", date, "--delai", "10", codes=(8,))
    finally:
        serveur.terminate()
        serveur.wait()
    assert etat["lotl"]["statut"] == "VALIDE" and etat["listes"], etat
    valider(etat, "etat_listes_confiance.schema.json", "mpe tsl mettre-a-jour --json")
    valider(_mpe_json("tsl", "afficher", str(tmp_path / "tsl")), "etat_listes_confiance.schema.json",
            "mpe tsl afficher --json")


def test_bilans_d_ouverture(tmp_path: pathlib.Path):
    """`Procedure::ouvrir_plis` (Rust only): its reports, with every envelope opened and with
    failures recorded, written by core/tests/procedure_ouverture_plis.rs."""
    r = subprocess.run(["cargo", "test", "-q", "--workspace", "--exclude", "mpe-python", "--test",
                        "procedure_ouverture_plis", "--", "ouverture_verifiee_et_outils_independants",
                        "echecs_enregistres_enveloppe_fermee"],
                       cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "MPE_SORTIES_SCHEMAS": str(tmp_path)})
    assert r.returncode == 0, r.stdout + r.stderr
    bilans = {f.name: lire(f) for f in tmp_path.glob("bilan_ouverture__*.json")}
    assert set(bilans) == {"bilan_ouverture__toutes_ouvertes.json", "bilan_ouverture__echecs.json"}
    assert bilans["bilan_ouverture__toutes_ouvertes.json"]["ouvertes"]
    assert bilans["bilan_ouverture__echecs.json"]["echecs"]
    for nom, b in bilans.items():
        valider(b, "bilan_ouverture.schema.json", nom)


def test_signatures_et_options(demo: pathlib.Path):
    cert = (VECTEURS / "signature" / "signataire.pem").read_text(encoding="ascii")
    cle = (VECTEURS / "signature" / "signataire.key").read_text(encoding="ascii")
    ca = (VECTEURS / "signature" / "ca.pem").read_text(encoding="ascii")
    # The JSON the binding sends to the core for the options (built by its helpers).
    opts = {"nom_fichier": "offre.pdf", "algorithme_empreinte": "SHA-256"}
    valider(mpe.signature._options_signature("2026-11-28T10:00:00Z", opts),
            "options_signature.schema.json", "options de signature")
    valider(mpe.signature._options_verification(
        cert, None, None, "2026-11-28T12:00:00Z", {"annexe A.txt": b"annexe"},
        {"taille_max": 100_000_000, "revisions_max": 50}),
        "options_verification.schema.json", "options de vérification")
    valider(mpe.signature._options_verification(None, None, None, None, None, None),
            "options_verification.schema.json", "options vides")
    for fmt in ("cades", "xades"):
        prep = mpe.signature.preparer(fmt, b"contenu", certificats_pem=cert,
                                      date="2026-11-28T10:00:00Z")
        valider(prep, "signature_preparee.schema.json", f"préparation {fmt}")
    pdf = (demo / "ouverture/pli-1/offre-lot-1/AE.pdf").read_bytes()
    valider(mpe.signature.preparer("pades", pdf, certificats_pem=cert, date="2026-11-28T10:00:00Z"),
            "signature_preparee.schema.json", "préparation pades")
    # Binding-side verification reports: signed here, then verified with and without anchor.
    signe = mpe.signature.signer("cades", b"contenu", cle_pem=cle, certificats_pem=cert,
                                 date="2026-11-28T10:00:00Z")
    valider(mpe.signature.verifier(signe, b"contenu", ancres_pem=ca),
            "rapport_verification.schema.json", "vérification Python")
    valider(mpe.signature.verifier(signe, b"autre"), "rapport_verification.schema.json",
            "vérification Python, contenu modifié")


def test_consultation_cpv_et_cli_valider(tmp_path: pathlib.Path):
    donnees = ROOT / "examples" / "data"
    c, org = lire(donnees / "consultation.json"), lire(donnees / "organisation.json")
    constats = mpe.consultation.valider(c, org, maintenant="2026-11-02T09:00:00Z")
    valider(constats, "constats.schema.json", "valider (Python)")
    faux = copy.deepcopy(c)
    faux["identification"]["cpv"]["principal"] = "99999999-9"
    faux["identification"]["reference"] = "AO 2026"
    constats = mpe.consultation.valider(faux, org, maintenant="2026-11-02T09:00:00Z")
    assert constats
    valider(constats, "constats.schema.json", "valider, consultation fautive (Python)")
    valider(mpe.consultation.normaliser(c), "consultation.schema.json", "normaliser")
    f = tmp_path / "faux.json"
    f.write_text(json.dumps(faux), encoding="utf-8")
    r = subprocess.run([str(MPE), "valider", "--json", str(f), "--organisation",
                        str(donnees / "organisation.json")], capture_output=True, text=True)
    valider(json.loads(r.stdout), "constats.schema.json", "mpe valider --json")
    for code in ("45454000-4", "03000000-1", "90919300-5"):
        valider(mpe.cpv.chercher(code), "cpv.schema.json", code)


def test_cli_avis_valider():
    """`mpe avis valider --json` on an SDK example the SDK itself calls invalid, and the
    bindings' validator on it."""
    from eforms_validateur import SDK

    avis = SDK / "examples" / "invalid-notices" / "INVALID_cn_24_multiple.xml"
    r = subprocess.run([str(MPE), "avis", "valider", "--json", "--sdk", str(SDK),
                        "--maintenant", "2026-11-02T00:00:00Z", str(avis)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 5, r.stderr
    sortie = json.loads(r.stdout)
    assert not sortie[0]["valide"] and sortie[0]["echecs"]
    valider(sortie, "rapports_validation_avis.schema.json", "mpe avis valider --json")
    # The same rules through the bindings' validator (Python here; C, PHP and Java give the
    # same JSON).
    rapport = mpe.avis.ValidateurAvis(SDK).valider(avis.read_text(encoding="utf-8"),
                                                   maintenant="2026-11-02T00:00:00Z")
    assert not rapport["valide"] and rapport["echecs"] == sortie[0]["echecs"]
    valider(rapport, "rapport_schematron.schema.json", "mpe.avis.ValidateurAvis.valider")


def test_entrees_donnees_des_liaisons(tmp_path: pathlib.Path):
    # The JSON the binding sends for import options and searches, then the CLI's search.
    valider(json.loads(mpe.decp.options_lecture("2026-01-15", "dataGouv")),
            "options_import.schema.json", "options de lecture")
    criteres = {"mots_cles": "travaux", "cpv": "4521", "notifie_depuis": "2024-01-01",
                "montant_min": 1000, "par_page": 5}
    valider(json.loads(mpe.entrepot._criteres(criteres)), "recherche.schema.json", "critères")
    attribution = {
        "numero": "2026-014", "objet": "Nettoyage des écoles", "acheteur": {"id": "21350238800019"},
        "procedure": "Appel d'offres ouvert", "typeContrat": "marche", "codeCpv": "90919300-5",
        "attributaires": [{"typeIdentifiant": "SIRET", "id": "55204599900869",
                           "raisonSociale": "Propreté Plus"}],
        "montant": 80000,
    }
    valider(attribution, "attribution.schema.json", "attribution")
    c = mpe.contrat.generer_depuis_attribution(attribution)
    valider(c, "contrat.schema.json", "contrat depuis attribution")
    e = mpe.entrepot.Entrepot()
    e.importer(DECP / "exemples" / "json" / "marches_concessions.json", "2026-01-15")
    e.ajouter(c)
    fichier = tmp_path / "marches.mpedecp"
    e.ecrire(fichier)
    r = subprocess.run([str(MPE), "decp", "chercher", str(fichier), "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["total"] >= 2
    valider(res, "resultat_recherche.schema.json", "mpe decp chercher --json")


def test_messagerie():
    demande = lire(VECTEURS / "messagerie" / "demande.json")
    valider(demande, "demande_envoi.schema.json", "demande.json")
    envoi = mpe.courrier.preparer(copy.deepcopy(demande))
    # The binding hands the messages' MIME as bytes; the core's JSON carries them in base64.
    brut = copy.deepcopy(envoi)
    for m in brut["messages"]:
        m["mime"] = base64.b64encode(m["mime"]).decode("ascii")
    valider(brut, "envoi.schema.json", "envoi")
    for ev in envoi["evenements"]:
        valider(ev, "evenement_courrier.schema.json", "événement d'envoi")
    r = mpe.courrier.appliquer_evenements(envoi["evenements"])
    valider(r, "registre_courriers.schema.json", "registre")
    r, ev = mpe.courrier.accuser_reception(r, envoi["messages"][0]["jeton"], "2026-11-21T08:15:00Z")
    valider(r, "registre_courriers.schema.json", "registre accusé")
    valider(ev, "evenement_courrier.schema.json", "accusé")
    mid = envoi["messages"][1]["message_id"]
    r, ev = mpe.courrier.enregistrer_reponse(r, f"<{mid}>", "2026-11-22T10:00:00Z", "rep@alpha")
    valider(ev, "evenement_courrier.schema.json", "réponse")
    contacts = [
        {"raison_sociale": "Alpha", "email": "a@alpha.fr", "origines": ["retrait"]},
        {"raison_sociale": "Bêta", "email": "b@beta.fr", "origines": ["depot", "question"]},
    ]
    valider(contacts, "contacts_entreprises.schema.json", "contacts")
    valider(mpe.courrier.extraire_destinataires(contacts), "destinataires_courrier.schema.json",
            "extraits")


def _refuse(valeur, nom: str) -> None:
    v = _CACHE.get(nom) or _CACHE.setdefault(nom, _validateur(nom))
    assert list(v.iter_errors(valeur)), f"{nom} accepte {json.dumps(valeur)[:200]}"


def test_les_schemas_refusent_ce_que_mpe_refuse():
    """Strict where serde is strict: what the core refuses, the schema refuses too."""
    s = lire(VECTEURS / "procedure" / "scenario.json")
    ctx = {"maintenant": s["creation"]["maintenant"], "acteur": s["creation"]["acteur"],
           "organisation": s["organisation"]}
    p = mpe.procedure.Procedure.nouvelle(s["consultation"], ctx)
    for action in ({"type": "inconnue"}, {"type": "valider", "cles": [{"id": "k"}]},
                   {"type": "refuser_validation"}):
        with pytest.raises(mpe.exceptions.ErreurMpe):
            p.appliquer(action, ctx)
        _refuse(action, "action.schema.json")
    # A journal entry with a field too many (deny_unknown_fields).
    entree = dict(p.journal[0], en_trop=1)
    with pytest.raises(mpe.exceptions.ErreurMpe):
        mpe.journal.verifier([entree])
    _refuse(entree, "entree_journal.schema.json")
    # A contract complement with an unknown field, a procedure state without consultation.
    etat = lire(VECTEURS / "contrats" / "procedure_attribuee.json")
    org = lire(VECTEURS / "contrats" / "organisation.json")
    with pytest.raises(mpe.exceptions.ErreurMpe):
        mpe.contrat.generer_depuis_decision(etat, org, {"id": "x"}, 1)
    _refuse({"id": "x"}, "complement_contrat.schema.json")
    sans = {k: v for k, v in etat.items() if k != "consultation"}
    with pytest.raises(mpe.exceptions.ErreurMpe):
        mpe.procedure.calculer_phase(sans, "2027-01-01T00:00:00Z")
    _refuse(sans, "procedure.schema.json")


def test_accuses_de_la_demo(demo: pathlib.Path):
    """The receipts of the demo's plis; a hash that is not 64 lowercase hex digits is
    refused by the schema as serde refuses it."""
    journal = (demo / "journal.jsonl").read_text(encoding="utf-8")
    accuses = []
    for pli in range(1, len(lire(demo / "procedure.json")["plis"]) + 1):
        a = mpe.journal.generer_accuse(journal, pli)
        valider(a, "accuse_reception.schema.json", f"accusé du pli {pli} de la démo")
        accuses.append(a)
    assert len(accuses) >= 3
    # An envelope hash of the state in capitals: mpe refuses to read it, the schema too.
    etat = lire(demo / "procedure.json")
    etat["plis"][0]["enveloppes"][0]["empreinte"] = etat["plis"][0]["enveloppes"][0]["empreinte"].upper()
    with pytest.raises(mpe.exceptions.ErreurMpe):
        mpe.procedure.calculer_phase(etat, "2027-01-01T00:00:00Z")
    _refuse(etat, "procedure.schema.json")


def test_parametres_documents_que_mpe_accepte():
    """The complements `mpe document generer --parametres` takes in test_documents_procedure.py
    (that test checks the forms it fills; here, the same JSON against its schema)."""
    from test_documents_procedure import COMPLEMENTS

    valider(COMPLEMENTS, "parametres_documents.schema.json", "mpe document generer --parametres")


def test_noms_des_schemas_suivent_le_glossaire():
    from test_glossaire import hors_glossaire

    noms = {f.name.removesuffix(".schema.json"): "schemas/" for f in SCHEMAS.glob("*.schema.json")}
    fautes = hors_glossaire(noms)
    assert not fautes, "mots hors de docs/glossaire.md :\n" + "\n".join(fautes)
    # schemas/README.md lists each schema once, with what gives or takes it.
    lu = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    listes = set(re.findall(r"^\| `([a-z_]+)\.schema\.json` \|", lu, re.M))
    assert listes == set(noms), sorted(listes ^ set(noms))


# Schemas no real output reaches here, and why (kept: they describe public JSON of the Rust
# API). The check below fails if one of them becomes used, so that this list stays true.
NON_PRODUITS: dict[str, str] = {}


def test_chaque_schema_sert(request):
    """Every schema validated at least one real output (run after the tests above)."""
    module = [i for i in request.session.items if i.module is request.module]
    if len(module) != len([n for n in dir(request.module) if n.startswith("test_")]):
        pytest.skip("sélection partielle du module : le décompte n'a de sens qu'en entier")
    tous = {f.name for f in SCHEMAS.glob("*.schema.json")}
    inutilises = tous - set(UTILISES) - set(NON_PRODUITS)
    assert not inutilises, f"schémas sans sortie réelle validée : {sorted(inutilises)}"
    assert not set(NON_PRODUITS) & set(UTILISES), "NON_PRODUITS à mettre à jour"
    assert not set(NON_PRODUITS) - tous
    total = sum(UTILISES.values())
    print(f"\n{len(UTILISES)} schémas, {total} documents validés : "
          + ", ".join(f"{n.removesuffix('.schema.json')} {k}" for n, k in sorted(UTILISES.items())))
    assert total > 500
