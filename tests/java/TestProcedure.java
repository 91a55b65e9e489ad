// Java (JNA): plays the shared procedure scenarios (tests/vectors/procedure/*.etapes.txt,
// the same steps as the Rust, C, PHP and Python tests) through libmpe and checks the
// journal is byte for byte the expected one, then the journal verification.
// Run with -Djna.library.path=<dir of libmpe.so> from the repository root.

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

public class TestProcedure {
    @Structure.FieldOrder({"donnees", "longueur", "capacite"})
    public static class MpeBytes extends Structure {
        public Pointer donnees;
        public long longueur;
        public long capacite;

        byte[] prendre() {
            byte[] b = longueur > 0 ? donnees.getByteArray(0, (int) longueur) : new byte[0];
            Mpe.I.mpe_octets_liberer(this);
            return b;
        }
    }

    public interface Mpe extends Library {
        Mpe I = MpeNative.load(Mpe.class);

        int mpe_procedure_nouvelle(byte[] c, long cl, byte[] x, long xl, MpeBytes etat, MpeBytes journal);

        int mpe_procedure_appliquer(byte[] e, long el, byte[] a, long al, byte[] x, long xl, MpeBytes etat, MpeBytes journal);

        int mpe_procedure_lister_destinataires_courrier(byte[] e, long el, byte[] f, long fl, MpeBytes out);

        int mpe_procedure_creer_suite(byte[] e, long el, byte[] p, long pl, byte[] x, long xl,
                MpeBytes etat, MpeBytes suite, MpeBytes journal, MpeBytes journalSuite);

        int mpe_procedure_lister_registres(byte[] e, long el, MpeBytes out);

        int mpe_journal_verifier(byte[] j, long jl, byte[] e, long el);

        void mpe_octets_liberer(MpeBytes b);

        String mpe_statut_nom(int status);

        String mpe_derniere_erreur();
    }

    static int echecs = 0;

    static void verifie(boolean ok, String quoi) {
        if (!ok) {
            echecs++;
            System.err.println("ÉCHEC : " + quoi + " [" + Mpe.I.mpe_derniere_erreur() + "]");
        }
    }

    static byte[] u8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Plays a scenario; returns {final state, journal}. */
    static byte[][] jouer(Path etapes) throws Exception {
        List<String> l = Files.readAllLines(etapes, StandardCharsets.UTF_8);
        verifie(l.get(0).equals("CREATION"), "en-tête");
        MpeBytes e = new MpeBytes(), j = new MpeBytes(), s = new MpeBytes(), js = new MpeBytes();
        byte[] c = u8(l.get(2)), x = u8(l.get(1));
        verifie(Mpe.I.mpe_procedure_nouvelle(c, c.length, x, x.length, e, j) == 0, "création");
        byte[] etat = e.prendre();
        ByteArrayOutputStream journal = new ByteArrayOutputStream();
        journal.write(j.prendre());
        for (int i = 3; i + 2 < l.size(); i += 3) {
            String[] entete = l.get(i).split(" ", 2);
            byte[] ctx = u8(l.get(i + 1)), corps = u8(l.get(i + 2));
            boolean suite = entete[0].equals("SUITE");
            int st = suite
                    ? Mpe.I.mpe_procedure_creer_suite(etat, etat.length, corps, corps.length, ctx, ctx.length, e, s, j, js)
                    : Mpe.I.mpe_procedure_appliquer(etat, etat.length, corps, corps.length, ctx, ctx.length, e, j);
            String obtenu = st == 0 ? "OK" : Mpe.I.mpe_statut_nom(st);
            verifie(obtenu.equals(entete[1]), "étape " + (i / 3 - 1) + " : attendu " + entete[1] + ", obtenu " + obtenu);
            if (st == 0) {
                byte[] nouvel = e.prendre();
                journal.write(j.prendre());
                if (suite) {
                    etat = s.prendre();
                    journal.write(js.prendre());
                } else {
                    etat = nouvel;
                }
            }
        }
        return new byte[][] {etat, journal.toByteArray()};
    }

    public static void main(String[] args) throws Exception {
        Path v = Path.of("tests/vectors/procedure");
        byte[][] r = jouer(v.resolve("scenario.etapes.txt"));
        byte[] etat = r[0], journal = r[1];
        verifie(Arrays.equals(journal, Files.readAllBytes(v.resolve("scenario.journal.jsonl"))), "journal identique au vecteur");
        verifie(Mpe.I.mpe_journal_verifier(journal, journal.length, etat, etat.length) == 0, "journal vérifié");
        byte[] altere = new String(journal, StandardCharsets.UTF_8).replaceFirst("\"montant\":498000", "\"montant\":400000")
                .getBytes(StandardCharsets.UTF_8);
        verifie(Mpe.I.mpe_journal_verifier(altere, altere.length, etat, etat.length) == 312, "altération détectée");
        // An empty journal goes to the core, which calls it corrupt (a procedure has its opening line).
        verifie(Mpe.I.mpe_journal_verifier(new byte[0], 0, null, 0) == 312, "journal vide : JOURNAL_CORROMPU");
        verifie(Mpe.I.mpe_journal_verifier(null, 0, etat, etat.length) == 312, "journal vide, tête non vide : JOURNAL_CORROMPU");
        MpeBytes out = new MpeBytes();
        verifie(Mpe.I.mpe_procedure_lister_registres(etat, etat.length, out) == 0, "registres");
        String registres = new String(out.prendre(), StandardCharsets.UTF_8);
        verifie(registres.contains("\"libelle_depots\":\"4 électroniques + 1 papier\""), "libellé des dépôts");
        verifie(registres.contains("\"accuse_le\":\"2026-12-18T14:02:00Z\""), "accusé du courrier de rejet");
        byte[] filtre = "{\"pli\":1}".getBytes(StandardCharsets.UTF_8);
        verifie(Mpe.I.mpe_procedure_lister_destinataires_courrier(etat, etat.length, filtre, filtre.length, out) == 0,
                "destinataires du courrier");
        String dest = new String(out.prendre(), StandardCharsets.UTF_8);
        verifie(dest.equals("[{\"email\":\"s.girard@facades-ra.fr\",\"raison_sociale\":\"Façades Rhône-Alpes SAS\","
                + "\"origines\":[\"depot\"]}]"), "destinataire du pli 1 : " + dest);
        filtre = "{\"lot\":9}".getBytes(StandardCharsets.UTF_8);
        verifie(Mpe.I.mpe_procedure_lister_destinataires_courrier(etat, etat.length, filtre, filtre.length, out) != 0,
                "lot inconnu refusé");

        byte[][] s = jouer(v.resolve("suite.etapes.txt"));
        verifie(Arrays.equals(s[1], Files.readAllBytes(v.resolve("suite.journal.jsonl"))), "journal de la suite");
        if (echecs > 0) {
            System.err.println("TestProcedure : " + echecs + " échec(s)");
            System.exit(1);
        }
        System.out.println("TestProcedure : ok");
    }
}
