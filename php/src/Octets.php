<?php
declare(strict_types=1);

namespace Mpe;

use FFI;
use FFI\CData;

/** Les tampons de l'ABI : entrées (pointeur, longueur) et sorties `mpe_octets`. */
final class Octets
{
    /** Une chaîne PHP copiée dans un tampon C ; rend [pointeur, longueur] (garder $garde). */
    public static function entree(?string $s, mixed &$garde): array
    {
        if ($s === null) {
            return [null, 0];
        }
        $n = strlen($s);
        $garde = Bibliotheque::ffi()->new('uint8_t[' . max(1, $n) . ']');
        if ($n > 0) {
            FFI::memcpy($garde, $s, $n);
        }
        return [FFI::cast('uint8_t *', $garde), $n];
    }

    /** Un `mpe_octets` vide, à passer par FFI::addr() comme sortie. */
    public static function sortie(): CData
    {
        return Bibliotheque::ffi()->new('mpe_octets');
    }

    /** Le contenu d'une sortie en chaîne PHP ; le tampon est libéré. */
    public static function prendre(CData $o): string
    {
        $s = $o->longueur > 0 ? FFI::string($o->donnees, $o->longueur) : '';
        Bibliotheque::ffi()->mpe_octets_liberer(FFI::addr($o));
        return $s;
    }
}
