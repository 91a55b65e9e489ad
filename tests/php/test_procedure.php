<?php
// PHP FFI: runs the whole shared procedure scenario (tests/vectors/procedure/scenario.json)
// through libmpe, as a PHP platform would — state stored as JSON between steps, journal
// appended as JSON Lines — and checks the journal is the expected one, byte for byte.
// Run from the repository root: php -d ffi.enable=1 tests/php/test_procedure.php

$racine = dirname(__DIR__, 2);
$ffi = FFI::cdef(file_get_contents("$racine/include/mpe_php.h"), getenv('MPE_LIB') ?: "$racine/target/release/libmpe.so");
$echecs = 0;

function verifie(bool $ok, string $quoi): void {
    global $echecs, $ffi;
    if (!$ok) {
        $echecs++;
        $err = $ffi->mpe_last_error();
        fwrite(STDERR, "ÉCHEC : $quoi [" . ($err ?? "") . "]\n");
    }
}

/** A PHP string as a (uint8_t *, size_t) pair kept alive by the caller. */
function tampon(string $s): array {
    global $ffi;
    $n = strlen($s);
    $buf = $ffi->new("uint8_t[" . max($n, 1) . "]", false);
    if ($n > 0) FFI::memcpy($buf, $s, $n);
    return [$buf, $n];
}

function liberer(array $t): void {
    FFI::free($t[0]);
}

function sortie($b): string {
    global $ffi;
    $s = $b->len > 0 ? FFI::string($b->data, $b->len) : '';
    $ffi->mpe_bytes_free(FFI::addr($b));
    return $s;
}

function json(mixed $v): string {
    return json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
}

function nom_statut(int $st): string {
    global $ffi;
    return $st === 0 ? "OK" : (string) $ffi->mpe_status_name($st);
}

$scenario = json_decode(file_get_contents("$racine/tests/vectors/procedure/scenario.json"));
$contexte = fn($t, $acteur) => json(['maintenant' => $t, 'acteur' => $acteur, 'organisation' => $scenario->organisation]);

// Création.
$etat_out = $ffi->new('struct mpe_bytes');
$journal_out = $ffi->new('struct mpe_bytes');
$c = tampon(json($scenario->consultation));
$x = tampon($contexte($scenario->creation->maintenant, $scenario->creation->acteur));
$st = $ffi->mpe_procedure_nouvelle($c[0], $c[1], $x[0], $x[1], FFI::addr($etat_out), FFI::addr($journal_out));
liberer($c); liberer($x);
verifie($st === 0, 'création');
$etat = sortie($etat_out);
$journal = sortie($journal_out);

foreach ($scenario->etapes as $i => $etape) {
    $e = tampon($etat);
    $a = tampon(json($etape->action));
    $x = tampon($contexte($etape->maintenant, $etape->acteur));
    $st = $ffi->mpe_procedure_appliquer($e[0], $e[1], $a[0], $a[1], $x[0], $x[1], FFI::addr($etat_out), FFI::addr($journal_out));
    liberer($e); liberer($a); liberer($x);
    verifie(nom_statut($st) === $etape->attendu, "étape $i ({$etape->note}) : attendu {$etape->attendu}, obtenu " . nom_statut($st));
    if ($st === 0) {
        $etat = sortie($etat_out);
        $journal .= sortie($journal_out);
    }
}

verifie($journal === file_get_contents("$racine/tests/vectors/procedure/scenario.journal.jsonl"), 'journal identique au vecteur');
$final = json_decode($etat);
verifie($final->phase === 'archivee', 'phase finale archivée');

// Registers as the dashboard shows them.
$e = tampon($etat);
$out = $ffi->new('struct mpe_bytes');
verifie($ffi->mpe_procedure_registres($e[0], $e[1], FFI::addr($out)) === 0, 'registres');
$registres = json_decode(sortie($out));
verifie($registres->libelle_depots === '4 électroniques + 1 papier', 'libellé des dépôts : ' . $registres->libelle_depots);

// Journal: verified against the head; a changed amount is caught with its index.
$j = tampon($journal);
verifie($ffi->mpe_journal_verifier($j[0], $j[1], $e[0], $e[1]) === 0, 'journal vérifié');
liberer($j);
$altere = tampon(preg_replace('/"montant":498000/', '"montant":480000', $journal, 1));
verifie($ffi->mpe_journal_verifier($altere[0], $altere[1], $e[0], $e[1]) === 312, 'altération détectée');
verifie(str_contains((string) $ffi->mpe_last_error(), "entrée"), 'index de l\'entrée');
liberer($altere);
liberer($e);

if ($echecs > 0) {
    fwrite(STDERR, "test_procedure.php : $echecs échec(s)\n");
    exit(1);
}
echo "test_procedure.php : ok (" . count($scenario->etapes) . " étapes, " . substr_count($journal, "\n") . " entrées)\n";
