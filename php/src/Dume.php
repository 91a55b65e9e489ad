<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/** Le DUME (ESPD) : demande de l'acheteur écrite, tout DUME lu, réponse comparée à sa demande. */
final class Dume
{
    /**
     * La demande (`$version` "2.1.1" ou "4.1.0") : `version`, `identifiant`, `criteres`, `xml`.
     * @return array<string, mixed>
     */
    public static function genererDemande(string $consultation, string $organisation, string $version, string $maintenant): array
    {
        [$c, $nc] = Octets::entree($consultation, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_dume_generer_demande($c, $nc, $o, $no, $version, $maintenant, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, mixed> Le résumé d'un DUME (demande ou réponse). */
    public static function lire(string $dume): array
    {
        [$d, $nd] = Octets::entree($dume, $g);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_dume_lire($d, $nd, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * Les écarts (`sujet`, `message`) d'une réponse à sa demande et à l'entreprise du pli
     * (JSON `{"siret": ...}` ou `{"etranger": {"pays", "numero"}}`).
     * @return list<array<string, string>>
     */
    public static function comparer(string $reponse, string $demande, string $entreprise): array
    {
        [$r, $nr] = Octets::entree($reponse, $g1);
        [$d, $nd] = Octets::entree($demande, $g2);
        [$e, $ne] = Octets::entree($entreprise, $g3);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_dume_comparer($r, $nr, $d, $nd, $e, $ne, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }
}
