<?php
// PHP FFI test of the messagerie: recipients, default letter, preparing a letter into MIME
// messages, acknowledgement and answer in the register, attachment limits.
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';

$ffi = mpe_ffi();
$root = dirname(__DIR__, 2);
$demande = json_decode(file_get_contents("$root/tests/vectors/messagerie/demande.json"), true);

// Pasted recipients.
$out = mpe_out();
check($ffi->mpe_courrier_analyser_destinataires("a@x.fr; a@X.fr\nb@région.fr", FFI::addr($out)) === 0, 'analyser');
$l = json_decode(mpe_take($out), true);
check(count($l) === 2 && $l[1]['ascii'] === 'b@xn--rgion-bsa.fr', 'dedup + IDN: ' . json_encode($l));
$out = mpe_out();
check($ffi->mpe_courrier_analyser_destinataires('x@y', FFI::addr($out)) === $ffi->MPE_ADRESSE_INVALIDE, 'invalid address');

// Default letter.
[$p, $n] = mpe_buf(json_encode($demande['consultation'], JSON_UNESCAPED_UNICODE), $keep);
$out = mpe_out();
check($ffi->mpe_courrier_generer_modele('information_titulaire', $p, $n, 0, FFI::addr($out)) === 0, 'modele');
$m = json_decode(mpe_take($out), true);
check(str_starts_with($m['objet'], 'AOO_2026/0611 – '), 'objet: ' . $m['objet']);
mpe_free_buf($keep);

// The rejection of a bid, letter edited by the agent, simple sending.
$d = $demande;
$d['courrier'] = [
    'type_courrier' => 'rejet',
    'objet' => 'Rejet – Lot n°1 « Isolation »',
    'corps' => "Madame, Monsieur,\n\nVotre offre n'a pas été retenue.",
    'destinataires' => [['email' => 'ao@isolation-sud.fr', 'raison_sociale' => 'Isolation Sud']],
    'options' => ['accuse_reception' => false, 'reponse_autorisee' => false],
];
[$p, $n] = mpe_buf(json_encode($d, JSON_UNESCAPED_UNICODE), $keep);
$envoi = mpe_out();
check($ffi->mpe_courrier_preparer($p, $n, FFI::addr($envoi)) === 0, 'preparer rejet');
$ej = mpe_take($envoi);
$e = json_decode($ej, true);
check(count($e['messages']) === 1 && !isset($e['messages'][0]['jeton']), 'one message, no token');
$mime = base64_decode($e['messages'][0]['mime']);
check(str_contains($mime, "Auto-Submitted: auto-generated\r\n"), 'no answer expected');
check(str_contains($mime, '=?utf-8?'), 'encoded subject');
mpe_free_buf($keep);

// The fixture: acknowledgement, then register.
[$p, $n] = mpe_buf(json_encode($demande, JSON_UNESCAPED_UNICODE), $keep);
$envoi = mpe_out();
check($ffi->mpe_courrier_preparer($p, $n, FFI::addr($envoi)) === 0, 'preparer');
$ej = mpe_take($envoi);
$e = json_decode($ej, true);
mpe_free_buf($keep);
check(count($e['messages']) === 2, 'two messages');
[$pe, $ne] = mpe_buf($ej, $keepE);
$mime = mpe_out();
check($ffi->mpe_courrier_generer_message($pe, $ne, 1, FFI::addr($mime)) === 0, 'message 1');
$raw = mpe_take($mime);
check($raw === base64_decode($e['messages'][1]['mime']), 'raw bytes = base64 of the JSON');
check(str_contains($raw, "To: <contact@alpha-batiment.fr>\r\n"), 'recipient');

$reg = mpe_out();
check($ffi->mpe_courrier_appliquer_evenements(null, 0, $pe, $ne, FFI::addr($reg)) === 0, 'registre');
$rj = mpe_take($reg);
mpe_free_buf($keepE);
[$pr, $nr] = mpe_buf($rj, $keepR);
$r2 = mpe_out();
$ev = mpe_out();
$jeton = $e['messages'][0]['jeton'];
check(strlen($jeton) === 43, 'token length');
check($ffi->mpe_courrier_accuser_reception($pr, $nr, $jeton, '2026-11-21T08:15:00Z', FFI::addr($r2), FFI::addr($ev)) === 0, 'accuser');
$registre = json_decode(mpe_take($r2), true);
$evenement = json_decode(mpe_take($ev), true);
check($evenement['evenement'] === 'ouvert', 'ouvert event');
check($registre['entrees'][0]['statut'] === 'ouvert' && $registre['entrees'][1]['statut'] === 'envoye', 'statuses');
$r2 = mpe_out();
$ev = mpe_out();
check($ffi->mpe_courrier_accuser_reception($pr, $nr, 'AAAA', '2026-11-21T08:15:00Z', FFI::addr($r2), FFI::addr($ev)) === $ffi->MPE_JETON_INCONNU, 'unknown token');
mpe_free_buf($keepR);

// Limits.
$d = $demande;
$d['contexte']['limites'] = ['par_piece' => 8, 'total' => 100, 'nombre' => 5];
[$p, $n] = mpe_buf(json_encode($d, JSON_UNESCAPED_UNICODE), $keep);
$envoi = mpe_out();
check($ffi->mpe_courrier_preparer($p, $n, FFI::addr($envoi)) === $ffi->MPE_PIECE_JOINTE_TROP_GRANDE, 'limit');
check(str_contains((string)$ffi->mpe_derniere_erreur(), 'PIECE_JOINTE_TROP_GRANDE'), 'limit message');
mpe_free_buf($keep);

$out = mpe_out();
check($ffi->mpe_courrier_normaliser_nom_piece('a/b/NUL.txt', FFI::addr($out)) === 0, 'nom');
check(mpe_take($out) === '_NUL.txt', 'reserved name');
done('test_messagerie');
