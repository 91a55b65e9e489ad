package fr.mpe;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Le dépôt sur les octets et l'ouverture par rappels depuis Java (JNA), sous LANG=C : les
 * enveloppes de {@code openssl cms -encrypt} (tests/c/fabriquer_plis.py) ; chaque refus son
 * code ; 5 plis ouverts par lire/enregistrer/progression ; arrêt par l'hôte puis reprise :
 * même journal et même état. Lancé depuis la racine du dépôt.
 */
public class TestPlis {
    static int echecs = 0;

    static void verifie(boolean ok, String quoi) {
        System.out.println((ok ? "ok " : "ECHEC ") + quoi);
        if (!ok) echecs++;
    }

    public static void main(String[] args) throws Exception {
        Path racine = Path.of(System.getProperty("user.dir"));
        Path d = Files.createTempDirectory("mpe-java-plis");
        int n = 5;
        Process fab = new ProcessBuilder("python3", racine.resolve("tests/c/fabriquer_plis.py").toString(), d.toString(), "" + n)
            .inheritIO().start();
        verifie(fab.waitFor() == 0, "données fabriquées");
        java.util.function.Function<String, String> lire = nom -> {
            try {
                return Files.readString(d.resolve(nom), StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        String[] r = Mpe.Procedure.nouvelle(lire.apply("consultation.json"), lire.apply("ctx_creation.json"));
        r = Mpe.Procedure.appliquer(r[0], lire.apply("valider.json"), lire.apply("ctx_validation.json"));
        String etat = r[0];
        String[] noms = {"candidature", "offre-lot-1", "offre-lot-2"};
        String[][] refus = {{"clair.zip", "ENVELOPPE_NON_CHIFFREE"}, {"autre-cle.p7m", "DESTINATAIRES_INCORRECTS"},
                            {"seule-alice.p7m", "CLE_SECOURS_ABSENTE"}, {"non-cms.der", "ENVELOPPE_NON_CMS"}};
        for (String[] f : refus) {
            try {
                Mpe.Procedure.deposerOctets(etat, lire.apply("depot-1.json"), lire.apply("ctx_depot-1.json"), new byte[][] {
                    Files.readAllBytes(d.resolve(f[0])), Files.readAllBytes(d.resolve("pli-1/offre-lot-1.p7m")),
                    Files.readAllBytes(d.resolve("pli-1/offre-lot-2.p7m"))});
                verifie(false, f[0] + " refusé");
            } catch (ErreurMpe e) {
                verifie(e.nom().equals(f[1]), f[0] + " : " + e.nom());
            }
        }
        for (int i = 1; i <= n; i++) {
            byte[][] env = new byte[3][];
            for (int k = 0; k < 3; k++) env[k] = Files.readAllBytes(d.resolve("pli-" + i + "/" + noms[k] + ".p7m"));
            etat = Mpe.Procedure.deposerOctets(etat, lire.apply("depot-" + i + ".json"), lire.apply("ctx_depot-" + i + ".json"), env)[0];
        }
        byte[] cle = (Files.readString(racine.resolve("tests/vectors/crypto/alice.cert.pem"))
            + Files.readString(racine.resolve("tests/vectors/crypto/alice.key.pem"))).getBytes(StandardCharsets.UTF_8);
        Mpe.Procedure.Stockage stockage = (pli, enveloppe, position, capacite) -> {
            try (RandomAccessFile f = new RandomAccessFile(d.resolve("pli-" + pli + "/" + enveloppe + ".p7m").toFile(), "r")) {
                f.seek(position);
                byte[] b = new byte[capacite];
                int lu = f.read(b);
                return lu <= 0 ? new byte[0] : java.util.Arrays.copyOf(b, lu);
            }
        };
        StringBuilder enregistre = new StringBuilder();
        List<String> etapes = new ArrayList<>();
        String[] o1 = Mpe.Procedure.ouvrirPlis(etat, cle, null, d.resolve("o1").toString(), null, lire.apply("ctx_ouverture.json"),
            stockage, (e, j) -> enregistre.append(j), etapes::add);
        verifie(o1[1].split("\"enveloppe_ouverte\"", -1).length - 1 == 3 * n, "enveloppes ouvertes");
        verifie(enregistre.toString().equals(o1[1]), "journal enregistré = journal rendu");
        verifie(etapes.get(0).contains("descripteurs") && etapes.get(etapes.size() - 1).contains("termine"), "étapes");
        // Under LANG=C a non-ASCII name cannot be written as a Java path: the folder is listed.
        List<String> contenus = new ArrayList<>();
        try (var fichiers = Files.list(d.resolve("o1/pli-2/offre-lot-1"))) {
            for (Path f : fichiers.toList()) contenus.add(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
        }
        verifie(contenus.contains("contenu de DPGF_lot1_Façades.xlsx du pli 2\n"), "fichier extrait (UTF-8)");
        // Stopped after 4, then started again.
        String[] stocke = {etat, ""};
        int[] compte = {0};
        Mpe.Procedure.Enregistrement arret = (e, j) -> {
            if (compte[0]++ >= 4) throw new IllegalStateException("panne");
            stocke[0] = e;
            stocke[1] += j;
        };
        try {
            Mpe.Procedure.ouvrirPlis(etat, cle, null, d.resolve("o2").toString(), null, lire.apply("ctx_ouverture.json"), stockage, arret, null);
            verifie(false, "arrêt");
        } catch (ErreurMpe e) {
            verifie(e.nom().equals("OUVERTURE_INTERROMPUE") && e.getCause() instanceof IllegalStateException,
                "arrêt : " + e.nom() + ", cause " + e.getCause());
        }
        compte[0] = -1000;
        String[] o2 = Mpe.Procedure.ouvrirPlis(stocke[0], cle, null, d.resolve("o2").toString(), null, lire.apply("ctx_ouverture.json"),
            stockage, arret, null);
        verifie(stocke[1].equals(o1[1]), "même journal après la reprise");
        verifie(o2[0].equals(o1[0]), "même état final");
        new ProcessBuilder("rm", "-rf", d.toString()).start().waitFor();
        if (echecs > 0) {
            System.out.println(echecs + " échec(s)");
            System.exit(1);
        }
    }
}
