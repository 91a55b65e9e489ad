"""The eForms validator (SDK XSD by lxml, SDK Schematron compiled by lxml's ISO skeleton and
run by Saxon) gives on the SDK's own examples the results of the SDK's own reports.

It is the oracle the notices written by mpe are checked with (test_eforms_mpe.py), so it is
first checked here against the SDK: same failed asserts (id and role) as the reference SVRL
for every example, the INVALID_* examples refused, and one documented difference: the rule
BR-BT-13713-0123, new in 1.15, which the SDK's result-notice examples and reports (made
before it) do not satisfy.
"""

from __future__ import annotations

import hashlib
import pathlib

import pytest

from eforms_validateur import COMPILES, SDK, Validateur, empreinte_sources, manifeste, reference

EXEMPLES = SDK / "examples" / "notices"
INVALIDES = SDK / "examples" / "invalid-notices"

# Rules added or changed by SDK 1.15.0 (its CHANGELOG, "Updates on Business Rules") after the
# SDK's reports were made (2025-11-11): the examples below fail them on top of what their
# reference report lists. Stale examples and reports, not the validator. Every difference from
# a reference report must be named here, file by file.
T_LARGE = ("BR-BT-13713-0123", "ERROR")  # tenders from large enterprises given exactly once
LOT_RESULT = ("BR-BT-00137-0215", "ERROR")  # each lot has exactly one LotResult (no FA/DPS)
CONTRATS = ("BR-OPT-00322-0053", "ERROR")  # several contracts of a result only for FA/DPS lots
ETAPES_21 = {("BR-BT-00630-0152", "ERROR"), ("BR-BT-01311-0158", "ERROR")}  # BT-630(d)/BT-1311(d)


def attributs(*ids: str) -> set[tuple[str, str]]:
    """Mandatory attribute rules ("…-Scheme_MA"), introduced by 1.15.0."""
    return {(f"{i}-Scheme_MA", "ERROR") for i in ids}


PERIMES: dict[str, set[tuple[str, str]]] = {
    **{
        nom: {T_LARGE}
        for nom in (
            "can-desg_24.xml", "can-desg_25.xml", "can-social_23.xml", "can-social_24.xml",
            "can-social_25.xml", "can_24_FRA_comments.xml", "can_24_LSBU.xml", "can_24_UKRI.xml",
            "can_24_maximal.xml", "can_24_minimal.xml", "can_25_ENG.xml", "can_25_ENG_Buyers.xml",
            "can_25_ENG_buyers_countries.xml", "can_25_ITA.xml", "can_25_withheld.xml",
            "can_25_withheld_lots.xml", "can_81_FRA.xml",
        )
    },
    "can_23_contracts.xml": {T_LARGE, CONTRATS},
    "cn-social_25.xml": ETAPES_21,
    "INVALID_can_24_stage-1.xml": {T_LARGE, LOT_RESULT}
    | attributs("OPT-200-Organization-Company", "OPT-210-Tenderer", "OPT-300-Tenderer", "OPT-316-Contract", "OPT-321-Tender"),
    "INVALID_can_24_stage-2.xml": {T_LARGE}
    | attributs(
        "BT-3202-Contract", "OPT-200-Organization-Company", "OPT-210-Tenderer", "OPT-300-Procedure-Buyer",
        "OPT-300-Tenderer", "OPT-301-Lot-ReviewOrg", "OPT-310-Tender", "OPT-315-LotResult",
        "OPT-316-Contract", "OPT-321-Tender",
    ),
    "INVALID_cn_24_stage-1.xml": attributs("OPT-200-Organization-Company"),
    "INVALID_cn_24_stage-2.xml": attributs(
        "OPT-200-Organization-Company", "OPT-300-Procedure-Buyer", "OPT-301-Lot-ReviewOrg", "OPT-301-Lot-TenderReceipt"
    ),
    "INVALID_pin-buyer_24_stage-1.xml": attributs("OPT-200-Organization-Company"),
    "INVALID_pin-only_24_stage-1.xml": attributs("OPT-200-Organization-Company"),
}
# Invalid only for the dynamic rules (stage 6: compare a change notice with the notice it
# changes), which are empty in SDK 1.15.1: the SDK's own report finds nothing either.
INVALIDES_DYNAMIQUES = {"INVALID_change-cn_24_FRA_comments.xml"}
# Subtypes whose compiled rules are committed (the ones mpe writes); the other examples are
# checked with every pattern at once (`#ALL`, compiled into target/ on first use).
PHASES_ENGAGEES = {"16", "17", "29", "30"}


@pytest.fixture(scope="module")
def validateur() -> Validateur:
    return Validateur()


def phase_de(v: Validateur, chemin: pathlib.Path) -> str:
    from lxml import etree

    from eforms_validateur import sous_type

    st = sous_type(etree.parse(str(chemin)))
    return f"eforms-{st}" if st in PHASES_ENGAGEES else "#ALL"


