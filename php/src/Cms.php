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

    /** @return array{0: string, 1: array<string, mixed>} */
    private static function clairEtRapport(\FFI\CData $clair, \FFI\CData $rapport): array
    {
        $texte = Octets::prendre($clair);
        return [$texte, json_decode(Octets::prendre($rapport), true, 512, JSON_THROW_ON_ERROR)];
    }

    /**
     * Déchiffre avec une clé de chiffrement de clé (KEKRecipientInfo, AES key wrap ;
     * `openssl cms -encrypt -secretkey -secretkeyid`) : $kek la clé (16, 24 ou 32 octets),
     * $kekId son identifiant. Aucun destinataire de cet identifiant : AUCUN_DESTINATAIRE.
     * @return array{0: string, 1: array<string, mixed>} le clair (authentifié) et le rapport
     */
    public static function dechiffrerKek(string $cms, string $kek, string $kekId, bool $legacy = false): array
    {
        [$e, $ne] = Octets::entree($cms, $g1);
        [$k, $nk] = Octets::entree($kek, $g2);
        [$i, $ni] = Octets::entree($kekId, $g3);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g4);
        $clair = Octets::sortie();
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_kek(
            $e, $ne, $k, $nk, $i, $ni, $o, $no, FFI::addr($clair), FFI::addr($rapport)
        ));
        return self::clairEtRapport($clair, $rapport);
    }

    /** Comme dechiffrerKek(), du fichier $entree vers $sortie (en flux) ; rend le rapport. */
    public static function dechiffrerFichierKek(string $entree, string $sortie, string $kek, string $kekId, bool $legacy = false): array
    {
        [$k, $nk] = Octets::entree($kek, $g1);
        [$i, $ni] = Octets::entree($kekId, $g2);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g3);
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_fichier_kek(
            $entree, $sortie, $k, $nk, $i, $ni, $o, $no, FFI::addr($rapport)
        ));
        return json_decode(Octets::prendre($rapport), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * Déchiffre avec un mot de passe (PasswordRecipientInfo, PBKDF2 ; `openssl cms -encrypt
     * -pwri_password`), pris octet pour octet. Mauvais mot de passe : MOT_DE_PASSE_INCORRECT.
     * @return array{0: string, 1: array<string, mixed>} le clair (authentifié) et le rapport
     */
    public static function dechiffrerMotDePasse(string $cms, string $motDePasse, bool $legacy = false): array
    {
        [$e, $ne] = Octets::entree($cms, $g1);
        [$m, $nm] = Octets::entree($motDePasse, $g2);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g3);
        $clair = Octets::sortie();
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_mot_de_passe(
            $e, $ne, $m, $nm, $o, $no, FFI::addr($clair), FFI::addr($rapport)
        ));
        return self::clairEtRapport($clair, $rapport);
    }

    /** Comme dechiffrerMotDePasse(), du fichier $entree vers $sortie (en flux). */
    public static function dechiffrerFichierMotDePasse(string $entree, string $sortie, string $motDePasse, bool $legacy = false): array
    {
        [$m, $nm] = Octets::entree($motDePasse, $g1);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g2);
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_fichier_mot_de_passe(
            $entree, $sortie, $m, $nm, $o, $no, FFI::addr($rapport)
        ));
        return json_decode(Octets::prendre($rapport), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * Déchiffre avec une clé d'un jeton ou d'une carte (PKCS#11) qui n'en sort jamais.
     * $reference : ['module' => chemin, 'jeton' => libellé, 'cle' => libellé] ou 'id' (CKA_ID
     * hexadécimal) au lieu de 'cle'. Erreurs : PIN_INCORRECT, JETON_ABSENT,
     * CLE_ABSENTE_DU_JETON, MODULE_PKCS11.
     * @param array<string, string> $reference
     * @return array{0: string, 1: array<string, mixed>} le clair (authentifié) et le rapport
     */
    public static function dechiffrerJeton(string $cms, array $reference, ?string $pin, bool $legacy = false): array
    {
        [$e, $ne] = Octets::entree($cms, $g1);
        [$r, $nr] = Octets::entree(json_encode($reference, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), $g2);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g3);
        $clair = Octets::sortie();
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_jeton(
            $e, $ne, $r, $nr, $pin, $o, $no, FFI::addr($clair), FFI::addr($rapport)
        ));
        return self::clairEtRapport($clair, $rapport);
    }

    /**
     * Comme dechiffrerJeton(), du fichier $entree vers $sortie (en flux) ; rend le rapport.
     * @param array<string, string> $reference
     */
    public static function dechiffrerFichierJeton(string $entree, string $sortie, array $reference, ?string $pin, bool $legacy = false): array
    {
        [$r, $nr] = Octets::entree(json_encode($reference, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES), $g1);
        [$o, $no] = Octets::entree($legacy ? '{"legacy":true}' : null, $g2);
        $rapport = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_cms_dechiffrer_fichier_jeton(
            $entree, $sortie, $r, $nr, $pin, $o, $no, FFI::addr($rapport)
        ));
        return json_decode(Octets::prendre($rapport), true, 512, JSON_THROW_ON_ERROR);
    }
}
