// Java (JNA) test of the signature ABI: sign the three formats, verify to a JSON report,
// two-step flow and bad inputs.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class TestSignature {
    public interface Lib extends MpeNative {
        int mpe_signature_sign(String format, byte[] key, long keyLen, byte[] certs, long certsLen,
                               byte[] data, long dataLen, String options, MpeBytes out);
        int mpe_signature_verify(byte[] sig, long sigLen, byte[] data, long dataLen, String options, MpeBytes out);
        int mpe_signature_sign_file(String format, byte[] key, long keyLen, byte[] certs, long certsLen,
                                    String path, String outPath, String options);
        int mpe_signature_verify_file(String sigPath, String dataPath, String options, MpeBytes out);
        int mpe_signature_prepare(String format, byte[] certs, long certsLen, byte[] data, long dataLen,
                                  String options, MpeBytes out);
        int mpe_signature_assemble(String prepared, byte[] value, long valueLen, MpeBytes out);
    }

    static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path v = Path.of(System.getProperty("user.dir")).resolve("tests/vectors/signature");
        byte[] key = Files.readAllBytes(v.resolve("signataire.key"));
        byte[] cert = Files.readAllBytes(v.resolve("signataire.pem"));
        byte[] pdf = Files.readAllBytes(v.resolve("xrefstream.pdf"));
        byte[] data = "Offre de prix, lot 3\n".getBytes(StandardCharsets.UTF_8);
        String signOpts = "{\"date\":\"2027-01-15T10:00:00Z\",\"nom_fichier\":\"offre.txt\",\"schema\":\"RSA_PSS\"}";
        String verifyOpts = "{\"date_verification\":\"2027-01-15T12:00:00Z\",\"ancres_pem\":"
            + jsonString(Files.readString(v.resolve("ca.pem"))) + "}";

        for (String format : new String[] {"cades", "xades", "pades"}) {
            byte[] input = format.equals("pades") ? pdf : data;
            MpeNative.MpeBytes out = new MpeNative.MpeBytes();
            t.check(lib.mpe_signature_sign(format, key, key.length, cert, cert.length, input, input.length, signOpts, out) == 0,
                    format + ": sign " + lib.mpe_last_error());
            byte[] sig = out.take(lib);
            out = new MpeNative.MpeBytes();
            byte[] detached = format.equals("pades") ? null : input;
            t.check(lib.mpe_signature_verify(sig, sig.length, detached, detached == null ? 0 : detached.length, verifyOpts, out) == 0,
                    format + ": verify");
            String report = out.takeString(lib);
            t.check(report.contains("\"statut\":\"VALIDE\"") && report.contains("\"schema\":\"RSA_PSS\""), format + ": " + report);
            if (!format.equals("pades")) {
                byte[] other = "autre".getBytes(StandardCharsets.UTF_8);
                out = new MpeNative.MpeBytes();
                lib.mpe_signature_verify(sig, sig.length, other, other.length, verifyOpts, out);
                t.check(out.takeString(lib).contains("SIGNATURE_INTEGRITE"), format + ": tampered");
            }
        }

        // Files.
        Path tmp = Files.createTempDirectory("mpe-sig");
        Path file = tmp.resolve("offre.txt");
        Files.write(file, data);
        Path p7s = tmp.resolve("offre.txt.p7s");
        t.check(lib.mpe_signature_sign_file("cades", key, key.length, cert, cert.length, file.toString(), p7s.toString(),
                "{\"date\":\"2027-01-15T10:00:00Z\"}") == 0, "sign_file");
        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_verify_file(p7s.toString(), file.toString(), verifyOpts, out) == 0, "verify_file");
        t.check(out.takeString(lib).contains("\"statut\":\"VALIDE\""), "verify_file VALIDE");

        // Two steps.
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_prepare("cades", cert, cert.length, data, data.length, signOpts, out) == 0, "prepare");
        String prepared = out.takeString(lib);
        out = new MpeNative.MpeBytes();
        byte[] zero = new byte[256];
        t.check(lib.mpe_signature_assemble(prepared, zero, zero.length, out) == 503, "assemble refuses a wrong value");

        // Bad inputs.
        byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_verify(garbage, garbage.length, null, 0, null, out) == 500, "garbage");
        t.check("SIGNATURE_FORMAT_INCONNU".equals(lib.mpe_status_name(500)), "status name");
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_sign("pades", key, key.length, cert, cert.length, garbage, garbage.length, signOpts, out) == 509,
                "PDF_MALFORME");
        t.done("TestSignature");
    }
}
