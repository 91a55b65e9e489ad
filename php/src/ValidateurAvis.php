<?php
declare(strict_types=1);

namespace Mpe;

use FFI;
use FFI\CData;

/**
 * Valide des avis eForms par les règles Schematron du SDK (celles que TED applique), lues
 * d'un dossier du SDK décompressé (`eforms-sdk/1.15.1`, qui contient `schematrons/static/`).
 * Les règles d'un sous-type sont compilées à son premier avis (quelques secondes), puis
 * gardées : un validateur par version du SDK, gardé pour les avis suivants. Le XSD du SDK
 * n'est pas vérifié par mpe. La poignée est libérée par `fermer()` ou à la destruction.
 */
final class ValidateurAvis
{
    private ?CData $poignee;

    /** `$version` : celle des rapports, ou null pour le nom du dossier. */
    public function __construct(string $dossierSdk, ?string $version = null)
    {
        $p = Bibliotheque::ffi()->new('mpe_validateur_avis *');
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_validateur_ouvrir($dossierSdk, $version, FFI::addr($p)));
        $this->poignee = $p;
    }

    /**
     * Le rapport de l'avis (son XML) par les règles de son sous-type, ou de `$phase` :
     * `valide`, `echecs` (`id`, `role`, `emplacement`…), `indetermines`, `phase`… ;
     * `$maintenant` : l'instant RFC 3339 auquel les règles comparent les échéances.
     * @return array<string, mixed>
     */
    public function valider(string $avis, string $maintenant, ?string $phase = null): array
    {
        if ($this->poignee === null) {
            throw new \LogicException('validateur fermé');
        }
        [$a, $na] = Octets::entree($avis, $g);
        $sortie = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_avis_valider($this->poignee, $a, $na, $phase, $maintenant, FFI::addr($sortie)));
        return json_decode(Octets::prendre($sortie), true, 512, JSON_THROW_ON_ERROR);
    }

    /** Libère la poignée (sans effet la seconde fois). */
    public function fermer(): void
    {
        if ($this->poignee !== null) {
            Bibliotheque::ffi()->mpe_avis_validateur_liberer($this->poignee);
            $this->poignee = null;
        }
    }

    public function __destruct()
    {
        $this->fermer();
    }
}
