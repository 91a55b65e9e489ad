package fr.mpe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Les signatures à long terme (B-LT, B-LTA) par les méthodes de {@link Mpe.Signature} : une
 * CAdES détachée (écrite par {@code openssl cms -sign}) reçoit ses données de validation
 * dans son SignedData, puis un horodatage d'archive sur le fichier signé (jeton de
 * {@code openssl ts -reply}, l'autorité de l'hôte) : B-LTA, la CRL lue dans le fichier.
 * Lancé depuis la racine du dépôt.
 */
public class TestLongTerme {
    static int echecs = 0;

    static void verifie(boolean ok, String quoi) {
        System.out.println((ok ? "ok " : "ECHEC ") + quoi);
        if (!ok) echecs++;
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
    }

    static void lancer(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd));
    }

    /** Ce que l'autorité d'horodatage de l'hôte répond. */
    static byte[] tsa(Path v, Path dir, byte[] requete) throws Exception {
        for (String f : new String[] {"tsa.cnf", "tsa.pem", "tsa.key", "ca.pem", "tsaserial"}) {
            if (!Files.exists(dir.resolve(f))) Files.copy(v.resolve(f), dir.resolve(f));
        }
        Files.write(dir.resolve("req.tsq"), requete);
        lancer(dir, "openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "req.tsq", "-out", "resp.tsr");
        return Files.readAllBytes(dir.resolve("resp.tsr"));
    }

    public static void main(String[] args) throws Exception {
        Path v = Path.of(System.getProperty("user.dir")).resolve("tests/vectors/signature");
        Path dir = Files.createTempDirectory("mpe_java_ltv");
        byte[] offre = "Offre, lot 1\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("offre.txt"), offre);
        lancer(dir, "openssl", "cms", "-sign", "-binary", "-outform", "DER", "-in", "offre.txt", "-out", "s.p7s",
                "-signer", v.resolve("signataire.pem").toString(), "-inkey", v.resolve("signataire.key").toString());
        byte[] bb = Files.readAllBytes(dir.resolve("s.p7s"));
        // B-T first (the level B-LTA requires it), by the C functions the package declares.
        Natif.Octets o = new Natif.Octets();
        Tampons.verifier(Natif.I.mpe_horodatage_generer_requete(bb, bb.length, 3, o));
        byte[] jeton = tsa(v, dir, Tampons.prendre(o));
        o = new Natif.Octets();
        Tampons.verifier(Natif.I.mpe_horodatage_ajouter(bb, bb.length, jeton, jeton.length, o));
        byte[] p7s = Tampons.prendre(o);
        String ca = Files.readString(v.resolve("ca.pem"));
        String crl = Files.readString(v.resolve("crl.pem"));

        String avecCrl = "{\"ancres_pem\":" + json(ca) + ",\"crls_pem\":" + json(crl) + "}";
        String donnees = Mpe.Signature.collecterDonneesValidation(p7s, avecCrl);
        verifie(donnees.contains("\"crls\":[\""), "collecter : CRL");
        byte[] lt = Mpe.Signature.ajouterDonneesValidation(p7s, donnees);
        verifie(lt.length > p7s.length, "B-LT");

        try {
            Mpe.Signature.preparerHorodatageDocument(lt, null, 0);
            verifie(false, "CAdES détachée sans fichier");
        } catch (ErreurMpe e) {
            verifie(e.code() == 512 && e.nom().equals("FICHIER_SIGNE_MANQUANT"), "CAdES détachée sans fichier");
        }
        String prep = Mpe.Signature.preparerHorodatageDocument(lt, offre, 5);
        String requete = prep.replaceAll("(?s).*\"requete\":\"([^\"]*)\".*", "$1");
        byte[] lta = Mpe.Signature.finirHorodatageDocument(prep, tsa(v, dir, Base64.getDecoder().decode(requete)));

        String sansCrl = "{\"ancres_pem\":" + json(ca) + "}";
        String r = Mpe.Signature.verifier(lta, offre, sansCrl);
        verifie(r.contains("\"statut\":\"VALIDE\"") && r.contains("\"niveau\":\"B-LTA\""), "VALIDE B-LTA");
        verifie(r.contains("\"source\":\"CRL\""), "CRL du SignedData");
        verifie(r.contains("\"horodatages_archive\":[{"), "horodatage d'archive");

        try {
            Mpe.Signature.finirHorodatageDocument(prep, new byte[] {0x30, 0x00});
            verifie(false, "jeton refusé");
        } catch (ErreurMpe e) {
            verifie(e.code() == 513 || e.code() == 571, "jeton refusé (" + e.nom() + ")");
        }
        if (echecs > 0) {
            System.out.println(echecs + " échec(s)");
            System.exit(1);
        }
        System.out.println("TestLongTerme : OK");
    }
}
