<?php
// PHP FFI test of the crypto area: encrypt/decrypt buffers and files, key pairs, errors,
// offline decryption with a progress callback written in PHP.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';

$ffi = mpe_ffi();
$root = dirname(__DIR__, 2);
$v = "$root/tests/vectors/crypto";
$alice = file_get_contents("$v/alice.cert.pem") . file_get_contents("$v/alice.key.pem");
$bob = file_get_contents("$v/bob.cert.pem") . file_get_contents("$v/bob.key.pem");
$certs = file_get_contents("$v/alice.cert.pem") . file_get_contents("$v/bob.cert.pem");
$p12 = file_get_contents("$v/alice.p12");

$msg = "Offre de la société Dupont — mémoire technique";
[$pm, $nm] = mpe_buf($msg, $k1);
[$pc, $nc] = mpe_buf($certs, $k2);
[$pa, $na] = mpe_buf($alice, $k3);
[$pb, $nb] = mpe_buf($bob, $k4);
[$pp, $np] = mpe_buf($p12, $k5);

foreach ([null, '{"chiffrement":"AES-256-CBC","transport":"RSA-OAEP-SHA256"}'] as $opts) {
    $env = mpe_out();
    check($ffi->mpe_cms_chiffrer($pm, $nm, $pc, $nc, $opts === null ? null : buf($opts), $opts === null ? 0 : strlen($opts), FFI::addr($env)) === 0, 'encrypt');
    $envBytes = mpe_take($env);
    [$pe, $ne] = mpe_buf($envBytes, $k6);
    $out = mpe_out();
    check($ffi->mpe_cms_dechiffrer($pe, $ne, $pb, $nb, null, FFI::addr($out)) === 0, 'decrypt bob');
    check(mpe_take($out) === $msg, 'plaintext bob');
    $out = mpe_out();
    check($ffi->mpe_cms_dechiffrer($pe, $ne, $pp, $np, 'secret', FFI::addr($out)) === 0, 'decrypt p12');
    check(mpe_take($out) === $msg, 'plaintext p12');
    mpe_free_buf($k6);
}

// Errors have stable codes.
$out = mpe_out();
check($ffi->mpe_bicle_decrire($pp, $np, 'faux', FFI::addr($out)) === $ffi->MPE_MOT_DE_PASSE_INCORRECT, 'wrong password');
$env = mpe_out();
[$pac, $nac] = mpe_buf(file_get_contents("$v/alice.cert.pem"), $k7);
$ffi->mpe_cms_chiffrer($pm, $nm, $pac, $nac, null, 0, FFI::addr($env));
$envBytes = mpe_take($env);
[$pe, $ne] = mpe_buf($envBytes, $k8);
check($ffi->mpe_cms_dechiffrer($pe, $ne, $pb, $nb, null, FFI::addr($out)) === $ffi->MPE_AUCUN_DESTINATAIRE, 'wrong key');
check(str_contains($ffi->mpe_derniere_erreur(), 'AUCUN_DESTINATAIRE'), 'last error');

// Files, tampering, and the opening workflow with a PHP progress callback.
$dir = sys_get_temp_dir() . '/mpe-php-crypto-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/offre.bin", random_bytes(500000));
check($ffi->mpe_cms_chiffrer_fichier("$dir/offre.bin", "$dir/offre.p7m", $pc, $nc, null, 0) === 0, 'encrypt_file');
$info = mpe_out();
check($ffi->mpe_cms_dechiffrer_fichier("$dir/offre.p7m", "$dir/offre.out", $pa, $na, null, FFI::addr($info)) === 0, 'decrypt_file');
check(json_decode(mpe_take($info), true)['taille'] === 500000, 'info taille');
check(file_get_contents("$dir/offre.out") === file_get_contents("$dir/offre.bin"), 'file content');
$t = file_get_contents("$dir/offre.p7m");
$t[strlen($t) - 100] = chr(ord($t[strlen($t) - 100]) ^ 1);
file_put_contents("$dir/bad.p7m", $t);
check($ffi->mpe_cms_dechiffrer_fichier("$dir/bad.p7m", "$dir/bad.out", $pa, $na, null, null) === $ffi->MPE_INTEGRITE_ECHEC, 'tampered');
check(!file_exists("$dir/bad.out"), 'no output after failed tag');

$list = json_encode([['consultation' => '2026-AO-01', 'id' => 'pli1', 'chemin' => "$dir/offre.p7m"]]);
$idx = mpe_out();
check($ffi->mpe_ouverture_exporter(buf($list), strlen($list), "$dir/export", FFI::addr($idx)) === 0, 'export');
mpe_take($idx);
$steps = [];
$cb = function ($user, $json) use (&$steps) { $steps[] = json_decode(is_string($json) ? $json : FFI::string($json), true); };
$rep = mpe_out();
check($ffi->mpe_ouverture_dechiffrer_dossier("$dir/export", $pa, $na, null, "$dir/ouvertes", $cb, null, FFI::addr($rep)) === 0, 'offline');
check(json_decode(mpe_take($rep), true)['ouvertes'] === 1, 'report');
check(count($steps) === 4 && $steps[3]['etape'] === 'termine', 'progress steps');

// Key generation.
$gen = mpe_out();
check($ffi->mpe_bicle_generer(buf($params = '{"titulaire":"Jean DUPONT"}'), strlen($params), '2026-11-01T00:00:00Z', 'pw', FFI::addr($gen)) === 0, 'generate');
[$pg, $ng] = mpe_buf(mpe_take($gen), $k9);
$out = mpe_out();
check($ffi->mpe_bicle_decrire($pg, $ng, 'pw', FFI::addr($out)) === 0, 'info');
check(json_decode(mpe_take($out), true)['nom'] === 'Clé de déchiffrement de Jean DUPONT', 'CN');

foreach ([$k1, $k2, $k3, $k4, $k5, $k7, $k8, $k9] as $k) { mpe_free_buf($k); }
exec('rm -rf ' . escapeshellarg($dir));
done('test_crypto');
