package fr.mpe;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/** Les déclarations JNA de libmpe (include/mpe.h), chargées une fois, en UTF-8. */
interface Natif extends Library {
    /** mpe_octets : un tampon rendu par mpe, libéré par mpe_octets_liberer. */
    @Structure.FieldOrder({"donnees", "longueur", "capacite"})
    class Octets extends Structure {
        public Pointer donnees;
        public long longueur;
        public long capacite;
    }

    /** mpe_lecture_enveloppe. */
    interface Lecture extends Callback {
        int invoke(Pointer utilisateur, int pli, String enveloppe, long position, Pointer tampon, long capacite, Pointer lu);
    }

    /** mpe_enregistrement. */
    interface Enregistrement extends Callback {
        int invoke(Pointer utilisateur, Pointer etat, long etatLongueur, Pointer journal, long journalLongueur);
    }

    /** mpe_progression. */
    interface Progression extends Callback {
        void invoke(Pointer utilisateur, String etape);
    }

    /** mpe_rappels_ouverture. */
    @Structure.FieldOrder({"utilisateur", "lire", "enregistrer", "progression"})
    class RappelsOuverture extends Structure {
        public Pointer utilisateur;
        public Lecture lire;
        public Enregistrement enregistrer;
        public Progression progression;
    }

    Natif I = charger();

