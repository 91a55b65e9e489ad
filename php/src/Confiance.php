<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/**
 * Les listes de confiance de l'UE (ETSI TS 119 612) et la qualification d'un certificat
 * (ETSI TS 119 615). mpe ne télécharge rien : l'hôte donne les octets de la LOTL, les
 * certificats annoncés pour elle par le Journal officiel, les LOTL pivots qu'elle désigne
 * et les listes nationales. Le tableau rendu par
 * {@see Confiance::listes()} se passe aussi à {@see Signature::verifier()} dans les
 * options, sous `listes_confiance`.
 */
final class Confiance
{
    /**
     * Les listes comme l'API C les prend (octets en base64).
     * @param list<string> $listes les listes nationales
     * @param array<string, string> $pivots les LOTL pivots : adresse (telle que la LOTL la
     *   donne) => octets
     * @return array{lotl: string, certificats_lotl_pem: string, listes: list<string>,
     *   pivots: list<array{adresse: string, liste: string}>}
     */
    public static function listes(string $lotl, string $certificatsLotlPem, array $listes, array $pivots = []): array
    {
        $p = [];
        foreach ($pivots as $adresse => $octets) {
            $p[] = ['adresse' => (string) $adresse, 'liste' => base64_encode($octets)];
        }
        return [
            'lotl' => base64_encode($lotl),
            'certificats_lotl_pem' => $certificatsLotlPem,
            'listes' => array_values(array_map('base64_encode', $listes)),
            'pivots' => $p,
        ];
    }

    /**
     * Vérifie les listes telles qu'elles sont à $date (RFC 3339).
     * @param array<string, mixed> $listes le tableau de {@see Confiance::listes()}
     * @return array<string, mixed> le rapport (`listes` utilisables, `lotl`, `entrees`)
     */
    public static function charger(array $listes, string $date): array
    {
        [$l, $nl] = Octets::entree(json_encode($listes, JSON_THROW_ON_ERROR), $g);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_confiance_charger($l, $nl, $date, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * La qualification du certificat (DER ou PEM) à l'instant de signature $date.
     * @param array<string, mixed> $listes le tableau de {@see Confiance::listes()}
     * @return array<string, mixed> le rapport (`qualification`, `service`, `etapes`)
     */
    public static function qualifier(string $certificat, array $listes, string $date): array
    {
        [$c, $nc] = Octets::entree($certificat, $g1);
        [$l, $nl] = Octets::entree(json_encode($listes, JSON_THROW_ON_ERROR), $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_confiance_qualifier($c, $nc, $l, $nl, $date, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }
}
