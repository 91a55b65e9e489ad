<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/** La consultation : validation par toutes les règles, forme canonique. */
final class Consultation
{
    /**
     * Les constats des règles (`code`, `gravite`, `chemin`, `message`, `article`).
     * @param string $consultation JSON ; $organisation JSON ou null ; $maintenant RFC 3339
     * @return list<array<string, mixed>>
     */
    public static function valider(string $consultation, ?string $organisation, string $maintenant): array
    {
        [$c, $nc] = Octets::entree($consultation, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_consultation_valider($c, $nc, $o, $no, $maintenant, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /** Le JSON canonique de la consultation (identique en Rust, C, Python, Java). */
    public static function normaliser(string $consultation): string
    {
        [$c, $nc] = Octets::entree($consultation, $g);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_consultation_normaliser($c, $nc, FFI::addr($sortie)));
        return Octets::prendre($sortie);
    }
}
