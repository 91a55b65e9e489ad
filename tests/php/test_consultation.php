<?php
// PHP FFI test of the consultation slice: round trip, validation, CPV, référence, codes.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';

$ffi = mpe_ffi();
$root = dirname(__DIR__, 2);
$json = file_get_contents("$root/examples/data/consultation.json");
$org = file_get_contents("$root/examples/data/organisation.json");
$canonical = file_get_contents("$root/tests/vectors/consultation/consultation.canonical.json");

check(strlen($ffi->mpe_version()) > 0, 'version (const char * arrives as a PHP string)');
check($ffi->MPE_HORS_DELAI === 303, 'status constants from the enum');

// Round trip, byte for byte.
[$p, $n] = mpe_buf($json, $keep);
$out = mpe_out();
$st = $ffi->mpe_consultation_normaliser($p, $n, FFI::addr($out));
check($st === 0, 'normalize status');
check(mpe_take($out) === $canonical, 'canonical JSON identical to Rust');

// Validation: no error on the realistic consultation.
[$po, $no] = mpe_buf($org, $keepOrg);
$out = mpe_out();
$st = $ffi->mpe_consultation_valider($p, $n, $po, $no, '2026-11-02T09:00:00Z', FFI::addr($out));
check($st === 0, 'validate status');
$findings = json_decode(mpe_take($out), true);
check(is_array($findings), 'findings are JSON');
foreach ($findings as $f) {
    check($f['gravite'] !== 'erreur', 'no error: ' . json_encode($f, JSON_UNESCAPED_UNICODE));
}
mpe_free_buf($keep);
mpe_free_buf($keepOrg);

// A reference with a space is reported with its code and path.
$c = json_decode($json, true);
$c['identification']['reference'] = 'AOO 2026';
[$p, $n] = mpe_buf(json_encode($c, JSON_UNESCAPED_UNICODE), $keep);
$out = mpe_out();
$ffi->mpe_consultation_valider($p, $n, null, 0, '2026-11-02T09:00:00Z', FFI::addr($out));
$findings = json_decode(mpe_take($out), true);
$hit = array_filter($findings, fn($f) => $f['code'] === 'REFERENCE_INVALIDE' && $f['chemin'] === '$.identification.reference');
check(count($hit) === 1, 'reference finding');
mpe_free_buf($keep);

// Errors: invalid JSON, with the thread's message.
[$p, $n] = mpe_buf('{"id":', $keep);
$out = mpe_out();
$st = $ffi->mpe_consultation_valider($p, $n, null, 0, '2026-11-02T09:00:00Z', FFI::addr($out));
check($st === $ffi->MPE_JSON_INVALIDE, 'invalid JSON code');
check(str_contains((string)$ffi->mpe_derniere_erreur(), 'JSON_INVALIDE'), 'last error');
mpe_free_buf($keep);

// CPV and référence.
$out = mpe_out();
check($ffi->mpe_cpv_chercher('45321000-3', FFI::addr($out)) === 0, 'cpv ok');
$cpv = json_decode(mpe_take($out), true);
check($cpv['libelle'] === "Travaux d'isolation thermique" && $cpv['libelle_en'] === 'Thermal insulation work' && $cpv['categorie'] === 'travaux', 'cpv content (libellé français, anglais en second)');
check($ffi->mpe_cpv_chercher('45321000-4', FFI::addr($out)) === $ffi->MPE_CPV_CLE_CONTROLE, 'cpv check digit');
check($ffi->mpe_reference_valider('AOO_2026/0611') === 0, 'reference ok');
check($ffi->mpe_reference_valider('AO') === $ffi->MPE_REFERENCE_INVALIDE, 'reference short');

// Access code.
$out = mpe_out();
check($ffi->mpe_code_acces_generer(FFI::addr($out)) === 0, 'access code');
check(preg_match('/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$/', mpe_take($out)) === 1, 'access code alphabet');

done('test_consultation.php');
