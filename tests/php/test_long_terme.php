<?php
// PHP test of the long-term signatures (B-LT, B-LTA) through the package's Mpe\Signature
// methods: validation data collected with the host's CRL and added to the /DSS (PAdES) or
// the SignedData (CAdES), the CRL then read from the file; a document (archive for CAdES)
// timestamp completed with `openssl ts -reply` as the host's TSA: level B-LTA.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';
require dirname(__DIR__, 2) . '/php/preload.php';

use Mpe\ErreurMpe;
use Mpe\Signature;

$ffi = mpe_ffi();
$v = dirname(__DIR__) . '/vectors/signature';
$pdf = file_get_contents("$v/simple.pdf");
$ca = file_get_contents("$v/ca.pem");

function appel(string $fonction, string $a, string $b, ?int &$status): string {
    $ffi = mpe_ffi();
    [$x, $xl] = mpe_buf($a, $xk);
    [$y, $yl] = mpe_buf($b, $yk);
    $out = mpe_out();
    $status = $ffi->$fonction($x, $xl, $y, $yl, FFI::addr($out));
    mpe_free_buf($xk); mpe_free_buf($yk);
    return $status === 0 ? mpe_take($out) : '';
}

/** What the host's TSA answers (openssl ts -reply on the test TSA). */
function tsa(string $v, string $requete): string {
    $d = sys_get_temp_dir() . '/mpe_php_ltv_' . getmypid();
    if (!is_dir($d)) {
        mkdir($d);
        register_shutdown_function(fn () => exec('rm -rf ' . escapeshellarg($d)));
    }
    foreach (['tsa.cnf', 'tsa.pem', 'tsa.key', 'ca.pem', 'tsaserial'] as $f) {
        if (!file_exists("$d/$f")) { copy("$v/$f", "$d/$f"); }
    }
    file_put_contents("$d/req.tsq", $requete);
    exec('cd ' . escapeshellarg($d) . ' && openssl ts -reply -config tsa.cnf -queryfile req.tsq -out resp.tsr 2>/dev/null', $o, $rc);
    check($rc === 0, 'openssl ts -reply');
    return file_get_contents("$d/resp.tsr");
}

[$k, $kl] = mpe_buf(file_get_contents("$v/signataire.key"), $kk);
[$c, $cl] = mpe_buf(file_get_contents("$v/signataire.pem"), $ck);
[$d, $dl] = mpe_buf($pdf, $dk);
$opts = json_encode(['date' => '2027-01-15T10:00:00Z']);
$out = mpe_out();
$st = $ffi->mpe_signature_signer('pades', $k, $kl, $c, $cl, $d, $dl, buf($opts), strlen($opts), FFI::addr($out));
check($st === 0, 'signer');
$pdfSigne = mpe_take($out);
mpe_free_buf($kk); mpe_free_buf($ck); mpe_free_buf($dk);

// B-T.
[$s, $sl] = mpe_buf($pdfSigne, $sk);
$out = mpe_out();
$st = $ffi->mpe_horodatage_generer_requete($s, $sl, 5, FFI::addr($out));
check($st === 0, 'requête');
mpe_free_buf($sk);
$bt = appel('mpe_horodatage_ajouter', $pdfSigne, tsa($v, mpe_take($out)), $st);
check($st === 0, 'B-T');

// B-LT: the data with the host's CRL.
$avecCrl = json_encode(['ancres_pem' => $ca, 'crls_pem' => file_get_contents("$v/crl.pem")]);
$donnees = Signature::collecterDonneesValidation($bt, $avecCrl);
check(count($donnees['crls']) === 1, 'collecter');
$lt = Signature::ajouterDonneesValidation($bt, $donnees);
check(str_starts_with($lt, $bt), 'B-LT');

// B-LTA in two steps.
$preparation = Signature::preparerHorodatageDocument($lt, null, 6);
$lta = Signature::finirHorodatageDocument($preparation, tsa($v, base64_decode($preparation['requete'])));
check(str_contains($lta, '/DocTimeStamp'), 'B-LTA');

// Verified with the anchors only: the CRL comes from the file.
$sig0 = Signature::verifier($lta, null, json_encode(['ancres_pem' => $ca]))['signatures'][0];
check($sig0['statut'] === 'VALIDE' && $sig0['niveau'] === 'B-LTA', 'VALIDE B-LTA');
check($sig0['revocations'][0]['source'] === 'CRL', 'CRL du /DSS');

// CAdES detached: the data in the SignedData, the archive timestamp over the signed file.
$offre = "Offre, lot 1\n";
[$k, $kl] = mpe_buf(file_get_contents("$v/signataire.key"), $kk);
[$c, $cl] = mpe_buf(file_get_contents("$v/signataire.pem"), $ck);
[$d, $dl] = mpe_buf($offre, $dk);
$out = mpe_out();
$st = $ffi->mpe_signature_signer('cades', $k, $kl, $c, $cl, $d, $dl, buf($opts), strlen($opts), FFI::addr($out));
check($st === 0, 'signer CAdES');
$p7sBb = mpe_take($out);
mpe_free_buf($kk); mpe_free_buf($ck); mpe_free_buf($dk);
[$s, $sl] = mpe_buf($p7sBb, $sk);
$out = mpe_out();
$st = $ffi->mpe_horodatage_generer_requete($s, $sl, 5, FFI::addr($out));
mpe_free_buf($sk);
$p7s = appel('mpe_horodatage_ajouter', $p7sBb, tsa($v, mpe_take($out)), $st);
check($st === 0, 'B-T CAdES');
$p7sLt = Signature::ajouterDonneesValidation($p7s, Signature::collecterDonneesValidation($p7s, $avecCrl));
try {
    Signature::preparerHorodatageDocument($p7sLt);
    check(false, 'CAdES détachée sans fichier');
} catch (ErreurMpe $e) {
    check($e->nom === 'FICHIER_SIGNE_MANQUANT', 'CAdES détachée sans fichier (' . $e->nom . ')');
}
$prepCades = Signature::preparerHorodatageDocument($p7sLt, $offre, 8);
$p7sLta = Signature::finirHorodatageDocument($prepCades, tsa($v, base64_decode($prepCades['requete'])));
$sig0 = Signature::verifier($p7sLta, $offre, json_encode(['ancres_pem' => $ca]))['signatures'][0];
check($sig0['statut'] === 'VALIDE' && $sig0['niveau'] === 'B-LTA', 'CAdES VALIDE B-LTA ' . json_encode([$sig0['statut'], $sig0['niveau'], $sig0['raison']]));
check($sig0['revocations'][0]['source'] === 'CRL', 'CRL du SignedData');
check(array_column($sig0['horodatages_archive'], 'valide') === [true], "horodatage d'archive valide");

// A token over other bytes (the signature timestamp's request): refused with its code.
[$s, $sl] = mpe_buf($pdfSigne, $sk);
$out = mpe_out();
$st = $ffi->mpe_horodatage_generer_requete($s, $sl, 7, FFI::addr($out));
mpe_free_buf($sk);
try {
    Signature::finirHorodatageDocument($preparation, tsa($v, mpe_take($out)));
    check(false, 'jeton refusé');
} catch (ErreurMpe $e) {
    check($e->getCode() === 571 && $e->nom === 'HORODATAGE_DOCUMENT_INCORRECT', 'HORODATAGE_DOCUMENT_INCORRECT');
}
done('test_long_terme');
