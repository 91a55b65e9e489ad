<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/**
 * Les avis eForms : avis de marché (16, 17), d'attribution (29, 30), rectificatif, leur
 * pré-contrôle (un constat par terme métier, avec le champ à remplir) et la lecture de tout
 * avis. Les entrées en JSON, les résultats décodés (`xml` porte l'avis écrit).
 */
final class Avis
{
    /** @return array<string, mixed> */
    private static function decoder(\FFI\CData $sortie): array
    {
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * L'avis de marché (`$sousType` "16" ou "17") : `sous_type`, `identifiant`,
     * `identifiant_procedure`, `xml`, `avertissements`.
     * @return array<string, mixed>
     */
    public static function genererMarche(string $sousType, string $consultation, string $organisation, string $donnees, string $maintenant): array
    {
        [$c, $nc] = Octets::entree($consultation, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        [$d, $nd] = Octets::entree($donnees, $g3);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_generer_marche($sousType, $c, $nc, $o, $no, $d, $nd, $maintenant, FFI::addr($sortie)));
        return self::decoder($sortie);
    }

    /**
     * Les constats de l'avis de marché (`code`, `gravite`, `bt`, `champ`, `message`).
     * @return list<array<string, mixed>>
     */
    public static function verifierMarche(string $sousType, string $consultation, string $organisation, string $donnees, string $maintenant): array
    {
        [$c, $nc] = Octets::entree($consultation, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        [$d, $nd] = Octets::entree($donnees, $g3);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_verifier_marche($sousType, $c, $nc, $o, $no, $d, $nd, $maintenant, FFI::addr($sortie)));
        return self::decoder($sortie);
    }

    /**
     * L'avis d'attribution ("29" ou "30") d'un état de procédure ; `$contrats` : le contrat
     * de chaque lot attribué (JSON `[{lot, contrat}]`) ou null.
     * @return array<string, mixed>
     */
    public static function genererAttribution(string $sousType, string $procedure, string $organisation, string $donnees, ?string $contrats, string $maintenant): array
    {
        [$p, $np] = Octets::entree($procedure, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        [$d, $nd] = Octets::entree($donnees, $g3);
        [$k, $nk] = Octets::entree($contrats, $g4);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_generer_attribution($sousType, $p, $np, $o, $no, $d, $nd, $k, $nk, $maintenant, FFI::addr($sortie)));
        return self::decoder($sortie);
    }

    /** @return list<array<string, mixed>> Les constats de l'avis d'attribution. */
    public static function verifierAttribution(string $sousType, string $procedure, string $organisation, string $donnees, ?string $contrats, string $maintenant): array
    {
        [$p, $np] = Octets::entree($procedure, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        [$d, $nd] = Octets::entree($donnees, $g3);
        [$k, $nk] = Octets::entree($contrats, $g4);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_verifier_attribution($sousType, $p, $np, $o, $no, $d, $nd, $k, $nk, $maintenant, FFI::addr($sortie)));
        return self::decoder($sortie);
    }

    /**
     * L'avis rectificatif de `$avisInitial` (XML tel qu'envoyé), pour les modifications de
     * la consultation publiée depuis (versions du DCE de la procédure).
     * @return array<string, mixed>
     */
    public static function genererRectificatif(string $procedure, string $organisation, string $donnees, string $avisInitial, string $maintenant): array
    {
        [$p, $np] = Octets::entree($procedure, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        [$d, $nd] = Octets::entree($donnees, $g3);
        [$a, $na] = Octets::entree($avisInitial, $g4);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_generer_rectificatif($p, $np, $o, $no, $d, $nd, $a, $na, $maintenant, FFI::addr($sortie)));
        return self::decoder($sortie);
    }

    /** @return array<string, mixed> Le résumé de tout avis eForms. */
    public static function lire(string $avis): array
    {
        [$a, $na] = Octets::entree($avis, $g);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_lire($a, $na, FFI::addr($sortie)));
        return self::decoder($sortie);
    }
}
