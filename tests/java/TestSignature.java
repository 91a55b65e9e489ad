// Java (JNA) test of the signature ABI: sign the three formats, verify to a JSON report,
// two-step flow and bad inputs.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class TestSignature {
    public interface Lib extends MpeNative {
        int mpe_signature_signer(String format, byte[] key, long keyLen, byte[] certs, long certsLen,
                               byte[] data, long dataLen, byte[] options, long optionsLen, MpeBytes out);
        int mpe_signature_verifier(byte[] sig, long sigLen, byte[] data, long dataLen, byte[] options, long optionsLen, MpeBytes out);
        int mpe_signature_signer_fichier(String format, byte[] key, long keyLen, byte[] certs, long certsLen,
                                    String path, String outPath, byte[] options, long optionsLen);
        int mpe_signature_verifier_fichier(String sigPath, String dataPath, byte[] options, long optionsLen, MpeBytes out);
        int mpe_signature_preparer(String format, byte[] certs, long certsLen, byte[] data, long dataLen,
                                  byte[] options, long optionsLen, MpeBytes out);
        int mpe_signature_assembler(byte[] prepared, long preparedLen, byte[] value, long valueLen, MpeBytes out);
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
            t.check(lib.mpe_signature_signer(format, key, key.length, cert, cert.length, input, input.length, MpeNative.u8(signOpts), MpeNative.lg(signOpts), out) == 0,
                    format + ": sign " + lib.mpe_derniere_erreur());
            byte[] sig = out.take(lib);
            out = new MpeNative.MpeBytes();
            byte[] detached = format.equals("pades") ? null : input;
            t.check(lib.mpe_signature_verifier(sig, sig.length, detached, detached == null ? 0 : detached.length, MpeNative.u8(verifyOpts), MpeNative.lg(verifyOpts), out) == 0,
                    format + ": verify");
            String report = out.takeString(lib);
            t.check(report.contains("\"statut\":\"VALIDE\"") && report.contains("\"schema\":\"RSA_PSS\""), format + ": " + report);
            if (!format.equals("pades")) {
                byte[] other = "autre".getBytes(StandardCharsets.UTF_8);
                out = new MpeNative.MpeBytes();
                lib.mpe_signature_verifier(sig, sig.length, other, other.length, MpeNative.u8(verifyOpts), MpeNative.lg(verifyOpts), out);
                t.check(out.takeString(lib).contains("SIGNATURE_INTEGRITE"), format + ": tampered");
            }
        }

        // Files.
        Path tmp = Files.createTempDirectory("mpe-sig");
        Path file = tmp.resolve("offre.txt");
        Files.write(file, data);
        Path p7s = tmp.resolve("offre.txt.p7s");
        t.check(lib.mpe_signature_signer_fichier("cades", key, key.length, cert, cert.length, file.toString(), p7s.toString(),
                MpeNative.u8("{\"date\":\"2027-01-15T10:00:00Z\"}"), MpeNative.lg("{\"date\":\"2027-01-15T10:00:00Z\"}")) == 0, "sign_file");
        MpeNative.MpeBytes out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_verifier_fichier(p7s.toString(), file.toString(), MpeNative.u8(verifyOpts), MpeNative.lg(verifyOpts), out) == 0, "verify_file");
        t.check(out.takeString(lib).contains("\"statut\":\"VALIDE\""), "verify_file VALIDE");

        // Two steps.
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_preparer("cades", cert, cert.length, data, data.length, MpeNative.u8(signOpts), MpeNative.lg(signOpts), out) == 0, "prepare");
        String prepared = out.takeString(lib);
        out = new MpeNative.MpeBytes();
        byte[] zero = new byte[256];
        t.check(lib.mpe_signature_assembler(MpeNative.u8(prepared), MpeNative.lg(prepared), zero, zero.length, out) == 503, "assemble refuses a wrong value");

        // Bad inputs.
        byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_verifier(garbage, garbage.length, null, 0, null, 0, out) == 500, "garbage");
        t.check("SIGNATURE_FORMAT_INCONNU".equals(lib.mpe_statut_nom(500)), "status name");
        out = new MpeNative.MpeBytes();
        t.check(lib.mpe_signature_signer("pades", key, key.length, cert, cert.length, garbage, garbage.length, MpeNative.u8(signOpts), MpeNative.lg(signOpts), out) == 509,
                "PDF_MALFORME");
        t.done("TestSignature");
    }
}