    private static Natif charger() {
        // JNA lit jna.encoding une fois ; l'option de bibliothèque couvre le reste. Sans
        // cela, sous LANG=C, « référence » partirait en « r??f??rence ».
        System.setProperty("jna.encoding", "UTF-8");
        String nom = System.getProperty("mpe.bibliotheque", "mpe");
        return Native.load(nom, Natif.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    }

    String mpe_version();
    String mpe_derniere_erreur();
    String mpe_statut_nom(int statut);
    void mpe_octets_liberer(Octets octets);

    int mpe_consultation_valider(byte[] c, long nc, byte[] o, long no, String maintenant, Octets sortie);
    int mpe_consultation_normaliser(byte[] c, long nc, Octets sortie);
    int mpe_cpv_chercher(String code, Octets sortie);
    int mpe_cms_chiffrer(byte[] d, long nd, byte[] c, long nc, byte[] o, long no, Octets sortie);
    int mpe_cms_dechiffrer(byte[] e, long ne, byte[] b, long nb, String motDePasse, Octets sortie);
    int mpe_cms_dechiffrer_cle(byte[] e, long ne, byte[] k, long nk, String motDePasse, byte[] o, long no, Octets clair, Octets rapport);
    int mpe_signature_verifier(byte[] s, long ns, byte[] d, long nd, byte[] o, long no, Octets sortie);
    int mpe_signature_collecter_donnees_validation(byte[] s, long ns, byte[] o, long no, Octets sortie);
    int mpe_signature_ajouter_donnees_validation(byte[] s, long ns, byte[] d, long nd, Octets sortie);
    int mpe_horodatage_preparer_document(byte[] s, long ns, long nonce, Octets sortie);
    int mpe_horodatage_preparer_document_detache(byte[] s, long ns, byte[] d, long nd, long nonce, Octets sortie);
    int mpe_horodatage_finir_document(byte[] p, long np, byte[] j, long nj, Octets sortie);
    int mpe_horodatage_generer_requete(byte[] s, long ns, long nonce, Octets sortie);
    int mpe_horodatage_ajouter(byte[] s, long ns, byte[] j, long nj, Octets sortie);
    int mpe_cms_dechiffrer_kek(byte[] e, long ne, byte[] k, long nk, byte[] i, long ni, byte[] o, long no, Octets clair, Octets rapport);
    int mpe_cms_dechiffrer_mot_de_passe(byte[] e, long ne, byte[] m, long nm, byte[] o, long no, Octets clair, Octets rapport);
    int mpe_cms_dechiffrer_jeton(byte[] e, long ne, byte[] r, long nr, String pin, byte[] o, long no, Octets clair, Octets rapport);
    int mpe_pkcs11_lister(String module, String maintenant, Octets sortie);
    int mpe_signature_signer_jeton(String format, byte[] r, long nr, String pin, byte[] c, long nc, byte[] d, long nd,
                                   byte[] o, long no, Octets sortie);
    int mpe_identite_test_generer(byte[] p, long np, String maintenant, String motDePasse, Octets p12, Octets autorite);
    int mpe_procedure_nouvelle(byte[] c, long nc, byte[] x, long nx, Octets etat, Octets journal);
    int mpe_procedure_appliquer(byte[] e, long ne, byte[] a, long na, byte[] x, long nx, Octets etat, Octets journal);
    int mpe_journal_verifier(byte[] j, long nj, byte[] e, long ne);
    int mpe_procedure_deposer_octets(byte[] e, long ne, byte[] a, long na, byte[] x, long nx, Pointer[] enveloppes,
                                     long[] longueurs, long nombre, Octets etat, Octets journal);
    int mpe_procedure_generer_donnees_documents(byte[] e, long ne, byte[] o, long no, byte[] p, long np, Octets donnees);
    int mpe_procedure_generer_courrier_modification(byte[] e, long ne, int version, String[] noms, Pointer[] pieces,
                                                    long[] longueurs, long nombre, Octets courrier);
    int mpe_procedure_ouvrir_plis(byte[] e, long ne, byte[] k, long nk, String motDePasse, String dossier, byte[] o, long no,
                                  byte[] x, long nx, RappelsOuverture rappels, Octets etat, Octets journal, Octets bilan);
    int mpe_entrepot_nouveau(PointerByReference sortie);
    int mpe_entrepot_ouvrir(String chemin, PointerByReference sortie);
    int mpe_entrepot_importer(Pointer e, String fichier, byte[] o, long no, Octets sortie);
    int mpe_entrepot_chercher(Pointer e, byte[] r, long nr, Octets sortie);
    int mpe_entrepot_compter(Pointer e, LongByReference sortie);
    int mpe_entrepot_ecrire(Pointer e, String chemin);
    void mpe_entrepot_liberer(Pointer e);
    int mpe_confiance_charger(byte[] l, long nl, String date, Octets sortie);
    int mpe_confiance_qualifier(byte[] c, long nc, byte[] l, long nl, String date, Octets sortie);
    int mpe_avis_generer_marche(String t, byte[] c, long nc, byte[] o, long no, byte[] d, long nd, String maintenant, Octets sortie);
    int mpe_avis_verifier_marche(String t, byte[] c, long nc, byte[] o, long no, byte[] d, long nd, String maintenant, Octets sortie);
    int mpe_avis_generer_attribution(String t, byte[] p, long np, byte[] o, long no, byte[] d, long nd, byte[] k, long nk, String maintenant, Octets sortie);
    int mpe_avis_verifier_attribution(String t, byte[] p, long np, byte[] o, long no, byte[] d, long nd, byte[] k, long nk, String maintenant, Octets sortie);
    int mpe_avis_generer_rectificatif(byte[] p, long np, byte[] o, long no, byte[] d, long nd, byte[] a, long na, String maintenant, Octets sortie);
    int mpe_avis_lire(byte[] a, long na, Octets sortie);
    int mpe_avis_validateur_ouvrir(String dossierSdk, String version, PointerByReference sortie);
    int mpe_avis_valider(Pointer v, byte[] a, long na, String phase, String maintenant, Octets sortie);
    void mpe_avis_validateur_liberer(Pointer v);
    int mpe_dume_generer_demande(byte[] c, long nc, byte[] o, long no, String version, String maintenant, Octets sortie);
    int mpe_dume_lire(byte[] d, long nd, Octets sortie);
    int mpe_dume_comparer(byte[] r, long nr, byte[] d, long nd, byte[] e, long ne, Octets sortie);
}
