"""The JSON Schemas of `schemas/` against what mpe really writes: every JSON file of
`mpe demo` (the map below must name each one: an unmapped output fails), the journal lines,
the shared procedure scenarios (inputs, the state after every step, the journal, registers,
receipts), the CLI's `--json` reports, and the outputs of the Python binding. Validated with
`jsonschema` (Draft 2020-12, as schemars writes them); the external formats the demo writes
(DECP, OCDS) are checked against their official schemas.

Every schema of `schemas/` must be used by at least one real output here (see
`test_chaque_schema_sert`)."""

from __future__ import annotations

import base64
import copy
import json
import pathlib
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
import mpe.entrepot  # noqa: E402
import mpe.exceptions  # noqa: E402
import mpe.contrat  # noqa: E402
import mpe.courrier  # noqa: E402
import mpe.cpv  # noqa: E402
import mpe.decp  # noqa: E402
import mpe.document  # noqa: E402
import mpe.enveloppe  # noqa: E402
import mpe.espace  # noqa: E402
import mpe.formulaire  # noqa: E402
import mpe.journal  # noqa: E402
import mpe.ouverture  # noqa: E402
import mpe.procedure  # noqa: E402
import mpe.signature  # noqa: E402

SCHEMAS = ROOT / "schemas"
VECTEURS = ROOT / "tests" / "vectors"
OCDS_ZIP = VECTEURS / "donnees" / "ocds" / "standard-1__1__5.zip"

# Every JSON file `mpe demo` writes, with what checks it. `None` for JSONL: one schema per
# line. A file missing from this map fails `test_demo_chaque_json_a_son_schema`.
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
    pades = demo / "ouverture/pli1/Offre_lot1/AE.pdf"
    cades = demo / "ouverture/pli2/Offre_lot1/AE.pdf.p7s"
    xades = next((demo / "ouverture/pli3/Offre_lot1").glob("AE.pdf - * - Signature 1.xml"))
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
    """A few signatures of each family of the real-world corpus: reports of every shape
    (valid, invalid, indeterminate, unsupported) validate."""
    assert CORPUS is not None, "shared/corpus introuvable"
    entrees = lire(CORPUS / "expectations.json")["entries"]
    vus: dict[str, int] = {}
    n = 0
    for e in entrees:
        if e["kind"] != "signatures" or vus.get(e["family"], 0) >= 6:
            continue
        f = CORPUS / e["path"]
        r = subprocess.run([str(MPE), "verifier", "--json", str(f)], capture_output=True,
                           text=True, timeout=300)
        if r.returncode not in (0, 1, 2):
            continue  # unreadable input: an error on stderr, no report
        valider(json.loads(r.stdout), "rapport_verification.schema.json", e["path"])
        vus[e["family"]] = vus.get(e["family"], 0) + 1
        n += 1
    assert n >= 12, vus


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
    valider(p.etat["cles_chiffrement"] if "cles_chiffrement" in p.etat else [],
            "cles_chiffrement.schema.json", "clés de l'état")


def test_suite_chaine_et_etats():
    _, p, etats = _jouer("suite.json")
    assert len(etats) == 2
    journal = (VECTEURS / "procedure" / "suite.journal.jsonl").read_text(encoding="utf-8")
    for i, ligne in enumerate(journal.splitlines()):
        valider(json.loads(ligne), "entree_journal.schema.json", f"suite.journal.jsonl:{i + 1}")
    liens = mpe.procedure.chainer(p.etat["consultation"]["id"], etats)
    assert len(liens) == 2
    valider(liens, "liens.schema.json", "chaîne")


def test_bilan_ouverture_dans_la_demo(demo: pathlib.Path):
    """The opening's outcome is recorded in the state and the journal the demo wrote: the
    `plis_ouverts` events carry the errors (schema `erreur`) of a failed envelope."""
    etat = lire(demo / "procedure.json")
    valider(etat, "procedure.schema.json", "procedure.json")
    erreurs = 0
    for ligne in (demo / "journal.jsonl").read_text(encoding="utf-8").splitlines():
        ev = json.loads(ligne)["evenement"]
        for x in _chercher(ev, "erreur"):
            valider(x, "erreur.schema.json", ev["type"])
            erreurs += 1
    assert erreurs >= 0


def _chercher(v, cle: str):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == cle and isinstance(x, dict):
                yield x
            else:
                yield from _chercher(x, cle)
    elif isinstance(v, list):
        for x in v:
            yield from _chercher(x, cle)


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
    # Import of the official examples, then a search.
    # Import of the official examples and of two messy real-world exports (repairs and
    # rejections in the report), then searches.
    donnees = VECTEURS / "donnees"
    exemples = sorted((DECP / "exemples").glob("*/*")) + [
        donnees / "decp-v1" / "marches.json", donnees / "sale-2019.json", donnees / "sale-2022.xml"]
    assert len(exemples) >= 8
    e = mpe.entrepot.Entrepot()
    for f in exemples:
        valider(e.importer(f, "2026-01-15"), "rapport_import.schema.json", f.name)
    valider(e.chercher(), "resultat_recherche.schema.json", "recherche")
    valider(e.chercher(mots_cles="marché", par_page=5), "resultat_recherche.schema.json", "recherche")


# ---------------------------------------------------------------------------------------
# Documents, letters, keys, envelopes, signatures.


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
    assert etapes
    for x in etapes:
        valider(x, "etape_ouverture.schema.json", "étape")
