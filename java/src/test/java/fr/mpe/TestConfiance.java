package fr.mpe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Les listes de confiance depuis Java (JNA) : la LOTL et des listes nationales du corpus
 * (shared/corpus/tsl, tirées de DSS) chargées, un certificat qualifié, les listes passées à
 * la vérification d'une signature. Le corpus : $MPE_CORPUS ou le premier shared/corpus
 * au-dessus du dépôt. Lancé depuis la racine du dépôt.
 */
public class TestConfiance {
    static int echecs = 0;

    static void verifie(boolean ok, String quoi) {
        System.out.println((ok ? "ok " : "ECHEC ") + quoi);
        if (!ok) echecs++;
    }

    static int compter(String s, String motif) {
        int n = 0;
        for (int i = s.indexOf(motif); i >= 0; i = s.indexOf(motif, i + motif.length())) n++;
        return n;
    }

    public static void main(String[] args) throws Exception {
        String env = System.getenv("MPE_CORPUS");
        Path corpus = env != null ? Path.of(env) : null;
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); corpus == null && d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("shared/corpus/expectations.json"))) corpus = d.resolve("shared/corpus");
        }
        if (corpus == null) throw new IllegalStateException("corpus introuvable");
        Path c = corpus;
        java.util.function.Function<String, byte[]> lire = p -> {
            try {
                return Files.readAllBytes(c.resolve(p));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        String listes = Mpe.Confiance.listes(
            lire.apply("tsl/dss/eu-lotl.xml"),
            new String(lire.apply("tsl/anchors/lotl-signer-patrick-kremer.pem"), java.nio.charset.StandardCharsets.UTF_8),
            List.of(lire.apply("tsl/dss/lotlCache/FR.xml"), lire.apply("tsl/dss/lotlCache/CZ_broken-sig.xml")));
        String date = "2019-09-04T08:00:00Z";

        String r = Mpe.Confiance.charger(listes, date);
        verifie(compter(r, "\"utilisable\":true") == 2, "LOTL et FR utilisables");
        verifie(compter(r, "\"utilisable\":false") == 1, "CZ refusée");
        verifie(r.contains("\"territoire\":\"CZ\""), "CZ nommée");

        String q = Mpe.Confiance.qualifier(lire.apply("tsl/anchors/sk-subject-certificate.pem"), listes, date);
        verifie(q.contains("\"qualification\":") && q.contains("\"etapes\":["), "qualification avec étapes");

        String v = Mpe.Signature.verifier(lire.apply("signatures/cades/dss/counterSignedLTA.p7s"), null,
            "{\"date_verification\":\"" + date + "\",\"listes_confiance\":" + listes + "}");
        verifie(v.contains("\"qualification\":{"), "qualification dans le rapport");

        // The pivot chain (DSS's OJ test LOTLs): from the OJ 2 keys, pivot 01 is skipped,
        // 02 is not given, 03 announces the LOTL's signer.
        String piv = "http://18.202.217.18/res/pivot/";
        java.util.Map<String, byte[]> pivots = new java.util.LinkedHashMap<>();
        pivots.put(piv + "lotl_test_OJ_1_pivot_01.xml", lire.apply("tsl/dss/pivots/lotl_test_OJ_1_pivot_01.xml"));
        pivots.put(piv + "lotl_test_OJ_1_pivot_03.xml", lire.apply("tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml"));
        String p = Mpe.Confiance.charger(Mpe.Confiance.listes(
            lire.apply("tsl/dss/pivots/lotl_test_OJ_1_pivot_03.xml"),
            new String(lire.apply("tsl/anchors/oj2-keystore-certs.pem"), java.nio.charset.StandardCharsets.UTF_8),
            List.of(), pivots), "2023-11-24T07:00:44Z");
        verifie(compter(p, "\"retenu\":true") == 1 && compter(p, "\"retenu\":false") == 2, "un pivot retenu sur trois");
        verifie(p.contains("LISTE_CONFIANCE_PIVOT_ABSENT"), "pivot 02 absent");
        verifie(p.contains("\"lotl\":{") && compter(p, "\"utilisable\":true") >= 2, "LOTL utilisable par ses pivots");

        try {
            Mpe.Confiance.charger("{\"lotl\":\"%%%\",\"certificats_lotl_pem\":\"x\",\"listes\":[]}", date);
            verifie(false, "base64 refusé");
        } catch (ErreurMpe e) {
            verifie(e.code() == 540 && "LISTE_CONFIANCE_ENTREE".equals(e.nom()), "LISTE_CONFIANCE_ENTREE : " + e.nom());
        }
        if (echecs > 0) System.exit(1);
        System.out.println("TestConfiance : ok");
    }
}
