<?php
// Le script servi par php-fpm dans tests/php_fpm.sh (et lancé en CLI par la commande de
// test) : le paquet Mpe utilisé comme par une plateforme, sans FFI::cdef au moment de la
// requête. Chaque ligne « ok ... » est vérifiée par l'appelant.
declare(strict_types=1);

use Mpe\Cms;
use Mpe\Consultation;
use Mpe\Cpv;
use Mpe\ErreurMpe;
use Mpe\ErreurValidation;
use Mpe\Journal;

if (!class_exists(Cpv::class, false)) {
    require __DIR__ . '/../preload.php'; // CLI (ffi.enable=1) : pas de préchargement
}
header('Content-Type: text/plain; charset=utf-8');
$racine = dirname(__DIR__, 2);
$echecs = 0;
function verifie(bool $ok, string $quoi): void
{
    global $echecs;
    echo ($ok ? 'ok ' : 'ÉCHEC ') . $quoi . "\n";
    if (!$ok) {
        $echecs++;
    }
}

verifie(in_array(ini_get('ffi.enable'), ['preload', '1'], true), 'ffi.enable=' . ini_get('ffi.enable'));
$cpv = Cpv::chercher('45000000-7');
verifie($cpv['code'] === '45000000-7' && $cpv['libelle'] !== '', 'cpv');
try {
    Cpv::chercher('45000000-1');
    verifie(false, 'exception par famille');
} catch (ErreurValidation $e) {
    verifie($e->nom === 'CPV_CLE_CONTROLE' && $e->getCode() === 203, 'exception par famille (' . $e->nom . ')');
}
$consultation = file_get_contents("$racine/examples/data/consultation.json");
$canonique = Consultation::normaliser($consultation);
verifie(str_contains($canonique, 'Villeurbanne'), 'consultation normalisée (accents compris)');
$constats = Consultation::valider($consultation, file_get_contents("$racine/examples/data/organisation.json"), '2026-11-02T09:00:00Z');
verifie(is_array($constats), 'consultation validée (' . count($constats) . ' constats)');
$v = "$racine/tests/vectors/crypto";
$texte = "Offre de la société « Dupont » : référence 2026-07";
$env = Cms::chiffrer($texte, file_get_contents("$v/alice.cert.pem"));
verifie(Cms::dechiffrer($env, file_get_contents("$v/alice.p12"), 'secret') === $texte, 'chiffrement aller-retour (UTF-8)');
try {
    Journal::verifier('');
    verifie(false, 'journal vide refusé');
} catch (ErreurMpe $e) {
    verifie($e->nom === 'JOURNAL_CORROMPU', 'journal vide refusé');
}
echo $echecs === 0 ? "TOUT EST PASSÉ\n" : "$echecs ÉCHEC(S)\n";
