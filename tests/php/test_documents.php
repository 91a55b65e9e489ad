<?php
// PHP FFI test of the documents API: catalogue, form generation, merge, fields, errors.
// Run from the repository root: php -d ffi.enable=1 tests/php/test_documents.php

$ffi = FFI::cdef(file_get_contents(__DIR__ . '/../../include/mpe_php.h'), getenv('MPE_LIB'));
$failures = 0;
function check(bool $ok, string $what): void {
    global $failures, $ffi;
    if (!$ok) {
        $failures++;
        fwrite(STDERR, "ÉCHEC : $what (" . ($ffi->mpe_last_error() ?? '-') . ")\n");
    }
}
function buf(string $s) {
    $b = FFI::new('uint8_t[' . max(1, strlen($s)) . ']');
    FFI::memcpy($b, $s, strlen($s));
    return $b;
}
function take($ffi, $b): string {
    $s = FFI::string($b->data, $b->len);
    $ffi->mpe_bytes_free(FFI::addr($b));
    return $s;
}

$b = $ffi->new('struct mpe_bytes');
check($ffi->mpe_document_form_list(FFI::addr($b)) === 0, 'catalogue');
$catalogue = json_decode(take($ffi, $b), true);
check(count($catalogue) === 15, 'quinze formulaires');
check($catalogue[0]['code'] === 'OUV3', 'premier code');

check($ffi->mpe_document_procedure_example(FFI::addr($b)) === 0, 'exemple');
$procedure = json_decode(take($ffi, $b), true);
$procedure['organisme']['nom'] = 'Commune de Saint-Φ & <Fils>';
$json = json_encode($procedure, JSON_UNESCAPED_UNICODE);

check($ffi->mpe_document_form_generate('NOT15', $json, FFI::addr($b)) === 0, 'génération NOT15');
$docx = take($ffi, $b);
check(substr($docx, 0, 2) === 'PK', 'DOCX');
// The merged document has no field left and keeps the escaped value (re-listed by mpe;
// python-docx and LibreOffice check the XML itself in the interoperability tests).
check($ffi->mpe_document_fields(buf($docx), strlen($docx), FFI::addr($b)) === 0, 'relecture');
check(json_decode(take($ffi, $b), true) === [], 'aucun champ restant');

check($ffi->mpe_document_form_template('NOT15', FFI::addr($b)) === 0, 'modèle');
$tpl = take($ffi, $b);
check($ffi->mpe_document_fields(buf($tpl), strlen($tpl), FFI::addr($b)) === 0, 'champs');
$fields = json_decode(take($ffi, $b), true);
check(in_array('contrat.numero', array_column($fields, 'nom'), true), 'champ contrat.numero');

$st = $ffi->mpe_document_merge(buf($tpl), strlen($tpl), '{"contrat": {}}', null, FFI::addr($b));
check($st === 601, "données manquantes ($st)");
check(str_contains($ffi->mpe_last_error(), 'contrat.numero'), 'message');
check($ffi->mpe_document_form_generate('NOPE', $json, FFI::addr($b)) === 602, 'formulaire inconnu');
check($ffi->mpe_document_merge(buf('abc'), 3, '{}', null, FFI::addr($b)) === 600, 'modèle invalide');

if ($failures > 0) {
    fwrite(STDERR, "$failures échec(s)\n");
    exit(1);
}
echo "test_documents.php : OK\n";
