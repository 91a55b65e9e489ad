<?php
declare(strict_types=1);

namespace Mpe;

/** Le journal chaîné d'une procédure. */
final class Journal
{
    /** Lève ErreurProcedure (JOURNAL_CORROMPU) si la chaîne ou sa tête ne tient pas. */
    public static function verifier(string $journal, ?string $etat = null): void
    {
        [$j, $nj] = Octets::entree($journal, $g1);
        [$e, $ne] = Octets::entree($etat, $g2);
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_journal_verifier($j, $nj, $e, $ne));
    }
}
