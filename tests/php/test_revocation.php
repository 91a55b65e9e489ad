<?php
// PHP FFI test of revocation: OCSP responses cross in the verification options' JSON
// (`reponses_ocsp`, DER in base64), as CRLs do. Fixtures: tests/vectors/revocation/make.sh.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';

$f = dirname(__DIR__) . '/vectors/revocation/fixe';

function verifier_revocation(string $f, string $opts): ?array {
    $ffi = mpe_ffi();
    [$s, $sl] = mpe_buf(file_get_contents("$f/avant.p7s"), $sk);
    [$d, $dl] = mpe_buf(file_get_contents("$f/offre.txt"), $dk);
    $out = mpe_out();
    $st = $ffi->mpe_signature_verifier($s, $sl, $d, $dl, buf($opts), strlen($opts), FFI::addr($out));
    mpe_free_buf($sk);
    mpe_free_buf($dk);
    check($st === 0, 'verifier');
    return $st === 0 ? json_decode(mpe_take($out), true) : null;
}

// Revoked before the signing, said by the delegated responder: INVALIDE, REVOKED.
$r = verifier_revocation($f, file_get_contents("$f/options_ocsp.json"))['signatures'][0] ?? [];
check(($r['statut'] ?? '') === 'INVALIDE' && ($r['sous_indication'] ?? '') === 'REVOKED', 'INVALIDE REVOKED');
check(($r['revocations'][0]['source'] ?? '') === 'OCSP', 'source OCSP');

// The same answer signed by a certificate without id-kp-OCSPSigning: set aside.
$r = verifier_revocation($f, file_get_contents("$f/options_usurpee.json"))['signatures'][0] ?? [];
check(($r['statut'] ?? '') === 'VALIDE', 'unauthorised responder: set aside');
check(($r['revocations'][0]['ecartees'][0]['code'] ?? '') === 'OCSP_REPONDANT_NON_AUTORISE', 'why');

done('test_revocation');
