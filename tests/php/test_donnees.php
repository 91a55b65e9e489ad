<?php
// PHP FFI test of the donnees API: DECP export, refusal with the record named, streamed
// import into a store and search. Run from the repo root with MPE_LIB set.
require __DIR__ . '/lib/mpe.php';
$ffi = mpe_ffi();

$contrat = [[
    'id' => '2025-001', 'categorie' => 'marche', 'typeContrat' => 'marche',
    'acheteur' => ['id' => '21350238800019', 'nom' => 'Ville de Rennes'],
    'objet' => 'Réfection de la voirie', 'nature' => 'Marché', 'procedure' => "Appel d'offres ouvert",
    'codeCpv' => '45233140-2', 'ccag' => 'Travaux', 'offresRecues' => 3, 'marcheInnovant' => false,
    'attributionAvance' => false, 'typeGroupementOperateurs' => 'Pas de groupement',
    'lieuExecution' => ['code' => '35000', 'typeCode' => 'Code postal'],
    'titulaires' => [['typeIdentifiant' => 'SIRET', 'id' => '55204599900869', 'raisonSociale' => 'Routes SA']],
    'montant' => 125000, 'dateNotification' => '2025-03-01', 'datePublicationDonnees' => '2025-03-05',
    'dureeMois' => 12, 'formePrix' => 'Forfaitaire', 'typesPrix' => ['Définitif ferme'],
    'sousTraitanceDeclaree' => false, 'statut' => 'notifie', 'provenances' => ['profilAcheteur'],
]];
$json = json_encode($contrat, JSON_UNESCAPED_UNICODE);
$out = $ffi->new('mpe_octets');

$st = $ffi->mpe_decp_exporter_json(buf($json), strlen($json), '2026-01-15', FFI::addr($out));
verifie($st === 0, 'export JSON');
$decp = json_decode(FFI::string($out->donnees, $out->longueur), true);
verifie($decp['marches']['marche'][0]['titulaires'][0]['titulaire']['id'] === '55204599900869', 'contenu');
$ffi->mpe_octets_liberer(FFI::addr($out));

$st = $ffi->mpe_decp_exporter_xml(buf($json), strlen($json), '2026-01-15', FFI::addr($out));
verifie($st === 0, 'export XML');
$xml = FFI::string($out->donnees, $out->longueur);
verifie(str_contains($xml, '<marche><id>2025-001</id>') && str_contains($xml, '<objet>Réfection de la voirie</objet>'), 'XML');
$ffi->mpe_octets_liberer(FFI::addr($out));

$st = $ffi->mpe_decp_exporter_json(buf($json), strlen($json), '2025-03-02', FFI::addr($out));
verifie($st === 700, 'refus DECP_INVALIDE');
verifie(str_contains($ffi->mpe_derniere_erreur(), 'datePublicationDonnees'), 'champ nommé');
verifie($ffi->mpe_statut_nom(700) === 'DECP_INVALIDE', 'nom du code');

$store = sys_get_temp_dir() . '/mpe_php_donnees_' . getmypid() . '.mpedecp';
$opts = '{"maintenant":"2026-01-01"}';
$st = $ffi->mpe_decp_importer(__DIR__ . '/../vectors/donnees/sale-2022.xml', buf($opts), strlen($opts), null, $store, FFI::addr($out));
verifie($st === 0, 'import');
$rapport = json_decode(FFI::string($out->donnees, $out->longueur), true);
verifie($rapport['importes'] === 2 && $rapport['rejetes'] === 1, 'rapport');
$ffi->mpe_octets_liberer(FFI::addr($out));
$q = '{"motsCles":"toiture","attributaire":"552045999"}';
$st = $ffi->mpe_entrepot_fichier_chercher($store, buf($q), strlen($q), FFI::addr($out));
verifie($st === 0, 'recherche');
$res = json_decode(FFI::string($out->donnees, $out->longueur), true);
verifie($res['total'] === 1 && $res['fiches'][0]['provenance'] === 'publié sur data.gouv.fr', 'résultat');
$ffi->mpe_octets_liberer(FFI::addr($out));
@unlink($store);

done('test_donnees.php');