def test_regles_compilees_a_jour() -> None:
    """The committed XSLT comes from these SDK rules (digest of the .sch) and is unedited."""
    m = manifeste()
    assert set(m) >= {"eforms-16", "eforms-17", "eforms-29", "eforms-30"}
    empreinte = empreinte_sources()
    for phase, entree in m.items():
        assert entree["sources_sha256"] == empreinte, f"{phase}: recompiler avec {entree['commande']}"
        xsl = (COMPILES / f"{phase}.xsl").read_bytes()
        assert hashlib.sha256(xsl).hexdigest() == entree["xsl_sha256"], f"{phase} modifié à la main"


def tous_les_exemples() -> list[pathlib.Path]:
    return sorted(EXEMPLES.glob("*.xml")) + sorted(INVALIDES.glob("*.xml"))


def test_liste_des_exemples() -> None:
    """The lists above name real files: a renamed example must not silently leave them."""
    noms = {p.name for p in tous_les_exemples()}
    assert len(noms) == 92
    assert set(PERIMES) <= noms and INVALIDES_DYNAMIQUES <= noms


@pytest.mark.parametrize("chemin", tous_les_exemples(), ids=lambda p: p.name)
def test_exemple_comme_le_rapport_du_sdk(validateur: Validateur, chemin: pathlib.Path) -> None:
    r = validateur.valider(chemin, phase_de(validateur, chemin))
    assert r.xsd == [], "tous les exemples du SDK sont valides XSD"
    attendu = reference(chemin.name)
    if attendu is None:
        # cn_24_maximal_100_lots.svrl is not in the snapshot (over 4 MiB): valid, no error.
        assert chemin.name == "cn_24_maximal_100_lots.xml"
        assert r.erreurs == set()
        return
    nouvelles = PERIMES.get(chemin.name, set())
    assert not (nouvelles & attendu), "une règle dite nouvelle est déjà dans le rapport du SDK"
    assert r.echecs == attendu | nouvelles
    if chemin.name.startswith("INVALID_") and chemin.name not in INVALIDES_DYNAMIQUES:
        assert r.erreurs, "un exemple INVALID_ est refusé"
    elif chemin.parent == EXEMPLES and chemin.name not in PERIMES:
        assert r.erreurs == set(), "un exemple valide n'a aucune erreur"


def test_exemple_perime_corrige_passe(validateur: Validateur, tmp_path: pathlib.Path) -> None:
    """The stale rule is the only problem of a stale example: with the t-large statistic
    added (tenders 3 = SME 1 + large 2), can_24_minimal gives no error."""
    texte = (EXEMPLES / "can_24_minimal.xml").read_text(encoding="utf-8")
    marque = "<efbc:StatisticsCode listName=\"received-submission-type\">t-sme</efbc:StatisticsCode>"
    assert marque in texte
    bloc_sme = texte[texte.rindex("<efac:ReceivedSubmissionsStatistics>", 0, texte.index(marque)) :]
    bloc_sme = bloc_sme[: bloc_sme.index("</efac:ReceivedSubmissionsStatistics>") + len("</efac:ReceivedSubmissionsStatistics>")]
    import re

    bloc_large = re.sub(r">\d+</efbc:StatisticsNumeric>", ">2</efbc:StatisticsNumeric>", bloc_sme).replace(">t-sme<", ">t-large<")
    corrige = tmp_path / "can_24_minimal_t-large.xml"
    corrige.write_text(texte.replace(bloc_sme, bloc_sme + bloc_large), encoding="utf-8")
    r = validateur.valider(corrige, "eforms-29")
    assert r.xsd == [] and r.erreurs == set(), r.echecs


# --- The result notices mpe writes (subtype 29) -------------------------------------------
# Written by `core/examples/publication.rs generer-resultat` from the shared procedure scenario
# (tests/vectors/procedure/scenario.json): every lot awarded, one lot infructueux, the same
# procedure without lots, lot 3 without any tender, and a variant (a Belgian tenderer, subcontracting, a lot sans suite).
RESULTATS = [
    "avis-29-trois-lots.xml", "avis-29-lot-infructueux.xml", "avis-29-sans-lots.xml", "avis-29-aucune-offre.xml",
    "avis-29-variantes.xml",
    # The same procedure by an entité adjudicatrice (directive 2014/25): subtype 30.
    "avis-30-trois-lots.xml", "avis-30-lot-infructueux.xml",
]


