"""mpe.donnees from Python: plain dicts, streamed import, store, exports, errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

import mpe
from fixtures_donnees import VECTEURS, marche, tous

AUJ = dt.date(2026, 1, 1)


def test_export_et_verification():
    data = json.loads(mpe.decp.exporter_json(tous(), AUJ))
    assert data["marches"]["marche"][0]["titulaires"][0]["titulaire"]["id"] == "55204599900869"
    assert mpe.decp.exporter_xml(tous(), "2026-01-01").startswith(b"<?xml")
    assert mpe.decp.valider(tous(), AUJ) == []
    m = marche("FUTUR")
    m["dateNotification"] = "2027-01-01"
    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        mpe.decp.exporter_xml([m], AUJ)
    assert e.value.code == 700 and e.value.nom == "DECP_INVALIDE"
    assert {a["champ"] for a in mpe.decp.valider([m], AUJ)} == {"dateNotification", "datePublicationDonnees"}


def test_mauvaises_entrees():
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.decp.exporter_json([{"id": 3}], AUJ)
    assert e.value.code == 102
    with pytest.raises(mpe.exceptions.ErreurEntree) as e:
        mpe.decp.valider([], "15/01/2026")
    assert e.value.code == 101
    with pytest.raises(mpe.exceptions.ErreurES):
        list(mpe.decp.lire(VECTEURS / "absent.json", AUJ))


def test_lecture_en_flux(tmp_path):
    it = mpe.decp.lire(VECTEURS / "sale-2019.json", AUJ)
    premier = next(it)
    assert premier["type"] == "contrat"
    assert premier["contrat"]["titulaires"][0]["id"] == "55204599900869"
    assert any(e["champ"] == "montant" for e in premier["entrees"])
    reste = list(it)
    assert [x["type"] for x in reste] == ["contrat", "rejet", "rejet", "contrat", "contrat"]
    assert "sans identifiant" in reste[1]["detail"]
    pas_decp = tmp_path / "x.bin"
    pas_decp.write_bytes(b"PK\x03\x04")
    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        list(mpe.decp.lire(pas_decp, AUJ))
    assert e.value.code == 701


def test_entrepot(tmp_path):
    e = mpe.entrepot.Entrepot()
    r = e.importer(VECTEURS / "sale-2022.xml", AUJ)
    assert (r["lus"], r["importes"], r["rejetes"]) == (3, 2, 1)
    assert e.ajouter(marche("2025-001")) is None
    assert len(e) == 3
    res = e.chercher(motsCles="TOITURE ecole")
    assert res["total"] == 1 and res["fiches"][0]["montant"] == 101000.0
    res = e.chercher(attributaire="55204599900869", tri="montantDesc")
    assert [f["id"] for f in res["fiches"]] == ["2025-001", "X-2023-01"]
    assert res["parProvenance"] == {"profilAcheteur": 1, "dataGouv": 1}
    assert res["fiches"][0]["provenance"] == "saisi sur le profil acheteur"
    assert e.chercher(categorie="concession", montantMin=1e6)["total"] == 1
    chemin = tmp_path / "decp.mpedecp"
    e.ecrire(chemin)
    e2 = mpe.entrepot.Entrepot.ouvrir(chemin)
    assert e2.chercher(annee=2023)["total"] == 1
    chemin.write_bytes(b"MPEDECP1" + b"\x00" * 10)
    with pytest.raises(mpe.exceptions.ErreurDecp) as x:
        mpe.entrepot.Entrepot.ouvrir(chemin)
    assert x.value.code == 703


def test_registre_xlsx_ocds():
    c = mpe.contrat.generer_depuis_attribution({
        "numero": "2026-014",
        "objet": "Nettoyage des écoles",
        "acheteur": {"id": "21350238800019"},
        "procedure": "Appel d'offres ouvert",
        "typeContrat": "marche",
        "codeCpv": "90919300-5",
        "attributaires": [{"typeIdentifiant": "SIRET", "id": "55204599900869", "raisonSociale": "Propreté Plus"}],
        "montant": 80000,
    })
    assert c["statut"] == "aNotifier" and c["naturePrestations"] == "services"
    liste = [c, *tous()]
    assert [x["id"] for x in mpe.contrat.filtrer(liste, mots_cles="PROPRETE")] == ["2026-014"]
    assert len(mpe.contrat.filtrer(liste, type_contrat="concession")) == 1
    assert mpe.contrat.calculer_etat(tous()[0])["montant"] == 275000.0
    x = mpe.contrat.exporter_xlsx(liste)
    with zipfile.ZipFile(io.BytesIO(x)) as z:
        assert "Nettoyage des écoles" in z.read("xl/sharedStrings.xml").decode()
    p = json.loads(mpe.decp.exporter_ocds(liste, prefixe_ocid="ocds-mpe001", uri="https://x.example/p.json",
                                   editeur="Ville", publie_le=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)))
    assert len(p["releases"]) == 5
    with pytest.raises(mpe.exceptions.ErreurDecp) as e:
        mpe.contrat.generer_depuis_attribution({"numero": "X", "attributaires": []})
    assert e.value.code == 702
