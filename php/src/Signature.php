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

    /**
     * B-LT, premier temps : les données de validation (certificats, réponses OCSP, CRL) d'un
     * PDF signé ou d'une CAdES ; $options comme pour verifier().
     * @return array<string, mixed> `certificats`, `reponses_ocsp`, `crls` (DER base64)
     */
    public static function collecterDonneesValidation(string $signe, ?string $options = null): array
    {
        [$s, $ns] = Octets::entree($signe, $g1);
        [$o, $no] = Octets::entree($options, $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_signature_collecter_donnees_validation($s, $ns, $o, $no, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * B-LT : la signature avec ces données (PAdES : son /DSS ; CAdES : son SignedData).
     * @param array<string, mixed> $donnees ce que collecterDonneesValidation() rend
     */
    public static function ajouterDonneesValidation(string $signe, array $donnees): string
    {
        [$s, $ns] = Octets::entree($signe, $g1);
        [$d, $nd] = Octets::entree(json_encode($donnees, JSON_THROW_ON_ERROR), $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_signature_ajouter_donnees_validation($s, $ns, $d, $nd, FFI::addr($sortie)));
        return Octets::prendre($sortie);
    }

    /**
     * B-LTA, premier temps : `requete` (base64) va à l'autorité d'horodatage ; $donnees : le
     * fichier signé d'une CAdES détachée (couvert par l'horodatage d'archive).
     * @return array<string, mixed> l'horodatage préparé, à garder pour finirHorodatageDocument()
     */
    public static function preparerHorodatageDocument(string $signe, ?string $donnees = null, int $nonce = 0): array
    {
        [$s, $ns] = Octets::entree($signe, $g1);
        $sortie = Octets::sortie();
        $ffi = Bibliotheque::ffi();
        if ($donnees === null) {
            ErreurMpe::verifier($ffi->mpe_horodatage_preparer_document($s, $ns, $nonce, FFI::addr($sortie)));
        } else {
            [$d, $nd] = Octets::entree($donnees, $g2);
            ErreurMpe::verifier($ffi->mpe_horodatage_preparer_document_detache($s, $ns, $d, $nd, $nonce, FFI::addr($sortie)));
        }
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * B-LTA, second temps : la signature avec le jeton (ou la TimeStampResp) de l'autorité.
     * @param array<string, mixed> $preparation ce que preparerHorodatageDocument() rend
     */
    public static function finirHorodatageDocument(array $preparation, string $jeton): string
    {
        [$p, $np] = Octets::entree(json_encode($preparation, JSON_THROW_ON_ERROR), $g1);
        [$j, $nj] = Octets::entree($jeton, $g2);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_horodatage_finir_document($p, $np, $j, $nj, FFI::addr($sortie)));
        return Octets::prendre($sortie);
    }
}
