"""mpe.donnees from Python: plain dicts, streamed import, store, exports, errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

import mpe
import mpe.donnees as d
from fixtures_donnees import VECTEURS, marche, tous

AUJ = dt.date(2026, 1, 1)


def test_export_et_verification():
    data = json.loads(d.exporter_decp_json(tous(), AUJ))
    assert data["marches"]["marche"][0]["titulaires"][0]["titulaire"]["id"] == "55204599900869"
    assert d.exporter_decp_xml(tous(), "2026-01-01").startswith(b"<?xml")
    assert d.verifier_decp(tous(), AUJ) == []
    m = marche("FUTUR")
    m["dateNotification"] = "2027-01-01"
    with pytest.raises(mpe.DecpError) as e:
        d.exporter_decp_xml([m], AUJ)
    assert e.value.code == 700 and e.value.name == "DECP_INVALIDE"
    assert {a["champ"] for a in d.verifier_decp([m], AUJ)} == {"dateNotification", "datePublicationDonnees"}


def test_mauvaises_entrees():
    with pytest.raises(mpe.InvalidInput) as e:
        d.exporter_decp_json([{"id": 3}], AUJ)
    assert e.value.code == 102
    with pytest.raises(mpe.InvalidInput) as e:
        d.verifier_decp([], "15/01/2026")
    assert e.value.code == 101
    with pytest.raises(mpe.IoError):
        list(d.lire_decp(VECTEURS / "absent.json", AUJ))


def test_lecture_en_flux(tmp_path):
    it = d.lire_decp(VECTEURS / "sale-2019.json", AUJ)
    premier = next(it)
    assert premier["type"] == "contrat"
    assert premier["contrat"]["titulaires"][0]["id"] == "55204599900869"
    assert any(e["champ"] == "montant" for e in premier["entrees"])
    reste = list(it)
    assert [x["type"] for x in reste] == ["contrat", "rejet", "rejet", "contrat", "contrat"]
    assert "sans identifiant" in reste[1]["detail"]
    pas_decp = tmp_path / "x.bin"
    pas_decp.write_bytes(b"PK\x03\x04")
    with pytest.raises(mpe.DecpError) as e:
        list(d.lire_decp(pas_decp, AUJ))
    assert e.value.code == 701


def test_entrepot(tmp_path):
    e = d.Entrepot()
    r = e.importer(VECTEURS / "sale-2022.xml", AUJ)
    assert (r["lus"], r["importes"], r["rejetes"]) == (3, 2, 1)
    assert e.ajouter(marche("2025-001")) is None
    assert len(e) == 3
    res = e.rechercher(motsCles="TOITURE ecole")
    assert res["total"] == 1 and res["fiches"][0]["montant"] == 101000.0
    res = e.rechercher(attributaire="55204599900869", tri="montantDesc")
    assert [f["id"] for f in res["fiches"]] == ["2025-001", "X-2023-01"]
    assert res["parProvenance"] == {"profilAcheteur": 1, "dataGouv": 1}
    assert res["fiches"][0]["provenance"] == "saisi sur le profil acheteur"
    assert e.rechercher(categorie="concession", montantMin=1e6)["total"] == 1
    chemin = tmp_path / "decp.mpedecp"
    e.enregistrer(chemin)
    e2 = d.Entrepot.charger(chemin)
    assert e2.rechercher(annee=2023)["total"] == 1
    chemin.write_bytes(b"MPEDECP1" + b"\x00" * 10)
    with pytest.raises(mpe.DecpError) as x:
        d.Entrepot.charger(chemin)
    assert x.value.code == 703


def test_registre_xlsx_ocds():
    c = d.contrat_depuis_attribution({
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
    assert [x["id"] for x in d.filtrer_contrats(liste, mots_cles="PROPRETE")] == ["2026-014"]
    assert len(d.filtrer_contrats(liste, type_contrat="concession")) == 1
    assert d.etat_actuel(tous()[0])["montant"] == 275000.0
    x = d.exporter_xlsx(liste)
    with zipfile.ZipFile(io.BytesIO(x)) as z:
        assert "Nettoyage des écoles" in z.read("xl/sharedStrings.xml").decode()
    p = json.loads(d.exporter_ocds(liste, prefixe_ocid="ocds-mpe001", uri="https://x.example/p.json",
                                   editeur="Ville", publie_le=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)))
    assert len(p["releases"]) == 5
    with pytest.raises(mpe.DecpError) as e:
        d.contrat_depuis_attribution({"numero": "X", "attributaires": []})
    assert e.value.code == 702
