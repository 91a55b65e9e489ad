<?php
// PHP FFI test of the documents API: catalogue, form generation, merge, fields, errors.
// Run from the repository root: php -d ffi.enable=1 tests/php/test_documents.php

$ffi = FFI::cdef(file_get_contents(__DIR__ . '/../../include/mpe_php.h'), getenv('MPE_LIB'));
$failures = 0;
function check(bool $ok, string $what): void {
    global $failures, $ffi;
    if (!$ok) {
        $failures++;
        fwrite(STDERR, "ÉCHEC : $what (" . ($ffi->mpe_derniere_erreur() ?? '-') . ")\n");
    }
}
function buf(string $s) {
    $b = FFI::new('uint8_t[' . max(1, strlen($s)) . ']');
    FFI::memcpy($b, $s, strlen($s));
    return $b;
}
function take($ffi, $b): string {
    $s = FFI::string($b->donnees, $b->longueur);
    $ffi->mpe_octets_liberer(FFI::addr($b));
    return $s;
}

$b = $ffi->new('struct mpe_octets');
check($ffi->mpe_formulaire_lister(FFI::addr($b)) === 0, 'catalogue');
$catalogue = json_decode(take($ffi, $b), true);
check(count($catalogue) === 15, 'quinze formulaires');
check($catalogue[0]['code'] === 'OUV3', 'premier code');

check($ffi->mpe_formulaire_lire_exemple(FFI::addr($b)) === 0, 'exemple');
$procedure = json_decode(take($ffi, $b), true);
$procedure['organisme']['nom'] = 'Commune de Saint-Φ & <Fils>';
$json = json_encode($procedure, JSON_UNESCAPED_UNICODE);

check($ffi->mpe_formulaire_generer('NOT15', buf($json), strlen($json), FFI::addr($b)) === 0, 'génération NOT15');
$docx = take($ffi, $b);
check(substr($docx, 0, 2) === 'PK', 'DOCX');
// The merged document has no field left and keeps the escaped value (re-listed by mpe;
// python-docx and LibreOffice check the XML itself in the interoperability tests).
check($ffi->mpe_document_lister_champs(buf($docx), strlen($docx), FFI::addr($b)) === 0, 'relecture');
check(json_decode(take($ffi, $b), true) === [], 'aucun champ restant');

check($ffi->mpe_formulaire_lire_modele('NOT15', FFI::addr($b)) === 0, 'modèle');
$tpl = take($ffi, $b);
check($ffi->mpe_document_lister_champs(buf($tpl), strlen($tpl), FFI::addr($b)) === 0, 'champs');
$fields = json_decode(take($ffi, $b), true);
check(in_array('contrat.numero', array_column($fields, 'nom'), true), 'champ contrat.numero');

$st = $ffi->mpe_document_fusionner(buf($tpl), strlen($tpl), buf($d = '{"contrat": {}}'), strlen($d), null, 0, FFI::addr($b));
check($st === 601, "données manquantes ($st)");
check(str_contains($ffi->mpe_derniere_erreur(), 'contrat.numero'), 'message');
check($ffi->mpe_formulaire_generer('NOPE', buf($json), strlen($json), FFI::addr($b)) === 602, 'formulaire inconnu');
check($ffi->mpe_document_fusionner(buf('abc'), 3, buf('{}'), 2, null, 0, FFI::addr($b)) === 600, 'modèle invalide');

if ($failures > 0) {
    fwrite(STDERR, "$failures échec(s)\n");
    exit(1);
}
echo "test_documents.php : OK\n";
