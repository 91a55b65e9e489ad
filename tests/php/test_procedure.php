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
        $err = $ffi->mpe_derniere_erreur();
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
    $s = $b->longueur > 0 ? FFI::string($b->donnees, $b->longueur) : '';
    $ffi->mpe_octets_liberer(FFI::addr($b));
    return $s;
}

function json(mixed $v): string {
    return json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
}

function nom_statut(int $st): string {
    global $ffi;
    return $st === 0 ? "OK" : (string) $ffi->mpe_statut_nom($st);
}

$scenario = json_decode(file_get_contents("$racine/tests/vectors/procedure/scenario.json"));
$contexte = fn($t, $acteur) => json(['maintenant' => $t, 'acteur' => $acteur, 'organisation' => $scenario->organisation]);

// Création.
$etat_out = $ffi->new('struct mpe_octets');
$journal_out = $ffi->new('struct mpe_octets');
$c = tampon(json($scenario->consultation));
$x = tampon($contexte($scenario->creation->maintenant, $scenario->creation->acteur));
$st = $ffi->mpe_procedure_nouvelle($c[0], $c[1], $x[0], $x[1], FFI::addr($etat_out), FFI::addr($journal_out));
liberer($c); liberer($x);
verifie($st === 0, 'création');
$etat = sortie($etat_out);
$journal = sortie($journal_out);

