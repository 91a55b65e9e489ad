package fr.mpe;

/**
 * Une erreur de mpe : {@link #code()} est le code stable (par ex. 303), {@link #nom()} son
 * nom ({@code HORS_DELAI}). Une sous-classe par famille (centaine du code).
 */
public class ErreurMpe extends RuntimeException {
    private final int code;
    private final String nom;

    public ErreurMpe(String message, int code, String nom) {
        super(message);
        this.code = code;
        this.nom = nom;
    }

    public int code() { return code; }

    public String nom() { return nom; }

    /** 1xx : argument, JSON, limite, non pris en charge. */
    public static class Entree extends ErreurMpe { Entree(String m, int c, String n) { super(m, c, n); } }
    /** 103 : lecture ou écriture de fichier. */
    public static class ES extends ErreurMpe { ES(String m, int c, String n) { super(m, c, n); } }
    /** 100 : un défaut de mpe. */
    public static class Interne extends ErreurMpe { Interne(String m, int c, String n) { super(m, c, n); } }
    /** 2xx : règles de la consultation. */
    public static class Validation extends ErreurMpe { Validation(String m, int c, String n) { super(m, c, n); } }
    /** 3xx : cycle de vie, dépôts, ouverture, décisions, journal. */
    public static class Procedure extends ErreurMpe { Procedure(String m, int c, String n) { super(m, c, n); } }
    /** 4xx : enveloppes CMS, bi-clés. */
    public static class Chiffrement extends ErreurMpe { Chiffrement(String m, int c, String n) { super(m, c, n); } }
    /** 5xx : signatures. */
    public static class Signature extends ErreurMpe { Signature(String m, int c, String n) { super(m, c, n); } }
    /** 6xx : documents. */
    public static class Document extends ErreurMpe { Document(String m, int c, String n) { super(m, c, n); } }
    /** 7xx : contrats et DECP. */
    public static class Decp extends ErreurMpe { Decp(String m, int c, String n) { super(m, c, n); } }
    /** 8xx : courriers. */
    public static class Messagerie extends ErreurMpe { Messagerie(String m, int c, String n) { super(m, c, n); } }
    /** 9xx : avis eForms et DUME. */
    public static class Publication extends ErreurMpe { Publication(String m, int c, String n) { super(m, c, n); } }

    static ErreurMpe depuisStatut(int statut) {
        String nom = Natif.I.mpe_statut_nom(statut);
        String message = Natif.I.mpe_derniere_erreur();
        if (nom == null) nom = "INCONNU";
        if (message == null) message = nom;
        if (statut == 100) return new Interne(message, statut, nom);
        if (statut == 103) return new ES(message, statut, nom);
        if (statut < 200) return new Entree(message, statut, nom);
        if (statut < 300) return new Validation(message, statut, nom);
        if (statut < 400) return new Procedure(message, statut, nom);
        if (statut < 500) return new Chiffrement(message, statut, nom);
        if (statut < 600) return new Signature(message, statut, nom);
        if (statut < 700) return new Document(message, statut, nom);
        if (statut < 800) return new Decp(message, statut, nom);
        if (statut < 900) return new Messagerie(message, statut, nom);
        return new Publication(message, statut, nom);
    }
}
