// Java (JNA) test of the consultation slice: round trip, validation, CPV, référence.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class TestConsultation {
    public interface Lib extends MpeNative {
        int mpe_consultation_normaliser(byte[] json, long len, MpeBytes out);
        int mpe_consultation_valider(byte[] json, long len, byte[] org, long orgLen, String now, MpeBytes out);
        int mpe_cpv_chercher(String code, MpeBytes out);
        int mpe_reference_valider(String reference);
        int mpe_siret_valider(String siret);
        int mpe_code_acces_generer(MpeBytes out);
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path root = Path.of(System.getProperty("user.dir"));
        byte[] json = Files.readAllBytes(root.resolve("examples/data/consultation.json"));
        byte[] org = Files.readAllBytes(root.resolve("examples/data/organisation.json"));
        String canonical = Files.readString(root.resolve("tests/vectors/consultation/consultation.canonical.json"));

        t.check(!lib.mpe_version().isEmpty(), "version");
        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        t.check(lib.mpe_consultation_normaliser(json, json.length, out) == 0, "normalize");
        t.check(out.takeString(lib).equals(canonical), "canonical JSON identical to Rust");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_consultation_valider(json, json.length, org, org.length, "2026-11-02T09:00:00Z", out) == 0, "validate");
        String findings = out.takeString(lib);
        t.check(!findings.contains("\"erreur\""), "no error finding: " + findings);

        String bad = new String(json, StandardCharsets.UTF_8).replace("\"AOO_2026/0611\"", "\"AOO 2026\"");
        byte[] badBytes = bad.getBytes(StandardCharsets.UTF_8);
        out = new MpeNative.MpeBytes();
        lib.mpe_consultation_valider(badBytes, badBytes.length, null, 0, "2026-11-02T09:00:00Z", out);
        String f2 = out.takeString(lib);
        t.check(f2.contains("\"REFERENCE_INVALIDE\"") && f2.contains("$.identification.reference"), "reference finding");

        byte[] garbage = "{\"id\":".getBytes(StandardCharsets.UTF_8);
        int st = lib.mpe_consultation_valider(garbage, garbage.length, null, 0, "2026-11-02T09:00:00Z", new MpeNative.MpeBytes());
        t.check(st == 102, "invalid JSON is 102, got " + st);
        t.check("JSON_INVALIDE".equals(lib.mpe_statut_nom(st)), "status name");
        t.check(lib.mpe_derniere_erreur().contains("JSON_INVALIDE"), "last error");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_cpv_chercher("45421000-4", out) == 0, "cpv");
        t.check(out.takeString(lib).contains("Joinery work"), "cpv label");
        t.check(lib.mpe_cpv_chercher("45421000-5", new MpeNative.MpeBytes()) == 203, "cpv check digit");
        t.check(lib.mpe_reference_valider("AOO_2026/0611") == 0, "reference ok");
        t.check(lib.mpe_reference_valider("AOO-2026") == 201, "reference ko");
        t.check(lib.mpe_siret_valider("21690123100011") == 0, "siret ok");

        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_code_acces_generer(out) == 0, "access code");
        t.check(out.takeString(lib).matches("[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}"), "access code alphabet");
        t.done("TestConsultation");
    }
}
