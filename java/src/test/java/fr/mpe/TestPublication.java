package fr.mpe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Les avis eForms et le DUME depuis Java (JNA) : l'avis 16 de la consultation d'exemple écrit
 * et relu, le pré-contrôle d'une procédure restreinte sans nombre minimal de candidats
 * (BT-50), la demande DUME écrite et relue, les refus typés ; puis les règles Schematron du
 * SDK (MPE_EFORMS_SDK, sinon shared/data/eforms/1.15.1 à côté du dépôt) par un validateur
 * partagé entre deux fils. Lancé depuis la racine du dépôt.
 */
public class TestPublication {
    static int echecs = 0;

    static void verifie(boolean ok, String quoi) {
        System.out.println((ok ? "ok " : "ECHEC ") + quoi);
        if (!ok) echecs++;
    }

    static String lire(String p) throws Exception {
        return Files.readString(Path.of(p), StandardCharsets.UTF_8);
    }

    /** La valeur texte d'un champ JSON de premier niveau (sans échappement autre que \" \n \\). */
    static String champ(String json, String nom) {
        int i = json.indexOf("\"" + nom + "\":\"") + nom.length() + 4;
        StringBuilder b = new StringBuilder();
        for (; json.charAt(i) != '"'; i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                char e = json.charAt(++i);
                b.append(e == 'n' ? '\n' : e);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String sdk() {
        String env = System.getenv("MPE_EFORMS_SDK");
        if (env != null && !env.isEmpty()) return env;
        for (String d : new String[] {"../shared/data/eforms/1.15.1", "../../shared/data/eforms/1.15.1"}) {
            if (Files.isDirectory(Path.of(d))) return d;
        }
        throw new IllegalStateException("shared/data/eforms/1.15.1 introuvable (MPE_EFORMS_SDK)");
    }

    /**
     * L'avis 16 écrit par mpe est valide ; l'exemple INVALID_cn_24_multiple du SDK échoue aux
     * règles de son propre rapport ; les deux validés en même temps par deux fils sur un
     * validateur ; puis les refus typés.
     */
    static void schematron(String avis, String t) throws Exception {
        String sdk = sdk();
        String invalide = lire(sdk + "/examples/invalid-notices/INVALID_cn_24_multiple.xml");
        try (ValidateurAvis v = ValidateurAvis.ouvrir(sdk, null)) {
            String[] autre = new String[1];
            Thread fil = new Thread(() -> autre[0] = v.valider(invalide, null, t));
            fil.start();
            String r = v.valider(avis, null, t);
            fil.join();
            verifie(r.contains("\"valide\":true") && r.contains("\"phase\":\"eforms-16\"")
                && r.contains("\"version_sdk\":\"1.15.1\""), "avis mpe valide par les règles du SDK");
            verifie(autre[0] != null && autre[0].contains("\"valide\":false")
                && autre[0].contains("\"id\":\"BR-BT-00024-0178\"") && autre[0].contains("\"id\":\"ND-Company-16\""),
                "exemple invalide du SDK refusé (autre fil)");
            try {
                v.valider("<a/>", null, t);
                verifie(false, "pas un avis eForms refusé");
            } catch (ErreurMpe.Publication e) {
                verifie(e.nom().equals("AVIS_NON_EFORMS"), "pas un avis eForms : " + e.nom());
            }
            try {
                v.valider(avis, "eforms-99", t);
                verifie(false, "phase inconnue refusée");
            } catch (ErreurMpe.Publication e) {
                verifie(e.nom().equals("PHASE_INCONNUE"), "phase inconnue : " + e.nom());
            }
        }
        try {
            ValidateurAvis.ouvrir("/nonexistent-sdk", null).close();
            verifie(false, "SDK absent refusé");
        } catch (ErreurMpe.ES e) {
            verifie(e.nom().equals("ES"), "SDK absent : " + e.nom());
        }
    }

    public static void main(String[] args) throws Exception {
        String c = lire("examples/data/consultation.json");
        String o = lire("examples/data/organisation.json");
        String d = lire("tests/vectors/publication/donnees_avis.json");
        String t = "2026-11-03T09:00:00Z";

        String avis = Mpe.Avis.genererMarche("16", c, o, d, t);
        verifie(avis.contains("\"sous_type\":\"16\""), "avis 16 écrit");
        String resume = Mpe.Avis.lire(champ(avis, "xml"));
        verifie(resume.contains("\"sous_type\":\"16\"") && resume.contains("\"LOT-0003\""), "avis relu");

        String restreinte = c.replace("\"appel_offres_ouvert\"", "\"appel_offres_restreint\"");
        String constats = Mpe.Avis.verifierMarche("16", restreinte, o, d, t);
        verifie(constats.contains("\"bt\":\"BT-50-Lot\"")
            && constats.contains("$.consultation.modalites.nombre_minimal_candidats"), "constat BT-50");
        try {
            Mpe.Avis.genererMarche("16", restreinte, o, d, t);
            verifie(false, "avis incomplet refusé");
        } catch (ErreurMpe.Publication e) {
            verifie(e.nom().equals("AVIS_INCOMPLET"), "avis incomplet refusé : " + e.nom());
        }
        try {
            Mpe.Avis.genererMarche("18", c, o, d, t);
            verifie(false, "sous-type inconnu refusé");
        } catch (ErreurMpe.Publication e) {
            verifie(e.nom().equals("AVIS_NON_PRIS_EN_CHARGE"), "sous-type inconnu : " + e.nom());
        }
        try {
            Mpe.Avis.genererMarche("16", "{", o, d, t);
            verifie(false, "JSON malformé refusé");
        } catch (ErreurMpe.Entree e) {
            verifie(e.nom().equals("JSON_INVALIDE"), "JSON malformé : " + e.nom());
        }

        String dume = Mpe.Dume.genererDemande(c, o, "4.1.0", t);
        String r = Mpe.Dume.lire(champ(dume, "xml").getBytes(StandardCharsets.UTF_8));
        verifie(r.contains("\"nature\":\"demande\"") && r.contains("\"version\":\"4.1.0\""), "DUME relu");
        // A request given as the response: the "nature" difference.
        byte[] x = champ(dume, "xml").getBytes(StandardCharsets.UTF_8);
        String ecarts = Mpe.Dume.comparer(x, x, "{\"siret\":\"51802345600024\"}");
        verifie(ecarts.contains("\"sujet\":\"nature\""), "une demande n'est pas une réponse");

        schematron(champ(avis, "xml"), t);

        if (echecs > 0) {
            System.out.println(echecs + " échec(s)");
            System.exit(1);
        }
        System.out.println("TestPublication : OK");
    }
}
