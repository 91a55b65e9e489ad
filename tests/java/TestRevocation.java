// Java (JNA) test of revocation: OCSP responses cross in the verification options' JSON
// (`reponses_ocsp`, DER in base64), as CRLs do. Fixtures: tests/vectors/revocation/make.sh.
import java.nio.file.Files;
import java.nio.file.Path;

public class TestRevocation {
    public interface Lib extends MpeNative {
        int mpe_signature_verifier(byte[] sig, long sigLen, byte[] data, long dataLen, byte[] options, long optionsLen, MpeBytes out);
    }

    public static void main(String[] args) throws Exception {
        Lib lib = MpeNative.load(Lib.class);
        MpeNative.Checks t = new MpeNative.Checks();
        Path f = Path.of(System.getProperty("user.dir")).resolve("tests/vectors/revocation/fixe");
        byte[] sig = Files.readAllBytes(f.resolve("avant.p7s"));
        byte[] data = Files.readAllBytes(f.resolve("offre.txt"));
        String[] cas = {"options_ocsp.json", "options_usurpee.json"};
        String[] r = new String[2];
        for (int i = 0; i < 2; i++) {
            String opts = Files.readString(f.resolve(cas[i]));
            MpeNative.MpeBytes out = new MpeNative.MpeBytes();
            int st = lib.mpe_signature_verifier(sig, sig.length, data, data.length, MpeNative.u8(opts), MpeNative.lg(opts), out);
            t.check(st == 0, cas[i] + " " + lib.mpe_derniere_erreur());
            r[i] = st == 0 ? out.takeString(lib) : "";
        }
        t.check(r[0].contains("\"statut\":\"INVALIDE\"") && r[0].contains("\"sous_indication\":\"REVOKED\"")
                && r[0].contains("\"source\":\"OCSP\""), "revoked before signing: INVALIDE REVOKED");
        t.check(r[1].contains("\"statut\":\"VALIDE\"") && r[1].contains("OCSP_REPONDANT_NON_AUTORISE"),
                "unauthorised responder: set aside");
        t.done("TestRevocation");
    }
}