$avant_archivage = null;
foreach ($scenario->etapes as $i => $etape) {
    if ($etape->action->type === 'archiver') $avant_archivage = $etat;
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
$out = $ffi->new('struct mpe_octets');
verifie($ffi->mpe_procedure_lister_registres($e[0], $e[1], FFI::addr($out)) === 0, 'registres');
$registres = json_decode(sortie($out));
verifie($registres->libelle_depots === '4 électroniques + 1 papier', 'libellé des dépôts : ' . $registres->libelle_depots);

// Letters: the register of the scenario's rejection letter (sent, acknowledged, answered).
verifie(count($registres->courriers) === 1 && $registres->courriers[0]->statut === 'repondu', 'registre des courriers');
verifie($registres->courriers[0]->accuse_le === '2026-12-18T14:02:00Z', 'date de l\'accusé');
verifie($registres->compteurs_courriers->accuses === 1 && $registres->compteurs_courriers->repondus === 1, 'compteurs');

// A letter as a PHP platform sends it, on the state before archiving: recipients from the
// registers (the company not retained on lot 2), the letter prepared by the messagerie,
// recorded in the procedure, then acknowledged through its token.
function appliquer(string $etat, mixed $action, string $ctx, ?string &$journal): int {
    global $ffi;
    $e = tampon($etat); $a = tampon(json($action)); $x = tampon($ctx);
    $eo = $ffi->new('struct mpe_octets'); $jo = $ffi->new('struct mpe_octets');
    $st = $ffi->mpe_procedure_appliquer($e[0], $e[1], $a[0], $a[1], $x[0], $x[1], FFI::addr($eo), FFI::addr($jo));
    liberer($e); liberer($a); liberer($x);
    if ($st === 0) { $journal = sortie($jo); $GLOBALS['etat_courant'] = sortie($eo); }
    return $st;
}
$ee = tampon($avant_archivage);
$f = tampon(json(['lot' => 2, 'non_retenus' => true, 'origines' => ['depot']]));
verifie($ffi->mpe_procedure_lister_destinataires_courrier($ee[0], $ee[1], $f[0], $f[1], FFI::addr($out)) === 0, 'destinataires du courrier');
liberer($f);
$destinataires = json_decode(sortie($out));
verifie(count($destinataires) === 1 && $destinataires[0]->email === 's.girard@facades-ra.fr', 'non retenu du lot 2 : ' . json($destinataires));
$f = tampon('{"pli":99}');
verifie($ffi->mpe_procedure_lister_destinataires_courrier($ee[0], $ee[1], $f[0], $f[1], FFI::addr($out)) === $ffi->MPE_PLI_INCONNU, 'pli inconnu');
liberer($f); liberer($ee);
$c = tampon(json($scenario->consultation));
verifie($ffi->mpe_courrier_nouveau('rejet', $c[0], $c[1], 2, null, 0, FFI::addr($out)) === 0, 'courrier de rejet');
liberer($c);
$courrier = json_decode(sortie($out));
$courrier->destinataires = $destinataires;
$courrier->options = ['accuse_reception' => true, 'reponse_autorisee' => false];
$quand = '2026-12-21T10:00:00Z';
$demande = ['courrier' => $courrier, 'consultation' => $scenario->consultation, 'organisation' => $scenario->organisation,
    'contexte' => ['courrier_id' => 'rejet-lot2', 'agent' => 'a.martin', 'date' => $quand,
        'expediteur' => ['nom' => 'Ville de Villeurbanne', 'email' => 'ne-pas-repondre@marches.villeurbanne.example'],
        'url_accuse_reception' => 'https://marches.villeurbanne.example/ar/{jeton}',
        'domaine_message_id' => 'marches.villeurbanne.example']];
$d = tampon(json($demande));
verifie($ffi->mpe_courrier_preparer($d[0], $d[1], FFI::addr($out)) === 0, 'préparation du courrier');
liberer($d);
$envoi = json_decode(sortie($out));
$jeton = $envoi->messages[0]->jeton;
$j = null;
$st = appliquer($avant_archivage, ['type' => 'enregistrer_courrier', 'evenements' => $envoi->evenements],
    $contexte($quand, ['type' => 'agent', 'id' => 'j.dupont']), $j);
verifie($st === $ffi->MPE_NON_HABILITE, 'j.dupont n\'envoie pas : ' . nom_statut($st));
$st = appliquer($avant_archivage, ['type' => 'enregistrer_courrier', 'evenements' => $envoi->evenements],
    $contexte($quand, ['type' => 'agent', 'id' => 'a.martin']), $j);
verifie($st === 0 && str_contains($j, '"type":"courrier","courrier":{"evenement":"envoye"'), 'courrier enregistré : ' . nom_statut($st));
$st = appliquer($etat_courant, ['type' => 'accuser_reception_courrier', 'jeton' => $jeton],
    $contexte('2026-12-21T11:00:00Z', ['type' => 'anonyme']), $j);
verifie($st === 0 && str_contains($j, '"evenement":"ouvert"'), 'accusé de réception');
$st = appliquer($etat_courant, ['type' => 'accuser_reception_courrier', 'jeton' => $jeton],
    $contexte('2026-12-21T11:05:00Z', ['type' => 'anonyme']), $j);
verifie($st === 0 && $j === '', 'second accusé sans entrée');
$st = appliquer($etat_courant, ['type' => 'accuser_reception_courrier', 'jeton' => 'x' . $jeton],
    $contexte('2026-12-21T11:05:00Z', ['type' => 'anonyme']), $j);
verifie($st === $ffi->MPE_JETON_INCONNU, 'jeton inconnu');
$ee = tampon($etat_courant);
verifie($ffi->mpe_procedure_lister_registres($ee[0], $ee[1], FFI::addr($out)) === 0, 'registres');
liberer($ee);
$r = json_decode(sortie($out));
verifie(count($r->courriers) === 2 && $r->courriers[1]->statut === 'ouvert' && $r->compteurs_courriers->accuses === 2,
    'deux courriers, deux accusés');

// Journal: verified against the head; a changed amount is caught with its index.
$j = tampon($journal);
verifie($ffi->mpe_journal_verifier($j[0], $j[1], $e[0], $e[1]) === 0, 'journal vérifié');
liberer($j);
$altere = tampon(preg_replace('/"montant":498000/', '"montant":480000', $journal, 1));
verifie($ffi->mpe_journal_verifier($altere[0], $altere[1], $e[0], $e[1]) === 312, 'altération détectée');
verifie(str_contains((string) $ffi->mpe_derniere_erreur(), "entrée"), 'index de l\'entrée');
liberer($altere);
// An empty journal goes to the core, which calls it corrupt (a procedure has its opening line).
verifie($ffi->mpe_journal_verifier(null, 0, null, 0) === 312, 'journal vide : JOURNAL_CORROMPU');
verifie($ffi->mpe_journal_verifier(null, 0, $e[0], $e[1]) === 312, 'journal vide, tête non vide : JOURNAL_CORROMPU');
liberer($e);

if ($echecs > 0) {
    fwrite(STDERR, "test_procedure.php : $echecs échec(s)\n");
    exit(1);
}
echo "test_procedure.php : ok (" . count($scenario->etapes) . " étapes, " . substr_count($journal, "\n") . " entrées)\n";