@pytest.fixture(scope="module")
def avis_resultat(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    import subprocess

    from eforms_validateur import ROOT

    dossier = tmp_path_factory.mktemp("avis29")
    subprocess.run(
        ["cargo", "run", "-q", "-p", "mpe", "--example", "publication", "--", "generer-resultat", str(dossier)],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    return dossier


def test_avis_resultat_tous_ecrits(avis_resultat: pathlib.Path) -> None:
    assert sorted(p.name for p in avis_resultat.glob("*.xml")) == sorted(RESULTATS)


@pytest.mark.parametrize("nom", RESULTATS)
def test_avis_resultat_valide_sdk(avis_resultat: pathlib.Path, validateur: Validateur, nom: str) -> None:
    """0 XSD error and no failed assert at all (not even WARN), BR-BT-13713-0123 included."""
    r = validateur.valider(avis_resultat / nom, "eforms-" + nom.split("-")[1])
    assert r.xsd == [], r.xsd
    assert r.erreurs == set(), sorted(r.echecs)
    assert r.echecs == set(), sorted(r.echecs)


def test_avis_resultat_contenu(avis_resultat: pathlib.Path) -> None:
    """What the SDK's rules cannot know: the values come from the procedure."""
    from lxml import etree

    ns = {
        "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
        "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    }

    def stats(doc: etree._ElementTree, lot: str) -> dict[str, int]:
        res = doc.xpath(f"//efac:LotResult[efac:TenderLot/cbc:ID='{lot}']", namespaces=ns)[0]
        return {
            s.findtext("efbc:StatisticsCode", namespaces=ns): int(s.findtext("efbc:StatisticsNumeric", namespaces=ns))
            for s in res.findall("efac:ReceivedSubmissionsStatistics", ns)
        }

    tous = etree.parse(str(avis_resultat / "avis-29-trois-lots.xml"))
    # Lot 1: plis 1 and 3 count (pli 2 replaced by pli 3); Façades (large) and Menuiseries (small).
    assert stats(tous, "LOT-0001") == {"tenders": 2, "t-sme": 1, "t-large": 1, "t-esubm": 2, "t-oth-eea": 0, "t-no-eea": 0}
    # Lot 3: pli 3 only (the paper pli 5 came late).
    assert stats(tous, "LOT-0003")["tenders"] == 1
    assert tous.xpath("//efac:NoticeResult/cbc:TotalAmount/text()", namespaces=ns) == ["1198000.50"]
    assert sorted(tous.xpath("//efac:SettledContract/efac:ContractReference/cbc:ID/text()", namespaces=ns)) == [
        "2026-0611-01", "2026-0611-02", "2026-0611-03"]
    assert set(tous.xpath("//efac:SettledContract/cbc:IssueDate/text()", namespaces=ns)) == {"2027-01-05+01:00"}
    # Menuiseries Lyonnaises wins lots 1 and 3: one organisation, one tendering party.
    assert tous.xpath("count(//efac:Company[cbc:CompanySizeCode or efbc:CompanySizeCode])", namespaces=ns) == 2
    infructueux = etree.parse(str(avis_resultat / "avis-29-lot-infructueux.xml"))
    res3 = infructueux.xpath("//efac:LotResult[efac:TenderLot/cbc:ID='LOT-0003']", namespaces=ns)[0]
    assert res3.findtext("cbc:TenderResultCode", namespaces=ns) == "clos-nw"
    assert res3.findtext("efac:DecisionReason/efbc:DecisionReasonCode", namespaces=ns) == "all-rej"
    variantes = etree.parse(str(avis_resultat / "avis-29-variantes.xml"))
    assert stats(variantes, "LOT-0001")["t-oth-eea"] == 1
    assert variantes.xpath("//efbc:DecisionReasonCode/text()", namespaces=ns) == ["chan-need"]
    aucune = etree.parse(str(avis_resultat / "avis-29-aucune-offre.xml"))
    assert aucune.xpath("//efbc:DecisionReasonCode/text()", namespaces=ns) == ["no-rece"]
    assert stats(aucune, "LOT-0003") == {}


def test_avis_resultat_sans_t_large_refuse(avis_resultat: pathlib.Path, validateur: Validateur, tmp_path: pathlib.Path) -> None:
    """The check above can fail: without the t-large statistic (what makes the SDK's own
    result examples stale), the same notice is refused by BR-BT-13713-0123."""
    import re

    texte = (avis_resultat / "avis-29-trois-lots.xml").read_text(encoding="utf-8")
    sans = re.sub(
        r"\s*<efac:ReceivedSubmissionsStatistics>\s*<efbc:StatisticsCode listName=\"received-submission-type\">t-large</efbc:StatisticsCode>\s*<efbc:StatisticsNumeric>\d+</efbc:StatisticsNumeric>\s*</efac:ReceivedSubmissionsStatistics>",
        "",
        texte,
    )
    assert sans != texte
    abime = tmp_path / "sans-t-large.xml"
    abime.write_text(sans, encoding="utf-8")
    r = validateur.valider(abime, "eforms-29")
    assert "BR-BT-13713-0123" in r.erreurs
