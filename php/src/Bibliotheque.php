<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/**
 * L'accès à libmpe. Sous un serveur web (php-fpm), Debian règle `ffi.enable=preload` : FFI
 * n'est permis qu'aux scripts préchargés, qui déclarent l'API une fois (`preload.php`, portée
 * `MPE`) ; chaque requête la retrouve par `FFI::scope('MPE')`. En ligne de commande
 * (`ffi.enable=1`), elle est déclarée à la première utilisation.
 */
final class Bibliotheque
{
    public const PORTEE = 'MPE';
    private static ?FFI $ffi = null;

    public static function ffi(): FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        try {
            return self::$ffi = FFI::scope(self::PORTEE);
        } catch (\Throwable) {
            return self::$ffi = FFI::cdef(self::entete(), self::chemin());
        }
    }

    /** Le chemin de libmpe : `MPE_LIB`, sinon le soname installé. */
    public static function chemin(): string
    {
        $env = getenv('MPE_LIB');
        return $env !== false && $env !== '' ? $env : 'libmpe.so.0';
    }

    /** Les déclarations de l'API (mpe_php.h : sans lignes de préprocesseur). */
    public static function entete(): string
    {
        $env = getenv('MPE_ENTETE');
        $chemin = $env !== false && $env !== '' ? $env : dirname(__DIR__, 2) . '/include/mpe_php.h';
        $texte = file_get_contents($chemin);
        if ($texte === false) {
            throw new ErreurES("en-tête introuvable : $chemin", 103, 'ES');
        }
        return $texte;
    }

    /**
     * L'en-tête à précharger : les déclarations précédées de FFI_SCOPE et FFI_LIB. À écrire
     * une fois au déploiement (`php php/entete.php > /etc/mpe/mpe_preload.h`) pour
     * `ffi.preload`, ou chargé par `precharger()` depuis opcache.preload.
     */
    public static function entetePrechargement(): string
    {
        return '#define FFI_SCOPE "' . self::PORTEE . "\"\n#define FFI_LIB \"" . self::chemin() . "\"\n" . self::entete();
    }

    /**
     * Pour opcache.preload sans `opcache.preload_user` (PHP refuse FFI::load avec lui) :
     * déclare l'API sous la portée MPE, sauf si `ffi.preload` l'a déjà fait.
     */
    public static function precharger(): void
    {
        try {
            FFI::scope(self::PORTEE);
            return;
        } catch (\Throwable) {
        }
        $fichier = tempnam(sys_get_temp_dir(), 'mpe') . '.h';
        file_put_contents($fichier, self::entetePrechargement());
        try {
            FFI::load($fichier);
        } finally {
            unlink($fichier);
        }
    }
}
