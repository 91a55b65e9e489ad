<?php
declare(strict_types=1);

namespace Mpe;

use FFI;

/**
 * Le cycle de vie d'une consultation : l'état (JSON) et les lignes du journal (JSON Lines)
 * que l'hôte garde. Fonctions pures de (état, action, contexte).
 */
final class Procedure
{
    /** @return array{0: string, 1: string} [état JSON, lignes du journal] */
    public static function nouvelle(string $consultation, string $contexte): array
    {
        [$c, $nc] = Octets::entree($consultation, $g1);
        [$x, $nx] = Octets::entree($contexte, $g2);
        $etat = Octets::sortie();
        $journal = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_procedure_nouvelle($c, $nc, $x, $nx, FFI::addr($etat), FFI::addr($journal)));
        return [Octets::prendre($etat), Octets::prendre($journal)];
    }

    /** @return array{0: string, 1: string} [nouvel état JSON, lignes ajoutées au journal] */
    public static function appliquer(string $etat, string $action, string $contexte): array
    {
        [$e, $ne] = Octets::entree($etat, $g1);
        [$a, $na] = Octets::entree($action, $g2);
        [$x, $nx] = Octets::entree($contexte, $g3);
        $nouvelEtat = Octets::sortie();
        $journal = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_procedure_appliquer(
            $e, $ne, $a, $na, $x, $nx, FFI::addr($nouvelEtat), FFI::addr($journal)
        ));
        return [Octets::prendre($nouvelEtat), Octets::prendre($journal)];
    }

    /**
     * Dépose un pli avec les octets de ses enveloppes : `$enveloppes[$i]` (une chaîne
     * d'octets) est l'enveloppe `enveloppes[$i]` de l'action. mpe calcule tailles et SHA-256 et
     * contrôle le chiffrement lui-même ; un refus (ENVELOPPE_NON_CHIFFREE, ENVELOPPE_NON_CMS,
     * DESTINATAIRES_INCORRECTS, CLE_SECOURS_ABSENTE…) lève une ErreurProcedure et ne change rien.
     *
     * @param list<string> $enveloppes
     * @return array{0: string, 1: string} [nouvel état JSON, lignes ajoutées au journal]
     */
    public static function deposerOctets(string $etat, string $action, string $contexte, array $enveloppes): array
    {
        $ffi = Bibliotheque::ffi();
        [$e, $ne] = Octets::entree($etat, $g1);
        [$a, $na] = Octets::entree($action, $g2);
        [$x, $nx] = Octets::entree($contexte, $g3);
        $n = count($enveloppes);
        $ptrs = $ffi->new('uint8_t *[' . max(1, $n) . ']');
        $longueurs = $ffi->new('size_t[' . max(1, $n) . ']');
        $gardes = [];
        foreach (array_values($enveloppes) as $i => $octets) {
            [$p, $l] = Octets::entree($octets, $gardes[$i]);
            $ptrs[$i] = $p;
            $longueurs[$i] = $l;
        }
        $nouvelEtat = Octets::sortie();
        $journal = Octets::sortie();
        ErreurMpe::verifier($ffi->mpe_procedure_deposer_octets(
            $e, $ne, $a, $na, $x, $nx,
            $ffi->cast('const uint8_t **', $ptrs), $ffi->cast('size_t *', $longueurs), $n,
            FFI::addr($nouvelEtat), FFI::addr($journal)
        ));
        return [Octets::prendre($nouvelEtat), Octets::prendre($journal)];
    }

    /**
     * Ouvre les enveloppes encore fermées (candidatures, puis offres), dans la bibliothèque :
     * `$lire(int $pli, string $enveloppe, int $position, int $capacite): string` rend au plus
     * `$capacite` octets de l'enveloppe (`candidature`, `offre-lot-2`…) à partir de
     * `$position` (chaîne vide : fin) ; `$enregistrer(string $etat, string $journal)` garde
     * l'état et les lignes du journal après chaque enveloppe (une exception arrête
     * l'ouverture : OUVERTURE_INTERROMPUE ; un nouvel appel reprend) ; `$progression(array)`
     * reçoit les étapes. `$cle` : PKCS#12 ou PEM (certificat et clé). Les fichiers sont
     * extraits sous `$dossier`.
     *
     * @return array{0: string, 1: string, 2: string} [état JSON, lignes du journal, bilan JSON]
     */
    public static function ouvrirPlis(
        string $etat,
        string $cle,
        ?string $motDePasse,
        string $dossier,
        ?string $options,
        string $contexte,
        callable $lire,
        ?callable $enregistrer = null,
        ?callable $progression = null,
    ): array {
        $ffi = Bibliotheque::ffi();
        [$e, $ne] = Octets::entree($etat, $g1);
        [$k, $nk] = Octets::entree($cle, $g2);
        [$o, $no] = Octets::entree($options, $g3);
        [$x, $nx] = Octets::entree($contexte, $g4);
        $rappels = $ffi->new('mpe_rappels_ouverture');
        // Exceptions must not cross the C frames: kept here, rethrown after the call.
        $erreur = null;
        $rappels->lire = function ($u, $pli, $enveloppe, $position, $tampon, $capacite, $lu) use ($lire, &$erreur): int {
            try {
                // PHP FFI hands a `const char *` argument over as a PHP string.
                $nom = is_string($enveloppe) ? $enveloppe : FFI::string($enveloppe);
                $s = $lire((int) $pli, $nom, (int) $position, (int) $capacite);
                $n = min(strlen($s), (int) $capacite);
                if ($n > 0) {
                    FFI::memcpy($tampon, $s, $n);
                }
                $lu[0] = $n;
                return 0;
            } catch (\Throwable $t) {
                $erreur ??= $t;
                return 103;
            }
        };
        $rappels->enregistrer = function ($u, $etatJson, $etatLongueur, $journal, $journalLongueur) use ($enregistrer, &$erreur): int {
            if ($enregistrer === null) {
                return 0;
            }
            try {
                $enregistrer(FFI::string($etatJson, $etatLongueur), FFI::string($journal, $journalLongueur));
                return 0;
            } catch (\Throwable $t) {
                $erreur ??= $t;
                return 1;
            }
        };
        if ($progression !== null) {
            $rappels->progression = function ($u, $etape) use ($progression): void {
                try {
                    $progression(json_decode(is_string($etape) ? $etape : FFI::string($etape), true));
                } catch (\Throwable) {
                    // A progress display that fails does not stop an opening.
                }
            };
        }
        $nouvelEtat = Octets::sortie();
        $journal = Octets::sortie();
        $bilan = Octets::sortie();
        $statut = $ffi->mpe_procedure_ouvrir_plis(
            $e, $ne, $k, $nk, $motDePasse, $dossier, $o, $no, $x, $nx, FFI::addr($rappels),
            FFI::addr($nouvelEtat), FFI::addr($journal), FFI::addr($bilan)
        );
        if ($statut !== 0) {
            $exception = ErreurMpe::depuisStatut($statut);
            if ($erreur !== null && $exception->nom === 'OUVERTURE_INTERROMPUE') {
                throw new ErreurProcedure($exception->getMessage() . ' : ' . $erreur->getMessage(), $statut, $exception->nom);
            }
            throw $exception;
        }
        return [Octets::prendre($nouvelEtat), Octets::prendre($journal), Octets::prendre($bilan)];
    }

    /**
     * Les données des formulaires DAJ (OUV3 … NOT18) lues dans l'état de la procédure et son
     * organisation, pour `mpe_formulaire_generer` ; `$parametres` (JSON, null : défauts) ce
     * que l'état ne contient pas (`lot`, `pli`, `date`, `lieu`, `criteres`…).
     */
    public static function genererDonneesDocuments(string $etat, string $organisation, ?string $parametres = null): string
    {
        [$e, $ne] = Octets::entree($etat, $g1);
        [$o, $no] = Octets::entree($organisation, $g2);
        [$p, $np] = Octets::entree($parametres, $g3);
        $donnees = Octets::sortie();
        ErreurMpe::verifier(Bibliotheque::ffi()->mpe_procedure_generer_donnees_documents(
            $e, $ne, $o, $no, $p, $np, FFI::addr($donnees)
        ));
        return Octets::prendre($donnees);
    }

    /**
     * La lettre de modification de la version `$version` du DCE (JSON `Courrier`) aux
     * entreprises du registre des retraits ; `$pieces` [nom => octets] les pièces ajoutées ou
     * remplaçantes, contrôlées contre leur empreinte (PIECE_ALTEREE, PIECE_NON_FOURNIE).
     *
     * @param array<string, string> $pieces
     */
    public static function genererCourrierModification(string $etat, int $version, array $pieces = []): string
    {
        $ffi = Bibliotheque::ffi();
        [$e, $ne] = Octets::entree($etat, $g1);
        $n = count($pieces);
        $noms = $ffi->new('char *[' . max(1, $n) . ']');
        $ptrs = $ffi->new('uint8_t *[' . max(1, $n) . ']');
        $longueurs = $ffi->new('size_t[' . max(1, $n) . ']');
        $gardes = [];
        $i = 0;
        foreach ($pieces as $nom => $octets) {
            [$pn] = Octets::entree($nom . "\0", $gardes["n$i"]);
            $noms[$i] = $ffi->cast('char *', $pn);
            [$p, $l] = Octets::entree($octets, $gardes["o$i"]);
            $ptrs[$i] = $p;
            $longueurs[$i] = $l;
            $i++;
        }
        $courrier = Octets::sortie();
        ErreurMpe::verifier($ffi->mpe_procedure_generer_courrier_modification(
            $e, $ne, $version, $ffi->cast('const char **', $noms),
            $ffi->cast('const uint8_t **', $ptrs), $ffi->cast('size_t *', $longueurs), $n,
            FFI::addr($courrier)
        ));
        return Octets::prendre($courrier);
    }
}
