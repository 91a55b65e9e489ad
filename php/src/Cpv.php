<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/** Les codes CPV de la liste officielle. */
final class Cpv
{
    /** @return array{code: string, libelle: string, division: int, categorie: string} */
    public static function chercher(string $code): array
    {
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cpv_chercher($code, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }
}
