<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/** Le chiffrement CMS des plis. Les gros fichiers passent par chemin, en flux. */
final class Cms
{
    /** Chiffre pour chaque certificat PEM ; rend le CMS DER. $options : JSON ou null. */
    public static function chiffrer(string $donnees, string $certificatsPem, ?string $options = null): string
    {
        [$d, $nd] = Octets::entree($donnees, $g1);
        [$c, $nc] = Octets::entree($certificatsPem, $g2);
        [$o, $no] = Octets::entree($options, $g3);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_chiffrer($d, $nd, $c, $nc, $o, $no, FFI::addr($sortie)));
        return Octets::prendre($sortie);
    }

    /** Déchiffre avec un bi-clé (PKCS#12 ou PEM) ; le clair n'est rendu qu'authentifié. */
    public static function dechiffrer(string $cms, string $bicle, ?string $motDePasse = null): string
    {
        [$e, $ne] = Octets::entree($cms, $g1);
        [$b, $nb] = Octets::entree($bicle, $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer($e, $ne, $b, $nb, $motDePasse, FFI::addr($sortie)));
        return Octets::prendre($sortie);
    }

    /**
     * Déchiffre avec une clé privée seule ou avec son certificat (PEM/DER PKCS#8, PKCS#1, SEC1,
     * PKCS#12 ; RSA, P-256/384/521, X25519). $legacy ouvre aussi Triple-DES, DES et RC2.
     * @return array{0: string, 1: array<string, mixed>} le clair (authentifié) et le rapport
     */
    public static function dechiffrerCle(string $cms, string $cle, ?string $motDePasse = null, bool $legacy = false): array
    {
        [$e, $ne] = Octets::entree($cms, $g1);
        [$k, $nk] = Octets::entree($cle, $g2);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g3);
        $clair = Octets::sortie();
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_cle(
            $e, $ne, $k, $nk, $motDePasse, $o, $no, FFI::addr($clair), FFI::addr($rapport)
        ));
        $texte = Octets::prendre($clair);
        return [$texte, json_decode(Octets::prendre($rapport), true, 512, JSON_THROW_ON_ERROR)];
    }

    /** Chiffre le fichier $entree dans $sortie (en flux, écrit entier ou pas du tout). */
    public static function chiffrerFichier(string $entree, string $sortie, string $certificatsPem, ?string $options = null): void
    {
        [$c, $nc] = Octets::entree($certificatsPem, $g1);
        [$o, $no] = Octets::entree($options, $g2);
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_chiffrer_fichier($entree, $sortie, $c, $nc, $o, $no));
    }
}
