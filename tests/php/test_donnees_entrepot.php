<?php
// PHP FFI test of the open DECP store (opaque handle): import into a new store, save, open
// once, search twice, count, errors (bad path, bad JSON criteria, NULL handle), close.
// Run from the repo root with MPE_LIB set.
require __DIR__ . '/lib/mpe.php';
$ffi = mpe_ffi();
// Search the open store; returns [status, decoded result or null].
function chercher($e, string $q): array {
    global $ffi;
    $out = $ffi->new('mpe_octets');
    $st = $ffi->mpe_entrepot_chercher($e, buf($q), strlen($q), FFI::addr($out));
    $res = $st === 0 ? json_decode(FFI::string($out->donnees, $out->longueur), true) : null;
    $ffi->mpe_octets_liberer(FFI::addr($out));
    return [$st, $res];
}

$store = sys_get_temp_dir() . '/mpe_php_entrepot_' . getmypid() . '.mpedecp';
$opts = '{"maintenant":"2026-01-01"}';
$out = $ffi->new('mpe_octets');
$e = $ffi->new('mpe_entrepot *');
verifie($ffi->mpe_entrepot_nouveau(FFI::addr($e)) === 0 && !FFI::isNull($e), 'nouveau');
$st = $ffi->mpe_entrepot_importer($e, __DIR__ . '/../vectors/donnees/sale-2022.xml', buf($opts), strlen($opts), FFI::addr($out));
verifie($st === 0, 'importer');
$rapport = json_decode(FFI::string($out->donnees, $out->longueur), true);
verifie($rapport['importes'] === 2 && $rapport['rejetes'] === 1, 'rapport');
$ffi->mpe_octets_liberer(FFI::addr($out));
verifie($ffi->mpe_entrepot_ecrire($e, $store) === 0, 'enregistrer');
$ffi->mpe_entrepot_liberer($e);

$h = $ffi->new('mpe_entrepot *');
verifie($ffi->mpe_entrepot_ouvrir($store, FFI::addr($h)) === 0, 'ouvrir');
$n = $ffi->new('uint64_t');
verifie($ffi->mpe_entrepot_compter($h, FFI::addr($n)) === 0 && $n->cdata === 2, 'compter');
[$st, $res] = chercher($h, '{"motsCles":"toiture","attributaire":"552045999"}');
verifie($st === 0 && $res['total'] === 1 && $res['fiches'][0]['provenance'] === 'publié sur data.gouv.fr', 'recherche 1');
[$st, $res] = chercher($h, '{}');
verifie($st === 0 && $res['total'] === 2 && $res['parProvenance']['dataGouv'] === 2, 'recherche 2');
[$st, $res] = chercher($h, '{"annee":');
verifie($ffi->mpe_statut_nom($st) === 'JSON_INVALIDE', 'JSON invalide');
verifie($st !== 0 && $res === null, 'pas de résultat sur erreur');
[$st, $res] = chercher($h, '{"tri":"montantDesc","limite":1}');
verifie($st === 0 && count($res['fiches']) === 1, 'encore utilisable');
$ffi->mpe_entrepot_liberer($h);

$x = $ffi->new('mpe_entrepot *');
verifie($ffi->mpe_entrepot_ouvrir(__DIR__ . '/../vectors/donnees/absent.mpedecp', FFI::addr($x)) !== 0 && FFI::isNull($x), 'chemin absent');
verifie($ffi->mpe_statut_nom($ffi->mpe_entrepot_ouvrir(__DIR__ . '/../vectors/donnees/sale-2019.json', FFI::addr($x))) === 'ENTREPOT_INVALIDE', 'pas un entrepôt');
[$st, $res] = chercher(null, '{}');
verifie($ffi->mpe_statut_nom($st) === 'ARGUMENT_INVALIDE', 'poignée NULL');
$ffi->mpe_entrepot_liberer(null);
@unlink($store);

done('test_donnees_entrepot.php');
