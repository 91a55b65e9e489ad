<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/** Les bi-clés et identités. */
final class Bicle
{
    /**
     * Une identité de signature de TEST pour essayer « signer puis vérifier » : une AC de test
     * et un certificat de signature qu'elle émet pour $sujet (RFC 4514, ex. "CN=Jeanne
     * Essai,O=Exemple SA,C=FR" ; la mention « IDENTITE DE TEST » y est ajoutée), valable à
     * partir de $maintenant (RFC 3339). Jamais « adaptée pour les marchés publics ».
     * @return array{0: string, 1: string} le PKCS#12 (AES-256, PBKDF2, AC incluse) protégé par
     *   $motDePasse, et le certificat PEM de l'AC (l'ancre à donner à la vérification)
     */
    public static function genererIdentiteTest(string $sujet, string $maintenant, string $motDePasse, int $joursValidite = 365): array
    {
        $json = json_encode(['sujet' => $sujet, 'jours_validite' => $joursValidite], JSON_THROW_ON_ERROR);
        [$p, $np] = Octets::entree($json, $g1);
        $p12 = Octets::sortie();
        $ac = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_identite_test_generer(
            $p, $np, $maintenant, $motDePasse, FFI::addr($p12), FFI::addr($ac)
        ));
        $pkcs12 = Octets::prendre($p12);
        return [$pkcs12, Octets::prendre($ac)];
    }
}
