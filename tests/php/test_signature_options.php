<?php
// PHP FFI test of the verification options in JSON (named documents, PDF limits,
// intermediates, validation time) and of the per-revision list of a PDF in the report,
// on real files of the shared corpus (MPE_CORPUS, else ../shared/corpus beside the repository).
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';

$ffi = mpe_ffi();
$corpus = getenv('MPE_CORPUS') ?: dirname(__DIR__, 3) . '/shared/corpus';
function corpus_lire(string $corpus, string $p): string {
    $t = file_get_contents("$corpus/$p");
    if ($t === false) { fwrite(STDERR, "corpus introuvable : $corpus/$p\n"); exit(2); }
    return $t;
}

function verifier_opts(string $sig, string $opts, ?int &$status): ?array {
    $ffi = mpe_ffi();
    [$s, $sl] = mpe_buf($sig, $sk);
    $out = mpe_out();
    $status = $ffi->mpe_signature_verifier($s, $sl, null, 0, buf($opts), strlen($opts), FFI::addr($out));
    mpe_free_buf($sk);
    return $status === 0 ? json_decode(mpe_take($out), true) : null;
}

// A PDF signed twice: the first signature lists its later revision, every change allowed.
$pdf = corpus_lire($corpus, 'signatures/pades/pyhanko/minimal-signed-twice-both-created.pdf');
$r = verifier_opts($pdf, '{}', $st);
verifie($st === 0, 'twice-signed PDF');
$revs = $r['signatures'][0]['pdf']['revisions'] ?? [];
check(count($revs) === $r['signatures'][0]['pdf']['revisions_suivantes'] && count($revs) > 0, 'revisions listed');
$cats = [];
foreach ($revs as $rev) {
    foreach ($rev['changements'] as $c) {
        check($c['autorise'] === true, 'allowed: ' . $c['detail']);
        $cats[] = $c['categorie'];
    }
}
check(in_array('SIGNATURE', $cats, true), 'signature category');
check($r['signatures'][1]['pdf']['revisions'] === [], 'last signature: no later revision');
verifier_opts($pdf, '{"limites_pdf":{"revisions_max":1}}', $st);
check($st === 105 && str_contains((string)$ffi->mpe_derniere_erreur(), 'revisions_max'), 'LIMITE_DEPASSEE revisions_max');

// Detached XAdES naming its document "doc.txt".
$xml = corpus_lire($corpus, 'signatures/xades/dss/Signature-X-HU_MIC-1.xml');
$doc = corpus_lire($corpus, 'signatures/xades/dss/Signature-X-HU_MIC-1.xml.doc.txt');
$r = verifier_opts($xml, json_encode(['documents_nommes' => ['doc.txt' => base64_encode($doc)]]), $st);
verifie($st === 0 && $r['statut'] === 'INDETERMINE' && $r['signatures'][0]['integrite'] === true, 'XAdES named document');
$r = verifier_opts($xml, json_encode(['documents_nommes' => ['doc.txt' => base64_encode('autre')]]), $st);
check($st === 0 && $r['statut'] === 'INVALIDE', 'other content: INVALIDE');
verifier_opts($xml, '{}', $st);
check($st === 512, 'FICHIER_SIGNE_MANQUANT');

// LTA PDF: anchor, intermediate and validation time.
$opts = json_encode([
    'ancres_pem' => corpus_lire($corpus, 'signatures/trust/pyhanko/testing-ca-root.cert.pem'),
    'intermediaires_pem' => corpus_lire($corpus, 'signatures/trust/pyhanko/testing-ca-interm.cert.pem'),
    'date_verification' => '2020-11-01T00:00:00Z',
]);
$r = verifier_opts(corpus_lire($corpus, 'signatures/pades/pyhanko/pades-lta-dss-indirect-arrs-test.pdf'), $opts, $st);
verifie($st === 0 && $r['statut'] === 'VALIDE', 'LTA VALIDE');

// The package's class gives the same report.
require_once dirname(__DIR__, 2) . '/php/preload.php';
$r = \Mpe\Signature::verifier($xml, null, json_encode(['documents_nommes' => ['doc.txt' => base64_encode($doc)]]));
check($r['statut'] === 'INDETERMINE', 'Mpe\\Signature::verifier with named documents');

done('test_signature_options');
