package fr.mpe;

import java.nio.charset.StandardCharsets;

/** Conversions entre Java et les tampons de l'ABI ; les textes sont toujours en UTF-8. */
final class Tampons {
    private Tampons() {}

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static long longueur(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /** Copie une sortie puis la libère. */
    static byte[] prendre(Natif.Octets o) {
        o.read();
        byte[] b = o.longueur > 0 ? o.donnees.getByteArray(0, (int) o.longueur) : new byte[0];
        Natif.I.mpe_octets_liberer(o);
        return b;
    }

    static String prendreTexte(Natif.Octets o) {
        return new String(prendre(o), StandardCharsets.UTF_8);
    }

    /** Lève l'exception de la famille d'un statut non nul. */
    static void verifier(int statut) {
        if (statut != 0) {
            throw ErreurMpe.depuisStatut(statut);
        }
    }
}
