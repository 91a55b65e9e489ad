package fr.mpe;

import static fr.mpe.Tampons.longueur;
import static fr.mpe.Tampons.prendreTexte;
import static fr.mpe.Tampons.utf8;
import static fr.mpe.Tampons.verifier;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Un entrepôt DECP ouvert (poignée mpe_entrepot) : à fermer, par try-with-resources.
 * Une poignée ne sert qu'à un fil à la fois.
 */
public final class Entrepot implements AutoCloseable {
    private Pointer poignee;

    private Entrepot(Pointer poignee) {
        this.poignee = poignee;
    }

    /** Un entrepôt vide. */
    public static Entrepot nouveau() {
        PointerByReference p = new PointerByReference();
        verifier(Natif.I.mpe_entrepot_nouveau(p));
        return new Entrepot(p.getValue());
    }

    /** Ouvre un fichier d'entrepôt. */
    public static Entrepot ouvrir(String chemin) {
        PointerByReference p = new PointerByReference();
        verifier(Natif.I.mpe_entrepot_ouvrir(chemin, p));
        return new Entrepot(p.getValue());
    }

    private Pointer p() {
        if (poignee == null) {
            throw new IllegalStateException("entrepôt fermé");
        }
        return poignee;
    }

    /** Importe un fichier DECP ; rend le rapport JSON. */
    public String importer(String fichier, String options) {
        byte[] o = utf8(options);
        Natif.Octets s = new Natif.Octets();
        verifier(Natif.I.mpe_entrepot_importer(p(), fichier, o, longueur(o), s));
        return prendreTexte(s);
    }

    /** Recherche ({@code Recherche} en JSON) ; rend le résultat JSON. */
    public String chercher(String recherche) {
        byte[] r = utf8(recherche);
        Natif.Octets s = new Natif.Octets();
        verifier(Natif.I.mpe_entrepot_chercher(p(), r, longueur(r), s));
        return prendreTexte(s);
    }

    public long compter() {
        LongByReference n = new LongByReference();
        verifier(Natif.I.mpe_entrepot_compter(p(), n));
        return n.getValue();
    }

    /** Écrit le fichier d'entrepôt (entier ou pas du tout). */
    public void ecrire(String chemin) {
        verifier(Natif.I.mpe_entrepot_ecrire(p(), chemin));
    }

    /** Libère la poignée (une seule fois, même appelé plusieurs fois). */
    @Override
    public void close() {
        if (poignee != null) {
            Natif.I.mpe_entrepot_liberer(poignee);
            poignee = null;
        }
    }
}
