package fr.mpe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Le paquet Java, lancé sous LANG=C par la commande de test : l'UTF-8 doit tenir. */
public class TestPaquet {
    static int echecs = 0;

    static void verifie(boolean ok, String quoi) {
        System.out.println((ok ? "ok " : "ECHEC ") + quoi);
        if (!ok) echecs++;
    }

    public static void main(String[] args) throws Exception {
        Path racine = Path.of(System.getProperty("user.dir"));
        verifie(!Mpe.version().isEmpty(), "version");
        verifie(Mpe.Cpv.chercher("45000000-7").contains("\"45000000-7\""), "cpv");
        try {
            Mpe.Cpv.chercher("45000000-1");
            verifie(false, "exception par famille");
        } catch (ErreurMpe.Validation e) {
            verifie(e.code() == 203 && e.nom().equals("CPV_CLE_CONTROLE"), "exception par famille");
        }
        String consultation = Files.readString(racine.resolve("examples/data/consultation.json"), StandardCharsets.UTF_8);
        String canonique = Mpe.Consultation.normaliser(consultation);
        verifie(canonique.contains("Villeurbanne"), "consultation normalisée");
        Path v = racine.resolve("tests/vectors/crypto");
        String texte = "Offre de la société « Dupont » : référence 2026-07";
        byte[] env = Mpe.Cms.chiffrer(texte.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(v.resolve("alice.cert.pem")), null);
        byte[] clair = Mpe.Cms.dechiffrer(env, Files.readAllBytes(v.resolve("alice.p12")), "secret");
        verifie(new String(clair, StandardCharsets.UTF_8).equals(texte), "chiffrement aller-retour (UTF-8)");
        // The same envelope opened with the PKCS#12 read as a key (key alone or with certificate).
        clair = Mpe.Cms.dechiffrerCle(env, Files.readAllBytes(v.resolve("alice.p12")), "secret", false);
        verifie(new String(clair, StandardCharsets.UTF_8).equals(texte), "déchiffrement par la clé");
        try {
            Mpe.Cms.dechiffrerCle(env, Files.readAllBytes(v.resolve("alice.p12")), "faux", false);
            verifie(false, "mot de passe faux refusé");
        } catch (ErreurMpe e) {
            verifie(e.nom().equals("MOT_DE_PASSE_INCORRECT"), "mot de passe faux refusé : " + e.nom());
        }
        // A text argument with accents crosses as UTF-8 whatever the locale.
        try {
            Mpe.Cpv.chercher("é");
            verifie(false, "texte accentué");
        } catch (ErreurMpe.Validation e) {
            verifie(e.getMessage().contains("é"), "texte accentué : " + e.getMessage());
        }
        try {
            Mpe.Journal.verifier("", null);
            verifie(false, "journal vide refusé");
        } catch (ErreurMpe.Procedure e) {
            verifie(e.nom().equals("JOURNAL_CORROMPU"), "journal vide refusé");
        }
        // The other recipient kinds through the package: an envelope openssl made for a password.
        Path tmp = Files.createTempDirectory("mpe-java-pwri");
        Files.writeString(tmp.resolve("clair.txt"), texte, StandardCharsets.UTF_8);
        Process o = new ProcessBuilder("openssl", "cms", "-encrypt", "-binary", "-aes128", "-pwri_password", "mot de passe",
            "-in", "clair.txt", "-outform", "DER", "-out", "pwri.der").directory(tmp.toFile()).inheritIO().start();
        verifie(o.waitFor() == 0, "openssl -pwri_password");
        byte[] pwri = Files.readAllBytes(tmp.resolve("pwri.der"));
        verifie(new String(Mpe.Cms.dechiffrerMotDePasse(pwri, "mot de passe", false), StandardCharsets.UTF_8).equals(texte),
            "déchiffrement par mot de passe");
        try {
            Mpe.Cms.dechiffrerMotDePasse(pwri, "faux", false);
            verifie(false, "mauvais mot de passe refusé");
        } catch (ErreurMpe.Chiffrement e) {
            verifie(e.nom().equals("MOT_DE_PASSE_INCORRECT"), "mauvais mot de passe refusé");
        }
        byte[][] identite = Mpe.Bicle.genererIdentiteTest("CN=Jeanne « Essai »,C=FR", "2026-11-01T00:00:00Z", "essai");
        verifie(identite[0].length > 0 && new String(identite[1], StandardCharsets.UTF_8).contains("BEGIN CERTIFICATE"),
            "identité de test");
        Files.delete(tmp.resolve("clair.txt"));
        Files.delete(tmp.resolve("pwri.der"));
        Files.delete(tmp);
        Path dossier = Files.createTempDirectory("mpe-java");
        String chemin = dossier.resolve("entrepot.mpedecp").toString();
        try (Entrepot e = Entrepot.nouveau()) {
            verifie(e.compter() == 0, "entrepôt vide");
            e.ecrire(chemin);
        }
        try (Entrepot e = Entrepot.ouvrir(chemin)) {
            verifie(e.compter() == 0 && e.chercher("{}").contains("\"total\":0"), "entrepôt relu");
        }
        Files.deleteIfExists(Path.of(chemin));
        Files.deleteIfExists(dossier);
        // The forms' data read from the awarded procedure's state; the letter of a DCE version
        // the state does not have is refused.
        String attribuee = Files.readString(racine.resolve("tests/vectors/contrats/procedure_attribuee.json"));
        String organisation = Files.readString(racine.resolve("examples/data/organisation.json"));
        String donnees = Mpe.Procedure.genererDonneesDocuments(attribuee, organisation, "{\"lot\": 1}");
        verifie(donnees.contains("AOO_2026/0611") && donnees.contains("Menuiseries Lyonnaises SARL"),
            "données des formulaires lues dans l'état");
        try {
            Mpe.Procedure.genererDonneesDocuments(attribuee, organisation, "{\"lot\": 9}");
            verifie(false, "lot inconnu refusé");
        } catch (ErreurMpe e) {
            verifie(e.nom().equals("LOT_INCONNU"), "lot inconnu refusé : " + e.nom());
        }
        try {
            Mpe.Procedure.genererCourrierModification(attribuee, 7, java.util.Map.of("Additif.pdf", new byte[] {1}));
            verifie(false, "version du DCE inconnue refusée");
        } catch (ErreurMpe e) {
            verifie(e.nom().equals("REFERENCE_INCONNUE"), "version du DCE inconnue refusée : " + e.nom());
        }
        if (echecs > 0) {
            System.err.println("TestPaquet : " + echecs + " échec(s)");
            System.exit(1);
        }
        System.out.println("TestPaquet : ok");
    }
}
