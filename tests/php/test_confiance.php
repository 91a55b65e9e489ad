<?php
// PHP test of the EU trusted lists through the Mpe package (php/src/Confiance.php): the
// corpus's LOTL and national lists (shared/corpus/tsl, from DSS) loaded, a certificate
// qualified, and the lists passed to Signature::verifier. The corpus is $MPE_CORPUS or the
// first shared/corpus above the repository.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';
require dirname(__DIR__, 2) . '/php/preload.php';

use Mpe\Confiance;
use Mpe\ErreurMpe;
use Mpe\Signature;

$corpus = getenv('MPE_CORPUS') ?: null;
for ($d = dirname(__DIR__, 2); $corpus === null && $d !== '/'; $d = dirname($d)) {
    if (is_file("$d/shared/corpus/expectations.json")) {
        $corpus = "$d/shared/corpus";
    }
}
check($corpus !== null, 'corpus introuvable');
$lire = fn (string $p): string => file_get_contents("$corpus/$p");

$listes = Confiance::listes(
    $lire('tsl/dss/eu-lotl.xml'),
    $lire('tsl/anchors/lotl-signer-patrick-kremer.pem'),
    [$lire('tsl/dss/lotlCache/FR.xml'), $lire('tsl/dss/lotlCache/CZ_broken-sig.xml')],
);
$date = '2019-09-04T08:00:00Z';

$r = Confiance::charger($listes, $date);
check($r['lotl']['rapport']['utilisable'] === true, 'LOTL utilisable');
check(count($r['listes']) === 1 && $r['listes'][0]['territoire'] === 'FR', 'FR seule utilisable');
check(count($r['entrees']) === 2, 'deux entrées');
check($r['entrees'][1]['territoire'] === 'CZ' && $r['entrees'][1]['rapport']['utilisable'] === false, 'CZ refusée');
check($r['entrees'][1]['rapport']['statut'] === 'INVALIDE', 'CZ INVALIDE (signature cassée)');

$q = Confiance::qualifier($lire('tsl/anchors/sk-subject-certificate.pem'), $listes, $date);
check(isset($q['qualification']) && count($q['etapes']) > 0, 'qualification avec étapes');

$rapport = Signature::verifier($lire('signatures/cades/dss/counterSignedLTA.p7s'), null, json_encode([
    'date_verification' => $date,
    'listes_confiance' => $listes,
]));
check(isset($rapport['signatures'][0]['qualification']['qualification']), 'qualification dans le rapport');

// The pivot chain (DSS's OJ test LOTLs): from the OJ 2 keys, pivot 01 is skipped, 02 is
// not given, 03 announces the LOTL's signer.
$piv = 'http://18.202.217.18/res/pivot/';
$p = Confiance::listes(
    $lire('tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml'),
    $lire('tsl/anchors/oj2-keystore-certs.pem'),
    [],
    [
        "{$piv}lotl_test_OJ_1_pivot_01.xml" => $lire('tsl/dss/pivots/lotl_test_OJ_1_pivot_01.xml'),
        "{$piv}lotl_test_OJ_1_pivot_03.xml" => $lire('tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml'),
    ],
);
$r = Confiance::charger($p, '2023-11-24T07:00:44Z');
check($r['lotl']['rapport']['utilisable'] === true, 'LOTL utilisable par ses pivots');
check(array_column($r['pivots'], 'retenu') === [false, false, true], 'pivots retenus');
check($r['pivots'][1]['erreur']['code'] === 'LISTE_CONFIANCE_PIVOT_ABSENT', 'pivot 02 absent');

try {
    Confiance::charger(['lotl' => '%%%', 'certificats_lotl_pem' => 'x', 'listes' => []], $date);
    check(false, 'base64 refusé');
} catch (ErreurMpe $e) {
    check($e->getCode() === 540, "LISTE_CONFIANCE_ENTREE : " . $e->getCode());
}

if ($GLOBALS['mpe_failures'] > 0) {
    exit(1);
}
echo "test_confiance.php : ok\n";
