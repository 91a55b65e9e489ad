<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/**
 * Le cycle de vie d'une consultation : l'état (JSON) et les lignes du journal (JSON Lines)
 * que l'hôte garde. Fonctions pures de (état, action, contexte).
 */
final class Procedure
{
    /** @return array{0: string, 1: string} [état JSON, lignes du journal] */
    public static function nouvelle(string $consultation, string $contexte): array
    {
        [$c, $nc] = Octets::entree($consultation, $g1);
        [$x, $nx] = Octets::entree($contexte, $g2);
        $etat = Octets::sortie();
        $journal = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_procedure_nouvelle($c, $nc, $x, $nx, FFI::addr($etat), FFI::addr($journal)));
        return [Octets::prendre($etat), Octets::prendre($journal)];
    }

    /** @return array{0: string, 1: string} [nouvel état JSON, lignes ajoutées au journal] */
    public static function appliquer(string $etat, string $action, string $contexte): array
    {
        [$e, $ne] = Octets::entree($etat, $g1);
        [$a, $na] = Octets::entree($action, $g2);
        [$x, $nx] = Octets::entree($contexte, $g3);
        $nouvelEtat = Octets::sortie();
        $journal = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_procedure_appliquer(
            $e, $ne, $a, $na, $x, $nx, FFI::addr($nouvelEtat), FFI::addr($journal)
        ));
        return [Octets::prendre($nouvelEtat), Octets::prendre($journal)];
    }
}
