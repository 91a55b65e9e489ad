<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/** Signatures PAdES, CAdES et XAdES : un rapport pour les trois. */
final class Signature
{
    /**
     * Vérifie une signature ; $donnees est le fichier signé d'une signature détachée.
     * @return array<string, mixed> le rapport (`statut`, `signatures`, `resume`)
     */
    public static function verifier(string $signature, ?string $donnees = null, ?string $options = null): array
    {
        [$s, $ns] = Octets::entree($signature, $g1);
        [$d, $nd] = Octets::entree($donnees, $g2);
        [$o, $no] = Octets::entree($options, $g3);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_signature_verifier($s, $ns, $d, $nd, $o, $no, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }
}
