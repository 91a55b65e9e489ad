"""mpe.donnees.Entrepot opened once and searched many times: snake_case criteria, dates,
streaming of every matching card, errors (bad path, bad criteria)."""

from __future__ import annotations

import datetime as dt

import pytest

import mpe
import mpe.donnees as d
from fixtures_donnees import VECTEURS, marche

AUJ = dt.date(2026, 1, 1)


@pytest.fixture()
def chemin(tmp_path):
    e = d.Entrepot()
    e.importer(VECTEURS / "sale-2019.json", AUJ)
    e.importer(VECTEURS / "sale-2022.xml", AUJ)
    for i in range(30):
        m = marche(f"2025-{i:03}")
        m["montant"] = 1000.0 + i
        m["modifications"] = []
        e.ajouter(m)
    p = tmp_path / "decp.mpedecp"
    e.enregistrer(p)
    return p


def test_ouvrir_et_rechercher_plusieurs_fois(chemin):
    e = d.Entrepot.ouvrir(chemin)
    n = len(e)
    assert n > 30
    tout = e.rechercher(limite=1000)
    assert tout["total"] == n and len(tout["fiches"]) == n
    assert all(isinstance(f, dict) for f in tout["fiches"])
    # snake_case criteria and dates, the same as camelCase ones.
    a = e.rechercher(mots_cles="voirie", montant_min=1005, tri="montantAsc")
    b = e.rechercher(motsCles="voirie", montantMin=1005, tri="montantAsc")
    assert a == b and a["total"] == 25
    assert [f["montant"] for f in a["fiches"][:2]] == [1005.0, 1006.0]
    c = e.rechercher(date_notification_debut=dt.date(2025, 1, 1), provenance="profilAcheteur")
    assert c["total"] == 30 and c["parProvenance"]["profilAcheteur"] == 30
    assert e.rechercher(annee=None, limite=1)["total"] == n  # None means "no criterion"


def test_parcourir_tous_les_resultats(chemin):
    e = d.Entrepot.ouvrir(chemin)
    # More than a page: every card, in the sort order, each read when asked.
    fiches = list(e.parcourir(provenance="profilAcheteur", tri="montantDesc", limite=5))
    assert len(fiches) == 30
    assert [f["montant"] for f in fiches] == sorted((1000.0 + i for i in range(30)), reverse=True)
    page = e.rechercher(provenance="profilAcheteur", tri="montantDesc", decalage=10, limite=5)
    assert [f["id"] for f in page["fiches"]] == [f["id"] for f in fiches[10:15]]
    assert sum(1 for _ in e) == len(e)
    it = e.parcourir(attributaire="000000000")
    assert list(it) == []


def test_erreurs(chemin, tmp_path):
    with pytest.raises(mpe.IoError) as x:
        d.Entrepot.ouvrir(tmp_path / "absent.mpedecp")
    assert x.value.name == "IO"
    with pytest.raises(mpe.DecpError) as x:
        d.Entrepot.ouvrir(VECTEURS / "sale-2019.json")
    assert x.value.name == "ENTREPOT_INVALIDE"
    e = d.Entrepot.ouvrir(chemin)
    with pytest.raises(mpe.InvalidInput) as x:
        e.rechercher(tri="auHasard")
    assert x.value.name == "INVALID_JSON"
    with pytest.raises(mpe.InvalidInput):
        list(e.parcourir(annee="deux mille"))
    assert e.rechercher(limite=1)["total"] == len(e)  # still usable
