import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JNA test of the donnees API: DECP export, refusal, import into a store and search. */
public class TestDonnees {
    @Structure.FieldOrder({"donnees", "longueur", "capacite"})
    public static class MpeBytes extends Structure {
        public Pointer donnees;
        public long longueur;
        public long capacite;

        String texte() {
            return new String(donnees.getByteArray(0, (int) longueur), StandardCharsets.UTF_8);
        }
    }

    public interface Mpe extends Library {
        Mpe I = MpeNative.load(Mpe.class);
        int mpe_decp_exporter_json(byte[] c, long n, String maintenant, MpeBytes out);
        int mpe_decp_exporter_xml(byte[] c, long n, String maintenant, MpeBytes out);
        int mpe_decp_importer(String fichier, byte[] o, long n, String entree, String sortie, MpeBytes out);
        int mpe_entrepot_fichier_chercher(String entrepot, byte[] q, long n, MpeBytes out);
        int mpe_entrepot_ouvrir(String chemin, PointerByReference out);
        int mpe_entrepot_chercher(Pointer entrepot, byte[] q, long n, MpeBytes out);
        int mpe_entrepot_compter(Pointer entrepot, LongByReference out);
        void mpe_entrepot_liberer(Pointer entrepot);
        String mpe_statut_nom(int status);
        String mpe_derniere_erreur();
        void mpe_octets_liberer(MpeBytes b);
    }

    static int echecs = 0;

    static void verifie(boolean ok, String msg) {
        if (!ok) {
            System.err.println("ÉCHEC : " + msg + " (" + Mpe.I.mpe_derniere_erreur() + ")");
            echecs++;
        }
    }

    public static void main(String[] args) throws Exception {
        String contrat = "[{\"id\":\"2025-001\",\"categorie\":\"marche\",\"typeContrat\":\"marche\","
            + "\"acheteur\":{\"id\":\"21350238800019\"},\"objet\":\"Réfection de la voirie\",\"nature\":\"Marché\","
            + "\"procedure\":\"Appel d'offres ouvert\",\"codeCpv\":\"45233140-2\",\"ccag\":\"Travaux\",\"offresRecues\":3,"
            + "\"marcheInnovant\":false,\"attributionAvance\":false,\"typeGroupementOperateurs\":\"Pas de groupement\","
            + "\"lieuExecution\":{\"code\":\"35000\",\"typeCode\":\"Code postal\"},"
            + "\"titulaires\":[{\"typeIdentifiant\":\"SIRET\",\"id\":\"55204599900869\"}],\"montant\":125000,"
            + "\"dateNotification\":\"2025-03-01\",\"datePublicationDonnees\":\"2025-03-05\",\"dureeMois\":12,"
            + "\"formePrix\":\"Forfaitaire\",\"typesPrix\":[\"Définitif ferme\"],\"sousTraitanceDeclaree\":false}]";
        byte[] c = contrat.getBytes(StandardCharsets.UTF_8);
        MpeBytes out = new MpeBytes();
        verifie(Mpe.I.mpe_decp_exporter_json(c, c.length, "2026-01-15", out) == 0, "export JSON");
        out.read();
        verifie(out.texte().contains("\"titulaire\":{\"typeIdentifiant\":\"SIRET\",\"id\":\"55204599900869\"}"), "contenu");
        Mpe.I.mpe_octets_liberer(out);
        out = new MpeBytes();
        verifie(Mpe.I.mpe_decp_exporter_xml(c, c.length, "2026-01-15", out) == 0, "export XML");
        out.read();
        verifie(out.texte().contains("<objet>Réfection de la voirie</objet>"), "XML");
        Mpe.I.mpe_octets_liberer(out);
        out = new MpeBytes();
        verifie(Mpe.I.mpe_decp_exporter_json(c, c.length, "2025-03-02", out) == 700, "refus");
        verifie(Mpe.I.mpe_derniere_erreur().contains("2025-001"), "enregistrement nommé");

        Path store = Files.createTempFile("mpe_java_donnees", ".mpedecp");
        byte[] o = "{\"maintenant\":\"2026-01-01\"}".getBytes(StandardCharsets.UTF_8);
        out = new MpeBytes();
        verifie(Mpe.I.mpe_decp_importer("tests/vectors/donnees/sale-2019.json", o, o.length, null, store.toString(), out) == 0, "import");
        out.read();
        verifie(out.texte().contains("\"importes\":4"), "rapport");
        Mpe.I.mpe_octets_liberer(out);
        byte[] q = "{\"attributaire\":\"DE814864138\"}".getBytes(StandardCharsets.UTF_8);
        out = new MpeBytes();
        verifie(Mpe.I.mpe_entrepot_fichier_chercher(store.toString(), q, q.length, out) == 0, "recherche");
        out.read();
        verifie(out.texte().contains("\"total\":1") && out.texte().contains("Mobilier"), "résultat");
        Mpe.I.mpe_octets_liberer(out);

        // The same store opened once (opaque handle) and searched twice without reloading.
        PointerByReference ref = new PointerByReference();
        verifie(Mpe.I.mpe_entrepot_ouvrir(store.toString(), ref) == 0, "ouvrir");
        Pointer h = ref.getValue();
        LongByReference nombre = new LongByReference();
        verifie(Mpe.I.mpe_entrepot_compter(h, nombre) == 0 && nombre.getValue() == 3, "compter");
        for (String requete : new String[] {"{\"attributaire\":\"DE814864138\"}", "{\"attributaire\":\"381031285\"}"}) {
            byte[] r = requete.getBytes(StandardCharsets.UTF_8);
            out = new MpeBytes();
            verifie(Mpe.I.mpe_entrepot_chercher(h, r, r.length, out) == 0, "chercher " + requete);
            out.read();
            verifie(out.texte().contains("\"total\":1") && out.texte().contains("Mobilier"), "résultat " + requete);
            Mpe.I.mpe_octets_liberer(out);
        }
        byte[] faux = "{\"annee\":".getBytes(StandardCharsets.UTF_8);
        out = new MpeBytes();
        verifie("JSON_INVALIDE".equals(Mpe.I.mpe_statut_nom(Mpe.I.mpe_entrepot_chercher(h, faux, faux.length, out))), "JSON invalide");
        Mpe.I.mpe_entrepot_liberer(h);
        verifie("ARGUMENT_INVALIDE".equals(Mpe.I.mpe_statut_nom(Mpe.I.mpe_entrepot_chercher(null, q, q.length, out))), "poignée NULL");
        verifie("ES".equals(Mpe.I.mpe_statut_nom(Mpe.I.mpe_entrepot_ouvrir("tests/vectors/donnees/absent.mpedecp", ref))), "chemin absent");
        Mpe.I.mpe_entrepot_liberer(null);
        Files.deleteIfExists(store);
        if (echecs > 0) {
            System.err.println(echecs + " échec(s)");
            System.exit(1);
        }
        System.out.println("TestDonnees : tout est passé");
    }
}
