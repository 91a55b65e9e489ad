<?php
// PHP FFI test of mpe_contrat_generer_depuis_decision: the contract of an attributed lot from a
// stored procedure state, each refusal with its code and its name, then its DECP export.
// Run from the repo root with MPE_LIB set.
require __DIR__ . '/lib/mpe.php';
$ffi = mpe_ffi();
function contrat(string $p, string $o, array $k, int $lot, $out): int {
    global $ffi;
    $kj = json_encode($k, JSON_UNESCAPED_UNICODE);
    return $ffi->mpe_contrat_generer_depuis_decision(buf($p), strlen($p), buf($o), strlen($o), buf($kj), strlen($kj), $lot, FFI::addr($out));
}

$v = __DIR__ . '/../vectors/contrats';
$procedure = file_get_contents("$v/procedure_attribuee.json");
$organisation = file_get_contents("$v/organisation.json");
$k = [
    'numero' => '2026-0611-02', 'dateNotification' => '2027-01-05', 'datePublicationDonnees' => '2027-01-08',
    'dureeMois' => 6, 'formePrix' => 'Unitaire', 'typesPrix' => ['Définitif révisable'],
    'entreprises' => [['typeIdentifiant' => 'SIRET', 'id' => '80103456700017', 'pme' => true, 'codeApe' => '43.22B']],
];
$out = $ffi->new('mpe_octets');

$st = contrat($procedure, $organisation, $k, 2, $out);
verifie($st === 0, 'lot 2');
$c = json_decode(FFI::string($out->donnees, $out->longueur), true);
$ffi->mpe_octets_liberer(FFI::addr($out));
verifie($c['montant'] === 395000.5, 'montant avec centimes');
verifie($c['titulaires'][0]['raisonSociale'] === 'Thermique & Ventilation Est', 'raison sociale');
verifie($c['titulaires'][0]['pme'] === true && $c['titulaires'][0]['codeApe'] === '43.22B', 'détails de l\'entreprise');
verifie($c['acheteur']['id'] === '21690123100011', 'acheteur');
verifie(str_contains($c['objet'], 'lot 2 : '), 'objet');

// The contract exports to DECP 2022.
$liste = json_encode([$c], JSON_UNESCAPED_UNICODE);
$st = $ffi->mpe_decp_exporter_json(buf($liste), strlen($liste), '2027-01-10', FFI::addr($out));
verifie($st === 0, 'export DECP');
$decp = json_decode(FFI::string($out->donnees, $out->longueur), true);
verifie($decp['marches']['marche'][0]['formePrix'] === 'Unitaire', 'DECP');
$ffi->mpe_octets_liberer(FFI::addr($out));

// Refusals, by code and by name.
$cas = [
    [9, $k, 'LOT_INCONNU'],
    [3, ['numero' => 'X', 'decisionDu' => '2026-12-18T09:30:00Z'], 'DECISION_REINITIALISEE'],
    [1, ['dureeMois' => 3], 'CONTRAT_INCOHERENT'],
];
foreach ($cas as [$lot, $kk, $nom]) {
    $st = contrat($procedure, $organisation, $kk, $lot, $out);
    verifie($ffi->mpe_statut_nom($st) === $nom, "$nom (reçu $st)");
    verifie($out->donnees === null, "$nom : pas de sortie");
}
$sans = str_replace('"decisions":{', '"_decisions":{', $procedure);
$st = contrat($sans, $organisation, $k, 1, $out);
verifie($ffi->mpe_statut_nom($st) === 'DECISION_ABSENTE', 'DECISION_ABSENTE');
verifie($st === 710, 'code 710');

done('test_contrats.php');
