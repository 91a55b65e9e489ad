<?php
declare(strict_types=1);

namespace Mpe;

/**
 * Une erreur de mpe : `getCode()` est le code stable (par ex. 303), `nom` son nom
 * (`HORS_DELAI`). Une sous-classe par famille (centaine du code).
 */
class ErreurMpe extends \RuntimeException
{
    public function __construct(string $message, int $code, public readonly string $nom)
    {
        parent::__construct($message, $code);
    }

    /** L'exception de la famille d'un statut, avec le message du fil. */
    public static function depuisStatut(int $statut): self
    {
        $ffi = Bibliotheque::ffi();
        $nom = (string) ($ffi->mpe_statut_nom($statut) ?? 'INCONNU');
        $message = (string) ($ffi->mpe_derniere_erreur() ?? $nom);
        $classe = match (true) {
            $statut === 100 => ErreurInterne::class,
            $statut === 103 => ErreurES::class,
            $statut < 200 => ErreurEntree::class,
            $statut < 300 => ErreurValidation::class,
            $statut < 400 => ErreurProcedure::class,
            $statut < 500 => ErreurChiffrement::class,
            $statut < 600 => ErreurSignature::class,
            $statut < 700 => ErreurDocument::class,
            $statut < 800 => ErreurDecp::class,
            $statut < 900 => ErreurMessagerie::class,
            default => ErreurPublication::class,
        };
        return new $classe($message, $statut, $nom);
    }

    /** Lève l'exception d'un statut non nul. */
    public static function verifier(int $statut): void
    {
        if ($statut !== 0) {
            throw self::depuisStatut($statut);
        }
    }
}
