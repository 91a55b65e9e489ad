<?php
// PHP FFI through the package (php/src): the letter of modification of the DCE and the data
// of the DAJ forms, from the procedure's state. The shared scenario's consultation, validated
// with its DCE downloads, is modified after publication (a pièce added): the letter goes to
// the four companies of the retraits register with the pièce attached, checked against its
// hash; the awarded procedure gives the forms' data read from its state.
// Run from the repository root: php -d ffi.enable=1 tests/php/test_procedure_modification.php
declare(strict_types=1);

use Mpe\ErreurMpe;
use Mpe\Procedure;

$racine = dirname(__DIR__, 2);
if (!getenv('MPE_LIB')) {
    putenv("MPE_LIB=$racine/target/release/libmpe.so");
}
require "$racine/php/preload.php";

$echecs = 0;
function verifie(bool $ok, string $quoi): void
{
    global $echecs;
    if (!$ok) {
        $echecs++;
        fwrite(STDERR, "ÉCHEC : $quoi\n");
    }
}

function json(mixed $v): string
{
    return json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
}

$s = json_decode(file_get_contents("$racine/tests/vectors/procedure/scenario.json"), true, 512, JSON_THROW_ON_ERROR);
$ctx = fn (string $t, array $acteur): string => json(['maintenant' => $t, 'acteur' => $acteur, 'organisation' => $s['organisation']]);
[$etat] = Procedure::nouvelle(json($s['consultation']), $ctx($s['creation']['maintenant'], $s['creation']['acteur']));
foreach ($s['etapes'] as $e) {
    $a = $e['action'] ?? null;
    if ($e['attendu'] === 'OK' && $a !== null && in_array($a['type'], ['demander_validation', 'valider', 'enregistrer_retrait'], true)) {
        [$etat] = Procedure::appliquer($etat, json($a), $ctx($e['maintenant'], $e['acteur']));
    }
}
$additif = "%PDF-1.7 additif n 1";
$p = json_decode($etat, true);
$c = $p['consultation'];
$c['pieces']['autres_pieces'][] = ['nom' => 'Additif_1.pdf', 'taille' => strlen($additif), 'sha256' => hash('sha256', $additif)];
[$etat] = Procedure::appliquer($etat, json(['type' => 'modifier_consultation_publiee', 'consultation' => $c, 'motif' => 'additif n° 1']),
    $ctx('2026-11-25T10:00:00Z', ['type' => 'agent', 'id' => 'a.martin']));
$courrier = json_decode(Procedure::genererCourrierModification($etat, 2, ['Additif_1.pdf' => $additif]), true);
$retraits = [];
foreach (json_decode($etat, true)['retraits'] as $r) {
    if (isset($r['entreprise'])) {
        $retraits[] = $r['entreprise']['contact']['email'];
    }
}
$emails = array_map(fn ($d) => $d['email'], $courrier['destinataires']);
sort($retraits);
sort($emails);
verifie(count($retraits) === 4 && $emails === $retraits, 'lettre aux quatre entreprises du registre : ' . json($emails));
$ajout = $courrier['modifications_dce'][0] ?? [];
verifie(count($courrier['modifications_dce']) === 1 && ($ajout['nature'] ?? '') === 'ajout_piece'
    && base64_decode($ajout['piece']['contenu']) === $additif, 'pièce ajoutée jointe avec ses octets');
try {
    Procedure::genererCourrierModification($etat, 2, ['Additif_1.pdf' => 'autre']);
    verifie(false, 'pièce altérée acceptée');
} catch (ErreurMpe $e) {
    verifie($e->nom === 'PIECE_ALTEREE', "pièce altérée : {$e->nom}");
}

$attribuee = file_get_contents("$racine/tests/vectors/contrats/procedure_attribuee.json");
$a = json_decode($attribuee, true);
$d = json_decode(Procedure::genererDonneesDocuments($attribuee, json($s['organisation']), json(['lot' => 1])), true);
verifie($d['consultation']['reference'] === $a['consultation']['identification']['reference'], 'référence lue dans l\'état');
$pli = $a['decisions']['1']['decision']['attributaires'][0]['pli'];
foreach ($a['plis'] as $x) {
    if ($x['numero'] === $pli) {
        verifie(str_contains(json($d), $x['entreprise']['raison_sociale']), 'attributaire du lot 1 lu dans l\'état');
    }
}
try {
    Procedure::genererDonneesDocuments($attribuee, json($s['organisation']), json(['lot' => 9]));
    verifie(false, 'lot inconnu accepté');
} catch (ErreurMpe $e) {
    verifie($e->nom === 'LOT_INCONNU', "lot inconnu : {$e->nom}");
}

if ($echecs) {
    fwrite(STDERR, "$echecs échec(s)\n");
    exit(1);
}
echo "test_procedure_modification.php : lettre de modification et données des formulaires OK\n";
