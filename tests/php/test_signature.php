<?php
// PHP FFI test of the signature ABI: sign CAdES/XAdES/PAdES, verify to a JSON report,
// two-step flow, bad inputs.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';

$ffi = mpe_ffi();
$v = dirname(__DIR__) . '/vectors/signature';
$key = file_get_contents("$v/signataire.key");
$cert = file_get_contents("$v/signataire.pem");
$pdf = file_get_contents("$v/simple.pdf");
$data = "Offre de prix, lot 2\n";
$signOpts = json_encode(['date' => '2027-01-15T10:00:00Z', 'nom_fichier' => 'offre.txt']);
$verifyOpts = json_encode(['date_verification' => '2027-01-15T12:00:00Z', 'ancres_pem' => file_get_contents("$v/ca.pem")]);

function sign_buf(string $format, string $key, string $cert, string $data, string $opts, ?int &$status): string {
    $ffi = mpe_ffi();
    [$k, $kl] = mpe_buf($key, $kk);
    [$c, $cl] = mpe_buf($cert, $ck);
    [$d, $dl] = mpe_buf($data, $dk);
    $out = mpe_out();
    $status = $ffi->mpe_signature_signer($format, $k, $kl, $c, $cl, $d, $dl, buf($opts), strlen($opts), FFI::addr($out));
    mpe_free_buf($kk); mpe_free_buf($ck); mpe_free_buf($dk);
    return $status === 0 ? mpe_take($out) : '';
}

function verify_buf(string $sig, ?string $data, string $opts, ?int &$status): ?array {
    $ffi = mpe_ffi();
    [$s, $sl] = mpe_buf($sig, $sk);
    $dk = null;
    [$d, $dl] = $data === null ? [null, 0] : mpe_buf($data, $dk);
    $out = mpe_out();
    $status = $ffi->mpe_signature_verifier($s, $sl, $d, $dl, buf($opts), strlen($opts), FFI::addr($out));
    mpe_free_buf($sk);
    if ($dk !== null) { mpe_free_buf($dk); }
    return $status === 0 ? json_decode(mpe_take($out), true) : null;
}

foreach (['cades' => $data, 'xades' => $data, 'pades' => $pdf] as $format => $input) {
    $sig = sign_buf($format, $key, $cert, $input, $signOpts, $st);
    check($st === 0 && strlen($sig) > 0, "$format: sign");
    $report = verify_buf($sig, $format === 'pades' ? null : $input, $verifyOpts, $st);
    check($st === 0 && $report['statut'] === 'VALIDE', "$format: VALIDE");
    check($report['signatures'][0]['adapte_marches_publics'] === true, "$format: adapté");
    check($report['signatures'][0]['signataire']['nom_commun'] === 'Jeanne Dupont', "$format: signataire");
    if ($format !== 'pades') {
        $report = verify_buf($sig, 'autre', $verifyOpts, $st);
        check($report['statut'] === 'INVALIDE' && $report['signatures'][0]['code'] === 'SIGNATURE_INTEGRITE', "$format: tampered");
    } else {
        $report = verify_buf($sig . "ajout\n", null, $verifyOpts, $st);
        check($report['signatures'][0]['code'] === 'PDF_MODIFIE_APRES_SIGNATURE', 'pades: appended');
    }
}

// Two steps: a wrong value is refused with its code.
[$c, $cl] = mpe_buf($cert, $ck);
[$d, $dl] = mpe_buf($data, $dk);
$out = mpe_out();
$st = $ffi->mpe_signature_preparer('xades', $c, $cl, $d, $dl, buf($signOpts), strlen($signOpts), FFI::addr($out));
check($st === 0, 'prepare');
$prepared = mpe_take($out);
check(isset(json_decode($prepared, true)['empreinte']), 'prepare: empreinte');
[$z, $zl] = mpe_buf(str_repeat("\0", 256), $zk);
$out = mpe_out();
$st = $ffi->mpe_signature_assembler(buf($prepared), strlen($prepared), $z, $zl, FFI::addr($out));
check($st === 503, 'assemble: SIGNATURE_INVALIDE');
mpe_free_buf($ck); mpe_free_buf($dk); mpe_free_buf($zk);

// Bad inputs.
verify_buf('garbage', null, $verifyOpts, $st);
check($st === 500, 'garbage: SIGNATURE_FORMAT_INCONNU');
verify_buf('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'data', $verifyOpts, $st);
check($st === 507, 'DTD: XML_DTD_INTERDITE');
sign_buf('pades', $key, $cert, 'not a pdf', $signOpts, $st);
check($st === 509, 'PDF_MALFORME');
check(str_contains((string)$ffi->mpe_derniere_erreur(), 'PDF'), 'last_error');

done('test_signature');
