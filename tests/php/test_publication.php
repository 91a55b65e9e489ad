<?php
// PHP test of the eForms notices and the DUME through the Mpe package (php/src/Avis.php,
// Dume.php): the contract notice 16 of the example consultation written and read back, the
// pre-check of a restricted procedure without BT-50, the DUME request written and read back,
// the typed refusals; then the SDK's Schematron rules (php/src/ValidateurAvis.php;
// MPE_EFORMS_SDK, else shared/data/eforms/1.15.1 next to the repository).
declare(strict_types=1);
require __DIR__ . '/lib/mpe.php';
require dirname(__DIR__, 2) . '/php/preload.php';

use Mpe\Avis;
use Mpe\Dume;
use Mpe\ErreurEntree;
use Mpe\ErreurES;
use Mpe\ErreurPublication;
use Mpe\ValidateurAvis;

$root = dirname(__DIR__, 2);
$c = file_get_contents("$root/examples/data/consultation.json");
$o = file_get_contents("$root/examples/data/organisation.json");
$d = file_get_contents("$root/tests/vectors/publication/donnees_avis.json");
$t = '2026-11-03T09:00:00Z';

$avis = Avis::genererMarche('16', $c, $o, $d, $t);
check($avis['sous_type'] === '16' && $avis['avertissements'] === [], 'avis 16 écrit');
$r = Avis::lire($avis['xml']);
check($r['sous_type'] === '16' && $r['identifiant'] === $avis['identifiant'], 'avis relu');
check(array_column($r['lots'], 'identifiant') === ['LOT-0001', 'LOT-0002', 'LOT-0003'], 'lots relus');

$restreinte = str_replace('"appel_offres_ouvert"', '"appel_offres_restreint"', $c);
$k = array_values(array_filter(Avis::verifierMarche('16', $restreinte, $o, $d, $t), fn ($x) => $x['bt'] === 'BT-50-Lot'));
check(count($k) > 0 && $k[0]['champ'] === '$.consultation.modalites.nombre_minimal_candidats', 'constat BT-50');

$refus = function (callable $f, string $classe, string $nom, string $quoi): void {
    try {
        $f();
        check(false, "$quoi refusé");
    } catch (\Mpe\ErreurMpe $e) {
        check($e instanceof $classe && $e->nom === $nom, "$quoi : " . get_class($e) . ' ' . $e->nom);
    }
};
$refus(fn () => Avis::genererMarche('16', $restreinte, $o, $d, $t), ErreurPublication::class, 'AVIS_INCOMPLET', 'avis incomplet');
$refus(fn () => Avis::genererMarche('18', $c, $o, $d, $t), ErreurPublication::class, 'AVIS_NON_PRIS_EN_CHARGE', 'sous-type inconnu');
$refus(fn () => Avis::genererMarche('16', '{', $o, $d, $t), ErreurEntree::class, 'JSON_INVALIDE', 'JSON malformé');

$dume = Dume::genererDemande($c, $o, '4.1.0', $t);
$lu = Dume::lire($dume['xml']);
check($lu['nature'] === 'demande' && $lu['version'] === '4.1.0' && $lu['criteres'] === $dume['criteres'], 'DUME relu');
$ecarts = Dume::comparer($dume['xml'], $dume['xml'], '{"siret":"51802345600024"}');
check(in_array('nature', array_column($ecarts, 'sujet'), true), 'une demande n\'est pas une réponse');
$refus(fn () => Dume::genererDemande($c, $o, '3.0.0', $t), ErreurPublication::class, 'DUME_VERSION_NON_PRISE_EN_CHARGE', 'version inconnue');

// The notice mpe wrote is valid by the SDK's rules; the SDK's INVALID_cn_24_multiple fails
// rules of its own report (examples/reports/INVALID_cn_24_multiple.svrl).
$sdk = getenv('MPE_EFORMS_SDK') ?: (is_dir("$root/../shared/data/eforms/1.15.1") ? "$root/../shared/data/eforms/1.15.1" : "$root/../../shared/data/eforms/1.15.1");
$v = new ValidateurAvis($sdk);
$r = $v->valider($avis['xml'], $t);
check($r['valide'] === true && $r['phase'] === 'eforms-16' && $r['version_sdk'] === '1.15.1' && $r['echecs'] === [], 'avis mpe valide par les règles du SDK');
$r = $v->valider(file_get_contents("$sdk/examples/invalid-notices/INVALID_cn_24_multiple.xml"), $t);
$ids = array_column($r['echecs'], 'id');
check($r['valide'] === false && in_array('BR-BT-00024-0178', $ids, true) && in_array('ND-Company-16', $ids, true), 'exemple invalide du SDK refusé');
$refus(fn () => $v->valider('<a/>', $t), ErreurPublication::class, 'AVIS_NON_EFORMS', 'pas un avis eForms');
$refus(fn () => $v->valider($avis['xml'], $t, 'eforms-99'), ErreurPublication::class, 'PHASE_INCONNUE', 'phase inconnue');
$v->fermer();
$v->fermer();
$refus(fn () => new ValidateurAvis('/nonexistent-sdk'), ErreurES::class, 'ES', 'SDK absent');

done("test_publication.php");
