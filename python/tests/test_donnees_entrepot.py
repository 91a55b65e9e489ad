"""mpe.mpe.entrepot.Entrepot opened once and searched many times: snake_case criteria, dates,
streaming of every matching card, errors (bad path, bad criteria)."""

from __future__ import annotations

import datetime as dt

import pytest

import mpe
from fixtures_donnees import VECTEURS, marche

AUJ = dt.date(2026, 1, 1)


@pytest.fixture()
def chemin(tmp_path):
    e = mpe.entrepot.Entrepot()
    e.importer(VECTEURS / "sale-2019.json", AUJ)
    e.importer(VECTEURS / "sale-2022.xml", AUJ)
    for i in range(30):
        m = marche(f"2025-{i:03}")
        m["montant"] = 1000.0 + i
        m["modifications"] = []
        e.ajouter(m)
    p = tmp_path / "decp.mpedecp"
    e.ecrire(p)
    return p


def test_ouvrir_et_rechercher_plusieurs_fois(chemin):
    e = mpe.entrepot.Entrepot.ouvrir(chemin)
    n = len(e)
    assert n > 30
    tout = e.chercher(limite=1000)
    assert tout["total"] == n and len(tout["fiches"]) == n
    assert all(isinstance(f, dict) for f in tout["fiches"])
    # snake_case criteria and dates, the same as camelCase ones.
    a = e.chercher(mots_cles="voirie", montant_min=1005, tri="montantAsc")
    b = e.chercher(motsCles="voirie", montantMin=1005, tri="montantAsc")
    assert a == b and a["total"] == 25
    assert [f["montant"] for f in a["fiches"][:2]] == [1005.0, 1006.0]
    c = e.chercher(date_notification_debut=dt.date(2025, 1, 1), provenance="profilAcheteur")
    assert c["total"] == 30 and c["parProvenance"]["profilAcheteur"] == 30
    assert e.chercher(annee=None, limite=1)["total"] == n  # None means "no criterion"


def test_parcourir_tous_les_resultats(chemin):
    e = mpe.entrepot.Entrepot.ouvrir(chemin)
    # More than a page: every card, in the sort order, each read when asked.
    fiches = list(e.lister(provenance="profilAcheteur", tri="montantDesc", limite=5))
    assert len(fiches) == 30
    assert [f["montant"] for f in fiches] == sorted((1000.0 + i for i in range(30)), reverse=True)
    page = e.chercher(provenance="profilAcheteur", tri="montantDesc", decalage=10, limite=5)
    assert [f["id"] for f in page["fiches"]] == [f["id"] for f in fiches[10:15]]
    assert sum(1 for _ in e) == len(e)
    it = e.lister(attributaire="000000000")
    assert list(it) == []


def test_erreurs(chemin, tmp_path):
    with pytest.raises(mpe.exceptions.ErreurES) as x:
        mpe.entrepot.Entrepot.ouvrir(tmp_path / "absent.mpedecp")
    assert x.value.nom == "ES"
    with pytest.raises(mpe.exceptions.ErreurDecp) as x:
        mpe.entrepot.Entrepot.ouvrir(VECTEURS / "sale-2019.json")
    assert x.value.nom == "ENTREPOT_INVALIDE"
    e = mpe.entrepot.Entrepot.ouvrir(chemin)
    with pytest.raises(mpe.exceptions.ErreurEntree) as x:
        e.chercher(tri="auHasard")
    assert x.value.nom == "JSON_INVALIDE"
    with pytest.raises(mpe.exceptions.ErreurEntree):
        list(e.lister(annee="deux mille"))
    assert e.chercher(limite=1)["total"] == len(e)  # still usable
