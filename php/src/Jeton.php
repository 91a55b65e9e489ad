<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/**
 * Les jetons et cartes à puce (PKCS#11) : lister les jetons d'un module et leurs certificats
 * (colonne « Conformité »), signer avec une clé qui ne quitte jamais le jeton. Une clé se
 * désigne par ['module' => chemin, 'jeton' => libellé, 'cle' => libellé] (ou 'id', le CKA_ID
 * hexadécimal) ; le code PIN vient de l'hôte. Le déchiffrement : Cms::dechiffrerJeton().
 */
final class Jeton
{
    /**
     * Les jetons du module et leurs certificats, la conformité jugée à $maintenant (RFC 3339).
     * @return list<array<string, mixed>>
     */
    public static function lister(string $module, string $maintenant): array
    {
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_pkcs11_lister($module, $maintenant, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * Signe $donnees (le PDF pour 'pades') avec la clé du jeton : $format 'cades', 'xades' ou
     * 'pades' ; $chainePem le reste de la chaîne (ou null) ; $options le JSON des options de
     * signature (`date` requise), comme Signature.
     * @param array<string, string> $reference
     */
    public static function signer(string $format, array $reference, ?string $pin, ?string $chainePem, string $donnees, string $options): string
    {
        [$r, $nr] = Octets::entree(json_encode($reference, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), $g1);
        [$c, $nc] = Octets::entree($chainePem, $g2);
        [$d, $nd] = Octets::entree($donnees, $g3);
        [$o, $no] = Octets::entree($options, $g4);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_signature_signer_jeton(
            $format, $r, $nr, $pin, $c, $nc, $d, $nd, $o, $no, FFI::addr($sortie)
        ));
        return Octets::prendre($sortie);
    }

    /**
     * Signe le fichier $fichier (en flux pour CAdES/XAdES) dans $sortie, entier ou pas du tout.
     * @param array<string, string> $reference
     */
    public static function signerFichier(string $format, array $reference, ?string $pin, ?string $chainePem, string $fichier, string $sortie, string $options): void
    {
        [$r, $nr] = Octets::entree(json_encode($reference, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), $g1);
        [$c, $nc] = Octets::entree($chainePem, $g2);
        [$o, $no] = Octets::entree($options, $g3);
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_signature_signer_fichier_jeton(
            $format, $r, $nr, $pin, $c, $nc, $fichier, $sortie, $o, $no
        ));
    }
}
