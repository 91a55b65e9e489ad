<?php
// PHP FFI through the package (php/src): the dépôt on the envelopes' bytes and the opening
// through the callbacks, as a PHP platform embeds them. The envelopes are made by
// `openssl cms -encrypt` (tests/c/fabriquer_plis.py). Refusals each with their code and
// nothing changed; 100 plis deposited and opened through `lire`/`enregistrer`/`progression`;
// stopped by the host after 7 envelopes and started again: same journal and state.
//
//   php -d ffi.enable=1 tests/php/test_plis.php                 the test
//   php -d ffi.enable=1 tests/php/test_plis.php ETAT DONNEES SORTIE
//       opens the plis of the state ETAT (JSON) from DONNEES/pli-<n>/<enveloppe>.p7m into
//       SORTIE and prints the journal lines (used by tests/interop/test_plis_langages.py).
declare(strict_types=1);

use Mpe\ErreurMpe;
use Mpe\Journal;
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

/** The host's storage: the exported folder, read by position. */
function lecteur(string $donnees): callable
{
    return function (int $pli, string $enveloppe, int $position, int $capacite) use ($donnees): string {
        $f = fopen("$donnees/pli-$pli/$enveloppe.p7m", 'rb');
        if ($f === false) {
            throw new RuntimeException("enveloppe absente : pli $pli, $enveloppe");
        }
        fseek($f, $position);
        $s = fread($f, $capacite);
        fclose($f);
        return $s === false ? '' : $s;
    };
}

$cle = file_get_contents("$racine/tests/vectors/crypto/alice.cert.pem") . file_get_contents("$racine/tests/vectors/crypto/alice.key.pem");

if ($argc === 4) {
    [, $etatFichier, $donnees, $sortie] = $argv;
    [, $journal] = Procedure::ouvrirPlis(
        file_get_contents($etatFichier), $cle, null, $sortie, '{"fils": 2}',
        file_get_contents("$donnees/ctx_ouverture.json"), lecteur($donnees)
    );
    echo $journal;
    exit(0);
}

$n = 100;
$donnees = sys_get_temp_dir() . '/mpe-php-plis-' . getmypid();
exec('python3 ' . escapeshellarg("$racine/tests/c/fabriquer_plis.py") . ' ' . escapeshellarg($donnees) . " $n", $_, $rc);
if ($rc !== 0) {
    fwrite(STDERR, "fabriquer_plis.py a échoué\n");
    exit(1);
}
$lireJson = fn (string $nom): string => file_get_contents("$donnees/$nom");

[$etat, $journal] = Procedure::nouvelle($lireJson('consultation.json'), $lireJson('ctx_creation.json'));
[$etat, $j] = Procedure::appliquer($etat, $lireJson('valider.json'), $lireJson('ctx_validation.json'));
$journal .= $j;

// Refusals: each its code, the state unchanged.
$offres = [file_get_contents("$donnees/pli-1/offre-lot-1.p7m"), file_get_contents("$donnees/pli-1/offre-lot-2.p7m")];
foreach ([
    'clair.zip' => 'ENVELOPPE_NON_CHIFFREE',
    'autre-cle.p7m' => 'DESTINATAIRES_INCORRECTS',
    'seule-alice.p7m' => 'CLE_SECOURS_ABSENTE',
    'non-cms.der' => 'ENVELOPPE_NON_CMS',
] as $fichier => $attendu) {
    try {
        Procedure::deposerOctets($etat, $lireJson('depot-1.json'), $lireJson('ctx_depot-1.json'), [file_get_contents("$donnees/$fichier"), ...$offres]);
        verifie(false, "$fichier accepté");
    } catch (ErreurMpe $e) {
        verifie($e->nom === $attendu, "$fichier : attendu $attendu, obtenu {$e->nom}");
    }
}

// 100 plis.
$debut = microtime(true);
for ($i = 1; $i <= $n; $i++) {
    $enveloppes = array_map(fn ($e) => file_get_contents("$donnees/pli-$i/$e.p7m"), ['candidature', 'offre-lot-1', 'offre-lot-2']);
    [$etat, $j] = Procedure::deposerOctets($etat, $lireJson("depot-$i.json"), $lireJson("ctx_depot-$i.json"), $enveloppes);
    $journal .= $j;
}
verifie(substr_count($journal, '"pli_depose"') === $n, "$n plis déposés");

// The opening in a row.
$enregistres = '';
$etapes = [];
[$etat1, $journal1, $bilan1] = Procedure::ouvrirPlis(
    $etat, $cle, null, "$donnees/ouverture-1", '{"fils": 2}', $lireJson('ctx_ouverture.json'), lecteur($donnees),
    function (string $e, string $j) use (&$enregistres): void { $enregistres .= $j; },
    function (array $etape) use (&$etapes): void { $etapes[] = $etape['etape']; },
);
$bilan1 = json_decode($bilan1, true);
verifie(count($bilan1['ouvertes']) === 3 * $n && $bilan1['echecs'] === [], 'toutes les enveloppes ouvertes');
verifie($enregistres === $journal1, 'journal enregistré = journal rendu');
verifie($etapes[0] === 'descripteurs' && $etapes[1] === 'cle_privee' && end($etapes) === 'termine'
    && count(array_filter($etapes, fn ($e) => $e === 'dechiffrement')) === 3 * $n, 'les quatre étapes');
verifie(file_get_contents("$donnees/ouverture-1/pli-42/offre-lot-2/AE_lot2_Façades.pdf") === "contenu de AE_lot2_Façades.pdf du pli 42\n", 'fichier extrait');
try {
    Journal::verifier($journal . $journal1, $etat1);
} catch (ErreurMpe $e) {
    verifie(false, 'journal : ' . $e->getMessage());
}

// Stopped by the host after 7 envelopes, then started again from the stored state.
$stocke = ['etat' => $etat, 'journal' => ''];
$compte = 0;
$arret = function (string $e, string $j) use (&$stocke, &$compte): void {
    if ($compte >= 7) {
        throw new RuntimeException('panne du serveur');
    }
    $compte++;
    $stocke['etat'] = $e;
    $stocke['journal'] .= $j;
};
try {
    Procedure::ouvrirPlis($etat, $cle, null, "$donnees/ouverture-2", null, $lireJson('ctx_ouverture.json'), lecteur($donnees), $arret);
    verifie(false, 'arrêt ignoré');
} catch (ErreurMpe $e) {
    verifie($e->nom === 'OUVERTURE_INTERROMPUE' && str_contains($e->getMessage(), 'panne du serveur'), "arrêt : {$e->nom} {$e->getMessage()}");
}
$compte = -1000000;
[$etat2] = Procedure::ouvrirPlis($stocke['etat'], $cle, null, "$donnees/ouverture-2", null, $lireJson('ctx_ouverture.json'), lecteur($donnees), $arret);
verifie($stocke['journal'] === $journal1, 'même journal après l\'arrêt et la reprise');
verifie($etat2 === $etat1, 'même état final');

exec('rm -rf ' . escapeshellarg($donnees));
printf("test_plis.php : %d plis ouverts en %.1f s\n", $n, microtime(true) - $debut);
exit($echecs === 0 ? 0 : 1);
